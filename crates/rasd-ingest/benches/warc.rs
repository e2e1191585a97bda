//! WARC reader throughput on a synthetic archive (plain and gzip, one member per
//! record as crawlers write them). Figures are bytes of (decompressed) archive per
//! second.

use criterion::{Criterion, Throughput, criterion_group, criterion_main};
use flate2::Compression;
use flate2::write::GzEncoder;
use rasd_ingest::warc::{WarcDocuments, other_record, response_record};
use std::io::{BufReader, Write};
use std::path::PathBuf;

const PAGES: usize = 400;

fn page(i: usize) -> Vec<u8> {
    let para = "<p>عقد المجلس البلدي اجتماعه الدوري لمناقشة خطة تعبيد الطرق في الأحياء الشرقية وصيانة شبكة المياه قبل حلول الصيف.</p>\n";
    let mut html =
        format!("<!doctype html><html><head><title>صفحة {i}</title></head><body>").into_bytes();
    for _ in 0..(20 + i % 40) {
        html.extend_from_slice(para.as_bytes());
    }
    html.extend_from_slice(b"</body></html>");
    html
}

fn records() -> Vec<Vec<u8>> {
    let mut out = vec![other_record("warcinfo", b"software: rasd-bench\r\n")];
    for i in 0..PAGES {
        out.push(other_record(
            "request",
            format!("GET /{i} HTTP/1.1\r\nHost: bench.example\r\n\r\n").as_bytes(),
        ));
        out.push(response_record(
            &format!("https://bench.example/{i}"),
            "2024-06-01T12:00:00Z",
            "text/html; charset=utf-8",
            &page(i),
        ));
    }
    out
}

fn bench(c: &mut Criterion) {
    let recs = records();
    let plain: Vec<u8> = recs.concat();
    let gz: Vec<u8> = recs
        .iter()
        .flat_map(|r| {
            let mut e = GzEncoder::new(Vec::new(), Compression::default());
            e.write_all(r).unwrap();
            e.finish().unwrap()
        })
        .collect();
    let mut g = c.benchmark_group("warc");
    g.throughput(Throughput::Bytes(plain.len() as u64));
    g.bench_function("plain", |b| {
        b.iter(|| {
            let docs = WarcDocuments::new(
                BufReader::with_capacity(64 * 1024, &plain[..]),
                PathBuf::from("bench.warc"),
                "bench".into(),
                false,
                64 << 20,
            );
            assert_eq!(docs.filter(Result::is_ok).count(), PAGES);
        })
    });
    g.bench_function("gzip", |b| {
        b.iter(|| {
            let reader =
                BufReader::with_capacity(64 * 1024, flate2::bufread::MultiGzDecoder::new(&gz[..]));
            let docs = WarcDocuments::new(
                reader,
                PathBuf::from("bench.warc.gz"),
                "bench".into(),
                true,
                64 << 20,
            );
            assert_eq!(docs.filter(Result::is_ok).count(), PAGES);
        })
    });
    g.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);
