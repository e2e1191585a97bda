//! `rasd watch` end to end against a news site served by the test on 127.0.0.1
//! (tests/common/feeds.rs) whose feeds change while the watcher runs: new items,
//! ETag and 304, a 500, a slow source, a malformed feed, a redirect loop, an
//! oversized answer, robots.txt; SIGTERM; kill -9 mid-poll and a restart.

mod common;
#[path = "common/feeds.rs"]
mod feeds;

use feeds::{IDLIB, NAWA, RAQQA, Reply, Site, TAFAS, page, rss};
use rasd_store::Store;
use std::path::Path;
use std::process::Child;
use std::time::{Duration, Instant};

fn spawn_watch(dir: &Path, sources: &str) -> Child {
    common::spawn_watch(dir, "watch", "w.db", sources)
}

fn log(dir: &Path) -> String {
    std::fs::read_to_string(dir.join("watch.log")).unwrap_or_default()
}

/// Waits (up to 90 s: a debug build codes slowly) until `ok` holds on the store.
fn wait_for(dir: &Path, what: &str, ok: impl Fn(&Store) -> bool) {
    let start = Instant::now();
    loop {
        if dir.join("w.db").exists() {
            if let Ok(store) = Store::open(&dir.join("w.db")) {
                if ok(&store) {
                    return;
                }
            }
        }
        assert!(
            start.elapsed() < Duration::from_secs(90),
            "timed out waiting for {what}; log:\n{}",
            log(dir)
        );
        std::thread::sleep(Duration::from_millis(200));
    }
}

fn source(store: &Store, name: &str) -> rasd_store::watch::WatchSource {
    store
        .watch_source(name)
        .unwrap()
        .unwrap_or_else(|| panic!("no source {name}"))
}

fn terminate(child: &mut Child) -> std::process::ExitStatus {
    common::terminate(child, 20)
}

fn count(store: &Store, sql: &str) -> i64 {
    store.connection().query_row(sql, [], |r| r.get(0)).unwrap()
}

#[test]
fn watch_stores_new_items_once_and_keeps_going_past_bad_sources() {
    let site = Site::start();
    let dir = tempfile::tempdir().unwrap();
    site.set(
        "/robots.txt",
        Reply::ok("text/plain", "User-agent: *\nDisallow: /private/\n"),
    );
    let feed1 = rss("شبكة تجريبية", &[("قصف على طفس", "/news/1", TAFAS)]);
    site.set(
        "/feed.xml",
        Reply {
            etag: Some("\"v1\"".into()),
            ..Reply::ok("application/rss+xml", feed1)
        },
    );
    site.set(
        "/list",
        Reply::ok(
            "text/html; charset=utf-8",
            "<html><body><a href=\"/articles/a\">a</a> <a href='/articles/b'>b</a>\
             <a href=\"/private/c\">c</a><a href=\"/\">home</a></body></html>",
        ),
    );
    site.set("/articles/a", Reply::ok("text/html", page("إدلب", IDLIB)));
    site.set("/articles/b", Reply::ok("text/html", page("الرقة", RAQQA)));
    site.set("/private/c", Reply::ok("text/html", page("نوى", NAWA)));
    site.set("/err", Reply::status(500));
    site.set(
        "/slow",
        Reply {
            delay: Duration::from_secs(4),
            ..Reply::ok("application/rss+xml", rss("x", &[("y", "/news/9", NAWA)]))
        },
    );
    site.set(
        "/bad.xml",
        Reply::ok("application/rss+xml", "<rss><channel><item><title>x</titl"),
    );
    site.set("/loop", Reply::redirect("/loop"));
    site.set(
        "/huge",
        Reply::ok("application/rss+xml", vec![b' '; 300 * 1024]),
    );
    let src = |name: &str, path: &str, kind: &str| {
        format!(
            "[[source]]\nname = \"{name}\"\nurl = \"{}\"\nkind = \"{kind}\"\ninterval = \"1s\"\n",
            site.url(path)
        )
    };
    let sources = format!(
        "[watch]\ntimeout = \"1s\"\nconnect_timeout = \"1s\"\nhost_delay = \"0ms\"\nper_host = 8\n\
         max_bytes = 100000\nmax_backoff = \"2s\"\n\n{}{}{}{}{}{}{}",
        src("feed", "/feed.xml", "feed"),
        src("list", "/list", "listing"),
        src("err", "/err", "feed"),
        src("slow", "/slow", "feed"),
        src("bad", "/bad.xml", "feed"),
        src("loop", "/loop", "feed"),
        src("huge", "/huge", "feed"),
    );
    let mut child = spawn_watch(dir.path(), &sources);
    wait_for(dir.path(), "the first items", |s| {
        s.watch_source("feed")
            .ok()
            .flatten()
            .is_some_and(|f| f.items_read == 1)
            && s.watch_source("list")
                .ok()
                .flatten()
                .is_some_and(|l| l.items_read == 2)
    });
    wait_for(dir.path(), "a 304 for the unchanged feed", |s| {
        s.watch_source("feed")
            .ok()
            .flatten()
            .is_some_and(|f| f.not_modified >= 1)
    });
    // The feed gains an item while the watcher runs.
    let feed2 = rss(
        "شبكة تجريبية",
        &[("قصف على طفس", "/news/1", TAFAS), ("نوى", "/news/2", NAWA)],
    );
    site.set(
        "/feed.xml",
        Reply {
            etag: Some("\"v2\"".into()),
            ..Reply::ok("application/rss+xml", feed2)
        },
    );
    wait_for(dir.path(), "the added item", |s| {
        s.watch_source("feed")
            .ok()
            .flatten()
            .is_some_and(|f| f.items_read == 2)
    });
    // Every bad source has failed at least twice (so it was retried) by now.
    wait_for(dir.path(), "the bad sources to be retried", |s| {
        ["err", "slow", "bad", "loop", "huge"].iter().all(|n| {
            s.watch_source(n)
                .ok()
                .flatten()
                .is_some_and(|x| x.polls >= 2)
        })
    });
    let status = terminate(&mut child);
    assert!(
        status.success(),
        "exit {status:?}; log:\n{}",
        log(dir.path())
    );

    let store = Store::open(&dir.path().join("w.db")).unwrap();
    let reason = |n: &str| source(&store, n).last_error.unwrap_or_default();
    assert!(reason("err").contains("HTTP 500"), "{}", reason("err"));
    assert!(
        reason("slow").contains("no answer within"),
        "{}",
        reason("slow")
    );
    assert!(
        reason("bad").contains("malformed feed"),
        "{}",
        reason("bad")
    );
    assert!(reason("loop").contains("redirect"), "{}", reason("loop"));
    assert!(reason("huge").contains("limit"), "{}", reason("huge"));
    let text = log(dir.path());
    for n in ["err", "slow", "bad", "loop", "huge"] {
        assert!(
            text.contains(&format!("source {n} (")),
            "{n} not logged:\n{text}"
        );
        assert!(source(&store, n).last_success.is_none());
    }
    let feed = source(&store, "feed");
    assert_eq!(feed.etag.as_deref(), Some("\"v2\""));
    assert!(feed.not_modified >= 1, "no 304 was counted: {feed:?}");
    assert_eq!(feed.failures, 0);
    assert!(feed.events_coded >= 2, "{feed:?}");

    // Conditional GETs: the validators of the last answer went back, and got 304s.
    let hits = site.hits_of("/feed.xml");
    assert!(
        hits.iter()
            .any(|h| h.if_none_match.as_deref() == Some("\"v1\"") && h.status == 304),
        "{hits:?}"
    );
    assert!(hits.iter().all(|h| {
        h.user_agent
            .as_deref()
            .is_some_and(|u| u.starts_with("rasd-watch/"))
    }));
    // Article pages fetched once each, whatever the number of polls; robots obeyed.
    assert_eq!(site.hits_of("/articles/a").len(), 1);
    assert_eq!(site.hits_of("/articles/b").len(), 1);
    assert_eq!(site.hits_of("/private/c").len(), 0);
    assert!(site.hits_of("/list").len() >= 3);

    // Everything went through the pipeline: articles, events, incidents.
    // The page robots.txt forbids is recorded with the reason, and never asked for.
    assert_eq!(count(&store, "SELECT count(*) FROM watch_items"), 5);
    assert_eq!(
        count(
            &store,
            "SELECT count(*) FROM watch_items WHERE error LIKE 'robots.txt%disallows /private/c'"
        ),
        1
    );
    assert_eq!(count(&store, "SELECT count(*) FROM documents"), 4);
    assert_eq!(count(&store, "SELECT count(*) FROM articles"), 4);
    let events = count(&store, "SELECT count(*) FROM events");
    assert!(events >= 4, "{events} events");
    assert_eq!(
        count(&store, "SELECT count(*) FROM incident_events"),
        events,
        "every event clustered as it arrived"
    );
    assert!(store.unclustered_events().unwrap().is_empty());
    // The fetch time has its own field; `published` is the item's own date.
    // (the feed's first item: which source is stored first is up to the scheduler)
    let first_item = count(
        &store,
        "SELECT id FROM documents WHERE json_extract(meta, '$.url') LIKE '%/news/1'",
    );
    let doc = store
        .get_document(rasd_store::DocumentId(first_item))
        .unwrap()
        .unwrap();
    assert!(doc.meta.fetched.is_some(), "{:?}", doc.meta);
    assert_eq!(
        doc.meta.published.map(|p| p.to_string()).as_deref(),
        Some("2024-09-02T09:00:00+03:00")
    );

    // The change feed over the same store lists every stored event, each in its
    // incident, and the incidents themselves.
    let server = rasd_server::start(
        rasd_server::ServerConfig::new(dir.path().join("w.db")),
        "127.0.0.1:0".parse().unwrap(),
    )
    .unwrap();
    let mut res = ureq::get(&format!(
        "http://{}/api/changes?since=0&limit=1000",
        server.addr()
    ))
    .call()
    .unwrap();
    let feed: serde_json::Value =
        serde_json::from_str(&res.body_mut().read_to_string().unwrap()).unwrap();
    let entries = feed["changes"].as_array().unwrap();
    let live_events: Vec<&serde_json::Value> = entries
        .iter()
        .filter(|c| c["entity"] == "event" && c["op"] != "deleted")
        .collect();
    assert_eq!(live_events.len() as i64, events, "{feed}");
    assert!(
        live_events
            .iter()
            .all(|c| c["event"]["incident"].is_string())
    );
    assert!(
        entries
            .iter()
            .any(|c| c["entity"] == "incident" && c["op"] != "deleted")
    );
    let mut res = ureq::get(&format!("http://{}/api/watch/sources", server.addr()))
        .call()
        .unwrap();
    let watched = res.body_mut().read_to_string().unwrap();
    assert!(
        watched.contains("HTTP 500") && watched.contains("\"items_read\":2"),
        "{watched}"
    );
    server.shutdown();

    // `rasd watch --status` shows the same.
    let out = common::run(&["watch", "--status", "--db", "w.db"], dir.path());
    assert!(out.status.success());
    let table = String::from_utf8_lossy(&out.stdout);
    assert!(
        table.contains("feed") && table.contains("HTTP 500"),
        "{table}"
    );

    // A restart fetches no page it already stored.
    let before = source(&store, "list").polls;
    let mut child = spawn_watch(dir.path(), &sources);
    wait_for(dir.path(), "a poll after the restart", |s| {
        s.watch_source("list")
            .ok()
            .flatten()
            .is_some_and(|l| l.polls > before)
    });
    assert!(terminate(&mut child).success());
    assert_eq!(site.hits_of("/articles/a").len(), 1);
    assert_eq!(count(&store, "SELECT count(*) FROM documents"), 4);
}

#[test]
fn a_kill_9_mid_poll_then_a_restart_loses_and_duplicates_nothing() {
    let site = Site::start();
    let dir = tempfile::tempdir().unwrap();
    let bodies = [TAFAS, IDLIB, NAWA, RAQQA, TAFAS, IDLIB];
    let mut list = String::from("<html><body>");
    for (i, body) in bodies.iter().enumerate() {
        let path = format!("/slow-articles/{i}");
        list.push_str(&format!("<a href=\"{path}\">{i}</a>"));
        // Distinct pages (their own title) of known content, each slow to come.
        site.set(
            &path,
            Reply {
                delay: Duration::from_millis(600),
                ..Reply::ok("text/html", page(&format!("خبر {i}"), body))
            },
        );
    }
    site.set("/list", Reply::ok("text/html", list));
    let feed = rss(
        "شبكة",
        &[
            ("a", "/n/1", TAFAS),
            ("b", "/n/2", IDLIB),
            ("c", "/n/3", NAWA),
        ],
    );
    site.set("/feed.xml", Reply::ok("application/rss+xml", feed));
    let sources = format!(
        "[watch]\nhost_delay = \"0ms\"\nper_host = 1\n\n\
         [[source]]\nname = \"list\"\nurl = \"{}\"\nkind = \"listing\"\ninterval = \"1s\"\n\
         [[source]]\nname = \"feed\"\nurl = \"{}\"\nkind = \"feed\"\ninterval = \"1s\"\n",
        site.url("/list"),
        site.url("/feed.xml")
    );
    // Kill -9 at two moments of the slow listing's poll, then let a third run finish.
    for wait in [Duration::from_millis(1500), Duration::from_millis(2500)] {
        let mut child = spawn_watch(dir.path(), &sources);
        std::thread::sleep(wait);
        child.kill().unwrap(); // SIGKILL
        child.wait().unwrap();
    }
    let mut child = spawn_watch(dir.path(), &sources);
    wait_for(dir.path(), "every item", |s| {
        s.watch_source("list")
            .ok()
            .flatten()
            .is_some_and(|l| l.items_read == 6)
            && s.watch_source("feed")
                .ok()
                .flatten()
                .is_some_and(|f| f.items_read == 3)
    });
    assert!(terminate(&mut child).success());
    let store = Store::open(&dir.path().join("w.db")).unwrap();
    assert_eq!(store.check().unwrap(), Vec::<String>::new());
    assert_eq!(count(&store, "SELECT count(*) FROM watch_items"), 9);
    assert_eq!(count(&store, "SELECT count(*) FROM documents"), 9);
    assert_eq!(
        count(
            &store,
            "SELECT count(DISTINCT json_extract(meta, '$.url')) FROM documents"
        ),
        9
    );
    // The same reports coded alone give the same number of events: none lost, none twice.
    let per_body: i64 = count(&store, "SELECT count(*) FROM events");
    let items_events: i64 = count(&store, "SELECT sum(events) FROM watch_items");
    assert_eq!(per_body, items_events);
    let sources_events: i64 = count(&store, "SELECT sum(events_coded) FROM watch_sources");
    assert_eq!(per_body, sources_events);
    assert!(per_body >= 9, "{per_body} events");
    assert!(store.unclustered_events().unwrap().is_empty());
}
