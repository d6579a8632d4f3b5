//! Fuzzy matching for the command palette: the query's characters must appear
//! in order; consecutive runs and word starts score higher. Hand-written (30
//! lines) because the palette ranks ~40 fixed names; a matcher crate would add
//! a dependency for no gain.

/// `None` when `query` is not a subsequence of `text` (case-insensitive).
pub fn score(query: &str, text: &str) -> Option<i64> {
    let q: Vec<char> = query.to_lowercase().chars().filter(|c| !c.is_whitespace()).collect();
    if q.is_empty() {
        return Some(0);
    }
    let t: Vec<char> = text.to_lowercase().chars().collect();
    let mut qi = 0;
    let mut score = 0i64;
    let mut prev: Option<usize> = None;
    for (ti, c) in t.iter().enumerate() {
        if qi < q.len() && *c == q[qi] {
            score += 1;
            if prev.is_some_and(|p| p + 1 == ti) {
                score += 5;
            }
            if ti == 0 || matches!(t[ti - 1], '-' | ' ' | ':' | '/') {
                score += 3;
            }
            prev = Some(ti);
            qi += 1;
        }
    }
    (qi == q.len()).then(|| score * 100 - t.len() as i64)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn subsequences_match_and_rank() {
        assert!(score("mp", "mark-pass").is_some());
        assert!(score("xyz", "mark-pass").is_none());
        assert!(score("dec", "decision").unwrap() > score("dec", "declare-incident record").unwrap_or(i64::MIN) - 1000);
        assert!(score("help", "help").unwrap() > score("help", "h-e-l-p-x").unwrap());
        assert_eq!(score("", "anything"), Some(0));
    }
}
