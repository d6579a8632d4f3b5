//! `warroom check` as a user runs it, plus the promises the runbook format
//! makes about commands (S5) and the examples shipped in `examples/`.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::process::Command as StdCommand;

use assert_cmd::Command;
use proptest::prelude::*;
use warroom::cli::runbook_file;
use warroom::domain::runbook::{LogTarget, ProbeTarget};
use warroom::domain::vars::{effective_vars, render_command, render_text};

fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// Runs `warroom check` on `path` (relative to the crate root): (exit code, stdout, stderr).
fn check(path: &Path) -> (i32, String, String) {
    let out = Command::cargo_bin("warroom").unwrap().current_dir(root()).arg("check").arg(path).output().unwrap();
    (
        out.status.code().unwrap_or(-1),
        String::from_utf8_lossy(&out.stdout).into_owned(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

fn toml_files(dir: &str) -> Vec<PathBuf> {
    let mut files: Vec<PathBuf> = std::fs::read_dir(root().join(dir))
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|x| x == "toml"))
        .map(|p| p.strip_prefix(root()).unwrap().to_path_buf())
        .collect();
    files.sort();
    files
}

#[test]
fn examples_are_valid() {
    let files = toml_files("examples");
    assert!(files.len() >= 2, "{files:?}");
    for f in files {
        let (code, out, err) = check(&f);
        assert_eq!(code, 0, "{}:\n{err}", f.display());
        assert!(out.starts_with(&format!("{}: ok — ", f.display())), "{out}");
        assert!(out.contains(" phases, ") && out.contains(" criteria, "), "{out}");
    }
}

#[test]
fn golive_example_has_the_seed_shape() {
    let r = runbook_file::load(&root().join("examples/golive-platform.toml")).unwrap().runbook;
    let phases: Vec<&str> = r.phases.iter().map(|p| p.id.as_str()).collect();
    assert_eq!(phases, ["pre-deploy", "deploy", "validation", "decision"]);
    assert_eq!(r.criteria.len(), 14);
    assert_eq!(r.escalation.as_ref().unwrap().levels.len(), 3);
    let full = r.rollback("full").unwrap();
    assert_eq!(full.approvals, 2);
    for id in ["homepage", "login", "api", "db", "cron"] {
        assert!(r.probe(id).is_some(), "probe {id}");
    }
    assert!(matches!(r.probe("db").unwrap().target, ProbeTarget::Tcp { .. }));
    assert!(matches!(r.probe("cron").unwrap().target, ProbeTarget::Command { .. }));
    for l in &r.logs {
        let LogTarget::File { path } = &l.target else { panic!("{} should be a file", l.id) };
        assert!(path.starts_with("/tmp/warroom-example"), "{}", path.display());
    }
    for t in ["deploy-started", "deploy-done", "golive-confirmed", "rollback-done"] {
        assert!(r.template(t).is_some(), "template {t}");
    }
}

/// Every command in the go-live example runs here and succeeds, writing only
/// under the work folder it is given (FAIL=1 makes the preflight fail).
#[test]
fn golive_example_commands_run_harmlessly() {
    let r = runbook_file::load(&root().join("examples/golive-platform.toml")).unwrap().runbook;
    let work = tempfile::tempdir_in("/tmp").unwrap();
    let workdir = work.path().to_str().unwrap().to_string();
    let vars = effective_vars(&r.vars, |k| (k == "WARROOM_VAR_workdir").then(|| workdir.clone()));
    let mut commands: Vec<(String, String)> =
        r.steps.iter().filter_map(|s| s.run.as_ref().map(|c| (s.id.clone(), c.clone()))).collect();
    commands.extend(r.rollbacks.iter().map(|rb| (rb.id.clone(), rb.run.clone())));
    commands.extend(r.probes.iter().filter_map(|p| match &p.target {
        ProbeTarget::Command { run } => Some((p.id.clone(), run.clone())),
        _ => None,
    }));
    assert!(commands.len() >= 10);
    // Started together, then awaited: the scripts each sleep a second.
    let children: Vec<_> = commands
        .iter()
        .map(|(id, cmd)| {
            let line = render_command(cmd, &vars).unwrap();
            let child = StdCommand::new("/bin/sh")
                .arg("-c")
                .arg(&line)
                .current_dir(&r.dir)
                .env_remove("FAIL")
                .stdout(std::process::Stdio::piped())
                .stderr(std::process::Stdio::piped())
                .spawn()
                .unwrap();
            (id.clone(), line, child)
        })
        .collect();
    for (id, line, child) in children {
        let out = child.wait_with_output().unwrap();
        assert!(out.status.success(), "{id}: {line}\n{}", String::from_utf8_lossy(&out.stderr));
    }
    let backups: Vec<_> = std::fs::read_dir(work.path().join("backups")).unwrap().collect();
    assert_eq!(backups.len(), 1);
    let preflight = render_command(r.step("preflight").unwrap().run.as_ref().unwrap(), &vars).unwrap();
    let failed =
        StdCommand::new("/bin/sh").arg("-c").arg(&preflight).current_dir(&r.dir).env("FAIL", "1").output().unwrap();
    assert_eq!(failed.status.code(), Some(1));
}

/// `# expect: LINE:COL message` lines at the top of a fixture.
fn expectations(text: &str) -> Vec<(String, String)> {
    text.lines()
        .map_while(|l| l.strip_prefix("# expect: "))
        .map(|e| {
            let (pos, msg) = e.split_once(' ').unwrap();
            (pos.to_string(), msg.to_string())
        })
        .collect()
}

#[test]
fn invalid_fixtures_report_each_problem_where_it_is() {
    let files = toml_files("tests/fixtures/runbooks/invalid");
    assert!(files.len() >= 20, "{files:?}");
    for f in files {
        let text = std::fs::read_to_string(root().join(&f)).unwrap();
        let expected = expectations(&text);
        assert!(!expected.is_empty(), "{} has no # expect: line", f.display());
        let (code, out, err) = check(&f);
        assert_eq!(code, 2, "{}: {out}{err}", f.display());
        let error_lines: Vec<&str> = err.lines().filter(|l| l.contains(": error: ")).collect();
        for (pos, msg) in &expected {
            let prefix = format!("{}:{pos}: error: ", f.display());
            assert!(
                error_lines.iter().any(|l| l.starts_with(&prefix) && l.contains(msg.as_str())),
                "{}: expected {prefix}…{msg}\ngot:\n{err}",
                f.display()
            );
        }
        assert_eq!(error_lines.len(), expected.len(), "{}: one message per problem\n{err}", f.display());
        let n = expected.len();
        let summary = format!("{}: {n} error{}", f.display(), if n == 1 { "" } else { "s" });
        assert!(err.contains(&summary), "{err}");
    }
}

#[test]
fn mojibake_and_accents_are_kept() {
    let f = Path::new("tests/fixtures/runbooks/valid/mojibake.toml");
    let (code, out, err) = check(f);
    assert_eq!(code, 0, "{err}");
    assert!(out.contains("ok — 1 phase, 1 step"), "{out}");
    let r = runbook_file::load(&root().join(f)).unwrap().runbook;
    assert_eq!(r.title, "ViTo OPS ‚Äî Release, Patch & Incident Flow");
    assert_eq!(r.criteria[0].title, "üéØ Estabilidad > Velocidad — módulos habilitados ✓");
}

#[test]
fn non_utf8_empty_and_missing_files() {
    let dir = tempfile::tempdir().unwrap();
    let latin1 = dir.path().join("latin1.toml");
    std::fs::write(&latin1, b"[runbook]\nid = \"caf\xe9\"\n").unwrap();
    let (code, _, err) = check(&latin1);
    assert_eq!(code, 2);
    assert!(err.contains(&format!("{}:2:10: error: the file is not valid UTF-8", latin1.display())), "{err}");

    let empty = dir.path().join("empty.toml");
    std::fs::write(&empty, b"").unwrap();
    let (code, _, err) = check(&empty);
    assert_eq!(code, 2);
    assert!(err.contains(&format!("{}:1:1: error: the runbook is empty", empty.display())), "{err}");

    let missing = dir.path().join("nope.toml");
    let (code, _, err) = check(&missing);
    assert_eq!(code, 2);
    assert!(err.contains(&format!("{}: error: no such file", missing.display())), "{err}");
}

#[test]
fn world_writable_runbook_warns_but_passes() {
    use std::os::unix::fs::PermissionsExt;
    let dir = tempfile::tempdir().unwrap();
    let f = dir.path().join("open.toml");
    std::fs::write(&f, "[runbook]\nid = \"open\"\n").unwrap();
    std::fs::set_permissions(&f, std::fs::Permissions::from_mode(0o666)).unwrap();
    let (code, out, err) = check(&f);
    assert_eq!(code, 0, "{err}");
    assert!(err.contains("warning: the runbook is world-writable"), "{err}");
    assert!(out.contains("1 warning"), "{out}");
}

/// Values that try to break out of their quoting.
fn hostile_value() -> impl Strategy<Value = String> {
    let parts = prop::sample::select(vec![
        "$(touch pwn)",
        "`touch pwn2`",
        "';touch pwn3;'",
        "\"; touch pwn4; \"",
        "\n touch pwn5\n",
        "$HOME",
        "${IFS}",
        "\\",
        "'",
        "\"",
        "*",
        "&& touch pwn6",
        "| tee pwn7",
        "> pwn8",
        "{x}",
        "-n",
        " ",
    ]);
    (prop::collection::vec(parts, 0..6), "[^\u{0}]{0,12}").prop_map(|(p, tail)| format!("{}{tail}", p.concat()))
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(64))]

    /// S5: whatever a var holds, `printf %s {v}` prints exactly it and runs nothing.
    #[test]
    fn var_values_are_inert_in_commands(v in hostile_value()) {
        let dir = tempfile::tempdir().unwrap();
        let vars: BTreeMap<String, String> = [("v".to_string(), v.clone())].into();
        let line = render_command("printf %s {v}", &vars).unwrap();
        let out = StdCommand::new("/bin/sh").arg("-c").arg(&line).current_dir(dir.path()).output().unwrap();
        prop_assert!(out.status.success(), "{line}");
        prop_assert_eq!(String::from_utf8_lossy(&out.stdout).into_owned(), v);
        let created: Vec<_> = std::fs::read_dir(dir.path()).unwrap().collect();
        prop_assert!(created.is_empty(), "{line} created {created:?}");
    }

    /// S4: a value is substituted once and never read as a placeholder.
    #[test]
    fn substituted_text_is_not_read_again(v in hostile_value()) {
        let vars: BTreeMap<String, String> =
            [("v".to_string(), v.clone()), ("x".to_string(), "EXPANDED".to_string())].into();
        prop_assert_eq!(render_text("<{v}>", &vars).unwrap(), format!("<{v}>"));
    }
}

/// Runs `warroom check` on a runbook written to a temp file: (exit code, raw stdout + stderr).
fn check_text(text: &str) -> (i32, Vec<u8>) {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("hostile.toml");
    std::fs::write(&path, text).unwrap();
    let out = Command::cargo_bin("warroom").unwrap().arg("check").arg(&path).output().unwrap();
    let mut all = out.stdout;
    all.extend(out.stderr);
    (out.status.code().unwrap_or(-1), all)
}

#[test]
fn check_writes_no_escape_sequence_from_a_hostile_runbook() {
    // TOML escapes (raw controls are not allowed in TOML strings): each would
    // set the terminal's title or clipboard if written raw.
    let title = r"\u001b]0;owned\u0007";
    let clip = r"\u001b]52;c;ZWNobyBwd24=\u0007";
    let cases = [
        // Bad id: the error quotes it.
        format!("[runbook]\nid = \"x{title}{clip}\"\n"),
        // Good runbook, hostile title and unknown key: the summary and the warning show them.
        format!("[runbook]\nid = \"ok\"\ntitle = \"t{title}{clip}\"\n\"k{clip}\" = 1\n"),
        // A hostile reference: a step naming a phase that is not there.
        format!("[runbook]\nid = \"r\"\n[[phase]]\nid = \"p\"\ntitle = \"P\"\n[[step]]\nid = \"s\"\ntitle = \"S\"\nphase = \"q{title}\"\n"),
    ];
    for text in &cases {
        let (code, out) = check_text(text);
        assert_ne!(code, -1);
        assert!(!out.contains(&0x1b), "ESC written for {text:?}:\n{}", String::from_utf8_lossy(&out));
        assert!(!out.contains(&0x07), "BEL written for {text:?}:\n{}", String::from_utf8_lossy(&out));
        assert!(!out.is_empty());
    }
}

/// A program that is not there is a warning at `check` time, where it is
/// written — not exit 127 and "sh: helm: not found" in the middle of the go-live.
#[test]
fn commands_whose_program_is_missing_are_warned_about_with_their_position() {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("rb.toml");
    std::fs::write(
        &file,
        "[runbook]\nid = \"fixture\"\n[[step]]\nid = \"deploy\"\ntitle = \"Deploy\"\nrun = \"no-such-tool-xyz upgrade app\"\n\
         [[step]]\nid = \"migrate\"\ntitle = \"Migrate\"\nrun = \"./bin/migrate.sh\"\n\
         [[step]]\nid = \"fine\"\ntitle = \"Fine\"\nrun = \"sh -c true\"\n",
    )
    .unwrap();
    let out = Command::cargo_bin("warroom").unwrap().arg("check").arg(&file).output().unwrap();
    let err = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(0), "warnings only: {err}");
    let f = file.display();
    assert!(
        err.contains(&format!(
            "{f}:6:7: warning: [[step]] \"deploy\" runs \"no-such-tool-xyz\", which is not found on PATH: install it here or write its full path"
        )),
        "{err}"
    );
    assert!(
        err.contains(&format!(
            "{f}:10:7: warning: [[step]] \"migrate\" runs \"./bin/migrate.sh\", which is not found:"
        )),
        "{err}"
    );
    assert!(!err.contains("\"sh\""), "sh is on PATH: {err}");
    // Once the script is there and executable, the warning goes.
    std::fs::create_dir(dir.path().join("bin")).unwrap();
    let script = dir.path().join("bin/migrate.sh");
    std::fs::write(&script, "#!/bin/sh\n").unwrap();
    std::fs::set_permissions(&script, std::os::unix::fs::PermissionsExt::from_mode(0o755)).unwrap();
    let out = Command::cargo_bin("warroom").unwrap().arg("check").arg(&file).output().unwrap();
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(!err.contains("migrate.sh"), "{err}");
}

/// A var the runbook marks secret is never printed in an error about a value
/// it fills (docs/runbook-format.md, "Secrets"): `warroom check`'s output may
/// land in a CI log or a ticket, so the text is shown as written.
#[test]
fn errors_about_filled_values_never_print_a_secret_var() {
    const KEY: &str = "k3y-VALUE-0815";
    let dir = tempfile::tempdir().unwrap();
    let f = dir.path().join("rb.toml");
    let text = format!(
        "[runbook]\nid = \"s\"\nsecret_vars = [\"key\"]\n[vars]\nkey = \"{KEY}\"\n\
         [[probe]]\nid = \"db\"\ntcp = \"db.internal/{{key}}\"\n\
         [[step]]\nid = \"a\"\ntitle = \"A\"\nmanual = true\nlinks = [{{ title = \"Dash\", url = \"grafana/{{key}}\" }}]\n"
    );
    std::fs::write(&f, text).unwrap();
    let (code, out, err) = check(&f);
    assert_eq!(code, 2, "{out}{err}");
    assert!(err.contains("tcp = \"db.internal/{key}\""), "the probe's target as written:\n{err}");
    assert!(err.contains("url \"grafana/{key}\""), "the link as written:\n{err}");
    assert!(!err.contains(KEY) && !out.contains(KEY), "the secret var's value was printed:\n{out}{err}");
}
