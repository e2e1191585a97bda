//! The review workflow on PostgreSQL (migration 0004): the same semantics as the
//! embedded store's `rasd_store::review` — analysts, changes hanging off targets,
//! targets re-attached by `rasd_store::reconcile` whenever a document's events are
//! written ([`PgBatch::put_events`](crate::PgBatch::put_events)), in that
//! transaction, orphans listed and re-attached, an audit log.
//!
//! Only the SQL differs. Writers that touch one document's events (a worker
//! re-coding it, an analyst correcting one of them) first lock the document's row
//! (`SELECT … FOR UPDATE`), so they take turns per document and never see each
//! other's half-written state.

use crate::{PgStore, PgStoreError, Result, json};
use postgres::GenericClient;
use rasd_model::Event;
use rasd_store::reconcile::{self, Change, Decision, Effective, TargetState};
use rasd_store::review::{
    AuditEntry, CorrectionRecord, EventReview, Orphan, User, check_changes, checked_effective,
    token_hash,
};
use rasd_store::{EventId, StoreError, fold_for_index};
use serde_json::Value;

fn now() -> String {
    jiff::Timestamp::now().to_string()
}

fn bad(msg: impl Into<String>) -> PgStoreError {
    PgStoreError::Review(StoreError::BadCorrection(msg.into()))
}

fn parse_event(what: &'static str, id: i64, s: &str) -> Result<Event> {
    serde_json::from_str(s).map_err(|source| PgStoreError::Corrupt { what, id, source })
}

struct DocEvent {
    id: i64,
    key: String,
    original: Event,
    current: Event,
    reviewed: bool,
}

/// Takes the document's row lock: writers of one document's events and review take
/// turns.
pub(crate) fn lock_document(c: &mut impl GenericClient, document_id: i64) -> Result<()> {
    c.query_opt(
        "SELECT 1 FROM documents WHERE id = $1 FOR UPDATE",
        &[&document_id],
    )?;
    Ok(())
}

fn document_events(c: &mut impl GenericClient, document_id: i64) -> Result<Vec<DocEvent>> {
    let rows = c.query(
        "SELECT e.id, e.event, ra.original
         FROM events e LEFT JOIN review_applied ra ON ra.event_id = e.id
         WHERE e.document_id = $1 ORDER BY e.ordinal",
        &[&document_id],
    )?;
    let mut out = Vec::with_capacity(rows.len());
    for r in rows {
        let id: i64 = r.get(0);
        let current = parse_event("event", id, r.get(1))?;
        let original: Option<String> = r.get(2);
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

/// (document, doc_id, its events, index of `id`), with the document locked.
fn locate(c: &mut impl GenericClient, id: EventId) -> Result<(i64, String, Vec<DocEvent>, usize)> {
    let no_event = || PgStoreError::Review(StoreError::NoEvent(id.0));
    let row = c
        .query_opt(
            "SELECT document_id, doc_id FROM events WHERE id = $1",
            &[&id.0],
        )?
        .ok_or_else(no_event)?;
    let (document_id, doc_id): (i64, String) = (row.get(0), row.get(1));
    lock_document(c, document_id)?;
    // Read again under the lock: a worker may have re-coded the document meanwhile.
    let events = document_events(c, document_id)?;
    let at = events
        .iter()
        .position(|e| e.id == id.0)
        .ok_or_else(no_event)?;
    Ok((document_id, doc_id, events, at))
}

fn attached_target(c: &mut impl GenericClient, document_id: i64, key: &str) -> Result<Option<i64>> {
    Ok(c
        .query_opt(
            "SELECT id FROM review_targets WHERE document_id = $1 AND event_key = $2 AND state = 'attached'",
            &[&document_id, &key],
        )?
        .map(|r| r.get(0)))
}

fn ensure_target(
    c: &mut impl GenericClient,
    document_id: i64,
    doc_id: &str,
    events: &[DocEvent],
    at: usize,
) -> Result<i64> {
    let e = &events[at];
    if let Some(t) = attached_target(c, document_id, &e.key)? {
        return Ok(t);
    }
    let originals: Vec<Event> = events.iter().map(|d| d.original.clone()).collect();
    let pieces = reconcile::descendants(&e.original, &originals).len().max(1) as i32;
    Ok(c.query_one(
        "INSERT INTO review_targets (document_id, doc_id, event_key, original, pieces, state, changed_at)
         VALUES ($1, $2, $3, $4, $5, 'attached', $6) RETURNING id",
        &[&document_id, &doc_id, &e.key, &json("event", &e.original)?, &pieces, &now()],
    )?
    .get(0))
}

fn corrections_of(c: &mut impl GenericClient, target: i64) -> Result<Vec<CorrectionRecord>> {
    let rows = c.query(
        "SELECT c.id, c.kind, c.field, c.value, c.note, u.name, c.created_at
         FROM review_corrections c JOIN review_users u ON u.id = c.user_id
         WHERE c.target_id = $1 ORDER BY c.id",
        &[&target],
    )?;
    Ok(rows
        .iter()
        .map(|r| {
            let value: String = r.get(3);
            CorrectionRecord {
                id: r.get(0),
                kind: r.get(1),
                field: r.get(2),
                value: serde_json::from_str(&value).unwrap_or(Value::String(value)),
                note: r.get(4),
                user: r.get(5),
                created_at: r.get(6),
            }
        })
        .collect())
}

fn changes_of(c: &mut impl GenericClient, target: i64) -> Result<Vec<Change>> {
    Ok(corrections_of(c, target)?
        .iter()
        .map(CorrectionRecord::change)
        .collect())
}

/// Rewrites the events row `id` with `e` (every filtered column and the JSON).
fn write_event(c: &mut impl GenericClient, id: i64, e: &Event) -> Result<()> {
    let loc = &e.location;
    let (actors, search) = crate::derived_columns(e);
    c.execute(
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
    )?;
    Ok(())
}

fn apply(
    c: &mut impl GenericClient,
    e: &DocEvent,
    doc_id: &str,
    target: Option<i64>,
) -> Result<()> {
    let Some(target) = target else {
        if e.reviewed {
            if e.current != e.original {
                write_event(c, e.id, &e.original)?;
            }
            c.execute("DELETE FROM review_applied WHERE event_id = $1", &[&e.id])?;
        }
        return Ok(());
    };
    let eff = reconcile::effective(&e.original, &changes_of(c, target)?)?;
    if eff.event != e.current {
        write_event(c, e.id, &eff.event)?;
    }
    c.execute(
        "INSERT INTO review_applied (event_id, doc_id, event_key, original, corrected, wrong, incident_group)
         VALUES ($1, $2, $3, $4, $5, $6, $7)
         ON CONFLICT (event_id) DO UPDATE SET doc_id = $2, event_key = $3, original = $4,
             corrected = $5, wrong = $6, incident_group = $7",
        &[
            &e.id,
            &doc_id,
            &e.key,
            &json("event", &e.original)?,
            &eff.corrected,
            &eff.wrong,
            &eff.group,
        ],
    )?;
    Ok(())
}

fn audit(
    c: &mut impl GenericClient,
    user: Option<&User>,
    action: &str,
    target: &str,
    detail: &Value,
) -> Result<()> {
    c.execute(
        "INSERT INTO review_audit (at, user_id, action, target, detail) VALUES ($1, $2, $3, $4, $5)",
        &[
            &now(),
            &user.map(|u| u.id),
            &action,
            &target,
            &detail.to_string(),
        ],
    )?;
    Ok(())
}

/// The embedded store's `reconcile_document`: the document's targets re-attached to
/// its events as they are now, and applied. The caller holds the document's lock.
pub(crate) fn reconcile_document(c: &mut impl GenericClient, document_id: i64) -> Result<()> {
    let rows = c.query(
        "SELECT id, event_key, original, pieces, state FROM review_targets
         WHERE document_id = $1 AND state IN ('attached', 'orphan') ORDER BY id",
        &[&document_id],
    )?;
    // Most documents were never reviewed: answer that from the indexes alone, without
    // reading their events.
    if rows.is_empty() {
        let reviewed: bool = c
            .query_one(
                "SELECT EXISTS (SELECT 1 FROM events e JOIN review_applied ra ON ra.event_id = e.id
                                WHERE e.document_id = $1)",
                &[&document_id],
            )?
            .get(0);
        if !reviewed {
            return Ok(());
        }
    }
    let events = document_events(c, document_id)?;
    let doc_id: String = c
        .query_one(
            "SELECT doc_id FROM documents WHERE id = $1",
            &[&document_id],
        )?
        .get(0);
    let mut targets = Vec::with_capacity(rows.len());
    for r in rows {
        let id: i64 = r.get(0);
        let original: Option<String> = r.get(2);
        let pieces: Option<i32> = r.get(3);
        let state: String = r.get(4);
        targets.push(TargetState {
            id,
            key: r.get(1),
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
    for (t, d) in targets.iter().zip(&decisions) {
        let keeps = matches!(d, Decision::Attach { event, .. } if keys[*event] == t.key);
        if t.attached && !keeps {
            c.execute(
                "UPDATE review_targets SET state = 'orphan' WHERE id = $1",
                &[&t.id],
            )?;
        }
    }
    let mut owner: Vec<Option<i64>> = vec![None; events.len()];
    for (t, d) in targets.iter().zip(&decisions) {
        match *d {
            Decision::Attach { event, pieces } => {
                owner[event] = Some(t.id);
                let e = &events[event];
                let moved = !(t.attached && e.key == t.key);
                c.execute(
                    "UPDATE review_targets SET state = 'attached', reason = NULL, event_key = $2,
                         original = $3, pieces = $4,
                         changed_at = CASE WHEN $5 THEN $6 ELSE changed_at END
                     WHERE id = $1",
                    &[
                        &t.id,
                        &e.key,
                        &json("event", &e.original)?,
                        &(pieces as i32),
                        &moved,
                        &now(),
                    ],
                )?;
                if !t.attached {
                    audit(
                        c,
                        None,
                        "reattached_by_coder",
                        &format!("target:{}", t.id),
                        &serde_json::json!({"doc_id": doc_id, "event_key": e.key}),
                    )?;
                }
            }
            Decision::Orphan(reason) => {
                c.execute(
                    "UPDATE review_targets SET state = 'orphan', reason = $2,
                         changed_at = CASE WHEN $3 THEN $4 ELSE changed_at END
                     WHERE id = $1",
                    &[&t.id, &reason.as_str(), &t.attached, &now()],
                )?;
                if t.attached {
                    audit(
                        c,
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
        apply(c, e, &doc_id, target)?;
    }
    Ok(())
}

fn change_event(
    c: &mut impl GenericClient,
    id: EventId,
    user: &User,
    new: &[(Option<&str>, &str, Value)],
    note: Option<&str>,
) -> Result<(Effective, String, String)> {
    let (document_id, doc_id, events, at) = locate(c, id)?;
    let target = ensure_target(c, document_id, &doc_id, &events, at)?;
    let mut changes = changes_of(c, target)?;
    changes.extend(new.iter().map(|(field, kind, value)| Change {
        kind: (*kind).to_string(),
        field: field.map(str::to_string),
        value: value.clone(),
    }));
    let eff = checked_effective(&events[at].original, &changes)?;
    let key = events[at].key.clone();
    for (field, kind, value) in new {
        c.execute(
            "INSERT INTO review_corrections (target_id, doc_id, event_key, kind, field, value, note, user_id, created_at)
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)",
            &[&target, &doc_id, &key, kind, field, &value.to_string(), &note, &user.id, &now()],
        )?;
    }
    apply(c, &events[at], &doc_id, Some(target))?;
    Ok((eff, doc_id, key))
}

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

fn target_row(c: &mut impl GenericClient, id: i64) -> Result<Option<TargetRow>> {
    Ok(c.query_opt(
        "SELECT id, document_id, doc_id, event_key, original, state, reason, changed_at
             FROM review_targets WHERE id = $1",
        &[&id],
    )?
    .map(|r| TargetRow {
        id: r.get(0),
        document_id: r.get(1),
        doc_id: r.get(2),
        key: r.get(3),
        original: r.get(4),
        state: r.get(5),
        reason: r.get(6),
        changed_at: r.get(7),
    }))
}

fn orphan_of(c: &mut impl GenericClient, t: TargetRow) -> Result<Orphan> {
    let original = t
        .original
        .map(|o| parse_event("review target", t.id, &o))
        .transpose()?;
    let events = document_events(c, t.document_id)?
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
        corrections: corrections_of(c, t.id)?,
    })
}

fn user_of(r: &postgres::Row) -> User {
    User {
        id: r.get(0),
        name: r.get(1),
        created_at: r.get(2),
    }
}

impl PgStore {
    /// Registers an analyst; only the sha256 of `token` is kept.
    pub fn add_user(&mut self, name: &str, token: &str) -> Result<User> {
        let name = name.trim();
        if name.is_empty() || name.chars().count() > 64 || name.chars().any(char::is_control) {
            return Err(bad("a user name is 1 to 64 printable characters"));
        }
        if token.len() < 16 {
            return Err(bad("a token has at least 16 characters"));
        }
        let mut tx = self.client.transaction()?;
        let inserted = tx.query_opt(
            "INSERT INTO review_users (name, token_hash, created_at) VALUES ($1, $2, $3)
             ON CONFLICT (name) DO NOTHING RETURNING id, name, created_at",
            &[&name, &token_hash(token), &now()],
        )?;
        let user = inserted
            .as_ref()
            .map(user_of)
            .ok_or_else(|| bad(format!("user {name:?} exists already")))?;
        audit(
            &mut tx,
            None,
            "user_add",
            &format!("user:{name}"),
            &Value::Null,
        )?;
        tx.commit()?;
        Ok(user)
    }

    /// The analyst holding `token`, if any (and not disabled).
    pub fn user_for_token(&mut self, token: &str) -> Result<Option<User>> {
        Ok(self
            .client
            .query_opt(
                "SELECT id, name, created_at FROM review_users WHERE token_hash = $1 AND NOT disabled",
                &[&token_hash(token)],
            )?
            .as_ref()
            .map(user_of))
    }

    /// The analyst called `name`, if any (and not disabled).
    pub fn user_by_name(&mut self, name: &str) -> Result<Option<User>> {
        Ok(self
            .client
            .query_opt(
                "SELECT id, name, created_at FROM review_users WHERE name = $1 AND NOT disabled",
                &[&name.trim()],
            )?
            .as_ref()
            .map(user_of))
    }

    pub fn users(&mut self) -> Result<Vec<User>> {
        Ok(self
            .client
            .query(
                "SELECT id, name, created_at FROM review_users ORDER BY id",
                &[],
            )?
            .iter()
            .map(user_of)
            .collect())
    }

    /// Corrects fields of event `id`, as the embedded store does.
    pub fn correct_event(
        &mut self,
        id: EventId,
        user: &User,
        changes: &[(String, Value)],
        note: Option<&str>,
    ) -> Result<Event> {
        check_changes(changes)?;
        let mut tx = self.client.transaction()?;
        let new: Vec<(Option<&str>, &str, Value)> = changes
            .iter()
            .map(|(f, v)| (Some(f.as_str()), "field", v.clone()))
            .collect();
        let (eff, doc_id, key) = change_event(&mut tx, id, user, &new, note)?;
        let detail = serde_json::json!({
            "doc_id": doc_id, "event_key": key, "note": note,
            "changes": changes.iter().map(|(f, v)| (f.clone(), v.clone())).collect::<serde_json::Map<_, _>>(),
        });
        audit(
            &mut tx,
            Some(user),
            "correct",
            &format!("event:{}", id.0),
            &detail,
        )?;
        tx.commit()?;
        Ok(eff.event)
    }

    /// Marks event `id` wrong or clears the mark.
    pub fn mark_wrong(
        &mut self,
        id: EventId,
        user: &User,
        wrong: bool,
        note: Option<&str>,
    ) -> Result<()> {
        let mut tx = self.client.transaction()?;
        let (_, doc_id, key) = change_event(
            &mut tx,
            id,
            user,
            &[(None, "wrong", Value::Bool(wrong))],
            note,
        )?;
        let detail =
            serde_json::json!({"doc_id": doc_id, "event_key": key, "wrong": wrong, "note": note});
        audit(
            &mut tx,
            Some(user),
            "mark_wrong",
            &format!("event:{}", id.0),
            &detail,
        )?;
        tx.commit()?;
        Ok(())
    }

    /// Puts events `ids` into the analyst's incident `group` (`None`: back to
    /// automatic clustering).
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
        let mut tx = self.client.transaction()?;
        let value = group.map_or(Value::Null, |g| Value::String(g.to_string()));
        // Documents locked in id order, so two analysts grouping overlapping events
        // cannot deadlock.
        let mut docs: Vec<i64> = Vec::new();
        for id in ids {
            if let Some(r) =
                tx.query_opt("SELECT document_id FROM events WHERE id = $1", &[&id.0])?
            {
                docs.push(r.get(0));
            }
        }
        docs.sort_unstable();
        docs.dedup();
        for d in docs {
            lock_document(&mut tx, d)?;
        }
        for &id in ids {
            change_event(
                &mut tx,
                id,
                user,
                &[(None, "incident", value.clone())],
                note,
            )?;
        }
        let detail = serde_json::json!({
            "events": ids.iter().map(|i| i.0).collect::<Vec<_>>(), "group": group, "note": note,
        });
        audit(
            &mut tx,
            Some(user),
            action,
            &format!("group:{}", group.unwrap_or("-")),
            &detail,
        )?;
        tx.commit()?;
        Ok(())
    }

    /// The analyst incident groups in force: (event, group).
    pub fn incident_groups(&mut self) -> Result<Vec<(EventId, String)>> {
        Ok(self
            .client
            .query(
                "SELECT event_id, incident_group FROM review_applied
                 WHERE incident_group IS NOT NULL ORDER BY event_id",
                &[],
            )?
            .iter()
            .map(|r| (EventId(r.get(0)), r.get(1)))
            .collect())
    }

    /// The review state and change history of event `id`.
    pub fn event_review(&mut self, id: EventId) -> Result<Option<EventReview>> {
        let mut tx = self.client.transaction()?;
        let (document_id, _, mut events, at) = match locate(&mut tx, id) {
            Ok(k) => k,
            Err(PgStoreError::Review(StoreError::NoEvent(_))) => return Ok(None),
            Err(e) => return Err(e),
        };
        let e = events.swap_remove(at);
        let state = tx.query_opt(
            "SELECT corrected, wrong, incident_group FROM review_applied WHERE event_id = $1",
            &[&id.0],
        )?;
        let (corrected, wrong, incident_group) = state
            .map(|r| (r.get(0), r.get(1), r.get(2)))
            .unwrap_or((false, false, None));
        let corrections = match attached_target(&mut tx, document_id, &e.key)? {
            Some(t) => corrections_of(&mut tx, t)?,
            None => Vec::new(),
        };
        tx.commit()?;
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
    pub fn audit_log(&mut self, limit: u32) -> Result<Vec<AuditEntry>> {
        Ok(self
            .client
            .query(
                "SELECT a.id, a.at, u.name, a.action, a.target, a.detail
                 FROM review_audit a LEFT JOIN review_users u ON u.id = a.user_id
                 ORDER BY a.id DESC LIMIT $1",
                &[&i64::from(limit)],
            )?
            .iter()
            .map(|r| {
                let detail: String = r.get(5);
                AuditEntry {
                    id: r.get(0),
                    at: r.get(1),
                    user: r.get(2),
                    action: r.get(3),
                    target: r.get(4),
                    detail: serde_json::from_str(&detail).unwrap_or(Value::String(detail)),
                }
            })
            .collect())
    }

    /// Review work whose event re-coding took away, oldest first, with candidates.
    pub fn orphans(&mut self) -> Result<Vec<Orphan>> {
        let ids: Vec<i64> = self
            .client
            .query(
                "SELECT id FROM review_targets WHERE state = 'orphan' ORDER BY id",
                &[],
            )?
            .iter()
            .map(|r| r.get(0))
            .collect();
        let mut out = Vec::with_capacity(ids.len());
        for id in ids {
            if let Some(t) = target_row(&mut self.client, id)? {
                out.push(orphan_of(&mut self.client, t)?);
            }
        }
        Ok(out)
    }

    /// One orphan (or dismissed target) by id.
    pub fn orphan(&mut self, id: i64) -> Result<Option<Orphan>> {
        match target_row(&mut self.client, id)? {
            Some(t) if t.state != "attached" => Ok(Some(orphan_of(&mut self.client, t)?)),
            _ => Ok(None),
        }
    }

    /// Puts orphan `orphan`'s changes onto `event` of the same document.
    pub fn reattach(
        &mut self,
        orphan: i64,
        event: EventId,
        user: &User,
        note: Option<&str>,
    ) -> Result<Event> {
        let mut tx = self.client.transaction()?;
        let t = target_row(&mut tx, orphan)?.ok_or_else(|| bad(format!("no orphan #{orphan}")))?;
        lock_document(&mut tx, t.document_id)?;
        // Read again under the lock.
        let t = target_row(&mut tx, orphan)?.ok_or_else(|| bad(format!("no orphan #{orphan}")))?;
        if t.state == "attached" {
            return Err(bad(format!(
                "#{orphan} is attached to an event already; only orphans are re-attached"
            )));
        }
        let (event_document, _, events, at) = locate(&mut tx, event)?;
        if event_document != t.document_id {
            return Err(bad(format!(
                "event #{} is not in document {:?} (#{}) of orphan #{orphan}",
                event.0, t.doc_id, t.document_id
            )));
        }
        let e = &events[at];
        let home =
            match attached_target(&mut tx, t.document_id, &e.key)? {
                Some(h) => {
                    tx.execute(
                        "UPDATE review_corrections SET target_id = $1 WHERE target_id = $2",
                        &[&h, &orphan],
                    )?;
                    tx.execute("DELETE FROM review_targets WHERE id = $1", &[&orphan])?;
                    h
                }
                None => {
                    let originals: Vec<Event> = events.iter().map(|d| d.original.clone()).collect();
                    let pieces =
                        reconcile::descendants(&e.original, &originals).len().max(1) as i32;
                    tx.execute(
                    "UPDATE review_targets SET state = 'attached', reason = NULL, event_key = $2,
                         original = $3, pieces = $4, changed_at = $5 WHERE id = $1",
                    &[&orphan, &e.key, &json("event", &e.original)?, &pieces, &now()],
                )?;
                    orphan
                }
            };
        let changes = changes_of(&mut tx, home)?;
        let eff = checked_effective(&e.original, &changes)?;
        apply(&mut tx, e, &t.doc_id, Some(home))?;
        audit(
            &mut tx,
            Some(user),
            "reattach",
            &format!("target:{orphan}"),
            &serde_json::json!({
                "doc_id": t.doc_id, "from_key": t.key, "event": event.0, "event_key": e.key,
                "reason": t.reason, "note": note,
            }),
        )?;
        tx.commit()?;
        Ok(eff.event)
    }

    /// Sets orphan `orphan` aside (its changes stay on record, applied to nothing).
    pub fn dismiss_orphan(&mut self, orphan: i64, user: &User, note: Option<&str>) -> Result<()> {
        let mut tx = self.client.transaction()?;
        let n = tx.execute(
            "UPDATE review_targets SET state = 'dismissed', changed_at = $2 WHERE id = $1 AND state = 'orphan'",
            &[&orphan, &now()],
        )?;
        if n == 0 {
            return Err(bad(format!("no orphan #{orphan}")));
        }
        audit(
            &mut tx,
            Some(user),
            "dismiss_orphan",
            &format!("target:{orphan}"),
            &serde_json::json!({"note": note}),
        )?;
        tx.commit()?;
        Ok(())
    }
}

impl rasd_store::review::ReviewStore for PgStore {
    type Error = StoreError;
    fn add_user(&mut self, name: &str, token: &str) -> rasd_store::Result<User> {
        Ok(PgStore::add_user(self, name, token)?)
    }
    fn user_for_token(&mut self, token: &str) -> rasd_store::Result<Option<User>> {
        Ok(PgStore::user_for_token(self, token)?)
    }
    fn user_by_name(&mut self, name: &str) -> rasd_store::Result<Option<User>> {
        Ok(PgStore::user_by_name(self, name)?)
    }
    fn users(&mut self) -> rasd_store::Result<Vec<User>> {
        Ok(PgStore::users(self)?)
    }
    fn correct_event(
        &mut self,
        id: EventId,
        user: &User,
        changes: &[(String, Value)],
        note: Option<&str>,
    ) -> rasd_store::Result<Event> {
        Ok(PgStore::correct_event(self, id, user, changes, note)?)
    }
    fn mark_wrong(
        &mut self,
        id: EventId,
        user: &User,
        wrong: bool,
        note: Option<&str>,
    ) -> rasd_store::Result<()> {
        Ok(PgStore::mark_wrong(self, id, user, wrong, note)?)
    }
    fn set_incident_group(
        &mut self,
        ids: &[EventId],
        user: &User,
        group: Option<&str>,
        action: &str,
        note: Option<&str>,
    ) -> rasd_store::Result<()> {
        Ok(PgStore::set_incident_group(
            self, ids, user, group, action, note,
        )?)
    }
    fn incident_groups(&mut self) -> rasd_store::Result<Vec<(EventId, String)>> {
        Ok(PgStore::incident_groups(self)?)
    }
    fn event_review(&mut self, id: EventId) -> rasd_store::Result<Option<EventReview>> {
        Ok(PgStore::event_review(self, id)?)
    }
    fn audit_log(&mut self, limit: u32) -> rasd_store::Result<Vec<AuditEntry>> {
        Ok(PgStore::audit_log(self, limit)?)
    }
    fn orphans(&mut self) -> rasd_store::Result<Vec<Orphan>> {
        Ok(PgStore::orphans(self)?)
    }
    fn orphan(&mut self, id: i64) -> rasd_store::Result<Option<Orphan>> {
        Ok(PgStore::orphan(self, id)?)
    }
    fn reattach(
        &mut self,
        orphan: i64,
        event: EventId,
        user: &User,
        note: Option<&str>,
    ) -> rasd_store::Result<Event> {
        Ok(PgStore::reattach(self, orphan, event, user, note)?)
    }
    fn dismiss_orphan(
        &mut self,
        orphan: i64,
        user: &User,
        note: Option<&str>,
    ) -> rasd_store::Result<()> {
        Ok(PgStore::dismiss_orphan(self, orphan, user, note)?)
    }
}
