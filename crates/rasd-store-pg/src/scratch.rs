//! Throwaway databases for tests and benches: [`ScratchDb::from_env`] creates a fresh
//! database on the server named by `RASD_TEST_POSTGRES` and drops it when dropped.

use postgres::{Client, NoTls};
use std::sync::atomic::{AtomicU32, Ordering};

/// The variable naming a database on a server where the role may create databases,
/// e.g. `postgres://rasd:rasd@127.0.0.1/postgres`.
pub const ENV: &str = "RASD_TEST_POSTGRES";

/// A database of its own, dropped (with any open connections) when this is dropped.
pub struct ScratchDb {
    admin: String,
    name: String,
    /// The URL of the scratch database.
    pub url: String,
}

impl ScratchDb {
    /// `None`, after saying why on stderr, when [`ENV`] is not set: the caller skips.
    /// Panics when it is set but the server cannot be used, since the test was meant
    /// to run.
    pub fn from_env() -> Option<ScratchDb> {
        let Ok(admin) = std::env::var(ENV) else {
            eprintln!("skipped: set {ENV} to a PostgreSQL URL to run this test");
            return None;
        };
        static N: AtomicU32 = AtomicU32::new(0);
        let name = format!(
            "rasd_scratch_{}_{}",
            std::process::id(),
            N.fetch_add(1, Ordering::Relaxed)
        );
        let mut c = Client::connect(&admin, NoTls)
            .unwrap_or_else(|e| panic!("{ENV} is set but unreachable: {e}"));
        // One statement each: PostgreSQL runs neither inside a transaction block.
        c.batch_execute(&format!("DROP DATABASE IF EXISTS {name}"))
            .expect("drop a leftover scratch database");
        c.batch_execute(&format!("CREATE DATABASE {name}"))
            .expect("create a scratch database");
        let base = admin.rsplit_once('/').map_or(admin.as_str(), |(b, _)| b);
        let url = format!("{base}/{name}");
        Some(ScratchDb { admin, name, url })
    }
}

impl Drop for ScratchDb {
    fn drop(&mut self) {
        if let Ok(mut c) = Client::connect(&self.admin, NoTls) {
            let _ = c.batch_execute(&format!(
                "DROP DATABASE IF EXISTS {} WITH (FORCE)",
                self.name
            ));
        }
    }
}
