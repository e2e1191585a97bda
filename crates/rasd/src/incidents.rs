//! Incidents kept up to date incrementally, on either store: [`sync`] is written once
//! over `rasd_store::incidents::IncidentStore`, which the embedded store and a
//! PostgreSQL clustering pass (`rasd_store_pg::PgIncidents`, under an advisory lock)
//! both implement. `rasd export` runs it on either store; `rasd ingest` runs it on
//! PostgreSQL after storing, and `rasd watch` after every harvest it writes.
//!
//! A pass reads what is new (unfingerprinted articles, unlinked events) and, of what
//! is stored, only what the new things may meet: the store keeps the keys the
//! in-memory indexes file each event and article under (`rasd_dedup::keys`) and
//! answers, by an indexed query, which stored incidents hold an event filed under a
//! key a new event looks up, and which kept articles share a band with a new one. The
//! indexes restored from those alone find exactly the candidates the indexes restored
//! from the whole store would (they find candidates only through those keys), so a
//! pass costs in proportion to the new events and the incidents near them, not to
//! the store, and gives the same incidents as a pass over everything.

use anyhow::Context as _;
use rasd_dedup::keys::{filed_keys, lookup_keys};
use rasd_dedup::{DupOutcome, Fingerprint, IncidentId, IncidentIndex, NearDupIndex};
use rasd_store::incidents::{IncidentSave, IncidentStore, StoredFingerprint};
use rasd_store::{DocumentId, EventId};
use std::collections::{BTreeSet, HashMap};

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
    /// Stored incidents read back to cluster against (the pass's working set).
    pub restored: usize,
}

pub use rasd_server::source_of;

/// Keys are computed afresh in pages of this many rows, so that a large store is
/// never held in memory at once.
const REKEY_PAGE: usize = 1000;

/// Brings the stored keys up to date: all of them when they were computed another way
/// (or never, as in a store made before they existed), and those of events corrected
/// since they were filed.
fn refresh_keys<S: IncidentStore>(store: &mut S) -> anyhow::Result<()> {
    let scheme = rasd_dedup::keys::scheme();
    if store.cluster_scheme()?.as_deref() != Some(scheme) {
        store.clear_cluster_keys()?;
        let mut after = EventId(i64::MIN);
        loop {
            let page = store.linked_events_after(after, REKEY_PAGE)?;
            let Some(last) = page.last() else { break };
            after = last.id;
            for e in &page {
                store.put_event_keys(e.id, &filed_keys(&e.event))?;
            }
        }
        let mut after = DocumentId(i64::MIN);
        loop {
            let page = store.fingerprints_after(after, REKEY_PAGE)?;
            let Some(&(last, _)) = page.last() else { break };
            after = last;
            for (doc, fp) in page {
                store.put_article_keys(doc, &fingerprint(fp).stored_keys())?;
            }
        }
        store.set_cluster_scheme(scheme)?;
    }
    for e in store.events_to_rekey()? {
        store.put_event_keys(e.id, &filed_keys(&e.event))?;
    }
    Ok(())
}

fn fingerprint(fp: StoredFingerprint) -> Fingerprint {
    Fingerprint {
        minhash: fp.minhash,
        shingles: fp.shingles as usize,
        exact: fp.exact,
    }
}

/// Near-duplicates and incidents for everything stored since the last pass.
pub fn sync<S: IncidentStore>(store: &mut S) -> anyhow::Result<SyncStats> {
    let mut stats = SyncStats::default();
    refresh_keys(store)?;

    // Near-duplicate articles: new bodies are checked against the kept articles that
    // share a key with one of them (all keys first: a later new body may meet a kept
    // article an earlier one does not).
    let mut fresh = Vec::new();
    let mut keys = BTreeSet::new();
    for (doc, _doc_id, text) in store.unfingerprinted_articles()? {
        let fp = Fingerprint::of(&text);
        let k = fp.stored_keys();
        keys.extend(k.iter().copied());
        fresh.push((doc, fp, k));
    }
    let mut dups = NearDupIndex::new();
    if !fresh.is_empty() {
        let keys: Vec<i64> = keys.into_iter().collect();
        for (doc, fp) in store.originals_near(&keys)? {
            dups.restore(&doc.0.to_string(), fingerprint(fp));
        }
    }
    for (doc, fp, k) in fresh {
        store.put_fingerprint(
            doc,
            &StoredFingerprint {
                minhash: fp.minhash.clone(),
                shingles: fp.shingles as u32,
                exact: fp.exact,
            },
        )?;
        store.put_article_keys(doc, &k)?;
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

    // Incidents: restore the stored incidents the new events may meet (and those that
    // lost a source), then cluster the new events.
    let events = store.unclustered_events()?;
    let lookups: BTreeSet<(i64, i32, i32)> =
        events.iter().flat_map(|e| lookup_keys(&e.event)).collect();
    let lookups: Vec<_> = lookups.into_iter().collect();
    let stale = store.stale_incidents()?;
    let mut near = if lookups.is_empty() {
        Vec::new()
    } else {
        store.incidents_near(&lookups)?
    };
    near.extend(&stale);
    near.sort_unstable();
    near.dedup();
    stats.restored = near.len();
    let mut index = IncidentIndex::new();
    if !near.is_empty() {
        for (incident, event) in store.incident_members(&near)? {
            index.restore(incident as IncidentId, source_of(event));
        }
    }
    index.set_next_id(store.max_incident_id()? as IncidentId + 1);
    // The events linked in this pass, by incident (links made before stay as they are).
    let mut members: HashMap<IncidentId, Vec<EventId>> = HashMap::new();
    let mut touched: BTreeSet<IncidentId> = BTreeSet::new();
    for event in events {
        let event_id = event.id;
        store.put_event_keys(event_id, &filed_keys(&event.event))?;
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
    // Incidents that lost sources (re-coded documents) are saved again; those left with
    // none are deleted. One absorbed in this pass is gone already.
    for &id in &stale {
        match index.get(id as IncidentId) {
            Some(inc) if inc.id == id as IncidentId => {
                touched.insert(inc.id);
            }
            Some(_) => {}
            None => {
                store.delete_incident(id)?;
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
        let events = members.get(&id).map_or(&[][..], Vec::as_slice);
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
            events,
        })?;
        stats.saved += 1;
    }
    store.clear_stale(&stale)?;
    Ok(stats)
}

/// [`sync`] on the embedded store, as one transaction: a pass cut short (an error, a
/// kill) leaves nothing half-written, and its many small writes are committed once.
pub fn sync_sqlite(store: &rasd_store::Store) -> anyhow::Result<SyncStats> {
    let conn = store.connection();
    if !conn.is_autocommit() {
        // Inside a caller's transaction already: the pass is part of it.
        return sync(&mut &*store);
    }
    conn.execute_batch("BEGIN IMMEDIATE")
        .context("starting the clustering pass")?;
    match sync(&mut &*store) {
        Ok(stats) => {
            conn.execute_batch("COMMIT")
                .context("committing the clustering pass")?;
            Ok(stats)
        }
        Err(e) => {
            let _ = conn.execute_batch("ROLLBACK");
            Err(e)
        }
    }
}

/// [`sync`] on a shared PostgreSQL store, as one pass that no other worker's pass
/// interleaves with (see `rasd_store_pg::incidents`).
pub fn sync_postgres(store: &mut rasd_store_pg::PgStore) -> anyhow::Result<SyncStats> {
    let mut pass = store.incidents()?;
    let stats = sync(&mut pass)?;
    pass.commit()?;
    Ok(stats)
}

#[cfg(test)]
mod tests {
    use super::*;
    use rasd_model::{Article, ContentKind, DocumentMeta, Event, Origin, RawDocument};
    use rasd_store::Store;
    use std::collections::HashSet;

    /// The pass as it was before the store narrowed it: every link, fingerprint and
    /// incident read back, the indexes rebuilt from all of them. The reference the
    /// narrowed pass must agree with.
    fn full_sync(store: &Store) -> SyncStats {
        let mut stats = SyncStats::default();
        let copies: HashSet<DocumentId> = store
            .article_copies()
            .unwrap()
            .iter()
            .map(|c| c.document_id)
            .collect();
        let mut dups = NearDupIndex::new();
        for (doc, fp) in store.fingerprints().unwrap() {
            if !copies.contains(&doc) {
                dups.restore(&doc.0.to_string(), fingerprint(fp));
            }
        }
        for (doc, _, text) in store.unfingerprinted_articles().unwrap() {
            let fp = Fingerprint::of(&text);
            store
                .put_fingerprint(
                    doc,
                    &StoredFingerprint {
                        minhash: fp.minhash.clone(),
                        shingles: fp.shingles as u32,
                        exact: fp.exact,
                    },
                )
                .unwrap();
            stats.fingerprinted += 1;
            if let DupOutcome::CopyOf {
                original,
                similarity,
            } = dups.insert_fingerprint(&doc.0.to_string(), fp)
            {
                let original = DocumentId(original.parse().unwrap());
                store.put_article_copy(doc, original, similarity).unwrap();
                stats.copies += 1;
            }
        }
        let mut index = IncidentIndex::new();
        let mut members: HashMap<IncidentId, Vec<EventId>> = HashMap::new();
        for (incident, event) in store.incident_links().unwrap() {
            members
                .entry(incident as IncidentId)
                .or_default()
                .push(event.id);
            index.restore(incident as IncidentId, source_of(event));
        }
        index.set_next_id(store.max_incident_id().unwrap() as IncidentId + 1);
        let mut touched = BTreeSet::new();
        for event in store.unclustered_events().unwrap() {
            let event_id = event.id;
            let out = index.insert(source_of(event));
            stats.clustered += 1;
            stats.new_incidents += usize::from(!out.merged);
            for gone in &out.absorbed {
                let moved = members.remove(gone).unwrap_or_default();
                members.entry(out.incident_id).or_default().extend(moved);
                touched.remove(gone);
                store
                    .absorb_incident(*gone as i64, out.incident_id as i64)
                    .unwrap();
                stats.absorbed += 1;
            }
            members.entry(out.incident_id).or_default().push(event_id);
            touched.insert(out.incident_id);
        }
        for stored in store.incident_records().unwrap() {
            let id = stored.id as IncidentId;
            match index.get(id) {
                Some(inc) if inc.id == id => {
                    if inc.sources.len() != stored.sources as usize {
                        touched.insert(id);
                    }
                }
                _ => {
                    store.delete_incident(stored.id).unwrap();
                    stats.deleted += 1;
                }
            }
        }
        for id in touched {
            let record = index.get(id).and_then(|i| i.record()).unwrap();
            let e = &record.event;
            let (start, end) = (e.date_start.to_string(), e.date_end.to_string());
            store
                .save_incident(&IncidentSave {
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
                    record: &serde_json::to_string(&record).unwrap(),
                    events: &members[&id],
                })
                .unwrap();
            stats.saved += 1;
        }
        stats
    }

    /// A deterministic stream of small numbers (xorshift).
    struct Dice(u64);

    impl Dice {
        fn roll(&mut self, n: u64) -> u64 {
            self.0 ^= self.0 << 13;
            self.0 ^= self.0 >> 7;
            self.0 ^= self.0 << 17;
            self.0 % n
        }
    }

    /// Fictional places: (name, governorate, precision, point). Some villages lie
    /// within 10 km of each other, and some reports give only a governorate.
    type Place = (&'static str, &'static str, &'static str, Option<(f64, f64)>);
    const PLACES: &[Place] = &[
        (
            "قرية الوادي",
            "محافظة الشمال",
            "community",
            Some((35.10, 36.40)),
        ),
        (
            "قرية التل",
            "محافظة الشمال",
            "community",
            Some((35.14, 36.43)),
        ),
        (
            "بلدة السهل",
            "محافظة الشمال",
            "community",
            Some((35.60, 36.90)),
        ),
        ("محافظة الشمال", "محافظة الشمال", "governorate", None),
        (
            "قرية النبع",
            "محافظة الجنوب",
            "community",
            Some((32.70, 36.10)),
        ),
        (
            "حي المحطة",
            "محافظة الجنوب",
            "community",
            Some((32.72, 36.12)),
        ),
        ("منطقة الجبل", "محافظة الجنوب", "district", None),
    ];
    const ACTORS: &[&str] = &[
        "Alpha Brigade",
        "Beta Front",
        "Gamma Forces",
        "Unidentified Armed Group",
    ];
    const TYPES: &[(&str, &str)] = &[
        ("battles", "armed_clash"),
        (
            "explosions_remote_violence",
            "shelling_artillery_missile_attack",
        ),
        ("violence_against_civilians", "attack"),
    ];

    fn event(d: &mut Dice) -> Event {
        let (name, admin1, precision, point) = PLACES[d.roll(PLACES.len() as u64) as usize];
        let (t, sub) = TYPES[d.roll(TYPES.len() as u64) as usize];
        // Days out of order: a report of an earlier day may come after later ones.
        let day = 1 + d.roll(12) as i8;
        let start = jiff::civil::date(2024, 5, day);
        let end = if d.roll(8) == 0 {
            start.saturating_add(jiff::Span::new().days(d.roll(5) as i64))
        } else {
            start
        };
        let actor1 = ACTORS[d.roll(ACTORS.len() as u64) as usize];
        let actor2 = if t == "violence_against_civilians" {
            Some("Civilians (International)".to_string())
        } else {
            match d.roll(4) {
                0 => None,
                k => Some(ACTORS[(k as usize + 1) % ACTORS.len()].to_string())
                    .filter(|a| a != actor1),
            }
        };
        let fatalities = match d.roll(4) {
            0 => serde_json::Value::Null,
            k => serde_json::json!(k),
        };
        serde_json::from_value(serde_json::json!({
            "event_type": t, "sub_event_type": sub,
            "date_start": start.to_string(), "date_end": end.to_string(), "date_precision": "day",
            "location": {
                "name": name, "admin1": admin1, "country": "XX", "precision": precision,
                "lat": point.map(|p| p.0), "lon": point.map(|p| p.1),
            },
            "actor1": actor1, "assoc_actor1": [], "actor2": actor2, "assoc_actor2": [],
            "fatalities": fatalities, "fatalities_by_side": {}, "injured": null, "arrested": null,
            "evidence": [format!("جملة {}", d.roll(1000))],
        }))
        .unwrap()
    }

    /// Article bodies: a few stories, several outlets copying them word for word or
    /// with a line of their own added.
    fn body(d: &mut Dice, k: u64) -> String {
        let story = d.roll(5);
        let base = format!(
            "أفادت مصادر محلية في المنطقة رقم {story} بأن اشتباكات عنيفة اندلعت بين مجموعتين \
             مسلحتين قرب الطريق الرئيسي وأسفرت عن سقوط قتلى وجرحى بين الطرفين وسط حالة من \
             التوتر الشديد في القرى المجاورة التي شهدت نزوح عدد من العائلات"
        );
        match d.roll(3) {
            0 => base,
            1 => format!("{base} وقال ناشطون إن القصف استمر حتى ساعات المساء"),
            _ => format!("تقرير مستقل رقم {k} عن أحداث مختلفة تماما في مكان آخر من البلاد"),
        }
    }

    /// Document `k` with body `text`, as an outlet publishes it.
    fn document(k: u64, text: &str) -> (RawDocument, Article) {
        let raw = RawDocument {
            doc_id: format!("doc-{k}"),
            origin: Origin::Inline,
            kind: ContentKind::Text,
            bytes: format!("وثيقة {k}").into_bytes(),
            meta: DocumentMeta::default(),
        };
        let mut article = Article::from_text(format!("doc-{k}"), text);
        article.source = Some(format!("outlet-{}", k % 4));
        article.published = format!("2024-05-{:02}T09:00:00+03:00", 1 + k % 14)
            .parse()
            .ok();
        (raw, article)
    }

    /// Both stores go through the same writes, one synced by [`sync_sqlite`], the other
    /// by [`full_sync`].
    struct Twins {
        narrow: Store,
        full: Store,
        docs: Vec<DocumentId>,
    }

    impl Twins {
        fn each(&mut self, f: impl Fn(&mut Store)) {
            f(&mut self.narrow);
            f(&mut self.full);
        }

        fn add_document(&mut self, k: u64, text: &str, events: &[Event]) {
            let mut ids = Vec::new();
            for store in [&self.narrow, &self.full] {
                let (raw, article) = document(k, text);
                let id = store.put_document(&raw).unwrap().id();
                store.put_article(id, &article).unwrap();
                store.put_events(id, events).unwrap();
                ids.push(id);
            }
            assert_eq!(ids[0], ids[1]);
            self.docs.push(ids[0]);
        }

        /// Both passes' stats, and how many stored incidents the narrowed one read.
        fn sync(&mut self) -> (SyncStats, SyncStats, usize) {
            let mut narrow = sync_sqlite(&self.narrow).unwrap();
            let restored = std::mem::take(&mut narrow.restored);
            (narrow, full_sync(&self.full), restored)
        }
    }

    /// Everything a client can see of the incidents: each incident's id, its linked
    /// events and its record; and the copies found.
    type State = (Vec<(i64, Vec<i64>, String)>, Vec<(i64, i64)>);

    fn state(store: &Store) -> State {
        let mut incidents = Vec::new();
        for inc in store.incident_records().unwrap() {
            let mut events: Vec<i64> = store
                .incident_links()
                .unwrap()
                .iter()
                .filter(|(i, _)| *i == inc.id)
                .map(|(_, e)| e.id.0)
                .collect();
            events.sort_unstable();
            assert_eq!(events.len(), inc.sources as usize, "incident {}", inc.id);
            incidents.push((inc.id, events, inc.record));
        }
        let copies = store
            .article_copies()
            .unwrap()
            .iter()
            .map(|c| (c.document_id.0, c.original_id.0))
            .collect();
        (incidents, copies)
    }

    #[test]
    fn narrowed_passes_give_the_incidents_of_full_passes() {
        let mut t = Twins {
            narrow: Store::open_in_memory().unwrap(),
            full: Store::open_in_memory().unwrap(),
            docs: Vec::new(),
        };
        let user = t
            .narrow
            .add_user("analyst", "token-of-the-analyst-1")
            .unwrap();
        t.full
            .add_user("analyst", "token-of-the-analyst-1")
            .unwrap();
        let mut d = Dice(0x2545_f491_4f6c_dd1d);
        let mut k = 0;
        let mut restored = 0;
        let mut merged = 0;
        for round in 0..14 {
            // One round brings nothing new but a re-coding: the pass then meets only
            // the incidents that lost sources.
            let arrivals = if round == 9 { 0 } else { 3 + d.roll(6) };
            for _ in 0..arrivals {
                k += 1;
                let n = d.roll(4) as usize;
                let events: Vec<Event> = (0..n).map(|_| event(&mut d)).collect();
                let text = body(&mut d, k);
                t.add_document(k, &text, &events);
            }
            if round == 9 {
                let doc = t.docs[2];
                assert!(!t.narrow.document_events(doc).unwrap().is_empty());
                t.each(|s| {
                    s.put_events(doc, &[]).unwrap();
                });
            }
            match round % 4 {
                // A document re-coded: its old events (and their links) go.
                1 => {
                    let doc = t.docs[d.roll(t.docs.len() as u64) as usize];
                    let events: Vec<Event> = (0..d.roll(3)).map(|_| event(&mut d)).collect();
                    t.each(|s| {
                        s.put_events(doc, &events).unwrap();
                    });
                }
                // An analyst corrects an event's place and day in place.
                2 => {
                    let ids = t.narrow.document_events(t.docs[0]).unwrap();
                    if let Some(e) = ids.first() {
                        let (name, admin1, precision, point) =
                            PLACES[d.roll(PLACES.len() as u64) as usize];
                        let changes = vec![
                            ("location.name".to_string(), serde_json::json!(name)),
                            ("location.admin1".to_string(), serde_json::json!(admin1)),
                            (
                                "location.precision".to_string(),
                                serde_json::json!(precision),
                            ),
                            (
                                "location.lat".to_string(),
                                serde_json::json!(point.map(|p| p.0)),
                            ),
                            (
                                "location.lon".to_string(),
                                serde_json::json!(point.map(|p| p.1)),
                            ),
                        ];
                        let id = e.id;
                        t.each(|s| {
                            s.correct_event(id, &user, &changes, None).unwrap();
                        });
                    }
                }
                // An analyst merges two events into a group of their own (an overlay
                // the clustering pass leaves alone).
                3 => {
                    let a = t.narrow.document_events(t.docs[1]).unwrap();
                    let b = t.narrow.document_events(*t.docs.last().unwrap()).unwrap();
                    let ids: Vec<EventId> = a.iter().chain(&b).map(|e| e.id).take(2).collect();
                    if !ids.is_empty() {
                        t.each(|s| {
                            s.set_incident_group(&ids, &user, Some("g1"), "merge", None)
                                .unwrap();
                        });
                    }
                }
                _ => {}
            }
            let before = t.narrow.incident_records().unwrap().len();
            let (narrow, full, read) = t.sync();
            assert_eq!(narrow, full, "round {round}");
            merged += narrow.clustered - narrow.new_incidents;
            // The pass read only some of the incidents stored before it.
            if round > 4 {
                assert!(read < before, "round {round}: read {read} of {before}");
                restored += read;
            }
            assert_eq!(state(&t.narrow), state(&t.full), "round {round}");
        }
        let (incidents, copies) = state(&t.narrow);
        // The input was varied enough to exercise what matters: merges, copies,
        // several incidents.
        assert!(merged > 10, "{merged} merges");
        assert!(!copies.is_empty());
        assert!(incidents.len() > 10, "{} incidents", incidents.len());
        assert!(restored > 0, "no pass met a stored incident");
    }

    /// What a store holds of incidents, by store-independent names: each incident's
    /// id, its sources (`doc_id#ordinal`) and record; and the copies found (doc ids).
    type Named = (Vec<(i64, Vec<String>, String)>, Vec<(String, String)>);

    fn named<S: IncidentStore>(s: &mut S) -> Named {
        let links = s.incident_links().unwrap();
        let mut incidents = Vec::new();
        for inc in s.incident_records().unwrap() {
            let mut sources: Vec<String> = links
                .iter()
                .filter(|(i, _)| *i == inc.id)
                .map(|(_, e)| format!("{}#{}", e.doc_id, e.ordinal))
                .collect();
            sources.sort();
            incidents.push((inc.id, sources, inc.record));
        }
        let copies = s
            .article_copies()
            .unwrap()
            .into_iter()
            .map(|c| (c.doc_id, c.original_doc_id))
            .collect();
        (incidents, copies)
    }

    /// The narrowed pass on PostgreSQL (under its lock, in one transaction) against the
    /// full pass on the embedded store, over the same documents and re-codings. Needs
    /// `RASD_TEST_POSTGRES`; skips without it.
    #[test]
    fn narrowed_passes_on_postgres_give_the_incidents_of_full_passes() {
        let Some(db) = rasd_store_pg::scratch::ScratchDb::from_env() else {
            return;
        };
        let mut pg = rasd_store_pg::PgStore::connect(&db.url).unwrap();
        let full = Store::open_in_memory().unwrap();
        let mut d = Dice(0x9e37_79b9_7f4a_7c15);
        let mut docs: Vec<(DocumentId, DocumentId)> = Vec::new();
        let mut k = 0;
        for round in 0..10 {
            let mut batch = pg.batch().unwrap();
            for _ in 0..(2 + d.roll(5)) {
                k += 1;
                let events: Vec<Event> = (0..d.roll(4)).map(|_| event(&mut d)).collect();
                let (raw, article) = document(k, &body(&mut d, k));
                let p = batch.put_document(&raw).unwrap().id();
                batch.put_article(p, &article).unwrap();
                batch.put_events(p, &events).unwrap();
                let f = full.put_document(&raw).unwrap().id();
                full.put_article(f, &article).unwrap();
                full.put_events(f, &events).unwrap();
                docs.push((p, f));
            }
            if round % 3 == 2 {
                let (p, f) = docs[d.roll(docs.len() as u64) as usize];
                let events: Vec<Event> = (0..d.roll(3)).map(|_| event(&mut d)).collect();
                batch.put_events(p, &events).unwrap();
                full.put_events(f, &events).unwrap();
            }
            batch.commit().unwrap();
            let mut narrow = sync_postgres(&mut pg).unwrap();
            narrow.restored = 0;
            assert_eq!(narrow, full_sync(&full), "round {round}");
            let mut pass = pg.incidents().unwrap();
            assert_eq!(named(&mut pass), named(&mut &full), "round {round}");
        }
        assert!(named(&mut &full).0.len() > 5);
    }
}
