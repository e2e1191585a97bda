//! What the dashboard reads beside the events: English place names and Arabic actor
//! names in the event endpoints, and exports that follow every filter the dashboard
//! offers (free text included) with an Excel variant. A real server on 127.0.0.1:0.

mod common;

use common::{Kind, TestStore};
use serde_json::Value;

on_both_stores!(
    names_for_both_languages,
    exports_follow_the_text_filter_and_offer_excel
);

fn server(kind: Kind) -> Option<(TestStore, rasd_server::RunningServer, ureq::Agent)> {
    let store = TestStore::new(kind)?;
    common::seed(store.open().as_mut());
    let server = rasd_server::start(store.config(), "127.0.0.1:0".parse().unwrap()).unwrap();
    let agent: ureq::Agent = ureq::Agent::config_builder()
        .http_status_as_error(false)
        .build()
        .into();
    Some((store, server, agent))
}

fn get(agent: &ureq::Agent, server: &rasd_server::RunningServer, path: &str) -> Vec<u8> {
    let mut res = agent
        .get(&format!("http://{}{path}", server.addr()))
        .call()
        .unwrap();
    assert_eq!(res.status().as_u16(), 200, "GET {path}");
    res.body_mut().read_to_vec().unwrap()
}

fn csv_rows(bytes: &[u8]) -> Vec<csv::StringRecord> {
    csv::ReaderBuilder::new()
        .flexible(false)
        .from_reader(bytes)
        .records()
        .map(Result::unwrap)
        .collect()
}

fn names_for_both_languages(kind: Kind) {
    let Some((_dir, server, agent)) = server(kind) else {
        return;
    };
    let page: Value =
        serde_json::from_slice(&get(&agent, &server, "/api/events?limit=50")).unwrap();
    let items = page["items"].as_array().unwrap();
    let ariha = items
        .iter()
        .find(|e| e["location"]["name"] == "أريحا")
        .expect("the Ariha event");
    assert_eq!(ariha["location"]["en"]["name"], "Ariha");
    assert_eq!(ariha["location"]["en"]["admin1"], "Idleb");
    assert_eq!(ariha["actor1"], "Syrian Government Forces");
    assert_eq!(ariha["actor1_ar"], "القوات الحكومية السورية");
    let id = ariha["id"].as_i64().unwrap();
    let one: Value =
        serde_json::from_slice(&get(&agent, &server, &format!("/api/events/{id}"))).unwrap();
    assert_eq!(one["location_en"]["name"], "Ariha");
    assert_eq!(one["actors_ar"]["Civilians (Syria)"], "مدنيون (سوريا)");
    let gj: Value = serde_json::from_slice(&get(&agent, &server, "/api/events.geojson")).unwrap();
    assert!(
        gj["features"]
            .as_array()
            .unwrap()
            .iter()
            .any(|f| f["properties"]["location_en"]["name"] == "Ariha")
    );
    server.shutdown();
}

fn exports_follow_the_text_filter_and_offer_excel(kind: Kind) {
    let Some((_dir, server, agent)) = server(kind) else {
        return;
    };
    let all = csv_rows(&get(&agent, &server, "/api/export/acled.csv"));
    // «سوقاً» is only in the Ariha article's evidence.
    let q = "/api/export/acled.csv?q=%D8%B3%D9%88%D9%82%D8%A7%D9%8B";
    let some = csv_rows(&get(&agent, &server, q));
    assert!(
        !some.is_empty() && some.len() < all.len(),
        "{} of {}",
        some.len(),
        all.len()
    );
    assert!(some.iter().all(|r| &r[31] == "أريحا"), "{some:?}");
    let nothing = csv_rows(&get(&agent, &server, "/api/export/acled.csv?q=zzzzqqqq"));
    assert!(nothing.is_empty());

    let excel = get(&agent, &server, "/api/export/acled.csv?excel=true");
    assert!(excel.starts_with("\u{FEFF}".as_bytes()));
    let text = std::str::from_utf8(&excel[3..]).unwrap();
    assert_eq!(text.matches("\r\n").count(), text.matches('\n').count());
    assert_eq!(csv_rows(text.as_bytes()).len(), all.len());

    let only = csv_rows(&get(
        &agent,
        &server,
        "/api/export/acled.csv?acled_columns_only=true",
    ));
    assert!(only.iter().all(|r| r.len() == 31));
    server.shutdown();
}
