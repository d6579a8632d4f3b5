//! The real binary in real tmux (a private server per test process,
//! tests/support/tmux.rs).

#[path = "../support/tmux.rs"]
mod tmux;

use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::{Duration, Instant};

use super::receiver::{down_url, start_blocking, Answer, Receiver};
use tmux::{Pane, PATIENCE};

fn runbook() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/channels.toml")
}

struct Console {
    pane: Pane,
    /// Shared by consoles on one session.
    data: std::rc::Rc<tempfile::TempDir>,
}

impl Console {
    /// The console with the golive channel posting to `golive` (the alerts channel unreachable).
    fn on_golive(name: &str, golive: &Receiver) -> Console {
        Console::start(
            name,
            &format!(
                "WR_TEST_GOLIVE_URL={} WR_TEST_GOLIVE_TOKEN=t WR_TEST_ALERTS_URL=http://127.0.0.1:9/",
                golive.url()
            ),
        )
    }

    /// `i`, then the `tabs`-th severity with `summary`, recorded with Enter.
    fn declare(&self, tabs: usize, summary: &str) {
        self.keys(&["i"]);
        self.wait_screen("Declare an incident");
        self.keys(&vec!["Tab"; tabs]);
        self.text(summary);
        self.keys(&["Enter"]);
    }

    /// `warroom open` on the fixture with `env` (`NAME=value …`) in a new tmux session.
    fn start(name: &str, env: &str) -> Console {
        Console::start_on(name, env, std::rc::Rc::new(tempfile::tempdir().unwrap()), "ana")
    }

    /// A console on the session in `data`, as `operator`.
    fn start_on(name: &str, env: &str, data: std::rc::Rc<tempfile::TempDir>, operator: &str) -> Console {
        let cmd = format!(
            "export WARROOM_DATA_DIR={data} WARROOM_CONFIG_DIR={data}/config WARROOM_OPERATOR={operator} TERM=xterm-256color {env} && {bin} open {rb}; echo EXIT=$?; sleep 600",
            data = data.path().display(),
            bin = env!("CARGO_BIN_EXE_warroom"),
            rb = runbook().display(),
        );
        Console { pane: Pane::start(name, 160, 45, &cmd), data }
    }

    fn screen(&self) -> String {
        self.pane.screen()
    }

    fn keys(&self, keys: &[&str]) {
        self.pane.keys(keys);
    }

    fn text(&self, text: &str) {
        self.pane.literal(text);
    }

    fn journal(&self) -> PathBuf {
        self.data.path().join("sessions/channels-test/journal.jsonl")
    }

    fn journal_text(&self) -> String {
        std::fs::read_to_string(self.journal()).unwrap_or_default()
    }

    /// Polls `cond` until it holds (a guard against hangs, not a timing assertion).
    fn wait(&self, what: &str, cond: impl Fn(&Console) -> bool) {
        self.pane.wait_for(what, PATIENCE, || cond(self), || format!("--- journal ---\n{}", self.journal_text()));
    }

    fn wait_screen(&self, needle: &str) {
        self.wait(&format!("{needle:?} on screen"), |c| c.screen().contains(needle));
    }
}

/// `warroom handover` on the console's session, in Markdown.
fn handover(c: &Console, extra: &[&str]) -> String {
    let out = Command::new(env!("CARGO_BIN_EXE_warroom"))
        .env("WARROOM_DATA_DIR", c.data.path())
        .arg("handover")
        .arg(runbook())
        .args(extra)
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    String::from_utf8_lossy(&out.stdout).to_string()
}

fn records(journal: &str, kind: &str) -> Vec<serde_json::Value> {
    journal
        .lines()
        .filter_map(|l| serde_json::from_str::<serde_json::Value>(l).ok())
        .filter(|v| v["kind"] == kind)
        .collect()
}

#[test]
fn a_decision_reaches_the_receiver_and_a_down_channel_is_retried_shown_and_journaled() {
    let golive = start_blocking(Answer::Ok);
    let down = down_url();
    let c = Console::start(
        "decision",
        &format!("WR_TEST_GOLIVE_URL={} WR_TEST_GOLIVE_TOKEN='Bearer tok-1' WR_TEST_ALERTS_URL={down}", golive.url()),
    );
    c.wait_screen("Release 5.0");
    // Both channels start with nothing sent.
    c.wait_screen("ch golive ·  alerts ·");
    c.keys(&["d", "Tab", "Tab"]);
    c.text("checkout broken on card payments");
    c.keys(&["Enter"]);
    let decided = Instant::now();
    c.wait_screen("decision: NO-GO by ana");
    c.wait("the filled template at the receiver", |_| !golive.got().is_empty());
    eprintln!("decision → receiver: {:?}", decided.elapsed());
    let got = golive.got();
    let text = got[0].body["text"].as_str().unwrap_or_default().to_string();
    assert!(text.contains("[GO-LIVE] Decision NO-GO by ana: checkout broken on card payments"), "{text}");
    assert_eq!(got[0].body["event"], "decision.recorded");
    assert_eq!(got[0].authorization.as_deref(), Some("Bearer tok-1"));
    assert_eq!(got.len(), 1, "sent once");
    c.wait_screen("golive ✓");
    // The down channel: retries on the message line, then a failure that stays on the status line.
    c.wait_screen("alerts ↻");
    c.wait_screen("alerts ✗");
    c.wait_screen("message decision NOT sent to alerts after 4 attempts: connection refused");
    c.wait("message.failed in the journal", |c| !records(&c.journal_text(), "message.failed").is_empty());
    let j = c.journal_text();
    let failed = &records(&j, "message.failed")[0]["data"];
    assert_eq!((failed["channel"].as_str(), failed["attempts"].as_u64()), (Some("alerts"), Some(4)));
    assert!(failed["error"].as_str().unwrap().contains("connection refused"), "{failed}");
    let sent = &records(&j, "message.sent")[0]["data"];
    assert_eq!(
        (sent["channel"].as_str(), sent["status"].as_u64(), sent["on"].as_str()),
        (Some("golive"), Some(200), Some("decision.recorded"))
    );
    // The handover says the channel fails (open) and that it failed (changed).
    let md = handover(&c, &[]);
    assert!(md.contains("Channel alerts failing: message decision NOT sent after 4 attempts"), "{md}");
    assert!(md.contains("### Messages"), "{md}");
    for secret in [golive.url(), down, "tok-1".to_string()] {
        assert!(!j.contains(&secret), "journal holds the secret {secret}");
        assert!(!c.screen().contains(&secret), "screen shows the secret {secret}");
        assert!(!md.contains(&secret), "handover shows the secret {secret}");
    }
    c.keys(&["q"]);
    c.wait_screen("EXIT=0");
}

#[test]
fn a_receiver_answering_500_and_a_slow_one_are_retried_shown_and_journaled() {
    let broken = start_blocking(Answer::Always500);
    // Slower than the sender's 5 s per attempt: every attempt times out.
    let slow = start_blocking(Answer::Slow(Duration::from_secs(30)));
    let c = Console::start(
        "500-slow",
        &format!("WR_TEST_GOLIVE_URL={} WR_TEST_GOLIVE_TOKEN=t WR_TEST_ALERTS_URL={}", broken.url(), slow.url()),
    );
    c.wait_screen("Release 5.0");
    c.keys(&["d", "Tab", "Tab"]);
    c.text("smoke failing");
    c.keys(&["Enter"]);
    c.wait_screen("decision: NO-GO by ana");
    c.wait_screen("golive ✗500");
    c.wait_screen("alerts ✗");
    c.wait("both failures in the journal", |c| records(&c.journal_text(), "message.failed").len() == 2);
    let j = c.journal_text();
    let failed = records(&j, "message.failed");
    let of = |ch: &str| failed.iter().find(|f| f["data"]["channel"] == ch).unwrap()["data"].clone();
    let (g, a) = (of("golive"), of("alerts"));
    assert_eq!((g["status"].as_u64(), g["attempts"].as_u64()), (Some(500), Some(4)), "{g}");
    assert_eq!(a["attempts"].as_u64(), Some(4), "{a}");
    assert!(a["error"].as_str().unwrap().contains("timeout"), "{a}");
    // Retried: the receivers saw every attempt.
    assert_eq!(broken.got().len(), 4);
    assert_eq!(slow.got().len(), 4);
    assert!(records(&j, "message.sent").is_empty());
    c.keys(&["q"]);
    c.wait_screen("EXIT=0");
}

#[test]
fn a_status_update_sent_with_s_reaches_the_channel_and_counts_as_the_update() {
    let golive = start_blocking(Answer::Ok);
    let c = Console::on_golive("update", &golive);
    c.wait_screen("Release 5.0");
    // SEV1, then FAST (an update every 2 s).
    c.declare(2, "cache cold");
    c.wait_screen("status update due");
    c.wait_screen("Incident status update");
    c.keys(&["s"]);
    c.wait("the update at the receiver", |_| {
        golive.got().iter().any(|g| g.body["text"].as_str().unwrap_or_default().contains("[FAST] cache cold"))
    });
    c.wait("message.sent of the update", |c| {
        records(&c.journal_text(), "message.sent").iter().any(|r| r["data"]["template"] == "status-update")
    });
    c.keys(&["Escape"]);
    let out = Command::new(env!("CARGO_BIN_EXE_warroom"))
        .args(["report", "--format", "json", "--runbook"])
        .arg(runbook())
        .arg(c.journal())
        .output()
        .unwrap();
    let report: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let clocks = report["incidents"][0]["clocks"].as_array().unwrap().clone();
    let first = clocks.iter().find(|k| k["clock"] == "update").unwrap();
    // Posted (late: the prompt opens when it falls due), not still owed.
    assert!(first["outcome"] == "missed" || first["outcome"] == "met", "{first}");
    assert!(first["at"].is_string(), "the send is the post: {first}");
    c.keys(&["q"]);
    c.wait_screen("EXIT=0");
}

#[test]
fn an_incident_declared_in_the_console_reaches_the_receiver_with_its_severity() {
    let golive = start_blocking(Answer::Ok);
    let c = Console::on_golive("declare", &golive);
    c.wait_screen("Release 5.0");
    c.declare(1, "checkout failing");
    c.wait("the message at the receiver", |_| !golive.got().is_empty());
    let got = golive.got();
    let text = got[0].body["text"].as_str().unwrap_or_default();
    // Filled once the whole act is written: the declaration and its severity.
    assert!(text.contains("[INCIDENT] SEV1: checkout failing (declared by ana)"), "{text}");
    assert_eq!(got[0].body["event"], "incident.declared");
    c.wait_screen("golive ✓");
    assert_eq!(golive.got().len(), 1, "sent once");
    // The incident's links (its severity's) in the Escalation pane's details; 1 copies.
    c.keys(&["5", "Enter"]);
    c.wait_screen("SEV1 Major: checkout failing");
    c.wait_screen("1  Incident playbook  https://wiki.example/sev1");
    c.keys(&["1"]);
    c.wait("the URL in tmux's paste buffer", |_| {
        tmux::tmux_out(&["show-buffer"]).contains("https://wiki.example/sev1")
    });
    c.keys(&["Escape"]);
    c.keys(&["q"]);
    c.wait_screen("EXIT=0");
}

#[test]
fn t0_set_from_the_command_line_moves_the_countdown_and_the_phase_in_an_open_console() {
    let c = Console::start("t0", "WR_TEST_GOLIVE_URL=http://127.0.0.1:9/ WR_TEST_ALERTS_URL=http://127.0.0.1:9/");
    c.wait_screen("Release 5.0");
    // The runbook's T-0 is years away, before any phase.
    c.wait("the runbook's countdown", |c| c.screen().contains(" │ T-") && c.screen().contains("d "));
    // T-0 one hour ago (UTC, RFC 3339): the deploy phase is on.
    let t0 = (chrono::Utc::now() - chrono::Duration::hours(1)).to_rfc3339();
    let out = Command::new(env!("CARGO_BIN_EXE_warroom"))
        .env("WARROOM_DATA_DIR", c.data.path())
        .env("WARROOM_OPERATOR", "bo")
        .args(["t0"])
        .arg(runbook())
        .args(["set", &t0])
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    assert!(
        String::from_utf8_lossy(&out.stdout).contains("recorded: T-0 = "),
        "{}",
        String::from_utf8_lossy(&out.stdout)
    );
    c.wait_screen("T+01h 00m deploy");
    assert!(records(&c.journal_text(), "t0.set").len() == 1);
    let bad = Command::new(env!("CARGO_BIN_EXE_warroom"))
        .env("WARROOM_DATA_DIR", c.data.path())
        .args(["t0"])
        .arg(runbook())
        .args(["set", "next tuesday"])
        .output()
        .unwrap();
    assert_eq!(bad.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&bad.stderr).contains("2026-02-12T06:00"));
    c.keys(&["q"]);
    c.wait_screen("EXIT=0");
}

#[test]
fn a_pass_with_valid_for_expires_to_pending_in_the_console_and_the_report() {
    let c = Console::start("expiry", "WR_TEST_GOLIVE_URL=http://127.0.0.1:9/ WR_TEST_ALERTS_URL=http://127.0.0.1:9/");
    c.wait_screen("Release 5.0");
    // Checklist, first row (critical: checkout), then smoke.
    c.keys(&["2", "j", "Space"]);
    c.wait_screen("✓ PASS    Smoke test by hand");
    c.wait("the verdict in the journal", |c| !records(&c.journal_text(), "criterion.marked").is_empty());
    let ticked = Instant::now();
    c.wait_screen("· PENDING Smoke test by hand");
    c.wait_screen("expired ana");
    eprintln!("tick → expired on screen: {:?}", ticked.elapsed());
    let out = Command::new(env!("CARGO_BIN_EXE_warroom"))
        .args(["report", "--format", "json", "--runbook"])
        .arg(runbook())
        .arg(c.journal())
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let report: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let smoke = report["checklist"].as_array().unwrap().iter().find(|c| c["id"] == "smoke").unwrap().clone();
    assert_eq!(smoke["verdict"], "pending", "{smoke}");
    let why = smoke["expired"].as_str().unwrap();
    assert!(why.starts_with("expired (pass, ticked ") && why.contains("by ana; valid for 2s"), "{why}");
    // The handover lists it among what changed and what is open.
    let md = handover(&c, &[]);
    assert!(md.contains("### Expired criteria"), "{md}");
    assert!(md.contains("Criterion expired: Smoke test by hand — expired (pass, ticked "), "{md}");
    c.keys(&["q"]);
    c.wait_screen("EXIT=0");
}

#[test]
fn links_are_listed_in_details_and_a_number_copies_the_url() {
    let c = Console::start("links", "WR_TEST_GOLIVE_URL=http://127.0.0.1:9/ WR_TEST_ALERTS_URL=http://127.0.0.1:9/");
    c.wait_screen("Release 5.0");
    c.keys(&["2", "j", "Enter"]);
    c.wait_screen("1  Smoke dashboard  https://grafana.example/d/smoke");
    c.wait("valid for 2s in details", |c| c.screen().lines().any(|l| l.contains("valid for ") && l.contains(" 2s ")));
    c.keys(&["1"]);
    c.wait_screen("copied 31 bytes to the tmux paste buffer");
    c.wait("the URL in tmux's paste buffer", |_| {
        tmux::tmux_out(&["show-buffer"]).contains("https://grafana.example/d/smoke")
    });
    c.keys(&["2"]);
    c.wait_screen("no link 2 here");
    c.keys(&["Escape"]);
    c.wait("details closed", |c| !c.screen().contains("Smoke dashboard"));
    c.keys(&["q"]);
    c.wait_screen("EXIT=0");
}

#[test]
fn the_demo_sends_a_decision_to_its_own_chat_and_shows_the_delivery() {
    let temp = tempfile::tempdir().unwrap();
    let cmd = format!(
        "export TMPDIR={t} WARROOM_DATA_DIR={t}/data WARROOM_CONFIG_DIR={t}/config WARROOM_OPERATOR=ana TERM=xterm-256color && {bin} demo; echo EXIT=$?; sleep 600",
        t = temp.path().display(),
        bin = env!("CARGO_BIN_EXE_warroom"),
    );
    let c = Console { pane: Pane::start("demo-chat", 160, 50, &cmd), data: std::rc::Rc::new(temp) };
    c.wait_screen("Alder platform (demo)");
    c.wait_screen("ch golive ·");
    c.keys(&["d", "Tab", "Tab"]);
    c.text("waiting for the payments team");
    c.keys(&["Enter"]);
    c.wait_screen("ch golive ✓");
    // The chat log (third in the Logs pane) shows what the demo chat received;
    // a message is several lines, so it is read full-screen (Enter).
    c.keys(&["4", "j", "j", "Enter"]);
    c.wait_screen("[#golive] [GO-LIVE] Decision NO-GO by ana: waiting for the pay");
    c.keys(&["Escape"]);
    c.wait("the full-screen log closed", |c| c.screen().contains("1 Steps"));
    // An incident declared in the console is announced there too, with its severity.
    c.declare(1, "payments down");
    c.wait_screen("ch golive ✓");
    c.keys(&["4", "Enter"]);
    c.wait_screen("[#golive] [INCIDENT] SEV0 — payments down");
    c.keys(&["Escape"]);
    c.wait("the full-screen log closed", |c| c.screen().contains("1 Steps"));
    c.keys(&["q"]);
    c.wait_screen("EXIT=0");
}

#[test]
fn with_two_consoles_open_an_automatic_message_goes_out_once() {
    let golive = start_blocking(Answer::Ok);
    let env = format!("WR_TEST_GOLIVE_URL={} WR_TEST_GOLIVE_TOKEN=t WR_TEST_ALERTS_URL={}", golive.url(), golive.url());
    let a = Console::start("once-a", &env);
    let b = Console::start_on("once-b", &env, a.data.clone(), "bo");
    a.wait_screen("Release 5.0");
    b.wait_screen("Release 5.0");
    a.keys(&["d", "Tab", "Tab"]);
    a.text("two consoles, one message");
    a.keys(&["Enter"]);
    // The other console folds the decision and both deliveries in (from the journal) ...
    b.wait_screen("decision: NO-GO by ana");
    b.wait_screen("ch golive ✓  alerts ✓");
    a.wait_screen("ch golive ✓  alerts ✓");
    // ... and sent nothing itself: one message per channel.
    let got = golive.got();
    assert_eq!(got.len(), 2, "{got:?}");
    assert!(got.iter().any(|g| g.body["channel"] == "golive"), "{got:?}");
    assert_eq!(records(&a.journal_text(), "message.sent").len(), 2);
    for c in [&a, &b] {
        c.keys(&["q"]);
        c.wait_screen("EXIT=0");
    }
    assert_eq!(golive.got().len(), 2, "a late second send");
}

/// Runs the console under `script`, recording every byte it writes.
fn recorded(name: &str, env: &str) -> (Console, PathBuf) {
    let data = std::rc::Rc::new(tempfile::tempdir().unwrap());
    let file = data.path().join("typescript");
    let open = format!("{env} {} open {}", env!("CARGO_BIN_EXE_warroom"), runbook().display());
    let cmd = format!(
        "export WARROOM_DATA_DIR={data} WARROOM_CONFIG_DIR={data}/config WARROOM_OPERATOR=ana TERM=xterm-256color WR_TEST_GOLIVE_URL=http://127.0.0.1:9/ WR_TEST_ALERTS_URL=http://127.0.0.1:9/ && script -qfec '{open}' {file}; echo EXIT=$?; sleep 600",
        data = data.path().display(),
        file = file.display(),
    );
    (Console { pane: Pane::start(name, 160, 45, &cmd), data }, file)
}

#[test]
fn links_are_osc8_hyperlinks_when_asked_and_plain_text_in_tmux_otherwise() {
    let osc8 = "\x1b]8;;https://grafana.example/d/smoke\x1b\\https://grafana.example/d/smoke\x1b]8;;\x1b\\";
    for (env, want) in [("WARROOM_HYPERLINKS=1", true), ("", false)] {
        let (c, file) = recorded(if want { "osc8-on" } else { "osc8-off" }, env);
        c.wait_screen("Release 5.0");
        c.keys(&["2", "j", "Enter"]);
        c.wait_screen("1  Smoke dashboard  https://grafana.example/d/smoke");
        // Escape and q sent at once would read as Alt-q: wait for the details to close.
        c.keys(&["Escape"]);
        c.wait("details closed", |c| !c.screen().contains("Smoke dashboard"));
        c.keys(&["q"]);
        c.wait_screen("EXIT=0");
        let bytes = String::from_utf8_lossy(&std::fs::read(&file).unwrap()).to_string();
        assert_eq!(bytes.contains(osc8), want, "OSC 8 written: {}", bytes.contains("\x1b]8;"));
        if !want {
            assert!(!bytes.contains("\x1b]8;"), "no OSC 8 at all inside tmux");
        }
    }
}
