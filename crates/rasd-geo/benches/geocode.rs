//! Geocoder speed and gazetteer cost.
//!
//! - `resolve/article_3kb`: every place of a ~3 KB Arabic news text found and resolved
//!   (target < 100 µs);
//! - `resolve/dense_3kb`: the same for a ~3 KB text that is mostly place names (lists of
//!   villages, qualifiers, homonyms): the worst case for the resolver;
//! - `gazetteer/load`: parsing the bundled gazetteer and building its name index
//!   (target < 50 ms);
//! - before the criterion timings, a summary prints the resident memory the loaded gazetteer
//!   adds (target < 150 MB) and, for load and both articles, the mean WALL time and the mean
//!   THREAD CPU time (from /proc/thread-self/schedstat, Linux): on a loaded machine the wall
//!   time includes waiting for a core, the CPU time does not. `RASD_GEO_SUMMARY_ONLY=1` prints
//!   only this summary.

use criterion::{Criterion, Throughput, criterion_group};
use rasd_geo::{Gazetteer, Geocoder, ResolveContext};
use std::hint::black_box;
use std::time::{Duration, Instant};

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
    repeat_to_3kb(para)
}

/// A made-up round-up that is mostly place names: long lists of towns with clitics and type
/// words, qualifiers, homonyms and regions, repeated up to about 3 KB.
fn dense_article() -> String {
    let para = "طال القصف المدفعي بلدات كفرنبل وحاس وكفرومة ومعرة حرمة والبارة وبليون ومرعيان \
وسفوهن والفطيرة وكنصفرة في جبل الزاوية جنوبي إدلب، وقرى الرامي وبداما والهبيط ومعرشورين، \
فيما سُجّل تحليق فوق سراقب وأريحا وجسر الشغور وبنش وتفتناز. وفي درعا داهمت دوريات مدن \
جاسم وطفس ونوى وإنخل والصنمين وبلدات الشجرة ونمر والمزيريب واليادودة وتل شهاب والكرك الشرقي \
والحراك وبصرى الشام بريف درعا الشرقي. وفي دير الزور وقعت اشتباكات في ذيبان والشحيل والبصيرة \
والطيانة والميادين والبوكمال وهجين والسوسة والباغوز. وفي حلب قُصفت الأتارب ودارة عزة وعندان \
وحريتان وتل رفعت ومنبج والباب. ";
    repeat_to_3kb(para)
}

fn repeat_to_3kb(para: &str) -> String {
    let mut s = String::new();
    while s.len() < 3000 {
        s.push_str(para);
    }
    s
}

/// CPU time this thread has used (ns), from /proc/thread-self/schedstat; None off Linux.
fn thread_cpu_ns() -> Option<u64> {
    let s = std::fs::read_to_string("/proc/thread-self/schedstat").ok()?;
    s.split_whitespace().next()?.parse().ok()
}

/// Resident memory of this process in kB (VmRSS), or None off Linux.
fn rss_kb() -> Option<u64> {
    let status = std::fs::read_to_string("/proc/self/status").ok()?;
    let line = status.lines().find(|l| l.starts_with("VmRSS:"))?;
    line.split_whitespace().nth(1)?.parse().ok()
}

/// Run `f` `iters` times; print the mean wall and thread-CPU time per run.
fn measure(label: &str, iters: u32, mut f: impl FnMut()) {
    f(); // warm-up
    let c0 = thread_cpu_ns();
    let t = Instant::now();
    for _ in 0..iters {
        f();
    }
    let wall = t.elapsed() / iters;
    let cpu = match (c0, thread_cpu_ns()) {
        (Some(a), Some(b)) => format!("{:?}", Duration::from_nanos((b - a) / iters as u64)),
        _ => "n/a".into(),
    };
    eprintln!("{label:<28} wall {wall:>12?}  thread CPU {cpu:>12}  (mean of {iters})");
}

fn report() {
    let before = rss_kb();
    let g = Gazetteer::load_bundled().expect("bundled gazetteer");
    let after = rss_kb();
    match (before, after) {
        (Some(b), Some(a)) => eprintln!(
            "gazetteer: {} places, resident memory +{:.1} MB after the first load (process {:.1} MB)",
            g.len(),
            a.saturating_sub(b) as f64 / 1024.0,
            a as f64 / 1024.0
        ),
        _ => eprintln!(
            "gazetteer: {} places (no /proc: memory not measured)",
            g.len()
        ),
    }
    if let Ok(load) = std::fs::read_to_string("/proc/loadavg") {
        eprintln!(
            "machine load average: {}",
            load.split_whitespace()
                .take(3)
                .collect::<Vec<_>>()
                .join(" ")
        );
    }
    measure("gazetteer load", 20, || {
        black_box(Gazetteer::load_bundled().unwrap());
    });
    let geo = Geocoder::new(&g);
    let ctx = ResolveContext {
        dateline: Some("درعا".into()),
        country_hint: None,
    };
    for (name, text) in [
        ("3 KB article", article()),
        ("3 KB dense article", dense_article()),
    ] {
        let n = geo.resolve(&text, &ctx).len();
        measure(
            &format!("resolve {name} ({} B, {n} places)", text.len()),
            2000,
            || {
                black_box(geo.resolve(black_box(&text), &ctx));
            },
        );
    }

    // Real news rather than place lists: every body of the dev corpus, when it is there.
    let path = concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../../../shared/corpus/dev/extraction.json"
    );
    match std::fs::read_to_string(path) {
        Err(_) => eprintln!("dev-corpus bodies: skipped ({path} not found)"),
        Ok(json) => {
            let docs: serde_json::Map<String, serde_json::Value> =
                serde_json::from_str(&json).expect("extraction.json is a JSON object");
            let bodies: Vec<String> = docs
                .values()
                .filter_map(|d| d["articleBody"].as_str().map(str::to_string))
                .collect();
            let bytes: usize = bodies.iter().map(String::len).sum();
            let places: usize = bodies.iter().map(|b| geo.resolve(b, &ctx).len()).sum();
            let label = format!(
                "resolve all {} dev-corpus bodies ({} KB, {places} places)",
                bodies.len(),
                bytes / 1024
            );
            measure(&label, 50, || {
                for b in &bodies {
                    black_box(geo.resolve(black_box(b), &ctx));
                }
            });
            eprintln!(
                "  (divide by {:.1} for the time per 3 KB of real news)",
                bytes as f64 / 3072.0
            );
        }
    }
}

fn bench(c: &mut Criterion) {
    let g = Gazetteer::bundled();
    let geo = Geocoder::new(g);
    let ctx = ResolveContext {
        dateline: Some("درعا".into()),
        country_hint: None,
    };
    let mut group = c.benchmark_group("resolve");
    for (name, text) in [("article_3kb", article()), ("dense_3kb", dense_article())] {
        group.throughput(Throughput::Bytes(text.len() as u64));
        group.bench_function(name, |b| {
            b.iter(|| black_box(geo.resolve(black_box(&text), &ctx)))
        });
    }
    let text = article();
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
    report();
    // `RASD_GEO_SUMMARY_ONLY=1 cargo bench -p rasd-geo`: the summary above without criterion's
    // runs (a quick re-measure).
    if std::env::var_os("RASD_GEO_SUMMARY_ONLY").is_some() {
        return;
    }
    benches();
    criterion::Criterion::default()
        .configure_from_args()
        .final_summary();
}
