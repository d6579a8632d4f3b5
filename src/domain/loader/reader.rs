//! Reading typed fields out of a spanned TOML table while collecting every
//! problem as a positioned diagnostic (nothing stops at the first one).

use std::collections::BTreeMap;
use std::ops::Range;

use toml::de::{DeTable, DeValue};
use toml::Spanned;

use crate::domain::diagnostic::{line_col, Diagnostic};
use crate::domain::duration::{parse_duration, Dur};
use crate::domain::vars;

pub(super) type Val<'i> = Spanned<DeValue<'i>>;

/// The diagnostics sink plus what is needed to place a byte span.
pub(super) struct Ctx<'a> {
    pub file: String,
    pub text: &'a str,
    pub diags: Vec<Diagnostic>,
    /// Vars declared in `[vars]` (needed by placeholder checks).
    pub vars: BTreeMap<String, String>,
    /// What fields filled at load (log paths, link URLs) take: the declared
    /// vars with the caller's overrides (`vars::effective_vars`).
    pub filled: BTreeMap<String, String>,
    /// Vars `[runbook] secret_vars` names: a message never shows their values.
    pub secret_vars: std::collections::BTreeSet<String>,
    /// Var names some placeholder used (for the unused-var warning).
    pub used_vars: std::collections::BTreeSet<String>,
    pub ids: super::refs::Ids,
    /// The program each command starts, for the PATH check outside the domain.
    pub programs: Vec<ProgramUse>,
}

/// A program a runbook command starts, where the command is written.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ProgramUse {
    pub program: String,
    pub line: usize,
    pub col: usize,
    /// `[[step]] "deploy"`, …
    pub what: String,
}

impl<'a> Ctx<'a> {
    pub fn new(file: String, text: &'a str) -> Self {
        Ctx {
            file,
            text,
            diags: Vec::new(),
            vars: BTreeMap::new(),
            filled: BTreeMap::new(),
            secret_vars: Default::default(),
            used_vars: Default::default(),
            ids: Default::default(),
            programs: Vec::new(),
        }
    }
    pub fn error(&mut self, span: &Range<usize>, msg: impl Into<String>) {
        let (l, c) = line_col(self.text, span.start);
        self.diags.push(Diagnostic::error(&self.file, l, c, msg));
    }
    pub fn warn(&mut self, span: &Range<usize>, msg: impl Into<String>) {
        let (l, c) = line_col(self.text, span.start);
        self.diags.push(Diagnostic::warning(&self.file, l, c, msg));
    }
    pub fn line_of(&self, span: &Range<usize>) -> usize {
        line_col(self.text, span.start).0
    }

    /// Where a placeholder written inside a string value sits in the file:
    /// found in the raw source of the value when it appears there as is,
    /// else the start of the value.
    fn placeholder_span(&self, value_span: &Range<usize>, inner: &str) -> Range<usize> {
        let raw = self.text.get(value_span.clone()).unwrap_or("");
        match raw.find(&format!("{{{inner}}}")) {
            Some(off) => value_span.start + off..value_span.start + off + inner.len() + 2,
            None => value_span.clone(),
        }
    }

    /// run/url/header/command text: only declared vars.
    pub fn check_command_vars(&mut self, text: &Spanned<String>) {
        for (_, name) in vars::placeholders(text.get_ref()) {
            self.used_vars.insert(name.clone());
        }
        for (_, msg) in vars::unknown_in_command(text.get_ref(), &self.vars) {
            let inner = msg.split('{').nth(1).and_then(|s| s.split('}').next()).unwrap_or("").to_string();
            let span = self.placeholder_span(&text.span(), &inner);
            self.error(&span, msg);
        }
    }

    /// `text` filled as it will be used (with the caller's overrides), and how
    /// a message names it: the filled text in quotes, or — when the
    /// environment changed it, or it holds a `secret_vars` var — the text as
    /// written, since such a value may be a secret (a message may end up in
    /// a CI log or a ticket). `None` when a var is unknown (reported by
    /// `check_command_vars`).
    pub fn fill(&self, text: &str) -> Option<(String, String)> {
        let filled = vars::render_text(text, &self.filled).ok()?;
        let shown = match vars::render_text(text, &self.vars) {
            _ if self.uses_secret_var(text) => format!("\"{}\" (holding a secret var)", text.escape_debug()),
            Ok(declared) if declared == filled => format!("\"{}\"", filled.escape_debug()),
            _ => format!("\"{}\" (as filled from the environment)", text.escape_debug()),
        };
        Some((filled, shown))
    }

    /// Whether `text` fills in a var `secret_vars` names (`{name}` or `{vars.name}`).
    fn uses_secret_var(&self, text: &str) -> bool {
        !self.secret_vars.is_empty()
            && vars::placeholders(text)
                .iter()
                .any(|(_, inner)| self.secret_vars.contains(inner.strip_prefix("vars.").unwrap_or(inner)))
    }

    /// A command (`run`, `command`): declared vars only, never blank, and its
    /// program remembered so the caller can look for it on PATH.
    pub fn check_command(&mut self, text: &Spanned<String>, field: &str, what: &str, hint: &str) {
        self.check_command_vars(text);
        if text.get_ref().trim().is_empty() {
            self.error(&text.span(), format!("{field} in {what} is empty: {hint}"));
            return;
        }
        if let Some(program) = super::programs::first_program(text.get_ref()) {
            let (line, col) = line_col(self.text, text.span().start);
            self.programs.push(ProgramUse { program, line, col, what: what.to_string() });
        }
    }

    /// `[[template]]` text: declared vars, `{vars.X}`, or session fields.
    pub fn check_template_vars(&mut self, text: &Spanned<String>) {
        for (_, inner) in vars::placeholders(text.get_ref()) {
            let var = inner.strip_prefix("vars.").unwrap_or(vars::placeholder_root(&inner));
            self.used_vars.insert(var.split(':').next().unwrap_or("").to_string());
        }
        for (range, msg) in vars::unknown_in_template(text.get_ref(), &self.vars) {
            let inner = &text.get_ref()[range.start + 1..range.end - 1];
            let span = self.placeholder_span(&text.span(), inner);
            self.error(&span, msg);
        }
        // `{now:FORMAT}` is a chrono strftime format: catch typos now, not mid-incident.
        for (_, inner) in vars::placeholders(text.get_ref()) {
            let Some(fmt) = inner.strip_prefix("now:") else { continue };
            let bad = chrono::format::StrftimeItems::new(fmt).any(|i| matches!(i, chrono::format::Item::Error));
            if bad {
                let span = self.placeholder_span(&text.span(), &inner);
                self.error(
                    &span,
                    format!("bad time format in {{{inner}}}: use strftime fields like %H:%M %Z or %Y-%m-%d"),
                );
            }
        }
    }
}

/// One TOML table being read. `what` names it in messages: `[[probe]] "homepage"`.
pub(super) struct Table<'t, 'i> {
    pub t: &'t DeTable<'i>,
    pub span: Range<usize>,
    pub what: String,
}

pub(super) fn type_name(v: &DeValue<'_>) -> &'static str {
    match v {
        DeValue::String(_) => "text",
        DeValue::Integer(_) => "an integer",
        DeValue::Float(_) => "a number",
        DeValue::Boolean(_) => "true/false",
        DeValue::Datetime(_) => "a date",
        DeValue::Array(_) => "a list",
        DeValue::Table(_) => "a table",
    }
}

/// Ids are `[a-z0-9_-]+` (docs/runbook-format.md).
pub(super) fn valid_id(s: &str) -> bool {
    !s.is_empty() && s.bytes().all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-' || b == b'_')
}

impl<'t, 'i> Table<'t, 'i> {
    pub fn new(t: &'t DeTable<'i>, span: Range<usize>, what: impl Into<String>) -> Self {
        Table { t, span, what: what.into() }
    }

    pub fn get(&self, key: &str) -> Option<&'t Val<'i>> {
        self.t.get(key)
    }

    /// Unknown keys are errors, with a suggestion when one is close.
    pub fn check_keys(&self, ctx: &mut Ctx, allowed: &[&str]) {
        for (k, _) in self.t.iter() {
            let key: &str = k.get_ref();
            if !allowed.contains(&key) {
                if let Some(msg) = super::roles::misplaced(key, &self.what) {
                    ctx.error(&k.span(), msg);
                    continue;
                }
                let hint = vars::suggest(key, allowed.iter().copied());
                let msg = if hint.is_empty() {
                    format!("unknown field \"{key}\" in {}; allowed: {}", self.what, allowed.join(", "))
                } else {
                    format!("unknown field \"{key}\" in {}{hint}", self.what)
                };
                ctx.error(&k.span(), msg);
            }
        }
    }

    fn wrong_type(&self, ctx: &mut Ctx, key: &str, v: &Val, want: &str) {
        ctx.error(&v.span(), format!("{key} in {} must be {want}, not {}", self.what, type_name(v.get_ref())));
    }

    pub fn missing(&self, ctx: &mut Ctx, key: &str, example: &str) {
        ctx.error(&self.span, format!("missing required field \"{key}\" in {} (add {key} = {example})", self.what));
    }

    pub fn str(&self, ctx: &mut Ctx, key: &str) -> Option<Spanned<String>> {
        let v = self.get(key)?;
        match v.get_ref() {
            DeValue::String(s) => Some(Spanned::new(v.span(), s.to_string())),
            _ => {
                self.wrong_type(ctx, key, v, "text in quotes");
                None
            }
        }
    }

    pub fn req_str(&self, ctx: &mut Ctx, key: &str, example: &str) -> Option<Spanned<String>> {
        if self.get(key).is_none() {
            self.missing(ctx, key, example);
            return None;
        }
        self.str(ctx, key)
    }

    /// A required id, checked against `[a-z0-9_-]+`.
    pub fn id(&self, ctx: &mut Ctx) -> Option<Spanned<String>> {
        let id = self.req_str(ctx, "id", "\"some-id\"")?;
        if !valid_id(id.get_ref()) {
            ctx.error(
                &id.span(),
                format!(
                    "bad id \"{}\" in {}: use lowercase letters, digits, \"-\" and \"_\" only",
                    id.get_ref(),
                    self.what
                ),
            );
            return None;
        }
        Some(id)
    }

    /// A reference to another id (same character rules as ids).
    pub fn ref_id(&self, ctx: &mut Ctx, key: &str) -> Option<Spanned<String>> {
        let r = self.str(ctx, key)?;
        if !valid_id(r.get_ref()) {
            ctx.error(&r.span(), format!("{key} = \"{}\" in {} is not a valid id", r.get_ref(), self.what));
            return None;
        }
        Some(r)
    }

    pub fn dur(&self, ctx: &mut Ctx, key: &str) -> Option<Dur> {
        if let Some(v) = self.get(key).filter(|v| !v.get_ref().is_str()) {
            ctx.error(
                &v.span(),
                format!("{key} in {} must be a duration in quotes, like \"30s\", \"5m\" or \"500ms\"", self.what),
            );
            return None;
        }
        let s = self.str(ctx, key)?;
        match parse_duration(s.get_ref()) {
            Ok(d) => Some(d),
            Err(e) => {
                ctx.error(&s.span(), format!("{key} in {}: {e}", self.what));
                None
            }
        }
    }

    /// A duration that must be above zero.
    pub fn pos_dur(&self, ctx: &mut Ctx, key: &str) -> Option<Dur> {
        let d = self.dur(ctx, key)?;
        if d.as_millis() == 0 {
            let span = self.get(key).map(|v| v.span()).unwrap_or(self.span.clone());
            ctx.error(&span, format!("{key} in {} must be longer than 0s", self.what));
            return None;
        }
        Some(d)
    }

    pub fn bool(&self, ctx: &mut Ctx, key: &str) -> Option<bool> {
        let v = self.get(key)?;
        match v.get_ref() {
            DeValue::Boolean(b) => Some(*b),
            _ => {
                self.wrong_type(ctx, key, v, "true or false");
                None
            }
        }
    }

    /// A whole number ≥ `min`.
    pub fn uint(&self, ctx: &mut Ctx, key: &str, min: u64) -> Option<u64> {
        let v = self.get(key)?;
        let n = match v.get_ref() {
            DeValue::Integer(i) => i64::from_str_radix(&i.as_str().replace('_', ""), i.radix()).ok(),
            _ => {
                self.wrong_type(ctx, key, v, "a whole number");
                return None;
            }
        };
        match n {
            Some(n) if n >= 0 && n as u64 >= min => Some(n as u64),
            _ => {
                ctx.error(&v.span(), format!("{key} in {} must be a whole number ≥ {min}", self.what));
                None
            }
        }
    }

    /// One of a fixed set of words; the error lists them.
    pub fn choice<T: Copy>(&self, ctx: &mut Ctx, key: &str, options: &[(&str, T)]) -> Option<T> {
        let s = self.str(ctx, key)?;
        if let Some((_, v)) = options.iter().find(|(name, _)| *name == s.get_ref().as_str()) {
            return Some(*v);
        }
        let names: Vec<&str> = options.iter().map(|(n, _)| *n).collect();
        ctx.error(
            &s.span(),
            format!(
                "unknown {key} \"{}\" in {}: use one of {}{}",
                s.get_ref(),
                self.what,
                names.join(", "),
                vars::suggest(s.get_ref(), names.iter().copied())
            ),
        );
        None
    }

    /// An inline or sub table.
    pub fn table(&self, ctx: &mut Ctx, key: &str, what: String) -> Option<Table<'t, 'i>> {
        let v = self.get(key)?;
        match v.get_ref() {
            DeValue::Table(t) => Some(Table::new(t, v.span(), what)),
            _ => {
                self.wrong_type(ctx, key, v, "a table like { key = \"value\" }");
                None
            }
        }
    }

    /// A list of strings, each with its span.
    pub fn str_list(&self, ctx: &mut Ctx, key: &str) -> Option<Vec<Spanned<String>>> {
        let v = self.get(key)?;
        let DeValue::Array(items) = v.get_ref() else {
            self.wrong_type(ctx, key, v, "a list of texts, like [\"...\"]");
            return None;
        };
        let mut out = Vec::new();
        for item in items.iter() {
            match item.get_ref() {
                DeValue::String(s) => out.push(Spanned::new(item.span(), s.to_string())),
                other => ctx.error(
                    &item.span(),
                    format!("each entry of {key} in {} must be text in quotes, not {}", self.what, type_name(other)),
                ),
            }
        }
        Some(out)
    }
}
