//! The runbook loader: TOML bytes in, a validated `Runbook` out — or every
//! problem found, each placed at FILE:LINE:COL of the offending value (docs/runbook-format.md).
//! Pure: no file I/O here (`cli::runbook_file` reads the file).
//!
//! Parsing uses toml's spanned document (`toml::de::DeTable`) and reads it by
//! hand rather than through serde derive, because serde stops at the first
//! error and we must report all of them, each with its position.

mod channels;
mod conditions;
pub mod programs;
mod reader;
mod refs;
mod response;
mod roles;
mod secrets;
mod sections;
mod session;
pub mod t0;
mod team;
#[cfg(test)]
mod tests;

use std::ops::Range;
use std::path::{Path, PathBuf};

use toml::de::{DeTable, DeValue};

use crate::domain::diagnostic::{line_col, Diagnostic};
use crate::domain::runbook::{
    Access, AutoBinding, Criterion, Distinct, LogSource, Phase, Rollback, Runbook, Trigger, TriggerWhen,
};
use crate::domain::vars::suggest;
pub use reader::ProgramUse;
use reader::{Ctx, Table};

/// A runbook that passed validation, with the warnings found on the way.
#[derive(Clone, Debug)]
pub struct Loaded {
    pub runbook: Runbook,
    pub warnings: Vec<Diagnostic>,
    /// The programs the runbook's commands start (checked against PATH by the caller).
    pub programs: Vec<ProgramUse>,
}

const SECTIONS: &[&str] = &[
    "runbook",
    "vars",
    "phase",
    "step",
    "probe",
    "log",
    "criterion",
    "escalation",
    "rollback",
    "trigger",
    "template",
    "role",
    "decision",
    "severity",
    "shift",
    "channel",
    "session",
];

/// Id of the phase that holds steps when a runbook declares no `[[phase]]`.
pub const IMPLICIT_PHASE: &str = "steps";

/// `path` names the file in diagnostics and sets `Runbook.path`/`dir`
/// (dir = the path's parent, or "."). `Err` holds every problem: the errors,
/// plus any warnings, in file order. Fields filled at load (log paths, link
/// URLs) get the declared vars, as when no `WARROOM_VAR_*` is set.
pub fn load_bytes(path: &Path, bytes: &[u8]) -> Result<Loaded, Vec<Diagnostic>> {
    load_bytes_with_env(path, bytes, &|_| None)
}

/// [`load_bytes`], with `env` (the process environment, read by the caller)
/// giving the `WARROOM_VAR_<name>` overrides and `env:NAME` values that fields
/// filled at load take (`vars::effective_vars`), as the commands and URLs
/// filled at run time do (docs/runbook-format.md, "`[vars]` and `{placeholders}`").
/// `Runbook.vars` stays as written.
pub fn load_bytes_with_env(
    path: &Path,
    bytes: &[u8],
    env: &dyn Fn(&str) -> Option<String>,
) -> Result<Loaded, Vec<Diagnostic>> {
    let file = path.display().to_string();
    let text = match std::str::from_utf8(bytes) {
        Ok(t) => t,
        Err(e) => {
            let good = &bytes[..e.valid_up_to()];
            // SAFETY-free: the prefix up to valid_up_to is valid UTF-8 by definition.
            let prefix = std::str::from_utf8(good).unwrap_or("");
            let (l, c) = line_col(prefix, prefix.len());
            return Err(vec![Diagnostic::error(
                file,
                l,
                c,
                format!(
                    "the file is not valid UTF-8 (bad byte 0x{:02x} at byte offset {}): save it as UTF-8",
                    bytes[e.valid_up_to()],
                    e.valid_up_to()
                ),
            )]);
        }
    };
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    let empty = || {
        vec![Diagnostic::error(
            path.display().to_string(),
            1,
            1,
            "the runbook is empty: start with a [runbook] table holding an id, like id = \"golive\"",
        )]
    };
    if text.trim().is_empty() {
        return Err(empty());
    }
    let (doc, errors) = DeTable::parse_recoverable(text);
    if !errors.is_empty() {
        let mut diags: Vec<Diagnostic> = errors
            .iter()
            .map(|e| {
                let (l, c) = line_col(text, e.span().map(|s| s.start).unwrap_or(0));
                Diagnostic::error(&file, l, c, format!("TOML syntax: {}", e.message().trim()))
            })
            .collect();
        diags.sort_by_key(|d| (d.line, d.col));
        diags.dedup();
        return Err(diags);
    }
    if doc.get_ref().is_empty() {
        return Err(empty());
    }
    let mut ctx = Ctx::new(file, text);
    let runbook = build(&mut ctx, doc.get_ref(), path, env);
    let mut diags = std::mem::take(&mut ctx.diags);
    let programs = std::mem::take(&mut ctx.programs);
    diags.sort_by_key(|d| (d.line, d.col));
    diags.dedup();
    if diags.iter().any(Diagnostic::is_error) {
        Err(diags)
    } else {
        Ok(Loaded { runbook, warnings: diags, programs })
    }
}

/// The entries of an array-of-tables section (`[[probe]]`), with their spans.
fn entries<'t, 'i>(ctx: &mut Ctx, doc: &'t DeTable<'i>, key: &str) -> Vec<(Range<usize>, &'t DeTable<'i>)> {
    let Some(v) = doc.get(key) else { return Vec::new() };
    match v.get_ref() {
        DeValue::Array(items) => items
            .iter()
            .filter_map(|item| match item.get_ref() {
                DeValue::Table(t) => Some((item.span(), t)),
                _ => {
                    ctx.error(&item.span(), format!("each {key} must be a [[{key}]] table"));
                    None
                }
            })
            .collect(),
        _ => {
            ctx.error(&v.span(), format!("write [[{key}]] (one table per {key}), not [{key}] or {key} = ..."));
            Vec::new()
        }
    }
}

fn single<'t, 'i>(ctx: &mut Ctx, doc: &'t DeTable<'i>, key: &str) -> Option<Table<'t, 'i>> {
    let v = doc.get(key)?;
    match v.get_ref() {
        DeValue::Table(t) => Some(Table::new(t, v.span(), format!("[{key}]"))),
        _ => {
            ctx.error(&v.span(), format!("[{key}] must be a table: write [{key}] on its own line, then its fields"));
            None
        }
    }
}

/// Reads every section of the `kind` array with `read`, keeping the good ones.
fn read_all<T>(
    ctx: &mut Ctx,
    doc: &DeTable,
    key: &str,
    mut read: impl FnMut(&mut Ctx, &mut Table) -> Option<T>,
) -> Vec<T> {
    let mut out = Vec::new();
    for (i, (span, t)) in entries(ctx, doc, key).into_iter().enumerate() {
        // Name the entry by its id in messages when it has a usable one.
        let what = match t.get("id").map(|v| v.get_ref()) {
            Some(DeValue::String(id)) if reader::valid_id(id) => format!("[[{key}]] \"{id}\""),
            _ => format!("[[{key}]] #{}", i + 1),
        };
        let mut table = Table::new(t, span, what);
        if let Some(x) = read(ctx, &mut table) {
            out.push(x);
        }
    }
    out
}

fn build(ctx: &mut Ctx, doc: &DeTable, path: &Path, env: &dyn Fn(&str) -> Option<String>) -> Runbook {
    for (k, _) in doc.iter() {
        let key: &str = k.get_ref();
        if !SECTIONS.contains(&key) {
            let hint = suggest(key, SECTIONS.iter().copied());
            ctx.error(&k.span(), format!("unknown section \"{key}\"{hint}; sections are {}", SECTIONS.join(", ")));
        }
    }
    let dir = match path.parent() {
        Some(p) if !p.as_os_str().is_empty() => p.to_path_buf(),
        _ => PathBuf::from("."),
    };
    let mut t0 = None;
    let (id, title, timezone) = match single(ctx, doc, "runbook") {
        Some(t) => {
            let (id, title, tz) = sections::runbook(ctx, &t);
            t0 = t0::t0(ctx, &t, tz);
            (id, title, tz)
        }
        None => {
            if doc.get("runbook").is_none() {
                ctx.error(&(0..0), "missing [runbook] table: add [runbook] with id = \"...\" (it names the session)");
            }
            (None, None, None)
        }
    };
    if let Some(t) = single(ctx, doc, "vars") {
        ctx.vars = sections::vars_table(ctx, &t);
    }
    ctx.filled = crate::domain::vars::effective_vars(&ctx.vars, env);
    // `[runbook]` was checked to be a table above; not one: no second error here.
    let secret_rules = match doc.get("runbook").map(|v| v.get_ref()) {
        Some(DeValue::Table(_)) => single(ctx, doc, "runbook").map(|t| secrets::read(ctx, &t)),
        _ => None,
    };
    // Before any field is filled: messages about filled values must not show these.
    if let Some(r) = &secret_rules {
        ctx.secret_vars = r.vars.clone();
    }
    let mut phases = read_all(ctx, doc, "phase", sections::phase);
    let mut steps = read_all(ctx, doc, "step", sections::step);
    if phases.is_empty() && !steps.is_empty() && !ctx.ids.any(refs::Kind::Phase) {
        phases.push(Phase { id: IMPLICIT_PHASE.into(), title: "Steps".into(), at: None, valid_for: None, every: None });
        for s in steps.iter_mut().filter(|s| s.phase.is_empty()) {
            s.phase = IMPLICIT_PHASE.into();
        }
    }
    let probes = read_all(ctx, doc, "probe", sections::probe);
    let logs = read_all(ctx, doc, "log", |c, t| sections::log(c, t, &dir));
    let criteria = read_all(ctx, doc, "criterion", response::criterion);
    let escalation = single(ctx, doc, "escalation").and_then(|t| response::escalation(ctx, &t));
    let rollbacks = read_all(ctx, doc, "rollback", response::rollback);
    let triggers = read_all(ctx, doc, "trigger", response::trigger);
    let templates = read_all(ctx, doc, "template", response::template);
    let access = roles::access(ctx, doc);
    warn_key_distinct_unsigned(ctx, doc, &rollbacks, &access);
    let mut seen_severities = Vec::new();
    let severities = read_all(ctx, doc, "severity", |c, t| team::severity(c, t, &mut seen_severities));
    let shifts = read_all(ctx, doc, "shift", team::shift);
    let channels = read_all(ctx, doc, "channel", channels::channel);
    let session = single(ctx, doc, "session").map(|t| session::session(ctx, &t)).unwrap_or_default();
    refs::check_refs(ctx);
    warn_unused_vars(ctx, doc);
    warn_logs_without_error_pattern(ctx, doc, &logs, &criteria, &triggers);
    let id = id.unwrap_or_default();
    Runbook {
        path: path.to_path_buf(),
        dir,
        title: title.unwrap_or_else(|| id.clone()),
        id,
        timezone,
        vars: ctx.vars.clone(),
        phases,
        steps,
        probes,
        logs,
        criteria,
        escalation,
        rollbacks,
        triggers,
        templates,
        access,
        severities,
        shifts,
        channels,
        t0,
        session,
        secret_vars: secret_rules.as_ref().map(|r| r.vars.clone()).unwrap_or_default(),
        redact: secret_rules.map(|r| r.redact).unwrap_or_default(),
    }
}

/// `distinct = "key"` counts signed approvals only: say so when the runbook does not sign.
fn warn_key_distinct_unsigned(ctx: &mut Ctx, doc: &DeTable, rollbacks: &[Rollback], access: &Access) {
    if access.sign {
        return;
    }
    for rb in rollbacks.iter().filter(|r| r.distinct == Distinct::Key) {
        let span = entries_span(doc, "rollback", &rb.id).unwrap_or(0..0);
        ctx.warn(
            &span,
            format!(
                "[[rollback]] \"{}\" counts approvals by signing key (distinct = \"key\"), but [runbook] has no \
                 sign = true: only approvals made with --sign will count",
                rb.id
            ),
        );
    }
}

/// A log with no `error` regex never counts an error, so a criterion or
/// trigger watching its error count could never fail: say so.
fn warn_logs_without_error_pattern(
    ctx: &mut Ctx,
    doc: &DeTable,
    logs: &[LogSource],
    criteria: &[Criterion],
    triggers: &[Trigger],
) {
    let watched = criteria
        .iter()
        .filter_map(|c| match &c.auto {
            Some(AutoBinding::Log { log, .. }) => Some((log.as_str(), format!("[[criterion]] \"{}\"", c.id))),
            _ => None,
        })
        .chain(triggers.iter().filter_map(|t| match &t.when {
            TriggerWhen::LogErrorRate { log, .. } => Some((log.as_str(), format!("[[trigger]] \"{}\"", t.id))),
            _ => None,
        }));
    let mut warnings = Vec::new();
    for (log, by) in watched {
        if logs.iter().any(|l| l.id == log && l.error.is_none()) {
            warnings.push((log.to_string(), by));
        }
    }
    for (log, by) in warnings {
        let span = entries_span(doc, "log", &log).unwrap_or(0..0);
        ctx.warn(
            &span,
            format!("{by} counts errors of [[log]] \"{log}\", which has no error = \"regex\": it will never see one"),
        );
    }
}

/// Span of the `[[kind]]` entry whose id is `id`.
fn entries_span(doc: &DeTable, kind: &str, id: &str) -> Option<Range<usize>> {
    let DeValue::Array(items) = doc.get(kind)?.get_ref() else { return None };
    items.iter().find_map(|item| match item.get_ref() {
        DeValue::Table(t) if t.get("id").and_then(|v| v.get_ref().as_str()) == Some(id) => Some(item.span()),
        _ => None,
    })
}

fn warn_unused_vars(ctx: &mut Ctx, doc: &DeTable) {
    let Some(DeValue::Table(vars)) = doc.get("vars").map(|v| v.get_ref()) else { return };
    let unused: Vec<(Range<usize>, String)> = vars
        .iter()
        .filter(|(k, _)| !ctx.used_vars.contains(k.get_ref().as_ref() as &str))
        .map(|(k, _)| (k.span(), k.get_ref().to_string()))
        .collect();
    for (span, name) in unused {
        ctx.warn(&span, format!("var \"{name}\" is never used (no {{{name}}} in any run, url, path or template)"));
    }
}
