//! Matching and scores (`score()` of score_events.py) and its two outputs.

use crate::EventSet;
use crate::json::Json;
use crate::norm::{norm_actor, norm_ar};
use std::fmt::Write as _;

/// The fields scored over matched pairs, in the order they are printed.
pub const FIELDS: [&str; 5] = [
    "sub_event_type",
    "date_start",
    "location",
    "actors",
    "fatalities",
];

/// The keys of an event shown in the error list.
const BRIEF_KEYS: [&str; 7] = [
    "event_type",
    "sub_event_type",
    "date_start",
    "location",
    "actor1",
    "actor2",
    "fatalities",
];

/// Matched / spurious / missed events of one event type.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct TypeCounts {
    pub tp: u64,
    pub fp: u64,
    pub fn_: u64,
}

/// One disagreement: a field that differs in a matched pair (`kind` = the field
/// name), a gold event with no match (`missed`) or a predicted one (`spurious`).
#[derive(Debug, Clone)]
pub struct Disagreement {
    pub doc_id: String,
    pub kind: String,
    pub gold: Option<Json>,
    pub pred: Option<Json>,
}

/// The result of [`score`].
#[derive(Debug, Clone)]
pub struct Report {
    pub documents: usize,
    pub gold_events: u64,
    pub predicted_events: u64,
    pub matched: u64,
    pub precision: f64,
    pub recall: f64,
    pub f1: f64,
    /// Accuracy of each of [`FIELDS`] over the matched pairs, in that order.
    pub fields: Vec<(&'static str, f64)>,
    /// Per event type (as the JSON gave it), in first-seen order.
    pub by_type: Vec<(Json, TypeCounts)>,
    /// Predicted doc_ids that gold does not have.
    pub unknown_doc_ids: Vec<String>,
    pub errors: Vec<Disagreement>,
}

static NULL: Json = Json::Null;

pub(crate) fn get<'a>(e: &'a Json, key: &str) -> &'a Json {
    e.get(key).unwrap_or(&NULL)
}

/// `x or {}` then `.get(key)`, for the location object.
pub(crate) fn loc<'a>(e: &'a Json, key: &str) -> &'a Json {
    let l = get(e, "location");
    if l.truthy() { get(l, key) } else { &NULL }
}

/// A value handed to norm_ar / norm_actor, which start with `if not s: return ""`.
fn text_of(v: &Json) -> String {
    if v.truthy() {
        v.py_str()
    } else {
        String::new()
    }
}

pub(crate) fn nar(v: &Json) -> String {
    norm_ar(&text_of(v))
}

fn nactor(v: &Json) -> String {
    norm_actor(&text_of(v))
}

/// `parse_day`: `date.fromisoformat(str(s)[:10])` of Python 3.11 (calendar dates
/// `YYYY-MM-DD`/`YYYYMMDD`, ISO week dates `YYYY-Www[-D]`/`YYYYWww[D]`), as a day number.
pub(crate) fn parse_day(v: &Json) -> Option<i32> {
    let s: String = v.py_str().chars().take(10).collect();
    let b = s.as_bytes();
    let num = |r: std::ops::Range<usize>| -> Option<i32> {
        let part = b.get(r)?;
        if part.iter().all(u8::is_ascii_digit) {
            std::str::from_utf8(part).ok()?.parse().ok()
        } else {
            None
        }
    };
    let calendar = |y: i32, m: i32, d: i32| -> Option<i32> {
        if y < 1 {
            return None;
        }
        let date = jiff::civil::Date::new(y as i16, m as i8, d as i8).ok()?;
        Some(days(date))
    };
    let week = |y: i32, w: i32, d: i32| -> Option<i32> {
        if y < 1 || !(1..=7).contains(&d) || !(1..=53).contains(&w) {
            return None;
        }
        let wd = jiff::civil::Weekday::from_monday_one_offset(d as i8).ok()?;
        let date = jiff::civil::ISOWeekDate::new(y as i16, w as i8, wd)
            .ok()?
            .date();
        Some(days(date))
    };
    let at = |i: usize| b.get(i).copied();
    match (b.len(), at(4), at(5)) {
        (10, Some(b'-'), Some(b'W')) if at(8) == Some(b'-') => {
            week(num(0..4)?, num(6..8)?, num(9..10)?)
        }
        (10, Some(b'-'), _) if at(7) == Some(b'-') => calendar(num(0..4)?, num(5..7)?, num(8..10)?),
        (8, Some(b'-'), Some(b'W')) => week(num(0..4)?, num(6..8)?, 1),
        (8, Some(b'W'), _) => week(num(0..4)?, num(5..7)?, num(7..8)?),
        (8, _, _) => calendar(num(0..4)?, num(4..6)?, num(6..8)?),
        (7, Some(b'W'), _) => week(num(0..4)?, num(5..7)?, 1),
        _ => None,
    }
}

fn days(d: jiff::civil::Date) -> i32 {
    (d - jiff::civil::date(1970, 1, 1)).get_days()
}

/// What the matching reads of one event, computed once per event.
pub(crate) struct Prepared<'a> {
    pub(crate) raw: &'a Json,
    pub(crate) name: String,
    pub(crate) admin1: String,
    admin1_truthy: bool,
    governorate_or_country: bool,
    /// (start, end) days: `date_start`, and `date_end or date_start`.
    pub(crate) start: Option<i32>,
    pub(crate) end: Option<i32>,
    pub(crate) actors: [String; 2],
}

impl<'a> Prepared<'a> {
    pub(crate) fn new(e: &'a Json) -> Self {
        let precision = loc(e, "precision").as_str();
        Prepared {
            raw: e,
            name: nar(loc(e, "name")),
            admin1: nar(loc(e, "admin1")),
            admin1_truthy: loc(e, "admin1").truthy(),
            governorate_or_country: matches!(precision, Some("governorate" | "country")),
            start: parse_day(get(e, "date_start")),
            end: parse_day(or(get(e, "date_end"), get(e, "date_start"))),
            actors: [nactor(get(e, "actor1")), nactor(get(e, "actor2"))],
        }
    }
}

pub(crate) fn same_place(g: &Prepared<'_>, p: &Prepared<'_>) -> bool {
    let (gn, pn) = (&g.name, &p.name);
    if !gn.is_empty()
        && !pn.is_empty()
        && (gn == pn || pn.contains(gn.as_str()) || gn.contains(pn.as_str()))
    {
        return true;
    }
    if g.governorate_or_country {
        return g.admin1_truthy && g.admin1 == p.admin1;
    }
    false
}

/// `x or y`.
fn or<'a>(x: &'a Json, y: &'a Json) -> &'a Json {
    if x.truthy() { x } else { y }
}

pub(crate) fn dates_overlap(g: &Prepared<'_>, p: &Prepared<'_>) -> bool {
    match (g.start, g.end, p.start, p.end) {
        (Some(gs), Some(ge), Some(ps), Some(pe)) => ps <= ge + 1 && pe >= gs - 1,
        _ => false,
    }
}

pub(crate) fn matches(g: &Prepared<'_>, p: &Prepared<'_>) -> bool {
    get(g.raw, "event_type").py_eq(get(p.raw, "event_type"))
        && dates_overlap(g, p)
        && same_place(g, p)
}

fn eq(g: &Json, p: &Json, key: &str) -> bool {
    get(g, key).py_eq(get(p, key))
}

fn pair_score(g: &Prepared<'_>, p: &Prepared<'_>) -> u32 {
    u32::from(eq(g.raw, p.raw, "sub_event_type"))
        + u32::from(eq(g.raw, p.raw, "date_start"))
        + u32::from(g.name == p.name)
        + u32::from(eq(g.raw, p.raw, "fatalities"))
}

fn field_agrees(field: &str, g: &Prepared<'_>, p: &Prepared<'_>) -> bool {
    match field {
        "sub_event_type" | "date_start" | "fatalities" => eq(g.raw, p.raw, field),
        "location" => g.name == p.name,
        "actors" => {
            let (a, b) = (&g.actors, &p.actors);
            // Set equality of two 2-element sets.
            a.iter().all(|x| b.contains(x)) && b.iter().all(|x| a.contains(x))
        }
        _ => unreachable!("unknown field {field}"),
    }
}

fn type_slot<'a>(by_type: &'a mut Vec<(Json, TypeCounts)>, t: &Json) -> &'a mut TypeCounts {
    let i = match by_type.iter().position(|(k, _)| k.py_eq(t)) {
        Some(i) => i,
        None => {
            by_type.push((t.clone(), TypeCounts::default()));
            by_type.len() - 1
        }
    };
    &mut by_type[i].1
}

/// The one-to-one matching of one document's events: (gold index, predicted index)
/// in the order the pairs were taken.
pub(crate) fn match_events(gprep: &[Prepared<'_>], pprep: &[Prepared<'_>]) -> Vec<(usize, usize)> {
    let mut pairs: Vec<(u32, usize, usize)> = Vec::new();
    for (gi, g) in gprep.iter().enumerate() {
        for (pi, p) in pprep.iter().enumerate() {
            if matches(g, p) {
                pairs.push((pair_score(g, p), gi, pi));
            }
        }
    }
    // sorted(..., reverse=True): best score first, then higher indices first.
    pairs.sort_by(|a, b| b.cmp(a));
    let mut used_g = vec![false; gprep.len()];
    let mut used_p = vec![false; pprep.len()];
    let mut matched: Vec<(usize, usize)> = Vec::new();
    for &(_, gi, pi) in &pairs {
        if !used_g[gi] && !used_p[pi] {
            used_g[gi] = true;
            used_p[pi] = true;
            matched.push((gi, pi));
        }
    }
    matched
}

/// Scores `pred` against `gold`: a document missing from `pred` predicts no events.
pub fn score(gold: &EventSet, pred: &EventSet) -> Report {
    let (mut tp, mut fp, mut fn_) = (0u64, 0u64, 0u64);
    let mut field_hits = [0u64; FIELDS.len()];
    let mut by_type: Vec<(Json, TypeCounts)> = Vec::new();
    let mut errors = Vec::new();
    for doc_id in gold.doc_ids() {
        let gevents = gold.events(doc_id).unwrap_or(&[]);
        let pevents = pred.events(doc_id).unwrap_or(&[]);
        let gprep: Vec<Prepared<'_>> = gevents.iter().map(Prepared::new).collect();
        let pprep: Vec<Prepared<'_>> = pevents.iter().map(Prepared::new).collect();
        let matched = match_events(&gprep, &pprep);
        let mut used_g = vec![false; gevents.len()];
        let mut used_p = vec![false; pevents.len()];
        for &(gi, pi) in &matched {
            used_g[gi] = true;
            used_p[pi] = true;
        }
        for &(gi, pi) in &matched {
            let (g, p) = (&gevents[gi], &pevents[pi]);
            for (k, field) in FIELDS.iter().enumerate() {
                if field_agrees(field, &gprep[gi], &pprep[pi]) {
                    field_hits[k] += 1;
                } else {
                    errors.push(Disagreement {
                        doc_id: doc_id.to_string(),
                        kind: (*field).to_string(),
                        gold: Some(g.clone()),
                        pred: Some(p.clone()),
                    });
                }
            }
        }
        for (gi, g) in gevents.iter().enumerate() {
            let slot = type_slot(&mut by_type, get(g, "event_type"));
            if used_g[gi] {
                slot.tp += 1;
            } else {
                slot.fn_ += 1;
                errors.push(Disagreement {
                    doc_id: doc_id.to_string(),
                    kind: "missed".into(),
                    gold: Some(g.clone()),
                    pred: None,
                });
            }
        }
        for (pi, p) in pevents.iter().enumerate() {
            if !used_p[pi] {
                type_slot(&mut by_type, get(p, "event_type")).fp += 1;
                errors.push(Disagreement {
                    doc_id: doc_id.to_string(),
                    kind: "spurious".into(),
                    gold: None,
                    pred: Some(p.clone()),
                });
            }
        }
        let m = matched.len() as u64;
        tp += m;
        fp += pevents.len() as u64 - m;
        fn_ += gevents.len() as u64 - m;
    }
    let unknown_doc_ids = pred
        .doc_ids()
        .filter(|d| gold.events(d).is_none())
        .map(str::to_string)
        .collect();
    let ratio = |a: u64, b: u64| if b > 0 { a as f64 / b as f64 } else { 0.0 };
    let precision = ratio(tp, tp + fp);
    let recall = ratio(tp, tp + fn_);
    let f1 = if precision + recall > 0.0 {
        2.0 * precision * recall / (precision + recall)
    } else {
        0.0
    };
    Report {
        documents: gold.len(),
        gold_events: tp + fn_,
        predicted_events: tp + fp,
        matched: tp,
        precision,
        recall,
        f1,
        fields: FIELDS
            .iter()
            .zip(field_hits)
            .map(|(k, v)| (*k, ratio(v, tp)))
            .collect(),
        by_type,
        unknown_doc_ids,
        errors,
    }
}

/// `brief(e)` of the error list: `e and {k: e.get(k) for k in BRIEF_KEYS}`.
pub(crate) fn brief(e: Option<&Json>) -> Json {
    match e {
        None => Json::Null,
        Some(e) if !e.truthy() => e.clone(),
        Some(e) => Json::Object(
            BRIEF_KEYS
                .iter()
                .map(|k| ((*k).to_string(), get(e, k).clone()))
                .collect(),
        ),
    }
}

impl Report {
    /// The accuracy of one of [`FIELDS`].
    pub fn field(&self, name: &str) -> Option<f64> {
        self.fields
            .iter()
            .find(|(k, _)| *k == name)
            .map(|(_, v)| *v)
    }

    /// The result as score_events.py `--json` prints it (one line, no newline).
    pub fn json(&self) -> String {
        self.json_value().dumps()
    }

    /// The object [`Report::json`] prints, for callers that add keys to it.
    pub fn json_value(&self) -> Json {
        let f = Json::Float;
        let int = |n: u64| Json::Int(i128::from(n));
        Json::Object(vec![
            ("documents".into(), int(self.documents as u64)),
            ("gold_events".into(), int(self.gold_events)),
            ("predicted_events".into(), int(self.predicted_events)),
            ("matched".into(), int(self.matched)),
            ("precision".into(), f(self.precision)),
            ("recall".into(), f(self.recall)),
            ("f1".into(), f(self.f1)),
            (
                "fields".into(),
                Json::Object(
                    self.fields
                        .iter()
                        .map(|(k, v)| ((*k).to_string(), f(*v)))
                        .collect(),
                ),
            ),
            (
                "by_type".into(),
                Json::Object(
                    self.by_type
                        .iter()
                        .map(|(t, c)| {
                            (
                                t.dict_key(),
                                Json::List(vec![int(c.tp), int(c.fp), int(c.fn_)]),
                            )
                        })
                        .collect(),
                ),
            ),
            (
                "unknown_doc_ids".into(),
                Json::List(
                    self.unknown_doc_ids
                        .iter()
                        .map(|d| Json::Str(d.clone()))
                        .collect(),
                ),
            ),
        ])
    }

    /// The text score_events.py prints (each line ends with `\n`). `errors` is its
    /// `--errors N` (a negative N drops that many from the end, as a Python slice).
    pub fn text(&self, by_type: bool, errors: i64) -> String {
        let mut out = String::new();
        let _ = writeln!(
            out,
            "documents {}  gold events {}  predicted {}  matched {}",
            self.documents, self.gold_events, self.predicted_events, self.matched
        );
        let _ = writeln!(
            out,
            "event precision {:.3}  recall {:.3}  F1 {:.3}",
            self.precision, self.recall, self.f1
        );
        let fields: Vec<String> = self
            .fields
            .iter()
            .map(|(k, v)| format!("{k} {v:.3}"))
            .collect();
        let _ = writeln!(out, "field accuracy over matched: {}", fields.join("  "));
        if by_type {
            let _ = writeln!(
                out,
                "{:32} {:>4} {:>4} {:>4}",
                "event_type", "tp", "fp", "fn"
            );
            let mut rows: Vec<(String, TypeCounts)> =
                self.by_type.iter().map(|(t, c)| (t.py_str(), *c)).collect();
            rows.sort_by(|a, b| a.0.cmp(&b.0));
            for (t, c) in rows {
                let _ = writeln!(out, "{t:32} {:>4} {:>4} {:>4}", c.tp, c.fp, c.fn_);
            }
        }
        if !self.unknown_doc_ids.is_empty() {
            let _ = writeln!(
                out,
                "warning: {} predicted doc_ids are not in gold",
                self.unknown_doc_ids.len()
            );
        }
        let n = self.errors.len() as i64;
        let take = if errors >= 0 {
            errors.min(n)
        } else {
            (n + errors).max(0)
        } as usize;
        for e in &self.errors[..take] {
            let _ = writeln!(
                out,
                "- {} {}: gold={} pred={}",
                e.doc_id,
                e.kind,
                brief(e.gold.as_ref()).dumps(),
                brief(e.pred.as_ref()).dumps()
            );
        }
        out
    }
}
