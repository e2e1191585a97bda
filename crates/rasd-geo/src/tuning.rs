//! Every heuristic weight and threshold of the geocoder, in one place.

/// Weight of log10(population) in a place's prominence (rank counts 1 per class).
pub const POPULATION_WEIGHT: f32 = 0.5;
/// Weight of prominence in a candidate's score.
pub const PROMINENCE_WEIGHT: f32 = 0.35;
/// A qualifier attached to the mention («شمالي درعا», «بريف درعا الغربي») names the candidate's
/// governorate.
pub const QUALIFIER_ADMIN1_BONUS: f32 = 4.0;
/// … names the candidate's district or subdistrict (or a region inside it).
pub const QUALIFIER_ADMIN23_BONUS: f32 = 2.0;
/// … names a city the candidate lies near (a quarter «وسط مدينة دير الزور»).
pub const QUALIFIER_CITY_BONUS: f32 = 3.0;
/// Radius for a quarter or site to belong to the city named as its qualifier.
pub const QUALIFIER_CITY_KM: f64 = 20.0;
/// The article names the candidate's governorate elsewhere (per mention, capped).
pub const ARTICLE_ADMIN1_BONUS: f32 = 0.8;
pub const ARTICLE_ADMIN1_CAP: f32 = 2.0;
/// The dateline place is in the candidate's governorate.
pub const DATELINE_ADMIN1_BONUS: f32 = 1.0;
/// Another place of the article (resolved without doubt) lies within these distances.
pub const NEAR_ANCHOR_KM: f64 = 30.0;
pub const NEAR_ANCHOR_BONUS: f32 = 1.5;
pub const MID_ANCHOR_KM: f64 = 80.0;
pub const MID_ANCHOR_BONUS: f32 = 0.6;
/// A homonym whose best reading leads the next by this much is an anchor for the others.
pub const SURE_MARGIN: f32 = 2.0;
/// The candidate is in the article's country / in a country the article never evokes.
pub const SAME_COUNTRY_BONUS: f32 = 2.0;
pub const FOREIGN_PENALTY: f32 = 3.0;
/// A foreign place this prominent (rank) is kept even when the article never names its country.
pub const FOREIGN_MIN_RANK: u8 = 6;
/// The type word before the name agrees with the candidate's kind («بلدة» + a town).
pub const TYPE_WORD_MATCH_BONUS: f32 = 3.0;
/// … disagrees («بلدة» + a governorate).
pub const TYPE_WORD_MISMATCH_PENALTY: f32 = 2.0;
/// With no type word, a town is preferred over the admin unit named after it (جاسم the town
/// over ناحية جاسم); a governorate-name qualifier prefers the governorate.
pub const SETTLEMENT_DEFAULT_BONUS: f32 = 1.5;
pub const QUALIFIER_ADMIN_KIND_BONUS: f32 = 4.0;
/// Country evidence: a named country, a nationality adjective, an unambiguous place, the hint,
/// the dateline.
pub const COUNTRY_NAME_WEIGHT: f32 = 2.0;
pub const COUNTRY_ADJECTIVE_WEIGHT: f32 = 1.0;
pub const COUNTRY_PLACE_WEIGHT: f32 = 1.0;
pub const COUNTRY_HINT_WEIGHT: f32 = 6.0;
pub const COUNTRY_DATELINE_WEIGHT: f32 = 2.0;
/// Syria is the default country when nothing else is evoked.
pub const DEFAULT_COUNTRY_WEIGHT: f32 = 0.5;
/// Names with fewer base letters than this need a type word («قرية إب»).
pub const MIN_LETTERS_WITHOUT_TYPE_WORD: usize = 3;
/// Most words a qualifier gap may hold between a mention and its qualifier.
pub const MAX_QUALIFIER_GAP_WORDS: usize = 4;
/// Most words between a near-word («محيط», «قرب») or type word and the name.
pub const MAX_NEAR_WORD_DISTANCE: usize = 2;
/// A village named bare (no type word, no qualifier, nowhere else in the article marked as a
/// place) is taken for a place only from this rank (PPLA3 = 3) …
pub const NOTABLE_MIN_RANK: u8 = 3;
/// … or this population.
pub const NOTABLE_MIN_POPULATION: u64 = 5000;
