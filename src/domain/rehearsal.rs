//! The runbook as a dress rehearsal plays it (docs/time-machine.md). Pure:
//! the real runbook in, a rehearsal runbook out, which the ordinary console
//! then opens on a journal of its own:
//! - each step and rollback runs its `rehearse` command when it has one;
//!   otherwise a stand-in that prints the exact command it would have run and
//!   succeeds (or exits as the scenario says) — nothing real runs;
//! - probes (unless `--live-probes`) become checks of a flag file the
//!   scenario player creates while the scenario says the probe fails, and
//!   logs follow files of the rehearsal's own, into which the player writes
//!   the scenario's error lines (always read as errors);
//! - every duration stays as written: the rehearsal's clock runs `--speed`
//!   times faster instead (`sources::clock`), so escalation, triggers and
//!   severity clocks come due in minutes and the journal keeps rehearsal time;
//! - the title and every template say REHEARSAL.

use std::path::Path;

use super::duration::Dur;
use super::runbook::{LogTarget, ProbeTarget, Runbook};
use super::scenario::Scenario;

pub const WORD: &str = "REHEARSAL";
/// Ends the here-document that shows the real command.
const END: &str = "WARROOM_REHEARSAL_END";

/// `'text'` for a POSIX shell (a `'` inside becomes `'\''`).
fn sh_quote(s: &str) -> String {
    format!("'{}'", s.replace('\'', "'\\''"))
}

/// The stand-in for a real command: says what would run, takes `wall_secs`
/// (the step's typical time on the rehearsal's clock), then succeeds or exits as told.
pub fn stand_in(real: &str, rehearse: Option<&str>, exit: Option<i32>, wall_secs: Option<f64>) -> String {
    let body = match rehearse {
        Some(r) => r.to_string(),
        // A quoted here-document prints the command exactly, whatever quotes
        // the runbook's vars put into it once substituted.
        None => {
            let shown =
                format!("echo 'REHEARSAL: nothing runs. The real command would be:'\ncat <<'{END}'\n{real}\n{END}");
            match wall_secs {
                Some(s) if s > 0.0 => format!("{shown}\nsleep {s:.3}"),
                _ => shown,
            }
        }
    };
    match exit {
        Some(code) => format!("{body}\nexit {code}"),
        None => body,
    }
}

/// How the scenario's error lines start; a rehearsal log reads every such line as an error.
pub const ERROR_LINE: &str = "[REHEARSAL] ERROR";

/// The file a rehearsal follows for the runbook's log `log`, and the scenario writes into.
pub fn log_file(flags: &Path, log: &str) -> std::path::PathBuf {
    flags.join(format!("log-{log}.log"))
}

/// The flag file that makes a rehearsal probe fail while it exists.
pub fn probe_flag(flags: &Path, probe: &str) -> std::path::PathBuf {
    flags.join(format!("probe-{probe}.down"))
}

pub fn rehearsal_runbook(rb: &Runbook, sc: &Scenario, speed: u32, flags: &Path, live_probes: bool) -> Runbook {
    let mut r = rb.clone();
    r.title = format!("{WORD} — {}", rb.title);
    for s in &mut r.steps {
        if let Some(real) = &s.run {
            // Its typical time, `speed` times faster: the rehearsal's clock shows it as written.
            let wall = s.takes.map(|t| t.as_duration().as_secs_f64() / f64::from(speed.max(1)));
            s.run = Some(stand_in(real, s.rehearse.as_deref(), sc.step_exit(&s.id), wall));
        }
    }
    for rb in &mut r.rollbacks {
        rb.run = stand_in(&rb.run, rb.rehearse.as_deref(), None, None);
    }
    if !live_probes {
        for p in &mut r.probes {
            let flag = probe_flag(flags, &p.id);
            p.target = ProbeTarget::Command { run: format!("test ! -e {}", sh_quote(&flag.display().to_string())) };
            p.conditions.clear();
            // Once a wall second, whatever the speed (the interval is read on the faster clock).
            p.every = Dur::from_secs(u64::from(speed.max(1)));
            p.timeout = Dur::from_secs(1);
            p.failure_threshold = 1;
            p.success_threshold = 1;
        }
    }
    if !live_probes {
        for l in &mut r.logs {
            l.target = LogTarget::File { path: log_file(flags, &l.id) };
            let scenario = regex::escape(ERROR_LINE);
            let error = match &l.error {
                Some(re) => format!("(?:{})|{scenario}", re.as_str()),
                None => scenario,
            };
            // Both parts are valid on their own, so their alternation is too; keep the original if not.
            if let Ok(re) = regex::Regex::new(&error) {
                l.error = Some(re);
            }
        }
    }
    for t in &mut r.templates {
        t.title = format!("{WORD} — {}", t.title);
        t.text = format!("[{WORD} — not real] {}", t.text);
    }
    r
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn nothing_real_runs_and_the_stand_in_names_the_command() {
        assert_eq!(
            stand_in("rm -rf /srv/it's", None, None, None),
            "echo 'REHEARSAL: nothing runs. The real command would be:'\ncat <<'WARROOM_REHEARSAL_END'\nrm -rf /srv/it's\nWARROOM_REHEARSAL_END"
        );
        assert_eq!(stand_in("x", Some("./dry-run.sh"), Some(1), Some(2.0)), "./dry-run.sh\nexit 1");
        assert!(stand_in("x", None, None, Some(0.5)).ends_with("WARROOM_REHEARSAL_END\nsleep 0.500"));
        let rb = crate::domain::fixtures::example_runbook();
        let r = rehearsal_runbook(&rb, &Scenario::default(), 60, Path::new("/tmp/f"), false);
        assert!(r.title.starts_with("REHEARSAL"));
        for (a, b) in r.rollbacks.iter().zip(&rb.rollbacks) {
            assert!(a.run.contains("nothing runs") && a.run.contains(&b.run));
        }
        assert!(
            !r.logs.is_empty()
                && r.logs.iter().all(|l| l.error.as_ref().is_some_and(|e| e.is_match("[REHEARSAL] ERROR disk full")))
        );
        assert!(r
            .probes
            .iter()
            .all(|p| matches!(&p.target, ProbeTarget::Command { run } if run.starts_with("test ! -e"))));
    }
}
