//! A rehearsal scenario (docs/time-machine.md): a TOML timeline of what goes
//! wrong, read and checked against the runbook; every mistake as
//! FILE:LINE:COL. Pure: text in, events out.
//!
//! ```toml
//! [[at]]
//! time = "+2m"          # after the rehearsal starts (rehearsal time: --speed applies)
//! probe = "homepage"
//! status = 500          # the probe fails (any status, or down = true)
//! for = "3m"
//!
//! [[at]]
//! time = "+4m"
//! step = "migrate"
//! exit = 1              # the step fails with this exit code when run
//!
//! [[at]]
//! time = "+5m"
//! log = "php-errors"
//! errors_per_min = 200  # error lines written into the rehearsal's log
//! for = "2m"
//! ```

use serde::Deserialize;
use toml::Spanned;

use super::diagnostic::{line_col, Diagnostic};
use super::duration::{parse_duration, Dur};
use super::runbook::Runbook;

#[derive(Clone, Debug, PartialEq)]
pub enum Happening {
    /// The probe fails from `at` for `for_` (rehearsal time).
    ProbeFails { probe: String, status: Option<u16>, for_: Dur },
    /// The step's rehearsal run exits with `exit` (when run at or after `at`).
    StepExits { step: String, exit: i32 },
    /// The log gets `per_min` error lines a minute from `at` for `for_` (rehearsal time).
    LogErrors { log: String, per_min: u64, for_: Dur },
}

#[derive(Clone, Debug, PartialEq)]
pub struct At {
    pub at: Dur,
    pub what: Happening,
}

#[derive(Clone, Debug, Default, PartialEq)]
pub struct Scenario {
    pub events: Vec<At>,
}

impl Scenario {
    /// The exit code the scenario gives `step`, if any.
    pub fn step_exit(&self, step: &str) -> Option<i32> {
        self.events.iter().find_map(|e| match &e.what {
            Happening::StepExits { step: s, exit } if s == step => Some(*exit),
            _ => None,
        })
    }
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct File {
    #[serde(default)]
    at: Vec<Spanned<Entry>>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct Entry {
    time: Spanned<String>,
    probe: Option<Spanned<String>>,
    status: Option<u16>,
    down: Option<bool>,
    #[serde(rename = "for")]
    for_: Option<Spanned<String>>,
    step: Option<Spanned<String>>,
    exit: Option<i32>,
    log: Option<Spanned<String>>,
    errors_per_min: Option<u64>,
}

/// Most error lines a scenario entry may ask for a minute (the rehearsal writes them all).
const MAX_ERRORS_PER_MIN: u64 = 100_000;

/// Reads `text` (from `file`) against `rb`; all mistakes at once.
pub fn parse(file: &str, text: &str, rb: &Runbook) -> Result<Scenario, Vec<Diagnostic>> {
    let err = |offset: usize, msg: String| {
        let (l, c) = line_col(text, offset);
        Diagnostic::error(file, l, c, msg)
    };
    let parsed: File = match toml::from_str(text) {
        Ok(f) => f,
        Err(e) => {
            let off = e.span().map_or(0, |s| s.start);
            return Err(vec![err(off, format!("{}: see docs/time-machine.md for the scenario format", e.message()))]);
        }
    };
    let mut diags = Vec::new();
    let mut events = Vec::new();
    for entry in parsed.at {
        let start = entry.span().start;
        let e = entry.into_inner();
        let time = e.time.get_ref().trim_start_matches('+');
        let at = match parse_duration(time) {
            Ok(d) => d,
            Err(why) => {
                diags.push(err(e.time.span().start, format!("time: {why} (write it like \"+2m\")")));
                continue;
            }
        };
        match (&e.probe, &e.step, &e.log) {
            (Some(p), None, None) => {
                if rb.probe(p.get_ref()).is_none() {
                    diags.push(err(p.span().start, format!("no [[probe]] \"{}\" in the runbook", p.get_ref())));
                    continue;
                }
                let for_ = match &e.for_ {
                    Some(f) => match parse_duration(f.get_ref()) {
                        Ok(d) => d,
                        Err(why) => {
                            diags.push(err(f.span().start, format!("for: {why}")));
                            continue;
                        }
                    },
                    None => {
                        diags.push(err(start, "a probe entry needs for = \"3m\": how long the probe fails".into()));
                        continue;
                    }
                };
                if e.status.is_none() && e.down != Some(true) {
                    diags.push(err(start, "a probe entry needs status = 500 or down = true".into()));
                    continue;
                }
                events.push(At {
                    at,
                    what: Happening::ProbeFails { probe: p.get_ref().clone(), status: e.status, for_ },
                });
            }
            (None, Some(s), None) => {
                if rb.step(s.get_ref()).is_none() {
                    diags.push(err(s.span().start, format!("no [[step]] \"{}\" in the runbook", s.get_ref())));
                    continue;
                }
                let Some(exit) = e.exit else {
                    diags.push(err(start, "a step entry needs exit = 1: the exit code its run ends with".into()));
                    continue;
                };
                events.push(At { at, what: Happening::StepExits { step: s.get_ref().clone(), exit } });
            }
            (None, None, Some(l)) => {
                if !rb.logs.iter().any(|x| x.id == *l.get_ref()) {
                    diags.push(err(l.span().start, format!("no [[log]] \"{}\" in the runbook", l.get_ref())));
                    continue;
                }
                let per_min = match e.errors_per_min {
                    Some(n) if (1..=MAX_ERRORS_PER_MIN).contains(&n) => n,
                    _ => {
                        diags.push(err(
                            start,
                            format!(
                                "a log entry needs errors_per_min = 1 to {MAX_ERRORS_PER_MIN}: \
                                 how many error lines a minute the log gets"
                            ),
                        ));
                        continue;
                    }
                };
                let Some(f) = &e.for_ else {
                    diags.push(err(start, "a log entry needs for = \"2m\": how long the errors last".into()));
                    continue;
                };
                let for_ = match parse_duration(f.get_ref()) {
                    Ok(d) => d,
                    Err(why) => {
                        diags.push(err(f.span().start, format!("for: {why}")));
                        continue;
                    }
                };
                events.push(At { at, what: Happening::LogErrors { log: l.get_ref().clone(), per_min, for_ } });
            }
            _ => diags.push(err(start, "each [[at]] names exactly one of probe, step or log".into())),
        }
    }
    if diags.is_empty() {
        Ok(Scenario { events })
    } else {
        Err(diags)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn entries_are_read_and_mistakes_are_placed() {
        let rb = crate::domain::fixtures::example_runbook();
        let probe = rb.probes[0].id.clone();
        let ok = format!("[[at]]\ntime = \"+2m\"\nprobe = \"{probe}\"\nstatus = 500\nfor = \"3m\"\n");
        let s = parse("s.toml", &ok, &rb).unwrap();
        assert_eq!(s.events[0].at, Dur::from_secs(120));
        let bad = "[[at]]\ntime = \"+2m\"\nprobe = \"nope\"\nstatus = 500\nfor = \"3m\"\n";
        let d = parse("s.toml", bad, &rb).unwrap_err();
        assert_eq!(d[0].to_string(), "s.toml:3:9: error: no [[probe]] \"nope\" in the runbook", "{d:?}");
        let log = "[[at]]\ntime = \"+5m\"\nlog = \"php-errors\"\nerrors_per_min = 200\nfor = \"2m\"\n";
        let s = parse("s.toml", log, &rb).unwrap();
        assert_eq!(
            s.events[0].what,
            Happening::LogErrors { log: "php-errors".into(), per_min: 200, for_: Dur::from_secs(120) }
        );
        let no_rate = "[[at]]\ntime = \"+5m\"\nlog = \"php-errors\"\nfor = \"2m\"\n";
        let d = parse("s.toml", no_rate, &rb).unwrap_err();
        assert!(d[0].to_string().contains(": error: a log entry needs errors_per_min"), "{d:?}");
        let typo = "[[at]]\ntime = \"+2m\"\nprobes = \"x\"\n";
        assert!(parse("s.toml", typo, &rb).unwrap_err()[0].to_string().starts_with("s.toml:3:1"));
    }
}
