//! `W`: who is here — every console on the session (presence, not the
//! journal): operator, Unix user and host, read-only, since when, idle time,
//! and what it is doing.

use ratatui::crossterm::event::{KeyCode, KeyEvent};
use ratatui::layout::Rect;
use ratatui::text::Line;
use ratatui::widgets::{Clear, Paragraph};
use ratatui::Frame;

use super::{centered, is_close, Outcome, Overlay};
use crate::domain::duration::clock_format;
use crate::ui::app::App;
use crate::ui::chrome::{dialog_block, plain, styled};
use crate::ui::text::{clean, fit, pad};
use crate::ui::theme::Role;

pub fn on_key(_app: &mut App, scroll: u16, key: KeyEvent) -> Outcome {
    if is_close(&key, false) || key.code == KeyCode::Enter {
        return Outcome::Close;
    }
    let scroll = match key.code {
        KeyCode::Down | KeyCode::Char('j') => scroll.saturating_add(1),
        KeyCode::Up | KeyCode::Char('k') => scroll.saturating_sub(1),
        _ => scroll,
    };
    Outcome::Keep(Overlay::Who { scroll })
}

pub fn draw(frame: &mut Frame, app: &App, main: Rect, scroll: u16) {
    let roster = &app.model.team.roster;
    let area = centered(main, 110, (roster.len() as u16 + 5).max(7));
    frame.render_widget(Clear, area);
    let block = dialog_block(app, &format!("Who is here ({})", roster.len()), "j/k scroll · Esc close");
    let inner = block.inner(area);
    frame.render_widget(block, area);
    let w = inner.width as usize;
    let mut lines = vec![Line::from(styled(
        app,
        Role::Header,
        fit(
            &format!(
                "{}{}{}{}{}{}",
                pad("OPERATOR", 16),
                pad("USER@HOST", 22),
                pad("MODE", 11),
                pad("SINCE", 10),
                pad("IDLE", 9),
                "DOING"
            ),
            w,
        ),
    ))];
    if roster.is_empty() {
        lines.push(Line::from(styled(app, Role::Muted, "nobody (presence files cannot be read here)")));
    }
    for p in roster {
        let me = app.model.team.me.as_deref() == Some(p.console_id().as_str());
        let mode = if p.read_only { "read-only" } else { "acting" };
        let name = format!("{}{}", clean(&p.operator), if me { " (you)" } else { "" });
        let text = format!(
            "{}{}{}{}{}{}",
            pad(&name, 16),
            pad(&format!("{}@{}", clean(&p.user), clean(&p.host)), 22),
            pad(mode, 11),
            pad(&crate::ui::timefmt::hm(p.since), 10),
            pad(&clock_format(p.idle(app.model.now)), 9),
            clean(&p.doing)
        );
        lines.push(Line::from(plain(fit(&text, w))));
    }
    frame.render_widget(Paragraph::new(lines).scroll((scroll, 0)), inner);
}
