//! `/`: typing moves the selection to the first match in the focused pane,
//! `Enter` keeps it (and `n`/`N` go on from there), `Esc` puts it back.

use ratatui::crossterm::event::{KeyCode, KeyEvent, KeyModifiers};

use super::{act, close, stay, Handled, Layer};
use crate::ui::action::DialogAction;
use crate::ui::app::{App, MsgKind};
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

pub fn on_key(app: &mut App, s: &mut SearchPrompt, key: KeyEvent) -> Handled {
    let ctrl = key.modifiers.contains(KeyModifiers::CONTROL);
    if s.pane == PaneId::Logs {
        return on_log_key(app, s, key);
    }
    match act(app, Layer::Search, &key) {
        Some(DialogAction::Close) => {
            app.select(s.pane, s.saved);
            return close();
        }
        Some(DialogAction::Submit) => {
            if !s.query.is_empty() {
                let n = items::matches(&app.model.runbook, s.pane, &s.query).len();
                app.view.last_search = Some((s.pane, s.query.clone()));
                if n == 0 {
                    app.select(s.pane, s.saved);
                    app.say(format!("no match for \"{}\"", s.query), MsgKind::Warn);
                } else {
                    app.say(format!("/{}: {n} match(es) · n/N next/previous", s.query), MsgKind::Info);
                }
            }
            return close();
        }
        Some(DialogAction::Down) => {
            app.view.last_search = Some((s.pane, s.query.clone()));
            app.search_step(true);
            app.view.dismissed = app.model.messages.said();
            return stay();
        }
        Some(DialogAction::Up) => {
            app.view.last_search = Some((s.pane, s.query.clone()));
            app.search_step(false);
            app.view.dismissed = app.model.messages.said();
            return stay();
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
    match items::matches(&app.model.runbook, s.pane, &s.query).first() {
        Some(i) => app.select(s.pane, *i),
        None => app.select(s.pane, s.saved),
    }
    stay()
}

/// In the Logs pane `/` searches the selected log's kept lines, not the list
/// of logs: `Enter` goes to the newest hit at or above the view (`ui::logs_live`).
fn on_log_key(app: &mut App, s: &mut SearchPrompt, key: KeyEvent) -> Handled {
    match act(app, Layer::Search, &key) {
        Some(DialogAction::Close) => return close(),
        Some(DialogAction::Submit) => {
            if !s.query.is_empty() {
                if let Some(log) = app.model.runbook.logs.get(app.selected(PaneId::Logs)).map(|l| l.id.clone()) {
                    crate::ui::logs_view::search_start(app, &log, &s.query);
                }
            }
            return close();
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
        return format!("/{}█   in log {log} · Enter find · Esc cancel", clean(&s.query));
    }
    let n = items::matches(&app.model.runbook, s.pane, &s.query).len();
    let found = if s.query.is_empty() {
        String::new()
    } else if n == 0 {
        "  (no match)".into()
    } else {
        format!("  ({n} match{})", if n == 1 { "" } else { "es" })
    };
    format!("/{}█{found}   Enter keep · Esc cancel · ↑/↓ previous/next", s.query)
}
