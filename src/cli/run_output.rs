//! The end of a run's output file, for the report: what a rollback printed is
//! what the ticket needs ("restoring database from …", "rollback complete" or
//! the error). Lines are cleaned by the one sanitiser, like the console shows them.

use std::io::{Read, Seek, SeekFrom};
use std::path::{Component, Path};

use crate::domain::report::OutputExcerpt;
use crate::domain::sanitize::clean;

/// Lines of output a report shows per run.
pub const EXCERPT_LINES: usize = 10;
/// Only the end of a larger file is read (then the count of earlier lines is a lower bound).
const READ_AT_MOST: u64 = 8 * 1024 * 1024;

/// The last `EXCERPT_LINES` lines of `output` (as the journal names it,
/// relative to the journal's folder). Names that would leave that folder
/// (absolute, `..`) are not followed: a journal line must not make a report
/// print any file on the machine.
pub fn excerpt(journal_dir: &Path, output: &str) -> OutputExcerpt {
    let rel = Path::new(output);
    if output.is_empty() || !rel.components().all(|c| matches!(c, Component::Normal(_))) {
        return unavailable(format!("not shown: {} is not a file in the session's folder", clean(output)));
    }
    let path = journal_dir.join(rel);
    match tail(&path) {
        Ok((text, cut)) => {
            let mut lines: Vec<&str> = text.lines().collect();
            // A cut at READ_AT_MOST lands mid-line: that partial line is dropped.
            if cut && !lines.is_empty() {
                lines.remove(0);
            }
            let keep = lines.len().saturating_sub(EXCERPT_LINES);
            OutputExcerpt {
                lines: lines[keep..].iter().map(|l| clean(l)).collect(),
                earlier_lines: keep as u64 + u64::from(cut),
                unavailable: None,
            }
        }
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
            unavailable(format!("the output file {} is gone", clean(output)))
        }
        Err(e) => unavailable(format!("the output file {} cannot be read: {e}", clean(output))),
    }
}

fn unavailable(why: String) -> OutputExcerpt {
    OutputExcerpt { unavailable: Some(why), ..OutputExcerpt::default() }
}

/// The file's last `READ_AT_MOST` bytes as text (invalid UTF-8 replaced), and
/// whether anything before them was left out.
fn tail(path: &Path) -> std::io::Result<(String, bool)> {
    let mut f = std::fs::File::open(path)?;
    let len = f.metadata()?.len();
    let cut = len > READ_AT_MOST;
    if cut {
        f.seek(SeekFrom::Start(len - READ_AT_MOST))?;
    }
    let mut bytes = Vec::new();
    f.take(READ_AT_MOST).read_to_end(&mut bytes)?;
    Ok((String::from_utf8_lossy(&bytes).into_owned(), cut))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn last_lines_cleaned_and_paths_outside_refused() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::create_dir(dir.path().join("runs")).unwrap();
        let text: String =
            (1..=14).map(|i| format!("line {i}\n")).collect::<String>() + "done \u{1b}[31mred\u{1b}[0m\n";
        std::fs::write(dir.path().join("runs/rollback-full-1.log"), text).unwrap();
        let x = excerpt(dir.path(), "runs/rollback-full-1.log");
        assert_eq!(x.lines.len(), EXCERPT_LINES);
        assert_eq!(x.earlier_lines, 5);
        assert_eq!(x.lines.last().map(String::as_str), Some("done red"));
        assert!(excerpt(dir.path(), "../etc/passwd").unavailable.is_some());
        assert!(excerpt(dir.path(), "/etc/passwd").unavailable.is_some());
        assert!(excerpt(dir.path(), "runs/missing.log").unavailable.unwrap().contains("gone"));
    }
}
