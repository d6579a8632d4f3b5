//! Who is at the keyboard and where warroom keeps its files, read from the
//! environment in this one place for both front ends (the full-screen console
//! and plain mode) and for every headless command (docs/console.md, "Settings").

use std::path::PathBuf;

/// What the environment says, resolved once when a console starts.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Settings {
    /// The name written on every act ([`operator`]).
    pub operator: String,
    /// themes/, layouts/ and keys.toml ([`config_dir`]); `None` when the platform has none.
    pub config_dir: Option<PathBuf>,
    /// Session journals and step output ([`data_dir`]).
    pub data_dir: PathBuf,
    /// `$TERM`: picks the symbols, and `dumb` means plain mode.
    pub term: Option<String>,
}

impl Settings {
    /// From the environment; `operator` is `--operator`, which wins over `$WARROOM_OPERATOR`.
    pub fn from_env(operator_flag: Option<&str>) -> Settings {
        Settings {
            operator: operator(operator_flag),
            config_dir: config_dir(),
            data_dir: data_dir(),
            term: std::env::var("TERM").ok(),
        }
    }

    /// A terminal that can show nothing but lines (`TERM=dumb`): plain mode.
    pub fn dumb_terminal(&self) -> bool {
        self.term.as_deref() == Some("dumb")
    }
}

/// `--operator`, else `$WARROOM_OPERATOR`, else `$USER@host` (blank values do not count).
pub fn operator(flag: Option<&str>) -> String {
    if let Some(o) = flag.map(str::trim).filter(|o| !o.is_empty()) {
        return o.to_string();
    }
    if let Ok(o) = std::env::var("WARROOM_OPERATOR") {
        if !o.trim().is_empty() {
            return o.trim().to_string();
        }
    }
    let user = std::env::var("USER").or_else(|_| std::env::var("LOGNAME")).unwrap_or_else(|_| "operator".into());
    format!("{user}@{}", super::presence::hostname())
}

/// The user's config dir (themes/, layouts/, keys.toml): `$WARROOM_CONFIG_DIR`,
/// else the platform's (`~/.config/warroom`).
pub fn config_dir() -> Option<PathBuf> {
    if let Some(d) = std::env::var_os("WARROOM_CONFIG_DIR").filter(|d| !d.is_empty()) {
        return Some(PathBuf::from(d));
    }
    directories::ProjectDirs::from("", "", "warroom").map(|p| p.config_dir().to_path_buf())
}

/// The user's data dir, where sessions keep their journal (file journals) or
/// their step output (database journals): `$WARROOM_DATA_DIR`, else the
/// platform's (`~/.local/share/warroom`), else a folder under the temp dir.
pub fn data_dir() -> PathBuf {
    if let Some(d) = std::env::var_os("WARROOM_DATA_DIR").filter(|d| !d.is_empty()) {
        return PathBuf::from(d);
    }
    directories::ProjectDirs::from("", "", "warroom")
        .map(|p| p.data_dir().to_path_buf())
        .unwrap_or_else(|| std::env::temp_dir().join("warroom-data"))
}
