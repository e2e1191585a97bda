//! rasd-arabic: the Arabic text layer of rasd. Everything downstream reads
//! Arabic through this crate.
//!
//! It owns:
//! - normalisation for matching with a map back to original byte offsets
//!   ([`normalize`], [`normalize_with`], [`fold`], [`Normalized`]);
//! - segmentation into sentences and words ([`sentences`], [`words`]);
//! - clitic analysis ([`clitic_analyses`]);
//! - numbers: digits and number words with their counted noun, approximations
//!   and vague amounts ([`numbers`]);
//! - dates: absolute, Hijri and relative date expressions resolved against
//!   the publication day, and the time zone of a place ([`dates`]).
//!
//! Every function reports byte ranges into the text it was given.
//!
//! ```
//! use jiff::civil::date;
//! use rasd_arabic::{dates, normalize, numbers, sentences};
//!
//! let text = "قُتِلَ نحو ١٧ عنصراً الجمعةَ الماضية. وأُصيب آخرون.";
//! let n = normalize(text);
//! assert!(n.text.starts_with("قتل نحو 17 عنصرا"));
//! // Normalised offsets map back to the original text.
//! let i = n.text.find("17").unwrap();
//! assert_eq!(&text[n.original_range(i..i + 2)], "١٧");
//!
//! assert_eq!(sentences(text).len(), 2);
//!
//! let q = &numbers::find_quantities(text)[0];
//! assert_eq!((q.value, q.approx), (Some(17), Some(numbers::Approx::About)));
//!
//! let d = &dates::find_dates(text, date(2022, 10, 25))[0];
//! assert_eq!(d.start, date(2022, 10, 21)); // the Friday before Tuesday 25th
//! ```
//!
//! Heuristic thresholds are named constants at the top of each module.

mod clitics;
pub mod dates;
mod normalize;
pub mod numbers;
mod segment;

pub use clitics::{Analysis, clitic_analyses};
pub use normalize::{
    NormalizeOptions, Normalized, fold, fold_loose, is_arabic_mark, normalize, normalize_with,
};
pub use segment::{Sentence, Word, for_each_word, sentences, words};

/// Errors of the Arabic text layer.
#[derive(Debug, thiserror::Error, PartialEq, Eq)]
pub enum ArabicError {
    /// A date that does not exist in its calendar (e.g. 31 شباط).
    #[error("invalid date: {0}")]
    InvalidDate(String),
    /// An unknown time-zone name.
    #[error("unknown time zone: {0}")]
    UnknownZone(String),
}
