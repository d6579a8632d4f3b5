//! Presence on a database session (docs/console.md, "Who is here";
//! docs/journal.md, "On PostgreSQL"): consoles on several hosts cannot see
//! each other's presence files, so each one keeps a row of
//! `warroom_presence` fresh instead — its `Presence` as JSON, with the
//! server's `now()` as heartbeat, rewritten every second. A row whose
//! heartbeat is older than `presence::STALE_AFTER` by the server's clock is
//! not in the roster (so hosts' clocks need not agree); rows older than an
//! hour are deleted by whoever beats next. A console leaving cleanly deletes
//! its row. Like the files, none of this touches the journal.
//!
//! The console's beat runs in the background (`Link::spawn`): a slow or
//! unreachable database never holds up the screen; the roster shown is the
//! one the last beat read.

use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};

use chrono::{DateTime, Duration, Utc};
use tokio_postgres::Client;

use super::link::Link;
use crate::domain::presence::{self, Presence};

const UPSERT: &str = "INSERT INTO warroom_presence (session, console, entry, heartbeat) VALUES ($1, $2, $3, now()) \
                      ON CONFLICT (session, console) DO UPDATE SET entry = EXCLUDED.entry, heartbeat = now()";
const PRUNE: &str = "DELETE FROM warroom_presence WHERE heartbeat < now() - interval '1 hour'";
const LEAVE: &str = "DELETE FROM warroom_presence WHERE session = $1 AND console = $2";

/// The rows of `session`, each with its age by the server's clock (milliseconds).
const SELECT: &str = "SELECT entry, (extract(epoch FROM now() - heartbeat) * 1000)::bigint \
                      FROM warroom_presence WHERE session = $1 ORDER BY console";

/// Entries with their age by the server's clock (milliseconds), as read at a time on this host's clock.
type Read = (DateTime<Utc>, Vec<(Presence, i64)>);

/// What the background beats found, for the console to read without waiting.
#[derive(Default)]
pub struct Beats {
    /// The roster the last beat read, and when (this host's clock).
    roster: Mutex<Option<Read>>,
    /// A beat is running: the next one is skipped rather than queued.
    busy: AtomicBool,
    /// Why this console's row could not be written (said once), e.g. no grant.
    refused: Mutex<Option<String>>,
}

/// Reads the session's rows: each entry with its heartbeat moved onto this
/// host's clock (`now` minus its age by the server's), so `presence::live`
/// judges staleness by the server's clock alone.
pub async fn read(c: &Client, session: &str, now: DateTime<Utc>) -> Result<Vec<Presence>, tokio_postgres::Error> {
    Ok(on_our_clock(aged(c, session).await?, now))
}

/// The session's entries with their ages; an entry that does not read is skipped.
async fn aged(c: &Client, session: &str) -> Result<Vec<(Presence, i64)>, tokio_postgres::Error> {
    let rows = c.query(SELECT, &[&session]).await?;
    Ok(rows.iter().filter_map(|r| Some((serde_json::from_str(r.get::<_, &str>(0)).ok()?, r.get(1)))).collect())
}

fn on_our_clock(aged: Vec<(Presence, i64)>, now: DateTime<Utc>) -> Vec<Presence> {
    let all = aged
        .into_iter()
        .map(|(mut p, age_ms)| {
            p.heartbeat = now - Duration::milliseconds(age_ms.max(0));
            p
        })
        .collect();
    presence::live(all, now)
}

impl Beats {
    /// Writes `me` (when given) and reads the roster, in the background; a
    /// beat still running makes this one a no-op.
    pub fn beat(self: &Arc<Self>, link: &Link, session: &str, me: Option<&Presence>) {
        if self.busy.swap(true, Ordering::AcqRel) {
            return;
        }
        let me = me.map(|p| (p.console_id(), serde_json::to_string(p).unwrap_or_default()));
        let (beats, session) = (self.clone(), session.to_string());
        let started = link.spawn(move |c| async move {
            if let Some((console, entry)) = me {
                let wrote = c.execute(UPSERT, &[&session, &console, &entry]).await;
                if let (Err(e), Ok(mut r)) = (wrote, beats.refused.lock()) {
                    r.get_or_insert_with(|| super::error_text(&e));
                }
                let _ = c.execute(PRUNE, &[]).await;
            }
            if let Ok(aged) = aged(&c, &session).await {
                if let Ok(mut roster) = beats.roster.lock() {
                    *roster = Some((Utc::now(), aged));
                }
            }
            beats.busy.store(false, Ordering::Release);
        });
        if !started {
            self.busy.store(false, Ordering::Release);
        }
    }

    /// The roster as the last beat read it, aged to `now` (empty before the
    /// first beat, and while the database is unreachable once it goes stale).
    pub fn roster(&self, now: DateTime<Utc>) -> Vec<Presence> {
        let Some((read_at, aged)) = self.roster.lock().ok().and_then(|r| r.clone()) else { return Vec::new() };
        let since_read = (now - read_at).num_milliseconds().max(0);
        on_our_clock(aged.into_iter().map(|(p, age)| (p, age + since_read)).collect(), now)
    }

    /// Why this console's row could not be written, once.
    pub fn take_refused(&self) -> Option<String> {
        self.refused.lock().ok().and_then(|mut r| {
            r.take().map(|why| format!("{why} — grant it INSERT, UPDATE and DELETE on warroom_presence"))
        })
    }
}

/// Deletes `console`'s row (a clean exit), waiting a second at most: a
/// console leaving (a hang-up included) must not wait on a silent server; its
/// row then drops out as stale.
pub fn leave(link: &Link, session: &str, console: &str) {
    let (session, console) = (session.to_string(), console.to_string());
    let (tx, rx) = std::sync::mpsc::channel();
    let spawned = link.spawn(move |c| async move {
        let _ = c.execute(LEAVE, &[&session, &console]).await;
        let _ = tx.send(());
    });
    if spawned {
        let _ = rx.recv_timeout(std::time::Duration::from_secs(1));
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::TimeZone;

    fn p(host: &str, pid: u32) -> Presence {
        let t = Utc.timestamp_opt(0, 0).unwrap();
        Presence {
            operator: "ana".into(),
            user: "root".into(),
            host: host.into(),
            pid,
            read_only: false,
            since: t,
            heartbeat: t,
            last_input: t,
            doing: String::new(),
        }
    }

    #[test]
    fn staleness_is_judged_by_the_servers_clock_whatever_the_writers_clock_said() {
        let now = Utc.with_ymd_and_hms(2026, 2, 12, 6, 0, 0).unwrap();
        // Written by hosts whose clocks are off by hours: only the age by the server counts.
        let live = on_our_clock(vec![(p("a", 1), 1_000), (p("b", 2), 6_000)], now);
        assert_eq!(live.len(), 1);
        assert_eq!(live[0].host, "a");
        assert_eq!(live[0].heartbeat, now - Duration::seconds(1));
    }
}
