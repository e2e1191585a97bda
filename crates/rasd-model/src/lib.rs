//! The vocabulary every rasd stage shares, with no I/O.
//!
//! - [`taxonomy`]: the ACLED event types and sub-types of `spec/events.md`.
//! - [`event`]: one coded event ([`Event`]) and one coded document ([`CodedDocument`]),
//!   field for field as the spec's JSON, plus validation and provenance
//!   (evidence sentences with character spans, confidence).
//! - [`document`]: what crosses the stage boundaries: [`RawDocument`] (ingest → extract)
//!   and [`Article`] (extract → coder).
//! - [`span`]: character spans into an article's text and their byte conversions.
//! - [`time`]: publication times that may lack a time of day or an offset.

pub mod document;
pub mod event;
pub mod span;
pub mod taxonomy;
pub mod time;

pub use document::{Article, ContentKind, DocumentMeta, Origin, Paragraph, RawDocument};
pub use event::{CodedDocument, Event, Evidence, Location, ValidationError};
pub use span::TextSpan;
pub use taxonomy::{DatePrecision, EventType, LocationPrecision, SubEventType, Vague};
pub use time::PublishedTime;
