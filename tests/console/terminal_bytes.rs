//! What the terminal really receives, read from `script`'s recording of the
//! console: in 16-colour mode only the colour codes every ANSI terminal knows
//! (a Linux console, serial and embedded consoles reached over SSH), and no
//! mouse reporting before the user asks for it.

use super::*;

/// Every SGR (`ESC [ params m`) sequence in `bytes`, as its parameter lists.
fn sgr_params(bytes: &[u8]) -> Vec<Vec<u32>> {
    let mut out = Vec::new();
    let mut i = 0;
    while i + 1 < bytes.len() {
        if bytes[i] == 0x1b && bytes[i + 1] == b'[' {
            let start = i + 2;
            let mut j = start;
            while j < bytes.len() && (bytes[j].is_ascii_digit() || bytes[j] == b';' || bytes[j] == b':') {
                j += 1;
            }
            if j < bytes.len() && bytes[j] == b'm' {
                let text = String::from_utf8_lossy(&bytes[start..j]);
                out.push(text.split([';', ':']).map(|p| p.parse().unwrap_or(0)).collect());
            }
            i = j;
        } else {
            i += 1;
        }
    }
    out
}

/// SGR parameters a 16-colour terminal understands: attributes, the eight
/// colours and their bright forms, and the defaults.
fn allowed_in_16_colours(p: u32) -> bool {
    matches!(p, 0..=9 | 21..=29 | 30..=37 | 39 | 40..=47 | 49 | 90..=97 | 100..=107)
}

#[test]
fn sixteen_colour_mode_sends_only_ansi_colour_codes_and_no_mouse_before_m() {
    let data = tempfile::tempdir().unwrap();
    let s = Session::new("bytes16", data);
    let file = s.launch_recorded_with(100, 30, "TERM=xterm COLORTERM=");
    s.wait_screen("Release 4.2");
    // Move about so that focus, selection and every pane's colours are drawn.
    s.keys(&["Tab"]);
    s.keys(&["Tab"]);
    s.keys(&["j"]);
    s.keys(&["?"]);
    s.wait_screen("Keys");
    s.keys(&["Escape"]);
    // Escape and q sent together would read as Alt-q: wait for the dialog to close.
    s.wait("the help dialog closed", |s| !s.screen().contains("Keys"));
    s.keys(&["q"]);
    s.wait_screen("EXIT=0");
    let bytes = std::fs::read(&file).unwrap();
    let sgrs = sgr_params(&bytes);
    assert!(sgrs.len() > 10, "the console drew in colour ({} SGR sequences)", sgrs.len());
    for params in &sgrs {
        assert!(
            params.iter().all(|p| allowed_in_16_colours(*p)),
            "16-colour mode sent SGR {params:?}: only 30–37/90–97/40–47/100–107 colours may go out"
        );
    }
    for (what, seq) in [
        ("mouse button reporting", &b"\x1b[?1000h"[..]),
        ("mouse drag reporting", b"\x1b[?1002h"),
        ("mouse motion reporting", b"\x1b[?1003h"),
        ("SGR mouse encoding", b"\x1b[?1006h"),
    ] {
        assert_eq!(count(&bytes, seq), 0, "{what} was enabled although M was never pressed");
    }
}
