//! The PostgreSQL store against a real server. Each test makes its own database and
//! drops it afterwards.
//!
//! Needs `RASD_TEST_POSTGRES`: the URL of a database on a server where that role may
//! create databases (e.g. `postgres://rasd:rasd@127.0.0.1/postgres`). `.ci/run`
//! installs and starts a server and sets it; without it the tests say so and skip.

use rasd_model::{Article, ContentKind, DocumentMeta, Event, Origin, RawDocument};
use rasd_store::review::ReviewStore;
use rasd_store::{EventFilter, PutDocument, Sort};
use rasd_store_pg::PgStore;
use rasd_store_pg::scratch::ScratchDb;

fn doc(name: &str, body: &str) -> RawDocument {
    RawDocument {
        doc_id: name.to_string(),
        origin: Origin::File {
            path: format!("in/{name}.txt"),
        },
        kind: ContentKind::Text,
        bytes: body.as_bytes().to_vec(),
        meta: DocumentMeta::default(),
    }
}

/// An event in the events.md schema; the place, actors and toll vary per test.
fn event(place: &str, admin1: &str, actor1: &str, fatalities: Option<u32>, day: &str) -> Event {
    let v = serde_json::json!({
        "event_type": "explosions_remote_violence",
        "sub_event_type": "shelling_artillery_missile_attack",
        "date_start": day, "date_end": day, "date_precision": "day",
        "location": {"name": place, "admin1": admin1, "country": "SY", "precision": "community",
                     "lat": 32.8, "lon": 36.1},
        "actor1": actor1, "assoc_actor1": [], "actor2": "Civilians (Syria)", "assoc_actor2": [],
        "fatalities": fatalities, "fatalities_by_side": {}, "injured": null, "arrested": null,
        "evidence": [format!("سقطت قذائف على بلدة {place} في ريف {admin1}.")],
        "evidence_spans": [{"start": 0, "end": 30}],
        "confidence": 0.9
    });
    serde_json::from_value(v).expect("a valid event")
}

#[test]
fn schema_is_created_once_and_reconnecting_keeps_it() {
    let Some(db) = ScratchDb::from_env() else {
        return;
    };
    let mut a = PgStore::connect(&db.url).unwrap();
    assert_eq!(a.schema_version().unwrap(), rasd_store_pg::LATEST_VERSION);
    drop(a);
    let mut b = PgStore::connect(&db.url).unwrap();
    assert_eq!(b.schema_version().unwrap(), rasd_store_pg::LATEST_VERSION);
    assert_eq!(b.counts().unwrap().documents, 0);
}

#[test]
fn documents_are_stored_once_and_events_are_queried_with_filters() {
    let Some(db) = ScratchDb::from_env() else {
        return;
    };
    let mut store = PgStore::connect(&db.url).unwrap();
    let mut batch = store.batch().unwrap();
    let first = batch.put_document(&doc("a", "نص أول")).unwrap();
    assert!(first.is_new());
    let second = batch.put_document(&doc("b", "نص ثان")).unwrap();
    let mut article = Article::from_text("a", "نص أول");
    article.source = Some("منفذ تجريبي".into());
    batch.put_article(first.id(), &article).unwrap();
    batch
        .put_events(
            first.id(),
            &[
                event(
                    "طفس",
                    "درعا",
                    "Military Forces of Syria",
                    Some(3),
                    "2024-05-02",
                ),
                event("جاسم", "درعا", "Islamic State", None, "2024-05-04"),
            ],
        )
        .unwrap();
    batch
        .put_events(
            second.id(),
            &[event(
                "الميادين",
                "دير الزور",
                "Islamic State",
                Some(1),
                "2024-04-20",
            )],
        )
        .unwrap();
    batch.commit().unwrap();

    // The same bytes again: existing, whatever the name.
    let mut batch = store.batch().unwrap();
    assert_eq!(
        batch.put_document(&doc("a-copy", "نص أول")).unwrap(),
        PutDocument::Existing(first.id())
    );
    batch.commit().unwrap();
    let counts = store.counts().unwrap();
    assert_eq!(
        (
            counts.documents,
            counts.articles,
            counts.events,
            counts.evidence
        ),
        (2, 1, 3, 3)
    );

    let all = store.query_events(&EventFilter::default()).unwrap();
    let days: Vec<String> = all.iter().map(|e| e.event.date_start.to_string()).collect();
    assert_eq!(days, ["2024-05-04", "2024-05-02", "2024-04-20"]);
    assert_eq!(all[0].source.as_deref(), Some("منفذ تجريبي"));
    assert_eq!(all[2].source, None);

    let n = |f: EventFilter, store: &mut PgStore| store.query_events(&f).unwrap().len();
    // Governorate folded: hamza and diacritics do not matter.
    let f = EventFilter {
        admin1: Some("دَرْعا".into()),
        ..Default::default()
    };
    assert_eq!(n(f, &mut store), 2);
    let f = EventFilter {
        actor: Some("islamic".into()),
        ..Default::default()
    };
    assert_eq!(n(f, &mut store), 2);
    let f = EventFilter {
        min_fatalities: Some(2),
        ..Default::default()
    };
    assert_eq!(n(f, &mut store), 1);
    let f = EventFilter {
        text: Some("الميادين".into()),
        ..Default::default()
    };
    assert_eq!(n(f, &mut store), 1);
    // The search runs over folded Arabic: diacritics, alef forms and ta marbuta as
    // the reporter wrote them do not matter.
    let f = EventFilter {
        text: Some("المَيادِين قذائِف".into()),
        ..Default::default()
    };
    assert_eq!(n(f, &mut store), 1);
    let f = EventFilter {
        text: Some("بلدة الميادين".into()),
        ..Default::default()
    };
    assert_eq!(n(f, &mut store), 1);
    // ... through the pg_trgm index (the planner is told to avoid scans so that the
    // plan of a small table shows whether the index can serve the filter).
    let mut raw = postgres::Client::connect(&db.url, postgres::NoTls).unwrap();
    raw.batch_execute("SET enable_seqscan = off").unwrap();
    let plan: Vec<String> = raw
        .query(
            "EXPLAIN SELECT id FROM events WHERE search_text LIKE '%ميادين%'",
            &[],
        )
        .unwrap()
        .iter()
        .map(|r| r.get(0))
        .collect();
    assert!(
        plan.iter().any(|l| l.contains("events_search_trgm")),
        "{plan:#?}"
    );
    let f = EventFilter {
        from: Some("2024-05-01".parse().unwrap()),
        to: Some("2024-05-03".parse().unwrap()),
        ..Default::default()
    };
    assert_eq!(n(f, &mut store), 1);
    let f = EventFilter {
        actor: Some("%".into()),
        ..Default::default()
    };
    assert_eq!(
        n(f, &mut store),
        0,
        "a LIKE wildcard is a literal character"
    );
    let deadliest = store
        .query_events(&EventFilter {
            sort: Sort::FatalitiesDesc,
            limit: Some(2),
            ..Default::default()
        })
        .unwrap();
    let tolls: Vec<Option<u32>> = deadliest.iter().map(|e| e.event.fatalities).collect();
    assert_eq!(tolls, [Some(3), Some(1)]);
    let with_toll = EventFilter {
        min_fatalities: Some(1),
        limit: Some(1),
        ..Default::default()
    };
    assert_eq!(
        store.count_events(&with_toll).unwrap(),
        2,
        "the limit does not cap the count"
    );

    // Re-coding replaces a document's events.
    let mut batch = store.batch().unwrap();
    batch
        .put_events(
            first.id(),
            &[event(
                "طفس",
                "درعا",
                "Unidentified armed group",
                Some(4),
                "2024-05-02",
            )],
        )
        .unwrap();
    batch.commit().unwrap();
    assert_eq!(store.counts().unwrap().events, 2);
    let evidence: Vec<String> = store
        .query_events(&EventFilter {
            doc_id: Some("a".into()),
            ..Default::default()
        })
        .unwrap()
        .iter()
        .flat_map(|e| e.event.evidence.clone())
        .collect();
    assert_eq!(evidence.len(), 1);
}

#[test]
fn a_batch_dropped_before_commit_leaves_nothing() {
    let Some(db) = ScratchDb::from_env() else {
        return;
    };
    let mut store = PgStore::connect(&db.url).unwrap();
    {
        let mut batch = store.batch().unwrap();
        let id = batch.put_document(&doc("lost", "لن يحفظ")).unwrap().id();
        batch
            .put_events(
                id,
                &[event("طفس", "درعا", "Islamic State", None, "2024-01-01")],
            )
            .unwrap();
    }
    assert_eq!(store.counts().unwrap().documents, 0);
    assert_eq!(store.counts().unwrap().events, 0);
}

/// Workers started together on the same input: the schema is made once, each
/// document is stored once, and exactly one worker reports it as new.
#[test]
fn concurrent_workers_store_each_document_once() {
    let Some(db) = ScratchDb::from_env() else {
        return;
    };
    const WORKERS: usize = 4;
    const DOCS: usize = 24;
    let inserted: usize = std::thread::scope(|s| {
        let handles: Vec<_> = (0..WORKERS)
            .map(|w| {
                let url = db.url.clone();
                s.spawn(move || {
                    let mut store = PgStore::connect(&url).expect("worker connects");
                    let mut new = 0;
                    // Each worker walks the input from a different point, in batches of 5.
                    let order: Vec<usize> = (0..DOCS).map(|i| (i + w * 7) % DOCS).collect();
                    for chunk in order.chunks(5) {
                        let mut batch = store.batch().unwrap();
                        let docs: Vec<RawDocument> = chunk
                            .iter()
                            .map(|i| doc(&format!("d{i}"), &format!("خبر رقم {i}")))
                            .collect();
                        let refs: Vec<&RawDocument> = docs.iter().collect();
                        for put in batch.put_documents(&refs).unwrap() {
                            if put.is_new() {
                                new += 1;
                                batch
                                    .put_events(
                                        put.id(),
                                        &[event(
                                            "بصرى الشام",
                                            "درعا",
                                            "Islamic State",
                                            Some(1),
                                            "2024-03-03",
                                        )],
                                    )
                                    .unwrap();
                            }
                        }
                        batch.commit().unwrap();
                    }
                    new
                })
            })
            .collect();
        handles.into_iter().map(|h| h.join().unwrap()).sum()
    });
    let mut store = PgStore::connect(&db.url).unwrap();
    let counts = store.counts().unwrap();
    assert_eq!(inserted, DOCS);
    assert_eq!(counts.documents as usize, DOCS);
    assert_eq!(counts.events as usize, DOCS);
    assert_eq!(
        store.schema_version().unwrap(),
        rasd_store_pg::LATEST_VERSION
    );
}

/// The review workflow on the shared store: a correction and a wrong mark hold
/// through re-coding the moment the worker's batch commits, and a coder change that
/// splits a corrected event leaves an orphan, listed and re-attached.
#[test]
fn review_holds_through_recoding_and_splits_leave_orphans() {
    let Some(db) = ScratchDb::from_env() else {
        return;
    };
    let mut store = PgStore::connect(&db.url).unwrap();
    let user = store.add_user("mona", "0123456789abcdef0123").unwrap();
    assert!(store.add_user("mona", "another-token-00000").is_err());
    assert_eq!(
        store.user_for_token("0123456789abcdef0123").unwrap(),
        Some(user.clone())
    );
    let coded = |toll: u32| {
        vec![
            event("طفس", "درعا", "Local armed group", Some(toll), "2024-03-13"),
            event("جاسم", "درعا", "Islamic State", Some(1), "2024-03-14"),
        ]
    };
    let mut batch = store.batch().unwrap();
    let d = batch.put_document(&doc("tafas", "نص طفس")).unwrap().id();
    let ids = batch.put_events(d, &coded(7)).unwrap();
    batch.commit().unwrap();
    let fixed = store
        .correct_event(
            ids[0],
            &user,
            &[("fatalities".into(), serde_json::json!(9))],
            Some("nine in the later report"),
        )
        .unwrap();
    assert_eq!(fixed.fatalities, Some(9));
    store.mark_wrong(ids[1], &user, true, None).unwrap();
    let bad = store.correct_event(
        ids[0],
        &user,
        &[("evidence".into(), serde_json::json!([]))],
        None,
    );
    assert!(bad.is_err());

    // A worker re-codes the document: new ids, the review already on them.
    let mut batch = store.batch().unwrap();
    let new = batch.put_events(d, &coded(7)).unwrap();
    batch.commit().unwrap();
    assert_ne!(new[0], ids[0]);
    let all = store.query_events(&EventFilter::default()).unwrap();
    assert_eq!(all.len(), 1, "the event marked wrong is left out");
    assert_eq!(all[0].event.fatalities, Some(9));
    let with_wrong = EventFilter {
        include_wrong: true,
        ..Default::default()
    };
    assert_eq!(store.count_events(&with_wrong).unwrap(), 2);
    let review = store.event_review(new[0]).unwrap().unwrap();
    assert!(review.corrected);
    assert_eq!(review.original.fatalities, Some(7));
    assert_eq!(review.corrections[0].user, "mona");
    assert!(store.orphans().unwrap().is_empty());

    // The coder now reads two places out of the Tafas sentence.
    let mut split = coded(4);
    let mut other = split[0].clone();
    other.location.name = "اليادودة".into();
    other.fatalities = Some(3);
    split.insert(1, other);
    let mut batch = store.batch().unwrap();
    let pieces = batch.put_events(d, &split).unwrap();
    batch.commit().unwrap();
    let orphans = store.orphans().unwrap();
    assert_eq!(orphans.len(), 1);
    assert_eq!(orphans[0].reason.as_deref(), Some("split"));
    assert_eq!(orphans[0].original.as_ref().unwrap().fatalities, Some(7));
    assert_eq!(orphans[0].corrections[0].value, serde_json::json!(9));
    let ranked: Vec<i64> = orphans[0].candidates.iter().map(|c| c.event_id).collect();
    assert_eq!(&ranked[..2], &[pieces[0].0, pieces[1].0]);
    let tafas = |store: &mut PgStore| {
        store
            .query_events(&EventFilter::default())
            .unwrap()
            .into_iter()
            .find(|e| e.id == pieces[0])
            .map(|e| e.event.fatalities)
    };
    assert_eq!(tafas(&mut store), Some(Some(4)));
    let e = store
        .reattach(orphans[0].id, pieces[0], &user, None)
        .unwrap();
    assert_eq!(e.fatalities, Some(9));
    assert_eq!(tafas(&mut store), Some(Some(9)));
    assert!(store.orphans().unwrap().is_empty());
    let actions: Vec<String> = store
        .audit_log(10)
        .unwrap()
        .into_iter()
        .map(|a| a.action)
        .collect();
    assert_eq!(actions[0], "reattach");
    assert!(actions.contains(&"orphaned".to_string()));
}

/// A bulk load (COPY) stores what `put_events` would: the same records, found by the
/// same filters, logged in the change feed; a tab or line end in a field survives.
#[test]
fn a_bulk_load_is_read_back_like_written_events() {
    let Some(db) = ScratchDb::from_env() else {
        return;
    };
    let mut store = PgStore::connect(&db.url).unwrap();
    let mut tricky = event("نوى", "درعا", "Islamic State", None, "2024-05-03");
    tricky.evidence = vec!["سطر\tأول\nوسطر \\ ثان".into()];
    tricky.evidence_spans = vec![];
    let docs = vec![
        (
            doc("bulk-a", "first body"),
            vec![
                event(
                    "جاسم",
                    "درعا",
                    "Syrian Government Forces",
                    Some(3),
                    "2024-05-01",
                ),
                tricky.clone(),
            ],
        ),
        (
            doc("bulk-b", "second body"),
            vec![event(
                "أريحا",
                "إدلب",
                "Syrian Government Forces",
                Some(1),
                "2024-05-02",
            )],
        ),
    ];
    assert_eq!(store.bulk_load(&docs).unwrap(), 3);
    let all = store
        .query_events(&EventFilter {
            sort: Sort::DateAsc,
            ..Default::default()
        })
        .unwrap();
    assert_eq!(all.len(), 3);
    assert_eq!(all[2].event, tricky);
    assert_eq!(all[2].doc_id, "bulk-a");
    assert_eq!(all[2].ordinal, 1);
    let count = |f: EventFilter, store: &mut PgStore| store.count_events(&f).unwrap();
    let f = EventFilter {
        admin1: Some("دَرْعا".into()),
        ..Default::default()
    };
    assert_eq!(count(f, &mut store), 2);
    let f = EventFilter {
        actor: Some("islamic".into()),
        ..Default::default()
    };
    assert_eq!(count(f, &mut store), 1);
    let f = EventFilter {
        text: Some("أريحا".into()),
        ..Default::default()
    };
    assert_eq!(count(f, &mut store), 1);
    assert_eq!(store.last_change().unwrap(), 3, "each new event is logged");
    // The same bytes again are refused, not stored twice.
    assert!(store.bulk_load(&docs[..1]).is_err());
    assert_eq!(store.counts().unwrap().documents, 2);
}

/// The change log is numbered in commit order: a follower that has read past a
/// later writer's entries still gets those of an earlier, slower writer.
#[test]
fn the_change_log_follows_commit_order() {
    use rasd_store::Backend;
    let Some(db) = ScratchDb::from_env() else {
        return;
    };
    let mut slow = PgStore::connect(&db.url).unwrap();
    let mut quick = PgStore::connect(&db.url).unwrap();
    let mut reader = PgStore::connect(&db.url).unwrap();
    let mut batch = slow.batch().unwrap();
    let d = batch.put_document(&doc("slow", "slow body")).unwrap().id();
    batch
        .put_events(
            d,
            &[event(
                "جاسم",
                "درعا",
                "Islamic State",
                Some(1),
                "2024-05-01",
            )],
        )
        .unwrap();
    // The slow writer has written, not committed; the quick one commits meanwhile.
    let q = Backend::put_document(&mut quick, &doc("quick", "quick body"))
        .unwrap()
        .id();
    let quick_ids = Backend::put_events(
        &mut quick,
        q,
        &[event("نوى", "درعا", "Islamic State", None, "2024-05-02")],
    )
    .unwrap();
    let cursor = reader.last_change().unwrap();
    let seen = reader.changes_since(0, 100).unwrap();
    assert_eq!(
        seen.iter().map(|c| c.key.clone()).collect::<Vec<_>>(),
        vec![quick_ids[0].0.to_string()]
    );
    batch.commit().unwrap();
    let after = reader.changes_since(cursor, 100).unwrap();
    assert_eq!(after.len(), 1, "{after:?}");
    assert!(after[0].seq > cursor);
    assert_eq!(after[0].op, "created");
    // Many rows of one transaction are numbered in their order, with no gap.
    let docs: Vec<_> = (0..50)
        .map(|i| {
            (
                doc(&format!("bulk-{i}"), &format!("body {i}")),
                vec![event("طفس", "درعا", "Islamic State", None, "2024-05-03")],
            )
        })
        .collect();
    let before = reader.last_change().unwrap();
    reader.bulk_load(&docs).unwrap();
    let bulk = reader.changes_since(before, 100).unwrap();
    assert_eq!(bulk.len(), 50);
    let seqs: Vec<i64> = bulk.iter().map(|c| c.seq).collect();
    assert_eq!(seqs, (before + 1..=before + 50).collect::<Vec<_>>());
    let keys: Vec<i64> = bulk.iter().map(|c| c.key.parse().unwrap()).collect();
    assert!(keys.windows(2).all(|w| w[0] < w[1]), "{keys:?}");
}

/// Pages in date order come from migration 0030's covering index, which leaves out
/// events whose text and actors exceed 2,000 bytes: those must still be found, in
/// their place among the others, by every filter and at every offset.
#[test]
fn pages_in_date_order_include_events_too_long_for_the_covering_index() {
    let Some(db) = ScratchDb::from_env() else {
        return;
    };
    let mut store = PgStore::connect(&db.url).unwrap();
    let mut docs = Vec::new();
    for d in 0..12u32 {
        let day = format!("2024-03-{:02}", d + 1);
        let mut e = event("نوى", "درعا", "Islamic State", Some(d), &day);
        if d % 3 == 1 {
            // About 4,000 bytes of Arabic: beyond the index's 2,000.
            e.evidence = vec![format!("{} غارة على نوى", "قصف مدفعي متخيل ".repeat(140))];
            e.evidence_spans = vec![];
        }
        let other = event("جاسم", "درعا", "Syrian Government Forces", None, &day);
        docs.push((
            doc(&format!("long-{d}"), &format!("body {d}")),
            vec![e, other],
        ));
    }
    store.bulk_load(&docs).unwrap();
    let filters = [
        EventFilter::default(),
        EventFilter {
            text: Some("نوى".into()),
            ..Default::default()
        },
        EventFilter {
            text: Some("غارة".into()),
            ..Default::default()
        },
        EventFilter {
            actor: Some("islamic".into()),
            ..Default::default()
        },
        EventFilter {
            actor: Some("islamic".into()),
            text: Some("قصف".into()),
            ..Default::default()
        },
    ];
    for base in filters {
        for sort in [Sort::DateDesc, Sort::DateAsc] {
            let whole: Vec<i64> = store
                .query_events(&EventFilter {
                    sort,
                    ..base.clone()
                })
                .unwrap()
                .iter()
                .map(|e| e.id.0)
                .collect();
            assert!(!whole.is_empty(), "{base:?}");
            for offset in [0u32, 1, 3, 5] {
                let f = EventFilter {
                    sort,
                    offset,
                    limit: Some(4),
                    ..base.clone()
                };
                let page = store.page_event_ids(&f).unwrap();
                let got: Vec<i64> = page.ids.iter().map(|i| i.0).collect();
                let want: Vec<i64> = whole
                    .iter()
                    .skip(offset as usize)
                    .take(4)
                    .copied()
                    .collect();
                assert_eq!(got, want, "{f:?}");
                assert!(page.total_exact, "{f:?}");
                assert_eq!(page.total, whole.len() as u64, "{f:?}");
            }
        }
    }
    // The text only the long events hold is found, and only in them.
    let long_only = store
        .page_event_ids(&EventFilter {
            text: Some("مدفعي".into()),
            limit: Some(50),
            ..Default::default()
        })
        .unwrap();
    assert_eq!(long_only.ids.len(), 4, "{long_only:?}");
}
