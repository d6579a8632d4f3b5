//! Enter on a log: the log full-screen, its whole kept buffer with the
//! journal's acts between the lines, and the Logs pane's own keys (PageUp /
//! PageDown, `g`/`G`, `F`, `/`, `n`/`N`; `j`/`k` one line). One view state
//! with the pane (`ui::logs_view`), so leaving keeps the place (docs/console.md, "Logs").

use ratatui::crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
use ratatui::layout::Rect;
use ratatui::text::Line;
use ratatui::widgets::{Clear, Paragraph};
use ratatui::Frame;

use super::hint::{hint, Part};
use super::{act, close, stay, Handled, Layer, Transition};
use crate::domain::runbook::LogTarget;
use crate::ui::action::Action;
use crate::ui::action::DialogAction;
use crate::ui::app::App;
use crate::ui::chrome::styled;
use crate::ui::effect::{Effect, ViewChange};
use crate::ui::logs_view;
use crate::ui::panes::logs::{header_state, timeline_line_from};
use crate::ui::panes::PaneId;
use crate::ui::text::{clean, fit};
use crate::ui::theme::Role;

#[derive(Clone, Debug, PartialEq)]
pub struct LogView {
    /// The log's index in the runbook (the Logs pane's selection).
    pub log: usize,
    /// Typing a search after `/`.
    pub typing: Option<String>,
    /// Characters hidden on the left (`→`/`←`), to read lines longer than the screen.
    pub shift: usize,
}

impl LogView {
    pub fn new(log: usize) -> LogView {
        LogView { log, typing: None, shift: 0 }
    }
}

pub fn on_key(app: &App, v: &mut LogView, key: KeyEvent) -> Handled {
    let Some(log) = app.model.runbook.logs.get(v.log).map(|l| l.id.clone()) else { return close() };
    if let Some(mut q) = v.typing.take() {
        match act(app, Layer::Prompt, &key) {
            Some(DialogAction::Close) => {}
            Some(DialogAction::Submit) => {
                if !q.is_empty() {
                    return (Transition::Stay, vec![Effect::View(ViewChange::LogSearch { log, query: q })]);
                }
            }
            _ => match key.code {
                KeyCode::Backspace => {
                    q.pop();
                    v.typing = Some(q);
                }
                KeyCode::Char(c) if !key.modifiers.contains(KeyModifiers::CONTROL) => {
                    q.push(c);
                    v.typing = Some(q);
                }
                _ => v.typing = Some(q),
            },
        }
        return stay();
    }
    // Sideways by half a screen: long lines are cut at the edge, never wrapped,
    // so a line is always one row and a search hit stays where it was put.
    let half = (app.view.drawn.pane_areas.iter().map(|(_, r)| r.right()).max().unwrap_or(80) as usize / 2).max(1);
    match act(app, Layer::Log, &key) {
        Some(DialogAction::Close) => return close(),
        Some(DialogAction::Right) => {
            v.shift += half;
            return stay();
        }
        Some(DialogAction::Left) => {
            v.shift = v.shift.saturating_sub(half);
            return stay();
        }
        _ => {}
    }
    // The keys of the Logs pane, as the keymap (and the user's keys.toml) binds them.
    match app.view.keymap.action_for(PaneId::Logs, &key) {
        Some(Action::Search) => v.typing = Some(String::new()),
        Some(
            a @ (Action::PageUp
            | Action::PageDown
            | Action::MoveUp
            | Action::MoveDown
            | Action::Top
            | Action::Bottom
            | Action::Follow
            | Action::SearchNext
            | Action::SearchPrev),
        ) => {
            let effects = vec![Effect::View(ViewChange::Dismiss), Effect::View(ViewChange::LogKey(a))];
            return (Transition::Stay, effects);
        }
        _ => {}
    }
    stay()
}

pub fn draw(frame: &mut Frame, app: &App, drawn: &mut crate::ui::view::Drawn, main: Rect, v: &LogView) {
    let Some(l) = app.model.runbook.logs.get(v.log).cloned() else { return };
    frame.render_widget(Clear, main);
    let mut title = format!("Log {} · {}", clean(&l.id), header_state(app, &l.id));
    if v.shift > 0 {
        title = format!("{title} · from column {}", v.shift + 1);
    }
    if let Some(q) = logs_view::search_query(app).filter(|_| v.typing.is_none()) {
        let n = logs_view::count_matches(app, drawn, &l.id, &q);
        let typed = logs_view::search_text(app).map(clean).unwrap_or_default();
        title = format!("{title} · /{typed}: {n} line{}", if n == 1 { "" } else { "s" });
    }
    // Scrolling, F, / and n/N are the Logs pane's keys; sideways and close the log view's.
    let hint = match &v.typing {
        Some(q) => {
            let keys = hint(
                app,
                &[
                    Part::Keys(Layer::Prompt, &[DialogAction::Submit], "find"),
                    Part::Keys(Layer::Prompt, &[DialogAction::Close], "cancel"),
                ],
            );
            format!("find: {}▏ · {keys}", clean(q))
        }
        None if main.width >= 100 => hint(
            app,
            &[
                Part::Pane(
                    PaneId::Logs,
                    &[
                        &[Action::PageUp, Action::PageDown],
                        &[Action::MoveDown, Action::MoveUp],
                        &[Action::Top, Action::Bottom],
                    ],
                    "scroll",
                ),
                Part::Keys(Layer::Log, &[DialogAction::Left, DialogAction::Right], "sideways"),
                Part::Pane(PaneId::Logs, &[&[Action::Follow]], "follow"),
                Part::Pane(PaneId::Logs, &[&[Action::Search]], "find"),
                Part::Pane(PaneId::Logs, &[&[Action::SearchNext, Action::SearchPrev]], "older/newer"),
                Part::Keys(Layer::Log, &[DialogAction::Close], "close"),
            ],
        ),
        None => hint(
            app,
            &[
                Part::Pane(PaneId::Logs, &[&[Action::PageUp, Action::PageDown], &[Action::Top, Action::Bottom]], ""),
                Part::Keys(Layer::Log, &[DialogAction::Left, DialogAction::Right], ""),
                Part::Pane(PaneId::Logs, &[&[Action::Follow]], "follow"),
                Part::Pane(PaneId::Logs, &[&[Action::Search], &[Action::SearchNext], &[Action::SearchPrev]], "find"),
                Part::Keys(Layer::Log, &[DialogAction::Close], "close"),
            ],
        ),
    };
    let block = crate::ui::chrome::dialog_block(app, &title, &hint);
    let inner = block.inner(main);
    frame.render_widget(block, main);
    let w = inner.width as usize;
    let source = match &l.target {
        LogTarget::File { path } => format!("file {}", path.display()),
        LogTarget::Command { run } => format!("$ {run}"),
    };
    let mut about = source;
    if let Some(r) = &l.error {
        about.push_str(&format!(" · error /{}/", r.as_str()));
    }
    if let Some(r) = &l.warn {
        about.push_str(&format!(" · warn /{}/", r.as_str()));
    }
    let kept = app.model.live.logs.get(&l.id).map_or(0, |w| w.len());
    about.push_str(&format!(" · {kept} line{} kept", if kept == 1 { "" } else { "s" }));
    // The path is filled with vars at load: a secret var's value shows as its name.
    let mut rows = vec![Line::from(styled(app, Role::Muted, fit(&app.model.shown(&about), w)))];
    let room = (inner.height as usize).saturating_sub(1);
    drawn.log_rows.insert(l.id.clone(), room);
    let query = logs_view::search_query(app);
    rows.extend(
        logs_view::visible(app, &l.id, room)
            .into_iter()
            .map(|r| timeline_line_from(app, &l.id, r, query.as_deref(), w, v.shift)),
    );
    frame.render_widget(Paragraph::new(rows), inner);
}
