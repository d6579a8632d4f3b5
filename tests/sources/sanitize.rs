//! S2 on the real path: hostile bytes from a process, through the sanitiser,
//! rendered into a ratatui buffer — the buffer holds no escape, C0, C1 or bidi control.

use proptest::prelude::*;
use ratatui::backend::TestBackend;
use ratatui::widgets::Paragraph;
use ratatui::Terminal;
use warroom::domain::sanitize::{clean_bytes, is_bidi};

const PAYLOADS: &[&[u8]] = &[
    b"\x1b]52;c;cHduZWQ=\x07",
    b"\x1b]8;;https://evil.example/\x1b\\link\x1b]8;;\x1b\\",
    b"\x1b]0;title\x07",
    b"\x1b[2J",
    b"\x1bP$q\"p\x1b\\",
    b"\x1b[>0q",
    b"\xc2\x9b6n",
    b"\xe2\x80\xae",
    b"\t",
    b"\r",
    b"\x7f",
];

fn hostile() -> impl Strategy<Value = Vec<u8>> {
    let piece = prop_oneof![
        proptest::collection::vec(any::<u8>(), 0..24),
        proptest::sample::select(PAYLOADS).prop_map(|p| p.to_vec()),
        "[ -~äñ日本👩‍👩‍👧]{0,10}".prop_map(|s| s.into_bytes()),
    ];
    proptest::collection::vec(piece, 0..10).prop_map(|v| v.concat())
}

fn rendered(text: &str) -> String {
    let mut term = Terminal::new(TestBackend::new(60, 4)).unwrap();
    term.draw(|f| f.render_widget(Paragraph::new(text.to_string()), f.area())).unwrap();
    term.backend().buffer().content().iter().map(|c| c.symbol().to_string()).collect()
}

fn forbidden(c: char) -> bool {
    (c as u32) < 0x20 || c == '\u{7f}' || ('\u{80}'..='\u{9f}').contains(&c) || is_bidi(c)
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 512, ..ProptestConfig::default() })]
    #[test]
    fn hostile_bytes_never_reach_the_screen(bytes in hostile()) {
        let shown = rendered(&clean_bytes(&bytes));
        prop_assert!(!shown.chars().any(forbidden), "{:?} rendered {:?}", bytes, shown);
        for p in ["\x1b]52;", "\x1b]8;;", "\x1b]0;", "\x1b[2J", "\x1bP$q", "\x1b[>0q"] {
            prop_assert!(!shown.contains(p));
        }
    }
}

#[test]
fn markup_stays_literal_on_screen() {
    let shown = rendered(&clean_bytes(b"[red]alert {var} %s"));
    assert!(shown.starts_with("[red]alert {var} %s"), "{shown}");
}
