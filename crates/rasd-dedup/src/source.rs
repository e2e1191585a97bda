//! One source's event: a coded event with the document it came from.

use rasd_model::{CodedDocument, Event};
use serde::{Deserialize, Serialize};

/// An event as one document reports it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct SourceEvent {
    pub doc_id: String,
    /// Position of the event in its document's `events` list.
    #[serde(default)]
    pub index: usize,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub url: Option<String>,
    /// The outlet.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub source: Option<String>,
    /// Publication time as the document gives it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub published: Option<String>,
    pub event: Event,
}

impl SourceEvent {
    /// The source events of one coded document (one line of `rasd code --format jsonl`).
    pub fn from_document(doc: &CodedDocument) -> Vec<SourceEvent> {
        doc.events
            .iter()
            .enumerate()
            .map(|(index, event)| SourceEvent {
                doc_id: doc.doc_id.clone(),
                index,
                url: doc.url.clone(),
                source: doc.source.clone(),
                published: doc.published.clone(),
                event: event.clone(),
            })
            .collect()
    }

    /// `doc_id#index`, unique per source event.
    pub fn key(&self) -> String {
        format!("{}#{}", self.doc_id, self.index)
    }
}
