//! `/`: typing moves the selection to the first match in the focused pane,
//! `Enter` keeps it (and `n`/`N` go on from there), `Esc` puts it back.

use ratatui::crossterm::event::{KeyCode, KeyEvent, KeyModifiers};

use super::hint::{hint, Part};
use super::{act, close, done, stay, Handled, Layer, Transition};
use crate::ui::action::{Action, DialogAction};
use crate::ui::app::{App, MsgKind};
use crate::ui::effect::{Effect, ViewChange};
use crate::ui::items;
use crate::ui::panes::PaneId;
use crate::ui::text::clean;

#[derive(Clone, Debug)]
pub struct SearchPrompt {
    pub pane: PaneId,
    /// Selection before the search, restored by Esc.
    pub saved: usize,
    pub query: String,
}

impl SearchPrompt {
    pub fn new(pane: PaneId, saved: usize) -> Self {
        SearchPrompt { pane, saved, query: String::new() }
    }
}

pub fn on_key(app: &App, s: &mut SearchPrompt, key: KeyEvent) -> Handled {
    let ctrl = key.modifiers.contains(KeyModifiers::CONTROL);
    if s.pane == PaneId::Logs {
        return on_log_key(app, s, key);
    }
    let select = |i| Effect::View(ViewChange::Select(s.pane, i));
    match act(app, Layer::Search, &key) {
        Some(DialogAction::Close) => return done(vec![select(s.saved)]),
        Some(DialogAction::Submit) => {
            let mut effects = Vec::new();
            if !s.query.is_empty() {
                let n = items::matches(&app.model.runbook, s.pane, &s.query).len();
                effects.push(Effect::View(ViewChange::LastSearch(s.pane, s.query.clone())));
                if n == 0 {
                    effects.push(select(s.saved));
                    effects.push(Effect::Say(format!("no match for \"{}\"", s.query), MsgKind::Warn));
                } else {
                    let steps = super::hint::search_steps(app, s.pane, "next", "previous");
                    let found = super::hint::matches(n);
                    effects.push(Effect::Say(format!("/{}: {found} · {steps}", s.query), MsgKind::Info));
                }
            }
            return done(effects);
        }
        Some(a @ (DialogAction::Down | DialogAction::Up)) => {
            // The step's own message gives way to the prompt on the message line.
            let step = if a == DialogAction::Down { Action::SearchNext } else { Action::SearchPrev };
            let effects = vec![
                Effect::View(ViewChange::LastSearch(s.pane, s.query.clone())),
                Effect::Run(step),
                Effect::View(ViewChange::Dismiss),
            ];
            return (Transition::Stay, effects);
        }
        _ => {}
    }
    match key.code {
        KeyCode::Backspace => {
            s.query.pop();
        }
        KeyCode::Char(c) if !ctrl => s.query.push(c),
        _ => return stay(),
    }
    let first = items::matches(&app.model.runbook, s.pane, &s.query).first().copied();
    (Transition::Stay, vec![select(first.unwrap_or(s.saved))])
}

/// In the Logs pane `/` searches the selected log's kept lines, not the list
/// of logs: `Enter` goes to the newest hit at or above the view (`ui::logs_view`).
fn on_log_key(app: &App, s: &mut SearchPrompt, key: KeyEvent) -> Handled {
    match act(app, Layer::Search, &key) {
        Some(DialogAction::Close) => return close(),
        Some(DialogAction::Submit) => {
            let log = app.model.runbook.logs.get(app.selected(PaneId::Logs)).map(|l| l.id.clone());
            let search =
                log.filter(|_| !s.query.is_empty()).map(|log| ViewChange::LogSearch { log, query: s.query.clone() });
            return done(search.map(Effect::View).into_iter().collect());
        }
        _ => {}
    }
    match key.code {
        KeyCode::Backspace => {
            s.query.pop();
        }
        KeyCode::Char(c) if !key.modifiers.contains(KeyModifiers::CONTROL) => s.query.push(c),
        _ => {}
    }
    stay()
}

/// What the message line shows while searching.
pub fn prompt_text(app: &App, s: &SearchPrompt) -> String {
    if s.pane == PaneId::Logs {
        let log = app.model.runbook.logs.get(app.selected(PaneId::Logs)).map(|l| clean(&l.id)).unwrap_or_default();
        let keys = hint(
            app,
            &[
                Part::Keys(Layer::Search, &[DialogAction::Submit], "find"),
                Part::Keys(Layer::Search, &[DialogAction::Close], "cancel"),
            ],
        );
        return format!("/{}█   in log {log} · {keys}", clean(&s.query));
    }
    let n = items::matches(&app.model.runbook, s.pane, &s.query).len();
    let found = if s.query.is_empty() {
        String::new()
    } else if n == 0 {
        "  (no match)".into()
    } else {
        format!("  ({n} match{})", if n == 1 { "" } else { "es" })
    };
    let keys = hint(
        app,
        &[
            Part::Keys(Layer::Search, &[DialogAction::Submit], "keep"),
            Part::Keys(Layer::Search, &[DialogAction::Close], "cancel"),
            Part::Keys(Layer::Search, &[DialogAction::Up, DialogAction::Down], "previous/next"),
        ],
    );
    format!("/{}█{found}   {keys}", s.query)
}
