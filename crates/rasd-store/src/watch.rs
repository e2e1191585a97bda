//! The state of `rasd watch` (migration `0007_watch.sql`): each watched source's
//! validators, counters and last outcome, and the items already taken.
//!
//! The watcher writes an item (its document, article and events) and the poll that
//! found it in one transaction ([`crate::Batch`]), using [`record_item`] and
//! [`record_poll`] on the batch's connection: a source's new `ETag` is never durable
//! without the items of the answer that carried it.
//!
//! ```text
//! Store::watch_register(&self, name, url, kind) -> Result<()>
//! Store::watch_sources(&self) -> Result<Vec<WatchSource>>           // by name
//! Store::watch_source(&self, name) -> Result<Option<WatchSource>>
//! Store::watch_item_keys(&self) -> Result<Vec<String>>
//! Store::watch_has_item(&self, key) -> Result<bool>
//! has_item(&Connection, key) -> Result<bool>
//! record_item(&Connection, &WatchItem) -> Result<bool>              // false: already there
//! record_poll(&Connection, name, &PollRecord) -> Result<()>
//! ```

use crate::{DocumentId, Result, Store, in_tx};
use rusqlite::{Connection, OptionalExtension, params};
use serde::Serialize;

/// One watched source as stored (what `rasd watch --status` and the API show).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct WatchSource {
    pub name: String,
    pub url: String,
    pub kind: String,
    pub etag: Option<String>,
    pub last_modified: Option<String>,
    pub last_poll: Option<String>,
    pub last_success: Option<String>,
    pub last_error: Option<String>,
    pub last_error_at: Option<String>,
    /// Consecutive failed polls (0 after a success).
    pub failures: u32,
    pub polls: u64,
    pub not_modified: u64,
    pub items_read: u64,
    pub events_coded: u64,
    /// On a shared PostgreSQL store, the worker polling the source now (`host:pid#n`)
    /// and until when its lease runs unless renewed; always empty here, where one
    /// watcher owns the file.
    pub lease_holder: Option<String>,
    pub lease_until: Option<String>,
}

/// An item taken from a source.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct WatchItem<'a> {
    pub key: &'a str,
    pub source: &'a str,
    pub url: Option<&'a str>,
    pub document_id: Option<DocumentId>,
    pub events: u32,
    pub fetched_at: &'a str,
    /// Why the item could not be read (it is still recorded, so that a page that
    /// always fails is not fetched at every poll).
    pub error: Option<&'a str>,
}

/// The outcome of one poll of a source.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum PollRecord<'a> {
    /// A 200 answer or a 304 (`not_modified`). `validators` (ETag, Last-Modified)
    /// replace the stored ones when given; `None` keeps them (a 304, or an answer
    /// whose items were not all had, which must be read again).
    Success {
        at: &'a str,
        validators: Option<(Option<&'a str>, Option<&'a str>)>,
        not_modified: bool,
        items: u32,
        events: u32,
    },
    Failure {
        at: &'a str,
        reason: &'a str,
    },
}

/// The columns [`WatchSource`] is read from, in order (the PostgreSQL store reads the
/// same ones, then its lease).
pub const COLUMNS: &str =
    "name, url, kind, etag, last_modified, last_poll, last_success, last_error,
     last_error_at, failures, polls, not_modified, items_read, events_coded";

fn row(r: &rusqlite::Row<'_>) -> rusqlite::Result<WatchSource> {
    Ok(WatchSource {
        name: r.get(0)?,
        url: r.get(1)?,
        kind: r.get(2)?,
        etag: r.get(3)?,
        last_modified: r.get(4)?,
        last_poll: r.get(5)?,
        last_success: r.get(6)?,
        last_error: r.get(7)?,
        last_error_at: r.get(8)?,
        failures: r.get(9)?,
        polls: r.get::<_, i64>(10)? as u64,
        not_modified: r.get::<_, i64>(11)? as u64,
        items_read: r.get::<_, i64>(12)? as u64,
        events_coded: r.get::<_, i64>(13)? as u64,
        lease_holder: None,
        lease_until: None,
    })
}

impl Store {
    /// Adds a source, or updates its URL and kind. When the URL changed, the old
    /// validators no longer apply and are dropped.
    pub fn watch_register(&self, name: &str, url: &str, kind: &str) -> Result<()> {
        in_tx(self.connection(), |c| {
            c.execute(
                "INSERT INTO watch_sources (name, url, kind) VALUES (?1, ?2, ?3)
                 ON CONFLICT (name) DO UPDATE SET
                     etag = CASE WHEN url = excluded.url THEN etag END,
                     last_modified = CASE WHEN url = excluded.url THEN last_modified END,
                     url = excluded.url, kind = excluded.kind",
                params![name, url, kind],
            )?;
            Ok(())
        })
    }

    /// Every source the store has seen watched, by name.
    pub fn watch_sources(&self) -> Result<Vec<WatchSource>> {
        let mut stmt = self.connection().prepare(&format!(
            "SELECT {COLUMNS} FROM watch_sources ORDER BY name"
        ))?;
        let rows = stmt.query_map([], row)?.collect::<rusqlite::Result<_>>()?;
        Ok(rows)
    }

    pub fn watch_source(&self, name: &str) -> Result<Option<WatchSource>> {
        Ok(self
            .connection()
            .query_row(
                &format!("SELECT {COLUMNS} FROM watch_sources WHERE name = ?1"),
                [name],
                row,
            )
            .optional()?)
    }

    /// The keys of every item already taken (the watcher loads them when it starts).
    pub fn watch_item_keys(&self) -> Result<Vec<String>> {
        let mut stmt = self
            .connection()
            .prepare("SELECT item_key FROM watch_items")?;
        let keys = stmt
            .query_map([], |r| r.get(0))?
            .collect::<rusqlite::Result<_>>()?;
        Ok(keys)
    }

    pub fn watch_has_item(&self, key: &str) -> Result<bool> {
        has_item(self.connection(), key)
    }
}

/// True when item `key` was taken already (also inside a [`crate::Batch`]).
pub fn has_item(conn: &Connection, key: &str) -> Result<bool> {
    Ok(conn
        .prepare_cached("SELECT 1 FROM watch_items WHERE item_key = ?1")?
        .exists([key])?)
}

/// Records an item as taken. Returns false (and writes nothing) when its key was
/// already recorded.
pub fn record_item(conn: &Connection, item: &WatchItem<'_>) -> Result<bool> {
    let n = conn.prepare_cached(
        "INSERT INTO watch_items (item_key, source, url, document_id, events, fetched_at, error)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7) ON CONFLICT (item_key) DO NOTHING",
    )?
    .execute(params![
        item.key,
        item.source,
        item.url,
        item.document_id.map(|d| d.0),
        item.events,
        item.fetched_at,
        item.error
    ])?;
    Ok(n == 1)
}

/// Records one poll of source `name` (registered before with
/// [`Store::watch_register`]).
pub fn record_poll(conn: &Connection, name: &str, poll: &PollRecord<'_>) -> Result<()> {
    match poll {
        PollRecord::Success {
            at,
            validators,
            not_modified,
            items,
            events,
        } => {
            let (etag, last_modified) = validators.unwrap_or_default();
            conn.prepare_cached(
                "UPDATE watch_sources SET last_poll = ?2, last_success = ?2, failures = 0,
                     polls = polls + 1,
                     etag = CASE WHEN ?5 THEN ?3 ELSE etag END,
                     last_modified = CASE WHEN ?5 THEN ?4 ELSE last_modified END,
                     not_modified = not_modified + ?6,
                     items_read = items_read + ?7, events_coded = events_coded + ?8
                 WHERE name = ?1",
            )?
            .execute(params![
                name,
                at,
                etag,
                last_modified,
                validators.is_some(),
                *not_modified as i64,
                items,
                events
            ])?;
        }
        PollRecord::Failure { at, reason } => {
            conn.prepare_cached(
                "UPDATE watch_sources SET last_poll = ?2, last_error = ?3, last_error_at = ?2,
                     failures = failures + 1, polls = polls + 1
                 WHERE name = ?1",
            )?
            .execute(params![name, at, reason])?;
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn validators_and_counters_follow_the_polls() {
        let store = Store::open_in_memory().unwrap();
        store
            .watch_register("a", "http://127.0.0.1:1/feed", "feed")
            .unwrap();
        let ok = |etag: Option<&'static str>, nm: bool, items| PollRecord::Success {
            at: "2026-01-01T00:00:00Z",
            validators: (!nm).then_some((etag, None)),
            not_modified: nm,
            items,
            events: items * 2,
        };
        record_poll(store.connection(), "a", &ok(Some("\"v1\""), false, 3)).unwrap();
        record_poll(store.connection(), "a", &ok(None, true, 0)).unwrap();
        record_poll(
            store.connection(),
            "a",
            &PollRecord::Failure {
                at: "2026-01-01T00:01:00Z",
                reason: "HTTP 500",
            },
        )
        .unwrap();
        let s = store.watch_source("a").unwrap().unwrap();
        assert_eq!(s.etag.as_deref(), Some("\"v1\""), "a 304 keeps the ETag");
        assert_eq!((s.polls, s.not_modified, s.items_read), (3, 1, 3));
        assert_eq!(s.events_coded, 6);
        assert_eq!(s.failures, 1);
        assert_eq!(s.last_error.as_deref(), Some("HTTP 500"));
        // A new URL drops the validators of the old one.
        store
            .watch_register("a", "http://127.0.0.1:1/other", "feed")
            .unwrap();
        assert_eq!(store.watch_source("a").unwrap().unwrap().etag, None);
    }

    #[test]
    fn an_item_is_recorded_once() {
        let store = Store::open_in_memory().unwrap();
        let item = WatchItem {
            key: "http://x/1",
            source: "a",
            url: Some("http://x/1"),
            document_id: None,
            events: 0,
            fetched_at: "2026-01-01T00:00:00Z",
            error: None,
        };
        assert!(record_item(store.connection(), &item).unwrap());
        assert!(!record_item(store.connection(), &item).unwrap());
        assert!(store.watch_has_item("http://x/1").unwrap());
        assert_eq!(store.watch_item_keys().unwrap(), vec!["http://x/1"]);
    }
}
