//! End to end on the multi-source articles: ingest → extract → coder → near-duplicates
//! and incident clustering, scored against the expected incidents at the level of
//! documents (two documents are together when their events share an incident).
//! The figures depend on the coder as much as on the clusterer; they are printed,
//! and the test fails only when incidents that must stay apart are merged more
//! than rarely, or when the syndicated copy is missed.

use rasd_dedup::{DupOutcome, IncidentIndex, NearDupIndex, SourceEvent};
use std::collections::{BTreeMap, HashMap, HashSet};
use std::path::Path;

const DIR: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/multisource");

#[test]
fn full_pipeline_on_the_multisource_articles() {
    let gold: BTreeMap<String, Vec<String>> =
        serde_json::from_str(&std::fs::read_to_string(format!("{DIR}/clusters.json")).unwrap())
            .unwrap();
    let gold_of: HashMap<String, String> = gold
        .iter()
        .flat_map(|(c, ms)| {
            ms.iter()
                .map(move |m| (m.split('#').next().unwrap().to_string(), c.clone()))
        })
        .collect();

    let coder = rasd_coder::Coder::new(
        rasd_coder::ActorRegister::bundled(),
        rasd_geo::Gazetteer::bundled(),
    );
    let mut dups = NearDupIndex::new();
    let mut copies = BTreeMap::new();
    let mut index = IncidentIndex::new();
    let mut incident_of: Vec<(String, u64)> = Vec::new();
    let mut coded_docs = 0;
    let opts = rasd_ingest::ReadOptions::default();
    for doc in rasd_ingest::read_path(Path::new(&format!("{DIR}/articles")), &opts) {
        let doc = doc.expect("fixture article reads");
        let article = rasd_extract::extract(&doc).expect("fixture article extracts");
        if let DupOutcome::CopyOf { original, .. } = dups.insert(&article.doc_id, &article.text) {
            copies.insert(article.doc_id.clone(), original);
        }
        let events = coder.code(&article);
        coded_docs += usize::from(!events.is_empty());
        for (i, event) in events.into_iter().enumerate() {
            let out = index.insert(SourceEvent {
                doc_id: article.doc_id.clone(),
                index: i,
                url: article.url.clone(),
                source: article.source.clone(),
                published: article.published.map(|p| p.to_string()),
                event,
            });
            incident_of.push((article.doc_id.clone(), out.incident_id));
        }
    }
    let expected_copies: BTreeMap<String, String> =
        serde_json::from_str(&std::fs::read_to_string(format!("{DIR}/near_dups.json")).unwrap())
            .unwrap();
    assert_eq!(copies, expected_copies, "near-duplicates on extracted text");

    let mut incidents_of_doc: HashMap<String, HashSet<u64>> = HashMap::new();
    for (doc, id) in incident_of {
        let id = index.get(id).unwrap().id;
        incidents_of_doc.entry(doc).or_default().insert(id);
    }
    let docs: Vec<&String> = gold_of.keys().collect();
    let (mut tp, mut fp, mut fneg) = (0u32, 0u32, 0u32);
    let mut wrong = Vec::new();
    for (i, a) in docs.iter().enumerate() {
        for b in &docs[i + 1..] {
            let same_gold = gold_of[*a] == gold_of[*b];
            let together = match (incidents_of_doc.get(*a), incidents_of_doc.get(*b)) {
                (Some(x), Some(y)) => !x.is_disjoint(y),
                _ => false,
            };
            match (same_gold, together) {
                (true, true) => tp += 1,
                (false, true) => {
                    fp += 1;
                    wrong.push(format!("{a}+{b}"));
                }
                (true, false) => fneg += 1,
                _ => {}
            }
        }
    }
    let p = if tp + fp == 0 {
        1.0
    } else {
        f64::from(tp) / f64::from(tp + fp)
    };
    let r = if tp + fneg == 0 {
        1.0
    } else {
        f64::from(tp) / f64::from(tp + fneg)
    };
    let f1 = if p + r == 0.0 {
        0.0
    } else {
        2.0 * p * r / (p + r)
    };
    println!(
        "end to end: {coded_docs}/{} articles gave events, {} incidents; document-pair precision {p:.3} recall {r:.3} F1 {f1:.3}; wrong merges {wrong:?}",
        gold_of.len(),
        index.len()
    );
    assert!(p >= 0.9, "wrong merges on coder output: {wrong:?}");
}
