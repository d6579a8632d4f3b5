//! `A`: the activity feed — every person's act and note in the session,
//! from every console and command, oldest first and the newest in view
//! (`ui::activity`). Notes stand out with the word "note".

use ratatui::crossterm::event::KeyEvent;
use ratatui::layout::Rect;
use ratatui::text::Line;
use ratatui::widgets::{Clear, Paragraph, Wrap};
use ratatui::Frame;

use super::hint::{hint, Part};
use super::{act, centered, close, done, stay, Handled, Layer};
use crate::ui::action::DialogAction;
use crate::ui::app::App;
use crate::ui::chrome::{dialog_block, styled};
use crate::ui::effect::Effect;
use crate::ui::text::clean;
use crate::ui::theme::Role;
use crate::ui::timefmt;

/// One line per act: time, who, what ("note" first for notes).
pub fn lines(app: &App) -> Vec<Line<'static>> {
    let mut out = Vec::new();
    if app.model.activity.dropped() > 0 {
        out.push(Line::from(styled(
            app,
            Role::Muted,
            format!(
                "({} older records not listed here; the journal and `warroom report` have them)",
                app.model.activity.dropped()
            ),
        )));
    }
    if app.model.activity.is_empty() {
        out.push(Line::from(styled(app, Role::Muted, "nobody has acted yet (C adds a note)")));
    }
    for a in app.model.activity.iter() {
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
pub fn on_key(app: &App, scroll: &mut Option<u16>, key: KeyEvent) -> Handled {
    let action = act(app, Layer::Activity, &key);
    match action {
        Some(DialogAction::Close) => return close(),
        // The note dialog takes this one's place.
        Some(DialogAction::AddNote) => return done(vec![Effect::Run(crate::ui::action::Action::AddNote)]),
        _ => {}
    }
    let max = lines(app).len().saturating_sub(1) as u16;
    *scroll = super::follow_scroll(*scroll, max, action);
    stay()
}

pub fn draw(frame: &mut Frame, app: &App, main: Rect, scroll: Option<u16>) {
    let area = centered(main, 120, main.height.saturating_sub(2));
    frame.render_widget(Clear, area);
    let all = lines(app);
    let block = dialog_block(
        app,
        &format!("Activity ({})", app.model.activity.len()),
        &hint(
            app,
            &[
                Part::Keys(Layer::Activity, &[DialogAction::Down, DialogAction::Up], "scroll"),
                Part::Keys(Layer::Activity, &[DialogAction::Top, DialogAction::Bottom], "top/end"),
                Part::Keys(Layer::Activity, &[DialogAction::AddNote], "add a note"),
                Part::Keys(Layer::Activity, &[DialogAction::Close], "close"),
            ],
        ),
    );
    super::draw_following(frame, area, Paragraph::new(all).wrap(Wrap { trim: false }), block, scroll);
}
