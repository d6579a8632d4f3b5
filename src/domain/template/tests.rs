use std::collections::BTreeMap;
use std::path::Path;

use proptest::prelude::*;

use super::*;
use crate::domain::event::{Decision, EventKind, MarkSource, ProbeHealth, RunOutcome, Verdict};
use crate::domain::fixtures::{opened, session, t};
use crate::domain::loader::load_bytes;
use crate::domain::runbook::Runbook;

const RUNBOOK: &str = r#"
[runbook]
id = "golive"
title = "Go-live — platform"
timezone = "Europe/Madrid"

[vars]
commit = "abc123"
site = "https://example.test"

[[phase]]
id = "deploy"
title = "Deploy"

[[step]]
id = "preflight"
title = "Step preflight"
phase = "deploy"
run = "true"

[[step]]
id = "db-updates"
title = "Step db-updates"
phase = "deploy"
run = "true"

[[step]]
id = "smoke"
title = "Step smoke"
phase = "deploy"
run = "true"

[[probe]]
id = "homepage"
url = "{site}/"

[[probe]]
id = "api"
url = "{site}/api"

[[probe]]
id = "db"
tcp = "db:3306"

[[criterion]]
id = "homepage-200"
title = "Criterion homepage-200"
severity = "critical"
on_fail = "rollback"

[[criterion]]
id = "login"
title = "Criterion login"
severity = "critical"
on_fail = "rollback"

[[criterion]]
id = "search"
title = "Criterion search"
severity = "high"
on_fail = "evaluate"

[[criterion]]
id = "emails"
title = "Criterion emails"
severity = "medium"
on_fail = "monitor"

[[criterion]]
id = "banner"
title = "Criterion banner"
severity = "medium"
on_fail = "fix-async"

[escalation]
[[escalation.level]]
name = "L1"
who = "Dev on-call"
respond_within = "30m"
[[escalation.level]]
name = "L2"
who = "Dev Lead + DevOps"
respond_within = "15m"

[[template]]
id = "done"
title = "Deploy completed"
text = "Commit: {vars.commit}"

[[rollback]]
id = "full"
title = "Full rollback"
run = "./rollback.sh"
approvals = 2
distinct = "operator"  # the events below are folded by name only
"#;

fn rb() -> Runbook {
    match load_bytes(Path::new("golive.toml"), RUNBOOK.as_bytes()) {
        Ok(l) => l.runbook,
        Err(d) => panic!("fixture runbook must load: {d:?}"),
    }
}

fn mark(c: &str, v: Verdict) -> EventKind {
    EventKind::CriterionMarked { criterion: c.into(), verdict: v, note: None, source: MarkSource::Manual, cause: None }
}

fn busy_session() -> Vec<(i64, &'static str, EventKind)> {
    vec![
        (0, "ana@bastion", opened()),
        (60, "ana@bastion", mark("homepage-200", Verdict::Fail)),
        (61, "bob@bastion", mark("login", Verdict::Pass)),
        (62, "bob@bastion", mark("emails", Verdict::Na)),
        (63, "bob@bastion", mark("search", Verdict::Pass)),
        (70, "warroom", EventKind::ProbeChanged { probe: "homepage".into(), health: ProbeHealth::Down, cause: None }),
        (71, "warroom", EventKind::ProbeChanged { probe: "api".into(), health: ProbeHealth::Up, cause: None }),
        (
            80,
            "ana@bastion",
            EventKind::StepStarted { step: "preflight".into(), run: 1, command: "true".into(), output: "o".into() },
        ),
        (
            92,
            "ana@bastion",
            EventKind::StepFinished {
                step: "preflight".into(),
                run: 1,
                outcome: RunOutcome::Ok,
                exit_code: Some(0),
                signal: None,
                duration_ms: 12_300,
                error: None,
            },
        ),
        (
            100,
            "ana@bastion",
            EventKind::StepStarted { step: "db-updates".into(), run: 1, command: "true".into(), output: "o".into() },
        ),
        (
            130,
            "ana@bastion",
            EventKind::StepFinished {
                step: "db-updates".into(),
                run: 1,
                outcome: RunOutcome::Failed,
                exit_code: Some(3),
                signal: None,
                duration_ms: 30_000,
                error: None,
            },
        ),
        (200, "ana@bastion", EventKind::IncidentDeclared { level: "L1".into(), summary: Some("homepage 503".into()) }),
        (
            300,
            "bob@bastion",
            EventKind::DecisionRecorded {
                decision: Decision::Rollback,
                reason: "homepage {down} [red] %s".into(),
                recommendation: None,
                overrides: vec![],
                supersedes: None,
            },
        ),
        (310, "bob@bastion", EventKind::RollbackApproved { rollback: "full".into() }),
    ]
}

fn render_at(text: &str, events: &[(i64, &str, EventKind)], now: i64) -> String {
    let rb = rb();
    let st = session(events);
    let vars: BTreeMap<String, String> = rb.vars.clone();
    render(text, &Context { runbook: &rb, state: &st, now: t(now), operator: "ana@bastion", vars: &vars })
}

#[test]
fn the_spec_example_fills_in() {
    let text =
        "[GO-LIVE] Deploy COMPLETED\nTime: {now:%H:%M %Z}\nCommit: {vars.commit}\nValidation: {checklist.summary}\n";
    let out = render_at(text, &busy_session(), 600);
    // t(600) = 06:10 UTC = 07:10 CET in February.
    assert_eq!(
        out,
        "[GO-LIVE] Deploy COMPLETED\nTime: 07:10 CET\nCommit: abc123\n\
         Validation: 2/5 PASS, 1 FAIL (critical: homepage-200), 1 N/A, 1 PENDING\n"
    );
}

#[test]
fn every_session_root_has_a_value() {
    let ev = busy_session();
    let cases = [
        ("{now}", "2026-02-12 07:10 CET"),
        ("{now.utc}", "2026-02-12 06:10 UTC"),
        ("{now.utc:%H:%M}", "06:10"),
        ("{operator}", "ana@bastion"),
        ("{operator.all}", "ana@bastion, bob@bastion, warroom"),
        ("{runbook}", "Go-live — platform"),
        ("{runbook.id}", "golive"),
        ("{runbook.timezone}", "Europe/Madrid"),
        ("{commit}", "abc123"),
        ("{checklist.failing}", "homepage-200 (critical)"),
        ("{checklist.pending}", "banner"),
        ("{checklist.pass}/{checklist.fail}/{checklist.na}/{checklist.total}", "2/1/1/5"),
        ("{decision}", "ROLLBACK"),
        ("{decision.by}", "bob@bastion"),
        ("{decision.at:%H:%M}", "07:05"),
        ("{incident}", "L1 (Dev on-call), 06:40 since declared"),
        ("{incident.level} {incident.who}", "L1 Dev on-call"),
        ("{incident.since:%H:%M:%S %Z}", "07:03:20 CET"),
        ("{incident.elapsed}", "06:40"),
        ("{incident.countdown}", "23:20"),
        ("{incident.status}", "RUNNING"),
        ("{incident.summary}", "homepage 503"),
        ("{probes}", "1 UP, 1 DOWN (homepage), 1 not checked"),
        ("{probes.down}", "homepage"),
        ("{steps}", "1/3 done, 1 failed (db-updates), 1 not started"),
        ("{steps.failed}", "db-updates"),
        ("{steps.running}", "none"),
        ("{steps.last}", "db-updates FAILED (exit 3) at 07:02 CET in 30s"),
        ("{rollback}", "none"),
        ("{rollback.approvals}", "full 1/2"),
        ("{recommendation}", "ROLLBACK (1 critical failing)"),
    ];
    for (tpl, want) in cases {
        assert_eq!(render_at(tpl, &ev, 600), want, "template {tpl}");
    }
}

#[test]
fn empty_session_reads_sensibly() {
    let ev = vec![(0, "ana@bastion", opened())];
    assert_eq!(render_at("{checklist}", &ev, 5), "0/5 PASS, 5 PENDING");
    assert_eq!(render_at("{decision}|{decision.reason}|{incident}|{rollback.last}", &ev, 5), "none yet||none|none");
    assert_eq!(render_at("{probes} / {steps}", &ev, 5), "0 UP, 3 not checked / 0/3 done, 3 not started");
}

#[test]
fn rollback_last_describes_the_run() {
    let mut ev = busy_session();
    ev.push((
        400,
        "ana@bastion",
        EventKind::RollbackStarted { rollback: "full".into(), run: 1, command: "x".into(), output: "o".into() },
    ));
    assert_eq!(render_at("{rollback.last}", &ev, 450), "full running since 07:06 CET");
    ev.push((
        592,
        "ana@bastion",
        EventKind::RollbackFinished {
            rollback: "full".into(),
            run: 1,
            outcome: RunOutcome::Ok,
            exit_code: Some(0),
            signal: None,
            duration_ms: 192_000,
            error: None,
        },
    ));
    assert_eq!(render_at("{rollback}", &ev, 600), "full OK (exit 0) at 07:09 CET in 3m12s");
}

#[test]
fn values_are_substituted_once_never_reread() {
    // The decision reason holds `{down}`, `[red]`, `%s`: they come out literally (S4).
    assert_eq!(render_at("Reason: {decision.reason}", &busy_session(), 600), "Reason: homepage {down} [red] %s");
    let rb = rb();
    let st = session(&busy_session());
    let vars = BTreeMap::from([("x".to_string(), "{now} {{y}}".to_string())]);
    let ctx = Context { runbook: &rb, state: &st, now: t(0), operator: "o", vars: &vars };
    assert_eq!(render("[{x}]", &ctx), "[{now} {{y}}]");
}

#[test]
fn unknown_fields_and_bad_formats_stay_visible() {
    let ev = busy_session();
    assert_eq!(
        render_at("{checklist.bogus} {nope} {vars.missing}", &ev, 0),
        "{checklist.bogus?} {nope?} {vars.missing?}"
    );
    assert_eq!(render_at("{now:%Q}", &ev, 0), "{now:%Q?}");
    assert_eq!(render_at("{operator:%H}", &ev, 0), "{operator:%H?}");
    // `{{` is a literal brace; shell-ish braces pass through.
    assert_eq!(render_at("{{now}} ${HOME} {print $1}", &ev, 0), "{now}} ${HOME} {print $1}");
}

#[test]
fn utc_runbook_shows_utc() {
    let mut r = rb();
    r.timezone = None;
    let st = session(&busy_session());
    let vars = BTreeMap::new();
    let ctx = Context { runbook: &r, state: &st, now: t(600), operator: "o", vars: &vars };
    assert_eq!(render("{now:%H:%M %Z}", &ctx), "06:10 UTC");
    assert_eq!(render("{runbook.timezone}", &ctx), "UTC");
}

#[test]
fn every_documented_field_is_known() {
    // FIELDS names like "checklist.pass / .fail" → each concrete name must render without `?}`.
    let ev = busy_session();
    for (names, _) in FIELDS {
        let mut root = String::new();
        for part in names.split(" / ") {
            let part = part.trim();
            let name =
                if let Some(rest) = part.strip_prefix('.') { format!("{root}.{rest}") } else { part.to_string() };
            root = name.split('.').next().unwrap_or("").to_string();
            let name = name.replace("FORMAT", "%H").replace("vars.X", "vars.commit");
            let name = if name == "X" { "commit".to_string() } else { name };
            let out = render_at(&format!("{{{name}}}"), &ev, 600);
            assert!(!out.ends_with("?}"), "documented field {name} is unknown: {out}");
        }
    }
}

proptest! {
    #[test]
    fn rendering_never_panics(text in "\\PC{0,80}", fmt in "[%a-zA-Z:. ]{0,12}") {
        let ev = busy_session();
        let _ = render_at(&text, &ev, 600);
        let _ = render_at(&format!("{{now:{fmt}}} {{incident.since:{fmt}}}"), &ev, 600);
    }
}
