//! TLS to the database with rustls (no OpenSSL): `tokio-postgres-rustls`
//! plugs a rustls `ClientConfig` into tokio-postgres. What each `sslmode`
//! checks follows libpq:
//!
//! - `prefer` / `require`: encrypted, but the server's certificate is not
//!   checked (libpq does the same without a root certificate file), unless
//!   `sslrootcert=FILE` is given, which makes it checked against that file.
//! - `verify-full`: the certificate must chain to the web's root CAs (or to
//!   `sslrootcert=FILE`) and name the host.

use std::sync::Arc;

use rustls::client::danger::{HandshakeSignatureValid, ServerCertVerified, ServerCertVerifier};
use rustls::pki_types::{CertificateDer, ServerName, UnixTime};
use rustls::{ClientConfig, DigitallySignedStruct, RootCertStore, SignatureScheme};
use tokio_postgres_rustls::MakeRustlsConnect;

use super::url::{JournalUrl, SslMode};

/// The connector for `url`'s `sslmode` (also for `disable`: tokio-postgres then never starts TLS).
pub fn connector(url: &JournalUrl) -> Result<MakeRustlsConnect, String> {
    let provider = Arc::new(rustls::crypto::ring::default_provider());
    let builder = ClientConfig::builder_with_provider(provider.clone())
        .with_safe_default_protocol_versions()
        .map_err(|e| format!("TLS setup failed: {e}"))?;
    let config = match (&url.root_cert, url.ssl) {
        (Some(file), _) => builder.with_root_certificates(roots_from(file)?).with_no_client_auth(),
        (None, SslMode::VerifyFull) => {
            let roots = RootCertStore { roots: webpki_roots::TLS_SERVER_ROOTS.to_vec() };
            builder.with_root_certificates(roots).with_no_client_auth()
        }
        (None, _) => builder
            .dangerous()
            .with_custom_certificate_verifier(Arc::new(EncryptOnly { provider }))
            .with_no_client_auth(),
    };
    Ok(MakeRustlsConnect::new(config))
}

fn roots_from(file: &std::path::Path) -> Result<RootCertStore, String> {
    use rustls::pki_types::pem::PemObject;
    let shown = file.display();
    let certs: Vec<CertificateDer<'static>> = CertificateDer::pem_file_iter(file)
        .map_err(|e| format!("sslrootcert={shown}: cannot read it ({e}); give a PEM file of CA certificates"))?
        .collect::<Result<_, _>>()
        .map_err(|e| format!("sslrootcert={shown}: not a PEM certificate file ({e})"))?;
    let mut roots = RootCertStore::empty();
    let (added, _) = roots.add_parsable_certificates(certs);
    if added == 0 {
        return Err(format!("sslrootcert={shown}: no usable CA certificate in it; give a PEM file of CA certificates"));
    }
    Ok(roots)
}

/// `require` without a root file: the handshake's signatures are checked
/// (the session is really encrypted to whoever holds the key), the
/// certificate's issuer and name are not.
#[derive(Debug)]
struct EncryptOnly {
    provider: Arc<rustls::crypto::CryptoProvider>,
}

impl ServerCertVerifier for EncryptOnly {
    fn verify_server_cert(
        &self,
        _end_entity: &CertificateDer<'_>,
        _intermediates: &[CertificateDer<'_>],
        _server_name: &ServerName<'_>,
        _ocsp_response: &[u8],
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
        rustls::crypto::verify_tls12_signature(message, cert, dss, &self.provider.signature_verification_algorithms)
    }

    fn verify_tls13_signature(
        &self,
        message: &[u8],
        cert: &CertificateDer<'_>,
        dss: &DigitallySignedStruct,
    ) -> Result<HandshakeSignatureValid, rustls::Error> {
        rustls::crypto::verify_tls13_signature(message, cert, dss, &self.provider.signature_verification_algorithms)
    }

    fn supported_verify_schemes(&self) -> Vec<SignatureScheme> {
        self.provider.signature_verification_algorithms.supported_schemes()
    }
}
