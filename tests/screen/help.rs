//! `G` in the help goes to its end, and no further.

use crate::tmux::{fixture, Console};

#[test]
fn g_in_help_shows_its_last_line_at_80x24() {
    let c = Console::open("help-end", &fixture("screen-long.toml"), 80, 24);
    c.wait_text("Checklist");
    c.keys(&["?"]);
    c.wait_text("Keys");
    assert!(!c.screen().contains("In dialogs: Esc closes"), "the help fits 80×24: the test proves nothing");
    c.keys(&["G"]);
    let s = c.wait_text("Details: 1-9 copy a link");
    // Scrolled only as far as the content: the last line sits at the bottom.
    let lines: Vec<&str> = s.lines().collect();
    let at = lines.iter().position(|l| l.contains("Details: 1-9 copy a link")).unwrap();
    assert!(lines[at + 1].contains('╚'), "blank rows after the end:\n{s}");
}

/// At 80 columns a description too long for the dialog ends with "…", not
/// cut mid-word at the border.
#[test]
fn long_descriptions_end_with_an_ellipsis_at_80x24() {
    let c = Console::open("help-fit", &fixture("screen-long.toml"), 80, 24);
    c.wait_text("Checklist");
    c.keys(&["?"]);
    let s = c.wait_text("Keys");
    let row = s.lines().find(|l| l.contains("page-down")).expect("the page-down row");
    assert!(row.contains("move a page down") && row.contains('…'), "{row}");
}
