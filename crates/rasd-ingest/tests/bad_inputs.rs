//! A corpus of bad inputs: each gives a clear error naming the file (and the item or
//! record), never a panic, and never stops the files after it.

use flate2::Compression;
use flate2::write::GzEncoder;
use rasd_ingest::warc::{other_record, response_record};
use rasd_ingest::{IngestError, ReadOptions, read_path};
use std::io::Write;
use std::path::Path;

fn gzip(bytes: &[u8]) -> Vec<u8> {
    let mut e = GzEncoder::new(Vec::new(), Compression::default());
    e.write_all(bytes).unwrap();
    e.finish().unwrap()
}

fn page(n: usize) -> Vec<u8> {
    format!("<html><body><p>صفحة رقم {n} عن سوق الخضار في البلدة</p></body></html>").into_bytes()
}

fn warc(pages: usize) -> Vec<u8> {
    let mut w = other_record("warcinfo", b"software: rasd-test\r\n");
    for i in 0..pages {
        w.extend(response_record(
            &format!("https://souq.example/{i}"),
            "2024-02-03T04:05:06Z",
            "text/html; charset=utf-8",
            &page(i),
        ));
    }
    w
}

const FEED: &str = r#"<?xml version="1.0" encoding="UTF-8"?>
<rss version="2.0"><channel><title>قناة</title>
<item><title>أول</title><pubDate>Tue, 14 Mar 2023 09:05:00 +0200</pubDate><description>نص أول</description></item>
<item><title>ثان</title><pubDate>Tue, 14 Mar 2023 10:05:00 +0200</pubDate><description>نص ثان</description></item>
</channel></rss>"#;

fn read_all(dir: &Path) -> Vec<Result<rasd_model::RawDocument, IngestError>> {
    read_path(dir, &ReadOptions::default()).collect()
}

fn error_for<'a>(
    out: &'a [Result<rasd_model::RawDocument, IngestError>],
    name: &str,
) -> Vec<&'a IngestError> {
    out.iter()
        .filter_map(|r| r.as_ref().err())
        .filter(|e| e.path().file_name().unwrap() == name)
        .collect()
}

fn docs_for(out: &[Result<rasd_model::RawDocument, IngestError>], prefix: &str) -> Vec<String> {
    out.iter()
        .filter_map(|r| r.as_ref().ok())
        .filter(|d| d.doc_id == prefix || d.doc_id.starts_with(&format!("{prefix}#")))
        .map(|d| d.doc_id.clone())
        .collect()
}

#[test]
fn bad_inputs_give_clear_errors_and_the_rest_is_read() {
    let tmp = tempfile::tempdir().unwrap();
    let d = tmp.path();
    let w = |name: &str, bytes: &[u8]| std::fs::write(d.join(name), bytes).unwrap();

    let gz = gzip("نص سليم مضغوط".repeat(200).as_bytes());
    w("a-truncated.txt.gz", &gz[..gz.len() / 2]);
    w(
        "b-junk.bin",
        &[0u8, 1, 2, 3, 255, 254, 0, 7, 8, 9, 0, 0, 17, 18],
    );
    w("c-empty.txt", b"");
    let full = warc(3);
    w("d-halfwarc.warc", &full[..full.len() - page(2).len() / 2]);
    w(
        "e-invalid.xml",
        b"<?xml version=\"1.0\"?><rss><channel><item><title>x</titel></item></channel></rss>",
    );
    // WARC.gz as crawlers write it: one gzip member per record.
    let mut wgz = gzip(&other_record("warcinfo", b"software: rasd-test\r\n"));
    for i in 0..4 {
        wgz.extend(gzip(&response_record(
            &format!("https://souq.example/{i}"),
            "2024-02-03T04:05:06Z",
            "text/html",
            &page(i),
        )));
    }
    w("f-truncated.warc.gz", &wgz[..wgz.len() - 30]);
    w(
        "g-notafeed.xml",
        b"<?xml version=\"1.0\"?><urlset><url>x</url></urlset>",
    );
    w("h-garbage.warc", b"this is not an archive at all\r\n\r\n");
    w("i-good.txt", "خبر سليم في آخر القائمة".as_bytes());
    w("j-feed.xml", FEED.as_bytes());
    w("k-good.warc.gz", &gzip(&warc(2)));
    w(
        "l-cut-feed.xml",
        &FEED.as_bytes()[..FEED.find("<item><title>ثان").unwrap() + 10],
    );

    let out = read_all(d);

    let e = error_for(&out, "a-truncated.txt.gz");
    assert_eq!(e.len(), 1);
    assert!(matches!(e[0], IngestError::Gzip { .. }), "{}", e[0]);
    assert!(
        e[0].to_string()
            .contains("a-truncated.txt.gz: gzip data is corrupt or truncated")
    );

    let e = error_for(&out, "b-junk.bin");
    assert!(e[0].to_string().contains("binary data"), "{}", e[0]);

    let e = error_for(&out, "c-empty.txt");
    assert!(e[0].to_string().contains("empty file"), "{}", e[0]);

    // Half a WARC record: the two complete pages, then an error for the third.
    assert_eq!(
        docs_for(&out, "d-halfwarc"),
        ["d-halfwarc#1", "d-halfwarc#2"]
    );
    let e = error_for(&out, "d-halfwarc.warc");
    assert!(e[0].to_string().contains("WARC record 4"), "{}", e[0]);
    assert!(e[0].to_string().contains("truncated"), "{}", e[0]);

    let e = error_for(&out, "e-invalid.xml");
    assert!(e[0].to_string().contains("item 1: invalid XML"), "{}", e[0]);

    let got = docs_for(&out, "f-truncated");
    assert_eq!(got, ["f-truncated#1", "f-truncated#2", "f-truncated#3"]);
    let e = error_for(&out, "f-truncated.warc.gz");
    assert_eq!(e.len(), 1);
    assert!(matches!(e[0], IngestError::Gzip { .. }), "{}", e[0]);
    assert!(e[0].to_string().contains("WARC record 5"), "{}", e[0]);

    let e = error_for(&out, "g-notafeed.xml");
    assert!(
        e[0].to_string().contains("not an RSS or Atom feed"),
        "{}",
        e[0]
    );

    let e = error_for(&out, "h-garbage.warc");
    assert!(
        e[0].to_string()
            .contains("expected a WARC/1.x version line"),
        "{}",
        e[0]
    );

    assert_eq!(docs_for(&out, "i-good"), ["i-good"]);
    assert_eq!(docs_for(&out, "j-feed"), ["j-feed#1", "j-feed#2"]);
    assert_eq!(docs_for(&out, "k-good"), ["k-good#1", "k-good#2"]);
    // A feed cut after one item: that item, numbered since the file held more.
    assert_eq!(docs_for(&out, "l-cut-feed"), ["l-cut-feed#1"]);
    assert_eq!(error_for(&out, "l-cut-feed.xml").len(), 1);
}

#[test]
fn size_limit_is_a_clear_error() {
    let tmp = tempfile::tempdir().unwrap();
    let p = tmp.path().join("big.txt");
    std::fs::write(&p, "كلمة ".repeat(1000)).unwrap();
    let opts = ReadOptions {
        max_file_bytes: 1000,
        ..ReadOptions::default()
    };
    let out: Vec<_> = read_path(&p, &opts).collect();
    let msg = out[0].as_ref().unwrap_err().to_string();
    assert!(msg.contains("above the limit of 1000 bytes"), "{msg}");
    // The same through gzip: the cap applies to the decompressed size.
    let pg = tmp.path().join("big.txt.gz");
    std::fs::write(&pg, gzip("كلمة ".repeat(1000).as_bytes())).unwrap();
    let out: Vec<_> = read_path(&pg, &opts).collect();
    assert!(matches!(out[0], Err(IngestError::TooLarge { .. })));
}

#[test]
fn missing_path_is_an_io_error_naming_it() {
    let out: Vec<_> = read_path(Path::new("/no/such/place.txt"), &ReadOptions::default()).collect();
    assert_eq!(out.len(), 1);
    assert!(
        out[0]
            .as_ref()
            .unwrap_err()
            .to_string()
            .starts_with("/no/such/place.txt:")
    );
}

#[test]
fn folders_are_sorted_recursive_and_skip_hidden_and_data_files() {
    let tmp = tempfile::tempdir().unwrap();
    let d = tmp.path();
    std::fs::create_dir_all(d.join("b/inner")).unwrap();
    std::fs::write(d.join("b/inner/z.txt"), "نص").unwrap();
    std::fs::write(d.join("a.html"), "<html><body>نص</body></html>").unwrap();
    std::fs::write(d.join("c"), "<!DOCTYPE html><html></html>").unwrap();
    std::fs::write(d.join(".hidden.txt"), "نص").unwrap();
    std::fs::write(d.join("manifest.jsonl"), "{\"doc_id\": \"a\"}").unwrap();
    let ids: Vec<_> = read_all(d)
        .into_iter()
        .map(|r| r.unwrap())
        .map(|d| (d.doc_id, d.kind))
        .collect();
    use rasd_model::ContentKind::*;
    assert_eq!(
        ids,
        [
            ("a".to_string(), Html),
            ("z".to_string(), Text),
            ("c".to_string(), Html)
        ]
    );
}

#[test]
fn arbitrary_bytes_never_panic() {
    use proptest::prelude::*;
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path().to_path_buf();
    let mut runner = proptest::test_runner::TestRunner::new(ProptestConfig::with_cases(200));
    runner
        .run(
            &(prop::collection::vec(any::<u8>(), 0..600), 0usize..5),
            |(bytes, ext)| {
                let name = ["x.warc", "x.xml", "x.txt", "x.gz", "x"][ext];
                let p = dir.join(name);
                let mut data = match ext {
                    0 => b"WARC/1.0\r\n".to_vec(),
                    1 => b"<rss><channel><item>".to_vec(),
                    3 => vec![0x1f, 0x8b],
                    _ => Vec::new(),
                };
                data.extend(bytes);
                std::fs::write(&p, &data).unwrap();
                for r in read_path(&p, &ReadOptions::default()) {
                    if let Err(e) = r {
                        prop_assert!(e.to_string().contains(name));
                    }
                }
                Ok(())
            },
        )
        .unwrap();
}
