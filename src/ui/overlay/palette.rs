//! `:`: every action by name with fuzzy completion (A3).

use ratatui::crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
use ratatui::layout::Rect;
use ratatui::text::Line;
use ratatui::widgets::{Clear, Paragraph};
use ratatui::Frame;

use super::hint::{hint, Part};
use super::{act, centered, close, done, stay, Handled, Layer};
use crate::ui::action::Action;
use crate::ui::action::DialogAction;
use crate::ui::app::App;
use crate::ui::chrome::{dialog_block, styled};
use crate::ui::effect::Effect;
use crate::ui::fuzzy;
use crate::ui::text::pad;
use crate::ui::theme::Role;

#[derive(Clone, Debug, Default)]
pub struct Palette {
    pub query: String,
    pub selected: usize,
}

/// Actions matching the query, best first.
pub fn matches(query: &str) -> Vec<Action> {
    let mut scored: Vec<(i64, usize, Action)> = Action::ALL
        .iter()
        .enumerate()
        .filter_map(|(i, a)| {
            let by_name = fuzzy::score(query, a.name());
            let by_text = fuzzy::score(query, a.describe()).map(|s| s - 10_000);
            by_name.max(by_text).map(|s| (s, i, *a))
        })
        .collect();
    if !query.is_empty() {
        scored.sort_by(|a, b| b.0.cmp(&a.0).then(a.1.cmp(&b.1)));
    }
    scored.into_iter().map(|(_, _, a)| a).collect()
}

pub fn on_key(app: &App, p: &mut Palette, key: KeyEvent) -> Handled {
    let ctrl = key.modifiers.contains(KeyModifiers::CONTROL);
    let found = matches(&p.query);
    match act(app, Layer::Palette, &key) {
        Some(DialogAction::Close) => return close(),
        Some(DialogAction::Submit) => {
            let Some(a) = found.get(p.selected).copied() else { return stay() };
            return done(vec![Effect::Run(a)]);
        }
        Some(DialogAction::Down) => {
            p.selected = (p.selected + 1).min(found.len().saturating_sub(1));
            return stay();
        }
        Some(DialogAction::Up) => {
            p.selected = p.selected.saturating_sub(1);
            return stay();
        }
        _ => {}
    }
    match key.code {
        KeyCode::Backspace => {
            p.query.pop();
            p.selected = 0;
        }
        KeyCode::Char(c) if !ctrl => {
            p.query.push(c);
            p.selected = 0;
        }
        _ => {}
    }
    stay()
}

pub fn draw(frame: &mut Frame, app: &App, main: Rect, p: &Palette) {
    let area = centered(main, 80, main.height.saturating_sub(4).min(24));
    frame.render_widget(Clear, area);
    let found = matches(&p.query);
    let mut lines = vec![Line::from(vec![
        styled(app, Role::Accent, ": "),
        styled(app, Role::Text, p.query.clone()),
        styled(app, Role::Focus, "█"),
    ])];
    if found.is_empty() {
        lines.push(Line::from(styled(app, Role::Muted, "no action matches")));
    }
    let room = area.height.saturating_sub(3) as usize;
    let start = p.selected.saturating_sub(room.saturating_sub(1));
    for (i, a) in found.iter().enumerate().skip(start).take(room) {
        let sel = i == p.selected;
        let marker = if sel { app.view.symbols.selection_marker() } else { " " };
        let mut line = Line::from(vec![
            styled(app, Role::Accent, format!("{marker} {}", pad(a.name(), 18))),
            styled(app, Role::Muted, pad(&app.view.keymap.label(*a), 14)),
            styled(app, Role::Text, format!(" {}", a.describe())),
        ]);
        if sel {
            line = line.style(app.view.theme.style(Role::Selection));
        }
        lines.push(line);
    }
    let block = dialog_block(
        app,
        "Command palette",
        &hint(
            app,
            &[
                Part::Text("type to filter"),
                Part::Keys(Layer::Palette, &[DialogAction::Up, DialogAction::Down], "choose"),
                Part::Keys(Layer::Palette, &[DialogAction::Submit], "run"),
                Part::Keys(Layer::Palette, &[DialogAction::Close], "close"),
            ],
        ),
    );
    frame.render_widget(Paragraph::new(lines).block(block), area);
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn palette_lists_every_action_and_filters() {
        assert_eq!(matches("").len(), Action::ALL.len());
        assert_eq!(matches("mark-pass").first(), Some(&Action::MarkPass));
        assert_eq!(matches("walk").first(), Some(&Action::Walkthrough));
        assert!(matches("zzzz").is_empty());
    }
}
