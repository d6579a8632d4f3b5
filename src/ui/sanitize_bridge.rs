//! Until `domain::sanitize` (the one sanitiser, S1) lands, this strips what
//! must never reach the terminal: escape sequences and control characters.
//! Replaced by a call to `crate::domain::sanitize::clean` when it exists.

pub fn clean(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    let mut chars = s.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            '\u{1b}' => {
                // Drop the whole sequence: CSI up to its final byte, OSC/DCS/APC/PM/SOS up to BEL or ST.
                match chars.peek().copied() {
                    Some('[') => {
                        chars.next();
                        for d in chars.by_ref() {
                            if ('\u{40}'..='\u{7e}').contains(&d) {
                                break;
                            }
                        }
                    }
                    Some(']') | Some('P') | Some('_') | Some('^') | Some('X') => {
                        chars.next();
                        while let Some(d) = chars.next() {
                            if d == '\u{7}' {
                                break;
                            }
                            if d == '\u{1b}' && chars.peek() == Some(&'\\') {
                                chars.next();
                                break;
                            }
                        }
                    }
                    Some(_) => {
                        chars.next();
                    }
                    None => {}
                }
            }
            '\t' => out.push_str("    "),
            c if c.is_control() => out.push('\u{FFFD}'),
            '\u{202A}'..='\u{202E}' | '\u{2066}'..='\u{2069}' | '\u{200E}' | '\u{200F}' => {
                out.push_str(&format!("<U+{:04X}>", c as u32))
            }
            c => out.push(c),
        }
    }
    out
}
