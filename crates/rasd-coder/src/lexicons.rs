//! The coder's data files (`data/triggers.tsv`, `cues.tsv`, `victims.tsv`,
//! `nationalities.tsv`) loaded into phrase sets, and the small closed lists of
//! Arabic function words the argument rules read (prepositions and markers).

use rasd_model::SubEventType;

use crate::CoderError;
use crate::lexicon::{PhraseSet, tsv_rows};

const TRIGGERS: &str = include_str!("../data/triggers.tsv");
const CUES: &str = include_str!("../data/cues.tsv");
const VICTIMS: &str = include_str!("../data/victims.tsv");
const NATIONALITIES: &str = include_str!("../data/nationalities.tsv");

/// What a trigger points to.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TriggerKind {
    Sub(SubEventType),
    /// A shooting or assault typed by its victims (rule 2).
    AttackOrClash,
    /// A takeover typed by who takes (state forces or not).
    Territory,
    /// Crowd violence: makes a protest a riot.
    RiotCue,
    /// A phrase that is not an event and hides the shorter triggers inside it.
    Block,
}

/// One trigger entry.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Trigger {
    pub kind: TriggerKind,
    pub weight: f32,
}

/// Discourse and outcome cues.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Cue {
    Recall,
    Report,
    Start,
    ZeroAll,
    ZeroDeaths,
    /// «دون ورود أنباء عن»: the casualty noun after it is not a figure, and
    /// not a zero either (nothing was reported).
    NoWord,
    Denial,
    Support,
    Related,
    /// A word on the event just told (who claimed it, what a side said):
    /// never a new event.
    Elaboration,
}

/// Classes of victim nouns.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum VictimClass {
    Civilian,
    Armed,
    Person,
}

/// A victim noun: its class and the count the bare noun means (0: a plural).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct VictimNoun {
    pub class: VictimClass,
    pub count: u32,
}

/// All lexicons of the coder.
#[derive(Debug, Clone)]
pub struct Lexicons {
    pub(crate) triggers: PhraseSet<Trigger>,
    pub(crate) cues: PhraseSet<Cue>,
    pub(crate) victims: PhraseSet<VictimNoun>,
    pub(crate) nationalities: PhraseSet<String>,
}

fn bad(file: &str, line: usize, reason: impl Into<String>) -> CoderError {
    CoderError::BadData {
        file: file.into(),
        line,
        reason: reason.into(),
    }
}

impl Lexicons {
    /// The lexicons bundled in the crate.
    pub fn bundled() -> Lexicons {
        Lexicons::from_tsv(TRIGGERS, CUES, VICTIMS, NATIONALITIES)
            .expect("the bundled lexicons are valid")
    }

    /// Build lexicons from the text of the four data files.
    pub fn from_tsv(
        triggers: &str,
        cues: &str,
        victims: &str,
        nationalities: &str,
    ) -> Result<Lexicons, CoderError> {
        let mut t = PhraseSet::new();
        for (line, cols) in tsv_rows(triggers, "pattern") {
            if cols.len() < 2 {
                return Err(bad("triggers", line, "expected pattern and sub_event_type"));
            }
            let kind = match cols[1] {
                "attack_or_clash" => TriggerKind::AttackOrClash,
                "territory" => TriggerKind::Territory,
                "riot_cue" => TriggerKind::RiotCue,
                "none" => TriggerKind::Block,
                s => TriggerKind::Sub(
                    s.parse()
                        .map_err(|_| bad("triggers", line, format!("unknown type {s:?}")))?,
                ),
            };
            let weight = match cols.get(2) {
                Some(w) if !w.is_empty() => w
                    .parse::<f32>()
                    .map_err(|_| bad("triggers", line, format!("bad weight {w:?}")))?,
                _ => 0.7,
            };
            t.add(cols[0], Trigger { kind, weight });
        }
        let mut c = PhraseSet::new();
        for (line, cols) in tsv_rows(cues, "pattern") {
            let kind = match cols.get(1).copied() {
                Some("recall") => Cue::Recall,
                Some("report") => Cue::Report,
                Some("start") => Cue::Start,
                Some("zero_all") => Cue::ZeroAll,
                Some("zero_deaths") => Cue::ZeroDeaths,
                Some("no_word") => Cue::NoWord,
                Some("denial") => Cue::Denial,
                Some("support") => Cue::Support,
                Some("related") => Cue::Related,
                Some("elaboration") => Cue::Elaboration,
                other => return Err(bad("cues", line, format!("unknown cue kind {other:?}"))),
            };
            c.add(cols[0], kind);
        }
        let mut v = PhraseSet::new();
        for (line, cols) in tsv_rows(victims, "pattern") {
            let class = match cols.get(1).copied() {
                Some("civilian") => VictimClass::Civilian,
                Some("armed") => VictimClass::Armed,
                Some("person") => VictimClass::Person,
                other => return Err(bad("victims", line, format!("unknown class {other:?}"))),
            };
            let count = cols
                .get(2)
                .and_then(|n| n.parse().ok())
                .ok_or_else(|| bad("victims", line, "bad count"))?;
            v.add(cols[0], VictimNoun { class, count });
        }
        let mut n = PhraseSet::new();
        for (line, cols) in tsv_rows(nationalities, "adjective") {
            let actor = cols
                .get(1)
                .filter(|a| !a.is_empty())
                .ok_or_else(|| bad("nationalities", line, "missing actor"))?;
            n.add(cols[0], actor.to_string());
        }
        Ok(Lexicons {
            triggers: t,
            cues: c,
            victims: v,
            nationalities: n,
        })
    }
}

/// Closed lists of function words (folded keys, article removed), read by the
/// argument rules. These are grammar, not vocabulary, so they live in code.
pub(crate) mod words {
    /// Before an actor: it is the one who acted («برصاص مجهولين»، «من قبل»، «نفذته»).
    pub const AGENT_MARKERS: &[&str] = &[
        "رصاص",
        "قبل",
        "يد",
        "نفذته",
        "نفذها",
        "نفذه",
        "شنه",
        "شنها",
        "زرعها",
        "زرعته",
        "زرعه",
        "اطلقها",
        "اطلقته",
        "اطلقتها",
        "تبنته",
        "تبني",
        // «لغم من مخلفات داعش»: whoever left the ordnance (rule 10).
        "مخلفات",
    ];
    /// Civilians' property: looting it makes civilians the side hit
    /// (folded keys, article removed).
    pub const CIVILIAN_PROPERTY: &[&str] = &[
        "محل",
        "محلات",
        "متجر",
        "متاجر",
        "منزل",
        "منازل",
        "بيت",
        "بيوت",
        "ممتلكات",
        "مستودع",
        "مستودعات",
        "تاجر",
        "تجار",
        "مواطن",
        "مواطنين",
        "سكان",
        "مزارع",
        "مواشي",
        "اغنام",
        "سيارات",
    ];
    /// «قامت قوة بـ…»: the auxiliary verb whose subject does the act; «نصب
    /// عناصر من X كمينا/حاجزا»: setting up an ambush or a post, likewise.
    pub const DID: &[&str] = &[
        "قامت",
        "قام",
        "تقوم",
        "يقوم",
        "نصب",
        "نصبت",
        "نصبوا",
        "ينصب",
    ];
    /// Posts of armed men: an attack on one is a fight, not an attack on
    /// civilians.
    pub const MILITARY_POSTS: &[&str] = &["حاجز", "ثكنه", "معسكر"];
    /// Nouns of a site that an adjective makes military («موقع عسكري»).
    pub const SITE_NOUNS: &[&str] = &["موقع", "نقطه", "مقر", "قاعده", "مواقع", "نقاط", "مقرات"];
    pub const MILITARY_ADJECTIVES: &[&str] = &["عسكري", "عسكريه", "امني", "امنيه"];
    /// Words of the wounded taken to or treated in a hospital.
    pub const TREATMENT_WORDS: &[&str] = &[
        "نقل",
        "نقلت",
        "نقلوا",
        "نقلهم",
        "اسعف",
        "اسعفوا",
        "اسعاف",
        "اسعافهم",
        "يتلقي",
        "يتلقون",
        "تلقي",
        "يعالج",
        "علاج",
        "لعلاج",
    ];
    /// Unnamed parts of an area («مناطق بالغوطة», «أماكن في ريف حماة»).
    pub const VAGUE_PARTS: &[&str] = &["مناطق", "اماكن", "مواقع", "مواضع"];
    /// The parts of one group, as in «بين مكونات X» (infighting).
    pub const PARTS_OF_GROUP: &[&str] = &["مكونات", "فصائل", "صفوف", "اجنحه"];
    /// Opening a sentence: it happened at the same time as the story
    /// («وبالتزامن»، «تزامناً»، «وفي الأثناء»).
    pub const SIMULTANEITY: &[&str] = &["تزامن", "بالتزامن", "تزامنا", "اثناء"];
    /// An attempt («محاولة تفكيكها»): what follows may have failed.
    pub const ATTEMPT: &[&str] = &["محاوله", "محاولات", "يحاول", "حاول", "حاولت"];
    /// Announcement verbs: «أعلن الجيش … السيطرة على X» reports the takeover
    /// with its subject between the verb and the masdar.
    pub const ANNOUNCE_VERBS: &[&str] = &["اعلن", "اعلنت", "اعلنوا", "يعلن", "تعلن"];
    /// Mourning verbs: their subject is the side that lost men («نعى الحزب»).
    pub const MOURNING: &[&str] = &["نعي", "نعت", "ينعي", "تنعي"];
    /// A running toll («حصيلة القتلى»، «عدد القتلى»): its latest figure follows «إلى».
    pub const TOLL_WORDS: &[&str] = &["حصيله", "عدد"];
    /// A strike that hit something: damage, fire, a target struck (rule 14).
    pub const IMPACT_WORDS: &[&str] = &[
        "اضرار",
        "اضرارا",
        "دمار",
        "تدمير",
        "احتراق",
        "اصابت",
        "استهدف",
        "استهدفت",
        "مستهدفا",
        "سقوط",
        "سقطت",
        "طالت",
    ];
    /// Nouns for a source of news: a victim noun right after one is its adjective.
    pub const SOURCE_NOUNS: &[&str] = &["مصدر", "مصادر", "ناطق", "متحدث", "مسوول", "مسوولا"];
    /// A hospital: a place named just after it is where victims were taken.
    pub const HOSPITAL_WORDS: &[&str] = &["مشفي", "مستشفي"];
    /// Right before an actor alias: a destination («اقتادوهم إلى جهة
    /// مجهولة»), not a side of the event.
    pub const DESTINATION_MARKERS: &[&str] = &["الي", "نحو"];
    /// Before an actor: it is the target or the other side («على»، «ضد»، «مع»).
    pub const PATIENT_MARKERS: &[&str] = &[
        // «بحجة البحث عن خلايا التنظيم», «ملاحقة عناصر»: whom a raid hunts.
        "بحث",
        "ملاحقه",
        "مطارده",
        "علي",
        "ضد",
        "مع",
        "صفوف",
        "مواقع",
        "مقر",
        "مقرات",
        "مبني",
        "نقاط",
        "حافله",
        "معسكرا",
        "معسكر",
        "عربه",
        "سياره",
        "دوريه",
    ];
    /// Affiliation: the actor after it qualifies the one before.
    pub const SUBORDINATE_MARKERS: &[&str] = &["تابع", "تابعه", "تتبع", "يتبع"];
    /// Membership in a coalition: the actor after it is associated.
    pub const MEMBER_MARKERS: &[&str] = &["منضوي", "منضويه"];
    /// Words after a place that make it an origin or destination, not the event place.
    pub const ORIGIN_MARKERS: &[&str] = &["من", "نحو", "باتجاه", "اتجاه", "الي", "منحدر", "ينحدر"];
    /// Direction words: «شمالي درعا» qualifies a town, it is not the event place (rule 5).
    pub const DIRECTIONS: &[&str] = &[
        "شمالي",
        "جنوبي",
        "شرقي",
        "غربي",
        "شمال",
        "جنوب",
        "شرق",
        "غرب",
        "ريف",
        "قرب",
    ];
    /// Launch verbs: «أُطلقت من X» names where fire came from, not where it hit.
    pub const LAUNCH_VERBS: &[&str] = &[
        "اطلق",
        "اطلقت",
        "اطلقوا",
        "اطلقها",
        "انطلق",
        "انطلقت",
        "اطلاق",
        "انطلاق",
    ];
    /// Adjectives that name a section of a place after its name («السلحبية
    /// الشرقية», «الحمام التحتاني»): the section is the place's event.
    pub const SECTION_ADJECTIVES: &[&str] = &[
        "الشرقيه",
        "الغربيه",
        "الشماليه",
        "الجنوبيه",
        "الشرقي",
        "الغربي",
        "الشمالي",
        "الجنوبي",
        "الفوقاني",
        "التحتاني",
        "الفوقا",
        "التحتا",
    ];
    /// Words a bare place name may follow: prepositions and place words.
    pub const LOCATIVES: &[&str] = &[
        "في",
        "في",
        "علي",
        "قرب",
        "محيط",
        "اطراف",
        "عاصمه",
        "داخل",
        "حتي",
        "مدينتي",
        "بلدتي",
        "قريتي",
        "ومدينه",
        "سماء",
        "مدخل",
    ];
    /// Features named after a town: the name does not locate the town.
    pub const FEATURE_WORDS: &[&str] = &[
        "جبل",
        "وادي",
        "سهل",
        "تله",
        "تل",
        "نهر",
        "مطار",
        "سجن",
        "معسكر",
        "ساحه",
        "شارع",
        "دوار",
        "جامعه",
        "كليه",
        "سد",
        "حقل",
        "معبر",
        "فوج",
        "مستودعات",
        "قاعده",
    ];
    /// Where someone lives or comes from («المقيم في ريف دمشق», «ابن مدينة حلب»):
    /// read in the few words before a place.
    pub const RESIDENCE_WORDS: &[&str] = &[
        "مقيم",
        "مقيمه",
        "يقيم",
        "تقيم",
        "ابن",
        "ابناء",
        "نازح",
        "نازحين",
        "مهجرين",
    ];
    /// Residence words that say where someone lives or stays, whatever follows.
    pub const RESIDENT_WORDS: &[&str] =
        &["مقيم", "مقيمه", "يقيم", "تقيم", "نازح", "نازحين", "مهجرين"];
    /// Road words: «الطريق الدولي حلب - دمشق» names a road, not a place.
    /// Type words before a place's name, singular, dual and plural.
    pub const PLACE_TYPE_WORDS: &[&str] = &[
        "قريه",
        "بلده",
        "مدينه",
        "حي",
        "مخيم",
        "قري",
        "بلدات",
        "مدن",
        "احياء",
        "مخيمات",
        "قريتي",
        "بلدتي",
        "مدينتي",
        "حيي",
        "مزرعه",
        "مزارع",
        "ناحيه",
    ];
    /// Where a force stands («المتمركزة في», «من مواقعها في»): not where it hit.
    pub const STATIONED: &[&str] = &[
        "متمركزه",
        "متمركز",
        "متمركزين",
        "منتشره",
        "مواقعها",
        "مواقعه",
        "مواقعهم",
        "مرابضها",
        "تمركزها",
    ];
    pub const ROAD_WORDS: &[&str] = &["طريق", "دولي", "اوتوستراد", "اوتستراد", "سريع"];
    /// Casualty words: killed.
    pub const KILLED: &[&str] = &[
        "مقتل",
        "قتل",
        "قتلوا",
        "قتلا",
        "قتلت",
        "قتيل",
        "قتيلا",
        "قتلي",
        "قتيلان",
        "قتيلين",
        "وفاه",
        "مصرع",
        "شهداء",
        // «ارتفعت حصيلة الضحايا إلى …»: victims in a toll are the dead.
        "ضحايا",
        // «أدى العدوان إلى استشهاد خمسة أشخاص»: martyrdom words are deaths.
        "استشهاد",
        "استشهد",
        "استشهدت",
        "استشهدوا",
        "شهيد",
        "شهيدا",
        "شهيدان",
        "شهيدين",
        "اردوه",
        // «قضى شاب»، «لقي حتفه»، «جثث 3 مدنيين»: deaths told as a fate or as bodies.
        "فارق",
        "فارقت",
        "قضي",
        "حتفه",
        "حتفهم",
        "حتفهما",
        "حتفها",
        "جثث",
        "جثه",
        "جثامين",
    ];
    /// Casualty words: injured.
    pub const INJURED: &[&str] = &[
        "اصابه",
        "اصيب",
        "اصيبوا",
        "اصيبا",
        "اصيبت",
        "جريح",
        "جريحا",
        "جرحي",
        "جريحان",
        "جريحين",
        "مصاب",
        "مصابين",
        "اصابات",
    ];
    /// Casualty words: arrested.
    pub const ARRESTED: &[&str] = &[
        "اعتقال",
        "اعتقلت",
        "اعتقل",
        "اعتقلوا",
        "معتقل",
        "معتقلين",
        "احتجاز",
        "قبض",
    ];
    /// Casualty verbs in the plural or dual that follow their count.
    pub const PLURAL_VERBS: &[&str] = &["قتلوا", "قتلا", "اصيبوا", "اصيبا", "اعتقلوا", "استشهدوا"];
    /// Words skipped between a casualty word and its count.
    /// A crowd of ordinary people as the doers («أقدم عدد من الأهالي الغاضبين»).
    pub const CROWD: &[&str] = &[
        "اهالي",
        "غاضبون",
        "غاضبين",
        "حشد",
        "حشود",
        "جموع",
        "جمهره",
        "سكان",
        "متجمعين",
        "محتشدين",
    ];
    /// Stems of crowd participles, with whatever clitics («المتجمعين», «والمحتشدين»).
    pub const CROWD_STEMS: &[&str] = &["متجمع", "محتشد", "غاضب"];
    pub const COUNT_SKIP: &[&str] = &[
        // Time words between the verb and its count («ألقت القبض مطلع الأسبوع على
        // ثلاثة»).
        "مطلع",
        "اسبوع",
        "ماضي",
        "جاري",
        "صباح",
        "مساء",
        "ليل",
        "فجر",
        "ظهر",
        "عصر",
        "نحو",
        "اكثر",
        "من",
        "قرابه",
        "حوالي",
        "ما",
        "لا",
        "يقل",
        "عن",
        "يوم",
        "امس",
        "خلالها",
        "فيها",
        "فيه",
        "جراء",
        "اثر",
        "علي",
        "اقل",
        "يزيد",
        "اخيرا",
        "ايضا",
        "حصيله",
        "اوليه",
        "تجاوز",
        "بلغ",
        "ارتفع",
        "ارتفعت",
        "الي",
        "صباح",
        "مساء",
        "فجر",
        "ظهر",
        "عصر",
        "ب",
    ];
    /// Fire in support of an assault («تمهيد مدفعي», «إسناد ناري», «تشارك في
    /// قصف»): part of the fight it opens or backs.
    pub const SUPPORT_FIRE: &[&str] = &["تمهيد", "تمهيدا", "اسناد", "مسانده", "تشارك", "مشاركه"];
    /// «آخر»: one more; «آخرون/آخرين»: several more.
    pub const ANOTHER_ONE: &[&str] = &["اخر", "اخري"];
    pub const OTHERS: &[&str] = &["اخرون", "اخرين", "افراد"];
    /// Vague amounts.
    pub const DOZENS: &[&str] = &["عشرات"];
    pub const HUNDREDS: &[&str] = &["ميات"];
    pub const SEVERAL: &[&str] = &["عدد", "عده"];
    /// A breakdown of a total follows («بينهم»، «من بين»، «هم»).
    pub const BREAKDOWN: &[&str] = &["بينهم", "بين", "هم", "منهم"];

    /// Entries are matched against tokens' keys, which drop the article and
    /// fold letters: an entry written otherwise never matches.
    /// (`SECTION_ADJECTIVES` is compared with the words of a place's name,
    /// which keep their article, and is written that way.)
    #[cfg(test)]
    #[test]
    fn every_entry_is_written_as_a_key() {
        let lists: &[(&str, &[&str])] = &[
            ("AGENT_MARKERS", AGENT_MARKERS),
            ("CIVILIAN_PROPERTY", CIVILIAN_PROPERTY),
            ("SIMULTANEITY", SIMULTANEITY),
            ("ATTEMPT", ATTEMPT),
            ("DID", DID),
            ("ANNOUNCE_VERBS", ANNOUNCE_VERBS),
            ("MOURNING", MOURNING),
            ("TOLL_WORDS", TOLL_WORDS),
            ("IMPACT_WORDS", IMPACT_WORDS),
            ("SOURCE_NOUNS", SOURCE_NOUNS),
            ("HOSPITAL_WORDS", HOSPITAL_WORDS),
            ("DESTINATION_MARKERS", DESTINATION_MARKERS),
            ("PATIENT_MARKERS", PATIENT_MARKERS),
            ("SUBORDINATE_MARKERS", SUBORDINATE_MARKERS),
            ("MEMBER_MARKERS", MEMBER_MARKERS),
            ("ORIGIN_MARKERS", ORIGIN_MARKERS),
            ("DIRECTIONS", DIRECTIONS),
            ("LAUNCH_VERBS", LAUNCH_VERBS),
            ("LOCATIVES", LOCATIVES),
            ("FEATURE_WORDS", FEATURE_WORDS),
            ("RESIDENCE_WORDS", RESIDENCE_WORDS),
            ("RESIDENT_WORDS", RESIDENT_WORDS),
            ("STATIONED", STATIONED),
            ("PLACE_TYPE_WORDS", PLACE_TYPE_WORDS),
            ("ROAD_WORDS", ROAD_WORDS),
            ("KILLED", KILLED),
            ("INJURED", INJURED),
            ("ARRESTED", ARRESTED),
            ("PLURAL_VERBS", PLURAL_VERBS),
            ("CROWD", CROWD),
            ("CROWD_STEMS", CROWD_STEMS),
            ("COUNT_SKIP", COUNT_SKIP),
            ("ANOTHER_ONE", ANOTHER_ONE),
            ("SUPPORT_FIRE", SUPPORT_FIRE),
            ("OTHERS", OTHERS),
            ("DOZENS", DOZENS),
            ("HUNDREDS", HUNDREDS),
            ("SEVERAL", SEVERAL),
            ("BREAKDOWN", BREAKDOWN),
        ];
        let mut bad = Vec::new();
        for (name, list) in lists {
            for w in *list {
                if crate::text::key_of(w) != *w {
                    bad.push(format!("{name}: {w} (key {})", crate::text::key_of(w)));
                }
            }
        }
        assert!(bad.is_empty(), "entries that never match: {bad:#?}");
    }
}
