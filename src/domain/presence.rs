//! Presence (docs/console.md): who has a console open on the session now.
//! Each console writes one small file beside the journal, rewritten every
//! second, and holds a lock on it for its life (`sources::presence`); this
//! module is the pure part: the record, when it counts as gone, and the
//! roster as the status line writes it.

use chrono::{DateTime, Duration, Utc};
use serde::{Deserialize, Serialize};

/// A heartbeat older than this means the console is gone, even when its
/// lock cannot be checked (another host on a shared filesystem).
pub const STALE_AFTER: Duration = Duration::seconds(5);
/// A console with input this recent is "at the keyboard" (▶).
pub const ACTIVE_WITHIN: Duration = Duration::seconds(60);

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Presence {
    /// The name on its acts (`--operator`, `$WARROOM_OPERATOR`, `$USER@host`).
    pub operator: String,
    /// The Unix user running it.
    pub user: String,
    pub host: String,
    pub pid: u32,
    pub read_only: bool,
    /// When it opened.
    pub since: DateTime<Utc>,
    /// Last rewrite of its file.
    pub heartbeat: DateTime<Utc>,
    /// Last key or mouse input.
    pub last_input: DateTime<Utc>,
    /// What it is doing, in words ("watching", "confirming ROLLBACK full").
    pub doing: String,
}

impl Presence {
    /// A name for this console that two consoles never share: `host-pid`.
    pub fn console_id(&self) -> String {
        format!("{}-{}", self.host, self.pid)
    }
    pub fn is_stale(&self, now: DateTime<Utc>) -> bool {
        now - self.heartbeat > STALE_AFTER
    }
    pub fn idle(&self, now: DateTime<Utc>) -> Duration {
        (now - self.last_input).max(Duration::zero())
    }
    pub fn active(&self, now: DateTime<Utc>) -> bool {
        self.idle(now) <= ACTIVE_WITHIN
    }
    /// `ana ▶`, `bo [ro]`, `ci`.
    pub fn tag(&self, now: DateTime<Utc>) -> String {
        let mut s = super::sanitize::clean(&self.operator);
        if self.active(now) {
            s.push_str(" ▶");
        }
        if self.read_only {
            s.push_str(" [ro]");
        }
        s
    }
}

/// The roster in a fixed order (since, then console id), without stale entries.
pub fn live(mut all: Vec<Presence>, now: DateTime<Utc>) -> Vec<Presence> {
    all.retain(|p| !p.is_stale(now));
    all.sort_by(|a, b| a.since.cmp(&b.since).then_with(|| a.console_id().cmp(&b.console_id())));
    all
}

/// "ana ▶ · bo [ro] · ci" fitted to `room` columns: first the markers go
/// ("ana · bo · ci"), then names from the end ("ana · bo +1"), then just a count.
pub fn roster_line(roster: &[Presence], now: DateTime<Utc>, room: usize) -> String {
    use unicode_width::UnicodeWidthStr;
    let fits = |s: &str| s.width() <= room;
    let full = roster.iter().map(|p| p.tag(now)).collect::<Vec<_>>().join(" · ");
    if fits(&full) {
        return full;
    }
    let names: Vec<String> = roster.iter().map(|p| super::sanitize::clean(&p.operator)).collect();
    let plain = names.join(" · ");
    if fits(&plain) {
        return plain;
    }
    for keep in (1..names.len()).rev() {
        let s = format!("{} +{}", names[..keep].join(" · "), names.len() - keep);
        if fits(&s) {
            return s;
        }
    }
    let count = format!("{} here", roster.len());
    if fits(&count) {
        count
    } else {
        String::new()
    }
}

/// Who joined and who left between two rosters: (joined, left).
pub fn changes<'a>(before: &'a [Presence], after: &'a [Presence]) -> (Vec<&'a Presence>, Vec<&'a Presence>) {
    let ids = |r: &'a [Presence]| r.iter().map(|p| p.console_id()).collect::<std::collections::BTreeSet<_>>();
    let (b, a) = (ids(before), ids(after));
    (
        after.iter().filter(|p| !b.contains(&p.console_id())).collect(),
        before.iter().filter(|p| !a.contains(&p.console_id())).collect(),
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::fixtures::t;

    fn p(op: &str, pid: u32, ro: bool, input: i64) -> Presence {
        Presence {
            operator: op.into(),
            user: "u".into(),
            host: "h".into(),
            pid,
            read_only: ro,
            since: t(pid as i64),
            heartbeat: t(100),
            last_input: t(input),
            doing: "watching".into(),
        }
    }

    #[test]
    fn roster_drops_markers_then_names_then_shows_a_count() {
        let r = vec![p("ana", 1, false, 90), p("bo", 2, true, 0), p("ci", 3, false, 0)];
        let now = t(100);
        assert_eq!(roster_line(&r, now, 80), "ana ▶ · bo [ro] · ci");
        assert_eq!(roster_line(&r, now, 14), "ana · bo · ci");
        assert_eq!(roster_line(&r, now, 11), "ana · bo +1");
        assert_eq!(roster_line(&r, now, 7), "ana +2");
        assert_eq!(roster_line(&r, now, 6), "ana +2");
        assert_eq!(roster_line(&r, now, 2), "");
    }

    #[test]
    fn stale_heartbeats_leave_the_roster_and_changes_name_who() {
        let a = p("ana", 1, false, 0);
        let mut b = p("bo", 2, false, 0);
        b.heartbeat = t(90);
        let now = t(100);
        let r = live(vec![b.clone(), a.clone()], now);
        assert_eq!(r, vec![a.clone()], "bo's heartbeat is 10 s old");
        let before = [b.clone()];
        let (joined, left) = changes(&before, &r);
        assert_eq!(joined.iter().map(|p| p.operator.as_str()).collect::<Vec<_>>(), ["ana"]);
        assert_eq!(left.iter().map(|p| p.operator.as_str()).collect::<Vec<_>>(), ["bo"]);
    }

    #[test]
    fn names_from_files_are_cleaned() {
        let evil = p("ana\u{1b}[2J", 1, false, 0);
        assert!(!evil.tag(t(100)).contains('\u{1b}'));
    }
}
