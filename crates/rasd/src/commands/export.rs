//! `rasd export --format acled|ucdp|geojson|jsonl [--db rasd.db] [--out FILE] [filters]`:
//! merged incidents in ACLED, UCDP GED-style, GeoJSON or JSON Lines form.
//!
//! Before writing, [`sync`] brings the store's incidents up to date incrementally:
//! article bodies not fingerprinted yet are checked for near-duplicates (copies are
//! recorded, their events still count as sources), the incident index is rebuilt
//! from the stored links, only the events not linked yet are clustered, and the
//! incidents they touched (or that lost sources to re-coding) are saved again.
//! The records written are then built from the current events exactly as the
//! dashboard builds them, so analyst corrections, wrong marks, merges and splits
//! show in the file.

use anyhow::{Context as _, bail};
use rasd_dedup::export::{ExportOptions, Filter, Format};
use rasd_dedup::{
    ActorKindTable, DupOutcome, Fingerprint, IncidentId, IncidentIndex, IncidentRecord,
    NearDupIndex, SourceEvent,
};
use rasd_model::EventType;
use rasd_store::incidents::{IncidentSave, StoredFingerprint};
use rasd_store::{DocumentId, EventId, Store, StoredEvent};
use std::collections::{BTreeSet, HashMap, HashSet};
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

/// What one [`sync`] pass did.
#[derive(Debug, Default, Clone, Copy, PartialEq, Eq)]
pub struct SyncStats {
    pub fingerprinted: usize,
    pub copies: usize,
    pub clustered: usize,
    pub new_incidents: usize,
    pub absorbed: usize,
    pub saved: usize,
    pub deleted: usize,
}

fn source_of(e: StoredEvent) -> SourceEvent {
    SourceEvent {
        doc_id: e.doc_id,
        index: e.ordinal as usize,
        url: e.url,
        source: e.source,
        published: e.published,
        event: e.event,
    }
}

/// Near-duplicates and incidents for everything stored since the last pass.
pub fn sync(store: &Store) -> anyhow::Result<SyncStats> {
    let mut stats = SyncStats::default();

    // Near-duplicate articles: originals go back into the index, new bodies are checked.
    let copies: HashSet<DocumentId> = store
        .article_copies()?
        .iter()
        .map(|c| c.document_id)
        .collect();
    let mut dups = NearDupIndex::new();
    for (doc, fp) in store.fingerprints()? {
        if !copies.contains(&doc) {
            let fp = Fingerprint {
                minhash: fp.minhash,
                shingles: fp.shingles as usize,
                exact: fp.exact,
            };
            dups.restore(&doc.0.to_string(), fp);
        }
    }
    for (doc, _doc_id, text) in store.unfingerprinted_articles()? {
        let fp = Fingerprint::of(&text);
        store.put_fingerprint(
            doc,
            &StoredFingerprint {
                minhash: fp.minhash.clone(),
                shingles: fp.shingles as u32,
                exact: fp.exact,
            },
        )?;
        stats.fingerprinted += 1;
        if let DupOutcome::CopyOf {
            original,
            similarity,
        } = dups.insert_fingerprint(&doc.0.to_string(), fp)
        {
            let original: i64 = original.parse().context("near-duplicate index key")?;
            store.put_article_copy(doc, DocumentId(original), similarity)?;
            stats.copies += 1;
        }
    }

    // Incidents: rebuild from the links, then cluster only what is new.
    let mut index = IncidentIndex::new();
    let mut members: HashMap<IncidentId, Vec<EventId>> = HashMap::new();
    for (incident, event) in store.incident_links()? {
        let id = incident as IncidentId;
        members.entry(id).or_default().push(event.id);
        index.restore(id, source_of(event));
    }
    index.set_next_id(store.max_incident_id()? as IncidentId + 1);
    let mut touched: BTreeSet<IncidentId> = BTreeSet::new();
    for event in store.unclustered_events()? {
        let event_id = event.id;
        let out = index.insert(source_of(event));
        stats.clustered += 1;
        if !out.merged {
            stats.new_incidents += 1;
        }
        for gone in &out.absorbed {
            let moved = members.remove(gone).unwrap_or_default();
            members.entry(out.incident_id).or_default().extend(moved);
            touched.remove(gone);
            store.absorb_incident(*gone as i64, out.incident_id as i64)?;
            stats.absorbed += 1;
        }
        members.entry(out.incident_id).or_default().push(event_id);
        touched.insert(out.incident_id);
    }
    // Incidents whose sources changed under them (re-coded documents) are saved again;
    // incidents left with no source are deleted.
    for stored in store.incident_records()? {
        let id = stored.id as IncidentId;
        match index.get(id) {
            Some(inc) if inc.id == id => {
                if inc.sources.len() != stored.sources as usize {
                    touched.insert(id);
                }
            }
            _ => {
                store.delete_incident(stored.id)?;
                stats.deleted += 1;
            }
        }
    }
    for id in touched {
        let Some(record) = index.get(id).and_then(|i| i.record()) else {
            continue;
        };
        let e = &record.event;
        let json = serde_json::to_string(&record)?;
        let (start, end) = (e.date_start.to_string(), e.date_end.to_string());
        let events = members.get(&id).cloned().unwrap_or_default();
        store.save_incident(&IncidentSave {
            id: id as i64,
            event_type: e.event_type.as_str(),
            sub_event_type: e.sub_event_type.as_str(),
            date_start: &start,
            date_end: &end,
            location_name: &e.location.name,
            admin1: e.location.admin1.as_deref(),
            country: &e.location.country,
            lat: e.location.lat,
            lon: e.location.lon,
            fatalities: e.fatalities,
            fatalities_low: record.fatalities_low,
            fatalities_high: record.fatalities_high,
            record: &json,
            events: &events,
        })?;
        stats.saved += 1;
    }
    Ok(stats)
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

/// The incidents of a shared PostgreSQL store: its events clustered in the order they
/// were stored, afresh on every export (that store keeps no incident links or reviews).
fn postgres_incidents(db: &std::path::Path) -> anyhow::Result<Vec<IncidentRecord>> {
    let mut store = crate::target::Target::open(db, false)?;
    let mut events = store.query_events(&rasd_store::EventFilter {
        sort: rasd_store::Sort::StoredDesc,
        ..Default::default()
    })?;
    events.reverse();
    let mut index = IncidentIndex::new();
    for e in events {
        index.insert(source_of(e));
    }
    Ok(index.incidents().filter_map(|i| i.record()).collect())
}

pub fn run(args: Args) -> anyhow::Result<ExitCode> {
    if crate::target::is_postgres(&args.db) {
        let filter = filter_of(&args);
        let records: Vec<IncidentRecord> = postgres_incidents(&args.db)?
            .into_iter()
            .filter(|r| filter.matches(r))
            .collect();
        return write_records(&args, &records);
    }
    if !args.db.exists() {
        bail!(
            "no store at {} (create one with `rasd ingest PATH --db {}`)",
            args.db.display(),
            args.db.display()
        );
    }
    let store = Store::open(&args.db).with_context(|| format!("opening {}", args.db.display()))?;
    if !args.no_sync {
        let s = sync(&store).context("clustering new events into incidents")?;
        tracing::info!(?s, "incidents brought up to date");
    }
    let filter = filter_of(&args);
    // The incidents as analysts left them: the same records the dashboard's export
    // writes (corrections applied, events marked wrong left out, merges and splits kept).
    let incidents = rasd_server::current_incidents(&store)
        .map_err(|e| anyhow::anyhow!("{}: reading incidents: {e}", args.db.display()))?;
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
