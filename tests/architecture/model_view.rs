//! The console's model/view line (docs/console.md, "Model and view"):
//! drawing never takes the model mutably; code that changes the model from
//! source events (`fn …(m: &mut Model, …)`) never reaches the view; and
//! outside the model's own module, the model's fields are never assigned or
//! mutated in place — changes go through `Model` methods or those handlers.

use std::fs;
use std::path::{Path, PathBuf};

use super::{code_only, rust_files};

/// Every function in `text`: (line number, signature, body), found by brace
/// counting from each `fn ` (comments dropped; good enough for this code base,
/// which has no braces in strings inside signatures).
pub fn functions(text: &str) -> Vec<(usize, String, String)> {
    let lines: Vec<&str> = text.lines().map(code_only).collect();
    let mut out = Vec::new();
    for (i, line) in lines.iter().enumerate() {
        let t = line.trim_start();
        let starts = t.starts_with("fn ") || t.starts_with("pub fn ") || t.starts_with("pub(crate) fn ");
        if !starts {
            continue;
        }
        let mut sig = String::new();
        let mut body = String::new();
        let mut depth = 0i32;
        let mut in_body = false;
        'outer: for l in &lines[i..] {
            for c in l.chars() {
                if !in_body {
                    if c == '{' {
                        in_body = true;
                        depth = 1;
                        continue;
                    }
                    if c == ';' {
                        break 'outer;
                    }
                    sig.push(c);
                } else {
                    match c {
                        '{' => depth += 1,
                        '}' => {
                            depth -= 1;
                            if depth == 0 {
                                break 'outer;
                            }
                        }
                        _ => {}
                    }
                    body.push(c);
                }
            }
            if in_body {
                body.push('\n');
            } else {
                sig.push(' ');
            }
        }
        out.push((i + 1, sig, body));
    }
    out
}

fn ui_files() -> Vec<PathBuf> {
    let mut files = Vec::new();
    rust_files(Path::new(concat!(env!("CARGO_MANIFEST_DIR"), "/src/ui")), &mut files);
    files.sort();
    files
}

fn fn_name(sig: &str) -> &str {
    let after = &sig[sig.find("fn ").map_or(0, |i| i + 3)..];
    after.split(|c: char| !(c.is_alphanumeric() || c == '_')).next().unwrap_or("")
}

#[test]
fn no_draw_function_takes_the_model_mutably() {
    let mut bad = Vec::new();
    for f in ui_files() {
        let text = fs::read_to_string(&f).expect("readable");
        for (line, sig, _) in functions(&text) {
            let name = fn_name(&sig);
            let draws = name.starts_with("draw") || name.starts_with("render");
            // `App::draw` lends the frame's leftovers (`Drawn`) to drawing; it is the one entry.
            let entry = f.ends_with("ui/app.rs") && name == "draw";
            if draws && !entry && (sig.contains("&mut App") || sig.contains("&mut Model") || sig.contains("&mut self"))
            {
                bad.push(format!("{}:{line}: {}", f.display(), sig.trim()));
            }
        }
    }
    assert!(bad.is_empty(), "drawing must read the model, not change it:\n{}", bad.join("\n"));
}

#[test]
fn source_handlers_change_the_model_and_never_the_view() {
    let mut bad = Vec::new();
    let mut handlers = 0;
    for f in ui_files() {
        let text = fs::read_to_string(&f).expect("readable");
        for (line, sig, body) in functions(&text) {
            if !sig.contains("&mut Model") {
                continue;
            }
            handlers += 1;
            for word in ["view.", "App", "overlay", "dirty"] {
                if body.contains(word) {
                    bad.push(format!("{}:{line}: {} uses `{word}`", f.display(), fn_name(&sig)));
                }
            }
        }
    }
    assert!(handlers >= 10, "expected the source handlers to take `&mut Model`; found {handlers}");
    assert!(bad.is_empty(), "a handler of source events changes the model only:\n{}", bad.join("\n"));
}

/// A field of `root` (`model`, `view`) changed in a line of code: assigned,
/// a mutating method called on it (`methods`, `a|b`), or borrowed mutably.
struct Changes {
    assign: regex::Regex,
    call: regex::Regex,
    borrow: regex::Regex,
}

impl Changes {
    fn of(root: &str, methods: &str) -> Changes {
        let re = |p: String| regex::Regex::new(&p).expect("regex");
        Changes {
            assign: re(format!(r"\b{root}\.[\w.]+(\[[^\]]*\])?\s*(=|\+=|-=)[^=]")),
            call: re(format!(r"\b{root}\.\w+(\.\w+)*\.({methods})\(")),
            borrow: re(format!(r"&mut\s+[\w.]*\b{root}\.\w+")),
        }
    }

    fn found_in(&self, line: &str) -> bool {
        self.assign.is_match(line) || self.call.is_match(line) || self.borrow.is_match(line)
    }
}

#[test]
fn model_fields_change_only_inside_the_model() {
    let changes = Changes::of(
        "model",
        "push|push_back|insert|remove|clear|entry|retain|extend|drain|get_mut|apply|mark_read|take",
    );
    let mut bad = Vec::new();
    for f in ui_files() {
        if f.ends_with("ui/model.rs") {
            continue;
        }
        let text = fs::read_to_string(&f).expect("readable");
        for (line, sig, body) in functions(&text) {
            if sig.contains("&mut Model") {
                continue; // a source handler: the model layer itself
            }
            for (i, l) in body.lines().enumerate() {
                if changes.found_in(l) {
                    bad.push(format!("{}:{}: {}", f.display(), line + i, l.trim()));
                }
            }
        }
    }
    assert!(
        bad.is_empty(),
        "outside src/ui/model.rs the model changes through its methods (or a `&mut Model` handler):\n{}",
        bad.join("\n")
    );
}

#[test]
fn the_function_reader_finds_signatures_and_bodies() {
    let text = "impl X {\n    pub fn draw(frame: &mut Frame,\n        app: &mut App) {\n        if a { b(); } // { not code\n        app.model.x = 1;\n    }\n    fn other(&self) -> u8 { 2 }\n}\n";
    let fns = functions(text);
    assert_eq!(fns.len(), 2, "{fns:?}");
    let (line, sig, body) = &fns[0];
    assert_eq!(*line, 2);
    assert!(sig.contains("&mut App") && fn_name(sig) == "draw", "{sig}");
    assert!(body.contains("app.model.x = 1;") && !body.contains("not code"), "{body}");
    assert_eq!(fn_name(&fns[1].1), "other");
}

/// Files outside the view layer: the model and its source handlers, the
/// session and its driver, plain mode and the launch. They change the view
/// only through `App`'s methods (`open`, `changed`, `with_badge`, `on_key`…).
const NOT_VIEW: &[&str] = &[
    "ui/model.rs",
    "ui/wiring/",
    "ui/logs_live.rs",
    "ui/activity.rs",
    "ui/messages.rs",
    "ui/session/",
    "ui/driver.rs",
    "ui/plain.rs",
    "ui/presence.rs",
    "ui/launch.rs",
    "ui/replay_launch.rs",
];

#[test]
fn only_the_view_layer_changes_the_view() {
    let changes =
        Changes::of("view", "push|insert|remove|clear|open|take_top|settle|select|retain|extend|get_mut|take");
    let mut bad = Vec::new();
    let mut checked = 0;
    for f in ui_files() {
        let name = f.to_string_lossy().replace('\\', "/");
        if !NOT_VIEW.iter().any(|p| name.contains(p)) {
            continue;
        }
        checked += 1;
        let text = fs::read_to_string(&f).expect("readable");
        for (n, l) in text.lines().map(code_only).enumerate() {
            if changes.found_in(l) {
                bad.push(format!("{name}:{}: {}", n + 1, l.trim()));
            }
        }
    }
    assert!(checked >= 15, "expected the model layer, session and driver files; found {checked}");
    assert!(bad.is_empty(), "outside the view layer the view changes through App's methods:\n{}", bad.join("\n"));
}

#[test]
fn dialog_handlers_read_the_model_and_answer_with_effects() {
    // A dialog's key handler (its `on_key`, or a step of it answering `Handled`)
    // reads the app and returns a transition and effects (docs/console.md, "Dialogs"):
    // what it changes is said as an effect, applied in one place (`App::apply`).
    let dir = Path::new(concat!(env!("CARGO_MANIFEST_DIR"), "/src/ui/overlay"));
    let mut files = Vec::new();
    rust_files(dir, &mut files);
    files.sort();
    let mut bad = Vec::new();
    let mut handlers = 0;
    for f in files {
        let text = fs::read_to_string(&f).expect("readable");
        let file = f.file_name().and_then(|n| n.to_str()).unwrap_or("").to_string();
        for (line, sig, _) in functions(&text) {
            if fn_name(&sig) != "on_key" && !sig.contains("Handled") {
                continue;
            }
            // The stack's own key step (`overlay::on_key`) is where the effects are applied.
            if file == "mod.rs" {
                continue;
            }
            handlers += 1;
            let mutating = sig.contains("&mut App") || sig.contains("&mut Model") || sig.contains("&mut View");
            if mutating {
                bad.push(format!("{}:{line}: {}", f.display(), sig.trim()));
            }
        }
    }
    assert!(handlers >= 18, "expected a key handler per dialog under src/ui/overlay; found {handlers}");
    assert!(
        bad.is_empty(),
        "a dialog's key handler takes the app read-only (`&App`) and answers with effects:\n{}",
        bad.join("\n")
    );
}

#[test]
fn a_change_is_told_from_a_read() {
    let c = Changes::of("model", "push|insert");
    assert!(c.found_in("app.model.state = x;"));
    assert!(c.found_in("self.app.model.procs.outputs.insert(k, v);"));
    assert!(c.found_in("std::mem::take(&mut app.model.bell)"));
    assert!(!c.found_in("if app.model.state == other {"), "a comparison reads");
    assert!(!c.found_in("let s = &app.model.state;"), "a shared borrow reads");
    assert!(!c.found_in("app.model.say(x);"), "a method of the model is its own way to change");
}
