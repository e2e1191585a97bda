//! Scrape cleaner tests: fictional fixtures (snapshots) and the shared dev corpus
//! (title, published time and dateline on every scrape; skipped when absent).

use super::*;
use rasd_model::DocumentMeta;

fn run(name: &str, text: &str) -> Article {
    extract_scrape(name, text, &DocumentMeta::default())
}

fn fixture(name: &str) -> String {
    let path = format!(
        "{}/src/scrape/fixtures/{name}.txt",
        env!("CARGO_MANIFEST_DIR")
    );
    std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{path}: {e}"))
}

/// Spans must cut the text exactly into its paragraphs.
fn check_spans(a: &Article) {
    let lines: Vec<&str> = a.text.split('\n').collect();
    assert_eq!(lines.len(), a.paragraphs.len().max(1).min(lines.len()));
    for (p, line) in a.paragraphs.iter().zip(&lines) {
        assert_eq!(p.span.slice(&a.text), *line);
    }
}

macro_rules! snapshot_fixture {
    ($test:ident, $name:literal) => {
        #[test]
        fn $test() {
            let a = run($name, &fixture($name));
            check_spans(&a);
            insta::assert_json_snapshot!($name, a);
        }
    };
}

snapshot_fixture!(live_widget_page, "live-widget");
snapshot_fixture!(menu_portal_page, "menu-portal");
snapshot_fixture!(wire_story, "wire");
snapshot_fixture!(telegram_channel, "telegram");
snapshot_fixture!(daily_roundup, "daily");
snapshot_fixture!(breadcrumb_wire_page, "breadcrumb-wire");
snapshot_fixture!(spaced_menu_page, "spaced-menu");

#[test]
fn breadcrumb_masthead_and_glued_wire_dateline() {
    let a = run("x", &fixture("breadcrumb-wire"));
    assert_eq!(
        a.title.as_deref(),
        Some("إعادة فتح جسر المشاة قرب سوق الخضار بعد صيانته")
    );
    assert_eq!(a.dateline.as_deref(), Some("اللاذقية"));
    assert!(a.text.starts_with("أعادت البلدية"), "{}", a.text);
    assert!(!a.text.contains("س.ح"), "{}", a.text);
    assert_eq!(
        a.published.unwrap().to_string(),
        "2021-03-17T11:20:00+02:00"
    );
}

#[test]
fn spaced_menu_counter_and_outlet_dateline() {
    let a = run("x", &fixture("spaced-menu"));
    assert_eq!(
        a.title.as_deref(),
        Some("مهرجان للكتاب المستعمل في ساحة العاصي يجذب مئات الزوار")
    );
    assert_eq!(a.dateline.as_deref(), Some("حماة"));
    assert!(a.text.starts_with("نظمت جمعية"), "{}", a.text);
}

#[test]
fn glued_wire_dateline_in_first_paragraph() {
    let (place, _, start) =
        inline_dateline("بانياس-وكالة الموج: وصلت سفينة محملة بالقمح إلى الميناء.").unwrap();
    assert_eq!(place, "بانياس");
    assert!(inline_dateline("قال إن الطريق بين حمص-حماة مغلق: لا أحد يعبر").is_none());
    assert!(is_initials_row("ع.س / م.ك"));
    assert!(!is_initials_row("ق.م. 300"));
    let _ = start;
}

#[test]
fn live_widget_fields() {
    let a = run("x", &fixture("live-widget"));
    assert_eq!(
        a.title.as_deref(),
        Some("افتتاح سوق شعبي جديد في حي الميدان بعد ترميم استمر عامين")
    );
    assert_eq!(
        a.published.unwrap().to_string(),
        "2023-04-11T10:25:00+03:00"
    );
    assert_eq!(a.dateline.as_deref(), Some("دمشق"));
    assert_eq!(
        a.caption.as_deref(),
        Some("باعة يرتبون بضائعهم في السوق الجديدة")
    );
    assert_eq!(a.paragraphs.len(), 4);
    assert_eq!(a.subheadings, ["ماذا يقول السكان؟"]);
    assert!(!a.text.contains("اقرأ"));
    assert!(!a.text.contains("حجم الخط"));
}

#[test]
fn menu_portal_fields() {
    let a = run("x", &fixture("menu-portal"));
    assert_eq!(a.dateline.as_deref(), Some("اللاذقية"));
    assert_eq!(
        a.published.unwrap().to_string(),
        "2023-10-12T08:15:00+03:00"
    );
    assert_eq!(a.paragraphs.len(), 2);
    assert!(!a.text.contains("سامر"));
}

#[test]
fn wire_fields() {
    let a = run("x", &fixture("wire"));
    assert_eq!(a.title, None);
    assert_eq!(a.dateline.as_deref(), Some("البصرة"));
    assert_eq!(a.published.unwrap().to_string(), "2024-01-04");
    assert!(a.text.starts_with("أعلنت مديرية الزراعة"));
    assert!(!a.text.contains("انتهى"));
}

#[test]
fn telegram_fields() {
    let a = run("x", &fixture("telegram"));
    assert_eq!(a.title, None);
    assert_eq!(a.published, None);
    assert_eq!(a.dateline.as_deref(), Some("حماة"));
    assert_eq!(a.paragraphs.len(), 2);
    assert!(a.text.starts_with("انقطاع التيار"));
    assert!(!a.text.contains('#') && !a.text.contains("🕐"));
}

#[test]
fn daily_fields() {
    let a = run("x", &fixture("daily"));
    assert_eq!(a.title.as_deref(), Some("النشرة المسائية"));
    assert_eq!(
        a.published.unwrap().to_string(),
        "2024-06-05T20:45:00+03:00"
    );
    assert_eq!(a.dateline, None);
    assert_eq!(a.paragraphs.len(), 3);
    assert!(a.text.contains("\nخان أرنبة:"));
    assert!(!a.text.contains("للاشتراك"));
}

#[test]
fn manifest_time_wins() {
    let meta = DocumentMeta {
        published: Some("2023-04-12T09:00:00+03:00".parse().unwrap()),
        from_manifest: true,
        ..DocumentMeta::default()
    };
    let a = extract_scrape("x", &fixture("live-widget"), &meta);
    assert_eq!(
        a.published.unwrap().to_string(),
        "2023-04-12T09:00:00+03:00"
    );
    let meta = DocumentMeta {
        from_manifest: false,
        ..meta
    };
    let a = extract_scrape("x", &fixture("live-widget"), &meta);
    assert_eq!(
        a.published.unwrap().to_string(),
        "2023-04-11T10:25:00+03:00"
    );
}

#[test]
fn hostile_inputs_do_not_panic() {
    let long_line = "كلمة ".repeat(50_000);
    let inputs = [
        String::new(),
        "\n\n\n".to_string(),
        "|||| - - - ||| ©".to_string(),
        "(".repeat(500) + ")" + &"-".repeat(300),
        long_line,
        "2022.13.45 | 99:99 دمشق\n31 شباط 2023\n".to_string(),
        "\u{200f}\u{fe0f}🔴\n🔴 |\n| 🔴".to_string(),
        "دمشق، (".to_string(),
        "x".repeat(10) + "\u{0}\u{1}\u{2}",
    ];
    for s in &inputs {
        let a = run("x", s);
        check_spans(&a);
    }
}

/// A bundled sample ends in share buttons written one per line («فيسبوك», «تويتر»,
/// «واتساب», «تلغرام»); none of them is article text.
#[test]
fn share_buttons_one_per_line_are_chrome() {
    let path = concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../../samples/horan-tafas-clashes.txt"
    );
    let text = std::fs::read_to_string(path).unwrap_or_else(|e| panic!("{path}: {e}"));
    let a = run("horan-tafas-clashes", &text);
    check_spans(&a);
    for word in ["فيسبوك", "تويتر", "واتساب", "تلغرام"] {
        assert!(
            !a.text.lines().any(|l| l.trim() == word),
            "{word:?} left in the article:\n{}",
            a.text
        );
    }
    assert!(a.text.contains("صيف عام 2021"), "the last paragraph stays");
}

#[test]
fn spans_hold_on_generated_text() {
    use proptest::prelude::*;
    let mut runner = proptest::test_runner::TestRunner::new(ProptestConfig::with_cases(300));
    let line = prop::sample::select(vec![
        "",
        "icon",
        "حجم الخط",
        "2022.03.04 | 11:00 حلب",
        "درعا - خاص",
        "عنوان قصير للخبر هنا",
        "وقال مسؤول محلي إن الأعمال ستستمر حتى نهاية الشهر المقبل في المنطقة.",
        "اقرأ أيضاً",
        "فيسبوك تويتر واتساب",
        "© 2022",
        "🔴 عاجل | حمص",
        "#وسم",
    ]);
    runner
        .run(&prop::collection::vec(line, 0..30), |ls| {
            let a = run("p", &ls.join("\n"));
            check_spans(&a);
            prop_assert!(a.text.lines().all(|l| !l.trim().is_empty()));
            Ok(())
        })
        .unwrap();
}

/// The dev corpus: title, published time (local date and time) and dateline right on
/// every scrape; the body is scored with `score_extraction.py` (see the crate docs).
#[test]
fn dev_scrapes_metadata() {
    let dir = concat!(env!("CARGO_MANIFEST_DIR"), "/../../../shared/corpus/dev");
    let gold_path = format!("{dir}/extraction.json");
    let Ok(gold) = std::fs::read_to_string(&gold_path) else {
        eprintln!("skipping: {gold_path} is absent");
        return;
    };
    let gold: serde_json::Value = serde_json::from_str(&gold).unwrap();
    let mut failures = Vec::new();
    let mut out = String::new();
    let mut docs: Vec<_> = std::fs::read_dir(format!("{dir}/docs"))
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|e| e == "txt"))
        .collect();
    docs.sort();
    for path in docs {
        let id = path.file_stem().unwrap().to_string_lossy().to_string();
        let text = std::fs::read_to_string(&path).unwrap();
        let a = run(&id, &text);
        check_spans(&a);
        let g = &gold[&id];
        let want_title = g["title"].as_str().unwrap_or("");
        let want_pub = g["published"].as_str().unwrap_or("");
        let want_dl = g["dateline"].as_str().unwrap_or("");
        let got_title = a.title.clone().unwrap_or_default();
        let got_pub = a.published.map(|p| p.to_string()).unwrap_or_default();
        let got_dl = a.dateline.clone().unwrap_or_default();
        if got_title != want_title {
            failures.push(format!("{id} title: {got_title:?} != {want_title:?}"));
        }
        // The gold gives local date and time, with an offset only where the page does.
        if !got_pub.starts_with(want_pub) || got_pub.is_empty() != want_pub.is_empty() {
            failures.push(format!("{id} published: {got_pub:?} !~ {want_pub:?}"));
        }
        if got_dl != want_dl {
            failures.push(format!("{id} dateline: {got_dl:?} != {want_dl:?}"));
        }
        out.push_str(&serde_json::json!({"id": id, "text": a.text}).to_string());
        out.push('\n');
    }
    if let Ok(p) = std::env::var("RASD_SCRAPE_PRED") {
        std::fs::write(p, out).unwrap();
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

#[test]
fn line_classes() {
    use LineClass::*;
    for (line, want) in [
        ("", Blank),
        ("icon", Chrome),
        ("+A", Chrome),
        ("حجم الخط  A+  A-", Chrome),
        ("شارك: Facebook | X | WhatsApp", Share),
        ("فيسبوك  تويتر  واتساب", Share),
        ("فيسبوك", Share),
        ("تلغرام", Share),
        ("WhatsApp", Share),
        ("📢 تابعونا على تلغرام: قناة الوادي", Share),
        ("اقرأ أيضاً:", Related),
        ("🔸 اقرأ أيضاً: خبر آخر عن الطقس", Related),
        ("التعليقات (4)", End),
        ("© 2024 موقع المدينة. جميع الحقوق محفوظة.", End),
        ("(انتهى) ع.م/ر.س", End),
        ("الرئيسية | محليات | اقتصاد | رياضة", Chrome),
        ("الرئيسية > أخبار > حمص", Chrome),
        ("#حمص #طقس", Chrome),
        ("👁 7.2K", Chrome),
        ("🕐 18:20", TimeOnly),
        ("آخر تحديث: 18:20 بتوقيت دمشق", TimeOnly),
        ("🔴 عاجل | حمص", PostHeader),
        ("📷 صورة: ساحة البلدة صباحاً", Caption),
        ("img-2231-large.jpg", Chrome),
        ("━━━━━━━━", Chrome),
        ("2023.05.06 | 09:10 دمشق", Content),
        (
            "وقال مسؤول في البلدية إن الأعمال ستنتهي قبل نهاية الشهر الحالي.",
            Content,
        ),
    ] {
        assert_eq!(line_info(line).class, want, "{line:?}");
    }
    let l = line_info(
        "وقال مسؤول في البلدية إن الأعمال في الشارع الرئيسي ستنتهي قبل نهاية الشهر الحالي.",
    );
    assert!(l.body_like() && l.strong_body());
    let l = line_info("ماذا يقول السكان؟");
    assert!(!l.body_like() && l.title_like());
    assert_eq!(strip_kicker("عاجل | خبر مهم جداً"), "خبر مهم جداً");
    assert_eq!(
        standalone_dateline(&line_info("حمص - خاص")).as_deref(),
        Some("حمص")
    );
    assert_eq!(
        standalone_dateline(&line_info("صورة لساحة البلدة في الصباح الباكر - أرشيف")),
        None
    );
}

snapshot_fixture!(byline_inline_dateline, "byline-inline");

#[test]
fn byline_inline_dateline_fields() {
    let a = run("x", &fixture("byline-inline"));
    assert_eq!(
        a.title.as_deref(),
        Some("مزارعو القطن في الرقة يطالبون برفع سعر الشراء قبل بدء الموسم")
    );
    assert_eq!(a.author.as_deref(), Some("ليلى الحسن"));
    assert_eq!(a.dateline.as_deref(), Some("الرقة"));
    // The only date is a footer line: read it, with no zone named.
    assert_eq!(a.published.unwrap().to_string(), "2024-09-18T14:05:00");
    assert_eq!(a.caption.as_deref(), Some("حقل قطن في ريف الرقة"));
    assert_eq!(a.paragraphs.len(), 4, "{}", a.text);
    assert!(a.text.starts_with("طالب مزارعو القطن"));
    assert!(!a.text.contains("إقرأ") && !a.text.contains("دقائق قراءة"));
}

#[test]
fn short_telegram_post_is_body() {
    let a = run("x", &fixture("telegram-short"));
    assert_eq!(a.dateline.as_deref(), Some("القامشلي"));
    let paras: Vec<_> = a.paragraph_texts().collect();
    assert_eq!(paras.len(), 2, "{paras:?}");
    assert_eq!(paras[0], "حريق كبير في سوق الهال");
}

#[test]
fn site_name_from_copyright_lines() {
    for (line, want) in [
        (
            "© 2022 صدى الساحل. جميع الحقوق محفوظة. | سياسة الخصوصية",
            Some("صدى الساحل"),
        ),
        (
            "جميع الحقوق محفوظة لموقع نبض المدينة © 2021",
            Some("نبض المدينة"),
        ),
        (
            "جميع الحقوق محفوظة - إذاعة الوادي 2020",
            Some("إذاعة الوادي"),
        ),
        (
            "© وكالة النهرين. يُمنع إعادة النشر دون إذن.",
            Some("وكالة النهرين"),
        ),
        ("© 2023", None),
        ("لا حقوق هنا", None),
    ] {
        assert_eq!(site_name_from_copyright(line).as_deref(), want, "{line}");
    }
}

#[test]
fn egyptian_months_and_pm() {
    let a = run("x", &fixture("egyptian-months"));
    assert_eq!(
        a.title.as_deref(),
        Some("عودة الكهرباء إلى أحياء بيروت الجنوبية بعد انقطاع دام يومين")
    );
    // No clock place on the date line: the local time stays without an offset (the
    // dateline is where the reporter is, not the site's clock).
    assert_eq!(a.published.unwrap().to_string(), "2024-07-14T19:30:00");
    assert_eq!(a.dateline.as_deref(), Some("بيروت"));
    assert_eq!(a.source.as_deref(), Some("الوادي الإخباري"));
    let paras: Vec<_> = a.paragraph_texts().collect();
    // The inline «اقرأ أيضاً» link goes; the subheading after it stays.
    assert_eq!(paras.len(), 4, "{paras:?}");
    assert_eq!(a.subheadings, ["خلفية الأزمة"]);
    assert!(!a.text.contains("اقرأ") && !a.text.contains("تعليقك"));
}
