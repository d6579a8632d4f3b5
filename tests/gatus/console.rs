//! In the console, as an operator sees it (real binary in real tmux, the
//! binary's private server, tests/support/tmux.rs): a probe written in Gatus's language goes DOWN,
//! and its details name the condition that failed and what it saw; another
//! goes UP.

#[path = "../support/tmux.rs"]
mod tmux;

use super::server;
use tmux::{Pane, PATIENCE};

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn gatus_conditions_decide_up_and_down_on_screen() {
    let srv =
        server::start(vec![(200, r#"{"status":"DOWN","items":[1,2,3]}"#.into()), (429, "slow down".into())]).await;
    let dir = tempfile::tempdir().unwrap();
    let runbook = dir.path().join("rb.toml");
    std::fs::write(
        &runbook,
        format!(
            "[runbook]\nid = \"gatus-e2e\"\n\n\
             [[probe]]\nid = \"api\"\nurl = \"{}\"\nevery = \"1s\"\ntimeout = \"1s\"\nfailure_threshold = 1\n\
             conditions = ['[STATUS] == 200', '[BODY].status == UP', 'len([BODY].items) == 3']\n\n\
             [[probe]]\nid = \"limited\"\nurl = \"{}\"\nevery = \"1s\"\ntimeout = \"1s\"\nsuccess_threshold = 1\n\
             conditions = ['[STATUS] == any(200, 429)', '[BODY] == pat(slow*)']\n",
            srv.url("/case/0"),
            srv.url("/case/1")
        ),
    )
    .unwrap();
    // The waits block: they run off the runtime that serves the HTTP answers.
    tokio::task::spawn_blocking(move || watch(dir.path(), &runbook)).await.unwrap();
}

fn watch(dir: &std::path::Path, runbook: &std::path::Path) {
    let cmd = format!(
        "export WARROOM_DATA_DIR={d}/data WARROOM_CONFIG_DIR={d}/config WARROOM_OPERATOR=ana TERM=xterm-256color && \
         {bin} open {rb}; sleep 600",
        d = dir.display(),
        bin = env!("CARGO_BIN_EXE_warroom"),
        rb = runbook.display()
    );
    let pane = Pane::start("gatus", 200, 50, &cmd);
    let wait = |what: &str, cond: &dyn Fn(&str) -> bool| {
        pane.wait(what, cond, PATIENCE);
    };
    let row = |s: &str, id: &str, word: &str| s.lines().any(|l| l.contains(word) && l.contains(&format!(" {id} ")));
    wait("api DOWN and limited UP in the Probes pane", &|s| row(s, "api", "DOWN") && row(s, "limited", "UP"));
    pane.keys(&["3", "Enter"]);
    wait("the failed condition in api's details", &|s| {
        s.contains("DOWN since") && s.contains("[BODY].status == UP: got \"DOWN\"")
    });
}
