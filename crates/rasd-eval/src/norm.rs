//! The scorer's normalisation, character for character as score_events.py does it.
//! (Deliberately NOT rasd_arabic's folding: the scores must equal the Python's.)

use regex::Regex;
use std::sync::LazyLock;

/// Python's `str.isspace()` (Rust's White_Space plus the four information separators).
pub(crate) fn py_isspace(c: char) -> bool {
    c.is_whitespace() || ('\u{1c}'..='\u{1f}').contains(&c)
}

/// Python's `str.strip()`.
pub(crate) fn py_strip(s: &str) -> &str {
    s.trim_matches(py_isspace)
}

/// `\s` of Python's `re` on str patterns.
const PY_SPACE: &str = r"\s\x1c-\x1f";

static SPLIT: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(&format!(r"[{PY_SPACE}\-_]+")).expect("valid regex"));
static PARENS: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(&format!(r"[{PY_SPACE}]*\(.*?\)[{PY_SPACE}]*")).expect("valid regex")
});
static SPACES: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(&format!(r"[{PY_SPACE}]+")).expect("valid regex"));

const PLACE_WORDS: [&str; 9] = [
    "مدينة",
    "بلدة",
    "قرية",
    "حي",
    "مخيم",
    "ناحية",
    "منطقة",
    "محافظة",
    "ريف",
];

static PLACE_WORDS_FOLDED: LazyLock<Vec<String>> =
    LazyLock::new(|| PLACE_WORDS.iter().map(|w| fold(w)).collect());

/// `_fold`: diacritics (U+064B–U+0652, U+0670) and tatweel dropped, alef forms → ا,
/// ى→ي, ة→ه, ؤ→و, ئ→ي.
fn fold(s: &str) -> String {
    s.chars()
        .filter(|c| !matches!(c, '\u{64b}'..='\u{652}' | '\u{670}' | '\u{640}'))
        .map(|c| match c {
            'إ' | 'أ' | 'آ' | 'ٱ' => 'ا',
            'ى' => 'ي',
            'ة' => 'ه',
            'ؤ' => 'و',
            'ئ' => 'ي',
            c => c,
        })
        .collect()
}

/// A place name as the scorer compares it: folded, place-type words («مدينة»,
/// «ريف» ...) dropped, the article «ال» removed from words longer than 4 letters.
pub fn norm_ar(s: &str) -> String {
    if s.is_empty() {
        return String::new();
    }
    let s = fold(s);
    let words: Vec<&str> = SPLIT
        .split(py_strip(&s))
        .filter(|w| !w.is_empty() && !PLACE_WORDS_FOLDED.iter().any(|p| p == w))
        .collect();
    words
        .iter()
        .map(|w| {
            if w.starts_with("ال") && w.chars().count() > 4 {
                w.chars().skip(2).collect::<String>()
            } else {
                (*w).to_string()
            }
        })
        .collect::<Vec<_>>()
        .join(" ")
}

/// An actor name as the scorer compares it: parenthesised parts removed («(Syria)»),
/// lower-cased, spaces collapsed.
pub fn norm_actor(a: &str) -> String {
    if a.is_empty() {
        return String::new();
    }
    let a = PARENS.replace_all(a, " ");
    let a = py_strip(&a).to_lowercase();
    SPACES.replace_all(&a, " ").into_owned()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn place_words_and_article_go() {
        assert_eq!(norm_ar("مدينة جاسم"), "جاسم");
        assert_eq!(norm_ar("ريف حماة الغربي"), "حماه غربي");
        assert_eq!(norm_ar("الرقة"), "رقه");
        assert_eq!(norm_ar("الباب"), "باب");
        assert_eq!(norm_ar("السد"), "السد");
        assert_eq!(norm_ar("  دَرْعا - البلد "), "درعا بلد");
        assert_eq!(norm_ar(""), "");
    }

    #[test]
    fn actors_lose_brackets_and_case() {
        assert_eq!(norm_actor("Civilians (Syria)"), "civilians");
        assert_eq!(
            norm_actor("Local armed group (Jasim)  Eighth  Brigade"),
            "local armed group eighth brigade"
        );
        assert_eq!(norm_actor("Islamic State"), "islamic state");
        assert_eq!(norm_actor("(x"), "(x");
    }
}
