//! `cargo bench -p rasd --bench watch`: `rasd watch` against feeds served on
//! 127.0.0.1 that gain items while it runs. Prints figures; asserts nothing about
//! speed. Three parts (`RASD_BENCH_PARTS=latency,throughput,memory`, all by default):
//!
//! - **latency**: one feed polled every second; items are added at random moments
//!   and each is timed from its appearance in the feed to its event's entry in
//!   `/api/changes` of a server on the same store (p50, p95, max over
//!   `RASD_BENCH_ITEMS`, default 40);
//! - **throughput**: 500 feeds polled every second, each gaining an item every
//!   `RASD_BENCH_PERIOD_MS` (default 2000: 250 items/s offered), items and events
//!   stored per second over `RASD_BENCH_SECS` (default 60) after a warm-up;
//! - **memory**: 50 feeds gaining an item every 10 s each, for
//!   `RASD_BENCH_MEMORY_SECS` (default 600: the ten-minute run); the watcher's
//!   resident memory sampled every 5 s, with the first and last minutes compared.
//!   `RASD_BENCH_MEMORY_WARMUP_SECS` (default 0) runs that long first and leaves it
//!   out of the comparison (SQLite's page caches, 2 MiB per connection, fill while
//!   the store is young).
//!
//! Items are dated one week apart (see [`pub_date`]; `RASD_BENCH_SAME_DAY=1` dates them
//! all on one day). `RASD_BENCH_RASD=/path/to/rasd` runs another build of rasd.
//!
//! A shorter smoke run: `RASD_BENCH_ITEMS=5 RASD_BENCH_SECS=10 RASD_BENCH_MEMORY_SECS=30`.

#[path = "../tests/common/feeds.rs"]
mod feeds;

use feeds::{IDLIB, NAWA, RAQQA, Reply, Site, TAFAS};
use std::path::Path;
use std::process::{Child, Command, Stdio};
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::{Duration, Instant};

const BODIES: [&str; 4] = [TAFAS, IDLIB, NAWA, RAQQA];

fn env_num(key: &str, default: u64) -> u64 {
    std::env::var(key)
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(default)
}

/// The publication day of item `k`: a Monday (the reports say «اليوم الاثنين»), one
/// week later for each item, so that news keeps moving on as it does: the items of one
/// moment (one per feed) tell of one incident, and incidents stay the size of a news
/// cycle. `RASD_BENCH_SAME_DAY=1` dates every item 2 September 2024 instead: then the
/// four reports' incidents grow with every item, for as long as the run lasts.
fn pub_date(k: u64) -> String {
    const MONTHS: [&str; 12] = [
        "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec",
    ];
    let weeks = if std::env::var("RASD_BENCH_SAME_DAY").is_ok_and(|v| v == "1") {
        0
    } else {
        k as i64
    };
    let day = jiff::civil::date(2024, 9, 2)
        .checked_add(jiff::Span::new().weeks(weeks))
        .expect("a date within jiff's range");
    format!(
        "Mon, {:02} {} {} 09:00:00 +0300",
        day.day(),
        MONTHS[day.month() as usize - 1],
        day.year()
    )
}

/// A feed of items `from..to` (at most the last 20), newest first. Each body is
/// one of the fictional reports with an HTML comment naming the item, so that every
/// item is a document of its own while its text (and events) stay those of the report.
fn feed(name: &str, base: &str, from: u64, to: u64) -> Reply {
    let mut out = format!(
        "<?xml version=\"1.0\" encoding=\"utf-8\"?><rss version=\"2.0\"><channel><title>{name}</title>"
    );
    for k in (from.max(to.saturating_sub(20))..to).rev() {
        let body = BODIES[(k % 4) as usize];
        out.push_str(&format!(
            "<item><title>خبر {k}</title><link>{base}/{name}/{k}</link>\
             <pubDate>{}</pubDate>\
             <description><![CDATA[<p>{body}<!-- {name} {k} --></p>]]></description></item>",
            pub_date(k)
        ));
    }
    out.push_str("</channel></rss>");
    Reply {
        etag: Some(format!("\"{name}-{to}\"")),
        ..Reply::ok("application/rss+xml", out)
    }
}

struct Watch(Child);

impl Drop for Watch {
    fn drop(&mut self) {
        // SIGTERM first, so that the watcher stops cleanly; then make sure.
        let _ = Command::new("kill")
            .args(["-TERM", &self.0.id().to_string()])
            .status();
        let start = Instant::now();
        while start.elapsed() < Duration::from_secs(20) {
            if let Ok(Some(_)) = self.0.try_wait() {
                return;
            }
            std::thread::sleep(Duration::from_millis(50));
        }
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

fn watch(dir: &Path, site: &Site, names: &[String]) -> Watch {
    let mut sources = String::from(
        "[watch]\nworkers = 16\nper_host = 16\nhost_delay = \"0ms\"\ntimeout = \"10s\"\n\n",
    );
    for n in names {
        sources.push_str(&format!(
            "[[source]]\nname = \"{n}\"\nurl = \"{}\"\nkind = \"feed\"\ninterval = \"1s\"\n",
            site.url(&format!("/{n}.xml"))
        ));
    }
    std::fs::write(dir.join("sources.toml"), sources).unwrap();
    Watch(
        // RASD_BENCH_RASD runs another build of rasd (to compare two builds).
        Command::new(
            std::env::var("RASD_BENCH_RASD").unwrap_or_else(|_| env!("CARGO_BIN_EXE_rasd").into()),
        )
        .args(["watch", "--sources", "sources.toml", "--db", "w.db"])
        .env_remove("RUST_LOG")
        .current_dir(dir)
        .stdout(Stdio::null())
        .stderr(std::fs::File::create(dir.join("watch.log")).unwrap())
        .spawn()
        .expect("rasd watch starts"),
    )
}

/// Numbers read from the watcher's store with `sql`. Another build of rasd
/// (`RASD_BENCH_RASD`) may know fewer migrations than this one, and would refuse a
/// store this bench's `Store::open` migrated under it: its store is then read with
/// the `sqlite3` shell, read-only.
fn read_numbers(db: &Path, sql: &str) -> Option<Vec<i64>> {
    if std::env::var_os("RASD_BENCH_RASD").is_some() {
        let out = Command::new("sqlite3")
            .args(["-readonly", "-separator", " "])
            .arg(db)
            .arg(sql)
            .output()
            .ok()?;
        return String::from_utf8_lossy(&out.stdout)
            .split_whitespace()
            .map(|v| v.parse().ok())
            .collect();
    }
    let store = rasd_store::Store::open(db).ok()?;
    let mut stmt = store.connection().prepare(sql).ok()?;
    let n = stmt.column_count();
    stmt.query_row([], |r| (0..n).map(|i| r.get(i)).collect())
        .ok()
}

/// (items read, events coded) over every source.
fn counters(db: &Path) -> (u64, u64) {
    match read_numbers(
        db,
        "SELECT coalesce(sum(items_read), 0), coalesce(sum(events_coded), 0) FROM watch_sources",
    )
    .as_deref()
    {
        Some(&[i, e]) => (i as u64, e as u64),
        _ => (0, 0),
    }
}

fn wait_until(what: &str, limit: Duration, ok: impl Fn() -> bool) {
    let start = Instant::now();
    while !ok() {
        assert!(start.elapsed() < limit, "timed out waiting for {what}");
        std::thread::sleep(Duration::from_millis(50));
    }
}

fn percentile(sorted: &[f64], p: f64) -> f64 {
    let i = ((sorted.len() as f64 - 1.0) * p).round() as usize;
    sorted[i.min(sorted.len() - 1)]
}

fn latency() {
    let n = env_num("RASD_BENCH_ITEMS", 40);
    let site = Site::start();
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("w.db");
    site.set("/robots.txt", Reply::status(404));
    site.set("/lat.xml", feed("lat", &site.base, 0, 1));
    let _w = watch(dir.path(), &site, &["lat".to_string()]);
    wait_until("the first item", Duration::from_secs(60), || {
        counters(&db).0 >= 1
    });
    let server = rasd_server::start(
        rasd_server::ServerConfig::new(&db),
        "127.0.0.1:0".parse().unwrap(),
    )
    .unwrap();
    let agent: ureq::Agent = ureq::Agent::config_builder().build().into();
    let changes = |since: i64| -> serde_json::Value {
        let mut res = agent
            .get(&format!(
                "http://{}/api/changes?since={since}&limit=1000",
                server.addr()
            ))
            .call()
            .unwrap();
        serde_json::from_str(&res.body_mut().read_to_string().unwrap()).unwrap()
    };
    let mut cursor = changes(0)["next"].as_i64().unwrap();
    let mut times = Vec::new();
    // A cheap random phase per item (xorshift), so items land anywhere in the poll cycle.
    let mut seed: u64 = 0x9e37_79b9_7f4a_7c15;
    for k in 1..=n {
        seed ^= seed << 13;
        seed ^= seed >> 7;
        seed ^= seed << 17;
        std::thread::sleep(Duration::from_millis(200 + seed % 1000));
        let link = format!("{}/lat/{k}", site.base);
        site.set("/lat.xml", feed("lat", &site.base, 0, k + 1));
        let t0 = Instant::now();
        'found: loop {
            assert!(
                t0.elapsed() < Duration::from_secs(60),
                "item {k} never reached /api/changes"
            );
            let page = changes(cursor);
            for c in page["changes"].as_array().unwrap() {
                if c["entity"] == "event" && c["event"]["url"] == link.as_str() {
                    times.push(t0.elapsed().as_secs_f64());
                    cursor = page["next"].as_i64().unwrap();
                    break 'found;
                }
            }
            cursor = page["next"].as_i64().unwrap();
            std::thread::sleep(Duration::from_millis(10));
        }
    }
    server.shutdown();
    times.sort_by(f64::total_cmp);
    println!(
        "watch/latency (feed item → /api/changes, 1 s polling, {n} items): p50 {:.2} s, p95 {:.2} s, max {:.2} s, mean {:.2} s",
        percentile(&times, 0.5),
        percentile(&times, 0.95),
        times[times.len() - 1],
        times.iter().sum::<f64>() / times.len() as f64
    );
}

/// Feeds `names`, each gaining one item every `period` (from a thread of its own),
/// until `stop`.
fn grow(site: &Site, names: Vec<String>, period: Duration, stop: Arc<AtomicBool>) {
    let site = site.clone();
    std::thread::spawn(move || {
        let start = Instant::now();
        let mut last = 0u64;
        while !stop.load(Ordering::Relaxed) {
            let tick = (start.elapsed().as_millis() / period.as_millis().max(1)) as u64 + 1;
            if tick != last {
                for n in &names {
                    site.set(&format!("/{n}.xml"), feed(n, &site.base, 0, tick));
                }
                last = tick;
            }
            std::thread::sleep(Duration::from_millis(20));
        }
    });
}

fn throughput() {
    let secs = env_num("RASD_BENCH_SECS", 60);
    let period = Duration::from_millis(env_num("RASD_BENCH_PERIOD_MS", 2000));
    let site = Site::start();
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("w.db");
    site.set("/robots.txt", Reply::status(404));
    let names: Vec<String> = (0..500).map(|i| format!("s{i}")).collect();
    let stop = Arc::new(AtomicBool::new(false));
    grow(&site, names.clone(), period, stop.clone());
    let _w = watch(dir.path(), &site, &names);
    // Warm-up: every source polled once and its first items stored.
    wait_until(
        "every source's first items",
        Duration::from_secs(300),
        || counters(&db).0 >= 500,
    );
    let (i0, e0) = counters(&db);
    let polls0 = site.hits().len();
    let t0 = Instant::now();
    std::thread::sleep(Duration::from_secs(secs));
    let (i1, e1) = counters(&db);
    let polls1 = site.hits().len();
    let dt = t0.elapsed().as_secs_f64();
    stop.store(true, Ordering::Relaxed);
    let offered = 500.0 / period.as_secs_f64();
    println!(
        "watch/throughput (500 local feeds, 1 s polling, {offered:.0} items/s offered, {secs} s): \
         {:.1} items/s, {:.1} events/s stored, {:.0} requests/s answered",
        (i1 - i0) as f64 / dt,
        (e1 - e0) as f64 / dt,
        (polls1 - polls0) as f64 / dt
    );
}

fn rss_kib(pid: u32) -> Option<u64> {
    let status = std::fs::read_to_string(format!("/proc/{pid}/status")).ok()?;
    status
        .lines()
        .find_map(|l| l.strip_prefix("VmRSS:"))
        .and_then(|v| v.trim().trim_end_matches("kB").trim().parse().ok())
}

fn memory() {
    let secs = env_num("RASD_BENCH_MEMORY_SECS", 600);
    let warmup = env_num("RASD_BENCH_MEMORY_WARMUP_SECS", 0) as f64;
    let site = Site::start();
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("w.db");
    site.set("/robots.txt", Reply::status(404));
    let names: Vec<String> = (0..50).map(|i| format!("m{i}")).collect();
    let stop = Arc::new(AtomicBool::new(false));
    grow(&site, names.clone(), Duration::from_secs(10), stop.clone());
    let w = watch(dir.path(), &site, &names);
    let pid = w.0.id();
    let start = Instant::now();
    let mut samples: Vec<(f64, u64)> = Vec::new();
    let mut at_warmup = (0, 0);
    while start.elapsed() < Duration::from_secs_f64(secs as f64 + warmup) {
        if at_warmup == (0, 0) && start.elapsed().as_secs_f64() >= warmup {
            at_warmup = counters(&db);
        }
        std::thread::sleep(Duration::from_secs(5));
        if let Some(kib) = rss_kib(pid) {
            samples.push((start.elapsed().as_secs_f64(), kib));
        }
    }
    stop.store(true, Ordering::Relaxed);
    let (items, events) = counters(&db);
    let rows = read_numbers(&db, "SELECT count(*) FROM changes").map_or(0, |v| v[0]);
    drop(w);
    let start_rss = samples.first().map_or(0, |s| s.1) as f64 / 1024.0;
    samples.retain(|(t, _)| *t >= warmup);
    let window = (secs as f64 / 10.0).clamp(5.0, 60.0);
    let mean = |from: f64, to: f64| {
        let v: Vec<u64> = samples
            .iter()
            .filter(|(t, _)| *t >= from && *t <= to)
            .map(|(_, k)| *k)
            .collect();
        v.iter().sum::<u64>() as f64 / v.len().max(1) as f64 / 1024.0
    };
    let first = samples.first().map_or(0.0, |s| s.0);
    let end = samples.last().map_or(0.0, |s| s.0);
    // Least-squares slope of RSS over the second half (after the store and caches warm up).
    let half: Vec<(f64, f64)> = samples
        .iter()
        .filter(|(t, _)| *t >= end / 2.0)
        .map(|(t, k)| (*t, *k as f64 / 1024.0))
        .collect();
    let n = half.len() as f64;
    let (sx, sy) = half
        .iter()
        .fold((0.0, 0.0), |(a, b), (x, y)| (a + x, b + y));
    let (sxx, sxy) = half
        .iter()
        .fold((0.0, 0.0), |(a, b), (x, y)| (a + x * x, b + x * y));
    let slope = (n * sxy - sx * sy) / (n * sxx - sx * sx).max(f64::MIN_POSITIVE);
    let max = samples.iter().map(|s| s.1).max().unwrap_or(0) as f64 / 1024.0;
    println!(
        "watch/memory ({secs} s after {warmup:.0} s of warm-up (RSS {start_rss:.1} MiB 5 s after the start), 50 local feeds, \
         5 items/s offered; {} items, {} events stored in the measured span, {items} in all, \
         {rows} change-log rows): RSS first {window:.0} s {:.1} MiB, last {window:.0} s {:.1} MiB, max {max:.1} MiB, \
         second-half slope {:.2} MiB/min",
        items - at_warmup.0,
        events - at_warmup.1,
        mean(first, first + window),
        mean(end - window, end),
        slope * 60.0
    );
    // The first sample, one per minute, and the last.
    let mut trace: Vec<String> = Vec::new();
    let mut next_minute = 0.0;
    for (i, (t, k)) in samples.iter().enumerate() {
        if *t >= next_minute || i + 1 == samples.len() {
            trace.push(format!("{t:.0}s:{:.1}", *k as f64 / 1024.0));
            next_minute = (t / 60.0).floor() * 60.0 + 60.0;
        }
    }
    println!(
        "watch/memory RSS (MiB), start, each minute, end: {}",
        trace.join(" ")
    );
    println!(
        "watch/memory throughput: {:.1} items/s, {:.1} events/s stored over the measured span",
        (items - at_warmup.0) as f64 / secs as f64,
        (events - at_warmup.1) as f64 / secs as f64
    );
}

fn main() {
    let parts =
        std::env::var("RASD_BENCH_PARTS").unwrap_or_else(|_| "latency,throughput,memory".into());
    let cores = std::thread::available_parallelism().map_or(1, |n| n.get());
    println!("watch bench on {cores} cores (rasd watch: 16 workers, per_host 16, host_delay 0)");
    for part in parts.split(',') {
        match part.trim() {
            "latency" => latency(),
            "throughput" => throughput(),
            "memory" => memory(),
            "" => {}
            other => panic!("unknown part {other:?} (latency, throughput, memory)"),
        }
    }
}
