//! `warroom check` on every condition of the example table in Gatus's
//! README: each passes, except `[DOMAIN_EXPIRATION]`, refused with the
//! reason at its FILE:LINE:COL. Mistakes are placed at the character they
//! are about and say what to write instead.

use std::path::{Path, PathBuf};

/// The "Conditions" table of Gatus's README, as written there.
const README_TABLE: &[&str] = &[
    "[STATUS] == 200",
    "[STATUS] < 300",
    "[STATUS] <= 299",
    "[STATUS] > 400",
    "[STATUS] == any(200, 429)",
    "[CONNECTED] == true",
    "[RESPONSE_TIME] < 500",
    "[IP] == 127.0.0.1",
    "[BODY] == 1",
    "[BODY].user.name == john",
    "[BODY].data[0].id == 1",
    "[BODY].age == [BODY].id",
    "len([BODY].data) < 5",
    "len([BODY].name) == 8",
    "has([BODY].errors) == false",
    "has([BODY].users) == true",
    "[BODY].name == pat(john*)",
    "[BODY].id == any(1, 2)",
    "[CERTIFICATE_EXPIRATION] > 48h",
];

fn write(dir: &Path, body: &str) -> PathBuf {
    let p = dir.join("rb.toml");
    std::fs::write(&p, format!("[runbook]\nid = \"readme\"\n\n{body}")).unwrap();
    p
}

fn check(path: &Path) -> (i32, String, String) {
    let out = assert_cmd::Command::cargo_bin("warroom").unwrap().arg("check").arg(path).output().unwrap();
    (
        out.status.code().unwrap_or(-1),
        String::from_utf8_lossy(&out.stdout).into_owned(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

#[test]
fn every_readme_condition_passes_check() {
    let dir = tempfile::tempdir().unwrap();
    let mut body = String::new();
    for (i, c) in README_TABLE.iter().enumerate() {
        let url = if c.contains("CERTIFICATE") { "https://example.com/" } else { "http://127.0.0.1:8080/" };
        body.push_str(&format!("[[probe]]\nid = \"r{i}\"\nurl = \"{url}\"\nconditions = ['{c}']\n\n"));
    }
    let (code, stdout, stderr) = check(&write(dir.path(), &body));
    assert_eq!(code, 0, "{stdout}\n{stderr}");
    assert!(stdout.contains(&format!("{} probes", README_TABLE.len())), "{stdout}");
    assert!(!stderr.contains("warning"), "{stderr}");
}

#[test]
fn domain_expiration_and_dns_rcode_are_refused_with_the_reason_and_place() {
    let dir = tempfile::tempdir().unwrap();
    let body = "[[probe]]\nid = \"domain\"\nurl = \"https://example.com/\"\n\
                conditions = [\"[STATUS] == 200\", \"[DOMAIN_EXPIRATION] > 720h\"]\n\n\
                [[probe]]\nid = \"dns\"\nurl = \"https://example.com/\"\nconditions = ['[DNS_RCODE] == NOERROR']\n";
    let path = write(dir.path(), body);
    let (code, _, stderr) = check(&path);
    assert_eq!(code, 2, "{stderr}");
    let file = path.display();
    // Line 7 of the file; the placeholder starts at column 35 (inside the second string).
    assert!(
        stderr.contains(&format!("{file}:7:35: error: [[probe]] \"domain\": condition \"[DOMAIN_EXPIRATION] > 720h\": [DOMAIN_EXPIRATION] is not supported: it needs a WHOIS lookup")),
        "{stderr}"
    );
    assert!(stderr.contains("whois example.com"), "{stderr}");
    assert!(stderr.contains(&format!("{file}:12:16: error: [[probe]] \"dns\"")), "{stderr}");
    assert!(stderr.contains("no DNS probe kind") && stderr.contains("dig +short"), "{stderr}");
}

#[test]
fn mistakes_point_at_the_character_and_say_what_to_write() {
    let dir = tempfile::tempdir().unwrap();
    let body = "[[probe]]\nid = \"a\"\nurl = \"http://127.0.0.1:1/\"\n\
                conditions = [\"[STAUTS] == 200\", \"[STATUS] = 200\", \"[BODY].ok == \\\"yes\\\" or no\"]\n\n\
                [[probe]]\nid = \"b\"\ntcp = \"127.0.0.1:1\"\nconditions = [\"[STATUS] == 200\", \"[RESPONSE_TIME] < potato\"]\n";
    let path = write(dir.path(), body);
    let (code, _, stderr) = check(&path);
    assert_eq!(code, 2, "{stderr}");
    let file = path.display();
    for want in [
        format!("{file}:7:16: error: [[probe]] \"a\": condition \"[STAUTS] == 200\": unknown operand [STAUTS] (did you mean \"STATUS\"?)"),
        format!("{file}:7:44: error: [[probe]] \"a\": condition \"[STATUS] = 200\": = is not an operator: write [STATUS] == 200"),
        format!("{file}:7:74: error: [[probe]] \"a\": condition \"[BODY].ok == \"yes\" or no\": unexpected \"or no\" after the quoted text"),
        format!("{file}:12:15: error: [[probe]] \"b\": \"[STATUS] == 200\" uses [STATUS], which needs an HTTP probe (url); tcp probes take [CONNECTED], [IP] and [RESPONSE_TIME]"),
        format!("{file}:12:34: warning: [[probe]] \"b\": \"[RESPONSE_TIME] < potato\": potato is not a number or a duration, so it counts as 0 (as in Gatus)"),
    ] {
        assert!(stderr.contains(&want), "missing:\n{want}\nin:\n{stderr}");
    }
}
