//! `rasd watch --sources sources.toml [--db rasd.db]`: polls the sources of the file
//! until SIGTERM or Ctrl-C, storing every new item's article and events and
//! clustering them into incidents as they arrive (rasd-watch does the polling;
//! this file wires in the pipeline and the incident pass of `rasd export`).
//! `rasd watch --status [--db rasd.db]` prints each source's state instead.
//! With `--db postgres://…`, several watchers share the sources of one database
//! (rasd_watch::pg): each source is polled by one of them at a time.
//! The alerts' sender (`rasd alert`) runs on a thread beside the pollers; on
//! PostgreSQL every watcher runs one, and they share the outbox (each delivery is
//! leased by one of them).

use crate::pipeline::{Input, Pipeline, PipelineOptions, default_jobs};
use rasd_model::{Article, Event, RawDocument};
use rasd_store::Store;
use rasd_watch::{Config, Processor, Watcher};
use std::path::PathBuf;
use std::process::ExitCode;
use std::sync::Arc;
use std::sync::atomic::AtomicBool;

#[derive(clap::Args)]
pub struct Args {
    /// The sources file (TOML, one [[source]] per feed or listing page; see
    /// sources.example.toml).
    #[arg(long, required_unless_present = "status")]
    pub sources: Option<PathBuf>,
    /// The store (a SQLite file, created when missing). `rasd serve --db` on the same
    /// file shows what the watcher stores as it stores it. A PostgreSQL URL
    /// (postgres://user:password@host/db) is shared: several watchers on it split
    /// the sources between them.
    #[arg(long, default_value = "rasd.db")]
    pub db: PathBuf,
    /// Print each watched source's last success, last error, items read and events
    /// coded, and exit.
    #[arg(long)]
    pub status: bool,
    /// Print the status as JSON.
    #[arg(long, requires = "status")]
    pub json: bool,
    /// Your own actor register (TSV), merged over the bundled one.
    #[arg(long)]
    pub actors: Option<PathBuf>,
    /// Threads extracting and coding (default: one per core).
    #[arg(long, short = 'j', value_parser = clap::value_parser!(u64).range(1..))]
    pub jobs: Option<u64>,
}

pub fn run(args: Args) -> anyhow::Result<ExitCode> {
    if args.status {
        return status(&args);
    }
    let Some(path) = &args.sources else {
        anyhow::bail!("--sources FILE is required");
    };
    let config = Config::load(path)?;
    let processor = Arc::new(Pipe {
        pipeline: Pipeline::new(&PipelineOptions {
            manifest: None,
            actors: args.actors.clone(),
        })?,
        jobs: args.jobs.map_or_else(default_jobs, |j| j as usize),
    });
    let stop = Arc::new(AtomicBool::new(false));
    rasd_watch::stop_on_signals(stop.clone())?;
    eprintln!(
        "rasd: watching {} sources into {}; SIGTERM or Ctrl-C stops",
        config.sources.len(),
        crate::target::display(&args.db)
    );
    // The alerts' sender, beside the pollers: it reads what they store from the change
    // log and stops with them. An embedded store is created first, so that the two
    // never race to create it (PostgreSQL migrates under an advisory lock).
    let alerts = {
        if !crate::target::is_postgres(&args.db) {
            drop(Store::open(&args.db)?);
        }
        let sender = rasd_watch::alerts::Sender::new(rasd_watch::alerts::AlertSettings {
            user_agent: config.settings.user_agent.clone(),
            ..Default::default()
        });
        let (db, stop) = (args.db.clone(), stop.clone());
        std::thread::spawn(move || sender.run(&db, &stop))
    };
    let summary = Watcher::new(config, args.db.clone()).run(processor, stop.clone());
    // The watcher may return early (an error): the sender is told to stop too.
    stop.store(true, std::sync::atomic::Ordering::SeqCst);
    let sent = alerts
        .join()
        .map_err(|_| anyhow::anyhow!("the alert sender panicked"))??;
    let summary = summary?;
    eprintln!(
        "rasd: stopped after {} polls ({} failed): {} new items, {} events",
        summary.polls, summary.failures, summary.items, summary.events
    );
    if sent.queued + sent.failed_attempts > 0 {
        eprintln!(
            "rasd: alerts: {} delivered, {} attempts failed ({} given up)",
            sent.delivered, sent.failed_attempts, sent.given_up
        );
    }
    Ok(ExitCode::SUCCESS)
}

/// The pipeline of `rasd ingest`, as the watcher's processor.
struct Pipe {
    pipeline: Pipeline,
    jobs: usize,
}

impl Processor for Pipe {
    fn process(&self, docs: &[&RawDocument]) -> Vec<Result<(Article, Vec<Event>), String>> {
        let inputs: Vec<Input> = docs
            .iter()
            .map(|d| Input {
                doc: (*d).clone(),
                page_meta: None,
            })
            .collect();
        self.pipeline
            .process_all(&inputs, self.jobs)
            .into_iter()
            .map(|r| r.map(|p| (p.article, p.events)).map_err(|e| e.to_string()))
            .collect()
    }

    fn after_commit(&self, store: &Store) -> Result<(), String> {
        crate::incidents::sync_sqlite(store)
            .map(|_| ())
            .map_err(|e| format!("{e:#}"))
    }

    fn after_commit_postgres(&self, store: &mut rasd_store_pg::PgStore) -> Result<(), String> {
        crate::incidents::sync_postgres(store)
            .map(|_| ())
            .map_err(|e| format!("{e:#}"))
    }
}

fn status(args: &Args) -> anyhow::Result<ExitCode> {
    let sources = if crate::target::is_postgres(&args.db) {
        rasd_store_pg::PgStore::connect(&args.db.to_string_lossy())?.watch_sources()?
    } else {
        if !args.db.exists() {
            anyhow::bail!(
                "{}: no store here; nothing has been watched",
                args.db.display()
            );
        }
        Store::open(&args.db)?.watch_sources()?
    };
    if args.json {
        println!("{}", serde_json::to_string_pretty(&sources)?);
        return Ok(ExitCode::SUCCESS);
    }
    if sources.is_empty() {
        println!(
            "{}: no source has been watched yet",
            crate::target::display(&args.db)
        );
        return Ok(ExitCode::SUCCESS);
    }
    let dash = |s: &Option<String>| s.clone().unwrap_or_else(|| "-".into());
    // On PostgreSQL, which worker polls each source now.
    let leased = sources.iter().any(|s| s.lease_holder.is_some());
    let lease_of = |s: &rasd_store::watch::WatchSource| -> String {
        if !leased {
            return String::new();
        }
        let held = match (&s.lease_holder, &s.lease_until) {
            (Some(h), Some(until)) => format!("{h} until {until}"),
            _ => "-".into(),
        };
        format!("{held:<45} ")
    };
    println!(
        "{:<20} {:<25} {:<25} {:>6} {:>6} {:>4}  {}last error",
        "source",
        "last success",
        "last poll",
        "items",
        "events",
        "fail",
        if leased {
            format!("{:<45} ", "leased by")
        } else {
            String::new()
        }
    );
    for s in sources {
        let error = match (&s.last_error, &s.last_error_at) {
            (Some(e), Some(at)) => format!("{at}: {e}"),
            _ => "-".into(),
        };
        println!(
            "{:<20} {:<25} {:<25} {:>6} {:>6} {:>4}  {}{}",
            s.name,
            dash(&s.last_success),
            dash(&s.last_poll),
            s.items_read,
            s.events_coded,
            s.failures,
            lease_of(&s),
            error
        );
    }
    Ok(ExitCode::SUCCESS)
}
