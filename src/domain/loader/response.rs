//! `[[criterion]]`, `[escalation]`, `[[rollback]]`, `[[trigger]]`, `[[template]]`.

use toml::de::DeValue;

use super::reader::{Ctx, Table};
use super::refs::{declare, refer, Kind};
use crate::domain::duration::Dur;
use crate::domain::runbook::*;

const SEVERITIES: &[(&str, Severity)] =
    &[("critical", Severity::Critical), ("high", Severity::High), ("medium", Severity::Medium)];

const CRITERION_ON_FAIL: &[(&str, CriterionOnFail)] = &[
    ("rollback", CriterionOnFail::Rollback),
    ("evaluate", CriterionOnFail::Evaluate),
    ("monitor", CriterionOnFail::Monitor),
    ("fix-async", CriterionOnFail::FixAsync),
];

pub(super) fn criterion(ctx: &mut Ctx, t: &mut Table) -> Option<Criterion> {
    t.check_keys(
        ctx,
        &["id", "title", "severity", "on_fail", "auto", "description", "valid_for", "every", "links", "phase"],
    );
    let id = t.id(ctx);
    if let Some(id) = &id {
        declare(ctx, Kind::Criterion, id);
        t.what = format!("[[criterion]] \"{}\"", id.get_ref());
    }
    let title = t.req_str(ctx, "title", "\"Homepage answers HTTP 200\"");
    let severity = if t.get("severity").is_none() {
        t.missing(ctx, "severity", "\"critical\" (or \"high\", \"medium\")");
        None
    } else {
        t.choice(ctx, "severity", SEVERITIES)
    };
    // Without on_fail, the usual go-live reading of the severity (docs/runbook-format.md).
    let on_fail = t.choice(ctx, "on_fail", CRITERION_ON_FAIL).or(match severity {
        Some(Severity::Critical) => Some(CriterionOnFail::Rollback),
        Some(Severity::High) => Some(CriterionOnFail::Evaluate),
        Some(Severity::Medium) => Some(CriterionOnFail::Monitor),
        None => None,
    });
    let what = t.what.clone();
    let auto = t.table(ctx, "auto", format!("auto of {what}")).and_then(|a| auto_binding(ctx, &a, &what));
    let description = t.str(ctx, "description").map(|s| s.into_inner());
    let valid_for = t.pos_dur(ctx, "valid_for");
    let every = t.pos_dur(ctx, "every");
    let links = super::channels::links(ctx, t);
    let phase = t.ref_id(ctx, "phase");
    if let Some(p) = &phase {
        refer(ctx, Kind::Phase, p, &t.what.clone());
    }
    Some(Criterion {
        id: id?.into_inner(),
        title: title?.into_inner(),
        severity: severity?,
        on_fail: on_fail?,
        auto,
        description,
        valid_for,
        every,
        links,
        phase: phase.map(|p| p.into_inner()),
    })
}

fn auto_binding(ctx: &mut Ctx, a: &Table, from: &str) -> Option<AutoBinding> {
    let present: Vec<&str> = ["probe", "step", "log"].into_iter().filter(|k| a.get(k).is_some()).collect();
    if present.len() != 1 {
        ctx.error(
            &a.span,
            format!("{}: give exactly one of probe, step or log, like {{ probe = \"homepage\" }}", a.what),
        );
        return None;
    }
    match present[0] {
        "probe" => {
            a.check_keys(ctx, &["probe", "max_p95", "window"]);
            let probe = a.ref_id(ctx, "probe")?;
            refer(ctx, Kind::Probe, &probe, from);
            let max_p95 = a.pos_dur(ctx, "max_p95");
            let mut window = a.pos_dur(ctx, "window");
            if max_p95.is_some() && window.is_none() && a.get("window").is_none() {
                window = Some(Dur::from_secs(300));
            }
            Some(AutoBinding::Probe { probe: probe.into_inner(), max_p95, window })
        }
        "step" => {
            a.check_keys(ctx, &["step"]);
            let step = a.ref_id(ctx, "step")?;
            refer(ctx, Kind::Step, &step, from);
            Some(AutoBinding::Step { step: step.into_inner() })
        }
        _ => {
            a.check_keys(ctx, &["log", "max_errors", "window"]);
            let log = a.ref_id(ctx, "log")?;
            refer(ctx, Kind::Log, &log, from);
            let max_errors = a.uint(ctx, "max_errors", 0).unwrap_or(0);
            let window = a.pos_dur(ctx, "window").unwrap_or(Dur::from_secs(600));
            Some(AutoBinding::Log { log: log.into_inner(), max_errors, window })
        }
    }
}

pub(super) fn escalation(ctx: &mut Ctx, t: &Table) -> Option<Escalation> {
    t.check_keys(ctx, &["start", "level"]);
    let start = t
        .choice(ctx, "start", &[("on_incident", EscalationStart::OnIncident), ("on_open", EscalationStart::OnOpen)])
        .unwrap_or_default();
    let mut levels = Vec::new();
    match t.get("level") {
        None => t.missing(ctx, "level", "[[escalation.level]] tables"),
        Some(v) => match v.get_ref() {
            DeValue::Array(items) => {
                for (i, item) in items.iter().enumerate() {
                    let DeValue::Table(lt) = item.get_ref() else {
                        ctx.error(&item.span(), "each escalation level must be a [[escalation.level]] table");
                        continue;
                    };
                    let l = Table::new(lt, item.span(), format!("[[escalation.level]] #{}", i + 1));
                    if let Some(level) = escalation_level(ctx, &l) {
                        levels.push(level);
                    }
                }
            }
            _ => ctx.error(&v.span(), "escalation levels are written as [[escalation.level]] tables"),
        },
    }
    if levels.is_empty() && t.get("level").is_some_and(|v| matches!(v.get_ref(), DeValue::Array(a) if a.is_empty())) {
        ctx.error(&t.span, "[escalation] needs at least one [[escalation.level]]");
    }
    Some(Escalation { start, levels })
}

pub(super) fn escalation_level(ctx: &mut Ctx, l: &Table) -> Option<EscalationLevel> {
    l.check_keys(ctx, &["name", "who", "respond_within", "when"]);
    let name = l.req_str(ctx, "name", "\"L1\"");
    let who = l.req_str(ctx, "who", "\"Dev on-call\"");
    let respond_within = if l.get("respond_within").is_none() {
        l.missing(ctx, "respond_within", "\"30m\"");
        None
    } else {
        l.pos_dur(ctx, "respond_within")
    };
    let when = l.str(ctx, "when").map(|s| s.into_inner());
    Some(EscalationLevel { name: name?.into_inner(), who: who?.into_inner(), respond_within: respond_within?, when })
}

pub(super) fn rollback(ctx: &mut Ctx, t: &mut Table) -> Option<Rollback> {
    t.check_keys(
        ctx,
        &["id", "title", "run", "confirm", "approvals", "timeout", "approve", "fire", "distinct", "rehearse"],
    );
    let id = t.id(ctx);
    if let Some(id) = &id {
        declare(ctx, Kind::Rollback, id);
        t.what = format!("[[rollback]] \"{}\"", id.get_ref());
    }
    let title = t.req_str(ctx, "title", "\"Roll back to the pre-deploy backup\"");
    let run = t.req_str(ctx, "run", "\"./scripts/rollback.sh {backup_ts}\"");
    if let Some(r) = &run {
        ctx.check_command(r, "run", &t.what, "write the command that rolls back");
    }
    let confirm = t.choice(ctx, "confirm", &[("type", Confirm::Type), ("yes", Confirm::Yes)]).unwrap_or_default();
    let approvals = t.uint(ctx, "approvals", 1).unwrap_or(1);
    let timeout = t.pos_dur(ctx, "timeout");
    let (approve, fire, distinct) = super::roles::rollback_access(ctx, t, approvals);
    let rehearse = t.str(ctx, "rehearse").map(|r| r.into_inner());
    Some(Rollback {
        id: id?.into_inner(),
        title: title?.into_inner(),
        run: run?.into_inner(),
        confirm,
        approvals: approvals.min(u32::MAX as u64) as u32,
        timeout,
        approve,
        fire,
        distinct,
        rehearse,
    })
}

pub(super) fn trigger(ctx: &mut Ctx, t: &mut Table) -> Option<Trigger> {
    t.check_keys(ctx, &["id", "title", "when", "propose"]);
    let id = t.id(ctx);
    if let Some(id) = &id {
        declare(ctx, Kind::Trigger, id);
        t.what = format!("[[trigger]] \"{}\"", id.get_ref());
    }
    let title = t.str(ctx, "title");
    let what = t.what.clone();
    let when = match t.get("when") {
        None => {
            t.missing(ctx, "when", "{ probe = \"homepage\", down_for = \"5m\" }");
            None
        }
        Some(_) => t.table(ctx, "when", format!("when of {what}")).and_then(|w| trigger_when(ctx, &w, &what)),
    };
    let propose = if t.get("propose").is_none() {
        t.missing(ctx, "propose", "\"<a [[rollback]] id>\"");
        None
    } else {
        t.ref_id(ctx, "propose")
    };
    if let Some(p) = &propose {
        refer(ctx, Kind::Rollback, p, &what);
    }
    let id = id?.into_inner();
    Some(Trigger {
        title: title.map(|s| s.into_inner()).unwrap_or_else(|| id.clone()),
        id,
        when: when?,
        propose: propose?.into_inner(),
    })
}

fn trigger_when(ctx: &mut Ctx, w: &Table, from: &str) -> Option<TriggerWhen> {
    match (w.get("probe").is_some(), w.get("log").is_some()) {
        (true, false) => {
            w.check_keys(ctx, &["probe", "down_for"]);
            let probe = w.ref_id(ctx, "probe");
            if let Some(p) = &probe {
                refer(ctx, Kind::Probe, p, from);
            }
            let down_for = if w.get("down_for").is_none() {
                w.missing(ctx, "down_for", "\"5m\"");
                None
            } else {
                w.dur(ctx, "down_for")
            };
            Some(TriggerWhen::ProbeDown { probe: probe?.into_inner(), down_for: down_for? })
        }
        (false, true) => {
            w.check_keys(ctx, &["log", "errors_per_min", "for"]);
            let log = w.ref_id(ctx, "log");
            if let Some(l) = &log {
                refer(ctx, Kind::Log, l, from);
            }
            let rate = if w.get("errors_per_min").is_none() {
                w.missing(ctx, "errors_per_min", "50");
                None
            } else {
                w.uint(ctx, "errors_per_min", 1)
            };
            let for_ = w.pos_dur(ctx, "for").unwrap_or(Dur::from_secs(60));
            Some(TriggerWhen::LogErrorRate { log: log?.into_inner(), errors_per_min: rate?, for_ })
        }
        _ => {
            ctx.error(
                &w.span,
                format!(
                    "{}: write {{ probe = \"<id>\", down_for = \"5m\" }} or {{ log = \"<id>\", errors_per_min = 50, for = \"2m\" }}",
                    w.what
                ),
            );
            None
        }
    }
}

pub(super) fn template(ctx: &mut Ctx, t: &mut Table) -> Option<Template> {
    t.check_keys(ctx, &["id", "title", "text", "send_to", "send_on"]);
    let id = t.id(ctx);
    if let Some(id) = &id {
        declare(ctx, Kind::Template, id);
        t.what = format!("[[template]] \"{}\"", id.get_ref());
    }
    let title = t.req_str(ctx, "title", "\"Deploy completed\"");
    let text = t.req_str(ctx, "text", "\"\"\"...\"\"\"");
    if let Some(x) = &text {
        ctx.check_template_vars(x);
    }
    let (send_to, send_on) = super::channels::sending(ctx, t);
    Some(Template { id: id?.into_inner(), title: title?.into_inner(), text: text?.into_inner(), send_to, send_on })
}
