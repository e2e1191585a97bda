//! The watcher on a shared PostgreSQL store (`rasd_store_pg::watch`): several
//! `rasd watch --db postgres://…` processes poll the sources of one database.
//!
//! Each process is one worker, named `host:pid#n`. It holds two connections: the
//! writer's ([`WatchStore`]: one transaction per harvest, as on the embedded store,
//! through the same document/article/event writes as `rasd ingest`), and one for
//! leases and claims ([`Coordination`]), used by the scheduler and the fetching
//! threads, so that renewing a lease never waits for a write in progress.

use crate::config::Source;
use crate::http::Validators;
use crate::store::{Claim, Coordination, Lease, Opened, WatchBatch, WatchStore, err};
use crate::{Processor, WatchError};
use rasd_model::{Article, Event, RawDocument};
use rasd_store::changes::Retention;
use rasd_store::watch::{PollRecord, WatchItem};
use rasd_store::{DocumentId, PutDocument};
use rasd_store_pg::{PgBatch, PgStore};
use std::collections::HashMap;
use std::sync::Mutex;
use std::time::Duration;

/// Shortest wait before asking again for a source another worker was leasing at the
/// same moment.
const MIN_RETRY: Duration = Duration::from_millis(200);

/// This process's name in leases and claims: host and pid, plus a few bits of the
/// start time so that a restarted worker given a dead one's pid is not taken for it.
pub fn worker_name() -> String {
    let host = std::env::var("HOSTNAME")
        .ok()
        .or_else(|| std::fs::read_to_string("/proc/sys/kernel/hostname").ok())
        .map(|h| h.trim().to_string())
        .filter(|h| !h.is_empty())
        .unwrap_or_else(|| "localhost".into());
    let salt = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| d.subsec_nanos() >> 16)
        .unwrap_or(0);
    format!("{host}:{}#{salt:04x}", std::process::id())
}

/// Connects the writer and the coordinator of worker `holder` to the database `url`.
pub fn open_postgres(url: &str, holder: &str, lease: Duration) -> Result<Opened, WatchError> {
    let writer = PgStore::connect(url).map_err(err)?;
    let coordinator = PgStore::connect(url).map_err(err)?;
    Ok((
        Box::new(PgWriter {
            store: writer,
            url: url.to_string(),
            holder: holder.to_string(),
        }),
        Box::new(PgCoordination {
            store: Mutex::new(coordinator),
            url: url.to_string(),
            holder: holder.to_string(),
            lease,
        }),
    ))
}

struct PgWriter {
    store: PgStore,
    url: String,
    holder: String,
}

impl PgWriter {
    /// The connection, connected again first when it was lost (a harvest that failed
    /// on it is tried again on the new one).
    fn store(&mut self) -> Result<&mut PgStore, WatchError> {
        if self.store.is_closed() {
            self.store = PgStore::connect(&self.url).map_err(err)?;
            tracing::warn!("the writer connected to the database again");
        }
        Ok(&mut self.store)
    }
}

impl WatchStore for PgWriter {
    fn register(&mut self, sources: &[Source]) -> Result<Vec<Validators>, WatchError> {
        let mut out = Vec::with_capacity(sources.len());
        for s in sources {
            self.store
                .watch_register(&s.name, &s.url, s.kind.as_str())
                .map_err(err)?;
            let row = self.store.watch_source(&s.name).map_err(err)?;
            out.push(Validators {
                etag: row.as_ref().and_then(|r| r.etag.clone()),
                last_modified: row.and_then(|r| r.last_modified),
            });
        }
        Ok(out)
    }

    fn record_poll(&mut self, source: &str, poll: &PollRecord<'_>) -> Result<(), WatchError> {
        self.store()?.watch_record_poll(source, poll).map_err(err)
    }

    fn batch(&mut self) -> Result<Box<dyn WatchBatch + '_>, WatchError> {
        self.store()?;
        Ok(Box::new(PgWatchBatch {
            batch: self.store.batch().map_err(err)?,
            holder: &self.holder,
        }))
    }

    /// Every worker's writer compacts now and then; the store lets one at a time.
    fn compact_changes(&mut self, retention: &Retention) -> Result<(), WatchError> {
        let c = self.store()?.compact_changes(retention).map_err(err)?;
        if c.superseded + c.tombstones > 0 {
            tracing::debug!(
                "change log compacted: {} superseded and {} deleted entities' entries removed (horizon {})",
                c.superseded,
                c.tombstones,
                c.horizon
            );
        }
        Ok(())
    }

    fn after_commit(&mut self, processor: &dyn Processor) -> Result<(), String> {
        let store = self.store().map_err(|e| e.to_string())?;
        processor.after_commit_postgres(store)
    }
}

struct PgWatchBatch<'a> {
    batch: PgBatch<'a>,
    holder: &'a str,
}

impl WatchBatch for PgWatchBatch<'_> {
    fn take_item(&mut self, key: &str) -> Result<bool, WatchError> {
        self.batch.watch_take_item(self.holder, key).map_err(err)
    }

    fn put_document(&mut self, doc: &RawDocument) -> Result<PutDocument, WatchError> {
        // The batch-wide form: it also locks the document as re-coding and review do.
        let mut put = self.batch.put_documents(&[doc]).map_err(err)?;
        put.pop()
            .ok_or_else(|| err("no answer for a stored document"))
    }

    fn put_article(&mut self, id: DocumentId, article: &Article) -> Result<(), WatchError> {
        self.batch.put_article(id, article).map_err(err)
    }

    fn put_events(&mut self, id: DocumentId, events: &[Event]) -> Result<(), WatchError> {
        self.batch.put_events(id, events).map(|_| ()).map_err(err)
    }

    fn record_item(&mut self, item: &WatchItem<'_>) -> Result<bool, WatchError> {
        self.batch.watch_record_item(self.holder, item).map_err(err)
    }

    fn record_poll(&mut self, source: &str, poll: &PollRecord<'_>) -> Result<(), WatchError> {
        self.batch.watch_record_poll(source, poll).map_err(err)
    }

    fn commit(self: Box<Self>) -> Result<(), WatchError> {
        self.batch.commit().map_err(err)
    }
}

struct PgCoordination {
    store: Mutex<PgStore>,
    url: String,
    holder: String,
    lease: Duration,
}

impl PgCoordination {
    /// The connection, connected again first when it was lost: the worker keeps
    /// polling once the database is back (until then each call fails and is logged).
    fn store(&self) -> Result<std::sync::MutexGuard<'_, PgStore>, WatchError> {
        let mut store = self.store.lock().unwrap_or_else(|p| p.into_inner());
        if store.is_closed() {
            *store = PgStore::connect(&self.url).map_err(err)?;
            tracing::warn!("connected to the database again");
        }
        Ok(store)
    }
}

impl Coordination for PgCoordination {
    fn lease(&self, sources: &[Source], due: &[usize]) -> Result<Vec<Lease>, WatchError> {
        let names: Vec<String> = due.iter().map(|&i| sources[i].name.clone()).collect();
        let (leased, refused) = self
            .store()?
            .watch_lease(&self.holder, &names, self.lease)
            .map_err(err)?;
        let mut leased: HashMap<String, _> =
            leased.into_iter().map(|l| (l.name.clone(), l)).collect();
        let mut refused: HashMap<String, _> =
            refused.into_iter().map(|r| (r.name.clone(), r)).collect();
        Ok(due
            .iter()
            .map(|&i| {
                let source = &sources[i];
                if let Some(l) = leased.remove(&source.name) {
                    if let Some(previous) = &l.took_over_from {
                        tracing::warn!(
                            "source {}: the lease of worker {previous} expired; taking the source over",
                            source.name
                        );
                    }
                    return Lease::Granted {
                        validators: Some(Validators {
                            etag: l.etag,
                            last_modified: l.last_modified,
                        }),
                        failures: Some(l.failures),
                    };
                }
                let retry_in = match refused.remove(&source.name) {
                    // Its holder gives it back with its next poll an interval away.
                    Some(r) if r.held_by.is_some() => source.interval.min(self.lease),
                    Some(r) => r.due_in,
                    None => source.interval,
                };
                Lease::Refused {
                    retry_in: retry_in.max(MIN_RETRY),
                }
            })
            .collect())
    }

    fn renew(&self, busy: &[&str]) -> Result<Vec<String>, WatchError> {
        let names: Vec<String> = busy.iter().map(|s| s.to_string()).collect();
        let held = self
            .store()?
            .watch_renew(&self.holder, &names, self.lease)
            .map_err(err)?;
        Ok(names.into_iter().filter(|n| !held.contains(n)).collect())
    }

    fn release(&self, source: &str, next: Duration) -> Result<(), WatchError> {
        if !self
            .store()?
            .watch_release(&self.holder, source, next)
            .map_err(err)?
        {
            tracing::warn!(
                "source {source}: its lease had expired and another worker took it over"
            );
        }
        Ok(())
    }

    fn claim(
        &self,
        source: &str,
        items: &[(String, Option<String>)],
    ) -> Result<Vec<Claim>, WatchError> {
        let mut store = self.store()?;
        let got = store
            .watch_claim(&self.holder, source, items, self.lease)
            .map_err(err)?;
        let rest: Vec<String> = items
            .iter()
            .map(|i| &i.0)
            .filter(|k| !got.contains(*k))
            .cloned()
            .collect();
        let elsewhere = if rest.is_empty() {
            Default::default()
        } else {
            store.watch_claimed_keys(&rest).map_err(err)?
        };
        // A key listed twice is fetched once: only its first mention keeps the claim.
        let mut seen = std::collections::HashSet::new();
        Ok(items
            .iter()
            .map(|(k, _)| {
                if got.contains(k) && seen.insert(k.as_str()) {
                    Claim::Mine
                } else if elsewhere.contains(k) {
                    Claim::Elsewhere
                } else {
                    Claim::Taken
                }
            })
            .collect())
    }

    fn unclaim(&self, key: &str) {
        let unclaimed = self
            .store()
            .and_then(|mut s| s.watch_unclaim(&self.holder, key).map_err(err));
        if let Err(e) = unclaimed {
            // It expires on its own; until then no other worker fetches the item.
            tracing::warn!("giving back the claim of item {key}: {e}");
        }
    }

    fn release_all(&self) -> Result<(), WatchError> {
        self.store()?.watch_release_all(&self.holder).map_err(err)
    }

    fn renew_every(&self) -> Option<Duration> {
        Some(self.lease / 3)
    }
}
