//! Two different runbook files with the same `id` (issue 12, item 8): on main
//! the second one silently joined the first one's session and showed its
//! verdicts. Now `open` asks first (new session or join anyway), refuses
//! without a terminal, and headless writers warn.

use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};

use super::Session;

/// `a.toml`: the small runbook; `b.toml`: the same id with one criterion renamed.
fn two_files(dir: &Path) -> (PathBuf, PathBuf) {
    let text = std::fs::read_to_string(super::runbook()).unwrap();
    assert!(text.contains("Checkout completes"));
    let (a, b) = (dir.join("a.toml"), dir.join("b.toml"));
    std::fs::write(&a, &text).unwrap();
    std::fs::write(&b, text.replace("Checkout completes", "Payment completes")).unwrap();
    (a, b)
}

/// The binary under test; `WARROOM_BIN_UNDER_TEST` runs these tests against
/// another build (how they were seen to fail on main).
fn bin() -> String {
    std::env::var("WARROOM_BIN_UNDER_TEST").unwrap_or_else(|_| env!("CARGO_BIN_EXE_warroom").to_string())
}

fn open(file: &Path, flags: &str) -> String {
    format!("{} open {flags} {}", bin(), file.display())
}

fn sha256_hex(file: &Path) -> String {
    warroom::domain::session_runbook::sha256_hex(&std::fs::read(file).unwrap())
}

/// The `runbook_sha256` of each `session.opened` in a journal, in order.
fn opened_hashes(journal: &Path) -> Vec<String> {
    std::fs::read_to_string(journal)
        .unwrap_or_default()
        .lines()
        .filter_map(|l| serde_json::from_str::<serde_json::Value>(l).ok())
        .filter(|v| v["kind"] == "session.opened")
        .map(|v| v["data"]["runbook_sha256"].as_str().unwrap_or("").to_string())
        .collect()
}

fn row_with<'a>(screen: &'a str, title: &str) -> &'a str {
    screen.lines().find(|l| l.contains(title)).unwrap_or("")
}

#[test]
fn another_file_with_the_same_id_asks_before_joining_at_80x24() {
    asks_before_joining(80, 24);
}

#[test]
fn another_file_with_the_same_id_asks_before_joining_at_200x60() {
    asks_before_joining(200, 60);
}

fn asks_before_joining(w: u16, h: u16) {
    let s = Session::new(&format!("same-id-{w}x{h}"), tempfile::tempdir().unwrap());
    let (a, b) = two_files(s.data.path());

    // Ana runs the session on a.toml and fails the checkout criterion.
    s.launch_cmd(w, h, &open(&a, ""));
    s.wait_screen("Release 4.2");
    s.keys(&["2", "/"]);
    s.text("checkout");
    s.keys(&["Enter", "x"]);
    s.wait_screen("✗ FAIL    Checkout"); // titles are cut at 80×24
    s.keys(&["q"]);
    s.wait_screen("EXIT=0");

    // b.toml has the same id: asked before anything is drawn or written.
    s.launch_cmd(w, h, &open(&b, ""));
    s.wait_screen("n/o/q?");
    let screen = s.screen();
    assert!(screen.contains("was opened with another runbook file."), "{screen}");
    assert!(screen.contains("a.toml") && screen.contains("opened by ana"), "names the file and who: {screen}");
    assert!(!screen.contains("Release 4.2"), "the console waits for the answer: {screen}");
    assert_eq!(opened_hashes(&s.journal()), vec![sha256_hex(&a)], "nothing joined yet; the file's SHA-256 recorded");

    // n: a session of its own, where the other file's verdict does not show.
    s.text("n");
    s.keys(&["Enter"]);
    s.wait_screen("Payment");
    s.wait_screen("a session of its own");
    let row = row_with(&s.screen(), "Payment").to_string();
    assert!(row.contains("PENDING") && !row.contains("FAIL"), "not the other session's verdict: {row}");
    let own = s.data.path().join("sessions/console-small-2/journal.jsonl");
    s.wait("the new session's journal", |_| opened_hashes(&own) == vec![sha256_hex(&b)]);
    s.keys(&["q"]);
    s.wait_screen("EXIT=0");
    assert_eq!(opened_hashes(&s.journal()).len(), 1, "the first session untouched");

    // Asked again (the session is still a.toml's); o joins it, verdict and all.
    s.launch_cmd(w, h, &open(&b, ""));
    s.wait_screen("n/o/q?");
    s.text("o");
    s.keys(&["Enter"]);
    s.wait_screen("✗ FAIL    Payment");
    s.wait_screen("joined anyway");
    s.wait("b.toml recorded as the session's runbook now", |s| {
        opened_hashes(&s.journal()) == vec![sha256_hex(&a), sha256_hex(&b)]
    });
    s.keys(&["q"]);
    s.wait_screen("EXIT=0");
}

fn warroom(data: &Path, args: &[&str]) -> std::process::Output {
    Command::new(bin())
        .args(args)
        .env("WARROOM_DATA_DIR", data)
        .env("WARROOM_OPERATOR", "bob")
        .env("TERM", "dumb")
        .stdin(Stdio::null())
        .output()
        .unwrap()
}

/// Without a terminal there is no one to ask: `open` refuses and names the
/// flags; `--new-session` and `--join-anyway` do what they say; `mark` warns
/// and records (a CI job cannot answer a question).
#[test]
fn without_a_terminal_open_refuses_and_names_the_flags_and_mark_warns() {
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path();
    let (a, b) = two_files(data);
    let (a, b) = (a.to_str().unwrap(), b.to_str().unwrap());
    let journal = data.join("sessions/console-small/journal.jsonl");
    // A session opened on a.toml (input ends at once: the plain console quits).
    let out = warroom(data, &["open", a]);
    assert!(out.status.code().is_some(), "{out:?}");
    assert_eq!(opened_hashes(&journal).len(), 1, "{}", String::from_utf8_lossy(&out.stderr));
    // The same file again: no question.
    let out = warroom(data, &["open", a]);
    assert!(!String::from_utf8_lossy(&out.stderr).contains("another runbook file"));
    let joined = opened_hashes(&journal).len();

    let out = warroom(data, &["open", b]);
    let err = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(2), "{err}");
    assert!(
        err.contains("another runbook file") && err.contains("--new-session") && err.contains("--join-anyway"),
        "{err}"
    );
    assert_eq!(opened_hashes(&journal).len(), joined, "refused: nothing written");

    let out = warroom(data, &["open", "--new-session", b]);
    assert!(String::from_utf8_lossy(&out.stderr).contains("console-small-2"), "{out:?}");
    assert_eq!(opened_hashes(&data.join("sessions/console-small-2/journal.jsonl")), vec![sha256_hex(Path::new(b))]);
    assert_eq!(opened_hashes(&journal).len(), joined);

    let out = warroom(data, &["mark", b, "checkout", "fail"]);
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(out.status.success(), "{err}");
    assert!(err.contains("warning") && err.contains("another runbook file"), "{err}");

    let out = warroom(data, &["open", "--join-anyway", b]);
    assert!(String::from_utf8_lossy(&out.stderr).contains("joined anyway"), "{out:?}");
    assert_eq!(opened_hashes(&journal).last(), Some(&sha256_hex(Path::new(b))));
}
