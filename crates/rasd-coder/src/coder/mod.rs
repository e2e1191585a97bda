//! From sentence facts to events, in stages that each have a room of their
//! own (the segmentation of sentences into clauses is [`crate::clauses`], the
//! places named in lists [`crate::lists`]):
//!
//! - [`places`]: where an event happened, and which places one action hit;
//! - [`mentions`]: one mention per action reported as news, per place hit;
//! - [`consolidate`]: the mentions of one event merged, and ACLED's precedence;
//! - [`fields`]: the event's actors, figures, evidence and confidence.
//!
//! This file holds the types the stages share and the coder's trace (`explain`).

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
use crate::text::key_in_list;
use crate::thresholds::*;

mod consolidate;
mod fields;
mod mentions;
mod places;

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

    /// Is the word at `at` the victim of a casualty word just before it
    /// («مقتل وجرح عدد من المدنيين»), wherever the weapon is named?
    fn casualty_before(&self, si: usize, at: usize) -> bool {
        use crate::lexicons::words;
        let start = self.an.sentences[si].tokens.start.max(at.saturating_sub(5));
        (start..at).any(|k| {
            let t = &self.an.tokens[k];
            key_in_list(t, words::KILLED) || key_in_list(t, words::INJURED)
        })
    }

    /// The one armed group the article sets against `actor` as a side (agent,
    /// target or victim in any sentence), if there is exactly one: an article
    /// about one fight names the other side once and leaves it out after.
    fn sole_opponent(&self, actor: usize) -> Option<usize> {
        // Who fights alongside `actor` anywhere in the article («المدعوم
        // بقوات من X», «الجيش وX») is its ally, never its opponent.
        let mut allies: Vec<usize> = Vec::new();
        for f in self.facts {
            if !f.actors.iter().any(|a| a.actor == actor) {
                continue;
            }
            for a in &f.actors {
                let ally = match a.role {
                    Role::Support => true,
                    Role::SameSideAs(i) => f.actors[i].actor == actor,
                    _ => false,
                };
                if ally && a.actor != actor {
                    allies.push(a.actor);
                }
            }
        }
        let mut others: Vec<usize> = Vec::new();
        for f in self.facts {
            for a in &f.actors {
                let side = matches!(
                    a.role,
                    Role::Agent | Role::Patient | Role::Victim | Role::Unknown
                );
                if side
                    && a.actor != actor
                    && !allies.contains(&a.actor)
                    && self.actor_kind(a.actor).is_armed()
                    && !others.contains(&a.actor)
                {
                    others.push(a.actor);
                }
            }
        }
        match others.as_slice() {
            [one] => Some(*one),
            _ => None,
        }
    }

    /// The one state force of `country` the article names, if only one.
    fn sole_state_force(&self, country: &str) -> Option<usize> {
        let mut found: Vec<usize> = Vec::new();
        for f in self.facts {
            for a in &f.actors {
                if self.actor_kind(a.actor) == ActorKind::StateForces
                    && self.reg.actor(a.actor).country == country
                    && !found.contains(&a.actor)
                {
                    found.push(a.actor);
                }
            }
        }
        match found.as_slice() {
            [one] => Some(*one),
            _ => None,
        }
    }

    /// Is `actor` named as the whole whose parts fought («بين مكونات X»،
    /// «اقتتال بين فصائل X»، «في صفوف X»)?
    fn infighting(&self, d: &Draft, actor: usize) -> bool {
        use crate::lexicons::words;
        d.sentences.iter().any(|&si| {
            let sentence_start = self.an.sentences[si].tokens.start;
            self.facts[si].actors.iter().any(|a| {
                a.actor == actor && {
                    let before: Vec<&crate::text::Token> = (sentence_start..a.tokens.start)
                        .rev()
                        .map(|k| &self.an.tokens[k])
                        .filter(|t| t.is_word())
                        .take(2)
                        .collect();
                    before
                        .first()
                        .is_some_and(|t| key_in_list(t, words::PARTS_OF_GROUP))
                        && before
                            .get(1)
                            .is_some_and(|t| key_in_list(t, &["بين", "اقتتال"]))
                }
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

    pub(crate) fn code(&self, article: &Article) -> Vec<Event> {
        let _ = article;
        let (mentions, attach) = self.mentions();
        let drafts = self.consolidate(mentions, attach);
        let mut events: Vec<Event> = drafts.iter().map(|d| self.event(d, &drafts)).collect();
        events.retain(|e| e.validate().is_empty());
        events
    }
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

/// Append the sentences of `src` not yet in `into`.
fn add_sentences(into: &mut Vec<usize>, src: &[usize]) {
    for &s in src {
        if !into.contains(&s) {
            into.push(s);
        }
    }
}

fn merge_draft(d: &mut Draft, src: &Draft) {
    add_sentences(&mut d.sentences, &src.sentences);
    add_sentences(&mut d.figure_sentences, &src.figure_sentences);
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

use crate::text::definite;

/// A strike or a shelling: what air defences intercept.
fn is_strike(k: TriggerKind) -> bool {
    matches!(
        k,
        TriggerKind::Sub(
            SubEventType::AirDroneStrike | SubEventType::ShellingArtilleryMissileAttack
        )
    )
}
