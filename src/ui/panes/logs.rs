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
use crate::ui::logs_live;
use crate::ui::text::{clean, contains_ci, pad};
use crate::ui::theme::Role;

pub fn draw(frame: &mut Frame, app: &mut App, area: Rect) {
    let query = logs_live::search_query(app);
    let mut extra = if app.live.log_view.paused_at.is_some() { "follow off (F)".to_string() } else { String::new() };
    if let (Some(q), Some(id)) = (&query, app.runbook.logs.get(app.selected(PaneId::Logs)).map(|l| l.id.clone())) {
        let n = logs_live::count_matches(app, &id, q);
        extra = format!("{extra} /{}: {n} line(s)", clean(q)).trim().to_string();
    }
    let extra = extra.as_str();
    let rb = &app.runbook;
    let block = pane_block(app, PaneId::Logs, extra, area.width);
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
        // Per minute over the last 60 s, counted on every line (not only those kept).
        let rate = buf.map(|b| b.rate_per_min(app.now)).unwrap_or_default();
        let (errors, warns) = (rate.errors.round() as u64, rate.warns.round() as u64);
        let source = match &l.target {
            LogTarget::File { path } => path.display().to_string(),
            LogTarget::Command { run } => format!("$ {run}"),
        };
        let status = logs_live::status_word(app.live.log_view.status.get(&l.id));
        let state = if buf.is_some() {
            let lines = if w >= 100 { format!(" · {:.0} lines", rate.lines) } else { String::new() };
            format!("{errors} err · {warns} warn{lines} /min · {status}")
        } else {
            status
        };
        let id_w = (w / 3).min(24);
        let state_w = if buf.is_some() { (w.saturating_sub(id_w) * 2 / 3).max(20) } else { 20 };
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
        if i == sel && buf.is_some() {
            let room = (inner.height as usize).saturating_sub(rb.logs.len() + 1);
            let ascii = app.symbols.ascii;
            for ln in logs_live::visible(app, &l.id, room) {
                // Never colour alone: a symbol marks error and warning lines too.
                let (sym, role) = match ln.level {
                    LineLevel::Error => (if ascii { "x" } else { "✗" }, Role::Fail),
                    LineLevel::Warn => (if ascii { "!" } else { "▲" }, Role::Warn),
                    LineLevel::Info if ln.marker => (" ", Role::Muted),
                    LineLevel::Info => (" ", Role::Text),
                };
                let hit = query.as_ref().is_some_and(|q| contains_ci(&ln.text, q));
                let mut row = Line::from(styled(app, role, pad(&format!(" {sym} {}", clean(&ln.text)), w)));
                if hit {
                    // Reverse video, so a match shows without colour too.
                    row = row.style(app.theme.style(Role::Selection));
                }
                map.push(None);
                rows.push(ListItem::new(row));
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
