//! Which runbook a session was run with (docs/journal.md, "session.opened").
//!
//! Sessions are found by runbook id, so two different files that both say
//! `id = "golive"` would silently share one journal: the second console would
//! show verdicts and a decision taken against other criteria. A console
//! therefore records in `session.opened` the SHA-256 of the runbook file's
//! bytes and an [`Outline`] (the titles a report needs); before joining, the
//! caller compares its file's hash with the one the session last recorded
//! ([`other_runbook`]). Journals written before this have neither field and
//! are joined as before.

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};

use super::event::EventKind;
use super::record::Record;
use super::runbook::Runbook;

/// Lowercase hex SHA-256 of a runbook file's bytes.
pub fn sha256_hex(bytes: &[u8]) -> String {
    hex::encode(Sha256::digest(bytes))
}

/// `(id, title)`, written as a two-element array to keep the record short.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Titled(pub String, pub String);

/// `(id, title, phase id)` of a step.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct StepTitle(pub String, pub String, pub String);

/// `(id, title, severity)` of a criterion.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct CriterionTitle(pub String, pub String, pub String);

/// What a report needs from the runbook when the file is gone: titles in
/// runbook order, the phase of each step, each criterion's severity, the time zone.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Outline {
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub phases: Vec<Titled>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub steps: Vec<StepTitle>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub criteria: Vec<CriterionTitle>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub probes: Vec<Titled>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub rollbacks: Vec<Titled>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub timezone: Option<String>,
}

impl Outline {
    pub fn of(rb: &Runbook) -> Outline {
        let t = |id: &str, title: &str| Titled(id.to_string(), title.to_string());
        Outline {
            phases: rb.phases.iter().map(|p| t(&p.id, &p.title)).collect(),
            steps: rb.steps.iter().map(|s| StepTitle(s.id.clone(), s.title.clone(), s.phase.clone())).collect(),
            criteria: rb
                .criteria
                .iter()
                .map(|c| CriterionTitle(c.id.clone(), c.title.clone(), c.severity.as_str().to_string()))
                .collect(),
            probes: rb.probes.iter().map(|p| t(&p.id, &p.title)).collect(),
            rollbacks: rb.rollbacks.iter().map(|r| t(&r.id, &r.title)).collect(),
            timezone: rb.timezone.map(|tz| tz.name().to_string()),
        }
    }

    pub fn step_title(&self, id: &str) -> Option<&str> {
        self.steps.iter().find(|s| s.0 == id).map(|s| s.1.as_str())
    }

    pub fn rollback_title(&self, id: &str) -> Option<&str> {
        self.rollbacks.iter().find(|r| r.0 == id).map(|r| r.1.as_str())
    }

    pub fn criterion(&self, id: &str) -> Option<&CriterionTitle> {
        self.criteria.iter().find(|c| c.0 == id)
    }
}

/// The runbook file a session was last opened with, as its `session.opened` says.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Recorded {
    pub sha256: String,
    pub path: Option<String>,
    pub by: String,
    pub at: DateTime<Utc>,
}

impl Recorded {
    /// `/srv/golive.toml (sha256 1a2b3c4d…, opened by ana at 2026-02-12 06:14 UTC)`.
    pub fn describe(&self) -> String {
        let file = self.path.as_deref().map(|p| format!("{p} ")).unwrap_or_default();
        format!(
            "{file}(sha256 {}…, opened by {} at {})",
            short_hash(&self.sha256),
            self.by,
            self.at.format("%Y-%m-%d %H:%M UTC")
        )
    }
}

/// The first 12 hex digits: enough to tell two files apart on screen.
pub fn short_hash(h: &str) -> &str {
    &h[..h.len().min(12)]
}

/// The latest `session.opened` that recorded a runbook hash: the runbook the
/// session is run with now (someone may have joined "anyway" with another file,
/// and from then on that one is the session's).
pub fn recorded(records: &[Record]) -> Option<Recorded> {
    records.iter().rev().find_map(|r| match r.event() {
        Some(EventKind::SessionOpened { runbook_sha256: Some(sha256), path, .. }) => {
            Some(Recorded { sha256, path, by: r.operator.clone(), at: r.ts })
        }
        _ => None,
    })
}

/// `Some(what the session recorded)` when it was last opened with a runbook
/// file whose bytes differ from `sha256`; `None` when they match or the
/// journal predates the hash (nothing to compare: joined as before).
pub fn other_runbook(records: &[Record], sha256: &str) -> Option<Recorded> {
    recorded(records).filter(|r| r.sha256 != sha256)
}

/// The latest outline a `session.opened` recorded, for a report without its runbook.
pub fn outline(records: &[Record]) -> Option<Outline> {
    records.iter().rev().find_map(|r| match r.event() {
        Some(EventKind::SessionOpened { outline: Some(o), .. }) => Some(*o),
        _ => None,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::fixtures::{record, t};

    fn opened(hash: Option<&str>, by: &str, secs: i64, prev: &Record) -> Record {
        let ev = EventKind::SessionOpened {
            runbook: "golive".into(),
            title: "Go-live".into(),
            client: None,
            path: Some("/srv/golive.toml".into()),
            runbook_sha256: hash.map(String::from),
            outline: None,
        };
        record(prev.seq + 1, t(secs), by, &ev)
    }

    fn first() -> Record {
        record(1, t(0), "ana", &EventKind::NoteAdded { text: "before".into() })
    }

    #[test]
    fn a_journal_without_hashes_is_joined_as_before() {
        let a = first();
        let b = opened(None, "ana", 1, &a);
        assert_eq!(other_runbook(&[a, b], "abc"), None);
    }

    #[test]
    fn the_latest_recorded_hash_is_the_sessions_runbook() {
        let a = first();
        let b = opened(Some("aaaa"), "ana", 1, &a);
        assert_eq!(other_runbook(&[a.clone(), b.clone()], "aaaa"), None);
        let other = other_runbook(&[a.clone(), b.clone()], "bbbb").expect("a different file");
        assert_eq!((other.by.as_str(), other.sha256.as_str()), ("ana", "aaaa"));
        assert!(other.describe().contains("/srv/golive.toml (sha256 aaaa…, opened by ana at"), "{}", other.describe());
        // Bob joined anyway with bbbb: from then on that is the session's runbook.
        let c = opened(Some("bbbb"), "bob", 2, &b);
        assert_eq!(other_runbook(&[a.clone(), b.clone(), c.clone()], "bbbb"), None);
        assert_eq!(other_runbook(&[a, b, c], "aaaa").map(|r| r.by), Some("bob".to_string()));
    }

    #[test]
    fn the_outline_keeps_titles_order_phases_and_severities() {
        let text = include_bytes!("../../examples/golive-platform.toml");
        let rb = crate::domain::loader::load_bytes(std::path::Path::new("golive.toml"), text).unwrap().runbook;
        let o = Outline::of(&rb);
        assert_eq!(o.steps.len(), rb.steps.len());
        assert_eq!(o.steps[0].0, rb.steps[0].id);
        assert_eq!(o.step_title(&rb.steps[0].id), Some(rb.steps[0].title.as_str()));
        let c = &rb.criteria[0];
        assert_eq!(o.criterion(&c.id).map(|x| x.2.as_str()), Some(c.severity.as_str()));
        let json = serde_json::to_value(&o).unwrap();
        assert!(json["steps"][0].is_array(), "compact: {json}");
        assert_eq!(serde_json::from_value::<Outline>(json).unwrap(), o);
    }
}
