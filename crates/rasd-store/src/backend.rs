//! [`Backend`]: everything the server, review, incidents and exports ask of a store,
//! as one interface that the embedded store ([`crate::Store`]) and the PostgreSQL
//! store (`rasd_store_pg::PgStore`) both implement. What the two share beyond the
//! trait is written once here: the columns a [`StoredEvent`] is read from and its
//! mapping ([`EventRowValues`]), the structured part of the filter as SQL
//! ([`crate::filter::SqlWhere`], numbered `?N` or `$N`), and the aggregates
//! ([`EventStats`]). What stays per backend is what the dialects force: free-text
//! search (FTS5 trigram tables / pg_trgm), the actor index, the change log's
//! triggers and how a page is planned.

use crate::changes::Change;
use crate::review::ReviewStore;
use crate::watch::WatchSource;
use crate::{
    DocumentId, EventFilter, EventId, EventPage, PutDocument, Result, StoreError, StoredEvent,
};
use rasd_model::{Article, Event, RawDocument};
use serde::Serialize;
use std::collections::HashMap;

/// One stored event that is not marked wrong, with its analyst incident group and the
/// incident the clustering pass linked it to: what incidents are built from.
pub type IncidentRow = (StoredEvent, Option<String>, Option<i64>);

/// Numbers that change whenever the incidents must be rebuilt: the newest event id,
/// the event count, the newest correction, the link count and the incident count.
pub type ChangeKey = [i64; 5];

/// Periods of [`Backend::event_stats`].
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Bucket {
    Day,
    /// Weeks starting on Monday.
    Week,
}

/// One group of [`EventStats`]: its key (a day, a type, a governorate; `None` for
/// events with none), how many events and their fatalities.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct StatGroup {
    pub key: Option<String>,
    pub events: i64,
    pub fatalities: i64,
}

/// Counts and fatalities of the filtered events per period (oldest first), per type
/// and per governorate (most events first).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct EventStats {
    pub by_period: Vec<StatGroup>,
    pub by_type: Vec<StatGroup>,
    pub by_admin1: Vec<StatGroup>,
}

/// The columns of a [`StoredEvent`] (`events e` left-joined with `articles a`), in
/// the order [`EventRowValues`] takes them; `coded_at` is the backend's expression for
/// the coding time as RFC 3339 text (SQLite stores text; PostgreSQL a timestamp).
pub fn event_columns(coded_at: &str) -> String {
    format!(
        "e.id, e.document_id, e.doc_id, e.ordinal, e.event, {coded_at}, \
         a.source, a.url, a.title, a.published"
    )
}

/// The FROM clause that goes with [`event_columns`].
pub const EVENT_FROM: &str = "FROM events e LEFT JOIN articles a ON a.document_id = e.document_id";

/// The values of one row of [`event_columns`], as each backend reads them from its
/// own row type; [`EventRowValues::finish`] makes the [`StoredEvent`].
pub struct EventRowValues {
    pub id: i64,
    pub document_id: i64,
    pub doc_id: String,
    pub ordinal: i64,
    pub event: String,
    pub coded_at: String,
    pub source: Option<String>,
    pub url: Option<String>,
    pub title: Option<String>,
    pub published: Option<String>,
}

impl EventRowValues {
    /// The event, its JSON parsed (an unreadable one is named by its id).
    pub fn finish(self) -> Result<StoredEvent> {
        let id = self.id;
        let event: Event =
            serde_json::from_str(&self.event).map_err(|source| StoreError::Corrupt {
                what: "event",
                id,
                source,
            })?;
        Ok(StoredEvent {
            id: EventId(id),
            document_id: DocumentId(self.document_id),
            doc_id: self.doc_id,
            ordinal: u32::try_from(self.ordinal).unwrap_or(u32::MAX),
            event,
            coded_at: self.coded_at,
            source: self.source,
            url: self.url,
            title: self.title,
            published: self.published,
        })
    }
}

/// A store the server and the commands can run on, whichever database holds it.
/// Every method has the same meaning on both backends; the suites in
/// `rasd-server/tests` run the same bodies on each.
pub trait Backend: ReviewStore<Error = StoreError> + Send {
    /// `sqlite` or `postgres`, for messages.
    fn kind(&self) -> &'static str;

    // Writes: each its own transaction (ingest batches go through the stores' own
    // batch types).
    fn put_document(&mut self, doc: &RawDocument) -> Result<PutDocument>;
    fn put_article(&mut self, id: DocumentId, article: &Article) -> Result<()>;
    /// Replaces the document's events; its review is applied in the same transaction.
    fn put_events(&mut self, id: DocumentId, events: &[Event]) -> Result<Vec<EventId>>;

    // Reads.
    fn get_event(&mut self, id: EventId) -> Result<Option<StoredEvent>>;
    /// The events of `ids` that exist, in the order of `ids` (a page of the list).
    /// SQLite reads them one by one from memory; a server backend reads them in one
    /// round trip.
    fn get_events(&mut self, ids: &[EventId]) -> Result<Vec<StoredEvent>> {
        let mut out = Vec::with_capacity(ids.len());
        for &id in ids {
            out.extend(self.get_event(id)?);
        }
        Ok(out)
    }
    fn document_events(&mut self, id: DocumentId) -> Result<Vec<StoredEvent>>;
    /// The documents stored under a `doc_id`, oldest first.
    fn documents_by_doc_id(&mut self, doc_id: &str) -> Result<Vec<DocumentId>>;
    fn get_article(&mut self, id: DocumentId) -> Result<Option<Article>>;
    /// Every event `filter` selects, sorted and paged as it says.
    fn query_events(&mut self, filter: &EventFilter) -> Result<Vec<StoredEvent>>;
    /// How many events `filter` selects (limit and offset ignored).
    fn count_events(&mut self, filter: &EventFilter) -> Result<u64>;
    /// One page of event ids with a count capped at [`crate::plan::COUNT_CAP`]: what
    /// the dashboard's list asks for, bounded in time on either backend.
    fn page_event_ids(&mut self, filter: &EventFilter) -> Result<EventPage>;
    /// (corrected, wrong) of each of `ids` that has a review row.
    fn review_flags(&mut self, ids: &[i64]) -> Result<HashMap<i64, (bool, bool)>>;
    fn event_stats(&mut self, filter: &EventFilter, bucket: Bucket) -> Result<EventStats>;

    // Incidents.
    /// Every event not marked wrong, oldest first, with its group and incident.
    fn incident_rows(&mut self) -> Result<Vec<IncidentRow>>;
    fn incident_change_key(&mut self) -> Result<ChangeKey>;

    // The change log and the watcher's state.
    /// The changes after `cursor`, oldest first, at most `limit`.
    fn changes_since(&mut self, cursor: i64, limit: u32) -> Result<Vec<Change>>;
    /// The newest change's `seq` (0 when none).
    fn last_change(&mut self) -> Result<i64>;
    /// The highest `seq` of a tombstone compaction removed: a cursor below it may
    /// have missed a deletion (the feed answers 410 Gone).
    fn changes_horizon(&mut self) -> Result<i64>;
    /// Removes the log's rows no follower needs ([`crate::changes::Retention`]).
    fn compact_changes(
        &mut self,
        retention: &crate::changes::Retention,
    ) -> Result<crate::changes::Compacted>;
    fn watch_sources(&mut self) -> Result<Vec<WatchSource>>;
}

/// The SQL of the three aggregates of [`Backend::event_stats`] over `events e` with
/// `clause` (a WHERE clause or nothing): (period key expression, clause) pairs share
/// one shape on both backends, only the week expression differs.
pub fn stats_sql(key: &str, clause: &str, order: &str) -> String {
    format!(
        "SELECT {key} AS k, count(*), coalesce(sum(e.fatalities), 0) FROM events e {clause} \
         GROUP BY k ORDER BY {order}"
    )
}

/// The aggregates in the order [`EventStats`] holds them: (key expression, ORDER BY).
pub fn stats_groups(period: &str) -> [(&str, &'static str); 3] {
    [
        (period, "k"),
        ("e.event_type", "2 DESC, k"),
        ("e.admin1", "2 DESC, k"),
    ]
}

mod sqlite {
    use super::*;
    use crate::Store;
    use rusqlite::params_from_iter;

    impl Backend for Store {
        fn kind(&self) -> &'static str {
            "sqlite"
        }
        fn put_document(&mut self, doc: &RawDocument) -> Result<PutDocument> {
            Store::put_document(self, doc)
        }
        fn put_article(&mut self, id: DocumentId, article: &Article) -> Result<()> {
            Store::put_article(self, id, article)
        }
        fn put_events(&mut self, id: DocumentId, events: &[Event]) -> Result<Vec<EventId>> {
            Store::put_events(self, id, events)
        }
        fn get_event(&mut self, id: EventId) -> Result<Option<StoredEvent>> {
            Store::get_event(self, id)
        }
        fn document_events(&mut self, id: DocumentId) -> Result<Vec<StoredEvent>> {
            Store::document_events(self, id)
        }
        fn documents_by_doc_id(&mut self, doc_id: &str) -> Result<Vec<DocumentId>> {
            Store::documents_by_doc_id(self, doc_id)
        }
        fn get_article(&mut self, id: DocumentId) -> Result<Option<Article>> {
            Store::get_article(self, id)
        }
        fn query_events(&mut self, filter: &EventFilter) -> Result<Vec<StoredEvent>> {
            Store::query_events(self, filter)
        }
        fn count_events(&mut self, filter: &EventFilter) -> Result<u64> {
            Store::count_events(self, filter)
        }
        fn page_event_ids(&mut self, filter: &EventFilter) -> Result<EventPage> {
            Store::page_event_ids(self, filter)
        }

        fn review_flags(&mut self, ids: &[i64]) -> Result<HashMap<i64, (bool, bool)>> {
            let mut out = HashMap::new();
            if ids.is_empty() {
                return Ok(out);
            }
            let marks = vec!["?"; ids.len()].join(",");
            let sql = format!(
                "SELECT event_id, corrected, wrong FROM review_applied WHERE event_id IN ({marks})"
            );
            let mut stmt = self.connection().prepare(&sql)?;
            let rows = stmt.query_map(params_from_iter(ids.iter()), |r| {
                Ok((
                    r.get::<_, i64>(0)?,
                    r.get::<_, bool>(1)?,
                    r.get::<_, bool>(2)?,
                ))
            })?;
            for row in rows {
                let (id, c, w) = row?;
                out.insert(id, (c, w));
            }
            Ok(out)
        }

        fn event_stats(&mut self, filter: &EventFilter, bucket: Bucket) -> Result<EventStats> {
            let (clause, params) = filter.where_clause();
            let period = match bucket {
                Bucket::Day => "e.date_start",
                // Monday of the event's first day's week.
                Bucket::Week => {
                    "date(e.date_start, '-' || ((CAST(strftime('%w', e.date_start) AS INTEGER) + 6) % 7) || ' days')"
                }
            };
            let conn = self.connection();
            let mut groups = Vec::with_capacity(3);
            for (key, order) in stats_groups(period) {
                let mut stmt = conn.prepare(&stats_sql(key, &clause, order))?;
                let rows = stmt
                    .query_map(params_from_iter(params.iter()), |r| {
                        Ok(StatGroup {
                            key: r.get(0)?,
                            events: r.get(1)?,
                            fatalities: r.get(2)?,
                        })
                    })?
                    .collect::<rusqlite::Result<Vec<_>>>()?;
                groups.push(rows);
            }
            let by_admin1 = groups.pop().unwrap_or_default();
            let by_type = groups.pop().unwrap_or_default();
            let by_period = groups.pop().unwrap_or_default();
            Ok(EventStats {
                by_period,
                by_type,
                by_admin1,
            })
        }

        fn incident_rows(&mut self) -> Result<Vec<IncidentRow>> {
            let sql = format!(
                "{}
                 LEFT JOIN review_applied ra ON ra.event_id = e.id
                 LEFT JOIN incident_events ie ON ie.event_id = e.id
                 WHERE coalesce(ra.wrong, 0) = 0
                 ORDER BY e.id",
                crate::events::select_events().replacen(
                    " FROM",
                    ", ra.incident_group, ie.incident_id FROM",
                    1
                )
            );
            let mut stmt = self.connection().prepare(&sql)?;
            let rows = stmt
                .query_map([], |r| {
                    Ok((
                        crate::events::stored_event(r)?,
                        r.get::<_, Option<String>>(10)?,
                        r.get::<_, Option<i64>>(11)?,
                    ))
                })?
                .collect::<rusqlite::Result<Vec<_>>>()?;
            rows.into_iter()
                .map(|(e, g, i)| Ok((e.finish()?, g, i)))
                .collect()
        }

        fn incident_change_key(&mut self) -> Result<ChangeKey> {
            Ok(self.connection().query_row(
                "SELECT (SELECT coalesce(max(id), 0) FROM events), (SELECT count(*) FROM events),
                        (SELECT coalesce(max(id), 0) FROM review_corrections),
                        (SELECT count(*) FROM incident_events), (SELECT count(*) FROM incidents)",
                [],
                |r| Ok([r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?, r.get(4)?]),
            )?)
        }

        fn changes_since(&mut self, cursor: i64, limit: u32) -> Result<Vec<Change>> {
            Store::changes_since(self, cursor, limit)
        }
        fn last_change(&mut self) -> Result<i64> {
            Store::last_change(self)
        }
        fn changes_horizon(&mut self) -> Result<i64> {
            Store::changes_horizon(self)
        }
        fn compact_changes(
            &mut self,
            retention: &crate::changes::Retention,
        ) -> Result<crate::changes::Compacted> {
            Store::compact_changes(self, retention)
        }
        fn watch_sources(&mut self) -> Result<Vec<WatchSource>> {
            Store::watch_sources(self)
        }
    }
}
