//! One Gatus endpoint → one `[[probe]]` table (TOML text). What has no
//! warroom counterpart becomes a `#` comment under the table, so nothing
//! is dropped silently.

use std::collections::BTreeSet;

use super::config::{Endpoint, Other};
use crate::domain::condition::{self, Placeholder};
use crate::domain::duration::Dur;
use crate::domain::sanitize::clean;

/// A TOML basic string.
pub fn quote(s: &str) -> String {
    let mut out = String::from("\"");
    for c in s.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\t' => out.push_str("\\t"),
            '\r' => out.push_str("\\r"),
            c if c.is_control() => out.push_str(&format!("\\u{:04X}", c as u32)),
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

/// A condition as written: a literal string when it can be one (easier to
/// read: no escaped quotes), else a basic string.
fn quote_condition(s: &str) -> String {
    if s.contains('\'') || s.chars().any(char::is_control) {
        quote(s)
    } else {
        format!("'{s}'")
    }
}

/// Keys are bare when they can be.
fn key(s: &str) -> String {
    if !s.is_empty() && s.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_') {
        s.to_string()
    } else {
        quote(s)
    }
}

/// warroom reads `{name}` as a var in urls, headers and bodies; `{{` is a literal `{`.
fn literal_braces(s: &str) -> String {
    s.replace('{', "{{")
}

/// `My API (prod)` → `my-api-prod`; unique among `taken`.
pub fn probe_id(group: Option<&str>, name: &str, index: usize, taken: &mut BTreeSet<String>) -> String {
    let full = match group {
        Some(g) if !g.is_empty() => format!("{g}-{name}"),
        _ => name.to_string(),
    };
    let mut id = String::new();
    for c in full.chars().flat_map(char::to_lowercase) {
        if c.is_ascii_alphanumeric() || c == '_' {
            id.push(c);
        } else if !id.ends_with('-') {
            id.push('-');
        }
    }
    let mut id = id.trim_matches('-').to_string();
    if id.is_empty() {
        id = format!("endpoint-{}", index + 1);
    }
    let mut unique = id.clone();
    let mut n = 2;
    while taken.contains(&unique) {
        unique = format!("{id}-{n}");
        n += 1;
    }
    taken.insert(unique.clone());
    unique
}

fn other_keys(prefix: &str, other: &Other, notes: &mut Vec<String>) {
    for k in other.keys() {
        notes.push(format!("{prefix}{k}: no warroom counterpart"));
    }
}

/// What kind of warroom probe a Gatus url becomes, if any.
enum Kind {
    Http,
    Tcp(String),
}

fn kind_of(url: &str) -> Result<Kind, String> {
    let lower = url.to_ascii_lowercase();
    if lower.starts_with("http://") || lower.starts_with("https://") {
        Ok(Kind::Http)
    } else if let Some(addr) = url.strip_prefix("tcp://") {
        Ok(Kind::Tcp(addr.to_string()))
    } else {
        let scheme = url.split("://").next().unwrap_or(url);
        Err(format!(
            "{scheme}:// endpoints have no warroom probe kind (warroom probes http(s), tcp and commands); \
             a command probe can stand in, e.g. command = \"ping -c1 -W2 HOST\" for icmp"
        ))
    }
}

/// A whole table, or the whole endpoint commented out with the reason.
pub fn probe_table(ep: &Endpoint, id: &str) -> String {
    let mut out = String::new();
    let mut notes: Vec<String> = Vec::new();
    let kind = match kind_of(&ep.url) {
        Ok(k) => k,
        Err(why) => {
            out.push_str(&format!(
                "# Gatus endpoint {} ({}) not carried over: {why}\n",
                quote(&ep.name),
                clean(&ep.url)
            ));
            for c in &ep.conditions {
                out.push_str(&format!("#   condition: {}\n", clean(c)));
            }
            return out;
        }
    };
    out.push_str("[[probe]]\n");
    out.push_str(&format!("id = {}\n", quote(id)));
    let title = match &ep.group {
        Some(g) if !g.is_empty() => format!("{g}/{}", ep.name),
        _ => ep.name.clone(),
    };
    if title != id {
        out.push_str(&format!("title = {}\n", quote(&title)));
    }
    match &kind {
        Kind::Http => http_keys(ep, &mut out, &mut notes),
        Kind::Tcp(addr) => {
            out.push_str(&format!("tcp = {}\n", quote(&literal_braces(addr))));
            if ep.method.is_some() || !ep.headers.is_empty() {
                notes.push("method/headers: tcp probes send no request".into());
            }
            if ep.body.is_some() {
                notes.push("body: warroom's tcp probes only connect; they send nothing".into());
            }
        }
    }
    // Gatus checks every 60s unless told otherwise; warroom's default is 30s.
    out.push_str(&format!("every = \"{}\"\n", Dur::from_millis(ep.interval.unwrap_or(60_000) as u64)));
    if let Some(client) = &ep.client {
        if let Some(ms) = client.timeout {
            out.push_str(&format!("timeout = \"{}\"\n", Dur::from_millis(ms as u64)));
        }
        other_keys("client.", &client.other, &mut notes);
    }
    conditions(ep, &kind, &mut out, &mut notes);
    thresholds(ep, &mut out, &mut notes);
    if ep.enabled == Some(false) {
        notes.push("enabled: false in Gatus (this probe will run in warroom)".into());
    }
    other_keys("", &ep.other, &mut notes);
    for n in notes {
        // Comments hold text from the config: no control characters reach the terminal.
        out.push_str(&format!("# not carried over: {}\n", clean(&n)));
    }
    out
}

fn http_keys(ep: &Endpoint, out: &mut String, notes: &mut Vec<String>) {
    out.push_str(&format!("url = {}\n", quote(&literal_braces(&ep.url))));
    if let Some(m) = ep.method.as_ref().filter(|m| !m.eq_ignore_ascii_case("GET")) {
        out.push_str(&format!("method = {}\n", quote(&m.to_ascii_uppercase())));
    }
    if !ep.headers.is_empty() {
        let pairs: Vec<String> = ep
            .headers
            .iter()
            .map(|(k, v)| {
                // Gatus fills ${VAR} from the environment when it loads; warroom reads env:VAR at each attempt.
                let whole_var = v.strip_prefix("${").and_then(|r| r.strip_suffix('}')).filter(|n| {
                    !n.is_empty() && n.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'_')
                });
                let value = match whole_var {
                    Some(name) => format!("env:{name}"),
                    None => {
                        if v.contains("${") {
                            notes.push(format!("header {k}: ${{…}} inside a value is not filled in by warroom; use a [vars] entry or env:NAME for the whole value"));
                        }
                        literal_braces(v)
                    }
                };
                format!("{} = {}", key(k), quote(&value))
            })
            .collect();
        out.push_str(&format!("headers = {{ {} }}\n", pairs.join(", ")));
    }
    if let Some(body) = &ep.body {
        let sent = if ep.graphql { serde_json::json!({ "query": body }).to_string() } else { body.clone() };
        if ep.graphql {
            out.push_str("# graphql: true in Gatus: the body is sent as {\"query\": …}, as Gatus sends it\n");
        }
        if ["[ENDPOINT_NAME]", "[ENDPOINT_GROUP]", "[ENDPOINT_URL]", "[RANDOM_STRING_"].iter().any(|p| body.contains(p))
        {
            notes.push("body placeholders ([ENDPOINT_NAME], [RANDOM_STRING_N]…) are sent as written".into());
        }
        out.push_str(&format!("body = {}\n", quote(&literal_braces(&sent))));
    }
}

fn conditions(ep: &Endpoint, kind: &Kind, out: &mut String, notes: &mut Vec<String>) {
    let mut kept = Vec::new();
    for c in &ep.conditions {
        match condition::parse(c) {
            Err(e) => notes.push(format!("condition {}: {}", quote_condition(c), e.message)),
            Ok(parsed) => {
                let tcp_ok =
                    |p: &Placeholder| matches!(p, Placeholder::Connected | Placeholder::Ip | Placeholder::ResponseTime);
                if matches!(kind, Kind::Tcp(_)) && !parsed.placeholders().all(tcp_ok) {
                    notes.push(format!(
                        "condition {}: tcp probes take [CONNECTED], [IP] and [RESPONSE_TIME]",
                        quote_condition(c)
                    ));
                } else {
                    kept.push(quote_condition(c));
                }
            }
        }
    }
    match kept.len() {
        0 if ep.conditions.is_empty() => {}
        0 => out.push_str("conditions = []\n"),
        1 => out.push_str(&format!("conditions = [{}]\n", kept[0])),
        _ => {
            out.push_str("conditions = [\n");
            for k in kept {
                out.push_str(&format!("    {k},\n"));
            }
            out.push_str("]\n");
        }
    }
}

/// From the endpoint's alerts: the first enabled alert's thresholds (Gatus's
/// defaults are 3 and 2, as warroom's). Differing alerts are noted.
fn thresholds(ep: &Endpoint, out: &mut String, notes: &mut Vec<String>) {
    let enabled: Vec<_> = ep.alerts.iter().filter(|a| a.enabled != Some(false)).collect();
    let pairs: BTreeSet<(u32, u32)> =
        enabled.iter().map(|a| (a.failure_threshold.unwrap_or(3), a.success_threshold.unwrap_or(2))).collect();
    if let Some(&(f, s)) =
        enabled.first().map(|a| (a.failure_threshold.unwrap_or(3), a.success_threshold.unwrap_or(2))).as_ref()
    {
        out.push_str(&format!("failure_threshold = {f}\nsuccess_threshold = {s}\n"));
        if pairs.len() > 1 {
            notes.push(format!(
                "the alerts' thresholds differ; these are the first enabled alert's ({})",
                enabled[0].kind
            ));
        }
    }
    if !ep.alerts.is_empty() {
        let kinds: Vec<&str> = ep.alerts.iter().map(|a| a.kind.as_str()).collect();
        notes.push(format!(
            "alerts ({}): warroom shows the probe and its checklist criterion instead of sending alerts",
            kinds.join(", ")
        ));
    }
}
