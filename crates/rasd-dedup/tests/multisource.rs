//! The multi-source test set (tests/multisource/): real incidents of the Syrian war,
//! each reported by several articles written for this test, with the source events a
//! correct coder gives for each article and the expected incidents.
//!
//! Clustering is run on the expected source events in many arrival orders; pairwise
//! precision/recall/F1 against the expected clusters are printed, F1 must reach 0.95
//! and no incident may mix sources of two different expected incidents.

use rasd_dedup::export::{self, ExportOptions, Format};
use rasd_dedup::{DupOutcome, IncidentIndex, IncidentRecord, NearDupIndex, SourceEvent};
use rasd_model::CodedDocument;
use std::collections::{BTreeMap, HashMap, HashSet};

const DIR: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/multisource");

fn load() -> (
    Vec<CodedDocument>,
    Vec<SourceEvent>,
    BTreeMap<String, Vec<String>>,
) {
    let text = std::fs::read_to_string(format!("{DIR}/expected_events.jsonl")).unwrap();
    let docs: Vec<CodedDocument> = text
        .lines()
        .filter(|l| !l.trim().is_empty())
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    let sources: Vec<SourceEvent> = docs.iter().flat_map(SourceEvent::from_document).collect();
    let clusters: BTreeMap<String, Vec<String>> =
        serde_json::from_str(&std::fs::read_to_string(format!("{DIR}/clusters.json")).unwrap())
            .unwrap();
    (docs, sources, clusters)
}

/// A fixed pseudo-random permutation (LCG), so runs are reproducible.
fn shuffled<T: Clone>(items: &[T], seed: u64) -> Vec<T> {
    let mut v = items.to_vec();
    let mut s = seed
        .wrapping_mul(6364136223846793005)
        .wrapping_add(1442695040888963407);
    for i in (1..v.len()).rev() {
        s = s
            .wrapping_mul(6364136223846793005)
            .wrapping_add(1442695040888963407);
        let j = ((s >> 33) % (i as u64 + 1)) as usize;
        v.swap(i, j);
    }
    v
}

struct Scores {
    precision: f64,
    recall: f64,
    f1: f64,
    mixed: Vec<String>,
}

fn score(predicted: &HashMap<String, u64>, gold: &BTreeMap<String, Vec<String>>) -> Scores {
    let gold_of: HashMap<&str, &str> = gold
        .iter()
        .flat_map(|(c, ms)| ms.iter().map(move |m| (m.as_str(), c.as_str())))
        .collect();
    let keys: Vec<&str> = gold_of.keys().copied().collect();
    let (mut tp, mut fp, mut fneg) = (0u64, 0u64, 0u64);
    for (i, a) in keys.iter().enumerate() {
        for b in &keys[i + 1..] {
            let same_gold = gold_of[a] == gold_of[b];
            let same_pred = predicted[*a] == predicted[*b];
            match (same_gold, same_pred) {
                (true, true) => tp += 1,
                (false, true) => fp += 1,
                (true, false) => fneg += 1,
                _ => {}
            }
        }
    }
    let mut by_incident: HashMap<u64, HashSet<&str>> = HashMap::new();
    for (k, id) in predicted {
        by_incident
            .entry(*id)
            .or_default()
            .insert(gold_of[k.as_str()]);
    }
    let mut mixed: Vec<String> = by_incident
        .values()
        .filter(|g| g.len() > 1)
        .map(|g| {
            let mut v: Vec<&str> = g.iter().copied().collect();
            v.sort();
            v.join("+")
        })
        .collect();
    mixed.sort();
    let precision = if tp + fp == 0 {
        1.0
    } else {
        tp as f64 / (tp + fp) as f64
    };
    let recall = if tp + fneg == 0 {
        1.0
    } else {
        tp as f64 / (tp + fneg) as f64
    };
    let f1 = if precision + recall == 0.0 {
        0.0
    } else {
        2.0 * precision * recall / (precision + recall)
    };
    Scores {
        precision,
        recall,
        f1,
        mixed,
    }
}

fn cluster(sources: &[SourceEvent]) -> (IncidentIndex, HashMap<String, u64>) {
    let mut idx = IncidentIndex::new();
    let mut predicted = HashMap::new();
    for s in sources {
        let key = s.key();
        let out = idx.insert(s.clone());
        predicted.insert(key, out.incident_id);
    }
    // Ids given at insertion may since have been absorbed into another incident.
    for id in predicted.values_mut() {
        *id = idx.get(*id).expect("every id resolves").id;
    }
    (idx, predicted)
}

#[test]
fn test_set_is_well_formed() {
    let (docs, sources, clusters) = load();
    assert!(clusters.len() >= 10, "at least 10 incidents");
    let keys: HashSet<String> = sources.iter().map(SourceEvent::key).collect();
    let listed: HashSet<String> = clusters.values().flatten().cloned().collect();
    assert_eq!(
        keys, listed,
        "every source event is in exactly one expected cluster"
    );
    for d in &docs {
        assert!(
            std::path::Path::new(&format!("{DIR}/articles/{}.html", d.doc_id)).exists(),
            "article of {}",
            d.doc_id
        );
        let html = std::fs::read_to_string(format!("{DIR}/articles/{}.html", d.doc_id)).unwrap();
        for e in &d.events {
            assert!(e.validate().is_empty(), "{}: {:?}", d.doc_id, e.validate());
            for s in &e.evidence {
                let escaped = s
                    .replace('&', "&amp;")
                    .replace('<', "&lt;")
                    .replace('>', "&gt;");
                assert!(
                    html.contains(&escaped),
                    "{}: evidence not in the article: {s}",
                    d.doc_id
                );
            }
        }
    }
    // Incidents with more than one article reach 2-5 articles.
    let multi = clusters
        .values()
        .filter(|m| (2..=5).contains(&m.len()))
        .count();
    assert!(multi >= 10, "{multi} incidents with 2-5 articles");
}

#[test]
fn clustering_f1_on_the_multisource_set() {
    let (_, sources, gold) = load();
    let mut orders: Vec<(String, Vec<SourceEvent>)> = vec![
        ("publication order".into(), sources.clone()),
        (
            "reverse order".into(),
            sources.iter().rev().cloned().collect(),
        ),
    ];
    for seed in 1..=30u64 {
        orders.push((format!("shuffle {seed}"), shuffled(&sources, seed)));
    }
    let mut worst = f64::INFINITY;
    for (name, order) in &orders {
        let (idx, predicted) = cluster(order);
        let s = score(&predicted, &gold);
        if name == "publication order" {
            println!(
                "multisource clustering ({name}): {} source events, {} expected incidents, {} predicted; pairwise precision {:.3} recall {:.3} F1 {:.3}",
                sources.len(),
                gold.len(),
                idx.len(),
                s.precision,
                s.recall,
                s.f1
            );
        }
        assert!(
            s.mixed.is_empty(),
            "{name}: incidents merged: {:?}",
            s.mixed
        );
        if s.f1 < 1.0 {
            let split: Vec<&String> = gold
                .iter()
                .filter(|(_, ms)| {
                    ms.iter()
                        .map(|m| predicted[m])
                        .collect::<HashSet<_>>()
                        .len()
                        > 1
                })
                .map(|(c, _)| c)
                .collect();
            let detail: Vec<String> = split
                .iter()
                .flat_map(|c| gold[*c].iter().map(|m| format!("{m}->{}", predicted[m])))
                .collect();
            println!(
                "{name}: F1 {:.3}, split incidents {split:?}: {detail:?}",
                s.f1
            );
        }
        assert!(s.f1 >= 0.95, "{name}: F1 {:.3} < 0.95", s.f1);
        worst = worst.min(s.f1);
    }
    println!(
        "multisource clustering: worst pairwise F1 over {} arrival orders: {worst:.3}",
        orders.len()
    );
}

#[test]
fn re_clustering_is_the_same_in_every_order() {
    let (_, sources, gold) = load();
    let records = |order: Vec<SourceEvent>| -> Vec<IncidentRecord> {
        IncidentIndex::cluster_all(order)
            .incidents()
            .filter_map(|i| i.record())
            .collect()
    };
    let first = records(sources.clone());
    assert_eq!(first.len(), gold.len(), "one record per expected incident");
    for seed in 1..=30u64 {
        assert!(
            records(shuffled(&sources, seed)) == first,
            "shuffle {seed}: cluster_all gave other records"
        );
    }
}

#[test]
fn near_miss_pairs_stay_apart() {
    let (_, sources, gold) = load();
    let (_, predicted) = cluster(&sources);
    let tsv = std::fs::read_to_string(format!("{DIR}/near_misses.tsv")).unwrap();
    let mut checked = 0;
    for line in tsv.lines().skip(1).filter(|l| !l.trim().is_empty()) {
        let f: Vec<&str> = line.split('\t').collect();
        let (a, b) = (&gold[f[0]], &gold[f[1]]);
        for x in a {
            for y in b {
                assert_ne!(predicted[x], predicted[y], "{x} and {y} merged: {}", f[2]);
            }
        }
        checked += 1;
    }
    assert!(checked >= 5);
}

fn body_text(html: &str) -> String {
    // The paragraphs of these fixture pages, tags removed.
    html.split("<p>")
        .skip(1)
        .filter_map(|p| p.split("</p>").next())
        .collect::<Vec<_>>()
        .join("\n")
}

#[test]
fn syndicated_copy_is_found_and_nothing_else() {
    let (docs, _, _) = load();
    let expected: BTreeMap<String, String> =
        serde_json::from_str(&std::fs::read_to_string(format!("{DIR}/near_dups.json")).unwrap())
            .unwrap();
    let mut idx = NearDupIndex::new();
    let mut found = BTreeMap::new();
    for d in &docs {
        let html = std::fs::read_to_string(format!("{DIR}/articles/{}.html", d.doc_id)).unwrap();
        if let DupOutcome::CopyOf { original, .. } = idx.insert(&d.doc_id, &body_text(&html)) {
            found.insert(d.doc_id.clone(), original);
        }
    }
    assert_eq!(found, expected);
}

#[test]
fn exports_of_the_set() {
    let (docs, sources, _) = load();
    let (idx, _) = cluster(&sources);
    let records: Vec<IncidentRecord> = idx.incidents().filter_map(|i| i.record()).collect();
    let opts = ExportOptions::default();

    // JSON Lines: every source's event is written exactly as the coder wrote it.
    let mut out = Vec::new();
    export::write(Format::Jsonl, &records, &opts, &mut out).unwrap();
    let text = String::from_utf8(out).unwrap();
    assert_eq!(text.lines().count(), records.len());
    let coded: HashMap<String, serde_json::Value> = docs
        .iter()
        .map(|d| {
            (
                d.doc_id.clone(),
                serde_json::to_value(&d.events[0]).unwrap(),
            )
        })
        .collect();
    let mut seen = 0;
    for line in text.lines() {
        let v: serde_json::Value = serde_json::from_str(line).unwrap();
        assert!(v["incident_id"].is_string());
        for key in [
            "event_type",
            "date_start",
            "location",
            "actor1",
            "fatalities",
            "fatalities_low",
            "fatalities_high",
            "claims",
        ] {
            assert!(v.get(key).is_some(), "{key} missing");
        }
        for s in v["sources"].as_array().unwrap() {
            assert_eq!(s["event"], coded[s["doc_id"].as_str().unwrap()]);
            seen += 1;
        }
    }
    assert_eq!(seen, sources.len());

    // Khan Shaykhun 2017: best is the lowest figure, low/high the spread.
    let khan = records
        .iter()
        .find(|r| {
            r.event.sub_event_type == rasd_model::SubEventType::ChemicalWeapon
                && r.event.location.name == "خان شيخون"
        })
        .unwrap();
    assert_eq!(khan.event.fatalities, Some(58));
    assert_eq!(
        (khan.fatalities_low, khan.fatalities_high),
        (Some(58), Some(86))
    );
    assert_eq!(khan.event.date_start.to_string(), "2017-04-04");
    assert_eq!(khan.event.date_end.to_string(), "2017-04-05");
    assert_eq!(khan.claims.len(), 4);

    // ACLED: header in ACLED's order; one row per active day.
    let mut out = Vec::new();
    export::write(Format::Acled, &records, &opts, &mut out).unwrap();
    let mut rdr = csv::Reader::from_reader(out.as_slice());
    let header: Vec<String> = rdr.headers().unwrap().iter().map(String::from).collect();
    assert_eq!(header[..31], export::acled::COLUMNS.map(String::from));
    assert_eq!(
        header[31..],
        export::acled::ARABIC_COLUMNS.map(String::from)
    );
    let rows = rdr.records().count();
    let days: i32 = records.iter().map(|r| r.event.days()).sum();
    assert_eq!(rows as i32, days);

    // UCDP: only organised violence with a death, every row parses back.
    let mut out = Vec::new();
    export::write(Format::Ucdp, &records, &opts, &mut out).unwrap();
    let kept: Vec<_> = records
        .iter()
        .filter(|r| export::ucdp::included(r, &opts))
        .collect();
    assert!(!kept.is_empty() && kept.len() < records.len());
    for r in &kept {
        assert!(r.event.fatalities.unwrap_or(0) >= 1 || r.event.fatalities_vague.is_some());
        assert!(!matches!(
            r.event.event_type,
            rasd_model::EventType::Protests
                | rasd_model::EventType::Riots
                | rasd_model::EventType::StrategicDevelopments
        ));
    }
    assert_eq!(
        csv::Reader::from_reader(out.as_slice()).records().count(),
        kept.len()
    );
    let mut out = Vec::new();
    export::write(Format::Geojson, &records, &opts, &mut out).unwrap();
    let fc: serde_json::Value = serde_json::from_slice(&out).unwrap();
    assert_eq!(fc["features"].as_array().unwrap().len(), records.len());
}
