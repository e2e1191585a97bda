//! Crash consistency: `rasd ingest` killed mid-way, then re-run, loses nothing,
//! duplicates nothing and leaves a sound store.

use std::path::Path;
use std::process::Command;
use std::time::{Duration, Instant};

const DOCUMENTS: usize = 600;

const PLACES: [&str; 6] = ["طفس", "جاسم", "سرمدا", "منبج", "الميادين", "تلبيسة"];

/// A short fictional report, different for every `i`.
fn report(i: usize) -> String {
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

/// Stored documents, read through the store API while the writer runs (WAL).
fn documents(db: &Path) -> Option<u64> {
    if !db.exists() {
        return None;
    }
    let store = rasd_store::Store::open(db).ok()?;
    store.counts().ok().map(|c| c.documents)
}

#[test]
fn a_killed_ingest_resumes_without_loss_or_duplicates() {
    let dir = tempfile::tempdir().unwrap();
    let input = dir.path().join("in");
    std::fs::create_dir(&input).unwrap();
    for i in 0..DOCUMENTS {
        std::fs::write(input.join(format!("r{i:04}.txt")), report(i)).unwrap();
    }
    let db = dir.path().join("c.db");
    let mut child = Command::new(env!("CARGO_BIN_EXE_rasd"))
        .args([
            "ingest",
            "in",
            "--db",
            "c.db",
            "--batch-size",
            "7",
            "--quiet",
        ])
        .current_dir(dir.path())
        .stdout(std::process::Stdio::null())
        .spawn()
        .unwrap();
    // Wait until some batches are committed, then kill the process hard.
    let start = Instant::now();
    let mut killed_at = None;
    while start.elapsed() < Duration::from_secs(120) {
        if let Some(status) = child.try_wait().unwrap() {
            eprintln!(
                "ingest finished before it could be killed ({status}); the re-run still checks idempotence"
            );
            break;
        }
        if let Some(n) = documents(&db) {
            if n >= 20 {
                child.kill().unwrap();
                child.wait().unwrap();
                killed_at = documents(&db);
                break;
            }
        }
        std::thread::sleep(Duration::from_millis(20));
    }
    // Reap the child whichever way the loop ended (a no-op when already waited for).
    let _ = child.kill();
    let _ = child.wait();
    if let Some(n) = killed_at {
        eprintln!("killed with {n} of {DOCUMENTS} documents stored");
        // Whole batches only: every stored document has its article.
        let store = rasd_store::Store::open(&db).unwrap();
        let c = store.counts().unwrap();
        assert_eq!(c.documents, c.articles);
        assert!(store.check().unwrap().is_empty());
    }
    let out = Command::new(env!("CARGO_BIN_EXE_rasd"))
        .args(["ingest", "in", "--db", "c.db"])
        .current_dir(dir.path())
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let summary = String::from_utf8(out.stdout).unwrap();
    let store = rasd_store::Store::open(&db).unwrap();
    let c = store.counts().unwrap();
    assert_eq!(c.documents as usize, DOCUMENTS, "{summary}");
    assert_eq!(c.articles as usize, DOCUMENTS);
    assert!(store.check().unwrap().is_empty());
    let distinct: i64 = store
        .connection()
        .query_row("SELECT count(DISTINCT doc_id) FROM documents", [], |r| {
            r.get(0)
        })
        .unwrap();
    assert_eq!(distinct as usize, DOCUMENTS);
    if let Some(n) = killed_at {
        assert!(
            summary.contains(&format!("{} new, {n} duplicate", DOCUMENTS as u64 - n)),
            "{summary}"
        );
    }
}
