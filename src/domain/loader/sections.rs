//! `[runbook]`, `[vars]`, `[[phase]]`, `[[step]]`, `[[probe]]`, `[[log]]`.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use toml::de::DeValue;
use toml::Spanned;

use super::reader::{Ctx, Table};
use super::refs::{declare, refer, Kind};
use crate::domain::condition;
use crate::domain::duration::Dur;
use crate::domain::runbook::*;
use crate::domain::vars;

/// `[runbook]`: id, title (defaults to the id), timezone.
pub(super) fn runbook(ctx: &mut Ctx, t: &Table) -> (Option<String>, Option<String>, Option<chrono_tz::Tz>) {
    t.check_keys(ctx, &["id", "title", "timezone", "t0", "secret_vars", "redact", "sign"]);
    let id = t.id(ctx).map(|s| s.into_inner());
    let title = t.str(ctx, "title").map(|s| s.into_inner());
    let tz = t.str(ctx, "timezone").and_then(|s| match s.get_ref().parse::<chrono_tz::Tz>() {
        Ok(tz) => Some(tz),
        Err(_) => {
            let names = chrono_tz::TZ_VARIANTS.iter().map(|z| z.name());
            let hint = vars::suggest(s.get_ref(), names);
            ctx.error(
                &s.span(),
                format!(
                    "unknown timezone \"{}\"{hint}: use an IANA name like \"Europe/Madrid\" or \"UTC\"",
                    s.get_ref()
                ),
            );
            None
        }
    });
    (id, title, tz)
}

/// Var names: what a placeholder can name (`{site}`), so no dots or colons.
fn valid_var_name(s: &str) -> bool {
    let b = s.as_bytes();
    !b.is_empty()
        && (b[0].is_ascii_alphabetic() || b[0] == b'_')
        && b.iter().all(|c| c.is_ascii_alphanumeric() || *c == b'_' || *c == b'-')
}

/// `[vars]`: text values (numbers and booleans are taken as their text).
pub(super) fn vars_table(ctx: &mut Ctx, t: &Table) -> BTreeMap<String, String> {
    let mut out = BTreeMap::new();
    for (k, v) in t.t.iter() {
        let name: &str = k.get_ref();
        if !valid_var_name(name) {
            ctx.error(
                &k.span(),
                format!("bad var name \"{name}\": start with a letter or _, then letters, digits, _ or -"),
            );
            continue;
        }
        let value = match v.get_ref() {
            DeValue::String(s) => s.to_string(),
            DeValue::Integer(i) => i.as_str().to_string(),
            DeValue::Float(f) => f.as_str().to_string(),
            DeValue::Boolean(b) => b.to_string(),
            other => {
                ctx.error(&v.span(), format!("var \"{name}\" must be text, not {}", super::reader::type_name(other)));
                continue;
            }
        };
        out.insert(name.to_string(), value);
    }
    out
}

pub(super) fn phase(ctx: &mut Ctx, t: &mut Table) -> Option<Phase> {
    t.check_keys(ctx, &["id", "title", "at", "valid_for", "every"]);
    let id = t.id(ctx);
    if let Some(id) = &id {
        declare(ctx, Kind::Phase, id);
        t.what = format!("[[phase]] \"{}\"", id.get_ref());
    }
    let title = t.req_str(ctx, "title", "\"Deploy (T-0)\"");
    let at = super::t0::phase_at(ctx, t);
    let (valid_for, every) = (t.pos_dur(ctx, "valid_for"), t.pos_dur(ctx, "every"));
    Some(Phase { id: id?.into_inner(), title: title?.into_inner(), at, valid_for, every })
}

const STEP_ON_FAIL: &[(&str, StepOnFail)] =
    &[("stop", StepOnFail::Stop), ("continue", StepOnFail::Continue), ("ask", StepOnFail::Ask)];

/// A step; `phase` may be empty here when the runbook declares no phases
/// (the caller then puts such steps in one implicit phase).
pub(super) fn step(ctx: &mut Ctx, t: &mut Table) -> Option<Step> {
    t.check_keys(
        ctx,
        &["id", "phase", "title", "run", "timeout", "on_fail", "manual", "by", "links", "rehearse", "takes"],
    );
    let id = t.id(ctx);
    if let Some(id) = &id {
        declare(ctx, Kind::Step, id);
        t.what = format!("[[step]] \"{}\"", id.get_ref());
    }
    let phase = t.ref_id(ctx, "phase");
    if let Some(p) = &phase {
        refer(ctx, Kind::Phase, p, &t.what.clone());
    } else if t.get("phase").is_none() && ctx.ids.any(Kind::Phase) {
        t.missing(ctx, "phase", "\"<one of the [[phase]] ids>\"");
    }
    let title = t.req_str(ctx, "title", "\"Preflight checks\"");
    let run = t.str(ctx, "run");
    let manual = t.bool(ctx, "manual").unwrap_or(false);
    match (&run, manual) {
        (Some(r), true) => ctx.error(
            &r.span(),
            format!("{} is manual (a checkbox) but has run: remove run or set manual = false", t.what),
        ),
        (None, false) if t.get("run").is_none() => ctx.error(
            &t.span,
            format!("{} has nothing to run: add run = \"...\" or set manual = true for a checkbox step", t.what),
        ),
        _ => {}
    }
    if let Some(r) = &run {
        ctx.check_command(r, "run", &t.what, "write the command to run, or set manual = true for a checkbox step");
    }
    let timeout = t.pos_dur(ctx, "timeout");
    let on_fail = t.choice(ctx, "on_fail", STEP_ON_FAIL);
    let by = super::roles::role_list(ctx, t, "by");
    let rehearse = t.str(ctx, "rehearse").map(|r| r.into_inner());
    let takes = t.pos_dur(ctx, "takes");
    Some(Step {
        id: id?.into_inner(),
        phase: phase.map(|p| p.into_inner()).unwrap_or_default(),
        title: title?.into_inner(),
        run: run.map(|r| r.into_inner()),
        timeout,
        on_fail: on_fail.unwrap_or_default(),
        manual,
        by,
        rehearse,
        takes,
        links: super::channels::links(ctx, t),
    })
}

const METHODS: &[&str] = &["GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS"];

/// Exactly one of `keys` present; reports none or several.
fn exactly_one(ctx: &mut Ctx, t: &Table, keys: &[&'static str]) -> Option<&'static str> {
    let present: Vec<&'static str> = keys.iter().copied().filter(|k| t.get(k).is_some()).collect();
    match present.as_slice() {
        [one] => Some(*one),
        [] => {
            ctx.error(&t.span, format!("{} needs one of {}", t.what, keys.join(", ")));
            None
        }
        [_, second, ..] => {
            let span = t.get(second).map(|v| v.span()).unwrap_or(t.span.clone());
            ctx.error(
                &span,
                format!("{} has {}: give exactly one of {}", t.what, present.join(" and "), keys.join(", ")),
            );
            None
        }
    }
}

pub(super) fn probe(ctx: &mut Ctx, t: &mut Table) -> Option<Probe> {
    t.check_keys(
        ctx,
        &[
            "id",
            "title",
            "url",
            "method",
            "headers",
            "body",
            "tcp",
            "command",
            "every",
            "timeout",
            "conditions",
            "failure_threshold",
            "success_threshold",
            "links",
        ],
    );
    let id = t.id(ctx);
    if let Some(id) = &id {
        declare(ctx, Kind::Probe, id);
        t.what = format!("[[probe]] \"{}\"", id.get_ref());
    }
    let title = t.str(ctx, "title");
    let kind = exactly_one(ctx, t, &["url", "tcp", "command"]);
    for key in ["method", "headers", "body"] {
        if kind.is_some_and(|k| k != "url") && t.get(key).is_some() {
            let span = t.get(key).map(|v| v.span()).unwrap_or_default();
            ctx.error(&span, format!("{key} in {} applies only to url probes", t.what));
        }
    }
    let target = match kind {
        Some("url") => probe_http(ctx, t),
        Some("tcp") => t.str(ctx, "tcp").map(|a| {
            ctx.check_command_vars(&a);
            check_tcp_addr(ctx, &a, &t.what);
            ProbeTarget::Tcp { addr: a.into_inner() }
        }),
        Some(_) => t.str(ctx, "command").map(|c| {
            ctx.check_command(&c, "command", &t.what, "write the command whose exit status is the probe");
            ProbeTarget::Command { run: c.into_inner() }
        }),
        None => None,
    };
    let every = t.pos_dur(ctx, "every").unwrap_or(Dur::from_secs(30));
    let timeout = t.pos_dur(ctx, "timeout").unwrap_or(Dur::from_secs(10));
    if timeout > every {
        let span = t.get("timeout").or(t.get("every")).map(|v| v.span()).unwrap_or(t.span.clone());
        ctx.warn(&span, format!("{}: timeout {timeout} is longer than every {every}; attempts will overlap", t.what));
    }
    let mut conditions = Vec::new();
    for text in t.str_list(ctx, "conditions").unwrap_or_default() {
        if let Some(c) = super::conditions::read(ctx, &text, kind, &t.what) {
            conditions.push(c);
        }
    }
    if kind == Some("url") && t.get("conditions").is_none() {
        // Without conditions a 500 would count as UP: default to "answers without an error status".
        conditions.push(condition::parse("[STATUS] < 400").expect("built-in condition parses"));
    }
    let failure_threshold = t.uint(ctx, "failure_threshold", 1).unwrap_or(3);
    let success_threshold = t.uint(ctx, "success_threshold", 1).unwrap_or(2);
    let id = id?.into_inner();
    Some(Probe {
        title: title.map(|s| s.into_inner()).unwrap_or_else(|| id.clone()),
        id,
        target: target?,
        every,
        timeout,
        conditions,
        failure_threshold: failure_threshold.min(u32::MAX as u64) as u32,
        success_threshold: success_threshold.min(u32::MAX as u64) as u32,
        links: super::channels::links(ctx, t),
    })
}

fn probe_http(ctx: &mut Ctx, t: &Table) -> Option<ProbeTarget> {
    let url = t.str(ctx, "url")?;
    ctx.check_command_vars(&url);
    // Checked as it will be used: with the overrides the caller passed.
    if let Some((rendered, shown)) = ctx.fill(url.get_ref()) {
        if !(rendered.starts_with("http://") || rendered.starts_with("https://")) {
            ctx.error(&url.span(), format!("url {shown} in {} must start with http:// or https://", t.what));
        } else if let Err(e) = url::Url::parse(&rendered) {
            ctx.error(
                &url.span(),
                format!(
                    "url {shown} in {} is not a usable URL ({e}): write it like \"https://host:8443/path\"",
                    t.what
                ),
            );
        }
    }
    let method = match t.str(ctx, "method") {
        None => "GET".to_string(),
        Some(m) => {
            let up = m.get_ref().to_ascii_uppercase();
            if !METHODS.contains(&up.as_str()) {
                ctx.error(
                    &m.span(),
                    format!("unknown method \"{}\" in {}: use one of {}", m.get_ref(), t.what, METHODS.join(", ")),
                );
            }
            up
        }
    };
    let mut headers = Vec::new();
    if let Some(h) = t.table(ctx, "headers", format!("headers of {}", t.what)) {
        for (k, v) in h.t.iter() {
            let name: &str = k.get_ref();
            let DeValue::String(val) = v.get_ref() else {
                ctx.error(&v.span(), format!("header {name} in {} must be text in quotes", t.what));
                continue;
            };
            let value = match val.strip_prefix("env:") {
                Some(var) if !var.is_empty() => HeaderValue::Env(var.to_string()),
                Some(_) => {
                    ctx.error(&v.span(), format!("header {name}: write env:NAME to read it from the environment"));
                    continue;
                }
                None => {
                    ctx.check_command_vars(&Spanned::new(v.span(), val.to_string()));
                    HeaderValue::Literal(val.to_string())
                }
            };
            headers.push((name.to_string(), value));
        }
    }
    let body = t.str(ctx, "body").map(|b| {
        ctx.check_command_vars(&b);
        b.into_inner()
    });
    Some(ProbeTarget::Http { url: url.into_inner(), method, headers, body })
}

fn check_tcp_addr(ctx: &mut Ctx, addr: &Spanned<String>, what: &str) {
    let Some((rendered, shown)) = ctx.fill(addr.get_ref()) else { return };
    let ok = rendered.rsplit_once(':').is_some_and(|(host, port)| !host.is_empty() && port.parse::<u16>().is_ok());
    if !ok {
        ctx.error(&addr.span(), format!("tcp = {shown} in {what} must be host:port, like \"db.internal:3306\""));
    }
}

pub(super) fn log(ctx: &mut Ctx, t: &mut Table, dir: &Path) -> Option<LogSource> {
    t.check_keys(ctx, &["id", "title", "path", "command", "error", "warn", "buffer", "buffer_bytes"]);
    let id = t.id(ctx);
    if let Some(id) = &id {
        declare(ctx, Kind::Log, id);
        t.what = format!("[[log]] \"{}\"", id.get_ref());
    }
    let title = t.str(ctx, "title");
    let target = match exactly_one(ctx, t, &["path", "command"]) {
        Some("path") => t.str(ctx, "path").and_then(|p| {
            ctx.check_command_vars(&p);
            // File paths take {vars} too (filled here, with the overrides the
            // caller passed, so the path shown is the one followed; no shell is
            // involved); a relative path is relative to the runbook's folder, like steps.
            let rendered = vars::render_text(p.get_ref(), &ctx.filled).ok()?;
            if rendered.trim().is_empty() {
                let why = if p.get_ref().trim().is_empty() { "" } else { " once its vars are filled" };
                ctx.error(&p.span(), format!("path in {} is empty{why}: name the file to follow", t.what));
                return None;
            }
            let path = PathBuf::from(rendered);
            Some(LogTarget::File { path: if path.is_absolute() { path } else { dir.join(path) } })
        }),
        Some(_) => t.str(ctx, "command").map(|c| {
            ctx.check_command(&c, "command", &t.what, "write the command whose output is the log");
            LogTarget::Command { run: c.into_inner() }
        }),
        None => None,
    };
    let error = regex_field(ctx, t, "error");
    let warn = regex_field(ctx, t, "warn");
    let buffer = t.uint(ctx, "buffer", 1).unwrap_or(10_000);
    // At least one 64 KiB line (the longest a tail sends) must fit.
    let buffer_bytes = t.uint(ctx, "buffer_bytes", 64 * 1024).unwrap_or(LOG_BUFFER_BYTES as u64);
    let id = id?.into_inner();
    Some(LogSource {
        title: title.map(|s| s.into_inner()).unwrap_or_else(|| id.clone()),
        id,
        target: target?,
        error,
        warn,
        buffer: buffer.min(usize::MAX as u64) as usize,
        buffer_bytes: buffer_bytes.min(usize::MAX as u64) as usize,
    })
}

fn regex_field(ctx: &mut Ctx, t: &Table, key: &str) -> Option<regex::Regex> {
    let s = t.str(ctx, key)?;
    match regex::Regex::new(s.get_ref()) {
        Ok(r) => Some(r),
        Err(e) => {
            let detail = e.to_string().lines().last().unwrap_or("").trim().trim_start_matches("error: ").to_string();
            ctx.error(&s.span(), format!("bad regex in {key} of {}: {detail}", t.what));
            None
        }
    }
}
