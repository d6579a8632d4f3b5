//! `warroom verify` catches any change to a line, not only changes the hash
//! covers: a line is valid only if its bytes are exactly the canonical
//! serialisation of its fields. The checker printed in docs/journal.md must
//! refuse the same lines, so that page and the binary cannot drift apart.

use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};

const BIN: &str = env!("CARGO_BIN_EXE_warroom");

fn runbook() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("examples/golive-platform.toml")
}

fn text(b: &[u8]) -> String {
    String::from_utf8_lossy(b).into_owned()
}

fn note(journal: &Path, text_: &str) {
    let out = Command::new(BIN)
        .arg("--journal")
        .arg(journal)
        .args(["--operator", "ana@bastion", "note"])
        .arg(runbook())
        .arg(text_)
        .env("WARROOM_DATA_DIR", journal.parent().unwrap())
        .stdin(Stdio::null())
        .output()
        .expect("warroom runs");
    assert!(out.status.success(), "note: {}", text(&out.stderr));
}

fn verify(journal: &Path) -> Output {
    Command::new(BIN).arg("verify").arg(journal).stdin(Stdio::null()).output().expect("warroom runs")
}

/// The Python checker as docs/journal.md prints it (the block that uses hashlib).
fn docs_checker() -> String {
    let doc = std::fs::read_to_string(Path::new(env!("CARGO_MANIFEST_DIR")).join("docs/journal.md")).unwrap();
    let blocks: Vec<&str> = doc.split("```python\n").skip(1).filter_map(|b| b.split("\n```").next()).collect();
    blocks.into_iter().find(|b| b.contains("hashlib")).expect("docs/journal.md has a python checker").to_string()
}

fn python_check(checker: &str, journal: &Path) -> Output {
    Command::new("python3")
        .arg("-c")
        .arg(checker)
        .arg(journal)
        .stdin(Stdio::null())
        .output()
        .expect("python3 is installed (scripts/test installs it)")
}

/// (what, the edited line) for line `good`: each keeps every field's value.
fn edits(good: &str) -> Vec<(&'static str, String)> {
    let v: serde_json::Value = serde_json::from_str(good).unwrap();
    let obj = v.as_object().unwrap();
    // Same fields, keys in another order (hash last → hash first).
    let mut reordered = String::from("{");
    let mut keys: Vec<&String> = obj.keys().collect();
    keys.rotate_right(1);
    for (i, k) in keys.iter().enumerate() {
        if i > 0 {
            reordered.push(',');
        }
        reordered.push_str(&format!("{}:{}", serde_json::to_string(k).unwrap(), obj[*k]));
    }
    reordered.push('}');
    vec![
        ("an unknown top-level field", good.replacen(",\"prev\":", ",\"extra\":\"x\",\"prev\":", 1)),
        ("a carriage return before the line end", format!("{good}\r")),
        ("trailing spaces", format!("{good}   ")),
        ("a space after a colon", good.replacen("\"seq\":", "\"seq\": ", 1)),
        ("pretty spacing (serde_json's pretty printer on one line)", {
            let pretty = serde_json::to_string_pretty(&v).unwrap();
            pretty.replace('\n', " ")
        }),
        ("re-ordered keys", reordered),
        ("a letter written as a \\u escape", good.replacen("ana@bastion", "an\\u0061@bastion", 1)),
    ]
}

#[test]
fn verify_and_the_docs_checker_refuse_every_edit_that_keeps_the_fields() {
    let dir = tempfile::tempdir().unwrap();
    let j = dir.path().join("journal.jsonl");
    for i in 1..=4 {
        note(&j, &format!("note number {i}"));
    }
    let good: Vec<String> = std::fs::read_to_string(&j).unwrap().lines().map(String::from).collect();
    let checker = docs_checker();
    let out = verify(&j);
    assert_eq!(out.status.code(), Some(0), "{}{}", text(&out.stdout), text(&out.stderr));
    let py = python_check(&checker, &j);
    assert!(py.status.success(), "the docs' checker refuses an intact journal: {}", text(&py.stderr));

    let tampered = dir.path().join("tampered.jsonl");
    let middle = 2; // line 3: a middle line, so the chain after it still links
    for (what, line) in edits(&good[middle]) {
        assert_ne!(line, good[middle], "{what}: the edit changed nothing");
        let mut lines = good.clone();
        lines[middle] = line;
        std::fs::write(&tampered, lines.iter().map(|l| format!("{l}\n")).collect::<String>()).unwrap();

        let out = verify(&tampered);
        let stdout = text(&out.stdout);
        assert_eq!(out.status.code(), Some(1), "verify accepted {what}: {stdout}{}", text(&out.stderr));
        assert!(stdout.starts_with(&format!("{}:3: ", tampered.display())), "{what}: {stdout}");
        assert!(!stdout.contains('\r'), "{what}: the reason must not echo raw control bytes: {stdout:?}");

        let py = python_check(&checker, &tampered);
        assert!(!py.status.success(), "the docs' checker accepted {what}");
        assert!(
            text(&py.stderr).contains("line 3"),
            "{what}: the docs' checker must name line 3: {}",
            text(&py.stderr)
        );
    }
}

/// A console opening such a journal is read-only on the records before the
/// edited line, like for any other damaged line.
#[test]
fn a_writer_refuses_to_chain_after_an_edited_line() {
    let dir = tempfile::tempdir().unwrap();
    let j = dir.path().join("journal.jsonl");
    for i in 1..=3 {
        note(&j, &format!("note number {i}"));
    }
    let body = std::fs::read_to_string(&j).unwrap();
    let edited = body.replacen(",\"prev\":", ",\"extra\":\"x\",\"prev\":", 2);
    // Keep line 1 as it was: only line 2 carries the extra field.
    let mut lines: Vec<String> = edited.lines().map(String::from).collect();
    lines[0] = body.lines().next().unwrap().to_string();
    std::fs::write(&j, lines.iter().map(|l| format!("{l}\n")).collect::<String>()).unwrap();
    let out = Command::new(BIN)
        .arg("--journal")
        .arg(&j)
        .args(["--operator", "ana@bastion", "note"])
        .arg(runbook())
        .arg("after the edit")
        .env("WARROOM_DATA_DIR", dir.path())
        .stdin(Stdio::null())
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1), "a note was written after an edited line: {}", text(&out.stdout));
    assert!(text(&out.stderr).contains(":2:"), "names line 2: {}", text(&out.stderr));
}
