//! One way every pane list scrolls (docs/console.md, "Lists"): the selected
//! row stays in view, the list never scrolls past its last row (so growing
//! the terminal, changing layout or theme brings hidden rows back instead of
//! leaving blank rows below), a group header stays with its first row, and a
//! cut list says so on its bottom border — "▲ 3 more above", "▼ 5 more
//! below", and "▲ 2 failing above" when failing rows are what is hidden.

use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::{List, ListItem, Paragraph};
use ratatui::Frame;

use super::PaneId;
use crate::ui::app::{App, RowMap};
use crate::ui::theme::Role;

/// First row to show: moves as little as possible from `prev`, keeps `sel`
/// (and `keep_with`, its header, when both fit) in view, never past the end.
pub fn offset(prev: usize, sel: usize, keep_with: usize, len: usize, height: usize) -> usize {
    if height == 0 || len <= height {
        return 0;
    }
    let max = len - height;
    let sel = sel.min(len - 1);
    let mut off = prev.min(max);
    if sel < off {
        off = sel;
    }
    if sel >= off + height {
        off = sel + 1 - height;
    }
    if keep_with < off && sel - keep_with < height {
        off = keep_with;
    }
    off.min(max)
}

/// What is hidden above and below a list shown from `offset` in `height` rows.
#[derive(Debug, Default, PartialEq, Eq)]
pub struct Hidden {
    pub above: usize,
    pub below: usize,
    pub failing_above: usize,
    pub failing_below: usize,
}

pub fn hidden(offset: usize, len: usize, height: usize, failing: &[usize]) -> Hidden {
    let end = (offset + height).min(len);
    Hidden {
        above: offset,
        below: len - end,
        failing_above: failing.iter().filter(|r| **r < offset).count(),
        failing_below: failing.iter().filter(|r| **r >= end).count(),
    }
}

/// The marker text, most urgent first; empty when nothing is cut.
pub fn marker(h: &Hidden, ascii: bool) -> Vec<(String, bool)> {
    let (up, down) = if ascii { ("^", "v") } else { ("▲", "▼") };
    let mut parts = Vec::new();
    if h.failing_above > 0 {
        parts.push((format!("{up} {} failing above", h.failing_above), true));
    } else if h.above > 0 {
        parts.push((format!("{up} {} more above", h.above), false));
    }
    if h.failing_below > 0 {
        parts.push((format!("{down} {} failing below", h.failing_below), true));
    } else if h.below > 0 {
        parts.push((format!("{down} {} more below", h.below), false));
    }
    parts
}

/// Draws `rows` in `list_area` (inside the pane's block drawn on `outer`),
/// with the selection at row `sel_row` and `failing` rows announced when cut.
/// `map` ties rows to items for the mouse.
#[allow(clippy::too_many_arguments)]
pub fn draw_list(
    frame: &mut Frame,
    app: &App,
    drawn: &mut crate::ui::view::Drawn,
    pane: PaneId,
    outer: Rect,
    list_area: Rect,
    rows: Vec<ListItem>,
    map: Vec<Option<usize>>,
    sel_row: usize,
    failing: &[usize],
) {
    let len = rows.len();
    let height = list_area.height as usize;
    let keep_with =
        if sel_row > 0 && map.get(sel_row - 1).is_some_and(|m| m.is_none()) { sel_row - 1 } else { sel_row };
    let st = &mut drawn.lists[pane.index()];
    let off = offset(st.offset(), sel_row, keep_with, len, height);
    *st.offset_mut() = off;
    st.select(Some(sel_row));
    frame.render_stateful_widget(List::new(rows), list_area, st);
    let off = drawn.lists[pane.index()].offset();
    drawn.row_maps[pane.index()] = RowMap { area: list_area, offset: off, items: map };

    let parts = marker(&hidden(off, len, height, failing), app.view.symbols.ascii);
    if parts.is_empty() || outer.height < 2 || outer.width < 6 {
        return;
    }
    let mut spans = vec![Span::raw(" ")];
    for (i, (text, urgent)) in parts.into_iter().enumerate() {
        if i > 0 {
            spans.push(Span::styled(" · ", app.view.theme.style(Role::Muted)));
        }
        spans.push(Span::styled(text, app.view.theme.style(if urgent { Role::Fail } else { Role::Muted })));
    }
    spans.push(Span::raw(" "));
    // On the bottom border: a marker costs no list row.
    let line = Line::from(spans);
    let w = (line.width() as u16).min(outer.width - 4);
    let at = Rect { x: outer.x + 2, y: outer.y + outer.height - 1, width: w, height: 1 };
    frame.render_widget(Paragraph::new(line), at);
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn growing_brings_the_top_back() {
        // Scrolled to the end at 10 rows, then 30 rows: all 22 rows fit.
        assert_eq!(offset(12, 21, 21, 22, 30), 0);
    }

    #[test]
    fn never_scrolls_past_the_end() {
        assert_eq!(offset(15, 18, 18, 22, 10), 12);
    }

    #[test]
    fn keeps_the_selection_in_view_both_ways() {
        assert_eq!(offset(0, 15, 15, 40, 10), 6);
        assert_eq!(offset(20, 3, 3, 40, 10), 3);
    }

    #[test]
    fn a_header_stays_with_its_first_row() {
        assert_eq!(offset(20, 5, 4, 40, 10), 4);
    }

    #[test]
    fn failing_rows_cut_are_named_before_plain_counts() {
        let h = hidden(5, 20, 10, &[1, 2]);
        assert_eq!(h, Hidden { above: 5, below: 5, failing_above: 2, failing_below: 0 });
        let m: Vec<String> = marker(&h, false).into_iter().map(|p| p.0).collect();
        assert_eq!(m, ["▲ 2 failing above", "▼ 5 more below"]);
    }
}
