//! Posting filled templates to chat channels (docs/templates.md, "Sending").
//!
//! Each delivery is its own tokio task: POST, and on a transport error, a
//! timeout, HTTP 429 or 5xx, wait and try again (back-off doubling from
//! `first_backoff`) up to `attempts` times. Other 4xx answers are final (a
//! wrong token does not get better by asking again). Progress comes back as
//! `SourceEvent::Delivery`; the console journals the outcome and shows it.
//! The URL and header values are read from the environment here, at send
//! time, and never leave this module: errors name the channel, not the URL.

use std::time::Duration;

use serde_json::json;

use super::{EventSender, SourceEvent};
use crate::domain::channel::{Channel, ChannelKind};
use crate::domain::event::EventKind;
use crate::domain::redact::Redactor;
use crate::domain::runbook::HeaderValue;
use crate::domain::template::{render, Context};

/// What to send where.
#[derive(Clone, Debug, PartialEq)]
pub struct Delivery {
    pub channel: Channel,
    pub template: String,
    pub template_title: String,
    pub runbook: String,
    /// The event kind that sent it automatically (`send_on`); `None` by hand.
    pub on: Option<String>,
    pub text: String,
}

/// How hard to try.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct RetryPolicy {
    pub attempts: u32,
    pub first_backoff: Duration,
    /// Per attempt, connecting and answering.
    pub timeout: Duration,
}

impl Default for RetryPolicy {
    /// 4 attempts, 1 s / 2 s / 4 s apart, 5 s each: a receiver that is down
    /// is given up on (and shown failed) within about 30 s at worst.
    fn default() -> Self {
        RetryPolicy { attempts: 4, first_backoff: Duration::from_secs(1), timeout: Duration::from_secs(5) }
    }
}

#[derive(Clone, Debug, PartialEq)]
pub enum DeliveryState {
    /// Attempt `attempt` failed; the next one follows after `next_in`.
    Retrying {
        attempt: u32,
        error: String,
        next_in: Duration,
    },
    Sent {
        attempts: u32,
        status: u16,
    },
    Failed {
        attempts: u32,
        status: Option<u16>,
        error: String,
    },
}

#[derive(Clone, Debug, PartialEq)]
pub struct DeliveryUpdate {
    pub delivery: Delivery,
    pub state: DeliveryState,
}

/// The deliveries of template `id`, filled from `ctx` now, to each of its
/// `send_to` channels. What leaves for a chat server is as free of secrets
/// as the journal (`redactor`).
pub fn filled(ctx: &Context, redactor: &Redactor, id: &str, on: Option<&str>) -> Vec<Delivery> {
    let rb = ctx.runbook;
    let Some(t) = rb.template(id) else { return Vec::new() };
    let text = redactor.redact_owned(render(&t.text, ctx));
    t.send_to
        .iter()
        .filter_map(|c| rb.channel(c))
        .map(|c| Delivery {
            channel: c.clone(),
            template: t.id.clone(),
            template_title: t.title.clone(),
            runbook: rb.id.clone(),
            on: on.map(str::to_string),
            text: text.clone(),
        })
        .collect()
}

/// The automatic sends (`send_on`) for `event`, just written by the caller.
pub fn automatic(ctx: &Context, redactor: &Redactor, event: &EventKind) -> Vec<Delivery> {
    let kind = event.name();
    ctx.runbook
        .templates
        .iter()
        .filter(|t| t.send_on.iter().any(|k| k == kind))
        .flat_map(|t| filled(ctx, redactor, &t.id, Some(kind)))
        .collect()
}

/// The JSON body for the channel's kind (documented in docs/templates.md).
pub fn body(d: &Delivery) -> serde_json::Value {
    match d.channel.kind {
        ChannelKind::Slack => json!({ "text": d.text }),
        ChannelKind::Webhook => json!({
            "text": d.text,
            "template": d.template,
            "title": d.template_title,
            "runbook": d.runbook,
            "channel": d.channel.id,
            "event": d.on,
        }),
    }
}

fn resolve(v: &HeaderValue, what: &str) -> Result<String, String> {
    match v {
        HeaderValue::Literal(s) => Ok(s.clone()),
        HeaderValue::Env(name) => std::env::var(name).map_err(|_| {
            format!("{what} reads the environment variable {name}, which is not set here: export it where warroom runs")
        }),
    }
}

/// Starts the delivery in the background; never blocks the caller.
pub fn spawn(client: reqwest::Client, d: Delivery, policy: RetryPolicy, tx: EventSender) {
    tokio::spawn(async move {
        let state = deliver(&client, &d, policy, |st| {
            // A retry note is only news: dropped if the console is busy, never waited for.
            let _ = tx.try_send(SourceEvent::Delivery(Box::new(DeliveryUpdate { delivery: d.clone(), state: st })));
        })
        .await;
        // The outcome is journaled, so it waits for room.
        let _ = tx.send(SourceEvent::Delivery(Box::new(DeliveryUpdate { delivery: d, state }))).await;
    });
}

/// The process's one client (connection reuse across deliveries).
pub fn shared_client() -> reqwest::Client {
    static CLIENT: std::sync::OnceLock<reqwest::Client> = std::sync::OnceLock::new();
    CLIENT.get_or_init(client).clone()
}

/// A client for deliveries: no redirects (a webhook that redirects is misconfigured).
pub fn client() -> reqwest::Client {
    reqwest::Client::builder()
        .user_agent(concat!("warroom/", env!("CARGO_PKG_VERSION"), " (message)"))
        .redirect(reqwest::redirect::Policy::none())
        .build()
        .unwrap_or_else(|_| reqwest::Client::new())
}

/// Tries until sent, a final answer, or out of attempts; `progress` hears each retry.
pub async fn deliver(
    client: &reqwest::Client,
    d: &Delivery,
    policy: RetryPolicy,
    mut progress: impl FnMut(DeliveryState),
) -> DeliveryState {
    let target = format!("channel {}", d.channel.id);
    let prepared = resolve(&d.channel.url, &format!("the url of {target}")).and_then(|u| {
        let url = reqwest::Url::parse(&u)
            .ok()
            .filter(|u| matches!(u.scheme(), "http" | "https"))
            .ok_or_else(|| format!("the url of {target} is not an http(s) URL (check its environment variable)"))?;
        let mut headers = Vec::new();
        for (k, v) in &d.channel.headers {
            headers.push((k.clone(), resolve(v, &format!("header {k} of {target}"))?));
        }
        Ok((url, headers))
    });
    let (url, headers) = match prepared {
        Ok(p) => p,
        Err(error) => return DeliveryState::Failed { attempts: 0, status: None, error },
    };
    let body = body(d);
    let mut backoff = policy.first_backoff;
    let attempts = policy.attempts.max(1);
    for attempt in 1..=attempts {
        let mut req = client.post(url.clone()).timeout(policy.timeout).json(&body);
        for (k, v) in &headers {
            req = req.header(k, v);
        }
        let (status, error, retry) = match req.send().await {
            Ok(resp) => {
                let st = resp.status();
                if st.is_success() {
                    return DeliveryState::Sent { attempts: attempt, status: st.as_u16() };
                }
                let retry = st.is_server_error() || st.as_u16() == 429;
                (Some(st.as_u16()), format!("{target} answered HTTP {st}"), retry)
            }
            Err(e) => (None, super::probes::errors::http_words(&e.without_url(), &target, policy.timeout), true),
        };
        if !retry || attempt == attempts {
            return DeliveryState::Failed { attempts: attempt, status, error };
        }
        progress(DeliveryState::Retrying { attempt, error, next_in: backoff });
        tokio::time::sleep(backoff).await;
        backoff *= 2;
    }
    // Not reached: the last attempt returns above.
    DeliveryState::Failed { attempts, status: None, error: format!("{target}: gave up") }
}
