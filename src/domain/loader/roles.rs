//! `[[role]]`, `[decision]`, `[runbook] sign`, and the role lists on acts
//! (`[[step]] by`, `[[rollback]] approve` / `fire` / `distinct`).

use toml::de::DeTable;
use toml::Spanned;

use super::reader::{Ctx, Table};
use super::refs::{declare, refer, Kind};
use crate::domain::identity::{check_name, NameError};
use crate::domain::runbook::{Access, Distinct, Role};

/// Keys that restrict an act to roles, and where each belongs.
const ROLE_KEYS: &[(&str, &str)] = &[
    ("by", "[decision] by and [[step]] by"),
    ("fire", "[[rollback]] fire"),
    ("approve", "[[rollback]] approve"),
    ("distinct", "[[rollback]] distinct (with approvals ≥ 2)"),
];

/// For `Table::check_keys`: the message for a role list on a section whose
/// entries are not acts (or not that act), or `None` for other keys.
pub(super) fn misplaced(key: &str, what: &str) -> Option<String> {
    let (_, home) = ROLE_KEYS.iter().find(|(k, _)| *k == key)?;
    Some(format!(
        "{key} in {what}: who may act is set only on acts that exist — {home}; \
         role lists go on [decision] by, [[step]] by, [[rollback]] approve and fire"
    ))
}

/// Reads `[[role]]`, `[decision]` and `[runbook] sign`.
pub(super) fn access(ctx: &mut Ctx, doc: &DeTable) -> Access {
    let roles = super::read_all(ctx, doc, "role", role);
    let decision_by = match super::single(ctx, doc, "decision") {
        Some(t) => {
            t.check_keys(ctx, &["by"]);
            role_list(ctx, &t, "by")
        }
        None => Vec::new(),
    };
    let sign = match super::single(ctx, doc, "runbook") {
        Some(t) => t.bool(ctx, "sign").unwrap_or(false),
        None => false,
    };
    Access { roles, decision_by, sign }
}

fn role(ctx: &mut Ctx, t: &mut Table) -> Option<Role> {
    t.check_keys(ctx, &["id", "title", "members"]);
    let id = t.id(ctx);
    if let Some(id) = &id {
        declare(ctx, Kind::Role, id);
        t.what = format!("[[role]] \"{}\"", id.get_ref());
    }
    let title = t.str(ctx, "title");
    let members = match t.get("members") {
        None => {
            t.missing(ctx, "members", "[\"ana\", \"user:bob\", \"SHA256:…\"]");
            Vec::new()
        }
        Some(_) => t.str_list(ctx, "members").unwrap_or_default(),
    };
    for m in &members {
        check_member(ctx, m, &t.what);
    }
    let id = id?.into_inner();
    Some(Role {
        title: title.map(|s| s.into_inner()).unwrap_or_else(|| id.clone()),
        id,
        members: members.into_iter().map(|m| m.into_inner()).collect(),
    })
}

fn check_member(ctx: &mut Ctx, m: &Spanned<String>, what: &str) {
    let text = m.get_ref();
    let problem = if let Some(fp) = text.strip_prefix("SHA256:") {
        let ok = fp.len() == 43 && fp.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'+' || b == b'/');
        (!ok).then(|| {
            "is not a key fingerprint: copy it from `ssh-keygen -lf KEY.pub` (SHA256: and 43 characters)".into()
        })
    } else if let Some(user) = text.strip_prefix("user:") {
        (user.is_empty() || user.contains(char::is_whitespace)).then(|| "names no Unix user: write user:NAME".into())
    } else {
        check_name(text).err().map(|e| match e {
            NameError::Empty => "is empty: write a name, user:NAME or SHA256:…".to_string(),
            NameError::Invisible { at, code } => {
                format!("has an invisible or control character ({code} at character {at}): write visible letters only")
            }
        })
    };
    if let Some(p) = problem {
        ctx.error(&m.span(), format!("member \"{}\" of {what} {p}", text.escape_debug()));
    }
}

/// A list of role ids under `key`, each checked to exist (at the end of loading).
pub(super) fn role_list(ctx: &mut Ctx, t: &Table, key: &str) -> Vec<String> {
    let Some(items) = t.str_list(ctx, key) else { return Vec::new() };
    let from = format!("{key} of {}", t.what);
    for id in &items {
        refer(ctx, Kind::Role, id, &from);
    }
    items.into_iter().map(|i| i.into_inner()).collect()
}

const DISTINCT: &[(&str, Distinct)] =
    &[("operator", Distinct::Operator), ("user", Distinct::User), ("key", Distinct::Key)];

/// `[[rollback]]`'s `approve`, `fire` and `distinct` (default: `user` when
/// approvals ≥ 2, so that two names typed at one keyboard are one person).
pub(super) fn rollback_access(ctx: &mut Ctx, t: &Table, approvals: u64) -> (Vec<String>, Vec<String>, Distinct) {
    let approve = role_list(ctx, t, "approve");
    let fire = role_list(ctx, t, "fire");
    let distinct = t.choice(ctx, "distinct", DISTINCT);
    if let (Some(d), Some(v)) = (distinct, t.get("distinct")) {
        if approvals < 2 {
            ctx.warn(
                &v.span(),
                format!("distinct = \"{}\" in {} has no effect: it needs approvals = 2 or more", d.as_str(), t.what),
            );
        }
    }
    let default = if approvals >= 2 { Distinct::User } else { Distinct::Operator };
    (approve, fire, distinct.unwrap_or(default))
}
