//! Evaluation with Gatus's answers: both sides resolve to text; `==`/`!=`
//! compare them as integers when both read as integers (Go's rules: `0x1F`,
//! `0o7`, `010`), else as text, with `pat()` and `any()`; `<`, `<=`, `>`,
//! `>=` read both sides as numbers, durations counting as milliseconds and
//! anything else as 0. A JSON path that leads nowhere resolves to
//! "… (INVALID)", as in Gatus.

use super::check::timed;
use super::{golang, jsonpath, Condition, Func, Observation, Op, Operand, Placeholder};

/// One resolved side: the text compared, and what to tell a person about it.
struct Side {
    text: String,
    shown: Option<String>,
    /// A path that led nowhere (Gatus's "(INVALID)").
    invalid: bool,
}

pub fn evaluate(c: &Condition, obs: &Observation) -> Result<(), String> {
    let l = resolve(&c.left, obs);
    let r = resolve(&c.right, obs);
    let ok = match c.op {
        Op::Eq => equal(c, &l, &r),
        Op::Ne => !equal(c, &l, &r),
        // warroom's own operators: a path that led nowhere fails them, whatever the text.
        Op::Contains => !l.invalid && l.text.contains(&r.text),
        Op::NotContains => !l.invalid && !l.text.contains(&r.text),
        Op::Lt | Op::Le | Op::Gt | Op::Ge => {
            let (a, b) = (number(&l.text), number(&r.text));
            match c.op {
                Op::Lt => a < b,
                Op::Le => a <= b,
                Op::Gt => a > b,
                _ => a >= b,
            }
        }
    };
    if ok {
        return Ok(());
    }
    let seen = match (l.shown, r.shown) {
        (Some(a), None) | (None, Some(a)) => a,
        (Some(a), Some(b)) => format!("{} {a}, {} {b}", c.left.written(), c.right.written()),
        (None, None) => "the two fixed values differ".to_string(),
    };
    Err(format!("{}: {seen}", c.text))
}

fn equal(c: &Condition, l: &Side, r: &Side) -> bool {
    match (&c.left, &c.right) {
        (Operand::Pattern(a, _), Operand::Pattern(b, _)) => a == b,
        (Operand::Pattern(_, re), _) => re.is_match(&without_slashes(&r.text)),
        (_, Operand::Pattern(_, re)) => re.is_match(&without_slashes(&l.text)),
        (Operand::Any(opts), b) if !matches!(b, Operand::Any(_)) => opts.contains(&r.text),
        (a, Operand::Any(opts)) if !matches!(a, Operand::Any(_)) => opts.contains(&l.text),
        (a, b) if (timed(a) && duration_text(b)) || (timed(b) && duration_text(a)) => {
            // warroom: `[RESPONSE_TIME] == 3s` compares milliseconds.
            number(&l.text) == number(&r.text)
        }
        _ => match (golang::parse_int(&l.text), golang::parse_int(&r.text)) {
            (Some(a), Some(b)) => a == b,
            _ => l.text == r.text,
        },
    }
}

fn duration_text(o: &Operand) -> bool {
    matches!(o, Operand::Text(t) if is_duration(t))
}

/// Gatus strips the path separator before matching a pattern.
fn without_slashes(s: &str) -> String {
    s.replace('/', "")
}

/// A duration as Go writes it (`1.5s`, `300ms`, `1h30m`) or as runbooks do (`2d`).
pub fn is_duration(s: &str) -> bool {
    duration_ms(s).is_some()
}

fn duration_ms(s: &str) -> Option<i64> {
    golang::parse_duration_ms(s).filter(|ms| *ms != 0 || s.trim_start_matches(['+', '-']) != "0").or_else(|| {
        (s.bytes().next().is_some_and(|b| b.is_ascii_digit()) && s.bytes().any(|b| b.is_ascii_alphabetic()))
            .then(|| crate::domain::duration::parse_duration(s).ok().map(|d| d.as_millis() as i64))
            .flatten()
    })
}

/// Gatus's reading of a side for `<`, `>`: a non-zero duration in
/// milliseconds, else an integer, else a float without its fraction, else 0.
fn number(s: &str) -> i64 {
    if let Some(ms) = duration_ms(s).filter(|ms| *ms != 0) {
        return ms;
    }
    if let Some(i) = golang::parse_int(s) {
        return i;
    }
    golang::parse_float(s).map(|f| f as i64).unwrap_or(0)
}

/// Outside text, one line, short, in quotes (it is sanitised when drawn).
fn excerpt(s: &str) -> String {
    const MAX: usize = 80;
    let one_line: String = s.chars().map(|c| if c.is_control() { ' ' } else { c }).collect();
    if one_line.chars().count() > MAX {
        let cut: String = one_line.chars().take(MAX).collect();
        format!("\"{cut}…\"")
    } else {
        format!("\"{one_line}\"")
    }
}

fn got(text: &str) -> String {
    if golang::parse_int(text).is_some() || golang::parse_float(text).is_some() {
        format!("got {text}")
    } else {
        format!("got {}", excerpt(text))
    }
}

fn resolve(o: &Operand, obs: &Observation) -> Side {
    let (func, ph) = match o {
        Operand::Value(f, p) => (*f, p),
        Operand::Text(t) | Operand::Quoted(t) => return Side { text: t.clone(), shown: None, invalid: false },
        Operand::Pattern(p, _) => return Side { text: format!("pat({p})"), shown: None, invalid: false },
        Operand::Any(_) => return Side { text: o.written(), shown: None, invalid: false },
    };
    let body = obs.body.unwrap_or("");
    // (value, how to say it, and whether it was there at all)
    let (value, shown): (String, String) = match ph {
        Placeholder::Status => match obs.status {
            Some(s) => (s.to_string(), format!("got {s}")),
            None => ("0".into(), "no HTTP status (no response)".into()),
        },
        Placeholder::ResponseTime => (obs.response_time_ms.to_string(), format!("got {}ms", obs.response_time_ms)),
        Placeholder::Connected => (obs.connected.to_string(), format!("got {}", obs.connected)),
        Placeholder::Ip => match &obs.ip {
            Some(ip) => (ip.clone(), format!("got {ip}")),
            None => (String::new(), "no IP (no connection)".into()),
        },
        Placeholder::CertificateExpiration => match obs.cert_ms_left {
            Some(ms) => (ms.to_string(), format!("got {}h left", ms / 3_600_000)),
            None => ("0".into(), "no TLS certificate seen (is this an https probe?)".into()),
        },
        Placeholder::Body => {
            let trimmed = body.trim();
            match func {
                Some(Func::Has) => return said(o, (!trimmed.is_empty()).to_string()),
                Some(Func::Len) => {
                    let n = jsonpath::eval("", body).map(|f| f.len).unwrap_or(trimmed.len());
                    return said(o, n.to_string());
                }
                None => match obs.body {
                    Some(_) => (trimmed.to_string(), format!("body was {}", excerpt(trimmed))),
                    None => (String::new(), "no body".into()),
                },
            }
        }
        Placeholder::BodyPath(path) => {
            let walked = jsonpath::eval(path, body);
            return match (func, walked) {
                (Some(Func::Has), w) => said(o, w.is_ok().to_string()),
                (Some(Func::Len), Ok(f)) => said(o, f.len.to_string()),
                (None, Ok(f)) => {
                    let shown = got(&f.text);
                    Side { text: f.text, shown: Some(shown), invalid: false }
                }
                (_, Err(why)) => {
                    let why = if why == "the body is not JSON" {
                        format!("body is not JSON: {}", excerpt(body))
                    } else {
                        why
                    };
                    Side { text: format!("{} (INVALID)", o.written()), shown: Some(why), invalid: true }
                }
            };
        }
    };
    match func {
        None => Side { text: value, shown: Some(shown), invalid: false },
        Some(Func::Has) => said(o, (!value.is_empty()).to_string()),
        Some(Func::Len) => said(o, value.len().to_string()),
    }
}

/// A function's result, told as "len was 3".
fn said(o: &Operand, v: String) -> Side {
    let name = match o {
        Operand::Value(Some(Func::Len), _) => "len",
        _ => "has",
    };
    Side { shown: Some(format!("{name} was {v}")), text: v, invalid: false }
}
