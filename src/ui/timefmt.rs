//! Times and durations as the panes print them.

use chrono::{DateTime, Utc};

pub fn hms(t: DateTime<Utc>) -> String {
    t.format("%H:%M:%S").to_string()
}

pub fn hm(t: DateTime<Utc>) -> String {
    t.format("%H:%M").to_string()
}

/// `850ms`, `12s`, `3m05s`, `1h02m` (`domain::labels::duration`).
pub fn ms(ms: u64) -> String {
    crate::domain::labels::duration(ms)
}

/// A countdown `mm:ss` (or `h:mm:ss`); negative shows as `-mm:ss` (overdue).
pub fn countdown(secs: i64) -> String {
    let sign = if secs < 0 { "-" } else { "" };
    let s = secs.unsigned_abs();
    if s >= 3600 {
        format!("{sign}{}:{:02}:{:02}", s / 3600, (s % 3600) / 60, s % 60)
    } else {
        format!("{sign}{:02}:{:02}", s / 60, s % 60)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn formats() {
        assert_eq!(ms(850), "850ms");
        assert_eq!(ms(12_400), "12s");
        assert_eq!(ms(185_000), "3m05s");
        assert_eq!(ms(3_720_000), "1h02m");
        assert_eq!(countdown(65), "01:05");
        assert_eq!(countdown(-5), "-00:05");
        assert_eq!(countdown(3700), "1:01:40");
    }
}
