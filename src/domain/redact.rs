//! Secrets never leave (docs/runbook-format.md, "Secrets"): every text that
//! comes from outside — probe bodies and errors, step and rollback output, log
//! lines, filled templates, journal events — passes through a [`Redactor`]
//! before it reaches the screen, the journal, a report or stdout.
//!
//! A redactor is built once, from the runbook and the secret values resolved
//! at start (the caller reads the environment and passes it in: this module is
//! pure). It replaces:
//! - each secret **value** with `‹NAME›`, NAME being the environment variable
//!   (`env:` headers and vars) or the var it came from;
//! - each match of the runbook's `redact = ["regex", …]` with `‹redacted›`.
//!
//! Longer values are replaced first, so a secret that contains another is
//! hidden whole. With nothing to hide, [`Redactor::redact`] costs one branch.

use std::borrow::Cow;
use std::collections::{BTreeMap, BTreeSet};

use regex::Regex;
use serde_json::Value;

use super::event::EventKind;
use super::record::Record;
use super::runbook::{HeaderValue, ProbeTarget, Runbook};

/// Shown instead of a match of a `redact` pattern.
pub const PATTERN_PLACEHOLDER: &str = "‹redacted›";

/// Replaces secret values and known token shapes in outside text.
#[derive(Clone, Debug, Default)]
pub struct Redactor {
    /// (value, placeholder), longest value first.
    values: Vec<(String, String)>,
    patterns: Vec<Regex>,
}

/// The placeholder for a secret named `name`: `‹API_TOKEN›`.
pub fn placeholder(name: &str) -> String {
    format!("‹{name}›")
}

impl Redactor {
    /// A redactor hiding `secrets` (name, value) and `patterns`. Empty values are ignored.
    pub fn new(secrets: impl IntoIterator<Item = (String, String)>, patterns: Vec<Regex>) -> Redactor {
        let mut by_value: BTreeMap<String, String> = BTreeMap::new();
        for (name, value) in secrets {
            if !value.is_empty() {
                by_value.entry(value).or_insert_with(|| placeholder(&name));
            }
        }
        let mut values: Vec<(String, String)> = by_value.into_iter().collect();
        values.sort_by(|a, b| b.0.len().cmp(&a.0.len()).then_with(|| a.0.cmp(&b.0)));
        Redactor { values, patterns }
    }

    /// For a runbook: the values of its `env:` header variables and `env:` vars
    /// (read through `env`), of the vars it names in `secret_vars` (from the
    /// effective `vars`, overrides applied), and its `redact` patterns.
    pub fn for_runbook(
        runbook: &Runbook,
        vars: &BTreeMap<String, String>,
        env: impl Fn(&str) -> Option<String>,
    ) -> Redactor {
        let mut secrets = Vec::new();
        for name in env_names(runbook) {
            if let Some(v) = env(&name) {
                secrets.push((name, v));
            }
        }
        for (name, written) in &runbook.vars {
            if let Some(env_name) = written.strip_prefix(super::vars::ENV_PREFIX) {
                if let Some(v) = vars.get(name) {
                    secrets.push((env_name.to_string(), v.clone()));
                }
            } else if runbook.secret_vars.contains(name) {
                if let Some(v) = vars.get(name) {
                    secrets.push((name.clone(), v.clone()));
                }
            }
        }
        Redactor::new(secrets, runbook.redact.clone())
    }

    /// True when there is nothing to hide.
    pub fn is_empty(&self) -> bool {
        self.values.is_empty() && self.patterns.is_empty()
    }

    /// `text` with every secret value and pattern match replaced.
    pub fn redact<'a>(&self, text: &'a str) -> Cow<'a, str> {
        if self.is_empty() {
            return Cow::Borrowed(text);
        }
        let mut out = Cow::Borrowed(text);
        for (value, shown) in &self.values {
            if out.contains(value.as_str()) {
                out = Cow::Owned(out.replace(value.as_str(), shown));
            }
        }
        for re in &self.patterns {
            if let Cow::Owned(s) = re.replace_all(&out, PATTERN_PLACEHOLDER) {
                out = Cow::Owned(s);
            }
        }
        out
    }

    /// As [`Redactor::redact`], for an owned string (no copy when nothing matches).
    pub fn redact_owned(&self, text: String) -> String {
        match self.redact(&text) {
            Cow::Borrowed(_) => text,
            Cow::Owned(s) => s,
        }
    }

    /// Redacts in place.
    pub fn redact_in_place(&self, text: &mut String) {
        if let Cow::Owned(s) = self.redact(text) {
            *text = s;
        }
    }

    /// The event with every text field redacted: the last guard before the
    /// journal, which is append-only and shared (a leaked token could never be removed).
    pub fn event(&self, event: EventKind) -> EventKind {
        if self.is_empty() {
            return event;
        }
        let Ok(mut value) = serde_json::to_value(&event) else { return event };
        if !self.redact_value(&mut value) {
            return event;
        }
        serde_json::from_value(value).unwrap_or(event)
    }

    /// A journal record as this console shows it: another writer (an older
    /// version, a console started without the secret in its environment) may
    /// have written a secret this one knows; the file is never changed.
    pub fn record(&self, record: &Record) -> Option<Record> {
        if self.is_empty() {
            return None;
        }
        let mut r = record.clone();
        let changed = self.redact_value(&mut r.data) | matches!(self.redact(&record.operator), Cow::Owned(_));
        if !changed {
            return None;
        }
        r.operator = self.redact_owned(r.operator);
        Some(r)
    }

    /// Redacts every string in `v`; true when something changed.
    fn redact_value(&self, v: &mut Value) -> bool {
        match v {
            Value::String(s) => match self.redact(s) {
                Cow::Owned(r) => {
                    *s = r;
                    true
                }
                Cow::Borrowed(_) => false,
            },
            Value::Array(items) => items.iter_mut().fold(false, |acc, i| self.redact_value(i) | acc),
            Value::Object(map) => map.values_mut().fold(false, |acc, i| self.redact_value(i) | acc),
            _ => false,
        }
    }
}

/// Environment variable names the runbook's probes read with `env:NAME` headers.
fn env_names(runbook: &Runbook) -> BTreeSet<String> {
    let mut out = BTreeSet::new();
    for p in &runbook.probes {
        if let ProbeTarget::Http { headers, .. } = &p.target {
            for (_, v) in headers {
                if let HeaderValue::Env(name) = v {
                    out.insert(name.clone());
                }
            }
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn r(secrets: &[(&str, &str)], patterns: &[&str]) -> Redactor {
        Redactor::new(
            secrets.iter().map(|(n, v)| (n.to_string(), v.to_string())),
            patterns.iter().map(|p| Regex::new(p).unwrap()).collect(),
        )
    }

    #[test]
    fn replaces_values_with_their_names() {
        let red = r(&[("API_TOKEN", "s3cr3t-abc")], &[]);
        assert_eq!(red.redact("Authorization: Bearer s3cr3t-abc!"), "Authorization: Bearer ‹API_TOKEN›!");
        assert!(matches!(red.redact("nothing here"), Cow::Borrowed(_)));
    }

    #[test]
    fn longer_values_first_and_patterns_after() {
        let red = r(&[("SHORT", "abcd"), ("LONG", "abcd-efgh")], &["ghp_[A-Za-z0-9]{6}"]);
        assert_eq!(red.redact("x abcd-efgh y abcd z ghp_123456"), "x ‹LONG› y ‹SHORT› z ‹redacted›");
    }

    #[test]
    fn empty_values_hide_nothing() {
        let red = r(&[("EMPTY", "")], &[]);
        assert!(red.is_empty());
        assert_eq!(red.redact("text"), "text");
    }

    #[test]
    fn events_are_redacted_field_by_field() {
        let red = r(&[("API_TOKEN", "tok\"en")], &[]);
        let ev = EventKind::NoteAdded { text: "saw tok\"en in the body".into() };
        assert_eq!(red.event(ev), EventKind::NoteAdded { text: "saw ‹API_TOKEN› in the body".into() });
    }

    #[test]
    fn another_writers_record_is_shown_redacted() {
        let red = r(&[("API_TOKEN", "tok-123456")], &[]);
        let ev = EventKind::NoteAdded { text: "token is tok-123456".into() };
        let rec = Record::new(crate::domain::record::GENESIS, 1, chrono::DateTime::UNIX_EPOCH, "ana", &ev);
        let shown = red.record(&rec).expect("changed");
        assert_eq!(shown.event(), Some(EventKind::NoteAdded { text: "token is ‹API_TOKEN›".into() }));
        let clean = Record::new(
            crate::domain::record::GENESIS,
            1,
            chrono::DateTime::UNIX_EPOCH,
            "ana",
            &EventKind::SessionClosed {},
        );
        assert!(red.record(&clean).is_none());
    }

    proptest! {
        #[test]
        fn a_secret_never_survives(prefix in "\\PC{0,20}", suffix in "\\PC{0,20}", secret in "[A-Za-z0-9]{8,16}") {
            let red = r(&[("S", &secret)], &[]);
            let text = format!("{prefix}{secret}{suffix}{secret}");
            prop_assert!(!red.redact(&text).contains(&secret));
        }
    }
}
