//! `rasd ingest PATH... [--db rasd.db|postgres://…] [--manifest F] [--actors F] [--jobs N]
//! [--shard K/N]`: documents, articles and coded events into the store, in batches of
//! one transaction each. Re-running is safe: documents already stored (same bytes) are
//! skipped, so an interrupted ingest resumes where it stopped. Several workers may
//! share a PostgreSQL store, each taking its `--shard` of the input (or all of it:
//! whoever stores a document first codes it).

use crate::pipeline::{Input, Pipeline, PipelineOptions, default_jobs, origin_label};
use crate::progress::Progress;
use crate::target::{self, Shard, Target};
use anyhow::Context as _;
use rasd_model::RawDocument;
use rasd_store::{DocumentId, PutDocument};
use std::path::PathBuf;
use std::process::ExitCode;

/// Documents written per transaction.
const DEFAULT_BATCH: u64 = 32;

#[derive(clap::Args)]
pub struct Args {
    /// Files and folders (recursive; .gz read transparently; feeds split into items).
    #[arg(required = true)]
    pub paths: Vec<PathBuf>,
    /// The store: a SQLite file (created when missing) or a PostgreSQL URL
    /// (postgres://user:password@host/db) that several workers share.
    #[arg(long, default_value = "rasd.db")]
    pub db: PathBuf,
    /// Metadata you already have: JSON Lines of {"path" or "doc_id", "url", "published", "source"}.
    #[arg(long)]
    pub manifest: Option<PathBuf>,
    /// Your own actor register (TSV), merged over the bundled one.
    #[arg(long)]
    pub actors: Option<PathBuf>,
    /// Documents per transaction.
    #[arg(long, default_value_t = DEFAULT_BATCH, value_parser = clap::value_parser!(u64).range(1..))]
    pub batch_size: u64,
    /// Extract and code again the documents already stored (e.g. after upgrading rasd).
    #[arg(long)]
    pub recode: bool,
    /// Threads extracting and coding (default: one per core). The store is written
    /// by one thread, in input order, whatever this is.
    #[arg(long, short = 'j', value_parser = clap::value_parser!(u64).range(1..))]
    pub jobs: Option<u64>,
    /// Take only this worker's share K of N of the input (by content hash), so N
    /// workers given the same paths split them without overlap.
    #[arg(long)]
    pub shard: Option<Shard>,
}

/// What one ingest did.
#[derive(Debug, Default, Clone, Copy)]
pub struct Summary {
    pub read: u64,
    pub new: u64,
    pub duplicate: u64,
    pub failed: u64,
    pub events: u64,
    pub other_shards: u64,
}

pub fn run(args: Args) -> anyhow::Result<ExitCode> {
    let pipeline = Pipeline::new(&PipelineOptions {
        manifest: args.manifest.clone(),
        actors: args.actors.clone(),
    })?;
    let mut store = Target::open(&args.db, true)?;
    let progress = Progress::new("documents");
    let mut summary = Summary::default();
    let mut docs = pipeline.documents(&args.paths).peekable();
    let jobs = args.jobs.map_or_else(default_jobs, |j| j as usize);
    while docs.peek().is_some() {
        let mut inputs: Vec<Input> = Vec::new();
        while (inputs.len() as u64) < args.batch_size {
            let Some(doc) = docs.next() else { break };
            progress.tick();
            match doc {
                Ok(input) => {
                    if args.shard.is_some_and(|s| !s.takes(&input.doc.bytes)) {
                        summary.other_shards += 1;
                        continue;
                    }
                    summary.read += 1;
                    inputs.push(input);
                }
                Err(e) => {
                    summary.failed += 1;
                    progress.fail(&e.path().display().to_string(), &ErrorWithoutPath(&e));
                }
            }
        }
        let mut batch = store.batch()?;
        // Store the documents first (that is what makes a re-run skip them), then
        // extract and code the new ones on every thread, then write in input order.
        let raw: Vec<&RawDocument> = inputs.iter().map(|i| &i.doc).collect();
        let puts = batch.put_documents(&raw)?;
        let mut todo: Vec<(DocumentId, Input)> = Vec::new();
        for (put, input) in puts.into_iter().zip(inputs) {
            match put {
                PutDocument::Existing(_) if !args.recode => {
                    summary.duplicate += 1;
                    continue;
                }
                PutDocument::Existing(_) => summary.duplicate += 1,
                PutDocument::Inserted(_) => summary.new += 1,
            }
            todo.push((put.id(), input));
        }
        let (ids, inputs): (Vec<_>, Vec<_>) = todo.into_iter().unzip();
        let results = pipeline.process_all(&inputs, jobs);
        for ((id, input), result) in ids.into_iter().zip(&inputs).zip(results) {
            match result {
                Ok(done) => {
                    batch.put_article(id, &done.article)?;
                    batch.put_events(id, &done.events)?;
                    summary.events += done.events.len() as u64;
                }
                Err(e) => {
                    // The document stays stored (its bytes are the record); it has
                    // no article, and `--recode` retries it.
                    summary.failed += 1;
                    progress.fail(&origin_label(&input.doc), &e);
                }
            }
        }
        batch.commit()?;
    }
    progress.finish();
    // On a shared store, incidents are clustered as workers store events (the embedded
    // store clusters when exporting or serving): one pass at a time across workers.
    if let Target::Postgres(pg) = &mut store {
        let s = crate::incidents::sync_postgres(pg)
            .context("clustering the new events into incidents")?;
        tracing::info!(?s, "incidents brought up to date");
    }
    println!(
        "{}: {} documents read, {} new, {} duplicate, {} failed; {} events coded{}",
        target::display(&args.db),
        summary.read,
        summary.new,
        summary.duplicate,
        summary.failed,
        summary.events,
        match summary.other_shards {
            0 => String::new(),
            n => format!(" ({n} left to other shards)"),
        }
    );
    Ok(if summary.failed > 0 {
        ExitCode::from(1)
    } else {
        ExitCode::SUCCESS
    })
}

/// An ingest error's message (which starts with the path already).
struct ErrorWithoutPath<'a>(&'a rasd_ingest::IngestError);

impl std::fmt::Display for ErrorWithoutPath<'_> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let full = self.0.to_string();
        let path = self.0.path().display().to_string();
        let rest = full
            .strip_prefix(&path)
            .map(|r| r.trim_start_matches(':').trim_start())
            .unwrap_or(&full);
        f.write_str(rest)
    }
}
