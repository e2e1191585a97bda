//! rasd-eval: scores predicted events against a gold set by the matching rules of
//! `spec/events.md`, reproducing `shared/tools/score_events.py` exactly — the same
//! normalisation (`norm_ar`, `norm_actor`), the same one-to-one matching and
//! tie-break, the same fields, the same by-type table and error list, the same text
//! and JSON output to the byte — so users can score rasd on their own annotated sets
//! without Python. It also owns the quality gate (`--gate FLOORS.json`).
//!
//! ```text
//! EventSet::load(path: &Path) -> Result<EventSet, EvalError>   // JSON Lines, lenient as the Python
//! EventSet::parse(text: &str, name: &str) -> Result<EventSet, EvalError>
//! EventSet::from_coded(docs: &[rasd_model::CodedDocument]) -> EventSet
//! score(gold: &EventSet, pred: &EventSet) -> Report
//! Report::text(&self, by_type: bool, errors: i64) -> String   // score_events.py's output
//! Report::json(&self) -> String                                // score_events.py --json
//! Report::field(&self, name: &str) -> Option<f64>
//! Floors::load(path: &Path) -> Result<Floors, EvalError>
//! Report::gate(&self, floors: &Floors) -> Vec<FloorFailure>    // empty = passes
//! causes(gold: &EventSet, pred: &EventSet) -> CauseReport       // misses/spurious by cause
//! CauseReport::text(&self, examples: usize) -> String, CauseReport::json(&self) -> Json
//! norm_ar(&str) -> String, norm_actor(&str) -> String
//! ```

pub mod causes;
pub mod json;
mod norm;
mod score;

pub use causes::{ActorError, Cause, CauseReport, causes};
pub use json::Json;
pub use norm::{norm_actor, norm_ar};
pub use score::{Disagreement, FIELDS, Report, TypeCounts, score};

use std::collections::HashMap;
use std::path::{Path, PathBuf};

/// The one error type of the evaluation.
#[derive(Debug, thiserror::Error)]
pub enum EvalError {
    #[error("cannot read {path}: {source}")]
    Read {
        path: PathBuf,
        source: std::io::Error,
    },
    /// Same wording as score_events.py: `PATH:LINE: not JSON: ...`.
    #[error("{path}:{line}: not JSON: {source}")]
    NotJson {
        path: String,
        line: usize,
        source: serde_json::Error,
    },
    #[error("{path}:{line}: not a JSON object")]
    NotObject { path: String, line: usize },
    #[error("floors file {path}: {reason}")]
    Floors { path: PathBuf, reason: String },
}

/// The documents of a gold or prediction file: doc_id → its events (raw JSON), in
/// the order the doc_ids first appear. A doc_id seen twice keeps its first place and
/// its last events (as a Python dict does).
#[derive(Debug, Clone, Default)]
pub struct EventSet {
    order: Vec<String>,
    events: HashMap<String, Vec<Json>>,
    /// `published` of each line that has one (the cause report dates background by it).
    published: HashMap<String, String>,
}

impl EventSet {
    /// Reads a JSON Lines file (blank lines skipped; `\r\n` and `\r` end lines too).
    pub fn load(path: &Path) -> Result<EventSet, EvalError> {
        let bytes = std::fs::read(path).map_err(|source| EvalError::Read {
            path: path.to_path_buf(),
            source,
        })?;
        let text = String::from_utf8(bytes).map_err(|e| EvalError::Read {
            path: path.to_path_buf(),
            source: std::io::Error::new(std::io::ErrorKind::InvalidData, e),
        })?;
        Self::parse(&text, &path.display().to_string())
    }

    /// Parses JSON Lines text; `name` is used in error messages.
    pub fn parse(text: &str, name: &str) -> Result<EventSet, EvalError> {
        let text = text.replace("\r\n", "\n").replace('\r', "\n");
        let mut set = EventSet::default();
        for (i, line) in text.split('\n').enumerate() {
            let line = norm::py_strip(line);
            if line.is_empty() {
                continue;
            }
            let obj = Json::parse(line).map_err(|source| EvalError::NotJson {
                path: name.to_string(),
                line: i + 1,
                source,
            })?;
            if !matches!(obj, Json::Object(_)) {
                return Err(EvalError::NotObject {
                    path: name.to_string(),
                    line: i + 1,
                });
            }
            let doc_id = obj.get("doc_id").unwrap_or(&Json::Null).py_str();
            // `obj.get("events") or []`; anything but a list counts as no events.
            let events = match obj.get("events") {
                Some(Json::List(v)) => v.clone(),
                _ => Vec::new(),
            };
            if let Some(Json::Str(day)) = obj.get("published") {
                set.published.insert(doc_id.clone(), day.clone());
            }
            set.insert(doc_id, events);
        }
        Ok(set)
    }

    /// The documents `rasd code` produced, as the scorer would read their JSON.
    pub fn from_coded(docs: &[rasd_model::CodedDocument]) -> EventSet {
        let mut set = EventSet::default();
        for doc in docs {
            let events = doc
                .events
                .iter()
                .map(|e| {
                    let text = serde_json::to_string(e).expect("events serialise");
                    Json::parse(&text).expect("serde_json output parses")
                })
                .collect();
            if let Some(day) = &doc.published {
                set.published.insert(doc.doc_id.clone(), day.clone());
            }
            set.insert(doc.doc_id.clone(), events);
        }
        set
    }

    fn insert(&mut self, doc_id: String, events: Vec<Json>) {
        if self.events.insert(doc_id.clone(), events).is_none() {
            self.order.push(doc_id);
        }
    }

    /// The doc_ids in first-appearance order.
    pub fn doc_ids(&self) -> impl Iterator<Item = &str> {
        self.order.iter().map(String::as_str)
    }

    pub fn events(&self, doc_id: &str) -> Option<&[Json]> {
        self.events.get(doc_id).map(Vec::as_slice)
    }

    /// The `published` timestamp its line gave, if any.
    pub fn published(&self, doc_id: &str) -> Option<&str> {
        self.published.get(doc_id).map(String::as_str)
    }

    pub fn len(&self) -> usize {
        self.order.len()
    }

    pub fn is_empty(&self) -> bool {
        self.order.is_empty()
    }
}

/// Minimum scores a run must reach (`eval/floors.json`). Every key is optional:
/// `{"f1": 0.6, "precision": 0.5, "recall": 0.5,
///   "fields": {"sub_event_type": 0.8, "date_start": 0.7, "location": 0.8, "actors": 0.6, "fatalities": 0.6}}`
#[derive(Debug, Clone, Default, PartialEq, serde::Deserialize, serde::Serialize)]
#[serde(deny_unknown_fields)]
pub struct Floors {
    #[serde(default)]
    pub f1: Option<f64>,
    #[serde(default)]
    pub precision: Option<f64>,
    #[serde(default)]
    pub recall: Option<f64>,
    #[serde(default)]
    pub fields: std::collections::BTreeMap<String, f64>,
    /// Free text saying where the floors come from (ignored by the gate).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub note: Option<String>,
}

impl Floors {
    pub fn load(path: &Path) -> Result<Floors, EvalError> {
        let text = std::fs::read_to_string(path).map_err(|source| EvalError::Read {
            path: path.to_path_buf(),
            source,
        })?;
        let floors: Floors = serde_json::from_str(&text).map_err(|e| EvalError::Floors {
            path: path.to_path_buf(),
            reason: e.to_string(),
        })?;
        for name in floors.fields.keys() {
            if !FIELDS.contains(&name.as_str()) {
                return Err(EvalError::Floors {
                    path: path.to_path_buf(),
                    reason: format!("unknown field {name:?} (known: {})", FIELDS.join(", ")),
                });
            }
        }
        Ok(floors)
    }
}

/// One score below its floor.
#[derive(Debug, Clone, PartialEq)]
pub struct FloorFailure {
    pub measure: String,
    pub value: f64,
    pub floor: f64,
}

impl std::fmt::Display for FloorFailure {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            f,
            "{} {:.3} is below its floor {:.3}",
            self.measure, self.value, self.floor
        )
    }
}

impl Report {
    /// Every measure of `floors` this report falls below (empty when it passes).
    pub fn gate(&self, floors: &Floors) -> Vec<FloorFailure> {
        let mut out = Vec::new();
        let mut check = |measure: &str, value: f64, floor: Option<f64>| {
            if let Some(floor) = floor {
                if value < floor {
                    out.push(FloorFailure {
                        measure: measure.to_string(),
                        value,
                        floor,
                    });
                }
            }
        };
        check("F1", self.f1, floors.f1);
        check("precision", self.precision, floors.precision);
        check("recall", self.recall, floors.recall);
        for (name, floor) in &floors.fields {
            let value = self.field(name).unwrap_or(0.0);
            check(name, value, Some(*floor));
        }
        out
    }
}
