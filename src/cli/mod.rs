//! The command line (README, "Headless commands"). One file per command; this file only parses
//! and dispatches. Every command returns its exit code.

#[macro_use]
pub mod output;
pub mod approve;
pub mod check;
pub mod common;
pub mod db;
pub mod demo;
pub mod doctor;
pub mod export;
pub mod from_gatus;
pub mod handover;
pub mod import;
pub mod incident;
pub mod launch;
pub mod mark;
pub mod note;
pub mod open;
pub mod probe;
pub mod record_act;
pub mod rehearse;
pub mod replay;
pub mod report;
pub mod run_output;
pub mod runbook_file;
pub mod same_runbook;
pub mod send_on;
pub mod session_journal;
pub mod t0;
pub mod verify;
pub mod who;

use std::path::PathBuf;

use clap::{Args, Parser, Subcommand, ValueEnum};

#[derive(Parser, Debug)]
#[command(
    name = "warroom",
    version,
    about = "A terminal war room for production go-lives, deploy windows and incidents",
    long_about = "warroom turns a runbook (TOML) into a live, keyboard-driven console: steps run from it, \
the go/no-go checklist is ticked in it, probes and logs are watched in it, the escalation clock runs in it, \
and every act is written to a tamper-evident journal shared by everyone in the room.\n\n\
Start with `warroom demo`."
)]
pub struct Cli {
    #[command(flatten)]
    pub common: Common,
    #[command(subcommand)]
    pub command: Command,
}

/// Options every command accepts.
#[derive(Args, Debug, Clone, Default)]
pub struct Common {
    /// Journal file, or a shared PostgreSQL session: postgres://USER@HOST:PORT/DB?session=ID
    /// (default: the runbook's session journal in the user's data directory).
    #[arg(long, global = true, value_name = "FILE|URL", env = "WARROOM_JOURNAL")]
    pub journal: Option<PathBuf>,
    /// Name written on every act (default: $WARROOM_OPERATOR, else $USER@host).
    #[arg(long, global = true, value_name = "NAME")]
    pub operator: Option<String>,
    /// Screen layout: t0, validation, monitor, or a file name in the config dir's layouts/.
    #[arg(long, global = true, value_name = "NAME")]
    pub layout: Option<String>,
    /// Colour theme: dark, light, high-contrast, mono, or a file name in the config dir's themes/.
    #[arg(long, global = true, value_name = "NAME")]
    pub theme: Option<String>,
    /// Watch without acting: nothing is written to the journal.
    #[arg(long, global = true)]
    pub read_only: bool,
    /// Line-by-line output for screen readers (automatic with TERM=dumb).
    #[arg(long, global = true)]
    pub plain: bool,
    /// Sign every record this process writes with the SSH agent ($SSH_AUTH_SOCK), SSHSIG format.
    #[arg(long, global = true)]
    pub sign: bool,
}

#[derive(Subcommand, Debug)]
pub enum Command {
    /// The whole console on a built-in runbook against a built-in local platform.
    Demo(demo::DemoArgs),
    /// The console on a runbook file.
    Open {
        /// Runbook file (TOML).
        runbook: PathBuf,
        /// The session was opened with another runbook file of the same id: join it anyway.
        #[arg(long, conflicts_with = "new_session")]
        join_anyway: bool,
        /// The session was opened with another runbook file of the same id: open a session of its own (`<id>-2`, …).
        #[arg(long)]
        new_session: bool,
    },
    /// Validate a runbook; print every problem as FILE:LINE:COL: message.
    Check { runbook: PathBuf },
    /// Run every probe once, headless.
    Probe {
        runbook: PathBuf,
        /// Print JSON instead of a table.
        #[arg(long)]
        json: bool,
    },
    /// Record a checklist verdict into the live session (for scripts and CI jobs).
    Mark {
        runbook: PathBuf,
        criterion: String,
        verdict: VerdictArg,
        /// Why, or what was checked.
        #[arg(long)]
        note: Option<String>,
    },
    /// Add a timeline note to the live session.
    Note { runbook: PathBuf, text: String },
    /// Approve a rollback that needs several operators, as this operator.
    Approve { runbook: PathBuf, rollback: String },
    /// Who this login writes as, and whether a second engineer can approve from their own login.
    Doctor { runbook: PathBuf },
    /// Check a journal's hash chain and sequence, a file or a postgres:// session (and, with --allowed-signers, every record's SSH signature).
    Verify {
        journal: PathBuf,
        /// git's allowed-signers file: every record must be signed by a key listed for its operator.
        #[arg(long, value_name = "FILE")]
        allowed_signers: Option<PathBuf>,
    },
    /// Print [[probe]] tables for a Gatus config's endpoints (conditions kept as written).
    FromGatus {
        /// Gatus configuration file (YAML).
        config: PathBuf,
    },
    /// T-0 of a days-long go-live: set it in the live session, or show it.
    T0 {
        runbook: PathBuf,
        #[command(subcommand)]
        act: t0::T0Act,
    },
    /// Print a session as a file journal (JSON lines), verified first: `warroom export URL > journal.jsonl`.
    Export { journal: PathBuf },
    /// Copy a verified journal file into a new, empty session (postgres:// URL or file).
    Import { file: PathBuf, journal: PathBuf },
    /// The PostgreSQL journal's tables.
    Db {
        #[command(subcommand)]
        command: db::DbCommand,
    },
    /// The session as a timeline and summary (post-mortem).
    Report {
        journal: PathBuf,
        #[arg(long, value_enum, default_value = "md")]
        format: ReportFormat,
        /// Runbook, for titles, severities and time zone (default: found from the journal's session).
        #[arg(long)]
        runbook: Option<PathBuf>,
    },
    /// The consoles present on the session now: operator, user, host, read-only, since, idle, doing.
    Who {
        runbook: PathBuf,
        /// Print JSON instead of a table.
        #[arg(long)]
        json: bool,
    },
    /// Incident acts from a script, a pager or a chat bot.
    Incident {
        runbook: PathBuf,
        #[command(subcommand)]
        act: incident::IncidentAct,
    },
    /// What changed since a time (default: this shift's start), what is open, who is next.
    Handover {
        runbook: PathBuf,
        /// 07:00 (today, runbook's time zone), 2026-02-12 07:00, or 2026-02-12T06:00:00Z.
        #[arg(long)]
        since: Option<String>,
        #[arg(long, value_enum, default_value = "md")]
        format: ReportFormat,
    },
    /// A dress rehearsal in a session of its own: nothing real runs, the clocks run faster.
    Rehearse {
        runbook: PathBuf,
        /// How many times faster the rehearsal's clock runs (escalation, triggers, severity clocks, the scenario).
        #[arg(long, default_value_t = 1)]
        speed: u32,
        /// What goes wrong, and when (TOML; docs/time-machine.md).
        #[arg(long, value_name = "FILE")]
        scenario: Option<PathBuf>,
        /// Probe the real targets instead of the scenario.
        #[arg(long)]
        live_probes: bool,
    },
    /// The time machine: the whole console at any past moment of a session, read-only.
    Replay {
        journal: PathBuf,
        /// Runbook (default: the one recorded when the session opened).
        #[arg(long)]
        runbook: Option<PathBuf>,
        /// The moment: a journal seq (42), a UTC time (06:14, 06:14:03, 2026-02-12T06:14:03Z), start or end.
        #[arg(long, value_name = "TIME|SEQ")]
        at: Option<String>,
        /// Print what changed between two moments and exit.
        #[arg(long, num_args = 2, value_names = ["T1", "T2"], conflicts_with = "at")]
        diff: Option<Vec<String>>,
    },
}

#[derive(ValueEnum, Clone, Copy, Debug, PartialEq, Eq)]
pub enum VerdictArg {
    Pass,
    Fail,
    Na,
    Pending,
}

#[derive(ValueEnum, Clone, Copy, Debug, PartialEq, Eq)]
pub enum ReportFormat {
    Md,
    Json,
}

/// Entry point: parse, dispatch, map to an exit code.
pub fn main() -> i32 {
    let cli = match Cli::try_parse() {
        Ok(c) => c,
        Err(e) => {
            if !e.use_stderr() {
                // --help, --version: our own text.
                let _ = e.print();
                return 0;
            }
            // The error quotes what was typed (or pasted): cleaned like any outside text.
            output::err(&e.render().to_string());
            return 2;
        }
    };
    dispatch(cli)
}

fn dispatch(cli: Cli) -> i32 {
    let c = &cli.common;
    // Every command writes (or shows) this name: refuse an invisible or control character before anything runs.
    if let Err(e) = common::check_operator_input(c) {
        return common::bad_input(e);
    }
    match cli.command {
        Command::Demo(args) => demo::run(&args, c),
        Command::Open { runbook, join_anyway, new_session } => {
            let on_other = match (join_anyway, new_session) {
                (true, _) => same_runbook::OnOther::Join,
                (_, true) => same_runbook::OnOther::NewSession,
                _ => same_runbook::OnOther::Ask,
            };
            open::run(&runbook, on_other, c)
        }
        Command::Check { runbook } => check::run(&runbook, c),
        Command::Probe { runbook, json } => probe::run(&runbook, json, c),
        Command::Mark { runbook, criterion, verdict, note } => {
            mark::run(&runbook, &criterion, verdict, note.as_deref(), c)
        }
        Command::Note { runbook, text } => note::run(&runbook, &text, c),
        Command::Approve { runbook, rollback } => approve::run(&runbook, &rollback, c),
        Command::Doctor { runbook } => doctor::run(&runbook, c),
        Command::Verify { journal, allowed_signers } => verify::run(&journal, allowed_signers.as_deref(), c),
        Command::T0 { runbook, act } => t0::run(&runbook, &act, c),
        Command::Export { journal } => export::run(&journal),
        Command::Import { file, journal } => import::run(&file, &journal),
        Command::Db { command } => db::run(&command),
        Command::FromGatus { config } => from_gatus::run(&config, c),
        Command::Report { journal, format, runbook } => report::run(&journal, format, runbook.as_deref(), c),
        Command::Who { runbook, json } => who::run(&runbook, json, c),
        Command::Incident { runbook, act } => incident::run(&runbook, &act, c),
        Command::Handover { runbook, since, format } => handover::run(&runbook, since.as_deref(), format, c),
        Command::Rehearse { runbook, speed, scenario, live_probes } => rehearse::run(
            rehearse::RehearseArgs { runbook: &runbook, speed, scenario: scenario.as_deref(), live_probes },
            c,
        ),
        Command::Replay { journal, runbook, at, diff } => replay::run(
            replay::ReplayArgs {
                journal: &journal,
                runbook: runbook.as_deref(),
                at: at.as_deref(),
                diff: diff.as_deref(),
            },
            c,
        ),
    }
}
