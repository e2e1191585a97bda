//! Mention finding: one mention per action a sentence (or clause) reports as
//! news, with its type, place, days and acting force; background left out
//! (rule 8), one mention per place hit (rule 16).

use super::*;
use crate::text::TokenKind;

/// Relative pronouns as written (folded, clitic «و» included): what follows
/// them describes a noun before, it does not report.
const RELATIVE_PRONOUNS: &[&str] = &[
    "التي",
    "والتي",
    "الذي",
    "والذي",
    "الذين",
    "والذين",
    "اللذين",
    "اللتين",
];

impl Doc<'_> {
    /// Resolve a sentence's sub-event type from its triggers.
    pub(super) fn violent_type(
        &self,
        si: usize,
        kind: TriggerKind,
        agent: Option<usize>,
    ) -> SubEventType {
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
    pub(super) fn armed_victims(&self, si: usize) -> bool {
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
                .any(|(_, v)| v.class == crate::lexicons::VictimClass::Armed)
            || self.military_site(si);
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

    /// Is the sentence a claim, denial or elaboration of the event told
    /// before it? A claim cue after the sentence's own act at its own place
    /// speaks of that act.
    fn anaphoric(&self, si: usize, own_place: bool) -> bool {
        let f = &self.facts[si];
        let first_trigger = f.triggers.iter().map(|(r, _)| r.start).min();
        f.cues.iter().any(|(r, c)| {
            matches!(c, Cue::Elaboration | Cue::Denial)
                && !(own_place && first_trigger.is_some_and(|t| t < r.start))
        })
    }

    /// Does the sentence name a military or security site («حاجز», «ثكنة»,
    /// «موقع عسكري», «نقطة أمنية»): a target that is armed men's post?
    fn military_site(&self, si: usize) -> bool {
        use crate::lexicons::words;
        let toks = &self.an.tokens;
        let r = self.an.sentences[si].tokens.clone();
        r.clone().any(|k| {
            let t = &toks[k];
            key_in_list(t, words::MILITARY_POSTS)
                || (key_in_list(t, words::SITE_NOUNS)
                    && toks.get(k + 1).is_some_and(|n| {
                        k + 1 < r.end && key_in_list(n, words::MILITARY_ADJECTIVES)
                    }))
        })
    }

    pub(super) fn first_agent(&self, si: usize) -> Option<usize> {
        let f = &self.facts[si];
        f.actors
            .iter()
            // «مقتل 30 مدنياً بينهم نساء وأطفال»: civilians named in a toll
            // act nothing.
            .find(|a| a.role == Role::Agent && self.actor_kind(a.actor) != ActorKind::Civilians)
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
                    a.role == Role::Unknown
                        && a.tokens.start < first_trigger
                        && !hit(a.actor)
                        && self.actor_kind(a.actor) != ActorKind::Civilians
                })
            })
            .map(|a| a.actor)
    }

    /// The one armed force a sentence names and does not tell as hit
    /// («… بسيطرة هيئة تحرير الشام على …، تمكنت تحرير الشام من …»): the
    /// subject the next report with no subject of its own goes on with.
    pub(super) fn sole_force(&self, si: usize) -> Option<usize> {
        let f = &self.facts[si];
        let hit = |id: usize| {
            f.actors
                .iter()
                .any(|b| b.actor == id && matches!(b.role, Role::Victim | Role::Patient))
        };
        let mut forces = f
            .actors
            .iter()
            .filter(|a| a.role == Role::Unknown && self.actor_kind(a.actor).is_armed())
            .map(|a| a.actor)
            .filter(|&id| !hit(id));
        let first = forces.next()?;
        forces.all(|id| id == first).then_some(first)
    }

    pub(super) fn family_of(kind: TriggerKind) -> Option<Family> {
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
    pub(super) fn dates_for<'d>(
        &self,
        si: usize,
        own: &[&'d DateRef],
        family: Family,
    ) -> Vec<&'d DateRef> {
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

    /// The two days of a sentence that tells two events by ordinals («الأولى
    /// … أول أمس الخميس، والثانية … أمس الجمعة»): the first day-precise date
    /// after each ordinal, when they differ.
    fn ordinal_days(&self, si: usize) -> Option<[(Date, Date); 2]> {
        let toks = &self.an.tokens;
        let range = self.an.sentences[si].tokens.clone();
        let ordinal = |keys: &[&str]| {
            range
                .clone()
                .find(|&k| crate::text::definite(&toks[k]) && key_in_list(&toks[k], keys))
        };
        let first = ordinal(&["اولي", "اول"])?;
        let second = ordinal(&["ثانيه", "ثاني"])?;
        if second <= first {
            return None;
        }
        let day_after = |from: usize, to: usize| {
            self.facts[si]
                .dates
                .iter()
                .map(|&d| &self.dates[d])
                .find(|d| {
                    d.precision == DatePrecision::Day
                        && d.tokens.start > from
                        && d.tokens.start < to
                        && d.start <= self.published
                })
                .map(|d| (d.start, d.end.min(self.published)))
        };
        let a = day_after(first, second)?;
        let b = day_after(second, range.end)?;
        (a != b).then_some([a, b])
    }

    /// «أعلن الجيش السيطرة على البلدة، والتي شهدت معارك بدأت في 19 أيار»:
    /// a date inside a relative clause that follows a trigger tells the past
    /// of what the clause describes, not when the sentence's news happened.
    /// Only a day is read so: a month or a year there («منذ مطلع العام») spans
    /// the story and dates background as often as not.
    fn in_relative_clause(&self, si: usize, d: &DateRef) -> bool {
        if d.precision != DatePrecision::Day {
            return false;
        }
        let toks = &self.an.tokens;
        let start = self.an.sentences[si].tokens.start;
        let Some(rel) = (start..d.tokens.start)
            .rev()
            .take_while(|&k| toks[k].kind != TokenKind::Break)
            .find(|&k| RELATIVE_PRONOUNS.contains(&toks[k].folded.as_str()))
        else {
            return false;
        };
        self.facts[si].triggers.iter().any(|(r, _)| r.end <= rel)
    }

    /// Build the mentions of the article, and the sentences that only add
    /// evidence or figures to a mention (sentence, mention index).
    pub(super) fn mentions(&self) -> (Vec<Mention>, Vec<(usize, usize)>) {
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
            let mut own: Vec<&DateRef> = f
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
            // «خلال الشهر الفائت»: a past month that has ended is told as
            // history, however close its last day.
            let old = |d: &&DateRef| {
                days_before(pubd, d.end.min(pubd)) > RECENT_DAYS
                    || (d.precision == DatePrecision::Month
                        && d.end < pubd
                        && days_before(pubd, d.start) > RECENT_DAYS)
            };
            let recalled = f.has_cue(Cue::Recall) || f.pluperfect;
            // An article that opens on an anniversary or a report («يحيي
            // العراقيون اليوم الذكرى …») tells the past it recalls without days:
            // only a sentence with a day of its own can be news there.
            // (Only when nothing was told as news before it: an anniversary
            // mentioned after a dated lead does not turn the story into one.)
            if f.has_cue(Cue::Report) && si <= REPORT_LEAD_SENTENCES && last_foreground.is_none() {
                report_lead = true;
            }
            let mut background = related_para == Some(s.paragraph)
                || f.has_cue(Cue::Report)
                || (report_lead && own.is_empty());
            if recalled && !own.iter().any(recent_day) {
                background = true;
            }
            if !own.is_empty() && own.iter().all(old) {
                if own.iter().all(|d| self.in_relative_clause(si, d)) {
                    own.clear();
                } else {
                    background = true;
                }
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
                    .or_else(|| self.sole_force(si))
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
            // «ترتفع حصيلة الضحايا منذ مطلع الشهر إلى 41»: a toll over weeks
            // or months counts many events, none of them alone.
            let cumulative = !own.is_empty()
                && own.iter().all(|d| d.precision != DatePrecision::Day)
                && s.tokens
                    .clone()
                    .any(|k| key_in_list(&self.an.tokens[k], words::TOLL_WORDS));
            let has_figures =
                !cumulative && f.figures.iter().any(|x| x.measure != Measure::Arrested);
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
                    let anaphoric = self.anaphoric(si, own_place.is_some());
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
                // «تفجيران في حمص … التفجيران اللذان وقعا في منطقة عكرمة»: the
                // quarter is the finest place of the event (rule 16).
                if !self.places[p.idx].unlisted || out[mi].sentence + 1 == si {
                    for m in out.iter_mut().filter(|m| m.lead == mi) {
                        m.place = Some(PlaceChoice {
                            idx: p.idx,
                            precision: LocationPrecision::Community,
                            coarse: false,
                        });
                    }
                }
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
            // event told before: its evidence, never an event of its own —
            // unless it closes a sentence that tells its own event at its own
            // place («… بين مدينة اعزاز وقرية سجو، ولم تتبنَّ أي جهة التفجير»).
            let anaphoric = self.anaphoric(si, own_place.is_some());
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

            // «خرجت مظاهرتان، الأولى يوم الخميس …، والثانية ظهر الجمعة»: one
            // sentence, two days, an event on each.
            if let Some(days) = self.ordinal_days(si) {
                new = new
                    .into_iter()
                    .flat_map(|m| {
                        days.map(|(start, end)| Mention {
                            start,
                            end,
                            precision: DatePrecision::Day,
                            own_date: true,
                            ..m.clone()
                        })
                    })
                    .collect();
            }
            // One event per place the action hit (rule 16); a toll told for
            // them all goes to the first.
            let targets = self.target_places(si);
            for m in new.into_iter().filter(|m| m.place.is_some()) {
                let lead = out.len();
                if targets.len() >= 2 {
                    for (n, &pi) in targets.iter().enumerate() {
                        let mut each = m.clone();
                        // A region in the list keeps its own precision.
                        let precision = if self.places[pi].area
                            && self.vague_parts_before(self.places[pi].tokens.start, si)
                        {
                            self.places[pi].precision
                        } else {
                            LocationPrecision::Community
                        };
                        each.place = Some(PlaceChoice {
                            idx: pi,
                            precision,
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
}
