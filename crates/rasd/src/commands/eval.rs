//! `rasd eval --gold GOLD.jsonl PRED.jsonl [--json] [--by-type] [--errors N] [--causes] [--gate FLOORS.json]`:
//! the scores of spec/events.md, printed exactly as score_events.py prints them;
//! with `--causes`, the misses and spurious events grouped by cause instead of the
//! flat disagreement list; with `--gate`, exit 1 when a score falls below its floor.

use anyhow::Context as _;
use rasd_eval::{EventSet, Floors, Json, causes, score};
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
    /// Group the misses and spurious events by cause (place too coarse, places merged,
    /// later episode, type, date, background ...) and the matched pairs' actor errors:
    /// counts per cause first, then up to N examples of each (`--errors N`) in place
    /// of the flat list. With `--json`, adds every group to the object.
    #[arg(long)]
    pub causes: bool,
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
    let causes = args.causes.then(|| causes(&gold, &pred));
    match (&causes, args.json) {
        (None, true) => println!("{}", report.json()),
        (None, false) => print!("{}", report.text(args.by_type, args.errors)),
        (Some(causes), true) => {
            let mut obj = report.json_value();
            if let Json::Object(pairs) = &mut obj {
                pairs.extend(causes.json());
            }
            println!("{}", obj.dumps());
        }
        (Some(causes), false) => {
            print!("{}", report.text(args.by_type, 0));
            print!("{}", causes.text(usize::try_from(args.errors).unwrap_or(0)));
        }
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
