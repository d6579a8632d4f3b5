//! Colours by meaning. A theme file gives each semantic role (ok, fail,
//! pending, …) a truecolor value *and* a chosen 256- and 16-colour fallback
//! (T2: chosen, never nearest-match). The colour depth is decided once at start
//! (T1) and the theme is resolved to plain `Style`s for that depth; with no
//! colour (NO_COLOR, T3) only bold/reverse/underline remain.

use std::collections::BTreeMap;
use std::path::Path;

use ratatui::style::{Color, Modifier, Style};
use serde::Deserialize;

use super::config_error::ConfigError;

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ColorDepth {
    /// No colour at all (NO_COLOR or the mono theme).
    None,
    C16,
    C256,
    TrueColor,
}

impl ColorDepth {
    pub fn parse(s: &str) -> Option<ColorDepth> {
        match s.trim().to_ascii_lowercase().as_str() {
            "none" | "mono" | "0" => Some(ColorDepth::None),
            "16" | "ansi" => Some(ColorDepth::C16),
            "256" => Some(ColorDepth::C256),
            "truecolor" | "24bit" | "rgb" => Some(ColorDepth::TrueColor),
            _ => None,
        }
    }
}

/// T1: the flag or config first, then `NO_COLOR`, then `COLORTERM`, then
/// `TERM` containing `256color`, else 16 colours. Pure over an environment
/// lookup so the matrix is unit-tested. `WARROOM_COLOR` (none/16/256/truecolor)
/// is the config setting.
pub fn color_depth(explicit: Option<ColorDepth>, env: &dyn Fn(&str) -> Option<String>) -> ColorDepth {
    if let Some(d) = explicit {
        return d;
    }
    if let Some(d) = env("WARROOM_COLOR").as_deref().and_then(ColorDepth::parse) {
        return d;
    }
    if env("NO_COLOR").is_some_and(|v| !v.is_empty()) {
        return ColorDepth::None;
    }
    if env("COLORTERM").is_some_and(|v| matches!(v.to_ascii_lowercase().as_str(), "truecolor" | "24bit")) {
        return ColorDepth::TrueColor;
    }
    if env("TERM").is_some_and(|t| t.contains("256color")) {
        return ColorDepth::C256;
    }
    ColorDepth::C16
}

/// The process environment as a lookup for `color_depth`.
pub fn process_env(name: &str) -> Option<String> {
    std::env::var(name).ok()
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Role {
    Text,
    Muted,
    Accent,
    Title,
    Border,
    Focus,
    Selection,
    Header,
    Ok,
    Fail,
    Pending,
    Na,
    Running,
    Warn,
    Alarm,
    Status,
}

impl Role {
    pub const ALL: &'static [Role] = &[
        Role::Text,
        Role::Muted,
        Role::Accent,
        Role::Title,
        Role::Border,
        Role::Focus,
        Role::Selection,
        Role::Header,
        Role::Ok,
        Role::Fail,
        Role::Pending,
        Role::Na,
        Role::Running,
        Role::Warn,
        Role::Alarm,
        Role::Status,
    ];
}

/// One colour at every depth.
#[derive(Clone, Debug, Deserialize, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct ColorDef {
    /// "#rrggbb"
    pub rgb: String,
    /// 0–255
    pub c256: u8,
    /// black, red, green, yellow, blue, magenta, cyan, gray, darkgray, lightred,
    /// lightgreen, lightyellow, lightblue, lightmagenta, lightcyan, white
    pub c16: String,
}

#[derive(Clone, Debug, Default, Deserialize, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct RoleDef {
    pub fg: Option<toml::Spanned<ColorDef>>,
    pub bg: Option<toml::Spanned<ColorDef>>,
    #[serde(default)]
    pub bold: bool,
    #[serde(default)]
    pub dim: bool,
    #[serde(default)]
    pub italic: bool,
    #[serde(default)]
    pub underline: bool,
    #[serde(default)]
    pub reversed: bool,
}

#[derive(Clone, Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct ThemeFile {
    #[serde(default)]
    #[allow(dead_code)]
    description: Option<String>,
    /// true for a theme that never uses colour (mono).
    #[serde(default)]
    monochrome: bool,
    #[serde(default)]
    roles: BTreeMap<Role, toml::Spanned<RoleDef>>,
}

/// A theme resolved for one colour depth: a `Style` per role.
#[derive(Clone, Debug, PartialEq)]
pub struct Theme {
    pub name: String,
    pub depth: ColorDepth,
    styles: BTreeMap<Role, Style>,
}

pub const BUILTIN: &[(&str, &str)] = &[
    ("dark", include_str!("../../themes/dark.toml")),
    ("light", include_str!("../../themes/light.toml")),
    ("high-contrast", include_str!("../../themes/high-contrast.toml")),
    ("mono", include_str!("../../themes/mono.toml")),
];

fn named_16(name: &str) -> Option<Color> {
    Some(match name.to_ascii_lowercase().as_str() {
        "black" => Color::Black,
        "red" => Color::Red,
        "green" => Color::Green,
        "yellow" => Color::Yellow,
        "blue" => Color::Blue,
        "magenta" => Color::Magenta,
        "cyan" => Color::Cyan,
        "gray" | "grey" => Color::Gray,
        "darkgray" | "darkgrey" => Color::DarkGray,
        "lightred" => Color::LightRed,
        "lightgreen" => Color::LightGreen,
        "lightyellow" => Color::LightYellow,
        "lightblue" => Color::LightBlue,
        "lightmagenta" => Color::LightMagenta,
        "lightcyan" => Color::LightCyan,
        "white" => Color::White,
        _ => return None,
    })
}

fn parse_rgb(s: &str) -> Option<Color> {
    let h = s.strip_prefix('#')?;
    if h.len() != 6 || !h.is_ascii() {
        return None;
    }
    let v = |i: usize| u8::from_str_radix(&h[i..i + 2], 16).ok();
    Some(Color::Rgb(v(0)?, v(2)?, v(4)?))
}

impl ColorDef {
    fn check(&self) -> Result<(), String> {
        parse_rgb(&self.rgb).ok_or_else(|| format!("rgb \"{}\" is not #rrggbb", self.rgb))?;
        named_16(&self.c16).ok_or_else(|| format!("c16 \"{}\" is not one of the 16 colour names", self.c16))?;
        Ok(())
    }
    fn at(&self, depth: ColorDepth) -> Option<Color> {
        match depth {
            ColorDepth::None => None,
            ColorDepth::C16 => named_16(&self.c16),
            ColorDepth::C256 => Some(Color::Indexed(self.c256)),
            ColorDepth::TrueColor => parse_rgb(&self.rgb),
        }
    }
}

impl Theme {
    /// Parses and checks a theme file; errors name the file and line.
    pub fn parse(name: &str, file: &str, text: &str, depth: ColorDepth) -> Result<Theme, ConfigError> {
        let tf: ThemeFile = toml::from_str(text).map_err(|e| ConfigError::from_toml(file, text, &e))?;
        let depth = if tf.monochrome { ColorDepth::None } else { depth };
        let mut styles = BTreeMap::new();
        for (role, def) in &tf.roles {
            let d = def.get_ref();
            for c in d.fg.iter().chain(d.bg.iter()) {
                let line = super::config_error::line_of(text, c.span().start);
                c.get_ref().check().map_err(|m| ConfigError::new(file, line, m))?;
            }
            let mut st = Style::default();
            if let Some(c) = d.fg.as_ref().and_then(|c| c.get_ref().at(depth)) {
                st = st.fg(c);
            } else if d.fg.is_none() && depth != ColorDepth::None && matches!(role, Role::Text | Role::Title) {
                // "The terminal's own foreground" even where drawn over a
                // coloured border, so it is readable on any background.
                st = st.fg(Color::Reset);
            }
            if let Some(c) = d.bg.as_ref().and_then(|c| c.get_ref().at(depth)) {
                st = st.bg(c);
            }
            let mut m = Modifier::empty();
            m.set(Modifier::BOLD, d.bold);
            m.set(Modifier::DIM, d.dim);
            m.set(Modifier::ITALIC, d.italic);
            m.set(Modifier::UNDERLINED, d.underline);
            m.set(Modifier::REVERSED, d.reversed);
            styles.insert(*role, st.add_modifier(m));
        }
        // Selection and focus never rely on colour alone (T4, A6).
        let sel = styles.entry(Role::Selection).or_default();
        *sel = sel.add_modifier(Modifier::REVERSED);
        let foc = styles.entry(Role::Focus).or_default();
        *foc = foc.add_modifier(Modifier::BOLD);
        Ok(Theme { name: name.to_string(), depth, styles })
    }

    /// A theme by name: the config dir's `themes/NAME.toml` first, then the built-ins.
    pub fn load(name: &str, config_dir: Option<&Path>, depth: ColorDepth) -> Result<Theme, ConfigError> {
        if let Some(path) = config_dir.map(|d| d.join("themes").join(format!("{name}.toml"))).filter(|p| p.exists()) {
            let file = path.display().to_string();
            let text = std::fs::read_to_string(&path)
                .map_err(|e| ConfigError::new(&file, 0, format!("cannot read it: {e}")))?;
            return Theme::parse(name, &file, &text, depth);
        }
        match BUILTIN.iter().find(|(n, _)| *n == name) {
            Some((n, text)) => Theme::parse(n, &format!("<built-in themes/{n}.toml>"), text, depth),
            None => Err(ConfigError::new(
                format!("themes/{name}.toml"),
                0,
                format!("no theme \"{name}\": use one of {}", available(config_dir).join(", ")),
            )),
        }
    }

    /// The built-in dark theme (tests, fallbacks).
    pub fn builtin(name: &str, depth: ColorDepth) -> Theme {
        let text = BUILTIN.iter().find(|(n, _)| *n == name).map(|(_, t)| *t).unwrap_or(BUILTIN[0].1);
        Theme::parse(name, name, text, depth).expect("built-in themes are valid")
    }

    pub fn style(&self, role: Role) -> Style {
        self.styles.get(&role).copied().unwrap_or_default()
    }
}

/// Theme names to cycle through with `T`: built-ins, then the user's files.
pub fn available(config_dir: Option<&Path>) -> Vec<String> {
    let mut names: Vec<String> = BUILTIN.iter().map(|(n, _)| n.to_string()).collect();
    names.extend(super::layout::user_files(config_dir, "themes"));
    names.dedup();
    let mut seen = std::collections::BTreeSet::new();
    names.retain(|n| seen.insert(n.clone()));
    names
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::HashMap;

    fn env_of(pairs: &[(&str, &str)]) -> impl Fn(&str) -> Option<String> {
        let m: HashMap<String, String> = pairs.iter().map(|(k, v)| (k.to_string(), v.to_string())).collect();
        move |k: &str| m.get(k).cloned()
    }

    #[test]
    fn colour_depth_matrix() {
        use ColorDepth::*;
        let cases: &[(&[(&str, &str)], ColorDepth)] = &[
            (&[("TERM", "tmux-256color")], C256),
            (&[("TERM", "xterm-256color")], C256),
            (&[("TERM", "screen")], C16),
            (&[("TERM", "linux")], C16),
            (&[("TERM", "dumb")], C16),
            (&[], C16),
            (&[("TERM", "screen"), ("COLORTERM", "truecolor")], TrueColor),
            (&[("TERM", "linux"), ("COLORTERM", "24bit")], TrueColor),
            (&[("TERM", "tmux-256color"), ("COLORTERM", "yes")], C256),
            (&[("TERM", "xterm-256color"), ("COLORTERM", "truecolor"), ("NO_COLOR", "1")], None),
            (&[("TERM", "xterm-256color"), ("NO_COLOR", "")], C256),
            (&[("NO_COLOR", "1"), ("WARROOM_COLOR", "256")], C256),
            (&[("TERM", "xterm-256color"), ("WARROOM_COLOR", "16")], C16),
        ];
        for (env, want) in cases {
            assert_eq!(color_depth(Option::None, &env_of(env)), *want, "{env:?}");
        }
        let e = env_of(&[("NO_COLOR", "1")]);
        assert_eq!(color_depth(Some(TrueColor), &e), TrueColor);
    }

    #[test]
    fn every_builtin_theme_defines_every_role_with_all_fallbacks() {
        for (name, text) in BUILTIN {
            let tf: ThemeFile = toml::from_str(text).unwrap();
            for r in Role::ALL {
                assert!(tf.monochrome || tf.roles.contains_key(r), "{name} lacks {r:?}");
            }
            for depth in [ColorDepth::None, ColorDepth::C16, ColorDepth::C256, ColorDepth::TrueColor] {
                Theme::parse(name, name, text, depth).unwrap();
            }
        }
    }

    #[test]
    fn sixteen_colour_mode_uses_only_named_colours_and_none_uses_none() {
        for (name, _) in BUILTIN {
            let t16 = Theme::builtin(name, ColorDepth::C16);
            let tn = Theme::builtin(name, ColorDepth::None);
            for r in Role::ALL {
                for c in [t16.style(*r).fg, t16.style(*r).bg].into_iter().flatten() {
                    assert!(!matches!(c, Color::Rgb(..) | Color::Indexed(_)), "{name} {r:?} {c:?}");
                }
                assert_eq!((tn.style(*r).fg, tn.style(*r).bg), (Option::None, Option::None), "{name} {r:?}");
            }
            assert!(tn.style(Role::Selection).add_modifier.contains(Modifier::REVERSED));
        }
    }

    #[test]
    fn bad_theme_names_file_and_line() {
        let e = Theme::parse(
            "x",
            "x.toml",
            "[roles.ok]\nfg = { rgb = \"#12\", c256 = 1, c16 = \"red\" }\n",
            ColorDepth::C16,
        )
        .unwrap_err();
        assert_eq!((e.file.as_str(), e.line), ("x.toml", 2));
        let e = Theme::parse("x", "x.toml", "[roles.okay]\n", ColorDepth::C16).unwrap_err();
        assert_eq!(e.line, 1);
        let e = Theme::parse("x", "x.toml", "[roles.ok]\nfg = { rgb = \"#112233\", c16 = \"red\" }\n", ColorDepth::C16)
            .unwrap_err();
        assert!(e.message.contains("c256"), "{e}");
    }
}

/// The built-in themes are readable on the background they are for: every
/// foreground colour (truecolor form) has at least WCAG's 3:1 contrast for
/// large or bold text against black (dark) or white (light), and text and
/// titles are the terminal's own foreground, readable on any background.
#[cfg(test)]
mod contrast_tests {
    use super::*;

    fn luminance(rgb: &str) -> f64 {
        let Some(Color::Rgb(r, g, b)) = parse_rgb(rgb) else { panic!("{rgb} is not #rrggbb") };
        let lin = |c: u8| {
            let c = f64::from(c) / 255.0;
            if c <= 0.03928 {
                c / 12.92
            } else {
                ((c + 0.055) / 1.055).powf(2.4)
            }
        };
        0.2126 * lin(r) + 0.7152 * lin(g) + 0.0722 * lin(b)
    }

    fn contrast(a: &str, b: &str) -> f64 {
        let (x, y) = (luminance(a), luminance(b));
        (x.max(y) + 0.05) / (x.min(y) + 0.05)
    }

    fn file(name: &str) -> ThemeFile {
        let text = BUILTIN.iter().find(|(n, _)| *n == name).unwrap().1;
        toml::from_str(text).unwrap()
    }

    #[test]
    fn each_default_theme_is_readable_on_its_background() {
        for (name, background) in [("dark", "#000000"), ("light", "#ffffff")] {
            let theme = file(name);
            for (role, def) in &theme.roles {
                let def = def.get_ref();
                if matches!(role, Role::Text | Role::Title) {
                    assert!(
                        def.fg.is_none() && def.bg.is_none(),
                        "{name}: {role:?} must be the terminal's own colours"
                    );
                }
                if let (Some(fg), None) = (&def.fg, &def.bg) {
                    let c = contrast(&fg.get_ref().rgb, background);
                    assert!(c >= 3.0, "{name}: {role:?} {} has contrast {c:.2} on {background}", fg.get_ref().rgb);
                }
            }
        }
    }
}
