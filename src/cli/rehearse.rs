//! `warroom rehearse RUNBOOK [--speed N] [--scenario FILE] [--live-probes]`: a
//! dress rehearsal (docs/time-machine.md) in a session of its own: its journal
//! lives under `<data dir>/rehearsals/`, never the real session's, and every
//! screen and template says REHEARSAL. Nothing real runs.

use std::path::{Path, PathBuf};

use super::common::{self, bad_input, EXIT_BAD_INPUT};
use super::launch::launch;
use super::runbook_file;
use super::Common;
use crate::domain::rehearsal::rehearsal_runbook;
use crate::domain::scenario::{self, Scenario};
use crate::ui::launch::Launch;

pub struct RehearseArgs<'a> {
    pub runbook: &'a Path,
    pub speed: u32,
    pub scenario: Option<&'a Path>,
    pub live_probes: bool,
}

pub fn run(a: RehearseArgs, c: &Common) -> i32 {
    if a.speed == 0 || a.speed > crate::sources::clock::MAX_SPEED {
        return bad_input(format!(
            "--speed must be 1 to {} (60 makes an hour pass in a minute)",
            crate::sources::clock::MAX_SPEED
        ));
    }
    let loaded = match runbook_file::load(a.runbook) {
        Ok(l) => l,
        Err(diags) => {
            runbook_file::print_diagnostics(&diags);
            return EXIT_BAD_INPUT;
        }
    };
    let scenario = match a.scenario {
        None => Scenario::default(),
        Some(file) => {
            let text = match std::fs::read_to_string(file) {
                Ok(t) => t,
                Err(e) => return bad_input(format!("scenario {}: {e}; give a readable TOML file", file.display())),
            };
            match scenario::parse(&file.display().to_string(), &text, &loaded.runbook) {
                Ok(s) => s,
                Err(diags) => {
                    runbook_file::print_diagnostics(&diags);
                    return EXIT_BAD_INPUT;
                }
            }
        }
    };
    let real_journal = common::journal_path(&Common { journal: None, ..c.clone() }, &loaded.runbook.id);
    let dir = rehearsal_dir(&loaded.runbook.id);
    let journal_path = match &c.journal {
        Some(j) if same_file(j, &real_journal) => {
            return bad_input(format!(
                "{} is the real session's journal: a rehearsal never writes there (leave out --journal)",
                j.display()
            ))
        }
        Some(j) => j.clone(),
        None => dir.join("journal.jsonl"),
    };
    let flags = dir.join("scenario");
    // From here on this process's clock runs faster: the journal, the ticks and
    // every source read it, so the runbook's durations come due sooner as written.
    crate::sources::clock::run_faster(a.speed);
    let rb = rehearsal_runbook(&loaded.runbook, &scenario, a.speed, &flags, a.live_probes);
    if a.live_probes
        && scenario.events.iter().any(|e| matches!(e.what, crate::domain::scenario::Happening::LogErrors { .. }))
    {
        return bad_input(
            "the scenario writes log errors, which --live-probes cannot do (it follows the real logs): \
             leave out --live-probes or the scenario's log entries",
        );
    }
    // The logs the rehearsal follows in its own folder (none with --live-probes: the real ones).
    let logs: Vec<String> = if a.live_probes { Vec::new() } else { rb.logs.iter().map(|l| l.id.clone()).collect() };
    if let Err(e) = crate::sources::scenario_player::start(&scenario, a.speed, flags, &logs) {
        return bad_input(format!("rehearsal folder {}: {e}", dir.display()));
    }
    let mut warnings: Vec<String> = loaded.warnings.iter().map(|d| d.to_string()).collect();
    warnings.push(format!(
        "REHEARSAL ×{}: nothing real runs; journal {} (warroom report on it scores the rehearsal)",
        a.speed,
        journal_path.display()
    ));
    launch(
        Launch {
            runbook: rb,
            journal_path,
            runbook_path: Some(a.runbook.to_path_buf()),
            badge: Some("REHEARSAL"),
            warnings,
        },
        c,
    )
}

/// A fresh folder per rehearsal: `<data dir>/rehearsals/<runbook id>/<UTC time>-<pid>/`.
fn rehearsal_dir(id: &str) -> PathBuf {
    let stamp = chrono::Utc::now().format("%Y%m%dT%H%M%SZ");
    common::data_dir().join("rehearsals").join(id).join(format!("{stamp}-{}", std::process::id()))
}

fn same_file(a: &Path, b: &Path) -> bool {
    let canon = |p: &Path| std::fs::canonicalize(p).unwrap_or_else(|_| p.to_path_buf());
    canon(a) == canon(b)
}
