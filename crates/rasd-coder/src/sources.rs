//! Adapters from the other stages' output to the coder's token indices:
//! places from `rasd_geo`, dates from `rasd_arabic::dates`, quantities from
//! `rasd_arabic::numbers`. Each turns byte ranges in the article text into
//! token ranges of [`crate::text::Analysed`].

use std::ops::Range;

use jiff::civil::Date;
use rasd_geo::{Gazetteer, Geocoder, MentionRole, PlaceId, PlaceKind, ResolveContext};
use rasd_model::{DatePrecision, LocationPrecision};

use crate::counts::Quantity;
use crate::text::{Token, key_in_list};

/// Token range covering the byte range `r` (tokens that overlap it).
pub(crate) fn tokens_of(tokens: &[Token], r: &Range<usize>) -> Range<usize> {
    let start = tokens.partition_point(|t| t.range.end <= r.start);
    let mut end = start;
    while end < tokens.len() && tokens[end].range.start < r.end {
        end += 1;
    }
    start..end
}

/// A resolved place mention.
#[derive(Debug, Clone)]
pub(crate) struct PlaceRef {
    pub tokens: Range<usize>,
    pub bytes: Range<usize>,
    pub place: PlaceId,
    pub precision: LocationPrecision,
    /// The name to write (the article's wording for a region).
    pub name: String,
    /// The folded key of `name`, for comparing places.
    pub key: String,
    pub qualifier: bool,
    pub country_only: bool,
    pub near: bool,
    /// The gazetteer entry is an admin area or a region, not a settlement.
    pub area: bool,
    /// A type word («مدينة», «بلدة» …) stands before the name.
    pub typed: bool,
    /// The name carries the preposition ب as a clitic («بالقامشلي»).
    pub locative_clitic: bool,
    /// A settlement the gazetteer lacks, named after a type word and located by
    /// the area after it («قرية تقل بقل بريف المالكية»): `place` is that area.
    pub unlisted: bool,
}

/// Words that open a place's name in the article but are not part of the
/// name a coder writes («حي القصور» → «القصور», «العاصمة دمشق» → «دمشق»).
const LEADING_TYPE_WORDS: &[&str] = &[
    "حي",
    "مدينة",
    "بلدة",
    "قرية",
    "مخيم",
    "ناحية",
    "منطقة",
    "محافظة",
    "العاصمة",
    "مدينتي",
    "بلدتي",
    "قريتي",
];

/// The article's wording of a place, without a leading type word.
fn written_name(surface: &str) -> String {
    let mut s = surface.trim();
    for w in LEADING_TYPE_WORDS {
        if let Some(rest) = s.strip_prefix(w)
            && rest.starts_with(' ')
            && !rest.trim().is_empty()
        {
            s = rest.trim();
            break;
        }
    }
    s.to_string()
}

/// The name a coder writes: the article's spelling («كنصفرة» for «كنسفرة»),
/// except for an epithet, where the entry's name stands («العاصمة الليبية» →
/// «طرابلس»): a capital named by its country's adjective.
fn coder_name(surface: &str, entry: &str) -> String {
    let written = written_name(surface);
    let mut words = surface.split_whitespace();
    let epithet = words.next().is_some_and(|w| w == "العاصمة")
        && words
            .next()
            .is_some_and(|w| w.ends_with("ية") || w.ends_with("يه"))
        && words.next().is_none();
    if epithet { entry.to_string() } else { written }
}

pub(crate) fn places(
    gaz: &Gazetteer,
    text: &str,
    tokens: &[Token],
    dateline: Option<&str>,
) -> Vec<PlaceRef> {
    let geo = Geocoder::new(gaz);
    let ctx = ResolveContext {
        dateline: dateline.map(String::from),
        country_hint: None,
    };
    let out = geo
        .resolve(text, &ctx)
        .into_iter()
        .map(|r| {
            let p = gaz.get(r.place);
            let near = r.mention.near_word.as_deref() == Some("محيط");
            let area = matches!(
                p.kind,
                PlaceKind::Country
                    | PlaceKind::Governorate
                    | PlaceKind::District
                    | PlaceKind::Subdistrict
                    | PlaceKind::Region
            );
            // The article's wording: annotators write «كنصفرة» as the article
            // does, not the gazetteer's «كنسفرة».
            let name = coder_name(&r.mention.surface, &p.name_ar);
            // A quarter is a place of its own (rule 16): precision community,
            // admin areas from its city, as the gazetteer holds them.
            let place = r.place;
            PlaceRef {
                tokens: tokens_of(tokens, &r.mention.range),
                bytes: r.mention.range.clone(),
                place,
                precision: r.precision,
                key: crate::text::key_of(&name),
                name,
                qualifier: r.role == MentionRole::Qualifier,
                country_only: r.role == MentionRole::Country,
                near,
                area,
                typed: r.mention.type_word.is_some(),
                locative_clitic: r.mention.prefix.contains('ب'),
                unlisted: false,
            }
        })
        .collect::<Vec<_>>();
    let unlisted = unlisted_places(text, tokens, &out);
    let mut out = out;
    // «تلبيسة (13 كم شمال مدينة حمص)»: the town a distance is measured from
    // is a landmark, not a place the story happens in.
    for p in &mut out {
        if measured_from(tokens, p.tokens.start) {
            p.near = true;
        }
    }
    out.extend(unlisted);
    out.sort_by_key(|p| p.bytes.start);
    out
}

/// Plural place-type words («أحياء», «قرى»), as keys.
const PLURAL_PLACE_WORDS: &[&str] = &["احياء", "قري", "بلدات", "مدن", "مناطق", "مخيمات", "ارياف"];

/// Adjectives that describe places by position or kind, as keys.
const PLACE_ADJECTIVES: &[&str] = &[
    "خارجيه",
    "داخليه",
    "سكنيه",
    "مجاوره",
    "محيطه",
    "قريبه",
    "حدوديه",
    "جبليه",
    "ريفيه",
    "اماميه",
    "شرقيه",
    "غربيه",
    "شماليه",
    "جنوبيه",
    "اخري",
];

/// Indefinite adjectives that describe places («أحياء جديدة», «قرى أخرى»),
/// as keys.
const INDEFINITE_PLACE_ADJECTIVES: &[&str] = &[
    "جديده",
    "اخري",
    "مختلفه",
    "متفرقه",
    "عديده",
    "كثيره",
    "واسعه",
    "مجاوره",
    "قريبه",
    "بعيده",
];

/// Is the one-word name at `p` an adjective after a plural type word?
pub(crate) fn describes_places(tokens: &[Token], p: &PlaceRef) -> bool {
    // The name's span may hold its type word.
    let at = p.tokens.end.saturating_sub(1);
    p.tokens.len() <= 2
        && at > 0
        && at >= p.tokens.start
        && key_in_list(&tokens[at - 1], PLURAL_PLACE_WORDS)
        && if crate::text::definite(&tokens[at]) {
            key_in_list(&tokens[at], PLACE_ADJECTIVES)
        } else {
            key_in_list(&tokens[at], INDEFINITE_PLACE_ADJECTIVES)
        }
}

/// Units of a distance («13 كم شمال حمص»), as keys.
const DISTANCE_UNITS: &[&str] = &["كم", "كلم", "كيلومتر", "كيلومترات", "كيلو", "متر"];

/// Is the name at token `at` the point a distance is measured from: a unit
/// of length, then direction words (and a type word) right before it?
fn measured_from(tokens: &[Token], at: usize) -> bool {
    use crate::lexicons::words;
    let mut k = at;
    let mut directions = 0;
    while k > 0 {
        let t = &tokens[k - 1];
        if !t.is_word() {
            return false;
        }
        if key_in_list(t, SETTLEMENT_WORDS) {
            k -= 1;
            continue;
        }
        if key_in_list(t, words::DIRECTIONS) && !key_in_list(t, &["ريف", "قرب"]) {
            directions += 1;
            k -= 1;
            continue;
        }
        return directions > 0 && key_in_list(t, DISTANCE_UNITS);
    }
    false
}

/// Type words before a settlement's name.
const SETTLEMENT_WORDS: &[&str] = &["قريه", "بلده", "مدينه", "ناحيه", "مخيم", "قضاء", "مديريه"];

/// Words between a name and the area that locates it («بريف», «في», «شمالي»),
/// as written; [`crate::lists::locating`] matches them as tokens' keys.
pub(crate) const LOCATING_WORDS: &[&str] = &[
    "ريف",
    "في",
    "شمال",
    "شمالي",
    "جنوب",
    "جنوبي",
    "شرق",
    "شرقي",
    "غرب",
    "غربي",
    "قرب",
    "مدينه",
    "محافظه",
    "منطقه",
    "قضاء",
    "ضمن",
];

/// «قرية تقل بقل بريف مدينة المالكية», «ناحية الرشاد جنوب غربي كركوك»: a name
/// after a settlement type word that the gazetteer does not hold, followed by an
/// area it does, is a place of that area. Its coordinates are the area's, and
/// its precision no finer than the area's.
fn unlisted_places(text: &str, tokens: &[Token], found: &[PlaceRef]) -> Vec<PlaceRef> {
    let covered = |k: usize| found.iter().any(|p| p.tokens.contains(&k));
    let mut out = Vec::new();
    for i in 0..tokens.len() {
        let t = &tokens[i];
        if !t.is_word() || !SETTLEMENT_WORDS.iter().any(|w| t.has_key(w)) || covered(i) {
            continue;
        }
        // One or two words of name, none known, none a describing word.
        let is_name_word = |k: usize| {
            tokens.get(k).is_some_and(|x| {
                x.is_word()
                    && !covered(k)
                    && !crate::lists::not_a_name(x)
                    && !crate::lists::locating(x)
                    && x.folded.chars().count() >= 3
            })
        };
        // «مشفى المدينة. أما في حلب»: «the city» names no new place, and a
        // name never runs over a full stop or a comma.
        let definite = crate::text::definite(t);
        let unbroken = |a: usize, b: usize| {
            text.get(tokens[a].range.end..tokens[b].range.start)
                .is_some_and(|g| !g.contains(['.', '!', '?', '؟', '،', ',', '\n', '؛', ':']))
        };
        if definite || !is_name_word(i + 1) || !unbroken(i, i + 1) {
            continue;
        }
        let mut end = i + 2;
        if is_name_word(end) && unbroken(i + 1, end) {
            end += 1;
        }
        // Then the area, after at most two locating words.
        let mut k = end;
        while k < tokens.len()
            && k < end + 3
            && tokens[k].is_word()
            && !covered(k)
            && crate::lists::locating(&tokens[k])
        {
            k += 1;
        }
        let located = (k > end || tokens[end.min(tokens.len() - 1)].folded.starts_with('ب'))
            .then(|| {
                found
                    .iter()
                    .find(|p| p.tokens.start >= end && p.tokens.start <= k && !p.unlisted)
            })
            .flatten();
        let Some(area) = located else { continue };
        if area.country_only {
            continue;
        }
        let bytes = tokens[i + 1].range.start..tokens[end - 1].range.end;
        let name = text[bytes.clone()].to_string();
        let precision = match area.precision {
            LocationPrecision::Community => LocationPrecision::District,
            p => p,
        };
        out.push(PlaceRef {
            tokens: i + 1..end,
            bytes,
            place: area.place,
            precision,
            key: crate::text::key_of(&name),
            name,
            qualifier: false,
            country_only: false,
            near: false,
            area: false,
            typed: true,
            locative_clitic: false,
            unlisted: true,
        });
    }
    out
}

/// A date mention resolved against the publication day.
#[derive(Debug, Clone)]
pub(crate) struct DateRef {
    pub tokens: Range<usize>,
    pub start: Date,
    pub end: Date,
    pub precision: DatePrecision,
}

/// The dates of one sentence (`range`, bytes of `text`), resolved against
/// the publication day.
pub(crate) fn dates_in(
    text: &str,
    tokens: &[Token],
    published: Date,
    range: Range<usize>,
) -> Vec<DateRef> {
    let base = range.start;
    let first_token = tokens_of(tokens, &(range.start..range.start + 1)).start;
    let found: Vec<DateRef> = rasd_arabic::dates::find_dates(&text[range], published)
        .into_iter()
        .map(|d| DateRef {
            tokens: tokens_of(tokens, &(d.range.start + base..d.range.end + base)),
            start: d.start,
            end: d.end,
            precision: d.precision,
        })
        .collect();
    // «… مدينة في ريف دمشق شهدت اشتباكات الأسبوع الماضي»: a vague past told
    // of a place the sentence describes («شهدت» after the sentence's start)
    // dates that place's history, not the sentence's news.
    let described = |d: &DateRef| {
        d.precision != DatePrecision::Day
            && (d
                .tokens
                .start
                .saturating_sub(DESCRIBED_DATE_GAP)
                .max(first_token + 1)..d.tokens.start)
                .any(|k| {
                    tokens[k].is_word() && (tokens[k].has_key("شهدت") || tokens[k].has_key("شهد"))
                })
    };
    // «الـ 6 من آب الجاري من العام 2017»: a year or month told right after a
    // day within it only completes that day; it is no date of its own.
    found
        .iter()
        .filter(|d| !described(d))
        .filter(|d| {
            !found.iter().any(|day| {
                day.tokens.end <= d.tokens.start
                    && d.tokens.start - day.tokens.end <= DATE_COMPLETION_GAP
                    && d.start <= day.start
                    && day.end <= d.end
                    && (day.start, day.end) != (d.start, d.end)
            })
        })
        .cloned()
        .collect()
}

/// How many words may stand between «شهدت» and the vague past it dates.
const DESCRIBED_DATE_GAP: usize = 3;

/// How many words may stand between a day and the year that completes it.
const DATE_COMPLETION_GAP: usize = 3;

/// The quantities of one sentence (`range`, bytes of `text`).
pub(crate) fn quantities_in(text: &str, tokens: &[Token], range: Range<usize>) -> Vec<Quantity> {
    let base = range.start;
    let shift = |r: &Range<usize>| r.start + base..r.end + base;
    rasd_arabic::numbers::find_quantities(&text[range])
        .into_iter()
        .map(|q| Quantity {
            tokens: tokens_of(tokens, &shift(&q.range)),
            value: q.value,
            vague: q.vague,
            noun: q.noun.as_ref().map(|n| tokens_of(tokens, &shift(n))),
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A name read at the last word of `text`, after the word before it.
    fn last_word_place(text: &str, typed: bool) -> (Vec<Token>, PlaceRef) {
        let whole: Range<usize> = 0..text.len();
        let an = crate::text::analyse(text, std::slice::from_ref(&whole));
        let n = an.tokens.len();
        let start = if typed { n - 2 } else { n - 1 };
        let p = PlaceRef {
            tokens: start..n,
            bytes: an.tokens[n - 1].range.clone(),
            place: rasd_geo::PlaceId(0),
            precision: LocationPrecision::Community,
            name: String::new(),
            key: String::new(),
            qualifier: false,
            country_only: false,
            near: false,
            area: false,
            typed,
            locative_clitic: false,
            unlisted: false,
        };
        (an.tokens, p)
    }

    #[test]
    fn adjectives_after_plural_place_words_name_no_place() {
        for text in [
            "اتسعت الاشتباكات إلى أحياء جديدة",
            "وشهدت الأحياء الخارجية",
            "في القرى المجاورة",
        ] {
            for typed in [false, true] {
                let (toks, p) = last_word_place(text, typed);
                assert!(describes_places(&toks, &p), "{text} (typed {typed})");
            }
        }
        for text in [
            "قصفت الطائرات قرى جديدة",
            "في حي جديدة",
            "في مدينة الخارجية",
            "قرى الشيخ",
        ] {
            let (toks, p) = last_word_place(text, false);
            let described = describes_places(&toks, &p);
            // «قرى جديدة» describes; the others are names.
            assert_eq!(described, text.contains("قرى جديدة"), "{text}");
        }
    }
}
