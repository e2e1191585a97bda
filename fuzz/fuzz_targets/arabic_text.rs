//! rasd-arabic over arbitrary text: normalisation, its offset map,
//! segmentation, clitics, numbers and dates must never panic, and every
//! range must stay inside the input.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let text = String::from_utf8_lossy(data);
    let n = rasd_arabic::normalize(&text);
    let mut prev = 0;
    for i in 0..=n.text.len() {
        let o = n.to_original(i);
        assert!(o >= prev && o <= text.len());
        prev = o;
    }
    for s in rasd_arabic::sentences(&text) {
        assert!(s.range.end <= text.len());
    }
    for w in rasd_arabic::words(&text) {
        for a in rasd_arabic::clitic_analyses(w.text) {
            assert_eq!(a.prefix.len() + a.stem.len() + a.suffix.len(), w.text.len());
        }
    }
    for q in rasd_arabic::numbers::find_quantities(&text) {
        assert!(q.range.end <= text.len());
    }
    let published = jiff::civil::date(2022, 10, 25);
    for d in rasd_arabic::dates::find_dates(&text, published) {
        assert!(d.range.end <= text.len() && d.start <= d.end);
    }
});
