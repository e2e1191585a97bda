//! Clitic analysis: candidate (prefix, stem, suffix) splits of one word.
//!
//! Proclitics are combinations of a conjunction (و ف), a preposition (ب ل ك)
//! and the article (ال), with ل + ال written لل: و ف ب ل ك ال وال فال بال كال
//! لل وب ول فب فل وبال وكال فبال ولل فلل …, and the future marker س (وس فس).
//! Enclitics are the pronoun suffixes ه ها هما هم هن ك كما كم كن ي ني نا.
//!
//! The unsplit word always comes first, so a name that really begins with ال
//! («الرقة») or with a letter that looks like a proclitic («بصرى», «لبنان»)
//! is found as it is; callers try the candidates in order against their
//! dictionaries. Tatweel and diacritics after a proclitic belong to it
//! («لـ», «وَ»). [`Analysis::key`] rebuilds the dictionary form: the article
//! put back («للرقة» → «الرقة»), and a ت before a suffix turned back into ة
//! («مدينته» → «مدينة»).

/// One candidate split of a word; `prefix + stem + suffix == word`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Analysis<'a> {
    /// The proclitics, as written (may hold tatweel or diacritics).
    pub prefix: &'a str,
    /// What is left.
    pub stem: &'a str,
    /// The enclitic pronoun, as written.
    pub suffix: &'a str,
    /// The prefix carries the article, possibly merged (لل = ل + ال): the
    /// dictionary form of the stem is «ال» + stem.
    pub article: bool,
}

impl Analysis<'_> {
    /// The dictionary form: «ال» restored when the prefix carried the
    /// article, final ت restored to ة before a pronoun suffix.
    pub fn key(&self) -> String {
        let mut s = String::with_capacity(self.stem.len() + 4);
        if self.article && !self.stem.starts_with("ال") {
            s.push_str("ال");
        }
        if !self.suffix.is_empty()
            && let Some(base) = self.stem.strip_suffix('ت')
        {
            s.push_str(base);
            s.push('ة');
            return s;
        }
        s.push_str(self.stem);
        s
    }

    /// True for the unsplit word.
    pub fn is_whole(&self) -> bool {
        self.prefix.is_empty() && self.suffix.is_empty()
    }
}

/// Proclitic patterns as base letters (alef folded), with "has article".
/// Ordered by length so shorter strips come first.
const PREFIXES: &[(&str, bool)] = &[
    ("و", false),
    ("ف", false),
    ("ب", false),
    ("ل", false),
    ("ك", false),
    ("س", false),
    ("ال", true),
    ("لل", true),
    ("وب", false),
    ("ول", false),
    ("وك", false),
    ("فب", false),
    ("فل", false),
    ("فك", false),
    ("وس", false),
    ("فس", false),
    ("وال", true),
    ("فال", true),
    ("بال", true),
    ("كال", true),
    ("ولل", true),
    ("فلل", true),
    ("وبال", true),
    ("وكال", true),
    ("فبال", true),
    ("فكال", true),
];

/// Pronoun suffixes, longest first.
const SUFFIXES: &[&str] = &[
    "هما", "كما", "ها", "هم", "هن", "كم", "كن", "ني", "نا", "ه", "ك", "ي",
];

/// Minimum base letters left in a stem after removing a proclitic.
const MIN_STEM_AFTER_PREFIX: usize = 2;
/// Minimum base letters left in a stem after removing a one-letter suffix.
const MIN_STEM_BEFORE_SHORT_SUFFIX: usize = 3;
/// Minimum base letters left in a stem after removing a longer suffix.
const MIN_STEM_BEFORE_LONG_SUFFIX: usize = 2;

#[inline]
fn is_skippable(c: char) -> bool {
    c == '\u{0640}' || crate::normalize::is_arabic_mark(c) || matches!(c, '\u{200C}' | '\u{200D}')
}

#[inline]
fn fold_letter(c: char) -> char {
    match c {
        'أ' | 'إ' | 'آ' | 'ٱ' => 'ا',
        _ => c,
    }
}

/// Candidate splits of `word`, the unsplit word first, then proclitic
/// strips (shortest first), then enclitic strips.
pub fn clitic_analyses(word: &str) -> Vec<Analysis<'_>> {
    let mut out = vec![Analysis {
        prefix: "",
        stem: word,
        suffix: "",
        article: false,
    }];
    // Base letters with their byte start; a base letter's extent runs to the
    // next base letter (so marks and tatweel stay with the letter before).
    let mut letters: Vec<(char, usize)> = Vec::with_capacity(word.len() / 2);
    for (i, c) in word.char_indices() {
        if !is_skippable(c) {
            letters.push((fold_letter(c), i));
        }
    }
    let n = letters.len();
    if n < 3 {
        return out;
    }
    let byte_at = |k: usize| if k < n { letters[k].1 } else { word.len() };
    let starts_with = |pat: &str| -> bool {
        let pat: Vec<char> = pat.chars().collect();
        pat.len() <= n && pat.iter().zip(&letters).all(|(p, l)| *p == l.0)
    };

    let mut prefixes: Vec<(usize, bool)> = vec![(0, false)];
    for &(p, article) in PREFIXES {
        let plen = p.chars().count();
        if n - plen.min(n) < MIN_STEM_AFTER_PREFIX || !starts_with(p) {
            continue;
        }
        prefixes.push((plen, article));
        let cut = byte_at(plen);
        out.push(Analysis {
            prefix: &word[..cut],
            stem: &word[cut..],
            suffix: "",
            article,
        });
    }
    // ل + ال before a word that begins with ل is written with two lams only
    // («للاذقية» = ل + اللاذقية): the stem keeps its own ل.
    for conj in ["", "و", "ف"] {
        let clen = conj.chars().count();
        if n >= clen + 3
            && letters[..clen].iter().map(|l| l.0).eq(conj.chars())
            && letters[clen].0 == 'ل'
            && letters[clen + 1].0 == 'ل'
        {
            let cut = byte_at(clen + 1);
            let a = Analysis {
                prefix: &word[..cut],
                stem: &word[cut..],
                suffix: "",
                article: true,
            };
            if !out.contains(&a) {
                out.push(a);
            }
        }
    }
    // Enclitics, on the non-article prefix strips.
    for &(plen, article) in &prefixes {
        if article {
            continue;
        }
        for s in SUFFIXES {
            let slen = s.chars().count();
            let min = if slen == 1 {
                MIN_STEM_BEFORE_SHORT_SUFFIX
            } else {
                MIN_STEM_BEFORE_LONG_SUFFIX
            };
            if n < plen + slen + min {
                continue;
            }
            let tail = &letters[n - slen..];
            if !tail.iter().map(|l| l.0).eq(s.chars()) {
                continue;
            }
            let scut = byte_at(n - slen);
            let pcut = byte_at(plen);
            out.push(Analysis {
                prefix: &word[..pcut],
                stem: &word[pcut..scut],
                suffix: &word[scut..],
                article: false,
            });
        }
    }
    out
}
