//! Everything a command prints goes through here, cleaned like the console's
//! text (docs/console.md, "Text from outside"): a runbook id, a journal line or
//! a probe body can hold escape sequences that would set the terminal's title
//! or clipboard, and `warroom check` prints ids and titles from the file.
//!
//! `outln!`/`errln!`/`out!` are `println!`/`eprintln!`/`print!` with each line
//! passed through `sanitize::clean` (line breaks kept). Cleaning is idempotent,
//! so text that was cleaned already comes out unchanged.

use std::io::Write;

use crate::domain::sanitize::clean;

/// `text` with each line cleaned, line breaks kept (a trailing one too).
pub fn cleaned(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for (i, line) in text.split('\n').enumerate() {
        if i > 0 {
            out.push('\n');
        }
        out.push_str(&clean(line));
    }
    out
}

pub fn out(text: &str) {
    let mut o = std::io::stdout().lock();
    let _ = o.write_all(cleaned(text).as_bytes()).and_then(|_| o.flush());
}

pub fn err(text: &str) {
    let mut e = std::io::stderr().lock();
    let _ = e.write_all(cleaned(text).as_bytes()).and_then(|_| e.flush());
}

/// `println!`, cleaned.
macro_rules! outln {
    () => { $crate::cli::output::out("\n") };
    ($($arg:tt)*) => { $crate::cli::output::out(&format!("{}\n", format_args!($($arg)*))) };
}

/// `print!`, cleaned.
macro_rules! out {
    ($($arg:tt)*) => { $crate::cli::output::out(&format!($($arg)*)) };
}

/// `eprintln!`, cleaned.
macro_rules! errln {
    ($($arg:tt)*) => { $crate::cli::output::err(&format!("{}\n", format_args!($($arg)*))) };
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lines_are_cleaned_and_kept() {
        assert_eq!(cleaned("a\u{1b}]0;t\u{7}b\nc\u{1b}[2Jd\n"), "ab\ncd\n");
        assert_eq!(cleaned("x\u{7}"), "x^G");
    }
}
