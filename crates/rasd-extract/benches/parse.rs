//! HTML parsing and whole-page extraction throughput, in bytes of HTML per second:
//! the crate's own fixture pages always, and the Scrapinghub benchmark pages when
//! `../shared/data/scrapinghub-aeb/html` exists (skipped, saying so, otherwise).
//! `examples/aeb.rs` gives the pages/s figures of the whole process.

use criterion::{Criterion, Throughput, criterion_group, criterion_main};
use rasd_extract::dom::Dom;
use std::io::Read;
use std::path::Path;

const SHARED: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/../../../shared");

fn fixtures() -> Vec<String> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures");
    let mut pages: Vec<String> = std::fs::read_dir(dir)
        .into_iter()
        .flatten()
        .filter_map(|e| e.ok())
        .filter(|e| e.path().extension().is_some_and(|x| x == "html"))
        .filter_map(|e| std::fs::read_to_string(e.path()).ok())
        .collect();
    pages.sort();
    pages
}

/// Up to `n` gzipped Scrapinghub pages, decoded as UTF-8 (lossy).
fn scrapinghub(n: usize) -> Vec<String> {
    let dir = Path::new(SHARED).join("data/scrapinghub-aeb/html");
    let Ok(entries) = std::fs::read_dir(&dir) else {
        eprintln!(
            "skipped the Scrapinghub pages: {} is not there",
            dir.display()
        );
        return Vec::new();
    };
    let mut paths: Vec<_> = entries.filter_map(|e| e.ok().map(|e| e.path())).collect();
    paths.sort();
    paths
        .into_iter()
        .filter(|p| p.to_string_lossy().ends_with(".html.gz"))
        .take(n)
        .filter_map(|p| {
            let mut bytes = Vec::new();
            flate2::read::GzDecoder::new(std::fs::File::open(p).ok()?)
                .read_to_end(&mut bytes)
                .ok()?;
            Some(String::from_utf8_lossy(&bytes).into_owned())
        })
        .collect()
}

fn bench_set(c: &mut Criterion, name: &str, pages: &[String]) {
    if pages.is_empty() {
        return;
    }
    let bytes: usize = pages.iter().map(|p| p.len()).sum();
    let mut g = c.benchmark_group(name);
    g.throughput(Throughput::Bytes(bytes as u64));
    g.sample_size(10);
    g.bench_function("parse", |b| {
        b.iter(|| pages.iter().map(|p| Dom::parse(p).len()).sum::<usize>())
    });
    g.bench_function("extract", |b| {
        b.iter(|| {
            pages
                .iter()
                .map(|p| rasd_extract::extract_html_str("bench", p).text.len())
                .sum::<usize>()
        })
    });
    g.finish();
}

fn benches(c: &mut Criterion) {
    bench_set(c, "fixtures", &fixtures());
    bench_set(c, "scrapinghub-40", &scrapinghub(40));
}

criterion_group!(parse, benches);
criterion_main!(parse);
