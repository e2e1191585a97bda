//! The watch loop: a scheduler, a pool of fetching workers and one writer.
//!
//! ```text
//! scheduler ──due source──▶ workers (HTTP: feed or listing, then new items' pages)
//!     ▲                          │ Harvest (items not seen before, or the failure)
//!     └──── outcome ──── writer ◀┘  extract + code, one transaction per harvest:
//!                                   documents, articles, events, seen items, the poll
//!                                   (validators, counters); then Processor::after_commit
//! ```
//!
//! The writer alone writes the harvests (and compacts the store's change log every
//! minute, `rasd_store::changes::Retention`). A source's new validators are committed with
//! the items of the answer that carried them, so a watcher killed at any point
//! re-reads, after a restart, exactly what it had not stored. An item is claimed
//! ([`Coordination::claim`]) before its page is fetched, so no page is fetched twice,
//! even when two sources list it. The scheduler polls a source only once it holds
//! its lease ([`Coordination::lease`]): always on the embedded store, which one
//! watcher owns; on PostgreSQL, when no other worker polls it.

use crate::config::{Config, Source, SourceKind};
use crate::http::{Body, Client, FetchError, Fetched, Validators};
use crate::links::{article_links, resolve};
use crate::store::{Claim, Coordination, Lease, Opened, WatchStore};
use crate::{Processor, WatchError};
use rasd_model::{Article, ContentKind, DocumentMeta, Event, Origin, PublishedTime, RawDocument};
use rasd_store::changes::Retention;
use rasd_store::watch::{PollRecord, WatchItem};
use std::collections::HashSet;
use std::path::PathBuf;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::mpsc;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

/// Items fetched and written per harvest at most: a first poll of a long listing is
/// split so that its first articles are stored (and seen) early.
const MAX_ITEMS_PER_HARVEST: usize = 50;
/// How often the writer compacts the change log.
const COMPACT_EVERY: Duration = Duration::from_secs(60);
/// The longest new events wait for the clustering pass while harvests keep coming.
const CLUSTER_AT_LEAST: Duration = Duration::from_secs(2);

/// What a run did, for the exit message.
#[derive(Debug, Default, Clone, Copy, PartialEq, Eq)]
pub struct Summary {
    pub polls: u64,
    pub failures: u64,
    pub items: u64,
    pub events: u64,
}

/// One item found new in a poll.
struct NewItem {
    key: String,
    url: Option<String>,
    /// The document, or why it could not be had. `Err((reason, lasting))`: a lasting
    /// failure (4xx, too large, not a document) is recorded so the page is not asked
    /// for again; a passing one (timeout, 5xx) is left for the next poll.
    doc: Result<RawDocument, (String, bool)>,
}

enum Outcome {
    Failed(FetchError),
    NotModified,
    Items {
        validators: Validators,
        items: Vec<NewItem>,
        /// False when some item failed in passing or more harvests of the poll follow:
        /// the old validators are kept so the next poll reads the source again.
        complete: bool,
    },
}

struct Harvest {
    source: usize,
    outcome: Outcome,
    /// The poll's last harvest: the scheduler hears of the poll when it is written.
    last: bool,
}

/// State shared by the workers and the writer.
struct Shared {
    config: Config,
    client: Client,
    validators: Mutex<Vec<Validators>>,
    /// Leases of sources and claims of items.
    coord: Box<dyn Coordination>,
    stop: Arc<AtomicBool>,
}

/// A configured watcher over one store: a SQLite file, or a PostgreSQL URL shared
/// with other watchers.
pub struct Watcher {
    config: Config,
    db: PathBuf,
}

impl Watcher {
    pub fn new(config: Config, db: PathBuf) -> Watcher {
        Watcher { config, db }
    }

    fn open(&self) -> Result<Opened, WatchError> {
        let db = self.db.to_string_lossy();
        if rasd_store_pg::is_postgres_url(&db) {
            let worker = crate::pg::worker_name();
            tracing::info!("worker {worker}");
            crate::pg::open_postgres(&db, &worker, self.config.settings.lease)
        } else {
            crate::store::open_sqlite(&self.db)
        }
    }

    /// Runs until `stop` is set (SIGTERM, Ctrl-C): then finishes the polls in flight,
    /// writes what they brought and returns.
    pub fn run(
        self,
        processor: Arc<dyn Processor>,
        stop: Arc<AtomicBool>,
    ) -> Result<Summary, WatchError> {
        let (mut store, coord) = self.open()?;
        let validators = store.register(&self.config.sources)?;
        // Events a previous run stored but did not cluster (killed in between).
        if let Err(e) = store.after_commit(&*processor) {
            tracing::warn!("clustering events left by the last run: {e}");
        }
        let shared = Arc::new(Shared {
            client: Client::new(&self.config.settings, stop.clone()),
            config: self.config,
            validators: Mutex::new(validators),
            coord,
            stop: stop.clone(),
        });
        let n = shared.config.sources.len();
        let (job_tx, job_rx) = mpsc::channel::<usize>();
        let job_rx = Arc::new(Mutex::new(job_rx));
        let (harvest_tx, harvest_rx) = mpsc::channel::<Harvest>();
        let (done_tx, done_rx) = mpsc::channel::<(usize, Result<(), FetchError>)>();

        let threads = shared.config.settings.workers.min(n).max(1);
        let workers: Vec<_> = (0..threads)
            .map(|_| {
                let shared = shared.clone();
                let job_rx = job_rx.clone();
                let harvest_tx = harvest_tx.clone();
                std::thread::spawn(move || {
                    loop {
                        let job = job_rx.lock().unwrap_or_else(|p| p.into_inner()).recv();
                        let Ok(i) = job else { break };
                        poll(&shared, i, &harvest_tx);
                    }
                })
            })
            .collect();
        drop(harvest_tx);

        let writer = {
            let shared = shared.clone();
            std::thread::spawn(move || write_loop(store, &shared, &*processor, harvest_rx, done_tx))
        };

        // The scheduler: each source is polled when due and leased, never twice at
        // once; after a failure it waits its interval doubled per failure in a row
        // (capped), or what the server's Retry-After asked for.
        let start = Instant::now();
        let mut due: Vec<Instant> = vec![start; n];
        let mut busy = vec![false; n];
        let mut failures = vec![0u32; n];
        let max_backoff = shared.config.settings.max_backoff;
        let mut summary = Summary::default();
        let mut renewed = start;
        // On a shared store (leases expire), sources in flight at once: one per
        // fetching thread, and as many again waiting for the writer.
        let lease_limit = shared.coord.renew_every().map(|_| 2 * threads);
        while !stop.load(Ordering::Relaxed) {
            let now = Instant::now();
            let mut ready: Vec<usize> = (0..n).filter(|&i| !busy[i] && due[i] <= now).collect();
            if let Some(limit) = lease_limit {
                // Most overdue first, and no more than the threads can soon poll: a
                // source leased but left waiting in this queue would be kept from
                // the other watchers sharing the store.
                ready.sort_by_key(|&i| due[i]);
                ready.truncate(limit.saturating_sub(busy.iter().filter(|&&b| b).count()));
            }
            if !ready.is_empty() {
                let state = (&mut due[..], &mut busy[..], &mut failures[..]);
                start_polls(&shared, &ready, now, state, &job_tx);
            }
            if let Some(every) = shared.coord.renew_every() {
                if now.duration_since(renewed) >= every {
                    renewed = now;
                    renew_leases(&shared, &busy);
                }
            }
            let next = (0..n)
                .filter(|&i| !busy[i])
                .map(|i| due[i])
                .min()
                .unwrap_or(now + Duration::from_millis(200));
            let wait = next
                .saturating_duration_since(Instant::now())
                .min(Duration::from_millis(200));
            match done_rx.recv_timeout(wait) {
                Ok((i, result)) => {
                    busy[i] = false;
                    summary.polls += 1;
                    let interval = shared.config.sources[i].interval;
                    let next = match result {
                        Ok(()) => {
                            failures[i] = 0;
                            interval
                        }
                        Err(e) => {
                            summary.failures += 1;
                            failures[i] = failures[i].saturating_add(1);
                            backoff(interval, failures[i], max_backoff)
                                .max(e.retry_after.unwrap_or_default().min(max_backoff))
                        }
                    };
                    due[i] = Instant::now() + next;
                    if let Err(e) = shared.coord.release(&shared.config.sources[i].name, next) {
                        tracing::error!("giving back the lease of a source: {e}");
                    }
                }
                Err(mpsc::RecvTimeoutError::Timeout) => {}
                Err(mpsc::RecvTimeoutError::Disconnected) => break,
            }
        }
        drop(job_tx);
        for w in workers {
            let _ = w.join();
        }
        let written = writer
            .join()
            .map_err(|_| WatchError::Store("the writer thread panicked".into()));
        // Other workers may take the sources at once rather than after the leases
        // expire.
        if let Err(e) = shared.coord.release_all() {
            tracing::error!("giving back leases: {e}");
        }
        let written = written??;
        summary.items = written.items;
        summary.events = written.events;
        Ok(summary)
    }
}

/// Leases the due sources `ready` and hands those granted to the workers; the others
/// are due again when the coordination says. `state`: each source's due time,
/// whether it is being polled, and its failures in a row.
fn start_polls(
    shared: &Shared,
    ready: &[usize],
    now: Instant,
    (due, busy, failures): (&mut [Instant], &mut [bool], &mut [u32]),
    jobs: &mpsc::Sender<usize>,
) {
    let leases = match shared.coord.lease(&shared.config.sources, ready) {
        Ok(l) => l,
        Err(e) => {
            tracing::error!("leasing sources: {e}");
            for &i in ready {
                due[i] = now + Duration::from_secs(1);
            }
            return;
        }
    };
    for (&i, lease) in ready.iter().zip(leases) {
        match lease {
            Lease::Granted {
                validators,
                failures: stored,
            } => {
                if let Some(v) = validators {
                    shared.validators.lock().unwrap_or_else(|p| p.into_inner())[i] = v;
                }
                failures[i] = stored.unwrap_or(failures[i]);
                busy[i] = true;
                let _ = jobs.send(i);
            }
            Lease::Refused { retry_in } => due[i] = now + retry_in,
        }
    }
}

/// Keeps the leases of the sources being polled alive.
fn renew_leases(shared: &Shared, busy: &[bool]) {
    let held: Vec<&str> = (0..busy.len())
        .filter(|&i| busy[i])
        .map(|i| shared.config.sources[i].name.as_str())
        .collect();
    match shared.coord.renew(&held) {
        Ok(lost) => {
            for name in lost {
                tracing::warn!("source {name}: lease lost (it expired before it was renewed)");
            }
        }
        Err(e) => tracing::error!("renewing leases: {e}"),
    }
}

/// `interval × 2^failures`, capped.
pub fn backoff(interval: Duration, failures: u32, max: Duration) -> Duration {
    let factor = 2u32.saturating_pow(failures.min(20));
    interval.saturating_mul(factor).min(max.max(interval))
}

/// One poll of source `i`: the source itself, then each new item's page when the
/// items are links. Sends one harvest per batch of items (or one failure), each as
/// soon as it is complete, the last one marked.
fn poll(shared: &Shared, i: usize, out: &mpsc::Sender<Harvest>) {
    let send = |outcome: Outcome, last: bool| {
        let _ = out.send(Harvest {
            source: i,
            outcome,
            last,
        });
    };
    let source = &shared.config.sources[i];
    let validators = shared.validators.lock().unwrap_or_else(|p| p.into_inner())[i].clone();
    let body = match shared.client.get(&source.url, &validators) {
        Ok(Fetched::NotModified) => return send(Outcome::NotModified, true),
        Ok(Fetched::Body(b)) => b,
        Err(e) => return send(Outcome::Failed(e), true),
    };
    let candidates = match source.kind {
        SourceKind::Feed => feed_items(source, &body),
        SourceKind::Listing => listing_items(source, &body),
    };
    let candidates = match candidates {
        Ok(c) => c,
        Err(reason) => {
            return send(
                Outcome::Failed(FetchError {
                    reason,
                    retry_after: None,
                }),
                true,
            );
        }
    };
    // Claim the new ones, so that no other worker fetches them meanwhile.
    let keys: Vec<(String, Option<String>)> = candidates
        .iter()
        .map(|c| (c.key.clone(), c.url.clone()))
        .collect();
    let claimed = match shared.coord.claim(&source.name, &keys) {
        Ok(c) => c,
        Err(e) => {
            return send(
                Outcome::Failed(FetchError {
                    reason: format!("claiming items: {e}"),
                    retry_after: None,
                }),
                true,
            );
        }
    };
    // An item another worker is fetching may be left to this one if that worker dies:
    // the source keeps its old validators, so its next poll reads it in full.
    let mut any_failed = claimed.contains(&Claim::Elsewhere);
    let mut fresh: Vec<Candidate> = candidates
        .into_iter()
        .zip(claimed)
        .filter_map(|(c, claim)| (claim == Claim::Mine).then_some(c))
        .collect();
    loop {
        let rest = fresh.split_off(fresh.len().min(MAX_ITEMS_PER_HARVEST));
        let chunk = std::mem::replace(&mut fresh, rest);
        let mut items = Vec::with_capacity(chunk.len());
        for c in chunk {
            if shared.stop.load(Ordering::Relaxed) && c.doc.is_none() {
                // Not fetched: give the claim back for the next run.
                release(shared, &c.key);
                any_failed = true;
                continue;
            }
            let doc = match c.doc {
                Some(d) => Ok(d),
                None => fetch_page(shared, source, c.url.as_deref().unwrap_or_default()),
            };
            if let Err((reason, lasting)) = &doc {
                tracing::warn!(
                    "source {}: item {}: {reason}{}",
                    source.name,
                    c.key,
                    if *lasting {
                        ""
                    } else {
                        " (retried at the next poll)"
                    }
                );
                if !lasting {
                    release(shared, &c.key);
                    any_failed = true;
                    continue;
                }
            }
            items.push(NewItem {
                key: c.key,
                url: c.url,
                doc,
            });
        }
        let last = fresh.is_empty();
        // Only a poll's last harvest may advance the validators, and only when every
        // item was had: otherwise the next poll must read the source in full again.
        let complete = last && !any_failed;
        send(
            Outcome::Items {
                validators: body.validators.clone(),
                items,
                complete,
            },
            last,
        );
        if last {
            return;
        }
    }
}

fn release(shared: &Shared, key: &str) {
    shared.coord.unclaim(key);
}

/// An item found in a source: its key, its URL, and its document when the source
/// carried it whole (a feed item's body).
struct Candidate {
    key: String,
    url: Option<String>,
    doc: Option<RawDocument>,
}

fn fetched_time(at: jiff::Timestamp) -> Option<PublishedTime> {
    Some(PublishedTime::from_timestamp(at, &jiff::tz::TimeZone::UTC))
}

fn feed_items(source: &Source, body: &Body) -> Result<Vec<Candidate>, String> {
    let charset = body
        .content_type
        .split(';')
        .filter_map(|p| p.trim().strip_prefix("charset="))
        .map(|c| c.trim_matches('"').to_string())
        .next();
    let text = rasd_ingest::encoding::decode(&body.bytes, charset.as_deref()).text;
    let (feed, problem) = rasd_ingest::feed::parse_feed(&text);
    if let Some(p) = &problem {
        if feed.items.is_empty() {
            return Err(format!("malformed feed (from {}): {}", body.url, p.detail));
        }
        tracing::warn!(
            "source {}: the feed is damaged ({}); taking the {} items read before it",
            source.name,
            p.detail,
            feed.items.len()
        );
    } else if feed.items.is_empty() && !text.contains("<channel") && !text.contains("<feed") {
        return Err(format!("not an RSS or Atom feed (from {})", body.url));
    }
    let outlet = source.outlet.clone().or(feed.title.clone());
    let mut out = Vec::new();
    for item in feed.items {
        let link = item.link.as_deref().and_then(|l| resolve(&body.url, l));
        let key = match &link {
            Some(l) => l.clone(),
            // No link: the item is known by its text.
            None => format!(
                "{}#{}",
                source.name,
                rasd_store::content_hash(
                    format!("{}\n{}", item.title.as_deref().unwrap_or(""), item.body).as_bytes()
                )
            ),
        };
        if source.follow && link.is_some() {
            out.push(Candidate {
                key,
                url: link,
                doc: None,
            });
            continue;
        }
        let doc_id = link
            .as_deref()
            .map(rasd_ingest::fetch::doc_id_for_url)
            .unwrap_or_else(|| source.name.clone());
        out.push(Candidate {
            key,
            url: link.clone(),
            doc: Some(RawDocument {
                doc_id,
                origin: Origin::Url {
                    url: link.clone().unwrap_or_else(|| body.url.clone()),
                },
                kind: ContentKind::FeedItem,
                bytes: item.body.into_bytes(),
                meta: DocumentMeta {
                    url: link,
                    published: item.published,
                    source: outlet.clone(),
                    title: item.title,
                    charset: Some("UTF-8".to_string()),
                    fetched: fetched_time(body.at),
                    from_manifest: false,
                },
            }),
        });
    }
    Ok(out)
}

fn listing_items(source: &Source, body: &Body) -> Result<Vec<Candidate>, String> {
    let text = rasd_ingest::encoding::decode(&body.bytes, None).text;
    let links = article_links(&text, &body.url, source.links.as_deref());
    if links.is_empty() {
        // A listing with no article link is broken (or the filter is wrong): say so
        // rather than report a quiet success forever.
        return Err(format!(
            "no article links on the listing page {}{}",
            body.url,
            source
                .links
                .as_deref()
                .map(|l| format!(" (containing {l:?})"))
                .unwrap_or_default()
        ));
    }
    Ok(links
        .into_iter()
        .map(|l| Candidate {
            key: l.clone(),
            url: Some(l),
            doc: None,
        })
        .collect())
}

/// An item's page as a document.
fn fetch_page(shared: &Shared, source: &Source, url: &str) -> Result<RawDocument, (String, bool)> {
    let body = match shared.client.get(url, &Validators::default()) {
        Ok(Fetched::Body(b)) => b,
        Ok(Fetched::NotModified) => return Err(("answered 304 to a plain GET".into(), true)),
        Err(e) => {
            let lasting = e.reason.starts_with("HTTP 4")
                || e.reason.contains("above the limit")
                || e.reason.contains("larger than the limit")
                || e.reason.starts_with("robots.txt");
            return Err((e.reason, lasting));
        }
    };
    let docs = rasd_ingest::fetch::to_documents(&body.url, &body.content_type, body.bytes)
        .map_err(|e| (e.to_string(), true))?;
    let mut doc = docs
        .into_iter()
        .next()
        .ok_or_else(|| ("no document in the answer".to_string(), true))?;
    doc.meta.fetched = fetched_time(body.at);
    if doc.meta.source.is_none() {
        doc.meta.source = source.outlet.clone();
    }
    Ok(doc)
}

/// What the writer stored over a run.
#[derive(Default)]
struct Written {
    items: u64,
    events: u64,
}

fn write_loop(
    mut store: Box<dyn WatchStore>,
    shared: &Shared,
    processor: &dyn Processor,
    harvests: mpsc::Receiver<Harvest>,
    done: mpsc::Sender<(usize, Result<(), FetchError>)>,
) -> Result<Written, WatchError> {
    let mut written = Written::default();
    let retention = Retention {
        tombstones: shared.config.settings.changes_retention,
        ..Retention::default()
    };
    let mut compacted = Instant::now();
    // New events not clustered yet. The clustering pass reads every incident link, so
    // it waits while harvests queue up: one pass then covers all of them (the events
    // themselves are committed, and in the change log, at once).
    // Under a load that never lets the queue empty, a pass still runs every
    // CLUSTER_AT_LEAST.
    let mut unclustered = false;
    let mut clustered = Instant::now();
    let cluster = |store: &mut Box<dyn WatchStore>, clustered: &mut Instant| {
        if let Err(e) = store.after_commit(processor) {
            tracing::error!("clustering new events into incidents: {e}");
        }
        *clustered = Instant::now();
    };
    loop {
        let h = match harvests.try_recv() {
            Ok(h) => {
                if unclustered && clustered.elapsed() >= CLUSTER_AT_LEAST {
                    unclustered = false;
                    cluster(&mut store, &mut clustered);
                }
                Some(h)
            }
            Err(e) => {
                if std::mem::take(&mut unclustered) {
                    cluster(&mut store, &mut clustered);
                }
                if e == mpsc::TryRecvError::Disconnected {
                    break;
                }
                match harvests.recv_timeout(COMPACT_EVERY) {
                    Ok(h) => Some(h),
                    Err(mpsc::RecvTimeoutError::Timeout) => None,
                    Err(mpsc::RecvTimeoutError::Disconnected) => break,
                }
            }
        };
        // The change log is compacted now and then, so it grows with the store, not
        // with the number of writes.
        if compacted.elapsed() >= COMPACT_EVERY {
            compacted = Instant::now();
            if let Err(e) = store.compact_changes(&retention) {
                tracing::warn!("compacting the change log: {e}");
            }
        }
        let Some(h) = h else { continue };
        let source = &shared.config.sources[h.source];
        let at = jiff::Timestamp::now().to_string();
        let result = match h.outcome {
            Outcome::Failed(e) if e.reason == "stopping" => Err(e),
            Outcome::Failed(e) => {
                tracing::warn!("source {} ({}): {}", source.name, source.url, e.reason);
                store.record_poll(
                    &source.name,
                    &PollRecord::Failure {
                        at: &at,
                        reason: &e.reason,
                    },
                )?;
                Err(e)
            }
            Outcome::NotModified => {
                store.record_poll(
                    &source.name,
                    &PollRecord::Success {
                        at: &at,
                        validators: None,
                        not_modified: true,
                        items: 0,
                        events: 0,
                    },
                )?;
                Ok(())
            }
            Outcome::Items {
                validators,
                items,
                complete,
            } => {
                let (n_items, n_events) = write_items(
                    &mut *store,
                    source,
                    &validators,
                    &items,
                    complete,
                    &at,
                    processor,
                )
                .map_err(|e| WatchError::Store(format!("source {}: {e}", source.name)))?;
                written.items += n_items;
                written.events += n_events;
                let keys: Vec<&str> = items.iter().map(|i| i.key.as_str()).collect();
                shared.coord.committed(&keys);
                if complete {
                    let mut v = shared.validators.lock().unwrap_or_else(|p| p.into_inner());
                    v[h.source] = validators;
                }
                if n_items > 0 {
                    tracing::info!(
                        "source {}: {n_items} new items, {n_events} events",
                        source.name
                    );
                    unclustered = true;
                }
                // An incomplete poll still ends well: the items it missed wait for
                // the next one.
                Ok(())
            }
        };
        if h.last {
            let _ = done.send((h.source, result));
        }
    }
    Ok(written)
}

/// How many times a harvest's transaction is tried: on a shared store, a deadlock
/// with another worker aborts one of the two, and the harvest is worth a retry.
const WRITE_ATTEMPTS: u32 = 3;

/// What the pipeline made of an item's document (`None`: no document).
type Processed = Option<Result<(Article, Vec<Event>), String>>;

fn write_items(
    store: &mut dyn WatchStore,
    source: &Source,
    validators: &Validators,
    items: &[NewItem],
    complete: bool,
    at: &str,
    processor: &dyn Processor,
) -> Result<(u64, u64), WatchError> {
    let docs: Vec<&RawDocument> = items.iter().filter_map(|i| i.doc.as_ref().ok()).collect();
    let mut results = processor.process(&docs).into_iter();
    let processed: Vec<Processed> = items
        .iter()
        .map(|i| i.doc.is_ok().then(|| results.next()).flatten())
        .collect();
    let mut attempt = 1;
    loop {
        match write_batch(store, source, validators, items, &processed, complete, at) {
            Err(e) if attempt < WRITE_ATTEMPTS => {
                tracing::warn!(
                    "source {}: writing a harvest: {e}; trying again",
                    source.name
                );
                attempt += 1;
            }
            result => return result,
        }
    }
}

fn write_batch(
    store: &mut dyn WatchStore,
    source: &Source,
    validators: &Validators,
    items: &[NewItem],
    processed: &[Processed],
    complete: bool,
    at: &str,
) -> Result<(u64, u64), WatchError> {
    let mut batch = store.batch()?;
    // An item another worker stored, or whose claim expired and was taken over while
    // this one fetched it, is left to that worker. The claims are taken in key order,
    // the order workers claim items in, so that no two transactions wait on each other.
    let mut keys: Vec<&str> = items.iter().map(|i| i.key.as_str()).collect();
    keys.sort_unstable();
    keys.dedup();
    let mut mine = HashSet::with_capacity(keys.len());
    for k in keys {
        if batch.take_item(k)? {
            mine.insert(k);
        }
    }
    let mut n_items = 0u64;
    let mut n_events = 0u64;
    for (item, processed) in items.iter().zip(processed) {
        if !mine.remove(item.key.as_str()) {
            continue;
        }
        let (document_id, events, error) = match &item.doc {
            Ok(doc) => {
                let put = batch.put_document(doc)?;
                let mut events = 0u32;
                let mut error = None;
                if put.is_new() {
                    match processed {
                        Some(Ok((article, evs))) => {
                            batch.put_article(put.id(), article)?;
                            batch.put_events(put.id(), evs)?;
                            events = evs.len() as u32;
                        }
                        Some(Err(e)) => error = Some(e.clone()),
                        None => error = Some("not processed".to_string()),
                    }
                }
                (Some(put.id()), events, error)
            }
            Err((reason, _)) => (None, 0, Some(reason.clone())),
        };
        let recorded = batch.record_item(&WatchItem {
            key: &item.key,
            source: &source.name,
            url: item.url.as_deref(),
            document_id,
            events,
            fetched_at: at,
            error: error.as_deref(),
        })?;
        if recorded && document_id.is_some() && error.is_none() {
            n_items += 1;
            n_events += u64::from(events);
        }
    }
    // An incomplete harvest keeps the old validators, so the source is read in full
    // again at the next poll.
    batch.record_poll(
        &source.name,
        &PollRecord::Success {
            at,
            validators: complete.then_some((
                validators.etag.as_deref(),
                validators.last_modified.as_deref(),
            )),
            not_modified: false,
            items: n_items as u32,
            events: n_events as u32,
        },
    )?;
    batch.commit()?;
    Ok((n_items, n_events))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn backoff_doubles_and_is_capped() {
        let s = Duration::from_secs(1);
        let max = Duration::from_secs(60);
        assert_eq!(backoff(s, 1, max), Duration::from_secs(2));
        assert_eq!(backoff(s, 3, max), Duration::from_secs(8));
        assert_eq!(backoff(s, 30, max), max);
        // An interval above the cap is never shortened by a failure.
        assert_eq!(
            backoff(Duration::from_secs(600), 1, max),
            Duration::from_secs(600)
        );
    }
}
