//! Runs the readable coding cases in `tests/cases/*.md` against a coder built
//! on a fictional mini-lexicon (`tests/fixtures/`): invented places and
//! groups, so that editing the real register or gazetteer never breaks them.

use std::sync::OnceLock;

use rasd_coder::{ActorRegister, Coder};
use rasd_geo::Gazetteer;
use rasd_model::{Article, Event, PublishedTime};

fn gazetteer() -> &'static Gazetteer {
    static G: OnceLock<Gazetteer> = OnceLock::new();
    G.get_or_init(|| {
        Gazetteer::from_tsv(include_str!("fixtures/mini_gazetteer.tsv")).expect("fixture parses")
    })
}

fn coder() -> &'static Coder {
    static C: OnceLock<Coder> = OnceLock::new();
    C.get_or_init(|| {
        let actors = ActorRegister::from_tsv(include_str!("fixtures/mini_actors.tsv"))
            .expect("fixture parses");
        Coder::new(actors, gazetteer())
    })
}

struct Case {
    title: String,
    published: String,
    text: String,
    expect: Vec<String>,
}

fn parse_cases(md: &str) -> Vec<Case> {
    let mut out = Vec::new();
    for section in md.split("\n## ").skip(1) {
        let title = section
            .lines()
            .next()
            .unwrap_or_default()
            .trim()
            .to_string();
        let published = section
            .lines()
            .find_map(|l| l.strip_prefix("published:"))
            .map(|s| s.trim().to_string())
            .unwrap_or_else(|| panic!("case {title:?} has no published line"));
        let text = section
            .split("```text\n")
            .nth(1)
            .and_then(|s| s.split("\n```").next())
            .unwrap_or_else(|| panic!("case {title:?} has no text block"))
            .to_string();
        let expect: Vec<String> = section
            .lines()
            .skip_while(|l| !l.starts_with("expect:"))
            .skip(1)
            .filter_map(|l| l.strip_prefix("- "))
            .map(|l| l.trim().to_string())
            .collect();
        out.push(Case {
            title,
            published,
            text,
            expect,
        });
    }
    out
}

fn brief(e: &Event) -> String {
    let or_dash = |s: Option<String>| s.unwrap_or_else(|| "-".into());
    format!(
        "{} | {} | {} | {} | {} | {}",
        e.sub_event_type,
        e.date_start,
        e.location.name,
        e.actor1,
        or_dash(e.actor2.clone()),
        or_dash(e.fatalities.map(|f| f.to_string()))
    )
}

fn counts(e: &Event) -> String {
    let or_dash = |n: Option<u32>| n.map_or_else(|| "-".to_string(), |n| n.to_string());
    format!(
        "injured {} arrested {}",
        or_dash(e.injured),
        or_dash(e.arrested)
    )
}

#[test]
fn markdown_cases() {
    let mut failures = Vec::new();
    let mut n = 0;
    for (name, md) in [
        ("common.md", include_str!("cases/common.md")),
        ("patterns.md", include_str!("cases/patterns.md")),
    ] {
        for case in parse_cases(md) {
            n += 1;
            let mut a = Article::from_text("case", case.text.clone());
            a.published = Some(case.published.parse::<PublishedTime>().expect("date"));
            // An expected line may add a seventh column, «injured N arrested N»,
            // where the case is about those figures.
            let with_counts = case.expect.iter().any(|l| l.split(" | ").count() > 6);
            let got: Vec<String> = coder()
                .code(&a)
                .iter()
                .map(|e| {
                    if with_counts {
                        format!("{} | {}", brief(e), counts(e))
                    } else {
                        brief(e)
                    }
                })
                .collect();
            for e in coder().code(&a) {
                assert!(
                    e.validate().is_empty(),
                    "{}: invalid event {e:?}",
                    case.title
                );
                for (text, span) in e.evidence_with_spans() {
                    let span = span.expect("evidence spans");
                    assert_eq!(
                        span.slice(&a.text),
                        text,
                        "evidence span points at its sentence"
                    );
                }
            }
            if got != case.expect {
                failures.push(format!(
                    "── {name}: {}\n   expected:\n{}\n   got:\n{}\n{}",
                    case.title,
                    case.expect
                        .iter()
                        .map(|l| format!("     {l}"))
                        .collect::<Vec<_>>()
                        .join("\n"),
                    got.iter()
                        .map(|l| format!("     {l}"))
                        .collect::<Vec<_>>()
                        .join("\n"),
                    coder().explain(&a, &Default::default())
                ));
            }
        }
    }
    assert!(n >= 10, "the case files hold {n} cases");
    assert!(
        failures.is_empty(),
        "{} of {n} coding cases failed:\n{}\nhelp: the trace under each case shows what the coder read",
        failures.len(),
        failures.join("\n")
    );
}

#[test]
fn no_publication_day_codes_nothing() {
    let a = Article::from_text(
        "x",
        "قُتل شاب مدني اليوم برصاص مسلحين مجهولين في بلدة قصر الندى.",
    );
    assert!(coder().code(&a).is_empty());
}

#[test]
fn hostile_inputs_never_panic() {
    let long = "قصف ".repeat(20_000);
    let inputs = [
        "",
        "\n\n\n",
        "،،،،؛؛؛...",
        "١٢٣٤٥٦٧٨٩٠ 99999999999999999999999 قتيلاً",
        "\u{200f}\u{202e}قتل\u{0640}\u{0640}\u{064b}",
        "قُتل",
        long.as_str(),
        "اشتباكات في في في في",
    ];
    for t in inputs {
        let mut a = Article::from_text("x", t);
        a.published = Some("2024-03-10".parse().unwrap());
        let _ = coder().code(&a);
        let _ = coder().explain(&a, &Default::default());
    }
}
