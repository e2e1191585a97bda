//! Name keys and the small word lists the matcher reads around a name.

use rasd_arabic::{NormalizeOptions, normalize_with};
use std::collections::HashSet;
use std::sync::OnceLock;

/// The matching key of a name: the loosest normalisation of rasd-arabic (diacritics and
/// tatweel removed, alef variants, ى, ة and hamza carriers folded, whitespace collapsed),
/// with hyphens turned into spaces.
pub fn fold_key(name: &str) -> String {
    let n = normalize_with(name, &NormalizeOptions::LOOSE).text;
    if n.contains(['-', '\u{2013}', '_']) {
        n.replace(['-', '\u{2013}', '_'], " ")
            .split_whitespace()
            .collect::<Vec<_>>()
            .join(" ")
    } else {
        n
    }
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
    is_arabic_letter(c) || c.is_alphanumeric()
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
    ("باديه", TypeClass::Area),
    ("مناطق", TypeClass::Area),
    ("محافظه", TypeClass::Governorate),
    ("محافظتي", TypeClass::Governorate),
    ("ريف", TypeClass::Countryside),
];

/// The class of a folded word that is a place-type word, clitics allowed («بمدينة», «وبلدة»).
pub(crate) fn type_word_class(word: &str) -> Option<(TypeClass, &'static str)> {
    for a in rasd_arabic::clitic_analyses(word) {
        // «المدينة», «بالمحافظة» refer back to a place already named: not a type word.
        if !a.suffix.is_empty() || a.article {
            continue;
        }
        if let Some(&(w, c)) = TYPE_WORDS.iter().find(|(w, _)| *w == a.stem) {
            return Some((c, w));
        }
    }
    None
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

/// True for a folded word that introduces a qualifier.
pub(crate) fn is_direction_word(word: &str) -> bool {
    DIRECTION_WORDS.contains(&word)
}

/// True for a folded word allowed in the gap between a place and its qualifier.
pub(crate) fn is_qualifier_glue(word: &str) -> bool {
    if QUALIFIER_GLUE.contains(&word) || is_direction_word(word) {
        return true;
    }
    // «بريف», «بمحافظة», «لناحية», «بمنطقة»: a preposition on a type word, not a conjunction.
    for a in rasd_arabic::clitic_analyses(word) {
        if a.prefix.starts_with('و') || a.prefix.starts_with('ف') || !a.suffix.is_empty() {
            continue;
        }
        if TYPE_WORDS.iter().any(|(w, _)| *w == a.stem) || DIRECTION_WORDS.contains(&a.stem) {
            return true;
        }
    }
    false
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

/// The near-word a folded word carries, clitics allowed («بمحيط», «على أطراف» → «اطراف»).
pub(crate) fn near_word(word: &str) -> Option<&'static str> {
    for a in rasd_arabic::clitic_analyses(word) {
        if !a.suffix.is_empty() {
            continue;
        }
        if let Some(w) = NEAR_WORDS.iter().find(|w| **w == a.stem) {
            return Some(w);
        }
    }
    None
}

/// Nationality adjectives and other words that evoke a country, folded.
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
    ("الحوثي", "YE"),
    ("الحوثيين", "YE"),
    ("الليبي", "LY"),
    ("الليبيه", "LY"),
    ("الليبيين", "LY"),
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
