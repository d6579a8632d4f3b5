//! A run of ours, into the model: its output lines (kept for the details
//! view) and its end (journaled, and said on the message line).

use crate::domain::event::RunKind;
use crate::sources::steps::finished_event;
use crate::sources::RunExit;
use crate::ui::app::MsgKind;
use crate::ui::effect::Effect;
use crate::ui::model::Model;
use crate::ui::text::clean;

use super::run_key;

/// A line of output from a run of ours.
pub fn on_output(m: &mut Model, kind: RunKind, id: &str, run: u32, line: String) {
    let buf = m.procs.outputs.entry(run_key(kind, id)).or_default();
    if buf.run != run {
        *buf = super::RunOutput { run, ..Default::default() };
    }
    buf.push(line);
}

/// A run of ours ended: journal it.
pub fn on_exit(m: &mut Model, kind: RunKind, id: &str, run: u32, end: &RunExit) -> Vec<Effect> {
    let what = kind.noun();
    let how = match (end.exit_code, &end.error) {
        (_, Some(e)) => clean(e),
        (Some(c), _) => format!("exit {c}"),
        (None, None) => end.signal.map(|s| format!("signal {s}")).unwrap_or_default(),
    };
    let kind_msg = if end.outcome == crate::domain::event::RunOutcome::Ok { MsgKind::Info } else { MsgKind::Warn };
    m.say(format!("{what} {id} run {run}: {} ({how})", end.outcome.label()), kind_msg);
    vec![m.append(finished_event(kind, id, run, end))]
}
