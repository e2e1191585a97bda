//! Every gold evidence sentence of the dev corpus is one sentence of
//! `sentences()` over its document (skips when ../shared is absent). HTML
//! and feed documents are reduced to text by a crude tag strip (a line break
//! per tag), enough to hold the paragraphs the evidence comes from.

use std::collections::HashMap;
use std::path::PathBuf;

use rasd_arabic::sentences;

#[test]
fn gold_evidence_is_sentences() {
    let dir = PathBuf::from(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../../../shared/corpus/dev"
    ));
    if !dir.join("gold.jsonl").exists() {
        eprintln!("skipping: ../shared/corpus/dev is absent");
        return;
    }
    let gold = std::fs::read_to_string(dir.join("gold.jsonl")).unwrap();
    let (mut checked, mut ok) = (0, 0);
    let mut misses = Vec::new();
    for line in gold.lines().filter(|l| !l.trim().is_empty()) {
        let doc: serde_json::Value = serde_json::from_str(line).unwrap();
        let id = doc["doc_id"].as_str().unwrap();
        let docs = dir.join("docs");
        let text = if let Ok(t) = std::fs::read_to_string(docs.join(format!("{id}.txt"))) {
            t
        } else if let Ok(t) = std::fs::read_to_string(docs.join(format!("{id}.html"))) {
            strip_tags(&t)
        } else if let Ok(t) = std::fs::read_to_string(docs.join(format!("{id}.xml"))) {
            strip_tags(&t.replace("<![CDATA[", "").replace("]]>", ""))
        } else {
            continue;
        };
        let mut set: HashMap<&str, ()> = HashMap::new();
        for s in sentences(&text) {
            set.insert(s.text(&text), ());
        }
        for ev in doc["events"].as_array().unwrap() {
            for e in ev["evidence"].as_array().unwrap() {
                let e = e.as_str().unwrap();
                if !text.contains(e) {
                    continue;
                }
                checked += 1;
                if set.contains_key(e) {
                    ok += 1;
                } else {
                    let near: Vec<&str> = set
                        .keys()
                        .filter(|s| e.contains(**s) || s.contains(e))
                        .copied()
                        .collect();
                    misses.push(format!("{id}: {e}\n   got: {near:?}"));
                }
            }
        }
    }
    println!("gold evidence sentences found as sentences: {ok}/{checked}");
    assert!(misses.is_empty(), "{}", misses.join("\n"));
}

fn strip_tags(html: &str) -> String {
    let mut out = String::with_capacity(html.len());
    let mut in_tag = false;
    for c in html.chars() {
        match c {
            '<' => {
                in_tag = true;
                out.push('\n');
            }
            '>' => in_tag = false,
            _ if !in_tag => out.push(c),
            _ => {}
        }
    }
    out.replace("&quot;", "\"")
        .replace("&nbsp;", " ")
        .replace("&amp;", "&")
}
