//! The console's output stream. In 16-colour mode it rewrites colour codes to
//! the forms every ANSI terminal knows.
//!
//! The terminal library writes even the 16 named colours in their 256-colour
//! form (`ESC[38;5;3m` for yellow). A real 16-colour terminal — a Linux
//! console, many serial and embedded consoles reached over SSH — ignores or
//! misreads that, so in 16-colour mode only SGR 30–37/90–97 (foreground),
//! 40–47/100–107 (background) and the defaults 39/49 may leave the process
//! (docs/console.md, "Colours"). Everything else passes through untouched.

use std::io::{self, Write};

/// Wraps the terminal's writer; see the module comment.
pub struct TerminalOut<W: Write> {
    inner: W,
    sixteen: bool,
    /// An escape sequence cut by the end of a `write` call, kept until its end arrives.
    pending: Vec<u8>,
}

impl<W: Write> TerminalOut<W> {
    pub fn new(inner: W, sixteen_colours: bool) -> TerminalOut<W> {
        TerminalOut { inner, sixteen: sixteen_colours, pending: Vec::new() }
    }
}

impl<W: Write> Write for TerminalOut<W> {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        if !self.sixteen {
            return self.inner.write(buf);
        }
        let mut out = Vec::with_capacity(buf.len() + self.pending.len());
        let mut input = std::mem::take(&mut self.pending);
        input.extend_from_slice(buf);
        let rest = rewrite(&input, &mut out);
        self.pending = input[rest..].to_vec();
        self.inner.write_all(&out)?;
        Ok(buf.len())
    }

    fn flush(&mut self) -> io::Result<()> {
        if !self.pending.is_empty() {
            // A sequence that never ended: send it as it was rather than lose it.
            let bytes = std::mem::take(&mut self.pending);
            self.inner.write_all(&bytes)?;
        }
        self.inner.flush()
    }
}

/// Copies `input` to `out`, rewriting complete SGR sequences. Returns where an
/// unfinished escape sequence at the end starts (`input.len()` if none).
fn rewrite(input: &[u8], out: &mut Vec<u8>) -> usize {
    let mut i = 0;
    while i < input.len() {
        let Some(esc) = memchr::memchr(0x1b, &input[i..]) else {
            out.extend_from_slice(&input[i..]);
            return input.len();
        };
        out.extend_from_slice(&input[i..i + esc]);
        let start = i + esc;
        match csi_end(&input[start..]) {
            CsiEnd::Incomplete => return start,
            CsiEnd::NotCsi => {
                out.push(0x1b);
                i = start + 1;
            }
            CsiEnd::At(len) => {
                let seq = &input[start..start + len];
                let (params, last) = (&seq[2..len - 1], seq[len - 1]);
                if last == b'm' && params.iter().all(|b| b.is_ascii_digit() || *b == b';') {
                    write_sgr16(params, out);
                } else {
                    out.extend_from_slice(seq);
                }
                i = start + len;
            }
        }
    }
    input.len()
}

enum CsiEnd {
    /// The bytes end before the sequence does.
    Incomplete,
    /// An escape that does not start a control sequence (`ESC ]`, `ESC 7`, …).
    NotCsi,
    /// A whole `ESC [ … final` of this many bytes.
    At(usize),
}

/// `bytes` starts with ESC.
fn csi_end(bytes: &[u8]) -> CsiEnd {
    match bytes.get(1) {
        None => return CsiEnd::Incomplete,
        Some(b'[') => {}
        Some(_) => return CsiEnd::NotCsi,
    }
    for (k, b) in bytes.iter().enumerate().skip(2) {
        if (0x40..=0x7e).contains(b) {
            return CsiEnd::At(k + 1);
        }
        if !(0x20..=0x3f).contains(b) {
            // Not a well-formed control sequence: let it through as it is.
            return CsiEnd::NotCsi;
        }
    }
    CsiEnd::Incomplete
}

/// Writes the SGR with parameters `params` in 16-colour form; writes nothing
/// when nothing is left (an empty `ESC[m` would reset every attribute).
fn write_sgr16(params: &[u8], out: &mut Vec<u8>) {
    let nums: Vec<u32> = params
        .split(|b| *b == b';')
        .map(|p| std::str::from_utf8(p).ok().and_then(|s| s.parse().ok()).unwrap_or(0))
        .collect();
    let mut kept: Vec<u32> = Vec::with_capacity(nums.len());
    let mut k = 0;
    while k < nums.len() {
        let p = nums[k];
        match p {
            38 | 48 | 58 => {
                let (colour, used) = match nums.get(k + 1) {
                    Some(5) => (nums.get(k + 2).copied().filter(|n| *n < 16), 3),
                    Some(2) => (None, 5),
                    _ => (None, 1),
                };
                k += used;
                match (p, colour) {
                    (38, Some(n)) => kept.push(if n < 8 { 30 + n } else { 90 + n - 8 }),
                    (48, Some(n)) => kept.push(if n < 8 { 40 + n } else { 100 + n - 8 }),
                    (38, None) => kept.push(39),
                    (48, None) => kept.push(49),
                    // Underline colour has no 16-colour form: left out.
                    _ => {}
                }
            }
            59 => k += 1,
            _ => {
                kept.push(p);
                k += 1;
            }
        }
    }
    if kept.is_empty() {
        return;
    }
    out.extend_from_slice(b"\x1b[");
    for (n, p) in kept.iter().enumerate() {
        if n > 0 {
            out.push(b';');
        }
        out.extend_from_slice(p.to_string().as_bytes());
    }
    out.push(b'm');
}

#[cfg(test)]
mod tests {
    use super::*;

    fn through(chunks: &[&[u8]]) -> Vec<u8> {
        let mut t = TerminalOut::new(Vec::new(), true);
        for c in chunks {
            t.write_all(c).unwrap();
        }
        t.flush().unwrap();
        t.inner
    }

    #[test]
    fn named_colours_become_ansi_codes() {
        assert_eq!(through(&[b"\x1b[38;5;3mx"]), b"\x1b[33mx");
        assert_eq!(through(&[b"\x1b[38;5;8;49m"]), b"\x1b[90;49m");
        assert_eq!(through(&[b"\x1b[48;5;12m"]), b"\x1b[104m");
        assert_eq!(through(&[b"\x1b[38;5;15;48;5;0m"]), b"\x1b[97;40m");
    }

    #[test]
    fn other_colour_forms_fall_back_to_the_default() {
        assert_eq!(through(&[b"\x1b[38;5;200m"]), b"\x1b[39m");
        assert_eq!(through(&[b"\x1b[38;2;1;2;3;1m"]), b"\x1b[39;1m");
        assert_eq!(through(&[b"a\x1b[58;5;3mb\x1b[59mc"]), b"abc");
    }

    #[test]
    fn a_sequence_cut_between_writes_is_joined() {
        assert_eq!(through(&[b"ab\x1b[38;", b"5;1", b"mcd"]), b"ab\x1b[31mcd");
        assert_eq!(through(&[b"\x1b", b"[1m"]), b"\x1b[1m");
    }

    #[test]
    fn everything_else_passes_untouched() {
        for seq in [&b"\x1b[?1049h"[..], b"\x1b[5;7H", b"\x1b]52;c;eA==\x07", b"\x1b7", b"\x1b[0m", b"\x1b[2J"] {
            assert_eq!(through(&[seq]), seq);
        }
        let mut t = TerminalOut::new(Vec::new(), false);
        t.write_all(b"\x1b[38;5;3m").unwrap();
        assert_eq!(t.inner, b"\x1b[38;5;3m");
    }
}
