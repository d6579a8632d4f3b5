//! A real HTTP server on 127.0.0.1 for probe tests and the probe benchmark:
//! it answers well, slowly, never, with 500, with a huge or hostile body, and
//! a raw TCP listener that resets every connection.

#![allow(dead_code)]

use std::net::SocketAddr;
use std::time::Duration;

use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Redirect};
use axum::routing::get;
use axum::Router;

pub struct TestServer {
    pub addr: SocketAddr,
    /// HTTPS (self-signed certificate for localhost, see `fixtures/`).
    pub tls_addr: SocketAddr,
    /// A port that accepts and resets every connection.
    pub reset_addr: SocketAddr,
    tasks: Vec<tokio::task::JoinHandle<()>>,
}

impl TestServer {
    pub fn url(&self, path: &str) -> String {
        format!("http://{}{}", self.addr, path)
    }
}

impl Drop for TestServer {
    fn drop(&mut self) {
        for t in &self.tasks {
            t.abort();
        }
    }
}

pub const HOSTILE: &str = "\x1b]52;c;cHduZWQ=\x07Welcome\x1b[2J\x1b]0;owned\x07 \u{202e}txt.exe";

async fn slow() -> &'static str {
    tokio::time::sleep(Duration::from_millis(300)).await;
    "slow but fine"
}

async fn hang() -> &'static str {
    std::future::pending::<()>().await;
    "never"
}

async fn auth(headers: HeaderMap) -> impl IntoResponse {
    match headers.get("authorization").and_then(|v| v.to_str().ok()) {
        Some("Bearer s3cret-token") => (StatusCode::OK, "authorised"),
        _ => (StatusCode::UNAUTHORIZED, "who are you"),
    }
}

/// Sends the request's headers back as the body, `name: value` a line, the
/// way a debugging endpoint or a verbose error page does.
async fn echo_headers(headers: HeaderMap) -> impl IntoResponse {
    let mut body = String::new();
    for (name, value) in &headers {
        body.push_str(&format!("{name}: {}\n", value.to_str().unwrap_or("?")));
    }
    (StatusCode::OK, body)
}

pub async fn start() -> TestServer {
    let app = Router::new()
        .route("/ok", get(|| async { "<h1>Welcome</h1>\nrest of page" }))
        .route("/json", get(|| async { axum::Json(serde_json::json!({"status": "UP", "db": {"latency_ms": 4}})) }))
        .route("/slow", get(slow))
        .route("/hang", get(hang))
        .route("/500", get(|| async { (StatusCode::INTERNAL_SERVER_ERROR, "boom") }))
        .route("/huge", get(|| async { "x".repeat(3 * 1024 * 1024) }))
        .route("/hostile", get(|| async { HOSTILE }))
        .route("/loop", get(|| async { Redirect::temporary("/loop") }))
        .route("/auth", get(auth))
        .route("/echo-headers", get(echo_headers));
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    let http = tokio::spawn(async move {
        let _ = axum::serve(listener, app).await;
    });
    let reset = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let reset_addr = reset.local_addr().unwrap();
    let resetter = tokio::spawn(async move {
        loop {
            let Ok((sock, _)) = reset.accept().await else { continue };
            // Read the request first so the client is waiting for an answer, then RST.
            let mut buf = [0u8; 1024];
            let _ = tokio::time::timeout(Duration::from_millis(500), sock.readable()).await;
            let _ = sock.try_read(&mut buf);
            let _ = sock.set_zero_linger();
            drop(sock);
        }
    });
    let (tls_addr, tls) = start_tls().await;
    TestServer { addr, reset_addr, tls_addr, tasks: vec![http, resetter, tls] }
}

pub const CERT_DER: &[u8] = include_bytes!("fixtures/localhost.crt.der");
const KEY_DER: &[u8] = include_bytes!("fixtures/localhost.key.der");

/// A minimal HTTPS server: handshake, then one fixed answer per connection.
async fn start_tls() -> (SocketAddr, tokio::task::JoinHandle<()>) {
    use rustls::pki_types::{CertificateDer, PrivateKeyDer, PrivatePkcs8KeyDer};
    use std::sync::Arc;
    use tokio::io::{AsyncReadExt, AsyncWriteExt};
    let config = rustls::ServerConfig::builder_with_provider(Arc::new(rustls::crypto::ring::default_provider()))
        .with_safe_default_protocol_versions()
        .unwrap()
        .with_no_client_auth()
        .with_single_cert(
            vec![CertificateDer::from(CERT_DER.to_vec())],
            PrivateKeyDer::Pkcs8(PrivatePkcs8KeyDer::from(KEY_DER.to_vec())),
        )
        .unwrap();
    let acceptor = tokio_rustls::TlsAcceptor::from(Arc::new(config));
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    let task = tokio::spawn(async move {
        loop {
            let Ok((sock, _)) = listener.accept().await else { continue };
            let acceptor = acceptor.clone();
            tokio::spawn(async move {
                if let Ok(mut tls) = acceptor.accept(sock).await {
                    let mut buf = [0u8; 2048];
                    let _ = tls.read(&mut buf).await;
                    let _ = tls.write_all(b"HTTP/1.1 200 OK\r\nContent-Length: 2\r\nConnection: close\r\n\r\nok").await;
                    let _ = tls.shutdown().await;
                }
            });
        }
    });
    (addr, task)
}
