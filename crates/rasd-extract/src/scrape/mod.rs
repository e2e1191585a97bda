//! The plain-text scrape cleaner: a page copied as text, with the site's chrome still
//! in it (menus, live-coverage links, font widgets, doubled photo captions, share rows,
//! «اقرأ أيضاً» lists, comment prompts, copyright lines, Telegram furniture, wire
//! datelines), becomes the article.
//!
//! It works line by line:
//! 1. every line gets features ([`LineInfo`]: words, Arabic share, final punctuation,
//!    leading symbols) and a local class from the lexicons of [`rules`] (share row,
//!    menu, copyright, related-list header, comment header, UI widget, link, ...);
//! 2. the first *body-like* line (long Arabic prose ending a sentence) splits the page
//!    into a header zone and a body zone;
//! 3. in the header zone the date line ([`dates`]) anchors the title (the line above
//!    it, else below it, else the date line's own label), the dateline («درعا - خاص»,
//!    or the bar part of the date line), and the photo caption (doubled or leftover);
//! 4. in the body zone, prose is kept; chrome is dropped; short lines are kept as
//!    subheadings unless they follow chrome (related lists, footers); copyright and
//!    comment sections end the article.
//!
//! All thresholds and word lists live in [`rules`].

pub mod dates;
pub mod rules;

use dates::{DateLine, parse_date_line, parse_time_line, wire_prefix, zone_for};
use rasd_model::{Article, DocumentMeta, Paragraph, PublishedTime, TextSpan};
use rules::*;
use std::collections::{HashMap, HashSet};
use std::sync::{LazyLock, Mutex};

/// What a line is, as far as its own content tells.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum LineClass {
    Blank,
    /// Widgets, menus, links, separators, Telegram furniture: dropped.
    Chrome,
    /// A share or follow row: dropped.
    Share,
    /// A related-articles header: it and the short lines after it are dropped.
    Related,
    /// A comments header or a copyright line: the article ends here.
    End,
    /// A photo caption marked as such.
    Caption,
    /// A Telegram post header ("🔴 عاجل | دير الزور").
    PostHeader,
    /// A byline ("بقلم: ...", "كتب: ...").
    Author,
    /// A line with a time but no date ("🕐 15:02", "آخر تحديث: 21:30").
    TimeOnly,
    /// Anything else: prose, titles, date lines, datelines.
    Content,
}

/// The features of one line.
#[derive(Debug, Clone)]
pub struct LineInfo {
    /// The line, whitespace collapsed.
    pub raw: String,
    /// The line without leading bullets and emoji.
    pub clean: String,
    pub words: usize,
    /// Arabic letters / all letters.
    pub arabic_ratio: f64,
    pub ends_sentence: bool,
    /// The line started with a bullet or an emoji.
    pub marked: bool,
    pub class: LineClass,
    /// What the line says as a date line, when it is short and holds a date.
    pub date: Option<DateLine>,
}

fn collapse(s: &str) -> String {
    s.split(|c: char| c.is_whitespace() || matches!(c, '\u{200b}' | '\u{feff}'))
        .filter(|w| !w.is_empty())
        .collect::<Vec<_>>()
        .join(" ")
}

/// Bullets, emoji, dashes and symbols that open a line.
fn is_leading_mark(c: char) -> bool {
    matches!(c,
        '-' | '–' | '—' | '*' | '•' | '▪' | '▫' | '◦' | '●' | '■' | '□' | '►' | '▶' | '➤' | '✓' | '✔'
        | '\u{FE0F}' | '\u{200D}' | '\u{20E3}' | '\u{2190}'..='\u{2BFF}' | '\u{1F000}'..='\u{1FAFF}'
        | '\u{2139}' | '\u{00B7}' | '~' | '>')
        || c.is_whitespace()
}

fn strip_leading_marks(s: &str) -> (&str, bool) {
    let t = s.trim_start_matches(is_leading_mark);
    // "- " is a bullet, "-A" is a widget: keep a dash glued to a Latin letter.
    let t =
        if t.len() < s.len() && s.starts_with('-') && !s.starts_with("- ") && !s.starts_with("-- ")
        {
            s
        } else {
            t
        };
    (t.trim_end(), t.len() < s.len())
}

/// `char::is_alphabetic` with a fast path for ASCII and the Arabic letters.
fn is_letter(c: char) -> bool {
    c.is_ascii_alphabetic()
        || ('\u{0621}'..='\u{064A}').contains(&c)
        || (!c.is_ascii() && c.is_alphabetic())
}

fn arabic_ratio(s: &str) -> f64 {
    let (mut ar, mut all) = (0usize, 0usize);
    for c in s.chars().filter(|&c| is_letter(c)) {
        all += 1;
        if ('\u{0600}'..='\u{06FF}').contains(&c) || ('\u{0750}'..='\u{077F}').contains(&c) {
            ar += 1;
        }
    }
    if all == 0 {
        0.0
    } else {
        ar as f64 / all as f64
    }
}

fn ends_sentence(s: &str) -> bool {
    let t = s.trim_end_matches(['"', '»', ')', '”', '\'', ' ']);
    t.ends_with(['.', '!', '؟', '?', '…', ':', '؛'])
}

/// A word list folded once (alef/yeh variants, diacritics), for fast lookups.
struct FoldedList {
    set: HashSet<String>,
    list: Vec<String>,
}

/// The folded form of a static list, computed on first use.
fn folded(list: &'static [&'static str]) -> &'static FoldedList {
    static CACHE: LazyLock<Mutex<HashMap<usize, &'static FoldedList>>> =
        LazyLock::new(Default::default);
    let key = list.as_ptr() as usize;
    let mut cache = CACHE.lock().unwrap_or_else(|e| e.into_inner());
    cache.entry(key).or_insert_with(|| {
        let list: Vec<String> = list.iter().map(|w| dates::fold(w)).collect();
        Box::leak(Box::new(FoldedList {
            set: list.iter().cloned().collect(),
            list,
        }))
    })
}

fn starts_with_any(s: &str, list: &'static [&'static str]) -> bool {
    folded_starts_with_any(&dates::fold(s), list)
}

/// [`starts_with_any`] for text already folded.
fn folded_starts_with_any(f: &str, list: &'static [&'static str]) -> bool {
    folded(list).list.iter().any(|p| {
        f.starts_with(p.as_str()) && f[p.len()..].chars().next().is_none_or(|c| !is_letter(c))
    })
}

fn is_any(s: &str, list: &'static [&'static str]) -> bool {
    let f = dates::fold(s.trim_matches(|c: char| !c.is_alphanumeric() && c != '+' && c != '-'));
    folded(list).set.contains(&f)
}

fn segments(s: &str) -> Vec<&str> {
    s.split(|c| SEGMENT_SEPARATORS.contains(&c))
        .map(str::trim)
        .filter(|x| !x.is_empty())
        .collect()
}

fn word_set_tokens(s: &str) -> Vec<&str> {
    s.split(|c: char| {
        c.is_whitespace() || SEGMENT_SEPARATORS.contains(&c) || matches!(c, ':' | '،' | ',' | '-')
    })
    .map(|w| w.trim_matches(|c: char| !c.is_alphanumeric() && c != '+'))
    .filter(|w| !w.is_empty())
    .collect()
}

/// Classifies one line from its own content.
fn classify(raw: &str, clean: &str, words: usize, marked: bool, date: bool) -> LineClass {
    if raw.is_empty() {
        return LineClass::Blank;
    }
    let letters = clean.chars().filter(|&c| is_letter(c)).count();
    let lower = clean.to_lowercase();
    let fc = dates::fold(clean);
    // A date line is content even though it looks like a menu.
    if date && !ends_sentence(clean) {
        return LineClass::Content;
    }
    if letters == 0 {
        if dates::find_time(&dates::ascii_digits(clean)).is_some() {
            return LineClass::TimeOnly;
        }
        return LineClass::Chrome;
    }
    if COPYRIGHT_PHRASES.iter().any(|p| raw.contains(p)) && words <= FOOTER_LINE_MAX_WORDS {
        return LineClass::End;
    }
    if folded_starts_with_any(&fc, COMMENT_HEADERS) && words <= UI_LINE_MAX_WORDS {
        return LineClass::End;
    }
    if folded_starts_with_any(&fc, RELATED_HEADERS) {
        return LineClass::Related;
    }
    if folded_starts_with_any(&fc, CAPTION_PREFIXES) || starts_with_any(raw, CAPTION_PREFIXES) {
        return LineClass::Caption;
    }
    if is_any(clean, UI_LINES) || is_any(raw, UI_LINES) {
        return LineClass::Chrome;
    }
    let toks = word_set_tokens(clean);
    if !toks.is_empty() && words <= UI_LINE_MAX_WORDS && toks.iter().all(|t| is_any(t, UI_WORDS)) {
        return LineClass::Chrome;
    }
    let networks = toks.iter().filter(|t| is_any(t, SHARE_NETWORKS)).count();
    let fillers = toks.iter().filter(|t| is_any(t, SHARE_FILLERS)).count();
    if networks >= 2 && (networks + fillers) as f64 >= SHARE_MIN_RATIO * toks.len() as f64 {
        return LineClass::Share;
    }
    // Share buttons a scrape wrote one per line («فيسبوك», «تويتر», … each alone).
    if networks >= 1 && networks == toks.len() && words <= UI_LINE_MAX_WORDS {
        return LineClass::Share;
    }
    if folded_starts_with_any(&fc, FOLLOW_PREFIXES)
        && words <= FOOTER_LINE_MAX_WORDS
        && !ends_sentence(clean)
    {
        return LineClass::Share;
    }
    if folded_starts_with_any(&fc, AUTHOR_PREFIXES)
        && words <= UI_LINE_MAX_WORDS
        && !ends_sentence(clean)
    {
        return LineClass::Author;
    }
    if words <= UI_LINE_MAX_WORDS
        && ((folded_starts_with_any(&fc, RELATIVE_TIME_PREFIXES)
            && clean
                .split_whitespace()
                .any(|w| is_any(w, RELATIVE_TIME_UNITS)))
            || READING_TIME_WORDS.iter().any(|w| clean.contains(w)))
        && dates::find_date(&dates::ascii_digits(clean)).is_none()
    {
        return LineClass::Chrome;
    }
    if folded_starts_with_any(&fc, TAG_PREFIXES) && words <= FOOTER_LINE_MAX_WORDS {
        return LineClass::Chrome;
    }
    if folded_starts_with_any(&fc, WIRE_END_PREFIXES) && words <= UI_LINE_MAX_WORDS {
        return LineClass::End;
    }
    // Hashtag rows.
    if clean.split_whitespace().all(|w| w.starts_with('#')) {
        return LineClass::Chrome;
    }
    // Links and image file names.
    if lower.contains("http://")
        || lower.contains("https://")
        || lower.contains("www.")
        || [".jpg", ".jpeg", ".png", ".webp", ".gif"]
            .iter()
            .any(|e| lower.ends_with(e))
    {
        return LineClass::Chrome;
    }
    // View counters ("👁 12.4K").
    if marked && letters <= 2 && clean.chars().any(|c| c.is_ascii_digit()) {
        return LineClass::Chrome;
    }
    if words <= 8 && letters <= 12 && dates::find_time(&dates::ascii_digits(clean)).is_some() {
        return LineClass::TimeOnly;
    }
    if words <= 8
        && TIME_LINE_WORDS.iter().any(|w| clean.contains(w))
        && parse_time_line(clean).is_some()
    {
        return LineClass::TimeOnly;
    }
    // Telegram post headers: a kicker, optionally "| place".
    if words <= POST_HEADER_MAX_WORDS {
        let first = clean.split(['|', ':']).next().unwrap_or("").trim();
        if is_any(first, KICKERS) && (marked || clean.contains('|')) {
            return LineClass::PostHeader;
        }
    }
    // Menus and breadcrumbs: a line of menu words, or a short line opening with a
    // home word («الرئيسية - سياسة - محلي», «الرئيسية  أخبار  فيديو»).
    if !ends_sentence(clean)
        && ((toks.len() >= 2 && toks.iter().all(|t| is_any(t, MENU_WORDS)))
            || (words <= NAV_LINE_MAX_WORDS
                && toks.len() >= 2
                && (is_any(toks[0], HOME_WORDS) || folded_starts_with_any(&fc, HOME_WORDS))))
    {
        return LineClass::Chrome;
    }
    // Subscriber and view counters ("12.4K مشترك").
    if words <= COUNTER_LINE_MAX_WORDS
        && clean.chars().any(|c| c.is_numeric())
        && toks.iter().any(|t| is_any(t, COUNTER_WORDS))
    {
        return LineClass::Chrome;
    }
    // Editors' initials closing a wire story ("ن.ع / م.ش").
    if letters <= INITIALS_MAX_LETTERS && is_initials_row(clean) {
        return LineClass::Chrome;
    }
    // Menus and breadcrumbs.
    let segs = segments(clean);
    let short_segs = segs
        .iter()
        .all(|s| s.split_whitespace().count() <= MENU_SEGMENT_MAX_WORDS);
    if !ends_sentence(clean)
        && short_segs
        && (segs.len() >= MENU_MIN_SEGMENTS
            || (segs.len() >= 2 && segs.iter().any(|s| is_any(s, HOME_WORDS))))
    {
        return LineClass::Chrome;
    }
    LineClass::Content
}

/// "ن.ع / م.ش": abbreviations of one or two letters joined by dots, split by slashes.
fn is_initials_row(s: &str) -> bool {
    let mut abbrevs = 0;
    for tok in s.split_whitespace() {
        if tok.chars().all(|c| matches!(c, '/' | '\\' | '-' | '|')) {
            continue;
        }
        let parts: Vec<&str> = tok.split('.').filter(|p| !p.is_empty()).collect();
        if parts.len() < 2
            || !tok.contains('.')
            || parts
                .iter()
                .any(|p| p.chars().count() > 2 || !p.chars().all(is_letter))
        {
            return false;
        }
        abbrevs += 1;
    }
    abbrevs >= 1
}

fn line_info(line: &str) -> LineInfo {
    let raw = collapse(line);
    let (clean, marked) = strip_leading_marks(&raw);
    let clean = clean.to_string();
    let words = clean.split_whitespace().count();
    let date = if words <= DATE_LINE_MAX_WORDS {
        parse_date_line(&clean)
    } else {
        None
    };
    let class = classify(&raw, &clean, words, marked, date.is_some());
    LineInfo {
        arabic_ratio: arabic_ratio(&clean),
        ends_sentence: ends_sentence(&clean),
        words,
        marked,
        class,
        clean,
        raw,
        date,
    }
}

impl LineInfo {
    /// Prose: long enough, Arabic, and a sentence.
    pub fn body_like(&self) -> bool {
        self.class == LineClass::Content
            && self.words >= BODY_MIN_WORDS
            && self.arabic_ratio >= ARABIC_MIN_RATIO
            && (self.words >= BODY_LONG_WORDS
                || (self.ends_sentence
                    && (!self.clean.ends_with(['؟', '?'])
                        || self.words >= BODY_QUESTION_MIN_WORDS)))
    }

    /// Prose that no headline would be: long and ending a statement.
    fn strong_body(&self) -> bool {
        self.body_like() && self.words >= STRONG_BODY_MIN_WORDS && !self.clean.ends_with(['؟', '?'])
    }

    fn title_like(&self) -> bool {
        let brand = self.words <= BRAND_MAX_WORDS
            && self
                .clean
                .split_whitespace()
                .any(|w| is_any(w, SITE_NAME_WORDS));
        !brand
            && self.class == LineClass::Content
            && (TITLE_MIN_WORDS..=TITLE_MAX_WORDS).contains(&self.words)
            && self.arabic_ratio >= ARABIC_MIN_RATIO
            && (!self.clean.ends_with('.') || self.clean.ends_with(".."))
    }
}

/// "درعا - خاص" → "درعا".
fn standalone_dateline(l: &LineInfo) -> Option<String> {
    if l.class != LineClass::Content || l.clean.chars().any(|c| c.is_numeric()) {
        return None;
    }
    let (left, right) = split_dash(&l.clean)?;
    let lw = left.split_whitespace().count();
    let rw = right.split_whitespace().count();
    if (1..=DATELINE_SIDE_MAX_WORDS).contains(&lw) && (1..=DATELINE_SIDE_MAX_WORDS).contains(&rw) {
        Some(left.trim().to_string())
    } else {
        None
    }
}

fn split_dash(s: &str) -> Option<(&str, &str)> {
    for d in [" - ", " – ", " — "] {
        if let Some(i) = s.find(d) {
            return Some((&s[..i], &s[i + d.len()..]));
        }
    }
    None
}

/// Strips a kicker label ("عاجل | ", "تحقيق: ") from a title.
fn strip_kicker(t: &str) -> &str {
    for sep in ['|', ':'] {
        if let Some(i) = t.find(sep)
            && is_any(&t[..i], KICKERS)
        {
            return t[i + sep.len_utf8()..].trim();
        }
    }
    t
}

/// What the header of a scrape says.
#[derive(Debug, Default)]
struct Header {
    title: Option<String>,
    date: Option<DateLine>,
    time_line: Option<(jiff::civil::Time, Option<String>)>,
    dateline: Option<String>,
    caption: Option<String>,
}

/// Cleans a plain-text scrape into an article. `meta` fills what the page lacks;
/// manifest values (`meta.from_manifest`) win over the page.
pub fn extract_scrape(doc_id: &str, text: &str, meta: &DocumentMeta) -> Article {
    let lines: Vec<LineInfo> = text.lines().map(line_info).collect();
    let n = lines.len();
    let is_category = |s: &str| is_any(s, CATEGORY_WORDS);
    let is_date_line = |l: &LineInfo| {
        l.class == LineClass::Content
            && !l.strong_body()
            && l.words <= DATE_LINE_MAX_WORDS
            && l.date.is_some()
    };
    // The date line: above the first strong paragraph if there is one there, else
    // anywhere (a footer "published on" line).
    let first_strong = (0..n).find(|&i| lines[i].strong_body()).unwrap_or(n);
    let date_idx = (0..first_strong)
        .find(|&i| is_date_line(&lines[i]))
        .or_else(|| (first_strong..n).find(|&i| is_date_line(&lines[i]) && !lines[i].body_like()));
    let body_from = date_idx.filter(|&d| d < first_strong).map_or(0, |d| d + 1);
    // A post under a Telegram post header is body however short it is.
    let after_post_header = |i: usize| {
        (0..i)
            .rev()
            .find(|&j| lines[j].class != LineClass::Blank)
            .is_some_and(|j| lines[j].class == LineClass::PostHeader)
    };
    let post_text = |i: usize| {
        let l = &lines[i];
        l.class == LineClass::Content
            && l.words >= POST_MIN_WORDS
            && l.arabic_ratio >= ARABIC_MIN_RATIO
            && after_post_header(i)
    };
    let first_body = (body_from..n)
        .find(|&i| lines[i].body_like() || post_text(i))
        .or_else(|| {
            // No line reads as a finished sentence: take the first long Arabic line.
            (body_from..n).find(|&i| {
                let l = &lines[i];
                l.class == LineClass::Content
                    && l.words >= BODY_MIN_WORDS
                    && l.arabic_ratio >= ARABIC_MIN_RATIO
                    && l.date.is_none()
            })
        });
    let header_end = first_body.unwrap_or(n);
    let mut h = Header::default();
    let mut used = vec![false; n];

    if let Some(d) = date_idx {
        used[d] = true;
        h.date = lines[d].date.clone();
        for j in d + 1..(d + 3).min(n) {
            if lines[j].class == LineClass::TimeOnly {
                h.time_line = parse_time_line(&lines[j].clean);
                used[j] = true;
                break;
            }
        }
    }
    let first_content = (0..n).find(|&i| lines[i].class == LineClass::Content);

    // Other date lines in the header ("آخر تحديث: 13 آذار 2023") are furniture.
    for i in 0..header_end {
        if !used[i] && is_date_line(&lines[i]) {
            used[i] = true;
        }
    }
    // Doubled lines are the photo caption (shown under the photo and as its alt text).
    for i in 0..n.saturating_sub(1) {
        if lines[i].class == LineClass::Content && lines[i].clean == lines[i + 1].clean {
            if h.caption.is_none() {
                h.caption = Some(lines[i].clean.clone());
            }
            used[i] = true;
            used[i + 1] = true;
        }
    }

    // The outlet's name, as the manifest or a copyright line gives it: a line equal to
    // it, or contained in it or in a copyright line, is the masthead, not the title.
    let brand_texts: Vec<String> = meta
        .source
        .iter()
        .cloned()
        .chain(
            lines
                .iter()
                .filter(|l| l.class == LineClass::End)
                .filter(|l| COPYRIGHT_PHRASES.iter().any(|p| l.raw.contains(p)))
                .flat_map(|l| {
                    [l.clean.clone()]
                        .into_iter()
                        .chain(site_name_from_copyright(&l.clean))
                }),
        )
        .map(|t| dates::fold(&t))
        .filter(|t| !t.is_empty())
        .collect();
    let brand = |i: usize| {
        let f = dates::fold(strip_kicker(&lines[i].clean));
        !f.is_empty() && brand_texts.iter().any(|b| b.contains(&f))
    };

    // Title: above the date line, else below it, else the date line's own label.
    let mut title_idx = None;
    // A «place - outlet» line above the date line, a dateline if none is found below.
    let mut dateline_above = None;
    if let Some(d) = date_idx.filter(|&d| d < header_end) {
        let mut i = d;
        while i > 0 {
            i -= 1;
            let l = &lines[i];
            if l.class == LineClass::Blank {
                continue;
            }
            if !used[i] && standalone_dateline(l).is_some() {
                dateline_above.get_or_insert(i);
                continue;
            }
            if !used[i] && l.title_like() && !brand(i) {
                title_idx = Some(i);
            }
            break;
        }
        if title_idx.is_none() {
            title_idx = (d + 1..header_end).find(|&i| {
                !used[i]
                    && lines[i].title_like()
                    && !brand(i)
                    && standalone_dateline(&lines[i]).is_none()
            });
        }
    } else if let Some(p) = first_body {
        // No date line: the line just above the body, when it reads as a headline.
        // (Skipping bylines, widgets and datelines between the two.)
        if let Some(i) = (0..p).rev().find(|&i| {
            lines[i].class == LineClass::Content
                && !used[i]
                && standalone_dateline(&lines[i]).is_none()
        }) {
            let l = &lines[i];
            if !used[i]
                && l.title_like()
                && !brand(i)
                && l.words >= 4
                && Some(i) != first_content
                && split_dash(&l.clean).is_none()
                && !l.clean.contains('|')
            {
                title_idx = Some(i);
            }
        }
    }
    if let Some(t) = title_idx {
        used[t] = true;
        h.title = Some(strip_kicker(&lines[t].clean).to_string());
    }
    let mut rest_used_as_title = None;
    if h.title.is_none()
        && let Some(dl) = &h.date
        && let Some(seg) = dl.rest.iter().find(|s| {
            split_dash(s).is_none()
                && !dates::is_known_place(s)
                && s.split_whitespace().count() >= 1
        })
    {
        h.title = Some(strip_kicker(seg).to_string());
        rest_used_as_title = Some(seg.clone());
    }

    // Dateline: a "place - sourcing" line after the title, else the date line's bar part.
    // Only below an anchor (title or date line): above it are site names.
    let scan_from = match (title_idx, date_idx) {
        (Some(t), Some(d)) => t.min(d) + 1,
        (t, d) => t.or(d).map_or(header_end, |i| i + 1),
    };
    for i in scan_from..header_end {
        if used[i] || Some(i) == first_content {
            continue;
        }
        if let Some(place) = standalone_dateline(&lines[i]) {
            h.dateline = Some(place);
            used[i] = true;
            break;
        }
    }
    if h.dateline.is_none()
        && let Some(dl) = &h.date
    {
        for seg in &dl.rest {
            if Some(seg) == rest_used_as_title.as_ref() {
                continue;
            }
            let place = split_dash(seg).map_or(seg.as_str(), |(l, _)| l).trim();
            let w = place.split_whitespace().count();
            if (1..=DATELINE_SIDE_MAX_WORDS).contains(&w)
                && !is_category(place)
                && !place.split_whitespace().any(|w| is_any(w, HOME_WORDS))
                && !starts_with_any(place, AUTHOR_PREFIXES)
                && !place.split_whitespace().any(|w| is_any(w, SITE_NAME_WORDS))
            {
                h.dateline = Some(place.to_string());
                break;
            }
        }
    }
    if h.dateline.is_none()
        && let Some(i) = dateline_above
        && let Some((place, source)) = split_dash(&lines[i].clean)
    {
        // «تعز - المنبر اليمني» above the date line: the right side must name the
        // outlet or its sourcing, else the line may be a site's own slogan.
        let source_f = dates::fold(source.trim());
        let sourced = source
            .split_whitespace()
            .any(|w| is_any(w, DATELINE_SOURCING))
            || is_agency(source)
            || brand_texts.iter().any(|b| b.contains(&source_f));
        if sourced && !is_any(place, MENU_WORDS) && !is_category(place) {
            h.dateline = Some(place.trim().to_string());
            used[i] = true;
        }
    }
    if h.dateline.is_none() {
        // Telegram: the place of the first post header.
        h.dateline = lines
            .iter()
            .filter(|l| l.class == LineClass::PostHeader)
            .find_map(|l| {
                let (_, place) = l.clean.split_once('|')?;
                let place = place.trim();
                (!place.is_empty() && !is_any(place, KICKERS)).then(|| place.to_string())
            });
    }

    // Caption: a marked caption line, else a leftover line between title/date and body.
    if h.caption.is_none() {
        h.caption = lines
            .iter()
            .find(|l| l.class == LineClass::Caption)
            .map(|l| caption_text(&l.clean));
    }
    if h.caption.is_none() {
        let start = title_idx.max(date_idx).map_or(header_end, |i| i + 1);
        h.caption = (start..header_end)
            .find(|&i| {
                !used[i]
                    && lines[i].class == LineClass::Content
                    && !lines[i].ends_sentence
                    && lines[i].words >= 3
                    && lines[i].arabic_ratio >= ARABIC_MIN_RATIO
            })
            .map(|i| lines[i].clean.clone());
    }

    // Body.
    let mut paras: Vec<(String, bool)> = Vec::new();
    let mut wire_dateline = None;
    let mut wire_date = None;
    // A short lead sentence just above the first paragraph belongs to the body.
    let anchor = title_idx.max(date_idx);
    let first_body = first_body.map(|mut p0| {
        loop {
            let Some(prev) = (0..p0).rev().find(|&i| lines[i].class != LineClass::Blank) else {
                break p0;
            };
            let l = &lines[prev];
            let ok = !used[prev]
                && anchor.is_none_or(|a| prev > a)
                && l.class == LineClass::Content
                && l.ends_sentence
                && l.words >= LEAD_MIN_WORDS
                && l.arabic_ratio >= ARABIC_MIN_RATIO
                && standalone_dateline(l).is_none();
            if !ok {
                break p0;
            }
            p0 = prev;
        }
    });
    if let Some(p0) = first_body {
        let mut after_chrome = false;
        let mut i = p0;
        while i < n {
            let l = &lines[i];
            match l.class {
                LineClass::Blank => {}
                LineClass::End => break,
                LineClass::Content if used[i] => {}
                LineClass::Content => {
                    let mut text = l.clean.clone();
                    if i == p0
                        && let Some((place, d, start)) = wire_prefix(&text, WIRE_PREFIX_MAX_CHARS)
                            .or_else(|| inline_dateline(&text))
                    {
                        wire_dateline = Some(place);
                        wire_date = d;
                        text = text[start..].to_string();
                    }
                    if l.body_like() {
                        paras.push((text, false));
                        after_chrome = false;
                    } else if !after_chrome {
                        let next_body = lines[i + 1..]
                            .iter()
                            .find(|x| x.class != LineClass::Blank)
                            .is_some_and(LineInfo::body_like);
                        let heading =
                            next_body && l.words <= HEADING_MAX_WORDS && !l.clean.ends_with('.');
                        paras.push((text, heading));
                    }
                }
                LineClass::Caption => {
                    if h.caption.is_none() {
                        h.caption = Some(caption_text(&l.clean));
                    }
                    after_chrome = true;
                }
                LineClass::PostHeader => after_chrome = false,
                // «اقرأ أيضاً: عنوان» is one link: what follows is the article again.
                LineClass::Related if inline_link(&l.clean) => {}
                _ => after_chrome = true,
            }
            i += 1;
        }
    }
    if h.dateline.is_none() {
        h.dateline = wire_dateline;
    }

    // Published time.
    let page_time = h.date.as_ref().map(|dl| {
        let time = dl.time.or(h.time_line.as_ref().map(|t| t.0));
        let zone_place = dl
            .zone_place
            .clone()
            .or_else(|| h.time_line.as_ref().and_then(|t| t.1.clone()))
            .or_else(|| dl.rest.iter().find(|s| dates::is_known_place(s)).cloned());
        match (time, zone_place.as_deref().and_then(zone_for)) {
            (Some(t), Some(tz)) => PublishedTime::from_local(dl.date.to_datetime(t), &tz),
            (Some(t), None) => PublishedTime {
                date: dl.date,
                time: Some(t),
                offset: None,
            },
            (None, _) => PublishedTime::from_date(dl.date),
        }
    });
    let page_time = page_time.or(wire_date.map(PublishedTime::from_date));
    let published = if meta.from_manifest && meta.published.is_some() {
        meta.published
    } else {
        page_time.or(meta.published)
    };

    let mut text_out = String::new();
    let mut paragraphs = Vec::new();
    let mut subheadings = Vec::new();
    let mut chars = 0;
    for (k, (p, heading)) in paras.iter().enumerate() {
        if k > 0 {
            text_out.push('\n');
            chars += 1;
        }
        let len = p.chars().count();
        text_out.push_str(p);
        paragraphs.push(Paragraph {
            span: TextSpan::new(chars, chars + len),
            heading: *heading,
        });
        if *heading {
            subheadings.push(p.clone());
        }
        chars += len;
    }
    let language = (!text_out.is_empty() && arabic_ratio(&text_out) >= ARABIC_MIN_RATIO)
        .then(|| "ar".to_string());
    Article {
        doc_id: doc_id.to_string(),
        url: meta.url.clone(),
        source: meta.source.clone().or_else(|| {
            lines
                .iter()
                .filter(|l| l.class == LineClass::End)
                .find_map(|l| site_name_from_copyright(&l.clean))
        }),
        title: h.title.or_else(|| meta.title.clone()),
        published,
        modified: None,
        author: lines
            .iter()
            .find(|l| l.class == LineClass::Author)
            .and_then(|l| author_name(&l.clean)),
        dateline: h.dateline,
        caption: h.caption,
        subheadings,
        text: text_out,
        paragraphs,
        language,
    }
}

/// A source naming an agency or outlet ("وكالة الشام للأنباء", "سوريا نيوز"): one of
/// its words is an outlet word of three letters or more.
fn is_agency(source: &str) -> bool {
    source
        .split_whitespace()
        .any(|w| w.chars().filter(|&c| is_letter(c)).count() >= 3 && is_any(w, SITE_NAME_WORDS))
}

/// A dateline opening the first paragraph: «درعا - خاص: ...», «حلب – متابعات: ...»,
/// «مصياف-وكالة الشام للأنباء: ...» (the dash may be glued to both words).
fn inline_dateline(p: &str) -> Option<(String, Option<jiff::civil::Date>, usize)> {
    let (left, right) = split_dash(p).or_else(|| {
        let limit = p
            .char_indices()
            .nth(WIRE_PREFIX_MAX_CHARS)
            .map_or(p.len(), |(i, _)| i);
        let i = p[..limit].find(['-', '–', '—'])?;
        let dash = p[i..].chars().next()?;
        Some((&p[..i], &p[i + dash.len_utf8()..]))
    })?;
    let lw = left.split_whitespace().count();
    if lw == 0 || lw > DATELINE_SIDE_MAX_WORDS || left.chars().any(|c| c.is_numeric()) {
        return None;
    }
    let colon = right.find([':', '،'])?;
    let source = right[..colon].trim();
    let sw = source.split_whitespace().count();
    let sourcing = source
        .split_whitespace()
        .any(|w| is_any(w, DATELINE_SOURCING));
    if sw == 0
        || sw > WIRE_SOURCE_MAX_WORDS
        || (!sourcing && !is_agency(source))
        || (sourcing && sw > DATELINE_SIDE_MAX_WORDS)
    {
        return None;
    }
    let start = p.len() - right.len() + colon + right[colon..].chars().next()?.len_utf8();
    let start = start + (p[start..].len() - p[start..].trim_start().len());
    Some((left.trim().to_string(), None, start))
}

/// The outlet named in a copyright line: "© 2022 صدى الساحل. جميع الحقوق محفوظة."
/// → "صدى الساحل".
fn site_name_from_copyright(line: &str) -> Option<String> {
    if !COPYRIGHT_PHRASES.iter().any(|p| line.contains(p)) {
        return None;
    }
    let parts: Vec<&str> = line
        .split(['|', '.', '–'])
        .flat_map(|p| p.split(" - "))
        .collect();
    let clean = |part: &str| {
        let mut t = part.to_string();
        for p in COPYRIGHT_PHRASES {
            t = t.replace(p, " ");
        }
        let words: Vec<&str> = t
            .split_whitespace()
            .map(|w| w.trim_matches(|c: char| !is_letter(c)))
            .filter(|w| !w.is_empty() && !w.chars().all(|c| c.is_numeric()))
            .collect();
        let mut name = words.join(" ");
        for prefix in ["لموقع ", "لقناة ", "لوكالة ", "لشبكة ", "لصحيفة "]
        {
            if let Some(r) = name.strip_prefix(prefix) {
                name = r.to_string();
            }
        }
        // «محفوظة لنافذة الجنوب»: the preposition glued to the outlet's name.
        if part.contains("محفوظة ل")
            && let Some(r) = name.strip_prefix('ل')
        {
            name = r.to_string();
        }
        name
    };
    let mut order: Vec<&str> = parts.iter().copied().filter(|p| p.contains('©')).collect();
    order.extend(parts.iter().copied().filter(|p| !p.contains('©')));
    order
        .into_iter()
        .map(clean)
        .find(|n| (1..=BRAND_MAX_WORDS).contains(&n.split_whitespace().count()))
}

/// A related-articles header with its one link on the same line.
fn inline_link(s: &str) -> bool {
    s.split_once([':', '-', '–'])
        .is_some_and(|(_, link)| link.split_whitespace().count() >= 2)
}

/// "بقلم: سلمى يوسف" → "سلمى يوسف".
fn author_name(s: &str) -> Option<String> {
    let rest = s
        .split_once([':', '-', '–'])
        .map_or_else(|| s.split_once(' ').map_or("", |(_, r)| r), |(_, r)| r);
    let name = rest.trim();
    (!name.is_empty()).then(|| name.to_string())
}

fn caption_text(s: &str) -> String {
    let mut t = s.trim();
    for p in CAPTION_PREFIXES {
        if let Some(r) = t.strip_prefix(p) {
            t = r.trim();
        }
    }
    t.to_string()
}

#[cfg(test)]
mod tests;
