//! Fetching URLs from a real HTTP server on loopback: pages, feeds, redirects, gzip,
//! and the ways a server can fail (status, silence, size).

use rasd_ingest::{ReadOptions, read_path};
use rasd_model::{ContentKind, Origin};
use std::io::{Read, Write};
use std::net::{TcpListener, TcpStream};
use std::path::Path;
use std::time::Duration;

const PAGE: &str = "<!DOCTYPE html><html lang=\"ar\" dir=\"rtl\"><head><meta charset=\"utf-8\">\
<title>قصف على أطراف بلدة تجريبية</title></head><body><article><h1>قصف على أطراف بلدة تجريبية</h1>\
<p>سقطت قذائف صباح اليوم على أطراف بلدة في ريف المحافظة، بحسب ما نقله مراسلنا.</p></article></body></html>";

const FEED: &str = "<?xml version=\"1.0\" encoding=\"utf-8\"?><rss version=\"2.0\"><channel>\
<title>منفذ تجريبي</title>\
<item><title>خبر أول</title><link>http://outlet.test/1</link><description>نص الخبر الأول.</description>\
<pubDate>Mon, 02 Sep 2024 09:00:00 +0300</pubDate></item>\
<item><title>خبر ثان</title><link>http://outlet.test/2</link><description>نص الخبر الثاني.</description>\
<pubDate>Mon, 02 Sep 2024 10:00:00 +0300</pubDate></item></channel></rss>";

fn respond(mut s: TcpStream) {
    let mut head = Vec::new();
    let mut byte = [0u8; 1];
    while !head.ends_with(b"\r\n\r\n") {
        match s.read(&mut byte) {
            Ok(1) => head.push(byte[0]),
            _ => return,
        }
    }
    let head = String::from_utf8_lossy(&head);
    let path = head.split_whitespace().nth(1).unwrap_or("/").to_string();
    let gzip_ok = head.to_ascii_lowercase().contains("accept-encoding: gzip");
    let (status, ctype, body, extra): (&str, &str, Vec<u8>, String) = match path.as_str() {
        "/news/shelling.html" => (
            "200 OK",
            "text/html; charset=utf-8",
            PAGE.into(),
            String::new(),
        ),
        "/feed" => ("200 OK", "application/rss+xml", FEED.into(), String::new()),
        "/moved" => (
            "301 Moved Permanently",
            "text/plain",
            Vec::new(),
            "Location: /news/shelling.html\r\n".into(),
        ),
        "/zipped.html" if gzip_ok => {
            let mut gz = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::fast());
            gz.write_all(PAGE.as_bytes()).unwrap();
            (
                "200 OK",
                "text/html",
                gz.finish().unwrap(),
                "Content-Encoding: gzip\r\n".into(),
            )
        }
        "/big.html" => ("200 OK", "text/html", vec![b'a'; 64 * 1024], String::new()),
        "/silent" => {
            std::thread::sleep(Duration::from_secs(5));
            return;
        }
        _ => ("404 Not Found", "text/plain", b"no".to_vec(), String::new()),
    };
    let _ = write!(
        s,
        "HTTP/1.1 {status}\r\nContent-Type: {ctype}\r\nContent-Length: {}\r\n{extra}Connection: close\r\n\r\n",
        body.len()
    );
    let _ = s.write_all(&body);
}

/// A server answering every connection on its own thread; returns its base URL.
fn server() -> String {
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    let addr = listener.local_addr().unwrap();
    std::thread::spawn(move || {
        for s in listener.incoming().flatten() {
            std::thread::spawn(move || respond(s));
        }
    });
    format!("http://{addr}")
}

fn fetch(url: &str, opts: &ReadOptions) -> Vec<Result<rasd_model::RawDocument, String>> {
    read_path(Path::new(url), opts)
        .map(|r| r.map_err(|e| e.to_string()))
        .collect()
}

#[test]
fn a_page_a_feed_a_redirect_and_gzip() {
    let base = server();
    let opts = ReadOptions::default();

    let page = fetch(&format!("{base}/news/shelling.html"), &opts);
    assert_eq!(page.len(), 1);
    let doc = page[0].as_ref().unwrap();
    assert_eq!(doc.doc_id, "shelling");
    assert_eq!(doc.kind, ContentKind::Html);
    assert_eq!(doc.bytes, PAGE.as_bytes());
    assert_eq!(
        doc.origin,
        Origin::Url {
            url: format!("{base}/news/shelling.html")
        }
    );
    assert_eq!(doc.meta.charset.as_deref(), Some("utf-8"));

    let items = fetch(&format!("{base}/feed"), &opts);
    let ids: Vec<String> = items
        .iter()
        .map(|d| d.as_ref().unwrap().doc_id.clone())
        .collect();
    assert_eq!(ids, ["feed#1", "feed#2"]);

    // The final URL is the document's origin after a redirect.
    let moved = fetch(&format!("{base}/moved"), &opts);
    let doc = moved[0].as_ref().unwrap();
    assert_eq!(
        doc.meta.url.as_deref(),
        Some(&*format!("{base}/news/shelling.html"))
    );
    assert_eq!(doc.bytes, PAGE.as_bytes());

    let zipped = fetch(&format!("{base}/zipped.html"), &opts);
    assert_eq!(zipped[0].as_ref().unwrap().bytes, PAGE.as_bytes());
}

#[test]
fn failures_name_the_url_and_say_why() {
    let base = server();
    let missing = fetch(&format!("{base}/missing"), &ReadOptions::default());
    let e = missing[0].as_ref().unwrap_err();
    assert!(
        e.contains(&format!("{base}/missing")) && e.contains("404"),
        "{e}"
    );

    let small = ReadOptions {
        max_file_bytes: 1000,
        ..ReadOptions::default()
    };
    let big = fetch(&format!("{base}/big.html"), &small);
    let e = big[0].as_ref().unwrap_err();
    assert!(e.contains("limit of 1000 bytes"), "{e}");

    let hasty = ReadOptions {
        fetch_timeout: Duration::from_secs(1),
        ..ReadOptions::default()
    };
    let silent = fetch(&format!("{base}/silent"), &hasty);
    let e = silent[0].as_ref().unwrap_err();
    assert!(e.contains("no answer within 1 s"), "{e}");

    // Nothing listens there.
    let closed = {
        let l = TcpListener::bind("127.0.0.1:0").unwrap();
        l.local_addr().unwrap()
    };
    let refused = fetch(&format!("http://{closed}/x"), &ReadOptions::default());
    let e = refused[0].as_ref().unwrap_err();
    assert!(e.contains("cannot fetch"), "{e}");
}
