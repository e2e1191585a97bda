//! Embeds every `migrations/NNNN_name.sql` file, in number order, as `MIGRATIONS`.
//! Adding a migration is adding a file: no list to edit.

use std::fmt::Write as _;
use std::path::Path;

fn main() {
    // Read at run time: a build script compiled in one checkout may be reused by
    // another that shares the target directory.
    let manifest = std::env::var("CARGO_MANIFEST_DIR").expect("cargo sets CARGO_MANIFEST_DIR");
    let dir = Path::new(&manifest).join("migrations");
    println!("cargo:rerun-if-changed={}", dir.display());
    let mut found = Vec::new();
    for entry in std::fs::read_dir(&dir).expect("crates/rasd-store/migrations is readable") {
        let path = entry.expect("directory entry").path();
        println!("cargo:rerun-if-changed={}", path.display());
        let Some(name) = path.file_name().and_then(|n| n.to_str()) else {
            continue;
        };
        let Some(stem) = name.strip_suffix(".sql") else {
            continue;
        };
        let digits: String = stem.chars().take_while(|c| c.is_ascii_digit()).collect();
        let version: u32 = digits.parse().unwrap_or_else(|_| {
            panic!("migration {name} must start with its number, e.g. 0002_x.sql")
        });
        found.push((version, stem.to_string(), path.clone()));
    }
    found.sort();
    for pair in found.windows(2) {
        assert!(
            pair[0].0 != pair[1].0,
            "two migrations numbered {}",
            pair[0].0
        );
    }
    let mut out = String::from("/// (version, name, SQL) of every embedded migration, in order.\n");
    out.push_str("pub const MIGRATIONS: &[(u32, &str, &str)] = &[\n");
    for (version, name, path) in &found {
        writeln!(
            out,
            "    ({version}, {name:?}, include_str!({:?})),",
            path.display().to_string()
        )
        .unwrap();
    }
    out.push_str("];\n");
    let dest = Path::new(&std::env::var("OUT_DIR").unwrap()).join("migrations.rs");
    std::fs::write(dest, out).unwrap();
}
