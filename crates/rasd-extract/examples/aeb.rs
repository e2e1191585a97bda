//! Extracts every page of a benchmark folder (`*.html`, `*.html.gz`, `*.xml`, `*.txt`) to the
//! JSON Lines the scorer reads (`{"id", "text", "title", "published", "dateline"}`)
//! and prints the throughput.
//!
//! `cargo run --release -p rasd-extract --example aeb -- FOLDER OUT.jsonl`

use rasd_model::{ContentKind, Origin, RawDocument};
use std::io::{Read, Write};
use std::time::Instant;

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let start = Instant::now();
    let mut args = std::env::args().skip(1);
    let dir = args.next().ok_or("usage: aeb FOLDER OUT.jsonl")?;
    let out_path = args.next().ok_or("usage: aeb FOLDER OUT.jsonl")?;
    let mut paths: Vec<_> = std::fs::read_dir(&dir)?
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| {
            let n = p.to_string_lossy();
            n.ends_with(".html")
                || n.ends_with(".html.gz")
                || n.ends_with(".xml")
                || n.ends_with(".txt")
        })
        .collect();
    paths.sort();
    let mut docs = Vec::new();
    for p in &paths {
        let mut bytes = Vec::new();
        if p.to_string_lossy().ends_with(".gz") {
            flate2::read::GzDecoder::new(std::fs::File::open(p)?).read_to_end(&mut bytes)?;
        } else {
            bytes = std::fs::read(p)?;
        }
        let name = p
            .file_name()
            .unwrap_or_default()
            .to_string_lossy()
            .to_string();
        let id = name.split('.').next().unwrap_or("").to_string();
        docs.push(RawDocument {
            doc_id: id,
            origin: Origin::File {
                path: p.to_string_lossy().to_string(),
            },
            kind: ContentKind::Unknown,
            bytes,
            meta: Default::default(),
        });
    }
    let read_done = Instant::now();
    let mut out = std::io::BufWriter::new(std::fs::File::create(&out_path)?);
    let mut times = Vec::new();
    for doc in &docs {
        let t = Instant::now();
        let result = rasd_extract::extract(doc);
        times.push((t.elapsed(), doc.doc_id.clone(), doc.bytes.len()));
        let rec = match result {
            Ok(a) => serde_json::json!({
                "id": doc.doc_id, "text": a.text, "title": a.title,
                "published": a.published.map(|p| p.to_string()), "dateline": a.dateline,
            }),
            Err(e) => {
                eprintln!("{e}");
                serde_json::json!({"id": doc.doc_id, "text": ""})
            }
        };
        writeln!(out, "{rec}")?;
    }
    out.flush()?;
    let end = Instant::now();
    // The slowest pages (RASD_SLOWEST=N to list them).
    let slowest: usize = std::env::var("RASD_SLOWEST")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(0);
    times.sort_by_key(|t| std::cmp::Reverse(t.0));
    for (t, id, len) in times.iter().take(slowest) {
        println!("{:>8.1} ms  {id}  ({len} bytes)", t.as_secs_f64() * 1000.0);
    }
    let n = docs.len() as f64;
    println!(
        "{} pages: extract {:.1} pages/s; whole process (read+gunzip+extract+write) {:.1} pages/s",
        docs.len(),
        n / (end - read_done).as_secs_f64(),
        n / (end - start).as_secs_f64()
    );
    Ok(())
}
