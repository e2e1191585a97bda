//! Latency of `GET /api/events` over a store of synthetic events (default 1,000,000:
//! 100,000 written through the store API, then copied as new documents with SQL and
//! re-indexed by the store; `RASD_BENCH_EVENTS=N` for another size). The filled store
//! is kept (`RASD_BENCH_DB`, default `rasd-bench-N.db` in the system temp dir) and
//! reused when it already holds N events; a store from an older schema is migrated
//! (and its indexes rebuilt) by `Store::open` on the first run. Starts the real
//! server on 127.0.0.1:0, sends a bounded number of requests over loopback and prints
//! p50/p99/max per query and overall, with the machine's load average (the machine
//! is shared: the same CPU time shows as a longer latency under load).
//!
//! `RASD_BENCH_STORE=postgres` runs the same queries over PostgreSQL instead: the
//! database `rasd_bench_N` on the server `RASD_TEST_POSTGRES` names (created, filled
//! once with the same synthetic events through `PgStore::bulk_load`, i.e. COPY, then
//! analysed, and reused while it holds N events).
//!
//! `cargo bench -p rasd-server --bench api_latency`

use rasd_model::{ContentKind, DocumentMeta, Event, Origin, RawDocument};
use rasd_server::{Limits, ServerConfig};
use rasd_store::Store;
use std::time::{Duration, Instant};

const EVENTS_PER_DOC: usize = 10;
const DOCS_PER_BATCH: usize = 2000;
const ROUNDS: usize = 60;

const PLACES: &[(&str, &str, f64, f64)] = &[
    ("جاسم", "درعا", 32.99, 36.06),
    ("نوى", "درعا", 32.89, 36.04),
    ("طفس", "درعا", 32.74, 35.99),
    ("أريحا", "إدلب", 35.81, 36.61),
    ("سراقب", "إدلب", 35.86, 36.80),
    ("معرة النعمان", "إدلب", 35.64, 36.67),
    ("الرقة", "الرقة", 35.95, 39.01),
    ("الطبقة", "الرقة", 35.84, 38.55),
    ("دير الزور", "دير الزور", 35.33, 40.14),
    ("الميادين", "دير الزور", 35.02, 40.45),
    ("البوكمال", "دير الزور", 34.45, 40.92),
    ("حمص", "حمص", 34.73, 36.71),
    ("تدمر", "حمص", 34.56, 38.27),
    ("حماة", "حماة", 35.13, 36.75),
    ("السلمية", "حماة", 35.01, 37.05),
    ("حلب", "حلب", 36.20, 37.16),
    ("الباب", "حلب", 36.37, 37.52),
    ("منبج", "حلب", 36.53, 37.95),
    ("القامشلي", "الحسكة", 37.05, 41.22),
    ("الحسكة", "الحسكة", 36.50, 40.75),
    ("السويداء", "السويداء", 32.71, 36.57),
    ("اللاذقية", "اللاذقية", 35.52, 35.79),
    ("طرطوس", "طرطوس", 34.89, 35.89),
    ("دوما", "ريف دمشق", 33.57, 36.40),
];
const KINDS: &[(&str, &str)] = &[
    ("battles", "armed_clash"),
    (
        "explosions_remote_violence",
        "shelling_artillery_missile_attack",
    ),
    ("explosions_remote_violence", "air_drone_strike"),
    ("violence_against_civilians", "attack"),
    ("protests", "peaceful_protest"),
    ("strategic_developments", "arrests"),
    ("riots", "mob_violence"),
];
const ACTORS: &[&str] = &[
    "Syrian Government Forces",
    "Islamic State",
    "Syrian Democratic Forces",
    "Hayat Tahrir al-Sham",
    "Unidentified armed group (Syria)",
    "Police Forces of Syria",
];

struct Rng(u64);
impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0
    }
    fn below(&mut self, n: usize) -> usize {
        (self.next() % n as u64) as usize
    }
}

fn synthetic(rng: &mut Rng) -> Event {
    let (place, admin1, lat, lon) = PLACES[rng.below(PLACES.len())];
    let (ty, sub) = KINDS[rng.below(KINDS.len())];
    let day = jiff::civil::date(2012, 1, 1) + jiff::Span::new().days(rng.below(13 * 365) as i64);
    let fatalities = if rng.below(3) == 0 {
        serde_json::Value::Null
    } else {
        serde_json::json!(rng.below(40))
    };
    let a1 = ACTORS[rng.below(ACTORS.len())];
    let sentence = format!(
        "أفادت مصادر محلية بوقوع حادثة في {place} بريف {admin1} وسقوط ضحايا رقم {}",
        rng.below(100_000)
    );
    serde_json::from_value(serde_json::json!({
        "event_type": ty, "sub_event_type": sub, "date_start": day.to_string(), "date_end": day.to_string(),
        "date_precision": "day",
        "location": {"name": place, "admin1": admin1, "country": "SY", "precision": "community",
                     "lat": lat + (rng.below(100) as f64 - 50.0) / 1000.0, "lon": lon},
        "actor1": a1, "actor2": "Civilians (Syria)", "fatalities": fatalities,
        "injured": null, "arrested": null, "evidence": [sentence]
    }))
    .expect("synthetic event")
}

/// Events written through the store API; a larger store is made of copies of these
/// (new documents and ids, same records), written with SQL so the fill stays short.
const API_EVENTS: usize = 100_000;

/// Copies the first `base` events (and their documents and evidence) `copies` times,
/// then has the store rebuild its indexes.
fn expand(store: &mut Store, base_events: i64, base_docs: i64, copies: i64) {
    let tx = store.connection_mut().transaction().expect("tx");
    for k in 1..=copies {
        let (de, dd) = (k * base_events, k * base_docs);
        tx.execute(
            "INSERT INTO documents (id, doc_id, content_hash, origin_kind, origin, kind, meta, bytes, size, seen_at)
             SELECT id + ?1, doc_id || '~' || ?2, content_hash || '~' || ?2, origin_kind, origin, kind, meta, bytes, size, seen_at
             FROM documents WHERE id <= ?3",
            rusqlite::params![dd, k, base_docs],
        )
        .expect("documents");
        tx.execute(
            "INSERT INTO events (id, document_id, doc_id, ordinal, event_type, sub_event_type, date_start, date_end,
                 date_precision, location_name, location_key, admin1, admin1_key, admin2, admin2_key, admin3, country,
                 location_precision, lat, lon, place_id, actor1, assoc_actor1, actor2, assoc_actor2, fatalities,
                 fatalities_vague, fatalities_by_side, injured, injured_vague, arrested, arrested_vague, confidence,
                 event, coded_at)
             SELECT id + ?1, document_id + ?2, doc_id || '~' || ?3, ordinal, event_type, sub_event_type, date_start, date_end,
                 date_precision, location_name, location_key, admin1, admin1_key, admin2, admin2_key, admin3, country,
                 location_precision, lat, lon, place_id, actor1, assoc_actor1, actor2, assoc_actor2, fatalities,
                 fatalities_vague, fatalities_by_side, injured, injured_vague, arrested, arrested_vague, confidence,
                 event, coded_at
             FROM events WHERE id <= ?4",
            rusqlite::params![de, dd, k, base_events],
        )
        .expect("events");
        tx.execute(
            "INSERT INTO evidence (event_id, ordinal, text, char_start, char_end)
             SELECT event_id + ?1, ordinal, text, char_start, char_end FROM evidence WHERE event_id <= ?2",
            rusqlite::params![de, base_events],
        )
        .expect("evidence");
        eprintln!("copy {k}/{copies} written");
    }
    tx.commit().expect("commit");
    // The text and actor indexes hold folded text, which only the store computes.
    let t = Instant::now();
    store.rebuild_indexes().expect("indexes");
    eprintln!("indexes rebuilt in {:.1} s", t.elapsed().as_secs_f64());
}

fn fill(path: &std::path::Path, n: usize) -> Store {
    if let Ok(store) = Store::open(path) {
        if store.counts().map(|c| c.events as usize).unwrap_or(0) == n {
            eprintln!("reusing {} ({n} events)", path.display());
            return store;
        }
    }
    let _ = std::fs::remove_file(path);
    let t = Instant::now();
    if n > API_EVENTS && n % API_EVENTS == 0 {
        let base = fill(
            &std::env::temp_dir().join(format!("rasd-bench-{API_EVENTS}.db")),
            API_EVENTS,
        );
        drop(base);
        std::fs::copy(
            std::env::temp_dir().join(format!("rasd-bench-{API_EVENTS}.db")),
            path,
        )
        .expect("copy base store");
        let mut store = Store::open(path).expect("bench store");
        let docs: i64 = store
            .connection()
            .query_row("SELECT max(id) FROM documents", [], |r| r.get(0))
            .expect("documents");
        expand(
            &mut store,
            API_EVENTS as i64,
            docs,
            (n / API_EVENTS) as i64 - 1,
        );
        eprintln!("filled {n} events in {:.1} s", t.elapsed().as_secs_f64());
        return store;
    }
    let mut store = Store::open(path).expect("bench store");
    let mut rng = Rng(0x9e3779b97f4a7c15);
    let docs = n.div_ceil(EVENTS_PER_DOC);
    let mut made = 0;
    for chunk in (0..docs).collect::<Vec<_>>().chunks(DOCS_PER_BATCH) {
        let batch = store.batch().expect("batch");
        for &d in chunk {
            let doc = batch
                .put_document(&RawDocument {
                    doc_id: format!("bench-{d}"),
                    origin: Origin::Inline,
                    kind: ContentKind::Text,
                    bytes: format!("synthetic document {d}").into_bytes(),
                    meta: DocumentMeta::default(),
                })
                .expect("document")
                .id();
            let k = EVENTS_PER_DOC.min(n - made);
            let events: Vec<Event> = (0..k).map(|_| synthetic(&mut rng)).collect();
            batch.put_events(doc, &events).expect("events");
            made += k;
        }
        batch.commit().expect("commit");
    }
    eprintln!("filled {n} events in {:.1} s", t.elapsed().as_secs_f64());
    store
}

/// The bench database on PostgreSQL: its URL, filled with `n` events.
fn fill_postgres(n: usize) -> String {
    let admin = std::env::var(rasd_store_pg::scratch::ENV)
        .expect("RASD_BENCH_STORE=postgres needs RASD_TEST_POSTGRES (a server where the role may create databases)");
    let name = format!("rasd_bench_{n}");
    let base = admin.rsplit_once('/').map_or(admin.as_str(), |(b, _)| b);
    let url = format!("{base}/{name}");
    let mut c = postgres::Client::connect(&admin, postgres::NoTls).expect("postgres server");
    let exists = !c
        .query("SELECT 1 FROM pg_database WHERE datname = $1", &[&name])
        .expect("pg_database")
        .is_empty();
    if exists {
        let mut store = rasd_store_pg::PgStore::connect(&url).expect("bench database");
        if store.counts().map(|c| c.events as usize).unwrap_or(0) == n {
            eprintln!("reusing {name} ({n} events)");
            return url;
        }
        drop(store);
        c.batch_execute(&format!("DROP DATABASE {name} WITH (FORCE)"))
            .expect("drop the old bench database");
    }
    c.batch_execute(&format!("CREATE DATABASE {name}"))
        .expect("create the bench database");
    let mut store = rasd_store_pg::PgStore::connect(&url).expect("bench database");
    let t = Instant::now();
    let mut rng = Rng(0x9e3779b97f4a7c15);
    let docs = n.div_ceil(EVENTS_PER_DOC);
    let mut made = 0;
    for chunk in (0..docs).collect::<Vec<_>>().chunks(10_000) {
        let batch: Vec<(RawDocument, Vec<Event>)> = chunk
            .iter()
            .map(|&d| {
                let k = EVENTS_PER_DOC.min(n - made);
                made += k;
                (
                    RawDocument {
                        doc_id: format!("bench-{d}"),
                        origin: Origin::Inline,
                        kind: ContentKind::Text,
                        bytes: format!("synthetic document {d}").into_bytes(),
                        meta: DocumentMeta::default(),
                    },
                    (0..k).map(|_| synthetic(&mut rng)).collect(),
                )
            })
            .collect();
        store.bulk_load(&batch).expect("bulk load");
        eprintln!("{made} events loaded ({:.1} s)", t.elapsed().as_secs_f64());
    }
    let mut c = postgres::Client::connect(&url, postgres::NoTls).expect("bench database");
    c.batch_execute("VACUUM ANALYZE").expect("analyse");
    eprintln!("filled {n} events in {:.1} s", t.elapsed().as_secs_f64());
    url
}

fn pct(sorted: &[Duration], p: f64) -> f64 {
    let i = ((sorted.len() as f64 - 1.0) * p).round() as usize;
    sorted[i].as_secs_f64() * 1000.0
}

fn main() {
    let n: usize = std::env::var("RASD_BENCH_EVENTS")
        .ok()
        .and_then(|s| s.parse().ok())
        .unwrap_or(1_000_000);
    let postgres = std::env::var("RASD_BENCH_STORE").as_deref() == Ok("postgres");
    let path = if postgres {
        std::path::PathBuf::from(fill_postgres(n))
    } else {
        let path = std::env::var("RASD_BENCH_DB")
            .map(std::path::PathBuf::from)
            .unwrap_or_else(|_| std::env::temp_dir().join(format!("rasd-bench-{n}.db")));
        drop(fill(&path, n));
        path
    };
    let mut config = ServerConfig::new(&path);
    config.limits = Limits::unlimited();
    let server = rasd_server::start(config, "127.0.0.1:0".parse().unwrap()).expect("server");
    let base = format!("http://{}", server.addr());
    let agent: ureq::Agent = ureq::Agent::config_builder()
        .http_status_as_error(false)
        .build()
        .into();
    let enc = |s: &str| s.bytes().map(|b| format!("%{b:02X}")).collect::<String>();
    let queries: Vec<(&str, String)> = vec![
        ("latest page", "/api/events".into()),
        ("page 20", "/api/events?offset=1000&limit=50".into()),
        ("type", "/api/events?type=battles".into()),
        (
            "sub-type + date range",
            "/api/events?sub_type=air_drone_strike&from=2018-01-01&to=2018-12-31".into(),
        ),
        (
            "governorate",
            format!("/api/events?admin1={}", enc("دير الزور")),
        ),
        ("bbox", "/api/events?bbox=36.0,35.5,37.0,36.0".into()),
        ("actor", "/api/events?actor=Islamic".into()),
        ("actor, every event", "/api/events?actor=civilians".into()),
        (
            "actor + governorate",
            format!("/api/events?actor=islamic%20state&admin1={}", enc("حمص")),
        ),
        ("min fatalities", "/api/events?min_fatalities=35".into()),
        ("deadliest first", "/api/events?sort=fatalities_desc".into()),
        (
            "oldest first",
            "/api/events?sort=date_asc&type=protests".into(),
        ),
        ("text", format!("/api/events?q={}", enc("معرة النعمان"))),
        (
            "text, in every event",
            format!("/api/events?q={}", enc("حادثة")),
        ),
        ("text, rare", format!("/api/events?q={}", enc("رقم 12345"))),
        (
            "text + actor",
            format!("/api/events?q={}&actor=hayat%20tahrir", enc("تدمر")),
        ),
        ("page 200", "/api/events?offset=10000&limit=50".into()),
        (
            "text + type + year",
            format!(
                "/api/events?q={}&type=battles&from=2020-01-01&to=2020-12-31",
                enc("تدمر")
            ),
        ),
    ];
    // warm up (page cache, prepared statements)
    for (_, q) in &queries {
        let mut r = agent.get(&format!("{base}{q}")).call().expect("request");
        assert_eq!(
            r.status().as_u16(),
            200,
            "{q}: {}",
            r.body_mut().read_to_string().unwrap_or_default()
        );
        let _ = r.body_mut().read_to_string();
    }
    if let Ok(load) = std::fs::read_to_string("/proc/loadavg") {
        println!(
            "load average before: {} on {} cores",
            load.split_whitespace()
                .take(3)
                .collect::<Vec<_>>()
                .join(" "),
            std::thread::available_parallelism().map_or(0, |n| n.get())
        );
    }
    let mut all = Vec::new();
    println!(
        "GET /api/events over {n} stored events ({}), {ROUNDS} rounds of {} queries, sequential over loopback",
        if postgres { "PostgreSQL" } else { "SQLite" },
        queries.len()
    );
    let mut per: Vec<Vec<Duration>> = vec![Vec::new(); queries.len()];
    let deadline = Instant::now() + Duration::from_secs(300);
    for _ in 0..ROUNDS {
        for (i, (_, q)) in queries.iter().enumerate() {
            let t = Instant::now();
            let mut r = agent.get(&format!("{base}{q}")).call().expect("request");
            let body = r.body_mut().read_to_string().expect("body");
            let d = t.elapsed();
            assert!(body.starts_with("{\"total\""), "{q}: {body}");
            per[i].push(d);
            all.push(d);
        }
        if Instant::now() > deadline {
            break;
        }
    }
    for (i, (name, q)) in queries.iter().enumerate() {
        per[i].sort();
        println!(
            "{name:<24} p50 {:>7.2} ms  p95 {:>7.2} ms  p99 {:>7.2} ms  max {:>7.2} ms   {q}",
            pct(&per[i], 0.5),
            pct(&per[i], 0.95),
            pct(&per[i], 0.99),
            pct(&per[i], 1.0)
        );
    }
    if let Ok(load) = std::fs::read_to_string("/proc/loadavg") {
        println!(
            "load average after: {}",
            load.split_whitespace()
                .take(3)
                .collect::<Vec<_>>()
                .join(" ")
        );
    }
    all.sort();
    println!(
        "ALL ({} requests)        p50 {:>7.2} ms  p90 {:>7.2} ms  p95 {:>7.2} ms  p99 {:>7.2} ms  max {:>7.2} ms",
        all.len(),
        pct(&all, 0.5),
        pct(&all, 0.9),
        pct(&all, 0.95),
        pct(&all, 0.99),
        pct(&all, 1.0)
    );
    server.shutdown();
}
