//! rasd-eval's JSON Lines reader and scorer on arbitrary bytes: an error or a
//! report, never a panic. The input is split in two at the first 0xFF byte: gold
//! and predictions.
#![no_main]
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let (gold, pred) = match data.iter().position(|b| *b == 0xff) {
        Some(i) => (&data[..i], &data[i + 1..]),
        None => (data, data),
    };
    let gold = String::from_utf8_lossy(gold);
    let pred = String::from_utf8_lossy(pred);
    if let (Ok(g), Ok(p)) = (
        rasd_eval::EventSet::parse(&gold, "gold"),
        rasd_eval::EventSet::parse(&pred, "pred"),
    ) {
        let report = rasd_eval::score(&g, &p);
        let _ = report.text(true, 100);
        let _ = report.json();
    }
});
