//! In the console, as an operator sees it (real binary in real tmux, private
//! server `-L wr-gatus-e2e`): a probe written in Gatus's language goes DOWN
//! with the condition that failed and what it saw; another goes UP.

use std::process::Command;
use std::time::{Duration, Instant};

use super::server;

const SOCK: &str = "wr-gatus-e2e";

fn tmux(args: &[&str]) -> String {
    let out = Command::new("tmux").arg("-L").arg(SOCK).args(args).output().expect("tmux runs");
    String::from_utf8_lossy(&out.stdout).to_string()
}

struct Pane(String);

impl Drop for Pane {
    fn drop(&mut self) {
        tmux(&["kill-session", "-t", &self.0]);
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn gatus_conditions_decide_up_and_down_on_screen() {
    let srv = server::start(vec![(200, r#"{"status":"DOWN","items":[1,2,3]}"#.into()), (429, "slow down".into())]).await;
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
    let pane = Pane(format!("gatus-{}", std::process::id()));
    let cmd = format!(
        "export WARROOM_DATA_DIR={d}/data WARROOM_CONFIG_DIR={d}/config WARROOM_OPERATOR=ana TERM=xterm-256color && \
         {bin} open --plain {rb}; sleep 600",
        d = dir.path().display(),
        bin = env!("CARGO_BIN_EXE_warroom"),
        rb = runbook.display()
    );
    tmux(&["new-session", "-d", "-s", &pane.0, "-x", "200", "-y", "50", &cmd]);
    let want = [
        "probe api is Down ([BODY].status == UP: got \"DOWN\")",
        "probe limited is Up",
    ];
    let deadline = Instant::now() + Duration::from_secs(60);
    loop {
        let screen = tmux(&["capture-pane", "-p", "-J", "-t", &pane.0]);
        if want.iter().all(|w| screen.contains(w)) {
            break;
        }
        assert!(Instant::now() < deadline, "waited 60s for {want:?}; screen:\n{screen}");
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
}
