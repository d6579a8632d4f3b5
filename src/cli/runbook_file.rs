//! Reads a runbook file and hands its bytes to the pure loader; the I/O side
//! (missing file, permissions) is reported here, in the same diagnostic form.

use std::os::unix::fs::PermissionsExt;
use std::path::Path;

use crate::domain::diagnostic::Diagnostic;
use crate::domain::loader::load_bytes;
pub use crate::domain::loader::Loaded;

/// Loads and validates `path`. An unreadable or missing file is one
/// diagnostic; a world-writable file gets a warning (its commands would run
/// as whoever opens it).
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
    match load_bytes(path, &bytes) {
        Ok(mut loaded) => {
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

/// One diagnostic per line on stderr, compiler style.
pub fn print_diagnostics(diags: &[Diagnostic]) {
    for d in diags {
        errln!("{d}");
    }
}
