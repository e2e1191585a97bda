//! rasd-store: the embedded store (SQLite through rusqlite, bundled library).
//!
//! It owns the on-disk form of everything rasd ingests and codes: raw documents
//! (bytes, sha256 content hash, origin, time seen), the articles extracted from
//! them, the coded events (every `spec/events.md` field as a column plus the full
//! JSON), their evidence sentences with character spans, and full-text indexes
//! over folded Arabic text (FTS5, trigram tokenizer; see [`fold_for_index`]).
//!
//! # Schema and migrations
//! Numbered SQL files in `crates/rasd-store/migrations/` (`0001_core.sql`, ...) are
//! embedded at build time (build.rs, no list to edit) and applied in order on
//! [`Store::open`]; `PRAGMA user_version` and the `schema_migrations` table record
//! what ran. A store written by a newer rasd is refused ([`StoreError::TooNew`]).
//! Files are opened in WAL mode with foreign keys on.
//!
//! # API
//! ```text
//! Store::open(path: &Path) -> Result<Store, StoreError>
//! Store::open_in_memory() -> Result<Store, StoreError>
//! Store::from_connection(conn: rusqlite::Connection) -> Result<Store, StoreError>
//! store.schema_version() -> Result<u32, StoreError>
//! store.connection() -> &rusqlite::Connection            // for sibling modules and the server
//! store.batch() -> Result<Batch<'_>, StoreError>          // one transaction; batch.commit()
//! store.rebuild_indexes(&mut self) -> Result<(), StoreError> // after writing rows with plain SQL
//!
//! // writes (on Store: each its own transaction; on Batch: inside the batch)
//! put_document(&RawDocument) -> Result<PutDocument, StoreError>   // idempotent by content hash
//! put_article(DocumentId, &Article) -> Result<(), StoreError>     // replaces the document's article
//! put_events(DocumentId, &[Event]) -> Result<Vec<EventId>, StoreError> // replaces the document's events
//!
//! // reads
//! has_document_hash(&str) -> Result<bool, StoreError>
//! document_by_hash(&str) -> Result<Option<DocumentId>, StoreError>
//! get_document(DocumentId) -> Result<Option<StoredDocument>, StoreError>
//! get_article(DocumentId) -> Result<Option<Article>, StoreError>
//! get_event(EventId) -> Result<Option<StoredEvent>, StoreError>
//! query_events(&EventFilter) -> Result<Vec<StoredEvent>, StoreError>
//! page_event_ids(&mut self, &EventFilter) -> Result<EventPage, StoreError>   // planned, budgeted (server)
//! count_events(&EventFilter) -> Result<u64, StoreError>   // ignores limit/offset
//! search_articles(text: &str, limit: u32) -> Result<Vec<DocumentId>, StoreError>
//! counts() -> Result<Counts, StoreError>
//! check() -> Result<Vec<String>, StoreError>   // integrity problems, empty when sound
//!
//! content_hash(&[u8]) -> String                 // lower-case hex sha256
//! fold_for_index(&str) -> String                // the folding used by the text indexes
//! ```
//!
//! # Crash safety
//! A [`Batch`] is one SQLite transaction: a process killed mid-batch leaves the
//! store as it was before the batch, and since ingest skips documents whose hash is
//! already stored, re-running the same ingest resumes where it stopped.
//!
//! # Extending
//! Another stage that needs tables adds `migrations/NNNN_name.sql` and a module
//! (e.g. `incidents.rs`) with an `impl Store` block using [`Store::connection`].

pub mod alerts;
pub mod backend;
pub mod changes;
mod events;
mod filter;
pub mod incidents;
mod migrate;
pub mod plan;
pub mod reconcile;
pub mod review;
pub mod sql;
pub mod watch;
mod write;

pub use backend::Backend;
pub use filter::{
    BBox, EventFilter, Placeholders, Sort, SqlValue, SqlWhere, actor_matches, actor_norm,
};
pub use migrate::{LATEST_VERSION, MIGRATIONS};
pub use plan::EventPage;

use rasd_model::{Article, ContentKind, DocumentMeta, Event, Origin};
use rusqlite::{Connection, OptionalExtension, params};
use serde::Serialize;
use std::path::{Path, PathBuf};

/// The one error type of the store.
#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    #[error("cannot open store {path}: {source}")]
    Open {
        path: PathBuf,
        source: rusqlite::Error,
    },
    #[error(
        "store schema version {found} is newer than this rasd knows ({known}); use a newer rasd"
    )]
    TooNew { found: u32, known: u32 },
    #[error("migration {version} ({name}) failed: {source}")]
    Migration {
        version: u32,
        name: &'static str,
        source: rusqlite::Error,
    },
    #[error("stored {what} #{id} is not valid JSON: {source}")]
    Corrupt {
        what: &'static str,
        id: i64,
        source: serde_json::Error,
    },
    #[error("no document #{0} in the store")]
    NoDocument(i64),
    #[error("no event #{0} in the store")]
    NoEvent(i64),
    /// A review change (correction, user) that the store refuses, with the reason.
    #[error("rejected: {0}")]
    BadCorrection(String),
    /// An alert the store refuses (a name taken), with the reason.
    #[error("{0}")]
    AlertRejected(String),
    #[error("cannot serialise {what}: {source}")]
    Serialise {
        what: &'static str,
        source: serde_json::Error,
    },
    #[error("sqlite: {0}")]
    Sqlite(#[from] rusqlite::Error),
    /// An error of another backend behind [`backend::Backend`] (PostgreSQL).
    #[error("{0}")]
    Backend(Box<dyn std::error::Error + Send + Sync>),
}

pub type Result<T, E = StoreError> = std::result::Result<T, E>;

/// The store's key of a document (the `documents.id` row id). Several documents may
/// share a `doc_id` (same file name in two folders); they never share an id.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize)]
pub struct DocumentId(pub i64);

/// The store's key of an event (`events.id`). Re-coding a document replaces its
/// events, which then get new ids.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize)]
pub struct EventId(pub i64);

/// What [`Store::put_document`] did.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PutDocument {
    /// The bytes were new: stored under this id.
    Inserted(DocumentId),
    /// The same bytes were already stored (under this id): nothing written.
    Existing(DocumentId),
}

impl PutDocument {
    pub fn id(self) -> DocumentId {
        match self {
            PutDocument::Inserted(id) | PutDocument::Existing(id) => id,
        }
    }

    pub fn is_new(self) -> bool {
        matches!(self, PutDocument::Inserted(_))
    }
}

/// A stored document with its bytes.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct StoredDocument {
    pub id: DocumentId,
    pub doc_id: String,
    pub content_hash: String,
    pub origin: Origin,
    pub kind: ContentKind,
    pub meta: DocumentMeta,
    #[serde(skip)]
    pub bytes: Vec<u8>,
    pub size: u64,
    pub seen_at: String,
}

/// An event as stored, with where it came from.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct StoredEvent {
    pub id: EventId,
    pub document_id: DocumentId,
    pub doc_id: String,
    /// Position of the event in its document's event list.
    pub ordinal: u32,
    pub event: Event,
    pub coded_at: String,
    /// From the document's article, when one was stored.
    pub source: Option<String>,
    pub url: Option<String>,
    pub title: Option<String>,
    pub published: Option<String>,
}

/// Row counts of the main tables.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize)]
pub struct Counts {
    pub documents: u64,
    pub articles: u64,
    pub events: u64,
    pub evidence: u64,
}

/// Lower-case hex sha256 of `bytes`: the key that makes ingest idempotent.
pub fn content_hash(bytes: &[u8]) -> String {
    use sha2::Digest;
    let digest = sha2::Sha256::digest(bytes);
    let mut out = String::with_capacity(64);
    for b in digest.iter() {
        out.push(char::from_digit(u32::from(b >> 4), 16).unwrap_or('0'));
        out.push(char::from_digit(u32::from(b & 15), 16).unwrap_or('0'));
    }
    out
}

/// The folding applied to every text the full-text indexes and the place keys hold,
/// and to every query against them: `rasd_arabic::fold_loose` (diacritics and tatweel
/// removed, alef forms unified, ى→ي, ة→ه, ؤ→و, ئ→ي, Arabic-Indic digits → ASCII, NFKC ...),
/// so a search need not guess how a reporter spelled a name.
/// FTS5's own tokenizers split Arabic words at diacritics, so the index never sees
/// unfolded text.
pub fn fold_for_index(text: &str) -> String {
    rasd_arabic::fold_loose(text)
}

/// The embedded SQLite store. Not `Sync`: open one per thread (WAL lets readers and
/// one writer share a file).
pub struct Store {
    conn: Connection,
}

impl Store {
    /// Opens (creating if needed) the store at `path` and brings its schema up to date.
    pub fn open(path: &Path) -> Result<Store> {
        let conn = Connection::open(path).map_err(|source| StoreError::Open {
            path: path.to_path_buf(),
            source,
        })?;
        conn.pragma_update(None, "journal_mode", "WAL")
            .map_err(|source| StoreError::Open {
                path: path.to_path_buf(),
                source,
            })?;
        Self::from_connection(conn)
    }

    /// A private store that lives in memory (tests, `rasd code`).
    pub fn open_in_memory() -> Result<Store> {
        Self::from_connection(Connection::open_in_memory()?)
    }

    /// Wraps an open connection: sets the pragmas rasd relies on and migrates.
    pub fn from_connection(conn: Connection) -> Result<Store> {
        conn.busy_timeout(std::time::Duration::from_secs(10))?;
        conn.pragma_update(None, "foreign_keys", "ON")?;
        conn.pragma_update(None, "synchronous", "NORMAL")?;
        let mut store = Store { conn };
        migrate::migrate(&mut store.conn, LATEST_VERSION)?;
        write::refresh_folding(&mut store.conn)?;
        review::reconcile_pending(&mut store.conn)?;
        Ok(store)
    }

    /// Rebuilds every folded index and key (event text, actors, article text, place
    /// keys) from the stored rows, in one transaction. `open` does this by itself when
    /// the folding or the index layout changed; rows written with plain SQL (a bench
    /// copying events, say) need it explicitly.
    pub fn rebuild_indexes(&mut self) -> Result<()> {
        let tx = self
            .conn
            .transaction_with_behavior(rusqlite::TransactionBehavior::Immediate)?;
        write::reindex(&tx)?;
        tx.commit()?;
        Ok(())
    }

    /// The schema version (number of the last migration applied).
    pub fn schema_version(&self) -> Result<u32> {
        migrate::current_version(&self.conn)
    }

    /// The underlying connection, for the store modules of other stages (incidents,
    /// review) and for read-only SQL from the server. Writes to the spine's tables
    /// should go through the methods here so the indexes stay in step.
    pub fn connection(&self) -> &Connection {
        &self.conn
    }

    /// Mutable access to the connection (to open transactions in sibling modules).
    pub fn connection_mut(&mut self) -> &mut Connection {
        &mut self.conn
    }

    /// Starts a batch: every write through it is one transaction, committed by
    /// [`Batch::commit`] and rolled back if the batch is dropped (or the process dies).
    pub fn batch(&mut self) -> Result<Batch<'_>> {
        let tx = self
            .conn
            .transaction_with_behavior(rusqlite::TransactionBehavior::Immediate)?;
        Ok(Batch { tx })
    }

    /// Stores a document unless a document with the same bytes is already stored.
    pub fn put_document(&self, doc: &rasd_model::RawDocument) -> Result<PutDocument> {
        write::put_document(&self.conn, doc)
    }

    /// Stores (or replaces) the article extracted from document `id`.
    pub fn put_article(&self, id: DocumentId, article: &Article) -> Result<()> {
        in_tx(&self.conn, |c| write::put_article(c, id, article))
    }

    /// Replaces the events of document `id` with `events` (re-coding a document
    /// leaves no stale events), with the analysts' review of the document applied to
    /// them in the same transaction ([`review`]). Returns the new ids in order.
    pub fn put_events(&self, id: DocumentId, events: &[Event]) -> Result<Vec<EventId>> {
        in_tx(&self.conn, |c| write::put_events(c, id, events))
    }

    /// Whether a document with this content hash ([`content_hash`]) is stored.
    pub fn has_document_hash(&self, hash: &str) -> Result<bool> {
        Ok(self.document_by_hash(hash)?.is_some())
    }

    /// The document stored with this content hash.
    pub fn document_by_hash(&self, hash: &str) -> Result<Option<DocumentId>> {
        Ok(self
            .conn
            .query_row(
                "SELECT id FROM documents WHERE content_hash = ?1",
                [hash],
                |r| r.get(0),
            )
            .optional()?
            .map(DocumentId))
    }

    /// The documents stored under a `doc_id` (usually one), oldest first.
    pub fn documents_by_doc_id(&self, doc_id: &str) -> Result<Vec<DocumentId>> {
        let mut stmt = self
            .conn
            .prepare_cached("SELECT id FROM documents WHERE doc_id = ?1 ORDER BY id")?;
        let ids = stmt
            .query_map([doc_id], |r| r.get(0))?
            .collect::<rusqlite::Result<Vec<i64>>>()?;
        Ok(ids.into_iter().map(DocumentId).collect())
    }

    pub fn get_document(&self, id: DocumentId) -> Result<Option<StoredDocument>> {
        events::get_document(&self.conn, id)
    }

    pub fn get_article(&self, id: DocumentId) -> Result<Option<Article>> {
        let json: Option<String> = self
            .conn
            .query_row(
                "SELECT article FROM articles WHERE document_id = ?1",
                [id.0],
                |r| r.get(0),
            )
            .optional()?;
        json.map(|j| {
            serde_json::from_str(&j).map_err(|source| StoreError::Corrupt {
                what: "article",
                id: id.0,
                source,
            })
        })
        .transpose()
    }

    pub fn get_event(&self, id: EventId) -> Result<Option<StoredEvent>> {
        events::get_event(&self.conn, id)
    }

    /// The events of one document, in their order.
    pub fn document_events(&self, id: DocumentId) -> Result<Vec<StoredEvent>> {
        events::document_events(&self.conn, id)
    }

    /// The events that pass `filter`, sorted and paged as it says.
    pub fn query_events(&self, filter: &EventFilter) -> Result<Vec<StoredEvent>> {
        events::query_events(&self.conn, filter)
    }

    /// One page of the events that pass `filter` (sorted and paged as it says), with
    /// their count, planned and budgeted for a server: see [`plan`]. A filter whose
    /// matches are too sparse to be found within the budget gives a partial page
    /// (`complete: false`) instead of a slow one.
    pub fn page_event_ids(&mut self, filter: &EventFilter) -> Result<EventPage> {
        self.page_event_ids_with(filter, plan::Caps::default())
    }

    /// [`Store::page_event_ids`] with other list caps: a small store then takes the
    /// plans a big one would (tests, tuning).
    pub fn page_event_ids_with(
        &mut self,
        filter: &EventFilter,
        caps: plan::Caps,
    ) -> Result<EventPage> {
        plan::with_budget(&mut self.conn, |conn, budget| {
            plan::page_ids(conn, filter, Some(budget), true, caps)
        })
    }

    /// How many events pass `filter` (its limit and offset are ignored).
    pub fn count_events(&self, filter: &EventFilter) -> Result<u64> {
        events::count_events(&self.conn, filter)
    }

    /// Documents whose article title or text contains every term of `text`
    /// (folded; terms of fewer than 3 characters are ignored), newest first.
    pub fn search_articles(&self, text: &str, limit: u32) -> Result<Vec<DocumentId>> {
        let Some(query) = filter::fts_query(text) else {
            return Ok(Vec::new());
        };
        let mut stmt = self.conn.prepare_cached(
            "SELECT rowid FROM articles_fts WHERE articles_fts MATCH ?1 ORDER BY rowid DESC LIMIT ?2",
        )?;
        let ids = stmt
            .query_map(params![query, limit], |r| r.get(0))?
            .collect::<rusqlite::Result<Vec<i64>>>()?;
        Ok(ids.into_iter().map(DocumentId).collect())
    }

    pub fn counts(&self) -> Result<Counts> {
        let count = |table: &str| -> Result<u64> {
            let n: i64 =
                self.conn
                    .query_row(&format!("SELECT count(*) FROM {table}"), [], |r| r.get(0))?;
            Ok(n as u64)
        };
        Ok(Counts {
            documents: count("documents")?,
            articles: count("articles")?,
            events: count("events")?,
            evidence: count("evidence")?,
        })
    }

    /// Integrity problems: SQLite's integrity check, foreign keys, articles and
    /// events whose document is missing, duplicated content hashes. Empty when sound.
    pub fn check(&self) -> Result<Vec<String>> {
        events::check(&self.conn)
    }
}

/// Writes grouped into one transaction (see [`Store::batch`]).
pub struct Batch<'s> {
    tx: rusqlite::Transaction<'s>,
}

impl Batch<'_> {
    pub fn put_document(&self, doc: &rasd_model::RawDocument) -> Result<PutDocument> {
        write::put_document(&self.tx, doc)
    }

    pub fn put_article(&self, id: DocumentId, article: &Article) -> Result<()> {
        write::put_article(&self.tx, id, article)
    }

    pub fn put_events(&self, id: DocumentId, events: &[Event]) -> Result<Vec<EventId>> {
        write::put_events(&self.tx, id, events)
    }

    pub fn has_document_hash(&self, hash: &str) -> Result<bool> {
        Ok(self
            .tx
            .query_row(
                "SELECT 1 FROM documents WHERE content_hash = ?1",
                [hash],
                |_| Ok(()),
            )
            .optional()?
            .is_some())
    }

    /// The connection of the transaction (for sibling modules' writes in the batch).
    pub fn connection(&self) -> &Connection {
        &self.tx
    }

    /// Makes every write of the batch durable at once.
    pub fn commit(self) -> Result<()> {
        Ok(self.tx.commit()?)
    }
}

/// Runs `f` in a savepoint so multi-statement writes are atomic even outside a batch.
fn in_tx<T>(conn: &Connection, f: impl FnOnce(&Connection) -> Result<T>) -> Result<T> {
    if !conn.is_autocommit() {
        return f(conn);
    }
    conn.execute_batch("BEGIN IMMEDIATE")?;
    match f(conn) {
        Ok(v) => {
            conn.execute_batch("COMMIT")?;
            Ok(v)
        }
        Err(e) => {
            let _ = conn.execute_batch("ROLLBACK");
            Err(e)
        }
    }
}
