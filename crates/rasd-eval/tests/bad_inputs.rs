//! Hostile and malformed evaluation files: an error naming the file and line, or a
//! report — never a panic.

use rasd_eval::{EventSet, causes, score};

const BAD: &[&str] = &[
    "",
    "\u{feff}{\"doc_id\": \"a\", \"events\": []}",
    "null",
    "[]",
    "\"text\"",
    "{\"doc_id\": null, \"events\": null}",
    "{\"doc_id\": [1, {\"x\": 2}], \"events\": [1, \"two\", null, [], {}]}",
    "{\"doc_id\": \"a\", \"events\": [{\"event_type\": 5, \"date_start\": 20240101, \"location\": \"حلب\"}]}",
    "{\"doc_id\": \"a\", \"events\": [{\"event_type\": \"battles\", \"date_start\": \"9999-12-31\", \"date_end\": \"0000-01-01\", \"location\": {\"name\": 7, \"admin1\": [], \"precision\": \"governorate\"}}]}",
    "{\"doc_id\": \"a\", \"events\": [{\"event_type\": \"battles\", \"date_start\": \"2024-W53-7\", \"location\": {\"name\": \"\"}, \"actor1\": {\"a\": 1}, \"fatalities\": 1e300}]}",
    "{\"doc_id\": \"a\", \"events\": [{\"event_type\": \"battles\", \"date_start\": \"2020-W53\", \"date_end\": \"2020W537\", \"location\": {\"name\": \"(((\"}, \"actor1\": \"((((\", \"actor2\": \")\"}]}",
    "{\"doc_id\": \"a\", \"events\": [{\"fatalities\": 18446744073709551615}, {\"fatalities\": -9223372036854775808}]}",
    "{\"doc_id\": \"a\"\n\"events\": []}",
    "{\"doc_id\": \"\u{0}\u{1f}\", \"events\": [{\"event_type\": \"\\ud83d\\ude00\"}]}",
    "\r\r\n\n{\"doc_id\": \"x\"}\r",
    "{\"doc_id\": \"a\", \"published\": \"0000-00-00\", \"events\": [{\"event_type\": \"battles\", \"date_start\": \"2024-01-01\", \"location\": {\"name\": \"حلب\", \"precision\": \"country\", \"country\": []}}]}",
    "{\"doc_id\": \"a\", \"published\": 20240101, \"events\": [{\"event_type\": \"battles\", \"date_start\": \"0001-01-01\", \"location\": {\"admin2\": {}, \"city\": null, \"precision\": 3}}]}",
];

#[test]
fn bad_files_never_panic() {
    let sets: Vec<Option<EventSet>> = BAD
        .iter()
        .enumerate()
        .map(|(i, text)| match EventSet::parse(text, "bad.jsonl") {
            Ok(set) => Some(set),
            Err(e) => {
                let msg = e.to_string();
                assert!(msg.starts_with("bad.jsonl:"), "case {i}: {msg}");
                None
            }
        })
        .collect();
    let parsed: Vec<&EventSet> = sets.iter().flatten().collect();
    assert!(parsed.len() > 5, "most cases should parse leniently");
    for g in &parsed {
        for p in &parsed {
            let r = score(g, p);
            let _ = r.text(true, 1000);
            let _ = r.text(false, -1000);
            let _ = r.json();
            let c = causes(g, p);
            let _ = c.text(1000);
            let _ = c.json();
        }
    }
}

#[test]
fn deep_nesting_is_an_error_not_a_stack_overflow() {
    let deep = format!(
        "{{\"doc_id\": \"a\", \"events\": {}{}}}",
        "[".repeat(100_000),
        "]".repeat(100_000)
    );
    assert!(EventSet::parse(&deep, "deep.jsonl").is_err());
}

#[test]
fn a_long_line_of_many_events_scores() {
    let event = r#"{"event_type": "battles", "sub_event_type": "armed_clash", "date_start": "2024-01-01", "location": {"name": "حلب"}, "actor1": "A", "fatalities": 1}"#;
    let line = format!(
        "{{\"doc_id\": \"a\", \"events\": [{}]}}",
        vec![event; 300].join(", ")
    );
    let set = EventSet::parse(&line, "long.jsonl").unwrap();
    let r = score(&set, &set);
    assert_eq!(r.matched, 300);
    assert_eq!(r.f1, 1.0);
}
