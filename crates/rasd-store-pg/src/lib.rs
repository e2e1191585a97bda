//! The PostgreSQL store of rasd, for when several workers share the load.
//!
//! The embedded SQLite store (`rasd-store`) is the default. When one machine is not
//! enough, several
//! `rasd ingest --db postgres://…` processes (on one machine or many, each with its
//! own `--shard K/N` of the input, or all on the same input) write into one
//! PostgreSQL database through this crate:
//!
//! - a document is stored once per content hash, whichever worker gets there first:
//!   `INSERT … ON CONFLICT (content_hash) DO NOTHING` makes the others see it as
//!   existing (they wait on the unique index until the first worker's batch commits,
//!   then skip it), so two workers never code the same bytes twice;
//! - each batch is one transaction, so a worker killed part-way loses nothing
//!   committed and leaves nothing half-written;
//! - the schema is created and upgraded under an advisory lock, so workers that start
//!   together do not race to create tables.
//!
//! Reading: [`PgStore`] implements [`rasd_store::Backend`], the interface the
//! server, the exports and the commands take, so everything that works on the
//! embedded store works here (the dashboard included). The review workflow (users, corrections, wrong marks, incident
//! groups, orphans) has the embedded store's semantics ([`review`]): a document's
//! review is applied to its events in the transaction that writes them.

pub mod alerts;
mod backend;
mod bulk;
pub mod changes;
pub mod incidents;
pub mod review;
pub mod scratch;
pub mod watch;

use postgres::{Client, NoTls, Transaction};
use rasd_model::{Article, Event, Origin, RawDocument};
use rasd_store::backend::EventRowValues;
use rasd_store::{
    Counts, DocumentId, EventFilter, EventId, Placeholders, PutDocument, Sort, SqlValue, SqlWhere,
    StoredEvent, actor_norm, content_hash, fold_for_index,
};

/// The schema, in order: (version, SQL). Never edit a released one; add the next.
/// Numbers may have gaps (other branches own other numbers); each runs once.
const MIGRATIONS: &[(u32, &str)] = &[
    (1, include_str!("../migrations/0001_core.sql")),
    (4, include_str!("../migrations/0004_review.sql")),
    (5, include_str!("../migrations/0005_search_trgm.sql")),
    (6, include_str!("../migrations/0006_incidents.sql")),
    (15, include_str!("../migrations/0015_changes.sql")),
    (16, include_str!("../migrations/0016_changes_numbering.sql")),
    (17, include_str!("../migrations/0017_page_indexes.sql")),
    (20, include_str!("../migrations/0020_watch.sql")),
    (30, include_str!("../migrations/0030_page_covering.sql")),
    (31, include_str!("../migrations/0031_changes_retention.sql")),
    (32, include_str!("../migrations/0032_alerts.sql")),
    (40, include_str!("../migrations/0040_cluster_keys.sql")),
];

/// The schema version of a database this rasd has fully migrated.
pub const LATEST_VERSION: u32 = latest();

const fn latest() -> u32 {
    let (mut v, mut i) = (0, 0);
    while i < MIGRATIONS.len() {
        if MIGRATIONS[i].0 > v {
            v = MIGRATIONS[i].0;
        }
        i += 1;
    }
    v
}

/// The advisory lock a clustering pass holds exclusively and every write batch holds
/// shared ("rinc"; see [`incidents`]).
pub(crate) const CLUSTER_LOCK: i64 = 0x7269_6e63;

/// The advisory-lock key that serialises schema changes between workers ("rasd").
const MIGRATION_LOCK: i64 = 0x7261_7364;

/// Shortest free-text term that is searched for (as in the embedded store): shorter
/// ones match nearly everything.
const MIN_TERM_CHARS: usize = 3;

#[derive(Debug, thiserror::Error)]
pub enum PgStoreError {
    #[error("cannot connect to {url}: {source}")]
    Connect {
        url: String,
        source: postgres::Error,
    },
    #[error(
        "the database's schema is version {found}, newer than this rasd knows ({known}): upgrade rasd"
    )]
    TooNew { found: u32, known: u32 },
    #[error("stored {what} #{id} is not valid JSON: {source}")]
    Corrupt {
        what: &'static str,
        id: i64,
        source: serde_json::Error,
    },
    #[error("cannot serialise {what}: {source}")]
    Serialise {
        what: &'static str,
        source: serde_json::Error,
    },
    #[error("postgres: {0}")]
    Postgres(#[from] postgres::Error),
    /// A review change the store refuses (with the reason), or a missing event.
    #[error("{0}")]
    Review(#[from] rasd_store::StoreError),
}

pub type Result<T, E = PgStoreError> = std::result::Result<T, E>;

/// True when `db` names a PostgreSQL database rather than a SQLite file.
pub fn is_postgres_url(db: &str) -> bool {
    db.starts_with("postgres://") || db.starts_with("postgresql://")
}

/// `url` with any password replaced, for messages and logs.
pub fn redact(url: &str) -> String {
    let Some((scheme, rest)) = url.split_once("://") else {
        return url.to_string();
    };
    let (auth, host) = match rest.rsplit_once('@') {
        Some((auth, host)) => (auth, host),
        None => return url.to_string(),
    };
    match auth.split_once(':') {
        Some((user, _)) => format!("{scheme}://{user}:***@{host}"),
        None => url.to_string(),
    }
}

fn json<T: serde::Serialize + ?Sized>(what: &'static str, v: &T) -> Result<String> {
    serde_json::to_string(v).map_err(|source| PgStoreError::Serialise { what, source })
}

/// The `actors` (every actor normalised as the actor filter compares,
/// [`rasd_store::actor_norm`], one per line) and `search_text` (folded
/// evidence, place and actors) columns of an event.
fn derived_columns(e: &Event) -> (String, String) {
    let loc = &e.location;
    let actors: Vec<&str> = std::iter::once(e.actor1.as_str())
        .chain(e.actor2.as_deref())
        .chain(e.assoc_actor1.iter().map(String::as_str))
        .chain(e.assoc_actor2.iter().map(String::as_str))
        .collect();
    let mut search: Vec<&str> = e.evidence.iter().map(String::as_str).collect();
    search.push(&loc.name);
    search.extend(loc.admin1.as_deref());
    search.extend(loc.admin2.as_deref());
    search.extend(actors.iter().copied());
    let norms: Vec<String> = actors.iter().map(|a| actor_norm(a)).collect();
    (norms.join("\n"), fold_for_index(&search.join("\n")))
}

/// A connection to the shared store.
pub struct PgStore {
    client: Client,
    worker: String,
}

impl PgStore {
    /// Connects to `url` (`postgres://user:password@host/db`) and brings the schema
    /// up to date.
    pub fn connect(url: &str) -> Result<PgStore> {
        let client = Client::connect(url, NoTls).map_err(|source| PgStoreError::Connect {
            url: redact(url),
            source,
        })?;
        let host = std::env::var("HOSTNAME").unwrap_or_else(|_| "localhost".into());
        let mut store = PgStore {
            client,
            worker: format!("{host}:{}", std::process::id()),
        };
        store.migrate()?;
        // rasd's queries are short and many (a page, a document's events): compiling
        // them (JIT) or starting parallel workers costs more than it saves, and on a
        // small machine the workers only compete with the other connections.
        store
            .client
            .batch_execute("SET jit = off; SET max_parallel_workers_per_gather = 0")?;
        Ok(store)
    }

    fn migrate(&mut self) -> Result<()> {
        let mut tx = self.client.transaction()?;
        tx.execute("SELECT pg_advisory_xact_lock($1)", &[&MIGRATION_LOCK])?;
        tx.batch_execute(
            "CREATE TABLE IF NOT EXISTS rasd_schema (
                 version    INTEGER PRIMARY KEY,
                 applied_at TIMESTAMPTZ NOT NULL DEFAULT now())",
        )?;
        let applied: Vec<u32> = tx
            .query("SELECT version FROM rasd_schema", &[])?
            .iter()
            .map(|r| r.get::<_, i32>(0) as u32)
            .collect();
        let known = MIGRATIONS.iter().map(|m| m.0).max().unwrap_or(0);
        if let Some(&found) = applied
            .iter()
            .filter(|v| !MIGRATIONS.iter().any(|m| m.0 == **v))
            .max()
        {
            return Err(PgStoreError::TooNew { found, known });
        }
        // A migration numbered below one applied already (merged later) still runs.
        for (version, sql) in MIGRATIONS.iter().filter(|m| !applied.contains(&m.0)) {
            tx.batch_execute(sql)?;
            tx.execute(
                "INSERT INTO rasd_schema (version) VALUES ($1)",
                &[&(*version as i32)],
            )?;
            tracing::info!(version, "postgres schema upgraded");
        }
        tx.commit()?;
        Ok(())
    }

    /// The schema version the database is at.
    pub fn schema_version(&mut self) -> Result<u32> {
        let v: i32 = self
            .client
            .query_one("SELECT coalesce(max(version), 0) FROM rasd_schema", &[])?
            .get(0);
        Ok(v as u32)
    }

    /// Starts a batch: everything written through it is committed together.
    /// (The batch first takes the clustering lock in shared mode: batches never wait
    /// for each other on it, only for a clustering pass.)
    pub fn batch(&mut self) -> Result<PgBatch<'_>> {
        let mut tx = self.client.transaction()?;
        tx.execute("SELECT pg_advisory_xact_lock_shared($1)", &[&CLUSTER_LOCK])?;
        Ok(PgBatch {
            tx,
            worker: &self.worker,
        })
    }

    /// Row counts of the main tables.
    pub fn counts(&mut self) -> Result<Counts> {
        let row = self.client.query_one(
            "SELECT (SELECT count(*) FROM documents), (SELECT count(*) FROM articles),
                    (SELECT count(*) FROM events), (SELECT count(*) FROM evidence)",
            &[],
        )?;
        let n = |i: usize| row.get::<_, i64>(i) as u64;
        Ok(Counts {
            documents: n(0),
            articles: n(1),
            events: n(2),
            evidence: n(3),
        })
    }

    /// How many events `filter` selects, ignoring its limit and offset.
    pub fn count_events(&mut self, filter: &EventFilter) -> Result<u64> {
        let (clause, params) = where_sql(filter);
        let refs = as_refs(&params);
        let n: i64 = self
            .client
            .query_one(&format!("SELECT count(*) FROM events e{clause}"), &refs)?
            .get(0);
        Ok(n as u64)
    }

    /// The events `filter` selects, in its order, with their articles' metadata
    /// (corrections applied; events marked wrong only with `include_wrong`).
    pub fn query_events(&mut self, filter: &EventFilter) -> Result<Vec<StoredEvent>> {
        let (sql, params) = select_sql(filter);
        let refs = as_refs(&params);
        let rows = self.client.query(&sql, &refs)?;
        rows.iter().map(stored_event).collect()
    }
}

/// The columns of a [`StoredEvent`] (events `e` joined with articles `a`), in the
/// order [`stored_event`] reads them: the shared list
/// ([`rasd_store::backend::event_columns`]) with the coding time written as SQLite
/// writes it.
pub(crate) const EVENT_COLUMNS: EventColumns = EventColumns;

pub(crate) struct EventColumns;

impl std::fmt::Display for EventColumns {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        static COLUMNS: std::sync::LazyLock<String> = std::sync::LazyLock::new(|| {
            rasd_store::backend::event_columns(
                "to_char(e.coded_at AT TIME ZONE 'UTC', 'YYYY-MM-DD\"T\"HH24:MI:SS\"Z\"')",
            )
        });
        f.write_str(&COLUMNS)
    }
}

/// One row of [`EVENT_COLUMNS`] (the mapping itself is shared with the embedded store).
pub(crate) fn stored_event(r: &postgres::Row) -> Result<StoredEvent> {
    Ok(EventRowValues {
        id: r.try_get(0)?,
        document_id: r.try_get(1)?,
        doc_id: r.try_get(2)?,
        ordinal: i64::from(r.try_get::<_, i32>(3)?),
        event: r.try_get(4)?,
        coded_at: r.try_get(5)?,
        source: r.try_get(6)?,
        url: r.try_get(7)?,
        title: r.try_get(8)?,
        published: r.try_get(9)?,
    }
    .finish()?)
}

pub(crate) type Param = Box<dyn postgres::types::ToSql + Sync>;

/// The parameters as the postgres client takes them.
pub(crate) fn as_refs(params: &[Param]) -> Vec<&(dyn postgres::types::ToSql + Sync)> {
    params.iter().map(|p| p.as_ref() as _).collect()
}

/// `%`, `_` and `\` taken literally in a LIKE pattern.
fn like_literal(s: &str) -> String {
    let mut out = String::with_capacity(s.len() + 2);
    for c in s.chars() {
        if matches!(c, '%' | '_' | '\\') {
            out.push('\\');
        }
        out.push(c);
    }
    out
}

/// The WHERE clause for `f` (empty when `f` selects everything) and its parameters:
/// the structured conditions as the embedded store writes them
/// ([`EventFilter::push_structured`]), then what the dialect forces — the actor
/// and free-text conditions over the derived columns, and the wrong mark. Every
/// value is a bound parameter.
pub(crate) fn where_sql(f: &EventFilter) -> (String, Vec<Param>) {
    let mut w = SqlWhere::new(Placeholders::Postgres);
    f.push_structured(&mut w);
    // `+e.col` is SQLite's way of keeping an index out of a plan; PostgreSQL reads it
    // as an expression and loses the column's statistics, which it needs to choose
    // between walking an order's index and collecting the matches.
    for c in &mut w.clauses {
        *c = c.replace("+e.", "e.");
    }
    let actor = f.actor.as_deref().map(str::trim).filter(|a| !a.is_empty());
    if let Some(a) = actor.map(actor_norm) {
        // As `rasd_store::actor_matches`: the name, or a prefix of it or of one of its
        // words (`actors` holds one normalised name per line); a value with no letter
        // or digit names no actor.
        if a.is_empty() {
            w.push("FALSE", vec![]);
        }
        let name = SqlValue::Text(format!("%\n{}%", like_literal(&a)));
        let word = SqlValue::Text(format!("% {}%", like_literal(&a)));
        w.push(
            "((E'\\n' || e.actors) LIKE ? OR (E'\\n' || e.actors) LIKE ?)",
            vec![name, word],
        );
    }
    if let Some(text) = f.text.as_deref() {
        let folded = fold_for_index(text);
        let terms: Vec<&str> = folded
            .split(|c: char| c.is_whitespace() || (c.is_ascii_punctuation() && c != '-'))
            .filter(|t| t.chars().count() >= MIN_TERM_CHARS)
            .collect();
        if terms.is_empty() {
            w.push("FALSE", vec![]);
        }
        for t in terms {
            w.push(
                "e.search_text LIKE ?",
                vec![SqlValue::Text(format!("%{}%", like_literal(t)))],
            );
        }
    }
    if !f.include_wrong {
        w.push(
            "NOT EXISTS (SELECT 1 FROM review_applied ra WHERE ra.event_id = e.id AND ra.wrong)",
            vec![],
        );
    }
    let clause = match w.sql() {
        s if s.is_empty() => s,
        s => format!(" {s}"),
    };
    (clause, w.params.into_iter().map(param).collect())
}

/// A shared parameter as the postgres client takes it (the placeholders are typed to
/// match: text, bigint, float8).
pub(crate) fn param(v: SqlValue) -> Param {
    match v {
        SqlValue::Text(s) => Box::new(s),
        SqlValue::Integer(i) => Box::new(i),
        SqlValue::Real(f) => Box::new(f),
    }
}

/// Whether an event is in migration 0030's covering index `events_page`, spelled as
/// its predicate is (so the planner can prove a query's rows are all in it).
const PAGE_INDEXED: &str = "octet_length(e.actors) + octet_length(e.search_text) <= 2000";
/// The events 0030 leaves out of `events_page` (they have `events_page_long`).
const PAGE_LONG: &str = "octet_length(e.actors) + octet_length(e.search_text) > 2000";

/// `clause` (as [`where_sql`] writes it) narrowed to one side of 0030's split.
fn with_part(clause: &str, part: &str) -> String {
    if clause.is_empty() {
        format!(" WHERE {part}")
    } else {
        format!("{clause} AND {part}")
    }
}

/// The ids of the page `f` asks for, when its order is by date: the events of the
/// covering index (an index-only walk in page order) merged with the few it leaves
/// out, each side limited to the rows the page can need. Both sides share the
/// filter's parameters.
pub(crate) fn page_sql(f: &EventFilter) -> (String, Vec<Param>) {
    let (clause, mut params) = where_sql(f);
    let order = match f.sort {
        Sort::DateAsc => "date_start ASC, id ASC",
        _ => "date_start DESC, id DESC",
    };
    let mut inner_limit = String::new();
    let mut outer = String::new();
    if let Some(limit) = f.limit {
        params.push(Box::new(i64::from(limit) + i64::from(f.offset)));
        inner_limit = format!(" LIMIT ${}", params.len());
        params.push(Box::new(i64::from(limit)));
        outer = format!(" LIMIT ${}", params.len());
    }
    if f.offset > 0 {
        params.push(Box::new(i64::from(f.offset)));
        outer.push_str(&format!(" OFFSET ${}", params.len()));
    }
    let side = |part: &str| {
        format!(
            "(SELECT e.id, e.date_start FROM events e{} ORDER BY e.{}{inner_limit})",
            with_part(&clause, part),
            order.replace(", id", ", e.id")
        )
    };
    (
        format!(
            "SELECT id FROM ({} UNION ALL {}) page ORDER BY {order}{outer}",
            side(PAGE_INDEXED),
            side(PAGE_LONG)
        ),
        params,
    )
}

/// The count of `f`'s events up to `cap + 1`, as one statement over both sides of
/// 0030's split (each side can be counted from its own index).
pub(crate) fn capped_count_sql(f: &EventFilter, cap: u64) -> (String, Vec<Param>) {
    let (clause, params) = where_sql(f);
    let side = |part: &str| {
        format!(
            "(SELECT count(*) FROM (SELECT 1 FROM events e{} LIMIT {}) t)",
            with_part(&clause, part),
            cap + 1
        )
    };
    (
        format!("SELECT {} + {}", side(PAGE_INDEXED), side(PAGE_LONG)),
        params,
    )
}

/// The SELECT for `f` and its parameters.
fn select_sql(f: &EventFilter) -> (String, Vec<Param>) {
    select_sql_with(f, &EVENT_COLUMNS.to_string())
}

/// The SELECT of `columns` for `f`, sorted and paged as it says, and its parameters.
pub(crate) fn select_sql_with(f: &EventFilter, columns: &str) -> (String, Vec<Param>) {
    let (clause, mut params) = where_sql(f);
    let bind = |params: &mut Vec<Param>, p: Param| -> String {
        params.push(p);
        format!("${}", params.len())
    };
    let order = match f.sort {
        Sort::DateDesc => "e.date_start DESC, e.id DESC",
        Sort::DateAsc => "e.date_start ASC, e.id ASC",
        Sort::FatalitiesDesc => "e.fatalities DESC NULLS LAST, e.id DESC",
        Sort::StoredDesc => "e.id DESC",
    };
    let mut sql = format!(
        "SELECT {columns} FROM events e LEFT JOIN articles a ON a.document_id = e.document_id"
    );
    sql.push_str(&clause);
    sql.push_str(" ORDER BY ");
    sql.push_str(order);
    if let Some(limit) = f.limit {
        let p = bind(&mut params, Box::new(i64::from(limit)));
        sql.push_str(&format!(" LIMIT {p}"));
    }
    if f.offset > 0 {
        let p = bind(&mut params, Box::new(i64::from(f.offset)));
        sql.push_str(&format!(" OFFSET {p}"));
    }
    (sql, params)
}

/// Writes of one transaction. Dropped without [`PgBatch::commit`], nothing is kept.
pub struct PgBatch<'a> {
    tx: Transaction<'a>,
    worker: &'a str,
}

impl PgBatch<'_> {
    /// Stores `doc` unless the same bytes are already stored (by any worker).
    pub fn put_document(&mut self, doc: &RawDocument) -> Result<PutDocument> {
        let hash = content_hash(&doc.bytes);
        let (origin_kind, origin) = match &doc.origin {
            Origin::File { path } => ("file", Some(path.as_str())),
            Origin::Url { url } => ("url", Some(url.as_str())),
            Origin::Inline => ("inline", None),
        };
        let kind = json("document kind", &doc.kind)?;
        let kind = kind.trim_matches('"');
        let inserted = self.tx.query_opt(
            "INSERT INTO documents (doc_id, content_hash, origin_kind, origin, kind, meta, bytes, size, worker)
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)
             ON CONFLICT (content_hash) DO NOTHING
             RETURNING id",
            &[
                &doc.doc_id,
                &hash,
                &origin_kind,
                &origin,
                &kind,
                &json("document meta", &doc.meta)?,
                &doc.bytes,
                &(doc.bytes.len() as i64),
                &self.worker,
            ],
        )?;
        if let Some(row) = inserted {
            return Ok(PutDocument::Inserted(DocumentId(row.get(0))));
        }
        let row = self
            .tx
            .query_one("SELECT id FROM documents WHERE content_hash = $1", &[&hash])?;
        Ok(PutDocument::Existing(DocumentId(row.get(0))))
    }

    /// [`PgBatch::put_document`] for a whole batch, in the order of `docs`.
    ///
    /// The rows are inserted in content-hash order: a worker waiting for another's
    /// uncommitted copy of a document then only ever holds documents that sort before
    /// it, so workers given the same documents in different orders cannot deadlock.
    pub fn put_documents(&mut self, docs: &[&RawDocument]) -> Result<Vec<PutDocument>> {
        let mut order: Vec<(String, usize)> = docs
            .iter()
            .enumerate()
            .map(|(i, d)| (content_hash(&d.bytes), i))
            .collect();
        order.sort();
        let mut out = vec![None; docs.len()];
        for (_, i) in order {
            out[i] = Some(self.put_document(docs[i])?);
        }
        let out: Vec<PutDocument> = out.into_iter().flatten().collect();
        // Lock every document of the batch now, in id order: re-coding (`--recode`)
        // and analyst review lock a document before writing its events, and workers
        // taking their locks in one order never deadlock, whatever their input order.
        let mut ids: Vec<i64> = out.iter().map(|p| p.id().0).collect();
        ids.sort_unstable();
        ids.dedup();
        self.tx.query(
            "SELECT id FROM documents WHERE id = ANY($1) ORDER BY id FOR UPDATE",
            &[&ids],
        )?;
        Ok(out)
    }

    /// Stores (or replaces) the article of document `id`.
    pub fn put_article(&mut self, id: DocumentId, article: &Article) -> Result<()> {
        self.tx.execute(
            "INSERT INTO articles (document_id, doc_id, url, source, title, published, published_day,
                                   dateline, text, article)
             SELECT $1, doc_id, $2, $3, $4, $5, $6, $7, $8, $9 FROM documents WHERE id = $1
             ON CONFLICT (document_id) DO UPDATE SET
                 url = excluded.url, source = excluded.source, title = excluded.title,
                 published = excluded.published, published_day = excluded.published_day,
                 dateline = excluded.dateline, text = excluded.text, article = excluded.article,
                 extracted_at = now()",
            &[
                &id.0,
                &article.url,
                &article.source,
                &article.title,
                &article.published.map(|p| p.to_string()),
                &article.published.map(|p| p.date.to_string()),
                &article.dateline,
                &article.text,
                &json("article", article)?,
            ],
        )?;
        Ok(())
    }

    /// Replaces the events of document `id` with `events` (in order).
    /// The document's review is applied to the new events before the batch commits.
    pub fn put_events(&mut self, id: DocumentId, events: &[Event]) -> Result<Vec<EventId>> {
        review::lock_document(&mut self.tx, id.0)?;
        self.tx
            .execute("DELETE FROM events WHERE document_id = $1", &[&id.0])?;
        let insert = self.tx.prepare(
            "INSERT INTO events (document_id, doc_id, ordinal, event_type, sub_event_type,
                 date_start, date_end, location_name, location_key, admin1, admin1_key, admin2,
                 admin2_key, country, lat, lon, actor1, actors, fatalities, search_text, event)
             SELECT $1, doc_id, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16,
                    $17, $18, $19, $20
             FROM documents WHERE id = $1
             RETURNING id",
        )?;
        let evidence = self.tx.prepare(
            "INSERT INTO evidence (event_id, ordinal, text, char_start, char_end)
             VALUES ($1, $2, $3, $4, $5)",
        )?;
        let mut ids = Vec::with_capacity(events.len());
        for (ordinal, e) in events.iter().enumerate() {
            let loc = &e.location;
            let (actors, search) = derived_columns(e);
            let row = self.tx.query_one(
                &insert,
                &[
                    &id.0,
                    &(ordinal as i32),
                    &e.event_type.as_str(),
                    &e.sub_event_type.as_str(),
                    &e.date_start.to_string(),
                    &e.date_end.to_string(),
                    &loc.name,
                    &fold_for_index(&loc.name),
                    &loc.admin1,
                    &loc.admin1.as_deref().map(fold_for_index),
                    &loc.admin2,
                    &loc.admin2.as_deref().map(fold_for_index),
                    &loc.country,
                    &loc.lat,
                    &loc.lon,
                    &e.actor1,
                    &actors,
                    &e.fatalities.map(|f| i32::try_from(f).unwrap_or(i32::MAX)),
                    &search,
                    &json("event", e)?,
                ],
            )?;
            let event_id: i64 = row.get(0);
            for (k, (text, span)) in e.evidence_with_spans().enumerate() {
                let start = span.map(|s| i32::try_from(s.start).unwrap_or(i32::MAX));
                let end = span.map(|s| i32::try_from(s.end).unwrap_or(i32::MAX));
                self.tx
                    .execute(&evidence, &[&event_id, &(k as i32), &text, &start, &end])?;
            }
            ids.push(EventId(event_id));
        }
        review::reconcile_document(&mut self.tx, id.0)?;
        Ok(ids)
    }

    /// Makes every write of the batch visible to the other workers at once.
    pub fn commit(self) -> Result<()> {
        self.tx.commit()?;
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn urls_are_told_apart_and_passwords_hidden() {
        assert!(is_postgres_url("postgres://u@h/db"));
        assert!(is_postgres_url("postgresql://u@h/db"));
        assert!(!is_postgres_url("rasd.db"));
        assert!(!is_postgres_url("./postgres.db"));
        assert_eq!(
            redact("postgres://rasd:secret@db.example:5432/rasd"),
            "postgres://rasd:***@db.example:5432/rasd"
        );
        assert_eq!(redact("postgres://rasd@h/db"), "postgres://rasd@h/db");
    }

    #[test]
    fn like_patterns_take_wildcards_literally() {
        assert_eq!(like_literal("50%_a\\b"), "50\\%\\_a\\\\b");
    }

    #[test]
    fn every_filter_value_is_a_parameter() {
        let f = EventFilter {
            actor: Some("x'; DROP TABLE events; --".into()),
            text: Some("قصف مدفعي".into()),
            admin1: Some("درعا".into()),
            min_fatalities: Some(2),
            limit: Some(10),
            ..Default::default()
        };
        let (sql, params) = select_sql(&f);
        assert!(!sql.contains("DROP"), "{sql}");
        assert!(!sql.contains("درعا"), "{sql}");
        // The actor is matched as a name and as a word in one (two values).
        assert_eq!(params.len(), 7, "{sql}");
        assert!(sql.contains("LIMIT $7"));
        // A text with no term long enough matches nothing rather than everything.
        let (sql, _) = select_sql(&EventFilter {
            text: Some("في".into()),
            ..Default::default()
        });
        assert!(sql.contains("FALSE"));
    }
}
