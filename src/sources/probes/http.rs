//! HTTP probes over one shared reqwest client (rustls): at most 5 redirects,
//! the body read to at most 1 MiB, the whole attempt within the probe's timeout.

use std::time::Duration;

use reqwest::{Client, Method};

use super::errors;

/// Bodies are read up to this size.
pub const MAX_BODY: usize = 1024 * 1024;

/// The one client every probe shares (connection reuse, one TLS setup).
pub fn client() -> Client {
    Client::builder()
        .redirect(reqwest::redirect::Policy::limited(5))
        .user_agent(concat!("warroom/", env!("CARGO_PKG_VERSION"), " (probe)"))
        .pool_idle_timeout(Duration::from_secs(30))
        .build()
        .unwrap_or_else(|_| Client::new())
}

/// What one request saw.
#[derive(Debug)]
pub struct Seen {
    pub status: u16,
    /// The body as text (invalid UTF-8 replaced), at most `MAX_BODY` bytes.
    pub body: String,
    /// The body was longer than `MAX_BODY` (and reading stopped there).
    pub body_too_big: bool,
    /// The address that answered (`[IP]`).
    pub ip: Option<std::net::IpAddr>,
}

/// One request, ready to send: headers and body already filled in.
pub struct Outgoing<'a> {
    pub method: &'a str,
    pub url: &'a reqwest::Url,
    pub headers: &'a [(String, String)],
    pub body: Option<String>,
}

/// One request. The response body is read only when `need_body`.
pub async fn fetch(client: &Client, out: Outgoing<'_>, timeout: Duration, need_body: bool) -> Result<Seen, String> {
    let Outgoing { method, url, headers, body: request_body } = out;
    let host = url.host_str().unwrap_or("").to_string();
    let method = Method::from_bytes(method.to_ascii_uppercase().as_bytes())
        .map_err(|_| format!("bad HTTP method \"{method}\""))?;
    let work = async {
        let mut req = client.request(method, url.clone());
        for (k, v) in headers {
            req = req.header(k.as_str(), v.as_str());
        }
        if let Some(b) = request_body {
            req = req.body(b);
        }
        let mut resp = req.send().await.map_err(|e| errors::http_words(&e, &host, timeout))?;
        let status = resp.status().as_u16();
        let ip = resp.remote_addr().map(|a| a.ip());
        let mut body = Vec::new();
        let mut too_big = false;
        if need_body {
            while let Some(chunk) = resp.chunk().await.map_err(|e| errors::http_words(&e, &host, timeout))? {
                let room = MAX_BODY - body.len();
                if chunk.len() > room {
                    body.extend_from_slice(&chunk[..room]);
                    too_big = true;
                    break;
                }
                body.extend_from_slice(&chunk);
            }
        }
        Ok(Seen { status, body: String::from_utf8_lossy(&body).into_owned(), body_too_big: too_big, ip })
    };
    match tokio::time::timeout(timeout, work).await {
        Ok(r) => r,
        Err(_) => Err(errors::timeout(timeout)),
    }
}
