//! Incidents on PostgreSQL (migration 0006): [`rasd_store::incidents::IncidentStore`]
//! over one transaction that holds an advisory lock for its whole life.
//!
//! Why a lock: a clustering pass reads the incidents near the events not linked yet
//! (through the keys of migration 0040), clusters those events and writes new
//! incidents with ids after the largest one. Two workers
//! doing that at once would each see the other's new events as unlinked (or not at
//! all) and each make an incident of the same real-world event. With the lock, passes
//! run one after another; a pass started after a worker's batch committed sees that
//! batch's events, and the links of every pass before it, so the second of two
//! reports of one incident joins the first one's incident. The pass is short next to
//! coding (it reads links and new events only), so workers seldom wait on it; a
//! single clustering worker would be the alternative, at the cost of one more thing to
//! run. SERIALIZABLE with retries would work too but would redo the whole pass on
//! every conflict, and two passes over overlapping events always conflict.
//!
//! Write batches hold the same lock in shared mode ([`PgStore::batch`]): a batch
//! re-coding a document deletes its events, and would otherwise leave a pass linking
//! events that no longer exist. Batches run alongside each other; a pass waits for
//! the batches in flight, runs alone, and the batches after it wait for it. Each takes
//! the lock first thing in its transaction, before any row lock, so no lock cycle
//! can form through it (row-locking the events from the pass instead deadlocked with
//! batches deleting them in another order).

use crate::{CLUSTER_LOCK, EVENT_COLUMNS, PgStore, PgStoreError, Result, stored_event};
use postgres::Transaction;
use rasd_store::incidents::{
    ArticleCopy, IncidentSave, IncidentStore, StoredFingerprint, StoredIncident,
};
use rasd_store::{DocumentId, EventId, StoredEvent};

fn now() -> String {
    jiff::Timestamp::now().to_string()
}

/// An event not marked wrong, its analyst incident group and its stored incident.
pub type IncidentRow = (StoredEvent, Option<String>, Option<i64>);

/// One clustering pass: the incident tables, locked against every other pass until
/// [`PgIncidents::commit`] (dropped without it, nothing is kept).
pub struct PgIncidents<'a> {
    tx: Transaction<'a>,
}

impl PgStore {
    /// Starts a clustering pass, waiting for any other worker's pass to end first.
    pub fn incidents(&mut self) -> Result<PgIncidents<'_>> {
        let mut tx = self.client.transaction()?;
        tx.execute("SELECT pg_advisory_xact_lock($1)", &[&CLUSTER_LOCK])?;
        Ok(PgIncidents { tx })
    }

    /// How many incidents are stored.
    pub fn incident_count(&mut self) -> Result<u64> {
        let n: i64 = self
            .client
            .query_one("SELECT count(*) FROM incidents", &[])?
            .get(0);
        Ok(n as u64)
    }

    /// Every event an analyst has not marked wrong, oldest first, with its analyst
    /// incident group and its stored incident: what the exports build incidents from.
    pub fn incident_rows(&mut self) -> Result<Vec<IncidentRow>> {
        let rows = self.client.query(
            &format!(
                "SELECT {EVENT_COLUMNS}, ra.incident_group, ie.incident_id
                 FROM events e
                 LEFT JOIN articles a ON a.document_id = e.document_id
                 LEFT JOIN review_applied ra ON ra.event_id = e.id
                 LEFT JOIN incident_events ie ON ie.event_id = e.id
                 WHERE NOT coalesce(ra.wrong, FALSE)
                 ORDER BY e.id"
            ),
            &[],
        )?;
        rows.iter()
            .map(|r| Ok((stored_event(r)?, r.get(10), r.get(11))))
            .collect()
    }
}

impl PgIncidents<'_> {
    /// Makes the pass's writes visible and lets the next pass start.
    pub fn commit(self) -> Result<()> {
        self.tx.commit()?;
        Ok(())
    }

    fn refresh_count(&mut self, id: i64) -> Result<()> {
        self.tx.execute(
            "UPDATE incidents SET sources = (SELECT count(*) FROM incident_events WHERE incident_id = $1)
             WHERE id = $1",
            &[&id],
        )?;
        Ok(())
    }

    fn events_where(&mut self, join: &str, cond: &str, order: &str) -> Result<Vec<StoredEvent>> {
        let rows = self.tx.query(
            &format!(
                "SELECT {EVENT_COLUMNS} FROM events e
                 LEFT JOIN articles a ON a.document_id = e.document_id {join}
                 WHERE {cond} ORDER BY {order}"
            ),
            &[],
        )?;
        rows.iter().map(stored_event).collect()
    }
}

fn fingerprint_row(r: &postgres::Row) -> (DocumentId, StoredFingerprint) {
    let blob: Vec<u8> = r.get(1);
    let exact: String = r.get(3);
    (
        DocumentId(r.get(0)),
        StoredFingerprint {
            minhash: blob
                .chunks_exact(8)
                .map(|c| u64::from_le_bytes(c.try_into().unwrap_or([0; 8])))
                .collect(),
            shingles: r.get::<_, i32>(2) as u32,
            exact: u64::from_str_radix(&exact, 16).unwrap_or(0),
        },
    )
}

fn opt_i32(v: Option<u32>) -> Option<i32> {
    v.map(|x| i32::try_from(x).unwrap_or(i32::MAX))
}

impl IncidentStore for PgIncidents<'_> {
    type Error = PgStoreError;

    fn article_copies(&mut self) -> Result<Vec<ArticleCopy>> {
        let rows = self.tx.query(
            "SELECT c.document_id, d.doc_id, c.original_id, o.doc_id, c.similarity
             FROM article_copies c JOIN documents d ON d.id = c.document_id
             JOIN documents o ON o.id = c.original_id ORDER BY c.document_id",
            &[],
        )?;
        Ok(rows
            .iter()
            .map(|r| ArticleCopy {
                document_id: DocumentId(r.get(0)),
                doc_id: r.get(1),
                original_id: DocumentId(r.get(2)),
                original_doc_id: r.get(3),
                similarity: r.get(4),
            })
            .collect())
    }

    fn fingerprints(&mut self) -> Result<Vec<(DocumentId, StoredFingerprint)>> {
        let rows = self.tx.query(
            "SELECT document_id, minhash, shingles, exact FROM article_fingerprints ORDER BY document_id",
            &[],
        )?;
        Ok(rows.iter().map(fingerprint_row).collect())
    }

    fn unfingerprinted_articles(&mut self) -> Result<Vec<(DocumentId, String, String)>> {
        let rows = self.tx.query(
            "SELECT a.document_id, a.doc_id, a.text FROM articles a
             LEFT JOIN article_fingerprints f ON f.document_id = a.document_id
             WHERE f.document_id IS NULL ORDER BY a.document_id",
            &[],
        )?;
        Ok(rows
            .iter()
            .map(|r| (DocumentId(r.get(0)), r.get(1), r.get(2)))
            .collect())
    }

    fn put_fingerprint(&mut self, doc: DocumentId, fp: &StoredFingerprint) -> Result<()> {
        let mut blob = Vec::with_capacity(fp.minhash.len() * 8);
        for v in &fp.minhash {
            blob.extend_from_slice(&v.to_le_bytes());
        }
        self.tx.execute(
            "INSERT INTO article_fingerprints (document_id, minhash, shingles, exact) VALUES ($1, $2, $3, $4)
             ON CONFLICT (document_id) DO UPDATE SET minhash = excluded.minhash,
                 shingles = excluded.shingles, exact = excluded.exact",
            &[
                &doc.0,
                &blob,
                &(fp.shingles as i32),
                &format!("{:016x}", fp.exact),
            ],
        )?;
        Ok(())
    }

    fn put_article_copy(
        &mut self,
        copy: DocumentId,
        original: DocumentId,
        similarity: f64,
    ) -> Result<()> {
        self.tx.execute(
            "INSERT INTO article_copies (document_id, original_id, similarity, found_at) VALUES ($1, $2, $3, $4)
             ON CONFLICT (document_id) DO UPDATE SET original_id = excluded.original_id,
                 similarity = excluded.similarity",
            &[&copy.0, &original.0, &similarity, &now()],
        )?;
        Ok(())
    }

    fn incident_links(&mut self) -> Result<Vec<(i64, StoredEvent)>> {
        let rows = self.tx.query(
            &format!(
                "SELECT {EVENT_COLUMNS}, l.incident_id FROM incident_events l
                 JOIN events e ON e.id = l.event_id
                 LEFT JOIN articles a ON a.document_id = e.document_id
                 ORDER BY l.linked_at, l.event_id"
            ),
            &[],
        )?;
        rows.iter()
            .map(|r| Ok((r.get(10), stored_event(r)?)))
            .collect()
    }

    fn max_incident_id(&mut self) -> Result<i64> {
        Ok(self
            .tx
            .query_one("SELECT coalesce(max(id), 0)::BIGINT FROM incidents", &[])?
            .get(0))
    }

    fn unclustered_events(&mut self) -> Result<Vec<StoredEvent>> {
        self.events_where(
            "LEFT JOIN incident_events l ON l.event_id = e.id",
            "l.event_id IS NULL",
            "e.id",
        )
    }

    fn absorb_incident(&mut self, from: i64, into: i64) -> Result<()> {
        if from == into {
            return Ok(());
        }
        self.tx.execute(
            "UPDATE incident_events SET incident_id = $2 WHERE incident_id = $1",
            &[&from, &into],
        )?;
        self.tx
            .execute("DELETE FROM incidents WHERE id = $1", &[&from])?;
        self.refresh_count(into)
    }

    fn incident_records(&mut self) -> Result<Vec<StoredIncident>> {
        let rows = self.tx.query(
            "SELECT id, sources, record, updated_at FROM incidents ORDER BY id",
            &[],
        )?;
        Ok(rows
            .iter()
            .map(|r| StoredIncident {
                id: r.get(0),
                sources: r.get::<_, i32>(1) as u32,
                record: r.get(2),
                updated_at: r.get(3),
            })
            .collect())
    }

    fn delete_incident(&mut self, id: i64) -> Result<()> {
        self.tx
            .execute("DELETE FROM incidents WHERE id = $1", &[&id])?;
        Ok(())
    }

    fn save_incident(&mut self, inc: &IncidentSave<'_>) -> Result<()> {
        self.tx.execute(
            "INSERT INTO incidents (id, event_type, sub_event_type, date_start, date_end, location_name,
                 admin1, country, lat, lon, fatalities, fatalities_low, fatalities_high, sources, record, updated_at)
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, 0, $14, $15)
             ON CONFLICT (id) DO UPDATE SET event_type = excluded.event_type,
                 sub_event_type = excluded.sub_event_type, date_start = excluded.date_start,
                 date_end = excluded.date_end, location_name = excluded.location_name,
                 admin1 = excluded.admin1, country = excluded.country, lat = excluded.lat,
                 lon = excluded.lon, fatalities = excluded.fatalities,
                 fatalities_low = excluded.fatalities_low, fatalities_high = excluded.fatalities_high,
                 record = excluded.record, updated_at = excluded.updated_at",
            &[
                &inc.id,
                &inc.event_type,
                &inc.sub_event_type,
                &inc.date_start,
                &inc.date_end,
                &inc.location_name,
                &inc.admin1,
                &inc.country,
                &inc.lat,
                &inc.lon,
                &opt_i32(inc.fatalities),
                &opt_i32(inc.fatalities_low),
                &opt_i32(inc.fatalities_high),
                &inc.record,
                &now(),
            ],
        )?;
        for e in inc.events {
            self.tx.execute(
                "INSERT INTO incident_events (event_id, incident_id) VALUES ($1, $2)
                 ON CONFLICT (event_id) DO UPDATE SET incident_id = excluded.incident_id",
                &[&e.0, &inc.id],
            )?;
        }
        self.refresh_count(inc.id)
    }

    fn cluster_scheme(&mut self) -> Result<Option<String>> {
        Ok(self
            .tx
            .query_opt(
                "SELECT value FROM cluster_meta WHERE key = 'cluster_scheme'",
                &[],
            )?
            .map(|r| r.get(0)))
    }

    fn set_cluster_scheme(&mut self, scheme: &str) -> Result<()> {
        self.tx.execute(
            "INSERT INTO cluster_meta (key, value) VALUES ('cluster_scheme', $1)
             ON CONFLICT (key) DO UPDATE SET value = excluded.value",
            &[&scheme],
        )?;
        Ok(())
    }

    fn clear_cluster_keys(&mut self) -> Result<()> {
        self.tx.batch_execute(
            "DELETE FROM event_keys; DELETE FROM article_keys; DELETE FROM events_rekey;",
        )?;
        Ok(())
    }

    fn linked_events_after(&mut self, after: EventId, limit: usize) -> Result<Vec<StoredEvent>> {
        let rows = self.tx.query(
            &format!(
                "SELECT {EVENT_COLUMNS} FROM incident_events l
                 JOIN events e ON e.id = l.event_id
                 LEFT JOIN articles a ON a.document_id = e.document_id
                 WHERE l.event_id > $1 ORDER BY l.event_id LIMIT $2"
            ),
            &[&after.0, &(limit as i64)],
        )?;
        rows.iter().map(stored_event).collect()
    }

    fn fingerprints_after(
        &mut self,
        after: DocumentId,
        limit: usize,
    ) -> Result<Vec<(DocumentId, StoredFingerprint)>> {
        let rows = self.tx.query(
            "SELECT document_id, minhash, shingles, exact FROM article_fingerprints
             WHERE document_id > $1 ORDER BY document_id LIMIT $2",
            &[&after.0, &(limit as i64)],
        )?;
        Ok(rows.iter().map(fingerprint_row).collect())
    }

    fn put_event_keys(&mut self, event: EventId, keys: &[(i64, i32)]) -> Result<()> {
        let (k, d): (Vec<i64>, Vec<i32>) = keys.iter().copied().unzip();
        self.tx
            .execute("DELETE FROM event_keys WHERE event_id = $1", &[&event.0])?;
        self.tx
            .execute("DELETE FROM events_rekey WHERE event_id = $1", &[&event.0])?;
        self.tx.execute(
            "INSERT INTO event_keys (key, day, event_id)
             SELECT k, d, $3 FROM unnest($1::BIGINT[], $2::INTEGER[]) AS t (k, d)
             ON CONFLICT DO NOTHING",
            &[&k, &d, &event.0],
        )?;
        Ok(())
    }

    fn put_article_keys(&mut self, doc: DocumentId, keys: &[i64]) -> Result<()> {
        self.tx
            .execute("DELETE FROM article_keys WHERE document_id = $1", &[&doc.0])?;
        self.tx.execute(
            "INSERT INTO article_keys (key, document_id)
             SELECT k, $2 FROM unnest($1::BIGINT[]) AS t (k) ON CONFLICT DO NOTHING",
            &[&keys, &doc.0],
        )?;
        Ok(())
    }

    fn events_to_rekey(&mut self) -> Result<Vec<StoredEvent>> {
        self.events_where("JOIN events_rekey r ON r.event_id = e.id", "TRUE", "e.id")
    }

    fn incidents_near(&mut self, lookups: &[(i64, i32, i32)]) -> Result<Vec<i64>> {
        let k: Vec<i64> = lookups.iter().map(|l| l.0).collect();
        let a: Vec<i32> = lookups.iter().map(|l| l.1).collect();
        let b: Vec<i32> = lookups.iter().map(|l| l.2).collect();
        let rows = self.tx.query(
            "SELECT DISTINCT l.incident_id
             FROM unnest($1::BIGINT[], $2::INTEGER[], $3::INTEGER[]) AS q (key, first, last)
             JOIN event_keys k ON k.key = q.key AND k.day BETWEEN q.first AND q.last
             JOIN incident_events l ON l.event_id = k.event_id
             ORDER BY l.incident_id",
            &[&k, &a, &b],
        )?;
        Ok(rows.iter().map(|r| r.get(0)).collect())
    }

    fn originals_near(&mut self, keys: &[i64]) -> Result<Vec<(DocumentId, StoredFingerprint)>> {
        let rows = self.tx.query(
            "SELECT f.document_id, f.minhash, f.shingles, f.exact FROM article_fingerprints f
             WHERE f.document_id IN (SELECT document_id FROM article_keys WHERE key = ANY($1))
               AND NOT EXISTS (SELECT 1 FROM article_copies c WHERE c.document_id = f.document_id)
             ORDER BY f.document_id",
            &[&keys],
        )?;
        Ok(rows.iter().map(fingerprint_row).collect())
    }

    fn incident_members(&mut self, ids: &[i64]) -> Result<Vec<(i64, StoredEvent)>> {
        let rows = self.tx.query(
            &format!(
                "SELECT {EVENT_COLUMNS}, l.incident_id FROM incident_events l
                 JOIN events e ON e.id = l.event_id
                 LEFT JOIN articles a ON a.document_id = e.document_id
                 WHERE l.incident_id = ANY($1)
                 ORDER BY l.linked_at, l.event_id"
            ),
            &[&ids],
        )?;
        rows.iter()
            .map(|r| Ok((r.get(10), stored_event(r)?)))
            .collect()
    }

    fn stale_incidents(&mut self) -> Result<Vec<i64>> {
        let rows = self.tx.query(
            "SELECT s.incident_id FROM incidents_stale s JOIN incidents i ON i.id = s.incident_id
             ORDER BY s.incident_id",
            &[],
        )?;
        Ok(rows.iter().map(|r| r.get(0)).collect())
    }

    fn clear_stale(&mut self, ids: &[i64]) -> Result<()> {
        self.tx.execute(
            "DELETE FROM incidents_stale
             WHERE incident_id = ANY($1) OR incident_id NOT IN (SELECT id FROM incidents)",
            &[&ids],
        )?;
        Ok(())
    }
}
