//! `warroom probe RUNBOOK [--json]`: every probe once, concurrently, headless.
//! A table (id, result, status, latency, failed condition or error) or JSON.
//! Exit 0 when all pass, 1 when any fails, 2 on bad input.

use std::path::Path;
use std::sync::Arc;

use unicode_width::UnicodeWidthStr;

use super::common::{bad_input, EXIT_BAD_INPUT, EXIT_FAIL, EXIT_OK};
use super::runbook_file::{load, print_diagnostics};
use crate::domain::runbook::{ProbeTarget, Runbook};
use crate::domain::sanitize::clean;
use crate::sources::probes::{probe_all_once, ProbeEnv};
use crate::sources::ProbeResult;

pub fn run(runbook: &Path, json: bool, _c: &super::Common) -> i32 {
    let loaded = match load(runbook) {
        Ok(l) => l,
        Err(diags) => {
            print_diagnostics(&diags);
            return EXIT_BAD_INPUT;
        }
    };
    print_diagnostics(&loaded.warnings);
    let rb = loaded.runbook;
    let rt = match tokio::runtime::Builder::new_multi_thread().worker_threads(2).enable_all().build() {
        Ok(rt) => rt,
        Err(e) => return bad_input(format!("cannot start the async runtime: {e}")),
    };
    let results = rt.block_on(async {
        let env = Arc::new(ProbeEnv::for_runbook(&rb));
        probe_all_once(&rb.probes, env).await
    });
    // Command probes that overran are being stopped in the background: let that finish.
    rt.shutdown_timeout(std::time::Duration::from_secs(3));
    if json {
        outln!("{}", serde_json::to_string_pretty(&to_json(&rb, &results)).unwrap_or_default());
    } else if results.is_empty() {
        errln!("{}: no [[probe]] in this runbook", runbook.display());
    } else {
        out!("{}", table(&results));
    }
    if results.iter().all(|r| r.success) {
        EXIT_OK
    } else {
        EXIT_FAIL
    }
}

fn kind_and_target(rb: &Runbook, id: &str) -> (&'static str, String) {
    match rb.probe(id).map(|p| &p.target) {
        Some(ProbeTarget::Http { url, .. }) => ("http", url.clone()),
        Some(ProbeTarget::Tcp { addr }) => ("tcp", addr.clone()),
        Some(ProbeTarget::Command { run }) => ("command", run.clone()),
        None => ("unknown", String::new()),
    }
}

/// Why it failed: the failed condition, else the error.
fn why(r: &ProbeResult) -> String {
    r.failed_condition.clone().or_else(|| r.error.clone()).unwrap_or_default()
}

pub fn to_json(rb: &Runbook, results: &[ProbeResult]) -> serde_json::Value {
    let probes: Vec<serde_json::Value> = results
        .iter()
        .map(|r| {
            let (kind, target) = kind_and_target(rb, &r.probe);
            serde_json::json!({
                "id": r.probe,
                "kind": kind,
                // As written in the runbook ({vars} unfilled; env: header values never appear).
                "target": clean(&target),
                "result": if r.success { "pass" } else { "fail" },
                "status": r.status,
                "latency_ms": r.latency.as_millis() as u64,
                "failed_condition": r.failed_condition,
                "error": r.error,
                "detail": r.detail,
                "at": r.at.to_rfc3339_opts(chrono::SecondsFormat::Millis, true),
            })
        })
        .collect();
    serde_json::json!({
        "runbook": rb.id,
        "all_pass": results.iter().all(|r| r.success),
        "probes": probes,
    })
}

/// A plain text table; widths by display width so non-ASCII ids and messages line up.
pub fn table(results: &[ProbeResult]) -> String {
    let header = ["PROBE", "RESULT", "STATUS", "LATENCY", "FAILED CONDITION / ERROR"];
    let rows: Vec<[String; 5]> = results
        .iter()
        .map(|r| {
            [
                clean(&r.probe),
                if r.success { "PASS".into() } else { "FAIL".into() },
                r.status.map(|s| s.to_string()).unwrap_or_else(|| "-".into()),
                format!("{}ms", r.latency.as_millis()),
                clean(&why(r)),
            ]
        })
        .collect();
    let mut widths = header.map(|h| h.width());
    for row in &rows {
        for (w, cell) in widths.iter_mut().zip(row) {
            *w = (*w).max(cell.width());
        }
    }
    let line = |cells: [&str; 5]| {
        let mut s = String::new();
        for (i, cell) in cells.iter().enumerate() {
            if i == 4 {
                s.push_str(cell);
            } else {
                s.push_str(cell);
                s.push_str(&" ".repeat(widths[i] - cell.width() + 2));
            }
        }
        s.trim_end().to_string() + "\n"
    };
    let mut out = line(header);
    for row in &rows {
        out.push_str(&line([&row[0], &row[1], &row[2], &row[3], &row[4]]));
    }
    let failed = results.iter().filter(|r| !r.success).count();
    out.push_str(&format!("{} probes, {} passed, {} failed\n", results.len(), results.len() - failed, failed));
    out
}
