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
