//! The demo platform's log files, written as a running web platform would:
//! an application log (requests, paths, user ids, latencies; warnings and the
//! odd error) and a watchdog log (the CMS's own messages and its cron runs),
//! a few lines a second. While the chaos drill runs, errors come in bursts;
//! while a deploy warms up, slow-request warnings rise. The application log is
//! rotated now and then (rename, then a new file), so rotation handling shows.

use std::fs::{self, OpenOptions};
use std::io::{self, Write};
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use chrono::{DateTime, Utc};
use rand::Rng;
use tokio::task::JoinHandle;

use super::control::Control;

/// Where the generator writes.
#[derive(Clone, Debug)]
pub struct LogPaths {
    pub app: PathBuf,
    pub watchdog: PathBuf,
    /// Unix time of the last simulated cron run (read by the runbook's `cron` probe).
    pub cron_stamp: PathBuf,
}

impl LogPaths {
    pub fn under(demo_dir: &Path) -> Self {
        LogPaths {
            app: demo_dir.join("logs").join("app.log"),
            watchdog: demo_dir.join("logs").join("watchdog.log"),
            cron_stamp: demo_dir.join("state").join("cron.last"),
        }
    }
}

#[derive(Clone, Debug)]
pub struct Options {
    /// How often lines are written (a few each time).
    pub tick: Duration,
    /// How often the application log is rotated.
    pub rotate_every: Duration,
    /// How often the simulated cron runs.
    pub cron_every: Duration,
}

impl Default for Options {
    fn default() -> Self {
        Options {
            tick: Duration::from_millis(400),
            rotate_every: Duration::from_secs(90),
            cron_every: Duration::from_secs(15),
        }
    }
}

/// How a generated line is meant to be read (what the runbook's regexes must agree with).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Level {
    Info,
    Warn,
    Error,
}

/// What the platform is going through right now, as the lines should reflect it.
#[derive(Clone, Debug, Default)]
pub struct Weather {
    /// Endpoint broken by the chaos drill, if any.
    pub chaos: Option<String>,
    /// 0.0 (settled) to 1.0 (deploy just switched traffic).
    pub deploy_heat: f64,
    pub release: String,
}

impl Weather {
    pub fn read(control: &Control) -> Self {
        Weather { chaos: control.chaos_target(), deploy_heat: control.deploy_heat(), release: control.release() }
    }
}

/// A running generator. Dropping it stops it.
pub struct LogGen {
    task: JoinHandle<()>,
}

impl LogGen {
    /// Creates the folders and starts writing on the current tokio runtime.
    pub fn start(paths: LogPaths, control: Control, options: Options) -> io::Result<LogGen> {
        for p in [&paths.app, &paths.watchdog, &paths.cron_stamp] {
            if let Some(parent) = p.parent() {
                fs::create_dir_all(parent)?;
            }
        }
        let mut writer = Writer::new(paths, options.clone());
        // Something to read from the first frame on.
        writer.cron_run(Utc::now())?;
        writer.write_batch(&Weather::read(&control), Utc::now())?;
        let task = tokio::spawn(async move {
            let mut tick = tokio::time::interval(options.tick);
            tick.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
            loop {
                tick.tick().await;
                let weather = Weather::read(&control);
                // A full disk or a deleted folder must not end the demo: try again next tick.
                let _ = writer.step(&weather, Utc::now());
            }
        });
        Ok(LogGen { task })
    }
}

impl Drop for LogGen {
    fn drop(&mut self) {
        self.task.abort();
    }
}

struct Writer {
    paths: LogPaths,
    options: Options,
    last_rotation: Instant,
    last_cron: Instant,
}

impl Writer {
    fn new(paths: LogPaths, options: Options) -> Self {
        Writer { paths, options, last_rotation: Instant::now(), last_cron: Instant::now() }
    }

    fn step(&mut self, weather: &Weather, now: DateTime<Utc>) -> io::Result<()> {
        if self.last_rotation.elapsed() >= self.options.rotate_every {
            self.last_rotation = Instant::now();
            rotate(&self.paths.app)?;
        }
        if self.last_cron.elapsed() >= self.options.cron_every {
            self.last_cron = Instant::now();
            self.cron_run(now)?;
        }
        self.write_batch(weather, now)
    }

    fn write_batch(&mut self, weather: &Weather, now: DateTime<Utc>) -> io::Result<()> {
        let mut rng = rand::rng();
        let mut app = String::new();
        let n = if weather.chaos.is_some() { rng.random_range(2..=4) } else { rng.random_range(0..=2) };
        for _ in 0..n {
            app.push_str(&app_line(&mut rng, weather, now).1);
            app.push('\n');
        }
        append(&self.paths.app, &app)?;
        // The watchdog is quieter: about one line every two ticks.
        if rng.random_bool(if weather.chaos.is_some() { 0.8 } else { 0.4 }) {
            let mut line = watchdog_line(&mut rng, weather, now).1;
            line.push('\n');
            append(&self.paths.watchdog, &line)?;
        }
        Ok(())
    }

    fn cron_run(&mut self, now: DateTime<Utc>) -> io::Result<()> {
        let took = rand::rng().random_range(0.4..2.5);
        append(
            &self.paths.watchdog,
            &format!("{} [info] cron: Cron run completed in {took:.1} s.\n", watchdog_time(now)),
        )?;
        fs::write(&self.paths.cron_stamp, format!("{}\n", now.timestamp()))
    }
}

fn append(path: &Path, text: &str) -> io::Result<()> {
    if text.is_empty() {
        return Ok(());
    }
    OpenOptions::new().create(true).append(true).open(path)?.write_all(text.as_bytes())
}

/// Like logrotate without copytruncate: `app.log` → `app.log.1`, then a fresh `app.log`.
pub fn rotate(path: &Path) -> io::Result<()> {
    let mut old = path.as_os_str().to_owned();
    old.push(".1");
    fs::rename(path, PathBuf::from(old))?;
    fs::write(path, b"")
}

const PAGES: &[&str] = &[
    "/",
    "/user/login",
    "/marketplace",
    "/jobs",
    "/jobs/search?q=welder",
    "/mentoring",
    "/marketplace/cart",
    "/user/register",
];
const APIS: &[&str] = &["/api/v1/analytics", "/api/v1/skills/search?q=excel", "/api/health", "/api/v1/jobs?page=2"];

fn user(rng: &mut impl Rng) -> String {
    format!("u-{}", rng.random_range(1000..9999))
}

fn req_id(rng: &mut impl Rng) -> String {
    format!("{:06x}", rng.random_range(0..0xff_ffffu32))
}

/// One application log line: `2026-11-23T10:41:02.123Z INFO  [web] GET /jobs 200 143ms user=u-4821 req=8f3a2c`.
pub fn app_line(rng: &mut impl Rng, weather: &Weather, now: DateTime<Utc>) -> (Level, String) {
    let ts = now.format("%Y-%m-%dT%H:%M:%S%.3fZ");
    let user = user(rng);
    let req = req_id(rng);
    if let Some(target) = &weather.chaos {
        if rng.random_bool(0.7) {
            let path = if target == "api" { "/api/health" } else { "/" };
            let ms = rng.random_range(5..40);
            return (
                Level::Error,
                format!("{ts} ERROR [{target}] GET {path} 500 {ms}ms user={user} req={req} upstream connection pool exhausted"),
            );
        }
    }
    let roll: f64 = rng.random();
    if roll < 0.004 {
        let msg = ["payment provider timed out after 10s", "template render failed: missing field 'price'"];
        let path = PAGES[rng.random_range(0..PAGES.len())];
        return (
            Level::Error,
            format!("{ts} ERROR [web] POST {path} 500 user={user} req={req} {}", msg[rng.random_range(0..2)]),
        );
    }
    let slow_chance = 0.03 + 0.4 * weather.deploy_heat;
    if roll < 0.004 + slow_chance {
        let ms = rng.random_range(1500..4000);
        let path = PAGES[rng.random_range(0..PAGES.len())];
        return (Level::Warn, format!("{ts} WARN  [web] GET {path} 200 {ms}ms user={user} req={req} slow request"));
    }
    let (kind, path) = if rng.random_bool(0.3) {
        ("api", APIS[rng.random_range(0..APIS.len())])
    } else {
        ("web", PAGES[rng.random_range(0..PAGES.len())])
    };
    let ms = rng.random_range(12..300) + (weather.deploy_heat * 900.0) as u64;
    let status = if rng.random_bool(0.05) { 302 } else { 200 };
    (Level::Info, format!("{ts} INFO  [{kind}] GET {path} {status} {ms}ms user={user} req={req}"))
}

fn watchdog_time(now: DateTime<Utc>) -> String {
    now.format("%Y-%m-%d %H:%M:%S").to_string()
}

/// One watchdog line: `2026-11-23 10:41:02 [notice] user: Session opened for u-4821.`
pub fn watchdog_line(rng: &mut impl Rng, weather: &Weather, now: DateTime<Utc>) -> (Level, String) {
    let ts = watchdog_time(now);
    let user = user(rng);
    if weather.chaos.is_some() && rng.random_bool(0.5) {
        return (
            Level::Error,
            format!("{ts} [error] api: Upstream request failed: connection pool exhausted (user {user})."),
        );
    }
    let roll: f64 = rng.random();
    if roll < 0.002 {
        return (
            Level::Error,
            format!("{ts} [error] php: Uncaught TypeError in MentoringController::book(), line 212."),
        );
    }
    if roll < 0.06 {
        let w = [
            "php: Deprecated function: strftime() is deprecated in DateFormatter.php line 88.",
            "mail: Sending mail to a bounced address was skipped.",
        ];
        return (Level::Warn, format!("{ts} [warning] {}", w[rng.random_range(0..w.len())]));
    }
    let notices = [
        format!("user: Session opened for {user}."),
        format!("user: Session closed for {user}."),
        format!("content: Offer {} updated by {user}.", rng.random_range(100..999)),
        format!("jobs: Application {} submitted by {user}.", rng.random_range(1000..9999)),
        format!("system: Release {} serving.", weather.release),
    ];
    (Level::Info, format!("{ts} [notice] {}", notices[rng.random_range(0..notices.len())]))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn chaos_makes_errors_and_calm_mostly_info() {
        let mut rng = rand::rng();
        let now = Utc::now();
        let calm = Weather { release: "r1".into(), ..Default::default() };
        let calm_errors = (0..1000).filter(|_| app_line(&mut rng, &calm, now).0 == Level::Error).count();
        let storm = Weather { chaos: Some("api".into()), release: "r1".into(), ..Default::default() };
        let storm_errors = (0..1000).filter(|_| app_line(&mut rng, &storm, now).0 == Level::Error).count();
        assert!(calm_errors < 50, "calm: {calm_errors} errors in 1000");
        assert!(storm_errors > 500, "storm: {storm_errors} errors in 1000");
    }

    #[test]
    fn rotation_keeps_old_lines_in_dot_one() {
        let dir = tempfile::tempdir().unwrap();
        let p = dir.path().join("app.log");
        fs::write(&p, "old line\n").unwrap();
        rotate(&p).unwrap();
        assert_eq!(fs::read_to_string(dir.path().join("app.log.1")).unwrap(), "old line\n");
        assert_eq!(fs::read_to_string(&p).unwrap(), "");
    }
}
