//! Lists keep their selection and their most important rows in view.

use crate::tmux::{fixture, Console};

/// The demo bug: select the last criterion, shrink to 80×24 and grow to
/// 200×60: the list must start again at its top (CRITICAL header on screen),
/// not stay scrolled mid-list with blank rows below.
#[test]
fn resize_round_trip_shows_the_critical_header_again() {
    let c = Console::open("resize-trip", &fixture("screen-long.toml"), 120, 40);
    c.wait_text("Checklist");
    c.keys(&["2", "G"]);
    c.wait_text("Medium criterion 08");
    c.resize(80, 24);
    let small = c.wait_size(80, 24, "MEDIUM");
    assert!(small.contains("more above") || small.contains("failing above"), "cut list without a marker:\n{small}");
    c.resize(200, 60);
    c.wait_size(200, 60, "Medium criterion 08");
    let big = c.wait("CRITICAL header after the round trip", |s| s.contains("CRITICAL") && s.contains("HIGH"));
    assert!(big.contains("Critical follows probe down-1"), "{big}");
}

/// `L` three times: the selection stays in view and the critical rows are on
/// screen or announced ("▲ 2 failing above"), never silently hidden.
#[test]
fn cycling_layouts_keeps_the_selection_and_the_failing_rows_in_sight() {
    let c = Console::open("layout-cycle", &fixture("screen-long.toml"), 120, 40);
    c.wait_text("Checklist");
    c.keys(&["2", "G"]);
    c.wait_text("Medium criterion 08");
    for _ in 0..3 {
        c.keys(&["L"]);
    }
    c.keys(&["2"]);
    c.wait("critical rows shown or announced after three layouts", |s| {
        (s.contains("CRITICAL") || s.contains("2 failing above")) && s.contains("Medium criterion 08")
    });
}

/// At 80×24 a list longer than its pane says how much is cut, both ways.
#[test]
fn a_cut_list_says_more_below_and_more_above() {
    let c = Console::open("markers", &fixture("screen-long.toml"), 80, 24);
    c.wait_text("Checklist");
    c.keys(&["2"]);
    c.wait_text("more below");
    c.keys(&["G"]);
    c.wait("a marker above once scrolled to the end", |s| s.contains("above"));
}

/// Failing critical rows scrolled out of view are announced on the pane.
#[test]
fn failing_rows_scrolled_away_are_announced() {
    let c = Console::open("failing", &fixture("screen-long.toml"), 80, 24);
    c.wait_text("Checklist");
    c.keys(&["2", "G"]);
    c.wait("\"failing above\" once the auto criteria fail", |s| s.contains("2 failing above"));
}
