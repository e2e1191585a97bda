//! Table tests and properties for normalisation, segmentation and clitics.

use proptest::prelude::*;
use rasd_arabic::*;

#[test]
fn fold_table() {
    let cases: &[(&str, &str)] = &[
        ("قُتِلَ", "قتل"),
        ("أحمد", "احمد"),
        ("إدلب", "ادلب"),
        ("آلاف", "الاف"),
        ("ٱلله", "الله"),
        ("مستشفى", "مستشفي"),
        ("ســـوريا", "سوريا"),
        ("٢٠٢٢", "2022"),
        ("۱۲۳", "123"),
        ("١٬٢٠٠", "1,200"),
        ("٢٫٥", "2.5"),
        ("٥٠٪", "50%"),
        ("  درعا \t\n  البلد ", "درعا البلد"),
        ("دير\u{00A0}الزور", "دير الزور"),
        ("حمص\u{200F}", "حمص"),
        ("\u{202B}حلب\u{202C}", "حلب"),
        ("\u{FEFF}حماة", "حماة"),
        ("حماة", "حماة"),
        ("ﻻ", "لا"),
        ("ﷲ", "الله"),
        ("ﺑﺴﻢ", "بسم"),
        ("ﺃ", "ا"),
        ("عنصراً", "عنصرا"),
        ("مئة", "مئة"),
        ("مسؤول", "مسؤول"),
        ("ی", "ي"),
        ("ک", "ك"),
        ("abc  DEF", "abc DEF"),
        ("", ""),
        ("   ", ""),
        ("\u{064B}", ""),
        ("قرية\u{200C}", "قرية"),
        ("a \u{200F} b", "a b"),
    ];
    for (input, want) in cases {
        assert_eq!(fold(input), *want, "fold({input:?})");
    }
}

#[test]
fn optional_folds() {
    let o = NormalizeOptions {
        fold_ta_marbuta: true,
        fold_hamza_carriers: false,
    };
    assert_eq!(normalize_with("مدينة حماة", &o).text, "مدينه حماه");
    let o = NormalizeOptions {
        fold_ta_marbuta: false,
        fold_hamza_carriers: true,
    };
    assert_eq!(normalize_with("مسؤول مئة", &o).text, "مسوول مية");
    assert_eq!(fold_loose("مائة شخصٍ"), "مايه شخص");
    assert_eq!(fold_loose("مِئَة"), "ميه");
}

#[test]
fn offsets_map_back() {
    let src = "قُتِلَ  شابٌ في «درعا» يوم ٢٥";
    let n = normalize(src);
    assert_eq!(n.text, "قتل شاب في «درعا» يوم 25");
    // Each normalised word maps back onto the same word in the original.
    for w in words(&n.text) {
        let r = n.original_range(w.range.clone());
        assert_eq!(
            fold(&src[r.clone()]),
            w.text,
            "{:?} -> {:?}",
            w.range,
            &src[r]
        );
    }
    let i = n.text.find("درعا").unwrap();
    let r = n.original_range(i..i + "درعا".len());
    assert_eq!(&src[r], "درعا");
    // The digits map to the Arabic-Indic digits.
    let i = n.text.find("25").unwrap();
    let r = n.original_range(i..i + 2);
    assert_eq!(&src[r], "٢٥");
    let r = n.original_range(i..i + 1);
    assert_eq!(&src[r], "٢");
    // A word with a trailing mark includes the mark.
    let i = n.text.find("شاب").unwrap();
    assert_eq!(&src[n.original_range(i..i + "شاب".len())], "شابٌ");
    // End of text.
    assert_eq!(n.to_original(n.text.len()), src.len());
    assert_eq!(n.to_original(0), 0);
}

#[test]
fn offsets_with_trimmed_whitespace() {
    let src = "  \u{200F} حلب  ";
    let n = normalize(src);
    assert_eq!(n.text, "حلب");
    assert_eq!(&src[n.original_range(0..n.text.len())], "حلب");
    let empty = normalize("   ");
    assert_eq!(empty.to_original(0), 0);
    assert_eq!(empty.original_range(0..0), 0..0);
}

#[test]
fn offsets_of_presentation_forms() {
    let src = "x ﻻ y";
    let n = normalize(src);
    assert_eq!(n.text, "x لا y");
    let i = n.text.find("لا").unwrap();
    assert_eq!(&src[n.original_range(i..i + "لا".len())], "ﻻ");
    // Half of the expansion maps to the whole source character.
    assert_eq!(&src[n.original_range(i..i + "ل".len())], "ﻻ");
}

#[test]
fn sentences_table() {
    let cases: &[(&str, &[&str])] = &[
        ("قتل شاب. وأصيب آخر.", &["قتل شاب.", "وأصيب آخر."]),
        ("هل انتهت الحملة؟ نعم!", &["هل انتهت الحملة؟", "نعم!"]),
        (
            "نشر في 2022.10.25 خبر عن القصف. ثم ماذا",
            &["نشر في 2022.10.25 خبر عن القصف.", "ثم ماذا"],
        ),
        (
            "بلغ العدد 1.200 شخص. وقال",
            &["بلغ العدد 1.200 شخص.", "وقال"],
        ),
        (
            "بلغ العدد ١٫٥ مليون. وقال",
            &["بلغ العدد ١٫٥ مليون.", "وقال"],
        ),
        (
            "وقال د. سامر الخطيب إن الوضع سيئ. وأضاف",
            &["وقال د. سامر الخطيب إن الوضع سيئ.", "وأضاف"],
        ),
        ("وصل م. خالد إلى المكان.", &["وصل م. خالد إلى المكان."]),
        (
            "انسحب المقاتلون من البلدة.وتقدمت القوات نحو التلال.",
            &["انسحب المقاتلون من البلدة.", "وتقدمت القوات نحو التلال."],
        ),
        ("وقال د.سامر إن الوضع سيئ.", &["وقال د.سامر إن الوضع سيئ."]),
        ("السطر الأول\nالسطر الثاني", &["السطر الأول", "السطر الثاني"]),
        ("سطر\r\n\r\nآخر", &["سطر", "آخر"]),
        (
            "قال: «انتهت الحملة. وعادت الحياة» ثم غادر. بعدها",
            &["قال: «انتهت الحملة. وعادت الحياة» ثم غادر.", "بعدها"],
        ),
        (
            "قال: «انتهت الحملة.» وأضاف آخر.",
            &["قال: «انتهت الحملة.»", "وأضاف آخر."],
        ),
        (
            "قال \"انتهى الأمر. تماما\" ثم سكت.",
            &["قال \"انتهى الأمر. تماما\" ثم سكت."],
        ),
        (
            "قال \"انتهى الأمر.\" ثم سكت.",
            &["قال \"انتهى الأمر.\"", "ثم سكت."],
        ),
        (
            "«اقتباس مفتوح. دون إغلاق\nسطر جديد.",
            &["«اقتباس مفتوح. دون إغلاق", "سطر جديد."],
        ),
        ("ماذا حدث؟! لا أحد يعلم...", &["ماذا حدث؟!", "لا أحد يعلم..."]),
        (
            "الموقع example.com يعمل. نعم",
            &["الموقع example.com يعمل.", "نعم"],
        ),
        (
            "جملة أولى، ثم تكملة؛ إذ قال آخرون.",
            &["جملة أولى، ثم تكملة؛ إذ قال آخرون."],
        ),
        ("  \n\n  ", &[]),
        ("", &[]),
        ("بلا نهاية", &["بلا نهاية"]),
        ("(قتل شخص.) ثم", &["(قتل شخص.)", "ثم"]),
        ("The U.S. said so. Then", &["The U.S. said so.", "Then"]),
        ("عام 2018. وفي", &["عام 2018.", "وفي"]),
        ("\u{200F}قتل شاب.\u{200F}", &["قتل شاب."]),
        (
            "١- بلدة ما (ريف حلب): قتل شاب. وأصيب آخر.\n٢- قرية: سقطت قذيفة.",
            &[
                "١- بلدة ما (ريف حلب):",
                "قتل شاب.",
                "وأصيب آخر.",
                "٢- قرية:",
                "سقطت قذيفة.",
            ],
        ),
        ("• حماة: قصف مدفعي", &["• حماة:", "قصف مدفعي"]),
        ("وقال: إن القصف مستمر.", &["وقال: إن القصف مستمر."]),
        ("2022.03.23 | 13:55 دمشق", &["2022.03.23 | 13:55 دمشق"]),
    ];
    for (input, want) in cases {
        let got: Vec<&str> = sentences(input).iter().map(|s| s.text(input)).collect();
        assert_eq!(&got, want, "sentences({input:?})");
    }
}

#[test]
fn line_credits() {
    let text = "وكالة ما/ قتل شاب اليوم.\nسطر عادي فيه أيلول/سبتمبر و 1/ 2.\nدمشق/ خبر آخر";
    let got: Vec<&str> = sentences(text).iter().map(|s| s.text(text)).collect();
    assert_eq!(
        got,
        vec![
            "وكالة ما/",
            "قتل شاب اليوم.",
            "سطر عادي فيه أيلول/سبتمبر و 1/ 2.",
            "دمشق/",
            "خبر آخر"
        ]
    );
}

#[test]
fn era_letters_end_sentences() {
    let text = "وقع ذلك عام 2018 م. وقال آخرون كذلك. وفي 1440 هـ. انتهى";
    let got: Vec<&str> = sentences(text).iter().map(|s| s.text(text)).collect();
    assert_eq!(
        got,
        vec![
            "وقع ذلك عام 2018 م.",
            "وقال آخرون كذلك.",
            "وفي 1440 هـ.",
            "انتهى"
        ]
    );
    let text = "قال م. خالد إن الوضع هادئ.";
    assert_eq!(sentences(text).len(), 1);
}

#[test]
fn words_table() {
    let cases: &[(&str, &[&str])] = &[
        ("قُتل شاب في درعا", &["قُتل", "شاب", "في", "درعا"]),
        ("لـ«حوران اليوم»", &["لـ", "حوران", "اليوم"]),
        (
            "بلغ 1,200 و١٬٢٠٠ و 2022.10.25.",
            &["بلغ", "1,200", "و١٬٢٠٠", "و", "2022.10.25"],
        ),
        ("25/10/2022", &["25", "10", "2022"]),
        ("ال-قاعدة", &["ال", "قاعدة"]),
        ("abc,def", &["abc", "def"]),
        ("5, 6", &["5", "6"]),
        ("ســوريا", &["ســوريا"]),
        ("", &[]),
        ("؟!،", &[]),
    ];
    for (input, want) in cases {
        let got: Vec<&str> = words(input).iter().map(|w| w.text).collect();
        assert_eq!(&got, want, "words({input:?})");
        for w in words(input) {
            assert_eq!(&input[w.range.clone()], w.text);
        }
    }
}

fn splits(word: &str) -> Vec<(String, String, String, bool)> {
    clitic_analyses(word)
        .into_iter()
        .map(|a| {
            (
                a.prefix.to_string(),
                a.stem.to_string(),
                a.suffix.to_string(),
                a.article,
            )
        })
        .collect()
}

fn has(word: &str, prefix: &str, stem: &str, suffix: &str) -> bool {
    clitic_analyses(word)
        .iter()
        .any(|a| a.prefix == prefix && a.stem == stem && a.suffix == suffix)
}

#[test]
fn clitics_table() {
    let cases: &[(&str, &str, &str, &str)] = &[
        ("بالقامشلي", "ب", "القامشلي", ""),
        ("بالقامشلي", "بال", "قامشلي", ""),
        ("لدرعا", "ل", "درعا", ""),
        ("ودرعا", "و", "درعا", ""),
        ("والرقة", "و", "الرقة", ""),
        ("وبالرقة", "وب", "الرقة", ""),
        ("وبالرقة", "وبال", "رقة", ""),
        ("للرقة", "لل", "رقة", ""),
        ("فالمدينة", "ف", "المدينة", ""),
        ("كالعادة", "ك", "العادة", ""),
        ("ولحلب", "ول", "حلب", ""),
        ("فبحمص", "فب", "حمص", ""),
        ("لـدرعا", "لـ", "درعا", ""),
        ("وَدرعا", "وَ", "درعا", ""),
        ("مدينته", "", "مدينت", "ه"),
        ("قادتها", "", "قادت", "ها"),
        ("عناصرهم", "", "عناصر", "هم"),
        ("وعناصرهم", "و", "عناصر", "هم"),
        ("سيقوم", "س", "يقوم", ""),
        ("وسيقوم", "وس", "يقوم", ""),
        ("أهالينا", "", "أهالي", "نا"),
        ("بلداتكم", "", "بلدات", "كم"),
    ];
    for (w, p, s, x) in cases {
        assert!(
            has(w, p, s, x),
            "{w}: want {p}+{s}+{x}, got {:?}",
            splits(w)
        );
    }
    // The unsplit word always comes first.
    for w in [
        "الرقة",
        "بصرى",
        "لبنان",
        "والرقة",
        "كفرنبل",
        "فلسطين",
        "ببيلا",
    ] {
        let a = clitic_analyses(w);
        assert!(a[0].is_whole() && a[0].stem == w, "{w}");
        for x in &a {
            assert_eq!(format!("{}{}{}", x.prefix, x.stem, x.suffix), w);
        }
    }
    // Short words are not split.
    assert_eq!(clitic_analyses("في").len(), 1);
    assert_eq!(clitic_analyses("بل").len(), 1);
    assert_eq!(clitic_analyses("").len(), 1);
}

#[test]
fn clitic_keys() {
    let keys = |w: &str| {
        clitic_analyses(w)
            .iter()
            .map(|a| a.key())
            .collect::<Vec<_>>()
    };
    assert!(keys("للرقة").contains(&"الرقة".to_string()));
    assert!(keys("للاذقية").contains(&"اللاذقية".to_string()));
    assert!(keys("ولللاذقية").len() > 1);
    assert!(keys("بالقامشلي").contains(&"القامشلي".to_string()));
    assert!(keys("مدينته").contains(&"مدينة".to_string()));
    assert!(keys("وقريتها").contains(&"قرية".to_string()));
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(2000))]

    #[test]
    fn fold_is_idempotent(s in "\\PC*") {
        let f = fold(&s);
        prop_assert_eq!(fold(&f), f.clone());
        let l = fold_loose(&s);
        prop_assert_eq!(fold_loose(&l), l);
    }

    #[test]
    fn fold_is_idempotent_arabic(s in "[\u{0600}-\u{06FF}\u{FB50}-\u{FDFF}\u{FE70}-\u{FEFF} \n\u{200B}-\u{200F}a-z0-9.]{0,40}") {
        let f = fold(&s);
        prop_assert_eq!(fold(&f), f);
    }

    #[test]
    fn offset_map_monotone_in_bounds(s in any::<String>()) {
        check_map(&s);
    }

    #[test]
    fn offset_map_monotone_arabic(s in "[\u{0600}-\u{06FF}\u{FB50}-\u{FDFF}\u{FE70}-\u{FEFF} \t\n\u{00A0}\u{200B}-\u{200F}\u{202A}-\u{202E}a-z0-9.,]{0,60}") {
        check_map(&s);
    }

    #[test]
    fn segmentation_in_bounds(s in any::<String>()) {
        let mut last = 0;
        for x in sentences(&s) {
            prop_assert!(x.range.start >= last && x.range.start < x.range.end && x.range.end <= s.len());
            prop_assert!(s.is_char_boundary(x.range.start) && s.is_char_boundary(x.range.end));
            last = x.range.end;
        }
        let mut last = 0;
        for w in words(&s) {
            prop_assert!(w.range.start >= last && w.range.start < w.range.end);
            last = w.range.end;
            for a in clitic_analyses(w.text) {
                prop_assert_eq!(format!("{}{}{}", a.prefix, a.stem, a.suffix), w.text);
            }
        }
    }

    #[test]
    fn segmentation_arabic(s in "[\u{0600}-\u{06FF} .!؟«»\"\n0-9]{0,80}") {
        let mut last = 0;
        for x in sentences(&s) {
            prop_assert!(x.range.start >= last && x.range.end <= s.len());
            last = x.range.end;
        }
    }
}

#[test]
fn from_original_inverts_to_original() {
    let src = "قُتِلَ  شابٌ في ٢٥ «درعا»";
    let n = normalize(src);
    for (i, _) in n.text.char_indices() {
        let o = n.to_original(i);
        let back = n.from_original(o);
        assert!(back <= i, "{i} -> {o} -> {back}");
    }
    let o = src.find("درعا").unwrap();
    assert_eq!(
        &n.text[n.from_original(o)..n.from_original(o + "درعا".len())],
        "درعا"
    );
    assert_eq!(n.from_original(src.len()), n.text.len());
}

fn check_map(s: &str) {
    for opts in [NormalizeOptions::default(), NormalizeOptions::LOOSE] {
        let n = normalize_with(s, &opts);
        let mut prev = 0;
        for i in 0..=n.text.len() {
            let o = n.to_original(i);
            assert!(o <= s.len(), "{s:?}: {i} -> {o}");
            assert!(o >= prev, "{s:?}: not monotone at {i}");
            assert!(n.to_original_end(i) >= o && n.to_original_end(i) <= s.len());
            prev = o;
        }
        for (i, _) in n.text.char_indices() {
            assert!(s.is_char_boundary(n.to_original(i)));
            assert!(s.is_char_boundary(n.to_original_end(i)));
        }
        let mut prev = 0;
        for o in 0..=s.len() {
            let back = n.from_original(o);
            assert!(
                back >= prev && back <= n.text.len(),
                "{s:?}: from_original not monotone at {o}"
            );
            prev = back;
        }
        let all = n.original_range(0..n.text.len());
        assert!(all.start <= all.end && all.end <= s.len());
    }
}
