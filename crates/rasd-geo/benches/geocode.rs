//! Geocoder speed and gazetteer cost.
//!
//! - `resolve/article_3kb`: every place of a ~3 KB Arabic news text found and resolved
//!   (target < 100 µs);
//! - `gazetteer/load`: parsing the bundled gazetteer and building its name automaton
//!   (target < 50 ms);
//! - before the timings, the resident memory the loaded gazetteer adds is printed
//!   (target < 150 MB), read from /proc/self/status (Linux).

use criterion::{Criterion, Throughput, criterion_group};
use rasd_geo::{Gazetteer, Geocoder, ResolveContext};
use std::hint::black_box;

/// A made-up report naming places the way Syrian news does (clitics, type words, qualifiers,
/// regions, homonyms), repeated up to about 3 KB.
fn article() -> String {
    let para = "أفادت مصادر محلية بأن اشتباكات اندلعت مساء أمس في مدينة جاسم شمالي درعا بين مجموعات \
محلية وخلايا مسلحة، وامتدت إلى أطراف بلدة نمر وقرية الهبارية. وفي ريف درعا الغربي سقطت قذائف على \
بلدة الشجرة بمنطقة حوض اليرموك، فيما شهدت طفس والمزيريب حملة دهم. وبحسب ناشطين فإن دورية عسكرية \
مرت بالصنمين ثم لإنخل قبل أن تعود إلى درعا المحطة. وفي شمال غربي سوريا قصفت طائرات حربية قرية \
الرامي بجبل الزاوية جنوبي إدلب، ومحيط مدينة سراقب، كما استهدفت مسيرة سيارة قرب معبر باب الهوى. \
وفي الشرق، قالت مصادر إن عبوة ناسفة انفجرت في بلدة ذيبان بريف دير الزور الشرقي، وإن توتراً ساد \
الميادين والبوكمال. ";
    let mut s = String::new();
    while s.len() < 3000 {
        s.push_str(para);
    }
    s
}

/// Resident memory of this process in kB (VmRSS), or None off Linux.
fn rss_kb() -> Option<u64> {
    let status = std::fs::read_to_string("/proc/self/status").ok()?;
    let line = status.lines().find(|l| l.starts_with("VmRSS:"))?;
    line.split_whitespace().nth(1)?.parse().ok()
}

fn report_memory() {
    let before = rss_kb();
    let t = std::time::Instant::now();
    let g = Gazetteer::load_bundled().expect("bundled gazetteer");
    let took = t.elapsed();
    let after = rss_kb();
    match (before, after) {
        (Some(b), Some(a)) => eprintln!(
            "gazetteer: {} places, first load {:.1} ms, resident memory +{:.1} MB (process {:.1} MB)",
            g.len(),
            took.as_secs_f64() * 1e3,
            a.saturating_sub(b) as f64 / 1024.0,
            a as f64 / 1024.0
        ),
        _ => eprintln!(
            "gazetteer: {} places, first load {:.1} ms (no /proc: memory not measured)",
            g.len(),
            took.as_secs_f64() * 1e3
        ),
    }
    black_box(g);
}

fn bench(c: &mut Criterion) {
    let text = article();
    let g = Gazetteer::bundled();
    let geo = Geocoder::new(g);
    let ctx = ResolveContext {
        dateline: Some("درعا".into()),
        country_hint: None,
    };
    let n = geo.resolve(&text, &ctx).len();
    eprintln!("article: {} bytes, {n} mentions resolved", text.len());
    let mut group = c.benchmark_group("resolve");
    group.throughput(Throughput::Bytes(text.len() as u64));
    group.bench_function("article_3kb", |b| {
        b.iter(|| black_box(geo.resolve(black_box(&text), &ctx)))
    });
    group.bench_function("find_mentions_3kb", |b| {
        b.iter(|| black_box(geo.find_mentions(black_box(&text))))
    });
    group.finish();
    let mut group = c.benchmark_group("gazetteer");
    group.sample_size(10);
    group.bench_function("load", |b| {
        b.iter(|| black_box(Gazetteer::load_bundled().unwrap()))
    });
    group.finish();
}

criterion_group!(benches, bench);

fn main() {
    report_memory();
    benches();
    criterion::Criterion::default()
        .configure_from_args()
        .final_summary();
}
