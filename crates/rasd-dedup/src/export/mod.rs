//! Exports of incident records: ACLED CSV, UCDP GED-style CSV, GeoJSON and JSON Lines.
//!
//! Every writer takes merged [`IncidentRecord`]s (one per incident) and follows
//! `spec/events.md` "Exports".

pub mod acled;
pub mod countries;
pub mod geojson;
pub mod jsonl;
pub mod places;
pub mod ucdp;

use crate::DedupError;
use crate::actors::{ActorKinds, NameConventions};
use crate::incident::IncidentRecord;
use rasd_model::EventType;
use std::io::Write;
use std::str::FromStr;

/// An export format of `rasd export --format`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    Acled,
    Ucdp,
    Geojson,
    Jsonl,
}

impl FromStr for Format {
    type Err = DedupError;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Ok(match s.trim().to_ascii_lowercase().as_str() {
            "acled" => Format::Acled,
            "ucdp" => Format::Ucdp,
            "geojson" => Format::Geojson,
            "jsonl" => Format::Jsonl,
            other => {
                return Err(DedupError::UnknownFormat(other.to_string()));
            }
        })
    }
}

/// What the writers need besides the records.
pub struct ExportOptions<'a> {
    /// Actor types, for ACLED's `inter` codes and UCDP's type of violence, and ACLED's
    /// names of the actors.
    pub kinds: &'a dyn ActorKinds,
    /// Unix time written to ACLED's `timestamp` column.
    pub timestamp: i64,
    /// For Excel: the CSV starts with a UTF-8 byte order mark and ends its lines with
    /// CRLF (Excel reads a CSV without a BOM in the system's code page, so Arabic turns
    /// into mojibake).
    pub excel: bool,
    /// ACLED CSV: add the Arabic names (`location_ar`, `admin1_ar`…`admin3_ar`) after
    /// ACLED's columns. Off, the file has exactly ACLED's columns, so its rows can be
    /// appended to an ACLED download as they are.
    pub arabic_columns: bool,
}

impl Default for ExportOptions<'static> {
    fn default() -> Self {
        ExportOptions {
            kinds: &NameConventions,
            timestamp: 0,
            excel: false,
            arabic_columns: true,
        }
    }
}

/// A CSV writer with the line ending and byte order mark `opts` asks for.
pub(crate) fn csv_writer<W: Write>(
    opts: &ExportOptions<'_>,
    mut out: W,
) -> Result<csv::Writer<W>, DedupError> {
    let mut b = csv::WriterBuilder::new();
    if opts.excel {
        out.write_all("\u{FEFF}".as_bytes())?;
        b.terminator(csv::Terminator::CRLF);
    }
    Ok(b.from_writer(out))
}

/// Which incidents to export (`rasd export` filters). Empty fields keep everything.
#[derive(Debug, Clone, Default)]
pub struct Filter {
    /// Keep incidents whose span ends on or after this day.
    pub from: Option<jiff::civil::Date>,
    /// Keep incidents whose span starts on or before this day.
    pub to: Option<jiff::civil::Date>,
    pub event_type: Option<EventType>,
    /// ISO alpha-2 country code.
    pub country: Option<String>,
    /// Governorate (compared folded, so spelling variants match).
    pub admin1: Option<String>,
    /// Keep incidents reported by at least this many distinct documents.
    pub min_sources: usize,
}

impl Filter {
    pub fn matches(&self, r: &IncidentRecord) -> bool {
        let e = &r.event;
        self.from.is_none_or(|d| e.date_end >= d)
            && self.to.is_none_or(|d| e.date_start <= d)
            && self.event_type.is_none_or(|t| e.event_type == t)
            && self
                .country
                .as_deref()
                .is_none_or(|c| e.location.country.eq_ignore_ascii_case(c.trim()))
            && self.admin1.as_deref().is_none_or(|a| {
                e.location
                    .admin1
                    .as_deref()
                    .is_some_and(|x| crate::text::fold_key(x) == crate::text::fold_key(a))
            })
            && {
                let mut docs: Vec<&str> = r.sources.iter().map(|s| s.doc_id.as_str()).collect();
                docs.sort_unstable();
                docs.dedup();
                docs.len() >= self.min_sources
            }
    }
}

/// Writes `records` in `format`.
pub fn write<W: Write>(
    format: Format,
    records: &[IncidentRecord],
    opts: &ExportOptions<'_>,
    out: W,
) -> Result<(), DedupError> {
    match format {
        Format::Acled => acled::write(records, opts, out),
        Format::Ucdp => ucdp::write(records, opts, out),
        Format::Geojson => geojson::write(records, out),
        Format::Jsonl => jsonl::write(records, out),
    }
}
