//! Reads a child's pipe as lines without ever holding more than one capped
//! line in memory: a 200 MB line with no `\n` costs 64 KiB, not 200 MB.

use chrono::{DateTime, Utc};
use tokio::io::{AsyncRead, AsyncReadExt};
use tokio::sync::mpsc;

/// Which pipe a line came from.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Stream {
    Out,
    Err,
}

impl Stream {
    pub fn tag(self) -> &'static str {
        match self {
            Stream::Out => "out",
            Stream::Err => "err",
        }
    }
}

/// One line as read, before sanitising. `cut` when it was longer than the cap.
#[derive(Debug)]
pub struct RawLine {
    pub at: DateTime<Utc>,
    pub stream: Stream,
    pub bytes: Vec<u8>,
    pub cut: bool,
}

/// Reads `reader` to EOF, sending each line (without its `\n`) as it completes.
/// Bytes past `max_line` are dropped until the next `\n` and the line is marked cut.
/// An unterminated last line is sent at EOF.
pub async fn read_lines<R: AsyncRead + Unpin>(
    mut reader: R,
    stream: Stream,
    max_line: usize,
    tx: mpsc::Sender<RawLine>,
) {
    let mut buf = vec![0u8; 16 * 1024];
    let mut line: Vec<u8> = Vec::new();
    let mut cut = false;
    loop {
        let n = match reader.read(&mut buf).await {
            Ok(0) | Err(_) => break,
            Ok(n) => n,
        };
        let mut chunk = &buf[..n];
        while !chunk.is_empty() {
            match chunk.iter().position(|&b| b == b'\n') {
                Some(i) => {
                    push_capped(&mut line, &chunk[..i], max_line, &mut cut);
                    let bytes = std::mem::take(&mut line);
                    let _ = tx.send(RawLine { at: crate::sources::clock::now(), stream, bytes, cut }).await;
                    cut = false;
                    chunk = &chunk[i + 1..];
                }
                None => {
                    push_capped(&mut line, chunk, max_line, &mut cut);
                    chunk = &[];
                }
            }
        }
    }
    if !line.is_empty() || cut {
        let _ = tx.send(RawLine { at: crate::sources::clock::now(), stream, bytes: line, cut }).await;
    }
}

fn push_capped(line: &mut Vec<u8>, part: &[u8], max_line: usize, cut: &mut bool) {
    let room = max_line.saturating_sub(line.len());
    if part.len() > room {
        *cut = true;
    }
    line.extend_from_slice(&part[..part.len().min(room)]);
}

#[cfg(test)]
mod tests {
    use super::*;

    async fn lines_of(input: &[u8], max: usize) -> Vec<(Vec<u8>, bool)> {
        let (tx, mut rx) = mpsc::channel(1024);
        read_lines(input, Stream::Out, max, tx).await;
        let mut out = Vec::new();
        while let Ok(l) = rx.try_recv() {
            out.push((l.bytes, l.cut));
        }
        out
    }

    #[tokio::test]
    async fn splits_and_caps() {
        let got = lines_of(b"a\nbb\n\nccc", 10).await;
        assert_eq!(
            got,
            vec![(b"a".to_vec(), false), (b"bb".to_vec(), false), (b"".to_vec(), false), (b"ccc".to_vec(), false)]
        );
        let long = [b'x'; 100_000];
        let mut input = long.to_vec();
        input.extend_from_slice(b"\nshort\n");
        let got = lines_of(&input, 1000).await;
        assert_eq!(got.len(), 2);
        assert_eq!(got[0].0.len(), 1000);
        assert!(got[0].1);
        assert_eq!(got[1], (b"short".to_vec(), false));
    }
}
