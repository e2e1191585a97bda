//! Print the resolved places of a text: `cargo run -p rasd-geo --example geocode_text -- "TEXT" [DATELINE]`.
use rasd_geo::{Gazetteer, Geocoder, ResolveContext};

fn main() {
    let mut args = std::env::args().skip(1);
    let text = args.next().unwrap_or_default();
    let ctx = ResolveContext {
        dateline: args.next(),
        country_hint: None,
    };
    let g = Gazetteer::bundled();
    for r in Geocoder::new(g).resolve(&text, &ctx) {
        let p = g.get(r.place);
        println!(
            "{:?}\t{}\t{}\t{:?}\t{}/{}/{}\t{:?}\t{:.2}/{:.2}\ttype={:?} near={:?} q={:?}",
            r.mention.range,
            r.mention.surface,
            p.id,
            r.role,
            p.admin1_ar.as_deref().unwrap_or("-"),
            p.admin2_ar.as_deref().unwrap_or("-"),
            p.admin3_ar.as_deref().unwrap_or("-"),
            r.precision,
            r.score,
            r.margin,
            r.mention.type_word,
            r.mention.near_word,
            r.qualifies
        );
    }
}
