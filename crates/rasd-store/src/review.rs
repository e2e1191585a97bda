//! The review workflow behind `rasd serve` and `rasd review`: analysts
//! (`review_users`, tokens kept as sha256 only), their changes (`review_corrections`,
//! who and when, never deleted), the targets the changes hang off
//! (`review_targets`, migration 0005), the review state of each stored event
//! (`review_applied`) and the audit log (`review_audit`). Migrations 0003 and 0005.
//!
//! A target is a document and the [`event_key`] of the event an analyst reviewed,
//! not an `events.id`: re-coding an article replaces its events (new ids, the
//! `review_applied` rows go with the old ones). Writing a document's events
//! ([`crate::Store::put_events`], [`crate::Batch::put_events`]) re-attaches its
//! targets to the new events in the same transaction ([`crate::reconcile`] decides
//! which), so no reader ever sees a re-coded event without its review. A target whose
//! event the coder no longer produces becomes an orphan ([`Store::orphans`]) until an
//! analyst re-attaches ([`Store::reattach`]) or dismisses ([`Store::dismiss_orphan`]) it.
//!
//! Applying a correction writes the corrected values into the `events` row itself
//! (columns, JSON and text index), so every reader — `query_events`, the exports,
//! `rasd events` — sees the corrected event; what the coder wrote stays in
//! `review_applied.original`. An event marked wrong is left out of
//! [`crate::EventFilter`] results unless `include_wrong` is set.
//!
//! The workflow is written once, in [`ops`], over [`ReviewDb`] (the shared SQL of
//! [`crate::sql`], a document lock, an events-row rewrite): the embedded store runs
//! it on its SQLite connection (below), `rasd_store_pg::PgStore` on its PostgreSQL
//! transaction, so both make the same decisions and write the same rows.
//!
//! ```text
//! token_hash(token: &str) -> String
//! event_key(event: &Event) -> String
//! Store::add_user(&self, name: &str, token: &str) -> Result<User>
//! Store::user_for_token(&self, token: &str) -> Result<Option<User>>
//! Store::user_by_name(&self, name: &str) -> Result<Option<User>>
//! Store::users(&self) -> Result<Vec<User>>
//! Store::correct_event(&mut self, id: EventId, user: &User, changes: &[(String, serde_json::Value)], note: Option<&str>) -> Result<Event>
//! Store::mark_wrong(&mut self, id: EventId, user: &User, wrong: bool, note: Option<&str>) -> Result<()>
//! Store::set_incident_group(&mut self, ids: &[EventId], user: &User, group: Option<&str>, action: &str, note: Option<&str>) -> Result<()>
//! Store::event_review(&self, id: EventId) -> Result<Option<EventReview>>
//! Store::incident_groups(&self) -> Result<Vec<(EventId, String)>>
//! Store::audit_log(&self, limit: u32) -> Result<Vec<AuditEntry>>
//! Store::orphans(&self) -> Result<Vec<Orphan>>
//! Store::reattach(&mut self, orphan: i64, event: EventId, user: &User, note: Option<&str>) -> Result<Event>
//! Store::dismiss_orphan(&mut self, orphan: i64, user: &User, note: Option<&str>) -> Result<()>
//! ```

pub mod ops;

use crate::reconcile::{self, Candidate, Change, Effective};
use crate::write::{index_event, unindex_event};
use crate::{EventId, Result, Store, StoreError, fold_for_index};
pub use ops::ReviewDb;
use ops::bad;
use rasd_model::Event;
use rusqlite::{Connection, OptionalExtension, TransactionBehavior, params};
use serde::Serialize;
use serde_json::Value;

pub use crate::reconcile::{OrphanReason, event_key};

/// The fields an analyst may correct, as dotted paths into the event JSON.
pub const CORRECTABLE_FIELDS: &[&str] = &[
    "event_type",
    "sub_event_type",
    "date_start",
    "date_end",
    "date_precision",
    "location.name",
    "location.admin1",
    "location.admin2",
    "location.admin3",
    "location.country",
    "location.precision",
    "location.lat",
    "location.lon",
    "location.place_id",
    "actor1",
    "assoc_actor1",
    "actor2",
    "assoc_actor2",
    "fatalities",
    "fatalities_vague",
    "fatalities_by_side",
    "injured",
    "injured_vague",
    "arrested",
    "arrested_vague",
];

/// Refuses changes to fields outside [`CORRECTABLE_FIELDS`] (and empty change sets).
pub fn check_changes(changes: &[(String, Value)]) -> Result<()> {
    if changes.is_empty() {
        return Err(bad("no change given"));
    }
    for (f, _) in changes {
        if !CORRECTABLE_FIELDS.contains(&f.as_str()) {
            return Err(bad(format!(
                "{f:?} cannot be corrected; correctable: {}",
                CORRECTABLE_FIELDS.join(", ")
            )));
        }
    }
    Ok(())
}

/// `event` with `changes` on top, refused unless still a valid event.
pub fn checked_effective(original: &Event, changes: &[Change]) -> Result<Effective> {
    let eff = reconcile::effective(original, changes)?;
    let errors = eff.event.validate();
    if !errors.is_empty() {
        let list: Vec<String> = errors.iter().map(ToString::to_string).collect();
        return Err(bad(list.join("; ")));
    }
    Ok(eff)
}

/// An analyst who may write through the API.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct User {
    pub id: i64,
    pub name: String,
    pub created_at: String,
}

/// One stored change: a field correction, a wrong mark or an incident regrouping.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct CorrectionRecord {
    pub id: i64,
    /// `field`, `wrong` or `incident`.
    pub kind: String,
    pub field: Option<String>,
    pub value: Value,
    pub note: Option<String>,
    pub user: String,
    pub created_at: String,
}

impl CorrectionRecord {
    pub fn change(&self) -> Change {
        Change {
            kind: self.kind.clone(),
            field: self.field.clone(),
            value: self.value.clone(),
        }
    }
}

/// The review state of one stored event.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct EventReview {
    pub event_key: String,
    /// The event as the coder wrote it.
    pub original: Event,
    pub corrected: bool,
    pub wrong: bool,
    pub incident_group: Option<String>,
    /// Every change made to this event (across re-codings), oldest first.
    pub corrections: Vec<CorrectionRecord>,
}

/// Review work whose event the coder no longer produces, waiting for an analyst.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Orphan {
    /// The target's id: what `reattach` and `dismiss_orphan` take.
    pub id: i64,
    pub document_id: i64,
    pub doc_id: String,
    /// The key of the event the changes were made on.
    pub event_key: String,
    /// `key_changed` or `split`.
    pub reason: Option<String>,
    /// When it lost its event.
    pub since: String,
    /// The event as the coder wrote it when the changes were last attached (absent
    /// for changes made before the store kept it).
    pub original: Option<Event>,
    pub corrections: Vec<CorrectionRecord>,
    /// The document's current events, likeliest home first.
    pub candidates: Vec<Candidate>,
}

/// One line of the audit log.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct AuditEntry {
    pub id: i64,
    pub at: String,
    pub user: Option<String>,
    pub action: String,
    pub target: Option<String>,
    pub detail: Value,
}

/// Lower-case hex sha256 of a bearer token: the only form the store keeps.
pub fn token_hash(token: &str) -> String {
    crate::content_hash(token.as_bytes())
}

/// The embedded store runs the shared operations ([`ops`]) on its connection: SQL
/// numbered `?N` (statements cached), no document lock (a write transaction is
/// `IMMEDIATE`, so it holds the whole file), and an events row rewritten with its
/// columns and its text and actor indexes.
impl ReviewDb for &Connection {
    fn lock_document(&mut self, _document_id: i64) -> Result<()> {
        Ok(())
    }

    fn write_event(&mut self, id: i64, e: &Event) -> Result<()> {
        let conn: &Connection = self;
        let loc = &e.location;
        // The indexes are keyed by the first day, which a correction may change: out
        // with the old entries before the row changes, in with the new ones after.
        let old_day: String =
            conn.query_row("SELECT date_start FROM events WHERE id = ?1", [id], |r| {
                r.get(0)
            })?;
        unindex_event(conn, id, &old_day)?;
        conn.prepare_cached(
            "UPDATE events SET event_type = ?2, sub_event_type = ?3, date_start = ?4, date_end = ?5,
                 date_precision = ?6, location_name = ?7, location_key = ?8, admin1 = ?9, admin1_key = ?10,
                 admin2 = ?11, admin2_key = ?12, admin3 = ?13, country = ?14, location_precision = ?15,
                 lat = ?16, lon = ?17, place_id = ?18, actor1 = ?19, assoc_actor1 = ?20, actor2 = ?21,
                 assoc_actor2 = ?22, fatalities = ?23, fatalities_vague = ?24, fatalities_by_side = ?25,
                 injured = ?26, injured_vague = ?27, arrested = ?28, arrested_vague = ?29, event = ?30
             WHERE id = ?1",
        )?
        .execute(params![
            id,
            e.event_type.as_str(),
            e.sub_event_type.as_str(),
            e.date_start.to_string(),
            e.date_end.to_string(),
            e.date_precision.as_str(),
            loc.name,
            fold_for_index(&loc.name),
            loc.admin1,
            loc.admin1.as_deref().map(fold_for_index),
            loc.admin2,
            loc.admin2.as_deref().map(fold_for_index),
            loc.admin3,
            loc.country,
            loc.precision.as_str(),
            loc.lat,
            loc.lon,
            loc.place_id,
            e.actor1,
            json("assoc_actor1", &e.assoc_actor1)?,
            e.actor2,
            json("assoc_actor2", &e.assoc_actor2)?,
            e.fatalities,
            e.fatalities_vague.map(|v| v.as_str()),
            json("fatalities_by_side", &e.fatalities_by_side)?,
            e.injured,
            e.injured_vague.map(|v| v.as_str()),
            e.arrested,
            e.arrested_vague.map(|v| v.as_str()),
            json("event", e)?,
        ])?;
        index_event(conn, id, e)?;
        Ok(())
    }
}

fn json<T: Serialize>(what: &'static str, value: &T) -> Result<String> {
    serde_json::to_string(value).map_err(|source| StoreError::Serialise { what, source })
}

/// Re-attaches and applies the review of `document_id`: every write of a document's
/// events calls it, in its transaction.
pub(crate) fn reconcile_document(conn: &Connection, document_id: i64) -> Result<()> {
    ops::reconcile_document(&mut { conn }, document_id)
}

/// Reconciles, once, the documents whose review predates migration 0005 (their
/// events may have been re-coded without their corrections).
pub(crate) fn reconcile_pending(conn: &mut Connection) -> Result<()> {
    let pending: bool = conn
        .query_row(
            "SELECT count(*) > 0 FROM store_meta WHERE key = 'review_reconcile_pending'",
            [],
            |r| r.get(0),
        )
        .optional()?
        .unwrap_or(false);
    if !pending {
        return Ok(());
    }
    let tx = conn.transaction_with_behavior(TransactionBehavior::Immediate)?;
    ops::reconcile_all(&mut &*tx)?;
    tx.execute(
        "DELETE FROM store_meta WHERE key = 'review_reconcile_pending'",
        [],
    )?;
    tx.commit()?;
    Ok(())
}

impl Store {
    /// Runs `f` in one write transaction (`IMMEDIATE`: the write lock is taken
    /// first, so a review never fails half-way on a busy file).
    fn review_write<T>(&mut self, f: impl FnOnce(&mut &Connection) -> Result<T>) -> Result<T> {
        let tx = self
            .conn
            .transaction_with_behavior(TransactionBehavior::Immediate)?;
        let out = f(&mut &*tx)?;
        tx.commit()?;
        Ok(out)
    }

    /// Registers an analyst; `token` (chosen by the caller, high entropy) is kept as
    /// its sha256 only.
    pub fn add_user(&self, name: &str, token: &str) -> Result<User> {
        let tx = rusqlite::Transaction::new_unchecked(&self.conn, TransactionBehavior::Immediate)?;
        let user = ops::add_user(&mut &*tx, name, token)?;
        tx.commit()?;
        Ok(user)
    }

    /// The analyst holding `token`, if any (and not disabled).
    pub fn user_for_token(&self, token: &str) -> Result<Option<User>> {
        ops::user_for_token(&mut &self.conn, token)
    }

    pub fn users(&self) -> Result<Vec<User>> {
        ops::users(&mut &self.conn)
    }

    /// The analyst called `name`, if any (and not disabled).
    pub fn user_by_name(&self, name: &str) -> Result<Option<User>> {
        ops::user_by_name(&mut &self.conn, name)
    }

    /// Corrects fields of event `id` (dotted paths of [`CORRECTABLE_FIELDS`] with
    /// their new JSON values). The corrected event must still be valid
    /// (`Event::validate`). Returns the corrected event.
    pub fn correct_event(
        &mut self,
        id: EventId,
        user: &User,
        changes: &[(String, Value)],
        note: Option<&str>,
    ) -> Result<Event> {
        self.review_write(|db| ops::correct_event(db, id, user, changes, note))
    }

    /// Marks event `id` wrong (not an event at all, or not one the article reports)
    /// or clears the mark. Wrong events leave the default query results and exports.
    pub fn mark_wrong(
        &mut self,
        id: EventId,
        user: &User,
        wrong: bool,
        note: Option<&str>,
    ) -> Result<()> {
        self.review_write(|db| ops::mark_wrong(db, id, user, wrong, note))
    }

    /// Puts events `ids` into the analyst's incident `group` (a merge puts the events
    /// of several incidents into one group, a split moves some into a new group);
    /// `None` hands them back to automatic clustering. `action` names it in the audit log.
    pub fn set_incident_group(
        &mut self,
        ids: &[EventId],
        user: &User,
        group: Option<&str>,
        action: &str,
        note: Option<&str>,
    ) -> Result<()> {
        self.review_write(|db| ops::set_incident_group(db, ids, user, group, action, note))
    }

    /// The analyst incident groups in force: (event, group).
    pub fn incident_groups(&self) -> Result<Vec<(EventId, String)>> {
        ops::incident_groups(&mut &self.conn)
    }

    /// The review state and change history of event `id`.
    pub fn event_review(&self, id: EventId) -> Result<Option<EventReview>> {
        ops::event_review(&mut &self.conn, id)
    }

    /// The latest `limit` audit entries, newest first.
    pub fn audit_log(&self, limit: u32) -> Result<Vec<AuditEntry>> {
        ops::audit_log(&mut &self.conn, limit)
    }

    /// Review work whose event re-coding took away, oldest first, each with the
    /// document's current events ranked as candidates.
    pub fn orphans(&self) -> Result<Vec<Orphan>> {
        ops::orphans(&mut &self.conn)
    }

    /// One orphan (or dismissed target) by id.
    pub fn orphan(&self, id: i64) -> Result<Option<Orphan>> {
        ops::orphan(&mut &self.conn, id)
    }

    /// Puts the changes of orphan `orphan` onto `event`, an event of the same
    /// document (merged after any changes that event has already). Refused when the
    /// result would not be a valid event. Returns the event as stored now.
    pub fn reattach(
        &mut self,
        orphan: i64,
        event: EventId,
        user: &User,
        note: Option<&str>,
    ) -> Result<Event> {
        self.review_write(|db| ops::reattach(db, orphan, event, user, note))
    }

    /// Sets orphan `orphan` aside: its changes stay on record and are applied to
    /// nothing (re-attaching it later is still possible).
    pub fn dismiss_orphan(&mut self, orphan: i64, user: &User, note: Option<&str>) -> Result<()> {
        self.review_write(|db| ops::dismiss_orphan(db, orphan, user, note))
    }
}

/// The review workflow as one interface, which the embedded store and the
/// PostgreSQL store (`rasd_store_pg::PgStore`) both implement with the same
/// semantics: the methods of the same names on [`Store`]. `rasd review`, `rasd user`
/// and the review test suite run against either through it.
pub trait ReviewStore {
    type Error: std::error::Error + Send + Sync + 'static;
    fn add_user(&mut self, name: &str, token: &str) -> Result<User, Self::Error>;
    fn user_for_token(&mut self, token: &str) -> Result<Option<User>, Self::Error>;
    fn user_by_name(&mut self, name: &str) -> Result<Option<User>, Self::Error>;
    fn users(&mut self) -> Result<Vec<User>, Self::Error>;
    fn correct_event(
        &mut self,
        id: EventId,
        user: &User,
        changes: &[(String, Value)],
        note: Option<&str>,
    ) -> Result<Event, Self::Error>;
    fn mark_wrong(
        &mut self,
        id: EventId,
        user: &User,
        wrong: bool,
        note: Option<&str>,
    ) -> Result<(), Self::Error>;
    fn set_incident_group(
        &mut self,
        ids: &[EventId],
        user: &User,
        group: Option<&str>,
        action: &str,
        note: Option<&str>,
    ) -> Result<(), Self::Error>;
    fn incident_groups(&mut self) -> Result<Vec<(EventId, String)>, Self::Error>;
    fn event_review(&mut self, id: EventId) -> Result<Option<EventReview>, Self::Error>;
    fn audit_log(&mut self, limit: u32) -> Result<Vec<AuditEntry>, Self::Error>;
    fn orphans(&mut self) -> Result<Vec<Orphan>, Self::Error>;
    fn orphan(&mut self, id: i64) -> Result<Option<Orphan>, Self::Error>;
    fn reattach(
        &mut self,
        orphan: i64,
        event: EventId,
        user: &User,
        note: Option<&str>,
    ) -> Result<Event, Self::Error>;
    fn dismiss_orphan(
        &mut self,
        orphan: i64,
        user: &User,
        note: Option<&str>,
    ) -> Result<(), Self::Error>;
}

impl ReviewStore for Store {
    type Error = StoreError;
    fn add_user(&mut self, name: &str, token: &str) -> Result<User> {
        Store::add_user(self, name, token)
    }
    fn user_for_token(&mut self, token: &str) -> Result<Option<User>> {
        Store::user_for_token(self, token)
    }
    fn user_by_name(&mut self, name: &str) -> Result<Option<User>> {
        Store::user_by_name(self, name)
    }
    fn users(&mut self) -> Result<Vec<User>> {
        Store::users(self)
    }
    fn correct_event(
        &mut self,
        id: EventId,
        user: &User,
        changes: &[(String, Value)],
        note: Option<&str>,
    ) -> Result<Event> {
        Store::correct_event(self, id, user, changes, note)
    }
    fn mark_wrong(
        &mut self,
        id: EventId,
        user: &User,
        wrong: bool,
        note: Option<&str>,
    ) -> Result<()> {
        Store::mark_wrong(self, id, user, wrong, note)
    }
    fn set_incident_group(
        &mut self,
        ids: &[EventId],
        user: &User,
        group: Option<&str>,
        action: &str,
        note: Option<&str>,
    ) -> Result<()> {
        Store::set_incident_group(self, ids, user, group, action, note)
    }
    fn incident_groups(&mut self) -> Result<Vec<(EventId, String)>> {
        Store::incident_groups(self)
    }
    fn event_review(&mut self, id: EventId) -> Result<Option<EventReview>> {
        Store::event_review(self, id)
    }
    fn audit_log(&mut self, limit: u32) -> Result<Vec<AuditEntry>> {
        Store::audit_log(self, limit)
    }
    fn orphans(&mut self) -> Result<Vec<Orphan>> {
        Store::orphans(self)
    }
    fn orphan(&mut self, id: i64) -> Result<Option<Orphan>> {
        Store::orphan(self, id)
    }
    fn reattach(
        &mut self,
        orphan: i64,
        event: EventId,
        user: &User,
        note: Option<&str>,
    ) -> Result<Event> {
        Store::reattach(self, orphan, event, user, note)
    }
    fn dismiss_orphan(&mut self, orphan: i64, user: &User, note: Option<&str>) -> Result<()> {
        Store::dismiss_orphan(self, orphan, user, note)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use rasd_model::{ContentKind, DocumentMeta, Origin, RawDocument};

    fn event(place: &str, fatalities: u32) -> Event {
        serde_json::from_value(serde_json::json!({
            "event_type": "battles", "sub_event_type": "armed_clash",
            "date_start": "2024-03-02", "date_end": "2024-03-02", "date_precision": "day",
            "location": {"name": place, "admin1": "حمص", "country": "SY", "precision": "community"},
            "actor1": "Fictional Front", "actor2": "Other Fictional Group",
            "fatalities": fatalities, "injured": null, "arrested": null,
            "evidence": [format!("اشتباك متخيل في {place}")]
        }))
        .unwrap()
    }

    fn doc(store: &Store, name: &str) -> crate::DocumentId {
        store
            .put_document(&RawDocument {
                doc_id: name.into(),
                origin: Origin::Inline,
                kind: ContentKind::Text,
                bytes: name.as_bytes().to_vec(),
                meta: DocumentMeta::default(),
            })
            .unwrap()
            .id()
    }

    fn analyst(store: &Store) -> User {
        store.add_user("mona", "0123456789abcdef0123").unwrap()
    }

    #[test]
    fn tokens_are_kept_as_hashes_only() {
        let store = Store::open_in_memory().unwrap();
        let user = analyst(&store);
        let stored: String = store
            .connection()
            .query_row("SELECT token_hash FROM review_users", [], |r| r.get(0))
            .unwrap();
        assert_ne!(stored, "0123456789abcdef0123");
        assert_eq!(
            store.user_for_token("0123456789abcdef0123").unwrap(),
            Some(user)
        );
        assert_eq!(
            store.user_for_token("wrong-token-wrong-token").unwrap(),
            None
        );
        assert!(store.add_user("mona", "another-token-0000000").is_err());
        assert!(store.add_user("short", "abc").is_err());
    }

    #[test]
    fn corrections_hold_in_the_same_transaction_as_recoding() {
        let mut store = Store::open_in_memory().unwrap();
        let user = analyst(&store);
        let d = doc(&store, "doc-a");
        let ids = store
            .put_events(d, &[event("تلكلخ", 5), event("القصير", 2)])
            .unwrap();
        let fixed = store
            .correct_event(
                ids[1],
                &user,
                &[("fatalities".into(), serde_json::json!(3))],
                Some("the article says three"),
            )
            .unwrap();
        assert_eq!(fixed.fatalities, Some(3));
        assert_eq!(
            store.get_event(ids[1]).unwrap().unwrap().event.fatalities,
            Some(3)
        );
        store.mark_wrong(ids[0], &user, true, None).unwrap();
        let filter = crate::EventFilter::default();
        assert_eq!(store.count_events(&filter).unwrap(), 1);

        // Re-code inside a batch: the new events carry the review before the commit.
        let batch = store.batch().unwrap();
        let new_ids = batch
            .put_events(d, &[event("تلكلخ", 5), event("القصير", 2)])
            .unwrap();
        let seen: Option<i64> = batch
            .connection()
            .query_row(
                "SELECT fatalities FROM events WHERE id = ?1",
                [new_ids[1].0],
                |r| r.get(0),
            )
            .unwrap();
        assert_eq!(seen, Some(3));
        batch.commit().unwrap();
        let e = store.get_event(new_ids[1]).unwrap().unwrap().event;
        assert_eq!(e.fatalities, Some(3));
        let review = store.event_review(new_ids[1]).unwrap().unwrap();
        assert_eq!(review.original.fatalities, Some(2));
        assert_eq!(review.corrections.len(), 1);
        assert_eq!(review.corrections[0].user, "mona");
        assert!(store.event_review(new_ids[0]).unwrap().unwrap().wrong);
        assert_eq!(store.count_events(&filter).unwrap(), 1);
        assert!(store.orphans().unwrap().is_empty());
        let log = store.audit_log(10).unwrap();
        assert_eq!(log[0].action, "mark_wrong");
        assert!(log.iter().any(|a| a.action == "correct"));
    }

    fn with_evidence(mut e: Event, sentence: &str) -> Event {
        e.evidence = vec![sentence.to_string()];
        e
    }

    #[test]
    fn a_split_leaves_an_orphan_that_is_listed_and_reattached() {
        let mut store = Store::open_in_memory().unwrap();
        let user = analyst(&store);
        let d = doc(&store, "doc-split");
        let s = "اشتباكات متخيلة في طفس ونوى";
        let ids = store
            .put_events(d, &[with_evidence(event("طفس", 7), s)])
            .unwrap();
        store
            .correct_event(
                ids[0],
                &user,
                &[("fatalities".into(), serde_json::json!(9))],
                None,
            )
            .unwrap();
        // The coder now reads two places out of the same sentence.
        let pieces = [
            with_evidence(event("طفس", 4), s),
            with_evidence(event("نوى", 3), s),
        ];
        let new = store.put_events(d, &pieces).unwrap();
        let events: Vec<Event> = new
            .iter()
            .map(|&i| store.get_event(i).unwrap().unwrap().event)
            .collect();
        assert_eq!(events[0].fatalities, Some(4), "not applied to one piece");
        let orphans = store.orphans().unwrap();
        assert_eq!(orphans.len(), 1);
        let o = &orphans[0];
        assert_eq!(o.reason.as_deref(), Some("split"));
        assert_eq!(o.original.as_ref().unwrap().fatalities, Some(7));
        assert_eq!(o.corrections[0].value, serde_json::json!(9));
        assert_eq!(o.candidates.len(), 2);
        assert!(o.candidates.iter().all(|c| c.shares_evidence));
        assert_eq!(o.candidates[0].event_id, new[0].0, "same place ranks first");
        assert!(store.audit_log(1).unwrap()[0].action == "orphaned");

        let other = doc(&store, "doc-other");
        let foreign = store.put_events(other, &[event("درعا", 1)]).unwrap();
        assert!(matches!(
            store.reattach(o.id, foreign[0], &user, None),
            Err(StoreError::BadCorrection(_))
        ));
        let e = store
            .reattach(o.id, new[0], &user, Some("the nine were in Tafas"))
            .unwrap();
        assert_eq!(e.fatalities, Some(9));
        assert_eq!(
            store.get_event(new[0]).unwrap().unwrap().event.fatalities,
            Some(9)
        );
        assert!(store.orphans().unwrap().is_empty());
        assert!(store.reattach(o.id, new[0], &user, None).is_err());
        // The same coding again keeps it attached (two pieces are now the norm).
        let again = store.put_events(d, &pieces).unwrap();
        assert_eq!(
            store.get_event(again[0]).unwrap().unwrap().event.fatalities,
            Some(9)
        );
        assert_eq!(
            store.get_event(again[1]).unwrap().unwrap().event.fatalities,
            Some(3)
        );
        assert!(store.orphans().unwrap().is_empty());
    }

    #[test]
    fn a_changed_key_orphans_and_the_coder_may_bring_it_back() {
        let mut store = Store::open_in_memory().unwrap();
        let user = analyst(&store);
        let d = doc(&store, "doc-key");
        let ids = store.put_events(d, &[event("تدمر", 1)]).unwrap();
        store.mark_wrong(ids[0], &user, true, None).unwrap();
        let moved = store.put_events(d, &[event("السخنة", 1)]).unwrap();
        assert!(!store.event_review(moved[0]).unwrap().unwrap().wrong);
        let orphans = store.orphans().unwrap();
        assert_eq!(orphans[0].reason.as_deref(), Some("key_changed"));
        assert_eq!(orphans[0].candidates[0].event_id, moved[0].0);
        // The coder's next version finds the old key again: the orphan goes home.
        let back = store.put_events(d, &[event("تدمر", 1)]).unwrap();
        assert!(store.event_review(back[0]).unwrap().unwrap().wrong);
        assert!(store.orphans().unwrap().is_empty());
        // Dismissed, it stays on record and applies to nothing.
        store.put_events(d, &[event("السخنة", 1)]).unwrap();
        let o = store.orphans().unwrap()[0].id;
        store
            .dismiss_orphan(o, &user, Some("not worth it"))
            .unwrap();
        assert!(store.orphans().unwrap().is_empty());
        assert!(store.dismiss_orphan(o, &user, None).is_err());
        let back = store.put_events(d, &[event("تدمر", 1)]).unwrap();
        assert!(!store.event_review(back[0]).unwrap().unwrap().wrong);
        assert!(store.orphan(o).unwrap().is_some());
    }

    #[test]
    fn review_from_before_targets_is_carried_over_on_open() {
        // A store at schema 4 whose corrected article was re-coded with no server to
        // re-apply the correction.
        let dir = std::env::temp_dir().join(format!("rasd-review-legacy-{}", std::process::id()));
        let _ = std::fs::remove_file(&dir);
        {
            let mut conn = Connection::open(&dir).unwrap();
            crate::migrate::migrate(&mut conn, 4).unwrap();
            let store = Store { conn };
            let d = doc(&store, "doc-old");
            let ids = crate::write::replace_events(&store.conn, d, &[event("حماة", 2)]).unwrap();
            let user = analyst(&store);
            let key = event_key(&event("حماة", 2));
            store
                .conn
                .execute(
                    "INSERT INTO review_corrections (doc_id, event_key, kind, field, value, user_id, created_at)
                     VALUES ('doc-old', ?1, 'field', 'fatalities', '6', ?2, 'then')",
                    params![key, user.id],
                )
                .unwrap();
            assert_eq!(
                store.get_event(ids[0]).unwrap().unwrap().event.fatalities,
                Some(2)
            );
        }
        let store = Store::open(&dir).unwrap();
        let events = store.query_events(&crate::EventFilter::default()).unwrap();
        assert_eq!(events[0].event.fatalities, Some(6));
        assert_eq!(
            store
                .event_review(events[0].id)
                .unwrap()
                .unwrap()
                .corrections
                .len(),
            1
        );
        drop(store);
        let _ = std::fs::remove_file(&dir);
    }

    #[test]
    fn invalid_corrections_are_refused() {
        let mut store = Store::open_in_memory().unwrap();
        let user = analyst(&store);
        let d = doc(&store, "doc-b");
        let ids = store.put_events(d, &[event("تدمر", 1)]).unwrap();
        let sub_mismatch = store.correct_event(
            ids[0],
            &user,
            &[("event_type".into(), serde_json::json!("protests"))],
            None,
        );
        assert!(matches!(sub_mismatch, Err(StoreError::BadCorrection(_))));
        let unknown = store.correct_event(
            ids[0],
            &user,
            &[("evidence".into(), serde_json::json!([]))],
            None,
        );
        assert!(matches!(unknown, Err(StoreError::BadCorrection(_))));
        let bad_type = store.correct_event(
            ids[0],
            &user,
            &[("fatalities".into(), serde_json::json!("many"))],
            None,
        );
        assert!(matches!(bad_type, Err(StoreError::BadCorrection(_))));
        assert_eq!(
            store.get_event(ids[0]).unwrap().unwrap().event.fatalities,
            Some(1)
        );
        assert!(
            store
                .event_review(ids[0])
                .unwrap()
                .unwrap()
                .corrections
                .is_empty()
        );
    }

    #[test]
    fn duplicate_keys_in_one_article_are_told_apart() {
        let mut store = Store::open_in_memory().unwrap();
        let user = analyst(&store);
        let d = doc(&store, "doc-c");
        let ids = store
            .put_events(d, &[event("حماة", 1), event("حماة", 4)])
            .unwrap();
        store
            .set_incident_group(&ids[1..], &user, Some("g1"), "split", None)
            .unwrap();
        let a = store.event_review(ids[0]).unwrap().unwrap();
        let b = store.event_review(ids[1]).unwrap().unwrap();
        assert_ne!(a.event_key, b.event_key);
        assert_eq!(b.incident_group.as_deref(), Some("g1"));
        assert_eq!(a.incident_group, None);
        assert_eq!(
            store.incident_groups().unwrap(),
            vec![(ids[1], "g1".into())]
        );
    }
}
