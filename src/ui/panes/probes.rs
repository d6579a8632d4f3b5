//! Probes: UP/DOWN from the journal (and live results once the probe task
//! feeds them), last status and latency; "not started" when nothing is known.

use ratatui::layout::Rect;
use ratatui::text::Line;
use ratatui::widgets::{ListItem, Paragraph};
use ratatui::Frame;

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

pub fn draw(frame: &mut Frame, app: &mut App, area: Rect) {
    let rb = &app.runbook;
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
    for (i, p) in rb.probes.iter().enumerate() {
        // Live health (thresholds applied by the probe's history) first, else the journal's.
        let health = crate::ui::wiring::probes::health(app, &p.id);
        let (sym, word, role) = app.symbols.probe(health);
        let live = app.live.probes.get(&p.id);
        let detail = match live.and_then(|h| h.last()) {
            Some(last) => {
                let mut lat: Vec<u64> = live.into_iter().flatten().map(|r| r.latency.as_millis() as u64).collect();
                let p50 = percentile(&mut lat, 50).unwrap_or(0);
                let p95 = percentile(&mut lat, 95).unwrap_or(0);
                let status = last.status.map(|s| s.to_string()).or_else(|| last.error.clone()).unwrap_or_default();
                format!(
                    "{} {} p50 {} p95 {}",
                    clean(&status),
                    timefmt::ms(last.latency.as_millis() as u64),
                    timefmt::ms(p50),
                    timefmt::ms(p95)
                )
            }
            None => {
                let kind = match &p.target {
                    ProbeTarget::Http { .. } => "http",
                    ProbeTarget::Tcp { .. } => "tcp",
                    ProbeTarget::Command { .. } => "command",
                };
                format!("{kind} every {}", p.every)
            }
        };
        let state_w = 15;
        let id_w = (w.saturating_sub(state_w) / 2).min(24);
        let mut line = Line::from(vec![
            styled(app, role, pad(&format!(" {sym} {word}"), state_w)),
            plain(pad(&clean(&p.id), id_w)),
            styled(app, Role::Muted, pad(&format!(" {detail}"), w.saturating_sub(state_w + id_w))),
        ]);
        if i == sel {
            line = line.style(app.theme.style(Role::Selection));
        }
        if health == Some(crate::domain::event::ProbeHealth::Down) {
            failing.push(rows.len());
        }
        map.push(Some(i));
        rows.push(ListItem::new(line));
    }
    super::scroll::draw_list(frame, app, PaneId::Probes, area, inner, rows, map, sel, &failing);
}
