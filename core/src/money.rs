//! Amounts of money, as customers report what a problem cost them and as
//! companies offer to make it up to them. Kept in minor units (cents) so
//! nothing is ever rounded; printed the way a person reads a price.

use std::fmt;

use serde::{Deserialize, Serialize};

use crate::input::{Field, InputError, Problem};

/// The largest amount Mend accepts in one field: 10 billion in major units.
pub const MAX_MINOR_UNITS: i64 = 1_000_000_000_000;

/// An ISO 4217 currency code, three uppercase letters (`USD`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct Currency([u8; 3]);

impl Currency {
    /// Reads a code of three ASCII letters in any case, after trimming
    /// (`usd` becomes `USD`); errors are reported against `field`. Any three
    /// letters pass: the code is not checked against the ISO 4217 list.
    pub fn parse(raw: &str, field: Field) -> Result<Self, InputError> {
        let bytes = raw.trim().as_bytes();
        match bytes {
            [a, b, c] if bytes.iter().all(u8::is_ascii_alphabetic) => {
                Ok(Self([a.to_ascii_uppercase(), b.to_ascii_uppercase(), c.to_ascii_uppercase()]))
            }
            [] => Err(InputError::new(field, Problem::Missing)),
            _ => {
                Err(InputError::new(field, Problem::Malformed { expected: "a three-letter currency code such as USD" }))
            }
        }
    }

    /// The code as three uppercase letters (`USD`), as on the wire.
    pub fn code(&self) -> &str {
        // Only ASCII letters are ever stored.
        std::str::from_utf8(&self.0).unwrap_or("???")
    }

    fn symbol(&self) -> Option<&'static str> {
        match &self.0 {
            b"USD" => Some("$"),
            b"EUR" => Some("€"),
            b"GBP" => Some("£"),
            b"JPY" => Some("¥"),
            _ => None,
        }
    }

    /// Digits after the decimal point in this currency's minor unit.
    pub fn exponent(&self) -> u32 {
        match &self.0 {
            b"JPY" | b"KRW" | b"ISK" | b"CLP" | b"VND" => 0,
            b"BHD" | b"KWD" | b"OMR" | b"JOD" | b"TND" => 3,
            _ => 2,
        }
    }
}

impl TryFrom<String> for Currency {
    type Error = InputError;
    fn try_from(raw: String) -> Result<Self, InputError> {
        Self::parse(&raw, Field::Currency)
    }
}

impl From<Currency> for String {
    fn from(currency: Currency) -> String {
        currency.code().to_owned()
    }
}

/// An amount in a currency's minor units: `{"currency": "USD", "minor_units": 1500}` is $15.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(try_from = "RawMoney")]
pub struct Money {
    /// The currency; its [`exponent`](Currency::exponent) says how many
    /// minor units make a major one.
    pub currency: Currency,
    /// The amount in the currency's minor units: cents for USD (`1500` is
    /// $15), whole yen for JPY. [`Money::new`] keeps it within
    /// 0..=[`MAX_MINOR_UNITS`], and so does deserialising one.
    pub minor_units: i64,
}

/// A `Money` as read from JSON, before its amount is checked.
#[derive(Deserialize)]
struct RawMoney {
    currency: Currency,
    #[serde(deserialize_with = "crate::whole::number")]
    minor_units: i64,
}

impl TryFrom<RawMoney> for Money {
    type Error = InputError;
    fn try_from(raw: RawMoney) -> Result<Self, InputError> {
        Money::new(raw.currency, raw.minor_units, Field::Amount)
    }
}

impl Money {
    /// A non-negative amount no larger than [`MAX_MINOR_UNITS`].
    pub fn new(currency: Currency, minor_units: i64, field: Field) -> Result<Self, InputError> {
        if !(0..=MAX_MINOR_UNITS).contains(&minor_units) {
            return Err(InputError::new(field, Problem::Malformed { expected: "an amount between 0 and 10 billion" }));
        }
        Ok(Self { currency, minor_units })
    }

    /// Whole major units, rounded down (`$15.99` → 15).
    pub fn major_units(&self) -> i64 {
        self.minor_units / 10_i64.pow(self.currency.exponent())
    }
}

/// An amount as a person types it ("25", "25.50", "25,50") in the minor
/// units of a currency with `exponent` decimals; `None` if it is not one
/// (a sign, letters, more decimals than the currency has, an overflow).
/// With `exponent` 2 it also reads a percentage as basis points ("12.5" is
/// 1250). Typed amounts are read by this one rule wherever Mend asks for them.
pub fn typed_minor_units(raw: &str, exponent: u32) -> Option<i64> {
    let raw = raw.trim().replace(',', ".");
    let (whole, fraction) = raw.split_once('.').unwrap_or((&raw, ""));
    let digits = |s: &str| !s.is_empty() && s.bytes().all(|b| b.is_ascii_digit());
    if !digits(whole) || (!fraction.is_empty() && !digits(fraction)) || fraction.len() > exponent as usize {
        return None;
    }
    let scale = 10_i64.checked_pow(exponent)?;
    let fraction = format!("{fraction:0<width$}", width = exponent as usize);
    let fraction: i64 = if exponent == 0 { 0 } else { fraction.parse().ok()? };
    whole.parse::<i64>().ok()?.checked_mul(scale)?.checked_add(fraction)
}

/// `minor` minor units of a currency with `exponent` decimals, written back
/// as a person would type them ("25", "25.5"): what [`typed_minor_units`]
/// reads as the same amount.
pub fn typed(minor: i64, exponent: u32) -> String {
    let scale = 10_i64.pow(exponent);
    let (whole, fraction) = (minor / scale, minor % scale);
    if fraction == 0 {
        return whole.to_string();
    }
    let fraction = format!("{fraction:0width$}", width = exponent as usize);
    format!("{whole}.{}", fraction.trim_end_matches('0'))
}

impl fmt::Display for Money {
    /// `$15`, `$1,250.50`, `€30,000`, `CHF 80`: cents only when there are some.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let scale = 10_i64.pow(self.currency.exponent());
        let (major, minor) = (self.minor_units / scale, self.minor_units % scale);
        let digits = major.to_string();
        let mut grouped = String::with_capacity(digits.len() + digits.len() / 3);
        for (i, digit) in digits.chars().enumerate() {
            if i > 0 && (digits.len() - i) % 3 == 0 {
                grouped.push(',');
            }
            grouped.push(digit);
        }
        match self.currency.symbol() {
            Some(symbol) => write!(f, "{symbol}{grouped}")?,
            None => write!(f, "{} {grouped}", self.currency.code())?,
        }
        if minor != 0 {
            write!(f, ".{minor:0width$}", width = self.currency.exponent() as usize)?;
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn usd(minor: i64) -> Money {
        Money::new(Currency::parse("usd", Field::Currency).unwrap(), minor, Field::Currency).unwrap()
    }

    #[test]
    fn prints_as_a_person_reads_a_price() {
        assert_eq!(usd(1500).to_string(), "$15");
        assert_eq!(usd(125_050).to_string(), "$1,250.50");
        assert_eq!(usd(3_000_000).to_string(), "$30,000");
        let chf = Money::new(Currency::parse("CHF", Field::Currency).unwrap(), 8000, Field::Currency).unwrap();
        assert_eq!(chf.to_string(), "CHF 80");
        let yen = Money::new(Currency::parse("JPY", Field::Currency).unwrap(), 1200, Field::Currency).unwrap();
        assert_eq!(yen.to_string(), "¥1,200");
    }

    #[test]
    fn refuses_negative_and_absurd_amounts() {
        let currency = Currency::parse("EUR", Field::Currency).unwrap();
        assert!(Money::new(currency, -1, Field::Currency).is_err());
        assert!(Money::new(currency, MAX_MINOR_UNITS + 1, Field::Currency).is_err());
    }

    #[test]
    fn deserialising_rechecks_the_amount() {
        assert!(serde_json::from_str::<Money>(r#"{"currency":"USD","minor_units":-5}"#).is_err());
        assert_eq!(serde_json::from_str::<Money>(r#"{"currency":"usd","minor_units":5}"#).unwrap(), usd(5));
    }

    #[test]
    fn typed_amounts_are_read_in_minor_units() {
        assert_eq!(typed_minor_units("25", 2), Some(2500));
        assert_eq!(typed_minor_units(" 25.5 ", 2), Some(2550));
        assert_eq!(typed_minor_units("25,50", 2), Some(2550));
        assert_eq!(typed_minor_units("1200", 0), Some(1200));
        assert_eq!(typed_minor_units("1.005", 3), Some(1005));
        for bad in ["", "abc", "25.505", "-3", "+3", "2.5.1", ".5", "1e3", "99999999999999999999"] {
            assert_eq!(typed_minor_units(bad, 2), None, "{bad}");
        }
        assert_eq!(typed_minor_units("1200.5", 0), None);
    }

    #[test]
    fn amounts_are_written_back_as_typed() {
        assert_eq!(typed(2500, 2), "25");
        assert_eq!(typed(2550, 2), "25.5");
        assert_eq!(typed(1250, 2), "12.5");
        assert_eq!(typed(5, 2), "0.05");
        assert_eq!(typed(1200, 0), "1200");
        for (minor, exponent) in [(123_456, 2), (7, 2), (1005, 3), (0, 2), (MAX_MINOR_UNITS, 2)] {
            assert_eq!(typed_minor_units(&typed(minor, exponent), exponent), Some(minor), "{minor}");
        }
    }

    #[test]
    fn currency_codes_are_three_letters() {
        assert_eq!(Currency::parse("", Field::Currency).unwrap_err().problem, Problem::Missing);
        assert!(Currency::parse("US", Field::Currency).is_err());
        assert!(Currency::parse("U$D", Field::Currency).is_err());
        assert_eq!(serde_json::to_string(&usd(1)).unwrap(), r#"{"currency":"USD","minor_units":1}"#);
    }
}
