//! The one sanitiser for all text from outside (S1–S4 in docs/requirements.md): log lines,
//! probe bodies and errors, step output, journal text from other writers, the
//! window title, OSC 52 payloads, reports and exports.
//!
//! What it does, so the terminal only ever receives printable text:
//! - **Escape sequences are removed whole**: CSI (`ESC [` … final byte, or C1
//!   `0x9B`), OSC (`ESC ]` … ended by BEL or ST, or C1 `0x9D`), DCS (`ESC P`),
//!   SOS (`ESC X`), PM (`ESC ^`), APC (`ESC _`) (each … ended by ST, or their C1
//!   forms), `ESC` + intermediates + final (`ESC ( B`), and plain `ESC x`.
//!   We chose removal over showing them escaped because scripts colour their
//!   output (SGR) all the time and `^[[32m` noise would bury the text an
//!   operator needs; nothing of a sequence reaches the screen either way.
//!   An unterminated string sequence (OSC/DCS/…) swallows the rest of the text,
//!   as a terminal would.
//! - **Tab** is expanded to spaces up to the next 8-column stop (by display width).
//! - **CR** is dropped (CRLF files, progress bars).
//! - **Other C0 controls and DEL** are shown in caret notation: `^G`, `^H`, `^J`, `^?`.
//! - **C1 controls** (U+0080–U+009F) that start no sequence are shown as `<U+0085>`.
//! - **Bidi controls** (U+202A–202E, U+2066–2069, U+200E/F, U+061C) and the line/paragraph
//!   separators U+2028/2029 are shown as `<U+202E>`, so text cannot be reordered on screen.
//! - **Invalid UTF-8** becomes U+FFFD (`clean_bytes`).
//!
//! Text is never interpreted: `[red]`, `{var}` and `%s` come out exactly as they went in (S4).

use unicode_width::UnicodeWidthChar;

/// Tab stops every this many columns.
pub const TAB_WIDTH: usize = 8;

const ESC: char = '\u{1b}';
const BEL: char = '\u{07}';
/// String Terminator, C1 form.
const ST_C1: char = '\u{9c}';

/// Cleans one piece of outside text for display on one line.
/// Line feeds inside it are shown as `^J`; use [`clean_lines`] to split text into lines.
pub fn clean(text: &str) -> String {
    // Printable ASCII (nearly every log and step line) passes through the loop
    // below unchanged: skip it. The same result, about ten times faster, which
    // is what lets a log tail keep up with a million lines a second.
    if text.bytes().all(|b| (0x20..0x7f).contains(&b)) {
        return text.to_owned();
    }
    let mut out = String::with_capacity(text.len());
    let mut col = 0usize;
    let mut chars = text.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            ESC => skip_escape(&mut chars),
            '\u{9b}' => skip_csi(&mut chars),
            '\u{9d}' => skip_string(&mut chars, true),
            '\u{90}' | '\u{98}' | '\u{9e}' | '\u{9f}' => skip_string(&mut chars, false),
            '\t' => {
                let n = TAB_WIDTH - (col % TAB_WIDTH);
                out.extend(std::iter::repeat_n(' ', n));
                col += n;
            }
            '\r' => {}
            c if (c as u32) < 0x20 || c == '\u{7f}' => {
                out.push('^');
                out.push(if c == '\u{7f}' { '?' } else { (c as u8 + 0x40) as char });
                col += 2;
            }
            c if is_c1(c) || is_bidi(c) => {
                let shown = format!("<U+{:04X}>", c as u32);
                col += shown.len();
                out.push_str(&shown);
            }
            c => {
                out.push(c);
                col += c.width().unwrap_or(0);
            }
        }
    }
    out
}

/// Cleans raw bytes: invalid UTF-8 becomes U+FFFD, then as [`clean`].
/// Valid UTF-8 is cleaned in place, without the lossy copy.
pub fn clean_bytes(bytes: &[u8]) -> String {
    match std::str::from_utf8(bytes) {
        Ok(text) => clean(text),
        Err(_) => clean(&String::from_utf8_lossy(bytes)),
    }
}

/// Splits outside text into lines (`\n`, `\r\n`) and cleans each one.
/// A trailing line break does not make an empty last line.
pub fn clean_lines(text: &str) -> Vec<String> {
    text.lines().map(clean).collect()
}

/// Cleans multi-line outside text and keeps its line breaks (reports, exports,
/// message previews): each line as [`clean`], joined with `\n`.
pub fn clean_multiline(text: &str) -> String {
    clean_lines(text).join("\n")
}

/// Expands tabs to spaces at 8-column stops (by display width), leaving all else as is.
/// For text that is already trusted (the runbook's own strings) but must not carry tabs to the screen.
pub fn expand_tabs(text: &str) -> String {
    if !text.contains('\t') {
        return text.to_string();
    }
    let mut out = String::with_capacity(text.len() + 8);
    let mut col = 0usize;
    for c in text.chars() {
        match c {
            '\t' => {
                let n = TAB_WIDTH - (col % TAB_WIDTH);
                out.extend(std::iter::repeat_n(' ', n));
                col += n;
            }
            '\n' => {
                out.push(c);
                col = 0;
            }
            c => {
                out.push(c);
                col += c.width().unwrap_or(0);
            }
        }
    }
    out
}

/// True when `text` is already clean (what [`clean`] guarantees): no C0, DEL, C1 or bidi control.
pub fn is_clean(text: &str) -> bool {
    !text.chars().any(|c| (c as u32) < 0x20 || c == '\u{7f}' || is_c1(c) || is_bidi(c))
}

fn is_c1(c: char) -> bool {
    ('\u{80}'..='\u{9f}').contains(&c)
}

/// Controls that reorder text (Trojan Source) or break lines where the terminal does not expect it.
pub fn is_bidi(c: char) -> bool {
    matches!(c, '\u{202a}'..='\u{202e}' | '\u{2066}'..='\u{2069}' | '\u{200e}' | '\u{200f}' | '\u{061c}')
        || matches!(c, '\u{2028}' | '\u{2029}')
}

type Chars<'a> = std::iter::Peekable<std::str::Chars<'a>>;

/// After an ESC: drop the whole sequence it starts.
fn skip_escape(chars: &mut Chars<'_>) {
    let Some(&next) = chars.peek() else { return };
    match next {
        '[' => {
            chars.next();
            skip_csi(chars);
        }
        ']' => {
            chars.next();
            skip_string(chars, true);
        }
        'P' | 'X' | '^' | '_' => {
            chars.next();
            skip_string(chars, false);
        }
        // SS2 / SS3 select one character from another set: drop it too.
        'N' | 'O' => {
            chars.next();
            if chars.peek().is_some_and(|c| ('\u{20}'..='\u{7e}').contains(c)) {
                chars.next();
            }
        }
        // nF: intermediates 0x20–0x2F, then one final byte 0x30–0x7E.
        '\u{20}'..='\u{2f}' => {
            while chars.peek().is_some_and(|c| ('\u{20}'..='\u{2f}').contains(c)) {
                chars.next();
            }
            if chars.peek().is_some_and(|c| ('\u{30}'..='\u{7e}').contains(c)) {
                chars.next();
            }
        }
        // Fp / Fe / Fs: a single final byte (ESC 7, ESC c, ESC M …).
        '\u{30}'..='\u{7e}' => {
            chars.next();
        }
        // ESC followed by a control or non-ASCII: the lone ESC is dropped and the
        // next character is handled on its own (it may start a sequence itself).
        _ => {}
    }
}

/// CSI body: parameters 0x30–0x3F, intermediates 0x20–0x2F, final 0x40–0x7E.
/// Anything else ends the sequence early and is handled on its own, as terminals do.
fn skip_csi(chars: &mut Chars<'_>) {
    while let Some(&c) = chars.peek() {
        match c {
            '\u{20}'..='\u{3f}' => {
                chars.next();
            }
            '\u{40}'..='\u{7e}' => {
                chars.next();
                return;
            }
            _ => return,
        }
    }
}

/// OSC / DCS / SOS / PM / APC body up to ST (`ESC \` or U+009C); OSC also ends at BEL.
/// An ESC that does not form ST ends the string and starts a new sequence.
fn skip_string(chars: &mut Chars<'_>, bel_ends: bool) {
    while let Some(c) = chars.next() {
        match c {
            ST_C1 => return,
            BEL if bel_ends => return,
            ESC => {
                if chars.peek() == Some(&'\\') {
                    chars.next();
                } else {
                    skip_escape(chars);
                }
                return;
            }
            _ => {}
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    /// Known hostile payloads (S2), each with some text around it.
    const PAYLOADS: &[&str] = &[
        "\x1b]52;c;aGVsbG8=\x07",
        "\x1b]52;c;aGVsbG8=\x1b\\",
        "\x1b]8;;https://evil.example/\x1b\\click\x1b]8;;\x1b\\",
        "\x1b]0;pwned title\x07",
        "\x1b[2J",
        "\x1bP$q\"p\x1b\\",
        "\x1b[>0q",
        "\x1b[6n",
        "\x1b[31;1mred\x1b[0m",
        "\u{9b}2J",
        "\u{9d}0;title\u{9c}",
        "\x1b_apc\x1b\\",
        "\x1b^pm\x1b\\",
        "\x1bXsos\x1b\\",
        "\x1b(B",
        "\x1bc",
        "\u{202e}evil\u{202c}",
    ];

    fn assert_safe(out: &str) {
        assert!(is_clean(out), "unclean output: {out:?}");
        assert!(!out.contains(ESC));
    }

    #[test]
    fn strips_whole_sequences_and_keeps_text() {
        assert_eq!(clean("a\x1b[31mred\x1b[0mb"), "aredb");
        assert_eq!(clean("x\x1b]0;title\x07y"), "xy");
        assert_eq!(clean("x\x1b]52;c;Zm9v\x1b\\y"), "xy");
        assert_eq!(clean("x\x1b]8;;http://a\x1b\\link\x1b]8;;\x1b\\y"), "xlinky");
        assert_eq!(clean("x\x1bP$q\"p\x1b\\y"), "xy");
        assert_eq!(clean("x\x1b[>0qy"), "xy");
        assert_eq!(clean("x\x1b[2Jy"), "xy");
        assert_eq!(clean("x\u{9b}2Jy"), "xy");
        assert_eq!(clean("x\x1b(By"), "xy");
        assert_eq!(clean("x\x1bcy"), "xy");
        assert_eq!(clean("x\x1b_payload\x1b\\y"), "xy");
    }

    #[test]
    fn unterminated_string_swallows_the_rest() {
        assert_eq!(clean("ok\x1b]52;c;never-ended"), "ok");
        assert_eq!(clean("ok\x1b"), "ok");
        assert_eq!(clean("ok\x1b["), "ok");
    }

    #[test]
    fn csi_broken_by_a_control_ends_early() {
        // The LF ends the CSI and is shown on its own.
        assert_eq!(clean("a\x1b[1\nb"), "a^Jb");
    }

    #[test]
    fn controls_shown_in_caret_notation() {
        assert_eq!(clean("bell\x07"), "bell^G");
        assert_eq!(clean("a\x08b"), "a^Hb");
        assert_eq!(clean("nul\0"), "nul^@");
        assert_eq!(clean("del\x7f"), "del^?");
        assert_eq!(clean("two\nlines"), "two^Jlines");
        assert_eq!(clean("crlf\r\n"), "crlf^J");
        assert_eq!(clean("progress 10%\r20%"), "progress 10%20%");
    }

    #[test]
    fn c1_and_bidi_made_visible() {
        assert_eq!(clean("a\u{85}b"), "a<U+0085>b");
        assert_eq!(clean("user\u{202e}gnp.exe"), "user<U+202E>gnp.exe");
        assert_eq!(clean("\u{2066}x\u{2069}"), "<U+2066>x<U+2069>");
        assert_eq!(clean("\u{200f}\u{061c}"), "<U+200F><U+061C>");
    }

    #[test]
    fn tabs_expand_to_stops_by_display_width() {
        assert_eq!(clean("a\tb"), "a       b");
        assert_eq!(clean("\tb"), "        b");
        assert_eq!(clean("12345678\tb"), "12345678        b");
        // CJK is two columns wide: "日本" is 4 columns, 4 spaces to the stop.
        assert_eq!(clean("日本\tx"), "日本    x");
        assert_eq!(expand_tabs("a\tb\n\tc"), "a       b\n        c");
    }

    #[test]
    fn invalid_utf8_becomes_replacement() {
        assert_eq!(clean_bytes(b"ok\xff\xfe!"), "ok\u{fffd}\u{fffd}!");
        // A raw 8-bit CSI byte is not UTF-8: it cannot act as a control.
        assert_eq!(clean_bytes(b"a\x9b2Jb"), "a\u{fffd}2Jb");
    }

    #[test]
    fn markup_and_format_text_stays_literal() {
        for t in ["[red]alert[/]", "{var} and {{x}}", "%s %d %n", "<b>bold</b>", "$(touch /tmp/x)"] {
            assert_eq!(clean(t), t);
        }
    }

    #[test]
    fn non_ascii_text_is_kept() {
        let t = "Añadir índice — 完了 ✅ 👩‍👩‍👧 e\u{301} ГОТОВО";
        assert_eq!(clean(t), t);
        assert_eq!(clean("Ã±adir mojibake"), "Ã±adir mojibake");
    }

    #[test]
    fn lines_split_and_cleaned() {
        assert_eq!(clean_lines("a\x1b[1mb\r\nc\td\n"), vec!["ab".to_string(), "c       d".to_string()]);
        assert_eq!(clean_multiline("x\x07\ny"), "x^G\ny");
    }

    #[test]
    fn known_payloads_leave_nothing() {
        for p in PAYLOADS {
            let out = clean(&format!("before {p} after"));
            assert_safe(&out);
            assert!(out.starts_with("before ") && out.ends_with(" after"), "{p:?} -> {out:?}");
        }
    }

    fn hostile_text() -> impl Strategy<Value = Vec<u8>> {
        let piece = prop_oneof![
            proptest::collection::vec(any::<u8>(), 0..16),
            proptest::sample::select(PAYLOADS).prop_map(|p| p.as_bytes().to_vec()),
            "[ -~]{0,12}".prop_map(|s| s.into_bytes()),
            proptest::sample::select(vec!["\x1b", "\x1b[", "\x1b]", "\x1bP", "\u{9b}", "\u{202e}", "\t", "\r"])
                .prop_map(|s| s.as_bytes().to_vec()),
        ];
        proptest::collection::vec(piece, 0..12).prop_map(|v| v.concat())
    }

    proptest! {
        #[test]
        fn prop_output_never_holds_controls(bytes in hostile_text()) {
            let out = clean_bytes(&bytes);
            prop_assert!(is_clean(&out), "unclean: {:?} -> {:?}", bytes, out);
            prop_assert!(!out.contains(ESC));
            // Idempotent: cleaning clean text changes nothing.
            prop_assert_eq!(clean(&out), out.clone());
        }

        #[test]
        fn prop_any_string_is_cleaned(s in any::<String>()) {
            let out = clean(&s);
            prop_assert!(is_clean(&out));
            prop_assert_eq!(clean(&out), out.clone());
        }
    }
}
