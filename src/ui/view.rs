//! How the console shows what it knows: which pane has focus, the selection
//! and scroll of each list, the open dialogs, the looks (keys, theme, layout,
//! symbols). Keys and the mouse change it; drawing keeps each list's scroll
//! offset here (ratatui's `ListState`) and leaves the hit map for the mouse.

use std::collections::BTreeMap;
use std::path::PathBuf;

use ratatui::layout::Rect;
use ratatui::widgets::ListState;

use super::app::RowMap;
use super::keymap::Keymap;
use super::layout::Layout;
use super::panes::PaneId;
use super::symbols::Symbols;
use super::theme::Theme;

pub struct View {
    pub keymap: Keymap,
    pub theme: Theme,
    pub layout: Layout,
    pub config_dir: Option<PathBuf>,
    pub symbols: Symbols,
    pub focus: PaneId,
    /// Selected item per pane (index into `items::*` order).
    pub selected: [usize; 5],
    /// What the last frame left: scroll offsets, hit maps, links.
    pub drawn: Drawn,
    /// The open dialogs (`overlay::stack`): keys go to the top one.
    pub overlay: super::overlay::DialogStack,
    /// Messages said up to this count were dismissed (a key was pressed since):
    /// the message line shows the newest only when something was said after.
    pub dismissed: u64,
    pub mouse: bool,
    /// Last confirmed search, for `n` / `N`.
    pub last_search: Option<(PaneId, String)>,
    /// Where each log is read: following or held, the last search (`ui::logs_live`).
    pub logs: super::logs_view::LogsView,
    /// Something changed since the last draw.
    pub dirty: bool,
    /// A word the status line always shows first, whatever the width (`DEMO`).
    pub badge: Option<&'static str>,
    /// Write links as OSC 8 hyperlinks (`ui::hyperlink`), decided once at start.
    pub hyperlinks: bool,
    /// The time machine's bar (moment, position, keys), drawn above the panes when set.
    pub timeline_bar: Option<String>,
}

impl View {
    pub fn new(keymap: Keymap, theme: Theme, layout: Layout, config_dir: Option<PathBuf>, symbols: Symbols) -> View {
        View {
            keymap,
            theme,
            layout,
            config_dir,
            symbols,
            focus: PaneId::Steps,
            selected: [0; 5],
            drawn: Drawn::default(),
            overlay: Default::default(),
            dismissed: 0,
            mouse: false,
            last_search: None,
            logs: Default::default(),
            dirty: true,
            badge: None,
            hyperlinks: super::hyperlink::supported(|k| std::env::var(k).ok()),
            timeline_bar: None,
        }
    }
}

/// What drawing leaves behind for the next frame and for the mouse: each
/// list's scroll offset (kept so a list moves as little as possible), which
/// item each drawn row shows, where each pane and link is. Drawing reads the
/// model and the rest of the view and writes only this (`App::draw`).
#[derive(Default)]
pub struct Drawn {
    /// Scroll offsets per pane, kept across redraws and resizes.
    pub lists: [ListState; 5],
    /// Which item each drawn row shows, per pane.
    pub row_maps: [RowMap; 5],
    /// Where each pane was drawn (mouse hit-testing, page size).
    pub pane_areas: Vec<(PaneId, Rect)>,
    /// Rows each log's lines had: pages move by it.
    pub log_rows: BTreeMap<String, usize>,
    /// The last search count in a log title: (log, query, lines seen then,
    /// matches). Counting runs over the whole ring buffer, so it is redone
    /// only when a line arrives or the query changes, not on every frame.
    pub log_search_count: Option<(String, String, u64, usize)>,
    /// The last top row the open dialog can scroll to (its end at the
    /// bottom) at the size it was drawn; `None` before it is drawn.
    pub dialog_max_top: Option<usize>,
    /// Links drawn, for the OSC 8 overlay.
    pub placed_links: Vec<super::hyperlink::Placed>,
}
