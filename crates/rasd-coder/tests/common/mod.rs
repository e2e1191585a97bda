//! What the corpus gates share: a folder of raw documents coded through the real
//! pipeline (`rasd_ingest::read_path` → `rasd_extract::extract` → `Coder::code`),
//! as `rasd code` does, and the check of its scores against pinned floors.

use std::path::Path;

use rasd_coder::{ActorRegister, Coder};
use rasd_model::CodedDocument;

/// Code every document under `docs`; `corpus` names the set in failure messages.
// Each gate is its own test binary and uses one of `code_dir` and `code_dir_with`.
#[allow(dead_code)]
pub fn code_dir(docs: &Path, corpus: &str) -> Vec<CodedDocument> {
    code_dir_with(docs, None, corpus)
}

/// [`code_dir`] with the metadata a crawler knows (url, source, publication
/// time) applied from a manifest, as `rasd code --manifest` does.
pub fn code_dir_with(docs: &Path, manifest: Option<&Path>, corpus: &str) -> Vec<CodedDocument> {
    let manifest = manifest.map(|m| {
        rasd_ingest::manifest::Manifest::load(m)
            .unwrap_or_else(|e| panic!("{corpus} manifest loads: {e}"))
    });
    let coder = Coder::new(ActorRegister::bundled(), rasd_geo::Gazetteer::bundled());
    let mut out = Vec::new();
    for doc in rasd_ingest::read_path(docs, &Default::default()) {
        let mut doc = doc.unwrap_or_else(|e| panic!("{corpus} documents read: {e}"));
        if let Some(m) = &manifest {
            m.apply(&mut doc);
        }
        let article = rasd_extract::extract(&doc)
            .unwrap_or_else(|e| panic!("{corpus} documents extract: {e}"));
        let events = coder.code(&article);
        out.push(CodedDocument {
            doc_id: article.doc_id.clone(),
            published: article.published.map(|p| p.to_string()),
            source: article.source.clone(),
            url: article.url.clone(),
            events,
        });
    }
    out
}

/// Scores `coded` against the gold at `gold` exactly as `score_events.py` does,
/// prints the report, and fails when a score is below the floors in `floors`,
/// saying how to find the documents that changed (`help`).
pub fn assert_meets_floors(
    corpus: &str,
    coded: &[CodedDocument],
    gold: &Path,
    floors: &Path,
    help: &str,
) {
    let gold =
        rasd_eval::EventSet::load(gold).unwrap_or_else(|e| panic!("{corpus} gold loads: {e}"));
    let pred = rasd_eval::EventSet::from_coded(coded);
    let report = rasd_eval::score(&gold, &pred);
    eprintln!("{corpus}:\n{}", report.text(true, 60));
    let pinned = rasd_eval::Floors::load(floors)
        .unwrap_or_else(|e| panic!("{} loads: {e}", floors.display()));
    let failures = report.gate(&pinned);
    assert!(
        failures.is_empty(),
        "{corpus} scores fell below {}:\n{}\nhelp: {help}",
        floors.display(),
        failures
            .iter()
            .map(|f| format!("  {f}"))
            .collect::<Vec<_>>()
            .join("\n")
    );
}
