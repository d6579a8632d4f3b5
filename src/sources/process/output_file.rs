//! The per-run output file beside the journal: one line per output line,
//! `<UTC timestamp> <out|err|---> <sanitised text>`, so the Steps pane can
//! show it with times and a report can quote it. `---` lines are the runner's
//! own notes (started, cut, cap reached, exited). Capped on disk.

use std::fs::File;
use std::io::{BufWriter, Write};
use std::path::Path;

use chrono::{DateTime, SecondsFormat, Utc};

/// Tag of the runner's own lines.
pub const NOTE_TAG: &str = "---";

pub struct OutputFile {
    w: BufWriter<File>,
    written: u64,
    cap: u64,
    capped: bool,
}

impl OutputFile {
    /// Creates (truncates) the file, and its folder if needed.
    pub fn create(path: &Path, cap: u64) -> std::io::Result<OutputFile> {
        if let Some(dir) = path.parent().filter(|d| !d.as_os_str().is_empty()) {
            std::fs::create_dir_all(dir)?;
        }
        let f = File::create(path)?;
        Ok(OutputFile { w: BufWriter::new(f), written: 0, cap, capped: false })
    }

    /// True once the cap was reached: later lines are not written.
    pub fn capped(&self) -> bool {
        self.capped
    }

    /// Writes one line (already sanitised). Returns false when it was dropped by the cap;
    /// the first dropped line writes a note saying so.
    pub fn line(&mut self, at: DateTime<Utc>, tag: &str, text: &str) -> bool {
        if self.capped {
            return false;
        }
        let rec = format_line(at, tag, text);
        if self.written + rec.len() as u64 > self.cap {
            self.capped = true;
            let note = format_line(
                at,
                NOTE_TAG,
                &format!("output cap of {} reached: further output is not saved", human_bytes(self.cap)),
            );
            let _ = self.w.write_all(note.as_bytes());
            let _ = self.w.flush();
            return false;
        }
        self.written += rec.len() as u64;
        let _ = self.w.write_all(rec.as_bytes());
        true
    }

    /// The runner's own note; written even past the cap (they are few and small).
    pub fn note(&mut self, at: DateTime<Utc>, text: &str) {
        let _ = self.w.write_all(format_line(at, NOTE_TAG, text).as_bytes());
    }

    pub fn flush(&mut self) {
        let _ = self.w.flush();
    }
}

fn format_line(at: DateTime<Utc>, tag: &str, text: &str) -> String {
    format!("{} {} {}\n", at.to_rfc3339_opts(SecondsFormat::Millis, true), tag, text)
}

/// One line of an output file, parsed back (for the viewer and reports).
#[derive(Clone, Debug, PartialEq)]
pub struct OutputLine {
    pub at: Option<DateTime<Utc>>,
    /// `out`, `err` or `---`.
    pub tag: String,
    pub text: String,
}

/// Parses one line of an output file; a line in another shape is kept whole as text.
pub fn parse_line(line: &str) -> OutputLine {
    let mut parts = line.splitn(3, ' ');
    let ts = parts.next().unwrap_or("");
    let tag = parts.next().unwrap_or("");
    let text = parts.next().unwrap_or("");
    match DateTime::parse_from_rfc3339(ts) {
        Ok(at) if matches!(tag, "out" | "err" | NOTE_TAG) => {
            OutputLine { at: Some(at.with_timezone(&Utc)), tag: tag.to_string(), text: text.to_string() }
        }
        _ => OutputLine { at: None, tag: String::new(), text: line.to_string() },
    }
}

pub fn human_bytes(n: u64) -> String {
    const KIB: u64 = 1024;
    const MIB: u64 = 1024 * 1024;
    if n >= MIB && n.is_multiple_of(MIB) {
        format!("{} MiB", n / MIB)
    } else if n >= KIB && n.is_multiple_of(KIB) {
        format!("{} KiB", n / KIB)
    } else {
        format!("{n} bytes")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn writes_parses_and_caps() {
        let dir = tempfile::tempdir().unwrap();
        let p = dir.path().join("sub/out.log");
        let mut f = OutputFile::create(&p, 80).unwrap();
        let at = DateTime::parse_from_rfc3339("2026-02-12T06:14:03.512Z").unwrap().with_timezone(&Utc);
        assert!(f.line(at, "out", "hello world"));
        assert!(!f.line(at, "err", &"x".repeat(100)));
        assert!(f.capped());
        f.note(at, "exited 0");
        f.flush();
        let text = std::fs::read_to_string(&p).unwrap();
        let lines: Vec<OutputLine> = text.lines().map(parse_line).collect();
        assert_eq!(lines[0], OutputLine { at: Some(at), tag: "out".into(), text: "hello world".into() });
        assert!(lines[1].text.starts_with("output cap of 80 bytes reached"));
        assert_eq!(lines[2].text, "exited 0");
        assert_eq!(parse_line("free text").text, "free text");
    }
}
