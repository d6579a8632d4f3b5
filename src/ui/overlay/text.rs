//! A read-only list of lines with a title (why not GO, what changed): scroll, Esc/q closes.

use ratatui::crossterm::event::{KeyCode, KeyEvent};
use ratatui::layout::Rect;
use ratatui::text::Line;
use ratatui::widgets::{Clear, Paragraph, Wrap};
use ratatui::Frame;

use super::{centered, is_close, Outcome, Overlay};
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

pub fn on_key(_app: &mut App, mut v: TextView, key: KeyEvent) -> Outcome {
    if is_close(&key, false) {
        return Outcome::Close;
    }
    let max = v.lines.len().saturating_sub(1) as u16;
    v.scroll = match key.code {
        KeyCode::Down | KeyCode::Char('j') => (v.scroll + 1).min(max),
        KeyCode::Up | KeyCode::Char('k') => v.scroll.saturating_sub(1),
        KeyCode::Home | KeyCode::Char('g') => 0,
        KeyCode::End | KeyCode::Char('G') => max,
        _ => v.scroll,
    };
    Outcome::Keep(Overlay::Text(v))
}

pub fn draw(frame: &mut Frame, app: &App, main: Rect, v: &TextView) {
    let h = (v.lines.len() as u16).saturating_add(2).min(main.height.saturating_sub(2));
    let area = centered(main, 140, h.max(3));
    frame.render_widget(Clear, area);
    let lines: Vec<Line> = v.lines.iter().map(|l| Line::from(styled(app, Role::Text, clean(l)))).collect();
    let p = Paragraph::new(lines)
        .wrap(Wrap { trim: false })
        .block(dialog_block(app, &clean(&v.title), "j/k scroll · Esc/q close"))
        .scroll((v.scroll, 0));
    frame.render_widget(p, area);
}
