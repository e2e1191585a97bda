//! Several `rasd watch --db postgres://…` workers sharing the sources of one database,
//! against a news site served by the test on 127.0.0.1 (tests/common/feeds.rs) whose
//! feeds gain items while the workers run: each source polled by one worker at a
//! time, every item fetched and stored once; a worker killed with SIGKILL mid-fetch
//! has its source and item taken over once its lease expires; SIGTERM gives the
//! leases back at once. Needs `RASD_TEST_POSTGRES` (see rasd_store_pg::scratch);
//! without it the tests say so and skip.

mod common;
#[path = "common/feeds.rs"]
mod feeds;

use feeds::{IDLIB, NAWA, RAQQA, Reply, Site, TAFAS, page, rss};
use postgres::{Client, NoTls};
use rasd_store_pg::scratch::ScratchDb;
use std::path::Path;
use std::process::Child;
use std::time::{Duration, Instant};

const REPORTS: [&str; 4] = [TAFAS, IDLIB, NAWA, RAQQA];

/// A running `rasd watch`, killed when dropped so that a failing test leaves no
/// worker behind.
struct Worker(Child);

impl std::ops::Deref for Worker {
    type Target = Child;
    fn deref(&self) -> &Child {
        &self.0
    }
}

impl std::ops::DerefMut for Worker {
    fn deref_mut(&mut self) -> &mut Child {
        &mut self.0
    }
}

impl Drop for Worker {
    fn drop(&mut self) {
        if let Ok(None) = self.0.try_wait() {
            let _ = self.0.kill();
            let _ = self.0.wait();
        }
    }
}

/// Starts worker `name` in `dir` on the database `url` with this sources file.
fn spawn_worker(dir: &Path, name: &str, url: &str, sources: &str) -> Worker {
    Worker(common::spawn_watch(dir, name, url, sources))
}

fn logs(dir: &Path) -> String {
    let mut out = String::new();
    for e in std::fs::read_dir(dir).unwrap().flatten() {
        let p = e.path();
        if p.extension().is_some_and(|x| x == "log") {
            out.push_str(&format!("--- {}\n", p.display()));
            out.push_str(&std::fs::read_to_string(&p).unwrap_or_default());
        }
    }
    out
}

fn count(db: &mut Client, sql: &str) -> i64 {
    db.query_one(sql, &[]).unwrap().get(0)
}

/// Waits (up to 120 s: debug builds code slowly, and three of them share the cores)
/// until `ok` holds.
fn wait_for(dir: &Path, what: &str, mut ok: impl FnMut() -> bool) {
    let start = Instant::now();
    while !ok() {
        assert!(
            start.elapsed() < Duration::from_secs(120),
            "timed out waiting for {what}; logs:\n{}",
            logs(dir)
        );
        std::thread::sleep(Duration::from_millis(200));
    }
}

fn terminate(child: &mut Child) -> std::process::ExitStatus {
    common::terminate(child, 30)
}

fn held_by(db: &mut Client, pid: u32) -> i64 {
    let pattern = format!("%:{pid}#%");
    let row = db
        .query_one(
            "SELECT (SELECT count(*) FROM watch_sources WHERE lease_holder LIKE $1)
                  + (SELECT count(*) FROM watch_items WHERE claimed_by LIKE $1)",
            &[&pattern],
        )
        .unwrap();
    row.get(0)
}

/// A sources file of feeds whose items are fetched as pages.
fn sources(site: &Site, feeds: &[&str], lease: &str) -> String {
    let mut out = format!(
        "[watch]\ntimeout = \"20s\"\nconnect_timeout = \"2s\"\nhost_delay = \"0ms\"\nper_host = 8\n\
         max_backoff = \"2s\"\nlease = \"{lease}\"\n\n"
    );
    for f in feeds {
        out.push_str(&format!(
            "[[source]]\nname = \"{f}\"\nurl = \"{}\"\nkind = \"feed\"\ninterval = \"1s\"\nfollow = true\n\n",
            site.url(&format!("/{f}.xml"))
        ));
    }
    out
}

/// Article `n`'s page: one of the reports, under a title of its own, so that every
/// article is a document of its own.
fn article(site: &Site, n: usize) {
    site.set(
        &format!("/a/{n}"),
        Reply::ok(
            "text/html; charset=utf-8",
            page(&format!("تقرير رقم {n}"), REPORTS[n % REPORTS.len()]),
        ),
    );
}

/// Feed `name` listing articles `items`, with a delay so that two polls of it at once
/// would overlap at the server.
fn feed(site: &Site, name: &str, items: &[usize], version: u32) {
    let entries: Vec<(String, String)> = items
        .iter()
        .map(|n| (format!("تقرير رقم {n}"), format!("/a/{n}")))
        .collect();
    let refs: Vec<(&str, &str, &str)> = entries
        .iter()
        .map(|(t, l)| (t.as_str(), l.as_str(), "ملخص"))
        .collect();
    site.set(
        &format!("/{name}.xml"),
        Reply {
            etag: Some(format!("\"{name}-{version}\"")),
            delay: Duration::from_millis(300),
            ..Reply::ok("application/rss+xml", rss(name, &refs))
        },
    );
}

#[test]
fn three_workers_share_overlapping_sources_and_store_every_item_once() {
    let Some(scratch) = ScratchDb::from_env() else {
        return;
    };
    let site = Site::start();
    let dir = tempfile::tempdir().unwrap();
    for n in 1..=9 {
        article(&site, n);
    }
    // Overlapping feeds: most articles are listed by two or three of them.
    feed(&site, "f1", &[1, 2], 1);
    feed(&site, "f2", &[2, 3, 1], 1);
    feed(&site, "f3", &[3, 4, 5], 1);
    feed(&site, "f4", &[5, 1], 1);
    // Each worker watches three of the four feeds; every feed has two or three
    // watchers. A long lease: only SIGTERM can free a source this quickly.
    let files = [
        sources(&site, &["f1", "f2", "f3"], "30s"),
        sources(&site, &["f2", "f3", "f4"], "30s"),
        sources(&site, &["f3", "f4", "f1"], "30s"),
    ];
    let mut workers: Vec<Worker> = files
        .iter()
        .enumerate()
        .map(|(i, f)| spawn_worker(dir.path(), &format!("w{i}"), &scratch.url, f))
        .collect();
    let mut db = Client::connect(&scratch.url, NoTls).unwrap();
    let stored = |db: &mut Client| {
        count(
            db,
            "SELECT count(*) FROM watch_items WHERE fetched_at IS NOT NULL",
        )
    };
    wait_for(dir.path(), "the first five articles", || {
        db.query_opt(
            "SELECT 1 FROM pg_tables WHERE tablename = 'watch_items'",
            &[],
        )
        .unwrap()
        .is_some()
            && stored(&mut db) == 5
    });
    // The feeds gain articles while the workers run, again listed by several.
    feed(&site, "f1", &[6, 1, 2], 2);
    feed(&site, "f2", &[7, 6, 2, 3, 1], 2);
    feed(&site, "f4", &[8, 9, 5, 1], 2);
    feed(&site, "f3", &[9, 8, 3, 4, 5], 2);
    wait_for(dir.path(), "all nine articles", || stored(&mut db) == 9);
    // And every feed has been polled since, so nothing more is coming.
    let polls = |db: &mut Client| -> Vec<i64> {
        db.query("SELECT polls FROM watch_sources ORDER BY name", &[])
            .unwrap()
            .iter()
            .map(|r| r.get(0))
            .collect()
    };
    let before = polls(&mut db);
    wait_for(dir.path(), "two more polls of every feed", || {
        polls(&mut db).iter().zip(&before).all(|(a, b)| *a >= b + 2)
    });
    wait_for(dir.path(), "every article's events clustered", || {
        count(
            &mut db,
            "SELECT count(*) FROM events e WHERE NOT EXISTS
                 (SELECT 1 FROM incident_events ie WHERE ie.event_id = e.id)",
        ) == 0
    });

    // The sources pass from worker to worker: more than one is seen polling.
    let mut holders = std::collections::HashSet::new();
    wait_for(dir.path(), "two workers seen holding leases", || {
        for r in db
            .query(
                "SELECT lease_holder FROM watch_sources WHERE lease_until >= now()",
                &[],
            )
            .unwrap()
        {
            holders.insert(r.get::<_, String>(0));
        }
        holders.len() >= 2
    });
    // `rasd watch --status` names the worker polling a source while it polls.
    let pids: Vec<String> = workers.iter().map(|w| format!(":{}#", w.id())).collect();
    wait_for(dir.path(), "--status to show a lease", || {
        let out = common::run(
            &["watch", "--status", "--db", &scratch.url, "--json"],
            dir.path(),
        );
        let status: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
        status.as_array().unwrap().iter().any(|s| {
            s["lease_holder"]
                .as_str()
                .is_some_and(|h| pids.iter().any(|p| h.contains(p)))
                && s["lease_until"].is_string()
        })
    });

    // SIGTERM gives the leases back at once (they would last 30 s otherwise): stop
    // the first worker while it holds one.
    let pid = workers[0].id();
    wait_for(dir.path(), "the first worker to hold a lease", || {
        held_by(&mut db, pid) > 0
    });
    let status = terminate(&mut workers[0]);
    assert!(
        status.success(),
        "exit {status:?}; logs:\n{}",
        logs(dir.path())
    );
    assert_eq!(held_by(&mut db, pid), 0, "{}", logs(dir.path()));
    for w in &mut workers[1..] {
        let status = terminate(w);
        assert!(
            status.success(),
            "exit {status:?}; logs:\n{}",
            logs(dir.path())
        );
    }
    assert_eq!(
        count(
            &mut db,
            "SELECT count(*) FROM watch_sources WHERE lease_holder IS NOT NULL"
        ),
        0
    );
    assert_eq!(
        count(
            &mut db,
            "SELECT count(*) FROM watch_items WHERE claimed_by IS NOT NULL"
        ),
        0
    );

    // Each source was polled by one worker at a time, and every page fetched once.
    for f in ["f1", "f2", "f3", "f4"] {
        let path = format!("/{f}.xml");
        assert_eq!(site.peak_in_flight(&path), 1, "{f} polled twice at once");
        assert!(site.hits_of(&path).len() >= 3);
    }
    for n in 1..=9 {
        assert_eq!(
            site.hits_of(&format!("/a/{n}")).len(),
            1,
            "article {n} fetched more than once"
        );
    }
    // Every article stored once, its events coded once and clustered into incidents.
    assert_eq!(count(&mut db, "SELECT count(*) FROM documents"), 9);
    assert_eq!(
        count(&mut db, "SELECT count(DISTINCT url) FROM articles"),
        9
    );
    let events = count(&mut db, "SELECT count(*) FROM events");
    assert!(events > 0);
    assert_eq!(
        count(&mut db, "SELECT sum(events)::bigint FROM watch_items"),
        events
    );
    assert_eq!(
        count(
            &mut db,
            "SELECT sum(events_coded)::bigint FROM watch_sources"
        ),
        events
    );
    assert_eq!(
        count(&mut db, "SELECT sum(items_read)::bigint FROM watch_sources"),
        9
    );
    assert!(count(&mut db, "SELECT count(*) FROM incidents") >= 1);

    // `rasd watch --status` reads the shared database.
    let out = common::run(
        &["watch", "--status", "--db", &scratch.url, "--json"],
        dir.path(),
    );
    assert!(out.status.success());
    let status: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(status.as_array().unwrap().len(), 4);
    assert!(status[0]["lease_holder"].is_null());
}

#[test]
fn a_worker_killed_mid_fetch_loses_its_source_to_another_after_the_lease() {
    let Some(scratch) = ScratchDb::from_env() else {
        return;
    };
    let site = Site::start();
    let dir = tempfile::tempdir().unwrap();
    article(&site, 1);
    // Article 2 is slow: the first worker is killed while it waits for it.
    site.set(
        "/a/2",
        Reply {
            delay: Duration::from_secs(4),
            ..Reply::ok("text/html; charset=utf-8", page("تقرير رقم 2", REPORTS[2]))
        },
    );
    site.set(
        "/news.xml",
        Reply {
            etag: Some("\"v1\"".into()),
            ..Reply::ok(
                "application/rss+xml",
                rss(
                    "news",
                    &[
                        ("تقرير رقم 1", "/a/1", "ملخص"),
                        ("تقرير رقم 2", "/a/2", "ملخص"),
                    ],
                ),
            )
        },
    );
    let file = sources(&site, &["news"], "3s");
    let mut first = spawn_worker(dir.path(), "first", &scratch.url, &file);
    wait_for(
        dir.path(),
        "the first worker to fetch the slow article",
        || !site.hits_of("/a/2").is_empty(),
    );
    let mut db = Client::connect(&scratch.url, NoTls).unwrap();
    let pid = first.id();
    let holder: String = db
        .query_one(
            "SELECT lease_holder FROM watch_sources WHERE name = 'news'",
            &[],
        )
        .unwrap()
        .get(0);
    assert!(holder.contains(&format!(":{pid}#")), "{holder}");
    assert_eq!(
        count(
            &mut db,
            "SELECT count(*) FROM watch_items WHERE claimed_by IS NOT NULL"
        ),
        2,
        "both articles claimed"
    );
    // When its lease runs out unless renewed (on the database's clock, measured
    // from here).
    let left: f64 = db
        .query_one(
            "SELECT extract(epoch FROM lease_until - now())::float8 FROM watch_sources
             WHERE name = 'news'",
            &[],
        )
        .unwrap()
        .get(0);
    let expiry = Instant::now() + Duration::from_secs_f64(left.max(0.0));
    first.kill().unwrap(); // SIGKILL, mid-fetch
    first.wait().unwrap();
    let hits_before = |site: &Site, path: &str| site.hits_of(path).len();
    let (a1, a2) = (hits_before(&site, "/a/1"), hits_before(&site, "/a/2"));
    let polled = hits_before(&site, "/news.xml");

    let mut others = [
        spawn_worker(dir.path(), "second", &scratch.url, &file),
        spawn_worker(dir.path(), "third", &scratch.url, &file),
    ];
    wait_for(dir.path(), "both articles stored", || {
        count(
            &mut db,
            "SELECT count(*) FROM watch_items WHERE fetched_at IS NOT NULL",
        ) == 2
    });
    // Nobody polled the source before the killed worker's lease ran out.
    let taken_at = site.hits_of("/news.xml")[polled].at;
    assert!(
        taken_at + Duration::from_millis(100) >= expiry,
        "polled {:?} before the lease expired",
        expiry - taken_at
    );
    let log = logs(dir.path());
    assert!(
        log.contains(&format!("the lease of worker {holder} expired")),
        "{log}"
    );
    for w in &mut others {
        let status = terminate(w);
        assert!(
            status.success(),
            "exit {status:?}; logs:\n{}",
            logs(dir.path())
        );
    }
    // What the killed worker fetched was never stored, so it was fetched again, once.
    assert_eq!(site.hits_of("/a/1").len(), a1 + 1);
    assert_eq!(site.hits_of("/a/2").len(), a2 + 1);
    assert_eq!(count(&mut db, "SELECT count(*) FROM documents"), 2);
    assert_eq!(
        count(
            &mut db,
            "SELECT count(*) FROM watch_items WHERE document_id IS NOT NULL AND error IS NULL"
        ),
        2
    );
    assert_eq!(
        count(&mut db, "SELECT sum(events)::bigint FROM watch_items"),
        count(&mut db, "SELECT count(*) FROM events")
    );
    assert_eq!(
        count(
            &mut db,
            "SELECT count(*) FROM watch_sources WHERE lease_holder IS NOT NULL"
        ),
        0
    );
    // The status shows who holds each lease while workers run: nobody now.
    let out = common::run(&["watch", "--status", "--db", &scratch.url], dir.path());
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(out.status.success(), "{text}");
    assert!(text.contains("news"), "{text}");
}

#[test]
fn a_worker_leases_no_more_sources_than_it_can_soon_poll() {
    let Some(scratch) = ScratchDb::from_env() else {
        return;
    };
    let site = Site::start();
    let dir = tempfile::tempdir().unwrap();
    let names: Vec<String> = (1..=6).map(|k| format!("s{k}")).collect();
    for (k, name) in names.iter().enumerate() {
        article(&site, k + 1);
        site.set(
            &format!("/{name}.xml"),
            Reply {
                delay: Duration::from_millis(800),
                ..Reply::ok(
                    "application/rss+xml",
                    rss(
                        name,
                        &[(
                            &format!("تقرير رقم {}", k + 1),
                            &format!("/a/{}", k + 1),
                            "ملخص",
                        )],
                    ),
                )
            },
        )
    }
    // One fetching thread each: a worker may hold two leases (one polling, one
    // waiting for its writer), and leaves the other sources to the other worker.
    let refs: Vec<&str> = names.iter().map(String::as_str).collect();
    let file = sources(&site, &refs, "30s").replace("per_host = 8", "per_host = 8\nworkers = 1");
    let mut workers = [
        spawn_worker(dir.path(), "a", &scratch.url, &file),
        spawn_worker(dir.path(), "b", &scratch.url, &file),
    ];
    let mut db = Client::connect(&scratch.url, NoTls).unwrap();
    let mut most = 0;
    wait_for(dir.path(), "all six articles", || {
        let tables = db
            .query_opt(
                "SELECT 1 FROM pg_tables WHERE tablename = 'watch_items'",
                &[],
            )
            .unwrap()
            .is_some();
        if !tables {
            return false;
        }
        most = most.max(count(
            &mut db,
            "SELECT coalesce(max(n), 0) FROM (SELECT count(*) AS n FROM watch_sources
                 WHERE lease_until >= now() GROUP BY lease_holder) AS per_worker",
        ));
        count(
            &mut db,
            "SELECT count(*) FROM watch_items WHERE fetched_at IS NOT NULL",
        ) == 6
    });
    for w in &mut workers {
        let status = terminate(w);
        assert!(
            status.success(),
            "exit {status:?}; logs:\n{}",
            logs(dir.path())
        );
    }
    assert!(
        (1..=2).contains(&most),
        "a worker held {most} leases at once"
    );
    assert_eq!(count(&mut db, "SELECT count(*) FROM documents"), 6);
}

#[test]
fn a_worker_whose_connections_are_cut_connects_again_and_goes_on() {
    let Some(scratch) = ScratchDb::from_env() else {
        return;
    };
    let site = Site::start();
    let dir = tempfile::tempdir().unwrap();
    article(&site, 1);
    article(&site, 2);
    feed(&site, "news", &[1], 1);
    let mut worker = spawn_worker(
        dir.path(),
        "w",
        &scratch.url,
        &sources(&site, &["news"], "3s"),
    );
    let mut db = Client::connect(&scratch.url, NoTls).unwrap();
    let stored = |db: &mut Client| {
        db.query_opt(
            "SELECT 1 FROM pg_tables WHERE tablename = 'watch_items'",
            &[],
        )
        .unwrap()
        .is_some()
            && count(
                db,
                "SELECT count(*) FROM watch_items WHERE fetched_at IS NOT NULL",
            ) == 1
    };
    wait_for(dir.path(), "the first article", || stored(&mut db));
    // The worker's connections are closed by the server, as when it restarts.
    let cut = count(
        &mut db,
        "SELECT count(*) FROM (SELECT pg_terminate_backend(pid) FROM pg_stat_activity
             WHERE datname = current_database() AND pid <> pg_backend_pid()) AS t",
    );
    assert!(cut >= 2, "{cut} connections cut");
    feed(&site, "news", &[2, 1], 2);
    wait_for(dir.path(), "the second article", || {
        count(
            &mut db,
            "SELECT count(*) FROM watch_items WHERE fetched_at IS NOT NULL",
        ) == 2
    });
    let status = terminate(&mut worker);
    assert!(
        status.success(),
        "exit {status:?}; logs:\n{}",
        logs(dir.path())
    );
    assert!(logs(dir.path()).contains("connected to the database again"));
    assert_eq!(count(&mut db, "SELECT count(*) FROM documents"), 2);
}
