//! From sentence facts to events: one mention per event-reporting sentence
//! (type, place, date, sides, figures), background left out (rule 8), then the
//! mentions of one event merged (rule 1) and the events' fields filled.

use std::collections::BTreeMap;
use std::ops::Range;

use jiff::ToSpan;
use jiff::civil::Date;
use rasd_geo::{Gazetteer, PlaceKind};
use rasd_model::{
    Article, DatePrecision, Event, EventType, Location, LocationPrecision, SubEventType, TextSpan,
    Vague,
};

use crate::actors::{ActorKind, ActorRegister};
use crate::counts::{self, Figure, Measure};
use crate::facts::{Facts, Role};
use crate::lexicons::{Cue, TriggerKind, words};
use crate::sources::{DateRef, PlaceRef};
use crate::text::Analysed;
use crate::thresholds::*;

/// Which family a mention belongs to (one violent and one protest mention per
/// sentence at most; strategic developments stay separate, rule 1).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Family {
    Violent,
    Protest,
    Strategic,
}

/// The place of a mention: an index into the article's places, with the
/// precision the event gets there.
#[derive(Debug, Clone, Copy, PartialEq)]
struct PlaceChoice {
    idx: usize,
    precision: LocationPrecision,
    /// The place is an area (admin unit, region, a town's countryside): a
    /// finer place of the same event nearby replaces it.
    coarse: bool,
}

/// One sentence's report of an event.
#[derive(Debug, Clone)]
struct Mention {
    family: Family,
    sub: SubEventType,
    /// Strongest trigger weight.
    weight: f32,
    sentence: usize,
    place: Option<PlaceChoice>,
    start: Date,
    end: Date,
    precision: DatePrecision,
    own_date: bool,
    riot: bool,
    /// The air trigger names warplanes or barrel bombs, not drones (rule 10).
    warplane: bool,
    /// The sentence's casualty figures count for this mention.
    figures: bool,
    /// The acting force of the sentence before, for a clause or sentence that
    /// goes on with the same subject and names none of its own («وقامت قوة …
    /// بالتوغل في A، فيما توغل القسم الآخر نحو B», «ومن ثم سيطرت على …»).
    carried_agent: Option<usize>,
    /// The first mention of the sentence's action when it hit several places
    /// (rule 16): a toll told after it belongs there. Its own index otherwise.
    lead: usize,
}

/// Mentions merged into one event.
#[derive(Debug, Clone)]
struct Draft {
    family: Family,
    sub: SubEventType,
    weight: f32,
    sentences: Vec<usize>,
    /// Sentences whose figures count for this event.
    figure_sentences: Vec<usize>,
    place: PlaceChoice,
    start: Date,
    end: Date,
    precision: DatePrecision,
    own_date: bool,
    riot: bool,
    warplane: bool,
    carried_agent: Option<usize>,
    dropped: bool,
}

/// Everything the coder reads for one article.
pub(crate) struct Doc<'a> {
    pub text: &'a str,
    pub an: &'a Analysed,
    pub facts: &'a [Facts],
    pub places: &'a [PlaceRef],
    pub dates: &'a [DateRef],
    pub published: Date,
    pub gaz: &'a Gazetteer,
    pub reg: &'a ActorRegister,
}

fn violent_rank(k: TriggerKind) -> Option<u8> {
    use SubEventType::*;
    Some(match k {
        TriggerKind::Territory => 100,
        TriggerKind::Sub(ArmedClash) => 90,
        TriggerKind::Sub(ChemicalWeapon) => 80,
        TriggerKind::Sub(AirDroneStrike) => 70,
        TriggerKind::Sub(SuicideBomb) => 60,
        TriggerKind::Sub(ShellingArtilleryMissileAttack) => 50,
        TriggerKind::Sub(RemoteExplosiveLandmineIed) => 40,
        TriggerKind::Sub(Grenade) => 30,
        TriggerKind::AttackOrClash => 25,
        TriggerKind::Sub(Attack) => 20,
        TriggerKind::Sub(AbductionForcedDisappearance) => 15,
        TriggerKind::Sub(SexualViolence) => 10,
        _ => return None,
    })
}

fn is_protest(k: TriggerKind) -> bool {
    matches!(
        k,
        TriggerKind::Sub(
            SubEventType::PeacefulProtest
                | SubEventType::ProtestWithIntervention
                | SubEventType::ExcessiveForceAgainstProtesters
                | SubEventType::ViolentDemonstration
                | SubEventType::MobViolence
        )
    )
}

fn is_strategic(k: TriggerKind) -> bool {
    matches!(k, TriggerKind::Sub(s) if s.event_type() == EventType::StrategicDevelopments)
}

fn days_before(published: Date, d: Date) -> i32 {
    (published - d).get_days()
}

fn precision_rank(p: LocationPrecision) -> i32 {
    match p {
        LocationPrecision::Community => 4,
        LocationPrecision::Subdistrict | LocationPrecision::District => 3,
        LocationPrecision::Governorate => 2,
        LocationPrecision::Country => 0,
    }
}

impl Doc<'_> {
    /// The armed forces of a country's state: its state-forces actor whose name
    /// says army or government forces, else its first state-forces actor.
    fn state_forces(&self, country: &str) -> Option<usize> {
        let of_state =
            |a: &&crate::actors::Actor| a.kind == ActorKind::StateForces && a.country == country;
        let actors = self.reg.actors();
        actors
            .iter()
            .position(|a| {
                of_state(&a)
                    && (a.canonical.starts_with("Military Forces of")
                        || a.canonical.ends_with("Government Forces"))
            })
            .or_else(|| actors.iter().position(|a| of_state(&a)))
    }

    /// Is a disrupted weapons use told as air defences at work?
    fn air_defence(&self, d: &Draft) -> bool {
        d.sentences.iter().any(|&si| {
            self.facts[si].triggers.iter().any(|(r, t)| {
                t.kind == TriggerKind::Sub(SubEventType::DisruptedWeaponsUse)
                    && r.clone().any(|k| self.an.tokens[k].folded.contains("دفاع"))
            })
        })
    }

    fn actor_kind(&self, id: usize) -> ActorKind {
        self.reg.actor(id).kind
    }

    fn place_country(&self, c: PlaceChoice) -> String {
        self.gaz.get(self.places[c.idx].place).country.clone()
    }

    /// Does a strike draft tell victims, damage or a hit (rule 14)?
    fn reports_impact(&self, d: &Draft) -> bool {
        use crate::lexicons::words;
        d.sentences.iter().any(|&si| {
            let f = &self.facts[si];
            f.figures.iter().any(|x| x.measure != Measure::Arrested)
                || self.an.sentences[si].tokens.clone().any(|k| {
                    let t = &self.an.tokens[k];
                    t.is_word() && words::IMPACT_WORDS.iter().any(|w| t.has_key(w))
                })
        })
    }

    /// Does a looting draft name civilians' property («محلات», «منازل»,
    /// «مستودع يملكه أحد التجار»)?
    fn civilian_property(&self, d: &Draft) -> bool {
        use crate::lexicons::words;
        d.sentences.iter().any(|&si| {
            self.an.sentences[si]
                .tokens
                .clone()
                .any(|k| key_in_list(&self.an.tokens[k], words::CIVILIAN_PROPERTY))
        })
    }

    /// How well each place of a sentence stands as where its event happened
    /// (place index, score): higher is likelier, below zero unlikely.
    fn place_scores(&self, si: usize) -> Vec<(i32, usize)> {
        use crate::lexicons::words;
        let f = &self.facts[si];
        let toks = &self.an.tokens;
        let sent_start = self.an.sentences[si].tokens.start;
        let mut scores: Vec<(i32, usize)> = Vec::new();
        for &pi in &f.places {
            let p = &self.places[pi];
            if p.country_only {
                continue;
            }
            let mut score = precision_rank(p.precision) * 2;
            if p.qualifier {
                score -= PLACE_QUALIFIER_PENALTY;
            }
            // The word before the name (or before its type word).
            let mut k = p.tokens.start;
            if p.typed && k > sent_start {
                k -= 1;
            }
            let prev = (k > sent_start).then(|| &toks[k - 1]);
            let prev_is = |list: &[&str]| {
                prev.is_some_and(|t| t.is_word() && list.iter().any(|w| t.has_key(w)))
            };
            if p.typed {
                score += PLACE_TYPED_BONUS;
            }
            // «من محيط مطار X», «من مدينة X»: look past a near-word too.
            let prev2_origin = k > sent_start + 1
                && prev_is(words::LOCATIVES)
                && key_in_list(&toks[k - 2], words::ORIGIN_MARKERS);
            // «كلاً من A وB» lists places; its «من» is no origin.
            let listing =
                k > sent_start + 1 && prev_is(&["من"]) && key_in_list(&toks[k - 2], &["كل", "كلا"]);
            if (prev_is(words::ORIGIN_MARKERS) || prev2_origin) && !listing {
                score -= PLACE_ORIGIN_PENALTY;
            }
            if prev_is(words::DIRECTIONS) {
                score -= PLACE_DIRECTION_PENALTY;
            }
            if prev_is(words::ROAD_WORDS) {
                score -= PLACE_ORIGIN_PENALTY;
            }
            // «قوات النظام المتمركزة في بلدة X»: where the shooters stand.
            let stationed = (p.tokens.start.saturating_sub(3).max(sent_start)..p.tokens.start)
                .any(|j| key_in_list(&toks[j], words::STATIONED));
            if stationed {
                score -= PLACE_ORIGIN_PENALTY;
            }
            let residence = (p
                .tokens
                .start
                .saturating_sub(RESIDENCE_WINDOW)
                .max(sent_start)..p.tokens.start)
                .any(|j| {
                    toks[j].is_word() && words::RESIDENCE_WORDS.iter().any(|w| toks[j].has_key(w))
                });
            // «نُقل إلى مشفى … في X»: where the wounded were taken.
            let hospital = (p
                .tokens
                .start
                .saturating_sub(RESIDENCE_WINDOW)
                .max(sent_start)..p.tokens.start)
                .any(|j| {
                    toks[j].is_word() && words::HOSPITAL_WORDS.iter().any(|w| toks[j].has_key(w))
                });
            // «خرج أبناء العشائر في بلدة X»: «في» after a people's origin noun
            // says where they gathered, not where they come from («المقيم في
            // X» still says where someone lives).
            let residence = residence
                && !(prev_is(&["في"])
                    && (p
                        .tokens
                        .start
                        .saturating_sub(RESIDENCE_WINDOW)
                        .max(sent_start)..p.tokens.start)
                        .all(|j| {
                            !toks[j].is_word()
                                || !words::RESIDENT_WORDS.iter().any(|w| toks[j].has_key(w))
                        }));
            if residence || hospital || self.launch_origin(si, p.tokens.start) {
                score -= PLACE_ORIGIN_PENALTY;
            }
            // «جبل الدويلة», «مطار النيرب»: a feature named after a town.
            if !p.typed && prev_is(words::FEATURE_WORDS) {
                score -= PLACE_FEATURE_PENALTY;
            }
            // A bare name must stand where a place stands: after a preposition,
            // a place word, a clause break or at the start of the sentence.
            // «قرى A وB، C»: a name joined to the place before it stands where
            // that place stands.
            // (From its type word on: «وبلدة منين».)
            let p_start = if p.typed && p.tokens.start > sent_start {
                p.tokens.start - 1
            } else {
                p.tokens.start
            };
            let coordinated = f.places.iter().any(|&qi| {
                let q = &self.places[qi];
                qi != pi
                    && q.tokens.end <= p_start
                    && p_start - q.tokens.end <= 1
                    && (toks[p_start].folded.starts_with('و')
                        || (q.tokens.end..p_start).all(|j| !toks[j].is_word()))
            });
            // «بين بلدتي A وB», «بين A وB»: the event is at A (rule 11).
            let second_of_between = coordinated
                && f.places.iter().any(|&qi| {
                    let q = &self.places[qi];
                    qi != pi
                        && q.tokens.end <= p_start
                        && p_start - q.tokens.end <= 1
                        && (q.tokens.start.saturating_sub(2).max(sent_start)..q.tokens.start)
                            .any(|j| toks[j].is_word() && toks[j].has_key("بين"))
                });
            if second_of_between {
                score -= PLACE_ORIGIN_PENALTY;
            }
            let placed = p.typed
                || coordinated
                || p.locative_clitic
                || prev.is_none_or(|t| !t.is_word())
                || prev_is(words::LOCATIVES)
                || prev_is(words::ORIGIN_MARKERS)
                || prev_is(words::DIRECTIONS);
            if !placed {
                // «سلمية التظاهرة», «صور المفقودين»: a noun before a definite
                // noun is a word of the sentence, not a town.
                let next = toks.get(p.tokens.end).filter(|t| t.is_word());
                if next.is_some_and(|t| t.folded.starts_with("ال")) {
                    score -= PLACE_CONSTRUCT_PENALTY;
                } else {
                    score -= PLACE_UNPLACED_PENALTY;
                }
            }
            scores.push((score, pi));
        }
        scores
    }

    /// The places of a sentence that its action hit, one event each (rule
    /// 16): «قصف طال A وB», «غارات على قرى A وB وC», «قريتي A وB». Only
    /// settlements and quarters count, not areas; a place that locates the one
    /// before it («شير مغار في جبل شحشبو غربي حماة», «حي الهلالية بالقامشلي»)
    /// is not a target of its own.
    fn target_places(&self, si: usize) -> Vec<usize> {
        let toks = &self.an.tokens;
        let scores = self.place_scores(si);
        let mut out: Vec<usize> = Vec::new();
        for &(score, pi) in &scores {
            let p = &self.places[pi];
            // «قرى A وB وC»: a member the gazetteer holds as a subdistrict or
            // district (a village that heads one) is still a village of the list.
            let listed_area = p.area
                && matches!(
                    p.precision,
                    LocationPrecision::Subdistrict | LocationPrecision::District
                )
                && p.tokens.start > 0
                && self.an.tokens[p.tokens.start].folded.starts_with('و')
                && scores.iter().any(|&(_, qi)| {
                    let q = &self.places[qi];
                    qi != pi
                        && !q.area
                        && q.tokens.end <= p.tokens.start
                        && p.tokens.start - q.tokens.end <= 1
                });
            // (A listed area scores as the area it names, not as the village.)
            let least = if listed_area {
                TARGET_MIN_SCORE - 2
            } else {
                TARGET_MIN_SCORE
            };
            if score < least
                || (p.area && !listed_area)
                || p.near
                || p.country_only
                || (p.precision != LocationPrecision::Community && !listed_area)
            {
                continue;
            }
            let locates_previous = scores.iter().any(|&(_, qi)| {
                let q = &self.places[qi];
                qi != pi
                    && q.tokens.end <= p.tokens.start
                    && p.tokens.start - q.tokens.end <= LOCATOR_GAP_TOKENS
                    && (p.locative_clitic
                        || (q.tokens.end < p.tokens.start
                            // «A وأطراف B» joins a second place, it does not
                            // locate the first.
                            && !self.an.tokens[q.tokens.end].folded.starts_with('و')
                            && (q.tokens.end..p.tokens.start).all(|k| {
                            let t = &toks[k];
                            t.is_word()
                                && (key_in_list(t, words::LOCATIVES)
                                    || key_in_list(t, words::DIRECTIONS)
                                    || key_in_list(t, &["مدينه", "محافظه", "منطقه"]))
                            })))
                    && !(q.unlisted && p.unlisted)
            });
            if locates_previous {
                continue;
            }
            let choice = |i: usize| PlaceChoice {
                idx: i,
                precision: LocationPrecision::Community,
                coarse: false,
            };
            if out.iter().any(|&o| self.same_place(choice(o), choice(pi))) {
                continue;
            }
            out.push(pi);
        }
        self.coordinated(si, out, &scores)
    }

    /// The places among `targets` (in text order) that one list or chain of
    /// coordination joins: between two of them stand only separators, type
    /// words, locating words and the places that locate them («قرية A في جبل
    /// B، وقريتي C وD»). The chain with the best-placed target is the action's;
    /// a place told after other words («اشتباكات في ذيبان، وقسد تنسحب من
    /// نقاطها في حوايج ذيبان») belongs to another action.
    fn coordinated(&self, si: usize, targets: Vec<usize>, scores: &[(i32, usize)]) -> Vec<usize> {
        if targets.len() < 2 {
            return targets;
        }
        let toks = &self.an.tokens;
        let sent = self.an.sentences[si].tokens.clone();
        let in_place = |k: usize| {
            self.facts[si]
                .places
                .iter()
                .any(|&pi| self.places[pi].tokens.contains(&k))
        };
        let linking = |k: usize| {
            let t = &toks[k];
            !t.is_word()
                || in_place(k)
                || t.folded == "و"
                || key_in_list(t, words::LOCATIVES)
                || key_in_list(t, words::DIRECTIONS)
                || key_in_list(t, words::PLACE_TYPE_WORDS)
                || key_in_list(t, &["كل", "كلا", "من", "مناطق", "منطقه", "ريف", "ب", "ايضا"])
                // «غارة استهدفت A، وأخرى استهدفت B»: another of the same.
                || key_in_list(t, words::ANOTHER_ONE)
                || t.keys.iter().any(|k| k.starts_with("استهدف"))
        };
        let mut chains: Vec<Vec<usize>> = vec![vec![targets[0]]];
        for w in targets.windows(2) {
            let (a, b) = (&self.places[w[0]], &self.places[w[1]]);
            let gap = a.tokens.end.max(sent.start)..b.tokens.start.min(sent.end);
            // «A في جبل شحشبو، وقريتي B»: after a locating word, a few words
            // the gazetteer does not know still locate A, up to the next break.
            let mut locating_words = 0usize;
            let joins = gap.clone().all(|k| {
                let t = &toks[k];
                if !t.is_word() {
                    locating_words = 0;
                    return true;
                }
                if key_in_list(t, words::LOCATIVES) || key_in_list(t, words::DIRECTIONS) {
                    locating_words = LOCATOR_PHRASE_WORDS;
                    return true;
                }
                if linking(k) {
                    return true;
                }
                if locating_words > 0 {
                    locating_words -= 1;
                    return true;
                }
                false
            });
            if joins {
                chains.last_mut().expect("one chain").push(w[1]);
            } else {
                chains.push(vec![w[1]]);
            }
        }
        let score_of = |pi: usize| {
            scores
                .iter()
                .find(|&&(_, q)| q == pi)
                .map_or(i32::MIN, |&(sc, _)| sc)
        };
        chains
            .into_iter()
            .max_by_key(|c| {
                (
                    c.iter().map(|&pi| score_of(pi)).max(),
                    std::cmp::Reverse(self.places[c[0]].tokens.start),
                )
            })
            .unwrap_or_default()
    }

    /// The place a sentence names for its event, if any.
    fn own_place(&self, si: usize, inherited: Option<PlaceChoice>) -> Option<PlaceChoice> {
        let toks = &self.an.tokens;
        let sent_start = self.an.sentences[si].tokens.start;
        let best =
            self.place_scores(si)
                .into_iter()
                .fold(None::<(i32, usize)>, |b, (score, pi)| {
                    if b.is_none_or(|(s, _)| score > s) {
                        Some((score, pi))
                    } else {
                        b
                    }
                });
        let (score, pi) = best?;
        if score < 0 && inherited.is_some() {
            return inherited;
        }
        let p = &self.places[pi];
        let idx = pi;
        let mut precision = p.precision;
        let mut is_coarse = p.area;
        if p.near && precision == LocationPrecision::Community {
            precision = LocationPrecision::District;
            is_coarse = true;
        }
        // «ريف مدينة القامشلي»: the countryside of a town, coarser than the town.
        let rural = p.tokens.start > sent_start && {
            let mut k = p.tokens.start - 1;
            if p.typed && k > sent_start {
                k -= 1;
            }
            toks[k].is_word() && toks[k].has_key("ريف")
        };
        if rural && !p.area {
            is_coarse = true;
            precision = LocationPrecision::District;
        }
        Some(PlaceChoice {
            idx,
            precision,
            coarse: is_coarse,
        })
    }

    /// Is the place at token `at` where fire was launched FROM («أُطلقت
    /// الصواريخ من محيط مطار … قرب X»)? A launch verb, then «من», then the
    /// place, within one clause: the place is the origin, not the target.
    fn launch_origin(&self, si: usize, at: usize) -> bool {
        use crate::lexicons::words;
        let toks = &self.an.tokens;
        let from = at
            .saturating_sub(LAUNCH_ORIGIN_TOKENS)
            .max(self.an.sentences[si].tokens.start);
        let mut seen_from = false;
        for k in (from..at).rev() {
            let t = &toks[k];
            if !t.is_word() {
                return false;
            }
            if t.has_key("من") {
                seen_from = true;
            } else if seen_from && words::LAUNCH_VERBS.iter().any(|w| t.has_key(w)) {
                return true;
            }
        }
        false
    }

    /// Resolve a sentence's sub-event type from its triggers.
    fn violent_type(&self, si: usize, kind: TriggerKind, agent: Option<usize>) -> SubEventType {
        match kind {
            // «اغتال مسلحون عنصراً من الأمن العسكري»: gunmen killing an armed
            // man is a fight with his force, as ACLED codes it (rule 2).
            TriggerKind::Sub(SubEventType::Attack) if self.armed_victims(si) => {
                SubEventType::ArmedClash
            }
            TriggerKind::Sub(s) => s,
            TriggerKind::Territory => match agent.map(|a| self.actor_kind(a)) {
                Some(ActorKind::StateForces) => SubEventType::GovernmentRegainsTerritory,
                _ => SubEventType::NonStateActorOvertakesTerritory,
            },
            TriggerKind::AttackOrClash => {
                if self.armed_victims(si) {
                    SubEventType::ArmedClash
                } else {
                    SubEventType::Attack
                }
            }
            TriggerKind::RiotCue | TriggerKind::Block => SubEventType::Other,
        }
    }

    /// Were the people hit armed men (by their noun, their side or the target)?
    fn armed_victims(&self, si: usize) -> bool {
        let f = &self.facts[si];
        let civilian = f.figures.iter().any(|x| x.civilian)
            || f.victims
                .iter()
                .any(|(_, v)| v.class == crate::lexicons::VictimClass::Civilian);
        let armed = f
            .figures
            .iter()
            .any(|x| x.armed || x.side.is_some_and(|s| self.actor_kind(s).is_armed()))
            || f.actors
                .iter()
                .any(|a| a.role == Role::Patient && self.actor_kind(a.actor).is_armed())
            || f.victims
                .iter()
                .any(|(_, v)| v.class == crate::lexicons::VictimClass::Armed);
        // «تصدّت قسد لهجوم شنّته فصائل الجيش الوطني»: two armed sides named,
        // neither fighting alongside the other, make a fight.
        let mut sides: Vec<usize> = f
            .actors
            .iter()
            .filter(|a| a.role != Role::Support && self.actor_kind(a.actor).is_armed())
            .map(|a| a.actor)
            .collect();
        sides.sort_unstable();
        sides.dedup();
        (armed || sides.len() >= 2) && !civilian
    }

    fn first_agent(&self, si: usize) -> Option<usize> {
        let f = &self.facts[si];
        f.actors
            .iter()
            .find(|a| a.role == Role::Agent)
            .or_else(|| {
                let first_trigger = f.triggers.first().map(|(r, _)| r.start)?;
                // An actor the sentence names as the side hit is not the agent
                // when it is named again («عنصران من قوات سوريا الديمقراطية
                // (قسد)»: the abbreviation repeats the victims' side).
                // Nor is the side whose men the sentence counts as killed or
                // hurt («قُتل جنديان روس»).
                let hit = |id: usize| {
                    f.actors
                        .iter()
                        .any(|b| b.actor == id && matches!(b.role, Role::Victim | Role::Patient))
                        || f.figures
                            .iter()
                            .any(|x| x.side == Some(id) && x.measure != Measure::Arrested)
                };
                f.actors.iter().find(|a| {
                    a.role == Role::Unknown && a.tokens.start < first_trigger && !hit(a.actor)
                })
            })
            .map(|a| a.actor)
    }

    fn family_of(kind: TriggerKind) -> Option<Family> {
        if is_protest(kind) || kind == TriggerKind::RiotCue {
            Some(Family::Protest)
        } else if violent_rank(kind).is_some() {
            Some(Family::Violent)
        } else if is_strategic(kind) {
            Some(Family::Strategic)
        } else {
            None
        }
    }

    /// The sentence's dates that belong to a trigger of `family` (the nearest
    /// trigger of each date decides), or all of them when none does.
    fn dates_for<'d>(&self, si: usize, own: &[&'d DateRef], family: Family) -> Vec<&'d DateRef> {
        let f = &self.facts[si];
        let mine: Vec<&DateRef> = own
            .iter()
            .filter(|d| {
                // A date belongs to the trigger before it («تظاهر … اليوم»,
                // «قصفت، عصر أمس»), else to the one after it.
                let fams = || {
                    f.triggers
                        .iter()
                        .filter_map(|(r, t)| Self::family_of(t.kind).map(|fam| (r, fam)))
                };
                let nearest = fams()
                    .filter(|(r, _)| r.start < d.tokens.start)
                    .max_by_key(|(r, _)| r.start)
                    .or_else(|| fams().min_by_key(|(r, _)| r.start.abs_diff(d.tokens.start)));
                nearest.is_none_or(|(_, fam)| fam == family)
            })
            .copied()
            .collect();
        if mine.is_empty() { own.to_vec() } else { mine }
    }

    /// Build the mentions of the article, and the sentences that only add
    /// evidence or figures to a mention (sentence, mention index).
    fn mentions(&self) -> (Vec<Mention>, Vec<(usize, usize)>) {
        let mut out: Vec<Mention> = Vec::new();
        let mut attach: Vec<(usize, usize)> = Vec::new();
        let pubd = self.published;
        // The time the text is talking about: (start, end, in the past).
        let mut discourse: Option<(Date, Date, bool)> = None;
        // The time of the last sentence told as news.
        let mut last_foreground: Option<(Date, Date)> = None;
        let mut related_para: Option<usize> = None;
        let mut last_place: Option<PlaceChoice> = None;
        let mut last_para_place: Option<(usize, PlaceChoice)> = None;
        let mut report_lead = false;
        // The acting force of the last report: (paragraph, sentence, actor).
        let mut last_agent: Option<(usize, usize, usize)> = None;
        for (si, s) in self.an.sentences.iter().enumerate() {
            let f = &self.facts[si];
            if f.has_cue(Cue::Related) {
                related_para = Some(s.paragraph);
            }
            let own: Vec<&DateRef> = f
                .dates
                .iter()
                .map(|&d| &self.dates[d])
                .filter(|d| d.start <= pubd)
                .collect();
            let recent_day = |d: &&DateRef| {
                d.start == d.end.min(pubd)
                    && days_before(pubd, d.start) <= RECENT_DAYS
                    && d.precision == DatePrecision::Day
            };
            let old = |d: &&DateRef| days_before(pubd, d.end.min(pubd)) > RECENT_DAYS;
            let recalled = f.has_cue(Cue::Recall) || f.pluperfect;
            // An article that opens on an anniversary or a report («يحيي
            // العراقيون اليوم الذكرى …») tells the past it recalls without days:
            // only a sentence with a day of its own can be news there.
            if f.has_cue(Cue::Report) && si <= REPORT_LEAD_SENTENCES {
                report_lead = true;
            }
            let mut background = related_para == Some(s.paragraph)
                || f.has_cue(Cue::Report)
                || (report_lead && own.is_empty());
            if recalled && !own.iter().any(recent_day) {
                background = true;
            }
            if !own.is_empty() && own.iter().all(old) {
                background = true;
            }
            // «وبالتزامن، خرج …»: a sentence told as happening at the same
            // time goes back to the time of the story, out of a recalled past.
            let simultaneous = s
                .tokens
                .clone()
                .take(SIMULTANEITY_TOKENS)
                .any(|k| key_in_list(&self.an.tokens[k], words::SIMULTANEITY));
            if own.is_empty() && simultaneous && !recalled {
                if let Some((st, en)) = last_foreground {
                    discourse = Some((st, en, false));
                }
            }
            if own.is_empty()
                && let Some((_, _, true)) = discourse
            {
                background = true;
            }
            if background {
                // What follows without a day of its own is still the past.
                let (st, en) = discourse.map(|(a, b, _)| (a, b)).unwrap_or((pubd, pubd));
                discourse = Some((st, en, true));
                continue;
            }
            if !own.is_empty() {
                let recent: Vec<&&DateRef> = own.iter().filter(|d| !old(d)).collect();
                let st = recent.iter().map(|d| d.start).min().unwrap_or(pubd);
                let en = recent.iter().map(|d| d.end.min(pubd)).max().unwrap_or(pubd);
                discourse = Some((st, en, false));
                last_foreground = Some((st, en));
            }
            if f.heading {
                continue;
            }
            let inherited = match last_para_place {
                Some((p, c)) if p == s.paragraph => Some(c),
                _ => last_place,
            };
            let mut own_place = self.own_place(si, inherited);
            // «توصلت الفصائل إلى اتفاق مع قيادة الأمن العام في ريف دمشق»: an area
            // named inside the sentence (not opening it) that holds the town the
            // story is about describes a party, not a new place.
            if let (Some(own), Some(inh)) = (own_place, inherited)
                && own.coarse
                && !inh.coarse
                && own.precision == LocationPrecision::Governorate
                && !self.places[inh.idx].unlisted
                && self.places[own.idx].tokens.start > s.tokens.start + AREA_OPENER_TOKENS
                && self.gaz.get(self.places[own.idx].place).admin1_ar.is_some()
                && self.gaz.get(self.places[own.idx].place).admin1_ar
                    == self.gaz.get(self.places[inh.idx].place).admin1_ar
            {
                own_place = Some(inh);
            }
            let place = own_place.or(inherited);

            // Types.
            let agent = self.first_agent(si);
            let protesters = f.actors.iter().any(|a| {
                matches!(
                    self.actor_kind(a.actor),
                    ActorKind::Protesters | ActorKind::Rioters
                )
            });
            let riot = f
                .triggers
                .iter()
                .any(|(_, t)| t.kind == TriggerKind::RiotCue);
            // «ورشق بعض المتجمعين المكتب بالحجارة»: crowd violence by a crowd
            // with no protest word is still a riot.
            let crowd = s.tokens.clone().any(|k| {
                let t = &self.an.tokens[k];
                key_in_list(t, words::CROWD)
                    || (t.is_word() && words::CROWD_STEMS.iter().any(|w| t.folded.contains(w)))
            });
            let protest = f.triggers.iter().any(|(_, t)| is_protest(t.kind))
                || (riot && (protesters || crowd));
            let other_violence = f.triggers.iter().any(|(_, t)| {
                violent_rank(t.kind).is_some() && t.kind != TriggerKind::Sub(SubEventType::Attack)
            });
            let battle_trigger = f.triggers.iter().any(|(_, t)| {
                matches!(
                    t.kind,
                    TriggerKind::Territory | TriggerKind::Sub(SubEventType::ArmedClash)
                )
            });
            // A sentence that names no force goes on with the subject of the
            // report just before it in the paragraph.
            let carried_agent = match last_agent {
                Some((para, at, id))
                    if agent.is_none()
                        && para == s.paragraph
                        && si <= at + AGENT_CARRY_SENTENCES =>
                {
                    Some(id)
                }
                _ => None,
            };
            // The force of a report is carried on even where the report itself
            // names no place the coder knows («وسيطرت على الفوج 111، ومن ثم …»).
            if !f.triggers.is_empty()
                && let Some(a) = agent
                    .filter(|&a| self.actor_kind(a).is_armed())
                    .or(carried_agent)
            {
                last_agent = Some((s.paragraph, si, a));
            }
            let when = |family: Family| -> (Date, Date, DatePrecision, bool) {
                let recent: Vec<&DateRef> = own.iter().filter(|d| !old(d)).copied().collect();
                let mut recent = self.dates_for(si, &recent, family);
                // «أعلن … أمس الأحد سيطرته على X، ضمن العملية التي أطلقتها
                // أنقرة الأربعاء الماضي»: a date told of the wider operation
                // («ضمن»، «في إطار») does not open a takeover's span.
                let takeover = f
                    .triggers
                    .iter()
                    .any(|(_, t)| t.kind == TriggerKind::Territory);
                if takeover && recent.len() > 1 {
                    let toks = &self.an.tokens;
                    let sent_start = self.an.sentences[si].tokens.start;
                    let of_operation = |d: &DateRef| {
                        (d.tokens
                            .start
                            .saturating_sub(OPERATION_CONTEXT_TOKENS)
                            .max(sent_start)..d.tokens.start)
                            .any(|k| key_in_list(&toks[k], &["ضمن", "اطار"]))
                    };
                    let kept: Vec<&DateRef> = recent
                        .iter()
                        .copied()
                        .filter(|d| !of_operation(d))
                        .collect();
                    if !kept.is_empty() {
                        recent = kept;
                    }
                }
                if recent.is_empty() {
                    return match discourse {
                        Some((st, en, false)) => (st, en, DatePrecision::Day, false),
                        _ => (pubd, pubd, DatePrecision::Week, false),
                    };
                }
                let st = recent.iter().map(|d| d.start).min().unwrap_or(pubd);
                let mut en = recent.iter().map(|d| d.end.min(pubd)).max().unwrap_or(pubd);
                if recent.len() == 1
                    && f.has_cue(Cue::Start)
                    && battle_trigger
                    && days_before(pubd, st) <= CAMPAIGN_START_MAX_DAYS
                {
                    en = pubd;
                }
                let prec = recent
                    .iter()
                    .map(|d| d.precision)
                    .max_by_key(|p| match p {
                        DatePrecision::Day => 0,
                        DatePrecision::Week => 1,
                        DatePrecision::Month => 2,
                    })
                    .unwrap_or(DatePrecision::Day);
                (st, en, prec, true)
            };
            let base = |family: Family, sub: SubEventType, weight: f32| {
                let (start, end, precision, own_date) = when(family);
                Mention {
                    family,
                    sub,
                    weight,
                    sentence: si,
                    place,
                    start,
                    end,
                    precision,
                    own_date,
                    riot,
                    warplane: false,
                    figures: true,
                    carried_agent,
                    lead: 0,
                }
            };
            // Where air defences intercept: the weapons named after it are
            // what was intercepted, unless the sentence tells victims.
            // «أثناء محاولة تفكيكها»: an attempt told just before may have
            // failed; it stops nothing.
            let attempted = |r: &std::ops::Range<usize>| {
                (r.start.saturating_sub(ATTEMPT_TOKENS).max(s.tokens.start)..r.start)
                    .any(|k| key_in_list(&self.an.tokens[k], words::ATTEMPT))
            };
            let intercepted = f
                .triggers
                .iter()
                .filter(|(r, _)| !attempted(r))
                .find(|(_, t)| t.kind == TriggerKind::Sub(SubEventType::DisruptedWeaponsUse))
                .map(|(r, _)| r.start)
                .filter(|_| f.figures.iter().all(|x| x.measure == Measure::Arrested));
            let mut new: Vec<Mention> = Vec::new();
            // The token of the violent trigger kept, when it is a definite noun.
            let mut definite_trigger = false;
            let civilians_hit = f
                .victims
                .iter()
                .any(|(_, v)| v.class == crate::lexicons::VictimClass::Civilian)
                || f.actors.iter().any(|a| {
                    a.role == Role::Victim && self.actor_kind(a.actor) == ActorKind::Civilians
                });
            if protest {
                let w = f
                    .triggers
                    .iter()
                    .filter(|(_, t)| is_protest(t.kind) || t.kind == TriggerKind::RiotCue)
                    .map(|(_, t)| t.weight)
                    .fold(0.0, f32::max);
                // The gravest crowd event told wins («تجمع عشرات … فانهالوا عليه
                // ضرباً» is mob violence, not a gathering).
                let grade = |k: TriggerKind| match k {
                    TriggerKind::Sub(SubEventType::MobViolence) => 5,
                    TriggerKind::Sub(SubEventType::ExcessiveForceAgainstProtesters) => 4,
                    TriggerKind::Sub(SubEventType::ProtestWithIntervention) => 3,
                    TriggerKind::Sub(SubEventType::ViolentDemonstration) => 2,
                    _ => 1,
                };
                let sub = match f
                    .triggers
                    .iter()
                    .filter(|(_, t)| is_protest(t.kind))
                    .max_by_key(|(r, t)| (grade(t.kind), std::cmp::Reverse(r.start)))
                {
                    Some((_, t)) => match t.kind {
                        TriggerKind::Sub(s) => s,
                        _ => SubEventType::PeacefulProtest,
                    },
                    None => SubEventType::PeacefulProtest,
                };
                let mut m = base(Family::Protest, sub, w);
                // Deaths told beside another attack belong to that attack.
                m.figures = !other_violence;
                new.push(m);
            } else if let Some((tr, t)) = f
                .triggers
                .iter()
                .filter(|(_, t)| violent_rank(t.kind).is_some())
                // «تصدت الدفاعات الجوية لطائرات مسيرة»: with no victims told,
                // the weapons are what was intercepted, not a strike (rule 14).
                .filter(|(r, t)| {
                    !(intercepted.is_some_and(|at| r.start > at)
                        && (is_strike(t.kind)
                            || t.kind
                                == TriggerKind::Sub(SubEventType::RemoteExplosiveLandmineIed)))
                })
                // «وتزامنت الغارة مع قصف مدفعي»: a definite noun of the kind
                // just told points back at that event; the other is new.
                .filter(|(r, t)| {
                    !(f.triggers
                        .iter()
                        .any(|(_, o)| violent_rank(o.kind).is_some() && o.kind != t.kind)
                        && definite(&self.an.tokens[r.start])
                        && out.last().is_some_and(|m| {
                            m.family == Family::Violent && TriggerKind::Sub(m.sub) == t.kind
                        }))
                })
                // «توقيف تسعة يُشتبه بصلتهم بالهجوم»: the attack already told,
                // named again beside an arrest, is not a new one.
                .filter(|(r, t)| {
                    !(t.kind == TriggerKind::AttackOrClash
                        && definite(&self.an.tokens[r.start])
                        && f.triggers.iter().any(|(_, o)| is_strategic(o.kind))
                        && !f.figures.iter().any(|x| x.measure != Measure::Arrested))
                })
                // «هجوم … بمساندة المسيّرات التركية»: weapons told as support of
                // another attack are part of it.
                .filter(|(r, t)| {
                    !(is_strike(t.kind)
                        && f.triggers.iter().any(|(o, ok)| {
                            o != r && violent_rank(ok.kind).is_some() && !is_strike(ok.kind)
                        })
                        && f.cues.iter().any(|(cr, c)| {
                            *c == Cue::Support
                                && cr.end <= r.start
                                && r.start - cr.end <= SUPPORT_WEAPON_TOKENS
                        }))
                })
                // «غارات … على حي البدو … في معركة الرقة»: a strike that kills
                // civilians is a strike, whatever fight it belongs to.
                .filter(|(_, t)| {
                    !(t.kind == TriggerKind::Sub(SubEventType::ArmedClash)
                        && civilians_hit
                        && f.triggers.iter().any(|(_, o)| is_strike(o.kind)))
                })
                .max_by_key(|(r, t)| (violent_rank(t.kind), std::cmp::Reverse(r.start)))
            {
                let sub = self.violent_type(si, t.kind, agent);
                definite_trigger = definite(&self.an.tokens[tr.start]);
                let mut m = base(Family::Violent, sub, t.weight);
                if sub == SubEventType::AirDroneStrike {
                    let surface: String = self.an.tokens[tr.clone()]
                        .iter()
                        .map(|t| t.folded.as_str())
                        .collect();
                    m.warplane = !surface.contains("مسير");
                }
                new.push(m);
            }
            let mut seen = Vec::new();
            let fight = !new.is_empty();
            for (_, t) in f
                .triggers
                .iter()
                .filter(|(r, t)| is_strategic(t.kind) && !attempted(r))
            {
                // «خلال مداهمة المنازل» inside a fight is part of the fight.
                if fight && t.weight < STRATEGIC_IN_FIGHT_MIN_WEIGHT {
                    continue;
                }
                if let TriggerKind::Sub(s) = t.kind
                    && !seen.contains(&s)
                {
                    seen.push(s);
                    new.push(base(Family::Strategic, s, t.weight));
                }
            }
            let has_figures = f.figures.iter().any(|x| x.measure != Measure::Arrested);
            let own_date = !own.is_empty();
            let last_story = out
                .iter()
                .rposition(|m| m.family != Family::Strategic)
                .map(|mi| out[mi].lead);
            if new.is_empty() || new.iter().all(|m| m.family == Family::Strategic) {
                // Figures with no violent trigger belong to the event just told
                // («وأشار إلى أن 4 من المقاتلين قتلوا»), and so does the sentence
                // right after a report that names one of its sides.
                if let Some(mi) = last_story {
                    let m = &out[mi];
                    let compatible_place = own_place.is_none_or(|p| {
                        m.place
                            .is_some_and(|mp| self.same_place(mp, p) || self.near_places(mp, p))
                    });
                    let (st, en) = discourse.map(|(a, b, _)| (a, b)).unwrap_or((pubd, pubd));
                    let compatible_date =
                        !own_date || Self::dates_overlap((m.start, m.end), (st, en), 1);
                    let next_to = m.sentence + 1 == si;
                    let shares_actor = f.actors.iter().any(|a| {
                        self.facts[m.sentence]
                            .actors
                            .iter()
                            .any(|b| b.actor == a.actor)
                    });
                    // A word on who claimed or denied it speaks of this event.
                    let anaphoric = f.has_cue(Cue::Elaboration) || f.has_cue(Cue::Denial);
                    if compatible_place
                        && compatible_date
                        && (has_figures || anaphoric || (next_to && shares_actor && new.is_empty()))
                    {
                        attach.push((si, mi));
                    }
                }
            }
            if new.is_empty() {
                continue;
            }
            // «وقال مراسل إن الاشتباكات بدأت عقب محاولة دورية دخول حي X في
            // البلدة»: the fight just told, named again with the quarter of its
            // town where it began, is that fight.
            if definite_trigger
                && let Some(mi) = last_story
                && let Some(p) = own_place
                && let Some(mp) = out[mi].place
                && si <= out[mi].sentence + 2
                && new
                    .iter()
                    .any(|m| m.family == out[mi].family && m.sub == out[mi].sub)
                && self.quarter_of(p, mp)
            {
                attach.push((si, mi));
                continue;
            }
            // An elaboration with no day, place or acting force of its own, or a
            // word on who claimed it, belongs to the event just told.
            let armed_agent = f
                .actors
                .iter()
                .any(|a| a.role == Role::Agent && self.actor_kind(a.actor).is_armed());
            let bare = !own_date && own_place.is_none() && !armed_agent;
            // A claim of responsibility or a denial (rule 7) speaks of the
            // event told before: its evidence, never an event of its own.
            let anaphoric = f.has_cue(Cue::Elaboration) || f.has_cue(Cue::Denial);
            if ((bare && new.iter().all(|m| m.family != Family::Strategic)) || anaphoric)
                && let Some(mi) = last_story
            {
                // «ورشق بعض المتجمعين المكتب بالحجارة»: violence told after the
                // gathering makes that gathering a riot.
                if out[mi].family == Family::Protest
                    && new.iter().any(|m| m.family == Family::Protest && m.riot)
                {
                    out[mi].riot = true;
                }
                // «هاجمت القوات مواقع في البلدة، واندلعت اشتباكات»: a fight
                // told in the clause after an assault makes the assault a fight.
                if s.continued
                    && out[mi].sub == SubEventType::Attack
                    && new.iter().any(|m| m.sub == SubEventType::ArmedClash)
                {
                    for m in out.iter_mut().filter(|m| m.lead == mi) {
                        m.sub = SubEventType::ArmedClash;
                    }
                }
                attach.push((si, mi));
                continue;
            }
            if new.iter().all(|m| m.place.is_none()) {
                continue;
            }
            if let Some(p) = place {
                last_place = Some(p);
                last_para_place = Some((s.paragraph, p));
            }

            // One event per place the action hit (rule 16); a toll told for
            // them all goes to the first.
            let targets = self.target_places(si);
            for m in new.into_iter().filter(|m| m.place.is_some()) {
                let lead = out.len();
                if targets.len() >= 2 {
                    for (n, &pi) in targets.iter().enumerate() {
                        let mut each = m.clone();
                        each.place = Some(PlaceChoice {
                            idx: pi,
                            precision: LocationPrecision::Community,
                            coarse: false,
                        });
                        each.figures = m.figures && n == 0;
                        each.lead = lead;
                        out.push(each);
                    }
                } else {
                    out.push(Mention { lead, ..m });
                }
            }
        }
        (out, attach)
    }

    /// Is `part` a quarter of the town `town` (a neighbourhood entry, or a
    /// name after «حي», within the town's radius)?
    fn quarter_of(&self, part: PlaceChoice, town: PlaceChoice) -> bool {
        let (pp, pt) = (&self.places[part.idx], &self.places[town.idx]);
        let (gp, gt) = (self.gaz.get(pp.place), self.gaz.get(pt.place));
        let toks = &self.an.tokens;
        let named_quarter = gp.kind == PlaceKind::Neighbourhood
            || (pp.tokens.start > 0 && toks[pp.tokens.start - 1].has_key("حي"));
        // «حي X في البلدة»: the quarter is placed in the town just told.
        let in_that_town = (pp.tokens.end..(pp.tokens.end + 2).min(toks.len())).any(|k| {
            let t = &toks[k];
            t.is_word() && t.folded.contains("ال") && key_in_list(t, &["بلده", "مدينه", "قريه"])
        });
        named_quarter
            && gt.kind == PlaceKind::Locality
            && pp.place != pt.place
            && (in_that_town
                || rasd_geo::distance_km(gp.lat, gp.lon, gt.lat, gt.lon) <= SECTION_RADIUS_KM)
    }

    fn same_place(&self, a: PlaceChoice, b: PlaceChoice) -> bool {
        let (pa, pb) = (&self.places[a.idx], &self.places[b.idx]);
        // Names the gazetteer lacks share their area's entry: only their
        // wording tells them apart.
        if pa.unlisted || pb.unlisted {
            return pa.key == pb.key;
        }
        pa.place == pb.place
            || pa.key == pb.key
            || self.section_of(pa, pb)
            || self.section_of(pb, pa)
    }

    /// Is `part` a section of `whole` («السلحبية الشرقية» of «السلحبية»):
    /// the whole's name and a direction adjective, close to it?
    fn section_of(&self, part: &PlaceRef, whole: &PlaceRef) -> bool {
        use crate::lexicons::words;
        let named = part
            .key
            .strip_prefix(whole.key.as_str())
            .and_then(|r| r.strip_prefix(' '))
            .is_some_and(|adj| words::SECTION_ADJECTIVES.contains(&adj));
        named && {
            let (gp, gw) = (self.gaz.get(part.place), self.gaz.get(whole.place));
            rasd_geo::distance_km(gp.lat, gp.lon, gw.lat, gw.lon) <= SECTION_RADIUS_KM
        }
    }

    /// Could an area mention and a place be the same event's? A governorate or
    /// region holds the place; a district or a countryside is near it.
    fn near_places(&self, a: PlaceChoice, b: PlaceChoice) -> bool {
        let (pa, pb) = (
            self.gaz.get(self.places[a.idx].place),
            self.gaz.get(self.places[b.idx].place),
        );
        let wide = |p: &rasd_geo::Place| {
            matches!(
                p.kind,
                PlaceKind::Governorate | PlaceKind::Region | PlaceKind::Country
            )
        };
        let same_admin1 = pa.admin1_ar.is_some() && pa.admin1_ar == pb.admin1_ar;
        (same_admin1 && (wide(pa) || wide(pb)))
            || rasd_geo::distance_km(pa.lat, pa.lon, pb.lat, pb.lon) <= MERGE_RADIUS_KM
    }

    /// The named agents of two drafts do not contradict each other.
    fn sides_agree(&self, a: &Draft, b: &Draft) -> bool {
        let fa = a.sentences.iter().find_map(|&s| self.first_agent(s));
        let fb = b.sentences.iter().find_map(|&s| self.first_agent(s));
        match (fa, fb) {
            (Some(x), Some(y)) => x == y || self.sides_of(a).contains(&y),
            _ => true,
        }
    }

    fn sides_compatible(&self, d: &Draft, m: &Mention) -> bool {
        let da = d.sentences.iter().find_map(|&s| self.first_agent(s));
        let ma = self.first_agent(m.sentence);
        match (da, ma) {
            (Some(a), Some(b)) if a != b => {
                // The other side of the draft may be named first in this sentence.
                d.sentences
                    .iter()
                    .any(|&s| self.facts[s].actors.iter().any(|x| x.actor == b))
            }
            _ => true,
        }
    }

    fn dates_overlap(a: (Date, Date), b: (Date, Date), tolerance: i32) -> bool {
        let widen = tolerance.days();
        let a0 = a.0.checked_sub(widen).unwrap_or(a.0);
        let a1 = a.1.checked_add(widen).unwrap_or(a.1);
        b.0 <= a1 && b.1 >= a0
    }

    fn consolidate(&self, mentions: Vec<Mention>, attach: Vec<(usize, usize)>) -> Vec<Draft> {
        let mut drafts: Vec<Draft> = Vec::new();
        let mut of_mention: Vec<usize> = Vec::with_capacity(mentions.len());
        for m in &mentions {
            let place = m.place.expect("mentions without place are dropped");
            let et = m.sub.event_type();
            let found = drafts.iter().position(|d| {
                d.sub.event_type() == et
                    && (d.family != Family::Strategic || d.sub == m.sub)
                    && self.same_place(d.place, place)
                    && (!m.own_date
                        || !d.own_date
                        || Self::dates_overlap((d.start, d.end), (m.start, m.end), 1))
                    && (m.family == Family::Protest || self.sides_compatible(d, m))
            });
            match found {
                Some(di) => {
                    let d = &mut drafts[di];
                    merge_mention(d, m);
                    of_mention.push(di);
                }
                None => {
                    of_mention.push(drafts.len());
                    drafts.push(Draft {
                        family: m.family,
                        sub: m.sub,
                        weight: m.weight,
                        sentences: vec![m.sentence],
                        figure_sentences: if m.figures {
                            vec![m.sentence]
                        } else {
                            Vec::new()
                        },
                        place,
                        start: m.start,
                        end: m.end,
                        precision: m.precision,
                        own_date: m.own_date,
                        riot: m.riot,
                        warplane: m.warplane,
                        carried_agent: m.carried_agent,
                        dropped: false,
                    });
                }
            }
        }
        for (si, mi) in attach {
            let di = of_mention[mi];
            let d = &mut drafts[di];
            if !d.sentences.contains(&si) {
                d.sentences.push(si);
            }
            // A denial is evidence, but the claim's figures stand (rule 7).
            if !d.figure_sentences.contains(&si) && !self.facts[si].has_cue(Cue::Denial) {
                d.figure_sentences.push(si);
            }
        }
        // A strategic event's sentence may also hold the figures of the fight.
        for di in 0..drafts.len() {
            if drafts[di].family != Family::Strategic {
                continue;
            }
            let sents = drafts[di].sentences.clone();
            for si in sents {
                let killed = self.facts[si]
                    .figures
                    .iter()
                    .any(|f| f.measure != Measure::Arrested);
                if !killed {
                    continue;
                }
                let owner = drafts.iter().position(|d| {
                    d.family == Family::Violent
                        && self.same_place(d.place, drafts[di].place)
                        && Self::dates_overlap(
                            (d.start, d.end),
                            (drafts[di].start, drafts[di].end),
                            1,
                        )
                });
                if let Some(oi) = owner
                    && !drafts[oi].figure_sentences.contains(&si)
                {
                    drafts[oi].figure_sentences.push(si);
                    drafts[oi].sentences.push(si);
                }
            }
        }
        // A coarse place (district, governorate, region) joins the one finer
        // event of its type nearby; a coarse report that covers several events
        // is a summary and is not coded on its own.
        for di in 0..drafts.len() {
            if !drafts[di].place.coarse || drafts[di].dropped {
                continue;
            }
            let cands: Vec<usize> = (0..drafts.len())
                .filter(|&o| {
                    o != di
                        && !drafts[o].dropped
                        && drafts[o].sub.event_type() == drafts[di].sub.event_type()
                        && !drafts[o].place.coarse
                        && self.near_places(drafts[o].place, drafts[di].place)
                        && self.sides_agree(&drafts[o], &drafts[di])
                        && (!drafts[o].own_date
                            || !drafts[di].own_date
                            || Self::dates_overlap(
                                (drafts[o].start, drafts[o].end),
                                (drafts[di].start, drafts[di].end),
                                1,
                            ))
                })
                .collect();
            if cands.len() == 1 {
                let src = drafts[di].clone();
                let d = &mut drafts[cands[0]];
                merge_draft(d, &src);
                drafts[di].dropped = true;
            } else if cands.len() > 1
                && drafts[di].family != Family::Strategic
                && self.places[drafts[di].place.idx].area
            {
                drafts[di].dropped = true;
            }
        }
        // Battles absorb explosions by the same sides at the same place and day.
        for di in 0..drafts.len() {
            if drafts[di].dropped
                || drafts[di].sub.event_type() != EventType::ExplosionsRemoteViolence
            {
                continue;
            }
            // Civilians hit are another side than the fighters'.
            let hits_civilians = drafts[di]
                .figure_sentences
                .iter()
                .any(|&s| self.facts[s].figures.iter().any(|x| x.civilian));
            if hits_civilians {
                continue;
            }
            let sides = self.sides_of(&drafts[di]);
            let owner = (0..drafts.len()).find(|&o| {
                !drafts[o].dropped
                    && drafts[o].sub.event_type() == EventType::Battles
                    && self.same_place(drafts[o].place, drafts[di].place)
                    && Self::dates_overlap(
                        (drafts[o].start, drafts[o].end),
                        (drafts[di].start, drafts[di].end),
                        0,
                    )
                    && {
                        let bs = self.sides_of(&drafts[o]);
                        sides.iter().all(|s| bs.contains(s))
                    }
            });
            if let Some(o) = owner {
                let src = drafts[di].clone();
                merge_draft(&mut drafts[o], &src);
                drafts[o].sub = drafts[o].sub.max_battle(src.sub);
                drafts[di].dropped = true;
            }
        }
        // Interceptions: only when no strike hit that day (rule 14). A strike
        // told with no victims and no impact («أطلق العدو الصواريخ») is the
        // attack that was intercepted: the interception is the event.
        for di in 0..drafts.len() {
            if drafts[di].sub != SubEventType::DisruptedWeaponsUse || drafts[di].dropped {
                continue;
            }
            let span = (drafts[di].start, drafts[di].end);
            let strikes: Vec<usize> = (0..drafts.len())
                .filter(|&o| {
                    !drafts[o].dropped
                        && matches!(
                            drafts[o].sub,
                            SubEventType::AirDroneStrike
                                | SubEventType::ShellingArtilleryMissileAttack
                        )
                        && Self::dates_overlap((drafts[o].start, drafts[o].end), span, 0)
                })
                .collect();
            if strikes.is_empty() {
                continue;
            }
            if strikes.iter().any(|&o| self.reports_impact(&drafts[o])) {
                drafts[di].dropped = true;
            } else {
                // The intercepted attack's sentences name the attacker: they are
                // evidence of the interception.
                for o in strikes {
                    drafts[o].dropped = true;
                    let told = drafts[o].sentences.clone();
                    drafts[di].sentences.extend(told);
                }
            }
        }
        // Rule 20: an incursion or patrol is an event only where nothing else
        // happened: with fire, arrests or destruction at the same place and
        // day, those are the events.
        for di in 0..drafts.len() {
            if drafts[di].sub != SubEventType::Other || drafts[di].dropped {
                continue;
            }
            let eventful = (0..drafts.len()).any(|o| {
                o != di
                    && !drafts[o].dropped
                    && (drafts[o].family == Family::Violent
                        || matches!(
                            drafts[o].sub,
                            SubEventType::Arrests | SubEventType::LootingPropertyDestruction
                        ))
                    && self.same_place(drafts[o].place, drafts[di].place)
                    && Self::dates_overlap(
                        (drafts[o].start, drafts[o].end),
                        (drafts[di].start, drafts[di].end),
                        0,
                    )
            });
            if eventful {
                drafts[di].dropped = true;
            }
        }
        drafts.retain(|d| !d.dropped);
        for d in &mut drafts {
            d.sentences.sort_unstable();
            d.sentences.dedup();
        }
        drafts
    }

    /// The named sides of a draft (agents and patients).
    fn sides_of(&self, d: &Draft) -> Vec<usize> {
        let mut v = Vec::new();
        for &s in &d.sentences {
            for a in &self.facts[s].actors {
                if matches!(a.role, Role::Agent | Role::Patient | Role::Unknown)
                    && !v.contains(&a.actor)
                {
                    v.push(a.actor);
                }
            }
        }
        v
    }

    pub(crate) fn code(&self, article: &Article) -> Vec<Event> {
        let _ = article;
        let (mentions, attach) = self.mentions();
        let drafts = self.consolidate(mentions, attach);
        let mut events: Vec<Event> = drafts.iter().map(|d| self.event(d, &drafts)).collect();
        events.retain(|e| e.validate().is_empty());
        events
    }

    fn qualify(&self, id: usize, place: PlaceChoice) -> String {
        let a = self.reg.actor(id);
        let p = self.gaz.get(self.places[place.idx].place);
        let written = &self.places[place.idx].name;
        if let Some(q) = self
            .reg
            .qualified(&a.canonical, &p.name_en, &p.name_ar)
            .or_else(|| self.reg.qualified(&a.canonical, &p.name_en, written))
        {
            return self.reg.actor(q).canonical.clone();
        }
        a.canonical.clone()
    }

    /// Does token `at` of sentence `si` stand in a clause on a wider operation
    /// («ضمن العملية التي أطلقتها X», «في إطار الحملة التي يشنها X»)?
    fn in_operation_context(&self, si: usize, at: usize) -> bool {
        let toks = &self.an.tokens;
        let from = at
            .saturating_sub(OPERATION_CONTEXT_TOKENS)
            .max(self.an.sentences[si].tokens.start);
        (from..at).any(|k| key_in_list(&toks[k], &["ضمن", "اطار"]))
    }

    fn event(&self, d: &Draft, all: &[Draft]) -> Event {
        let country = self.place_country(d.place);
        let place = self.gaz.get(self.places[d.place.idx].place);
        let pref = &self.places[d.place.idx];
        // Sides, in text order.
        let mut agents: Vec<usize> = Vec::new();
        let mut weak_agents: Vec<usize> = Vec::new();
        let mut patients: Vec<usize> = Vec::new();
        let mut victims: Vec<usize> = Vec::new();
        let mut supports: Vec<usize> = Vec::new();
        // Forces that speak of the event («قال مصدر في X إن قواتها …»).
        let mut sources: Vec<usize> = Vec::new();
        let mut same_side: Vec<(usize, usize)> = Vec::new();
        let mut unknown: Vec<usize> = Vec::new();
        // Actors named only as the owners of a wider operation («ضمن العملية
        // التي أطلقتها أنقرة»): sides only when nobody else is named.
        let mut context: Vec<usize> = Vec::new();
        let mut civilian_victims = false;
        let mut civilian_detainees = false;
        let push = |v: &mut Vec<usize>, x: usize| {
            if !v.contains(&x) {
                v.push(x)
            }
        };
        for &si in &d.sentences {
            let f = &self.facts[si];
            let first_trigger = f
                .triggers
                .first()
                .map(|(r, _)| r.start)
                .unwrap_or(usize::MAX);
            for a in &f.actors {
                if self.in_operation_context(si, a.tokens.start) {
                    push(&mut context, a.actor);
                    continue;
                }
                match a.role {
                    Role::Agent => push(&mut agents, a.actor),
                    Role::Patient => push(&mut patients, a.actor),
                    Role::Victim => push(&mut victims, a.actor),
                    Role::Support => push(&mut supports, a.actor),
                    Role::SameSideAs(i) => same_side.push((f.actors[i].actor, a.actor)),
                    Role::Subordinate => {}
                    Role::Source => push(&mut sources, a.actor),
                    Role::Unknown => {
                        if a.tokens.start < first_trigger {
                            push(&mut weak_agents, a.actor)
                        } else {
                            push(&mut unknown, a.actor)
                        }
                    }
                }
            }
            if d.figure_sentences.contains(&si) {
                for x in &f.figures {
                    match x.measure {
                        Measure::Arrested => {
                            if x.civilian || (!x.armed && x.side.is_none()) {
                                civilian_detainees = true;
                            }
                        }
                        _ => {
                            if let Some(s) = x.side {
                                push(&mut victims, s);
                            }
                            if x.civilian {
                                civilian_victims = true;
                            }
                        }
                    }
                }
            }
            // «غارات على أحياء A وB وC أوقعت قتلى مدنيين»: the toll goes to the
            // first place, but civilians were hit at each (rule 13).
            if f.figures.iter().any(|x| {
                x.measure != Measure::Arrested
                    && (x.civilian
                        || x.side
                            .is_some_and(|s| self.actor_kind(s) == ActorKind::Civilians))
            }) {
                civilian_victims = true;
            }
            let civilians_named = f.actors.iter().any(|a| {
                self.actor_kind(a.actor) == ActorKind::Civilians && a.tokens.start > first_trigger
            });
            if civilians_named
                || f.victims.iter().any(|(r, v)| {
                    v.class == crate::lexicons::VictimClass::Civilian && r.start > first_trigger
                })
            {
                civilian_victims = true;
                civilian_detainees = true;
            }
        }
        if agents.is_empty() && weak_agents.is_empty() && patients.is_empty() && victims.is_empty()
        {
            for x in context {
                push(&mut unknown, x);
            }
        }
        let armed = |x: &usize| self.actor_kind(*x).is_armed();
        let civilians_name = self.reg.generic("Civilians", &country);
        let unidentified = self.reg.generic("Unidentified armed group", &country);
        let et = d.sub.event_type();
        // actor1: who acts; failing that, a side named before the event that was
        // not hit, then the other side of a fight («اشتباكات مع X»).
        let mut actor1: Option<usize> = agents
            .iter()
            .find(|x| armed(x))
            .or_else(|| {
                weak_agents
                    .iter()
                    .find(|x| armed(x) && !victims.contains(x))
            })
            // A report with no subject of its own goes on with the force of
            // the report before it («ومن ثم سيطرت على …»).
            .or(d
                .carried_agent
                .filter(|a| !victims.contains(a) && !patients.contains(a))
                .as_ref())
            // A force speaking of its own raid or arrests did them; one
            // speaking of a bombing only reports it.
            .or_else(|| {
                (d.family == Family::Strategic)
                    .then(|| sources.iter().find(|x| armed(x)))
                    .flatten()
            })
            .or_else(|| {
                // «اشتباكات مع X» with no named attacker: X is the other side.
                (et == EventType::Battles)
                    .then(|| patients.iter().find(|x| armed(x) && !victims.contains(x)))
                    .flatten()
            })
            .or_else(|| weak_agents.iter().find(|x| armed(x)))
            .or_else(|| {
                // «فككت وحدة الهندسة في قوات X عبوة», «… التابعة لـX»: the
                // unit's force named after the verb defused it.
                (d.sub == SubEventType::DisruptedWeaponsUse)
                    .then(|| unknown.iter().chain(patients.iter()).find(|x| armed(x)))
                    .flatten()
            })
            .or_else(|| {
                // «قُتل 3 من X و5 من Y في اشتباكات»: both sides only lost men.
                (et == EventType::Battles)
                    .then(|| victims.iter().find(|x| armed(x)))
                    .flatten()
            })
            .copied();
        let not1 = |x: &&usize| Some(**x) != actor1;
        let mut actor2: Option<usize> = victims
            .iter()
            .filter(not1)
            .find(|x| armed(x))
            .or_else(|| patients.iter().filter(not1).find(|x| armed(x)))
            .or_else(|| {
                if et == EventType::Battles {
                    weak_agents
                        .iter()
                        .chain(unknown.iter())
                        .filter(not1)
                        .find(|x| armed(x))
                } else {
                    None
                }
            })
            .copied();
        // «استولى عناصر من X على محتويات المحال»: whoever loots civilians'
        // property is the looter, wherever the sentence puts the group.
        if d.sub == SubEventType::LootingPropertyDestruction
            && actor1.is_none()
            && actor2.is_some()
            && self.civilian_property(d)
        {
            actor1 = actor2.take();
        }
        // «تصدت الدفاعات الجوية لعدوان إسرائيلي», «وسائط دفاعنا الجوي»: air
        // defences with no owner named are the state's, and what they stopped
        // came from the other side (rule 14).
        if d.sub == SubEventType::DisruptedWeaponsUse
            && self.air_defence(d)
            && let Some(state) = self.state_forces(&country)
            && actor1 != Some(state)
            && actor1.is_none_or(|a| {
                self.actor_kind(a) != ActorKind::StateForces || self.reg.actor(a).country != country
            })
        {
            let foreign = |a: &&usize| armed(a) && **a != state;
            actor2 = actor1.or(actor2).filter(|&a| a != state).or_else(|| {
                // «أطلق العدو الإسرائيلي الصواريخ»: the attacker told beside it.
                agents
                    .iter()
                    .chain(weak_agents.iter())
                    .chain(unknown.iter())
                    .chain(patients.iter())
                    .find(foreign)
                    .copied()
            });
            actor1 = Some(state);
        }
        // «توصلت A وB إلى اتفاق»: the parties of an agreement are coordinated,
        // the second is the other party (rule 15).
        if d.sub == SubEventType::Agreement && actor2.is_none() {
            actor2 = same_side
                .iter()
                .find(|(a, b)| Some(*a) == actor1 && Some(*b) != actor1)
                .map(|(_, b)| *b);
        }
        // «توصلت A إلى اتفاق مع B»: the parties in the order the agreement's
        // sentence names them, the first named is actor1 (rule 15).
        if d.sub == SubEventType::Agreement && actor2.is_none() {
            let mut named: Vec<usize> = Vec::new();
            for &si in &d.sentences {
                if !self.facts[si]
                    .triggers
                    .iter()
                    .any(|(_, t)| t.kind == TriggerKind::Sub(SubEventType::Agreement))
                {
                    continue;
                }
                for a in &self.facts[si].actors {
                    if armed(&a.actor) && !named.contains(&a.actor) {
                        named.push(a.actor);
                    }
                }
            }
            if named.len() >= 2 {
                actor1 = Some(named[0]);
                actor2 = Some(named[1]);
            }
        }
        // Strategic developments told inside a fight take its sides.
        if d.family == Family::Strategic
            && actor1.is_none()
            && let Some(b) = all.iter().find(|o| {
                o.family == Family::Violent
                    && self.same_place(o.place, d.place)
                    && Self::dates_overlap((o.start, o.end), (d.start, d.end), 1)
            })
        {
            let ev = self.event(b, &[]);
            let mut e = self.base_event(d, place, pref);
            if !d.own_date {
                e.date_start = ev.date_start;
                e.date_end = ev.date_end;
                e.date_precision = ev.date_precision;
            }
            e.actor1 = ev.actor1;
            e.assoc_actor1 = ev.assoc_actor1;
            e.actor2 = ev.actor2;
            e.assoc_actor2 = ev.assoc_actor2;
            self.fill_figures(&mut e, d);
            e.confidence = ev.confidence.map(|c| (c - CONFIDENCE_NAMED_ACTOR).max(0.0));
            return e;
        }
        let mut e = self.base_event(d, place, pref);
        let name = |id: usize| self.qualify(id, d.place);
        let mut named_actor = actor1.is_some();
        match et {
            EventType::Protests | EventType::Riots => {
                // A crowd beating or lynching someone is mob violence.
                let mob = d.sub == SubEventType::MobViolence;
                let riot = d.riot || mob;
                e.event_type = if riot {
                    EventType::Riots
                } else {
                    EventType::Protests
                };
                e.sub_event_type = if mob {
                    SubEventType::MobViolence
                } else if riot {
                    SubEventType::ViolentDemonstration
                } else {
                    d.sub
                };
                e.actor1 = self
                    .reg
                    .generic(if riot { "Rioters" } else { "Protesters" }, &country);
                let force = patients
                    .iter()
                    .chain(victims.iter())
                    .chain(agents.iter())
                    .chain(unknown.iter())
                    .find(|x| matches!(self.actor_kind(**x), ActorKind::StateForces))
                    .or_else(|| {
                        // A non-state force that disperses the crowd or whose
                        // post the crowd stones is the other side too.
                        agents
                            .iter()
                            .chain(patients.iter())
                            .chain(victims.iter())
                            .find(|x| armed(x))
                    });
                e.actor2 = if mob {
                    // The mob's victim: a force's man when one is named, else a civilian.
                    Some(force.map_or_else(|| civilians_name.clone(), |x| name(*x)))
                } else if riot || e.sub_event_type != SubEventType::PeacefulProtest {
                    force.map(|x| name(*x))
                } else {
                    None
                };
                named_actor = true;
            }
            _ => {
                e.actor1 = match actor1 {
                    Some(a) => name(a),
                    None => {
                        let hits_state = actor2.is_some_and(|x| {
                            self.reg.actor(x).canonical == "Syrian Government Forces"
                        });
                        if d.sub == SubEventType::AirDroneStrike
                            && d.warplane
                            && country == "SY"
                            && d.start < syria_transition()
                            && !hits_state
                        {
                            "Syrian Government Forces".to_string()
                        } else {
                            unidentified.clone()
                        }
                    }
                };
                match d.sub {
                    SubEventType::Arrests => {
                        if civilian_detainees || actor2.is_none() {
                            e.actor2 = Some(civilians_name.clone());
                            actor2 = None;
                        } else {
                            e.actor2 = actor2.map(name);
                        }
                    }
                    SubEventType::HeadquartersOrBaseEstablished => {
                        e.actor2 = None;
                        actor2 = None;
                    }
                    _ if et == EventType::ViolenceAgainstCivilians => {
                        e.actor2 = Some(civilians_name.clone());
                        actor2 = None;
                    }
                    _ => {
                        e.actor2 = match actor2 {
                            Some(a2) => Some(name(a2)),
                            // Rule 14: a disrupted weapons use has the attacker
                            // or nobody as actor2, never the civilians who told.
                            None if civilian_victims
                                && et != EventType::Battles
                                && d.sub != SubEventType::DisruptedWeaponsUse =>
                            {
                                Some(civilians_name.clone())
                            }
                            // Looting of shops, homes or a trader's depot hits
                            // civilians.
                            None if d.sub == SubEventType::LootingPropertyDestruction
                                && self.civilian_property(d) =>
                            {
                                Some(civilians_name.clone())
                            }
                            None => None,
                        };
                    }
                }
                // A fight has two sides: one the article does not name is
                // unidentified.
                if et == EventType::Battles && e.actor2.is_none() && actor1.is_some() {
                    e.actor2 = Some(unidentified.clone());
                }
                // Associates: those fighting alongside each side.
                let mut assoc1: Vec<String> = Vec::new();
                let mut assoc2: Vec<String> = Vec::new();
                let is_side = |x: usize| Some(x) == actor1 || Some(x) == actor2;
                for s in &supports {
                    if !is_side(*s) {
                        push_unique(&mut assoc1, name(*s));
                    }
                }
                for &(head, other) in &same_side {
                    if is_side(other) {
                        continue;
                    }
                    if Some(head) == actor1 {
                        push_unique(&mut assoc1, name(other));
                    } else if Some(head) == actor2 || victims.contains(&head) {
                        push_unique(&mut assoc2, name(other));
                    }
                }
                if actor2.is_some() {
                    for v in victims.iter().chain(patients.iter()) {
                        if !is_side(*v) && armed(v) && self.reg.actor(*v).country == country {
                            push_unique(&mut assoc2, name(*v));
                        }
                    }
                }
                let a2 = e.actor2.clone();
                e.assoc_actor1 = assoc1.into_iter().filter(|a| *a != e.actor1).collect();
                e.assoc_actor2 = assoc2
                    .into_iter()
                    .filter(|a| {
                        Some(a) != a2.as_ref() && *a != e.actor1 && !e.assoc_actor1.contains(a)
                    })
                    .collect();
            }
        }
        self.fill_figures(&mut e, d);
        // Rule 19: a person seized by a militia or an unidentified group is
        // abducted, not arrested; state forces and the armed groups that hold
        // and govern territory arrest.
        if e.sub_event_type == SubEventType::Arrests
            && actor1.is_none_or(|a| {
                matches!(
                    self.actor_kind(a),
                    ActorKind::PoliticalMilitia | ActorKind::IdentityMilitia
                )
            })
        {
            e.event_type = EventType::ViolenceAgainstCivilians;
            e.sub_event_type = SubEventType::AbductionForcedDisappearance;
            e.actor2 = Some(civilians_name.clone());
        }
        let mut conf = BASE_CONFIDENCE + CONFIDENCE_TRIGGER_SHARE * f64::from(d.weight);
        if d.own_date {
            conf += CONFIDENCE_OWN_DAY;
        }
        if e.location.precision == LocationPrecision::Community {
            conf += CONFIDENCE_COMMUNITY;
        }
        if named_actor {
            conf += CONFIDENCE_NAMED_ACTOR;
        }
        e.confidence = Some((conf.clamp(0.0, 1.0) * 100.0).round() / 100.0);
        e
    }

    fn base_event(&self, d: &Draft, place: &rasd_geo::Place, pref: &PlaceRef) -> Event {
        let mut loc: Location = place.to_location();
        loc.name = pref.name.clone();
        if pref.unlisted {
            // Located by its area: the area's entry is not this place's.
            loc.place_id = None;
        }
        loc.precision = d.place.precision;
        if place.kind == PlaceKind::Region || pref.precision == LocationPrecision::Governorate {
            loc.precision = pref.precision.min_coarse(d.place.precision);
        }
        loc.span = Some(TextSpan::from_byte_range(self.text, pref.bytes.clone()));
        let (evidence, spans) = self.evidence(&d.sentences);
        Event {
            event_type: d.sub.event_type(),
            sub_event_type: d.sub,
            date_start: d.start,
            date_end: d.end.max(d.start),
            date_precision: if d.own_date {
                d.precision
            } else {
                DatePrecision::Week
            }
            .min_day_if(d.own_date),
            location: loc,
            actor1: String::new(),
            assoc_actor1: Vec::new(),
            actor2: None,
            assoc_actor2: Vec::new(),
            fatalities: None,
            fatalities_vague: None,
            fatalities_by_side: BTreeMap::new(),
            injured: None,
            injured_vague: None,
            arrested: None,
            arrested_vague: None,
            evidence,
            evidence_spans: spans,
            confidence: None,
        }
    }

    fn fill_figures(&self, e: &mut Event, d: &Draft) {
        let figs: Vec<Figure> = d
            .figure_sentences
            .iter()
            .flat_map(|&s| self.facts[s].figures.iter().cloned())
            .collect();
        let t = counts::tally(&figs);
        let zero_all = d
            .figure_sentences
            .iter()
            .any(|&s| self.facts[s].has_cue(Cue::ZeroAll));
        let zero_deaths = zero_all
            || d.figure_sentences
                .iter()
                .any(|&s| self.facts[s].has_cue(Cue::ZeroDeaths));
        if d.family == Family::Strategic {
            if d.sub == SubEventType::Arrests {
                e.arrested = t.arrested;
                e.arrested_vague = t.arrested_vague;
            }
            return;
        }
        e.fatalities = t.killed;
        e.fatalities_vague = t.killed_vague;
        e.injured = t.injured;
        e.injured_vague = t.injured_vague;
        if e.fatalities.is_none() && zero_deaths {
            e.fatalities = Some(0);
            e.fatalities_vague = None;
        }
        if e.injured.is_none() && zero_all {
            e.injured = Some(0);
            e.injured_vague = None;
        }
        for (side, v) in t.killed_by_side {
            e.fatalities_by_side.insert(self.qualify(side, d.place), v);
        }
        if let (Some(f), sum) = (e.fatalities, e.fatalities_by_side.values().sum::<u32>())
            && sum > f
        {
            e.fatalities_by_side.clear();
        }
        let _ = Vague::Several;
    }

    fn evidence(&self, sentences: &[usize]) -> (Vec<String>, Vec<TextSpan>) {
        let mut texts = Vec::new();
        let mut spans = Vec::new();
        for &si in sentences {
            let r: Range<usize> = self.an.sentences[si].range.clone();
            texts.push(self.text[r.clone()].to_string());
            spans.push(TextSpan::from_byte_range(self.text, r));
        }
        (texts, spans)
    }
}

fn key_in_list(t: &crate::text::Token, list: &[&str]) -> bool {
    t.is_word() && list.iter().any(|w| t.has_key(w))
}

fn syria_transition() -> Date {
    let (y, m, d) = SYRIA_TRANSITION;
    Date::new(y, m, d).expect("valid constant date")
}

fn push_unique(v: &mut Vec<String>, s: String) {
    if !v.contains(&s) {
        v.push(s);
    }
}

fn merge_mention(d: &mut Draft, m: &Mention) {
    d.sentences.push(m.sentence);
    if m.figures {
        d.figure_sentences.push(m.sentence);
    }
    d.weight = d.weight.max(m.weight);
    d.riot |= m.riot;
    d.warplane |= m.warplane;
    d.carried_agent = d.carried_agent.or(m.carried_agent);
    d.sub = pick_sub(d.sub, m.sub);
    if precision_rank(
        m.place
            .map(|p| p.precision)
            .unwrap_or(LocationPrecision::Country),
    ) > precision_rank(d.place.precision)
        && let Some(p) = m.place
    {
        d.place = p;
    }
    merge_dates(d, m.start, m.end, m.own_date, m.precision);
}

fn merge_draft(d: &mut Draft, src: &Draft) {
    for &s in &src.sentences {
        if !d.sentences.contains(&s) {
            d.sentences.push(s);
        }
    }
    for &s in &src.figure_sentences {
        if !d.figure_sentences.contains(&s) {
            d.figure_sentences.push(s);
        }
    }
    d.weight = d.weight.max(src.weight);
    d.riot |= src.riot;
    d.warplane |= src.warplane;
    d.carried_agent = d.carried_agent.or(src.carried_agent);
    d.sub = pick_sub(d.sub, src.sub);
    merge_dates(d, src.start, src.end, src.own_date, src.precision);
}

fn merge_dates(d: &mut Draft, start: Date, end: Date, own: bool, precision: DatePrecision) {
    match (d.own_date, own) {
        (false, true) => {
            d.start = start;
            d.end = end;
            d.own_date = true;
            d.precision = precision;
        }
        (true, true) => {
            d.start = d.start.min(start);
            d.end = d.end.max(end);
        }
        _ => {}
    }
}

/// Within one event type, the sub-type ACLED's precedence keeps (rule 1).
fn pick_sub(a: SubEventType, b: SubEventType) -> SubEventType {
    if a == b {
        return a;
    }
    if let (Some(x), Some(y)) = (a.explosion_precedence(), b.explosion_precedence()) {
        return if x >= y { a } else { b };
    }
    a.max_battle(b)
}

trait SubExt {
    fn max_battle(self, other: SubEventType) -> SubEventType;
}

impl SubExt for SubEventType {
    /// Territory changes outrank a plain clash; otherwise the first stays.
    fn max_battle(self, other: SubEventType) -> SubEventType {
        use SubEventType::*;
        match (self, other) {
            (ArmedClash, GovernmentRegainsTerritory | NonStateActorOvertakesTerritory) => other,
            (Attack, ArmedClash) => other,
            _ => self,
        }
    }
}

trait PrecisionExt {
    fn min_coarse(self, other: LocationPrecision) -> LocationPrecision;
}

impl PrecisionExt for LocationPrecision {
    /// The coarser of two precisions.
    fn min_coarse(self, other: LocationPrecision) -> LocationPrecision {
        if precision_rank(self) <= precision_rank(other) {
            self
        } else {
            other
        }
    }
}

trait DatePrecisionExt {
    fn min_day_if(self, own: bool) -> DatePrecision;
}

impl DatePrecisionExt for DatePrecision {
    fn min_day_if(self, own: bool) -> DatePrecision {
        if own { self } else { DatePrecision::Week }
    }
}

impl Doc<'_> {
    /// A readable trace of what was read in each sentence, for `--explain`
    /// and for debugging rules.
    pub(crate) fn explain(&self) -> String {
        use std::fmt::Write;
        let mut s = String::new();
        let toks = &self.an.tokens;
        let span_text = |r: &Range<usize>| -> String {
            if r.is_empty() {
                return String::new();
            }
            self.text[toks[r.start].range.start..toks[r.end - 1].range.end].to_string()
        };
        for (si, sent) in self.an.sentences.iter().enumerate() {
            let f = &self.facts[si];
            let _ = writeln!(
                s,
                "[{si}] p{} {}{}{}",
                sent.paragraph,
                if f.heading { "HEADING " } else { "" },
                if f.pluperfect { "PLUPERFECT " } else { "" },
                &self.text[sent.range.clone()]
            );
            for (r, t) in &f.triggers {
                let _ = writeln!(
                    s,
                    "    trigger {:?} {:?} {}",
                    span_text(r),
                    t.kind,
                    t.weight
                );
            }
            for a in &f.actors {
                let _ = writeln!(
                    s,
                    "    actor {:?} {} {:?}",
                    span_text(&a.tokens),
                    self.reg.actor(a.actor).canonical,
                    a.role
                );
            }
            for &p in &f.places {
                let p = &self.places[p];
                let _ = writeln!(
                    s,
                    "    place {:?} {:?} q={} near={} typed={} area={}",
                    p.name, p.precision, p.qualifier, p.near, p.typed, p.area
                );
            }
            for &d in &f.dates {
                let d = &self.dates[d];
                let _ = writeln!(
                    s,
                    "    date {:?} {}..{} {:?}",
                    span_text(&d.tokens),
                    d.start,
                    d.end,
                    d.precision
                );
            }
            for (r, c) in &f.cues {
                let _ = writeln!(s, "    cue {:?} {:?}", span_text(r), c);
            }
            for x in &f.figures {
                let _ = writeln!(
                    s,
                    "    figure {:?} {:?} {:?} side={:?} civ={} armed={} part={}",
                    x.measure,
                    x.value,
                    x.vague,
                    x.side.map(|i| &self.reg.actor(i).canonical),
                    x.civilian,
                    x.armed,
                    x.breakdown
                );
            }
        }
        let (mentions, attach) = self.mentions();
        for m in &mentions {
            let _ = writeln!(
                s,
                "mention s{} {:?} {:?} {}..{} {:?} place={:?}",
                m.sentence,
                m.family,
                m.sub,
                m.start,
                m.end,
                m.precision,
                m.place.map(|p| &self.places[p.idx].name)
            );
        }
        let _ = writeln!(s, "attached {attach:?}");
        s
    }
}

/// A strike or a shelling: what air defences intercept.
/// A noun with the article («الغارة», «والقصف», «بالغارة»).
fn definite(t: &crate::text::Token) -> bool {
    let w = t.folded.trim_start_matches(['و', 'ف']);
    w.starts_with("ال") || w.starts_with("بال") || w.starts_with("لل")
}

fn is_strike(k: TriggerKind) -> bool {
    matches!(
        k,
        TriggerKind::Sub(
            SubEventType::AirDroneStrike | SubEventType::ShellingArtilleryMissileAttack
        )
    )
}
