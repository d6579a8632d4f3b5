//! A yes/no question that names what it is about (A5). `y` does it; `n`,
//! `Esc` or `q` back out.

use ratatui::crossterm::event::KeyEvent;
use ratatui::layout::Rect;
use ratatui::text::Line;
use ratatui::widgets::{Clear, Paragraph, Wrap};
use ratatui::Frame;

use super::hint::{hint, shown, Part};
use super::{act, centered, close, done, stay, Handled, Layer};
use crate::ui::action::DialogAction;
use crate::ui::app::App;
use crate::ui::chrome::{dialog_block, styled};
use crate::ui::effect::Effect;
use crate::ui::keymap::Keymap;
use crate::ui::theme::Role;

pub struct Confirm {
    pub title: String,
    pub question: String,
    pub on_yes: Vec<Effect>,
}

/// "(y: declare · n/Esc/q: cancel)": a question's answers with the keys
/// `[dialog.confirm]` gives them in the live keymap.
pub fn answers(keymap: &Keymap, yes: &str, no: &str) -> String {
    let keys = |a| keymap.dialog_keys_of(Layer::Confirm, a).iter().map(shown).collect::<Vec<_>>().join("/");
    format!("({}: {yes} · {}: {no})", keys(DialogAction::Yes), keys(DialogAction::No))
}

impl Confirm {
    pub fn quit(running: &[String], keymap: &Keymap) -> Confirm {
        Confirm {
            title: "Quit?".into(),
            question: format!(
                "{} still running. Quit the console anyway? Runs started from this console are aborted \
                 (TERM, then KILL) and journaled. {}",
                running.join(", "),
                answers(keymap, "quit", "stay")
            ),
            on_yes: vec![Effect::Quit],
        }
    }
}

pub fn on_key(app: &App, c: &mut Confirm, key: KeyEvent) -> Handled {
    match act(app, Layer::Confirm, &key) {
        Some(DialogAction::No) => close(),
        Some(DialogAction::Yes) => done(std::mem::take(&mut c.on_yes)),
        _ => stay(),
    }
}

pub fn draw(frame: &mut Frame, app: &App, main: Rect, c: &Confirm) {
    // The question may hold several lines (a multi-line command): size to fit what wraps.
    let inner = 60usize;
    let rows: usize = c.question.split('\n').map(|l| crate::ui::text::width(l).div_ceil(inner).max(1)).sum();
    let area = centered(main, 64, (rows as u16).saturating_add(2).clamp(7, main.height.max(7)));
    frame.render_widget(Clear, area);
    let lines: Vec<Line> = c.question.split('\n').map(|l| Line::from(styled(app, Role::Warn, l.to_string()))).collect();
    let p = Paragraph::new(lines).wrap(Wrap { trim: true }).block(dialog_block(
        app,
        &c.title,
        &hint(
            app,
            &[
                Part::Keys(Layer::Confirm, &[DialogAction::Yes], "yes"),
                Part::Keys(Layer::Confirm, &[DialogAction::No], "no"),
            ],
        ),
    ));
    frame.render_widget(p, area);
}
