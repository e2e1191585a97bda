//! Keys a store keeps beside its events and article fingerprints, so that a clustering
//! pass reads only the stored incidents and articles new reports may meet instead of
//! rebuilding the indexes from everything stored ([`filed_keys`], [`lookup_keys`],
//! [`crate::Fingerprint::stored_keys`]).
//!
//! The keys are hashes of folded names, gazetteer entries and grid cells. Should any
//! of that change (the folding, the gazetteer, a parameter), keys stored before would
//! no longer match the ones computed now, and a pass would miss incidents. [`scheme`]
//! sums up how keys are computed today; a store that finds another scheme recorded
//! computes its keys afresh.

pub use crate::cluster::{filed_keys, lookup_keys};
use crate::neardup::Fingerprint;
use crate::text::combine;
use rasd_geo::Gazetteer;
use rasd_model::{DatePrecision, Event, EventType, Location, LocationPrecision, SubEventType};
use std::sync::OnceLock;

/// Raised by hand when the keys change in a way the probes below cannot see.
const VERSION: u64 = 1;

fn probe_event(location: Location) -> Event {
    let day = |d: i8| jiff::civil::date(2024, 3, d);
    Event {
        event_type: EventType::Battles,
        sub_event_type: SubEventType::ArmedClash,
        date_start: day(4),
        date_end: day(6),
        date_precision: DatePrecision::Day,
        location,
        actor1: "Probe".into(),
        assoc_actor1: Vec::new(),
        actor2: None,
        assoc_actor2: Vec::new(),
        fatalities: None,
        fatalities_vague: None,
        fatalities_by_side: Default::default(),
        injured: None,
        injured_vague: None,
        arrested: None,
        arrested_vague: None,
        evidence: Vec::new(),
        evidence_spans: Vec::new(),
        confidence: None,
    }
}

fn fold_in(acc: u64, event: &Event) -> u64 {
    let mut acc = acc;
    for (k, d) in filed_keys(event) {
        acc = combine(combine(acc, k as u64), d as u64);
    }
    for (k, a, b) in lookup_keys(event) {
        acc = combine(combine(combine(acc, k as u64), a as u64), b as u64);
    }
    acc
}

fn compute() -> String {
    let mut acc = combine(0x7261_7364, VERSION);
    // The gazetteer's text (entries, admin names, points, kinds), and a sample of its
    // entries as places, by entry and by name alone (building every entry would keep
    // all of them in memory for the life of the process).
    acc = combine(
        acc,
        crate::text::hash64(Gazetteer::bundled_text().as_bytes()),
    );
    let g = Gazetteer::bundled();
    for i in (0..g.len()).step_by(397) {
        let mut loc = g.get(rasd_geo::PlaceId(i as u32)).to_location();
        acc = fold_in(acc, &probe_event(loc.clone()));
        loc.place_id = None;
        loc.lat = None;
        loc.lon = None;
        loc.precision = LocationPrecision::Governorate;
        acc = fold_in(acc, &probe_event(loc));
    }
    // Names as outlets spell them (hamza, shadda, vowel marks, ta marbuta): the folding.
    for (name, admin1) in [
        ("إدلب", "محافظة إدلب"),
        ("ادلب", "محافظة ادلب"),
        ("دَرعا", "درعا"),
        ("الرقّة", "الرقة"),
        ("مدينة حماة", "حماه"),
    ] {
        acc = fold_in(
            acc,
            &probe_event(Location {
                name: name.into(),
                admin1: Some(admin1.into()),
                country: "سوريا".into(),
                precision: LocationPrecision::Community,
                admin2: None,
                admin3: None,
                lat: Some(35.93),
                lon: Some(36.63),
                place_id: None,
                span: None,
            }),
        );
    }
    let text = "قالت مصادر محلية إن اشتباكات اندلعت صباح اليوم في قرية على أطراف المدينة \
                وأسفرت عن مقتل ثلاثة مقاتلين وإصابة آخرين بجروح.";
    for k in Fingerprint::of(text).stored_keys() {
        acc = combine(acc, k as u64);
    }
    format!("v{VERSION}-{acc:016x}")
}

/// How keys are computed today, as a short text a store can record and compare
/// (computed once per process, on a thread of its own so that the names it folds do
/// not stay in the caller's memo of folded names).
pub fn scheme() -> &'static str {
    static SCHEME: OnceLock<String> = OnceLock::new();
    SCHEME.get_or_init(|| {
        std::thread::scope(|s| s.spawn(compute).join()).unwrap_or_else(|_| compute())
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::{IncidentIndex, SourceEvent};

    fn at(name: &str, lat: f64, lon: f64, day: i8) -> Event {
        let mut e = probe_event(Location {
            name: name.into(),
            admin1: Some("محافظة س".into()),
            country: "XX".into(),
            precision: LocationPrecision::Community,
            admin2: None,
            admin3: None,
            lat: Some(lat),
            lon: Some(lon),
            place_id: None,
            span: None,
        });
        e.date_start = jiff::civil::date(2024, 3, day);
        e.date_end = e.date_start;
        e
    }

    /// A report finds a stored one through the stored keys exactly when the index
    /// would make it a candidate: what the index matches shares a key on a day.
    #[test]
    fn lookup_keys_meet_filed_keys_of_what_the_index_finds() {
        let stored = [
            at("قرية أ", 33.0, 36.0, 10),
            at("قرية ب", 33.05, 36.02, 11),
            at("قرية ج", 34.5, 37.5, 10),
            at("قرية أ", 33.0, 36.0, 20),
        ];
        let new = at("قرية أ", 33.0, 36.0, 11);
        let meets = |e: &Event| {
            let filed = filed_keys(e);
            lookup_keys(&new)
                .iter()
                .any(|&(k, a, b)| filed.iter().any(|&(fk, d)| fk == k && (a..=b).contains(&d)))
        };
        let met: Vec<bool> = stored.iter().map(meets).collect();
        assert_eq!(met, [true, true, false, false]);
        // The index agrees: it merges the new report with the first two only.
        for (i, e) in stored.iter().enumerate() {
            let mut idx = IncidentIndex::new();
            idx.insert(SourceEvent {
                doc_id: format!("d{i}"),
                index: 0,
                url: None,
                source: None,
                published: None,
                event: e.clone(),
            });
            assert_eq!(idx.find(&new).is_some(), met[i], "report {i}");
        }
    }

    #[test]
    fn scheme_is_stable_within_a_process() {
        assert_eq!(scheme(), scheme());
        assert!(scheme().starts_with("v1-"));
    }
}
