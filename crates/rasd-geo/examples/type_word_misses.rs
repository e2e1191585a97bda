//! Coverage check: the words right after a place-type word («بلدة», «قرية», «مدينة», «حي»,
//! «مخيم» and their duals and plurals) that the geocoder does not read as a place, counted and
//! listed by frequency. `cargo run --release -p rasd-geo --example type_word_misses FILE...`
//! (plain text files; any text will do, HTML tags are only noise).
use rasd_geo::{Gazetteer, Geocoder, names::fold_key};
use std::collections::BTreeMap;

/// Folded type words whose next word should be a settlement's name.
const TYPE_WORDS: &[&str] = &[
    "بلده",
    "بلدتي",
    "بلدات",
    "قريه",
    "قريتي",
    "قري",
    "مدينه",
    "مدينتي",
    "حي",
    "مخيم",
];
/// Words that follow a type word without being a name («قرية في ريف …», «بلدات عدة»).
const NOT_NAMES: &[&str] = &[
    "في",
    "من",
    "الي",
    "علي",
    "عن",
    "و",
    "ثم",
    "التي",
    "الذي",
    "قرب",
    "بين",
    "عده",
    "اخري",
    "واحده",
    "شمال",
    "جنوب",
    "شرق",
    "غرب",
    "شمالي",
    "جنوبي",
    "شرقي",
    "غربي",
    "وسط",
    "ريف",
];

fn main() {
    let g = Gazetteer::bundled();
    let geo = Geocoder::new(g);
    let (mut typed, mut found) = (0usize, 0usize);
    let mut misses: BTreeMap<String, usize> = BTreeMap::new();
    for path in std::env::args().skip(1) {
        let Ok(text) = std::fs::read_to_string(&path) else {
            eprintln!("{path}: unreadable, skipped");
            continue;
        };
        let starts: Vec<usize> = geo
            .find_mentions(&text)
            .iter()
            .map(|m| m.range.start)
            .collect();
        let words: Vec<(usize, &str)> = text
            .split(|c: char| !(c.is_alphanumeric() || rasd_arabic::is_arabic_mark(c)))
            .filter(|w| !w.is_empty())
            .map(|w| (w.as_ptr() as usize - text.as_ptr() as usize, w))
            .collect();
        for pair in words.windows(2) {
            let (t, (start, next)) = (fold_key(pair[0].1), pair[1]);
            let stem = ["", "و", "ف", "ب", "ل", "وب"]
                .iter()
                .find_map(|p| t.strip_prefix(p).filter(|s| TYPE_WORDS.contains(s)));
            if stem.is_none() || NOT_NAMES.contains(&fold_key(next).as_str()) {
                continue;
            }
            typed += 1;
            // A mention starting in the next word (clitics before the name allowed).
            if starts.iter().any(|&s| s >= start && s < start + next.len()) {
                found += 1;
            } else {
                *misses.entry(next.to_string()).or_default() += 1;
            }
        }
    }
    println!(
        "{typed} words after a type word, {found} read as places, {} missed ({} distinct)",
        typed - found,
        misses.len()
    );
    let mut v: Vec<_> = misses.into_iter().collect();
    v.sort_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(&b.0)));
    for (w, n) in v {
        println!("{n}\t{w}");
    }
}
