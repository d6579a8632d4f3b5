//! Transport errors in words an on-call engineer reads at a glance:
//! DNS, connection refused, TLS, timeout, reset — never a nested Debug dump.

use std::error::Error as StdError;
use std::io;
use std::time::Duration;

use crate::domain::duration::Dur;
use crate::domain::sanitize::clean;

pub fn timeout(after: Duration) -> String {
    format!("timeout: no answer within {}", Dur(after))
}

/// Words for an I/O error (TCP probes, the certificate handshake).
pub fn io_words(e: &io::Error, target: &str) -> String {
    use io::ErrorKind as K;
    match e.kind() {
        K::ConnectionRefused => format!("connection refused by {target}"),
        K::ConnectionReset => format!("connection reset by {target}"),
        K::ConnectionAborted => format!("connection aborted by {target}"),
        K::TimedOut => format!("timeout connecting to {target}"),
        K::HostUnreachable => format!("host unreachable: {target}"),
        K::NetworkUnreachable => format!("network unreachable: {target}"),
        K::AddrNotAvailable => format!("address not available: {target}"),
        K::UnexpectedEof => format!("connection closed by {target}"),
        _ => {
            let msg = e.to_string();
            if looks_like_dns(&msg) {
                format!("DNS: cannot resolve {} ({})", host_of(target), clean(&msg))
            } else {
                format!("{target}: {}", clean(&msg))
            }
        }
    }
}

fn looks_like_dns(msg: &str) -> bool {
    let m = msg.to_ascii_lowercase();
    m.contains("lookup") || m.contains("resolve") || m.contains("name or service") || m.contains("dns")
}

fn host_of(target: &str) -> &str {
    target.rsplit_once(':').map(|(h, _)| h).unwrap_or(target)
}

/// Words for a reqwest error, from the innermost cause that says something.
pub fn http_words(e: &reqwest::Error, url_host: &str, timeout_after: Duration) -> String {
    if e.is_timeout() {
        return timeout(timeout_after);
    }
    if e.is_dns() {
        return format!("DNS: cannot resolve {url_host}");
    }
    if e.is_redirect() {
        return "too many redirects (more than 5)".to_string();
    }
    // Walk the chain: an io::Error kind or a TLS error names the problem best.
    let mut src: Option<&(dyn StdError + 'static)> = e.source();
    let mut innermost = None;
    while let Some(s) = src {
        if let Some(io) = s.downcast_ref::<io::Error>() {
            // An io::Error hides its payload from `source()`: TLS errors travel inside one.
            if let Some(tls) = tls_inside(io) {
                return tls_words(tls, url_host);
            }
            match io.kind() {
                io::ErrorKind::ConnectionRefused
                | io::ErrorKind::ConnectionReset
                | io::ErrorKind::ConnectionAborted
                | io::ErrorKind::TimedOut
                | io::ErrorKind::UnexpectedEof => return io_words(io, url_host),
                _ => {}
            }
        }
        if let Some(tls) = s.downcast_ref::<rustls::Error>() {
            return tls_words(tls, url_host);
        }
        innermost = Some(s.to_string());
        src = s.source();
    }
    let inner = innermost.unwrap_or_else(|| e.to_string());
    let lower = inner.to_ascii_lowercase();
    if lower.contains("certificate") || lower.contains("tls") || lower.contains("handshake") {
        format!("TLS: {}", clean(&inner))
    } else if lower.contains("connection closed") || lower.contains("incomplete message") {
        format!("connection closed by {url_host} before the answer was complete")
    } else if e.is_body() {
        format!("reading the body failed: {}", clean(&inner))
    } else if e.is_connect() {
        format!("cannot connect to {url_host}: {}", clean(&inner))
    } else {
        clean(&inner)
    }
}

/// The rustls error inside (possibly nested) io::Errors, if any.
fn tls_inside(io: &io::Error) -> Option<&rustls::Error> {
    let inner = io.get_ref()?;
    if let Some(tls) = inner.downcast_ref::<rustls::Error>() {
        return Some(tls);
    }
    inner.downcast_ref::<io::Error>().and_then(tls_inside)
}

/// Words for a TLS failure; certificate problems say what to check.
pub fn tls_words(e: &rustls::Error, host: &str) -> String {
    use rustls::CertificateError as C;
    match e {
        rustls::Error::InvalidCertificate(c) => match c {
            C::Expired | C::ExpiredContext { .. } => format!("TLS: the certificate of {host} has expired"),
            C::NotValidYet | C::NotValidYetContext { .. } => format!("TLS: the certificate of {host} is not valid yet"),
            C::NotValidForName | C::NotValidForNameContext { .. } => {
                format!("TLS: the certificate is not valid for the name {host}")
            }
            C::UnknownIssuer => format!("TLS: the certificate of {host} is not trusted (unknown issuer)"),
            C::Revoked => format!("TLS: the certificate of {host} is revoked"),
            C::Other(o) if format!("{o:?}").contains("CaUsedAsEndEntity") => {
                format!("TLS: the certificate of {host} is self-signed (not trusted)")
            }
            other => format!("TLS: the certificate of {host} was rejected ({})", clean(&format!("{other:?}"))),
        },
        other => format!("TLS: {}", clean(&other.to_string())),
    }
}
