//! `warroom verify JOURNAL [--allowed-signers FILE]`: checks the hash chain
//! and sequence, and with an allowed-signers file every record's SSH
//! signature. Exit 0 intact, 1 tampered, damaged or badly signed (prints
//! `JOURNAL:LINE: reason`), 2 unreadable. A torn last line (no line end) is a crash artefact, not
//! tampering: it is reported on stderr and the exit code stays 0.

use std::path::Path;

use super::common::{bad_input, EXIT_FAIL, EXIT_OK};
use crate::domain::record::format_ts;
use crate::domain::report::text::printable;
use crate::domain::signature::AllowedSigners;
use crate::sources::journal::{first_bad_signature, verify_file};

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
    if journal.is_dir() {
        return bad_input(format!(
            "{} is a folder, not a journal file; pass the journal.jsonl inside it.",
            journal.display()
        ));
    }
    let signers = match allowed_signers.map(read_allowed_signers).transpose() {
        Ok(s) => s,
        Err(e) => return bad_input(e),
    };
    let v = match verify_file(journal) {
        Ok(v) => v,
        Err(e) => return bad_input(e),
    };
    let name = journal.display();
    if let Some((line, why)) = &v.bad {
        outln!("{name}:{line}: {}", printable(why));
        errln!(
            "warroom: journal {name} is NOT intact: line {line} is the first bad line ({} good records before it). \
             Keep the file as evidence; a console opens it read-only up to line {}.",
            v.records,
            line.saturating_sub(1)
        );
        return EXIT_FAIL;
    }
    if let Some(signers) = &signers {
        match first_bad_signature(journal, signers) {
            Ok(None) => {}
            Ok(Some((line, why))) => {
                outln!("{name}:{line}: {}", printable(&why));
                errln!(
                    "warroom: journal {name}: line {line} is the first record whose signature does not check out \
                     against the allowed signers; the chain itself is intact up to line {}.",
                    v.records
                );
                return EXIT_FAIL;
            }
            Err(e) => return bad_input(e),
        }
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
            if signers.is_some() { ", every record signed by an allowed key" } else { "" },
            v.records,
            v.records,
            format_ts(&a),
            format_ts(&b)
        ),
        _ => outln!("{name}: intact — empty journal (0 records)"),
    }
    EXIT_OK
}
