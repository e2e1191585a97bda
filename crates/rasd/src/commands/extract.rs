//! `rasd extract PATH... [--format jsonl|json]`: the article extracted from each
//! document, `{"doc_id", "title", "published", "dateline", "text", "paragraphs", ...}`.

use crate::pipeline::{Pipeline, PipelineOptions, origin_label};
use crate::progress::Progress;
use std::io::Write as _;
use std::path::PathBuf;
use std::process::ExitCode;

#[derive(Clone, Copy, Debug, clap::ValueEnum)]
pub enum Format {
    Jsonl,
    Json,
}

#[derive(clap::Args)]
pub struct Args {
    #[arg(required = true)]
    pub paths: Vec<PathBuf>,
    #[arg(long, value_enum, default_value = "jsonl")]
    pub format: Format,
    /// Metadata you already have: JSON Lines of {"path" or "doc_id", "url", "published", "source"}.
    #[arg(long)]
    pub manifest: Option<PathBuf>,
}

pub fn run(args: Args) -> anyhow::Result<ExitCode> {
    let pipeline = Pipeline::new(&PipelineOptions {
        manifest: args.manifest.clone(),
        actors: None,
    })?;
    let progress = Progress::new("documents");
    let stdout = std::io::stdout();
    let mut out = std::io::BufWriter::new(stdout.lock());
    let mut failed = 0u64;
    let mut all = Vec::new();
    for doc in pipeline.documents(&args.paths) {
        progress.tick();
        let article = match doc {
            Err(e) => {
                failed += 1;
                progress.fail("input", &e);
                continue;
            }
            Ok(input) => match pipeline.extract_input(&input) {
                Ok(article) => article,
                Err(e) => {
                    failed += 1;
                    progress.fail(&origin_label(&input.doc), &e);
                    continue;
                }
            },
        };
        match args.format {
            Format::Jsonl => {
                serde_json::to_writer(&mut out, &article)?;
                out.write_all(b"\n")?;
            }
            Format::Json => all.push(article),
        }
    }
    progress.finish();
    if let Format::Json = args.format {
        serde_json::to_writer_pretty(&mut out, &all)?;
        out.write_all(b"\n")?;
    }
    out.flush()?;
    Ok(if failed > 0 {
        ExitCode::from(1)
    } else {
        ExitCode::SUCCESS
    })
}
