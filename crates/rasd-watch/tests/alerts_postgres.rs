//! Alerts on PostgreSQL with several senders on one database: each owed incident is
//! POSTed to a real webhook receiver on 127.0.0.1 once (a failed attempt retried with
//! the same idempotency key), whatever sender leases it, while a writer keeps adding
//! reports. Needs `RASD_TEST_POSTGRES` (see `rasd-store-pg`); without it the test says
//! so and skips.

use rasd_model::{ContentKind, Event, Origin, RawDocument};
use rasd_store::alerts::{AlertFilter, AlertStore};
use rasd_store::incidents::{IncidentSave, IncidentStore};
use rasd_store_pg::PgStore;
use rasd_store_pg::scratch::ScratchDb;
use rasd_watch::alerts::{AlertSettings, Sender};
use rasd_watch::testing::Receiver;
use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::{Duration, Instant};

/// Each request the receiver got: its idempotency key, the status it answered (503
/// to the first, 200 to every other) and its body.
fn log(hook: &Receiver) -> Vec<(String, u16, String)> {
    hook.got()
        .into_iter()
        .enumerate()
        .map(|(i, h)| {
            let status = if i == 0 { 503 } else { 200 };
            (h.key.unwrap_or_default(), status, h.body)
        })
        .collect()
}

fn event(admin1: &str, deaths: Option<u32>) -> Event {
    let mut e: Event = serde_json::from_str(
        r#"{"event_type":"battles","sub_event_type":"armed_clash","date_start":"2024-09-02",
            "date_end":"2024-09-02","date_precision":"day",
            "location":{"name":"قرية متخيلة","admin1":"درعا","country":"SY","precision":"community"},
            "actor1":"a","actor2":null,"fatalities":null,"injured":null,"arrested":null,
            "evidence":["اشتباك متخيل"]}"#,
    )
    .unwrap();
    e.location.admin1 = Some(admin1.into());
    e.fatalities = deaths;
    e
}

/// Stores a report (a document and its event) and links it into incident `incident`,
/// as a worker's clustering pass does.
fn report(store: &mut PgStore, name: &str, admin1: &str, deaths: Option<u32>, incident: i64) {
    let doc = RawDocument {
        doc_id: name.into(),
        origin: Origin::Inline,
        kind: ContentKind::Text,
        bytes: name.as_bytes().to_vec(),
        meta: Default::default(),
    };
    let mut batch = store.batch().unwrap();
    let d = batch.put_document(&doc).unwrap().id();
    let ids = batch.put_events(d, &[event(admin1, deaths)]).unwrap();
    batch.commit().unwrap();
    let mut pass = store.incidents().unwrap();
    pass.save_incident(&IncidentSave {
        id: incident,
        event_type: "battles",
        sub_event_type: "armed_clash",
        date_start: "2024-09-02",
        date_end: "2024-09-02",
        location_name: "قرية متخيلة",
        admin1: Some(admin1),
        country: "SY",
        lat: None,
        lon: None,
        fatalities: deaths,
        fatalities_low: None,
        fatalities_high: None,
        record: "{}",
        events: &ids,
    })
    .unwrap();
    pass.commit().unwrap();
}

#[test]
fn several_senders_on_one_database_post_each_owed_incident_once() {
    let Some(db) = ScratchDb::from_env() else {
        return;
    };
    let receiver = Receiver::scripted(&[(503, ""), (200, "")]);
    let hook = format!("{}/hook", receiver.url);
    let mut store = PgStore::connect(&db.url).unwrap();
    // Matching before the alert exists: the baseline, never sent.
    report(&mut store, "before", "درعا", Some(4), 1);
    let filter = AlertFilter {
        admin1: Some("درعا".into()),
        min_fatalities: Some(1),
        ..AlertFilter::default()
    };
    let alert = AlertStore::add_alert(&mut store, "daraa-deaths", &filter, &hook).unwrap();
    let err = AlertStore::add_alert(&mut store, "daraa-deaths", &filter, &hook).unwrap_err();
    assert!(err.to_string().contains("exists already"), "{err}");

    let stop = Arc::new(AtomicBool::new(false));
    let settings = AlertSettings {
        timeout: Duration::from_secs(5),
        retry_base: Duration::from_millis(50),
        retry_max: Duration::from_millis(200),
        max_attempts: 6,
        poll: Duration::from_millis(20),
        ..AlertSettings::default()
    };
    let senders: Vec<_> = (0..3)
        .map(|_| {
            let (url, stop, sender) = (db.url.clone(), stop.clone(), Sender::new(settings.clone()));
            std::thread::spawn(move || sender.run(Path::new(&url), &stop).unwrap())
        })
        .collect();

    // Reports arrive while the senders run: a match in Daraa for every third, others
    // elsewhere or without deaths; incident 2 grows into a match later.
    let mut owed = BTreeSet::new();
    report(&mut store, "no-deaths", "درعا", None, 2);
    for k in 3..40i64 {
        let (admin1, deaths) = match k % 3 {
            0 => ("درعا", Some(k as u32)),
            1 => ("إدلب", Some(2)),
            _ => ("درعا", Some(0)),
        };
        report(&mut store, &format!("r{k}"), admin1, deaths, k);
        if k % 3 == 0 {
            owed.insert(k);
        }
    }
    report(&mut store, "grown", "درعا", Some(3), 2);
    owed.insert(2);

    let want: BTreeSet<String> = owed
        .iter()
        .map(|k| format!("rasd-alert-{}-inc-{k}", alert.id))
        .collect();
    let deadline = Instant::now() + Duration::from_secs(60);
    loop {
        let ok: BTreeSet<String> = log(&receiver)
            .iter()
            .filter(|(_, s, _)| *s == 200)
            .map(|(k, _, _)| k.clone())
            .collect();
        if ok == want {
            break;
        }
        assert!(Instant::now() < deadline, "delivered {ok:?}, owed {want:?}");
        std::thread::sleep(Duration::from_millis(50));
    }
    // Time for a duplicate to show, were one to be sent.
    std::thread::sleep(Duration::from_millis(500));
    stop.store(true, Ordering::SeqCst);
    let totals: Vec<_> = senders.into_iter().map(|t| t.join().unwrap()).collect();

    let log = log(&receiver);
    let mut per_key: BTreeMap<&str, Vec<u16>> = BTreeMap::new();
    for (k, s, _) in &log {
        per_key.entry(k).or_default().push(*s);
    }
    let keys: BTreeSet<String> = per_key.keys().map(|k| k.to_string()).collect();
    assert_eq!(
        keys, want,
        "only owed incidents are posted (not the baseline)"
    );
    for (k, statuses) in &per_key {
        assert_eq!(
            statuses.iter().filter(|s| **s == 200).count(),
            1,
            "{k}: {statuses:?}"
        );
    }
    // The one 503 was retried by a sender with the same key, and nothing else repeated.
    assert_eq!(log.len(), want.len() + 1, "{per_key:?}");
    assert_eq!(
        totals.iter().map(|t| t.delivered).sum::<u32>() as usize,
        want.len()
    );
    assert!(
        totals.iter().filter(|t| t.delivered > 0).count() >= 2,
        "the senders shared the work: {totals:?}"
    );
    let body: serde_json::Value = serde_json::from_str(&log[1].2).unwrap();
    assert_eq!(body["alert"], "daraa-deaths");
    assert_eq!(body["events"][0]["place"]["admin1"], "درعا");

    // The ledger agrees, and a new sender finds nothing left to send.
    let status = AlertStore::alerts(&mut store).unwrap();
    assert_eq!(status[0].delivered as usize, want.len());
    assert_eq!((status[0].pending, status[0].failed), (0, 0));
    let mut again = PgStore::connect(&db.url).unwrap();
    let t = Sender::new(settings)
        .round(&mut again, &AtomicBool::new(false))
        .unwrap();
    assert_eq!((t.queued, t.delivered), (0, 0));
    assert!(AlertStore::remove_alert(&mut store, "daraa-deaths").unwrap());
    assert!(AlertStore::alerts(&mut store).unwrap().is_empty());
}
