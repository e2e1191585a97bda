//! Numbers: digits with separators, number words, approximations, vague
//! amounts and the counted noun.
//!
//! Text is matched after loose normalisation ([`crate::NormalizeOptions::LOOSE`]),
//! so «مئة/مائة/مئه», «ثلاثة/ثلاثه», «ألفاً/الفا» and Arabic-Indic digits are
//! all the same; every range reported is a byte range in the ORIGINAL text.
//!
//! - Digits: `17`, `1,200`, `1.200`, `١٬٢٠٠`, `١٢٠٠`. A dot or comma followed
//!   by exactly three digits is a thousands separator; other decimals
//!   (`2.5`), dates (`25/10/2022`, `2022.10.25`), times (`13:55`) and
//!   percentages are not counts and are skipped. Digits followed by a scale
//!   word count (`10 آلاف` = 10,000).
//! - Number words from 0 to 999,999 (and millions) in all their forms: masculine
//!   and feminine, construct state (مئتا، ألفا), compounds (ثلاثة عشر، واحد
//!   وعشرون، ثلاثمئة وخمسون، عشرة آلاف، مئة وخمسون ألفاً), accusative and
//!   genitive endings (خمسين، اثنين، واحداً).
//! - Approximation markers before the number (نحو، قرابة، حوالي، زهاء، ما
//!   يقارب → About; أكثر من، ما يزيد عن، تجاوز → MoreThan; ما لا يقل عن and a
//!   following «على الأقل» → AtLeast; أقل من → LessThan; حتى، ما يصل إلى → UpTo),
//!   also with a proclitic (بنحو، لأكثر من). The quantity's range covers the
//!   marker.
//! - Vague amounts: بعض، بضعة → few; عدة، عدد من، العديد من → several;
//!   عشرات → dozens; مئات and آلاف (no larger class exists) → hundreds.
//! - A dual noun of a word whose plural is broken (شخصين، عنصرين، طفلين،
//!   قذيفتين، يومين …) is 2; a noun followed by «واحد/واحدة» is 1, by
//!   «اثنين/اثنتين» is 2.
//! - The counted noun is the next word in the same clause, after an optional
//!   «من» («4 من المقاتلين»), or the noun before an adjectival واحد/اثنان.
//!   Its range is in the original text.

use std::ops::Range;

use rasd_model::Vague;

use crate::normalize::{NormalizeOptions, Normalized, normalize_with};
use crate::segment::for_each_word;

/// How a figure is qualified.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Approx {
    /// نحو، قرابة، حوالي: «about».
    About,
    /// أكثر من، تجاوز: «more than».
    MoreThan,
    /// ما لا يقل عن، على الأقل: «at least».
    AtLeast,
    /// أقل من: «less than».
    LessThan,
    /// حتى، ما يصل إلى: «up to».
    UpTo,
}

/// A quantity found in text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Quantity {
    /// Byte range in the original text: the marker (if any) and the number or
    /// vague amount, not the noun.
    pub range: Range<usize>,
    /// The value; `None` for a vague amount.
    pub value: Option<u64>,
    /// The approximation marker, if any.
    pub approx: Option<Approx>,
    /// The vague class, for عشرات، عدة …
    pub vague: Option<Vague>,
    /// Byte range of the counted noun in the original text.
    pub noun: Option<Range<usize>>,
}

/// Most tokens one number can take («تسعمئة وتسعة وتسعون ألفاً وتسعمئة
/// وتسعة وتسعون» is 8; millions add a few).
const MAX_NUMBER_TOKENS: usize = 24;

/// Largest value the word parser builds (guards against overflow).
const MAX_VALUE: u64 = 999_999_999_999;

/// Words after which a figure is a year, not a count.
const YEAR_WORDS: &[&str] = &[
    "عام",
    "العام",
    "سنه",
    "السنه",
    "لعام",
    "بعام",
    "عامي",
    "للعام",
];

/// Words that cannot be a counted noun.
const NOT_NOUNS: &[&str] = &[
    "في",
    "علي",
    "الي",
    "عن",
    "من",
    "مع",
    "او",
    "و",
    "ثم",
    "بين",
    "منذ",
    "حتي",
    "خلال",
    "قد",
    "لا",
    "لم",
    "لن",
    "ان",
    "انه",
    "قبل",
    "بعد",
    "عند",
    "هو",
    "هي",
    "هم",
    "كان",
    "كانت",
    "فقط",
    "تقريبا",
    "الاقل",
    "اخرين",
    "اخرون",
    "اخري",
    "اخر",
    "ايضا",
    "جراء",
    "اثر",
    "بينهم",
    "منهم",
    "ما",
    "التي",
    "الذي",
    "الذين",
    // «أصيب العشرات بجروح»: the injury, not the counted noun.
    "بجروح",
    "بجراح",
    "باصابات",
    "برصاص",
    "بالرصاص",
    "بنيران",
];

/// Nouns whose plural is broken, so that the ين/ان form is a dual (folded
/// loose; a final ه is the folded ة and becomes ت before the dual ending).
const DUAL_NOUNS: &[&str] = &[
    "شخص",
    "عنصر",
    "قتيل",
    "جريح",
    "طفل",
    "رجل",
    "شاب",
    "امراه",
    "جندي",
    "شقيق",
    "ابن",
    "اخ",
    "قائد",
    "ضابط",
    "مدرس",
    "طبيب",
    "صحفي",
    "سياره",
    "منزل",
    "بيت",
    "صاروخ",
    "قذيفه",
    "عبوه",
    "غاره",
    "طائره",
    "طايره",
    "دبابه",
    "مركبه",
    "حافله",
    "قنبله",
    "لغم",
    "هجوم",
    "انفجار",
    "يوم",
    "شهر",
    "اسبوع",
    "عام",
    "سنه",
    "ساعه",
    "دقيقه",
    "ليله",
    "مره",
    "فتاه",
    "ولد",
    "بلده",
    "قريه",
    "مدينه",
    "حاجز",
    "موقع",
    "نقطه",
    "مقر",
    "شخصيه",
];

/// Nouns with a sound masculine plural: only their «ان» form is a dual
/// («مدنيين» is plural or dual, «مدنيان» only dual).
const SOUND_PLURAL_NOUNS: &[&str] = &[
    "مدني",
    "مسلح",
    "مقاتل",
    "عسكري",
    "مصاب",
    "معتقل",
    "مواطن",
    "مهاجم",
    "موظف",
    "ناشط",
    "مسعف",
    "مزارع",
    "قيادي",
    "امني",
    "مدرس",
    "مهندس",
    "منشق",
    "مطلوب",
    "مختطف",
    "مفقود",
    "عامل",
    "معلم",
];

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Kind {
    Zero,
    /// 1..=9, and whether the form can stand alone.
    Unit(u64, bool),
    /// 10 (عشرة/عشر).
    Ten,
    /// 20..=90.
    Tens(u64),
    /// 100..=900.
    Hundreds(u64),
    /// Scale word with the count it carries by itself (الف 1, الفان 2, الاف 0 = needs a multiplier).
    Scale(u64, u64),
}

fn unit_of(w: &str) -> Option<(u64, bool)> {
    Some(match w {
        "واحد" | "واحده" | "واحدا" | "واحدي" => (1, true),
        "احد" | "احدي" => (1, false),
        "اثنان" | "اثنين" | "اثنتان" | "اثنتين" | "ثنتان" | "ثنتين" => {
            (2, true)
        }
        "اثنا" | "اثني" | "اثنتا" | "اثنتي" => (2, false),
        "ثلاث" | "ثلاثه" => (3, true),
        "اربع" | "اربعه" => (4, true),
        "خمس" | "خمسه" => (5, true),
        "ست" | "سته" => (6, true),
        "سبع" | "سبعه" => (7, true),
        "ثمان" | "ثماني" | "ثمانيه" => (8, true),
        "تسع" | "تسعه" => (9, true),
        _ => return None,
    })
}

fn tens_of(w: &str) -> Option<u64> {
    Some(match w {
        "عشرون" | "عشرين" => 20,
        "ثلاثون" | "ثلاثين" => 30,
        "اربعون" | "اربعين" => 40,
        "خمسون" | "خمسين" => 50,
        "ستون" | "ستين" => 60,
        "سبعون" | "سبعين" => 70,
        "ثمانون" | "ثمانين" => 80,
        "تسعون" | "تسعين" => 90,
        _ => return None,
    })
}

fn is_hundred_word(w: &str) -> bool {
    matches!(w, "ميه" | "مايه" | "مئه")
}

fn hundreds_of(w: &str) -> Option<u64> {
    if is_hundred_word(w) {
        return Some(100);
    }
    if matches!(
        w,
        "ميتان"
            | "ميتين"
            | "مايتان"
            | "مايتين"
            | "ميتا"
            | "مايتا"
            | "ميتي"
            | "مايتي"
    ) {
        return Some(200);
    }
    for h in ["ميه", "مايه"] {
        if let Some(stem) = w.strip_suffix(h) {
            let u = match stem {
                "ثلاث" | "ثلث" => 3,
                "اربع" => 4,
                "خمس" => 5,
                "ست" => 6,
                "سبع" => 7,
                "ثمان" | "ثماني" => 8,
                "تسع" => 9,
                _ => return None,
            };
            return Some(u * 100);
        }
    }
    None
}

fn scale_of(w: &str) -> Option<(u64, u64)> {
    Some(match w {
        "الف" => (1_000, 1),
        "الفا" => (1_000, 2),
        "الفان" | "الفين" => (1_000, 2),
        "الاف" | "الوف" => (1_000, 0),
        "مليون" | "مليونا" => (1_000_000, 1),
        "مليونان" | "مليونين" => (1_000_000, 2),
        "ملايين" => (1_000_000, 0),
        _ => return None,
    })
}

fn kind_of(w: &str) -> Option<Kind> {
    if w == "صفر" {
        return Some(Kind::Zero);
    }
    if let Some((u, alone)) = unit_of(w) {
        return Some(Kind::Unit(u, alone));
    }
    if matches!(w, "عشر" | "عشره") {
        return Some(Kind::Ten);
    }
    if let Some(t) = tens_of(w) {
        return Some(Kind::Tens(t));
    }
    if let Some(h) = hundreds_of(w) {
        return Some(Kind::Hundreds(h));
    }
    if let Some((s, c)) = scale_of(w) {
        return Some(Kind::Scale(s, c));
    }
    None
}

/// A token of the normalised text.
#[derive(Debug, Clone)]
pub(crate) struct Tok<'a> {
    pub(crate) text: &'a str,
    pub(crate) norm: Range<usize>,
    /// Only a space separates this token from the previous one.
    pub(crate) tight: bool,
}

pub(crate) fn tokenize(n: &Normalized) -> Vec<Tok<'_>> {
    let mut toks: Vec<Tok<'_>> = Vec::with_capacity(n.text.len() / 6 + 1);
    let text = n.text.as_str();
    for_each_word(text, |r| {
        let prev_end = toks.last().map_or(0, |t: &Tok<'_>| t.norm.end);
        let gap = &text[prev_end..r.start];
        let tight = !toks.is_empty() && gap.chars().all(|c| c == ' ');
        toks.push(Tok {
            text: &text[r.clone()],
            norm: r,
            tight,
        });
    });
    toks
}

/// The number-word parser over tokens.
struct Parser<'t, 'a> {
    toks: &'t [Tok<'a>],
}

impl Parser<'_, '_> {
    /// Kind of token `i`, with an optional leading «و» ("and") when `and` is set.
    fn kind(&self, i: usize, and: bool) -> Option<Kind> {
        let t = self.toks.get(i)?;
        if and {
            kind_of(t.text.strip_prefix('و')?)
        } else {
            kind_of(t.text)
        }
    }

    /// Kind of token `i` when it continues the previous token (only spaces between).
    fn next_kind(&self, i: usize, and: bool) -> Option<Kind> {
        if !self.toks.get(i)?.tight {
            return None;
        }
        self.kind(i, and)
    }

    /// A conjunction at `i`: either a token starting with «و» (returns the
    /// token index and "strip"), or a lone «و» token followed by the next.
    fn and_then(&self, i: usize) -> Option<(usize, bool)> {
        let t = self.toks.get(i)?;
        if !t.tight {
            return None;
        }
        if t.text == "و" {
            let n = self.toks.get(i + 1)?;
            if n.tight {
                return Some((i + 1, false));
            }
            return None;
        }
        if t.text.starts_with('و') {
            return Some((i, true));
        }
        None
    }

    /// 1..=99 starting at `i` (token `i` read with «و» stripped when `and`).
    fn below_hundred(&self, i: usize, and: bool) -> Option<(u64, usize)> {
        match self.kind(i, and)? {
            Kind::Unit(u, alone) => {
                if matches!(self.next_kind(i + 1, false), Some(Kind::Ten)) {
                    return Some((10 + u, i + 2));
                }
                if let Some((j, strip)) = self.and_then(i + 1)
                    && let Some(Kind::Tens(t)) = self.kind(j, strip)
                {
                    return Some((u + t, j + 1));
                }
                if alone { Some((u, i + 1)) } else { None }
            }
            Kind::Ten => Some((10, i + 1)),
            Kind::Tens(t) => Some((t, i + 1)),
            _ => None,
        }
    }

    /// 1..=999 starting at `i`.
    fn below_thousand(&self, i: usize, and: bool) -> Option<(u64, usize)> {
        let (h, j) = match self.kind(i, and)? {
            Kind::Hundreds(h) => (h, i + 1),
            Kind::Unit(u, _)
                if u >= 3
                    && self
                        .next_kind(i + 1, false)
                        .is_some_and(|k| k == Kind::Hundreds(100)) =>
            {
                // «ثلاث مئة» written apart.
                (u * 100, i + 2)
            }
            _ => return self.below_hundred(i, and),
        };
        if let Some((k, strip)) = self.and_then(j)
            && let Some((r, e)) = self.below_hundred(k, strip)
        {
            return Some((h + r, e));
        }
        Some((h, j))
    }

    /// A whole number starting at token `i`: value and the token after it.
    fn number(&self, i: usize, and: bool) -> Option<(u64, usize)> {
        if matches!(self.kind(i, and), Some(Kind::Zero)) {
            return Some((0, i + 1));
        }
        let mut total: u64 = 0;
        let mut pos = i;
        let mut strip = and;
        let mut any = false;
        let mut last_scale = u64::MAX;
        loop {
            let group = self.below_thousand(pos, strip);
            let after = group.map_or(pos, |g| g.1);
            let scale_and = strip;
            let scale = if group.is_some() {
                self.next_kind(after, false)
            } else {
                self.kind(after, scale_and)
            };
            match scale {
                Some(Kind::Scale(s, own)) if s < last_scale || group.is_none() => {
                    let mult = match group {
                        Some((g, _)) => g,
                        None if own > 0 => own,
                        None => break,
                    };
                    total = total.checked_add(mult.checked_mul(s)?)?;
                    any = true;
                    last_scale = s;
                    pos = after + 1;
                    if let Some((k, st)) = self.and_then(pos)
                        && (self.below_thousand(k, st).is_some()
                            || matches!(self.kind(k, st), Some(Kind::Scale(_, c)) if c > 0))
                    {
                        pos = k;
                        strip = st;
                        continue;
                    }
                    break;
                }
                _ => {
                    if let Some((g, e)) = group {
                        total = total.checked_add(g)?;
                        pos = e;
                        any = true;
                    }
                    break;
                }
            }
        }
        if any && total <= MAX_VALUE {
            Some((total, pos))
        } else {
            None
        }
    }
}

/// Parse a whole string of number words («ثلاثمئة وخمسون», «عشرة آلاف»).
/// Returns `None` unless the entire string is one number.
pub fn parse_number_words(s: &str) -> Option<u64> {
    let n = normalize_with(s, &NormalizeOptions::LOOSE);
    let toks = tokenize(&n);
    if toks.is_empty() {
        return None;
    }
    if toks.len() == 1
        && let Some(d) = parse_digits(toks[0].text)
    {
        return Some(d);
    }
    let p = Parser { toks: &toks };
    let (v, end) = p.number(0, false)?;
    (end == toks.len()).then_some(v)
}

/// Parse a digit token of the normalised text (ASCII digits and , .).
fn parse_digits(s: &str) -> Option<u64> {
    let b = s.as_bytes();
    if !b.first()?.is_ascii_digit() {
        return None;
    }
    let seps: Vec<usize> = b
        .iter()
        .enumerate()
        .filter(|(_, c)| !c.is_ascii_digit())
        .map(|(i, _)| i)
        .collect();
    if seps.is_empty() {
        return s.parse::<u64>().ok().filter(|v| *v <= MAX_VALUE);
    }
    let sep = b[seps[0]];
    if seps.iter().any(|&i| b[i] != sep) {
        return None;
    }
    // Every group after the first is exactly three digits: thousands separators.
    let mut prev = seps[0];
    if prev == 0 || prev > 3 {
        return None;
    }
    for &i in &seps[1..] {
        if i - prev != 4 {
            return None;
        }
        prev = i;
    }
    if b.len() - prev != 4 {
        return None;
    }
    let digits: String = s.chars().filter(|c| c.is_ascii_digit()).collect();
    digits.parse::<u64>().ok().filter(|v| *v <= MAX_VALUE)
}

/// A number (digits, or words) at token `i`: value and the token after it.
pub(crate) fn number_at(toks: &[Tok<'_>], i: usize) -> Option<(u64, usize)> {
    let t = toks.get(i)?;
    if let Some(d) = parse_digits(t.text) {
        return Some((d, i + 1));
    }
    Parser { toks }.number(i, false)
}

pub(crate) fn strip_proclitic(w: &str) -> &str {
    for p in ["و", "ف", "ب", "ل"] {
        if let Some(r) = w.strip_prefix(p)
            && r.chars().count() >= 2
        {
            return r;
        }
    }
    w
}

/// Approximation marker starting at token `i`: (approx, first token after it).
fn approx_at(toks: &[Tok<'_>], i: usize) -> Option<(Approx, usize)> {
    let w = |k: usize| toks.get(k).filter(|t| k == i || t.tight).map(|t| t.text);
    let first = w(i)?;
    let bare = strip_proclitic(first);
    let one = |x: &str| bare == x || first == x;
    if one("نحو") || one("قرابه") || one("حوالي") || one("زهاء") || one("حدود")
    {
        return Some((Approx::About, i + 1));
    }
    if one("يناهز") || one("يقارب") {
        return Some((Approx::About, i + 1));
    }
    if first == "ما" && matches!(w(i + 1), Some("يقارب" | "يناهز")) {
        return Some((Approx::About, i + 2));
    }
    if (one("اكثر") || one("ازيد")) && w(i + 1) == Some("من") {
        return Some((Approx::MoreThan, i + 2));
    }
    if (one("اقل")) && w(i + 1) == Some("من") {
        return Some((Approx::LessThan, i + 2));
    }
    if matches!(
        bare,
        "تجاوز"
            | "تجاوزت"
            | "يتجاوز"
            | "تتجاوز"
            | "يفوق"
            | "فاق"
            | "فاقت"
            | "يتخطي"
            | "تخطي"
            | "تخطت"
    ) {
        return Some((Approx::MoreThan, i + 1));
    }
    let mut k = i;
    if first == "ما" {
        k += 1;
    }
    if matches!(w(k), Some("يزيد" | "تزيد")) && matches!(w(k + 1), Some("عن" | "علي"))
    {
        return Some((Approx::MoreThan, k + 2));
    }
    if w(k) == Some("لا")
        && matches!(w(k + 1), Some("يقل" | "تقل"))
        && matches!(w(k + 2), Some("عن"))
    {
        return Some((Approx::AtLeast, k + 3));
    }
    if matches!(w(k), Some("يصل" | "تصل")) && matches!(w(k + 1), Some("الي")) {
        return Some((Approx::UpTo, k + 2));
    }
    if first == "حتي" {
        return Some((Approx::UpTo, i + 1));
    }
    None
}

/// Vague amount at token `i`: (class, first token after it).
fn vague_at(toks: &[Tok<'_>], i: usize) -> Option<(Vague, usize)> {
    let t = toks.get(i)?;
    let next_is = |x: &str| toks.get(i + 1).is_some_and(|n| n.tight && n.text == x);
    let class = |w: &str| -> Option<(Vague, usize)> {
        Some(match w {
            "بعض" | "بضع" | "بضعه" => (Vague::Few, i + 1),
            "عده" => (Vague::Several, i + 1),
            "عدد" | "العديد" if next_is("من") => (Vague::Several, i + 2),
            "عشرات" | "العشرات" => (Vague::Dozens, i + 1),
            "ميات" | "مايات" | "الميات" | "المايات" | "الاف" | "الالاف" => {
                (Vague::Hundreds, i + 1)
            }
            _ => return None,
        })
    };
    let (v, e) = class(t.text).or_else(|| class(strip_proclitic(t.text)))?;
    // «عشرات الآلاف», «مئات الآلاف»: tens or hundreds of thousands.
    if matches!(v, Vague::Dozens | Vague::Hundreds)
        && toks
            .get(e)
            .is_some_and(|n| n.tight && matches!(n.text, "الاف" | "الالاف"))
    {
        return Some((Vague::Hundreds, e + 1));
    }
    Some((v, e))
}

fn is_dual_noun(w: &str) -> bool {
    let stem = if let Some(s) = w.strip_suffix("ين").or_else(|| w.strip_suffix("ان")) {
        s
    } else {
        return false;
    };
    if let Some(base) = stem.strip_suffix('ت') {
        let mut with_ta = String::with_capacity(base.len() + 2);
        with_ta.push_str(base);
        with_ta.push('ه');
        if DUAL_NOUNS.contains(&with_ta.as_str()) {
            return true;
        }
    }
    if DUAL_NOUNS.contains(&stem) {
        return true;
    }
    // The nominative dual «ان» of a noun with a sound plural (مدنيون/مدنيين)
    // is unambiguous: «مدنيان», «مسلحان».
    w.ends_with("ان") && SOUND_PLURAL_NOUNS.contains(&stem)
}

fn dual_noun(w: &str) -> bool {
    is_dual_noun(w) || is_dual_noun(strip_proclitic(w))
}

fn is_noun_candidate(t: &Tok<'_>) -> bool {
    let first = t.text.chars().next();
    first.is_some_and(|c| ('\u{0621}'..='\u{064A}').contains(&c))
        && !NOT_NOUNS.contains(&t.text)
        && kind_of(t.text).is_none()
        && parse_digits(t.text).is_none()
}

/// Is token `i` (a digit group) part of a date, time, percentage or year?
fn digits_not_a_count(n: &Normalized, toks: &[Tok<'_>], i: usize, end: usize) -> bool {
    let t = &toks[i];
    let text = n.text.as_str();
    let before = text[..t.norm.start].chars().next_back();
    let after = text[t.norm.end..].chars().next();
    let after2 = text[t.norm.end..].chars().nth(1);
    if matches!(after, Some('/' | ':' | '-' | '%' | '٪'))
        && (after != Some('-') || after2.is_some_and(|c| c.is_ascii_digit()))
    {
        return true;
    }
    if matches!(before, Some('/' | ':' | '-'))
        && text[..t.norm.start]
            .chars()
            .rev()
            .nth(1)
            .is_some_and(|c| c.is_ascii_digit())
    {
        return true;
    }
    if let Some(next) = toks.get(end).filter(|x| x.tight) {
        let w = strip_proclitic(next.text);
        if matches!(w, "بالميه" | "بالمايه" | "%")
            || crate::dates::is_month_name(next.text)
            || crate::dates::is_month_name(w)
        {
            return true;
        }
        if w == "في"
            && toks
                .get(end + 1)
                .is_some_and(|x| matches!(x.text, "الميه" | "المايه"))
        {
            return true;
        }
    }
    if i > 0 && toks[i].tight && YEAR_WORDS.contains(&toks[i - 1].text) {
        return true;
    }
    // A copyright year («© 2023»).
    if text[..t.norm.start].trim_end().ends_with('©') {
        return true;
    }
    // A year after a month name («7 آب/أغسطس 2023»).
    if i > 0
        && t.text.len() == 4
        && (crate::dates::is_month_name(toks[i - 1].text)
            || crate::dates::is_month_second_word(toks[i - 1].text))
    {
        return true;
    }
    false
}

/// Find every quantity in `text` (ranges in the original text).
pub fn find_quantities(text: &str) -> Vec<Quantity> {
    let n = normalize_with(text, &NormalizeOptions::LOOSE);
    let toks = tokenize(&n);
    let p = Parser { toks: &toks };
    let mut out = Vec::new();
    let orig = |r: Range<usize>| n.original_range(r);
    let mut i = 0;
    while i < toks.len() {
        let (approx, j) = match approx_at(&toks, i) {
            Some((a, j)) if toks.get(j).is_some_and(|t| t.tight) => (Some(a), j),
            _ => (None, i),
        };
        let start = toks[i].norm.start;
        // Vague amount.
        if let Some((v, e)) = vague_at(&toks, j) {
            let noun = noun_after(&toks, e);
            out.push(Quantity {
                range: orig(start..toks[e - 1].norm.end),
                value: None,
                approx,
                vague: Some(v),
                noun: noun.map(|k| orig(toks[k].norm.clone())),
            });
            i = e;
            continue;
        }
        // Digits, possibly with a scale word.
        // «و159 جريحاً», «بـ123 شخصاً»: a one-letter proclitic on digits.
        let (digit_text, skip) = match toks[j].text.strip_prefix(['و', 'ب', 'ل', 'ف']) {
            Some(r) if r.as_bytes().first().is_some_and(u8::is_ascii_digit) => {
                (r, toks[j].text.len() - r.len())
            }
            _ => (toks[j].text, 0),
        };
        if let Some(d) = parse_digits(digit_text) {
            let start = if approx.is_some() {
                start
            } else {
                start + skip
            };
            if digits_not_a_count(&n, &toks, j, j + 1) {
                i = j + 1;
                continue;
            }
            let mut value = d;
            let mut e = j + 1;
            if let Some(Kind::Scale(s, _)) = p.next_kind(e, false) {
                if let Some(v) = d.checked_mul(s).filter(|v| *v <= MAX_VALUE) {
                    value = v;
                    e += 1;
                }
            }
            out.push(finish(&n, &toks, start, e, value, approx));
            i = e;
            continue;
        }
        // Number words (a leading proclitic allowed on the first word).
        let parsed = p.number(j, false).map(|r| (r, false)).or_else(|| {
            let t = &toks[j];
            let stripped = strip_proclitic(t.text);
            if stripped.len() != t.text.len() && kind_of(stripped).is_some() {
                // Re-run with the stripped word (proclitics are one letter).
                Some(((p.number_stripped(j)?), true))
            } else {
                None
            }
        });
        if let Some(((value, e), _)) = parsed {
            // A lone «واحد/اثنين» after a noun is that noun's count (the
            // number follows its noun as an adjective), unless «من» follows.
            let mut q = finish(&n, &toks, start, e, value, approx);
            let adjectival = (value == 1 || value == 2)
                && e == j + 1
                && j > 0
                && toks[j].tight
                && approx.is_none()
                && matches!(unit_of(toks[j].text), Some((_, true)))
                && !toks.get(e).is_some_and(|t| t.tight && t.text == "من");
            if adjectival {
                q.noun = None;
            }
            if q.noun.is_none()
                && (value == 1 || value == 2)
                && e == j + 1
                && j > 0
                && toks[j].tight
            {
                let prev = &toks[j - 1];
                if is_noun_candidate(prev) && (value == 1 || dual_noun(prev.text)) {
                    q.noun = Some(orig(prev.norm.clone()));
                    if value == 2 && dual_noun(prev.text) {
                        // Already reported as a dual noun: widen that one.
                        if let Some(last) = out.last_mut()
                            && last.noun == q.noun
                        {
                            last.range = last.range.start..q.range.end;
                            i = e;
                            continue;
                        }
                    }
                }
            }
            out.push(q);
            i = e;
            continue;
        }
        // Dual nouns.
        if approx.is_none() && dual_noun(toks[i].text) {
            let r = orig(toks[i].norm.clone());
            out.push(Quantity {
                range: r.clone(),
                value: Some(2),
                approx: None,
                vague: None,
                noun: Some(r),
            });
        }
        i += 1;
    }
    out
}

impl Parser<'_, '_> {
    /// Parse a number whose first word carries a one-letter proclitic.
    fn number_stripped(&self, i: usize) -> Option<(u64, usize)> {
        let t = self.toks.get(i)?;
        let stripped = strip_proclitic(t.text);
        // A window is enough: no number spans more tokens than this.
        let end = self.toks.len().min(i + MAX_NUMBER_TOKENS);
        let mut toks: Vec<Tok<'_>> = self.toks[i..end].to_vec();
        toks[0].text = stripped;
        let p = Parser { toks: &toks };
        p.number(0, false).map(|(v, e)| (v, i + e))
    }
}

fn noun_after(toks: &[Tok<'_>], e: usize) -> Option<usize> {
    let t = toks.get(e).filter(|t| t.tight)?;
    if t.text == "من" {
        let n = toks.get(e + 1).filter(|t| t.tight)?;
        return is_noun_candidate(n).then_some(e + 1);
    }
    is_noun_candidate(t).then_some(e)
}

fn finish(
    n: &Normalized,
    toks: &[Tok<'_>],
    start: usize,
    e: usize,
    value: u64,
    approx: Option<Approx>,
) -> Quantity {
    let mut approx = approx;
    let mut noun = noun_after(toks, e);
    let mut end = toks[e - 1].norm.end;
    // «5 على الأقل» / «5 أشخاص على الأقل» / «5 تقريبا».
    let after_noun = noun.map_or(e, |k| k + 1);
    for k in [e, after_noun] {
        if toks.get(k).is_some_and(|t| t.tight && t.text == "علي")
            && toks.get(k + 1).is_some_and(|t| t.tight && t.text == "الاقل")
        {
            approx = approx.or(Some(Approx::AtLeast));
            if k == e {
                end = toks[k + 1].norm.end;
                noun = noun_after(toks, k + 2).or(noun.filter(|&x| x != k));
            }
            break;
        }
        if toks.get(k).is_some_and(|t| t.tight && t.text == "تقريبا") {
            approx = approx.or(Some(Approx::About));
            if k == e {
                end = toks[k].norm.end;
                noun = None;
            }
            break;
        }
    }
    Quantity {
        range: n.original_range(start..end),
        value: Some(value),
        approx,
        vague: None,
        noun: noun.map(|k| n.original_range(toks[k].norm.clone())),
    }
}

const UNITS_M: [&str; 10] = [
    "",
    "واحد",
    "اثنان",
    "ثلاثة",
    "أربعة",
    "خمسة",
    "ستة",
    "سبعة",
    "ثمانية",
    "تسعة",
];
const UNITS_F: [&str; 10] = [
    "",
    "واحدة",
    "اثنتان",
    "ثلاث",
    "أربع",
    "خمس",
    "ست",
    "سبع",
    "ثماني",
    "تسع",
];
const TENS: [&str; 10] = [
    "",
    "عشرة",
    "عشرون",
    "ثلاثون",
    "أربعون",
    "خمسون",
    "ستون",
    "سبعون",
    "ثمانون",
    "تسعون",
];
const HUNDREDS: [&str; 10] = [
    "",
    "مئة",
    "مئتان",
    "ثلاثمئة",
    "أربعمئة",
    "خمسمئة",
    "ستمئة",
    "سبعمئة",
    "ثمانمئة",
    "تسعمئة",
];

/// 1..=99 in words; `feminine` = the counted noun is feminine.
fn below_hundred_words(n: u64, feminine: bool) -> String {
    let n = n as usize;
    let units = if feminine { &UNITS_F } else { &UNITS_M };
    match n {
        0 => String::new(),
        1..=9 => units[n].to_string(),
        10 => if feminine { "عشر" } else { "عشرة" }.to_string(),
        11 => if feminine {
            "إحدى عشرة"
        } else {
            "أحد عشر"
        }
        .to_string(),
        12 => if feminine {
            "اثنتا عشرة"
        } else {
            "اثنا عشر"
        }
        .to_string(),
        13..=19 => format!(
            "{} {}",
            units[n - 10],
            if feminine { "عشرة" } else { "عشر" }
        ),
        _ => {
            let (t, u) = (n / 10, n % 10);
            if u == 0 {
                TENS[t].to_string()
            } else {
                let unit = if u == 1 && feminine {
                    "إحدى"
                } else {
                    units[u]
                };
                format!("{unit} و{}", TENS[t])
            }
        }
    }
}

/// 1..=999 in words.
fn below_thousand_words(n: u64, feminine: bool) -> String {
    let (h, r) = ((n / 100) as usize, n % 100);
    match (h, r) {
        (0, _) => below_hundred_words(r, feminine),
        (_, 0) => HUNDREDS[h].to_string(),
        _ => format!("{} و{}", HUNDREDS[h], below_hundred_words(r, feminine)),
    }
}

/// Generate the words for `n` (0..=999,999; larger values are written with
/// digits). `feminine` is the gender of the counted noun: numbers 3–10 take
/// the opposite form, 1–2 the same form. The thousands multiplier is always
/// in the masculine form (ألف is masculine). Used by the round-trip tests.
pub fn to_words(n: u64, feminine: bool) -> String {
    if n == 0 {
        return "صفر".to_string();
    }
    if n > 999_999 {
        return n.to_string();
    }
    let (th, rest) = (n / 1000, n % 1000);
    let thousands = match th {
        0 => String::new(),
        1 => "ألف".to_string(),
        2 => "ألفان".to_string(),
        3..=10 => format!("{} آلاف", below_hundred_words(th, false)),
        _ => {
            let r = th % 100;
            // The construct state «مئتا ألف» for exactly two hundred thousand.
            let head = |x: u64| {
                if x == 200 {
                    "مئتا".to_string()
                } else {
                    below_thousand_words(x, false)
                }
            };
            match r {
                0 => format!("{} ألف", head(th)),
                // «مئة ألف وألف» rather than «مئة وواحد ألف».
                1 | 2 => format!(
                    "{} ألف و{}",
                    head(th - r),
                    if r == 1 { "ألف" } else { "ألفان" }
                ),
                3..=10 => format!("{} آلاف", below_thousand_words(th, false)),
                _ => format!("{} ألفاً", below_thousand_words(th, false)),
            }
        }
    };
    match (thousands.is_empty(), rest) {
        (true, _) => below_thousand_words(rest, feminine),
        (false, 0) => thousands,
        (false, _) => format!("{thousands} و{}", below_thousand_words(rest, feminine)),
    }
}
