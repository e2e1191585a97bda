//! Hostile and malformed inputs: nothing panics, hangs or leaves bounds.

use jiff::civil::date;
use proptest::prelude::*;
use rasd_arabic::dates::find_dates;
use rasd_arabic::numbers::{find_quantities, parse_number_words};
use rasd_arabic::*;

fn bad_inputs() -> Vec<String> {
    vec![
        String::new(),
        "\u{0}\u{1}\u{7f}".to_string(),
        "\u{064B}".repeat(10_000),
        "ـ".repeat(10_000),
        "\u{200F}\u{202E}\u{2066}".repeat(3000),
        "9".repeat(5000),
        "٩".repeat(5000),
        "1,".repeat(2000),
        "1.".repeat(2000),
        "//--..".repeat(500),
        "«".repeat(5000),
        "»".repeat(5000),
        "\"".repeat(5001),
        ".".repeat(5000),
        "\n".repeat(5000),
        "مئة ".repeat(3000),
        "ألف ".repeat(3000),
        "و".repeat(5000),
        "تسعمئة وتسعة وتسعون ألفاً ".repeat(200),
        "مليون مليون مليون مليون مليون".to_string(),
        "99999999999999999999999 شخص".to_string(),
        "قبل 99999999999 يوماً".to_string(),
        "عام 9999".to_string(),
        "31/02/2022 00/00/0000 2022.13.40".to_string(),
        "1 رمضان 99999 هـ".to_string(),
        "ﷺ﷽ﻻﻵ".repeat(1000),
        "\u{FEFF}".repeat(1000),
        "a\u{0301}\u{0301}\u{0301}".repeat(1000),
        "١- ".repeat(2000),
        "• :".repeat(2000),
        "الجمعة الماضية ".repeat(1000),
        "للللللللللللللل".to_string(),
        "ال".to_string(),
    ]
}

#[test]
fn bad_inputs_never_panic() {
    for text in bad_inputs() {
        for published in [date(2022, 10, 25), date(1900, 1, 1), date(2100, 12, 31)] {
            let n = normalize(&text);
            assert!(n.to_original(n.text.len()) <= text.len());
            let _ = fold_loose(&text);
            for s in sentences(&text) {
                assert!(s.range.end <= text.len());
            }
            for w in words(&text) {
                let _ = clitic_analyses(w.text);
            }
            for q in find_quantities(&text) {
                assert!(q.range.end <= text.len());
            }
            let _ = parse_number_words(&text);
            for d in find_dates(&text, published) {
                assert!(d.range.end <= text.len() && d.start <= d.end);
            }
        }
    }
}

/// Long inputs that would expose quadratic work (each call must stay linear).
#[test]
fn long_inputs_stay_linear() {
    let published = date(2022, 10, 25);
    for text in [
        "وثلاثة ".repeat(20_000),
        "بخمس قذائف، ".repeat(10_000),
        "أمس الجمعة الماضية 25/10/2022 ".repeat(5_000),
        "قُتِلَ. ".repeat(20_000),
    ] {
        assert!(normalize(&text).text.len() <= text.len());
        assert!(!sentences(&text).is_empty());
        assert!(!words(&text).is_empty());
        let _ = find_quantities(&text);
        let _ = find_dates(&text, published);
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(500))]

    #[test]
    fn quantities_never_panic(s in any::<String>()) {
        let mut last = 0;
        for q in find_quantities(&s) {
            prop_assert!(q.range.start >= last && q.range.end <= s.len());
            prop_assert!(s.is_char_boundary(q.range.start) && s.is_char_boundary(q.range.end));
            last = q.range.start;
        }
    }

    #[test]
    fn number_soup_never_panics(s in "(واحد|اثنان|ثلاثة|عشر|عشرون|وعشرون|مئة|مئتا|ثلاثمئة|ألف|آلاف|ألفاً|مليون|و|نحو|أكثر|من|عدد|عشرات|شخصين|12|1,200|1.200| ){0,24}") {
        let _ = find_quantities(&s);
        let _ = parse_number_words(&s);
    }
}
