//! Where an event happened: how well each place of a sentence stands as the
//! event's place, the places one action hit (rule 16), and when two places are
//! the same, a part of one another, or near.

use super::*;

impl Doc<'_> {
    /// How well each place of a sentence stands as where its event happened
    /// (place index, score): higher is likelier, below zero unlikely.
    pub(super) fn place_scores(&self, si: usize) -> Vec<(i32, usize)> {
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
            // «توغل نحو قرية X»: an incursion's goal is where it happened.
            let goal = prev_is(words::DESTINATION_MARKERS)
                && f.triggers
                    .iter()
                    .any(|(_, t)| t.kind == TriggerKind::Sub(SubEventType::Other));
            if (prev_is(words::ORIGIN_MARKERS) || prev2_origin) && !listing && !goal {
                score -= PLACE_ORIGIN_PENALTY;
            }
            if prev_is(words::DIRECTIONS) {
                score -= PLACE_DIRECTION_PENALTY;
            }
            // «وفي درعا، قُتل شاب … وسط مدينة الحراك»: a round-up's opener
            // names the province it turns to; a finer place told after it is
            // where the event was.
            let opener = p.tokens.start <= sent_start + OPENER_TOKENS
                && prev_is(&["في"])
                && (sent_start..k.saturating_sub(1))
                    .all(|j| key_in_list(&toks[j], &["اما", "و"]) || !toks[j].is_word())
                && p.tokens.end < toks.len()
                && (matches!(toks[p.tokens.end].folded.as_str(), "،" | ",")
                    || self
                        .text
                        .get(toks[p.tokens.end - 1].range.end..toks[p.tokens.end].range.start)
                        .is_some_and(|g| g.contains('،') || g.contains(',')))
                && f.places.iter().any(|&qi| {
                    let q = &self.places[qi];
                    q.tokens.start > p.tokens.end
                        && !q.area
                        && !q.country_only
                        && q.precision == LocationPrecision::Community
                        && !self.same_place(
                            PlaceChoice {
                                idx: qi,
                                precision: q.precision,
                                coarse: false,
                            },
                            PlaceChoice {
                                idx: pi,
                                precision: p.precision,
                                coarse: false,
                            },
                        )
                });
            if opener {
                score -= PLACE_ORIGIN_PENALTY;
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
                    toks[j].is_word()
                        && words::HOSPITAL_WORDS.iter().any(|w| toks[j].has_key(w))
                        // «قصف على مستشفى X» hit the hospital: only one the
                        // wounded were taken to or treated in is elsewhere.
                        && (sent_start..j).any(|i| {
                            key_in_list(&toks[i], words::DESTINATION_MARKERS)
                                || key_in_list(&toks[i], words::TREATMENT_WORDS)
                        })
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
        // «في مدينة بانياس … في حي القصور»: a quarter of a town the sentence
        // names is finer than the town (rule 16).
        let choice = |i: usize| PlaceChoice {
            idx: i,
            precision: LocationPrecision::Community,
            coarse: false,
        };
        // (Only where the sentence tells one kind of event: «تظاهر أهالي
        // القامشلي تنديداً بالغارة على حي الهلالية» protests in the town.)
        let protest = f.triggers.iter().any(|(_, t)| is_protest(t.kind));
        let violence = f
            .triggers
            .iter()
            .any(|(_, t)| violent_rank(t.kind).is_some());
        // Nor where quarters are taken one after another in a town's
        // takeover: the town is the event told, the quarters its course.
        let takeover = f
            .triggers
            .iter()
            .any(|(_, t)| t.kind == TriggerKind::Territory);
        let one_kind = !((protest && violence) || takeover);
        let quarters: Vec<usize> = scores
            .iter()
            .filter(|_| one_kind)
            .filter(|&&(_, pi)| {
                scores
                    .iter()
                    .any(|&(_, qi)| qi != pi && self.quarter_of(choice(pi), choice(qi)))
            })
            .map(|&(_, pi)| pi)
            .collect();
        for (score, pi) in scores.iter_mut() {
            if quarters.contains(pi) {
                *score += PLACE_QUARTER_BONUS;
            }
        }
        scores
    }

    /// The places of a sentence that its action hit, one event each (rule
    /// 16): «قصف طال A وB», «غارات على قرى A وB وC», «قريتي A وB». Only
    /// settlements and quarters count, not areas; a place that locates the one
    /// before it («شير مغار في جبل شحشبو غربي حماة», «حي الهلالية بالقامشلي»)
    /// is not a target of its own.
    pub(super) fn target_places(&self, si: usize) -> Vec<usize> {
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
            // «قصف A وB وعدة مناطق بالغوطة الشرقية»: unnamed parts of a
            // region joined to the list are one more place hit, the region.
            let vague_member = p.area && self.vague_parts_before(p.tokens.start, si);
            let listed_area = listed_area || vague_member;
            // (A listed area scores as the area it names, not as the village.)
            let least = if vague_member {
                // The list's structure, not the region's precision, says it was hit.
                i32::MIN
            } else if listed_area {
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
            if locates_previous && !vague_member {
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

    /// Do the words before `at` say «and (several) parts of» («وعدة مناطق
    /// بـ», «ومناطق في», «وأماكن أخرى من»), joining the region at `at` to a
    /// list of places?
    pub(super) fn vague_parts_before(&self, at: usize, si: usize) -> bool {
        let toks = &self.an.tokens;
        let start = self.an.sentences[si].tokens.start;
        let mut k = at;
        // «في» or «من» between the parts and the region.
        if k > start && key_in_list(&toks[k - 1], &["في", "من"]) {
            k -= 1;
        }
        if k <= start || !key_in_list(&toks[k - 1], words::VAGUE_PARTS) {
            return false;
        }
        let parts = &toks[k - 1];
        let joined = |t: &crate::text::Token| t.folded.starts_with('و');
        joined(parts)
            || (k - 1 > start && joined(&toks[k - 2]) && key_in_list(&toks[k - 2], &["عده", "بعض"]))
    }

    /// The places among `targets` (in text order) that one list or chain of
    /// coordination joins: between two of them stand only separators, type
    /// words, locating words and the places that locate them («قرية A في جبل
    /// B، وقريتي C وD»). The chain with the best-placed target is the action's;
    /// a place told after other words («اشتباكات في ذيبان، وقسد تنسحب من
    /// نقاطها في حوايج ذيبان») belongs to another action.
    pub(super) fn coordinated(
        &self,
        si: usize,
        targets: Vec<usize>,
        scores: &[(i32, usize)],
    ) -> Vec<usize> {
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
                || key_in_list(t, &["عده", "بعض", "اماكن"])
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
            // «مدينتي الحولة (20 كم شمال غرب حمص) وكفرلاها»: an aside in
            // brackets does not break the list.
            let mut aside = 0usize;
            let joins = gap.clone().all(|k| {
                let t = &toks[k];
                match t.folded.as_str() {
                    "(" => {
                        aside += 1;
                        return true;
                    }
                    ")" => {
                        aside = aside.saturating_sub(1);
                        return true;
                    }
                    _ if aside > 0 => return true,
                    _ => {}
                }
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
    pub(super) fn own_place(
        &self,
        si: usize,
        inherited: Option<PlaceChoice>,
    ) -> Option<PlaceChoice> {
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
        // «سيطرتها على آخر معقل للتنظيم في دير الزور شرق سوريا»: a capital
        // named bare may stand for its governorate; a finer place of the same
        // event told nearby wins (it stays the city otherwise).
        if self.bare_capital(pi) {
            is_coarse = true;
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
    pub(super) fn launch_origin(&self, si: usize, at: usize) -> bool {
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

    /// Is `part` a quarter of the town `town` (a neighbourhood entry, or a
    /// name after «حي», within the town's radius)?
    pub(super) fn quarter_of(&self, part: PlaceChoice, town: PlaceChoice) -> bool {
        let (pp, pt) = (&self.places[part.idx], &self.places[town.idx]);
        let (gp, gt) = (self.gaz.get(pp.place), self.gaz.get(pt.place));
        let toks = &self.an.tokens;
        let named_quarter = gp.kind == PlaceKind::Neighbourhood
            || toks[pp.tokens.start].has_key("حي")
            || (pp.tokens.start > 0 && toks[pp.tokens.start - 1].has_key("حي"));
        // A quarter the gazetteer lacks shares its town's entry.
        if pp.unlisted && !pt.unlisted && pp.place == pt.place {
            return named_quarter && gt.kind == PlaceKind::Locality;
        }
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

    pub(super) fn same_place(&self, a: PlaceChoice, b: PlaceChoice) -> bool {
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
    pub(super) fn section_of(&self, part: &PlaceRef, whole: &PlaceRef) -> bool {
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
    pub(super) fn near_places(&self, a: PlaceChoice, b: PlaceChoice) -> bool {
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
        let wide_a = wide(pa) || self.bare_capital(a.idx);
        let wide_b = wide(pb) || self.bare_capital(b.idx);
        (same_admin1 && (wide_a || wide_b))
            || rasd_geo::distance_km(pa.lat, pa.lon, pb.lat, pb.lon) <= MERGE_RADIUS_KM
    }

    /// Could one attack be told at both places: the same governorate, within
    /// the merge radius, or one of them the whole country?
    pub(super) fn same_theatre(&self, a: PlaceChoice, b: PlaceChoice) -> bool {
        let (pa, pb) = (
            self.gaz.get(self.places[a.idx].place),
            self.gaz.get(self.places[b.idx].place),
        );
        pa.kind == PlaceKind::Country
            || pb.kind == PlaceKind::Country
            || (pa.admin1_ar.is_some() && pa.admin1_ar == pb.admin1_ar)
            || self.near_places(a, b)
    }

    /// Is the place reference `pi` a governorate's capital named bare, with
    /// no type word («دير الزور», not «مدينة دير الزور»)?
    pub(super) fn bare_capital(&self, pi: usize) -> bool {
        let p = &self.places[pi];
        if p.typed || p.area || p.unlisted {
            return false;
        }
        let g = self.gaz.get(p.place);
        g.kind == PlaceKind::Locality
            && g.admin1_ar
                .as_deref()
                .is_some_and(|a1| crate::text::key_of(a1) == crate::text::key_of(&g.name_ar))
    }
}
