//! A throwaway PostgreSQL cluster for the tests of one test binary: `initdb`
//! into a folder of its own, `pg_ctl` on a free port on 127.0.0.1 and a
//! private socket folder, trust authentication, stopped when the binary
//! exits (and cleaned at the next start if a crashed run left one behind).
//!
//! PostgreSQL refuses to run as root, so as root (CI) the folder is given to
//! `nobody` and the server binaries run through `runuser -u nobody --`.
//!
//! If the server cannot be started the tests FAIL, saying why. Only an
//! explicit `WARROOM_SKIP_PG=1` skips them, and says so loudly.

#![allow(dead_code)]

use std::path::{Path, PathBuf};
use std::process::{Command, Output};
use std::sync::OnceLock;

pub struct Cluster {
    root: PathBuf,
    bin: PathBuf,
    pub port: u16,
    as_nobody: bool,
    /// `fsync=off` for tests (speed); on for benchmarks (what a real server does).
    fsync: bool,
}

static CLUSTER: OnceLock<Option<Cluster>> = OnceLock::new();

/// True (and said loudly) under `WARROOM_SKIP_PG=1`: for tests that start
/// a cluster of their own (`Cluster::start_own`) rather than use `cluster()`.
pub fn skipped() -> bool {
    let skip = std::env::var("WARROOM_SKIP_PG").is_ok_and(|v| v == "1");
    if skip {
        eprintln!("\n!!! WARROOM_SKIP_PG=1: the PostgreSQL tests of this binary are SKIPPED, not passed. !!!\n");
    }
    skip
}

/// The binary's cluster, started on first use. `None` only under `WARROOM_SKIP_PG=1`.
pub fn cluster() -> Option<&'static Cluster> {
    CLUSTER
        .get_or_init(|| {
            if skipped() {
                return None;
            }
            match Cluster::start(false, "") {
                Ok(c) => {
                    // SAFETY: registering a plain extern "C" function with no arguments.
                    unsafe { libc::atexit(stop_at_exit) };
                    Some(c)
                }
                Err(e) => panic!(
                    "cannot start a throwaway PostgreSQL for these tests: {e}\n\
                     Install PostgreSQL's server (Debian: apt-get install postgresql; scripts/test does it), \
                     or set WARROOM_SKIP_PG=1 to skip these tests locally."
                ),
            }
        })
        .as_ref()
}

extern "C" fn stop_at_exit() {
    if let Some(Some(c)) = CLUSTER.get() {
        c.stop();
        let _ = std::fs::remove_dir_all(&c.root);
    }
}

/// The folder of server binaries: `pg_config --bindir` when it has `initdb`
/// (Debian's pg_config points at the client's), else the newest
/// `/usr/lib/postgresql/*/bin`.
fn bindir() -> Result<PathBuf, String> {
    if let Ok(o) = Command::new("pg_config").arg("--bindir").output() {
        let p = PathBuf::from(String::from_utf8_lossy(&o.stdout).trim());
        if p.join("initdb").exists() {
            return Ok(p);
        }
    }
    let mut found: Vec<(u32, PathBuf)> = std::fs::read_dir("/usr/lib/postgresql")
        .map_err(|e| format!("no PostgreSQL server found (/usr/lib/postgresql: {e})"))?
        .filter_map(|e| e.ok())
        .filter_map(|e| {
            let v: u32 = e.file_name().to_string_lossy().parse().ok()?;
            let bin = e.path().join("bin");
            bin.join("initdb").exists().then_some((v, bin))
        })
        .collect();
    found.sort();
    found.pop().map(|(_, b)| b).ok_or_else(|| "no initdb under /usr/lib/postgresql/*/bin".into())
}

fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0").and_then(|l| l.local_addr()).map(|a| a.port()).unwrap_or(54329)
}

impl Cluster {
    /// A cluster of the caller's own, with `fsync` as a real server runs
    /// (benchmarks); `shutdown` stops and removes it.
    pub fn start_durable() -> Result<Cluster, String> {
        Cluster::start(true, "")
    }

    /// A cluster of the caller's own beside the binary's shared one (`tag`
    /// names it), for a test that stops and starts its server; it is
    /// stopped and removed when dropped. Fails the test with the reason when
    /// it cannot start (check `skipped()` first).
    pub fn start_own(tag: &str) -> Own {
        let c = Cluster::start(false, &format!("-{tag}"))
            .unwrap_or_else(|e| panic!("cannot start a throwaway PostgreSQL ({tag}): {e}"));
        Own(Some(c))
    }

    pub fn shutdown(self) {
        self.stop();
        let _ = std::fs::remove_dir_all(&self.root);
    }

    fn start(fsync: bool, tag_suffix: &str) -> Result<Cluster, String> {
        let bin = bindir()?;
        // One folder per worktree and test binary: a leftover from a crashed run is ours to clean.
        let exe = std::env::current_exe().unwrap_or_default();
        let name = exe.file_name().map(|n| n.to_string_lossy().to_string()).unwrap_or_default();
        let tag = format!("{:x}", fxhash(env!("CARGO_MANIFEST_DIR")));
        let bin_name = name.split('-').next().unwrap_or("t");
        let root = std::env::temp_dir().join(format!("wr-pg-{tag}-{bin_name}{tag_suffix}"));
        let as_nobody = unsafe { libc::geteuid() } == 0;
        let mut c = Cluster { root, bin, port: free_port(), as_nobody, fsync };
        if c.root.exists() {
            c.stop();
            std::fs::remove_dir_all(&c.root).map_err(|e| format!("cannot clean {}: {e}", c.root.display()))?;
        }
        std::fs::create_dir_all(c.sock()).map_err(|e| format!("cannot create {}: {e}", c.root.display()))?;
        if as_nobody {
            let o = Command::new("chown").args(["-R", "nobody:"]).arg(&c.root).output().map_err(|e| e.to_string())?;
            check(&o, "chown nobody")?;
        }
        let o = c
            .server_cmd("initdb")
            .arg("-D")
            .arg(c.data())
            .args(["-U", "postgres", "-A", "trust", "-E", "UTF8", "--locale=C", "--no-sync"])
            .output()
            .map_err(|e| format!("cannot run initdb: {e}"))?;
        check(&o, "initdb")?;
        c.make_certificate()?;
        for attempt in 0..3 {
            match c.pg_ctl_start() {
                Ok(()) => break,
                Err(e) if attempt == 2 => return Err(e),
                // The free port was taken meanwhile: another one.
                Err(_) => c.port = free_port(),
            }
        }
        let o = Command::new(c.bin.join("createdb"))
            .args(["-h", "127.0.0.1", "-p", &c.port.to_string(), "-U", "postgres", "warroom"])
            .output()
            .map_err(|e| format!("cannot run createdb: {e}"))?;
        check(&o, "createdb")?;
        Ok(c)
    }

    /// A self-signed certificate for 127.0.0.1 and localhost, so the server
    /// speaks TLS (`sslmode=require|verify-full` tests). `openssl` comes with
    /// Debian's postgresql package (through ssl-cert).
    fn make_certificate(&self) -> Result<(), String> {
        let o = Command::new("openssl")
            .args(["req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "2", "-subj", "/CN=localhost"])
            .args([
                "-addext",
                "subjectAltName=IP:127.0.0.1,DNS:localhost",
                "-addext",
                "basicConstraints=critical,CA:FALSE",
            ])
            .arg("-keyout")
            .arg(self.data().join("server.key"))
            .arg("-out")
            .arg(self.data().join("server.crt"))
            .output()
            .map_err(|e| format!("cannot run openssl to make a test certificate: {e}"))?;
        check(&o, "openssl req")?;
        std::fs::copy(self.data().join("server.crt"), self.root_cert()).map_err(|e| e.to_string())?;
        let key = self.data().join("server.key");
        let o = Command::new("chmod").arg("600").arg(&key).output().map_err(|e| e.to_string())?;
        check(&o, "chmod server.key")?;
        if self.as_nobody {
            let o = Command::new("chown").arg("nobody:").arg(&key).arg(self.data().join("server.crt")).output();
            check(&o.map_err(|e| e.to_string())?, "chown server.key")?;
        }
        Ok(())
    }

    /// The server's certificate, to trust with `sslrootcert=`.
    pub fn root_cert(&self) -> PathBuf {
        self.root.join("root.crt")
    }

    fn data(&self) -> PathBuf {
        self.root.join("data")
    }

    fn sock(&self) -> PathBuf {
        self.root.join("sock")
    }

    fn server_cmd(&self, tool: &str) -> Command {
        if self.as_nobody {
            let mut c = Command::new("runuser");
            c.args(["-u", "nobody", "--"]).arg(self.bin.join(tool));
            c.current_dir("/");
            c
        } else {
            Command::new(self.bin.join(tool))
        }
    }

    fn pg_ctl_start(&self) -> Result<(), String> {
        let opts = format!(
            "-p {} -k {} -c listen_addresses=127.0.0.1 -c fsync={} -c max_connections=200 -c ssl=on",
            self.port,
            self.sock().display(),
            if self.fsync { "on" } else { "off" }
        );
        let o = self
            .server_cmd("pg_ctl")
            .arg("-D")
            .arg(self.data())
            .arg("-l")
            .arg(self.root.join("server.log"))
            .args(["-o", &opts, "-w", "-t", "60", "start"])
            .output()
            .map_err(|e| format!("cannot run pg_ctl: {e}"))?;
        check(&o, "pg_ctl start").map_err(|e| {
            let log = std::fs::read_to_string(self.root.join("server.log")).unwrap_or_default();
            format!("{e}\n--- server.log ---\n{log}")
        })
    }

    /// Stops the server now (fast shutdown: sessions are cut off).
    pub fn stop(&self) {
        let _ = self.server_cmd("pg_ctl").arg("-D").arg(self.data()).args(["-m", "fast", "-w", "stop"]).output();
    }

    /// Starts it again after `stop`, on the same port.
    pub fn restart(&self) {
        self.pg_ctl_start().expect("PostgreSQL starts again");
    }

    /// A journal URL for `session` in this cluster.
    pub fn url(&self, session: &str) -> String {
        format!("postgres://postgres@127.0.0.1:{}/warroom?session={session}&sslmode=disable", self.port)
    }

    /// Runs SQL with psql as the superuser; returns its stdout (unaligned, tuples only).
    pub fn psql(&self, sql: &str) -> String {
        let o = Command::new(self.bin.join("psql"))
            .args(["-h", "127.0.0.1", "-p", &self.port.to_string(), "-U", "postgres", "-d", "warroom"])
            .args(["-v", "ON_ERROR_STOP=1", "-At", "-c", sql])
            .output()
            .expect("psql runs");
        assert!(o.status.success(), "psql {sql:?} failed: {}", String::from_utf8_lossy(&o.stderr));
        String::from_utf8_lossy(&o.stdout).trim().to_string()
    }

    pub fn bin(&self) -> &Path {
        &self.bin
    }
}

/// A cluster a test started for itself: stopped and removed when dropped,
/// a failed test included.
pub struct Own(Option<Cluster>);

impl std::ops::Deref for Own {
    type Target = Cluster;
    fn deref(&self) -> &Cluster {
        self.0.as_ref().expect("the cluster lives until dropped")
    }
}

impl Drop for Own {
    fn drop(&mut self) {
        if let Some(c) = self.0.take() {
            c.shutdown();
        }
    }
}

fn check(o: &Output, what: &str) -> Result<(), String> {
    if o.status.success() {
        Ok(())
    } else {
        Err(format!(
            "{what} failed ({}): {}{}",
            o.status,
            String::from_utf8_lossy(&o.stdout),
            String::from_utf8_lossy(&o.stderr)
        ))
    }
}

/// A small stable hash (FNV-1a) to name the folder after the worktree.
fn fxhash(s: &str) -> u64 {
    s.bytes().fold(0xcbf2_9ce4_8422_2325u64, |h, b| (h ^ b as u64).wrapping_mul(0x0100_0000_01b3))
}
