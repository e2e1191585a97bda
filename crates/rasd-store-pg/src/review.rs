//! The review workflow on PostgreSQL (migration 0004, the embedded store's tables):
//! the operations themselves are `rasd_store::review::ops`, written once for both
//! stores; this module only runs them here ([`PgReview`]: the shared SQL with typed
//! `$N` placeholders, a document's lock, the events row's PostgreSQL columns) and
//! gives each its transaction.
//!
//! Writers that touch one document's events (a worker re-coding it, an analyst
//! correcting one of them) first lock the document's row (`SELECT … FOR UPDATE`), so
//! they take turns per document and never see each other's half-written state.

use crate::{PgStore, PgStoreError, Result, json};
use postgres::GenericClient;
use postgres::types::{ToSql, Type};
use rasd_model::Event;
use rasd_store::Placeholders;
use rasd_store::review::ops::{self, ReviewDb};
use rasd_store::review::{AuditEntry, EventReview, Orphan, ReviewStore, User};
use rasd_store::sql::{Cell, Row, Sql, Val, numbered};
use rasd_store::{EventId, StoreError, fold_for_index};
use serde_json::Value;

/// Takes the document's row lock: writers of one document's events and review take
/// turns.
pub(crate) fn lock_document(c: &mut impl GenericClient, document_id: i64) -> Result<()> {
    c.query_opt(
        "SELECT 1 FROM documents WHERE id = $1 FOR UPDATE",
        &[&document_id],
    )?;
    Ok(())
}

/// A PostgreSQL connection or transaction running the shared review operations.
pub(crate) struct PgReview<'a, C: GenericClient>(pub(crate) &'a mut C);

fn pg_error(e: postgres::Error) -> StoreError {
    StoreError::from(PgStoreError::from(e))
}

fn bind(params: &[Val]) -> Vec<Box<dyn ToSql + Sync>> {
    params
        .iter()
        .map(|v| -> Box<dyn ToSql + Sync> {
            match v {
                Val::Int(i) => Box::new(*i),
                Val::Text(t) => Box::new(t.clone()),
                Val::Bool(b) => Box::new(*b),
            }
        })
        .collect()
}

/// A row as the shared code reads it, by each column's type.
fn row(r: &postgres::Row) -> Result<Row, StoreError> {
    let mut cells = Vec::with_capacity(r.len());
    for (i, col) in r.columns().iter().enumerate() {
        let t = col.type_();
        let cell = if *t == Type::INT8 {
            r.try_get::<_, Option<i64>>(i).map(|v| v.map(Cell::Int))
        } else if *t == Type::INT4 {
            r.try_get::<_, Option<i32>>(i)
                .map(|v| v.map(|v| Cell::Int(i64::from(v))))
        } else if *t == Type::INT2 {
            r.try_get::<_, Option<i16>>(i)
                .map(|v| v.map(|v| Cell::Int(i64::from(v))))
        } else if *t == Type::BOOL {
            r.try_get::<_, Option<bool>>(i).map(|v| v.map(Cell::Bool))
        } else if *t == Type::FLOAT8 {
            r.try_get::<_, Option<f64>>(i).map(|v| v.map(Cell::Real))
        } else {
            r.try_get::<_, Option<String>>(i).map(|v| v.map(Cell::Text))
        }
        .map_err(pg_error)?;
        cells.push(cell.unwrap_or(Cell::Null));
    }
    Ok(Row(cells))
}

impl<C: GenericClient> Sql for PgReview<'_, C> {
    fn execute(&mut self, sql: &str, params: &[Val]) -> Result<u64, StoreError> {
        let values = bind(params);
        let refs: Vec<&(dyn ToSql + Sync)> = values.iter().map(|v| v.as_ref() as _).collect();
        self.0
            .execute(&numbered(sql, Placeholders::Postgres, params), &refs)
            .map_err(pg_error)
    }

    fn query(&mut self, sql: &str, params: &[Val]) -> Result<Vec<Row>, StoreError> {
        let values = bind(params);
        let refs: Vec<&(dyn ToSql + Sync)> = values.iter().map(|v| v.as_ref() as _).collect();
        self.0
            .query(&numbered(sql, Placeholders::Postgres, params), &refs)
            .map_err(pg_error)?
            .iter()
            .map(row)
            .collect()
    }
}

impl<C: GenericClient> ReviewDb for PgReview<'_, C> {
    fn lock_document(&mut self, document_id: i64) -> Result<(), StoreError> {
        Ok(lock_document(self.0, document_id)?)
    }

    /// Every filtered column, the derived `actors` and `search_text`, and the JSON.
    fn write_event(&mut self, id: i64, e: &Event) -> Result<(), StoreError> {
        let loc = &e.location;
        let (actors, search) = crate::derived_columns(e);
        self.0.execute(
            "UPDATE events SET event_type = $2, sub_event_type = $3, date_start = $4, date_end = $5,
                 location_name = $6, location_key = $7, admin1 = $8, admin1_key = $9, admin2 = $10,
                 admin2_key = $11, country = $12, lat = $13, lon = $14, actor1 = $15, actors = $16,
                 fatalities = $17, search_text = $18, event = $19
             WHERE id = $1",
            &[
                &id,
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
        )
        .map_err(pg_error)?;
        Ok(())
    }
}

/// Re-attaches and applies the review of `document_id` inside a batch that wrote its
/// events (the document is locked already).
pub(crate) fn reconcile_document(c: &mut impl GenericClient, document_id: i64) -> Result<()> {
    Ok(ops::reconcile_document(&mut PgReview(c), document_id)?)
}

impl PgStore {
    /// Runs `f` in one transaction of its own.
    fn review_tx<T>(
        &mut self,
        f: impl FnOnce(&mut PgReview<'_, postgres::Transaction<'_>>) -> Result<T, StoreError>,
    ) -> Result<T, StoreError> {
        let mut tx = self.client.transaction().map_err(pg_error)?;
        let out = f(&mut PgReview(&mut tx))?;
        tx.commit().map_err(pg_error)?;
        Ok(out)
    }

    /// The connection as it is, for reads.
    fn review_db(&mut self) -> PgReview<'_, postgres::Client> {
        PgReview(&mut self.client)
    }
}

/// The review workflow with the embedded store's semantics: the same operations
/// ([`ops`]), each write in a transaction of its own. Reading one event's review
/// takes its document's lock too, so it never sees a re-coding half-way.
impl ReviewStore for PgStore {
    type Error = StoreError;
    fn add_user(&mut self, name: &str, token: &str) -> rasd_store::Result<User> {
        self.review_tx(|db| ops::add_user(db, name, token))
    }
    fn user_for_token(&mut self, token: &str) -> rasd_store::Result<Option<User>> {
        ops::user_for_token(&mut self.review_db(), token)
    }
    fn user_by_name(&mut self, name: &str) -> rasd_store::Result<Option<User>> {
        ops::user_by_name(&mut self.review_db(), name)
    }
    fn users(&mut self) -> rasd_store::Result<Vec<User>> {
        ops::users(&mut self.review_db())
    }
    fn correct_event(
        &mut self,
        id: EventId,
        user: &User,
        changes: &[(String, Value)],
        note: Option<&str>,
    ) -> rasd_store::Result<Event> {
        self.review_tx(|db| ops::correct_event(db, id, user, changes, note))
    }
    fn mark_wrong(
        &mut self,
        id: EventId,
        user: &User,
        wrong: bool,
        note: Option<&str>,
    ) -> rasd_store::Result<()> {
        self.review_tx(|db| ops::mark_wrong(db, id, user, wrong, note))
    }
    fn set_incident_group(
        &mut self,
        ids: &[EventId],
        user: &User,
        group: Option<&str>,
        action: &str,
        note: Option<&str>,
    ) -> rasd_store::Result<()> {
        self.review_tx(|db| ops::set_incident_group(db, ids, user, group, action, note))
    }
    fn incident_groups(&mut self) -> rasd_store::Result<Vec<(EventId, String)>> {
        ops::incident_groups(&mut self.review_db())
    }
    fn event_review(&mut self, id: EventId) -> rasd_store::Result<Option<EventReview>> {
        self.review_tx(|db| ops::event_review(db, id))
    }
    fn audit_log(&mut self, limit: u32) -> rasd_store::Result<Vec<AuditEntry>> {
        ops::audit_log(&mut self.review_db(), limit)
    }
    fn orphans(&mut self) -> rasd_store::Result<Vec<Orphan>> {
        ops::orphans(&mut self.review_db())
    }
    fn orphan(&mut self, id: i64) -> rasd_store::Result<Option<Orphan>> {
        ops::orphan(&mut self.review_db(), id)
    }
    fn reattach(
        &mut self,
        orphan: i64,
        event: EventId,
        user: &User,
        note: Option<&str>,
    ) -> rasd_store::Result<Event> {
        self.review_tx(|db| ops::reattach(db, orphan, event, user, note))
    }
    fn dismiss_orphan(
        &mut self,
        orphan: i64,
        user: &User,
        note: Option<&str>,
    ) -> rasd_store::Result<()> {
        self.review_tx(|db| ops::dismiss_orphan(db, orphan, user, note))
    }
}
