//! Logs you can read (docs/console.md, "Logs"): every log of the runbook on
//! screen at once, the whole kept buffer reachable by PageUp/g, `/` that
//! finds a line 400 lines back and shows it, Enter for the log full-screen,
//! and the journal's acts as markers in the log timeline.

use std::cell::Cell;
use std::io::Write;
use std::path::{Path, PathBuf};

use crate::tmux::Console;

/// A runbook with two logs (`app`, `watchdog`) in a fresh folder; with
/// `probe`, also a probe that is DOWN at its first attempt (nothing listens
/// on port 9), so the journal gets a `probe.changed` at once.
struct Logs {
    dir: tempfile::TempDir,
}

impl Logs {
    fn new(probe: bool) -> Logs {
        let dir = tempfile::tempdir().unwrap();
        let probe = if probe {
            "[[probe]]\nid = \"api\"\ntcp = \"127.0.0.1:9\"\nevery = \"1s\"\ntimeout = \"1s\"\nfailure_threshold = 1\n"
        } else {
            ""
        };
        let rb = format!(
            "[runbook]\nid = \"screen-logs\"\ntitle = \"Logs you can read\"\n\n\
             [[phase]]\nid = \"go\"\ntitle = \"Go\"\n\n\
             [[step]]\nid = \"deploy\"\nphase = \"go\"\ntitle = \"Deploy the release\"\nrun = \"true\"\n\n\
             {probe}\n\
             [[log]]\nid = \"app\"\npath = \"{d}/app.log\"\nerror = \"ERROR\"\n\n\
             [[log]]\nid = \"watchdog\"\npath = \"{d}/watchdog.log\"\nerror = \"ERROR\"\n",
            d = dir.path().display()
        );
        std::fs::write(dir.path().join("runbook.toml"), rb).unwrap();
        Logs { dir }
    }

    fn runbook(&self) -> PathBuf {
        self.dir.path().join("runbook.toml")
    }

    fn path(&self, log: &str) -> PathBuf {
        self.dir.path().join(format!("{log}.log"))
    }

    fn append(&self, log: &str, text: &str) {
        append(&self.path(log), text);
    }

    /// Appends a warm-up line to both logs at every look until both show one:
    /// the tails may start a moment after the console draws.
    fn until_both_follow(&self, c: &Console) {
        let n = Cell::new(0);
        c.wait("a warm-up line of each log", |s| {
            n.set(n.get() + 1);
            self.append("app", &format!("app-warmup {}\n", n.get()));
            self.append("watchdog", &format!("wd-warmup {}\n", n.get()));
            s.contains("app-warmup") && s.contains("wd-warmup")
        });
    }

    /// Appends a warm-up line to `app` until one shows (only the selected log
    /// shows lines on main, so this alone works there too).
    fn until_app_follows(&self, c: &Console) {
        let n = Cell::new(0);
        c.wait("a warm-up line of the app log", |s| {
            n.set(n.get() + 1);
            self.append("app", &format!("app-warmup {}\n", n.get()));
            s.contains("app-warmup")
        });
    }

    /// 1,000 numbered lines in the app log: `tick-0001 …` to `tick-1000 …`.
    fn thousand_ticks(&self, c: &Console) {
        let text: String = (1..=1000).map(|i| format!("tick-{i:04} request served in {i}ms\n")).collect();
        self.append("app", &text);
        c.wait_text("tick-1000");
    }
}

fn append(path: &Path, text: &str) {
    let mut f = std::fs::OpenOptions::new().create(true).append(true).open(path).unwrap();
    f.write_all(text.as_bytes()).unwrap();
}

#[test]
fn two_logs_latest_lines_are_on_screen_at_once_in_the_default_layout() {
    for (w, h) in [(80, 24), (200, 60)] {
        let logs = Logs::new(false);
        let c = Console::open(&format!("logs-two-{w}"), &logs.runbook(), w, h);
        c.wait_text("Logs");
        logs.until_both_follow(&c);
        logs.append("app", "app-latest GET /health 200\n");
        logs.append("watchdog", "wd-latest ERROR disk almost full\n");
        c.wait(&format!("both logs' latest lines at {w}×{h}"), |s| {
            s.contains("app-latest") && s.contains("wd-latest")
        });
        // Untrusted text never reaches the terminal raw: sequences are removed
        // whole (the screen is not cleared, the title not set), a bare BEL shows as ^G.
        logs.append("watchdog", "wd-escape \x1b[2J\x1b]0;pwned\x07 after \x07bell\n");
        let s = c.wait_text("wd-escape");
        assert!(s.contains("wd-escape  after ^Gbell"), "{s}");
        assert!(!s.contains("pwned") && s.contains("Steps"), "{s}");
    }
}

#[test]
fn slash_finds_a_line_400_lines_back_and_shows_it() {
    for (w, h) in [(80, 24), (200, 60)] {
        let logs = Logs::new(false);
        let c = Console::open(&format!("logs-find-{w}"), &logs.runbook(), w, h);
        c.wait_text("Logs");
        logs.until_app_follows(&c);
        logs.thousand_ticks(&c);
        c.keys(&["4", "/"]);
        c.keys(&["-l", "tick-0600"]);
        c.keys(&["Enter"]);
        // On screen, and the title and the message line agree on the count.
        let s = c.wait(&format!("tick-0600 on screen at {w}×{h}"), |s| {
            s.contains("tick-0600 request") && s.contains("match 1 of 1") && s.contains("/tick-0600: 1 line ")
        });
        assert!(!s.contains("no match"), "{s}");
        // The hit is highlighted in reverse video (SGR 7), so it shows without colour too.
        let styled = c.screen_styled();
        let hit = styled.lines().find(|l| l.contains("tick-0600 request")).unwrap_or_default();
        assert!(hit.contains("\x1b[7m"), "{hit:?}");
        // n goes on to the same (only) hit, still on screen.
        logs.append("app", "tick-0600 again, much later\n");
        c.wait_text("/tick-0600: 2 lines");
        c.keys(&["n"]);
        c.wait("the second hit", |s| s.contains("match 2 of 2") || s.contains("match 1 of 2"));
    }
}

#[test]
fn page_up_reads_back_and_follow_is_stated_the_same_in_title_and_headers() {
    for (w, h) in [(80, 24), (200, 60)] {
        let logs = Logs::new(false);
        let c = Console::open(&format!("logs-page-{w}"), &logs.runbook(), w, h);
        c.wait_text("Logs");
        logs.until_both_follow(&c);
        logs.thousand_ticks(&c);
        c.keys(&["4", "PageUp"]);
        let s = c.wait("the view held, tick-1000 gone", |s| !s.contains("tick-1000") && s.contains("follow off"));
        assert!(!s.contains("following"), "held view still says following somewhere:\n{s}");
        c.keys(&["g"]);
        c.wait("the oldest kept line", |s| s.contains("app-warmup 1 "));
        c.keys(&["G"]);
        let s = c.wait("following again at G", |s| s.contains("tick-1000") && !s.contains("follow off"));
        assert!(s.contains("following"), "{s}");
        c.keys(&["F"]);
        let s = c.wait("follow off by F", |s| s.contains("follow off"));
        assert!(!s.contains("following"), "after F a header still says following:\n{s}");
        logs.append("app", "tick-after-F\n");
        c.wait("the new line counted, not shown", |s| s.contains("1 new"));
        assert!(!c.screen().contains("tick-after-F"));
        c.keys(&["F"]);
        c.wait("following again at F", |s| s.contains("tick-after-F") && !s.contains("follow off"));
        // PageDown to the end resumes following by itself.
        c.keys(&["PageUp"]);
        c.wait_text("follow off");
        c.keys(&["PageDown", "PageDown", "PageDown", "PageDown", "PageDown", "PageDown"]);
        c.wait("following at the end", |s| s.contains("tick-after-F") && !s.contains("follow off"));
    }
}

#[test]
fn enter_opens_the_log_full_screen_with_the_same_keys() {
    for (w, h) in [(80, 24), (200, 60)] {
        let logs = Logs::new(false);
        let c = Console::open(&format!("logs-full-{w}"), &logs.runbook(), w, h);
        c.wait_text("Logs");
        logs.until_app_follows(&c);
        logs.thousand_ticks(&c);
        c.keys(&["4", "Enter"]);
        // Full screen: the lines fill the screen, not a settings box. (Waited
        // for whole: under load a capture can land between the title and the lines.)
        let full = |s: &str| s.lines().filter(|l| l.contains("tick-")).count() >= h as usize - 8;
        c.wait("the log full-screen, its lines filling it", |s| s.contains("Log app") && full(s));
        c.keys(&["PageUp"]);
        c.wait("read back in the full-screen log", |s| !s.contains("tick-1000") && s.contains("follow off"));
        c.keys(&["/"]);
        c.keys(&["-l", "tick-0300"]);
        c.keys(&["Enter"]);
        c.wait("tick-0300 found full-screen", |s| s.contains("tick-0300 request") && s.contains("match 1 of 1"));
        c.keys(&["G"]);
        c.wait("the end again", |s| s.contains("tick-1000") && !s.contains("follow off"));
        // A line longer than the screen is read sideways (→), half a screen at a time.
        logs.append("app", &format!("long-line {} END-OF-LONG\n", "x".repeat(300)));
        let s = c.wait_text("long-line");
        assert!(!s.contains("END-OF-LONG"), "{s}");
        let found = (1..=10).any(|k| {
            c.keys(&["Right"]);
            c.wait_text(&format!("from column {}", k * (w as usize / 2) + 1)).contains("END-OF-LONG")
        });
        assert!(found, "{}", c.screen());
        c.keys(&["Escape"]);
        c.wait("back to the panes", |s| !s.contains("Log app") && s.contains("Steps"));
    }
}

#[test]
fn journal_acts_show_as_markers_in_the_log_timeline() {
    let logs = Logs::new(true);
    let c = Console::open("logs-markers", &logs.runbook(), 200, 60);
    c.wait_text("Logs");
    logs.until_both_follow(&c);
    c.wait("the probe's DOWN marker", |s| s.contains("▼ probe api DOWN"));
    c.keys(&["1", "r"]);
    c.wait_text("Run step?");
    c.keys(&["y"]);
    c.wait("the step's markers", |s| {
        s.contains("▶ step deploy started by ana") && s.contains("step deploy finished: ok")
    });
    logs.append("app", "app-after-deploy\n");
    let s = c.wait_text("app-after-deploy");
    // Interleaved by time: the line written after the step is below its marker.
    let row = |needle: &str| s.lines().position(|l| l.contains(needle)).unwrap();
    assert!(row("app-after-deploy") > row("▶ step deploy started by ana"), "{s}");
}
