//! Records written late: an event a source produced while the journal refused
//! writes (disk full, database down) waits in the outbox and is written once
//! the journal takes writes again. Its record keeps the time it happened as
//! `ts` and carries, in its data, when it was really written
//! (docs/journal.md, "Written late"), so a reader can tell the two apart.

use chrono::{DateTime, Utc};

use super::record::{format_ts, truncate_to_millis, Record};

/// The data field that marks a record as written late.
pub const WRITTEN_AT: &str = "written_at";

/// Marks `rec` as written at `written_at` and hashes it again.
pub fn mark_written_late(rec: &mut Record, written_at: DateTime<Utc>) {
    if let serde_json::Value::Object(m) = &mut rec.data {
        m.insert(WRITTEN_AT.to_string(), serde_json::Value::String(format_ts(&truncate_to_millis(written_at))));
    }
    rec.hash = rec.expected_hash();
}

/// When `r` was really written, if it was written late (as written in the line).
pub fn written_late(r: &Record) -> Option<&str> {
    r.data.get(WRITTEN_AT).and_then(|v| v.as_str())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::event::{EventKind, ProbeHealth};
    use crate::domain::record::{parse_line, GENESIS};
    use chrono::TimeZone;

    #[test]
    fn a_late_record_keeps_its_time_reads_back_and_verifies() {
        let at = Utc.with_ymd_and_hms(2026, 2, 12, 6, 14, 3).unwrap();
        let ev = EventKind::ProbeChanged { probe: "api".into(), health: ProbeHealth::Down, cause: None };
        let mut r = Record::new(GENESIS, 1, at, "ana", &ev);
        mark_written_late(&mut r, at + chrono::Duration::seconds(90));
        let back = parse_line(&r.to_line()).unwrap();
        assert_eq!(back.ts, at);
        assert_eq!(written_late(&back), Some("2026-02-12T06:15:33.000Z"));
        assert_eq!(back.event(), Some(ev), "the event reads back as it was");
        assert_eq!(back.hash, back.expected_hash());
    }
}
