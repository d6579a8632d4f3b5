//! Secrets never leave (docs/runbook-format.md, "Secrets"): a probe sends a
//! token from `env:API_TOKEN` to a real server that echoes request headers
//! back; a step prints the token, a secret var and a token shape the runbook's
//! `redact` knows; a followed log prints the token. The token, the var's value
//! and the token shape then appear nowhere: not on the screen (real tmux), not
//! in the journal, the run's output file, `warroom report` or `warroom probe`.

// Each test module of this binary includes the harness itself, so that
// its port stays in its own file; the copies share one tmux server.
#[allow(clippy::duplicate_mod)]
#[path = "../support/tmux.rs"]
mod tmux;

use std::path::Path;
use std::process::Command;

use super::server;
use tmux::{Pane, PATIENCE};

const TOKEN: &str = "tok-9f8e7d6c5b4a";
const PASSWORD: &str = "hunter2-pass-77";
const GITHUB: &str = "ghp_abcdefABCDEF123456";

fn runbook(dir: &Path, base: &str) -> std::path::PathBuf {
    let rb = dir.join("rb.toml");
    std::fs::write(
        &rb,
        format!(
            r#"[runbook]
id = "secrets"
title = "Secrets e2e"
secret_vars = ["db_password"]
redact = ["ghp_[A-Za-z0-9]{{16,}}"]

[vars]
db_password = "{PASSWORD}"

[[phase]]
id = "deploy"
title = "Deploy"

[[step]]
id = "leaky"
phase = "deploy"
title = "Leaky step"
run = "echo token=$API_TOKEN pw={{db_password}} gh=ghp_$(printf abcdefABCDEF)123456 end"

[[probe]]
id = "echo"
url = "{base}/echo-headers"
headers = {{ Authorization = "env:API_TOKEN" }}
conditions = ["[BODY] == \"UP\""]
every = "500ms"

[[template]]
id = "status"
title = "Status"
text = "db access with {{db_password}} ok"

[[log]]
id = "app"
command = "echo ERROR app saw $API_TOKEN here; sleep 600"
error = "ERROR"
"#
        ),
    )
    .unwrap();
    rb
}

/// The console in a tmux session (tests/support/tmux.rs) that keeps every
/// screen it reads.
struct Tmux {
    pane: Pane,
    /// Every screen read, for the final check.
    seen: std::cell::RefCell<String>,
}

impl Tmux {
    fn start(dir: &Path, rb: &Path) -> Tmux {
        let cmd = format!(
            "API_TOKEN={TOKEN} WARROOM_DATA_DIR={} {} open {} --journal {}; echo warroom exited $?; sleep 600",
            dir.join("data").display(),
            env!("CARGO_BIN_EXE_warroom"),
            rb.display(),
            dir.join("session/journal.jsonl").display()
        );
        Tmux { pane: Pane::start("secrets", 200, 50, &cmd), seen: Default::default() }
    }

    fn screen(&self) -> String {
        let s = self.pane.screen();
        self.seen.borrow_mut().push_str(&s);
        s
    }

    fn keys(&self, keys: &str) {
        self.pane.keys(&[keys]);
    }

    /// Esc, then waits for the dialog to close (so the next key is not read as Alt+key).
    fn close(&self, dialog_text: &str) {
        self.keys("Escape");
        assert!(tmux::poll(PATIENCE, || !self.screen().contains(dialog_text)), "{dialog_text:?} never closed");
    }

    /// Waits for `text` on the screen (every screen read is kept); returns that screen.
    fn wait_for(&self, text: &str) -> String {
        let mut last = String::new();
        let seen = tmux::poll(PATIENCE, || {
            last = self.screen();
            last.contains(text)
        });
        assert!(seen, "never saw {text:?}; screen:\n{last}");
        last
    }
}

fn assert_hidden(what: &str, text: &str) {
    for secret in [TOKEN, PASSWORD, GITHUB, "tok-9f8e", "hunter2"] {
        let at: Vec<&str> = text.lines().filter(|l| l.contains(secret)).collect();
        assert!(at.is_empty(), "{what} shows {secret:?}:\n{}", at.join("\n"));
    }
}

fn warroom(args: &[&str]) -> String {
    let out = Command::new(env!("CARGO_BIN_EXE_warroom")).args(args).env("API_TOKEN", TOKEN).output().unwrap();
    format!("{}{}", String::from_utf8_lossy(&out.stdout), String::from_utf8_lossy(&out.stderr))
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_echoed_token_appears_nowhere() {
    let srv = server::start().await;
    let dir = tempfile::tempdir().unwrap();
    let rb = runbook(dir.path(), &srv.url(""));
    let journal = dir.path().join("session/journal.jsonl");

    // The server really does echo the token: without redaction it would leak.
    let echoed = reqwest::Client::new()
        .get(srv.url("/echo-headers"))
        .header("authorization", TOKEN)
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(echoed.contains(TOKEN), "{echoed}");

    let t = tokio::task::spawn_blocking({
        let (dir, rb, journal) = (dir.path().to_path_buf(), rb.clone(), journal.clone());
        move || {
            let t = Tmux::start(&dir, &rb);
            t.wait_for("Secrets e2e");
            // The probe went DOWN with the echoed body as its cause, and the log line arrived.
            t.wait_for("DOWN");
            t.wait_for("ERROR app saw ‹API_TOKEN› here");
            t.keys("3");
            t.keys("Enter");
            t.wait_for("Probe echo");
            t.wait_for("‹API_TOKEN›");
            t.close("Probe echo");
            t.keys("1");
            t.keys("r");
            t.wait_for("Run step leaky");
            t.keys("y");
            t.wait_for("exit 0");
            t.keys("Enter");
            t.wait_for("token=‹API_TOKEN› pw=‹db_password› gh=‹redacted› end");
            t.close("output of run 1");
            // A template that uses a secret var shows (and would copy) its placeholder.
            t.keys("c");
            t.wait_for("db access with ‹db_password› ok");
            t.close("db access with");
            t.keys("q");
            let closed = || std::fs::read_to_string(&journal).unwrap_or_default().contains("session.closed");
            assert!(tmux::poll(PATIENCE, closed), "console never quit:\n{}", t.screen());
            let seen = t.seen.borrow().clone();
            seen
        }
    })
    .await
    .unwrap();
    assert_hidden("the screen", &t);

    let text = std::fs::read_to_string(&journal).unwrap();
    assert!(text.contains("probe.changed") && text.contains("‹API_TOKEN›"), "{text}");
    assert_hidden("the journal", &text);

    let output = std::fs::read_to_string(dir.path().join("session/runs/step-leaky-1.log")).unwrap();
    assert!(output.contains("token=‹API_TOKEN›"), "{output}");
    assert_hidden("the run's output file", &output);

    let journal_s = journal.display().to_string();
    let rb_s = rb.display().to_string();
    let report = warroom(&["report", &journal_s, "--runbook", &rb_s]);
    assert!(report.contains("echo"), "{report}");
    assert_hidden("the report", &report);

    let probe = tokio::task::spawn_blocking(move || (warroom(&["probe", &rb_s]), warroom(&["probe", &rb_s, "--json"])))
        .await
        .unwrap();
    assert!(probe.0.contains("‹API_TOKEN›"), "{}", probe.0);
    assert_hidden("warroom probe", &probe.0);
    assert_hidden("warroom probe --json", &probe.1);
}
