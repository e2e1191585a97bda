//! `rasd ingest PATH... [--db rasd.db] [--manifest F] [--actors F] [--jobs N]`: documents,
//! articles and coded events into the store, in batches of one transaction each.
//! Re-running is safe: documents already stored (same bytes) are skipped, so an
//! interrupted ingest resumes where it stopped.

use crate::pipeline::{Input, Pipeline, PipelineOptions, default_jobs, origin_label};
use crate::progress::Progress;
use anyhow::Context as _;
use rasd_store::{PutDocument, Store};
use std::path::PathBuf;
use std::process::ExitCode;

/// Documents written per transaction.
const DEFAULT_BATCH: u64 = 32;

#[derive(clap::Args)]
pub struct Args {
    /// Files and folders (recursive; .gz read transparently; feeds split into items).
    #[arg(required = true)]
    pub paths: Vec<PathBuf>,
    /// The store (created when missing).
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
}

/// What one ingest did.
#[derive(Debug, Default, Clone, Copy)]
pub struct Summary {
    pub read: u64,
    pub new: u64,
    pub duplicate: u64,
    pub failed: u64,
    pub events: u64,
}

pub fn run(args: Args) -> anyhow::Result<ExitCode> {
    let pipeline = Pipeline::new(&PipelineOptions {
        manifest: args.manifest.clone(),
        actors: args.actors.clone(),
    })?;
    let mut store =
        Store::open(&args.db).with_context(|| format!("store {}", args.db.display()))?;
    let progress = Progress::new("documents");
    let mut summary = Summary::default();
    let mut docs = pipeline.documents(&args.paths).peekable();
    let jobs = args.jobs.map_or_else(default_jobs, |j| j as usize);
    while docs.peek().is_some() {
        let batch = store.batch()?;
        // Store the documents first (that is what makes a re-run skip them), then
        // extract and code the new ones on every thread, then write in input order.
        let mut todo: Vec<(rasd_store::DocumentId, Input)> = Vec::new();
        for _ in 0..args.batch_size {
            let Some(doc) = docs.next() else { break };
            progress.tick();
            let input = match doc {
                Ok(input) => input,
                Err(e) => {
                    summary.failed += 1;
                    progress.fail(&e.path().display().to_string(), &ErrorWithoutPath(&e));
                    continue;
                }
            };
            summary.read += 1;
            let put = batch.put_document(&input.doc)?;
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
    println!(
        "{}: {} documents read, {} new, {} duplicate, {} failed; {} events coded",
        args.db.display(),
        summary.read,
        summary.new,
        summary.duplicate,
        summary.failed,
        summary.events
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
