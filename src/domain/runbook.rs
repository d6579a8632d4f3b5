//! The runbook as the rest of the program sees it: validated, typed, with ids
//! resolved. Produced by `domain::loader` from TOML (docs/runbook-format.md); never built from
//! raw strings elsewhere. Text fields keep the user's bytes exactly (any
//! language, even mojibake); they are sanitised only when drawn.

use std::collections::BTreeMap;
use std::path::PathBuf;

use regex::Regex;

use super::channel::{Channel, Link};
use super::condition::Condition;
use super::duration::Dur;
pub use super::roles::{Access, Distinct, Role};

#[derive(Clone, Debug)]
pub struct Runbook {
    /// The file it was loaded from, as given on the command line.
    pub path: PathBuf,
    /// Folder that step commands run in (the runbook's folder).
    pub dir: PathBuf,
    pub id: String,
    pub title: String,
    /// Shown beside UTC; `None` means UTC only.
    pub timezone: Option<chrono_tz::Tz>,
    pub vars: BTreeMap<String, String>,
    pub phases: Vec<Phase>,
    pub steps: Vec<Step>,
    pub probes: Vec<Probe>,
    pub logs: Vec<LogSource>,
    pub criteria: Vec<Criterion>,
    pub escalation: Option<Escalation>,
    pub rollbacks: Vec<Rollback>,
    pub triggers: Vec<Trigger>,
    pub templates: Vec<Template>,
    /// Roles, who may decide, whether acts are signed (see `domain::roles`).
    pub access: Access,
    /// `[[severity]]`: incident severities with their clocks (`domain::severity`).
    pub severities: Vec<IncidentSeverity>,
    /// `[[shift]]`: who is on duty when (`domain::shift`).
    pub shifts: Vec<Shift>,
    /// Where templates are sent (`[[channel]]`).
    pub channels: Vec<Channel>,
    /// T-0 of a days-long go-live (`[runbook] t0`), in UTC; a journaled
    /// `t0.set` wins over it (see `domain::countdown`).
    pub t0: Option<chrono::DateTime<chrono::Utc>>,
    /// Vars whose values are secret (`[runbook] secret_vars`; docs/runbook-format.md "Secrets").
    pub secret_vars: std::collections::BTreeSet<String>,
    /// Token shapes to hide wherever outside text is shown or written (`[runbook] redact`).
    pub redact: Vec<Regex>,
    /// `[session]`: where the session's journal lives, when the runbook says.
    pub session: SessionSettings,
}

/// `[session]` settings.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct SessionSettings {
    pub journal: Option<JournalSetting>,
}

/// `[session] journal`: a file or `postgres://` URL, or `env:NAME`.
#[derive(Clone, Debug, PartialEq)]
pub enum JournalSetting {
    Location(String),
    Env(String),
}

impl Runbook {
    /// A severity by id; ids are matched ignoring case (`sev1` finds `SEV1`).
    pub fn severity(&self, id: &str) -> Option<&IncidentSeverity> {
        self.severities.iter().find(|s| s.id.eq_ignore_ascii_case(id))
    }
    pub fn channel(&self, id: &str) -> Option<&Channel> {
        self.channels.iter().find(|c| c.id == id)
    }
    pub fn step(&self, id: &str) -> Option<&Step> {
        self.steps.iter().find(|s| s.id == id)
    }
    pub fn probe(&self, id: &str) -> Option<&Probe> {
        self.probes.iter().find(|p| p.id == id)
    }
    pub fn log(&self, id: &str) -> Option<&LogSource> {
        self.logs.iter().find(|l| l.id == id)
    }
    pub fn criterion(&self, id: &str) -> Option<&Criterion> {
        self.criteria.iter().find(|c| c.id == id)
    }
    pub fn rollback(&self, id: &str) -> Option<&Rollback> {
        self.rollbacks.iter().find(|r| r.id == id)
    }
    pub fn phase(&self, id: &str) -> Option<&Phase> {
        self.phases.iter().find(|p| p.id == id)
    }
    pub fn template(&self, id: &str) -> Option<&Template> {
        self.templates.iter().find(|t| t.id == id)
    }
    pub fn trigger(&self, id: &str) -> Option<&Trigger> {
        self.triggers.iter().find(|t| t.id == id)
    }
    /// Steps of one phase, in file order.
    pub fn steps_of<'a>(&'a self, phase: &'a str) -> impl Iterator<Item = &'a Step> + 'a {
        self.steps.iter().filter(move |s| s.phase == phase)
    }
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Phase {
    pub id: String,
    pub title: String,
    /// When the phase begins relative to T-0 (`at = "T-7d"`), signed.
    pub at: Option<chrono::Duration>,
    /// `valid_for` / `every` for the criteria that name this phase and set none themselves.
    pub valid_for: Option<Dur>,
    pub every: Option<Dur>,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Default)]
pub enum StepOnFail {
    /// Later steps of the phase are blocked until an operator overrides.
    #[default]
    Stop,
    Continue,
    /// The console asks whether to go on.
    Ask,
}

#[derive(Clone, Debug)]
pub struct Step {
    pub id: String,
    pub phase: String,
    pub title: String,
    /// The command as written, `{vars}` not yet substituted (see `domain::vars`).
    /// `None` for manual steps.
    pub run: Option<String>,
    pub timeout: Option<Dur>,
    pub on_fail: StepOnFail,
    pub manual: bool,
    /// Roles that may run or tick it (empty: anyone).
    pub by: Vec<String>,
    /// What `warroom rehearse` runs instead of `run` (docs/time-machine.md); none: nothing runs.
    pub rehearse: Option<String>,
    /// How long the step usually takes (`takes = "5m"`): a rehearsal's
    /// stand-in takes that long on the rehearsal's clock, and the rehearsal
    /// score compares each phase with the sum of its steps' times.
    pub takes: Option<Dur>,
    pub links: Vec<Link>,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub enum HeaderValue {
    Literal(String),
    /// `env:NAME`: read from the environment when the probe runs; never shown or journaled.
    Env(String),
}

#[derive(Clone, Debug)]
pub enum ProbeTarget {
    Http {
        url: String,
        method: String,
        headers: Vec<(String, HeaderValue)>,
        /// Request body (`body = "..."`), `{vars}` filled when sent.
        body: Option<String>,
    },
    /// `host:port`
    Tcp { addr: String },
    /// Run by `/bin/sh -c`; exit 0 is UP.
    Command { run: String },
}

#[derive(Clone, Debug)]
pub struct Probe {
    pub id: String,
    pub title: String,
    pub target: ProbeTarget,
    pub every: Dur,
    pub timeout: Dur,
    pub conditions: Vec<Condition>,
    pub failure_threshold: u32,
    pub success_threshold: u32,
    pub links: Vec<Link>,
}

#[derive(Clone, Debug)]
pub enum LogTarget {
    File {
        path: PathBuf,
    },
    /// A long-running command whose output is followed, restarted with back-off.
    Command {
        run: String,
    },
}

#[derive(Clone, Debug)]
pub struct LogSource {
    pub id: String,
    pub title: String,
    pub target: LogTarget,
    pub error: Option<Regex>,
    pub warn: Option<Regex>,
    /// Ring buffer size in lines (default 10,000).
    pub buffer: usize,
    /// Ring buffer size in bytes of text (default [`LOG_BUFFER_BYTES`]): whichever bound is hit first.
    pub buffer_bytes: usize,
}

/// Default memory bound of one log's ring buffer (8 MiB).
pub const LOG_BUFFER_BYTES: usize = 8 << 20;

#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Severity {
    Critical,
    High,
    Medium,
}

impl Severity {
    pub fn as_str(self) -> &'static str {
        match self {
            Severity::Critical => "critical",
            Severity::High => "high",
            Severity::Medium => "medium",
        }
    }
}

/// What failing this criterion means (a go-live criteria table's "if it fails" column).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum CriterionOnFail {
    Rollback,
    Evaluate,
    Monitor,
    FixAsync,
}

impl CriterionOnFail {
    pub fn as_str(self) -> &'static str {
        match self {
            CriterionOnFail::Rollback => "rollback",
            CriterionOnFail::Evaluate => "evaluate",
            CriterionOnFail::Monitor => "monitor",
            CriterionOnFail::FixAsync => "fix-async",
        }
    }
}

#[derive(Clone, Debug, PartialEq)]
pub enum AutoBinding {
    /// Pass while the probe is UP; with `max_p95`, also while p95 latency over `window` is within it.
    Probe { probe: String, max_p95: Option<Dur>, window: Option<Dur> },
    /// Pass when the step's last run exited 0.
    Step { step: String },
    /// Pass while errors counted in `window` are at most `max_errors`.
    Log { log: String, max_errors: u64, window: Dur },
}

impl AutoBinding {
    /// Short label for the Checklist pane: `probe:homepage`, `step:preflight`, `log:php-errors`.
    pub fn label(&self) -> String {
        match self {
            AutoBinding::Probe { probe, max_p95: Some(p), .. } => format!("probe:{probe} p95<{p}"),
            AutoBinding::Probe { probe, .. } => format!("probe:{probe}"),
            AutoBinding::Step { step } => format!("step:{step}"),
            AutoBinding::Log { log, max_errors, window } => format!("log:{log} ≤{max_errors}/{window}"),
        }
    }
}

#[derive(Clone, Debug)]
pub struct Criterion {
    pub id: String,
    pub title: String,
    pub severity: Severity,
    pub on_fail: CriterionOnFail,
    pub auto: Option<AutoBinding>,
    /// Optional longer text: how to verify it by hand.
    pub description: Option<String>,
    /// A verdict older than this is no longer evidence: back to PENDING (`domain::expiry`).
    pub valid_for: Option<Dur>,
    /// A recurring check: every period starts PENDING again (`domain::expiry`).
    pub every: Option<Dur>,
    pub links: Vec<Link>,
    /// The phase it belongs to, if any (its `valid_for` / `every` apply).
    pub phase: Option<String>,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Default)]
pub enum EscalationStart {
    #[default]
    OnIncident,
    OnOpen,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct EscalationLevel {
    pub name: String,
    pub who: String,
    pub respond_within: Dur,
    /// When this level applies, in the runbook's words (an escalation table's "criterion" column).
    pub when: Option<String>,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Escalation {
    pub start: EscalationStart,
    pub levels: Vec<EscalationLevel>,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Default)]
pub enum Confirm {
    /// The operator types the rollback id.
    #[default]
    Type,
    /// A yes/no question naming the action.
    Yes,
}

#[derive(Clone, Debug)]
pub struct Rollback {
    pub id: String,
    pub title: String,
    pub run: String,
    pub confirm: Confirm,
    /// Distinct operators who must approve before it runs (≥ 1).
    pub approvals: u32,
    pub timeout: Option<Dur>,
    /// Roles that may approve / fire it (empty: anyone).
    pub approve: Vec<String>,
    pub fire: Vec<String>,
    /// What the approvers must differ in (default `User` when approvals ≥ 2).
    pub distinct: Distinct,
    /// What `warroom rehearse` runs instead of `run`; none: nothing runs.
    pub rehearse: Option<String>,
}

#[derive(Clone, Debug, PartialEq)]
pub enum TriggerWhen {
    ProbeDown { probe: String, down_for: Dur },
    LogErrorRate { log: String, errors_per_min: u64, for_: Dur },
}

#[derive(Clone, Debug)]
pub struct Trigger {
    pub id: String,
    pub title: String,
    pub when: TriggerWhen,
    /// Rollback id proposed when the trigger holds. Never fired automatically.
    pub propose: String,
}

#[derive(Clone, Debug)]
pub struct Template {
    pub id: String,
    pub title: String,
    pub text: String,
    /// Channel ids the filled text is posted to.
    pub send_to: Vec<String>,
    /// Journal event kinds (`decision.recorded`, …) that send it automatically.
    pub send_on: Vec<String>,
}

/// An incident severity (`[[severity]]`): how fast the incident must be
/// acknowledged and mitigated, and how often the team must hear about it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct IncidentSeverity {
    /// `SEV0`, `SEV1`, … (letters, digits, `-`, `_`; upper case allowed).
    pub id: String,
    pub title: String,
    pub ack_within: Dur,
    pub mitigate_within: Dur,
    pub update_every: Dur,
    /// This severity's own ladder; `None` uses the runbook's `[escalation]`.
    pub escalation: Option<Vec<EscalationLevel>>,
    /// The `[[template]]` the console opens when a status update is due
    /// (default: a template with id `status-update`, if there is one).
    pub update_template: Option<String>,
    /// The incident's playbook, status page, ticket queue: shown in the
    /// Escalation pane's details while an incident of this severity is open.
    pub links: Vec<Link>,
}

/// A wall-clock time of day in the runbook's time zone (`"06:00"`).
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub struct TimeOfDay {
    pub hour: u32,
    pub minute: u32,
}

impl std::fmt::Display for TimeOfDay {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{:02}:{:02}", self.hour, self.minute)
    }
}

/// A shift (`[[shift]]`): every day from `from` to `to` (crossing midnight
/// when `to` ≤ `from`), in the runbook's time zone.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Shift {
    pub from: TimeOfDay,
    pub to: TimeOfDay,
    /// The people on duty, as written.
    pub who: String,
    /// What the shift is for ("Deploy", "Monitoring", "night on-call").
    pub role: String,
}
