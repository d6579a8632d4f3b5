//! OSC 8 hyperlinks for the links in the details view (docs/runbook-format.md,
//! "Links"). ratatui draws the URL as plain text; after the frame, the same
//! text is written again at the same place wrapped in OSC 8, so a terminal
//! that supports it makes it clickable and the screen looks the same.
//!
//! Detection is conservative: a terminal that does not know OSC 8 may print
//! it, so it is on only where the terminal says who it is and is known to
//! support it, never inside tmux or screen (which may not pass it on), and
//! `WARROOM_HYPERLINKS=1` / `=0` decides when set.

use crate::domain::sanitize::clean;

/// Whether to write OSC 8, from the environment.
pub fn supported(env: impl Fn(&str) -> Option<String>) -> bool {
    match env("WARROOM_HYPERLINKS").as_deref() {
        Some("1") => return true,
        Some("0") => return false,
        _ => {}
    }
    if env("TMUX").is_some() || env("STY").is_some() {
        return false;
    }
    let program = env("TERM_PROGRAM").unwrap_or_default();
    let term = env("TERM").unwrap_or_default();
    matches!(program.as_str(), "iTerm.app" | "WezTerm" | "vscode" | "ghostty")
        || env("KITTY_WINDOW_ID").is_some()
        || env("WT_SESSION").is_some()
        || matches!(term.as_str(), "xterm-kitty" | "foot" | "xterm-ghostty")
        || env("VTE_VERSION").and_then(|v| v.parse::<u32>().ok()).is_some_and(|v| v >= 5000)
}

/// A link drawn on screen: where its text starts, the URL, and the text shown.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Placed {
    pub x: u16,
    pub y: u16,
    pub url: String,
    pub text: String,
}

/// The bytes that re-write each placed link as an OSC 8 hyperlink. URL and
/// text are cleaned (no control character can end the sequence early);
/// a URL holding `;` is left out of the parameters by OSC 8 itself, so
/// nothing else needs escaping.
pub fn overlay(links: &[Placed]) -> Vec<u8> {
    let mut out = String::new();
    for l in links {
        let url = clean(&l.url);
        if url.is_empty() || url.chars().any(|c| c.is_whitespace()) {
            continue;
        }
        out.push_str(&format!("\x1b[{};{}H\x1b]8;;{url}\x1b\\{}\x1b]8;;\x1b\\", l.y + 1, l.x + 1, clean(&l.text)));
    }
    out.into_bytes()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn env<'a>(pairs: &'a [(&'a str, &'a str)]) -> impl Fn(&str) -> Option<String> + 'a {
        move |k| pairs.iter().find(|(n, _)| *n == k).map(|(_, v)| v.to_string())
    }

    #[test]
    fn only_known_terminals_outside_multiplexers() {
        assert!(supported(env(&[("TERM_PROGRAM", "WezTerm")])));
        assert!(supported(env(&[("VTE_VERSION", "7006")])));
        assert!(!supported(env(&[("TERM", "xterm-256color")])));
        assert!(!supported(env(&[("TERM_PROGRAM", "WezTerm"), ("TMUX", "/tmp/tmux-0/default,1,0")])));
        assert!(supported(env(&[("TMUX", "x"), ("WARROOM_HYPERLINKS", "1")])));
        assert!(!supported(env(&[("TERM_PROGRAM", "iTerm.app"), ("WARROOM_HYPERLINKS", "0")])));
    }

    #[test]
    fn overlay_wraps_text_and_strips_controls() {
        let l =
            Placed { x: 4, y: 2, url: "https://a.example/x\x1b]0;evil\x07".into(), text: "https://a.example/x".into() };
        let bytes = String::from_utf8(overlay(&[l])).unwrap();
        assert!(bytes.starts_with("\x1b[3;5H\x1b]8;;https://a.example/x"), "{bytes:?}");
        assert!(!bytes.contains('\x07') && !bytes.contains("]0;"), "{bytes:?}");
        assert!(bytes.ends_with("https://a.example/x\x1b]8;;\x1b\\"), "{bytes:?}");
    }
}
