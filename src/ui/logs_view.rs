//! Where each log is read: following (every log shows its newest lines), or
//! held anywhere in the kept buffer (PageUp, `g`, `F`, a `/` search) while
//! new lines keep being counted underneath; the search and its hits; the rows
//! the Logs pane and the full-screen log show (docs/console.md, "Logs").
//! The lines themselves are the model's (`ui::logs_live`).

use std::collections::BTreeMap;

use crate::domain::log_timeline::{self, Row};
use crate::sources::LogStatus;
use crate::ui::action::Action;
use crate::ui::app::{App, MsgKind};
use crate::ui::overlay::Overlay;
use crate::ui::panes::PaneId;
use crate::ui::text::clean;

/// Where each log is read (view state; the lines, their tails' status and the
/// markers are the model's `Live`).
#[derive(Clone, Debug, Default)]
pub struct LogsView {
    /// Follow off (`F`, PageUp, `g`, a search): per log, one past the index of
    /// the line at the bottom of its rows. One switch for every log, so the
    /// title and each log's header say the same thing.
    pub held: Option<BTreeMap<String, u64>>,
    /// The line the last search went to: (log, index), drawn highlighted.
    pub hit: Option<(String, u64)>,
}

/// Following: every log shows its newest lines.
pub fn following(app: &App) -> bool {
    app.view.logs.held.is_none()
}

/// Where `log`'s rows end: `None` when following, else one past the held bottom line.
pub fn end_of(app: &App, log: &str) -> Option<u64> {
    app.view.logs.held.as_ref().map(|h| h.get(log).copied().unwrap_or(0))
}

/// Lines that arrived below the held view of `log`.
pub fn new_below(app: &App, log: &str) -> u64 {
    match (end_of(app, log), app.model.live.logs.get(log)) {
        (Some(end), Some(w)) => w.end_index().saturating_sub(end),
        _ => 0,
    }
}

/// Follow off: every log stays where it is.
fn hold(app: &mut App) {
    if app.view.logs.held.is_none() {
        let at = app.model.live.logs.iter().map(|(id, w)| (id.clone(), w.end_index())).collect();
        app.view.logs.held = Some(at);
    }
}

fn set_end(app: &mut App, log: &str, end: u64) {
    hold(app);
    if let Some(h) = app.view.logs.held.as_mut() {
        h.insert(log.to_string(), end);
    }
}

/// `F`: follow on/off for the Logs pane (and a log full-screen).
pub fn toggle_follow(app: &mut App) {
    if following(app) {
        hold(app);
        // The keys that follow again, as the keymap has them ("F or G" built in).
        let keys: Vec<String> = [Action::Follow, Action::Bottom]
            .iter()
            .filter_map(|a| crate::ui::overlay::hint::pane_key(app, PaneId::Logs, *a))
            .collect();
        app.say(
            format!("logs: follow off — view held, new lines counted ({} to follow)", keys.join(" or ")),
            MsgKind::Info,
        );
    } else {
        follow(app);
    }
}

/// Follow on again: the newest lines of every log.
pub fn follow(app: &mut App) {
    app.view.logs.held = None;
    app.say("logs: following (newest lines shown)", MsgKind::Info);
}

fn rows_of(app: &App, log: &str) -> usize {
    app.view.drawn.log_rows.get(log).copied().unwrap_or(3).max(1)
}

/// PageUp / PageDown (`pages` < 0 goes back) and one line (`lines`): scrolls
/// `log` through its whole kept buffer; reaching the newest line follows again.
pub fn scroll(app: &mut App, log: &str, pages: i64, lines: i64) {
    let Some(w) = app.model.live.logs.get(log) else {
        app.say(format!("log {} has no lines yet", clean(log)), MsgKind::Info);
        return;
    };
    let (first, newest) = (w.first_index(), w.end_index());
    let room = rows_of(app, log) as u64;
    let step = pages * (room.saturating_sub(1).max(1) as i64) + lines;
    let end = end_of(app, log).unwrap_or(newest).clamp(first, newest);
    let to = (end as i64 + step).clamp(0, newest as i64) as u64;
    if step > 0 && to >= newest {
        if !following(app) {
            follow(app);
        }
        return;
    }
    // Never past the top: the oldest kept line stays on the top row.
    set_end(app, log, to.max((first + room).min(newest)));
}

/// `g`: the oldest kept line of `log` on top (follow off).
pub fn oldest(app: &mut App, log: &str) {
    let Some(w) = app.model.live.logs.get(log) else { return };
    let end = (w.first_index() + rows_of(app, log) as u64).min(w.end_index());
    set_end(app, log, end);
}

/// The rows to draw for one log, oldest first, at most `room`: its lines up to
/// where the view is, with the journal's acts between them.
pub fn visible<'a>(app: &'a App, log: &str, room: usize) -> Vec<Row<'a>> {
    let Some(w) = app.model.live.logs.get(log) else { return Vec::new() };
    // A view held so long that the ring dropped its lines shows a page of the
    // oldest kept ones (while nothing was dropped, it is exactly where it was held).
    let first = w.first_index();
    let end = end_of(app, log).map(|e| if first > 0 { e.max(first + room as u64).min(w.end_index()) } else { e });
    log_timeline::rows(w, &app.model.live.markers, end, room)
}

/// The newest line of `log` where the view is, without the journal's acts:
/// what a log squeezed into one row shows.
pub fn latest_line<'a>(app: &'a App, log: &str) -> Option<Row<'a>> {
    let w = app.model.live.logs.get(log)?;
    let first = w.first_index();
    let end = end_of(app, log).map(|e| if first > 0 { e.max(first + 1).min(w.end_index()) } else { e });
    log_timeline::rows(w, &[], end, 1).pop()
}

/// `/` in the Logs pane (or a log full-screen): the newest line holding
/// `query` at or above the view, shown on screen and highlighted.
pub fn search_start(app: &mut App, log: &str, query: &str) {
    app.view.last_search = Some((PaneId::Logs, query.to_string()));
    app.view.logs.hit = None;
    let Some(w) = app.model.live.logs.get(log) else {
        app.say(format!("no match for \"{}\": log {} has no lines yet", clean(query), clean(log)), MsgKind::Warn);
        return;
    };
    let hits = log_timeline::hits(w, &query.to_lowercase());
    let below = end_of(app, log).unwrap_or(u64::MAX);
    match hits.iter().rposition(|&i| i < below).or(hits.len().checked_sub(1)) {
        Some(k) => go_to_hit(app, log, query, &hits, k),
        None => app.say(format!("no match for \"{}\" in log {}", clean(query), clean(log)), MsgKind::Warn),
    }
}

/// `n` (older) / `N` (newer) from the current hit, wrapping round.
pub fn search_step(app: &mut App, log: &str, older: bool) {
    let Some((_, query)) = app.view.last_search.clone().filter(|(p, _)| *p == PaneId::Logs) else {
        app.say("no search yet: / to search", MsgKind::Info);
        return;
    };
    let Some(w) = app.model.live.logs.get(log) else { return };
    let hits = log_timeline::hits(w, &query.to_lowercase());
    if hits.is_empty() {
        app.say(format!("no match for \"{}\" in log {}", clean(&query), clean(log)), MsgKind::Warn);
        return;
    }
    let from = match &app.view.logs.hit {
        Some((l, i)) if l == log => *i,
        _ => end_of(app, log).unwrap_or(u64::MAX),
    };
    let k = if older {
        hits.iter().rposition(|&i| i < from).unwrap_or(hits.len() - 1)
    } else {
        hits.iter().position(|&i| i > from).unwrap_or(0)
    };
    go_to_hit(app, log, &query, &hits, k);
}

/// Holds the view with hit `k` in the middle of the log's rows and says which it is.
fn go_to_hit(app: &mut App, log: &str, query: &str, hits: &[u64], k: usize) {
    let i = hits[k];
    let newest = app.model.live.logs.get(log).map_or(0, |w| w.end_index());
    let below = (rows_of(app, log) / 2) as u64;
    set_end(app, log, (i + 1 + below).min(newest));
    app.view.logs.hit = Some((log.to_string(), i));
    let steps = crate::ui::overlay::hint::search_steps(app, PaneId::Logs, "older", "newer");
    app.say(
        format!("/{}: match {} of {} in log {} · {steps}", clean(query), k + 1, hits.len(), clean(log)),
        MsgKind::Info,
    );
}

/// Short words for a log's condition.
pub fn status_word(status: Option<&LogStatus>) -> String {
    match status {
        None => "not started".into(),
        Some(LogStatus::Following) => "following".into(),
        Some(LogStatus::Polling) => "following (polling)".into(),
        Some(LogStatus::Waiting) => "waiting for file".into(),
        Some(LogStatus::Rotated) => "rotated".into(),
        Some(LogStatus::Truncated) => "truncated".into(),
        Some(LogStatus::Restarting { after, reason }) => {
            format!("restarting in {}s: {reason}", after.as_secs_f64().ceil() as u64)
        }
        Some(LogStatus::Error(e)) => format!("error: {e}"),
    }
}

/// The text searched for in the Logs pane (while typing after `/`, then the last
/// search), lower-cased; lines containing it are highlighted.
pub fn search_query(app: &App) -> Option<String> {
    search_text(app).map(|q| q.to_lowercase())
}

/// The search as typed, for titles (the message line says it as typed too).
pub fn search_text(app: &App) -> Option<&str> {
    let q = match app.view.overlay.top() {
        Some(Overlay::Search(s)) if s.pane == PaneId::Logs => Some(s.query.as_str()),
        _ => app.view.last_search.as_ref().filter(|(p, _)| *p == PaneId::Logs).map(|(_, q)| q.as_str()),
    };
    q.filter(|q| !q.is_empty())
}

/// Kept lines of `log` containing `query` (lower-cased), as the title counts them.
pub fn count_matches(app: &App, drawn: &mut crate::ui::view::Drawn, log: &str, query: &str) -> usize {
    let seen = app.model.live.logs.get(log).map_or(0, |w| w.end_index());
    if let Some((l, q, s, n)) = &drawn.log_search_count {
        if l == log && q == query && *s == seen {
            return *n;
        }
    }
    // The same finder as `/` and `n`/`N`, so the title and the message line agree.
    let n = app.model.live.logs.get(log).map_or(0, |w| log_timeline::hits(w, query).len());
    drawn.log_search_count = Some((log.to_string(), query.to_string(), seen, n));
    n
}

/// PageUp / PageDown / `g` / `G` on the selected log, in the pane or full-screen.
pub fn pane_key(app: &mut App, action: crate::ui::action::Action) {
    use crate::ui::action::Action;
    let Some(log) = app.model.runbook.logs.get(app.selected(PaneId::Logs)).map(|l| l.id.clone()) else { return };
    match action {
        Action::PageUp => scroll(app, &log, -1, 0),
        Action::PageDown => scroll(app, &log, 1, 0),
        Action::MoveUp => scroll(app, &log, 0, -1),
        Action::MoveDown => scroll(app, &log, 0, 1),
        Action::Top => oldest(app, &log),
        Action::Bottom if !following(app) => follow(app),
        Action::Follow => toggle_follow(app),
        Action::SearchNext => search_step(app, &log, true),
        Action::SearchPrev => search_step(app, &log, false),
        _ => {}
    }
}
