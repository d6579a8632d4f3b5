//! `warroom verify JOURNAL [--allowed-signers FILE]`: checks the hash chain
//! and sequence, and with an allowed-signers file every record's SSH
//! signature. Exit 0 intact, 1 tampered, damaged or badly signed (prints
//! `JOURNAL:LINE: reason`), 2 unreadable. A torn last line (no line end) is
//! a crash artefact, not tampering: it is reported on stderr and the exit
//! code stays 0.

use std::path::Path;

use super::common::{bad_input, EXIT_FAIL, EXIT_OK};
use crate::domain::record::format_ts;
use crate::domain::report::text::printable;
use crate::domain::signature::AllowedSigners;
use crate::sources::journal::postgres::{is_database_url, verify_session};
use crate::sources::journal::{first_bad_signature, first_bad_signature_in, verify_file, Verified};

/// Reads git's allowed-signers file; every bad line is named FILE:LINE.
fn read_allowed_signers(path: &Path) -> Result<AllowedSigners, String> {
    let text = std::fs::read_to_string(path)
        .map_err(|e| format!("cannot read the allowed-signers file {}: {e}; pass a readable file", path.display()))?;
    AllowedSigners::parse(&text).map_err(|errs| {
        errs.iter()
            .map(|(line, why)| format!("{}:{line}: {}", path.display(), printable(why)))
            .collect::<Vec<_>>()
            .join("\n")
    })
}

pub fn run(journal: &Path, allowed_signers: Option<&Path>, _c: &super::Common) -> i32 {
    let signers = match allowed_signers.map(read_allowed_signers).transpose() {
        Ok(s) => s,
        Err(e) => return bad_input(e),
    };
    if is_database_url(journal) {
        let check = match verify_session(&journal.to_string_lossy()) {
            Ok(check) => check,
            Err(e) => return bad_input(crate::domain::sanitize::clean(&e.to_string())),
        };
        if let (Some(signers), None) = (&signers, &check.verified.bad) {
            if let Some((seq, why)) = first_bad_signature_in(&check.records, signers) {
                return bad_signature(&check.shown, seq, &why, "record seq", check.verified.records);
            }
        }
        return report(&check.shown, &check.verified, "record seq", signers.is_some());
    }
    if journal.is_dir() {
        return bad_input(format!(
            "{} is a folder, not a journal file; pass the journal.jsonl inside it.",
            journal.display()
        ));
    }
    if let Some(why) = super::common::looks_like_a_runbook(journal) {
        return bad_input(why);
    }
    let v = match verify_file(journal) {
        Ok(v) => v,
        Err(e) => return bad_input(e),
    };
    let name = journal.display().to_string();
    if let (Some(signers), None) = (&signers, &v.bad) {
        match first_bad_signature(journal, signers) {
            Ok(None) => {}
            Ok(Some((line, why))) => return bad_signature(&name, line, &why, "line", v.records),
            Err(e) => return bad_input(e),
        }
    }
    report(&name, &v, "line", signers.is_some())
}

/// Prints the first record whose signature does not check out (exit 1).
fn bad_signature(name: &str, line: usize, why: &str, unit: &str, intact: u64) -> i32 {
    outln!("{name}:{line}: {}", printable(why));
    errln!(
        "warroom: journal {name}: {unit} {line} is the first record whose signature does not check out against the \
         allowed signers; the chain itself is intact up to {unit} {intact}."
    );
    EXIT_FAIL
}

/// Prints the verdict on a checked journal; `unit` names what a number counts
/// ("line" in a file, "record seq" in a database, where they are the same number).
fn report(name: &str, v: &Verified, unit: &str, signed: bool) -> i32 {
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
            "{name}: intact{} — {} records, seq 1..{}, {} to {}, last hash {h}",
            if signed { ", every record signed by an allowed key" } else { "" },
            v.records,
            v.records,
            format_ts(&a),
            format_ts(&b)
        ),
        _ => outln!("{name}: intact — empty journal (0 records)"),
    }
    EXIT_OK
}
