use std::path::Path;

use proptest::prelude::*;

use super::*;
use crate::domain::diagnostic::Diagnostic;
use crate::domain::duration::Dur;
use crate::domain::runbook::*;

const FORMAT_EXAMPLE: &str = r#"
[runbook]
id = "golive-platform"
title = "Go-live — platform"
timezone = "Europe/Madrid"

[vars]
site = "https://example.test"
backup_ts = "none"
commit = "abc123"

[[phase]]
id = "deploy"
title = "Deploy (T-0)"

[[step]]
id = "preflight"
phase = "deploy"
title = "Preflight checks"
run = "./scripts/golive/01_preflight_checks.sh"
timeout = "5m"
on_fail = "stop"

[[step]]
id = "announce"
phase = "deploy"
title = "Tell the team"
manual = true

[[probe]]
id = "homepage"
url = "{site}/"
method = "GET"
headers = { Authorization = "env:HEALTH_TOKEN" }
every = "10s"
timeout = "3s"
conditions = ["[STATUS] == 200", "[RESPONSE_TIME] < 3000", "[BODY] contains \"Welcome\""]
failure_threshold = 3
success_threshold = 2

[[probe]]
id = "db"
tcp = "db.internal:3306"
every = "10s"
timeout = "2s"

[[probe]]
id = "cron"
command = "drush core:cron-status --format=string"
every = "1m"
timeout = "20s"

[[log]]
id = "php-errors"
path = "/var/log/php-errors.log"
error = "(?i)\\b(error|fatal|critical)\\b"
warn  = "(?i)\\bwarn(ing)?\\b"

[[log]]
id = "api-pods"
command = "kubectl logs -f deploy/api -n prod --since=10m"
error = "(?i)\\b(error|panic)\\b"

[[criterion]]
id = "homepage-200"
title = "Homepage answers HTTP 200"
severity = "critical"
on_fail = "rollback"
auto = { probe = "homepage" }

[[criterion]]
id = "fast"
title = "Fast"
severity = "high"
auto = { probe = "homepage", max_p95 = "3s", window = "5m" }

[[criterion]]
id = "no-errors"
title = "No PHP errors"
severity = "medium"
on_fail = "fix-async"
auto = { log = "php-errors", max_errors = 0, window = "10m" }

[[criterion]]
id = "preflight-ok"
title = "Preflight 0 FAIL"
severity = "critical"
auto = { step = "preflight" }

[escalation]
start = "on_incident"
[[escalation.level]]
name = "L1"
who = "Dev on-call"
respond_within = "30m"
when = "Isolated warning"
[[escalation.level]]
name = "L2"
who = "Dev Lead + DevOps"
respond_within = "15m"

[[rollback]]
id = "full"
title = "Automated rollback to pre-deploy backup"
run = "./scripts/golive/03_rollback.sh {backup_ts} --force"
confirm = "type"
approvals = 2
timeout = "15m"

[[trigger]]
id = "site-down"
when = { probe = "homepage", down_for = "5m" }
propose = "full"

[[trigger]]
id = "error-storm"
when = { log = "php-errors", errors_per_min = 50, for = "2m" }
propose = "full"

[[template]]
id = "deploy-done"
title = "Deploy completed"
text = """
[GO-LIVE] Deploy COMPLETED
Time: {now:%H:%M %Z}
Commit: {vars.commit}
Validation: {checklist.summary}
"""
"#;

fn load(text: &str) -> Result<Loaded, Vec<Diagnostic>> {
    load_bytes(Path::new("rb/x.toml"), text.as_bytes())
}

fn errors(text: &str) -> Vec<String> {
    match load(text) {
        Ok(l) => panic!("expected errors, loaded {} with {:?}", l.runbook.id, l.warnings),
        Err(d) => d.iter().map(|d| d.to_string()).collect(),
    }
}

/// Replaces `from` in the format example (which must contain it once).
fn spec_with(from: &str, to: &str) -> String {
    assert_eq!(FORMAT_EXAMPLE.matches(from).count(), 1, "{from}");
    FORMAT_EXAMPLE.replace(from, to)
}

#[test]
fn loads_the_spec_example_fully() {
    let l = load(FORMAT_EXAMPLE).unwrap_or_else(|d| panic!("{d:#?}"));
    let r = &l.runbook;
    assert!(l.warnings.is_empty(), "{:?}", l.warnings);
    assert_eq!(r.dir, Path::new("rb"));
    assert_eq!((r.id.as_str(), r.title.as_str()), ("golive-platform", "Go-live — platform"));
    assert_eq!(r.timezone, Some(chrono_tz::Europe::Madrid));
    assert_eq!(r.phases.len(), 1);
    assert_eq!(r.steps.len(), 2);
    assert!(r.steps[1].manual && r.steps[1].run.is_none());
    assert_eq!(r.steps[0].timeout, Some(Dur::from_secs(300)));
    let home = r.probe("homepage").unwrap();
    assert_eq!(home.conditions.len(), 3);
    assert_eq!((home.every, home.timeout), (Dur::from_secs(10), Dur::from_secs(3)));
    match &home.target {
        ProbeTarget::Http { url, method, headers, .. } => {
            assert_eq!((url.as_str(), method.as_str()), ("{site}/", "GET"));
            assert_eq!(headers, &vec![("Authorization".to_string(), HeaderValue::Env("HEALTH_TOKEN".into()))]);
        }
        other => panic!("{other:?}"),
    }
    assert!(matches!(r.probe("db").unwrap().target, ProbeTarget::Tcp { .. }));
    assert!(matches!(r.probe("cron").unwrap().target, ProbeTarget::Command { .. }));
    assert_eq!(r.probe("cron").unwrap().title, "cron");
    assert!(r.log("php-errors").unwrap().error.as_ref().unwrap().is_match("PHP Fatal error"));
    assert_eq!(r.log("php-errors").unwrap().buffer, 10_000);
    assert!(matches!(r.log("api-pods").unwrap().target, LogTarget::Command { .. }));
    assert_eq!(r.criteria.len(), 4);
    assert_eq!(r.criterion("fast").unwrap().on_fail, CriterionOnFail::Evaluate);
    assert_eq!(
        r.criterion("fast").unwrap().auto,
        Some(AutoBinding::Probe {
            probe: "homepage".into(),
            max_p95: Some(Dur::from_secs(3)),
            window: Some(Dur::from_secs(300))
        })
    );
    assert_eq!(r.criterion("preflight-ok").unwrap().on_fail, CriterionOnFail::Rollback);
    let esc = r.escalation.as_ref().unwrap();
    assert_eq!(esc.levels.len(), 2);
    assert_eq!(esc.levels[0].when.as_deref(), Some("Isolated warning"));
    assert_eq!(r.rollback("full").unwrap().approvals, 2);
    assert_eq!(
        r.trigger("error-storm").unwrap().when,
        TriggerWhen::LogErrorRate { log: "php-errors".into(), errors_per_min: 50, for_: Dur::from_secs(120) }
    );
    assert!(r.template("deploy-done").unwrap().text.contains("{vars.commit}"));
}

#[test]
fn defaults_are_applied() {
    let l = load(
        "[runbook]\nid = \"mini\"\n[[step]]\nid = \"a\"\ntitle = \"A\"\nrun = \"true\"\n\
         [[probe]]\nid = \"p\"\nurl = \"http://127.0.0.1:1/\"\n[[rollback]]\nid = \"r\"\ntitle = \"R\"\nrun = \"true\"\n",
    )
    .unwrap();
    let r = l.runbook;
    assert_eq!(r.title, "mini");
    assert_eq!(r.dir, Path::new("rb"));
    assert_eq!(r.phases[0].id, IMPLICIT_PHASE);
    assert_eq!(r.steps[0].phase, IMPLICIT_PHASE);
    assert_eq!(r.steps[0].on_fail, StepOnFail::Stop);
    let p = &r.probes[0];
    assert_eq!(
        (p.every, p.timeout, p.failure_threshold, p.success_threshold),
        (Dur::from_secs(30), Dur::from_secs(10), 3, 2)
    );
    assert_eq!(p.conditions[0].text, "[STATUS] < 400");
    assert_eq!((r.rollbacks[0].confirm, r.rollbacks[0].approvals), (Confirm::Type, 1));
    let bare = load_bytes(Path::new("x.toml"), b"[runbook]\nid = \"a\"\n").unwrap();
    assert_eq!(bare.runbook.dir, Path::new("."));
}

#[test]
fn positions_point_at_the_value() {
    let e = errors(&spec_with(
        "severity = \"critical\"\non_fail = \"rollback\"",
        "severity = \"urgent\"\non_fail = \"rollback\"",
    ));
    assert_eq!(e.len(), 1, "{e:?}");
    let line = FORMAT_EXAMPLE.lines().position(|l| l.contains("severity = \"critical\"")).unwrap() + 1;
    assert!(e[0].starts_with(&format!("rb/x.toml:{line}:12: error: unknown severity \"urgent\"")), "{}", e[0]);
    assert!(e[0].contains("critical, high, medium"), "{}", e[0]);
}

#[test]
fn reports_every_problem() {
    let bad = FORMAT_EXAMPLE
        .replace("timeout = \"5m\"", "timeout = \"5 minutes\"")
        .replace("every = \"1m\"", "evry = \"1m\"")
        .replace("(?i)\\\\b(error|panic)\\\\b", "(unclosed")
        .replace("auto = { step = \"preflight\" }", "auto = { step = \"prefligth\" }")
        .replace("propose = \"full\"\n\n[[template]]", "propose = \"fulll\"\n\n[[template]]")
        .replace("Commit: {vars.commit}", "Commit: {vars.comit}")
        .replace("id = \"db\"", "id = \"homepage\"")
        .replace("timezone = \"Europe/Madrid\"", "timezone = \"Europe/Madird\"")
        .replace("id = \"announce\"", "id = \"Announce Now\"");
    let e = errors(&bad);
    let all = e.join("\n");
    for needle in [
        "bad duration \"5 minutes\"",
        "unknown field \"evry\" in [[probe]] \"cron\" (did you mean \"every\"?)",
        "bad regex in error of [[log]] \"api-pods\"",
        "unknown step \"prefligth\" (did you mean \"preflight\"?)",
        "unknown rollback \"fulll\"",
        "declare \"comit\" in [vars] (did you mean \"commit\"?)",
        "duplicate probe id \"homepage\" (first declared on line",
        "unknown timezone \"Europe/Madird\" (did you mean \"Europe/Madrid\"?)",
        "bad id \"Announce Now\"",
    ] {
        assert!(all.contains(needle), "missing {needle:?} in:\n{all}");
    }
    assert_eq!(e.iter().filter(|l| l.contains(": error: ")).count(), 9, "{all}");
}

#[test]
fn required_and_exclusive_fields() {
    let e = errors(
        "[runbook]\ntitle = \"x\"\n[[probe]]\nid = \"p\"\nurl = \"http://a/\"\ntcp = \"a:1\"\n[[log]]\nid = \"l\"\n",
    );
    let all = e.join("\n");
    assert!(all.contains("missing required field \"id\" in [runbook]"), "{all}");
    assert!(all.contains("has url and tcp: give exactly one of url, tcp, command"), "{all}");
    assert!(all.contains("[[log]] \"l\" needs one of path, command"), "{all}");
}

#[test]
fn placeholders_in_commands_must_be_declared() {
    let e = errors(&spec_with("03_rollback.sh {backup_ts}", "03_rollback.sh {backup_stamp}"));
    assert!(e.iter().any(|l| l.contains("unknown variable {backup_stamp}")), "{e:?}");
    // Shell's own ${VAR} and awk braces are not placeholders.
    let ok = spec_with("01_preflight_checks.sh\"", "01_preflight_checks.sh ${HOME} | awk '{print $1}'\"");
    assert!(load(&ok).is_ok());
}

#[test]
fn unused_vars_warn() {
    let l = load(&spec_with("commit = \"abc123\"", "commit = \"abc123\"\nspare = \"1\"")).unwrap();
    assert_eq!(l.warnings.len(), 1);
    assert!(l.warnings[0].to_string().contains("var \"spare\" is never used"), "{:?}", l.warnings);
}

#[test]
fn text_is_kept_as_written() {
    let title = "Procedimientos est谩ndar ‚Äî café 🚀 Ã©";
    let l = load(&spec_with("title = \"Go-live — platform\"", &format!("title = \"{title}\""))).unwrap();
    assert_eq!(l.runbook.title, title);
}

#[test]
fn bad_bytes_empty_and_syntax() {
    let mut bytes = b"[runbook]\nid = \"a\"\ntitle = \"caf".to_vec();
    bytes.extend_from_slice(&[0xE9, b'"', b'\n']);
    let e = load_bytes(Path::new("f.toml"), &bytes).unwrap_err();
    assert_eq!((e[0].line, e[0].col), (3, 13));
    assert!(e[0].message.contains("not valid UTF-8"));
    for empty in ["", "  \n", "# only a comment\n"] {
        let e = errors(empty);
        assert!(e[0].contains("the runbook is empty"), "{e:?}");
    }
    let e = errors("[runbook]\nid = \"a\"\ntitle = \"open\n[[step]]\nid = 3 3\n");
    assert!(e.len() >= 2, "{e:?}");
    assert!(e[0].starts_with("rb/x.toml:3:"), "{e:?}");
}

#[test]
fn wrong_shapes_are_explained() {
    let e = errors("[runbook]\nid = \"a\"\n[probe]\nid = \"p\"\n[[stpe]]\nid = \"x\"\n");
    let all = e.join("\n");
    assert!(all.contains("write [[probe]]"), "{all}");
    assert!(all.contains("unknown section \"stpe\" (did you mean \"step\"?)"), "{all}");
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(256))]
    #[test]
    fn random_text_never_panics(s in "\\PC{0,200}") {
        let _ = load(&s);
    }

    #[test]
    fn random_bytes_never_panic(b in proptest::collection::vec(any::<u8>(), 0..200)) {
        let _ = load_bytes(Path::new("x.toml"), &b);
    }

    #[test]
    fn mutated_example_never_panics(pos in 0usize..4000, len in 0usize..40, insert in "[\\[\\]{}=\"a-z0-9 \n.,#:-]{0,12}") {
        let mut t = FORMAT_EXAMPLE.to_string();
        let mut p = pos.min(t.len());
        while !t.is_char_boundary(p) { p -= 1; }
        let mut end = (p + len).min(t.len());
        while !t.is_char_boundary(end) { end -= 1; }
        t.replace_range(p..end, &insert);
        let _ = load(&t);
    }
}

#[test]
fn template_time_formats_and_blind_log_criteria() {
    let e = errors(&spec_with("Time: {now:%H:%M %Z}", "Time: {now:%H:%Q}"));
    assert!(e.iter().any(|l| l.contains("bad time format in {now:%H:%Q}")), "{e:?}");
    let l = load(&spec_with("error = \"(?i)\\\\b(error|fatal|critical)\\\\b\"\n", "")).unwrap();
    let w: Vec<String> = l.warnings.iter().map(|d| d.to_string()).collect();
    assert_eq!(w.len(), 2, "{w:?}");
    assert!(w[0].contains("[[criterion]] \"no-errors\" counts errors of [[log]] \"php-errors\""), "{w:?}");
    let e = errors("[runbook]\nid = \"a\"\n[escalation]\nlevel = []\n");
    assert!(e[0].contains("needs at least one"), "{e:?}");
}

#[test]
fn secrets_and_log_bytes_are_read_and_checked() {
    let ok = load(
        "[runbook]\nid = \"s\"\nsecret_vars = [\"pw\"]\nredact = [\"ghp_[a-z]+\"]\n[vars]\npw = \"x\"\n\
         [[log]]\nid = \"app\"\npath = \"a.log\"\nbuffer_bytes = 1048576\n",
    )
    .unwrap()
    .runbook;
    assert!(ok.secret_vars.contains("pw"));
    assert_eq!(ok.redact.len(), 1);
    assert_eq!(ok.logs[0].buffer_bytes, 1 << 20);
    let default = load("[runbook]\nid = \"s\"\n[[log]]\nid = \"app\"\npath = \"a.log\"\n").unwrap().runbook;
    assert_eq!(default.logs[0].buffer_bytes, LOG_BUFFER_BYTES);

    let errs = errors(
        "[runbook]\nid = \"s\"\nsecret_vars = [\"pww\"]\nredact = [\"(\", \"a*\", \"\"]\n[vars]\npw = \"x\"\n\
         [[log]]\nid = \"app\"\npath = \"a.log\"\nbuffer_bytes = 10\n",
    );
    let all = errs.join("\n");
    assert!(all.contains("secret_vars names \"pww\", which is not in [vars] (did you mean \"pw\"?)"), "{all}");
    assert!(all.contains("bad regex in redact"), "{all}");
    assert!(all.contains("matches empty text"), "{all}");
    assert!(all.contains("empty redact pattern"), "{all}");
    assert!(all.contains("buffer_bytes in [[log]] \"app\" must be a whole number ≥ 65536"), "{all}");
    // Each at its own value: secret_vars on line 3, the patterns on line 4, buffer_bytes on line 10.
    let at =
        |needle: &str| errs.iter().find(|e| e.contains(needle)).map(|e| e.split(':').nth(1).unwrap_or("").to_string());
    assert_eq!(at("pww").as_deref(), Some("3"));
    assert_eq!(at("unclosed group").as_deref(), Some("4"));
    assert_eq!(at("buffer_bytes").as_deref(), Some("10"));
}

#[test]
fn roles_and_role_lists_load_with_their_defaults() {
    let text = r#"
[runbook]
id = "r"
sign = true

[[role]]
id = "devops"
title = "DevOps"
members = ["ana", "user:bob", "SHA256:AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA"]

[[role]]
id = "lead"
members = ["marta"]

[decision]
by = ["lead"]

[[step]]
id = "s"
title = "S"
run = "true"
by = ["devops"]

[[rollback]]
id = "two"
title = "Two"
run = "true"
approvals = 2
approve = ["devops", "lead"]
fire = ["devops"]

[[rollback]]
id = "keys"
title = "Keys"
run = "true"
approvals = 3
distinct = "key"
"#;
    let rb = load(text).unwrap().runbook;
    assert!(rb.access.sign);
    assert_eq!(rb.access.roles.len(), 2);
    assert_eq!(rb.access.role("lead").unwrap().title, "lead", "title defaults to the id");
    assert_eq!(rb.access.decision_by, vec!["lead"]);
    assert_eq!(rb.step("s").unwrap().by, vec!["devops"]);
    let two = rb.rollback("two").unwrap();
    assert_eq!((two.approve.len(), two.fire.len(), two.distinct), (2, 1, crate::domain::runbook::Distinct::User));
    assert_eq!(rb.rollback("keys").unwrap().distinct, crate::domain::runbook::Distinct::Key);
}

#[test]
fn distinct_without_two_approvals_warns() {
    let text =
        "[runbook]\nid = \"r\"\n\n[[rollback]]\nid = \"one\"\ntitle = \"One\"\nrun = \"true\"\ndistinct = \"user\"\n";
    let loaded = load(text).unwrap();
    assert!(
        loaded.warnings.iter().any(|w| w.message.contains("has no effect: it needs approvals = 2")),
        "{:?}",
        loaded.warnings
    );
}

/// `WARROOM_VAR_<name>` (and a var's `env:NAME`) reach what the loader fills:
/// the log path followed, and a link's URL; `Runbook.vars` keeps what is written.
#[test]
fn log_paths_and_links_are_filled_with_the_overrides_passed() {
    let text = "[runbook]\nid = \"s\"\n[vars]\nworkdir = \"/nonexistent\"\nlogs = \"env:LOG_DIR\"\n\
                dash = \"https://grafana.example\"\n\
                [[log]]\nid = \"app\"\npath = \"{workdir}/app.log\"\n\
                [[log]]\nid = \"audit\"\npath = \"{logs}/audit.log\"\n\
                [[log]]\nid = \"rel\"\npath = \"{logs}\"\n\
                [[step]]\nid = \"look\"\ntitle = \"Look\"\nmanual = true\n\
                links = [{ title = \"Board\", url = \"{dash}/d/1\" }]\n";
    let paths = |rb: &Runbook| -> Vec<String> {
        rb.logs
            .iter()
            .map(|l| match &l.target {
                LogTarget::File { path } => path.display().to_string(),
                LogTarget::Command { run } => run.clone(),
            })
            .collect()
    };
    let env = |k: &str| match k {
        "WARROOM_VAR_workdir" => Some("/tmp/x".to_string()),
        "WARROOM_VAR_DASH" => Some("https://other.example".to_string()),
        "LOG_DIR" => Some("/var/log/shop".to_string()),
        _ => None,
    };
    let over = load_bytes_with_env(Path::new("rb/x.toml"), text.as_bytes(), &env).unwrap().runbook;
    assert_eq!(paths(&over), ["/tmp/x/app.log", "/var/log/shop/audit.log", "/var/log/shop"]);
    assert_eq!(over.steps[0].links[0].url, "https://other.example/d/1");
    assert_eq!(over.vars["workdir"], "/nonexistent", "vars stay as written");

    // Without the environment: the declared values (an unset env:NAME is empty).
    let e = errors(text);
    assert_eq!(e.len(), 1, "{e:?}");
    assert!(
        e[0].starts_with("rb/x.toml:15:8: error: path in [[log]] \"rel\" is empty once its vars are filled"),
        "{e:?}"
    );
    let text = text.replace("path = \"{logs}\"", "path = \"logs/{workdir}\"");
    let plain = load(&text).unwrap().runbook;
    assert_eq!(paths(&plain), ["/nonexistent/app.log", "/audit.log", "rb/logs//nonexistent"]);
    assert_eq!(plain.steps[0].links[0].url, "https://grafana.example/d/1");
}

/// Probe targets are checked as they will be used: a value known only on the
/// day (or read from `env:NAME`) passes when the environment gives a good one,
/// and a message that depends on the environment shows the text as written,
/// never the value (it may be a secret).
#[test]
fn probe_targets_are_checked_with_the_overrides_passed() {
    let text = "[runbook]\nid = \"s\"\n[vars]\nsite = \"env:SITE\"\nhost = \"TBD\"\n\
                [[probe]]\nid = \"home\"\nurl = \"{site}/health\"\n\
                [[probe]]\nid = \"db\"\ntcp = \"{host}\"\n";
    let good = |k: &str| match k {
        "SITE" => Some("https://shop.example".to_string()),
        "WARROOM_VAR_host" => Some("db.internal:5432".to_string()),
        _ => None,
    };
    let rb = load_bytes_with_env(Path::new("rb/x.toml"), text.as_bytes(), &good).unwrap().runbook;
    assert!(matches!(&rb.probes[0].target, ProbeTarget::Http { url, .. } if url == "{site}/health"), "kept as written");

    let bad = |k: &str| match k {
        "SITE" => Some("shop.example token=s3cret".to_string()),
        "WARROOM_VAR_host" => Some("db.internal".to_string()),
        _ => None,
    };
    let e: Vec<String> = load_bytes_with_env(Path::new("rb/x.toml"), text.as_bytes(), &bad)
        .unwrap_err()
        .iter()
        .map(|d| d.to_string())
        .collect();
    assert_eq!(
        e,
        [
            "rb/x.toml:8:7: error: url \"{site}/health\" (as filled from the environment) in [[probe]] \"home\" \
             must start with http:// or https://",
            "rb/x.toml:11:7: error: tcp = \"{host}\" (as filled from the environment) in [[probe]] \"db\" must be \
             host:port, like \"db.internal:3306\"",
        ]
    );
    // Without the environment the written value is checked, and shown.
    let e = errors(text);
    assert!(e[1].contains("tcp = \"TBD\" in [[probe]] \"db\""), "{e:?}");
}
