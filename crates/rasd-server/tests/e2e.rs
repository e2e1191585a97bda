//! End-to-end: the dashboard in Debian's headless Chromium (playwright-core), against
//! a real server over a seeded store — once on a SQLite file and once on a scratch
//! PostgreSQL database (`RASD_TEST_POSTGRES`; that run skips, saying so, without it).
//! Skips, saying why, when Chromium, node or playwright-core are missing
//! (`tests/e2e/install.sh` installs them; under CI a missing tool is a failure).

mod common;
#[path = "e2e/harness.rs"]
mod harness;

use common::{Kind, TestStore};
use std::path::PathBuf;

// The same browser run over a SQLite file and over a PostgreSQL database.
on_both_stores!(dashboard_in_headless_chromium);

fn dashboard_in_headless_chromium(kind: Kind) {
    if harness::skip("dashboard_in_headless_chromium") {
        return;
    }
    let _turn = harness::one_browser();
    let Some(db) = TestStore::new(kind) else {
        return;
    };
    let mut store = db.open();
    common::seed(store.as_mut());
    let token = rasd_server::new_token().unwrap();
    store.add_user("e2e-analyst", &token).unwrap();
    drop(store);
    let server = rasd_server::start(db.config(), "127.0.0.1:0".parse().unwrap()).unwrap();
    let dir = tempfile::tempdir().unwrap();
    // RASD_SCREENSHOT names the SQLite run's picture; the PostgreSQL run's goes beside it.
    let shot = match (std::env::var("RASD_SCREENSHOT"), kind) {
        (Ok(s), Kind::Sqlite) => PathBuf::from(s),
        (Ok(s), Kind::Postgres) => PathBuf::from(s.replace(".png", "-postgres.png")),
        (Err(_), _) => dir.path().join("dashboard.png"),
    };
    let out = harness::node(
        "dashboard.mjs",
        &format!("http://{}", server.addr()),
        &token,
        &shot,
    )
    .output()
    .expect("node runs");
    let stdout = String::from_utf8_lossy(&out.stdout);
    let stderr = String::from_utf8_lossy(&out.stderr);
    println!("{stdout}");
    eprintln!("{stderr}");
    assert!(
        out.status.success(),
        "browser test on {kind:?} failed:\n{stdout}\n{stderr}"
    );
    assert!(shot.exists(), "screenshot written");
    server.shutdown();
}
