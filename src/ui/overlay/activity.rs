//! `A`: the activity feed — every person's act and note in the session,
//! from every console and command, oldest first and the newest in view
//! (`ui::activity`). Notes stand out with the word "note".

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
use crate::ui::timefmt;

/// One line per act: time, who, what ("note" first for notes).
pub fn lines(app: &App) -> Vec<Line<'static>> {
    let mut out = Vec::new();
    if app.activity.dropped() > 0 {
        out.push(Line::from(styled(
            app,
            Role::Muted,
            format!(
                "({} older records not listed here; the journal and `warroom report` have them)",
                app.activity.dropped()
            ),
        )));
    }
    if app.activity.is_empty() {
        out.push(Line::from(styled(app, Role::Muted, "nobody has acted yet (C adds a note)")));
    }
    for a in app.activity.iter() {
        let (word, role) = if a.note { ("note ", Role::Accent) } else { ("act  ", Role::Muted) };
        out.push(Line::from(vec![
            styled(app, Role::Muted, format!("{} ", timefmt::hms(a.at))),
            styled(app, role, word),
            styled(app, Role::Text, format!("{} {}", clean(&a.by), clean(&a.text))),
        ]));
    }
    out
}

/// `scroll`: `None` follows the end (the newest in view).
pub fn on_key(app: &mut App, scroll: Option<u16>, key: KeyEvent) -> Outcome {
    if is_close(&key, false) || key.code == KeyCode::Char('A') {
        return Outcome::Close;
    }
    if key.code == KeyCode::Char('C') {
        return Outcome::Done(app.update(crate::ui::action::Action::AddNote));
    }
    let max = lines(app).len().saturating_sub(1) as u16;
    let at = scroll.unwrap_or(max);
    let scroll = match key.code {
        KeyCode::Down | KeyCode::Char('j') => Some((at + 1).min(max)),
        KeyCode::Up | KeyCode::Char('k') => Some(at.saturating_sub(1)),
        KeyCode::PageDown => Some((at + 10).min(max)),
        KeyCode::PageUp => Some(at.saturating_sub(10)),
        KeyCode::Home | KeyCode::Char('g') => Some(0),
        KeyCode::End | KeyCode::Char('G') => None,
        _ => scroll,
    };
    Outcome::Keep(Overlay::Activity { scroll })
}

pub fn draw(frame: &mut Frame, app: &App, main: Rect, scroll: Option<u16>) {
    let area = centered(main, 120, main.height.saturating_sub(2));
    frame.render_widget(Clear, area);
    let all = lines(app);
    let block = dialog_block(
        app,
        &format!("Activity ({})", app.activity.len()),
        "j/k scroll · g/G top/end · C add a note · Esc/q/A close",
    );
    let para = Paragraph::new(all).wrap(Wrap { trim: false });
    // Wrapped rows, so the newest line is in view at the end however long the notes.
    let inner_w = area.width.saturating_sub(2);
    let inner_h = area.height.saturating_sub(2) as usize;
    let rows = para.line_count(inner_w);
    let end = rows.saturating_sub(inner_h) as u16;
    let top = scroll.map_or(end, |s| s.min(end));
    frame.render_widget(para.block(block).scroll((top, 0)), area);
}
