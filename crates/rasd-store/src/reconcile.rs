//! How analyst review follows an article through re-coding, with no I/O, so that the
//! embedded store ([`crate::review`]) and the PostgreSQL store make the same decisions.
//!
//! Every reviewed event has a *target*: the article's document, the [`event_key`] of
//! the event the analyst reviewed, the event as the coder wrote it then (`original`)
//! and how many events of that coding came from the same sentences (`pieces`). All of
//! an analyst's changes (field corrections, wrong marks, incident groups) hang off the
//! target. Whenever a document's events are written, [`reconcile`] decides for each of
//! its targets, inside the same transaction:
//!
//! - **attach** to the new event with the same key, when there is one and the coder
//!   has not cut the reviewed event into more pieces than before;
//! - **orphan** (`split`) when the key still matches one event but the original's
//!   sentences now give more events than they did, in two places or more: the old
//!   correction may belong to one piece, to several, or to none, which only the
//!   analyst can tell;
//! - **orphan** (`key_changed`) when no new event has the key any more.
//!
//! Keys are matched exactly and nothing is attached by similarity: a correction put
//! silently on the wrong event is worse than one waiting in the orphan list, where
//! [`candidates`] ranks the document's events (those sharing a sentence with the
//! original first) so re-attaching is one choice.

use crate::{Result, StoreError, fold_for_index};
use rasd_model::Event;
use serde::Serialize;
use serde_json::Value;
use std::collections::HashSet;

/// The stable key of an event within its article: type, first day, folded place and
/// folded first actor. Re-coding the same article with the same coder gives the same
/// keys; two events of one article with the same key are told apart by a `#n` suffix
/// in article order (see [`keys`]).
pub fn event_key(event: &Event) -> String {
    format!(
        "{}|{}|{}|{}",
        event.event_type.as_str(),
        event.date_start,
        fold_for_index(&event.location.name),
        fold_for_index(&event.actor1)
    )
}

/// The keys of one article's events, in article order, repeated keys suffixed `#1`, `#2`...
pub fn keys<'a>(events: impl IntoIterator<Item = &'a Event>) -> Vec<String> {
    let mut seen: std::collections::HashMap<String, u32> = std::collections::HashMap::new();
    events
        .into_iter()
        .map(|e| {
            let base = event_key(e);
            let n = seen.entry(base.clone()).or_insert(0);
            let key = if *n == 0 { base } else { format!("{base}#{n}") };
            *n += 1;
            key
        })
        .collect()
}

fn sentences(e: &Event) -> HashSet<&str> {
    e.evidence.iter().map(|s| s.trim()).collect()
}

/// Whether `e` came from what `original` was coded from: the same event type and a
/// sentence in common, or, for an original without evidence, the same type, first day
/// and first actor.
pub fn descends_from(original: &Event, e: &Event) -> bool {
    if e.event_type != original.event_type {
        return false;
    }
    let from = sentences(original);
    if from.is_empty() {
        return e.date_start == original.date_start
            && fold_for_index(&e.actor1) == fold_for_index(&original.actor1);
    }
    e.evidence.iter().any(|s| from.contains(s.trim()))
}

/// The indexes of `events` that descend from `original`.
pub fn descendants(original: &Event, events: &[Event]) -> Vec<usize> {
    (0..events.len())
        .filter(|&i| descends_from(original, &events[i]))
        .collect()
}

/// Why a target lost its event.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum OrphanReason {
    /// No event of the new coding has the reviewed event's key.
    KeyChanged,
    /// The reviewed event's sentences now give several events in different places.
    Split,
}

impl OrphanReason {
    pub fn as_str(self) -> &'static str {
        match self {
            OrphanReason::KeyChanged => "key_changed",
            OrphanReason::Split => "split",
        }
    }

    pub fn parse(s: &str) -> Option<OrphanReason> {
        match s {
            "key_changed" => Some(OrphanReason::KeyChanged),
            "split" => Some(OrphanReason::Split),
            _ => None,
        }
    }
}

/// A target as [`reconcile`] needs it.
#[derive(Debug, Clone)]
pub struct TargetState {
    pub id: i64,
    pub key: String,
    /// `None` for a target recorded before the store kept originals.
    pub original: Option<Event>,
    /// `None` when unknown (same origin): the split check is then skipped once.
    pub pieces: Option<u32>,
    /// Attached now (else an orphan looking for its event again).
    pub attached: bool,
}

/// What becomes of one target.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Decision {
    /// Apply the target's changes to event `event` (index into the new coding).
    Attach {
        event: usize,
        pieces: u32,
    },
    Orphan(OrphanReason),
}

/// How many distinct places the events `idx` are in.
fn places(events: &[Event], idx: &[usize]) -> usize {
    idx.iter()
        .map(|&i| fold_for_index(&events[i].location.name))
        .collect::<HashSet<_>>()
        .len()
}

/// Decides, for each target of one document, which of its newly coded `events` (keys
/// from [`keys`]) it belongs to. Attached targets choose first, then orphans, each in
/// id order; an event takes at most one target. Returns one decision per target, in
/// the order given.
pub fn reconcile(targets: &[TargetState], events: &[Event], keys: &[String]) -> Vec<Decision> {
    let mut order: Vec<usize> = (0..targets.len()).collect();
    order.sort_by_key(|&i| (!targets[i].attached, targets[i].id));
    let mut taken: HashSet<usize> = HashSet::new();
    let mut out = vec![Decision::Orphan(OrphanReason::KeyChanged); targets.len()];
    for i in order {
        let t = &targets[i];
        let next = t
            .original
            .as_ref()
            .map(|o| descendants(o, events))
            .unwrap_or_default();
        let split = next.len() >= 2 && places(events, &next) >= 2;
        let exact = keys
            .iter()
            .position(|k| *k == t.key)
            .filter(|e| !taken.contains(e));
        out[i] = match exact {
            Some(e) if !(split && t.pieces.is_some_and(|p| next.len() as u32 > p)) => {
                taken.insert(e);
                Decision::Attach {
                    event: e,
                    pieces: (next.len() as u32).max(1),
                }
            }
            Some(_) => Decision::Orphan(OrphanReason::Split),
            None if split => Decision::Orphan(OrphanReason::Split),
            None => Decision::Orphan(OrphanReason::KeyChanged),
        };
    }
    out
}

/// One event offered for re-attaching an orphan, with why.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Candidate {
    pub event_id: i64,
    pub event_key: String,
    /// It shares a sentence (and its type) with the original.
    pub shares_evidence: bool,
    /// Higher is likelier: shared sentence 4, then one each for type, first day,
    /// place and first actor equal to the original's.
    pub score: u32,
    pub event: Event,
}

/// The document's events ranked as homes for an orphan whose original is `original`
/// (best first; ties in article order). `events` are (id, key, event as stored).
pub fn candidates(original: Option<&Event>, events: Vec<(i64, String, Event)>) -> Vec<Candidate> {
    let mut out: Vec<Candidate> = events
        .into_iter()
        .map(|(event_id, event_key, event)| {
            let (shares, score) = match original {
                None => (false, 0),
                Some(o) => {
                    let shares = !o.evidence.is_empty() && descends_from(o, &event);
                    let score = 4 * u32::from(shares)
                        + u32::from(event.event_type == o.event_type)
                        + u32::from(event.date_start == o.date_start)
                        + u32::from(
                            fold_for_index(&event.location.name)
                                == fold_for_index(&o.location.name),
                        )
                        + u32::from(fold_for_index(&event.actor1) == fold_for_index(&o.actor1));
                    (shares, score)
                }
            };
            Candidate {
                event_id,
                event_key,
                shares_evidence: shares,
                score,
                event,
            }
        })
        .collect();
    out.sort_by_key(|c| std::cmp::Reverse(c.score));
    out
}

/// One stored change, as [`effective`] reads it: `kind` is `field`, `wrong` or
/// `incident`; `value` the JSON stored with it.
#[derive(Debug, Clone)]
pub struct Change {
    pub kind: String,
    pub field: Option<String>,
    pub value: Value,
}

/// An event with its review applied.
#[derive(Debug, Clone, PartialEq)]
pub struct Effective {
    pub event: Event,
    pub corrected: bool,
    pub wrong: bool,
    pub group: Option<String>,
}

fn bad(msg: impl Into<String>) -> StoreError {
    StoreError::BadCorrection(msg.into())
}

fn set_path(root: &mut Value, path: &str, value: Value) -> Result<()> {
    let mut parts = path.split('.').peekable();
    let mut cur = root;
    while let Some(part) = parts.next() {
        let obj = cur
            .as_object_mut()
            .ok_or_else(|| bad(format!("{path}: not an object")))?;
        if parts.peek().is_none() {
            obj.insert(part.to_string(), value);
            return Ok(());
        }
        cur = obj
            .get_mut(part)
            .ok_or_else(|| bad(format!("{path}: no field {part}")))?;
    }
    Ok(())
}

/// `original` with `changes` applied in order (later ones win): field corrections
/// written into the event, the last wrong mark and incident group kept.
pub fn effective(original: &Event, changes: &[Change]) -> Result<Effective> {
    let mut value = serde_json::to_value(original).map_err(|source| StoreError::Serialise {
        what: "event",
        source,
    })?;
    let (mut corrected, mut wrong, mut group) = (false, false, None);
    for c in changes {
        match (c.kind.as_str(), c.field.as_deref()) {
            ("field", Some(f)) => {
                set_path(&mut value, f, c.value.clone())?;
                corrected = true;
            }
            ("wrong", _) => wrong = c.value.as_bool().unwrap_or(false),
            ("incident", _) => group = c.value.as_str().map(str::to_string),
            _ => {}
        }
    }
    let event: Event = if corrected {
        serde_json::from_value(value).map_err(|e| bad(format!("the corrected event: {e}")))?
    } else {
        original.clone()
    };
    Ok(Effective {
        event,
        corrected,
        wrong,
        group,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn event(place: &str, fatalities: u32, evidence: &[&str]) -> Event {
        serde_json::from_value(serde_json::json!({
            "event_type": "battles", "sub_event_type": "armed_clash",
            "date_start": "2024-03-02", "date_end": "2024-03-02", "date_precision": "day",
            "location": {"name": place, "admin1": "درعا", "country": "SY", "precision": "community"},
            "actor1": "Fictional Front", "actor2": null,
            "fatalities": fatalities, "injured": null, "arrested": null,
            "evidence": evidence
        }))
        .unwrap()
    }

    fn target(id: i64, e: &Event, pieces: Option<u32>) -> TargetState {
        TargetState {
            id,
            key: event_key(e),
            original: Some(e.clone()),
            pieces,
            attached: true,
        }
    }

    #[test]
    fn the_same_coding_attaches_every_target() {
        let a = event("طفس", 7, &["s1"]);
        let b = event("نوى", 2, &["s2"]);
        let events = vec![a.clone(), b.clone()];
        let k = keys(&events);
        let d = reconcile(
            &[target(1, &b, Some(1)), target(2, &a, Some(1))],
            &events,
            &k,
        );
        assert_eq!(
            d,
            vec![
                Decision::Attach {
                    event: 1,
                    pieces: 1
                },
                Decision::Attach {
                    event: 0,
                    pieces: 1
                }
            ]
        );
    }

    #[test]
    fn a_split_into_places_orphans_even_when_one_piece_keeps_the_key() {
        let a = event("طفس", 7, &["s1"]);
        let pieces = vec![event("طفس", 4, &["s1"]), event("نوى", 3, &["s1"])];
        let k = keys(&pieces);
        assert_eq!(
            reconcile(&[target(1, &a, Some(1))], &pieces, &k),
            vec![Decision::Orphan(OrphanReason::Split)]
        );
        // Once re-attached (pieces now 2), the same coding keeps it.
        assert_eq!(
            reconcile(&[target(1, &pieces[0], Some(2))], &pieces, &k),
            vec![Decision::Attach {
                event: 0,
                pieces: 2
            }]
        );
        // Two events from one sentence from the start are not a split.
        assert_eq!(
            reconcile(&[target(1, &a, None)], &pieces, &k)[0],
            Decision::Attach {
                event: 0,
                pieces: 2
            }
        );
    }

    #[test]
    fn a_changed_key_orphans_and_candidates_rank_the_descendant_first() {
        let a = event("طفس", 7, &["s1"]);
        let recoded = vec![event("نوى", 2, &["s9"]), event("طفس البلد", 7, &["s1"])];
        let k = keys(&recoded);
        assert_eq!(
            reconcile(&[target(1, &a, Some(1))], &recoded, &k),
            vec![Decision::Orphan(OrphanReason::KeyChanged)]
        );
        let c = candidates(
            Some(&a),
            recoded
                .iter()
                .zip(&k)
                .enumerate()
                .map(|(i, (e, k))| (i as i64, k.clone(), e.clone()))
                .collect(),
        );
        assert_eq!(c[0].event_id, 1);
        assert!(c[0].shares_evidence && !c[1].shares_evidence);
    }

    #[test]
    fn repeated_keys_are_numbered_and_taken_once() {
        let a = event("حماة", 1, &["s1"]);
        let b = event("حماة", 4, &["s2"]);
        let events = vec![a.clone(), b.clone()];
        let k = keys(&events);
        assert_eq!(k[1], format!("{}#1", k[0]));
        let mut orphan = target(1, &a, Some(1));
        orphan.attached = false;
        let d = reconcile(&[orphan, target(2, &a, Some(1))], &events, &k);
        assert_eq!(
            d[1],
            Decision::Attach {
                event: 0,
                pieces: 1
            }
        );
        assert_eq!(d[0], Decision::Orphan(OrphanReason::KeyChanged));
    }

    #[test]
    fn effective_applies_changes_in_order() {
        let a = event("طفس", 7, &["s1"]);
        let ch = |kind: &str, field: Option<&str>, value: Value| Change {
            kind: kind.into(),
            field: field.map(str::to_string),
            value,
        };
        let e = effective(
            &a,
            &[
                ch("field", Some("fatalities"), serde_json::json!(8)),
                ch("wrong", None, Value::Bool(true)),
                ch("field", Some("fatalities"), serde_json::json!(9)),
                ch("wrong", None, Value::Bool(false)),
                ch("incident", None, serde_json::json!("g")),
            ],
        )
        .unwrap();
        assert_eq!(e.event.fatalities, Some(9));
        assert!(e.corrected && !e.wrong);
        assert_eq!(e.group.as_deref(), Some("g"));
        assert!(
            effective(
                &a,
                &[ch("field", Some("fatalities"), serde_json::json!("x"))]
            )
            .is_err()
        );
    }
}
