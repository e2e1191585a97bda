//! The RSS/Atom parser and the charset decoder on arbitrary bytes: never panic.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let decoded = rasd_ingest::encoding::decode(data, None);
    let (feed, _problem) = rasd_ingest::feed::parse_feed(&decoded.text);
    for item in feed.items {
        assert!(item.body.len() <= decoded.text.len() * 4 + 16);
    }
});
