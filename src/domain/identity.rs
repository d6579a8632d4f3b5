//! Who someone is, for comparing people rather than strings: operator names
//! checked at input and reduced to a comparison key, and the identity a
//! journal record carries (operator name, Unix user, signing key).
//!
//! What is compared (see `docs/journal.md`, "Operator names"):
//! - A name is refused at input when it holds control or invisible
//!   characters (an escape sequence, a zero-width space, a bidi override):
//!   what is shown would not be what is compared.
//! - Otherwise its key is: the part before `@host` (the host says where,
//!   not who), Unicode NFKC (full-width and other compatibility forms fold),
//!   full case folding (`caseless`: ß is ss), spaces collapsed, then the
//!   Unicode TR #39 confusable skeleton (a Cyrillic "а" equals a Latin "a").

use unicode_normalization::UnicodeNormalization;

/// Why a typed operator name is refused.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum NameError {
    Empty,
    /// A character that is invisible or controls the terminal; `at` is its
    /// 1-based position in characters, `code` its `U+XXXX`.
    Invisible {
        at: usize,
        code: String,
    },
}

impl std::fmt::Display for NameError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            NameError::Empty => write!(f, "the operator name is empty: type a name"),
            NameError::Invisible { at, code } => write!(
                f,
                "the operator name has an invisible or control character ({code} at character {at}): \
                 type the name with visible letters only"
            ),
        }
    }
}

impl std::error::Error for NameError {}

/// Characters that draw nothing (or move the cursor, recolour the terminal,
/// reorder text) yet would make two names that look the same compare
/// different: controls, format characters and the other default-ignorable
/// code points.
pub fn is_invisible(c: char) -> bool {
    if c.is_control() {
        return true;
    }
    matches!(c as u32,
        0x00AD | 0x034F | 0x061C | 0x115F | 0x1160 | 0x17B4 | 0x17B5 | 0x180B..=0x180F
        | 0x200B..=0x200F | 0x2028..=0x202E | 0x2060..=0x206F | 0x3164 | 0xFE00..=0xFE0F
        | 0xFEFF | 0xFFA0 | 0xFFF0..=0xFFFB | 0x1BCA0..=0x1BCA3 | 0x1D173..=0x1D17A
        | 0xE0000..=0xE0FFF)
}

/// Checks a name typed by a person (the `o` dialog, `--operator`,
/// `WARROOM_OPERATOR`) and returns it trimmed. The name is kept as typed;
/// only comparisons use [`name_key`].
pub fn check_name(name: &str) -> Result<String, NameError> {
    let name = name.trim();
    if let Some((i, c)) = name.chars().enumerate().find(|(_, c)| is_invisible(*c)) {
        return Err(NameError::Invisible { at: i + 1, code: format!("U+{:04X}", c as u32) });
    }
    if name.is_empty() {
        return Err(NameError::Empty);
    }
    Ok(name.to_string())
}

/// The comparison key of an operator name: two names with the same key are
/// the same person as far as names can tell. Invisible characters are
/// dropped here too (names from old journals were never checked).
pub fn name_key(name: &str) -> String {
    let visible: String = name.chars().filter(|c| !is_invisible(*c)).collect();
    // NFKC, then full Unicode case folding (ß is ss), then NFKC again: the
    // "compatibility caseless" form of the Unicode standard (§3.13).
    let folded: String = caseless::default_case_fold_str(&visible.nfkc().collect::<String>()).nfkc().collect();
    let person = match folded.rsplit_once('@') {
        Some((who, _host)) if !who.trim().is_empty() => who,
        _ => folded.as_str(),
    };
    let spaced = person.split_whitespace().collect::<Vec<_>>().join(" ");
    // Skeletons may map to capitals (a confusable's prototype): fold once more.
    caseless::default_case_fold_str(&unicode_security::skeleton(&spaced).collect::<String>())
}

/// Whether two operator names name the same person (see [`name_key`]).
pub fn same_name(a: &str, b: &str) -> bool {
    name_key(a) == name_key(b)
}

/// Who made a record: the name they gave, the Unix account that wrote it
/// (absent in journals written before it was recorded), and the fingerprint
/// of the SSH key that signed it (absent when unsigned).
#[derive(Clone, Debug, PartialEq, Eq, Default)]
pub struct Actor {
    pub operator: String,
    pub user: Option<String>,
    pub key: Option<String>,
}

impl Actor {
    pub fn named(operator: &str) -> Actor {
        Actor { operator: operator.to_string(), user: None, key: None }
    }
}

impl From<&str> for Actor {
    fn from(operator: &str) -> Actor {
        Actor::named(operator)
    }
}

impl From<&String> for Actor {
    fn from(operator: &String) -> Actor {
        Actor::named(operator)
    }
}

impl From<&Actor> for Actor {
    fn from(a: &Actor) -> Actor {
        a.clone()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn look_alike_names_share_a_key() {
        for other in ["Ana", "ANA", " ana ", "ana@VM", "ana@bastion", "ａｎａ", "an\u{0430}", "\u{0430}na"] {
            assert_eq!(name_key(other), name_key("ana"), "{other:?}");
        }
        assert!(same_name("Ana García", "ana  garcía"));
        assert!(same_name("Strauß", "STRAUSS"));
    }

    #[test]
    fn different_people_keep_different_keys() {
        for (a, b) in [("ana", "bob"), ("ana", "anna"), ("ana", "ama"), ("ana@x", "bob@x")] {
            assert_ne!(name_key(a), name_key(b), "{a} vs {b}");
        }
    }

    #[test]
    fn invisible_and_control_characters_are_refused_at_input() {
        for bad in ["ana\u{200B}", "ana\u{1b}[0m", "a\u{202E}na", "ana\u{FEFF}", "an\u{00AD}a", "an\na", "\u{7}ana"] {
            assert!(matches!(check_name(bad), Err(NameError::Invisible { .. })), "{bad:?} accepted");
        }
        assert_eq!(check_name("  "), Err(NameError::Empty));
        assert_eq!(check_name(" Ana García "), Ok("Ana García".to_string()));
        let msg = check_name("ana\u{200B}").unwrap_err().to_string();
        assert!(msg.contains("U+200B") && msg.contains("character 4"), "{msg}");
    }

    #[test]
    fn old_names_with_invisible_characters_still_compare_by_what_shows() {
        assert_eq!(name_key("ana\u{200B}"), name_key("ana"));
    }
}
