//! Splits a byte stream into lines, holding an unterminated last line until its
//! newline arrives and cutting lines longer than [`MAX_LINE`] so that a 200 MB
//! single-line or binary file never needs more than 64 KiB of buffer (L6).

/// Longest line kept; the rest of a longer line is skipped up to its newline.
pub const MAX_LINE: usize = 64 * 1024;

/// One complete line, without its `\n` (and without a `\r` before it).
#[derive(Debug, PartialEq, Eq)]
pub enum Line<'a> {
    Full(&'a [u8]),
    /// The first [`MAX_LINE`] bytes of a longer line; the caller adds a marker.
    Cut(&'a [u8]),
}

#[derive(Debug, Default)]
pub struct LineSplitter {
    partial: Vec<u8>,
    /// Inside the remainder of a line already cut: drop bytes until `\n`.
    skipping: bool,
}

fn strip_cr(line: &[u8]) -> &[u8] {
    line.strip_suffix(b"\r").unwrap_or(line)
}

impl LineSplitter {
    pub fn new() -> Self {
        Self::default()
    }

    /// Feeds bytes as read; `emit` gets each line completed by them, in order.
    pub fn feed(&mut self, mut buf: &[u8], mut emit: impl FnMut(Line<'_>)) {
        while !buf.is_empty() {
            match memchr::memchr(b'\n', buf) {
                Some(i) => {
                    let seg = &buf[..i];
                    buf = &buf[i + 1..];
                    if self.skipping {
                        self.skipping = false;
                    } else if self.partial.is_empty() {
                        if seg.len() > MAX_LINE {
                            emit(Line::Cut(&seg[..MAX_LINE]));
                        } else {
                            emit(Line::Full(strip_cr(seg)));
                        }
                    } else {
                        let room = MAX_LINE - self.partial.len();
                        if seg.len() > room {
                            self.partial.extend_from_slice(&seg[..room]);
                            emit(Line::Cut(&self.partial));
                        } else {
                            self.partial.extend_from_slice(seg);
                            emit(Line::Full(strip_cr(&self.partial)));
                        }
                        self.partial.clear();
                    }
                }
                None => {
                    if self.skipping {
                        return;
                    }
                    let room = MAX_LINE - self.partial.len();
                    if buf.len() > room {
                        self.partial.extend_from_slice(&buf[..room]);
                        emit(Line::Cut(&self.partial));
                        self.partial.clear();
                        self.skipping = true;
                    } else {
                        self.partial.extend_from_slice(buf);
                    }
                    return;
                }
            }
        }
    }

    /// The stream ended for good (file rotated away, truncated, command exited):
    /// an unterminated last line is emitted as it is.
    pub fn finish(&mut self, mut emit: impl FnMut(Line<'_>)) {
        if !self.partial.is_empty() {
            emit(Line::Full(strip_cr(&self.partial)));
        }
        self.partial.clear();
        self.skipping = false;
    }

    /// Bytes held for an unterminated line.
    pub fn pending(&self) -> usize {
        self.partial.len()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn split(chunks: &[&[u8]], finish: bool) -> Vec<(bool, Vec<u8>)> {
        let mut s = LineSplitter::new();
        let mut out = Vec::new();
        let mut push = |l: Line<'_>| match l {
            Line::Full(b) => out.push((false, b.to_vec())),
            Line::Cut(b) => out.push((true, b.to_vec())),
        };
        for c in chunks {
            s.feed(c, &mut push);
        }
        if finish {
            s.finish(&mut push);
        }
        out
    }

    #[test]
    fn holds_unterminated_line_until_complete() {
        let out = split(&[b"one\ntw", b"o\r\nthr"], false);
        assert_eq!(out, [(false, b"one".to_vec()), (false, b"two".to_vec())]);
        let out = split(&[b"one\ntw", b"o\r\nthr"], true);
        assert_eq!(out.last(), Some(&(false, b"thr".to_vec())));
    }

    #[test]
    fn cuts_long_lines_across_chunks_and_resumes_after_newline() {
        let long = vec![b'x'; MAX_LINE + 10];
        let out = split(&[&long[..1000], &long[1000..], b"\nnext\n"], false);
        assert_eq!(out.len(), 2);
        assert!(out[0].0 && out[0].1.len() == MAX_LINE);
        assert_eq!(out[1], (false, b"next".to_vec()));
        // In one chunk, and exactly MAX_LINE is not cut.
        let mut one = vec![b'y'; MAX_LINE + 1];
        one.push(b'\n');
        one.extend(vec![b'z'; MAX_LINE]);
        one.push(b'\n');
        let out = split(&[&one], false);
        assert_eq!(out.iter().map(|(c, b)| (*c, b.len())).collect::<Vec<_>>(), [(true, MAX_LINE), (false, MAX_LINE)]);
    }

    #[test]
    fn huge_line_without_newline_keeps_buffer_bounded() {
        let mut s = LineSplitter::new();
        let chunk = vec![b'a'; 1 << 20];
        let mut cuts = 0;
        for _ in 0..50 {
            s.feed(&chunk, |l| {
                assert!(matches!(l, Line::Cut(_)));
                cuts += 1;
            });
            assert!(s.pending() <= MAX_LINE);
        }
        assert_eq!(cuts, 1);
    }
}
