//! Store throughput: documents+events written per second in batches, and filtered
//! queries over a store of 20,000 synthetic events.

use criterion::{Criterion, Throughput, criterion_group, criterion_main};
use rasd_model::{ContentKind, DocumentMeta, Event, Origin, RawDocument};
use rasd_store::{EventFilter, Store};

const PLACES: [(&str, &str, f64, f64); 4] = [
    ("طفس", "درعا", 32.74, 35.99),
    ("سرمدا", "إدلب", 36.17, 36.70),
    ("منبج", "حلب", 36.53, 37.95),
    ("الميادين", "دير الزور", 35.02, 40.45),
];

fn event(i: usize) -> Event {
    let (name, admin1, lat, lon) = PLACES[i % PLACES.len()];
    let day = jiff::civil::date(2024, 1, 1)
        .checked_add(jiff::Span::new().days((i % 300) as i64))
        .unwrap();
    serde_json::from_value(serde_json::json!({
        "event_type": "battles", "sub_event_type": "armed_clash",
        "date_start": day.to_string(), "date_end": day.to_string(), "date_precision": "day",
        "location": {"name": name, "admin1": admin1, "country": "SY", "precision": "community", "lat": lat, "lon": lon},
        "actor1": "Syrian Government Forces", "actor2": "Islamic State",
        "fatalities": i % 9, "injured": null, "arrested": null,
        "evidence": [format!("اندلعت اشتباكات في {name} أسفرت عن مقتل {} عناصر، رقم {i}.", i % 9)]
    }))
    .unwrap()
}

fn doc(i: usize) -> RawDocument {
    RawDocument {
        doc_id: format!("bench-{i}"),
        origin: Origin::Inline,
        kind: ContentKind::Text,
        bytes: format!("وثيقة تجريبية رقم {i}").into_bytes(),
        meta: DocumentMeta::default(),
    }
}

fn fill(store: &mut Store, docs: usize, per_doc: usize, offset: usize) {
    let batch = store.batch().unwrap();
    for d in 0..docs {
        let id = batch.put_document(&doc(offset + d)).unwrap().id();
        let events: Vec<Event> = (0..per_doc)
            .map(|k| event(offset + d * per_doc + k))
            .collect();
        batch.put_events(id, &events).unwrap();
    }
    batch.commit().unwrap();
}

fn writes(c: &mut Criterion) {
    let mut g = c.benchmark_group("write");
    g.throughput(Throughput::Elements(100 * 3));
    let dir = tempfile::tempdir().unwrap();
    let mut store = Store::open(&dir.path().join("w.db")).unwrap();
    let mut offset = 0;
    g.bench_function("100 documents x 3 events, one batch", |b| {
        b.iter(|| {
            fill(&mut store, 100, 3, offset);
            offset += 100;
        })
    });
    g.finish();
}

fn queries(c: &mut Criterion) {
    let dir = tempfile::tempdir().unwrap();
    let mut store = Store::open(&dir.path().join("q.db")).unwrap();
    for k in 0..20 {
        fill(&mut store, 500, 2, k * 500);
    }
    let mut g = c.benchmark_group("query (20,000 events)");
    let cases = [
        (
            "first page, no filter",
            EventFilter {
                limit: Some(50),
                ..Default::default()
            },
        ),
        (
            "admin1 + dates",
            EventFilter {
                admin1: Some("درعا".into()),
                from: Some(jiff::civil::date(2024, 3, 1)),
                to: Some(jiff::civil::date(2024, 3, 31)),
                limit: Some(50),
                ..Default::default()
            },
        ),
        (
            "free text",
            EventFilter {
                text: Some("اشتباكات منبج".into()),
                limit: Some(50),
                ..Default::default()
            },
        ),
    ];
    for (name, filter) in cases {
        g.bench_function(name, |b| b.iter(|| store.query_events(&filter).unwrap()));
    }
    g.finish();
}

criterion_group!(benches, writes, queries);
criterion_main!(benches);
