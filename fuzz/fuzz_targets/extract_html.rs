//! The HTML extractor (and the kind sniffing in front of it) on arbitrary bytes:
//! never panic, spans always inside the text.
#![no_main]

use libfuzzer_sys::fuzz_target;
use rasd_model::{ContentKind, Origin, RawDocument};

fuzz_target!(|data: &[u8]| {
    for kind in [ContentKind::Html, ContentKind::Unknown] {
        let doc = RawDocument {
            doc_id: "fuzz".into(),
            origin: Origin::Inline,
            kind,
            bytes: data.to_vec(),
            meta: Default::default(),
        };
        if let Ok(a) = rasd_extract::extract(&doc) {
            let n = a.text.chars().count();
            for p in &a.paragraphs {
                assert!(p.span.start <= p.span.end && p.span.end <= n);
            }
        }
    }
});
