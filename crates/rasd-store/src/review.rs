//! The review workflow behind `rasd serve`: analysts (`review_users`, tokens kept as
//! sha256 only), their corrections (`review_corrections`, who and when, never
//! deleted), the review state of each stored event (`review_applied`) and the audit
//! log (`review_audit`). Migration `0003_review.sql`.
//!
//! Corrections are keyed by the article (`doc_id`) and a stable key of the event as
//! the coder wrote it ([`event_key`]), not by `events.id`: re-coding an article
//! replaces its events (new ids, the `review_applied` rows go with the old ones), and
//! [`Store::reapply_corrections`] writes the same corrections onto the new events.
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
//! Store::users(&self) -> Result<Vec<User>>
//! Store::correct_event(&mut self, id: EventId, user: &User, changes: &[(String, serde_json::Value)], note: Option<&str>) -> Result<Event>
//! Store::mark_wrong(&mut self, id: EventId, user: &User, wrong: bool, note: Option<&str>) -> Result<()>
//! Store::set_incident_group(&mut self, ids: &[EventId], user: &User, group: Option<&str>, action: &str, note: Option<&str>) -> Result<()>
//! Store::event_review(&self, id: EventId) -> Result<Option<EventReview>>
//! Store::incident_groups(&self) -> Result<Vec<(EventId, String)>>
//! Store::audit_log(&self, limit: u32) -> Result<Vec<AuditEntry>>
//! Store::reapply_corrections(&mut self) -> Result<usize>
//! ```

use crate::write::{index_event, unindex_event};
use crate::{EventId, Result, Store, StoreError, fold_for_index};
use rasd_model::Event;
use rusqlite::{Connection, OptionalExtension, params};
use serde::Serialize;
use serde_json::Value;

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

/// The stable key of an event within its article: type, first day, folded place and
/// folded first actor. Re-coding the same article with the same coder gives the same
/// keys; two events of one article with the same key are told apart by a `#n` suffix
/// in article order (see `document_keys`).
pub fn event_key(event: &Event) -> String {
    format!(
        "{}|{}|{}|{}",
        event.event_type.as_str(),
        event.date_start,
        fold_for_index(&event.location.name),
        fold_for_index(&event.actor1)
    )
}

fn now() -> String {
    jiff::Timestamp::now().to_string()
}

fn bad(msg: impl Into<String>) -> StoreError {
    StoreError::BadCorrection(msg.into())
}

fn parse_event(id: i64, json: &str) -> Result<Event> {
    serde_json::from_str(json).map_err(|source| StoreError::Corrupt {
        what: "event",
        id,
        source,
    })
}

/// Every event of `document_id` in article order: (event id, key, original JSON, has review row).
fn document_keys(conn: &Connection, document_id: i64) -> Result<Vec<(i64, String, String, bool)>> {
    let mut stmt = conn.prepare_cached(
        "SELECT e.id, coalesce(ra.original, e.event), ra.event_id IS NOT NULL
         FROM events e LEFT JOIN review_applied ra ON ra.event_id = e.id
         WHERE e.document_id = ?1 ORDER BY e.ordinal",
    )?;
    let rows = stmt
        .query_map([document_id], |r| {
            Ok((
                r.get::<_, i64>(0)?,
                r.get::<_, String>(1)?,
                r.get::<_, bool>(2)?,
            ))
        })?
        .collect::<rusqlite::Result<Vec<_>>>()?;
    let mut seen: std::collections::HashMap<String, u32> = std::collections::HashMap::new();
    let mut out = Vec::with_capacity(rows.len());
    for (id, json, reviewed) in rows {
        let base = event_key(&parse_event(id, &json)?);
        let n = seen.entry(base.clone()).or_insert(0);
        let key = if *n == 0 { base } else { format!("{base}#{n}") };
        *n += 1;
        out.push((id, key, json, reviewed));
    }
    Ok(out)
}

/// (doc_id, key, original JSON) of one event.
fn key_of(conn: &Connection, id: EventId) -> Result<(String, String, String)> {
    let (document_id, doc_id): (i64, String) = conn
        .query_row(
            "SELECT document_id, doc_id FROM events WHERE id = ?1",
            [id.0],
            |r| Ok((r.get(0)?, r.get(1)?)),
        )
        .optional()?
        .ok_or(StoreError::NoEvent(id.0))?;
    let (_, key, original, _) = document_keys(conn, document_id)?
        .into_iter()
        .find(|(eid, ..)| *eid == id.0)
        .ok_or(StoreError::NoEvent(id.0))?;
    Ok((doc_id, key, original))
}

fn set_path(root: &mut Value, path: &str, value: Value) -> Result<()> {
    let mut parts = path.split('.').peekable();
    let mut cur = root;
    while let Some(part) = parts.next() {
        let obj = cur
            .as_object_mut()
            .ok_or_else(|| bad(format!("{path}: not an object")))?;
        if parts.peek().is_none() {
            obj.insert(part.to_string(), value);
            return Ok(());
        }
        cur = obj
            .get_mut(part)
            .ok_or_else(|| bad(format!("{path}: no field {part}")))?;
    }
    Ok(())
}

struct Effective {
    event: Event,
    corrected: bool,
    wrong: bool,
    group: Option<String>,
}

/// The original with every stored correction of (doc_id, key) applied, plus `extra`.
fn effective(
    conn: &Connection,
    id: i64,
    doc_id: &str,
    key: &str,
    original: &str,
    extra: &[(String, Value)],
) -> Result<Effective> {
    let mut value: Value =
        serde_json::from_str(original).map_err(|source| StoreError::Corrupt {
            what: "event",
            id,
            source,
        })?;
    let mut stmt = conn.prepare_cached(
        "SELECT kind, field, value FROM review_corrections WHERE doc_id = ?1 AND event_key = ?2 ORDER BY id",
    )?;
    let rows = stmt
        .query_map(params![doc_id, key], |r| {
            Ok((
                r.get::<_, String>(0)?,
                r.get::<_, Option<String>>(1)?,
                r.get::<_, String>(2)?,
            ))
        })?
        .collect::<rusqlite::Result<Vec<_>>>()?;
    let (mut corrected, mut wrong, mut group) = (false, false, None);
    let mut fields: Vec<(String, Value)> = Vec::new();
    for (kind, field, v) in rows {
        let v: Value = serde_json::from_str(&v).map_err(|source| StoreError::Corrupt {
            what: "correction",
            id,
            source,
        })?;
        match (kind.as_str(), field) {
            ("field", Some(f)) => fields.push((f, v)),
            ("wrong", _) => wrong = v.as_bool().unwrap_or(false),
            ("incident", _) => group = v.as_str().map(str::to_string),
            _ => {}
        }
    }
    fields.extend(extra.iter().cloned());
    for (f, v) in fields {
        set_path(&mut value, &f, v)?;
        corrected = true;
    }
    let event: Event =
        serde_json::from_value(value).map_err(|e| bad(format!("the corrected event: {e}")))?;
    Ok(Effective {
        event,
        corrected,
        wrong,
        group,
    })
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

fn json<T: Serialize>(what: &'static str, value: &T) -> Result<String> {
    serde_json::to_string(value).map_err(|source| StoreError::Serialise { what, source })
}

/// Brings event `id` in line with the stored corrections and records its review row.
/// Returns whether the events row was rewritten.
fn apply(conn: &Connection, id: i64, doc_id: &str, key: &str, original: &str) -> Result<bool> {
    let eff = effective(conn, id, doc_id, key, original, &[])?;
    let current: String =
        conn.query_row("SELECT event FROM events WHERE id = ?1", [id], |r| r.get(0))?;
    let rewrite = parse_event(id, &current)? != eff.event;
    if rewrite {
        write_event(conn, id, &eff.event)?;
    }
    conn.prepare_cached(
        "INSERT INTO review_applied (event_id, doc_id, event_key, original, corrected, wrong, incident_group)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)
         ON CONFLICT (event_id) DO UPDATE SET doc_id = ?2, event_key = ?3, corrected = ?5,
             wrong = ?6, incident_group = ?7",
    )?
    .execute(params![id, doc_id, key, original, eff.corrected, eff.wrong, eff.group])?;
    Ok(rewrite)
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

/// `target` is (doc_id, event key).
fn insert_correction(
    conn: &Connection,
    (doc_id, key): (&str, &str),
    kind: &str,
    field: Option<&str>,
    value: &Value,
    note: Option<&str>,
    user: &User,
) -> Result<()> {
    conn.prepare_cached(
        "INSERT INTO review_corrections (doc_id, event_key, kind, field, value, note, user_id, created_at)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)",
    )?
    .execute(params![
        doc_id,
        key,
        kind,
        field,
        value.to_string(),
        note,
        user.id,
        now()
    ])?;
    Ok(())
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
        let tx = self
            .conn
            .transaction_with_behavior(rusqlite::TransactionBehavior::Immediate)?;
        let (doc_id, key, original) = key_of(&tx, id)?;
        let eff = effective(&tx, id.0, &doc_id, &key, &original, changes)?;
        let errors = eff.event.validate();
        if !errors.is_empty() {
            let list: Vec<String> = errors.iter().map(ToString::to_string).collect();
            return Err(bad(list.join("; ")));
        }
        for (f, v) in changes {
            insert_correction(&tx, (&doc_id, &key), "field", Some(f), v, note, user)?;
        }
        apply(&tx, id.0, &doc_id, &key, &original)?;
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
        let (doc_id, key, original) = key_of(&tx, id)?;
        insert_correction(
            &tx,
            (&doc_id, &key),
            "wrong",
            None,
            &Value::Bool(wrong),
            note,
            user,
        )?;
        apply(&tx, id.0, &doc_id, &key, &original)?;
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
            let (doc_id, key, original) = key_of(&tx, id)?;
            insert_correction(&tx, (&doc_id, &key), "incident", None, &value, note, user)?;
            apply(&tx, id.0, &doc_id, &key, &original)?;
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
        let (doc_id, key, original) = match key_of(&self.conn, id) {
            Ok(k) => k,
            Err(StoreError::NoEvent(_)) => return Ok(None),
            Err(e) => return Err(e),
        };
        let state: Option<(bool, bool, Option<String>)> = self
            .conn
            .prepare_cached(
                "SELECT corrected, wrong, incident_group FROM review_applied WHERE event_id = ?1",
            )?
            .query_row([id.0], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)))
            .optional()?;
        let (corrected, wrong, incident_group) = state.unwrap_or((false, false, None));
        let mut stmt = self.conn.prepare_cached(
            "SELECT c.id, c.kind, c.field, c.value, c.note, u.name, c.created_at
             FROM review_corrections c JOIN review_users u ON u.id = c.user_id
             WHERE c.doc_id = ?1 AND c.event_key = ?2 ORDER BY c.id",
        )?;
        let corrections = stmt
            .query_map(params![doc_id, key], |r| {
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
        Ok(Some(EventReview {
            event_key: key,
            original: parse_event(id.0, &original)?,
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

    /// Re-applies stored corrections to events that have not been checked against
    /// them yet (events written since, e.g. by re-coding an article). Cheap when
    /// nothing changed: only the documents that have corrections are looked at.
    /// Returns how many events rows were rewritten.
    pub fn reapply_corrections(&mut self) -> Result<usize> {
        let docs: Vec<i64> = {
            let mut stmt = self.conn.prepare_cached(
                "SELECT DISTINCT e.document_id
                 FROM (SELECT DISTINCT doc_id FROM review_corrections) c
                 JOIN documents d ON d.doc_id = c.doc_id
                 JOIN events e ON e.document_id = d.id
                 WHERE NOT EXISTS (SELECT 1 FROM review_applied ra WHERE ra.event_id = e.id)",
            )?;
            stmt.query_map([], |r| r.get(0))?
                .collect::<rusqlite::Result<Vec<_>>>()?
        };
        if docs.is_empty() {
            return Ok(0);
        }
        let tx = self
            .conn
            .transaction_with_behavior(rusqlite::TransactionBehavior::Immediate)?;
        let mut rewritten = 0;
        for document_id in docs {
            let doc_id: String = tx.query_row(
                "SELECT doc_id FROM documents WHERE id = ?1",
                [document_id],
                |r| r.get(0),
            )?;
            for (id, key, original, reviewed) in document_keys(&tx, document_id)? {
                if !reviewed && apply(&tx, id, &doc_id, &key, &original)? {
                    rewritten += 1;
                }
            }
        }
        tx.commit()?;
        Ok(rewritten)
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
    fn corrections_survive_recoding() {
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

        // Re-code: the same events come back with new ids, uncorrected.
        let new_ids = store
            .put_events(d, &[event("تلكلخ", 5), event("القصير", 2)])
            .unwrap();
        assert_eq!(store.reapply_corrections().unwrap(), 1);
        let e = store.get_event(new_ids[1]).unwrap().unwrap().event;
        assert_eq!(e.fatalities, Some(3));
        let review = store.event_review(new_ids[1]).unwrap().unwrap();
        assert_eq!(review.original.fatalities, Some(2));
        assert_eq!(review.corrections.len(), 1);
        assert_eq!(review.corrections[0].user, "mona");
        assert!(store.event_review(new_ids[0]).unwrap().unwrap().wrong);
        assert_eq!(store.count_events(&filter).unwrap(), 1);
        assert_eq!(store.reapply_corrections().unwrap(), 0);
        let log = store.audit_log(10).unwrap();
        assert_eq!(log[0].action, "mark_wrong");
        assert!(log.iter().any(|a| a.action == "correct"));
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
