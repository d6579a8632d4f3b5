//! `{name}` placeholders in runbook text: finding them, checking them against
//! the declared `[vars]`, and filling them in.
//!
//! What counts as a placeholder: `{` + a name (`[A-Za-z_][A-Za-z0-9_.-]*`) +
//! optionally `:format` + `}`. Anything else in braces is left alone, so shell
//! text like `awk '{print $1}'` or `${HOME}` (a `$` right before the brace)
//! passes through untouched. `{{` is a literal `{` and starts no placeholder;
//! `}` is always literal.
//!
//! Filling happens once, over the *template* only: a substituted value is never
//! scanned again, so outside text like `{x}` or `[red]` stays literal (S4). In
//! commands every value is shell-quoted (S5).

use std::collections::BTreeMap;
use std::ops::Range;

/// Roots a `[[template]]` placeholder may name besides the declared vars
/// (`{now:%H:%M}`, `{checklist.summary}`, `{vars.commit}` …).
pub const SESSION_FIELDS: &[&str] = &[
    "now",
    "operator",
    "runbook",
    "checklist",
    "decision",
    "recommendation",
    "incident",
    "vars",
    "probes",
    "steps",
    "rollback",
];

/// Every placeholder in `text`: the byte range of the whole `{…}` and the text
/// inside the braces (`vars.commit`, `now:%H:%M %Z`).
pub fn placeholders(text: &str) -> Vec<(Range<usize>, String)> {
    let mut out = Vec::new();
    scan(text, |piece| {
        if let Piece::Placeholder(range, inner) = piece {
            out.push((range, inner.to_string()));
        }
    });
    out
}

enum Piece<'a> {
    Literal(&'a str),
    Placeholder(Range<usize>, &'a str),
}

fn is_name_start(b: u8) -> bool {
    b.is_ascii_alphabetic() || b == b'_'
}
fn is_name_char(b: u8) -> bool {
    b.is_ascii_alphanumeric() || matches!(b, b'_' | b'.' | b'-')
}

/// Splits `text` into literal runs and placeholders, in order.
fn scan<'a>(text: &'a str, mut emit: impl FnMut(Piece<'a>)) {
    let bytes = text.as_bytes();
    let mut lit_start = 0;
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] != b'{' {
            i += 1;
            continue;
        }
        if bytes.get(i + 1) == Some(&b'{') {
            // `{{` → one literal `{`.
            emit(Piece::Literal(&text[lit_start..i + 1]));
            i += 2;
            lit_start = i;
            continue;
        }
        if i > 0 && bytes[i - 1] == b'$' {
            i += 1;
            continue;
        }
        if let Some(end) = placeholder_end(bytes, i) {
            emit(Piece::Literal(&text[lit_start..i]));
            emit(Piece::Placeholder(i..end, &text[i + 1..end - 1]));
            i = end;
            lit_start = i;
        } else {
            i += 1;
        }
    }
    emit(Piece::Literal(&text[lit_start..]));
}

/// End (exclusive) of the placeholder starting at `bytes[start] == b'{'`.
fn placeholder_end(bytes: &[u8], start: usize) -> Option<usize> {
    let mut j = start + 1;
    if !bytes.get(j).is_some_and(|&b| is_name_start(b)) {
        return None;
    }
    while bytes.get(j).is_some_and(|&b| is_name_char(b)) {
        j += 1;
    }
    match bytes.get(j)? {
        b'}' => Some(j + 1),
        b':' => {
            // A format spec runs to the closing brace, on one line.
            while let Some(&b) = bytes.get(j) {
                match b {
                    b'}' => return Some(j + 1),
                    b'\n' | b'{' => return None,
                    _ => j += 1,
                }
            }
            None
        }
        _ => None,
    }
}

/// The root of a placeholder: `vars` for `vars.commit`, `now` for `now:%H:%M`.
pub fn placeholder_root(inner: &str) -> &str {
    let end = inner.find(['.', ':']).unwrap_or(inner.len());
    &inner[..end]
}

/// POSIX single-quote quoting: the result is one shell word whose value is
/// exactly `value`, whatever it holds.
pub fn shell_quote(value: &str) -> String {
    format!("'{}'", value.replace('\'', "'\\''"))
}

fn render(template: &str, vars: &BTreeMap<String, String>, quote: bool) -> Result<String, String> {
    let mut out = String::with_capacity(template.len());
    let mut missing: Vec<String> = Vec::new();
    scan(template, |piece| match piece {
        Piece::Literal(s) => out.push_str(s),
        Piece::Placeholder(_, name) => match vars.get(name) {
            Some(v) if quote => out.push_str(&shell_quote(v)),
            Some(v) => out.push_str(v),
            None => missing.push(name.to_string()),
        },
    });
    if missing.is_empty() {
        Ok(out)
    } else {
        let list: Vec<String> = missing.iter().map(|m| format!("{{{m}}}")).collect();
        Err(format!("unknown variable {}: declare it in [vars]", list.join(", ")))
    }
}

/// Fills `{name}` in a command with shell-quoted values (S5).
pub fn render_command(template: &str, vars: &BTreeMap<String, String>) -> Result<String, String> {
    render(template, vars, true)
}

/// Fills `{name}` in a URL or header value, as is (no shell involved).
pub fn render_text(template: &str, vars: &BTreeMap<String, String>) -> Result<String, String> {
    render(template, vars, false)
}

/// A var written `"env:NAME"` takes its value from the environment variable
/// NAME, and that value is secret (`domain::redact`).
pub const ENV_PREFIX: &str = "env:";

/// The declared vars with run-time overrides: `WARROOM_VAR_<name>` in the
/// environment replaces a declared var's value (e.g. a backup timestamp).
/// For names a shell cannot export (`backup-ts`), the upper-case form with
/// `_` also works (`WARROOM_VAR_BACKUP_TS`); the exact name wins.
/// Undeclared names are ignored, so the environment cannot add placeholders.
/// A var written `"env:NAME"` is read from NAME (empty when NAME is not set).
pub fn effective_vars(
    runbook_vars: &BTreeMap<String, String>,
    env: impl Fn(&str) -> Option<String>,
) -> BTreeMap<String, String> {
    runbook_vars
        .iter()
        .map(|(k, v)| {
            let value = env(&format!("WARROOM_VAR_{k}"))
                .or_else(|| env(&format!("WARROOM_VAR_{}", k.to_ascii_uppercase().replace('-', "_"))))
                .unwrap_or_else(|| match v.strip_prefix(ENV_PREFIX) {
                    Some(name) if !name.is_empty() => env(name).unwrap_or_default(),
                    _ => v.clone(),
                });
            (k.clone(), value)
        })
        .collect()
}

/// Checks a run/url/header text: every placeholder must be a declared var.
/// Returns (byte range in `text`, message) for each unknown one.
pub fn unknown_in_command(text: &str, declared: &BTreeMap<String, String>) -> Vec<(Range<usize>, String)> {
    placeholders(text)
        .into_iter()
        .filter(|(_, name)| !declared.contains_key(name))
        .map(|(r, name)| {
            let msg = if name.starts_with("vars.") || name.contains(':') {
                format!("placeholder {{{name}}} is not allowed here: commands, urls and headers take declared vars only, like {{site}}")
            } else {
                format!("unknown variable {{{name}}}: declare it in [vars]{}", suggest(&name, declared.keys()))
            };
            (r, msg)
        })
        .collect()
}

/// Checks a `[[template]]` text: `{vars.X}` must name a declared var, `{X}` a
/// declared var or a session field root (SESSION_FIELDS).
pub fn unknown_in_template(text: &str, declared: &BTreeMap<String, String>) -> Vec<(Range<usize>, String)> {
    let mut out = Vec::new();
    for (r, inner) in placeholders(text) {
        let root = placeholder_root(&inner);
        if root == "vars" {
            let var = inner.strip_prefix("vars.").unwrap_or("");
            let var = var.split(':').next().unwrap_or("");
            if !declared.contains_key(var) {
                out.push((
                    r,
                    format!(
                        "unknown variable in {{{inner}}}: declare \"{var}\" in [vars]{}",
                        suggest(var, declared.keys())
                    ),
                ));
            }
        } else if !declared.contains_key(root) && !SESSION_FIELDS.contains(&root) {
            let names = declared.keys().map(String::as_str).chain(SESSION_FIELDS.iter().copied());
            out.push((
                r,
                format!(
                    "unknown placeholder {{{inner}}}: use a declared var or one of {}{}",
                    SESSION_FIELDS.join(", "),
                    suggest(root, names)
                ),
            ));
        }
    }
    out
}

/// ` (did you mean "x"?)` when a candidate is close enough, else empty.
pub fn suggest<'a, S: AsRef<str> + 'a>(word: &str, candidates: impl IntoIterator<Item = S>) -> String {
    let best = candidates
        .into_iter()
        .map(|c| (strsim::damerau_levenshtein(word, c.as_ref()), c.as_ref().to_string()))
        .filter(|(d, c)| *d <= 2.max(c.len() / 4) && *d < c.len().max(word.len()))
        .min();
    match best {
        Some((_, c)) => format!(" (did you mean \"{c}\"?)"),
        None => String::new(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn vars(pairs: &[(&str, &str)]) -> BTreeMap<String, String> {
        pairs.iter().map(|(k, v)| (k.to_string(), v.to_string())).collect()
    }

    #[test]
    fn finds_placeholders_and_skips_shell_braces() {
        let p = placeholders("curl {site}/x; echo ${HOME} {{literal}} awk '{print $1}' {now:%H:%M %Z} {vars.commit}");
        let names: Vec<&str> = p.iter().map(|(_, n)| n.as_str()).collect();
        assert_eq!(names, ["site", "now:%H:%M %Z", "vars.commit"]);
        assert_eq!(&"curl {site}/x"[p[0].0.clone()], "{site}");
    }

    #[test]
    fn renders_commands_quoted_and_text_plain() {
        let v = vars(&[("site", "http://h:1"), ("ts", "a b'c")]);
        assert_eq!(render_command("run {ts} --x", &v).unwrap(), "run 'a b'\\''c' --x");
        assert_eq!(render_text("{site}/login", &v).unwrap(), "http://h:1/login");
        assert_eq!(render_text("{{site}", &v).unwrap(), "{site}");
        assert!(render_command("{nope}", &v).unwrap_err().contains("unknown variable {nope}"));
    }

    #[test]
    fn substituted_values_are_not_read_again() {
        let v = vars(&[("a", "{b}"), ("b", "boom")]);
        assert_eq!(render_text("x{a}y", &v).unwrap(), "x{b}y");
    }

    #[test]
    fn env_overrides_declared_vars_only() {
        let v = vars(&[("backup_ts", "none"), ("image-tag", "v1"), ("site", "s")]);
        let env = |k: &str| match k {
            "WARROOM_VAR_backup_ts" => Some("20260212_0600".to_string()),
            "WARROOM_VAR_BACKUP_TS" => Some("loses to the exact name".to_string()),
            "WARROOM_VAR_IMAGE_TAG" => Some("v2".to_string()),
            "WARROOM_VAR_other" => Some("x".to_string()),
            _ => None,
        };
        let e = effective_vars(&v, env);
        assert_eq!(e, vars(&[("backup_ts", "20260212_0600"), ("image-tag", "v2"), ("site", "s")]));
    }

    #[test]
    fn env_vars_are_read_from_the_named_variable() {
        let v = vars(&[("token", "env:API_TOKEN"), ("unset", "env:NOPE")]);
        let env = |k: &str| (k == "API_TOKEN").then(|| "s3cret".to_string());
        assert_eq!(effective_vars(&v, env), vars(&[("token", "s3cret"), ("unset", "")]));
    }

    #[test]
    fn template_placeholders_checked() {
        let v = vars(&[("commit", "abc")]);
        let ok = "{now:%H:%M %Z} {vars.commit} {commit} {checklist.summary} {operator}";
        assert!(unknown_in_template(ok, &v).is_empty());
        let bad = unknown_in_template("{vars.comit} {chekclist.summary}", &v);
        assert_eq!(bad.len(), 2);
        assert!(bad[0].1.contains("did you mean \"commit\""), "{}", bad[0].1);
        assert!(bad[1].1.contains("did you mean \"checklist\""), "{}", bad[1].1);
        let cmd = unknown_in_command("x {now} {commit}", &v);
        assert_eq!(cmd.len(), 1);
    }

    proptest! {
        #[test]
        fn scanning_never_panics(s in "\\PC{0,40}|[{}$a-z:.]{0,30}") {
            let v = vars(&[("a", "1")]);
            let _ = placeholders(&s);
            let _ = render_command(&s, &v);
            let _ = unknown_in_template(&s, &v);
        }

        #[test]
        fn quoting_round_trips_through_the_shell_grammar(s in "\\PC{0,30}") {
            // The quoted word is ' … ' with each ' written as '\'' — check the structure.
            let q = shell_quote(&s);
            prop_assert!(q.starts_with('\'') && q.ends_with('\''));
            prop_assert_eq!(q.replace("'\\''", "'").trim_matches('\'').to_string(), s.trim_matches('\'').to_string());
        }
    }
}
