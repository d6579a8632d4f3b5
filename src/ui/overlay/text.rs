//! A read-only list of lines with a title (why not GO, what changed): scroll, Esc/q closes.

use ratatui::crossterm::event::KeyEvent;
use ratatui::layout::Rect;
use ratatui::text::Line;
use ratatui::widgets::{Clear, Paragraph, Wrap};
use ratatui::Frame;

use super::hint::{hint, Part};
use super::{act, centered, close, stay, Handled, Layer};
use crate::ui::action::DialogAction;
use crate::ui::app::App;
use crate::ui::chrome::{dialog_block, styled};
use crate::ui::text::clean;
use crate::ui::theme::Role;

pub struct TextView {
    pub title: String,
    pub lines: Vec<String>,
    pub scroll: u16,
}

impl TextView {
    pub fn new(title: String, lines: Vec<String>) -> TextView {
        TextView { title, lines, scroll: 0 }
    }
}

pub fn on_key(app: &App, v: &mut TextView, key: KeyEvent) -> Handled {
    // The last top row, as the last frame measured it: `G` shows the end at
    // the bottom, never a screen of blank rows, and `k` after it moves at once.
    let max = app.view.drawn.dialog_max_top.unwrap_or(v.lines.len().saturating_sub(1)) as u16;
    v.scroll = match act(app, Layer::Text, &key) {
        Some(DialogAction::Close) => return close(),
        Some(DialogAction::Down) => (v.scroll + 1).min(max),
        Some(DialogAction::Up) => v.scroll.saturating_sub(1),
        Some(DialogAction::Top) => 0,
        Some(DialogAction::Bottom) => max,
        _ => v.scroll,
    };
    stay()
}

pub fn draw(frame: &mut Frame, app: &App, drawn: &mut crate::ui::view::Drawn, main: Rect, v: &TextView) {
    let h = (v.lines.len() as u16).saturating_add(2).min(main.height.saturating_sub(2));
    let area = centered(main, 140, h.max(3));
    frame.render_widget(Clear, area);
    let lines: Vec<Line> = v.lines.iter().map(|l| Line::from(styled(app, Role::Text, clean(l)))).collect();
    // Rows once wrapped, less the rows shown: the top row that shows the end.
    let inner = (area.width.saturating_sub(2), area.height.saturating_sub(2) as usize);
    let rows = Paragraph::new(lines.clone()).wrap(Wrap { trim: false }).line_count(inner.0);
    let max_top = rows.saturating_sub(inner.1);
    drawn.dialog_max_top = Some(max_top);
    let p = Paragraph::new(lines)
        .wrap(Wrap { trim: false })
        .block(dialog_block(
            app,
            &clean(&v.title),
            &hint(
                app,
                &[
                    Part::Keys(Layer::Text, &[DialogAction::Down, DialogAction::Up], "scroll"),
                    Part::Keys(Layer::Text, &[DialogAction::Close], "close"),
                ],
            ),
        ))
        .scroll((v.scroll.min(max_top as u16), 0));
    frame.render_widget(p, area);
}
