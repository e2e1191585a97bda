//! One coded event and one coded document, field for field as `spec/events.md`.
//!
//! The JSON form is the spec's: `rasd code` writes it and `gold.jsonl` uses it. The
//! extra fields rasd adds (`evidence_spans`, `confidence`, coordinates and admin
//! areas of the place) are allowed by the schema and skipped when empty.

use crate::span::TextSpan;
use crate::taxonomy::{DatePrecision, EventType, LocationPrecision, SubEventType, Vague};
use jiff::civil::Date;
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

/// Where an event happened.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Location {
    /// The place's name as the gazetteer (or, for a region, the article) words it.
    pub name: String,
    /// First-level admin area (governorate) in Arabic, when known.
    pub admin1: Option<String>,
    /// ISO 3166-1 alpha-2 country code.
    pub country: String,
    pub precision: LocationPrecision,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub admin2: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub admin3: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub lat: Option<f64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub lon: Option<f64>,
    /// The gazetteer entry this location was resolved to.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub place_id: Option<String>,
    /// Where the place name was read in the article text.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub span: Option<TextSpan>,
}

/// A sentence an event was coded from: its text and where it sits in the article.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Evidence {
    pub text: String,
    pub span: TextSpan,
}

/// One event in the ACLED taxonomy.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Event {
    pub event_type: EventType,
    pub sub_event_type: SubEventType,
    pub date_start: Date,
    pub date_end: Date,
    pub date_precision: DatePrecision,
    pub location: Location,
    pub actor1: String,
    #[serde(default)]
    pub assoc_actor1: Vec<String>,
    pub actor2: Option<String>,
    #[serde(default)]
    pub assoc_actor2: Vec<String>,
    pub fatalities: Option<u32>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub fatalities_vague: Option<Vague>,
    #[serde(default)]
    pub fatalities_by_side: BTreeMap<String, u32>,
    pub injured: Option<u32>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub injured_vague: Option<Vague>,
    pub arrested: Option<u32>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub arrested_vague: Option<Vague>,
    /// The supporting sentences, verbatim.
    pub evidence: Vec<String>,
    /// Character spans of `evidence` in the article text, in the same order.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub evidence_spans: Vec<TextSpan>,
    /// How sure the coder is, in [0, 1].
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub confidence: Option<f64>,
}

/// One way an event breaks the spec.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ValidationError {
    #[error("sub_event_type {sub} belongs to {expected}, not {found}")]
    SubTypeMismatch {
        sub: SubEventType,
        expected: EventType,
        found: EventType,
    },
    #[error("date_end {end} is before date_start {start}")]
    DatesReversed { start: Date, end: Date },
    #[error("actor1 is empty")]
    EmptyActor1,
    #[error("location name is empty")]
    EmptyLocation,
    #[error("country {0:?} is not a two-letter upper-case code")]
    BadCountry(String),
    #[error("confidence {0} is outside [0, 1]")]
    BadConfidence(String),
    #[error(
        "{field} is {value} and {field}_vague is {vague}: a vague amount goes with a null figure"
    )]
    VagueWithFigure {
        field: &'static str,
        value: u32,
        vague: Vague,
    },
    #[error("fatalities_by_side adds up to {sum}, more than fatalities {total}")]
    SidesExceedTotal { sum: u64, total: u32 },
    #[error("evidence has {texts} sentences but {spans} spans")]
    EvidenceSpanCount { texts: usize, spans: usize },
}

impl Event {
    /// Every rule of the spec this event breaks (empty when it is valid). Counts are
    /// unsigned, so "non-negative" holds by construction; `None` stays distinct from 0.
    pub fn validate(&self) -> Vec<ValidationError> {
        let mut errors = Vec::new();
        let expected = self.sub_event_type.event_type();
        if expected != self.event_type {
            errors.push(ValidationError::SubTypeMismatch {
                sub: self.sub_event_type,
                expected,
                found: self.event_type,
            });
        }
        if self.date_end < self.date_start {
            errors.push(ValidationError::DatesReversed {
                start: self.date_start,
                end: self.date_end,
            });
        }
        if self.actor1.trim().is_empty() {
            errors.push(ValidationError::EmptyActor1);
        }
        if self.location.name.trim().is_empty() {
            errors.push(ValidationError::EmptyLocation);
        }
        let c = &self.location.country;
        if c.len() != 2 || !c.bytes().all(|b| b.is_ascii_uppercase()) {
            errors.push(ValidationError::BadCountry(c.clone()));
        }
        if let Some(conf) = self.confidence {
            if !(0.0..=1.0).contains(&conf) {
                errors.push(ValidationError::BadConfidence(conf.to_string()));
            }
        }
        for (field, value, vague) in [
            ("fatalities", self.fatalities, self.fatalities_vague),
            ("injured", self.injured, self.injured_vague),
            ("arrested", self.arrested, self.arrested_vague),
        ] {
            if let (Some(value), Some(vague)) = (value, vague) {
                errors.push(ValidationError::VagueWithFigure {
                    field,
                    value,
                    vague,
                });
            }
        }
        let sum: u64 = self
            .fatalities_by_side
            .values()
            .map(|&v| u64::from(v))
            .sum();
        if let Some(total) = self.fatalities {
            if sum > u64::from(total) {
                errors.push(ValidationError::SidesExceedTotal { sum, total });
            }
        }
        if !self.evidence_spans.is_empty() && self.evidence_spans.len() != self.evidence.len() {
            errors.push(ValidationError::EvidenceSpanCount {
                texts: self.evidence.len(),
                spans: self.evidence_spans.len(),
            });
        }
        errors
    }

    /// The evidence sentences paired with their spans (spans may be absent for
    /// events read from gold files).
    pub fn evidence_with_spans(&self) -> impl Iterator<Item = (&str, Option<TextSpan>)> {
        self.evidence
            .iter()
            .enumerate()
            .map(|(i, t)| (t.as_str(), self.evidence_spans.get(i).copied()))
    }

    /// Number of days the event spans, both ends included.
    pub fn days(&self) -> i32 {
        (self.date_end - self.date_start).get_days() + 1
    }
}

/// The events of one document: one line of `gold.jsonl` or of `rasd code --format jsonl`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct CodedDocument {
    pub doc_id: String,
    #[serde(default)]
    pub published: Option<String>,
    #[serde(default)]
    pub source: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub url: Option<String>,
    pub events: Vec<Event>,
}

#[cfg(test)]
mod tests {
    use super::*;

    const GOLD_LINE: &str = r#"{"event_type": "battles", "sub_event_type": "armed_clash", "date_start": "2022-10-21", "date_end": "2022-10-25", "date_precision": "day", "location": {"name": "جاسم", "admin1": "درعا", "country": "SY", "precision": "community"}, "actor1": "Local armed group (Jasim)", "assoc_actor1": ["Eighth Brigade"], "actor2": "Islamic State", "assoc_actor2": [], "fatalities": 21, "fatalities_by_side": {"Islamic State": 17, "Local armed group (Jasim)": 4}, "injured": null, "injured_vague": "several", "arrested": null, "evidence": ["أنهت الفصائل المحلية حملتها"]}"#;

    fn sample() -> Event {
        serde_json::from_str(GOLD_LINE).unwrap()
    }

    #[test]
    fn gold_line_round_trips() {
        let event = sample();
        assert!(event.validate().is_empty());
        assert_eq!(event.days(), 5);
        let back: Event = serde_json::from_str(&serde_json::to_string(&event).unwrap()).unwrap();
        assert_eq!(back, event);
        let value: serde_json::Value = serde_json::to_value(&event).unwrap();
        assert_eq!(value["injured"], serde_json::Value::Null);
        assert_eq!(value["injured_vague"], "several");
        assert!(value.get("arrested_vague").is_none());
    }

    #[test]
    fn null_and_zero_stay_distinct() {
        let mut event = sample();
        event.injured = Some(0);
        event.injured_vague = None;
        let value = serde_json::to_value(&event).unwrap();
        assert_eq!(value["injured"], 0);
        event.injured = None;
        let value = serde_json::to_value(&event).unwrap();
        assert!(value["injured"].is_null());
    }

    #[test]
    fn validation_catches_each_rule() {
        let mut event = sample();
        event.event_type = EventType::Protests;
        event.date_end = jiff::civil::date(2022, 10, 1);
        event.location.country = "sy".into();
        event.fatalities = Some(3);
        event.injured = Some(2);
        event.confidence = Some(1.5);
        event.evidence_spans = vec![TextSpan::new(0, 1), TextSpan::new(2, 3)];
        let errors = event.validate();
        assert!(
            errors
                .iter()
                .any(|e| matches!(e, ValidationError::SubTypeMismatch { .. }))
        );
        assert!(
            errors
                .iter()
                .any(|e| matches!(e, ValidationError::DatesReversed { .. }))
        );
        assert!(
            errors
                .iter()
                .any(|e| matches!(e, ValidationError::BadCountry(_)))
        );
        assert!(
            errors
                .iter()
                .any(|e| matches!(e, ValidationError::SidesExceedTotal { .. }))
        );
        assert!(errors.iter().any(|e| matches!(
            e,
            ValidationError::VagueWithFigure {
                field: "injured",
                ..
            }
        )));
        assert!(
            errors
                .iter()
                .any(|e| matches!(e, ValidationError::BadConfidence(_)))
        );
        assert!(
            errors
                .iter()
                .any(|e| matches!(e, ValidationError::EvidenceSpanCount { .. }))
        );
    }

    #[test]
    fn unknown_sub_type_is_a_parse_error() {
        let bad = GOLD_LINE.replace("armed_clash", "skirmish");
        assert!(serde_json::from_str::<Event>(&bad).is_err());
    }
}
