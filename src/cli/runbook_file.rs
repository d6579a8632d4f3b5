//! Reads a runbook file and hands its bytes to the pure loader; the I/O side
//! (missing file, permissions) is reported here, in the same diagnostic form.

use std::os::unix::fs::PermissionsExt;
use std::path::Path;

use crate::domain::diagnostic::Diagnostic;
use crate::domain::loader::load_bytes_with_env;
pub use crate::domain::loader::Loaded;
use crate::domain::loader::ProgramUse;

/// Loads and validates `path`, with this process's `WARROOM_VAR_*` overrides.
/// An unreadable or missing file is one diagnostic; a world-writable file gets
/// a warning (its commands would run as whoever opens it).
pub fn load(path: &Path) -> Result<Loaded, Vec<Diagnostic>> {
    let file = path.display().to_string();
    let bytes = match std::fs::read(path) {
        Ok(b) => b,
        Err(e) => {
            let what = match e.kind() {
                std::io::ErrorKind::NotFound => "no such file: check the path".to_string(),
                std::io::ErrorKind::PermissionDenied => "permission denied: check the file's permissions".to_string(),
                _ if path.is_dir() => "is a folder: give the runbook's .toml file".to_string(),
                _ => format!("cannot read the runbook: {e}"),
            };
            return Err(vec![Diagnostic::error(file, 0, 0, what)]);
        }
    };
    let mut warnings = Vec::new();
    if let Ok(meta) = std::fs::metadata(path) {
        if meta.permissions().mode() & 0o002 != 0 {
            warnings.push(Diagnostic::warning(
                &file,
                0,
                0,
                "the runbook is world-writable and its commands run as you: chmod o-w it",
            ));
        }
    }
    // `WARROOM_VAR_*` overrides apply to what the loader fills (log paths, link URLs).
    match load_bytes_with_env(path, &bytes, &|k| std::env::var(k).ok()) {
        Ok(mut loaded) => {
            super::session_journal::remember(&loaded.runbook);
            let dir = loaded.runbook.dir.clone();
            warnings.extend(programs_not_found(&file, &loaded.programs, &dir, std::env::var_os("PATH")));
            warnings.append(&mut loaded.warnings);
            loaded.warnings = warnings;
            Ok(loaded)
        }
        Err(mut diags) => {
            warnings.append(&mut diags);
            Err(warnings)
        }
    }
}

/// A warning for each program a command starts that is not there: a name
/// not found on PATH, or a path (relative to the runbook's folder, where
/// commands run) that is no executable file. The command would fail with exit
/// 127 in the middle of the go-live.
fn programs_not_found(
    file: &str,
    programs: &[ProgramUse],
    dir: &Path,
    path_var: Option<std::ffi::OsString>,
) -> Vec<Diagnostic> {
    let search: Vec<std::path::PathBuf> = path_var.map(|p| std::env::split_paths(&p).collect()).unwrap_or_default();
    let executable = |p: &Path| std::fs::metadata(p).is_ok_and(|m| m.is_file() && m.permissions().mode() & 0o111 != 0);
    let mut out = Vec::new();
    let mut seen = std::collections::BTreeSet::new();
    for u in programs {
        let (found, place, hint) = if u.program.contains('/') {
            (executable(&dir.join(&u.program)), "", "check the path (relative to the runbook's folder) and chmod +x")
        } else {
            let on_path = search.iter().any(|d| executable(&d.join(&u.program)));
            (on_path, " on PATH", "install it here or write its full path")
        };
        if !found && seen.insert(u.program.clone()) {
            let message = format!(
                "{} runs \"{}\", which is not found{place}: {hint} (it would fail with exit 127)",
                u.what, u.program
            );
            out.push(Diagnostic::warning(file, u.line, u.col, message));
        }
    }
    out
}

/// SHA-256 of the runbook file's bytes as they are now (`None` when it cannot
/// be read): what `session.opened` records and what `open` compares with it.
pub fn sha256_of(path: &Path) -> Option<String> {
    std::fs::read(path).ok().map(|b| crate::domain::session_runbook::sha256_hex(&b))
}

/// One diagnostic per line on stderr, compiler style.
pub fn print_diagnostics(diags: &[Diagnostic]) {
    for d in diags {
        errln!("{d}");
    }
}
