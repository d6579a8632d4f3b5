//! Probe conditions in Gatus's language, with Gatus's answers, plus warroom's
//! own extensions. See docs/runbook-format.md ("Conditions") for the grammar,
//! every placeholder and function, and what differs from Gatus.
//!
//! `[STATUS] == 200`, `[BODY].status == UP`, `[STATUS] == any(200, 429)`,
//! `len([BODY].data) < 5`, `has([BODY].errors) == false`,
//! `[BODY] == pat(*<h1>Welcome*)`, `[BODY].age == [BODY].id`,
//! `[RESPONSE_TIME] < 3s`, `[BODY] contains "Welcome"`.
//!
//! Parsed once at load time; evaluated against what one probe attempt saw.

mod check;
mod eval;
pub mod golang;
pub mod jsonpath;
mod parse;

use std::fmt;

pub use parse::PLACEHOLDERS;

/// What a placeholder stands for.
#[derive(Clone, Debug, PartialEq)]
pub enum Placeholder {
    /// HTTP status code (`0` when there was no response, as in Gatus).
    Status,
    /// Milliseconds the attempt took.
    ResponseTime,
    /// The response body as text, trimmed.
    Body,
    /// `[BODY].a.b[0].c`: the path after `[BODY]`, without its leading dot.
    BodyPath(String),
    /// `true` when a connection was made.
    Connected,
    /// The address connected to.
    Ip,
    /// Milliseconds left on the TLS certificate.
    CertificateExpiration,
}

/// `len(...)` and `has(...)` around a placeholder.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Func {
    Len,
    Has,
}

/// One side of a condition.
#[derive(Clone, Debug)]
pub enum Operand {
    /// A placeholder, maybe inside `len()` or `has()`.
    Value(Option<Func>, Placeholder),
    /// Plain text as written (Gatus compares it as text, or as a number
    /// when both sides read as numbers).
    Text(String),
    /// warroom: text in double quotes (the quotes are not part of it).
    Quoted(String),
    /// `pat(...)`: as written, and compiled.
    Pattern(String, regex::Regex),
    /// `any(a, b, c)`: the options, trimmed.
    Any(Vec<String>),
}

impl PartialEq for Operand {
    fn eq(&self, other: &Self) -> bool {
        match (self, other) {
            (Operand::Value(f, p), Operand::Value(g, q)) => f == g && p == q,
            (Operand::Text(a), Operand::Text(b)) | (Operand::Quoted(a), Operand::Quoted(b)) => a == b,
            (Operand::Pattern(a, _), Operand::Pattern(b, _)) => a == b,
            (Operand::Any(a), Operand::Any(b)) => a == b,
            _ => false,
        }
    }
}

impl Operand {
    /// As it would be written in a condition.
    pub fn written(&self) -> String {
        match self {
            Operand::Value(f, p) => {
                let inner = match p {
                    Placeholder::Status => "[STATUS]".to_string(),
                    Placeholder::ResponseTime => "[RESPONSE_TIME]".to_string(),
                    Placeholder::Body => "[BODY]".to_string(),
                    Placeholder::BodyPath(path) if path.starts_with('[') => format!("[BODY]{path}"),
                    Placeholder::BodyPath(path) => format!("[BODY].{path}"),
                    Placeholder::Connected => "[CONNECTED]".to_string(),
                    Placeholder::Ip => "[IP]".to_string(),
                    Placeholder::CertificateExpiration => "[CERTIFICATE_EXPIRATION]".to_string(),
                };
                match f {
                    Some(Func::Len) => format!("len({inner})"),
                    Some(Func::Has) => format!("has({inner})"),
                    None => inner,
                }
            }
            Operand::Text(t) => t.clone(),
            Operand::Quoted(t) => format!("\"{t}\""),
            Operand::Pattern(p, _) => format!("pat({p})"),
            Operand::Any(o) => format!("any({})", o.join(", ")),
        }
    }

    pub fn placeholder(&self) -> Option<&Placeholder> {
        match self {
            Operand::Value(_, p) => Some(p),
            _ => None,
        }
    }
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

impl Op {
    pub fn symbol(self) -> &'static str {
        match self {
            Op::Eq => "==",
            Op::Ne => "!=",
            Op::Lt => "<",
            Op::Le => "<=",
            Op::Gt => ">",
            Op::Ge => ">=",
            Op::Contains => "contains",
            Op::NotContains => "not contains",
        }
    }
}

#[derive(Clone, Debug, PartialEq)]
pub struct Condition {
    /// As written (trimmed), for messages ("[STATUS] == 200: got 503").
    pub text: String,
    pub left: Operand,
    pub op: Op,
    pub right: Operand,
}

/// Why a condition cannot be read, and where: `at` is a byte offset into the
/// text given to [`parse`]. The message ends with a valid form to write.
#[derive(Clone, Debug, PartialEq)]
pub struct ParseError {
    pub at: usize,
    pub message: String,
}

impl fmt::Display for ParseError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message)
    }
}

/// What one probe attempt saw, as the condition evaluator needs it.
#[derive(Clone, Debug, Default)]
pub struct Observation<'a> {
    pub status: Option<u16>,
    pub response_time_ms: u64,
    pub body: Option<&'a str>,
    pub connected: bool,
    /// The address connected to, as text (`127.0.0.1`, `::1`; IPv4 never in
    /// its IPv6-mapped form, as Gatus prints it).
    pub ip: Option<String>,
    /// Milliseconds left on the TLS certificate.
    pub cert_ms_left: Option<i64>,
}

/// Parses one condition as written in a runbook (`[STATUS] == 200`).
pub fn parse(text: &str) -> Result<Condition, ParseError> {
    parse::parse(text)
}

impl Condition {
    /// The placeholders either side uses.
    pub fn placeholders(&self) -> impl Iterator<Item = &Placeholder> {
        self.left.placeholder().into_iter().chain(self.right.placeholder())
    }

    pub fn uses(&self, f: impl Fn(&Placeholder) -> bool) -> bool {
        self.placeholders().any(f)
    }

    /// Things that are valid but probably not what was meant (`< potato`
    /// reads as `< 0`, as in Gatus), for `check` to warn about.
    pub fn warnings(&self) -> Vec<String> {
        check::warnings(self)
    }

    /// `Ok(())` when the observation meets the condition; otherwise what was
    /// seen, for the UI: `"[STATUS] == 200: got 503"`.
    pub fn evaluate(&self, obs: &Observation) -> Result<(), String> {
        eval::evaluate(self, obs)
    }
}

#[cfg(test)]
mod tests;
