//! API integration tests: a real server on 127.0.0.1:0 over a temporary store seeded
//! through the store API, exercised over HTTP. Every test runs on both stores: a
//! SQLite file and a PostgreSQL database (`common::on_both_stores!`).

mod common;

use common::{Kind, TestStore};
use rasd_server::{Limits, RunningServer};
use serde_json::{Value, json};

struct Harness {
    server: RunningServer,
    agent: ureq::Agent,
    token: String,
    ids: Vec<Vec<rasd_store::EventId>>,
    store: TestStore,
}

on_both_stores!(
    events_filters_sorting_and_paging,
    one_event_article_spans_and_geojson,
    incidents_stats_exports_and_openapi,
    review_needs_a_token_and_is_kept_with_who_and_when,
    corrections_hold_the_moment_recoding_commits,
    an_orphan_is_listed_and_reattached_over_the_api,
    rate_limits_answer_429,
    stored_incident_links_are_kept,
);

/// `None` when the store is not available here (PostgreSQL without a server).
fn harness(kind: Kind, limits: Limits) -> Option<Harness> {
    let store = TestStore::new(kind)?;
    let mut conn = store.open();
    let ids = common::seed(conn.as_mut());
    let token = rasd_server::new_token().unwrap();
    conn.add_user("analyst-one", &token).unwrap();
    drop(conn);
    let mut config = store.config();
    config.limits = limits;
    let server = rasd_server::start(config, "127.0.0.1:0".parse().unwrap()).unwrap();
    let agent: ureq::Agent = ureq::Agent::config_builder()
        .http_status_as_error(false)
        .build()
        .into();
    Some(Harness {
        server,
        agent,
        token,
        ids,
        store,
    })
}

impl Harness {
    fn url(&self, path: &str) -> String {
        format!("http://{}{}", self.server.addr(), path)
    }
    fn get(&self, path: &str) -> (u16, String) {
        let mut res = self.agent.get(&self.url(path)).call().unwrap();
        let status = res.status().as_u16();
        (status, res.body_mut().read_to_string().unwrap())
    }
    fn get_json(&self, path: &str) -> Value {
        let (status, body) = self.get(path);
        assert_eq!(status, 200, "GET {path}: {body}");
        serde_json::from_str(&body).unwrap()
    }
    fn post(&self, path: &str, token: Option<&str>, body: &str) -> (u16, Value) {
        let mut req = self
            .agent
            .post(&self.url(path))
            .header("Content-Type", "application/json");
        if let Some(t) = token {
            req = req.header("Authorization", &format!("Bearer {t}"));
        }
        let mut res = req.send(body).unwrap();
        let status = res.status().as_u16();
        let text = res.body_mut().read_to_string().unwrap();
        (
            status,
            serde_json::from_str(&text).unwrap_or(Value::String(text)),
        )
    }
}

fn q(s: &str) -> String {
    // percent-encode a query value (Arabic text)
    let mut out = String::new();
    for b in s.bytes() {
        if b.is_ascii_alphanumeric() || b"-_.~".contains(&b) {
            out.push(b as char);
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out
}

fn events_filters_sorting_and_paging(kind: Kind) {
    let Some(h) = harness(kind, Limits::default()) else {
        return;
    };
    let all = h.get_json("/api/events");
    assert_eq!(all["total"], 5);
    let dates: Vec<&str> = all["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["date_start"].as_str().unwrap())
        .collect();
    let mut sorted = dates.clone();
    sorted.sort_by(|a, b| b.cmp(a));
    assert_eq!(dates, sorted, "default order is latest first");

    assert_eq!(h.get_json("/api/events?type=battles")["total"], 2);
    assert_eq!(
        h.get_json("/api/events?sub_type=air_drone_strike")["total"],
        1
    );
    assert_eq!(
        h.get_json("/api/events?from=2023-01-01&to=2023-05-31")["total"],
        2
    );
    assert_eq!(
        h.get_json(&format!("/api/events?admin1={}", q("درعا")))["total"],
        2
    );
    // folding: a diacritised governorate name matches
    assert_eq!(
        h.get_json(&format!("/api/events?admin1={}", q("دَرْعا")))["total"],
        2
    );
    assert_eq!(h.get_json("/api/events?actor=Democratic")["total"], 1);
    assert_eq!(h.get_json("/api/events?min_fatalities=20")["total"], 1);
    assert_eq!(
        h.get_json("/api/events?bbox=35.5,34.5,37.0,36.0")["total"],
        2,
        "Homs and Ariha"
    );
    // free text over folded Arabic: a clitic-attached form and diacritics still match
    assert_eq!(
        h.get_json(&format!("/api/events?q={}", q("أريحا")))["total"],
        1
    );
    assert_eq!(
        h.get_json(&format!("/api/events?q={}", q("غارة جوية")))["total"],
        1
    );
    assert_eq!(
        h.get_json(&format!("/api/events?q={}", q("جَاسِم")))["total"],
        2
    );

    let page = h.get_json("/api/events?limit=2&offset=2&sort=date_asc");
    assert_eq!(page["items"].as_array().unwrap().len(), 2);
    assert_eq!(page["items"][0]["date_start"], "2023-03-04");
    let deadly = h.get_json("/api/events?sort=fatalities_desc&limit=1");
    assert_eq!(deadly["items"][0]["fatalities"], 21);

    for bad in [
        "/api/events?type=war",
        "/api/events?from=yesterday",
        "/api/events?bbox=1,2,3",
        "/api/events?limit=100000",
        "/api/events?sort=random",
        "/api/events?min_fatalities=-3",
    ] {
        let (status, body) = h.get(bad);
        assert_eq!(status, 400, "{bad}: {body}");
        assert!(serde_json::from_str::<Value>(&body).unwrap()["error"].is_string());
    }
    // SQL-looking input is data, not SQL
    let (status, _) = h.get(&format!("/api/events?actor={}", q("x' OR 1=1 --")));
    assert_eq!(status, 200);
    assert_eq!(
        h.get_json(&format!("/api/events?actor={}", q("x' OR 1=1 --")))["total"],
        0
    );
}

fn one_event_article_spans_and_geojson(kind: Kind) {
    let Some(h) = harness(kind, Limits::default()) else {
        return;
    };
    let id = h.ids[2][0].0;
    let ev = h.get_json(&format!("/api/events/{id}"));
    assert_eq!(ev["doc_id"], "sample-ariha");
    assert_eq!(ev["event"]["sub_event_type"], "air_drone_strike");
    assert_eq!(ev["article"]["source"], "منصة الشمال");
    assert!(ev["incident_id"].as_str().unwrap().starts_with("inc-"));
    assert_eq!(h.get(&format!("/api/events/{}", id + 1000)).0, 404);
    assert_eq!(h.get("/api/events/abc").0, 400);

    let art = h.get_json("/api/articles/sample-ariha");
    let text = art["text"].as_str().unwrap();
    let chars: Vec<char> = text.chars().collect();
    let e = &art["events"][0];
    assert_eq!(e["id"], id);
    let span = &e["evidence"][0];
    let (s, t) = (
        span["start"].as_u64().unwrap() as usize,
        span["end"].as_u64().unwrap() as usize,
    );
    let evidence: String = chars[s..t].iter().collect();
    assert!(evidence.starts_with("قتل ثلاثة مدنيين"));
    let place = e["fields"]
        .as_array()
        .unwrap()
        .iter()
        .find(|f| f["field"] == "location.name")
        .unwrap();
    let (s, t) = (
        place["span"]["start"].as_u64().unwrap() as usize,
        place["span"]["end"].as_u64().unwrap() as usize,
    );
    assert_eq!(chars[s..t].iter().collect::<String>(), "أريحا");
    assert_eq!(h.get("/api/articles/no-such-doc").0, 404);

    let gj = h.get_json("/api/events.geojson?type=battles");
    assert_eq!(gj["type"], "FeatureCollection");
    let f = &gj["features"][0];
    assert_eq!(f["geometry"]["coordinates"][0], 36.06);
    assert_eq!(f["properties"]["event_type"], "battles");
}

fn incidents_stats_exports_and_openapi(kind: Kind) {
    let Some(h) = harness(kind, Limits::default()) else {
        return;
    };
    let inc = h.get_json("/api/incidents");
    assert_eq!(
        inc["total"], 4,
        "the two Jasim reports are one incident: {inc}"
    );
    let jasim = inc["items"]
        .as_array()
        .unwrap()
        .iter()
        .find(|i| i["event_type"] == "battles")
        .unwrap();
    assert_eq!(jasim["sources"], 2);
    assert_eq!(jasim["fatalities"], 19, "best = lowest credible figure");
    assert_eq!(jasim["fatalities_high"], 21);
    let one = h.get_json(&format!(
        "/api/incidents/{}",
        jasim["incident_id"].as_str().unwrap()
    ));
    assert_eq!(one["claims"].as_array().unwrap().len(), 2);
    assert_eq!(one["sources"].as_array().unwrap().len(), 2);
    assert_eq!(h.get("/api/incidents/inc-999").0, 404);

    let stats = h.get_json("/api/stats");
    assert_eq!(stats["events"], 5);
    assert_eq!(stats["fatalities"], 43);
    assert_eq!(stats["by_period"][0]["period"], "2022-10-21");
    let weekly = h.get_json("/api/stats?bucket=week&type=battles");
    assert_eq!(
        weekly["by_period"][0]["period"], "2022-10-17",
        "Monday of the week"
    );
    assert_eq!(weekly["by_period"][0]["events"], 2);
    assert!(
        stats["by_admin1"]
            .as_array()
            .unwrap()
            .iter()
            .any(|g| g["key"] == "درعا" && g["events"] == 2)
    );
    assert!(
        stats["by_type"]
            .as_array()
            .unwrap()
            .iter()
            .any(|g| g["key"] == "battles")
    );

    let (status, acled) = h.get("/api/export/acled.csv");
    assert_eq!(status, 200);
    let header = acled.lines().next().unwrap();
    assert!(header.starts_with("event_id_cnty,event_date"), "{header}");
    // the five-day Jasim incident gives five ACLED rows
    assert_eq!(acled.lines().filter(|l| l.contains("جاسم")).count(), 5);
    let (status, ucdp) = h.get("/api/export/ucdp.csv?type=battles");
    assert_eq!(status, 200);
    assert_eq!(ucdp.lines().count(), 2, "{ucdp}");
    assert_eq!(h.get("/api/export/excel.xlsx").0, 404);

    let spec = h.get_json("/openapi.json");
    assert_eq!(spec["openapi"], "3.1.0");
    assert!(
        spec["paths"]["/api/events"]["get"]["parameters"]
            .as_array()
            .unwrap()
            .len()
            > 10
    );

    let (status, page) = h.get("/");
    assert_eq!(status, 200);
    assert!(page.contains("leaflet.js"));
    assert_eq!(h.get("/assets/vendor/uplot/uPlot.iife.min.js").0, 200);
    assert_eq!(h.get("/assets/../Cargo.toml").0, 404);
}

fn review_needs_a_token_and_is_kept_with_who_and_when(kind: Kind) {
    let Some(h) = harness(kind, Limits::default()) else {
        return;
    };
    let id = h.ids[1][0].0; // Jasim, second outlet: 19 dead
    let body = json!({"changes": {"fatalities": 17}, "note": "recount"}).to_string();
    assert_eq!(
        h.post(&format!("/api/events/{id}/corrections"), None, &body)
            .0,
        401
    );
    assert_eq!(
        h.post(
            &format!("/api/events/{id}/corrections"),
            Some("not-a-valid-token-at-all"),
            &body
        )
        .0,
        401
    );
    let (status, res) = h.post(
        &format!("/api/events/{id}/corrections"),
        Some(&h.token),
        &body,
    );
    assert_eq!(status, 200, "{res}");
    assert_eq!(res["event"]["fatalities"], 17);

    // invalid corrections are refused with the reason
    let bad = json!({"changes": {"sub_event_type": "peaceful_protest"}}).to_string();
    let (status, res) = h.post(
        &format!("/api/events/{id}/corrections"),
        Some(&h.token),
        &bad,
    );
    assert_eq!(status, 422, "{res}");
    let unknown = json!({"changes": {"evidence": []}}).to_string();
    assert_eq!(
        h.post(
            &format!("/api/events/{id}/corrections"),
            Some(&h.token),
            &unknown
        )
        .0,
        422
    );
    assert_eq!(
        h.post(
            &format!("/api/events/{id}/corrections"),
            Some(&h.token),
            "{not json"
        )
        .0,
        400
    );
    let huge = format!(
        "{{\"changes\": {{\"actor1\": \"{}\"}}}}",
        "x".repeat(100_000)
    );
    // The server answers 413 as soon as the limit is passed and closes the connection;
    // a client still writing the rest may see that as a reset instead of the answer.
    let refused = h
        .agent
        .post(&h.url(&format!("/api/events/{id}/corrections")))
        .header("Content-Type", "application/json")
        .header("Authorization", &format!("Bearer {}", h.token))
        .send(&huge);
    match refused {
        Ok(res) => assert_eq!(res.status().as_u16(), 413),
        Err(ureq::Error::Io(e)) => eprintln!("oversized body cut off by the server: {e}"),
        Err(e) => panic!("oversized body: {e}"),
    }

    let ev = h.get_json(&format!("/api/events/{id}"));
    assert_eq!(ev["event"]["fatalities"], 17);
    assert_eq!(ev["original"]["fatalities"], 19);
    assert_eq!(ev["corrected"], true);
    assert_eq!(ev["corrections"][0]["user"], "analyst-one");
    assert!(
        ev["corrections"][0]["created_at"]
            .as_str()
            .unwrap()
            .starts_with("20")
    );

    // the incident and the exports reflect it: best = 17 now
    let inc = h.get_json("/api/incidents?type=battles");
    assert_eq!(inc["items"][0]["fatalities"], 17);
    let (_, jsonl) = h.get("/api/export/incidents.jsonl?type=battles");
    let rec: Value = serde_json::from_str(jsonl.lines().next().unwrap()).unwrap();
    assert_eq!(rec["fatalities"], 17);

    // mark wrong: gone from lists and exports, back with include_wrong
    let wrong_id = h.ids[4][0].0;
    let (status, _) = h.post(
        &format!("/api/events/{wrong_id}/wrong"),
        Some(&h.token),
        r#"{"wrong": true, "note": "not an event"}"#,
    );
    assert_eq!(status, 200);
    assert_eq!(h.get_json("/api/events")["total"], 4);
    assert_eq!(h.get_json("/api/events?include_wrong=true")["total"], 5);
    assert_eq!(h.get_json("/api/incidents")["total"], 3);
    let (_, acled) = h.get("/api/export/acled.csv");
    assert!(!acled.contains("حمص"));

    // merge two incidents, then split them again
    let inc = h.get_json("/api/incidents?sort=date_asc");
    let labels: Vec<String> = inc["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|i| i["incident_id"].as_str().unwrap().to_string())
        .collect();
    let (status, merged) = h.post(
        "/api/incidents/merge",
        Some(&h.token),
        &json!({"incident_ids": [labels[1], labels[2]]}).to_string(),
    );
    assert_eq!(status, 200, "{merged}");
    assert_eq!(h.get_json("/api/incidents")["total"], 2);
    let m = h.get_json(&format!(
        "/api/incidents/{}",
        merged["incident_id"].as_str().unwrap()
    ));
    let members = m["event_ids"].as_array().unwrap().clone();
    assert_eq!(members.len(), 2);
    let (status, split) = h.post(
        &format!(
            "/api/incidents/{}/split",
            merged["incident_id"].as_str().unwrap()
        ),
        Some(&h.token),
        &json!({"event_ids": [members[0]]}).to_string(),
    );
    assert_eq!(status, 200, "{split}");
    assert_eq!(h.get_json("/api/incidents")["total"], 3);

    let audit = h.get_json("/api/audit");
    let actions: Vec<&str> = audit["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|a| a["action"].as_str().unwrap())
        .collect();
    for a in ["correct", "mark_wrong", "merge", "split", "user_add"] {
        assert!(actions.contains(&a), "{a} missing from {actions:?}");
    }
    assert!(
        audit["items"]
            .as_array()
            .unwrap()
            .iter()
            .filter(|a| a["action"] == "correct")
            .all(|a| a["user"] == "analyst-one")
    );
    assert_eq!(h.get("/api/me").0, 401, "no token");
}

fn corrections_hold_the_moment_recoding_commits(kind: Kind) {
    let Some(h) = harness(kind, Limits::default()) else {
        return;
    };
    let id = h.ids[3][0].0; // Raqqa arrests, 12
    let body = json!({"changes": {"arrested": 14, "location.admin2": "الرقة"}}).to_string();
    assert_eq!(
        h.post(
            &format!("/api/events/{id}/corrections"),
            Some(&h.token),
            &body
        )
        .0,
        200
    );
    // Another process re-codes the article: same events, new ids.
    let mut store = h.store.open();
    let doc = store.documents_by_doc_id("sample-raqqa").unwrap()[0];
    let sample = common::samples()
        .into_iter()
        .find(|s| s.doc_id == "sample-raqqa")
        .unwrap();
    let new = store.put_events(doc, &common::events_of(&sample)).unwrap();
    assert_ne!(new[0].0, id);
    // The first read after the commit has the correction: nothing runs in between.
    let ev = h.get_json(&format!("/api/events/{}", new[0].0));
    assert_eq!(ev["event"]["arrested"], 14, "{ev}");
    assert_eq!(ev["event"]["location"]["admin2"], "الرقة");
    assert_eq!(ev["original"]["arrested"], 12);
    assert_eq!(ev["corrected"], true);
    let list = h.get_json("/api/events?limit=50");
    let item = list["items"]
        .as_array()
        .unwrap()
        .iter()
        .find(|e| e["id"] == new[0].0)
        .unwrap()
        .clone();
    assert_eq!(item["corrected"], true, "{item}");
    let jsonl = h.get("/api/export/incidents.jsonl").1;
    let arrested: Vec<Value> = jsonl
        .lines()
        .map(|l| serde_json::from_str::<Value>(l).unwrap())
        .filter(|r| r["location"]["name"] == "الرقة")
        .map(|r| r["arrested"].clone())
        .collect();
    assert_eq!(arrested, vec![json!(14)]);
}

fn an_orphan_is_listed_and_reattached_over_the_api(kind: Kind) {
    let Some(h) = harness(kind, Limits::default()) else {
        return;
    };
    let id = h.ids[2][0].0; // Ariha air strike, 3
    let body = json!({"changes": {"fatalities": 4}}).to_string();
    assert_eq!(
        h.post(
            &format!("/api/events/{id}/corrections"),
            Some(&h.token),
            &body
        )
        .0,
        200
    );
    // A coder change splits the strike into two places from the same sentence.
    let mut store = h.store.open();
    let doc = store.documents_by_doc_id("sample-ariha").unwrap()[0];
    let sample = common::samples()
        .into_iter()
        .find(|s| s.doc_id == "sample-ariha")
        .unwrap();
    let mut events = common::events_of(&sample);
    let mut other = events[0].clone();
    other.location.name = "معرة النعمان".into();
    other.fatalities = Some(1);
    events[0].fatalities = Some(2);
    events.push(other);
    let new = store.put_events(doc, &events).unwrap();
    let orphans = h.get_json("/api/review/orphans");
    assert_eq!(orphans["total"], 1, "{orphans}");
    let o = &orphans["items"][0];
    assert_eq!(o["reason"], "split");
    assert_eq!(o["original"]["fatalities"], 3);
    assert_eq!(o["corrections"][0]["value"], 4);
    assert_eq!(o["candidates"].as_array().unwrap().len(), 2);
    assert_eq!(
        h.get_json(&format!("/api/events/{}", new[0].0))["event"]["fatalities"],
        2
    );
    let oid = o["id"].as_i64().unwrap();
    let attach = json!({"event_id": new[0].0, "note": "all four in Ariha"}).to_string();
    let url = format!("/api/review/orphans/{oid}/attach");
    assert_eq!(h.post(&url, None, &attach).0, 401);
    assert_eq!(
        h.post("/api/review/orphans/999999/attach", Some(&h.token), &attach)
            .0,
        404
    );
    let (status, res) = h.post(&url, Some(&h.token), &attach);
    assert_eq!(status, 200, "{res}");
    assert_eq!(res["event"]["fatalities"], 4);
    assert_eq!(
        h.get_json(&format!("/api/events/{}", new[0].0))["event"]["fatalities"],
        4
    );
    assert_eq!(h.get_json("/api/review/orphans")["total"], 0);
    assert_eq!(h.post(&url, Some(&h.token), &attach).0, 404);
    let audit = h.get_json("/api/audit?limit=5");
    assert_eq!(audit["items"][0]["action"], "reattach");
    assert_eq!(audit["items"][0]["user"], "analyst-one");
}

fn rate_limits_answer_429(kind: Kind) {
    let Some(h) = harness(
        kind,
        Limits {
            read_per_sec: 0.01,
            read_burst: 5.0,
            write_per_sec: 0.01,
            write_burst: 1.0,
        },
    ) else {
        return;
    };
    let codes: Vec<u16> = (0..8).map(|_| h.get("/api/stats").0).collect();
    assert_eq!(codes.iter().filter(|&&c| c == 200).count(), 5, "{codes:?}");
    assert_eq!(*codes.last().unwrap(), 429);
    let id = h.ids[0][0].0;
    let body = json!({"wrong": true}).to_string();
    assert_eq!(
        h.post(&format!("/api/events/{id}/wrong"), Some(&h.token), &body)
            .0,
        200
    );
    assert_eq!(
        h.post(&format!("/api/events/{id}/wrong"), Some(&h.token), &body)
            .0,
        429
    );
}

fn stored_incident_links_are_kept(kind: Kind) {
    let Some(h) = harness(kind, Limits::default()) else {
        return;
    };
    // The clustering pass of `rasd ingest` put both Jasim reports into incident 41.
    let jasim = [h.ids[0][0], h.ids[1][0]];
    h.store.save_incident(&rasd_store::incidents::IncidentSave {
        id: 41,
        event_type: "battles",
        sub_event_type: "armed_clash",
        date_start: "2022-10-21",
        date_end: "2022-10-25",
        location_name: "جاسم",
        admin1: Some("درعا"),
        country: "SY",
        lat: Some(32.992),
        lon: Some(36.06),
        fatalities: Some(19),
        fatalities_low: Some(19),
        fatalities_high: Some(21),
        record: "{}",
        events: &jasim,
    });
    let inc = h.get_json("/api/incidents?type=battles");
    assert_eq!(inc["total"], 1);
    assert_eq!(inc["items"][0]["incident_id"], "inc-41");
    assert_eq!(inc["items"][0]["sources"], 2);
    let ev = h.get_json(&format!("/api/events/{}", jasim[0].0));
    assert_eq!(ev["incident_id"], "inc-41");
    // new incidents clustered by the server do not take a stored id
    let all = h.get_json("/api/incidents");
    let mut ids: Vec<&str> = all["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|i| i["incident_id"].as_str().unwrap())
        .collect();
    ids.sort();
    ids.dedup();
    assert_eq!(ids.len(), 4);
}
