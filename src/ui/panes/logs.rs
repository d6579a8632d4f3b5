//! Logs: each configured log with its error/warning counts and its latest
//! lines once the tailer feeds them; "not started" until then.

use ratatui::layout::Rect;
use ratatui::text::Line;
use ratatui::widgets::{List, ListItem, Paragraph};
use ratatui::Frame;

use super::PaneId;
use crate::domain::runbook::LogTarget;
use crate::sources::LineLevel;
use crate::ui::app::App;
use crate::ui::chrome::{pane_block, plain, styled};
use crate::ui::text::{clean, pad};
use crate::ui::theme::Role;

pub fn draw(frame: &mut Frame, app: &mut App, area: Rect) {
    let rb = &app.runbook;
    let block = pane_block(app, PaneId::Logs, "", area.width);
    let inner = block.inner(area);
    frame.render_widget(block, area);
    if rb.logs.is_empty() {
        frame.render_widget(Paragraph::new(styled(app, Role::Muted, "No logs in this runbook.")), inner);
        return;
    }
    let w = inner.width as usize;
    let sel = app.selected(PaneId::Logs);
    let mut map: Vec<Option<usize>> = Vec::new();
    let mut rows = Vec::new();
    for (i, l) in rb.logs.iter().enumerate() {
        let buf = app.live.logs.get(&l.id);
        let errors = buf.map_or(0, |b| b.iter().filter(|x| x.level == LineLevel::Error).count());
        let warns = buf.map_or(0, |b| b.iter().filter(|x| x.level == LineLevel::Warn).count());
        let source = match &l.target {
            LogTarget::File { path } => path.display().to_string(),
            LogTarget::Command { run } => format!("$ {run}"),
        };
        let state = if buf.is_some() { format!("{errors} err · {warns} warn") } else { "not started".into() };
        let id_w = (w / 3).min(24);
        let state_w = 20;
        let mut line = Line::from(vec![
            plain(pad(&format!(" {}", clean(&l.id)), id_w)),
            styled(app, if errors > 0 { Role::Fail } else { Role::Muted }, pad(&state, state_w)),
            styled(app, Role::Muted, pad(&clean(&source), w.saturating_sub(id_w + state_w))),
        ]);
        if i == sel {
            line = line.style(app.theme.style(Role::Selection));
        }
        map.push(Some(i));
        rows.push(ListItem::new(line));
        // The latest lines of the selected log, when there are any.
        if i == sel {
            if let Some(b) = buf {
                let room = (inner.height as usize).saturating_sub(rb.logs.len() + 1);
                for ln in b.iter().rev().take(room).collect::<Vec<_>>().into_iter().rev() {
                    let role = match ln.level {
                        LineLevel::Error => Role::Fail,
                        LineLevel::Warn => Role::Warn,
                        LineLevel::Info => Role::Text,
                    };
                    map.push(None);
                    rows.push(ListItem::new(Line::from(styled(app, role, pad(&format!("   {}", clean(&ln.text)), w)))));
                }
            }
        }
    }
    let sel_row = sel;
    let st = &mut app.lists[PaneId::Logs.index()];
    st.select(Some(sel_row));
    frame.render_stateful_widget(List::new(rows), inner, st);
    let offset = app.lists[PaneId::Logs.index()].offset();
    app.row_maps[PaneId::Logs.index()] = crate::ui::app::RowMap { area: inner, offset, items: map };
}
