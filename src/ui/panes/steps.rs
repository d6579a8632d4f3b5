//! Steps by phase: state symbol and word, duration, exit code; then the
//! rollbacks that ran, each with its last run the same way; below, the
//! selected step's last run (who, when, outcome, exit, duration, last line).

use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::text::Line;
use ratatui::widgets::{ListItem, Paragraph, Wrap};
use ratatui::Frame;

use super::PaneId;
use crate::domain::event::RunKind;
use crate::domain::state::StepStatus;
use crate::ui::app::App;
use crate::ui::chrome::{pane_block, plain, styled};
use crate::ui::items;
use crate::ui::run_line;
use crate::ui::text::{clean, pad};
use crate::ui::theme::Role;
use crate::ui::timefmt;

/// Rollbacks that ran, under a "Rollbacks" heading after the steps (not
/// selectable: `B` acts on them): state, id and title, duration, exit.
fn rollback_rows(
    app: &App,
    w: usize,
    rows: &mut Vec<ListItem<'static>>,
    map: &mut Vec<Option<usize>>,
    failing: &mut Vec<usize>,
) {
    let ran: Vec<_> = app
        .model
        .runbook
        .rollbacks
        .iter()
        .filter_map(|r| app.model.state.rollbacks.get(&r.id).and_then(|s| s.runs.last()).map(|run| (r, run)))
        .collect();
    if ran.is_empty() {
        return;
    }
    map.push(None);
    rows.push(ListItem::new(Line::from(styled(app, Role::Header, pad("Rollbacks", w)))));
    for (rb, run) in ran {
        let status = run_line::status(run);
        let (sym, word, role) = app.view.symbols.step(status);
        let exit = run.finished.as_ref().and_then(|e| e.exit_code).map(|c| format!(" exit {c}")).unwrap_or_default();
        let tail = format!("{}{exit}", run_line::duration(app, run));
        let state_w = 11;
        let title_w = w.saturating_sub(state_w + tail.chars().count() + 2);
        // The id first: at 80 columns it is what fits, and what `B` asks to type.
        let title = format!("{} {}", clean(&rb.id), clean(&rb.title));
        if status.is_failure() {
            failing.push(rows.len());
        }
        map.push(None);
        rows.push(ListItem::new(Line::from(vec![
            styled(app, role, pad(&format!(" {sym} {word}"), state_w)),
            plain(pad(&title, title_w)),
            styled(app, Role::Muted, format!(" {tail} ")),
        ])));
    }
}

fn duration(app: &App, id: &str) -> String {
    let Some(run) = app.model.state.steps.get(id).and_then(|s| s.last_run()) else { return String::new() };
    match &run.finished {
        Some(end) => timefmt::ms(end.duration_ms),
        None => timefmt::ms((app.model.now - run.started_at).num_milliseconds().max(0) as u64),
    }
}

pub fn draw(frame: &mut Frame, app: &App, drawn: &mut crate::ui::view::Drawn, area: Rect) {
    let rb = &app.model.runbook;
    let steps = items::steps(rb);
    let done = steps
        .iter()
        .filter(|s| matches!(app.model.state.step_status(&s.id), StepStatus::Succeeded | StepStatus::Done))
        .count();
    let block = pane_block(app, PaneId::Steps, &format!("{done}/{}", steps.len()), area.width);
    let inner = block.inner(area);
    frame.render_widget(block, area);
    if steps.is_empty() {
        frame.render_widget(Paragraph::new(styled(app, Role::Muted, "No steps in this runbook.")), inner);
        return;
    }
    let [list_area, run_area] =
        Layout::vertical([Constraint::Min(1), Constraint::Length(if inner.height > 8 { 3 } else { 0 })]).areas(inner);
    let w = list_area.width as usize;
    let sel = app.selected(PaneId::Steps);
    let mut map: Vec<Option<usize>> = Vec::new();
    let mut rows: Vec<ListItem> = Vec::new();
    let mut sel_row = 0;
    let mut failing = Vec::new();
    let mut last_phase: Option<&str> = None;
    for (i, s) in steps.iter().enumerate() {
        if last_phase != Some(s.phase.as_str()) {
            let title = rb.phase(&s.phase).map_or(s.phase.clone(), |p| p.title.clone());
            map.push(None);
            rows.push(ListItem::new(Line::from(styled(app, Role::Header, pad(&clean(&title), w)))));
            last_phase = Some(s.phase.as_str());
        }
        let status = app.model.state.step_status(&s.id);
        let (sym, word, role) = app.view.symbols.step(status);
        let exit = app
            .model
            .state
            .steps
            .get(&s.id)
            .and_then(|st| st.last_run())
            .and_then(|r| r.finished.as_ref())
            .and_then(|e| e.exit_code)
            .map(|c| format!(" exit {c}"))
            .unwrap_or_default();
        let tail = format!("{}{exit}", duration(app, &s.id));
        let manual = if s.manual { " [manual]" } else { "" };
        let state_w = 11;
        let title_w = w.saturating_sub(state_w + tail.chars().count() + 2);
        let title = format!("{}{manual}", clean(&s.title));
        let mut line = Line::from(vec![
            styled(app, role, pad(&format!(" {sym} {word}"), state_w)),
            plain(pad(&title, title_w)),
            styled(app, Role::Muted, format!(" {tail} ")),
        ]);
        if i == sel {
            sel_row = rows.len();
            line = line.style(app.view.theme.style(Role::Selection));
        }
        if status.is_failure() {
            failing.push(rows.len());
        }
        map.push(Some(i));
        rows.push(ListItem::new(line));
    }
    rollback_rows(app, w, &mut rows, &mut map, &mut failing);
    if run_area.height > 0 {
        let text = match steps
            .get(sel)
            .and_then(|s| app.model.state.steps.get(&s.id).and_then(|st| st.last_run()).map(|r| (s, r)))
        {
            None => "Not run yet.".to_string(),
            Some((s, r)) => {
                let mut t = run_line::describe(app, RunKind::Step, &s.id, r);
                t.replace_range(..1, "R");
                format!("{t} — output: {}", clean(&r.output))
            }
        };
        let p = Paragraph::new(vec![Line::from(styled(app, Role::Muted, "─ selected run ─")), Line::from(text)])
            .wrap(Wrap { trim: true });
        frame.render_widget(p, run_area);
    }
    // Last: the list takes `app` mutably, the run line above borrows the runbook.
    super::scroll::draw_list(frame, app, drawn, PaneId::Steps, area, list_area, rows, map, sel_row, &failing);
}
