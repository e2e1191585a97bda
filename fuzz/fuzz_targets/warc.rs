//! The streaming WARC reader on arbitrary bytes: never panics, never loops.
#![no_main]

use libfuzzer_sys::fuzz_target;
use std::io::BufReader;
use std::path::PathBuf;

fuzz_target!(|data: &[u8]| {
    let docs = rasd_ingest::warc::WarcDocuments::new(
        BufReader::new(data),
        PathBuf::from("fuzz.warc"),
        "fuzz".into(),
        false,
        1 << 20,
    );
    for d in docs.take(10_000) {
        if let Ok(d) = d {
            assert!(d.doc_id.starts_with("fuzz"));
        }
    }
});
