//! Turning journal bytes into checked records. Only complete lines (ending in
//! `\n`) are records; bytes after the last `\n` are either being written right
//! now or were torn by a crash, and the caller decides which.

use crate::domain::record::{check_sequence, hash_matches, hash_mismatch, parse_line, Record};

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

/// Below this many bytes the lines are checked on one thread.
const PARALLEL_FROM: usize = 1 << 20;

/// One complete line, parsed and hash-checked (independent of other lines).
type Parsed = Result<(Record, bool), String>;

fn parse_one(raw: &[u8]) -> Parsed {
    let text = std::str::from_utf8(raw)
        .map_err(|e| format!("not valid UTF-8 (at byte {} of the line)", e.valid_up_to() + 1))?;
    let r = parse_line(text)?;
    let ok = hash_matches(&r);
    Ok((r, ok))
}

/// Splits `buf` (the journal from byte offset where line `first_line` starts,
/// following the record `last` = (seq, hash), or none for the file start) into
/// checked records, stopping at the first bad line.
///
/// Parsing and hashing each line do not depend on other lines, so a large
/// chunk (a restart on a long session) is parsed on every core; the chain
/// (`seq`, `prev`) is then checked in order, so the first bad line and its
/// reason are the same as a one-line-at-a-time check would find.
pub(crate) fn read_chunk(buf: &[u8], first_line: usize, last: Option<(u64, &str)>) -> Chunk {
    let complete = memchr::memrchr(b'\n', buf).map(|i| i + 1).unwrap_or(0);
    let mut ends = Vec::with_capacity(complete / 256 + 1);
    let mut pos = 0;
    for nl in memchr::memchr_iter(b'\n', &buf[..complete]) {
        ends.push((pos, nl));
        pos = nl + 1;
    }
    let parsed = parse_all(buf, &ends);

    let mut chunk = Chunk::default();
    let mut last: Option<(u64, String)> = last.map(|(s, h)| (s, h.to_string()));
    for (i, p) in parsed.into_iter().enumerate() {
        let checked = p.and_then(|(r, hash_ok)| {
            check_sequence(last.as_ref().map(|(s, h)| (*s, h.as_str())), &r)?;
            if hash_ok {
                Ok(r)
            } else {
                Err(hash_mismatch(&r))
            }
        });
        match checked {
            Ok(r) => {
                last = Some((r.seq, r.hash.clone()));
                chunk.records.push(r);
                chunk.lines += 1;
                chunk.consumed = ends[i].1 + 1;
            }
            Err(why) => {
                chunk.bad = Some((first_line + i, why));
                return chunk;
            }
        }
    }
    if complete < buf.len() {
        chunk.tail = Some(buf[complete..].to_vec());
    }
    chunk
}

fn parse_all(buf: &[u8], ends: &[(usize, usize)]) -> Vec<Parsed> {
    if buf.len() < PARALLEL_FROM {
        return ends.iter().map(|&(a, b)| parse_one(&buf[a..b])).collect();
    }
    // Asked only for a large chunk: std reads cgroup files to answer, every call.
    let threads = std::thread::available_parallelism().map(|n| n.get()).unwrap_or(1).min(8);
    if threads < 2 {
        return ends.iter().map(|&(a, b)| parse_one(&buf[a..b])).collect();
    }
    let per = ends.len().div_ceil(threads);
    std::thread::scope(|s| {
        let handles: Vec<_> = ends
            .chunks(per.max(1))
            .map(|part| s.spawn(move || part.iter().map(|&(a, b)| parse_one(&buf[a..b])).collect::<Vec<_>>()))
            .collect();
        // A panic in a parser thread would be a bug; fall back to parsing that part here rather than lose it.
        handles
            .into_iter()
            .zip(ends.chunks(per.max(1)))
            .flat_map(|(h, part)| {
                h.join().unwrap_or_else(|_| part.iter().map(|&(a, b)| parse_one(&buf[a..b])).collect())
            })
            .collect()
    })
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

    #[test]
    fn a_large_chunk_checked_in_parallel_finds_the_same_first_bad_line() {
        let rs = lines(6000);
        let mut b = bytes(&rs);
        assert!(b.len() > PARALLEL_FROM, "exercise the parallel path");
        let c = read_chunk(&b, 1, None);
        assert_eq!((c.records.len(), c.bad.is_none(), c.consumed), (6000, true, b.len()));
        // Edit line 4000's text (its hash no longer matches) and line 5000's seq.
        let text = String::from_utf8(b.clone()).unwrap();
        let edited = text.replacen("\"n4000\"", "\"n4001\"", 1).replacen("\"seq\":5000,", "\"seq\":5001,", 1);
        b = edited.into_bytes();
        let c = read_chunk(&b, 1, None);
        assert_eq!(c.records.len(), 3999);
        let (line, why) = c.bad.unwrap();
        assert_eq!(line, 4000);
        assert!(why.contains("hash mismatch"), "{why}");
        let lines: Vec<&str> = text.lines().collect();
        assert_eq!(crate::domain::record::verify_chain(lines.iter().copied()), Ok(6000));
    }
}
