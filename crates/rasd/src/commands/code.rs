//! `rasd code PATH... [--format jsonl|json|table]`: the pipeline without a store.
//! One record per document, `{"doc_id", "published", "source", "events": [...]}` in
//! the events.md schema — the evaluation interface, kept stable.

use crate::pipeline::{Pipeline, PipelineOptions, coded_document, origin_label};
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
}

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
    for doc in pipeline.documents(&args.paths) {
        progress.tick();
        let input = match doc {
            Ok(input) => input,
            Err(e) => {
                failed += 1;
                progress.fail("input", &e);
                continue;
            }
        };
        // A document whose article cannot be extracted is still a document: its
        // record says it reports no events, and the failure is reported.
        let doc = &input.doc;
        let record = match pipeline.process(&input) {
            Ok(done) => coded_document(doc, Some(&done.article), done.events),
            Err(e) => {
                failed += 1;
                progress.fail(&origin_label(doc), &e);
                coded_document(doc, None, Vec::new())
            }
        };
        match args.format {
            Format::Jsonl => {
                serde_json::to_writer(&mut out, &record)?;
                out.write_all(b"\n")?;
            }
            Format::Json | Format::Table => all.push(record),
        }
    }
    progress.finish();
    match args.format {
        Format::Jsonl => {}
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
