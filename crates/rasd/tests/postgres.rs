//! Several `rasd ingest` workers sharing one PostgreSQL store, then `rasd events` and
//! `rasd export` reading it. Needs `RASD_TEST_POSTGRES` (see rasd_store_pg::scratch);
//! without it the test says so and skips.

mod common;

use common::run as rasd;
use rasd_store_pg::scratch::ScratchDb;
use std::process::Output;

fn ok(out: &Output) -> String {
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8(out.stdout.clone()).unwrap()
}

#[test]
fn workers_share_a_postgres_store() {
    let Some(db) = ScratchDb::from_env() else {
        return;
    };
    let dir = tempfile::tempdir().unwrap();
    let cwd = dir.path();
    let samples = concat!(env!("CARGO_MANIFEST_DIR"), "/../../samples");
    let url = db.url.as_str();

    // What the samples code to, without any store.
    let coded = ok(&rasd(&["code", samples], cwd));
    let n_events: usize = coded
        .lines()
        .map(|l| {
            let v: serde_json::Value = serde_json::from_str(l).unwrap();
            v["events"].as_array().unwrap().len()
        })
        .sum();
    assert!(n_events > 0);

    // Three workers at once: two split the input by shard, a third takes all of it.
    let spawn = |extra: &[&str]| {
        let mut args = vec!["ingest", samples, "--db", url, "--batch-size", "2"];
        args.extend_from_slice(extra);
        common::rasd().args(&args).current_dir(cwd).output()
    };
    let (a, b, c) = std::thread::scope(|s| {
        let a = s.spawn(|| spawn(&["--shard", "0/2"]));
        let b = s.spawn(|| spawn(&["--shard", "1/2"]));
        let c = s.spawn(|| spawn(&[]));
        (
            a.join().unwrap().unwrap(),
            b.join().unwrap().unwrap(),
            c.join().unwrap().unwrap(),
        )
    });
    let (a, b, c) = (ok(&a), ok(&b), ok(&c));
    assert!(a.contains("postgres://"), "{a}");
    let new_of = |s: &str| -> usize {
        let at = s.find(" new,").expect("a summary line");
        s[..at].rsplit(' ').next().unwrap().parse().unwrap()
    };
    assert_eq!(
        new_of(&a) + new_of(&b) + new_of(&c),
        8,
        "each document stored by exactly one worker:\n{a}{b}{c}"
    );
    assert!(a.contains("left to other shards"), "{a}");

    // Every event once, whoever coded it.
    let events = ok(&rasd(&["events", "--db", url, "--format", "jsonl"], cwd));
    assert_eq!(events.lines().count(), n_events);
    let table = ok(&rasd(&["events", "--db", url, "--limit", "1"], cwd));
    assert!(
        table.contains(&format!("1 of {n_events} matching events")),
        "{table}"
    );
    // A re-run stores nothing new.
    let again = ok(&rasd(&["ingest", samples, "--db", url], cwd));
    assert!(again.contains("0 new, 8 duplicate"), "{again}");

    let incidents = ok(&rasd(&["export", "--format", "jsonl", "--db", url], cwd));
    let sources: usize = incidents
        .lines()
        .map(|l| {
            let v: serde_json::Value = serde_json::from_str(l).unwrap();
            v["sources"].as_array().unwrap().len()
        })
        .sum();
    assert_eq!(sources, n_events, "every event is a source of one incident");

    // The dashboard needs the embedded store, and says so.
    let serve = rasd(&["serve", "--db", url], cwd);
    assert!(!serve.status.success());
    assert!(String::from_utf8_lossy(&serve.stderr).contains("embedded store"));
}
