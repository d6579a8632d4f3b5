//! The console's view of `domain::contradiction`: PASS verdicts given by a
//! person that their bound source now contradicts, from live probe
//! histories and log counts.

use crate::domain::auto_verdict::Inputs;
use crate::domain::contradiction;
use crate::ui::app::App;

/// (criterion id, the source's cause), in runbook order.
pub fn list(app: &App) -> Vec<(String, String)> {
    let inp = Inputs {
        runbook: &app.model.runbook,
        state: &app.model.state,
        probes: &app.model.procs.histories,
        logs: &app.model.live.logs,
        now: app.model.now,
    };
    contradiction::all(&inp).into_iter().map(|(c, why)| (c.id.clone(), why)).collect()
}
