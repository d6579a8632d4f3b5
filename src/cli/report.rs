//! `warroom report JOURNAL [--format md|json] [--runbook FILE]`: the session as
//! a timeline and summary. The journal is read, never written; a damaged
//! journal is reported on the records before the damage, with a notice at the
//! top of the report and on stderr. Exit 0; 1 when the journal is damaged (the
//! report is still written, for what precedes the damage); 2 when the journal
//! or runbook cannot be read.

use crate::domain::redact::Redactor;
use std::io::Write;
use std::path::Path;

use super::common::{bad_input, EXIT_FAIL, EXIT_OK};
use super::record_act::load_runbook;
use super::run_output::excerpt;
use super::runbook_file::{load, Loaded};
use super::{Common, ReportFormat};
use crate::domain::record::Record;
use crate::domain::report::{build_at, markdown, session_runbook, session_runbook_path};
use crate::domain::sanitize::clean;
use crate::sources::journal::Journal;

pub fn run(journal: &Path, format: ReportFormat, runbook: Option<&Path>, _c: &Common) -> i32 {
    let database = crate::sources::journal::postgres::is_database_url(journal);
    if !database && !journal.is_file() {
        let why = if journal.is_dir() { "is a folder, not a journal file" } else { "does not exist" };
        return bad_input(format!("journal {} {why}; give the session's journal.jsonl.", journal.display()));
    }
    if let Some(why) = (!database).then(|| super::common::looks_like_a_runbook(journal)).flatten() {
        return bad_input(why);
    }
    let loaded = match runbook.map(load_runbook).transpose() {
        Ok(l) => l,
        Err(code) => return code,
    };
    let opened = match Journal::open_read_only(journal) {
        Ok(o) => o,
        Err(e) => return bad_input(clean(&e.to_string())),
    };
    for w in &opened.warnings {
        errln!("warroom: {}", clean(w));
    }
    let damage = opened.journal.damaged().map(clean);
    if let Some(damage) = &damage {
        errln!(
            "warroom: the journal is damaged ({damage}); this report covers only the records before the damage (exit 1)."
        );
    }
    // A --runbook of another id is most likely the wrong file: said on stderr
    // and in the report's body, since its titles and plan are not this session's.
    let mut notices: Vec<String> = opened.warnings.iter().map(|w| clean(w)).collect();
    if let (Some(l), Some(session_id)) = (&loaded, session_runbook(&opened.records)) {
        if l.runbook.id != session_id {
            let w = format!(
                "--runbook {} is the runbook `{}`, but this journal is a session of `{}`: its titles, phases and plan may not be this session's",
                runbook.map(|p| p.display().to_string()).unwrap_or_default(),
                l.runbook.id,
                session_id
            );
            errln!("warroom: warning: {}", clean(&w));
            notices.push(clean(&w));
        }
    }
    let loaded = loaded.or_else(|| recorded_runbook(&opened.records));
    let mut report = build_at(loaded.as_ref().map(|l| &l.runbook), &opened.records, Some(chrono::Utc::now()));
    // The ticket carries what stderr says: damage and reader notices in the body.
    report.damage = damage.clone();
    report.notices = notices;
    let journal_dir = journal.parent().unwrap_or(Path::new("."));
    for run in report.rollbacks.iter_mut().flat_map(|rb| rb.runs.iter_mut()) {
        run.output_excerpt = Some(excerpt(journal_dir, &run.output));
    }
    let text = match format {
        // A rehearsal's journal is also scored (docs/time-machine.md).
        ReportFormat::Md => {
            let score = crate::domain::rehearsal_score::render(loaded.as_ref().map(|l| &l.runbook), &opened.records);
            markdown::render(&report) + &score.unwrap_or_default()
        }
        ReportFormat::Json => match serde_json::to_string_pretty(&report) {
            Ok(s) => s + "\n",
            Err(e) => return bad_input(format!("could not write the report as JSON: {e}")),
        },
    };
    // Secrets the runbook knows of are hidden even in a journal written before
    // they were declared; every line cleaned like the console's text.
    let text = match loaded.as_ref() {
        Some(l) => {
            let vars = crate::domain::vars::effective_vars(&l.runbook.vars, |k| std::env::var(k).ok());
            Redactor::for_runbook(&l.runbook, &vars, |k| std::env::var(k).ok()).redact_owned(text)
        }
        None => text,
    };
    let text = super::output::cleaned(&text);
    // A closed pipe (`| head`) is the reader's choice, not an error worth a panic.
    let mut out = std::io::stdout().lock();
    match out.write_all(text.as_bytes()).and_then(|_| out.flush()) {
        Err(e) if e.kind() != std::io::ErrorKind::BrokenPipe => bad_input(format!("could not write the report: {e}")),
        // The report is written in full, but a script must not file it as complete.
        _ if damage.is_some() => EXIT_FAIL,
        _ => EXIT_OK,
    }
}

/// Without `--runbook`: the runbook file the console recorded when the
/// session opened, if it is still there, still valid and still the same
/// runbook. Otherwise the report goes on without it (ids instead of titles),
/// and says so on stderr.
pub(crate) fn recorded_runbook(records: &[Record]) -> Option<Loaded> {
    if records.is_empty() {
        return None;
    }
    // Since session.opened records an outline, titles survive the file; older journals show ids.
    let without = if crate::domain::session_runbook::outline(records).is_some() {
        "the report uses the titles, phases and severities the journal recorded (no recommendation); pass --runbook FILE for more"
    } else {
        "the report shows ids without the runbook's titles, phases and severities; pass --runbook FILE"
    };
    let Some(path) = session_runbook_path(records) else {
        errln!("warroom: no --runbook given and the journal does not say where its runbook is: {without}.");
        return None;
    };
    let shown = clean(&path);
    match load(Path::new(&path)) {
        Ok(l) if Some(&l.runbook.id) == session_runbook(records).as_ref() => {
            errln!("warroom: using the runbook {shown}, recorded when the session opened (--runbook FILE to choose).");
            Some(l)
        }
        Ok(l) => {
            errln!(
                "warroom: {shown} (recorded when the session opened) is now the runbook `{}`, not this session's: {without}.",
                clean(&l.runbook.id)
            );
            None
        }
        Err(_) if !Path::new(&path).exists() => {
            errln!("warroom: the session's runbook {shown} is gone: {without}.");
            None
        }
        Err(_) => {
            errln!("warroom: the session's runbook {shown} no longer loads (`warroom check` says why): {without}.");
            None
        }
    }
}
