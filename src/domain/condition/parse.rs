//! Reading a condition as written: Gatus's form (`LEFT OP RIGHT`, either side
//! a placeholder, a function or plain text) plus warroom's extensions
//! (`contains`, text in double quotes, durations, no spaces needed around an
//! operator after a placeholder). Errors carry the byte offset they point at
//! and a form that would be valid.

use super::golang;
use super::{Condition, Func, Op, Operand, ParseError, Placeholder};

/// Placeholders warroom evaluates, as written (Gatus reads them in any case).
pub const PLACEHOLDERS: [&str; 7] = [
    "[STATUS]",
    "[RESPONSE_TIME]",
    "[BODY]",
    "[CONNECTED]",
    "[IP]",
    "[CERTIFICATE_EXPIRATION]",
    "[BODY].path.to.field",
];

/// Gatus's operators in the order Gatus looks for them.
const GATUS_OPS: [(&str, Op); 6] =
    [(" == ", Op::Eq), (" != ", Op::Ne), (" <= ", Op::Le), (" >= ", Op::Ge), (" > ", Op::Gt), (" < ", Op::Lt)];

fn err(at: usize, message: impl Into<String>) -> ParseError {
    ParseError { at, message: message.into() }
}

/// `text` trimmed; `at` offsets are into `text` as given.
pub fn parse(text: &str) -> Result<Condition, ParseError> {
    let lead = text.len() - text.trim_start().len();
    parse_trimmed(text.trim()).map_err(|e| err(lead + e.at, e.message))
}

fn parse_trimmed(t: &str) -> Result<Condition, ParseError> {
    if t.is_empty() {
        return Err(err(0, "empty condition: write one like [STATUS] == 200"));
    }
    let (left, op, right_at) = if t.starts_with('[') || t.starts_with('"') {
        let (left, after) = operand_prefix(t, 0)?;
        let rest = &t[after..];
        let op_at = after + (rest.len() - rest.trim_start().len());
        let (op, op_len) = operator(&t[op_at..]).ok_or_else(|| missing_operator(t, &left, op_at))?;
        (left, op, op_at + op_len)
    } else {
        let (l_end, op, r_start) = split_gatus(t).ok_or_else(|| no_operator_in_plain(t))?;
        (plain_operand(t, t[..l_end].trim(), 0, true)?, op, r_start)
    };
    let rest = &t[right_at..];
    let r_at = right_at + (rest.len() - rest.trim_start().len());
    let right_text = rest.trim();
    if right_text.is_empty() {
        return Err(err(
            right_at,
            format!("missing the value after {}: write it like {} 200", op.symbol(), t[..right_at].trim_end()),
        ));
    }
    let right = plain_operand(t, right_text, r_at, false)?;
    let c = Condition { text: t.to_string(), left, op, right };
    super::check::types(&c).map_err(|(on_right, m)| err(if on_right { r_at } else { 0 }, m))?;
    Ok(c)
}

fn missing_operator(t: &str, left: &Operand, at: usize) -> ParseError {
    let rest = t[at..].trim();
    let name = left.written();
    if rest.starts_with('=') && !rest.starts_with("==") {
        let value = rest.trim_start_matches('=').trim();
        return err(at, format!("= is not an operator: write {name} == {value}"));
    }
    let example = if rest.is_empty() { "200".to_string() } else { rest.to_string() };
    err(
        at,
        format!(
            "expected an operator after {name} (==, !=, <, <=, >, >=, contains, not contains): write it like {name} == {example}"
        ),
    )
}

/// `LEFT OP RIGHT` found as Gatus finds it: the first ` == ` anywhere, else ` != `, …
fn split_gatus(t: &str) -> Option<(usize, Op, usize)> {
    for (sym, op) in GATUS_OPS {
        if let Some(i) = t.find(sym) {
            return Some((i, op, i + sym.len() - 1));
        }
    }
    for (sym, op) in [(" not contains ", Op::NotContains), (" contains ", Op::Contains)] {
        if let Some(i) = t.find(sym) {
            return Some((i, op, i + sym.len() - 1));
        }
    }
    None
}

fn no_operator_in_plain(t: &str) -> ParseError {
    if let Some(i) = ["==", "!=", "<=", ">=", "<", ">"].iter().find_map(|o| t.find(o)) {
        return err(i, format!("put a space on each side of the operator: {}", spaced(t)));
    }
    err(0, format!("condition \"{t}\": expected LEFT OP RIGHT, like [STATUS] == 200"))
}

/// `len([BODY])==3` → `len([BODY]) == 3`.
fn spaced(t: &str) -> String {
    for o in ["==", "!=", "<=", ">=", "<", ">"] {
        if let Some(i) = t.find(o) {
            return format!("{} {o} {}", t[..i].trim_end(), t[i + o.len()..].trim_start());
        }
    }
    t.to_string()
}

/// The operator at the start of `s`, with its length.
fn operator(s: &str) -> Option<(Op, usize)> {
    if let Some(r) = s.strip_prefix("not") {
        let r2 = r.trim_start();
        if r2.len() < r.len() && r2.starts_with("contains") {
            return Some((Op::NotContains, s.len() - r2.len() + "contains".len()));
        }
    }
    const OPS: [(&str, Op); 7] = [
        ("==", Op::Eq),
        ("!=", Op::Ne),
        ("<=", Op::Le),
        (">=", Op::Ge),
        ("<", Op::Lt),
        (">", Op::Gt),
        ("contains", Op::Contains),
    ];
    OPS.iter().find_map(|(sym, op)| s.starts_with(sym).then_some((*op, sym.len())))
}

/// A placeholder or quoted text at the start of `t[at..]`; returns where it ends.
fn operand_prefix(t: &str, at: usize) -> Result<(Operand, usize), ParseError> {
    let s = &t[at..];
    if s.starts_with('"') {
        let (text, len) = quoted(t, at)?;
        return Ok((Operand::Quoted(text), at + len));
    }
    let close =
        s.find(']').ok_or_else(|| err(at, format!("missing ']' after {s}: placeholders are written like [STATUS]")))?;
    let ph = placeholder_name(at, &s[1..close])?;
    let mut end = at + close + 1;
    if let Placeholder::Body = ph {
        let after = &t[end..];
        if after.starts_with('.') || after.starts_with('[') {
            let path_len = after.find(|c: char| c.is_whitespace() || "=!<>".contains(c)).unwrap_or(after.len());
            let path = &after[..path_len];
            check_path(path, end)?;
            end += path_len;
            return Ok((Operand::Value(None, Placeholder::BodyPath(path.trim_start_matches('.').to_string())), end));
        }
    }
    Ok((Operand::Value(None, ph), end))
}

fn placeholder_name(at: usize, name: &str) -> Result<Placeholder, ParseError> {
    let upper = name.to_ascii_uppercase();
    Ok(match upper.as_str() {
        "STATUS" => Placeholder::Status,
        "RESPONSE_TIME" => Placeholder::ResponseTime,
        "BODY" => Placeholder::Body,
        "CONNECTED" => Placeholder::Connected,
        "IP" => Placeholder::Ip,
        "CERTIFICATE_EXPIRATION" => Placeholder::CertificateExpiration,
        "DOMAIN_EXPIRATION" => {
            return Err(err(
                at,
                "[DOMAIN_EXPIRATION] is not supported: it needs a WHOIS lookup, which warroom does not make \
                 (registrars rate-limit it and a go-live is not when a domain expires); check it with a \
                 command probe instead, like command = \"whois example.com | grep -i expir\"",
            ))
        }
        "DNS_RCODE" => {
            return Err(err(
                at,
                "[DNS_RCODE] is not supported: warroom has no DNS probe kind; use a command probe instead, \
                 like command = \"dig +short example.com | grep .\" (UP when it exits 0)",
            ))
        }
        "CONTEXT" => {
            return Err(err(
                at,
                "[CONTEXT] belongs to Gatus suites, which warroom does not run: compare with a fixed value instead",
            ))
        }
        _ => {
            let names = PLACEHOLDERS[..6].iter().map(|p| &p[1..p.len() - 1]);
            let hint = crate::domain::vars::suggest(&upper, names);
            return Err(err(at, format!("unknown operand [{name}]{hint}; use {}", PLACEHOLDERS.join(", "))));
        }
    })
}

/// `.a.b[0].c` as Gatus walks it; fields are any text, indexes are numbers.
fn check_path(path: &str, at: usize) -> Result<(), ParseError> {
    let mut rest = path;
    let mut pos = at;
    while !rest.is_empty() {
        if let Some(r) = rest.strip_prefix('.') {
            let stop = r.find(['.', '[']).unwrap_or(r.len());
            if stop == 0 {
                return Err(err(pos, "empty field name in the JSON path: write it like [BODY].data.items[0].status"));
            }
            pos += 1 + stop;
            rest = &r[stop..];
        } else if let Some(r) = rest.strip_prefix('[') {
            let close = r.find(']').ok_or_else(|| err(pos, "missing ']' in the JSON path"))?;
            let idx = &r[..close];
            if idx.is_empty() || !idx.bytes().all(|b| b.is_ascii_digit()) {
                return Err(err(pos, format!("array index [{idx}] must be a number, like [0]")));
            }
            pos += close + 2;
            rest = &r[close + 1..];
        } else {
            return Err(err(pos, "bad JSON path: write it like [BODY].data.items[0].status"));
        }
    }
    Ok(())
}

/// Text in double quotes starting at `t[at]`; returns the text and the length consumed.
fn quoted(t: &str, at: usize) -> Result<(String, usize), ParseError> {
    let mut out = String::new();
    let mut chars = t[at + 1..].char_indices();
    loop {
        match chars.next() {
            None => return Err(err(at, "missing closing '\"' after the quoted text")),
            Some((i, '"')) => return Ok((out, i + 2)),
            Some((_, '\\')) => match chars.next() {
                Some((_, '"')) => out.push('"'),
                Some((_, '\\')) => out.push('\\'),
                Some((_, 'n')) => out.push('\n'),
                Some((_, 't')) => out.push('\t'),
                Some((_, c)) => {
                    out.push('\\');
                    out.push(c);
                }
                None => return Err(err(at, "missing closing '\"' after the quoted text")),
            },
            Some((_, c)) => out.push(c),
        }
    }
}

/// A whole side: quoted text, `pat(..)`, `any(..)`, `len(..)`, `has(..)`, a
/// placeholder, or plain text taken as written (Gatus compares it as text).
fn plain_operand(t: &str, s: &str, at: usize, is_left: bool) -> Result<Operand, ParseError> {
    if s.starts_with('"') {
        let (text, len) = quoted(t, at)?;
        let after = &t[at + len..];
        let trailing = after.trim();
        if !trailing.is_empty() && !is_left {
            let pos = at + len + (after.len() - after.trim_start().len());
            return Err(err(pos, format!("unexpected \"{trailing}\" after the quoted text")));
        }
        return Ok(Operand::Quoted(text));
    }
    for name in ["len(", "has(", "pat(", "any("] {
        let Some(inner) = s.strip_prefix(name) else { continue };
        let Some(inner) = inner.strip_suffix(')') else {
            return Err(err(at, format!("missing ')' to close {name}: write it like {}", function_example(name))));
        };
        return match name {
            "pat(" => {
                let regex = golang::pattern_regex(inner).ok_or_else(|| {
                    err(at, format!("bad pattern {s}: use * for any text, ? for one character, [a-z] for a range"))
                })?;
                Ok(Operand::Pattern(inner.to_string(), regex))
            }
            "any(" => Ok(Operand::Any(inner.split(',').map(|o| o.trim().to_string()).collect())),
            _ => {
                let func = if name == "len(" { Func::Len } else { Func::Has };
                function_of(inner, at + name.len(), name, func)
            }
        };
    }
    if s.starts_with('[')
        && s[1..].find(']').is_some_and(|c| s[1..1 + c].bytes().all(|b| b.is_ascii_alphabetic() || b == b'_') && c > 0)
    {
        let (op, end) = operand_prefix(t, at)?;
        if end != at + s.len() {
            return Err(err(end, format!("unexpected \"{}\" after {}", &t[end..at + s.len()], op.written())));
        }
        return Ok(op);
    }
    if is_left {
        // `STATUS == 200`: a placeholder without its brackets is a slip, not text.
        let upper = s.to_ascii_uppercase();
        if PLACEHOLDERS[..6].iter().any(|p| p[1..p.len() - 1] == upper) {
            return Err(err(
                at,
                format!(
                    "must start with [{upper}] (in brackets): write it like {}",
                    t.replacen(s, &format!("[{upper}]"), 1)
                ),
            ));
        }
    }
    Ok(Operand::Text(s.to_string()))
}

/// `len(` / `has(` around `inner` (which starts at byte `inner_at`): one placeholder.
fn function_of(inner: &str, inner_at: usize, name: &str, func: Func) -> Result<Operand, ParseError> {
    let inner_t = inner.trim();
    let inner_at = inner_at + (inner.len() - inner.trim_start().len());
    let takes = || format!("{name}) takes a placeholder: write it like {}", function_example(name));
    if !inner_t.starts_with('[') {
        return Err(err(inner_at.saturating_sub(name.len()), takes()));
    }
    let (op, end) = operand_prefix(inner_t, 0).map_err(|e| err(inner_at + e.at, e.message))?;
    if end != inner_t.len() {
        return Err(err(
            inner_at + end,
            format!("unexpected text after {}: write it like {}", op.written(), function_example(name)),
        ));
    }
    match op {
        Operand::Value(None, ph) => Ok(Operand::Value(Some(func), ph)),
        _ => Err(err(inner_at, takes())),
    }
}

fn function_example(name: &str) -> &'static str {
    match name {
        "len(" => "len([BODY].data) < 5",
        "has(" => "has([BODY].errors) == false",
        "pat(" => "[BODY].name == pat(john*)",
        _ => "[STATUS] == any(200, 429)",
    }
}
