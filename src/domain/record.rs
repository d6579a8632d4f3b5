//! One journal line (docs/journal.md) and its hash chain.
//!
//! The hash is SHA-256 over `prev` and the other fields in a fixed canonical
//! order; see `canonical_bytes` and `docs/journal.md`, which documents the
//! form so that other tools can verify a journal.

use chrono::{DateTime, SecondsFormat, Utc};
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};

use super::event::EventKind;
use super::identity::Actor;

/// `prev` of the first record.
pub const GENESIS: &str = "0000000000000000000000000000000000000000000000000000000000000000";

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Record {
    pub seq: u64,
    /// Always whole milliseconds, written as `2026-02-12T06:14:03.512Z`.
    #[serde(with = "ts_millis")]
    pub ts: DateTime<Utc>,
    pub operator: String,
    /// The Unix account that wrote the record (hashed when present; absent in
    /// journals written before warroom recorded it).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub user: Option<String>,
    /// Fingerprint (`SHA256:…`) of the SSH key that signed the record (hashed when present).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub key: Option<String>,
    pub kind: String,
    pub data: serde_json::Value,
    pub prev: String,
    pub hash: String,
    /// SSHSIG signature (armored, as `ssh-keygen -Y sign` writes it) over the
    /// `hash` text, namespace `warroom`. Not hashed: it signs the hash.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub sig: Option<String>,
}

impl Record {
    /// The typed event, or `None` for a kind this version does not know.
    pub fn event(&self) -> Option<EventKind> {
        EventKind::from_parts(&self.kind, &self.data)
    }

    /// A new record chained after `prev_hash`. `ts` is cut to whole
    /// milliseconds, the precision the journal keeps, so that what is hashed
    /// is exactly what is written and read back.
    pub fn new(prev_hash: &str, seq: u64, ts: DateTime<Utc>, operator: &str, ev: &EventKind) -> Record {
        Record::new_by(prev_hash, seq, ts, &Actor::named(operator), ev)
    }

    /// Like `new`, stamped with the whole identity of who made it (the
    /// signature, which covers the hash, is added afterwards).
    pub fn new_by(prev_hash: &str, seq: u64, ts: DateTime<Utc>, actor: &Actor, ev: &EventKind) -> Record {
        let ts = truncate_to_millis(ts);
        let (kind, data) = ev.to_parts();
        let mut r = Record {
            seq,
            ts,
            operator: actor.operator.clone(),
            user: actor.user.clone(),
            key: actor.key.clone(),
            kind,
            data,
            prev: prev_hash.to_string(),
            hash: String::new(),
            sig: None,
        };
        r.hash = r.expected_hash();
        r
    }

    /// Who made it: operator name, Unix user, signing key.
    pub fn actor(&self) -> Actor {
        Actor { operator: self.operator.clone(), user: self.user.clone(), key: self.key.clone() }
    }

    /// One JSON line, without the trailing `\n`.
    pub fn to_line(&self) -> String {
        // Serializing plain strings, numbers and a Value cannot fail.
        serde_json::to_string(self).unwrap_or_default()
    }

    /// The hash this record should carry, from its fields.
    pub fn expected_hash(&self) -> String {
        hex::encode(Sha256::digest(canonical_bytes(self)))
    }
}

/// Drops sub-millisecond precision (the journal keeps milliseconds).
pub fn truncate_to_millis(ts: DateTime<Utc>) -> DateTime<Utc> {
    let ms = ts.timestamp_millis();
    DateTime::from_timestamp_millis(ms).unwrap_or(ts)
}

/// `2026-02-12T06:14:03.512Z`: RFC 3339, UTC, exactly three fraction digits.
pub fn format_ts(ts: &DateTime<Utc>) -> String {
    ts.to_rfc3339_opts(SecondsFormat::Millis, true)
}

/// `format_ts` without the allocation (it runs for every record on replay).
fn write_ts(ts: &DateTime<Utc>, out: &mut Vec<u8>) {
    use chrono::{Datelike, Timelike};
    use std::io::Write;
    let (year, nanos) = (ts.year(), ts.nanosecond());
    // Years of more than four digits and leap seconds take chrono's own path.
    if !(0..=9999).contains(&year) || nanos >= 1_000_000_000 {
        out.extend_from_slice(format_ts(ts).as_bytes());
        return;
    }
    let _ = write!(
        out,
        "{year:04}-{:02}-{:02}T{:02}:{:02}:{:02}.{:03}Z",
        ts.month(),
        ts.day(),
        ts.hour(),
        ts.minute(),
        ts.second(),
        nanos / 1_000_000
    );
}

/// The bytes the hash is taken over (every field but `hash` and `sig`):
/// `prev \n seq \n ts \n operator \n kind \n canonical-json(data)`, then
/// `\n user=USER` and `\n key=FINGERPRINT` for each that is present (so a
/// journal written before they existed hashes as it always did).
pub fn canonical_bytes(r: &Record) -> Vec<u8> {
    let mut out = Vec::with_capacity(256);
    write_canonical(r, &mut out);
    out
}

fn write_canonical(r: &Record, out: &mut Vec<u8>) {
    use std::io::Write;
    out.extend_from_slice(r.prev.as_bytes());
    // Writing into a Vec cannot fail.
    let _ = write!(out, "\n{}\n", r.seq);
    write_ts(&r.ts, out);
    out.push(b'\n');
    out.extend_from_slice(r.operator.as_bytes());
    out.push(b'\n');
    out.extend_from_slice(r.kind.as_bytes());
    out.push(b'\n');
    write_canonical_json(&r.data, out);
    // The JSON above never holds a raw newline, so these cannot be confused with it.
    for (name, value) in [("user", &r.user), ("key", &r.key)] {
        if let Some(v) = value {
            out.push(b'\n');
            out.extend_from_slice(name.as_bytes());
            out.push(b'=');
            out.extend_from_slice(v.as_bytes());
        }
    }
}

/// Whether `r.hash` is the SHA-256 of its canonical bytes. Replaying a long
/// journal checks every line, so this reuses one buffer per thread and
/// compares hex in place rather than allocating for each record.
pub fn hash_matches(r: &Record) -> bool {
    thread_local! {
        static BUF: std::cell::RefCell<Vec<u8>> = std::cell::RefCell::new(Vec::with_capacity(1024));
    }
    BUF.with(|buf| {
        let mut buf = buf.borrow_mut();
        buf.clear();
        write_canonical(r, &mut buf);
        let digest = Sha256::digest(&buf[..]);
        let mut hex = [0u8; 64];
        hex::encode_to_slice(digest, &mut hex).is_ok() && hex[..] == *r.hash.as_bytes()
    })
}

/// Compact JSON with object keys sorted by their UTF-8 bytes at every level.
/// Written by hand (a few lines) rather than relying on serde_json's map
/// order: a dependency turning on serde_json's `preserve_order` feature
/// would otherwise silently change every hash.
pub fn write_canonical_json(v: &serde_json::Value, out: &mut Vec<u8>) {
    use serde_json::Value;
    match v {
        // serde_json's own compact form of a scalar; writing into a Vec cannot fail.
        Value::Null | Value::Bool(_) | Value::Number(_) | Value::String(_) => {
            let _ = serde_json::to_writer(&mut *out, v);
        }
        Value::Array(items) => {
            out.push(b'[');
            for (i, item) in items.iter().enumerate() {
                if i > 0 {
                    out.push(b',');
                }
                write_canonical_json(item, out);
            }
            out.push(b']');
        }
        Value::Object(map) => {
            out.push(b'{');
            let write_entry = |i: usize, k: &String, v: &Value, out: &mut Vec<u8>| {
                if i > 0 {
                    out.push(b',');
                }
                let _ = serde_json::to_writer(&mut *out, k);
                out.push(b':');
                write_canonical_json(v, out);
            };
            // The default map is already sorted (no allocation then); sort only if not.
            if map.keys().is_sorted() {
                for (i, (k, v)) in map.iter().enumerate() {
                    write_entry(i, k, v, out);
                }
            } else {
                let mut keys: Vec<&String> = map.keys().collect();
                keys.sort();
                for (i, k) in keys.into_iter().enumerate() {
                    write_entry(i, k, &map[k], out);
                }
            }
            out.push(b'}');
        }
    }
}

/// Parses one journal line (without its `\n`) and checks its shape: the
/// fields are present with the right types, `ts` is in the canonical form,
/// `prev`/`hash` are 64 lowercase hex digits, and `operator`/`kind` hold no
/// newline (which would make the canonical form ambiguous), and the line is
/// byte for byte the writer's serialisation of those fields
/// (`canonical_line`). It does not check the hash; `verify_chain` does.
pub fn parse_line(line: &str) -> Result<Record, String> {
    let r: Record = serde_json::from_str(line).map_err(|e| format!("not a journal record: {e}"))?;
    if r.seq == 0 {
        return Err("seq must start at 1".into());
    }
    if !is_hex64(&r.prev) {
        return Err("`prev` is not 64 lowercase hex digits".into());
    }
    if !is_hex64(&r.hash) {
        return Err("`hash` is not 64 lowercase hex digits".into());
    }
    if r.operator.contains('\n') || r.kind.contains('\n') {
        return Err("`operator` and `kind` must not contain a newline".into());
    }
    if [&r.user, &r.key].into_iter().flatten().any(|v| v.contains('\n')) {
        return Err("`user` and `key` must not contain a newline".into());
    }
    if r.kind.is_empty() {
        return Err("`kind` is empty".into());
    }
    // The hash covers the fields only: the bytes around them are checked here.
    super::canonical_line::check_canonical(line, &r)?;
    Ok(r)
}

fn is_hex64(s: &str) -> bool {
    s.len() == 64 && s.bytes().all(|b| b.is_ascii_digit() || (b'a'..=b'f').contains(&b))
}

/// Checks one record against the one before it (`None` for the first line):
/// `seq` follows on, `prev` links, `hash` matches.
pub fn check_link(prev: Option<(u64, &str)>, r: &Record) -> Result<(), String> {
    check_sequence(prev, r)?;
    check_hash(r)
}

/// The chain part of `check_link`: `seq` follows on and `prev` links.
pub fn check_sequence(prev: Option<(u64, &str)>, r: &Record) -> Result<(), String> {
    let (want_seq, want_prev) = match prev {
        None => (1, GENESIS),
        Some((seq, hash)) => (seq + 1, hash),
    };
    if r.seq != want_seq {
        return Err(format!("seq {} where {} was expected (a record is missing, repeated or moved)", r.seq, want_seq));
    }
    if r.prev != want_prev {
        return Err(format!("`prev` does not match the hash of the record before (seq {})", want_seq - 1));
    }
    Ok(())
}

/// The record part of `check_link`: its hash matches its fields. Independent
/// of other lines, so a long journal can check hashes in parallel.
pub fn check_hash(r: &Record) -> Result<(), String> {
    if hash_matches(r) {
        Ok(())
    } else {
        Err(hash_mismatch(r))
    }
}

pub fn hash_mismatch(r: &Record) -> String {
    format!("hash mismatch: record seq {} was changed after it was written", r.seq)
}

/// Checks a whole journal, given its lines without `\n` (as `str::lines`
/// gives them): every line parses, `seq` runs 1, 2, 3… with no gaps, each
/// `prev` is the hash of the line before, and each hash matches its record.
/// Returns the number of records, or the 1-based number of the first bad line
/// and why it is bad.
pub fn verify_chain<'a>(lines: impl Iterator<Item = &'a str>) -> Result<u64, (usize, String)> {
    let mut last: Option<(u64, String)> = None;
    let mut count = 0u64;
    for (i, line) in lines.enumerate() {
        let n = i + 1;
        let r = parse_line(line).map_err(|e| (n, e))?;
        check_link(last.as_ref().map(|(s, h)| (*s, h.as_str())), &r).map_err(|e| (n, e))?;
        last = Some((r.seq, r.hash));
        count += 1;
    }
    Ok(count)
}

/// Serde for `ts`: written with exactly three fraction digits and `Z`; read
/// back only in that same form, so that a line cannot carry more precision
/// (or another offset) than the hash covers.
mod ts_millis {
    use chrono::{DateTime, Utc};
    use serde::{Deserializer, Serializer};

    pub fn serialize<S: Serializer>(ts: &DateTime<Utc>, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(&super::format_ts(ts))
    }

    pub fn deserialize<'de, D: Deserializer<'de>>(d: D) -> Result<DateTime<Utc>, D::Error> {
        d.deserialize_str(TsVisitor)
    }

    /// Borrows the text when it can (every record on replay passes here).
    struct TsVisitor;

    impl serde::de::Visitor<'_> for TsVisitor {
        type Value = DateTime<Utc>;

        fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
            f.write_str("a time like 2026-02-12T06:14:03.512Z")
        }

        fn visit_str<E: serde::de::Error>(self, text: &str) -> Result<DateTime<Utc>, E> {
            let ts = DateTime::parse_from_rfc3339(text)
                .map_err(|e| E::custom(format!("`ts` is not an RFC 3339 time ({e})")))?
                .with_timezone(&Utc);
            if !is_canonical(text) {
                return Err(E::custom(
                    "`ts` must be UTC with exactly three fraction digits, like 2026-02-12T06:14:03.512Z",
                ));
            }
            Ok(ts)
        }
    }

    /// Whether `text`, which parsed as a time, is exactly `format_ts` of it:
    /// for a text that parses, that is its shape, `YYYY-MM-DDTHH:MM:SS.mmmZ`
    /// (a leap second `:60` round-trips too). Checked by shape rather than by
    /// formatting again, to save an allocation per record.
    pub(super) fn is_canonical(text: &str) -> bool {
        let b = text.as_bytes();
        let shape = b"dddd-dd-ddTdd:dd:dd.dddZ";
        b.len() == shape.len() && b.iter().zip(shape).all(|(c, s)| if *s == b'd' { c.is_ascii_digit() } else { c == s })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::event::{MarkSource, Verdict};
    use chrono::TimeZone;

    fn ts() -> DateTime<Utc> {
        Utc.with_ymd_and_hms(2026, 2, 12, 6, 14, 3).unwrap() + chrono::Duration::microseconds(512_345)
    }

    fn mark(c: &str) -> EventKind {
        EventKind::CriterionMarked {
            criterion: c.into(),
            verdict: Verdict::Pass,
            note: Some("checked by hand".into()),
            source: MarkSource::Manual,
            cause: None,
        }
    }

    fn chain(n: u64) -> Vec<String> {
        let mut prev = GENESIS.to_string();
        (1..=n)
            .map(|seq| {
                let r = Record::new(&prev, seq, ts(), "ana@bastion", &mark(&format!("c{seq}")));
                prev = r.hash.clone();
                r.to_line()
            })
            .collect()
    }

    /// Record #1 of the documented example, before its hash is filled in.
    fn unhashed(ts: DateTime<Utc>, data: serde_json::Value) -> Record {
        let (operator, kind) = ("ana@bastion".into(), "criterion.marked".into());
        Record {
            seq: 1,
            ts,
            operator,
            user: None,
            key: None,
            kind,
            data,
            prev: GENESIS.into(),
            hash: String::new(),
            sig: None,
        }
    }

    #[test]
    fn canonical_form_is_as_documented() {
        let data = serde_json::json!({"verdict":"pass","criterion":"homepage-200","z":{"b":1,"a":[true,null]}});
        let t = truncate_to_millis(ts());
        let bytes = canonical_bytes(&unhashed(t, data));
        let want = format!(
            "{GENESIS}\n1\n2026-02-12T06:14:03.512Z\nana@bastion\ncriterion.marked\n\
             {{\"criterion\":\"homepage-200\",\"verdict\":\"pass\",\"z\":{{\"a\":[true,null],\"b\":1}}}}"
        );
        assert_eq!(String::from_utf8(bytes).unwrap(), want);
    }

    #[test]
    fn pinned_hash_of_the_documented_example() {
        let t = DateTime::parse_from_rfc3339("2026-02-12T06:14:03.512Z").unwrap().with_timezone(&Utc);
        let data =
            serde_json::json!({"criterion":"homepage-200","note":"checked by hand","source":"manual","verdict":"pass"});
        let h = unhashed(t, data).expected_hash();
        let text = format!(
            "{GENESIS}\n1\n2026-02-12T06:14:03.512Z\nana@bastion\ncriterion.marked\n\
             {{\"criterion\":\"homepage-200\",\"note\":\"checked by hand\",\"source\":\"manual\",\"verdict\":\"pass\"}}"
        );
        assert_eq!(h, hex::encode(Sha256::digest(text.as_bytes())));
        // The same figure docs/journal.md gives, computed there with python's hashlib.
        assert_eq!(h, "e1069c7fa199f6e2de0a1a8cce8a3388185b5736f22701c19084366c42353bcf");
    }

    #[test]
    fn line_round_trips_and_keeps_millis() {
        let r = Record::new(GENESIS, 1, ts(), "ana@bastion", &mark("homepage-200"));
        let line = r.to_line();
        assert!(!line.contains('\n'));
        assert!(line.contains("\"ts\":\"2026-02-12T06:14:03.512Z\""), "{line}");
        let back = parse_line(&line).unwrap();
        assert_eq!(back, r);
        assert_eq!(back.hash, back.expected_hash());
        assert_eq!(back.event(), Some(mark("homepage-200")));
    }

    #[test]
    fn ts_in_another_form_is_refused() {
        let r = Record::new(GENESIS, 1, ts(), "ana", &mark("a"));
        for bad in [
            "2026-02-12T06:14:03.512345Z",
            "2026-02-12T07:14:03.512+01:00",
            "2026-02-12T06:14:03Z",
            "2026-02-12t06:14:03.512z",
            "2026-02-12 06:14:03.512Z",
            "2026-02-12T06:14:03.512+00:00",
        ] {
            let line = r.to_line().replace("2026-02-12T06:14:03.512Z", bad);
            assert!(parse_line(&line).is_err(), "{bad} accepted");
        }
    }

    proptest::proptest! {
        /// The allocation-free writer and the shape check agree with chrono's
        /// formatting for any time, leap seconds and far years included.
        #[test]
        fn fast_ts_paths_agree_with_format_ts(ms in -70_000_000_000_000i64..300_000_000_000_000i64, leap in 0u32..2) {
            let base = DateTime::from_timestamp_millis(ms).unwrap();
            let ts = if leap == 1 {
                use chrono::Timelike;
                base.with_nanosecond(1_000_000_000 + (base.nanosecond() % 1_000_000_000)).unwrap_or(base)
            } else {
                base
            };
            let mut out = Vec::new();
            write_ts(&ts, &mut out);
            let formatted = format_ts(&ts);
            proptest::prop_assert_eq!(String::from_utf8(out).unwrap(), formatted.clone());
            let reparsed = DateTime::parse_from_rfc3339(&formatted).map(|t| t.with_timezone(&Utc));
            if let Ok(back) = reparsed {
                proptest::prop_assert_eq!(ts_millis::is_canonical(&formatted), format_ts(&back) == formatted);
            }
        }
    }

    #[test]
    fn intact_chain_verifies() {
        let lines = chain(20);
        assert_eq!(verify_chain(lines.iter().map(|s| s.as_str())), Ok(20));
        assert_eq!(verify_chain(std::iter::empty()), Ok(0));
    }

    #[test]
    fn any_edit_or_deletion_names_the_line() {
        let lines = chain(8);
        for i in 0..lines.len() {
            // Edit a field inside the data.
            let mut edited = lines.clone();
            edited[i] = edited[i].replace(&format!("\"c{}\"", i + 1), "\"zz\"");
            let (n, _) = verify_chain(edited.iter().map(|s| s.as_str())).unwrap_err();
            assert_eq!(n, i + 1, "edit of line {}", i + 1);
            // Change who did it.
            let mut who = lines.clone();
            who[i] = who[i].replace("ana@bastion", "eve@bastion");
            assert_eq!(verify_chain(who.iter().map(|s| s.as_str())).unwrap_err().0, i + 1);
            // Delete it: the next line (now at position i+1) is the first bad one.
            if i + 1 < lines.len() {
                let mut deleted = lines.clone();
                deleted.remove(i);
                assert_eq!(verify_chain(deleted.iter().map(|s| s.as_str())).unwrap_err().0, i + 1);
            }
        }
    }

    #[test]
    fn rehashed_edit_still_breaks_the_link() {
        let lines = chain(3);
        let mut r = parse_line(&lines[1]).unwrap();
        r.operator = "eve".into();
        r.hash = r.expected_hash();
        let forged = [lines[0].clone(), r.to_line(), lines[2].clone()];
        let (n, why) = verify_chain(forged.iter().map(|s| s.as_str())).unwrap_err();
        assert_eq!(n, 3, "{why}");
    }

    #[test]
    fn malformed_lines_are_errors_not_panics() {
        for bad in ["", "{", "null", "{\"seq\":1}", "[1,2]", "\u{0}\u{1}", "{\"seq\":-1,\"ts\":3}"] {
            assert!(parse_line(bad).is_err(), "{bad:?}");
        }
    }
}
