//! Whole numbers as JSON Schema counts them: `2` and `2.0` alike.
//!
//! serde reads an integer field only from an integer token, but JSON has
//! one number type and many clients write every number with a decimal
//! point (`"minor_units": 189900.0`). Integer fields of requests read
//! through here, so such a client is understood; a fraction (`2.5`) or a
//! number past the range is still refused.

use std::fmt;

use serde::de::{Deserializer, Error, Unexpected, Visitor};
use serde::{Deserialize, Serialize};

/// An `i64` read from any JSON number without a fraction.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(transparent)]
pub struct Whole(pub i64);

/// 2^63, the first float past `i64`'s range.
const LIMIT: f64 = 9_223_372_036_854_775_808.0;

impl<'de> Deserialize<'de> for Whole {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct WholeVisitor;
        impl Visitor<'_> for WholeVisitor {
            type Value = Whole;
            fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
                f.write_str("a whole number")
            }
            fn visit_i64<E: Error>(self, value: i64) -> Result<Whole, E> {
                Ok(Whole(value))
            }
            fn visit_u64<E: Error>(self, value: u64) -> Result<Whole, E> {
                i64::try_from(value).map(Whole).map_err(|_| E::invalid_value(Unexpected::Unsigned(value), &self))
            }
            fn visit_f64<E: Error>(self, value: f64) -> Result<Whole, E> {
                if value.fract() == 0.0 && (-LIMIT..LIMIT).contains(&value) {
                    // Whole and in range, so the cast is exact.
                    Ok(Whole(value as i64))
                } else {
                    Err(E::invalid_value(Unexpected::Float(value), &self))
                }
            }
        }
        deserializer.deserialize_any(WholeVisitor)
    }
}

/// For `#[serde(deserialize_with = "whole::number")]` on an `i64` field.
pub fn number<'de, D: Deserializer<'de>>(deserializer: D) -> Result<i64, D::Error> {
    Whole::deserialize(deserializer).map(|whole| whole.0)
}

/// For `#[serde(deserialize_with = "whole::optional")]` on an `Option<i64>` field.
pub fn optional<'de, D: Deserializer<'de>>(deserializer: D) -> Result<Option<i64>, D::Error> {
    Option::<Whole>::deserialize(deserializer).map(|whole| whole.map(|whole| whole.0))
}

/// For `#[serde(deserialize_with = "whole::pair")]` on a `(u32, u32)` field,
/// such as a range `[low, high]` in basis points.
pub fn pair<'de, D: Deserializer<'de>>(deserializer: D) -> Result<(u32, u32), D::Error> {
    let narrow = |whole: Whole| {
        u32::try_from(whole.0)
            .map_err(|_| D::Error::invalid_value(Unexpected::Signed(whole.0), &"a whole number from 0 to 4294967295"))
    };
    let (low, high) = <(Whole, Whole)>::deserialize(deserializer)?;
    Ok((narrow(low)?, narrow(high)?))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn read(json: &str) -> Result<i64, String> {
        serde_json::from_str::<Whole>(json).map(|whole| whole.0).map_err(|err| err.to_string())
    }

    #[test]
    fn a_whole_number_reads_the_same_with_or_without_a_decimal_point() {
        assert_eq!(read("189900"), Ok(189_900));
        assert_eq!(read("189900.0"), Ok(189_900));
        assert_eq!(read("2e0"), Ok(2));
        assert_eq!(read("-3.0"), Ok(-3));
        assert_eq!(read("9223372036854775807"), Ok(i64::MAX));
    }

    #[test]
    fn a_fraction_or_a_number_past_the_range_is_refused() {
        assert_eq!(
            read("2.5").unwrap_err(),
            "invalid value: floating point `2.5`, expected a whole number at line 1 column 3"
        );
        assert!(read("9223372036854775808").is_err());
        assert!(read("9223372036854775808.0").is_err());
        assert!(read("1e300").is_err());
        assert!(read("\"2\"").is_err());
    }

    #[test]
    fn a_pair_reads_whole_numbers_in_u32_and_refuses_the_rest() {
        #[derive(Deserialize)]
        struct Range(#[serde(deserialize_with = "pair")] (u32, u32));
        let read = |json: &str| serde_json::from_str::<Range>(json).map(|range| range.0).map_err(|err| err.to_string());
        assert_eq!(read("[500, 2000]"), Ok((500, 2000)));
        assert_eq!(read("[273.0, 4294967295]"), Ok((273, 4_294_967_295)));
        assert!(
            read("[-1, 2000]")
                .unwrap_err()
                .starts_with("invalid value: integer `-1`, expected a whole number from 0 to 4294967295")
        );
        assert!(read("[0, 4294967296]").is_err());
        assert!(read("[1.5, 2]").is_err());
        assert!(read("[1, 2, 3]").is_err());
    }
}
