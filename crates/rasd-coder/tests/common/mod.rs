//! What the corpus gates share: a folder of raw documents coded through the real
//! pipeline (`rasd_ingest::read_path` → `rasd_extract::extract` → `Coder::code`),
//! as `rasd code` does.

use std::path::Path;

use rasd_coder::{ActorRegister, Coder};
use rasd_model::CodedDocument;

/// Code every document under `docs`; `corpus` names the set in failure messages.
pub fn code_dir(docs: &Path, corpus: &str) -> Vec<CodedDocument> {
    let coder = Coder::new(ActorRegister::bundled(), rasd_geo::Gazetteer::bundled());
    let mut out = Vec::new();
    for doc in rasd_ingest::read_path(docs, &Default::default()) {
        let doc = doc.unwrap_or_else(|e| panic!("{corpus} documents read: {e}"));
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
