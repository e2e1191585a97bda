//! Page metadata: title, times, author, site name, language, from `<meta>` tags,
//! JSON-LD, `<time>` elements and visible date lines.

use crate::dom::{Dom, NodeId};
use crate::heuristics::{MONTH_NAMES, PLACE_ZONES, TITLE_SEPARATORS};
use crate::text::collapse_ws;
use jiff::civil::{Date, DateTime, Time};
use jiff::tz::TimeZone;
use rasd_model::PublishedTime;
use serde_json::Value;

/// What the page says about itself outside its body text.
#[derive(Debug, Default, Clone)]
pub struct PageMeta {
    pub title: Option<String>,
    pub published: Option<PublishedTime>,
    pub modified: Option<PublishedTime>,
    pub author: Option<String>,
    pub site_name: Option<String>,
    pub language: Option<String>,
    pub url: Option<String>,
    /// `articleBody` of a JSON-LD article, when the page has one.
    pub json_ld_body: Option<String>,
}

#[derive(Default)]
struct Raw {
    og_title: Option<String>,
    html_title: Option<String>,
    ld_headline: Option<String>,
    h1s: Vec<String>,
    published: Vec<String>,
    modified: Vec<String>,
    time_elements: Vec<String>,
    author: Option<String>,
    ld_author: Option<String>,
    site_name: Option<String>,
    ld_publisher: Option<String>,
    language: Option<String>,
    url: Option<String>,
}

fn set(slot: &mut Option<String>, v: &str) {
    let v = collapse_ws(v);
    if slot.is_none() && !v.is_empty() {
        *slot = Some(v);
    }
}

/// Reads the metadata of a parsed page. `json_ld` are the raw JSON-LD blocks.
pub fn read(dom: &Dom, json_ld: &[String]) -> PageMeta {
    let mut raw = Raw::default();
    for id in dom.descendants(Dom::ROOT) {
        if !dom.is_element(id) {
            continue;
        }
        match dom.tag(id) {
            "html" => {
                if let Some(l) = dom.attr(id, "lang") {
                    set(&mut raw.language, l);
                }
            }
            "title" => {
                if raw.html_title.is_none() {
                    set(&mut raw.html_title, &dom.text(id));
                }
            }
            "h1" => {
                let t = collapse_ws(&dom.text(id));
                if !t.is_empty() && raw.h1s.len() < 8 {
                    raw.h1s.push(t);
                }
            }
            "time" => {
                if let Some(dt) = dom.attr(id, "datetime") {
                    raw.time_elements.push(dt.to_string());
                } else if raw.time_elements.len() < 4 {
                    raw.time_elements.push(collapse_ws(&dom.text(id)));
                }
            }
            "meta" => meta_tag(dom, id, &mut raw),
            "link" => {
                if dom
                    .attr(id, "rel")
                    .is_some_and(|r| r.eq_ignore_ascii_case("canonical"))
                    && let Some(h) = dom.attr(id, "href")
                {
                    set(&mut raw.url, h);
                }
            }
            _ => {
                // itemprop on ordinary elements (microdata).
                if let Some(p) = dom.attr(id, "itemprop") {
                    let v = dom
                        .attr(id, "content")
                        .or_else(|| dom.attr(id, "datetime"))
                        .map(str::to_string);
                    match p {
                        "datePublished" => raw.published.push(v.unwrap_or_else(|| dom.text(id))),
                        "dateModified" => raw.modified.push(v.unwrap_or_else(|| dom.text(id))),
                        _ => {}
                    }
                }
            }
        }
    }
    let mut json_ld_body = None;
    for block in json_ld {
        if let Ok(v) = serde_json::from_str::<Value>(block.trim()) {
            read_json_ld(&v, &mut raw, &mut json_ld_body);
        }
    }

    let site_name = raw.site_name.clone().or(raw.ld_publisher.clone());
    let title = choose_title(&raw, site_name.as_deref());
    let published = raw
        .published
        .iter()
        .chain(raw.time_elements.iter())
        .find_map(|s| parse_time(s));
    let modified = raw.modified.iter().find_map(|s| parse_time(s));
    PageMeta {
        title,
        published,
        modified,
        author: raw.author.or(raw.ld_author),
        site_name,
        language: raw.language.map(|l| l.to_ascii_lowercase()),
        url: raw.url,
        json_ld_body,
    }
}

fn meta_tag(dom: &Dom, id: NodeId, raw: &mut Raw) {
    let key = dom
        .attr(id, "property")
        .or_else(|| dom.attr(id, "name"))
        .or_else(|| dom.attr(id, "itemprop"))
        .or_else(|| dom.attr(id, "http-equiv"));
    let (Some(key), Some(content)) = (key, dom.attr(id, "content")) else {
        return;
    };
    let key = key.to_ascii_lowercase();
    match key.as_str() {
        "og:title" | "twitter:title" | "dc.title" => set(&mut raw.og_title, content),
        "og:site_name" | "application-name" | "publisher" | "dc.publisher" => {
            set(&mut raw.site_name, content)
        }
        "article:published_time"
        | "og:published_time"
        | "datepublished"
        | "pubdate"
        | "publishdate"
        | "publish-date"
        | "publish_date"
        | "date"
        | "dc.date"
        | "dc.date.issued"
        | "dcterms.created"
        | "sailthru.date"
        | "parsely-pub-date"
        | "article.published"
        | "published_time"
        | "cxenseparse:recs:publishtime"
        | "original-publish-date"
        | "article:published" => raw.published.push(content.to_string()),
        "article:modified_time"
        | "og:updated_time"
        | "datemodified"
        | "last-modified"
        | "dcterms.modified"
        | "article:modified" => raw.modified.push(content.to_string()),
        "author" | "article:author" | "dc.creator" | "parsely-author" | "sailthru.author"
            if !content.starts_with("http") =>
        {
            set(&mut raw.author, content)
        }
        "og:locale" | "content-language" | "dc.language" => {
            let l = content.split(['_', '-', ',']).next().unwrap_or("");
            set(&mut raw.language, l)
        }
        "og:url" => set(&mut raw.url, content),
        _ => {}
    }
}

fn is_article_type(v: &Value) -> bool {
    let t = |s: &str| {
        s.ends_with("Article")
            || matches!(
                s,
                "BlogPosting"
                    | "ReportageNews"
                    | "AnalysisNewsArticle"
                    | "LiveBlogPosting"
                    | "WebPage"
            )
    };
    match v.get("@type") {
        Some(Value::String(s)) => t(s),
        Some(Value::Array(a)) => a.iter().any(|x| x.as_str().is_some_and(t)),
        _ => false,
    }
}

fn name_of(v: &Value) -> Option<String> {
    match v {
        Value::String(s) => Some(s.clone()),
        Value::Object(o) => o.get("name").and_then(Value::as_str).map(str::to_string),
        Value::Array(a) => a.first().and_then(name_of),
        _ => None,
    }
}

fn read_json_ld(root: &Value, raw: &mut Raw, body: &mut Option<String>) {
    // Iterative walk over nested objects and arrays (@graph, mainEntity...).
    let mut stack = vec![root];
    let mut seen = 0;
    while let Some(v) = stack.pop() {
        seen += 1;
        if seen > 10_000 {
            break;
        }
        match v {
            Value::Array(a) => stack.extend(a.iter().rev()),
            Value::Object(o) => {
                if is_article_type(v) {
                    let is_page = v.get("@type").and_then(Value::as_str) == Some("WebPage");
                    if !is_page {
                        if let Some(h) = o.get("headline").and_then(Value::as_str) {
                            set(&mut raw.ld_headline, h);
                        }
                        if let Some(b) = o.get("articleBody").and_then(Value::as_str)
                            && body.is_none()
                            && !b.trim().is_empty()
                        {
                            *body = Some(b.to_string());
                        }
                        if let Some(a) = o.get("author").and_then(name_of) {
                            set(&mut raw.ld_author, &a);
                        }
                        if let Some(p) = o.get("publisher").and_then(name_of) {
                            set(&mut raw.ld_publisher, &p);
                        }
                        if let Some(l) = o.get("inLanguage").and_then(Value::as_str) {
                            set(&mut raw.language, l.split(['_', '-']).next().unwrap_or(""));
                        }
                    }
                    if let Some(d) = o.get("datePublished").and_then(Value::as_str) {
                        raw.published.push(d.to_string());
                    }
                    if let Some(d) = o.get("dateModified").and_then(Value::as_str) {
                        raw.modified.push(d.to_string());
                    }
                }
                for (k, child) in o {
                    if matches!(child, Value::Object(_) | Value::Array(_)) && k != "articleBody" {
                        stack.push(child);
                    }
                }
            }
            _ => {}
        }
    }
}

/// Removes a site-name part from a `<title>`-like string.
pub fn strip_site_suffix(title: &str, site: Option<&str>) -> String {
    let title = collapse_ws(title);
    for sep in TITLE_SEPARATORS {
        if let Some(pos) = title.rfind(sep) {
            let (head, tail) = (&title[..pos], &title[pos + sep.len()..]);
            let tail_is_site = site.is_some_and(|s| same_name(tail, s))
                || (tail.chars().count() * 3 < head.chars().count()
                    && tail.split(' ').count() <= 4);
            if tail_is_site && !head.trim().is_empty() {
                return head.trim().to_string();
            }
            if let Some(first) = title.find(sep) {
                let (head, tail) = (&title[..first], &title[first + sep.len()..]);
                if site.is_some_and(|s| same_name(head, s)) && !tail.trim().is_empty() {
                    return tail.trim().to_string();
                }
            }
        }
    }
    title
}

fn same_name(a: &str, b: &str) -> bool {
    let a = a.trim().to_lowercase();
    let b = b.trim().to_lowercase();
    !a.is_empty() && (a == b || a.contains(&b) || b.contains(&a))
}

fn choose_title(raw: &Raw, site: Option<&str>) -> Option<String> {
    let reference: Vec<String> = [&raw.og_title, &raw.ld_headline, &raw.html_title]
        .into_iter()
        .flatten()
        .map(|t| t.to_lowercase())
        .collect();
    // An <h1> that the head's titles agree with is the cleanest source.
    for h in &raw.h1s {
        let hl = h.to_lowercase();
        if hl.chars().count() >= 8 && reference.iter().any(|r| r.contains(&hl)) {
            return Some(h.clone());
        }
    }
    if let Some(t) = raw.og_title.as_ref().or(raw.ld_headline.as_ref()) {
        return Some(strip_site_suffix(t, site));
    }
    if let Some(t) = &raw.html_title {
        return Some(strip_site_suffix(t, site));
    }
    raw.h1s.first().cloned()
}

/// Reads a machine-readable date or date-time (ISO 8601 / RFC 3339 variants,
/// RFC 2822 as in feeds).
pub fn parse_time(s: &str) -> Option<PublishedTime> {
    let s = s.trim();
    if s.is_empty() || s.len() > 64 {
        return None;
    }
    if let Ok(t) = s.parse::<PublishedTime>() {
        return Some(t);
    }
    // Fractional seconds with an offset, `+0300` offsets, etc.
    if let Ok(ts) = s.parse::<jiff::Timestamp>() {
        let off = offset_suffix(s).unwrap_or(jiff::tz::Offset::UTC);
        return Some(PublishedTime::from_timestamp(ts, &TimeZone::fixed(off)));
    }
    if let Ok(z) = jiff::fmt::rfc2822::parse(s) {
        let off = z.offset();
        return Some(PublishedTime::from_timestamp(
            z.timestamp(),
            &TimeZone::fixed(off),
        ));
    }
    // "2022-01-26 11:05" / "2022/01/26" and other near-ISO forms.
    let cleaned: String = s.replace('/', "-");
    if cleaned.len() >= 10
        && let Ok(t) = cleaned.parse::<PublishedTime>()
    {
        return Some(t);
    }
    if cleaned.len() > 10
        && let Some(d) = cleaned.get(..10)
        && let Ok(date) = d.parse::<Date>()
    {
        return Some(PublishedTime::from_date(date));
    }
    None
}

fn offset_suffix(s: &str) -> Option<jiff::tz::Offset> {
    let b = s.as_bytes();
    if s.ends_with('Z') || s.ends_with('z') {
        return Some(jiff::tz::Offset::UTC);
    }
    for len in [6usize, 5] {
        if b.len() > len {
            let tail = &s[b.len() - len..];
            let sign = match tail.as_bytes()[0] {
                b'+' => 1,
                b'-' => -1,
                _ => continue,
            };
            let digits: String = tail[1..].chars().filter(char::is_ascii_digit).collect();
            if digits.len() == 4 {
                let h: i32 = digits[..2].parse().ok()?;
                let m: i32 = digits[2..].parse().ok()?;
                return jiff::tz::Offset::from_seconds(sign * (h * 3600 + m * 60)).ok();
            }
        }
    }
    None
}

/// The time zone a place name stands for in a date line («12:48 دمشق»):
/// `rasd_arabic`'s table first, then [`PLACE_ZONES`].
pub fn zone_for_place(name: &str) -> Option<TimeZone> {
    let name = name.trim();
    if let Some(z) = rasd_arabic::dates::zone_for_place(name) {
        return Some(z);
    }
    PLACE_ZONES
        .iter()
        .find(|(p, _)| *p == name)
        .and_then(|(_, z)| TimeZone::get(z).ok())
}

fn to_ascii_digits(s: &str) -> String {
    s.chars()
        .map(|c| match c {
            '\u{0660}'..='\u{0669}' => char::from(b'0' + (c as u32 - 0x0660) as u8),
            '\u{06F0}'..='\u{06F9}' => char::from(b'0' + (c as u32 - 0x06F0) as u8),
            _ => c,
        })
        .collect()
}

/// Reads a visible date line such as «2022.10.25 | 12:48 دمشق», «الأربعاء 29 كانون
/// الثاني 2020 | 13:20» or «16 أكتوبر/تشرين الأول 2025». A place name that follows
/// the time sets the offset; otherwise `default_zone` does, when given.
pub fn parse_visible_date(line: &str, default_zone: Option<&TimeZone>) -> Option<PublishedTime> {
    let line = to_ascii_digits(line);
    if line.chars().count() > 160 {
        return None;
    }
    let date = numeric_date(&line).or_else(|| named_date(&line))?;
    let time = clock_time(&line);
    let zone = line
        .split(|c: char| c.is_whitespace() || c == '|' || c == '-' || c == '،' || c == ',')
        .filter(|w| !w.is_empty())
        .find_map(zone_for_place)
        .or_else(|| default_zone.cloned());
    Some(match (time, zone) {
        (Some(t), Some(z)) => PublishedTime::from_local(DateTime::from_parts(date, t), &z),
        (Some(t), None) => PublishedTime {
            date,
            time: Some(t),
            offset: None,
        },
        (None, _) => PublishedTime::from_date(date),
    })
}

fn numbers(s: &str) -> Vec<(usize, usize, i64)> {
    // (start, end, value) of each ASCII digit run
    let b = s.as_bytes();
    let mut out = Vec::new();
    let mut i = 0;
    while i < b.len() {
        if b[i].is_ascii_digit() {
            let st = i;
            while i < b.len() && b[i].is_ascii_digit() {
                i += 1;
            }
            if i - st <= 4
                && let Ok(v) = s[st..i].parse()
            {
                out.push((st, i, v));
            }
        } else {
            i += 1;
        }
    }
    out
}

fn numeric_date(s: &str) -> Option<Date> {
    let nums = numbers(s);
    for w in nums.windows(3) {
        let (a, b, c) = (w[0], w[1], w[2]);
        let sep_ok = |x: (usize, usize, i64), y: (usize, usize, i64)| {
            let sep = &s[x.1..y.0];
            sep.len() == 1 && matches!(sep, "." | "/" | "-")
        };
        if !(sep_ok(a, b) && sep_ok(b, c)) {
            continue;
        }
        let (y, m, d) = if a.1 - a.0 == 4 {
            (a.2, b.2, c.2)
        } else if c.1 - c.0 == 4 {
            (c.2, b.2, a.2)
        } else {
            continue;
        };
        if let Ok(date) = Date::new(y as i16, m as i8, d as i8) {
            return Some(date);
        }
    }
    None
}

fn named_date(s: &str) -> Option<Date> {
    let lower = s.to_lowercase();
    // The earliest month name (longest match at that position).
    let mut best: Option<(usize, usize, i8)> = None;
    for (name, m) in MONTH_NAMES {
        let mut from = 0;
        while let Some(p) = lower[from..].find(name) {
            let at = from + p;
            let end = at + name.len();
            let before_ok = lower[..at]
                .chars()
                .next_back()
                .is_none_or(|c| !c.is_alphabetic());
            let after_ok = lower[end..]
                .chars()
                .next()
                .is_none_or(|c| !c.is_alphabetic());
            if before_ok && after_ok {
                let better = match best {
                    None => true,
                    Some((bs, be, _)) => at < bs || (at == bs && end > be),
                };
                if better {
                    best = Some((at, end, *m));
                }
                break;
            }
            from = end;
        }
    }
    let (at, end, month) = best?;
    let nums = numbers(&lower);
    let day = nums
        .iter()
        .rev()
        .find(|n| n.1 <= at && n.1 - n.0 <= 2 && lower[n.1..at].trim().len() <= 1)
        .map(|n| n.2)
        .or_else(|| {
            // "October 25, 2022"
            nums.iter()
                .find(|n| n.0 >= end && n.1 - n.0 <= 2 && lower[end..n.0].trim().is_empty())
                .map(|n| n.2)
        })?;
    let year = nums
        .iter()
        .find(|n| n.0 >= end && n.1 - n.0 == 4)
        .map(|n| n.2)?;
    Date::new(year as i16, month, day as i8).ok()
}

fn clock_time(s: &str) -> Option<Time> {
    let nums = numbers(s);
    for w in nums.windows(2) {
        let (h, m) = (w[0], w[1]);
        if &s[h.1..m.0] == ":" && h.1 - h.0 <= 2 && m.1 - m.0 == 2 {
            let mut hour = h.2 as i8;
            let rest = s[m.1..].trim_start();
            let pm = rest.starts_with('م') || rest.to_lowercase().starts_with("pm");
            let am = rest.starts_with('ص') || rest.to_lowercase().starts_with("am");
            if pm && hour < 12 {
                hour += 12;
            }
            if am && hour == 12 {
                hour = 0;
            }
            return Time::new(hour, m.2 as i8, 0, 0).ok();
        }
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn visible_date_with_city_gets_its_offset() {
        let t = parse_visible_date("2022.10.25 | 12:48 دمشق", None).unwrap();
        assert_eq!(t.to_string(), "2022-10-25T12:48:00+03:00");
        let t = parse_visible_date("2021.01.10 | 09:05 دمشق", None).unwrap();
        assert_eq!(t.to_string(), "2021-01-10T09:05:00+02:00");
    }

    #[test]
    fn named_month_dates() {
        let t = parse_visible_date("الأربعاء 29 كانون الثاني 2020 | 13:20", None).unwrap();
        assert_eq!(t.to_string(), "2020-01-29T13:20:00");
        let t = parse_visible_date("16 أكتوبر/تشرين الأول 2025", None).unwrap();
        assert_eq!(t.to_string(), "2025-10-16");
        let t = parse_visible_date("October 25, 2022", None).unwrap();
        assert_eq!(t.to_string(), "2022-10-25");
        let t = parse_visible_date("١٢ آب ٢٠٢١ ١٠:٠٥", None).unwrap();
        assert_eq!(t.to_string(), "2021-08-12T10:05:00");
    }

    #[test]
    fn machine_times() {
        assert_eq!(
            parse_time("2022-01-26T11:05:00+02:00").unwrap().to_string(),
            "2022-01-26T11:05:00+02:00"
        );
        assert_eq!(
            parse_time("Wed, 07 Jun 2023 16:45:00 +0300")
                .unwrap()
                .to_string(),
            "2023-06-07T16:45:00+03:00"
        );
        assert_eq!(
            parse_time("2019-11-15T10:00:00.000Z").unwrap().to_string(),
            "2019-11-15T10:00:00+00:00"
        );
        assert!(parse_time("yesterday").is_none());
    }

    #[test]
    fn site_suffix_is_removed() {
        assert_eq!(
            strip_site_suffix("خبر عاجل عن الطقس في حلب | موقع الريح", Some("موقع الريح")),
            "خبر عاجل عن الطقس في حلب"
        );
        assert_eq!(
            strip_site_suffix("A long headline about the river flood - Daily", None),
            "A long headline about the river flood"
        );
    }
}
