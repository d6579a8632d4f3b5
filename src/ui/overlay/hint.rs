//! The keys a dialog names on its bottom border ("j/k scroll · Esc close"),
//! always built from the live keymap, so a hint never names a key that does
//! not do that and never leaves out one that does (docs/console.md, "Keys").

use super::Layer;
use crate::ui::action::{Action, DialogAction};
use crate::ui::app::App;
use crate::ui::keymap::{KeyCodeOrd, KeySpec, Keymap};
use crate::ui::panes::PaneId;

/// One part of a hint line.
pub enum Part {
    /// The keys of these actions in this layer, then what they do. One action:
    /// all its keys ("Esc/q close"); several: the first key of each ("j/k scroll").
    Keys(Layer, &'static [DialogAction], &'static str),
    /// Groups of keys side by side (each as in `Keys`), then what they do: "j/k g/G scroll".
    Groups(Layer, &'static [&'static [DialogAction]], &'static str),
    /// The first key of each action only: "j skip" (`↓` skips too).
    First(Layer, &'static [DialogAction], &'static str),
    /// Pane keys as `pane` resolves them (its section, then `[global]`), the
    /// first key of each action, groups side by side: "PgUp/PgDn g/G scroll", "F follow".
    Pane(PaneId, &'static [&'static [Action]], &'static str),
    /// Words with no key of a layer ("type the reason").
    Text(&'static str),
}

/// The parts with the keys the keymap has; a part left with no key is not named.
pub fn hint(app: &App, parts: &[Part]) -> String {
    hint_in(&app.view.keymap, parts)
}

/// `hint` for a keymap alone.
pub fn hint_in(km: &Keymap, parts: &[Part]) -> String {
    let layer_keys = |layer: Layer, actions: &[DialogAction]| -> String {
        let keys: Vec<String> = match actions {
            [one] => km.dialog_keys_of(layer, *one).iter().map(shown).collect(),
            many => many.iter().filter_map(|a| km.dialog_keys_of(layer, *a).first().map(shown)).collect(),
        };
        keys.join("/")
    };
    let first_keys = |keys: Vec<Option<KeySpec>>| -> String {
        keys.into_iter().flatten().map(|k| shown(&k)).collect::<Vec<_>>().join("/")
    };
    let said: Vec<String> = parts
        .iter()
        .filter_map(|p| {
            let (keys, what) = match p {
                Part::Text(t) => return Some(t.to_string()),
                Part::Keys(layer, actions, what) => (layer_keys(*layer, actions), *what),
                Part::Groups(layer, groups, what) => {
                    let g: Vec<String> =
                        groups.iter().map(|g| layer_keys(*layer, g)).filter(|k| !k.is_empty()).collect();
                    (g.join(" "), *what)
                }
                Part::First(layer, actions, what) => (
                    first_keys(actions.iter().map(|a| km.dialog_keys_of(*layer, *a).first().copied()).collect()),
                    *what,
                ),
                Part::Pane(pane, groups, what) => {
                    let g: Vec<String> = groups
                        .iter()
                        .map(|g| first_keys(g.iter().map(|a| km.pane_keys_of(*pane, *a).first().copied()).collect()))
                        .filter(|k| !k.is_empty())
                        .collect();
                    (g.join(" "), *what)
                }
            };
            (!keys.is_empty()).then(|| if what.is_empty() { keys } else { format!("{keys} {what}") })
        })
        .collect();
    said.join(" · ")
}

/// `template` with each `{action-name}` replaced by the action's first key
/// ("{help} this help" → "? this help"); an action with no key leaves "-".
pub fn fill(km: &Keymap, template: &str) -> String {
    let mut out = String::new();
    let mut rest = template;
    while let Some(open) = rest.find('{') {
        let Some(len) = rest[open..].find('}') else { break };
        out.push_str(&rest[..open]);
        let name = &rest[open + 1..open + len];
        let key = Action::from_name(name).and_then(|a| km.keys_of(a).first().map(|(_, k)| shown(k)));
        out.push_str(key.as_deref().unwrap_or("-"));
        rest = &rest[open + len + 1..];
    }
    out.push_str(rest);
    out
}

/// The keys of one dialog action, as a hint writes them: all ("n/Esc/q"),
/// or the first only; "-" when it has none (said in a dialog's error lines).
pub fn dialog_key(app: &App, layer: Layer, action: DialogAction, all: bool) -> String {
    let keys = app.view.keymap.dialog_keys_of(layer, action);
    let n = if all { keys.len() } else { 1 };
    let said: Vec<String> = keys.iter().take(n).map(shown).collect();
    if said.is_empty() {
        "-".into()
    } else {
        said.join("/")
    }
}

/// The first key of a pane action as a hint writes it ("F", "?"), if it has one.
pub fn pane_key(app: &App, pane: PaneId, action: Action) -> Option<String> {
    app.view.keymap.pane_keys_of(pane, action).first().map(shown)
}

/// How to step through a search's matches from `pane`, as the keymap binds
/// it there: "n/N next/previous" (the words `next`, `previous` given), or the
/// palette when the pane gives those keys to something else (`n` marks N/A in
/// the Checklist).
pub fn search_steps(app: &App, pane: PaneId, next: &str, previous: &str) -> String {
    let n = pane_key(app, pane, Action::SearchNext);
    let p = pane_key(app, pane, Action::SearchPrev);
    match (n, p) {
        (Some(n), Some(p)) => format!("{n}/{p} {next}/{previous}"),
        (Some(n), None) => format!("{n} {next}"),
        (None, Some(p)) => format!("{p} {previous}"),
        (None, None) => format!("{next}/{previous}: search-next/search-prev in the palette"),
    }
}

/// "1 match", "3 matches".
pub fn matches(n: usize) -> String {
    if n == 1 {
        "1 match".to_string()
    } else {
        format!("{n} matches")
    }
}

/// A key as the hints write it: "Esc", "Enter", "↑", "PgDn", "j", "ctrl-j".
pub fn shown(k: &KeySpec) -> String {
    if k.ctrl || k.alt || k.shift {
        return k.to_string();
    }
    match k.code {
        KeyCodeOrd::Char(' ') => "Space".into(),
        KeyCodeOrd::Esc => "Esc".into(),
        KeyCodeOrd::Enter => "Enter".into(),
        KeyCodeOrd::Tab => "Tab".into(),
        KeyCodeOrd::BackTab => "Shift-Tab".into(),
        KeyCodeOrd::Backspace => "Backspace".into(),
        KeyCodeOrd::Up => "↑".into(),
        KeyCodeOrd::Down => "↓".into(),
        KeyCodeOrd::Left => "←".into(),
        KeyCodeOrd::Right => "→".into(),
        KeyCodeOrd::PageUp => "PgUp".into(),
        KeyCodeOrd::PageDown => "PgDn".into(),
        KeyCodeOrd::Home => "Home".into(),
        KeyCodeOrd::End => "End".into(),
        KeyCodeOrd::Insert => "Insert".into(),
        KeyCodeOrd::Delete => "Delete".into(),
        KeyCodeOrd::F(n) => format!("F{n}"),
        KeyCodeOrd::Char(_) => k.to_string(),
    }
}
