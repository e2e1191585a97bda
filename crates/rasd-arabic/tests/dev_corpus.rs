//! Every gold event date of the dev corpus must be found by `find_dates`
//! over the event's evidence sentences, resolved against the publication day.
//! Skips (with a message) when the shared corpus is absent.

use std::path::PathBuf;

use jiff::civil::Date;
use rasd_arabic::dates::{find_dates, publication_day, zone_for_country};
use rasd_model::PublishedTime;

fn corpus() -> Option<PathBuf> {
    let p = PathBuf::from(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../../../shared/corpus/dev/gold.jsonl"
    ));
    p.exists().then_some(p)
}

#[test]
fn dev_gold_dates_are_found() {
    let Some(path) = corpus() else {
        eprintln!("skipping: ../shared/corpus/dev/gold.jsonl is absent");
        return;
    };
    let text = std::fs::read_to_string(&path).expect("read gold");
    let (mut total, mut stated, mut found, mut undated, mut elsewhere) = (0, 0, 0, 0, 0);
    let mut failures = Vec::new();
    for line in text.lines().filter(|l| !l.trim().is_empty()) {
        let doc: serde_json::Value = serde_json::from_str(line).expect("gold line");
        let published: PublishedTime = doc["published"]
            .as_str()
            .unwrap()
            .parse()
            .expect("published");
        for ev in doc["events"].as_array().unwrap() {
            total += 1;
            let country = ev["location"]["country"].as_str().unwrap_or("SY");
            let zone = zone_for_country(country).expect("zone");
            let pub_day = publication_day(&published, &zone);
            let start: Date = ev["date_start"].as_str().unwrap().parse().unwrap();
            let end: Date = ev["date_end"].as_str().unwrap().parse().unwrap();
            let evidence: Vec<&str> = ev["evidence"]
                .as_array()
                .unwrap()
                .iter()
                .map(|s| s.as_str().unwrap())
                .collect();
            let joined = evidence.join(" ");
            let mentions = find_dates(&joined, pub_day);
            let start_ok = mentions.iter().any(|m| m.start == start);
            // A multi-day span whose end is a stated day (not the report day).
            let end_stated = end != start && end != pub_day;
            let end_ok = !end_stated || mentions.iter().any(|m| m.end == end || m.start == end);
            if mentions.is_empty() && !has_date_cue(&joined) {
                // The evidence holds no date words: the gold date comes from
                // the publication day or from the article's other sentences.
                undated += 1;
                if start != pub_day {
                    elsewhere += 1;
                }
                continue;
            }
            stated += 1;
            if start_ok && end_ok {
                found += 1;
            } else {
                failures.push(format!(
                    "{} {}..{} (published {pub_day}): got {:?}\n    {}",
                    doc["doc_id"],
                    start,
                    end,
                    mentions
                        .iter()
                        .map(|m| (
                            m.start.to_string(),
                            m.end.to_string(),
                            &joined[m.range.clone()]
                        ))
                        .collect::<Vec<_>>(),
                    joined
                ));
            }
        }
    }
    println!(
        "dev corpus dates: {found}/{stated} events with a stated date resolved ({:.1}%); \
         {undated} of {total} events have no date words in their evidence \
         ({elsewhere} of them dated from other sentences of the article)",
        100.0 * found as f64 / stated.max(1) as f64
    );
    assert!(
        failures.is_empty(),
        "{} unresolved:\n{}",
        failures.len(),
        failures.join("\n")
    );
}

/// An independent, crude check for date words (weekday and month names,
/// relative day words, four-digit years): used only to tell an evidence
/// without any date from one where the layer missed it.
fn has_date_cue(s: &str) -> bool {
    const CUES: &[&str] = &[
        "أمس",
        "امس",
        "اليوم",
        "البارحة",
        "الليلة",
        "الأحد",
        "الاثنين",
        "الإثنين",
        "الثلاثاء",
        "الأربعاء",
        "الخميس",
        "الجمعة",
        "السبت",
        "الماضي",
        "الفائت",
        "قبل يوم",
        "منذ",
        "كانون",
        "شباط",
        "آذار",
        "نيسان",
        "أيار",
        "حزيران",
        "تموز",
        "آب",
        "أيلول",
        "تشرين",
        "يناير",
        "فبراير",
        "مارس",
        "أبريل",
        "مايو",
        "يونيو",
        "يوليو",
        "أغسطس",
        "سبتمبر",
        "أكتوبر",
        "نوفمبر",
        "ديسمبر",
        "الساعات",
        "الأسبوع",
        "الشهر",
        "مطلع",
    ];
    CUES.iter().any(|c| s.contains(c))
        || s.split(|c: char| !c.is_ascii_digit()).any(|d| d.len() == 4)
}
