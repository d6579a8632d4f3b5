//! Text for the screen: outside text cleaned of control and escape sequences
//! (S1), widths counted per grapheme cluster (T9), cut to fit with an ellipsis.

use unicode_segmentation::UnicodeSegmentation;
use unicode_width::UnicodeWidthStr;

/// Every piece of outside text (journal text from other writers, runbook
/// text, log lines) goes through the one sanitiser (S1) before it is drawn.
pub fn clean(s: &str) -> String {
    crate::domain::sanitize::clean(s)
}

/// Multi-line outside text, one cleaned line each.
pub fn clean_lines(s: &str) -> Vec<String> {
    crate::domain::sanitize::clean_lines(s)
}

/// Display width of one grapheme cluster: emoji presentation sequences and
/// ZWJ sequences count as 2, like terminals draw them.
pub fn grapheme_width(g: &str) -> usize {
    if g.chars().any(|c| c == '\u{FE0F}' || c == '\u{200D}') {
        return 2;
    }
    let mut chars = g.chars();
    let first = chars.next().map(|c| c.to_string()).unwrap_or_default();
    // Combining marks after the first char add no width.
    UnicodeWidthStr::width(first.as_str())
}

pub fn width(s: &str) -> usize {
    // Most text on screen is printable ASCII: one cell per byte, no segmentation needed.
    if s.bytes().all(|b| (0x20..0x7f).contains(&b)) {
        return s.len();
    }
    s.graphemes(true).map(grapheme_width).sum()
}

/// Cuts `s` to at most `max` cells, ending in `…` when cut. Never splits a
/// grapheme, so a wide character that does not fit is left out whole.
pub fn fit(s: &str, max: usize) -> String {
    if width(s) <= max {
        return s.to_string();
    }
    if max == 0 {
        return String::new();
    }
    if s.bytes().all(|b| (0x20..0x7f).contains(&b)) {
        return format!("{}…", &s[..max - 1]);
    }
    let mut out = String::new();
    let mut w = 0;
    for g in s.graphemes(true) {
        let gw = grapheme_width(g);
        if w + gw > max - 1 {
            break;
        }
        out.push_str(g);
        w += gw;
    }
    out.push('…');
    out
}

/// `s` cut or padded with spaces to exactly `w` cells.
pub fn pad(s: &str, w: usize) -> String {
    let mut f = fit(s, w);
    let n = w.saturating_sub(width(&f));
    f.extend(std::iter::repeat_n(' ', n));
    f
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn widths_by_grapheme() {
        assert_eq!(width("abc"), 3);
        assert_eq!(width("日本"), 4);
        assert_eq!(width("👩‍💻"), 2);
        assert_eq!(width("❤️"), 2);
        assert_eq!(width("e\u{301}"), 1);
    }

    #[test]
    fn fit_never_exceeds_and_marks_the_cut() {
        for s in ["hello world", "日本語のテキスト", "👩‍💻👩‍💻👩‍💻", "Señor e\u{301}e\u{301}"]
        {
            for max in 0..12 {
                let f = fit(s, max);
                assert!(width(&f) <= max, "{s:?} {max} → {f:?}");
                assert_eq!(width(&pad(s, max)), max);
            }
        }
        assert_eq!(fit("abcdef", 4), "abc…");
    }
}

/// Whether `hay` contains `needle_lower` (already lower-cased), ignoring
/// case. Searches run over every kept log line on a redraw, so an ASCII
/// needle is matched without allocating; anything else lower-cases `hay`.
pub fn contains_ci(hay: &str, needle_lower: &str) -> bool {
    if needle_lower.is_empty() {
        return true;
    }
    if !needle_lower.is_ascii() {
        return hay.to_lowercase().contains(needle_lower);
    }
    let n = needle_lower.as_bytes();
    hay.as_bytes().windows(n.len()).any(|w| w.eq_ignore_ascii_case(n))
}

#[cfg(test)]
mod contains_ci_tests {
    use super::contains_ci;

    #[test]
    fn matches_like_lowercase_contains() {
        for (hay, needle) in [
            ("ERROR disk full", "disk"),
            ("ERROR disk full", "error d"),
            ("Ünïcode ÉCOLE", "école"),
            ("nothing here", "zz"),
            ("", "a"),
            ("abc", ""),
        ] {
            assert_eq!(contains_ci(hay, needle), hay.to_lowercase().contains(needle), "{hay:?} {needle:?}");
        }
    }
}
