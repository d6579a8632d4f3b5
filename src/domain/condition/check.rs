//! What `check` refuses (conditions that can never mean what they say) and
//! what it warns about (valid Gatus, but probably a slip).

use super::eval::is_duration;
use super::{golang, Condition, Op, Operand, Placeholder};

/// Placeholders whose value is a number.
fn numeric(o: &Operand) -> bool {
    matches!(
        o,
        Operand::Value(Some(_), _)
            | Operand::Value(
                None,
                Placeholder::Status | Placeholder::ResponseTime | Placeholder::CertificateExpiration
            )
    )
}

/// Placeholders that hold a time (milliseconds).
pub fn timed(o: &Operand) -> bool {
    matches!(o, Operand::Value(None, Placeholder::ResponseTime | Placeholder::CertificateExpiration))
}

/// `Err((on_the_right, message))` when the condition cannot be evaluated as meant.
pub fn types(c: &Condition) -> Result<(), (bool, String)> {
    let (l, r) = (&c.left, &c.right);
    let t = &c.text;
    if matches!(c.op, Op::Contains | Op::NotContains) {
        if numeric(l) {
            return Err((false, format!("{} is a number; use ==, !=, <, <=, > or >=", l.written())));
        }
        if let Operand::Text(x) = r {
            return Err((
                true,
                format!(
                    "the text after {} goes in double quotes: {} {} \"{x}\"",
                    c.op.symbol(),
                    l.written(),
                    c.op.symbol()
                ),
            ));
        }
        if !matches!(r, Operand::Quoted(_)) {
            return Err((
                true,
                format!("{} takes text in double quotes, like [BODY] contains \"Welcome\"", c.op.symbol()),
            ));
        }
    }
    let ordering = matches!(c.op, Op::Lt | Op::Le | Op::Gt | Op::Ge);
    for (side, on_right) in [(l, false), (r, true)] {
        match side {
            Operand::Pattern(..) | Operand::Any(_) if !matches!(c.op, Op::Eq | Op::Ne) => {
                let name = if matches!(side, Operand::Pattern(..)) { "pat()" } else { "any()" };
                return Err((
                    on_right,
                    format!("{name} works only with == and !=: write it like {}", t.replacen(c.op.symbol(), "==", 1)),
                ));
            }
            Operand::Quoted(_) if ordering => {
                return Err((
                    on_right,
                    format!("<, <=, >, >= need a number: write it without quotes, like {} 5", l.written()),
                ));
            }
            _ => {}
        }
    }
    for (a, b, b_right) in [(l, r, true), (r, l, false)] {
        if numeric(a) && matches!(a, Operand::Value(None, _)) {
            if let Operand::Quoted(_) = b {
                return Err((b_right, format!("{} compares with a number, not text: drop the quotes", a.written())));
            }
        }
        let is_dur = match b {
            Operand::Text(x) => x.bytes().any(|c| c.is_ascii_alphabetic()) && is_duration(x),
            _ => false,
        };
        if is_dur
            && matches!(a, Operand::Value(_, _))
            && !timed(a)
            && !matches!(a, Operand::Value(None, Placeholder::Body | Placeholder::BodyPath(_)))
        {
            return Err((
                b_right,
                format!(
                    "a duration only compares with [RESPONSE_TIME] or [CERTIFICATE_EXPIRATION], not {}",
                    a.written()
                ),
            ));
        }
    }
    Ok(())
}

pub fn warnings(c: &Condition) -> Vec<String> {
    let mut out = Vec::new();
    if matches!(c.op, Op::Lt | Op::Le | Op::Gt | Op::Ge) {
        for side in [&c.left, &c.right] {
            if let Operand::Text(x) = side {
                let number = golang::parse_int(x).is_some() || golang::parse_float(x).is_some() || is_duration(x);
                if !number {
                    out.push(format!(
                        "\"{}\": {x} is not a number or a duration, so it counts as 0 (as in Gatus)",
                        c.text
                    ));
                }
            }
        }
    }
    if c.placeholders().next().is_none() {
        out.push(format!("\"{}\" uses no placeholder: its answer never changes", c.text));
    }
    out
}
