//! The `rasd` binary end to end: the samples, idempotent re-ingest, bad inputs,
//! exit codes, output formats, `eval` and its gate, and the dev corpus (skipped
//! when ../shared is absent).

mod common;

use common::run;
use rasd_model::CodedDocument;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};

fn stdout(o: &Output) -> String {
    String::from_utf8(o.stdout.clone()).expect("stdout is UTF-8")
}

fn stderr(o: &Output) -> String {
    String::from_utf8_lossy(&o.stderr).into_owned()
}

fn samples() -> PathBuf {
    Path::new(concat!(env!("CARGO_MANIFEST_DIR"), "/../../samples")).to_path_buf()
}

fn shared() -> Option<PathBuf> {
    let p = Path::new(concat!(env!("CARGO_MANIFEST_DIR"), "/../../../shared"));
    if p.join("corpus/dev/gold.jsonl").exists() {
        Some(p.to_path_buf())
    } else {
        eprintln!("skipping: ../shared/corpus/dev is absent");
        None
    }
}

fn records(jsonl: &str) -> Vec<CodedDocument> {
    jsonl
        .lines()
        .map(|l| serde_json::from_str(l).unwrap_or_else(|e| panic!("bad record {l}: {e}")))
        .collect()
}

#[test]
fn code_writes_one_valid_record_per_sample_document() {
    let dir = tempfile::tempdir().unwrap();
    let out = run(
        &["code", samples().to_str().unwrap(), "--format", "jsonl"],
        dir.path(),
    );
    assert!(out.status.success(), "{}", stderr(&out));
    let docs = records(&stdout(&out));
    let ids: Vec<&str> = docs.iter().map(|d| d.doc_id.as_str()).collect();
    // Seven files, one of them a feed with two items.
    assert_eq!(docs.len(), 8, "{ids:?}");
    assert!(ids.contains(&"north-syria-feed#1") && ids.contains(&"north-syria-feed#2"));
    assert!(ids.contains(&"horan-tafas-clashes"));
    for d in &docs {
        assert!(
            d.published.is_some(),
            "{} has no publication time",
            d.doc_id
        );
        for e in &d.events {
            assert!(e.validate().is_empty(), "{}: {:?}", d.doc_id, e.validate());
            assert!(!e.evidence.is_empty());
        }
    }
    // The JSON form is the record's own: doc_id, published, source, events.
    let first: serde_json::Value =
        serde_json::from_str(stdout(&out).lines().next().unwrap()).unwrap();
    for key in ["doc_id", "published", "source", "events"] {
        assert!(first.get(key).is_some(), "record lacks {key}");
    }
    // json and table formats carry the same documents.
    let out = run(
        &["code", samples().to_str().unwrap(), "--format", "json"],
        dir.path(),
    );
    let arr: Vec<CodedDocument> = serde_json::from_str(&stdout(&out)).unwrap();
    assert_eq!(arr, docs);
    let out = run(
        &["code", samples().to_str().unwrap(), "--format", "table"],
        dir.path(),
    );
    assert!(stdout(&out).contains("8 documents"), "{}", stdout(&out));
    // explain: a section per document, its events, and what each sentence gave.
    let out = run(
        &["code", samples().to_str().unwrap(), "--format", "explain"],
        dir.path(),
    );
    let text = stdout(&out);
    for d in &docs {
        assert!(text.contains(&format!("## {}\n", d.doc_id)), "{text}");
    }
    assert!(text.contains("    trigger \""), "{text}");
    assert!(text.contains("mention s"), "{text}");
}

/// Extraction and coding run on several threads; what comes out (records, their order,
/// the stored events and their ids) is the same as on one.
#[test]
fn threads_do_not_change_the_output() {
    let dir = tempfile::tempdir().unwrap();
    let s = samples();
    let s = s.to_str().unwrap();
    let one = run(&["code", s, "--jobs", "1"], dir.path());
    let four = run(&["code", s, "-j", "4"], dir.path());
    assert!(
        one.status.success() && four.status.success(),
        "{}",
        stderr(&four)
    );
    assert_eq!(stdout(&one), stdout(&four));
    let events_of = |db: &str| -> String {
        let out = run(
            &[
                "ingest",
                s,
                "--db",
                db,
                "--jobs",
                if db == "a.db" { "1" } else { "3" },
            ],
            dir.path(),
        );
        assert!(out.status.success(), "{}", stderr(&out));
        let out = run(
            &[
                "events",
                "--db",
                db,
                "--format",
                "jsonl",
                "--sort",
                "stored_desc",
            ],
            dir.path(),
        );
        assert!(out.status.success(), "{}", stderr(&out));
        stdout(&out)
    };
    let (a, b) = (events_of("a.db"), events_of("b.db"));
    assert!(!a.is_empty());
    assert_eq!(a, b);
    let zero = run(&["code", s, "--jobs", "0"], dir.path());
    assert_eq!(zero.status.code(), Some(2), "--jobs 0 is a usage error");
}

#[test]
fn ingest_is_idempotent_and_events_come_back_in_every_format() {
    let dir = tempfile::tempdir().unwrap();
    let s = samples();
    let out = run(&["ingest", s.to_str().unwrap(), "--db", "x.db"], dir.path());
    assert!(out.status.success(), "{}", stderr(&out));
    let first = stdout(&out);
    assert!(
        first.contains("8 documents read, 8 new, 0 duplicate, 0 failed"),
        "{first}"
    );
    let out = run(&["ingest", s.to_str().unwrap(), "--db", "x.db"], dir.path());
    assert!(out.status.success());
    assert!(
        stdout(&out).contains("8 documents read, 0 new, 8 duplicate, 0 failed; 0 events coded"),
        "{}",
        stdout(&out)
    );
    let store = rasd_store::Store::open(&dir.path().join("x.db")).unwrap();
    let counts = store.counts().unwrap();
    assert_eq!((counts.documents, counts.articles), (8, 8));
    assert!(store.check().unwrap().is_empty());
    let coded = records(&stdout(&run(
        &["code", s.to_str().unwrap(), "--format", "jsonl"],
        dir.path(),
    )));
    let n_events: usize = coded.iter().map(|d| d.events.len()).sum();
    assert_eq!(counts.events as usize, n_events);

    let out = run(&["events", "--db", "x.db", "--format", "json"], dir.path());
    assert!(out.status.success(), "{}", stderr(&out));
    let v: Vec<serde_json::Value> = serde_json::from_str(&stdout(&out)).unwrap();
    assert_eq!(v.len(), n_events);
    let out = run(
        &["events", "--db", "x.db", "--format", "geojson"],
        dir.path(),
    );
    let fc: serde_json::Value = serde_json::from_str(&stdout(&out)).unwrap();
    assert_eq!(fc["type"], "FeatureCollection");
    assert_eq!(fc["features"].as_array().unwrap().len(), n_events);
    let out = run(&["events", "--db", "x.db", "--format", "csv"], dir.path());
    assert_eq!(stdout(&out).lines().next().unwrap().split(',').count(), 26);
    let out = run(
        &[
            "events", "--db", "x.db", "--format", "jsonl", "--limit", "1",
        ],
        dir.path(),
    );
    assert_eq!(stdout(&out).lines().count(), 1.min(n_events));
    // Filters reach the store: a type no sample reports gives nothing.
    let out = run(
        &[
            "events", "--db", "x.db", "--format", "jsonl", "--type", "riots",
        ],
        dir.path(),
    );
    assert!(out.status.success());
    assert_eq!(stdout(&out), "");
}

#[test]
fn a_bad_file_is_named_the_others_go_on_and_the_exit_code_says_so() {
    let dir = tempfile::tempdir().unwrap();
    let input = dir.path().join("in");
    std::fs::create_dir(&input).unwrap();
    std::fs::copy(samples().join("raqqa-ied.txt"), input.join("raqqa-ied.txt")).unwrap();
    // A gzip stream cut short.
    std::fs::write(
        input.join("broken.txt.gz"),
        [0x1f, 0x8b, 8, 0, 0, 0, 0, 0, 0, 3, 1, 2],
    )
    .unwrap();
    let out = run(&["ingest", "in", "--db", "y.db"], dir.path());
    assert_eq!(out.status.code(), Some(1), "{}", stderr(&out));
    assert!(stderr(&out).contains("broken.txt.gz"), "{}", stderr(&out));
    assert!(stdout(&out).contains("1 new"), "{}", stdout(&out));
    // A missing path is an input failure too, and nothing stored is lost.
    let out = run(&["ingest", "nowhere", "--db", "y.db"], dir.path());
    assert_eq!(out.status.code(), Some(1));
    assert!(stderr(&out).contains("nowhere"), "{}", stderr(&out));
    let store = rasd_store::Store::open(&dir.path().join("y.db")).unwrap();
    assert_eq!(store.counts().unwrap().documents, 1);
    // `code` reports it the same way and still prints the good document.
    let out = run(&["code", "in"], dir.path());
    assert_eq!(out.status.code(), Some(1));
    assert_eq!(records(&stdout(&out)).len(), 1);
}

#[test]
fn usage_errors_exit_2_and_a_missing_store_exits_1() {
    let dir = tempfile::tempdir().unwrap();
    assert_eq!(run(&["ingest"], dir.path()).status.code(), Some(2));
    assert_eq!(run(&["frobnicate"], dir.path()).status.code(), Some(2));
    assert_eq!(
        run(&["code", "x", "--format", "xml"], dir.path())
            .status
            .code(),
        Some(2)
    );
    assert_eq!(
        run(&["events", "--type", "skirmish"], dir.path())
            .status
            .code(),
        Some(2)
    );
    let out = run(&["events", "--db", "none.db"], dir.path());
    assert_eq!(out.status.code(), Some(1));
    assert!(stderr(&out).contains("none.db"));
    assert!(!dir.path().join("none.db").exists());
}

#[test]
fn extract_prints_articles() {
    let dir = tempfile::tempdir().unwrap();
    let out = run(
        &[
            "extract",
            samples().join("idlib-drone-strike.html").to_str().unwrap(),
        ],
        dir.path(),
    );
    assert!(out.status.success(), "{}", stderr(&out));
    let a: rasd_model::Article = serde_json::from_str(stdout(&out).trim()).unwrap();
    assert_eq!(a.doc_id, "idlib-drone-strike");
    assert!(a.text.contains("جسر الشغور"));
    assert!(
        !a.text.contains("جميع الحقوق محفوظة"),
        "footer kept: {}",
        a.text
    );
    assert_eq!(
        a.published.map(|p| p.to_string()).as_deref(),
        Some("2024-05-09T08:45:00+03:00")
    );
}

#[test]
fn manifest_values_win_and_conflicts_with_the_page_are_logged() {
    let dir = tempfile::tempdir().unwrap();
    let page = samples().join("idlib-drone-strike.html");
    let manifest = write(
        dir.path(),
        "m.jsonl",
        &format!(
            "{{\"path\": {:?}, \"published\": \"2024-05-10T09:00:00+03:00\", \"source\": \"North Wire\", \"url\": \"https://news.example/a\"}}\n",
            page.to_str().unwrap()
        ),
    );
    let out = run(
        &[
            "code",
            page.to_str().unwrap(),
            "--manifest",
            manifest.to_str().unwrap(),
        ],
        dir.path(),
    );
    assert!(out.status.success(), "{}", stderr(&out));
    let doc = &records(&stdout(&out))[0];
    assert_eq!(doc.published.as_deref(), Some("2024-05-10T09:00:00+03:00"));
    assert_eq!(doc.source.as_deref(), Some("North Wire"));
    assert_eq!(doc.url.as_deref(), Some("https://news.example/a"));
    let err = stderr(&out);
    assert!(
        err.contains("published") && err.contains("2024-05-09T08:45:00+03:00"),
        "no conflict logged: {err}"
    );
    // A manifest that cannot be read is an error naming it.
    let bad = write(dir.path(), "bad.jsonl", "{not json\n");
    let out = run(
        &[
            "code",
            page.to_str().unwrap(),
            "--manifest",
            bad.to_str().unwrap(),
        ],
        dir.path(),
    );
    assert_eq!(out.status.code(), Some(1));
    assert!(stderr(&out).contains("bad.jsonl"), "{}", stderr(&out));
}

fn write(dir: &Path, name: &str, text: &str) -> PathBuf {
    let p = dir.join(name);
    std::fs::write(&p, text).unwrap();
    p
}

const GOLD: &str = r#"{"doc_id": "a", "events": [{"event_type": "battles", "sub_event_type": "armed_clash", "date_start": "2024-01-02", "date_end": "2024-01-02", "location": {"name": "الباب", "admin1": "حلب", "country": "SY", "precision": "community"}, "actor1": "Islamic State", "actor2": null, "fatalities": 2}]}
{"doc_id": "b", "events": []}
"#;

#[test]
fn eval_prints_scores_and_the_gate_fails_below_its_floors() {
    let dir = tempfile::tempdir().unwrap();
    let gold = write(dir.path(), "gold.jsonl", GOLD);
    let pred = write(
        dir.path(),
        "pred.jsonl",
        &GOLD.replace("\"fatalities\": 2", "\"fatalities\": 3"),
    );
    let g = gold.to_str().unwrap();
    let p = pred.to_str().unwrap();
    let out = run(&["eval", "--gold", g, p], dir.path());
    assert!(out.status.success());
    assert_eq!(
        stdout(&out),
        "documents 2  gold events 1  predicted 1  matched 1\n\
         event precision 1.000  recall 1.000  F1 1.000\n\
         field accuracy over matched: sub_event_type 1.000  date_start 1.000  location 1.000  actors 1.000  fatalities 0.000\n"
    );
    let out = run(&["eval", "--gold", g, p, "--json"], dir.path());
    let v: serde_json::Value = serde_json::from_str(&stdout(&out)).unwrap();
    assert_eq!(v["fields"]["fatalities"], 0.0);
    let out = run(&["eval", "--gold", g, p, "--errors", "5"], dir.path());
    assert!(
        stdout(&out).contains("- a fatalities: gold="),
        "{}",
        stdout(&out)
    );

    let low = write(
        dir.path(),
        "low.json",
        r#"{"f1": 0.9, "fields": {"actors": 0.5}}"#,
    );
    let out = run(
        &["eval", "--gold", g, p, "--gate", low.to_str().unwrap()],
        dir.path(),
    );
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let high = write(
        dir.path(),
        "high.json",
        r#"{"f1": 0.9, "fields": {"fatalities": 0.5}}"#,
    );
    let out = run(
        &["eval", "--gold", g, p, "--gate", high.to_str().unwrap()],
        dir.path(),
    );
    assert_eq!(out.status.code(), Some(1));
    assert!(
        stderr(&out).contains("fatalities 0.000 is below its floor 0.500"),
        "{}",
        stderr(&out)
    );
    let bad = write(dir.path(), "bad.json", r#"{"f1": "high"}"#);
    let out = run(
        &["eval", "--gold", g, p, "--gate", bad.to_str().unwrap()],
        dir.path(),
    );
    assert_eq!(out.status.code(), Some(1));
    assert!(stderr(&out).contains("bad.json"), "{}", stderr(&out));
}

/// One fictional event line for the cause report test.
fn cause_event(day: &str, place: &str, precision: &str, actor1: &str, actor2: &str) -> String {
    format!(
        r#"{{"event_type": "battles", "sub_event_type": "armed_clash", "date_start": "{day}", "date_end": "{day}", "location": {{"name": "{place}", "admin1": "درعا", "country": "SY", "precision": "{precision}"}}, "actor1": "{actor1}", "actor2": "{actor2}", "fatalities": null}}"#
    )
}

#[test]
fn eval_causes_groups_misses_and_spurious_events_by_cause() {
    let dir = tempfile::tempdir().unwrap();
    let d = "2024-03-10";
    let line = |id: &str, events: &[String]| {
        format!(
            "{{\"doc_id\": \"{id}\", \"published\": \"{d}T09:00:00\", \"events\": [{}]}}\n",
            events.join(", ")
        )
    };
    // c1: a village coded as its governorate; c2: nothing coded; c3: actors swapped;
    // c4: gold has no event, the coder dated one years back.
    let gold = [
        line("c1", &[cause_event(d, "طفس", "community", "A", "B")]),
        line("c2", &[cause_event(d, "نوى", "community", "A", "B")]),
        line("c3", &[cause_event(d, "داعل", "community", "A", "B")]),
        line("c4", &[]),
    ]
    .concat();
    let pred = [
        line("c1", &[cause_event(d, "درعا", "governorate", "A", "B")]),
        line("c3", &[cause_event(d, "داعل", "community", "B", "A")]),
        line(
            "c4",
            &[cause_event("2019-01-01", "بصرى", "community", "A", "B")],
        ),
    ]
    .concat();
    let g = write(dir.path(), "gold.jsonl", &gold);
    let p = write(dir.path(), "pred.jsonl", &pred);
    let (g, p) = (g.to_str().unwrap(), p.to_str().unwrap());

    // Without --causes, the output stays score_events.py's flat list.
    let flat = stdout(&run(&["eval", "--gold", g, p, "--errors", "9"], dir.path()));
    assert!(flat.contains("- c1 missed: gold="), "{flat}");
    assert!(!flat.contains("causes of"), "{flat}");

    let out = run(
        &["eval", "--gold", g, p, "--causes", "--errors", "3"],
        dir.path(),
    );
    assert!(out.status.success(), "{}", stderr(&out));
    let text = stdout(&out);
    let header = "documents 4  gold events 3  predicted 3  matched 1\n";
    assert!(text.starts_with(header), "{text}");
    assert!(
        !text.contains("gold={"),
        "the flat list is replaced: {text}"
    );
    assert!(
        text.contains(
            &[
                "causes of 2 missed and 2 spurious events (a prediction that explains a miss is counted under the miss's cause):",
                "  missed spurious  cause",
                "       1        1  place too coarse (1 spurious of them explain these misses)",
                "       1        0  document coded with nothing",
                "       0        1  background coded",
                "actors over 1 matched pairs: 1 wrong",
                "       1  actors swapped (not counted by the score)\n",
            ]
            .join("\n")
        ),
        "{text}"
    );
    assert!(
        text.contains(
            "place too coarse:\n\
             - c1 missed: battles/armed_clash 2024-03-10 at طفس [درعا, community] A / B, fatalities -\n\
             \x20   predicted (also spurious): battles/armed_clash 2024-03-10 at درعا [درعا, governorate] A / B, fatalities -\n"
        ),
        "{text}"
    );
    assert!(
        text.contains("background coded:\n- c4 spurious: battles/armed_clash 2019-01-01 at بصرى"),
        "{text}"
    );

    let out = run(&["eval", "--gold", g, p, "--causes", "--json"], dir.path());
    let v: serde_json::Value = serde_json::from_str(&stdout(&out)).unwrap();
    assert_eq!(v["matched"], 1);
    let causes = v["causes"].as_array().unwrap();
    let keys: Vec<&str> = causes
        .iter()
        .map(|c| c["cause"].as_str().unwrap())
        .collect();
    assert_eq!(keys, ["place_too_coarse", "nothing_coded", "background"]);
    assert_eq!(causes[0]["examples"][1]["kind"], "spurious");
    assert_eq!(causes[0]["examples"][1]["explains_miss"], true);
    assert_eq!(v["actor_errors"][0]["error"], "swapped");
    // Without --causes, --json is score_events.py's object.
    let out = run(&["eval", "--gold", g, p, "--json"], dir.path());
    let v: serde_json::Value = serde_json::from_str(&stdout(&out)).unwrap();
    assert!(v.get("causes").is_none());
}

#[test]
fn the_committed_floors_hold_on_the_dev_corpus() {
    let Some(shared) = shared() else { return };
    let floors = Path::new(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../../eval/floors.json"
    ));
    if !floors.exists() {
        eprintln!("skipping: eval/floors.json is not committed yet");
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    let out = run(
        &["code", shared.join("corpus/dev/docs").to_str().unwrap()],
        dir.path(),
    );
    std::fs::write(dir.path().join("pred.jsonl"), &out.stdout).unwrap();
    let out = run(
        &[
            "eval",
            "--gold",
            shared.join("corpus/dev/gold.jsonl").to_str().unwrap(),
            "pred.jsonl",
            "--gate",
            floors.to_str().unwrap(),
        ],
        dir.path(),
    );
    assert!(out.status.success(), "{}{}", stdout(&out), stderr(&out));
}

#[test]
fn code_on_the_dev_corpus_writes_46_valid_records_and_eval_agrees_with_python() {
    let Some(shared) = shared() else { return };
    let dir = tempfile::tempdir().unwrap();
    let docs_dir = shared.join("corpus/dev/docs");
    let out = run(
        &["code", docs_dir.to_str().unwrap(), "--format", "jsonl"],
        dir.path(),
    );
    assert!(out.status.success(), "{}", stderr(&out));
    let text = stdout(&out);
    let docs = records(&text);
    assert_eq!(docs.len(), 46);
    let gold_text = std::fs::read_to_string(shared.join("corpus/dev/gold.jsonl")).unwrap();
    let mut gold_ids: Vec<String> = records(&gold_text).into_iter().map(|d| d.doc_id).collect();
    let mut ids: Vec<String> = docs.iter().map(|d| d.doc_id.clone()).collect();
    gold_ids.sort();
    ids.sort();
    assert_eq!(ids, gold_ids);
    for d in &docs {
        for e in &d.events {
            assert!(e.validate().is_empty(), "{}: {:?}", d.doc_id, e.validate());
        }
    }
    // Every line validates against events.schema.json (the subset of JSON Schema it uses).
    let schema: serde_json::Value = serde_json::from_str(
        &std::fs::read_to_string(shared.join("spec/events.schema.json")).unwrap(),
    )
    .unwrap();
    // The checker accepts the gold and rejects a broken record.
    for line in gold_text.lines().filter(|l| !l.trim().is_empty()) {
        let mut problems = Vec::new();
        validate(
            &serde_json::from_str(line).unwrap(),
            &schema,
            &schema,
            "$",
            &mut problems,
        );
        assert!(problems.is_empty(), "gold fails the checker: {problems:?}");
    }
    let broken = serde_json::json!({"doc_id": "x", "events": [{"event_type": "skirmish"}]});
    let mut problems = Vec::new();
    validate(&broken, &schema, &schema, "$", &mut problems);
    assert!(!problems.is_empty());
    for line in text.lines() {
        let v: serde_json::Value = serde_json::from_str(line).unwrap();
        let mut problems = Vec::new();
        validate(&v, &schema, &schema, "$", &mut problems);
        assert!(problems.is_empty(), "{problems:?} in {line}");
    }
    let pred = dir.path().join("pred.jsonl");
    std::fs::write(&pred, &text).unwrap();
    let python = Command::new("python3").arg("--version").output();
    if !python.is_ok_and(|o| o.status.success()) {
        eprintln!("skipping the python comparison: python3 is absent");
        return;
    }
    let gold = shared.join("corpus/dev/gold.jsonl");
    for flags in [
        &[][..],
        &["--by-type", "--errors", "200"][..],
        &["--json"][..],
    ] {
        let mut args = vec![
            "eval",
            "--gold",
            gold.to_str().unwrap(),
            pred.to_str().unwrap(),
        ];
        args.extend_from_slice(flags);
        let ours = run(&args, dir.path());
        let theirs = Command::new("python3")
            .arg(shared.join("tools/score_events.py"))
            .arg(&gold)
            .arg(&pred)
            .args(flags)
            .output()
            .unwrap();
        assert_eq!(
            stdout(&ours),
            stdout(&theirs),
            "rasd eval {flags:?} differs"
        );
    }
}

/// A small JSON Schema checker: `$ref` (local), `type`, `enum`, `const`, `required`,
/// `properties`, `additionalProperties` (schema or false), `items`, `minimum`,
/// `maximum`, `minLength`, `anyOf`/`oneOf` (as "one of them passes").
fn validate(
    v: &serde_json::Value,
    schema: &serde_json::Value,
    root: &serde_json::Value,
    at: &str,
    problems: &mut Vec<String>,
) {
    use serde_json::Value;
    if let Some(r) = schema.get("$ref").and_then(Value::as_str) {
        let mut node = root;
        for part in r.trim_start_matches("#/").split('/') {
            node = &node[part];
        }
        validate(v, node, root, at, problems);
    }
    for key in ["anyOf", "oneOf"] {
        if let Some(options) = schema.get(key).and_then(Value::as_array) {
            let ok = options.iter().any(|o| {
                let mut p = Vec::new();
                validate(v, o, root, at, &mut p);
                p.is_empty()
            });
            if !ok {
                problems.push(format!("{at}: matches none of {key}"));
            }
        }
    }
    if let Some(t) = schema.get("type") {
        let types: Vec<&str> = match t {
            Value::String(s) => vec![s.as_str()],
            Value::Array(a) => a.iter().filter_map(Value::as_str).collect(),
            _ => vec![],
        };
        let ok = types.iter().any(|t| match *t {
            "string" => v.is_string(),
            "integer" => v.is_i64() || v.is_u64(),
            "number" => v.is_number(),
            "boolean" => v.is_boolean(),
            "null" => v.is_null(),
            "array" => v.is_array(),
            "object" => v.is_object(),
            _ => true,
        });
        if !ok {
            problems.push(format!("{at}: {v} is not {types:?}"));
        }
    }
    if let Some(e) = schema.get("enum").and_then(Value::as_array) {
        if !e.contains(v) {
            problems.push(format!("{at}: {v} not in enum"));
        }
    }
    if let Some(c) = schema.get("const") {
        if c != v {
            problems.push(format!("{at}: {v} is not {c}"));
        }
    }
    if let (Some(min), Some(n)) = (schema.get("minimum").and_then(Value::as_f64), v.as_f64()) {
        if n < min {
            problems.push(format!("{at}: {n} < {min}"));
        }
    }
    if let (Some(max), Some(n)) = (schema.get("maximum").and_then(Value::as_f64), v.as_f64()) {
        if n > max {
            problems.push(format!("{at}: {n} > {max}"));
        }
    }
    if let (Some(min), Some(s)) = (schema.get("minLength").and_then(Value::as_u64), v.as_str()) {
        if (s.chars().count() as u64) < min {
            problems.push(format!("{at}: shorter than {min}"));
        }
    }
    if let Some(obj) = v.as_object() {
        for key in schema
            .get("required")
            .and_then(Value::as_array)
            .into_iter()
            .flatten()
        {
            let key = key.as_str().unwrap_or("");
            if !obj.contains_key(key) {
                problems.push(format!("{at}: lacks required {key}"));
            }
        }
        let props = schema.get("properties").and_then(Value::as_object);
        for (k, val) in obj {
            match props.and_then(|p| p.get(k)) {
                Some(s) => validate(val, s, root, &format!("{at}.{k}"), problems),
                None => match schema.get("additionalProperties") {
                    Some(Value::Bool(false)) => problems.push(format!("{at}: {k} not allowed")),
                    Some(s @ Value::Object(_)) => {
                        validate(val, s, root, &format!("{at}.{k}"), problems)
                    }
                    _ => {}
                },
            }
        }
    }
    if let (Some(items), Some(arr)) = (schema.get("items"), v.as_array()) {
        for (i, x) in arr.iter().enumerate() {
            validate(x, items, root, &format!("{at}[{i}]"), problems);
        }
    }
}
