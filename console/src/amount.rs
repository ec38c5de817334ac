//! Numbers as a rep types them: amounts of money and percentages.

/// `raw` ("25", "25.50", "25,50") in the minor units of a currency with
/// `exponent` decimals; `None` if it is not an amount. With `exponent` 2 it
/// also reads a percentage as basis points ("12.5" is 1250).
pub fn minor_units(raw: &str, exponent: u32) -> Option<i64> {
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

/// `minor` minor units written back as the rep would type them ("25", "25.5").
pub fn major(minor: i64, exponent: u32) -> String {
    let scale = 10_i64.pow(exponent);
    let (whole, fraction) = (minor / scale, minor % scale);
    if fraction == 0 {
        return whole.to_string();
    }
    let fraction = format!("{fraction:0width$}", width = exponent as usize);
    format!("{whole}.{}", fraction.trim_end_matches('0'))
}

#[cfg(test)]
mod tests {
    use super::{major, minor_units};

    #[test]
    fn amounts_are_read_in_minor_units() {
        assert_eq!(minor_units("25", 2), Some(2500));
        assert_eq!(minor_units("25.5", 2), Some(2550));
        assert_eq!(minor_units("25,50", 2), Some(2550));
        assert_eq!(minor_units("1200", 0), Some(1200));
        for bad in ["", "abc", "25.505", "-3", "2.5.1"] {
            assert_eq!(minor_units(bad, 2), None, "{bad}");
        }
        assert_eq!(minor_units("1200.5", 0), None);
    }

    #[test]
    fn amounts_are_written_back_as_typed() {
        assert_eq!(major(2500, 2), "25");
        assert_eq!(major(2550, 2), "25.5");
        assert_eq!(major(1250, 2), "12.5");
        assert_eq!(major(1200, 0), "1200");
        assert_eq!(minor_units(&major(123_456, 2), 2), Some(123_456));
    }
}
