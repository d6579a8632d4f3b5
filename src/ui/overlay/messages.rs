//! `m`: the message history, newest at the bottom (opened at the end).

use ratatui::crossterm::event::KeyEvent;
use ratatui::layout::Rect;
use ratatui::text::Line;
use ratatui::widgets::{Clear, Paragraph, Wrap};
use ratatui::Frame;

use super::hint::{hint, Part};
use super::{act, centered, done, stay, Handled, Layer};
use crate::ui::action::DialogAction;
use crate::ui::app::{App, MsgKind};
use crate::ui::chrome::{dialog_block, styled};
use crate::ui::effect::{Effect, ModelChange};
use crate::ui::text::clean;
use crate::ui::theme::Role;
use crate::ui::timefmt;

/// One line per message: time, kind in a word (never colour alone), text.
pub fn lines(app: &App) -> Vec<Line<'static>> {
    let mut out = Vec::new();
    if app.model.messages.dropped() > 0 {
        out.push(Line::from(styled(
            app,
            Role::Muted,
            format!("({} older messages no longer kept)", app.model.messages.dropped()),
        )));
    }
    if app.model.messages.is_empty() {
        out.push(Line::from(styled(app, Role::Muted, "no messages yet")));
    }
    for m in app.model.messages.iter() {
        let (word, role) = match m.kind {
            MsgKind::Info => ("info ", Role::Accent),
            MsgKind::Warn => ("WARN ", Role::Warn),
            MsgKind::Error => ("ERROR", Role::Fail),
        };
        out.push(Line::from(vec![
            styled(app, Role::Muted, format!("{} ", timefmt::hms(m.at))),
            styled(app, role, format!("{word} ")),
            styled(app, Role::Text, clean(&m.text)),
        ]));
    }
    out
}

/// `scroll`: `None` follows the end (the newest in view).
pub fn on_key(app: &App, scroll: &mut Option<u16>, key: KeyEvent) -> Handled {
    let action = act(app, Layer::Messages, &key);
    if action == Some(DialogAction::Close) {
        // Messages said while it was open were read as they arrived.
        return done(vec![Effect::Model(ModelChange::MessagesRead)]);
    }
    let max = lines(app).len().saturating_sub(1) as u16;
    *scroll = super::follow_scroll(*scroll, max, action);
    stay()
}

pub fn draw(frame: &mut Frame, app: &App, main: Rect, scroll: Option<u16>) {
    // As wide as the screen allows (up to 160), and long messages wrap: a
    // refusal's reason is at its end.
    let area = centered(main, main.width.saturating_sub(4).clamp(20, 160), main.height.saturating_sub(2));
    frame.render_widget(Clear, area);
    let title = format!("Message history ({})", app.model.messages.len());
    let block = dialog_block(
        app,
        &title,
        &hint(
            app,
            &[
                Part::Keys(Layer::Messages, &[DialogAction::Down, DialogAction::Up], "scroll"),
                Part::Keys(Layer::Messages, &[DialogAction::Top, DialogAction::Bottom], "top/end"),
                Part::Keys(Layer::Messages, &[DialogAction::Close], "close"),
            ],
        ),
    );
    super::draw_following(frame, area, Paragraph::new(lines(app)).wrap(Wrap { trim: false }), block, scroll);
}
