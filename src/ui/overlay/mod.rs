//! Dialogs and overlays drawn over the panes, on a stack (`stack`): keys go
//! to the top one, whose handler answers with a `Transition` and effects
//! (docs/console.md, "Dialogs"). Their keys come from the keymap, one layer
//! per dialog (`layer`, `[dialog.<name>]` in keys.toml): by default `Esc`
//! closes any of them and `q` never quits the app: in overlays without a
//! text field `q` closes too; in text fields it is just a letter.
//!
//! A handler is `fn on_key(app: &App, dialog: &mut D, key) -> Handled`: it
//! changes only its own dialog's state and reads the rest. It reads the whole
//! `App` (its model and its view) rather than `&Model` and a `&Keymap` apart
//! because the line builders it shares with drawing (details, help, messages,
//! templates) read `&App`, and the keys resolve through the view's keymap.
//! What it does beyond its own state is an effect: `Effect::Say`,
//! `Effect::Run(action)`, `Effect::Model(..)`, `Effect::View(..)` (applied by
//! `App::apply` in [`on_key`]) and the driver's effects (journal appends, copy, runs).

pub mod activity;
pub mod confirm;
pub mod decision;
pub mod declare;
pub mod details;
pub mod handover;
pub mod help;
pub mod hint;
pub mod layer;
pub mod log_view;
pub mod messages;
pub mod note;
pub mod operator;
pub mod palette;
pub mod rollback;
pub mod search;
pub mod stack;
pub mod templates;
pub mod text;
pub mod walkthrough;
pub mod who;

use ratatui::crossterm::event::KeyEvent;
use ratatui::layout::{Constraint, Flex, Layout, Rect};
use ratatui::Frame;

use super::action::DialogAction;
use super::app::App;
use super::effect::Effect;
pub use layer::Layer;
pub use stack::{close, done, stay, DialogStack, Handled, Transition};

pub enum Overlay {
    Help {
        scroll: u16,
    },
    /// The message history; `scroll: None` keeps the newest in view.
    Messages {
        scroll: Option<u16>,
    },
    Palette(palette::Palette),
    Search(search::SearchPrompt),
    Details(details::DetailsView),
    /// A log full-screen (Enter in the Logs pane).
    Log(log_view::LogView),
    Decision(Box<decision::DecisionDialog>),
    Walkthrough(walkthrough::Walkthrough),
    Operator(Box<operator::OperatorDialog>),
    Confirm(confirm::Confirm),
    Templates(templates::TemplatesDialog),
    Rollback(rollback::RollbackDialog),
    Who {
        scroll: u16,
    },
    Declare(Box<declare::DeclareDialog>),
    Handover(handover::HandoverView),
    /// A titled list of lines (why not GO, what changed).
    Text(text::TextView),
    /// Writing a note (`C`).
    Note(Box<note::NoteDialog>),
    /// The activity feed (`A`); `scroll: None` keeps the newest in view.
    Activity {
        scroll: Option<u16>,
    },
}

impl Overlay {
    pub fn name(&self) -> &'static str {
        match self {
            Overlay::Help { .. } => "help",
            Overlay::Messages { .. } => "messages",
            Overlay::Palette(_) => "palette",
            Overlay::Search(_) => "search",
            Overlay::Details(_) => "details",
            Overlay::Log(_) => "log",
            Overlay::Decision(_) => "decision",
            Overlay::Walkthrough(_) => "walkthrough",
            Overlay::Operator(_) => "operator",
            Overlay::Confirm(_) => "confirm",
            Overlay::Templates(_) => "templates",
            Overlay::Rollback(_) => "rollback",
            Overlay::Who { .. } => "who",
            Overlay::Declare(_) => "declare",
            Overlay::Handover(_) => "handover",
            Overlay::Text(_) => "text",
            Overlay::Note(_) => "note",
            Overlay::Activity { .. } => "activity",
        }
    }
}

/// What `key` does in the dialog layer `layer`, as the live keymap binds it.
pub fn act(app: &App, layer: Layer, key: &KeyEvent) -> Option<DialogAction> {
    app.view.keymap.dialog_action(layer, key)
}

/// A key for the top dialog: its handler reads the app and answers with a
/// transition and effects; the effects that change the app are applied here
/// (`App::apply`, before the transition, so a dialog an action opens takes
/// the handler's place), the stack applies the transition, and the rest go
/// to the driver.
pub fn on_key(app: &mut App, key: KeyEvent) -> Vec<Effect> {
    let Some(mut top) = app.view.overlay.take_top() else { return Vec::new() };
    let below = app.view.overlay.len();
    let (t, effects) = match &mut top {
        Overlay::Help { scroll } => help::on_key(app, scroll, key),
        Overlay::Messages { scroll } => messages::on_key(app, scroll, key),
        Overlay::Palette(p) => palette::on_key(app, p, key),
        Overlay::Search(s) => search::on_key(app, s, key),
        Overlay::Details(v) => details::on_key(app, v, key),
        Overlay::Log(v) => log_view::on_key(app, v, key),
        Overlay::Decision(d) => decision::on_key(app, d, key),
        Overlay::Walkthrough(w) => walkthrough::on_key(app, w, key),
        Overlay::Operator(o) => operator::on_key(app, o, key),
        Overlay::Confirm(c) => confirm::on_key(app, c, key),
        Overlay::Templates(t) => templates::on_key(app, t, key),
        Overlay::Rollback(r) => rollback::on_key(app, r, key),
        Overlay::Who { scroll } => who::on_key(app, scroll, key),
        Overlay::Declare(d) => declare::on_key(app, d, key),
        Overlay::Handover(v) => handover::on_key(app, v, key),
        Overlay::Text(v) => text::on_key(app, v, key),
        Overlay::Note(n) => note::on_key(app, n, key),
        Overlay::Activity { scroll } => activity::on_key(app, scroll, key),
    };
    let rest = app.apply(effects);
    app.view.overlay.settle(below, top, t);
    rest
}

/// Draws the open dialogs, bottom to top.
pub fn draw(frame: &mut Frame, app: &App, drawn: &mut crate::ui::view::Drawn, main: Rect) {
    for ov in app.view.overlay.iter() {
        draw_one(frame, app, drawn, main, ov);
    }
}

fn draw_one(frame: &mut Frame, app: &App, drawn: &mut crate::ui::view::Drawn, main: Rect, ov: &Overlay) {
    match ov {
        Overlay::Help { scroll } => help::draw(frame, app, drawn, main, *scroll),
        Overlay::Messages { scroll } => messages::draw(frame, app, main, *scroll),
        Overlay::Palette(p) => palette::draw(frame, app, main, p),
        Overlay::Search(_) => {} // drawn in the message line by the status pane
        Overlay::Details(v) => details::draw(frame, app, drawn, main, v),
        Overlay::Log(v) => log_view::draw(frame, app, drawn, main, v),
        Overlay::Decision(d) => decision::draw(frame, app, main, d),
        Overlay::Walkthrough(w) => walkthrough::draw(frame, app, main, w),
        Overlay::Operator(o) => operator::draw(frame, app, main, o),
        Overlay::Confirm(c) => confirm::draw(frame, app, main, c),
        Overlay::Templates(t) => templates::draw(frame, app, main, t),
        Overlay::Rollback(r) => rollback::draw(frame, app, main, r),
        Overlay::Who { scroll } => who::draw(frame, app, main, *scroll),
        Overlay::Declare(d) => declare::draw(frame, app, main, d),
        Overlay::Handover(v) => handover::draw(frame, app, main, v),
        Overlay::Text(v) => text::draw(frame, app, drawn, main, v),
        Overlay::Note(n) => note::draw(frame, app, main, n),
        Overlay::Activity { scroll } => activity::draw(frame, app, main, *scroll),
    }
}

/// A centred box of at most `w`×`h` inside `area`.
pub fn centered(area: Rect, w: u16, h: u16) -> Rect {
    let [v] = Layout::vertical([Constraint::Length(h.min(area.height))]).flex(Flex::Center).areas(area);
    let [r] = Layout::horizontal([Constraint::Length(w.min(area.width))]).flex(Flex::Center).areas(v);
    r
}

/// The scroll actions of a list that follows its end (message history, activity):
/// `scroll` is the top row, `None` while following the newest; `max` its last row.
pub fn follow_scroll(scroll: Option<u16>, max: u16, action: Option<DialogAction>) -> Option<u16> {
    let at = scroll.unwrap_or(max);
    match action {
        Some(DialogAction::Down) => Some((at + 1).min(max)),
        Some(DialogAction::Up) => Some(at.saturating_sub(1)),
        Some(DialogAction::PageDown) => Some((at + 10).min(max)),
        Some(DialogAction::PageUp) => Some(at.saturating_sub(10)),
        Some(DialogAction::Top) => Some(0),
        Some(DialogAction::Bottom) => None,
        _ => scroll,
    }
}

/// Draws wrapped `para` in `block` over `area`, scrolled to `scroll` (`None`:
/// the end, so the newest line is in view however long the lines wrap).
pub fn draw_following(
    frame: &mut ratatui::Frame,
    area: ratatui::layout::Rect,
    para: ratatui::widgets::Paragraph<'_>,
    block: ratatui::widgets::Block<'_>,
    scroll: Option<u16>,
) {
    let inner_w = area.width.saturating_sub(2);
    let inner_h = area.height.saturating_sub(2) as usize;
    let end = para.line_count(inner_w).saturating_sub(inner_h) as u16;
    let top = scroll.map_or(end, |s| s.min(end));
    frame.render_widget(para.block(block).scroll((top, 0)), area);
}

#[cfg(test)]
mod tests {
    use ratatui::crossterm::event::{KeyCode, KeyModifiers};

    use super::*;
    use crate::domain::event::EventKind;
    use crate::ui::action::Action;
    use crate::ui::app::{AppConfig, MsgKind};

    fn app(read_only: Option<String>) -> App {
        let toml = "[runbook]\nid = \"t\"\ntitle = \"t\"\n";
        let rb = match crate::domain::loader::load_bytes(std::path::Path::new("t.toml"), toml.as_bytes()) {
            Ok(l) => l.runbook,
            Err(d) => panic!("test runbook: {d:?}"),
        };
        App::new(AppConfig {
            runbook: rb,
            operator: "ana".into(),
            read_only,
            keymap: crate::ui::keymap::Keymap::default_map(),
            theme: crate::ui::theme::Theme::builtin("dark", crate::ui::theme::ColorDepth::TrueColor),
            layout: crate::ui::layout::Layout::builtin("t0"),
            config_dir: None,
            symbols: crate::ui::symbols::Symbols { ascii: false },
            now: chrono::Utc::now(),
        })
    }

    fn key(code: KeyCode) -> KeyEvent {
        KeyEvent::new(code, KeyModifiers::NONE)
    }

    #[test]
    fn a_handler_answers_with_effects_and_the_stack_applies_them() {
        let mut a = app(Some("replaying".into()));
        let mut note = note::NoteDialog::default();
        let (_, typed) = note::on_key(&a, &mut note, key(KeyCode::Char('x')));
        assert!(typed.is_empty());
        // The handler only answers: nothing is said until the answer is applied.
        let (t, effects) = note::on_key(&a, &mut note, key(KeyCode::Enter));
        assert!(matches!(t, Transition::Pop));
        assert_eq!(effects, vec![Effect::Say("read-only: replaying".into(), MsgKind::Warn)]);
        assert_eq!(a.message(), None);
        // Through the stack the same key says it, closes the dialog and leaves nothing for the driver.
        a.view.overlay.open(Overlay::Note(Box::new(note)));
        assert!(a.on_key(key(KeyCode::Enter)).is_empty());
        assert_eq!(a.message(), Some(("read-only: replaying", MsgKind::Warn)));
        assert!(!a.view.overlay.is_open());
    }

    #[test]
    fn the_operator_switch_is_applied_before_its_record_is_journaled_as_the_one_handing_over() {
        let mut a = app(None);
        a.update(Action::SwitchOperator);
        assert_eq!(a.view.overlay.name(), Some("operator"));
        for c in "bob".chars() {
            a.on_key(key(KeyCode::Char(c)));
        }
        let effects = a.on_key(key(KeyCode::Enter));
        let switched = EventKind::OperatorSwitched { from: "ana".into(), to: "bob".into() };
        assert_eq!(effects, vec![Effect::Append { operator: "ana".into(), event: switched }]);
        assert_eq!(a.model.operator, "bob");
        assert!(a.message().is_some_and(|(m, _)| m.starts_with("operator is now bob")), "{:?}", a.message());
        assert!(!a.view.overlay.is_open());
    }
}
