//! Keys → actions. The default map is embedded from `keys.toml` (the keys
//! docs/console.md lists); a user `keys.toml` in the config dir overrides single bindings.
//! Dialogs have a section each (`[dialog.<name>]`, `overlay::layer`).
//! An unknown action, an unknown key or two actions on one key is an error
//! naming file and line.

use std::collections::BTreeMap;
use std::fmt;
use std::path::Path;

use ratatui::crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
use serde::Deserialize;

use super::action::{Action, DialogAction};
use super::config_error::{line_of, ConfigError};
use super::overlay::layer::Layer;
use super::panes::PaneId;

pub const DEFAULT_KEYS: &str = include_str!("keys.toml");
const DEFAULT_NAME: &str = "<built-in keys.toml>";

/// What a key may be written as, for the error on one that is not.
const KEY_NAMES: &str = "write one character (\"x\", \"G\", \"?\"), \"space\", \"enter\", \"esc\", \"tab\", \
     \"backspace\", \"up\", \"down\", \"left\", \"right\", \"pageup\", \"pagedown\", \"home\", \"end\", \"insert\", \
     \"delete\" or \"f1\"…\"f12\", with \"ctrl-\", \"alt-\" or \"shift-\" before it if you like";

/// A key as written in keys.toml, normalised so it compares with terminal events.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct KeySpec {
    pub code: KeyCodeOrd,
    pub ctrl: bool,
    pub alt: bool,
    pub shift: bool,
}

/// `KeyCode` subset with an order (for stable help listings).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum KeyCodeOrd {
    Char(char),
    F(u8),
    Enter,
    Esc,
    Tab,
    BackTab,
    Backspace,
    Up,
    Down,
    Left,
    Right,
    PageUp,
    PageDown,
    Home,
    End,
    Insert,
    Delete,
}

impl KeySpec {
    pub fn parse(text: &str) -> Result<KeySpec, String> {
        let mut ctrl = false;
        let mut alt = false;
        let mut shift = false;
        let mut rest = text;
        loop {
            let lower = rest.to_ascii_lowercase();
            if rest.chars().count() > 1 && lower.starts_with("ctrl-") {
                ctrl = true;
                rest = &rest[5..];
            } else if rest.chars().count() > 1 && lower.starts_with("alt-") {
                alt = true;
                rest = &rest[4..];
            } else if rest.chars().count() > 1 && lower.starts_with("shift-") {
                shift = true;
                rest = &rest[6..];
            } else {
                break;
            }
        }
        let mut chars = rest.chars();
        let code = match (chars.next(), chars.next()) {
            (Some(c), None) => {
                if ctrl || alt {
                    KeyCodeOrd::Char(c.to_ascii_lowercase())
                } else {
                    KeyCodeOrd::Char(c)
                }
            }
            _ => match rest.to_ascii_lowercase().as_str() {
                "space" => KeyCodeOrd::Char(' '),
                "enter" | "return" => KeyCodeOrd::Enter,
                "esc" | "escape" => KeyCodeOrd::Esc,
                "tab" if shift => {
                    shift = false;
                    KeyCodeOrd::BackTab
                }
                "tab" => KeyCodeOrd::Tab,
                "backtab" => KeyCodeOrd::BackTab,
                "backspace" => KeyCodeOrd::Backspace,
                "up" => KeyCodeOrd::Up,
                "down" => KeyCodeOrd::Down,
                "left" => KeyCodeOrd::Left,
                "right" => KeyCodeOrd::Right,
                "pageup" | "pgup" => KeyCodeOrd::PageUp,
                "pagedown" | "pgdn" => KeyCodeOrd::PageDown,
                "home" => KeyCodeOrd::Home,
                "end" => KeyCodeOrd::End,
                "insert" => KeyCodeOrd::Insert,
                "delete" | "del" => KeyCodeOrd::Delete,
                f if f.starts_with('f') && f[1..].parse::<u8>().is_ok_and(|n| (1..=12).contains(&n)) => {
                    KeyCodeOrd::F(f[1..].parse().unwrap_or(1))
                }
                _ => return Err(format!("unknown key \"{text}\": {KEY_NAMES}")),
            },
        };
        // Shift on a printable character is already in the character ("G").
        if let KeyCodeOrd::Char(c) = code {
            if shift && !ctrl && !alt {
                let up: String = c.to_uppercase().collect();
                let mut it = up.chars();
                if let (Some(u), None) = (it.next(), it.next()) {
                    return Ok(KeySpec { code: KeyCodeOrd::Char(u), ctrl, alt, shift: false });
                }
            }
            shift = false;
        }
        Ok(KeySpec { code, ctrl, alt, shift })
    }

    /// Whether this key types a character into a text field (a letter,
    /// a digit, a sign, space) rather than doing nothing there.
    pub fn types_text(&self) -> bool {
        matches!(self.code, KeyCodeOrd::Char(_)) && !self.ctrl && !self.alt
    }

    /// Whether this key edits what a text field holds (Backspace, Delete):
    /// bound to something else there, a correction would lose the text.
    pub fn edits_text(&self) -> bool {
        matches!(self.code, KeyCodeOrd::Backspace | KeyCodeOrd::Delete) && !self.ctrl && !self.alt
    }

    /// The key a terminal event stands for, normalised like `parse`.
    pub fn from_event(ev: &KeyEvent) -> Option<KeySpec> {
        let ctrl = ev.modifiers.contains(KeyModifiers::CONTROL);
        let alt = ev.modifiers.contains(KeyModifiers::ALT);
        let mut shift = ev.modifiers.contains(KeyModifiers::SHIFT);
        let code = match ev.code {
            KeyCode::Char(c) => {
                shift = false;
                if ctrl || alt {
                    KeyCodeOrd::Char(c.to_ascii_lowercase())
                } else {
                    KeyCodeOrd::Char(c)
                }
            }
            KeyCode::F(n) => KeyCodeOrd::F(n),
            KeyCode::Enter => KeyCodeOrd::Enter,
            KeyCode::Esc => KeyCodeOrd::Esc,
            KeyCode::Tab if shift => {
                shift = false;
                KeyCodeOrd::BackTab
            }
            KeyCode::Tab => KeyCodeOrd::Tab,
            KeyCode::BackTab => {
                shift = false;
                KeyCodeOrd::BackTab
            }
            KeyCode::Backspace => KeyCodeOrd::Backspace,
            KeyCode::Up => KeyCodeOrd::Up,
            KeyCode::Down => KeyCodeOrd::Down,
            KeyCode::Left => KeyCodeOrd::Left,
            KeyCode::Right => KeyCodeOrd::Right,
            KeyCode::PageUp => KeyCodeOrd::PageUp,
            KeyCode::PageDown => KeyCodeOrd::PageDown,
            KeyCode::Home => KeyCodeOrd::Home,
            KeyCode::End => KeyCodeOrd::End,
            KeyCode::Insert => KeyCodeOrd::Insert,
            KeyCode::Delete => KeyCodeOrd::Delete,
            _ => return None,
        };
        Some(KeySpec { code, ctrl, alt, shift })
    }
}

impl fmt::Display for KeySpec {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.ctrl {
            f.write_str("ctrl-")?;
        }
        if self.alt {
            f.write_str("alt-")?;
        }
        if self.shift {
            f.write_str("shift-")?;
        }
        match self.code {
            KeyCodeOrd::Char(' ') => f.write_str("space"),
            KeyCodeOrd::Char(c) => write!(f, "{c}"),
            KeyCodeOrd::F(n) => write!(f, "f{n}"),
            KeyCodeOrd::Enter => f.write_str("enter"),
            KeyCodeOrd::Esc => f.write_str("esc"),
            KeyCodeOrd::Tab => f.write_str("tab"),
            KeyCodeOrd::BackTab => f.write_str("shift-tab"),
            KeyCodeOrd::Backspace => f.write_str("backspace"),
            KeyCodeOrd::Up => f.write_str("up"),
            KeyCodeOrd::Down => f.write_str("down"),
            KeyCodeOrd::Left => f.write_str("left"),
            KeyCodeOrd::Right => f.write_str("right"),
            KeyCodeOrd::PageUp => f.write_str("pageup"),
            KeyCodeOrd::PageDown => f.write_str("pagedown"),
            KeyCodeOrd::Home => f.write_str("home"),
            KeyCodeOrd::End => f.write_str("end"),
            KeyCodeOrd::Insert => f.write_str("insert"),
            KeyCodeOrd::Delete => f.write_str("delete"),
        }
    }
}

/// Where a binding applies.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Section {
    Global,
    Pane(PaneId),
}

impl Section {
    fn parse(name: &str) -> Option<Section> {
        if name == "global" {
            return Some(Section::Global);
        }
        PaneId::ALL.iter().copied().find(|p| p.key_section() == name).map(Section::Pane)
    }
    pub fn name(self) -> &'static str {
        match self {
            Section::Global => "global",
            Section::Pane(p) => p.key_section(),
        }
    }
}

/// One key or a list of keys. Read by hand so a number or a table there says
/// what to write instead of "did not match any variant".
enum KeysValue {
    One(String),
    Many(Vec<String>),
}

impl<'de> Deserialize<'de> for KeysValue {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct Keys;
        impl<'de> serde::de::Visitor<'de> for Keys {
            type Value = KeysValue;
            fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
                f.write_str("a key in quotes or a list of them, e.g. close = \"esc\" or close = [\"esc\", \"q\"]")
            }
            fn visit_str<E: serde::de::Error>(self, v: &str) -> Result<KeysValue, E> {
                Ok(KeysValue::One(v.to_string()))
            }
            fn visit_seq<S: serde::de::SeqAccess<'de>>(self, mut seq: S) -> Result<KeysValue, S::Error> {
                let mut keys = Vec::new();
                while let Some(KeyName(k)) = seq.next_element()? {
                    keys.push(k);
                }
                Ok(KeysValue::Many(keys))
            }
        }
        d.deserialize_any(Keys)
    }
}

/// One key of a list, which must be a string too.
struct KeyName(String);

impl<'de> Deserialize<'de> for KeyName {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct Name;
        impl serde::de::Visitor<'_> for Name {
            type Value = KeyName;
            fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
                f.write_str("each key in the list in quotes, e.g. [\"esc\", \"q\"]")
            }
            fn visit_str<E: serde::de::Error>(self, v: &str) -> Result<KeyName, E> {
                Ok(KeyName(v.to_string()))
            }
        }
        d.deserialize_any(Name)
    }
}

/// Where a binding was written, for conflict messages.
#[derive(Clone, Debug, PartialEq, Eq)]
struct Origin {
    file: String,
    line: usize,
}

#[derive(Clone, Debug)]
pub struct Keymap {
    /// section → key → action
    map: BTreeMap<Section, BTreeMap<KeySpec, Action>>,
    /// dialog layer → key → dialog action
    dialogs: BTreeMap<Layer, BTreeMap<KeySpec, DialogAction>>,
    /// Each dialog action's keys as written, for help and the dialogs' hints.
    dialog_written: BTreeMap<(Layer, DialogAction), Vec<KeySpec>>,
    /// Each pane action's keys per section as written, for the hints.
    pane_written: BTreeMap<(Section, Action), Vec<KeySpec>>,
}

/// Bindings of one kind (pane sections or dialog layers): (section, action) → keys.
type Bindings<S, A> = BTreeMap<(S, A), (Vec<KeySpec>, Origin)>;

/// A section or an action, as keys.toml names it in messages.
trait Named: Copy + Ord {
    fn named(self) -> String;
}

impl Named for Section {
    fn named(self) -> String {
        self.name().to_string()
    }
}
impl Named for Layer {
    fn named(self) -> String {
        format!("dialog.{}", self.name())
    }
}
impl Named for Action {
    fn named(self) -> String {
        self.name().to_string()
    }
}
impl Named for DialogAction {
    fn named(self) -> String {
        self.name().to_string()
    }
}

/// One `[section]`: action → its keys, where written.
struct RawSection(BTreeMap<String, toml::Spanned<KeysValue>>);

/// A `[section]`'s lines, read by hand so a value where a table belongs says
/// what to write. `dialog`: a table under `[dialog]` (`[dialog.help]`).
struct SectionVisitor {
    dialog: bool,
}

impl<'de> serde::de::Visitor<'de> for SectionVisitor {
    type Value = RawSection;
    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        if self.dialog {
            f.write_str(
                "a dialog's table: [dialog] holds [dialog.<name>] sections, e.g. [dialog.help] then close = \"esc\"",
            )
        } else {
            f.write_str("a [section] of `action = \"key\"` lines, e.g. [global] then help = \"?\"")
        }
    }
    fn visit_map<M: serde::de::MapAccess<'de>>(self, mut m: M) -> Result<RawSection, M::Error> {
        let mut out = BTreeMap::new();
        while let Some((k, v)) = m.next_entry()? {
            out.insert(k, v);
        }
        Ok(RawSection(out))
    }
}

impl<'de> Deserialize<'de> for RawSection {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        d.deserialize_map(SectionVisitor { dialog: false })
    }
}

/// A table under `[dialog]`.
struct DialogSection(RawSection);

impl<'de> Deserialize<'de> for DialogSection {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        d.deserialize_map(SectionVisitor { dialog: true }).map(DialogSection)
    }
}

/// A keys.toml as written: pane sections, and the `[dialog.<name>]` tables.
#[derive(Default)]
struct RawFile {
    panes: Vec<(String, RawSection)>,
    dialogs: Vec<(String, RawSection)>,
}

impl<'de> Deserialize<'de> for RawFile {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct Tables;
        impl<'de> serde::de::Visitor<'de> for Tables {
            type Value = RawFile;
            fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
                f.write_str("[sections] of `action = \"key\"` lines")
            }
            fn visit_map<M: serde::de::MapAccess<'de>>(self, mut m: M) -> Result<RawFile, M::Error> {
                let mut raw = RawFile::default();
                while let Some(name) = m.next_key::<String>()? {
                    if name == "dialog" {
                        raw.dialogs.extend(
                            m.next_value::<BTreeMap<String, DialogSection>>()?.into_iter().map(|(n, d)| (n, d.0)),
                        );
                    } else {
                        raw.panes.push((name, m.next_value()?));
                    }
                }
                Ok(raw)
            }
        }
        d.deserialize_map(Tables)
    }
}

/// The line a section's header is on (just above its first binding).
fn header_line(text: &str, section: &RawSection) -> usize {
    section.0.values().map(|v| line_of(text, v.span().start)).min().unwrap_or(1).saturating_sub(1)
}

/// Each binding's keys, parsed, with the line it was written on.
fn entries(file: &str, text: &str, section: RawSection) -> Result<Vec<(String, Vec<KeySpec>, Origin)>, ConfigError> {
    let mut out = Vec::new();
    for (action_name, value) in section.0 {
        let line = line_of(text, value.span().start);
        let names = match value.into_inner() {
            KeysValue::One(k) => vec![k],
            KeysValue::Many(ks) => ks,
        };
        let mut keys = Vec::new();
        for n in names {
            keys.push(KeySpec::parse(&n).map_err(|m| ConfigError::new(file, line, m))?);
        }
        out.push((action_name, keys, Origin { file: file.to_string(), line }));
    }
    Ok(out)
}

/// Reads one keys.toml over `panes` and `dialogs`. `built_in` is false for
/// the user's file, which may bind in a dialog only the actions the
/// built-in file gives it.
fn parse_file(
    file: &str,
    text: &str,
    panes: &mut Bindings<Section, Action>,
    dialogs: &mut Bindings<Layer, DialogAction>,
    built_in: bool,
) -> Result<(), ConfigError> {
    let raw: RawFile = toml::from_str(text).map_err(|e| {
        let mut err = ConfigError::from_toml(file, text, &e);
        if err.message.contains("duplicate key") {
            // toml names neither the key nor the fix: the line says which.
            let written = text.lines().nth(err.line.saturating_sub(1)).unwrap_or("").trim();
            err.message = match written.split_once('=') {
                Some((action, _)) if !written.starts_with('[') => format!(
                    "{} is written twice in this section: write each action once (a list binds several keys: \
                     {} = [\"x\", \"y\"])",
                    action.trim(),
                    action.trim()
                ),
                _ => format!("{written} is written twice: write each [section] once, with all its lines"),
            };
        }
        err
    })?;
    for (sec_name, actions) in raw.panes {
        let section = Section::parse(&sec_name).ok_or_else(|| {
            ConfigError::new(
                file,
                header_line(text, &actions),
                format!(
                    "unknown section [{sec_name}]: use [global], [steps], [checklist], [probes], [logs], [escalation] \
                     or [dialog.<name>]"
                ),
            )
        })?;
        for (action_name, keys, origin) in entries(file, text, actions)? {
            let action = Action::from_name(&action_name).ok_or_else(|| {
                ConfigError::new(
                    file,
                    origin.line,
                    format!("unknown action \"{action_name}\" (press `:` in warroom to list every action)"),
                )
            })?;
            panes.insert((section, action), (keys, origin));
        }
    }
    for (layer_name, actions) in raw.dialogs {
        let layer = Layer::from_name(&layer_name).ok_or_else(|| {
            let names: Vec<String> = Layer::ALL.iter().map(|l| format!("[dialog.{}]", l.name())).collect();
            ConfigError::new(
                file,
                header_line(text, &actions),
                format!("unknown dialog [dialog.{layer_name}]: use {}", names.join(", ")),
            )
        })?;
        for (action_name, keys, origin) in entries(file, text, actions)? {
            let has: Vec<&str> =
                DialogAction::ALL.iter().filter(|a| dialogs.contains_key(&(layer, **a))).map(|a| a.name()).collect();
            let action = DialogAction::from_name(&action_name)
                .filter(|a| built_in || dialogs.contains_key(&(layer, *a)))
                .ok_or_else(|| {
                    ConfigError::new(
                        file,
                        origin.line,
                        format!(
                            "[dialog.{}] has no action \"{action_name}\": its actions are {} (`?` in warroom lists them)",
                            layer.name(),
                            has.join(", ")
                        ),
                    )
                })?;
            if layer.text() {
                if let Some(k) = keys.iter().find(|k| k.types_text() || k.edits_text()) {
                    let what = if k.types_text() { "is typed text" } else { "edits the text" };
                    return Err(ConfigError::new(
                        file,
                        origin.line,
                        format!(
                            "\"{k}\" {what} in [dialog.{}]: bind a key that neither types nor edits \
                             (ctrl-…, alt-…, enter, tab, esc, arrows, f1…f12)",
                            layer.name()
                        ),
                    ));
                }
            }
            dialogs.insert((layer, action), (keys, origin));
        }
    }
    Ok(())
}

/// Key → action per section, refusing two actions on one key in one section.
fn by_key<S: Named, A: Named>(bindings: Bindings<S, A>) -> Result<BTreeMap<S, BTreeMap<KeySpec, A>>, ConfigError> {
    let mut map: BTreeMap<S, BTreeMap<KeySpec, (A, Origin)>> = BTreeMap::new();
    // User lines last so the conflict names the user's line.
    let mut ordered: Vec<_> = bindings.into_iter().collect();
    ordered.sort_by_key(|(_, (_, o))| (o.file != DEFAULT_NAME, o.line));
    for ((section, action), (keys, origin)) in ordered {
        let sec = map.entry(section).or_default();
        for k in keys {
            if let Some((other, o2)) = sec.get(&k) {
                if *other != action {
                    return Err(ConfigError::new(
                        &origin.file,
                        origin.line,
                        format!(
                            "key \"{k}\" in [{}] is bound to both {} and {} ({}:{}); rebind one of them",
                            section.named(),
                            action.named(),
                            other.named(),
                            o2.file,
                            o2.line
                        ),
                    ));
                }
            }
            sec.insert(k, (action, origin.clone()));
        }
    }
    Ok(map.into_iter().map(|(s, m)| (s, m.into_iter().map(|(k, (a, _))| (k, a)).collect())).collect())
}

/// The pane keys a dialog also takes (docs/console.md, "Keys"): the log view
/// the Logs pane's, the walkthrough the Checklist's mark keys; with the
/// dialog's name in a sentence.
fn inherits(layer: Layer) -> Option<(&'static str, PaneId, &'static [Action])> {
    match layer {
        Layer::Log => Some((
            "log view",
            PaneId::Logs,
            &[
                Action::Search,
                Action::PageUp,
                Action::PageDown,
                Action::MoveUp,
                Action::MoveDown,
                Action::Top,
                Action::Bottom,
                Action::Follow,
                Action::SearchNext,
                Action::SearchPrev,
            ],
        )),
        Layer::Walkthrough => {
            Some(("walkthrough", PaneId::Checklist, &[Action::MarkPass, Action::MarkFail, Action::MarkNa]))
        }
        _ => None,
    }
}

/// What `spec` does in `pane` (its section, then global) in a map being built.
fn pane_action(map: &BTreeMap<Section, BTreeMap<KeySpec, Action>>, pane: PaneId, spec: KeySpec) -> Option<Action> {
    map.get(&Section::Pane(pane))
        .and_then(|m| m.get(&spec))
        .or_else(|| map.get(&Section::Global).and_then(|m| m.get(&spec)))
        .copied()
}

/// A dialog key that the dialog also takes from elsewhere (a pane's keys,
/// the details' 1-9) would shadow one of the two: an error on the user's line.
fn inherited_conflicts(
    map: &BTreeMap<Section, BTreeMap<KeySpec, Action>>,
    panes: &Bindings<Section, Action>,
    dialogs: &Bindings<Layer, DialogAction>,
) -> Result<(), ConfigError> {
    for ((layer, da), (keys, origin)) in dialogs {
        for k in keys {
            if *layer == Layer::Details && !k.ctrl && !k.alt && matches!(k.code, KeyCodeOrd::Char('1'..='9')) {
                return Err(ConfigError::new(
                    &origin.file,
                    origin.line,
                    format!(
                        "key \"{k}\" in [dialog.details] copies the item's numbered links (1-9, not remappable): \
                         bind {} to another key",
                        da.name()
                    ),
                ));
            }
            let Some((dialog, pane, taken)) = inherits(*layer) else { continue };
            let Some(pa) = pane_action(map, pane, *k).filter(|a| taken.contains(a)) else { continue };
            // Where the pane key was written: the pane's section, else [global].
            let (sec, po) = [Section::Pane(pane), Section::Global]
                .into_iter()
                .find_map(|s| panes.get(&(s, pa)).filter(|(ks, _)| ks.contains(k)).map(|(_, o)| (s, o)))
                .unwrap_or((Section::Pane(pane), origin));
            return Err(if origin.file != DEFAULT_NAME {
                ConfigError::new(
                    &origin.file,
                    origin.line,
                    format!(
                        "key \"{k}\" in [dialog.{}] is bound to {}, but the {} also takes it from [{}] for {} \
                         ({}:{}); rebind one of them",
                        layer.name(),
                        da.name(),
                        dialog,
                        sec.name(),
                        pa.name(),
                        po.file,
                        po.line
                    ),
                )
            } else {
                ConfigError::new(
                    &po.file,
                    po.line,
                    format!(
                        "key \"{k}\" in [{}] is bound to {}, which the {} takes too, but [dialog.{}] binds it \
                         to {} ({}:{}); rebind one of them",
                        sec.name(),
                        pa.name(),
                        dialog,
                        layer.name(),
                        da.name(),
                        origin.file,
                        origin.line
                    ),
                )
            });
        }
    }
    Ok(())
}

/// Every dialog keeps a key that leaves it (`close`, or a question's `no`),
/// and a question keeps `yes` and `no`: an empty list there is an error.
fn ways_out(dialogs: &Bindings<Layer, DialogAction>) -> Result<(), ConfigError> {
    let empty = |layer: Layer, a: DialogAction| dialogs.get(&(layer, a)).filter(|(keys, _)| keys.is_empty());
    for layer in Layer::ALL {
        for (a, why, example) in [
            (DialogAction::Close, "leaves no way out of the dialog", "close = [\"esc\"]"),
            (DialogAction::No, "leaves no way out of the question", "no = [\"n\", \"esc\"]"),
            (DialogAction::Yes, "leaves the question with no yes", "yes = [\"y\"]"),
        ] {
            if let Some((_, o)) = empty(*layer, a) {
                return Err(ConfigError::new(
                    &o.file,
                    o.line,
                    format!("{} = [] in [dialog.{}] {why}: give it a key, e.g. {example}", a.name(), layer.name()),
                ));
            }
        }
    }
    Ok(())
}

impl Keymap {
    /// The built-in map only.
    pub fn default_map() -> Keymap {
        Keymap::from_texts(None).expect("the built-in keys.toml is valid")
    }

    /// The built-in map with `config_dir()/keys.toml` over it, if it exists.
    pub fn load(config_dir: Option<&Path>) -> Result<Keymap, ConfigError> {
        let Some(path) = config_dir.map(|d| d.join("keys.toml")).filter(|p| p.exists()) else {
            return Keymap::from_texts(None);
        };
        let name = path.display().to_string();
        let text =
            std::fs::read_to_string(&path).map_err(|e| ConfigError::new(&name, 0, format!("cannot read it: {e}")))?;
        Keymap::from_texts(Some((&name, &text)))
    }

    /// Defaults, then the user's file (name, text) overriding single bindings.
    pub fn from_texts(user: Option<(&str, &str)>) -> Result<Keymap, ConfigError> {
        let mut panes = Bindings::new();
        let mut dialogs = Bindings::new();
        parse_file(DEFAULT_NAME, DEFAULT_KEYS, &mut panes, &mut dialogs, true)?;
        if let Some((name, text)) = user {
            parse_file(name, text, &mut panes, &mut dialogs, false)?;
        }
        ways_out(&dialogs)?;
        let dialog_written = dialogs.iter().map(|(la, (keys, _))| (*la, keys.clone())).collect();
        let pane_written = panes.iter().map(|(sa, (keys, _))| (*sa, keys.clone())).collect();
        let map = by_key(panes.clone())?;
        inherited_conflicts(&map, &panes, &dialogs)?;
        Ok(Keymap { map, dialogs: by_key(dialogs)?, dialog_written, pane_written })
    }

    /// What `key` does in the dialog `layer` (its own section only).
    pub fn dialog_action(&self, layer: Layer, key: &KeyEvent) -> Option<DialogAction> {
        let spec = KeySpec::from_event(key)?;
        self.dialogs.get(&layer).and_then(|m| m.get(&spec)).copied()
    }

    /// A dialog layer's actions with their keys as written, in `DialogAction::ALL` order, for help.
    pub fn dialog_keys(&self, layer: Layer) -> Vec<(DialogAction, Vec<KeySpec>)> {
        DialogAction::ALL
            .iter()
            .map(|a| (*a, self.dialog_keys_of(layer, *a)))
            .filter(|(_, keys)| !keys.is_empty())
            .collect()
    }

    /// The keys of one dialog action, as written.
    pub fn dialog_keys_of(&self, layer: Layer, action: DialogAction) -> Vec<KeySpec> {
        self.dialog_written.get(&(layer, action)).cloned().unwrap_or_default()
    }

    /// The keys that run `action` with `pane` focused, as written: the
    /// pane's section first, then the `[global]` keys the pane leaves to it.
    pub fn pane_keys_of(&self, pane: PaneId, action: Action) -> Vec<KeySpec> {
        let mut out = Vec::new();
        for s in [Section::Pane(pane), Section::Global] {
            for k in self.pane_written.get(&(s, action)).into_iter().flatten() {
                if self.lookup(pane, *k) == Some(action) && !out.contains(k) {
                    out.push(*k);
                }
            }
        }
        out
    }

    /// The action for a key with `pane` focused: the pane's section first, then global.
    pub fn action_for(&self, pane: PaneId, key: &KeyEvent) -> Option<Action> {
        let spec = KeySpec::from_event(key)?;
        self.lookup(pane, spec)
    }

    pub fn lookup(&self, pane: PaneId, spec: KeySpec) -> Option<Action> {
        self.map
            .get(&Section::Pane(pane))
            .and_then(|m| m.get(&spec))
            .or_else(|| self.map.get(&Section::Global).and_then(|m| m.get(&spec)))
            .copied()
    }

    /// Pane sections where this key means something (for "works in Checklist" hints).
    pub fn elsewhere(&self, key: &KeyEvent) -> Vec<(PaneId, Action)> {
        let Some(spec) = KeySpec::from_event(key) else { return Vec::new() };
        self.map
            .iter()
            .filter_map(|(s, m)| match s {
                Section::Pane(p) => m.get(&spec).map(|a| (*p, *a)),
                Section::Global => None,
            })
            .collect()
    }

    /// Keys bound to an action, per section, for help and the palette.
    pub fn keys_of(&self, action: Action) -> Vec<(Section, KeySpec)> {
        let mut out = Vec::new();
        for (s, m) in &self.map {
            for (k, a) in m {
                if *a == action {
                    out.push((*s, *k));
                }
            }
        }
        out
    }

    /// "space", "j/down", "x (checklist)" — the keys of an action as one label.
    pub fn label(&self, action: Action) -> String {
        let keys = self.keys_of(action);
        keys.iter()
            .map(|(s, k)| match s {
                Section::Global => k.to_string(),
                Section::Pane(p) => format!("{k} ({})", p.key_section()),
            })
            .collect::<Vec<_>>()
            .join(", ")
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use ratatui::crossterm::event::KeyEvent;

    fn ev(code: KeyCode, m: KeyModifiers) -> KeyEvent {
        KeyEvent::new(code, m)
    }

    #[test]
    fn default_map_matches_the_spec_table() {
        let k = Keymap::default_map();
        let none = KeyModifiers::NONE;
        assert_eq!(k.action_for(PaneId::Checklist, &ev(KeyCode::Char(' '), none)), Some(Action::MarkPass));
        assert_eq!(k.action_for(PaneId::Checklist, &ev(KeyCode::Char('x'), none)), Some(Action::MarkFail));
        assert_eq!(k.action_for(PaneId::Steps, &ev(KeyCode::Char('x'), none)), Some(Action::AbortStep));
        assert_eq!(k.action_for(PaneId::Checklist, &ev(KeyCode::Char('n'), none)), Some(Action::MarkNa));
        assert_eq!(k.action_for(PaneId::Logs, &ev(KeyCode::Char('n'), none)), Some(Action::SearchNext));
        assert_eq!(k.action_for(PaneId::Logs, &ev(KeyCode::Char('G'), KeyModifiers::SHIFT)), Some(Action::Bottom));
        assert_eq!(k.action_for(PaneId::Logs, &ev(KeyCode::BackTab, KeyModifiers::SHIFT)), Some(Action::FocusPrev));
        assert_eq!(k.action_for(PaneId::Steps, &ev(KeyCode::Char('3'), none)), Some(Action::FocusProbes));
        assert_eq!(k.action_for(PaneId::Steps, &ev(KeyCode::Char('?'), none)), Some(Action::Help));
        assert_eq!(k.action_for(PaneId::Steps, &ev(KeyCode::Char('q'), none)), Some(Action::Quit));
        assert_eq!(k.action_for(PaneId::Probes, &ev(KeyCode::Char(' '), none)), None);
        assert_eq!(k.elsewhere(&ev(KeyCode::Char(' '), none)).len(), 2);
    }

    #[test]
    fn every_action_has_a_key() {
        let k = Keymap::default_map();
        for a in Action::ALL {
            assert!(!k.keys_of(*a).is_empty(), "{} has no key", a.name());
        }
    }

    #[test]
    fn no_destructive_action_on_a_readline_or_tmux_control_key() {
        // A5: Ctrl-a/b/d/k/w belong to tmux, readline and vim.
        let k = Keymap::default_map();
        for c in ['a', 'b', 'd', 'k', 'w'] {
            for p in PaneId::ALL {
                let a = k.action_for(*p, &ev(KeyCode::Char(c), KeyModifiers::CONTROL));
                assert_eq!(a, None, "ctrl-{c} is bound in {p:?}");
            }
        }
    }

    #[test]
    fn user_file_overrides_single_bindings() {
        let k = Keymap::from_texts(Some(("keys.toml", "[checklist]\nmark-na = \"-\"\n"))).unwrap();
        let none = KeyModifiers::NONE;
        assert_eq!(k.action_for(PaneId::Checklist, &ev(KeyCode::Char('-'), none)), Some(Action::MarkNa));
        // n falls back to the global binding now.
        assert_eq!(k.action_for(PaneId::Checklist, &ev(KeyCode::Char('n'), none)), Some(Action::SearchNext));
        assert_eq!(k.action_for(PaneId::Checklist, &ev(KeyCode::Char('x'), none)), Some(Action::MarkFail));
    }

    #[test]
    fn unknown_action_names_file_and_line() {
        let e = Keymap::from_texts(Some(("my/keys.toml", "[global]\n\nlaunch-missiles = \"m\"\n"))).unwrap_err();
        assert_eq!((e.file.as_str(), e.line), ("my/keys.toml", 3));
        assert!(e.message.contains("launch-missiles"), "{e}");
    }

    #[test]
    fn unknown_key_names_file_and_line() {
        let e = Keymap::from_texts(Some(("k.toml", "[global]\nhelp = \"hyper-q\"\n"))).unwrap_err();
        assert_eq!(e.line, 2);
        assert!(e.to_string().starts_with("k.toml:2: unknown key"), "{e}");
    }

    #[test]
    fn conflict_names_the_users_line() {
        let e = Keymap::from_texts(Some(("k.toml", "[global]\nhelp = \"h\"\ntemplates = \"h\"\n"))).unwrap_err();
        assert_eq!(e.file, "k.toml");
        assert!(e.message.contains("bound to both"), "{e}");
        // Rebinding onto a default key of another action is a conflict too.
        let e = Keymap::from_texts(Some(("k.toml", "[global]\nhelp = \"q\"\n"))).unwrap_err();
        assert_eq!((e.file.as_str(), e.line), ("k.toml", 2));
    }

    #[test]
    fn bad_toml_and_unknown_section_name_a_line() {
        let e = Keymap::from_texts(Some(("k.toml", "[global]\nhelp = \n"))).unwrap_err();
        assert_eq!(e.line, 2);
        let e = Keymap::from_texts(Some(("k.toml", "[nowhere]\nhelp = \"h\"\n"))).unwrap_err();
        assert!(e.message.contains("unknown section"), "{e}");
        assert_eq!(e.line, 1);
    }

    fn dlg(k: &Keymap, layer: Layer, code: KeyCode, m: KeyModifiers) -> Option<DialogAction> {
        k.dialog_action(layer, &ev(code, m))
    }

    #[test]
    fn every_dialog_has_keys_and_a_way_out() {
        let k = Keymap::default_map();
        let none = KeyModifiers::NONE;
        for l in Layer::ALL {
            let acts: Vec<DialogAction> = k.dialog_keys(*l).into_iter().map(|(a, _)| a).collect();
            assert!(
                acts.contains(&DialogAction::Close) || acts.contains(&DialogAction::No),
                "[dialog.{}] has no way out: {acts:?}",
                l.name()
            );
            // Esc leaves every dialog (or says no, or goes back a step).
            let esc = dlg(&k, *l, KeyCode::Esc, none);
            assert!(matches!(esc, Some(DialogAction::Close | DialogAction::No)), "esc in {}", l.name());
        }
        assert_eq!(dlg(&k, Layer::Help, KeyCode::Char('?'), none), Some(DialogAction::Close));
        assert_eq!(dlg(&k, Layer::Details, KeyCode::Char('N'), KeyModifiers::SHIFT), Some(DialogAction::FindPrev));
        assert_eq!(dlg(&k, Layer::Palette, KeyCode::Char('n'), KeyModifiers::CONTROL), Some(DialogAction::Down));
        assert_eq!(dlg(&k, Layer::Palette, KeyCode::Char('q'), none), None, "q is typed in the palette");
        assert_eq!(dlg(&k, Layer::Confirm, KeyCode::Char('q'), none), Some(DialogAction::No));
    }

    #[test]
    fn a_user_file_remaps_a_dialog_key() {
        let text = "[dialog.details]\nclose = [\"esc\", \"x\"]\n\n[dialog.palette]\nsubmit = [\"enter\", \"ctrl-j\"]\n";
        let k = Keymap::from_texts(Some(("keys.toml", text))).unwrap();
        let none = KeyModifiers::NONE;
        assert_eq!(dlg(&k, Layer::Details, KeyCode::Char('x'), none), Some(DialogAction::Close));
        // The binding replaces the built-in keys of that action: Enter and q no longer close.
        assert_eq!(dlg(&k, Layer::Details, KeyCode::Enter, none), None);
        assert_eq!(dlg(&k, Layer::Details, KeyCode::Char('q'), none), None);
        assert_eq!(dlg(&k, Layer::Details, KeyCode::Char('j'), none), Some(DialogAction::Down), "others stay");
        assert_eq!(dlg(&k, Layer::Palette, KeyCode::Char('j'), KeyModifiers::CONTROL), Some(DialogAction::Submit));
        // Another dialog's keys are untouched.
        assert_eq!(dlg(&k, Layer::Who, KeyCode::Enter, none), Some(DialogAction::Close));
    }

    #[test]
    fn bad_dialog_sections_name_file_and_line() {
        let e = Keymap::from_texts(Some(("k.toml", "[global]\nhelp = \"?\"\n\n[dialog.nowhere]\nclose = \"x\"\n")))
            .unwrap_err();
        assert_eq!((e.file.as_str(), e.line), ("k.toml", 4), "{e}");
        assert!(e.message.contains("unknown dialog [dialog.nowhere]") && e.message.contains("[dialog.help]"), "{e}");

        // A dialog action the dialog does not have.
        let e = Keymap::from_texts(Some(("k.toml", "[dialog.help]\n\nsend = \"s\"\n"))).unwrap_err();
        assert_eq!((e.file.as_str(), e.line), ("k.toml", 3), "{e}");
        assert!(e.message.contains("[dialog.help] has no action \"send\"") && e.message.contains("close"), "{e}");
        let e = Keymap::from_texts(Some(("k.toml", "[dialog.help]\nlaunch = \"s\"\n"))).unwrap_err();
        assert_eq!(e.line, 2, "{e}");

        // An unknown key.
        let e = Keymap::from_texts(Some(("k.toml", "[dialog.who]\nclose = \"hyper-q\"\n"))).unwrap_err();
        assert!(e.to_string().starts_with("k.toml:2: unknown key"), "{e}");

        // Two actions on one key in one dialog, the built-in one included.
        let e = Keymap::from_texts(Some(("k.toml", "[dialog.templates]\nsend = \"y\"\n"))).unwrap_err();
        assert_eq!((e.file.as_str(), e.line), ("k.toml", 2), "{e}");
        assert!(e.message.contains("key \"y\" in [dialog.templates] is bound to both send and copy"), "{e}");

        // A letter in a dialog with a text field would never be typed.
        let e = Keymap::from_texts(Some(("k.toml", "[dialog.note]\nsubmit = [\"enter\", \"s\"]\n"))).unwrap_err();
        assert_eq!((e.file.as_str(), e.line), ("k.toml", 2), "{e}");
        assert!(e.message.contains("\"s\" is typed text in [dialog.note]"), "{e}");
        assert!(Keymap::from_texts(Some(("k.toml", "[dialog.note]\nsubmit = \"ctrl-s\"\n"))).is_ok());
        // Nor Backspace or Delete: a correction would close the dialog and lose the text.
        let e = Keymap::from_texts(Some(("k.toml", "[dialog.note]\nclose = \"backspace\"\n"))).unwrap_err();
        assert!(e.message.contains("edits the text in [dialog.note]"), "{e}");

        // `[dialog]` holds dialogs, not bindings.
        let e = Keymap::from_texts(Some(("k.toml", "[dialog]\nclose = \"x\"\n"))).unwrap_err();
        assert_eq!((e.file.as_str(), e.line), ("k.toml", 2), "{e}");
    }

    fn err(text: &str) -> ConfigError {
        match Keymap::from_texts(Some(("k.toml", text))) {
            Ok(_) => panic!("accepted:\n{text}"),
            Err(e) => e,
        }
    }

    #[test]
    fn a_dialog_key_that_the_dialog_takes_from_elsewhere_is_a_conflict() {
        // The log view takes F (follow) from [logs]: closing on it would lose follow.
        let e = err("[dialog.log]\nclose = [\"esc\", \"F\"]\n");
        assert_eq!((e.file.as_str(), e.line), ("k.toml", 2), "{e}");
        assert!(e.message.contains("\"F\"") && e.message.contains("follow") && e.message.contains("[logs]"), "{e}");
        // The walkthrough takes the Checklist's mark keys.
        let e = err("[dialog.walkthrough]\nclose = [\"esc\", \"space\"]\n");
        assert_eq!(e.line, 2, "{e}");
        assert!(e.message.contains("mark-pass") && e.message.contains("[checklist]"), "{e}");
        // 1-9 copy the details' links.
        let e = err("[dialog.details]\nclose = [\"esc\", \"1\"]\n");
        assert_eq!(e.line, 2, "{e}");
        assert!(e.message.contains("1-9") && e.message.contains("links"), "{e}");
        // The other way round: the user's [logs] line is named.
        let e = err("[logs]\n\nfollow = \"h\"\n");
        assert_eq!(e.line, 3, "{e}");
        assert!(e.message.contains("[dialog.log]") && e.message.contains("left"), "{e}");
        assert!(Keymap::from_texts(Some(("k.toml", "[dialog.log]\nclose = [\"esc\", \"x\"]\n"))).is_ok());
    }

    #[test]
    fn a_dialog_keeps_a_way_out_and_a_question_both_answers() {
        let e = err("[dialog.help]\nclose = []\n");
        assert_eq!((e.file.as_str(), e.line), ("k.toml", 2), "{e}");
        assert!(e.message.contains("way out") && e.message.contains("close = [\"esc\"]"), "{e}");
        let e = err("[dialog.confirm]\nno = []\n");
        assert_eq!(e.line, 2, "{e}");
        let e = err("[dialog.confirm]\nyes = []\n");
        assert_eq!(e.line, 2, "{e}");
        assert!(e.message.contains("yes"), "{e}");
    }

    #[test]
    fn every_load_error_says_what_to_write() {
        let e = err("[dialog.help]\nclose = 5\n");
        assert_eq!(e.line, 2, "{e}");
        assert!(!e.message.contains("untagged") && e.message.contains("close = [\"esc\", \"q\"]"), "{e}");
        let e = err("[dialog.help]\nclose = [\"x\", 3]\n");
        assert_eq!(e.line, 2, "{e}");
        assert!(!e.message.contains("untagged") && e.message.contains("in quotes"), "{e}");
        let e = err("[dialog]\nhelp = \"x\"\n");
        assert_eq!(e.line, 2, "{e}");
        assert!(e.message.contains("[dialog.help]") && !e.message.contains("expected a map"), "{e}");
        let e = err("help = \"x\"\n");
        assert!(e.message.contains("[global]"), "{e}");
        let e = err("[global]\nhelp = \"f13\"\n");
        assert!(
            e.message.contains("unknown key \"f13\"") && e.message.contains("f1") && e.message.contains("esc"),
            "{e}"
        );
        let e = err("[global]\nhelp = \"h\"\nhelp = \"j\"\n");
        assert_eq!(e.line, 3, "{e}");
        assert!(e.message.contains("help is written twice") && e.message.contains("once"), "{e}");
        let e = err("[global]\nhelp = \"h\"\n[global]\nquit = \"x\"\n");
        assert!(e.message.contains("[global] is written twice"), "{e}");
    }

    #[test]
    fn key_specs_parse_and_print() {
        for s in ["space", "ctrl-c", "G", "shift-tab", "enter", "f5", "alt-x", "/", "pagedown"] {
            assert_eq!(KeySpec::parse(s).unwrap().to_string(), s);
        }
        assert_eq!(KeySpec::parse("shift-g").unwrap(), KeySpec::parse("G").unwrap());
        assert!(KeySpec::parse("").is_err());
    }
}
