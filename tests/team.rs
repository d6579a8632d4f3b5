//! The team war room end to end (docs/console.md presence, docs/incident.md
//! severities and handover): real consoles in a private tmux server
//! (tests/support/tmux.rs), the real CLI beside them, one shared data dir per
//! test. Every wait polls a condition with a generous deadline; the times
//! printed are measurements, not assertions.

#[path = "support/tmux.rs"]
mod tmux;

use std::path::{Path, PathBuf};
use std::process::{Command, Output};
use std::time::{Duration, Instant};

use tmux::{Pane, PATIENCE};

const BIN: &str = env!("CARGO_BIN_EXE_warroom");

fn runbook() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/team.toml")
}

/// Polls `cond` until it holds (panicking with `detail()` after `PATIENCE`); returns how long it took.
fn wait(what: &str, cond: impl Fn() -> bool, detail: impl Fn() -> String) -> Duration {
    let start = Instant::now();
    assert!(tmux::poll(PATIENCE, cond), "timed out waiting for {what}\n{}", detail());
    start.elapsed()
}

/// A data dir shared by the consoles and commands of one test.
struct Room {
    data: tempfile::TempDir,
}

impl Room {
    fn new() -> Room {
        Room { data: tempfile::tempdir().unwrap() }
    }

    fn journal(&self) -> PathBuf {
        self.data.path().join("sessions/team/journal.jsonl")
    }

    fn journal_text(&self) -> String {
        std::fs::read_to_string(self.journal()).unwrap_or_default()
    }

    /// `warroom ARGS…` as `operator` on this room's session.
    fn cli(&self, operator: &str, args: &[&str]) -> Output {
        Command::new(BIN)
            .env("WARROOM_DATA_DIR", self.data.path())
            .env("WARROOM_OPERATOR", operator)
            .args(args)
            .output()
            .unwrap()
    }

    fn open(&self, tag: &str, operator: &str, extra: &str) -> Console {
        self.open_on(tag, operator, &runbook(), "", extra)
    }

    /// `warroom open RB EXTRA` as `operator`, with `env` (`K=V …`) exported too.
    fn open_on(&self, tag: &str, operator: &str, rb: &Path, env: &str, extra: &str) -> Console {
        let cmd = format!(
            "export WARROOM_DATA_DIR={data} WARROOM_CONFIG_DIR={data}/config WARROOM_OPERATOR={operator} TERM=xterm-256color {env} && \
             {BIN} open {rb} {extra}; sleep 600",
            data = self.data.path().display(),
            rb = rb.display(),
        );
        Console { pane: Pane::start(&format!("team-{tag}"), 160, 45, &cmd) }
    }
}

struct Console {
    pane: Pane,
}

impl Console {
    fn screen(&self) -> String {
        self.pane.screen()
    }
    fn keys(&self, keys: &[&str]) {
        self.pane.keys(keys);
    }
    fn text(&self, t: &str) {
        self.pane.literal(t);
    }
    fn wait_for(&self, what: &str, cond: impl Fn(&str) -> bool) -> Duration {
        wait(what, || cond(&self.screen()), || format!("--- screen of {} ---\n{}", self.pane.name, self.screen()))
    }
    fn wait_screen(&self, needle: &str) -> Duration {
        self.wait_for(&format!("{needle:?} on screen"), |s| s.contains(needle))
    }
    /// The status line (the second-to-last line of the screen).
    fn status(&self) -> String {
        let s = self.screen();
        let lines: Vec<&str> = s.lines().filter(|l| !l.trim().is_empty()).collect();
        lines.iter().rev().nth(1).map(|l| l.to_string()).unwrap_or_default()
    }
    /// The console's pid: the warroom child of the pane's shell.
    fn pid(&self) -> u32 {
        let shell: u32 = tmux::tmux_out(&["display", "-p", "-t", &self.pane.target(), "#{pane_pid}"])
            .trim()
            .parse()
            .expect("pane pid");
        for entry in std::fs::read_dir("/proc").unwrap().flatten() {
            let Ok(pid) = entry.file_name().to_string_lossy().parse::<u32>() else { continue };
            let stat = std::fs::read_to_string(format!("/proc/{pid}/stat")).unwrap_or_default();
            let comm = std::fs::read_to_string(format!("/proc/{pid}/comm")).unwrap_or_default();
            // Field 4 of stat is the parent pid (after the `(comm)` field).
            let ppid = stat.rsplit(") ").next().and_then(|r| r.split(' ').nth(1)).and_then(|p| p.parse::<u32>().ok());
            if comm.trim() == "warroom" && ppid == Some(shell) {
                return pid;
            }
        }
        panic!("no warroom process under {}", self.pane.name);
    }
}

fn stdout(o: &Output) -> String {
    String::from_utf8_lossy(&o.stdout).to_string()
}

fn who_json(room: &Room) -> Vec<serde_json::Value> {
    let out = room.cli("x", &["who", runbook().to_str().unwrap(), "--json"]);
    assert_eq!(out.status.code(), Some(0), "{}", String::from_utf8_lossy(&out.stderr));
    serde_json::from_slice(&out.stdout).expect("who --json prints JSON")
}

fn operators(rows: &[serde_json::Value]) -> Vec<String> {
    let mut v: Vec<String> = rows.iter().map(|r| r["operator"].as_str().unwrap_or("").to_string()).collect();
    v.sort();
    v
}

#[test]
fn two_consoles_and_who_see_each_other_and_a_killed_console_leaves() {
    let room = Room::new();
    let ana = room.open("ana", "ana", "");
    ana.wait_screen("Team drill");
    let bo = room.open("bo", "bo", "--read-only");
    let t_bo = Instant::now();
    // Each console's status line names the other; bo is marked read-only.
    let seen_by_ana = ana.wait_for("bo in ana's roster", |_| ana.status().contains("bo ▶ [ro]"));
    let seen_by_bo = bo.wait_for("ana in bo's roster", |_| bo.status().contains("ana"));
    wait("who to list both", || operators(&who_json(&room)) == ["ana", "bo"], || format!("{:?}", who_json(&room)));
    eprintln!(
        "measured: bo visible to ana {:?} after start, ana visible to bo {:?}, both in `who` {:?} after bo started",
        seen_by_ana,
        seen_by_bo,
        t_bo.elapsed()
    );
    assert!(ana.screen().contains("bo (read-only) joined"), "{}", ana.screen());
    let rows = who_json(&room);
    let bo_row = rows.iter().find(|r| r["operator"] == "bo").unwrap();
    assert_eq!(bo_row["read_only"], true);
    assert!(bo_row["doing"].as_str().unwrap().starts_with("watching"), "{bo_row}");
    let table = stdout(&room.cli("x", &["who", runbook().to_str().unwrap()]));
    assert!(table.contains("OPERATOR") && table.contains("read-only") && table.contains("acting"), "{table}");

    // What ana does shows in the roster: the who overlay, then kill -9.
    ana.keys(&["W"]);
    ana.wait_screen("Who is here (2)");
    wait(
        "ana's activity in who",
        || who_json(&room).iter().any(|r| r["operator"] == "ana" && r["doing"] == "watching Steps"),
        || format!("{:?}", who_json(&room)),
    );
    ana.keys(&["Escape"]);
    let pid = ana.pid();
    let killed = Instant::now();
    assert!(Command::new("kill").args(["-9", &pid.to_string()]).status().unwrap().success());
    // ana leaves the roster; she stays named among those who acted in the session.
    let gone = bo.wait_for("ana to leave bo's roster", |_| bo.status().contains("bo ▶ [ro] (+ana)"));
    wait("who to drop ana", || operators(&who_json(&room)) == ["bo"], || format!("{:?}", who_json(&room)));
    eprintln!("measured: a kill -9'd console left the roster {gone:?} / `who` {:?} after the kill", killed.elapsed());
    assert!(bo.screen().contains("ana left"), "{}", bo.screen());
}

#[test]
fn a_scripted_declare_starts_the_clocks_and_missed_ack_and_update_show_in_console_and_report() {
    let room = Room::new();
    let rb = runbook();
    let rb = rb.to_str().unwrap();
    let ana = room.open("clock", "ana", "");
    ana.wait_screen("Team drill");
    ana.keys(&["5"]);

    // Bad input is exit 2, naming the known severities; nothing open to ack is exit 1.
    let bad = room.cli("pager", &["incident", rb, "declare", "--severity", "SEV9"]);
    assert_eq!(bad.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&bad.stderr).contains("SEV0, SEV1"), "{bad:?}");
    assert_eq!(room.cli("pager", &["incident", rb, "ack"]).status.code(), Some(1));

    let out = room.cli("pager", &["incident", rb, "declare", "--severity", "SEV1", "--summary", "checkout 500s"]);
    assert_eq!(out.status.code(), Some(0), "{out:?}");
    let declared = Instant::now();
    assert!(stdout(&out).contains("SEV1: ack"), "{}", stdout(&out));
    let shown = ana.wait_screen("INCIDENT SEV1");
    eprintln!(
        "measured: scripted declare on the console's screen {shown:?} after the command returned ({:?} total)",
        declared.elapsed()
    );
    assert!(ana.screen().contains("Major: feature broken"), "{}", ana.screen());
    // A second declare is refused while one is open.
    assert_eq!(room.cli("pager", &["incident", rb, "declare", "--severity", "SEV0"]).status.code(), Some(1));

    // Nobody acknowledges within 4 s and no update comes within 3 s.
    ana.wait_screen("status update due");
    ana.wait_screen("Incident status update");
    assert!(ana.screen().contains("[SEV1] checkout 500s"), "the template is filled: {}", ana.screen());
    ana.keys(&["Escape"]);
    ana.wait_for("the ack overdue", |s| s.lines().any(|l| l.contains(" ack ") && l.contains("OVERDUE")));

    // The ack comes late; the update is then posted late from the console (copying the template).
    assert_eq!(room.cli("bo", &["incident", rb, "ack"]).status.code(), Some(0));
    ana.wait_screen("MISSED by");
    ana.keys(&["c"]);
    ana.wait_screen("Incident status update");
    ana.keys(&["Enter"]);
    wait("message.copied", || room.journal_text().contains("message.copied"), || room.journal_text());
    assert_eq!(room.cli("bo", &["incident", rb, "mitigated"]).status.code(), Some(0));
    assert_eq!(room.cli("bo", &["incident", rb, "resolve"]).status.code(), Some(0));

    let report = room.cli("x", &["report", room.journal().to_str().unwrap(), "--format", "json", "--runbook", rb]);
    assert_eq!(report.status.code(), Some(0));
    let r: serde_json::Value = serde_json::from_slice(&report.stdout).unwrap();
    let inc = &r["incidents"][0];
    assert_eq!(inc["severity"], "SEV1");
    let clocks = inc["clocks"].as_array().unwrap();
    let ack = clocks.iter().find(|c| c["clock"] == "ack").unwrap();
    assert_eq!(ack["outcome"], "missed", "{ack}");
    assert!(clocks.iter().any(|c| c["clock"] == "update" && c["outcome"] == "missed"), "{clocks:?}");
    let md = stdout(&room.cli("x", &["report", room.journal().to_str().unwrap(), "--runbook", rb]));
    assert!(md.contains("Declared (SEV1)") && md.contains("ack due") && md.contains("MISSED"), "{md}");
}

#[test]
fn handover_lists_what_changed_since_in_markdown_and_the_console_acknowledges_it() {
    let room = Room::new();
    let rb = runbook();
    let rb = rb.to_str().unwrap();
    assert_eq!(room.cli("ana", &["note", rb, "before the handover"]).status.code(), Some(0));
    assert_eq!(room.cli("ana", &["mark", rb, "api", "fail", "--note", "500 on /api/health"]).status.code(), Some(0));
    let since = {
        let j = room.journal_text();
        let last: serde_json::Value = serde_json::from_str(j.lines().last().unwrap()).unwrap();
        last["ts"].as_str().unwrap().to_string()
    };
    assert_eq!(room.cli("ana", &["note", rb, "DNS switched to the new **LB**"]).status.code(), Some(0));
    let out = room.cli("ana", &["incident", rb, "declare", "--severity", "SEV0", "--summary", "site down"]);
    assert_eq!(out.status.code(), Some(0), "{out:?}");

    let out = room.cli("x", &["handover", rb, "--since", &since]);
    assert_eq!(out.status.code(), Some(0), "{out:?}");
    let md = stdout(&out);
    assert!(md.starts_with("# Handover — Team drill"), "{md}");
    assert!(!md.contains("before the handover"), "older than --since: {md}");
    for want in [
        "### Failing criteria",
        "marked api FAIL",
        "### Notes",
        "DNS switched to the new \\*\\*LB\\*\\*",
        "### Incidents",
        "set the incident's severity to SEV0",
        "## Open",
        "Incident open since",
        "Criterion failing: API answers",
        "**Next:**",
    ] {
        assert!(md.contains(want), "missing {want:?} in:\n{md}");
    }
    let json = room.cli("x", &["handover", rb, "--since", &since, "--format", "json"]);
    let j: serde_json::Value = serde_json::from_slice(&json.stdout).unwrap();
    assert!(j["changed"].as_array().unwrap().iter().any(|s| s["title"] == "Notes"), "{j}");
    assert_eq!(room.cli("x", &["handover", rb, "--since", "yesterday-ish"]).status.code(), Some(2));
    let future = room.cli("x", &["handover", rb, "--since", "2999-01-01T00:00:00Z"]);
    assert_eq!(future.status.code(), Some(2), "a time to come is refused");
    assert!(String::from_utf8_lossy(&future.stderr).contains("is in the future"));

    // In the console: H shows it, a acknowledges it (journaled).
    let bo = room.open("handover", "bo", "");
    bo.wait_screen("Team drill");
    bo.keys(&["H"]);
    bo.wait_screen("# Handover — Team drill");
    bo.keys(&["a"]);
    wait(
        "handover.acknowledged by bo",
        || room.journal_text().lines().any(|l| l.contains("handover.acknowledged") && l.contains("\"bo\"")),
        || room.journal_text(),
    );
    bo.wait_screen("handover acknowledged by bo");
}

#[test]
fn the_declare_dialog_asks_for_severity_and_summary_and_changes_it() {
    let room = Room::new();
    let ana = room.open("dialog", "ana", "");
    ana.wait_screen("Team drill");
    ana.keys(&["i"]);
    ana.wait_screen("Declare an incident");
    ana.keys(&["Enter"]);
    ana.wait_screen("choose the severity with Tab first");
    // SEV0 (its update is minutes away, so no update prompt opens over the test's keys).
    ana.keys(&["Tab"]);
    ana.text("payments failing");
    ana.keys(&["Enter"]);
    wait("incident.severity SEV0", || room.journal_text().contains("\"severity\":\"SEV0\""), || room.journal_text());
    assert!(room.journal_text().contains("payments failing"));
    ana.keys(&["5"]);
    ana.wait_screen("INCIDENT SEV0");
    // m and s act on the incident while the Escalation pane has focus (m asks first).
    ana.keys(&["m"]);
    ana.wait_screen("Mark the incident mitigated");
    ana.keys(&["y"]);
    wait("incident.mitigated", || room.journal_text().contains("incident.mitigated"), || room.journal_text());
    ana.keys(&["s"]);
    ana.wait_screen("Change the incident's severity");
    ana.keys(&["Tab", "Enter"]);
    wait("incident.severity SEV1", || room.journal_text().contains("\"severity\":\"SEV1\""), || room.journal_text());
}

/// The status line drawn by the real renderer (TestBackend): roster and
/// shift at 160 columns, and what is dropped first at 80.
mod status_line {
    use chrono::{DateTime, TimeZone, Utc};
    use ratatui::backend::TestBackend;
    use ratatui::Terminal;
    use warroom::domain::presence::Presence;
    use warroom::ui::app::{App, AppConfig};
    use warroom::ui::keymap::Keymap;
    use warroom::ui::layout::Layout;
    use warroom::ui::symbols::Symbols;
    use warroom::ui::theme::{ColorDepth, Theme};

    /// 2026-02-12 06:30 UTC = 07:30 CET: the Morning shift (00:00–12:00 CET).
    fn now() -> DateTime<Utc> {
        Utc.with_ymd_and_hms(2026, 2, 12, 6, 30, 0).unwrap()
    }

    fn who(op: &str, pid: u32, read_only: bool, idle_secs: i64) -> Presence {
        Presence {
            operator: op.into(),
            user: op.into(),
            host: "bastion".into(),
            pid,
            read_only,
            since: now() - chrono::Duration::seconds(600 - pid as i64),
            heartbeat: now(),
            last_input: now() - chrono::Duration::seconds(idle_secs),
            doing: "watching Steps".into(),
        }
    }

    fn status_at(width: u16) -> String {
        status_with(width, |_| {})
    }

    fn status_with(width: u16, change: impl FnOnce(&mut App)) -> String {
        let rb = warroom::cli::runbook_file::load(&super::runbook()).unwrap().runbook;
        let mut app = App::new(AppConfig {
            runbook: rb,
            operator: "ana".into(),
            read_only: None,
            keymap: Keymap::default_map(),
            theme: Theme::builtin("dark", ColorDepth::TrueColor),
            layout: Layout::builtin("t0"),
            config_dir: None,
            symbols: Symbols { ascii: false },
            now: now(),
        });
        app.model.team.roster = vec![who("ana", 1, false, 5), who("bo", 2, true, 3600), who("ci", 3, false, 3600)];
        change(&mut app);
        let mut term = Terminal::new(TestBackend::new(width, 30)).unwrap();
        term.draw(|f| app.draw(f)).unwrap();
        let buf = term.backend().buffer().clone();
        let y = buf.area.height - 2;
        (0..buf.area.width).map(|x| buf[(x, y)].symbol().to_string()).collect()
    }

    /// Five in the room and a decision recorded by one with a long name: a crowded status line.
    fn crowd_and_decision(app: &mut App) {
        app.model.team.roster.extend([who("bartholomew", 4, false, 10), who("cyprianus", 5, false, 10)]);
        app.model.state.decision = Some(warroom::domain::state::DecisionRecord {
            decision: warroom::domain::event::Decision::Rollback,
            reason: "api down".into(),
            by: "cyprianus".into(),
            at: now(),
            recommendation: None,
            overrides: vec![],
            supersedes: None,
        });
    }

    /// At 80 columns with a decision recorded and a roster that cannot fit,
    /// the operator's own name still shows ("ana +N", never an empty field)
    /// and the decision never runs into the clock.
    #[test]
    fn at_80_columns_the_operator_stays_and_the_decision_keeps_its_distance() {
        let line = status_with(80, |app| {
            crowd_and_decision(app);
        });
        assert!(line.contains("│ ana"), "the operator shows: {line}");
        assert!(!line.contains("│  │"), "no empty field: {line}");
        assert!(
            regex::Regex::new(r"by cyprianus +\d\d:\d\dZ").unwrap().is_match(&line),
            "a gap before the clock: {line}"
        );
    }

    /// At 80 columns with a decision recorded, the others in the room are still
    /// counted ("ana · bo +3", "ana +4"): the title gives up its letters first.
    #[test]
    fn at_80_columns_the_others_in_the_room_are_counted() {
        let line = status_with(80, |app| {
            crowd_and_decision(app);
        });
        let counted = regex::Regex::new(r"│ ana[^│]* \+\d+ │").unwrap();
        assert!(counted.is_match(&line), "the others are counted: {line}");
    }

    /// A read-only console at 80 columns keeps its name and the others' count
    /// as an acting one does, and the clock keeps its space.
    #[test]
    fn at_80_columns_a_read_only_console_keeps_its_name_and_count() {
        let line = status_with(80, |app| {
            crowd_and_decision(app);
            app.model.refuse_acts("--read-only".into());
        });
        assert!(line.contains("READ-ONLY"), "{line}");
        let counted = regex::Regex::new(r"│ ana[^│]* \+\d+ │").unwrap();
        assert!(counted.is_match(&line), "the operator and the others are counted: {line}");
        assert!(regex::Regex::new(r" \d\d:\d\dZ").unwrap().is_match(&line), "a space before the clock: {line}");
    }

    /// The short shift field cuts the role's name, never its end time or the separator after it.
    #[test]
    fn the_short_shift_keeps_its_end_time_and_separator() {
        let end = regex::Regex::new(r"→\d\d:\d\d │ ").unwrap();
        let mut seen = 0;
        for width in 80..160 {
            let line = status_with(width, |app| {
                app.model.team.roster.extend([who("bartholomew", 4, false, 10), who("cyprianus", 5, false, 10)]);
                // A role name longer than the short field has room for.
                app.model.runbook.shifts.iter_mut().for_each(|s| s.role = "Monitoring the platform".into());
            });
            if line.contains('→') {
                seen += 1;
                assert!(end.is_match(&line), "at {width} columns: {line}");
            }
        }
        assert!(seen > 0, "some width shows the short shift");
    }

    #[test]
    fn roster_and_shift_fit_wide_and_narrow() {
        let wide = status_at(160);
        assert!(wide.contains("ana ▶ · bo [ro] · ci"), "{wide}");
        assert!(wide.contains("shift Morning until 12:00"), "{wide}");
        let narrow = status_at(80);
        assert!(narrow.contains("ana"), "{narrow}");
        assert!(!narrow.contains("[ro]"), "markers go first when narrow: {narrow}");
        assert!(narrow.contains("rec:") && narrow.contains("06:30"), "what must show still shows: {narrow}");
    }
}

#[test]
fn a_plain_mode_console_is_present_until_it_quits() {
    use std::io::Write;
    let room = Room::new();
    let mut child = Command::new(BIN)
        .env("WARROOM_DATA_DIR", room.data.path())
        .env("WARROOM_OPERATOR", "dee")
        .args(["open", runbook().to_str().unwrap(), "--plain"])
        .stdin(std::process::Stdio::piped())
        .stdout(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    wait("dee in who", || operators(&who_json(&room)) == ["dee"], || format!("{:?}", who_json(&room)));
    child.stdin.as_mut().unwrap().write_all(b"quit\n").unwrap();
    assert!(child.wait().unwrap().success());
    // A clean exit removes its entry at once: no waiting for a stale heartbeat.
    assert!(who_json(&room).is_empty(), "{:?}", who_json(&room));
}

/// What a console tells the others it is doing, from its open dialog.
#[test]
fn the_roster_says_what_a_console_is_doing() {
    use warroom::ui::app::{App, AppConfig};
    use warroom::ui::overlay::rollback::{RollbackDialog, Stage};
    use warroom::ui::overlay::Overlay;
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/rollback.toml");
    let rb = warroom::cli::runbook_file::load(&path).unwrap().runbook;
    let mut app = App::new(AppConfig {
        runbook: rb,
        operator: "ana".into(),
        read_only: None,
        keymap: warroom::ui::keymap::Keymap::default_map(),
        theme: warroom::ui::theme::Theme::builtin("dark", warroom::ui::theme::ColorDepth::TrueColor),
        layout: warroom::ui::layout::Layout::builtin("t0"),
        config_dir: None,
        symbols: warroom::ui::symbols::Symbols { ascii: false },
        now: chrono::Utc::now(),
    });
    assert_eq!(warroom::ui::presence::doing(&app), "watching Steps");
    app.view.overlay.open(Overlay::Rollback(RollbackDialog {
        selected: 0,
        stage: Stage::Typing { fire: true, typed: String::new() },
        runs_seen: 0,
    }));
    assert_eq!(warroom::ui::presence::doing(&app), "confirming ROLLBACK full");
    app.view.overlay.open(Overlay::Rollback(RollbackDialog {
        selected: 0,
        stage: Stage::Typing { fire: false, typed: String::new() },
        runs_seen: 0,
    }));
    assert_eq!(warroom::ui::presence::doing(&app), "approving rollback full");
}

/// `warroom who | head -1` (a reader that goes away) ends quietly: a closed
/// standard output is not a crash (it panicked with "Broken pipe", exit 101).
#[test]
fn commands_whose_reader_went_away_do_not_panic() {
    let room = Room::new();
    let rb = runbook();
    let rb = rb.to_str().unwrap();
    room.cli("ana", &["note", rb, "a note so the session has a journal"]);
    let journal = room.journal();
    let journal = journal.to_str().unwrap();
    for args in [
        vec!["who", rb],
        vec!["who", rb, "--json"],
        vec!["handover", rb],
        vec!["report", journal, "--runbook", rb],
        vec!["verify", journal],
        vec!["check", rb],
    ] {
        let (reader, writer) = std::io::pipe().unwrap();
        drop(reader);
        let out = Command::new(BIN)
            .env("WARROOM_DATA_DIR", room.data.path())
            .env("WARROOM_OPERATOR", "ana")
            .args(&args)
            .stdout(writer)
            .stderr(std::process::Stdio::piped())
            .output()
            .unwrap();
        let err = String::from_utf8_lossy(&out.stderr);
        assert_ne!(out.status.code(), Some(101), "{args:?} panicked: {err}");
        assert!(!err.contains("panicked"), "{args:?}: {err}");
    }
}

/// A headless act on a session nobody opened (a bot with the wrong data dir)
/// still records, but says it started a new session; the next act does not.
#[test]
fn a_headless_act_that_starts_a_new_session_says_so() {
    let room = Room::new();
    let rb = runbook();
    let rb = rb.to_str().unwrap();
    let first = room.cli("ana", &["note", rb, "first"]);
    assert!(first.status.success());
    let err = String::from_utf8_lossy(&first.stderr);
    assert!(err.contains("this started a new session"), "{err}");
    let second = room.cli("ana", &["note", rb, "second"]);
    let err = String::from_utf8_lossy(&second.stderr);
    assert!(!err.contains("new session"), "{err}");
}

/// Two consoles watch the same probe; only the one present longest journals
/// what it sees, so each change (and the verdict it implies) is written once,
/// and the other console still shows it.
#[test]
fn with_two_consoles_open_each_probe_change_is_journaled_once() {
    let room = Room::new();
    let rb = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/team-probe.toml");
    let flag = room.data.path().join("flag");
    let env = format!("WR_PROBE_FLAG={}", flag.display());
    let a = room.open_on("rec-a", "ana", &rb, &env, "");
    a.wait_for("the probe UP", |s| s.contains("UP flag"));
    let b = room.open_on("rec-b", "bo", &rb, &env, "");
    for c in [&a, &b] {
        c.wait_for("both consoles in the roster", |s| s.contains("ana") && s.contains("bo"));
    }
    let journal = room.data.path().join("sessions/team-probe/journal.jsonl");
    let count = |kind: &str, needle: &str| {
        std::fs::read_to_string(&journal)
            .unwrap_or_default()
            .lines()
            .filter(|l| l.contains(&format!("\"kind\":\"{kind}\"")) && l.contains(needle))
            .count()
    };
    for round in 0..3 {
        std::fs::write(&flag, "down").unwrap();
        for c in [&a, &b] {
            c.wait_for("the probe DOWN on both screens", |s| s.contains("DOWN flag"));
        }
        std::fs::remove_file(&flag).unwrap();
        for c in [&a, &b] {
            c.wait_for("the probe UP again on both screens", |s| s.contains("UP flag"));
        }
        wait(
            "the UP written",
            || count("probe.changed", "\"up\"") == round + 2,
            || std::fs::read_to_string(&journal).unwrap_or_default(),
        );
    }
    let text = std::fs::read_to_string(&journal).unwrap_or_default();
    assert_eq!(count("probe.changed", "\"down\""), 3, "{text}");
    assert_eq!(count("probe.changed", "\"up\""), 4, "{text}");
    assert_eq!(count("criterion.marked", "\"fail\""), 3, "{text}");
}

/// A runbook with severities wants one when an incident is declared from a
/// script, as the console's `i` does: refused (exit 2), the choices named.
#[test]
fn a_headless_declare_without_a_severity_is_refused_with_the_choices() {
    let room = Room::new();
    let rb = runbook();
    let out = room.cli("bot", &["incident", rb.to_str().unwrap(), "declare", "--summary", "x"]);
    assert_eq!(out.status.code(), Some(2), "{}", String::from_utf8_lossy(&out.stderr));
    assert!(
        String::from_utf8_lossy(&out.stderr).contains("--severity one of SEV0, SEV1"),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(!room.journal_text().contains("incident.declared"), "nothing recorded");
}
