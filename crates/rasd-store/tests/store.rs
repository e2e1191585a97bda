//! The store on small fictional data: migrations, idempotence, replacement, filters,
//! full-text search over folded Arabic, batches.

use jiff::civil::date;
use rasd_model::{Article, ContentKind, DocumentMeta, Event, EventType, Origin, RawDocument};
use rasd_store::{BBox, DocumentId, EventFilter, PutDocument, Sort, Store, StoreError};

fn raw(doc_id: &str, body: &str) -> RawDocument {
    RawDocument {
        doc_id: doc_id.into(),
        origin: Origin::File {
            path: format!("in/{doc_id}.txt"),
        },
        kind: ContentKind::Text,
        bytes: body.as_bytes().to_vec(),
        meta: DocumentMeta::default(),
    }
}

#[allow(clippy::too_many_arguments)]
fn event(
    kind: &str,
    sub: &str,
    day: &str,
    place: &str,
    admin1: &str,
    actor1: &str,
    fatalities: Option<u32>,
    sentence: &str,
    lat_lon: Option<(f64, f64)>,
) -> Event {
    let mut location = serde_json::json!({"name": place, "admin1": admin1, "country": "SY", "precision": "community"});
    if let Some((lat, lon)) = lat_lon {
        location["lat"] = lat.into();
        location["lon"] = lon.into();
    }
    serde_json::from_value(serde_json::json!({
        "event_type": kind, "sub_event_type": sub, "date_start": day, "date_end": day,
        "date_precision": "day", "location": location, "actor1": actor1, "assoc_actor1": [],
        "actor2": null, "assoc_actor2": [], "fatalities": fatalities, "fatalities_by_side": {},
        "injured": null, "arrested": null, "evidence": [sentence],
        "evidence_spans": [{"start": 0, "end": sentence.chars().count()}], "confidence": 0.7
    }))
    .unwrap()
}

fn sample_events() -> Vec<Event> {
    vec![
        event(
            "battles",
            "armed_clash",
            "2023-03-02",
            "طفس",
            "درعا",
            "Syrian Government Forces",
            Some(3),
            "اندلعت اشتباكاتٌ عنيفة في مدينة طَفَس غربي درعا.",
            Some((32.74, 35.99)),
        ),
        event(
            "explosions_remote_violence",
            "air_drone_strike",
            "2023-03-04",
            "سرمدا",
            "إدلب",
            "Russia",
            Some(1),
            "استهدفت طائرة مسيّرة سيارةً قرب سرمدا.",
            Some((36.17, 36.70)),
        ),
        event(
            "strategic_developments",
            "arrests",
            "2023-02-20",
            "الرقة",
            "الرقة",
            "Syrian Democratic Forces",
            None,
            "اعتقلت دوريةٌ شبانًا في الرقّة.",
            None,
        ),
    ]
}

fn stored(store: &Store) -> DocumentId {
    let id = store.put_document(&raw("news-1", "نص الخبر")).unwrap().id();
    let mut article = Article::from_text("news-1", "اندلعت اشتباكاتٌ عنيفة في مدينة طَفَس غربي درعا.");
    article.title = Some("اشتباكات في طفس".into());
    article.source = Some("Horan Echo".into());
    store.put_article(id, &article).unwrap();
    store.put_events(id, &sample_events()).unwrap();
    id
}

fn ids(store: &Store, filter: &EventFilter) -> Vec<String> {
    store
        .query_events(filter)
        .unwrap()
        .into_iter()
        .map(|e| e.event.location.name)
        .collect()
}

#[test]
fn fresh_store_is_fully_migrated_and_sound() {
    let store = Store::open_in_memory().unwrap();
    assert_eq!(store.schema_version().unwrap(), rasd_store::LATEST_VERSION);
    assert!(store.check().unwrap().is_empty());
    // Migrations start at 1 and are numbered in increasing order.
    assert_eq!(rasd_store::MIGRATIONS[0].0, 1);
    assert!(rasd_store::MIGRATIONS.windows(2).all(|w| w[0].0 < w[1].0));
    let applied: i64 = store
        .connection()
        .query_row("SELECT count(*) FROM schema_migrations", [], |r| r.get(0))
        .unwrap();
    assert_eq!(applied as usize, rasd_store::MIGRATIONS.len());
}

#[test]
fn same_bytes_are_stored_once() {
    let store = Store::open_in_memory().unwrap();
    let a = store.put_document(&raw("a", "نفس النص")).unwrap();
    let b = store.put_document(&raw("b", "نفس النص")).unwrap();
    assert!(matches!(a, PutDocument::Inserted(_)));
    assert_eq!(b, PutDocument::Existing(a.id()));
    assert!(
        store
            .has_document_hash(&rasd_store::content_hash("نفس النص".as_bytes()))
            .unwrap()
    );
    assert!(
        !store
            .has_document_hash(&rasd_store::content_hash(b"x"))
            .unwrap()
    );
    assert_eq!(store.counts().unwrap().documents, 1);
    let doc = store.get_document(a.id()).unwrap().unwrap();
    assert_eq!(doc.bytes, "نفس النص".as_bytes());
    assert_eq!(doc.doc_id, "a");
    assert_eq!(doc.kind, ContentKind::Text);
    assert_eq!(
        rasd_store::content_hash(b"abc"),
        "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"
    );
}

#[test]
fn recoding_replaces_the_events_of_a_document() {
    let store = Store::open_in_memory().unwrap();
    let id = stored(&store);
    assert_eq!(store.counts().unwrap().events, 3);
    assert_eq!(store.counts().unwrap().evidence, 3);
    let one = vec![sample_events().remove(1)];
    store.put_events(id, &one).unwrap();
    let counts = store.counts().unwrap();
    assert_eq!((counts.events, counts.evidence), (1, 1));
    let events = store.document_events(id).unwrap();
    assert_eq!(events[0].event, one[0]);
    assert_eq!(events[0].source.as_deref(), Some("Horan Echo"));
    // The old events left the text index too.
    let f = EventFilter {
        text: Some("طفس".into()),
        ..Default::default()
    };
    assert!(store.query_events(&f).unwrap().is_empty());
    assert!(store.check().unwrap().is_empty());
}

#[test]
fn events_round_trip_exactly() {
    let store = Store::open_in_memory().unwrap();
    let id = stored(&store);
    let events: Vec<Event> = store
        .document_events(id)
        .unwrap()
        .into_iter()
        .map(|e| e.event)
        .collect();
    assert_eq!(events, sample_events());
    let first = store.document_events(id).unwrap().remove(0);
    assert_eq!(store.get_event(first.id).unwrap().unwrap(), first);
    assert_eq!(
        store.get_article(id).unwrap().unwrap().title.as_deref(),
        Some("اشتباكات في طفس")
    );
}

#[test]
fn every_filter_selects() {
    let store = Store::open_in_memory().unwrap();
    stored(&store);
    let all = EventFilter::default();
    assert_eq!(ids(&store, &all), ["سرمدا", "طفس", "الرقة"]);
    assert_eq!(store.count_events(&all).unwrap(), 3);

    let f = EventFilter {
        from: Some(date(2023, 3, 1)),
        to: Some(date(2023, 3, 3)),
        ..Default::default()
    };
    assert_eq!(ids(&store, &f), ["طفس"]);
    let f = EventFilter {
        event_type: Some(EventType::ExplosionsRemoteViolence),
        ..Default::default()
    };
    assert_eq!(ids(&store, &f), ["سرمدا"]);
    let f = EventFilter {
        sub_event_type: Some(rasd_model::SubEventType::Arrests),
        ..Default::default()
    };
    assert_eq!(ids(&store, &f), ["الرقة"]);
    let f = EventFilter {
        actor: Some("democratic".into()),
        ..Default::default()
    };
    assert_eq!(ids(&store, &f), ["الرقة"]);
    // Folding: hamza on the alef and a shadda do not matter.
    let f = EventFilter {
        admin1: Some("ادلب".into()),
        ..Default::default()
    };
    assert_eq!(ids(&store, &f), ["سرمدا"]);
    let f = EventFilter {
        place: Some("درعا".into()),
        ..Default::default()
    };
    assert_eq!(ids(&store, &f), ["طفس"]);
    let f = EventFilter {
        place: Some("الرقّه".into()),
        ..Default::default()
    };
    assert_eq!(ids(&store, &f), ["الرقة"]);
    let f = EventFilter {
        bbox: Some("35.5,32.5,36.5,33.0".parse::<BBox>().unwrap()),
        ..Default::default()
    };
    assert_eq!(ids(&store, &f), ["طفس"]);
    let f = EventFilter {
        min_fatalities: Some(2),
        ..Default::default()
    };
    assert_eq!(ids(&store, &f), ["طفس"]);
    let f = EventFilter {
        sort: Sort::FatalitiesDesc,
        ..Default::default()
    };
    assert_eq!(ids(&store, &f), ["طفس", "سرمدا", "الرقة"]);
    let f = EventFilter {
        sort: Sort::DateAsc,
        limit: Some(1),
        offset: 1,
        ..Default::default()
    };
    assert_eq!(ids(&store, &f), ["طفس"]);
    assert_eq!(store.count_events(&f).unwrap(), 3);
    let f = EventFilter {
        doc_id: Some("other".into()),
        ..Default::default()
    };
    assert!(ids(&store, &f).is_empty());
}

#[test]
fn free_text_finds_folded_arabic_with_clitics() {
    let store = Store::open_in_memory().unwrap();
    let id = stored(&store);
    let search = |q: &str| {
        ids(
            &store,
            &EventFilter {
                text: Some(q.into()),
                ..Default::default()
            },
        )
    };
    // Indexed «طَفَس» (with diacritics) is found by the bare word.
    assert_eq!(search("طفس"), ["طفس"]);
    // «مسيرة» (no shadda) finds «مسيّرة»; «بسرمدا» is not needed to find «قرب سرمدا».
    assert_eq!(search("مسيرة سرمدا"), ["سرمدا"]);
    // Every term must occur.
    assert!(search("مسيرة طفس").is_empty());
    // Actors are indexed too, case-insensitively.
    assert_eq!(search("democratic"), ["الرقة"]);
    // Quotes and FTS syntax are data, not syntax.
    assert!(search("\"طفس OR").is_empty() || search("\"طفس OR") == ["طفس"]);
    // Too short to search: nothing.
    assert!(search("في").is_empty());
    assert_eq!(store.search_articles("اشتباكات", 10).unwrap(), [id]);
    assert!(store.search_articles("سرمدا", 10).unwrap().is_empty());
}

#[test]
fn a_dropped_batch_leaves_nothing_and_a_committed_one_everything() {
    let mut store = Store::open_in_memory().unwrap();
    {
        let batch = store.batch().unwrap();
        let id = batch.put_document(&raw("x", "أ")).unwrap().id();
        batch.put_events(id, &sample_events()).unwrap();
        // dropped without commit
    }
    assert_eq!(store.counts().unwrap(), Default::default());
    let batch = store.batch().unwrap();
    let id = batch.put_document(&raw("x", "أ")).unwrap().id();
    batch.put_events(id, &sample_events()).unwrap();
    assert!(
        batch
            .has_document_hash(&rasd_store::content_hash("أ".as_bytes()))
            .unwrap()
    );
    batch.commit().unwrap();
    assert_eq!(store.counts().unwrap().events, 3);
}

#[test]
fn events_need_their_document() {
    let store = Store::open_in_memory().unwrap();
    let err = store
        .put_events(DocumentId(99), &sample_events())
        .unwrap_err();
    assert!(matches!(err, StoreError::NoDocument(99)), "{err}");
}

#[test]
fn a_store_created_by_migration_0001_upgrades() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("old.db");
    {
        // What a rasd that only knew 0001 wrote.
        let conn = rusqlite::Connection::open(&path).unwrap();
        let (version, _, sql) = rasd_store::MIGRATIONS[0];
        assert_eq!(version, 1);
        conn.execute_batch(sql).unwrap();
        conn.pragma_update(None, "user_version", 1).unwrap();
        conn.execute(
            "INSERT INTO documents (doc_id, content_hash, origin_kind, origin, kind, meta, bytes, size, seen_at)
             VALUES ('old-1', 'abc', 'file', 'x/old-1.txt', 'text', '{}', x'6869', 2, '2024-01-01T00:00:00Z')",
            [],
        )
        .unwrap();
    }
    let store = Store::open(&path).unwrap();
    assert_eq!(store.schema_version().unwrap(), rasd_store::LATEST_VERSION);
    let id = store.documents_by_doc_id("old-1").unwrap()[0];
    assert_eq!(store.get_document(id).unwrap().unwrap().bytes, b"hi");
    store.put_events(id, &sample_events()).unwrap();
    assert_eq!(store.count_events(&EventFilter::default()).unwrap(), 3);
    assert!(store.check().unwrap().is_empty());
    drop(store);
    // Re-opening is a no-op, and every migration is recorded once.
    let store = Store::open(&path).unwrap();
    assert_eq!(store.counts().unwrap().events, 3);
    let applied: i64 = store
        .connection()
        .query_row("SELECT count(*) FROM schema_migrations", [], |r| r.get(0))
        .unwrap();
    assert_eq!(applied as usize, rasd_store::MIGRATIONS.len());
}

#[test]
fn a_store_from_a_newer_rasd_is_refused() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("new.db");
    {
        let conn = rusqlite::Connection::open(&path).unwrap();
        conn.pragma_update(None, "user_version", rasd_store::LATEST_VERSION + 1)
            .unwrap();
    }
    match Store::open(&path) {
        Err(StoreError::TooNew { found, known }) => {
            assert_eq!(
                (found, known),
                (rasd_store::LATEST_VERSION + 1, rasd_store::LATEST_VERSION)
            )
        }
        Err(e) => panic!("unexpected error {e}"),
        Ok(_) => panic!("a newer store was opened"),
    }
}

#[test]
fn file_stores_use_wal_and_survive_reopening() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("rasd.db");
    let id = stored(&Store::open(&path).unwrap());
    let store = Store::open(&path).unwrap();
    let mode: String = store
        .connection()
        .pragma_query_value(None, "journal_mode", |r| r.get(0))
        .unwrap();
    assert_eq!(mode, "wal");
    assert_eq!(store.document_events(id).unwrap().len(), 3);
}
