//! The quality gate on the dev corpus: every document read through the real
//! pipeline (`rasd_ingest::read_path` → `rasd_extract::extract` →
//! `Coder::code`), scored by `rasd_eval` exactly as `score_events.py` does, and
//! held to the floors pinned in `eval/floors.json`. The Jasim seed article must
//! be coded exactly as its gold line. Skips when `../shared` is absent.

use std::path::{Path, PathBuf};
use std::sync::OnceLock;

mod common;

use rasd_model::{CodedDocument, Event};

/// The dev corpus coded once for both tests (they run on parallel threads).
fn dev_coded(dir: &Path) -> &'static [CodedDocument] {
    static CODED: OnceLock<Vec<CodedDocument>> = OnceLock::new();
    CODED.get_or_init(|| common::code_dir(&dir.join("docs"), "dev"))
}

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
    let coded = dev_coded(&dir);
    assert_eq!(coded.len(), 46, "the dev corpus has 46 documents");
    common::assert_meets_floors(
        "dev",
        coded,
        &dir.join("gold.jsonl"),
        &floors_path(),
        "run `cargo run -p rasd-coder --example dev_eval` and the scorer with --errors to see which documents changed",
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
    let seed = dev_coded(&dir)
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
