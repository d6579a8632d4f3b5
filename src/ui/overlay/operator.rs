//! `o`: who is at the keyboard. Pairing in one tmux session, the second
//! person types their name; every later act carries it (`operator.switched`).

use ratatui::crossterm::event::{KeyCode, KeyEvent};
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::text::Line;
use ratatui::widgets::{Block, Borders, Clear, Paragraph};
use ratatui::Frame;
use ratatui_textarea::TextArea;

use super::{centered, is_close, Outcome, Overlay};
use crate::domain::event::EventKind;
use crate::ui::app::{App, MsgKind};
use crate::ui::chrome::{dialog_block, styled};
use crate::ui::effect::Effect;
use crate::ui::text::clean;
use crate::ui::theme::Role;

pub struct OperatorDialog {
    pub input: TextArea<'static>,
    pub error: Option<String>,
}

impl OperatorDialog {
    pub fn new(current: &str) -> Self {
        let mut input = TextArea::default();
        input.set_placeholder_text(format!("name@host (now: {})", clean(current)));
        input.set_cursor_line_style(ratatui::style::Style::default());
        OperatorDialog { input, error: None }
    }
}

pub fn on_key(app: &mut App, mut o: Box<OperatorDialog>, key: KeyEvent) -> Outcome {
    if is_close(&key, true) {
        return Outcome::Close;
    }
    if key.code == KeyCode::Enter {
        let to = o.input.lines().join(" ").trim().to_string();
        if to.is_empty() {
            o.error = Some("type a name, or Esc to keep the current one".into());
            return Outcome::Keep(Overlay::Operator(o));
        }
        if to == app.operator {
            return Outcome::Close;
        }
        let from = std::mem::replace(&mut app.operator, to.clone());
        app.say(format!("operator is now {}", clean(&to)), MsgKind::Info);
        return Outcome::Done(vec![Effect::Append {
            operator: from.clone(),
            event: EventKind::OperatorSwitched { from, to },
        }]);
    }
    o.input.input(key);
    o.error = None;
    Outcome::Keep(Overlay::Operator(o))
}

pub fn draw(frame: &mut Frame, app: &App, main: Rect, o: &OperatorDialog) {
    let area = centered(main, 60, 8);
    frame.render_widget(Clear, area);
    let block = dialog_block(app, "Who is at the keyboard?", "Enter switch · Esc cancel");
    let inner = block.inner(area);
    frame.render_widget(block, area);
    let [now, input, err] =
        Layout::vertical([Constraint::Length(1), Constraint::Length(3), Constraint::Length(1)]).areas(inner);
    frame.render_widget(
        Paragraph::new(Line::from(vec![
            styled(app, Role::Muted, "now: "),
            styled(app, Role::Accent, clean(&app.operator)),
        ])),
        now,
    );
    let mut ta = o.input.clone();
    ta.set_block(Block::default().borders(Borders::ALL));
    frame.render_widget(&ta, input);
    if let Some(e) = &o.error {
        frame.render_widget(Paragraph::new(styled(app, Role::Fail, e.clone())), err);
    }
}
