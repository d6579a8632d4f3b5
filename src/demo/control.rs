//! The demo platform's control folder: small text files that steps (or a
//! person in another terminal) write to change how the platform behaves.
//!
//! - `control/<endpoint>`: `ok`, `slow`, `failing` (HTTP 500) or `down` (no answer).
//!   Endpoints are named like the runbook's probes: `homepage`, `login`, `api`,
//!   `analytics`, `billing-webhook`, `admin-health`, `database` (not `ok`: port
//!   closed), plus `marketplace`; `control/cache` set to anything but `ok` makes
//!   the admin health page report its cache DOWN.
//! - `control/deploy`: written when traffic switches; latency is raised for
//!   [`DEPLOY_WARMUP`] after the file's modification time, then settles.
//! - `control/chaos`: names an endpoint (default `api`) that fails for
//!   [`CHAOS_DURATION`] after the file's modification time, then recovers.
//!
//! Time comes from the file's mtime, so a step only has to touch a file and
//! nothing needs cleaning up for the platform to recover by itself.

use std::path::{Path, PathBuf};
use std::time::{Duration, SystemTime};

pub const DEPLOY_WARMUP: Duration = Duration::from_secs(20);
pub const CHAOS_DURATION: Duration = Duration::from_secs(45);

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Mode {
    Ok,
    Slow,
    Failing,
    Down,
}

impl Mode {
    /// Unknown words read as `ok`: a typo in a control file must not take the demo down.
    pub fn parse(text: &str) -> Mode {
        match text.trim().to_ascii_lowercase().as_str() {
            "slow" => Mode::Slow,
            "failing" | "fail" | "500" | "error" => Mode::Failing,
            "down" | "off" => Mode::Down,
            _ => Mode::Ok,
        }
    }
}

/// Reads the control folder on demand (files are tiny; reading per request
/// keeps the platform stateless and makes hand edits take effect at once).
#[derive(Clone, Debug)]
pub struct Control {
    dir: PathBuf,
}

impl Control {
    pub fn new(dir: impl Into<PathBuf>) -> Self {
        Control { dir: dir.into() }
    }

    pub fn dir(&self) -> &Path {
        &self.dir
    }

    /// The mode an endpoint is in right now: chaos first, then its own file.
    pub fn mode(&self, endpoint: &str) -> Mode {
        if self.chaos_target().as_deref() == Some(endpoint) {
            return Mode::Failing;
        }
        std::fs::read_to_string(self.dir.join(endpoint)).map(|t| Mode::parse(&t)).unwrap_or(Mode::Ok)
    }

    /// The endpoint the chaos drill is breaking, while it lasts.
    pub fn chaos_target(&self) -> Option<String> {
        let path = self.dir.join("chaos");
        let age = age_of(&path)?;
        if age >= CHAOS_DURATION {
            return None;
        }
        let target = std::fs::read_to_string(&path).unwrap_or_default();
        let target = target.trim();
        Some(if target.is_empty() { "api".to_string() } else { target.to_string() })
    }

    /// 1.0 right after the deploy switched traffic, falling to 0.0 over [`DEPLOY_WARMUP`].
    pub fn deploy_heat(&self) -> f64 {
        match age_of(&self.dir.join("deploy")) {
            Some(age) if age < DEPLOY_WARMUP => 1.0 - age.as_secs_f64() / DEPLOY_WARMUP.as_secs_f64(),
            _ => 0.0,
        }
    }

    /// The release the platform serves (written by the deploy steps).
    pub fn release(&self) -> String {
        std::fs::read_to_string(self.dir.join("release"))
            .ok()
            .map(|r| r.trim().to_string())
            .filter(|r| !r.is_empty())
            .unwrap_or_else(|| "2026.10.2".to_string())
    }
}

/// How long ago a file was modified; `None` when it does not exist.
fn age_of(path: &Path) -> Option<Duration> {
    let modified = std::fs::metadata(path).ok()?.modified().ok()?;
    // A clock step backwards makes the file look new: treat as age 0.
    Some(SystemTime::now().duration_since(modified).unwrap_or_default())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn modes_parse_leniently() {
        assert_eq!(Mode::parse("slow\n"), Mode::Slow);
        assert_eq!(Mode::parse(" FAILING "), Mode::Failing);
        assert_eq!(Mode::parse("down"), Mode::Down);
        assert_eq!(Mode::parse("ok"), Mode::Ok);
        assert_eq!(Mode::parse("sloww"), Mode::Ok);
    }

    #[test]
    fn files_switch_modes_and_chaos_wins() {
        let dir = tempfile::tempdir().unwrap();
        let c = Control::new(dir.path());
        assert_eq!(c.mode("homepage"), Mode::Ok);
        std::fs::write(dir.path().join("homepage"), "slow\n").unwrap();
        assert_eq!(c.mode("homepage"), Mode::Slow);
        assert_eq!(c.chaos_target(), None);
        std::fs::write(dir.path().join("chaos"), "homepage\n").unwrap();
        assert_eq!(c.chaos_target().as_deref(), Some("homepage"));
        assert_eq!(c.mode("homepage"), Mode::Failing);
        assert_eq!(c.mode("api"), Mode::Ok);
    }

    #[test]
    fn fresh_deploy_is_hot() {
        let dir = tempfile::tempdir().unwrap();
        let c = Control::new(dir.path());
        assert_eq!(c.deploy_heat(), 0.0);
        std::fs::write(dir.path().join("deploy"), "1\n").unwrap();
        assert!(c.deploy_heat() > 0.5);
    }
}
