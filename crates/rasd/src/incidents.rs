//! Incidents kept up to date incrementally, on either store: [`sync`] is written once
//! over `rasd_store::incidents::IncidentStore`, which the embedded store and a
//! PostgreSQL clustering pass (`rasd_store_pg::PgIncidents`, under an advisory lock)
//! both implement. `rasd export` runs it on either store; `rasd ingest` runs it on
//! PostgreSQL after storing, so incidents there are clustered as events arrive.

use anyhow::Context as _;
use rasd_dedup::{DupOutcome, Fingerprint, IncidentId, IncidentIndex, NearDupIndex};
use rasd_store::incidents::{IncidentSave, IncidentStore, StoredFingerprint};
use rasd_store::{DocumentId, EventId};
use std::collections::{BTreeSet, HashMap, HashSet};

/// What one [`sync`] pass did.
#[derive(Debug, Default, Clone, Copy, PartialEq, Eq)]
pub struct SyncStats {
    pub fingerprinted: usize,
    pub copies: usize,
    pub clustered: usize,
    pub new_incidents: usize,
    pub absorbed: usize,
    pub saved: usize,
    pub deleted: usize,
}

pub use rasd_server::source_of;

/// Near-duplicates and incidents for everything stored since the last pass.
pub fn sync<S: IncidentStore>(store: &mut S) -> anyhow::Result<SyncStats> {
    let mut stats = SyncStats::default();

    // Near-duplicate articles: originals go back into the index, new bodies are checked.
    let copies: HashSet<DocumentId> = store
        .article_copies()?
        .iter()
        .map(|c| c.document_id)
        .collect();
    let mut dups = NearDupIndex::new();
    for (doc, fp) in store.fingerprints()? {
        if !copies.contains(&doc) {
            let fp = Fingerprint {
                minhash: fp.minhash,
                shingles: fp.shingles as usize,
                exact: fp.exact,
            };
            dups.restore(&doc.0.to_string(), fp);
        }
    }
    for (doc, _doc_id, text) in store.unfingerprinted_articles()? {
        let fp = Fingerprint::of(&text);
        store.put_fingerprint(
            doc,
            &StoredFingerprint {
                minhash: fp.minhash.clone(),
                shingles: fp.shingles as u32,
                exact: fp.exact,
            },
        )?;
        stats.fingerprinted += 1;
        if let DupOutcome::CopyOf {
            original,
            similarity,
        } = dups.insert_fingerprint(&doc.0.to_string(), fp)
        {
            let original: i64 = original.parse().context("near-duplicate index key")?;
            store.put_article_copy(doc, DocumentId(original), similarity)?;
            stats.copies += 1;
        }
    }

    // Incidents: rebuild from the links, then cluster only what is new.
    let mut index = IncidentIndex::new();
    let mut members: HashMap<IncidentId, Vec<EventId>> = HashMap::new();
    for (incident, event) in store.incident_links()? {
        let id = incident as IncidentId;
        members.entry(id).or_default().push(event.id);
        index.restore(id, source_of(event));
    }
    index.set_next_id(store.max_incident_id()? as IncidentId + 1);
    let mut touched: BTreeSet<IncidentId> = BTreeSet::new();
    for event in store.unclustered_events()? {
        let event_id = event.id;
        let out = index.insert(source_of(event));
        stats.clustered += 1;
        if !out.merged {
            stats.new_incidents += 1;
        }
        for gone in &out.absorbed {
            let moved = members.remove(gone).unwrap_or_default();
            members.entry(out.incident_id).or_default().extend(moved);
            touched.remove(gone);
            store.absorb_incident(*gone as i64, out.incident_id as i64)?;
            stats.absorbed += 1;
        }
        members.entry(out.incident_id).or_default().push(event_id);
        touched.insert(out.incident_id);
    }
    // Incidents whose sources changed under them (re-coded documents) are saved again;
    // incidents left with no source are deleted.
    for stored in store.incident_records()? {
        let id = stored.id as IncidentId;
        match index.get(id) {
            Some(inc) if inc.id == id => {
                if inc.sources.len() != stored.sources as usize {
                    touched.insert(id);
                }
            }
            _ => {
                store.delete_incident(stored.id)?;
                stats.deleted += 1;
            }
        }
    }
    for id in touched {
        let Some(record) = index.get(id).and_then(|i| i.record()) else {
            continue;
        };
        let e = &record.event;
        let json = serde_json::to_string(&record)?;
        let (start, end) = (e.date_start.to_string(), e.date_end.to_string());
        let events = members.get(&id).cloned().unwrap_or_default();
        store.save_incident(&IncidentSave {
            id: id as i64,
            event_type: e.event_type.as_str(),
            sub_event_type: e.sub_event_type.as_str(),
            date_start: &start,
            date_end: &end,
            location_name: &e.location.name,
            admin1: e.location.admin1.as_deref(),
            country: &e.location.country,
            lat: e.location.lat,
            lon: e.location.lon,
            fatalities: e.fatalities,
            fatalities_low: record.fatalities_low,
            fatalities_high: record.fatalities_high,
            record: &json,
            events: &events,
        })?;
        stats.saved += 1;
    }
    Ok(stats)
}

/// [`sync`] on a shared PostgreSQL store, as one pass that no other worker's pass
/// interleaves with (see `rasd_store_pg::incidents`).
pub fn sync_postgres(store: &mut rasd_store_pg::PgStore) -> anyhow::Result<SyncStats> {
    let mut pass = store.incidents()?;
    let stats = sync(&mut pass)?;
    pass.commit()?;
    Ok(stats)
}
