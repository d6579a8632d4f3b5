//! One error type for the user's config files (keys, themes, layouts): it names
//! the file and line so the fix is obvious (A4). Printed as `FILE:LINE: message`.

use std::fmt;

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ConfigError {
    pub file: String,
    /// 1-based; 0 when the problem has no position (unreadable file).
    pub line: usize,
    pub message: String,
}

impl ConfigError {
    pub fn new(file: impl Into<String>, line: usize, message: impl Into<String>) -> Self {
        ConfigError { file: file.into(), line, message: message.into() }
    }

    /// From a TOML parse error, with the line taken from its span.
    pub fn from_toml(file: &str, text: &str, err: &toml::de::Error) -> Self {
        let line = err.span().map(|s| line_of(text, s.start)).unwrap_or(0);
        ConfigError::new(file, line, err.message().trim().to_string())
    }
}

impl fmt::Display for ConfigError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.line > 0 {
            write!(f, "{}:{}: {}", self.file, self.line, self.message)
        } else {
            write!(f, "{}: {}", self.file, self.message)
        }
    }
}

impl std::error::Error for ConfigError {}

/// 1-based line of a byte offset.
pub fn line_of(text: &str, offset: usize) -> usize {
    let end = offset.min(text.len());
    text.as_bytes()[..end].iter().filter(|&&b| b == b'\n').count() + 1
}
