//! The live dashboard end to end: `rasd watch` (1 s polling) and `rasd serve` on one
//! store, a news feed served by the test on 127.0.0.1 that gains items while the
//! dashboard is open in Debian's headless Chromium (playwright-core, the harness of
//! rasd-server's browser tests). The page must show each new event on the map and in
//! the list, marked «new», without a reload; follow corrections and wrong marks; and
//! pick the stream up again, missing nothing, after the server restarts. Run on a
//! SQLite file and on a scratch PostgreSQL database (`RASD_TEST_POSTGRES`; that run
//! skips, saying so, without it). Skips, saying why, when Chromium, node or playwright-core are missing (`.ci/run`
//! installs them; under CI a missing tool is a failure).

mod common;
#[path = "common/feeds.rs"]
mod feeds;
#[path = "../../rasd-server/tests/e2e/harness.rs"]
mod harness;

use feeds::{IDLIB, NAWA, RAQQA, Reply, Site, TAFAS, rss};
use rasd_store::Backend;
use rasd_store_pg::scratch::ScratchDb;
use std::io::{BufRead, BufReader, Write};
use std::path::{Path, PathBuf};
use std::process::{Child, Stdio};
use std::time::{Duration, Instant};

/// Kills the child when dropped, so a failing assertion leaves no process behind.
struct Proc(Child);

impl Drop for Proc {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

fn feed(items: &[(&str, &str, &str)], version: u32) -> Reply {
    Reply {
        etag: Some(format!("\"v{version}\"")),
        ..Reply::ok("application/rss+xml", rss("شبكة تجريبية", items))
    }
}

/// The store the watcher and the server share: a file in the test's directory, or a
/// scratch PostgreSQL database.
struct Db {
    /// What `--db` takes.
    arg: String,
    _scratch: Option<ScratchDb>,
}

impl Db {
    fn open(&self, dir: &Path) -> Box<dyn Backend> {
        if rasd_store_pg::is_postgres_url(&self.arg) {
            Box::new(rasd_store_pg::PgStore::connect(&self.arg).unwrap())
        } else {
            Box::new(rasd_store::Store::open(&dir.join(&self.arg)).unwrap())
        }
    }

    fn documents(&self, dir: &Path) -> u64 {
        if rasd_store_pg::is_postgres_url(&self.arg) {
            let mut pg = rasd_store_pg::PgStore::connect(&self.arg).unwrap();
            pg.counts().unwrap().documents
        } else {
            let store = rasd_store::Store::open(&dir.join(&self.arg)).unwrap();
            store.counts().unwrap().documents
        }
    }

    fn items_read(&self, dir: &Path) -> u64 {
        self.open(dir)
            .watch_sources()
            .unwrap()
            .into_iter()
            .find(|s| s.name == "feed")
            .map_or(0, |s| s.items_read)
    }

    fn wait_items(&self, dir: &Path, n: u64, log: &Path) {
        let start = Instant::now();
        while self.items_read(dir) < n {
            assert!(
                start.elapsed() < Duration::from_secs(120),
                "rasd watch did not store {n} items; log:\n{}",
                std::fs::read_to_string(log).unwrap_or_default()
            );
            std::thread::sleep(Duration::from_millis(200));
        }
    }
}

/// `rasd serve` on `addr` (port 0: any), and the address it took.
fn serve(dir: &Path, db: &Db, addr: &str) -> (Proc, String) {
    let mut child = common::rasd()
        .args(["serve", "--db", &db.arg, "--addr", addr])
        .current_dir(dir)
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .spawn()
        .expect("rasd serve starts");
    let mut lines = BufReader::new(child.stderr.take().unwrap()).lines();
    let addr = loop {
        let line = lines
            .next()
            .expect("rasd serve said where it listens")
            .unwrap();
        if let Some(rest) = line.split("dashboard on http://").nth(1) {
            break rest.split('/').next().unwrap().to_string();
        }
    };
    // Keep draining its log, so the server never blocks on a full pipe.
    std::thread::spawn(move || for _ in lines {});
    (Proc(child), addr)
}

#[test]
fn a_new_item_in_a_watched_feed_appears_on_the_open_dashboard() {
    live_dashboard(Db {
        arg: "w.db".into(),
        _scratch: None,
    });
}

#[test]
fn a_new_item_in_a_watched_feed_appears_on_the_open_dashboard_on_postgres() {
    let Some(scratch) = ScratchDb::from_env() else {
        return;
    };
    live_dashboard(Db {
        arg: scratch.url.clone(),
        _scratch: Some(scratch),
    });
}

fn live_dashboard(db: Db) {
    if harness::skip("a_new_item_in_a_watched_feed_appears_on_the_open_dashboard") {
        return;
    }
    let _turn = harness::one_browser();
    let site = Site::start();
    let dir = tempfile::tempdir().unwrap();
    let log = dir.path().join("watch.log");
    site.set("/robots.txt", Reply::status(404));
    let first = ("قصف على طفس", "/news/1", TAFAS);
    let second = ("اشتباكات في ريف إدلب", "/news/2", IDLIB);
    let third = ("مقتل شاب قرب نوى", "/news/3", NAWA);
    let fourth = ("انفجار في الرقة", "/news/4", RAQQA);
    site.set("/feed.xml", feed(&[first], 1));
    std::fs::write(
        dir.path().join("sources.toml"),
        format!(
            "[watch]\nhost_delay = \"0ms\"\n\n[[source]]\nname = \"feed\"\nurl = \"{}\"\n\
             kind = \"feed\"\ninterval = \"1s\"\n",
            site.url("/feed.xml")
        ),
    )
    .unwrap();
    let _watch = Proc(
        common::rasd()
            .args(["watch", "--sources", "sources.toml", "--db", &db.arg, "-v"])
            .current_dir(dir.path())
            .stdout(Stdio::null())
            .stderr(std::fs::File::create(&log).unwrap())
            .spawn()
            .expect("rasd watch starts"),
    );
    db.wait_items(dir.path(), 1, &log);
    let out = common::run(
        &["user", "add", "live-analyst", "--db", &db.arg],
        dir.path(),
    );
    assert!(out.status.success(), "{out:?}");
    let token = String::from_utf8(out.stdout).unwrap().trim().to_string();
    let (mut server, addr) = serve(dir.path(), &db, "127.0.0.1:0");

    let suffix = if db._scratch.is_some() {
        "-live-postgres.png"
    } else {
        "-live.png"
    };
    let shot = std::env::var("RASD_SCREENSHOT")
        .map(|s| PathBuf::from(s.replace(".png", suffix)))
        .unwrap_or_else(|_| dir.path().join("live.png"));
    let mut node = Proc(
        harness::node("live.mjs", &format!("http://{addr}"), &token, &shot)
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::inherit())
            .spawn()
            .expect("node runs"),
    );
    let mut to_node = node.0.stdin.take().unwrap();
    let from_node = BufReader::new(node.0.stdout.take().unwrap());
    // The script asks for each step of the story on its stdout; the test does it on
    // the feed (or the server) and answers on the script's stdin.
    let mut transcript = String::new();
    for line in from_node.lines() {
        let line = line.unwrap();
        println!("{line}");
        transcript.push_str(&line);
        transcript.push('\n');
        let Some(step) = line.strip_prefix("STEP ") else {
            continue;
        };
        match step.trim() {
            "add-items" => {
                // Daraa's report and Idlib's: the page filtered to Daraa shows one.
                site.set("/feed.xml", feed(&[first, second, third], 2));
            }
            "restart-server" => {
                // The server goes away; an item arrives meanwhile; the server comes
                // back on the same address and the page's stream resumes from its
                // Last-Event-ID.
                let _ = server.0.kill();
                let _ = server.0.wait();
                site.set("/feed.xml", feed(&[first, second, third, fourth], 3));
                db.wait_items(dir.path(), 4, &log);
                server = serve(dir.path(), &db, &addr).0;
            }
            other => panic!("the browser script asked for an unknown step {other:?}"),
        }
        writeln!(to_node, "done {}", step.trim()).unwrap();
        to_node.flush().unwrap();
    }
    let status = node.0.wait().unwrap();
    assert!(
        status.success(),
        "browser test failed:\n{transcript}\nwatch log:\n{}",
        std::fs::read_to_string(&log).unwrap_or_default()
    );
    assert!(transcript.contains("0 failed"), "{transcript}");
    // Nothing was fetched twice: the feed's items are stored once each.
    assert_eq!(db.documents(dir.path()), 4);
}
