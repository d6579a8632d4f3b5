//! `warroom probe RUNBOOK [--json]` as a user runs it, against the local server.

use std::path::{Path, PathBuf};

use super::server;

fn write_runbook(dir: &Path, body: &str) -> PathBuf {
    let p = dir.join("rb.toml");
    std::fs::write(&p, format!("[runbook]\nid = \"cli\"\ntitle = \"CLI\"\n\n{body}")).unwrap();
    p
}

async fn warroom(args: Vec<String>) -> std::process::Output {
    tokio::task::spawn_blocking(move || {
        assert_cmd::Command::cargo_bin("warroom").unwrap().args(&args).env("NO_COLOR", "1").output().unwrap()
    })
    .await
    .unwrap()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn table_json_and_exit_codes() {
    let srv = server::start().await;
    let dir = tempfile::tempdir().unwrap();
    let good = write_runbook(
        dir.path(),
        &format!(
            "[vars]\nbase = \"{}\"\n\n[[probe]]\nid = \"home\"\nurl = \"{{base}}/ok\"\nconditions = [\"[STATUS] == 200\"]\n\n\
             [[probe]]\nid = \"port\"\ntcp = \"{}\"\n",
            srv.url(""),
            srv.addr
        ),
    );
    let out = warroom(vec!["probe".into(), good.display().to_string()]).await;
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert_eq!(out.status.code(), Some(0), "{stdout}\n{}", String::from_utf8_lossy(&out.stderr));
    let lines: Vec<&str> = stdout.lines().collect();
    assert!(lines[0].starts_with("PROBE") && lines[0].contains("FAILED CONDITION / ERROR"), "{stdout}");
    assert!(lines[1].starts_with("home") && lines[1].contains("PASS") && lines[1].contains("200"), "{stdout}");
    assert!(lines[2].starts_with("port") && lines[2].contains("PASS"), "{stdout}");
    assert_eq!(lines[3], "2 probes, 2 passed, 0 failed");

    let dir2 = tempfile::tempdir().unwrap();
    let bad = write_runbook(
        dir2.path(),
        &format!(
            "[[probe]]\nid = \"home\"\nurl = \"{}\"\n\n[[probe]]\nid = \"broken\"\nurl = \"{}\"\nconditions = [\"[STATUS] == 200\"]\n",
            srv.url("/ok"),
            srv.url("/500")
        ),
    );
    let out = warroom(vec!["probe".into(), bad.display().to_string(), "--json".into()]).await;
    assert_eq!(out.status.code(), Some(1));
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(v["runbook"], "cli");
    assert_eq!(v["all_pass"], false);
    assert_eq!(v["probes"][0]["result"], "pass");
    assert_eq!(v["probes"][1]["id"], "broken");
    assert_eq!(v["probes"][1]["result"], "fail");
    assert_eq!(v["probes"][1]["status"], 500);
    assert_eq!(v["probes"][1]["failed_condition"], "[STATUS] == 200: got 500");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn bad_input_exits_2_naming_the_file() {
    let dir = tempfile::tempdir().unwrap();
    let p = write_runbook(dir.path(), "[[probe]]\nid = \"x\"\nurl = \"http://127.0.0.1:1/\"\nevery = \"soon\"\n");
    let out = warroom(vec!["probe".into(), p.display().to_string()]).await;
    assert_eq!(out.status.code(), Some(2));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("rb.toml:"), "{err}");
    let out = warroom(vec!["probe".into(), dir.path().join("missing.toml").display().to_string()]).await;
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("missing.toml"));
}
