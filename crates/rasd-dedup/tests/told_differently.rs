//! One incident told differently by several outlets (issue 16): conflicting tolls, one
//! place at two precisions, a perpetrator named by one outlet and unidentified by
//! another, two sub-types of one fight. Each kind has its fictional reports (our own
//! wording, at real places of the bundled gazetteer) and, beside them, the reports that
//! must stay apart: the same day in another village, the same village a day apart with
//! another toll, the same place and day with another pair of sides.
//!
//! Every case is clustered in many arrival orders with `IncidentIndex::cluster_all`
//! (re-clustering), which must give the same incidents and records each time, and one
//! report at a time with `insert`, which must give them too, except for a report that
//! fits two incidents (a city-wide report beside two quarters' incidents, an unnamed
//! attacker beside two named ones): arriving before the report that tells them apart,
//! it joins the first it fits. Those "floating" reports are named per case; the
//! incidents without them must still come out the same in every order.

use rasd_dedup::{IncidentIndex, IncidentRecord, SourceEvent};
use rasd_geo::Gazetteer;
use rasd_model::{DatePrecision, Event, Location, LocationPrecision, SubEventType};
use std::collections::{BTreeMap, BTreeSet};

use LocationPrecision::*;
use SubEventType::*;

/// A gazetteer entry as the coder writes it, at `precision`.
fn place(id: &str, precision: LocationPrecision) -> Location {
    let g = Gazetteer::bundled();
    let mut loc = g
        .get(
            g.by_id(id)
                .unwrap_or_else(|| panic!("{id} not in the gazetteer")),
        )
        .to_location();
    loc.precision = precision;
    loc
}

const KARAK_EAST: &str = "x:karak-east"; // الكرك الشرقي, eastern Daraa countryside
const HIRAK: &str = "wof:890428813"; // الحراك, about 8 km from it
const NAWA: &str = "wof:421184049"; // نوى, western Daraa countryside
const RIF_DARAA_EAST: &str = "x:rif-SY12-east";
const HOMS: &str = "wof:421168647";
const KHALIDIYA: &str = "x:homs-khalidiya";
const WAER: &str = "x:homs-waer";

struct Report {
    doc: &'static str,
    outlet: &'static str,
    /// Publication time.
    published: &'static str,
    sub: SubEventType,
    day: i8,
    location: Location,
    actor1: &'static str,
    actor2: Option<&'static str>,
    deaths: Option<u32>,
    sentence: &'static str,
}

impl Report {
    fn source(&self) -> SourceEvent {
        let date = jiff::civil::date(2018, 6, self.day);
        SourceEvent {
            doc_id: self.doc.into(),
            index: 0,
            url: Some(format!("https://{}.example/{}", self.outlet, self.doc)),
            source: Some(self.outlet.into()),
            published: Some(self.published.into()),
            event: Event {
                event_type: self.sub.event_type(),
                sub_event_type: self.sub,
                date_start: date,
                date_end: date,
                date_precision: DatePrecision::Day,
                location: self.location.clone(),
                actor1: self.actor1.into(),
                assoc_actor1: vec![],
                actor2: self.actor2.map(Into::into),
                assoc_actor2: vec![],
                fatalities: self.deaths,
                fatalities_vague: None,
                fatalities_by_side: BTreeMap::new(),
                injured: None,
                injured_vague: None,
                arrested: None,
                arrested_vague: None,
                evidence: vec![self.sentence.into()],
                evidence_spans: vec![],
                confidence: None,
            },
        }
    }
}

/// A fixed pseudo-random permutation.
fn shuffled<T: Clone>(items: &[T], seed: u64) -> Vec<T> {
    let mut v = items.to_vec();
    let mut s = seed.wrapping_mul(0x9e37_79b9_7f4a_7c15) | 1;
    for i in (1..v.len()).rev() {
        s = s
            .wrapping_mul(6364136223846793005)
            .wrapping_add(1442695040888963407);
        let j = ((s >> 33) % (i as u64 + 1)) as usize;
        v.swap(i, j);
    }
    v
}

/// The incidents as sets of documents.
fn partition(idx: &IncidentIndex) -> BTreeSet<BTreeSet<String>> {
    idx.incidents()
        .map(|i| i.sources.iter().map(|s| s.doc_id.clone()).collect())
        .collect()
}

/// The partition without the `floating` documents.
fn without(p: &BTreeSet<BTreeSet<String>>, floating: &[&str]) -> BTreeSet<BTreeSet<String>> {
    p.iter()
        .map(|g| {
            g.iter()
                .filter(|d| !floating.contains(&d.as_str()))
                .cloned()
                .collect::<BTreeSet<String>>()
        })
        .filter(|g| !g.is_empty())
        .collect()
}

/// Clusters the reports in 40 orders, all at once and one at a time; every order must
/// give the incidents `expected` (groups of documents), up to the `floating` reports
/// when they come one at a time. Returns the records.
fn check(reports: &[Report], expected: &[&[&str]], floating: &[&str]) -> Vec<IncidentRecord> {
    let sources: Vec<SourceEvent> = reports.iter().map(Report::source).collect();
    let want: BTreeSet<BTreeSet<String>> = expected
        .iter()
        .map(|g| g.iter().map(|d| d.to_string()).collect())
        .collect();
    let all: BTreeSet<String> = want.iter().flatten().cloned().collect();
    assert_eq!(
        all.len(),
        sources.len(),
        "every report is in one expected group"
    );
    let canonical = IncidentIndex::cluster_all(sources.clone());
    let records: Vec<IncidentRecord> = canonical.incidents().filter_map(|i| i.record()).collect();
    for seed in 0..40u64 {
        let order = if seed == 0 {
            sources.clone()
        } else {
            shuffled(&sources, seed)
        };
        let arrival: Vec<String> = order.iter().map(|s| s.doc_id.clone()).collect();
        let mut idx = IncidentIndex::new();
        for s in order.clone() {
            idx.insert(s);
        }
        assert_eq!(
            without(&partition(&idx), floating),
            without(&want, floating),
            "reports inserted in the order {arrival:?}"
        );
        let again = IncidentIndex::cluster_all(order);
        assert_eq!(partition(&again), want, "cluster_all given {arrival:?}");
        let again: Vec<IncidentRecord> = again.incidents().filter_map(|i| i.record()).collect();
        assert_eq!(again, records, "records from cluster_all given {arrival:?}");
    }
    records
}

fn record_of<'a>(records: &'a [IncidentRecord], doc: &str) -> &'a IncidentRecord {
    records
        .iter()
        .find(|r| r.sources.iter().any(|s| s.doc_id == doc))
        .unwrap_or_else(|| panic!("no incident holds {doc}"))
}

const SGF: &str = "Syrian Government Forces";
const CIV: &str = "Civilians (Syria)";

#[test]
fn conflicting_tolls_are_one_incident_with_every_claim() {
    let at = |p| place(HIRAK, p);
    let reports = [
        Report {
            doc: "toll-a",
            outlet: "wire",
            published: "2018-06-20T14:00:00+03:00",
            sub: AirDroneStrike,
            day: 20,
            location: at(Community),
            actor1: SGF,
            actor2: Some(CIV),
            deaths: Some(41),
            sentence: "قضى 41 مدنياً بغارات جوية استهدفت بلدة الحراك ظهر اليوم.",
        },
        Report {
            doc: "toll-b",
            outlet: "observatory",
            published: "2018-06-21T09:00:00+03:00",
            sub: AirDroneStrike,
            day: 20,
            location: at(Community),
            actor1: SGF,
            actor2: Some(CIV),
            deaths: Some(53),
            sentence: "وثقنا مقتل 53 مدنياً في الغارات التي ضربت الحراك أمس.",
        },
        Report {
            doc: "toll-c",
            outlet: "local",
            published: "2018-06-20T20:00:00+03:00",
            sub: AirDroneStrike,
            day: 20,
            location: at(Community),
            actor1: SGF,
            actor2: Some(CIV),
            deaths: Some(41),
            sentence: "ارتقى 41 شخصاً من أهالي الحراك في قصف الطائرات الحربية.",
        },
        // Distractor: the same day, another village of the same countryside.
        Report {
            doc: "toll-other-village",
            outlet: "local",
            published: "2018-06-20T21:00:00+03:00",
            sub: AirDroneStrike,
            day: 20,
            location: place(KARAK_EAST, Community),
            actor1: SGF,
            actor2: Some(CIV),
            deaths: Some(41),
            sentence: "وفي الكرك الشرقي قتل 41 مدنياً بغارات مماثلة.",
        },
        // Distractor: the same village the next day, another (lower) toll.
        Report {
            doc: "toll-next-day",
            outlet: "wire",
            published: "2018-06-21T13:00:00+03:00",
            sub: AirDroneStrike,
            day: 21,
            location: at(Community),
            actor1: SGF,
            actor2: Some(CIV),
            deaths: Some(6),
            sentence: "قتل ستة مدنيين بغارة جديدة على الحراك اليوم.",
        },
        // Distractor: the next day, reported the day after it («أمس»), another toll.
        Report {
            doc: "toll-next-day-late",
            outlet: "observatory",
            published: "2018-06-22T10:00:00+03:00",
            sub: AirDroneStrike,
            day: 21,
            location: at(Community),
            actor1: SGF,
            actor2: Some(CIV),
            deaths: Some(60),
            sentence: "قتل 60 مدنياً أمس في غارات على الحراك.",
        },
        // Distractor: the same place and day, another pair of sides.
        Report {
            doc: "toll-other-sides",
            outlet: "wire",
            published: "2018-06-20T22:00:00+03:00",
            sub: AirDroneStrike,
            day: 20,
            location: at(Community),
            actor1: "Military Forces of Israel",
            actor2: Some("Hezbollah"),
            deaths: Some(53),
            sentence: "استهدفت طائرات إسرائيلية موقعاً لحزب الله في الحراك.",
        },
    ];
    let records = check(
        &reports,
        &[
            &["toll-a", "toll-b", "toll-c"],
            &["toll-other-village"],
            &["toll-next-day", "toll-next-day-late"],
            &["toll-other-sides"],
        ],
        &[],
    );
    let r = record_of(&records, "toll-a");
    assert_eq!(r.event.fatalities, Some(41), "best: the lower figure");
    assert_eq!((r.fatalities_low, r.fatalities_high), (Some(41), Some(53)));
    let tolls: Vec<(u32, Vec<&str>)> = r
        .tolls
        .iter()
        .map(|t| (t.fatalities, t.sources.iter().map(String::as_str).collect()))
        .collect();
    assert_eq!(
        tolls,
        vec![(41, vec!["toll-a", "toll-c"]), (53, vec!["toll-b"])]
    );
    assert_eq!(r.tolls[0].outlets, vec!["wire", "local"]);
    assert!(r.disputed());
}

#[test]
fn a_toll_revised_by_an_outlet_that_dates_it_a_day_late_stays_one_incident() {
    let at = |p| place(HIRAK, p);
    let reports = [
        Report {
            doc: "rev-a",
            outlet: "wire",
            published: "2018-06-20T15:00:00+03:00",
            sub: ShellingArtilleryMissileAttack,
            day: 20,
            location: at(Community),
            actor1: SGF,
            actor2: Some(CIV),
            deaths: Some(9),
            sentence: "قتل تسعة مدنيين بقصف مدفعي على الحراك اليوم.",
        },
        // Published the next morning and dated by it, with the toll risen.
        Report {
            doc: "rev-b",
            outlet: "tv",
            published: "2018-06-21T08:00:00+03:00",
            sub: ShellingArtilleryMissileAttack,
            day: 21,
            location: at(Community),
            actor1: SGF,
            actor2: Some(CIV),
            deaths: Some(14),
            sentence: "ارتفعت حصيلة قتلى القصف على الحراك إلى 14 مدنياً.",
        },
    ];
    let records = check(&reports, &[&["rev-a", "rev-b"]], &[]);
    assert_eq!(records[0].event.fatalities, Some(9));
    assert_eq!(records[0].tolls.len(), 2);
}

#[test]
fn a_village_and_the_countryside_region_that_holds_it() {
    let reports = [
        Report {
            doc: "reg-village",
            outlet: "local",
            published: "2018-06-22T12:00:00+03:00",
            sub: ShellingArtilleryMissileAttack,
            day: 22,
            location: place(KARAK_EAST, Community),
            actor1: SGF,
            actor2: Some(CIV),
            deaths: Some(4),
            sentence: "قتل أربعة مدنيين بقصف صاروخي على بلدة الكرك الشرقي.",
        },
        Report {
            doc: "reg-region",
            outlet: "wire",
            published: "2018-06-22T18:00:00+03:00",
            sub: ShellingArtilleryMissileAttack,
            day: 22,
            location: place(RIF_DARAA_EAST, Governorate),
            actor1: SGF,
            actor2: Some(CIV),
            deaths: Some(4),
            sentence: "قضى أربعة مدنيين في قصف صاروخي على ريف درعا الشرقي.",
        },
        // Distractor: the same day, a village in the other side of the countryside.
        Report {
            doc: "reg-west-village",
            outlet: "local",
            published: "2018-06-22T19:00:00+03:00",
            sub: ShellingArtilleryMissileAttack,
            day: 22,
            location: place(NAWA, Community),
            actor1: SGF,
            actor2: Some(CIV),
            deaths: Some(2),
            sentence: "وسقط قتيلان بقذائف على مدينة نوى.",
        },
        // Distractor: a day later in the same village, another toll.
        Report {
            doc: "reg-village-next-day",
            outlet: "local",
            published: "2018-06-23T12:00:00+03:00",
            sub: ShellingArtilleryMissileAttack,
            day: 23,
            location: place(KARAK_EAST, Community),
            actor1: SGF,
            actor2: Some(CIV),
            deaths: Some(1),
            sentence: "قتل مدني بقذيفة سقطت على الكرك الشرقي اليوم.",
        },
    ];
    let records = check(
        &reports,
        &[
            &["reg-village", "reg-region"],
            &["reg-west-village"],
            &["reg-village-next-day"],
        ],
        &[],
    );
    let r = record_of(&records, "reg-region");
    assert_eq!(
        r.event.location.name, "الكرك الشرقي",
        "the finest place wins"
    );
    assert_eq!(r.event.location.precision, Community);
    assert_eq!(r.places.len(), 2);
    assert_eq!(r.places[0].sources, vec!["reg-village"]);
}

#[test]
fn two_villages_of_one_region_on_one_day_stay_apart() {
    let reports = [
        Report {
            doc: "two-a",
            outlet: "local",
            published: "2018-06-22T12:00:00+03:00",
            sub: ShellingArtilleryMissileAttack,
            day: 22,
            location: place(KARAK_EAST, Community),
            actor1: SGF,
            actor2: Some(CIV),
            deaths: Some(4),
            sentence: "قتل أربعة مدنيين بقصف على الكرك الشرقي.",
        },
        Report {
            doc: "two-b",
            outlet: "wire",
            published: "2018-06-22T13:00:00+03:00",
            sub: ShellingArtilleryMissileAttack,
            day: 22,
            location: place(HIRAK, Community),
            actor1: SGF,
            actor2: Some(CIV),
            deaths: Some(4),
            sentence: "قتل أربعة مدنيين بقصف على الحراك.",
        },
    ];
    check(&reports, &[&["two-a"], &["two-b"]], &[]);
}

#[test]
fn a_quarter_and_its_city_and_two_quarters_of_one_city() {
    let reports = [
        Report {
            doc: "q-quarter",
            outlet: "local",
            published: "2018-06-10T11:00:00+03:00",
            sub: RemoteExplosiveLandmineIed,
            day: 10,
            location: place(KHALIDIYA, Community),
            actor1: "Unidentified armed group (Syria)",
            actor2: Some(CIV),
            deaths: Some(3),
            sentence: "انفجرت عبوة ناسفة في حي الخالدية فقتلت ثلاثة مدنيين.",
        },
        Report {
            doc: "q-city",
            outlet: "wire",
            published: "2018-06-10T16:00:00+03:00",
            sub: RemoteExplosiveLandmineIed,
            day: 10,
            location: place(HOMS, Community),
            actor1: "Unidentified armed group (Syria)",
            actor2: Some(CIV),
            deaths: Some(3),
            sentence: "ثلاثة قتلى بانفجار عبوة في مدينة حمص.",
        },
        // Distractor: another blast in another quarter of the city, the same day.
        Report {
            doc: "q-other-quarter",
            outlet: "local",
            published: "2018-06-10T20:00:00+03:00",
            sub: RemoteExplosiveLandmineIed,
            day: 10,
            location: place(WAER, Community),
            actor1: "Unidentified armed group (Syria)",
            actor2: Some(CIV),
            deaths: Some(1),
            sentence: "وقتل شاب بعبوة ثانية في حي الوعر مساء.",
        },
    ];
    let records = check(
        &reports,
        &[&["q-quarter", "q-city"], &["q-other-quarter"]],
        &["q-city"],
    );
    let r = record_of(&records, "q-city");
    assert_eq!(r.event.location.place_id.as_deref(), Some(KHALIDIYA));
}

#[test]
fn a_town_and_its_surroundings() {
    let reports = [
        Report {
            doc: "near-town",
            outlet: "wire",
            published: "2018-06-15T12:00:00+03:00",
            sub: ArmedClash,
            day: 15,
            location: place(HIRAK, Community),
            actor1: SGF,
            actor2: Some("Opposition factions (Syria)"),
            deaths: Some(7),
            sentence: "دارت اشتباكات عنيفة في بلدة الحراك قتل فيها سبعة مقاتلين.",
        },
        Report {
            doc: "near-around",
            outlet: "observatory",
            published: "2018-06-15T19:00:00+03:00",
            sub: ArmedClash,
            day: 15,
            location: place(HIRAK, District),
            actor1: SGF,
            actor2: Some("Opposition factions (Syria)"),
            deaths: Some(9),
            sentence: "قتل تسعة مقاتلين في معارك بمحيط الحراك.",
        },
        // Distractor: the same day around another town of the region, other sides.
        Report {
            doc: "near-other",
            outlet: "observatory",
            published: "2018-06-15T21:00:00+03:00",
            sub: ArmedClash,
            day: 15,
            location: place(KARAK_EAST, District),
            actor1: "Islamic State",
            actor2: Some("Eighth Brigade"),
            deaths: Some(2),
            sentence: "وقتل مقاتلان في اشتباك بمحيط الكرك الشرقي.",
        },
    ];
    let records = check(
        &reports,
        &[&["near-town", "near-around"], &["near-other"]],
        &[],
    );
    let r = record_of(&records, "near-around");
    assert_eq!(r.event.location.precision, Community);
    assert_eq!(r.event.fatalities, Some(7));
}

#[test]
fn a_named_perpetrator_and_unidentified_gunmen() {
    let at = place(KARAK_EAST, Community);
    let reports = [
        Report {
            doc: "att-named",
            outlet: "wire",
            published: "2018-06-12T10:00:00+03:00",
            sub: Attack,
            day: 12,
            location: at.clone(),
            actor1: "Islamic State",
            actor2: Some(CIV),
            deaths: Some(2),
            sentence: "تبنى تنظيم الدولة قتل رجلين رمياً بالرصاص في الكرك الشرقي.",
        },
        Report {
            doc: "att-a-unknown",
            outlet: "local",
            published: "2018-06-12T08:00:00+03:00",
            sub: Attack,
            day: 12,
            location: at.clone(),
            actor1: "Unidentified armed group (Syria)",
            actor2: Some(CIV),
            deaths: Some(2),
            sentence: "أقدم مجهولون على قتل رجلين بالرصاص في بلدة الكرك الشرقي.",
        },
        // Distractor: the same place and day, another named perpetrator.
        Report {
            doc: "att-other-perpetrator",
            outlet: "tv",
            published: "2018-06-12T21:00:00+03:00",
            sub: Attack,
            day: 12,
            location: at.clone(),
            actor1: "Hay'at Tahrir al-Sham",
            actor2: Some(CIV),
            deaths: Some(1),
            sentence: "أعدمت هيئة تحرير الشام شاباً في الكرك الشرقي.",
        },
        // Distractor: the funeral protest that followed, the next day.
        Report {
            doc: "att-funeral",
            outlet: "local",
            published: "2018-06-13T15:00:00+03:00",
            sub: PeacefulProtest,
            day: 13,
            location: at.clone(),
            actor1: "Protesters (Syria)",
            actor2: None,
            deaths: None,
            sentence: "خرج أهالي الكرك الشرقي في تشييع الضحيتين منددين بالاغتيال.",
        },
    ];
    let records = check(
        &reports,
        &[
            &["att-named", "att-a-unknown"],
            &["att-other-perpetrator"],
            &["att-funeral"],
        ],
        &["att-a-unknown"],
    );
    let r = record_of(&records, "att-a-unknown");
    assert_eq!(r.event.actor1, "Islamic State", "the named side is kept");
    let claims: Vec<(&str, Vec<&str>)> = r
        .attributions
        .iter()
        .map(|a| {
            (
                a.actor1.as_str(),
                a.sources.iter().map(String::as_str).collect(),
            )
        })
        .collect();
    assert_eq!(
        claims,
        vec![
            ("Islamic State", vec!["att-named"]),
            ("Unidentified armed group (Syria)", vec!["att-a-unknown"]),
        ]
    );
}

#[test]
fn an_unidentified_attacker_does_not_join_two_named_ones() {
    let at = place(KARAK_EAST, Community);
    let report = |doc, actor1, published| Report {
        doc,
        outlet: "local",
        published,
        sub: Attack,
        day: 12,
        location: at.clone(),
        actor1,
        actor2: Some(CIV),
        deaths: None,
        sentence: "قتل رجل بالرصاص في الكرك الشرقي.",
    };
    let reports = [
        report("u-is", "Islamic State", "2018-06-12T10:00:00+03:00"),
        report(
            "u-hts",
            "Hay'at Tahrir al-Sham",
            "2018-06-12T11:00:00+03:00",
        ),
        report(
            "u-unknown",
            "Unidentified armed group (Syria)",
            "2018-06-12T12:00:00+03:00",
        ),
    ];
    // The unidentified report may join either (it is the first source's), never both.
    let sources: Vec<SourceEvent> = reports.iter().map(Report::source).collect();
    for seed in 0..20 {
        let mut idx = IncidentIndex::new();
        for s in shuffled(&sources, seed) {
            idx.insert(s);
        }
        assert_eq!(idx.len(), 2, "seed {seed}: {:?}", partition(&idx));
    }
}

#[test]
fn a_takeover_and_the_clash_it_came_out_of() {
    let at = place(HIRAK, Community);
    let reports = [
        Report {
            doc: "sub-takeover",
            outlet: "wire",
            published: "2018-06-25T17:00:00+03:00",
            sub: GovernmentRegainsTerritory,
            day: 25,
            location: at.clone(),
            actor1: SGF,
            actor2: Some("Opposition factions (Syria)"),
            deaths: Some(11),
            sentence: "بسطت قوات النظام سيطرتها على بلدة الحراك بعد معارك قتل فيها 11 مقاتلاً.",
        },
        Report {
            doc: "sub-clash",
            outlet: "observatory",
            published: "2018-06-25T20:00:00+03:00",
            sub: ArmedClash,
            day: 25,
            location: at.clone(),
            actor1: "Opposition factions (Syria)",
            actor2: Some(SGF),
            deaths: Some(15),
            sentence: "اشتباكات عنيفة بين الفصائل وقوات النظام في الحراك خلفت 15 قتيلاً.",
        },
        // Distractor: the same town and day, another pair of sides.
        Report {
            doc: "sub-other-sides",
            outlet: "tv",
            published: "2018-06-25T22:00:00+03:00",
            sub: ArmedClash,
            day: 25,
            location: at.clone(),
            actor1: "Islamic State",
            actor2: Some("Eighth Brigade"),
            deaths: Some(3),
            sentence: "وقتل ثلاثة في اشتباك بين خلية لداعش واللواء الثامن في الحراك.",
        },
        // Distractor: the same town the next day, another toll.
        Report {
            doc: "sub-next-day",
            outlet: "wire",
            published: "2018-06-26T17:00:00+03:00",
            sub: ArmedClash,
            day: 26,
            location: at.clone(),
            actor1: SGF,
            actor2: Some("Opposition factions (Syria)"),
            deaths: Some(2),
            sentence: "تجددت الاشتباكات في الحراك اليوم وقتل فيها مقاتلان.",
        },
    ];
    let records = check(
        &reports,
        &[
            &["sub-takeover", "sub-clash"],
            &["sub-other-sides"],
            &["sub-next-day"],
        ],
        &[],
    );
    let r = record_of(&records, "sub-clash");
    assert_eq!(r.event.sub_event_type, GovernmentRegainsTerritory);
    assert_eq!(r.event.fatalities, Some(11));
    assert_eq!((r.fatalities_low, r.fatalities_high), (Some(11), Some(15)));
}
