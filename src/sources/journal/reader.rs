//! Turning journal bytes into checked records. Only complete lines (ending in
//! `\n`) are records; bytes after the last `\n` are either being written right
//! now or were torn by a crash, and the caller decides which.

use crate::domain::record::{check_link, parse_line, Record};

/// What a chunk of the journal held.
#[derive(Debug, Default)]
pub(crate) struct Chunk {
    /// Checked records, in order.
    pub records: Vec<Record>,
    /// Bytes of the chunk taken up by `records` (complete, good lines).
    pub consumed: usize,
    /// Lines taken up by `records`.
    pub lines: usize,
    /// The first bad complete line: (1-based line number in the file, why).
    pub bad: Option<(usize, String)>,
    /// Bytes after the last `\n` (only when no bad line came first).
    pub tail: Option<Vec<u8>>,
}

/// Splits `buf` (the journal from byte offset where line `first_line` starts,
/// following the record `last` = (seq, hash), or none for the file start) into
/// checked records, stopping at the first bad line.
pub(crate) fn read_chunk(buf: &[u8], first_line: usize, last: Option<(u64, &str)>) -> Chunk {
    let mut chunk = Chunk::default();
    let mut last: Option<(u64, String)> = last.map(|(s, h)| (s, h.to_string()));
    let mut pos = 0usize;
    while pos < buf.len() {
        let Some(nl) = memchr_newline(&buf[pos..]) else {
            chunk.tail = Some(buf[pos..].to_vec());
            break;
        };
        let line_no = first_line + chunk.lines;
        let raw = &buf[pos..pos + nl];
        let checked = std::str::from_utf8(raw)
            .map_err(|e| format!("not valid UTF-8 (at byte {} of the line)", e.valid_up_to() + 1))
            .and_then(|text| {
                let r = parse_line(text)?;
                check_link(last.as_ref().map(|(s, h)| (*s, h.as_str())), &r)?;
                Ok(r)
            });
        match checked {
            Ok(r) => {
                last = Some((r.seq, r.hash.clone()));
                chunk.records.push(r);
                chunk.lines += 1;
                pos += nl + 1;
                chunk.consumed = pos;
            }
            Err(why) => {
                chunk.bad = Some((line_no, why));
                break;
            }
        }
    }
    chunk
}

fn memchr_newline(b: &[u8]) -> Option<usize> {
    b.iter().position(|&c| c == b'\n')
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::event::EventKind;
    use crate::domain::record::GENESIS;
    use chrono::{TimeZone, Utc};

    fn lines(n: u64) -> Vec<Record> {
        let mut prev = GENESIS.to_string();
        (1..=n)
            .map(|seq| {
                let ts = Utc.timestamp_millis_opt(1_770_000_000_000 + seq as i64).unwrap();
                let r = Record::new(&prev, seq, ts, "ana", &EventKind::NoteAdded { text: format!("n{seq}") });
                prev = r.hash.clone();
                r
            })
            .collect()
    }

    fn bytes(rs: &[Record]) -> Vec<u8> {
        rs.iter().flat_map(|r| format!("{}\n", r.to_line()).into_bytes()).collect()
    }

    #[test]
    fn complete_lines_become_records_and_the_tail_is_kept_apart() {
        let rs = lines(3);
        let mut b = bytes(&rs);
        let full = b.len();
        b.extend_from_slice(b"{\"seq\":4,\"ts");
        let c = read_chunk(&b, 1, None);
        assert_eq!(c.records, rs);
        assert_eq!(c.consumed, full);
        assert_eq!(c.lines, 3);
        assert!(c.bad.is_none());
        assert_eq!(c.tail.as_deref(), Some(&b"{\"seq\":4,\"ts"[..]));
    }

    #[test]
    fn reading_on_from_an_offset_links_to_the_last_record() {
        let rs = lines(4);
        let b = bytes(&rs[2..]);
        let c = read_chunk(&b, 3, Some((rs[1].seq, &rs[1].hash)));
        assert_eq!(c.records, rs[2..].to_vec());
        // Wrong predecessor: the first line is bad, named by its file line number.
        let c = read_chunk(&b, 3, Some((rs[0].seq, &rs[0].hash)));
        assert_eq!(c.bad.unwrap().0, 3);
    }

    #[test]
    fn a_bad_middle_line_stops_reading_there() {
        let rs = lines(3);
        let mut b = bytes(&rs[..1]);
        b.extend_from_slice(b"garbage\xff\n");
        b.extend_from_slice(&bytes(&rs[1..]));
        let c = read_chunk(&b, 1, None);
        assert_eq!(c.records.len(), 1);
        assert_eq!(c.bad.as_ref().unwrap().0, 2);
        assert!(c.tail.is_none());
    }
}
