use std::io::Read;
use std::time::Instant;
fn main() {
    let dir = std::env::args().nth(1).unwrap();
    let mut pages = vec![];
    for e in std::fs::read_dir(&dir).unwrap() {
        let p = e.unwrap().path();
        let mut s = Vec::new();
        flate2::read::GzDecoder::new(std::fs::File::open(&p).unwrap()).read_to_end(&mut s).unwrap();
        pages.push(s);
    }
    let t = Instant::now();
    let texts: Vec<String> = pages.iter().map(|b| rasd_ingest::encoding::decode(b, None).text).collect();
    let t1 = t.elapsed().as_secs_f64();
    let t = Instant::now();
    let pre: Vec<_> = texts.iter().map(|s| rasd_extract::prescan::prescan(s)).collect();
    let t2 = t.elapsed().as_secs_f64();
    let t = Instant::now();
    let doms: Vec<_> = pre.iter().map(|p| rasd_extract::dom::Dom::parse(&p.html)).collect();
    let t3 = t.elapsed().as_secs_f64();
    let t = Instant::now();
    for s in &texts { let _ = rasd_extract::html::extract_html(s); }
    let t4 = t.elapsed().as_secs_f64();
    let n: usize = pre.iter().map(|p| p.html.len()).sum();
    println!("decode {t1:.3} prescan {t2:.3} parse {t3:.3} full {t4:.3} (bytes after prescan {n}) nodes {}", doms.iter().map(|d| d.nodes.len()).sum::<usize>());
}
