//! rasd-ingest owns the first stage of the pipeline: reading whatever the user has
//! into [`RawDocument`]s, without interpreting the content.
//!
//! - [`read_path`]: a file or a folder (recursive, sorted), `.gz` read transparently,
//!   RSS 2.0 / Atom feeds split into one document per item ([`feed`]), WARC and
//!   WARC.gz archives streamed record by record ([`warc`]), plain-text scrapes,
//!   HTML pages, anything else sniffed.
//! - [`encoding`]: bytes → text (BOM, declared charset, `<meta charset>`, detection
//!   of UTF-8 / windows-1256 / ISO-8859-6 and others).
//! - [`manifest`]: the metadata the user already has (JSON Lines), applied to
//!   documents.
//!
//! `doc_id` is the file name up to its first dot; a file holding several documents
//! gives `NAME#1`, `NAME#2`, ... (1-based, in file order). A feed or archive holding
//! exactly one document keeps the plain `NAME`.
//!
//! Errors name the file (and the item or record) and say what was wrong; one bad file
//! never stops the others, and a truncated archive still yields the records read
//! before the damage.

pub mod encoding;
pub mod feed;
pub mod fetch;
pub mod limits;
pub mod manifest;
pub mod warc;

use rasd_model::{ContentKind, DocumentMeta, Origin, RawDocument};
use std::collections::VecDeque;
use std::fs::File;
use std::io::{self, BufRead, BufReader, Read};
use std::path::{Path, PathBuf};

pub use manifest::Manifest;

/// One thing that went wrong while reading. Every variant names the file.
#[derive(Debug, thiserror::Error)]
pub enum IngestError {
    #[error("{}: {source}", path.display())]
    Io {
        path: PathBuf,
        #[source]
        source: io::Error,
    },
    #[error("{}: {size} bytes or more, above the limit of {limit} bytes per document", path.display())]
    TooLarge {
        path: PathBuf,
        size: u64,
        limit: u64,
    },
    #[error("{}: gzip data is corrupt or truncated: {detail}", path.display())]
    Gzip { path: PathBuf, detail: String },
    #[error("{}: {}{detail}", path.display(), item.map(|i| format!("item {i}: ")).unwrap_or_default())]
    Feed {
        path: PathBuf,
        /// 1-based item index, when the problem is inside one item.
        item: Option<usize>,
        detail: String,
    },
    #[error("{}: WARC record {record} at byte {offset}: {detail}", path.display())]
    Warc {
        path: PathBuf,
        /// 1-based record index in the archive.
        record: u64,
        /// Offset of the record in the (decompressed) archive.
        offset: u64,
        detail: String,
    },
    #[error("{}:{line}: {detail}", path.display())]
    Manifest {
        path: PathBuf,
        line: usize,
        detail: String,
    },
    #[error("{}: {detail}", path.display())]
    Unreadable { path: PathBuf, detail: String },
}

impl IngestError {
    /// The file the error is about.
    pub fn path(&self) -> &Path {
        match self {
            IngestError::Io { path, .. }
            | IngestError::TooLarge { path, .. }
            | IngestError::Gzip { path, .. }
            | IngestError::Feed { path, .. }
            | IngestError::Warc { path, .. }
            | IngestError::Manifest { path, .. }
            | IngestError::Unreadable { path, .. } => path,
        }
    }

    pub(crate) fn io(path: &Path, source: io::Error) -> Self {
        IngestError::Io {
            path: path.to_path_buf(),
            source,
        }
    }

    pub(crate) fn unreadable(path: &Path, detail: impl Into<String>) -> Self {
        IngestError::Unreadable {
            path: path.to_path_buf(),
            detail: detail.into(),
        }
    }
}

/// How [`read_path`] reads.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ReadOptions {
    /// Largest document read into memory (a file, a decompressed `.gz`, a whole
    /// feed). Larger ones are reported as [`IngestError::TooLarge`].
    pub max_file_bytes: u64,
    /// Largest WARC record payload kept; larger records are skipped and reported.
    pub max_record_bytes: u64,
    /// Follow symbolic links found inside folders (the path given is always followed).
    pub follow_symlinks: bool,
    /// Read files and folders whose name starts with a dot.
    pub include_hidden: bool,
    /// How long fetching one URL may take, connection to last byte.
    pub fetch_timeout: std::time::Duration,
}

impl Default for ReadOptions {
    fn default() -> Self {
        Self {
            max_file_bytes: limits::DEFAULT_MAX_FILE_BYTES,
            max_record_bytes: limits::DEFAULT_MAX_RECORD_BYTES,
            follow_symlinks: false,
            include_hidden: false,
            fetch_timeout: fetch::DEFAULT_TIMEOUT,
        }
    }
}

/// Reads a file or a folder (recursively, in sorted order), or fetches an
/// `http(s)://` URL ([`fetch`]), into raw documents. Each item is a document or an
/// error naming the file or URL; reading goes on after an error.
pub fn read_path(
    path: &Path,
    opts: &ReadOptions,
) -> impl Iterator<Item = Result<RawDocument, IngestError>> + use<> {
    if let Some(url) = path.to_str().filter(|p| fetch::is_url(p)) {
        let fetched: VecDeque<_> = match fetch::fetch_url(url, opts, opts.fetch_timeout) {
            Ok(docs) => docs.into_iter().map(Ok).collect(),
            Err(e) => VecDeque::from([Err(e)]),
        };
        return Documents {
            fetched,
            files: VecDeque::new(),
            current: None,
            opts: opts.clone(),
        };
    }
    Documents {
        fetched: VecDeque::new(),
        files: list_files(path, opts),
        current: None,
        opts: opts.clone(),
    }
}

/// The documents of one file (a file is never split across folders).
pub fn read_file(path: &Path, opts: &ReadOptions) -> FileDocuments {
    match open_file(path, opts) {
        Ok(docs) => docs,
        Err(e) => FileDocuments::Done(Some(e)),
    }
}

struct Documents {
    /// What a URL gave, handed out before any file.
    fetched: VecDeque<Result<RawDocument, IngestError>>,
    files: VecDeque<Result<PathBuf, IngestError>>,
    current: Option<FileDocuments>,
    opts: ReadOptions,
}

impl Iterator for Documents {
    type Item = Result<RawDocument, IngestError>;

    fn next(&mut self) -> Option<Self::Item> {
        if let Some(doc) = self.fetched.pop_front() {
            return Some(doc);
        }
        loop {
            if let Some(cur) = &mut self.current {
                if let Some(item) = cur.next() {
                    return Some(item);
                }
                self.current = None;
            }
            match self.files.pop_front()? {
                Ok(path) => self.current = Some(read_file(&path, &self.opts)),
                Err(e) => return Some(Err(e)),
            }
        }
    }
}

/// The file list under `root`, sorted by name at each level; errors for unreadable
/// folders are kept in place.
fn list_files(root: &Path, opts: &ReadOptions) -> VecDeque<Result<PathBuf, IngestError>> {
    let mut out = VecDeque::new();
    match std::fs::metadata(root) {
        Err(e) => out.push_back(Err(IngestError::io(root, e))),
        Ok(m) if m.is_dir() => {
            let mut seen = Vec::new();
            walk(root, opts, &mut out, &mut seen);
        }
        Ok(_) => out.push_back(Ok(root.to_path_buf())),
    }
    out
}

fn walk(
    dir: &Path,
    opts: &ReadOptions,
    out: &mut VecDeque<Result<PathBuf, IngestError>>,
    seen: &mut Vec<PathBuf>,
) {
    // Symlink loops: never enter the same real folder twice.
    if let Ok(real) = std::fs::canonicalize(dir) {
        if seen.contains(&real) {
            return;
        }
        seen.push(real);
    }
    let entries = match std::fs::read_dir(dir) {
        Ok(rd) => rd,
        Err(e) => {
            out.push_back(Err(IngestError::io(dir, e)));
            return;
        }
    };
    let mut paths = Vec::new();
    for entry in entries {
        match entry {
            Ok(e) => paths.push(e.path()),
            Err(e) => out.push_back(Err(IngestError::io(dir, e))),
        }
    }
    paths.sort();
    for p in paths {
        let hidden = p
            .file_name()
            .and_then(|n| n.to_str())
            .is_some_and(|n| n.starts_with('.'));
        if hidden && !opts.include_hidden {
            continue;
        }
        let link = std::fs::symlink_metadata(&p).map(|m| m.file_type().is_symlink());
        match link {
            Err(e) => {
                out.push_back(Err(IngestError::io(&p, e)));
                continue;
            }
            Ok(true) if !opts.follow_symlinks => continue,
            Ok(_) => {}
        }
        match std::fs::metadata(&p) {
            Ok(m) if m.is_dir() => walk(&p, opts, out, seen),
            Ok(m) if m.is_file() && !skipped_in_folders(&p) => out.push_back(Ok(p)),
            Ok(m) if m.is_file() => {}
            Ok(_) => {} // sockets, fifos, devices: not documents
            Err(e) => out.push_back(Err(IngestError::io(&p, e))),
        }
    }
}

/// Manifests, gold files and other data beside the documents.
fn skipped_in_folders(p: &Path) -> bool {
    p.extension()
        .and_then(|e| e.to_str())
        .is_some_and(|e| limits::SKIPPED_EXTENSIONS.contains(&e.to_ascii_lowercase().as_str()))
}

/// The file name up to its first dot (`dev-004.xml` → `dev-004`,
/// `crawl.warc.gz` → `crawl`). A name starting with a dot keeps the part up to the
/// second dot.
pub fn doc_id_for(path: &Path) -> String {
    let name = path
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    let (lead, rest) = match name.strip_prefix('.') {
        Some(r) => (".", r),
        None => ("", name.as_str()),
    };
    let base = rest.split('.').next().unwrap_or(rest);
    format!("{lead}{base}")
}

/// `NAME` for the only document of a file, `NAME#k` (1-based) for one of several.
pub fn numbered_id(base: &str, k: usize, several: bool) -> String {
    if several {
        format!("{base}#{k}")
    } else {
        base.to_string()
    }
}

/// What kind of reader a file needs.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum FileKind {
    Warc,
    Feed,
    Html,
    Text,
    Unknown,
}

fn kind_from_name(inner_name: &str) -> FileKind {
    let ext = inner_name.rsplit('.').next().unwrap_or("");
    if !inner_name.contains('.') {
        return FileKind::Unknown;
    }
    match ext.to_ascii_lowercase().as_str() {
        "warc" | "arc" => FileKind::Warc,
        "xml" | "rss" | "atom" | "rdf" => FileKind::Feed,
        "html" | "htm" | "xhtml" | "shtml" | "php" | "asp" | "aspx" | "jsp" => FileKind::Html,
        "txt" | "text" => FileKind::Text,
        _ => FileKind::Unknown,
    }
}

/// The kind told by the first bytes of a file (after decompression).
pub(crate) fn kind_from_head(head: &[u8]) -> FileKind {
    let mut h = head;
    if let Some(r) = h.strip_prefix(&[0xEF, 0xBB, 0xBF]) {
        h = r;
    }
    let h = h.trim_ascii_start();
    if h.starts_with(b"WARC/") {
        return FileKind::Warc;
    }
    let lower: Vec<u8> = h
        .iter()
        .take(limits::HEAD_BYTES)
        .map(u8::to_ascii_lowercase)
        .collect();
    let find = |needle: &[u8]| memchr::memmem::find(&lower, needle);
    if lower.starts_with(b"<?xml") || lower.starts_with(b"<rss") || lower.starts_with(b"<feed") {
        if find(b"<rss").is_some() || find(b"<feed").is_some() || find(b"<rdf:rdf").is_some() {
            return FileKind::Feed;
        }
        if find(b"<html").is_some() {
            return FileKind::Html;
        }
    }
    if lower.starts_with(b"<!doctype html")
        || lower.starts_with(b"<html")
        || find(b"<body").is_some()
        || find(b"<head").is_some()
    {
        return FileKind::Html;
    }
    FileKind::Unknown
}

/// True when the bytes look like binary data rather than text.
pub(crate) fn looks_binary(head: &[u8]) -> bool {
    if head.is_empty() {
        return false;
    }
    if head.starts_with(&[0xFF, 0xFE]) || head.starts_with(&[0xFE, 0xFF]) {
        return false; // UTF-16 with a BOM
    }
    let controls = head
        .iter()
        .filter(|&&b| b < 0x20 && !matches!(b, b'\t' | b'\n' | b'\r' | 0x0C))
        .count();
    head.contains(&0) || controls as f64 > limits::BINARY_CONTROL_SHARE * head.len() as f64
}

const GZIP_MAGIC: [u8; 2] = [0x1F, 0x8B];

/// A reader that returns one stored error, then end of stream.
struct FailOnce(Option<io::Error>);

impl Read for FailOnce {
    fn read(&mut self, _buf: &mut [u8]) -> io::Result<usize> {
        match self.0.take() {
            Some(e) => Err(e),
            None => Ok(0),
        }
    }
}

/// The documents of one file, produced lazily for archives.
pub enum FileDocuments {
    /// Documents already read (pages, feeds), then possibly one error.
    Ready(std::vec::IntoIter<RawDocument>, Option<IngestError>),
    /// A WARC archive being streamed.
    Warc(Box<warc::WarcDocuments<Box<dyn BufRead>>>),
    /// Nothing left but possibly one error.
    Done(Option<IngestError>),
}

impl Iterator for FileDocuments {
    type Item = Result<RawDocument, IngestError>;

    fn next(&mut self) -> Option<Self::Item> {
        match self {
            FileDocuments::Ready(docs, err) => match docs.next() {
                Some(d) => Some(Ok(d)),
                None => err.take().map(Err),
            },
            FileDocuments::Warc(w) => w.next(),
            FileDocuments::Done(err) => err.take().map(Err),
        }
    }
}

/// Turns gzip errors into [`IngestError::Gzip`], other read errors into `Io`.
pub(crate) fn read_error(path: &Path, gz: bool, e: io::Error) -> IngestError {
    let gzip_like = matches!(
        e.kind(),
        io::ErrorKind::UnexpectedEof | io::ErrorKind::InvalidInput | io::ErrorKind::InvalidData
    );
    if gz && gzip_like {
        IngestError::Gzip {
            path: path.to_path_buf(),
            detail: e.to_string(),
        }
    } else {
        IngestError::io(path, e)
    }
}

fn open_file(path: &Path, opts: &ReadOptions) -> Result<FileDocuments, IngestError> {
    let file = File::open(path).map_err(|e| IngestError::io(path, e))?;
    let size = file.metadata().map_err(|e| IngestError::io(path, e))?.len();
    let mut raw = BufReader::with_capacity(limits::READ_BUFFER_BYTES, file);
    let gz = raw
        .fill_buf()
        .map_err(|e| IngestError::io(path, e))?
        .starts_with(&GZIP_MAGIC);
    let name = path
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    let lower = name.to_ascii_lowercase();
    let inner_name = lower
        .strip_suffix(".gz")
        .or_else(|| lower.strip_suffix(".gzip"))
        .unwrap_or(&lower)
        .to_string();
    let mut reader: Box<dyn BufRead> = if gz {
        Box::new(BufReader::with_capacity(
            limits::READ_BUFFER_BYTES,
            flate2::bufread::MultiGzDecoder::new(raw),
        ))
    } else {
        Box::new(raw)
    };

    // Peek at the head to sniff the kind without losing bytes.
    // A read error inside the head (a short, truncated gzip) is kept for later, so
    // that whatever decoded before it is still read.
    let mut head = Vec::with_capacity(limits::HEAD_BYTES);
    let mut head_error = None;
    if let Err(e) = (&mut reader)
        .take(limits::HEAD_BYTES as u64)
        .read_to_end(&mut head)
    {
        head_error = Some(e);
    }
    let rest: Box<dyn Read> = match head_error {
        Some(e) => Box::new(FailOnce(Some(e))),
        None => Box::new(reader),
    };
    let reader: Box<dyn BufRead> = Box::new(BufReader::with_capacity(
        limits::READ_BUFFER_BYTES,
        io::Cursor::new(head.clone()).chain(rest),
    ));

    let mut kind = kind_from_name(&inner_name);
    let sniffed = kind_from_head(&head);
    if sniffed == FileKind::Warc || kind == FileKind::Unknown {
        kind = sniffed;
    }
    let base = doc_id_for(path);
    if kind == FileKind::Warc {
        return Ok(FileDocuments::Warc(Box::new(warc::WarcDocuments::new(
            reader,
            path.to_path_buf(),
            base,
            gz,
            opts.max_record_bytes,
        ))));
    }

    if !gz && size > opts.max_file_bytes {
        return Err(IngestError::TooLarge {
            path: path.to_path_buf(),
            size,
            limit: opts.max_file_bytes,
        });
    }
    let mut bytes = Vec::new();
    reader
        .take(opts.max_file_bytes.saturating_add(1))
        .read_to_end(&mut bytes)
        .map_err(|e| read_error(path, gz, e))?;
    if bytes.len() as u64 > opts.max_file_bytes {
        return Err(IngestError::TooLarge {
            path: path.to_path_buf(),
            size: bytes.len() as u64,
            limit: opts.max_file_bytes,
        });
    }
    if bytes.trim_ascii().is_empty() {
        return Err(IngestError::unreadable(
            path,
            "empty file: no document in it",
        ));
    }
    let origin = Origin::File {
        path: path.display().to_string(),
    };
    if kind == FileKind::Feed {
        let (items, err) = feed::read_feed(&bytes, path);
        let docs: Vec<RawDocument> = feed::to_documents(items, &base, &origin, err.is_some());
        return Ok(FileDocuments::Ready(docs.into_iter(), err));
    }
    if looks_binary(&bytes[..bytes.len().min(limits::HEAD_BYTES)]) {
        return Err(IngestError::unreadable(
            path,
            "binary data (control bytes), not a text, HTML, feed or WARC document",
        ));
    }
    let kind = match kind {
        FileKind::Html => ContentKind::Html,
        FileKind::Text => ContentKind::Text,
        _ => ContentKind::Text,
    };
    Ok(FileDocuments::Ready(
        vec![RawDocument {
            doc_id: base,
            origin,
            kind,
            bytes,
            meta: DocumentMeta::default(),
        }]
        .into_iter(),
        None,
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn doc_ids() {
        assert_eq!(doc_id_for(Path::new("/a/dev-004.xml")), "dev-004");
        assert_eq!(doc_id_for(Path::new("crawl.warc.gz")), "crawl");
        assert_eq!(doc_id_for(Path::new("noext")), "noext");
        assert_eq!(numbered_id("f", 2, true), "f#2");
        assert_eq!(numbered_id("f", 1, false), "f");
    }

    #[test]
    fn kinds() {
        assert_eq!(kind_from_name("a.warc"), FileKind::Warc);
        assert_eq!(kind_from_name("a.HTM"), FileKind::Html);
        assert_eq!(kind_from_name("a"), FileKind::Unknown);
        assert_eq!(kind_from_head(b"  WARC/1.1\r\n"), FileKind::Warc);
        assert_eq!(
            kind_from_head(b"<?xml version='1.0'?><rss>"),
            FileKind::Feed
        );
        assert_eq!(kind_from_head(b"<!DOCTYPE html><html>"), FileKind::Html);
        assert_eq!(kind_from_head("نص عادي".as_bytes()), FileKind::Unknown);
        assert!(looks_binary(b"\x00\x01\x02abc"));
        assert!(!looks_binary("سطر\nسطر\tآخر".as_bytes()));
    }
}
