//! rasd-extract owns the extract stage: a [`RawDocument`] (HTML page, feed item,
//! plain-text scrape, or unknown bytes) becomes an [`Article`]: the body a reader would
//! read, paragraph by paragraph with character spans, and its metadata (title,
//! published and modified times with offsets, author, site, dateline, caption,
//! subheadings, language).
//!
//! - [`extract`] dispatches on [`ContentKind`].
//! - [`dom`]: rasd's own HTML parser (zero-copy `memchr` tokenizer, simplified HTML5
//!   tree builder, linear on any input) into a compact arena DOM; [`entities`]: the
//!   named character references it decodes.
//! - [`html`]: the HTML extractor (parse dropping scripts/styles and unread
//!   attributes, chrome removal, block scoring, fallbacks).
//! - [`scrape`]: plain-text scrapes that still carry the site's chrome (line classifier).
//! - [`meta`]: `<meta>`, JSON-LD, `<time>` and visible date lines.
//! - [`heuristics`]: every threshold and word list.
//!
//! Bad input never panics: input is capped at [`heuristics::MAX_HTML_BYTES`], all DOM
//! walks are iterative, binary junk is refused with [`ExtractError::Binary`].
//!
//! ## Parsing HTML
//!
//! [`dom::Dom::parse_with`] reads the page once: the tokenizer jumps between `<`
//! with `memchr`, skips the elements extraction never reads (`script`, `style`,
//! `svg`, ... as raw text, keeping JSON-LD blocks for [`meta`]), keeps only the
//! attributes the heuristics look at, and shrinks whitespace runs while copying
//! text into one arena. The tree builder follows the HTML5 rules that shape where
//! text lands (implied `html`/`head`/`body`, `p` closed by blocks, list items,
//! table rows and cells, void elements, end tags that close the nearest open
//! element unless a special one stands in between) without the adoption agency for
//! misnested inline tags, which moves no text. Its work is linear: depth is capped
//! at [`heuristics::MAX_NESTING`], nodes at [`heuristics::MAX_NODES`].
//!
//! ## Speed
//!
//! `examples/aeb.rs` streams a benchmark folder through read, gunzip, extract and
//! write, and prints pages/s by wall clock and by CPU time. On the 181 Scrapinghub
//! pages (31 MB of HTML, 6 MB gzipped) one core spends about 190 ms of CPU on the
//! whole process, about 930 pages/s (extract alone about 1,300 pages/s), on this
//! shared 2-core machine; the html5ever version needed about 490 ms (370 pages/s).

pub mod dom;
pub mod entities;
pub mod heuristics;
pub mod html;
pub mod meta;
pub mod scrape;
pub mod text;

use rasd_model::{Article, ContentKind, Paragraph, RawDocument, TextSpan};

/// Why a document gave no article.
#[derive(Debug, thiserror::Error, PartialEq, Eq)]
pub enum ExtractError {
    #[error("{doc_id}: binary data, not a text document ({detail})")]
    Binary { doc_id: String, detail: String },
    #[error("{doc_id}: no article text found ({kind})")]
    NoText { doc_id: String, kind: &'static str },
    #[error("{doc_id}: feed holds no item")]
    EmptyFeed { doc_id: String },
}

/// Extracts the article of one document.
pub fn extract(doc: &RawDocument) -> Result<Article, ExtractError> {
    check_binary(doc)?;
    let decoded = rasd_ingest::encoding::decode(&doc.bytes, doc.meta.charset.as_deref());
    let text = decoded.text;
    let kind = match doc.kind {
        ContentKind::Unknown => sniff(&text),
        k => k,
    };
    match kind {
        ContentKind::Html if looks_like_feed(&text) => extract_feed_file(doc, &text),
        ContentKind::Html => finish(doc, from_html(doc, &text), "html"),
        ContentKind::FeedItem => {
            let art = if looks_like_markup(&text) {
                from_html(doc, &text)
            } else {
                from_plain_text(doc, &text)
            };
            finish(doc, art, "feed item")
        }
        ContentKind::Text | ContentKind::Unknown => {
            if looks_like_feed(&text) {
                extract_feed_file(doc, &text)
            } else {
                let art = scrape::extract_scrape(&doc.doc_id, &text, &doc.meta);
                finish(doc, art, "text")
            }
        }
    }
}

/// Extracts the article of an HTML page given as a string (tests, benches, API).
pub fn extract_html_str(doc_id: &str, html: &str) -> Article {
    let doc = RawDocument {
        doc_id: doc_id.to_string(),
        origin: rasd_model::Origin::Inline,
        kind: ContentKind::Html,
        bytes: Vec::new(),
        meta: Default::default(),
    };
    from_html(&doc, html)
}

fn finish(doc: &RawDocument, art: Article, kind: &'static str) -> Result<Article, ExtractError> {
    if art.text.trim().is_empty() && art.title.as_deref().is_none_or(|t| t.trim().is_empty()) {
        return Err(ExtractError::NoText {
            doc_id: doc.doc_id.clone(),
            kind,
        });
    }
    Ok(art)
}

fn check_binary(doc: &RawDocument) -> Result<(), ExtractError> {
    let head = &doc.bytes[..doc.bytes.len().min(heuristics::BINARY_SNIFF_BYTES)];
    // UTF-16 text starts with a BOM; anything else with NULs is binary.
    if head.starts_with(&[0xFF, 0xFE]) || head.starts_with(&[0xFE, 0xFF]) {
        return Ok(());
    }
    let nul = head.iter().filter(|&&b| b == 0).count();
    let ctrl = head
        .iter()
        .filter(|&&b| b < 0x20 && !matches!(b, b'\t' | b'\n' | b'\r' | 0x0c))
        .count();
    if nul > 0
        || (!head.is_empty() && ctrl as f64 / head.len() as f64 > heuristics::MAX_CONTROL_SHARE)
    {
        return Err(ExtractError::Binary {
            doc_id: doc.doc_id.clone(),
            detail: format!(
                "{nul} NUL and {ctrl} control bytes in the first {} bytes",
                head.len()
            ),
        });
    }
    Ok(())
}

fn sniff(text: &str) -> ContentKind {
    if looks_like_markup(text) {
        ContentKind::Html
    } else {
        ContentKind::Text
    }
}

fn head_lower(text: &str) -> String {
    let mut end = text.len().min(2048);
    while !text.is_char_boundary(end) {
        end -= 1;
    }
    text[..end].to_ascii_lowercase()
}

fn looks_like_feed(text: &str) -> bool {
    let h = head_lower(text);
    let h = h.trim_start_matches('\u{feff}').trim_start();
    (h.starts_with("<?xml") || h.starts_with("<rss") || h.starts_with("<feed"))
        && (h.contains("<rss") || h.contains("<feed") || h.contains("<rdf:rdf"))
}

fn looks_like_markup(text: &str) -> bool {
    let h = head_lower(text);
    [
        "<html",
        "<!doctype",
        "<body",
        "<p>",
        "<p ",
        "<div",
        "<br",
        "<?xml",
        "<article",
        "<h1",
        "<h2",
    ]
    .iter()
    .any(|t| h.contains(t))
}

fn extract_feed_file(doc: &RawDocument, text: &str) -> Result<Article, ExtractError> {
    let (feed, _) = rasd_ingest::feed::parse_feed(text);
    let Some(item) = feed.items.into_iter().next() else {
        return Err(ExtractError::EmptyFeed {
            doc_id: doc.doc_id.clone(),
        });
    };
    let mut item_doc = doc.clone();
    item_doc.kind = ContentKind::FeedItem;
    item_doc.bytes = Vec::new();
    let m = &mut item_doc.meta;
    if !m.from_manifest || m.published.is_none() {
        m.published = m.published.or(item.published);
    }
    m.title = m.title.clone().or(item.title);
    m.url = m.url.clone().or(item.link);
    m.source = m.source.clone().or(feed.title);
    let mut art = if looks_like_markup(&item.body) {
        from_html(&item_doc, &item.body)
    } else {
        from_plain_text(&item_doc, &item.body)
    };
    if art.author.is_none() {
        art.author = item.author;
    }
    finish(doc, art, "feed item")
}

/// Plain text: one paragraph per non-empty line, metadata from the document only.
fn from_plain_text(doc: &RawDocument, text: &str) -> Article {
    let lines: Vec<String> = text
        .lines()
        .map(text::collapse_ws)
        .filter(|l| !l.is_empty())
        .collect();
    let mut art = Article::from_text(doc.doc_id.clone(), lines.join("\n"));
    art.url = doc.meta.url.clone();
    art.source = doc.meta.source.clone();
    art.title = doc.meta.title.clone();
    art.published = doc.meta.published;
    art.language = language_of(&art.text, None);
    art
}

fn language_of(body: &str, declared: Option<&str>) -> Option<String> {
    if let Some(l) = declared.filter(|l| !l.is_empty()) {
        return Some(l.to_string());
    }
    if body.trim().is_empty() {
        None
    } else if text::mostly_arabic(body) {
        Some("ar".to_string())
    } else {
        None
    }
}

fn from_html(doc: &RawDocument, html: &str) -> Article {
    let h = html::extract_html(html);
    let m = &doc.meta;
    let mut body = String::new();
    let mut paragraphs = Vec::with_capacity(h.blocks.len());
    let mut subheadings = Vec::new();
    let mut chars = 0usize;
    for b in &h.blocks {
        if !body.is_empty() {
            body.push('\n');
            chars += 1;
        }
        let n = b.text.chars().count();
        body.push_str(&b.text);
        paragraphs.push(Paragraph {
            span: TextSpan::new(chars, chars + n),
            heading: b.heading,
        });
        if b.heading {
            subheadings.push(b.text.clone());
        }
        chars += n;
    }
    // Publication time: the manifest wins, then a feed item's date, then the page.
    let page_published = match (h.meta.published, h.visible_published) {
        (Some(p), Some(v)) if p.offset.is_none() && v.offset.is_some() && p.date == v.date => {
            Some(v)
        }
        (Some(p), _) => Some(p),
        (None, v) => v,
    };
    let published = if m.from_manifest || doc.kind == ContentKind::FeedItem {
        m.published.or(page_published)
    } else {
        page_published.or(m.published)
    };
    let title = if m.from_manifest || doc.kind == ContentKind::FeedItem {
        m.title.clone().or(h.meta.title.clone())
    } else {
        h.meta.title.clone().or(m.title.clone())
    };
    let source = if m.from_manifest {
        m.source.clone().or(h.meta.site_name.clone())
    } else {
        h.meta.site_name.clone().or(m.source.clone())
    };
    let language = language_of(&body, h.meta.language.as_deref());
    Article {
        doc_id: doc.doc_id.clone(),
        url: m.url.clone().or(h.meta.url.clone()),
        source,
        title,
        published,
        modified: h.meta.modified,
        author: h.meta.author.clone(),
        dateline: h.dateline.clone(),
        caption: h.caption.clone(),
        subheadings,
        text: body,
        paragraphs,
        language,
    }
}
