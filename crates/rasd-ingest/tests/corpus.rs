//! Reads the shared dev corpus when it is present (skips with a message otherwise).

use rasd_ingest::{ReadOptions, read_path};
use rasd_model::ContentKind;
use std::path::Path;

#[test]
fn dev_corpus_reads_into_one_document_per_gold_line() {
    let dir = Path::new(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../../../shared/corpus/dev"
    ));
    if !dir.exists() {
        eprintln!("skipping: {} is absent", dir.display());
        return;
    }
    let docs: Vec<_> = read_path(&dir.join("docs"), &ReadOptions::default())
        .map(|d| d.expect("every dev document reads"))
        .collect();
    let gold = std::fs::read_to_string(dir.join("gold.jsonl")).unwrap();
    let mut gold_ids: Vec<String> = gold
        .lines()
        .filter(|l| !l.trim().is_empty())
        .map(|l| {
            serde_json::from_str::<serde_json::Value>(l).unwrap()["doc_id"]
                .as_str()
                .unwrap()
                .to_string()
        })
        .collect();
    gold_ids.sort();
    let mut ids: Vec<String> = docs.iter().map(|d| d.doc_id.clone()).collect();
    ids.sort();
    assert_eq!(ids, gold_ids);
    for d in &docs {
        let want = match d.doc_id.as_str() {
            id if dir.join(format!("docs/{id}.xml")).exists() => ContentKind::FeedItem,
            id if dir.join(format!("docs/{id}.html")).exists() => ContentKind::Html,
            _ => ContentKind::Text,
        };
        assert_eq!(d.kind, want, "{}", d.doc_id);
        if d.kind == ContentKind::FeedItem {
            assert!(d.meta.published.is_some(), "{} has its item date", d.doc_id);
            assert!(d.meta.title.is_some());
            assert!(!d.bytes.is_empty());
        }
    }
}
