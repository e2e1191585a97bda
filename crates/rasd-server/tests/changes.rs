//! The change feed over a real server on 127.0.0.1: a follower of
//! `/api/changes` holds what the store holds after every kind of write (new events,
//! clustering, re-coding, corrections, wrong marks, merges, splits), and
//! `/api/stream` delivers the same as Server-Sent Events, resuming at Last-Event-ID.

mod common;

use common::{Kind, TestStore};
use rasd_server::RunningServer;
use rasd_store::EventId;
use rasd_store::incidents::IncidentSave;
use serde_json::{Value, json};
use std::collections::{BTreeMap, BTreeSet};
use std::io::{BufRead, BufReader};
use std::time::Duration;

struct Follower {
    cursor: i64,
    events: BTreeMap<i64, Value>,
    incidents: BTreeMap<String, Value>,
}

fn agent() -> ureq::Agent {
    ureq::Agent::config_builder()
        .http_status_as_error(false)
        .build()
        .into()
}

fn get_json(server: &RunningServer, path: &str) -> Value {
    let mut res = agent()
        .get(&format!("http://{}{path}", server.addr()))
        .call()
        .unwrap();
    let status = res.status().as_u16();
    let body = res.body_mut().read_to_string().unwrap();
    assert_eq!(status, 200, "GET {path}: {body}");
    serde_json::from_str(&body).unwrap()
}

fn post(server: &RunningServer, token: &str, path: &str, body: Value) -> Value {
    let mut res = agent()
        .post(&format!("http://{}{path}", server.addr()))
        .header("Content-Type", "application/json")
        .header("Authorization", &format!("Bearer {token}"))
        .send(body.to_string())
        .unwrap();
    let status = res.status().as_u16();
    let text = res.body_mut().read_to_string().unwrap();
    assert_eq!(status, 200, "POST {path}: {text}");
    serde_json::from_str(&text).unwrap()
}

impl Follower {
    /// Reads the feed from its cursor to the end, three entries a page.
    fn follow(&mut self, server: &RunningServer) {
        loop {
            let page = get_json(
                server,
                &format!("/api/changes?since={}&limit=3", self.cursor),
            );
            for c in page["changes"].as_array().unwrap() {
                let id = &c["id"];
                match (c["entity"].as_str().unwrap(), c["op"].as_str().unwrap()) {
                    ("event", "deleted") => {
                        self.events.remove(&id.as_i64().unwrap());
                    }
                    ("event", _) => {
                        self.events.insert(id.as_i64().unwrap(), c["event"].clone());
                    }
                    ("incident", "deleted") => {
                        self.incidents.remove(id.as_str().unwrap());
                    }
                    ("incident", _) => {
                        self.incidents
                            .insert(id.as_str().unwrap().to_string(), c["incident"].clone());
                    }
                    other => panic!("unknown entry {other:?}: {c}"),
                }
            }
            self.cursor = page["next"].as_i64().unwrap();
            if !page["more"].as_bool().unwrap() {
                break;
            }
        }
    }

    /// The follower's data equals the store's, as the API serves it.
    fn check(&self, server: &RunningServer, db: &TestStore, when: &str) {
        let ids: BTreeSet<i64> = db.event_ids();
        let mut store = db.open();
        assert_eq!(
            self.events.keys().copied().collect::<BTreeSet<_>>(),
            ids,
            "{when}: event ids"
        );
        for (id, held) in &self.events {
            let stored = store.get_event(EventId(*id)).unwrap().unwrap();
            assert_eq!(
                held["record"],
                serde_json::to_value(&stored.event).unwrap(),
                "{when}: event {id}"
            );
            let served = get_json(server, &format!("/api/events/{id}"));
            assert_eq!(
                held["wrong"], served["wrong"],
                "{when}: event {id} wrong mark"
            );
            assert_eq!(
                held["incident"], served["incident_id"],
                "{when}: event {id} incident"
            );
        }
        let list = get_json(server, "/api/incidents?limit=500");
        let served: BTreeMap<String, Value> = list["items"]
            .as_array()
            .unwrap()
            .iter()
            .map(|i| {
                let label = i["incident_id"].as_str().unwrap().to_string();
                let full = get_json(server, &format!("/api/incidents/{label}"));
                (label, full)
            })
            .collect();
        assert_eq!(
            self.incidents.keys().collect::<Vec<_>>(),
            served.keys().collect::<Vec<_>>(),
            "{when}: incident ids"
        );
        for (label, full) in &served {
            let held = &self.incidents[label];
            assert_eq!(
                held["event_ids"], full["event_ids"],
                "{when}: {label} members"
            );
            assert_eq!(held["event"], full["event"], "{when}: {label} record");
        }
    }
}

/// Links events into stored incidents the way the clustering pass does (one
/// incident per list), so that incident ids are the stored ones.
fn link(store: &TestStore, id: i64, events: &[EventId]) {
    store.save_incident(&IncidentSave {
        id,
        event_type: "battles",
        sub_event_type: "armed_clash",
        date_start: "2022-10-21",
        date_end: "2022-10-25",
        location_name: "x",
        admin1: None,
        country: "SY",
        lat: None,
        lon: None,
        fatalities: None,
        fatalities_low: None,
        fatalities_high: None,
        record: "{}",
        events,
    });
}

on_both_stores!(
    a_follower_holds_what_the_store_holds_after_every_kind_of_write,
    a_compacted_log_stays_complete_from_0_and_tells_a_cursor_below_its_horizon_410,
    the_stream_delivers_changes_and_resumes_at_last_event_id,
);

fn a_follower_holds_what_the_store_holds_after_every_kind_of_write(kind: Kind) {
    let Some(db) = TestStore::new(kind) else {
        return;
    };
    let mut store = db.open();
    let ids = common::seed(store.as_mut());
    let token = rasd_server::new_token().unwrap();
    store.add_user("analyst-one", &token).unwrap();
    let server = rasd_server::start(db.config(), "127.0.0.1:0".parse().unwrap()).unwrap();
    // The clustering pass links the events (as `rasd watch` does after every write),
    // so incidents have their stored ids.
    for (k, evs) in ids.iter().enumerate() {
        let all: Vec<EventId> = if k == 0 {
            ids[0].iter().chain(&ids[1]).copied().collect()
        } else if k == 1 {
            continue;
        } else {
            evs.clone()
        };
        link(&db, k as i64 + 1, &all);
    }

    let mut f = Follower {
        cursor: 0,
        events: BTreeMap::new(),
        incidents: BTreeMap::new(),
    };
    f.follow(&server);
    f.check(&server, &db, "after seeding and clustering");

    let jasim_b = ids[1][0].0;
    post(
        &server,
        &token,
        &format!("/api/events/{jasim_b}/corrections"),
        json!({"changes": {"fatalities": 17}}),
    );
    f.follow(&server);
    f.check(&server, &db, "after a correction");
    assert_eq!(f.events[&jasim_b]["record"]["fatalities"], 17);

    let homs = ids[4][0].0;
    post(
        &server,
        &token,
        &format!("/api/events/{homs}/wrong"),
        json!({"wrong": true}),
    );
    f.follow(&server);
    f.check(&server, &db, "after a wrong mark");

    let merged = post(
        &server,
        &token,
        "/api/incidents/merge",
        json!({"incident_ids": ["inc-3", "inc-4"]}),
    );
    f.follow(&server);
    f.check(&server, &db, "after a merge");
    let label = merged["incident_id"].as_str().unwrap();
    assert!(f.incidents.contains_key(label));
    assert!(
        !f.incidents.contains_key("inc-3"),
        "the merged-away incident is gone"
    );

    let members = f.incidents[label]["event_ids"].clone();
    post(
        &server,
        &token,
        &format!("/api/incidents/{label}/split"),
        json!({"event_ids": [members[0]]}),
    );
    f.follow(&server);
    f.check(&server, &db, "after a split");

    // Re-coding a document replaces its events (the correction follows the new one).
    let s = &common::samples()[1];
    let doc = store
        .get_event(EventId(jasim_b))
        .unwrap()
        .unwrap()
        .document_id;
    store.put_events(doc, &common::events_of(s)).unwrap();
    f.follow(&server);
    f.check(&server, &db, "after re-coding");
    assert!(
        !f.events.contains_key(&jasim_b),
        "the replaced event is deleted"
    );

    // Deleting an incident.
    db.delete_incident(1);
    f.follow(&server);
    f.check(&server, &db, "after deleting an incident");
    server.shutdown();
}

fn the_stream_delivers_changes_and_resumes_at_last_event_id(kind: Kind) {
    let Some(db) = TestStore::new(kind) else {
        return;
    };
    let mut store = db.open();
    common::seed(store.as_mut());
    let before = store.last_change().unwrap();
    let server = rasd_server::start(db.config(), "127.0.0.1:0".parse().unwrap()).unwrap();
    let open = |last_event_id: Option<i64>| {
        let (tx, rx) = std::sync::mpsc::channel::<(String, Value)>();
        let url = format!("http://{}/api/stream", server.addr());
        std::thread::spawn(move || {
            let mut req = agent().get(&url);
            if let Some(id) = last_event_id {
                req = req.header("Last-Event-ID", &id.to_string());
            }
            let res = req.call().unwrap();
            assert_eq!(
                res.headers().get("content-type").unwrap(),
                "text/event-stream"
            );
            let mut kind = String::new();
            for line in BufReader::new(res.into_body().into_reader()).lines() {
                let Ok(line) = line else { return };
                if let Some(k) = line.strip_prefix("event: ") {
                    kind = k.to_string();
                } else if let Some(d) = line.strip_prefix("data: ") {
                    if tx
                        .send((kind.clone(), serde_json::from_str(d).unwrap()))
                        .is_err()
                    {
                        return;
                    }
                }
            }
        });
        rx
    };
    // Without a cursor the stream starts now: the seeded events are not replayed.
    let live = open(None);
    let (kind, hello) = live.recv_timeout(Duration::from_secs(10)).unwrap();
    assert_eq!(kind, "hello");
    assert_eq!(hello["cursor"], before);
    let s = &common::samples()[3];
    let doc = store
        .put_document(&rasd_model::RawDocument {
            doc_id: "streamed".into(),
            origin: rasd_model::Origin::Inline,
            kind: rasd_model::ContentKind::Text,
            bytes: b"another text".to_vec(),
            meta: Default::default(),
        })
        .unwrap()
        .id();
    let new = store.put_events(doc, &common::events_of(s)).unwrap()[0].0;
    let (kind, change) = live.recv_timeout(Duration::from_secs(10)).unwrap();
    assert_eq!(kind, "change");
    assert_eq!(change["entity"], "event");
    assert_eq!(change["id"], new);
    assert_eq!(change["op"], "created");
    assert_eq!(
        change["event"]["record"]["event_type"],
        "strategic_developments"
    );
    // A reconnecting client that saw up to `before` gets everything after it.
    let resumed = open(Some(before));
    let (kind, _) = resumed.recv_timeout(Duration::from_secs(10)).unwrap();
    assert_eq!(kind, "hello");
    let mut got = Vec::new();
    while let Ok((_, c)) = resumed.recv_timeout(Duration::from_secs(2)) {
        got.push(c);
    }
    assert!(
        got.iter().any(|c| c["entity"] == "event" && c["id"] == new),
        "{got:?}"
    );
    assert!(got.iter().all(|c| c["seq"].as_i64().unwrap() > before));
    drop(live);
    drop(resumed);
    server.shutdown();
}

fn a_compacted_log_stays_complete_from_0_and_tells_a_cursor_below_its_horizon_410(kind: Kind) {
    // Compaction: the embedded store's migration 0013, PostgreSQL's 0031.
    use rasd_store::changes::Retention;
    let Some(db) = TestStore::new(kind) else {
        return;
    };
    let mut store = db.open();
    let ids = common::seed(store.as_mut());
    for (k, evs) in ids.iter().enumerate() {
        link(&db, k as i64 + 1, evs);
    }
    let server = rasd_server::start(db.config(), "127.0.0.1:0".parse().unwrap()).unwrap();
    let fresh = || Follower {
        cursor: 0,
        events: BTreeMap::new(),
        incidents: BTreeMap::new(),
    };
    let mut a = fresh();
    a.follow(&server);
    let left_behind = a.cursor;

    // Re-coding replaces a document's events; the clustering pass links the new ones.
    let recode = |store: &mut Box<dyn rasd_store::Backend>, k: usize, incident: i64| {
        let doc = store.get_event(ids[k][0]).unwrap().unwrap().document_id;
        let new = store
            .put_events(doc, &common::events_of(&common::samples()[k]))
            .unwrap();
        link(&db, incident, &new);
    };
    recode(&mut store, 0, 1);
    std::thread::sleep(Duration::from_millis(5));
    // Only superseded rows go: a follower behind still gets every deletion.
    let settle = Retention {
        settle: Duration::ZERO,
        tombstones: Duration::from_secs(86_400),
        tombstone_share: 0,
    };
    let done = store.compact_changes(&settle).unwrap();
    assert!(done.superseded > 0, "{done:?}");
    assert_eq!(done.horizon, 0);
    a.follow(&server);
    a.check(&server, &db, "following across a compaction");
    let mut late = Follower {
        cursor: left_behind,
        ..fresh()
    };
    late.events = a.events.clone();
    late.incidents = a.incidents.clone();

    recode(&mut store, 2, 3);
    a.follow(&server);
    std::thread::sleep(Duration::from_millis(5));
    let all = Retention {
        settle: Duration::ZERO,
        tombstones: Duration::ZERO,
        tombstone_share: 0,
    };
    let done = store.compact_changes(&all).unwrap();
    assert!(
        done.tombstones > 0 && done.horizon > left_behind,
        "{done:?}"
    );

    // A cursor below the horizon may have missed deletions: 410, and what to do.
    let mut res = agent()
        .get(&format!(
            "http://{}/api/changes?since={left_behind}",
            server.addr()
        ))
        .call()
        .unwrap();
    assert_eq!(res.status().as_u16(), 410);
    let body = res.body_mut().read_to_string().unwrap();
    assert!(body.contains("since=0"), "{body}");
    let res = agent()
        .get(&format!("http://{}/api/stream", server.addr()))
        .header("Last-Event-ID", &left_behind.to_string())
        .call()
        .unwrap();
    assert_eq!(res.status().as_u16(), 410);
    drop(late);

    // A follower that kept up goes on; a new one from 0 holds everything.
    a.follow(&server);
    a.check(&server, &db, "a follower past the horizon");
    let mut b = fresh();
    b.follow(&server);
    b.check(&server, &db, "a new follower of the compacted log");
    let log = store.changes_since(0, 100_000).unwrap();
    let entities: BTreeSet<(&str, &str)> = log
        .iter()
        .map(|c| (c.entity.as_str(), c.key.as_str()))
        .collect();
    assert_eq!(log.len(), entities.len(), "one row per entity left");
    server.shutdown();
}
