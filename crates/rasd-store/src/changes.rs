//! The change log (migration `0008_changes.sql`): one row per event or incident
//! created, updated or deleted, written by triggers in the transaction of the write
//! itself. The server's `/api/changes` and `/api/stream` read it.
//!
//! ```text
//! Store::changes_since(&self, cursor: i64, limit: u32) -> Result<Vec<Change>>   // seq > cursor, in order
//! Store::last_change(&self) -> Result<i64>                                       // 0 when none
//! ```

use crate::{Result, Store};
use serde::Serialize;

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

    /// The newest `seq` (0 when the log is empty).
    pub fn last_change(&self) -> Result<i64> {
        Ok(self
            .connection()
            .query_row("SELECT coalesce(max(seq), 0) FROM changes", [], |r| {
                r.get(0)
            })?)
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
}
