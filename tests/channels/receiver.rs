//! A webhook receiver on 127.0.0.1 that keeps what it was sent, answering
//! as told: 200, 500, 500 then 200, or too slowly.

#![allow(dead_code)]

use std::net::SocketAddr;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use axum::extract::State;
use axum::http::{HeaderMap, StatusCode};
use axum::routing::post;
use axum::Router;

#[derive(Clone, Copy, Debug)]
pub enum Answer {
    Ok,
    Always500,
    /// 500 to the first `n` requests, then 200.
    FailFirst(usize),
    /// Answers 200 after this long (longer than the sender's timeout).
    Slow(Duration),
}

#[derive(Clone, Debug)]
pub struct Got {
    pub body: serde_json::Value,
    pub authorization: Option<String>,
}

#[derive(Clone)]
struct Shared {
    answer: Answer,
    got: Arc<Mutex<Vec<Got>>>,
}

pub struct Receiver {
    pub addr: SocketAddr,
    got: Arc<Mutex<Vec<Got>>>,
    _rt: Option<tokio::runtime::Runtime>,
    task: tokio::task::JoinHandle<()>,
}

impl Receiver {
    pub fn url(&self) -> String {
        format!("http://{}/hook/s3cret-path", self.addr)
    }
    pub fn got(&self) -> Vec<Got> {
        self.got.lock().unwrap().clone()
    }
}

impl Drop for Receiver {
    fn drop(&mut self) {
        self.task.abort();
    }
}

async fn hook(State(s): State<Shared>, headers: HeaderMap, body: String) -> StatusCode {
    let n = {
        let mut got = s.got.lock().unwrap();
        got.push(Got {
            body: serde_json::from_str(&body).unwrap_or(serde_json::Value::String(body)),
            authorization: headers.get("authorization").and_then(|v| v.to_str().ok()).map(str::to_string),
        });
        got.len()
    };
    match s.answer {
        Answer::Ok => StatusCode::OK,
        Answer::Always500 => StatusCode::INTERNAL_SERVER_ERROR,
        Answer::FailFirst(k) if n <= k => StatusCode::INTERNAL_SERVER_ERROR,
        Answer::FailFirst(_) => StatusCode::OK,
        Answer::Slow(d) => {
            tokio::time::sleep(d).await;
            StatusCode::OK
        }
    }
}

/// Starts on the current tokio runtime.
pub async fn start(answer: Answer) -> Receiver {
    let got = Arc::new(Mutex::new(Vec::new()));
    let app = Router::new().route("/hook/{secret}", post(hook)).with_state(Shared { answer, got: got.clone() });
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    let task = tokio::spawn(async move {
        let _ = axum::serve(listener, app).await;
    });
    Receiver { addr, got, _rt: None, task }
}

/// Starts on a runtime of its own, for plain (non-async) tests.
pub fn start_blocking(answer: Answer) -> Receiver {
    let rt = tokio::runtime::Builder::new_multi_thread().worker_threads(1).enable_all().build().unwrap();
    let mut r = rt.block_on(start(answer));
    r._rt = Some(rt);
    r
}

/// A port with nothing listening on it (bound, then released).
pub fn down_url() -> String {
    let l = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let addr = l.local_addr().unwrap();
    drop(l);
    format!("http://{addr}/hook/nobody-home")
}
