//! The Arabic dev corpus (`../shared/corpus/dev`): title, published time and
//! dateline must be right on every HTML page and feed item that shows them, and the
//! body must match the gold closely. Skips (saying why) when ../shared is absent.

use std::collections::BTreeMap;
use std::path::Path;

const SHARED: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/../../../shared");

fn gold() -> Option<serde_json::Map<String, serde_json::Value>> {
    let p = Path::new(SHARED).join("corpus/dev/extraction.json");
    let text = std::fs::read_to_string(&p).ok()?;
    serde_json::from_str(&text).ok()
}

/// Word bags after light Arabic folding, for a body overlap check.
fn words(s: &str) -> BTreeMap<String, usize> {
    let mut m = BTreeMap::new();
    for w in s.split(|c: char| !c.is_alphanumeric()) {
        if w.is_empty() {
            continue;
        }
        let w: String = w
            .chars()
            .filter(|c| !('\u{064B}'..='\u{0652}').contains(c))
            .map(|c| match c {
                'أ' | 'إ' | 'آ' => 'ا',
                'ى' => 'ي',
                'ة' => 'ه',
                c => c,
            })
            .collect();
        *m.entry(w).or_insert(0) += 1;
    }
    m
}

fn f1(pred: &str, truth: &str) -> f64 {
    let (p, t) = (words(pred), words(truth));
    let tp: usize = p
        .iter()
        .map(|(w, n)| (*n).min(*t.get(w).unwrap_or(&0)))
        .sum();
    let np: usize = p.values().sum();
    let nt: usize = t.values().sum();
    if np == 0 || nt == 0 {
        return if np == nt { 1.0 } else { 0.0 };
    }
    let (pr, rc) = (tp as f64 / np as f64, tp as f64 / nt as f64);
    if tp == 0 {
        0.0
    } else {
        2.0 * pr * rc / (pr + rc)
    }
}

#[test]
fn dev_html_and_feed_documents_match_the_gold() {
    let Some(gold) = gold() else {
        eprintln!("skipped: {SHARED}/corpus/dev/extraction.json is not there");
        return;
    };
    let docs = Path::new(SHARED).join("corpus/dev/docs");
    let mut checked = 0;
    let mut failures = Vec::new();
    for doc in rasd_ingest::read_path(&docs, &Default::default()) {
        let doc = doc.expect("dev documents are readable");
        let ext = match &doc.origin {
            rasd_model::Origin::File { path } => path.rsplit('.').next().unwrap_or("").to_string(),
            _ => String::new(),
        };
        if ext == "txt" {
            continue; // scrapes: the scrape module's own tests cover them
        }
        let Some(g) = gold.get(&doc.doc_id) else {
            failures.push(format!("{}: not in the gold", doc.doc_id));
            continue;
        };
        let art = rasd_extract::extract(&doc).expect("dev documents extract");
        checked += 1;
        let gs = |k: &str| g.get(k).and_then(|v| v.as_str()).unwrap_or("").to_string();
        let title = gs("title");
        if !title.is_empty() && art.title.as_deref() != Some(title.as_str()) {
            failures.push(format!(
                "{}: title {:?} != {title:?}",
                doc.doc_id, art.title
            ));
        }
        let published = gs("published");
        let got = art.published.map(|p| p.to_string()).unwrap_or_default();
        if !published.is_empty() && !got.starts_with(&published) {
            failures.push(format!(
                "{}: published {got:?} != {published:?}",
                doc.doc_id
            ));
        }
        let dateline = gs("dateline");
        if art.dateline.clone().unwrap_or_default() != dateline {
            failures.push(format!(
                "{}: dateline {:?} != {dateline:?}",
                doc.doc_id, art.dateline
            ));
        }
        let score = f1(&art.text, &gs("articleBody"));
        if score < 0.97 {
            failures.push(format!("{}: body F1 {score:.3}\n{}", doc.doc_id, art.text));
        }
        assert!(
            !art.text.contains(&title) || title.is_empty(),
            "{}: title in body",
            doc.doc_id
        );
    }
    assert!(
        checked >= 10,
        "only {checked} dev HTML/feed documents found"
    );
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}
