//! A probe's `conditions`: each parsed, checked against the probe's kind,
//! and any problem placed at the line and column of the character it is about.

use std::ops::Range;

use toml::Spanned;

use super::reader::Ctx;
use crate::domain::condition::{self, Condition, Placeholder};

/// What each probe kind can supply to a condition.
fn supplies(kind: &str, p: &Placeholder) -> bool {
    match kind {
        "url" => true,
        "tcp" => matches!(p, Placeholder::ResponseTime | Placeholder::Connected | Placeholder::Ip),
        _ => matches!(p, Placeholder::ResponseTime),
    }
}

fn takes(kind: &str) -> &'static str {
    match kind {
        "tcp" => "tcp probes take [CONNECTED], [IP] and [RESPONSE_TIME]",
        _ => "command probes take [RESPONSE_TIME] only",
    }
}

pub(super) fn read(ctx: &mut Ctx, text: &Spanned<String>, kind: Option<&str>, what: &str) -> Option<Condition> {
    match condition::parse(text.get_ref()) {
        Ok(c) => {
            if let Some(kind) = kind {
                if let Some(p) = c.placeholders().find(|p| !supplies(kind, p)) {
                    let name = condition::Operand::Value(None, p.clone()).written();
                    ctx.error(
                        &text.span(),
                        format!("{what}: \"{}\" uses {name}, which needs an HTTP probe (url); {}", c.text, takes(kind)),
                    );
                }
            }
            for w in c.warnings() {
                ctx.warn(&text.span(), format!("{what}: {w}"));
            }
            Some(c)
        }
        Err(e) => {
            let span = inner_span(ctx.text, &text.span(), e.at);
            ctx.error(&span, format!("{what}: condition \"{}\": {}", text.get_ref().trim(), e.message));
            None
        }
    }
}

/// Where byte `at` of a string value sits in the file: the raw TOML string
/// is walked, escapes decoded, until `at` bytes of the value have passed.
/// Falls back to the start of the value.
fn inner_span(src: &str, value: &Range<usize>, at: usize) -> Range<usize> {
    let Some(raw) = src.get(value.clone()) else { return value.clone() };
    let (open, literal) = if raw.starts_with("\"\"\"") {
        (3, false)
    } else if raw.starts_with("'''") {
        (3, true)
    } else if raw.starts_with('"') {
        (1, false)
    } else if raw.starts_with('\'') {
        (1, true)
    } else {
        return value.clone();
    };
    let mut decoded = 0usize;
    let mut chars = raw[open..].char_indices().peekable();
    while let Some((i, c)) = chars.next() {
        if decoded >= at {
            let pos = value.start + open + i;
            return pos..pos + 1;
        }
        if c == '\\' && !literal {
            let Some((_, e)) = chars.next() else { break };
            let skip = match e {
                'u' => 4,
                'U' => 8,
                _ => 0,
            };
            let mut hex = String::new();
            for _ in 0..skip {
                if let Some((_, h)) = chars.next() {
                    hex.push(h);
                }
            }
            decoded += match e {
                'u' | 'U' => u32::from_str_radix(&hex, 16).ok().and_then(char::from_u32).map_or(1, char::len_utf8),
                _ => 1,
            };
        } else {
            decoded += c.len_utf8();
        }
    }
    value.clone()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn offsets_inside_the_string_follow_escapes() {
        let src = r#"c = "[BODY] == \"x\" and [NOPE]""#;
        let start = src.find('"').unwrap();
        let v = start..src.len();
        let value = "[BODY] == \"x\" and [NOPE]";
        let at = value.find("[NOPE]").unwrap();
        let s = inner_span(src, &v, at);
        assert_eq!(&src[s.start..s.start + 6], "[NOPE]");
        let src = "c = '[STATUS] = 200'";
        let v = 4..src.len();
        assert_eq!(&src[inner_span(src, &v, 9).start..][..1], "=");
    }
}
