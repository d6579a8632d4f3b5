//! Holds the line the developer guide draws: `src/domain/` is pure — no
//! terminal, network, async runtime, file watching, file/network I/O or clock
//! reads. Time is passed in; the world arrives as events.

use std::fs;
use std::path::{Path, PathBuf};

/// Text that must never appear in domain code (outside comments).
const FORBIDDEN: &[(&str, &str)] = &[
    ("tokio", "async runtime"),
    ("ratatui", "terminal UI"),
    ("crossterm", "terminal"),
    ("reqwest", "network"),
    ("notify", "file watching"),
    ("axum", "network"),
    ("std::fs", "file I/O"),
    ("std::net", "network"),
    ("std::process", "processes"),
    ("Utc::now", "clock read (pass time in)"),
    ("Local::now", "clock read (pass time in)"),
    ("SystemTime::now", "clock read (pass time in)"),
    ("Instant::now", "clock read (pass time in)"),
    ("std::env::var", "environment read (pass values in)"),
];

fn rust_files(dir: &Path, out: &mut Vec<PathBuf>) {
    for entry in fs::read_dir(dir).expect("src/domain is readable") {
        let p = entry.expect("dir entry").path();
        if p.is_dir() {
            rust_files(&p, out);
        } else if p.extension().is_some_and(|e| e == "rs") {
            out.push(p);
        }
    }
}

/// Drops `//` comments so that a comment may name what the code must not do.
fn code_only(line: &str) -> &str {
    match line.find("//") {
        Some(i) => &line[..i],
        None => line,
    }
}

#[test]
fn domain_is_pure() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("src/domain");
    let mut files = Vec::new();
    rust_files(&root, &mut files);
    assert!(files.len() >= 5, "expected the domain modules under {}", root.display());
    let mut problems = Vec::new();
    for f in &files {
        let text = fs::read_to_string(f).unwrap();
        // Test modules may run real processes (e.g. the S5 shell-quoting check): only production code is held to the line.
        let prod = match text.find("#[cfg(test)]") {
            Some(i) => &text[..i],
            None => &text[..],
        };
        for (n, line) in prod.lines().enumerate() {
            let code = code_only(line);
            for (needle, why) in FORBIDDEN {
                if code.contains(needle) {
                    problems.push(format!("{}:{}: `{}` ({}) in the pure domain", f.display(), n + 1, needle, why));
                }
            }
        }
    }
    assert!(problems.is_empty(), "domain purity broken:\n{}", problems.join("\n"));
}
