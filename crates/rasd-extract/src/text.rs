//! Small text helpers shared by the extractors.

use crate::heuristics::{CHROME_LINE_MAX_CHARS, CHROME_LINE_PREFIXES};

/// Collapses every run of whitespace (Unicode, incl. no-break space) into one space
/// and trims the ends.
pub fn collapse_ws(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    let mut pending_space = false;
    for c in s.chars() {
        if c.is_whitespace() || c == '\u{200b}' || c == '\u{feff}' {
            pending_space = !out.is_empty();
        } else {
            if pending_space {
                out.push(' ');
                pending_space = false;
            }
            out.push(c);
        }
    }
    out
}

/// Characters that are not whitespace.
pub fn visible_chars(s: &str) -> usize {
    s.chars().filter(|c| !c.is_whitespace()).count()
}

/// Sentence and clause punctuation, Latin and Arabic (comma ، semicolon ؛ question ؟).
pub fn punctuation(s: &str) -> usize {
    s.chars()
        .filter(|c| matches!(c, ',' | '،' | '.' | '؛' | ';' | '؟' | '?' | '!' | ':'))
        .count()
}

/// [`visible_chars`] and [`punctuation`] in one pass.
pub fn chars_and_punctuation(s: &str) -> (usize, usize) {
    let (mut n, mut p) = (0, 0);
    for c in s.chars() {
        if c.is_ascii() {
            if c.is_ascii_whitespace() {
                continue;
            }
            n += 1;
            p += usize::from(matches!(c, ',' | '.' | ';' | '?' | '!' | ':'));
        } else if !c.is_whitespace() {
            n += 1;
            p += usize::from(matches!(c, '،' | '؛' | '؟'));
        }
    }
    (n, p)
}

/// A short line of site chrome («اقرأ أيضاً», "Share this", "© 2022 ...").
pub fn is_chrome_line(line: &str) -> bool {
    if line.chars().count() > CHROME_LINE_MAX_CHARS {
        return false;
    }
    let lower = line.trim().to_lowercase();
    CHROME_LINE_PREFIXES.iter().any(|p| lower.starts_with(p))
}

/// True when the text has more Arabic letters than Latin ones.
pub fn mostly_arabic(s: &str) -> bool {
    let mut ar = 0usize;
    let mut la = 0usize;
    for c in s.chars().take(4000) {
        match c {
            '\u{0600}'..='\u{06FF}' | '\u{0750}'..='\u{077F}' | '\u{FB50}'..='\u{FEFF}' => ar += 1,
            'a'..='z' | 'A'..='Z' => la += 1,
            _ => {}
        }
    }
    ar > la
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn whitespace_collapses() {
        assert_eq!(collapse_ws("  أ \u{a0}\n ب  "), "أ ب");
    }

    #[test]
    fn chrome_lines() {
        assert!(is_chrome_line("اقرأ أيضاً: خبر آخر"));
        assert!(is_chrome_line("Share this article"));
        assert!(!is_chrome_line("قال شاهد إن القصف استمر حتى الفجر."));
    }
}
