//! `warroom check` on the new keys: every problem at FILE:LINE:COL, exit 2.

use std::process::Command;

#[test]
fn check_places_bad_channels_send_on_links_and_offsets() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("bad.toml");
    let text = r#"[runbook]
id = "bad"
t0 = "someday"

[[phase]]
id = "p"
title = "P"
at = "T7d"

[[criterion]]
id = "c"
title = "C"
severity = "high"
valid_for = "soon"
links = [{ title = "Dash", url = "ftp://x" }]

[[channel]]
id = "golive"
kind = "teams"
url = "env:"

[[template]]
id = "t"
title = "T"
text = "x"
send_to = ["nowhere"]
send_on = ["decision.recorded", "deploy.done"]
"#;
    std::fs::write(&path, text).unwrap();
    let out = Command::new(env!("CARGO_BIN_EXE_warroom")).arg("check").arg(&path).output().unwrap();
    assert_eq!(out.status.code(), Some(2));
    let err = String::from_utf8_lossy(&out.stdout).to_string() + &String::from_utf8_lossy(&out.stderr);
    let p = path.display().to_string();
    for (line, what) in [
        (3, "t0 in [runbook]"),
        (8, "not an offset from T-0"),
        (14, "valid_for"),
        (15, "not a usable http(s) URL"),
        (19, "unknown kind \"teams\""),
        (20, "env:NAME"),
        (26, "unknown channel \"nowhere\""),
        (27, "\"deploy.done\" is not a journal event kind"),
    ] {
        assert!(
            err.lines().any(|l| l.starts_with(&format!("{p}:{line}:")) && l.contains(what)),
            "no {what:?} at line {line}:\n{err}"
        );
    }
}

#[test]
fn check_counts_channels_in_its_summary() {
    let fixture = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/channels.toml");
    let out = Command::new(env!("CARGO_BIN_EXE_warroom")).arg("check").arg(&fixture).output().unwrap();
    let text = String::from_utf8_lossy(&out.stdout);
    assert_eq!(out.status.code(), Some(0), "{text}");
    assert!(text.contains("2 severities, 0 shifts, 2 channels"), "{text}");
}
