//! The plain-text scrape cleaner on arbitrary text: never panics, and every
//! paragraph span cuts the body exactly.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let text = String::from_utf8_lossy(data);
    let meta = rasd_model::DocumentMeta::default();
    let a = rasd_extract::scrape::extract_scrape("fuzz", &text, &meta);
    let total = a.text.chars().count();
    for p in &a.paragraphs {
        assert!(p.span.start <= p.span.end && p.span.end <= total);
        assert!(!p.span.slice(&a.text).trim().is_empty());
    }
});
