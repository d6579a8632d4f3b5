//! The Escalation pane's keys in a console on the example runbook (in-process,
//! through the shared driver): `m` asks before marking the incident mitigated,
//! the message line names a key that opens the history from the focused pane,
//! Enter on a level shows that level of the ladder the incident climbs, and a
//! key pressed in a dialog dismisses the message line as any other key does.

use std::path::Path;

use ratatui::crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
use ratatui::{backend::TestBackend, Terminal};
use warroom::domain::event::EventKind;
use warroom::ui::app::MsgKind;
use warroom::ui::driver::Input;
use warroom::ui::session::Session;

fn session(dir: &Path) -> Session {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("examples/golive-platform.toml");
    let rb = warroom::cli::runbook_file::load(&path).unwrap_or_else(|d| panic!("{d:?}")).runbook;
    crate::console_support::session(rb, &dir.join("session/journal.jsonl"), "ana", None)
}

fn press(s: &mut Session, c: char) {
    s.feed(Input::Key(KeyEvent::new(KeyCode::Char(c), KeyModifiers::NONE)));
}

fn key(s: &mut Session, code: KeyCode) {
    s.feed(Input::Key(KeyEvent::new(code, KeyModifiers::NONE)));
}

fn declare_sev0(s: &mut Session) {
    s.feed(Input::Act(EventKind::IncidentDeclared { level: "L3".into(), summary: Some("site down".into()) }));
    s.feed(Input::Act(EventKind::IncidentSeverity { severity: "SEV0".into() }));
    assert!(s.app.model.state.incident.as_ref().is_some_and(|i| i.is_open()), "an open incident");
}

fn screen(s: &mut Session, w: u16, h: u16) -> String {
    let mut term = Terminal::new(TestBackend::new(w, h)).unwrap();
    term.draw(|f| s.app.draw(f)).unwrap();
    let buf = term.backend().buffer().clone();
    (0..h).map(|y| (0..w).map(|x| buf[(x, y)].symbol()).collect::<String>() + "\n").collect()
}

fn mitigated(s: &Session) -> bool {
    s.app.model.state.incident.as_ref().is_some_and(|i| i.mitigated.is_some())
}

#[test]
fn m_in_escalation_asks_before_marking_the_incident_mitigated() {
    let dir = tempfile::tempdir().unwrap();
    let mut s = session(dir.path());
    declare_sev0(&mut s);
    press(&mut s, '5');
    press(&mut s, 'm');
    assert!(!mitigated(&s), "one key press journals nothing yet");
    assert_eq!(s.app.view.overlay.name(), Some("confirm"), "m asks first");
    press(&mut s, 'n');
    assert!(!mitigated(&s), "n: nothing journaled");
    press(&mut s, 'm');
    press(&mut s, 'y');
    assert!(mitigated(&s), "y: mitigated");
}

#[test]
fn the_unread_hint_names_a_key_that_opens_the_history_from_the_focused_pane() {
    let dir = tempfile::tempdir().unwrap();
    let mut s = session(dir.path());
    declare_sev0(&mut s);
    press(&mut s, '5');
    s.app.say("first", MsgKind::Info);
    s.app.say("second", MsgKind::Info);
    let shown = screen(&mut s, 80, 24);
    // In Escalation `m` marks the incident mitigated: the hint must not send the operator there.
    assert!(!shown.contains("unread: m)") && !shown.contains("unread (m)"), "{shown}");
    assert!(shown.contains("unread"), "{shown}");
    press(&mut s, '1');
    s.app.say("third", MsgKind::Info);
    let shown = screen(&mut s, 80, 24);
    assert!(shown.contains("unread: m)"), "in Steps m opens the history:\n{shown}");
}

#[test]
fn enter_on_a_level_shows_that_level_of_the_ladder_the_incident_climbs() {
    let dir = tempfile::tempdir().unwrap();
    let mut s = session(dir.path());
    declare_sev0(&mut s);
    press(&mut s, '5');
    key(&mut s, KeyCode::Enter);
    let shown = screen(&mut s, 160, 50);
    // SEV0 climbs its own ladder (L3 only), not [escalation]'s L1.
    assert!(shown.contains("Escalation level L3"), "{shown}");
    assert!(!shown.contains("Escalation level L1"), "{shown}");
}

#[test]
fn a_key_in_a_dialog_dismisses_the_message_line() {
    let dir = tempfile::tempdir().unwrap();
    let mut s = session(dir.path());
    press(&mut s, '?');
    s.app.say("a note from another console", MsgKind::Info);
    assert!(s.app.message().is_some());
    press(&mut s, 'j');
    assert!(s.app.message().is_none(), "a key in help dismisses it, as a key in the panes does");
}
