//! The demo's local platform: a real HTTP server (axum) on 127.0.0.1 with an
//! ephemeral port, serving the pages and APIs the demo runbook probes, with
//! realistic latencies and jitter, plus a TCP "database" port. How each
//! endpoint behaves is read from the control folder on every request (see
//! `demo::control`), so runbook steps change the platform by writing files.

use std::io;
use std::net::SocketAddr;
use std::time::Duration;

use axum::body::Body;
use axum::extract::State;
use axum::http::{header, HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use axum::Router;
use rand::Rng;
use tokio::io::AsyncWriteExt;
use tokio::net::TcpListener;
use tokio::task::JoinHandle;

use super::control::{Control, Mode};

/// How long a `down` endpoint keeps a request hanging: longer than any probe timeout.
const HANG: Duration = Duration::from_secs(30);

/// A running platform. Dropping it stops its tasks.
pub struct Platform {
    http: SocketAddr,
    database: SocketAddr,
    tasks: Vec<JoinHandle<()>>,
}

impl Platform {
    /// Binds both ports on 127.0.0.1 (ephemeral) and starts serving on the current tokio runtime.
    pub async fn start(control: Control) -> io::Result<Platform> {
        let listener = TcpListener::bind("127.0.0.1:0").await?;
        let http = listener.local_addr()?;
        let app = router(control.clone());
        let server = tokio::spawn(async move {
            // An accept error ends the server; the probes then show it DOWN, which is honest.
            let _ = axum::serve(listener, app).await;
        });
        let db_listener = TcpListener::bind("127.0.0.1:0").await?;
        let database = db_listener.local_addr()?;
        let db = tokio::spawn(serve_database(db_listener, database, control));
        Ok(Platform { http, database, tasks: vec![server, db] })
    }

    /// Base URL, like `http://127.0.0.1:41234`.
    pub fn site(&self) -> String {
        format!("http://{}", self.http)
    }

    pub fn http_addr(&self) -> SocketAddr {
        self.http
    }

    /// `host:port` of the database port.
    pub fn database(&self) -> String {
        self.database.to_string()
    }

    pub fn stop(&mut self) {
        for t in self.tasks.drain(..) {
            t.abort();
        }
    }
}

impl Drop for Platform {
    fn drop(&mut self) {
        self.stop();
    }
}

pub fn router(control: Control) -> Router {
    Router::new()
        .route("/", get(homepage))
        .route("/user/login", get(login))
        .route("/marketplace", get(marketplace))
        .route("/api/health", get(api_health))
        .route("/api/v1/analytics", get(analytics))
        .route("/api/billing/webhook", post(billing_webhook))
        .route("/admin/health", get(admin_health))
        .route("/hooks/chat", post(chat_hook))
        .fallback(not_found)
        .with_state(control)
}

/// Typical latency of each endpoint, in milliseconds (low, high).
fn base_latency(endpoint: &str) -> (u64, u64) {
    match endpoint {
        "homepage" => (70, 180),
        "login" => (50, 120),
        "marketplace" => (120, 260),
        "api" => (15, 60),
        "analytics" => (150, 380),
        "billing-webhook" => (10, 40),
        "admin-health" => (30, 90),
        _ => (5, 20),
    }
}

/// The latency to simulate for one request right now.
fn latency(control: &Control, endpoint: &str, mode: Mode) -> Duration {
    let (lo, hi) = base_latency(endpoint);
    let heat = control.deploy_heat();
    let mut rng = rand::rng();
    let mut ms = rng.random_range(lo..=hi);
    // A rare slow request even on a good day, so p95 is not a flat line.
    if rng.random_bool(0.03) {
        ms += rng.random_range(200..600);
    }
    if heat > 0.0 {
        ms += (heat * rng.random_range(400.0..900.0)) as u64;
    }
    if mode == Mode::Slow {
        ms += rng.random_range(1800..3200);
    }
    Duration::from_millis(ms)
}

/// Waits the simulated latency and says how the endpoint should answer.
/// `None` means answer normally; `Some(response)` is the failure to return.
async fn behave(control: &Control, endpoint: &str) -> Option<Response> {
    let mode = control.mode(endpoint);
    tokio::time::sleep(latency(control, endpoint, mode)).await;
    match mode {
        Mode::Ok | Mode::Slow => None,
        Mode::Failing => Some(
            (
                StatusCode::INTERNAL_SERVER_ERROR,
                [(header::CONTENT_TYPE, "application/json")],
                format!(
                    "{{\"status\":\"DOWN\",\"error\":\"upstream {endpoint}: connection pool exhausted\",\"release\":\"{}\"}}",
                    control.release()
                ),
            )
                .into_response(),
        ),
        Mode::Down => {
            tokio::time::sleep(HANG).await;
            Some((StatusCode::SERVICE_UNAVAILABLE, "Service Unavailable\n").into_response())
        }
    }
}

fn html(title: &str, body: &str, release: &str) -> Response {
    let page = format!(
        "<!doctype html>\n<html lang=\"en\"><head><meta charset=\"utf-8\"><title>{title} | Alder</title></head>\n\
         <body><header>Alder platform</header>\n<main>{body}</main>\n<footer>release {release}</footer></body></html>\n"
    );
    ([(header::CONTENT_TYPE, "text/html; charset=utf-8")], page).into_response()
}

fn json(status: StatusCode, body: String) -> Response {
    (status, [(header::CONTENT_TYPE, "application/json")], body).into_response()
}

async fn homepage(State(c): State<Control>) -> Response {
    if let Some(r) = behave(&c, "homepage").await {
        return r;
    }
    html("Home", "<h1>Welcome to Alder</h1><p>Jobs, mentoring and a local marketplace.</p>", &c.release())
}

async fn login(State(c): State<Control>) -> Response {
    if let Some(r) = behave(&c, "login").await {
        return r;
    }
    html(
        "Log in",
        "<form method=\"post\" action=\"/user/login\"><input name=\"name\"><input name=\"pass\" type=\"password\">\
         <button>Log in</button></form>",
        &c.release(),
    )
}

async fn marketplace(State(c): State<Control>) -> Response {
    if let Some(r) = behave(&c, "marketplace").await {
        return r;
    }
    html("Marketplace", "<h1>Marketplace</h1><ul><li>Olive oil, 5 l</li><li>Honey, 1 kg</li></ul>", &c.release())
}

async fn api_health(State(c): State<Control>) -> Response {
    if let Some(r) = behave(&c, "api").await {
        return r;
    }
    let db = if c.mode("database") == Mode::Ok { "UP" } else { "DOWN" };
    json(
        StatusCode::OK,
        format!("{{\"status\":\"UP\",\"release\":\"{}\",\"database\":\"{db}\",\"queue\":\"UP\"}}", c.release()),
    )
}

async fn analytics(State(c): State<Control>) -> Response {
    if let Some(r) = behave(&c, "analytics").await {
        return r;
    }
    let (visits, signups) = {
        let mut rng = rand::rng();
        (rng.random_range(1200..1500), rng.random_range(8..20))
    };
    json(
        StatusCode::OK,
        format!("{{\"window\":\"1h\",\"visits\":{visits},\"signups\":{signups},\"events_ingested\":true}}"),
    )
}

/// Like a payment provider's webhook endpoint: a call without a signature is
/// rejected with 400, which is what the probe expects from a healthy endpoint.
async fn billing_webhook(State(c): State<Control>, headers: HeaderMap) -> Response {
    if let Some(r) = behave(&c, "billing-webhook").await {
        return r;
    }
    if headers.contains_key("billing-signature") {
        json(StatusCode::OK, "{\"received\":true}".into())
    } else {
        json(StatusCode::BAD_REQUEST, "{\"error\":\"missing signature header\"}".into())
    }
}

async fn admin_health(State(c): State<Control>) -> Response {
    if let Some(r) = behave(&c, "admin-health").await {
        return r;
    }
    let cache = if c.mode("cache") == Mode::Ok { "UP" } else { "DOWN" };
    json(
        StatusCode::OK,
        format!(
            "{{\"status\":\"UP\",\"release\":\"{}\",\"checks\":{{\"cache\":\"{cache}\",\"queue\":\"UP\",\"mail\":\"UP\"}}}}",
            c.release()
        ),
    )
}

/// The team chat's incoming webhook (Slack-style `{"text": …}`): each message
/// goes to `logs/chat.log` beside the control folder, one line per line of
/// text, so the console's Logs pane shows what the channel received.
/// `control/chat` set to `failing` or `down` breaks it, to see retries.
async fn chat_hook(State(c): State<Control>, body: String) -> Response {
    if let Some(r) = behave(&c, "chat").await {
        return r;
    }
    let text = serde_json::from_str::<serde_json::Value>(&body)
        .ok()
        .and_then(|v| v.get("text").and_then(|t| t.as_str()).map(str::to_string));
    let Some(text) = text else {
        return json(StatusCode::BAD_REQUEST, "{\"error\":\"expected {\\\"text\\\": ...}\"}".into());
    };
    let path = c.dir().parent().unwrap_or(c.dir()).join("logs/chat.log");
    let at = chrono::Utc::now().format("%Y-%m-%dT%H:%M:%S%.3fZ");
    let lines: String = text.lines().map(|l| format!("{at} [#golive] {l}\n")).collect();
    let written = tokio::fs::OpenOptions::new().create(true).append(true).open(&path).await;
    match written {
        Ok(mut f) => match f.write_all(lines.as_bytes()).await {
            Ok(()) => (StatusCode::OK, "ok").into_response(),
            Err(_) => json(StatusCode::INTERNAL_SERVER_ERROR, "{\"error\":\"chat log not writable\"}".into()),
        },
        Err(_) => json(StatusCode::INTERNAL_SERVER_ERROR, "{\"error\":\"chat log not writable\"}".into()),
    }
}

async fn not_found() -> Response {
    (StatusCode::NOT_FOUND, Body::from("Not Found\n")).into_response()
}

/// The "database": accepts connections and sends a server greeting, like a
/// database server would. When `control/database` says it is not `ok`, the
/// port is closed (connection refused) until it says `ok` again.
async fn serve_database(listener: TcpListener, addr: SocketAddr, control: Control) {
    let mut listener = Some(listener);
    loop {
        let wanted_up = control.mode("database") == Mode::Ok;
        match (&listener, wanted_up) {
            (Some(_), false) => listener = None,
            (None, true) => listener = TcpListener::bind(addr).await.ok(),
            _ => {}
        }
        match &listener {
            Some(l) => {
                // Re-check the control file at least twice a second.
                if let Ok(Ok((mut sock, _))) = tokio::time::timeout(Duration::from_millis(500), l.accept()).await {
                    tokio::spawn(async move {
                        let _ = sock.write_all(b"5.5.5-10.11.6-MariaDB alder_prod ready\n").await;
                        let _ = sock.shutdown().await;
                    });
                }
            }
            None => tokio::time::sleep(Duration::from_millis(500)).await,
        }
    }
}
