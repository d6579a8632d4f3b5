//! The user's data directory, where sessions keep their journal (file
//! journals) or their step output (database journals).

use std::path::PathBuf;

/// `$WARROOM_DATA_DIR`, else the platform's data dir for warroom
/// (`~/.local/share/warroom`), else a folder under the temp dir.
pub fn data_dir() -> PathBuf {
    if let Some(d) = std::env::var_os("WARROOM_DATA_DIR").filter(|d| !d.is_empty()) {
        return PathBuf::from(d);
    }
    directories::ProjectDirs::from("", "", "warroom")
        .map(|p| p.data_dir().to_path_buf())
        .unwrap_or_else(|| std::env::temp_dir().join("warroom-data"))
}
