//! The watch state on PostgreSQL (rasd_store_pg::watch): source leases taken with
//! SKIP LOCKED and expiring, item claims unique across workers and turned into stored
//! items only by their holder. Needs `RASD_TEST_POSTGRES`; without it, skips.

use rasd_store::watch::{PollRecord, WatchItem};
use rasd_store_pg::PgStore;
use rasd_store_pg::scratch::ScratchDb;
use std::time::Duration;

fn names(n: &[&str]) -> Vec<String> {
    n.iter().map(|s| s.to_string()).collect()
}

fn item<'a>(key: &'a str) -> WatchItem<'a> {
    WatchItem {
        key,
        source: "a",
        url: Some(key),
        document_id: None,
        events: 0,
        fetched_at: "2026-01-01T00:00:00Z",
        error: None,
    }
}

#[test]
fn a_source_is_leased_to_one_worker_until_its_lease_expires() {
    let Some(db) = ScratchDb::from_env() else {
        return;
    };
    let mut w1 = PgStore::connect(&db.url).unwrap();
    let mut w2 = PgStore::connect(&db.url).unwrap();
    for s in ["a", "b"] {
        w1.watch_register(s, &format!("http://127.0.0.1:1/{s}"), "feed")
            .unwrap();
        w2.watch_register(s, &format!("http://127.0.0.1:1/{s}"), "feed")
            .unwrap();
    }
    let ttl = Duration::from_secs(1);
    let (got, not) = w1.watch_lease("w1", &names(&["a"]), ttl).unwrap();
    assert_eq!(got.len(), 1);
    assert!(not.is_empty());
    let (got, not) = w2.watch_lease("w2", &names(&["a", "b"]), ttl).unwrap();
    assert_eq!(
        got.iter().map(|l| l.name.as_str()).collect::<Vec<_>>(),
        ["b"]
    );
    assert_eq!(not.len(), 1);
    assert_eq!(not[0].held_by.as_deref(), Some("w1"));
    let status = w2.watch_sources().unwrap();
    assert_eq!(status[0].lease_holder.as_deref(), Some("w1"));
    assert_eq!(status[1].lease_holder.as_deref(), Some("w2"));
    assert!(status[0].lease_until.is_some());

    // Renewed, the lease outlives its first term; not renewed, it expires and the
    // other worker takes the source over.
    std::thread::sleep(Duration::from_millis(600));
    assert_eq!(w1.watch_renew("w1", &names(&["a"]), ttl).unwrap(), ["a"]);
    std::thread::sleep(Duration::from_millis(600));
    assert!(
        w2.watch_lease("w2", &names(&["a"]), ttl)
            .unwrap()
            .0
            .is_empty()
    );
    std::thread::sleep(Duration::from_millis(700));
    let (got, _) = w2.watch_lease("w2", &names(&["a"]), ttl).unwrap();
    assert_eq!(got.len(), 1);
    assert_eq!(got[0].took_over_from.as_deref(), Some("w1"));
    // The old holder's renewal and release now find nothing of theirs.
    assert!(
        w1.watch_renew("w1", &names(&["a"]), ttl)
            .unwrap()
            .is_empty()
    );
    assert!(!w1.watch_release("w1", "a", Duration::ZERO).unwrap());

    // Released with its next poll a minute away, nobody may poll it before then.
    assert!(
        w2.watch_release("w2", "a", Duration::from_secs(60))
            .unwrap()
    );
    let (got, not) = w1.watch_lease("w1", &names(&["a"]), ttl).unwrap();
    assert!(got.is_empty());
    assert_eq!(not[0].held_by, None);
    assert!(not[0].due_in > Duration::from_secs(50), "{not:?}");

    // Stopping gives back every lease at once.
    w2.watch_release_all("w2").unwrap();
    assert_eq!(w1.watch_source("b").unwrap().unwrap().lease_holder, None);
    let (got, _) = w1.watch_lease("w1", &names(&["b"]), ttl).unwrap();
    assert_eq!(got.len(), 1);
}

#[test]
fn workers_racing_for_the_same_sources_split_them() {
    let Some(db) = ScratchDb::from_env() else {
        return;
    };
    let all: Vec<String> = (0..40).map(|i| format!("s{i:02}")).collect();
    let mut setup = PgStore::connect(&db.url).unwrap();
    for s in &all {
        setup
            .watch_register(s, "http://127.0.0.1:1/", "feed")
            .unwrap();
    }
    let won: Vec<Vec<String>> = std::thread::scope(|scope| {
        let handles: Vec<_> = (0..4)
            .map(|w| {
                let (url, all) = (db.url.clone(), all.clone());
                scope.spawn(move || {
                    let mut store = PgStore::connect(&url).unwrap();
                    let mut mine = Vec::new();
                    for chunk in all.chunks(5) {
                        let (got, _) = store
                            .watch_lease(&format!("w{w}"), chunk, Duration::from_secs(30))
                            .unwrap();
                        mine.extend(got.into_iter().map(|l| l.name));
                    }
                    mine
                })
            })
            .collect();
        handles.into_iter().map(|h| h.join().unwrap()).collect()
    });
    let mut every: Vec<&String> = won.iter().flatten().collect();
    every.sort();
    assert_eq!(
        every,
        all.iter().collect::<Vec<_>>(),
        "each source leased once"
    );
}

#[test]
fn an_item_is_claimed_by_one_worker_and_stored_only_by_it() {
    let Some(db) = ScratchDb::from_env() else {
        return;
    };
    let mut w1 = PgStore::connect(&db.url).unwrap();
    let mut w2 = PgStore::connect(&db.url).unwrap();
    w1.watch_register("a", "http://127.0.0.1:1/a", "feed")
        .unwrap();
    let ttl = Duration::from_secs(1);
    let items = |keys: &[&str]| -> Vec<(String, Option<String>)> {
        keys.iter()
            .map(|k| (k.to_string(), Some(k.to_string())))
            .collect()
    };
    let got1 = w1
        .watch_claim("w1", "a", &items(&["k1", "k2", "k1"]), ttl)
        .unwrap();
    assert_eq!(got1.len(), 2);
    let got2 = w2
        .watch_claim("w2", "a", &items(&["k2", "k3"]), ttl)
        .unwrap();
    assert_eq!(got2.into_iter().collect::<Vec<_>>(), ["k3"]);

    // w1 stores k1; w2 cannot store what it does not hold.
    let mut b = w1.batch().unwrap();
    assert!(b.watch_take_item("w1", "k1").unwrap());
    assert!(b.watch_record_item("w1", &item("k1")).unwrap());
    b.watch_record_poll(
        "a",
        &PollRecord::Success {
            at: "2026-01-01T00:00:00Z",
            validators: Some((Some("\"v1\""), None)),
            not_modified: false,
            items: 1,
            events: 0,
        },
    )
    .unwrap();
    b.commit().unwrap();
    let mut b = w2.batch().unwrap();
    assert!(!b.watch_take_item("w2", "k1").unwrap());
    assert!(!b.watch_record_item("w2", &item("k1")).unwrap());
    drop(b);
    assert_eq!(
        w2.watch_source("a").unwrap().unwrap().etag.as_deref(),
        Some("\"v1\"")
    );

    // A stored item is never claimed again; an expired claim (w1 died holding k2) is
    // taken over, and the dead worker can no longer store it.
    std::thread::sleep(Duration::from_millis(1200));
    let got = w2
        .watch_claim("w2", "a", &items(&["k1", "k2"]), ttl)
        .unwrap();
    assert_eq!(got.into_iter().collect::<Vec<_>>(), ["k2"]);
    let mut b = w1.batch().unwrap();
    assert!(!b.watch_take_item("w1", "k2").unwrap());
    drop(b);
    // Given back (not fetched), a claim is free for anyone at once.
    w2.watch_unclaim("w2", "k3").unwrap();
    assert_eq!(
        w1.watch_claim("w1", "a", &items(&["k3"]), ttl)
            .unwrap()
            .len(),
        1
    );
    assert_eq!(w1.watch_item_counts().unwrap(), (1, 2));
    w1.watch_release_all("w1").unwrap();
    assert_eq!(w1.watch_item_counts().unwrap(), (1, 1));
}
