//! The page planner (`Store::page_event_ids`) against plain SQL: over a few thousand
//! fictional events (enough for both short and long candidate lists), every filter,
//! order and offset gives the same page as one unplanned query with the filter's
//! self-contained WHERE clause. Also: the actor and text indexes follow corrections
//! and re-coding, and a store written before migration 0004 is indexed on opening.

use rasd_model::{ContentKind, DocumentMeta, Event, Origin, RawDocument};
use rasd_store::plan::{CANDIDATE_CAP, Caps};
use rasd_store::review::User;
use rasd_store::{BBox, EventFilter, EventId, Sort, Store};

/// Events per fictional document.
const PER_DOC: usize = 8;
/// More events than the longest candidate list, so the frequent actor and the common
/// word take the dense plans and the rare ones the candidate lists.
const EVENTS: usize = CANDIDATE_CAP + 1600;

struct Rng(u64);
impl Rng {
    fn below(&mut self, n: usize) -> usize {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        (self.0 % n as u64) as usize
    }
}

const PLACES: &[(&str, &str, f64, f64)] = &[
    ("جاسم", "درعا", 32.99, 36.06),
    ("أريحا", "إدلب", 35.81, 36.61),
    ("تدمر", "حمص", 34.56, 38.27),
    ("منبج", "حلب", 36.53, 37.95),
];
const KINDS: &[(&str, &str)] = &[
    ("battles", "armed_clash"),
    ("explosions_remote_violence", "air_drone_strike"),
    ("protests", "peaceful_protest"),
];

fn fictional(rng: &mut Rng, i: usize) -> Event {
    let (place, admin1, lat, lon) = PLACES[rng.below(PLACES.len())];
    let (ty, sub) = KINDS[rng.below(KINDS.len())];
    let day = jiff::civil::date(2020, 1, 1) + jiff::Span::new().days(rng.below(900) as i64);
    // Every event names the frequent actor; one in forty the rare one.
    let actor1 = if i % 40 == 0 {
        "Fictional Rare Brigade"
    } else {
        "Imaginary Common Front"
    };
    let rare_word = if i % 50 == 0 { " زلزلة" } else { "" };
    let sentence = format!("وقع حادث متخيل في {place}{rare_word} رقم {i}");
    let fatalities = if rng.below(4) == 0 {
        serde_json::Value::Null
    } else {
        serde_json::json!(rng.below(20))
    };
    serde_json::from_value(serde_json::json!({
        "event_type": ty, "sub_event_type": sub, "date_start": day.to_string(), "date_end": day.to_string(),
        "date_precision": "day",
        "location": {"name": place, "admin1": admin1, "country": "SY", "precision": "community",
                     "lat": lat, "lon": lon},
        "actor1": actor1, "actor2": "Civilians (Syria)", "assoc_actor2": ["Hay'at Tahrir al-Sham"],
        "fatalities": fatalities, "injured": null, "arrested": null, "evidence": [sentence]
    }))
    .unwrap()
}

fn filled() -> Store {
    let mut store = Store::open_in_memory().unwrap();
    let mut rng = Rng(0x2545f4914f6cdd1d);
    let batch = store.batch().unwrap();
    for d in 0..EVENTS.div_ceil(PER_DOC) {
        let doc = batch
            .put_document(&RawDocument {
                doc_id: format!("fiction-{d}"),
                origin: Origin::Inline,
                kind: ContentKind::Text,
                bytes: format!("fictional document {d}").into_bytes(),
                meta: DocumentMeta::default(),
            })
            .unwrap()
            .id();
        let events: Vec<Event> = (0..PER_DOC)
            .map(|k| fictional(&mut rng, d * PER_DOC + k))
            .collect();
        batch.put_events(doc, &events).unwrap();
    }
    batch.commit().unwrap();
    store
}

/// The page by one plain query (no planner), and the exact count.
fn reference(store: &Store, f: &EventFilter) -> (Vec<i64>, u64) {
    let (clause, mut params) = f.where_clause();
    let conn = store.connection();
    let count: i64 = conn
        .query_row(
            &format!("SELECT count(*) FROM events e {clause}"),
            rusqlite::params_from_iter(params.iter()),
            |r| r.get(0),
        )
        .unwrap();
    params.push(rasd_store::SqlValue::Integer(f.limit.map_or(-1, i64::from)));
    params.push(rasd_store::SqlValue::Integer(i64::from(f.offset)));
    let sql = format!(
        "SELECT e.id FROM events e {clause} {} LIMIT ?{} OFFSET ?{}",
        f.order_clause(),
        params.len() - 1,
        params.len()
    );
    let mut stmt = conn.prepare(&sql).unwrap();
    let ids = stmt
        .query_map(rusqlite::params_from_iter(params.iter()), |r| r.get(0))
        .unwrap()
        .collect::<rusqlite::Result<Vec<i64>>>()
        .unwrap();
    (ids, count as u64)
}

/// Tiny caps: the same store takes the plans of a big one (long lists everywhere).
const TINY: Caps = Caps {
    candidates: 40,
    index_list: 300,
};

fn check(store: &mut Store, f: &EventFilter) {
    check_with(store, f, Caps::default());
    check_with(store, f, TINY);
}

fn check_with(store: &mut Store, f: &EventFilter, caps: Caps) {
    let (want, count) = reference(store, f);
    let page = store.page_event_ids_with(f, caps).unwrap();
    let got: Vec<i64> = page.ids.iter().map(|i| i.0).collect();
    assert!(page.complete, "{f:?} ran out of budget ({caps:?})");
    assert_eq!(got, want, "{f:?} ({caps:?})");
    if page.total_exact {
        assert_eq!(page.total, count, "{f:?} ({caps:?})");
    } else {
        // A lower bound (the count ran out of budget): at least what the page proves.
        assert!(page.total <= count, "{f:?}: {} > {count}", page.total);
        if !got.is_empty() {
            assert!(
                page.total >= u64::from(f.offset) + got.len() as u64,
                "{f:?} ({caps:?})"
            );
        }
    }
    // The unbudgeted reader (CLI, exports) agrees.
    let all: Vec<i64> = store
        .query_events(f)
        .unwrap()
        .iter()
        .map(|e| e.id.0)
        .collect();
    assert_eq!(all, want, "query_events {f:?}");
}

#[test]
fn planned_pages_equal_plain_queries() {
    let mut store = filled();
    let user: User = store.add_user("tester", "0123456789abcdef-test").unwrap();
    // A wrong mark on an event of the rare actor and the rare word, so every plan
    // has to leave it out.
    store.mark_wrong(EventId(41), &user, true, None).unwrap();
    store.mark_wrong(EventId(51), &user, true, None).unwrap();

    let actors = [
        None,
        Some("fictional rare"), // candidate list
        Some("imaginary"),      // dense
        Some("tahrir al-sham"), // word prefix, apostrophe and hyphen ignored
        Some("HAYAT"),          // «Hay'at», case folded
        Some("nobody at all"),  // no such actor
    ];
    let texts = [
        None,
        Some("زلزلة"),
        Some("حادث"),
        Some("تدمر"),
        Some("غائب"),
    ];
    let structured: Vec<EventFilter> = vec![
        EventFilter::default(),
        EventFilter {
            event_type: Some(rasd_model::EventType::Battles),
            ..Default::default()
        },
        EventFilter {
            from: Some(jiff::civil::date(2021, 3, 1)),
            to: Some(jiff::civil::date(2021, 5, 31)),
            admin1: Some("حمص".into()),
            ..Default::default()
        },
        EventFilter {
            bbox: Some("36.0,35.5,37.0,36.0".parse::<BBox>().unwrap()),
            min_fatalities: Some(10),
            ..Default::default()
        },
    ];
    // Every combination once, the order and offset rotating through five variants
    // (checking all of them for every combination takes minutes in a debug build).
    let variants = [
        (Sort::DateDesc, 0),
        (Sort::DateDesc, 120),
        (Sort::DateAsc, 0),
        (Sort::FatalitiesDesc, 0),
        (Sort::StoredDesc, 30),
    ];
    let mut checked = 0;
    for base in &structured {
        for actor in actors {
            for text in texts {
                // shifted per actor, so each text meets every variant
                let (sort, offset) = variants[(checked + checked / texts.len()) % variants.len()];
                let f = EventFilter {
                    actor: actor.map(str::to_string),
                    text: text.map(str::to_string),
                    sort,
                    offset,
                    limit: Some(50),
                    ..base.clone()
                };
                check(&mut store, &f);
                checked += 1;
            }
        }
    }
    assert_eq!(checked, 4 * 6 * 5);
    // Wrong events come back on request.
    check(
        &mut store,
        &EventFilter {
            actor: Some("fictional rare".into()),
            include_wrong: true,
            limit: Some(500),
            ..Default::default()
        },
    );
}

#[test]
fn the_indexes_follow_corrections_and_recoding() {
    let mut store = filled();
    let user = store.add_user("tester", "0123456789abcdef-test").unwrap();
    let by_actor = |store: &mut Store, a: &str| {
        store
            .page_event_ids(&EventFilter {
                actor: Some(a.into()),
                limit: Some(10),
                ..Default::default()
            })
            .unwrap()
            .ids
    };
    assert!(by_actor(&mut store, "corrected militia").is_empty());
    store
        .correct_event(
            EventId(7),
            &user,
            &[
                ("actor1".into(), serde_json::json!("Corrected Militia")),
                ("date_start".into(), serde_json::json!("2030-01-01")),
                ("date_end".into(), serde_json::json!("2030-01-02")),
            ],
            None,
        )
        .unwrap();
    assert_eq!(by_actor(&mut store, "corrected militia"), [EventId(7)]);
    // The text index moved with the day: latest first puts the event on top.
    let page = store
        .page_event_ids(&EventFilter {
            text: Some("حادث".into()),
            limit: Some(1),
            ..Default::default()
        })
        .unwrap();
    assert_eq!(page.ids, [EventId(7)]);
    // An event that starts before `from` but ends on it is found: the first-day floor
    // the planner adds for `from` allows for the longest stored span.
    let page = store
        .page_event_ids(&EventFilter {
            from: Some(jiff::civil::date(2030, 1, 2)),
            event_type: Some(
                store
                    .get_event(EventId(7))
                    .unwrap()
                    .unwrap()
                    .event
                    .event_type,
            ),
            limit: Some(10),
            ..Default::default()
        })
        .unwrap();
    assert_eq!(page.ids, [EventId(7)]);
    // Re-coding the document drops its old events from both indexes.
    let doc = store.get_event(EventId(7)).unwrap().unwrap().document_id;
    let mut rng = Rng(7);
    store.put_events(doc, &[fictional(&mut rng, 1)]).unwrap();
    let stale: i64 = store
        .connection()
        .query_row(
            "SELECT count(*) FROM event_actors WHERE event_id NOT IN (SELECT id FROM events)",
            [],
            |r| r.get(0),
        )
        .unwrap();
    assert_eq!(stale, 0);
    let rare = store
        .page_event_ids(&EventFilter {
            text: Some("رقم 1".into()),
            limit: Some(100),
            ..Default::default()
        })
        .unwrap();
    for id in rare.ids {
        assert!(store.get_event(id).unwrap().is_some(), "{id:?} is gone");
    }
}

#[test]
fn a_store_from_before_0004_is_indexed_when_opened() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("v3.db");
    {
        // What a rasd that knew migrations 0001–0003 wrote: events, no 0004 tables.
        let mut conn = rusqlite::Connection::open(&path).unwrap();
        let tx = conn.transaction().unwrap();
        for (version, _, sql) in rasd_store::MIGRATIONS.iter().filter(|m| m.0 <= 3) {
            tx.execute_batch(sql).unwrap();
            tx.pragma_update(None, "user_version", version).unwrap();
        }
        tx.execute(
            "INSERT INTO documents (id, doc_id, content_hash, origin_kind, kind, bytes, size, seen_at)
             VALUES (1, 'old', 'h', 'inline', 'text', x'00', 1, '2024-01-01T00:00:00Z')",
            [],
        )
        .unwrap();
        let mut rng = Rng(11);
        let e = fictional(&mut rng, 200);
        tx.execute(
            "INSERT INTO events (id, document_id, doc_id, ordinal, event_type, sub_event_type, date_start,
                 date_end, date_precision, location_name, location_key, country, location_precision,
                 actor1, event, coded_at)
             VALUES (1, 1, 'old', 0, ?1, ?2, ?3, ?3, 'day', ?4, ?4, 'SY', 'community', ?5, ?6, '2024-01-01')",
            rusqlite::params![
                e.event_type.as_str(),
                e.sub_event_type.as_str(),
                e.date_start.to_string(),
                e.location.name,
                e.actor1,
                serde_json::to_string(&e).unwrap()
            ],
        )
        .unwrap();
        tx.execute(
            "INSERT INTO evidence (event_id, ordinal, text) VALUES (1, 0, ?1)",
            [&e.evidence[0]],
        )
        .unwrap();
        tx.commit().unwrap();
    }
    let mut store = Store::open(&path).unwrap();
    assert_eq!(store.schema_version().unwrap(), rasd_store::LATEST_VERSION);
    let page = store
        .page_event_ids(&EventFilter {
            actor: Some("rare brigade".into()),
            text: Some("زلزلة".into()),
            limit: Some(10),
            ..Default::default()
        })
        .unwrap();
    assert_eq!(page.ids, [EventId(1)]);
    assert_eq!(store.check().unwrap(), Vec::<String>::new());
}
