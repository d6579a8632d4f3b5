//! `[[severity]]` and `[[shift]]`: the team's incident severities with their
//! clocks, and who is on duty when (docs/runbook-format.md).

use toml::de::DeValue;
use toml::Spanned;

use super::reader::{Ctx, Table};
use super::refs::{refer, Kind};
use super::response::escalation_level;
use crate::domain::runbook::{IncidentSeverity, Shift, TimeOfDay};

/// Severity ids are written the way teams say them (`SEV0`, `p1`): letters,
/// digits, `-` and `_`.
fn valid_severity_id(s: &str) -> bool {
    !s.is_empty() && s.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_')
}

pub(super) fn severity(ctx: &mut Ctx, t: &mut Table, seen: &mut Vec<Spanned<String>>) -> Option<IncidentSeverity> {
    t.check_keys(
        ctx,
        &["id", "title", "ack_within", "mitigate_within", "update_every", "escalation", "update_template", "links"],
    );
    let id = t.req_str(ctx, "id", "\"SEV1\"").filter(|id| {
        let ok = valid_severity_id(id.get_ref());
        if !ok {
            ctx.error(
                &id.span(),
                format!("bad severity id \"{}\": use letters, digits, \"-\" and \"_\", like \"SEV1\"", id.get_ref()),
            );
        }
        ok
    });
    if let Some(id) = &id {
        t.what = format!("[[severity]] \"{}\"", id.get_ref());
        if let Some(first) = seen.iter().find(|s| s.get_ref().eq_ignore_ascii_case(id.get_ref())) {
            let line = ctx.line_of(&first.span());
            ctx.error(
                &id.span(),
                format!("duplicate severity id \"{}\" (first declared on line {line})", id.get_ref()),
            );
        } else {
            seen.push(id.clone());
        }
    }
    let title = t.str(ctx, "title");
    let mut need = |key: &str, example: &str| {
        if t.get(key).is_none() {
            t.missing(ctx, key, example);
            None
        } else {
            t.pos_dur(ctx, key)
        }
    };
    let ack_within = need("ack_within", "\"10m\"");
    let mitigate_within = need("mitigate_within", "\"1h\"");
    let update_every = need("update_every", "\"30m\"");
    let escalation = ladder(ctx, t);
    let update_template = t.ref_id(ctx, "update_template");
    let links = super::channels::links(ctx, t);
    if let Some(tpl) = &update_template {
        refer(ctx, Kind::Template, tpl, &t.what.clone());
    }
    let id = id?.into_inner();
    Some(IncidentSeverity {
        title: title.map(|s| s.into_inner()).unwrap_or_else(|| id.clone()),
        id,
        ack_within: ack_within?,
        mitigate_within: mitigate_within?,
        update_every: update_every?,
        escalation,
        update_template: update_template.map(|s| s.into_inner()),
        links,
    })
}

/// `escalation = [{ name, who, respond_within }, …]` (or `[[severity.escalation]]`).
fn ladder(ctx: &mut Ctx, t: &Table) -> Option<Vec<crate::domain::runbook::EscalationLevel>> {
    let v = t.get("escalation")?;
    let DeValue::Array(items) = v.get_ref() else {
        ctx.error(
            &v.span(),
            format!(
                "escalation in {} must be a list of levels, like [{{ name = \"L1\", who = \"on-call\", respond_within = \"5m\" }}]",
                t.what
            ),
        );
        return None;
    };
    let mut levels = Vec::new();
    for (i, item) in items.iter().enumerate() {
        let DeValue::Table(lt) = item.get_ref() else {
            ctx.error(&item.span(), format!("each level of escalation in {} must be a table", t.what));
            continue;
        };
        let l = Table::new(lt, item.span(), format!("escalation level #{} of {}", i + 1, t.what));
        levels.extend(escalation_level(ctx, &l));
    }
    if levels.is_empty() {
        ctx.error(&v.span(), format!("escalation in {} has no levels: remove it or add one", t.what));
        return None;
    }
    Some(levels)
}

/// `"06:00"` → 06:00; anything else is an error naming the form.
fn time_of_day(ctx: &mut Ctx, t: &Table, key: &str) -> Option<TimeOfDay> {
    if t.get(key).is_none() {
        t.missing(ctx, key, "\"06:00\"");
        return None;
    }
    let s = t.str(ctx, key)?;
    match parse_time_of_day(s.get_ref()) {
        Some(tod) => Some(tod),
        None => {
            ctx.error(
                &s.span(),
                format!(
                    "{key} = \"{}\" in {} is not a time of day: write HH:MM (24-hour clock, runbook's time zone), like \"06:00\" or \"22:30\"",
                    s.get_ref(),
                    t.what
                ),
            );
            None
        }
    }
}

pub fn parse_time_of_day(s: &str) -> Option<TimeOfDay> {
    let (h, m) = s.trim().split_once(':')?;
    if h.is_empty() || h.len() > 2 || m.len() != 2 {
        return None;
    }
    let (hour, minute) = (h.parse::<u32>().ok()?, m.parse::<u32>().ok()?);
    // 24:00 is the end of the day, written as 00:00.
    (hour < 24 && minute < 60).then_some(TimeOfDay { hour, minute })
}

pub(super) fn shift(ctx: &mut Ctx, t: &mut Table) -> Option<Shift> {
    t.check_keys(ctx, &["from", "to", "who", "role"]);
    let from = time_of_day(ctx, t, "from");
    let to = time_of_day(ctx, t, "to");
    if let (Some(f), Some(to_)) = (from, to) {
        if f == to_ {
            let span = t.get("to").map(|v| v.span()).unwrap_or(t.span.clone());
            ctx.error(&span, format!("{} starts and ends at {f}: give the time it ends", t.what));
        }
    }
    let who = t.req_str(ctx, "who", "\"ana, bo\"");
    let role = t.req_str(ctx, "role", "\"Deploy\"");
    Some(Shift { from: from?, to: to?, who: who?.into_inner(), role: role?.into_inner() })
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::path::Path;

    fn errors(toml: &str) -> Vec<String> {
        match crate::domain::loader::load_bytes(Path::new("rb.toml"), toml.as_bytes()) {
            Ok(_) => Vec::new(),
            Err(d) => d.iter().map(|d| d.to_string()).collect(),
        }
    }

    const HEAD: &str = "[runbook]\nid = \"x\"\n";

    #[test]
    fn severities_load_with_their_ladder_and_template() {
        let toml = format!(
            "{HEAD}[[template]]\nid = \"upd\"\ntitle = \"U\"\ntext = \"x\"\n\
             [[severity]]\nid = \"SEV0\"\nack_within = \"5m\"\nmitigate_within = \"30m\"\nupdate_every = \"15m\"\n\
             update_template = \"upd\"\nescalation = [{{ name = \"L3\", who = \"all\", respond_within = \"5m\" }}]\n\
             links = [{{ title = \"Playbook\", url = \"https://wiki.example/sev0\" }}]\n\
             [[shift]]\nfrom = \"18:00\"\nto = \"06:00\"\nwho = \"night\"\nrole = \"Night\"\n"
        );
        let rb = crate::domain::loader::load_bytes(Path::new("rb.toml"), toml.as_bytes()).unwrap().runbook;
        let s = rb.severity("sev0").unwrap();
        assert_eq!((s.title.as_str(), s.update_template.as_deref()), ("SEV0", Some("upd")));
        assert_eq!(s.escalation.as_ref().unwrap()[0].who, "all");
        assert_eq!(s.links[0].url, "https://wiki.example/sev0");
        assert_eq!(rb.shifts[0].to, TimeOfDay { hour: 6, minute: 0 });
    }

    #[test]
    fn every_mistake_is_placed_and_says_what_to_write() {
        let toml = format!(
            "{HEAD}[[severity]]\nid = \"SEV1\"\nack_within = \"10\"\nmitigate_within = \"1h\"\n\
             update_template = \"nope\"\n\
             [[severity]]\nid = \"sev1\"\nack_within = \"1m\"\nmitigate_within = \"1h\"\nupdate_every = \"1m\"\n\
             [[shift]]\nfrom = \"25:00\"\nto = \"06:00\"\nwho = \"x\"\n"
        );
        let e = errors(&toml).join("\n");
        for want in [
            "rb.toml:5:14: error: ack_within in [[severity]] \"SEV1\": bad duration",
            "missing required field \"update_every\" in [[severity]] \"SEV1\"",
            "refers to template \"nope\"",
            "rb.toml:9:6: error: duplicate severity id \"sev1\" (first declared on line 4)",
            "from = \"25:00\" in [[shift]] #1 is not a time of day: write HH:MM",
            "missing required field \"role\" in [[shift]] #1",
        ] {
            assert!(e.contains(want), "missing {want:?} in:\n{e}");
        }
    }

    #[test]
    fn times_of_day() {
        assert_eq!(parse_time_of_day("06:00"), Some(TimeOfDay { hour: 6, minute: 0 }));
        assert_eq!(parse_time_of_day("6:05"), Some(TimeOfDay { hour: 6, minute: 5 }));
        assert_eq!(parse_time_of_day("23:59"), Some(TimeOfDay { hour: 23, minute: 59 }));
        for bad in ["24:00", "12:60", "1200", "12:5", "", "ab:cd", "-1:00"] {
            assert_eq!(parse_time_of_day(bad), None, "{bad}");
        }
    }
}
