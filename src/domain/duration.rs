//! Human durations as runbooks write them: `500ms`, `10s`, `5m`, `1h`, and
//! compound forms like `1h30m`. Kept as a std `Duration` inside.

use std::fmt;
use std::time::Duration;

#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Default)]
pub struct Dur(pub Duration);

impl Dur {
    pub fn from_secs(s: u64) -> Self {
        Dur(Duration::from_secs(s))
    }
    pub fn from_millis(ms: u64) -> Self {
        Dur(Duration::from_millis(ms))
    }
    pub fn as_duration(self) -> Duration {
        self.0
    }
    pub fn as_millis(self) -> u64 {
        self.0.as_millis() as u64
    }
    pub fn to_chrono(self) -> chrono::Duration {
        chrono::Duration::milliseconds(self.as_millis() as i64)
    }
}

/// Parses `500ms`, `10s`, `5m`, `1h`, `2d` and concatenations (`1h30m`).
/// The error says what was expected, so `check` can show it as is.
pub fn parse_duration(text: &str) -> Result<Dur, String> {
    let t = text.trim();
    if t.is_empty() {
        return Err("empty duration: write a number and a unit, like \"500ms\", \"10s\", \"5m\" or \"1h\"".into());
    }
    let mut total: u128 = 0;
    let bytes = t.as_bytes();
    let mut i = 0;
    while i < bytes.len() {
        let start = i;
        while i < bytes.len() && bytes[i].is_ascii_digit() {
            i += 1;
        }
        if start == i {
            return Err(format!(
                "bad duration \"{t}\": expected a number before each unit (like \"500ms\", \"10s\", \"5m\", \"1h\")"
            ));
        }
        let n: u128 = t[start..i].parse().map_err(|_| format!("bad duration \"{t}\": number too large"))?;
        let ustart = i;
        while i < bytes.len() && bytes[i].is_ascii_alphabetic() {
            i += 1;
        }
        let unit_ms: u128 = match &t[ustart..i] {
            "ms" => 1,
            "s" => 1_000,
            "m" => 60_000,
            "h" => 3_600_000,
            "d" => 86_400_000,
            "" => return Err(format!("bad duration \"{t}\": missing unit after {n} (use ms, s, m, h or d)")),
            u => return Err(format!("bad duration \"{t}\": unknown unit \"{u}\" (use ms, s, m, h or d)")),
        };
        total = total
            .checked_add(n.checked_mul(unit_ms).ok_or_else(|| format!("bad duration \"{t}\": too large"))?)
            .ok_or_else(|| format!("bad duration \"{t}\": too large"))?;
    }
    if total > u64::MAX as u128 / 2 {
        return Err(format!("bad duration \"{t}\": too large"));
    }
    Ok(Dur(Duration::from_millis(total as u64)))
}

impl fmt::Display for Dur {
    /// Shortest exact form: `1h30m`, `45s`, `250ms`.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let mut ms = self.as_millis();
        if ms == 0 {
            return write!(f, "0s");
        }
        for (unit, size) in [("d", 86_400_000u64), ("h", 3_600_000), ("m", 60_000), ("s", 1_000), ("ms", 1)] {
            if ms >= size {
                write!(f, "{}{}", ms / size, unit)?;
                ms %= size;
            }
        }
        Ok(())
    }
}

/// `mm:ss` or `h:mm:ss` for countdowns and elapsed times on screen.
pub fn clock_format(d: chrono::Duration) -> String {
    let neg = d < chrono::Duration::zero();
    let s = d.num_seconds().unsigned_abs();
    let body = if s >= 3600 {
        format!("{}:{:02}:{:02}", s / 3600, (s / 60) % 60, s % 60)
    } else {
        format!("{:02}:{:02}", s / 60, s % 60)
    };
    if neg {
        format!("-{body}")
    } else {
        body
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_units() {
        assert_eq!(parse_duration("500ms").unwrap(), Dur::from_millis(500));
        assert_eq!(parse_duration("10s").unwrap(), Dur::from_secs(10));
        assert_eq!(parse_duration("5m").unwrap(), Dur::from_secs(300));
        assert_eq!(parse_duration("1h").unwrap(), Dur::from_secs(3600));
        assert_eq!(parse_duration("1h30m").unwrap(), Dur::from_secs(5400));
    }

    #[test]
    fn rejects_bad() {
        for bad in ["", "10", "ms", "5 minutes", "1.5h", "-3s", "10x", "99999999999999999999999h"] {
            assert!(parse_duration(bad).is_err(), "{bad} should fail");
        }
    }

    #[test]
    fn displays_round_trip() {
        for t in ["500ms", "10s", "5m", "1h", "1h30m", "2d"] {
            assert_eq!(parse_duration(t).unwrap().to_string(), t);
        }
    }

    #[test]
    fn clock() {
        assert_eq!(clock_format(chrono::Duration::seconds(75)), "01:15");
        assert_eq!(clock_format(chrono::Duration::seconds(3725)), "1:02:05");
        assert_eq!(clock_format(chrono::Duration::seconds(-5)), "-00:05");
    }
}
