//! `W`: who is here — every console on the session (presence, not the
//! journal): operator, Unix user and host, read-only, since when, idle time,
//! and what it is doing.

use ratatui::crossterm::event::KeyEvent;
use ratatui::layout::Rect;
use ratatui::text::Line;
use ratatui::widgets::{Clear, Paragraph};
use ratatui::Frame;

use super::hint::{hint, Part};
use super::{act, centered, close, stay, Handled, Layer};
use crate::domain::duration::clock_format;
use crate::ui::action::DialogAction;
use crate::ui::app::App;
use crate::ui::chrome::{dialog_block, plain, styled};
use crate::ui::text::{clean, fit, pad};
use crate::ui::theme::Role;

pub fn on_key(app: &App, scroll: &mut u16, key: KeyEvent) -> Handled {
    *scroll = match act(app, Layer::Who, &key) {
        Some(DialogAction::Close) => return close(),
        Some(DialogAction::Down) => scroll.saturating_add(1),
        Some(DialogAction::Up) => scroll.saturating_sub(1),
        _ => *scroll,
    };
    stay()
}

pub fn draw(frame: &mut Frame, app: &App, main: Rect, scroll: u16) {
    let roster = &app.model.team.roster;
    let area = centered(main, 110, (roster.len() as u16 + 5).max(7));
    frame.render_widget(Clear, area);
    let block = dialog_block(
        app,
        &format!("Who is here ({})", roster.len()),
        &hint(
            app,
            &[
                Part::Keys(Layer::Who, &[DialogAction::Down, DialogAction::Up], "scroll"),
                Part::Keys(Layer::Who, &[DialogAction::Close], "close"),
            ],
        ),
    );
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
