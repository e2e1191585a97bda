//! Merged incident records: fatalities best/low/high, spans, actors, claims.

use rasd_dedup::{Incident, SourceEvent};
use rasd_model::{DatePrecision, Event, Location, LocationPrecision, SubEventType, Vague};
use std::collections::BTreeMap;

fn source(
    doc: &str,
    outlet: &str,
    sub: SubEventType,
    days: (u8, u8),
    a1: &str,
    a2: Option<&str>,
    deaths: Option<u32>,
) -> SourceEvent {
    SourceEvent {
        doc_id: doc.into(),
        index: 0,
        url: Some(format!("https://news.example/{doc}")),
        source: Some(outlet.into()),
        published: Some("2021-06-12".into()),
        event: Event {
            event_type: sub.event_type(),
            sub_event_type: sub,
            date_start: jiff::civil::date(2021, 6, days.0 as i8),
            date_end: jiff::civil::date(2021, 6, days.1 as i8),
            date_precision: DatePrecision::Day,
            location: Location {
                name: "بلدة الاختبار".into(),
                admin1: Some("محافظة الاختبار".into()),
                country: "SY".into(),
                precision: LocationPrecision::Community,
                admin2: None,
                admin3: None,
                lat: Some(33.0),
                lon: Some(36.0),
                place_id: None,
                span: None,
            },
            actor1: a1.into(),
            assoc_actor1: vec![],
            actor2: a2.map(Into::into),
            assoc_actor2: vec![],
            fatalities: deaths,
            fatalities_vague: None,
            fatalities_by_side: BTreeMap::new(),
            injured: None,
            injured_vague: None,
            arrested: None,
            arrested_vague: None,
            evidence: vec![format!("جملة من {doc}")],
            evidence_spans: vec![],
            confidence: None,
        },
    }
}

use SubEventType::*;

#[test]
fn best_is_the_lowest_credible_figure_and_spans_unite() {
    let mut a = source(
        "a",
        "Wire",
        ArmedClash,
        (10, 10),
        "Alpha Front",
        Some("Beta Brigade"),
        Some(12),
    );
    a.event.fatalities_by_side =
        BTreeMap::from([("Alpha Front".into(), 5), ("Beta Brigade".into(), 7)]);
    let b = source(
        "b",
        "Observatory",
        ArmedClash,
        (10, 11),
        "Beta Brigade",
        Some("Alpha Front"),
        Some(20),
    );
    let c = source("c", "TV", ArmedClash, (9, 9), "Alpha Front", None, Some(0));
    let d = source(
        "d",
        "Local",
        ShellingArtilleryMissileAttack,
        (10, 10),
        "Beta Brigade",
        Some("Alpha Front"),
        None,
    );
    let inc = Incident {
        id: 7,
        sources: vec![a, b, c, d],
    };
    let r = inc.record().unwrap();
    assert_eq!(r.incident_id, "inc-7");
    assert_eq!(r.event.event_type, rasd_model::EventType::Battles);
    assert_eq!(r.event.sub_event_type, ArmedClash);
    assert_eq!(r.event.fatalities, Some(12));
    assert_eq!((r.fatalities_low, r.fatalities_high), (Some(0), Some(20)));
    assert_eq!(r.event.fatalities_by_side.get("Beta Brigade"), Some(&7));
    assert_eq!(r.event.date_start, jiff::civil::date(2021, 6, 9));
    assert_eq!(r.event.date_end, jiff::civil::date(2021, 6, 11));
    assert_eq!(r.event.actor1, "Alpha Front");
    assert_eq!(r.event.actor2.as_deref(), Some("Beta Brigade"));
    assert!(r.event.assoc_actor1.is_empty() && r.event.assoc_actor2.is_empty());
    assert_eq!(r.claims.len(), 4);
    assert_eq!(r.claims[1].fatalities, Some(20));
    assert_eq!(r.claims[1].source.as_deref(), Some("Observatory"));
    assert_eq!(r.event.evidence.len(), 4);
    assert!(r.event.validate().is_empty(), "{:?}", r.event.validate());
    assert_eq!(r.outlets(), vec!["Wire", "Observatory", "TV", "Local"]);
    assert!(r.disputed());
}

#[test]
fn vague_only_when_no_figure_and_zero_only_when_all_zero() {
    let mut a = source(
        "a",
        "X",
        AirDroneStrike,
        (3, 3),
        "Gamma Forces",
        Some("Civilians (Syria)"),
        None,
    );
    a.event.fatalities_vague = Some(Vague::Dozens);
    let mut b = source(
        "b",
        "Y",
        AirDroneStrike,
        (3, 3),
        "Gamma Forces",
        Some("Civilians (Syria)"),
        None,
    );
    b.event.fatalities_vague = Some(Vague::Several);
    let r = Incident {
        id: 1,
        sources: vec![a.clone(), b],
    }
    .record()
    .unwrap();
    assert_eq!(r.event.fatalities, None);
    assert_eq!(r.event.fatalities_vague, Some(Vague::Several));
    let c = source(
        "c",
        "Z",
        AirDroneStrike,
        (3, 3),
        "Gamma Forces",
        Some("Civilians (Syria)"),
        Some(0),
    );
    let r = Incident {
        id: 1,
        sources: vec![a, c],
    }
    .record()
    .unwrap();
    assert_eq!(
        (r.event.fatalities, r.event.fatalities_vague),
        (Some(0), None)
    );
    assert!(r.event.validate().is_empty());
}

#[test]
fn open_side_is_filled_and_allies_become_associates() {
    let a = source(
        "a",
        "X",
        ArmedClash,
        (5, 5),
        "Unidentified armed group (Syria)",
        None,
        Some(2),
    );
    let mut b = source(
        "b",
        "Y",
        ArmedClash,
        (5, 5),
        "Delta Movement",
        Some("Epsilon Police"),
        Some(3),
    );
    b.event.assoc_actor1 = vec!["Zeta Militia".into()];
    let c = source(
        "c",
        "Z",
        ArmedClash,
        (5, 5),
        "Epsilon Police",
        Some("Eta Army"),
        Some(4),
    );
    let r = Incident {
        id: 2,
        sources: vec![a, b, c],
    }
    .record()
    .unwrap();
    assert_eq!(r.event.actor1, "Delta Movement");
    assert_eq!(r.event.actor2.as_deref(), Some("Epsilon Police"));
    assert_eq!(r.event.assoc_actor1, vec!["Zeta Militia", "Eta Army"]);
    assert!(r.event.assoc_actor2.is_empty());
}

#[test]
fn empty_incident_has_no_record() {
    assert!(
        Incident {
            id: 3,
            sources: vec![]
        }
        .record()
        .is_none()
    );
}

/// UCDP GED holds organised violence with at least one death, attributed to a dyad.
#[test]
fn ucdp_keeps_deadly_organised_violence_only() {
    use rasd_dedup::export::{ExportOptions, ucdp};
    let table = rasd_dedup::ActorKindTable::bundled();
    let opts = ExportOptions {
        kinds: &table,
        ..ExportOptions::default()
    };
    let record = |sub, a1: &str, a2: Option<&str>, deaths: Option<u32>| {
        Incident {
            id: 1,
            sources: vec![source("d1", "Outlet", sub, (3, 3), a1, a2, deaths)],
        }
        .record()
        .unwrap()
    };
    let state = "Police Forces of Syria";
    let rebels = "Local armed group (Testville)";
    let civ = "Civilians (Syria)";
    // In: a deadly clash, a deadly strike on civilians, a killing with no second side.
    let clash = record(ArmedClash, rebels, Some(state), Some(2));
    assert!(ucdp::included(&clash, &opts));
    let row = ucdp::row(&clash, &opts);
    assert_eq!(row[2], "1", "state-based");
    assert_eq!(row[3], state, "the state is side A");
    assert!(ucdp::included(
        &record(AirDroneStrike, state, Some(civ), Some(1)),
        &opts
    ));
    let killing = record(Attack, rebels, None, Some(1));
    assert!(ucdp::included(&killing, &opts));
    let row = ucdp::row(&killing, &opts);
    assert_eq!((row[2].as_str(), row[4].as_str()), ("3", "Civilians"));
    assert_eq!(row[20], "1", "deaths_civilians");
    // Out: no death, an unknown toll, protests, arrests, riots, unknown perpetrators.
    assert!(!ucdp::included(
        &record(ArmedClash, rebels, Some(state), Some(0)),
        &opts
    ));
    assert!(!ucdp::included(
        &record(ArmedClash, rebels, Some(state), None),
        &opts
    ));
    assert!(!ucdp::included(
        &record(
            ExcessiveForceAgainstProtesters,
            state,
            Some("Protesters (Syria)"),
            Some(3)
        ),
        &opts
    ));
    assert!(!ucdp::included(
        &record(Arrests, state, Some(civ), Some(1)),
        &opts
    ));
    assert!(!ucdp::included(
        &record(MobViolence, "Rioters (Syria)", Some(civ), Some(1)),
        &opts
    ));
    assert!(!ucdp::included(
        &record(
            Attack,
            "Unidentified armed group (Syria)",
            Some(civ),
            Some(1)
        ),
        &opts
    ));
    // Non-state: two organised non-state groups.
    let two = record(ArmedClash, rebels, Some("Islamic State"), Some(4));
    assert!(ucdp::included(&two, &opts));
    assert_eq!(ucdp::row(&two, &opts)[2], "2");
}
