//! The HTML article extractor: parse, read metadata, drop page chrome, find the
//! article container by scoring text blocks, then emit its paragraphs in order.

use crate::dom::{Dom, FnvBuild, KNOWN_TAGS, NodeId, ParseOptions, known_tag_id};
use crate::heuristics::*;
use crate::meta::{self, PageMeta};
use crate::text::{chars_and_punctuation, collapse_ws, is_chrome_line, visible_chars};
use rasd_model::PublishedTime;
use std::collections::HashSet;
use std::sync::LazyLock;

/// One paragraph of the body.
#[derive(Debug, Clone, PartialEq)]
pub struct Block {
    pub text: String,
    pub heading: bool,
}

/// What the HTML extractor found.
#[derive(Debug, Default, Clone)]
pub struct HtmlArticle {
    pub meta: PageMeta,
    pub blocks: Vec<Block>,
    pub caption: Option<String>,
    pub dateline: Option<String>,
    /// A publication time read from a visible date line, when the page shows one.
    pub visible_published: Option<PublishedTime>,
}

/// Extracts the article of an HTML page.
pub fn extract_html(html: &str) -> HtmlArticle {
    let html = truncate(html, MAX_HTML_BYTES);
    let mut dom = Dom::parse_with(html, &PARSE_OPTIONS);
    let json_ld = std::mem::take(&mut dom.json_ld);
    let meta = meta::read(&dom, &json_ld);
    let flags = class_flags(&dom);
    // (visible characters, punctuation) of every text node, counted once.
    let counts: Vec<(u32, u32)> = (0..dom.len())
        .map(|id| match dom.text_of(id) {
            Some(t) => {
                let (c, p) = chars_and_punctuation(t);
                (c as u32, p as u32)
            }
            None => (0, 0),
        })
        .collect();
    let mut ex = Extractor::new(&dom, &meta, &flags, &counts);
    ex.mark_drops();
    let meta_lines = std::mem::take(&mut ex.meta_lines);
    let caption = ex.caption.take();
    let drops = std::mem::take(&mut ex.drops);
    drop(ex);
    for d in drops {
        dom.detach(d);
    }
    let ex = Extractor::new(&dom, &meta, &flags, &counts);
    let mut blocks = ex.main_blocks();
    let body_chars: usize = blocks.iter().map(|b| b.text.chars().count()).sum();
    if body_chars < MIN_ARTICLE_CHARS {
        let fallback = ex.all_paragraphs();
        let fb_chars: usize = fallback.iter().map(|b| b.text.chars().count()).sum();
        if fb_chars > body_chars * 2 {
            blocks = fallback;
        }
    }
    let body_chars: usize = blocks.iter().map(|b| b.text.chars().count()).sum();
    if let Some(ld) = &meta.json_ld_body {
        let ld_blocks: Vec<Block> = ld
            .split('\n')
            .map(collapse_ws)
            .filter(|t| !t.is_empty())
            .map(|text| Block {
                text,
                heading: false,
            })
            .collect();
        let ld_chars: usize = ld_blocks.iter().map(|b| b.text.chars().count()).sum();
        if body_chars < MIN_ARTICLE_CHARS && ld_chars > body_chars {
            blocks = ld_blocks;
        }
    }

    // A headline repeated as a body line names the part of <title> before the
    // site name («حريق في السوق - موقع الساحل»).
    let mut meta = meta;
    if let Some(t) = meta.title.clone()
        && let Some(k) = blocks.iter().take(3).position(|b| {
            b.text.chars().count() >= 8
                && t.strip_prefix(b.text.as_str())
                    .is_some_and(|rest| TITLE_SEPARATORS.iter().any(|s| rest.starts_with(s)))
        })
    {
        meta.title = Some(blocks[k].text.clone());
        blocks.remove(k);
    }

    // Dateline and visible date from the byline-like lines and the short lines
    // before the body.
    let mut lines = meta_lines;
    let mut leading = 0;
    for b in &blocks {
        if b.text.chars().count() > DATELINE_MAX_LINE_CHARS {
            break;
        }
        lines.push(b.text.clone());
        leading += 1;
    }
    let site = meta.site_name.as_deref();
    let dateline = lines.iter().find_map(|l| dateline_of(l, site));
    let visible_published = lines.iter().find_map(|l| meta::parse_visible_date(l, None));
    // Leading short lines that are a dateline or a date are not body text.
    let mut k = 0;
    blocks.retain(|b| {
        k += 1;
        !(k <= leading
            && (dateline_of(&b.text, site).is_some()
                || meta::parse_visible_date(&b.text, None).is_some()))
    });
    if let Some(c) = &caption {
        blocks.retain(|b| &b.text != c);
    }
    HtmlArticle {
        meta,
        blocks,
        caption,
        dateline,
        visible_published,
    }
}

/// How extraction parses: the raw-text elements that never hold article text are
/// dropped unread, only the attributes the heuristics read are kept.
static PARSE_OPTIONS: ParseOptions = ParseOptions {
    dropped: STRIPPED_RAW_ELEMENTS,
    keep_attribute: keep_attr,
    max_class_tokens: MAX_CLASS_TOKENS,
    max_depth: MAX_NESTING,
    max_nodes: MAX_NODES,
    collapse_whitespace: true,
};

/// Whether extraction reads an attribute: `style` only when it may hide the
/// element, `href` only on `<link>` (canonical URL), the rest by name.
fn keep_attr(tag: &str, name: &str, value: &str) -> bool {
    match name {
        "style" => {
            let v = value.as_bytes();
            contains_ci(v, b"none") || contains_ci(v, b"hidden")
        }
        "href" => tag == "link",
        _ => KEPT_ATTRIBUTES.contains(&name),
    }
}

fn contains_ci(hay: &[u8], needle: &[u8]) -> bool {
    hay.windows(needle.len())
        .any(|w| w.eq_ignore_ascii_case(needle))
}

fn truncate(s: &str, max: usize) -> &str {
    if s.len() <= max {
        return s;
    }
    let mut end = max;
    while !s.is_char_boundary(end) {
        end -= 1;
    }
    &s[..end]
}

/// The place of a dateline/byline line: «درعا - خاص» → درعا, «المشرق برس - درعا» → درعا.
pub fn dateline_of(line: &str, site: Option<&str>) -> Option<String> {
    let line = collapse_ws(line);
    if line.chars().count() > DATELINE_MAX_LINE_CHARS {
        return None;
    }
    let head = line.split(['|', '،', ',']).next()?.trim();
    let head = head.trim_end_matches(':').trim();
    let sep = [" - ", " – ", " — "]
        .into_iter()
        .find(|s| head.contains(s))?;
    let (left, right) = head.split_once(sep)?;
    let right = right.split(sep).next().unwrap_or(right);
    let place_like = |s: &str| -> bool {
        let s = s.trim();
        let words: Vec<&str> = s.split(' ').filter(|w| !w.is_empty()).collect();
        !words.is_empty()
            && words.len() <= DATELINE_MAX_PLACE_WORDS
            && !s
                .chars()
                .any(|c| c.is_ascii_digit() || ('\u{0660}'..='\u{0669}').contains(&c))
            && words.iter().all(|w| !DATELINE_NON_PLACE_WORDS.contains(w))
            && !site.is_some_and(|site| {
                let site = site.trim();
                site == s || site.contains(s) && words.len() > 1
            })
            && crate::text::mostly_arabic(s)
    };
    if place_like(left) {
        Some(left.trim().to_string())
    } else if place_like(right) {
        Some(right.trim().to_string())
    } else {
        None
    }
}

#[derive(Default, Clone, Copy)]
struct Stats {
    chars: usize,
    /// Characters inside `<p>` elements.
    p_chars: usize,
    link_chars: usize,
    punct: usize,
}

struct Extractor<'a> {
    dom: &'a Dom,
    meta: &'a PageMeta,
    flags: &'a [ClassFlags],
    /// (visible characters, punctuation) by text node.
    counts: &'a [(u32, u32)],
    stats: Vec<Stats>,
    drops: Vec<NodeId>,
    meta_lines: Vec<String>,
    caption: Option<String>,
}

/// What an element's `class`/`id` say about it, computed once per page.
#[derive(Default, Clone, Copy)]
struct ClassFlags {
    /// Tag kinds (from the heuristics lists), looked up once.
    block: bool,
    heading: bool,
    drop_tag: bool,
    drop_outside: bool,
    negative: bool,
    positive: bool,
    marker: bool,
    meta_like: bool,
}

type WordSet = HashSet<&'static str, FnvBuild>;

fn word_set(words: &'static [&'static str]) -> WordSet {
    words.iter().copied().collect()
}

static NEGATIVE: LazyLock<WordSet> = LazyLock::new(|| word_set(NEGATIVE_WORDS));
static POSITIVE: LazyLock<WordSet> = LazyLock::new(|| word_set(POSITIVE_WORDS));
/// (block, heading, dropped, dropped outside an article) by tag id (tags of HTML
/// only: the lists name no other).
type TagKinds = Vec<(bool, bool, bool, bool)>;

static TAG_KINDS: LazyLock<TagKinds> = LazyLock::new(|| {
    let mut m: TagKinds = vec![Default::default(); KNOWN_TAGS.len()];
    let mut kind = |names: &[&str], set: fn(&mut (bool, bool, bool, bool))| {
        for t in names {
            let id = known_tag_id(t).expect("heuristics name tags of HTML");
            set(&mut m[id as usize]);
        }
    };
    kind(BLOCK_TAGS, |k| k.0 = true);
    kind(&["br"], |k| k.0 = true);
    kind(HEADING_TAGS, |k| k.1 = true);
    kind(DROP_TAGS, |k| k.2 = true);
    kind(DROP_TAGS_OUTSIDE_ARTICLE, |k| k.3 = true);
    m
});
static META_LINE: LazyLock<WordSet> = LazyLock::new(|| word_set(META_LINE_WORDS));

fn class_flags(dom: &Dom) -> Vec<ClassFlags> {
    let mut flags = vec![ClassFlags::default(); dom.len()];
    // Reused buffers: a class token lower-cased, and without its '-' and '_'.
    let mut lower = String::new();
    let mut compound = String::new();
    for (id, f) in flags.iter_mut().enumerate() {
        if !dom.is_element(id) {
            continue;
        }
        if let Some(&(block, heading, drop_tag, drop_outside)) =
            TAG_KINDS.get(dom.tag_id(id) as usize)
        {
            f.block = block;
            f.heading = heading;
            f.drop_tag = drop_tag;
            f.drop_outside = drop_outside;
        }
        if !dom.has_attrs(id) {
            continue;
        }
        let (mut class, mut id_attr) = (None, None);
        for (name, value) in dom.attrs(id) {
            match name {
                "class" => class = Some(value),
                "id" => id_attr = Some(value),
                "itemprop" if value == "articleBody" => f.marker = true,
                _ => {}
            }
        }
        for v in [class, id_attr].into_iter().flatten() {
            for tok in v.split_whitespace().take(MAX_CLASS_TOKENS) {
                lower.clear();
                lower.push_str(tok);
                lower.make_ascii_lowercase();
                compound.clear();
                for part in lower.split(['-', '_']) {
                    compound.push_str(part);
                }
                f.negative |= NEGATIVE.contains(compound.as_str());
                f.marker |= is_marker_token(&compound);
                // Only the first and last parts of a token name what it is
                // ("sidebar-widget", "post-comments"); middle parts describe it
                // ("content-with-sidebar-wrap").
                let mut parts = lower.split(['-', '_']).filter(|w| !w.is_empty());
                let first = parts.next();
                let last = parts.next_back();
                for w in [first, last].into_iter().flatten() {
                    f.negative |= NEGATIVE.contains(w);
                    f.positive |= POSITIVE.contains(w);
                    f.meta_like |= META_LINE.contains(w);
                }
            }
        }
    }
    flags
}

static MARKER_FINDERS: LazyLock<Vec<memchr::memmem::Finder<'static>>> = LazyLock::new(|| {
    BODY_MARKERS
        .iter()
        .map(|m| memchr::memmem::Finder::new(m.as_bytes()))
        .collect()
});
static MARKER_CORES: LazyLock<Vec<memchr::memmem::Finder<'static>>> = LazyLock::new(|| {
    BODY_MARKER_CORES
        .iter()
        .map(|m| memchr::memmem::Finder::new(m.as_bytes()))
        .collect()
});

fn is_marker_token(c: &str) -> bool {
    let b = c.as_bytes();
    MARKER_CORES.iter().any(|f| f.find(b).is_some())
        && MARKER_FINDERS.iter().any(|f| f.find(b).is_some())
}

fn is_hidden(dom: &Dom, id: NodeId) -> bool {
    if dom.attr(id, "hidden").is_some() || dom.attr(id, "aria-hidden") == Some("true") {
        return true;
    }
    if let Some(style) = dom.attr(id, "style") {
        let s: String = style
            .chars()
            .filter(|c| !c.is_whitespace())
            .collect::<String>()
            .to_ascii_lowercase();
        return s.contains("display:none") || s.contains("visibility:hidden");
    }
    false
}

impl<'a> Extractor<'a> {
    fn new(
        dom: &'a Dom,
        meta: &'a PageMeta,
        flags: &'a [ClassFlags],
        counts: &'a [(u32, u32)],
    ) -> Self {
        let mut ex = Extractor {
            dom,
            meta,
            flags,
            counts,
            stats: vec![Stats::default(); dom.len()],
            drops: Vec::new(),
            meta_lines: Vec::new(),
            caption: None,
        };
        ex.compute_stats();
        ex
    }

    fn compute_stats(&mut self) {
        let dom = self.dom;
        // Children before parents (ids follow document order).
        for id in (1..dom.len()).rev() {
            if dom.text_of(id).is_some() {
                let (chars, punct) = self.counts[id];
                self.stats[id].chars = chars as usize;
                self.stats[id].punct = punct as usize;
            } else if dom.tag(id) == "a" {
                self.stats[id].link_chars = self.stats[id].chars;
            } else if dom.tag(id) == "p" {
                self.stats[id].p_chars = self.stats[id].chars;
            }
            if let Some(p) = dom.parent(id) {
                let s = self.stats[id];
                let ps = &mut self.stats[p];
                ps.chars += s.chars;
                ps.link_chars += s.link_chars;
                ps.p_chars += s.p_chars;
                ps.punct += s.punct;
            }
        }
    }

    fn link_density(&self, id: NodeId) -> f64 {
        let s = self.stats[id];
        if s.chars == 0 {
            0.0
        } else {
            (s.link_chars as f64 / s.chars as f64).min(1.0)
        }
    }

    /// Decides which subtrees are chrome; records byline-like lines and the caption.
    fn mark_drops(&mut self) {
        let dom = self.dom;
        let total_p = self.stats[Dom::ROOT].p_chars;
        let mut drops = Vec::new();
        let mut meta_lines = Vec::new();
        let mut caption: Option<String> = None;
        // Whether a node is inside an <article> or <main> (parents come first in pre-order).
        let mut in_article = vec![false; dom.len()];
        for id in 1..dom.len() {
            let p = dom.parent(id).unwrap_or(Dom::ROOT);
            in_article[id] = in_article[p] || matches!(dom.tag(p), "article" | "main");
        }
        // Whether a node holds a strong article-body marker (never dropped then).
        let mut holds_marker = vec![false; dom.len()];
        for id in (1..dom.len()).rev() {
            if dom.is_element(id) && self.is_body_marker(id) {
                holds_marker[id] = true;
            }
            if holds_marker[id]
                && let Some(p) = dom.parent(id)
            {
                holds_marker[p] = true;
            }
        }
        dom.walk(Dom::ROOT, |id| {
            if !dom.is_element(id) {
                return false;
            }
            let tag = dom.tag(id);
            if matches!(tag, "html" | "body") {
                return true;
            }
            let chars = self.stats[id].chars;
            let protected = total_p >= PROTECTED_MIN_CHARS
                && self.stats[id].p_chars as f64 >= PROTECTED_SHARE * total_p as f64;
            let marker = holds_marker[id];
            if (tag == "figcaption" || (tag == "figure" && caption.is_none())) && caption.is_none()
            {
                let t = collapse_ws(&dom.text(id));
                if !t.is_empty() && t.chars().count() < 400 {
                    caption = Some(t);
                }
            }
            let drop = if marker || protected {
                false
            } else if self.flags[id].drop_tag
                || is_hidden(dom, id)
                || (self.flags[id].drop_outside && !in_article[id])
                || matches!(tag, "figure" | "figcaption")
            {
                true
            } else if matches!(tag, "article" | "main") {
                false
            } else {
                self.flags[id].negative
            };
            if drop {
                let meta_like = self.flags[id].meta_like || matches!(tag, "time" | "address");
                if meta_like
                    && chars > 0
                    && chars <= DATELINE_MAX_LINE_CHARS * 2
                    && meta_lines.len() < 16
                {
                    // Bylines and date lines carry metadata: the whole line, then
                    // each element in it on its own («المشرق برس - درعا» + <time>).
                    meta_lines.push(collapse_ws(&dom.text(id)));
                    for d in dom.descendants(id) {
                        if dom.is_element(d) && self.direct_chars(d) > 0 {
                            meta_lines.push(collapse_ws(&dom.text(d)));
                        }
                    }
                }
                drops.push(id);
                return false;
            }
            true
        });
        self.drops = drops;
        self.meta_lines = meta_lines;
        self.caption = caption;
    }

    fn is_body_marker(&self, id: NodeId) -> bool {
        self.flags[id].marker
    }

    /// Direct text characters of an element (text-node children only).
    fn direct_chars(&self, id: NodeId) -> usize {
        self.dom
            .children(id)
            .filter(|&c| !self.dom.is_element(c))
            .map(|c| self.stats[c].chars)
            .sum()
    }

    fn class_weight(&self, id: NodeId) -> f64 {
        let f = self.flags[id];
        let mut w = 0.0;
        if f.positive {
            w += CLASS_WEIGHT;
        }
        if f.negative {
            w -= CLASS_WEIGHT;
        }
        if f.marker {
            w += BODY_MARKER_WEIGHT;
        }
        w
    }

    fn initial_score(&self, id: NodeId) -> f64 {
        let tag = self.dom.tag(id);
        let t = TAG_SCORES
            .iter()
            .find(|(n, _)| *n == tag)
            .map(|(_, s)| *s)
            .unwrap_or(0.0);
        t + self.class_weight(id)
    }

    /// Scores candidate containers; returns (node, final score) pairs.
    fn score(&self) -> Scores {
        let dom = self.dom;
        let mut scores = Scores {
            value: vec![None; dom.len()],
            scored: Vec::new(),
        };
        for id in dom.descendants(Dom::ROOT) {
            if !dom.is_element(id) {
                continue;
            }
            let tag = dom.tag(id);
            let chars = match tag {
                "p" | "pre" | "td" | "blockquote" | "dd" => self.stats[id].chars,
                "div" | "section" | "article" | "span" | "font" | "center" => self.direct_chars(id),
                _ => continue,
            };
            if chars < MIN_SCORED_BLOCK_CHARS {
                continue;
            }
            let s = self.stats[id];
            let content =
                1.0 + s.punct as f64 + (chars as f64 / LEN_UNIT as f64).min(MAX_LEN_POINTS);
            // A block with direct text is itself a candidate (text laid out with <br>).
            let mut anc = if matches!(tag, "div" | "section" | "article") {
                Some(id)
            } else {
                dom.parent(id)
            };
            for div in ANCESTOR_DIVIDERS {
                let Some(a) = anc else { break };
                if !dom.is_element(a) || matches!(dom.tag(a), "html") {
                    break;
                }
                let e = match &mut scores.value[a] {
                    Some(v) => v,
                    slot => {
                        scores.scored.push(a);
                        slot.insert(self.initial_score(a))
                    }
                };
                *e += content / div;
                anc = dom.parent(a);
            }
        }
        for &id in &scores.scored {
            if let Some(s) = &mut scores.value[id] {
                *s *= 1.0 - self.link_density(id);
            }
        }
        scores
    }

    fn main_blocks(&self) -> Vec<Block> {
        let scores = self.score();
        let Some((best, best_score)) = scores
            .iter()
            .max_by(|a, b| a.1.total_cmp(&b.1).then(b.0.cmp(&a.0)))
        else {
            return Vec::new();
        };
        let mut top = best;
        let mut top_score = best_score;
        // Climb while the parent scores nearly as well (content split over siblings).
        while let Some(p) = self.dom.parent(top) {
            if matches!(self.dom.tag(p), "body" | "html") || !self.dom.is_element(p) {
                break;
            }
            let ps = scores.get(p);
            if ps >= PARENT_SCORE_SHARE * top_score {
                top = p;
                top_score = top_score.max(ps);
            } else {
                break;
            }
        }
        let mut selected = Vec::new();
        let threshold = (top_score * SIBLING_SHARE).max(SIBLING_MIN_SCORE);
        if let Some(parent) = self.dom.parent(top) {
            for sib in self.dom.children(parent) {
                if sib == top {
                    selected.push(sib);
                    continue;
                }
                if !self.dom.is_element(sib) {
                    continue;
                }
                let s = scores.get(sib);
                let keep = if s >= threshold {
                    true
                } else if self.dom.tag(sib) == "p" {
                    let chars = self.stats[sib].chars;
                    let ld = self.link_density(sib);
                    let text = self.dom.text(sib);
                    let t = text.trim_end();
                    (chars >= SIBLING_PARAGRAPH_CHARS && ld < SIBLING_MAX_LINK_DENSITY)
                        || (chars > 0
                            && ld == 0.0
                            && (t.ends_with('.') || t.ends_with('。') || t.ends_with('؟')))
                } else {
                    false
                };
                if keep {
                    selected.push(sib);
                }
            }
        } else {
            selected.push(top);
        }
        // Content split into several chunks elsewhere in the page ("article__body"
        // grids, one per section) joins when it looks like the best container.
        if let Some(top_class) = self.dom.attr(top, "class") {
            let top_tokens: HashSet<&str> = top_class.split_whitespace().collect();
            let tag = self.dom.tag(top);
            let mut extra: Vec<NodeId> = scores
                .iter()
                .filter(|&(n, sc)| {
                    n != top
                        && sc >= threshold
                        && self.dom.tag(n) == tag
                        && self.dom.attr(n, "class").is_some_and(|c| {
                            let t: HashSet<&str> = c.split_whitespace().collect();
                            let common = t.intersection(&top_tokens).count();
                            let union = t.union(&top_tokens).count().max(1);
                            common as f64 / union as f64 >= SAME_CLASS_SIMILARITY
                        })
                })
                .map(|(n, _)| n)
                .collect();
            extra.retain(|&n| {
                !selected
                    .iter()
                    .any(|&s| is_ancestor(self.dom, s, n) || is_ancestor(self.dom, n, s))
            });
            // Keep only the outermost of nested matches.
            let copy = extra.clone();
            extra.retain(|&n| !copy.iter().any(|&m| m != n && is_ancestor(self.dom, m, n)));
            selected.extend(extra);
        }
        // Document order (node ids follow it).
        selected.sort_unstable();
        let mut blocks = Vec::new();
        for s in selected {
            self.emit(s, &mut blocks);
        }
        self.filter(blocks)
    }

    /// Every paragraph-like block of the page that reads like prose.
    fn all_paragraphs(&self) -> Vec<Block> {
        let mut blocks = Vec::new();
        self.emit(Dom::ROOT, &mut blocks);
        let blocks: Vec<RawBlock> = blocks
            .into_iter()
            .filter(|b| b.text.chars().count() >= FALLBACK_BLOCK_CHARS)
            .collect();
        self.filter(blocks)
    }

    fn filter(&self, blocks: Vec<RawBlock>) -> Vec<Block> {
        let title = self.meta.title.as_deref().map(collapse_ws);
        let mut out: Vec<Block> = Vec::new();
        for b in blocks {
            let chars = b.text.chars().count();
            if chars == 0 {
                continue;
            }
            let vis = visible_chars(&b.text).max(1);
            let ld = b.link_chars as f64 / vis as f64;
            if ld > MAX_LINK_DENSITY
                || (chars < SHORT_PARAGRAPH_CHARS && ld > MAX_LINK_DENSITY_SHORT)
            {
                continue;
            }
            if is_chrome_line(&b.text) {
                continue;
            }
            if b.h1 || title.as_deref() == Some(b.text.as_str()) {
                continue;
            }
            out.push(Block {
                text: b.text,
                heading: b.heading,
            });
        }
        out
    }

    /// Walks `root` in document order, turning block structure into paragraphs.
    fn emit(&self, root: NodeId, raw: &mut Vec<RawBlock>) {
        let dom = self.dom;
        let mut cur = RawBlock::default();
        // (node, exiting) stack
        let mut stack: Vec<(NodeId, bool)> = vec![(root, false)];
        let mut link_depth = 0usize;
        let mut heading_depth = 0usize;
        let mut h1_depth = 0usize;
        while let Some((id, exiting)) = stack.pop() {
            if let Some(t) = dom.text_of(id) {
                cur.text.push_str(t);
                if link_depth > 0 {
                    cur.link_chars += self.counts[id].0 as usize;
                }
                if heading_depth > 0 {
                    cur.heading = true;
                }
                if h1_depth > 0 {
                    cur.h1 = true;
                }
                continue;
            }
            if !dom.is_element(id) && id != Dom::ROOT {
                continue;
            }
            let tag = dom.tag(id);
            let block = self.flags[id].block;
            if exiting {
                match tag {
                    "a" => link_depth -= 1,
                    "h1" => h1_depth -= 1,
                    _ if self.flags[id].heading => heading_depth -= 1,
                    _ => {}
                }
                if block {
                    cur.flush(raw);
                }
                continue;
            }
            if block {
                cur.flush(raw);
            }
            if tag == "br" || tag == "img" {
                continue;
            }
            match tag {
                "a" => link_depth += 1,
                "h1" => h1_depth += 1,
                _ if self.flags[id].heading => heading_depth += 1,
                _ => {}
            }
            stack.push((id, true));
            for c in dom.children_rev(id) {
                stack.push((c, false));
            }
        }
        cur.flush(raw);
    }
}

/// Container scores: `value[id]` for the scored nodes, listed in `scored`.
struct Scores {
    value: Vec<Option<f64>>,
    scored: Vec<NodeId>,
}

impl Scores {
    /// A node's score, 0 when it was not scored.
    fn get(&self, id: NodeId) -> f64 {
        self.value[id].unwrap_or(0.0)
    }

    fn iter(&self) -> impl Iterator<Item = (NodeId, f64)> + '_ {
        self.scored.iter().map(|&id| (id, self.get(id)))
    }
}

#[derive(Default)]
struct RawBlock {
    text: String,
    link_chars: usize,
    heading: bool,
    h1: bool,
}

impl RawBlock {
    fn flush(&mut self, out: &mut Vec<RawBlock>) {
        let text = collapse_ws(&self.text);
        if !text.is_empty() {
            out.push(RawBlock {
                text,
                link_chars: self.link_chars,
                heading: self.heading,
                h1: self.h1,
            });
        }
        *self = RawBlock::default();
    }
}

/// True when `a` is a proper ancestor of `n`.
fn is_ancestor(dom: &Dom, a: NodeId, mut n: NodeId) -> bool {
    while let Some(p) = dom.parent(n) {
        if p == a {
            return true;
        }
        n = p;
    }
    false
}
