//! Small text helpers shared by the extractors.

use crate::heuristics::{CHROME_LINE_MAX_CHARS, CHROME_LINE_PREFIXES};

/// Whether `c` separates words for [`collapse_ws`]: Unicode whitespace (incl.
/// no-break space) and the zero-width space and BOM pages use as spacing.
fn is_space(c: char) -> bool {
    c.is_whitespace() || c == '\u{200b}' || c == '\u{feff}'
}

/// Lead bytes of the UTF-8 encodings of the non-ASCII characters [`is_space`]
/// accepts (U+0085, U+00A0: C2; U+1680: E1; U+2000..U+205F, U+200B: E2; U+3000:
/// E3; U+FEFF: EF). Any other non-ASCII character is never a space.
fn may_start_space(lead: u8) -> bool {
    matches!(lead, 0xC2 | 0xE1 | 0xE2 | 0xE3 | 0xEF)
}

/// Collapses every run of whitespace (Unicode, incl. no-break space) into one space
/// and trims the ends.
pub fn collapse_ws(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    let b = s.as_bytes();
    let mut pending_space = false;
    let mut i = 0;
    // Copies runs of non-space characters whole; only space candidates are decoded.
    let mut run_start = 0;
    while i < b.len() {
        let c = b[i];
        let (space, len) = if c < 0x80 {
            (matches!(c, b' ' | b'\t'..=b'\r'), 1)
        } else if may_start_space(c) {
            let ch = s[i..].chars().next().unwrap_or('\u{fffd}');
            (is_space(ch), ch.len_utf8())
        } else {
            (false, 1)
        };
        if space {
            if run_start < i {
                if pending_space {
                    out.push(' ');
                }
                out.push_str(&s[run_start..i]);
            }
            pending_space = !out.is_empty();
            run_start = i + len;
        }
        i += len;
    }
    if run_start < b.len() {
        if pending_space {
            out.push(' ');
        }
        out.push_str(&s[run_start..]);
    }
    out
}

/// Characters that are not whitespace.
pub fn visible_chars(s: &str) -> usize {
    chars_and_punctuation(s).0
}

/// Sentence and clause punctuation, Latin and Arabic (comma ، semicolon ؛ question ؟).
pub fn punctuation(s: &str) -> usize {
    s.chars()
        .filter(|c| matches!(c, ',' | '،' | '.' | '؛' | ';' | '؟' | '?' | '!' | ':'))
        .count()
}

/// [`visible_chars`] and [`punctuation`] in one pass (over bytes: only characters
/// that may be whitespace are decoded).
pub fn chars_and_punctuation(s: &str) -> (usize, usize) {
    let b = s.as_bytes();
    let (mut n, mut p) = (0, 0);
    let mut i = 0;
    while i < b.len() {
        let c = b[i];
        if c < 0x80 {
            if !(c == b' ' || (b'\t'..=b'\r').contains(&c)) {
                n += 1;
                p += usize::from(matches!(c, b',' | b'.' | b';' | b'?' | b'!' | b':'));
            }
            i += 1;
        } else if c & 0xC0 == 0x80 {
            i += 1; // continuation byte
        } else if c == 0xD8 {
            // Arabic comma ، (D8 8C), semicolon ؛ (D8 9B), question mark ؟ (D8 9F).
            n += 1;
            p += usize::from(matches!(b.get(i + 1), Some(0x8C | 0x9B | 0x9F)));
            i += 2;
        } else if may_start_space(c) {
            let ch = s[i..].chars().next().unwrap_or('\u{fffd}');
            n += usize::from(!ch.is_whitespace());
            i += ch.len_utf8();
        } else {
            n += 1;
            i += 1;
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
        assert_eq!(
            collapse_ws("\u{feff}a\u{200b}b\u{2003}\u{3000}c\u{1f}d\u{200c}e\u{e9}"),
            "a b c\u{1f}d\u{200c}e\u{e9}"
        );
    }

    /// The character-by-character definitions the byte loops must agree with.
    fn collapse_slow(s: &str) -> String {
        s.split(is_space)
            .filter(|w| !w.is_empty())
            .collect::<Vec<_>>()
            .join(" ")
    }

    fn counts_slow(s: &str) -> (usize, usize) {
        (
            s.chars().filter(|c| !c.is_whitespace()).count(),
            punctuation(s),
        )
    }

    proptest::proptest! {
        #[test]
        fn byte_loops_agree_with_the_definitions(s in "[ a-z\\t\\n\u{1c}\u{85}\u{a0}\u{600}-\u{620}\u{1680}\u{2000}-\u{2030}\u{3000}\u{feff}\u{e9},.؟]{0,40}") {
            proptest::prop_assert_eq!(collapse_ws(&s), collapse_slow(&s));
            proptest::prop_assert_eq!(chars_and_punctuation(&s), counts_slow(&s));
        }
    }

    #[test]
    fn chrome_lines() {
        assert!(is_chrome_line("اقرأ أيضاً: خبر آخر"));
        assert!(is_chrome_line("Share this article"));
        assert!(!is_chrome_line("قال شاهد إن القصف استمر حتى الفجر."));
    }
}
