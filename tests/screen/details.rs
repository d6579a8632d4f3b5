//! The details view keeps a space between a label and its value.

use crate::tmux::{fixture, Console};

#[test]
fn escalation_details_say_respond_within_with_a_space() {
    let c = Console::open("details-space", &fixture("console-small.toml"), 80, 24);
    c.wait_text("Escalation");
    c.keys(&["5", "Enter"]);
    let s = c.wait("the respond-within line", |s| s.contains("respond within"));
    assert!(!s.contains("respond within3") && !s.contains("within1") && !s.contains("within5"), "{s}");
    assert!(regex::Regex::new(r"respond within +\d").unwrap().is_match(&s), "{s}");
}
