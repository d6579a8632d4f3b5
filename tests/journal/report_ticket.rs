//! `warroom report` as something to paste into a ticket (issue 12, item 9):
//! real line breaks in code blocks (not `^J`), each rollback run with the end
//! of its output, repeated rollbacks flagged, no empty phase headings, and the
//! titles kept when the runbook file is gone. The session is opened by the
//! real console (plain mode, input closed), the rest appended as a console
//! would, with real output files beside the journal.

use super::*;
use warroom::domain::event::RunOutcome;

/// The binary under test; `WARROOM_BIN_UNDER_TEST` runs these tests against
/// another build (how they were seen to fail on main).
fn bin() -> String {
    std::env::var("WARROOM_BIN_UNDER_TEST").unwrap_or_else(|_| BIN.to_string())
}

fn open_session(journal: &Path, runbook: &Path) {
    let out = Command::new(bin())
        .arg("--journal")
        .arg(journal)
        .args(["--operator", "ana", "--plain", "open"])
        .arg(runbook)
        .env("TERM", "dumb")
        .stdin(Stdio::null())
        .output()
        .unwrap();
    assert!(lines_of(journal).iter().any(|l| l.contains("session.opened")), "{}", text(&out.stderr));
}

fn rollback_run(j: &mut Journal, dir: &Path, run: u32, output: &str, outcome: RunOutcome, code: i32) {
    let name = format!("runs/rollback-full-{run}.log");
    std::fs::create_dir_all(dir.join("runs")).unwrap();
    std::fs::write(dir.join(&name), output).unwrap();
    let now = chrono::Utc::now();
    let command = "./scripts/golive/rollback.sh 20260212 --force\necho \"restored\"".to_string();
    j.append("ana", now, &EventKind::RollbackStarted { rollback: "full".into(), run, command, output: name }).unwrap();
    let ev = EventKind::RollbackFinished {
        rollback: "full".into(),
        run,
        outcome,
        exit_code: Some(code),
        signal: None,
        duration_ms: 1200,
        error: None,
    };
    j.append("ana", now, &ev).unwrap();
}

fn report(journal: &Path, format: &str) -> Output {
    Command::new(bin()).args(["report", "--format", format]).arg(journal).stdin(Stdio::null()).output().unwrap()
}

#[test]
fn the_report_reads_like_a_ticket_and_keeps_its_titles_without_the_runbook() {
    let dir = tempfile::tempdir().unwrap();
    let rb = dir.path().join("golive.toml");
    // With a token shape to hide, as a runbook with secrets would have.
    let toml = std::fs::read_to_string(runbook()).unwrap();
    let toml =
        toml.replacen("id = \"golive-platform\"\n", "id = \"golive-platform\"\nredact = [\"tok_[a-z0-9]{8}\"]\n", 1);
    std::fs::write(&rb, toml).unwrap();
    let jp = dir.path().join("journal.jsonl");
    open_session(&jp, &rb);

    let mut j = Journal::open(&jp).unwrap().journal;
    let now = chrono::Utc::now();
    let command = "set -e\nvendor/bin/drush updb -y\nvendor/bin/drush cr".to_string();
    let started = EventKind::StepStarted {
        step: "db-updates".into(),
        run: 1,
        command,
        output: "runs/step-db-updates-1.log".into(),
    };
    j.append("ana", now, &started).unwrap();
    rollback_run(
        &mut j,
        dir.path(),
        1,
        "stopping web with tok_abcd1234\nrestore failed: \u{1b}[31mlock held\u{1b}[0m\n",
        RunOutcome::Failed,
        3,
    );
    let long: String = (1..=30).map(|i| format!("restoring table {i}\n")).collect::<String>() + "rollback complete\n";
    rollback_run(&mut j, dir.path(), 2, &long, RunOutcome::Ok, 0);
    j.append("ana", now, &EventKind::NoteAdded { text: "DB restored.\nCache warm-up pending.".into() }).unwrap();
    let msg = EventKind::MessageCopied {
        template: "deploy-started".into(),
        text: "[GO-LIVE] Deploy STARTED\nETA 30 min".into(),
    };
    j.append("ana", now, &msg).unwrap();
    drop(j);

    let check = |md: &str| {
        assert!(!md.contains("^J"), "no caret line feeds:\n{md}");
        assert!(
            md.contains("    vendor/bin/drush updb -y\n    vendor/bin/drush cr\n"),
            "command lines in a block:\n{md}"
        );
        assert!(md.contains("  [GO-LIVE] Deploy STARTED\n  ETA 30 min\n"), "message lines in a block:\n{md}");
        assert!(md.contains("  DB restored.\n  Cache warm-up pending.\n"), "note lines in a block:\n{md}");
        // Each rollback run with the end of its output, cleaned.
        assert!(md.contains("    restore failed: lock held\n"), "run 1's output:\n{md}");
        assert!(
            md.contains("    rollback complete\n") && md.contains("(21 earlier not shown)"),
            "run 2's last lines:\n{md}"
        );
        assert!(!md.contains('\u{1b}'));
        assert!(md.contains("⚠ ran 2 times"), "the repeated rollback flagged:\n{md}");
        // Every phase heading has steps under it.
        let lines: Vec<&str> = md.lines().collect();
        for (i, l) in lines.iter().enumerate() {
            if l.starts_with("### ") {
                assert!(lines.get(i + 2).is_some_and(|n| n.starts_with("- **")), "empty heading {l:?}:\n{md}");
            }
        }
    };
    let out = report(&jp, "md");
    assert!(out.status.success(), "{}", text(&out.stderr));
    let md = text(&out.stdout);
    check(&md);
    assert!(md.contains("Database updates (db-updates)") && md.contains("### Deploy (T-0)"), "{md}");
    // Output excerpts are redacted like everything else the runbook knows to hide.
    assert!(md.contains("stopping web with ‹redacted›") && !md.contains("tok_abcd1234"), "{md}");

    // The runbook file is gone: the titles come from the journal's session.opened.
    std::fs::remove_file(&rb).unwrap();
    let out = report(&jp, "md");
    assert!(out.status.success(), "{}", text(&out.stderr));
    let md = text(&out.stdout);
    check(&md);
    if std::env::var_os("SHOW_REPORT").is_some() {
        eprintln!("{md}");
    }
    for title in [
        "# Session report — Go-live — platform T-0",
        "### Deploy (T-0)",
        "Database updates (db-updates)",
        "Homepage answers HTTP 200 (homepage-200)",
        "Roll back to the pre-deploy backup (full)",
    ] {
        assert!(md.contains(title), "{title:?} kept without the runbook file:\n{md}");
    }
    let v: serde_json::Value = serde_json::from_slice(&report(&jp, "json").stdout).unwrap();
    assert_eq!(v["rollbacks"][0]["repeated"], true);
    assert_eq!(v["rollbacks"][0]["runs"][1]["output_excerpt"]["lines"][9], "rollback complete");
    assert_eq!(v["notes"][0]["text"], "DB restored.\nCache warm-up pending.", "real line breaks in JSON");
    assert_eq!(v["checklist"][0]["severity"], "critical");
}

#[test]
fn a_damaged_journal_says_so_in_the_report_body_and_exits_1() {
    let dir = tempfile::tempdir().unwrap();
    let j = dir.path().join("journal.jsonl");
    for i in 1..=4 {
        assert!(note(&j, &format!("n{i}")).status.success());
    }
    let mut lines = lines_of(&j);
    lines[2] = lines[2].replace("n3", "n3 edited");
    std::fs::write(&j, lines.iter().map(|l| format!("{l}\n")).collect::<String>()).unwrap();
    let out = report(&j, "md");
    assert_eq!(out.status.code(), Some(1), "a damaged journal is not a clean report");
    let md = text(&out.stdout);
    let top: String = md.lines().take(4).collect::<Vec<_>>().join("\n");
    assert!(top.contains("The journal is damaged") && top.contains(":3"), "the notice at the top:\n{md}");
    assert!(md.contains("only the 2 records before the damage") && md.contains("n2") && !md.contains("n4"), "{md}");
    let out = report(&j, "json");
    assert_eq!(out.status.code(), Some(1));
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert!(v["damage"].as_str().is_some_and(|d| d.contains(":3")), "{v}");
}
