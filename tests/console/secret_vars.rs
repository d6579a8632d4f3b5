//! A var's secret never leaves (docs/runbook-format.md, "Secrets"), also where
//! the loader fills it in: a `[[log]] path` and a link's `url` built from an
//! `env:NAME` var show `‹NAME›`, never the value, in the Logs pane, the
//! full-screen log (and a tail's error naming the path), the details view,
//! its OSC 8 hyperlinks and the link copied with `1`; nor in the journal or
//! `warroom report`. The real binary in a real
//! tmux (a private server), under `script`, so that every byte the terminal
//! received is read too.

use std::io::Write;
use std::path::Path;
use std::process::Command;
use std::time::{Duration, Instant};

use warroom::ui::effect::Effect;
use warroom::ui::layout::Layout;
use warroom::ui::links;
use warroom::ui::overlay::details;
use warroom::ui::panes::PaneId;
use warroom::ui::theme::ColorDepth;

/// Recognisable, and nothing warroom would write by itself.
const SECRET: &str = "s3cr3t-TOKEN-4711";

/// `workdir` names a folder that does not exist: only the override makes the log readable.
const RUNBOOK: &str = r#"[runbook]
id = "secretvars"
title = "Secret vars"

[vars]
token = "env:API_TOKEN"
workdir = "/nonexistent/warroom-secretvars"

[[log]]
id = "app"
path = "{workdir}/{token}/app.log"

# A folder, not a file: the tail's error names the path.
[[log]]
id = "dir"
path = "{workdir}/{token}"

[[criterion]]
id = "dash"
title = "Dashboard is green"
severity = "high"
on_fail = "evaluate"
links = [
  { title = "Dashboard", url = "https://grafana.example/d/shop?api_key={token}" },
  { title = "Wiki", url = "https://wiki.example/shop" },
]
"#;

#[test]
fn a_secret_var_in_a_log_path_or_a_link_is_never_shown_copied_or_written() {
    let data = tempfile::tempdir().unwrap();
    let work = tempfile::tempdir_in("/tmp").unwrap();
    let runbook = data.path().join("rb.toml");
    std::fs::write(&runbook, RUNBOOK).unwrap();
    std::fs::create_dir(work.path().join(SECRET)).unwrap();
    let log = work.path().join(SECRET).join("app.log");
    std::fs::write(&log, "").unwrap();
    let journal = data.path().join("journal.jsonl");
    let typescript = data.path().join("typescript");
    let tmux = Tmux { socket: format!("wr-secretvars-{}", std::process::id()) };
    // Hyperlinks on (tmux alone would turn them off): their targets are checked in the recording.
    let cmd = format!(
        "export WARROOM_DATA_DIR={data} WARROOM_CONFIG_DIR={data}/config WARROOM_OPERATOR=ana TERM=xterm-256color \
         WARROOM_HYPERLINKS=1 API_TOKEN={SECRET} WARROOM_VAR_workdir={work}; \
         script -qfec '{bin} open {rb} --journal {journal}' {typescript}; echo EXIT=$?; sleep 600",
        data = data.path().display(),
        work = work.path().display(),
        bin = env!("CARGO_BIN_EXE_warroom"),
        rb = runbook.display(),
        journal = journal.display(),
        typescript = typescript.display(),
    );
    tmux.run(&["new-session", "-d", "-s", "s", "-x", "200", "-y", "50", &cmd]);
    tmux.wait_screen("the console", |s| s.contains("Logs"));

    // The Logs pane's header names the file with the secret hidden, and the tail follows it.
    tmux.keys(&["4"]);
    tmux.wait_screen("the log's path", |s| s.contains("/app.log"));
    tmux.assert_hidden("the Logs pane");
    tmux.wait_screen("the log's path, secret hidden", |s| s.contains("/‹API_TOKEN›/app.log"));
    let start = Instant::now();
    while !tmux.screen().contains("hello from the app") {
        assert!(start.elapsed() < Duration::from_secs(60), "no line from the log on screen:\n{}", tmux.screen());
        append(&log, "hello from the app");
        std::thread::sleep(Duration::from_millis(300));
    }
    tmux.assert_hidden("the Logs pane");

    // The full-screen log says which file it reads.
    tmux.keys(&["Enter"]);
    tmux.wait_screen("the full-screen log", |s| s.contains("line kept") || s.contains("lines kept"));
    tmux.assert_hidden("the full-screen log");
    tmux.wait_screen("the file it reads", |s| s.contains("file ") && s.contains("/‹API_TOKEN›/app.log"));
    tmux.keys(&["Escape"]);
    tmux.wait_screen("the full-screen log closed", |s| !s.contains("line kept") && !s.contains("lines kept"));

    // The tail's error, in the full-screen log's title, names the path.
    tmux.keys(&["j"]);
    tmux.keys(&["Enter"]);
    tmux.wait_screen("the tail's error", |s| s.contains("is a directory"));
    tmux.assert_hidden("the tail's error");
    assert!(tmux.screen().contains("/‹API_TOKEN› is a directory"), "{}", tmux.screen());
    tmux.keys(&["Escape"]);
    tmux.wait_screen("the full-screen log closed", |s| !s.contains("line kept") && !s.contains("lines kept"));

    // The criterion's details list its link; `1` copies it (the tmux paste buffer here).
    tmux.keys(&["2"]);
    tmux.keys(&["Enter"]);
    tmux.wait_screen("the link in details", |s| s.contains("https://grafana.example/d/shop?api_key="));
    tmux.assert_hidden("the details view");
    assert!(tmux.screen().contains("api_key=‹API_TOKEN›"), "the link shows where the secret goes:\n{}", tmux.screen());
    tmux.keys(&["1"]);
    tmux.wait_screen("the copy's message", |s| s.contains("copied"));
    let copied = tmux.run(&["show-buffer"]);
    assert!(copied.contains("api_key=‹API_TOKEN›"), "the link was copied with the secret hidden: {copied:?}");
    assert!(!copied.contains(SECRET), "the clipboard carries the secret: {copied:?}");
    tmux.assert_hidden("the message line");
    tmux.keys(&["Escape"]);
    tmux.wait_screen("the details closed", |s| !s.contains("grafana.example"));
    tmux.keys(&["q"]);
    tmux.wait_screen("the console to quit", |s| s.contains("EXIT="));

    // Every byte the terminal received: hyperlink targets and OSC 52 included.
    let bytes = String::from_utf8_lossy(&std::fs::read(&typescript).unwrap()).into_owned();
    assert!(bytes.contains("‹API_TOKEN›"), "the recording holds the console's frames");
    assert!(!bytes.contains(SECRET), "the terminal received the secret (OSC 8 target, OSC 52 or text)");
    // A link with nothing hidden is still clickable; one holding a secret is plain text.
    assert!(bytes.contains("\x1b]8;;https://wiki.example/shop\x1b\\"), "the wiki link is an OSC 8 hyperlink");
    assert!(!bytes.contains("\x1b]8;;https://grafana.example"), "a link holding a secret is not a hyperlink");
    let written = std::fs::read_to_string(&journal).unwrap();
    assert!(!written.contains(SECRET), "the journal holds the secret:\n{written}");
    let report = Command::new(env!("CARGO_BIN_EXE_warroom"))
        .arg("report")
        .arg(&journal)
        .arg("--runbook")
        .arg(&runbook)
        .env("API_TOKEN", SECRET)
        .env("WARROOM_VAR_workdir", work.path())
        .output()
        .unwrap();
    let report = String::from_utf8_lossy(&report.stdout).into_owned() + &String::from_utf8_lossy(&report.stderr);
    assert!(report.contains("Secret vars"), "the report was written:\n{report}");
    assert!(!report.contains(SECRET), "the report holds the secret:\n{report}");
}

/// A var the runbook marks secret (`secret_vars`, its value written in
/// `[vars]`) is hidden the same way, as `‹var name›`: in the Logs pane, in a
/// log's details and in a link (drawn, copied, and not made a hyperlink).
#[test]
fn a_secret_vars_value_is_hidden_in_log_and_link_text() {
    const KEY: &str = "k3y-VALUE-0815";
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("rb.toml");
    let toml = format!(
        r#"[runbook]
id = "secretlist"
title = "Secret list"
secret_vars = ["key"]

[vars]
key = "{KEY}"

[[log]]
id = "app"
path = "/var/log/{{key}}/app.log"

[[criterion]]
id = "dash"
title = "Dashboard is green"
severity = "high"
on_fail = "evaluate"
links = [{{ title = "Dashboard", url = "https://grafana.example/d/shop?k={{key}}" }}]
"#
    );
    std::fs::write(&path, toml).unwrap();
    let rb = match warroom::cli::runbook_file::load(&path) {
        Ok(l) => l.runbook,
        Err(d) => panic!("the runbook does not load: {d:?}"),
    };
    let mut app = super::app_with(rb, "dark", ColorDepth::TrueColor, Layout::builtin("t0"), false);
    let screen = super::text(&super::draw(&mut app, 200, 50));
    assert!(screen.contains("/var/log/‹key›/app.log"), "{screen}");
    assert!(!screen.contains(KEY), "{screen}");

    let all = |lines: &[ratatui::text::Line]| lines.iter().map(|l| format!("{l}\n")).collect::<String>();
    let (_, log) = details::lines(&app, PaneId::Logs, 0);
    assert!(all(&log).contains("file /var/log/‹key›/app.log"), "{}", all(&log));
    let (_, crit) = details::lines(&app, PaneId::Checklist, 0);
    assert!(all(&crit).contains("https://grafana.example/d/shop?k=‹key›"), "{}", all(&crit));
    assert!(!all(&log).contains(KEY) && !all(&crit).contains(KEY), "{}{}", all(&log), all(&crit));

    let link = &links::of(&app, PaneId::Checklist, 0)[0];
    assert_eq!(links::hyperlink_target(&app, link), None, "a link holding a secret is not a hyperlink");
    let copied = links::open(&app, PaneId::Checklist, 0, 1);
    assert_eq!(copied, vec![Effect::Copy("https://grafana.example/d/shop?k=‹key›".into())]);
}

fn append(file: &Path, line: &str) {
    let mut f = std::fs::OpenOptions::new().append(true).open(file).unwrap();
    writeln!(f, "{line}").unwrap();
}

struct Tmux {
    socket: String,
}

impl Tmux {
    fn run(&self, args: &[&str]) -> String {
        let out = Command::new("tmux").arg("-L").arg(&self.socket).args(args).output().expect("tmux runs");
        String::from_utf8_lossy(&out.stdout).into_owned()
    }

    fn keys(&self, keys: &[&str]) {
        let mut args = vec!["send-keys", "-t", "s"];
        args.extend_from_slice(keys);
        self.run(&args);
    }

    fn screen(&self) -> String {
        self.run(&["capture-pane", "-p", "-t", "s"])
    }

    fn assert_hidden(&self, where_: &str) {
        let s = self.screen();
        assert!(!s.contains(SECRET), "{where_} shows the secret:\n{s}");
    }

    fn wait_screen(&self, what: &str, cond: impl Fn(&str) -> bool) -> String {
        let start = Instant::now();
        loop {
            let s = self.screen();
            if cond(&s) {
                return s;
            }
            assert!(start.elapsed() < Duration::from_secs(60), "timed out waiting for {what}; screen:\n{s}");
            std::thread::sleep(Duration::from_millis(50));
        }
    }
}

impl Drop for Tmux {
    fn drop(&mut self) {
        self.run(&["kill-server"]);
    }
}
