//! Notes and others' acts reach the screen: a note added by key, one added
//! with `warroom note`, and another console's mark, named.

use crate::tmux::{fixture, Console};

fn a_note_by_key_and_one_by_warroom_note_are_both_on_screen(w: u16, h: u16) {
    let c = Console::open(&format!("notes-{w}"), &fixture("screen-runs.toml"), w, h);
    c.wait_text("Apply the migration");
    c.keys(&["C"]);
    c.wait_text("Add a note");
    c.literal("DNS switched to the new balancer");
    c.keys(&["Enter"]);
    c.wait_text("note recorded");

    // Another person, from their shell; the note names a criterion.
    let rb = c.runbook().display().to_string();
    let out = c.warroom("ben", &["note", &rb, "db-backup checked by hand on the replica"]);
    assert_eq!(out.status.code(), Some(0), "stderr: {}", String::from_utf8_lossy(&out.stderr));
    c.wait_text("ben noted: db-backup checked");

    // The activity feed has both, with who wrote them.
    c.keys(&["A"]);
    c.wait("both notes in the activity feed", |s| {
        s.contains("DNS switched to the new balancer") && s.contains("db-backup checked by hand")
    });
    c.keys(&["Escape"]);
    // Apart from the next keys: ESC then `2` at once would read as alt-2.
    c.wait("the feed closed", |s| !s.contains("Activity ("));

    // The note that names db-backup is in its details.
    c.keys(&["2", "Enter"]);
    c.wait("the note in the criterion's details", |s| {
        s.contains("Criterion db-backup") && s.contains("checked by hand")
    });
}

#[test]
fn a_note_by_key_and_one_by_warroom_note_are_both_on_screen_80x24() {
    a_note_by_key_and_one_by_warroom_note_are_both_on_screen(80, 24);
}

#[test]
fn a_note_by_key_and_one_by_warroom_note_are_both_on_screen_200x60() {
    a_note_by_key_and_one_by_warroom_note_are_both_on_screen(200, 60);
}

/// Ben, at a second console on the same session, marks db-backup PASS: ana's
/// console says so, naming him, instead of only changing the row.
#[test]
fn another_consoles_mark_raises_a_notice_naming_them() {
    let ana = Console::open("notice-ana", &fixture("screen-runs.toml"), 120, 40);
    ana.wait_text("Apply the migration");
    let ben = ana.join("notice-ben", "ben", 120, 40);
    ben.wait_text("Apply the migration");
    ben.keys(&["2", "Space"]);
    ben.wait_text("✓ PASS");
    ana.wait_text("ben marked db-backup PASS");
    // Ben's own console does not announce his own act to him.
    assert!(!ben.screen().contains("ben marked"), "{}", ben.screen());
}
