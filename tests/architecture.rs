//! Holds the line the developer guide draws: `src/domain/` is pure — no
//! terminal, network, async runtime, file watching, file/network I/O or clock
//! reads. Time is passed in; the world arrives as events.

use std::fs;
use std::path::{Path, PathBuf};

#[path = "architecture/model_view.rs"]
mod model_view;

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

/// The layers, lowest first (docs/console.md, "Layers"): a file
/// may use its own layer and the layers below it, never one above. `demo` is
/// part of the command line (it starts a platform, then the console).
const LAYERS: &[(&str, usize)] = &[("domain", 0), ("sources", 1), ("ui", 2), ("cli", 3), ("demo", 3)];

fn rank(layer: &str) -> Option<usize> {
    LAYERS.iter().find(|(name, _)| *name == layer).map(|(_, r)| *r)
}

fn ident_at(s: &str) -> &str {
    let end = s.find(|c: char| !(c.is_ascii_alphanumeric() || c == '_')).unwrap_or(s.len());
    &s[..end]
}

/// Every top-level module a file names through `crate::…` (including each
/// head of a `crate::{a::…, b::…}` group) or through enough `super::` to
/// climb out of its layer: `(line, module)`, comments left out.
fn crate_modules(text: &str, depth: usize) -> Vec<(usize, String)> {
    let lines: Vec<&str> = text.lines().map(code_only).collect();
    let mut found = Vec::new();
    for (n, line) in lines.iter().enumerate() {
        let mut rest = *line;
        while let Some(i) = rest.find("crate::") {
            let before = rest[..i].chars().last();
            rest = &rest[i + "crate::".len()..];
            if before.is_some_and(|c| c.is_ascii_alphanumeric() || c == '_') {
                continue;
            }
            if rest.starts_with('{') {
                group_heads(&lines, n, line.len() - rest.len() + 1, &mut found);
            } else {
                found.push((n + 1, ident_at(rest).to_string()));
            }
        }
        // `super::super::x` from `src/ui/wiring/runs.rs` (depth 3) stays in
        // `ui`; as many `super::` as the file is deep reach the crate root.
        let mut rest = *line;
        while let Some(i) = rest.find("super::") {
            let mut supers = 0;
            let mut tail = &rest[i..];
            while let Some(t) = tail.strip_prefix("super::") {
                supers += 1;
                tail = t;
            }
            if supers >= depth {
                found.push((n + 1, ident_at(tail).to_string()));
            }
            rest = tail;
        }
    }
    found
}

/// The first word of each comma-separated item of a `{…}` group that starts
/// at `lines[n][col..]` and may run over several lines.
fn group_heads(lines: &[&str], n: usize, col: usize, found: &mut Vec<(usize, String)>) {
    let mut level = 1;
    let mut expect_head = true;
    let mut ln = n;
    let mut text = &lines[n][col..];
    loop {
        let mut chars = text.char_indices().peekable();
        while let Some((i, c)) = chars.next() {
            match c {
                '{' => level += 1,
                '}' => {
                    level -= 1;
                    if level == 0 {
                        return;
                    }
                }
                ',' if level == 1 => expect_head = true,
                c if expect_head && (c.is_ascii_alphabetic() || c == '_') => {
                    let word = ident_at(&text[i..]);
                    found.push((ln + 1, word.to_string()));
                    expect_head = false;
                    for _ in 1..word.len() {
                        chars.next();
                    }
                }
                _ => {}
            }
        }
        ln += 1;
        match lines.get(ln) {
            Some(l) => text = l,
            None => return,
        }
    }
}

#[test]
fn imports_follow_the_layers() {
    let src = Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
    let mut files = Vec::new();
    rust_files(&src, &mut files);
    let mut problems = Vec::new();
    let mut checked = 0;
    for f in &files {
        let rel = f.strip_prefix(&src).unwrap();
        let parts: Vec<&str> = rel.iter().map(|p| p.to_str().unwrap()).collect();
        // lib.rs and main.rs sit above every layer.
        let Some(own) = rank(parts[0]).filter(|_| parts.len() > 1) else { continue };
        // `src/ui/wiring/runs.rs` is module ui::wiring::runs (depth 3); a mod.rs is its folder.
        let depth = if parts.last() == Some(&"mod.rs") { parts.len() - 1 } else { parts.len() };
        let text = fs::read_to_string(f).unwrap();
        for (line, module) in crate_modules(&text, depth) {
            checked += 1;
            if rank(&module).is_some_and(|r| r > own) {
                let layer = parts[0];
                problems.push(format!(
                    "{}:{line}: {layer} uses crate::{module}, a layer above it ({layer} may use only {}); \
                     move what it needs down into {layer}, or pass it in",
                    Path::new("src").join(rel).display(),
                    allowed(own),
                ));
            }
        }
    }
    assert!(checked > 100, "found only {checked} crate:: paths under {}: is the parser broken?", src.display());
    assert!(problems.is_empty(), "imports against domain ← sources ← ui ← cli:\n{}", problems.join("\n"));
}

fn allowed(own: usize) -> String {
    let names: Vec<&str> = LAYERS.iter().filter(|(_, r)| *r <= own).map(|(n, _)| *n).collect();
    names.join(", ")
}

/// The parser above, on the shapes it must see through.
#[test]
fn the_import_parser_sees_groups_nesting_and_super() {
    let text = "use crate::domain::x;\n\
                use crate::{\n    sources::{a, b},\n    ui::c, // crate::cli in a comment\n};\n\
                let y = crate::cli::common::f();\n\
                use super::super::demo::z;\n\
                let s = \"my_crate::ui\";\n";
    let got = crate_modules(text, 2);
    let want: Vec<(usize, String)> = [(1, "domain"), (3, "sources"), (4, "ui"), (6, "cli"), (7, "demo")]
        .iter()
        .map(|(l, m)| (*l, m.to_string()))
        .collect();
    assert_eq!(got, want);
    // One `super::` from a file two deep stays in its layer.
    assert!(crate_modules("use super::x::y;\n", 2).is_empty());
}
