//! The console's side of probes and auto-verdicts (pure; effects only).

use crate::domain::auto_verdict::Inputs;
use crate::domain::event::EventKind;
use crate::domain::probe_history::ProbeHistory;
use crate::sources::probes::sample_of;
use crate::sources::ProbeResult;
use crate::ui::app::App;
use crate::ui::effect::Effect;
use crate::ui::model::Model;

/// One probe attempt: into its history; a health change is journaled, unless the
/// journal already says so (another console probing the same thing got there first).
pub fn on_probe(m: &mut Model, r: ProbeResult) -> Vec<Effect> {
    let effects = journal_change(m, &r);
    // The last attempts, for the Probes pane and details.
    let hist = m.live.probes.entry(r.probe.clone()).or_default();
    hist.push(r);
    let excess = hist.len().saturating_sub(120);
    hist.drain(..excess);
    effects
}

fn journal_change(m: &mut Model, r: &ProbeResult) -> Vec<Effect> {
    let Some(probe) = m.runbook.probe(&r.probe) else { return Vec::new() };
    let journaled = m.state.probes.get(&r.probe).cloned();
    let hist = m.procs.histories.entry(r.probe.clone()).or_insert_with(|| {
        let h = ProbeHistory::for_probe(probe);
        // Resume from the session's last health so a restart journals no false change.
        match &journaled {
            Some(ch) => h.resume(ch.health, ch.at),
            None => h,
        }
    });
    let Some(change) = hist.record(sample_of(r)) else { return Vec::new() };
    if !m.sources_may_journal() || journaled.is_some_and(|j| j.health == change.health) {
        return Vec::new();
    }
    vec![m.append(EventKind::ProbeChanged { probe: r.probe.clone(), health: change.health, cause: Some(change.cause) })]
}

/// A probe's health: this console's live history (thresholds applied) first, else the journal's.
pub fn health(app: &App, probe: &str) -> Option<crate::domain::event::ProbeHealth> {
    app.model
        .procs
        .histories
        .get(probe)
        .and_then(|h| h.health())
        .or_else(|| app.model.state.probes.get(probe).map(|c| c.health))
}

/// The auto-verdicts due now (only in a console that may write, or whose journal database is down).
pub fn auto_verdicts(m: &mut Model) -> Vec<Effect> {
    if !m.sources_may_journal() || !m.runbook.criteria.iter().any(|c| c.auto.is_some()) {
        return Vec::new();
    }
    let mut auto = std::mem::take(&mut m.procs.auto);
    let events = {
        // Per-minute counts in each LogWindow: not limited by the line ring buffer.
        let inp =
            Inputs { runbook: &m.runbook, state: &m.state, probes: &m.procs.histories, logs: &m.live.logs, now: m.now };
        auto.evaluate(&inp)
    };
    m.procs.auto = auto;
    events.into_iter().map(|event| m.append(event)).collect()
}
