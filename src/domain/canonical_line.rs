//! A journal line must be byte for byte what the writer produces for its
//! fields (docs/journal.md, "The line itself"). The hash covers the fields,
//! not the bytes around them: without this check an added field, a `\r`,
//! trailing spaces, other spacing or key order would all pass as intact.
//!
//! Generic on purpose: the parsed record is written again with the writer's
//! own serialiser (`Record` through serde_json) and the bytes compared, so a
//! field a later version adds to `Record` is covered without changes here.

use super::record::Record;

thread_local! {
    /// Replaying a long journal checks every line: one buffer per thread.
    static BUF: std::cell::RefCell<Vec<u8>> = std::cell::RefCell::new(Vec::with_capacity(1024));
}

/// `Ok` when `line` (without its `\n`) is exactly the canonical serialisation
/// of `r`, which was parsed from it; otherwise says what differs.
pub fn check_canonical(line: &str, r: &Record) -> Result<(), String> {
    let same = BUF.with(|buf| {
        let mut buf = buf.borrow_mut();
        buf.clear();
        // Serializing plain strings, numbers and a Value into a Vec cannot fail.
        serde_json::to_writer(&mut *buf, r).is_ok() && buf[..] == *line.as_bytes()
    });
    if same {
        Ok(())
    } else {
        Err(explain(line, &r.to_line()))
    }
}

/// Why `line` is not `canonical`, said for a person: the added field by name,
/// a carriage return or trailing space, or "written differently" with where.
fn explain(line: &str, canonical: &str) -> String {
    let what = if line.contains('\r') {
        "it holds a carriage return (\\r)".to_string()
    } else if line.len() > line.trim_end().len() {
        "it has spaces after the record".to_string()
    } else if let Some(extra) = unknown_fields(line, canonical) {
        format!("it has field(s) a record does not have: {extra}")
    } else {
        let at = line.bytes().zip(canonical.bytes()).take_while(|(a, b)| a == b).count() + 1;
        format!(
            "its fields are written differently from how warroom writes them (spacing, key order or escaping; \
             first difference at byte {at})"
        )
    };
    format!(
        "the line is not the canonical form of its fields — {what}; the hash does not cover this, so the line \
         was changed after it was written"
    )
}

/// Top-level keys of `line` that the canonical form does not have, quoted
/// and sanitised (they come from the file), or `None`.
fn unknown_fields(line: &str, canonical: &str) -> Option<String> {
    let keys = |s: &str| -> Vec<String> {
        serde_json::from_str::<serde_json::Map<String, serde_json::Value>>(s)
            .map(|m| m.keys().cloned().collect())
            .unwrap_or_default()
    };
    let known = keys(canonical);
    let extra: Vec<String> = keys(line)
        .into_iter()
        .filter(|k| !known.contains(k))
        .map(|k| format!("`{}`", super::sanitize::clean(&k)))
        .collect();
    (!extra.is_empty()).then(|| extra.join(", "))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::event::{EventKind, MarkSource, Verdict};
    use crate::domain::record::{parse_line, GENESIS};
    use chrono::{TimeZone, Utc};

    fn line() -> String {
        let ts = Utc.with_ymd_and_hms(2026, 2, 12, 6, 14, 3).unwrap();
        let ev = EventKind::CriterionMarked {
            criterion: "homepage-200".into(),
            verdict: Verdict::Pass,
            note: Some("déjà vu \u{1b}[1m".into()),
            source: MarkSource::Manual,
            cause: None,
        };
        Record::new(GENESIS, 1, ts, "ana@bastion", &ev).to_line()
    }

    fn refused(l: &str) -> String {
        assert_ne!(l, line(), "the edit changed nothing");
        parse_line(l).expect_err(l)
    }

    #[test]
    fn what_the_writer_writes_is_accepted() {
        let l = line();
        assert_eq!(check_canonical(&l, &parse_line(&l).unwrap()), Ok(()));
    }

    #[test]
    fn each_edit_that_keeps_the_fields_is_refused_and_said() {
        let l = line();
        assert!(refused(&l.replacen(",\"prev\":", ",\"extra\":\"x\",\"prev\":", 1)).contains("`extra`"));
        assert!(refused(&format!("{l}\r")).contains("carriage return"));
        assert!(refused(&format!("{l}  ")).contains("spaces after"));
        assert!(refused(&l.replacen("\"seq\":1", "\"seq\": 1", 1)).contains("written differently"));
        assert!(refused(&l.replacen("déjà", "d\\u00e9j\\u00e0", 1)).contains("written differently"));
        // Keys inside `data` out of order (the writer sorts them): move `verdict` first.
        let moved =
            l.replacen(",\"verdict\":\"pass\"", "", 1).replacen("\"data\":{", "\"data\":{\"verdict\":\"pass\",", 1);
        assert!(refused(&moved).contains("written differently"));
    }

    #[test]
    fn an_unknown_field_name_is_sanitised() {
        let l = line().replacen(",\"prev\":", ",\"\\u001b]0;x\\u0007\":1,\"prev\":", 1);
        let why = refused(&l);
        assert!(!why.contains('\u{1b}') && !why.contains('\u{7}'), "{why:?}");
    }
}
