//! `[CERTIFICATE_EXPIRATION]`: hours left on an https server's certificate.
//!
//! reqwest does not expose the peer certificate, so this makes a separate TLS
//! handshake (tokio-rustls, ring provider) and reads `notAfter` with
//! x509-parser. The handshake accepts any chain on purpose: it only *measures*
//! the expiry (an expired certificate must read as negative hours, not as a
//! handshake error); the probe's HTTP request itself verifies the chain as usual.

use std::sync::Arc;
use std::time::Duration;

use chrono::{DateTime, Utc};
use rustls::pki_types::ServerName;
use tokio::net::TcpStream;

use super::errors;
use crate::sources::tls::{client_config, Trust};

/// Hours from `now` until the end-entity certificate of `host:port` expires (negative when expired).
pub async fn hours_left(host: &str, port: u16, timeout: Duration, now: DateTime<Utc>) -> Result<f64, String> {
    let target = format!("{host}:{port}");
    let work = async {
        // Any chain: this only measures the expiry (see above).
        let config = client_config(Trust::AnyCertificate).map_err(|e| format!("TLS: {e}"))?;
        let name = ServerName::try_from(host.to_string()).map_err(|_| format!("TLS: bad server name {host}"))?;
        let tcp = TcpStream::connect(&target).await.map_err(|e| errors::io_words(&e, &target))?;
        let tls = tokio_rustls::TlsConnector::from(Arc::new(config))
            .connect(name, tcp)
            .await
            .map_err(|e| format!("TLS handshake with {target} failed: {e}"))?;
        let der = tls
            .get_ref()
            .1
            .peer_certificates()
            .and_then(|c| c.first())
            .ok_or_else(|| format!("TLS: {target} sent no certificate"))?
            .clone();
        not_after_hours(der.as_ref(), now)
    };
    match tokio::time::timeout(timeout, work).await {
        Ok(r) => r,
        Err(_) => Err(errors::timeout(timeout)),
    }
}

/// Hours from `now` to the certificate's `notAfter`, from its DER bytes.
pub fn not_after_hours(der: &[u8], now: DateTime<Utc>) -> Result<f64, String> {
    let (_, cert) =
        x509_parser::parse_x509_certificate(der).map_err(|e| format!("TLS: cannot read the certificate: {e}"))?;
    let not_after = cert.validity().not_after.timestamp();
    Ok((not_after - now.timestamp()) as f64 / 3600.0)
}
