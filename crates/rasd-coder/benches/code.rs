//! Coding throughput with the text already extracted, one article after
//! another on one core, in three groups:
//!
//! - `short`: six two- or three-sentence items written for this bench;
//! - `full_length`: eight full news articles written for this bench (fictional
//!   events in real places, 2–5 KB each: dateline, several paragraphs, quotes,
//!   background) — the size and shape of what the pipeline really codes;
//! - `dev_corpus`: the dev corpus bodies (`../shared/corpus/dev/extraction.json`
//!   with their publication times), skipped with a message when absent.
//!
//! Each group reports articles/s and bytes/s (criterion's elements and bytes
//! throughput over the group's whole set) in CPU time of the benchmarking
//! thread, so that figures per core hold on a machine shared with other
//! work; where the thread clock cannot be read, in wall time.
//! `RASD_BENCH_WALL=1` forces wall time.

use std::time::{Duration, Instant};

use criterion::measurement::{Measurement, ValueFormatter, WallTime};
use criterion::{Criterion, Throughput, criterion_group, criterion_main};
use rasd_coder::{ActorRegister, Coder};
use rasd_model::{Article, PublishedTime};

const SHORT: &[&str] = &[
    "قُتل شابان مدنيان مساء أمس الاثنين برصاص مسلحين مجهولين في بلدة طفس بريف درعا الغربي.\nوقالت مصادر محلية إن المسلحين لاذوا بالفرار إلى جهة مجهولة، ولم تتبنَّ أي جهة العملية.\nوتشهد المحافظة منذ سنوات عمليات اغتيال شبه يومية.",
    "استهدفت قوات النظام بقذائف المدفعية صباح اليوم أطراف بلدة كنصفرة في جبل الزاوية جنوبي إدلب، ما أدى إلى إصابة ثلاثة مدنيين بجروح.\nوكانت طائرات حربية روسية قد شنت أمس غارات على محيط مدينة أريحا دون ورود أنباء عن إصابات.",
    "اندلعت اشتباكات عنيفة منذ فجر اليوم بين مقاتلي العشائر وقوات سوريا الديمقراطية في بلدة ذيبان بريف دير الزور الشرقي، أسفرت عن مقتل أربعة عناصر من قسد وإصابة آخرين.\nوأفادت مصادر بأن مقاتلي العشائر سيطروا على نقطتين عسكريتين.",
    "تظاهر المئات من أهالي مدينة السويداء اليوم الجمعة في ساحة وسط المدينة، مطالبين بتحسين الأوضاع المعيشية، وانتهت التظاهرة دون حوادث.\nيذكر أن المحافظة شهدت احتجاجات مماثلة خلال الشهر الماضي.",
    "سجّل سعر صرف الدولار ارتفاعاً جديداً في أسواق دمشق وحلب اليوم، وسط تراجع القدرة الشرائية للمواطنين.\nويرى خبراء أن الأسعار ستواصل الارتفاع خلال الأشهر المقبلة.",
    "انفجرت عبوة ناسفة بسيارة عسكرية على الطريق بين مدينتي الميادين والبوكمال شرقي دير الزور ظهر اليوم، ما أدى إلى مقتل عنصرين من قوات النظام.\nولم تعلن أي جهة مسؤوليتها عن التفجير حتى الآن.",
];

/// Full-length articles (`benches/articles/*.txt`: the dateline line, then
/// one paragraph a line) with their publication times.
const FULL_LENGTH: &[(&str, &str)] = &[
    (
        include_str!("articles/daraa.txt"),
        "2024-03-11T09:30:00+03:00",
    ),
    (
        include_str!("articles/idlib.txt"),
        "2023-10-17T13:05:00+03:00",
    ),
    (
        include_str!("articles/deir.txt"),
        "2024-08-29T16:40:00+03:00",
    ),
    (
        include_str!("articles/kirkuk.txt"),
        "2024-01-11T08:15:00+03:00",
    ),
    (
        include_str!("articles/sweida.txt"),
        "2024-09-06T19:00:00+03:00",
    ),
    (
        include_str!("articles/economy.txt"),
        "2023-11-13T11:20:00+03:00",
    ),
    (
        include_str!("articles/lebanon.txt"),
        "2025-03-15T17:45:00+02:00",
    ),
    (
        include_str!("articles/taiz.txt"),
        "2024-06-16T12:10:00+03:00",
    ),
];

fn article(id: String, text: &str, published: &str, dateline: Option<String>) -> Article {
    let mut a = Article::from_text(id, text);
    a.published = published.parse::<PublishedTime>().ok();
    a.dateline = dateline;
    a
}

fn short_articles() -> Vec<Article> {
    SHORT
        .iter()
        .enumerate()
        .map(|(i, t)| article(format!("short-{i}"), t, "2023-09-25T12:00:00+03:00", None))
        .collect()
}

fn full_length_articles() -> Vec<Article> {
    FULL_LENGTH
        .iter()
        .enumerate()
        .map(|(i, (file, published))| {
            let (first, body) = file.split_once('\n').unwrap_or(("", file));
            // «درعا - مراسلنا», «كركوك (العراق) - وكالات»: the place before the dash.
            let place = first.split(['-', '(']).next().unwrap_or("").trim();
            let dateline = (!place.is_empty()).then(|| place.to_string());
            article(format!("full-{i}"), body, published, dateline)
        })
        .collect()
}

/// The dev corpus bodies, or why they are not there.
fn dev_articles() -> Result<Vec<Article>, String> {
    let dir = concat!(env!("CARGO_MANIFEST_DIR"), "/../../../shared/corpus/dev");
    let path = format!("{dir}/extraction.json");
    let raw = std::fs::read_to_string(&path).map_err(|e| format!("{path}: {e}"))?;
    let all: serde_json::Value = serde_json::from_str(&raw).map_err(|e| format!("{path}: {e}"))?;
    let obj = all.as_object().ok_or(format!("{path}: not an object"))?;
    let field =
        |x: &serde_json::Value, k: &str| x[k].as_str().filter(|s| !s.is_empty()).map(String::from);
    Ok(obj
        .iter()
        .filter_map(|(id, x)| {
            let body = x["articleBody"].as_str()?;
            let mut a = article(
                id.clone(),
                body,
                x["published"].as_str().unwrap_or_default(),
                field(x, "dateline"),
            );
            a.title = field(x, "title");
            Some(a)
        })
        .collect())
}

/// CPU time of the current thread (`clock_gettime(CLOCK_THREAD_CPUTIME_ID)`
/// through the `cpu-time` crate), or wall time where it cannot be read.
struct ThreadCpu {
    cpu: bool,
    wall: WallTime,
}

impl ThreadCpu {
    fn new() -> ThreadCpu {
        let cpu = std::env::var_os("RASD_BENCH_WALL").is_none()
            && cpu_time::ThreadTime::try_now().is_ok();
        eprintln!(
            "code bench: measuring {}",
            if cpu {
                "CPU time of the bench thread"
            } else {
                "wall time"
            }
        );
        ThreadCpu {
            cpu,
            wall: WallTime,
        }
    }
}

impl Measurement for ThreadCpu {
    type Intermediate = (Option<cpu_time::ThreadTime>, Instant);
    type Value = Duration;

    fn start(&self) -> Self::Intermediate {
        let cpu = self.cpu.then(cpu_time::ThreadTime::try_now);
        (cpu.and_then(Result::ok), Instant::now())
    }
    fn end(&self, (cpu0, wall0): Self::Intermediate) -> Duration {
        match cpu0 {
            Some(t) => t.try_elapsed().unwrap_or_else(|_| wall0.elapsed()),
            None => wall0.elapsed(),
        }
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
        self.wall.formatter()
    }
}

fn bench_group(c: &mut Criterion<ThreadCpu>, coder: &Coder, name: &str, articles: &[Article]) {
    let bytes: usize = articles.iter().map(|a| a.text.len()).sum();
    let mut g = c.benchmark_group("code");
    g.throughput(Throughput::ElementsAndBytes {
        elements: articles.len() as u64,
        bytes: bytes as u64,
    });
    g.bench_function(name, |b| {
        b.iter(|| {
            let mut n = 0;
            for a in articles {
                n += coder.code(a).len();
            }
            n
        })
    });
    g.finish();
}

fn bench(c: &mut Criterion<ThreadCpu>) {
    let coder = Coder::new(ActorRegister::bundled(), rasd_geo::Gazetteer::bundled());
    bench_group(c, &coder, "short", &short_articles());
    bench_group(c, &coder, "full_length", &full_length_articles());
    match dev_articles() {
        Ok(a) if !a.is_empty() => bench_group(c, &coder, "dev_corpus", &a),
        Ok(_) => eprintln!("code/dev_corpus skipped: the dev corpus has no bodies"),
        Err(why) => eprintln!("code/dev_corpus skipped: {why}"),
    }
}

criterion_group! {
    name = benches;
    config = Criterion::default().with_measurement(ThreadCpu::new());
    targets = bench
}
criterion_main!(benches);
