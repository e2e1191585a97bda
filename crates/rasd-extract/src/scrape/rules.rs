//! Every threshold and word list of the scrape cleaner, in one place.
//!
//! The lists name the *site furniture* of Arabic news pages (share rows, font
//! widgets, related-article headers, comment prompts, copyright notices, menus,
//! Telegram channel furniture), calendar words and a small city → time-zone table.
//! None of them names the words of any one article.

/// A sentence of at least this many words just above the first paragraph is its lead.
pub const LEAD_MIN_WORDS: usize = 4;
/// A line of at most this many words holding a site-name word is a brand, not a title.
pub const BRAND_MAX_WORDS: usize = 5;
/// A line with at least this many words may be a body paragraph.
pub const BODY_MIN_WORDS: usize = 8;
/// A question is a body paragraph only from this many words (shorter ones are
/// headlines or subheadings).
pub const BODY_QUESTION_MIN_WORDS: usize = 14;
/// A paragraph this long, ending a statement, is never a headline: the date line is
/// searched above the first one.
pub const STRONG_BODY_MIN_WORDS: usize = 12;
/// A line this long is a body paragraph even without final punctuation.
pub const BODY_LONG_WORDS: usize = 25;
/// Share of letters that must be Arabic for a line to count as Arabic prose.
pub const ARABIC_MIN_RATIO: f64 = 0.5;
/// A date line has at most this many words.
pub const DATE_LINE_MAX_WORDS: usize = 18;
/// A title has between these many words.
pub const TITLE_MIN_WORDS: usize = 2;
pub const TITLE_MAX_WORDS: usize = 40;
/// A standalone dateline ("درعا - خاص") has at most this many words on each side.
pub const DATELINE_SIDE_MAX_WORDS: usize = 4;
/// A subheading inside the body has at most this many words.
pub const HEADING_MAX_WORDS: usize = 16;
/// Menu rows: at least this many separated segments, each at most this many words.
pub const MENU_MIN_SEGMENTS: usize = 3;
pub const MENU_SEGMENT_MAX_WORDS: usize = 4;
/// Share rows: share of tokens that are network names or share verbs.
pub const SHARE_MIN_RATIO: f64 = 0.5;
/// Lines of UI furniture (prompts, headers) have at most this many words.
pub const UI_LINE_MAX_WORDS: usize = 6;
/// Copyright, subscription and comment lines have at most this many words.
pub const FOOTER_LINE_MAX_WORDS: usize = 20;
/// A wire dateline prefix ("دمشق، 7 آب 2023 (الوكالة) - ") is searched in this many
/// leading characters of the first paragraph.
pub const WIRE_PREFIX_MAX_CHARS: usize = 90;
/// A Telegram post (the line under a post header) has at least this many words.
pub const POST_MIN_WORDS: usize = 3;
/// Telegram post headers ("🔴 عاجل | دير الزور") have at most this many words.
pub const POST_HEADER_MAX_WORDS: usize = 7;

/// A breadcrumb's first segment.
pub static HOME_WORDS: &[&str] = &["الرئيسية", "الصفحة الرئيسية", "الرئيسة"];

/// A navigation line opening with a home word has at most this many words.
pub const NAV_LINE_MAX_WORDS: usize = 12;

/// Words of navigation menus that recur across Arabic news sites. A short line made
/// only of these (two or more) is a menu, whatever separates them (bars, dashes,
/// runs of spaces lost when the line was copied).
pub static MENU_WORDS: &[&str] = &[
    "الرئيسية",
    "الرئيسة",
    "الصفحة",
    "أخبار",
    "اخبار",
    "الأخبار",
    "سياسة",
    "اقتصاد",
    "رياضة",
    "منوعات",
    "تقارير",
    "مقالات",
    "تحقيقات",
    "فيديو",
    "صور",
    "ثقافة",
    "محليات",
    "محلية",
    "محلي",
    "عربي",
    "دولي",
    "عربية",
    "دولية",
    "رأي",
    "آراء",
    "صحة",
    "تكنولوجيا",
    "مجتمع",
    "حوارات",
    "ملفات",
    "إنفوغراف",
    "عاجل",
    "اتصل",
    "بنا",
    "من",
    "نحن",
    "و",
];

/// Counters next to a number on channel pages ("12.4K مشترك").
pub static COUNTER_WORDS: &[&str] = &[
    "مشترك",
    "مشتركين",
    "مشتركون",
    "متابع",
    "متابعين",
    "متابعون",
    "مشاهدة",
    "مشاهدات",
    "عضو",
    "أعضاء",
    "subscribers",
    "members",
    "views",
];
/// A counter line has at most this many words.
pub const COUNTER_LINE_MAX_WORDS: usize = 3;
/// Editors' initials closing a wire story ("ن.ع / م.ش"): at most this many letters
/// in all.
pub const INITIALS_MAX_LETTERS: usize = 8;
/// A source before a dateline's colon ("مصياف-وكالة الشام للأنباء:") has at most this
/// many words.
pub const WIRE_SOURCE_MAX_WORDS: usize = 5;

/// Segment separators of menus, breadcrumbs and share rows.
pub static SEGMENT_SEPARATORS: &[char] = &['|', '>', '»', '›', '·', '•', '/', '\\', '◂', '▸'];

/// Whole lines that are live-coverage links, icons, font widgets, search boxes,
/// menu toggles (compared after trimming punctuation and symbols).
pub static UI_LINES: &[&str] = &[
    "icon",
    "البث المباشر",
    "التغطية الحية",
    "التغطية المباشرة",
    "بث مباشر",
    "مباشر",
    "حجم الخط",
    "تكبير الخط",
    "تصغير الخط",
    "A",
    "+A",
    "-A",
    "A+",
    "A-",
    "بحث",
    "البحث",
    "ابحث",
    "ابحث هنا",
    "بحث في الموقع",
    "اكتب كلمة البحث",
    "القائمة",
    "القائمة الرئيسية",
    "الرئيسية",
    "تسجيل الدخول",
    "اشترك",
    "طباعة",
    "حفظ",
    "نسخ الرابط",
    "المزيد",
    "عاجل",
    "إعلان",
    "اعلان",
    "Advertisement",
    "Menu",
    "Search",
    "Home",
];

/// Words that make up UI rows (font widgets, menus); a short line made only of these
/// and of symbols is furniture.
pub static UI_WORDS: &[&str] = &[
    "A",
    "+A",
    "-A",
    "A+",
    "A-",
    "حجم",
    "الخط",
    "القائمة",
    "بحث",
    "البحث",
    "icon",
    "الرئيسية",
    "طباعة",
    "تكبير",
    "تصغير",
];

/// Social networks (a row of two or more of these, with little else, is a share row).
pub static SHARE_NETWORKS: &[&str] = &[
    "فيسبوك",
    "فيس",
    "بوك",
    "تويتر",
    "واتساب",
    "واتس",
    "تلغرام",
    "تليغرام",
    "تيليغرام",
    "تيليجرام",
    "تلجرام",
    "انستغرام",
    "إنستغرام",
    "يوتيوب",
    "لينكدإن",
    "لينكد",
    "جوجل+",
    "جوجل",
    "ماسنجر",
    "إكس",
    "Facebook",
    "Twitter",
    "WhatsApp",
    "Telegram",
    "X",
    "LinkedIn",
    "Email",
    "Pinterest",
    "Reddit",
];

/// Words that go with network names in share rows ("شارك الخبر عبر ...").
pub static SHARE_FILLERS: &[&str] = &[
    "شارك",
    "شاركوا",
    "مشاركة",
    "المشاركة",
    "الخبر",
    "المقال",
    "الحصاد",
    "انشر",
    "عبر",
    "على",
    "Share",
    "اب",
    "إن",
    "بريد",
    "إلكتروني",
    "و",
];

/// Line openings of share rows, follow prompts and subscription prompts.
pub static FOLLOW_PREFIXES: &[&str] = &[
    "شارك",
    "شاركوا",
    "مشاركة",
    "انشر",
    "تابعونا",
    "تابعنا",
    "تابعوا",
    "للاشتراك",
    "اشترك",
    "اشتركوا",
    "انضم",
    "انضموا",
    "حمّل تطبيق",
    "حمل تطبيق",
    "أعد التوجيه",
];

/// Headers of related-article lists; the short lines after them are links.
pub static RELATED_HEADERS: &[&str] = &[
    "اقرأ أيضاً",
    "اقرأ أيضا",
    "إقرأ أيضاً",
    "إقرأ أيضا",
    "اقرأ ايضا",
    "اقرأ المزيد",
    "اقرأ كذلك",
    "أخبار ذات صلة",
    "اخبار ذات صلة",
    "مواضيع ذات صلة",
    "مقالات ذات صلة",
    "روابط ذات صلة",
    "ذات صلة",
    "الأكثر قراءة",
    "الأكثر مشاهدة",
    "الأكثر تداولاً",
    "الأكثر تداولا",
    "الأكثر شيوعاً",
    "آخر الأخبار",
    "اخر الاخبار",
    "أحدث الأخبار",
    "قد يهمك",
    "قد يعجبك أيضاً",
    "شاهد أيضاً",
    "شاهد أيضا",
    "يهمك أيضاً",
    "المزيد من الأخبار",
    "أخبار متعلقة",
    "Related",
    "Read more",
];

/// Headers and prompts of comment sections; nothing after them is article.
pub static COMMENT_HEADERS: &[&str] = &[
    "التعليقات",
    "تعليقات",
    "تعليقات الزوار",
    "تعليقات القراء",
    "أضف تعليقاً",
    "أضف تعليقا",
    "أضف تعليق",
    "اضف تعليق",
    "اترك تعليقاً",
    "اترك تعليقا",
    "اترك رداً",
    "اكتب تعليقك",
    "أضف تعليقك",
    "اضف تعليقك",
    "اكتب تعليقاً",
    "اكتب تعليقا",
    "اترك تعليقك",
    "شارك برأيك",
    "رأيك يهمنا",
    "شاركنا رأيك",
    "التعليقات مغلقة",
    "التعليقات معطلة",
    "Comments",
];

/// Phrases of copyright and republication notices.
pub static COPYRIGHT_PHRASES: &[&str] = &[
    "©",
    "حقوق النشر محفوظة",
    "جميع الحقوق محفوظة",
    "كل الحقوق محفوظة",
    "الحقوق محفوظة",
    "حقوق النشر",
    "يمنع إعادة النشر",
    "يُمنع إعادة النشر",
    "يُمنع النسخ",
    "يمنع النسخ",
    "All rights reserved",
    "Copyright",
];

/// Line openings of tag rows and other footer furniture.
pub static TAG_PREFIXES: &[&str] = &[
    "الوسوم",
    "وسوم",
    "الكلمات المفتاحية",
    "كلمات مفتاحية",
    "الكلمات الدلالية",
    "تصنيفات",
    "التصنيف",
    "المصدر:",
    "Tags",
    "سياسة الخصوصية",
    "من نحن",
    "اتصل بنا",
];

/// Line openings that end a wire story ("(انتهى)") or mark a photo caption.
pub static WIRE_END_PREFIXES: &[&str] = &["(انتهى)", "انتهى", "(ا ن)", "-انتهى-"];
pub static CAPTION_PREFIXES: &[&str] = &[
    "صورة:",
    "الصورة:",
    "صورة -",
    "صورة أرشيفية:",
    "📷",
    "📸",
    "🖼",
];

/// Words of outlet names ("وكالة ... للأنباء", "... نيوز", "شبكة ...").
pub static SITE_NAME_WORDS: &[&str] = &[
    "وكالة",
    "للأنباء",
    "نيوز",
    "شبكة",
    "قناة",
    "موقع",
    "صحيفة",
    "جريدة",
    "مرصد",
    "تلفزيون",
    "إذاعة",
    "راديو",
    "بوست",
    "برس",
    "تايمز",
    "نت",
    "أونلاين",
    "تي",
    "في",
];

/// Byline openings.
pub static AUTHOR_PREFIXES: &[&str] = &[
    "بقلم",
    "كتب",
    "كتبه",
    "كتبت",
    "إعداد",
    "اعداد",
    "تحرير",
    "ترجمة",
    "المحرر",
    "الكاتب",
];

/// Openings of relative times ("منذ 3 ساعات") and reading-time notes.
pub static RELATIVE_TIME_PREFIXES: &[&str] = &["منذ", "قبل"];
pub static RELATIVE_TIME_UNITS: &[&str] = &[
    "دقيقة",
    "دقائق",
    "دقيقتين",
    "ساعة",
    "ساعات",
    "ساعتين",
    "يوم",
    "أيام",
    "يومين",
    "أسبوع",
    "أسابيع",
];
pub static READING_TIME_WORDS: &[&str] = &[
    "دقائق قراءة",
    "دقيقة قراءة",
    "دقيقة للقراءة",
    "مدة القراءة",
    "وقت القراءة",
];

/// Kicker labels that open a title or a Telegram post ("عاجل | ...").
pub static KICKERS: &[&str] = &[
    "عاجل",
    "تحديث",
    "متابعة",
    "خاص",
    "مباشر",
    "هام",
    "تحقيق",
    "تقرير",
    "فيديو",
    "بالفيديو",
    "بالصور",
    "حصري",
    "مترجم",
    "رأي",
    "تحليل",
    "إنفوغراف",
];

/// Words after a standalone dateline's dash that name the outlet's sourcing.
pub static DATELINE_SOURCING: &[&str] = &["خاص", "متابعات", "وكالات", "مراسلنا", "مراسل"];

/// Section names that appear where a dateline could (after a date line's bar).
pub static CATEGORY_WORDS: &[&str] = &[
    "أخبار",
    "اخبار",
    "تقارير",
    "تقرير",
    "رأي",
    "محلي",
    "محليات",
    "سياسة",
    "اقتصاد",
    "رياضة",
    "منوعات",
    "ثقافة",
    "تحقيقات",
    "مقالات",
    "عربي ودولي",
    "دولي",
    "عاجل",
    "حوارات",
    "صحة",
    "تكنولوجيا",
];

/// Day names (a date line often starts with one).
pub static WEEKDAYS: &[&str] = &[
    "الأحد",
    "الاحد",
    "الاثنين",
    "الإثنين",
    "الثلاثاء",
    "الأربعاء",
    "الاربعاء",
    "الخميس",
    "الجمعة",
    "السبت",
];

/// Gregorian month names, Levantine/Iraqi and Egyptian/Maghrebi, with their number.
/// Two-word names come first so that they win over their first word.
pub static MONTHS: &[(&str, u8)] = &[
    ("كانون الثاني", 1),
    ("كانون الأول", 12),
    ("كانون الاول", 12),
    ("تشرين الأول", 10),
    ("تشرين الاول", 10),
    ("تشرين الثاني", 11),
    ("شباط", 2),
    ("آذار", 3),
    ("اذار", 3),
    ("أذار", 3),
    ("نيسان", 4),
    ("أيار", 5),
    ("ايار", 5),
    ("حزيران", 6),
    ("تموز", 7),
    ("آب", 8),
    ("اب", 8),
    ("أيلول", 9),
    ("ايلول", 9),
    ("يناير", 1),
    ("جانفي", 1),
    ("فبراير", 2),
    ("فيفري", 2),
    ("مارس", 3),
    ("أبريل", 4),
    ("ابريل", 4),
    ("إبريل", 4),
    ("أفريل", 4),
    ("مايو", 5),
    ("ماي", 5),
    ("يونيو", 6),
    ("يونيه", 6),
    ("جوان", 6),
    ("يوليو", 7),
    ("يوليه", 7),
    ("جويلية", 7),
    ("أغسطس", 8),
    ("اغسطس", 8),
    ("أوت", 8),
    ("سبتمبر", 9),
    ("أكتوبر", 10),
    ("اكتوبر", 10),
    ("نوفمبر", 11),
    ("ديسمبر", 12),
];

/// Words after a time that mean afternoon / morning.
pub static PM_WORDS: &[&str] = &["م", "مساء", "مساءً", "مساءا", "PM", "pm"];
pub static AM_WORDS: &[&str] = &["ص", "صباحا", "صباحاً", "AM", "am"];

/// Words that introduce a time zone or a time ("بتوقيت دمشق", "آخر تحديث: 21:30").
pub static ZONE_INTRO: &[&str] = &["بتوقيت", "توقيت", "حسب توقيت"];
pub static TIME_LINE_WORDS: &[&str] = &[
    "آخر تحديث",
    "اخر تحديث",
    "تحديث",
    "نشر",
    "نُشر",
    "تاريخ النشر",
    "الساعة",
    "بتوقيت",
    "🕐",
    "⏰",
];

/// Places (cities, regions, countries) and their time zone, for date lines such as
/// `2022.10.25 | 12:48 دمشق`. Matched as whole words after dropping «ريف»/«مدينة».
pub static PLACE_ZONES: &[(&str, &str)] = &[
    ("دمشق", "Asia/Damascus"),
    ("ريف دمشق", "Asia/Damascus"),
    ("سوريا", "Asia/Damascus"),
    ("سورية", "Asia/Damascus"),
    ("درعا", "Asia/Damascus"),
    ("حلب", "Asia/Damascus"),
    ("حمص", "Asia/Damascus"),
    ("حماة", "Asia/Damascus"),
    ("إدلب", "Asia/Damascus"),
    ("ادلب", "Asia/Damascus"),
    ("اللاذقية", "Asia/Damascus"),
    ("طرطوس", "Asia/Damascus"),
    ("دير الزور", "Asia/Damascus"),
    ("الرقة", "Asia/Damascus"),
    ("الحسكة", "Asia/Damascus"),
    ("القامشلي", "Asia/Damascus"),
    ("السويداء", "Asia/Damascus"),
    ("القنيطرة", "Asia/Damascus"),
    ("تدمر", "Asia/Damascus"),
    ("منبج", "Asia/Damascus"),
    ("عفرين", "Asia/Damascus"),
    ("الباب", "Asia/Damascus"),
    ("البوكمال", "Asia/Damascus"),
    ("الميادين", "Asia/Damascus"),
    ("بغداد", "Asia/Baghdad"),
    ("العراق", "Asia/Baghdad"),
    ("الموصل", "Asia/Baghdad"),
    ("البصرة", "Asia/Baghdad"),
    ("أربيل", "Asia/Baghdad"),
    ("اربيل", "Asia/Baghdad"),
    ("كركوك", "Asia/Baghdad"),
    ("النجف", "Asia/Baghdad"),
    ("كربلاء", "Asia/Baghdad"),
    ("الفلوجة", "Asia/Baghdad"),
    ("الرمادي", "Asia/Baghdad"),
    ("السليمانية", "Asia/Baghdad"),
    ("بيروت", "Asia/Beirut"),
    ("لبنان", "Asia/Beirut"),
    ("صيدا", "Asia/Beirut"),
    ("صور", "Asia/Beirut"),
    ("عمان", "Asia/Amman"),
    ("عمّان", "Asia/Amman"),
    ("الأردن", "Asia/Amman"),
    ("إربد", "Asia/Amman"),
    ("القدس", "Asia/Jerusalem"),
    ("غزة", "Asia/Gaza"),
    ("رام الله", "Asia/Hebron"),
    ("الخليل", "Asia/Hebron"),
    ("القاهرة", "Africa/Cairo"),
    ("مصر", "Africa/Cairo"),
    ("الإسكندرية", "Africa/Cairo"),
    ("طرابلس", "Africa/Tripoli"),
    ("بنغازي", "Africa/Tripoli"),
    ("مصراتة", "Africa/Tripoli"),
    ("ليبيا", "Africa/Tripoli"),
    ("تونس", "Africa/Tunis"),
    ("الجزائر", "Africa/Algiers"),
    ("الرباط", "Africa/Casablanca"),
    ("الخرطوم", "Africa/Khartoum"),
    ("صنعاء", "Asia/Aden"),
    ("عدن", "Asia/Aden"),
    ("مأرب", "Asia/Aden"),
    ("تعز", "Asia/Aden"),
    ("الحديدة", "Asia/Aden"),
    ("اليمن", "Asia/Aden"),
    ("الرياض", "Asia/Riyadh"),
    ("جدة", "Asia/Riyadh"),
    ("الدوحة", "Asia/Qatar"),
    ("أبوظبي", "Asia/Dubai"),
    ("دبي", "Asia/Dubai"),
    ("الكويت", "Asia/Kuwait"),
    ("المنامة", "Asia/Bahrain"),
    ("مسقط", "Asia/Muscat"),
    ("طهران", "Asia/Tehran"),
    ("إسطنبول", "Europe/Istanbul"),
    ("اسطنبول", "Europe/Istanbul"),
    ("أنقرة", "Europe/Istanbul"),
    ("غازي عنتاب", "Europe/Istanbul"),
    ("موسكو", "Europe/Moscow"),
    ("جنيف", "Europe/Zurich"),
    ("باريس", "Europe/Paris"),
    ("لندن", "Europe/London"),
    ("برلين", "Europe/Berlin"),
    ("بروكسل", "Europe/Brussels"),
    ("واشنطن", "America/New_York"),
    ("نيويورك", "America/New_York"),
];
