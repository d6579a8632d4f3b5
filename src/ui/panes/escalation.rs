//! Escalation: the runbook's levels, the incident from the journal, and the
//! countdown to the next level (`domain::escalation::clock`, from journal
//! timestamps and the clock).

use ratatui::layout::Rect;
use ratatui::text::Line;
use ratatui::widgets::{List, ListItem, Paragraph};
use ratatui::Frame;

use super::PaneId;
use crate::domain::escalation::{self, ClockStatus};
use crate::domain::severity::{self, Deadline};
use crate::ui::app::App;
use crate::ui::chrome::{pane_block, plain, styled};
use crate::ui::text::{clean, pad};
use crate::ui::theme::Role;
use crate::ui::timefmt;

/// The severity clocks of the open incident, one row each (not selectable).
fn severity_rows(app: &App, w: usize) -> Vec<Line<'static>> {
    let Some(inc) = app.model.state.incident.as_ref().filter(|i| i.is_open()) else { return Vec::new() };
    let Some(c) = severity::clocks(&app.model.runbook, inc, app.model.now) else { return Vec::new() };
    let role = |d: Deadline| match d {
        Deadline::Running { .. } => Role::Warn,
        Deadline::Met { .. } => Role::Ok,
        Deadline::Overdue { .. } | Deadline::Missed { .. } => Role::Alarm,
    };
    let row = |label: &str, d: Deadline| {
        Line::from(vec![
            plain(pad(&format!("  {label}"), 14)),
            styled(app, role(d), pad(&severity::describe(d), w.saturating_sub(14))),
        ])
    };
    let mut rows = vec![Line::from(styled(
        app,
        Role::Alarm,
        pad(&format!(" {} {}", clean(&c.severity.id), clean(&c.severity.title)), w),
    ))];
    rows.push(row("ack", c.ack));
    rows.push(row("mitigate", c.mitigate));
    if let Some(u) = c.next_update() {
        rows.push(row("next update", u.state));
    }
    let missed = c.missed_updates().filter(|u| u.posted.is_some()).count();
    if missed > 0 {
        rows.push(Line::from(styled(app, Role::Alarm, format!("  {missed} update(s) posted late"))));
    }
    rows
}

pub fn draw(frame: &mut Frame, app: &App, drawn: &mut crate::ui::view::Drawn, area: Rect) {
    let laddered = crate::domain::incident_acts::with_ladder(&app.model.runbook, &app.model.state);
    let rb = laddered.as_ref().unwrap_or(&app.model.runbook);
    let view = escalation::clock(rb, &app.model.state, app.model.now);
    let sev_rows = severity_rows(app, area.width.saturating_sub(2) as usize);
    let sev = app.model.state.incident.as_ref().filter(|i| i.is_open()).and_then(|i| i.severity()).map(clean);
    let extra = match &view {
        None if sev.is_some() => format!("INCIDENT {}", sev.clone().unwrap_or_default()),
        None => "no incident".to_string(),
        Some(v) if v.status == ClockStatus::Resolved => {
            format!("resolved at {}", v.resolved.as_ref().map_or(String::new(), |r| timefmt::hm(r.at)))
        }
        Some(v) => format!(
            "INCIDENT {}{} {}",
            sev.as_ref().map(|s| format!("{s} ")).unwrap_or_default(),
            timefmt::hm(v.started_at),
            v.status.label()
        ),
    };
    let block = pane_block(app, PaneId::Escalation, &extra, area.width);
    let inner = block.inner(area);
    frame.render_widget(block, area);
    let w = inner.width as usize;
    let sel = app.selected(PaneId::Escalation);
    let mut map: Vec<Option<usize>> = Vec::new();
    let mut rows = Vec::new();
    let lead = sev_rows.len();
    for r in sev_rows {
        map.push(None);
        rows.push(ListItem::new(r));
    }
    let Some(esc) = &rb.escalation else {
        if rows.is_empty() {
            let none = if app.model.runbook.severities.is_empty() {
                "No escalation levels in this runbook."
            } else {
                "no incident declared (i declares one, with its severity)"
            };
            frame.render_widget(Paragraph::new(styled(app, Role::Muted, none)), inner);
        } else {
            frame.render_widget(List::new(rows), inner);
        }
        return;
    };
    for (i, l) in esc.levels.iter().enumerate() {
        let cur = view.as_ref().filter(|v| v.level == l.name && v.status != ClockStatus::Resolved);
        let marker = if cur.is_some() { app.view.symbols.focus_marker() } else { " " };
        let (state, role) = match cur {
            Some(v) => {
                let cd = v.countdown.map(|c| timefmt::countdown(c.num_seconds())).unwrap_or_default();
                match v.status {
                    ClockStatus::Acknowledged => ("ACKED".to_string(), Role::Ok),
                    ClockStatus::Overdue => (format!("OVERDUE {cd}"), Role::Alarm),
                    _ => (format!("{cd} left"), Role::Warn),
                }
            }
            None => (l.respond_within.to_string(), Role::Muted),
        };
        let name_w = 8;
        let state_w = 15;
        let mut line = Line::from(vec![
            styled(
                app,
                if cur.is_some() { Role::Alarm } else { Role::Text },
                pad(&format!("{marker} {}", clean(&l.name)), name_w),
            ),
            plain(pad(&clean(&l.who), w.saturating_sub(name_w + state_w))),
            styled(app, role, pad(&format!(" {state}"), state_w)),
        ]);
        if i == sel {
            line = line.style(app.view.theme.style(Role::Selection));
        }
        map.push(Some(i));
        rows.push(ListItem::new(line));
    }
    if view.is_none() && sev.is_none() {
        map.push(None);
        rows.push(ListItem::new(Line::from(styled(app, Role::Muted, " no incident declared (i declares one)"))));
    }
    super::scroll::draw_list(frame, app, drawn, PaneId::Escalation, area, inner, rows, map, sel + lead, &[]);
}
