//! Documents from URLs: `rasd ingest https://outlet.example/news/123` or a feed's URL.
//!
//! One GET per URL (redirects followed, gzip accepted), with a whole-call timeout and
//! the same size limit as files, so a slow or endless server cannot hang ingest. The
//! response becomes documents exactly as a saved file would: a feed is split into its
//! items, a page is one HTML document, plain text one text document; the final URL
//! (after redirects) is the document's origin and `meta.url`, and the charset of the
//! `Content-Type` header is kept for the decoder. Errors name the URL and say what
//! went wrong (status, timeout, size, not a news document).

use crate::{FileKind, IngestError, ReadOptions, feed, kind_from_head, looks_binary, numbered_id};
use rasd_model::{ContentKind, DocumentMeta, Origin, RawDocument};
use std::path::Path;
use std::time::Duration;

/// How long one URL may take, connection to last byte.
pub const DEFAULT_TIMEOUT: Duration = Duration::from_secs(30);

/// Redirects followed before giving up.
const MAX_REDIRECTS: u32 = 5;

/// Sent with every request, so that outlets can tell who reads them.
const USER_AGENT: &str = concat!(
    "rasd/",
    env!("CARGO_PKG_VERSION"),
    " (Arabic conflict-news coder)"
);

/// True when `s` is an `http://` or `https://` URL rather than a path.
pub fn is_url(s: &str) -> bool {
    let lower = s.get(..8).unwrap_or(s).to_ascii_lowercase();
    lower.starts_with("http://") || lower.starts_with("https://")
}

/// The document name of a URL: its last path segment up to the first dot, else the
/// host (`https://x.example/news/2024/raid-in-tafas.html` → `raid-in-tafas`).
pub fn doc_id_for_url(url: &str) -> String {
    let rest = url.split_once("://").map_or(url, |(_, r)| r);
    let rest = rest.split(['?', '#']).next().unwrap_or(rest);
    let (host, path) = rest.split_once('/').unwrap_or((rest, ""));
    let segment = path.rsplit('/').find(|s| !s.is_empty()).unwrap_or("");
    let stem = segment.split('.').next().unwrap_or("");
    let name = if stem.is_empty() { host } else { stem };
    let name = percent_decode(name);
    if name.is_empty() {
        "url".to_string()
    } else {
        name
    }
}

/// `%XX` escapes decoded (Arabic slugs are percent-encoded UTF-8); invalid ones kept.
fn percent_decode(s: &str) -> String {
    let b = s.as_bytes();
    let mut out = Vec::with_capacity(b.len());
    let mut i = 0;
    while i < b.len() {
        if b[i] == b'%' && i + 2 < b.len() {
            let hex = std::str::from_utf8(&b[i + 1..i + 3]).ok();
            if let Some(v) = hex.and_then(|h| u8::from_str_radix(h, 16).ok()) {
                out.push(v);
                i += 3;
                continue;
            }
        }
        out.push(b[i]);
        i += 1;
    }
    String::from_utf8_lossy(&out).into_owned()
}

/// Fetches `url` into documents (several for a feed). `Err` names the URL.
pub fn fetch_url(
    url: &str,
    opts: &ReadOptions,
    timeout: Duration,
) -> Result<Vec<RawDocument>, IngestError> {
    let label = Path::new(url);
    let fail = |detail: String| IngestError::unreadable(label, detail);
    let agent: ureq::Agent = ureq::Agent::config_builder()
        .timeout_global(Some(timeout))
        .max_redirects(MAX_REDIRECTS)
        .user_agent(USER_AGENT)
        .http_status_as_error(false)
        .build()
        .into();
    let mut response = agent.get(url).call().map_err(|e| match e {
        ureq::Error::Timeout(_) => fail(format!("no answer within {} s", timeout.as_secs())),
        other => fail(format!("cannot fetch: {other}")),
    })?;
    let status = response.status();
    if !status.is_success() {
        return Err(fail(format!(
            "the server answered HTTP {} {}",
            status.as_u16(),
            status.canonical_reason().unwrap_or("")
        )));
    }
    let final_url = {
        use ureq::ResponseExt as _;
        response.get_uri().to_string()
    };
    let content_type = response
        .headers()
        .get("content-type")
        .and_then(|v| v.to_str().ok())
        .unwrap_or("")
        .to_ascii_lowercase();
    let bytes = response
        .body_mut()
        .with_config()
        .limit(opts.max_file_bytes)
        .read_to_vec()
        .map_err(|e| match e {
            ureq::Error::BodyExceedsLimit(limit) => IngestError::TooLarge {
                path: label.to_path_buf(),
                size: limit.saturating_add(1),
                limit,
            },
            ureq::Error::Timeout(_) => fail(format!(
                "the body did not arrive within {} s",
                timeout.as_secs()
            )),
            other => fail(format!("reading the body: {other}")),
        })?;
    let mut docs = to_documents(&final_url, &content_type, bytes)?;
    let fetched = Some(rasd_model::PublishedTime::from_timestamp(
        jiff::Timestamp::now(),
        &jiff::tz::TimeZone::UTC,
    ));
    for d in &mut docs {
        d.meta.fetched = fetched;
    }
    Ok(docs)
}

/// What the answer holds, by `Content-Type` first and by its first bytes second.
fn kind_of(content_type: &str, head: &[u8]) -> FileKind {
    let mime = content_type.split(';').next().unwrap_or("").trim();
    let sniffed = kind_from_head(head);
    match mime {
        m if m.contains("rss") || m.contains("atom") => FileKind::Feed,
        m if m.contains("html") => match sniffed {
            FileKind::Feed => FileKind::Feed,
            _ => FileKind::Html,
        },
        "text/plain" => match sniffed {
            FileKind::Unknown => FileKind::Text,
            other => other,
        },
        _ => sniffed,
    }
}

/// The documents of one answer: a feed's items, else one page (HTML or text).
/// `url` is the final URL (after redirects); `Err` names it.
pub fn to_documents(
    url: &str,
    content_type: &str,
    bytes: Vec<u8>,
) -> Result<Vec<RawDocument>, IngestError> {
    let label = Path::new(url);
    if bytes.trim_ascii().is_empty() {
        return Err(IngestError::unreadable(
            label,
            "empty answer: no document in it",
        ));
    }
    let head = &bytes[..bytes.len().min(crate::limits::HEAD_BYTES)];
    let base = doc_id_for_url(url);
    let origin = Origin::Url {
        url: url.to_string(),
    };
    let charset = content_type
        .split(';')
        .filter_map(|p| p.trim().strip_prefix("charset="))
        .map(|c| c.trim_matches('"').to_string())
        .next();
    match kind_of(content_type, head) {
        FileKind::Feed => {
            let (items, err) = feed::read_feed(&bytes, label);
            if let Some(err) = err.filter(|_| items.items.is_empty()) {
                return Err(err);
            }
            Ok(feed::to_documents(items, &base, &origin, false))
        }
        FileKind::Warc => Err(IngestError::unreadable(
            label,
            "a WARC archive: save it and ingest the file",
        )),
        kind => {
            if looks_binary(head) {
                return Err(IngestError::unreadable(
                    label,
                    format!(
                        "not a news document (Content-Type {:?})",
                        content_type.split(';').next().unwrap_or("")
                    ),
                ));
            }
            let kind = match kind {
                FileKind::Text => ContentKind::Text,
                _ => ContentKind::Html,
            };
            Ok(vec![RawDocument {
                doc_id: numbered_id(&base, 1, false),
                origin,
                kind,
                bytes,
                meta: DocumentMeta {
                    url: Some(url.to_string()),
                    charset,
                    ..DocumentMeta::default()
                },
            }])
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn urls_are_told_from_paths() {
        assert!(is_url("https://x.example/a"));
        assert!(is_url("HTTP://x.example"));
        assert!(!is_url("samples/a.html"));
        assert!(!is_url("http"));
        assert!(!is_url("ftp://x.example/a"));
    }

    #[test]
    fn document_names_come_from_the_last_segment() {
        assert_eq!(
            doc_id_for_url("https://x.example/news/2024/raid-in-tafas.html?src=rss#top"),
            "raid-in-tafas"
        );
        assert_eq!(doc_id_for_url("https://x.example/news/"), "news");
        assert_eq!(doc_id_for_url("https://x.example"), "x.example");
        assert_eq!(
            doc_id_for_url("https://x.example/%D8%AF%D8%B1%D8%B9%D8%A7"),
            "درعا"
        );
        assert_eq!(doc_id_for_url("https://x.example/100%"), "100%");
    }

    #[test]
    fn the_header_decides_then_the_bytes() {
        let feed = b"<?xml version=\"1.0\"?><rss version=\"2.0\"><channel></channel></rss>";
        assert_eq!(kind_of("application/rss+xml", feed), FileKind::Feed);
        assert_eq!(kind_of("text/xml; charset=utf-8", feed), FileKind::Feed);
        assert_eq!(
            kind_of("text/html; charset=windows-1256", b"<html>"),
            FileKind::Html
        );
        assert_eq!(kind_of("text/plain", "خبر".as_bytes()), FileKind::Text);
        assert_eq!(kind_of("", b"<!DOCTYPE html><html>"), FileKind::Html);
    }

    #[test]
    fn an_empty_or_binary_answer_is_an_error_naming_the_url() {
        let e = to_documents("https://x.example/a", "text/html", b"  \n".to_vec()).unwrap_err();
        assert!(e.to_string().contains("https://x.example/a"), "{e}");
        let e = to_documents(
            "https://x.example/p.pdf",
            "application/pdf",
            b"%PDF-1.7\x00\x01\x02\x03".to_vec(),
        )
        .unwrap_err();
        assert!(e.to_string().contains("not a news document"), "{e}");
    }

    #[test]
    fn a_page_keeps_its_url_and_charset() {
        let docs = to_documents(
            "https://x.example/n/a.html",
            "text/html; charset=windows-1256",
            b"<html><body><p>x</p></body></html>".to_vec(),
        )
        .unwrap();
        assert_eq!(docs.len(), 1);
        assert_eq!(docs[0].doc_id, "a");
        assert_eq!(docs[0].kind, ContentKind::Html);
        assert_eq!(
            docs[0].meta.url.as_deref(),
            Some("https://x.example/n/a.html")
        );
        assert_eq!(docs[0].meta.charset.as_deref(), Some("windows-1256"));
    }
}
