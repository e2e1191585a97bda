//! `rasd geocode "TEXT" [--dateline PLACE] [--country CC] [--format table|json]`: the places
//! named in an Arabic text, each with the gazetteer entry chosen for it, its admin areas,
//! coordinates, precision and role (a place, or a qualifier such as «شمالي درعا»).
//! TEXT `-` reads the text from standard input.

use anyhow::Context as _;
use rasd_geo::{Gazetteer, Geocoder, MentionRole, ResolveContext};
use serde::Serialize;
use std::fmt::Write as _;
use std::io::{Read as _, Write as _};
use std::process::ExitCode;

#[derive(clap::Args)]
pub struct Args {
    /// The Arabic text (`-` reads standard input).
    pub text: String,
    /// The article's dateline place, used to choose among homonyms.
    #[arg(long)]
    pub dateline: Option<String>,
    /// ISO country code the text is about (SY, IQ, LB, YE, LY).
    #[arg(long)]
    pub country: Option<String>,
    /// Output format.
    #[arg(long, value_enum, default_value_t = Format::Table)]
    pub format: Format,
}

#[derive(Clone, Copy, Debug, clap::ValueEnum)]
pub enum Format {
    Table,
    Json,
}

/// One line of output.
#[derive(Serialize)]
struct Row<'a> {
    /// Character offsets of the name in the text.
    start: usize,
    end: usize,
    surface: &'a str,
    role: MentionRole,
    #[serde(skip_serializing_if = "Option::is_none")]
    qualifies: Option<usize>,
    #[serde(skip_serializing_if = "Option::is_none")]
    type_word: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    near_word: Option<&'a str>,
    place_id: &'a str,
    name_ar: &'a str,
    name_en: &'a str,
    kind: &'static str,
    country: &'a str,
    admin1: Option<&'a str>,
    admin2: Option<&'a str>,
    admin3: Option<&'a str>,
    pcode: Option<&'a str>,
    lat: f64,
    lon: f64,
    precision: String,
    score: f32,
    /// Other entries with the same name.
    alternatives: usize,
}

pub fn run(args: Args) -> anyhow::Result<ExitCode> {
    let text = if args.text == "-" {
        let mut s = String::new();
        std::io::stdin()
            .read_to_string(&mut s)
            .context("reading the text from standard input")?;
        s
    } else {
        args.text
    };
    let g = Gazetteer::bundled();
    let ctx = ResolveContext {
        dateline: args.dateline,
        country_hint: args.country,
    };
    let resolved = Geocoder::new(g).resolve(&text, &ctx);
    let rows: Vec<Row> = resolved
        .iter()
        .map(|r| {
            let p = g.get(r.place);
            let span = rasd_model::TextSpan::from_byte_range(&text, r.mention.range.clone());
            Row {
                start: span.start,
                end: span.end,
                surface: &r.mention.surface,
                role: r.role,
                qualifies: r.qualifies,
                type_word: r.mention.type_word.as_deref(),
                near_word: r.mention.near_word.as_deref(),
                place_id: &p.id,
                name_ar: &p.name_ar,
                name_en: &p.name_en,
                kind: p.kind.as_str(),
                country: &p.country,
                admin1: p.admin1_ar.as_deref(),
                admin2: p.admin2_ar.as_deref(),
                admin3: p.admin3_ar.as_deref(),
                pcode: p.pcode.as_deref(),
                lat: p.lat,
                lon: p.lon,
                precision: r.precision.to_string(),
                score: r.score,
                alternatives: r.mention.candidates.len() - 1,
            }
        })
        .collect();
    let mut out = String::new();
    match args.format {
        Format::Json => {
            out = serde_json::to_string_pretty(&rows)?;
            out.push('\n');
        }
        Format::Table => {
            if rows.is_empty() {
                eprintln!("no place found");
            }
            out.push_str(
                "#\tchars\tname\trole\tentry\tkind\tadmin1 / admin2 / admin3\tlat,lon\tprecision\n",
            );
            for (i, r) in rows.iter().enumerate() {
                let role = match (r.role, r.qualifies) {
                    (MentionRole::Qualifier, Some(q)) => format!("qualifies #{q}"),
                    (MentionRole::Qualifier, None) => "qualifier".to_string(),
                    (MentionRole::Country, _) => "country".to_string(),
                    (MentionRole::Place, _) => "place".to_string(),
                };
                writeln!(
                    out,
                    "{i}\t{}..{}\t{}\t{role}\t{} ({}, {})\t{}\t{} / {} / {}\t{:.5},{:.5}\t{}",
                    r.start,
                    r.end,
                    r.surface,
                    r.name_ar,
                    r.name_en,
                    r.place_id,
                    r.kind,
                    r.admin1.unwrap_or("-"),
                    r.admin2.unwrap_or("-"),
                    r.admin3.unwrap_or("-"),
                    r.lat,
                    r.lon,
                    r.precision
                )?;
            }
        }
    }
    // A closed pipe (`| head`) is not an error.
    match std::io::stdout().lock().write_all(out.as_bytes()) {
        Err(e) if e.kind() != std::io::ErrorKind::BrokenPipe => Err(e.into()),
        _ => Ok(ExitCode::SUCCESS),
    }
}
