//! Compaction of the change log on PostgreSQL (migration 0031), with the embedded
//! store's semantics ([`rasd_store::changes::Retention`]): one row per entity once
//! settled, tombstones removed after their retention in batches, and a horizon below
//! which a cursor may have missed a deletion (the server answers it 410 Gone).
//!
//! Several workers may compact the same database: an advisory lock lets one at a time
//! do it, and the others' writes go on meanwhile (their rows are numbered at their
//! commit, migration 0016, so a row this pass cannot see yet is never below a number
//! it hands out).

use crate::{PgStore, Result};
use rasd_store::changes::{Compacted, Retention};
use std::time::Duration;

/// "rcmp": held by the transaction that compacts the log.
const COMPACT_LOCK: i64 = 0x7263_6d70;

/// The latest row of an entity the database no longer holds. Keys are written by the
/// triggers of 0015 (decimal ids, `inc-N`, `grp-G`); the casts are guarded all the same
/// so that a stray key is kept rather than failing the pass.
const GONE: &str = "((entity = 'event' AND key ~ '^[0-9]{1,18}$'
      AND NOT EXISTS (SELECT 1 FROM events WHERE events.id = changes.key::bigint))
  OR (entity = 'incident' AND key ~ '^inc-[0-9]{1,18}$'
      AND NOT EXISTS (SELECT 1 FROM incidents
                      WHERE incidents.id = substr(changes.key, 5)::bigint))
  OR (entity = 'incident' AND key LIKE 'grp-%'
      AND NOT EXISTS (SELECT 1 FROM review_applied
                      WHERE review_applied.incident_group = substr(changes.key, 5))))";

impl PgStore {
    /// The highest `seq` of a removed tombstone (0 before any): a follower whose
    /// cursor is in `1..horizon` may have missed a deletion. Read it after a page of
    /// changes, so that a compaction between the two is seen.
    pub fn changes_horizon(&mut self) -> Result<i64> {
        Ok(self
            .client
            .query_one("SELECT seq FROM changes_horizon WHERE id = 1", &[])?
            .get(0))
    }

    /// Removes what no follower needs any more (see [`Retention`]), in one
    /// transaction; waits while another worker compacts.
    pub fn compact_changes(&mut self, retention: &Retention) -> Result<Compacted> {
        let mut tx = self.client.transaction()?;
        tx.execute("SELECT pg_advisory_xact_lock($1)", &[&COMPACT_LOCK])?;
        // The log's `at` is text in this format (0015), so it is compared as text.
        let ago = |tx: &mut postgres::Transaction<'_>, d: Duration| -> Result<String> {
            Ok(tx
                .query_one(
                    "SELECT to_char((clock_timestamp() - make_interval(secs => $1)) AT TIME ZONE 'UTC',
                                    'YYYY-MM-DD\"T\"HH24:MI:SS.MS\"Z\"')",
                    &[&d.as_secs_f64()],
                )?
                .get(0))
        };
        let settled = ago(&mut tx, retention.settle)?;
        let expired = ago(&mut tx, retention.tombstones)?;
        // A `created` row about to go passes its op on to the row that stays (unless
        // that row is the deletion).
        tx.execute(
            "UPDATE changes SET op = 'created'
             WHERE op = 'updated' AND seq IN (
                 SELECT (SELECT max(n.seq) FROM changes n
                         WHERE n.entity = o.entity AND n.key = o.key)
                 FROM changes o
                 WHERE o.op = 'created' AND o.seq IS NOT NULL AND o.at < $1
                   AND EXISTS (SELECT 1 FROM changes n
                               WHERE n.entity = o.entity AND n.key = o.key AND n.seq > o.seq))",
            &[&settled],
        )?;
        let superseded = tx.execute(
            "DELETE FROM changes WHERE seq IS NOT NULL AND at < $1 AND EXISTS (
                 SELECT 1 FROM changes n
                 WHERE n.entity = changes.entity AND n.key = changes.key AND n.seq > changes.seq)",
            &[&settled],
        )? as usize;
        let row = tx.query_one(
            &format!(
                "SELECT count(*), max(seq) FROM changes WHERE seq IS NOT NULL AND at < $1 AND {GONE}"
            ),
            &[&expired],
        )?;
        let (count, top): (i64, Option<i64>) = (row.get(0), row.get(1));
        let rows: i64 = tx
            .query_one("SELECT count(*) FROM changes WHERE seq IS NOT NULL", &[])?
            .get(0);
        let worth = count > 0 && count * 100 >= rows * i64::from(retention.tombstone_share);
        let mut tombstones = 0;
        if let (true, Some(top)) = (worth, top) {
            tombstones = tx.execute(
                &format!("DELETE FROM changes WHERE seq IS NOT NULL AND at < $1 AND {GONE}"),
                &[&expired],
            )? as usize;
            // The rows left below the horizon move above the newest one, in order (they
            // are numbered at this commit, in insertion order), so that a follower
            // starting from 0 never holds a cursor below the horizon.
            tx.execute(
                "INSERT INTO changes (entity, key, op, at)
                 SELECT entity, key, op, at FROM changes WHERE seq <= $1 ORDER BY seq",
                &[&top],
            )?;
            tx.execute("DELETE FROM changes WHERE seq <= $1", &[&top])?;
            tx.execute(
                "UPDATE changes_horizon SET seq = greatest(seq, $1) WHERE id = 1",
                &[&top],
            )?;
        }
        let horizon: i64 = tx
            .query_one("SELECT seq FROM changes_horizon WHERE id = 1", &[])?
            .get(0);
        tx.commit()?;
        Ok(Compacted {
            superseded,
            tombstones,
            horizon,
        })
    }
}
