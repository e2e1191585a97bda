//! Several `rasd ingest` workers sharing one PostgreSQL store, then `rasd events`,
//! `rasd export` and `rasd serve` reading it. Needs `RASD_TEST_POSTGRES` (see rasd_store_pg::scratch);
//! without it the test says so and skips.

mod common;

use common::run as rasd;
use rasd_store::review::ReviewStore;
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

    // The dashboard serves the shared store: every event, and the incidents the
    // workers clustered.
    let mut serve = common::rasd()
        .args(["serve", "--db", url, "--addr", "127.0.0.1:0"])
        .current_dir(cwd)
        .stderr(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    let mut lines = std::io::BufRead::lines(std::io::BufReader::new(serve.stderr.take().unwrap()));
    let addr = loop {
        let line = lines
            .next()
            .expect("rasd serve said where it listens")
            .unwrap();
        if let Some(rest) = line.split("dashboard on http://").nth(1) {
            break rest.split('/').next().unwrap().to_string();
        }
    };
    let get = |path: &str| -> serde_json::Value {
        let body = ureq::get(&format!("http://{addr}{path}"))
            .call()
            .unwrap()
            .body_mut()
            .read_to_string()
            .unwrap();
        serde_json::from_str(&body).unwrap()
    };
    assert_eq!(get("/api/events")["total"], n_events as u64);
    let listed = get("/api/incidents?limit=500");
    assert_eq!(
        listed["total"].as_u64().unwrap() as usize,
        incidents.lines().count(),
        "the dashboard lists the incidents `rasd export` wrote"
    );
    assert!(get("/api/changes?since=0")["count"].as_u64().unwrap() > 0);
    serve.kill().unwrap();
    serve.wait().unwrap();
}

/// A short fictional report, different for every `i` (one clash each).
fn report(i: usize) -> String {
    const PLACES: [&str; 6] = ["طفس", "جاسم", "سرمدا", "منبج", "الميادين", "تلبيسة"];
    let place = PLACES[i % PLACES.len()];
    format!(
        "موقع تجريبي\n2024.04.{:02} | 09:{:02} دمشق\nقُتل {} أشخاص وأصيب {} آخرون، صباح اليوم، في اشتباكات بين مسلحين مجهولين وقوات النظام في بلدة {place}.\nوقال مصدر محلي إن الاشتباكات استمرت {} ساعات قبل أن تهدأ، رقم التقرير {i}.\n",
        1 + i % 28,
        i % 60,
        2 + i % 5,
        1 + i % 7,
        1 + i % 4,
    )
}

/// Three workers re-code overlapping inputs of one database at once while a fourth
/// is killed (SIGKILL) mid-way, over a store an analyst has already reviewed:
/// afterwards every document and event is there once and no correction is lost.
#[test]
fn three_workers_and_a_killed_one_lose_and_duplicate_nothing() {
    const N: usize = 90;
    let Some(db) = ScratchDb::from_env() else {
        return;
    };
    let dir = tempfile::tempdir().unwrap();
    let cwd = dir.path();
    let url = db.url.as_str();
    // a/ holds reports 0..60, b/ 30..90: the middle third is in both.
    for (folder, range) in [("a", 0..60), ("b", 30..N)] {
        std::fs::create_dir(cwd.join(folder)).unwrap();
        for i in range {
            std::fs::write(cwd.join(folder).join(format!("r{i:03}.txt")), report(i)).unwrap();
        }
    }
    let coded = ok(&rasd(&["code", "a", "b"], cwd));
    let mut expected: std::collections::BTreeMap<String, usize> = Default::default();
    for l in coded.lines() {
        let v: serde_json::Value = serde_json::from_str(l).unwrap();
        let n = v["events"].as_array().unwrap().len();
        expected.insert(v["doc_id"].as_str().unwrap().to_string(), n);
    }
    assert_eq!(expected.len(), N);
    let n_events: usize = expected.values().sum();
    assert!(n_events >= N, "every report codes its clash");

    // A first ingest, then an analyst's review of two events.
    ok(&rasd(&["ingest", "a", "--db", url], cwd));
    let mut store = rasd_store_pg::PgStore::connect(url).unwrap();
    let user = store.add_user("mona", "0123456789abcdef0123").unwrap();
    let of = |store: &mut rasd_store_pg::PgStore, doc: &str, wrong: bool| {
        store
            .query_events(&rasd_store::EventFilter {
                doc_id: Some(doc.into()),
                include_wrong: wrong,
                ..Default::default()
            })
            .unwrap()
    };
    let corrected = of(&mut store, "r040", false)[0].id;
    store
        .correct_event(
            corrected,
            &user,
            &[("fatalities".into(), serde_json::json!(99))],
            None,
        )
        .unwrap();
    let wrong = of(&mut store, "r041", false)[0].id;
    store.mark_wrong(wrong, &user, true, None).unwrap();

    // Three workers re-coding overlapping inputs, and one killed mid-way.
    let worker = |paths: &[&str], batch: &str| {
        let mut args = vec!["ingest"];
        args.extend_from_slice(paths);
        args.extend_from_slice(&["--db", url, "--recode", "--batch-size", batch, "--quiet"]);
        let mut c = common::rasd();
        c.args(&args).current_dir(cwd);
        c
    };
    let mut doomed = worker(&["b", "a"], "1")
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::null())
        .spawn()
        .unwrap();
    let outs = std::thread::scope(|s| {
        let a = s.spawn(|| worker(&["a"], "4").output().unwrap());
        let b = s.spawn(|| worker(&["b"], "3").output().unwrap());
        let c = s.spawn(|| worker(&["a", "b"], "5").output().unwrap());
        std::thread::sleep(std::time::Duration::from_millis(1500));
        match doomed.try_wait().unwrap() {
            Some(status) => eprintln!("the fourth worker ended before the kill ({status})"),
            None => {
                doomed.kill().unwrap();
                eprintln!("the fourth worker killed mid-way");
            }
        }
        let _ = doomed.wait();
        [a.join().unwrap(), b.join().unwrap(), c.join().unwrap()]
    });
    for o in &outs {
        ok(o);
    }

    let check = |store: &mut rasd_store_pg::PgStore| {
        let counts = store.counts().unwrap();
        assert_eq!(counts.documents as usize, N, "each document once");
        assert_eq!(counts.articles as usize, N);
        assert_eq!(counts.events as usize, n_events, "each event once");
        for (doc, n) in &expected {
            assert_eq!(of(store, doc, true).len(), *n, "{doc}");
        }
        let fixed = of(store, "r040", false);
        assert_eq!(fixed[0].event.fatalities, Some(99), "the correction holds");
        assert!(of(store, "r041", false).is_empty(), "still marked wrong");
        assert_eq!(of(store, "r041", true).len(), 1);
        assert!(store.orphans().unwrap().is_empty());
    };
    check(&mut store);
    // A re-run after the kill resumes with nothing to add.
    let again = ok(&rasd(&["ingest", "a", "b", "--db", url], cwd));
    assert!(again.contains("0 new"), "{again}");
    check(&mut store);
    // No duplicate incident: as many as one worker alone makes of the same input.
    ok(&rasd(&["ingest", "a", "b", "--db", "alone.db"], cwd));
    ok(&rasd(
        &["export", "--format", "jsonl", "--db", "alone.db"],
        cwd,
    ));
    let alone = rasd_store::Store::open(&cwd.join("alone.db"))
        .unwrap()
        .incident_records()
        .unwrap()
        .len();
    assert_eq!(store.incident_count().unwrap() as usize, alone);
}

/// Two workers store two outlets' reports of the same clashes at the same moment;
/// each clusters what it stored when it ends (one pass at a time across workers), so
/// every clash is one incident with both reports as its sources.
#[test]
fn two_workers_reporting_the_same_clashes_make_one_incident_each() {
    const PLACES: [&str; 6] = ["طفس", "جاسم", "سرمدا", "منبج", "الميادين", "تلبيسة"];
    let Some(db) = ScratchDb::from_env() else {
        return;
    };
    let dir = tempfile::tempdir().unwrap();
    let cwd = dir.path();
    let url = db.url.as_str();
    std::fs::create_dir(cwd.join("a")).unwrap();
    std::fs::create_dir(cwd.join("b")).unwrap();
    for (i, place) in PLACES.iter().enumerate() {
        let day = 3 + i;
        std::fs::write(
            cwd.join("a").join(format!("a{i}.txt")),
            format!("موقع أول\n2024.04.{day:02} | 09:00 دمشق\nقُتل 4 أشخاص في اشتباكات بين مسلحين مجهولين وقوات النظام في بلدة {place} صباح اليوم.\n"),
        )
        .unwrap();
        std::fs::write(
            cwd.join("b").join(format!("b{i}.txt")),
            format!("شبكة ثانية\n2024.04.{day:02} | 18:30 دمشق\nأفادت مصادر محلية بمقتل 5 أشخاص خلال اشتباكات اندلعت صباح اليوم بين قوات النظام ومسلحين مجهولين في بلدة {place}.\n"),
        )
        .unwrap();
    }
    // The schema first, so both workers start on their reports at once.
    rasd_store_pg::PgStore::connect(url).unwrap();
    let worker = |folder: &str| {
        common::rasd()
            .args(["ingest", folder, "--db", url, "--batch-size", "1"])
            .current_dir(cwd)
            .output()
            .unwrap()
    };
    let (a, b) = std::thread::scope(|s| {
        let a = s.spawn(|| worker("a"));
        let b = s.spawn(|| worker("b"));
        (a.join().unwrap(), b.join().unwrap())
    });
    ok(&a);
    ok(&b);
    let mut store = rasd_store_pg::PgStore::connect(url).unwrap();
    assert_eq!(store.counts().unwrap().events as usize, 2 * PLACES.len());
    assert_eq!(
        store.incident_count().unwrap() as usize,
        PLACES.len(),
        "one stored incident per clash"
    );
    let exported = ok(&rasd(
        &["export", "--format", "jsonl", "--db", url, "--no-sync"],
        cwd,
    ));
    let sources: Vec<usize> = exported
        .lines()
        .map(|l| {
            let v: serde_json::Value = serde_json::from_str(l).unwrap();
            v["sources"].as_array().unwrap().len()
        })
        .collect();
    assert_eq!(sources, vec![2; PLACES.len()], "{exported}");
    // An analyst's merge and wrong mark show in the export from the shared store too.
    let user = store.add_user("mona", "0123456789abcdef0123").unwrap();
    let a0 = store
        .query_events(&rasd_store::EventFilter {
            doc_id: Some("a0".into()),
            ..Default::default()
        })
        .unwrap()[0]
        .id;
    store.mark_wrong(a0, &user, true, None).unwrap();
    let exported = ok(&rasd(&["export", "--format", "jsonl", "--db", url], cwd));
    let mut sources: Vec<usize> = exported
        .lines()
        .map(|l| {
            let v: serde_json::Value = serde_json::from_str(l).unwrap();
            v["sources"].as_array().unwrap().len()
        })
        .collect();
    sources.sort_unstable();
    let mut want = vec![2; PLACES.len()];
    want[0] = 1;
    assert_eq!(sources, want, "{exported}");
}
