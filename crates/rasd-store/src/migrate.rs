//! Versioned schema migrations: `migrations/NNNN_name.sql`, embedded by build.rs.

use crate::{Result, StoreError};
use rusqlite::Connection;

include!(concat!(env!("OUT_DIR"), "/migrations.rs"));

/// The schema version a fully migrated store has.
pub const LATEST_VERSION: u32 = latest();

const fn latest() -> u32 {
    let mut v = 0;
    let mut i = 0;
    while i < MIGRATIONS.len() {
        if MIGRATIONS[i].0 > v {
            v = MIGRATIONS[i].0;
        }
        i += 1;
    }
    v
}

pub(crate) fn current_version(conn: &Connection) -> Result<u32> {
    Ok(conn.pragma_query_value(None, "user_version", |r| r.get::<_, u32>(0))?)
}

/// The versions already applied: those recorded in `schema_migrations`, or, for a
/// store without that table, every version up to `PRAGMA user_version`.
fn applied_versions(conn: &Connection) -> Result<Vec<u32>> {
    let has_table: bool = conn.query_row(
        "SELECT count(*) > 0 FROM sqlite_master WHERE type = 'table' AND name = 'schema_migrations'",
        [],
        |r| r.get(0),
    )?;
    if !has_table {
        let v = current_version(conn)?;
        return Ok((1..=v).collect());
    }
    let mut stmt = conn.prepare("SELECT version FROM schema_migrations ORDER BY version")?;
    let v = stmt
        .query_map([], |r| r.get(0))?
        .collect::<rusqlite::Result<Vec<u32>>>()?;
    Ok(v)
}

/// Applies, each in its own transaction, every embedded migration up to `target`
/// that the store has not applied yet (so a migration numbered below one already
/// applied, merged later, still runs). `user_version` ends at the highest applied.
pub(crate) fn migrate(conn: &mut Connection, target: u32) -> Result<()> {
    let found = current_version(conn)?;
    let applied = applied_versions(conn)?;
    let unknown = applied
        .iter()
        .copied()
        .filter(|v| !MIGRATIONS.iter().any(|m| m.0 == *v))
        .max();
    if found > LATEST_VERSION || unknown.is_some() {
        return Err(StoreError::TooNew {
            found: found.max(unknown.unwrap_or(0)),
            known: LATEST_VERSION,
        });
    }
    for &(version, name, sql) in MIGRATIONS {
        if applied.contains(&version) || version > target {
            continue;
        }
        let run = |conn: &mut Connection| -> rusqlite::Result<()> {
            let tx = conn.transaction_with_behavior(rusqlite::TransactionBehavior::Immediate)?;
            tx.execute_batch(
                "CREATE TABLE IF NOT EXISTS schema_migrations (
                     version INTEGER PRIMARY KEY, name TEXT NOT NULL, applied_at TEXT NOT NULL)",
            )?;
            // A store from before the table records what its user_version implies.
            for v in &applied {
                let name = MIGRATIONS.iter().find(|m| m.0 == *v).map_or("", |m| m.1);
                tx.execute(
                    "INSERT OR IGNORE INTO schema_migrations (version, name, applied_at) VALUES (?1, ?2, '')",
                    rusqlite::params![v, name],
                )?;
            }
            // Another process may have migrated while we waited for the lock.
            let done: bool = tx.query_row(
                "SELECT count(*) > 0 FROM schema_migrations WHERE version = ?1",
                [version],
                |r| r.get(0),
            )?;
            if done {
                return tx.commit();
            }
            tx.execute_batch(sql)?;
            tx.execute(
                "INSERT INTO schema_migrations (version, name, applied_at) VALUES (?1, ?2, ?3)",
                rusqlite::params![version, name, jiff::Timestamp::now().to_string()],
            )?;
            let now: u32 = tx.pragma_query_value(None, "user_version", |r| r.get(0))?;
            tx.pragma_update(None, "user_version", now.max(version))?;
            tx.commit()
        };
        run(conn).map_err(|source| StoreError::Migration {
            version,
            name,
            source,
        })?;
        tracing::debug!(version, name, "applied store migration");
    }
    Ok(())
}
