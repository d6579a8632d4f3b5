//! Escalation: the runbook's levels, the incident from the journal, and the
//! countdown to the next level (`domain::escalation::clock`, from journal
//! timestamps and the clock).

use ratatui::layout::Rect;
use ratatui::text::Line;
use ratatui::widgets::{ListItem, Paragraph};
use ratatui::Frame;

use super::PaneId;
use crate::domain::escalation::{self, ClockStatus};
use crate::ui::app::App;
use crate::ui::chrome::{pane_block, plain, styled};
use crate::ui::text::{clean, pad};
use crate::ui::theme::Role;
use crate::ui::timefmt;

pub fn draw(frame: &mut Frame, app: &mut App, area: Rect) {
    let rb = &app.runbook;
    let view = escalation::clock(rb, &app.state, app.now);
    let extra = match &view {
        None => "no incident".to_string(),
        Some(v) if v.status == ClockStatus::Resolved => {
            format!("resolved at {}", v.resolved.as_ref().map_or(String::new(), |r| timefmt::hm(r.at)))
        }
        Some(v) => format!("INCIDENT {} {}", timefmt::hm(v.started_at), v.status.label()),
    };
    let block = pane_block(app, PaneId::Escalation, &extra, area.width);
    let inner = block.inner(area);
    frame.render_widget(block, area);
    let Some(esc) = &rb.escalation else {
        frame.render_widget(Paragraph::new(styled(app, Role::Muted, "No escalation levels in this runbook.")), inner);
        return;
    };
    let w = inner.width as usize;
    let sel = app.selected(PaneId::Escalation);
    let mut map: Vec<Option<usize>> = Vec::new();
    let mut rows = Vec::new();
    for (i, l) in esc.levels.iter().enumerate() {
        let cur = view.as_ref().filter(|v| v.level == l.name && v.status != ClockStatus::Resolved);
        let marker = if cur.is_some() { app.symbols.focus_marker() } else { " " };
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
            line = line.style(app.theme.style(Role::Selection));
        }
        map.push(Some(i));
        rows.push(ListItem::new(line));
    }
    if view.is_none() {
        map.push(None);
        rows.push(ListItem::new(Line::from(styled(app, Role::Muted, " no incident declared (i declares one)"))));
    }
    super::scroll::draw_list(frame, app, PaneId::Escalation, area, inner, rows, map, sel, &[]);
}
