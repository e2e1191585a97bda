//! The quality gate on the dev corpus: every document read through the real
//! pipeline (`rasd_ingest::read_path` → `rasd_extract::extract` →
//! `Coder::code`), scored by `rasd_eval` exactly as `score_events.py` does, and
//! held to the floors pinned in `eval/floors.json`. The Jasim seed article must
//! be coded exactly as its gold line. Skips when `../shared` is absent.

use std::path::{Path, PathBuf};

mod common;

use rasd_model::{CodedDocument, Event};

fn shared() -> Option<PathBuf> {
    let p = Path::new(concat!(env!("CARGO_MANIFEST_DIR"), "/../../../shared"));
    p.join("corpus/dev/gold.jsonl")
        .exists()
        .then(|| p.to_path_buf())
}

fn floors_path() -> PathBuf {
    Path::new(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../../eval/floors.json"
    ))
    .to_path_buf()
}

#[test]
fn dev_corpus_meets_the_pinned_floors() {
    let Some(shared) = shared() else {
        eprintln!("skipped: ../shared/corpus/dev is absent");
        return;
    };
    let dir = shared.join("corpus/dev");
    let coded = common::code_dir(&dir.join("docs"), "dev");
    assert_eq!(coded.len(), 46, "the dev corpus has 46 documents");
    let gold = rasd_eval::EventSet::load(&dir.join("gold.jsonl")).expect("gold loads");
    let pred = rasd_eval::EventSet::from_coded(&coded);
    let report = rasd_eval::score(&gold, &pred);
    eprintln!("{}", report.text(true, 60));
    let floors = rasd_eval::Floors::load(&floors_path()).expect("eval/floors.json loads");
    let failures = report.gate(&floors);
    assert!(
        failures.is_empty(),
        "dev scores fell below eval/floors.json:\n{}\nhelp: run `cargo run -p rasd-coder --example dev_eval` and the scorer with --errors to see which documents changed",
        failures
            .iter()
            .map(|f| format!("  {f}"))
            .collect::<Vec<_>>()
            .join("\n")
    );
}

#[test]
fn seed_jasim_is_coded_exactly_as_its_gold_line() {
    let Some(shared) = shared() else {
        eprintln!("skipped: ../shared/corpus/dev is absent");
        return;
    };
    let dir = shared.join("corpus/dev");
    let gold_line = std::fs::read_to_string(dir.join("gold.jsonl"))
        .unwrap()
        .lines()
        .find(|l| l.contains("\"seed-jasim\""))
        .map(String::from)
        .expect("seed-jasim in gold");
    let gold: CodedDocument = serde_json::from_str(&gold_line).unwrap();
    let coded = common::code_dir(&dir.join("docs"), "dev");
    let seed = coded
        .iter()
        .find(|d| d.doc_id == "seed-jasim")
        .expect("seed coded");
    let strip = |e: &Event| {
        let mut e = e.clone();
        e.evidence_spans.clear();
        e.confidence = None;
        let l = &mut e.location;
        (l.admin2, l.admin3, l.lat, l.lon, l.place_id, l.span) =
            (None, None, None, None, None, None);
        e
    };
    let got: Vec<Event> = seed.events.iter().map(strip).collect();
    assert_eq!(
        serde_json::to_string_pretty(&got).unwrap(),
        serde_json::to_string_pretty(&gold.events).unwrap(),
        "seed-jasim differs from its gold line"
    );
}
