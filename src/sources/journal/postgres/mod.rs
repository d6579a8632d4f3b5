//! A session's journal in PostgreSQL, for consoles on several hosts
//! (docs/journal.md, "On PostgreSQL"). Same records, same hash chain and
//! canonical form as the file journal; one row per record.
//!
//! - `url`: `postgres://USER@HOST:PORT/DB?session=ID` and its TLS options.
//! - `tls`: rustls connectors for `sslmode`.
//! - `link`: the connection thread (reconnects, LISTEN/NOTIFY, "unavailable since").
//! - `schema`: the tables, created on first use, versioned.
//! - `rows`: rows to checked records and back.
//! - `append`: one transaction per record, under the session's advisory lock.
//! - `session`: whole-session reads and writes for verify, export and import.
//! - `presence`: who has a console open on the session, across hosts.

mod append;
mod link;
mod presence;
mod rows;
mod schema;
mod session;
mod tls;
mod url;

use chrono::{DateTime, Utc};

pub use schema::VERSION as SCHEMA_VERSION;
pub use session::{db_init, export_lines, import_records, present, verify_session, SessionCheck};
pub use url::{is_database_url, redact, JournalUrl};

use super::error::JournalError;
use crate::domain::presence::Presence;
use crate::domain::record::{Record, GENESIS};
use crate::sources::EventSender;
use link::{CallError, Link};

/// What opening a database journal found (mirrors the file journal's `Opened`).
pub struct PgOpened {
    pub journal: PgJournal,
    pub records: Vec<Record>,
    pub warnings: Vec<String>,
}

pub struct PgJournal {
    link: Link,
    url: JournalUrl,
    session: String,
    /// Why writes are refused regardless of the connection (--read-only, a role without INSERT).
    base_read_only: Option<String>,
    /// The damaged record that stopped reading, as a read-only reason.
    corrupt_reason: Option<String>,
    last: Option<(u64, String)>,
    /// Records read during a failed append, handed out by the next `poll`.
    backlog: Vec<Record>,
    /// An append whose commit may or may not have happened (the connection
    /// broke during it): (what it wrote, its record id). The same act tried
    /// again reuses the id, so the database keeps it once.
    uncertain: Option<(String, String)>,
    warnings: Vec<String>,
    /// This console's presence row, kept fresh in the background.
    beats: std::sync::Arc<presence::Beats>,
    /// The console id whose row this handle wrote (deleted when it is dropped).
    announced: Option<String>,
}

impl Drop for PgJournal {
    fn drop(&mut self) {
        if let Some(console) = self.announced.take() {
            presence::leave(&self.link, &self.session, &console);
        }
    }
}

impl PgJournal {
    /// Connects, creates the tables if needed (not when `read_only`), and
    /// reads and checks every record of the session.
    pub fn open(text: &str, read_only: bool) -> Result<PgOpened, JournalError> {
        let url = JournalUrl::parse(text).map_err(|e| JournalError::Database { journal: redact(text), reason: e })?;
        let session =
            url.session().map_err(|e| JournalError::Database { journal: url.shown.clone(), reason: e })?.to_string();
        let link = Link::connect(&url).map_err(|e| connect_error(&url, e))?;
        let create = !read_only;
        let state = link
            .call(move |c| async move { Ok(schema::ensure(&c, create).await) })
            .map_err(|e| call_error(&url.shown, e))?
            .map_err(|e| JournalError::Database { journal: url.shown.clone(), reason: e })?;
        let mut warnings = Vec::new();
        if state.created {
            warnings.push(format!("created the warroom tables (schema version {}) in {}", state.version, url.shown));
        }
        if let Some(from) = state.upgraded_from {
            warnings.push(format!(
                "upgraded the warroom tables in {} from schema version {from} to {}",
                url.shown, state.version
            ));
        }
        let base_read_only = if read_only {
            Some("opened read-only".to_string())
        } else if !state.can_insert {
            Some("this role may only read the journal (no INSERT on warroom_records)".to_string())
        } else {
            None
        };
        let mut j = PgJournal {
            link,
            session,
            base_read_only,
            corrupt_reason: None,
            last: None,
            backlog: Vec::new(),
            uncertain: None,
            warnings: Vec::new(),
            beats: Default::default(),
            announced: None,
            url,
        };
        let records = j.read_new()?;
        Ok(PgOpened { journal: j, records, warnings })
    }

    /// What messages call this journal: the URL without its password.
    pub fn shown(&self) -> &str {
        &self.url.shown
    }

    pub fn session(&self) -> &str {
        &self.session
    }

    /// Wakes `tx` on others' records and on connection changes.
    pub fn watch(&self, tx: EventSender) {
        self.link.watch(tx);
    }

    /// Since when the database cannot be reached (`None` while it can).
    pub fn unavailable_since(&self) -> Option<DateTime<Utc>> {
        self.link.down().map(|(since, _)| since)
    }

    pub fn read_only_reason(&self) -> Option<String> {
        self.base_read_only.clone().or_else(|| self.corrupt_reason.clone()).or_else(|| {
            self.link.down().map(|(since, why)| {
                // Said first what fits in the status line's badge: since when, and that it retries.
                format!(
                    "journal DB down since {} UTC, retrying — acts are refused until it is back ({why})",
                    since.format("%H:%M:%S")
                )
            })
        })
    }

    pub fn damaged(&self) -> Option<&str> {
        self.corrupt_reason.as_deref()
    }

    pub fn last_seq(&self) -> u64 {
        self.last.as_ref().map(|(s, _)| *s).unwrap_or(0)
    }

    pub fn last_hash(&self) -> &str {
        self.last.as_ref().map(|(_, h)| h.as_str()).unwrap_or(GENESIS)
    }

    pub fn take_warnings(&mut self) -> Vec<String> {
        let mut w = std::mem::take(&mut self.warnings);
        if let Some(why) = self.beats.take_refused() {
            w.push(format!("presence: consoles on other hosts will not see this one ({why})"));
        }
        w
    }

    /// Announces `me` on the session (in the background, once a second) and
    /// returns the consoles present as last read (`presence`).
    pub fn presence(&mut self, me: Option<&Presence>, now: DateTime<Utc>) -> Vec<Presence> {
        if let Some(me) = me {
            self.announced = Some(me.console_id());
        }
        self.beats.beat(&self.link, &self.session, me);
        self.beats.roster(now)
    }

    /// New records others wrote since the last one read. While the database
    /// is unreachable: nothing (the banner says why), and catching up happens
    /// on the wake-up that follows the reconnection.
    pub fn poll(&mut self) -> Result<Vec<Record>, JournalError> {
        let mut out = std::mem::take(&mut self.backlog);
        if self.corrupt_reason.is_some() || self.link.down().is_some() {
            return Ok(out);
        }
        match self.read_new() {
            Ok(recs) => {
                out.extend(recs);
                Ok(out)
            }
            Err(JournalError::Unavailable { .. }) => Ok(out),
            Err(e) if out.is_empty() => Err(e),
            Err(e) => {
                self.backlog.clear();
                self.warnings.push(e.to_string());
                Ok(out)
            }
        }
    }

    /// Reads and checks the rows after the last record read.
    fn read_new(&mut self) -> Result<Vec<Record>, JournalError> {
        let session = self.session.clone();
        let after = self.last_seq();
        let rows = self
            .link
            .call(move |c| async move { rows::fetch_after(&c, &session, after).await })
            .map_err(|e| self.failed(e))?;
        self.take_rows(&rows)
    }

    /// Checks `rows` as the continuation of what was read; a bad one makes the journal read-only.
    fn take_rows(&mut self, rows: &[rows::RawRow]) -> Result<Vec<Record>, JournalError> {
        let chunk = {
            let last = self.last.as_ref().map(|(s, h)| (*s, h.as_str()));
            rows::check(rows, last)
        };
        if let Some(r) = chunk.records.last() {
            self.last = Some((r.seq, r.hash.clone()));
        }
        if let Some((seq, why)) = &chunk.bad {
            let err = JournalError::Corrupt { path: self.url.shown.clone().into(), line: *seq, reason: why.clone() };
            self.corrupt_reason = Some(format!(
                "{} record seq {seq}: {why}; showing the {} records before it, read-only — run `warroom verify {}`",
                self.url.shown,
                self.last_seq(),
                self.url.shown
            ));
            if chunk.records.is_empty() {
                return Err(err);
            }
            self.warnings.push(err.to_string());
        }
        Ok(chunk.records)
    }
}

impl PgJournal {
    /// A failed call as a journal error; "unavailable since" is when the
    /// connection was first seen lost, not this call.
    fn failed(&self, e: CallError) -> JournalError {
        match (e, self.link.down()) {
            (CallError::Unavailable(reason), Some((since, _))) => {
                JournalError::Unavailable { journal: self.url.shown.clone(), since, reason }
            }
            (e, _) => call_error(&self.url.shown, e),
        }
    }
}

/// A failed first connection: `Unavailable` when nothing answered (a caller
/// may wait and try again), else what to fix.
pub(super) fn connect_error(url: &JournalUrl, e: link::ConnectError) -> JournalError {
    if e.unreachable {
        return JournalError::Unavailable {
            journal: url.shown.clone(),
            since: crate::sources::clock::now(),
            reason: format!("cannot connect: {}; check that the server is up and reachable", e.text),
        };
    }
    JournalError::Database {
        journal: url.shown.clone(),
        reason: format!(
            "cannot connect ({}); check the user, database and password (PGPASSWORD) in the URL, and its sslmode",
            e.text
        ),
    }
}

/// A failed call as a journal error naming the database.
fn call_error(shown: &str, e: CallError) -> JournalError {
    match e {
        CallError::Unavailable(reason) => {
            JournalError::Unavailable { journal: shown.to_string(), since: crate::sources::clock::now(), reason }
        }
        CallError::Refused { code, text } if code.as_deref() == Some("42501") => {
            JournalError::ReadOnly(format!("this database role may not write the journal ({text})"))
        }
        CallError::Refused { text, .. } => JournalError::Database { journal: shown.to_string(), reason: text },
    }
}

/// One line for a tokio-postgres error: the server's message (and detail)
/// when it sent one. Sanitised: it comes from outside and ends up on screen.
pub(crate) fn error_text(e: &tokio_postgres::Error) -> String {
    crate::domain::sanitize::clean(&raw_error_text(e))
}

fn raw_error_text(e: &tokio_postgres::Error) -> String {
    match e.as_db_error() {
        Some(db) => match db.detail() {
            Some(d) => format!("{}: {} ({d})", db.severity(), db.message()),
            None => format!("{}: {}", db.severity(), db.message()),
        },
        None => {
            // The io error under "error communicating with the server" is the useful part.
            let mut text = e.to_string();
            let mut src = std::error::Error::source(e);
            while let Some(s) = src {
                text = format!("{text}: {s}");
                src = s.source();
            }
            text
        }
    }
}
