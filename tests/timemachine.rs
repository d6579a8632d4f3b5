//! The time machine on the real binary: `warroom replay` in a real tmux
//! (the binary's private server, tests/support/tmux.rs), and `--diff` as a command. The
//! journal is written with the real journal store at fixed times. Every wait
//! is on a condition on the screen, never a fixed sleep.

#[path = "support/tmux.rs"]
mod tmux;

use std::path::{Path, PathBuf};
use std::process::Command;

use chrono::{DateTime, TimeZone, Utc};
use warroom::domain::event::{Decision, EventKind, MarkSource, ProbeHealth, Verdict};
use warroom::sources::journal::Journal;

use tmux::{Pane, PATIENCE};

fn runbook() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/console-small.toml")
}

fn at(min: u32, sec: u32) -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2026, 2, 12, 6, min, sec).unwrap()
}

fn mark(criterion: &str, verdict: Verdict, source: MarkSource, cause: Option<&str>) -> EventKind {
    EventKind::CriterionMarked {
        criterion: criterion.into(),
        verdict,
        note: None,
        source,
        cause: cause.map(str::to_string),
    }
}

fn probe(health: ProbeHealth) -> EventKind {
    EventKind::ProbeChanged { probe: "homepage".into(), health, cause: None }
}

/// A short go-live: homepage UP, an outage 06:05–06:08, checkout passed by
/// bob at 06:09, GO by carol at 06:12. Seq n is the n-th line.
fn write_journal(dir: &Path) -> PathBuf {
    let path = dir.join("journal.jsonl");
    let mut j = Journal::open(&path).unwrap().journal;
    let opened = EventKind::SessionOpened {
        runbook: "console-small".into(),
        title: "Release 4.2 — shop".into(),
        client: None,
        path: Some(runbook().display().to_string()),
        runbook_sha256: None,
        outline: None,
    };
    let events: Vec<(&str, DateTime<Utc>, EventKind)> = vec![
        ("ana", at(0, 0), opened),
        ("ana", at(1, 0), probe(ProbeHealth::Up)),
        ("ana", at(2, 0), mark("homepage-200", Verdict::Pass, MarkSource::Auto, Some("probe homepage UP"))),
        ("ana", at(5, 0), probe(ProbeHealth::Down)),
        ("ana", at(5, 1), mark("homepage-200", Verdict::Fail, MarkSource::Auto, Some("probe homepage DOWN"))),
        ("ana", at(8, 0), probe(ProbeHealth::Up)),
        ("ana", at(8, 1), mark("homepage-200", Verdict::Pass, MarkSource::Auto, Some("probe homepage UP"))),
        ("bob", at(9, 0), mark("checkout", Verdict::Pass, MarkSource::Manual, None)),
        ("ana", at(10, 0), mark("database-up", Verdict::Pass, MarkSource::Manual, None)),
        (
            "carol",
            at(12, 0),
            EventKind::DecisionRecorded {
                decision: Decision::Go,
                reason: "all green".into(),
                recommendation: None,
                overrides: vec![],
                supersedes: None,
            },
        ),
    ];
    for (op, ts, ev) in events {
        j.append(op, ts, &ev).unwrap();
    }
    path
}

/// `warroom replay ARGS` in a new 160×50 pane; afterwards the shell prints the exit status.
fn replay(name: &str, dir: &Path, args: &str) -> Pane {
    let cmd = format!(
        "cd {dir} && export WARROOM_DATA_DIR={dir} WARROOM_CONFIG_DIR={dir}/config WARROOM_OPERATOR=ana TERM=xterm-256color && {bin} replay {args}; echo EXIT=$?; sleep 600",
        dir = dir.display(),
        bin = env!("CARGO_BIN_EXE_warroom"),
    );
    Pane::start(name, 160, 50, &cmd)
}

/// The homepage row of the Probes pane.
fn homepage_row(screen: &str) -> String {
    screen
        .lines()
        .find(|l| l.contains(" homepage ") && (l.contains("UP") || l.contains("DOWN")))
        .unwrap_or("")
        .to_string()
}

#[test]
fn replay_at_a_moment_before_the_decision_shows_none_and_after_shows_it() {
    let dir = tempfile::tempdir().unwrap();
    let j = write_journal(dir.path());
    let before = replay("before", dir.path(), &format!("{} --at 06:11", j.display()));
    before.wait_screen("REPLAY");
    before.wait_screen("decision: none");
    assert!(before.screen().contains("06:10:00 UTC"), "the moment's clock:\n{}", before.screen());
    let after = replay("after", dir.path(), &format!("{} --at 06:13", j.display()));
    after.wait_screen("decision: GO by carol");
    // Only read: no presence (nor anything else) written beside the journal.
    let beside = j.parent().unwrap().join("presence");
    assert!(!beside.exists(), "replay announced itself beside the journal: {}", beside.display());
    // Leaving the time machine quits `replay`, cleanly.
    after.keys(&["q"]);
    after.wait_screen("EXIT=0");
}

#[test]
fn stepping_across_a_probe_outage_shows_down_then_up() {
    let dir = tempfile::tempdir().unwrap();
    let j = write_journal(dir.path());
    let p = replay("outage", dir.path(), &format!("{} --at 3", j.display()));
    p.wait("homepage UP at seq 3", |s| homepage_row(s).contains("UP"), PATIENCE);
    // Next failure: the probe going DOWN (seq 4).
    p.keys(&["f"]);
    p.wait(
        "homepage DOWN after the next failure",
        |s| homepage_row(s).contains("DOWN") && s.contains("#4 probe.changed"),
        PATIENCE,
    );
    assert!(p.screen().contains("ROLLBACK") || p.screen().contains("rec:"), "{}", p.screen());
    // Event by event: the verdict (seq 5), then the probe back UP (seq 6).
    p.keys(&["Right"]);
    p.wait_screen("#5 criterion.marked");
    p.keys(&["Right"]);
    p.wait("homepage UP again", |s| homepage_row(s).contains("UP") && s.contains("#6 probe.changed"), PATIENCE);
    // Back one minute from 06:08:00: before the outage ended.
    p.keys(&["["]);
    p.wait("homepage DOWN a minute earlier", |s| homepage_row(s).contains("DOWN"), PATIENCE);
}

#[test]
fn why_not_go_lists_the_blocking_criterion_with_its_source() {
    let dir = tempfile::tempdir().unwrap();
    let j = write_journal(dir.path());
    let p = replay("whynot", dir.path(), &format!("{} --at 5", j.display()));
    p.wait_screen("#5 criterion.marked");
    p.keys(&["y"]);
    p.wait_screen("Why not GO");
    let s = p.screen();
    assert!(s.contains("FAIL    [critical] homepage-200"), "{s}");
    assert!(s.contains("since 06:05:01") && s.contains("auto from probe:homepage"), "{s}");
    assert!(s.contains("PENDING [critical] checkout"), "{s}");
}

fn warroom(args: &[&str]) -> std::process::Output {
    Command::new(env!("CARGO_BIN_EXE_warroom")).args(args).output().unwrap()
}

#[test]
fn the_diff_of_two_moments_names_the_criterion_and_who_changed_it() {
    let dir = tempfile::tempdir().unwrap();
    let j = write_journal(dir.path());
    let j = j.to_str().unwrap();
    let out = warroom(&["replay", j, "--diff", "06:08:30", "06:09:30"]);
    let text = String::from_utf8_lossy(&out.stdout);
    assert_eq!(out.status.code(), Some(0), "{text}");
    assert!(text.contains("criterion checkout: PENDING → PASS — by bob"), "{text}");
    assert!(!text.contains("homepage"), "outside the window: {text}");
    let out = warroom(&["replay", j, "--diff", "start", "end"]);
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(text.contains("decision GO: all green — by carol"), "{text}");
    assert!(text.contains("probe homepage: unknown → UP"), "{text}");

    let bad = warroom(&["replay", j, "--diff", "yesterday", "end"]);
    assert_eq!(bad.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&bad.stderr).contains("\"yesterday\" is not a moment"));
    // Moments out of order, or past the journal's end, are refused rather than shown as "0 changes".
    let reversed = warroom(&["replay", j, "--diff", "end", "start"]);
    assert_eq!(reversed.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&reversed.stderr).contains("the first moment is after the second"));
    let past = warroom(&["replay", j, "--diff", "999", "1000"]);
    assert_eq!(past.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&past.stderr).contains("there is no record 999"));
    let missing = warroom(&["replay", "/nonexistent/journal.jsonl", "--diff", "1", "2"]);
    assert_eq!(missing.status.code(), Some(2));
}

#[test]
fn the_demo_replays_a_finished_go_live_with_a_rollback() {
    let dir = tempfile::tempdir().unwrap();
    let p = replay("demo", dir.path(), "");
    // `replay` with no journal is a usage error: the pane shows exit 2.
    p.wait_screen("EXIT=2");
    drop(p);
    let cmd = format!(
        "export WARROOM_DATA_DIR={dir} WARROOM_CONFIG_DIR={dir}/config TERM=xterm-256color && {bin} demo --replay; echo EXIT=$?; sleep 600",
        dir = dir.path().display(),
        bin = env!("CARGO_BIN_EXE_warroom"),
    );
    let p = Pane::start("demo-replay", 160, 50, &cmd);
    p.wait_screen("decision: ROLLBACK by ana");
    p.keys(&["g"]);
    p.wait_screen("decision: none");
    p.keys(&["a"]);
    p.wait_screen("#19 trigger.fired");
    p.keys(&["d"]);
    p.wait_screen("decision: ROLLBACK by ana");
    p.keys(&["q"]);
    p.wait_screen("EXIT=0");
}

#[test]
fn a_live_console_opens_the_time_machine_and_comes_back_to_live() {
    let dir = tempfile::tempdir().unwrap();
    let cmd = format!(
        "cd {dir} && export WARROOM_DATA_DIR={dir} WARROOM_CONFIG_DIR={dir}/config WARROOM_OPERATOR=ana TERM=xterm-256color && {bin} open {rb}; echo EXIT=$?; sleep 600",
        dir = dir.path().display(),
        bin = env!("CARGO_BIN_EXE_warroom"),
        rb = runbook().display(),
    );
    let p = Pane::start("live", 160, 50, &cmd);
    p.wait_screen("decision: none");
    // An act, so the session has something to travel over.
    p.keys(&["2", "j", "Space"]);
    p.wait_screen("PASS    Checkout");
    p.keys(&["t"]);
    p.wait_screen("REPLAY");
    p.wait_screen("criterion.marked by ana");
    // Back before the mark: checkout is pending again in the past.
    p.keys(&["Left"]);
    p.wait(
        "checkout pending in the past",
        |s| s.contains("PENDING Checkout") && !s.contains("PASS    Checkout"),
        PATIENCE,
    );
    p.keys(&["Escape"]);
    p.wait("live again", |s| !s.contains("REPLAY") && s.contains("PASS    Checkout"), PATIENCE);
    p.keys(&["E"]);
    p.wait_screen("What changed in the last 10 minutes");
    assert!(p.screen().contains("criterion checkout: PENDING → PASS"), "{}", p.screen());
    // Escape and a letter in one write read as Alt-letter: one at a time.
    p.keys(&["Escape"]);
    p.wait("the overlay closed", |s| !s.contains("What changed"), PATIENCE);
    p.keys(&["y"]);
    p.wait_screen("Why not GO");
    assert!(p.screen().contains("[critical] homepage-200"), "{}", p.screen());
    p.keys(&["Escape"]);
    p.wait("the overlay closed", |s| !s.contains("Why not GO"), PATIENCE);
    p.keys(&["q"]);
    p.wait_screen("EXIT=0");
}
