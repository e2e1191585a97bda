//! Reads: events (by id, by document, by filter), documents, integrity checks.

use crate::backend::EventRowValues;
use crate::filter::EventFilter;
use crate::filter::SqlValue as Value;
use crate::{DocumentId, EventId, Result, StoreError, StoredDocument, StoredEvent};
use rasd_model::{ContentKind, Origin};
use rusqlite::{Connection, OptionalExtension, Row, params_from_iter};

/// SQLite stores `coded_at` as RFC 3339 text already.
static EVENT_COLUMNS: std::sync::LazyLock<String> =
    std::sync::LazyLock::new(|| crate::backend::event_columns("e.coded_at"));
use crate::backend::EVENT_FROM;

/// One row of [`EVENT_COLUMNS`] (the mapping itself is shared with PostgreSQL).
pub(crate) fn stored_event(r: &Row<'_>) -> rusqlite::Result<EventRowValues> {
    Ok(EventRowValues {
        id: r.get(0)?,
        document_id: r.get(1)?,
        doc_id: r.get(2)?,
        ordinal: r.get(3)?,
        event: r.get(4)?,
        coded_at: r.get(5)?,
        source: r.get(6)?,
        url: r.get(7)?,
        title: r.get(8)?,
        published: r.get(9)?,
    })
}

/// The `SELECT … FROM` of a [`StoredEvent`].
pub(crate) fn select_events() -> String {
    format!("SELECT {} {EVENT_FROM}", *EVENT_COLUMNS)
}

fn collect(conn: &Connection, sql: &str, params: Vec<Value>) -> Result<Vec<StoredEvent>> {
    let mut stmt = conn.prepare_cached(sql)?;
    let rows = stmt
        .query_map(params_from_iter(params), stored_event)?
        .collect::<rusqlite::Result<Vec<_>>>()?;
    rows.into_iter().map(EventRowValues::finish).collect()
}

pub(crate) fn get_event(conn: &Connection, id: EventId) -> Result<Option<StoredEvent>> {
    let sql = format!("{} WHERE e.id = ?1", select_events());
    let row = conn
        .prepare_cached(&sql)?
        .query_row([id.0], stored_event)
        .optional()?;
    row.map(EventRowValues::finish).transpose()
}

pub(crate) fn document_events(conn: &Connection, id: DocumentId) -> Result<Vec<StoredEvent>> {
    let sql = format!(
        "{} WHERE e.document_id = ?1 ORDER BY e.ordinal",
        select_events()
    );
    collect(conn, &sql, vec![Value::Integer(id.0)])
}

pub(crate) fn query_events(conn: &Connection, filter: &EventFilter) -> Result<Vec<StoredEvent>> {
    // Planned like a page of the server, without its budget: a reader of the CLI or an
    // export gets every match.
    let page = crate::plan::page_ids(conn, filter, None, false, crate::plan::Caps::default())?;
    let mut out = Vec::with_capacity(page.ids.len());
    for id in page.ids {
        if let Some(e) = get_event(conn, id)? {
            out.push(e);
        }
    }
    Ok(out)
}

pub(crate) fn count_events(conn: &Connection, filter: &EventFilter) -> Result<u64> {
    let (clause, params) = filter.where_clause();
    let sql = format!("SELECT count(*) FROM events e {clause}");
    let n: i64 = conn
        .prepare_cached(&sql)?
        .query_row(params_from_iter(params), |r| r.get(0))?;
    Ok(n as u64)
}

pub(crate) fn get_document(conn: &Connection, id: DocumentId) -> Result<Option<StoredDocument>> {
    let row = conn
        .query_row(
            "SELECT doc_id, content_hash, origin_kind, origin, kind, meta, bytes, size, seen_at
             FROM documents WHERE id = ?1",
            [id.0],
            |r| {
                Ok((
                    r.get::<_, String>(0)?,
                    r.get::<_, String>(1)?,
                    r.get::<_, String>(2)?,
                    r.get::<_, Option<String>>(3)?,
                    r.get::<_, String>(4)?,
                    r.get::<_, String>(5)?,
                    r.get::<_, Vec<u8>>(6)?,
                    r.get::<_, i64>(7)?,
                    r.get::<_, String>(8)?,
                ))
            },
        )
        .optional()?;
    let Some((doc_id, content_hash, origin_kind, origin, kind, meta, bytes, size, seen_at)) = row
    else {
        return Ok(None);
    };
    let corrupt = |source| StoreError::Corrupt {
        what: "document",
        id: id.0,
        source,
    };
    let origin = match (origin_kind.as_str(), origin) {
        ("file", Some(path)) => Origin::File { path },
        ("url", Some(url)) => Origin::Url { url },
        _ => Origin::Inline,
    };
    let kind: ContentKind =
        serde_json::from_value(serde_json::Value::String(kind)).map_err(corrupt)?;
    Ok(Some(StoredDocument {
        id,
        doc_id,
        content_hash,
        origin,
        kind,
        meta: serde_json::from_str(&meta).map_err(corrupt)?,
        bytes,
        size: size as u64,
        seen_at,
    }))
}

pub(crate) fn check(conn: &Connection) -> Result<Vec<String>> {
    let mut problems = Vec::new();
    let mut stmt = conn.prepare("PRAGMA integrity_check")?;
    for row in stmt.query_map([], |r| r.get::<_, String>(0))? {
        let row = row?;
        if row != "ok" {
            problems.push(format!("integrity: {row}"));
        }
    }
    let mut stmt = conn.prepare("PRAGMA foreign_key_check")?;
    let n = stmt.query_map([], |_| Ok(()))?.count();
    if n > 0 {
        problems.push(format!("{n} rows break a foreign key"));
    }
    let queries = [
        (
            "events whose evidence rows do not match their JSON",
            "SELECT count(*) FROM events e WHERE json_array_length(json_extract(e.event, '$.evidence'))
                 != (SELECT count(*) FROM evidence v WHERE v.event_id = e.id)",
        ),
        (
            "documents whose hash is stored twice",
            "SELECT count(*) FROM (SELECT content_hash FROM documents GROUP BY content_hash HAVING count(*) > 1)",
        ),
        (
            "documents whose size does not match their bytes",
            "SELECT count(*) FROM documents WHERE size != length(bytes)",
        ),
        (
            "documents with a gap in their event ordinals",
            "SELECT count(*) FROM (SELECT document_id FROM events GROUP BY document_id
                 HAVING max(ordinal) + 1 != count(*))",
        ),
    ];
    for (what, sql) in queries {
        let n: i64 = conn.query_row(sql, [], |r| r.get(0))?;
        if n > 0 {
            problems.push(format!("{n} {what}"));
        }
    }
    Ok(problems)
}
