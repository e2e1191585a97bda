//! Rough timing of the geocoder's stages (release build):
//! `cargo run --release -p rasd-geo --example profile [TEXT_FILE]`; `ONLY_RESOLVE=1 ITERS=N`
//! runs only N resolutions (for `perf record` or `valgrind --tool=callgrind`, whose instruction
//! counts do not depend on the machine's load).
use rasd_geo::{Gazetteer, Geocoder, ResolveContext};
use std::hint::black_box;
use std::time::Instant;

/// CPU time of this thread in seconds (nanoseconds from /proc/thread-self/schedstat; 0 off
/// Linux).
fn cpu_s() -> f64 {
    std::fs::read_to_string("/proc/thread-self/schedstat")
        .ok()
        .and_then(|s| s.split_whitespace().next()?.parse::<f64>().ok())
        .unwrap_or(0.0)
        / 1e9
}

fn main() {
    let tsv = include_str!("../data/gazetteer.tsv");
    let t = Instant::now();
    let mut n = 0;
    for line in tsv.lines() {
        n += line.split('\t').count();
    }
    eprintln!("split lines: {:?} ({n})", t.elapsed());
    let t = Instant::now();
    let mut k = 0;
    for line in tsv.lines().skip(1) {
        let name = line.split('\t').nth(4).unwrap_or("");
        k += rasd_geo::names::fold_key(name).len();
    }
    eprintln!("fold_key of main names: {:?} ({k})", t.elapsed());
    let t = Instant::now();
    let g = Gazetteer::load_bundled().unwrap();
    eprintln!("load: {:?}", t.elapsed());
    let text = std::fs::read_to_string(std::env::args().nth(1).unwrap_or_default())
        .unwrap_or_else(|_| "مدينة جاسم شمالي درعا ".repeat(120));
    let geo = Geocoder::new(&g);
    let ctx = ResolveContext::default();
    let iters: u32 = std::env::var("ITERS")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(200);
    if std::env::var("ONLY_RESOLVE").is_ok() {
        for _ in 0..iters {
            black_box(geo.resolve(&text, &ctx));
        }
        return;
    }
    let t = Instant::now();
    for _ in 0..iters {
        black_box(rasd_arabic::normalize_with(
            &text,
            &rasd_arabic::NormalizeOptions::LOOSE,
        ));
    }
    eprintln!("normalize {} bytes: {:?}", text.len(), t.elapsed() / iters);
    let t = Instant::now();
    for _ in 0..iters {
        black_box(geo.find_mentions(&text));
    }
    eprintln!("find_mentions: {:?}", t.elapsed() / iters);
    let t = Instant::now();
    let c = cpu_s();
    for _ in 0..iters {
        black_box(geo.resolve(&text, &ctx));
    }
    eprintln!(
        "resolve: {:?} wall, {:.1} µs CPU",
        t.elapsed() / iters,
        (cpu_s() - c) * 1e6 / iters as f64
    );
    let c = cpu_s();
    let t = Instant::now();
    for _ in 0..10 {
        black_box(Gazetteer::load_bundled().unwrap());
    }
    eprintln!(
        "load (mean of 10): {:?} wall, {:.1} ms CPU",
        t.elapsed() / 10,
        (cpu_s() - c) * 1e2
    );
}
