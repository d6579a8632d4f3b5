//! `/`: typing moves the selection to the first match in the focused pane,
//! `Enter` keeps it (and `n`/`N` go on from there), `Esc` puts it back.

use ratatui::crossterm::event::{KeyCode, KeyEvent, KeyModifiers};

use super::{Outcome, Overlay};
use crate::ui::app::{App, MsgKind};
use crate::ui::items;
use crate::ui::panes::PaneId;

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

pub fn on_key(app: &mut App, mut s: SearchPrompt, key: KeyEvent) -> Outcome {
    let ctrl = key.modifiers.contains(KeyModifiers::CONTROL);
    match key.code {
        KeyCode::Esc => {
            app.select(s.pane, s.saved);
            return Outcome::Close;
        }
        KeyCode::Enter => {
            if !s.query.is_empty() {
                let n = items::matches(&app.runbook, s.pane, &s.query).len();
                app.last_search = Some((s.pane, s.query.clone()));
                if n == 0 {
                    app.select(s.pane, s.saved);
                    app.say(format!("no match for \"{}\"", s.query), MsgKind::Warn);
                } else {
                    app.say(format!("/{}: {n} match(es) · n/N next/previous", s.query), MsgKind::Info);
                }
            }
            return Outcome::Close;
        }
        KeyCode::Down => {
            app.last_search = Some((s.pane, s.query.clone()));
            app.search_step(true);
            app.message = None;
            return Outcome::Keep(Overlay::Search(s));
        }
        KeyCode::Up => {
            app.last_search = Some((s.pane, s.query.clone()));
            app.search_step(false);
            app.message = None;
            return Outcome::Keep(Overlay::Search(s));
        }
        KeyCode::Backspace => {
            s.query.pop();
        }
        KeyCode::Char(c) if !ctrl => s.query.push(c),
        _ => return Outcome::Keep(Overlay::Search(s)),
    }
    match items::matches(&app.runbook, s.pane, &s.query).first() {
        Some(i) => app.select(s.pane, *i),
        None => app.select(s.pane, s.saved),
    }
    Outcome::Keep(Overlay::Search(s))
}

/// What the message line shows while searching.
pub fn prompt_text(app: &App, s: &SearchPrompt) -> String {
    let n = items::matches(&app.runbook, s.pane, &s.query).len();
    let found = if s.query.is_empty() {
        String::new()
    } else if n == 0 {
        "  (no match)".into()
    } else {
        format!("  ({n} match{})", if n == 1 { "" } else { "es" })
    };
    format!("/{}█{found}   Enter keep · Esc cancel · ↑/↓ previous/next", s.query)
}
