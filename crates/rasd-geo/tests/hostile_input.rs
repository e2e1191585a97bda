//! The geocoder never panics or hangs on bad input (run against the bundled gazetteer).

use rasd_geo::{Gazetteer, Geocoder, ResolveContext};

fn inputs() -> Vec<String> {
    let mut v: Vec<String> = vec![
        String::new(),
        " ".into(),
        "\u{0640}\u{0640}\u{0640}".into(),
        "\u{064B}\u{064C}\u{064D}\u{0651}".into(),
        "ب".into(),
        "لل".into(),
        "وللل".into(),
        "\u{200F}درعا\u{200E}".into(),
        "درعا".repeat(2000),
        "في ".repeat(3000),
        "ريف ريف ريف درعا الغربي الغربي".into(),
        "شمالي شمالي شمالي".into(),
        "(((درعا)))---جاسم///".into(),
        "ﻣﺪﻳﻨﺔ ﺟﺎﺳﻢ".into(), // presentation forms
        "١٢٣ درعا ٤٥٦".into(),
        "\u{0000}\u{FFFD}\u{FEFF}جاسم\u{0000}".into(),
        "🙂جاسم🙂".into(),
        "a".repeat(10_000),
        "جاسم".chars().rev().collect(),
    ];
    // Every prefix of a realistic sentence, cut at each char boundary.
    let s = "قُتل شاب بِجاسم شمالي درعا، وقصف على «بلدة الشجرة» بمنطقة حوض اليرموك ولدرعا وللرقة.";
    for (i, _) in s.char_indices() {
        v.push(s[..i].to_string());
        v.push(s[i..].to_string());
    }
    // Arbitrary bytes made valid.
    let mut x: u32 = 12345;
    for _ in 0..200 {
        let mut bytes = Vec::new();
        for _ in 0..64 {
            x = x.wrapping_mul(1_103_515_245).wrapping_add(12345);
            bytes.push((x >> 16) as u8);
        }
        v.push(String::from_utf8_lossy(&bytes).into_owned());
    }
    v
}

#[test]
fn never_panics_on_bad_input() {
    let geo = Geocoder::new(Gazetteer::bundled());
    let ctxs = [
        ResolveContext::default(),
        ResolveContext {
            dateline: Some("إسطنبول".into()),
            country_hint: Some("xx".into()),
        },
        ResolveContext {
            dateline: Some(String::new()),
            country_hint: Some(String::new()),
        },
    ];
    for text in inputs() {
        for ctx in &ctxs {
            for r in geo.resolve(&text, ctx) {
                assert!(
                    r.mention.range.start <= r.mention.range.end
                        && r.mention.range.end <= text.len()
                );
                assert!(
                    text.is_char_boundary(r.mention.range.start)
                        && text.is_char_boundary(r.mention.range.end)
                );
                let _ = r.to_location(Gazetteer::bundled(), &text);
            }
        }
        let _ = geo.find_mentions(&text);
        let _ = geo.resolve_name(&text);
        let _ = Gazetteer::bundled().lookup(&text);
    }
}

#[test]
fn bad_gazetteer_text_never_panics() {
    let header = "id\tkind\tcountry\tprecision\tname_ar\tvariants_ar\tname_en\tadmin1_ar\tadmin1_en\tadmin1_pcode\tadmin2_ar\tadmin2_en\tadmin2_pcode\tadmin3_ar\tadmin3_en\tadmin3_pcode\tlat\tlon\tpopulation\trank";
    for body in [
        "",
        "\t\t\t",
        "x\tlocality\tSY\t\tقرية\t\t\t\t\t\t\t\t\t\t\t\t99\t0\t\t",
        "x\tlocality\tSY\t\tقرية\t\t\t\t\t\t\t\t\t\t\t\tNaN\tinf\t\t",
        "x\tlocality\tsyria\t\tقرية\t\t\t\t\t\t\t\t\t\t\t\t1\t1\t\t",
        "x\tlocality\tSY\tsomewhere\tقرية\t\t\t\t\t\t\t\t\t\t\t\t1\t1\t\t",
        "x\tlocality\tSY",
        "x\tlocality\tSY\t\t\t\t\t\t\t\t\t\t\t\t\t\t1\t1\t\t",
    ] {
        let _ = Gazetteer::from_tsv(&format!("{header}\n{body}\n"));
    }
    let _ = Gazetteer::from_tsv("\u{FEFF}garbage\n\u{0}\u{1}");
}
