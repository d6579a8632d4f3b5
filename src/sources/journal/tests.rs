//! The store in one process: two `Journal`s on one file behave like two consoles.

use chrono::{DateTime, Utc};

use super::*;
use crate::domain::event::EventKind;
use crate::domain::record::GENESIS;

fn at(ms: i64) -> DateTime<Utc> {
    DateTime::from_timestamp_millis(1_770_000_000_000 + ms).unwrap()
}

fn note(t: &str) -> EventKind {
    EventKind::NoteAdded { text: t.into() }
}

#[test]
fn open_creates_folders_and_an_empty_journal() {
    let d = tempfile::tempdir().unwrap();
    let p = d.path().join("sessions/golive/journal.jsonl");
    let o = Journal::open(&p).unwrap();
    assert!(p.is_file());
    assert!(o.records.is_empty() && o.warnings.is_empty() && o.read_only_reason.is_none());
    assert_eq!((o.journal.last_seq(), o.journal.last_hash()), (0, GENESIS));
    assert_eq!(o.journal.path(), p);
    assert_eq!(o.journal.runs_dir(), d.path().join("sessions/golive/runs"));
    assert_eq!(o.journal.next_output_name("step", "preflight", 3), "runs/step-preflight-3.log");
    assert_eq!(o.journal.next_output_name("step", "../../etc/x", 1), "runs/step-______etc_x-1.log");
}

#[test]
fn append_returns_what_others_wrote_first_then_ours() {
    let d = tempfile::tempdir().unwrap();
    let p = d.path().join("journal.jsonl");
    let mut a = Journal::open(&p).unwrap().journal;
    let mut b = Journal::open(&p).unwrap().journal;
    assert_eq!(a.append("ana", at(0), &note("a1")).unwrap().len(), 1);
    a.append("ana", at(1), &note("a2")).unwrap();
    let got = b.append("bob", at(2), &note("b1")).unwrap();
    assert_eq!(
        got.iter().map(|r| (r.seq, r.operator.as_str())).collect::<Vec<_>>(),
        [(1, "ana"), (2, "ana"), (3, "bob")]
    );
    assert_eq!(got[2].prev, got[1].hash);
    // a now polls bob's record, then both agree on the head.
    let polled = a.poll().unwrap();
    assert_eq!(polled.len(), 1);
    assert_eq!(polled[0].event(), Some(note("b1")));
    assert!(a.poll().unwrap().is_empty());
    assert_eq!(a.last_hash(), b.last_hash());
    // Reopening reads all three back.
    let o = Journal::open(&p).unwrap();
    assert_eq!(o.records.len(), 3);
    assert_eq!(verify_file(&p).unwrap().records, 3);
}

#[test]
fn read_only_journals_refuse_to_write() {
    let d = tempfile::tempdir().unwrap();
    let p = d.path().join("journal.jsonl");
    Journal::open(&p).unwrap().journal.append("ana", at(0), &note("x")).unwrap();
    let mut ro = Journal::open_read_only(&p).unwrap();
    assert_eq!(ro.records.len(), 1);
    assert!(ro.journal.is_read_only());
    let e = ro.journal.append("ana", at(1), &note("y")).unwrap_err();
    assert!(matches!(e, JournalError::ReadOnly(_)), "{e}");
    assert!(e.to_string().contains("read-only"));
    assert_eq!(verify_file(&p).unwrap().records, 1);
}

#[test]
fn a_read_only_watcher_waits_for_a_journal_that_does_not_exist_yet() {
    let d = tempfile::tempdir().unwrap();
    let p = d.path().join("journal.jsonl");
    let mut ro = Journal::open_read_only(&p).unwrap();
    assert!(ro.records.is_empty());
    assert!(ro.warnings[0].contains("does not exist yet"));
    assert!(ro.journal.poll().unwrap().is_empty());
    assert!(!p.exists(), "a read-only open creates nothing");
    Journal::open(&p).unwrap().journal.append("ana", at(0), &note("first")).unwrap();
    assert_eq!(ro.journal.poll().unwrap().len(), 1);
}

#[test]
fn a_bad_line_found_by_poll_is_reported_once_after_the_good_records() {
    let d = tempfile::tempdir().unwrap();
    let p = d.path().join("journal.jsonl");
    let mut w = Journal::open(&p).unwrap().journal;
    let mut r = Journal::open_read_only(&p).unwrap().journal;
    w.append("ana", at(0), &note("good")).unwrap();
    std::fs::OpenOptions::new()
        .append(true)
        .open(&p)
        .and_then(|mut f| std::io::Write::write_all(&mut f, b"garbage\n"))
        .unwrap();
    assert_eq!(r.poll().unwrap().len(), 1);
    let e = r.poll().unwrap_err();
    assert!(matches!(e, JournalError::Corrupt { line: 2, .. }), "{e}");
    assert!(e.to_string().contains("journal.jsonl:2"), "{e}");
    assert!(r.poll().unwrap().is_empty());
    assert!(r.damaged().is_some());
    // The writer finds it under the lock and refuses, naming the line; then stays read-only.
    let e = w.append("ana", at(1), &note("more")).unwrap_err();
    assert!(matches!(e, JournalError::Corrupt { line: 2, .. }), "{e}");
    assert!(matches!(w.append("ana", at(2), &note("more")), Err(JournalError::ReadOnly(_))));
}

#[test]
fn a_writer_whose_journal_was_deleted_says_so_instead_of_writing_nowhere() {
    let d = tempfile::tempdir().unwrap();
    let p = d.path().join("journal.jsonl");
    let mut w = Journal::open(&p).unwrap().journal;
    std::fs::remove_file(&p).unwrap();
    let e = w.append("ana", at(0), &note("x")).unwrap_err();
    assert!(e.to_string().contains("deleted or moved"), "{e}");
}

#[test]
fn errors_name_the_file_and_what_to_do() {
    let e = Journal::open(std::path::Path::new("/proc/definitely/not/here/journal.jsonl")).err().unwrap();
    let s = e.to_string();
    assert!(s.contains("/proc/definitely/not/here"), "{s}");
}

#[test]
fn a_reopened_handle_writes_on_from_where_the_first_one_read() {
    let d = tempfile::tempdir().unwrap();
    let p = d.path().join("journal.jsonl");
    let mut a = Journal::open(&p).unwrap().journal;
    a.append("ana", at(0), &note("a1")).unwrap();
    let mut w = a.reopen().unwrap();
    assert_eq!((w.last_seq(), w.last_hash()), (a.last_seq(), a.last_hash()));
    let mine = w.append("ana", at(1), &note("w1")).unwrap();
    assert_eq!(mine.iter().map(|r| r.seq).collect::<Vec<_>>(), vec![2], "nothing read again");
    let seen = a.poll().unwrap();
    assert_eq!(seen, mine, "the first handle sees it like another writer's");
    assert_eq!(verify_file(&p).unwrap().records, 2);
}
