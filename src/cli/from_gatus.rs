//! `warroom from-gatus CONFIG.yaml`: prints a `[[probe]]` table for each
//! endpoint of a Gatus configuration, ready to paste into a runbook. What
//! cannot be carried over is listed as a comment. Exit 0, or 2 on bad input
//! (FILE:LINE:COL: message).

mod config;
mod convert;

use std::collections::BTreeSet;
use std::path::Path;

use super::common::{EXIT_BAD_INPUT, EXIT_OK};
use crate::domain::sanitize::clean;

pub use convert::probe_id;

pub fn run(path: &Path, _c: &super::Common) -> i32 {
    let file = path.display().to_string();
    let text = match std::fs::read_to_string(path) {
        Ok(t) => t,
        Err(e) => {
            errln!("{file}: error: cannot read the Gatus config: {e}");
            return EXIT_BAD_INPUT;
        }
    };
    match convert_text(&file, &text) {
        Ok(out) => {
            print!("{out}");
            EXIT_OK
        }
        Err(e) => {
            errln!("{e}");
            EXIT_BAD_INPUT
        }
    }
}

/// The whole output for a config's text, or the error as `FILE:LINE:COL: error: …`.
pub fn convert_text(file: &str, text: &str) -> Result<String, String> {
    let cfg: config::Config = serde_yaml_ng::from_str(text).map_err(|e| located(file, text, &e))?;
    if cfg.endpoints.is_empty() {
        return Err(format!(
            "{file}:1:1: error: no endpoints: from-gatus reads the `endpoints:` list of a Gatus config"
        ));
    }
    let mut out = format!(
        "# [[probe]] tables from the Gatus config {} ({} endpoints).\n\
         # Paste them into a runbook, then run `warroom check` on it.\n",
        clean(file),
        cfg.endpoints.len()
    );
    let skipped: Vec<&str> = cfg.other.keys().map(String::as_str).collect();
    if !skipped.is_empty() {
        out.push_str(&format!("# not carried over (Gatus settings, not endpoints): {}\n", clean(&skipped.join(", "))));
    }
    let mut taken = BTreeSet::new();
    for (i, ep) in cfg.endpoints.iter().enumerate() {
        let id = probe_id(ep.group.as_deref(), &ep.name, i, &mut taken);
        out.push('\n');
        out.push_str(&convert::probe_table(ep, &id));
    }
    Ok(out)
}

/// A YAML error with its place: `FILE:LINE:COL: error: message`.
fn located(file: &str, text: &str, e: &serde_yaml_ng::Error) -> String {
    let msg = e.to_string();
    match e.location() {
        Some(l) => {
            let msg = msg.replace(&format!(" at line {} column {}", l.line(), l.column()), "");
            let (line, col) = bad_value_place(text, l.line(), &msg).unwrap_or((l.line(), l.column()));
            format!("{file}:{line}:{col}: error: {}", clean(&msg))
        }
        None => format!("{file}: error: {}", clean(&msg)),
    }
}

/// serde places a bad value's error at the start of its endpoint; the value
/// itself (`interval: 5x`) is on a later line: find it there.
fn bad_value_place(text: &str, from_line: usize, msg: &str) -> Option<(usize, usize)> {
    let value = msg.split('"').nth(1).filter(|_| msg.contains("is not a duration"))?;
    text.lines().enumerate().skip(from_line.saturating_sub(1)).find_map(|(i, l)| {
        let (key, rest) = l.split_once(':')?;
        let v = rest.trim().trim_matches(['"', '\'']);
        let is_duration_key = matches!(key.trim().trim_start_matches("- "), "interval" | "timeout");
        (is_duration_key && v == value).then(|| (i + 1, l.find(value).map_or(1, |c| c + 1)))
    })
}
