//! The keys a dialog names on its bottom border ("j/k scroll · Esc close").
//! The built-in line stays as written; once the user's keys.toml binds keys
//! in a dialog's layer, the line is built from the live keymap instead, so it
//! never names a key that no longer does that (docs/console.md, "Keys").

use super::Layer;
use crate::ui::action::DialogAction;
use crate::ui::app::App;
use crate::ui::keymap::{KeyCodeOrd, KeySpec};

/// One part of a hint line.
pub enum Part {
    /// The keys of these actions in this layer, then what they do. One action:
    /// all its keys ("Esc/q close"); several: the first key of each ("j/k scroll").
    Keys(Layer, &'static [DialogAction], &'static str),
    /// Words with no key of a layer ("type the reason").
    Text(&'static str),
}

/// `built_in`, or — when the user binds keys in one of the parts' layers —
/// the parts with the keys the keymap has now.
pub fn hint(app: &App, built_in: &str, parts: &[Part]) -> String {
    let touched = parts.iter().any(|p| matches!(p, Part::Keys(l, ..) if app.view.keymap.user_bound(*l)));
    if !touched {
        return built_in.to_string();
    }
    let said: Vec<String> = parts
        .iter()
        .filter_map(|p| match p {
            Part::Text(t) => Some(t.to_string()),
            Part::Keys(layer, actions, what) => {
                let keys: Vec<String> = match actions {
                    [one] => app.view.keymap.dialog_keys_of(*layer, *one).iter().map(shown).collect(),
                    many => many
                        .iter()
                        .filter_map(|a| app.view.keymap.dialog_keys_of(*layer, *a).first().map(shown))
                        .collect(),
                };
                // An action left with no key is not named at all.
                let keys = keys.join("/");
                (!keys.is_empty()).then(|| if what.is_empty() { keys } else { format!("{keys} {what}") })
            }
        })
        .collect();
    said.join(" · ")
}

/// A key as the hints write it: "Esc", "Enter", "↑", "PgDn", "j", "ctrl-j".
fn shown(k: &KeySpec) -> String {
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
