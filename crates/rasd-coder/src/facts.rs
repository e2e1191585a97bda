//! What each sentence says, read once: triggers, actors with their roles,
//! victims, places, dates, cues and figures. The mention and consolidation
//! stages only read these facts.

use std::collections::HashMap;
use std::ops::Range;

use crate::actors::ActorRegister;
use crate::counts::{self, ActorAt, Figure, Quantity};
use crate::lexicons::{Cue, Lexicons, Trigger, TriggerKind, VictimNoun, words};
use crate::sources::{DateRef, PlaceRef};
use crate::text::{Analysed, Token, TokenKind};
use crate::thresholds::{MOURNER_TOKENS, OWN_MEN_TOKENS, ROLE_MARKER_TOKENS};

/// The part an actor plays in its sentence.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Role {
    /// It acts (attacks, arrests, protests, signs first).
    Agent,
    /// It is the target or the other side («على», «مع», «ضد»).
    Patient,
    /// The people hit belong to it («عناصر من X», «مقتل 4 من X»).
    Victim,
    /// It fights alongside the agent.
    Support,
    /// It is on the same side as the actor mentioned just before it.
    SameSideAs(usize),
    /// It qualifies the actor before it («التابع لـ»): not a side of its own.
    Subordinate,
    /// It speaks («قال مصدر في X»): a side only of what it says it did.
    Source,
    Unknown,
}

/// An actor read in a sentence.
#[derive(Debug, Clone)]
pub(crate) struct ActorMention {
    pub tokens: Range<usize>,
    pub actor: usize,
    pub role: Role,
}

/// Everything read in one sentence.
#[derive(Debug, Clone, Default)]
pub(crate) struct Facts {
    pub triggers: Vec<(Range<usize>, Trigger)>,
    pub actors: Vec<ActorMention>,
    pub victims: Vec<(Range<usize>, VictimNoun)>,
    /// Indices into the article's place list.
    pub places: Vec<usize>,
    /// Indices into the article's date list.
    pub dates: Vec<usize>,
    pub cues: Vec<(Range<usize>, Cue)>,
    pub figures: Vec<Figure>,
    /// «وكان(ت) … قد …»: the pluperfect of a recalled event.
    pub pluperfect: bool,
    /// A short line with no sentence-final mark: a subheading or a label.
    pub heading: bool,
}

impl Facts {
    pub fn has_cue(&self, c: Cue) -> bool {
        self.cues.iter().any(|(_, k)| *k == c)
    }
}

/// Heads of group names that a definite noun can refer back to («التنظيم»
/// → the last «تنظيم …» named, «الهيئة», «الحركة», «الفيلق», «الفصائل», «الحزب»,
/// «الجماعة»).
const BACKREF_HEADS: &[&str] = &[
    "تنظيم",
    "هييه",
    "حركه",
    "فيلق",
    "فصايل",
    "فصيل",
    "جبهه",
    "لواء",
    "حزب",
    "جماعه",
];

/// Nouns a nationality adjective must follow to name a force
/// («طائرات حربية روسية», «بغطاء جوي روسي»).
const FORCE_NOUNS: &[&str] = &[
    "طايرات",
    "طايره",
    "مسيره",
    "مسيرات",
    "غارات",
    "غاره",
    "طيران",
    "قوات",
    "مقاتلات",
    "صواريخ",
    "ضربات",
    "ضربه",
    "جيش",
    "شرطه",
    "دوريه",
    "دوريات",
    "قصف",
    "جوي",
    "حربيه",
    "عسكريه",
    "بوارج",
    "مروحيات",
    "مدفعيه",
    "دبابات",
    "زوارق",
    // Soldiers and officers: «ثلاثة جنود عراقيين» are that country's forces.
    "جنود",
    "جندي",
    // «قوة إسرائيلية», «قوات تركية».
    "قوه",
    "جنديين",
    "جنديان",
    "ضباط",
    "ضابط",
    // A foreign force's posts and convoys: «قاعدة تركية», «نقطة روسية»,
    // «رتل أمريكي».
    "قاعده",
    "قواعد",
    "نقطه",
    "نقاط",
    "رتل",
    "ارتال",
];

/// Tokens before an actor in which a victim noun makes it the side hit
/// («ضابط برتبة ملازم في قوات النظام»).
const VICTIM_NOUN_TOKENS: usize = 4;

/// Stems of belonging before «إلى» («بالانتماء إلى», «ينتمون إلى», «انضم إلى»).
const BELONGING_STEMS: &[&str] = &["انتماء", "انتمائ", "ينتم", "منتم", "انضم", "ينضم", "انضمام"];

/// Tokens after «دون ورود أنباء عن» in which a casualty noun counts nobody
/// («… عن وقوع إصابات»).
const NO_WORD_REACH: usize = 3;

/// Words a sentence of at most this many tokens may have to be a heading.
const HEADING_MAX_TOKENS: usize = 14;

fn key_in(t: &Token, list: &[&str]) -> bool {
    t.is_word() && list.iter().any(|w| t.has_key(w))
}

/// A word before an actor that makes it the one who acted. «بقيادة X» names
/// the leader of an attack; «مبنى قيادة X» names a building.
fn agent_marker(t: &Token) -> bool {
    key_in(t, words::AGENT_MARKERS) || (t.folded == "بقياده" || t.folded == "وبقياده")
}

/// Read the facts of every sentence.
#[allow(clippy::too_many_arguments)]
pub(crate) fn read(
    text: &str,
    an: &Analysed,
    lex: &Lexicons,
    reg: &ActorRegister,
    places: &[PlaceRef],
    published: jiff::civil::Date,
    country: Option<&str>,
) -> (Vec<Facts>, Vec<DateRef>) {
    let mut out: Vec<Facts> = Vec::with_capacity(an.sentences.len());
    let mut dates: Vec<DateRef> = Vec::new();
    let mut last_by_head: HashMap<&'static str, usize> = HashMap::new();
    for s in &an.sentences {
        let r = s.tokens.clone();
        let toks = &an.tokens;
        let mut f = Facts {
            triggers: lex
                .triggers
                .find(toks, r.clone())
                .into_iter()
                .filter(|h| h.value.kind != TriggerKind::Block)
                .map(|h| (h.start..h.end, *h.value))
                .collect(),
            cues: lex
                .cues
                .find(toks, r.clone())
                .into_iter()
                .map(|h| (h.start..h.end, *h.value))
                .collect(),
            victims: lex
                .victims
                .find(toks, r.clone())
                .into_iter()
                // «مصدر عسكري»، «مصادر طبية»: an adjective of the source, no victim.
                .filter(|h| h.start == r.start || !key_in(&toks[h.start - 1], words::SOURCE_NOUNS))
                .map(|h| (h.start..h.end, *h.value))
                .collect(),
            ..Facts::default()
        };
        if let Some(at) = announced_takeover(toks, r.clone())
            && !f
                .triggers
                .iter()
                .any(|(tr, _)| tr.start < at.end && at.start < tr.end)
        {
            let pos = f.triggers.partition_point(|(tr, _)| tr.start < at.start);
            let takeover = Trigger {
                kind: TriggerKind::Territory,
                weight: 0.8,
            };
            f.triggers.insert(pos, (at, takeover));
        }
        // «ضربوه حتى الموت»: a crowd doing it makes mob violence; anyone else
        // (a patrol, a jailer) commits an attack.
        let crowd = r.clone().any(|k| key_in(&toks[k], words::CROWD));
        for (_, t) in f.triggers.iter_mut() {
            if t.kind == TriggerKind::Sub(rasd_model::SubEventType::MobViolence) && !crowd {
                t.kind = TriggerKind::AttackOrClash;
            }
        }
        f.places = places
            .iter()
            .enumerate()
            .filter(|(_, p)| p.bytes.start >= s.range.start && p.bytes.start < s.range.end)
            .map(|(i, _)| i)
            .collect();
        // Dates and numbers are read only where they can matter: in sentences
        // that report, recall or count something.
        let counts_something = counts::has_measure(toks, r.clone());
        if !f.triggers.is_empty() || !f.cues.is_empty() || counts_something {
            let first = dates.len();
            dates.extend(crate::sources::dates_in(
                text,
                toks,
                published,
                s.range.clone(),
            ));
            f.dates = (first..dates.len()).collect();
        }
        f.actors = read_actors(toks, r.clone(), lex, reg, country, &f, &mut last_by_head);
        // A place name inside an actor's name («هيئة تحرير الشام») is not a place.
        f.places.retain(|&pi| {
            let pt = &places[pi].tokens;
            !f.actors
                .iter()
                .any(|a| a.tokens.start < pt.end && pt.start < a.tokens.end)
        });
        let actor_at: Vec<ActorAt> = f
            .actors
            .iter()
            .map(|a| (a.tokens.clone(), a.actor))
            .collect();
        let victims: Vec<crate::lexicon::Hit<'_, VictimNoun>> = f
            .victims
            .iter()
            .map(|(vr, v)| crate::lexicon::Hit {
                start: vr.start,
                end: vr.end,
                value: v,
            })
            .collect();
        let qs: Vec<Quantity> = if counts_something {
            crate::sources::quantities_in(text, toks, s.range.clone())
        } else {
            Vec::new()
        };
        f.figures = counts::figures(toks, r.clone(), &qs, &victims, &actor_at);
        for (cr, _) in f.cues.iter().filter(|(_, c)| *c == Cue::NoWord) {
            let denied = cr.start..cr.end + NO_WORD_REACH;
            f.figures
                .retain(|x| x.value.is_some() || !denied.contains(&x.at));
        }
        f.pluperfect = is_pluperfect(toks, r.clone());
        // «وكانت الفصائل قد دخلت …، وسيطرت على …»: a clause goes on in the
        // tense and framing of the sentence it was split from.
        if s.continued
            && let Some(prev) = out.last()
        {
            f.pluperfect |= prev.pluperfect;
            let framing: Vec<(Range<usize>, Cue)> = prev
                .cues
                .iter()
                .filter(|(_, c)| matches!(c, Cue::Recall | Cue::Report))
                .cloned()
                .collect();
            f.cues.extend(framing);
        }
        let sentence_text = text[s.range.clone()].trim_end();
        f.heading = r.len() <= HEADING_MAX_TOKENS
            && !sentence_text.ends_with(['.', '!', '؟', '?', ':', '،', ','])
            && f.dates.is_empty()
            && qs.is_empty();
        out.push(f);
    }
    (out, dates)
}

/// How many words may stand between an announcement verb and the masdar
/// «السيطرة على» it announces (the subject and its attributes).
const ANNOUNCED_TAKEOVER_REACH: usize = 10;

/// «أعلن الجيش السوري المدعوم بقوات رديفة السيطرة على البلدة»: the masdar
/// «السيطرة على» is the takeover when an announcement verb opens its clause
/// (no clause break between them). Alone, «السيطرة على» is a goal or a state
/// («يسعى للسيطرة على», «الخارجة عن السيطرة»), never an event.
///
/// The masdar is rare, so it is found first and only then is its clause read
/// back for the verb: most sentences cost one string comparison per word.
fn announced_takeover(toks: &[Token], r: Range<usize>) -> Option<Range<usize>> {
    (r.start..r.end.saturating_sub(1)).find_map(|k| {
        // The masdar must be bare: «لـ/بـ السيطرة» is a purpose, not the news.
        if toks[k].folded != "السيطره" || !toks[k + 1].has_key("علي") {
            return None;
        }
        let announced = (r.start..k)
            .rev()
            .take(ANNOUNCED_TAKEOVER_REACH + 1)
            .take_while(|&j| toks[j].kind != TokenKind::Break)
            .any(|j| key_in(&toks[j], words::ANNOUNCE_VERBS));
        announced.then_some(k..k + 2)
    })
}

/// «وكانت الاشتباكات قد بدأت», «كان مجهولون قد ألقوا»: a form of كان opening
/// the sentence (or a clause after a colon) with «قد» a few words later.
fn is_pluperfect(toks: &[Token], r: Range<usize>) -> bool {
    const KANA: &[&str] = &["كان", "كانت", "كانوا"];
    const WINDOW: usize = 5;
    let mut starts = vec![r.start];
    for i in r.clone() {
        if toks[i].folded == ":" {
            starts.push(i + 1);
        }
    }
    starts.into_iter().any(|st| {
        let first = (st..r.end).find(|&i| toks[i].is_word());
        let Some(first) = first else { return false };
        key_in(&toks[first], KANA)
            && (first + 1..(first + WINDOW).min(r.end)).any(|i| toks[i].has_key("قد"))
    })
}

fn read_actors(
    toks: &[Token],
    r: Range<usize>,
    lex: &Lexicons,
    reg: &ActorRegister,
    country: Option<&str>,
    f: &Facts,
    last_by_head: &mut HashMap<&'static str, usize>,
) -> Vec<ActorMention> {
    let mut found: Vec<(Range<usize>, usize)> = Vec::new();
    for h in reg.phrases().find(toks, r.clone()) {
        let id = reg.pick(h.value, country);
        // Another country's police or army named by a generic alias
        // («القوات الأمنية» in an Iraqi story) is not the register's entry.
        let a = reg.actor(id);
        if a.kind == crate::actors::ActorKind::StateForces
            && country.is_some_and(|c| c != a.country)
        {
            continue;
        }
        found.push((h.start..h.end, id));
    }
    // Nationality adjectives after a force or weapon noun.
    for h in lex.nationalities.find(toks, r.clone()) {
        if found
            .iter()
            .any(|(fr, _)| fr.start <= h.start && h.start < fr.end)
        {
            continue;
        }
        let after_force = (h.start.saturating_sub(2).max(r.start)..h.start)
            .any(|k| key_in(&toks[k], FORCE_NOUNS));
        if after_force && let Some(id) = reg.id_of(h.value) {
            found.push((h.start..h.end, id));
        }
    }
    // Back-references: «التنظيم» → the last «تنظيم …» named.
    for k in r.clone() {
        if found.iter().any(|(fr, _)| fr.start <= k && k < fr.end) {
            continue;
        }
        let t = &toks[k];
        if !t.is_word() || !t.folded.contains("ال") {
            continue;
        }
        if let Some(head) = BACKREF_HEADS.iter().find(|h| t.has_key(h))
            && let Some(&id) = last_by_head.get(head)
        {
            found.push((k..k + 1, id));
        }
    }
    found.sort_by_key(|(fr, _)| fr.start);
    // Record heads for later back-references.
    for (fr, id) in &found {
        for k in fr.clone() {
            if let Some(head) = BACKREF_HEADS.iter().find(|h| toks[k].has_key(h)) {
                last_by_head.insert(head, *id);
            }
        }
    }
    // «X بقيادة Y»: the head of X refers to Y from now on.
    for w in found.windows(2) {
        let (a, b) = (&w[0], &w[1]);
        if (a.0.end..b.0.start).any(|k| toks[k].has_key("قياده"))
            && let Some(head) = BACKREF_HEADS.iter().find(|h| toks[a.0.start].has_key(h))
        {
            last_by_head.insert(head, b.1);
        }
    }
    // «X بقيادة Y»: Y leads; X is not a side of its own.
    let led: Vec<usize> = (1..found.len())
        .filter(|&i| {
            let gap = found[i - 1].0.end..found[i].0.start;
            gap.len() <= 2 && gap.clone().any(|k| toks[k].has_key("قياده"))
        })
        .map(|i| i - 1)
        .collect();
    // «بين X … وY»: the two sides of a clash.
    let mut between_second: Option<usize> = None;
    let between_first = found.iter().position(|(fr, _)| {
        (fr.start.saturating_sub(3).max(r.start)..fr.start).any(|k| toks[k].has_key("بين"))
    });
    if let Some(first) = between_first {
        between_second = (first + 1..found.len()).find(|&i| {
            let st = found[i].0.start;
            toks[st].folded.starts_with('و') || (st > 0 && toks[st - 1].folded.starts_with('و'))
        });
    }
    let trig_tokens: Vec<Range<usize>> = f.triggers.iter().map(|(tr, _)| tr.clone()).collect();
    let is_trigger = |k: usize| trig_tokens.iter().any(|tr| tr.start <= k && k < tr.end);
    let mut out: Vec<ActorMention> = Vec::new();
    for (idx, (fr, id)) in found.iter().enumerate() {
        let before = |n: usize| fr.start.saturating_sub(n).max(r.start)..fr.start;
        let mut role = Role::Unknown;
        // «اقتادوهم إلى جهة مجهولة»: a place they were taken to, not an actor.
        // («متهمين بالانتماء إلى تنظيم داعش»: after belonging, it is the
        // group the people named are members of.)
        let belonging = fr.start > r.start + 1
            && toks[fr.start - 2]
                .keys
                .iter()
                .any(|k| BELONGING_STEMS.iter().any(|b| k.starts_with(b)));
        if fr.start > r.start
            && key_in(&toks[fr.start - 1], words::DESTINATION_MARKERS)
            && !belonging
        {
            continue;
        }
        // «اضطرت القوات الكردية للانسحاب من القرى»: the side that withdrew
        // lost the place; it is not the one that took it.
        let withdrew = (fr.end..(fr.end + 2).min(r.end)).any(|k| {
            toks[k]
                .keys
                .iter()
                .any(|key| key.contains("انسحاب") || key.starts_with("انسحب"))
        });
        if withdrew {
            out.push(ActorMention {
                tokens: fr.clone(),
                actor: *id,
                role: Role::Victim,
            });
            continue;
        }
        // «قال مسؤول في الشرطة», «ذكر مصدر في قيادة شرطة …»: the force that
        // speaks is a source, not a side.
        let spoken_for = before(ROLE_MARKER_TOKENS).any(|k| {
            key_in(&toks[k], words::SOURCE_NOUNS)
                && toks
                    .get(k + 1)
                    .is_some_and(|n| n.has_key("في") || n.has_key("باسم"))
        });
        if spoken_for {
            out.push(ActorMention {
                tokens: fr.clone(),
                actor: *id,
                role: Role::Source,
            });
            continue;
        }
        if led.contains(&idx) {
            out.push(ActorMention {
                tokens: fr.clone(),
                actor: *id,
                role: Role::Subordinate,
            });
            continue;
        }
        if between_second.is_some() && between_first == Some(idx) {
            out.push(ActorMention {
                tokens: fr.clone(),
                actor: *id,
                role: Role::Agent,
            });
            continue;
        }
        if between_second == Some(idx) {
            out.push(ActorMention {
                tokens: fr.clone(),
                actor: *id,
                role: Role::Patient,
            });
            continue;
        }
        // Coordination with the previous actor: «… وميليشيات إيرانية», «بين X وY».
        if idx > 0 {
            let (pr, _) = &found[idx - 1];
            let gap = fr.start.saturating_sub(pr.end);
            let coord = gap <= 1
                && (toks[fr.start].folded.starts_with('و')
                    || (pr.end..fr.start).any(|k| toks[k].folded.starts_with('و')));
            let between =
                before(ROLE_MARKER_TOKENS + 3).any(|k| toks[k].has_key("بين") && k < pr.start);
            if coord && between {
                role = Role::Patient;
            } else if coord {
                role = Role::SameSideAs(idx - 1);
            }
        }
        if role == Role::Unknown {
            let near = before(ROLE_MARKER_TOKENS);
            let subordinate = near
                .clone()
                .any(|k| key_in(&toks[k], words::SUBORDINATE_MARKERS));
            let member = near
                .clone()
                .any(|k| key_in(&toks[k], words::MEMBER_MARKERS));
            let prev_actor_close = idx > 0 && fr.start.saturating_sub(found[idx - 1].0.end) <= 3;
            let support = f
                .cues
                .iter()
                .any(|(cr, c)| *c == Cue::Support && cr.end <= fr.start && fr.start - cr.end <= 2);
            if (subordinate || member) && prev_actor_close {
                role = if member {
                    Role::SameSideAs(idx - 1)
                } else {
                    Role::Subordinate
                };
            } else if support {
                role = Role::Support;
            } else if subordinate {
                // A generic noun («سيارة تابعة لـ», «مجموعة تتبع لـ») takes the role
                // the noun has: look further back for a marker.
                let wide = before(ROLE_MARKER_TOKENS + 4);
                role = if f.cues.iter().any(|(cr, c)| {
                    *c == Cue::Support && cr.end <= fr.start && fr.start - cr.end <= 6
                }) {
                    Role::Support
                } else if wide.clone().any(|k| agent_marker(&toks[k]))
                    // «داهمت دورية تابعة لفرع …»: the noun right after the
                    // event's verb is its subject.
                    || wide
                        .clone()
                        .any(|k| is_trigger(k) && k + 2 <= fr.start && fr.start - k <= 3)
                {
                    Role::Agent
                } else {
                    Role::Patient
                };
            } else if (fr.start..fr.end).any(is_trigger)
                || (fr.start > r.start && is_trigger(fr.start - 1))
                // «تعرضت لقصف من قوات النظام»: «من» right after the act's
                // noun names who did it.
                || (fr.start > r.start + 1
                    && toks[fr.start].has_key("من")
                    && is_trigger(fr.start - 1))
                || (fr.start > r.start + 1
                    && toks[fr.start - 1].is_word()
                    && toks[fr.start - 1].folded == "من"
                    && is_trigger(fr.start - 2))
                || (toks[fr.start].folded.starts_with('ل')
                    && fr.start > r.start + 1
                    && is_trigger(fr.start - 2))
            {
                // A force named by its weapon («الطيران الروسي») or right after the
                // verb or noun of the event («استهدفت قوات النظام», «قصف الهيئة»).
                role = Role::Agent;
            } else if near.clone().any(|k| agent_marker(&toks[k])) {
                role = Role::Agent;
            } else if near
                .clone()
                .any(|k| key_in(&toks[k], words::PATIENT_MARKERS))
                // «استهدفت … نقطة عسكرية للحرس»: the owner («لـ») of the post hit.
                || (toks[fr.start].folded.starts_with('ل')
                    && near.clone().any(|k| {
                        key_in(&toks[k], words::MILITARY_POSTS)
                            || key_in(&toks[k], words::SITE_NOUNS)
                    }))
            {
                role = Role::Patient;
            } else if let Some((vr, _)) = f
                .victims
                .iter()
                .find(|(vr, _)| before(VICTIM_NOUN_TOKENS).any(|k| vr.start <= k && k < vr.end))
            {
                // «اعتقل عناصر من فرع الأمن …»: armed men right after an active
                // arrest verb are its subject, and their force arrests.
                // «توغلت قوة للاحتلال», «وقامت قوة للاحتلال بالتوغل»: so are
                // a force or patrol right after a verb that harms nobody (an
                // incursion, a post set up) or after «قام» (did).
                let subject_of_arrest = vr.start > r.start
                    && !toks[vr.start - 1].has_key("اعتقال")
                    && (f.triggers.iter().any(|(tr, t)| {
                        tr.end == vr.start
                            && match t.kind {
                                TriggerKind::Sub(sub) => {
                                    sub == rasd_model::SubEventType::Arrests
                                        || (sub.event_type()
                                            == rasd_model::EventType::StrategicDevelopments
                                            && !toks[vr.start - 1].folded.starts_with("ال"))
                                }
                                _ => false,
                            }
                    }) || key_in(&toks[vr.start - 1], words::DID))
                    && f.victims
                        .iter()
                        .any(|(v2, n)| v2 == vr && n.class == crate::lexicons::VictimClass::Armed);
                role = if subject_of_arrest {
                    Role::Agent
                } else {
                    Role::Victim
                };
            }
        }
        // «ونعى «الحزب» في بيان أحد عناصره»: the subject of a mourning verb
        // is the side that lost men, whatever is said between.
        if role == Role::Unknown
            && (fr.start.saturating_sub(MOURNER_TOKENS)..fr.start)
                .any(|k| k >= r.start && key_in(&toks[k], words::MOURNING))
        {
            role = Role::Victim;
        }
        // «نعى حزب الله اثنين من عناصره»: men of its own («من» + a victim
        // noun with a pronoun suffix) counted right after it make it the side hit.
        if role == Role::Unknown
            && f.victims.iter().any(|(vr, _)| {
                vr.start > fr.end
                    && vr.start - fr.end <= OWN_MEN_TOKENS
                    && toks[vr.start - 1].has_key("من")
                    && toks[vr.start].suffix.is_some()
                    && (fr.end..vr.start).all(|k| toks[k].is_word())
            })
        {
            role = Role::Victim;
        }
        // The group the people acted on belong to is their side.
        if role == Role::Unknown && belonging {
            role = Role::Victim;
        }
        out.push(ActorMention {
            tokens: fr.clone(),
            actor: *id,
            role,
        });
    }
    out
}
