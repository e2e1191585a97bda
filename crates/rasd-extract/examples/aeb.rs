//! Extracts every page of a benchmark folder (`*.html`, `*.html.gz`, `*.xml`, `*.txt`) to the
//! JSON Lines the scorer reads (`{"id", "text", "title", "published", "dateline"}`)
//! and prints the throughput, wall clock and CPU time (the CPU figures stay meaningful
//! on a machine busy with other work).
//!
//! `cargo run --release -p rasd-extract --example aeb -- FOLDER OUT.jsonl`

use rasd_model::{ContentKind, Origin, RawDocument};
use std::io::{Read, Write};
use std::time::{Duration, Instant};

/// CPU time of this process so far (clock_gettime(CLOCK_PROCESS_CPUTIME_ID)).
fn cpu_time() -> Duration {
    cpu_time::ProcessTime::try_now()
        .map(|t| t.as_duration())
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

/// Gunzips a whole file into `out`, reserving the size the gzip trailer gives (the
/// length modulo 2^32) so the buffer grows at most once.
fn gunzip_into(gz: &[u8], out: &mut Vec<u8>) -> std::io::Result<()> {
    let hint = gz
        .len()
        .checked_sub(4)
        .map(|k| u32::from_le_bytes([gz[k], gz[k + 1], gz[k + 2], gz[k + 3]]) as usize)
        .unwrap_or(0);
    out.reserve(hint.min(256 << 20) + 1);
    flate2::read::GzDecoder::new(gz).read_to_end(out)?;
    Ok(())
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
    let mut out = std::io::BufWriter::new(std::fs::File::create(&out_path)?);
    let mut times = Vec::new();
    // Pages stream through: read, gunzip, extract, write one at a time, reusing the
    // file and page buffers (a pipeline does not hold every page in memory).
    let mut file_buf = Vec::new();
    let mut page_buf = Vec::new();
    let (mut extract_wall, mut extract_cpu) = (Duration::ZERO, Duration::ZERO);
    for p in &paths {
        file_buf.clear();
        std::fs::File::open(p)?.read_to_end(&mut file_buf)?;
        let path = p.to_string_lossy();
        page_buf.clear();
        if path.ends_with(".gz") {
            gunzip_into(&file_buf, &mut page_buf)?;
        } else {
            page_buf.extend_from_slice(&file_buf);
        }
        let name = p.file_name().unwrap_or_default().to_string_lossy();
        let doc = RawDocument {
            doc_id: name.split('.').next().unwrap_or("").to_string(),
            origin: Origin::File {
                path: path.to_string(),
            },
            kind: ContentKind::Unknown,
            bytes: std::mem::take(&mut page_buf),
            meta: Default::default(),
        };
        let (t, c) = (Instant::now(), cpu_time());
        let result = rasd_extract::extract(&doc);
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
        let took = t.elapsed();
        extract_wall += took;
        extract_cpu += cpu_time().saturating_sub(c);
        times.push((took, doc.doc_id, doc.bytes.len()));
        page_buf = doc.bytes;
    }
    out.flush()?;
    let wall = start.elapsed();
    let cpu = cpu_time().saturating_sub(cpu_start);
    // The slowest pages (RASD_SLOWEST=N to list them).
    let slowest: usize = std::env::var("RASD_SLOWEST")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(0);
    times.sort_by_key(|t| std::cmp::Reverse(t.0));
    for (t, id, len) in times.iter().take(slowest) {
        println!("{:>8.1} ms  {id}  ({len} bytes)", t.as_secs_f64() * 1000.0);
    }
    let n = paths.len() as f64;
    println!(
        "{} pages: extract {:.1} pages/s; whole process (read+gunzip+extract+write) {:.1} pages/s",
        paths.len(),
        n / extract_wall.as_secs_f64(),
        n / wall.as_secs_f64()
    );
    if !cpu.is_zero() {
        println!(
            "CPU time: extract {:.1} pages/s ({:.0} ms); whole process {:.1} pages/s ({:.0} ms, read+gunzip {:.0} ms)",
            n / extract_cpu.as_secs_f64(),
            extract_cpu.as_secs_f64() * 1000.0,
            n / cpu.as_secs_f64(),
            cpu.as_secs_f64() * 1000.0,
            cpu.saturating_sub(extract_cpu).as_secs_f64() * 1000.0,
        );
    }
    Ok(())
}
