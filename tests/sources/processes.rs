//! The process runner (S6, S7) with real `/bin/sh` children.

use std::path::Path;
use std::time::Duration;

use warroom::domain::event::{RunKind, RunOutcome};
use warroom::sources::process::output_file::parse_line;
use warroom::sources::process::{spawn_run, spawn_run_with, RunHandle, RunLimits, RunSpec};
use warroom::sources::{EventReceiver, RunExit, SourceEvent};

/// A guard against a hang, not a timing assertion.
const HANG: Duration = Duration::from_secs(60);

fn spec(dir: &Path, id: &str, command: &str) -> RunSpec {
    RunSpec {
        kind: RunKind::Step,
        id: id.to_string(),
        run: 1,
        command: command.to_string(),
        cwd: dir.to_path_buf(),
        env: vec![("WARROOM_TEST_VAR".into(), "from-env".into())],
        timeout: None,
        output_file: dir.join(format!("{id}.out")),
        redactor: Default::default(),
    }
}

fn quick() -> RunLimits {
    RunLimits { kill_grace: Duration::from_millis(300), ..RunLimits::default() }
}

/// Collects output lines until the run's `RunExited`.
async fn finish(rx: &mut EventReceiver) -> (Vec<String>, RunExit) {
    let mut lines = Vec::new();
    loop {
        let ev = tokio::time::timeout(HANG, rx.recv()).await.expect("run never ended").expect("channel open");
        match ev {
            SourceEvent::RunOutput { line, .. } => lines.push(line),
            SourceEvent::RunExited { end, .. } => return (lines, end),
            other => panic!("unexpected event {other:?}"),
        }
    }
}

/// Live (non-zombie) processes in a process group, read straight from /proc.
fn live_in_group(pgid: i32) -> Vec<i32> {
    let mut out = Vec::new();
    for e in std::fs::read_dir("/proc").unwrap().flatten() {
        let Some(pid) = e.file_name().to_str().and_then(|s| s.parse::<i32>().ok()) else { continue };
        let Ok(stat) = std::fs::read_to_string(format!("/proc/{pid}/stat")) else { continue };
        let rest = &stat[stat.rfind(')').unwrap() + 1..];
        let f: Vec<&str> = rest.split_whitespace().collect();
        if f[2].parse::<i32>().ok() == Some(pgid) && f[0] != "Z" {
            out.push(pid);
        }
    }
    out
}

/// Waits (polling /proc) until the group has at least `n` live processes.
async fn wait_for_members(pgid: i32, n: usize) {
    tokio::time::timeout(HANG, async {
        while live_in_group(pgid).len() < n {
            tokio::time::sleep(Duration::from_millis(20)).await;
        }
    })
    .await
    .expect("processes never appeared");
}

fn channel() -> (warroom::sources::EventSender, EventReceiver) {
    warroom::sources::event_channel()
}

#[tokio::test]
async fn exit_codes_output_and_env() {
    let dir = tempfile::tempdir().unwrap();
    let (tx, mut rx) = channel();
    let h =
        spawn_run(spec(dir.path(), "ok", "echo out-line; echo err-line >&2; echo $WARROOM_TEST_VAR; pwd"), tx.clone());
    let (lines, end) = finish(&mut rx).await;
    assert_eq!(end.outcome, RunOutcome::Ok);
    assert_eq!(end.exit_code, Some(0));
    assert!(h.is_finished());
    for want in ["out-line", "err-line", "from-env"] {
        assert!(lines.iter().any(|l| l == want), "missing {want} in {lines:?}");
    }
    let cwd = std::fs::canonicalize(dir.path()).unwrap();
    assert!(lines.iter().any(|l| Path::new(l) == cwd), "pwd not the cwd: {lines:?}");
    let text = std::fs::read_to_string(dir.path().join("ok.out")).unwrap();
    let parsed: Vec<_> = text.lines().map(parse_line).collect();
    assert!(parsed.iter().any(|l| l.tag == "out" && l.text == "out-line" && l.at.is_some()));
    assert!(parsed.iter().any(|l| l.tag == "err" && l.text == "err-line"));
    assert!(parsed.last().unwrap().text.starts_with("exited with exit code 0"), "{text}");

    let h = spawn_run(spec(dir.path(), "fail", "echo partial; exit 3"), tx);
    let (_, end) = finish(&mut rx).await;
    assert_eq!(end.outcome, RunOutcome::Failed);
    assert_eq!(end.exit_code, Some(3));
    assert!(h.is_finished());
}

/// A console started under `nohup` (HUP ignored) or in the background by a
/// script (INT ignored) must not hand that on: the step's shell can `trap`
/// them. The kernel's own record of ignored signals (`SigIgn`) is read.
#[tokio::test]
async fn steps_get_default_signal_actions_whatever_the_console_ignores() {
    // SAFETY: ignoring HUP and INT in this test process, as nohup or `&` would;
    // nothing in this test binary relies on their default action.
    unsafe {
        libc::signal(libc::SIGHUP, libc::SIG_IGN);
        libc::signal(libc::SIGINT, libc::SIG_IGN);
    }
    let dir = tempfile::tempdir().unwrap();
    let (tx, mut rx) = channel();
    let _h =
        spawn_run(spec(dir.path(), "sig", "grep SigIgn /proc/self/status; trap 'echo trapped' HUP; kill -HUP $$"), tx);
    let (lines, end) = finish(&mut rx).await;
    assert_eq!(end.outcome, RunOutcome::Ok, "{lines:?}");
    let ignored = lines.iter().find_map(|l| l.strip_prefix("SigIgn:")).expect("SigIgn line");
    let mask = u64::from_str_radix(ignored.trim(), 16).unwrap();
    for (name, sig) in [("HUP", libc::SIGHUP), ("INT", libc::SIGINT)] {
        assert_eq!(mask & (1 << (sig - 1)), 0, "{name} is still ignored in the step: {lines:?}");
    }
    assert!(lines.iter().any(|l| l == "trapped"), "the step's trap ran: {lines:?}");
}

#[tokio::test]
async fn timeout_stops_the_whole_group() {
    let dir = tempfile::tempdir().unwrap();
    let (tx, mut rx) = channel();
    let mut s = spec(dir.path(), "slow", "sleep 999 & sleep 999");
    s.timeout = Some(Duration::from_millis(300));
    let h = spawn_run_with(s, quick(), tx);
    let pgid = h.pgid().unwrap();
    let (_, end) = finish(&mut rx).await;
    assert_eq!(end.outcome, RunOutcome::TimedOut);
    assert_eq!(live_in_group(pgid), Vec::<i32>::new(), "processes left behind");
    let text = std::fs::read_to_string(dir.path().join("slow.out")).unwrap();
    assert!(text.contains("timed out after 0.300s"), "{text}");
}

#[tokio::test]
async fn abort_kills_children_that_ignore_term_and_background() {
    let dir = tempfile::tempdir().unwrap();
    let (tx, mut rx) = channel();
    let h = spawn_run_with(spec(dir.path(), "stubborn", "trap '' TERM; sleep 999 & sleep 999"), quick(), tx);
    let pgid = h.pgid().unwrap();
    wait_for_members(pgid, 3).await;
    h.abort();
    let (_, end) = finish(&mut rx).await;
    assert_eq!(end.outcome, RunOutcome::Aborted);
    assert_eq!(live_in_group(pgid), Vec::<i32>::new(), "processes left behind");
}

#[tokio::test]
async fn dropping_the_handle_stops_the_run() {
    let dir = tempfile::tempdir().unwrap();
    let (tx, _rx) = channel();
    let h: RunHandle = spawn_run_with(spec(dir.path(), "quit", "trap '' TERM; sleep 999 & sleep 999"), quick(), tx);
    let pgid = h.pgid().unwrap();
    wait_for_members(pgid, 3).await;
    drop(h);
    assert_eq!(live_in_group(pgid), Vec::<i32>::new(), "processes left behind after drop");
}

#[tokio::test]
async fn normal_exit_leaves_nothing_behind() {
    let dir = tempfile::tempdir().unwrap();
    let (tx, mut rx) = channel();
    let h = spawn_run_with(spec(dir.path(), "bg", "sleep 999 & echo started"), quick(), tx);
    let pgid = h.pgid().unwrap();
    let (lines, end) = finish(&mut rx).await;
    assert_eq!(end.outcome, RunOutcome::Ok);
    assert_eq!(lines, vec!["started".to_string()]);
    assert_eq!(live_in_group(pgid), Vec::<i32>::new());
}

#[tokio::test]
async fn stdin_is_eof_and_there_is_no_terminal() {
    let dir = tempfile::tempdir().unwrap();
    let (tx, mut rx) = channel();
    let cmd = "if read x; then echo read-something; else echo stdin-eof; fi; \
               (echo x > /dev/tty) 2>/dev/null && echo has-tty || echo no-tty; \
               ps -o sid= -p $$ | tr -d ' '; echo pid=$$";
    let _h = spawn_run(spec(dir.path(), "stdin", cmd), tx);
    let (lines, end) = finish(&mut rx).await;
    assert_eq!(end.outcome, RunOutcome::Ok, "{lines:?}");
    assert!(lines.contains(&"stdin-eof".to_string()), "{lines:?}");
    assert!(lines.contains(&"no-tty".to_string()), "{lines:?}");
    // The shell leads its own session: session id == its pid.
    let pid = lines.iter().find_map(|l| l.strip_prefix("pid=")).unwrap();
    assert!(lines.iter().any(|l| l == pid), "not a session leader: {lines:?}");
}

#[tokio::test]
async fn hostile_output_is_sanitised_and_long_lines_cut() {
    let dir = tempfile::tempdir().unwrap();
    let (tx, mut rx) = channel();
    let cmd = r#"printf '\033]52;c;aGk=\007ok\033[2J\033]0;title\033\\ \302\2332Jdone\n'; head -c 200000 /dev/zero | tr '\0' x; echo; printf 'tail'"#;
    let _h = spawn_run(spec(dir.path(), "hostile", cmd), tx);
    let (lines, end) = finish(&mut rx).await;
    assert_eq!(end.outcome, RunOutcome::Ok);
    assert_eq!(lines[0], "ok done");
    assert!(
        lines[1].starts_with(&"x".repeat(65536)) && lines[1].ends_with("[line cut at 64 KiB]"),
        "{}",
        lines[1].len()
    );
    assert_eq!(lines[2], "tail");
    let text = std::fs::read_to_string(dir.path().join("hostile.out")).unwrap();
    assert!(!text.contains('\u{1b}') && !text.contains('\u{9b}') && !text.contains('\u{7}'));
}

#[tokio::test]
async fn output_cap_stops_saving_but_not_the_run() {
    let dir = tempfile::tempdir().unwrap();
    let (tx, mut rx) = channel();
    let limits = RunLimits { max_output_bytes: 4096, ..quick() };
    let _h = spawn_run_with(spec(dir.path(), "chatty", "seq 1 100000; echo last >&2; exit 4"), limits, tx);
    let (lines, end) = finish(&mut rx).await;
    assert_eq!(end.outcome, RunOutcome::Failed);
    assert_eq!(end.exit_code, Some(4));
    assert!(lines.len() < 1000);
    assert!(lines.last().unwrap().contains("output cap reached"));
    let size = std::fs::metadata(dir.path().join("chatty.out")).unwrap().len();
    assert!(size < 4096 + 1024, "file grew past the cap: {size}");
}

#[tokio::test]
async fn bad_folder_is_an_error_in_words() {
    let dir = tempfile::tempdir().unwrap();
    let (tx, mut rx) = channel();
    let mut s = spec(dir.path(), "nowhere", "true");
    s.cwd = dir.path().join("missing");
    let h = spawn_run(s, tx);
    let (_, end) = finish(&mut rx).await;
    assert_eq!(end.outcome, RunOutcome::Error);
    assert!(end.error.unwrap().contains("does not exist"));
    assert!(h.is_finished() && h.pgid().is_none());
}
