//! The journal against the real world (D1–D6 in docs/requirements.md): the real binary
//! in several processes at once, real files, `kill -9`, and random bytes.
//! No timing is asserted; waits are on conditions with generous deadlines.

use std::io::{BufRead, BufReader, Write};
use std::os::unix::process::CommandExt;
use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use proptest::prelude::*;
use warroom::domain::event::EventKind;
use warroom::sources::journal::{spawn_watcher, torn_path, verify_file, Journal};
use warroom::sources::SourceEvent;

const BIN: &str = env!("CARGO_BIN_EXE_warroom");

#[path = "journal/report_ticket.rs"]
mod report_ticket;

fn runbook() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("examples/golive-platform.toml")
}

/// `warroom --journal J --operator OP ARGS…` with a clean environment for the data dir.
fn warroom(journal: &Path, operator: &str, args: &[&str]) -> Output {
    Command::new(BIN)
        .arg("--journal")
        .arg(journal)
        .args(["--operator", operator])
        .args(args)
        .env("WARROOM_DATA_DIR", journal.parent().unwrap())
        .stdin(Stdio::null())
        .output()
        .expect("warroom runs")
}

fn note(journal: &Path, text: &str) -> Output {
    warroom(journal, "ana@bastion", &["note", runbook().to_str().unwrap(), text])
}

fn verify(journal: &Path) -> Output {
    Command::new(BIN).arg("verify").arg(journal).stdin(Stdio::null()).output().expect("warroom runs")
}

fn text(b: &[u8]) -> String {
    String::from_utf8_lossy(b).into_owned()
}

fn lines_of(journal: &Path) -> Vec<String> {
    std::fs::read_to_string(journal).unwrap().lines().map(String::from).collect()
}

fn seqs(journal: &Path) -> Vec<u64> {
    lines_of(journal)
        .iter()
        .map(|l| serde_json::from_str::<serde_json::Value>(l).unwrap()["seq"].as_u64().unwrap())
        .collect()
}

/// Waits for `cond` (up to a generous deadline, so a loaded machine does not fail the test).
fn eventually(mut cond: impl FnMut() -> bool) -> bool {
    let deadline = Instant::now() + Duration::from_secs(30);
    while Instant::now() < deadline {
        if cond() {
            return true;
        }
        std::thread::sleep(Duration::from_millis(20));
    }
    cond()
}

#[test]
fn two_processes_marking_concurrently_keep_one_gap_free_chain() {
    let dir = tempfile::tempdir().unwrap();
    let j = dir.path().join("journal.jsonl");
    let rb = runbook();
    let writers: Vec<_> = ["ana@bastion", "bob@bastion"]
        .into_iter()
        .enumerate()
        .map(|(w, op)| {
            let (j, rb) = (j.clone(), rb.clone());
            std::thread::spawn(move || {
                for i in 0..100 {
                    let verdict = ["pass", "fail", "na", "pending"][(i + w) % 4];
                    let crit = ["homepage-200", "database-up", "vector-db", "cron-running"][i % 4];
                    let out = warroom(
                        &j,
                        op,
                        &["mark", rb.to_str().unwrap(), crit, verdict, "--note", &format!("{op} #{i}")],
                    );
                    assert!(out.status.success(), "mark {i} by {op}: {}", text(&out.stderr));
                }
            })
        })
        .collect();
    for w in writers {
        w.join().unwrap();
    }
    let out = verify(&j);
    assert_eq!(out.status.code(), Some(0), "{}{}", text(&out.stdout), text(&out.stderr));
    let seqs = seqs(&j);
    assert!(seqs.len() >= 200, "{} lines", seqs.len());
    assert_eq!(seqs, (1..=seqs.len() as u64).collect::<Vec<_>>());
    // Both writers' acts are all there.
    let body = std::fs::read_to_string(&j).unwrap();
    for op in ["ana@bastion", "bob@bastion"] {
        for i in 0..100 {
            assert!(body.contains(&format!("\"{op} #{i}\"")), "{op} #{i} missing");
        }
    }
}

#[test]
fn editing_or_deleting_any_line_is_caught_at_that_line() {
    let dir = tempfile::tempdir().unwrap();
    let j = dir.path().join("journal.jsonl");
    for i in 1..=8 {
        assert!(note(&j, &format!("note number {i}")).status.success());
    }
    let good = lines_of(&j);
    assert_eq!(verify(&j).status.code(), Some(0));
    let tampered = dir.path().join("tampered.jsonl");
    let write = |lines: &[String]| {
        std::fs::write(&tampered, lines.iter().map(|l| format!("{l}\n")).collect::<String>()).unwrap()
    };
    let expect_bad_line = |n: usize, what: &str| {
        let out = verify(&tampered);
        let stdout = text(&out.stdout);
        assert_eq!(out.status.code(), Some(1), "{what}: {stdout}{}", text(&out.stderr));
        assert!(stdout.starts_with(&format!("{}:{n}: ", tampered.display())), "{what}: {stdout}");
    };
    for i in 0..good.len() {
        let mut edited = good.clone();
        edited[i] = edited[i].replace(&format!("note number {}", i + 1), &format!("note numbr {}", i + 1));
        assert_ne!(edited[i], good[i]);
        write(&edited);
        expect_bad_line(i + 1, &format!("edit of line {}", i + 1));

        let mut who = good.clone();
        who[i] = who[i].replace("ana@bastion", "eve@bastion");
        write(&who);
        expect_bad_line(i + 1, &format!("operator changed on line {}", i + 1));

        let mut when = good.clone();
        let v: serde_json::Value = serde_json::from_str(&good[i]).unwrap();
        let ts = v["ts"].as_str().unwrap();
        let later = format!("{}9Z", &ts[..ts.len() - 2]);
        when[i] = when[i].replace(ts, &later);
        if when[i] != good[i] {
            write(&when);
            expect_bad_line(i + 1, &format!("time changed on line {}", i + 1));
        }

        // Deleting a line breaks the chain at the line that now stands in its place.
        // (Deleting the very last line leaves a shorter, valid chain: a hash chain cannot see that.)
        if i + 1 < good.len() {
            let mut deleted = good.clone();
            deleted.remove(i);
            write(&deleted);
            expect_bad_line(i + 1, &format!("deletion of line {}", i + 1));
        }
    }
    // Swapping two lines is caught too.
    let mut swapped = good.clone();
    swapped.swap(2, 3);
    write(&swapped);
    expect_bad_line(3, "swap of lines 3 and 4");
}

#[test]
fn verify_exit_codes_for_unreadable_and_empty() {
    let dir = tempfile::tempdir().unwrap();
    let missing = dir.path().join("nope.jsonl");
    let out = verify(&missing);
    assert_eq!(out.status.code(), Some(2));
    assert!(text(&out.stderr).contains("nope.jsonl"), "{}", text(&out.stderr));
    assert_eq!(verify(dir.path()).status.code(), Some(2));
    let empty = dir.path().join("empty.jsonl");
    std::fs::write(&empty, "").unwrap();
    assert_eq!(verify(&empty).status.code(), Some(0));
}

#[test]
fn a_torn_tail_is_set_aside_and_the_session_goes_on() {
    let dir = tempfile::tempdir().unwrap();
    let j = dir.path().join("journal.jsonl");
    assert!(note(&j, "before the crash").status.success());
    let torn = "{\"seq\":2,\"ts\":\"2026-02-12T06:1";
    std::fs::OpenOptions::new().append(true).open(&j).unwrap().write_all(torn.as_bytes()).unwrap();
    // verify: not tampering, reported, exit 0.
    let out = verify(&j);
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stdout));
    assert!(text(&out.stderr).contains("incomplete"), "{}", text(&out.stderr));
    // The next writer sets it aside, says so, and continues the chain.
    let out = note(&j, "after the crash");
    assert!(out.status.success(), "{}", text(&out.stderr));
    assert!(text(&out.stderr).contains(".torn"), "{}", text(&out.stderr));
    assert_eq!(std::fs::read_to_string(torn_path(&j)).unwrap(), format!("{torn}\n"));
    assert_eq!(verify(&j).status.code(), Some(0));
    assert_eq!(seqs(&j), vec![1, 2]);
    assert!(std::fs::read_to_string(&j).unwrap().ends_with("\n"));
}

#[test]
fn a_damaged_middle_line_opens_read_only_on_what_precedes_it() {
    let dir = tempfile::tempdir().unwrap();
    let j = dir.path().join("journal.jsonl");
    for i in 1..=4 {
        assert!(note(&j, &format!("n{i}")).status.success());
    }
    let mut lines = lines_of(&j);
    lines[2] = "{this is not json".into();
    std::fs::write(&j, lines.iter().map(|l| format!("{l}\n")).collect::<String>()).unwrap();
    let opened = Journal::open(&j).unwrap();
    assert_eq!(opened.records.len(), 2);
    let why = opened.read_only_reason.clone().expect("read-only");
    assert!(why.contains(":3:"), "{why}");
    // A writer refuses, exit 1, naming the line.
    let out = note(&j, "more");
    assert_eq!(out.status.code(), Some(1), "{}", text(&out.stderr));
    assert!(text(&out.stderr).contains("journal.jsonl:3"), "{}", text(&out.stderr));
    // The report still covers what precedes it, and exits 1: it is not the whole session.
    let out = Command::new(BIN).arg("report").arg(&j).output().unwrap();
    assert_eq!(out.status.code(), Some(1));
    assert!(text(&out.stdout).contains("n2") && !text(&out.stdout).contains("n4"));
    assert!(text(&out.stderr).contains("damaged"));
}

/// The next source event, or a failure after a generous deadline (never a hang).
fn recv_within(rx: &mut warroom::sources::EventReceiver) -> Option<SourceEvent> {
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(30);
    loop {
        match rx.try_recv() {
            Ok(ev) => return Some(ev),
            Err(tokio::sync::mpsc::error::TryRecvError::Disconnected) => return None,
            Err(tokio::sync::mpsc::error::TryRecvError::Empty) => {}
        }
        assert!(std::time::Instant::now() < deadline, "no journal change event within 30 s");
        std::thread::sleep(std::time::Duration::from_millis(20));
    }
}

#[test]
fn a_reader_process_sees_another_process_append() {
    let dir = tempfile::tempdir().unwrap();
    let j = dir.path().join("journal.jsonl");
    assert!(note(&j, "first").status.success());
    let mut reader = Journal::open_read_only(&j).unwrap().journal;
    let (tx, mut rx) = warroom::sources::event_channel();
    let watch = spawn_watcher(j.clone(), tx);
    // The watcher announces itself once, so nothing between open and watch is missed.
    assert_eq!(recv_within(&mut rx), Some(SourceEvent::JournalChanged));
    for i in 0..3 {
        let text_i = format!("from another process {i}");
        assert!(note(&j, &text_i).status.success());
        // The watcher tells us, and poll hands over exactly the new record.
        assert_eq!(recv_within(&mut rx), Some(SourceEvent::JournalChanged));
        let mut got = Vec::new();
        assert!(eventually(|| {
            got.extend(reader.poll().unwrap());
            !got.is_empty()
        }));
        assert_eq!(got.len(), 1);
        assert_eq!(got[0].event(), Some(EventKind::NoteAdded { text: text_i }));
        assert_eq!(got[0].seq, 2 + i);
    }
    drop(watch);
}

#[test]
fn a_replaced_or_shrunk_journal_is_reloaded_from_the_start() {
    let dir = tempfile::tempdir().unwrap();
    let j = dir.path().join("journal.jsonl");
    for i in 1..=3 {
        assert!(note(&j, &format!("n{i}")).status.success());
    }
    let mut reader = Journal::open_read_only(&j).unwrap().journal;
    assert!(reader.poll().unwrap().is_empty());
    // Replaced by temp file + rename (another inode) holding a different, shorter session.
    let other = dir.path().join("other.jsonl");
    assert!(note(&other, "other session").status.success());
    std::fs::rename(&other, &j).unwrap();
    let recs = reader.poll().unwrap();
    assert!(reader.take_reloaded());
    assert_eq!(recs.len(), 1);
    assert_eq!(recs[0].event(), Some(EventKind::NoteAdded { text: "other session".into() }));
    // Shrunk in place (same inode).
    let first = lines_of(&j)[0].clone();
    assert!(note(&j, "second").status.success());
    assert_eq!(reader.poll().unwrap().len(), 1);
    std::fs::OpenOptions::new().write(true).open(&j).unwrap().set_len(first.len() as u64 + 1).unwrap();
    let recs = reader.poll().unwrap();
    assert!(reader.take_reloaded());
    assert_eq!(recs.len(), 1);
}

#[test]
fn kill_9_of_a_writer_never_loses_an_acknowledged_record() {
    let dir = tempfile::tempdir().unwrap();
    let j = dir.path().join("journal.jsonl");
    let rb = runbook();
    let mut acknowledged: Vec<u64> = Vec::new();
    for round in 0..6 {
        // A writer loop in its own process group: every `recorded: … (seq N)` line is an acknowledged record.
        let script = format!(
            "i=0; while :; do i=$((i+1)); \"$0\" --journal \"$1\" --operator killer note \"$2\" \"round {round} write $i\" || exit 1; done"
        );
        let mut child = Command::new("/bin/sh")
            .args(["-c", &script, BIN])
            .arg(&j)
            .arg(&rb)
            .stdin(Stdio::null())
            .stdout(Stdio::piped())
            .stderr(Stdio::null())
            .process_group(0)
            .spawn()
            .unwrap();
        let seen = Arc::new(Mutex::new(Vec::<u64>::new()));
        let stdout = child.stdout.take().unwrap();
        let collector = {
            let seen = seen.clone();
            std::thread::spawn(move || {
                for line in BufReader::new(stdout).lines().map_while(Result::ok) {
                    if let Some(n) =
                        line.rsplit("(seq ").next().and_then(|s| s.split(')').next()).and_then(|s| s.parse().ok())
                    {
                        seen.lock().unwrap().push(n);
                    }
                }
            })
        };
        // Let it acknowledge a few (more each round), then kill the whole group mid-flight.
        let want = 3 + round;
        assert!(eventually(|| seen.lock().unwrap().len() >= want), "writer made no progress");
        // SAFETY: signalling the process group we created.
        unsafe { libc::kill(-(child.id() as i32), libc::SIGKILL) };
        let _ = child.wait();
        collector.join().unwrap();
        acknowledged.extend(seen.lock().unwrap().iter());
        // Every acknowledged seq is in the journal; the journal (after setting aside any torn tail) verifies.
        let opened = Journal::open(&j).unwrap();
        assert!(opened.read_only_reason.is_none(), "{:?}", opened.read_only_reason);
        let present: Vec<u64> = opened.records.iter().map(|r| r.seq).collect();
        for s in &acknowledged {
            assert!(present.contains(s), "acknowledged seq {s} lost in round {round}");
        }
        assert_eq!(verify(&j).status.code(), Some(0));
    }
}

#[test]
fn mark_refuses_unknown_criteria_and_read_only() {
    let dir = tempfile::tempdir().unwrap();
    let j = dir.path().join("journal.jsonl");
    let rb = runbook();
    let out = warroom(&j, "ana", &["mark", rb.to_str().unwrap(), "no-such-thing", "pass"]);
    assert_eq!(out.status.code(), Some(2));
    let err = text(&out.stderr);
    assert!(err.contains("no-such-thing") && err.contains("homepage-200") && err.contains("database-up"), "{err}");
    let out = warroom(&j, "ana", &["--read-only", "mark", rb.to_str().unwrap(), "homepage-200", "pass"]);
    assert_eq!(out.status.code(), Some(1));
    assert!(text(&out.stderr).contains("read-only"));
    assert!(!j.exists() || lines_of(&j).is_empty(), "nothing written under --read-only");
    let out = warroom(&j, "ana", &["mark", dir.path().join("missing.toml").to_str().unwrap(), "x", "pass"]);
    assert_eq!(out.status.code(), Some(2));
    // And a good one lands, visible in the report with who and when.
    let out =
        warroom(&j, "ana@bastion", &["mark", rb.to_str().unwrap(), "homepage-200", "fail", "--note", "503 from LB"]);
    assert!(out.status.success(), "{}", text(&out.stderr));
    let out = Command::new(BIN).args(["report", "--runbook"]).arg(&rb).arg(&j).output().unwrap();
    let md = text(&out.stdout);
    assert!(md.contains("✗ FAIL") && md.contains("ana@bastion") && md.contains("503 from LB"), "{md}");
    assert!(md.contains("ROLLBACK (1 critical failing)"), "{md}");
    let out = Command::new(BIN).args(["report", "--format", "json"]).arg(&j).output().unwrap();
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(v["checklist"][0]["verdict"], "fail");
    assert_eq!(v["records"], 1);
}

/// A console records its runbook file in `session.opened`; `report` without
/// `--runbook` uses it while it is there and the same runbook, and says
/// plainly when it cannot.
#[test]
fn report_finds_the_runbook_the_session_recorded() {
    let dir = tempfile::tempdir().unwrap();
    let copy = dir.path().join("golive.toml");
    std::fs::copy(runbook(), &copy).unwrap();
    let j = dir.path().join("journal.jsonl");
    let mut journal = Journal::open(&j).unwrap().journal;
    let opened = EventKind::SessionOpened {
        runbook: "golive-platform".into(),
        title: "Go-live — platform T-0".into(),
        client: None,
        path: Some(copy.display().to_string()),
        runbook_sha256: None,
        outline: None,
    };
    journal.append("ana", chrono::Utc::now(), &opened).unwrap();
    let report = || Command::new(BIN).arg("report").arg(&j).output().unwrap();

    let out = report();
    assert!(out.status.success());
    assert!(text(&out.stdout).contains("Homepage answers HTTP 200"), "{}", text(&out.stdout));
    assert!(text(&out.stderr).contains("using the runbook"), "{}", text(&out.stderr));

    std::fs::write(&copy, "id = \"other\"\ntitle = \"Other\"\n").unwrap();
    let out = report();
    assert!(out.status.success(), "a changed runbook does not stop the report");
    assert!(!text(&out.stdout).contains("Homepage answers HTTP 200"));
    assert!(text(&out.stderr).contains("pass --runbook FILE"), "{}", text(&out.stderr));

    std::fs::remove_file(&copy).unwrap();
    let out = report();
    assert!(out.status.success(), "a missing runbook does not stop the report");
    assert!(text(&out.stderr).contains("is gone"), "{}", text(&out.stderr));
}

/// `report --runbook` with a runbook of another id is warned about, on stderr
/// and in the report itself, rather than titling the session after it.
#[test]
fn report_with_another_runbooks_file_says_so() {
    let dir = tempfile::tempdir().unwrap();
    let j = dir.path().join("journal.jsonl");
    let mut journal = Journal::open(&j).unwrap().journal;
    let opened = EventKind::SessionOpened {
        runbook: "golive-platform".into(),
        title: "Go-live — platform T-0".into(),
        client: None,
        path: None,
        runbook_sha256: None,
        outline: None,
    };
    journal.append("ana", chrono::Utc::now(), &opened).unwrap();
    let other = dir.path().join("other.toml");
    std::fs::write(&other, "[runbook]\nid = \"other\"\ntitle = \"Other\"\n").unwrap();
    let out = Command::new(BIN).arg("report").arg(&j).arg("--runbook").arg(&other).output().unwrap();
    assert!(
        text(&out.stderr).contains("is the runbook `other`, but this journal is a session of `golive-platform`"),
        "{}",
        text(&out.stderr)
    );
    assert!(
        text(&out.stdout).contains("> Note: --runbook")
            && text(&out.stdout).contains("but this journal is a session of"),
        "in the body: {}",
        text(&out.stdout)
    );
}

#[test]
fn report_never_passes_escapes_or_markup_through() {
    let dir = tempfile::tempdir().unwrap();
    let j = dir.path().join("journal.jsonl");
    let evil = "pwn \u{1b}]52;c;aGk=\u{7} \u{1b}[2J **bold** [link](http://x) <img src=x> | cell {var} %s";
    assert!(note(&j, evil).status.success());
    let out = Command::new(BIN).arg("report").arg(&j).output().unwrap();
    let md = text(&out.stdout);
    assert!(!md.contains('\u{1b}') && !md.contains('\u{7}'), "{md:?}");
    assert!(md.contains("\\*\\*bold\\*\\*") && md.contains("\\[link\\]") && md.contains("\\<img"), "{md}");
    assert!(md.contains("{var} %s"), "{md}");
    let out = Command::new(BIN).args(["report", "--format", "json"]).arg(&j).output().unwrap();
    assert!(!text(&out.stdout).contains("\\u001b"), "{}", text(&out.stdout));
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 48, .. ProptestConfig::default() })]

    /// Random bytes, alone or after good records, never panic any reader; what
    /// reads cleanly is a prefix of the good records.
    #[test]
    fn random_bytes_never_panic_the_reader(junk in proptest::collection::vec(any::<u8>(), 0..600), keep in 0usize..4) {
        let dir = tempfile::tempdir().unwrap();
        let j = dir.path().join("journal.jsonl");
        {
            let mut w = Journal::open(&j).unwrap().journal;
            for i in 0..3 {
                w.append("ana", chrono::DateTime::from_timestamp_millis(1_770_000_000_000 + i).unwrap(), &EventKind::NoteAdded { text: format!("n{i}") }).unwrap();
            }
        }
        let good = std::fs::read(&j).unwrap();
        let cut = good.iter().enumerate().filter(|(_, b)| **b == b'\n').map(|(i, _)| i + 1).nth(keep.min(2)).unwrap_or(0);
        let mut bytes = if keep == 3 { Vec::new() } else { good[..cut].to_vec() };
        bytes.extend_from_slice(&junk);
        std::fs::write(&j, &bytes).unwrap();

        let v = verify_file(&j).unwrap();
        prop_assert!(v.records <= 3);
        let ro = Journal::open_read_only(&j).unwrap();
        prop_assert_eq!(ro.records.len() as u64, v.records);
        let mut ro = ro.journal;
        let _ = ro.poll();
        let rw = Journal::open(&j).unwrap();
        prop_assert_eq!(rw.records.len() as u64, v.records);
        let mut rw = rw.journal;
        let _ = rw.poll();
        let appended = rw.append("bob", chrono::DateTime::from_timestamp_millis(1_770_000_100_000).unwrap(), &EventKind::NoteAdded { text: "after".into() });
        // Appending works unless a complete bad line made the journal read-only.
        prop_assert_eq!(appended.is_ok(), v.bad.is_none());
        let _ = warroom::domain::record::parse_line(&String::from_utf8_lossy(&junk));
    }
}

/// A runbook given where a journal belongs is named for what it is (exit 2),
/// not reported as a journal tampered with at line 1 (exit 1).
#[test]
fn a_runbook_given_as_a_journal_is_named_as_a_runbook() {
    let rb = Path::new(env!("CARGO_MANIFEST_DIR")).join("examples/golive-platform.toml");
    let out = verify(&rb);
    assert_eq!(out.status.code(), Some(2), "{}", text(&out.stderr));
    assert!(text(&out.stderr).contains("is not a journal: it looks like a runbook"), "{}", text(&out.stderr));
    let out = Command::new(BIN).arg("report").arg(&rb).output().unwrap();
    assert_eq!(out.status.code(), Some(2), "{}", text(&out.stderr));
    assert!(text(&out.stderr).contains("looks like a runbook"), "{}", text(&out.stderr));
}
