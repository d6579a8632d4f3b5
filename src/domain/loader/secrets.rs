//! `[runbook] secret_vars` and `[runbook] redact` (docs/runbook-format.md, "Secrets").

use std::collections::BTreeSet;

use regex::Regex;

use super::reader::{Ctx, Table};
use crate::domain::vars;

/// What the runbook says is secret: var names, and token shapes as regexes.
pub(super) struct SecretRules {
    pub vars: BTreeSet<String>,
    pub redact: Vec<Regex>,
}

/// Reads both keys from `[runbook]`; vars are checked once `[vars]` is read.
pub(super) fn read(ctx: &mut Ctx, t: &Table) -> SecretRules {
    let mut rules = SecretRules { vars: BTreeSet::new(), redact: Vec::new() };
    for name in t.str_list(ctx, "secret_vars").unwrap_or_default() {
        if !ctx.vars.contains_key(name.get_ref()) {
            let hint = vars::suggest(name.get_ref(), ctx.vars.keys());
            ctx.error(
                &name.span(),
                format!("secret_vars names \"{}\", which is not in [vars]{hint}: declare it there", name.get_ref()),
            );
            continue;
        }
        rules.vars.insert(name.into_inner());
    }
    for pattern in t.str_list(ctx, "redact").unwrap_or_default() {
        if pattern.get_ref().is_empty() {
            ctx.error(&pattern.span(), "an empty redact pattern would hide nothing: remove it or write a regex");
            continue;
        }
        match Regex::new(pattern.get_ref()) {
            Ok(re) if re.is_match("") => ctx.error(
                &pattern.span(),
                format!("redact pattern \"{}\" matches empty text: make it match the token itself", pattern.get_ref()),
            ),
            Ok(re) => rules.redact.push(re),
            Err(e) => {
                let detail =
                    e.to_string().lines().last().unwrap_or("").trim().trim_start_matches("error: ").to_string();
                ctx.error(&pattern.span(), format!("bad regex in redact: {detail}"));
            }
        }
    }
    rules
}
