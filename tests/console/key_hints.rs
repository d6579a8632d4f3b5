//! Every key hint names the keys the keymap really has (docs/console.md,
//! "Keys"): the bottom hint line, the dialogs' borders, help's section
//! headers, the questions, the Logs title and messages — with the built-in
//! keys and with a user's keys.toml.

use ratatui::crossterm::event::{KeyCode, KeyEvent, KeyModifiers};

use warroom::domain::event::Decision;
use warroom::ui::keymap::Keymap;
use warroom::ui::overlay::decision::{Asked, DecisionDialog};
use warroom::ui::overlay::Overlay;

use super::{ch, console, draw, key, press, text};

fn keys(a: &mut super::Console, toml: &str) {
    a.view.keymap = Keymap::from_texts(Some(("keys.toml", toml))).unwrap();
}

fn screen(a: &mut super::Console) -> String {
    text(&draw(a, 160, 50))
}

#[test]
fn the_bottom_line_and_helps_headers_follow_a_remapped_help_key() {
    let mut a = console();
    keys(&mut a, "[global]\nhelp = \"f1\"\n");
    let s = screen(&mut a);
    assert!(s.contains("F1 help · : palette") && !s.contains("? help"), "{s}");
    let lines: Vec<String> = warroom::ui::overlay::help::lines(&a)
        .iter()
        .map(|l| l.spans.iter().map(|s| s.content.as_ref()).collect())
        .collect();
    let head = lines.iter().find(|l| l.starts_with("[dialog.help]")).cloned().unwrap_or_default();
    assert!(head.contains("F1 this help") && !head.contains("? this help"), "{head}");
}

#[test]
fn the_decisions_question_names_the_confirms_keys() {
    let mut a = console();
    keys(&mut a, "[dialog.confirm]\nyes = \"Y\"\n");
    let mut d = DecisionDialog::for_app(&a);
    d.choice = Some(0);
    d.asking = Some(Asked { decision: Decision::Go, overrides: vec!["api-up".into()], supersedes: None, seen: None });
    a.view.overlay.open(Overlay::Decision(Box::new(d)));
    let s = screen(&mut a);
    assert!(s.contains("Y record · n/Esc/q go back") && !s.contains("y record"), "{s}");
    // The quit question too.
    let q = warroom::ui::overlay::confirm::Confirm::quit(&["deploy".into()], &a.view.keymap);
    assert!(q.question.contains("(Y: quit · n/Esc/q: stay)"), "{}", q.question);
}

#[test]
fn the_search_line_names_the_search_keys() {
    let mut a = console();
    keys(&mut a, "[dialog.search]\nclose = \"ctrl-g\"\n");
    press(&mut a, &[ch('/')]);
    let s = screen(&mut a);
    assert!(s.contains("ctrl-g cancel") && !s.contains("Esc cancel"), "{s}");
    press(&mut a, &[key(KeyCode::Esc)]);
    assert_eq!(a.view.overlay.name(), Some("search"), "Esc no longer cancels");
    press(&mut a, &[KeyEvent::new(KeyCode::Char('g'), KeyModifiers::CONTROL)]);
    assert!(!a.view.overlay.is_open());
}

#[test]
fn the_logs_title_and_message_name_the_follow_key() {
    let mut a = console();
    keys(&mut a, "[logs]\nfollow = \"f\"\n");
    press(&mut a, &[ch('4'), ch('f')]);
    let said = a.message().map(|(m, _)| m.to_string()).unwrap_or_default();
    assert!(said.contains("(f or G to follow)"), "{said}");
    let s = screen(&mut a);
    assert!(s.contains("follow off (f)") && !s.contains("follow off (F)"), "{s}");
}

#[test]
fn built_in_hints_name_every_close_key_and_keep_their_words_when_another_key_moves() {
    let mut a = console();
    // Who: q and Enter close too.
    press(&mut a, &[ch('W')]);
    let s = screen(&mut a);
    assert!(s.contains("j/k scroll · Esc/q/Enter close"), "{s}");
    press(&mut a, &[key(KeyCode::Esc)]);
    // The details keep their words with the built-in keys …
    press(&mut a, &[key(KeyCode::Enter)]);
    assert_eq!(a.view.overlay.name(), Some("details"));
    let s = screen(&mut a);
    assert!(s.contains("j/k g/G scroll · / find · Enter/Esc/q close"), "{s}");
    press(&mut a, &[key(KeyCode::Esc)]);
    // … and when an unrelated key moves, only that key's name changes.
    keys(&mut a, "[dialog.details]\nfind = \"ctrl-f\"\n");
    press(&mut a, &[key(KeyCode::Enter)]);
    let s = screen(&mut a);
    assert!(s.contains("j/k g/G scroll · ctrl-f find · Enter/Esc/q close"), "{s}");
}

#[test]
fn the_decision_names_no_key_that_types_into_the_reason() {
    let mut a = console();
    press(&mut a, &[ch('d')]);
    assert_eq!(a.view.overlay.name(), Some("decision"));
    let s = screen(&mut a);
    // `y` is typed into the reason here: the list points to it in the panes.
    assert!(s.contains(" blocking; after Esc, y lists all)") && !s.contains("blocking, y lists all"), "{s}");
    keys(&mut a, "[global]\nwhy-not-go = \"Y\"\n");
    let s = screen(&mut a);
    assert!(s.contains("after Esc, Y lists all"), "{s}");
}

#[test]
fn the_decisions_confirm_step_names_the_confirms_keys_on_its_border() {
    let mut a = console();
    let mut d = DecisionDialog::for_app(&a);
    d.choice = Some(0);
    d.asking = Some(Asked { decision: Decision::Go, overrides: vec!["api-up".into()], supersedes: None, seen: None });
    a.view.overlay.open(Overlay::Decision(Box::new(d)));
    let s = screen(&mut a);
    let border = s.lines().find(|l| l.contains('╚')).unwrap_or_default().to_string();
    assert!(border.contains("y record · n/Esc/q go back") && !border.contains("type the reason"), "{border}");
}

#[test]
fn the_time_machine_names_its_own_keys() {
    let a = console();
    let mut r = warroom::ui::replay::Replay::new(&a, Vec::new(), None, false);
    let s = text(&draw(&mut r.app, 160, 50));
    // `d` is "next decision" there and `q` does nothing: the live hint line would mislead.
    assert!(!s.contains("d decision") && !s.contains("q quit"), "{s}");
    assert!(s.contains("time machine: its keys are on the bar above · ? help · Tab panes · Enter details"), "{s}");
    // `E` is what changed there (`W` is who is here).
    assert!(s.contains("E changed") && !s.contains("W changed"), "{s}");
}

#[test]
fn the_dialogs_errors_name_the_keys_the_keymap_has() {
    let mut a = console();
    keys(&mut a, "[dialog.decision]\nnext-choice = \"ctrl-n\"\nclose = \"ctrl-g\"\n\n[global]\nmessages = \"M\"\nmouse = \"f2\"\n");
    press(&mut a, &[ch('d'), key(KeyCode::Enter)]);
    let s = screen(&mut a);
    assert!(s.contains("with ctrl-n first") && !s.contains("with Tab first"), "{s}");
    press(&mut a, &[KeyEvent::new(KeyCode::Char('g'), KeyModifiers::CONTROL)]);
    assert!(!a.view.overlay.is_open());
    // Two messages unread: the count names the messages key.
    a.say("one", warroom::ui::app::MsgKind::Info);
    a.say("two", warroom::ui::app::MsgKind::Info);
    let s = screen(&mut a);
    assert!(s.contains("(+1 unread: M)") && !s.contains("unread: m)"), "{s}");
}

/// After `/` in the Checklist, `n` marks N/A there: the message must not send
/// the operator to it, and names the keys that do step through the matches.
#[test]
fn the_search_message_names_keys_that_step_through_matches_in_this_pane() {
    let mut a = console();
    press(&mut a, &[ch('2'), ch('/'), ch('c'), ch('h'), ch('e'), key(KeyCode::Enter)]);
    let said = a.message().map(|m| m.0.to_string()).unwrap_or_default();
    assert!(said.contains("/che: "), "{said}");
    assert!(!said.contains("n/N"), "n marks N/A in the Checklist: {said}");
    assert!(!said.contains("match(es)"), "{said}");
    // In Steps the built-in n/N do step through the matches.
    press(&mut a, &[ch('1'), ch('/'), ch('a'), key(KeyCode::Enter)]);
    let said = a.message().map(|m| m.0.to_string()).unwrap_or_default();
    assert!(said.contains("n/N next/previous"), "{said}");
    // Remapped, the hint follows.
    keys(&mut a, "[global]\nsearch-next = \"ctrl-n\"\nsearch-prev = \"ctrl-p\"\n");
    press(&mut a, &[ch('/'), ch('a'), key(KeyCode::Enter)]);
    let said = a.message().map(|m| m.0.to_string()).unwrap_or_default();
    assert!(said.contains("ctrl-n/ctrl-p next/previous") && !said.contains("n/N"), "{said}");
}

/// The bar is cut at the screen's edge: how to leave comes first, so 80 columns show it.
#[test]
fn the_time_machine_says_how_to_leave_at_80_columns() {
    let a = console();
    let mut r = warroom::ui::replay::Replay::new(&a, Vec::new(), None, false);
    let s = text(&draw(&mut r.app, 80, 24));
    assert!(s.contains("Esc/t live"), "{s}");
}
