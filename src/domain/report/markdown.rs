//! The report as Markdown. Text from the journal is already printable; here
//! it is also escaped (`md`), so a note like `**[click](http://x)**`, `<img>`
//! or `| a | b |` shows literally instead of being read as markup (S4).

mod sections;

use super::text::fmt_when;
use super::{Report, Ts};

/// Backslash-escapes the characters Markdown (CommonMark, GFM tables and
/// inline HTML) could read as markup inside a line: emphasis, code, links and
/// images (`[`, so `](` and `![` are inert too), HTML tags and entities, table
/// cells, strikethrough. Line-start markup (`#`, `-`, `>`, `1.`) cannot occur:
/// journal text never starts a line here.
pub fn md(s: &str) -> String {
    let mut out = String::with_capacity(s.len() + 8);
    for c in s.chars() {
        if matches!(c, '\\' | '`' | '*' | '_' | '[' | ']' | '<' | '>' | '|' | '~' | '&') {
            out.push('\\');
        }
        out.push(c);
    }
    out
}

/// The text `md` escaped, as a person reads it on screen (the escapes only
/// matter to a Markdown renderer): `\[STATUS\]` shows as `[STATUS]`.
pub fn unescape(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    let mut chars = s.chars().peekable();
    while let Some(c) = chars.next() {
        let escaped =
            chars.peek().is_some_and(|n| matches!(n, '\\' | '`' | '*' | '_' | '[' | ']' | '<' | '>' | '|' | '~' | '&'));
        if c == '\\' && escaped {
            out.push(chars.next().unwrap_or('\\'));
        } else {
            out.push(c);
        }
    }
    out
}

/// Renders the whole report, section by section in the order a reader needs
/// them: what the record covers, what was decided, then the evidence.
pub fn render(r: &Report) -> String {
    const SECTIONS: [sections::Section; 13] = [
        sections::heading,
        sections::summary,
        sections::decision,
        sections::checklist,
        sections::phases,
        sections::probe_outages,
        sections::incidents,
        sections::escalation,
        sections::triggers,
        sections::rollbacks,
        sections::messages,
        sections::notes,
        sections::timeline,
    ];
    let clock = Clock(r.tz);
    let mut o = String::new();
    for section in SECTIONS {
        section(&mut o, r, &clock);
    }
    o
}

/// How the report shows a time: UTC, with the runbook's zone beside it when it has one.
struct Clock(Option<chrono_tz::Tz>);

impl Clock {
    /// Date and time (`2026-02-12 06:14:03 UTC (07:14:03 CET)`): where the session starts and ends, decisions.
    fn when(&self, t: &Ts) -> String {
        fmt_when(&t.0, self.0)
    }

    /// The time of day only (`06:14:03 (07:14:03 CET)`): everything within the session.
    fn short(&self, t: &Ts) -> String {
        match self.0 {
            Some(tz) => format!("{} ({})", t.0.format("%H:%M:%S"), t.0.with_timezone(&tz).format("%H:%M:%S %Z")),
            None => t.0.format("%H:%M:%S").to_string(),
        }
    }
}

/// Text shown as it is, line breaks and all, in a fenced code block indented
/// by `indent` (to sit inside a list item). The fence is longer than any run
/// of backticks in the text, so nothing in it can close the block early.
pub fn code_block(text: &str, info: &str, indent: &str) -> String {
    let longest = text.split(|c| c != '`').map(str::len).max().unwrap_or(0);
    let fence = "`".repeat(longest.max(2) + 1);
    let mut out = format!("{indent}{fence}{info}\n");
    for line in text.lines() {
        out.push_str(indent);
        out.push_str(line);
        out.push('\n');
    }
    out.push_str(&format!("{indent}{fence}\n"));
    out
}
