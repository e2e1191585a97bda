//! Incremental clustering of 100,000 synthetic source events (target: < 10 s on the
//! project's 2-core machine), and near-duplicate fingerprinting throughput.
//!
//! The synthetic stream: 2,000 places over a 500 × 600 km box, three years of days,
//! 40,000 true incidents of random types and sides, each reported 1–4 times with the
//! day shifted by up to one, the place sometimes given as a point a few km away
//! under another name, and disagreeing tolls; reports arrive in a shuffled order.

use criterion::{BatchSize, Criterion, Throughput, criterion_group, criterion_main};
use rasd_dedup::{IncidentIndex, NearDupIndex, SourceEvent};
use rasd_model::{DatePrecision, Event, Location, LocationPrecision, SubEventType};
use std::hint::black_box;
use std::time::Instant;

const EVENTS: usize = 100_000;

struct Rng(u64);
impl Rng {
    fn next(&mut self) -> u64 {
        self.0 = self
            .0
            .wrapping_mul(6364136223846793005)
            .wrapping_add(1442695040888963407);
        self.0 >> 11
    }
    fn below(&mut self, n: u64) -> u64 {
        self.next() % n
    }
    fn unit(&mut self) -> f64 {
        (self.next() as f64) / ((1u64 << 53) as f64)
    }
}

const ACTORS: &[&str] = &[
    "Alpha Front",
    "Beta Brigade",
    "Gamma Forces",
    "Delta Movement",
    "Epsilon Police",
    "Zeta Militia",
    "Eta Army",
    "Theta Group",
    "Iota Council",
    "Kappa Battalion",
    "Civilians (Testland)",
    "Unidentified armed group (Testland)",
];

fn synthetic(n: usize) -> Vec<SourceEvent> {
    let mut rng = Rng(7);
    let places: Vec<(String, f64, f64)> = (0..2000)
        .map(|i| {
            (
                format!("place-{i}"),
                32.3 + rng.unit() * 4.5,
                35.7 + rng.unit() * 6.5,
            )
        })
        .collect();
    let base = jiff::civil::date(2016, 1, 1);
    let mut out = Vec::with_capacity(n);
    let mut incident = 0usize;
    while out.len() < n {
        incident += 1;
        let (name, lat, lon) = places[rng.below(places.len() as u64) as usize].clone();
        let sub = SubEventType::ALL[rng.below(SubEventType::ALL.len() as u64) as usize];
        let day = base + jiff::Span::new().days(rng.below(1100) as i64);
        let a1 = ACTORS[rng.below(ACTORS.len() as u64) as usize];
        let a2 = ACTORS[rng.below(ACTORS.len() as u64) as usize];
        let deaths = rng.below(40) as u32;
        for r in 0..(1 + rng.below(4)) {
            if out.len() == n {
                break;
            }
            let shift = rng.below(3) as i64 - 1;
            let d = day + jiff::Span::new().days(shift);
            let nearby = rng.below(4) == 0;
            let (pname, plat, plon) = if nearby {
                (format!("{name}-suburb"), lat + 0.02, lon - 0.02)
            } else {
                (name.clone(), lat, lon)
            };
            out.push(SourceEvent {
                doc_id: format!("doc-{incident}-{r}"),
                index: 0,
                url: None,
                source: Some(format!("outlet-{}", rng.below(12))),
                published: None,
                event: Event {
                    event_type: sub.event_type(),
                    sub_event_type: sub,
                    date_start: d,
                    date_end: d,
                    date_precision: DatePrecision::Day,
                    location: Location {
                        name: pname,
                        admin1: Some("admin".into()),
                        country: "XX".into(),
                        precision: LocationPrecision::Community,
                        admin2: None,
                        admin3: None,
                        lat: Some(plat),
                        lon: Some(plon),
                        place_id: None,
                        span: None,
                    },
                    actor1: a1.into(),
                    assoc_actor1: vec![],
                    actor2: (a2 != a1).then(|| a2.to_string()),
                    assoc_actor2: vec![],
                    fatalities: Some(deaths + rng.below(5) as u32),
                    fatalities_vague: None,
                    fatalities_by_side: Default::default(),
                    injured: None,
                    injured_vague: None,
                    arrested: None,
                    arrested_vague: None,
                    evidence: vec![format!("report {r} of incident {incident}")],
                    evidence_spans: vec![],
                    confidence: None,
                },
            });
        }
    }
    // Reports arrive out of order.
    for i in (1..out.len()).rev() {
        let j = rng.below(i as u64 + 1) as usize;
        out.swap(i, j);
    }
    out
}

fn cluster_all(events: Vec<SourceEvent>) -> IncidentIndex {
    let mut idx = IncidentIndex::new();
    for e in events {
        idx.insert(e);
    }
    idx
}

fn bench_cluster(c: &mut Criterion) {
    let events = synthetic(EVENTS);
    // One timed pass, printed as the headline figure.
    let t = Instant::now();
    let idx = cluster_all(events.clone());
    let secs = t.elapsed().as_secs_f64();
    let records = idx.incidents().filter_map(|i| i.record()).count();
    println!(
        "incremental clustering: {EVENTS} events -> {} incidents in {secs:.2} s ({:.0} events/s); {records} records built",
        idx.len(),
        EVENTS as f64 / secs
    );

    let mut g = c.benchmark_group("cluster");
    g.sample_size(10);
    g.throughput(Throughput::Elements(EVENTS as u64));
    g.bench_function("insert_100k", |b| {
        b.iter_batched(
            || events.clone(),
            |ev| black_box(cluster_all(ev)),
            BatchSize::LargeInput,
        )
    });
    g.finish();
}

fn bench_neardup(c: &mut Criterion) {
    let mut rng = Rng(11);
    let words: Vec<String> = (0..3000).map(|i| format!("كلمة{i}")).collect();
    let docs: Vec<String> = (0..2000)
        .map(|_| {
            (0..250)
                .map(|_| words[rng.below(words.len() as u64) as usize].as_str())
                .collect::<Vec<_>>()
                .join(" ")
        })
        .collect();
    let bytes: usize = docs.iter().map(String::len).sum();
    let mut g = c.benchmark_group("neardup");
    g.sample_size(10);
    g.throughput(Throughput::Bytes(bytes as u64));
    g.bench_function("insert_2000_articles", |b| {
        b.iter(|| {
            let mut idx = NearDupIndex::new();
            for (i, d) in docs.iter().enumerate() {
                black_box(idx.insert(&i.to_string(), d));
            }
        })
    });
    g.finish();
}

criterion_group!(benches, bench_cluster, bench_neardup);
criterion_main!(benches);
