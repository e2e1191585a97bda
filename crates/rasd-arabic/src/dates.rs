//! Dates: absolute, Hijri and relative date expressions, resolved against the
//! local publication day, and the time zone of a place.
//!
//! Text is matched after loose normalisation; ranges are byte ranges in the
//! ORIGINAL text. Recognised forms:
//! - numeric dates `25/10/2022`, `25-10-2022`, `25.10.2022`, `2022/10/25`,
//!   `2022-10-25`, `2022.10.25` (two-digit years `25/10/22` are 20yy);
//! - a day (digits, or an ordinal «الخامس والعشرين») with an optional «من»,
//!   a month of either set (Syriac «كانون الثاني … كانون الأول», Egyptian
//!   «يناير … ديسمبر», Maghrebi «جانفي … ديسمبر»), an optional second name
//!   of the other set («تشرين الأول/أكتوبر», «أكتوبر (تشرين الأول)») and an
//!   optional year; a day range «بين 20 و25 تشرين الأول», «من 20 إلى 25 …»;
//!   a month with a year («تشرين الأول 2022») or after a cue («في شهر أيار»);
//! - Hijri dates («25 ربيع الأول 1444 هـ»), converted with the Umm al-Qura
//!   calendar (icu_calendar); without a year, the Hijri year of the
//!   publication day;
//! - weekdays: «الجمعة الماضية/الفائتة/المنصرمة/السابقة» is the most recent
//!   such weekday STRICTLY before the publication day (spec rule 4); a bare
//!   weekday or «يوم الجمعة» is the most recent such day ON OR before it;
//!   «الجمعة المقبلة/القادمة» the next one strictly after;
//! - relative days: «اليوم», «صباح/فجر/مساء/ظهر اليوم» → the publication day;
//!   «أمس», «البارحة», «الليلة الماضية», «ليلة أمس» → the day before; «أمس
//!   الأول», «أول أمس», «أول من أمس» → two days before; «قبل يومين», «منذ
//!   ثلاثة أيام», «قبل أسبوع», «قبل ساعات» → counted back;
//! - weeks (precision week): «الأسبوع الماضي» (Sunday to Saturday of the
//!   previous week), «الأسبوع الجاري/الحالي», «مطلع الأسبوع» (optionally «الجاري») (the
//!   Sunday of the publication week);
//! - months and years (precision month): «الشهر الماضي/الجاري», «مطلع/منتصف/
//!   أواخر» + month, «العام الماضي/الجاري», «عام 2014», «أواخر العام 2014»,
//!   seasons «صيف 2018». Parts: early = days 1–10 of a month or January–April
//!   of a year; mid = days 11–20 or May–August; late = day 21 to the end or
//!   September–December. `DatePrecision` has no year level: a year is
//!   reported with precision `Month` and a full-year span.
//!
//! Where a relative expression is followed by an explicit date («أمس الثلاثاء
//! 25 كانون الثاني»), it is ONE mention and the explicit date wins. A day and
//! month without a year take the most recent such date on or before the
//! publication day.

use std::ops::Range;
use std::sync::LazyLock;

use jiff::ToSpan;
use jiff::civil::{Date, Weekday};
use jiff::tz::TimeZone;
use rasd_model::DatePrecision;

use crate::ArabicError;
use crate::normalize::{NormalizeOptions, Normalized, normalize_with};
use crate::numbers::{Tok, number_at, strip_proclitic, tokenize};

/// What kind of expression a date mention is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum DateKind {
    /// `25/10/2022`, `2022.10.25`.
    Numeric,
    /// A day and/or month name, Gregorian.
    MonthName,
    /// A Hijri date.
    Hijri,
    /// A weekday («الجمعة الماضية»).
    Weekday,
    /// «اليوم», «أمس», «قبل يومين».
    RelativeDay,
    /// «الأسبوع الماضي», «مطلع الأسبوع».
    RelativeWeek,
    /// «الشهر الماضي», «مطلع الشهر الجاري».
    RelativeMonth,
    /// «العام الماضي».
    RelativeYear,
    /// «عام 2014», «أواخر العام 2014».
    Year,
}

/// A date expression found in text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DateMention {
    /// Byte range in the original text.
    pub range: Range<usize>,
    /// First day.
    pub start: Date,
    /// Last day (equal to `start` for one day).
    pub end: Date,
    /// How precise the expression is.
    pub precision: DatePrecision,
    /// Resolved against the publication day (relative words, or a day and
    /// month without a year).
    pub relative: bool,
    /// The form of the expression.
    pub kind: DateKind,
}

/// Gregorian month names (loose-folded), with their number; two-word names
/// are written with a space.
const GREGORIAN_MONTHS: &[(&str, i8)] = &[
    ("كانون الثاني", 1),
    ("شباط", 2),
    ("اذار", 3),
    ("نيسان", 4),
    ("ايار", 5),
    ("حزيران", 6),
    ("تموز", 7),
    ("اب", 8),
    ("ايلول", 9),
    ("تشرين الاول", 10),
    ("تشرين الثاني", 11),
    ("كانون الاول", 12),
    ("يناير", 1),
    ("فبراير", 2),
    ("مارس", 3),
    ("ابريل", 4),
    ("مايو", 5),
    ("يونيو", 6),
    ("يونيه", 6),
    ("يوليو", 7),
    ("يوليه", 7),
    ("اغسطس", 8),
    ("اغسطوس", 8),
    ("سبتمبر", 9),
    ("اكتوبر", 10),
    ("نوفمبر", 11),
    ("ديسمبر", 12),
    ("جانفي", 1),
    ("فيفري", 2),
    ("افريل", 4),
    ("ماي", 5),
    ("جوان", 6),
    ("جويليه", 7),
    ("اوت", 8),
];

/// Hijri month names (loose-folded).
const HIJRI_MONTHS: &[(&str, i8)] = &[
    ("محرم", 1),
    ("صفر", 2),
    ("ربيع الاول", 3),
    ("ربيع الثاني", 4),
    ("ربيع الاخر", 4),
    ("جمادي الاولي", 5),
    ("جمادي الاول", 5),
    ("جمادي الثانيه", 6),
    ("جمادي الاخره", 6),
    ("جمادي الاخر", 6),
    ("رجب", 7),
    ("شعبان", 8),
    ("رمضان", 9),
    ("شوال", 10),
    ("ذو القعده", 11),
    ("ذي القعده", 11),
    ("ذو الحجه", 12),
    ("ذي الحجه", 12),
];

/// Weekday names, loose-folded (`fold_loose`: ة → ه, hamza forms → ا), with their day.
pub const WEEKDAYS: &[(&str, Weekday)] = &[
    ("الاحد", Weekday::Sunday),
    ("الاثنين", Weekday::Monday),
    ("الثلاثاء", Weekday::Tuesday),
    ("الاربعاء", Weekday::Wednesday),
    ("الخميس", Weekday::Thursday),
    ("الجمعه", Weekday::Friday),
    ("السبت", Weekday::Saturday),
];

/// Words that put a weekday strictly in the past.
const PAST_WORDS: &[&str] = &[
    "الماضي",
    "الماضيه",
    "الفائت",
    "الفائته",
    "الفايت",
    "الفايته",
    "المنصرم",
    "المنصرمه",
    "السابق",
    "السابقه",
];
/// Words that put a weekday strictly in the future.
const NEXT_WORDS: &[&str] = &["المقبل", "المقبله", "القادم", "القادمه"];
/// The current period.
const CURRENT_WORDS: &[&str] = &["الجاري", "الحالي", "الجاريه", "الحاليه"];

/// Time-of-day and «day» words that may precede a day expression.
const DAY_PREFIXES: &[&str] = &[
    "يوم",
    "نهار",
    "صباح",
    "مساء",
    "فجر",
    "ظهر",
    "ظهيره",
    "عصر",
    "ليل",
    "ليله",
    "صبيحه",
    "ضحي",
    "عشيه",
    "منتصف",
];

/// Cues after which a month name alone is a date.
const MONTH_CUES: &[&str] = &[
    "شهر",
    "في",
    "خلال",
    "منذ",
    "حتي",
    "مطلع",
    "اواخر",
    "منتصف",
    "اوائل",
    "بدايه",
    "نهايه",
    "اواسط",
];

/// Day ordinals (loose-folded) 1..=10.
const ORDINALS: &[(&str, i8)] = &[
    ("الاول", 1),
    ("الثاني", 2),
    ("الثالث", 3),
    ("الرابع", 4),
    ("الخامس", 5),
    ("السادس", 6),
    ("السابع", 7),
    ("الثامن", 8),
    ("التاسع", 9),
    ("العاشر", 10),
];

/// Days in a month part: early = 1..=10, mid = 11..=20, late = 21..=end.
const MONTH_PART_DAYS: [(i8, i8); 3] = [(1, 10), (11, 20), (21, 31)];
/// Months in a year part: early = Jan–Apr, mid = May–Aug, late = Sep–Dec.
const YEAR_PART_MONTHS: [(i8, i8); 3] = [(1, 4), (5, 8), (9, 12)];

/// Earliest and latest years accepted in numeric dates.
const MIN_YEAR: i16 = 1900;
const MAX_YEAR: i16 = 2100;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Part {
    Early,
    Mid,
    Late,
}

fn part_of(w: &str) -> Option<Part> {
    part_of_bare(w).or_else(|| part_of_bare(strip_proclitic(w)))
}

/// Words naming a part of a month, week or year.
const PART_WORDS: &[(&str, Part)] = &[
    ("مطلع", Part::Early),
    ("اوائل", Part::Early),
    ("بدايه", Part::Early),
    ("مستهل", Part::Early),
    ("اول", Part::Early),
    ("منتصف", Part::Mid),
    ("اواسط", Part::Mid),
    ("وسط", Part::Mid),
    ("اواخر", Part::Late),
    ("نهايه", Part::Late),
    ("اخر", Part::Late),
    ("خواتيم", Part::Late),
    ("ختام", Part::Late),
];

fn part_of_bare(w: &str) -> Option<Part> {
    PART_WORDS.iter().find(|(p, _)| *p == w).map(|x| x.1)
}

/// A month name split into its words: (first, second word if any, month).
type MonthName = (&'static str, Option<&'static str>, i8);

/// Split the names of a month table once: matching runs at every token of
/// every sentence, and splitting the names there was most of its cost.
fn split_months(table: &'static [(&'static str, i8)]) -> Vec<MonthName> {
    table
        .iter()
        .map(|(name, m)| match name.split_once(' ') {
            Some((a, b)) => (a, Some(b), *m),
            None => (*name, None, *m),
        })
        .collect()
}

static GREGORIAN_SPLIT: LazyLock<Vec<MonthName>> = LazyLock::new(|| split_months(GREGORIAN_MONTHS));
static HIJRI_SPLIT: LazyLock<Vec<MonthName>> = LazyLock::new(|| split_months(HIJRI_MONTHS));

/// Is `w` (a loose-folded word) the first word of a month name?
pub(crate) fn is_month_name(w: &str) -> bool {
    GREGORIAN_SPLIT
        .iter()
        .chain(HIJRI_SPLIT.iter())
        .any(|(a, _, _)| *a == w)
}

/// Is `w` the second word of a two-word month name (الاول, الثاني …)?
pub(crate) fn is_month_second_word(w: &str) -> bool {
    GREGORIAN_SPLIT
        .iter()
        .chain(HIJRI_SPLIT.iter())
        .any(|(_, b, _)| *b == Some(w))
}

/// Relative day words («اليوم», «أمس», «أول أمس», «الليلة الماضية»).
const RELATIVE_DAY_WORDS: &[&str] = &["اليوم", "امس", "البارحه", "اول", "الليله"];
/// Words that open a count back in time («قبل يومين», «منذ أسبوع»).
const AGO_WORDS: &[&str] = &["قبل", "منذ", "وقبل", "ومنذ", "فقبل", "فمنذ"];
/// Words before a span of the last hours or days («خلال الساعات …»).
const SPAN_LEADS: &[&str] = &["خلال", "مدي", "طيله", "طوال", "في"];
/// Units of a span of the last hours or days («الأيام الثلاثة الماضية»).
const SPAN_UNITS: &[&str] = &["الساعات", "الساعتين", "الايام", "اليومين"];
/// Periods named relative to publication, years and seasons.
const PERIOD_WORDS: &[&str] = &[
    "الاسبوع",
    "الشهر",
    "العام",
    "السنه",
    "عام",
    "سنه",
    "صيف",
    "شتاء",
    "ربيع",
    "خريف",
];
/// Day numbers written as words beyond the ordinals.
const DAY_WORDS: &[&str] = &["العشرين", "الثلاثين", "الحادي"];

/// Every word (loose-folded, as written or after one proclitic letter) that
/// can open a date expression: the matcher is only tried at these tokens and
/// at tokens that start with a digit («25/10», «الـ24 ساعة»). The set is the
/// union of the first words each branch of [`Ctx::at`] accepts, so skipping
/// other tokens finds exactly the same dates; most words of a text are not
/// in it, and trying every branch at every word was most of the cost.
static DATE_OPENERS: LazyLock<rustc_hash::FxHashSet<&'static str>> = LazyLock::new(|| {
    let mut set: rustc_hash::FxHashSet<&'static str> = DAY_PREFIXES
        .iter()
        .chain(RELATIVE_DAY_WORDS)
        .chain(AGO_WORDS)
        .chain(SPAN_LEADS)
        .chain(SPAN_UNITS)
        .chain(PERIOD_WORDS)
        .chain(DAY_WORDS)
        .copied()
        .collect();
    set.extend(ORDINALS.iter().map(|(w, _)| *w));
    set.extend(WEEKDAYS.iter().map(|(w, _)| *w));
    set.extend(PART_WORDS.iter().map(|(w, _)| *w));
    set.extend(GREGORIAN_SPLIT.iter().map(|(a, _, _)| *a));
    set
});

/// Can a date expression start at a token written `w`?
fn may_open_date(w: &str) -> bool {
    if w.starts_with(|c: char| c.is_ascii_digit())
        || w.strip_prefix("ال")
            .is_some_and(|r| r.starts_with(|c: char| c.is_ascii_digit()))
    {
        return true;
    }
    DATE_OPENERS.contains(w) || DATE_OPENERS.contains(strip_proclitic(w))
}

/// Resolver state: the tokens and the publication day.
struct Ctx<'t, 'a> {
    n: &'t Normalized,
    toks: &'t [Tok<'a>],
    published: Date,
}

/// A match in token coordinates.
struct Hit {
    /// Tokens `from..to`.
    to: usize,
    start: Date,
    end: Date,
    precision: DatePrecision,
    relative: bool,
    kind: DateKind,
}

impl Hit {
    fn day(to: usize, d: Date, relative: bool, kind: DateKind) -> Hit {
        Hit {
            to,
            start: d,
            end: d,
            precision: DatePrecision::Day,
            relative,
            kind,
        }
    }
}

fn last_day(y: i16, m: i8) -> Option<Date> {
    Some(Date::new(y, m, 1).ok()?.last_of_month())
}

/// Most recent `wd` on or before (or strictly before) `day`.
fn weekday_before(day: Date, wd: Weekday, strict: bool) -> Date {
    let back = (day.weekday().to_sunday_zero_offset() - wd.to_sunday_zero_offset()).rem_euclid(7);
    let back = if strict && back == 0 { 7 } else { back };
    day.checked_sub(i64::from(back).days()).unwrap_or(day)
}

fn weekday_after(day: Date, wd: Weekday) -> Date {
    let fwd = (wd.to_sunday_zero_offset() - day.weekday().to_sunday_zero_offset()).rem_euclid(7);
    let fwd = if fwd == 0 { 7 } else { fwd };
    day.checked_add(i64::from(fwd).days()).unwrap_or(day)
}

/// Sunday of the week holding `day` (weeks run Sunday to Saturday).
fn week_start(day: Date) -> Date {
    weekday_before(day, Weekday::Sunday, false)
}

fn minus_days(d: Date, n: i64) -> Option<Date> {
    d.checked_sub(jiff::Span::new().try_days(n).ok()?).ok()
}

impl<'a> Ctx<'_, 'a> {
    fn text(&self, i: usize) -> Option<&'a str> {
        self.toks.get(i).map(|t| t.text)
    }

    /// Token `i` follows the previous one with only spaces between.
    fn tight(&self, i: usize) -> Option<&'a str> {
        self.toks.get(i).filter(|t| t.tight).map(|t| t.text)
    }

    /// Token `i` follows the previous one with only spaces and the given
    /// punctuation between.
    fn near(&self, i: usize, allowed: &str) -> Option<&'a str> {
        let t = self.toks.get(i)?;
        if i == 0 {
            return None;
        }
        let gap = &self.n.text[self.toks[i - 1].norm.end..t.norm.start];
        gap.chars()
            .all(|c| c == ' ' || allowed.contains(c))
            .then_some(t.text)
    }

    fn weekday(&self, i: usize, first: bool) -> Option<Weekday> {
        let w = self.text(i)?;
        let find = |w: &str| WEEKDAYS.iter().find(|(n, _)| *n == w).map(|x| x.1);
        find(w).or_else(|| {
            if first {
                find(strip_proclitic_keep_al(w))
            } else {
                None
            }
        })
    }

    /// A month name at `i` of the given table: (month, tokens used).
    fn month_in(&self, i: usize, table: &[MonthName], first: bool) -> Option<(i8, usize)> {
        let raw = self.text(i)?;
        let second = self.tight(i + 1);
        let candidates = [Some(raw), first.then(|| strip_proclitic_keep_al(raw))];
        for w in candidates.into_iter().flatten() {
            for (a, b, m) in table {
                if *a != w {
                    continue;
                }
                match b {
                    None => return Some((*m, 1)),
                    Some(b) if second == Some(*b) => return Some((*m, 2)),
                    _ => {}
                }
            }
        }
        None
    }

    /// A Gregorian month at `i`, with an optional second name of the other
    /// set after «/», «-» or in brackets: (month, next token).
    fn greg_month(&self, i: usize, first: bool) -> Option<(i8, usize)> {
        let (m, n) = self.month_in(i, &GREGORIAN_SPLIT, first)?;
        let mut e = i + n;
        if self.near(e, "/()-–").is_some()
            && let Some((_, n2)) = self.month_in(e, &GREGORIAN_SPLIT, false)
        {
            e += n2;
        }
        Some((m, e))
    }

    /// A year at `i` (four digits), allowing brackets or a comma before it,
    /// and an optional era word after it: (year, next token).
    fn year(&self, i: usize) -> Option<(i16, usize)> {
        let w = self.near(i, "(),،-")?;
        let y = parse_year(w)?;
        let mut e = i + 1;
        if matches!(self.tight(e), Some("م" | "ميلادي" | "للميلاد")) {
            e += 1;
        }
        Some((y, e))
    }

    fn year_any(&self, i: usize) -> Option<(i16, usize)> {
        let w = self.text(i)?;
        let y = parse_year(w)?;
        Some((y, i + 1))
    }

    /// A day of the month at `i`: digits 1..=31 or an ordinal.
    fn day_number(&self, i: usize) -> Option<(i8, usize)> {
        let w = self.text(i)?;
        if w.len() <= 2 && w.bytes().all(|b| b.is_ascii_digit()) {
            let d: i8 = w.parse().ok()?;
            return (1..=31).contains(&d).then_some((d, i + 1));
        }
        let w = strip_proclitic_keep_al(w);
        match w {
            "العشرين" => return Some((20, i + 1)),
            "الثلاثين" => return Some((30, i + 1)),
            "الحادي" => {
                return match self.tight(i + 1)? {
                    "عشر" => Some((11, i + 2)),
                    "والعشرين" => Some((21, i + 2)),
                    "والثلاثين" => Some((31, i + 2)),
                    _ => None,
                };
            }
            _ => {}
        }
        let (_, d) = ORDINALS.iter().find(|(n, _)| *n == w)?;
        match self.tight(i + 1) {
            Some("عشر") if *d >= 2 && *d <= 9 => Some((10 + d, i + 2)),
            Some("والعشرين") if *d <= 9 => Some((20 + d, i + 2)),
            _ => Some((*d, i + 1)),
        }
    }

    /// Day [من] month [year], Gregorian or Hijri, with day ranges
    /// («20 و25 تشرين», «20 - 25 تشرين», «من 20 إلى 25 …»).
    fn explicit(&self, i: usize) -> Option<Hit> {
        let (d1, k) = self.day_number(i)?;
        let second = if matches!(self.tight(k), Some("و" | "الي" | "حتي")) {
            self.day_number(k + 1)
        } else if let Some(rest) = self.tight(k).and_then(|w| w.strip_prefix('و'))
            && !rest.is_empty()
            && rest.len() <= 2
            && rest.bytes().all(|b| b.is_ascii_digit())
        {
            rest.parse::<i8>()
                .ok()
                .filter(|d| (1..=31).contains(d))
                .map(|d| (d, k + 1))
        } else if self.toks.get(k).is_some_and(|t| !t.tight) && self.near(k, "-–").is_some() {
            self.day_number(k)
        } else {
            None
        };
        if let Some((d2, e)) = second
            && d2 > d1
            && let Some(h) = self.explicit_tail(e, Some(d1), d2)
        {
            return Some(h);
        }
        self.explicit_tail(k, None, d1)
    }

    /// After the day(s): [من] month [year].
    fn explicit_tail(&self, mut k: usize, from: Option<i8>, day: i8) -> Option<Hit> {
        if self.tight(k) == Some("من") {
            k += 1;
        }
        self.tight(k)?;
        if let Some((m, e)) = self.greg_month(k, false) {
            let (year, e2, relative) = match self.year(e) {
                Some((y, e2)) => (Some(y), e2, false),
                None => (None, e, true),
            };
            let end = self.resolve_ymd(year, m, day)?;
            let start = match from {
                Some(d) => end.with().day(d).build().ok()?,
                None => end,
            };
            return Some(Hit {
                to: e2,
                start,
                end,
                precision: DatePrecision::Day,
                relative,
                kind: DateKind::MonthName,
            });
        }
        if let Some((m, n)) = self.month_in(k, &HIJRI_SPLIT, false) {
            let mut e = k + n;
            let mut hy = None;
            if let Some(w) = self.near(e, "(),،-")
                && let Ok(y) = w.parse::<i32>()
                && (1300..=1600).contains(&y)
            {
                hy = Some(y);
                e += 1;
            }
            if matches!(self.tight(e), Some("ه" | "هجري" | "هجريه" | "للهجره")) {
                e += 1;
            }
            let (hy, relative) = match hy {
                Some(y) => (y, false),
                None => (hijri_year_of(self.published)?, true),
            };
            let mut hy = hy;
            let mut end = hijri_to_gregorian(hy, m, day)?;
            if relative && end > self.published {
                hy -= 1;
                end = hijri_to_gregorian(hy, m, day)?;
            }
            let start = match from {
                Some(d) => hijri_to_gregorian(hy, m, d).unwrap_or(end),
                None => end,
            };
            return Some(Hit {
                to: e,
                start,
                end,
                precision: DatePrecision::Day,
                relative,
                kind: DateKind::Hijri,
            });
        }
        None
    }

    /// Year given or the most recent (y, m, d) on or before publication.
    fn resolve_ymd(&self, year: Option<i16>, m: i8, d: i8) -> Option<Date> {
        match year {
            Some(y) => Date::new(y, m, d).ok(),
            None => {
                let y = self.published.year();
                match Date::new(y, m, d) {
                    Ok(x) if x <= self.published => Some(x),
                    _ => Date::new(y - 1, m, d).ok(),
                }
            }
        }
    }

    /// Month [year] (month precision), at `i` after a cue or with a year.
    fn month_only(&self, i: usize, cued: bool, part: Option<Part>) -> Option<Hit> {
        let (m, e) = self.greg_month(i, true)?;
        let p = self.published;
        // «تشرين الأول الماضي»: the last such month before the publication
        // month; «… المقبل»: the next one after it; «… الجاري»: this year's.
        let tail = self.tight(e);
        let (y, e2, relative) = match self.year(e) {
            Some((y, e2)) => (y, e2, false),
            // «آب من العام الماضي», «شباط من السنة الجارية».
            None if tail == Some("من")
                && matches!(self.tight(e + 1), Some("العام" | "السنه"))
                && self
                    .tight(e + 2)
                    .is_some_and(|w| PAST_WORDS.contains(&w) || CURRENT_WORDS.contains(&w)) =>
            {
                let past = self.tight(e + 2).is_some_and(|w| PAST_WORDS.contains(&w));
                (if past { p.year() - 1 } else { p.year() }, e + 3, true)
            }
            None if tail.is_some_and(|w| PAST_WORDS.contains(&w)) => {
                let y = if m < p.month() {
                    p.year()
                } else {
                    p.year() - 1
                };
                (y, e + 1, true)
            }
            None if tail.is_some_and(|w| NEXT_WORDS.contains(&w)) => {
                let y = if m > p.month() {
                    p.year()
                } else {
                    p.year() + 1
                };
                (y, e + 1, true)
            }
            None if tail.is_some_and(|w| CURRENT_WORDS.contains(&w)) => (p.year(), e + 1, true),
            None if cued || part.is_some() => {
                let p = self.published;
                let y = if m > p.month() {
                    p.year() - 1
                } else {
                    p.year()
                };
                (y, e, true)
            }
            None => return None,
        };
        let first = Date::new(y, m, 1).ok()?;
        let last = first.last_of_month();
        let (start, end) = apply_month_part(first, last, part);
        Some(Hit {
            to: e2,
            start,
            end,
            precision: DatePrecision::Month,
            relative,
            kind: DateKind::MonthName,
        })
    }

    /// A relative day word at `i`: (date, next token).
    fn relative_day(&self, i: usize, first: bool) -> Option<(Date, usize)> {
        let raw = self.text(i)?;
        self.relative_day_word(raw, i).or_else(|| {
            let stripped = strip_proclitic_keep_al(raw);
            if first && stripped != raw {
                self.relative_day_word(stripped, i)
            } else {
                None
            }
        })
    }

    fn relative_day_word(&self, w: &str, i: usize) -> Option<(Date, usize)> {
        let p = self.published;
        match w {
            "اليوم" => {
                // «حوران اليوم»: the end of a quoted name, not a day.
                let after = &self.n.text[self.toks[i].norm.end..];
                if after.starts_with(['»', '”', '"']) {
                    return None;
                }
                if matches!(
                    self.tight(i + 1),
                    Some("التالي" | "السابق" | "نفسه" | "ذاته" | "الاول" | "الثاني" | "الثالث")
                ) {
                    return None;
                }
                // «في مثل هذا اليوم من عام 2013»: this day of that year; an
                // anniversary with no year is no day at all.
                if i >= 2
                    && self.tight(i - 1) == Some("هذا")
                    && self.text(i - 2).map(strip_proclitic_keep_al) == Some("مثل")
                {
                    let mut k = i + 1;
                    if self.tight(k) == Some("من") {
                        k += 1;
                    }
                    if matches!(self.tight(k), Some("عام" | "العام" | "سنه" | "السنه"))
                    {
                        k += 1;
                    }
                    let (y, e) = self.year(k)?;
                    return Some((Date::new(y, p.month(), p.day()).ok()?, e));
                }
                Some((p, i + 1))
            }
            "امس" | "البارحه" => {
                if self.tight(i + 1) == Some("الاول") {
                    return Some((minus_days(p, 2)?, i + 2));
                }
                Some((minus_days(p, 1)?, i + 1))
            }
            "اول" => {
                let mut k = i + 1;
                if self.tight(k) == Some("من") {
                    k += 1;
                }
                (self.tight(k) == Some("امس")).then(|| Some((minus_days(p, 2)?, k + 1)))?
            }
            "الليله" if self.tight(i + 1).is_some_and(|x| PAST_WORDS.contains(&x)) => {
                Some((minus_days(p, 1)?, i + 2))
            }
            _ => None,
        }
    }

    /// A day expression starting at `i` (after any day prefix).
    fn day_expression(&self, i: usize, first: bool) -> Option<Hit> {
        // Relative day, optionally followed by its weekday and/or explicit date.
        if let Some((d, mut e)) = self.relative_day(i, first) {
            let mut hit = Hit::day(e, d, true, DateKind::RelativeDay);
            if self.weekday(e, false).is_some() && self.toks[e].tight {
                e += 1;
                hit.to = e;
            }
            if self.near(e, "(),،-").is_some()
                && let Some(x) = self.explicit(e).or_else(|| self.numeric(e))
            {
                return Some(x);
            }
            return Some(hit);
        }
        if let Some(wd) = self.weekday(i, first) {
            let mut e = i + 1;
            let p = self.published;
            let mut date = weekday_before(p, wd, false);
            if let Some(x) = self.tight(e) {
                if PAST_WORDS.contains(&x) {
                    date = weekday_before(p, wd, true);
                    e += 1;
                } else if NEXT_WORDS.contains(&x) {
                    date = weekday_after(p, wd);
                    e += 1;
                }
            }
            if self.near(e, "(),،-").is_some()
                && let Some(x) = self.explicit(e).or_else(|| self.numeric(e))
            {
                return Some(x);
            }
            return Some(Hit::day(e, date, true, DateKind::Weekday));
        }
        None
    }

    /// `قبل/منذ` + count + unit.
    fn ago(&self, i: usize) -> Option<Hit> {
        let w = self.text(i)?;
        if !AGO_WORDS.contains(&w) {
            return None;
        }
        let k = i + 1;
        self.tight(k)?;
        let p = self.published;
        // Vague: «قبل أيام», «قبل ساعات».
        match self.text(k)? {
            "ساعات" | "ساعه" | "ساعتين" | "قليل" => {
                return Some(Hit::day(k + 1, p, true, DateKind::RelativeDay));
            }
            "ايام" => {
                return Some(Hit {
                    to: k + 1,
                    start: minus_days(p, 7)?,
                    end: minus_days(p, 1)?,
                    precision: DatePrecision::Week,
                    relative: true,
                    kind: DateKind::RelativeDay,
                });
            }
            _ => {}
        }
        let (count, unit_at) = match number_at(self.toks, k) {
            Some((n, e)) if self.tight(e).is_some() => (n as i64, e),
            _ => (0, k),
        };
        let unit = self.text(unit_at)?;
        // «منذ عام 2018» is «since the year 2018», not «a year ago».
        if self.tight(unit_at + 1).and_then(parse_year).is_some() {
            return None;
        }
        let (days, weeks, months, years) = match (count, unit) {
            (0, "يوم") => (1, 0, 0, 0),
            (0, "يومين" | "يومان") => (2, 0, 0, 0),
            (0, "اسبوع") => (0, 1, 0, 0),
            (0, "اسبوعين") => (0, 2, 0, 0),
            (0, "شهر") => (0, 0, 1, 0),
            (0, "شهرين") => (0, 0, 2, 0),
            (0, "عام" | "سنه") => (0, 0, 0, 1),
            (0, "عامين" | "سنتين") => (0, 0, 0, 2),
            (n, "يوم" | "ايام" | "يوما") if n > 0 => (n, 0, 0, 0),
            (n, "اسبوع" | "اسابيع" | "اسبوعا") if n > 0 => (0, n, 0, 0),
            (n, "شهر" | "اشهر" | "شهور" | "شهرا") if n > 0 => (0, 0, n, 0),
            (n, "عام" | "اعوام" | "عاما" | "سنه" | "سنوات" | "سنين") if n > 0 => {
                (0, 0, 0, n)
            }
            (n, "ساعه" | "ساعات") if n > 0 => (n / 24, 0, 0, 0),
            _ => return None,
        };
        if days > 0 || (weeks == 0 && months == 0 && years == 0) {
            return Some(Hit::day(
                unit_at + 1,
                minus_days(p, days)?,
                true,
                DateKind::RelativeDay,
            ));
        }
        if weeks > 0 {
            let d = minus_days(p, weeks.checked_mul(7)?)?;
            return Some(Hit {
                to: unit_at + 1,
                start: d,
                end: d,
                precision: DatePrecision::Week,
                relative: true,
                kind: DateKind::RelativeWeek,
            });
        }
        let span = jiff::Span::new()
            .try_months(months)
            .ok()?
            .try_years(years)
            .ok()?;
        let d = p.checked_sub(span).ok()?;
        Some(Hit {
            to: unit_at + 1,
            start: d,
            end: d,
            precision: DatePrecision::Month,
            relative: true,
            kind: if years > 0 {
                DateKind::RelativeYear
            } else {
                DateKind::RelativeMonth
            },
        })
    }

    /// «(خلال) الساعات الأربع والعشرين الماضية», «الـ24 ساعة الماضية»,
    /// «اليومين الماضيين», «الأيام الثلاثة الماضية»: from N days back to the
    /// publication day (hours round up to days; fewer than 24 hours is the
    /// publication day). «الأيام الماضية» with no count is the last week,
    /// precision week.
    fn past_span(&self, i: usize) -> Option<Hit> {
        let mut k = i;
        if one_of(self.text(k)?, SPAN_LEADS).is_some() {
            k += 1;
            self.tight(k)?;
        }
        let first = self.text(k)?;
        let p = self.published;
        let is_past = |w: Option<&str>| {
            w.is_some_and(|w| {
                PAST_WORDS.contains(&w)
                    || matches!(w, "الماضيين" | "الاخيره" | "الاخيرين" | "الفائتين")
            })
        };
        // «الـ24 ساعة الماضية».
        if let Some(digits) = first.strip_prefix("ال")
            && !digits.is_empty()
            && digits.bytes().all(|b| b.is_ascii_digit())
        {
            let n: i64 = digits.parse().ok()?;
            let unit = self.tight(k + 1)?;
            if !is_past(self.tight(k + 2)) {
                return None;
            }
            let days = match unit {
                "ساعه" | "ساعات" => (n + 23) / 24,
                "يوما" | "يوم" | "ايام" => n,
                _ => return None,
            };
            return self.back_span(days, k + 3, DatePrecision::Day);
        }
        let (unit_days, dual) = match first {
            "الساعات" => (0, false),
            "الساعتين" => (0, true),
            "الايام" => (1, false),
            "اليومين" => (1, true),
            _ => return None,
        };
        let mut e = k + 1;
        let mut count: Option<i64> = dual.then_some(2);
        if count.is_none() {
            // A definite number: strip «ال» from its words («الأربع والعشرين»).
            let slice = &self.toks[e..self.toks.len().min(e + 3)];
            let words: Vec<String> = slice
                .iter()
                .map(|t| {
                    if let Some(r) = t.text.strip_prefix("وال").filter(|r| !r.is_empty()) {
                        format!("و{r}")
                    } else {
                        t.text
                            .strip_prefix("ال")
                            .filter(|r| !r.is_empty())
                            .unwrap_or(t.text)
                            .to_string()
                    }
                })
                .collect();
            let window: Vec<Tok<'_>> = slice
                .iter()
                .zip(&words)
                .map(|(t, w)| Tok {
                    text: w.as_str(),
                    norm: t.norm.clone(),
                    tight: t.tight,
                })
                .collect();
            if window.first().is_some_and(|t| t.tight)
                && let Some((n, used)) = number_at(&window, 0)
            {
                count = Some(n as i64);
                e += used;
            }
        }
        if !is_past(self.tight(e)) {
            return None;
        }
        e += 1;
        match (unit_days, count) {
            (0, Some(h)) => self.back_span((h + 23) / 24, e, DatePrecision::Day),
            (0, None) => self.back_span(0, e, DatePrecision::Day),
            (_, Some(d)) => self.back_span(d, e, DatePrecision::Day),
            (_, None) => Some(Hit {
                to: e,
                start: minus_days(p, 7)?,
                end: p,
                precision: DatePrecision::Week,
                relative: true,
                kind: DateKind::RelativeDay,
            }),
        }
    }

    fn back_span(&self, days: i64, to: usize, precision: DatePrecision) -> Option<Hit> {
        Some(Hit {
            to,
            start: minus_days(self.published, days)?,
            end: self.published,
            precision,
            relative: true,
            kind: DateKind::RelativeDay,
        })
    }

    /// «[part] الأسبوع/الشهر/العام + الماضي/الجاري», «[part] العام 2014», seasons.
    fn period(&self, i: usize) -> Option<Hit> {
        let mut k = i;
        let part = part_of(self.text(k)?);
        if part.is_some() {
            k += 1;
            self.tight(k)?;
        }
        let w = self.text(k)?;
        let w = if part.is_some() {
            w
        } else {
            strip_proclitic_keep_al(w)
        };
        let p = self.published;
        let next = self.tight(k + 1);
        let when = |x: Option<&str>| -> Option<i8> {
            match x {
                Some(x) if PAST_WORDS.contains(&x) => Some(-1),
                Some(x) if CURRENT_WORDS.contains(&x) => Some(0),
                Some(x) if NEXT_WORDS.contains(&x) => Some(1),
                _ => None,
            }
        };
        match w {
            "الاسبوع" => {
                let rel = when(next).or(if part.is_some() { Some(0) } else { None })?;
                let e = if when(next).is_some() { k + 2 } else { k + 1 };
                let sunday = week_start(p)
                    .checked_add((7 * i64::from(rel)).days())
                    .ok()?;
                let saturday = sunday.checked_add(6.days()).ok()?;
                let (start, end) = match part {
                    Some(Part::Early) => (sunday, sunday),
                    Some(Part::Mid) => (
                        sunday.checked_add(2.days()).ok()?,
                        sunday.checked_add(4.days()).ok()?,
                    ),
                    Some(Part::Late) => (sunday.checked_add(4.days()).ok()?, saturday),
                    None if rel == 0 => (sunday, p),
                    None => (sunday, saturday),
                };
                Some(Hit {
                    to: e,
                    start,
                    end,
                    precision: DatePrecision::Week,
                    relative: true,
                    kind: DateKind::RelativeWeek,
                })
            }
            "الشهر" => {
                let rel = when(next).or(if part.is_some() { Some(0) } else { None })?;
                let e = if when(next).is_some() { k + 2 } else { k + 1 };
                let first = p
                    .first_of_month()
                    .checked_add(i64::from(rel).months())
                    .ok()?;
                let last = first.last_of_month();
                let (start, end) = match part {
                    None if rel == 0 => (first, p),
                    _ => apply_month_part(first, last, part),
                };
                Some(Hit {
                    to: e,
                    start,
                    end,
                    precision: DatePrecision::Month,
                    relative: true,
                    kind: DateKind::RelativeMonth,
                })
            }
            "العام" | "السنه" | "عام" | "سنه" => {
                let (y, e, relative, kind) = if let Some(r) = when(next) {
                    (p.year() + i16::from(r), k + 2, true, DateKind::RelativeYear)
                } else if let Some((y, e)) = self.year_any(k + 1).filter(|_| next.is_some()) {
                    (y, e, false, DateKind::Year)
                } else if part.is_some() && matches!(w, "العام" | "السنه") {
                    (p.year(), k + 1, true, DateKind::RelativeYear)
                } else {
                    return None;
                };
                year_hit(y, e, part, relative, kind)
            }
            "صيف" | "شتاء" | "ربيع" | "خريف" if part.is_none() => {
                // Not the Hijri months ربيع الأول/الثاني.
                if w == "ربيع" && matches!(next, Some("الاول" | "الثاني" | "الاخر"))
                {
                    return None;
                }
                let (y, e) = if let Some(r) = when(next).filter(|_| false) {
                    (p.year() + i16::from(r), k + 2)
                } else if matches!(next, Some("العام" | "عام")) {
                    match when(self.tight(k + 2)) {
                        Some(r) => (p.year() + i16::from(r), k + 3),
                        None => self
                            .year_any(k + 2)
                            .filter(|_| self.tight(k + 2).is_some())?,
                    }
                } else if next.is_some() {
                    self.year_any(k + 1)?
                } else {
                    return None;
                };
                let (m0, m1) = match w {
                    "صيف" => (6, 8),
                    "خريف" => (9, 11),
                    "ربيع" => (3, 5),
                    _ => (1, 2),
                };
                let start = Date::new(y, m0, 1).ok()?;
                let end = last_day(y, m1)?;
                Some(Hit {
                    to: e,
                    start,
                    end,
                    precision: DatePrecision::Month,
                    relative: false,
                    kind: DateKind::Year,
                })
            }
            _ if part.is_some() => {
                if let Some((y, e)) = self.year_any(k) {
                    return year_hit(y, e, part, false, DateKind::Year);
                }
                self.month_only(k, true, part)
            }
            _ => None,
        }
    }

    /// Numeric date starting at token `i`.
    fn numeric(&self, i: usize) -> Option<Hit> {
        let t = self.toks.get(i)?;
        let (start, end, len) = parse_numeric_date(&self.n.text[t.norm.start..])?;
        let stop = t.norm.start + len;
        let mut e = i;
        while e < self.toks.len() && self.toks[e].norm.start < stop {
            e += 1;
        }
        Some(Hit {
            to: e,
            start,
            end,
            precision: DatePrecision::Day,
            relative: false,
            kind: DateKind::Numeric,
        })
    }

    /// Any date expression starting at token `i`.
    fn at(&self, i: usize) -> Option<Hit> {
        if let Some(h) = self.numeric(i) {
            return Some(h);
        }
        // Day prefixes: «صباح اليوم», «يوم الجمعة», «ليلة أمس».
        let w = one_of(self.text(i)?, DAY_PREFIXES).unwrap_or_default();
        if !w.is_empty() && self.tight(i + 1).is_some() {
            let k = i + 1;
            if let Some(h) = self.day_expression(k, false).or_else(|| self.explicit(k)) {
                return Some(h);
            }
            if w == "يوم"
                && let Some(h) = self.numeric(k)
            {
                return Some(h);
            }
        }
        if let Some(h) = self.explicit(i) {
            return Some(h);
        }
        if let Some(h) = self.day_expression(i, true) {
            return Some(h);
        }
        if let Some(h) = self.ago(i) {
            return Some(h);
        }
        if let Some(h) = self.past_span(i) {
            return Some(h);
        }
        if let Some(h) = self.period(i) {
            return Some(h);
        }
        // A month name alone after a cue, or with a year.
        // The cue may carry a conjunction («وفي آب», «وخلال أيار»).
        let cued =
            i > 0 && self.toks[i].tight && one_of(self.toks[i - 1].text, MONTH_CUES).is_some();
        self.month_only(i, cued, None)
    }
}

fn year_hit(y: i16, e: usize, part: Option<Part>, relative: bool, kind: DateKind) -> Option<Hit> {
    let (m0, m1) = match part {
        None => (1, 12),
        Some(p) => YEAR_PART_MONTHS[p as usize],
    };
    Some(Hit {
        to: e,
        start: Date::new(y, m0, 1).ok()?,
        end: last_day(y, m1)?,
        precision: DatePrecision::Month,
        relative,
        kind,
    })
}

fn apply_month_part(first: Date, last: Date, part: Option<Part>) -> (Date, Date) {
    match part {
        None => (first, last),
        Some(p) => {
            let (a, b) = MONTH_PART_DAYS[p as usize];
            let start = first.with().day(a).build().unwrap_or(first);
            let end = if b >= last.day() {
                last
            } else {
                first.with().day(b).build().unwrap_or(last)
            };
            (start, end)
        }
    }
}

/// The entry of `list` that `w` is, as written or after one proclitic letter.
fn one_of<'w>(w: &'w str, list: &[&str]) -> Option<&'w str> {
    if list.contains(&w) {
        return Some(w);
    }
    let s = strip_proclitic(w);
    list.contains(&s).then_some(s)
}

/// Strip one proclitic letter (و ف ب ل) but keep a word that starts with ال.
fn strip_proclitic_keep_al(w: &str) -> &str {
    if w.starts_with("ال") {
        return w;
    }
    strip_proclitic(w)
}

fn parse_year(w: &str) -> Option<i16> {
    if w.len() != 4 || !w.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    let y: i16 = w.parse().ok()?;
    (MIN_YEAR..=MAX_YEAR).contains(&y).then_some(y)
}

/// Parse a numeric date at the start of `s` (normalised, ASCII digits):
/// (date, date, bytes used).
fn parse_numeric_date(s: &str) -> Option<(Date, Date, usize)> {
    let b = s.as_bytes();
    let digits =
        |from: usize| -> usize { b[from..].iter().take_while(|c| c.is_ascii_digit()).count() };
    let n1 = digits(0);
    if n1 == 0 || n1 > 4 {
        return None;
    }
    let sep = *b.get(n1)?;
    if !matches!(sep, b'/' | b'-' | b'.') {
        return None;
    }
    let n2 = digits(n1 + 1);
    if n2 == 0 || n2 > 2 || b.get(n1 + 1 + n2) != Some(&sep) {
        return None;
    }
    let p3 = n1 + 1 + n2 + 1;
    let n3 = digits(p3);
    if n3 == 0 || n3 > 4 {
        return None;
    }
    let len = p3 + n3;
    // Not part of a longer digit run or a fourth group.
    if b.get(len).is_some_and(|c| c.is_ascii_digit())
        || (b.get(len) == Some(&sep) && b.get(len + 1).is_some_and(|c| c.is_ascii_digit()))
    {
        return None;
    }
    let a: i32 = s[..n1].parse().ok()?;
    let m: i32 = s[n1 + 1..n1 + 1 + n2].parse().ok()?;
    let c: i32 = s[p3..len].parse().ok()?;
    let (y, d) = if n1 == 4 {
        (a, c)
    } else if n3 == 4 {
        (c, a)
    } else if n3 == 2 && sep == b'/' {
        (2000 + c, a)
    } else {
        return None;
    };
    if n1 == 4 && n3 > 2 {
        return None;
    }
    if !(i32::from(MIN_YEAR)..=i32::from(MAX_YEAR)).contains(&y) {
        return None;
    }
    let date = Date::new(y as i16, i8::try_from(m).ok()?, i8::try_from(d).ok()?).ok()?;
    Some((date, date, len))
}

fn hijri_to_gregorian(year: i32, month: i8, day: i8) -> Option<Date> {
    use icu_calendar::Date as IcuDate;
    use icu_calendar::cal::Hijri;
    let h = IcuDate::try_new_hijri_with_calendar(
        year,
        u8::try_from(month).ok()?,
        u8::try_from(day).ok()?,
        Hijri::new_umm_al_qura(),
    )
    .ok()?;
    let iso = h.to_iso();
    Date::new(
        i16::try_from(iso.extended_year()).ok()?,
        i8::try_from(iso.month().ordinal).ok()?,
        i8::try_from(iso.day_of_month().0).ok()?,
    )
    .ok()
}

fn hijri_year_of(d: Date) -> Option<i32> {
    use icu_calendar::Date as IcuDate;
    use icu_calendar::cal::Hijri;
    let iso = IcuDate::try_new_iso(
        i32::from(d.year()),
        u8::try_from(d.month()).ok()?,
        u8::try_from(d.day()).ok()?,
    )
    .ok()?;
    Some(iso.to_calendar(Hijri::new_umm_al_qura()).extended_year())
}

/// Convert a Hijri (Umm al-Qura) date to the Gregorian calendar.
pub fn hijri_date(year: i32, month: u8, day: u8) -> Result<Date, ArabicError> {
    let bad = || ArabicError::InvalidDate(format!("{day}/{month}/{year} AH"));
    hijri_to_gregorian(
        year,
        i8::try_from(month).map_err(|_| bad())?,
        i8::try_from(day).map_err(|_| bad())?,
    )
    .ok_or_else(bad)
}

/// A time zone by place name ([`zone_for_place`]), ISO country code, or IANA
/// name («Asia/Damascus»).
pub fn zone(name: &str) -> Result<TimeZone, ArabicError> {
    zone_for_place(name)
        .or_else(|| TimeZone::get(name.trim()).ok())
        .ok_or_else(|| ArabicError::UnknownZone(name.to_string()))
}

/// Find every date expression in `text`; `published` is the local
/// publication day (see [`publication_day`]).
pub fn find_dates(text: &str, published: Date) -> Vec<DateMention> {
    let n = normalize_with(text, &NormalizeOptions::LOOSE);
    let toks = tokenize(&n);
    let ctx = Ctx {
        n: &n,
        toks: &toks,
        published,
    };
    let mut out = Vec::new();
    let mut i = 0;
    while i < toks.len() {
        if !may_open_date(toks[i].text) {
            i += 1;
            continue;
        }
        match ctx.at(i) {
            Some(h) if h.to > i => {
                let norm = toks[i].norm.start..toks[h.to - 1].norm.end;
                out.push(DateMention {
                    range: n.original_range(norm),
                    start: h.start.min(h.end),
                    end: h.end.max(h.start),
                    precision: h.precision,
                    relative: h.relative,
                    kind: h.kind,
                });
                i = h.to;
            }
            _ => i += 1,
        }
    }
    out
}

/// The publication day in the zone of the place: the local calendar day of
/// the publication instant when its time and offset are known, else the
/// stated date.
pub fn publication_day(published: &rasd_model::PublishedTime, zone: &TimeZone) -> Date {
    match published.timestamp() {
        Some(ts) => zone.to_offset(ts).to_datetime(ts).date(),
        None => published.date,
    }
}

/// Places (loose-folded Arabic and lower-case English) and their IANA zones.
const PLACE_ZONES: &[(&str, &str)] = &[
    // Syria
    ("سوريا", "Asia/Damascus"),
    ("سوريه", "Asia/Damascus"),
    ("syria", "Asia/Damascus"),
    ("دمشق", "Asia/Damascus"),
    ("damascus", "Asia/Damascus"),
    ("ريف دمشق", "Asia/Damascus"),
    ("حلب", "Asia/Damascus"),
    ("aleppo", "Asia/Damascus"),
    ("حمص", "Asia/Damascus"),
    ("حماه", "Asia/Damascus"),
    ("درعا", "Asia/Damascus"),
    ("daraa", "Asia/Damascus"),
    ("ادلب", "Asia/Damascus"),
    ("idlib", "Asia/Damascus"),
    ("اللاذقيه", "Asia/Damascus"),
    ("طرطوس", "Asia/Damascus"),
    ("دير الزور", "Asia/Damascus"),
    ("الرقه", "Asia/Damascus"),
    ("raqqa", "Asia/Damascus"),
    ("الحسكه", "Asia/Damascus"),
    ("القامشلي", "Asia/Damascus"),
    ("السويداء", "Asia/Damascus"),
    ("القنيطره", "Asia/Damascus"),
    ("منبج", "Asia/Damascus"),
    ("عفرين", "Asia/Damascus"),
    ("البوكمال", "Asia/Damascus"),
    ("تدمر", "Asia/Damascus"),
    // Iraq
    ("العراق", "Asia/Baghdad"),
    ("iraq", "Asia/Baghdad"),
    ("بغداد", "Asia/Baghdad"),
    ("baghdad", "Asia/Baghdad"),
    ("الموصل", "Asia/Baghdad"),
    ("البصره", "Asia/Baghdad"),
    ("اربيل", "Asia/Baghdad"),
    ("كركوك", "Asia/Baghdad"),
    ("الانبار", "Asia/Baghdad"),
    ("الفلوجه", "Asia/Baghdad"),
    ("الرمادي", "Asia/Baghdad"),
    ("ديالي", "Asia/Baghdad"),
    ("صلاح الدين", "Asia/Baghdad"),
    ("السليمانيه", "Asia/Baghdad"),
    ("النجف", "Asia/Baghdad"),
    ("كربلاء", "Asia/Baghdad"),
    // Lebanon
    ("لبنان", "Asia/Beirut"),
    ("lebanon", "Asia/Beirut"),
    ("بيروت", "Asia/Beirut"),
    ("beirut", "Asia/Beirut"),
    ("صيدا", "Asia/Beirut"),
    ("صور", "Asia/Beirut"),
    ("بعلبك", "Asia/Beirut"),
    ("طرابلس لبنان", "Asia/Beirut"),
    // Yemen
    ("اليمن", "Asia/Aden"),
    ("yemen", "Asia/Aden"),
    ("صنعاء", "Asia/Aden"),
    ("sanaa", "Asia/Aden"),
    ("عدن", "Asia/Aden"),
    ("aden", "Asia/Aden"),
    ("مارب", "Asia/Aden"),
    ("marib", "Asia/Aden"),
    ("تعز", "Asia/Aden"),
    ("الحديده", "Asia/Aden"),
    ("حضرموت", "Asia/Aden"),
    // Libya («طرابلس» alone is taken as the Libyan capital)
    ("ليبيا", "Africa/Tripoli"),
    ("libya", "Africa/Tripoli"),
    ("طرابلس", "Africa/Tripoli"),
    ("tripoli", "Africa/Tripoli"),
    ("بنغازي", "Africa/Tripoli"),
    ("benghazi", "Africa/Tripoli"),
    ("مصراته", "Africa/Tripoli"),
    ("سرت", "Africa/Tripoli"),
    ("سبها", "Africa/Tripoli"),
    // Jordan («عمان» is taken as Amman; the Sultanate is «سلطنه عمان»)
    ("الاردن", "Asia/Amman"),
    ("jordan", "Asia/Amman"),
    ("عمان", "Asia/Amman"),
    ("amman", "Asia/Amman"),
    ("اربد", "Asia/Amman"),
    ("الزرقاء", "Asia/Amman"),
    // Turkey
    ("تركيا", "Europe/Istanbul"),
    ("turkey", "Europe/Istanbul"),
    ("turkiye", "Europe/Istanbul"),
    ("اسطنبول", "Europe/Istanbul"),
    ("istanbul", "Europe/Istanbul"),
    ("انقره", "Europe/Istanbul"),
    ("ankara", "Europe/Istanbul"),
    ("غازي عنتاب", "Europe/Istanbul"),
    ("عنتاب", "Europe/Istanbul"),
    ("gaziantep", "Europe/Istanbul"),
    ("انطاكيه", "Europe/Istanbul"),
    ("هاتاي", "Europe/Istanbul"),
    ("اورفا", "Europe/Istanbul"),
    // Egypt
    ("مصر", "Africa/Cairo"),
    ("egypt", "Africa/Cairo"),
    ("القاهره", "Africa/Cairo"),
    ("cairo", "Africa/Cairo"),
    ("الاسكندريه", "Africa/Cairo"),
    // Palestine and Israel
    ("فلسطين", "Asia/Hebron"),
    ("palestine", "Asia/Hebron"),
    ("رام الله", "Asia/Hebron"),
    ("الضفه الغربيه", "Asia/Hebron"),
    ("نابلس", "Asia/Hebron"),
    ("جنين", "Asia/Hebron"),
    ("الخليل", "Asia/Hebron"),
    ("غزه", "Asia/Gaza"),
    ("قطاع غزه", "Asia/Gaza"),
    ("gaza", "Asia/Gaza"),
    ("القدس", "Asia/Jerusalem"),
    ("jerusalem", "Asia/Jerusalem"),
    ("اسرائيل", "Asia/Jerusalem"),
    ("israel", "Asia/Jerusalem"),
    ("تل ابيب", "Asia/Jerusalem"),
    // Gulf
    ("قطر", "Asia/Qatar"),
    ("qatar", "Asia/Qatar"),
    ("الدوحه", "Asia/Qatar"),
    ("doha", "Asia/Qatar"),
    ("السعوديه", "Asia/Riyadh"),
    ("saudi arabia", "Asia/Riyadh"),
    ("الرياض", "Asia/Riyadh"),
    ("riyadh", "Asia/Riyadh"),
    ("جده", "Asia/Riyadh"),
    ("مكه", "Asia/Riyadh"),
    ("الامارات", "Asia/Dubai"),
    ("ابوظبي", "Asia/Dubai"),
    ("ابو ظبي", "Asia/Dubai"),
    ("دبي", "Asia/Dubai"),
    ("dubai", "Asia/Dubai"),
    ("الكويت", "Asia/Kuwait"),
    ("kuwait", "Asia/Kuwait"),
    ("البحرين", "Asia/Bahrain"),
    ("المنامه", "Asia/Bahrain"),
    ("سلطنه عمان", "Asia/Muscat"),
    ("مسقط", "Asia/Muscat"),
    ("oman", "Asia/Muscat"),
    // North Africa
    ("تونس", "Africa/Tunis"),
    ("tunisia", "Africa/Tunis"),
    ("tunis", "Africa/Tunis"),
    ("الجزائر", "Africa/Algiers"),
    ("algiers", "Africa/Algiers"),
    ("المغرب", "Africa/Casablanca"),
    ("الرباط", "Africa/Casablanca"),
    ("السودان", "Africa/Khartoum"),
    ("الخرطوم", "Africa/Khartoum"),
    // Others that appear as datelines
    ("ايران", "Asia/Tehran"),
    ("طهران", "Asia/Tehran"),
    ("tehran", "Asia/Tehran"),
    ("روسيا", "Europe/Moscow"),
    ("russia", "Europe/Moscow"),
    ("موسكو", "Europe/Moscow"),
    ("moscow", "Europe/Moscow"),
    ("سويسرا", "Europe/Zurich"),
    ("switzerland", "Europe/Zurich"),
    ("جنيف", "Europe/Zurich"),
    ("geneva", "Europe/Zurich"),
    ("لندن", "Europe/London"),
    ("london", "Europe/London"),
    ("باريس", "Europe/Paris"),
    ("paris", "Europe/Paris"),
    ("برلين", "Europe/Berlin"),
    ("berlin", "Europe/Berlin"),
    ("بروكسل", "Europe/Brussels"),
    ("brussels", "Europe/Brussels"),
    ("فيينا", "Europe/Vienna"),
    ("vienna", "Europe/Vienna"),
    ("واشنطن", "America/New_York"),
    ("washington", "America/New_York"),
    ("نيويورك", "America/New_York"),
    ("new york", "America/New_York"),
    ("استانا", "Asia/Almaty"),
    ("astana", "Asia/Almaty"),
];

/// ISO 3166 country codes and their main zone.
const COUNTRY_ZONES: &[(&str, &str)] = &[
    ("SY", "Asia/Damascus"),
    ("IQ", "Asia/Baghdad"),
    ("LB", "Asia/Beirut"),
    ("YE", "Asia/Aden"),
    ("LY", "Africa/Tripoli"),
    ("JO", "Asia/Amman"),
    ("TR", "Europe/Istanbul"),
    ("EG", "Africa/Cairo"),
    ("PS", "Asia/Hebron"),
    ("IL", "Asia/Jerusalem"),
    ("QA", "Asia/Qatar"),
    ("SA", "Asia/Riyadh"),
    ("AE", "Asia/Dubai"),
    ("KW", "Asia/Kuwait"),
    ("BH", "Asia/Bahrain"),
    ("OM", "Asia/Muscat"),
    ("TN", "Africa/Tunis"),
    ("DZ", "Africa/Algiers"),
    ("MA", "Africa/Casablanca"),
    ("SD", "Africa/Khartoum"),
    ("IR", "Asia/Tehran"),
    ("RU", "Europe/Moscow"),
    ("CH", "Europe/Zurich"),
    ("GB", "Europe/London"),
    ("FR", "Europe/Paris"),
    ("DE", "Europe/Berlin"),
    ("BE", "Europe/Brussels"),
    ("AT", "Europe/Vienna"),
    ("US", "America/New_York"),
    ("KZ", "Asia/Almaty"),
];

/// The time zone of a place named in Arabic or English («دمشق», «بغداد»,
/// «Geneva»), a country name, or an ISO country code («SY»). Clitics and the
/// words «مدينة/العاصمة» in front are ignored («بدمشق», «العاصمة دمشق»).
pub fn zone_for_place(name: &str) -> Option<TimeZone> {
    let trimmed = name.trim();
    if trimmed.len() == 2 && trimmed.bytes().all(|b| b.is_ascii_alphabetic()) {
        return zone_for_country(trimmed);
    }
    let key = crate::normalize::fold_loose(trimmed).to_lowercase();
    let key = key
        .strip_prefix("مدينه ")
        .or_else(|| key.strip_prefix("العاصمه "))
        .unwrap_or(&key)
        .to_string();
    let find = |k: &str| PLACE_ZONES.iter().find(|(n, _)| *n == k).map(|x| x.1);
    let zone = find(&key).or_else(|| {
        if key.contains(' ') {
            return None;
        }
        crate::clitics::clitic_analyses(&key)
            .into_iter()
            .skip(1)
            .filter(|a| a.suffix.is_empty())
            .find_map(|a| find(a.stem).or_else(|| find(&a.key())))
    })?;
    TimeZone::get(zone).ok()
}

/// The main time zone of an ISO 3166 alpha-2 country code.
pub fn zone_for_country(code: &str) -> Option<TimeZone> {
    let code = code.trim().to_ascii_uppercase();
    let zone = COUNTRY_ZONES.iter().find(|(c, _)| *c == code)?.1;
    TimeZone::get(zone).ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Sentences of our own with every form of date expression the matcher
    /// knows, each opened by a different kind of first word.
    const FORMS: &[&str] = &[
        "وقع الحادث في 12/3/2021 وتكرر يوم 2021-04-05 ثم في 5.6.2021.",
        "قصفت الطائرات صباح اليوم وأمس الأول وأول من أمس ليلة أمس والبارحة.",
        "انسحبت القوات الليلة الماضية بعد معارك يوم الجمعة الماضية والخميس المقبل.",
        "وصل الوفد في الخامس والعشرين من تشرين الأول 2022 وغادر في الحادي عشر من أيار.",
        "جرت الانتخابات بين 20 و25 كانون الثاني، ومن 3 إلى 7 شباط/فبراير 2020.",
        "وصل في 14 رمضان 1444 هـ، ثم في 2 ربيع الأول.",
        "قُتل قبل يومين ومنذ ثلاثة أيام وقبل أسبوع وقبل ساعات ومنذ أيام.",
        "خلال الساعات الأربع والعشرين الماضية والـ48 ساعة الماضية واليومين الماضيين.",
        "في الأيام الثلاثة الماضية، والأسبوع الماضي ومطلع الأسبوع الجاري.",
        "منتصف الشهر الجاري وأواخر العام الماضي وعام 2014 وأوائل العام 2015.",
        "صيف 2018 وخريف العام الماضي وفي شهر أيار وفي آب 2019 وبحزيران.",
        "الاثنين 25 أيلول، واليوم الثلاثاء 26 أيلول، وفي نهاية شهر آذار.",
    ];

    /// Every token where the matcher finds a date passes the opener filter:
    /// skipping the others cannot lose a date.
    fn assert_openers_cover(text: &str) {
        let n = normalize_with(text, &NormalizeOptions::LOOSE);
        let toks = tokenize(&n);
        let published = Date::new(2023, 11, 14).unwrap();
        let ctx = Ctx {
            n: &n,
            toks: &toks,
            published,
        };
        for (i, t) in toks.iter().enumerate() {
            if ctx.at(i).is_some_and(|h| h.to > i) {
                assert!(
                    may_open_date(t.text),
                    "a date opens at «{}» but the filter skips it",
                    t.text
                );
            }
        }
    }

    #[test]
    fn openers_cover_every_form() {
        let mut found = 0;
        for s in FORMS {
            assert_openers_cover(s);
            found += find_dates(s, Date::new(2023, 11, 14).unwrap()).len();
        }
        assert!(found >= 35, "only {found} dates found in the forms");
    }

    /// The same over real article texts: the held-out corpus in the repo and
    /// the shared dev corpus when it is there.
    #[test]
    fn openers_cover_corpus_texts() {
        let root = concat!(env!("CARGO_MANIFEST_DIR"), "/../..");
        let dirs = [
            format!("{root}/corpus/heldout/docs"),
            format!("{root}/../shared/corpus/dev/docs"),
        ];
        let mut files = 0;
        for dir in &dirs {
            let Ok(entries) = std::fs::read_dir(dir) else {
                eprintln!("skipping {dir}: absent");
                continue;
            };
            for e in entries.flatten() {
                if let Ok(text) = std::fs::read_to_string(e.path()) {
                    assert_openers_cover(&text);
                    files += 1;
                }
            }
        }
        eprintln!("{files} corpus files checked");
    }
}
