//! Probe rows say one consistent thing: PENDING n/threshold with the reason
//! until the thresholds decide, DOWN with its reason.

use crate::tmux::{fixture, Console};

fn row<'a>(screen: &'a str, id: &str) -> Option<&'a str> {
    screen.lines().find(|l| l.contains(id))
}

#[test]
fn first_failures_are_pending_with_the_reason_at_80x24_and_200x60() {
    for (w, h) in [(80u16, 24u16), (200, 60)] {
        let c = Console::open(&format!("pending-{w}"), &fixture("screen-long.toml"), w, h);
        let s = c.wait("pending-0 pending with its reason", |s| {
            row(s, "pending-0").is_some_and(|r| r.contains("PENDING") && r.contains("/50") && r.contains("connection"))
        });
        assert!(!row(&s, "pending-0").unwrap().contains("NOT STARTED"), "{s}");
        // DOWN rows carry their reason too (200 columns leave room for it).
        if w == 200 {
            c.wait("down-1 down with its reason", |s| {
                s.lines().any(|r| r.contains("▼ DOWN") && r.contains("down-1") && r.contains("connection refused"))
            });
        }
    }
}
