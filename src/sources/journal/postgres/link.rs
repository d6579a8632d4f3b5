//! The connection to the database, kept up in the background.
//!
//! The `Journal` API is synchronous (the console calls it from its loop, the
//! CLI from `main`), and tokio refuses to block on a runtime from inside
//! another. So the connection lives on a thread of its own with a small
//! runtime; callers hand it work with `call` and wait for the answer with a
//! deadline. The thread:
//!
//! - connects, `LISTEN`s, and wakes the console on every `NOTIFY` for its
//!   session (the console then reads `seq > last_seen`);
//! - when the connection ends, notes "unavailable since T", wakes the console
//!   (so it shows the banner), and reconnects with back-off (0.25 s doubling
//!   to 5 s); once back it wakes the console again, which catches up by seq
//!   (NOTIFY is not replayed).

use std::future::Future;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use chrono::{DateTime, Utc};
use futures_util::StreamExt;
use tokio_postgres::{AsyncMessage, Client};

use super::schema::CHANNEL;
use super::url::JournalUrl;
use crate::sources::{EventSender, SourceEvent};

/// Longest a single journal operation may take before it is given up as
/// failed (a network that drops packets rather than refusing): the console
/// waits this long at most, once, then shows the banner.
pub const OP_TIMEOUT: Duration = Duration::from_secs(5);
const BACKOFF_FIRST: Duration = Duration::from_millis(250);
const BACKOFF_MAX: Duration = Duration::from_secs(5);

/// Why a call failed.
#[derive(Debug)]
pub enum CallError {
    /// No connection (down, or lost during the call: its outcome is unknown).
    Unavailable(String),
    /// The database answered with an error (permission, constraint, …).
    Refused { code: Option<String>, text: String },
}

/// Why the first connection failed.
#[derive(Debug)]
pub struct ConnectError {
    pub text: String,
    /// Nothing answered (refused, timed out, no route, the server starting
    /// up): worth trying again. False for what trying again cannot fix (a
    /// wrong password or database name, a certificate that does not check out).
    pub unreachable: bool,
}

impl ConnectError {
    fn of(e: &tokio_postgres::Error) -> ConnectError {
        ConnectError { text: super::error_text(e), unreachable: unreachable(e) }
    }
}

/// Whether `e` says the server could not be reached (rather than refused us).
fn unreachable(e: &tokio_postgres::Error) -> bool {
    use std::io::ErrorKind::*;
    if let Some(db) = e.as_db_error() {
        // 57P03: "the database system is starting up" (or shutting down).
        return db.code().code() == "57P03";
    }
    let mut src = std::error::Error::source(e);
    while let Some(s) = src {
        if let Some(io) = s.downcast_ref::<std::io::Error>() {
            return matches!(
                io.kind(),
                ConnectionRefused
                    | ConnectionReset
                    | ConnectionAborted
                    | TimedOut
                    | HostUnreachable
                    | NetworkUnreachable
                    | NotConnected
                    | UnexpectedEof
                    | NotFound
            );
        }
        src = s.source();
    }
    // A connection closed during start-up, with nothing said.
    e.is_closed()
}

/// State shared between callers and the connection thread.
#[derive(Default)]
struct Shared {
    client: Mutex<Option<Arc<Client>>>,
    down: Mutex<Option<(DateTime<Utc>, String)>>,
    wake: Mutex<Option<EventSender>>,
    /// Asks `keep_up` to drop a connection that stopped answering.
    reset: tokio::sync::Notify,
}

pub struct Link {
    handle: tokio::runtime::Handle,
    shared: Arc<Shared>,
    stop: Option<tokio::sync::oneshot::Sender<()>>,
}

impl Drop for Link {
    fn drop(&mut self) {
        // The thread ends its runtime itself; nothing here blocks.
        if let Some(s) = self.stop.take() {
            let _ = s.send(());
        }
    }
}

impl Link {
    /// Starts the thread and waits for the first connection: an unreachable
    /// database at start is an error for the caller to report, not a banner.
    pub fn connect(url: &JournalUrl) -> Result<Link, ConnectError> {
        let fatal = |text: String| ConnectError { text, unreachable: false };
        let tls = super::tls::connector(url).map_err(fatal)?;
        let session = url.session.clone();
        let config = url.config.clone();
        let shared = Arc::new(Shared::default());
        let (ready_tx, ready_rx) = std::sync::mpsc::channel::<Result<tokio::runtime::Handle, ConnectError>>();
        let (stop_tx, stop_rx) = tokio::sync::oneshot::channel::<()>();
        let thread_shared = shared.clone();
        std::thread::Builder::new()
            .name("journal-pg".into())
            .spawn(move || {
                let rt = match tokio::runtime::Builder::new_current_thread().enable_all().build() {
                    Ok(rt) => rt,
                    Err(e) => {
                        let _ = ready_tx.send(Err(fatal(format!("cannot start the database thread: {e}"))));
                        return;
                    }
                };
                let handle = rt.handle().clone();
                rt.block_on(async move {
                    tokio::select! {
                        _ = keep_up(config, tls, session, thread_shared, ready_tx, handle) => {}
                        _ = stop_rx => {}
                    }
                });
            })
            .map_err(|e| fatal(format!("cannot start the database thread: {e}")))?;
        match ready_rx.recv() {
            Ok(Ok(handle)) => Ok(Link { handle, shared, stop: Some(stop_tx) }),
            Ok(Err(e)) => Err(e),
            Err(_) => Err(fatal("the database thread ended before connecting".into())),
        }
    }

    /// Since when, and why, the database cannot be reached (`None` while connected).
    pub fn down(&self) -> Option<(DateTime<Utc>, String)> {
        self.shared.down.lock().ok()?.clone()
    }

    /// Wakes `tx` (with `JournalChanged`) on every record of the session and
    /// every loss or return of the connection; once right away.
    pub fn watch(&self, tx: EventSender) {
        if let Ok(mut w) = self.shared.wake.lock() {
            *w = Some(tx);
        }
        // Sent from the connection's thread: the caller may be inside the console's runtime.
        let shared = self.shared.clone();
        self.handle.spawn(async move { wake(&shared).await });
    }

    /// Runs `f` on the connection thread without waiting for it (given up
    /// after `OP_TIMEOUT`); `false` when there is no connection to run it on.
    /// For what the console must not wait for (presence heartbeats).
    pub fn spawn<F, Fut>(&self, f: F) -> bool
    where
        F: FnOnce(Arc<Client>) -> Fut + Send + 'static,
        Fut: Future<Output = ()> + Send + 'static,
    {
        let client = self.shared.client.lock().ok().and_then(|c| c.clone());
        let Some(client) = client else { return false };
        self.handle.spawn(async move {
            let _ = tokio::time::timeout(OP_TIMEOUT, f(client)).await;
        });
        true
    }

    /// Runs `f` on the connection thread and waits for it (at most `OP_TIMEOUT`).
    pub fn call<T, F, Fut>(&self, f: F) -> Result<T, CallError>
    where
        T: Send + 'static,
        F: FnOnce(Arc<Client>) -> Fut + Send + 'static,
        Fut: Future<Output = Result<T, tokio_postgres::Error>> + Send + 'static,
    {
        let client = self.shared.client.lock().ok().and_then(|c| c.clone());
        let Some(client) = client else {
            let why = self.down().map(|(_, why)| why).unwrap_or_else(|| "not connected".into());
            return Err(CallError::Unavailable(why));
        };
        let (tx, rx) = std::sync::mpsc::sync_channel(1);
        let shared = self.shared.clone();
        self.handle.spawn(async move {
            let r = match tokio::time::timeout(OP_TIMEOUT, f(client)).await {
                Ok(r) => r.map_err(classify),
                Err(_) => {
                    // In an unknown state (maybe inside a transaction): drop this
                    // connection (the server rolls back) and let `keep_up` make a new one.
                    let why = format!("no answer within {} s", OP_TIMEOUT.as_secs());
                    mark_down(&shared, why.clone());
                    shared.reset.notify_one();
                    wake(&shared).await;
                    Err(CallError::Unavailable(why))
                }
            };
            let _ = tx.send(r);
        });
        rx.recv_timeout(OP_TIMEOUT + Duration::from_secs(2))
            .unwrap_or_else(|_| Err(CallError::Unavailable("the database thread did not answer".into())))
    }
}

/// A lost connection (outcome unknown) versus an answer from the server.
fn classify(e: tokio_postgres::Error) -> CallError {
    match e.as_db_error() {
        Some(db) if !e.is_closed() => {
            CallError::Refused { code: Some(db.code().code().to_string()), text: super::error_text(&e) }
        }
        _ => CallError::Unavailable(super::error_text(&e)),
    }
}

/// Tells the console to read. The queue to the console is bounded: this
/// waits for room rather than drop the wake-up (a missed one would leave the
/// console behind until the next record).
async fn wake(shared: &Shared) {
    let tx = shared.wake.lock().ok().and_then(|w| w.clone());
    if let Some(tx) = tx {
        let _ = tx.send(SourceEvent::JournalChanged).await;
    }
}

fn mark_down(shared: &Shared, why: String) {
    if let Ok(mut c) = shared.client.lock() {
        *c = None;
    }
    if let Ok(mut d) = shared.down.lock() {
        match d.as_mut() {
            Some((_, old)) => *old = why,
            None => *d = Some((crate::sources::clock::now(), why)),
        }
    }
}

/// Connects, listens, and reconnects for as long as the link lives.
async fn keep_up(
    config: tokio_postgres::Config,
    tls: tokio_postgres_rustls::MakeRustlsConnect,
    session: Option<String>,
    shared: Arc<Shared>,
    ready: std::sync::mpsc::Sender<Result<tokio::runtime::Handle, ConnectError>>,
    handle: tokio::runtime::Handle,
) {
    let mut ready = Some(ready);
    let mut backoff = BACKOFF_FIRST;
    loop {
        match config.connect(tls.clone()).await {
            Ok((client, connection)) => {
                let (ended_tx, ended_rx) = tokio::sync::oneshot::channel::<String>();
                let drive_shared = shared.clone();
                let drive_session = session.clone();
                let driver = tokio::spawn(async move {
                    let why = drive(connection, drive_session.as_deref(), &drive_shared).await;
                    let _ = ended_tx.send(why);
                });
                // A writer that vanishes inside its transaction (a network cut, not a close) would keep
                // the session's lock until the server noticed, hours later with default keepalives:
                // the server ends such a session itself after 10 s (an append is idle in its
                // transaction only while the guard runs, microseconds).
                let setup = format!("SET idle_in_transaction_session_timeout = '10s'; LISTEN {CHANNEL}");
                if let Err(e) = client.batch_execute(&setup).await {
                    if let Some(r) = ready.take() {
                        let _ = r.send(Err(ConnectError::of(&e)));
                        return;
                    }
                    mark_down(&shared, super::error_text(&e));
                } else {
                    if let Ok(mut c) = shared.client.lock() {
                        *c = Some(Arc::new(client));
                    }
                    if let Ok(mut d) = shared.down.lock() {
                        *d = None;
                    }
                    backoff = BACKOFF_FIRST;
                    if let Some(r) = ready.take() {
                        let _ = r.send(Ok(handle.clone()));
                    }
                    // Back: the console catches up on what was written meanwhile.
                    wake(&shared).await;
                    let why = tokio::select! {
                        why = ended_rx => why.unwrap_or_else(|_| "the connection ended".into()),
                        _ = shared.reset.notified() => {
                            // Dropping the connection closes its socket; the server rolls back.
                            driver.abort();
                            "the server stopped answering".into()
                        }
                    };
                    mark_down(&shared, why);
                    wake(&shared).await;
                }
            }
            Err(e) => {
                if let Some(r) = ready.take() {
                    let _ = r.send(Err(ConnectError::of(&e)));
                    return;
                }
                mark_down(&shared, super::error_text(&e));
            }
        }
        tokio::time::sleep(backoff).await;
        backoff = (backoff * 2).min(BACKOFF_MAX);
    }
}

/// Drives the connection (tokio-postgres needs this polled) and turns each
/// NOTIFY for our session into a wake-up. Returns why it ended.
async fn drive<S, T>(mut connection: tokio_postgres::Connection<S, T>, session: Option<&str>, shared: &Shared) -> String
where
    S: tokio::io::AsyncRead + tokio::io::AsyncWrite + Unpin,
    T: tokio::io::AsyncRead + tokio::io::AsyncWrite + Unpin,
{
    let mut messages = futures_util::stream::poll_fn(move |cx| connection.poll_message(cx));
    while let Some(m) = messages.next().await {
        match m {
            Ok(AsyncMessage::Notification(n)) => {
                if session.is_none_or(|s| payload_session(n.payload()).as_deref() == Some(s)) {
                    wake(shared).await;
                }
            }
            Ok(_) => {}
            Err(e) => return super::error_text(&e),
        }
    }
    "the server closed the connection".into()
}

/// The `session` of a NOTIFY payload.
fn payload_session(payload: &str) -> Option<String> {
    let v: serde_json::Value = serde_json::from_str(payload).ok()?;
    v.get("session")?.as_str().map(String::from)
}
