//! Plays a rehearsal scenario's probe failures (docs/time-machine.md): at each
//! entry's time (divided by the rehearsal's speed) it creates the probe's flag
//! file, and removes it when the failure's duration is over. The rehearsal's
//! probes check those files (`domain::rehearsal`).

use std::path::PathBuf;
use std::time::{Duration, Instant};

use crate::domain::rehearsal::probe_flag;
use crate::domain::scenario::{Happening, Scenario};

/// Starts the player on its own thread; it ends after the last change.
pub fn start(scenario: &Scenario, speed: u32, flags: PathBuf) -> std::io::Result<()> {
    std::fs::create_dir_all(&flags)?;
    let speed = speed.max(1);
    // (when, create?, file), in time order.
    let mut plan: Vec<(Duration, bool, PathBuf)> = Vec::new();
    for e in &scenario.events {
        if let Happening::ProbeFails { probe, for_, .. } = &e.what {
            let from = e.at.as_duration() / speed;
            let to = (e.at.as_duration() + for_.as_duration()) / speed;
            let flag = probe_flag(&flags, probe);
            plan.push((from, true, flag.clone()));
            plan.push((to, false, flag));
        }
    }
    plan.sort_by_key(|(at, _, _)| *at);
    let start = Instant::now();
    std::thread::Builder::new().name("rehearsal-scenario".into()).spawn(move || {
        for (at, create, flag) in plan {
            // A timer, not a wait for a condition: the scenario says when.
            std::thread::sleep(at.saturating_sub(start.elapsed()));
            let _ = if create { std::fs::write(&flag, b"down\n") } else { std::fs::remove_file(&flag) };
        }
    })?;
    Ok(())
}
