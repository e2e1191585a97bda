//! The quality gates on the held-out corpora (`corpus/heldout/`,
//! `corpus/heldout2/` … `corpus/heldout6/`, written by the team after the coder was built and kept in
//! the repo, so they always run):
//! every document read through the real pipeline (`rasd_ingest::read_path` →
//! `rasd_extract::extract` → `Coder::code`), scored by `rasd_eval` exactly as
//! `score_events.py` does, and held to the floors pinned in
//! `eval/floors-heldout*.json`. The coder is never
//! tuned on these documents: the floors only stop a general rule from silently
//! undoing a held-out gain.

use std::path::{Path, PathBuf};

mod common;

fn repo_path(rel: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../..")
        .join(rel)
}

/// Codes `corpus/<set>/docs`, scores it against its gold and holds it to `floors`.
fn gate(set: &str, floors_file: &str) {
    let dir = repo_path(&format!("corpus/{set}"));
    let gold_path = dir.join("gold.jsonl");
    let coded = common::code_dir(&dir.join("docs"), set);
    let gold_docs = std::fs::read_to_string(&gold_path)
        .expect("held-out gold reads")
        .lines()
        .filter(|l| !l.trim().is_empty())
        .count();
    assert_eq!(coded.len(), gold_docs, "every {set} document is coded once");
    common::assert_meets_floors(
        set,
        &coded,
        &gold_path,
        &repo_path(floors_file),
        &format!(
            "build `rasd` and run score_events.py on corpus/{set} with --errors to see which documents changed; fix the cause with a general rule, never a per-document one"
        ),
    );
}

#[test]
fn heldout_corpus_meets_the_pinned_floors() {
    gate("heldout", "eval/floors-heldout.json");
}

#[test]
fn second_heldout_corpus_meets_the_pinned_floors() {
    gate("heldout2", "eval/floors-heldout2.json");
}

#[test]
fn third_heldout_corpus_meets_the_pinned_floors() {
    gate("heldout3", "eval/floors-heldout3.json");
}

#[test]
fn fourth_heldout_corpus_meets_the_pinned_floors() {
    gate("heldout4", "eval/floors-heldout4.json");
}

#[test]
fn fifth_heldout_corpus_meets_the_pinned_floors() {
    gate("heldout5", "eval/floors-heldout5.json");
}

#[test]
fn sixth_heldout_corpus_meets_the_pinned_floors() {
    gate("heldout6", "eval/floors-heldout6.json");
}
