//! Probe conditions (Gatus style), parsed into a typed form at load time:
//! `[STATUS] == 200`, `[RESPONSE_TIME] < 3000`, `[BODY] contains "Welcome"`,
//! `[BODY].status == "UP"`, `[CERTIFICATE_EXPIRATION] > 720h`.
//! Owned by the Core work (issue 2): parser and evaluation go here.

#[derive(Clone, Debug, PartialEq)]
pub enum Operand {
    Status,
    /// Milliseconds.
    ResponseTime,
    Body,
    /// `[BODY].a.b.0.c`: a JSON path into the body.
    BodyPath(Vec<String>),
    /// Hours left on the TLS certificate.
    CertificateExpiration,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Op {
    Eq,
    Ne,
    Lt,
    Le,
    Gt,
    Ge,
    Contains,
    NotContains,
}

#[derive(Clone, Debug, PartialEq)]
pub enum Value {
    Number(f64),
    Text(String),
}

#[derive(Clone, Debug, PartialEq)]
pub struct Condition {
    /// As written, for messages ("[STATUS] == 200 failed: got 503").
    pub text: String,
    pub left: Operand,
    pub op: Op,
    pub right: Value,
}

/// What one probe attempt saw, as the condition evaluator needs it.
#[derive(Clone, Debug, Default)]
pub struct Observation<'a> {
    pub status: Option<u16>,
    pub response_time_ms: u64,
    pub body: Option<&'a str>,
    pub cert_hours_left: Option<f64>,
}

/// Parses one condition as written in a runbook (`[STATUS] == 200`).
/// The error says what was expected, so `check` can show it as is.
pub fn parse(text: &str) -> Result<Condition, String> {
    let t = text.trim();
    let (left, rest) = parse_operand(t)?;
    let rest = rest.trim_start();
    let (op, rest) = parse_op(rest).ok_or_else(|| {
        format!(
            "condition \"{t}\": expected an operator after {} (==, !=, <, <=, >, >=, contains, not contains)",
            operand_name(&left)
        )
    })?;
    let rest = rest.trim();
    if rest.is_empty() {
        return Err(format!("condition \"{t}\": missing the value after the operator"));
    }
    let right = parse_value(t, &left, rest)?;
    check_types(t, &left, op, &right)?;
    Ok(Condition { text: t.to_string(), left, op, right })
}

fn operand_name(o: &Operand) -> String {
    match o {
        Operand::Status => "[STATUS]".into(),
        Operand::ResponseTime => "[RESPONSE_TIME]".into(),
        Operand::Body => "[BODY]".into(),
        Operand::BodyPath(p) => format!("[BODY].{}", p.join(".")),
        Operand::CertificateExpiration => "[CERTIFICATE_EXPIRATION]".into(),
    }
}

const OPERANDS: &str = "[STATUS], [RESPONSE_TIME], [BODY], [BODY].path.to.field or [CERTIFICATE_EXPIRATION]";

fn parse_operand(t: &str) -> Result<(Operand, &str), String> {
    if !t.starts_with('[') {
        return Err(format!("condition \"{t}\": must start with {OPERANDS}"));
    }
    let close = t.find(']').ok_or_else(|| format!("condition \"{t}\": missing ']' after the operand"))?;
    let name = &t[1..close];
    let rest = &t[close + 1..];
    let operand = match name {
        "STATUS" => Operand::Status,
        "RESPONSE_TIME" => Operand::ResponseTime,
        "CERTIFICATE_EXPIRATION" => Operand::CertificateExpiration,
        "BODY" => {
            if rest.starts_with('.') || rest.starts_with('[') {
                let (path, after) = parse_json_path(t, rest)?;
                return Ok((Operand::BodyPath(path), after));
            }
            Operand::Body
        }
        other => return Err(format!("condition \"{t}\": unknown operand [{other}]; use {OPERANDS}")),
    };
    Ok((operand, rest))
}

/// `.a.b[0].c` → `["a", "b", "0", "c"]`; stops at the first blank.
fn parse_json_path<'a>(t: &str, s: &'a str) -> Result<(Vec<String>, &'a str), String> {
    let end = s.find(char::is_whitespace).unwrap_or(s.len());
    let (path, after) = s.split_at(end);
    let mut segs = Vec::new();
    let mut cur = path;
    while !cur.is_empty() {
        if let Some(r) = cur.strip_prefix('.') {
            let stop = r.find(['.', '[']).unwrap_or(r.len());
            if stop == 0 {
                return Err(format!("condition \"{t}\": empty field name in the JSON path"));
            }
            segs.push(r[..stop].to_string());
            cur = &r[stop..];
        } else if let Some(r) = cur.strip_prefix('[') {
            let close = r.find(']').ok_or_else(|| format!("condition \"{t}\": missing ']' in the JSON path"))?;
            let idx = &r[..close];
            if idx.is_empty() || !idx.bytes().all(|b| b.is_ascii_digit()) {
                return Err(format!("condition \"{t}\": array index [{idx}] must be a number"));
            }
            segs.push(idx.to_string());
            cur = &r[close + 1..];
        } else {
            return Err(format!("condition \"{t}\": bad JSON path; write it like [BODY].data.items[0].status"));
        }
    }
    if segs.is_empty() {
        return Err(format!("condition \"{t}\": empty JSON path after [BODY]"));
    }
    Ok((segs, after))
}

fn parse_op(s: &str) -> Option<(Op, &str)> {
    const OPS: [(&str, Op); 8] = [
        ("==", Op::Eq),
        ("!=", Op::Ne),
        ("<=", Op::Le),
        (">=", Op::Ge),
        ("<", Op::Lt),
        (">", Op::Gt),
        ("contains", Op::Contains),
        ("not contains", Op::NotContains),
    ];
    if let Some(r) = s.strip_prefix("not") {
        let r2 = r.trim_start();
        if r2.len() < r.len() {
            if let Some(r3) = r2.strip_prefix("contains") {
                return Some((Op::NotContains, r3));
            }
        }
    }
    OPS.iter().find_map(|(sym, op)| s.strip_prefix(sym).map(|r| (*op, r)))
}

fn parse_value(t: &str, left: &Operand, s: &str) -> Result<Value, String> {
    if let Some(inner) = s.strip_prefix('"') {
        let mut out = String::new();
        let mut chars = inner.chars();
        loop {
            match chars.next() {
                None => return Err(format!("condition \"{t}\": missing closing '\"'")),
                Some('"') => break,
                Some('\\') => match chars.next() {
                    Some('"') => out.push('"'),
                    Some('\\') => out.push('\\'),
                    Some('n') => out.push('\n'),
                    Some('t') => out.push('\t'),
                    Some(c) => {
                        out.push('\\');
                        out.push(c);
                    }
                    None => return Err(format!("condition \"{t}\": missing closing '\"'")),
                },
                Some(c) => out.push(c),
            }
        }
        let trailing = chars.as_str().trim();
        if !trailing.is_empty() {
            return Err(format!("condition \"{t}\": unexpected \"{trailing}\" after the quoted text"));
        }
        return Ok(Value::Text(out));
    }
    if let Ok(n) = s.parse::<f64>() {
        if n.is_finite() {
            return Ok(Value::Number(n));
        }
    }
    // Durations are allowed where the operand is a time: `< 3s`, `> 720h`.
    if s.bytes().next().is_some_and(|b| b.is_ascii_digit()) {
        if let Ok(d) = super::duration::parse_duration(s) {
            return match left {
                Operand::ResponseTime => Ok(Value::Number(d.as_millis() as f64)),
                Operand::CertificateExpiration => Ok(Value::Number(d.as_millis() as f64 / 3_600_000.0)),
                _ => Err(format!(
                    "condition \"{t}\": a duration only compares with [RESPONSE_TIME] or [CERTIFICATE_EXPIRATION]"
                )),
            };
        }
    }
    // JSON literals compare with the body field as written.
    if matches!(left, Operand::BodyPath(_)) && matches!(s, "true" | "false" | "null") {
        return Ok(Value::Text(s.to_string()));
    }
    Err(format!("condition \"{t}\": value {s} must be a number, a duration (like 3s) or text in double quotes"))
}

fn check_types(t: &str, left: &Operand, op: Op, right: &Value) -> Result<(), String> {
    let textual_op = matches!(op, Op::Contains | Op::NotContains);
    let ordering_op = matches!(op, Op::Lt | Op::Le | Op::Gt | Op::Ge);
    match left {
        Operand::Status | Operand::ResponseTime | Operand::CertificateExpiration => {
            if textual_op {
                return Err(format!(
                    "condition \"{t}\": {} is a number; use ==, !=, <, <=, > or >=",
                    operand_name(left)
                ));
            }
            if let Value::Text(_) = right {
                return Err(format!("condition \"{t}\": {} compares with a number, not text", operand_name(left)));
            }
        }
        Operand::Body => {
            if ordering_op && matches!(right, Value::Text(_)) {
                return Err(format!("condition \"{t}\": <, <=, >, >= need a number"));
            }
        }
        Operand::BodyPath(_) => {
            if ordering_op && matches!(right, Value::Text(_)) {
                return Err(format!("condition \"{t}\": <, <=, >, >= need a number"));
            }
        }
    }
    Ok(())
}

fn fmt_num(n: f64) -> String {
    if n.fract() == 0.0 && n.abs() < 1e15 {
        format!("{}", n as i64)
    } else {
        format!("{n:.2}")
    }
}

/// Shortens outside text for a one-line failure reason (it is sanitised when drawn).
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

fn compare_num(op: Op, a: f64, b: f64) -> bool {
    match op {
        Op::Eq => a == b,
        Op::Ne => a != b,
        Op::Lt => a < b,
        Op::Le => a <= b,
        Op::Gt => a > b,
        Op::Ge => a >= b,
        Op::Contains | Op::NotContains => false,
    }
}

fn compare_text(op: Op, a: &str, b: &str) -> bool {
    match op {
        Op::Eq => a == b,
        Op::Ne => a != b,
        Op::Contains => a.contains(b),
        Op::NotContains => !a.contains(b),
        Op::Lt | Op::Le | Op::Gt | Op::Ge => a.trim().parse::<f64>().ok().is_some_and(|x| {
            let y = b.trim().parse::<f64>().unwrap_or(f64::NAN);
            compare_num(op, x, y)
        }),
    }
}

fn compare_values(op: Op, seen: &Value, want: &Value) -> bool {
    match (seen, want) {
        (Value::Number(a), Value::Number(b)) => compare_num(op, *a, *b),
        (Value::Text(a), Value::Number(b)) => match a.trim().parse::<f64>() {
            Ok(x) => compare_num(op, x, *b),
            Err(_) => compare_text(op, a, &fmt_num(*b)),
        },
        (Value::Number(a), Value::Text(b)) => compare_text(op, &fmt_num(*a), b),
        (Value::Text(a), Value::Text(b)) => compare_text(op, a, b),
    }
}

fn lookup<'j>(mut v: &'j serde_json::Value, path: &[String]) -> Option<&'j serde_json::Value> {
    for seg in path {
        v = match v {
            serde_json::Value::Object(m) => m.get(seg)?,
            serde_json::Value::Array(a) => a.get(seg.parse::<usize>().ok()?)?,
            _ => return None,
        };
    }
    Some(v)
}

impl Condition {
    /// `Ok(())` when the observation meets the condition; otherwise what was
    /// seen, for the UI: `"[STATUS] == 200: got 503"`.
    pub fn evaluate(&self, obs: &Observation) -> Result<(), String> {
        let fail = |seen: String| Err(format!("{}: {seen}", self.text));
        let (seen, shown) = match &self.left {
            Operand::Status => match obs.status {
                Some(s) => (Value::Number(s as f64), format!("got {s}")),
                None => return fail("no HTTP status (no response)".into()),
            },
            Operand::ResponseTime => {
                let ms = obs.response_time_ms;
                (Value::Number(ms as f64), format!("got {ms}ms"))
            }
            Operand::CertificateExpiration => match obs.cert_hours_left {
                Some(h) => (Value::Number(h), format!("got {}h", fmt_num(h))),
                None => return fail("no TLS certificate seen (is this an https probe?)".into()),
            },
            Operand::Body => match obs.body {
                Some(b) => (Value::Text(b.to_string()), format!("body was {}", excerpt(b))),
                None => return fail("no body".into()),
            },
            Operand::BodyPath(path) => {
                let Some(body) = obs.body else { return fail("no body".into()) };
                let json: serde_json::Value = match serde_json::from_str(body) {
                    Ok(j) => j,
                    Err(_) => return fail(format!("body is not JSON: {}", excerpt(body))),
                };
                let Some(found) = lookup(&json, path) else {
                    return fail(format!("no field {} in the JSON body", path.join(".")));
                };
                let v = match found {
                    serde_json::Value::Number(n) => Value::Number(n.as_f64().unwrap_or(f64::NAN)),
                    serde_json::Value::String(s) => Value::Text(s.clone()),
                    other => Value::Text(other.to_string()),
                };
                let shown = match &v {
                    Value::Number(n) => format!("got {}", fmt_num(*n)),
                    Value::Text(s) => format!("got {}", excerpt(s)),
                };
                (v, shown)
            }
        };
        if compare_values(self.op, &seen, &self.right) {
            Ok(())
        } else {
            fail(shown)
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn obs(status: u16, ms: u64, body: &str) -> Observation<'_> {
        Observation { status: Some(status), response_time_ms: ms, body: Some(body), cert_hours_left: Some(1000.0) }
    }

    #[test]
    fn parses_every_operand_and_operator() {
        let c = parse("[STATUS] == 200").unwrap();
        assert_eq!((c.left, c.op, c.right), (Operand::Status, Op::Eq, Value::Number(200.0)));
        let c = parse("[RESPONSE_TIME] < 3s").unwrap();
        assert_eq!(c.right, Value::Number(3000.0));
        let c = parse("[CERTIFICATE_EXPIRATION] > 720h").unwrap();
        assert_eq!((c.left, c.right), (Operand::CertificateExpiration, Value::Number(720.0)));
        let c = parse("[BODY] not contains \"Fatal error\"").unwrap();
        assert_eq!((c.op, c.right), (Op::NotContains, Value::Text("Fatal error".into())));
        let c = parse("[BODY].data.items[0].status == \"UP\"").unwrap();
        assert_eq!(c.left, Operand::BodyPath(vec!["data".into(), "items".into(), "0".into(), "status".into()]));
        for (t, op) in [("!=", Op::Ne), ("<=", Op::Le), (">=", Op::Ge), (">", Op::Gt), ("<", Op::Lt)] {
            assert_eq!(parse(&format!("[STATUS] {t} 300")).unwrap().op, op);
        }
    }

    #[test]
    fn rejects_bad_conditions_with_reasons() {
        for (bad, says) in [
            ("STATUS == 200", "must start with"),
            ("[STATUS] 200", "expected an operator"),
            ("[STATUS] ==", "missing the value"),
            ("[STATUS] contains \"2\"", "is a number"),
            ("[STATUS] == \"200\"", "not text"),
            ("[HEADERS] == 1", "unknown operand"),
            ("[BODY] contains Welcome", "double quotes"),
            ("[BODY] == \"open", "closing"),
            ("[BODY].a[x] == 1", "must be a number"),
            ("[STATUS] == 2s", "duration only"),
        ] {
            let e = parse(bad).unwrap_err();
            assert!(e.contains(says), "{bad}: {e}");
        }
    }

    #[test]
    fn evaluates_and_says_what_was_seen() {
        let c = parse("[STATUS] == 200").unwrap();
        assert!(c.evaluate(&obs(200, 5, "")).is_ok());
        assert_eq!(c.evaluate(&obs(503, 5, "")).unwrap_err(), "[STATUS] == 200: got 503");
        let c = parse("[RESPONSE_TIME] < 3s").unwrap();
        assert!(c.evaluate(&obs(200, 2999, "")).is_ok());
        assert!(c.evaluate(&obs(200, 3000, "")).unwrap_err().contains("got 3000ms"));
        let c = parse("[BODY] contains \"Welcome\"").unwrap();
        assert!(c.evaluate(&obs(200, 1, "<h1>Welcome</h1>")).is_ok());
        assert!(c.evaluate(&obs(200, 1, "Maintenance")).is_err());
        let c = parse("[CERTIFICATE_EXPIRATION] > 720h").unwrap();
        assert!(c.evaluate(&obs(200, 1, "")).is_ok());
        let none = Observation { cert_hours_left: None, ..obs(200, 1, "") };
        assert!(c.evaluate(&none).unwrap_err().contains("no TLS certificate"));
    }

    #[test]
    fn json_paths() {
        let body = r#"{"status":"UP","db":{"latency":12},"items":[{"ok":true}]}"#;
        assert!(parse("[BODY].status == \"UP\"").unwrap().evaluate(&obs(200, 1, body)).is_ok());
        assert!(parse("[BODY].db.latency < 50").unwrap().evaluate(&obs(200, 1, body)).is_ok());
        assert!(parse("[BODY].items[0].ok == true").unwrap().evaluate(&obs(200, 1, body)).is_ok());
        let e = parse("[BODY].status == \"UP\"").unwrap().evaluate(&obs(200, 1, "<html>")).unwrap_err();
        assert!(e.contains("body is not JSON"), "{e}");
        let e = parse("[BODY].nope == 1").unwrap().evaluate(&obs(200, 1, body)).unwrap_err();
        assert!(e.contains("no field nope"), "{e}");
        let e = parse("[BODY].status == \"UP\"").unwrap().evaluate(&obs(200, 1, r#"{"status":"DOWN"}"#)).unwrap_err();
        assert_eq!(e, "[BODY].status == \"UP\": got \"DOWN\"");
    }

    proptest! {
        #[test]
        fn parse_never_panics(s in ".{0,60}") {
            let _ = parse(&s);
        }

        #[test]
        fn parse_structured_never_panics(
            left in prop::sample::select(vec!["[STATUS]", "[BODY]", "[BODY].a[0]", "[RESPONSE_TIME]", "[CERTIFICATE_EXPIRATION]", "[", "[BODY]."]),
            op in prop::sample::select(vec!["==", "!=", "<", "<=", ">", ">=", "contains", "not contains", "not", ""]),
            right in "[\"0-9a-z. ]{0,12}",
            body in ".{0,40}",
        ) {
            if let Ok(c) = parse(&format!("{left} {op} {right}")) {
                let _ = c.evaluate(&Observation { status: Some(200), response_time_ms: 1, body: Some(&body), cert_hours_left: None });
                let _ = c.evaluate(&Observation::default());
            }
        }
    }
}
