//! Screen layouts as files: nested splits, each part a pane or another split,
//! sized in percent (`"40%"`) or cells (`"12"`), filled otherwise. Built-ins
//! are embedded; `config_dir()/layouts/NAME.toml` wins over a built-in of the
//! same name. The status line is always the bottom row, outside the layout.

use std::path::Path;

use ratatui::layout::{Constraint, Direction, Layout as RLayout, Rect};
use serde::Deserialize;

use super::config_error::{line_of, ConfigError};
use super::panes::PaneId;

pub const BUILTIN: &[(&str, &str)] = &[
    ("t0", include_str!("../../layouts/t0.toml")),
    ("validation", include_str!("../../layouts/validation.toml")),
    ("monitor", include_str!("../../layouts/monitor.toml")),
];

#[derive(Clone, Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct NodeFile {
    #[serde(default)]
    #[allow(dead_code)]
    description: Option<String>,
    size: Option<toml::Spanned<String>>,
    direction: Option<toml::Spanned<String>>,
    pane: Option<toml::Spanned<String>>,
    #[serde(default)]
    part: Vec<NodeFile>,
}

#[derive(Clone, Debug, PartialEq)]
pub enum Node {
    Pane(PaneId),
    Split { direction: Direction, parts: Vec<(Constraint, Node)> },
}

#[derive(Clone, Debug, PartialEq)]
pub struct Layout {
    pub name: String,
    pub root: Node,
}

fn parse_size(s: &str) -> Option<Constraint> {
    let s = s.trim();
    if s == "fill" || s == "*" {
        return Some(Constraint::Fill(1));
    }
    if let Some(p) = s.strip_suffix('%') {
        return p.trim().parse::<u16>().ok().filter(|p| *p <= 100).map(Constraint::Percentage);
    }
    s.parse::<u16>().ok().map(Constraint::Length)
}

fn convert(n: NodeFile, file: &str, text: &str, seen: &mut Vec<PaneId>) -> Result<Node, ConfigError> {
    let err = |sp: std::ops::Range<usize>, m: String| ConfigError::new(file, line_of(text, sp.start), m);
    match (n.pane, n.part.is_empty()) {
        (Some(p), true) => {
            let id = PaneId::parse(p.get_ref()).ok_or_else(|| {
                err(
                    p.span(),
                    format!("unknown pane \"{}\": use steps, checklist, probes, logs or escalation", p.get_ref()),
                )
            })?;
            if seen.contains(&id) {
                return Err(err(p.span(), format!("pane \"{}\" appears twice", p.get_ref())));
            }
            seen.push(id);
            Ok(Node::Pane(id))
        }
        (Some(p), false) => Err(err(p.span(), "a part is either a pane or a split with [[...part]]s, not both".into())),
        (None, true) => Err(ConfigError::new(file, 0, "a split has no parts and no pane: add pane = \"...\"")),
        (None, false) => {
            let direction = match &n.direction {
                None => Direction::Vertical,
                Some(d) => match d.get_ref().as_str() {
                    "vertical" | "rows" => Direction::Vertical,
                    "horizontal" | "columns" => Direction::Horizontal,
                    other => {
                        return Err(err(d.span(), format!("direction \"{other}\": use \"horizontal\" or \"vertical\"")))
                    }
                },
            };
            let mut parts = Vec::new();
            for p in n.part {
                let c = match &p.size {
                    None => Constraint::Fill(1),
                    Some(s) => parse_size(s.get_ref()).ok_or_else(|| {
                        err(
                            s.span(),
                            format!("size \"{}\": use a percent (\"40%\"), cells (\"12\") or \"fill\"", s.get_ref()),
                        )
                    })?,
                };
                parts.push((c, convert(p, file, text, seen)?));
            }
            Ok(Node::Split { direction, parts })
        }
    }
}

impl Layout {
    pub fn parse(name: &str, file: &str, text: &str) -> Result<Layout, ConfigError> {
        let nf: NodeFile = toml::from_str(text).map_err(|e| ConfigError::from_toml(file, text, &e))?;
        let mut seen = Vec::new();
        let root = convert(nf, file, text, &mut seen)?;
        Ok(Layout { name: name.to_string(), root })
    }

    pub fn load(name: &str, config_dir: Option<&Path>) -> Result<Layout, ConfigError> {
        if let Some(path) = config_dir.map(|d| d.join("layouts").join(format!("{name}.toml"))).filter(|p| p.exists()) {
            let file = path.display().to_string();
            let text = std::fs::read_to_string(&path)
                .map_err(|e| ConfigError::new(&file, 0, format!("cannot read it: {e}")))?;
            return Layout::parse(name, &file, &text);
        }
        match BUILTIN.iter().find(|(n, _)| *n == name) {
            Some((n, text)) => Layout::parse(n, &format!("<built-in layouts/{n}.toml>"), text),
            None => Err(ConfigError::new(
                format!("layouts/{name}.toml"),
                0,
                format!("no layout \"{name}\": use one of {}", available(config_dir).join(", ")),
            )),
        }
    }

    pub fn builtin(name: &str) -> Layout {
        let text = BUILTIN.iter().find(|(n, _)| *n == name).map(|(_, t)| *t).unwrap_or(BUILTIN[0].1);
        Layout::parse(name, name, text).expect("built-in layouts are valid")
    }

    /// Where each pane goes inside `area`.
    pub fn areas(&self, area: Rect) -> Vec<(PaneId, Rect)> {
        let mut out = Vec::new();
        place(&self.root, area, &mut out);
        out
    }

    /// Whether the layout places `pane` anywhere (a walk of the tree, no solving).
    pub fn contains(&self, pane: PaneId) -> bool {
        fn has(node: &Node, pane: PaneId) -> bool {
            match node {
                Node::Pane(p) => *p == pane,
                Node::Split { parts, .. } => parts.iter().any(|(_, n)| has(n, pane)),
            }
        }
        has(&self.root, pane)
    }
}

fn place(node: &Node, area: Rect, out: &mut Vec<(PaneId, Rect)>) {
    match node {
        Node::Pane(p) => out.push((*p, area)),
        Node::Split { direction, parts } => {
            let rects = RLayout::default()
                .direction(*direction)
                .constraints(parts.iter().map(|(c, _)| *c).collect::<Vec<_>>())
                .split(area);
            for ((_, n), r) in parts.iter().zip(rects.iter()) {
                place(n, *r, out);
            }
        }
    }
}

/// `*.toml` stems in `config_dir()/SUB`, sorted.
pub fn user_files(config_dir: Option<&Path>, sub: &str) -> Vec<String> {
    let Some(dir) = config_dir.map(|d| d.join(sub)) else { return Vec::new() };
    let mut names: Vec<String> = std::fs::read_dir(dir)
        .into_iter()
        .flatten()
        .flatten()
        .filter_map(|e| {
            let p = e.path();
            (p.extension().is_some_and(|x| x == "toml")).then(|| p.file_stem()?.to_str().map(str::to_string))?
        })
        .collect();
    names.sort();
    names
}

/// Layout names to cycle through with `L`: built-ins, then the user's files.
pub fn available(config_dir: Option<&Path>) -> Vec<String> {
    let mut names: Vec<String> = BUILTIN.iter().map(|(n, _)| n.to_string()).collect();
    for n in user_files(config_dir, "layouts") {
        if !names.contains(&n) {
            names.push(n);
        }
    }
    names
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn builtins_hold_every_pane_once() {
        for (name, _) in BUILTIN {
            let l = Layout::builtin(name);
            let areas = l.areas(Rect::new(0, 0, 160, 49));
            for p in PaneId::ALL {
                assert_eq!(areas.iter().filter(|(q, _)| q == p).count(), 1, "{name} {p:?}");
            }
        }
    }

    #[test]
    fn bad_layouts_name_file_and_line() {
        let e = Layout::parse("x", "x.toml", "direction = \"horizontal\"\n[[part]]\npane = \"stepz\"\n").unwrap_err();
        assert_eq!((e.file.as_str(), e.line), ("x.toml", 3));
        let e = Layout::parse("x", "x.toml", "direction = \"diagonal\"\n[[part]]\npane = \"steps\"\n").unwrap_err();
        assert_eq!(e.line, 1);
        let e = Layout::parse("x", "x.toml", "[[part]]\nsize = \"40 percent\"\npane = \"steps\"\n").unwrap_err();
        assert_eq!(e.line, 2);
        let e = Layout::parse("x", "x.toml", "[[part]]\npane = \"steps\"\n[[part]]\npane = \"steps\"\n").unwrap_err();
        assert!(e.message.contains("twice"), "{e}");
        let e = Layout::parse("x", "x.toml", "[[part]]\npane = \n").unwrap_err();
        assert_eq!(e.line, 2);
    }
}
