//! Dialogs and overlays drawn over the panes. Inside any of them `Esc`
//! closes it and `q` never quits the app (A1): in overlays without a text
//! field `q` closes too; in text fields it is just a letter.

pub mod activity;
pub mod confirm;
pub mod decision;
pub mod declare;
pub mod details;
pub mod handover;
pub mod help;
pub mod log_view;
pub mod messages;
pub mod note;
pub mod operator;
pub mod palette;
pub mod rollback;
pub mod search;
pub mod templates;
pub mod text;
pub mod walkthrough;
pub mod who;

use ratatui::crossterm::event::{KeyCode, KeyEvent};
use ratatui::layout::{Constraint, Flex, Layout, Rect};
use ratatui::Frame;

use super::app::App;
use super::effect::Effect;

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

/// What a dialog's key handler decided.
pub enum Outcome {
    Keep(Overlay),
    Close,
    /// Close and run these effects.
    Done(Vec<Effect>),
    /// Stay open and run these effects (copying a link from details).
    Also(Overlay, Vec<Effect>),
}

pub fn is_close(key: &KeyEvent, text_field: bool) -> bool {
    key.code == KeyCode::Esc || (!text_field && key.code == KeyCode::Char('q') && key.modifiers.is_empty())
}

pub fn on_key(app: &mut App, key: KeyEvent) -> Vec<Effect> {
    let Some(ov) = app.view.overlay.take() else { return Vec::new() };
    let outcome = match ov {
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
    match outcome {
        Outcome::Keep(ov) => {
            // A handler that ran an action may have opened another overlay; that one wins.
            if app.view.overlay.is_none() {
                app.view.overlay = Some(ov);
            }
            Vec::new()
        }
        Outcome::Close => Vec::new(),
        Outcome::Done(e) => e,
        Outcome::Also(ov, e) => {
            if app.view.overlay.is_none() {
                app.view.overlay = Some(ov);
            }
            e
        }
    }
}

pub fn draw(frame: &mut Frame, app: &App, drawn: &mut crate::ui::view::Drawn, main: Rect) {
    let Some(ov) = &app.view.overlay else { return };
    match ov {
        Overlay::Help { scroll } => help::draw(frame, app, main, *scroll),
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
        Overlay::Text(v) => text::draw(frame, app, main, v),
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

/// The scroll keys of a list that follows its end (message history, activity):
/// `scroll` is the top row, `None` while following the newest; `max` its last row.
pub fn follow_scroll(scroll: Option<u16>, max: u16, code: KeyCode) -> Option<u16> {
    let at = scroll.unwrap_or(max);
    match code {
        KeyCode::Down | KeyCode::Char('j') => Some((at + 1).min(max)),
        KeyCode::Up | KeyCode::Char('k') => Some(at.saturating_sub(1)),
        KeyCode::PageDown => Some((at + 10).min(max)),
        KeyCode::PageUp => Some(at.saturating_sub(10)),
        KeyCode::Home | KeyCode::Char('g') => Some(0),
        KeyCode::End | KeyCode::Char('G') => None,
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
