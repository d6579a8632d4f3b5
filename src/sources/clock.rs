//! The session's clock: what every console part reads as "now" — the
//! driver's tick (escalation, triggers, severity clocks, auto-verdict
//! windows), journal timestamps, probe results, log and run output lines.
//! Normally the wall clock. `warroom rehearse --speed N` (docs/time-machine.md)
//! sets it, once, before the console starts, to run N times faster from that
//! moment: every duration in the runbook stays as written, and comes due N
//! times sooner. Presence heartbeats and certificate expiry stay on the wall
//! clock: other processes and real certificates do not run faster.

use std::sync::OnceLock;

use chrono::{DateTime, Utc};

/// The fastest a rehearsal may run: an hour in a second.
pub const MAX_SPEED: u32 = 3600;

/// (wall time the clock was set, speed).
static FAST: OnceLock<(DateTime<Utc>, u32)> = OnceLock::new();

/// Makes this process's clock run `speed` times faster from now on. Once per
/// process (a second call changes nothing and returns false); `speed` is
/// clamped to 1..=`MAX_SPEED`.
pub fn run_faster(speed: u32) -> bool {
    let speed = speed.clamp(1, MAX_SPEED);
    speed > 1 && FAST.set((Utc::now(), speed)).is_ok()
}

/// How many times faster than the wall clock this process's clock runs.
pub fn speed() -> u32 {
    FAST.get().map_or(1, |(_, s)| *s)
}

/// The session's "now".
pub fn now() -> DateTime<Utc> {
    let wall = Utc::now();
    match FAST.get() {
        None => wall,
        Some((from, speed)) => scaled(*from, *speed, wall),
    }
}

/// The wall time `wall` read on a clock set at `from` running `speed` times faster.
fn scaled(from: DateTime<Utc>, speed: u32, wall: DateTime<Utc>) -> DateTime<Utc> {
    let spent = (wall - from).max(chrono::Duration::zero());
    from + spent * speed as i32
}

/// How long a span of session time takes on the wall clock (for timers that
/// wait in real time, such as a probe's interval).
pub fn wall_span(d: std::time::Duration) -> std::time::Duration {
    d / speed()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_faster_clock_runs_from_the_moment_it_is_set() {
        let from = DateTime::parse_from_rfc3339("2026-03-01T06:00:00Z").unwrap().with_timezone(&Utc);
        let one_second_later = from + chrono::Duration::seconds(1);
        assert_eq!(scaled(from, 600, one_second_later), from + chrono::Duration::minutes(10));
        assert_eq!(scaled(from, 600, from), from);
        // A wall clock stepped back never makes the session go back before its start.
        assert_eq!(scaled(from, 600, from - chrono::Duration::seconds(5)), from);
    }
}
