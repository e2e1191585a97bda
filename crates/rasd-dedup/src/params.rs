//! Every heuristic threshold of this crate, in one place.

/// Two community-precision places closer than this are the same place (spec "Matching").
pub const SAME_PLACE_KM: f64 = 10.0;

/// Two settlements that have their own gazetteer entries are one place only this close
/// (one spot under two records, a suburb): villages of one plain are often 2–5 km apart
/// and must not merge because they are near.
pub const SAME_SETTLEMENT_KM: f64 = 1.5;

/// A quarter with its own gazetteer entry lies in a city or large town of its governorate
/// whose point is at most this far away.
pub const QUARTER_OF_CITY_KM: f64 = 8.0;

/// «ريف X الأوسط» holds the places this close to the governorate's point (as
/// `rasd-geo/data/build_gazetteer.py` draws it).
pub const RIF_CENTRAL_KM: f64 = 25.0;

/// A side of «ريف X» («الشرقي») holds the places on that side of the governorate's
/// point, and those up to this many degrees (about 5 km) across the line: outlets draw
/// the sides loosely.
pub const RIF_SIDE_MARGIN_DEG: f64 = 0.05;

/// Affinity of a report at a place that holds the other's (a region and its village),
/// below that of two reports at the same place (3 at 0 km, 2 at 10 km): a report at a
/// coarse place prefers the incident told at its own place.
pub const HOLDS_SCORE: f64 = 1.8;

/// Spans are compared widened by this many days on each side (spec "Matching": ±1 day).
pub const DATE_TOLERANCE_DAYS: i32 = 1;

/// An incident's date span (the union of its sources' spans) may exceed the longest
/// single source span by at most this many days. A source dated a day early and
/// another a day late stay in one incident; daily reports in one town do not chain
/// into an endless incident.
pub const SPAN_SLACK_DAYS: i32 = 2;

/// Side of a grid cell of the spatial index, in degrees of latitude (about 11 km,
/// so that the 10 km neighbourhood of a point lies in the cell and its neighbours).
pub const GRID_CELL_DEG: f64 = 0.1;

/// Mean Earth radius for the haversine distance.
pub const EARTH_RADIUS_KM: f64 = 6371.0088;

/// Words per shingle for article fingerprints.
pub const SHINGLE_WORDS: usize = 3;

/// MinHash signature length: `LSH_BANDS * LSH_ROWS`.
pub const MINHASH_SIZE: usize = LSH_BANDS * LSH_ROWS;

/// Locality-sensitive hashing: bands of the MinHash signature. With 16 bands of 4
/// rows, a pair at Jaccard 0.8 becomes a candidate with probability > 0.999 and a
/// pair at 0.3 with probability ≈ 0.12 (the candidates are then checked).
pub const LSH_BANDS: usize = 16;
pub const LSH_ROWS: usize = 4;

/// Estimated Jaccard similarity of shingle sets from which an article is a copy.
pub const NEAR_DUP_JACCARD: f64 = 0.8;

/// A copy may also add or drop a little (a re-poster's footer, a cut paragraph): an
/// article whose shingles are at least this share contained in a kept one's (or the
/// reverse) is a copy too, when the two are of comparable length ...
pub const NEAR_DUP_CONTAINMENT: f64 = 0.9;

/// ... that is, when the shorter has at least this share of the longer's shingles.
pub const NEAR_DUP_MIN_SIZE_RATIO: f64 = 0.6;

/// A text with fewer shingles than this is too short to call a copy by its
/// fingerprint alone (its shingles must then be identical).
pub const MIN_SHINGLES: usize = 8;

/// The clusterer indexes at most this many days of one event's span (a hostile or
/// mistaken span of decades must not fill memory); events longer than this are still
/// clustered, but found only through their first days.
pub const MAX_INDEXED_SPAN_DAYS: i32 = 400;

/// Umbrella actors of the actor list: collective names («فصائل المعارضة») that outlets
/// use for whichever armed group fought. Such a side is compatible with any other
/// non-state, non-civilian side when incidents are compared (not for the stricter
/// battle-with-explosion rule).
pub const UMBRELLA_ACTORS: &[&str] = &["Opposition factions"];

/// The ACLED export writes one row per active day up to this many days; a longer
/// span (a mistake or hostile input) is written as one row at month precision with a
/// note, instead of thousands of rows.
pub const ACLED_MAX_DAILY_ROWS: i32 = 366;
