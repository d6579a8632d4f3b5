//! `warroom import FILE JOURNAL`: copies a journal file into a new session
//! (a postgres:// URL, or another file). The file is verified first; an
//! empty target is required, so a session is never mixed with another.
//! Exit 0 imported, 1 refused (damaged file, target not empty), 2 bad input.

use std::path::Path;

use super::common::{bad_input, EXIT_FAIL, EXIT_OK};
use crate::domain::record::{parse_line, Record};
use crate::domain::report::text::printable;
use crate::domain::sanitize::clean;
use crate::sources::journal::postgres::{import_records, is_database_url, redact};
use crate::sources::journal::verify_file;

pub fn run(file: &Path, journal: &Path) -> i32 {
    if is_database_url(file) {
        return bad_input(format!(
            "{} is a database, not a file: to copy a session out of a database use `warroom export URL > FILE`.",
            redact(&file.to_string_lossy())
        ));
    }
    let v = match verify_file(file) {
        Ok(v) => v,
        Err(e) => return bad_input(clean(&e.to_string())),
    };
    if let Some((line, why)) = &v.bad {
        errln!(
            "warroom: not imported: {}:{line}: {} — only an intact journal is imported (`warroom verify` says more).",
            file.display(),
            printable(why)
        );
        return EXIT_FAIL;
    }
    if v.torn_tail_bytes.is_some() {
        errln!(
            "warroom: {}: the last line is incomplete (a write cut short by a crash, never acknowledged); it is left out.",
            file.display()
        );
    }
    let text = match std::fs::read_to_string(file) {
        Ok(t) => t,
        Err(e) => return bad_input(format!("{}: {e}", file.display())),
    };
    let lines: Vec<&str> = text.lines().take(v.records as usize).collect();
    if is_database_url(journal) {
        let records: Result<Vec<Record>, String> = lines.iter().map(|l| parse_line(l)).collect();
        let records = match records {
            Ok(r) => r,
            Err(e) => return bad_input(format!("{}: {e}", file.display())),
        };
        let shown = redact(&journal.to_string_lossy());
        match import_records(&journal.to_string_lossy(), records) {
            Ok(Ok(n)) => {
                outln!("imported {n} records from {} into {shown}", file.display());
                EXIT_OK
            }
            Ok(Err(why)) => {
                errln!("warroom: {}", clean(&why));
                EXIT_FAIL
            }
            Err(e) => bad_input(clean(&e.to_string())),
        }
    } else {
        into_file(file, journal, &lines)
    }
}

/// A verified copy into a journal file that does not exist yet (or is empty).
fn into_file(file: &Path, journal: &Path, lines: &[&str]) -> i32 {
    if std::fs::metadata(journal).is_ok_and(|m| m.len() > 0) {
        errln!(
            "warroom: not imported: {} already holds records; import only into a new, empty journal.",
            journal.display()
        );
        return EXIT_FAIL;
    }
    let mut text = String::new();
    for l in lines {
        text.push_str(l);
        text.push('\n');
    }
    if let Some(dir) = journal.parent().filter(|d| !d.as_os_str().is_empty()) {
        if let Err(e) = std::fs::create_dir_all(dir) {
            return bad_input(format!("{}: {e}", dir.display()));
        }
    }
    match std::fs::write(journal, text) {
        Ok(()) => {
            outln!("imported {} records from {} into {}", lines.len(), file.display(), journal.display());
            EXIT_OK
        }
        Err(e) => bad_input(format!("{}: {e}", journal.display())),
    }
}
