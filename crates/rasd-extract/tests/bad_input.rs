//! Hostile, truncated and junk inputs: a clear error or a best-effort article, never
//! a panic, and bounded time.

use rasd_extract::{ExtractError, extract};
use rasd_model::{ContentKind, Origin, RawDocument};

fn doc(kind: ContentKind, bytes: Vec<u8>) -> RawDocument {
    RawDocument {
        doc_id: "bad".into(),
        origin: Origin::Inline,
        kind,
        bytes,
        meta: Default::default(),
    }
}

fn corpus() -> Vec<(&'static str, Vec<u8>)> {
    let mut v: Vec<(&'static str, Vec<u8>)> = vec![
        ("empty", vec![]),
        ("only tags", b"<html><body></body></html>".to_vec()),
        (
            "unclosed everything",
            b"<div><p><b><i><table><tr><td>\xd9\x86\xd8\xb5".to_vec(),
        ),
        (
            "stray end tags",
            b"</p></div></body></html></x>text".to_vec(),
        ),
        (
            "half a comment",
            b"<p>a</p><!-- never closed <p>b</p>".to_vec(),
        ),
        ("half a script", b"<p>a</p><script>var x = '<p>".to_vec()),
        (
            "bad utf8",
            b"<p>\xff\xfe\xd9 \xc3\x28 \xa0\xa1</p>".to_vec(),
        ),
        ("cut in a tag", b"<html><body><p class=\"x".to_vec()),
        (
            "json-ld junk",
            b"<script type=\"application/ld+json\">{{{[[[</script><p>x</p>".to_vec(),
        ),
        (
            "broken feed",
            b"<?xml version=\"1.0\"?><rss><channel><item><title>t".to_vec(),
        ),
        (
            "binary",
            (0..4096u32).map(|i| (i * 7 % 256) as u8).collect(),
        ),
        ("nul text", b"abc\0def".to_vec()),
        (
            "weird dates",
            "<meta property=\"article:published_time\" content=\"9999-99-99T99:99\">\
             <time datetime=\"2022-02-30\">x</time><p>نص 2022.13.45 | 25:61 دمشق</p>"
                .as_bytes()
                .to_vec(),
        ),
    ];
    let deep_ld = format!(
        "<script type=\"application/ld+json\">{}{}</script><p>x</p>",
        "[".repeat(5000),
        "]".repeat(5000)
    );
    v.push(("deep json-ld", deep_ld.into_bytes()));
    // Deep nesting: every walk is iterative.
    let mut deep = "<div>".repeat(100_000);
    deep.push_str("<p>نص في العمق</p>");
    v.push(("100k nested divs", deep.into_bytes()));
    // Tree-builder rules on repeat (the parser's own tests take 100k of each):
    // unclosed links and tables, list items, stray end tags, thousands of distinct
    // unknown tags, repeated <body> attributes, character references everywhere.
    for (name, unit) in [
        ("20k unclosed links", "<a href=x>رابط".to_string()),
        ("20k nested tables", "<table><tr><td>خلية".to_string()),
        ("20k list items", "<li>بند".to_string()),
        ("20k stray end tags", "</span></a></td>نص".to_string()),
        ("20k body tags", "<body class=x id=y>نص".to_string()),
        (
            "100k references",
            "&amp;&#x644;&#1604;&nbsp&notin;&#99999999;&".to_string(),
        ),
    ] {
        v.push((name, unit.repeat(20_000).into_bytes()));
    }
    let mut custom = String::new();
    for i in 0..20_000 {
        custom.push_str(&format!("<x-{i} a=1>ن</x-{}>", i / 2));
    }
    v.push(("20k distinct unknown tags", custom.into_bytes()));
    // Many attributes and a long text run.
    let mut wide = String::from("<p");
    for i in 0..20_000 {
        wide.push_str(&format!(" a{i}=\"{i}\""));
    }
    wide.push('>');
    wide.push_str(&"كلمة ".repeat(200_000));
    v.push(("wide and long", wide.into_bytes()));
    v
}

#[test]
fn bad_inputs_never_panic() {
    for (name, bytes) in corpus() {
        for kind in [
            ContentKind::Html,
            ContentKind::Unknown,
            ContentKind::FeedItem,
            ContentKind::Text,
        ] {
            let d = doc(kind, bytes.clone());
            let r = std::panic::catch_unwind(|| extract(&d).map(|a| a.text.len()));
            assert!(r.is_ok(), "{name} ({kind:?}) panicked");
        }
    }
}

#[test]
fn binary_junk_is_a_clear_error() {
    let err = extract(&doc(ContentKind::Unknown, vec![0, 1, 2, 3, 0, 0, 255, 0])).unwrap_err();
    assert!(matches!(err, ExtractError::Binary { .. }));
    assert!(err.to_string().starts_with("bad: binary data"));
}

#[test]
fn a_page_without_text_is_an_error_naming_the_document() {
    let page = b"<html><body><nav><a href=/>x</a></nav></body></html>".to_vec();
    let err = extract(&doc(ContentKind::Html, page)).unwrap_err();
    assert_eq!(
        err,
        ExtractError::NoText {
            doc_id: "bad".into(),
            kind: "html"
        }
    );
}

#[test]
fn a_huge_page_is_cut_not_refused() {
    // ~100 MB of paragraphs: the extractor reads the first MAX_HTML_BYTES.
    let para = "<p>هذه فقرة تجريبية طويلة بما يكفي لتكون نصاً في الصفحة، وتتكرر كثيراً.</p>\n";
    let n = 100 * 1024 * 1024 / para.len();
    let page = para.repeat(n);
    let a = extract(&doc(ContentKind::Html, page.into_bytes())).expect("best effort");
    assert!(!a.text.is_empty());
    assert!(a.text.len() <= rasd_extract::heuristics::MAX_HTML_BYTES);
}
