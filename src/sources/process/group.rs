//! Process groups: every command runs in a new session (so it has no
//! controlling terminal and cannot read our keys, S6), and is stopped as a
//! whole group — TERM, a grace period, then KILL (S7).

use std::time::Duration;

/// How long to wait for KILLed processes to disappear (uninterruptible sleep can delay it).
const KILL_WAIT: Duration = Duration::from_secs(1);

/// Signals a command gets back at their default action. An ignored signal
/// is inherited across exec, and a shell cannot even `trap` one that was
/// ignored when it started: a console started with `nohup`, or in the
/// background by a script (which ignores INT and QUIT), would otherwise hand
/// that on to every step, rollback and log command.
const DEFAULT_SIGNALS: [libc::c_int; 6] =
    [libc::SIGHUP, libc::SIGINT, libc::SIGQUIT, libc::SIGTERM, libc::SIGPIPE, libc::SIGTSTP];

/// Pre-exec hook for `Command::pre_exec`: start a new session (and with it a
/// new process group whose id is the child's pid), with default signal actions.
pub fn new_session() -> std::io::Result<()> {
    // SAFETY: setsid and signal are async-signal-safe and take no pointers.
    if unsafe { libc::setsid() } == -1 {
        return Err(std::io::Error::last_os_error());
    }
    for sig in DEFAULT_SIGNALS {
        // SAFETY: as above; SIG_DFL is always a valid action for these signals.
        unsafe { libc::signal(sig, libc::SIG_DFL) };
    }
    Ok(())
}

/// Sends `sig` to every process of the group. A group that is already gone is not an error.
pub fn signal_group(pgid: i32, sig: i32) {
    if pgid > 1 {
        // SAFETY: plain syscall; pgid > 1 so we never signal our own group (0) or everyone (-1).
        unsafe {
            libc::killpg(pgid, sig);
        }
    }
}

/// True while some process of the group is alive (zombies waiting for a reaper do not count:
/// they run nothing and hold no pipe).
pub fn group_alive(pgid: i32) -> bool {
    if pgid <= 1 {
        return false;
    }
    // SAFETY: signal 0 only checks for existence.
    if unsafe { libc::killpg(pgid, 0) } == -1 {
        return false;
    }
    match group_members(pgid) {
        Some(members) => !members.is_empty(),
        // No /proc: trust killpg.
        None => true,
    }
}

/// Live (non-zombie) pids whose process group is `pgid`, from /proc. `None` when /proc is unreadable.
fn group_members(pgid: i32) -> Option<Vec<i32>> {
    let dir = std::fs::read_dir("/proc").ok()?;
    let mut out = Vec::new();
    for entry in dir.flatten() {
        let Some(pid) = entry.file_name().to_str().and_then(|s| s.parse::<i32>().ok()) else { continue };
        let Ok(stat) = std::fs::read_to_string(format!("/proc/{pid}/stat")) else { continue };
        if stat_in_group(&stat, pgid) {
            out.push(pid);
        }
    }
    Some(out)
}

/// TERM the group, wait up to `grace` for it to go, then KILL what is left.
/// Returns true when KILL had to be sent. Runs the blocking wait on tokio's
/// blocking pool, so the /proc reads never stall a runtime worker.
pub async fn terminate_group(pgid: i32, grace: Duration) -> bool {
    tokio::task::spawn_blocking(move || terminate_group_blocking(pgid, grace)).await.unwrap_or(false)
}

/// The same, blocking (also for places with no runtime left: a handle
/// dropped while the app quits). Returns true when KILL had to be sent.
pub fn terminate_group_blocking(pgid: i32, grace: Duration) -> bool {
    let Some(mut members) = live_members(pgid) else { return false };
    signal_group(pgid, libc::SIGTERM);
    // A stopped process cannot act on TERM until continued.
    signal_group(pgid, libc::SIGCONT);
    let start = std::time::Instant::now();
    while start.elapsed() < grace {
        std::thread::sleep(Duration::from_millis(25));
        // Only the members seen are re-read while they go; the whole of /proc
        // is scanned again once they have (a child forked meanwhile counts).
        members.retain(|pid| in_group(*pid, pgid));
        if members.is_empty() {
            match live_members(pgid) {
                None => return false,
                Some(more) => members = more,
            }
        }
    }
    signal_group(pgid, libc::SIGKILL);
    // KILL is delivered asynchronously: wait (briefly) until the group is really gone, so
    // that "stopped" means stopped for whoever looks next.
    let until = std::time::Instant::now() + KILL_WAIT;
    while group_alive(pgid) && std::time::Instant::now() < until {
        std::thread::sleep(Duration::from_millis(5));
    }
    true
}

/// The group's live members, or `None` when it is gone. Without /proc, a
/// group that `killpg` still finds is taken as one unknown member.
fn live_members(pgid: i32) -> Option<Vec<i32>> {
    if !group_alive(pgid) {
        return None;
    }
    Some(group_members(pgid).unwrap_or_else(|| vec![-pgid]))
}

/// Whether `pid` is still a live (non-zombie) member of group `pgid`. The
/// stand-in `-pgid` (no /proc) asks `killpg` instead.
fn in_group(pid: i32, pgid: i32) -> bool {
    if pid < 0 {
        return group_alive(pgid);
    }
    match std::fs::read_to_string(format!("/proc/{pid}/stat")) {
        Ok(stat) => stat_in_group(&stat, pgid),
        Err(_) => false,
    }
}

/// Reads `state` and `pgrp` from a `/proc/PID/stat` line: fields after the
/// last ')' (the command name may hold spaces and parens) are `state ppid pgrp …`.
fn stat_in_group(stat: &str, pgid: i32) -> bool {
    let Some(rest) = stat.rfind(')').map(|i| &stat[i + 1..]) else { return false };
    let mut f = rest.split_whitespace();
    let state = f.next().unwrap_or("");
    let _ppid = f.next();
    let pgrp = f.next().and_then(|s| s.parse::<i32>().ok());
    pgrp == Some(pgid) && state != "Z" && state != "X"
}
