//! `G` in the help goes to its end, and no further.

use crate::tmux::{fixture, Console};

#[test]
fn g_in_help_shows_its_last_line_at_80x24() {
    let c = Console::open("help-end", &fixture("screen-long.toml"), 80, 24);
    c.wait_text("Checklist");
    c.keys(&["?"]);
    c.wait_text("Keys");
    assert!(!c.screen().contains("[dialog.note]"), "the help fits 80×24: the test proves nothing");
    c.keys(&["G"]);
    // The last dialog layer's last key ends the help.
    let s = c.wait_text("[dialog.note]");
    // Scrolled only as far as the content: the last line sits at the bottom.
    let lines: Vec<&str> = s.lines().collect();
    let head = lines.iter().position(|l| l.contains("[dialog.note]")).unwrap();
    let at = head + lines[head..].iter().position(|l| l.contains("submit")).expect("note's submit key");
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
