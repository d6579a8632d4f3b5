//! `[[channel]]`, a template's `send_to` / `send_on`, and
//! `links = [{ title, url }]` (docs/runbook-format.md).

use toml::de::DeValue;
use toml::Spanned;

use super::reader::{type_name, Ctx, Table};
use super::refs::{declare, refer, Kind};
use crate::domain::channel::{Channel, ChannelKind, Link};
use crate::domain::event::EventKind;
use crate::domain::runbook::HeaderValue;
use crate::domain::vars;

const KINDS: &[(&str, ChannelKind)] = &[("slack", ChannelKind::Slack), ("webhook", ChannelKind::Webhook)];

/// `env:NAME` or a literal; `None` (with an error) for a bare `env:`.
fn secret(ctx: &mut Ctx, v: &Spanned<String>, what: &str) -> Option<HeaderValue> {
    match v.get_ref().strip_prefix("env:") {
        Some(var) if !var.is_empty() => Some(HeaderValue::Env(var.to_string())),
        Some(_) => {
            ctx.error(&v.span(), format!("{what}: write env:NAME to read it from the environment"));
            None
        }
        None => Some(HeaderValue::Literal(v.get_ref().clone())),
    }
}

/// A literal URL must be absolute http(s); `env:` ones are checked when sending.
/// `url` is checked; the message names it as `shown` (quoted).
fn check_url(ctx: &mut Ctx, url: &Spanned<String>, what: &str, shown: &str) -> bool {
    let u = url.get_ref();
    let ok = (u.starts_with("http://") || u.starts_with("https://")) && url::Url::parse(u).is_ok();
    if !ok || u.chars().any(char::is_control) {
        ctx.error(
            &url.span(),
            format!("url {shown} in {what} is not a usable http(s) URL: write it like \"https://host/path\""),
        );
        return false;
    }
    true
}

pub(super) fn channel(ctx: &mut Ctx, t: &mut Table) -> Option<Channel> {
    t.check_keys(ctx, &["id", "title", "kind", "url", "headers"]);
    let id = t.id(ctx);
    if let Some(id) = &id {
        declare(ctx, Kind::Channel, id);
        t.what = format!("[[channel]] \"{}\"", id.get_ref());
    }
    let title = t.str(ctx, "title").map(|s| s.into_inner());
    let kind = if t.get("kind").is_none() {
        t.missing(ctx, "kind", "\"slack\" (or \"webhook\")");
        None
    } else {
        t.choice(ctx, "kind", KINDS)
    };
    let what = t.what.clone();
    let url = t.req_str(ctx, "url", "\"env:GOLIVE_WEBHOOK_URL\"").and_then(|u| {
        let v = secret(ctx, &u, &format!("url of {what}"))?;
        match &v {
            HeaderValue::Literal(_) if !check_url(ctx, &u, &what, &format!("\"{}\"", u.get_ref().escape_debug())) => {
                None
            }
            _ => Some(v),
        }
    });
    let mut headers = Vec::new();
    if let Some(h) = t.table(ctx, "headers", format!("headers of {what}")) {
        for (k, v) in h.t.iter() {
            let name: &str = k.get_ref();
            let DeValue::String(val) = v.get_ref() else {
                ctx.error(&v.span(), format!("header {name} in {what} must be text in quotes"));
                continue;
            };
            if let Some(value) = secret(ctx, &Spanned::new(v.span(), val.to_string()), &format!("header {name}")) {
                headers.push((name.to_string(), value));
            }
        }
    }
    let id = id?.into_inner();
    Some(Channel { title: title.unwrap_or_else(|| id.clone()), id, kind: kind?, url: url?, headers })
}

/// `send_to` (channel ids) and `send_on` (journal event kinds) of a template.
pub(super) fn sending(ctx: &mut Ctx, t: &Table) -> (Vec<String>, Vec<String>) {
    let what = t.what.clone();
    let mut to = Vec::new();
    for c in t.str_list(ctx, "send_to").unwrap_or_default() {
        refer(ctx, Kind::Channel, &c, &what);
        to.push(c.into_inner());
    }
    let mut on = Vec::new();
    for k in t.str_list(ctx, "send_on").unwrap_or_default() {
        if !EventKind::KINDS.contains(&k.get_ref().as_str()) {
            let hint = vars::suggest(k.get_ref(), EventKind::KINDS.iter().copied());
            ctx.error(
                &k.span(),
                format!(
                    "send_on in {what}: \"{}\" is not a journal event kind{hint}; use kinds like \"decision.recorded\", \"rollback.finished\", \"incident.declared\"",
                    k.get_ref()
                ),
            );
            continue;
        }
        if matches!(k.get_ref().as_str(), "message.sent" | "message.failed") {
            // A message about a message: a failing channel would feed itself forever.
            ctx.error(
                &k.span(),
                format!(
                    "send_on in {what}: \"{}\" cannot send a message (each delivery would send another); the status line and the journal already show deliveries",
                    k.get_ref()
                ),
            );
            continue;
        }
        on.push(k.into_inner());
    }
    if !on.is_empty() && to.is_empty() {
        let span = t.get("send_on").map(|v| v.span()).unwrap_or(t.span.clone());
        ctx.error(&span, format!("{what} has send_on but no send_to: add send_to = [\"<channel id>\"]"));
    }
    (to, on)
}

/// `links = [{ title = "Grafana", url = "https://…" }]` on steps, criteria and probes.
pub(super) fn links(ctx: &mut Ctx, t: &Table) -> Vec<Link> {
    let Some(v) = t.get("links") else { return Vec::new() };
    let DeValue::Array(items) = v.get_ref() else {
        ctx.error(
            &v.span(),
            format!("links in {} must be a list like [{{ title = \"Dashboard\", url = \"https://…\" }}]", t.what),
        );
        return Vec::new();
    };
    let mut out = Vec::new();
    for (i, item) in items.iter().enumerate() {
        let DeValue::Table(lt) = item.get_ref() else {
            ctx.error(
                &item.span(),
                format!(
                    "link {} of {} must be {{ title = \"...\", url = \"...\" }}, not {}",
                    i + 1,
                    t.what,
                    type_name(item.get_ref())
                ),
            );
            continue;
        };
        let l = Table::new(lt, item.span(), format!("link {} of {}", i + 1, t.what));
        l.check_keys(ctx, &["title", "url"]);
        let title = l.req_str(ctx, "title", "\"Grafana dashboard\"");
        let url = l.req_str(ctx, "url", "\"https://grafana.example/d/abc\"");
        if let (Some(title), Some(url)) = (title, url) {
            ctx.check_command_vars(&url);
            // Filled here, with the overrides the caller passed: a link is only
            // shown and copied, so the console has no later moment to fill it.
            // An unknown var was reported just above.
            let Some((filled, shown)) = ctx.fill(url.get_ref()) else { continue };
            if check_url(ctx, &Spanned::new(url.span(), filled.clone()), &l.what, &shown) {
                out.push(Link { title: title.into_inner(), url: filled });
            }
        }
    }
    out
}

#[cfg(test)]
mod load_tests {
    use std::path::Path;

    use super::super::load_bytes;
    use crate::domain::channel::ChannelKind;
    use crate::domain::runbook::HeaderValue;

    const GOOD: &str = r#"
[runbook]
id = "rb"
timezone = "Europe/Madrid"
t0 = "2026-02-12T06:00"

[[phase]]
id = "soft"
title = "Soft launch"
at = "T+1d"

[[step]]
id = "s"
phase = "soft"
title = "Daily check"
manual = true
links = [{ title = "Ticket", url = "https://tickets.example/CHG-1" }]

[[criterion]]
id = "c"
title = "Checked"
severity = "high"
valid_for = "24h"
every = "1d"
phase = "soft"

[[channel]]
id = "golive"
kind = "slack"
url = "env:HOOK"
headers = { "X-Token" = "env:TOKEN" }

[[template]]
id = "t"
title = "T"
text = "x"
send_to = ["golive"]
send_on = ["decision.recorded"]
"#;

    #[test]
    fn the_team_keys_load() {
        let rb = load_bytes(Path::new("rb.toml"), GOOD.as_bytes()).unwrap().runbook;
        assert_eq!(rb.t0.unwrap().to_rfc3339(), "2026-02-12T05:00:00+00:00");
        assert_eq!(rb.phases[0].at, Some(chrono::Duration::days(1)));
        assert_eq!(rb.steps[0].links[0].url, "https://tickets.example/CHG-1");
        assert_eq!(rb.criteria[0].valid_for.map(|d| d.as_millis()), Some(86_400_000));
        assert_eq!(rb.criteria[0].phase.as_deref(), Some("soft"));
        let ch = &rb.channels[0];
        assert_eq!((ch.kind, &ch.url), (ChannelKind::Slack, &HeaderValue::Env("HOOK".into())));
        assert_eq!(rb.templates[0].send_on, vec!["decision.recorded".to_string()]);
    }

    #[test]
    fn bad_team_keys_are_placed_at_file_line_col() {
        let bad = GOOD
            .replace("send_to = [\"golive\"]", "send_to = [\"golvie\"]")
            .replace("\"decision.recorded\"]", "\"decision.recoded\"]")
            .replace("kind = \"slack\"", "kind = \"email\"")
            .replace("at = \"T+1d\"", "at = \"tomorrow\"")
            .replace("https://tickets.example/CHG-1", "tickets/CHG-1");
        let diags = load_bytes(Path::new("rb.toml"), bad.as_bytes()).unwrap_err();
        let text: Vec<String> = diags.iter().map(|d| d.to_string()).collect();
        let has = |line: usize, what: &str| {
            assert!(
                text.iter().any(|t| t.starts_with(&format!("rb.toml:{line}:")) && t.contains(what)),
                "no {what:?} on line {line} in {text:#?}"
            )
        };
        has(10, "not an offset from T-0");
        has(17, "not a usable http(s) URL");
        has(29, "unknown kind \"email\"");
        has(37, "unknown channel \"golvie\"");
        has(38, "\"decision.recoded\" is not a journal event kind (did you mean \"decision.recorded\"?)");
    }

    #[test]
    fn a_message_cannot_be_sent_on_a_message() {
        let bad = GOOD.replace("send_on = [\"decision.recorded\"]", "send_on = [\"message.failed\"]");
        let diags = load_bytes(Path::new("rb.toml"), bad.as_bytes()).unwrap_err();
        let text: Vec<String> = diags.iter().map(|d| d.to_string()).collect();
        assert!(
            text.iter().any(|t| t.starts_with("rb.toml:38:") && t.contains("\"message.failed\" cannot send a message")),
            "{text:#?}"
        );
    }
}
