//! Copy text to the operator's clipboard with no display server (T5): people run
//! warroom over SSH, often inside tmux, where there is no X11/Wayland to talk to.
//!
//! - With `$TMUX` set: `tmux load-buffer -w -` with the text on stdin. It lands
//!   in tmux's paste buffer (`prefix ]`) and, with `set -g set-clipboard on`, tmux
//!   forwards it to the outer terminal's clipboard too. If that fails (tmux binary
//!   missing, server gone), we fall back to OSC 52 wrapped for tmux passthrough.
//! - Otherwise: OSC 52 (`ESC ] 52 ; c ; <base64> BEL`) written to the terminal,
//!   which most terminals (and SSH, transparently) turn into a clipboard write.
//!   Under GNU screen (`$STY`, or `TERM=screen*` outside tmux) the sequence is
//!   wrapped in DCS passthrough, in chunks because screen limits a DCS string.
//!
//! The payload is sanitised first (S3): escape sequences and controls from
//! outside text never reach the terminal inside the clipboard sequence; line
//! breaks are kept. Payloads over [`MAX_OSC52_BASE64`] bytes of base64 are
//! refused with a message (many terminals silently drop larger ones).
//! Every failure is a message for the status line, never a panic.
//!
//! Written by hand: the clipboard crates (arboard, copypasta) need a display
//! server, and OSC 52 plus one tmux command is a few lines.

use std::io::{IsTerminal, Write};
use std::process::{Command, Stdio};

use base64::Engine;

use crate::domain::sanitize;

/// Largest OSC 52 payload we send, in base64 bytes (≈ 75 KB of text).
pub const MAX_OSC52_BASE64: usize = 100_000;

/// How the text reached (or was sent towards) the clipboard.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum CopyMethod {
    /// `tmux load-buffer -w -`: in tmux's paste buffer (and the outer clipboard with set-clipboard on).
    TmuxBuffer,
    /// An OSC 52 sequence written to the terminal, possibly wrapped for a multiplexer.
    Osc52(Wrap),
}

/// What came of a copy, for the status line.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct CopyReport {
    pub method: CopyMethod,
    /// Bytes of (sanitised) text copied.
    pub bytes: usize,
    /// A tmux failure we fell back from, if any.
    pub note: Option<String>,
}

impl CopyReport {
    /// "copied 312 bytes to the tmux paste buffer" / "… via OSC 52".
    pub fn message(&self) -> String {
        let how = match &self.method {
            CopyMethod::TmuxBuffer => "to the tmux paste buffer (prefix ] pastes)".to_string(),
            CopyMethod::Osc52(Wrap::None) => "to the terminal clipboard (OSC 52)".to_string(),
            CopyMethod::Osc52(Wrap::Tmux) => "to the terminal clipboard (OSC 52 through tmux)".to_string(),
            CopyMethod::Osc52(Wrap::Screen) => "to the terminal clipboard (OSC 52 through screen)".to_string(),
        };
        match &self.note {
            Some(n) => format!("copied {} bytes {how}; {n}", self.bytes),
            None => format!("copied {} bytes {how}", self.bytes),
        }
    }
}

/// Multiplexer passthrough around the OSC 52 sequence.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Wrap {
    None,
    /// `ESC P tmux; <sequence with ESC doubled> ESC \` (needs `allow-passthrough` in tmux ≥ 3.3).
    Tmux,
    /// `ESC P <chunk> ESC \` per chunk (screen caps a DCS string's length).
    Screen,
}

/// Where a copy should go, from the environment.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Target {
    /// `$TMUX` value (socket,pid,session) handed to the tmux client we run.
    Tmux { tmux_env: String },
    /// The terminal on stdout.
    Terminal { wrap: Wrap },
}

impl Target {
    /// Reads `$TMUX`, `$STY` and `$TERM`, through `env` so tests can pass their own.
    pub fn detect(env: impl Fn(&str) -> Option<String>) -> Target {
        if let Some(t) = env("TMUX").filter(|t| !t.is_empty()) {
            return Target::Tmux { tmux_env: t };
        }
        let screen = env("STY").is_some_and(|s| !s.is_empty())
            || env("TERM").is_some_and(|t| t == "screen" || t.starts_with("screen."));
        Target::Terminal { wrap: if screen { Wrap::Screen } else { Wrap::None } }
    }
}

/// Copies `text` to the clipboard the way the environment allows (see module docs).
pub fn copy(text: &str) -> Result<CopyReport, String> {
    copy_to(text, &Target::detect(|k| std::env::var(k).ok()))
}

/// Copies to an explicit target; OSC 52 goes to stdout.
pub fn copy_to(text: &str, target: &Target) -> Result<CopyReport, String> {
    let mut out = std::io::stdout();
    let tty = out.is_terminal();
    copy_into(text, target, &mut out, tty)
}

/// Copies to an explicit target, writing any OSC 52 sequence to `term`
/// (`is_terminal` false: refused with a message, as nothing would read it).
pub fn copy_into(text: &str, target: &Target, term: &mut dyn Write, is_terminal: bool) -> Result<CopyReport, String> {
    let clean = payload(text);
    let mut emit = |seq: &str| write_terminal(term, is_terminal, seq);
    match target {
        Target::Tmux { tmux_env } => match tmux_load_buffer(&clean, tmux_env) {
            Ok(()) => Ok(CopyReport { method: CopyMethod::TmuxBuffer, bytes: clean.len(), note: None }),
            Err(tmux_err) => {
                let seq = osc52_wrapped(&clean, Wrap::Tmux)?;
                emit(&seq).map_err(|e| format!("copy failed: {tmux_err}; and {e}"))?;
                Ok(CopyReport {
                    method: CopyMethod::Osc52(Wrap::Tmux),
                    bytes: clean.len(),
                    note: Some(format!("tmux buffer unavailable ({tmux_err})")),
                })
            }
        },
        Target::Terminal { wrap } => {
            let seq = osc52_wrapped(&clean, *wrap)?;
            emit(&seq).map_err(|e| format!("copy failed: {e}"))?;
            Ok(CopyReport { method: CopyMethod::Osc52(*wrap), bytes: clean.len(), note: None })
        }
    }
}

/// The text as it will be copied: each line sanitised (S3), line breaks kept.
pub fn payload(text: &str) -> String {
    let mut out = sanitize::clean_multiline(text);
    if text.ends_with('\n') {
        out.push('\n');
    }
    out
}

/// The bare OSC 52 sequence for `text` (sanitised first): `ESC ] 52 ; c ; <base64> BEL`.
/// Refused when the base64 exceeds [`MAX_OSC52_BASE64`].
pub fn osc52_sequence(text: &str) -> Result<String, String> {
    osc52_wrapped(&payload(text), Wrap::None)
}

/// OSC 52 for already-sanitised text, wrapped for a multiplexer.
pub fn osc52_wrapped(clean: &str, wrap: Wrap) -> Result<String, String> {
    let b64 = base64::engine::general_purpose::STANDARD.encode(clean.as_bytes());
    if b64.len() > MAX_OSC52_BASE64 {
        return Err(format!(
            "text too large to copy through the terminal: {} bytes ({} base64; the limit is {} base64 bytes) — \
             shorten the template or copy it from a file",
            clean.len(),
            b64.len(),
            MAX_OSC52_BASE64
        ));
    }
    let osc = format!("\x1b]52;c;{b64}\x07");
    Ok(match wrap {
        Wrap::None => osc,
        // tmux passthrough: every ESC inside is doubled.
        Wrap::Tmux => format!("\x1bPtmux;{}\x1b\\", osc.replace('\x1b', "\x1b\x1b")),
        // screen passes a DCS string through but limits its length: send the OSC in pieces.
        Wrap::Screen => {
            let mut out = String::with_capacity(osc.len() + osc.len() / 70 * 4 + 8);
            let bytes = osc.as_bytes();
            for chunk in bytes.chunks(76) {
                out.push_str("\x1bP");
                // The OSC is ASCII (ESC, digits, base64, BEL), so any byte split is a char split.
                out.push_str(std::str::from_utf8(chunk).unwrap_or_default());
                out.push_str("\x1b\\");
            }
            out
        }
    })
}

fn tmux_load_buffer(text: &str, tmux_env: &str) -> Result<(), String> {
    let run = |args: &[&str]| -> Result<std::process::Output, String> {
        let mut child = Command::new("tmux")
            .args(args)
            .env("TMUX", tmux_env)
            .stdin(Stdio::piped())
            .stdout(Stdio::null())
            .stderr(Stdio::piped())
            .spawn()
            .map_err(|e| format!("could not run tmux: {e}"))?;
        if let Some(mut stdin) = child.stdin.take() {
            stdin.write_all(text.as_bytes()).map_err(|e| format!("could not write to tmux: {e}"))?;
        }
        child.wait_with_output().map_err(|e| format!("tmux did not finish: {e}"))
    };
    let out = run(&["load-buffer", "-w", "-"])?;
    if out.status.success() {
        return Ok(());
    }
    let err = String::from_utf8_lossy(&out.stderr).trim().to_string();
    // tmux before 3.2 has no -w: still fill the paste buffer.
    if err.contains("unknown flag") || err.contains("usage") {
        let out = run(&["load-buffer", "-"])?;
        if out.status.success() {
            return Ok(());
        }
        return Err(format!(
            "tmux load-buffer failed: {}",
            sanitize::clean(String::from_utf8_lossy(&out.stderr).trim())
        ));
    }
    Err(format!("tmux load-buffer failed: {}", sanitize::clean(&err)))
}

fn write_terminal(out: &mut dyn Write, is_terminal: bool, seq: &str) -> Result<(), String> {
    if !is_terminal {
        return Err("the output is not a terminal, so OSC 52 has nowhere to go".into());
    }
    out.write_all(seq.as_bytes()).and_then(|_| out.flush()).map_err(|e| format!("could not write to the terminal: {e}"))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn decode(seq: &str) -> String {
        let b64 = seq.strip_prefix("\x1b]52;c;").and_then(|s| s.strip_suffix('\x07')).expect("an OSC 52 sequence");
        String::from_utf8(base64::engine::general_purpose::STANDARD.decode(b64).unwrap()).unwrap()
    }

    #[test]
    fn osc52_carries_the_text_in_base64() {
        let seq = osc52_sequence("[GO-LIVE] Deploy COMPLETED\nTime: 06:14 CET").unwrap();
        assert_eq!(decode(&seq), "[GO-LIVE] Deploy COMPLETED\nTime: 06:14 CET");
        assert_eq!(decode(&osc52_sequence("héllo ✓ 🚀").unwrap()), "héllo ✓ 🚀");
    }

    #[test]
    fn payload_is_sanitised_before_encoding() {
        // A log line pasted into a template must not smuggle sequences into the clipboard.
        let evil = "ok\x1b]52;c;ZXZpbA==\x07 \x1b[2J done\u{202e}";
        let text = decode(&osc52_sequence(evil).unwrap());
        assert!(!text.contains('\x1b') && !text.contains('\x07') && !text.contains('\u{202e}'), "{text:?}");
        assert!(text.starts_with("ok") && text.contains("done"));
    }

    #[test]
    fn too_large_is_a_message() {
        let big = "x".repeat(80_000);
        let err = osc52_sequence(&big).unwrap_err();
        assert!(err.contains("too large") && err.contains("100000"), "{err}");
        assert!(osc52_sequence(&"x".repeat(70_000)).is_ok());
    }

    #[test]
    fn tmux_passthrough_doubles_escapes() {
        let seq = osc52_wrapped("hi", Wrap::Tmux).unwrap();
        assert_eq!(seq, "\x1bPtmux;\x1b\x1b]52;c;aGk=\x07\x1b\\");
    }

    #[test]
    fn screen_passthrough_is_chunked() {
        let seq = osc52_wrapped(&"y".repeat(300), Wrap::Screen).unwrap();
        let inner: String = seq.split("\x1b\\").map(|c| c.strip_prefix("\x1bP").unwrap_or(c)).collect();
        assert_eq!(decode(&inner), "y".repeat(300));
        assert!(seq.matches("\x1bP").count() > 1);
    }

    #[test]
    fn target_detection() {
        let env = |pairs: &'static [(&'static str, &'static str)]| {
            move |k: &str| pairs.iter().find(|(n, _)| *n == k).map(|(_, v)| v.to_string())
        };
        assert_eq!(
            Target::detect(env(&[("TMUX", "/tmp/tmux-0/default,1,0"), ("TERM", "screen")])),
            Target::Tmux { tmux_env: "/tmp/tmux-0/default,1,0".into() }
        );
        assert_eq!(Target::detect(env(&[("STY", "123.pts-0")])), Target::Terminal { wrap: Wrap::Screen });
        assert_eq!(Target::detect(env(&[("TERM", "xterm-256color")])), Target::Terminal { wrap: Wrap::None });
        assert_eq!(Target::detect(env(&[("TMUX", "")])), Target::Terminal { wrap: Wrap::None });
    }

    #[test]
    fn osc52_is_written_to_the_terminal() {
        let mut term = Vec::new();
        let report = copy_into("hi\x1b[31m", &Target::Terminal { wrap: Wrap::None }, &mut term, true).unwrap();
        assert_eq!(report.method, CopyMethod::Osc52(Wrap::None));
        assert_eq!(report.bytes, 2);
        assert_eq!(String::from_utf8(term).unwrap(), "\x1b]52;c;aGk=\x07");
    }

    #[test]
    fn no_terminal_is_a_message_not_a_crash() {
        let mut sink = Vec::new();
        let err = copy_into("x", &Target::Terminal { wrap: Wrap::None }, &mut sink, false).unwrap_err();
        assert!(err.contains("not a terminal"), "{err}");
        assert!(sink.is_empty());
    }

    #[test]
    fn tmux_failure_falls_back_to_passthrough_osc52() {
        // A $TMUX naming no server: load-buffer fails (or tmux is missing), OSC 52 through tmux is used.
        let target = Target::Tmux { tmux_env: "/nonexistent/warroom-no-such-socket,1,0".into() };
        let mut term = Vec::new();
        let report = copy_into("hi", &target, &mut term, true).unwrap();
        assert_eq!(report.method, CopyMethod::Osc52(Wrap::Tmux));
        assert!(report.note.as_deref().unwrap_or_default().contains("tmux"), "{report:?}");
        assert_eq!(String::from_utf8(term).unwrap(), "\x1bPtmux;\x1b\x1b]52;c;aGk=\x07\x1b\\");
        let err = copy_into("hi", &target, &mut Vec::new(), false).unwrap_err();
        assert!(err.contains("copy failed") && err.contains("not a terminal"), "{err}");
    }
}
