//! Code every dev-corpus document from its clean body (`extraction.json`:
//! body, title, dateline; publication time from the document's line in
//! `gold.jsonl`) and write the predictions as JSONL, for
//! `../shared/tools/score_events.py GOLD PRED --by-type --errors 40`.
//!
//! usage: cargo run -p rasd-coder --example dev_eval [-- OUT.jsonl [CORPUS_DIR]]
//! (EXPLAIN=doc-id prints the coder's trace of that document)

use std::io::Write;

use rasd_coder::{ActorRegister, Coder};
use rasd_model::{Article, CodedDocument, PublishedTime};

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let mut args = std::env::args().skip(1);
    let out = args
        .next()
        .unwrap_or_else(|| "/tmp/rasd-dev-pred.jsonl".into());
    let dir = args.next().unwrap_or_else(|| {
        concat!(env!("CARGO_MANIFEST_DIR"), "/../../../shared/corpus/dev").into()
    });
    let extraction: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(format!("{dir}/extraction.json"))?)?;
    let gold = std::fs::read_to_string(format!("{dir}/gold.jsonl"))?;
    let coder = Coder::new(ActorRegister::bundled(), rasd_geo::Gazetteer::bundled());
    if let Ok(text) = std::env::var("TEXT") {
        let mut a = Article::from_text("text", text);
        a.published = "2024-01-09".parse::<PublishedTime>().ok();
        eprintln!("{}", coder.explain(&a, &Default::default()));
        return Ok(());
    }
    let mut w = std::io::BufWriter::new(std::fs::File::create(&out)?);
    let mut n = 0;
    for line in gold.lines().filter(|l| !l.trim().is_empty()) {
        let g: serde_json::Value = serde_json::from_str(line)?;
        let id = g["doc_id"].as_str().unwrap_or_default().to_string();
        let x = &extraction[&id];
        let mut a = Article::from_text(id.clone(), x["articleBody"].as_str().unwrap_or_default());
        a.title = x["title"]
            .as_str()
            .filter(|s| !s.is_empty())
            .map(String::from);
        a.dateline = x["dateline"]
            .as_str()
            .filter(|s| !s.is_empty())
            .map(String::from);
        let published = g["published"].as_str().unwrap_or_default();
        a.published = published.parse::<PublishedTime>().ok();
        if std::env::var("EXPLAIN").is_ok_and(|v| v == id) {
            eprintln!("{}", coder.explain(&a, &Default::default()));
        }
        let events = coder.code(&a);
        n += events.len();
        let doc = CodedDocument {
            doc_id: id,
            published: Some(published.to_string()),
            source: None,
            url: None,
            events,
        };
        writeln!(w, "{}", serde_json::to_string(&doc)?)?;
    }
    eprintln!("wrote {n} events to {out}");
    Ok(())
}
