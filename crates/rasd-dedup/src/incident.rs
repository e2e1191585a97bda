//! Incidents and their merged records.
//!
//! An [`Incident`] is the set of source events the clusterer put together. Its
//! [`IncidentRecord`] is one event in the spec's fields, merged from the sources:
//! - type: a battle absorbs explosions by the same sides; the sub-type is the one most
//!   sources give (ties: ACLED's explosion precedence, then the earliest source);
//! - dates: the union of the spans, at the finest precision any source gives;
//! - place: the finest place reported (a quarter before its city, a village before its
//!   countryside region, a town before «محيط» the town); when the sources at that level
//!   name different places, the finest coarser place a source gives instead (ties: the
//!   place most sources give);
//! - actors: the pair most sources name; every other actor goes to the associated
//!   actors of the side it fought on;
//! - fatalities: `best` is the lowest credible figure, as ACLED does (the lowest positive
//!   figure; 0 only when every figure is 0), `low`/`high` the spread of all figures;
//!   `fatalities_by_side` comes from a source whose total is `best`; a vague amount
//!   only when no source gives a figure (the smallest); injured and arrested likewise;
//! - evidence: every source's sentences, each once.
//!
//! Each source's claim (outlet, figure, dates, sentence) is kept side by side, and the
//! claims are grouped too: each toll with the sources that give it, each attribution
//! (pair of sides) with its sources, each place with its sources. The record depends only
//! on the set of sources, not on the order they arrived in.

use crate::actors::{actor_key, is_unknown_actor};
use crate::cluster::IncidentId;
use crate::place::{Level, PlaceKey};
use crate::source::SourceEvent;
use rasd_model::{DatePrecision, Event, EventType, LocationPrecision, SubEventType, Vague};
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

/// The source events of one incident, in arrival order.
#[derive(Debug, Clone, PartialEq)]
pub struct Incident {
    pub id: IncidentId,
    pub sources: Vec<SourceEvent>,
}

/// One source's account of an incident.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Claim {
    pub doc_id: String,
    /// The outlet.
    pub source: Option<String>,
    pub published: Option<String>,
    pub fatalities: Option<u32>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub fatalities_vague: Option<Vague>,
    pub injured: Option<u32>,
    pub date_start: jiff::civil::Date,
    pub date_end: jiff::civil::Date,
    pub actor1: String,
    pub actor2: Option<String>,
    /// The source's first evidence sentence.
    pub sentence: Option<String>,
}

/// One death toll and the sources that give it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct TollClaim {
    pub fatalities: u32,
    /// The documents (`doc_id`) giving this figure.
    pub sources: Vec<String>,
    /// Their outlets, each once.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub outlets: Vec<String>,
}

/// One attribution (who acted, against whom) and the sources that give it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct AttributionClaim {
    pub actor1: String,
    pub actor2: Option<String>,
    pub sources: Vec<String>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub outlets: Vec<String>,
}

/// One place as sources give it (name, precision, gazetteer entry) and those sources.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct PlaceClaim {
    pub name: String,
    pub precision: LocationPrecision,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub place_id: Option<String>,
    pub sources: Vec<String>,
}

/// A source document of an incident, and its event exactly as the coder wrote it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct SourceRef {
    pub doc_id: String,
    pub url: Option<String>,
    pub event: Event,
}

/// An incident as one merged record: one line of `rasd export --format jsonl`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct IncidentRecord {
    pub incident_id: String,
    #[serde(flatten)]
    pub event: Event,
    pub fatalities_low: Option<u32>,
    pub fatalities_high: Option<u32>,
    pub claims: Vec<Claim>,
    /// Every toll reported, lowest first, with its sources.
    #[serde(default)]
    pub tolls: Vec<TollClaim>,
    /// Every attribution reported (the best-attested first), with its sources.
    #[serde(default)]
    pub attributions: Vec<AttributionClaim>,
    /// Every place reported (finest first), with its sources.
    #[serde(default)]
    pub places: Vec<PlaceClaim>,
    pub sources: Vec<SourceRef>,
}

impl IncidentRecord {
    /// The outlets, each once, in the order of the claims.
    pub fn outlets(&self) -> Vec<String> {
        let mut out: Vec<String> = Vec::new();
        for c in &self.claims {
            if let Some(s) = c.source.as_deref().map(str::trim).filter(|s| !s.is_empty()) {
                if !out.iter().any(|o| o == s) {
                    out.push(s.to_string());
                }
            }
        }
        out
    }

    /// True when the sources give different death tolls.
    pub fn disputed(&self) -> bool {
        self.fatalities_low != self.fatalities_high
    }
}

/// The external id of an incident («inc-42»).
pub fn incident_label(id: IncidentId) -> String {
    format!("inc-{id}")
}

fn date_rank(p: DatePrecision) -> u8 {
    match p {
        DatePrecision::Day => 0,
        DatePrecision::Week => 1,
        DatePrecision::Month => 2,
    }
}

/// Lowest credible figure: the smallest positive one, 0 when all are 0.
fn best_figure(figures: &[u32]) -> Option<u32> {
    figures
        .iter()
        .copied()
        .filter(|&f| f > 0)
        .min()
        .or_else(|| figures.iter().copied().min())
}

fn merge_count(
    events: &[&Event],
    f: impl Fn(&Event) -> (Option<u32>, Option<Vague>),
) -> (Option<u32>, Option<Vague>) {
    let figures: Vec<u32> = events.iter().filter_map(|e| f(e).0).collect();
    match best_figure(&figures) {
        Some(b) => (Some(b), None),
        None => (None, events.iter().filter_map(|e| f(e).1).min()),
    }
}

fn push_unique(list: &mut Vec<String>, name: &str) {
    if !list.iter().any(|x| x == name) {
        list.push(name.to_string());
    }
}

impl Incident {
    /// The merged record. An incident has at least one source; an empty one (never made
    /// by the index) gives `None`.
    pub fn record(&self) -> Option<IncidentRecord> {
        // Publication order (then document and position): the record must not depend on
        // the order the sources arrived in.
        let mut ordered: Vec<&SourceEvent> = self.sources.iter().collect();
        ordered.sort_by_cached_key(|s| {
            (
                s.published.as_deref().and_then(published_instant).is_none(),
                s.published.as_deref().and_then(published_instant),
                s.doc_id.clone(),
                s.index,
            )
        });
        let events: Vec<&Event> = ordered.iter().map(|s| &s.event).collect();
        let first = *events.first()?;

        // Type and sub-type.
        let event_type = if events.iter().any(|e| e.event_type == EventType::Battles) {
            EventType::Battles
        } else {
            first.event_type
        };
        let mut counts: Vec<(SubEventType, usize, usize)> = Vec::new();
        for (i, e) in events.iter().enumerate() {
            if e.event_type != event_type {
                continue;
            }
            match counts.iter_mut().find(|c| c.0 == e.sub_event_type) {
                Some(c) => c.1 += 1,
                None => counts.push((e.sub_event_type, 1, i)),
            }
        }
        let sub_event_type = counts
            .iter()
            .max_by(|a, b| {
                a.1.cmp(&b.1)
                    .then(sub_precedence(a.0).cmp(&sub_precedence(b.0)))
                    .then(b.2.cmp(&a.2))
            })
            .map(|c| c.0)
            .unwrap_or(first.sub_event_type);

        // Dates.
        let date_start = events.iter().map(|e| e.date_start).min()?;
        let date_end = events.iter().map(|e| e.date_end.max(e.date_start)).max()?;
        let date_precision = events
            .iter()
            .map(|e| e.date_precision)
            .min_by_key(|&p| date_rank(p))?;

        // Place: the finest level reported where the sources agree.
        let location = choose_location(&events)?;

        // Actors: the best-attested named pair, others by side.
        let named = |a: Option<&str>| a.filter(|a| !is_unknown_actor(a)).is_some();
        let pair_key = |e: &Event| {
            let mut k = [
                actor_key(&e.actor1),
                e.actor2.as_deref().map(actor_key).unwrap_or_default(),
            ];
            k.sort();
            k
        };
        let lead = events
            .iter()
            .enumerate()
            .max_by(|(i, a), (j, b)| {
                let quality = |e: &Event| {
                    u8::from(named(Some(&e.actor1))) + u8::from(named(e.actor2.as_deref()))
                };
                let ca = events.iter().filter(|e| pair_key(e) == pair_key(a)).count();
                let cb = events.iter().filter(|e| pair_key(e) == pair_key(b)).count();
                quality(a).cmp(&quality(b)).then(ca.cmp(&cb)).then(j.cmp(i))
            })
            .map(|(_, e)| *e)?;
        let actor1 = lead.actor1.clone();
        let mut actor2 = lead.actor2.clone();
        let k1 = actor_key(&actor1);
        let mut k2 = actor2.as_deref().map(actor_key);
        let mut assoc_actor1: Vec<String> = Vec::new();
        let mut assoc_actor2: Vec<String> = Vec::new();
        for e in &events {
            let side1: Vec<&str> = std::iter::once(e.actor1.as_str())
                .chain(e.assoc_actor1.iter().map(String::as_str))
                .collect();
            let side2: Vec<&str> = e
                .actor2
                .as_deref()
                .into_iter()
                .chain(e.assoc_actor2.iter().map(String::as_str))
                .collect();
            let has = |side: &[&str], k: &Option<String>| {
                k.as_ref()
                    .is_some_and(|k| side.iter().any(|a| actor_key(a) == *k))
            };
            let k1o = Some(k1.clone());
            let swapped =
                (has(&side1, &k2) || has(&side2, &k1o)) && !(has(&side1, &k1o) || has(&side2, &k2));
            let (mine, theirs) = if swapped {
                (side2, side1)
            } else {
                (side1, side2)
            };
            for a in mine {
                if actor_key(a) != k1 && !is_unknown_actor(a) {
                    push_unique(&mut assoc_actor1, a);
                }
            }
            for a in theirs {
                if is_unknown_actor(a) || actor_key(a) == k1 {
                    continue;
                }
                if actor2.is_none() || actor2.as_deref().is_some_and(is_unknown_actor) {
                    // A source names the other side the lead left open.
                    actor2 = Some(a.to_string());
                    k2 = Some(actor_key(a));
                } else if Some(actor_key(a)) != k2 {
                    push_unique(&mut assoc_actor2, a);
                }
            }
        }
        assoc_actor1.retain(|a| Some(actor_key(a)) != k2);

        // Counts.
        let figures: Vec<u32> = events.iter().filter_map(|e| e.fatalities).collect();
        let (fatalities, fatalities_vague) =
            merge_count(&events, |e| (e.fatalities, e.fatalities_vague));
        let (injured, injured_vague) = merge_count(&events, |e| (e.injured, e.injured_vague));
        let (arrested, arrested_vague) = merge_count(&events, |e| (e.arrested, e.arrested_vague));
        let fatalities_by_side: BTreeMap<String, u32> = events
            .iter()
            .find(|e| e.fatalities == fatalities && !e.fatalities_by_side.is_empty())
            .map(|e| e.fatalities_by_side.clone())
            .unwrap_or_default();

        let mut evidence: Vec<String> = Vec::new();
        for e in &events {
            for s in &e.evidence {
                push_unique(&mut evidence, s);
            }
        }
        let confidence = events
            .iter()
            .filter_map(|e| e.confidence)
            .fold(None, |acc: Option<f64>, c| {
                Some(acc.map_or(c, |a| a.max(c)))
            });

        let event = Event {
            event_type,
            sub_event_type,
            date_start,
            date_end,
            date_precision,
            location,
            actor1,
            assoc_actor1,
            actor2,
            assoc_actor2,
            fatalities,
            fatalities_vague,
            fatalities_by_side,
            injured,
            injured_vague,
            arrested,
            arrested_vague,
            evidence,
            evidence_spans: Vec::new(),
            confidence,
        };
        let claims = ordered
            .iter()
            .map(|s| Claim {
                doc_id: s.doc_id.clone(),
                source: s.source.clone(),
                published: s.published.clone(),
                fatalities: s.event.fatalities,
                fatalities_vague: s.event.fatalities_vague,
                injured: s.event.injured,
                date_start: s.event.date_start,
                date_end: s.event.date_end,
                actor1: s.event.actor1.clone(),
                actor2: s.event.actor2.clone(),
                sentence: s.event.evidence.first().cloned(),
            })
            .collect();
        let tolls = group_claims(&ordered, |s| s.event.fatalities)
            .into_iter()
            .map(|(fatalities, sources, outlets)| TollClaim {
                fatalities,
                sources,
                outlets,
            })
            .collect::<Vec<_>>();
        let mut attributions: Vec<AttributionClaim> = group_claims(&ordered, |s| {
            Some((s.event.actor1.clone(), s.event.actor2.clone()))
        })
        .into_iter()
        .map(|((actor1, actor2), sources, outlets)| AttributionClaim {
            actor1,
            actor2,
            sources,
            outlets,
        })
        .collect();
        attributions.sort_by_key(|a| std::cmp::Reverse(a.sources.len()));
        let places: Vec<PlaceClaim> = group_claims(&ordered, |s| {
            let l = &s.event.location;
            Some((
                PlaceKey::of(l).level,
                l.place_id.clone(),
                l.name.clone(),
                l.precision,
            ))
        })
        .into_iter()
        .map(|((_, place_id, name, precision), sources, _)| PlaceClaim {
            name,
            precision,
            place_id,
            sources,
        })
        .collect();
        let sources = ordered
            .iter()
            .map(|s| SourceRef {
                doc_id: s.doc_id.clone(),
                url: s.url.clone(),
                event: s.event.clone(),
            })
            .collect();
        Some(IncidentRecord {
            incident_id: incident_label(self.id),
            event,
            fatalities_low: figures.iter().copied().min(),
            fatalities_high: figures.iter().copied().max(),
            claims,
            tolls,
            attributions,
            places,
            sources,
        })
    }
}

/// A publication time in seconds, for ordering.
fn published_instant(s: &str) -> Option<i64> {
    crate::cluster::published_at(s).map(|(secs, _)| secs)
}

/// Ties between sub-types given by as many sources: ACLED's explosion precedence, and
/// for battles the change of territory over the clash it came out of.
fn sub_precedence(s: SubEventType) -> u8 {
    use SubEventType::*;
    match s {
        GovernmentRegainsTerritory | NonStateActorOvertakesTerritory => 2,
        ArmedClash => 1,
        other => other.explosion_precedence().unwrap_or(0),
    }
}

/// Sources grouped by the value `f` gives them (sources without one left out): each
/// value once, in the value's order, with its documents and outlets.
fn group_claims<K: PartialEq + Ord>(
    sources: &[&SourceEvent],
    f: impl Fn(&SourceEvent) -> Option<K>,
) -> Vec<(K, Vec<String>, Vec<String>)> {
    let mut out: Vec<(K, Vec<String>, Vec<String>)> = Vec::new();
    for s in sources {
        let Some(k) = f(s) else { continue };
        let i = match out.iter().position(|g| g.0 == k) {
            Some(i) => i,
            None => {
                out.push((k, Vec::new(), Vec::new()));
                out.len() - 1
            }
        };
        push_unique(&mut out[i].1, &s.doc_id);
        if let Some(o) = s.source.as_deref().map(str::trim).filter(|o| !o.is_empty()) {
            push_unique(&mut out[i].2, o);
        }
    }
    out.sort_by(|a, b| a.0.cmp(&b.0));
    out
}

/// The finest place the sources give, level by level: the first level whose sources
/// all name one place (one entry, or one folded name) wins; where they name several,
/// a coarser level is tried; when no level agrees, the place most sources at the finest
/// level give (ties: with coordinates, then the first in order).
fn choose_location(events: &[&Event]) -> Option<rasd_model::Location> {
    // (level, place key: the entry id, else the folded name; the event)
    type Keyed<'a> = (Level, (Option<String>, String), &'a Event);
    let keyed: Vec<Keyed> = events
        .iter()
        .map(|e| {
            let l = &e.location;
            let id = l
                .place_id
                .as_deref()
                .map(str::trim)
                .filter(|p| !p.is_empty())
                .map(str::to_string);
            let name = crate::text::fold_key(&l.name);
            // One entry, or (without one) one name: the same place.
            let key = match id {
                Some(id) => (Some(id), String::new()),
                None => (None, name),
            };
            (PlaceKey::of(l).level, key, *e)
        })
        .collect();
    let mut levels: Vec<Level> = keyed.iter().map(|k| k.0).collect();
    levels.sort();
    levels.dedup();
    let coords = |e: &Event| e.location.lat.is_some() && e.location.lon.is_some();
    let pick = |level: Level| {
        keyed
            .iter()
            .enumerate()
            .filter(|(_, k)| k.0 == level)
            .max_by(|(i, a), (j, b)| {
                let ca = keyed.iter().filter(|k| k.1 == a.1).count();
                let cb = keyed.iter().filter(|k| k.1 == b.1).count();
                ca.cmp(&cb)
                    .then(coords(a.2).cmp(&coords(b.2)))
                    .then(j.cmp(i))
            })
            .map(|(_, k)| k.2.location.clone())
    };
    for &level in &levels {
        let mut names = keyed.iter().filter(|k| k.0 == level).map(|k| &k.1);
        let first = names.next()?;
        if names.all(|n| n == first) {
            return pick(level);
        }
    }
    pick(*levels.first()?)
}
