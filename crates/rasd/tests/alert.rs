//! `rasd alert` end to end, with a webhook receiver on 127.0.0.1 (rasd_watch::testing):
//! the command line and its errors; a store filled by `rasd ingest` and sent by
//! `rasd alert run --once` (twice: the second sends nothing); a sender killed (-9)
//! mid-POST; and `rasd watch` reading a local feed whose item about Daraa with deaths
//! reaches the receiver once.

mod common;
#[path = "common/feeds.rs"]
mod feeds;

use feeds::{RAQQA, Reply, Site, TAFAS, page, rss};
use rasd_watch::testing::Receiver;
use std::path::Path;
use std::process::{Output, Stdio};
use std::time::{Duration, Instant};

fn ok(out: &Output) -> String {
    assert!(
        out.status.success(),
        "exit {:?}\nstdout:\n{}\nstderr:\n{}",
        out.status,
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8_lossy(&out.stdout).into_owned()
}

fn fails(out: &Output, code: i32, says: &str) {
    let err = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(code), "stderr:\n{err}");
    assert!(err.contains(says), "expected {says:?} in:\n{err}");
}

fn add_daraa_deaths(dir: &Path, db: &str, hook: &str) {
    ok(&common::run(
        &[
            "alert",
            "add",
            "--name",
            "daraa-deaths",
            "--admin1",
            "درعا",
            "--min-fatalities",
            "1",
            "--webhook",
            hook,
            "--db",
            db,
        ],
        dir,
    ));
}

#[test]
fn alerts_are_added_listed_and_removed_with_clear_errors() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    add_daraa_deaths(d, "a.db", "http://127.0.0.1:9/hook");
    ok(&common::run(
        &[
            "alert",
            "add",
            "--name",
            "shelling.lb",
            "--type",
            "explosions_remote_violence",
            "--country",
            "lb",
            "--actor",
            "hezbollah",
            "--webhook",
            "https://hooks.example.org/rasd",
            "--db",
            "a.db",
        ],
        d,
    ));
    fails(
        &common::run(
            &[
                "alert",
                "add",
                "--name",
                "daraa-deaths",
                "--webhook",
                "http://127.0.0.1:9/x",
                "--db",
                "a.db",
            ],
            d,
        ),
        1,
        "an alert named \"daraa-deaths\" exists already",
    );
    fails(
        &common::run(
            &[
                "alert",
                "add",
                "--name",
                "x",
                "--webhook",
                "hooks.example.org/x",
                "--db",
                "a.db",
            ],
            d,
        ),
        2,
        "webhook \"hooks.example.org/x\": not an http:// or https:// URL",
    );
    fails(
        &common::run(
            &[
                "alert",
                "add",
                "--name",
                "x",
                "--country",
                "Syria",
                "--webhook",
                "http://h/",
                "--db",
                "a.db",
            ],
            d,
        ),
        2,
        "country \"Syria\"",
    );
    fails(
        &common::run(&["alert", "rm", "nothing", "--db", "a.db"], d),
        1,
        "no alert named \"nothing\" in a.db",
    );
    let table = ok(&common::run(&["alert", "list", "--db", "a.db"], d));
    assert!(
        table.contains("daraa-deaths") && table.contains("admin1=درعا min_fatalities=1"),
        "{table}"
    );
    assert!(table.contains("country=LB"), "{table}");
    let json: serde_json::Value = serde_json::from_str(&ok(&common::run(
        &["alert", "list", "--json", "--db", "a.db"],
        d,
    )))
    .unwrap();
    let names: Vec<&str> = json
        .as_array()
        .unwrap()
        .iter()
        .map(|a| a["name"].as_str().unwrap())
        .collect();
    assert_eq!(names, ["daraa-deaths", "shelling.lb"]);
    assert_eq!(
        json[1]["filter"]["event_type"],
        "explosions_remote_violence"
    );
    assert_eq!(json[0]["webhook"], "http://127.0.0.1:9/hook");
    ok(&common::run(
        &["alert", "rm", "daraa-deaths", "--db", "a.db"],
        d,
    ));
    let json: serde_json::Value = serde_json::from_str(&ok(&common::run(
        &["alert", "list", "--json", "--db", "a.db"],
        d,
    )))
    .unwrap();
    assert_eq!(json.as_array().unwrap().len(), 1);
    fails(
        &common::run(&["alert", "list", "--db", "none.db"], d),
        1,
        "none.db: no store here",
    );
}

#[test]
fn a_batch_store_is_sent_by_alert_run_once_and_never_twice() {
    let hook = Receiver::start();
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    add_daraa_deaths(d, "b.db", &hook.url);
    std::fs::create_dir(d.join("in")).unwrap();
    // Pages with a publication time, which dates «اليوم الاثنين».
    std::fs::write(d.join("in/tafas.html"), page("طفس", TAFAS)).unwrap();
    std::fs::write(d.join("in/raqqa.html"), page("الرقة", RAQQA)).unwrap();
    ok(&common::run(&["ingest", "in", "--db", "b.db"], d));
    // The clustering pass of `rasd export` makes the incidents.
    ok(&common::run(
        &[
            "export", "--format", "jsonl", "--db", "b.db", "-o", "x.jsonl",
        ],
        d,
    ));
    ok(&common::run(&["alert", "run", "--once", "--db", "b.db"], d));
    let got = hook.got();
    assert_eq!(got.len(), 1, "{got:?}");
    let p: serde_json::Value = serde_json::from_str(&got[0].body).unwrap();
    assert_eq!(p["alert"], "daraa-deaths");
    let id = p["incident_id"].as_str().unwrap();
    assert_eq!(p["link"], format!("/api/incidents/{id}"));
    let e = &p["events"][0];
    assert_eq!(e["place"]["admin1"], "درعا");
    assert!(e["fatalities"].as_u64().unwrap() >= 1, "{e}");
    assert_eq!(e["source"]["doc_id"], "tafas");
    assert!(got[0].key.as_deref().unwrap().ends_with(&format!("-{id}")));
    // Again: nothing new, nothing sent.
    ok(&common::run(&["alert", "run", "--once", "--db", "b.db"], d));
    std::thread::sleep(Duration::from_millis(300));
    assert_eq!(hook.got().len(), 1);
    let json: serde_json::Value = serde_json::from_str(&ok(&common::run(
        &["alert", "list", "--json", "--db", "b.db"],
        d,
    )))
    .unwrap();
    assert_eq!(json[0]["delivered"], 1);
    assert_eq!(json[0]["pending"], 0);
}

/// The exactly-once boundary: a sender killed (-9) while the receiver holds its POST
/// leaves the delivery leased; once the lease runs out it is sent again with the same
/// idempotency key, recorded delivered once, and never sent a third time.
#[test]
fn a_sender_killed_mid_post_sends_again_with_the_same_key() {
    let hook = Receiver::start();
    hook.set_delay(60_000);
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    add_daraa_deaths(d, "k.db", &hook.url);
    std::fs::create_dir(d.join("in")).unwrap();
    std::fs::write(d.join("in/tafas.html"), page("طفس", TAFAS)).unwrap();
    ok(&common::run(&["ingest", "in", "--db", "k.db"], d));
    ok(&common::run(
        &[
            "export", "--format", "jsonl", "--db", "k.db", "-o", "x.jsonl",
        ],
        d,
    ));
    let mut child = common::rasd()
        .args(["alert", "run", "--db", "k.db", "--timeout", "2s"])
        .current_dir(d)
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    hook.wait_for(1, 60);
    child.kill().unwrap();
    child.wait().unwrap();
    // Leased by the dead sender: not sent again at once.
    ok(&common::run(&["alert", "run", "--once", "--db", "k.db"], d));
    assert_eq!(hook.got().len(), 1);
    hook.set_delay(0);
    let start = Instant::now();
    while hook.got().len() < 2 {
        assert!(
            start.elapsed() < Duration::from_secs(60),
            "not sent again after the lease"
        );
        ok(&common::run(&["alert", "run", "--once", "--db", "k.db"], d));
        std::thread::sleep(Duration::from_millis(500));
    }
    let got = hook.got();
    assert_eq!(got.len(), 2);
    assert_eq!(got[0].key, got[1].key);
    assert_eq!(got[0].body, got[1].body);
    ok(&common::run(&["alert", "run", "--once", "--db", "k.db"], d));
    assert_eq!(hook.got().len(), 2);
    let json: serde_json::Value = serde_json::from_str(&ok(&common::run(
        &["alert", "list", "--json", "--db", "k.db"],
        d,
    )))
    .unwrap();
    assert_eq!(
        (json[0]["delivered"].as_u64(), json[0]["pending"].as_u64()),
        (Some(1), Some(0))
    );
}

#[test]
fn watch_sends_one_payload_for_a_feed_item_about_daraa_with_deaths() {
    let hook = Receiver::start();
    let site = Site::start();
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    add_daraa_deaths(d, "w.db", &hook.url);
    site.set(
        "/feed.xml",
        Reply::ok(
            "application/rss+xml",
            rss("شبكة تجريبية", &[("قصف على طفس", "/news/1", TAFAS)]),
        ),
    );
    let sources = format!(
        "[watch]\nhost_delay = \"0ms\"\n\n[[source]]\nname = \"feed\"\nurl = \"{}\"\nkind = \"feed\"\ninterval = \"1s\"\n",
        site.url("/feed.xml")
    );
    let spawn = || common::spawn_watch(d, "watch", "w.db", &sources);
    let mut child = spawn();
    let log = || std::fs::read_to_string(d.join("watch.log")).unwrap_or_default();
    let got = std::panic::catch_unwind(|| hook.wait_for(1, 90)).unwrap_or_else(|_| {
        let _ = child.kill();
        panic!("no webhook call; log:\n{}", log())
    });
    let p: serde_json::Value = serde_json::from_str(&got[0].body).unwrap();
    assert_eq!(p["alert"], "daraa-deaths");
    assert!(p["events"][0]["fatalities"].as_u64().unwrap() >= 1);
    assert!(
        p["events"][0]["source"]["url"]
            .as_str()
            .unwrap()
            .ends_with("/news/1")
    );
    // A new item elsewhere, without deaths, is stored and sends nothing.
    site.set(
        "/feed.xml",
        Reply::ok(
            "application/rss+xml",
            rss(
                "شبكة تجريبية",
                &[
                    ("قصف على طفس", "/news/1", TAFAS),
                    ("الرقة", "/news/2", RAQQA),
                ],
            ),
        ),
    );
    let start = Instant::now();
    loop {
        let store = rasd_store::Store::open(&d.join("w.db")).unwrap();
        if store
            .watch_source("feed")
            .unwrap()
            .is_some_and(|f| f.items_read == 2)
            && store.unclustered_events().unwrap().is_empty()
        {
            break;
        }
        assert!(
            start.elapsed() < Duration::from_secs(90),
            "the second item was not stored; log:\n{}",
            log()
        );
        std::thread::sleep(Duration::from_millis(200));
    }
    // Give the sender (reading the change log each second) time to act wrongly.
    std::thread::sleep(Duration::from_secs(3));
    assert_eq!(hook.got().len(), 1, "{:?}", hook.got());
    assert!(log().contains("delivered"), "{}", log());
    let stop = |child: &mut std::process::Child| common::terminate(child, 30);
    let status = stop(&mut child);
    assert!(status.success(), "exit {status:?}; log:\n{}", log());
    // A restart polls again and sends nothing again.
    let polls = |s: &rasd_store::Store| s.watch_source("feed").unwrap().map_or(0, |f| f.polls);
    let before = polls(&rasd_store::Store::open(&d.join("w.db")).unwrap());
    let mut child = spawn();
    let start = Instant::now();
    while polls(&rasd_store::Store::open(&d.join("w.db")).unwrap()) < before + 2 {
        assert!(
            start.elapsed() < Duration::from_secs(60),
            "no poll after the restart; log:\n{}",
            log()
        );
        std::thread::sleep(Duration::from_millis(200));
    }
    let status = stop(&mut child);
    assert!(status.success(), "exit {status:?}; log:\n{}", log());
    assert_eq!(hook.got().len(), 1, "{:?}", hook.got());
}

/// On a shared PostgreSQL database: the alert is added, listed and removed there, a
/// worker's `rasd ingest` makes the incident, and three `rasd alert run --once`
/// processes started together send it once between them. Needs `RASD_TEST_POSTGRES`
/// (see rasd_store_pg::scratch); without it the test says so and skips.
#[test]
fn alerts_on_postgres_are_sent_once_by_several_senders() {
    let Some(db) = rasd_store_pg::scratch::ScratchDb::from_env() else {
        return;
    };
    let url = db.url.as_str();
    let hook = Receiver::start();
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    add_daraa_deaths(d, url, &hook.url);
    fails(
        &common::run(
            &[
                "alert",
                "add",
                "--name",
                "daraa-deaths",
                "--webhook",
                &hook.url,
                "--db",
                url,
            ],
            d,
        ),
        1,
        "exists already",
    );
    std::fs::create_dir(d.join("in")).unwrap();
    std::fs::write(d.join("in/tafas.html"), page("طفس", TAFAS)).unwrap();
    std::fs::write(d.join("in/raqqa.html"), page("الرقة", RAQQA)).unwrap();
    // A worker clusters what it stored into the shared incidents when it ends.
    ok(&common::run(&["ingest", "in", "--db", url], d));
    let senders: Vec<_> = (0..3)
        .map(|_| {
            common::rasd()
                .args(["alert", "run", "--once", "--db", url])
                .current_dir(d)
                .stdout(Stdio::null())
                .stderr(Stdio::piped())
                .spawn()
                .unwrap()
        })
        .collect();
    for s in senders {
        ok(&s.wait_with_output().unwrap());
    }
    std::thread::sleep(Duration::from_millis(300));
    let got = hook.got();
    assert_eq!(got.len(), 1, "{got:?}");
    let p: serde_json::Value = serde_json::from_str(&got[0].body).unwrap();
    assert_eq!(p["events"][0]["source"]["doc_id"], "tafas");
    let json: serde_json::Value = serde_json::from_str(&ok(&common::run(
        &["alert", "list", "--json", "--db", url],
        d,
    )))
    .unwrap();
    assert_eq!(json[0]["delivered"], 1, "{json}");
    assert_eq!(json[0]["pending"], 0, "{json}");
    ok(&common::run(
        &["alert", "rm", "daraa-deaths", "--db", url],
        d,
    ));
    let list = ok(&common::run(&["alert", "list", "--db", url], d));
    assert!(list.contains("no alerts"), "{list}");
}
