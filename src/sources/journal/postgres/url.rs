//! `postgres://USER[:PASSWORD]@HOST[:PORT]/DB?session=ID[&sslmode=…][&sslrootcert=FILE]`:
//! where a session's journal lives when it is shared through PostgreSQL
//! (docs/journal.md, "On PostgreSQL").
//!
//! The connection part is handed to tokio-postgres's own URL parser; warroom
//! only takes out what is its own (`session`) or what it handles itself (TLS:
//! `sslmode`, `sslrootcert`), since tokio-postgres knows no `verify-full`.

use std::path::{Path, PathBuf};
use std::str::FromStr;

/// How the connection is protected (the names libpq uses).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum SslMode {
    /// Plain TCP (or a Unix socket).
    Disable,
    /// TLS when the server offers it, without checking its certificate (libpq's default).
    Prefer,
    /// TLS or no connection; the certificate is not checked (as libpq does without a root file).
    Require,
    /// TLS, the certificate checked against the web roots (or `sslrootcert`) and the host name.
    VerifyFull,
}

/// A parsed journal URL.
#[derive(Clone)]
pub struct JournalUrl {
    pub config: tokio_postgres::Config,
    /// The session inside the database (`?session=ID`); `None` only where a
    /// command does not need one (`warroom db init`).
    pub session: Option<String>,
    pub ssl: SslMode,
    pub root_cert: Option<PathBuf>,
    /// The URL with any password taken out: what messages and the screen show.
    pub shown: String,
}

/// True when a `--journal` value names a database rather than a file.
pub fn is_database_url(p: &Path) -> bool {
    p.to_str().is_some_and(|s| s.starts_with("postgres://") || s.starts_with("postgresql://"))
}

/// Longest session id accepted: it is written into every row and every message.
const SESSION_MAX: usize = 200;

impl JournalUrl {
    /// Parses `text`. Errors say what is wrong and what a good URL looks like.
    pub fn parse(text: &str) -> Result<JournalUrl, String> {
        let example = "postgres://USER@HOST:PORT/DB?session=ID";
        let (base, query) = match text.split_once('?') {
            Some((b, q)) => (b, q),
            None => (text, ""),
        };
        let mut session = None;
        let mut ssl = SslMode::Prefer;
        let mut root_cert = None;
        let mut rest = Vec::new();
        for pair in query.split('&').filter(|p| !p.is_empty()) {
            let (k, v) = pair.split_once('=').unwrap_or((pair, ""));
            let value = percent_decode(v);
            match k {
                "session" => session = Some(check_session(&value)?),
                "sslmode" => ssl = parse_ssl(&value)?,
                "sslrootcert" => root_cert = Some(PathBuf::from(value)),
                _ => rest.push(pair),
            }
        }
        let pg_url = if rest.is_empty() { base.to_string() } else { format!("{base}?{}", rest.join("&")) };
        let mut config = tokio_postgres::Config::from_str(&pg_url)
            .map_err(|e| format!("{}: not a PostgreSQL URL ({e}); write it as {example}", redact(text)))?;
        if config.get_dbname().is_none() {
            return Err(format!("{}: no database name; write it as {example}", redact(text)));
        }
        if config.get_user().is_none() {
            let user = std::env::var("PGUSER").or_else(|_| std::env::var("USER")).unwrap_or_else(|_| "postgres".into());
            config.user(user);
        }
        if config.get_password().is_none() {
            // The usual way to keep a password off the command line and out of `ps`.
            if let Some(pw) = std::env::var_os("PGPASSWORD").filter(|p| !p.is_empty()) {
                config.password(pw.to_string_lossy().as_bytes());
            }
        }
        if config.get_application_name().is_none() {
            config.application_name("warroom");
        }
        if config.get_connect_timeout().is_none() {
            config.connect_timeout(std::time::Duration::from_secs(5));
        }
        // A dead peer (a cable pulled, a VM gone) is noticed within ~20 s, not hours.
        config.keepalives(true).keepalives_idle(std::time::Duration::from_secs(10));
        config.ssl_mode(match ssl {
            SslMode::Disable => tokio_postgres::config::SslMode::Disable,
            SslMode::Prefer => tokio_postgres::config::SslMode::Prefer,
            SslMode::Require | SslMode::VerifyFull => tokio_postgres::config::SslMode::Require,
        });
        // What the screen shows: no password, nothing a terminal would interpret.
        let shown = crate::domain::sanitize::clean(&redact(text));
        Ok(JournalUrl { config, session, ssl, root_cert, shown })
    }

    /// The session, or an error saying how to name one.
    pub fn session(&self) -> Result<&str, String> {
        self.session.as_deref().ok_or_else(|| {
            format!("{}: no session; add ?session=ID to the URL (one id per go-live or incident)", self.shown)
        })
    }
}

fn check_session(s: &str) -> Result<String, String> {
    if s.trim().is_empty() {
        return Err("`session=` is empty; give the session an id, e.g. ?session=golive-2026-02-12".into());
    }
    if s.len() > SESSION_MAX || s.chars().any(|c| c.is_control()) {
        return Err(format!(
            "`session=` must be at most {SESSION_MAX} bytes without control characters; e.g. ?session=golive-2026-02-12"
        ));
    }
    Ok(s.to_string())
}

fn parse_ssl(s: &str) -> Result<SslMode, String> {
    match s {
        "disable" => Ok(SslMode::Disable),
        "prefer" | "allow" => Ok(SslMode::Prefer),
        "require" => Ok(SslMode::Require),
        "verify-full" => Ok(SslMode::VerifyFull),
        "verify-ca" => {
            Err("sslmode=verify-ca is not supported; use sslmode=verify-full (it also checks the host name)".into())
        }
        other => Err(format!("sslmode={other} is not known; use disable, prefer, require or verify-full")),
    }
}

/// The URL with the password (between `user:` and `@`) and any `password=`
/// parameter replaced by `***`.
pub fn redact(url: &str) -> String {
    let mut out = url.to_string();
    if let Some(scheme_end) = out.find("://") {
        let auth_start = scheme_end + 3;
        let auth_end = out[auth_start..].find(['/', '?']).map(|i| auth_start + i).unwrap_or(out.len());
        if let Some(at) = out[auth_start..auth_end].rfind('@') {
            if let Some(colon) = out[auth_start..auth_start + at].find(':') {
                out.replace_range(auth_start + colon + 1..auth_start + at, "***");
            }
        }
    }
    if let Some(q) = out.find('?') {
        let (head, query) = out.split_at(q + 1);
        let query: Vec<String> = query
            .split('&')
            .map(|p| if p.starts_with("password=") { "password=***".to_string() } else { p.to_string() })
            .collect();
        out = format!("{head}{}", query.join("&"));
    }
    out
}

fn percent_decode(s: &str) -> String {
    let b = s.as_bytes();
    let mut out = Vec::with_capacity(b.len());
    let mut i = 0;
    while i < b.len() {
        if b[i] == b'%' && i + 2 < b.len() {
            if let Some(v) = std::str::from_utf8(&b[i + 1..i + 3]).ok().and_then(|h| u8::from_str_radix(h, 16).ok()) {
                out.push(v);
                i += 3;
                continue;
            }
        }
        out.push(b[i]);
        i += 1;
    }
    String::from_utf8_lossy(&out).into_owned()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_full_url_gives_session_tls_and_a_shown_form_without_password() {
        let u = JournalUrl::parse("postgres://ana:s3cret@db.example:6543/war?session=golive%2D1&sslmode=verify-full")
            .unwrap();
        assert_eq!(u.session.as_deref(), Some("golive-1"));
        assert_eq!(u.ssl, SslMode::VerifyFull);
        assert_eq!(u.config.get_user(), Some("ana"));
        assert_eq!(u.config.get_dbname(), Some("war"));
        assert_eq!(u.config.get_ports(), &[6543]);
        assert_eq!(u.shown, "postgres://ana:***@db.example:6543/war?session=golive%2D1&sslmode=verify-full");
        assert!(!u.shown.contains("s3cret"));
    }

    #[test]
    fn bad_urls_say_what_to_write() {
        let e = JournalUrl::parse("postgres://ana@h/db?session=x&sslmode=sometimes").err().unwrap();
        assert!(e.contains("disable, prefer, require or verify-full"), "{e}");
        let e = JournalUrl::parse("postgres://ana@h/db?session=").err().unwrap();
        assert!(e.contains("session"), "{e}");
        let u = JournalUrl::parse("postgres://ana@h/db").unwrap();
        assert!(u.session().unwrap_err().contains("?session=ID"));
        let e = JournalUrl::parse("postgres://ana:pw@h/db?session=a&nonsense=1").err().unwrap();
        assert!(e.contains("not a PostgreSQL URL") && !e.contains(":pw@"), "{e}");
    }

    #[test]
    fn only_database_urls_are_taken_for_databases() {
        assert!(is_database_url(Path::new("postgres://a@b/c?session=d")));
        assert!(is_database_url(Path::new("postgresql://a@b/c?session=d")));
        assert!(!is_database_url(Path::new("/tmp/postgres://journal.jsonl")));
        assert!(!is_database_url(Path::new("journal.jsonl")));
    }
}
