//! Signing records with the operator's ssh-agent (`SSH_AUTH_SOCK`), so that
//! the private key never touches warroom. Uses `ssh-agent-client-rs` (a small,
//! synchronous agent client built on the same `ssh-key` crate that writes the
//! SSHSIG): an append is already synchronous I/O under a lock, and one more
//! round trip to a local socket fits there.
//!
//! Which key: `WARROOM_SIGNING_KEY` (a `SHA256:…` fingerprint) when set,
//! else the agent's first key.

use std::path::{Path, PathBuf};

use ssh_agent_client_rs::{Client, Identity};
use ssh_key::PublicKey;

use crate::domain::signature::{armor, blob_to_sign, fingerprint};

/// Cheap to clone (a socket path and a public key): the journal writer thread gets its own.
#[derive(Clone)]
pub struct Signer {
    socket: PathBuf,
    key: PublicKey,
    fingerprint: String,
}

impl Signer {
    /// The agent at `$SSH_AUTH_SOCK`, with the key `$WARROOM_SIGNING_KEY` names (or its first).
    pub fn from_env() -> Result<Signer, String> {
        let Some(sock) = std::env::var_os("SSH_AUTH_SOCK").filter(|s| !s.is_empty()) else {
            return Err("signing needs an SSH agent, but SSH_AUTH_SOCK is not set: start ssh-agent and ssh-add \
                        your key (or connect with ssh -A), or drop --sign"
                .into());
        };
        let want = std::env::var("WARROOM_SIGNING_KEY").ok().filter(|s| !s.trim().is_empty());
        Signer::connect(Path::new(&sock), want.as_deref())
    }

    /// The agent at `socket`; `want` picks a key by fingerprint.
    pub fn connect(socket: &Path, want: Option<&str>) -> Result<Signer, String> {
        let mut client = Client::connect(socket)
            .map_err(|e| format!("cannot reach the SSH agent at {} ({e}): is ssh-agent running?", socket.display()))?;
        let keys: Vec<PublicKey> = client
            .list_all_identities()
            .map_err(|e| format!("the SSH agent at {} did not list its keys ({e})", socket.display()))?
            .into_iter()
            .filter_map(|i| match i {
                Identity::PublicKey(k) => Some(k.into_owned()),
                Identity::Certificate(_) => None,
            })
            .collect();
        let key = match want {
            Some(fp) => keys.into_iter().find(|k| fingerprint(k) == fp.trim()).ok_or_else(|| {
                format!("the SSH agent holds no key {fp} (WARROOM_SIGNING_KEY): ssh-add it, or unset the variable")
            })?,
            None => keys
                .into_iter()
                .next()
                .ok_or_else(|| "the SSH agent holds no keys: add yours with ssh-add, then try again".to_string())?,
        };
        Ok(Signer { socket: socket.to_path_buf(), fingerprint: fingerprint(&key), key })
    }

    /// `SHA256:…` of the signing key (what a record's `key` field holds).
    pub fn fingerprint(&self) -> &str {
        &self.fingerprint
    }

    /// The armored SSHSIG over `message` (a record's hash text). A connection
    /// per signature: the agent may have been restarted since the last one.
    pub fn sign(&self, message: &[u8]) -> Result<String, String> {
        let blob = blob_to_sign(message)?;
        let mut client = Client::connect(&self.socket)
            .map_err(|e| format!("cannot reach the SSH agent at {} ({e})", self.socket.display()))?;
        let sig = client
            .sign(&self.key, &blob)
            .map_err(|e| format!("the SSH agent refused to sign with {} ({e})", self.fingerprint))?;
        armor(&self.key, sig)
    }
}
