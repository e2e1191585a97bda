//! Incidents and article copies (migration `0002_incidents.sql`), for rasd-dedup.
//!
//! The clustering itself is `rasd_dedup` (pure, in memory); this module persists its
//! results so that clustering stays incremental across runs: the links of stored
//! events to incidents (restore the incidents new events may meet with
//! `IncidentIndex::restore`, then insert only [`Store::unclustered_events`]), each
//! incident's merged record, the MinHash fingerprints of article bodies and the
//! near-duplicate copies found. The store does not depend on rasd-dedup: records are
//! passed as JSON text, and the keys the dedup indexes file events and articles under
//! (`rasd_dedup::keys`, migration 0040) as numbers, which the store only indexes and
//! matches: [`Store::incidents_near`] and [`Store::originals_near`] answer which stored
//! incidents and kept articles new ones may meet, so that a pass never reads the rest.
//!
//! ```text
//! Store::save_incident(&self, incident: &IncidentSave<'_>) -> Result<()>        // upsert row + links
//! Store::absorb_incident(&self, from: i64, into: i64) -> Result<()>             // relink, drop `from`
//! Store::delete_incident(&self, id: i64) -> Result<()>
//! Store::incident_links(&self) -> Result<Vec<(i64, StoredEvent)>>                // (incident id, event), by link order
//! Store::unclustered_events(&self) -> Result<Vec<StoredEvent>>                   // events with no incident yet, by id
//! Store::incident_records(&self) -> Result<Vec<StoredIncident>>                  // by id
//! Store::incident_of_event(&self, EventId) -> Result<Option<i64>>
//! Store::max_incident_id(&self) -> Result<i64>
//! Store::put_fingerprint(&self, DocumentId, &StoredFingerprint) -> Result<()>
//! Store::fingerprints(&self) -> Result<Vec<(DocumentId, StoredFingerprint)>>    // by document id
//! Store::unfingerprinted_articles(&self) -> Result<Vec<(DocumentId, String, String)>> // (id, doc_id, text)
//! Store::put_article_copy(&self, copy: DocumentId, original: DocumentId, similarity: f64) -> Result<()>
//! Store::article_copies(&self) -> Result<Vec<ArticleCopy>>
//! Store::put_event_keys(&self, EventId, &[(key, day)]) / put_article_keys(&self, DocumentId, &[key])
//! Store::incidents_near(&self, &[(key, first_day, last_day)]) -> Result<Vec<i64>>
//! Store::originals_near(&self, &[key]) -> Result<Vec<(DocumentId, StoredFingerprint)>> // not copies
//! Store::incident_members(&self, &[i64]) -> Result<Vec<(i64, StoredEvent)>>     // by link order
//! Store::stale_incidents(&self) / clear_stale(&self, &[i64])                    // lost a source
//! Store::events_to_rekey(&self)                                                 // corrected in place
//! Store::cluster_scheme(&self) / set_cluster_scheme / clear_cluster_keys / linked_events_after / fingerprints_after
//! ```
//!
//! [`IncidentStore`] is the same set of operations as a trait, which the PostgreSQL
//! store implements too, so the clustering pass (`rasd`'s `incidents::sync`) is
//! written once for both.

use crate::{DocumentId, EventId, Result, Store, StoredEvent, in_tx};
use rusqlite::{OptionalExtension, params};
use serde::Serialize;

/// What [`Store::save_incident`] writes: the summary columns, the record JSON and the
/// ids of the stored events that are its sources (links not listed are left alone).
#[derive(Debug, Clone)]
pub struct IncidentSave<'a> {
    pub id: i64,
    pub event_type: &'a str,
    pub sub_event_type: &'a str,
    pub date_start: &'a str,
    pub date_end: &'a str,
    pub location_name: &'a str,
    pub admin1: Option<&'a str>,
    pub country: &'a str,
    pub lat: Option<f64>,
    pub lon: Option<f64>,
    pub fatalities: Option<u32>,
    pub fatalities_low: Option<u32>,
    pub fatalities_high: Option<u32>,
    /// The merged record as JSON.
    pub record: &'a str,
    pub events: &'a [EventId],
}

/// A stored incident: its id, number of sources and record JSON.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct StoredIncident {
    pub id: i64,
    pub sources: u32,
    pub record: String,
    pub updated_at: String,
}

/// A stored article fingerprint (see `rasd_dedup::Fingerprint`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StoredFingerprint {
    pub minhash: Vec<u64>,
    pub shingles: u32,
    pub exact: u64,
}

/// An article found to copy another.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ArticleCopy {
    pub document_id: DocumentId,
    pub doc_id: String,
    pub original_id: DocumentId,
    pub original_doc_id: String,
    pub similarity: f64,
}

fn now() -> String {
    jiff::Timestamp::now().to_string()
}

impl Store {
    /// Writes (or replaces) an incident's row and links the listed events to it (an
    /// event linked elsewhere moves here).
    pub fn save_incident(&self, inc: &IncidentSave<'_>) -> Result<()> {
        in_tx(self.connection(), |c| {
            let at = now();
            c.execute(
                "INSERT INTO incidents (id, event_type, sub_event_type, date_start, date_end, location_name,
                     admin1, country, lat, lon, fatalities, fatalities_low, fatalities_high, sources, record, updated_at)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, 0, ?14, ?15)
                 ON CONFLICT (id) DO UPDATE SET event_type = excluded.event_type,
                     sub_event_type = excluded.sub_event_type, date_start = excluded.date_start,
                     date_end = excluded.date_end, location_name = excluded.location_name,
                     admin1 = excluded.admin1, country = excluded.country, lat = excluded.lat,
                     lon = excluded.lon, fatalities = excluded.fatalities,
                     fatalities_low = excluded.fatalities_low, fatalities_high = excluded.fatalities_high,
                     record = excluded.record, updated_at = excluded.updated_at",
                params![
                    inc.id,
                    inc.event_type,
                    inc.sub_event_type,
                    inc.date_start,
                    inc.date_end,
                    inc.location_name,
                    inc.admin1,
                    inc.country,
                    inc.lat,
                    inc.lon,
                    inc.fatalities,
                    inc.fatalities_low,
                    inc.fatalities_high,
                    inc.record,
                    at
                ],
            )?;
            let mut link = c.prepare_cached(
                "INSERT INTO incident_events (event_id, incident_id, linked_at) VALUES (?1, ?2, ?3)
                 ON CONFLICT (event_id) DO UPDATE SET incident_id = excluded.incident_id",
            )?;
            for e in inc.events {
                link.execute(params![e.0, inc.id, at])?;
            }
            refresh_count(c, inc.id)?;
            Ok(())
        })
    }

    /// Moves every link of incident `from` to `into` and deletes `from` (the clusterer
    /// absorbed it).
    pub fn absorb_incident(&self, from: i64, into: i64) -> Result<()> {
        if from == into {
            return Ok(());
        }
        in_tx(self.connection(), |c| {
            c.execute(
                "UPDATE incident_events SET incident_id = ?2 WHERE incident_id = ?1",
                params![from, into],
            )?;
            c.execute("DELETE FROM incidents WHERE id = ?1", [from])?;
            refresh_count(c, into)?;
            Ok(())
        })
    }

    /// Deletes an incident (its links go with it).
    pub fn delete_incident(&self, id: i64) -> Result<()> {
        self.connection()
            .execute("DELETE FROM incidents WHERE id = ?1", [id])?;
        Ok(())
    }

    /// Every linked event with its incident, in the order the links were made.
    pub fn incident_links(&self) -> Result<Vec<(i64, StoredEvent)>> {
        let ids: Vec<(i64, i64)> = self
            .connection()
            .prepare(
                "SELECT incident_id, event_id FROM incident_events ORDER BY linked_at, event_id",
            )?
            .query_map([], |r| Ok((r.get(0)?, r.get(1)?)))?
            .collect::<rusqlite::Result<_>>()?;
        let mut out = Vec::with_capacity(ids.len());
        for (inc, ev) in ids {
            if let Some(e) = self.get_event(EventId(ev))? {
                out.push((inc, e));
            }
        }
        Ok(out)
    }

    /// The stored events not linked to any incident yet, oldest first.
    pub fn unclustered_events(&self) -> Result<Vec<StoredEvent>> {
        let ids: Vec<i64> = self
            .connection()
            .prepare(
                "SELECT e.id FROM events e LEFT JOIN incident_events l ON l.event_id = e.id
                 WHERE l.event_id IS NULL ORDER BY e.id",
            )?
            .query_map([], |r| r.get(0))?
            .collect::<rusqlite::Result<_>>()?;
        let mut out = Vec::with_capacity(ids.len());
        for id in ids {
            if let Some(e) = self.get_event(EventId(id))? {
                out.push(e);
            }
        }
        Ok(out)
    }

    /// Every stored incident, by id.
    pub fn incident_records(&self) -> Result<Vec<StoredIncident>> {
        let rows = self
            .connection()
            .prepare("SELECT id, sources, record, updated_at FROM incidents ORDER BY id")?
            .query_map([], |r| {
                Ok(StoredIncident {
                    id: r.get(0)?,
                    sources: r.get(1)?,
                    record: r.get(2)?,
                    updated_at: r.get(3)?,
                })
            })?
            .collect::<rusqlite::Result<_>>()?;
        Ok(rows)
    }

    /// The incident a stored event belongs to.
    pub fn incident_of_event(&self, id: EventId) -> Result<Option<i64>> {
        Ok(self
            .connection()
            .query_row(
                "SELECT incident_id FROM incident_events WHERE event_id = ?1",
                [id.0],
                |r| r.get(0),
            )
            .optional()?)
    }

    /// The largest incident id stored (0 when none).
    pub fn max_incident_id(&self) -> Result<i64> {
        Ok(self
            .connection()
            .query_row("SELECT coalesce(max(id), 0) FROM incidents", [], |r| {
                r.get(0)
            })?)
    }

    /// Stores (or replaces) the fingerprint of a document's article.
    pub fn put_fingerprint(&self, doc: DocumentId, fp: &StoredFingerprint) -> Result<()> {
        let mut blob = Vec::with_capacity(fp.minhash.len() * 8);
        for v in &fp.minhash {
            blob.extend_from_slice(&v.to_le_bytes());
        }
        self.connection().execute(
            "INSERT INTO article_fingerprints (document_id, minhash, shingles, exact) VALUES (?1, ?2, ?3, ?4)
             ON CONFLICT (document_id) DO UPDATE SET minhash = excluded.minhash,
                 shingles = excluded.shingles, exact = excluded.exact",
            params![doc.0, blob, fp.shingles, format!("{:016x}", fp.exact)],
        )?;
        Ok(())
    }

    /// Every stored fingerprint, by document id.
    pub fn fingerprints(&self) -> Result<Vec<(DocumentId, StoredFingerprint)>> {
        let rows = self
            .connection()
            .prepare("SELECT document_id, minhash, shingles, exact FROM article_fingerprints ORDER BY document_id")?
            .query_map([], |r| {
                let blob: Vec<u8> = r.get(1)?;
                let exact: String = r.get(3)?;
                Ok((
                    DocumentId(r.get(0)?),
                    StoredFingerprint {
                        minhash: blob
                            .chunks_exact(8)
                            .map(|c| u64::from_le_bytes(c.try_into().unwrap_or([0; 8])))
                            .collect(),
                        shingles: r.get(2)?,
                        exact: u64::from_str_radix(&exact, 16).unwrap_or(0),
                    },
                ))
            })?
            .collect::<rusqlite::Result<_>>()?;
        Ok(rows)
    }

    /// Articles with no fingerprint yet: (document id, doc_id, body text), oldest first.
    pub fn unfingerprinted_articles(&self) -> Result<Vec<(DocumentId, String, String)>> {
        let rows = self
            .connection()
            .prepare(
                "SELECT a.document_id, a.doc_id, a.text FROM articles a
                 LEFT JOIN article_fingerprints f ON f.document_id = a.document_id
                 WHERE f.document_id IS NULL ORDER BY a.document_id",
            )?
            .query_map([], |r| Ok((DocumentId(r.get(0)?), r.get(1)?, r.get(2)?)))?
            .collect::<rusqlite::Result<_>>()?;
        Ok(rows)
    }

    /// Records that document `copy` is a near-duplicate of `original`.
    pub fn put_article_copy(
        &self,
        copy: DocumentId,
        original: DocumentId,
        similarity: f64,
    ) -> Result<()> {
        self.connection().execute(
            "INSERT INTO article_copies (document_id, original_id, similarity, found_at) VALUES (?1, ?2, ?3, ?4)
             ON CONFLICT (document_id) DO UPDATE SET original_id = excluded.original_id,
                 similarity = excluded.similarity",
            params![copy.0, original.0, similarity, now()],
        )?;
        Ok(())
    }

    /// Every copy found, by copy document id.
    pub fn article_copies(&self) -> Result<Vec<ArticleCopy>> {
        let rows = self
            .connection()
            .prepare(
                "SELECT c.document_id, d.doc_id, c.original_id, o.doc_id, c.similarity
                 FROM article_copies c JOIN documents d ON d.id = c.document_id
                 JOIN documents o ON o.id = c.original_id ORDER BY c.document_id",
            )?
            .query_map([], |r| {
                Ok(ArticleCopy {
                    document_id: DocumentId(r.get(0)?),
                    doc_id: r.get(1)?,
                    original_id: DocumentId(r.get(2)?),
                    original_doc_id: r.get(3)?,
                    similarity: r.get(4)?,
                })
            })?
            .collect::<rusqlite::Result<_>>()?;
        Ok(rows)
    }
}

/// The events of `ids` (those that exist), in the order of `ids`.
fn events_of(store: &Store, ids: impl IntoIterator<Item = i64>) -> Result<Vec<StoredEvent>> {
    let mut out = Vec::new();
    for id in ids {
        if let Some(e) = store.get_event(EventId(id))? {
            out.push(e);
        }
    }
    Ok(out)
}

fn fingerprint_row(r: &rusqlite::Row<'_>) -> rusqlite::Result<(DocumentId, StoredFingerprint)> {
    let blob: Vec<u8> = r.get(1)?;
    let exact: String = r.get(3)?;
    Ok((
        DocumentId(r.get(0)?),
        StoredFingerprint {
            minhash: blob
                .chunks_exact(8)
                .map(|c| u64::from_le_bytes(c.try_into().unwrap_or([0; 8])))
                .collect(),
            shingles: r.get(2)?,
            exact: u64::from_str_radix(&exact, 16).unwrap_or(0),
        },
    ))
}

/// The narrowed clustering pass (migration `0040_cluster_keys.sql`): the keys
/// `rasd_dedup::keys` files events and articles under, and the reads that use them.
impl Store {
    /// The key scheme the stored keys were computed with (`rasd_dedup::keys::scheme`).
    pub fn cluster_scheme(&self) -> Result<Option<String>> {
        Ok(self
            .connection()
            .query_row(
                "SELECT value FROM store_meta WHERE key = 'cluster_scheme'",
                [],
                |r| r.get(0),
            )
            .optional()?)
    }

    pub fn set_cluster_scheme(&self, scheme: &str) -> Result<()> {
        self.connection().execute(
            "INSERT OR REPLACE INTO store_meta (key, value) VALUES ('cluster_scheme', ?1)",
            [scheme],
        )?;
        Ok(())
    }

    /// Forgets every stored key (before they are computed afresh).
    pub fn clear_cluster_keys(&self) -> Result<()> {
        self.connection().execute_batch(
            "DELETE FROM event_keys; DELETE FROM article_keys; DELETE FROM events_rekey;",
        )?;
        Ok(())
    }

    /// Up to `limit` events linked to an incident with ids after `after`, by id.
    pub fn linked_events_after(&self, after: EventId, limit: usize) -> Result<Vec<StoredEvent>> {
        let ids: Vec<i64> = self
            .connection()
            .prepare_cached(
                "SELECT event_id FROM incident_events WHERE event_id > ?1 ORDER BY event_id LIMIT ?2",
            )?
            .query_map(params![after.0, limit as i64], |r| r.get(0))?
            .collect::<rusqlite::Result<_>>()?;
        events_of(self, ids)
    }

    /// Up to `limit` fingerprints of documents with ids after `after`, by id.
    pub fn fingerprints_after(
        &self,
        after: DocumentId,
        limit: usize,
    ) -> Result<Vec<(DocumentId, StoredFingerprint)>> {
        let rows = self
            .connection()
            .prepare_cached(
                "SELECT document_id, minhash, shingles, exact FROM article_fingerprints
                 WHERE document_id > ?1 ORDER BY document_id LIMIT ?2",
            )?
            .query_map(params![after.0, limit as i64], fingerprint_row)?
            .collect::<rusqlite::Result<_>>()?;
        Ok(rows)
    }

    /// Files an event under `keys` (`(key, day)`), replacing what it was filed under.
    pub fn put_event_keys(&self, event: EventId, keys: &[(i64, i32)]) -> Result<()> {
        in_tx(self.connection(), |c| {
            c.prepare_cached("DELETE FROM event_keys WHERE event_id = ?1")?
                .execute([event.0])?;
            c.prepare_cached("DELETE FROM events_rekey WHERE event_id = ?1")?
                .execute([event.0])?;
            let mut put = c.prepare_cached(
                "INSERT OR IGNORE INTO event_keys (key, day, event_id) VALUES (?1, ?2, ?3)",
            )?;
            for (k, d) in keys {
                put.execute(params![k, d, event.0])?;
            }
            Ok(())
        })
    }

    /// Files an article under `keys`, replacing what it was filed under.
    pub fn put_article_keys(&self, doc: DocumentId, keys: &[i64]) -> Result<()> {
        in_tx(self.connection(), |c| {
            c.prepare_cached("DELETE FROM article_keys WHERE document_id = ?1")?
                .execute([doc.0])?;
            let mut put = c.prepare_cached(
                "INSERT OR IGNORE INTO article_keys (key, document_id) VALUES (?1, ?2)",
            )?;
            for k in keys {
                put.execute(params![k, doc.0])?;
            }
            Ok(())
        })
    }

    /// Events corrected in place since they were filed, by id: their keys are gone.
    pub fn events_to_rekey(&self) -> Result<Vec<StoredEvent>> {
        let ids: Vec<i64> = self
            .connection()
            .prepare("SELECT event_id FROM events_rekey ORDER BY event_id")?
            .query_map([], |r| r.get(0))?
            .collect::<rusqlite::Result<_>>()?;
        events_of(self, ids)
    }

    /// The incidents holding an event filed under one of `lookups`' keys on a day of
    /// its range (`(key, first day, last day)`), by id.
    pub fn incidents_near(&self, lookups: &[(i64, i32, i32)]) -> Result<Vec<i64>> {
        let mut stmt = self.connection().prepare_cached(
            "SELECT l.incident_id FROM event_keys k JOIN incident_events l ON l.event_id = k.event_id
             WHERE k.key = ?1 AND k.day BETWEEN ?2 AND ?3",
        )?;
        let mut out = std::collections::BTreeSet::new();
        for (k, a, b) in lookups {
            for id in stmt.query_map(params![k, a, b], |r| r.get::<_, i64>(0))? {
                out.insert(id?);
            }
        }
        Ok(out.into_iter().collect())
    }

    /// The fingerprints of the kept (not copied) articles filed under one of `keys`,
    /// by document id.
    pub fn originals_near(&self, keys: &[i64]) -> Result<Vec<(DocumentId, StoredFingerprint)>> {
        let mut ids = std::collections::BTreeSet::new();
        {
            let mut stmt = self.connection().prepare_cached(
                "SELECT k.document_id FROM article_keys k
                 LEFT JOIN article_copies c ON c.document_id = k.document_id
                 WHERE k.key = ?1 AND c.document_id IS NULL",
            )?;
            for k in keys {
                for id in stmt.query_map([k], |r| r.get::<_, i64>(0))? {
                    ids.insert(id?);
                }
            }
        }
        let mut get = self.connection().prepare_cached(
            "SELECT document_id, minhash, shingles, exact FROM article_fingerprints
             WHERE document_id = ?1",
        )?;
        let mut out = Vec::with_capacity(ids.len());
        for id in ids {
            if let Some(row) = get.query_row([id], fingerprint_row).optional()? {
                out.push(row);
            }
        }
        Ok(out)
    }

    /// The events linked to the incidents `ids`, with their incident, in the order the
    /// links were made.
    pub fn incident_members(&self, ids: &[i64]) -> Result<Vec<(i64, StoredEvent)>> {
        let mut links: Vec<(String, i64, i64)> = Vec::new();
        {
            let mut stmt = self.connection().prepare_cached(
                "SELECT linked_at, event_id, incident_id FROM incident_events WHERE incident_id = ?1",
            )?;
            for id in ids {
                for row in stmt.query_map([id], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)))? {
                    links.push(row?);
                }
            }
        }
        links.sort();
        let mut out = Vec::with_capacity(links.len());
        for (_, event, incident) in links {
            if let Some(e) = self.get_event(EventId(event))? {
                out.push((incident, e));
            }
        }
        Ok(out)
    }

    /// Stored incidents that lost a source since the last pass, by id.
    pub fn stale_incidents(&self) -> Result<Vec<i64>> {
        let ids = self
            .connection()
            .prepare(
                "SELECT s.incident_id FROM incidents_stale s JOIN incidents i ON i.id = s.incident_id
                 ORDER BY s.incident_id",
            )?
            .query_map([], |r| r.get(0))?
            .collect::<rusqlite::Result<_>>()?;
        Ok(ids)
    }

    /// Marks the incidents `ids` handled, and forgets marks of incidents that are gone.
    pub fn clear_stale(&self, ids: &[i64]) -> Result<()> {
        in_tx(self.connection(), |c| {
            let mut del = c.prepare_cached("DELETE FROM incidents_stale WHERE incident_id = ?1")?;
            for id in ids {
                del.execute([id])?;
            }
            c.execute(
                "DELETE FROM incidents_stale WHERE incident_id NOT IN (SELECT id FROM incidents)",
                [],
            )?;
            Ok(())
        })
    }
}

/// What the incremental clustering pass needs from a store, whichever it is: the
/// methods of the same names above. An implementation should run them in one
/// transaction that no other clustering pass interleaves with (the embedded store has
/// one writer at a time; the PostgreSQL one takes an advisory lock).
pub trait IncidentStore {
    type Error: std::error::Error + Send + Sync + 'static;
    fn article_copies(&mut self) -> Result<Vec<ArticleCopy>, Self::Error>;
    fn fingerprints(&mut self) -> Result<Vec<(DocumentId, StoredFingerprint)>, Self::Error>;
    fn unfingerprinted_articles(
        &mut self,
    ) -> Result<Vec<(DocumentId, String, String)>, Self::Error>;
    fn put_fingerprint(
        &mut self,
        doc: DocumentId,
        fp: &StoredFingerprint,
    ) -> Result<(), Self::Error>;
    fn put_article_copy(
        &mut self,
        copy: DocumentId,
        original: DocumentId,
        similarity: f64,
    ) -> Result<(), Self::Error>;
    fn incident_links(&mut self) -> Result<Vec<(i64, StoredEvent)>, Self::Error>;
    fn max_incident_id(&mut self) -> Result<i64, Self::Error>;
    fn unclustered_events(&mut self) -> Result<Vec<StoredEvent>, Self::Error>;
    fn absorb_incident(&mut self, from: i64, into: i64) -> Result<(), Self::Error>;
    fn incident_records(&mut self) -> Result<Vec<StoredIncident>, Self::Error>;
    fn delete_incident(&mut self, id: i64) -> Result<(), Self::Error>;
    fn save_incident(&mut self, inc: &IncidentSave<'_>) -> Result<(), Self::Error>;
    fn cluster_scheme(&mut self) -> Result<Option<String>, Self::Error>;
    fn set_cluster_scheme(&mut self, scheme: &str) -> Result<(), Self::Error>;
    fn clear_cluster_keys(&mut self) -> Result<(), Self::Error>;
    fn linked_events_after(
        &mut self,
        after: EventId,
        limit: usize,
    ) -> Result<Vec<StoredEvent>, Self::Error>;
    fn fingerprints_after(
        &mut self,
        after: DocumentId,
        limit: usize,
    ) -> Result<Vec<(DocumentId, StoredFingerprint)>, Self::Error>;
    fn put_event_keys(&mut self, event: EventId, keys: &[(i64, i32)]) -> Result<(), Self::Error>;
    fn put_article_keys(&mut self, doc: DocumentId, keys: &[i64]) -> Result<(), Self::Error>;
    fn events_to_rekey(&mut self) -> Result<Vec<StoredEvent>, Self::Error>;
    fn incidents_near(&mut self, lookups: &[(i64, i32, i32)]) -> Result<Vec<i64>, Self::Error>;
    fn originals_near(
        &mut self,
        keys: &[i64],
    ) -> Result<Vec<(DocumentId, StoredFingerprint)>, Self::Error>;
    fn incident_members(&mut self, ids: &[i64]) -> Result<Vec<(i64, StoredEvent)>, Self::Error>;
    fn stale_incidents(&mut self) -> Result<Vec<i64>, Self::Error>;
    fn clear_stale(&mut self, ids: &[i64]) -> Result<(), Self::Error>;
}

/// On a shared reference: the embedded store's writes need no `&mut` (SQLite
/// serialises writers itself), and callers holding `&Store` can run a pass.
impl IncidentStore for &Store {
    type Error = crate::StoreError;
    fn article_copies(&mut self) -> Result<Vec<ArticleCopy>> {
        Store::article_copies(self)
    }
    fn fingerprints(&mut self) -> Result<Vec<(DocumentId, StoredFingerprint)>> {
        Store::fingerprints(self)
    }
    fn unfingerprinted_articles(&mut self) -> Result<Vec<(DocumentId, String, String)>> {
        Store::unfingerprinted_articles(self)
    }
    fn put_fingerprint(&mut self, doc: DocumentId, fp: &StoredFingerprint) -> Result<()> {
        Store::put_fingerprint(self, doc, fp)
    }
    fn put_article_copy(
        &mut self,
        copy: DocumentId,
        original: DocumentId,
        similarity: f64,
    ) -> Result<()> {
        Store::put_article_copy(self, copy, original, similarity)
    }
    fn incident_links(&mut self) -> Result<Vec<(i64, StoredEvent)>> {
        Store::incident_links(self)
    }
    fn max_incident_id(&mut self) -> Result<i64> {
        Store::max_incident_id(self)
    }
    fn unclustered_events(&mut self) -> Result<Vec<StoredEvent>> {
        Store::unclustered_events(self)
    }
    fn absorb_incident(&mut self, from: i64, into: i64) -> Result<()> {
        Store::absorb_incident(self, from, into)
    }
    fn incident_records(&mut self) -> Result<Vec<StoredIncident>> {
        Store::incident_records(self)
    }
    fn delete_incident(&mut self, id: i64) -> Result<()> {
        Store::delete_incident(self, id)
    }
    fn save_incident(&mut self, inc: &IncidentSave<'_>) -> Result<()> {
        Store::save_incident(self, inc)
    }
    fn cluster_scheme(&mut self) -> Result<Option<String>> {
        Store::cluster_scheme(self)
    }
    fn set_cluster_scheme(&mut self, scheme: &str) -> Result<()> {
        Store::set_cluster_scheme(self, scheme)
    }
    fn clear_cluster_keys(&mut self) -> Result<()> {
        Store::clear_cluster_keys(self)
    }
    fn linked_events_after(&mut self, after: EventId, limit: usize) -> Result<Vec<StoredEvent>> {
        Store::linked_events_after(self, after, limit)
    }
    fn fingerprints_after(
        &mut self,
        after: DocumentId,
        limit: usize,
    ) -> Result<Vec<(DocumentId, StoredFingerprint)>> {
        Store::fingerprints_after(self, after, limit)
    }
    fn put_event_keys(&mut self, event: EventId, keys: &[(i64, i32)]) -> Result<()> {
        Store::put_event_keys(self, event, keys)
    }
    fn put_article_keys(&mut self, doc: DocumentId, keys: &[i64]) -> Result<()> {
        Store::put_article_keys(self, doc, keys)
    }
    fn events_to_rekey(&mut self) -> Result<Vec<StoredEvent>> {
        Store::events_to_rekey(self)
    }
    fn incidents_near(&mut self, lookups: &[(i64, i32, i32)]) -> Result<Vec<i64>> {
        Store::incidents_near(self, lookups)
    }
    fn originals_near(&mut self, keys: &[i64]) -> Result<Vec<(DocumentId, StoredFingerprint)>> {
        Store::originals_near(self, keys)
    }
    fn incident_members(&mut self, ids: &[i64]) -> Result<Vec<(i64, StoredEvent)>> {
        Store::incident_members(self, ids)
    }
    fn stale_incidents(&mut self) -> Result<Vec<i64>> {
        Store::stale_incidents(self)
    }
    fn clear_stale(&mut self, ids: &[i64]) -> Result<()> {
        Store::clear_stale(self, ids)
    }
}

fn refresh_count(c: &rusqlite::Connection, id: i64) -> Result<()> {
    c.execute(
        "UPDATE incidents SET sources = (SELECT count(*) FROM incident_events WHERE incident_id = ?1) WHERE id = ?1",
        [id],
    )?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use rasd_model::{ContentKind, DocumentMeta, Event, Origin, RawDocument};

    const EVENT: &str = r#"{"event_type": "battles", "sub_event_type": "armed_clash", "date_start": "2020-05-10", "date_end": "2020-05-10", "date_precision": "day", "location": {"name": "قرية أ", "admin1": "محافظة ب", "country": "XX", "precision": "community"}, "actor1": "Alpha", "assoc_actor1": [], "actor2": "Beta", "assoc_actor2": [], "fatalities": 3, "fatalities_by_side": {}, "injured": null, "arrested": null, "evidence": ["جملة"]}"#;

    fn doc(store: &Store, name: &str) -> (DocumentId, Vec<EventId>) {
        let raw = RawDocument {
            doc_id: name.into(),
            origin: Origin::Inline,
            kind: ContentKind::Text,
            bytes: format!("نص {name}").into_bytes(),
            meta: DocumentMeta::default(),
        };
        let id = store.put_document(&raw).unwrap().id();
        let event: Event = serde_json::from_str(EVENT).unwrap();
        let events = store.put_events(id, &[event.clone(), event]).unwrap();
        (id, events)
    }

    fn save(store: &Store, id: i64, events: &[EventId]) {
        store
            .save_incident(&IncidentSave {
                id,
                event_type: "battles",
                sub_event_type: "armed_clash",
                date_start: "2020-05-10",
                date_end: "2020-05-10",
                location_name: "قرية أ",
                admin1: Some("محافظة ب"),
                country: "XX",
                lat: None,
                lon: None,
                fatalities: Some(3),
                fatalities_low: Some(3),
                fatalities_high: Some(3),
                record: "{}",
                events,
            })
            .unwrap();
    }

    #[test]
    fn links_survive_and_follow_absorption() {
        let store = Store::open_in_memory().unwrap();
        let (_, a) = doc(&store, "a");
        let (b_doc, b) = doc(&store, "b");
        assert_eq!(store.unclustered_events().unwrap().len(), 4);
        save(&store, 1, &a);
        save(&store, 2, &b[..1]);
        assert_eq!(store.unclustered_events().unwrap().len(), 1);
        assert_eq!(store.incident_of_event(b[0]).unwrap(), Some(2));
        store.absorb_incident(2, 1).unwrap();
        assert_eq!(store.incident_of_event(b[0]).unwrap(), Some(1));
        let recs = store.incident_records().unwrap();
        assert_eq!(recs.len(), 1);
        assert_eq!(recs[0].sources, 3);
        assert_eq!(store.max_incident_id().unwrap(), 1);
        let links = store.incident_links().unwrap();
        assert_eq!(links.len(), 3);
        assert!(links.iter().all(|(i, _)| *i == 1));
        // Re-coding a document drops its events' links.
        let event: Event = serde_json::from_str(EVENT).unwrap();
        store.put_events(b_doc, &[event]).unwrap();
        assert_eq!(store.incident_links().unwrap().len(), 2);
        assert_eq!(store.unclustered_events().unwrap().len(), 1);
    }

    #[test]
    fn fingerprints_and_copies_round_trip() {
        let store = Store::open_in_memory().unwrap();
        let (a, _) = doc(&store, "a");
        let (b, _) = doc(&store, "b");
        let fp = StoredFingerprint {
            minhash: vec![1, u64::MAX, 42],
            shingles: 17,
            exact: 0xdead_beef_0000_0001,
        };
        store.put_fingerprint(a, &fp).unwrap();
        assert_eq!(store.fingerprints().unwrap(), vec![(a, fp)]);
        store.put_article_copy(b, a, 0.93).unwrap();
        let copies = store.article_copies().unwrap();
        assert_eq!(copies.len(), 1);
        assert_eq!(
            (
                copies[0].doc_id.as_str(),
                copies[0].original_doc_id.as_str()
            ),
            ("b", "a")
        );
    }

    #[test]
    fn keys_find_the_incidents_and_originals_near() {
        let store = Store::open_in_memory().unwrap();
        let (a_doc, a) = doc(&store, "a");
        let (b_doc, b) = doc(&store, "b");
        save(&store, 1, &a);
        save(&store, 2, &b);
        store.put_event_keys(a[0], &[(7, 100), (8, 100)]).unwrap();
        store.put_event_keys(a[1], &[(7, 101)]).unwrap();
        store.put_event_keys(b[0], &[(9, 100)]).unwrap();
        // Filing again replaces what an event was filed under.
        store.put_event_keys(b[1], &[(7, 300)]).unwrap();
        store.put_event_keys(b[1], &[(7, 400)]).unwrap();
        assert_eq!(store.incidents_near(&[(7, 99, 101)]).unwrap(), vec![1]);
        assert_eq!(
            store.incidents_near(&[(7, 399, 401), (9, 0, 100)]).unwrap(),
            vec![2]
        );
        assert_eq!(
            store.incidents_near(&[(7, 300, 300)]).unwrap(),
            Vec::<i64>::new()
        );
        assert_eq!(
            store
                .incidents_near(&[(7, 0, 1000), (8, 100, 100)])
                .unwrap(),
            vec![1, 2]
        );
        let members = store.incident_members(&[2]).unwrap();
        assert_eq!(
            members.iter().map(|(i, e)| (*i, e.id)).collect::<Vec<_>>(),
            vec![(2, b[0]), (2, b[1])]
        );

        let fp = StoredFingerprint {
            minhash: vec![1, 2],
            shingles: 10,
            exact: 5,
        };
        store.put_fingerprint(a_doc, &fp).unwrap();
        store.put_fingerprint(b_doc, &fp).unwrap();
        store.put_article_keys(a_doc, &[11, 12]).unwrap();
        store.put_article_keys(b_doc, &[12, 13]).unwrap();
        let near = |k: &[i64]| -> Vec<DocumentId> {
            store
                .originals_near(k)
                .unwrap()
                .into_iter()
                .map(|(d, _)| d)
                .collect()
        };
        assert_eq!(near(&[12]), vec![a_doc, b_doc]);
        assert_eq!(near(&[13, 99]), vec![b_doc]);
        // A copy is never an original.
        store.put_article_copy(b_doc, a_doc, 0.9).unwrap();
        assert_eq!(near(&[12, 13]), vec![a_doc]);
    }

    #[test]
    fn lost_sources_and_corrections_are_remembered_for_the_next_pass() {
        let mut store = Store::open_in_memory().unwrap();
        let (a_doc, a) = doc(&store, "a");
        let (_, b) = doc(&store, "b");
        save(&store, 1, &a);
        save(&store, 2, &b);
        store.put_event_keys(b[0], &[(7, 100)]).unwrap();
        assert!(store.stale_incidents().unwrap().is_empty());
        // Re-coding document a drops incident 1's links.
        let event: Event = serde_json::from_str(EVENT).unwrap();
        store.put_events(a_doc, &[event]).unwrap();
        assert_eq!(store.stale_incidents().unwrap(), vec![1]);
        store.clear_stale(&[1]).unwrap();
        assert!(store.stale_incidents().unwrap().is_empty());
        // An analyst's correction un-files the event until the next pass files it again.
        assert_eq!(store.incidents_near(&[(7, 100, 100)]).unwrap(), vec![2]);
        let user = store.add_user("analyst", "a-token-of-16-chars").unwrap();
        store
            .correct_event(
                b[0],
                &user,
                &[("fatalities".to_string(), serde_json::json!(5))],
                None,
            )
            .unwrap();
        let rekey: Vec<EventId> = store
            .events_to_rekey()
            .unwrap()
            .iter()
            .map(|e| e.id)
            .collect();
        assert_eq!(rekey, vec![b[0]]);
        assert!(store.incidents_near(&[(7, 100, 100)]).unwrap().is_empty());
        store.put_event_keys(b[0], &[(7, 100)]).unwrap();
        assert!(store.events_to_rekey().unwrap().is_empty());
        assert_eq!(store.incidents_near(&[(7, 100, 100)]).unwrap(), vec![2]);

        // A deleted incident is no longer stale, and its mark goes.
        store.delete_incident(2).unwrap();
        assert!(store.stale_incidents().unwrap().is_empty());
        store.clear_stale(&[]).unwrap();
        let left: i64 = store
            .connection()
            .query_row("SELECT count(*) FROM incidents_stale", [], |r| r.get(0))
            .unwrap();
        assert_eq!(left, 0);
    }
}
