//! Argument attachment: the fields of one event from its merged mentions:
//! actors by role (rules 3, 10, 12-15, 19), place, dates, figures, evidence and
//! confidence.

use super::*;

impl Doc<'_> {
    pub(super) fn qualify(&self, id: usize, place: PlaceChoice) -> String {
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
    pub(super) fn in_operation_context(&self, si: usize, at: usize) -> bool {
        let toks = &self.an.tokens;
        let from = at
            .saturating_sub(OPERATION_CONTEXT_TOKENS)
            .max(self.an.sentences[si].tokens.start);
        (from..at).any(|k| key_in_list(&toks[k], &["ضمن", "اطار"]))
    }

    pub(super) fn event(&self, d: &Draft, all: &[Draft]) -> Event {
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
            // «اعتقال ثلاثة متهمين بالانتماء إلى داعش»: detainees told as
            // an armed group's members are that group's.
            let armed_side_hit = f
                .actors
                .iter()
                .any(|a| a.role == Role::Victim && self.actor_kind(a.actor).is_armed());
            if d.figure_sentences.contains(&si) {
                for x in &f.figures {
                    match x.measure {
                        Measure::Arrested => {
                            if x.civilian || (!x.armed && x.side.is_none() && !armed_side_hit) {
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
                self.actor_kind(a.actor) == ActorKind::Civilians
                    && (a.tokens.start > first_trigger || self.casualty_before(si, a.tokens.start))
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
                    })
                    .copied()
                    // «فتحت قوات مكافحة الشغب خراطيم المياه على المحتجين»: a
                    // crowd dispersed by a force the sentence does not name
                    // met the state's forces the article names.
                    .or_else(|| {
                        (d.sub != SubEventType::PeacefulProtest)
                            .then(|| self.sole_state_force(&country))
                            .flatten()
                    });
                let force = force.as_ref();
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
                            // Civilians who only witnessed a patrol or an
                            // incursion were not its target either.
                            None if civilian_victims
                                && et != EventType::Battles
                                && d.sub != SubEventType::DisruptedWeaponsUse
                                && d.sub != SubEventType::Other =>
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
                // «اشتباكات بين مكونات X»: a group's own units fought each
                // other, so the group is on both sides.
                if et == EventType::Battles && (actor1.is_none() || e.actor2.is_none()) {
                    if let Some(x) = actor1.or(actor2).filter(|a| self.infighting(d, *a)) {
                        e.actor1 = name(x);
                        e.actor2 = Some(name(x));
                        actor1 = Some(x);
                        actor2 = Some(x);
                    }
                }
                // «سيطرت الهيئة على بلدات A وB» in an article about her fight
                // with one group: that group is the other side.
                if et == EventType::Battles
                    && e.actor2.is_none()
                    && let Some(x) = actor1.and_then(|a| self.sole_opponent(a))
                {
                    e.actor2 = Some(name(x));
                    actor2 = Some(x);
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
        // A takeover's kind follows whoever took the place, as finally coded
        // (a report that names the taker in its lead and not in its detail).
        if matches!(
            e.sub_event_type,
            SubEventType::GovernmentRegainsTerritory
                | SubEventType::NonStateActorOvertakesTerritory
        ) && let Some(a) = actor1
        {
            e.sub_event_type = if self.actor_kind(a) == ActorKind::StateForces {
                SubEventType::GovernmentRegainsTerritory
            } else {
                SubEventType::NonStateActorOvertakesTerritory
            };
        }
        // Rule 19: a person seized by a militia or an unidentified group is
        // abducted, not arrested; state forces and the armed groups that hold
        // and govern territory arrest.
        if e.sub_event_type == SubEventType::Arrests
            && actor1.is_some_and(|a| {
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

    pub(super) fn base_event(&self, d: &Draft, place: &rasd_geo::Place, pref: &PlaceRef) -> Event {
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

    pub(super) fn fill_figures(&self, e: &mut Event, d: &Draft) {
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
        // «اغتال مسلحون فلاناً»: an assassination told with no toll killed one.
        if e.fatalities.is_none()
            && e.fatalities_vague.is_none()
            && !zero_deaths
            && self.assassination(d)
        {
            e.fatalities = Some(1);
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

    /// Does the draft tell one accomplished assassination («اغتال»,
    /// «اغتيل», «اغتيال»), not an attempt («محاولة اغتيال») nor a series
    /// («اغتيالات»)?
    fn assassination(&self, d: &Draft) -> bool {
        d.sentences.iter().any(|&si| {
            let range = self.an.sentences[si].tokens.clone();
            range.clone().any(|k| {
                let t = &self.an.tokens[k];
                let told = t.is_word()
                    && t.keys.iter().any(|x| {
                        (x.starts_with("اغتال") || x.starts_with("اغتيل") || x == "اغتيال")
                            && !x.starts_with("اغتيالات")
                    });
                let tried = (k.saturating_sub(ATTEMPT_TOKENS).max(range.start)..k).any(|j| {
                    key_in_list(&self.an.tokens[j], words::ATTEMPT)
                        || key_in_list(&self.an.tokens[j], &["نجا", "ينجو", "نجاه"])
                });
                told && !tried
            })
        })
    }

    pub(super) fn evidence(&self, sentences: &[usize]) -> (Vec<String>, Vec<TextSpan>) {
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
