//! `rasd eval --gold GOLD.jsonl PRED.jsonl [--json] [--by-type] [--errors N] [--gate FLOORS.json]`:
//! the scores of spec/events.md, printed exactly as score_events.py prints them;
//! with `--gate`, exit 1 when a score falls below its floor.

use anyhow::Context as _;
use rasd_eval::{EventSet, Floors, score};
use std::path::PathBuf;
use std::process::ExitCode;

#[derive(clap::Args)]
pub struct Args {
    /// The annotated documents (JSON Lines, events.md schema).
    #[arg(long)]
    pub gold: PathBuf,
    /// The predictions, e.g. the output of `rasd code --format jsonl`.
    pub pred: PathBuf,
    /// Print the result as one JSON object.
    #[arg(long)]
    pub json: bool,
    /// Add a per-event-type table.
    #[arg(long)]
    pub by_type: bool,
    /// List the first N disagreements.
    #[arg(
        long,
        value_name = "N",
        default_value_t = 0,
        allow_negative_numbers = true
    )]
    pub errors: i64,
    /// Fail (exit 1) when F1, precision, recall or a field accuracy is below the
    /// floors in this JSON file (e.g. eval/floors.json).
    #[arg(long, value_name = "FLOORS")]
    pub gate: Option<PathBuf>,
}

pub fn run(args: Args) -> anyhow::Result<ExitCode> {
    let floors = args
        .gate
        .as_deref()
        .map(Floors::load)
        .transpose()
        .context("--gate")?;
    let gold = EventSet::load(&args.gold)?;
    let pred = EventSet::load(&args.pred)?;
    let report = score(&gold, &pred);
    if args.json {
        println!("{}", report.json());
    } else {
        print!("{}", report.text(args.by_type, args.errors));
    }
    let Some(floors) = floors else {
        return Ok(ExitCode::SUCCESS);
    };
    let failures = report.gate(&floors);
    if failures.is_empty() {
        eprintln!("gate: every score is at or above its floor");
        return Ok(ExitCode::SUCCESS);
    }
    for f in &failures {
        eprintln!("gate: {f}");
    }
    Ok(ExitCode::from(1))
}
