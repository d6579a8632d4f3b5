//! Who is who, as a user meets it on the command line: operator names that
//! only look different, approvals that must come from different people (names,
//! Unix users, SSH keys held in real `ssh-agent`s), signatures that
//! `ssh-keygen -Y verify` accepts, a forged line caught by
//! `verify --allowed-signers`, and `check` placing role mistakes.

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

use warroom::domain::event::EventKind;
use warroom::domain::identity::Actor;
use warroom::domain::record::{parse_line, Record};

#[path = "support/agent.rs"]
mod agent;
use agent::Agent;
#[path = "support/tmux.rs"]
mod tmux;
use tmux::{Pane, PATIENCE};

const RUNBOOK: &str = r#"
[runbook]
id = "identity-drill"
title = "Identity drill"
DISTINCT_SIGN

[[role]]
id = "devops"
title = "DevOps"
members = ["ana", "bob", "carol", "user:nobody"]

[[rollback]]
id = "full"
title = "Back to the previous release"
run = "true"
approvals = 2
approve = ["devops"]
distinct = "DISTINCT"
"#;

/// A runbook in `dir` whose `full` rollback counts approvals at `distinct`.
fn runbook(dir: &Path, distinct: &str, sign: bool) -> PathBuf {
    let path = dir.join("runbook.toml");
    let text = RUNBOOK.replace("DISTINCT_SIGN", if sign { "sign = true" } else { "" }).replace("DISTINCT", distinct);
    std::fs::write(&path, text).unwrap();
    path
}

fn bin() -> &'static str {
    env!("CARGO_BIN_EXE_warroom")
}

fn text(b: &[u8]) -> String {
    String::from_utf8_lossy(b).into_owned()
}

/// `warroom approve RUNBOOK full` as `operator`, with extra environment.
fn approve(dir: &Path, operator: &str, env: &[(&str, &Path)], extra: &[&str]) -> Output {
    let mut cmd = Command::new(bin());
    cmd.env("WARROOM_DATA_DIR", dir.join("data"))
        .env_remove("WARROOM_OPERATOR")
        .env_remove("SSH_AUTH_SOCK")
        .env_remove("WARROOM_SIGNING_KEY")
        .arg("approve")
        .arg(dir.join("runbook.toml"))
        .arg("full")
        .args(["--operator", operator, "--journal"])
        .arg(dir.join("journal.jsonl"))
        .args(extra);
    for (k, v) in env {
        cmd.env(k, v);
    }
    cmd.output().unwrap()
}

fn records(dir: &Path) -> Vec<Record> {
    let body = std::fs::read_to_string(dir.join("journal.jsonl")).unwrap_or_default();
    body.lines().map(|l| parse_line(l).unwrap()).collect()
}

#[test]
fn names_with_invisible_or_control_characters_are_refused_at_input() {
    let dir = tempfile::tempdir().unwrap();
    runbook(dir.path(), "operator", false);
    for bad in ["ana\u{200B}", "ana\u{1b}[0m", "a\u{202E}na"] {
        let out = approve(dir.path(), bad, &[], &[]);
        assert_eq!(out.status.code(), Some(2), "{bad:?}: {}", text(&out.stdout));
        let err = text(&out.stderr);
        assert!(err.contains("--operator") && err.contains("invisible or control character"), "{err}");
        assert!(!err.contains('\u{1b}'), "the raw escape reached the terminal: {err:?}");
    }
    let out = Command::new(bin())
        .env("WARROOM_OPERATOR", "ana\u{200D}")
        .args(["note", "--journal"])
        .arg(dir.path().join("journal.jsonl"))
        .arg(dir.path().join("runbook.toml"))
        .arg("hello")
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert!(text(&out.stderr).contains("WARROOM_OPERATOR") && text(&out.stderr).contains("U+200D"));
    assert!(records(dir.path()).is_empty(), "nothing may be written under such a name");
}

#[test]
fn names_that_only_look_different_are_one_operator() {
    let dir = tempfile::tempdir().unwrap();
    runbook(dir.path(), "operator", false);
    let first = approve(dir.path(), "ana", &[], &[]);
    assert_eq!(first.status.code(), Some(0), "{}", text(&first.stderr));
    for same in ["Ana", "ana@VM", "ａｎａ", "an\u{0430}"] {
        let out = approve(dir.path(), same, &[], &[]);
        assert_eq!(out.status.code(), Some(1), "{same:?} counted as a second operator: {}", text(&out.stdout));
        assert!(text(&out.stderr).contains("ana already approved"), "{}", text(&out.stderr));
    }
    let bob = approve(dir.path(), "bob", &[], &[]);
    assert!(text(&bob.stdout).contains("approved (2/2)"), "{}", text(&bob.stdout));
    // Every record says which Unix account wrote it.
    assert!(records(dir.path()).iter().all(|r| r.user.as_deref() == Some("root")));
}

#[test]
fn roles_refuse_who_is_not_listed_and_name_who_may() {
    let dir = tempfile::tempdir().unwrap();
    runbook(dir.path(), "operator", false);
    let out = approve(dir.path(), "mallory", &[], &[]);
    assert_eq!(out.status.code(), Some(1));
    let err = text(&out.stderr);
    assert!(err.contains("mallory may not approve rollback \"full\": only DevOps (devops: ana, bob, carol"), "{err}");
}

fn verify(dir: &Path, signers: &Path) -> Output {
    Command::new(bin())
        .arg("verify")
        .arg(dir.join("journal.jsonl"))
        .arg("--allowed-signers")
        .arg(signers)
        .output()
        .unwrap()
}

#[test]
fn two_agent_keys_count_as_two_people_and_one_key_twice_does_not() {
    let dir = tempfile::tempdir().unwrap();
    runbook(dir.path(), "key", true);
    let (ana, bob) = (Agent::start("ana"), Agent::start("bob"));

    let first = approve(dir.path(), "ana", &ana.env(), &[]);
    assert_eq!(first.status.code(), Some(0), "{}", text(&first.stderr));
    assert!(text(&first.stdout).contains("approved (1/2)"), "{}", text(&first.stdout));
    // bob typing his name into ana's agent session: the same key, not a second person.
    let same_key = approve(dir.path(), "bob", &ana.env(), &[]);
    assert_eq!(same_key.status.code(), Some(1), "{}", text(&same_key.stdout));
    assert!(text(&same_key.stderr).contains("already approved with key SHA256:"), "{}", text(&same_key.stderr));
    // Without an agent nothing can be signed: refused before anything is written.
    let no_agent = approve(dir.path(), "bob", &[], &[]);
    assert_eq!(no_agent.status.code(), Some(2));
    assert!(text(&no_agent.stderr).contains("SSH_AUTH_SOCK is not set"), "{}", text(&no_agent.stderr));

    let second = approve(dir.path(), "bob", &bob.env(), &[]);
    assert_eq!(second.status.code(), Some(0), "{}", text(&second.stderr));
    assert!(text(&second.stdout).contains("approved (2/2)"), "{}", text(&second.stdout));

    // Both records are signed and name their keys; verify accepts them against the allowed signers.
    let signers = dir.path().join("allowed_signers");
    std::fs::write(&signers, format!("ana {}\nbob {}\n", ana.key(), bob.key())).unwrap();
    let out = verify(dir.path(), &signers);
    assert_eq!(out.status.code(), Some(0), "{}{}", text(&out.stdout), text(&out.stderr));
    assert!(text(&out.stdout).contains("every record signed by an allowed key"), "{}", text(&out.stdout));
    // The report says who approved: name, Unix user and the key whose signature checked out.
    let report = Command::new(bin())
        .arg("report")
        .arg(dir.path().join("journal.jsonl"))
        .arg("--runbook")
        .arg(dir.path().join("runbook.toml"))
        .output()
        .unwrap();
    let md = text(&report.stdout);
    assert!(md.contains("full approved by bob (Unix user root, key SHA256:"), "{md}");

    // ssh-keygen itself accepts the signature warroom wrote (over the record's hash, namespace warroom).
    let recs = records(dir.path());
    assert_eq!(recs.len(), 2);
    let r = &recs[1];
    std::fs::write(dir.path().join("sig"), r.sig.as_ref().unwrap()).unwrap();
    let mut keygen = Command::new("ssh-keygen")
        .args(["-Y", "verify", "-n", "warroom", "-I", "bob", "-f"])
        .arg(&signers)
        .arg("-s")
        .arg(dir.path().join("sig"))
        .stdin(std::process::Stdio::piped())
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    use std::io::Write;
    keygen.stdin.take().unwrap().write_all(r.hash.as_bytes()).unwrap();
    let out = keygen.wait_with_output().unwrap();
    assert!(out.status.success(), "ssh-keygen -Y verify: {}{}", text(&out.stdout), text(&out.stderr));
}

/// Appends a record with a correctly recomputed chain, as someone with write
/// access but without the operator's key would (the Python in docs/journal.md does the same).
fn forge(dir: &Path, actor: &Actor, ev: &EventKind) {
    let recs = records(dir);
    let last = recs.last().unwrap();
    let forged = Record::new_by(&last.hash, last.seq + 1, chrono::Utc::now(), actor, ev);
    let mut f = std::fs::OpenOptions::new().append(true).open(dir.join("journal.jsonl")).unwrap();
    use std::io::Write;
    writeln!(f, "{}", forged.to_line()).unwrap();
}

#[test]
fn a_forged_line_passes_the_chain_but_not_the_allowed_signers() {
    let dir = tempfile::tempdir().unwrap();
    runbook(dir.path(), "key", true);
    let ana = Agent::start("ana");
    assert_eq!(approve(dir.path(), "ana", &ana.env(), &[]).status.code(), Some(0));
    let signers = dir.path().join("allowed_signers");
    std::fs::write(&signers, format!("# the team\nana {}\n", ana.key())).unwrap();

    let approved = EventKind::RollbackApproved { rollback: "full".into() };
    let carol = Actor { operator: "carol@elsewhere".into(), user: Some("carol".into()), key: None };
    forge(dir.path(), &carol, &approved);
    // The chain alone cannot tell: it was recomputed.
    let plain = Command::new(bin()).arg("verify").arg(dir.path().join("journal.jsonl")).output().unwrap();
    assert_eq!(plain.status.code(), Some(0), "{}", text(&plain.stdout));
    // With signatures on, line 2 is named.
    let out = verify(dir.path(), &signers);
    assert_eq!(out.status.code(), Some(1));
    let journal = dir.path().join("journal.jsonl");
    let want = format!("{}:2: record seq 2 is not signed", journal.display());
    assert!(text(&out.stdout).starts_with(&want), "{}", text(&out.stdout));
    // And it does not count as an approval by key.
    let rb = warroom::cli::runbook_file::load(&dir.path().join("runbook.toml")).unwrap().runbook;
    let state = warroom::domain::state::SessionState::from_records(&records(dir.path()));
    assert_eq!(warroom::domain::approvals::approvals_needed(&rb, &state, "full"), (1, 2));

    // A record signed with ana's key but claiming to be bob: a key not allowed for that operator.
    let dir2 = tempfile::tempdir().unwrap();
    runbook(dir2.path(), "key", true);
    assert_eq!(approve(dir2.path(), "bob", &ana.env(), &[]).status.code(), Some(0));
    let out = verify(dir2.path(), &signers);
    assert_eq!(out.status.code(), Some(1));
    assert!(text(&out.stdout).contains(":1: record seq 1 names operator \"bob\""), "{}", text(&out.stdout));
    assert!(text(&out.stdout).contains("allowed only for ana"), "{}", text(&out.stdout));
}

#[test]
fn check_places_role_mistakes() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("bad.toml");
    std::fs::write(
        &path,
        r#"[runbook]
id = "x"

[[role]]
id = "devops"
title = "DevOps"
members = ["ana", "bad\u200Bname"]

[decision]
by = ["project-lead"]

[[probe]]
id = "home"
url = "http://127.0.0.1:9/"
by = ["devops"]

[[rollback]]
id = "full"
title = "Full"
run = "true"
approvals = 2
distinct = "person"
fire = ["devop"]
"#,
    )
    .unwrap();
    let out = Command::new(bin()).arg("check").arg(&path).output().unwrap();
    assert_eq!(out.status.code(), Some(2), "{}", text(&out.stdout));
    let all = format!("{}{}", text(&out.stdout), text(&out.stderr));
    let p = path.display();
    for want in [
        format!("{p}:7:19: error: member \"bad\\u{{200b}}name\" of [[role]] \"devops\" has an invisible"),
        format!("{p}:10:7: error: by of [decision] refers to unknown role \"project-lead\""),
        format!("{p}:15:1: error: by in [[probe]] \"home\": who may act is set only on acts that exist"),
        format!(
            "{p}:22:12: error: unknown distinct \"person\" in [[rollback]] \"full\": use one of operator, user, key"
        ),
        format!("{p}:23:9: error: fire of [[rollback]] \"full\" refers to unknown role \"devop\""),
    ] {
        assert!(all.contains(&want), "missing {want}\n--- got ---\n{all}");
    }
}

/// The checker docs/journal.md gives, run as written on a journal whose lines
/// carry `user`, `key` and `sig`: the documented canonical form is the real one.
#[test]
fn the_documented_python_checker_accepts_signed_lines() {
    let doc = std::fs::read_to_string(Path::new(env!("CARGO_MANIFEST_DIR")).join("docs/journal.md")).unwrap();
    let start = doc.find("```python\n").expect("a python block in docs/journal.md") + "```python\n".len();
    let script = &doc[start..start + doc[start..].find("```").unwrap()];
    let dir = tempfile::tempdir().unwrap();
    runbook(dir.path(), "key", true);
    let ana = Agent::start("ana");
    assert_eq!(approve(dir.path(), "ana", &ana.env(), &[]).status.code(), Some(0));
    // `note` signs too: the runbook says sign = true.
    let note = Command::new(bin())
        .env("SSH_AUTH_SOCK", &ana.sock)
        .args(["note", "--operator", "ana", "--journal"])
        .arg(dir.path().join("journal.jsonl"))
        .arg(dir.path().join("runbook.toml"))
        .arg("signed note")
        .output()
        .unwrap();
    assert_eq!(note.status.code(), Some(0), "{}", text(&note.stderr));
    let recs = records(dir.path());
    assert_eq!(recs.len(), 2);
    assert!(recs.iter().all(|r| r.user.is_some() && r.key.is_some() && r.sig.is_some()), "{recs:?}");
    let run = |dir: &Path| {
        Command::new("python3").arg("-c").arg(script).arg("journal.jsonl").current_dir(dir).output().expect("python3")
    };
    let ok = run(dir.path());
    assert!(ok.status.success(), "{}", text(&ok.stderr));
    // And it catches a changed user.
    let body = std::fs::read_to_string(dir.path().join("journal.jsonl")).unwrap();
    std::fs::write(dir.path().join("journal.jsonl"), body.replace("\"user\":\"root\"", "\"user\":\"bob\"")).unwrap();
    let bad = run(dir.path());
    assert!(!bad.status.success() && text(&bad.stderr).contains("line 1: hash mismatch"), "{}", text(&bad.stderr));
}

#[test]
fn doctor_says_whether_a_second_login_can_approve() {
    use std::os::unix::fs::PermissionsExt;
    let doctor = |dir: &Path| {
        let out = Command::new(bin())
            .env_remove("SSH_AUTH_SOCK")
            .arg("doctor")
            .arg(dir.join("runbook.toml"))
            .arg("--journal")
            .arg(dir.join("journal.jsonl"))
            .output()
            .unwrap();
        assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
        text(&out.stdout)
    };
    let private = tempfile::tempdir().unwrap();
    runbook(private.path(), "user", false);
    let said = doctor(private.path());
    assert!(said.contains("another Unix account can append: NO"), "{said}");
    assert!(said.contains("this login: Unix user root"), "{said}");
    assert!(said.contains("rollback full: 2 approvals from different Unix users"), "{said}");

    let shared = tempfile::tempdir().unwrap();
    std::fs::set_permissions(shared.path(), std::fs::Permissions::from_mode(0o2770)).unwrap();
    runbook(shared.path(), "user", false);
    // The first writer creates the journal group-writable, like its folder.
    assert_eq!(approve(shared.path(), "ana", &[], &[]).status.code(), Some(0));
    let mode = std::fs::metadata(shared.path().join("journal.jsonl")).unwrap().permissions().mode();
    assert_eq!(mode & 0o060, 0o060, "journal mode {mode:o}");
    let said = doctor(shared.path());
    assert!(said.contains("another Unix account can append: yes, if it is in the folder's group"), "{said}");
}

/// The console itself signs with `--sign`: every line it writes carries the
/// agent's key and a signature `verify --allowed-signers` accepts.
#[test]
fn a_signing_console_signs_every_line_it_writes() {
    let dir = tempfile::tempdir().unwrap();
    runbook(dir.path(), "key", false);
    let ana = Agent::start("ana");
    let cmd = format!(
        "cd {dir} && SSH_AUTH_SOCK={sock} WARROOM_OPERATOR=ana TERM=xterm-256color {bin} open runbook.toml --sign \
         --journal {dir}/journal.jsonl; sleep 600",
        dir = dir.path().display(),
        sock = ana.sock.display(),
        bin = bin(),
    );
    let pane = Pane::start("sign", 120, 40, &cmd);
    pane.wait_for("the console to write", PATIENCE, || !records(dir.path()).is_empty(), String::new);
    // Approve from the console: B, Enter, type the id.
    pane.keys(&["B"]);
    pane.wait_screen("approvals from different signing keys");
    pane.keys(&["Enter"]);
    pane.literal("full");
    pane.keys(&["Enter"]);
    pane.wait_for(
        "the approval in the journal",
        PATIENCE,
        || records(dir.path()).iter().any(|r| r.kind == "rollback.approved"),
        String::new,
    );
    let recs = records(dir.path());
    assert!(recs.iter().all(|r| r.sig.is_some() && r.key.is_some()), "an unsigned line: {recs:?}");
    let signers = dir.path().join("allowed_signers");
    std::fs::write(&signers, format!("ana {}\n", ana.key())).unwrap();
    let out = verify(dir.path(), &signers);
    assert_eq!(out.status.code(), Some(0), "{}{}", text(&out.stdout), text(&out.stderr));
}

/// `[[step]] by` and `[decision] by` in the console: the dialogs say who may,
/// and an operator outside those roles is refused with the roles named.
#[test]
fn console_acts_restricted_to_roles_name_who_may() {
    use ratatui::crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
    use warroom::ui::action::Action;
    use warroom::ui::app::{App, AppConfig};
    let text = r#"
[runbook]
id = "roles"

[[role]]
id = "dev-lead"
title = "Dev Lead"
members = ["lucia"]

[[role]]
id = "project-lead"
title = "Project Lead"
members = ["marta"]

[decision]
by = ["project-lead"]

[[step]]
id = "preflight"
title = "Preflight"
run = "true"
by = ["dev-lead"]
"#;
    let rb = warroom::domain::loader::load_bytes(Path::new("roles.toml"), text.as_bytes()).unwrap().runbook;
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
    let key = |app: &mut App, code: KeyCode| app.on_key(KeyEvent::new(code, KeyModifiers::NONE));
    // Running the step as ana: refused, naming the role.
    assert!(app.update(Action::RunStep).is_empty());
    let said = app.message().map(|m| m.0.to_string()).unwrap_or_default();
    assert!(said.contains("ana may not run step preflight: only Dev Lead (dev-lead: lucia) may"), "{said}");
    // As Lucía (named as in the role, any case): the confirmation says who may.
    app.model.operator = "LUCIA".into();
    app.update(Action::RunStep);
    match app.view.overlay.top() {
        Some(warroom::ui::overlay::Overlay::Confirm(c)) => {
            assert!(c.question.contains("Who may run it: Dev Lead (dev-lead: lucia)"), "{}", c.question)
        }
        _ => panic!("no confirmation"),
    }
    app.view.overlay.close_all();
    // The decision as ana: the dialog says who may decide, and Enter is refused.
    app.update(Action::Decision);
    key(&mut app, KeyCode::Tab);
    for c in "all green".chars() {
        key(&mut app, KeyCode::Char(c));
    }
    assert!(key(&mut app, KeyCode::Enter).is_empty(), "recorded by someone outside the role");
    match app.view.overlay.top() {
        Some(warroom::ui::overlay::Overlay::Decision(d)) => {
            let e = d.error.clone().unwrap_or_default();
            assert!(e.contains("only Project Lead (project-lead: marta) may"), "{e}");
        }
        _ => panic!("the decision dialog closed"),
    }
}

/// A second login on a session folder only its owner can write: refused,
/// saying what to change and where to look.
#[test]
fn a_second_login_on_a_private_session_is_told_what_to_change() {
    use std::os::unix::fs::PermissionsExt;
    let dir = tempfile::tempdir().unwrap();
    std::fs::set_permissions(dir.path(), std::fs::Permissions::from_mode(0o755)).unwrap();
    runbook(dir.path(), "user", false);
    assert_eq!(approve(dir.path(), "ana", &[], &[]).status.code(), Some(0));
    let out = Command::new("runuser")
        .args(["-u", "nobody", "--", bin(), "approve"])
        .arg(dir.path().join("runbook.toml"))
        .args(["full", "--operator", "bob", "--journal"])
        .arg(dir.path().join("journal.jsonl"))
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1), "{}", text(&out.stdout));
    let err = text(&out.stderr);
    assert!(err.contains("no permission to write") && err.contains("warroom doctor"), "{err}");
    assert_eq!(records(dir.path()).len(), 1);
}

/// Plain mode (screen readers, TERM=dumb) holds the same line: a GO over a
/// failing critical criterion needs `--override`, and names are checked.
#[test]
fn plain_mode_asks_for_an_explicit_override_and_checks_names() {
    use std::io::Write;
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(
        dir.path().join("runbook.toml"),
        "[runbook]\nid = \"plain-go\"\n\n[[criterion]]\nid = \"checkout\"\ntitle = \"Checkout works\"\nseverity = \"critical\"\n",
    )
    .unwrap();
    let mut child = Command::new(bin())
        .args(["open", "--plain", "--journal"])
        .arg(dir.path().join("journal.jsonl"))
        .arg(dir.path().join("runbook.toml"))
        .env("WARROOM_OPERATOR", "ana")
        .stdin(std::process::Stdio::piped())
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    child
        .stdin
        .take()
        .unwrap()
        .write_all("fail checkout card declined\ndecide go looks fine\noperator bob\u{200B}\ndecide go --override customers waiting\nquit\n".as_bytes())
        .unwrap();
    let out = child.wait_with_output().unwrap();
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
    let said = text(&out.stdout);
    assert!(said.contains("GO while 1 critical criteria fail (checkout): to record it overriding them"), "{said}");
    assert!(said.contains("U+200B"), "{said}");
    let decisions: Vec<Record> = records(dir.path()).into_iter().filter(|r| r.kind == "decision.recorded").collect();
    assert_eq!(decisions.len(), 1, "{decisions:?}");
    assert_eq!(decisions[0].data["overrides"], serde_json::json!(["checkout"]));
    assert_eq!(decisions[0].data["reason"], "customers waiting");
}
