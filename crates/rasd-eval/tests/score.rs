//! Matching rules and the floors gate on small fictional sets.

use rasd_eval::{EventSet, Floors, score};

fn ev(kind: &str, sub: &str, day: &str, place: &str, actor1: &str, fat: &str) -> String {
    format!(
        r#"{{"event_type": "{kind}", "sub_event_type": "{sub}", "date_start": "{day}", "date_end": "{day}", "location": {{"name": "{place}", "admin1": "حلب", "country": "SY", "precision": "community"}}, "actor1": "{actor1}", "actor2": null, "fatalities": {fat}}}"#
    )
}

fn set(lines: &[(&str, Vec<String>)]) -> EventSet {
    let text: String = lines
        .iter()
        .map(|(id, evs)| {
            format!(
                "{{\"doc_id\": \"{id}\", \"events\": [{}]}}\n",
                evs.join(", ")
            )
        })
        .collect();
    EventSet::parse(&text, "test").unwrap()
}

#[test]
fn matching_tolerates_a_day_and_place_words_but_not_two_days() {
    let gold = set(&[(
        "d1",
        vec![ev(
            "battles",
            "armed_clash",
            "2024-05-10",
            "الباب",
            "Islamic State",
            "4",
        )],
    )]);
    let near = set(&[(
        "d1",
        vec![ev(
            "battles",
            "armed_clash",
            "2024-05-11",
            "مدينة الباب",
            "Islamic State (Syria)",
            "4",
        )],
    )]);
    let r = score(&gold, &near);
    assert_eq!((r.matched, r.f1), (1, 1.0));
    assert_eq!(r.field("date_start"), Some(0.0));
    assert_eq!(r.field("location"), Some(1.0));
    assert_eq!(r.field("actors"), Some(1.0));
    let far = set(&[(
        "d1",
        vec![ev(
            "battles",
            "armed_clash",
            "2024-05-12",
            "الباب",
            "Islamic State",
            "4",
        )],
    )]);
    let r = score(&gold, &far);
    assert_eq!(r.matched, 0);
    assert_eq!((r.gold_events, r.predicted_events), (1, 1));
    let kinds: Vec<&str> = r.errors.iter().map(|e| e.kind.as_str()).collect();
    assert_eq!(kinds, ["missed", "spurious"]);
}

#[test]
fn the_better_agreeing_prediction_wins_the_match() {
    let gold = set(&[(
        "d1",
        vec![ev(
            "explosions_remote_violence",
            "air_drone_strike",
            "2024-01-02",
            "سرمدا",
            "Russia",
            "2",
        )],
    )]);
    let pred = set(&[(
        "d1",
        vec![
            ev(
                "explosions_remote_violence",
                "shelling_artillery_missile_attack",
                "2024-01-03",
                "سرمدا",
                "Russia",
                "5",
            ),
            ev(
                "explosions_remote_violence",
                "air_drone_strike",
                "2024-01-02",
                "سرمدا",
                "Russia",
                "2",
            ),
        ],
    )]);
    let r = score(&gold, &pred);
    assert_eq!(r.matched, 1);
    assert_eq!(r.field("sub_event_type"), Some(1.0));
    assert_eq!(r.field("fatalities"), Some(1.0));
    assert_eq!(r.predicted_events, 2);
    assert_eq!(r.precision, 0.5);
}

#[test]
fn missing_documents_predict_nothing_and_unknown_ones_are_reported() {
    let gold = set(&[
        (
            "d1",
            vec![ev(
                "protests",
                "peaceful_protest",
                "2024-02-01",
                "السويداء",
                "Protesters (Syria)",
                "null",
            )],
        ),
        ("d2", vec![]),
    ]);
    let pred = set(&[("zz", vec![])]);
    let r = score(&gold, &pred);
    assert_eq!((r.documents, r.gold_events, r.matched), (2, 1, 0));
    assert_eq!(r.unknown_doc_ids, ["zz"]);
    assert_eq!(r.f1, 0.0);
    let text = r.text(true, 5);
    assert!(text.contains("warning: 1 predicted doc_ids are not in gold"));
    assert!(
        text.contains("protests                            0    0    1"),
        "{text}"
    );
    assert!(
        text.contains("- d1 missed: gold={\"event_type\": \"protests\""),
        "{text}"
    );
}

#[test]
fn bad_lines_are_reported_with_file_and_line() {
    let err =
        EventSet::parse("{\"doc_id\": \"a\", \"events\": []}\n{oops\n", "p.jsonl").unwrap_err();
    assert!(err.to_string().starts_with("p.jsonl:2: not JSON"), "{err}");
    let err = EventSet::parse("[1, 2]\n", "p.jsonl").unwrap_err();
    assert!(err.to_string().contains("p.jsonl:1"), "{err}");
    // Lenient like the Python: no events key, or not a list, means no events.
    let s = EventSet::parse(
        "{\"doc_id\": 7}\n{\"doc_id\": \"b\", \"events\": {}}\r\n",
        "p",
    )
    .unwrap();
    assert_eq!(s.doc_ids().collect::<Vec<_>>(), ["7", "b"]);
    assert_eq!(s.events("7").map(<[_]>::len), Some(0));
}

#[test]
fn the_gate_fails_below_a_floor_and_passes_above() {
    let gold = set(&[(
        "d1",
        vec![
            ev(
                "battles",
                "armed_clash",
                "2024-05-10",
                "الباب",
                "Islamic State",
                "4",
            ),
            ev(
                "battles",
                "armed_clash",
                "2024-05-10",
                "منبج",
                "Islamic State",
                "1",
            ),
        ],
    )]);
    let pred = set(&[(
        "d1",
        vec![ev(
            "battles",
            "armed_clash",
            "2024-05-10",
            "الباب",
            "Islamic State",
            "3",
        )],
    )]);
    let r = score(&gold, &pred);
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("floors.json");
    std::fs::write(
        &path,
        r#"{"f1": 0.5, "recall": 0.5, "fields": {"sub_event_type": 1.0}}"#,
    )
    .unwrap();
    assert!(r.gate(&Floors::load(&path).unwrap()).is_empty());
    std::fs::write(
        &path,
        r#"{"f1": 0.9, "fields": {"fatalities": 0.5, "actors": 0.5}}"#,
    )
    .unwrap();
    let failures = r.gate(&Floors::load(&path).unwrap());
    let measures: Vec<&str> = failures.iter().map(|f| f.measure.as_str()).collect();
    assert_eq!(measures, ["F1", "fatalities"]);
    assert_eq!(failures[0].to_string(), "F1 0.667 is below its floor 0.900");
    std::fs::write(&path, r#"{"fields": {"colour": 0.5}}"#).unwrap();
    assert!(Floors::load(&path).is_err());
    std::fs::write(&path, r#"{"f_one": 0.5}"#).unwrap();
    assert!(Floors::load(&path).is_err());
}
