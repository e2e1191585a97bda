//! Every heuristic threshold of the coder, in one place.

/// A recalled event (rule 8) is news only when its day is at most this many
/// days before publication.
pub const RECENT_DAYS: i32 = 7;

/// A campaign start («بدأت الجمعة الماضية») opens an event's span only when it
/// is at most this many days before publication.
pub const CAMPAIGN_START_MAX_DAYS: i32 = 8;

/// Tokens after a casualty word in which its count is looked for.
pub const COUNT_FORWARD_TOKENS: usize = 7;

/// Tokens after the casualty word of a toll update («ارتفعت حصيلة القتلى في
/// … إلى N») in which «إلى N» is looked for.
pub const TOLL_FORWARD_TOKENS: usize = 10;

/// Tokens before a casualty verb («4 من المقاتلين قتلوا») in which its count is looked for.
pub const COUNT_BACKWARD_TOKENS: usize = 8;

/// Tokens between an actor and «من» + its own men («نعى X اثنين من
/// عناصره») for those men to be its own: the actor is the side hit.
pub const OWN_MEN_TOKENS: usize = 4;
/// Tokens back from an actor to a mourning verb whose subject it is
/// (punctuation such as quotation marks counts as a token).
pub const MOURNER_TOKENS: usize = 3;
/// Tokens back from a defusal or interception to a word of attempt
/// («أثناء محاولة عناصر من قوات X تفكيكها»).
pub const ATTEMPT_TOKENS: usize = 8;
/// Tokens at a sentence's start searched for a word of simultaneity
/// («وبالتزامن»، «وفي الأثناء»).
pub const SIMULTANEITY_TOKENS: usize = 3;

/// Tokens after a counted noun in which its side («من التنظيم») is looked for.
pub const SIDE_WINDOW_TOKENS: usize = 5;

/// Tokens before an actor in which a role marker (برصاص، على، مع …) is looked for.
pub const ROLE_MARKER_TOKENS: usize = 3;

/// Mentions of one type whose places are this close (km) are one event when
/// one of them is only known at district level or coarser.
pub const MERGE_RADIUS_KM: f64 = 40.0;

/// A place named as a section of another («السلحبية الشرقية» of «السلحبية»)
/// is the same event's place when the two are at most this far apart (km).
pub const SECTION_RADIUS_KM: f64 = 10.0;

/// Base confidence of an event, raised by what the article supports.
pub const BASE_CONFIDENCE: f64 = 0.35;
/// Added when the event has its own day in the text.
pub const CONFIDENCE_OWN_DAY: f64 = 0.15;
/// Added when the event's place is a community.
pub const CONFIDENCE_COMMUNITY: f64 = 0.1;
/// Added when actor1 was read from the text (not a default).
pub const CONFIDENCE_NAMED_ACTOR: f64 = 0.1;
/// Weight of the strongest trigger in the confidence.
pub const CONFIDENCE_TRIGGER_SHARE: f64 = 0.3;

/// The fall of the Assad government: unattributed air strikes before this day
/// are coded to Syrian Government Forces (rule 10).
pub const SYRIA_TRANSITION: (i16, i8, i8) = (2024, 12, 8);

/// Place choice in a sentence: a place is scored by its precision (×2) and
/// these adjustments; the best wins, and when all score below zero the place
/// of the event told before is kept.
/// A qualifier («جاسم شمالي درعا» → درعا): rule 5.
pub const PLACE_QUALIFIER_PENALTY: i32 = 20;
/// Origin, destination or road name («ينحدر من», «إلى», «طريق حلب»).
pub const PLACE_ORIGIN_PENALTY: i32 = 12;
/// After a direction word («شمالي X», «قرب X»).
pub const PLACE_DIRECTION_PENALTY: i32 = 6;
/// A bare name where no place stands (after a noun or a verb): the place
/// told before wins over it, else it is taken.
pub const PLACE_UNPLACED_PENALTY: i32 = 9;
/// A bare name in construct with a definite noun after it: a common word.
pub const PLACE_CONSTRUCT_PENALTY: i32 = 20;
/// Tokens before a place in which a launch verb and «من» make it the origin
/// of the fire («أُطلقت من محيط مطار … قرب X»).
pub const LAUNCH_ORIGIN_TOKENS: usize = 8;
/// Words before a place in which a residence word («المقيم في») is looked for.
pub const RESIDENCE_WINDOW: usize = 4;
/// A feature word before a bare name («جبل», «مطار»): not the town itself.
pub const PLACE_FEATURE_PENALTY: i32 = 20;
/// A type word («مدينة», «بلدة») before the name.
pub const PLACE_TYPED_BONUS: i32 = 3;

/// A strategic trigger weaker than this in a sentence that reports a fight
/// («خلال مداهمة عدد من المنازل») is part of the fight, not its own event.
pub const STRATEGIC_IN_FIGHT_MIN_WEIGHT: f32 = 0.7;

/// How many years back an undated article's «اليوم الاثنين 25 أيلول» is
/// looked for.
pub const PUBLISHED_SEARCH_YEARS: i16 = 15;

/// Tokens back from a date to «ضمن» / «في إطار» that tie it to a wider
/// operation rather than to the takeover told in the sentence.
pub(crate) const OPERATION_CONTEXT_TOKENS: usize = 8;

/// Tokens from a support cue («بمساندة», «بغطاء») to a weapon it introduces
/// («بمساندة المسيّرات التركية»): the weapon supports the attack told, it is
/// not a strike of its own.
pub(crate) const SUPPORT_WEAPON_TOKENS: usize = 3;

/// Extra tokens a plural fate («لقوا حتفهم», «قُتلوا») looks back for its count
/// across an aside between commas.
pub(crate) const PLURAL_FATE_EXTRA_TOKENS: usize = 6;

/// A report or anniversary cue in one of the article's first sentences (index
/// at most this) makes the article a report: undated sentences are background.
pub(crate) const REPORT_LEAD_SENTENCES: usize = 2;

/// Tokens back from «إلى N» to the toll word of a running toll («ارتفعت
/// الحصيلة عصر اليوم إلى N قتيلاً»).
pub(crate) const TOLL_BACK_TOKENS: usize = 6;

/// An area named within this many tokens of a sentence's start opens a new
/// place («وفي ريف دمشق، …»); later in the sentence it may only describe a party.
pub(crate) const AREA_OPENER_TOKENS: usize = 3;

/// A clause split off a sentence has at least this many tokens on each side
/// (shorter pieces are asides, not reports of their own).
pub const CLAUSE_MIN_TOKENS: usize = 3;
/// The trigger of a new clause stands within this many tokens of its start
/// («، وشنت طائرات العدوان الروسي غارات»).
pub const CLAUSE_TRIGGER_WINDOW: usize = 8;
/// The same after a linking word («كما», «فيما», «ثم»), whose clause may
/// name its subject at length before the action.
pub const CLAUSE_LINK_TRIGGER_WINDOW: usize = 16;

/// The least place score (see `Doc::place_scores`) of a place hit by its
/// sentence's action when the sentence names several (rule 16): a settlement
/// after a preposition scores 8, one after a direction word 2.
pub const TARGET_MIN_SCORE: i32 = 7;
/// A place at most this many words after another, joined by locating words
/// («في», «غربي», «ريف»), locates it rather than being hit itself.
pub const LOCATOR_GAP_TOKENS: usize = 3;

/// A report that names no force goes on with the force of the report at most
/// this many sentences (or clauses) before it in the same paragraph.
pub const AGENT_CARRY_SENTENCES: usize = 2;

/// Words the gazetteer does not know that may follow a locating word inside a
/// list of places («A في جبل شحشبو، وقريتي B»).
pub const LOCATOR_PHRASE_WORDS: usize = 3;

/// How far into a sentence a round-up's opener («وفي درعا،») may name its
/// province.
pub const OPENER_TOKENS: usize = 3;

/// A quarter the gazetteer places farther than this from the town its
/// sentence names is another town's quarter of the same name.
pub const QUARTER_TOWN_KM: f64 = 25.0;

/// How many tokens around a quarter a town may stand to be the town the
/// quarter is told of.
pub const QUARTER_CONTEXT_TOKENS: usize = 30;

/// Added to a quarter's score when its town is named in the same sentence:
/// the finer place is the event's (rule 16).
pub const PLACE_QUARTER_BONUS: i32 = 4;
