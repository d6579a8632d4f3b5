//! Outcome words are words ("timed out", never "timedout").

use crate::tmux::{fixture, Console};

#[test]
fn a_timed_out_step_says_timed_out() {
    let c = Console::open("timedout", &fixture("screen-timeout.toml"), 80, 24);
    c.wait_text("Sleeps past");
    c.keys(&["1", "r"]);
    c.wait_text("Run step?");
    c.keys(&["y"]);
    let s = c.wait("the message line of a timed-out step", |s| s.contains("run 1: timed out"));
    assert!(!s.contains("timedout"), "{s}");
}
