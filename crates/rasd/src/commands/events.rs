//! `rasd events [--db rasd.db|postgres://…] [--format table|json|jsonl|csv|geojson] [filters]`:
//! the stored events, filtered with rasd_store::EventFilter.

use crate::target::Target;
use rasd_model::{Event, EventType, SubEventType};
use rasd_store::{BBox, EventFilter, Sort, StoredEvent};
use serde_json::{Value, json};
use std::io::Write;
use std::path::PathBuf;
use std::process::ExitCode;

#[derive(Clone, Copy, Debug, clap::ValueEnum)]
pub enum Format {
    Table,
    Json,
    Jsonl,
    Csv,
    Geojson,
}

#[derive(clap::Args)]
pub struct Args {
    /// The store written by `rasd ingest` (a SQLite file or a PostgreSQL URL).
    #[arg(long, default_value = "rasd.db")]
    pub db: PathBuf,
    #[arg(long, value_enum, default_value = "table")]
    pub format: Format,
    /// Events that end on or after this day (YYYY-MM-DD).
    #[arg(long)]
    pub from: Option<jiff::civil::Date>,
    /// Events that start on or before this day (YYYY-MM-DD).
    #[arg(long)]
    pub to: Option<jiff::civil::Date>,
    /// Event type, e.g. battles, explosions_remote_violence.
    #[arg(long = "type", value_parser = parse_type)]
    pub event_type: Option<EventType>,
    /// Sub-event type, e.g. air_drone_strike.
    #[arg(long, value_parser = parse_sub_type)]
    pub sub_type: Option<SubEventType>,
    /// Governorate (Arabic, e.g. درعا).
    #[arg(long)]
    pub admin1: Option<String>,
    /// District (Arabic).
    #[arg(long)]
    pub admin2: Option<String>,
    /// A place: the event's town or its district or governorate (Arabic).
    #[arg(long)]
    pub place: Option<String>,
    /// An actor (actor1, actor2 or an associated actor): a name, or the start of one of
    /// its words, compared after folding ("hayat tahrir" finds Hay'at Tahrir al-Sham).
    /// On a PostgreSQL store, any part of a name.
    #[arg(long)]
    pub actor: Option<String>,
    /// Words that must all occur in the evidence, place or actors (Arabic is folded).
    #[arg(long)]
    pub text: Option<String>,
    #[arg(long)]
    pub min_fatalities: Option<u32>,
    /// min_lon,min_lat,max_lon,max_lat
    #[arg(long, allow_hyphen_values = true)]
    pub bbox: Option<BBox>,
    #[arg(long)]
    pub limit: Option<u32>,
    #[arg(long, default_value_t = 0)]
    pub offset: u32,
    /// date_desc, date_asc, fatalities_desc or stored_desc.
    #[arg(long, default_value = "date_desc")]
    pub sort: Sort,
}

fn parse_type(s: &str) -> Result<EventType, String> {
    s.parse().map_err(|e| format!("{e}"))
}

fn parse_sub_type(s: &str) -> Result<SubEventType, String> {
    s.parse().map_err(|e| format!("{e}"))
}

pub fn run(args: Args) -> anyhow::Result<ExitCode> {
    let mut store = Target::open(&args.db, false)?;
    let filter = EventFilter {
        from: args.from,
        to: args.to,
        event_type: args.event_type,
        sub_event_type: args.sub_type,
        actor: args.actor,
        admin1: args.admin1,
        admin2: args.admin2,
        place: args.place,
        bbox: args.bbox,
        text: args.text,
        min_fatalities: args.min_fatalities,
        doc_id: None,
        limit: args.limit,
        offset: args.offset,
        sort: args.sort,
        ..EventFilter::default()
    };
    let events = store.query_events(&filter)?;
    let stdout = std::io::stdout();
    let mut out = std::io::BufWriter::new(stdout.lock());
    match args.format {
        Format::Table => {
            let rows: Vec<_> = events
                .iter()
                .map(|e| (e.doc_id.as_str(), &e.event))
                .collect();
            write_table(&mut out, &rows)?;
            let total = store.count_events(&filter)?;
            writeln!(out, "{} of {} matching events", events.len(), total)?;
        }
        Format::Json => {
            let records: Vec<Value> = events.iter().map(record).collect();
            serde_json::to_writer_pretty(&mut out, &records)?;
            writeln!(out)?;
        }
        Format::Jsonl => {
            for e in &events {
                serde_json::to_writer(&mut out, &record(e))?;
                writeln!(out)?;
            }
        }
        Format::Csv => write_csv(&mut out, &events)?,
        Format::Geojson => {
            let features: Vec<Value> = events.iter().map(feature).collect();
            let fc = json!({"type": "FeatureCollection", "features": features});
            serde_json::to_writer(&mut out, &fc)?;
            writeln!(out)?;
        }
    }
    out.flush()?;
    Ok(ExitCode::SUCCESS)
}

/// The event's fields with where it came from (`id`, `doc_id`, `source`, `url`, `published`).
fn record(e: &StoredEvent) -> Value {
    let mut v = json!({
        "id": e.id.0,
        "doc_id": e.doc_id,
        "source": e.source,
        "url": e.url,
        "published": e.published,
    });
    if let (Value::Object(m), Ok(Value::Object(ev))) = (&mut v, serde_json::to_value(&e.event)) {
        m.extend(ev);
    }
    v
}

fn feature(e: &StoredEvent) -> Value {
    let loc = &e.event.location;
    let geometry = match (loc.lon, loc.lat) {
        (Some(lon), Some(lat)) => json!({"type": "Point", "coordinates": [lon, lat]}),
        _ => Value::Null,
    };
    json!({"type": "Feature", "id": e.id.0, "geometry": geometry, "properties": record(e)})
}

fn truncate(s: &str, n: usize) -> String {
    if s.chars().count() <= n {
        s.to_string()
    } else {
        let mut t: String = s.chars().take(n.saturating_sub(1)).collect();
        t.push('…');
        t
    }
}

fn pad(s: &str, n: usize) -> String {
    let s = truncate(s, n);
    let len = s.chars().count();
    format!("{s}{}", " ".repeat(n.saturating_sub(len)))
}

/// A plain table, one event per line.
pub fn write_table(out: &mut impl Write, rows: &[(&str, &Event)]) -> std::io::Result<()> {
    writeln!(
        out,
        "{} {} {} {} {} deaths",
        pad("doc_id", 22),
        pad("dates", 22),
        pad("type / sub-type", 44),
        pad("place (admin1)", 26),
        pad("actors", 50),
    )?;
    for (doc_id, e) in rows {
        let dates = if e.date_start == e.date_end {
            e.date_start.to_string()
        } else {
            format!("{}..{}", e.date_start, e.date_end)
        };
        let place = match &e.location.admin1 {
            Some(a) if *a != e.location.name => format!("{} ({a})", e.location.name),
            _ => e.location.name.clone(),
        };
        let actors = match &e.actor2 {
            Some(a2) => format!("{} vs {a2}", e.actor1),
            None => e.actor1.clone(),
        };
        let deaths = e
            .fatalities
            .map(|f| f.to_string())
            .or_else(|| e.fatalities_vague.map(|v| v.as_str().to_string()))
            .unwrap_or_else(|| "-".into());
        writeln!(
            out,
            "{} {} {} {} {} {}",
            pad(doc_id, 22),
            pad(&dates, 22),
            pad(&format!("{} / {}", e.event_type, e.sub_event_type), 44),
            pad(&place, 26),
            pad(&actors, 50),
            deaths
        )?;
    }
    Ok(())
}

const CSV_COLUMNS: [&str; 26] = [
    "id",
    "doc_id",
    "event_type",
    "sub_event_type",
    "date_start",
    "date_end",
    "date_precision",
    "location",
    "admin1",
    "admin2",
    "country",
    "location_precision",
    "latitude",
    "longitude",
    "actor1",
    "assoc_actor1",
    "actor2",
    "assoc_actor2",
    "fatalities",
    "injured",
    "arrested",
    "confidence",
    "source",
    "url",
    "published",
    "evidence",
];

fn csv_field(s: &str) -> String {
    if s.contains([',', '"', '\n', '\r']) {
        format!("\"{}\"", s.replace('"', "\"\""))
    } else {
        s.to_string()
    }
}

fn opt<T: ToString>(v: Option<T>) -> String {
    v.map(|v| v.to_string()).unwrap_or_default()
}

fn write_csv(out: &mut impl Write, events: &[StoredEvent]) -> std::io::Result<()> {
    writeln!(out, "{}", CSV_COLUMNS.join(","))?;
    for s in events {
        let e = &s.event;
        let l = &e.location;
        let row = [
            s.id.0.to_string(),
            s.doc_id.clone(),
            e.event_type.to_string(),
            e.sub_event_type.to_string(),
            e.date_start.to_string(),
            e.date_end.to_string(),
            e.date_precision.to_string(),
            l.name.clone(),
            opt(l.admin1.as_deref()),
            opt(l.admin2.as_deref()),
            l.country.clone(),
            l.precision.to_string(),
            opt(l.lat),
            opt(l.lon),
            e.actor1.clone(),
            e.assoc_actor1.join("; "),
            opt(e.actor2.as_deref()),
            e.assoc_actor2.join("; "),
            opt(e.fatalities),
            opt(e.injured),
            opt(e.arrested),
            opt(e.confidence),
            opt(s.source.as_deref()),
            opt(s.url.as_deref()),
            opt(s.published.as_deref()),
            e.evidence.join(" | "),
        ];
        let row: Vec<String> = row.iter().map(|f| csv_field(f)).collect();
        writeln!(out, "{}", row.join(","))?;
    }
    Ok(())
}
