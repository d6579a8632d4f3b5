//! Roles from the runbook (`[[role]]`) and who may do an act: record the
//! decision (`[decision] by`), approve or fire a rollback (`[[rollback]]
//! approve`, `fire`), run or tick a step (`[[step]] by`). Without a list on
//! an act, anyone may do it; a runbook without roles behaves as before.
//! See `docs/runbook-format.md`, "Roles".

use super::identity::{same_name, Actor};

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Role {
    pub id: String,
    pub title: String,
    /// Operator names, `user:NAME` (a Unix account) or `SHA256:…` (a key
    /// fingerprint). See [`member_matches`].
    pub members: Vec<String>,
}

/// How distinct the approvers of a rollback must be.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Distinct {
    /// Different operator names (after normalising; see `identity::name_key`).
    Operator,
    /// Different Unix accounts that wrote the approvals.
    User,
    /// Different SSH keys that signed the approvals (with valid signatures).
    Key,
}

impl Distinct {
    pub fn as_str(self) -> &'static str {
        match self {
            Distinct::Operator => "operator",
            Distinct::User => "user",
            Distinct::Key => "key",
        }
    }
    /// What N approvers must differ in, in words.
    pub fn noun(self) -> &'static str {
        match self {
            Distinct::Operator => "operator names",
            Distinct::User => "Unix users",
            Distinct::Key => "signing keys",
        }
    }
}

/// Runbook-wide identity settings.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Access {
    pub roles: Vec<Role>,
    /// Roles that may record GO / NO-GO / ROLLBACK (empty: anyone).
    pub decision_by: Vec<String>,
    /// `[runbook] sign = true`: every act of this session is signed by the
    /// operator's SSH agent (as `--sign`).
    pub sign: bool,
}

impl Access {
    pub fn role(&self, id: &str) -> Option<&Role> {
        self.roles.iter().find(|r| r.id == id)
    }

    /// `Ok` when `allowed` is empty (anyone) or `who` is a member of one of
    /// those roles; else the refusal naming the roles that may.
    pub fn check(&self, allowed: &[String], who: &Actor, act: &str) -> Result<(), String> {
        if allowed.is_empty() || allowed.iter().any(|id| self.role(id).is_some_and(|r| is_member(r, who))) {
            return Ok(());
        }
        Err(format!(
            "{} may not {act}: only {} may (ask one of them, or switch with o if they are at this keyboard)",
            who.operator,
            self.describe(allowed)
        ))
    }

    /// "Project lead (project-lead: ana, bob)" for each role id, for dialogs and refusals.
    pub fn describe(&self, allowed: &[String]) -> String {
        allowed
            .iter()
            .map(|id| match self.role(id) {
                Some(r) if r.members.is_empty() => format!("{} ({id}: nobody listed)", r.title),
                Some(r) => format!("{} ({id}: {})", r.title, r.members.join(", ")),
                None => id.clone(),
            })
            .collect::<Vec<_>>()
            .join(" or ")
    }

    /// Every member name of every role (what the `o` dialog offers), in file order, once each.
    pub fn member_names(&self) -> Vec<String> {
        let mut out: Vec<String> = Vec::new();
        for m in self.roles.iter().flat_map(|r| r.members.iter()) {
            if m.starts_with("SHA256:") || m.starts_with("user:") {
                continue;
            }
            if !out.iter().any(|o| same_name(o, m)) {
                out.push(m.clone());
            }
        }
        out
    }
}

/// Whether `who` is a member of `role`.
pub fn is_member(role: &Role, who: &Actor) -> bool {
    role.members.iter().any(|m| member_matches(m, who))
}

/// A member entry matches: `SHA256:…` the signing key, `user:NAME` the Unix
/// account, anything else the operator name (compared as names).
pub fn member_matches(member: &str, who: &Actor) -> bool {
    if member.starts_with("SHA256:") {
        who.key.as_deref() == Some(member)
    } else if let Some(user) = member.strip_prefix("user:") {
        who.user.as_deref() == Some(user)
    } else {
        same_name(member, &who.operator)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn access() -> Access {
        Access {
            roles: vec![
                Role { id: "lead".into(), title: "Project lead".into(), members: vec!["Ana".into()] },
                Role {
                    id: "devops".into(),
                    title: "DevOps".into(),
                    members: vec!["user:bob".into(), "SHA256:abc".into(), "carol".into()],
                },
            ],
            ..Access::default()
        }
    }

    fn actor(op: &str, user: Option<&str>, key: Option<&str>) -> Actor {
        Actor { operator: op.into(), user: user.map(Into::into), key: key.map(Into::into) }
    }

    #[test]
    fn members_match_by_name_user_or_key() {
        let a = access();
        let lead = vec!["lead".to_string()];
        let ops = vec!["devops".to_string()];
        assert!(a.check(&lead, &actor("ana@bastion", None, None), "decide").is_ok());
        assert!(a.check(&ops, &actor("x", Some("bob"), None), "fire").is_ok());
        assert!(a.check(&ops, &actor("x", None, Some("SHA256:abc")), "fire").is_ok());
        assert!(a.check(&ops, &actor("bob", Some("eve"), None), "fire").is_err(), "user:bob is the account");
        let msg = a.check(&lead, &actor("eve", None, None), "record the decision").unwrap_err();
        assert!(msg.contains("Project lead (lead: Ana)"), "{msg}");
        assert!(a.check(&[], &actor("anyone", None, None), "x").is_ok());
        assert_eq!(a.member_names(), vec!["Ana", "carol"]);
    }
}
