//! Criteria by severity (critical → high → medium): verdict symbol and word,
//! who and when, the auto-binding's source.

use ratatui::layout::Rect;
use ratatui::text::Line;
use ratatui::widgets::{ListItem, Paragraph};
use ratatui::Frame;

use super::PaneId;
use crate::domain::event::{MarkSource, Verdict};
use crate::ui::app::App;
use crate::ui::chrome::{pane_block, plain, styled};
use crate::ui::items;
use crate::ui::text::{clean, pad};
use crate::ui::theme::Role;
use crate::ui::timefmt;

pub fn draw(frame: &mut Frame, app: &App, drawn: &mut crate::ui::view::Drawn, area: Rect) {
    let rb = &app.model.runbook;
    let crit = items::criteria(rb);
    let count = |v: Verdict| crit.iter().filter(|c| app.model.state.verdict(&c.id) == v).count();
    let (pass, fail, na, pending) =
        (count(Verdict::Pass), count(Verdict::Fail), count(Verdict::Na), count(Verdict::Pending));
    let summary = if area.width >= 64 {
        format!("{pass} pass · {fail} fail · {na} n/a · {pending} pending")
    } else {
        format!("{fail} fail · {pending} pending")
    };
    let block = pane_block(app, PaneId::Checklist, &summary, area.width);
    let inner = block.inner(area);
    frame.render_widget(block, area);
    if crit.is_empty() {
        frame.render_widget(Paragraph::new(styled(app, Role::Muted, "No criteria in this runbook.")), inner);
        return;
    }
    let w = inner.width as usize;
    let sel = app.selected(PaneId::Checklist);
    let mut map: Vec<Option<usize>> = Vec::new();
    let mut rows: Vec<ListItem> = Vec::new();
    let mut sel_row = 0;
    let mut failing = Vec::new();
    let mut last_sev = None;
    let contradicted = crate::ui::contradictions::list(app);
    for (i, c) in crit.iter().enumerate() {
        if last_sev != Some(c.severity) {
            map.push(None);
            rows.push(ListItem::new(Line::from(styled(
                app,
                Role::Header,
                pad(&c.severity.as_str().to_uppercase(), w),
            ))));
            last_sev = Some(c.severity);
        }
        let st = app.model.state.criteria.get(&c.id);
        let verdict = st.map(|s| s.verdict).unwrap_or_default();
        let (sym, word, role) = app.view.symbols.verdict(verdict);
        let expired = st.and_then(|s| s.expired.as_ref());
        let contra = contradicted.iter().any(|(id, _)| *id == c.id);
        let who = match st.and_then(|s| s.by.as_ref().zip(s.at)) {
            // A PASS by hand that the bound source now says is failing.
            _ if contra => format!("{} source says FAIL", if app.view.symbols.ascii { "!" } else { "⚠" }),
            // Evidence that is too old: PENDING, saying what it was (details have the rest).
            _ if expired.is_some() => {
                let e = expired.expect("checked");
                format!("expired {} {}", clean(e.by.as_deref().unwrap_or("?")), timefmt::hm(e.at))
            }
            Some((_, at)) if st.is_some_and(|s| s.source == MarkSource::Auto) => format!("auto {}", timefmt::hm(at)),
            Some((by, at)) if verdict != Verdict::Pending || st.is_some_and(|s| s.source != MarkSource::Manual) => {
                format!("{} {}", clean(by), timefmt::hm(at))
            }
            _ => String::new(),
        };
        let auto = c.auto.as_ref().map(|a| a.label()).unwrap_or_default();
        let state_w = 11;
        let right =
            if w >= 90 { format!(" {} {}", pad(&who, 18), pad(&auto, 20)) } else { format!(" {}", pad(&who, 16)) };
        let title_w = w.saturating_sub(state_w + crate::ui::text::width(&right));
        let mut line = Line::from(vec![
            styled(app, role, pad(&format!(" {sym} {word}"), state_w)),
            plain(pad(&clean(&c.title), title_w)),
            styled(app, if expired.is_some() || contra { Role::Warn } else { Role::Muted }, right),
        ]);
        if i == sel {
            sel_row = rows.len();
            line = line.style(app.view.theme.style(Role::Selection));
        }
        if verdict == Verdict::Fail {
            failing.push(rows.len());
        }
        map.push(Some(i));
        rows.push(ListItem::new(line));
    }
    super::scroll::draw_list(frame, app, drawn, PaneId::Checklist, area, inner, rows, map, sel_row, &failing);
}
