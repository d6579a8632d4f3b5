//! `[runbook] t0` and `[[phase]] at`: the clock of a go-live that lasts days
//! (docs/runbook-format.md, "Days-long phases").

use chrono::{DateTime, NaiveDateTime, TimeZone, Utc};

use super::reader::{Ctx, Table};
use crate::domain::duration::parse_duration;

/// `[runbook] t0 = "2026-02-12T06:00"`, local time in the runbook's zone (UTC without one).
pub(super) fn t0(ctx: &mut Ctx, t: &Table, tz: Option<chrono_tz::Tz>) -> Option<DateTime<Utc>> {
    let s = t.str(ctx, "t0")?;
    match parse_local_time(s.get_ref(), tz) {
        Ok(t0) => Some(t0),
        Err(e) => {
            ctx.error(&s.span(), format!("t0 in [runbook]: {e}"));
            None
        }
    }
}

/// `2026-02-12T06:00` (or with seconds, or a space for `T`) in `tz`, or a
/// full RFC 3339 time with its own offset.
pub fn parse_local_time(s: &str, tz: Option<chrono_tz::Tz>) -> Result<DateTime<Utc>, String> {
    if let Ok(t) = DateTime::parse_from_rfc3339(s) {
        return Ok(t.with_timezone(&Utc));
    }
    let naive = ["%Y-%m-%dT%H:%M", "%Y-%m-%dT%H:%M:%S", "%Y-%m-%d %H:%M", "%Y-%m-%d %H:%M:%S"]
        .iter()
        .find_map(|f| NaiveDateTime::parse_from_str(s, f).ok())
        .ok_or_else(|| {
            format!(
                "\"{}\" is not a time: write it like \"2026-02-12T06:00\" (in the runbook's timezone)",
                s.escape_debug()
            )
        })?;
    let local = match tz {
        Some(tz) => tz.from_local_datetime(&naive).earliest().map(|t| t.with_timezone(&Utc)),
        None => Some(Utc.from_utc_datetime(&naive)),
    };
    local.ok_or_else(|| {
        format!("\"{s}\" does not exist in the runbook's timezone (a daylight-saving gap): pick another minute")
    })
}

/// `[[phase]] at = "T-7d"` / `"T+1d"` / `"T-0"`.
pub(super) fn phase_at(ctx: &mut Ctx, t: &Table) -> Option<chrono::Duration> {
    let s = t.str(ctx, "at")?;
    match parse_offset(s.get_ref()) {
        Ok(d) => Some(d),
        Err(e) => {
            ctx.error(&s.span(), format!("at in {}: {e}", t.what));
            None
        }
    }
}

/// `T-7d`, `T+1d`, `T+2h30m`, `T-0`: a signed offset from T-0.
pub fn parse_offset(s: &str) -> Result<chrono::Duration, String> {
    let bad =
        || format!("\"{}\" is not an offset from T-0: write it like \"T-7d\", \"T-0\" or \"T+1d\"", s.escape_debug());
    let rest = s.trim().strip_prefix('T').ok_or_else(bad)?;
    let (sign, amount) = match rest.chars().next() {
        Some('-') => (-1, &rest[1..]),
        Some('+') => (1, &rest[1..]),
        _ => return Err(bad()),
    };
    if amount == "0" {
        return Ok(chrono::Duration::zero());
    }
    let d = parse_duration(amount).map_err(|_| bad())?;
    Ok(d.to_chrono() * sign)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn offsets_from_t0() {
        assert_eq!(parse_offset("T-7d").unwrap(), chrono::Duration::days(-7));
        assert_eq!(parse_offset("T+1d").unwrap(), chrono::Duration::days(1));
        assert_eq!(parse_offset("T-0").unwrap(), chrono::Duration::zero());
        assert_eq!(parse_offset("T+2h30m").unwrap(), chrono::Duration::minutes(150));
        assert!(parse_offset("7d").is_err() && parse_offset("T7d").is_err() && parse_offset("T-x").is_err());
    }

    #[test]
    fn t0_is_read_in_the_runbook_timezone() {
        let t = parse_local_time("2026-02-12T06:00", Some(chrono_tz::Europe::Madrid)).unwrap();
        assert_eq!(t.to_rfc3339(), "2026-02-12T05:00:00+00:00");
        let t = parse_local_time("2026-02-12T06:00", None).unwrap();
        assert_eq!(t.to_rfc3339(), "2026-02-12T06:00:00+00:00");
        assert!(parse_local_time("tomorrow", None).unwrap_err().contains("2026-02-12T06:00"));
    }
}
