//! Log ingest benchmark (issue 4, L7): how many lines a second the file tail
//! follows, and its peak memory. Driven by `scripts/log_ingest_bench.sh`, which
//! also runs `tail -F | grep -c ERROR` and `lnav -n` on the same input.
//!
//! Modes (cargo bench passes an extra `--bench`, ignored):
//! - `follow FILE SECS`: follow FILE (created empty) while a writer thread appends
//!   lines as fast as it can for SECS; waits until the tail has every line.
//! - `write FILE SECS`: only the writer (for the other tools); ends with a sentinel.
//! - `ingest FILE`: follow a finished file from its start (it is renamed into
//!   place under a watched name), timing until the sentinel line arrives.
//!
//! Output: one `key=value` line a mode, read by the script.

// The allocator the binary uses (see src/main.rs), so the figures are the console's.
#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;

use std::fs::{self, File, OpenOptions};
use std::io::Write;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::sync::Arc;
use std::time::{Duration, Instant};

use regex::Regex;
use warroom::domain::log_window::LogWindow;
use warroom::domain::runbook::{LogSource, LogTarget};
use warroom::sources::logtail::{spawn_log_with, TailOptions};
use warroom::sources::{LineLevel, SourceEvent};

const SENTINEL: &str = "ERROR bench-end sentinel";
/// Disk guard: the writer stops here even if the 10 s are not over.
const MAX_LINES: u64 = 40_000_000;

fn peak_rss_mib() -> f64 {
    let status = fs::read_to_string("/proc/self/status").unwrap_or_default();
    let kib: f64 = status
        .lines()
        .find(|l| l.starts_with("VmHWM:"))
        .and_then(|l| l.split_whitespace().nth(1))
        .and_then(|v| v.parse().ok())
        .unwrap_or(0.0);
    kib / 1024.0
}

/// Appends realistic lines (1 % ERROR, 2 % WARN) for `secs`; returns (lines, errors).
fn write_lines(path: &Path, secs: f64) -> (u64, u64) {
    let mut f = OpenOptions::new().create(true).append(true).open(path).expect("open bench file");
    let until = Instant::now() + Duration::from_secs_f64(secs);
    let mut buf = Vec::with_capacity(1 << 20);
    let (mut n, mut errors) = (0u64, 0u64);
    while Instant::now() < until && n < MAX_LINES {
        for _ in 0..10_000 {
            n += 1;
            let level = if n % 100 == 0 {
                errors += 1;
                "ERROR"
            } else if n % 50 == 0 {
                "WARN "
            } else {
                "INFO "
            };
            let _ = writeln!(
                buf,
                "2026-11-23T10:00:00.{:03}Z {level} [worker-{}] request id={n} path=/api/orders status=200 dur_ms={}",
                n % 1000,
                n % 8,
                n % 97
            );
        }
        f.write_all(&buf).expect("write bench file");
        buf.clear();
    }
    writeln!(f, "{SENTINEL}").expect("write sentinel");
    (n, errors + 1)
}

fn source(path: &Path) -> LogSource {
    LogSource {
        id: "bench".into(),
        title: "bench".into(),
        target: LogTarget::File { path: path.to_path_buf() },
        error: Some(Regex::new(r"(?i)\b(error|fatal|critical)\b").expect("regex")),
        warn: Some(Regex::new(r"(?i)\bwarn(ing)?\b").expect("regex")),
        buffer: 10_000,
        buffer_bytes: warroom::domain::runbook::LOG_BUFFER_BYTES,
    }
}

struct Counted {
    lines: u64,
    errors: u64,
    done_at: Instant,
}

/// Follows `path` into a `LogWindow` (what the console does) until the sentinel arrives.
fn follow(path: &Path, started: impl FnOnce(), patience: Duration) -> Option<Counted> {
    let (tx, mut rx) = warroom::sources::event_channel();
    let dir = path.parent().expect("parent").to_path_buf();
    let opts = TailOptions { force_polling: false, ..TailOptions::default() };
    let _handle = spawn_log_with(&source(path), &dir, tx, opts);
    // Wait for the tail to be in place before any line is written.
    loop {
        match rx.blocking_recv() {
            Some(SourceEvent::LogStatus { .. }) => break,
            Some(_) => {}
            None => return None,
        }
    }
    started();
    let mut window = LogWindow::new(10_000, chrono::Duration::minutes(60));
    let (mut lines, mut errors) = (0u64, 0u64);
    let deadline = Instant::now() + patience;
    while Instant::now() < deadline {
        match rx.try_recv() {
            Ok(SourceEvent::LogLines { lines: batch, .. }) => {
                let end = batch.iter().any(|l| l.text == SENTINEL);
                lines += batch.iter().filter(|l| !l.marker).count() as u64;
                errors += batch.iter().filter(|l| l.level == LineLevel::Error).count() as u64;
                window.push(batch);
                if end {
                    return Some(Counted { lines, errors, done_at: Instant::now() });
                }
            }
            // Lines the tail dropped because this reader fell behind: counted, as the console counts them.
            Ok(SourceEvent::LogDropped { at, counts, .. }) => {
                lines += counts.lines;
                errors += counts.errors;
                window.count_dropped(at, counts);
            }
            Ok(_) => {}
            Err(tokio::sync::mpsc::error::TryRecvError::Empty) => std::thread::sleep(Duration::from_millis(1)),
            Err(_) => return None,
        }
    }
    eprintln!("gave up after {patience:?}: {lines} lines, {errors} errors so far");
    None
}

fn main() {
    let args: Vec<String> = std::env::args().skip(1).filter(|a| a != "--bench").collect();
    let arg = |i: usize| args.get(i).cloned().unwrap_or_default();
    match arg(0).as_str() {
        "write" => {
            let (n, e) = write_lines(Path::new(&arg(1)), arg(2).parse().unwrap_or(10.0));
            println!("written_lines={} written_errors={e}", n + 1);
        }
        "follow" => {
            let path = PathBuf::from(arg(1));
            let secs: f64 = arg(2).parse().unwrap_or(10.0);
            File::create(&path).expect("create bench file");
            let written = Arc::new(AtomicU64::new(0));
            let writer_end = Arc::new(AtomicBool::new(false));
            let t0 = Instant::now();
            let mut wrote_at = None;
            let (w, we, p) = (written.clone(), writer_end.clone(), path.clone());
            let got = follow(
                &path,
                || {
                    wrote_at = Some(std::thread::spawn(move || {
                        let (n, _) = write_lines(&p, secs);
                        w.store(n + 1, Ordering::SeqCst);
                        we.store(true, Ordering::SeqCst);
                        Instant::now()
                    }));
                },
                Duration::from_secs_f64(secs + 120.0),
            );
            let writer_done = wrote_at.map(|h| h.join().expect("writer thread"));
            let Some(c) = got else {
                println!("result=fail");
                std::process::exit(1);
            };
            let elapsed = c.done_at.duration_since(t0).as_secs_f64();
            let lag = writer_done.map_or(0.0, |w| c.done_at.saturating_duration_since(w).as_secs_f64());
            println!(
                "mode=follow written_lines={} tail_lines={} tail_errors={} seconds={elapsed:.3} lines_per_s={:.0} lag_after_writer_s={lag:.3} peak_rss_mib={:.1}",
                written.load(Ordering::SeqCst),
                c.lines,
                c.errors,
                c.lines as f64 / elapsed,
                peak_rss_mib()
            );
        }
        "ingest" => {
            // Renamed into place under a name the tail is waiting for: read from the start.
            let src = PathBuf::from(arg(1));
            let dir = tempfile::tempdir_in(src.parent().expect("parent")).expect("tempdir");
            let target = dir.path().join("ingest.log");
            let mut t0 = Instant::now();
            let got = follow(
                &target,
                || {
                    fs::hard_link(&src, dir.path().join("staged")).expect("link bench file");
                    t0 = Instant::now();
                    fs::rename(dir.path().join("staged"), &target).expect("rename into place");
                },
                Duration::from_secs(600),
            );
            let Some(c) = got else {
                println!("result=fail");
                std::process::exit(1);
            };
            let elapsed = c.done_at.duration_since(t0).as_secs_f64();
            println!(
                "mode=ingest tail_lines={} tail_errors={} seconds={elapsed:.3} lines_per_s={:.0} peak_rss_mib={:.1}",
                c.lines,
                c.errors,
                c.lines as f64 / elapsed,
                peak_rss_mib()
            );
        }
        _ => {
            eprintln!(
                "usage: log_ingest follow FILE SECS | write FILE SECS | ingest FILE  (see scripts/log_ingest_bench.sh)"
            );
            std::process::exit(2);
        }
    }
}
