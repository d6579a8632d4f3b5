//! `warroom export JOURNAL > journal.jsonl`: a session as a file journal,
//! byte for byte what the file journal would hold, verified first. From a
//! postgres:// session or from a file (then it is a verified copy).
//! Exit 0, 1 when the session is damaged (nothing printed), 2 unreadable.

use std::io::Write;
use std::path::Path;

use super::common::{bad_input, EXIT_FAIL, EXIT_OK};
use crate::domain::report::text::printable;
use crate::domain::sanitize::clean;
use crate::sources::journal::postgres::{export_lines, is_database_url};
use crate::sources::journal::verify_file;

pub fn run(journal: &Path) -> i32 {
    let lines = if is_database_url(journal) {
        match export_lines(&journal.to_string_lossy()) {
            Ok(Ok(lines)) => lines,
            Ok(Err(check)) => {
                let (seq, why) = check.verified.bad.unwrap_or_default();
                errln!(
                    "warroom: not exported: {}:{seq}: {} — the session is damaged at record seq {seq}; run \
                     `warroom verify` on it and keep the database as evidence.",
                    check.shown,
                    printable(&why)
                );
                return EXIT_FAIL;
            }
            Err(e) => return bad_input(clean(&e.to_string())),
        }
    } else {
        match file_lines(journal) {
            Ok(l) => l,
            Err(code) => return code,
        }
    };
    let mut out = std::io::stdout().lock();
    let mut text = String::with_capacity(lines.iter().map(|l| l.len() + 1).sum());
    for l in &lines {
        text.push_str(l);
        text.push('\n');
    }
    match out.write_all(text.as_bytes()).and_then(|_| out.flush()) {
        Err(e) if e.kind() != std::io::ErrorKind::BrokenPipe => bad_input(format!("could not write the export: {e}")),
        _ => {
            errln!("warroom: exported {} records", lines.len());
            EXIT_OK
        }
    }
}

/// A file journal's complete, verified lines.
fn file_lines(journal: &Path) -> Result<Vec<String>, i32> {
    let v = verify_file(journal).map_err(|e| bad_input(clean(&e.to_string())))?;
    if let Some((line, why)) = &v.bad {
        errln!("warroom: not exported: {}:{line}: {}", journal.display(), printable(why));
        return Err(EXIT_FAIL);
    }
    let text = std::fs::read_to_string(journal).map_err(|e| bad_input(format!("{}: {e}", journal.display())))?;
    Ok(text.lines().take(v.records as usize).map(String::from).collect())
}
