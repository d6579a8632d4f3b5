//! The alarm banner across the top of the panes: a running rollback (name,
//! elapsed time, last output line; Enter shows its output, x aborts) and every
//! fired, not yet cleared trigger (its cause and the rollback it proposes;
//! Enter or B opens the rollback dialog on it — Enter until the dialog was
//! opened once for that alarm, so the details key is not lost for the whole
//! incident). It proposes; it never fires. First of all, when the journal
//! refuses writes: how many source events wait to be written, since when.
//! Symbol and word as well as the alarm colour (A6).

use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::style::Modifier;
use ratatui::text::Line;
use ratatui::widgets::Paragraph;
use ratatui::Frame;

use crate::domain::event::RunKind;
use crate::domain::rollback_flow;

use super::app::App;
use super::effect::Effect;
use super::panes::PaneId;
use super::text::{clean, fit};
use super::theme::Role;
use super::timefmt;
use super::wiring::run_key;

/// At most this many banner rows; the rest is summarised on the last one.
const MAX_ROWS: usize = 3;

/// The banner's lines as text (no styling), newest concerns first: running rollbacks, then alarms.
pub fn lines(app: &App) -> Vec<String> {
    let sym = if app.view.symbols.ascii { "!!" } else { "⚠" };
    let mut out = Vec::new();
    if let Some(b) = &app.model.procs.journal_backlog {
        out.push(journal_behind(sym, b));
    }
    for id in rollback_flow::running(&app.model.runbook, &app.model.state) {
        let title = app.model.runbook.rollback(&id).map(|r| clean(&r.title)).unwrap_or_default();
        let run = app.model.state.rollbacks.get(&id).and_then(|r| r.runs.last());
        let elapsed =
            run.map(|r| timefmt::countdown((app.model.now - r.started_at).num_seconds().max(0))).unwrap_or_default();
        let last = app
            .model
            .procs
            .outputs
            .get(&run_key(RunKind::Rollback, &id))
            .filter(|o| run.is_some_and(|r| r.run == o.run))
            .and_then(|o| o.lines.back())
            .map(|l| format!(" · {}", clean(l)))
            .unwrap_or_default();
        out.push(format!(
            "{sym} ROLLBACK RUNNING {} — {title} · {elapsed}{last} · Enter: output · x in Steps: abort",
            clean(&id)
        ));
    }
    for a in rollback_flow::alarms(&app.model.runbook, &app.model.state) {
        // In Logs, Enter opens the focused log, so only B reviews the alarm there.
        let enter_reviews = !app.model.procs.alarms_reviewed.contains(&a.key()) && app.view.focus != PaneId::Logs;
        let keys = if enter_reviews { "Enter/B: review it" } else { "B: review it" };
        let name =
            if a.title.is_empty() { clean(&a.trigger) } else { format!("{} ({})", clean(&a.trigger), clean(&a.title)) };
        out.push(format!("{sym} ALARM {name}: {} — proposes rollback {} · {keys}", clean(&a.cause), clean(&a.propose)));
    }
    if out.len() > MAX_ROWS {
        let more = out.len() - (MAX_ROWS - 1);
        out.truncate(MAX_ROWS - 1);
        out.push(format!("{sym} and {more} more alarms or rollbacks: B lists the rollbacks"));
    }
    out
}

/// The journal refuses writes and source events wait: how many, since when,
/// why, and that the recommendation cannot be trusted meanwhile.
fn journal_behind(sym: &str, b: &crate::sources::journal::Backlog) -> String {
    let lost = if b.lost > 0 { format!(" ({} more lost: outbox full)", b.lost) } else { String::new() };
    format!(
        "{sym} JOURNAL NOT WRITING: {} event{} waiting since {}{lost} · recommendation NOT TRUSTWORTHY · {}",
        b.count,
        if b.count == 1 { "" } else { "s" },
        timefmt::hms(b.since),
        clean(&b.why)
    )
}

/// Draws the banner at the top of `main` (if any) and returns what is left for the panes.
pub fn draw(frame: &mut Frame, app: &App, main: Rect) -> Rect {
    let text = lines(app);
    if text.is_empty() || main.height < 8 {
        return main;
    }
    let [top, rest] = Layout::vertical([Constraint::Length(text.len() as u16), Constraint::Min(1)]).areas(main);
    let w = top.width as usize;
    let style = app.view.theme.style(Role::Alarm).add_modifier(Modifier::BOLD | Modifier::REVERSED);
    let rows: Vec<Line> = text.iter().map(|l| Line::styled(fit(l, w), style)).collect();
    frame.render_widget(Paragraph::new(rows), top);
    rest
}

/// Enter with no overlay open while the banner shows: the running rollback's
/// output, else the rollback dialog on the proposed rollback. `None`: no banner.
pub fn on_enter(app: &mut App) -> Option<Vec<Effect>> {
    if let Some(id) = rollback_flow::running(&app.model.runbook, &app.model.state).into_iter().next() {
        return Some(super::overlay::rollback::open_output(app, &id));
    }
    let alarms = rollback_flow::alarms(&app.model.runbook, &app.model.state);
    if alarms.iter().any(|a| !app.model.procs.alarms_reviewed.contains(&a.key())) {
        return Some(super::overlay::rollback::open(app));
    }
    None
}

/// `x` while a rollback runs (and the Steps selection is not a running step):
/// asks to abort it, naming it. `false`: no rollback runs.
pub fn abort_running(app: &mut App) -> bool {
    match rollback_flow::running(&app.model.runbook, &app.model.state).into_iter().next() {
        Some(id) => {
            super::overlay::rollback::ask_abort(app, &id);
            true
        }
        None => false,
    }
}
