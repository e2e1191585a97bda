//! The geocoder on arbitrary text: never panics, spans stay inside the text; and the
//! gazetteer parser on arbitrary TSV: an error, never a panic.
#![no_main]

use libfuzzer_sys::fuzz_target;
use rasd_geo::{Gazetteer, Geocoder, ResolveContext};

fuzz_target!(|data: &[u8]| {
    let text = String::from_utf8_lossy(data);
    let g = Gazetteer::bundled();
    let ctx = ResolveContext { dateline: Some(text.chars().take(12).collect()), country_hint: None };
    for r in Geocoder::new(g).resolve(&text, &ctx) {
        assert!(r.mention.range.end <= text.len());
        assert!(text.is_char_boundary(r.mention.range.start) && text.is_char_boundary(r.mention.range.end));
    }
    let _ = Gazetteer::from_tsv(&text);
});
