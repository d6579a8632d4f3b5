//! Ids: unique per kind, and every reference to one must resolve.

use std::collections::BTreeMap;
use std::ops::Range;

use toml::Spanned;

use super::reader::Ctx;
use crate::domain::vars::suggest;

#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub(super) enum Kind {
    Phase,
    Step,
    Probe,
    Log,
    Criterion,
    Rollback,
    Trigger,
    Template,
    Role,
    Channel,
}

impl Kind {
    pub fn name(self) -> &'static str {
        match self {
            Kind::Phase => "phase",
            Kind::Step => "step",
            Kind::Probe => "probe",
            Kind::Log => "log",
            Kind::Criterion => "criterion",
            Kind::Rollback => "rollback",
            Kind::Trigger => "trigger",
            Kind::Template => "template",
            Kind::Role => "role",
            Kind::Channel => "channel",
        }
    }
}

#[derive(Default)]
pub(super) struct Ids {
    /// Declared ids (even of entries that had other errors, so one mistake
    /// does not also show up as a dangling reference elsewhere).
    declared: BTreeMap<(Kind, String), Range<usize>>,
    refs: Vec<(Kind, Spanned<String>, String)>,
}

impl Ids {
    pub fn has(&self, kind: Kind, id: &str) -> bool {
        self.declared.contains_key(&(kind, id.to_string()))
    }
    pub fn any(&self, kind: Kind) -> bool {
        self.declared.keys().any(|(k, _)| *k == kind)
    }
    fn of(&self, kind: Kind) -> Vec<&str> {
        self.declared.keys().filter(|(k, _)| *k == kind).map(|(_, id)| id.as_str()).collect()
    }
}

/// Records an id; a duplicate is an error naming the first one's line.
pub(super) fn declare(ctx: &mut Ctx, kind: Kind, id: &Spanned<String>) -> bool {
    let key = (kind, id.get_ref().clone());
    if let Some(first) = ctx.ids.declared.get(&key).cloned() {
        let line = ctx.line_of(&first);
        ctx.error(
            &id.span(),
            format!("duplicate {} id \"{}\" (first declared on line {line})", kind.name(), id.get_ref()),
        );
        return false;
    }
    ctx.ids.declared.insert(key, id.span());
    true
}

/// Notes a reference from `from` (e.g. `[[criterion]] "homepage-200"`) to check later.
pub(super) fn refer(ctx: &mut Ctx, kind: Kind, id: &Spanned<String>, from: &str) {
    ctx.ids.refs.push((kind, id.clone(), from.to_string()));
}

/// Reports every reference to an id that does not exist.
pub(super) fn check_refs(ctx: &mut Ctx) {
    let refs = std::mem::take(&mut ctx.ids.refs);
    for (kind, id, from) in &refs {
        if ctx.ids.has(*kind, id.get_ref()) {
            continue;
        }
        let known = ctx.ids.of(*kind);
        let msg = if known.is_empty() {
            format!(
                "{from} refers to {} \"{}\", but the runbook has no [[{}]] entries",
                kind.name(),
                id.get_ref(),
                kind.name()
            )
        } else {
            let hint = suggest(id.get_ref(), known.iter().copied());
            format!(
                "{from} refers to unknown {} \"{}\"{}; known: {}",
                kind.name(),
                id.get_ref(),
                hint,
                known.join(", ")
            )
        };
        ctx.error(&id.span(), msg);
    }
}
