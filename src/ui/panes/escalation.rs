//! Escalation: the runbook's levels, the incident from the journal, and the
//! time left at the current level (from journal timestamps and the clock).

use ratatui::layout::Rect;
use ratatui::text::Line;
use ratatui::widgets::{List, ListItem, Paragraph};
use ratatui::Frame;

use super::PaneId;
use crate::ui::app::App;
use crate::ui::chrome::{pane_block, plain, styled};
use crate::ui::text::{clean, pad};
use crate::ui::theme::Role;
use crate::ui::timefmt;

pub fn draw(frame: &mut Frame, app: &mut App, area: Rect) {
    let rb = &app.runbook;
    let incident = app.state.incident.as_ref().filter(|i| i.is_open());
    let extra = match incident {
        None => "no incident".to_string(),
        Some(i) => format!("INCIDENT since {}", timefmt::hm(i.declared.at)),
    };
    let block = pane_block(app, PaneId::Escalation, &extra);
    let inner = block.inner(area);
    frame.render_widget(block, area);
    let Some(esc) = &rb.escalation else {
        frame.render_widget(Paragraph::new(styled(app, Role::Muted, "No escalation levels in this runbook.")), inner);
        return;
    };
    let w = inner.width as usize;
    let sel = app.selected(PaneId::Escalation);
    let current = incident.and_then(|i| i.current());
    let mut rows = Vec::new();
    for (i, l) in esc.levels.iter().enumerate() {
        let is_cur = current.is_some_and(|c| c.level == l.name);
        let marker = if is_cur { app.symbols.focus_marker() } else { " " };
        let state = match current.filter(|_| is_cur) {
            Some(c) if c.acknowledged.is_some() => "ACKED".to_string(),
            Some(c) => {
                let left = (c.since + l.respond_within.to_chrono() - app.now).num_seconds();
                if left < 0 {
                    format!("OVERDUE {}", timefmt::countdown(left))
                } else {
                    format!("next in {}", timefmt::countdown(left))
                }
            }
            None => l.respond_within.to_string(),
        };
        let role = if is_cur { Role::Alarm } else { Role::Text };
        let name_w = 8;
        let state_w = 18;
        let mut line = Line::from(vec![
            styled(app, role, pad(&format!("{marker} {}", clean(&l.name)), name_w)),
            plain(pad(&clean(&l.who), w.saturating_sub(name_w + state_w))),
            styled(app, if is_cur { Role::Warn } else { Role::Muted }, pad(&format!(" {state}"), state_w)),
        ]);
        if i == sel {
            line = line.style(app.theme.style(Role::Selection));
        }
        rows.push(ListItem::new(line));
    }
    if incident.is_none() {
        rows.push(ListItem::new(Line::from(styled(app, Role::Muted, " no incident declared (i declares one)"))));
    }
    let st = &mut app.lists[PaneId::Escalation.index()];
    st.select(Some(sel));
    frame.render_stateful_widget(List::new(rows), inner, st);
}
