//! The change log (migration `0008_changes.sql`): one row per event or incident
//! created, updated or deleted, written by triggers in the transaction of the write
//! itself. The server's `/api/changes` and `/api/stream` read it.
//!
//! The log is compacted (migration `0013_changes_retention.sql`) so that it grows
//! with the store, not with the number of writes: see [`Retention`].
//!
//! ```text
//! Store::changes_since(&self, cursor: i64, limit: u32) -> Result<Vec<Change>>   // seq > cursor, in order
//! Store::last_change(&self) -> Result<i64>                                       // 0 when none
//! Store::changes_horizon(&self) -> Result<i64>     // a cursor in 1..horizon has missed deletions
//! Store::compact_changes(&self, &Retention) -> Result<Compacted>
//! ```

use crate::{Result, Store, in_tx};
use serde::Serialize;
use std::time::Duration;

/// How long the change log keeps what a follower could still need.
///
/// Every entry is read with the entity's state *now*, so of an entity's rows only the
/// latest matters to any follower, wherever its cursor is: older rows are removed
/// once `settle` has passed (a row saying an event was *created* passes that on to the
/// row that remains, so a follower behind it still learns the event is new to it).
/// The latest row of an entity that no longer exists tells followers that hold it to
/// drop it; it is kept for `tombstones`, then removed, and the horizon rises to it: a
/// follower whose cursor is below the horizon (and above 0) may have missed a deletion
/// and is told so (`410 Gone`), to start again from 0, which is always complete. The
/// rows left below the horizon are moved above the newest row, so followers re-read
/// them once; tombstones are therefore removed in batches, once the expired ones are
/// `tombstone_share` per cent of the log or more.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Retention {
    pub settle: Duration,
    pub tombstones: Duration,
    pub tombstone_share: u8,
}

impl Default for Retention {
    fn default() -> Self {
        Retention {
            settle: Duration::from_secs(600),
            tombstones: Duration::from_secs(7 * 86_400),
            tombstone_share: 25,
        }
    }
}

/// What one compaction removed.
#[derive(Debug, Default, Clone, Copy, PartialEq, Eq)]
pub struct Compacted {
    pub superseded: usize,
    pub tombstones: usize,
    pub horizon: i64,
}

/// The latest row of an entity that the store no longer holds.
const GONE: &str = "((entity = 'event'
      AND NOT EXISTS (SELECT 1 FROM events WHERE events.id = CAST(changes.key AS INTEGER)))
  OR (entity = 'incident' AND key LIKE 'inc-%'
      AND NOT EXISTS (SELECT 1 FROM incidents
                      WHERE incidents.id = CAST(substr(changes.key, 5) AS INTEGER)))
  OR (entity = 'incident' AND key LIKE 'grp-%'
      AND NOT EXISTS (SELECT 1 FROM review_applied
                      WHERE review_applied.incident_group = substr(changes.key, 5))))";

/// One row of the log: which entity changed and how. The entity's state is read
/// from the store as it is now.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Change {
    pub seq: i64,
    /// `event` or `incident`.
    pub entity: String,
    /// The event's id (decimal) or the incident's id (`inc-N`, `grp-G`).
    pub key: String,
    /// `created`, `updated` or `deleted`, as the write did it.
    pub op: String,
    pub at: String,
}

impl Store {
    /// The changes after `cursor` (a `seq`), oldest first, at most `limit`.
    pub fn changes_since(&self, cursor: i64, limit: u32) -> Result<Vec<Change>> {
        let mut stmt = self.connection().prepare_cached(
            "SELECT seq, entity, key, op, at FROM changes WHERE seq > ?1 ORDER BY seq LIMIT ?2",
        )?;
        let rows = stmt
            .query_map(rusqlite::params![cursor, limit], |r| {
                Ok(Change {
                    seq: r.get(0)?,
                    entity: r.get(1)?,
                    key: r.get(2)?,
                    op: r.get(3)?,
                    at: r.get(4)?,
                })
            })?
            .collect::<rusqlite::Result<_>>()?;
        Ok(rows)
    }

    /// The newest `seq` (0 when the log is empty). Never below the horizon, even when
    /// the newest rows were tombstones removed since.
    pub fn last_change(&self) -> Result<i64> {
        Ok(self.connection().query_row(
            "SELECT max(coalesce((SELECT max(seq) FROM changes), 0),
                        (SELECT seq FROM changes_horizon WHERE id = 1))",
            [],
            |r| r.get(0),
        )?)
    }

    /// The highest `seq` of a removed tombstone: a follower whose cursor is in
    /// `1..horizon` may have missed a deletion. Read it *after* a page of changes, so
    /// that a compaction between the two cannot go unnoticed.
    pub fn changes_horizon(&self) -> Result<i64> {
        Ok(self.connection().query_row(
            "SELECT seq FROM changes_horizon WHERE id = 1",
            [],
            |r| r.get(0),
        )?)
    }

    /// Removes what no follower needs any more (see [`Retention`]), in one
    /// transaction; the log then holds one row per entity, plus the recent history.
    pub fn compact_changes(&self, retention: &Retention) -> Result<Compacted> {
        let ago = |d: Duration| format!("-{} seconds", d.as_secs());
        in_tx(self.connection(), |c| {
            let now = |modifier: String| -> Result<String> {
                Ok(c.query_row(
                    "SELECT strftime('%Y-%m-%dT%H:%M:%fZ', 'now', ?1)",
                    [modifier],
                    |r| r.get(0),
                )?)
            };
            let settled = now(ago(retention.settle))?;
            let expired = now(ago(retention.tombstones))?;
            // A `created` row about to go passes its op on to the row that stays (unless
            // that row is the deletion).
            c.execute(
                "UPDATE changes SET op = 'created'
                 WHERE op = 'updated' AND seq IN (
                     SELECT (SELECT max(n.seq) FROM changes n
                             WHERE n.entity = o.entity AND n.key = o.key)
                     FROM changes o
                     WHERE o.op = 'created' AND o.at < ?1
                       AND EXISTS (SELECT 1 FROM changes n
                                   WHERE n.entity = o.entity AND n.key = o.key AND n.seq > o.seq))",
                [&settled],
            )?;
            let superseded = c.execute(
                "DELETE FROM changes WHERE at < ?1 AND EXISTS (
                     SELECT 1 FROM changes n
                     WHERE n.entity = changes.entity AND n.key = changes.key
                       AND n.seq > changes.seq)",
                [&settled],
            )?;
            let (count, top): (i64, Option<i64>) = c.query_row(
                &format!("SELECT count(*), max(seq) FROM changes WHERE at < ?1 AND {GONE}"),
                [&expired],
                |r| Ok((r.get(0)?, r.get(1)?)),
            )?;
            let rows: i64 = c.query_row("SELECT count(*) FROM changes", [], |r| r.get(0))?;
            let worth = count > 0 && count * 100 >= rows * i64::from(retention.tombstone_share);
            let mut tombstones = 0;
            if let (true, Some(top)) = (worth, top) {
                tombstones = c.execute(
                    &format!("DELETE FROM changes WHERE at < ?1 AND {GONE}"),
                    [&expired],
                )?;
                // The rows left below the horizon move above the newest one, in order,
                // so that a follower starting from 0 never holds a cursor below the
                // horizon: only a follower that read before this compaction can, and
                // it is the one that may hold an entity whose deletion just went.
                c.execute(
                    "INSERT INTO changes (entity, key, op, at)
                     SELECT entity, key, op, at FROM changes WHERE seq <= ?1 ORDER BY seq",
                    [top],
                )?;
                c.execute("DELETE FROM changes WHERE seq <= ?1", [top])?;
                c.execute(
                    "UPDATE changes_horizon SET seq = max(seq, ?1) WHERE id = 1",
                    [top],
                )?;
            }
            let horizon = c.query_row("SELECT seq FROM changes_horizon WHERE id = 1", [], |r| {
                r.get(0)
            })?;
            Ok(Compacted {
                superseded,
                tombstones,
                horizon,
            })
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::incidents::IncidentSave;

    fn event() -> rasd_model::Event {
        serde_json::from_str(
            r#"{"event_type":"battles","sub_event_type":"armed_clash","date_start":"2024-09-02",
                "date_end":"2024-09-02","date_precision":"day",
                "location":{"name":"طفس","admin1":"درعا","country":"SY","precision":"community"},
                "actor1":"a","actor2":null,"fatalities":1,"injured":null,"arrested":null,
                "evidence":["اشتباك متخيل في طفس"]}"#,
        )
        .unwrap()
    }

    fn doc(text: &str) -> rasd_model::RawDocument {
        rasd_model::RawDocument {
            doc_id: text.into(),
            origin: rasd_model::Origin::Inline,
            kind: rasd_model::ContentKind::Text,
            bytes: text.as_bytes().to_vec(),
            meta: Default::default(),
        }
    }

    fn log(store: &Store, from: i64) -> Vec<(String, String, String)> {
        store
            .changes_since(from, 1000)
            .unwrap()
            .into_iter()
            .map(|c| (c.entity, c.key, c.op))
            .collect()
    }

    fn t(e: &str, k: &str, o: &str) -> (String, String, String) {
        (e.into(), k.into(), o.into())
    }

    #[test]
    fn every_write_is_logged_in_its_transaction() {
        let mut store = Store::open_in_memory().unwrap();
        let d = store.put_document(&doc("a")).unwrap().id();
        let ids = store.put_events(d, &[event()]).unwrap();
        let e1 = ids[0].0.to_string();
        assert_eq!(log(&store, 0), vec![t("event", &e1, "created")]);
        let mark = store.last_change().unwrap();
        store
            .save_incident(&IncidentSave {
                id: 7,
                event_type: "battles",
                sub_event_type: "armed_clash",
                date_start: "2024-09-02",
                date_end: "2024-09-02",
                location_name: "طفس",
                admin1: Some("درعا"),
                country: "SY",
                lat: None,
                lon: None,
                fatalities: Some(1),
                fatalities_low: None,
                fatalities_high: None,
                record: "{}",
                events: &ids,
            })
            .unwrap();
        let after = log(&store, mark);
        assert_eq!(after[0], t("incident", "inc-7", "created"));
        assert!(
            after.contains(&t("incident", "inc-7", "updated")),
            "{after:?}"
        );
        // Re-coding replaces the event: the old one is deleted, its incident touched.
        let mark = store.last_change().unwrap();
        let new = store.put_events(d, &[event()]).unwrap();
        let after = log(&store, mark);
        assert!(after.contains(&t("event", &e1, "deleted")), "{after:?}");
        assert!(
            after.contains(&t("incident", "inc-7", "updated")),
            "{after:?}"
        );
        assert!(after.contains(&t("event", &new[0].0.to_string(), "created")));
        // A rolled-back write leaves nothing in the log.
        let mark = store.last_change().unwrap();
        {
            let batch = store.batch().unwrap();
            batch.put_events(d, &[event(), event()]).unwrap();
            drop(batch);
        }
        assert_eq!(log(&store, mark), vec![]);
        store.delete_incident(7).unwrap();
        assert!(log(&store, mark).contains(&t("incident", "inc-7", "deleted")));
        // Paging: the cursor is the last seq seen.
        let all = store.changes_since(0, 1000).unwrap();
        let page = store.changes_since(all[1].seq, 2).unwrap();
        assert_eq!(page, all[2..4].to_vec());
    }

    #[test]
    fn compaction_keeps_one_row_per_entity_and_raises_the_horizon_past_old_tombstones() {
        let store = Store::open_in_memory().unwrap();
        let d = store.put_document(&doc("a")).unwrap().id();
        let first = store.put_events(d, &[event(), event()]).unwrap();
        fn save(ids: &[crate::EventId]) -> IncidentSave<'_> {
            IncidentSave {
                id: 3,
                event_type: "battles",
                sub_event_type: "armed_clash",
                date_start: "2024-09-02",
                date_end: "2024-09-02",
                location_name: "طفس",
                admin1: Some("درعا"),
                country: "SY",
                lat: None,
                lon: None,
                fatalities: Some(1),
                fatalities_low: None,
                fatalities_high: None,
                record: "{}",
                events: ids,
            }
        }
        store.save_incident(&save(&first)).unwrap();
        // Re-coded into one event: both are deleted, one created (SQLite may give it
        // a deleted event's id again) and linked; the other id is gone.
        let second = store.put_events(d, &[event()]).unwrap();
        store.save_incident(&save(&second)).unwrap();
        let before = store.changes_since(0, 1000).unwrap();
        let last = store.last_change().unwrap();
        assert!(before.len() > 4, "{before:?}");

        // Recent rows are kept whole: followers reading live see every step.
        let kept = store.compact_changes(&Retention::default()).unwrap();
        assert_eq!((kept.superseded, kept.tombstones, kept.horizon), (0, 0, 0));
        assert_eq!(store.changes_since(0, 1000).unwrap(), before);

        std::thread::sleep(Duration::from_millis(5));
        let settle_only = Retention {
            settle: Duration::ZERO,
            tombstones: Duration::from_secs(86_400),
            tombstone_share: 0,
        };
        let done = store.compact_changes(&settle_only).unwrap();
        assert!(done.superseded > 0);
        assert_eq!((done.tombstones, done.horizon), (0, 0));
        let after = log(&store, 0);
        let mut keys: Vec<_> = after
            .iter()
            .map(|(e, k, _)| (e.clone(), k.clone()))
            .collect();
        keys.sort();
        keys.dedup();
        assert_eq!(keys.len(), after.len(), "one row per entity: {after:?}");
        // The new event was created, then linked: it still reads as created.
        let new_id = second[0].0.to_string();
        assert!(after.contains(&t("event", &new_id, "created")), "{after:?}");
        // The deleted event's tombstone stays within the retention.
        let old_id = first[1].0.to_string();
        assert_ne!(second[0], first[1]);
        assert!(after.contains(&t("event", &old_id, "deleted")), "{after:?}");
        assert_eq!(store.last_change().unwrap(), last);

        let tomb_seq = store
            .changes_since(0, 1000)
            .unwrap()
            .into_iter()
            .find(|c| c.key == old_id)
            .unwrap()
            .seq;
        let all = Retention {
            settle: Duration::ZERO,
            tombstones: Duration::ZERO,
            tombstone_share: 0,
        };
        let done = store.compact_changes(&all).unwrap();
        assert_eq!(done.tombstones, 1);
        assert_eq!(done.horizon, tomb_seq);
        assert_eq!(store.changes_horizon().unwrap(), tomb_seq);
        assert!(!log(&store, 0).iter().any(|(_, k, _)| *k == old_id));
        // What exists is still listed, above the horizon (so a follower from 0 never
        // holds a cursor below it), and the cursor never goes back.
        assert!(log(&store, 0).contains(&t("event", &new_id, "created")));
        assert!(log(&store, 0).contains(&t("incident", "inc-3", "created")));
        let rest = store.changes_since(0, 1000).unwrap();
        assert!(rest.iter().all(|c| c.seq > tomb_seq), "{rest:?}");
        assert!(store.last_change().unwrap() >= last);
    }
}
