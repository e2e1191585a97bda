//! Golden snapshots of whole articles extracted from small fictional pages with
//! realistic chrome (menus, share rows, «اقرأ أيضاً», comments, JSON-LD).

use rasd_model::{ContentKind, Origin, RawDocument};

fn extract_fixture(name: &str) -> rasd_model::Article {
    let path = format!("{}/tests/fixtures/{name}", env!("CARGO_MANIFEST_DIR"));
    let bytes = std::fs::read(&path).expect("fixture exists");
    let doc = RawDocument {
        doc_id: name.split('.').next().unwrap_or(name).to_string(),
        origin: Origin::File { path },
        kind: ContentKind::Html,
        bytes,
        meta: Default::default(),
    };
    rasd_extract::extract(&doc).expect("fixture extracts")
}

#[test]
fn news_page_with_chrome() {
    let a = extract_fixture("qamar-news.html");
    // The spans point at the paragraphs.
    for p in &a.paragraphs {
        assert!(!p.span.slice(&a.text).is_empty());
    }
    insta::assert_json_snapshot!(a);
}

#[test]
fn table_and_br_layout() {
    let a = extract_fixture("br-layout.html");
    insta::assert_json_snapshot!(a);
}
