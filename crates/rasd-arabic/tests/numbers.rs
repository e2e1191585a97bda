//! Numbers: table tests and the full round trip through `to_words`.
#![allow(clippy::type_complexity)]

use rasd_arabic::numbers::{Approx, find_quantities, parse_number_words, to_words};
use rasd_model::Vague;

#[test]
fn number_words_table() {
    let cases: &[(&str, u64)] = &[
        ("صفر", 0),
        ("واحد", 1),
        ("واحدة", 1),
        ("اثنان", 2),
        ("اثنين", 2),
        ("اثنتان", 2),
        ("ثلاثة", 3),
        ("ثلاث", 3),
        ("ثلاثه", 3),
        ("أربعة", 4),
        ("اربع", 4),
        ("ثمانية", 8),
        ("ثماني", 8),
        ("ثمان", 8),
        ("عشرة", 10),
        ("عشر", 10),
        ("أحد عشر", 11),
        ("إحدى عشرة", 11),
        ("اثنا عشر", 12),
        ("اثني عشر", 12),
        ("اثنتا عشرة", 12),
        ("ثلاثة عشر", 13),
        ("ثلاث عشرة", 13),
        ("أربعة عشر", 14),
        ("تسعة عشر", 19),
        ("عشرون", 20),
        ("عشرين", 20),
        ("واحد وعشرون", 21),
        ("إحدى وعشرون", 21),
        ("اثنان وعشرون", 22),
        ("ثلاثة وخمسين", 53),
        ("خمسين", 50),
        ("ثلاثين", 30),
        ("تسعة وتسعون", 99),
        ("مئة", 100),
        ("مائة", 100),
        ("مئه", 100),
        ("مِئَة", 100),
        ("مئتان", 200),
        ("مائتين", 200),
        ("مئتا", 200),
        ("ثلاثمئة", 300),
        ("ثلاثمائة", 300),
        ("ثلاث مئة", 300),
        ("ثلاثمئة وخمسون", 350),
        ("ثمانمئة", 800),
        ("ثمانيمائة", 800),
        ("تسعمئة وتسعة وتسعون", 999),
        ("مئة وواحد", 101),
        ("ألف", 1000),
        ("ألفان", 2000),
        ("ألفين", 2000),
        ("ثلاثة آلاف", 3000),
        ("عشرة آلاف", 10000),
        ("أحد عشر ألفاً", 11000),
        ("عشرون ألفا", 20000),
        ("مئة ألف", 100_000),
        ("مئتا ألف", 200_000),
        ("مئة وخمسون ألفاً", 150_000),
        ("ثلاثة آلاف وخمسمئة", 3500),
        ("ألف ومئتان", 1200),
        ("ألفان وثلاثمئة واثنا عشر", 2312),
        ("تسعمئة وتسعة وتسعون ألفاً وتسعمئة وتسعة وتسعون", 999_999),
        ("خمسة آلاف و خمسمئة", 5500),
        ("مليون", 1_000_000),
        ("ثلاثة ملايين", 3_000_000),
        ("١٢", 12),
    ];
    for (s, v) in cases {
        assert_eq!(parse_number_words(s), Some(*v), "{s}");
    }
    for bad in ["", "قتل", "عشرات", "وعشرون", "ثلاثة رجال", "أحد", "مئة مئة"]
    {
        assert_eq!(parse_number_words(bad), None, "{bad}");
    }
}

#[test]
fn every_value_round_trips() {
    // Both genders, every value; split over threads to keep the debug run short.
    std::thread::scope(|s| {
        for feminine in [false, true] {
            for chunk in 0..2u64 {
                s.spawn(move || {
                    for n in chunk * 500_000..(chunk + 1) * 500_000 {
                        let w = to_words(n, feminine);
                        assert_eq!(parse_number_words(&w), Some(n), "{n} {feminine}: {w}");
                    }
                });
            }
        }
    });
}

#[test]
fn generator_spot_checks() {
    assert_eq!(to_words(3, false), "ثلاثة");
    assert_eq!(to_words(3, true), "ثلاث");
    assert_eq!(to_words(11, true), "إحدى عشرة");
    assert_eq!(to_words(21, false), "واحد وعشرون");
    assert_eq!(to_words(350, false), "ثلاثمئة وخمسون");
    assert_eq!(to_words(2000, false), "ألفان");
    assert_eq!(to_words(10_000, false), "عشرة آلاف");
    assert_eq!(to_words(200_000, false), "مئتا ألف");
    assert_eq!(to_words(150_000, false), "مئة وخمسون ألفاً");
}

fn q(
    text: &str,
) -> Vec<(
    String,
    Option<u64>,
    Option<Approx>,
    Option<Vague>,
    Option<String>,
)> {
    find_quantities(text)
        .into_iter()
        .map(|x| {
            (
                text[x.range.clone()].to_string(),
                x.value,
                x.approx,
                x.vague,
                x.noun.map(|r| text[r].to_string()),
            )
        })
        .collect()
}

fn one(
    text: &str,
) -> (
    String,
    Option<u64>,
    Option<Approx>,
    Option<Vague>,
    Option<String>,
) {
    let all = q(text);
    assert_eq!(all.len(), 1, "{text}: {all:?}");
    all.into_iter().next().unwrap()
}

#[test]
fn quantities_table() {
    use Approx::*;
    let cases: &[(
        &str,
        &str,
        Option<u64>,
        Option<Approx>,
        Option<Vague>,
        Option<&str>,
    )] = &[
        (
            "قتل 17 عنصراً من التنظيم",
            "17",
            Some(17),
            None,
            None,
            Some("عنصراً"),
        ),
        (
            "مقتل نحو 17 عنصراً",
            "نحو 17",
            Some(17),
            Some(About),
            None,
            Some("عنصراً"),
        ),
        ("أصيب ١٢ شخصاً", "١٢", Some(12), None, None, Some("شخصاً")),
        (
            "نزوح 1,200 عائلة",
            "1,200",
            Some(1200),
            None,
            None,
            Some("عائلة"),
        ),
        (
            "نزوح 1.200 عائلة",
            "1.200",
            Some(1200),
            None,
            None,
            Some("عائلة"),
        ),
        (
            "نزوح ١٬٢٠٠ عائلة",
            "١٬٢٠٠",
            Some(1200),
            None,
            None,
            Some("عائلة"),
        ),
        (
            "نزوح 10 آلاف شخص",
            "10 آلاف",
            Some(10_000),
            None,
            None,
            Some("شخص"),
        ),
        (
            "قتل ثلاثة مدنيين",
            "ثلاثة",
            Some(3),
            None,
            None,
            Some("مدنيين"),
        ),
        (
            "قتل ثلاثة وخمسين مدنياً",
            "ثلاثة وخمسين",
            Some(53),
            None,
            None,
            Some("مدنياً"),
        ),
        (
            "قتل أربعة عشر عنصراً",
            "أربعة عشر",
            Some(14),
            None,
            None,
            Some("عنصراً"),
        ),
        (
            "سقط قرابة ثلاثين قتيلاً",
            "قرابة ثلاثين",
            Some(30),
            Some(About),
            None,
            Some("قتيلاً"),
        ),
        (
            "سقط حوالي 40 قتيلاً",
            "حوالي 40",
            Some(40),
            Some(About),
            None,
            Some("قتيلاً"),
        ),
        (
            "سقط حوالى 40 قتيلاً",
            "حوالى 40",
            Some(40),
            Some(About),
            None,
            Some("قتيلاً"),
        ),
        (
            "مقتل أكثر من 50 شخصاً",
            "أكثر من 50",
            Some(50),
            Some(MoreThan),
            None,
            Some("شخصاً"),
        ),
        (
            "مقتل ما لا يقل عن 20 مدنياً",
            "ما لا يقل عن 20",
            Some(20),
            Some(AtLeast),
            None,
            Some("مدنياً"),
        ),
        (
            "عدد القتلى تجاوز 100 قتيل",
            "تجاوز 100",
            Some(100),
            Some(MoreThan),
            None,
            Some("قتيل"),
        ),
        (
            "مقتل 5 على الأقل",
            "5 على الأقل",
            Some(5),
            Some(AtLeast),
            None,
            None,
        ),
        (
            "مقتل 5 أشخاص على الأقل",
            "5",
            Some(5),
            Some(AtLeast),
            None,
            Some("أشخاص"),
        ),
        (
            "أقل من 10 إصابات",
            "أقل من 10",
            Some(10),
            Some(LessThan),
            None,
            Some("إصابات"),
        ),
        (
            "ما يصل إلى 30 شخصاً",
            "ما يصل إلى 30",
            Some(30),
            Some(UpTo),
            None,
            Some("شخصاً"),
        ),
        (
            "ارتفع بنحو 30 قتيلاً",
            "بنحو 30",
            Some(30),
            Some(About),
            None,
            Some("قتيلاً"),
        ),
        (
            "مقتل 4 من مقاتلي الفصائل",
            "4",
            Some(4),
            None,
            None,
            Some("مقاتلي"),
        ),
        (
            "إصابة عشرات المدنيين",
            "عشرات",
            None,
            None,
            Some(Vague::Dozens),
            Some("المدنيين"),
        ),
        (
            "وأصيب العشرات بجروح",
            "العشرات",
            None,
            None,
            Some(Vague::Dozens),
            None,
        ),
        (
            "اعتقال عدد من العناصر",
            "عدد من",
            None,
            None,
            Some(Vague::Several),
            Some("العناصر"),
        ),
        (
            "إصابة عدة أشخاص",
            "عدة",
            None,
            None,
            Some(Vague::Several),
            Some("أشخاص"),
        ),
        (
            "إصابة بعض المدنيين",
            "بعض",
            None,
            None,
            Some(Vague::Few),
            Some("المدنيين"),
        ),
        (
            "نزوح مئات العائلات",
            "مئات",
            None,
            None,
            Some(Vague::Hundreds),
            Some("العائلات"),
        ),
        (
            "نزوح آلاف العائلات",
            "آلاف",
            None,
            None,
            Some(Vague::Hundreds),
            Some("العائلات"),
        ),
        (
            "نزوح نحو عشرات العائلات",
            "نحو عشرات",
            None,
            Some(About),
            Some(Vague::Dozens),
            Some("العائلات"),
        ),
        ("مقتل شخصين", "شخصين", Some(2), None, None, Some("شخصين")),
        (
            "مقتل عنصرين من الفصائل",
            "عنصرين",
            Some(2),
            None,
            None,
            Some("عنصرين"),
        ),
        (
            "سقوط قذيفتين",
            "قذيفتين",
            Some(2),
            None,
            None,
            Some("قذيفتين"),
        ),
        (
            "مقتل طفلين اثنين",
            "طفلين اثنين",
            Some(2),
            None,
            None,
            Some("طفلين"),
        ),
        ("مقتل شخص واحد", "واحد", Some(1), None, None, Some("شخص")),
        (
            "قتلت امرأة واحدة",
            "واحدة",
            Some(1),
            None,
            None,
            Some("امرأة"),
        ),
        (
            "قتل اثنا عشر شخصاً",
            "اثنا عشر",
            Some(12),
            None,
            None,
            Some("شخصاً"),
        ),
        (
            "قتل مئة وخمسون شخصاً",
            "مئة وخمسون",
            Some(150),
            None,
            None,
            Some("شخصاً"),
        ),
        (
            "قتل ثلاثمئة وخمسون شخصاً",
            "ثلاثمئة وخمسون",
            Some(350),
            None,
            None,
            Some("شخصاً"),
        ),
        ("نزح ألفا شخص", "ألفا", Some(2000), None, None, Some("شخص")),
        (
            "نزح عشرة آلاف شخص",
            "عشرة آلاف",
            Some(10_000),
            None,
            None,
            Some("شخص"),
        ),
        (
            "أصيب بخمس رصاصات",
            "بخمس",
            Some(5),
            None,
            None,
            Some("رصاصات"),
        ),
        ("مقتل ٢٢ شخصاً", "٢٢", Some(22), None, None, Some("شخصاً")),
        (
            "قتل واحد وعشرون مدنياً",
            "واحد وعشرون",
            Some(21),
            None,
            None,
            Some("مدنياً"),
        ),
    ];
    for (text, range, value, approx, vague, noun) in cases {
        let got = one(text);
        assert_eq!(got.0, *range, "range: {text}");
        assert_eq!(got.1, *value, "value: {text}");
        assert_eq!(got.2, *approx, "approx: {text}");
        assert_eq!(got.3, *vague, "vague: {text}");
        assert_eq!(got.4.as_deref(), *noun, "noun: {text}");
    }
}

#[test]
fn not_counts() {
    for text in [
        "في 25/10/2022 وقع الهجوم",
        "بتاريخ 2022.10.25 وقع",
        "الساعة 13:55",
        "بنسبة 50%",
        "بنسبة 2.5",
        "منذ عام 2018",
        "في 25 تشرين الأول",
        "في 7 آب/أغسطس 2023",
        "في تشرين الأول 2022",
        "يوم 3 آذار",
        "لم يصب أحد بأذى",
        "قتل وأصيب",
    ] {
        assert!(q(text).is_empty(), "{text}: {:?}", q(text));
    }
}

#[test]
fn several_in_one_sentence() {
    let got = q("قتل 4 عناصر وأصيب سبعة آخرون واعتقل عدد من الشبان");
    let values: Vec<_> = got.iter().map(|x| (x.1, x.3)).collect();
    assert_eq!(
        values,
        vec![
            (Some(4), None),
            (Some(7), None),
            (None, Some(Vague::Several))
        ]
    );
}

#[test]
fn proclitics_on_digits_and_adjectival_one() {
    let got = q("وصلت إلى 32 قتيلاً و159 جريحاً");
    let got: Vec<_> = got
        .iter()
        .map(|x| (x.0.as_str(), x.1, x.4.as_deref()))
        .collect();
    assert_eq!(
        got,
        vec![
            ("32", Some(32), Some("قتيلاً")),
            ("159", Some(159), Some("جريحاً"))
        ]
    );
    let got = one("قدر العدد بـ123 شخصاً");
    assert_eq!(
        (got.0.as_str(), got.1, got.4.as_deref()),
        ("123", Some(123), Some("شخصاً"))
    );
    let got = one("قال إن شخصاً واحداً قُتل");
    assert_eq!(
        (got.0.as_str(), got.1, got.4.as_deref()),
        ("واحداً", Some(1), Some("شخصاً"))
    );
    let got = one("قتل واحد من العناصر");
    assert_eq!((got.1, got.4.as_deref()), (Some(1), Some("العناصر")));
    for text in [
        "في 7 آب/أغسطس 2023",
        "في تشرين الأول 2022",
        "© 2023 موقع ما",
        "محفوظة © 2022",
    ] {
        assert!(q(text).is_empty(), "{text}: {:?}", q(text));
    }
}

#[test]
fn more_markers_and_vague() {
    let cases: &[(&str, Option<u64>, Option<Approx>, Option<Vague>)] = &[
        ("قتل زهاء 30 شخصاً", Some(30), Some(Approx::About), None),
        ("قتل ما يقارب 30 شخصاً", Some(30), Some(Approx::About), None),
        ("قتل ما يناهز 30 شخصاً", Some(30), Some(Approx::About), None),
        (
            "قتل ما يزيد عن 30 شخصاً",
            Some(30),
            Some(Approx::MoreThan),
            None,
        ),
        (
            "قتل ما يزيد على 30 شخصاً",
            Some(30),
            Some(Approx::MoreThan),
            None,
        ),
        (
            "قتل أزيد من 30 شخصاً",
            Some(30),
            Some(Approx::MoreThan),
            None,
        ),
        (
            "قتل لا يقل عن 30 شخصاً",
            Some(30),
            Some(Approx::AtLeast),
            None,
        ),
        ("قتل حتى 30 شخصاً", Some(30), Some(Approx::UpTo), None),
        (
            "ارتفع العدد لأكثر من 30 شخصاً",
            Some(30),
            Some(Approx::MoreThan),
            None,
        ),
        ("قتل قرابة خمسين شخصاً", Some(50), Some(Approx::About), None),
        (
            "نزح عشرات الآلاف من السكان",
            None,
            None,
            Some(Vague::Hundreds),
        ),
        ("نزح مئات الآلاف من السكان", None, None, Some(Vague::Hundreds)),
        ("أصيب بضعة أشخاص", None, None, Some(Vague::Few)),
        ("اعتقل العديد من الشبان", None, None, Some(Vague::Several)),
        (
            "قتل نحو ثلاثمئة وخمسين شخصاً",
            Some(350),
            Some(Approx::About),
            None,
        ),
        ("أكثر من ٢٠٠ عائلة", Some(200), Some(Approx::MoreThan), None),
    ];
    for (text, value, approx, vague) in cases {
        let got = one(text);
        assert_eq!((got.1, got.2, got.3), (*value, *approx, *vague), "{text}");
    }
}

#[test]
fn duals() {
    for (text, noun) in [
        ("قتل مدنيان", "مدنيان"),
        ("أصيب مسلحان", "مسلحان"),
        ("قتيلان وجريح", "قتيلان"),
        ("لقي طفلان حتفهما", "طفلان"),
        ("سقطت قذيفتان", "قذيفتان"),
        ("منذ يومين", "يومين"),
        ("أصيبت امرأتان", "امرأتان"),
        ("استهدفت سيارتين", "سيارتين"),
    ] {
        let got = one(text);
        assert_eq!((got.1, got.4.as_deref()), (Some(2), Some(noun)), "{text}");
    }
    // Sound plurals in ين and words that only look dual.
    for text in [
        "قتل مدنيين",
        "اعتقل مسلحين",
        "في لبنان",
        "قال السكان",
        "أعلن بيان",
    ] {
        assert!(q(text).is_empty(), "{text}: {:?}", q(text));
    }
}
