//! Every tunable constant and word list of the extractor, in one place.
//!
//! Thresholds are in characters (Unicode scalars) of whitespace-collapsed text unless
//! said otherwise. Word lists are matched against lower-cased `class`/`id` tokens
//! (split on spaces, `-` and `_`) or against the start of a text block.

/// Input beyond this many bytes is not parsed (a best-effort article comes from the
/// first part of the page). Keeps time and memory bounded on hostile input.
pub const MAX_HTML_BYTES: usize = 12 * 1024 * 1024;

/// Parsing stops after this many nodes (the article comes from the first part of
/// the page).
pub const MAX_NODES: usize = 2_000_000;

/// Elements are not opened deeper than this many levels (bounds the tree builder's
/// scope checks on hostile nesting; their content still goes to the deepest open
/// element).
pub const MAX_NESTING: usize = 400;

/// Attributes the parser keeps (others are removed: `style` is kept only
/// when it may hide the element, `href` only on `<link>`).
pub const KEPT_ATTRIBUTES: &[&str] = &[
    "class",
    "id",
    "hidden",
    "aria-hidden",
    "itemprop",
    "property",
    "name",
    "content",
    "datetime",
    "lang",
    "rel",
    "type",
    "http-equiv",
    "role",
];

/// Class attributes are cut to their first tokens while parsing (class lists are
/// read only that far).
pub const MAX_CLASS_TOKENS: usize = 10;

/// Elements the parser skips unread up to their end tag (their content is never article text).
pub const STRIPPED_RAW_ELEMENTS: &[&str] = &[
    "script", "style", "svg", "noscript", "template", "iframe", "object", "math",
];

/// Elements dropped with everything under them.
pub const DROP_TAGS: &[&str] = &[
    "nav", "aside", "footer", "button", "select", "input", "textarea", "option", "canvas", "video",
    "audio", "embed", "dialog", "menu", "map", "label", "head",
];

/// Elements dropped only when they are not inside an `<article>` or `<main>`.
pub const DROP_TAGS_OUTSIDE_ARTICLE: &[&str] = &["header", "form"];

/// Elements whose end starts a new paragraph.
pub const BLOCK_TAGS: &[&str] = &[
    "p",
    "div",
    "section",
    "article",
    "main",
    "blockquote",
    "pre",
    "ul",
    "ol",
    "li",
    "dl",
    "dt",
    "dd",
    "table",
    "tr",
    "td",
    "th",
    "tbody",
    "thead",
    "h1",
    "h2",
    "h3",
    "h4",
    "h5",
    "h6",
    "figure",
    "figcaption",
    "header",
    "footer",
    "address",
    "center",
    "body",
    "hr",
    "details",
    "summary",
    "caption",
    "form",
    "fieldset",
];

/// Heading elements: paragraphs under them are subheadings.
pub const HEADING_TAGS: &[&str] = &["h2", "h3", "h4", "h5", "h6"];

/// `class`/`id` words of page chrome: an element carrying one is dropped (see
/// [`PROTECTED_SHARE`]).
pub const NEGATIVE_WORDS: &[&str] = &[
    "comment",
    "comments",
    "commentlist",
    "disqus",
    "share",
    "sharing",
    "sharer",
    "social",
    "socials",
    "related",
    "relatedposts",
    "sidebar",
    "widget",
    "widgets",
    "advert",
    "advertisement",
    "ads",
    "ad",
    "adsbygoogle",
    "dfp",
    "gpt",
    "promo",
    "promotion",
    "newsletter",
    "subscribe",
    "subscription",
    "signup",
    "breadcrumb",
    "breadcrumbs",
    "cookie",
    "cookies",
    "consent",
    "popup",
    "modal",
    "outbrain",
    "taboola",
    "sponsored",
    "sponsor",
    "recommended",
    "recommendations",
    "trending",
    "popular",
    "mostread",
    "most",
    "navbar",
    "nav",
    "navigation",
    "menu",
    "footer",
    "masthead",
    "topbar",
    "toolbar",
    "pagination",
    "pager",
    "byline",
    "dateline",
    "author",
    "meta",
    "date",
    "timestamp",
    "caption",
    "credit",
    "credits",
    "tags",
    "tag",
    "tagcloud",
    "keywords",
    "print",
    "fontsize",
    "font",
    "rating",
    "vote",
    "login",
    "skip",
    "sronly",
    "sr",
    "visually",
    "breaking",
    "ticker",
    "newsticker",
    "banner",
    "bio",
    "follow",
    "readmore",
    "next",
    "prev",
    "previous",
    "jump",
    "toc",
    "audio",
    "video",
    "player",
    "gallery",
    "slideshow",
    "carousel",
    "embed",
    "lightbox",
    "overlay",
    "alert",
    "notice",
    "cta",
    "donate",
    "feedback",
    "login",
    "search",
    "weather",
    "utility",
    "utilities",
    "tools",
    "stats",
    "counter",
    "headline",
    "kicker",
    "teaser",
];

/// `class`/`id` words that mark the article itself.
pub const POSITIVE_WORDS: &[&str] = &[
    "article",
    "articlebody",
    "content",
    "entry",
    "post",
    "story",
    "body",
    "text",
    "main",
    "blog",
    "prose",
    "richtext",
    "news",
    "single",
    "detail",
    "details",
    "page",
    "txt",
    "column",
    "paragraph",
    "inner",
];

/// Compound class tokens (after lower-casing and removing `-`/`_`) that mark the
/// article body strongly: never dropped, and preferred as containers. A token
/// matches when it contains one (BEM prefixes such as `c-entry-content`).
pub const BODY_MARKERS: &[&str] = &[
    "articlebody",
    "articlecontent",
    "articletext",
    "entrycontent",
    "postcontent",
    "postbody",
    "storybody",
    "storycontent",
    "storytext",
    "bodytext",
    "articlebodytext",
    "newscontent",
    "newsbody",
    "contentbody",
    "maincontent",
    "posttext",
    "entrytext",
    "articledetail",
    "articledetails",
    "itemfulltext",
    "detailscontent",
    "fieldbody",
    "blogpostcontent",
    "textcontent",
    "richtext",
];

/// Every [`BODY_MARKERS`] entry contains one of these (a quick pre-check).
pub const BODY_MARKER_CORES: &[&str] = &["body", "content", "text", "detail"];

/// A node holding at least this share of the page's `<p>` text is never dropped by
/// class/tag rules (it must be the page's main part, however it is named) ...
pub const PROTECTED_SHARE: f64 = 0.5;
/// ... as long as the page has at least this much `<p>` text.
pub const PROTECTED_MIN_CHARS: usize = 500;

/// A text block shorter than this is not scored.
pub const MIN_SCORED_BLOCK_CHARS: usize = 25;
/// Score per `MIN_LEN_UNIT` characters of a block, up to `MAX_LEN_POINTS`.
pub const LEN_UNIT: usize = 100;
pub const MAX_LEN_POINTS: f64 = 3.0;
/// Divider for the score a block passes to its n-th ancestor (1-based).
pub const ANCESTOR_DIVIDERS: &[f64] = &[1.0, 2.0, 6.0, 9.0, 12.0];
/// Score added or removed for positive / negative `class`/`id` words.
pub const CLASS_WEIGHT: f64 = 25.0;
/// Extra score for a container that carries a [`BODY_MARKERS`] token.
pub const BODY_MARKER_WEIGHT: f64 = 50.0;
/// Initial scores by tag.
pub const TAG_SCORES: &[(&str, f64)] = &[
    ("div", 5.0),
    ("article", 10.0),
    ("main", 5.0),
    ("section", 3.0),
    ("pre", 3.0),
    ("td", 3.0),
    ("blockquote", 3.0),
    ("ol", -3.0),
    ("ul", -3.0),
    ("li", -3.0),
    ("dl", -3.0),
    ("form", -3.0),
    ("h1", -5.0),
    ("h2", -5.0),
    ("h3", -5.0),
    ("th", -5.0),
];

/// Siblings of the best container join it when their score reaches this share of
/// the best score (and at least `SIBLING_MIN_SCORE`).
pub const SIBLING_SHARE: f64 = 0.2;
pub const SIBLING_MIN_SCORE: f64 = 10.0;
/// Containers elsewhere whose class tokens overlap the best container's this much
/// (Jaccard) and that score like a sibling join it (content split into chunks).
pub const SAME_CLASS_SIMILARITY: f64 = 0.5;
/// A sibling paragraph joins when at least this long with link density under
/// `SIBLING_MAX_LINK_DENSITY`.
pub const SIBLING_PARAGRAPH_CHARS: usize = 80;
pub const SIBLING_MAX_LINK_DENSITY: f64 = 0.25;
/// When the best container's parent scores at least this share of it, and holds
/// more text, the parent is taken instead (content split across several children).
pub const PARENT_SCORE_SHARE: f64 = 0.75;

/// A paragraph whose link text is over this share of its text is dropped ...
pub const MAX_LINK_DENSITY: f64 = 0.5;
/// ... and a short one (under `SHORT_PARAGRAPH_CHARS`) over this share.
pub const MAX_LINK_DENSITY_SHORT: f64 = 0.3;
pub const SHORT_PARAGRAPH_CHARS: usize = 60;

/// When the article found is shorter than this, other strategies are tried.
pub const MIN_ARTICLE_CHARS: usize = 300;
/// The all-paragraphs fallback keeps blocks at least this long.
pub const FALLBACK_BLOCK_CHARS: usize = 60;

/// Lines of page chrome that survive inside article containers: a paragraph that
/// starts with one of these and is shorter than `CHROME_LINE_MAX_CHARS` is dropped.
/// Compared after lower-casing.
pub const CHROME_LINE_PREFIXES: &[&str] = &[
    "اقرأ أيضا",
    "اقرأ أيضاً",
    "إقرأ أيضا",
    "إقرأ أيضاً",
    "اقرأ ايضا",
    "اقرأ المزيد",
    "شارك",
    "شاركها",
    "تابعونا",
    "تابعوا",
    "تابعنا",
    "للمزيد",
    "المصدر:",
    "مواضيع ذات صلة",
    "أخبار ذات صلة",
    "الأكثر قراءة",
    "وسوم",
    "الكلمات المفتاحية",
    "حجم الخط",
    "+a",
    "إعلان",
    "جميع الحقوق محفوظة",
    "©",
    "copyright",
    "all rights reserved",
    "read more",
    "read also",
    "related:",
    "related articles",
    "related stories",
    "see also",
    "share this",
    "share on",
    "share:",
    "advertisement",
    "sponsored",
    "follow us",
    "sign up",
    "subscribe",
    "click here",
    "image:",
    "photo:",
    "image caption",
    "getty images",
    "(ap photo",
    "ap photo",
    "loading",
    "please enable javascript",
    "you may also like",
    "recommended",
    "more from",
    "leer más",
    "lesen sie auch",
];
pub const CHROME_LINE_MAX_CHARS: usize = 120;

/// `class`/`id` words of dropped elements whose text is read for a dateline or a
/// visible date (bylines, date lines).
pub const META_LINE_WORDS: &[&str] = &[
    "byline",
    "dateline",
    "meta",
    "author",
    "date",
    "time",
    "timestamp",
    "posted",
    "published",
    "source",
    "location",
    "place",
    "info",
];

/// Words that mark the reporter/outlet side of a dateline («إدلب - مراسل الشبكة»).
pub const DATELINE_NON_PLACE_WORDS: &[&str] = &[
    "خاص",
    "مراسل",
    "مراسلنا",
    "مراسلة",
    "الشبكة",
    "وكالات",
    "وكالة",
    "فريق",
    "التحرير",
    "المحرر",
    "متابعات",
    "تقرير",
    "رويترز",
    "فرانس",
    "الأناضول",
    "سانا",
    "برس",
    "نيوز",
    "الإخبارية",
    "اليوم",
    "تحرير",
    "قسم",
    "الأخبار",
];
/// A dateline place has at most this many words.
pub const DATELINE_MAX_PLACE_WORDS: usize = 3;
/// A dateline/byline line is at most this long.
pub const DATELINE_MAX_LINE_CHARS: usize = 90;

/// Title separators between a headline and the site name.
pub const TITLE_SEPARATORS: &[&str] = &[
    " | ", " - ", " – ", " — ", " :: ", " « ", " » ", " · ", " / ",
];

/// Places whose name in a visible date line gives the zone of that time.
/// Used when `rasd_arabic::dates::zone_for_place` does not know the place.
pub const PLACE_ZONES: &[(&str, &str)] = &[
    ("دمشق", "Asia/Damascus"),
    ("سوريا", "Asia/Damascus"),
    ("حلب", "Asia/Damascus"),
    ("إدلب", "Asia/Damascus"),
    ("ادلب", "Asia/Damascus"),
    ("درعا", "Asia/Damascus"),
    ("بغداد", "Asia/Baghdad"),
    ("العراق", "Asia/Baghdad"),
    ("بيروت", "Asia/Beirut"),
    ("لبنان", "Asia/Beirut"),
    ("عمان", "Asia/Amman"),
    ("عمّان", "Asia/Amman"),
    ("القاهرة", "Africa/Cairo"),
    ("طرابلس", "Africa/Tripoli"),
    ("تونس", "Africa/Tunis"),
    ("الرياض", "Asia/Riyadh"),
    ("صنعاء", "Asia/Aden"),
    ("عدن", "Asia/Aden"),
    ("الدوحة", "Asia/Qatar"),
    ("دبي", "Asia/Dubai"),
    ("أبوظبي", "Asia/Dubai"),
    ("إسطنبول", "Europe/Istanbul"),
    ("اسطنبول", "Europe/Istanbul"),
    ("أنقرة", "Europe/Istanbul"),
    ("غازي عنتاب", "Europe/Istanbul"),
    ("القدس", "Asia/Jerusalem"),
    ("غزة", "Asia/Gaza"),
    ("الخرطوم", "Africa/Khartoum"),
    ("الجزائر", "Africa/Algiers"),
    ("الرباط", "Africa/Casablanca"),
    ("موسكو", "Europe/Moscow"),
    ("لندن", "Europe/London"),
    ("باريس", "Europe/Paris"),
    ("برلين", "Europe/Berlin"),
    ("واشنطن", "America/New_York"),
    ("نيويورك", "America/New_York"),
    ("طهران", "Asia/Tehran"),
];

/// Month names in visible dates: Levantine/Iraqi, Egyptian/Maghrebi transliterations,
/// English.
pub const MONTH_NAMES: &[(&str, i8)] = &[
    ("كانون الثاني", 1),
    ("شباط", 2),
    ("آذار", 3),
    ("اذار", 3),
    ("نيسان", 4),
    ("أيار", 5),
    ("ايار", 5),
    ("حزيران", 6),
    ("تموز", 7),
    ("آب", 8),
    ("اب", 8),
    ("أيلول", 9),
    ("ايلول", 9),
    ("تشرين الأول", 10),
    ("تشرين الاول", 10),
    ("تشرين الثاني", 11),
    ("كانون الأول", 12),
    ("كانون الاول", 12),
    ("يناير", 1),
    ("فبراير", 2),
    ("مارس", 3),
    ("أبريل", 4),
    ("ابريل", 4),
    ("إبريل", 4),
    ("مايو", 5),
    ("يونيو", 6),
    ("يونيه", 6),
    ("يوليو", 7),
    ("يوليه", 7),
    ("أغسطس", 8),
    ("اغسطس", 8),
    ("سبتمبر", 9),
    ("أكتوبر", 10),
    ("اكتوبر", 10),
    ("نوفمبر", 11),
    ("ديسمبر", 12),
    ("january", 1),
    ("february", 2),
    ("march", 3),
    ("april", 4),
    ("may", 5),
    ("june", 6),
    ("july", 7),
    ("august", 8),
    ("september", 9),
    ("october", 10),
    ("november", 11),
    ("december", 12),
];

/// Bytes inspected to tell binary data from text.
pub const BINARY_SNIFF_BYTES: usize = 8192;
/// More control bytes than this share of the sniffed bytes means binary data.
pub const MAX_CONTROL_SHARE: f64 = 0.05;
