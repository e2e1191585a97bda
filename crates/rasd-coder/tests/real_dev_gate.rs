//! The quality gate on real newsroom text: `../shared/corpus/real-dev`, the
//! beginnings of real Arabic news pages with their site chrome, coded through
//! the real pipeline with the page metadata a crawler knows (its `gold.jsonl`
//! is also the manifest, as `rasd code --manifest` reads it), scored exactly as
//! `score_events.py` does and held to `eval/floors-real-dev.json`. The texts are
//! the outlets' words and stay in `../shared`: the gate skips, saying so, where
//! it is absent.

use std::path::Path;

mod common;

#[test]
fn real_dev_corpus_meets_the_pinned_floors() {
    let dir = Path::new(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../../../shared/corpus/real-dev"
    ));
    let gold = dir.join("gold.jsonl");
    if !gold.exists() {
        eprintln!("skipped: ../shared/corpus/real-dev is absent");
        return;
    }
    let coded = common::code_dir_with(&dir.join("texts"), Some(&gold), "real-dev");
    assert_eq!(coded.len(), 56, "real-dev has 56 documents");
    common::assert_meets_floors(
        "real-dev",
        &coded,
        &gold,
        Path::new(concat!(
            env!("CARGO_MANIFEST_DIR"),
            "/../../eval/floors-real-dev.json"
        )),
        "run `rasd code ../shared/corpus/real-dev/texts --manifest ../shared/corpus/real-dev/gold.jsonl` and `rasd eval --causes --errors 20` to see what changed; fix the cause with a general rule and a fictional case, never a per-document one",
    );
}
