//! The real binary in real tmux (one private server, `-L wr-console-test`,
//! shared by these tests; each test its own session and data dir). Every
//! wait is on a condition on the screen or the journal, never a fixed sleep.

// Each test module of this binary includes the harness itself, so that
// its port stays in its own file; the copies share one tmux server.
#[allow(clippy::duplicate_mod)]
#[path = "../support/tmux.rs"]
mod tmux;

use std::cell::RefCell;
use std::path::{Path, PathBuf};
use std::process::Command;

use tmux::{Pane, PATIENCE};

struct Session {
    /// What the tmux session is named after (tests/support/tmux.rs makes it unique).
    name: String,
    data: tempfile::TempDir,
    /// The tmux session, once launched.
    pane: RefCell<Option<Pane>>,
}

fn runbook() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/console-small.toml")
}

impl Session {
    /// A session not launched yet, on `data`.
    fn new(name: &str, data: tempfile::TempDir) -> Session {
        Session { name: name.to_string(), data, pane: RefCell::new(None) }
    }

    /// Starts `warroom open` in a new tmux session; after it exits, the shell
    /// prints its status and whether the terminal is back in cooked mode.
    fn start(name: &str, w: u16, h: u16) -> Session {
        let s = Session::new(name, tempfile::tempdir().unwrap());
        s.launch(w, h);
        s
    }

    fn launch(&self, w: u16, h: u16) {
        let open = format!("{} open {}", env!("CARGO_BIN_EXE_warroom"), runbook().display());
        self.launch_cmd(w, h, &open);
    }

    /// Every byte the console writes, recorded by `script` (T11's byte capture).
    fn launch_recorded(&self, w: u16, h: u16) -> PathBuf {
        self.launch_recorded_with(w, h, "")
    }

    /// `launch_recorded` with extra environment (`NAME=value …`) for the console.
    fn launch_recorded_with(&self, w: u16, h: u16, env: &str) -> PathBuf {
        let file = self.data.path().join("typescript");
        let open = format!("{env} {} open {}", env!("CARGO_BIN_EXE_warroom"), runbook().display());
        self.launch_cmd(w, h, &format!("script -qfec '{open}' {}", file.display()));
        file
    }

    /// Runs `open` in the session's pane; afterwards the shell prints the exit
    /// status and whether the terminal is back in cooked mode.
    fn launch_cmd(&self, w: u16, h: u16, open: &str) {
        let cmd = format!(
            "cd {dir} && export WARROOM_DATA_DIR={data} WARROOM_CONFIG_DIR={data}/config WARROOM_OPERATOR=ana TERM=xterm-256color && {open}; \
             echo EXIT=$?; stty -a | tr ' ' '\\n' | grep -x -- '-\\?icanon' | sed 's/^/MODE=/'; sleep 600",
            dir = env!("CARGO_MANIFEST_DIR"),
            data = self.data.path().display(),
        );
        self.run(w, h, &cmd);
    }

    /// Runs `cmd` in the session's pane, starting the session if there is none.
    fn run(&self, w: u16, h: u16, cmd: &str) {
        let mut pane = self.pane.borrow_mut();
        match pane.as_ref() {
            Some(p) if p.exists() => p.respawn(cmd),
            _ => *pane = Some(Pane::start(&self.name, w, h, cmd)),
        }
    }

    fn pane(&self) -> std::cell::Ref<'_, Pane> {
        std::cell::Ref::map(self.pane.borrow(), |p| p.as_ref().expect("the session was launched"))
    }

    fn screen(&self) -> String {
        self.pane().screen()
    }

    fn keys(&self, keys: &[&str]) {
        self.pane().keys(keys);
    }

    fn text(&self, text: &str) {
        self.pane().literal(text);
    }

    fn resize(&self, w: u16, h: u16) {
        self.pane().resize(w, h);
    }

    fn journal(&self) -> PathBuf {
        self.data.path().join("sessions/console-small/journal.jsonl")
    }

    fn journal_text(&self) -> String {
        std::fs::read_to_string(self.journal()).unwrap_or_default()
    }

    fn wait(&self, what: &str, cond: impl Fn(&Session) -> bool) {
        self.pane().wait_for(what, PATIENCE, || cond(self), || format!("--- journal ---\n{}", self.journal_text()));
    }

    fn wait_screen(&self, needle: &str) {
        self.wait(&format!("{needle:?} on screen"), |s| s.screen().contains(needle));
    }

    /// Our console's pid, found in /proc (no procps on a bare CI machine):
    /// a `warroom` whose environment holds this test's data dir.
    fn pid(&self) -> u32 {
        let needle = format!("WARROOM_DATA_DIR={}", self.data.path().display());
        for entry in std::fs::read_dir("/proc").unwrap().flatten() {
            let Ok(pid) = entry.file_name().to_string_lossy().parse::<u32>() else { continue };
            let comm = std::fs::read_to_string(format!("/proc/{pid}/comm")).unwrap_or_default();
            if comm.trim() != "warroom" {
                continue;
            }
            let env = std::fs::read(format!("/proc/{pid}/environ")).unwrap_or_default();
            if env.split(|b| *b == 0).any(|kv| kv == needle.as_bytes()) {
                return pid;
            }
        }
        panic!("no warroom process for {}", self.name);
    }
}

#[test]
fn mark_by_search_and_space_then_quit_restores_the_terminal() {
    let s = Session::start("mark", 120, 40);
    s.wait_screen("Release 4.2");
    s.keys(&["2", "/"]);
    s.text("checkout");
    s.keys(&["Enter", "Space"]);
    s.wait_screen("✓ PASS    Checkout completes");
    s.wait("the verdict in the journal", |s| {
        s.journal_text()
            .lines()
            .any(|l| l.contains("\"criterion.marked\"") && l.contains("\"checkout\"") && l.contains("\"pass\""))
    });
    s.keys(&["q"]);
    s.wait_screen("EXIT=0");
    s.wait_screen("MODE=icanon");
    assert!(s.journal_text().contains("\"session.closed\""));
}

#[test]
fn nogo_with_a_reason_survives_kill_9_and_reopen() {
    let s = Session::start("nogo", 120, 40);
    s.wait_screen("Release 4.2");
    s.keys(&["2", "j", "x", "d", "Tab", "Tab"]);
    s.text("checkout broken, card declined");
    s.keys(&["Enter"]);
    s.wait_screen("decision: NO-GO by ana");
    s.wait("the decision in the journal", |s| s.journal_text().contains("\"NO-GO\""));
    let pid = s.pid();
    Command::new("kill").args(["-9", &pid.to_string()]).status().unwrap();
    s.wait_screen("EXIT=137");
    s.launch(120, 40);
    s.wait_screen("decision: NO-GO by ana");
    s.wait_screen("✗ FAIL    Checkout completes");
    s.keys(&["q"]);
    s.wait_screen("EXIT=0");
}

#[test]
fn resizes_to_80x24_and_below_the_minimum() {
    let s = Session::start("resize", 160, 50);
    s.wait_screen("Release 4.2");
    s.resize(80, 24);
    s.wait("an 80×24 screen", |s| s.screen().lines().count() <= 24 && s.screen().contains("? help"));
    s.resize(60, 20);
    s.wait_screen("terminal too small: need 80×24, have 60×20");
    s.resize(120, 40);
    s.wait_screen("Release 4.2");
    s.keys(&["q"]);
    s.wait_screen("EXIT=0");
}

// What it checks is that another process's append reaches the screen; how
// fast is measured, not asserted (timing belongs in benches/).
#[test]
fn a_second_writers_mark_reaches_the_screen() {
    let s = Session::start("outside", 120, 40);
    s.wait_screen("Release 4.2");
    s.wait("the session in the journal", |s| s.journal_text().contains("session.opened"));
    // Another process writes to the same journal: a real second writer.
    let mut other = warroom::sources::journal::Journal::open(&s.journal()).unwrap().journal;
    let ev = warroom::domain::event::EventKind::CriterionMarked {
        criterion: "search".into(),
        verdict: warroom::domain::event::Verdict::Fail,
        note: Some("ci job".into()),
        source: warroom::domain::event::MarkSource::Manual,
        cause: None,
    };
    other.append("ci@runner", chrono::Utc::now(), &ev).unwrap();
    s.wait_screen("✗ FAIL    Search returns results");
    // In the status line: ana's console (present) and ci@runner, who wrote but has no console open.
    s.wait_screen("ana ▶ (+ci@runner)");
    s.keys(&["q"]);
    s.wait_screen("EXIT=0");
}

#[test]
fn bad_runbook_exits_2_before_touching_the_terminal() {
    let dir = tempfile::tempdir().unwrap();
    let bad = dir.path().join("bad.toml");
    std::fs::write(&bad, "[runbook]\nid = \"x\"\ntitle = 3\n").unwrap();
    let out = Command::new(env!("CARGO_BIN_EXE_warroom"))
        .args(["open", bad.to_str().unwrap()])
        .env("WARROOM_DATA_DIR", dir.path())
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("bad.toml:"), "{err}");
    assert!(!String::from_utf8_lossy(&out.stdout).contains("\u{1b}[?1049h"), "alternate screen entered");
}

#[test]
fn bad_keymap_names_file_and_line_and_exits_2() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("keys.toml"), "[global]\nhelp = \"h\"\nlaunch = \"l\"\n").unwrap();
    let out = Command::new(env!("CARGO_BIN_EXE_warroom"))
        .args(["open", runbook().to_str().unwrap()])
        .env("WARROOM_DATA_DIR", dir.path())
        .env("WARROOM_CONFIG_DIR", dir.path())
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("keys.toml:3: unknown action \"launch\""), "{err}");
}

#[test]
fn a_letter_bound_in_a_dialog_with_a_text_field_names_file_and_line_and_exits_2() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("keys.toml"), "[dialog.note]\nsubmit = [\"enter\", \"s\"]\n").unwrap();
    let out = Command::new(env!("CARGO_BIN_EXE_warroom"))
        .args(["open", runbook().to_str().unwrap()])
        .env("WARROOM_DATA_DIR", dir.path())
        .env("WARROOM_CONFIG_DIR", dir.path())
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("keys.toml:2: \"s\" is typed text in [dialog.note]"), "{err}");
}

/// A dialog key moved in the user's keys.toml (the config dir) works in the
/// real console: help closes with `x` alone, and its border says so.
#[test]
fn a_dialog_key_from_the_users_keys_toml_works_in_the_real_console() {
    let data = tempfile::tempdir().unwrap();
    std::fs::create_dir_all(data.path().join("config")).unwrap();
    std::fs::write(data.path().join("config/keys.toml"), "[dialog.help]\nclose = \"x\"\n").unwrap();
    let s = Session::new("dialog-keys", data);
    s.launch(120, 40);
    s.wait_screen("Release 4.2");
    s.keys(&["?"]);
    s.wait_screen("focus the next pane");
    s.wait_screen("x close");
    // q no longer closes help (nor quits): the j after it still scrolls the help.
    s.keys(&["q", "j"]);
    s.wait("help scrolled, still open", |s| {
        let sc = s.screen();
        sc.contains("x close") && !sc.contains("focus the next pane")
    });
    s.keys(&["x"]);
    s.wait("help closed", |s| !s.screen().contains("x close"));
    s.keys(&["q"]);
    s.wait_screen("EXIT=0");
}

/// How often `needle` occurs in `hay`.
fn count(hay: &[u8], needle: &[u8]) -> usize {
    hay.windows(needle.len()).filter(|w| *w == needle).count()
}

/// T11: every restoring sequence was sent exactly once (and the alternate screen entered once).
fn assert_restored_once(bytes: &[u8], how: &str) {
    for (what, seq) in [
        ("leave the alternate screen", &b"\x1b[?1049l"[..]),
        ("show the cursor", b"\x1b[?25h"),
        ("mouse reporting off", b"\x1b[?1000l"),
        ("bracketed paste off", b"\x1b[?2004l"),
        ("focus reporting off", b"\x1b[?1004l"),
    ] {
        assert_eq!(count(bytes, seq), 1, "{how}: {what} should be sent exactly once");
    }
    assert_eq!(count(bytes, b"\x1b[?1049h"), 1, "{how}: entered the alternate screen once");
}

#[test]
fn teardown_runs_exactly_once_on_quit_sigterm_sighup_and_sigint() {
    for (how, signal, code) in
        [("quit", None, 0), ("term", Some("-TERM"), 143), ("hup", Some("-HUP"), 129), ("int", Some("-INT"), 130)]
    {
        let data = tempfile::tempdir().unwrap();
        let s = Session::new(&format!("teardown-{how}"), data);
        let file = s.launch_recorded(100, 30);
        s.wait_screen("Release 4.2");
        // Mouse on, so there is something to turn off.
        s.keys(&["M"]);
        s.wait_screen("mouse capture on");
        match signal {
            None => s.keys(&["q"]),
            Some(sig) => {
                Command::new("kill").args([sig, &s.pid().to_string()]).status().unwrap();
            }
        }
        s.wait_screen(&format!("EXIT={code}"));
        s.wait_screen("MODE=icanon");
        let bytes = std::fs::read(&file).unwrap();
        assert_restored_once(&bytes, how);
        // The journal says goodbye whichever way it ended (T12: flushed).
        s.wait("session.closed in the journal", |s| s.journal_text().contains("\"session.closed\""));
    }
}

/// T11 on panic: the terminal is restored exactly once and before the panic
/// message, which therefore lands on the normal screen. The panic is asked
/// for with a debug-build-only hook (`WARROOM_TEST_PANIC_ON`).
#[test]
fn teardown_runs_once_and_before_the_message_on_panic() {
    let data = tempfile::tempdir().unwrap();
    let s = Session::new("teardown-panic", data);
    let file = s.launch_recorded_with(100, 30, "WARROOM_TEST_PANIC_ON=f9");
    s.wait_screen("Release 4.2");
    s.keys(&["M"]);
    s.wait_screen("mouse capture on");
    s.keys(&["F9"]);
    s.wait_screen("EXIT=101");
    s.wait_screen("MODE=icanon");
    let bytes = std::fs::read(&file).unwrap();
    assert_restored_once(&bytes, "panic");
    let find = |needle: &[u8]| bytes.windows(needle.len()).position(|w| w == needle);
    let left = find(b"\x1b[?1049l").unwrap();
    let message = find(b"panic requested").expect("the panic message is shown");
    assert!(left < message, "the terminal is restored before the panic message is printed");
    // The whole normal screen with its scrollback (a backtrace may push the message up).
    let shown = tmux::tmux_out(&["capture-pane", "-p", "-S", "-", "-t", &s.pane().target()]);
    assert!(shown.contains("panic requested"), "the message is readable on the normal screen:\n{shown}");
}

#[test]
fn ctrl_z_gives_the_shell_back_and_fg_redraws() {
    let data = tempfile::tempdir().unwrap();
    let s = Session::new("suspend", data);
    s.run(100, 30, "bash --norc --noprofile -i");
    s.text(&format!(
        "cd {} && WARROOM_DATA_DIR={} TERM=xterm-256color {} open {}",
        env!("CARGO_MANIFEST_DIR"),
        s.data.path().display(),
        env!("CARGO_BIN_EXE_warroom"),
        runbook().display()
    ));
    s.keys(&["Enter"]);
    s.wait_screen("Release 4.2");
    s.keys(&["C-z"]);
    s.wait_screen("Stopped");
    s.text("fg");
    s.keys(&["Enter"]);
    s.wait_screen("Release 4.2");
    s.wait("the whole console redrawn", |s| s.screen().contains("? help") && s.screen().contains("CRITICAL"));
    s.keys(&["q"]);
    s.wait("the shell prompt back", |s| !s.screen().contains("CRITICAL"));
}

#[test]
fn rapid_resizes_keep_the_selection() {
    let s = Session::start("storm", 120, 40);
    s.wait_screen("Release 4.2");
    s.keys(&["2", "j", "j", "j"]);
    for i in 0..200 {
        let (w, h) = if i % 2 == 0 { (100, 30) } else { (140, 45) };
        s.resize(w, h);
    }
    s.resize(120, 40);
    s.wait_screen("Release 4.2");
    s.keys(&["Space"]);
    s.wait("the fourth criterion (search) marked", |s| {
        s.journal_text().lines().any(|l| l.contains("\"search\"") && l.contains("\"pass\""))
    });
    s.keys(&["q"]);
    s.wait_screen("EXIT=0");
}

#[test]
fn bad_layout_or_theme_file_exits_2_naming_file_and_line() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::create_dir_all(dir.path().join("layouts")).unwrap();
    std::fs::create_dir_all(dir.path().join("themes")).unwrap();
    std::fs::write(dir.path().join("layouts/mine.toml"), "direction = \"horizontal\"\n[[part]]\npane = \"stepz\"\n")
        .unwrap();
    std::fs::write(
        dir.path().join("themes/mine.toml"),
        "[roles.ok]\nfg = { rgb = \"green\", c256 = 2, c16 = \"green\" }\n",
    )
    .unwrap();
    for (flag, want) in [("--layout", "layouts/mine.toml:3:"), ("--theme", "themes/mine.toml:2:")] {
        let out = Command::new(env!("CARGO_BIN_EXE_warroom"))
            .args(["open", runbook().to_str().unwrap(), flag, "mine"])
            .env("WARROOM_DATA_DIR", dir.path())
            .env("WARROOM_CONFIG_DIR", dir.path())
            .output()
            .unwrap();
        assert_eq!(out.status.code(), Some(2), "{flag}");
        let err = String::from_utf8_lossy(&out.stderr);
        assert!(err.contains(want), "{flag}: {err}");
    }
    let out = Command::new(env!("CARGO_BIN_EXE_warroom"))
        .args(["open", runbook().to_str().unwrap(), "--layout", "nope"])
        .env("WARROOM_DATA_DIR", dir.path())
        .env("WARROOM_CONFIG_DIR", dir.path())
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert!(
        String::from_utf8_lossy(&out.stderr).contains("no layout \"nope\": use one of t0, validation, monitor, mine")
    );
}

#[test]
fn plain_mode_is_line_by_line_with_no_escapes_and_records_commands() {
    use std::io::Write;
    for (flag, term) in [(Some("--plain"), "xterm-256color"), (None, "dumb")] {
        let dir = tempfile::tempdir().unwrap();
        let mut cmd = Command::new(env!("CARGO_BIN_EXE_warroom"));
        cmd.args(["open", runbook().to_str().unwrap()]);
        if let Some(f) = flag {
            cmd.arg(f);
        }
        let mut child = cmd
            .env("WARROOM_DATA_DIR", dir.path())
            .env("WARROOM_OPERATOR", "ana")
            .env("TERM", term)
            .stdin(std::process::Stdio::piped())
            .stdout(std::process::Stdio::piped())
            .stderr(std::process::Stdio::piped())
            .spawn()
            .unwrap();
        child
            .stdin
            .take()
            .unwrap()
            .write_all(b"pass checkout by hand\nfail nosuch\ndecide no-go search is broken\nquit\n")
            .unwrap();
        let out = child.wait_with_output().unwrap();
        assert_eq!(out.status.code(), Some(0), "{term}");
        let text = String::from_utf8(out.stdout).unwrap();
        assert!(!text.contains('\u{1b}'), "{term}: escape sequence in plain output");
        assert!(
            !text.chars().any(|c| ('\u{2500}'..='\u{257f}').contains(&c) || c == '✓' || c == '✗'),
            "{term}: {text}"
        );
        assert!(text.contains("critical checkout: PENDING"), "{text}");
        assert!(text.contains("ana: marked checkout PASS (by hand)"), "{text}");
        assert!(text.contains("error: no criterion \"nosuch\""), "{text}");
        assert!(text.contains("recorded the decision NO-GO: search is broken"), "{text}");
        let journal = std::fs::read_to_string(dir.path().join("sessions/console-small/journal.jsonl")).unwrap();
        assert!(journal.contains("\"decision.recorded\"") && journal.contains("\"session.closed\""));
    }
}

#[test]
fn a_damaged_journal_opens_read_only_and_says_why() {
    let data = tempfile::tempdir().unwrap();
    let s = Session::new("damaged", data);
    let path = s.journal();
    {
        let mut j = warroom::sources::journal::Journal::open(&path).unwrap().journal;
        for (c, v) in [("checkout", "pass"), ("search", "fail"), ("emails", "pass")] {
            let ev = warroom::domain::event::EventKind::CriterionMarked {
                criterion: c.into(),
                verdict: warroom::domain::event::Verdict::parse(v).unwrap(),
                note: None,
                source: warroom::domain::event::MarkSource::Manual,
                cause: None,
            };
            j.append("bob", chrono::Utc::now(), &ev).unwrap();
        }
    }
    // Tamper with the middle record: its hash no longer matches.
    let text = std::fs::read_to_string(&path).unwrap();
    std::fs::write(&path, text.replacen("\"search\"", "\"emails\"", 1)).unwrap();
    s.launch(120, 40);
    s.wait_screen("READ-ONLY");
    s.wait_screen("✓ PASS    Checkout completes");
    s.wait_screen("· PENDING Search returns results");
    let before = std::fs::read_to_string(&path).unwrap();
    s.keys(&["2", "Space"]);
    s.wait_screen("read-only");
    s.keys(&["q"]);
    s.wait_screen("EXIT=0");
    assert_eq!(std::fs::read_to_string(&path).unwrap(), before, "a read-only console wrote to the journal");
}

#[path = "terminal_bytes.rs"]
mod terminal_bytes;

#[path = "same_runbook.rs"]
mod same_runbook;
