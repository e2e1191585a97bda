//! The types at the first two stage boundaries: a raw document as ingested and the
//! article extracted from it.

use crate::span::TextSpan;
use crate::time::PublishedTime;
use serde::{Deserialize, Serialize};

/// Where a raw document came from.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum Origin {
    /// A file on disk (for a feed item or WARC record, the file that held it).
    File { path: String },
    /// A page fetched from a URL.
    Url { url: String },
    /// Text handed over directly (API, tests).
    Inline,
}

/// How the bytes are to be read, as far as ingest could tell.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, Default)]
#[serde(rename_all = "snake_case")]
pub enum ContentKind {
    Html,
    /// Plain text, typically a scrape that still carries the site's chrome.
    Text,
    /// One item of an RSS or Atom feed, already split out of the feed by ingest:
    /// its metadata is in [`DocumentMeta`] and its body (HTML or text) in the bytes.
    FeedItem,
    #[default]
    Unknown,
}

/// What is known about a document before extraction: from a feed item, a WARC
/// header, an HTTP response or the user's manifest. Each field fills what the page
/// itself lacks.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Default)]
pub struct DocumentMeta {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub url: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub published: Option<PublishedTime>,
    /// The outlet ("Syria TV").
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub source: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub title: Option<String>,
    /// `charset` from an HTTP header or a feed's XML declaration.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub charset: Option<String>,
    /// When the bytes were fetched (a WARC record's `WARC-Date`, the time `rasd watch`
    /// or a URL ingest received them). It says nothing of when the page was
    /// published, so it never stands in for `published`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub fetched: Option<PublishedTime>,
    /// True when `published`/`source`/`url` came from the user's manifest, which wins
    /// over what the page says.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub from_manifest: bool,
}

/// A document as ingested: bytes and where they came from.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct RawDocument {
    /// The file name up to its first dot; `NAME#k` for the k-th document of a
    /// file holding several (feed items, WARC records).
    pub doc_id: String,
    pub origin: Origin,
    pub kind: ContentKind,
    #[serde(with = "bytes_as_lossy_string")]
    pub bytes: Vec<u8>,
    #[serde(default)]
    pub meta: DocumentMeta,
}

mod bytes_as_lossy_string {
    use serde::{Deserialize, Deserializer, Serializer};

    pub fn serialize<S: Serializer>(bytes: &[u8], ser: S) -> Result<S::Ok, S::Error> {
        ser.serialize_str(&String::from_utf8_lossy(bytes))
    }

    pub fn deserialize<'de, D: Deserializer<'de>>(de: D) -> Result<Vec<u8>, D::Error> {
        Ok(String::deserialize(de)?.into_bytes())
    }
}

/// A body paragraph: its character span in [`Article::text`] and whether it is a
/// subheading.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct Paragraph {
    pub span: TextSpan,
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub heading: bool,
}

/// The article extracted from a document: the clean body a reader would read, and
/// its metadata. Every span the later stages report points into `text`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, Default)]
pub struct Article {
    pub doc_id: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub url: Option<String>,
    /// The outlet or site name.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub source: Option<String>,
    #[serde(default)]
    pub title: Option<String>,
    #[serde(default)]
    pub published: Option<PublishedTime>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub modified: Option<PublishedTime>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub author: Option<String>,
    /// The dateline place («درعا - خاص» → «درعا»).
    #[serde(default)]
    pub dateline: Option<String>,
    /// The lead image caption, once.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub caption: Option<String>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub subheadings: Vec<String>,
    /// The body, paragraphs joined by `\n`, title excluded.
    pub text: String,
    #[serde(default)]
    pub paragraphs: Vec<Paragraph>,
    /// BCP 47 language tag, e.g. `ar`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub language: Option<String>,
}

impl Article {
    /// An article whose body is `text`, one paragraph per line (tests, inline input).
    pub fn from_text(doc_id: impl Into<String>, text: impl Into<String>) -> Self {
        let text = text.into();
        let paragraphs = paragraph_spans(&text);
        Self {
            doc_id: doc_id.into(),
            text,
            paragraphs,
            ..Self::default()
        }
    }

    /// The text of each paragraph, in order.
    pub fn paragraph_texts(&self) -> impl Iterator<Item = &str> {
        self.paragraphs.iter().map(|p| p.span.slice(&self.text))
    }
}

/// One span per non-empty line of `text`.
pub fn paragraph_spans(text: &str) -> Vec<Paragraph> {
    let mut out = Vec::new();
    let mut chars = 0;
    for line in text.split('\n') {
        let n = line.chars().count();
        if !line.trim().is_empty() {
            out.push(Paragraph {
                span: TextSpan::new(chars, chars + n),
                heading: false,
            });
        }
        chars += n + 1;
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn paragraphs_point_into_the_text() {
        let a = Article::from_text("x", "الأولى\n\nالثانية هنا");
        let texts: Vec<_> = a.paragraph_texts().collect();
        assert_eq!(texts, ["الأولى", "الثانية هنا"]);
    }

    #[test]
    fn article_round_trips_as_json() {
        let mut a = Article::from_text("dev-1", "نص");
        a.published = Some("2022-10-25T12:48:00+03:00".parse().unwrap());
        let json = serde_json::to_string(&a).unwrap();
        assert!(json.contains("\"2022-10-25T12:48:00+03:00\""));
        let back: Article = serde_json::from_str(&json).unwrap();
        assert_eq!(back, a);
    }
}
