//! Incident tooling as a user meets it: `warroom approve` from two operators'
//! shells against a real journal, the clipboard landing in a real tmux paste
//! buffer, and the example runbooks' templates filling in.

#[path = "support/console.rs"]
mod console_support;
#[path = "support/tmux.rs"]
mod tmux;

use std::path::{Path, PathBuf};
use std::process::Command;

use assert_cmd::cargo::CommandCargoExt;
use tmux::{Pane, PATIENCE};
use warroom::domain::record::{parse_line, verify_chain};
use warroom::domain::state::SessionState;

fn example(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("examples").join(name)
}

/// `warroom approve` as `operator` on a journal in `dir`.
fn approve(dir: &Path, operator: &str, rollback: &str, extra: &[&str]) -> std::process::Output {
    approve_with(Command::cargo_bin("warroom").expect("warroom binary"), dir, operator, rollback, extra)
}

/// The same as another Unix user: `runuser -u nobody -- warroom …` (the
/// tests run as root). `dir` must be writable by them (see `shared_dir`).
fn approve_as_nobody(dir: &Path, operator: &str, rollback: &str) -> std::process::Output {
    let mut cmd = Command::new("runuser");
    cmd.args(["-u", "nobody", "--", env!("CARGO_BIN_EXE_warroom")]);
    approve_with(cmd, dir, operator, rollback, &[])
}

/// A session folder two Unix users share, as docs/incident.md tells a team to set it up.
fn shared_dir() -> tempfile::TempDir {
    use std::os::unix::fs::PermissionsExt;
    let dir = tempfile::tempdir().unwrap();
    std::fs::set_permissions(dir.path(), std::fs::Permissions::from_mode(0o777)).unwrap();
    dir
}

fn approve_with(mut cmd: Command, dir: &Path, operator: &str, rollback: &str, extra: &[&str]) -> std::process::Output {
    cmd.env("WARROOM_DATA_DIR", dir.join("data"))
        .env_remove("WARROOM_OPERATOR")
        .arg("approve")
        .arg(example("golive-platform.toml"))
        .arg(rollback)
        .args(["--operator", operator, "--journal"])
        .arg(dir.join("journal.jsonl"))
        .args(extra);
    cmd.output().expect("run warroom approve")
}

fn text(b: &[u8]) -> String {
    String::from_utf8_lossy(b).into_owned()
}

fn folded(journal: &Path) -> SessionState {
    let body = std::fs::read_to_string(journal).expect("journal exists");
    let records: Vec<_> = body.lines().map(|l| parse_line(l).expect("valid journal line")).collect();
    SessionState::from_records(&records)
}

#[test]
fn approve_needs_two_distinct_operators() {
    let dir = shared_dir();

    let first = approve(dir.path(), "ana@bastion", "full", &[]);
    assert_eq!(first.status.code(), Some(0), "stderr: {}", text(&first.stderr));
    assert!(text(&first.stdout).contains("approved (1/2)"), "{}", text(&first.stdout));

    // The same operator again: refused, exit 1, nothing journaled.
    let again = approve(dir.path(), "ana@bastion", "full", &[]);
    assert_eq!(again.status.code(), Some(1), "stdout: {}", text(&again.stdout));
    assert!(text(&again.stderr).contains("ana@bastion already approved"), "{}", text(&again.stderr));
    let s = folded(&dir.path().join("journal.jsonl"));
    assert_eq!(s.rollbacks["full"].approvals.len(), 1);

    // Another name from the same Unix account is not another person (distinct = "user" by default).
    let same_user = approve(dir.path(), "bob@bastion", "full", &[]);
    assert_eq!(same_user.status.code(), Some(1), "stdout: {}", text(&same_user.stdout));
    assert!(text(&same_user.stderr).contains("already approved as Unix user root"), "{}", text(&same_user.stderr));

    // A second person, in their own login: accepted, ready to fire.
    let second = approve_as_nobody(dir.path(), "bob@bastion", "full");
    assert_eq!(second.status.code(), Some(0), "stderr: {}", text(&second.stderr));
    assert!(
        text(&second.stdout).contains("approved (2/2): ready to fire from the console"),
        "{}",
        text(&second.stdout)
    );
    let s = folded(&dir.path().join("journal.jsonl"));
    let approvers: Vec<&String> = s.rollbacks["full"].approvals.keys().collect();
    assert_eq!(approvers, ["ana@bastion", "bob@bastion"]);

    // The journal is still a valid hash chain.
    let body = std::fs::read_to_string(dir.path().join("journal.jsonl")).unwrap();
    assert_eq!(verify_chain(body.lines()), Ok(2));
}

#[test]
fn approve_refuses_read_only_and_unknown_rollbacks() {
    let dir = tempfile::tempdir().unwrap();
    let ro = approve(dir.path(), "ana@bastion", "full", &["--read-only"]);
    assert_eq!(ro.status.code(), Some(1));
    assert!(text(&ro.stderr).contains("read-only"), "{}", text(&ro.stderr));
    assert!(!dir.path().join("journal.jsonl").exists(), "read-only wrote a journal");

    let unknown = approve(dir.path(), "ana@bastion", "fulll", &[]);
    assert_eq!(unknown.status.code(), Some(2));
    let err = text(&unknown.stderr);
    assert!(err.contains("unknown rollback \"fulll\"") && err.contains("known rollbacks are full"), "{err}");

    let missing = Command::cargo_bin("warroom")
        .unwrap()
        .env("WARROOM_DATA_DIR", dir.path().join("data"))
        .args(["approve", "/nonexistent/runbook.toml", "full"])
        .output()
        .unwrap();
    assert_eq!(missing.status.code(), Some(2));
    assert!(text(&missing.stderr).contains("/nonexistent/runbook.toml"), "{}", text(&missing.stderr));
}

/// What `$TMUX` holds for a program running inside `pane`'s session.
fn tmux_env(pane: &Pane) -> String {
    let out = tmux::tmux(&["display-message", "-p", "-t", &pane.target(), "#{socket_path},#{pid},#{session_id}"]);
    let v = text(&out.stdout).trim().replace(",$", ",");
    assert!(!v.is_empty(), "tmux display-message gave nothing: {}", text(&out.stderr));
    v
}

/// Every paste buffer's content (tests in this file run in parallel on one server).
fn buffers() -> Vec<String> {
    let names = tmux::tmux_out(&["list-buffers", "-F", "#{buffer_name}"]);
    names.lines().map(|b| tmux::tmux_out(&["show-buffer", "-b", b])).collect()
}

#[test]
fn clipboard_lands_in_the_tmux_paste_buffer() {
    use warroom::ui::clipboard::{copy_to, CopyMethod, Target};
    let pane = Pane::start("incident-clip", 80, 24, "sleep 600");
    let target = Target::Tmux { tmux_env: tmux_env(&pane) };
    let message = "[GO-LIVE] Deploy COMPLETED\nTime: 07:10 CET ✓\nnote: \x1b]0;pwned\x07 done\n";
    let report = copy_to(message, &target).expect("copy through tmux");
    assert_eq!(report.method, CopyMethod::TmuxBuffer);
    // Lines kept, the smuggled title-setting sequence gone (S3).
    let want = "[GO-LIVE] Deploy COMPLETED\nTime: 07:10 CET ✓\nnote:  done\n";
    assert!(buffers().iter().any(|b| b == want), "not in any tmux buffer: {:?}", buffers());
    drop(pane);
    assert!(report.message().contains("tmux paste buffer"));
}

#[test]
fn example_templates_fill_in_completely() {
    use warroom::domain::template::{render, Context};
    let loaded = warroom::cli::runbook_file::load(&example("golive-platform.toml")).expect("example loads");
    let rb = loaded.runbook;
    let state = SessionState::default();
    let now = chrono::DateTime::parse_from_rfc3339("2026-02-12T06:14:00Z").unwrap().with_timezone(&chrono::Utc);
    assert!(!rb.templates.is_empty());
    for t in &rb.templates {
        let out = render(&t.text, &Context { runbook: &rb, state: &state, now, operator: "ana", vars: &rb.vars });
        assert!(!out.contains("?}"), "template {} left a field unfilled:\n{out}", t.id);
        assert!(out.contains("07:14 CET"), "template {} time not in Europe/Madrid:\n{out}", t.id);
    }
}

/// The console in real tmux: `i` declares (after a question naming the level),
/// `a` acknowledges, `I` escalates (after a question naming who is called next).
#[test]
fn console_keys_drive_the_escalation_clock_and_copy_messages() {
    let dir = tempfile::tempdir().unwrap();
    let journal = dir.path().join("journal.jsonl");
    let cmd = format!(
        "cd {root} && export WARROOM_DATA_DIR={data} WARROOM_CONFIG_DIR={data}/config WARROOM_OPERATOR=ana \
         TERM=xterm-256color && {bin} open {rb} --journal {journal}; sleep 600",
        root = env!("CARGO_MANIFEST_DIR"),
        data = dir.path().display(),
        bin = env!("CARGO_BIN_EXE_warroom"),
        rb = example("golive-platform.toml").display(),
        journal = journal.display(),
    );
    let pane = Pane::start("incident-keys", 120, 40, &cmd);
    let screen = || pane.screen();
    let keys = |k: &str| pane.keys(&[k]);
    let wait = |what: &str, cond: &dyn Fn() -> bool| {
        pane.wait_for(what, PATIENCE, cond, || {
            format!("--- journal ---\n{}", std::fs::read_to_string(&journal).unwrap_or_default())
        });
    };
    let journaled = |kind: &str| std::fs::read_to_string(&journal).unwrap_or_default().contains(kind);

    wait("the console", &|| screen().contains("no incident"));
    // The example has [[severity]]: i asks which. SEV1 has no ladder of its own, so it climbs [escalation] from L1.
    keys("i");
    wait("the declare dialog", &|| screen().contains("Declare an incident"));
    keys("Tab");
    keys("Tab");
    keys("Enter");
    wait("incident.declared", &|| journaled("\"incident.declared\""));
    wait("incident.severity", &|| journaled("\"severity\":\"SEV1\""));
    assert!(journaled("\"level\":\"L1\""), "starts at L1");
    wait("the countdown", &|| screen().contains("left"));

    keys("a");
    wait("incident.acknowledged", &|| journaled("\"incident.acknowledged\""));
    wait("ACKED on screen", &|| screen().contains("ACKED"));

    keys("I");
    wait("the escalate question", &|| screen().contains("Escalate now?"));
    assert!(screen().contains("Dev Lead"), "names who is called next:\n{}", screen());
    keys("n");
    // The question gone means the console handled `n`; the later `y` is the
    // barrier: exactly one escalation journaled proves `n` wrote none.
    wait("the question closed by n", &|| !screen().contains("Escalate now?"));
    assert!(!journaled("\"incident.escalated\""), "n must not escalate");
    keys("I");
    wait("the escalate question", &|| screen().contains("Escalate now?"));
    keys("y");
    wait("incident.escalated", &|| journaled("\"incident.escalated\""));
    let escalations = std::fs::read_to_string(&journal).unwrap().matches("\"incident.escalated\"").count();
    assert_eq!(escalations, 1, "n escalated too");
    wait("incident.escalated", &|| journaled("\"incident.escalated\""));

    let s = folded(&journal);
    let inc = s.incident.expect("an incident");
    let levels: Vec<(&str, bool)> = inc.levels.iter().map(|l| (l.level.as_str(), l.automatic)).collect();
    assert_eq!(levels, [("L1", false), ("L2", false)]);
    assert_eq!(inc.levels[0].acknowledged.as_ref().map(|a| a.by.as_str()), Some("ana"));

    // `c`: the messages dialog previews the filled template; Enter copies it —
    // from inside this tmux session, into the server's paste buffer — and journals it.
    keys("c");
    wait("the messages dialog", &|| screen().contains("[GO-LIVE] Deploy STARTED"));
    assert!(screen().contains("Run by: ana"), "{}", screen());
    keys("Enter");
    wait("message.copied", &|| journaled("\"message.copied\""));
    let s = folded(&journal);
    let copied = &s.messages.last().expect("a message").text;
    assert!(copied.starts_with("[GO-LIVE] Deploy STARTED\n") && copied.contains("Run by: ana"), "{copied}");
    wait("the text in a tmux paste buffer", &|| buffers().iter().any(|b| b == copied));
    wait("the copy reported", &|| screen().contains("tmux paste buffer"));

    // `B`: choose the rollback, type its id to approve (a wrong id approves nothing).
    let literal = |t: &str| pane.literal(t);
    keys("B");
    wait("the rollback dialog", &|| screen().contains("approvals 0/2"));
    keys("Enter");
    wait("the typed confirmation", &|| screen().contains("Type full to approve"));
    literal("ful");
    keys("Enter");
    wait("a mismatch message", &|| screen().contains("type full exactly"));
    assert!(!journaled("\"rollback.approved\""));
    literal("full");
    keys("Enter");
    wait("rollback.approved", &|| journaled("\"rollback.approved\""));
    wait("the approval message", &|| screen().contains("approved (1/2)"));
    keys("B");
    wait("the rollback dialog", &|| screen().contains("approvals 1/2 by ana"));
    keys("Enter");
    wait("the same operator refused", &|| screen().contains("ana already approved"));
    keys("Escape");
    assert_eq!(folded(&journal).rollbacks["full"].approvals.len(), 1);
    drop(pane);
}

/// The rollback path in a real console (tests/support/tmux.rs): the
/// fixture's rollback needs two operators and runs a script in the runbook's
/// folder that writes `rolled-back.marker`, then waits for `release.marker`.
#[path = "incident/escalation_keys.rs"]
mod escalation_keys;

mod rollback_console {
    use std::path::{Path, PathBuf};
    use std::process::Command;
    use std::time::Duration;

    use assert_cmd::cargo::CommandCargoExt;

    use super::{folded, text};

    use super::tmux::{Pane, PATIENCE};

    /// One console as `operator` on the fixture copied into a temp folder; killed on drop.
    struct Console {
        pane: Pane,
        dir: tempfile::TempDir,
    }

    impl Console {
        fn open(tag: &str, operator: &str) -> Console {
            // Shared with a second Unix user, who approves from "their own login" (runuser).
            let dir = super::shared_dir();
            let fixture = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/rollback.toml");
            std::fs::copy(&fixture, dir.path().join("runbook.toml")).unwrap();
            let cmd = format!(
                "cd {dir} && export WARROOM_DATA_DIR={dir}/data WARROOM_CONFIG_DIR={dir}/config \
                 WARROOM_OPERATOR={operator} TERM=xterm-256color && {bin} open runbook.toml --journal {dir}/journal.jsonl; \
                 sleep 600",
                dir = dir.path().display(),
                bin = env!("CARGO_BIN_EXE_warroom"),
            );
            Console { pane: Pane::start(&format!("rollback-{tag}"), 120, 40, &cmd), dir }
        }

        fn path(&self, p: &str) -> PathBuf {
            self.dir.path().join(p)
        }

        fn journal(&self) -> String {
            std::fs::read_to_string(self.path("journal.jsonl")).unwrap_or_default()
        }

        fn journaled(&self, kind: &str) -> bool {
            self.journal().contains(&format!("\"{kind}\""))
        }

        fn screen(&self) -> String {
            self.pane.screen()
        }

        fn keys(&self, k: &str) {
            self.pane.keys(&[k]);
        }

        fn literal(&self, t: &str) {
            self.pane.literal(t);
        }

        fn wait(&self, what: &str, cond: &dyn Fn() -> bool) {
            self.pane.wait_for(what, PATIENCE, cond, || format!("--- journal ---\n{}", self.journal()));
        }

        fn wait_screen(&self, what: &str) {
            self.wait(&format!("\"{what}\" on screen"), &|| self.screen().contains(what));
        }

        /// `warroom approve` from another person's login (another Unix user: `nobody`).
        fn approve_from_outside(&self, operator: &str) -> std::process::Output {
            self.approve_as("nobody", operator)
        }

        /// `warroom approve` as `operator` logged in as Unix user `user`.
        fn approve_as(&self, user: &str, operator: &str) -> std::process::Output {
            Command::new("runuser")
                .args(["-u", user, "--", env!("CARGO_BIN_EXE_warroom")])
                .env("WARROOM_DATA_DIR", self.path("data"))
                .env_remove("WARROOM_OPERATOR")
                .arg("approve")
                .arg(self.path("runbook.toml"))
                .arg("full")
                .args(["--operator", operator, "--journal"])
                .arg(self.path("journal.jsonl"))
                .output()
                .unwrap()
        }
    }

    impl Drop for Console {
        fn drop(&mut self) {
            // The script waits for this; let it end whatever happened.
            let _ = std::fs::write(self.path("release.marker"), "");
            // (The pane, dropped after this, kills the session.)
        }
    }

    #[test]
    fn alarm_proposes_two_operators_approve_a_typed_confirmation_fires() {
        let c = Console::open("fire", "ana");
        // The closed port's probe goes DOWN; the trigger's alarm proposes `full`; Enter opens it.
        c.wait_screen("ALARM api-down");
        assert!(c.screen().contains("proposes rollback full"), "{}", c.screen());
        c.keys("Enter");
        c.wait_screen("PROPOSED by an alarm");
        // The menu shows what the selected rollback runs, before anyone approves it.
        assert!(c.screen().contains("echo rolling back as $WARROOM_OPERATOR"), "{}", c.screen());
        c.keys("Enter");
        c.wait_screen("Type full to approve this rollback as ana");
        assert!(c.screen().contains("touch rolled-back.marker"), "the approver sees the command: {}", c.screen());

        // A approves: 1/2, nothing runs.
        c.literal("full");
        c.keys("Enter");
        c.wait("rollback.approved", &|| c.journaled("rollback.approved"));
        c.wait_screen("approved (1/2)");
        assert!(!c.journaled("rollback.started"));
        assert!(!c.path("rolled-back.marker").exists(), "fired with one approval");

        // B approves from their own shell; A's console sees 2/2.
        let out = c.approve_from_outside("bob");
        assert_eq!(out.status.code(), Some(0), "stderr: {}", text(&out.stderr));
        c.keys("B");
        c.wait_screen("approvals 2/2 by ana, bob");

        // A confirms by typing the id; a wrong id fires nothing.
        c.keys("Enter");
        c.wait_screen("Type full to FIRE this rollback as ana");
        c.literal("ful");
        c.keys("Enter");
        c.wait_screen("not fired: type full exactly");
        assert!(!c.journaled("rollback.started"), "a wrong id fired it");
        assert!(!c.path("rolled-back.marker").exists(), "a wrong id fired it");
        c.literal("full");
        c.keys("Enter");
        c.wait("rollback.started", &|| c.journaled("rollback.started"));
        // The right id is the barrier: one start in all means the wrong one wrote none.
        assert_eq!(c.journal().matches("\"rollback.started\"").count(), 1, "a wrong id fired it");
        c.wait("the marker file, written in the runbook's folder", &|| c.path("rolled-back.marker").exists());

        // While it runs: the banner names it with its last output line; quitting asks first.
        c.wait_screen("ROLLBACK RUNNING full");
        c.wait_screen("rolling back as ana");
        c.keys("q");
        c.wait_screen("still running");
        c.keys("n");
        // x asks, naming it; n lets it run.
        c.keys("x");
        c.wait_screen("Abort rollback full");
        c.keys("n");
        // Enter shows its output and where the output file is.
        c.keys("Enter");
        c.wait_screen("output file: runs/rollback-full-1");
        c.keys("Escape");
        c.keys("Escape");

        std::fs::write(c.path("release.marker"), "").unwrap();
        c.wait("rollback.finished", &|| c.journaled("rollback.finished"));
        let s = folded(&c.path("journal.jsonl"));
        let run = &s.rollbacks["full"].runs[0];
        assert_eq!(run.started_by, "ana");
        let end = run.finished.as_ref().expect("finished");
        assert_eq!(end.exit_code, Some(0), "{end:?}");
        assert!(s.rollbacks["full"].approvals.is_empty(), "a finished run clears approvals");
        let out = std::fs::read_to_string(c.path(&run.output)).unwrap();
        assert!(out.contains("rollback done"), "{out}");
        c.wait("the banner gone", &|| !c.screen().contains("ROLLBACK RUNNING"));
    }

    /// One person at one console cannot be two approvers: `o` to another name
    /// offers the known names, refuses invisible characters, says the new
    /// name cannot count, and the rollback dialog refuses the approval.
    #[test]
    fn o_in_one_console_never_makes_a_second_approver() {
        let c = Console::open("one", "ana");
        c.wait_screen("ALARM api-down");
        c.keys("B");
        c.wait_screen("PROPOSED by an alarm");
        c.wait_screen("2 approvals from different Unix users");
        c.keys("Enter");
        c.wait_screen("Type full to approve this rollback as ana");
        c.literal("full");
        c.keys("Enter");
        c.wait_screen("approved (1/2)");

        c.keys("o");
        c.wait_screen("Who is at the keyboard?");
        // The names seen in the session are offered; an invisible character is refused.
        c.wait_screen("  ana");
        // "ANA" is ana, who is already at the keyboard: nothing switches, no new participant.
        c.literal("ＡＮＡ");
        c.keys("Enter");
        c.wait("the dialog to close", &|| !c.screen().contains("Who is at the keyboard?"));
        assert!(!c.journaled("operator.switched"), "{}", c.journal());
        c.keys("o");
        c.wait_screen("Who is at the keyboard?");
        c.literal("ana\u{200B}");
        c.keys("Enter");
        c.wait_screen("U+200B");
        for _ in 0..4 {
            c.keys("BSpace");
        }
        c.literal("bob");
        c.wait_screen("bob cannot count as a second approver of rollback full here");
        c.keys("Enter");
        c.wait("operator.switched", &|| c.journaled("operator.switched"));

        c.keys("B");
        c.wait_screen("PROPOSED by an alarm");
        c.keys("Enter");
        c.wait_screen("already approved as Unix user root");
        std::thread::sleep(Duration::from_millis(300));
        assert_eq!(c.journal().matches("\"rollback.approved\"").count(), 1, "{}", c.journal());
        assert!(!c.journaled("rollback.started"));
    }

    /// GO while a critical criterion fails asks for an override naming it;
    /// a decision recorded meanwhile elsewhere is named before it is replaced.
    #[test]
    fn decisions_know_what_they_overrule() {
        use warroom::domain::event::{Decision, EventKind};
        let c = Console::open("overrule", "ana");
        c.wait("api-up to fail", &|| c.journal().contains("\"verdict\":\"fail\""));
        c.keys("d");
        c.wait_screen("Record the decision");
        // Meanwhile bob records NO-GO from elsewhere (another writer on the same journal).
        let mut other = warroom::sources::journal::Journal::open(&c.path("journal.jsonl")).unwrap().journal;
        let nogo = EventKind::DecisionRecorded {
            decision: Decision::NoGo,
            reason: "api down".into(),
            recommendation: None,
            overrides: vec![],
            supersedes: None,
        };
        other.append("bob", chrono::Utc::now(), &nogo).unwrap();
        c.wait_screen("NO-GO by bob");
        c.keys("Tab");
        c.literal("customers waiting");
        c.keys("Enter");
        c.wait_screen("GO while 1 critical criteria FAIL: api-up");
        c.wait_screen("NO-GO by bob at");
        assert_eq!(c.journal().matches("\"decision.recorded\"").count(), 1, "nothing recorded before y");
        c.keys("n");
        c.wait_screen("not recorded");
        c.keys("Enter");
        c.wait_screen("OVERRIDING them");
        c.keys("y");
        c.wait("the GO", &|| c.journal().matches("\"decision.recorded\"").count() == 2);
        let s = folded(&c.path("journal.jsonl"));
        let d = s.decision.as_ref().unwrap();
        assert_eq!(d.overrides, vec!["api-up".to_string()]);
        assert!(
            d.supersedes.as_deref().is_some_and(|t| t.starts_with("NO-GO by bob at") && t.ends_with(" UTC")),
            "{d:?}"
        );
        // The report shows the override and the superseded decision.
        let report = Command::cargo_bin("warroom")
            .unwrap()
            .arg("report")
            .arg(c.path("journal.jsonl"))
            .arg("--runbook")
            .arg(c.path("runbook.toml"))
            .output()
            .unwrap();
        let md = text(&report.stdout);
        assert!(md.contains("**OVERRIDE**: recorded while critical criteria failed: api-up"), "{md}");
        assert!(md.contains("Knowingly replaced NO-GO by bob at"), "{md}");
        assert!(md.contains("Earlier (superseded): NO-GO by bob"), "{md}");
    }

    #[test]
    fn decision_rollback_opens_the_menu_and_x_aborts_after_asking() {
        let c = Console::open("decide", "ana");
        c.wait_screen("ALARM api-down");
        c.keys("d");
        c.wait_screen("Record the decision");
        for _ in 0..3 {
            c.keys("Tab");
        }
        c.literal("api down since the deploy");
        c.keys("Enter");
        c.wait("decision.recorded", &|| c.journaled("decision.recorded"));
        assert!(c.journal().contains("\"ROLLBACK\""), "{}", c.journal());
        // The rollback menu comes next, on the proposed rollback.
        c.wait_screen("PROPOSED by an alarm");

        // Two approvals from outside, then A fires and aborts it.
        for (user, op) in [("nobody", "bob"), ("daemon", "carol")] {
            let out = c.approve_as(user, op);
            assert_eq!(out.status.code(), Some(0), "stderr: {}", text(&out.stderr));
        }
        c.wait_screen("approvals 2/2 by bob, carol");
        c.keys("Enter");
        c.wait_screen("Type full to FIRE");
        c.literal("full");
        c.keys("Enter");
        c.wait("the marker file", &|| c.path("rolled-back.marker").exists());
        c.wait_screen("ROLLBACK RUNNING full");
        c.keys("x");
        c.wait_screen("Abort rollback full");
        c.keys("y");
        c.wait("rollback.finished", &|| c.journaled("rollback.finished"));
        let s = folded(&c.path("journal.jsonl"));
        let end = s.rollbacks["full"].runs[0].finished.clone().expect("finished");
        assert_eq!(end.outcome, warroom::domain::event::RunOutcome::Aborted, "{end:?}");
    }

    #[test]
    fn resolve_asks_first_then_journals_incident_resolved() {
        let c = Console::open("resolve", "ana");
        c.wait_screen("no incident");
        c.keys("R");
        c.wait_screen("no incident declared: press i"); // nothing to resolve yet: a message, no question
        assert!(!c.screen().contains("Resolve the incident?"));
        c.keys("i");
        c.wait_screen("Declare an incident?");
        c.keys("y");
        c.wait("incident.declared", &|| c.journaled("incident.declared"));
        c.keys("R");
        c.wait_screen("Resolve the incident?");
        assert!(c.screen().contains("declared by ana"), "names the incident:\n{}", c.screen());
        c.keys("n");
        c.wait("the question closed by n", &|| !c.screen().contains("Resolve the incident?"));
        assert!(!c.journaled("incident.resolved"), "n must not resolve");
        c.keys("R");
        c.wait_screen("Resolve the incident?");
        c.keys("y");
        c.wait("incident.resolved", &|| c.journaled("incident.resolved"));
        assert_eq!(c.journal().matches("\"incident.resolved\"").count(), 1, "n resolved too");
        let s = folded(&c.path("journal.jsonl"));
        let inc = s.incident.or_else(|| s.past_incidents.last().cloned()).expect("an incident");
        assert_eq!(inc.resolved.as_ref().map(|r| r.by.as_str()), Some("ana"));
    }
}

/// The rollback dialog below the terminal: keys into the `App`, effects run by
/// the `Session` against a real journal and a real process.
mod rollback_session {
    use std::path::Path;
    use std::time::Duration;

    use chrono::Utc;
    use ratatui::crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
    use warroom::domain::event::RunOutcome;

    use warroom::sources::journal::Journal;

    use warroom::ui::overlay::rollback::Stage;
    use warroom::ui::overlay::Overlay;
    use warroom::ui::session::Session;

    const RUNBOOK: &str = r#"[runbook]
id = "rb-yes"
title = "Rollback with a yes/no"

[[rollback]]
id = "cache"
title = "Flush the cache"
run = "echo flushed > flushed.marker"
confirm = "yes"

[[rollback]]
id = "quick"
title = "Quick revert"
run = "touch quick.marker"
"#;

    fn session(dir: &Path, read_only: Option<&str>) -> Session {
        let rb = crate::console_support::runbook(dir, RUNBOOK);
        crate::console_support::session(rb, &dir.join("session/journal.jsonl"), "ana", read_only)
    }

    fn press(s: &mut Session, code: KeyCode) {
        s.feed(warroom::ui::driver::Input::Key(KeyEvent::new(code, KeyModifiers::NONE)));
    }

    fn type_text(s: &mut Session, t: &str) {
        for c in t.chars() {
            press(s, KeyCode::Char(c));
        }
    }

    fn message(s: &Session) -> String {
        s.app.message().map(|m| m.0.to_string()).unwrap_or_default()
    }

    async fn until_finished(s: &mut Session, rx: &mut warroom::sources::EventReceiver, id: &str) {
        tokio::time::timeout(Duration::from_secs(60), async {
            while s.app.model.state.rollbacks.get(id).is_none_or(|r| r.runs.last().is_none_or(|r| r.finished.is_none()))
            {
                let ev = rx.recv().await.unwrap();
                s.feed(warroom::ui::driver::Input::Source(ev));
            }
        })
        .await
        .expect("the rollback never finished");
    }

    #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
    async fn yes_rollback_asks_y_n_naming_it_and_one_approval_types_once() {
        let dir = tempfile::tempdir().unwrap();
        let mut s = session(dir.path(), None);
        let (tx, mut rx) = warroom::sources::event_channel();
        s.start_procs(tx);

        // `cache` (confirm = "yes"): typed approval, then a y/n; n fires nothing.
        press(&mut s, KeyCode::Char('B'));
        press(&mut s, KeyCode::Enter);
        type_text(&mut s, "cache");
        press(&mut s, KeyCode::Enter);
        assert_eq!(s.app.model.state.rollbacks["cache"].approvals.len(), 1);
        assert!(
            matches!(s.app.view.overlay.top(), Some(Overlay::Rollback(d)) if d.stage == Stage::YesNo),
            "{}",
            message(&s)
        );
        press(&mut s, KeyCode::Char('n'));
        assert!(s.app.model.state.rollbacks["cache"].runs.is_empty(), "n fired it");
        press(&mut s, KeyCode::Enter); // approvals complete: straight to the y/n
        assert!(matches!(s.app.view.overlay.top(), Some(Overlay::Rollback(d)) if d.stage == Stage::YesNo));
        press(&mut s, KeyCode::Char('y'));
        assert_eq!(s.app.model.state.rollbacks["cache"].runs.len(), 1, "{}", message(&s));
        until_finished(&mut s, &mut rx, "cache").await;
        assert!(dir.path().join("flushed.marker").exists(), "runs in the runbook's folder");
        let end = s.app.model.state.rollbacks["cache"].runs[0].finished.clone().unwrap();
        assert_eq!(end.outcome, RunOutcome::Ok);

        // `quick` (approvals = 1, confirm = "type"): typing the id approves and fires.
        press(&mut s, KeyCode::Char('B'));
        press(&mut s, KeyCode::Char('j'));
        press(&mut s, KeyCode::Enter);
        type_text(&mut s, "quick");
        press(&mut s, KeyCode::Enter);
        assert_eq!(s.app.model.state.rollbacks["quick"].runs.len(), 1, "{}", message(&s));
        until_finished(&mut s, &mut rx, "quick").await;
        assert!(dir.path().join("quick.marker").exists());
        let body = std::fs::read_to_string(s.journal.path()).unwrap();
        assert_eq!(body.matches("\"rollback.finished\"").count(), 2);
    }

    #[test]
    fn enter_on_an_alarm_opens_the_proposed_rollback_once_then_is_details_again() {
        use warroom::domain::event::EventKind;
        let dir = tempfile::tempdir().unwrap();
        let mut s = session(dir.path(), None);
        press(&mut s, KeyCode::Enter);
        assert!(
            !matches!(s.app.view.overlay.top(), Some(Overlay::Rollback(_))),
            "no alarm: Enter is not about rollbacks"
        );
        s.app.view.overlay.close_all();
        let fired = EventKind::TriggerFired {
            trigger: "api-down".into(),
            propose: "quick".into(),
            cause: "probe api DOWN for 5m".into(),
        };
        s.append("ana", &fired);
        let banner = warroom::ui::banner::lines(&s.app).join("\n");
        assert!(banner.contains("ALARM api-down") && banner.contains("proposes rollback quick"), "{banner}");
        press(&mut s, KeyCode::Enter);
        match s.app.view.overlay.top() {
            Some(Overlay::Rollback(d)) => assert_eq!(d.selected, 1, "pre-selected on the proposed rollback"),
            _ => panic!("Enter on the alarm opens the rollback dialog"),
        }
        assert!(s.app.model.state.rollbacks.is_empty(), "opening it fires nothing");
        press(&mut s, KeyCode::Esc);
        assert!(!s.app.view.overlay.is_open());
        press(&mut s, KeyCode::Enter);
        assert!(!matches!(s.app.view.overlay.top(), Some(Overlay::Rollback(_))), "reviewed: Enter is details again");
        s.app.view.overlay.close_all();
        press(&mut s, KeyCode::Char('B'));
        assert!(matches!(s.app.view.overlay.top(), Some(Overlay::Rollback(d)) if d.selected == 1), "B still opens it");
    }

    /// Bob's console has not yet read that ana fired `quick`: his typed
    /// approve-and-fire is refused under the journal's lock and writes
    /// nothing — no approval left behind for a run he never made.
    #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
    async fn a_refused_start_writes_nothing() {
        let dir = tempfile::tempdir().unwrap();
        let mut ana = session(dir.path(), None);
        let mut bob = session(dir.path(), None);
        bob.app.model.operator = "bob".into();
        let (tx, _rx) = warroom::sources::event_channel();
        ana.start_procs(tx.clone());
        bob.start_procs(tx);
        for s in [&mut ana, &mut bob] {
            press(s, KeyCode::Char('B'));
            press(s, KeyCode::Char('j'));
            press(s, KeyCode::Enter);
            type_text(s, "quick");
        }
        press(&mut ana, KeyCode::Enter);
        assert_eq!(ana.app.model.state.rollbacks["quick"].runs.len(), 1, "{}", message(&ana));
        assert!(!bob.app.model.state.rollbacks.contains_key("quick"), "bob has not read the journal since");
        let before = std::fs::read_to_string(ana.journal.path()).unwrap();
        press(&mut bob, KeyCode::Enter);
        let after = std::fs::read_to_string(ana.journal.path()).unwrap();
        assert_eq!(after, before, "a refused start wrote to the journal");
        assert!(message(&bob).contains("ana"), "the refusal names who fired: {}", message(&bob));
        assert!(!message(&bob).contains("quick run"), "bob's run did not start: {}", message(&bob));
    }

    /// A note by key is this console's own act: recorded, not announced back.
    /// Another writer's note is announced naming them, lands in the activity
    /// feed, and — as it names `quick` — under that rollback in `B`.
    #[test]
    fn others_notes_are_announced_and_ones_own_are_not() {
        use warroom::domain::event::EventKind;
        let dir = tempfile::tempdir().unwrap();
        let mut s = session(dir.path(), None);
        press(&mut s, KeyCode::Char('C'));
        assert!(matches!(s.app.view.overlay.top(), Some(Overlay::Note(_))));
        press(&mut s, KeyCode::Enter);
        assert!(matches!(s.app.view.overlay.top(), Some(Overlay::Note(_))), "an empty note is not recorded");
        type_text(&mut s, "cache flushed by hand");
        press(&mut s, KeyCode::Enter);
        assert!(!s.app.view.overlay.is_open());
        assert_eq!(message(&s), "note recorded: cache flushed by hand");
        assert_eq!(s.app.model.state.notes.len(), 1);

        let mut other = Journal::open(s.journal.path()).unwrap().journal;
        other.append("ben", Utc::now(), &EventKind::NoteAdded { text: "quick is safe to run".into() }).unwrap();
        s.poll();
        assert_eq!(message(&s), "ben noted: quick is safe to run");
        let feed: Vec<String> = s.app.model.activity.iter().map(|a| format!("{} {}", a.by, a.text)).collect();
        assert_eq!(feed, ["ana noted: cache flushed by hand", "ben noted: quick is safe to run"]);
        assert!(warroom::ui::activity::notes_about(&s.app, "quick")[0].ends_with("ben: quick is safe to run"));
        // Each note is filed under the rollback it names, and only there.
        assert_eq!(warroom::ui::activity::notes_about(&s.app, "cache").len(), 1);
    }

    #[test]
    fn read_only_console_approves_and_fires_nothing() {
        let dir = tempfile::tempdir().unwrap();
        let mut s = session(dir.path(), Some("--read-only"));
        let before = std::fs::read_to_string(s.journal.path()).unwrap_or_default();
        press(&mut s, KeyCode::Char('B'));
        press(&mut s, KeyCode::Char('j'));
        press(&mut s, KeyCode::Enter);
        assert!(message(&s).contains("read-only"), "{}", message(&s));
        type_text(&mut s, "quick");
        press(&mut s, KeyCode::Enter);
        assert_eq!(std::fs::read_to_string(s.journal.path()).unwrap_or_default(), before);
        assert!(s.app.model.state.rollbacks.is_empty());
        assert!(!dir.path().join("quick.marker").exists());
    }
}
