//! A streaming WARC 1.0/1.1 reader.
//!
//! Records are read one at a time from a `BufRead` (plain or through a multi-member
//! gzip decoder), so memory stays flat however large the archive: only one record's
//! payload is held, and a payload above the record limit is streamed past without
//! being held. `response` records whose HTTP payload is HTML become documents: the
//! HTTP headers are stripped (chunked transfer and gzip/deflate content encodings
//! undone), the `charset` of the HTTP `Content-Type` is kept in `meta.charset`,
//! `WARC-Target-URI` becomes `meta.url` and `WARC-Date` (the capture time: when the
//! page was fetched, not when it was published) `meta.fetched`. Every other record is
//! skipped.
//!
//! A truncated or malformed archive yields the documents read before the damage and
//! then one error naming the record and its byte offset.

use crate::limits::MAX_HEADER_BYTES;
use crate::{IngestError, numbered_id, read_error};
use rasd_model::{ContentKind, DocumentMeta, Origin, PublishedTime, RawDocument};
use std::collections::VecDeque;
use std::io::{self, BufRead, Read};
use std::path::PathBuf;

/// One WARC record's header block: the version line and the named fields, in order.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct RecordHeader {
    pub version: String,
    pub fields: Vec<(String, String)>,
}

impl RecordHeader {
    /// The value of a field (case-insensitive name).
    pub fn get(&self, name: &str) -> Option<&str> {
        self.fields
            .iter()
            .find(|(k, _)| k.eq_ignore_ascii_case(name))
            .map(|(_, v)| v.as_str())
    }
}

/// An HTML page found in a `response` record.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct WarcPage {
    /// 1-based index of the record in the archive.
    pub record: u64,
    pub target_uri: Option<String>,
    pub date: Option<PublishedTime>,
    pub charset: Option<String>,
    /// The HTTP body, headers stripped and transfer/content encodings undone.
    pub body: Vec<u8>,
}

/// What went wrong in a record, before the file path is attached.
#[derive(Debug)]
struct Problem {
    record: u64,
    offset: u64,
    detail: String,
    io: Option<io::Error>,
}

/// Reads the HTML pages of a WARC stream, one record at a time.
pub struct WarcReader<R> {
    reader: R,
    offset: u64,
    record: u64,
    max_record_bytes: u64,
    done: bool,
}

impl<R: BufRead> WarcReader<R> {
    pub fn new(reader: R, max_record_bytes: u64) -> Self {
        Self {
            reader,
            offset: 0,
            record: 0,
            max_record_bytes,
            done: false,
        }
    }

    /// The next HTML page, `Ok(None)` at the end of the archive. After an `Err` whose
    /// record could not be delimited, the reader stops (returns `Ok(None)`).
    fn next_page(&mut self) -> Result<Option<WarcPage>, Problem> {
        while !self.done {
            let start = self.offset;
            let header = match self.read_header() {
                Ok(Some(h)) => h,
                Ok(None) => {
                    self.done = true;
                    return Ok(None);
                }
                Err((detail, io)) => {
                    self.done = true;
                    return Err(Problem {
                        record: self.record,
                        offset: start,
                        detail,
                        io,
                    });
                }
            };
            let record = self.record;
            let fail = |detail: String, _fatal: bool, io: Option<io::Error>| Problem {
                record,
                offset: start,
                detail,
                io,
            };
            let Some(len) = header
                .get("Content-Length")
                .and_then(|v| v.trim().parse::<u64>().ok())
            else {
                self.done = true;
                return Err(fail(
                    "missing or unreadable Content-Length: cannot find the next record".into(),
                    true,
                    None,
                ));
            };
            let wanted = header
                .get("WARC-Type")
                .is_some_and(|t| t.trim().eq_ignore_ascii_case("response"));
            if !wanted || len > self.max_record_bytes {
                let skipped = io::copy(&mut (&mut self.reader).take(len), &mut io::sink());
                match skipped {
                    Ok(n) if n == len => self.offset += n,
                    Ok(n) => {
                        self.done = true;
                        return Err(fail(
                            format!("truncated: {n} of {len} payload bytes present"),
                            true,
                            None,
                        ));
                    }
                    Err(e) => {
                        self.done = true;
                        return Err(fail(format!("read error: {e}"), true, Some(e)));
                    }
                }
                if wanted {
                    return Err(fail(
                        format!(
                            "payload of {len} bytes is above the record limit of {} bytes: skipped",
                            self.max_record_bytes
                        ),
                        false,
                        None,
                    ));
                }
                continue;
            }
            let mut payload = Vec::with_capacity(len.min(1 << 20) as usize);
            match (&mut self.reader).take(len).read_to_end(&mut payload) {
                Ok(n) if n as u64 == len => self.offset += len,
                Ok(n) => {
                    self.done = true;
                    return Err(fail(
                        format!("truncated: {n} of {len} payload bytes present"),
                        true,
                        None,
                    ));
                }
                Err(e) => {
                    self.done = true;
                    return Err(fail(format!("read error: {e}"), true, Some(e)));
                }
            }
            match http_html(&payload, header.get("Content-Type"), self.max_record_bytes) {
                Ok(Some((charset, body))) => {
                    return Ok(Some(WarcPage {
                        record,
                        target_uri: header
                            .get("WARC-Target-URI")
                            .map(|u| u.trim().trim_matches(['<', '>']).to_string()),
                        date: header
                            .get("WARC-Date")
                            .and_then(|d| d.trim().parse::<PublishedTime>().ok()),
                        charset,
                        body,
                    }));
                }
                Ok(None) => continue,
                Err(detail) => return Err(fail(detail, false, None)),
            }
        }
        Ok(None)
    }

    /// Reads one header line (without its line break), at most `MAX_HEADER_BYTES`.
    fn read_line(&mut self, buf: &mut Vec<u8>) -> io::Result<usize> {
        buf.clear();
        let n = (&mut self.reader)
            .take(MAX_HEADER_BYTES)
            .read_until(b'\n', buf)?;
        self.offset += n as u64;
        while buf.last().is_some_and(|&b| b == b'\n' || b == b'\r') {
            buf.pop();
        }
        Ok(n)
    }

    /// The next record's header; `None` at a clean end of stream.
    #[allow(clippy::type_complexity)]
    fn read_header(&mut self) -> Result<Option<RecordHeader>, (String, Option<io::Error>)> {
        let mut line = Vec::new();
        // Records are separated by two CRLFs; tolerate any number of blank lines.
        loop {
            let n = self
                .read_line(&mut line)
                .map_err(|e| (format!("read error: {e}"), Some(e)))?;
            if n == 0 {
                return Ok(None);
            }
            if !line.trim_ascii().is_empty() {
                break;
            }
        }
        self.record += 1;
        let version = String::from_utf8_lossy(line.trim_ascii()).into_owned();
        if !version.starts_with("WARC/") {
            let shown: String = version.chars().take(40).collect();
            return Err((
                format!("expected a WARC/1.x version line, found {shown:?}"),
                None,
            ));
        }
        let mut header = RecordHeader {
            version,
            fields: Vec::new(),
        };
        let mut total = 0u64;
        loop {
            let n = self
                .read_line(&mut line)
                .map_err(|e| (format!("read error in the header: {e}"), Some(e)))?;
            if n == 0 {
                return Err((
                    "truncated: the archive ends inside a record header".into(),
                    None,
                ));
            }
            total += n as u64;
            if total > MAX_HEADER_BYTES {
                return Err((
                    format!("header block longer than {MAX_HEADER_BYTES} bytes"),
                    None,
                ));
            }
            if line.is_empty() {
                return Ok(Some(header));
            }
            let text = String::from_utf8_lossy(&line);
            if let Some((k, v)) = text.split_once(':') {
                header
                    .fields
                    .push((k.trim().to_string(), v.trim().to_string()));
            } else if text.starts_with([' ', '\t']) {
                // A folded continuation line.
                if let Some(last) = header.fields.last_mut() {
                    last.1.push(' ');
                    last.1.push_str(text.trim());
                }
            } else {
                return Err((
                    format!("malformed header line {:?}", truncate(&text, 60)),
                    None,
                ));
            }
        }
    }
}

fn truncate(s: &str, n: usize) -> String {
    s.chars().take(n).collect()
}

/// For an HTTP response payload: `(charset, body)` when it is a 2xx HTML response,
/// `None` when it is something else, an error when it cannot be read.
#[allow(clippy::type_complexity)]
fn http_html(
    payload: &[u8],
    warc_content_type: Option<&str>,
    max_bytes: u64,
) -> Result<Option<(Option<String>, Vec<u8>)>, String> {
    let is_http = warc_content_type
        .is_some_and(|t| t.to_ascii_lowercase().contains("application/http"))
        || payload.starts_with(b"HTTP/");
    if !is_http {
        return Ok(None);
    }
    let (head_end, body_start) = match memchr::memmem::find(payload, b"\r\n\r\n") {
        Some(i) => (i, i + 4),
        None => match memchr::memmem::find(payload, b"\n\n") {
            Some(i) => (i, i + 2),
            None => return Err("HTTP response without the blank line ending its headers".into()),
        },
    };
    let head = String::from_utf8_lossy(&payload[..head_end]);
    let mut lines = head.lines();
    let status = lines.next().unwrap_or("");
    let code: u16 = status
        .split_whitespace()
        .nth(1)
        .and_then(|c| c.parse().ok())
        .ok_or_else(|| format!("unreadable HTTP status line {:?}", truncate(status, 60)))?;
    if !(200..300).contains(&code) {
        return Ok(None);
    }
    let mut content_type = None;
    let mut content_encoding = None;
    let mut chunked = false;
    for l in lines {
        if let Some((k, v)) = l.split_once(':') {
            let (k, v) = (k.trim(), v.trim());
            if k.eq_ignore_ascii_case("content-type") {
                content_type = Some(v.to_string());
            } else if k.eq_ignore_ascii_case("content-encoding") {
                content_encoding = Some(v.to_ascii_lowercase());
            } else if k.eq_ignore_ascii_case("transfer-encoding") {
                chunked = v.to_ascii_lowercase().contains("chunked");
            }
        }
    }
    let mut body = payload[body_start..].to_vec();
    if chunked {
        body = dechunk(&body).ok_or("malformed chunked transfer encoding")?;
    }
    match content_encoding.as_deref() {
        Some("gzip" | "x-gzip") => {
            body = inflate(flate2::read::MultiGzDecoder::new(&body[..]), max_bytes)?;
        }
        Some("deflate") => {
            body = inflate(flate2::read::ZlibDecoder::new(&body[..]), max_bytes)
                .or_else(|_| inflate(flate2::read::DeflateDecoder::new(&body[..]), max_bytes))?;
        }
        _ => {}
    }
    let html = match &content_type {
        Some(t) => {
            let t = t.to_ascii_lowercase();
            t.contains("html")
        }
        None => {
            let head: Vec<u8> = body.iter().take(1024).map(u8::to_ascii_lowercase).collect();
            memchr::memmem::find(&head, b"<html").is_some()
                || memchr::memmem::find(&head, b"<!doctype html").is_some()
        }
    };
    if !html {
        return Ok(None);
    }
    let charset = content_type.as_deref().and_then(|t| {
        let lower = t.to_ascii_lowercase();
        let i = lower.find("charset=")?;
        let v = t[i + 8..]
            .trim_matches(|c: char| c == '"' || c == '\'' || c.is_whitespace())
            .split([';', ' ', '"', '\''])
            .next()?
            .to_string();
        (!v.is_empty()).then_some(v)
    });
    Ok(Some((charset, body)))
}

fn inflate(r: impl Read, max_bytes: u64) -> Result<Vec<u8>, String> {
    let mut out = Vec::new();
    r.take(max_bytes + 1)
        .read_to_end(&mut out)
        .map_err(|e| format!("HTTP body does not decompress: {e}"))?;
    if out.len() as u64 > max_bytes {
        return Err(format!(
            "HTTP body decompresses to more than the record limit of {max_bytes} bytes"
        ));
    }
    Ok(out)
}

/// Undoes HTTP/1.1 chunked transfer encoding.
fn dechunk(mut b: &[u8]) -> Option<Vec<u8>> {
    let mut out = Vec::with_capacity(b.len());
    loop {
        let eol = memchr::memmem::find(b, b"\r\n")?;
        let size_text = std::str::from_utf8(&b[..eol]).ok()?;
        let size_text = size_text.split(';').next()?.trim();
        let size = usize::from_str_radix(size_text, 16).ok()?;
        b = &b[eol + 2..];
        if size == 0 {
            return Some(out);
        }
        if b.len() < size {
            // A capture cut inside a chunk: keep what is there.
            out.extend_from_slice(b);
            return Some(out);
        }
        out.extend_from_slice(&b[..size]);
        b = &b[size..];
        b = b.strip_prefix(b"\r\n").unwrap_or(b);
        if b.is_empty() {
            return Some(out);
        }
    }
}

/// The documents of one WARC file, numbered `NAME#k` (or `NAME` when the archive
/// holds a single page). Keeps a lookahead of at most two pages to decide.
pub struct WarcDocuments<R> {
    reader: WarcReader<R>,
    path: PathBuf,
    base: String,
    gz: bool,
    queue: VecDeque<Result<WarcPage, IngestError>>,
    started: bool,
    several: bool,
    count: usize,
}

impl<R: BufRead> WarcDocuments<R> {
    pub fn new(reader: R, path: PathBuf, base: String, gz: bool, max_record_bytes: u64) -> Self {
        Self {
            reader: WarcReader::new(reader, max_record_bytes),
            path,
            base,
            gz,
            queue: VecDeque::new(),
            started: false,
            several: true,
            count: 0,
        }
    }

    fn pull(&mut self) -> Option<Result<WarcPage, IngestError>> {
        match self.reader.next_page() {
            Ok(Some(p)) => Some(Ok(p)),
            Ok(None) => None,
            Err(p) => Some(Err(self.error(p))),
        }
    }

    fn error(&self, p: Problem) -> IngestError {
        if let Some(e) = p.io {
            let detail = format!("{}: {e}", p.detail);
            if self.gz {
                if let IngestError::Gzip { path, detail } = read_error(&self.path, true, e) {
                    return IngestError::Gzip {
                        path,
                        detail: format!("WARC record {} at byte {}: {detail}", p.record, p.offset),
                    };
                }
            }
            return IngestError::Warc {
                path: self.path.clone(),
                record: p.record,
                offset: p.offset,
                detail,
            };
        }
        IngestError::Warc {
            path: self.path.clone(),
            record: p.record,
            offset: p.offset,
            detail: p.detail,
        }
    }

    fn make_document(&mut self, page: WarcPage) -> RawDocument {
        self.count += 1;
        RawDocument {
            doc_id: numbered_id(&self.base, self.count, self.several),
            origin: Origin::File {
                path: self.path.display().to_string(),
            },
            kind: ContentKind::Html,
            bytes: page.body,
            meta: DocumentMeta {
                url: page.target_uri,
                fetched: page.date,
                charset: page.charset,
                ..DocumentMeta::default()
            },
        }
    }
}

impl<R: BufRead> Iterator for WarcDocuments<R> {
    type Item = Result<RawDocument, IngestError>;

    fn next(&mut self) -> Option<Self::Item> {
        if !self.started {
            self.started = true;
            let mut pages = 0;
            let mut ended = false;
            while pages < 2 {
                match self.pull() {
                    Some(item) => {
                        if item.is_ok() {
                            pages += 1;
                        }
                        self.queue.push_back(item);
                    }
                    None => {
                        ended = true;
                        break;
                    }
                }
            }
            let errors = self.queue.iter().any(Result::is_err);
            self.several = !(ended && pages == 1 && !errors);
            if ended && pages == 0 && !errors {
                return Some(Err(IngestError::Warc {
                    path: self.path.clone(),
                    record: self.reader.record,
                    offset: self.reader.offset,
                    detail: "the archive holds no HTML response record".into(),
                }));
            }
        }
        let item = match self.queue.pop_front() {
            Some(item) => item,
            None => self.pull()?,
        };
        Some(item.map(|p| self.make_document(p)))
    }
}

/// Writes one WARC `response` record holding an HTTP response with `html` (for
/// tests, benches and fuzz seeds).
pub fn response_record(uri: &str, date: &str, content_type: &str, html: &[u8]) -> Vec<u8> {
    let mut http = format!(
        "HTTP/1.1 200 OK\r\nContent-Type: {content_type}\r\nContent-Length: {}\r\n\r\n",
        html.len()
    )
    .into_bytes();
    http.extend_from_slice(html);
    let mut rec = format!(
        "WARC/1.1\r\nWARC-Type: response\r\nWARC-Target-URI: {uri}\r\nWARC-Date: {date}\r\nWARC-Record-ID: <urn:uuid:{:08x}-0000-0000-0000-000000000000>\r\nContent-Type: application/http; msgtype=response\r\nContent-Length: {}\r\n\r\n",
        http.len() as u32 ^ uri.len() as u32,
        http.len()
    )
    .into_bytes();
    rec.extend_from_slice(&http);
    rec.extend_from_slice(b"\r\n\r\n");
    rec
}

/// Writes one non-response WARC record (`warcinfo`, `request`, `metadata` ...).
pub fn other_record(kind: &str, body: &[u8]) -> Vec<u8> {
    let mut rec = format!(
        "WARC/1.1\r\nWARC-Type: {kind}\r\nContent-Type: application/warc-fields\r\nContent-Length: {}\r\n\r\n",
        body.len()
    )
    .into_bytes();
    rec.extend_from_slice(body);
    rec.extend_from_slice(b"\r\n\r\n");
    rec
}

#[cfg(test)]
mod tests {
    use super::*;

    fn archive() -> Vec<u8> {
        let mut w = other_record("warcinfo", b"software: test\r\n");
        w.extend(response_record(
            "https://a.example/1",
            "2024-05-01T10:00:00Z",
            "text/html; charset=windows-1256",
            b"<html><body><p>one</p></body></html>",
        ));
        w.extend(other_record("request", b"GET / HTTP/1.1\r\n\r\n"));
        w.extend(response_record(
            "https://a.example/logo.png",
            "2024-05-01T10:00:01Z",
            "image/png",
            b"\x89PNG....",
        ));
        w.extend(response_record(
            "https://a.example/2",
            "2024-05-01T10:00:02Z",
            "text/html",
            b"<html><body><p>two</p></body></html>",
        ));
        w
    }

    fn read(bytes: &[u8], max: u64) -> Vec<Result<RawDocument, IngestError>> {
        WarcDocuments::new(
            io::BufReader::new(bytes),
            PathBuf::from("t.warc"),
            "t".into(),
            false,
            max,
        )
        .collect()
    }

    #[test]
    fn reads_html_responses_only() {
        let docs = read(&archive(), 1 << 20);
        let docs: Vec<_> = docs.into_iter().map(Result::unwrap).collect();
        assert_eq!(docs.len(), 2);
        assert_eq!(docs[0].doc_id, "t#1");
        assert_eq!(docs[0].meta.url.as_deref(), Some("https://a.example/1"));
        assert_eq!(docs[0].meta.charset.as_deref(), Some("windows-1256"));
        assert_eq!(docs[0].bytes, b"<html><body><p>one</p></body></html>");
        assert_eq!(docs[1].doc_id, "t#2");
        assert_eq!(
            docs[1].meta.fetched.unwrap().to_string(),
            "2024-05-01T10:00:02+00:00"
        );
        assert_eq!(
            docs[1].meta.published, None,
            "a capture time is no publication time"
        );
    }

    #[test]
    fn single_page_keeps_plain_name() {
        let w = response_record("u", "2024-05-01T10:00:00Z", "text/html", b"<p>x</p>");
        let docs = read(&w, 1 << 20);
        assert_eq!(docs.len(), 1);
        assert_eq!(docs[0].as_ref().unwrap().doc_id, "t");
    }

    #[test]
    fn truncated_archive_keeps_earlier_records() {
        let w = archive();
        let cut = &w[..w.len() - 20];
        let docs = read(cut, 1 << 20);
        assert_eq!(docs.len(), 2);
        assert!(docs[0].is_ok());
        let err = docs[1].as_ref().unwrap_err().to_string();
        assert!(err.contains("t.warc: WARC record 5"), "{err}");
        assert!(err.contains("truncated"), "{err}");
    }

    #[test]
    fn oversized_record_is_skipped_with_an_error() {
        let docs = read(&archive(), 40);
        let errs: Vec<_> = docs.iter().filter(|d| d.is_err()).collect();
        assert_eq!(errs.len(), 3, "{docs:?}");
        assert!(
            errs[0]
                .as_ref()
                .unwrap_err()
                .to_string()
                .contains("record limit")
        );
    }

    #[test]
    fn garbage_is_an_error() {
        let docs = read(b"hello world\r\n\r\n", 1 << 20);
        assert_eq!(docs.len(), 1);
        assert!(
            docs[0]
                .as_ref()
                .unwrap_err()
                .to_string()
                .contains("expected a WARC/1.x version line")
        );
    }

    #[test]
    fn chunked_and_gzip_bodies() {
        assert_eq!(
            dechunk(b"4\r\nWiki\r\n5\r\npedia\r\n0\r\n\r\n").unwrap(),
            b"Wikipedia"
        );
        let mut gz = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::fast());
        std::io::Write::write_all(&mut gz, b"<html>zipped</html>").unwrap();
        let body = gz.finish().unwrap();
        let mut payload =
            b"HTTP/1.1 200 OK\r\nContent-Type: text/html\r\nContent-Encoding: gzip\r\n\r\n"
                .to_vec();
        payload.extend(body);
        let (_, out) = http_html(&payload, None, 1 << 20).unwrap().unwrap();
        assert_eq!(out, b"<html>zipped</html>");
    }
}
