//! Extracts every page of a benchmark folder (`*.html`, `*.html.gz`, `*.xml`, `*.txt`) to the
//! JSON Lines the scorer reads (`{"id", "text", "title", "published", "dateline"}`)
//! and prints the throughput, wall clock and CPU time (the CPU figures stay meaningful
//! on a machine busy with other work).
//!
//! `cargo run --release -p rasd-extract --example aeb -- FOLDER OUT.jsonl`

use rasd_model::{ContentKind, Origin, RawDocument};
use std::io::{Read, Write};
use std::time::{Duration, Instant};

/// CPU time this thread has run so far (the first field of /proc/self/schedstat, in
/// nanoseconds); zero where that file does not exist.
fn cpu_time() -> Duration {
    std::fs::read_to_string("/proc/self/schedstat")
        .ok()
        .and_then(|s| s.split_whitespace().next()?.parse().ok())
        .map(Duration::from_nanos)
        .unwrap_or_default()
}

/// One output line.
#[derive(serde::Serialize)]
struct Record<'a> {
    id: &'a str,
    text: &'a str,
    #[serde(skip_serializing_if = "Option::is_none")]
    title: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    published: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    dateline: Option<&'a str>,
}

/// Gunzips a whole file; the output buffer is sized from the gzip trailer (the
/// length modulo 2^32) so it is allocated once.
fn gunzip(gz: &[u8]) -> std::io::Result<Vec<u8>> {
    let hint = gz
        .len()
        .checked_sub(4)
        .map(|k| u32::from_le_bytes([gz[k], gz[k + 1], gz[k + 2], gz[k + 3]]) as usize)
        .unwrap_or(0);
    let mut out = Vec::with_capacity(hint.min(256 << 20) + 1);
    flate2::read::GzDecoder::new(gz).read_to_end(&mut out)?;
    Ok(out)
}

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let start = Instant::now();
    let cpu_start = cpu_time();
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
        let mut bytes = std::fs::read(p)?;
        if p.to_string_lossy().ends_with(".gz") {
            bytes = gunzip(&bytes)?;
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
    let cpu_read = cpu_time();
    let mut out = std::io::BufWriter::new(std::fs::File::create(&out_path)?);
    let mut times = Vec::new();
    for doc in &docs {
        let t = Instant::now();
        let result = rasd_extract::extract(doc);
        times.push((t.elapsed(), doc.doc_id.clone(), doc.bytes.len()));
        match result {
            Ok(a) => serde_json::to_writer(
                &mut out,
                &Record {
                    id: &doc.doc_id,
                    text: &a.text,
                    title: a.title.as_deref(),
                    published: a.published.map(|p| p.to_string()),
                    dateline: a.dateline.as_deref(),
                },
            )?,
            Err(e) => {
                eprintln!("{e}");
                serde_json::to_writer(
                    &mut out,
                    &Record {
                        id: &doc.doc_id,
                        text: "",
                        title: None,
                        published: None,
                        dateline: None,
                    },
                )?
            }
        }
        out.write_all(b"\n")?;
    }
    out.flush()?;
    let end = Instant::now();
    let cpu_end = cpu_time();
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
    if cpu_end > cpu_start {
        println!(
            "CPU time: extract {:.1} pages/s ({:.0} ms); whole process {:.1} pages/s ({:.0} ms, read+gunzip {:.0} ms)",
            n / (cpu_end - cpu_read).as_secs_f64(),
            (cpu_end - cpu_read).as_secs_f64() * 1000.0,
            n / (cpu_end - cpu_start).as_secs_f64(),
            (cpu_end - cpu_start).as_secs_f64() * 1000.0,
            (cpu_read - cpu_start).as_secs_f64() * 1000.0,
        );
    }
    Ok(())
}
