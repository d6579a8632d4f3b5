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
use rustls::client::danger::{HandshakeSignatureValid, ServerCertVerified, ServerCertVerifier};
use rustls::crypto::{verify_tls12_signature, verify_tls13_signature, CryptoProvider};
use rustls::pki_types::{CertificateDer, ServerName, UnixTime};
use rustls::{DigitallySignedStruct, SignatureScheme};
use tokio::net::TcpStream;

use super::errors;

#[derive(Debug)]
struct MeasureOnly(Arc<CryptoProvider>);

impl ServerCertVerifier for MeasureOnly {
    fn verify_server_cert(
        &self,
        _end_entity: &CertificateDer<'_>,
        _intermediates: &[CertificateDer<'_>],
        _server_name: &ServerName<'_>,
        _ocsp: &[u8],
        _now: UnixTime,
    ) -> Result<ServerCertVerified, rustls::Error> {
        Ok(ServerCertVerified::assertion())
    }
    fn verify_tls12_signature(
        &self,
        message: &[u8],
        cert: &CertificateDer<'_>,
        dss: &DigitallySignedStruct,
    ) -> Result<HandshakeSignatureValid, rustls::Error> {
        verify_tls12_signature(message, cert, dss, &self.0.signature_verification_algorithms)
    }
    fn verify_tls13_signature(
        &self,
        message: &[u8],
        cert: &CertificateDer<'_>,
        dss: &DigitallySignedStruct,
    ) -> Result<HandshakeSignatureValid, rustls::Error> {
        verify_tls13_signature(message, cert, dss, &self.0.signature_verification_algorithms)
    }
    fn supported_verify_schemes(&self) -> Vec<SignatureScheme> {
        self.0.signature_verification_algorithms.supported_schemes()
    }
}

/// Hours from `now` until the end-entity certificate of `host:port` expires (negative when expired).
pub async fn hours_left(host: &str, port: u16, timeout: Duration, now: DateTime<Utc>) -> Result<f64, String> {
    let target = format!("{host}:{port}");
    let work = async {
        let provider = Arc::new(rustls::crypto::ring::default_provider());
        let config = rustls::ClientConfig::builder_with_provider(provider.clone())
            .with_safe_default_protocol_versions()
            .map_err(|e| format!("TLS: {e}"))?
            .dangerous()
            .with_custom_certificate_verifier(Arc::new(MeasureOnly(provider)))
            .with_no_client_auth();
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
