//! Golden snapshots of the events coded for each dev-corpus document, read from
//! the corpus's clean bodies (`extraction.json`) so that only coder changes move
//! them. Review changes with `cargo insta review`; never edit a snapshot by hand.
//! Skips when `../shared` is absent.

use std::path::Path;

use rasd_coder::{ActorRegister, Coder};
use rasd_model::{Article, Event, PublishedTime};

fn render(events: &[Event]) -> String {
    if events.is_empty() {
        return "(no events)\n".into();
    }
    let mut s = String::new();
    for e in events {
        let or_dash = |v: Option<String>| v.unwrap_or_else(|| "-".into());
        s.push_str(&format!(
            "{} / {}  {}..{} ({})\n  at {} [{}, {}, {}]\n  {} {:?} vs {} {:?}\n  killed {} {:?} {:?}  injured {}  arrested {}  confidence {}\n",
            e.event_type,
            e.sub_event_type,
            e.date_start,
            e.date_end,
            e.date_precision,
            e.location.name,
            or_dash(e.location.admin1.clone()),
            e.location.country,
            e.location.precision,
            e.actor1,
            e.assoc_actor1,
            or_dash(e.actor2.clone()),
            e.assoc_actor2,
            or_dash(e.fatalities.map(|v| v.to_string())),
            e.fatalities_vague,
            e.fatalities_by_side,
            or_dash(e.injured.map(|v| v.to_string())),
            or_dash(e.arrested.map(|v| v.to_string())),
            e.confidence.unwrap_or_default(),
        ));
        for (text, span) in e.evidence_with_spans() {
            let span = span
                .map(|s| format!("{}..{}", s.start, s.end))
                .unwrap_or_default();
            s.push_str(&format!("  | {span} {text}\n"));
        }
    }
    s
}

#[test]
fn dev_documents_snapshots() {
    let dir = Path::new(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../../../shared/corpus/dev"
    ));
    if !dir.join("extraction.json").exists() {
        eprintln!("skipped: ../shared/corpus/dev is absent");
        return;
    }
    let extraction: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(dir.join("extraction.json")).unwrap())
            .unwrap();
    let gold = std::fs::read_to_string(dir.join("gold.jsonl")).unwrap();
    let coder = Coder::new(ActorRegister::bundled(), rasd_geo::Gazetteer::bundled());
    let mut settings = insta::Settings::clone_current();
    settings.set_prepend_module_to_snapshot(false);
    settings.set_snapshot_path("snapshots/dev");
    settings.bind(|| {
        for line in gold.lines().filter(|l| !l.trim().is_empty()) {
            let g: serde_json::Value = serde_json::from_str(line).unwrap();
            let id = g["doc_id"].as_str().unwrap().to_string();
            let x = &extraction[&id];
            let mut a =
                Article::from_text(id.clone(), x["articleBody"].as_str().unwrap_or_default());
            a.dateline = x["dateline"]
                .as_str()
                .filter(|s| !s.is_empty())
                .map(String::from);
            a.published = g["published"]
                .as_str()
                .and_then(|p| p.parse::<PublishedTime>().ok());
            let events = coder.code(&a);
            insta::assert_snapshot!(id.clone(), render(&events));
        }
    });
}
