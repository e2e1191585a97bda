//! rasd-dedup's inputs: article bodies (fingerprints, near-duplicate look-up), actor
//! kind tables (TSV), stored incident lines (JSONL), and source events (JSON) through
//! clustering, merged records and every export writer. None may panic.
#![no_main]

use libfuzzer_sys::fuzz_target;
use rasd_dedup::export::{self, ExportOptions, Format};
use rasd_dedup::{ActorKindTable, IncidentIndex, NearDupIndex, SourceEvent};

fuzz_target!(|data: &[u8]| {
    let text = String::from_utf8_lossy(data);
    let mut dups = NearDupIndex::new();
    let half = text.len() / 2;
    let cut = (0..=half).rev().find(|&i| text.is_char_boundary(i)).unwrap_or(0);
    dups.insert("a", &text[..cut]);
    dups.insert("b", &text[cut..]);
    dups.insert("c", &text);
    let _ = ActorKindTable::from_tsv(&text, "fuzz.tsv");
    let _ = export::jsonl::read(&text, "fuzz.jsonl");
    let mut index = IncidentIndex::new();
    for line in text.lines() {
        if let Ok(source) = serde_json::from_str::<SourceEvent>(line) {
            index.insert(source);
        }
    }
    let records: Vec<_> = index.incidents().filter_map(|i| i.record()).collect();
    for format in [Format::Acled, Format::Ucdp, Format::Geojson, Format::Jsonl] {
        let _ = export::write(format, &records, &ExportOptions::default(), std::io::sink());
    }
});
