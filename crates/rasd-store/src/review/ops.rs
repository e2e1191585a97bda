//! The review workflow written once, over [`ReviewDb`]: what each operation reads,
//! decides ([`crate::reconcile`]), writes to the review tables and records in the
//! audit log, and how a row becomes a [`User`], a [`CorrectionRecord`], an
//! [`Orphan`] or an [`AuditEntry`]. Both backends run these same functions inside
//! their own transactions (`Store`'s methods for SQLite, `rasd_store_pg::PgStore`'s
//! [`ReviewStore`](super::ReviewStore) for PostgreSQL), so the review tables, the
//! audit trail and — through the backends' change-log triggers on `review_applied`
//! and `events` — the change log get the same rows on both.
//!
//! What a backend supplies ([`ReviewDb`]): running the shared SQL ([`Sql`]), taking a
//! document's write lock, and rewriting an `events` row, whose columns and indexes
//! differ between the two schemas.

use super::{
    AuditEntry, CorrectionRecord, EventReview, Orphan, User, check_changes, checked_effective,
    token_hash,
};
use crate::reconcile::{self, Change, Decision, Effective, TargetState};
use crate::sql::{Row, Sql, Val};
use crate::{EventId, Result, StoreError};
use rasd_model::Event;
use serde::Serialize;
use serde_json::Value;

/// A transaction the review operations run in: shared SQL plus what differs.
pub trait ReviewDb: Sql {
    /// Holds the document's write lock until the transaction ends, so that a worker
    /// re-coding it and an analyst correcting one of its events take turns
    /// (PostgreSQL: its row `FOR UPDATE`; SQLite's write transactions already hold
    /// the whole file).
    fn lock_document(&mut self, document_id: i64) -> Result<()>;
    /// Rewrites events row `id` with `e`: every column derived from the event, its
    /// JSON, and whatever index the backend keeps beside the row.
    fn write_event(&mut self, id: i64, e: &Event) -> Result<()>;
}

fn now() -> String {
    jiff::Timestamp::now().to_string()
}

pub(super) fn bad(msg: impl Into<String>) -> StoreError {
    StoreError::BadCorrection(msg.into())
}

fn parse_event(what: &'static str, id: i64, json: &str) -> Result<Event> {
    serde_json::from_str(json).map_err(|source| StoreError::Corrupt { what, id, source })
}

fn json<T: Serialize>(what: &'static str, value: &T) -> Result<String> {
    serde_json::to_string(value).map_err(|source| StoreError::Serialise { what, source })
}

/// A JSON column as stored; text that is not JSON is kept as a string.
fn json_value(text: String) -> Value {
    serde_json::from_str(&text).unwrap_or(Value::String(text))
}

fn user_of(r: &Row) -> Result<User> {
    Ok(User {
        id: r.int(0)?,
        name: r.text(1)?,
        created_at: r.text(2)?,
    })
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
fn document_events(db: &mut impl ReviewDb, document_id: i64) -> Result<Vec<DocEvent>> {
    let rows = db.query(
        "SELECT e.id, e.event, ra.original
         FROM events e LEFT JOIN review_applied ra ON ra.event_id = e.id
         WHERE e.document_id = ? ORDER BY e.ordinal",
        &[Val::int(document_id)],
    )?;
    let mut out = Vec::with_capacity(rows.len());
    for r in rows {
        let id = r.int(0)?;
        let current = parse_event("event", id, &r.text(1)?)?;
        let (original, reviewed) = match r.opt_text(2)? {
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

/// The document of event `id`, if the event exists.
fn document_of(db: &mut impl ReviewDb, id: EventId) -> Result<Option<(i64, String)>> {
    db.query_opt(
        "SELECT document_id, doc_id FROM events WHERE id = ?",
        &[Val::int(id.0)],
    )?
    .map(|r| Ok((r.int(0)?, r.text(1)?)))
    .transpose()
}

/// (document id, doc_id, the document's events, index of `id` among them), read with
/// the document locked (a worker may have re-coded it since `id` was chosen).
fn locate(db: &mut impl ReviewDb, id: EventId) -> Result<(i64, String, Vec<DocEvent>, usize)> {
    let (document_id, doc_id) = document_of(db, id)?.ok_or(StoreError::NoEvent(id.0))?;
    db.lock_document(document_id)?;
    let events = document_events(db, document_id)?;
    let at = events
        .iter()
        .position(|e| e.id == id.0)
        .ok_or(StoreError::NoEvent(id.0))?;
    Ok((document_id, doc_id, events, at))
}

/// The attached target of (document, key), if any.
fn attached_target(db: &mut impl ReviewDb, document_id: i64, key: &str) -> Result<Option<i64>> {
    db.query_opt(
        "SELECT id FROM review_targets WHERE document_id = ? AND event_key = ? AND state = 'attached'",
        &[Val::int(document_id), Val::text(key)],
    )?
    .map(|r| r.int(0))
    .transpose()
}

/// How many events the sentences of event `at` give now: what a target remembers to
/// tell a later split from the coding it was made on.
fn pieces(events: &[DocEvent], at: usize) -> i64 {
    let originals: Vec<Event> = events.iter().map(|d| d.original.clone()).collect();
    reconcile::descendants(&events[at].original, &originals)
        .len()
        .max(1) as i64
}

/// The attached target of event `at` of the document, created when it has none.
fn ensure_target(
    db: &mut impl ReviewDb,
    document_id: i64,
    doc_id: &str,
    events: &[DocEvent],
    at: usize,
) -> Result<i64> {
    let e = &events[at];
    if let Some(t) = attached_target(db, document_id, &e.key)? {
        return Ok(t);
    }
    db.query_one(
        "INSERT INTO review_targets (document_id, doc_id, event_key, original, pieces, state, changed_at)
         VALUES (?, ?, ?, ?, ?, 'attached', ?) RETURNING id",
        &[
            Val::int(document_id),
            Val::text(doc_id),
            Val::text(&e.key),
            Val::text(json("event", &e.original)?),
            Val::int(pieces(events, at)),
            Val::text(now()),
        ],
    )?
    .int(0)
}

/// The changes of `target`, oldest first, with who made them.
fn corrections_of(db: &mut impl ReviewDb, target: i64) -> Result<Vec<CorrectionRecord>> {
    db.query(
        "SELECT c.id, c.kind, c.field, c.value, c.note, u.name, c.created_at
         FROM review_corrections c JOIN review_users u ON u.id = c.user_id
         WHERE c.target_id = ? ORDER BY c.id",
        &[Val::int(target)],
    )?
    .iter()
    .map(|r| {
        Ok(CorrectionRecord {
            id: r.int(0)?,
            kind: r.text(1)?,
            field: r.opt_text(2)?,
            value: json_value(r.text(3)?),
            note: r.opt_text(4)?,
            user: r.text(5)?,
            created_at: r.text(6)?,
        })
    })
    .collect()
}

fn changes_of(db: &mut impl ReviewDb, target: i64) -> Result<Vec<Change>> {
    Ok(corrections_of(db, target)?
        .iter()
        .map(CorrectionRecord::change)
        .collect())
}

/// Brings event `e` (of `doc_id`) in line with `target`'s changes, or with none:
/// rewrites the events row when it differs and keeps its review row in step.
fn apply(db: &mut impl ReviewDb, e: &DocEvent, doc_id: &str, target: Option<i64>) -> Result<()> {
    let Some(target) = target else {
        if e.reviewed {
            if e.current != e.original {
                db.write_event(e.id, &e.original)?;
            }
            db.execute(
                "DELETE FROM review_applied WHERE event_id = ?",
                &[Val::int(e.id)],
            )?;
        }
        return Ok(());
    };
    let eff = reconcile::effective(&e.original, &changes_of(db, target)?)?;
    if eff.event != e.current {
        db.write_event(e.id, &eff.event)?;
    }
    db.execute(
        "INSERT INTO review_applied (event_id, doc_id, event_key, original, corrected, wrong, incident_group)
         VALUES (?, ?, ?, ?, ?, ?, ?)
         ON CONFLICT (event_id) DO UPDATE SET doc_id = excluded.doc_id,
             event_key = excluded.event_key, original = excluded.original,
             corrected = excluded.corrected, wrong = excluded.wrong,
             incident_group = excluded.incident_group",
        &[
            Val::int(e.id),
            Val::text(doc_id),
            Val::text(&e.key),
            Val::text(json("event", &e.original)?),
            Val::Bool(eff.corrected),
            Val::Bool(eff.wrong),
            Val::Text(eff.group),
        ],
    )?;
    Ok(())
}

fn audit(
    db: &mut impl ReviewDb,
    user: Option<&User>,
    action: &str,
    target: &str,
    detail: &Value,
) -> Result<()> {
    db.execute(
        "INSERT INTO review_audit (at, user_id, action, target, detail) VALUES (?, ?, ?, ?, ?)",
        &[
            Val::text(now()),
            Val::Int(user.map(|u| u.id)),
            Val::text(action),
            Val::text(target),
            Val::text(detail.to_string()),
        ],
    )?;
    Ok(())
}

/// Re-attaches the review targets of `document_id` to its events as stored now and
/// applies them: called by every write of a document's events, in its transaction,
/// with the document locked. Cheap for a document nobody reviewed (one indexed
/// lookup, then one more).
pub fn reconcile_document(db: &mut impl ReviewDb, document_id: i64) -> Result<()> {
    let rows = db.query(
        "SELECT id, event_key, original, pieces, state FROM review_targets
         WHERE document_id = ? AND state IN ('attached', 'orphan') ORDER BY id",
        &[Val::int(document_id)],
    )?;
    // Most documents were never reviewed: answer that from the indexes alone, without
    // reading their events.
    if rows.is_empty() {
        let reviewed = db
            .query_one(
                "SELECT EXISTS (SELECT 1 FROM events e JOIN review_applied ra ON ra.event_id = e.id
                                WHERE e.document_id = ?)",
                &[Val::int(document_id)],
            )?
            .bool(0)?;
        if !reviewed {
            return Ok(());
        }
    }
    let events = document_events(db, document_id)?;
    let doc_id = db
        .query_one(
            "SELECT doc_id FROM documents WHERE id = ?",
            &[Val::int(document_id)],
        )?
        .text(0)?;
    let mut targets = Vec::with_capacity(rows.len());
    for r in rows {
        let id = r.int(0)?;
        targets.push(TargetState {
            id,
            key: r.text(1)?,
            original: r
                .opt_text(2)?
                .map(|o| parse_event("review target", id, &o))
                .transpose()?,
            pieces: r.opt_int(3)?.map(|p| u32::try_from(p).unwrap_or(u32::MAX)),
            attached: r.text(4)? == "attached",
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
            db.execute(
                "UPDATE review_targets SET state = 'orphan' WHERE id = ?",
                &[Val::int(t.id)],
            )?;
        }
    }
    let mut owner: Vec<Option<i64>> = vec![None; events.len()];
    for (t, d) in targets.iter().zip(&decisions) {
        match *d {
            Decision::Attach { event, pieces } => {
                owner[event] = Some(t.id);
                let e = &events[event];
                // A target that stays on its key keeps the time it was attached there.
                let moved = !(t.attached && e.key == t.key);
                db.execute(
                    "UPDATE review_targets SET state = 'attached', reason = NULL, event_key = ?,
                         original = ?, pieces = ?, changed_at = CASE WHEN ? THEN ? ELSE changed_at END
                     WHERE id = ?",
                    &[
                        Val::text(&e.key),
                        Val::text(json("event", &e.original)?),
                        Val::int(i64::from(pieces)),
                        Val::Bool(moved),
                        Val::text(now()),
                        Val::int(t.id),
                    ],
                )?;
                if !t.attached {
                    audit(
                        db,
                        None,
                        "reattached_by_coder",
                        &format!("target:{}", t.id),
                        &serde_json::json!({"doc_id": doc_id, "event_key": e.key}),
                    )?;
                }
            }
            Decision::Orphan(reason) => {
                db.execute(
                    "UPDATE review_targets SET state = 'orphan', reason = ?,
                         changed_at = CASE WHEN ? THEN ? ELSE changed_at END
                     WHERE id = ?",
                    &[
                        Val::text(reason.as_str()),
                        Val::Bool(t.attached),
                        Val::text(now()),
                        Val::int(t.id),
                    ],
                )?;
                if t.attached {
                    audit(
                        db,
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
        apply(db, e, &doc_id, target)?;
    }
    Ok(())
}

/// Records the changes `new` ((field, kind, value)) on event `id` and applies them;
/// the event with every change (the new ones last) must still be valid before
/// anything is kept. Returns the corrected event, its doc_id and its key.
fn change_event(
    db: &mut impl ReviewDb,
    id: EventId,
    user: &User,
    new: &[(Option<&str>, &str, Value)],
    note: Option<&str>,
) -> Result<(Effective, String, String)> {
    let (document_id, doc_id, events, at) = locate(db, id)?;
    let target = ensure_target(db, document_id, &doc_id, &events, at)?;
    let mut changes = changes_of(db, target)?;
    changes.extend(new.iter().map(|(field, kind, value)| Change {
        kind: (*kind).to_string(),
        field: field.map(str::to_string),
        value: value.clone(),
    }));
    let eff = checked_effective(&events[at].original, &changes)?;
    let key = events[at].key.clone();
    for (field, kind, value) in new {
        db.execute(
            "INSERT INTO review_corrections (target_id, doc_id, event_key, kind, field, value, note, user_id, created_at)
             VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
            &[
                Val::int(target),
                Val::text(&doc_id),
                Val::text(&key),
                Val::text(*kind),
                Val::opt_text(*field),
                Val::text(value.to_string()),
                Val::opt_text(note),
                Val::int(user.id),
                Val::text(now()),
            ],
        )?;
    }
    apply(db, &events[at], &doc_id, Some(target))?;
    Ok((eff, doc_id, key))
}

/// A row of `review_targets`.
struct TargetRow {
    id: i64,
    document_id: i64,
    doc_id: String,
    key: String,
    original: Option<String>,
    state: String,
    reason: Option<String>,
    changed_at: String,
}

fn target_row(db: &mut impl ReviewDb, id: i64) -> Result<Option<TargetRow>> {
    db.query_opt(
        "SELECT id, document_id, doc_id, event_key, original, state, reason, changed_at
         FROM review_targets WHERE id = ?",
        &[Val::int(id)],
    )?
    .map(|r| {
        Ok(TargetRow {
            id: r.int(0)?,
            document_id: r.int(1)?,
            doc_id: r.text(2)?,
            key: r.text(3)?,
            original: r.opt_text(4)?,
            state: r.text(5)?,
            reason: r.opt_text(6)?,
            changed_at: r.text(7)?,
        })
    })
    .transpose()
}

fn orphan_of(db: &mut impl ReviewDb, t: TargetRow) -> Result<Orphan> {
    let original = t
        .original
        .map(|o| parse_event("review target", t.id, &o))
        .transpose()?;
    let events = document_events(db, t.document_id)?
        .into_iter()
        .map(|e| (e.id, e.key, e.current))
        .collect();
    Ok(Orphan {
        id: t.id,
        document_id: t.document_id,
        doc_id: t.doc_id,
        event_key: t.key,
        reason: t.reason,
        since: t.changed_at,
        candidates: reconcile::candidates(original.as_ref(), events),
        original,
        corrections: corrections_of(db, t.id)?,
    })
}

/// Registers an analyst; `token` (chosen by the caller, high entropy) is kept as its
/// sha256 only.
pub fn add_user(db: &mut impl ReviewDb, name: &str, token: &str) -> Result<User> {
    let name = name.trim();
    if name.is_empty() || name.chars().count() > 64 || name.chars().any(char::is_control) {
        return Err(bad("a user name is 1 to 64 printable characters"));
    }
    if token.len() < 16 {
        return Err(bad("a token has at least 16 characters"));
    }
    let user = db
        .query_opt(
            "INSERT INTO review_users (name, token_hash, created_at) VALUES (?, ?, ?)
             ON CONFLICT (name) DO NOTHING RETURNING id, name, created_at",
            &[
                Val::text(name),
                Val::text(token_hash(token)),
                Val::text(now()),
            ],
        )?
        .ok_or_else(|| bad(format!("user {name:?} exists already")))?;
    let user = user_of(&user)?;
    audit(db, None, "user_add", &format!("user:{name}"), &Value::Null)?;
    Ok(user)
}

/// The analyst holding `token`, if any (and not disabled).
pub fn user_for_token(db: &mut impl ReviewDb, token: &str) -> Result<Option<User>> {
    db.query_opt(
        "SELECT id, name, created_at FROM review_users WHERE token_hash = ? AND disabled = ?",
        &[Val::text(token_hash(token)), Val::Bool(false)],
    )?
    .as_ref()
    .map(user_of)
    .transpose()
}

/// The analyst called `name`, if any (and not disabled).
pub fn user_by_name(db: &mut impl ReviewDb, name: &str) -> Result<Option<User>> {
    db.query_opt(
        "SELECT id, name, created_at FROM review_users WHERE name = ? AND disabled = ?",
        &[Val::text(name.trim()), Val::Bool(false)],
    )?
    .as_ref()
    .map(user_of)
    .transpose()
}

/// Every analyst, in the order they were added.
pub fn users(db: &mut impl ReviewDb) -> Result<Vec<User>> {
    db.query(
        "SELECT id, name, created_at FROM review_users ORDER BY id",
        &[],
    )?
    .iter()
    .map(user_of)
    .collect()
}

/// Corrects fields of event `id` (dotted paths of [`super::CORRECTABLE_FIELDS`] with
/// their new JSON values). The corrected event must still be valid
/// (`Event::validate`). Returns the corrected event.
pub fn correct_event(
    db: &mut impl ReviewDb,
    id: EventId,
    user: &User,
    changes: &[(String, Value)],
    note: Option<&str>,
) -> Result<Event> {
    check_changes(changes)?;
    let new: Vec<(Option<&str>, &str, Value)> = changes
        .iter()
        .map(|(f, v)| (Some(f.as_str()), "field", v.clone()))
        .collect();
    let (eff, doc_id, key) = change_event(db, id, user, &new, note)?;
    let detail = serde_json::json!({
        "doc_id": doc_id, "event_key": key, "note": note,
        "changes": changes.iter().map(|(f, v)| (f.clone(), v.clone())).collect::<serde_json::Map<_, _>>(),
    });
    audit(
        db,
        Some(user),
        "correct",
        &format!("event:{}", id.0),
        &detail,
    )?;
    Ok(eff.event)
}

/// Marks event `id` wrong (not an event at all, or not one the article reports) or
/// clears the mark. Wrong events leave the default query results and exports.
pub fn mark_wrong(
    db: &mut impl ReviewDb,
    id: EventId,
    user: &User,
    wrong: bool,
    note: Option<&str>,
) -> Result<()> {
    let (_, doc_id, key) =
        change_event(db, id, user, &[(None, "wrong", Value::Bool(wrong))], note)?;
    let detail =
        serde_json::json!({"doc_id": doc_id, "event_key": key, "wrong": wrong, "note": note});
    audit(
        db,
        Some(user),
        "mark_wrong",
        &format!("event:{}", id.0),
        &detail,
    )
}

/// Puts events `ids` into the analyst's incident `group` (a merge puts the events of
/// several incidents into one group, a split moves some into a new group); `None`
/// hands them back to automatic clustering. `action` names it in the audit log.
pub fn set_incident_group(
    db: &mut impl ReviewDb,
    ids: &[EventId],
    user: &User,
    group: Option<&str>,
    action: &str,
    note: Option<&str>,
) -> Result<()> {
    if ids.is_empty() {
        return Err(bad("no event given"));
    }
    // Every document locked first, in id order, so two analysts grouping
    // overlapping events cannot deadlock.
    let mut docs: Vec<i64> = Vec::with_capacity(ids.len());
    for &id in ids {
        docs.extend(document_of(db, id)?.map(|(d, _)| d));
    }
    docs.sort_unstable();
    docs.dedup();
    for d in docs {
        db.lock_document(d)?;
    }
    let value = group.map_or(Value::Null, |g| Value::String(g.to_string()));
    for &id in ids {
        change_event(db, id, user, &[(None, "incident", value.clone())], note)?;
    }
    let detail = serde_json::json!({
        "events": ids.iter().map(|i| i.0).collect::<Vec<_>>(), "group": group, "note": note,
    });
    audit(
        db,
        Some(user),
        action,
        &format!("group:{}", group.unwrap_or("-")),
        &detail,
    )
}

/// The analyst incident groups in force: (event, group).
pub fn incident_groups(db: &mut impl ReviewDb) -> Result<Vec<(EventId, String)>> {
    db.query(
        "SELECT event_id, incident_group FROM review_applied
         WHERE incident_group IS NOT NULL ORDER BY event_id",
        &[],
    )?
    .iter()
    .map(|r| Ok((EventId(r.int(0)?), r.text(1)?)))
    .collect()
}

/// The review state and change history of event `id`.
pub fn event_review(db: &mut impl ReviewDb, id: EventId) -> Result<Option<EventReview>> {
    let (document_id, _doc_id, mut events, at) = match locate(db, id) {
        Ok(k) => k,
        Err(StoreError::NoEvent(_)) => return Ok(None),
        Err(e) => return Err(e),
    };
    let e = events.swap_remove(at);
    let state = db.query_opt(
        "SELECT corrected, wrong, incident_group FROM review_applied WHERE event_id = ?",
        &[Val::int(id.0)],
    )?;
    let (corrected, wrong, incident_group) = match state {
        Some(r) => (r.bool(0)?, r.bool(1)?, r.opt_text(2)?),
        None => (false, false, None),
    };
    let corrections = match attached_target(db, document_id, &e.key)? {
        Some(t) => corrections_of(db, t)?,
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
pub fn audit_log(db: &mut impl ReviewDb, limit: u32) -> Result<Vec<AuditEntry>> {
    db.query(
        "SELECT a.id, a.at, u.name, a.action, a.target, a.detail
         FROM review_audit a LEFT JOIN review_users u ON u.id = a.user_id
         ORDER BY a.id DESC LIMIT ?",
        &[Val::int(i64::from(limit))],
    )?
    .iter()
    .map(|r| {
        Ok(AuditEntry {
            id: r.int(0)?,
            at: r.text(1)?,
            user: r.opt_text(2)?,
            action: r.text(3)?,
            target: r.opt_text(4)?,
            detail: json_value(r.text(5)?),
        })
    })
    .collect()
}

/// Review work whose event re-coding took away, oldest first, each with the
/// document's current events ranked as candidates.
pub fn orphans(db: &mut impl ReviewDb) -> Result<Vec<Orphan>> {
    let ids = db.query(
        "SELECT id FROM review_targets WHERE state = 'orphan' ORDER BY id",
        &[],
    )?;
    let mut out = Vec::with_capacity(ids.len());
    for r in ids {
        if let Some(t) = target_row(db, r.int(0)?)? {
            out.push(orphan_of(db, t)?);
        }
    }
    Ok(out)
}

/// One orphan (or dismissed target) by id.
pub fn orphan(db: &mut impl ReviewDb, id: i64) -> Result<Option<Orphan>> {
    match target_row(db, id)? {
        Some(t) if t.state != "attached" => Ok(Some(orphan_of(db, t)?)),
        _ => Ok(None),
    }
}

/// Puts the changes of orphan `orphan` onto `event`, an event of the same document
/// (merged after any changes that event has already). Refused when the result would
/// not be a valid event. Returns the event as stored now.
pub fn reattach(
    db: &mut impl ReviewDb,
    orphan: i64,
    event: EventId,
    user: &User,
    note: Option<&str>,
) -> Result<Event> {
    let no_orphan = || bad(format!("no orphan #{orphan}"));
    let t = target_row(db, orphan)?.ok_or_else(no_orphan)?;
    db.lock_document(t.document_id)?;
    // Read again under the lock: a worker re-coding the document may have moved it.
    let t = target_row(db, orphan)?.ok_or_else(no_orphan)?;
    if t.state == "attached" {
        return Err(bad(format!(
            "#{orphan} is attached to an event already; only orphans are re-attached"
        )));
    }
    let (event_document, _, events, at) = locate(db, event)?;
    if event_document != t.document_id {
        return Err(bad(format!(
            "event #{} is not in document {:?} (#{}) of orphan #{orphan}",
            event.0, t.doc_id, t.document_id
        )));
    }
    let e = &events[at];
    let home = match attached_target(db, t.document_id, &e.key)? {
        // The event has changes of its own: the orphan's join them (by id, so the
        // newest change of a field still wins).
        Some(h) => {
            db.execute(
                "UPDATE review_corrections SET target_id = ? WHERE target_id = ?",
                &[Val::int(h), Val::int(orphan)],
            )?;
            db.execute(
                "DELETE FROM review_targets WHERE id = ?",
                &[Val::int(orphan)],
            )?;
            h
        }
        None => {
            db.execute(
                "UPDATE review_targets SET state = 'attached', reason = NULL, event_key = ?,
                     original = ?, pieces = ?, changed_at = ? WHERE id = ?",
                &[
                    Val::text(&e.key),
                    Val::text(json("event", &e.original)?),
                    Val::int(pieces(&events, at)),
                    Val::text(now()),
                    Val::int(orphan),
                ],
            )?;
            orphan
        }
    };
    let eff = checked_effective(&e.original, &changes_of(db, home)?)?;
    apply(db, e, &t.doc_id, Some(home))?;
    audit(
        db,
        Some(user),
        "reattach",
        &format!("target:{orphan}"),
        &serde_json::json!({
            "doc_id": t.doc_id, "from_key": t.key, "event": event.0, "event_key": e.key,
            "reason": t.reason, "note": note,
        }),
    )?;
    Ok(eff.event)
}

/// Sets orphan `orphan` aside: its changes stay on record and are applied to nothing
/// (re-attaching it later is still possible).
pub fn dismiss_orphan(
    db: &mut impl ReviewDb,
    orphan: i64,
    user: &User,
    note: Option<&str>,
) -> Result<()> {
    let changed = db.execute(
        "UPDATE review_targets SET state = 'dismissed', changed_at = ? WHERE id = ? AND state = 'orphan'",
        &[Val::text(now()), Val::int(orphan)],
    )?;
    if changed == 0 {
        return Err(bad(format!("no orphan #{orphan}")));
    }
    audit(
        db,
        Some(user),
        "dismiss_orphan",
        &format!("target:{orphan}"),
        &serde_json::json!({"note": note}),
    )
}

/// Reconciles, once, every document that has review targets (used when a store's
/// review predates targets, so its events may have been re-coded without their
/// corrections). The caller holds a write transaction.
pub fn reconcile_all(db: &mut impl ReviewDb) -> Result<()> {
    let docs = db.query(
        "SELECT DISTINCT document_id FROM review_targets ORDER BY document_id",
        &[],
    )?;
    for r in docs {
        let d = r.int(0)?;
        db.lock_document(d)?;
        reconcile_document(db, d)?;
    }
    Ok(())
}
