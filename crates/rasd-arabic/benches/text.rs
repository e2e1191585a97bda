//! Throughput of normalisation and segmentation on generated Arabic news text.
//! Run: `cargo bench -p rasd-arabic --bench text`.
//!
//! Two groups: `arabic` is wall-clock time; `arabic-cpu` is the on-CPU time
//! of the benchmarking thread (from /proc/thread-self/schedstat where it
//! exists), so its throughput is per core even when other work shares the
//! machine.

use std::hint::black_box;
use std::time::Duration;

use criterion::measurement::{Measurement, ValueFormatter, WallTime};
use criterion::{BenchmarkGroup, Criterion, Throughput, criterion_group, criterion_main};

/// On-CPU time of the current thread, in nanoseconds.
fn thread_cpu_ns() -> u64 {
    std::fs::read_to_string("/proc/thread-self/schedstat")
        .ok()
        .and_then(|s| s.split_whitespace().next().and_then(|x| x.parse().ok()))
        .unwrap_or(0)
}

/// Criterion measurement: thread CPU time.
struct ThreadCpu;

static WALL: WallTime = WallTime;

impl Measurement for ThreadCpu {
    type Intermediate = u64;
    type Value = Duration;
    fn start(&self) -> u64 {
        thread_cpu_ns()
    }
    fn end(&self, i: u64) -> Duration {
        Duration::from_nanos(thread_cpu_ns().saturating_sub(i))
    }
    fn add(&self, a: &Duration, b: &Duration) -> Duration {
        *a + *b
    }
    fn zero(&self) -> Duration {
        Duration::ZERO
    }
    fn to_f64(&self, v: &Duration) -> f64 {
        v.as_nanos() as f64
    }
    fn formatter(&self) -> &dyn ValueFormatter {
        WALL.formatter()
    }
}
use rasd_arabic::{for_each_word, normalize, sentences, words};

/// Build about `target` bytes of Arabic news-like text from fragments
/// written for this bench (with diacritics, tatweel, Arabic-Indic digits,
/// quotes, abbreviations, line breaks).
fn corpus(target: usize) -> String {
    let openings = [
        "قُتِل شابٌّ مدنيٌّ",
        "أُصيب ثلاثة عناصر",
        "سقطت قذيفتان صاروخيتان",
        "اندلعت اشتباكات عنيفة",
        "نفّذت طائرة مسيّرة غارة",
        "اعتقلت دورية أمنية عدداً من الشبان",
    ];
    let times = [
        "فجر اليوم الأربعاء",
        "مساء أمس",
        "الجمعة الماضية",
        "في ٢٥ تشرين الأول ٢٠٢٢",
        "صباح اليوم",
    ];
    let places = [
        "في بلدة الشجرة بريف درعا الغربي",
        "على أطراف مدينة إدلب",
        "قرب الطريق الدولي حلب–اللاذقية",
        "في حيّ الصناعة بمدينة الرقة",
        "بمحيط قرية كفرلاتة في جبل الزاوية",
    ];
    let tails = [
        "، بحسب ما أفادت مصادر محلية لـ«شبكة الرصد».",
        "، وقال د. سامر الخطيب إن الحصيلة بلغت ١٬٢٠٠ نازح حتى الآن.",
        "، ولم تُعرَف هويةُ المنفذين حتى ساعة إعداد هذا الخبر!",
        "؛ إذ أكّد المرصد أن العدد تجاوز 40 قتيلاً خلال الـ24 ساعة الماضية.",
        " — وذلك بحسب بيانٍ نُشر بتاريخ 2022.10.25 على معرّفاتها الرسمية.",
    ];
    let mut s = String::with_capacity(target + 512);
    let mut k = 0usize;
    while s.len() < target {
        s.push_str(openings[k % openings.len()]);
        s.push(' ');
        s.push_str(times[(k / 3) % times.len()]);
        s.push(' ');
        s.push_str(places[(k / 7) % places.len()]);
        s.push_str(tails[(k / 2) % tails.len()]);
        s.push_str(if k % 4 == 3 { "\n\n" } else { " " });
        if k % 9 == 0 {
            s.push_str("ســـوريا\u{200F} ");
        }
        k += 1;
    }
    s
}

fn run<M: Measurement>(g: &mut BenchmarkGroup<'_, M>, text: &str) {
    g.throughput(Throughput::Bytes(text.len() as u64));
    g.sample_size(20);
    g.bench_function("normalize", |b| {
        b.iter(|| black_box(normalize(black_box(text))))
    });
    g.bench_function("sentences", |b| {
        b.iter(|| black_box(sentences(black_box(text))))
    });
    g.bench_function("words", |b| b.iter(|| black_box(words(black_box(text)))));
    g.bench_function("normalize+sentences+words", |b| {
        b.iter(|| {
            let n = normalize(black_box(text));
            let s = sentences(black_box(text));
            let mut count = 0usize;
            for_each_word(&n.text, |_| count += 1);
            black_box((n, s, count))
        })
    });
}

fn bench(c: &mut Criterion) {
    let text = corpus(1 << 20);
    let mut g = c.benchmark_group("arabic");
    run(&mut g, &text);
    g.finish();
}

fn bench_cpu(c: &mut Criterion<ThreadCpu>) {
    if thread_cpu_ns() == 0 {
        eprintln!("arabic-cpu: /proc/thread-self/schedstat unavailable, skipped");
        return;
    }
    let text = corpus(1 << 20);
    let mut g = c.benchmark_group("arabic-cpu");
    run(&mut g, &text);
    g.finish();
}

criterion_group!(benches, bench);
criterion_group! {
    name = cpu;
    config = Criterion::default().with_measurement(ThreadCpu);
    targets = bench_cpu
}
criterion_main!(benches, cpu);
