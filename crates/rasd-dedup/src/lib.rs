//! rasd-dedup: one event, many reports.
//!
//! This crate owns cross-source merging:
//! - [`neardup`]: near-duplicate articles (syndicated copies, re-posts) by MinHash
//!   fingerprints of folded text, with LSH look-up; the first article is kept and
//!   later ones recorded as its copies.
//! - [`cluster`]: the incremental incident clusterer ([`IncidentIndex`]): source
//!   events of the same type, place, days (±1), sides and toll become one incident as
//!   they arrive, indexed by day, type, place key, governorate and a ~10 km grid —
//!   never a full recompute; `cluster_all` re-clusters a collection order-independently.
//! - [`place`]: places compared on the bundled gazetteer's hierarchy (a village in its
//!   side of the countryside, a quarter in its city, «محيط» a town).
//! - [`incident`]: the merged record of an incident (fatalities best/low/high, union
//!   of spans, the finest agreed place, merged actors, each source's claim side by side,
//!   and each toll, attribution and place with its sources).
//! - [`export`]: ACLED CSV, UCDP GED-style CSV, GeoJSON and JSON Lines writers.
//!
//! It is pure and in-memory (the gazetteer is compiled into `rasd-geo`); persistence lives in `rasd_store::incidents` and the
//! incremental store pass in `rasd export` (`crates/rasd/src/commands/export.rs`).
//! Every heuristic threshold is in [`params`].
//!
//! # API
//! ```text
//! SourceEvent { doc_id, index, url, source, published, event: Event }
//! SourceEvent::from_document(&CodedDocument) -> Vec<SourceEvent>
//!
//! IncidentIndex::new() -> IncidentIndex
//! IncidentIndex::cluster_all(impl IntoIterator<Item = SourceEvent>) -> IncidentIndex  // canonical order
//! IncidentIndex::insert(&mut self, SourceEvent) -> InsertOutcome { incident_id, merged, absorbed }
//! IncidentIndex::restore(&mut self, IncidentId, SourceEvent)      // rebuild from stored links
//! IncidentIndex::set_next_id(&mut self, IncidentId)
//! IncidentIndex::find(&self, &Event) -> Option<IncidentId>         // where it would go
//! IncidentIndex::get(&self, IncidentId) -> Option<&Incident>       // absorbed ids resolve
//! IncidentIndex::incidents(&self) -> impl Iterator<Item = &Incident>
//! Incident { id, sources: Vec<SourceEvent> }.record() -> Option<IncidentRecord>
//! IncidentRecord { incident_id, event (flattened), fatalities_low, fatalities_high, claims,
//!                  tolls: [TollClaim { fatalities, sources, outlets }],
//!                  attributions: [AttributionClaim { actor1, actor2, sources, outlets }],
//!                  places: [PlaceClaim { name, precision, place_id, sources }], sources }
//!
//! NearDupIndex::insert(&mut self, doc_id, text) -> DupOutcome { Original | CopyOf { original, similarity } }
//! Fingerprint::of(text) -> Fingerprint { minhash, shingles, exact }
//! Fingerprint::stored_keys(&self) -> Vec<i64>                      // LSH bands + exact, for a store
//! keys::filed_keys(&Event) -> Vec<(key, day)>                       // where the index files it
//! keys::lookup_keys(&Event) -> Vec<(key, first_day, last_day)>      // where insert looks
//! keys::scheme() -> &str                                            // changes when keys would
//!
//! export::write(Format, &[IncidentRecord], &ExportOptions, impl Write) -> Result<(), DedupError>
//! export::Filter { from, to, event_type, country, admin1, min_sources }.matches(&IncidentRecord)
//! ActorKinds (trait), NameConventions, ActorKindTable::from_tsv(text, origin)
//! ```

pub mod actors;
pub mod cluster;
pub mod export;
pub mod geo;
pub mod incident;
pub mod keys;
pub mod neardup;
pub mod params;
pub mod place;
pub mod source;
pub mod text;

pub use actors::{ActorKind, ActorKindTable, ActorKinds, NameConventions};
pub use cluster::{IncidentId, IncidentIndex, InsertOutcome};
pub use export::{ExportOptions, Filter, Format};
pub use incident::{
    AttributionClaim, Claim, Incident, IncidentRecord, PlaceClaim, SourceRef, TollClaim,
};
pub use neardup::{DupOutcome, Fingerprint, NearDupIndex};
pub use source::SourceEvent;

/// Everything that can go wrong in this crate.
#[derive(Debug, thiserror::Error)]
pub enum DedupError {
    #[error("{origin}:{line}: {message}")]
    Input {
        origin: String,
        line: usize,
        message: String,
    },
    #[error("unknown export format {0:?} (expected acled, ucdp, geojson or jsonl)")]
    UnknownFormat(String),
    #[error("writing the export: {0}")]
    Io(#[from] std::io::Error),
    #[error("writing CSV: {0}")]
    Csv(#[from] csv::Error),
    #[error("writing JSON: {0}")]
    Json(#[from] serde_json::Error),
}
