//! `warroom verify JOURNAL`: checks the hash chain and sequence.
//! Exit 0 intact, 1 tampered or damaged (prints `JOURNAL:LINE: reason`),
//! 2 unreadable. A torn last line (no line end) is a crash artefact, not
//! tampering: it is reported on stderr and the exit code stays 0.

use std::path::Path;

use super::common::{bad_input, EXIT_FAIL, EXIT_OK};
use crate::domain::record::format_ts;
use crate::domain::report::text::printable;
use crate::sources::journal::postgres::{is_database_url, verify_session};
use crate::sources::journal::{verify_file, Verified};

pub fn run(journal: &Path, _c: &super::Common) -> i32 {
    if is_database_url(journal) {
        return match verify_session(&journal.to_string_lossy()) {
            Ok(check) => report(&check.shown, &check.verified, "record seq"),
            Err(e) => bad_input(crate::domain::sanitize::clean(&e.to_string())),
        };
    }
    if journal.is_dir() {
        return bad_input(format!(
            "{} is a folder, not a journal file; pass the journal.jsonl inside it.",
            journal.display()
        ));
    }
    let v = match verify_file(journal) {
        Ok(v) => v,
        Err(e) => return bad_input(e),
    };
    report(&journal.display().to_string(), &v, "line")
}

/// Prints the verdict on a checked journal; `unit` names what a number counts
/// ("line" in a file, "record seq" in a database, where they are the same number).
fn report(name: &str, v: &Verified, unit: &str) -> i32 {
    if let Some((line, why)) = &v.bad {
        outln!("{name}:{line}: {}", printable(why));
        errln!(
            "warroom: journal {name} is NOT intact: {unit} {line} is the first bad one ({} good records before it). \
             Keep it as evidence; a console opens it read-only up to {unit} {}.",
            v.records,
            line.saturating_sub(1)
        );
        return EXIT_FAIL;
    }
    if let Some(bytes) = v.torn_tail_bytes {
        errln!(
            "warroom: {name}:{}: the last line is incomplete ({bytes} bytes, no line end) — a write cut short by a \
             crash, never acknowledged; the next console that writes moves it to the .torn file.",
            v.records + 1
        );
    }
    match (v.first_ts, v.last_ts, &v.last_hash) {
        (Some(a), Some(b), Some(h)) => outln!(
            "{name}: intact — {} records, seq 1..{}, {} to {}, last hash {h}",
            v.records,
            v.records,
            format_ts(&a),
            format_ts(&b)
        ),
        _ => outln!("{name}: intact — empty journal (0 records)"),
    }
    EXIT_OK
}
