//! The ACLED export sits beside an ACLED download: an export of the bundled samples,
//! appended to a table in ACLED's format (`fixtures/acled-format.csv`, rows written for
//! these tests), reads back with a strict CSV reader as one consistent table. Also:
//! ids stay the same from one export to the next, `--excel` writes a BOM and CRLF, the
//! Arabic names come after ACLED's columns, and the UCDP file holds only deadly
//! organised violence.

mod common;

use common::run as rasd;
use rasd_dedup::export::acled::{ARABIC_COLUMNS, COLUMNS};
use std::collections::HashSet;
use std::path::Path;

const SAMPLES: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/../../samples");
const FIXTURE: &str = include_str!("fixtures/acled-format.csv");

fn ok(out: std::process::Output) -> String {
    assert!(
        out.status.success(),
        "rasd failed: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8(out.stdout).expect("UTF-8 output")
}

fn ingest_samples(cwd: &Path) {
    ok(rasd(&["ingest", SAMPLES, "--db", "s.db"], cwd));
}

fn strict(text: &str) -> (Vec<String>, Vec<csv::StringRecord>) {
    let mut r = csv::ReaderBuilder::new()
        .flexible(false)
        .from_reader(text.as_bytes());
    let header = r.headers().unwrap().iter().map(String::from).collect();
    let rows = r
        .records()
        .enumerate()
        .map(|(i, row)| row.unwrap_or_else(|e| panic!("row {}: {e}", i + 2)))
        .collect();
    (header, rows)
}

const INTER: [&str; 8] = [
    "State forces",
    "Rebel group",
    "Political militia",
    "Identity militia",
    "Rioters",
    "Protesters",
    "Civilians",
    "External/Other forces",
];

/// The checks an analyst's script would make of a combined ACLED table.
fn assert_consistent(header: &[String], rows: &[csv::StringRecord]) {
    let col = |name: &str| header.iter().position(|h| h == name).unwrap();
    let mut ids = HashSet::new();
    for (i, r) in rows.iter().enumerate() {
        let line = i + 2;
        let get = |name: &str| r.get(col(name)).unwrap();
        assert!(
            ids.insert(get("event_id_cnty").to_string()),
            "line {line}: duplicate id"
        );
        assert!(get("event_id_cnty").starts_with("SYR"), "line {line}");
        let date: jiff::civil::Date = get("event_date").parse().unwrap();
        assert_eq!(get("year"), date.year().to_string(), "line {line}");
        assert!(
            ["1", "2", "3"].contains(&get("time_precision")),
            "line {line}"
        );
        assert!(
            ["1", "2", "3"].contains(&get("geo_precision")),
            "line {line}"
        );
        assert!(
            [
                "Political violence",
                "Demonstrations",
                "Political violence; Demonstrations",
                "Strategic developments"
            ]
            .contains(&get("disorder_type")),
            "line {line}: {}",
            get("disorder_type")
        );
        let inter1 = get("inter1");
        let inter2 = get("inter2");
        assert!(INTER.contains(&inter1), "line {line}: inter1 {inter1:?}");
        assert!(
            inter2.is_empty() || INTER.contains(&inter2),
            "line {line}: inter2 {inter2:?}"
        );
        let interaction = get("interaction");
        if inter2.is_empty() {
            assert_eq!(interaction, format!("{inter1} only"), "line {line}");
        } else {
            assert!(
                interaction == format!("{inter1}-{inter2}")
                    || interaction == format!("{inter2}-{inter1}"),
                "line {line}: {interaction:?} for {inter1:?}/{inter2:?}"
            );
        }
        let targeting = get("civilian_targeting");
        assert!(
            targeting.is_empty() || (targeting == "Civilian targeting" && inter2 == "Civilians"),
            "line {line}: civilian_targeting {targeting:?}"
        );
        assert_eq!(get("iso"), "760", "line {line}");
        assert_eq!(get("country"), "Syria", "line {line}");
        assert_eq!(get("region"), "Middle East", "line {line}");
        for name in ["admin1", "admin2", "admin3", "location", "actor1", "actor2"] {
            assert!(
                get(name).is_ascii(),
                "line {line}: {name} {:?} is not ASCII",
                get(name)
            );
        }
        assert!(
            !get("admin1").is_empty() && !get("location").is_empty(),
            "line {line}"
        );
        for name in ["latitude", "longitude"] {
            get(name)
                .parse::<f64>()
                .unwrap_or_else(|e| panic!("line {line}: {name}: {e}"));
        }
        get("fatalities")
            .parse::<u32>()
            .unwrap_or_else(|e| panic!("line {line}: fatalities: {e}"));
        get("timestamp")
            .parse::<i64>()
            .unwrap_or_else(|e| panic!("line {line}: timestamp: {e}"));
    }
}

#[test]
fn samples_append_to_an_acled_table() {
    let dir = tempfile::tempdir().unwrap();
    let cwd = dir.path();
    ingest_samples(cwd);

    // The fixture alone: ACLED's columns, every row strict.
    let (header, fixture_rows) = strict(FIXTURE);
    assert_eq!(header, COLUMNS.map(String::from));
    assert_consistent(&header, &fixture_rows);

    // The export with ACLED's columns only, appended without its header line.
    let export = ok(rasd(
        &[
            "export",
            "--format",
            "acled",
            "--db",
            "s.db",
            "--acled-columns-only",
        ],
        cwd,
    ));
    let (own_header, own_rows) = strict(&export);
    assert_eq!(own_header, header, "same columns, same order");
    assert!(own_rows.len() >= 5, "the samples give events: {export}");
    let body = export.split_once('\n').unwrap().1;
    let combined = format!("{FIXTURE}{body}");
    let (h, rows) = strict(&combined);
    assert_eq!(rows.len(), fixture_rows.len() + own_rows.len());
    assert_consistent(&h, &rows);

    // ACLED's names, not rasd's: no canonical-only state force names.
    let actors: Vec<&str> = own_rows.iter().flat_map(|r| [&r[7], &r[10]]).collect();
    assert!(!actors.contains(&"Syrian Government Forces"), "{actors:?}");

    // Ids are stable: a second export and a filtered one give the same ids.
    let again = ok(rasd(
        &[
            "export",
            "--format",
            "acled",
            "--db",
            "s.db",
            "--acled-columns-only",
        ],
        cwd,
    ));
    let ids = |t: &str| {
        strict(t)
            .1
            .iter()
            .map(|r| r[0].to_string())
            .collect::<Vec<_>>()
    };
    assert_eq!(ids(&export), ids(&again));
    let first_type = own_rows[0][5].to_string();
    let code = match first_type.as_str() {
        "Battles" => "battles",
        "Explosions/Remote violence" => "explosions_remote_violence",
        "Violence against civilians" => "violence_against_civilians",
        "Protests" => "protests",
        "Riots" => "riots",
        _ => "strategic_developments",
    };
    let filtered = ok(rasd(
        &[
            "export",
            "--format",
            "acled",
            "--db",
            "s.db",
            "--type",
            code,
            "--acled-columns-only",
        ],
        cwd,
    ));
    let all: HashSet<String> = ids(&export).into_iter().collect();
    let some = ids(&filtered);
    assert!(!some.is_empty() && some.len() <= all.len());
    assert!(some.iter().all(|i| all.contains(i)), "{some:?} ⊄ {all:?}");
}

#[test]
fn arabic_columns_excel_and_ucdp() {
    let dir = tempfile::tempdir().unwrap();
    let cwd = dir.path();
    ingest_samples(cwd);

    let export = ok(rasd(&["export", "--format", "acled", "--db", "s.db"], cwd));
    let (header, rows) = strict(&export);
    assert_eq!(header[..31], COLUMNS.map(String::from));
    assert_eq!(header[31..], ARABIC_COLUMNS.map(String::from));
    for r in &rows {
        assert!(r[21].is_ascii(), "location {:?}", &r[21]);
        assert!(
            r[31]
                .chars()
                .any(|c| ('\u{0600}'..='\u{06FF}').contains(&c)),
            "location_ar {:?}",
            &r[31]
        );
    }

    let excel = rasd(
        &["export", "--format", "acled", "--db", "s.db", "--excel"],
        cwd,
    );
    assert!(excel.status.success());
    let bytes = excel.stdout;
    assert!(
        bytes.starts_with("\u{FEFF}".as_bytes()),
        "a UTF-8 BOM first"
    );
    let text = std::str::from_utf8(&bytes[3..]).unwrap();
    assert!(text.lines().count() > 1);
    assert_eq!(
        text.matches("\r\n").count(),
        text.matches('\n').count(),
        "every line ends in CRLF"
    );
    assert_eq!(strict(text).1.len(), rows.len());

    let ucdp = ok(rasd(&["export", "--format", "ucdp", "--db", "s.db"], cwd));
    let (h, u) = strict(&ucdp);
    let col = |n: &str| h.iter().position(|x| x == n).unwrap();
    for r in &u {
        let best: u32 = r[col("best")].parse().unwrap();
        assert!(best >= 1, "GED holds deadly events only: {r:?}");
        assert!(["1", "2", "3"].contains(&&r[col("type_of_violence")]));
        let parts: u32 = ["deaths_a", "deaths_b", "deaths_civilians", "deaths_unknown"]
            .iter()
            .map(|n| r[col(n)].parse::<u32>().unwrap())
            .sum();
        assert_eq!(parts, best, "deaths by side add up to best: {r:?}");
        let low: u32 = r[col("low")].parse().unwrap();
        let high: u32 = r[col("high")].parse().unwrap();
        assert!(low <= best && best <= high);
    }
}
