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

use crate::reconcile::{self, Candidate, Change, Decision, Effective, TargetState};
use crate::write::{index_event, unindex_event};
use crate::{EventId, Result, Store, StoreError, fold_for_index};
use rasd_model::Event;
use rusqlite::{Connection, OptionalExtension, params};
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

fn now() -> String {
    jiff::Timestamp::now().to_string()
}

fn bad(msg: impl Into<String>) -> StoreError {
    StoreError::BadCorrection(msg.into())
}

fn parse_event(what: &'static str, id: i64, json: &str) -> Result<Event> {
    serde_json::from_str(json).map_err(|source| StoreError::Corrupt { what, id, source })
}

fn json<T: Serialize>(what: &'static str, value: &T) -> Result<String> {
    serde_json::to_string(value).map_err(|source| StoreError::Serialise { what, source })
}

/// One event of a document as review sees it.
struct DocEvent {
    id: i64,
    key: String,
    /// As the coder wrote it.
    original: Event,
    /// As stored now (corrections applied).
    current: Event,
    reviewed: bool,
}

/// Every event of `document_id` in article order, keyed.
fn document_events(conn: &Connection, document_id: i64) -> Result<Vec<DocEvent>> {
    let mut stmt = conn.prepare_cached(
        "SELECT e.id, e.event, ra.original
         FROM events e LEFT JOIN review_applied ra ON ra.event_id = e.id
         WHERE e.document_id = ?1 ORDER BY e.ordinal",
    )?;
    let rows = stmt
        .query_map([document_id], |r| {
            Ok((
                r.get::<_, i64>(0)?,
                r.get::<_, String>(1)?,
                r.get::<_, Option<String>>(2)?,
            ))
        })?
        .collect::<rusqlite::Result<Vec<_>>>()?;
    let mut out = Vec::with_capacity(rows.len());
    for (id, current, original) in rows {
        let current = parse_event("event", id, &current)?;
        let (original, reviewed) = match original {
            Some(o) => (parse_event("event", id, &o)?, true),
            None => (current.clone(), false),
        };
        out.push(DocEvent {
            id,
            key: String::new(),
            original,
            current,
            reviewed,
        });
    }
    let keys = reconcile::keys(out.iter().map(|e| &e.original));
    for (e, k) in out.iter_mut().zip(keys) {
        e.key = k;
    }
    Ok(out)
}

/// (document id, doc_id, the document's events, index of `id` among them).
fn locate(conn: &Connection, id: EventId) -> Result<(i64, String, Vec<DocEvent>, usize)> {
    let (document_id, doc_id): (i64, String) = conn
        .query_row(
            "SELECT document_id, doc_id FROM events WHERE id = ?1",
            [id.0],
            |r| Ok((r.get(0)?, r.get(1)?)),
        )
        .optional()?
        .ok_or(StoreError::NoEvent(id.0))?;
    let events = document_events(conn, document_id)?;
    let at = events
        .iter()
        .position(|e| e.id == id.0)
        .ok_or(StoreError::NoEvent(id.0))?;
    Ok((document_id, doc_id, events, at))
}

/// The attached target of (document, key), if any.
fn attached_target(conn: &Connection, document_id: i64, key: &str) -> Result<Option<i64>> {
    Ok(conn
        .prepare_cached(
            "SELECT id FROM review_targets WHERE document_id = ?1 AND event_key = ?2 AND state = 'attached'",
        )?
        .query_row(params![document_id, key], |r| r.get(0))
        .optional()?)
}

/// The attached target of event `at` of the document, created when it has none.
fn ensure_target(
    conn: &Connection,
    document_id: i64,
    doc_id: &str,
    events: &[DocEvent],
    at: usize,
) -> Result<i64> {
    let e = &events[at];
    if let Some(t) = attached_target(conn, document_id, &e.key)? {
        return Ok(t);
    }
    let originals: Vec<Event> = events.iter().map(|d| d.original.clone()).collect();
    let pieces = reconcile::descendants(&e.original, &originals).len().max(1) as i64;
    Ok(conn
        .prepare_cached(
            "INSERT INTO review_targets (document_id, doc_id, event_key, original, pieces, state, changed_at)
             VALUES (?1, ?2, ?3, ?4, ?5, 'attached', ?6) RETURNING id",
        )?
        .query_row(
            params![
                document_id,
                doc_id,
                e.key,
                json("event", &e.original)?,
                pieces,
                now()
            ],
            |r| r.get(0),
        )?)
}

/// The changes of `target`, oldest first, with who made them.
fn corrections_of(conn: &Connection, target: i64) -> Result<Vec<CorrectionRecord>> {
    let mut stmt = conn.prepare_cached(
        "SELECT c.id, c.kind, c.field, c.value, c.note, u.name, c.created_at
         FROM review_corrections c JOIN review_users u ON u.id = c.user_id
         WHERE c.target_id = ?1 ORDER BY c.id",
    )?;
    let rows = stmt
        .query_map([target], |r| {
            let value: String = r.get(3)?;
            Ok(CorrectionRecord {
                id: r.get(0)?,
                kind: r.get(1)?,
                field: r.get(2)?,
                value: serde_json::from_str(&value).unwrap_or(Value::String(value)),
                note: r.get(4)?,
                user: r.get(5)?,
                created_at: r.get(6)?,
            })
        })?
        .collect::<rusqlite::Result<Vec<_>>>()?;
    Ok(rows)
}

fn changes_of(conn: &Connection, target: i64) -> Result<Vec<Change>> {
    Ok(corrections_of(conn, target)?
        .iter()
        .map(CorrectionRecord::change)
        .collect())
}

/// Writes `e` into the events row `id` (columns, JSON, text index).
fn write_event(conn: &Connection, id: i64, e: &Event) -> Result<()> {
    let loc = &e.location;
    // The indexes are keyed by the first day, which a correction may change: out with
    // the old entries before the row changes, in with the new ones after.
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

/// Brings event `e` (of `doc_id`) in line with `target`'s changes, or with none:
/// rewrites the events row when it differs and keeps its review row in step.
fn apply(conn: &Connection, e: &DocEvent, doc_id: &str, target: Option<i64>) -> Result<()> {
    let Some(target) = target else {
        if e.reviewed {
            if e.current != e.original {
                write_event(conn, e.id, &e.original)?;
            }
            conn.prepare_cached("DELETE FROM review_applied WHERE event_id = ?1")?
                .execute([e.id])?;
        }
        return Ok(());
    };
    let eff = reconcile::effective(&e.original, &changes_of(conn, target)?)?;
    if eff.event != e.current {
        write_event(conn, e.id, &eff.event)?;
    }
    conn.prepare_cached(
        "INSERT INTO review_applied (event_id, doc_id, event_key, original, corrected, wrong, incident_group)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)
         ON CONFLICT (event_id) DO UPDATE SET doc_id = ?2, event_key = ?3, original = ?4,
             corrected = ?5, wrong = ?6, incident_group = ?7",
    )?
    .execute(params![
        e.id,
        doc_id,
        e.key,
        json("event", &e.original)?,
        eff.corrected,
        eff.wrong,
        eff.group
    ])?;
    Ok(())
}

/// (id, key, original, pieces, state) of a target.
type TargetCols = (i64, String, Option<String>, Option<i64>, String);

/// Re-attaches the review targets of `document_id` to its events as stored now and
/// applies them: called by every write of a document's events, in its transaction.
/// Cheap for a document nobody reviewed (one indexed lookup).
pub(crate) fn reconcile_document(conn: &Connection, document_id: i64) -> Result<()> {
    let rows: Vec<TargetCols> = conn
        .prepare_cached(
            "SELECT id, event_key, original, pieces, state FROM review_targets
             WHERE document_id = ?1 AND state IN ('attached', 'orphan') ORDER BY id",
        )?
        .query_map([document_id], |r| {
            Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?, r.get(4)?))
        })?
        .collect::<rusqlite::Result<_>>()?;
    // Most documents were never reviewed: answer that from the indexes alone, without
    // reading their events.
    if rows.is_empty() {
        let reviewed: bool = conn
            .prepare_cached(
                "SELECT EXISTS (SELECT 1 FROM events e JOIN review_applied ra ON ra.event_id = e.id
                                WHERE e.document_id = ?1)",
            )?
            .query_row([document_id], |r| r.get(0))?;
        if !reviewed {
            return Ok(());
        }
    }
    let events = document_events(conn, document_id)?;
    let doc_id: String = conn.query_row(
        "SELECT doc_id FROM documents WHERE id = ?1",
        [document_id],
        |r| r.get(0),
    )?;
    let mut targets = Vec::with_capacity(rows.len());
    for (id, key, original, pieces, state) in rows {
        targets.push(TargetState {
            id,
            key,
            original: original
                .map(|o| parse_event("review target", id, &o))
                .transpose()?,
            pieces: pieces.map(|p| p as u32),
            attached: state == "attached",
        });
    }
    let originals: Vec<Event> = events.iter().map(|e| e.original.clone()).collect();
    let keys: Vec<String> = events.iter().map(|e| e.key.clone()).collect();
    let decisions = reconcile::reconcile(&targets, &originals, &keys);
    // Detach first: a target may move to a key another one is leaving, and only one
    // target may be attached to a key at a time.
    for (t, d) in targets.iter().zip(&decisions) {
        let keeps = matches!(d, Decision::Attach { event, .. } if keys[*event] == t.key);
        if t.attached && !keeps {
            conn.prepare_cached("UPDATE review_targets SET state = 'orphan' WHERE id = ?1")?
                .execute([t.id])?;
        }
    }
    let mut owner: Vec<Option<i64>> = vec![None; events.len()];
    for (t, d) in targets.iter().zip(&decisions) {
        match *d {
            Decision::Attach { event, pieces } => {
                owner[event] = Some(t.id);
                let e = &events[event];
                conn.prepare_cached(
                    "UPDATE review_targets SET state = 'attached', reason = NULL, event_key = ?2,
                         original = ?3, pieces = ?4,
                         changed_at = CASE WHEN state = 'attached' AND event_key = ?2 THEN changed_at ELSE ?5 END
                     WHERE id = ?1",
                )?
                .execute(params![
                    t.id,
                    e.key,
                    json("event", &e.original)?,
                    i64::from(pieces),
                    now()
                ])?;
                if !t.attached {
                    audit(
                        conn,
                        None,
                        "reattached_by_coder",
                        &format!("target:{}", t.id),
                        &serde_json::json!({"doc_id": doc_id, "event_key": e.key}),
                    )?;
                }
            }
            Decision::Orphan(reason) => {
                conn.prepare_cached(
                    "UPDATE review_targets SET state = 'orphan', reason = ?2,
                         changed_at = CASE WHEN ?3 THEN ?4 ELSE changed_at END
                     WHERE id = ?1",
                )?
                .execute(params![t.id, reason.as_str(), t.attached, now()])?;
                if t.attached {
                    audit(
                        conn,
                        None,
                        "orphaned",
                        &format!("target:{}", t.id),
                        &serde_json::json!({"doc_id": doc_id, "event_key": t.key, "reason": reason.as_str()}),
                    )?;
                }
            }
        }
    }
    for (e, target) in events.iter().zip(owner) {
        apply(conn, e, &doc_id, target)?;
    }
    Ok(())
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
    let tx = conn.transaction_with_behavior(rusqlite::TransactionBehavior::Immediate)?;
    let docs: Vec<i64> = tx
        .prepare("SELECT DISTINCT document_id FROM review_targets ORDER BY document_id")?
        .query_map([], |r| r.get(0))?
        .collect::<rusqlite::Result<_>>()?;
    for d in docs {
        reconcile_document(&tx, d)?;
    }
    tx.execute(
        "DELETE FROM store_meta WHERE key = 'review_reconcile_pending'",
        [],
    )?;
    tx.commit()?;
    Ok(())
}

fn audit(
    conn: &Connection,
    user: Option<&User>,
    action: &str,
    target: &str,
    detail: &Value,
) -> Result<()> {
    conn.prepare_cached(
        "INSERT INTO review_audit (at, user_id, action, target, detail) VALUES (?1, ?2, ?3, ?4, ?5)",
    )?
    .execute(params![
        now(),
        user.map(|u| u.id),
        action,
        target,
        detail.to_string()
    ])?;
    Ok(())
}

/// `target` is (target id, doc_id, event key).
fn insert_correction(
    conn: &Connection,
    (target, doc_id, key): (i64, &str, &str),
    kind: &str,
    field: Option<&str>,
    value: &Value,
    note: Option<&str>,
    user: &User,
) -> Result<()> {
    conn.prepare_cached(
        "INSERT INTO review_corrections (doc_id, event_key, kind, field, value, note, user_id, created_at, target_id)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)",
    )?
    .execute(params![
        doc_id,
        key,
        kind,
        field,
        value.to_string(),
        note,
        user.id,
        now(),
        target
    ])?;
    Ok(())
}

/// Records one change of `kind` on event `id` and applies it; `check` sees the event
/// with every change (the new one last) before anything is kept.
fn change_event(
    conn: &Connection,
    id: EventId,
    user: &User,
    new: &[(Option<&str>, &str, Value)],
    note: Option<&str>,
) -> Result<(Effective, String, String)> {
    let (document_id, doc_id, events, at) = locate(conn, id)?;
    let target = ensure_target(conn, document_id, &doc_id, &events, at)?;
    let mut changes = changes_of(conn, target)?;
    changes.extend(new.iter().map(|(field, kind, value)| Change {
        kind: (*kind).to_string(),
        field: field.map(str::to_string),
        value: value.clone(),
    }));
    let eff = checked_effective(&events[at].original, &changes)?;
    let key = events[at].key.clone();
    for (field, kind, value) in new {
        insert_correction(
            conn,
            (target, &doc_id, &key),
            kind,
            *field,
            value,
            note,
            user,
        )?;
    }
    apply(conn, &events[at], &doc_id, Some(target))?;
    Ok((eff, doc_id, key))
}

/// (id, document, doc_id, key, original, state, reason, changed_at) of a target.
type TargetRow = (
    i64,
    i64,
    String,
    String,
    Option<String>,
    String,
    Option<String>,
    String,
);

fn target_row(conn: &Connection, id: i64) -> Result<Option<TargetRow>> {
    Ok(conn
        .prepare_cached(
            "SELECT id, document_id, doc_id, event_key, original, state, reason, changed_at
             FROM review_targets WHERE id = ?1",
        )?
        .query_row([id], |r| {
            Ok((
                r.get(0)?,
                r.get(1)?,
                r.get(2)?,
                r.get(3)?,
                r.get(4)?,
                r.get(5)?,
                r.get(6)?,
                r.get(7)?,
            ))
        })
        .optional()?)
}

fn orphan_of(conn: &Connection, row: TargetRow) -> Result<Orphan> {
    let (id, document_id, doc_id, event_key, original, _state, reason, since) = row;
    let original = original
        .map(|o| parse_event("review target", id, &o))
        .transpose()?;
    let events = document_events(conn, document_id)?
        .into_iter()
        .map(|e| (e.id, e.key, e.current))
        .collect();
    Ok(Orphan {
        id,
        document_id,
        doc_id,
        event_key,
        reason,
        since,
        candidates: reconcile::candidates(original.as_ref(), events),
        original,
        corrections: corrections_of(conn, id)?,
    })
}

impl Store {
    /// Registers an analyst; `token` (chosen by the caller, high entropy) is kept as
    /// its sha256 only.
    pub fn add_user(&self, name: &str, token: &str) -> Result<User> {
        let name = name.trim();
        if name.is_empty() || name.chars().count() > 64 || name.chars().any(char::is_control) {
            return Err(bad("a user name is 1 to 64 printable characters"));
        }
        if token.len() < 16 {
            return Err(bad("a token has at least 16 characters"));
        }
        let exists: bool = self.conn.query_row(
            "SELECT count(*) FROM review_users WHERE name = ?1",
            [name],
            |r| r.get::<_, i64>(0).map(|n| n > 0),
        )?;
        if exists {
            return Err(bad(format!("user {name:?} exists already")));
        }
        let created_at = now();
        let id: i64 = self.conn.query_row(
            "INSERT INTO review_users (name, token_hash, created_at) VALUES (?1, ?2, ?3) RETURNING id",
            params![name, token_hash(token), created_at],
            |r| r.get(0),
        )?;
        let user = User {
            id,
            name: name.to_string(),
            created_at,
        };
        audit(
            &self.conn,
            None,
            "user_add",
            &format!("user:{name}"),
            &Value::Null,
        )?;
        Ok(user)
    }

    /// The analyst holding `token`, if any (and not disabled).
    pub fn user_for_token(&self, token: &str) -> Result<Option<User>> {
        Ok(self
            .conn
            .prepare_cached(
                "SELECT id, name, created_at FROM review_users WHERE token_hash = ?1 AND disabled = 0",
            )?
            .query_row([token_hash(token)], |r| {
                Ok(User {
                    id: r.get(0)?,
                    name: r.get(1)?,
                    created_at: r.get(2)?,
                })
            })
            .optional()?)
    }

    pub fn users(&self) -> Result<Vec<User>> {
        let mut stmt = self
            .conn
            .prepare("SELECT id, name, created_at FROM review_users ORDER BY id")?;
        let users = stmt
            .query_map([], |r| {
                Ok(User {
                    id: r.get(0)?,
                    name: r.get(1)?,
                    created_at: r.get(2)?,
                })
            })?
            .collect::<rusqlite::Result<Vec<_>>>()?;
        Ok(users)
    }

    /// The analyst called `name`, if any (and not disabled).
    pub fn user_by_name(&self, name: &str) -> Result<Option<User>> {
        Ok(self
            .conn
            .prepare_cached(
                "SELECT id, name, created_at FROM review_users WHERE name = ?1 AND disabled = 0",
            )?
            .query_row([name.trim()], |r| {
                Ok(User {
                    id: r.get(0)?,
                    name: r.get(1)?,
                    created_at: r.get(2)?,
                })
            })
            .optional()?)
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
        check_changes(changes)?;
        let tx = self
            .conn
            .transaction_with_behavior(rusqlite::TransactionBehavior::Immediate)?;
        let new: Vec<(Option<&str>, &str, Value)> = changes
            .iter()
            .map(|(f, v)| (Some(f.as_str()), "field", v.clone()))
            .collect();
        let (eff, doc_id, key) = change_event(&tx, id, user, &new, note)?;
        let detail = serde_json::json!({
            "doc_id": doc_id, "event_key": key, "note": note,
            "changes": changes.iter().map(|(f, v)| (f.clone(), v.clone())).collect::<serde_json::Map<_, _>>(),
        });
        audit(
            &tx,
            Some(user),
            "correct",
            &format!("event:{}", id.0),
            &detail,
        )?;
        tx.commit()?;
        Ok(eff.event)
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
        let tx = self
            .conn
            .transaction_with_behavior(rusqlite::TransactionBehavior::Immediate)?;
        let (_, doc_id, key) =
            change_event(&tx, id, user, &[(None, "wrong", Value::Bool(wrong))], note)?;
        let detail =
            serde_json::json!({"doc_id": doc_id, "event_key": key, "wrong": wrong, "note": note});
        audit(
            &tx,
            Some(user),
            "mark_wrong",
            &format!("event:{}", id.0),
            &detail,
        )?;
        tx.commit()?;
        Ok(())
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
        if ids.is_empty() {
            return Err(bad("no event given"));
        }
        let tx = self
            .conn
            .transaction_with_behavior(rusqlite::TransactionBehavior::Immediate)?;
        let value = group.map_or(Value::Null, |g| Value::String(g.to_string()));
        for &id in ids {
            change_event(&tx, id, user, &[(None, "incident", value.clone())], note)?;
        }
        let detail = serde_json::json!({
            "events": ids.iter().map(|i| i.0).collect::<Vec<_>>(), "group": group, "note": note,
        });
        audit(
            &tx,
            Some(user),
            action,
            &format!("group:{}", group.unwrap_or("-")),
            &detail,
        )?;
        tx.commit()?;
        Ok(())
    }

    /// The analyst incident groups in force: (event, group).
    pub fn incident_groups(&self) -> Result<Vec<(EventId, String)>> {
        let mut stmt = self.conn.prepare_cached(
            "SELECT event_id, incident_group FROM review_applied WHERE incident_group IS NOT NULL ORDER BY event_id",
        )?;
        let rows = stmt
            .query_map([], |r| Ok((EventId(r.get(0)?), r.get(1)?)))?
            .collect::<rusqlite::Result<Vec<_>>>()?;
        Ok(rows)
    }

    /// The review state and change history of event `id`.
    pub fn event_review(&self, id: EventId) -> Result<Option<EventReview>> {
        let (document_id, _doc_id, mut events, at) = match locate(&self.conn, id) {
            Ok(k) => k,
            Err(StoreError::NoEvent(_)) => return Ok(None),
            Err(e) => return Err(e),
        };
        let e = events.swap_remove(at);
        let state: Option<(bool, bool, Option<String>)> = self
            .conn
            .prepare_cached(
                "SELECT corrected, wrong, incident_group FROM review_applied WHERE event_id = ?1",
            )?
            .query_row([id.0], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)))
            .optional()?;
        let (corrected, wrong, incident_group) = state.unwrap_or((false, false, None));
        let corrections = match attached_target(&self.conn, document_id, &e.key)? {
            Some(t) => corrections_of(&self.conn, t)?,
            None => Vec::new(),
        };
        Ok(Some(EventReview {
            event_key: e.key,
            original: e.original,
            corrected,
            wrong,
            incident_group,
            corrections,
        }))
    }

    /// The latest `limit` audit entries, newest first.
    pub fn audit_log(&self, limit: u32) -> Result<Vec<AuditEntry>> {
        let mut stmt = self.conn.prepare_cached(
            "SELECT a.id, a.at, u.name, a.action, a.target, a.detail
             FROM review_audit a LEFT JOIN review_users u ON u.id = a.user_id
             ORDER BY a.id DESC LIMIT ?1",
        )?;
        let rows = stmt
            .query_map([limit], |r| {
                let detail: String = r.get(5)?;
                Ok(AuditEntry {
                    id: r.get(0)?,
                    at: r.get(1)?,
                    user: r.get(2)?,
                    action: r.get(3)?,
                    target: r.get(4)?,
                    detail: serde_json::from_str(&detail).unwrap_or(Value::String(detail)),
                })
            })?
            .collect::<rusqlite::Result<Vec<_>>>()?;
        Ok(rows)
    }

    /// Review work whose event re-coding took away, oldest first, each with the
    /// document's current events ranked as candidates.
    pub fn orphans(&self) -> Result<Vec<Orphan>> {
        let ids: Vec<i64> = self
            .conn
            .prepare_cached("SELECT id FROM review_targets WHERE state = 'orphan' ORDER BY id")?
            .query_map([], |r| r.get(0))?
            .collect::<rusqlite::Result<_>>()?;
        let mut out = Vec::with_capacity(ids.len());
        for id in ids {
            if let Some(row) = target_row(&self.conn, id)? {
                out.push(orphan_of(&self.conn, row)?);
            }
        }
        Ok(out)
    }

    /// One orphan (or dismissed target) by id.
    pub fn orphan(&self, id: i64) -> Result<Option<Orphan>> {
        match target_row(&self.conn, id)? {
            Some(row) if row.5 != "attached" => Ok(Some(orphan_of(&self.conn, row)?)),
            _ => Ok(None),
        }
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
        let tx = self
            .conn
            .transaction_with_behavior(rusqlite::TransactionBehavior::Immediate)?;
        let (_, document_id, doc_id, old_key, _, state, reason, _) =
            target_row(&tx, orphan)?.ok_or_else(|| bad(format!("no orphan #{orphan}")))?;
        if state == "attached" {
            return Err(bad(format!(
                "#{orphan} is attached to an event already; only orphans are re-attached"
            )));
        }
        let (event_document, _, events, at) = locate(&tx, event)?;
        if event_document != document_id {
            return Err(bad(format!(
                "event #{} is not in document {doc_id:?} (#{document_id}) of orphan #{orphan}",
                event.0
            )));
        }
        let e = &events[at];
        let home = match attached_target(&tx, document_id, &e.key)? {
            // The event has changes of its own: the orphan's join them (by id, so
            // the newest change of a field still wins).
            Some(t) => {
                tx.execute(
                    "UPDATE review_corrections SET target_id = ?1 WHERE target_id = ?2",
                    params![t, orphan],
                )?;
                tx.execute("DELETE FROM review_targets WHERE id = ?1", [orphan])?;
                t
            }
            None => {
                let originals: Vec<Event> = events.iter().map(|d| d.original.clone()).collect();
                let pieces = reconcile::descendants(&e.original, &originals).len().max(1) as i64;
                tx.execute(
                    "UPDATE review_targets SET state = 'attached', reason = NULL, event_key = ?2,
                         original = ?3, pieces = ?4, changed_at = ?5 WHERE id = ?1",
                    params![orphan, e.key, json("event", &e.original)?, pieces, now()],
                )?;
                orphan
            }
        };
        let eff = checked_effective(&e.original, &changes_of(&tx, home)?)?;
        apply(&tx, e, &doc_id, Some(home))?;
        audit(
            &tx,
            Some(user),
            "reattach",
            &format!("target:{orphan}"),
            &serde_json::json!({
                "doc_id": doc_id, "from_key": old_key, "event": event.0, "event_key": e.key,
                "reason": reason, "note": note,
            }),
        )?;
        tx.commit()?;
        Ok(eff.event)
    }

    /// Sets orphan `orphan` aside: its changes stay on record and are applied to
    /// nothing (re-attaching it later is still possible).
    pub fn dismiss_orphan(&mut self, orphan: i64, user: &User, note: Option<&str>) -> Result<()> {
        let tx = self
            .conn
            .transaction_with_behavior(rusqlite::TransactionBehavior::Immediate)?;
        let changed = tx.execute(
            "UPDATE review_targets SET state = 'dismissed', changed_at = ?2 WHERE id = ?1 AND state = 'orphan'",
            params![orphan, now()],
        )?;
        if changed == 0 {
            return Err(bad(format!("no orphan #{orphan}")));
        }
        audit(
            &tx,
            Some(user),
            "dismiss_orphan",
            &format!("target:{orphan}"),
            &serde_json::json!({"note": note}),
        )?;
        tx.commit()?;
        Ok(())
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
