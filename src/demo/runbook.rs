//! The demo's built-in runbook (`runbook.toml`, embedded) and how it is made
//! concrete for one run: the real platform URL, temp folder and database port
//! are written into its `[vars]` (and the database port into the one `tcp`
//! probe), so the file on disk is a plain runbook that `warroom check` and
//! `warroom open` accept as is.

use std::path::Path;

/// The runbook as shipped, with placeholder values in `[vars]`.
pub const TEMPLATE: &str = include_str!("runbook.toml");

/// Where this run of the demo lives.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct DemoPlaces {
    /// Base URL of the local platform, like `http://127.0.0.1:41234`.
    pub site: String,
    /// The demo's temp folder.
    pub demo_dir: String,
    /// `host:port` of the platform's database port (written into the `tcp` probe).
    pub database: String,
}

impl DemoPlaces {
    pub fn new(site: impl Into<String>, demo_dir: &Path, database: impl Into<String>) -> Self {
        DemoPlaces { site: site.into(), demo_dir: demo_dir.display().to_string(), database: database.into() }
    }

    fn value_of(&self, var: &str) -> Option<&str> {
        match var {
            "site" => Some(&self.site),
            "demo_dir" => Some(&self.demo_dir),
            _ => None,
        }
    }
}

/// The runbook text for one run. Line-based on purpose: the embedded file's
/// layout is ours and known, and this keeps its comments for the reader
/// (re-serialising through `toml` would drop them).
pub fn render(places: &DemoPlaces) -> String {
    let mut out = String::with_capacity(TEMPLATE.len() + 256);
    let mut section = String::new();
    for line in TEMPLATE.lines() {
        let trimmed = line.trim_start();
        if trimmed.starts_with('[') {
            section = trimmed.trim_end().to_string();
        }
        let rendered = if section == "[vars]" {
            replace_var_value(line, places)
        } else if trimmed.starts_with("tcp = ") {
            Some(format!("tcp = {}", toml_string(&places.database)))
        } else if section == "[[channel]]" && trimmed.starts_with("url = ") {
            // The demo chat's webhook lives on the platform (`/hooks/chat`).
            Some(format!("url = {}", toml_string(&format!("{}/hooks/chat", places.site))))
        } else {
            None
        };
        out.push_str(rendered.as_deref().unwrap_or(line));
        out.push('\n');
    }
    out
}

/// `site = "…"` in `[vars]` → `site = "<real value>"`.
fn replace_var_value(line: &str, places: &DemoPlaces) -> Option<String> {
    let (key, _) = line.split_once('=')?;
    let value = places.value_of(key.trim())?;
    Some(format!("{} = {}", key.trim(), toml_string(value)))
}

fn toml_string(value: &str) -> String {
    format!("\"{}\"", toml_escape(value))
}

/// Escapes text for a TOML basic ("…") string.
fn toml_escape(value: &str) -> String {
    let mut s = String::with_capacity(value.len());
    for c in value.chars() {
        match c {
            '\\' => s.push_str("\\\\"),
            '"' => s.push_str("\\\""),
            '\n' => s.push_str("\\n"),
            '\t' => s.push_str("\\t"),
            c if c.is_control() => s.push_str(&format!("\\u{:04X}", c as u32)),
            c => s.push(c),
        }
    }
    s
}

#[cfg(test)]
mod tests {
    use super::*;

    fn places() -> DemoPlaces {
        DemoPlaces::new("http://127.0.0.1:4321", Path::new("/tmp/wr demo \"x\""), "127.0.0.1:5555")
    }

    #[test]
    fn template_is_valid_toml() {
        let t: toml::Table = toml::from_str(TEMPLATE).expect("embedded runbook parses");
        assert!(t.contains_key("runbook"));
    }

    #[test]
    fn render_fills_vars_and_places() {
        let text = render(&places());
        let t: toml::Table = toml::from_str(&text).expect("rendered runbook parses");
        let vars = t["vars"].as_table().unwrap();
        assert_eq!(vars["site"].as_str(), Some("http://127.0.0.1:4321"));
        assert_eq!(vars["demo_dir"].as_str(), Some("/tmp/wr demo \"x\""));
        let db = t["probe"].as_array().unwrap().iter().find(|p| p["id"].as_str() == Some("database")).unwrap();
        assert_eq!(db["tcp"].as_str(), Some("127.0.0.1:5555"));
        let ch = t["channel"].as_array().unwrap().iter().find(|c| c["id"].as_str() == Some("golive")).unwrap();
        assert_eq!(ch["url"].as_str(), Some("http://127.0.0.1:4321/hooks/chat"));
    }

    #[test]
    fn render_keeps_comments_and_everything_else() {
        let text = render(&places());
        assert_eq!(text.lines().count(), TEMPLATE.lines().count());
        assert!(text.contains("# The built-in runbook of `warroom demo`"));
        // Run commands keep their placeholders: the step runner fills them, shell-quoted.
        assert!(text.contains("echo api > {demo_dir}/control/chaos"));
    }
}
