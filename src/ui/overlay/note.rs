//! `C` (palette: `add-note`): writes a note into the session's timeline, as
//! `warroom note` and plain mode's `note` do (`note.added`). A note that
//! names an item (a step, criterion, probe or rollback id) also shows in that
//! item's details; every console's activity feed (`A`) lists it and the
//! others are told at once (docs/console.md, "Notes and others' acts").

use ratatui::crossterm::event::KeyEvent;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::text::Line;
use ratatui::widgets::{Block, Borders, Clear, Paragraph};
use ratatui::Frame;
use ratatui_textarea::TextArea;

use super::hint::{dialog_key, hint, Part};
use super::{act, centered, close, done, stay, Handled, Layer};
use crate::domain::event::EventKind;
use crate::ui::action::DialogAction;
use crate::ui::app::{App, MsgKind};
use crate::ui::chrome::{dialog_block, styled};
use crate::ui::effect::Effect;
use crate::ui::text::clean;
use crate::ui::theme::Role;

pub struct NoteDialog {
    pub text: TextArea<'static>,
    pub error: Option<String>,
}

impl Default for NoteDialog {
    fn default() -> Self {
        let mut text = TextArea::default();
        text.set_placeholder_text("what happened, in one line (name a step or criterion id to file it there)");
        text.set_cursor_line_style(ratatui::style::Style::default());
        NoteDialog { text, error: None }
    }
}

pub fn on_key(app: &App, d: &mut NoteDialog, key: KeyEvent) -> Handled {
    let action = act(app, Layer::Note, &key);
    if action == Some(DialogAction::Close) {
        return close();
    }
    if action == Some(DialogAction::Submit) {
        let text = d.text.lines().join(" ").trim().to_string();
        if text.is_empty() {
            d.error = Some(format!(
                "the note is empty: type what to record, or {}",
                dialog_key(app, Layer::Note, DialogAction::Close, false)
            ));
            return stay();
        }
        if let Some(why) = app.refusal() {
            return done(vec![why]);
        }
        let said = Effect::Say(format!("note recorded: {}", clean(&text)), MsgKind::Info);
        return done(vec![said, app.append(EventKind::NoteAdded { text })]);
    }
    d.text.input(key);
    d.error = None;
    stay()
}

pub fn draw(frame: &mut Frame, app: &App, main: Rect, d: &NoteDialog) {
    let area = centered(main, 90, 7);
    frame.render_widget(Clear, area);
    let block = dialog_block(
        app,
        "Add a note",
        &hint(
            app,
            &[
                Part::Text("type the note"),
                Part::Keys(Layer::Note, &[DialogAction::Submit], "record"),
                Part::Keys(Layer::Note, &[DialogAction::Close], "cancel"),
            ],
        ),
    );
    let inner = block.inner(area);
    frame.render_widget(block, area);
    let [field, err] = Layout::vertical([Constraint::Length(3), Constraint::Length(1)]).areas(inner);
    let mut ta = d.text.clone();
    ta.set_block(Block::default().borders(Borders::ALL).title(format!(" note by {} ", clean(&app.model.operator))));
    frame.render_widget(&ta, field);
    if let Some(e) = &d.error {
        frame.render_widget(Paragraph::new(Line::from(styled(app, Role::Fail, e.clone()))), err);
    }
}
