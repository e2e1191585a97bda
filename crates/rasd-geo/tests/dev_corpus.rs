//! The geocoder against the shared dev corpus: for every gold event, is the gold place among
//! the places resolved in its document (same name and governorate, compared the way
//! `tools/score_events.py` compares them)? Skips when ../shared is absent.

use rasd_eval::norm_ar;
use rasd_geo::{Gazetteer, Geocoder, MentionRole, ResolveContext};
use std::path::PathBuf;

/// The rate the issue asks for.
const TARGET_RATE: f64 = 0.97;

fn shared() -> Option<PathBuf> {
    let p = PathBuf::from(concat!(env!("CARGO_MANIFEST_DIR"), "/../../../shared"));
    p.join("corpus/dev/gold.jsonl").exists().then_some(p)
}

#[test]
fn dev_corpus_gold_places_are_resolved() {
    let Some(root) = shared() else {
        eprintln!("skipped: ../shared/corpus/dev is absent");
        return;
    };
    let dev = root.join("corpus/dev");
    let extraction: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(dev.join("extraction.json")).unwrap())
            .unwrap();
    let g = Gazetteer::bundled();
    let geo = Geocoder::new(g);
    let (mut total, mut found, mut found_as_place, mut mentions) = (0usize, 0usize, 0usize, 0usize);
    for line in std::fs::read_to_string(dev.join("gold.jsonl"))
        .unwrap()
        .lines()
    {
        let doc: serde_json::Value = serde_json::from_str(line).unwrap();
        let id = doc["doc_id"].as_str().unwrap();
        let ex = &extraction[id];
        let text = format!(
            "{}\n{}",
            ex["title"].as_str().unwrap_or(""),
            ex["articleBody"].as_str().unwrap_or("")
        );
        let ctx = ResolveContext {
            dateline: ex["dateline"]
                .as_str()
                .filter(|d| !d.is_empty())
                .map(str::to_string),
            country_hint: None,
        };
        let resolved = geo.resolve(&text, &ctx);
        mentions += resolved.len();
        for ev in doc["events"].as_array().unwrap() {
            total += 1;
            let loc = &ev["location"];
            let (name, admin1) = (
                loc["name"].as_str().unwrap(),
                loc["admin1"].as_str().unwrap_or(""),
            );
            let same = |r: &&rasd_geo::ResolvedMention| {
                let l = r.to_location(g, &text);
                norm_ar(&l.name) == norm_ar(name)
                    && norm_ar(l.admin1.as_deref().unwrap_or("")) == norm_ar(admin1)
            };
            let hit = resolved.iter().any(|r| same(&r));
            if resolved
                .iter()
                .filter(|r| r.role == MentionRole::Place)
                .any(|r| same(&r))
            {
                found_as_place += 1;
            }
            if hit {
                found += 1;
            } else {
                let seen: Vec<String> = resolved
                    .iter()
                    .filter(|r| r.role != MentionRole::Country)
                    .map(|r| {
                        let l = r.to_location(g, &text);
                        format!("{}/{}", l.name, l.admin1.unwrap_or_default())
                    })
                    .collect();
                eprintln!("MISS {id}: gold {name}/{admin1}; resolved {seen:?}");
            }
        }
    }
    let rate = found as f64 / total as f64;
    let report = format!(
        "dev corpus: {found}/{total} gold places resolved ({:.1}%); {found_as_place}/{total} with role Place; \
         {mentions} mentions resolved in all",
        rate * 100.0
    );
    println!("{report}");
    eprintln!("{report}");
    assert!(rate >= TARGET_RATE, "rate {rate:.3} below {TARGET_RATE}");
}
