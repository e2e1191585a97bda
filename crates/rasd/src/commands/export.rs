//! `rasd export --format acled|ucdp|geojson|jsonl [--db rasd.db] [--out FILE] [filters]`:
//! merged incidents in ACLED, UCDP GED-style, GeoJSON or JSON Lines form.
//!
//! Before writing, [`crate::incidents::sync`] brings the store's incidents up to date incrementally:
//! article bodies not fingerprinted yet are checked for near-duplicates (copies are
//! recorded, their events still count as sources), the incident index is rebuilt
//! from the stored links, only the events not linked yet are clustered, and the
//! incidents they touched (or that lost sources to re-coding) are saved again.
//! The records written are then built from the current events exactly as the
//! dashboard builds them, so analyst corrections, wrong marks, merges and splits
//! show in the file.

use anyhow::Context as _;
use rasd_dedup::export::{ExportOptions, Filter, Format};
use rasd_dedup::{ActorKindTable, IncidentRecord};
use rasd_model::EventType;
use std::io::Write;
use std::path::PathBuf;
use std::process::ExitCode;

#[derive(Clone, Copy, Debug, clap::ValueEnum)]
pub enum ExportFormat {
    Acled,
    Ucdp,
    Geojson,
    Jsonl,
}

#[derive(clap::Args)]
pub struct Args {
    #[arg(long, value_enum)]
    pub format: ExportFormat,
    /// The store written by `rasd ingest`.
    #[arg(long, default_value = "rasd.db")]
    pub db: PathBuf,
    /// Write here instead of standard output.
    #[arg(long, short)]
    pub out: Option<PathBuf>,
    /// Incidents that end on or after this day (YYYY-MM-DD).
    #[arg(long)]
    pub from: Option<jiff::civil::Date>,
    /// Incidents that start on or before this day (YYYY-MM-DD).
    #[arg(long)]
    pub to: Option<jiff::civil::Date>,
    /// Event type, e.g. battles, explosions_remote_violence.
    #[arg(long = "type", value_parser = parse_type)]
    pub event_type: Option<EventType>,
    /// Country (ISO alpha-2, e.g. SY).
    #[arg(long)]
    pub country: Option<String>,
    /// Governorate (Arabic, e.g. درعا).
    #[arg(long)]
    pub admin1: Option<String>,
    /// Only incidents reported by at least this many documents.
    #[arg(long, default_value_t = 0)]
    pub min_sources: usize,
    /// Do not store the clustering of new events (they are still grouped for this export).
    #[arg(long)]
    pub no_sync: bool,
    /// For Excel: a UTF-8 byte order mark and CRLF line ends (CSV formats).
    #[arg(long)]
    pub excel: bool,
    /// ACLED: only ACLED's own columns, without the Arabic names after them, so the rows
    /// append to an ACLED download as they are.
    #[arg(long)]
    pub acled_columns_only: bool,
    /// An actor list merged over the bundled one (the format of `rasd ingest --actors`;
    /// its `acled` and `name_ar` columns give ACLED's and the Arabic names).
    #[arg(long)]
    pub actors: Option<PathBuf>,
}

fn parse_type(s: &str) -> Result<EventType, String> {
    s.parse().map_err(|e| format!("{e}"))
}

/// The incidents the user asked for.
fn filter_of(args: &Args) -> Filter {
    Filter {
        from: args.from,
        to: args.to,
        event_type: args.event_type,
        country: args.country.clone(),
        admin1: args.admin1.clone(),
        min_sources: args.min_sources,
    }
}

/// The incidents as analysts left them, on either store: new events clustered into
/// the stored incidents first (unless `--no-sync`; on PostgreSQL under the lock every
/// worker's clustering pass takes), then the records built from the current events
/// through the store interface ([`rasd_store::Backend`]), exactly as the dashboard's
/// export builds them (corrections applied, events marked wrong left out, merges and
/// splits kept).
pub fn run(args: Args) -> anyhow::Result<ExitCode> {
    let shown = crate::target::display(&args.db);
    let mut target = crate::target::Target::open(&args.db, false)?;
    if !args.no_sync {
        let s = match &mut target {
            crate::target::Target::Sqlite(store) => crate::incidents::sync_sqlite(store),
            crate::target::Target::Postgres(store) => crate::incidents::sync_postgres(store),
        }
        .context("clustering new events into incidents")?;
        tracing::info!(?s, "incidents brought up to date");
    }
    let filter = filter_of(&args);
    let incidents = rasd_server::current_incidents(target.backend())
        .map_err(|e| anyhow::anyhow!("{shown}: reading incidents: {e}"))?;
    let records: Vec<IncidentRecord> = incidents
        .into_iter()
        .map(|(record, _)| record)
        .filter(|record| filter.matches(record))
        .collect();
    write_records(&args, &records)
}

/// Writes `records` in the chosen format to the chosen place.
fn write_records(args: &Args, records: &[IncidentRecord]) -> anyhow::Result<ExitCode> {
    let mut kinds = ActorKindTable::bundled();
    if let Some(path) = &args.actors {
        let text =
            std::fs::read_to_string(path).with_context(|| format!("reading {}", path.display()))?;
        kinds.merge(ActorKindTable::from_tsv(
            &text,
            &path.display().to_string(),
        )?);
    }
    let opts = ExportOptions {
        kinds: &kinds,
        timestamp: jiff::Timestamp::now().as_second(),
        excel: args.excel,
        arabic_columns: !args.acled_columns_only,
    };
    let format = match args.format {
        ExportFormat::Acled => Format::Acled,
        ExportFormat::Ucdp => Format::Ucdp,
        ExportFormat::Geojson => Format::Geojson,
        ExportFormat::Jsonl => Format::Jsonl,
    };
    match &args.out {
        Some(path) => {
            let file = std::fs::File::create(path)
                .with_context(|| format!("creating {}", path.display()))?;
            let mut w = std::io::BufWriter::new(file);
            rasd_dedup::export::write(format, records, &opts, &mut w)
                .with_context(|| format!("writing {}", path.display()))?;
            w.flush()?;
        }
        None => {
            let stdout = std::io::stdout();
            let mut w = std::io::BufWriter::new(stdout.lock());
            rasd_dedup::export::write(format, records, &opts, &mut w)
                .context("writing the export")?;
            w.flush()?;
        }
    }
    tracing::info!(incidents = records.len(), "exported");
    Ok(ExitCode::SUCCESS)
}
