//! How Gatus (a Go program) turns values into text and text into numbers.
//! Conditions compare text, so to give Gatus's answers warroom must print a
//! JSON number, list or object exactly as Go's `fmt` and `encoding/json` do,
//! and read numbers and durations as Go's `strconv` and `time` do. Written
//! by hand: these are small, exact rules and no crate mirrors Go's formats.

use serde_json::Value;

/// Go's `fmt.Sprintf("%v", v)` of a value decoded by `encoding/json`
/// (numbers are float64: `1000000` prints as `1e+06`; lists as `[a b]`;
/// objects as `map[k:v]` with sorted keys; null as `<nil>`).
pub fn sprint(v: &Value) -> String {
    match v {
        Value::Null => "<nil>".into(),
        Value::Bool(b) => b.to_string(),
        Value::Number(n) => format_g(n.as_f64().unwrap_or(f64::NAN)),
        Value::String(s) => s.clone(),
        Value::Array(a) => format!("[{}]", a.iter().map(sprint).collect::<Vec<_>>().join(" ")),
        Value::Object(m) => {
            let mut keys: Vec<&String> = m.keys().collect();
            keys.sort();
            let parts: Vec<String> = keys.iter().map(|k| format!("{k}:{}", sprint(&m[k.as_str()]))).collect();
            format!("map[{}]", parts.join(" "))
        }
    }
}

/// Mantissa digits (no dot, no sign) and decimal exponent of the shortest
/// representation that reads back as `f`.
fn shortest(f: f64) -> (String, i32) {
    let e = format!("{:e}", f.abs());
    let (mant, exp) = e.split_once('e').unwrap_or((&e, "0"));
    (mant.replace('.', ""), exp.parse().unwrap_or(0))
}

fn exp_form(neg: bool, digits: &str, exp: i32, two_digit_exp: bool) -> String {
    let mut s = String::new();
    if neg {
        s.push('-');
    }
    s.push_str(&digits[..1]);
    if digits.len() > 1 {
        s.push('.');
        s.push_str(&digits[1..]);
    }
    s.push('e');
    s.push(if exp < 0 { '-' } else { '+' });
    if two_digit_exp {
        s.push_str(&format!("{:02}", exp.abs()));
    } else {
        s.push_str(&exp.abs().to_string());
    }
    s
}

fn special(f: f64) -> Option<String> {
    if f.is_nan() {
        Some("NaN".into())
    } else if f.is_infinite() {
        Some(if f > 0.0 { "+Inf".into() } else { "-Inf".into() })
    } else if f == 0.0 {
        Some(if f.is_sign_negative() { "-0".into() } else { "0".into() })
    } else {
        None
    }
}

/// Go's `%v` / `%g` (shortest) for a float64: exponent form below 1e-4 or from 1e+06.
pub fn format_g(f: f64) -> String {
    if let Some(s) = special(f) {
        return s;
    }
    let (digits, exp) = shortest(f);
    if !(-4..6).contains(&exp) {
        exp_form(f < 0.0, &digits, exp, true)
    } else {
        format!("{f}")
    }
}

/// Go's `encoding/json` for a float64: exponent form below 1e-6 or from 1e21.
fn json_float(f: f64) -> String {
    if f == 0.0 {
        return "0".into();
    }
    let a = f.abs();
    if !(1e-6..1e21).contains(&a) {
        let (digits, exp) = shortest(f);
        exp_form(f < 0.0, &digits, exp, false)
    } else {
        format!("{f}")
    }
}

/// Go's `json.Marshal` (minified, sorted keys, `<>&` escaped) of a decoded value.
pub fn marshal(v: &Value) -> String {
    let mut out = String::new();
    write_json(v, &mut out);
    out
}

fn write_json(v: &Value, out: &mut String) {
    match v {
        Value::Null => out.push_str("null"),
        Value::Bool(b) => out.push_str(if *b { "true" } else { "false" }),
        Value::Number(n) => out.push_str(&json_float(n.as_f64().unwrap_or(0.0))),
        Value::String(s) => write_json_str(s, out),
        Value::Array(a) => {
            out.push('[');
            for (i, x) in a.iter().enumerate() {
                if i > 0 {
                    out.push(',');
                }
                write_json(x, out);
            }
            out.push(']');
        }
        Value::Object(m) => {
            let mut keys: Vec<&String> = m.keys().collect();
            keys.sort();
            out.push('{');
            for (i, k) in keys.iter().enumerate() {
                if i > 0 {
                    out.push(',');
                }
                write_json_str(k, out);
                out.push(':');
                write_json(&m[k.as_str()], out);
            }
            out.push('}');
        }
    }
}

fn write_json_str(s: &str, out: &mut String) {
    out.push('"');
    for c in s.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\t' => out.push_str("\\t"),
            '<' | '>' | '&' | '\u{2028}' | '\u{2029}' => out.push_str(&format!("\\u{:04x}", c as u32)),
            c if (c as u32) < 0x20 => out.push_str(&format!("\\u{:04x}", c as u32)),
            c => out.push(c),
        }
    }
    out.push('"');
}

/// Go's `strconv.ParseInt(s, 0, 64)`: optional sign, `0x`/`0o`/`0b` prefixes,
/// a leading `0` for octal, `_` between digits.
pub fn parse_int(s: &str) -> Option<i64> {
    if s.is_empty() || !underscores_ok(s) {
        return None;
    }
    let (neg, body) = match s.as_bytes()[0] {
        b'-' => (true, &s[1..]),
        b'+' => (false, &s[1..]),
        _ => (false, s),
    };
    let lower = body.to_ascii_lowercase();
    let (radix, digits) = if let Some(r) = lower.strip_prefix("0x") {
        (16, r.to_string())
    } else if let Some(r) = lower.strip_prefix("0o") {
        (8, r.to_string())
    } else if let Some(r) = lower.strip_prefix("0b") {
        (2, r.to_string())
    } else if lower.len() > 1 && lower.starts_with('0') {
        (8, lower[1..].to_string())
    } else {
        (10, lower.clone())
    };
    let digits = digits.replace('_', "");
    if digits.is_empty() || digits.starts_with(['+', '-']) {
        return None;
    }
    let mag = u64::from_str_radix(&digits, radix).ok()?;
    if neg {
        if mag <= i64::MAX as u64 + 1 {
            Some((mag as i128).wrapping_neg() as i64)
        } else {
            None
        }
    } else {
        i64::try_from(mag).ok()
    }
}

/// Go allows `_` only between digits, or after a base prefix.
fn underscores_ok(s: &str) -> bool {
    let b = s.as_bytes();
    let mut i = 0;
    if !b.is_empty() && (b[0] == b'-' || b[0] == b'+') {
        i = 1;
    }
    let mut saw = b'^';
    let mut hex = false;
    if b.len() >= i + 2 && b[i] == b'0' && matches!(b[i + 1].to_ascii_lowercase(), b'b' | b'o' | b'x') {
        hex = b[i + 1].eq_ignore_ascii_case(&b'x');
        i += 2;
        saw = b'0';
    }
    while i < b.len() {
        let c = b[i];
        if c.is_ascii_digit() || (hex && c.is_ascii_hexdigit()) {
            saw = b'0';
        } else if c == b'_' {
            if saw != b'0' {
                return false;
            }
            saw = b'_';
        } else {
            if saw == b'_' {
                return false;
            }
            saw = b'!';
        }
        i += 1;
    }
    saw != b'_'
}

/// Go's `strconv.ParseFloat(s, 64)` for the decimal forms people write.
pub fn parse_float(s: &str) -> Option<f64> {
    let t = s.to_ascii_lowercase();
    let ok = !t.is_empty() && t.bytes().all(|c| c.is_ascii_digit() || matches!(c, b'.' | b'e' | b'+' | b'-'))
        || matches!(t.trim_start_matches(['+', '-']), "inf" | "infinity" | "nan");
    if !ok {
        return None;
    }
    t.parse::<f64>().ok()
}

/// Go's `time.ParseDuration`, in whole milliseconds (`1.5s`, `300ms`, `1h30m`,
/// `2us`); `None` when it is not a duration.
pub fn parse_duration_ms(s: &str) -> Option<i64> {
    let (neg, mut rest) = match s.as_bytes().first()? {
        b'-' => (true, &s[1..]),
        b'+' => (false, &s[1..]),
        _ => (false, s),
    };
    if rest == "0" {
        return Some(0);
    }
    if rest.is_empty() {
        return None;
    }
    let mut total_ns: f64 = 0.0;
    while !rest.is_empty() {
        let num_end = rest.find(|c: char| !(c.is_ascii_digit() || c == '.')).unwrap_or(rest.len());
        let num = &rest[..num_end];
        if num.is_empty() || num == "." || num.matches('.').count() > 1 {
            return None;
        }
        rest = &rest[num_end..];
        let unit_end = rest.find(|c: char| c.is_ascii_digit() || c == '.').unwrap_or(rest.len());
        let unit = &rest[..unit_end];
        rest = &rest[unit_end..];
        let scale: f64 = match unit {
            "ns" => 1.0,
            "us" | "µs" | "μs" => 1e3,
            "ms" => 1e6,
            "s" => 1e9,
            "m" => 60e9,
            "h" => 3600e9,
            _ => return None,
        };
        total_ns += num.parse::<f64>().ok()? * scale;
    }
    if total_ns > i64::MAX as f64 {
        return None;
    }
    let ms = (total_ns / 1e6).trunc() as i64;
    Some(if neg { -ms } else { ms })
}

/// A `pat(...)` pattern as Go's `filepath.Match` reads it (`*`, `?`, `[a-z]`,
/// `[^a-z]`, `\` escapes), as an anchored regex. Gatus removes `/` from both
/// the pattern and the text first, so `*` matches anything. `None` for a
/// pattern Go calls malformed (it never matches there).
pub fn pattern_regex(pattern: &str) -> Option<regex::Regex> {
    let p: Vec<char> = pattern.chars().filter(|c| *c != '/').collect();
    let mut re = String::from("(?s)^");
    let mut i = 0;
    while i < p.len() {
        match p[i] {
            '*' => re.push_str(".*"),
            '?' => re.push('.'),
            '\\' => {
                i += 1;
                re.push_str(&regex::escape(&p.get(i)?.to_string()));
            }
            '[' => {
                i += 1;
                let negated = p.get(i) == Some(&'^');
                if negated {
                    i += 1;
                }
                let mut ranges = Vec::new();
                loop {
                    if p.get(i) == Some(&']') && !ranges.is_empty() {
                        break;
                    }
                    let (lo, next) = class_char(&p, i)?;
                    i = next;
                    let mut hi = lo;
                    if p.get(i) == Some(&'-') {
                        let (h, next) = class_char(&p, i + 1)?;
                        hi = h;
                        i = next;
                    }
                    ranges.push((lo, hi));
                }
                // Go accepts a backwards range (`[z-a]`) and matches nothing with it.
                let parts: String = ranges
                    .iter()
                    .filter(|(lo, hi)| lo <= hi)
                    .map(|(lo, hi)| format!("\\x{{{:x}}}-\\x{{{:x}}}", *lo as u32, *hi as u32))
                    .collect();
                let class = match (parts.is_empty(), negated) {
                    (true, false) => "[^\\x{0}-\\x{10FFFF}]".to_string(),
                    (true, true) => "[\\x{0}-\\x{10FFFF}]".to_string(),
                    (false, false) => format!("[{parts}]"),
                    (false, true) => format!("[^{parts}]"),
                };
                re.push_str(&class);
            }
            c => re.push_str(&regex::escape(&c.to_string())),
        }
        i += 1;
    }
    re.push('$');
    regex::Regex::new(&re).ok()
}

/// One character inside `[...]`, with Go's rules for what is malformed.
fn class_char(p: &[char], mut i: usize) -> Option<(char, usize)> {
    let c = *p.get(i)?;
    if c == '-' || c == ']' {
        return None;
    }
    if c == '\\' {
        i += 1;
    }
    let c = *p.get(i)?;
    // Go also calls a class malformed when nothing follows it.
    p.get(i + 1)?;
    Some((c, i + 1))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn floats_print_as_go_does() {
        for (f, want) in [
            (1.0, "1"),
            (18.0, "18"),
            (123456.0, "123456"),
            (1000000.0, "1e+06"),
            (1234567.0, "1.234567e+06"),
            (0.0001, "0.0001"),
            (0.00001, "1e-05"),
            (1.5, "1.5"),
            (-2.25, "-2.25"),
            (123.40000000000005, "123.40000000000005"),
        ] {
            assert_eq!(format_g(f), want, "{f}");
        }
        assert_eq!(json_float(1e21), "1e+21");
        assert_eq!(json_float(1e-7), "1e-7");
        assert_eq!(json_float(100.0), "100");
    }

    #[test]
    fn values_print_as_go_does() {
        let v: Value = serde_json::from_str(r#"{"b":[1,"x",true,null],"a":{"z":1.5}}"#).unwrap();
        assert_eq!(sprint(&v), "map[a:map[z:1.5] b:[1 x true <nil>]]");
        let v: Value = serde_json::from_str(r#"{"age":18,"adult":true,"s":"<a&b>"}"#).unwrap();
        assert_eq!(marshal(&v), r#"{"adult":true,"age":18,"s":"\u003ca\u0026b\u003e"}"#);
    }

    #[test]
    fn ints_read_as_go_does() {
        for (s, want) in [
            ("200", Some(200)),
            ("-5", Some(-5)),
            ("0x1", Some(1)),
            ("0xC0ff33", Some(12648243)),
            ("0o2", Some(2)),
            ("0b0010", Some(2)),
            ("010", Some(8)),
            ("1_000", Some(1000)),
            ("09", None),
            ("1.5", None),
            ("", None),
            ("_1", None),
            ("abc", None),
            ("+-1", None),
        ] {
            assert_eq!(parse_int(s), want, "{s}");
        }
    }

    #[test]
    fn durations_read_as_go_does() {
        assert_eq!(parse_duration_ms("1s"), Some(1000));
        assert_eq!(parse_duration_ms("1.5h"), Some(5_400_000));
        assert_eq!(parse_duration_ms("1h30m"), Some(5_400_000));
        assert_eq!(parse_duration_ms("300ms"), Some(300));
        assert_eq!(parse_duration_ms("0"), Some(0));
        assert_eq!(parse_duration_ms("500"), None);
        assert_eq!(parse_duration_ms("2d"), None);
        assert_eq!(parse_duration_ms("potato"), None);
    }

    #[test]
    fn patterns_match_as_go_filepath_match_does() {
        // Gatus's own pattern tests.
        for (p, s, want) in [
            ("*", "livingroom_123", true),
            ("**", "livingroom_123", true),
            ("living*", "livingroom_123", true),
            ("*living*", "livingroom_123", true),
            ("*123", "livingroom_123", true),
            ("*_*", "livingroom_123", true),
            ("living*_*3", "livingroom_123", true),
            ("living*room_*3", "livingroom_123", true),
            ("*vin*om*2*", "livingroom_123", true),
            ("livingroom_123", "livingroom_123", true),
            ("*livingroom_123*", "livingroom_123", true),
            ("*test*", "\\test", true),
            ("livingroom", "livingroom_123", false),
            ("livingroom123", "livingroom_123", false),
            ("what", "livingroom_123", false),
            ("*what*", "livingroom_123", false),
            ("*.*", "livingroom_123", false),
            ("room*123", "livingroom_123", false),
            ("a/b*", "ab/c", true),
            ("[a-c]?x", "bzx", true),
            ("[^a-c]?x", "bzx", false),
            ("\\*x", "*x", true),
            ("[", "[", false),
        ] {
            let s: String = s.chars().filter(|c| *c != '/').collect();
            let got = pattern_regex(p).is_some_and(|r| r.is_match(&s));
            assert_eq!(got, want, "pat({p}) on {s}");
        }
    }

    proptest::proptest! {
        #[test]
        fn readers_never_panic(s in ".{0,16}", f in proptest::num::f64::ANY) {
            let _ = parse_int(&s);
            let _ = parse_float(&s);
            let _ = parse_duration_ms(&s);
            let _ = pattern_regex(&s);
            let _ = format_g(f);
            let _ = json_float(f);
        }
    }
}
