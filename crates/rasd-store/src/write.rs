//! Writes to the spine's tables, shared by [`crate::Store`] and [`crate::Batch`].

use crate::filter::actor_norm;
use crate::plan::text_key;
use crate::{DocumentId, EventId, PutDocument, Result, StoreError, content_hash, fold_for_index};
use rasd_model::{Article, Event, Origin, RawDocument};
use rusqlite::{Connection, OptionalExtension, params};

fn json<T: serde::Serialize>(what: &'static str, value: &T) -> Result<String> {
    serde_json::to_string(value).map_err(|source| StoreError::Serialise { what, source })
}

fn now() -> String {
    jiff::Timestamp::now().to_string()
}

pub(crate) fn origin_columns(origin: &Origin) -> (&'static str, Option<&str>) {
    match origin {
        Origin::File { path } => ("file", Some(path.as_str())),
        Origin::Url { url } => ("url", Some(url.as_str())),
        Origin::Inline => ("inline", None),
    }
}

pub(crate) fn put_document(conn: &Connection, doc: &RawDocument) -> Result<PutDocument> {
    let hash = content_hash(&doc.bytes);
    let (origin_kind, origin) = origin_columns(&doc.origin);
    let kind = json("document kind", &doc.kind)?;
    let kind = kind.trim_matches('"');
    let inserted: Option<i64> = conn
        .prepare_cached(
            "INSERT INTO documents (doc_id, content_hash, origin_kind, origin, kind, meta, bytes, size, seen_at)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)
             ON CONFLICT (content_hash) DO NOTHING
             RETURNING id",
        )?
        .query_row(
            params![
                doc.doc_id,
                hash,
                origin_kind,
                origin,
                kind,
                json("document meta", &doc.meta)?,
                doc.bytes,
                doc.bytes.len() as i64,
                now()
            ],
            |r| r.get(0),
        )
        .optional()?;
    if let Some(id) = inserted {
        return Ok(PutDocument::Inserted(DocumentId(id)));
    }
    let id: i64 = conn.query_row(
        "SELECT id FROM documents WHERE content_hash = ?1",
        [&hash],
        |r| r.get(0),
    )?;
    Ok(PutDocument::Existing(DocumentId(id)))
}

fn doc_id_of(conn: &Connection, id: DocumentId) -> Result<String> {
    conn.query_row("SELECT doc_id FROM documents WHERE id = ?1", [id.0], |r| {
        r.get(0)
    })
    .optional()?
    .ok_or(StoreError::NoDocument(id.0))
}

pub(crate) fn put_article(conn: &Connection, id: DocumentId, article: &Article) -> Result<()> {
    let doc_id = doc_id_of(conn, id)?;
    conn.execute(
        "INSERT OR REPLACE INTO articles
             (document_id, doc_id, url, source, title, published, published_day, dateline,
              text, paragraphs, article, extracted_at)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12)",
        params![
            id.0,
            doc_id,
            article.url,
            article.source,
            article.title,
            article.published.map(|p| p.to_string()),
            article.published.map(|p| p.date.to_string()),
            article.dateline,
            article.text,
            json("paragraphs", &article.paragraphs)?,
            json("article", article)?,
            now()
        ],
    )?;
    conn.execute("DELETE FROM articles_fts WHERE rowid = ?1", [id.0])?;
    conn.execute(
        "INSERT INTO articles_fts (rowid, title, body) VALUES (?1, ?2, ?3)",
        params![
            id.0,
            fold_for_index(article.title.as_deref().unwrap_or("")),
            fold_for_index(&article.text)
        ],
    )?;
    Ok(())
}

/// The text the event index holds for one event: evidence, place and actors.
pub(crate) fn event_index_text(event: &Event) -> String {
    let loc = &event.location;
    let mut parts: Vec<&str> = event.evidence.iter().map(String::as_str).collect();
    parts.push(&loc.name);
    parts.extend(loc.admin1.as_deref());
    parts.extend(loc.admin2.as_deref());
    parts.extend(loc.admin3.as_deref());
    parts.push(&event.actor1);
    parts.extend(event.actor2.as_deref());
    parts.extend(event.assoc_actor1.iter().map(String::as_str));
    parts.extend(event.assoc_actor2.iter().map(String::as_str));
    fold_for_index(&parts.join("\n"))
}

fn key(s: Option<&str>) -> Option<String> {
    s.map(fold_for_index)
}

pub(crate) fn put_events(
    conn: &Connection,
    id: DocumentId,
    events: &[Event],
) -> Result<Vec<EventId>> {
    let ids = replace_events(conn, id, events)?;
    // In the same transaction, so no reader sees the new events without their review.
    crate::review::reconcile_document(conn, id.0)?;
    Ok(ids)
}

/// Replaces the events of document `id` as the coder wrote them (no review applied).
pub(crate) fn replace_events(
    conn: &Connection,
    id: DocumentId,
    events: &[Event],
) -> Result<Vec<EventId>> {
    let doc_id = doc_id_of(conn, id)?;
    let old: Vec<(i64, String)> = conn
        .prepare_cached("SELECT id, date_start FROM events WHERE document_id = ?1")?
        .query_map([id.0], |r| Ok((r.get(0)?, r.get(1)?)))?
        .collect::<rusqlite::Result<_>>()?;
    for (event_id, date_start) in &old {
        unindex_event(conn, *event_id, date_start)?;
    }
    conn.execute("DELETE FROM events WHERE document_id = ?1", [id.0])?;
    let coded_at = now();
    let mut insert = conn.prepare_cached(
        "INSERT INTO events (document_id, doc_id, ordinal, event_type, sub_event_type,
             date_start, date_end, date_precision, location_name, location_key, admin1, admin1_key,
             admin2, admin2_key, admin3, country, location_precision, lat, lon, place_id,
             actor1, assoc_actor1, actor2, assoc_actor2, fatalities, fatalities_vague,
             fatalities_by_side, injured, injured_vague, arrested, arrested_vague, confidence,
             event, coded_at)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?16, ?17, ?18,
                 ?19, ?20, ?21, ?22, ?23, ?24, ?25, ?26, ?27, ?28, ?29, ?30, ?31, ?32, ?33, ?34)
         RETURNING id",
    )?;
    let mut evidence = conn.prepare_cached(
        "INSERT INTO evidence (event_id, ordinal, text, char_start, char_end) VALUES (?1, ?2, ?3, ?4, ?5)",
    )?;
    let mut ids = Vec::with_capacity(events.len());
    for (ordinal, e) in events.iter().enumerate() {
        let loc = &e.location;
        let event_id: i64 = insert.query_row(
            params![
                id.0,
                doc_id,
                ordinal as i64,
                e.event_type.as_str(),
                e.sub_event_type.as_str(),
                e.date_start.to_string(),
                e.date_end.to_string(),
                e.date_precision.as_str(),
                loc.name,
                fold_for_index(&loc.name),
                loc.admin1,
                key(loc.admin1.as_deref()),
                loc.admin2,
                key(loc.admin2.as_deref()),
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
                e.confidence,
                json("event", e)?,
                coded_at,
            ],
            |r| r.get(0),
        )?;
        for (k, (text, span)) in e.evidence_with_spans().enumerate() {
            evidence.execute(params![
                event_id,
                k as i64,
                text,
                span.map(|s| s.start as i64),
                span.map(|s| s.end as i64)
            ])?;
        }
        index_event(conn, event_id, e)?;
        ids.push(EventId(event_id));
    }
    Ok(ids)
}

/// The actor names of an event: actor1, actor2 and the associated actors.
fn actor_names(event: &Event) -> impl Iterator<Item = &str> {
    std::iter::once(event.actor1.as_str())
        .chain(event.actor2.as_deref())
        .chain(event.assoc_actor1.iter().map(String::as_str))
        .chain(event.assoc_actor2.iter().map(String::as_str))
}

/// Adds event `id` (as stored, `e`) to the text index (`events_text`, keyed by date)
/// and the actor index (`actor_names`, `event_actors`). Every write of an events row
/// calls this, after [`unindex_event`] for a row being rewritten.
pub(crate) fn index_event(conn: &Connection, id: i64, e: &Event) -> Result<()> {
    conn.prepare_cached("INSERT INTO events_text (rowid, body) VALUES (?1, ?2)")?
        .execute(params![text_key(e.date_start, id), event_index_text(e)])?;
    // The longest span only grows (a safe bound for plan::start_floor); the UPDATE
    // writes nothing unless this event is longer.
    let days = (e.date_end - e.date_start).get_days();
    conn.prepare_cached(
        "UPDATE store_meta SET value = ?1 WHERE key = 'max_event_days' AND CAST(value AS INTEGER) < ?1",
    )?
    .execute([i64::from(days)])?;
    let date_start = e.date_start.to_string();
    for name in actor_names(e) {
        let norm = actor_norm(name);
        if norm.is_empty() {
            continue;
        }
        let known: Option<i64> = conn
            .prepare_cached("SELECT id FROM actor_names WHERE norm = ?1")?
            .query_row([&norm], |r| r.get(0))
            .optional()?;
        let actor_id = match known {
            Some(a) => a,
            None => conn
                .prepare_cached(
                    "INSERT INTO actor_names (name, norm) VALUES (?1, ?2) RETURNING id",
                )?
                .query_row(params![name.trim(), norm], |r| r.get(0))?,
        };
        conn.prepare_cached(
            "INSERT OR IGNORE INTO event_actors (actor_id, date_start, event_id) VALUES (?1, ?2, ?3)",
        )?
        .execute(params![actor_id, date_start, id])?;
    }
    Ok(())
}

/// Takes event `id`, whose stored first day is `date_start` (YYYY-MM-DD), out of the
/// text and actor indexes.
pub(crate) fn unindex_event(conn: &Connection, id: i64, date_start: &str) -> Result<()> {
    if let Ok(day) = date_start.parse::<jiff::civil::Date>() {
        conn.prepare_cached("DELETE FROM events_text WHERE rowid = ?1")?
            .execute([text_key(day, id)])?;
    }
    conn.prepare_cached("DELETE FROM event_actors WHERE event_id = ?1")?
        .execute([id])?;
    Ok(())
}

/// A probe whose folding changes whenever `rasd_arabic::fold` changes in a way that
/// matters to the indexes (diacritics, alef forms, ya, digits, tatweel).
const FOLD_PROBE: &str = "إِنَّ أحمد آمن ـ على ٣ مدارس قرى «الرَّقة» ٤٥";

/// Rebuilds the full-text indexes and place keys when the folding they were built
/// with differs from the current one (a newer rasd normalises differently).
pub(crate) fn refresh_folding(conn: &mut Connection) -> Result<()> {
    let fingerprint = fold_for_index(FOLD_PROBE);
    let stored: Option<String> = conn
        .query_row(
            "SELECT value FROM store_meta WHERE key = 'fold_probe'",
            [],
            |r| r.get(0),
        )
        .optional()?;
    if stored.as_deref() == Some(fingerprint.as_str()) {
        return Ok(());
    }
    let tx = conn.transaction_with_behavior(rusqlite::TransactionBehavior::Immediate)?;
    // Another connection may have rebuilt them while this one waited for the lock.
    let stored: Option<String> = tx
        .query_row(
            "SELECT value FROM store_meta WHERE key = 'fold_probe'",
            [],
            |r| r.get(0),
        )
        .optional()?;
    if stored.as_deref() == Some(fingerprint.as_str()) {
        return Ok(());
    }
    // No probe: a new store (nothing to index) or one whose indexes a migration
    // emptied (0004); a different probe: the folding changed. Either way, rebuild.
    tracing::info!("rebuilding the text and actor indexes");
    reindex(&tx)?;
    tx.execute(
        "INSERT OR REPLACE INTO store_meta (key, value) VALUES ('fold_probe', ?1)",
        [&fingerprint],
    )?;
    tx.commit()?;
    Ok(())
}

/// Page cache (KiB) while rebuilding: the actor index is keyed by actor and day, so a
/// rebuild inserts all over its B-tree, which the default 2 MB cache would thrash.
const REINDEX_CACHE_KIB: i64 = 256 * 1024;

/// Rebuilds every folded index and key from the stored events and articles.
pub(crate) fn reindex(conn: &Connection) -> Result<()> {
    let cache: i64 = conn.pragma_query_value(None, "cache_size", |r| r.get(0))?;
    conn.pragma_update(None, "cache_size", -REINDEX_CACHE_KIB)?;
    let out = reindex_all(conn).and_then(|()| {
        // One segment per index: a bulk load leaves many, and every lookup of a
        // word (or a row, by rowid) searches each of them.
        conn.execute_batch(
            "INSERT INTO events_text (events_text) VALUES ('optimize');
             INSERT INTO articles_fts (articles_fts) VALUES ('optimize');",
        )?;
        Ok(())
    });
    conn.pragma_update(None, "cache_size", cache)?;
    out
}

fn reindex_all(conn: &Connection) -> Result<()> {
    conn.execute_batch(
        "INSERT INTO events_text (events_text) VALUES ('delete-all');
         INSERT INTO articles_fts (articles_fts) VALUES ('delete-all');
         DELETE FROM event_actors;
         DELETE FROM actor_names;
         INSERT OR REPLACE INTO store_meta (key, value) VALUES ('max_event_days', '0');",
    )?;
    // In slices by id, so a store of a million events is never held in memory at once.
    let mut rows =
        conn.prepare("SELECT id, event FROM events WHERE id > ?1 ORDER BY id LIMIT 5000")?;
    // Only rows whose keys change are rewritten: a rebuild after a migration (same
    // folding) then writes the indexes alone, not every events row again.
    let mut update = conn.prepare(
        "UPDATE events SET location_key = ?2, admin1_key = ?3, admin2_key = ?4
         WHERE id = ?1 AND (location_key IS NOT ?2 OR admin1_key IS NOT ?3 OR admin2_key IS NOT ?4)",
    )?;
    let mut last = i64::MIN;
    loop {
        let slice = rows
            .query_map([last], |r| {
                Ok((r.get::<_, i64>(0)?, r.get::<_, String>(1)?))
            })?
            .collect::<rusqlite::Result<Vec<_>>>()?;
        let Some(&(end, _)) = slice.last() else {
            break;
        };
        for (id, j) in slice {
            let e: Event = serde_json::from_str(&j).map_err(|source| StoreError::Corrupt {
                what: "event",
                id,
                source,
            })?;
            update.execute(params![
                id,
                fold_for_index(&e.location.name),
                key(e.location.admin1.as_deref()),
                key(e.location.admin2.as_deref())
            ])?;
            index_event(conn, id, &e)?;
        }
        last = end;
    }
    let mut rows = conn.prepare("SELECT document_id, title, text FROM articles")?;
    let mut fts =
        conn.prepare("INSERT INTO articles_fts (rowid, title, body) VALUES (?1, ?2, ?3)")?;
    let all = rows
        .query_map([], |r| {
            Ok((
                r.get::<_, i64>(0)?,
                r.get::<_, Option<String>>(1)?,
                r.get::<_, String>(2)?,
            ))
        })?
        .collect::<rusqlite::Result<Vec<_>>>()?;
    for (id, title, text) in all {
        fts.execute(params![
            id,
            fold_for_index(title.as_deref().unwrap_or("")),
            fold_for_index(&text)
        ])?;
    }
    Ok(())
}
