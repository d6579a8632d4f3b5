//! `?`: every action with its keys, read from the live keymap (A2).

use ratatui::crossterm::event::{KeyCode, KeyEvent};
use ratatui::layout::Rect;
use ratatui::text::Line;
use ratatui::widgets::{Clear, Paragraph};
use ratatui::Frame;

use super::{centered, is_close, Outcome, Overlay};
use crate::ui::action::Action;
use crate::ui::app::App;
use crate::ui::chrome::{dialog_block, styled};
use crate::ui::text::pad;
use crate::ui::theme::Role;

pub fn lines(app: &App) -> Vec<Line<'static>> {
    let mut out = Vec::new();
    for a in Action::ALL {
        let keys = app.view.keymap.label(*a);
        out.push(Line::from(vec![
            styled(app, Role::Accent, pad(&keys, 24)),
            styled(app, Role::Text, format!(" {:<17} ", a.name())),
            styled(app, Role::Muted, a.describe()),
        ]));
    }
    out.push(Line::from(""));
    out.push(Line::from(styled(
        app,
        Role::Muted,
        "In dialogs: Esc closes (q too, outside text fields). Keys come from keys.toml in the config dir.",
    )));
    out.push(Line::from(styled(
        app,
        Role::Muted,
        "Details: 1-9 copy a link. Messages (c): y copies, s sends to the template's channels.",
    )));
    out
}

pub fn on_key(app: &mut App, scroll: u16, key: KeyEvent) -> Outcome {
    if is_close(&key, false) || key.code == KeyCode::Char('?') {
        return Outcome::Close;
    }
    let max = lines(app).len() as u16;
    let scroll = match key.code {
        KeyCode::Down | KeyCode::Char('j') => (scroll + 1).min(max),
        KeyCode::Up | KeyCode::Char('k') => scroll.saturating_sub(1),
        KeyCode::PageDown => (scroll + 10).min(max),
        KeyCode::PageUp => scroll.saturating_sub(10),
        KeyCode::Home | KeyCode::Char('g') => 0,
        // The end: `draw` clamps to the last screenful.
        KeyCode::End | KeyCode::Char('G') => max,
        _ => scroll,
    };
    Outcome::Keep(Overlay::Help { scroll })
}

pub fn draw(frame: &mut Frame, app: &App, main: Rect, scroll: u16) {
    let area = centered(main, 100, main.height.saturating_sub(2));
    frame.render_widget(Clear, area);
    // A description too long for a narrow screen ends with "…" rather than
    // mid-word at the border.
    let room = area.width.saturating_sub(2) as usize;
    let lines: Vec<Line> = lines(app)
        .into_iter()
        .map(|mut l| {
            let n = l.spans.len();
            let used: usize = l.spans.iter().take(n.saturating_sub(1)).map(|s| s.width()).sum();
            if let Some(last) = l.spans.last_mut() {
                if used + last.width() > room {
                    last.content = crate::ui::text::fit(&last.content, room.saturating_sub(used)).into();
                }
            }
            l
        })
        .collect();
    // Never past the last line: no screen of blank rows after `G`.
    let scroll = scroll.min((lines.len() as u16).saturating_sub(area.height.saturating_sub(2)));
    let p = Paragraph::new(lines)
        .block(dialog_block(app, "Keys", "j/k scroll · g/G top/end · Esc/q/? close"))
        .scroll((scroll, 0));
    frame.render_widget(p, area);
}
