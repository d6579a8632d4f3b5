//! The status line at 80×24 keeps runbook, operator and recommendation, and
//! says the time once when the runbook's zone is UTC.

use crate::tmux::{fixture, Console};

fn status_line(screen: &str) -> String {
    screen.lines().find(|l| l.contains("rec: ")).unwrap_or_default().to_string()
}

#[test]
fn status_line_keeps_title_operator_and_recommendation_at_80x24() {
    let c = Console::open("status-80", &fixture("screen-long.toml"), 80, 24);
    let s = c.wait("the recommendation to roll back", |s| status_line(s).contains("rec: ROLLBACK"));
    let line = status_line(&s);
    // "ana ▶": the presence roster marks the console that is acting.
    assert!(line.contains("Long lists │ ana ▶ │ rec: ROLLBACK"), "{line}");
    assert_eq!(line.matches("UTC").count() + line.matches('Z').count(), 1, "the time once: {line}");
}

#[test]
fn a_utc_runbook_shows_its_clock_once_at_200x60() {
    let c = Console::open("status-200", &fixture("screen-long.toml"), 200, 60);
    let s = c.wait("the status line", |s| status_line(s).contains("rec: "));
    let line = status_line(&s);
    assert_eq!(line.matches("UTC").count(), 1, "\"UTC · UTC\" repeats the same clock: {line}");
}
