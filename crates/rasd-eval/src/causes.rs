//! Why events were missed or spurious: the error report of `rasd eval --causes`.
//!
//! Each document is looked at on its own. Its gold and predicted events are matched
//! exactly as the score matches them; then every unmatched gold event (a miss) gets
//! the first cause that fits, in the order of [`Cause`], and every unmatched
//! prediction (a spurious event) either inherits the cause of a miss it explains —
//! one coarse prediction is at once a miss's wrong place and a spurious event, and it
//! is counted once, under the miss — or gets a cause of its own. Matched pairs whose
//! actors disagree are sorted into [`ActorError`]s. The scores are not touched.

use crate::EventSet;
use crate::json::Json;
use crate::score::{
    Prepared, brief, dates_overlap, get, loc, match_events, matches, nar, parse_day, same_place,
};
use std::fmt::Write as _;

/// The cause of a miss or a spurious event, in the order they are tried.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Cause {
    /// Gold has events for the document, the prediction has none.
    NothingCoded,
    /// Several gold places of one type and day, fewer predictions of it that day.
    PlacesMerged,
    /// Same type and days, at an area containing the gold place.
    PlaceTooCoarse,
    /// Same place and days, another event type.
    Type,
    /// Same type and place, the prediction dated before the gold days.
    DateEarlier,
    /// Same type and place, the prediction dated after the gold days.
    DateLater,
    /// Same type and days, at a place that does not contain the gold one.
    OtherPlace,
    /// Nothing of the kind predicted for a gold event told after the document's first.
    LaterEpisode,
    /// A prediction dated over a week before publication, or in a document without gold events.
    Background,
    /// A prediction that would match a gold event another prediction already matched.
    Duplicate,
    Other,
}

/// Every cause, in the order of precedence (also the order of ties in the report).
pub const CAUSES: [Cause; 11] = [
    Cause::NothingCoded,
    Cause::PlacesMerged,
    Cause::PlaceTooCoarse,
    Cause::Type,
    Cause::DateEarlier,
    Cause::DateLater,
    Cause::OtherPlace,
    Cause::LaterEpisode,
    Cause::Background,
    Cause::Duplicate,
    Cause::Other,
];

impl Cause {
    pub fn label(self) -> &'static str {
        match self {
            Cause::NothingCoded => "document coded with nothing",
            Cause::PlacesMerged => "places merged",
            Cause::PlaceTooCoarse => "place too coarse",
            Cause::Type => "type",
            Cause::DateEarlier => "date (prediction earlier)",
            Cause::DateLater => "date (prediction later)",
            Cause::OtherPlace => "other place",
            Cause::LaterEpisode => "later episode missed",
            Cause::Background => "background coded",
            Cause::Duplicate => "duplicate",
            Cause::Other => "other",
        }
    }

    /// The name in `--json` output.
    pub fn key(self) -> &'static str {
        match self {
            Cause::NothingCoded => "nothing_coded",
            Cause::PlacesMerged => "places_merged",
            Cause::PlaceTooCoarse => "place_too_coarse",
            Cause::Type => "type",
            Cause::DateEarlier => "date_earlier",
            Cause::DateLater => "date_later",
            Cause::OtherPlace => "other_place",
            Cause::LaterEpisode => "later_episode",
            Cause::Background => "background",
            Cause::Duplicate => "duplicate",
            Cause::Other => "other",
        }
    }
}

/// How a matched pair's actors are wrong. `Swapped` is a role error the score does
/// not count (it compares the actors as an unordered pair).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum ActorError {
    Actor1Wrong,
    Actor2Wrong,
    BothWrong,
    Swapped,
}

pub const ACTOR_ERRORS: [ActorError; 4] = [
    ActorError::Actor1Wrong,
    ActorError::Actor2Wrong,
    ActorError::BothWrong,
    ActorError::Swapped,
];

impl ActorError {
    pub fn label(self) -> &'static str {
        match self {
            ActorError::Actor1Wrong => "actor1 wrong",
            ActorError::Actor2Wrong => "actor2 wrong",
            ActorError::BothWrong => "actor1 and actor2 wrong",
            ActorError::Swapped => "actors swapped (not counted by the score)",
        }
    }

    pub fn key(self) -> &'static str {
        match self {
            ActorError::Actor1Wrong => "actor1_wrong",
            ActorError::Actor2Wrong => "actor2_wrong",
            ActorError::BothWrong => "both_wrong",
            ActorError::Swapped => "swapped",
        }
    }
}

/// Whether an item is a gold event missed or a prediction no gold event took.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Side {
    Missed,
    Spurious,
}

/// One miss or spurious event and its cause.
#[derive(Debug, Clone)]
pub struct CauseItem {
    pub doc_id: String,
    pub cause: Cause,
    pub side: Side,
    /// The missed gold event (None for a spurious one).
    pub gold: Option<Json>,
    /// For a miss: the unmatched predictions that explain it (each is also spurious
    /// and counted under this cause). For a spurious event: the event itself.
    pub preds: Vec<Json>,
    /// For a merged place: the predictions of its type and day that were matched to
    /// another gold event (they stand for this place too, and are not spurious).
    pub stand_ins: Vec<Json>,
    /// For a spurious event: it explains a miss listed under the same cause.
    pub explains_miss: bool,
}

/// One matched pair whose actors are wrong.
#[derive(Debug, Clone)]
pub struct ActorItem {
    pub doc_id: String,
    pub error: ActorError,
    pub gold: Json,
    pub pred: Json,
}

/// The result of [`causes`].
#[derive(Debug, Clone, Default)]
pub struct CauseReport {
    pub items: Vec<CauseItem>,
    pub actors: Vec<ActorItem>,
    pub matched: u64,
}

/// One document, matched as the score matches it.
struct Doc<'a> {
    gold: Vec<Prepared<'a>>,
    pred: Vec<Prepared<'a>>,
    gold_match: Vec<Option<usize>>,
    pred_match: Vec<Option<usize>>,
    /// The publication day (days since 1970-01-01).
    published: Option<i32>,
}

impl<'a> Doc<'a> {
    fn new(gevents: &'a [Json], pevents: &'a [Json], published: Option<&str>) -> Self {
        let gold: Vec<Prepared<'a>> = gevents.iter().map(Prepared::new).collect();
        let pred: Vec<Prepared<'a>> = pevents.iter().map(Prepared::new).collect();
        let mut gold_match = vec![None; gold.len()];
        let mut pred_match = vec![None; pred.len()];
        for (gi, pi) in match_events(&gold, &pred) {
            gold_match[gi] = Some(pi);
            pred_match[pi] = Some(gi);
        }
        Doc {
            gold,
            pred,
            gold_match,
            pred_match,
            published: published.and_then(|s| parse_day(&Json::Str(s.to_string()))),
        }
    }

    fn unmatched_preds(&self) -> impl Iterator<Item = usize> + '_ {
        (0..self.pred.len()).filter(|&pi| self.pred_match[pi].is_none())
    }
}

fn same_type(a: &Prepared<'_>, b: &Prepared<'_>) -> bool {
    get(a.raw, "event_type").py_eq(get(b.raw, "event_type"))
}

/// Location precisions from finest to coarsest.
const PRECISIONS: [&str; 5] = [
    "community",
    "subdistrict",
    "district",
    "governorate",
    "country",
];

fn precision_rank(e: &Prepared<'_>) -> Option<usize> {
    let p = loc(e.raw, "precision").as_str()?;
    PRECISIONS.iter().position(|x| *x == p)
}

/// `coarse` names an area that contains `fine`'s place: it is one of `fine`'s admin
/// areas by name, or it is coded coarser inside the same governorate (or country).
fn contains_place(coarse: &Prepared<'_>, fine: &Prepared<'_>) -> bool {
    if !coarse.name.is_empty()
        && ["admin1", "admin2", "city"]
            .iter()
            .any(|k| nar(loc(fine.raw, k)) == coarse.name)
    {
        return true;
    }
    match (precision_rank(coarse), precision_rank(fine)) {
        (Some(c), Some(f)) if c > f => {
            (!fine.admin1.is_empty() && fine.admin1 == coarse.admin1)
                || (PRECISIONS[c] == "country"
                    && loc(fine.raw, "country").truthy()
                    && loc(fine.raw, "country").py_eq(loc(coarse.raw, "country")))
        }
        _ => false,
    }
}

/// Gold has events for the document and the prediction none.
fn nothing_coded(doc: &Doc<'_>) -> bool {
    !doc.gold.is_empty() && doc.pred.is_empty()
}

/// Gold holds events of the miss's type on its day at two or more places, and fewer
/// predictions of that type overlap the day (at least one): one prediction stood for
/// several places. Returns those predictions (matched ones included: a prediction
/// matched at one of the places may stand for the others).
fn places_merged(doc: &Doc<'_>, gi: usize) -> Option<Vec<usize>> {
    let g = &doc.gold[gi];
    g.start?;
    let mut places: Vec<&str> = doc
        .gold
        .iter()
        .filter(|o| same_type(o, g) && o.start == g.start && !o.name.is_empty())
        .map(|o| o.name.as_str())
        .collect();
    places.sort_unstable();
    places.dedup();
    let preds: Vec<usize> = (0..doc.pred.len())
        .filter(|&pi| same_type(&doc.pred[pi], g) && dates_overlap(g, &doc.pred[pi]))
        .collect();
    if places.len() < 2 || preds.is_empty() || preds.len() >= places.len() {
        return None;
    }
    Some(preds)
}

/// An unmatched prediction of the same type and days whose place contains the gold one.
fn place_too_coarse(doc: &Doc<'_>, gi: usize) -> Option<usize> {
    let g = &doc.gold[gi];
    doc.unmatched_preds().find(|&pi| {
        let p = &doc.pred[pi];
        same_type(g, p) && dates_overlap(g, p) && !same_place(g, p) && contains_place(p, g)
    })
}

/// An unmatched prediction at the same place and days with another event type.
fn wrong_type(doc: &Doc<'_>, gi: usize) -> Option<usize> {
    let g = &doc.gold[gi];
    doc.unmatched_preds().find(|&pi| {
        let p = &doc.pred[pi];
        !same_type(g, p) && dates_overlap(g, p) && same_place(g, p)
    })
}

/// An unmatched prediction of the same type and place on other days; `true` when it
/// is dated before the gold event (a background episode, often).
fn wrong_date(doc: &Doc<'_>, gi: usize) -> Option<(usize, bool)> {
    let g = &doc.gold[gi];
    doc.unmatched_preds().find_map(|pi| {
        let p = &doc.pred[pi];
        let (Some(g_start), Some(p_end)) = (g.start, p.end) else {
            return None;
        };
        (same_type(g, p) && same_place(g, p) && p.start.is_some() && !dates_overlap(g, p))
            .then_some((pi, p_end < g_start))
    })
}

/// An unmatched prediction of the same type and days at a place that does not contain
/// the gold one.
fn other_place(doc: &Doc<'_>, gi: usize) -> Option<usize> {
    let g = &doc.gold[gi];
    doc.unmatched_preds().find(|&pi| {
        let p = &doc.pred[pi];
        same_type(g, p) && dates_overlap(g, p) && !same_place(g, p) && !contains_place(p, g)
    })
}

/// Nothing of the miss's type was predicted while other events of the document were
/// found, or the miss is not the first event gold tells (gold lists events in the
/// article's order).
fn later_episode(doc: &Doc<'_>, gi: usize) -> bool {
    let g = &doc.gold[gi];
    let found_others = doc.gold_match.iter().any(Option::is_some);
    let type_predicted = doc.pred.iter().any(|p| same_type(g, p));
    (found_others && !type_predicted) || gi > 0
}

/// A prediction dated more than a week before publication, or any prediction for a
/// document whose gold is empty.
fn background_coded(doc: &Doc<'_>, pi: usize) -> bool {
    if doc.gold.is_empty() {
        return true;
    }
    matches!((doc.published, doc.pred[pi].start), (Some(day), Some(start)) if start < day - 7)
}

/// A gold event at the prediction's place and days has another type (the other side
/// of [`wrong_type`], when that gold event was matched by something else).
fn type_of_a_gold_event(doc: &Doc<'_>, pi: usize) -> bool {
    let p = &doc.pred[pi];
    doc.gold
        .iter()
        .any(|g| !same_type(g, p) && dates_overlap(g, p) && same_place(g, p))
}

/// The prediction would match a gold event that another prediction already matched.
fn duplicate(doc: &Doc<'_>, pi: usize) -> bool {
    let p = &doc.pred[pi];
    doc.gold
        .iter()
        .enumerate()
        .any(|(gi, g)| doc.gold_match[gi].is_some() && matches(g, p))
}

/// How the actors of a matched pair differ (None when they agree, in order).
fn actor_error(g: &Prepared<'_>, p: &Prepared<'_>) -> Option<ActorError> {
    let [g1, g2] = &g.actors;
    let [p1, p2] = &p.actors;
    match (g1 == p1, g2 == p2) {
        (true, true) => None,
        _ if g1 == p2 && g2 == p1 => Some(ActorError::Swapped),
        (false, true) => Some(ActorError::Actor1Wrong),
        (true, false) => Some(ActorError::Actor2Wrong),
        (false, false) => Some(ActorError::BothWrong),
    }
}

/// The cause of the miss of gold event `gi`, with the predictions that explain it.
fn miss_cause(doc: &Doc<'_>, gi: usize) -> (Cause, Vec<usize>) {
    if nothing_coded(doc) {
        return (Cause::NothingCoded, Vec::new());
    }
    if let Some(preds) = places_merged(doc, gi) {
        return (Cause::PlacesMerged, preds);
    }
    if let Some(pi) = place_too_coarse(doc, gi) {
        return (Cause::PlaceTooCoarse, vec![pi]);
    }
    if let Some(pi) = wrong_type(doc, gi) {
        return (Cause::Type, vec![pi]);
    }
    if let Some((pi, earlier)) = wrong_date(doc, gi) {
        let cause = if earlier {
            Cause::DateEarlier
        } else {
            Cause::DateLater
        };
        return (cause, vec![pi]);
    }
    if let Some(pi) = other_place(doc, gi) {
        return (Cause::OtherPlace, vec![pi]);
    }
    if later_episode(doc, gi) {
        return (Cause::LaterEpisode, Vec::new());
    }
    (Cause::Other, Vec::new())
}

/// The cause of a spurious prediction that explains no miss.
fn spurious_cause(doc: &Doc<'_>, pi: usize) -> Cause {
    if background_coded(doc, pi) {
        Cause::Background
    } else if type_of_a_gold_event(doc, pi) {
        Cause::Type
    } else if duplicate(doc, pi) {
        Cause::Duplicate
    } else {
        Cause::Other
    }
}

/// Sorts every miss and spurious event of `pred` against `gold` by cause, and the
/// matched pairs' actor errors. A document missing from `pred` predicts nothing.
pub fn causes(gold: &EventSet, pred: &EventSet) -> CauseReport {
    let mut report = CauseReport::default();
    for doc_id in gold.doc_ids() {
        let gevents = gold.events(doc_id).unwrap_or(&[]);
        let pevents = pred.events(doc_id).unwrap_or(&[]);
        let published = gold.published(doc_id).or(pred.published(doc_id));
        let doc = Doc::new(gevents, pevents, published);
        let mut explained: Vec<Option<Cause>> = vec![None; pevents.len()];
        for (gi, gevent) in gevents.iter().enumerate() {
            match doc.gold_match[gi] {
                Some(pi) => {
                    report.matched += 1;
                    if let Some(error) = actor_error(&doc.gold[gi], &doc.pred[pi]) {
                        report.actors.push(ActorItem {
                            doc_id: doc_id.to_string(),
                            error,
                            gold: gevent.clone(),
                            pred: pevents[pi].clone(),
                        });
                    }
                }
                None => {
                    let (cause, all) = miss_cause(&doc, gi);
                    let (stand_ins, preds): (Vec<usize>, Vec<usize>) = all
                        .into_iter()
                        .partition(|&pi| doc.pred_match[pi].is_some());
                    for &pi in &preds {
                        explained[pi].get_or_insert(cause);
                    }
                    report.items.push(CauseItem {
                        doc_id: doc_id.to_string(),
                        cause,
                        side: Side::Missed,
                        gold: Some(gevent.clone()),
                        preds: preds.iter().map(|&pi| pevents[pi].clone()).collect(),
                        stand_ins: stand_ins.iter().map(|&pi| pevents[pi].clone()).collect(),
                        explains_miss: false,
                    });
                }
            }
        }
        for pi in doc.unmatched_preds() {
            let (cause, explains_miss) = match explained[pi] {
                Some(cause) => (cause, true),
                None => (spurious_cause(&doc, pi), false),
            };
            report.items.push(CauseItem {
                doc_id: doc_id.to_string(),
                cause,
                side: Side::Spurious,
                gold: None,
                preds: vec![pevents[pi].clone()],
                stand_ins: Vec::new(),
                explains_miss,
            });
        }
    }
    report
}

/// `Null` as "-", a string as itself, anything else as JSON.
fn show(v: &Json) -> String {
    match v {
        Json::Null => "-".into(),
        Json::Str(s) if s.is_empty() => "-".into(),
        Json::Str(s) => s.clone(),
        other => other.dumps(),
    }
}

/// One event on one line: type/sub-type, days, place [admin1, precision], actors, fatalities.
pub fn event_line(e: &Json) -> String {
    let start = show(get(e, "date_start"));
    let end = get(e, "date_end");
    let days = if end.truthy() && !end.py_eq(get(e, "date_start")) {
        format!("{start}..{}", show(end))
    } else {
        start
    };
    format!(
        "{}/{} {days} at {} [{}, {}] {} / {}, fatalities {}",
        show(get(e, "event_type")),
        show(get(e, "sub_event_type")),
        show(loc(e, "name")),
        show(loc(e, "admin1")),
        show(loc(e, "precision")),
        show(get(e, "actor1")),
        show(get(e, "actor2")),
        show(get(e, "fatalities")),
    )
}

/// Per cause: (missed, spurious, spurious that explain a miss).
type Counts = (usize, usize, usize);

impl CauseReport {
    /// Causes with their counts, the most frequent first.
    pub fn counts(&self) -> Vec<(Cause, Counts)> {
        let mut rows: Vec<(Cause, Counts)> = CAUSES
            .iter()
            .map(|&c| {
                let mut n = (0, 0, 0);
                for item in self.items.iter().filter(|i| i.cause == c) {
                    match item.side {
                        Side::Missed => n.0 += 1,
                        Side::Spurious => {
                            n.1 += 1;
                            n.2 += usize::from(item.explains_miss);
                        }
                    }
                }
                (c, n)
            })
            .filter(|(_, n)| n.0 + n.1 > 0)
            .collect();
        // Stable: ties keep the order of precedence.
        rows.sort_by_key(|(_, n)| std::cmp::Reverse(n.0 + n.1));
        rows
    }

    /// Actor errors with their counts, the most frequent first.
    pub fn actor_counts(&self) -> Vec<(ActorError, usize)> {
        let mut rows: Vec<(ActorError, usize)> = ACTOR_ERRORS
            .iter()
            .map(|&a| (a, self.actors.iter().filter(|i| i.error == a).count()))
            .filter(|(_, n)| *n > 0)
            .collect();
        rows.sort_by_key(|(_, n)| std::cmp::Reverse(*n));
        rows
    }

    /// The counts per cause, then up to `examples` examples of each cause.
    pub fn text(&self, examples: usize) -> String {
        let mut out = String::new();
        let missed = self.items.iter().filter(|i| i.side == Side::Missed).count();
        let spurious = self.items.len() - missed;
        let _ = writeln!(
            out,
            "causes of {missed} missed and {spurious} spurious events \
             (a prediction that explains a miss is counted under the miss's cause):"
        );
        let _ = writeln!(out, "{:>8} {:>8}  cause", "missed", "spurious");
        for (cause, (m, s, e)) in self.counts() {
            let note = if e > 0 {
                format!(" ({e} spurious of them explain these misses)")
            } else {
                String::new()
            };
            let _ = writeln!(out, "{m:>8} {s:>8}  {}{note}", cause.label());
        }
        let _ = writeln!(
            out,
            "actors over {} matched pairs: {} wrong",
            self.matched,
            self.actors.len()
        );
        for (error, n) in self.actor_counts() {
            let _ = writeln!(out, "{n:>8}  {}", error.label());
        }
        if examples == 0 {
            return out;
        }
        for (cause, _) in self.counts() {
            let _ = writeln!(out, "{}:", cause.label());
            // A spurious event that explains a miss is shown under that miss.
            let shown = self
                .items
                .iter()
                .filter(|i| i.cause == cause && !i.explains_miss)
                .take(examples);
            for item in shown {
                match &item.gold {
                    Some(g) => {
                        let _ = writeln!(out, "- {} missed: {}", item.doc_id, event_line(g));
                        for p in &item.preds {
                            let _ =
                                writeln!(out, "    predicted (also spurious): {}", event_line(p));
                        }
                        for p in &item.stand_ins {
                            let _ = writeln!(
                                out,
                                "    predicted (matched at another place): {}",
                                event_line(p)
                            );
                        }
                    }
                    None => {
                        for p in &item.preds {
                            let _ = writeln!(out, "- {} spurious: {}", item.doc_id, event_line(p));
                        }
                    }
                }
            }
        }
        for (error, _) in self.actor_counts() {
            let _ = writeln!(out, "{}:", error.label());
            for item in self
                .actors
                .iter()
                .filter(|i| i.error == error)
                .take(examples)
            {
                let _ = writeln!(out, "- {} gold: {}", item.doc_id, event_line(&item.gold));
                let _ = writeln!(out, "    predicted: {}", event_line(&item.pred));
            }
        }
        out
    }

    /// Every group with all its examples: `{"causes": [...], "actor_errors": [...]}`
    /// entries for the `--json` object.
    pub fn json(&self) -> Vec<(String, Json)> {
        let int = |n: usize| Json::Int(n as i128);
        let causes = self
            .counts()
            .into_iter()
            .map(|(cause, (m, s, e))| {
                let examples = self
                    .items
                    .iter()
                    .filter(|i| i.cause == cause)
                    .map(|i| {
                        Json::Object(vec![
                            ("doc_id".into(), Json::Str(i.doc_id.clone())),
                            (
                                "kind".into(),
                                Json::Str(
                                    match i.side {
                                        Side::Missed => "missed",
                                        Side::Spurious => "spurious",
                                    }
                                    .into(),
                                ),
                            ),
                            ("gold".into(), brief(i.gold.as_ref())),
                            (
                                "pred".into(),
                                Json::List(i.preds.iter().map(|p| brief(Some(p))).collect()),
                            ),
                            (
                                "matched_pred".into(),
                                Json::List(i.stand_ins.iter().map(|p| brief(Some(p))).collect()),
                            ),
                            ("explains_miss".into(), Json::Bool(i.explains_miss)),
                        ])
                    })
                    .collect();
                Json::Object(vec![
                    ("cause".into(), Json::Str(cause.key().into())),
                    ("label".into(), Json::Str(cause.label().into())),
                    ("missed".into(), int(m)),
                    ("spurious".into(), int(s)),
                    ("spurious_explaining_misses".into(), int(e)),
                    ("examples".into(), Json::List(examples)),
                ])
            })
            .collect();
        let actors = self
            .actor_counts()
            .into_iter()
            .map(|(error, n)| {
                let examples = self
                    .actors
                    .iter()
                    .filter(|i| i.error == error)
                    .map(|i| {
                        Json::Object(vec![
                            ("doc_id".into(), Json::Str(i.doc_id.clone())),
                            ("gold".into(), brief(Some(&i.gold))),
                            ("pred".into(), brief(Some(&i.pred))),
                        ])
                    })
                    .collect();
                Json::Object(vec![
                    ("error".into(), Json::Str(error.key().into())),
                    ("label".into(), Json::Str(error.label().into())),
                    ("count".into(), int(n)),
                    ("examples".into(), Json::List(examples)),
                ])
            })
            .collect();
        vec![
            ("causes".into(), Json::List(causes)),
            ("actor_errors".into(), Json::List(actors)),
        ]
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A fictional event: type, day, place name, admin1, precision, actor1, actor2.
    fn ev(kind: &str, day: &str, place: &str, admin1: &str, precision: &str) -> Json {
        ev_actors(kind, day, place, admin1, precision, "Islamic State", "")
    }

    fn ev_actors(
        kind: &str,
        day: &str,
        place: &str,
        admin1: &str,
        precision: &str,
        actor1: &str,
        actor2: &str,
    ) -> Json {
        let actor2 = if actor2.is_empty() {
            "null".to_string()
        } else {
            format!("\"{actor2}\"")
        };
        Json::parse(&format!(
            r#"{{"event_type": "{kind}", "sub_event_type": "x", "date_start": "{day}", "date_end": "{day}", "location": {{"name": "{place}", "admin1": "{admin1}", "country": "SY", "precision": "{precision}"}}, "actor1": "{actor1}", "actor2": {actor2}, "fatalities": null}}"#
        ))
        .unwrap()
    }

    const B: &str = "battles";
    const E: &str = "explosions_remote_violence";
    const DAY: &str = "2024-03-10";

    #[test]
    fn a_document_with_gold_and_no_prediction_is_coded_with_nothing() {
        let gold = [ev(B, DAY, "طفس", "درعا", "community")];
        assert!(nothing_coded(&Doc::new(&gold, &[], None)));
        let pred = [ev(E, DAY, "حمص", "حمص", "community")];
        assert!(!nothing_coded(&Doc::new(&gold, &pred, None)));
        assert!(!nothing_coded(&Doc::new(&[], &[], None)));
    }

    #[test]
    fn three_villages_shelled_and_one_prediction_are_places_merged() {
        let gold = [
            ev(E, DAY, "نوى", "درعا", "community"),
            ev(E, DAY, "طفس", "درعا", "community"),
            ev(E, DAY, "داعل", "درعا", "community"),
        ];
        let pred = [ev(E, DAY, "درعا", "درعا", "governorate")];
        let doc = Doc::new(&gold, &pred, None);
        assert_eq!(places_merged(&doc, 1), Some(vec![0]));
        // A prediction matched at one of the places stands for the others.
        let at_one = [ev(E, DAY, "نوى", "درعا", "community")];
        let doc = Doc::new(&gold, &at_one, None);
        assert_eq!(places_merged(&doc, 2), Some(vec![0]));
        assert_eq!(doc.pred_match[0], Some(0));
        // Three predictions for three places merge nothing.
        let pred3 = [
            ev(E, DAY, "درعا", "درعا", "governorate"),
            ev(E, DAY, "حمص", "حمص", "community"),
            ev(E, DAY, "حماة", "حماة", "community"),
        ];
        assert_eq!(places_merged(&Doc::new(&gold, &pred3, None), 1), None);
        // One gold place is nothing to merge.
        assert_eq!(places_merged(&Doc::new(&gold[..1], &pred, None), 0), None);
    }

    #[test]
    fn the_governorate_for_a_village_is_too_coarse_and_a_far_town_is_not() {
        let gold = [ev(B, DAY, "طفس", "درعا", "community")];
        let pred = [ev(B, DAY, "درعا", "درعا", "governorate")];
        assert_eq!(place_too_coarse(&Doc::new(&gold, &pred, None), 0), Some(0));
        // Named as the gold's admin1 without a precision still contains it.
        let named = [ev(B, DAY, "محافظة درعا", "", "")];
        assert_eq!(place_too_coarse(&Doc::new(&gold, &named, None), 0), Some(0));
        let far = [ev(B, DAY, "منبج", "حلب", "community")];
        assert_eq!(place_too_coarse(&Doc::new(&gold, &far, None), 0), None);
    }

    #[test]
    fn the_same_place_and_day_with_another_type_is_a_type_error() {
        let gold = [ev(B, DAY, "طفس", "درعا", "community")];
        let pred = [ev(E, DAY, "طفس", "درعا", "community")];
        assert_eq!(wrong_type(&Doc::new(&gold, &pred, None), 0), Some(0));
        let elsewhere = [ev(E, DAY, "نوى", "درعا", "community")];
        assert_eq!(wrong_type(&Doc::new(&gold, &elsewhere, None), 0), None);
    }

    #[test]
    fn the_same_place_on_other_days_is_a_date_error_earlier_or_later() {
        let gold = [ev(B, DAY, "طفس", "درعا", "community")];
        let before = [ev(B, "2023-01-05", "طفس", "درعا", "community")];
        assert_eq!(
            wrong_date(&Doc::new(&gold, &before, None), 0),
            Some((0, true))
        );
        let after = [ev(B, "2024-03-20", "طفس", "درعا", "community")];
        assert_eq!(
            wrong_date(&Doc::new(&gold, &after, None), 0),
            Some((0, false))
        );
        // A day apart still matches, so it is no date error.
        let next = [ev(B, "2024-03-11", "طفس", "درعا", "community")];
        assert_eq!(wrong_date(&Doc::new(&gold, &next, None), 0), None);
    }

    #[test]
    fn a_town_in_another_governorate_the_same_day_is_another_place() {
        let gold = [ev(B, DAY, "طفس", "درعا", "community")];
        let pred = [ev(B, DAY, "منبج", "حلب", "community")];
        assert_eq!(other_place(&Doc::new(&gold, &pred, None), 0), Some(0));
        let coarse = [ev(B, DAY, "درعا", "درعا", "governorate")];
        assert_eq!(other_place(&Doc::new(&gold, &coarse, None), 0), None);
    }

    #[test]
    fn a_second_event_with_nothing_of_its_kind_predicted_is_a_later_episode() {
        let gold = [
            ev(B, DAY, "طفس", "درعا", "community"),
            ev(E, DAY, "نوى", "درعا", "community"),
        ];
        let pred = [ev(B, DAY, "طفس", "درعا", "community")];
        let doc = Doc::new(&gold, &pred, None);
        assert!(later_episode(&doc, 1));
        // The lead event, nothing found in the document, is no later episode.
        let lone = [ev(E, DAY, "حمص", "حمص", "community")];
        let doc = Doc::new(&gold[..1], &lone, None);
        assert!(!later_episode(&doc, 0));
    }

    #[test]
    fn a_prediction_dated_months_before_publication_is_background() {
        let gold = [ev(B, DAY, "طفس", "درعا", "community")];
        let pred = [
            ev(B, "2023-11-01", "نوى", "درعا", "community"),
            ev(B, "2024-03-05", "نوى", "درعا", "community"),
        ];
        let doc = Doc::new(&gold, &pred, Some("2024-03-10T09:00:00+03:00"));
        assert!(background_coded(&doc, 0));
        assert!(!background_coded(&doc, 1));
        // Anything predicted where gold has no event is background too.
        let doc = Doc::new(&[], &pred, Some("2024-03-10"));
        assert!(background_coded(&doc, 1));
    }

    #[test]
    fn a_second_prediction_of_a_matched_event_is_a_duplicate() {
        let gold = [ev(B, DAY, "طفس", "درعا", "community")];
        let pred = [
            ev(B, DAY, "طفس", "درعا", "community"),
            ev(B, DAY, "طفس", "درعا", "community"),
        ];
        let doc = Doc::new(&gold, &pred, None);
        let spare = doc.unmatched_preds().next().unwrap();
        assert!(duplicate(&doc, spare));
        let other = [ev(B, DAY, "نوى", "درعا", "community")];
        assert!(!duplicate(&Doc::new(&gold, &other, None), 0));
    }

    #[test]
    fn an_extra_event_of_another_type_where_gold_has_one_is_a_type_error() {
        let gold = [ev(B, DAY, "طفس", "درعا", "community")];
        let pred = [
            ev(B, DAY, "طفس", "درعا", "community"),
            ev(E, DAY, "طفس", "درعا", "community"),
        ];
        let doc = Doc::new(&gold, &pred, None);
        assert!(type_of_a_gold_event(&doc, 1));
        assert!(!type_of_a_gold_event(&doc, 0));
    }

    #[test]
    fn actor_errors_tell_which_side_is_wrong_and_swaps() {
        let g = ev_actors(B, DAY, "طفس", "درعا", "community", "A", "B");
        let case = |a1: &str, a2: &str| {
            let p = ev_actors(B, DAY, "طفس", "درعا", "community", a1, a2);
            actor_error(&Prepared::new(&g), &Prepared::new(&p))
        };
        assert_eq!(case("A", "B"), None);
        assert_eq!(case("a (x)", "b"), None);
        assert_eq!(case("C", "B"), Some(ActorError::Actor1Wrong));
        assert_eq!(case("A", ""), Some(ActorError::Actor2Wrong));
        assert_eq!(case("C", "D"), Some(ActorError::BothWrong));
        assert_eq!(case("B", "A"), Some(ActorError::Swapped));
    }

    fn set(lines: &[(&str, Vec<Json>)]) -> EventSet {
        let text: String = lines
            .iter()
            .map(|(id, evs)| {
                let evs: Vec<String> = evs.iter().map(Json::dumps).collect();
                format!(
                    "{{\"doc_id\": \"{id}\", \"published\": \"{DAY}T10:00:00\", \"events\": [{}]}}\n",
                    evs.join(", ")
                )
            })
            .collect();
        EventSet::parse(&text, "test").unwrap()
    }

    #[test]
    fn a_coarse_prediction_is_counted_once_under_the_miss_it_explains() {
        let gold = set(&[
            ("d1", vec![ev(B, DAY, "طفس", "درعا", "community")]),
            ("d2", vec![ev(B, DAY, "نوى", "درعا", "community")]),
            ("d3", vec![]),
        ]);
        let pred = set(&[
            ("d1", vec![ev(B, DAY, "درعا", "درعا", "governorate")]),
            ("d3", vec![ev(B, "2020-01-01", "حمص", "حمص", "community")]),
        ]);
        let report = causes(&gold, &pred);
        assert_eq!(
            report.counts(),
            vec![
                (Cause::PlaceTooCoarse, (1, 1, 1)),
                (Cause::NothingCoded, (1, 0, 0)),
                (Cause::Background, (0, 1, 0)),
            ]
        );
        let text = report.text(5);
        assert!(text.contains("       1        1  place too coarse (1 spurious of them explain"));
        assert!(text.contains(
            "- d1 missed: battles/x 2024-03-10 at طفس [درعا, community] Islamic State / -, fatalities -\n    predicted (also spurious): battles/x 2024-03-10 at درعا [درعا, governorate]"
        ));
        // The explaining prediction is not listed a second time.
        assert_eq!(text.matches("درعا [درعا, governorate]").count(), 1);
        let json = Json::Object(report.json()).dumps();
        assert!(json.starts_with(r#"{"causes": [{"cause": "place_too_coarse", "label": "place too coarse", "missed": 1, "spurious": 1, "spurious_explaining_misses": 1"#), "{json}");
    }
}
