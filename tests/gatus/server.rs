//! A real HTTP server on 127.0.0.1 that answers each case of a table with
//! the status and body that case wants, and a route that answers late.

#![allow(dead_code)]

use std::net::SocketAddr;
use std::sync::Arc;
use std::time::Duration;

use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::routing::{any, get};
use axum::Router;

pub struct CaseServer {
    pub addr: SocketAddr,
    task: tokio::task::JoinHandle<()>,
}

impl CaseServer {
    pub fn url(&self, path: &str) -> String {
        format!("http://{}{}", self.addr, path)
    }
}

impl Drop for CaseServer {
    fn drop(&mut self) {
        self.task.abort();
    }
}

type Answers = Arc<Vec<(u16, String)>>;

async fn case(State(answers): State<Answers>, Path(n): Path<usize>) -> (StatusCode, String) {
    match answers.get(n) {
        Some((status, body)) => (StatusCode::from_u16(*status).unwrap_or(StatusCode::IM_A_TEAPOT), body.clone()),
        None => (StatusCode::NOT_FOUND, "no such case".into()),
    }
}

async fn slow(Path(ms): Path<u64>) -> &'static str {
    tokio::time::sleep(Duration::from_millis(ms)).await;
    "late"
}

/// The request's method, its X-Token header and its body.
async fn echo(method: axum::http::Method, headers: axum::http::HeaderMap, body: String) -> String {
    let token = headers.get("x-token").and_then(|v| v.to_str().ok()).unwrap_or("-");
    format!("{method} {token} {body}")
}

/// `/case/N` answers `answers[N]`; `/slow/MS` answers after MS milliseconds;
/// `/echo` answers with the request's method, then its body.
pub async fn start(answers: Vec<(u16, String)>) -> CaseServer {
    let app = Router::new()
        .route("/case/{n}", get(case))
        .route("/slow/{ms}", get(slow))
        .route("/echo", any(echo))
        .with_state(Arc::new(answers));
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    let task = tokio::spawn(async move {
        let _ = axum::serve(listener, app).await;
    });
    CaseServer { addr, task }
}

/// A port on 127.0.0.1 where nothing listens (bound, then released).
pub fn closed_port() -> u16 {
    let l = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    l.local_addr().unwrap().port()
}
