//! Whole-session operations for the headless commands: `verify` and
//! `export` (read and check every row), `import` (a verified file into an
//! empty session, in one transaction) and `db init` (the tables).

use super::link::Link;
use super::rows;
use super::url::JournalUrl;
use super::{call_error, redact, schema};
use crate::domain::record::Record;
use crate::sources::journal::{JournalError, Verified};

/// A session read and checked from the first record.
pub struct SessionCheck {
    pub verified: Verified,
    /// The good records (before the first bad one).
    pub records: Vec<Record>,
    /// The URL as shown (no password).
    pub shown: String,
}

fn connect(text: &str, need_session: bool) -> Result<(JournalUrl, Link), JournalError> {
    let bad = |reason: String| JournalError::Database { journal: redact(text), reason };
    let url = JournalUrl::parse(text).map_err(bad)?;
    if need_session {
        url.session().map_err(bad)?;
    }
    let link = Link::connect(&url).map_err(|e| super::connect_error(&url, e))?;
    Ok((url, link))
}

/// Reads every row of the session and checks it like a file journal's lines.
pub fn verify_session(text: &str) -> Result<SessionCheck, JournalError> {
    let (url, link) = connect(text, true)?;
    let session = url.session.clone().unwrap_or_default();
    let rows = link
        .call(move |c| async move {
            Ok(match schema::ensure(&c, false).await {
                Ok(_) => Ok(rows::fetch_after(&c, &session, 0).await?),
                Err(e) => Err(e),
            })
        })
        .map_err(|e| call_error(&url.shown, e))?
        .map_err(|e| JournalError::Database { journal: url.shown.clone(), reason: e })?;
    let chunk = rows::check(&rows, None);
    let verified = Verified {
        records: chunk.records.len() as u64,
        bad: chunk.bad.clone(),
        torn_tail_bytes: None,
        first_ts: chunk.records.first().map(|r| r.ts),
        last_ts: chunk.records.last().map(|r| r.ts),
        last_hash: chunk.records.last().map(|r| r.hash.clone()),
    };
    Ok(SessionCheck { verified, records: chunk.records, shown: url.shown })
}

/// The session as file-journal lines (each without `\n`), when it is intact.
pub fn export_lines(text: &str) -> Result<Result<Vec<String>, SessionCheck>, JournalError> {
    let check = verify_session(text)?;
    if check.verified.bad.is_some() {
        return Ok(Err(check));
    }
    Ok(Ok(check.records.iter().map(Record::to_line).collect()))
}

/// Writes `records` (already verified) into the session, which must be
/// empty: `Ok(Err(why))` when it is not. All or nothing, one transaction.
pub fn import_records(text: &str, records: Vec<Record>) -> Result<Result<u64, String>, JournalError> {
    let (url, link) = connect(text, true)?;
    let session = url.session.clone().unwrap_or_default();
    let shown = url.shown.clone();
    let outcome = link
        .call(move |c| async move {
            if let Err(e) = schema::ensure(&c, true).await {
                return Ok(Err(e));
            }
            c.batch_execute("BEGIN").await?;
            let r = async {
                c.execute("SELECT pg_advisory_xact_lock(hashtextextended('warroom:' || $1, 0))", &[&session]).await?;
                let n: i64 =
                    c.query_one("SELECT count(*) FROM warroom_records WHERE session = $1", &[&session]).await?.get(0);
                if n > 0 {
                    return Ok(Err(format!(
                        "not imported: session `{session}` in {shown} already has {n} records; import only into a \
                         new session (choose another ?session=ID)"
                    )));
                }
                for rec in &records {
                    rows::RawRow::of(rec).insert(&c, &session, &super::append::new_record_id()).await?;
                }
                let last = records.last().map(|r| r.seq as i64).unwrap_or(0);
                let payload = serde_json::json!({ "session": session, "seq": last }).to_string();
                c.execute("SELECT pg_notify($1, $2)", &[&schema::CHANNEL, &payload]).await?;
                Ok(Ok(records.len() as u64))
            }
            .await;
            match &r {
                Ok(Ok(_)) => c.batch_execute("COMMIT").await?,
                _ => {
                    let _ = c.batch_execute("ROLLBACK").await;
                }
            }
            r
        })
        .map_err(|e| call_error(&url.shown, e))?;
    Ok(outcome)
}

/// Creates the tables (if missing) and says what is there.
pub fn db_init(text: &str) -> Result<String, JournalError> {
    let (url, link) = connect(text, false)?;
    let state = link
        .call(move |c| async move { Ok(schema::ensure(&c, true).await) })
        .map_err(|e| call_error(&url.shown, e))?
        .map_err(|e| JournalError::Database { journal: url.shown.clone(), reason: e })?;
    let what = match (state.created, state.upgraded_from) {
        (true, _) => "created".to_string(),
        (false, Some(from)) => format!("upgraded from schema version {from}"),
        (false, None) => "already there".to_string(),
    };
    Ok(format!(
        "{}: warroom tables {what} (schema version {}){}",
        url.shown,
        state.version,
        if state.can_insert { "" } else { "; this role may only read them" }
    ))
}

/// The consoles present on the session now (`warroom who`).
pub fn present(text: &str) -> Result<Vec<crate::domain::presence::Presence>, JournalError> {
    let (url, link) = connect(text, true)?;
    let session = url.session.clone().unwrap_or_default();
    link.call(move |c| async move {
        Ok(match schema::ensure(&c, false).await {
            Ok(_) => Ok(super::presence::read(&c, &session, chrono::Utc::now()).await?),
            Err(e) => Err(e),
        })
    })
    .map_err(|e| call_error(&url.shown, e))?
    .map_err(|e| JournalError::Database { journal: url.shown.clone(), reason: e })
}
