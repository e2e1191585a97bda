//! Hostile and malformed inputs never panic: odd texts for the fingerprints, broken
//! TSV and JSONL, and extreme source events through clustering, records and exports.

use rasd_dedup::export::{self, ExportOptions, Format};
use rasd_dedup::{ActorKindTable, IncidentIndex, NearDupIndex, SourceEvent};

const EVENT: &str = r#"{"doc_id": "x", "event": {"event_type": "battles", "sub_event_type": "armed_clash", "date_start": "2020-01-01", "date_end": "2020-01-01", "date_precision": "day", "location": {"name": "ن", "admin1": null, "country": "XX", "precision": "community", "lat": 33.0, "lon": 36.0}, "actor1": "A", "assoc_actor1": [], "actor2": null, "assoc_actor2": [], "fatalities": 1, "fatalities_by_side": {}, "injured": null, "arrested": null, "evidence": []}}"#;

fn variants() -> Vec<SourceEvent> {
    let base: SourceEvent = serde_json::from_str(EVENT).unwrap();
    let mut out = vec![base.clone()];
    let mut e = base.clone();
    e.event.date_start = jiff::civil::date(-9999, 1, 1);
    e.event.date_end = jiff::civil::date(9999, 12, 31);
    e.event.fatalities = Some(u32::MAX);
    e.event.fatalities_by_side = [("A".to_string(), u32::MAX), ("B".to_string(), u32::MAX)].into();
    out.push(e);
    let mut e = base.clone();
    e.event.date_end = jiff::civil::date(2019, 1, 1); // reversed span
    e.event.location.lat = Some(1e308);
    e.event.location.lon = Some(-1e308);
    out.push(e);
    let mut e = base.clone();
    e.event.location.lat = Some(90.0);
    e.event.location.lon = Some(180.0);
    e.event.actor1 = String::new();
    e.event.location.name = "\u{0}\u{202e}".into();
    e.event.location.country = "??".into();
    out.push(e);
    let mut e = base;
    e.event.location.lat = Some(-90.0);
    e.event.location.lon = Some(-180.0);
    e.event.actor1 = "Civilians (X) (Y) (".into();
    e.event.actor2 = Some(" (".into());
    e.event.fatalities = None;
    e.event.fatalities_vague = Some(rasd_model::Vague::Hundreds);
    out.push(e);
    out
}

#[test]
fn extreme_events_cluster_and_export() {
    let mut idx = IncidentIndex::new();
    for _ in 0..3 {
        for v in variants() {
            idx.insert(v);
        }
    }
    let records: Vec<_> = idx.incidents().filter_map(|i| i.record()).collect();
    assert!(!records.is_empty());
    for format in [Format::Acled, Format::Ucdp, Format::Geojson, Format::Jsonl] {
        let mut out = Vec::new();
        export::write(format, &records, &ExportOptions::default(), &mut out).unwrap();
        // A span of 20,000 years does not become millions of ACLED rows.
        assert!(
            out.len() < 1_000_000,
            "{format:?} wrote {} bytes",
            out.len()
        );
    }
}

#[test]
fn odd_texts_fingerprint() {
    let long = "كلمة ".repeat(50_000);
    let texts = [
        "",
        " ",
        "\u{0}\u{0}\u{0}",
        "\u{FEFF}\u{200F}\u{202E}",
        "ـــــ",
        "İİİ ǅ ß ﷽",
        long.as_str(),
        "a\nb\rc\td",
    ];
    let mut idx = NearDupIndex::new();
    for (i, t) in texts.iter().enumerate() {
        idx.insert(&i.to_string(), t);
        idx.insert(&format!("{i}-again"), t);
    }
}

#[test]
fn broken_tables_and_lines_are_errors_naming_the_input() {
    for bad in [
        "canonical\n",
        "kind\tcanonical\nA\n",
        "canonical\tkind\nA\twizard\n",
        "\u{0}\t\u{0}\n",
    ] {
        if let Err(e) = ActorKindTable::from_tsv(bad, "actors.tsv") {
            assert!(e.to_string().starts_with("actors.tsv:"), "{e}");
        }
    }
    let e = export::jsonl::read("{\"incident_id\": 1}\n{", "in.jsonl").unwrap_err();
    assert!(e.to_string().starts_with("in.jsonl:1:"), "{e}");
    assert!(
        export::jsonl::read("\n\n", "empty.jsonl")
            .unwrap()
            .is_empty()
    );
    assert!("csv".parse::<Format>().is_err());
}
