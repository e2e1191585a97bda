//! Name keys and the small word lists the matcher reads around a name.

use rasd_arabic::{NormalizeOptions, normalize_with};
use rustc_hash::FxHashMap;
use std::collections::HashSet;
use std::sync::OnceLock;

/// The matching key of a name: the loosest normalisation of rasd-arabic (diacritics and
/// tatweel removed, alef variants, ى, ة and hamza carriers folded, whitespace collapsed),
/// with hyphens turned into spaces and «ث» folded into «ت». The last is for the Levant's
/// spoken «ث» = «ت»: the GeoNames Arabic names of many Lebanese and Syrian villages spell
/// «ت» what the news writes «ث» (GeoNames «عيناتا», the news «عيناثا»), and only four
/// pairs of bundled names differ by that letter alone (they become homonyms, told apart by
/// context like any other).
pub fn fold_key(name: &str) -> String {
    let mut out = String::with_capacity(name.len());
    fold_key_into(name, &mut out);
    out
}

/// [`fold_key`] written into `out` (cleared first). Names made only of Arabic base letters and
/// single inner spaces (almost every gazetteer name) are folded here letter by letter, without
/// building rasd-arabic's offset map: the gazetteer folds ~25,000 names at load. The result is
/// the same as `fold_key` (checked over the whole bundled gazetteer by a test).
pub(crate) fn fold_key_into(name: &str, out: &mut String) {
    out.clear();
    if fold_simple(name, out) {
        return;
    }
    out.clear();
    let n = normalize_with(name, &NormalizeOptions::LOOSE)
        .text
        .replace('ث', "ت");
    if n.contains(['-', '\u{2013}', '_']) {
        let spaced = n.replace(['-', '\u{2013}', '_'], " ");
        for (i, w) in spaced.split_whitespace().enumerate() {
            if i > 0 {
                out.push(' ');
            }
            out.push_str(w);
        }
    } else {
        out.push_str(&n);
    }
}

/// The fast path of [`fold_key_into`]: false (with `out` partly written) as soon as `name`
/// holds anything but Arabic base letters (U+0621–U+064A, tatweel excluded) and single spaces
/// between them; else `out` holds the LOOSE normalisation (the letter foldings of
/// `rasd_arabic::normalize_with`) with «ث» folded into «ت».
fn fold_simple(name: &str, out: &mut String) -> bool {
    let mut prev_space = true;
    for c in name.chars() {
        let f = match c {
            ' ' if !prev_space => {
                prev_space = true;
                out.push(' ');
                continue;
            }
            'أ' | 'إ' | 'آ' => 'ا',
            'ى' => 'ي',
            'ة' => 'ه',
            'ؤ' => 'و',
            'ئ' => 'ي',
            'ث' => 'ت',
            '\u{0621}'..='\u{063F}' | '\u{0641}'..='\u{064A}' => c,
            _ => return false,
        };
        prev_space = false;
        out.push(f);
    }
    !prev_space || out.is_empty()
}

/// True when `s` holds at least one Arabic letter (names in Latin script are not matched).
pub fn is_arabic_letter_str(s: &str) -> bool {
    s.chars().any(is_arabic_letter)
}

#[inline]
pub(crate) fn is_arabic_letter(c: char) -> bool {
    ('\u{0621}'..='\u{064A}').contains(&c) && c != '\u{0640}'
}

/// A character that continues a word in normalised text.
#[inline]
pub(crate) fn is_word_char(c: char) -> bool {
    if c.is_ascii() {
        return c.is_ascii_alphanumeric();
    }
    is_arabic_letter(c) || c.is_alphanumeric()
}

/// Proclitic strings (folded text) that may stand before a name written without its article
/// change: conjunction (و ف), preposition (ب ل ك) and their pairs. The article forms («بال…»)
/// are covered because names keep their «ال»; ل + ال («للرقة») is [`for_each_split`]'s merged
/// case. The same set as `rasd_arabic::clitic_analyses` uses (checked by a test), kept here as
/// a zero-allocation table for the matcher's hot loop.
pub(crate) const PROCLITICS: &[&str] =
    &["و", "ف", "ب", "ل", "ك", "وب", "ول", "وك", "فب", "فل", "فك"];
/// Conjunctions that may stand before «لل» (ل + ال merged).
const MERGED_ARTICLE_LEADS: &[&str] = &["", "و", "ف"];
/// Letters a stem must keep after a proclitic is removed.
const MIN_STEM_LETTERS: usize = 2;

/// Call `f(prefix_len, merged_article)` for every way to read a folded word as proclitics +
/// stem: the whole word first (0, false), then each proclitic of [`PROCLITICS`] the word starts
/// with (the stem is `&word[prefix_len..]`), then ل + ال merged («للرقة», «وللرقة»): there
/// the stem is «ال» + `&word[prefix_len..]` with `prefix_len` covering the conjunction and
/// the first ل.
pub(crate) fn for_each_split(word: &str, mut f: impl FnMut(usize, bool)) {
    f(0, false);
    // Proclitics are one or two Arabic letters of two bytes each; only a word starting with
    // one of their letters can have a split.
    if !matches!(word.chars().next(), Some('و' | 'ف' | 'ب' | 'ل' | 'ك')) {
        return;
    }
    let letters = word.chars().count();
    for p in PROCLITICS {
        if word.starts_with(p) && letters - p.len() / 2 >= MIN_STEM_LETTERS {
            f(p.len(), false);
        }
    }
    for lead in MERGED_ARTICLE_LEADS {
        if let Some(rest) = word.strip_prefix(lead).and_then(|r| r.strip_prefix("لل"))
            && rest.chars().count() >= MIN_STEM_LETTERS
        {
            f(lead.len() + "ل".len(), true);
        }
    }
}

/// What one small-vocabulary word is (type word, near-word, direction word, qualifier glue).
#[derive(Debug, Clone, Copy, Default)]
struct Vocab {
    type_word: Option<(TypeClass, &'static str)>,
    near: Option<&'static str>,
    direction: bool,
    glue: bool,
}

/// All the words the matcher reads around names, in one hash map (one lookup per reading of a
/// word instead of a scan of every list).
fn vocab() -> &'static FxHashMap<&'static str, Vocab> {
    static V: OnceLock<FxHashMap<&'static str, Vocab>> = OnceLock::new();
    V.get_or_init(|| {
        let mut m: FxHashMap<&'static str, Vocab> = FxHashMap::default();
        for &(w, c) in TYPE_WORDS {
            m.entry(w).or_default().type_word = Some((c, w));
        }
        for &w in NEAR_WORDS {
            m.entry(w).or_default().near = Some(w);
        }
        for &w in DIRECTION_WORDS {
            m.entry(w).or_default().direction = true;
        }
        for &w in QUALIFIER_GLUE {
            m.entry(w).or_default().glue = true;
        }
        m
    })
}

/// What a place-type word before a name says about the place.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum TypeClass {
    /// مدينة، بلدة، قرية، حي، مخيم … : a settlement, quarter or camp.
    Settlement,
    /// ناحية
    Subdistrict,
    /// منطقة: a district, a region, or just an area around a town.
    Area,
    /// محافظة
    Governorate,
    /// ريف: the countryside of the governorate or town named.
    Countryside,
}

/// Folded type words and their class.
const TYPE_WORDS: &[(&str, TypeClass)] = &[
    ("مدينه", TypeClass::Settlement),
    ("مدينتي", TypeClass::Settlement),
    ("مدن", TypeClass::Settlement),
    ("بلده", TypeClass::Settlement),
    ("بلدتي", TypeClass::Settlement),
    ("بلدات", TypeClass::Settlement),
    ("قريه", TypeClass::Settlement),
    ("قريتي", TypeClass::Settlement),
    ("قري", TypeClass::Settlement),
    ("حي", TypeClass::Settlement),
    ("حيي", TypeClass::Settlement),
    ("احياء", TypeClass::Settlement),
    ("مخيم", TypeClass::Settlement),
    ("مخيمي", TypeClass::Settlement),
    ("مخيمات", TypeClass::Settlement),
    ("ناحيه", TypeClass::Subdistrict),
    ("منطقه", TypeClass::Area),
    // Yemen's districts and Iraq's and Lebanon's.
    ("مديريه", TypeClass::Area),
    ("قضاء", TypeClass::Area),
    ("باديه", TypeClass::Area),
    ("مناطق", TypeClass::Area),
    ("محافظه", TypeClass::Governorate),
    ("محافظتي", TypeClass::Governorate),
    ("ريف", TypeClass::Countryside),
];

/// The place-type word and the near-word a folded word is, clitics allowed («بمدينة»,
/// «وبلدة», «بمحيط», «على أطراف» → «اطراف»), from one pass over its clitic splits (the
/// matcher asks both about the word before every name). «المدينة», «بالمحافظة» refer back to
/// a place already named: not type words.
pub(crate) fn type_and_near_word(
    word: &str,
) -> (Option<(TypeClass, &'static str)>, Option<&'static str>) {
    let (mut tw, mut near) = (None, None);
    for_each_split(word, |p, merged| {
        if merged {
            return;
        }
        if let Some(v) = vocab().get(&word[p..]) {
            tw = tw.or(v.type_word);
            near = near.or(v.near);
        }
    });
    (tw, near)
}

/// True for a folded word that is exactly a place-type word (no clitics).
pub(crate) fn is_type_word(word: &str) -> bool {
    vocab().get(word).is_some_and(|v| v.type_word.is_some())
}

/// Direction words that introduce a qualifier («جاسم شمالي درعا»), folded.
const DIRECTION_WORDS: &[&str] = &[
    "شمالي",
    "جنوبي",
    "شرقي",
    "غربي",
    "شمال",
    "جنوب",
    "شرق",
    "غرب",
    "وسط",
    "اقصي",
    "شماليه",
    "جنوبيه",
    "شرقيه",
    "غربيه",
];

/// Words that may stand between a place and its qualifier («التابعة لناحية الكسرة»,
/// «في ريف درعا», «بمحافظة إدلب», «وسط مدينة دير الزور»).
const QUALIFIER_GLUE: &[&str] = &["في", "التابعه", "التابع", "الواقعه", "الواقع", "ضمن", "من"];

/// True for a folded word allowed in the gap between a place and its qualifier.
pub(crate) fn is_qualifier_glue(word: &str) -> bool {
    if vocab().get(word).is_some_and(|v| v.glue || v.direction) {
        return true;
    }
    // «بريف», «بمحافظة», «لناحية», «بمنطقة»: a preposition on a type word, not a conjunction.
    let mut glue = false;
    for_each_split(word, |p, merged| {
        let prefix = &word[..p];
        if glue || merged || prefix.starts_with('و') || prefix.starts_with('ف') {
            return;
        }
        let stem = &word[p..];
        glue = vocab()
            .get(stem)
            .is_some_and(|v| v.type_word.is_some() || v.direction);
    });
    glue
}

/// Words before a place that say the event was around it rather than in it (rule 11).
const NEAR_WORDS: &[&str] = &[
    "محيط",
    "اطراف",
    "قرب",
    "بالقرب",
    "ضواحي",
    "مشارف",
    "تخوم",
    "حدود",
];

/// Nationality adjectives and other words that evoke a country, folded as [`fold_key`] folds.
pub(crate) const COUNTRY_WORDS: &[(&str, &str)] = &[
    ("السوري", "SY"),
    ("السوريه", "SY"),
    ("السوريين", "SY"),
    ("العراقي", "IQ"),
    ("العراقيه", "IQ"),
    ("العراقيين", "IQ"),
    ("اللبناني", "LB"),
    ("اللبنانيه", "LB"),
    ("اللبنانيين", "LB"),
    ("اليمني", "YE"),
    ("اليمنيه", "YE"),
    ("اليمنيين", "YE"),
    // «الحوثي» as the matcher reads it (its «ث» folded, see `fold_key`).
    ("الحوتي", "YE"),
    ("الحوتيين", "YE"),
    ("الليبي", "LY"),
    ("الليبيه", "LY"),
    ("الليبيين", "LY"),
    // «السعودية» is the country's name, but a Syrian village bears it too, so as a place
    // name it is no evidence; as a word it is. The attacker's nationality («الإسرائيلي»,
    // «السعودي» in a report of strikes on Lebanon or Yemen) says nothing of where, and is
    // left out.
    ("السعوديه", "SA"),
];

/// Folded place names that are also common words (data/common_words.txt).
pub(crate) fn common_words() -> &'static HashSet<String> {
    static SET: OnceLock<HashSet<String>> = OnceLock::new();
    SET.get_or_init(|| {
        include_str!("../data/common_words.txt")
            .lines()
            .map(str::trim)
            .filter(|l| !l.is_empty() && !l.starts_with('#'))
            .map(fold_key)
            .collect()
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The matcher's proclitic splits are readings rasd-arabic's clitic analysis also gives.
    #[test]
    fn splits_agree_with_rasd_arabic() {
        for word in [
            "بجاسم",
            "وجاسم",
            "لدرعا",
            "وبدرعا",
            "فلدرعا",
            "كدرعا",
            "للرقه",
            "وللرقه",
            "بالرقه",
            "جاسم",
            "ودرعا",
        ] {
            let analyses = rasd_arabic::clitic_analyses(word);
            for_each_split(word, |p, merged| {
                if p == 0 {
                    return;
                }
                let ok = analyses
                    .iter()
                    .any(|a| a.suffix.is_empty() && a.prefix.len() == p && a.article == merged);
                assert!(
                    ok,
                    "{word}: split at {p} (merged {merged}) not among {analyses:?}"
                );
            });
        }
    }

    /// The fast path of `fold_key_into` agrees with rasd-arabic's normalisation on every name
    /// of the bundled gazetteer and on names it must hand over (marks, tatweel, hyphens, spaces).
    #[test]
    fn fast_fold_agrees_with_normalisation() {
        let slow = |n: &str| {
            let t = normalize_with(n, &NormalizeOptions::LOOSE).text;
            t.replace('ث', "ت")
                .replace(['-', '\u{2013}', '_'], " ")
                .split_whitespace()
                .collect::<Vec<_>>()
                .join(" ")
        };
        let tsv = include_str!("../data/gazetteer.tsv");
        let mut names: Vec<&str> = tsv
            .lines()
            .skip(1)
            .flat_map(|l| {
                let c: Vec<&str> = l.split('\t').collect();
                std::iter::once(c[4]).chain(c[5].split('|'))
            })
            .collect();
        names.extend([
            "دَرْعَا",
            "درعـا",
            " جاسم",
            "جاسم ",
            "تل  شهاب",
            "عين-العرب",
            "إدلب",
            "مؤتة",
            "الرقة",
            "",
        ]);
        let mut out = String::new();
        for n in names {
            fold_key_into(n, &mut out);
            assert_eq!(out, slow(n), "{n:?}");
        }
    }

    /// The word lists are compared with folded text: each entry must be in folded form.
    #[test]
    fn word_lists_are_folded() {
        let words = TYPE_WORDS
            .iter()
            .map(|t| t.0)
            .chain(NEAR_WORDS.iter().copied())
            .chain(DIRECTION_WORDS.iter().copied())
            .chain(QUALIFIER_GLUE.iter().copied())
            .chain(COUNTRY_WORDS.iter().map(|c| c.0));
        for w in words {
            assert_eq!(fold_key(w), w);
        }
    }

    #[test]
    fn type_words_with_and_without_clitics() {
        assert_eq!(type_and_near_word("بمدينه").0.map(|t| t.1), Some("مدينه"));
        assert_eq!(type_and_near_word("وبلده").0.map(|t| t.1), Some("بلده"));
        assert_eq!(type_and_near_word("المدينه").0, None);
        assert_eq!(type_and_near_word("بالمدينه").0, None);
        assert!(is_qualifier_glue("بريف"));
        assert!(!is_qualifier_glue("وريف"));
        assert_eq!(type_and_near_word("بمحيط"), (None, Some("محيط")));
        assert_eq!(type_and_near_word("درعا"), (None, None));
    }
}
