//! rasd-watch: `rasd watch`, the long-running monitor of news sources.
//!
//! It polls the feeds and listing pages of a sources file ([`config`]) as a polite
//! client ([`http`]: conditional GETs, compression, redirect cap, timeouts, a size
//! limit, robots.txt, per-host concurrency and spacing, a clear User-Agent), backs
//! off exponentially from failing sources while the others go on, and hands every
//! item it has not stored before to a [`Processor`] (the binary's extract → code
//! pipeline), writing documents, events, the item keys and each source's state in
//! one transaction per harvest ([`watcher`]). The store's `watch_*` tables
//! (`rasd_store::watch`) hold that state, so a restart (even after `kill -9`)
//! neither loses nor repeats an item.
//!
//! The state sits behind two traits ([`store`]): on the embedded store one watcher
//! owns it; on PostgreSQL ([`pg`]) several watchers share the sources of one database,
//! each source leased to one of them at a time and each item claimed by one.
//!
//! [`alerts`] sends the alerts' webhooks from the store's outbox, beside the pollers
//! or alone (`rasd alert run`).

pub mod alerts;
pub mod config;
pub mod http;
pub mod links;
pub mod pg;
pub mod robots;
pub mod store;
#[cfg(any(test, feature = "test-support"))]
pub mod testing;
pub mod watcher;

pub use config::{Config, Settings, Source, SourceKind};
pub use watcher::{Summary, Watcher};

use rasd_model::{Article, Event, RawDocument};
use rasd_store::Store;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};

/// The one error type of the watcher: what stops it from running at all. Failures of
/// single sources are logged and retried, never returned.
#[derive(Debug, thiserror::Error)]
pub enum WatchError {
    #[error("sources file {file}: {detail}")]
    Config { file: String, detail: String },
    #[error("store: {0}")]
    Store(String),
    #[error("cannot listen for signals: {0}")]
    Signals(String),
}

/// What the watcher calls to turn documents into events (the binary passes its
/// pipeline: extract then code), and to follow up each write (cluster the new events
/// into incidents, deliver alerts).
pub trait Processor: Send + Sync {
    /// Extracts and codes each document; the results come back in order. An `Err`
    /// says why that document gave no article.
    fn process(&self, docs: &[&RawDocument]) -> Vec<Result<(Article, Vec<Event>), String>>;

    /// Called after every write that stored new items (and once at start, for what a
    /// killed run left undone).
    fn after_commit(&self, store: &Store) -> Result<(), String>;

    /// [`Processor::after_commit`] on a shared PostgreSQL store.
    fn after_commit_postgres(&self, _store: &mut rasd_store_pg::PgStore) -> Result<(), String> {
        Err("this processor cannot follow up writes on PostgreSQL".into())
    }
}

/// Sets `stop` on SIGTERM or SIGINT (Ctrl-C), from a small thread of its own.
pub fn stop_on_signals(stop: Arc<AtomicBool>) -> Result<(), WatchError> {
    let rt = tokio::runtime::Builder::new_current_thread()
        .enable_io()
        .build()
        .map_err(|e| WatchError::Signals(e.to_string()))?;
    let mut term = rt
        .block_on(async {
            tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate())
        })
        .map_err(|e| WatchError::Signals(e.to_string()))?;
    std::thread::spawn(move || {
        rt.block_on(async {
            tokio::select! {
                _ = term.recv() => tracing::warn!("SIGTERM: finishing the polls in flight, then stopping"),
                _ = tokio::signal::ctrl_c() => tracing::warn!("interrupted: finishing the polls in flight, then stopping"),
            }
        });
        stop.store(true, Ordering::SeqCst);
    });
    Ok(())
}
