//! Plays a rehearsal scenario (docs/time-machine.md) on the wall clock, each
//! entry's time divided by the rehearsal's speed (the console's clock runs
//! that much faster, `sources::clock`):
//! - a probe failure creates the probe's flag file, and removes it when the
//!   failure's duration is over; the rehearsal's probes check those files;
//! - a log entry appends its error lines to the rehearsal's file for that log
//!   at the entry's rate, a batch every tenth of a wall second, so the log
//!   pane, log criteria and log triggers see them as they would real errors.
//!
//! (`domain::rehearsal` points the rehearsal's probes and logs at these files.)

use std::io::Write;
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use crate::domain::rehearsal::{log_file, probe_flag, ERROR_LINE};
use crate::domain::scenario::{Happening, Scenario};

/// How often a log burst writes what is due.
const BATCH: Duration = Duration::from_millis(100);

/// Creates the rehearsal's log files (so the console follows them from the
/// start) and starts the player on threads of its own; they end after the
/// scenario's last change. `logs`: the runbook's log ids (empty with
/// `--live-probes`, when the real logs are followed and nothing is written).
pub fn start(scenario: &Scenario, speed: u32, flags: PathBuf, logs: &[String]) -> std::io::Result<()> {
    std::fs::create_dir_all(&flags)?;
    for l in logs {
        std::fs::OpenOptions::new().create(true).append(true).open(log_file(&flags, l))?;
    }
    let speed = speed.max(1);
    let start = Instant::now();
    // (when, create?, file), in time order.
    let mut plan: Vec<(Duration, bool, PathBuf)> = Vec::new();
    for e in &scenario.events {
        let from = e.at.as_duration() / speed;
        match &e.what {
            Happening::ProbeFails { probe, for_, .. } => {
                let to = (e.at.as_duration() + for_.as_duration()) / speed;
                let flag = probe_flag(&flags, probe);
                plan.push((from, true, flag.clone()));
                plan.push((to, false, flag));
            }
            Happening::LogErrors { log, per_min, for_ } if logs.contains(log) => {
                let burst = Burst {
                    file: log_file(&flags, log),
                    log: log.clone(),
                    total: per_min * for_.as_duration().as_secs() / 60,
                    from: start + from,
                    lasts: for_.as_duration() / speed,
                };
                std::thread::Builder::new().name("rehearsal-log".into()).spawn(move || burst.play())?;
            }
            Happening::LogErrors { .. } | Happening::StepExits { .. } => {}
        }
    }
    plan.sort_by_key(|(at, _, _)| *at);
    std::thread::Builder::new().name("rehearsal-scenario".into()).spawn(move || {
        for (at, create, flag) in plan {
            // A timer, not a wait for a condition: the scenario says when.
            std::thread::sleep(at.saturating_sub(start.elapsed()));
            let _ = if create { std::fs::write(&flag, b"down\n") } else { std::fs::remove_file(&flag) };
        }
    })?;
    Ok(())
}

/// One log entry: `total` error lines spread evenly over `lasts` (wall time) from `from`.
struct Burst {
    file: PathBuf,
    log: String,
    total: u64,
    from: Instant,
    lasts: Duration,
}

impl Burst {
    fn play(self) {
        std::thread::sleep(self.from.saturating_duration_since(Instant::now()));
        let mut written = 0u64;
        while written < self.total {
            let spent = self.from.elapsed();
            let due = if spent >= self.lasts || self.lasts.is_zero() {
                self.total
            } else {
                // Evenly spread: the share of the lines whose time has come.
                ((self.total as u128 * spent.as_nanos()) / self.lasts.as_nanos()) as u64
            };
            if due > written {
                if append(&self.file, &self.log, written, due, self.total).is_err() {
                    // The rehearsal's folder is gone (the console quit and cleaned up): stop.
                    return;
                }
                written = due;
            }
            std::thread::sleep(BATCH);
        }
    }
}

/// Appends lines `from+1 ..= to` of `total`.
fn append(file: &Path, log: &str, from: u64, to: u64, total: u64) -> std::io::Result<()> {
    let mut text = String::new();
    for n in from + 1..=to {
        text.push_str(&format!("{ERROR_LINE} scenario error {n} of {total} in {log}\n"));
    }
    let mut f = std::fs::OpenOptions::new().append(true).open(file)?;
    f.write_all(text.as_bytes())
}
