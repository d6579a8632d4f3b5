//! Dialog keys come from the keymap, one `[dialog.<name>]` layer per dialog:
//! a user's keys.toml remaps them in the running console, and help (`?`)
//! lists every layer with the keys the live keymap gives it.

use ratatui::crossterm::event::{KeyCode, KeyEvent, KeyModifiers};

use warroom::ui::keymap::Keymap;
use warroom::ui::overlay::{Layer, Overlay};

use super::{ch, console, draw, key, press, text};

const USER_KEYS: &str = "\
[dialog.help]
close = \"x\"

[dialog.palette]
submit = \"ctrl-j\"
";

fn ctrl(c: char) -> KeyEvent {
    KeyEvent::new(KeyCode::Char(c), KeyModifiers::CONTROL)
}

#[test]
fn a_remapped_dialog_key_works_in_the_console() {
    let mut a = console();
    a.view.keymap = Keymap::from_texts(Some(("keys.toml", USER_KEYS))).unwrap();

    // Help closes with x now, and only with x: the binding replaced esc, q and ?.
    press(&mut a, &[ch('?')]);
    // Its border names the keys the keymap has now.
    let s = text(&draw(&mut a, 160, 50));
    assert!(s.contains("j/k scroll · g/G top/end · x close") && !s.contains("Esc/q/? close"), "{s}");
    press(&mut a, &[ch('q'), key(KeyCode::Esc), ch('?')]);
    assert_eq!(a.view.overlay.name(), Some("help"), "the built-in close keys were replaced");
    press(&mut a, &[ch('x')]);
    assert!(!a.view.overlay.is_open(), "x closes help");

    // In the palette (a text field) Enter no longer runs the action; ctrl-j does,
    // and the dialog it opens takes the palette's place.
    press(&mut a, &[ch(':')]);
    let s = text(&draw(&mut a, 160, 50));
    assert!(s.contains("type to filter · ↑/↓ choose · ctrl-j run · Esc close"), "{s}");
    for c in "walk".chars() {
        press(&mut a, &[KeyEvent::new(KeyCode::Char(c), KeyModifiers::NONE)]);
    }
    press(&mut a, &[key(KeyCode::Enter)]);
    assert_eq!(a.view.overlay.name(), Some("palette"), "Enter is not bound in the palette any more");
    press(&mut a, &[ctrl('j')]);
    assert!(matches!(a.view.overlay.top(), Some(Overlay::Walkthrough(_))), "{:?}", a.view.overlay.name());
    assert_eq!(a.view.overlay.len(), 1, "the walkthrough took the palette's place");
    // Esc goes back to the panes, as before.
    press(&mut a, &[key(KeyCode::Esc)]);
    assert!(!a.view.overlay.is_open());
}

#[test]
fn help_lists_every_dialog_layer_from_the_live_keymap() {
    let mut a = console();
    a.view.keymap = Keymap::from_texts(Some(("keys.toml", USER_KEYS))).unwrap();
    let lines: Vec<String> = warroom::ui::overlay::help::lines(&a)
        .iter()
        .map(|l| l.spans.iter().map(|s| s.content.as_ref()).collect())
        .collect();
    for layer in Layer::ALL {
        let head = format!("[dialog.{}]", layer.name());
        let at = lines.iter().position(|l| l.starts_with(&head)).unwrap_or_else(|| panic!("no {head} in help"));
        assert!(lines.get(at + 1).is_some_and(|l| !l.trim().is_empty()), "{head} lists no keys");
    }
    let in_layer = |layer: &str, action: &str| -> String {
        let at = lines.iter().position(|l| l.starts_with(&format!("[dialog.{layer}]"))).unwrap();
        lines[at + 1..]
            .iter()
            .take_while(|l| !l.trim().is_empty())
            .find(|l| l.split_whitespace().any(|w| w == action))
            .cloned()
            .unwrap_or_default()
    };
    // The user's keys, not the built-in ones.
    assert!(in_layer("palette", "submit").starts_with("ctrl-j "), "{:?}", in_layer("palette", "submit"));
    assert!(in_layer("help", "close").starts_with("x "), "{:?}", in_layer("help", "close"));
    assert!(in_layer("details", "find-prev").starts_with("N "), "{:?}", in_layer("details", "find-prev"));

    // On screen: the end of help (G) shows the last layer.
    press(&mut a, &[ch('?'), ch('G')]);
    let s = text(&draw(&mut a, 160, 50));
    assert!(s.contains("[dialog.note]"), "{s}");
}
