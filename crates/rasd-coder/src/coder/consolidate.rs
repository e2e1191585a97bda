//! Consolidation and precedence: the mentions of one event merged (rule 1),
//! coarse reports joined to the finer event they summarise, explosions absorbed
//! by the battle they belong to, seizures folded into the raid they were part
//! of, interceptions and incursions kept only where nothing else happened
//! (rules 14, 18, 20).

use super::*;

impl Doc<'_> {
    /// The named agents of two drafts do not contradict each other.
    pub(super) fn sides_agree(&self, a: &Draft, b: &Draft) -> bool {
        let fa = a.sentences.iter().find_map(|&s| self.first_agent(s));
        let fb = b.sentences.iter().find_map(|&s| self.first_agent(s));
        match (fa, fb) {
            (Some(x), Some(y)) => x == y || self.sides_of(a).contains(&y),
            _ => true,
        }
    }

    pub(super) fn sides_compatible(&self, d: &Draft, m: &Mention) -> bool {
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

    pub(super) fn dates_overlap(a: (Date, Date), b: (Date, Date), tolerance: i32) -> bool {
        let widen = tolerance.days();
        let a0 = a.0.checked_sub(widen).unwrap_or(a.0);
        let a1 = a.1.checked_add(widen).unwrap_or(a.1);
        b.0 <= a1 && b.1 >= a0
    }

    pub(super) fn consolidate(
        &self,
        mentions: Vec<Mention>,
        attach: Vec<(usize, usize)>,
    ) -> Vec<Draft> {
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
                        || Self::dates_overlap(
                            (d.start, d.end),
                            (m.start, m.end),
                            // Strikes on two days each told as a day are two
                            // events («اليوم» and «أمس» at one town); a fight
                            // or a protest told over a night goes on.
                            // Nor are two days one sentence tells apart.
                            if m.precision == DatePrecision::Day
                                && d.precision == DatePrecision::Day
                                && (et == EventType::ExplosionsRemoteViolence
                                    || d.sentences.contains(&m.sentence))
                            {
                                0
                            } else {
                                1
                            },
                        ))
                    && (m.family == Family::Protest || self.sides_compatible(d, m))
                    // A sentence that tells one event a day keeps them apart.
                    && !(m.own_date
                        && d.sentences.contains(&m.sentence)
                        && (d.start, d.end) != (m.start, m.end))
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
            // «فتحت قوات مكافحة الشغب خراطيم المياه على المحتجين بهدف
            // تفريقهم»: a crowd dispersed later in the story met intervention.
            if d.sub == SubEventType::PeacefulProtest
                && self.facts[si]
                    .triggers
                    .iter()
                    .any(|(_, t)| t.kind == TriggerKind::Sub(SubEventType::ProtestWithIntervention))
            {
                d.sub = SubEventType::ProtestWithIntervention;
            }
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
            // Crowds gather in the city they are said to be in: protests in a
            // capital and in a town of its governorate are two.
            if drafts[di].family == Family::Protest && self.bare_capital(drafts[di].place.idx) {
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
            // «بدأ الهجوم بتمهيد مدفعي … مدفعية الجيش التركي تشارك في القصف»:
            // fire backing an assault belongs to the fight at its place and
            // day, whoever fires it.
            let support = drafts[di].sentences.iter().any(|&s| {
                self.an.sentences[s]
                    .tokens
                    .clone()
                    .any(|k| key_in_list(&self.an.tokens[k], words::SUPPORT_FIRE))
            });
            let fight_here = |o: usize| {
                !drafts[o].dropped
                    && drafts[o].sub.event_type() == EventType::Battles
                    && self.same_place(drafts[o].place, drafts[di].place)
                    && Self::dates_overlap(
                        (drafts[o].start, drafts[o].end),
                        (drafts[di].start, drafts[di].end),
                        0,
                    )
            };
            let owner = (0..drafts.len()).find(|&o| {
                fight_here(o) && {
                    let bs = self.sides_of(&drafts[o]);
                    sides.iter().all(|s| bs.contains(s))
                }
            });
            // The backing fire's gunners are not the fight's sides: its
            // sentences stay out of the fight's actors.
            if owner.is_none() && support && (0..drafts.len()).any(fight_here) {
                drafts[di].dropped = true;
                continue;
            }
            if let Some(o) = owner {
                let src = drafts[di].clone();
                merge_draft(&mut drafts[o], &src);
                drafts[o].sub = drafts[o].sub.max_battle(src.sub);
                drafts[di].dropped = true;
            }
        }
        // Interceptions: only when no strike hit that day in that area (rule 14). A strike
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
                        // A strike in another governorate is another attack.
                        && self.same_theatre(drafts[o].place, drafts[di].place)
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
        // Rule 18: a cache seized or property looted in the course of an
        // arrest, raid or fight by the same actor at the same place and day
        // belongs to it («اعتقال 12 شخصاً ومصادرة أسلحة»).
        for di in 0..drafts.len() {
            let folded = match drafts[di].sub {
                SubEventType::DisruptedWeaponsUse => !self.air_defence(&drafts[di]),
                SubEventType::LootingPropertyDestruction => true,
                _ => false,
            };
            if !folded || drafts[di].dropped {
                continue;
            }
            let owner = (0..drafts.len()).find(|&o| {
                o != di
                    && !drafts[o].dropped
                    && (drafts[o].sub == SubEventType::Arrests
                        || drafts[o].family == Family::Violent)
                    && self.same_place(drafts[o].place, drafts[di].place)
                    && Self::dates_overlap(
                        (drafts[o].start, drafts[o].end),
                        (drafts[di].start, drafts[di].end),
                        0,
                    )
                    && self.same_actor_acts(&drafts[o], &drafts[di])
            });
            if let Some(o) = owner {
                let told = drafts[di].sentences.clone();
                add_sentences(&mut drafts[o].sentences, &told);
                drafts[di].dropped = true;
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

    /// Is one action told of both drafts by one actor: a sentence they share,
    /// or the same agent named first in each?
    fn same_actor_acts(&self, a: &Draft, b: &Draft) -> bool {
        if a.sentences.iter().any(|s| b.sentences.contains(s)) {
            return true;
        }
        let fa = a.sentences.iter().find_map(|&s| self.first_agent(s));
        let fb = b.sentences.iter().find_map(|&s| self.first_agent(s));
        fa.is_some() && fa == fb
    }

    /// The named sides of a draft (agents and patients).
    pub(super) fn sides_of(&self, d: &Draft) -> Vec<usize> {
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
}
