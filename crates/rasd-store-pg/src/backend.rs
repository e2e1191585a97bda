//! [`rasd_store::Backend`] on PostgreSQL: the interface the server, review, the
//! incident pass and the exports share with the embedded store. The row mapping, the
//! structured filter and the aggregates' shape come from `rasd_store::backend`; the
//! SQL here is only what PostgreSQL spells differently.

use crate::{EVENT_COLUMNS, PgStore, PgStoreError, Result, as_refs, stored_event, where_sql};
use rasd_model::{Article, Event, RawDocument};
use rasd_store::backend::{
    Backend, Bucket, ChangeKey, EventStats, IncidentRow, StatGroup, stats_groups, stats_sql,
};
use rasd_store::changes::Change;
use rasd_store::plan::COUNT_CAP;
use rasd_store::watch::WatchSource;
use rasd_store::{
    DocumentId, EventFilter, EventId, EventPage, PutDocument, Sort, StoreError, StoredEvent,
};
use std::collections::HashMap;

/// How long walking an order's index for a page of text or actor matches may take
/// before the matches are collected instead.
pub const WALK_BUDGET: std::time::Duration = std::time::Duration::from_millis(15);

/// How long a page's count may take before the total is given as a lower bound:
/// about what the embedded store's count budget of VM steps
/// (`rasd_store::plan::COUNT_BUDGET_STEPS`) buys, so that a broad filter, whose count
/// runs out of budget, costs no more here than there beyond its page.
pub const COUNT_BUDGET: std::time::Duration = std::time::Duration::from_millis(8);

impl From<PgStoreError> for StoreError {
    /// Review refusals and missing events keep their kind (the server answers 422 and
    /// 404 for them); the rest is a backend error with its message.
    fn from(e: PgStoreError) -> StoreError {
        match e {
            PgStoreError::Review(e) => e,
            PgStoreError::Corrupt { what, id, source } => StoreError::Corrupt { what, id, source },
            other => StoreError::Backend(Box::new(other)),
        }
    }
}

impl PgStore {
    /// One event with its article's metadata.
    pub fn get_event(&mut self, id: EventId) -> Result<Option<StoredEvent>> {
        let row = self.client.query_opt(
            &format!("SELECT {EVENT_COLUMNS} FROM events e LEFT JOIN articles a ON a.document_id = e.document_id WHERE e.id = $1"),
            &[&id.0],
        )?;
        row.as_ref().map(stored_event).transpose()
    }

    /// The events of `ids` that exist, in the order of `ids`, in one query.
    pub fn get_events(&mut self, ids: &[EventId]) -> Result<Vec<StoredEvent>> {
        let keys: Vec<i64> = ids.iter().map(|i| i.0).collect();
        let rows = self.client.query(
            &format!("SELECT {EVENT_COLUMNS} FROM events e LEFT JOIN articles a ON a.document_id = e.document_id WHERE e.id = ANY($1)"),
            &[&keys],
        )?;
        let mut by_id: HashMap<i64, StoredEvent> = HashMap::with_capacity(rows.len());
        for r in &rows {
            let e = stored_event(r)?;
            by_id.insert(e.id.0, e);
        }
        Ok(keys.iter().filter_map(|k| by_id.remove(k)).collect())
    }

    /// The events of one document, in their order.
    pub fn document_events(&mut self, id: DocumentId) -> Result<Vec<StoredEvent>> {
        let rows = self.client.query(
            &format!("SELECT {EVENT_COLUMNS} FROM events e LEFT JOIN articles a ON a.document_id = e.document_id WHERE e.document_id = $1 ORDER BY e.ordinal"),
            &[&id.0],
        )?;
        rows.iter().map(stored_event).collect()
    }

    /// The documents stored under `doc_id`, oldest first.
    pub fn documents_by_doc_id(&mut self, doc_id: &str) -> Result<Vec<DocumentId>> {
        Ok(self
            .client
            .query(
                "SELECT id FROM documents WHERE doc_id = $1 ORDER BY id",
                &[&doc_id],
            )?
            .iter()
            .map(|r| DocumentId(r.get(0)))
            .collect())
    }

    pub fn get_article(&mut self, id: DocumentId) -> Result<Option<Article>> {
        let row = self.client.query_opt(
            "SELECT article FROM articles WHERE document_id = $1",
            &[&id.0],
        )?;
        row.map(|r| {
            let json: String = r.get(0);
            serde_json::from_str(&json).map_err(|source| PgStoreError::Corrupt {
                what: "article",
                id: id.0,
                source,
            })
        })
        .transpose()
    }

    /// One page of the ids `filter` selects, with their count up to [`COUNT_CAP`]
    /// within [`COUNT_BUDGET`]. Date orders walk 0030's covering index (every filter
    /// column, the folded text and the actors in it: no event row is read until the
    /// page is known); the other orders have their indexes from 0017, and rare text
    /// the trigram index of 0005. The count stops at the cap, so a broad filter costs
    /// no more than a narrow one.
    pub fn page_event_ids(&mut self, filter: &EventFilter) -> Result<EventPage> {
        // Date orders (the dashboard's) read the page from 0030's covering index.
        let (sql, params) = match filter.sort {
            Sort::DateDesc | Sort::DateAsc => crate::page_sql(filter),
            Sort::FatalitiesDesc | Sort::StoredDesc => crate::select_sql_with(filter, "e.id"),
        };
        let refs = as_refs(&params);
        // Free text and actors are matched with LIKE, whose share of matches the
        // planner cannot estimate (it guesses a fraction of a percent for a word in
        // every twentieth event): it then collects every match to sort them, a
        // second or more when they are common. Walking the order's index and stopping
        // after a page is right for common matches and wrong for rare ones, so that
        // walk is tried first within a budget, and only a filter too rare to fill a
        // page in time has its matches collected (they are few, then).
        let mut walked = None;
        if filter.text.is_some() || filter.actor.is_some() {
            let mut tx = self.client.transaction()?;
            tx.batch_execute(&format!(
                "SET LOCAL enable_bitmapscan = off; SET LOCAL statement_timeout = {}",
                WALK_BUDGET.as_millis()
            ))?;
            match tx.query(&sql, &refs) {
                Ok(rows) => walked = Some(rows),
                Err(e) if e.code() == Some(&postgres::error::SqlState::QUERY_CANCELED) => {}
                Err(e) => return Err(e.into()),
            }
        }
        let rows = match walked {
            Some(rows) => rows,
            None => self.client.query(&sql, &refs)?,
        };
        let ids: Vec<EventId> = rows.iter().map(|r| EventId(r.get(0))).collect();
        // The count has a budget of time, as the embedded store's planner has one of
        // work: a filter matching a few percent of a million events would otherwise
        // cost more to count than to page. Out of budget, the total is what is known
        // to exist (a lower bound, `total_exact: false`).
        let known = u64::from(filter.offset) + ids.len() as u64;
        // A page that is not full holds the last match: nothing to count.
        let short = filter
            .limit
            .is_some_and(|l| (ids.len() as u64) < u64::from(l));
        if short && (!ids.is_empty() || filter.offset == 0) {
            return Ok(EventPage {
                ids,
                total: known.min(COUNT_CAP),
                total_exact: known <= COUNT_CAP,
                complete: true,
            });
        }
        let (sql, params) = crate::capped_count_sql(filter, COUNT_CAP);
        let mut tx = self.client.transaction()?;
        tx.batch_execute(&format!(
            "SET LOCAL statement_timeout = {}",
            COUNT_BUDGET.as_millis()
        ))?;
        let counted = tx.query_one(&sql, &as_refs(&params));
        let page = match counted {
            Ok(row) => {
                let n = row.get::<_, i64>(0) as u64;
                EventPage {
                    ids,
                    total: n.min(COUNT_CAP),
                    total_exact: n <= COUNT_CAP,
                    complete: true,
                }
            }
            Err(e) if e.code() == Some(&postgres::error::SqlState::QUERY_CANCELED) => EventPage {
                ids,
                total: known.min(COUNT_CAP),
                total_exact: false,
                complete: true,
            },
            Err(e) => return Err(e.into()),
        };
        drop(tx);
        Ok(page)
    }

    /// (corrected, wrong) of each of `ids` that has a review row.
    pub fn review_flags(&mut self, ids: &[i64]) -> Result<HashMap<i64, (bool, bool)>> {
        Ok(self
            .client
            .query(
                "SELECT event_id, corrected, wrong FROM review_applied WHERE event_id = ANY($1)",
                &[&ids],
            )?
            .iter()
            .map(|r| (r.get(0), (r.get(1), r.get(2))))
            .collect())
    }

    pub fn event_stats(&mut self, filter: &EventFilter, bucket: Bucket) -> Result<EventStats> {
        let (clause, params) = where_sql(filter);
        let period = match bucket {
            Bucket::Day => "e.date_start",
            // date_trunc's weeks start on Monday, as the embedded store's do.
            Bucket::Week => "to_char(date_trunc('week', e.date_start::date), 'YYYY-MM-DD')",
        };
        let refs = as_refs(&params);
        let mut groups = Vec::with_capacity(3);
        for (key, order) in stats_groups(period) {
            let rows = self.client.query(&stats_sql(key, &clause, order), &refs)?;
            groups.push(
                rows.iter()
                    .map(|r| StatGroup {
                        key: r.get(0),
                        events: r.get(1),
                        fatalities: r.get(2),
                    })
                    .collect::<Vec<_>>(),
            );
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

    pub fn incident_change_key(&mut self) -> Result<ChangeKey> {
        let r = self.client.query_one(
            "SELECT (SELECT coalesce(max(id), 0) FROM events), (SELECT count(*) FROM events),
                    (SELECT coalesce(max(id), 0) FROM review_corrections),
                    (SELECT count(*) FROM incident_events), (SELECT count(*) FROM incidents)",
            &[],
        )?;
        Ok([r.get(0), r.get(1), r.get(2), r.get(3), r.get(4)])
    }

    /// The changes after `cursor`, oldest first, at most `limit` (see migration 0015:
    /// numbers are given at commit, in commit order, so a cursor never skips one).
    pub fn changes_since(&mut self, cursor: i64, limit: u32) -> Result<Vec<Change>> {
        Ok(self
            .client
            .query(
                "SELECT seq, entity, key, op, at FROM changes WHERE seq > $1 ORDER BY seq LIMIT $2",
                &[&cursor, &i64::from(limit)],
            )?
            .iter()
            .map(|r| Change {
                seq: r.get(0),
                entity: r.get(1),
                key: r.get(2),
                op: r.get(3),
                at: r.get(4),
            })
            .collect())
    }

    pub fn last_change(&mut self) -> Result<i64> {
        Ok(self
            .client
            .query_one(
                "SELECT greatest(coalesce((SELECT max(seq) FROM changes), 0),
                                 (SELECT seq FROM changes_horizon WHERE id = 1))",
                &[],
            )?
            .get(0))
    }

    fn write<T>(&mut self, f: impl FnOnce(&mut crate::PgBatch<'_>) -> Result<T>) -> Result<T> {
        let mut batch = self.batch()?;
        let out = f(&mut batch)?;
        batch.commit()?;
        Ok(out)
    }
}

impl Backend for PgStore {
    fn kind(&self) -> &'static str {
        "postgres"
    }
    fn put_document(&mut self, doc: &RawDocument) -> rasd_store::Result<PutDocument> {
        Ok(self.write(|b| b.put_document(doc))?)
    }
    fn put_article(&mut self, id: DocumentId, article: &Article) -> rasd_store::Result<()> {
        Ok(self.write(|b| b.put_article(id, article))?)
    }
    fn put_events(&mut self, id: DocumentId, events: &[Event]) -> rasd_store::Result<Vec<EventId>> {
        Ok(self.write(|b| b.put_events(id, events))?)
    }
    fn get_event(&mut self, id: EventId) -> rasd_store::Result<Option<StoredEvent>> {
        Ok(PgStore::get_event(self, id)?)
    }
    fn get_events(&mut self, ids: &[EventId]) -> rasd_store::Result<Vec<StoredEvent>> {
        Ok(PgStore::get_events(self, ids)?)
    }
    fn document_events(&mut self, id: DocumentId) -> rasd_store::Result<Vec<StoredEvent>> {
        Ok(PgStore::document_events(self, id)?)
    }
    fn documents_by_doc_id(&mut self, doc_id: &str) -> rasd_store::Result<Vec<DocumentId>> {
        Ok(PgStore::documents_by_doc_id(self, doc_id)?)
    }
    fn get_article(&mut self, id: DocumentId) -> rasd_store::Result<Option<Article>> {
        Ok(PgStore::get_article(self, id)?)
    }
    fn query_events(&mut self, filter: &EventFilter) -> rasd_store::Result<Vec<StoredEvent>> {
        Ok(PgStore::query_events(self, filter)?)
    }
    fn count_events(&mut self, filter: &EventFilter) -> rasd_store::Result<u64> {
        Ok(PgStore::count_events(self, filter)?)
    }
    fn page_event_ids(&mut self, filter: &EventFilter) -> rasd_store::Result<EventPage> {
        Ok(PgStore::page_event_ids(self, filter)?)
    }
    fn review_flags(&mut self, ids: &[i64]) -> rasd_store::Result<HashMap<i64, (bool, bool)>> {
        Ok(PgStore::review_flags(self, ids)?)
    }
    fn event_stats(
        &mut self,
        filter: &EventFilter,
        bucket: Bucket,
    ) -> rasd_store::Result<EventStats> {
        Ok(PgStore::event_stats(self, filter, bucket)?)
    }
    fn incident_rows(&mut self) -> rasd_store::Result<Vec<IncidentRow>> {
        Ok(PgStore::incident_rows(self)?)
    }
    fn incident_change_key(&mut self) -> rasd_store::Result<ChangeKey> {
        Ok(PgStore::incident_change_key(self)?)
    }
    fn changes_since(&mut self, cursor: i64, limit: u32) -> rasd_store::Result<Vec<Change>> {
        Ok(PgStore::changes_since(self, cursor, limit)?)
    }
    fn last_change(&mut self) -> rasd_store::Result<i64> {
        Ok(PgStore::last_change(self)?)
    }
    /// The horizon of the compacted log (`changes.rs`, migration 0031).
    fn changes_horizon(&mut self) -> rasd_store::Result<i64> {
        Ok(PgStore::changes_horizon(self)?)
    }
    fn compact_changes(
        &mut self,
        retention: &rasd_store::changes::Retention,
    ) -> rasd_store::Result<rasd_store::changes::Compacted> {
        Ok(PgStore::compact_changes(self, retention)?)
    }
    /// What `rasd watch` keeps here (`watch.rs`, migration 0020).
    fn watch_sources(&mut self) -> rasd_store::Result<Vec<WatchSource>> {
        Ok(PgStore::watch_sources(self)?)
    }
}
