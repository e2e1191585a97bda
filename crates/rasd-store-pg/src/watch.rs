//! The state of `rasd watch` on a shared database (migration 0020), for several watch
//! workers polling the sources of one database.
//!
//! The embedded store's state (`rasd_store::watch`: validators, counters, stored items)
//! plus two kinds of lease, both on the database's clock:
//!
//! - a **source lease**: [`PgStore::watch_lease`] takes the due sources no live lease
//!   covers, with `FOR UPDATE SKIP LOCKED` so that workers asking at once split them
//!   instead of queueing on each other's rows; the holder renews it while it polls
//!   ([`PgStore::watch_renew`]) and gives it back with the time the next poll is due
//!   ([`PgStore::watch_release`]). A holder that dies stops renewing, and the lease is
//!   free to take once `lease_until` has passed.
//! - an **item claim**: before fetching an item's page, a worker inserts the item's row
//!   as its claim ([`PgStore::watch_claim`]); the primary key makes one worker the
//!   claimant, however many sources list the item. The claim becomes the stored item
//!   ([`PgBatch::watch_record_item`]) in the transaction that stores the document and
//!   events, and only while the worker still holds it ([`PgBatch::watch_take_item`]
//!   locks it first), so an item is stored and coded once even when a claim expired
//!   and was taken over. An expired claim of a dead worker is taken over by the next
//!   worker to list the item.

use crate::{PgBatch, PgStore, Result};
use postgres::GenericClient;
use rasd_store::watch::{COLUMNS, PollRecord, WatchItem, WatchSource};
use std::collections::HashSet;
use std::time::Duration;

/// A source leased by [`PgStore::watch_lease`], with its stored validators (another
/// worker may have polled it since this one last did).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Leased {
    pub name: String,
    pub etag: Option<String>,
    pub last_modified: Option<String>,
    /// The worker whose lease had expired when this one took the source.
    pub took_over_from: Option<String>,
    /// Failed polls in a row, whichever workers made them (drives the back-off).
    pub failures: u32,
}

/// A source [`PgStore::watch_lease`] did not give: not due yet, or leased to a live
/// worker.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NotLeased {
    pub name: String,
    pub held_by: Option<String>,
    /// How long until it is due (zero when it is due but leased).
    pub due_in: Duration,
}

/// A UTC `TIMESTAMPTZ` column as RFC 3339 text.
fn rfc3339(column: &str) -> String {
    format!("to_char({column} AT TIME ZONE 'UTC', 'YYYY-MM-DD\"T\"HH24:MI:SS\"Z\"')")
}

fn source_row(r: &postgres::Row) -> WatchSource {
    let count = |i: usize| r.get::<_, i64>(i) as u64;
    WatchSource {
        name: r.get(0),
        url: r.get(1),
        kind: r.get(2),
        etag: r.get(3),
        last_modified: r.get(4),
        last_poll: r.get(5),
        last_success: r.get(6),
        last_error: r.get(7),
        last_error_at: r.get(8),
        failures: r.get::<_, i32>(9) as u32,
        polls: count(10),
        not_modified: count(11),
        items_read: count(12),
        events_coded: count(13),
        lease_holder: r.get(14),
        lease_until: r.get(15),
    }
}

fn select_sources(filter: &str) -> String {
    // A lease that has run out is shown as no lease: nobody holds the source.
    format!(
        "SELECT {COLUMNS},
                CASE WHEN lease_until >= now() THEN lease_holder END,
                CASE WHEN lease_until >= now() THEN {} END
         FROM watch_sources {filter} ORDER BY name",
        rfc3339("lease_until")
    )
}

fn secs(d: Duration) -> f64 {
    d.as_secs_f64()
}

impl PgStore {
    /// True when the connection was lost (the server restarted, the network failed):
    /// every call on it fails from then on, and the caller must connect again.
    pub fn is_closed(&self) -> bool {
        self.client.is_closed()
    }

    /// Adds a source, or updates its URL and kind (dropping the validators when the
    /// URL changed). Several workers may register the same source.
    pub fn watch_register(&mut self, name: &str, url: &str, kind: &str) -> Result<()> {
        self.client.execute(
            "INSERT INTO watch_sources (name, url, kind) VALUES ($1, $2, $3)
             ON CONFLICT (name) DO UPDATE SET
                 etag = CASE WHEN watch_sources.url = excluded.url THEN watch_sources.etag END,
                 last_modified = CASE WHEN watch_sources.url = excluded.url
                                      THEN watch_sources.last_modified END,
                 url = excluded.url, kind = excluded.kind
             WHERE (watch_sources.url, watch_sources.kind) IS DISTINCT FROM (excluded.url, excluded.kind)",
            &[&name, &url, &kind],
        )?;
        Ok(())
    }

    /// Every source the database has seen watched, by name, with who leases it.
    pub fn watch_sources(&mut self) -> Result<Vec<WatchSource>> {
        let rows = self.client.query(&select_sources(""), &[])?;
        Ok(rows.iter().map(source_row).collect())
    }

    pub fn watch_source(&mut self, name: &str) -> Result<Option<WatchSource>> {
        let rows = self
            .client
            .query(&select_sources("WHERE name = $1"), &[&name])?;
        Ok(rows.first().map(source_row))
    }

    /// Leases to `holder`, for `ttl`, those of the sources `names` that are due and
    /// that no live lease covers; says for the others when to ask again.
    pub fn watch_lease(
        &mut self,
        holder: &str,
        names: &[String],
        ttl: Duration,
    ) -> Result<(Vec<Leased>, Vec<NotLeased>)> {
        // Rows another worker is leasing at this moment are skipped, not waited for:
        // they are that worker's, and this one asks again later.
        let rows = self.client.query(
            "WITH free AS (
                 SELECT name, CASE WHEN lease_holder <> $2 THEN lease_holder END AS previous
                 FROM watch_sources
                 WHERE name = ANY($1) AND due_at <= now()
                   AND (lease_holder IS NULL OR lease_until < now())
                 ORDER BY due_at
                 FOR UPDATE SKIP LOCKED)
             UPDATE watch_sources s
             SET lease_holder = $2, lease_until = now() + make_interval(secs => $3)
             FROM free WHERE s.name = free.name
             RETURNING s.name, s.etag, s.last_modified, free.previous, s.failures",
            &[&names, &holder, &secs(ttl)],
        )?;
        let leased: Vec<Leased> = rows
            .iter()
            .map(|r| Leased {
                name: r.get(0),
                etag: r.get(1),
                last_modified: r.get(2),
                took_over_from: r.get(3),
                failures: r.get::<_, i32>(4).max(0) as u32,
            })
            .collect();
        let taken: HashSet<&str> = leased.iter().map(|l| l.name.as_str()).collect();
        let rest: Vec<&String> = names
            .iter()
            .filter(|n| !taken.contains(n.as_str()))
            .collect();
        let mut not = Vec::with_capacity(rest.len());
        if !rest.is_empty() {
            let rows = self.client.query(
                "SELECT name, CASE WHEN lease_until >= now() THEN lease_holder END,
                        greatest(extract(epoch FROM due_at - now()), 0)::float8
                 FROM watch_sources WHERE name = ANY($1)",
                &[&rest],
            )?;
            not.extend(rows.iter().map(|r| NotLeased {
                name: r.get(0),
                held_by: r.get(1),
                due_in: Duration::try_from_secs_f64(r.get(2)).unwrap_or(Duration::ZERO),
            }));
        }
        Ok((leased, not))
    }

    /// Extends `holder`'s leases of `names` by `ttl`, and its item claims with them.
    /// Returns the names it still held (a lease that had expired and was taken over
    /// is lost).
    pub fn watch_renew(
        &mut self,
        holder: &str,
        names: &[String],
        ttl: Duration,
    ) -> Result<Vec<String>> {
        // Two statements, not one transaction, and claims locked by the holder's own
        // harvest (about to become stored items) skipped: a renewal then never holds
        // one table's rows while waiting for the other's, and cannot deadlock with
        // the holder's writes.
        let rows = self.client.query(
            "UPDATE watch_sources SET lease_until = now() + make_interval(secs => $3)
             WHERE lease_holder = $1 AND name = ANY($2) RETURNING name",
            &[&holder, &names, &secs(ttl)],
        )?;
        self.client.execute(
            "UPDATE watch_items SET claimed_until = now() + make_interval(secs => $2)
             WHERE item_key IN (SELECT item_key FROM watch_items WHERE claimed_by = $1
                                FOR UPDATE SKIP LOCKED)",
            &[&holder, &secs(ttl)],
        )?;
        Ok(rows.iter().map(|r| r.get(0)).collect())
    }

    /// Gives back `holder`'s lease of `name`, its next poll due in `due_in`. False when
    /// the lease was no longer `holder`'s.
    pub fn watch_release(&mut self, holder: &str, name: &str, due_in: Duration) -> Result<bool> {
        let n = self.client.execute(
            "UPDATE watch_sources
             SET lease_holder = NULL, lease_until = NULL,
                 due_at = now() + make_interval(secs => $3)
             WHERE name = $1 AND lease_holder = $2",
            &[&name, &holder, &secs(due_in)],
        )?;
        Ok(n == 1)
    }

    /// Gives back every lease and unstored claim of `holder` (a worker stopping), so
    /// that other workers need not wait for them to expire.
    pub fn watch_release_all(&mut self, holder: &str) -> Result<()> {
        let mut tx = self.client.transaction()?;
        tx.execute(
            "UPDATE watch_sources SET lease_holder = NULL, lease_until = NULL
             WHERE lease_holder = $1",
            &[&holder],
        )?;
        tx.execute("DELETE FROM watch_items WHERE claimed_by = $1", &[&holder])?;
        tx.commit()?;
        Ok(())
    }

    /// Claims for `holder`, for `ttl`, the items `items` (key, URL) of source `source`
    /// that are neither stored nor claimed by a live worker. Returns the keys claimed.
    pub fn watch_claim(
        &mut self,
        holder: &str,
        source: &str,
        items: &[(String, Option<String>)],
        ttl: Duration,
    ) -> Result<HashSet<String>> {
        // In key order, so that two workers claiming overlapping lists wait for each
        // other's rows in one order and never deadlock; each key once, since a row may
        // be claimed only once per statement.
        let mut items: Vec<&(String, Option<String>)> = items.iter().collect();
        items.sort_by(|a, b| a.0.cmp(&b.0));
        items.dedup_by(|a, b| a.0 == b.0);
        let keys: Vec<&str> = items.iter().map(|i| i.0.as_str()).collect();
        let urls: Vec<Option<&str>> = items.iter().map(|i| i.1.as_deref()).collect();
        let rows = self.client.query(
            "INSERT INTO watch_items (item_key, source, url, claimed_by, claimed_until)
             SELECT k, $3, u, $4, now() + make_interval(secs => $5)
             FROM unnest($1::text[], $2::text[]) WITH ORDINALITY AS i (k, u, n) ORDER BY n
             ON CONFLICT (item_key) DO UPDATE SET
                 source = excluded.source, url = excluded.url,
                 claimed_by = excluded.claimed_by, claimed_until = excluded.claimed_until
             WHERE watch_items.claimed_by IS NOT NULL AND watch_items.claimed_until < now()
             RETURNING item_key",
            &[&keys, &urls, &source, &holder, &secs(ttl)],
        )?;
        Ok(rows.iter().map(|r| r.get(0)).collect())
    }

    /// Of the items `keys`, those claimed (by any worker) and not stored yet.
    pub fn watch_claimed_keys(&mut self, keys: &[String]) -> Result<HashSet<String>> {
        let rows = self.client.query(
            "SELECT item_key FROM watch_items WHERE item_key = ANY($1) AND fetched_at IS NULL",
            &[&keys],
        )?;
        Ok(rows.iter().map(|r| r.get(0)).collect())
    }

    /// Gives back `holder`'s claim of an item it did not fetch.
    pub fn watch_unclaim(&mut self, holder: &str, key: &str) -> Result<()> {
        self.client.execute(
            "DELETE FROM watch_items WHERE item_key = $1 AND claimed_by = $2",
            &[&key, &holder],
        )?;
        Ok(())
    }

    /// Records a poll that stored no item (a failure, a 304).
    pub fn watch_record_poll(&mut self, name: &str, poll: &PollRecord<'_>) -> Result<()> {
        record_poll(&mut self.client, name, poll)
    }

    /// How many items are stored, and how many are claimed and not stored yet.
    pub fn watch_item_counts(&mut self) -> Result<(u64, u64)> {
        let r = self.client.query_one(
            "SELECT count(*) FILTER (WHERE fetched_at IS NOT NULL),
                    count(*) FILTER (WHERE fetched_at IS NULL)
             FROM watch_items",
            &[],
        )?;
        Ok((r.get::<_, i64>(0) as u64, r.get::<_, i64>(1) as u64))
    }
}

impl PgBatch<'_> {
    /// True when `holder` may store the item `key` in this batch: it still holds the
    /// item's claim, which stays locked until the batch ends.
    pub fn watch_take_item(&mut self, holder: &str, key: &str) -> Result<bool> {
        Ok(self
            .tx
            .query_opt(
                "SELECT 1 FROM watch_items WHERE item_key = $1 AND claimed_by = $2 FOR UPDATE",
                &[&key, &holder],
            )?
            .is_some())
    }

    /// Turns `holder`'s claim of `item` into the stored item. False (and nothing
    /// written) when the claim is no longer `holder`'s.
    pub fn watch_record_item(&mut self, holder: &str, item: &WatchItem<'_>) -> Result<bool> {
        let n = self.tx.execute(
            "UPDATE watch_items SET source = $2, url = $3, document_id = $4, events = $5,
                 fetched_at = $6, error = $7, claimed_by = NULL, claimed_until = NULL
             WHERE item_key = $1 AND claimed_by = $8",
            &[
                &item.key,
                &item.source,
                &item.url,
                &item.document_id.map(|d| d.0),
                &i32::try_from(item.events).unwrap_or(i32::MAX),
                &item.fetched_at,
                &item.error,
                &holder,
            ],
        )?;
        Ok(n == 1)
    }

    /// Records the poll whose items this batch stores.
    pub fn watch_record_poll(&mut self, name: &str, poll: &PollRecord<'_>) -> Result<()> {
        record_poll(&mut self.tx, name, poll)
    }
}

/// `rasd_store::watch::record_poll` in PostgreSQL's dialect.
fn record_poll(c: &mut impl GenericClient, name: &str, poll: &PollRecord<'_>) -> Result<()> {
    match poll {
        PollRecord::Success {
            at,
            validators,
            not_modified,
            items,
            events,
        } => {
            let (etag, last_modified) = validators.unwrap_or_default();
            c.execute(
                "UPDATE watch_sources SET last_poll = $2, last_success = $2, failures = 0,
                     polls = polls + 1,
                     etag = CASE WHEN $5 THEN $3 ELSE etag END,
                     last_modified = CASE WHEN $5 THEN $4 ELSE last_modified END,
                     not_modified = not_modified + $6,
                     items_read = items_read + $7, events_coded = events_coded + $8
                 WHERE name = $1",
                &[
                    &name,
                    at,
                    &etag,
                    &last_modified,
                    &validators.is_some(),
                    &i64::from(*not_modified),
                    &i64::from(*items),
                    &i64::from(*events),
                ],
            )?;
        }
        PollRecord::Failure { at, reason } => {
            c.execute(
                "UPDATE watch_sources SET last_poll = $2, last_error = $3, last_error_at = $2,
                     failures = failures + 1, polls = polls + 1
                 WHERE name = $1",
                &[&name, at, reason],
            )?;
        }
    }
    Ok(())
}
