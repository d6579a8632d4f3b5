//! A real `ssh-agent` for the tests that sign: a private socket, one fresh
//! ed25519 key, killed when dropped.

#![allow(dead_code)]

use std::path::{Path, PathBuf};
use std::process::{Child, Command};
use std::time::{Duration, Instant};

fn text(b: &[u8]) -> String {
    String::from_utf8_lossy(b).into_owned()
}

/// A real `ssh-agent` on a private socket holding one fresh ed25519 key; killed on drop.
pub struct Agent {
    child: Child,
    pub sock: PathBuf,
    pubkey: String,
    _dir: tempfile::TempDir,
}

impl Agent {
    pub fn start(name: &str) -> Agent {
        let dir = tempfile::tempdir().unwrap();
        let sock = dir.path().join("agent.sock");
        let key = dir.path().join(name);
        let ok = Command::new("ssh-keygen")
            .args(["-q", "-t", "ed25519", "-N", "", "-C", name, "-f"])
            .arg(&key)
            .status()
            .expect("ssh-keygen (openssh-client) is installed");
        assert!(ok.success());
        let child = Command::new("ssh-agent")
            .arg("-D")
            .arg("-a")
            .arg(&sock)
            .stdout(std::process::Stdio::null())
            .spawn()
            .expect("ssh-agent is installed");
        let deadline = Instant::now() + Duration::from_secs(20);
        while !sock.exists() {
            assert!(Instant::now() < deadline, "ssh-agent did not create its socket");
            std::thread::sleep(Duration::from_millis(20));
        }
        let added = Command::new("ssh-add").arg("-q").arg(&key).env("SSH_AUTH_SOCK", &sock).output().unwrap();
        assert!(added.status.success(), "ssh-add: {}", text(&added.stderr));
        let pubkey = std::fs::read_to_string(key.with_extension("pub")).unwrap().trim().to_string();
        Agent { child, sock, pubkey, _dir: dir }
    }

    pub fn env(&self) -> [(&'static str, &Path); 1] {
        [("SSH_AUTH_SOCK", self.sock.as_path())]
    }

    /// The `KEYTYPE BASE64` part of the public key.
    pub fn key(&self) -> String {
        self.pubkey.split_whitespace().take(2).collect::<Vec<_>>().join(" ")
    }
}

impl Drop for Agent {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}
