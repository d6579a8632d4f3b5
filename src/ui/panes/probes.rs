//! Probes: one row per probe, its state and detail decided by `probe_row`
//! (PENDING n/threshold, UP, DOWN with the reason), latency percentiles when UP.

use ratatui::layout::Rect;
use ratatui::text::Line;
use ratatui::widgets::{ListItem, Paragraph};
use ratatui::Frame;

use super::probe_row::{describe, RowState};
use super::PaneId;
use crate::domain::runbook::ProbeTarget;
use crate::ui::app::App;
use crate::ui::chrome::{pane_block, plain, styled};
use crate::ui::text::{clean, pad};
use crate::ui::theme::Role;
use crate::ui::timefmt;

/// Latency percentile (0–100) over live results.
pub fn percentile(lat_ms: &mut [u64], p: usize) -> Option<u64> {
    if lat_ms.is_empty() {
        return None;
    }
    lat_ms.sort_unstable();
    let i = ((lat_ms.len() - 1) * p).div_ceil(100);
    lat_ms.get(i).copied()
}

pub fn draw(frame: &mut Frame, app: &App, drawn: &mut crate::ui::view::Drawn, area: Rect) {
    let rb = &app.model.runbook;
    let block = pane_block(app, PaneId::Probes, "", area.width);
    let inner = block.inner(area);
    frame.render_widget(block, area);
    if rb.probes.is_empty() {
        frame.render_widget(Paragraph::new(styled(app, Role::Muted, "No probes in this runbook.")), inner);
        return;
    }
    let w = inner.width as usize;
    let sel = app.selected(PaneId::Probes);
    let mut map: Vec<Option<usize>> = Vec::new();
    let mut rows = Vec::new();
    let mut failing = Vec::new();
    let mut cells = Vec::new();
    for p in &rb.probes {
        let kind = match &p.target {
            ProbeTarget::Http { .. } => "http",
            ProbeTarget::Tcp { .. } => "tcp",
            ProbeTarget::Command { .. } => "command",
        };
        let row = describe(
            app.model.procs.histories.get(&p.id),
            app.model.state.probes.get(&p.id),
            &format!("{kind} every {}", p.every),
        );
        let health = row.state.health();
        let (sym, word, role) = match row.state {
            RowState::Pending { failed, of } => {
                (app.view.symbols.probe(None).0, format!("PENDING {failed}/{of}"), Role::Warn)
            }
            _ => {
                let (sym, word, role) = app.view.symbols.probe(health);
                (sym, word.to_string(), role)
            }
        };
        let live = app.model.live.probes.get(&p.id);
        let mut detail = row.detail;
        if row.state == RowState::Up && live.and_then(|h| h.last()).is_some_and(|l| l.success) {
            let mut lat: Vec<u64> = live.into_iter().flatten().map(|r| r.latency.as_millis() as u64).collect();
            let p50 = percentile(&mut lat, 50).unwrap_or(0);
            let p95 = percentile(&mut lat, 95).unwrap_or(0);
            detail = format!("{detail} p50 {} p95 {}", timefmt::ms(p50), timefmt::ms(p95));
        }
        cells.push((format!(" {sym} {word}"), role, clean(&p.id), clean(&detail), health));
    }
    // Columns as wide as their widest cell, so at 80 columns the detail (the
    // reason a probe fails) keeps the room the state and id do not need.
    let state_w = cells.iter().map(|c| crate::ui::text::width(&c.0)).max().unwrap_or(0) + 1;
    let id_w = (cells.iter().map(|c| crate::ui::text::width(&c.2)).max().unwrap_or(0) + 1)
        .min(w.saturating_sub(state_w) / 2)
        .min(24);
    for (i, (state, role, id, detail, health)) in cells.into_iter().enumerate() {
        let mut line = Line::from(vec![
            styled(app, role, pad(&state, state_w)),
            plain(pad(&id, id_w)),
            styled(app, Role::Muted, pad(&format!(" {detail}"), w.saturating_sub(state_w + id_w))),
        ]);
        if i == sel {
            line = line.style(app.view.theme.style(Role::Selection));
        }
        if health == Some(crate::domain::event::ProbeHealth::Down) {
            failing.push(rows.len());
        }
        map.push(Some(i));
        rows.push(ListItem::new(line));
    }
    super::scroll::draw_list(frame, app, drawn, PaneId::Probes, area, inner, rows, map, sel, &failing);
}
