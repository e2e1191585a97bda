//! Date lines of scraped pages: `2022.10.25 | 12:48 دمشق`,
//! `الاثنين 28 آذار 2022 - 09:40 | درعا - خاص`, `السبت 6 مارس/آذار 2021`,
//! `الاثنين 14-11-2022`, with Arabic-Indic digits too; times, the place that gives
//! the time zone, and the wire prefix `دمشق، 7 آب/أغسطس 2023 (الوكالة) - `.

use super::rules::{AM_WORDS, MONTHS, PLACE_ZONES, PM_WORDS, WEEKDAYS, ZONE_INTRO};
use jiff::civil::{Date, Time};
use jiff::tz::TimeZone;

/// What a date line says.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DateLine {
    pub date: Date,
    pub time: Option<Time>,
    /// A place read as the clock's zone ("13:55 دمشق", "بتوقيت دمشق").
    pub zone_place: Option<String>,
    /// The bar-separated parts that hold neither date nor time ("درعا - خاص").
    pub rest: Vec<String>,
}

/// Arabic-Indic and Persian digits → ASCII digits (same byte length is not kept).
pub fn ascii_digits(s: &str) -> String {
    s.chars()
        .map(|c| match c {
            '\u{0660}'..='\u{0669}' => char::from(b'0' + (c as u32 - 0x0660) as u8),
            '\u{06F0}'..='\u{06F9}' => char::from(b'0' + (c as u32 - 0x06F0) as u8),
            _ => c,
        })
        .collect()
}

/// Folds alef and yeh variants so that month and place names compare loosely.
pub fn fold(s: &str) -> String {
    s.chars()
        .filter(|c| !matches!(c, '\u{064B}'..='\u{0652}' | '\u{0640}'))
        .map(|c| match c {
            'أ' | 'إ' | 'آ' => 'ا',
            'ى' => 'ي',
            _ => c,
        })
        .collect()
}

fn is_sep(c: char) -> bool {
    c.is_whitespace()
        || matches!(
            c,
            '/' | '،' | ',' | '|' | '(' | ')' | '-' | '–' | '—' | ':' | '.'
        )
}

/// Word tokens with their byte ranges; digits keep their internal `:` and `.`.
fn tokens(s: &str) -> Vec<(usize, usize)> {
    let mut out = Vec::new();
    let mut start = None;
    let chars: Vec<(usize, char)> = s.char_indices().collect();
    for (k, &(i, c)) in chars.iter().enumerate() {
        let digit_glue = matches!(c, ':' | '.')
            && k > 0
            && chars[k - 1].1.is_ascii_digit()
            && chars.get(k + 1).is_some_and(|(_, n)| n.is_ascii_digit());
        if is_sep(c) && !digit_glue {
            if let Some(st) = start.take() {
                out.push((st, i));
            }
        } else if start.is_none() {
            start = Some(i);
        }
    }
    if let Some(st) = start {
        out.push((st, s.len()));
    }
    out
}

fn year_ok(y: i64) -> bool {
    (1900..=2100).contains(&y)
}

fn make_date(y: i64, m: i64, d: i64) -> Option<Date> {
    if !year_ok(y) {
        return None;
    }
    Date::new(
        i16::try_from(y).ok()?,
        i8::try_from(m).ok()?,
        i8::try_from(d).ok()?,
    )
    .ok()
}

/// Numeric dates: `2022.10.25`, `2022-10-25`, `25/10/2022`, `14-11-2022`.
fn numeric_date(s: &str) -> Option<(Date, std::ops::Range<usize>)> {
    let b = s.as_bytes();
    let mut runs = Vec::new();
    let mut i = 0;
    while i < b.len() {
        if b[i].is_ascii_digit() {
            let st = i;
            while i < b.len() && b[i].is_ascii_digit() {
                i += 1;
            }
            runs.push((st, i));
        } else {
            i += 1;
        }
    }
    for w in runs.windows(3) {
        let (a, m, c) = (w[0], w[1], w[2]);
        let sep1 = &s[a.1..m.0];
        let sep2 = &s[m.1..c.0];
        if sep1.len() != 1 || sep1 != sep2 || !matches!(sep1, "." | "-" | "/") {
            continue;
        }
        let num = |r: (usize, usize)| s[r.0..r.1].parse::<i64>().ok();
        let (x, y, z) = (num(a)?, num(m)?, num(c)?);
        let date = if a.1 - a.0 == 4 {
            make_date(x, y, z)
        } else if c.1 - c.0 == 4 {
            make_date(z, y, x)
        } else {
            None
        };
        if let Some(d) = date {
            return Some((d, a.0..c.1));
        }
    }
    None
}

/// [`MONTHS`] folded once.
static FOLDED_MONTHS: std::sync::LazyLock<Vec<(String, u8)>> =
    std::sync::LazyLock::new(|| MONTHS.iter().map(|&(n, m)| (fold(n), m)).collect());

/// [`PLACE_ZONES`] folded once.
static FOLDED_PLACES: std::sync::LazyLock<std::collections::HashMap<String, &'static str>> =
    std::sync::LazyLock::new(|| PLACE_ZONES.iter().map(|&(n, z)| (fold(n), z)).collect());

/// The month named by the tokens starting at `k`: (month, tokens used).
fn month_at(s: &str, toks: &[(usize, usize)], k: usize) -> Option<(u8, usize)> {
    let one = toks.get(k).map(|t| fold(&s[t.0..t.1]))?;
    if let Some(t) = toks.get(k + 1) {
        let two = format!("{one} {}", fold(&s[t.0..t.1]));
        if let Some(&(_, m)) = FOLDED_MONTHS.iter().find(|(name, _)| *name == two) {
            return Some((m, 2));
        }
    }
    FOLDED_MONTHS
        .iter()
        .find(|(name, _)| *name == one)
        .map(|&(_, m)| (m, 1))
}

/// Named-month dates: `28 آذار 2022`, `6 مارس/آذار 2021`, `7 آب/أغسطس 2023`.
fn named_date(s: &str) -> Option<(Date, std::ops::Range<usize>)> {
    let toks = tokens(s);
    for k in 0..toks.len() {
        let t = &s[toks[k].0..toks[k].1];
        let Ok(day) = t.parse::<i64>() else { continue };
        if !(1..=31).contains(&day) || t.len() > 2 {
            continue;
        }
        let Some((month, used)) = month_at(s, &toks, k + 1) else {
            continue;
        };
        let mut j = k + 1 + used;
        // "مارس/آذار": a second name for the same month.
        if let Some((_, used2)) = month_at(s, &toks, j) {
            j += used2;
        }
        let Some(&(ys, ye)) = toks.get(j) else {
            continue;
        };
        let Ok(year) = s[ys..ye].parse::<i64>() else {
            continue;
        };
        if let Some(d) = make_date(year, i64::from(month), day) {
            return Some((d, toks[k].0..ye));
        }
    }
    None
}

/// The first Gregorian date in `s` (ASCII digits expected).
pub fn find_date(s: &str) -> Option<(Date, std::ops::Range<usize>)> {
    match (numeric_date(s), named_date(s)) {
        (Some(a), Some(b)) => Some(if a.1.start <= b.1.start { a } else { b }),
        (a, b) => a.or(b),
    }
}

/// The first `HH:MM` time in `s`, with a following am/pm word applied.
pub fn find_time(s: &str) -> Option<(Time, std::ops::Range<usize>)> {
    let toks = tokens(s);
    for (k, &(st, en)) in toks.iter().enumerate() {
        let t = &s[st..en];
        let mut parts = t.split(':');
        let (Some(h), Some(m)) = (parts.next(), parts.next()) else {
            continue;
        };
        let sec = parts.next();
        if parts.next().is_some() || h.is_empty() || h.len() > 2 || m.len() != 2 {
            continue;
        }
        let (Ok(mut h), Ok(m)) = (h.parse::<i8>(), m.parse::<i8>()) else {
            continue;
        };
        let sec = sec.and_then(|x| x.parse::<i8>().ok()).unwrap_or(0);
        let next = toks.get(k + 1).map(|&(a, b)| &s[a..b]);
        let mut end = en;
        if let Some(w) = next {
            if PM_WORDS.contains(&w) && h < 12 {
                h += 12;
                end = toks[k + 1].1;
            } else if AM_WORDS.contains(&w) {
                if h == 12 {
                    h = 0;
                }
                end = toks[k + 1].1;
            }
        }
        if let Ok(time) = Time::new(h, m, sec, 0) {
            return Some((time, st..end));
        }
    }
    None
}

/// The time zone of a place name («دمشق», «ريف دمشق», «بتوقيت بغداد»): the Arabic
/// crate's place table first, then [`PLACE_ZONES`].
pub fn zone_for(place: &str) -> Option<TimeZone> {
    let words = place_words(place);
    for n in (1..=words.len().min(3)).rev() {
        let cand = words[..n].join(" ");
        if let Some(tz) = rasd_arabic::dates::zone_for_place(&cand) {
            return Some(tz);
        }
        if let Some(z) = FOLDED_PLACES.get(&fold(&cand)) {
            return TimeZone::get(z).ok();
        }
    }
    None
}

/// True when `place` names a place whose time zone is known.
pub fn is_known_place(place: &str) -> bool {
    zone_for(place).is_some()
}

/// The words of a place name without «بتوقيت», «ريف», «مدينة», «محافظة» in front.
fn place_words(place: &str) -> Vec<String> {
    let mut p = place.trim().to_string();
    for intro in ZONE_INTRO
        .iter()
        .chain(["ريف", "مدينة", "محافظة", "العاصمة"].iter())
    {
        if let Some(r) = p.strip_prefix(intro)
            && r.starts_with(' ')
        {
            p = r.trim().to_string();
        }
    }
    p.split_whitespace()
        .map(|w| w.trim_matches(|c: char| !c.is_alphanumeric()).to_string())
        .filter(|w| !w.is_empty())
        .collect()
}

fn is_weekday(w: &str) -> bool {
    static FOLDED: std::sync::LazyLock<Vec<String>> =
        std::sync::LazyLock::new(|| WEEKDAYS.iter().map(|d| fold(d)).collect());
    FOLDED.contains(&fold(w))
}

/// Reads a date line. `None` when the line holds no Gregorian date.
pub fn parse_date_line(line: &str) -> Option<DateLine> {
    let t = ascii_digits(line);
    let (date, _) = find_date(&t)?;
    let mut time = None;
    let mut zone_place = None;
    let mut rest = Vec::new();
    for seg in t.split('|') {
        let seg_t = seg.trim();
        let has_date = find_date(seg_t).is_some();
        let found_time = find_time(seg_t);
        if let Some((tm, r)) = &found_time
            && time.is_none()
        {
            time = Some(*tm);
            // The words after the time name the zone ("13:55 دمشق").
            let after = seg_t[r.end..].trim_start_matches(|c: char| !c.is_alphabetic());
            if zone_place.is_none() && is_known_place(after) {
                zone_place = Some(after.trim().to_string());
            }
        }
        if let Some(i) = ZONE_INTRO.iter().find_map(|w| seg_t.find(w)) {
            let after = &seg_t[i..];
            if is_known_place(after) {
                zone_place = Some(after.trim().to_string());
            }
        }
        if !has_date && found_time.is_none() {
            let words: Vec<&str> = seg_t.split_whitespace().collect();
            let only_weekday = words.len() == 1 && is_weekday(words[0]);
            let cleaned =
                seg_t.trim_matches(|c: char| !c.is_alphanumeric() && c != '»' && c != '"');
            if !cleaned.is_empty() && !only_weekday {
                rest.push(cleaned.to_string());
            }
        }
    }
    Some(DateLine {
        date,
        time,
        zone_place,
        rest,
    })
}

/// A time-only line ("آخر تحديث: 21:30 بتوقيت دمشق", "🕐 15:02"): the time and the
/// zone place if one is named.
pub fn parse_time_line(line: &str) -> Option<(Time, Option<String>)> {
    let t = ascii_digits(line);
    let (time, r) = find_time(&t)?;
    let after = t[r.end..].trim();
    let zone = ZONE_INTRO
        .iter()
        .find_map(|w| after.find(w).map(|i| after[i..].to_string()))
        .or_else(|| Some(after.to_string()))
        .filter(|p| is_known_place(p));
    Some((time, zone))
}

/// The wire prefix of a first paragraph: `دمشق، 7 آب/أغسطس 2023 (الوكالة) - ` or
/// `دمشق (الوكالة) - `. Returns the place, the date if given, and the byte offset
/// where the story starts.
pub fn wire_prefix(p: &str, max_chars: usize) -> Option<(String, Option<Date>, usize)> {
    let limit = p.char_indices().nth(max_chars).map_or(p.len(), |(i, _)| i);
    let head = &p[..limit];
    let close = head.find(')')?;
    let open = head[..close].rfind('(')?;
    let after = &p[close + 1..];
    let trimmed = after.trim_start();
    let dash = trimmed.chars().next()?;
    if !matches!(dash, '-' | '–' | '—') {
        return None;
    }
    let body_start = p.len() - trimmed.len() + dash.len_utf8();
    let body_start = body_start + (p[body_start..].len() - p[body_start..].trim_start().len());
    let before = p[..open].trim().trim_end_matches(['-', '–', '—', ' ']);
    let (place, date_part) = match before.find(['،', ',']) {
        Some(i) => (before[..i].trim(), &before[i..]),
        None => (before, ""),
    };
    let words = place.split_whitespace().count();
    if words == 0 || words > 4 || place.chars().any(|c| c.is_numeric()) {
        return None;
    }
    let date = find_date(&ascii_digits(date_part)).map(|(d, _)| d);
    if !date_part.trim_matches(['،', ',', ' ']).is_empty() && date.is_none() {
        return None;
    }
    Some((place.to_string(), date, body_start))
}

#[cfg(test)]
mod tests {
    use super::*;
    use jiff::civil::{date, time};

    #[test]
    fn date_lines() {
        let d = parse_date_line("2021.06.14 | 08:05 دمشق").unwrap();
        assert_eq!(d.date, date(2021, 6, 14));
        assert_eq!(d.time, Some(time(8, 5, 0, 0)));
        assert_eq!(d.zone_place.as_deref(), Some("دمشق"));
        assert!(d.rest.is_empty());

        let d = parse_date_line("الخميس ٣ شباط ٢٠٢٢ - ١٧:٤٠ | حمص - خاص").unwrap();
        assert_eq!(d.date, date(2022, 2, 3));
        assert_eq!(d.time, Some(time(17, 40, 0, 0)));
        assert_eq!(d.rest, ["حمص - خاص"]);

        let d = parse_date_line("السبت 9 مارس/آذار 2019 | حلب - وكالة الريف").unwrap();
        assert_eq!(d.date, date(2019, 3, 9));
        assert_eq!(d.time, None);

        let d = parse_date_line("الأخبار الصباحية | الثلاثاء 12 كانون الأول 2023").unwrap();
        assert_eq!(d.date, date(2023, 12, 12));
        assert_eq!(d.rest, ["الأخبار الصباحية"]);

        let d = parse_date_line("الأحد 18 رجب 1444 هـ - 5 شباط 2023 م").unwrap();
        assert_eq!(d.date, date(2023, 2, 5));
        let d = parse_date_line("الجمعة 07-04-2023").unwrap();
        assert_eq!(d.date, date(2023, 4, 7));
        assert!(parse_date_line("قتل 3 أشخاص في 12 هجوماً").is_none());
        assert!(parse_date_line("31 شباط 2023").is_none());
    }

    #[test]
    fn times_and_zones() {
        assert_eq!(
            parse_time_line("آخر تحديث: 22:15 بتوقيت بغداد"),
            Some((time(22, 15, 0, 0), Some("بتوقيت بغداد".to_string())))
        );
        assert_eq!(find_time("الساعة 9:30 مساءً").unwrap().0, time(21, 30, 0, 0));
        let name = |p: &str| zone_for(p).and_then(|z| z.iana_name().map(str::to_string));
        assert_eq!(name("ريف حلب").as_deref(), Some("Asia/Damascus"));
        assert_eq!(name("بتوقيت بغداد").as_deref(), Some("Asia/Baghdad"));
        assert_eq!(name("إسطنبول").as_deref(), Some("Europe/Istanbul"));
        assert!(!is_known_place("قرية مجهولة"));
    }

    #[test]
    fn wire_prefixes() {
        let p = "حلب، 3 نيسان/أبريل 2022 (وكالة السهل) - افتتحت البلدية سوقاً جديدة.";
        let (place, d, start) = wire_prefix(p, 90).unwrap();
        assert_eq!(place, "حلب");
        assert_eq!(d, Some(date(2022, 4, 3)));
        assert!(p[start..].starts_with("افتتحت"));
        let (place, d, _) = wire_prefix("حماة (سانا) - وصلت قافلة.", 90).unwrap();
        assert_eq!((place.as_str(), d), ("حماة", None));
        assert!(wire_prefix("قال المدير (وهو طبيب) إن العمل مستمر", 90).is_none());
        let p = "طرطوس - (وكالة الموج) - وصلت سفينة محملة بالقمح.";
        let (place, d, start) = wire_prefix(p, 90).unwrap();
        assert_eq!((place.as_str(), d), ("طرطوس", None));
        assert!(p[start..].starts_with("وصلت"));
    }
}
