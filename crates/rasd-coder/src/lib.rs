//! rasd-coder: turns an extracted Arabic article into the events it reports
//! as news, coded in the ACLED taxonomy by the rules of `spec/events.md`.
//!
//! It owns:
//! - the actor register ([`ActorRegister`], data file `data/actors.tsv`, users
//!   merge their own over it) and the generic actors built from a country
//!   («Civilians (Syria)», «Unidentified armed group (Iraq)»);
//! - the trigger lexicon for every sub-event type, the discourse cues of
//!   background and outcome, the victim nouns and the nationality adjectives
//!   (`data/*.tsv`, loaded by [`Lexicons`]);
//! - argument attachment (actors with roles, place, date, casualty figures per
//!   sentence, then across the article), background detection (rule 8),
//!   consolidation of one event's mentions (rule 1), precedence, and the
//!   evidence sentences with character spans and a confidence.
//!
//! It reads Arabic through `rasd_arabic` (normalisation, sentences, words,
//! clitics, numbers, dates) and places through `rasd_geo` (mentions resolved to
//! gazetteer entries); it re-implements neither.
//!
//! ```no_run
//! use rasd_coder::{ActorRegister, Coder};
//! let coder = Coder::new(ActorRegister::bundled(), rasd_geo::Gazetteer::bundled());
//! let article = rasd_model::Article::from_text("doc", "قُتل مدني بقصف مدفعي على بلدة ما.");
//! let events = coder.code(&article);
//! # let _ = events;
//! ```

mod actors;
mod clauses;
mod coder;
mod counts;
mod facts;
mod lexicon;
mod lexicons;
mod lists;
mod published;
mod sources;
mod text;
pub mod thresholds;

use std::ops::Range;

pub use actors::{Actor, ActorKind, ActorRegister};
pub use lexicons::{Lexicons, Trigger, TriggerKind};

use jiff::civil::Date;
use rasd_geo::Gazetteer;
use rasd_model::{Article, Event};

/// Errors of the coder: only its data files can be wrong.
#[derive(Debug, thiserror::Error, PartialEq, Eq)]
pub enum CoderError {
    /// A row of a data file (actors, triggers, cues …) that cannot be read.
    #[error("{file} data, line {line}: {reason}")]
    BadData {
        file: String,
        line: usize,
        reason: String,
    },
}

/// Options of one coding run.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct CodeOptions {
    /// The publication day to resolve dates against when the article has none.
    /// Without it the day is read from the text when it names «today» with a
    /// weekday, day and month («اليوم الاثنين 25 أيلول»); failing that, nothing
    /// is coded.
    pub fallback_published: Option<Date>,
    /// The latest day an undated article can have been published (default:
    /// today on the Damascus clock).
    pub today: Option<Date>,
}

/// The event coder. Cheap to share between threads; build it once.
#[derive(Debug)]
pub struct Coder {
    actors: ActorRegister,
    lexicons: Lexicons,
    gazetteer: &'static Gazetteer,
}

impl Coder {
    /// A coder with the given actor register, the bundled lexicons and a gazetteer.
    pub fn new(actors: ActorRegister, gazetteer: &'static Gazetteer) -> Coder {
        Coder::with_lexicons(actors, Lexicons::bundled(), gazetteer)
    }

    /// A coder with its own lexicons (tests, experiments).
    pub fn with_lexicons(
        actors: ActorRegister,
        lexicons: Lexicons,
        gazetteer: &'static Gazetteer,
    ) -> Coder {
        Coder {
            actors,
            lexicons,
            gazetteer,
        }
    }

    /// The actor register in use.
    pub fn actors(&self) -> &ActorRegister {
        &self.actors
    }

    /// The events `article` reports as news (empty for an article with none,
    /// or with no publication day to resolve dates against).
    pub fn code(&self, article: &Article) -> Vec<Event> {
        self.code_with(article, &CodeOptions::default())
    }

    /// [`Coder::code`] with options.
    pub fn code_with(&self, article: &Article, opts: &CodeOptions) -> Vec<Event> {
        self.run(article, opts, |doc| doc.code(article))
            .unwrap_or_default()
    }

    /// A readable trace of what the coder read in each sentence (triggers,
    /// actors and their roles, places, dates, cues, figures) and the mentions
    /// it built: for reviewing a coding decision.
    pub fn explain(&self, article: &Article, opts: &CodeOptions) -> String {
        self.run(article, opts, |doc| doc.explain())
            .unwrap_or_else(|| "no publication day or empty text: nothing coded\n".into())
    }

    fn run<T>(
        &self,
        article: &Article,
        opts: &CodeOptions,
        f: impl FnOnce(&coder::Doc<'_>) -> T,
    ) -> Option<T> {
        let text = article.text.as_str();
        let published = article
            .published
            .map(|p| p.date)
            .or(opts.fallback_published)
            .or_else(|| published::infer(text, opts.today.unwrap_or_else(today)))?;
        if text.trim().is_empty() {
            return None;
        }
        let paragraphs = paragraph_ranges(article);
        let mut an = text::analyse(text, &paragraphs);
        clauses::split(&mut an, &self.lexicons);
        let mut places = sources::places(
            self.gazetteer,
            text,
            &an.tokens,
            article.dateline.as_deref(),
        );
        let sentences: Vec<Range<usize>> = an.sentences.iter().map(|s| s.tokens.clone()).collect();
        let members = lists::unlisted_members(text, &an.tokens, &sentences, &places);
        // A place found inside a longer fenced name is part of that name.
        places.retain(|p| {
            !members.iter().any(|m| {
                m.tokens.start <= p.tokens.start
                    && p.tokens.end <= m.tokens.end
                    && m.tokens.len() > p.tokens.len()
            })
        });
        places.extend(members);
        // «الأحياء الخارجية للمدينة», «القرى المجاورة»: an adjective after a
        // plural type word describes the places, it does not name one.
        places.retain(|p| !sources::describes_places(&an.tokens, p));
        places.sort_by_key(|p| p.bytes.start);
        rehome_quarters(self.gazetteer, &an.tokens, &mut places);
        let country = main_country(self.gazetteer, &places);
        let (facts, dates) = facts::read(
            text,
            &an,
            &self.lexicons,
            &self.actors,
            &places,
            published,
            country.as_deref(),
        );
        let doc = coder::Doc {
            text,
            an: &an,
            facts: &facts,
            places: &places,
            dates: &dates,
            published,
            gaz: self.gazetteer,
            reg: &self.actors,
        };
        Some(f(&doc))
    }
}

/// Today on the Damascus clock (most of the sources are Syrian).
fn today() -> Date {
    let tz = jiff::tz::TimeZone::get("Asia/Damascus").unwrap_or(jiff::tz::TimeZone::UTC);
    tz.to_datetime(jiff::Timestamp::now()).date()
}

/// Byte ranges of the article's paragraphs (one per line when it lists none).
fn paragraph_ranges(article: &Article) -> Vec<Range<usize>> {
    let text = &article.text;
    let from_spans: Vec<Range<usize>> =
        byte_ranges(text, article.paragraphs.iter().map(|p| p.span))
            .into_iter()
            .filter(|r| r.start < r.end && r.end <= text.len())
            .collect();
    if !from_spans.is_empty() {
        return from_spans;
    }
    let mut out = Vec::new();
    let mut start = 0;
    for (i, c) in text.char_indices() {
        if c == '\n' {
            if i > start {
                out.push(start..i);
            }
            start = i + 1;
        }
    }
    if start < text.len() {
        out.push(start..text.len());
    }
    out
}

/// [`rasd_model::TextSpan::to_byte_range`] of many spans in one pass over the
/// text (one pass per span made long articles quadratic).
fn byte_ranges(text: &str, spans: impl Iterator<Item = rasd_model::TextSpan>) -> Vec<Range<usize>> {
    let spans: Vec<rasd_model::TextSpan> = spans.collect();
    // Character offsets wanted, as (offset, slot); a span whose end is not
    // past its start takes its start as end.
    let mut wanted: Vec<(usize, usize)> = Vec::with_capacity(spans.len() * 2);
    for (k, s) in spans.iter().enumerate() {
        wanted.push((s.start, 2 * k));
        if s.end > s.start {
            wanted.push((s.end, 2 * k + 1));
        }
    }
    wanted.sort_unstable();
    let mut bytes = vec![text.len(); spans.len() * 2];
    let mut w = wanted.iter().peekable();
    for (n, (b, _)) in text.char_indices().enumerate() {
        while let Some(&&(c, slot)) = w.peek() {
            if c != n {
                break;
            }
            bytes[slot] = b;
            w.next();
        }
        if w.peek().is_none() {
            break;
        }
    }
    spans
        .iter()
        .enumerate()
        .map(|(k, s)| {
            let start = bytes[2 * k];
            let end = if s.end > s.start {
                bytes[2 * k + 1]
            } else {
                start
            };
            start..end
        })
        .collect()
}

/// The country most places of the article are in (for actors whose alias
/// names groups of several countries).
fn main_country(gaz: &Gazetteer, places: &[sources::PlaceRef]) -> Option<String> {
    let mut counts: Vec<(String, usize)> = Vec::new();
    for p in places.iter().filter(|p| !p.qualifier) {
        let c = &gaz.get(p.place).country;
        match counts.iter_mut().find(|(k, _)| k == c) {
            Some(e) => e.1 += 1,
            None => counts.push((c.clone(), 1)),
        }
    }
    counts.into_iter().max_by_key(|(_, n)| *n).map(|(c, _)| c)
}

/// «وفي مدينة تعز، … على حي الروضة شرقي المدينة»: a quarter the gazetteer
/// holds in another city than the town named around it is a quarter of that
/// town the gazetteer lacks; it keeps its name and takes the town's entry.
fn rehome_quarters(
    gaz: &rasd_geo::Gazetteer,
    tokens: &[text::Token],
    places: &mut [sources::PlaceRef],
) {
    let towns: Vec<(usize, rasd_geo::PlaceId, f64, f64)> = places
        .iter()
        .filter(|p| !p.unlisted && !p.area && !p.country_only)
        .filter_map(|p| {
            let g = gaz.get(p.place);
            (g.kind == rasd_geo::PlaceKind::Locality).then_some((
                p.tokens.start,
                p.place,
                g.lat,
                g.lon,
            ))
        })
        .collect();
    // (A type word is part of the place's tokens.)
    let quarter_word =
        |k: usize| tokens[k].is_word() && (tokens[k].has_key("حي") || tokens[k].has_key("احياء"));
    for p in places.iter_mut().filter(|p| !p.unlisted) {
        let g = gaz.get(p.place);
        let after_quarter_word = quarter_word(p.tokens.start)
            || (p.tokens.start > 0 && quarter_word(p.tokens.start - 1));
        let quarter = g.kind == rasd_geo::PlaceKind::Neighbourhood
            || (after_quarter_word && g.kind == rasd_geo::PlaceKind::Locality);
        if !quarter {
            continue;
        }
        let around: Vec<&(usize, rasd_geo::PlaceId, f64, f64)> = towns
            .iter()
            .filter(|t| {
                t.1 != p.place && t.0.abs_diff(p.tokens.start) <= thresholds::QUARTER_CONTEXT_TOKENS
            })
            .collect();
        let near_one = around.iter().any(|&&(_, _, lat, lon)| {
            rasd_geo::distance_km(g.lat, g.lon, lat, lon) <= thresholds::QUARTER_TOWN_KM
        });
        // The town told last before the quarter, else the first after it.
        let town = around
            .iter()
            .filter(|t| t.0 < p.tokens.start)
            .max_by_key(|t| t.0)
            .or_else(|| around.first());
        if let Some(&&(_, town, _, _)) = town
            && !near_one
        {
            p.place = town;
            p.unlisted = true;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use rasd_model::TextSpan;

    #[test]
    fn byte_ranges_agree_with_one_span_at_a_time() {
        let text = "سطر أول قصير\nوسطر ثانٍ فيه أرقام 12 و3\nsecond ascii line";
        let n = text.chars().count();
        let mut spans = Vec::new();
        for start in (0..n + 3).step_by(3) {
            for end in [start, start + 1, start + 7, n, n + 2] {
                spans.push(TextSpan { start, end });
            }
        }
        spans.push(TextSpan { start: 5, end: 2 });
        let one_by_one: Vec<Range<usize>> = spans.iter().map(|s| s.to_byte_range(text)).collect();
        assert_eq!(byte_ranges(text, spans.into_iter()), one_by_one);
    }
}
