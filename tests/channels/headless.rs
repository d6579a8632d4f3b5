//! `warroom incident … declare` from a script sends the templates whose
//! `send_on` names what it wrote, as a console would: it is the writer.

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

use super::receiver::{down_url, start_blocking, Answer};

fn runbook() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/channels.toml")
}

fn declare(data: &Path, golive: &str) -> Output {
    Command::new(env!("CARGO_BIN_EXE_warroom"))
        .env("WARROOM_DATA_DIR", data)
        .env("WARROOM_OPERATOR", "pager")
        .env("WR_TEST_GOLIVE_URL", golive)
        .env("WR_TEST_GOLIVE_TOKEN", "Bearer tok-2")
        .env("WR_TEST_ALERTS_URL", down_url())
        .arg("incident")
        .arg(runbook())
        .args(["declare", "--severity", "SEV1", "--summary", "checkout down"])
        .output()
        .unwrap()
}

fn records(data: &Path, kind: &str) -> Vec<serde_json::Value> {
    let j = std::fs::read_to_string(data.join("sessions/channels-test/journal.jsonl")).unwrap_or_default();
    j.lines().filter_map(|l| serde_json::from_str::<serde_json::Value>(l).ok()).filter(|v| v["kind"] == kind).collect()
}

#[test]
fn a_scripted_declare_sends_its_message_and_journals_the_delivery() {
    let golive = start_blocking(Answer::Ok);
    let data = tempfile::tempdir().unwrap();
    let out = declare(data.path(), &golive.url());
    let (stdout, stderr) = (String::from_utf8_lossy(&out.stdout), String::from_utf8_lossy(&out.stderr));
    assert_eq!(out.status.code(), Some(0), "{stdout}\n{stderr}");
    let got = golive.got();
    assert_eq!(got.len(), 1, "sent once: {got:?}");
    let text = got[0].body["text"].as_str().unwrap_or_default();
    assert!(text.contains("[INCIDENT] SEV1: checkout down (declared by pager)"), "{text}");
    assert_eq!(got[0].body["event"], "incident.declared");
    assert!(stdout.contains("sent: message incident to golive (HTTP 200"), "{stdout}");
    let sent = records(data.path(), "message.sent");
    assert_eq!(sent.len(), 1, "{sent:?}");
    assert_eq!(
        (sent[0]["data"]["on"].as_str(), sent[0]["operator"].as_str()),
        (Some("incident.declared"), Some("pager"))
    );
    assert!(!stdout.contains(&golive.url()) && !stderr.contains(&golive.url()), "the URL is a secret");
}

#[test]
fn a_scripted_declare_with_the_channel_down_is_recorded_and_says_the_message_failed() {
    let data = tempfile::tempdir().unwrap();
    let down = down_url();
    let out = declare(data.path(), &down);
    let (stdout, stderr) = (String::from_utf8_lossy(&out.stdout), String::from_utf8_lossy(&out.stderr));
    // The incident is recorded whatever the chat does: exit 0, the failure said and journaled.
    assert_eq!(out.status.code(), Some(0), "{stdout}\n{stderr}");
    assert_eq!(records(data.path(), "incident.declared").len(), 1);
    assert!(stderr.contains("retrying in"), "{stderr}");
    assert!(stderr.contains("message incident NOT sent to golive after 4 attempts"), "{stderr}");
    let failed = records(data.path(), "message.failed");
    assert_eq!(failed.len(), 1, "{failed:?}");
    assert_eq!(failed[0]["data"]["channel"], "golive");
    assert!(!stderr.contains(&down), "the URL is a secret: {stderr}");
}
