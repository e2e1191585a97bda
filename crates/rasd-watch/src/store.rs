//! Where the watcher keeps its state, behind two small traits with one implementation
//! per store:
//!
//! - [`WatchStore`], owned by the writer thread: the sources' stored state, and one
//!   transaction per harvest ([`WatchBatch`]) holding the documents, events, items and
//!   the poll;
//! - [`Coordination`], shared by the scheduler and the fetching threads: which sources
//!   this process may poll now (leases) and which items it may fetch (claims).
//!
//! On the embedded store ([`open_sqlite`]) one process owns the file: every source is
//! its own, and an item is claimed when it is neither in flight (claimed and not yet
//! committed: a set in memory) nor stored (read through a connection of its own), so
//! memory holds the items in flight and each source's last listing, never every key
//! seen, however long the watcher runs. On
//! PostgreSQL ([`crate::pg`]) several processes share the sources, and leases and
//! claims are rows of the database.

use crate::config::Source;
use crate::http::Validators;
use crate::{Processor, WatchError};
use rasd_model::{Article, Event, RawDocument};
use rasd_store::changes::Retention;
use rasd_store::watch::{PollRecord, WatchItem, has_item, record_item, record_poll};
use rasd_store::{DocumentId, PutDocument, Store};
use std::collections::{HashMap, HashSet};
use std::path::Path;
use std::sync::Mutex;
use std::time::Duration;

pub(crate) fn err(e: impl std::fmt::Display) -> WatchError {
    WatchError::Store(e.to_string())
}

/// The watcher's state, as the writer thread sees it.
pub trait WatchStore: Send {
    /// Registers the sources (adding new ones, updating changed URLs) and returns
    /// each one's stored validators, in order.
    fn register(&mut self, sources: &[Source]) -> Result<Vec<Validators>, WatchError>;

    /// Records a poll that brought no item (a failure, a 304).
    fn record_poll(&mut self, source: &str, poll: &PollRecord<'_>) -> Result<(), WatchError>;

    /// Starts the transaction of one harvest.
    fn batch(&mut self) -> Result<Box<dyn WatchBatch + '_>, WatchError>;

    /// Hands the store to the processor's follow-up (incidents, alerts) after a write.
    fn after_commit(&mut self, processor: &dyn Processor) -> Result<(), String>;

    /// Compacts the store's change log (`rasd_store::changes`), where it has one.
    fn compact_changes(&mut self, _retention: &Retention) -> Result<(), WatchError> {
        Ok(())
    }
}

/// One harvest's writes, committed together or not at all.
pub trait WatchBatch {
    /// True when this batch may store item `key`: nobody stored it, and (on a shared
    /// store) this worker still holds its claim.
    fn take_item(&mut self, key: &str) -> Result<bool, WatchError>;
    fn put_document(&mut self, doc: &RawDocument) -> Result<PutDocument, WatchError>;
    fn put_article(&mut self, id: DocumentId, article: &Article) -> Result<(), WatchError>;
    fn put_events(&mut self, id: DocumentId, events: &[Event]) -> Result<(), WatchError>;
    /// Records the item as stored; false when it already was.
    fn record_item(&mut self, item: &WatchItem<'_>) -> Result<bool, WatchError>;
    fn record_poll(&mut self, source: &str, poll: &PollRecord<'_>) -> Result<(), WatchError>;
    fn commit(self: Box<Self>) -> Result<(), WatchError>;
}

/// The answer to a lease request for one source.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Lease {
    /// Poll it now. `validators`: the stored ones, when another worker may have
    /// changed them since this one last polled; `failures`: the failed polls in a
    /// row, whichever workers made them.
    Granted {
        validators: Option<Validators>,
        failures: Option<u32>,
    },
    /// Not now: ask again after this long.
    Refused { retry_in: Duration },
}

/// The answer to a claim of one item.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Claim {
    /// This process fetches and stores it.
    Mine,
    /// Stored already, or being fetched by this process for another source.
    Taken,
    /// Being fetched by another worker, which may yet fail or die: the source must be
    /// read in full again at its next poll, in case the item is left to this one.
    Elsewhere,
}

/// Who polls which source and fetches which item, between the threads of this
/// process and (on a shared store) other processes.
pub trait Coordination: Send + Sync {
    /// For each of the due sources `due` (indices into `sources`), in order, whether
    /// this process may poll it now.
    fn lease(&self, sources: &[Source], due: &[usize]) -> Result<Vec<Lease>, WatchError>;

    /// Keeps the leases of the sources being polled (`busy`) and the claims of the
    /// items being fetched alive. Returns the names of the sources whose lease was
    /// lost (it had expired and another worker took it).
    fn renew(&self, busy: &[&str]) -> Result<Vec<String>, WatchError>;

    /// Gives back the lease of `source`, whose next poll is due in `next`.
    fn release(&self, source: &str, next: Duration) -> Result<(), WatchError>;

    /// Claims for fetching the items (key, URL) of `source`, answering for each.
    fn claim(
        &self,
        source: &str,
        items: &[(String, Option<String>)],
    ) -> Result<Vec<Claim>, WatchError>;

    /// Gives back the claim of an item that was not fetched after all.
    fn unclaim(&self, key: &str);

    /// The items of `keys` are committed: the store answers for them from now on.
    fn committed(&self, _keys: &[&str]) {}

    /// Gives back every lease and claim (the watcher is stopping).
    fn release_all(&self) -> Result<(), WatchError>;

    /// How often [`Coordination::renew`] must be called; `None` when leases do not
    /// expire.
    fn renew_every(&self) -> Option<Duration>;
}

/// A store opened for a watcher: the writer's side and the coordination.
pub type Opened = (Box<dyn WatchStore>, Box<dyn Coordination>);

/// Opens the embedded store at `db` for a watcher that owns it.
pub fn open_sqlite(db: &Path) -> Result<Opened, WatchError> {
    let store = Store::open(db).map_err(err)?;
    let reader = Store::open(db).map_err(err)?;
    Ok((
        Box::new(store),
        Box::new(Local {
            claims: Mutex::new(Claims {
                reader,
                in_flight: HashSet::new(),
                known: HashMap::new(),
            }),
        }),
    ))
}

/// One process owning the store: every source is its own; an item is this process's
/// to fetch unless it is in flight or stored.
struct Local {
    claims: Mutex<Claims>,
}

struct Claims {
    /// Reads the stored items (WAL: never waits for the writer).
    reader: Store,
    /// Keys claimed and not committed yet.
    in_flight: HashSet<String>,
    /// Per source, the keys of its last listing that are stored: they need no look-up
    /// at the next poll. Bounded by the size of the sources' listings.
    known: HashMap<String, HashSet<String>>,
}

impl Coordination for Local {
    fn lease(&self, _sources: &[Source], due: &[usize]) -> Result<Vec<Lease>, WatchError> {
        Ok(vec![
            Lease::Granted {
                validators: None,
                failures: None,
            };
            due.len()
        ])
    }

    fn renew(&self, _busy: &[&str]) -> Result<Vec<String>, WatchError> {
        Ok(Vec::new())
    }

    fn release(&self, _source: &str, _next: Duration) -> Result<(), WatchError> {
        Ok(())
    }

    /// The keys in flight and the store are read under the lock [`Local::committed`]
    /// takes after the commit, so no key is ever in neither.
    fn claim(
        &self,
        source: &str,
        items: &[(String, Option<String>)],
    ) -> Result<Vec<Claim>, WatchError> {
        let mut claims = self.claims.lock().unwrap_or_else(|p| p.into_inner());
        let Claims {
            reader,
            in_flight,
            known,
        } = &mut *claims;
        let previous = known.remove(source).unwrap_or_default();
        let mut now_known = HashSet::new();
        let mut out = Vec::with_capacity(items.len());
        for (k, _) in items {
            let claim = if previous.contains(k) {
                now_known.insert(k.clone());
                Claim::Taken
            } else if in_flight.contains(k) {
                Claim::Taken
            } else if reader.watch_has_item(k).map_err(err)? {
                now_known.insert(k.clone());
                Claim::Taken
            } else {
                in_flight.insert(k.clone());
                Claim::Mine
            };
            out.push(claim);
        }
        known.insert(source.to_string(), now_known);
        Ok(out)
    }

    fn unclaim(&self, key: &str) {
        self.claims
            .lock()
            .unwrap_or_else(|p| p.into_inner())
            .in_flight
            .remove(key);
    }

    fn committed(&self, keys: &[&str]) {
        let mut claims = self.claims.lock().unwrap_or_else(|p| p.into_inner());
        for k in keys {
            claims.in_flight.remove(*k);
        }
    }

    fn release_all(&self) -> Result<(), WatchError> {
        Ok(())
    }

    fn renew_every(&self) -> Option<Duration> {
        None
    }
}

impl WatchStore for Store {
    fn register(&mut self, sources: &[Source]) -> Result<Vec<Validators>, WatchError> {
        let mut out = Vec::with_capacity(sources.len());
        for s in sources {
            self.watch_register(&s.name, &s.url, s.kind.as_str())
                .map_err(err)?;
            let row = self.watch_source(&s.name).map_err(err)?;
            out.push(Validators {
                etag: row.as_ref().and_then(|r| r.etag.clone()),
                last_modified: row.and_then(|r| r.last_modified),
            });
        }
        Ok(out)
    }

    fn record_poll(&mut self, source: &str, poll: &PollRecord<'_>) -> Result<(), WatchError> {
        record_poll(self.connection(), source, poll).map_err(err)
    }

    fn batch(&mut self) -> Result<Box<dyn WatchBatch + '_>, WatchError> {
        Ok(Box::new(Store::batch(self).map_err(err)?))
    }

    fn compact_changes(&mut self, retention: &Retention) -> Result<(), WatchError> {
        let c = Store::compact_changes(self, retention).map_err(err)?;
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
        processor.after_commit(self)
    }
}

impl WatchBatch for rasd_store::Batch<'_> {
    fn take_item(&mut self, key: &str) -> Result<bool, WatchError> {
        // Claims are in memory: the item is this process's unless it was stored.
        has_item(self.connection(), key)
            .map(|taken| !taken)
            .map_err(err)
    }

    fn put_document(&mut self, doc: &RawDocument) -> Result<PutDocument, WatchError> {
        rasd_store::Batch::put_document(self, doc).map_err(err)
    }

    fn put_article(&mut self, id: DocumentId, article: &Article) -> Result<(), WatchError> {
        rasd_store::Batch::put_article(self, id, article).map_err(err)
    }

    fn put_events(&mut self, id: DocumentId, events: &[Event]) -> Result<(), WatchError> {
        rasd_store::Batch::put_events(self, id, events)
            .map(|_| ())
            .map_err(err)
    }

    fn record_item(&mut self, item: &WatchItem<'_>) -> Result<bool, WatchError> {
        record_item(self.connection(), item).map_err(err)
    }

    fn record_poll(&mut self, source: &str, poll: &PollRecord<'_>) -> Result<(), WatchError> {
        record_poll(self.connection(), source, poll).map_err(err)
    }

    fn commit(self: Box<Self>) -> Result<(), WatchError> {
        rasd_store::Batch::commit(*self).map_err(err)
    }
}
