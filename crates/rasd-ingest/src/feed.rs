//! RSS 2.0 and Atom feeds: every item (`<item>`, `<entry>`) becomes one document.
//!
//! The body is `content:encoded` when present, else `description` (RSS) or
//! `content`, then `summary` (Atom); it is usually an HTML fragment and is passed on
//! as UTF-8 bytes. The item's title, link and date go into [`DocumentMeta`]; the item
//! date (`pubDate`, `dc:date`, `published`, then `updated`) is the published time.

use crate::{IngestError, encoding, numbered_id};
use quick_xml::Reader;
use quick_xml::events::{BytesStart, Event};
use rasd_model::{ContentKind, DocumentMeta, Origin, PublishedTime, RawDocument};
use std::path::Path;

/// One feed item, as read.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct FeedItem {
    pub title: Option<String>,
    pub link: Option<String>,
    pub published: Option<PublishedTime>,
    pub author: Option<String>,
    /// The item's body (HTML fragment or text).
    pub body: String,
}

/// A parsed feed: its title and items in file order.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Feed {
    pub title: Option<String>,
    pub items: Vec<FeedItem>,
}

/// A problem in a feed: the 1-based item it was found in (if inside one) and what.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FeedProblem {
    pub item: Option<usize>,
    pub detail: String,
}

#[derive(Default)]
struct Fields {
    title: Option<String>,
    link: Option<String>,
    guid: Option<String>,
    pub_date: Option<String>,
    dc_date: Option<String>,
    published: Option<String>,
    updated: Option<String>,
    author: Option<String>,
    content_encoded: Option<String>,
    description: Option<String>,
    content: Option<String>,
    summary: Option<String>,
}

impl Fields {
    fn slot(&mut self, name: &str) -> Option<&mut Option<String>> {
        Some(match name {
            "title" => &mut self.title,
            "link" => &mut self.link,
            "guid" | "id" => &mut self.guid,
            "pubdate" => &mut self.pub_date,
            "dc:date" => &mut self.dc_date,
            "published" | "issued" => &mut self.published,
            "updated" | "modified" => &mut self.updated,
            "author" | "dc:creator" | "creator" => &mut self.author,
            "content:encoded" => &mut self.content_encoded,
            "description" => &mut self.description,
            "content" => &mut self.content,
            "summary" => &mut self.summary,
            _ => return None,
        })
    }

    fn finish(self) -> FeedItem {
        let nonempty = |s: Option<String>| s.filter(|s| !s.trim().is_empty());
        let body = nonempty(self.content_encoded)
            .or(nonempty(self.content))
            .or(nonempty(self.description))
            .or(nonempty(self.summary))
            .unwrap_or_default();
        let date = [self.pub_date, self.dc_date, self.published, self.updated]
            .into_iter()
            .flatten()
            .find_map(|d| parse_date(&d));
        let link = nonempty(self.link)
            .or_else(|| nonempty(self.guid).filter(|g| g.starts_with("http")))
            .map(|l| l.trim().to_string());
        FeedItem {
            title: nonempty(self.title).map(|t| plain(&t)),
            link,
            published: date,
            author: nonempty(self.author).map(|a| plain(&a)),
            body: body.trim().to_string(),
        }
    }
}

/// Text without tags, whitespace collapsed (titles, author names).
fn plain(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    let mut in_tag = false;
    for c in s.chars() {
        match c {
            '<' => in_tag = true,
            '>' if in_tag => {
                in_tag = false;
                out.push(' ');
            }
            _ if !in_tag => out.push(c),
            _ => {}
        }
    }
    out.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// Reads an RFC 2822 date (`Wed, 07 Jun 2023 16:45:00 +0300`, zone names such as
/// `GMT`/`EST` included) or an RFC 3339 / ISO 8601 one (Atom, `dc:date`).
pub fn parse_date(s: &str) -> Option<PublishedTime> {
    let s = s.trim();
    if s.is_empty() {
        return None;
    }
    if let Ok(z) = jiff::fmt::rfc2822::parse(s) {
        return Some(PublishedTime {
            date: z.date(),
            time: Some(z.time()),
            offset: Some(z.offset()),
        });
    }
    // Some feeds drop the weekday's comma or add one after the day.
    let repaired = s.replace(", ", " ").replacen(' ', ", ", 1);
    if let Ok(z) = jiff::fmt::rfc2822::parse(&repaired) {
        return Some(PublishedTime {
            date: z.date(),
            time: Some(z.time()),
            offset: Some(z.offset()),
        });
    }
    s.parse::<PublishedTime>().ok()
}

fn qname(e: &BytesStart<'_>) -> String {
    String::from_utf8_lossy(e.name().as_ref()).to_ascii_lowercase()
}

fn attr(e: &BytesStart<'_>, name: &[u8]) -> Option<String> {
    e.attributes()
        .flatten()
        .find(|a| a.key.as_ref().eq_ignore_ascii_case(name))
        .map(|a| {
            a.normalized_value(quick_xml::XmlVersion::Implicit1_0)
                .map(|v| v.into_owned())
                .unwrap_or_else(|_| String::from_utf8_lossy(&a.value).into_owned())
        })
}

/// The text of an entity reference: character references, the five XML entities
/// and a few HTML ones common in sloppy feeds; anything else is kept as written.
fn entity(name: &str) -> String {
    if let Some(num) = name.strip_prefix('#') {
        let code = match num.strip_prefix(['x', 'X']) {
            Some(hex) => u32::from_str_radix(hex, 16).ok(),
            None => num.parse().ok(),
        };
        if let Some(c) = code.and_then(char::from_u32).filter(|&c| c != '\0') {
            return c.to_string();
        }
        return format!("&{name};");
    }
    match name {
        "amp" => "&",
        "lt" => "<",
        "gt" => ">",
        "quot" => "\"",
        "apos" => "'",
        "nbsp" => "\u{a0}",
        "zwnj" => "\u{200c}",
        "zwj" => "\u{200d}",
        "rlm" => "\u{200f}",
        "lrm" => "\u{200e}",
        "hellip" => "…",
        "laquo" => "«",
        "raquo" => "»",
        "ndash" => "–",
        "mdash" => "—",
        _ => return format!("&{name};"),
    }
    .to_string()
}

struct Capture {
    field: String,
    depth: usize,
    text: String,
}

/// Parses a feed's text. Items read before a syntax error are returned with the
/// problem.
pub fn parse_feed(text: &str) -> (Feed, Option<FeedProblem>) {
    let mut reader = Reader::from_str(text);
    reader.config_mut().check_end_names = true;
    let mut feed = Feed::default();
    let mut item: Option<Fields> = None;
    let mut capture: Option<Capture> = None;
    let mut root: Option<String> = None;
    let mut stack: Vec<String> = Vec::new();
    let problem = |feed: &Feed, in_item: bool, detail: String| FeedProblem {
        item: in_item.then_some(feed.items.len() + 1),
        detail,
    };
    loop {
        let ev = match reader.read_event() {
            Ok(ev) => ev,
            Err(e) => {
                let p = problem(
                    &feed,
                    item.is_some(),
                    format!("invalid XML at byte {}: {e}", reader.error_position()),
                );
                return (feed, Some(p));
            }
        };
        match ev {
            Event::Start(e) => {
                let name = qname(&e);
                if root.is_none() {
                    root = Some(name.clone());
                }
                if let Some(c) = &mut capture {
                    c.depth += 1;
                    c.text.push('<');
                    c.text.push_str(&String::from_utf8_lossy(&e));
                    c.text.push('>');
                } else if let Some(fields) = &mut item {
                    // Atom links carry the URL in an attribute.
                    if name == "link" {
                        if let Some(href) = link_href(&e) {
                            fields.link.get_or_insert(href);
                        }
                    }
                    if fields.slot(&name).is_some() {
                        capture = Some(Capture {
                            field: name.clone(),
                            depth: 0,
                            text: String::new(),
                        });
                    }
                } else if name == "item" || name == "entry" {
                    item = Some(Fields::default());
                } else if name == "title"
                    && feed.title.is_none()
                    && matches!(stack.last().map(String::as_str), Some("channel" | "feed"))
                {
                    capture = Some(Capture {
                        field: "feed-title".into(),
                        depth: 0,
                        text: String::new(),
                    });
                }
                stack.push(name);
            }
            Event::Empty(e) => {
                let name = qname(&e);
                if root.is_none() {
                    root = Some(name.clone());
                }
                if let Some(c) = &mut capture {
                    c.text.push('<');
                    c.text.push_str(&String::from_utf8_lossy(&e));
                    c.text.push_str("/>");
                } else if let Some(fields) = &mut item {
                    if name == "link" {
                        if let Some(href) = link_href(&e) {
                            fields.link.get_or_insert(href);
                        }
                    }
                }
            }
            Event::End(e) => {
                let name = String::from_utf8_lossy(e.name().as_ref()).to_ascii_lowercase();
                stack.pop();
                match capture.take() {
                    Some(mut c) if c.depth > 0 => {
                        c.depth -= 1;
                        c.text.push_str("</");
                        c.text.push_str(&name);
                        c.text.push('>');
                        capture = Some(c);
                    }
                    Some(c) => {
                        if c.field == "feed-title" {
                            feed.title = Some(plain(&c.text)).filter(|t| !t.is_empty());
                        } else if let Some(slot) = item.as_mut().and_then(|f| f.slot(&c.field)) {
                            if slot.is_none() {
                                *slot = Some(c.text);
                            }
                        }
                    }
                    None => {
                        if name == "item" || name == "entry" {
                            if let Some(fields) = item.take() {
                                feed.items.push(fields.finish());
                            }
                        }
                    }
                }
            }
            Event::Text(t) => {
                if let Some(c) = &mut capture {
                    c.text.push_str(&t.xml10_content().unwrap_or_default());
                }
            }
            Event::CData(t) => {
                if let Some(c) = &mut capture {
                    c.text.push_str(&t.decode().unwrap_or_default());
                }
            }
            Event::GeneralRef(r) => {
                if let Some(c) = &mut capture {
                    c.text.push_str(&entity(&r.decode().unwrap_or_default()));
                }
            }
            Event::Eof => break,
            _ => {}
        }
    }
    if item.is_some() || !stack.is_empty() {
        let p = problem(
            &feed,
            item.is_some(),
            format!(
                "the feed ends before </{}>: truncated",
                stack.last().map(String::as_str).unwrap_or("item")
            ),
        );
        return (feed, Some(p));
    }
    if feed.items.is_empty() {
        let detail = match root.as_deref() {
            Some("rss" | "feed" | "rdf:rdf") => "the feed has no <item> or <entry>".to_string(),
            Some(r) => format!("not an RSS or Atom feed: the root element is <{r}>"),
            None => "not an RSS or Atom feed: no XML element in it".to_string(),
        };
        return (feed, Some(FeedProblem { item: None, detail }));
    }
    (feed, None)
}

fn link_href(e: &BytesStart<'_>) -> Option<String> {
    let href = attr(e, b"href")?;
    match attr(e, b"rel").as_deref() {
        None | Some("alternate") => Some(href),
        _ => None,
    }
}

/// Decodes and parses a feed file's bytes.
pub(crate) fn read_feed(bytes: &[u8], path: &Path) -> (Feed, Option<IngestError>) {
    let decoded = encoding::decode(bytes, None);
    let (feed, problem) = parse_feed(&decoded.text);
    let err = problem.map(|p| IngestError::Feed {
        path: path.to_path_buf(),
        item: p.item,
        detail: p.detail,
    });
    (feed, err)
}

/// One raw document per item. `incomplete` (the feed broke off) numbers items even
/// when only one was read, since the file held more.
pub(crate) fn to_documents(
    feed: Feed,
    base: &str,
    origin: &Origin,
    incomplete: bool,
) -> Vec<RawDocument> {
    let several = feed.items.len() > 1 || incomplete;
    let source = feed.title.clone();
    feed.items
        .into_iter()
        .enumerate()
        .map(|(i, it)| RawDocument {
            doc_id: numbered_id(base, i + 1, several),
            origin: origin.clone(),
            kind: ContentKind::FeedItem,
            bytes: it.body.into_bytes(),
            meta: DocumentMeta {
                url: it.link,
                published: it.published,
                source: source.clone(),
                title: it.title,
                charset: Some("UTF-8".to_string()),
                fetched: None,
                from_manifest: false,
            },
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    const RSS: &str = r#"<?xml version="1.0" encoding="UTF-8"?>
<rss version="2.0" xmlns:content="http://purl.org/rss/1.0/modules/content/" xmlns:dc="http://purl.org/dc/elements/1.1/">
<channel><title>نشرة الوادي</title><link>https://wadi.example/</link>
<item><title>افتتاح جسر &amp; طريق</title><link>https://wadi.example/1</link>
<pubDate>Tue, 14 Mar 2023 09:05:00 +0200</pubDate>
<description>ملخص قصير</description>
<content:encoded><![CDATA[<p>افتتح المجلس جسراً جديداً فوق النهر.</p>]]></content:encoded></item>
<item><title>خبر ثان</title><guid>https://wadi.example/2</guid>
<pubDate>Wed, 15 Mar 2023 18:00:00 GMT</pubDate>
<description>&lt;p&gt;أمطار غزيرة في السهل&lt;/p&gt;</description></item>
</channel></rss>"#;

    const ATOM: &str = r#"<?xml version="1.0" encoding="utf-8"?>
<feed xmlns="http://www.w3.org/2005/Atom"><title>مدونة الجبل</title>
<entry><title type="html">عنوان &lt;b&gt;مهم&lt;/b&gt;</title>
<link rel="alternate" href="https://jabal.example/a"/><link rel="edit" href="https://jabal.example/edit"/>
<published>2024-01-02T08:30:00+03:00</published><updated>2024-01-03T08:30:00Z</updated>
<author><name>سلمى</name></author>
<summary>موجز</summary>
<content type="xhtml"><div><p>نص الخبر الكامل</p></div></content></entry>
</feed>"#;

    #[test]
    fn rss_items() {
        let (feed, problem) = parse_feed(RSS);
        assert!(problem.is_none(), "{problem:?}");
        assert_eq!(feed.title.as_deref(), Some("نشرة الوادي"));
        assert_eq!(feed.items.len(), 2);
        let a = &feed.items[0];
        assert_eq!(a.title.as_deref(), Some("افتتاح جسر & طريق"));
        assert_eq!(a.body, "<p>افتتح المجلس جسراً جديداً فوق النهر.</p>");
        assert_eq!(
            a.published.unwrap().to_string(),
            "2023-03-14T09:05:00+02:00"
        );
        let b = &feed.items[1];
        assert_eq!(b.link.as_deref(), Some("https://wadi.example/2"));
        assert_eq!(b.body, "<p>أمطار غزيرة في السهل</p>");
        assert_eq!(
            b.published.unwrap().to_string(),
            "2023-03-15T18:00:00+00:00"
        );
    }

    #[test]
    fn atom_entry() {
        let (feed, problem) = parse_feed(ATOM);
        assert!(problem.is_none(), "{problem:?}");
        let e = &feed.items[0];
        assert_eq!(e.title.as_deref(), Some("عنوان مهم"));
        assert_eq!(e.link.as_deref(), Some("https://jabal.example/a"));
        assert_eq!(e.author.as_deref(), Some("سلمى"));
        assert_eq!(
            e.published.unwrap().to_string(),
            "2024-01-02T08:30:00+03:00"
        );
        assert!(e.body.contains("<p>نص الخبر الكامل</p>"), "{}", e.body);
    }

    #[test]
    fn truncated_feed_keeps_complete_items() {
        let cut = &RSS[..RSS.find("<item><title>خبر ثان").unwrap() + 20];
        let (feed, problem) = parse_feed(cut);
        assert_eq!(feed.items.len(), 1);
        let p = problem.unwrap();
        assert_eq!(p.item, Some(2));
    }

    #[test]
    fn not_a_feed() {
        let (_, p) = parse_feed("<urlset><url>x</url></urlset>");
        assert!(p.unwrap().detail.contains("root element is <urlset>"));
        let (_, p) = parse_feed("<rss><channel><item><title>x</titel></item></channel></rss>");
        assert!(p.unwrap().detail.contains("invalid XML"));
    }

    #[test]
    fn dates() {
        for (s, want) in [
            (
                "Mon, 6 Mar 2023 07:00:00 +0300",
                "2023-03-06T07:00:00+03:00",
            ),
            ("06 Mar 2023 07:00:00 EST", "2023-03-06T07:00:00-05:00"),
            ("2023-03-06T07:00:00Z", "2023-03-06T07:00:00+00:00"),
            ("2023-03-06", "2023-03-06"),
        ] {
            assert_eq!(
                parse_date(s).map(|p| p.to_string()).as_deref(),
                Some(want),
                "{s}"
            );
        }
        assert_eq!(parse_date("yesterday"), None);
    }
}
