//! rasd-eval prints what shared/tools/score_events.py prints, to the byte, on the
//! dev gold against itself, against nothing, and against perturbed copies of itself
//! generated here. Skips (saying why) when ../shared or python3 is absent.

use rasd_eval::{EventSet, score};
use serde_json::Value;
use std::path::{Path, PathBuf};
use std::process::Command;

fn shared() -> Option<PathBuf> {
    let p = Path::new(concat!(env!("CARGO_MANIFEST_DIR"), "/../../../shared"));
    if p.join("tools/score_events.py").exists() && p.join("corpus/dev/gold.jsonl").exists() {
        Some(p.to_path_buf())
    } else {
        eprintln!("skipping: ../shared (score_events.py, corpus/dev/gold.jsonl) is absent");
        None
    }
}

fn python() -> bool {
    let ok = Command::new("python3")
        .arg("--version")
        .output()
        .is_ok_and(|o| o.status.success());
    if !ok {
        eprintln!("skipping: python3 is not available");
    }
    ok
}

/// A small deterministic generator (xorshift), so failures reproduce.
struct Rng(u64);
impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0
    }
    fn below(&mut self, n: u64) -> u64 {
        self.next() % n
    }
    fn chance(&mut self, percent: u64) -> bool {
        self.below(100) < percent
    }
}

fn shift_day(day: &str, by: i64) -> String {
    let d: jiff::civil::Date = day.parse().unwrap();
    d.checked_add(jiff::Span::new().days(by))
        .unwrap()
        .to_string()
}

const SUBS: [&str; 4] = [
    "armed_clash",
    "air_drone_strike",
    "shelling_artillery_missile_attack",
    "attack",
];
const TYPES: [&str; 3] = ["battles", "explosions_remote_violence", "protests"];
const ACTORS: [&str; 4] = [
    "Islamic State",
    "Syrian Government Forces",
    "Civilians (Syria)",
    "Unidentified armed group (Syria)",
];

/// One perturbed copy of an event: each field changes with some probability.
fn perturb_event(e: &Value, rng: &mut Rng) -> Value {
    let mut e = e.clone();
    let o = e.as_object_mut().unwrap();
    if rng.chance(15) {
        o["sub_event_type"] = SUBS[rng.below(4) as usize].into();
    }
    if rng.chance(10) {
        o["event_type"] = TYPES[rng.below(3) as usize].into();
    }
    if rng.chance(30) {
        let by = rng.below(7) as i64 - 3;
        let start = shift_day(o["date_start"].as_str().unwrap(), by);
        o["date_start"] = start.clone().into();
        if rng.chance(50) {
            o["date_end"] = start.into();
        } else if rng.chance(30) {
            o.remove("date_end");
        }
    }
    if rng.chance(25) {
        let loc = o["location"].as_object_mut().unwrap();
        let name = loc["name"].as_str().unwrap_or("").to_string();
        loc["name"] = match rng.below(5) {
            0 => format!("مدينة {name}"),
            1 => format!("{name} الشرقي"),
            2 => "مكان آخر".to_string(),
            3 => name.replace('ا', "أ").replace('ة', "ه"),
            _ => String::new(),
        }
        .into();
        if rng.chance(30) {
            loc["admin1"] = Value::Null;
        }
        if rng.chance(20) {
            loc["precision"] = "governorate".into();
        }
    }
    if rng.chance(25) {
        match rng.below(3) {
            0 => {
                let a1 = o["actor1"].clone();
                o["actor1"] = o["actor2"].clone();
                o["actor2"] = a1;
            }
            1 => o["actor2"] = ACTORS[rng.below(4) as usize].into(),
            _ => {
                let a = o["actor1"].as_str().unwrap_or("").to_uppercase();
                o["actor1"] = format!("  {a} (elsewhere) ").into();
            }
        }
    }
    if rng.chance(25) {
        o["fatalities"] = match rng.below(4) {
            0 => Value::Null,
            1 => 0.into(),
            2 => serde_json::json!(o["fatalities"].as_u64().unwrap_or(0) as f64),
            _ => (o["fatalities"].as_u64().unwrap_or(0) + 1 + rng.below(5)).into(),
        };
    }
    e
}

/// A prediction file derived from gold: events dropped, perturbed, duplicated and
/// invented; documents dropped and invented.
fn perturb(gold: &str, seed: u64) -> String {
    let mut rng = Rng(seed.wrapping_mul(0x9E37_79B9_7F4A_7C15) | 1);
    let mut out = String::new();
    for line in gold.lines().filter(|l| !l.trim().is_empty()) {
        let mut doc: Value = serde_json::from_str(line).unwrap();
        if rng.chance(8) {
            continue; // document missing from the predictions
        }
        let gold_events = doc["events"].as_array().cloned().unwrap_or_default();
        let mut events = Vec::new();
        for e in &gold_events {
            if rng.chance(15) {
                continue;
            }
            events.push(perturb_event(e, &mut rng));
            if rng.chance(8) {
                events.push(perturb_event(e, &mut rng));
            }
        }
        if rng.chance(15) && !gold_events.is_empty() {
            let e = &gold_events[rng.below(gold_events.len() as u64) as usize];
            let mut spurious = perturb_event(e, &mut rng);
            spurious["location"]["name"] = "تل أبيض".into();
            events.push(spurious);
        }
        if rng.chance(10) {
            events.reverse();
        }
        doc["events"] = Value::Array(events);
        out.push_str(&serde_json::to_string(&doc).unwrap());
        out.push('\n');
    }
    if seed % 2 == 0 {
        out.push_str(r#"{"doc_id": "not-in-gold", "events": []}"#);
        out.push('\n');
        out.push_str("\n   \n");
    }
    out
}

fn python_output(shared: &Path, gold: &Path, pred: &Path, args: &[&str]) -> String {
    let out = Command::new("python3")
        .arg(shared.join("tools/score_events.py"))
        .arg(gold)
        .arg(pred)
        .args(args)
        .output()
        .expect("python3 runs");
    assert!(
        out.status.success(),
        "score_events.py failed: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8(out.stdout).unwrap()
}

fn agree(shared: &Path, gold_path: &Path, pred_text: &str, name: &str) {
    let dir = tempfile::tempdir().unwrap();
    let pred_path = dir.path().join(format!("{name}.jsonl"));
    std::fs::write(&pred_path, pred_text).unwrap();
    let gold = EventSet::load(gold_path).unwrap();
    let pred = EventSet::load(&pred_path).unwrap();
    let report = score(&gold, &pred);
    let py = python_output(
        shared,
        gold_path,
        &pred_path,
        &["--by-type", "--errors", "1000"],
    );
    assert_eq!(report.text(true, 1000), py, "text output differs on {name}");
    let py = python_output(shared, gold_path, &pred_path, &["--errors", "-3"]);
    assert_eq!(report.text(false, -3), py, "--errors -3 differs on {name}");
    let py = python_output(shared, gold_path, &pred_path, &["--json"]);
    assert_eq!(
        format!("{}\n", report.json()),
        py,
        "JSON output differs on {name}"
    );
}

#[test]
fn agrees_with_score_events_py_on_the_dev_gold() {
    let (Some(shared), true) = (shared(), python()) else {
        return;
    };
    let gold_path = shared.join("corpus/dev/gold.jsonl");
    let gold_text = std::fs::read_to_string(&gold_path).unwrap();
    agree(&shared, &gold_path, &gold_text, "itself");
    agree(&shared, &gold_path, "", "nothing");
    let mut scores = Vec::new();
    for seed in 1..=6 {
        let pred = perturb(&gold_text, seed);
        agree(&shared, &gold_path, &pred, &format!("perturbed-{seed}"));
        let report = score(
            &EventSet::load(&gold_path).unwrap(),
            &EventSet::parse(&pred, "pred").unwrap(),
        );
        scores.push(report.f1);
    }
    // The perturbations are real: scores fall below 1 and differ between seeds.
    assert!(scores.iter().all(|f| *f < 1.0), "{scores:?}");
    assert!(scores.windows(2).any(|w| w[0] != w[1]), "{scores:?}");
}

#[test]
fn gold_against_itself_is_perfect() {
    let Some(shared) = shared() else {
        return;
    };
    let gold = EventSet::load(&shared.join("corpus/dev/gold.jsonl")).unwrap();
    let report = score(&gold, &gold);
    assert_eq!(report.documents, 46);
    assert_eq!(report.f1, 1.0);
    assert!(report.fields.iter().all(|(_, v)| *v == 1.0));
    assert!(report.errors.is_empty());
}
