//! Probes (`[[probe]]` in docs/runbook-format.md): HTTP, TCP and command checks, each on its own
//! tokio task with its own interval (missed ticks skipped, so a slow or hanging
//! probe never delays another) and its own timeout. Every attempt becomes a
//! `SourceEvent::Probe(ProbeResult)`; health (UP/DOWN) is decided by
//! `domain::probe_history` in the app, not here.
//!
//! `env:NAME` header values are read from the environment at each attempt and
//! never appear in results, errors or the journal: every text of a result
//! (body excerpt, failed condition, error, command output) passes through the
//! runbook's `Redactor` here, where it enters, before anyone sees it.

pub mod cert;
pub mod command;
pub mod errors;
pub mod http;
pub mod tcp;

use std::collections::BTreeMap;
use std::path::PathBuf;
use std::sync::Arc;
use std::time::Duration;

use chrono::Utc;
use tokio::task::JoinHandle;
use tokio::time::MissedTickBehavior;

use super::{EventSender, ProbeResult, SourceEvent};
use crate::domain::condition::{Condition, Observation, Placeholder};
use crate::domain::probe_history::ProbeSample;
use crate::domain::redact::Redactor;
use crate::domain::runbook::{HeaderValue, Probe, ProbeTarget, Runbook};
use crate::domain::sanitize::clean;
use crate::domain::vars;

/// What every probe shares: the HTTP client, the vars to fill in, where commands
/// run, and what to hide in what comes back.
pub struct ProbeEnv {
    pub client: reqwest::Client,
    pub vars: BTreeMap<String, String>,
    pub cwd: PathBuf,
    pub redactor: Arc<Redactor>,
}

impl ProbeEnv {
    /// For a runbook: its vars (with `WARROOM_VAR_*` overrides), its folder, and
    /// a redactor for its secrets (read from the environment now).
    pub fn for_runbook(runbook: &Runbook) -> ProbeEnv {
        let vars = vars::effective_vars(&runbook.vars, |k| std::env::var(k).ok());
        let redactor = Arc::new(Redactor::for_runbook(runbook, &vars, |k| std::env::var(k).ok()));
        ProbeEnv::with_redactor(runbook, vars, redactor)
    }

    /// For a runbook, with vars and redactor already made (the console's own).
    pub fn with_redactor(runbook: &Runbook, vars: BTreeMap<String, String>, redactor: Arc<Redactor>) -> ProbeEnv {
        ProbeEnv { client: http::client(), vars, cwd: runbook.dir.clone(), redactor }
    }
}

/// Every text of a result with the secrets hidden.
fn redacted(mut r: ProbeResult, redactor: &Redactor) -> ProbeResult {
    if redactor.is_empty() {
        return r;
    }
    for text in [&mut r.failed_condition, &mut r.error, &mut r.detail].into_iter().flatten() {
        redactor.redact_in_place(text);
    }
    r
}

/// The running probes; dropping it stops them all.
pub struct ProbesHandle {
    tasks: Vec<JoinHandle<()>>,
}

impl ProbesHandle {
    pub fn stop(&self) {
        for t in &self.tasks {
            t.abort();
        }
    }
    pub fn len(&self) -> usize {
        self.tasks.len()
    }
    pub fn is_empty(&self) -> bool {
        self.tasks.is_empty()
    }
}

impl Drop for ProbesHandle {
    fn drop(&mut self) {
        self.stop();
    }
}

/// Starts one task per probe: an attempt right away, then every `every`.
/// Must be called inside a tokio runtime.
pub fn start(probes: &[Probe], env: Arc<ProbeEnv>, tx: EventSender) -> ProbesHandle {
    let tasks = probes
        .iter()
        .map(|p| {
            let (p, env, tx) = (p.clone(), env.clone(), tx.clone());
            tokio::spawn(async move {
                // The interval is session time: a rehearsal running faster probes sooner
                // (`sources::clock`), but never a real target more than once a wall second.
                let floor = if crate::sources::clock::speed() > 1 {
                    Duration::from_secs(1)
                } else {
                    Duration::from_millis(100)
                };
                let every = crate::sources::clock::wall_span(p.every.as_duration()).max(floor);
                let mut ticks = tokio::time::interval(every);
                ticks.set_missed_tick_behavior(MissedTickBehavior::Skip);
                loop {
                    ticks.tick().await;
                    let r = probe_once(&p, &env).await;
                    if tx.send(SourceEvent::Probe(r)).await.is_err() {
                        break;
                    }
                }
            })
        })
        .collect();
    ProbesHandle { tasks }
}

/// Every probe once, concurrently (for `warroom probe`), in runbook order.
pub async fn probe_all_once(probes: &[Probe], env: Arc<ProbeEnv>) -> Vec<ProbeResult> {
    let tasks: Vec<_> = probes
        .iter()
        .map(|p| {
            let (p, env) = (p.clone(), env.clone());
            tokio::spawn(async move { probe_once(&p, &env).await })
        })
        .collect();
    let mut out = Vec::with_capacity(tasks.len());
    for (t, p) in tasks.into_iter().zip(probes) {
        out.push(t.await.unwrap_or_else(|e| failed(p, Duration::ZERO, format!("probe task failed: {e}"))));
    }
    out
}

/// The history's view of one attempt.
pub fn sample_of(r: &ProbeResult) -> ProbeSample {
    ProbeSample {
        at: r.at,
        success: r.success,
        latency: r.latency,
        status: r.status,
        failure: r.failed_condition.clone().or_else(|| r.error.clone()),
    }
}

fn failed(p: &Probe, latency: Duration, error: String) -> ProbeResult {
    ProbeResult {
        probe: p.id.clone(),
        at: crate::sources::clock::now(),
        success: false,
        status: None,
        latency,
        failed_condition: None,
        error: Some(error),
        detail: None,
    }
}

/// One attempt of one probe, never longer than its timeout (plus the certificate check, if any).
pub async fn probe_once(p: &Probe, env: &ProbeEnv) -> ProbeResult {
    let at = crate::sources::clock::now();
    let started = tokio::time::Instant::now();
    let timeout = p.timeout.as_duration();
    let mut r = match &p.target {
        ProbeTarget::Http { url, method, headers, body } => {
            http_attempt(p, env, Request { url, method, headers, body: body.as_deref() }, timeout).await
        }
        ProbeTarget::Tcp { addr } => tcp_attempt(p, env, addr, timeout, started).await,
        ProbeTarget::Command { run } => command_attempt(p, env, run, timeout, started).await,
    };
    r.at = at;
    redacted(r, &env.redactor)
}

fn first_failed(conds: &[Condition], obs: &Observation<'_>) -> Option<String> {
    conds.iter().find_map(|c| c.evaluate(obs).err()).map(|e| clean(&e))
}

/// As [`first_failed`], but what it says it saw is taken from the body with
/// the secrets already hidden: an excerpt cut short after redaction could
/// otherwise keep half a token. Pass or fail is still decided on the real body.
fn first_failed_shown(conds: &[Condition], obs: &Observation<'_>, redactor: &Redactor) -> Option<String> {
    let failed = conds.iter().find(|c| c.evaluate(obs).is_err())?;
    let Some(std::borrow::Cow::Owned(hidden)) = obs.body.map(|b| redactor.redact(b)) else {
        return failed.evaluate(obs).err().map(|e| clean(&e));
    };
    let shown = Observation { body: Some(&hidden), ..obs.clone() };
    Some(match failed.evaluate(&shown) {
        Err(e) => clean(&e),
        Ok(()) => format!("{}: failed (the body held a secret, not shown)", clean(&failed.text)),
    })
}

fn needs(conds: &[Condition], f: impl Fn(&Placeholder) -> bool) -> bool {
    conds.iter().any(|c| c.uses(&f))
}

/// `[IP]` as Gatus prints it: an IPv4 address never in its IPv6-mapped form.
fn ip_text(ip: std::net::IpAddr) -> String {
    ip.to_canonical().to_string()
}

/// No connection was made. With a `[CONNECTED]` condition the conditions
/// still decide, as in Gatus (`[CONNECTED] == false` holds on a closed port);
/// otherwise the attempt failed with `error`.
fn unreached(p: &Probe, latency: Duration, error: String) -> ProbeResult {
    if !needs(&p.conditions, |o| matches!(o, Placeholder::Connected)) {
        return failed(p, latency, error);
    }
    let obs = Observation { response_time_ms: latency.as_millis() as u64, connected: false, ..Default::default() };
    let failed_condition = first_failed(&p.conditions, &obs);
    let success = failed_condition.is_none();
    ProbeResult {
        probe: p.id.clone(),
        at: crate::sources::clock::now(),
        success,
        status: None,
        latency,
        failed_condition,
        error: (!success).then(|| error.clone()),
        detail: success.then_some(error),
    }
}

/// A url probe's request as the runbook writes it.
struct Request<'a> {
    url: &'a str,
    method: &'a str,
    headers: &'a [(String, HeaderValue)],
    body: Option<&'a str>,
}

async fn http_attempt(p: &Probe, env: &ProbeEnv, req: Request<'_>, timeout: Duration) -> ProbeResult {
    let Request { url, method, headers, body } = req;
    let started = tokio::time::Instant::now();
    let url = match vars::render_text(url, &env.vars)
        .map_err(|e| format!("url: {e}"))
        .and_then(|u| reqwest::Url::parse(&u).map_err(|e| format!("bad url \"{}\": {e}", clean(&u))))
    {
        Ok(u) => u,
        Err(e) => return failed(p, Duration::ZERO, e),
    };
    let mut resolved = Vec::with_capacity(headers.len());
    for (name, value) in headers {
        let v = match value {
            HeaderValue::Literal(t) => match vars::render_text(t, &env.vars) {
                Ok(v) => v,
                Err(e) => return failed(p, Duration::ZERO, format!("header {name}: {e}")),
            },
            // Read at each attempt; the value is never put in a result or message.
            HeaderValue::Env(var) => match std::env::var(var) {
                Ok(v) => v,
                Err(_) => {
                    return failed(
                        p,
                        Duration::ZERO,
                        format!("header {name}: environment variable {var} is not set (export it before opening)"),
                    )
                }
            },
        };
        resolved.push((name.clone(), v));
    }
    let need_body = needs(&p.conditions, |o| matches!(o, Placeholder::Body | Placeholder::BodyPath(_)));
    let need_cert = needs(&p.conditions, |o| matches!(o, Placeholder::CertificateExpiration));
    let body = match body.map(|b| vars::render_text(b, &env.vars)).transpose() {
        Ok(b) => b,
        Err(e) => return failed(p, Duration::ZERO, format!("body: {e}")),
    };
    let out = http::Outgoing { method, url: &url, headers: &resolved, body };
    let seen = http::fetch(&env.client, out, timeout, need_body).await;
    let latency = started.elapsed();
    let seen = match seen {
        Ok(s) => s,
        Err(e) => return unreached(p, latency, e),
    };
    let mut r = ProbeResult {
        probe: p.id.clone(),
        at: crate::sources::clock::now(),
        success: false,
        status: Some(seen.status),
        latency,
        failed_condition: None,
        error: None,
        detail: Some(detail_of(seen.status, &seen.body, &env.redactor)),
    };
    if seen.body_too_big {
        r.error = Some(format!("body too big: over {} KiB (probes read at most 1 MiB)", http::MAX_BODY / 1024));
        return r;
    }
    let mut cert_ms = None;
    if need_cert {
        let host = url.host_str().unwrap_or("");
        let port = url.port_or_known_default().unwrap_or(443);
        if url.scheme() != "https" {
            r.error = Some("[CERTIFICATE_EXPIRATION] needs an https:// url".into());
            return r;
        }
        match cert::hours_left(host, port, timeout, Utc::now()).await {
            Ok(h) => cert_ms = Some((h * 3_600_000.0) as i64),
            Err(e) => {
                r.error = Some(format!("certificate check: {e}"));
                return r;
            }
        }
    }
    let obs = Observation {
        status: Some(seen.status),
        response_time_ms: latency.as_millis() as u64,
        body: Some(&seen.body),
        connected: true,
        ip: seen.ip.map(ip_text),
        cert_ms_left: cert_ms,
    };
    r.failed_condition = if p.conditions.is_empty() {
        (!(200..400).contains(&seen.status))
            .then(|| format!("HTTP {} (no conditions given: expecting 2xx or 3xx)", seen.status))
    } else {
        first_failed_shown(&p.conditions, &obs, &env.redactor)
    };
    r.success = r.failed_condition.is_none();
    r
}

/// `HTTP 200 · <first words of the body>`, sanitised, redacted (before it is
/// cut short, so no part of a secret is left) and short.
fn detail_of(status: u16, body: &str, redactor: &Redactor) -> String {
    let first = body.lines().map(str::trim).find(|l| !l.is_empty()).unwrap_or("");
    let excerpt: String = redactor.redact(&clean(first)).chars().take(80).collect();
    if excerpt.is_empty() {
        format!("HTTP {status}")
    } else {
        format!("HTTP {status} · {excerpt}")
    }
}

async fn tcp_attempt(
    p: &Probe,
    env: &ProbeEnv,
    addr: &str,
    timeout: Duration,
    started: tokio::time::Instant,
) -> ProbeResult {
    let addr = match vars::render_text(addr, &env.vars) {
        Ok(a) => a,
        Err(e) => return failed(p, Duration::ZERO, format!("tcp: {e}")),
    };
    let res = tcp::connect(&addr, timeout).await;
    let latency = started.elapsed();
    match res {
        Err(e) => unreached(p, latency, e),
        Ok(ip) => {
            let obs = Observation {
                response_time_ms: latency.as_millis() as u64,
                connected: true,
                ip: ip.map(ip_text),
                ..Default::default()
            };
            let failed_condition = first_failed(&p.conditions, &obs);
            ProbeResult {
                probe: p.id.clone(),
                at: crate::sources::clock::now(),
                success: failed_condition.is_none(),
                status: None,
                latency,
                failed_condition,
                error: None,
                detail: Some(format!("connected to {}", clean(&addr))),
            }
        }
    }
}

async fn command_attempt(
    p: &Probe,
    env: &ProbeEnv,
    run: &str,
    timeout: Duration,
    started: tokio::time::Instant,
) -> ProbeResult {
    let cmd = match vars::render_command(run, &env.vars) {
        Ok(c) => c,
        Err(e) => return failed(p, Duration::ZERO, format!("command: {e}")),
    };
    let res = command::run(&cmd, &env.cwd, timeout).await;
    let latency = started.elapsed();
    match res {
        Err(e) => failed(p, latency, e),
        Ok(out) => {
            let error = match (out.exit_code, out.signal) {
                (Some(0), _) => None,
                (Some(c), _) => Some(format!("exited with code {c}")),
                (None, Some(s)) => Some(format!("killed by signal {s}")),
                (None, None) => Some("ended without an exit status".to_string()),
            };
            let obs = Observation { response_time_ms: latency.as_millis() as u64, ..Default::default() };
            let failed_condition = if error.is_none() { first_failed(&p.conditions, &obs) } else { None };
            ProbeResult {
                probe: p.id.clone(),
                at: crate::sources::clock::now(),
                success: error.is_none() && failed_condition.is_none(),
                status: None,
                latency,
                failed_condition,
                error,
                detail: out.last_line,
            }
        }
    }
}
