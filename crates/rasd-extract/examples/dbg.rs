use std::io::Read;
fn main() {
    let p = std::env::args().nth(1).unwrap();
    let mut s = Vec::new();
    if p.ends_with(".gz") {
        flate2::read::GzDecoder::new(std::fs::File::open(&p).unwrap()).read_to_end(&mut s).unwrap();
    } else {
        s = std::fs::read(&p).unwrap();
    }
    let h = rasd_extract::html::extract_html(&String::from_utf8_lossy(&s));
    println!("title={:?} pub={:?} dl={:?} cap={:?}", h.meta.title, h.meta.published.map(|p| p.to_string()), h.dateline, h.caption);
    for b in &h.blocks { println!("{} {}", if b.heading {"#"} else {"-"}, b.text.chars().take(100).collect::<String>()); }
}
