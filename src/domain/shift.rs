//! Shifts (`[[shift]]`, docs/runbook-format.md): which one is on duty at a
//! moment, when it started and ends, and which comes next. Times of day are in
//! the runbook's time zone (UTC without one); a shift whose `to` is not after
//! its `from` crosses midnight. Pure: `now` is passed in.

use chrono::{DateTime, Duration, NaiveDate, NaiveDateTime, TimeZone, Utc};

use super::runbook::{Runbook, Shift, TimeOfDay};

/// One occurrence of a shift.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct OnDuty {
    pub shift: Shift,
    pub start: DateTime<Utc>,
    pub end: DateTime<Utc>,
}

impl OnDuty {
    /// "Deploy (ana, bo)".
    pub fn label(&self) -> String {
        format!("{} ({})", self.shift.role, self.shift.who)
    }
}

fn local(tz: Option<chrono_tz::Tz>, date: NaiveDate, tod: TimeOfDay) -> Option<DateTime<Utc>> {
    let naive: NaiveDateTime = date.and_hms_opt(tod.hour, tod.minute, 0)?;
    let tz = tz.unwrap_or(chrono_tz::UTC);
    // A time skipped by a DST change starts at the first valid instant after it.
    let mut n = naive;
    for _ in 0..4 {
        if let Some(t) = tz.from_local_datetime(&n).earliest() {
            return Some(t.with_timezone(&Utc));
        }
        n += Duration::minutes(30);
    }
    None
}

/// Every occurrence of every shift starting on the local days around `now`.
fn occurrences(runbook: &Runbook, now: DateTime<Utc>) -> Vec<OnDuty> {
    let tz = runbook.timezone;
    let today = now.with_timezone(&tz.unwrap_or(chrono_tz::UTC)).date_naive();
    let mut out = Vec::new();
    for offset in -1..=1 {
        let Some(day) = today.checked_add_signed(Duration::days(offset)) else { continue };
        for s in &runbook.shifts {
            let next_day = day.succ_opt().unwrap_or(day);
            let end_day = if s.to <= s.from { next_day } else { day };
            if let (Some(start), Some(end)) = (local(tz, day, s.from), local(tz, end_day, s.to)) {
                out.push(OnDuty { shift: s.clone(), start, end });
            }
        }
    }
    out
}

/// The shift on duty at `now`: among those covering it, the one that started last.
pub fn current(runbook: &Runbook, now: DateTime<Utc>) -> Option<OnDuty> {
    occurrences(runbook, now).into_iter().filter(|o| o.start <= now && now < o.end).max_by_key(|o| o.start)
}

/// The next shift to start after `now`.
pub fn next(runbook: &Runbook, now: DateTime<Utc>) -> Option<OnDuty> {
    occurrences(runbook, now).into_iter().filter(|o| o.start > now).min_by_key(|o| o.start)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::fixtures::empty_runbook;
    use proptest::prelude::*;

    fn tod(h: u32, m: u32) -> TimeOfDay {
        TimeOfDay { hour: h, minute: m }
    }

    fn shift(from: TimeOfDay, to: TimeOfDay, role: &str) -> Shift {
        Shift { from, to, who: format!("{role}-people"), role: role.into() }
    }

    /// Seed 001's shifts: deploy 06–08, validation 08–10, monitoring 10–18, night 18–06 (CET).
    fn seed() -> Runbook {
        Runbook {
            timezone: Some(chrono_tz::Europe::Madrid),
            shifts: vec![
                shift(tod(6, 0), tod(8, 0), "Deploy"),
                shift(tod(8, 0), tod(10, 0), "Validation"),
                shift(tod(10, 0), tod(18, 0), "Monitoring"),
                shift(tod(18, 0), tod(6, 0), "Night on-call"),
            ],
            ..empty_runbook()
        }
    }

    fn utc(s: &str) -> DateTime<Utc> {
        DateTime::parse_from_rfc3339(s).unwrap().with_timezone(&Utc)
    }

    #[test]
    fn in_the_runbooks_time_zone() {
        let rb = seed();
        // 06:30 UTC is 07:30 CET: the deploy shift, ending 08:00 CET = 07:00 UTC.
        let c = current(&rb, utc("2026-02-12T06:30:00Z")).unwrap();
        assert_eq!(c.shift.role, "Deploy");
        assert_eq!(c.end, utc("2026-02-12T07:00:00Z"));
        assert_eq!(next(&rb, utc("2026-02-12T06:30:00Z")).unwrap().shift.role, "Validation");
    }

    #[test]
    fn the_night_shift_crosses_midnight() {
        let rb = seed();
        for at in ["2026-02-12T22:00:00Z", "2026-02-13T02:00:00Z"] {
            let c = current(&rb, utc(at)).unwrap();
            assert_eq!(c.shift.role, "Night on-call", "{at}");
            assert_eq!(c.end - c.start, Duration::hours(12));
        }
        let c = current(&rb, utc("2026-02-13T02:00:00Z")).unwrap();
        assert_eq!(c.start, utc("2026-02-12T17:00:00Z"));
        assert_eq!(next(&rb, utc("2026-02-13T02:00:00Z")).unwrap().shift.role, "Deploy");
    }

    #[test]
    fn nobody_on_duty_between_shifts() {
        let rb = Runbook { shifts: vec![shift(tod(9, 0), tod(17, 0), "Day")], ..empty_runbook() };
        assert!(current(&rb, utc("2026-02-12T18:00:00Z")).is_none());
        assert_eq!(next(&rb, utc("2026-02-12T18:00:00Z")).unwrap().start, utc("2026-02-13T09:00:00Z"));
        assert!(current(&empty_runbook(), utc("2026-02-12T18:00:00Z")).is_none());
    }

    proptest! {
        /// Shifts that cover the whole day always leave exactly one on duty, and
        /// it holds `now`; the next one starts when it ends.
        #[test]
        fn a_full_day_of_shifts_always_has_one_on_duty(secs in 0i64..(400 * 86_400)) {
            let rb = seed();
            let now = utc("2026-01-01T00:00:00Z") + Duration::seconds(secs);
            let c = current(&rb, now).expect("someone is on duty");
            prop_assert!(c.start <= now && now < c.end);
            let n = next(&rb, now).expect("a next shift");
            prop_assert_eq!(n.start, c.end);
        }
    }
}
