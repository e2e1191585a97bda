//! Analyst review through re-coding, end to end on the bundled samples, with no
//! server running: a correction made before `rasd ingest --recode` is in the very
//! next `rasd export`, on the embedded store and on PostgreSQL (`RASD_TEST_POSTGRES`,
//! see rasd_store_pg::scratch; skipped without it); through the API the first read
//! after the re-code has it; a coder change that splits the corrected event leaves
//! an orphan that `rasd review orphans` lists and `rasd review attach` puts back.

mod common;

use common::run as rasd;
use rasd_store_pg::scratch::ScratchDb;
use serde_json::Value;
use std::path::Path;
use std::process::Output;

const SAMPLES: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/../../samples");
/// The feed item whose clash the coder reads with seven dead.
const DOC: &str = "north-syria-feed#2";

fn ok(out: &Output) -> String {
    assert!(
        out.status.success(),
        "{}\n{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8(out.stdout.clone()).unwrap()
}

fn lines(s: &str) -> Vec<Value> {
    s.lines()
        .map(|l| serde_json::from_str(l).expect("one JSON record per line"))
        .collect()
}

/// (event id, fatalities) of DOC's event in `rasd events`.
fn stored(db: &str, cwd: &Path) -> (i64, Value) {
    let events = lines(&ok(&rasd(
        &["events", "--db", db, "--format", "jsonl"],
        cwd,
    )));
    let e = events
        .iter()
        .find(|e| e["doc_id"] == DOC)
        .unwrap_or_else(|| panic!("{DOC} has an event: {events:?}"));
    (e["id"].as_i64().unwrap(), e["fatalities"].clone())
}

/// The fatalities DOC's claim has in `rasd export --format jsonl`.
fn exported(db: &str, cwd: &Path) -> Vec<Value> {
    lines(&ok(&rasd(
        &["export", "--format", "jsonl", "--db", db],
        cwd,
    )))
    .iter()
    .flat_map(|r| r["claims"].as_array().unwrap().clone())
    .filter(|c| c["doc_id"] == DOC)
    .map(|c| c["fatalities"].clone())
    .collect()
}

/// Correct 7 → 9 with the command line, re-code, export: 9 at once.
fn correct_recode_export(db: &str, cwd: &Path) {
    ok(&rasd(&["ingest", SAMPLES, "--db", db], cwd));
    let (id, toll) = stored(db, cwd);
    assert_eq!(toll, 7, "the coder reads seven dead in {DOC}");
    assert_eq!(exported(db, cwd), vec![Value::from(7)]);
    ok(&rasd(&["user", "add", "mona", "--db", db], cwd));
    ok(&rasd(
        &[
            "review",
            "correct",
            &id.to_string(),
            "--set",
            "fatalities=9",
            "--as",
            "mona",
            "--note",
            "nine in the later report",
            "--db",
            db,
        ],
        cwd,
    ));
    let recoded = ok(&rasd(&["ingest", SAMPLES, "--db", db, "--recode"], cwd));
    assert!(recoded.contains("8 duplicate"), "{recoded}");
    let (new_id, toll) = stored(db, cwd);
    assert_ne!(new_id, id, "re-coding wrote new events");
    assert_eq!(toll, 9);
    assert_eq!(exported(db, cwd), vec![Value::from(9)]);
    let orphans = ok(&rasd(&["review", "orphans", "--db", db], cwd));
    assert!(orphans.starts_with("no orphans"), "{orphans}");
}

#[test]
fn a_correction_holds_through_recode_in_the_next_export() {
    let dir = tempfile::tempdir().unwrap();
    correct_recode_export("s.db", dir.path());
}

#[test]
fn a_correction_holds_through_recode_on_postgres() {
    let Some(db) = ScratchDb::from_env() else {
        return;
    };
    let dir = tempfile::tempdir().unwrap();
    correct_recode_export(&db.url, dir.path());
}

#[test]
fn the_api_shows_the_correction_on_the_first_read_after_recode() {
    let dir = tempfile::tempdir().unwrap();
    let cwd = dir.path();
    ok(&rasd(&["ingest", SAMPLES, "--db", "s.db"], cwd));
    let (id, _) = stored("s.db", cwd);
    let token = ok(&rasd(&["user", "add", "mona", "--db", "s.db"], cwd));
    let server = rasd_server::start(
        rasd_server::ServerConfig::new(cwd.join("s.db")),
        "127.0.0.1:0".parse().unwrap(),
    )
    .unwrap();
    let agent: ureq::Agent = ureq::Agent::config_builder()
        .http_status_as_error(false)
        .build()
        .into();
    let url = |p: &str| format!("http://{}{p}", server.addr());
    let mut res = agent
        .post(&url(&format!("/api/events/{id}/corrections")))
        .header("Authorization", &format!("Bearer {}", token.trim()))
        .header("Content-Type", "application/json")
        .send(r#"{"changes": {"fatalities": 9}}"#)
        .unwrap();
    assert_eq!(
        res.status().as_u16(),
        200,
        "{}",
        res.body_mut().read_to_string().unwrap()
    );
    ok(&rasd(&["ingest", SAMPLES, "--db", "s.db", "--recode"], cwd));
    let get = |p: &str| -> Value {
        let mut res = agent.get(&url(p)).call().unwrap();
        serde_json::from_str(&res.body_mut().read_to_string().unwrap()).unwrap()
    };
    let page = get("/api/events?limit=100");
    let item = page["items"]
        .as_array()
        .unwrap()
        .iter()
        .find(|e| e["doc_id"] == DOC)
        .unwrap()
        .clone();
    assert_ne!(item["id"], id);
    assert_eq!(item["fatalities"], 9, "{item}");
    assert_eq!(item["corrected"], true);
    let jsonl = {
        let mut res = agent
            .get(&url("/api/export/incidents.jsonl"))
            .call()
            .unwrap();
        res.body_mut().read_to_string().unwrap()
    };
    let tolls: Vec<Value> = lines(&jsonl)
        .iter()
        .flat_map(|r| r["claims"].as_array().unwrap().clone())
        .filter(|c| c["doc_id"] == DOC)
        .map(|c| c["fatalities"].clone())
        .collect();
    assert_eq!(tolls, vec![Value::from(9)]);
    server.shutdown();
}

/// A coder change (written through the store API, as a new coder would) that cuts the
/// corrected clash into two places: an orphan, listed with both pieces as candidates,
/// re-attached from the command line.
fn split_leaves_an_orphan(db: &str, cwd: &Path, write_split: impl FnOnce(&[rasd_model::Event])) {
    ok(&rasd(&["ingest", SAMPLES, "--db", db], cwd));
    let (id, _) = stored(db, cwd);
    ok(&rasd(&["user", "add", "mona", "--db", db], cwd));
    ok(&rasd(
        &[
            "review",
            "correct",
            &id.to_string(),
            "--set",
            "fatalities=9",
            "--as",
            "mona",
            "--db",
            db,
        ],
        cwd,
    ));
    let events = lines(&ok(&rasd(
        &["events", "--db", db, "--format", "jsonl"],
        cwd,
    )));
    let mut clash: rasd_model::Event =
        serde_json::from_value(events.iter().find(|e| e["doc_id"] == DOC).unwrap().clone())
            .unwrap();
    clash.fatalities = Some(5);
    let mut other = clash.clone();
    other.location.name = "تل رفعت".into();
    other.fatalities = Some(2);
    write_split(&[clash, other]);

    let json: Value = serde_json::from_str(&ok(&rasd(
        &["review", "orphans", "--db", db, "--format", "json"],
        cwd,
    )))
    .unwrap();
    let orphans = json.as_array().unwrap();
    assert_eq!(orphans.len(), 1, "{json}");
    let o = &orphans[0];
    assert_eq!(o["reason"], "split");
    assert_eq!(o["doc_id"], DOC);
    assert_eq!(o["original"]["fatalities"], 7);
    assert_eq!(o["corrections"][0]["value"], 9);
    let candidates = o["candidates"].as_array().unwrap();
    assert_eq!(candidates.len(), 2);
    assert!(candidates.iter().all(|c| c["shares_evidence"] == true));
    let table = ok(&rasd(&["review", "orphans", "--db", db], cwd));
    assert!(
        table.contains("split") && table.contains("candidate event"),
        "{table}"
    );
    // Not applied to either piece meanwhile.
    let events = lines(&ok(&rasd(
        &["events", "--db", db, "--format", "jsonl"],
        cwd,
    )));
    let mut tolls: Vec<i64> = events
        .iter()
        .filter(|e| e["doc_id"] == DOC)
        .map(|e| e["fatalities"].as_i64().unwrap())
        .collect();
    tolls.sort_unstable();
    assert_eq!(tolls, [2, 5]);
    let piece = candidates[0]["event_id"].as_i64().unwrap();
    let oid = o["id"].as_i64().unwrap();
    let refused = rasd(
        &[
            "review",
            "attach",
            &oid.to_string(),
            &piece.to_string(),
            "--as",
            "nobody",
            "--db",
            db,
        ],
        cwd,
    );
    assert!(!refused.status.success());
    ok(&rasd(
        &[
            "review",
            "attach",
            &oid.to_string(),
            &piece.to_string(),
            "--as",
            "mona",
            "--db",
            db,
        ],
        cwd,
    ));
    let events = lines(&ok(&rasd(
        &["events", "--db", db, "--format", "jsonl"],
        cwd,
    )));
    let fixed = events.iter().find(|e| e["id"] == piece).unwrap();
    assert_eq!(fixed["fatalities"], 9);
    assert!(ok(&rasd(&["review", "orphans", "--db", db], cwd)).starts_with("no orphans"));
}

#[test]
fn a_split_leaves_an_orphan_listed_and_reattached() {
    let dir = tempfile::tempdir().unwrap();
    let cwd = dir.path().to_path_buf();
    split_leaves_an_orphan("s.db", &cwd, |events| {
        let store = rasd_store::Store::open(&cwd.join("s.db")).unwrap();
        let doc = store.documents_by_doc_id(DOC).unwrap()[0];
        store.put_events(doc, events).unwrap();
    });
}

#[test]
fn a_split_leaves_an_orphan_on_postgres() {
    let Some(db) = ScratchDb::from_env() else {
        return;
    };
    let dir = tempfile::tempdir().unwrap();
    let url = db.url.clone();
    split_leaves_an_orphan(&db.url, dir.path(), |events| {
        let mut store = rasd_store_pg::PgStore::connect(&url).unwrap();
        let doc = store
            .query_events(&rasd_store::EventFilter {
                doc_id: Some(DOC.into()),
                ..Default::default()
            })
            .unwrap()[0]
            .document_id;
        let mut batch = store.batch().unwrap();
        batch.put_events(doc, events).unwrap();
        batch.commit().unwrap();
    });
}
