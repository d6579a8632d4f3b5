//! `warroom check RUNBOOK`: validate only. Every problem is printed compiler
//! style (`FILE:LINE:COL: error: message`), then a one-line summary.
//! Exit 0 when valid (warnings allowed), 2 when not.

use std::path::Path;

use super::common::{EXIT_BAD_INPUT, EXIT_OK};
use super::runbook_file::{load, print_diagnostics};
use crate::domain::runbook::Runbook;

pub fn run(runbook: &Path, _c: &super::Common) -> i32 {
    let file = runbook.display().to_string();
    match load(runbook) {
        Ok(loaded) => {
            print_diagnostics(&loaded.warnings);
            let warn = match loaded.warnings.len() {
                0 => String::new(),
                1 => ", 1 warning".to_string(),
                n => format!(", {n} warnings"),
            };
            outln!("{file}: ok — {}{warn}", summary(&loaded.runbook));
            EXIT_OK
        }
        Err(diags) => {
            print_diagnostics(&diags);
            let errors = diags.iter().filter(|d| d.is_error()).count();
            let warnings = diags.len() - errors;
            errln!("{file}: {} {}, {} {}", errors, plural(errors, "error"), warnings, plural(warnings, "warning"));
            EXIT_BAD_INPUT
        }
    }
}

fn plural(n: usize, word: &str) -> String {
    if n == 1 {
        word.to_string()
    } else {
        format!("{word}s")
    }
}

/// `3 phases, 14 steps, 6 probes, 2 logs, 14 criteria, 3 escalation levels, 1 rollback, 2 triggers, 4 templates, 3 severities, 4 shifts, 1 channel`
pub fn summary(r: &Runbook) -> String {
    let levels = r.escalation.as_ref().map(|e| e.levels.len()).unwrap_or(0);
    let parts = [
        (r.phases.len(), "phase", "phases"),
        (r.steps.len(), "step", "steps"),
        (r.probes.len(), "probe", "probes"),
        (r.logs.len(), "log", "logs"),
        (r.criteria.len(), "criterion", "criteria"),
        (levels, "escalation level", "escalation levels"),
        (r.rollbacks.len(), "rollback", "rollbacks"),
        (r.triggers.len(), "trigger", "triggers"),
        (r.templates.len(), "template", "templates"),
        (r.severities.len(), "severity", "severities"),
        (r.shifts.len(), "shift", "shifts"),
        (r.channels.len(), "channel", "channels"),
    ];
    parts
        .iter()
        .map(|(n, one, many)| format!("{n} {}", if *n == 1 { one } else { many }))
        .collect::<Vec<_>>()
        .join(", ")
}
