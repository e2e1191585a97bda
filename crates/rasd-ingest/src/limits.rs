//! Every limit and heuristic threshold of the readers, in one place.

/// Default cap on one document's size (a file, a decompressed `.gz`, a feed):
/// 256 MiB. Above it the file is reported, not read.
pub const DEFAULT_MAX_FILE_BYTES: u64 = 256 * 1024 * 1024;

/// Default cap on one WARC record's payload: 64 MiB. A larger record is skipped
/// (its bytes streamed past, never held) and reported; the archive goes on.
pub const DEFAULT_MAX_RECORD_BYTES: u64 = 64 * 1024 * 1024;

/// Longest WARC or HTTP header block accepted (bytes).
pub const MAX_HEADER_BYTES: u64 = 64 * 1024;

/// Buffer size of the streaming readers.
pub const READ_BUFFER_BYTES: usize = 64 * 1024;

/// How many leading bytes are examined to sniff a file's kind.
pub const HEAD_BYTES: usize = 2048;

/// How many leading bytes are searched for a `<meta charset>` or XML declaration.
pub const SNIFF_BYTES: usize = 4096;

/// Share of non-ASCII characters that must decode to Arabic for a single-byte
/// Arabic charset (windows-1256 / ISO-8859-6) to be chosen by detection.
pub const ARABIC_MIN_SHARE: f64 = 0.6;

/// Share of control bytes (other than tab, CR, LF, FF) in a file's head above which
/// it is reported as binary rather than read as text.
pub const BINARY_CONTROL_SHARE: f64 = 0.05;

/// Extensions skipped when walking a folder (data and code that sit beside
/// documents: manifests, gold files, databases). A file given by name is always read.
pub const SKIPPED_EXTENSIONS: &[&str] = &[
    "json", "jsonl", "ndjson", "csv", "tsv", "yaml", "yml", "toml", "md", "db", "sqlite",
    "sqlite3", "py", "rs", "sh", "lock",
];
