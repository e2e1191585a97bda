//! Dates: table tests over fictional sentences, and properties.

use jiff::civil::{Date, date};
use proptest::prelude::*;
use rasd_arabic::dates::{
    DateKind, find_dates, hijri_date, publication_day, zone, zone_for_country, zone_for_place,
};
use rasd_model::{DatePrecision, PublishedTime};

/// Tuesday 25 October 2022.
const PUB: Date = date(2022, 10, 25);

fn one(text: &str, published: Date) -> (String, Date, Date, DatePrecision) {
    let all = find_dates(text, published);
    assert_eq!(all.len(), 1, "{text}: {all:?}");
    let m = &all[0];
    (
        text[m.range.clone()].to_string(),
        m.start,
        m.end,
        m.precision,
    )
}

#[test]
fn day_expressions() {
    use DatePrecision::*;
    let cases: &[(&str, &str, Date, Date, DatePrecision)] = &[
        ("قتل شاب اليوم في البلدة", "اليوم", PUB, PUB, Day),
        ("قتل شاب صباح اليوم في البلدة", "صباح اليوم", PUB, PUB, Day),
        (
            "قتل شاب فجر اليوم الثلاثاء",
            "فجر اليوم الثلاثاء",
            PUB,
            PUB,
            Day,
        ),
        ("قتل شاب مساء اليوم", "مساء اليوم", PUB, PUB, Day),
        (
            "قتل شاب أمس",
            "أمس",
            date(2022, 10, 24),
            date(2022, 10, 24),
            Day,
        ),
        (
            "قتل شاب يوم أمس",
            "يوم أمس",
            date(2022, 10, 24),
            date(2022, 10, 24),
            Day,
        ),
        (
            "قتل شاب مساء أمس الإثنين",
            "مساء أمس الإثنين",
            date(2022, 10, 24),
            date(2022, 10, 24),
            Day,
        ),
        (
            "قتل شاب البارحة",
            "البارحة",
            date(2022, 10, 24),
            date(2022, 10, 24),
            Day,
        ),
        (
            "قتل شاب أمس الأول",
            "أمس الأول",
            date(2022, 10, 23),
            date(2022, 10, 23),
            Day,
        ),
        (
            "قتل شاب أول أمس",
            "أول أمس",
            date(2022, 10, 23),
            date(2022, 10, 23),
            Day,
        ),
        (
            "قتل شاب أول من أمس",
            "أول من أمس",
            date(2022, 10, 23),
            date(2022, 10, 23),
            Day,
        ),
        (
            "قتل شاب الليلة الماضية",
            "الليلة الماضية",
            date(2022, 10, 24),
            date(2022, 10, 24),
            Day,
        ),
        (
            "قتل شاب ليلة أمس",
            "ليلة أمس",
            date(2022, 10, 24),
            date(2022, 10, 24),
            Day,
        ),
        (
            "قتل شاب قبل يومين",
            "قبل يومين",
            date(2022, 10, 23),
            date(2022, 10, 23),
            Day,
        ),
        (
            "قتل شاب منذ ثلاثة أيام",
            "منذ ثلاثة أيام",
            date(2022, 10, 22),
            date(2022, 10, 22),
            Day,
        ),
        (
            "قتل شاب قبل 4 أيام",
            "قبل 4 أيام",
            date(2022, 10, 21),
            date(2022, 10, 21),
            Day,
        ),
        (
            "قتل شاب قبل يوم",
            "قبل يوم",
            date(2022, 10, 24),
            date(2022, 10, 24),
            Day,
        ),
        ("قتل شاب قبل ساعات", "قبل ساعات", PUB, PUB, Day),
        (
            "قتل شاب قبل أسبوع",
            "قبل أسبوع",
            date(2022, 10, 18),
            date(2022, 10, 18),
            Week,
        ),
        (
            "قتل شاب قبل أيام",
            "قبل أيام",
            date(2022, 10, 18),
            date(2022, 10, 24),
            Week,
        ),
        // Weekdays: «الماضي» is strictly before the publication day.
        (
            "بدأت الجمعة الماضية",
            "الجمعة الماضية",
            date(2022, 10, 21),
            date(2022, 10, 21),
            Day,
        ),
        (
            "بدأت الثلاثاء الماضي",
            "الثلاثاء الماضي",
            date(2022, 10, 18),
            date(2022, 10, 18),
            Day,
        ),
        (
            "بدأت الأربعاء الفائت",
            "الأربعاء الفائت",
            date(2022, 10, 19),
            date(2022, 10, 19),
            Day,
        ),
        (
            "بدأت الأحد المنصرم",
            "الأحد المنصرم",
            date(2022, 10, 23),
            date(2022, 10, 23),
            Day,
        ),
        (
            "بدأت يوم الجمعة",
            "يوم الجمعة",
            date(2022, 10, 21),
            date(2022, 10, 21),
            Day,
        ),
        ("بدأت الثلاثاء", "الثلاثاء", PUB, PUB, Day),
        ("بدأت يوم الثلاثاء", "يوم الثلاثاء", PUB, PUB, Day),
        (
            "قتل مساء السبت",
            "مساء السبت",
            date(2022, 10, 22),
            date(2022, 10, 22),
            Day,
        ),
        (
            "قتل فجر الإثنين",
            "فجر الإثنين",
            date(2022, 10, 24),
            date(2022, 10, 24),
            Day,
        ),
        (
            "ستبدأ الجمعة المقبلة",
            "الجمعة المقبلة",
            date(2022, 10, 28),
            date(2022, 10, 28),
            Day,
        ),
        (
            "ستبدأ الثلاثاء القادم",
            "الثلاثاء القادم",
            date(2022, 11, 1),
            date(2022, 11, 1),
            Day,
        ),
        (
            "منذ الجمعة الماضية",
            "الجمعة الماضية",
            date(2022, 10, 21),
            date(2022, 10, 21),
            Day,
        ),
        (
            "وقع ذلك والجمعة",
            "والجمعة",
            date(2022, 10, 21),
            date(2022, 10, 21),
            Day,
        ),
        // Explicit dates.
        ("وقع في 25/10/2022 هجوم", "25/10/2022", PUB, PUB, Day),
        ("وقع في 2022.10.25 هجوم", "2022.10.25", PUB, PUB, Day),
        ("وقع في 2022-10-25 هجوم", "2022-10-25", PUB, PUB, Day),
        ("وقع في ٢٥/١٠/٢٠٢٢ هجوم", "٢٥/١٠/٢٠٢٢", PUB, PUB, Day),
        (
            "وقع في 5/3/22 هجوم",
            "5/3/22",
            date(2022, 3, 5),
            date(2022, 3, 5),
            Day,
        ),
        (
            "وقع في 25 تشرين الأول 2022",
            "25 تشرين الأول 2022",
            PUB,
            PUB,
            Day,
        ),
        (
            "وقع في ٢٦ تشرين الأول ٢٠٢١",
            "٢٦ تشرين الأول ٢٠٢١",
            date(2021, 10, 26),
            date(2021, 10, 26),
            Day,
        ),
        (
            "وقع في 25 تشرين الأول/أكتوبر 2022",
            "25 تشرين الأول/أكتوبر 2022",
            PUB,
            PUB,
            Day,
        ),
        (
            "وقع في 25 أكتوبر/تشرين الأول 2022",
            "25 أكتوبر/تشرين الأول 2022",
            PUB,
            PUB,
            Day,
        ),
        (
            "وقع في 25 أكتوبر (تشرين الأول) 2022",
            "25 أكتوبر (تشرين الأول) 2022",
            PUB,
            PUB,
            Day,
        ),
        (
            "وقع في 3 كانون الثاني",
            "3 كانون الثاني",
            date(2022, 1, 3),
            date(2022, 1, 3),
            Day,
        ),
        (
            "وقع في 28 كانون الأول",
            "28 كانون الأول",
            date(2021, 12, 28),
            date(2021, 12, 28),
            Day,
        ),
        (
            "وقع في 1 شباط 2020",
            "1 شباط 2020",
            date(2020, 2, 1),
            date(2020, 2, 1),
            Day,
        ),
        (
            "وقع في 3 آذار 2019",
            "3 آذار 2019",
            date(2019, 3, 3),
            date(2019, 3, 3),
            Day,
        ),
        (
            "وقع في 14 نيسان 2018",
            "14 نيسان 2018",
            date(2018, 4, 14),
            date(2018, 4, 14),
            Day,
        ),
        (
            "وقع في 9 أيار 2017",
            "9 أيار 2017",
            date(2017, 5, 9),
            date(2017, 5, 9),
            Day,
        ),
        (
            "وقع في 30 حزيران 2016",
            "30 حزيران 2016",
            date(2016, 6, 30),
            date(2016, 6, 30),
            Day,
        ),
        (
            "وقع في 4 تموز 2015",
            "4 تموز 2015",
            date(2015, 7, 4),
            date(2015, 7, 4),
            Day,
        ),
        (
            "وقع في 21 آب 2013",
            "21 آب 2013",
            date(2013, 8, 21),
            date(2013, 8, 21),
            Day,
        ),
        (
            "وقع في 11 أيلول 2012",
            "11 أيلول 2012",
            date(2012, 9, 11),
            date(2012, 9, 11),
            Day,
        ),
        (
            "وقع في 7 تشرين الثاني 2020",
            "7 تشرين الثاني 2020",
            date(2020, 11, 7),
            date(2020, 11, 7),
            Day,
        ),
        (
            "وقع في 12 يناير 2021",
            "12 يناير 2021",
            date(2021, 1, 12),
            date(2021, 1, 12),
            Day,
        ),
        (
            "وقع في 12 فبراير 2021",
            "12 فبراير 2021",
            date(2021, 2, 12),
            date(2021, 2, 12),
            Day,
        ),
        (
            "وقع في 12 مارس 2021",
            "12 مارس 2021",
            date(2021, 3, 12),
            date(2021, 3, 12),
            Day,
        ),
        (
            "وقع في 12 أبريل 2021",
            "12 أبريل 2021",
            date(2021, 4, 12),
            date(2021, 4, 12),
            Day,
        ),
        (
            "وقع في 12 إبريل 2021",
            "12 إبريل 2021",
            date(2021, 4, 12),
            date(2021, 4, 12),
            Day,
        ),
        (
            "وقع في 12 مايو 2021",
            "12 مايو 2021",
            date(2021, 5, 12),
            date(2021, 5, 12),
            Day,
        ),
        (
            "وقع في 12 يونيو 2021",
            "12 يونيو 2021",
            date(2021, 6, 12),
            date(2021, 6, 12),
            Day,
        ),
        (
            "وقع في 12 يوليو 2021",
            "12 يوليو 2021",
            date(2021, 7, 12),
            date(2021, 7, 12),
            Day,
        ),
        (
            "وقع في 12 أغسطس 2021",
            "12 أغسطس 2021",
            date(2021, 8, 12),
            date(2021, 8, 12),
            Day,
        ),
        (
            "وقع في 12 سبتمبر 2021",
            "12 سبتمبر 2021",
            date(2021, 9, 12),
            date(2021, 9, 12),
            Day,
        ),
        (
            "وقع في 12 نوفمبر 2021",
            "12 نوفمبر 2021",
            date(2021, 11, 12),
            date(2021, 11, 12),
            Day,
        ),
        (
            "وقع في 12 ديسمبر 2021",
            "12 ديسمبر 2021",
            date(2021, 12, 12),
            date(2021, 12, 12),
            Day,
        ),
        (
            "وقع في 12 جانفي 2021",
            "12 جانفي 2021",
            date(2021, 1, 12),
            date(2021, 1, 12),
            Day,
        ),
        (
            "وقع في 12 فيفري 2021",
            "12 فيفري 2021",
            date(2021, 2, 12),
            date(2021, 2, 12),
            Day,
        ),
        (
            "قتل شاب فجر أمس",
            "فجر أمس",
            date(2022, 10, 24),
            date(2022, 10, 24),
            Day,
        ),
        (
            "قتل شاب وفجر أمس",
            "وفجر أمس",
            date(2022, 10, 24),
            date(2022, 10, 24),
            Day,
        ),
        (
            "قتل شاب ليل الجمعة",
            "ليل الجمعة",
            date(2022, 10, 21),
            date(2022, 10, 21),
            Day,
        ),
        (
            "وقع في 12 جوان 2021",
            "12 جوان 2021",
            date(2021, 6, 12),
            date(2021, 6, 12),
            Day,
        ),
        (
            "وقع في 12 أوت 2021",
            "12 أوت 2021",
            date(2021, 8, 12),
            date(2021, 8, 12),
            Day,
        ),
        (
            "وقع في 12 من تشرين الأول",
            "12 من تشرين الأول",
            date(2022, 10, 12),
            date(2022, 10, 12),
            Day,
        ),
        (
            "وقع في الخامس من آذار 2020",
            "الخامس من آذار 2020",
            date(2020, 3, 5),
            date(2020, 3, 5),
            Day,
        ),
        (
            "وقع في الحادي عشر من أيلول",
            "الحادي عشر من أيلول",
            date(2022, 9, 11),
            date(2022, 9, 11),
            Day,
        ),
        (
            "وقع في الخامس والعشرين من أيلول",
            "الخامس والعشرين من أيلول",
            date(2022, 9, 25),
            date(2022, 9, 25),
            Day,
        ),
        (
            "وقع في العشرين من أيلول",
            "العشرين من أيلول",
            date(2022, 9, 20),
            date(2022, 9, 20),
            Day,
        ),
        (
            "وقع في الأول من أيار",
            "الأول من أيار",
            date(2022, 5, 1),
            date(2022, 5, 1),
            Day,
        ),
        (
            "بين 20 و25 تشرين الأول",
            "20 و25 تشرين الأول",
            date(2022, 10, 20),
            PUB,
            Day,
        ),
        (
            "بين 20 و 25 تشرين الأول 2022",
            "20 و 25 تشرين الأول 2022",
            date(2022, 10, 20),
            PUB,
            Day,
        ),
        (
            "من 20 إلى 25 تشرين الأول",
            "20 إلى 25 تشرين الأول",
            date(2022, 10, 20),
            PUB,
            Day,
        ),
        (
            "خلال الفترة 20 - 25 تشرين الأول",
            "20 - 25 تشرين الأول",
            date(2022, 10, 20),
            PUB,
            Day,
        ),
        (
            "أمس الإثنين 24 تشرين الأول",
            "أمس الإثنين 24 تشرين الأول",
            date(2022, 10, 24),
            date(2022, 10, 24),
            Day,
        ),
        (
            "الخميس 20 تشرين الأول",
            "الخميس 20 تشرين الأول",
            date(2022, 10, 20),
            date(2022, 10, 20),
            Day,
        ),
        (
            "الأحد 23-10-2022",
            "الأحد 23-10-2022",
            date(2022, 10, 23),
            date(2022, 10, 23),
            Day,
        ),
        (
            "يوم 3 آذار",
            "يوم 3 آذار",
            date(2022, 3, 3),
            date(2022, 3, 3),
            Day,
        ),
        // Periods.
        (
            "خلال الأسبوع الماضي",
            "الأسبوع الماضي",
            date(2022, 10, 16),
            date(2022, 10, 22),
            Week,
        ),
        (
            "اندلعت مطلع الأسبوع",
            "مطلع الأسبوع",
            date(2022, 10, 23),
            date(2022, 10, 23),
            Week,
        ),
        (
            "اندلعت مطلع الأسبوع الجاري",
            "مطلع الأسبوع الجاري",
            date(2022, 10, 23),
            date(2022, 10, 23),
            Week,
        ),
        (
            "خلال الأسبوع الجاري",
            "الأسبوع الجاري",
            date(2022, 10, 23),
            PUB,
            Week,
        ),
        (
            "خلال الشهر الماضي",
            "الشهر الماضي",
            date(2022, 9, 1),
            date(2022, 9, 30),
            Month,
        ),
        (
            "منذ مطلع الشهر الجاري",
            "مطلع الشهر الجاري",
            date(2022, 10, 1),
            date(2022, 10, 10),
            Month,
        ),
        (
            "في أواخر الشهر الماضي",
            "أواخر الشهر الماضي",
            date(2022, 9, 21),
            date(2022, 9, 30),
            Month,
        ),
        (
            "منتصف الشهر الجاري",
            "منتصف الشهر الجاري",
            date(2022, 10, 11),
            date(2022, 10, 20),
            Month,
        ),
        (
            "خلال العام الماضي",
            "العام الماضي",
            date(2021, 1, 1),
            date(2021, 12, 31),
            Month,
        ),
        (
            "في أواخر العام 2014",
            "أواخر العام 2014",
            date(2014, 9, 1),
            date(2014, 12, 31),
            Month,
        ),
        (
            "في أواخر عام 2014",
            "أواخر عام 2014",
            date(2014, 9, 1),
            date(2014, 12, 31),
            Month,
        ),
        (
            "في مطلع 2019",
            "مطلع 2019",
            date(2019, 1, 1),
            date(2019, 4, 30),
            Month,
        ),
        (
            "منذ عام 2018",
            "عام 2018",
            date(2018, 1, 1),
            date(2018, 12, 31),
            Month,
        ),
        (
            "منذ صيف 2018",
            "صيف 2018",
            date(2018, 6, 1),
            date(2018, 8, 31),
            Month,
        ),
        (
            "في تشرين الأول 2021",
            "تشرين الأول 2021",
            date(2021, 10, 1),
            date(2021, 10, 31),
            Month,
        ),
        (
            "في شهر أيار",
            "أيار",
            date(2022, 5, 1),
            date(2022, 5, 31),
            Month,
        ),
        (
            "في مطلع آذار",
            "مطلع آذار",
            date(2022, 3, 1),
            date(2022, 3, 10),
            Month,
        ),
        (
            "خلال الساعات الأربع والعشرين الماضية",
            "خلال الساعات الأربع والعشرين الماضية",
            date(2022, 10, 24),
            PUB,
            Day,
        ),
        (
            "خلال الـ24 ساعة الماضية",
            "خلال الـ24 ساعة الماضية",
            date(2022, 10, 24),
            PUB,
            Day,
        ),
        (
            "خلال اليومين الماضيين",
            "خلال اليومين الماضيين",
            date(2022, 10, 23),
            PUB,
            Day,
        ),
        (
            "خلال الأيام الثلاثة الماضية",
            "خلال الأيام الثلاثة الماضية",
            date(2022, 10, 22),
            PUB,
            Day,
        ),
        ("خلال الساعات الماضية", "خلال الساعات الماضية", PUB, PUB, Day),
        // Hijri.
        (
            "في 1 رمضان 1443 هـ",
            "1 رمضان 1443 هـ",
            date(2022, 4, 2),
            date(2022, 4, 2),
            Day,
        ),
        (
            "في 10 ذو الحجة 1443",
            "10 ذو الحجة 1443",
            date(2022, 7, 9),
            date(2022, 7, 9),
            Day,
        ),
        (
            "في 29 ربيع الأول",
            "29 ربيع الأول",
            date(2022, 10, 25),
            date(2022, 10, 25),
            Day,
        ),
        // Diacritics and tatweel do not matter.
        (
            "قُتِلَ أَمْسِ",
            "أَمْسِ",
            date(2022, 10, 24),
            date(2022, 10, 24),
            Day,
        ),
        (
            "الجـمعة المـاضية",
            "الجـمعة المـاضية",
            date(2022, 10, 21),
            date(2022, 10, 21),
            Day,
        ),
    ];
    for (text, range, start, end, precision) in cases {
        let got = one(text, PUB);
        assert_eq!(got.0, *range, "range: {text}");
        assert_eq!((got.1, got.2), (*start, *end), "dates: {text}");
        assert_eq!(got.3, *precision, "precision: {text}");
    }
}

/// A month name with «الماضي/المقبل/الجاري» and no year: the last such month
/// before the publication month, the next one after it, or this year's.
#[test]
fn month_names_relative_to_publication() {
    use DatePrecision::Month;
    // PUB is 25 October 2022.
    let cases: &[(&str, &str, Date, Date)] = &[
        (
            "وفي أيلول الماضي اقتحمت الدورية الحي",
            "أيلول الماضي",
            date(2022, 9, 1),
            date(2022, 9, 30),
        ),
        (
            "منذ المعارك التي اندلعت في آب من العام الماضي",
            "آب من العام الماضي",
            date(2021, 8, 1),
            date(2021, 8, 31),
        ),
        (
            "وتصاعد التوتر في أيلول من العام الجاري",
            "أيلول من العام الجاري",
            date(2022, 9, 1),
            date(2022, 9, 30),
        ),
        (
            "جرت الانتخابات في تشرين الأول الماضي",
            "تشرين الأول الماضي",
            date(2021, 10, 1),
            date(2021, 10, 31),
        ),
        (
            "وقعت الحادثة كانون الأول الماضي",
            "كانون الأول الماضي",
            date(2021, 12, 1),
            date(2021, 12, 31),
        ),
        (
            "يبدأ الموسم آذار المقبل",
            "آذار المقبل",
            date(2023, 3, 1),
            date(2023, 3, 31),
        ),
        (
            "يصل الوفد في تشرين الثاني المقبل",
            "تشرين الثاني المقبل",
            date(2022, 11, 1),
            date(2022, 11, 30),
        ),
        (
            "قُتل في أيار الجاري أكثر من عشرة",
            "أيار الجاري",
            date(2022, 5, 1),
            date(2022, 5, 31),
        ),
        (
            "وخلال آب تراجعت الهجمات",
            "آب",
            date(2022, 8, 1),
            date(2022, 8, 31),
        ),
    ];
    for (text, span, start, end) in cases {
        let got = one(text, PUB);
        assert_eq!(got, (span.to_string(), *start, *end, Month), "{text}");
    }
}

#[test]
fn this_day_of_an_earlier_year() {
    let (span, start, end, _) = one("في مثل هذا اليوم من عام 2013 سقطت الصواريخ", PUB);
    assert_eq!(span, "اليوم من عام 2013");
    assert_eq!((start, end), (date(2013, 10, 25), date(2013, 10, 25)));
    let (_, start, _, _) = one("وفي مثل هذا اليوم 2019 دخلت القوات البلدة", PUB);
    assert_eq!(start, date(2019, 10, 25));
}

#[test]
fn not_dates() {
    for text in [
        "قتل 17 عنصراً",
        "اليوم التالي",
        "قال لـ«حوران اليوم» إن",
        "موقع \"سوريا اليوم\" الإخباري",
        "في اليوم نفسه",
        "يحيي الأهالي في مثل هذا اليوم ذكرى المجزرة",
        "مارس ضغوطاً كبيرة",
        "أكثر من 1.200 شخص",
        "الساعة 13:55",
        "رقم 12/40",
        "في 31/02/2022",
        "نسبة 2.5",
        "",
    ] {
        let got = find_dates(text, PUB);
        assert!(got.is_empty(), "{text}: {got:?}");
    }
}

#[test]
fn kinds_and_relative_flags() {
    let m = &find_dates("الجمعة الماضية", PUB)[0];
    assert_eq!((m.kind, m.relative), (DateKind::Weekday, true));
    let m = &find_dates("25/10/2022", PUB)[0];
    assert_eq!((m.kind, m.relative), (DateKind::Numeric, false));
    let m = &find_dates("25 تشرين الأول 2022", PUB)[0];
    assert_eq!((m.kind, m.relative), (DateKind::MonthName, false));
    let m = &find_dates("25 تشرين الأول", PUB)[0];
    assert_eq!((m.kind, m.relative), (DateKind::MonthName, true));
    let m = &find_dates("1 رمضان 1443", PUB)[0];
    assert_eq!(m.kind, DateKind::Hijri);
    let m = &find_dates("الأسبوع الماضي", PUB)[0];
    assert_eq!(m.kind, DateKind::RelativeWeek);
    let m = &find_dates("عام 2014", PUB)[0];
    assert_eq!((m.kind, m.relative), (DateKind::Year, false));
}

#[test]
fn several_mentions_in_order() {
    let text = "قتل شاب أمس، بعد هجوم وقع الجمعة الماضية، ونشر الخبر في 2022.10.25.";
    let got: Vec<Date> = find_dates(text, PUB).iter().map(|m| m.start).collect();
    assert_eq!(got, vec![date(2022, 10, 24), date(2022, 10, 21), PUB]);
}

#[test]
fn weekday_rules_for_every_publication_weekday() {
    // For each publication day of one week and each weekday name: the bare
    // name is on or before, «الماضي» strictly before, both within a week.
    let names = [
        "الأحد",
        "الإثنين",
        "الثلاثاء",
        "الأربعاء",
        "الخميس",
        "الجمعة",
        "السبت",
    ];
    for offset in 0..7 {
        let published = date(2023, 1, 1)
            .checked_add(jiff::Span::new().days(offset))
            .unwrap();
        for name in names {
            let bare = &find_dates(&format!("وقع {name}"), published)[0];
            let past = &find_dates(&format!("وقع {name} الماضي"), published)[0];
            assert!(bare.start <= published && published.since(bare.start).unwrap().get_days() < 7);
            assert!(past.start < published && published.since(past.start).unwrap().get_days() <= 7);
            assert_eq!(bare.start.weekday(), past.start.weekday());
            if bare.start != published {
                assert_eq!(bare.start, past.start);
            }
        }
    }
}

#[test]
fn hijri_conversion() {
    assert_eq!(hijri_date(1443, 9, 1), Ok(date(2022, 4, 2)));
    assert_eq!(hijri_date(1444, 1, 1), Ok(date(2022, 7, 30)));
    assert!(hijri_date(1444, 13, 1).is_err());
    assert!(hijri_date(1444, 1, 0).is_err());
}

#[test]
fn zones() {
    let name = |s: &str| zone_for_place(s).and_then(|z| z.iana_name().map(str::to_string));
    assert_eq!(name("دمشق").as_deref(), Some("Asia/Damascus"));
    assert_eq!(name("بدمشق").as_deref(), Some("Asia/Damascus"));
    assert_eq!(name("العاصمة دمشق").as_deref(), Some("Asia/Damascus"));
    assert_eq!(name("بغداد").as_deref(), Some("Asia/Baghdad"));
    assert_eq!(name("بيروت").as_deref(), Some("Asia/Beirut"));
    assert_eq!(name("صنعاء").as_deref(), Some("Asia/Aden"));
    assert_eq!(name("طرابلس").as_deref(), Some("Africa/Tripoli"));
    assert_eq!(name("عمّان").as_deref(), Some("Asia/Amman"));
    assert_eq!(name("إسطنبول").as_deref(), Some("Europe/Istanbul"));
    assert_eq!(name("القاهرة").as_deref(), Some("Africa/Cairo"));
    assert_eq!(name("غزة").as_deref(), Some("Asia/Gaza"));
    assert_eq!(name("الدوحة").as_deref(), Some("Asia/Qatar"));
    assert_eq!(name("تونس").as_deref(), Some("Africa/Tunis"));
    assert_eq!(name("موسكو").as_deref(), Some("Europe/Moscow"));
    assert_eq!(name("جنيف").as_deref(), Some("Europe/Zurich"));
    assert_eq!(name("Geneva").as_deref(), Some("Europe/Zurich"));
    assert_eq!(name("SY").as_deref(), Some("Asia/Damascus"));
    assert_eq!(name("iq").as_deref(), Some("Asia/Baghdad"));
    assert_eq!(name("الرقة").as_deref(), Some("Asia/Damascus"));
    assert_eq!(name("للرقة").as_deref(), Some("Asia/Damascus"));
    assert_eq!(name("مكان مجهول"), None);
    assert!(zone_for_country("XX").is_none());
    assert_eq!(zone("Asia/Aden").unwrap().iana_name(), Some("Asia/Aden"));
    assert_eq!(zone("حلب").unwrap().iana_name(), Some("Asia/Damascus"));
    assert!(matches!(
        zone("Nowhere/City"),
        Err(rasd_arabic::ArabicError::UnknownZone(_))
    ));
}

#[test]
fn publication_day_in_zone() {
    // 23:30 UTC on the 24th is already the 25th in Damascus (+03:00).
    let p: PublishedTime = "2022-10-24T23:30:00+00:00".parse().unwrap();
    let z = zone_for_country("SY").unwrap();
    assert_eq!(publication_day(&p, &z), date(2022, 10, 25));
    let p: PublishedTime = "2022-10-24".parse().unwrap();
    assert_eq!(publication_day(&p, &z), date(2022, 10, 24));
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(500))]

    #[test]
    fn never_panics_and_ranges_hold(s in any::<String>(), days in 0i64..40000) {
        let published = date(1950, 1, 1).checked_add(jiff::Span::new().days(days)).unwrap();
        let mut last = 0;
        for m in find_dates(&s, published) {
            prop_assert!(m.range.start >= last && m.range.end <= s.len() && m.range.start < m.range.end);
            prop_assert!(s.is_char_boundary(m.range.start) && s.is_char_boundary(m.range.end));
            prop_assert!(m.start <= m.end);
            last = m.range.end;
        }
    }

    #[test]
    fn arabic_soup_never_panics(s in "(أمس|اليوم|الجمعة|الماضية|قبل|منذ|يومين|ثلاثة|أيام|مطلع|الأسبوع|الشهر|العام|أواخر|2014|25|/|10|تشرين|الأول|رمضان|1443|هـ|و|من|إلى| ){0,20}") {
        let _ = find_dates(&s, PUB);
    }

    #[test]
    fn day_month_year_round_trip(y in 1950i16..2090, m in 1i8..=12, d in 1i8..=28) {
        let months = ["كانون الثاني", "شباط", "آذار", "نيسان", "أيار", "حزيران", "تموز", "آب", "أيلول", "تشرين الأول", "تشرين الثاني", "كانون الأول"];
        let text = format!("وقع ذلك في {d} {} {y} وانتهى", months[(m - 1) as usize]);
        let got = find_dates(&text, PUB);
        prop_assert_eq!(got.len(), 1);
        prop_assert_eq!(got[0].start, date(y, m, d));
        let numeric = format!("بتاريخ {d}/{m}/{y}");
        prop_assert_eq!(find_dates(&numeric, PUB)[0].start, date(y, m, d));
        let iso = format!("بتاريخ {y}-{m:02}-{d:02}");
        prop_assert_eq!(find_dates(&iso, PUB)[0].start, date(y, m, d));
    }
}

#[test]
fn relative_and_explicit_agree() {
    // Wednesday 26 January 2022: «أمس الثلاثاء 25 كانون الثاني» is one day.
    let published = date(2022, 1, 26);
    for text in [
        "قتل شاب أمس الثلاثاء 25 كانون الثاني",
        "قتل شاب أمس الثلاثاء (25 كانون الثاني/يناير)",
        "قتل شاب أمس الثلاثاء، 25 كانون الثاني 2022",
        "قتل شاب مساء أمس الثلاثاء 25-1-2022",
        "قتل شاب يوم الثلاثاء 25 كانون الثاني",
        "قتل شاب الثلاثاء الماضي 25 كانون الثاني",
    ] {
        let got = find_dates(text, published);
        assert_eq!(got.len(), 1, "{text}: {got:?}");
        assert_eq!(
            (got[0].start, got[0].end),
            (date(2022, 1, 25), date(2022, 1, 25)),
            "{text}"
        );
        assert!(
            text[got[0].range.clone()].ends_with(['ي', '2', ')', 'ر']),
            "{text}: {:?}",
            &text[got[0].range.clone()]
        );
    }
    // Across the new year: a December day without a year is last year's.
    let got = find_dates("وقع في 28 كانون الأول", date(2023, 1, 2));
    assert_eq!(got[0].start, date(2022, 12, 28));
    // «الجمعة الماضية» published on a Friday is a week back.
    let got = find_dates("بدأت الجمعة الماضية", date(2022, 10, 21));
    assert_eq!(got[0].start, date(2022, 10, 14));
    let got = find_dates("بدأت يوم الجمعة", date(2022, 10, 21));
    assert_eq!(got[0].start, date(2022, 10, 21));
}
