//! `rasd code PATH... [--format jsonl|json|table|explain] [--jobs N]`: the pipeline without a
//! store.
//! One record per document, `{"doc_id", "published", "source", "events": [...]}` in
//! the events.md schema — the evaluation interface, kept stable.

use crate::pipeline::{
    Input, Pipeline, PipelineOptions, coded_document, default_jobs, origin_label,
};
use crate::progress::Progress;
use rasd_model::CodedDocument;
use std::io::Write as _;
use std::path::PathBuf;
use std::process::ExitCode;

#[derive(Clone, Copy, Debug, clap::ValueEnum)]
pub enum Format {
    /// One JSON record per line.
    Jsonl,
    /// One JSON array of records.
    Json,
    /// A table for reading.
    Table,
    /// For reviewing a coding decision: each document's events as a table, then what
    /// the coder read in each sentence (triggers, actors and their roles, places,
    /// dates, cues, figures) and the mentions it built.
    Explain,
}

#[derive(clap::Args)]
pub struct Args {
    /// Files and folders (recursive; .gz read transparently; feeds split into items).
    #[arg(required = true)]
    pub paths: Vec<PathBuf>,
    #[arg(long, value_enum, default_value = "jsonl")]
    pub format: Format,
    /// Metadata you already have: JSON Lines of {"path" or "doc_id", "url", "published", "source"}.
    #[arg(long)]
    pub manifest: Option<PathBuf>,
    /// Your own actor register (TSV), merged over the bundled one.
    #[arg(long)]
    pub actors: Option<PathBuf>,
    /// Threads extracting and coding (default: one per core). Records are written
    /// in input order whatever this is.
    #[arg(long, short = 'j', value_parser = clap::value_parser!(u64).range(1..))]
    pub jobs: Option<u64>,
}

/// Documents read ahead and coded together: enough to keep every thread busy,
/// few enough that memory stays flat on a large folder or archive.
const CHUNK: usize = 64;

pub fn run(args: Args) -> anyhow::Result<ExitCode> {
    let pipeline = Pipeline::new(&PipelineOptions {
        manifest: args.manifest.clone(),
        actors: args.actors.clone(),
    })?;
    let progress = Progress::new("documents");
    let stdout = std::io::stdout();
    let mut out = std::io::BufWriter::new(stdout.lock());
    let mut failed = 0u64;
    let mut all: Vec<CodedDocument> = Vec::new();
    let jobs = args.jobs.map_or_else(default_jobs, |j| j as usize);
    let mut docs = pipeline.documents(&args.paths).peekable();
    while docs.peek().is_some() {
        let mut inputs: Vec<Input> = Vec::with_capacity(CHUNK);
        for doc in docs.by_ref().take(CHUNK) {
            progress.tick();
            match doc {
                Ok(input) => inputs.push(input),
                Err(e) => {
                    failed += 1;
                    progress.fail("input", &e);
                }
            }
        }
        let results = pipeline.process_all(&inputs, jobs);
        for (input, result) in inputs.iter().zip(results) {
            // A document whose article cannot be extracted is still a document: its
            // record says it reports no events, and the failure is reported.
            let doc = &input.doc;
            let (record, result_article) = match result {
                Ok(done) => (
                    coded_document(doc, Some(&done.article), done.events),
                    Ok(done.article),
                ),
                Err(e) => {
                    failed += 1;
                    progress.fail(&origin_label(doc), &e);
                    (coded_document(doc, None, Vec::new()), Err(()))
                }
            };
            match args.format {
                Format::Jsonl => {
                    serde_json::to_writer(&mut out, &record)?;
                    out.write_all(b"\n")?;
                }
                Format::Json | Format::Table => all.push(record),
                Format::Explain => {
                    writeln!(out, "## {}", record.doc_id)?;
                    let rows: Vec<_> = record
                        .events
                        .iter()
                        .map(|e| (record.doc_id.as_str(), e))
                        .collect();
                    super::events::write_table(&mut out, &rows)?;
                    if let Ok(done) = &result_article {
                        out.write_all(pipeline.explain(done).as_bytes())?;
                    }
                    writeln!(out)?;
                }
            }
        }
    }
    progress.finish();
    match args.format {
        Format::Jsonl | Format::Explain => {}
        Format::Json => {
            serde_json::to_writer_pretty(&mut out, &all)?;
            out.write_all(b"\n")?;
        }
        Format::Table => {
            let rows: Vec<_> = all
                .iter()
                .flat_map(|d| d.events.iter().map(move |e| (d.doc_id.as_str(), e)))
                .collect();
            super::events::write_table(&mut out, &rows)?;
            let empty = all.iter().filter(|d| d.events.is_empty()).count();
            writeln!(
                out,
                "{} documents, {} events, {} documents without events",
                all.len(),
                rows.len(),
                empty
            )?;
        }
    }
    out.flush()?;
    Ok(if failed > 0 {
        ExitCode::from(1)
    } else {
        ExitCode::SUCCESS
    })
}
