//! The geocoder on arbitrary text: never panics, spans stay inside the text; and the
//! gazetteer parser on arbitrary TSV: an error, never a panic. A TSV it accepts builds every
//! place on demand and serves a geocoder like the bundled one.
#![no_main]

use libfuzzer_sys::fuzz_target;
use rasd_geo::{Gazetteer, Geocoder, PlaceId, ResolveContext};

fn check(g: &Gazetteer, text: &str) {
    let ctx = ResolveContext {
        dateline: Some(text.chars().take(12).collect()),
        country_hint: None,
    };
    for r in Geocoder::new(g).resolve(text, &ctx) {
        assert!(r.mention.range.end <= text.len());
        assert!(
            text.is_char_boundary(r.mention.range.start)
                && text.is_char_boundary(r.mention.range.end)
        );
        let _ = r.to_location(g, text);
    }
}

fuzz_target!(|data: &[u8]| {
    let text = String::from_utf8_lossy(data);
    check(Gazetteer::bundled(), &text);
    if let Ok(g) = Gazetteer::from_tsv(&text) {
        for i in 0..g.len() {
            let p = g.get(PlaceId(i as u32));
            assert_eq!(
                g.by_id(&p.id).map(|id| g.get(id).id.as_str()),
                Some(p.id.as_str())
            );
        }
        check(&g, &text);
    }
});
