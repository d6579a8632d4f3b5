//! TLS to the database with rustls (no OpenSSL): `tokio-postgres-rustls`
//! plugs a rustls `ClientConfig` into tokio-postgres. What each `sslmode`
//! checks follows libpq:
//!
//! - `prefer` / `require`: encrypted, but the server's certificate is not
//!   checked (libpq does the same without a root certificate file), unless
//!   `sslrootcert=FILE` is given, which makes it checked against that file.
//! - `verify-full`: the certificate must chain to the web's root CAs (or to
//!   `sslrootcert=FILE`) and name the host.
//!
//! The rustls configurations themselves come from `sources::tls`.

use rustls::pki_types::CertificateDer;
use rustls::RootCertStore;
use tokio_postgres_rustls::MakeRustlsConnect;

use super::url::{JournalUrl, SslMode};
use crate::sources::tls::{client_config, Trust};

/// The connector for `url`'s `sslmode` (also for `disable`: tokio-postgres then never starts TLS).
pub fn connector(url: &JournalUrl) -> Result<MakeRustlsConnect, String> {
    let trust = match (&url.root_cert, url.ssl) {
        (Some(file), _) => Trust::Roots(roots_from(file)?),
        (None, SslMode::VerifyFull) => Trust::WebRoots,
        (None, _) => Trust::AnyCertificate,
    };
    Ok(MakeRustlsConnect::new(client_config(trust)?))
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
