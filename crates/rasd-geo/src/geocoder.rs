//! Finding place mentions in Arabic text and resolving each to one gazetteer entry.

use crate::gazetteer::{Gazetteer, NO_ADMIN1, NO_CODE, PlaceId, PlaceKind, country_code};
use crate::names::{self, TypeClass, is_word_char};
use crate::tuning::*;
use rasd_arabic::{NormalizeOptions, Normalized, normalize_with};
use rasd_model::{Location, LocationPrecision, TextSpan};
use rustc_hash::FxHashMap;
use serde::Serialize;
use std::ops::Range;

/// One place name found in a text, before resolution.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct PlaceMention {
    /// Byte range of the name in the ORIGINAL text, clitics excluded («بجاسم» → «جاسم»).
    pub range: Range<usize>,
    /// The name as written (clitics removed; for «للرقة» the article is restored: «الرقة»).
    pub surface: String,
    /// Every gazetteer entry with this name.
    pub candidates: Vec<PlaceId>,
    /// The place-type word right before the name, folded («مدينه», «بلده», «حي», «ناحيه» …).
    pub type_word: Option<String>,
    /// A word before the name saying the event was around the place, folded («محيط», «قرب»,
    /// «اطراف» …): rule 11 codes «محيط مدينة X» at district precision.
    pub near_word: Option<String>,
    /// The proclitics written on the name («ب», «وفي» is two words so «و» only …).
    pub prefix: String,
}

/// What a mention does in its sentence.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum MentionRole {
    /// A place something may have happened in.
    Place,
    /// An admin area or region that locates the place before it («جاسم شمالي درعا»,
    /// «نوى بريف درعا الغربي»): rule 5 says it is not the event's place.
    Qualifier,
    /// A country name.
    Country,
}

/// A mention with the entry chosen for it.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ResolvedMention {
    pub mention: PlaceMention,
    pub place: PlaceId,
    /// The precision an event at this mention has (the place's; rule 11 near-words are left to
    /// the caller, see [`PlaceMention::near_word`]).
    pub precision: LocationPrecision,
    /// The chosen candidate's score.
    pub score: f32,
    /// Score gap to the runner-up (large = sure; equal to `score` when there was one candidate).
    pub margin: f32,
    pub role: MentionRole,
    /// For a qualifier: the index (in the returned list) of the mention it locates.
    pub qualifies: Option<usize>,
}

impl ResolvedMention {
    /// The mention as an event location: named as the article spells it (one of the entry's
    /// names; for a region the article's wording, rule 11: «ريف حماة الغربي»), with the span in `text` (the text passed to
    /// [`Geocoder::resolve`]).
    pub fn to_location(&self, g: &Gazetteer, text: &str) -> Location {
        let p = g.get(self.place);
        let mut loc = p.to_location();
        // The surface is one of the entry's names (or the region as the article words it):
        // keep the article's spelling («كفرجالس» where the source has «كفر جالس»).
        let name = strip_marks(&self.mention.surface);
        if !name.is_empty() {
            loc.name = name;
        }
        loc.precision = self.precision;
        if self.mention.range.end <= text.len()
            && text.is_char_boundary(self.mention.range.start)
            && text.is_char_boundary(self.mention.range.end)
        {
            loc.span = Some(TextSpan::from_byte_range(text, self.mention.range.clone()));
        }
        loc
    }
}

/// What the caller knows about the article beyond its text.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ResolveContext {
    /// The dateline place («درعا», «إسطنبول», «ريف دير الزور الشرقي»).
    pub dateline: Option<String>,
    /// ISO country code the article is about, when known.
    pub country_hint: Option<String>,
}

/// Matches and resolves place names against one gazetteer.
#[derive(Debug, Clone, Copy)]
pub struct Geocoder<'g> {
    g: &'g Gazetteer,
}

/// A mention in normalised coordinates, with what the scan read around it.
#[derive(Debug, Clone)]
struct Scanned {
    /// Name range in the normalised text.
    norm: Range<usize>,
    /// Start of the word holding the name (clitics included).
    word_start: usize,
    pattern: usize,
    /// Written with ل + ال merged («للرقة»): the name starts one letter into `norm`.
    merged_article: bool,
    /// Index in `words` of the first and last word of the name.
    first_word: usize,
    last_word: usize,
    type_class: Option<TypeClass>,
    type_word: Option<&'static str>,
    near_word: Option<&'static str>,
}

struct Scan {
    norm: Normalized,
    words: Vec<Range<usize>>,
    mentions: Vec<Scanned>,
}

impl<'g> Geocoder<'g> {
    pub fn new(g: &'g Gazetteer) -> Geocoder<'g> {
        Geocoder { g }
    }

    /// The gazetteer this geocoder reads.
    pub fn gazetteer(&self) -> &'g Gazetteer {
        self.g
    }

    /// Every place name in `text`: longest match first, on word boundaries, with proclitics
    /// (و ف ب ل ك and combinations, «لل» for ل + ال) allowed before the name.
    pub fn find_mentions(&self, text: &str) -> Vec<PlaceMention> {
        let scan = self.scan(text);
        scan.mentions
            .iter()
            .map(|m| self.mention_of(text, &scan, m))
            .collect()
    }

    /// Find and resolve every place mention of `text`. Mentions that are only common words
    /// with no sign of being a place, names too short to trust without a type word, and foreign
    /// places the article gives no reason for are left out.
    pub fn resolve(&self, text: &str, ctx: &ResolveContext) -> Vec<ResolvedMention> {
        let scan = self.scan(text);
        let ms = &scan.mentions;
        let n = ms.len();
        // Names that are never places without their type word (common words, very short names).
        let hard_ok: Vec<bool> = (0..n)
            .map(|j| self.needs_no_type_word(&scan, j) || ms[j].type_class.is_some())
            .collect();
        let alive: Vec<usize> = (0..n).filter(|&j| hard_ok[j]).collect();

        // Qualifier links: which earlier mention each mention locates. Only a qualifier some
        // reading of the mention agrees with is one («طريق السرايا في مدينة درعا» with no
        // «السرايا» in Daraa leaves «درعا» a place).
        let mut qualifies: Vec<Option<usize>> = vec![None; n];
        let mut strong_link = vec![false; n];
        let mut contradicted = vec![false; n];
        for w in alive.windows(2) {
            let (i, j) = (w[0], w[1]);
            if let Some(strong) = self.is_qualifier_of(&scan, i, j) {
                let q = self.g.candidates(ms[j].pattern);
                let fits = self
                    .g
                    .candidates(ms[i].pattern)
                    .iter()
                    .any(|&c| self.qualifier_bonus(c, q) > 0.0);
                if fits {
                    qualifies[j] = Some(i);
                    strong_link[j] = strong;
                } else if strong
                    && !q.is_empty()
                    && q.iter().all(|&a| {
                        matches!(
                            self.g.core(a).kind,
                            PlaceKind::Governorate
                                | PlaceKind::District
                                | PlaceKind::Subdistrict
                                | PlaceKind::Region
                        )
                    })
                {
                    // «منطقة المرج الواقعة في غوطة دمشق الشرقية»: an area named
                    // expressly as where the place lies holds none of its
                    // readings, so the place meant is one the gazetteer lacks.
                    contradicted[i] = true;
                }
            }
        }

        // Keep or drop each mention. A bare village name needs a sign of being a place: a type
        // word, a near-word, an explicit qualifier — here or at another mention of the same name.
        let mut strongly_qualified = vec![false; n];
        for q in 0..n {
            if let Some(j) = qualifies[q]
                && strong_link[q]
            {
                strongly_qualified[j] = true;
            }
        }
        let signalled: Vec<bool> = (0..n)
            .map(|j| {
                ms[j].type_class.is_some()
                    || ms[j].near_word.is_some()
                    || qualifies[j].is_some()
                    || strongly_qualified[j]
            })
            .collect();
        let established: rustc_hash::FxHashSet<&[PlaceId]> = (0..n)
            .filter(|&j| signalled[j] && hard_ok[j])
            .map(|j| self.g.candidates(ms[j].pattern))
            .collect();
        let mut keep: Vec<bool> = (0..n)
            .map(|j| {
                let own = self.g.candidates(ms[j].pattern);
                hard_ok[j]
                    && !contradicted[j]
                    && (signalled[j] || established.contains(own) || self.notable(own))
            })
            .collect();
        // Article evidence: countries, governorates, the dateline.
        let dateline = ctx.dateline.as_deref().and_then(|d| self.dateline_place(d));
        let countries = self.country_evidence(&scan, &keep, ctx, dateline);
        let article_country = countries
            .0
            .iter()
            .max_by(|a, b| a.1.total_cmp(&b.1).then(b.0.cmp(&a.0)))
            .map_or(*b"SY", |(c, _)| *c);
        for j in 0..n {
            if keep[j] {
                let foreign = self.g.candidates(ms[j].pattern).iter().all(|&c| {
                    let p = self.g.core(c);
                    p.country != article_country
                        && countries.get(p.country) <= 0.0
                        && p.rank < FOREIGN_MIN_RANK
                });
                if foreign {
                    keep[j] = false;
                }
            }
        }
        // A qualifier of a dropped mention stands on its own.
        for j in 0..n {
            if let Some(i) = qualifies[j]
                && (!keep[i] || !keep[j])
            {
                qualifies[j] = None;
            }
        }
        let root = |mut j: usize| {
            while let Some(i) = qualifies[j] {
                j = i;
            }
            j
        };
        let mut qualifiers_of: Vec<Vec<usize>> = vec![Vec::new(); n];
        for j in 0..n {
            if qualifies[j].is_some() {
                qualifiers_of[root(j)].push(j);
            }
        }
        let dateline_admin1 = dateline
            .map(|p| self.g.admin1_of(p))
            .filter(|&a| a != NO_ADMIN1);
        // Governorates the article names without doubt (every reading of a mention agrees).
        let mut admin1_count: FxHashMap<u32, f32> = FxHashMap::default();
        let unambiguous_admin1: Vec<Option<u32>> = (0..n)
            .map(|j| {
                if !keep[j] {
                    return None;
                }
                let cands = self.g.candidates(ms[j].pattern);
                let first = self.g.admin1_of(cands[0]);
                (first != NO_ADMIN1 && cands.iter().all(|&c| self.g.admin1_of(c) == first))
                    .then_some(first)
            })
            .collect();
        for k in unambiguous_admin1.iter().flatten() {
            *admin1_count.entry(*k).or_default() += 1.0;
        }

        // Two passes: the second adds closeness to places the first resolved without doubt.
        // Places resolved without doubt in the first pass: (place, lat, lon), one per place.
        let mut anchors: Vec<(PlaceId, f64, f64)> = Vec::new();
        let mut out: Vec<Option<(PlaceId, f32, f32)>> = vec![None; n];
        let mut scored: Vec<(PlaceId, f32)> = Vec::with_capacity(8);
        for pass in 0..2 {
            for j in 0..n {
                let m = &ms[j];
                let cands = self.g.candidates(m.pattern);
                // The second pass only revisits homonyms.
                if !keep[j] || (pass == 1 && cands.len() == 1) {
                    continue;
                }
                let is_qualifier = qualifies[j].is_some();
                scored.clear();
                scored.extend(cands.iter().map(|&c| {
                    let p = self.g.core(c);
                    let mut s = PROMINENCE_WEIGHT * p.prominence;
                    // Country.
                    if p.country == article_country {
                        s += SAME_COUNTRY_BONUS;
                    } else if countries.get(p.country) <= 0.0 {
                        s -= FOREIGN_PENALTY;
                    }
                    // Qualifiers attached to this mention.
                    for &q in &qualifiers_of[j] {
                        s += self.qualifier_bonus(c, self.g.candidates(ms[q].pattern));
                    }
                    // A qualifier is itself best read as an admin area.
                    if is_qualifier && m.type_class.is_none() {
                        if p.kind.is_admin() || p.kind == PlaceKind::Region {
                            s += QUALIFIER_ADMIN_KIND_BONUS;
                        }
                    } else if !is_qualifier && m.type_class.is_none() && p.kind.is_settlement() {
                        s += SETTLEMENT_DEFAULT_BONUS;
                    }
                    s += type_word_bonus(m.type_class, p.kind);
                    // Governorates named elsewhere in the article, and the dateline.
                    let k = self.g.admin1_of(c);
                    if k != NO_ADMIN1 {
                        let mut n = admin1_count.get(&k).copied().unwrap_or(0.0);
                        if unambiguous_admin1[j] == Some(k) {
                            n -= 1.0;
                        }
                        s += (n * ARTICLE_ADMIN1_BONUS).min(ARTICLE_ADMIN1_CAP);
                        if dateline_admin1 == Some(k) {
                            s += DATELINE_ADMIN1_BONUS;
                        }
                    }
                    if pass == 1 && p.kind.is_settlement() {
                        let d = nearest_km(p.lat, p.lon, anchors.iter().filter(|a| a.0 != c));
                        if d <= NEAR_ANCHOR_KM {
                            s += NEAR_ANCHOR_BONUS;
                        } else if d <= MID_ANCHOR_KM {
                            s += MID_ANCHOR_BONUS;
                        }
                    }
                    (c, s)
                }));
                // Best and runner-up in the order «higher score, then lower id» (what sorting
                // the list would give first and second).
                let before = |a: &(PlaceId, f32), b: &(PlaceId, f32)| {
                    b.1.total_cmp(&a.1).then(a.0.cmp(&b.0)).is_lt()
                };
                let mut first = scored[0];
                let mut second: Option<(PlaceId, f32)> = None;
                for &c in &scored[1..] {
                    if before(&c, &first) {
                        second = Some(first);
                        first = c;
                    } else if second.is_none_or(|r| before(&c, &r)) {
                        second = Some(c);
                    }
                }
                let (best, s) = first;
                let margin = second.map_or(s, |r| s - r.1);
                out[j] = Some((best, s, margin));
            }
            if pass == 0 {
                for j in 0..n {
                    let Some((p, _, margin)) = out[j] else {
                        continue;
                    };
                    let place = self.g.core(p);
                    let sure = self.g.candidates(ms[j].pattern).len() == 1 || margin >= SURE_MARGIN;
                    if sure && place.kind.is_settlement() && !anchors.iter().any(|a| a.0 == p) {
                        anchors.push((p, place.lat, place.lon));
                    }
                }
                if anchors.is_empty() {
                    break;
                }
            }
        }

        // Assemble, renumbering qualifier links to the kept mentions.
        let mut index = vec![usize::MAX; n];
        let mut result = Vec::new();
        for j in 0..n {
            let Some((place, score, margin)) = out[j] else {
                continue;
            };
            index[j] = result.len();
            let p = self.g.core(place);
            let role = if p.kind == PlaceKind::Country {
                MentionRole::Country
            } else if qualifies[j].is_some() {
                MentionRole::Qualifier
            } else {
                MentionRole::Place
            };
            let qualifies = qualifies[j].and_then(|i| (index[i] != usize::MAX).then_some(index[i]));
            result.push(ResolvedMention {
                mention: self.mention_of(text, &scan, &ms[j]),
                place,
                precision: p.precision,
                score,
                margin,
                role,
                qualifies,
            });
        }
        result
    }

    /// The single best place for a name on its own (a dateline, a user query).
    pub fn resolve_name(&self, name: &str) -> Option<PlaceId> {
        self.dateline_place(name)
    }

    fn dateline_place(&self, dateline: &str) -> Option<PlaceId> {
        let scan = self.scan(dateline);
        let m = scan.mentions.iter().max_by_key(|m| m.norm.len())?;
        self.g
            .candidates(m.pattern)
            .iter()
            .copied()
            .max_by(|&a, &b| {
                let (pa, pb) = (self.g.core(a), self.g.core(b));
                (pa.prominence + if pa.kind.is_settlement() { 1.0 } else { 0.0 })
                    .total_cmp(&(pb.prominence + if pb.kind.is_settlement() { 1.0 } else { 0.0 }))
                    .then(b.cmp(&a))
            })
    }

    fn scan(&self, text: &str) -> Scan {
        let mut norm = normalize_with(text, &NormalizeOptions::LOOSE);
        // Keys fold «ث» into «ت» (see `names::fold_key`); both letters are two bytes in UTF-8, so
        // the offset map stays valid.
        if norm.text.contains('ث') {
            norm.text = norm.text.replace('ث', "ت");
        }
        let t = norm.text.as_str();
        let mut words: Vec<Range<usize>> = Vec::with_capacity(t.len() / 6 + 1);
        let mut start = None;
        for (i, c) in t.char_indices() {
            match (is_word_char(c), start) {
                (true, None) => start = Some(i),
                (false, Some(s)) => {
                    words.push(s..i);
                    start = None;
                }
                _ => {}
            }
        }
        if let Some(s) = start {
            words.push(s..t.len());
        }
        let word_at = |pos: usize| words.partition_point(|w| w.end <= pos);

        // Candidate matches: at every word, each proclitic reading of it, then the longest run
        // of following words (joined by single spaces) that is a name.
        // (start, end, word_start, pattern, merged_article, first word, last word)
        let mut raw: Vec<Raw> = Vec::new();
        let mut buf = String::new();
        for (wi, w) in words.iter().enumerate() {
            let word = &t[w.clone()];
            names::for_each_split(word, |p, merged| {
                let stem_start = w.start + p;
                let first: &str = if merged {
                    buf.clear();
                    buf.push_str("ال");
                    buf.push_str(&t[stem_start + 'ل'.len_utf8()..w.end]);
                    &buf
                } else {
                    &t[stem_start..w.end]
                };
                let Some(extra) = self.g.extra_words(first) else {
                    return;
                };
                // How many following words are joined to this one by a single space.
                let mut joined = 0;
                while joined < extra
                    && wi + joined + 1 < words.len()
                    && words[wi + joined].end + 1 == words[wi + joined + 1].start
                    && t.as_bytes()[words[wi + joined].end] == b' '
                {
                    joined += 1;
                }
                for n in (0..=joined).rev() {
                    let end = words[wi + n].end;
                    let found = if merged {
                        let base = buf.len();
                        buf.push_str(&t[w.end..end]);
                        let f = self.g.pattern_of(&buf);
                        buf.truncate(base);
                        f
                    } else {
                        self.g.pattern_of(&t[stem_start..end])
                    };
                    if let Some(pattern) = found {
                        raw.push((stem_start, end, w.start, pattern, merged, wi, wi + n));
                        break;
                    }
                }
            });
        }
        // Longest first, then leftmost; no overlaps.
        // Two readings of one word may share start and end only as «ول» + stem against «و» +
        // «لل» merged: the plain reading was found first and wins, as `merged` orders it.
        raw.sort_unstable_by(|a, b| {
            (b.1 - b.0)
                .cmp(&(a.1 - a.0))
                .then(a.0.cmp(&b.0))
                .then(a.4.cmp(&b.4))
        });
        // A match spans whole words (clitics included), so two overlap exactly when they share
        // a word: one flag per word instead of a test against every match taken.
        let mut taken: Vec<Raw> = Vec::with_capacity(raw.len());
        let mut occupied = vec![false; words.len()];
        for r in raw {
            let span = &mut occupied[r.5..=r.6];
            if span.iter().all(|o| !o) {
                span.fill(true);
                taken.push(r);
            }
        }
        taken.sort_unstable_by_key(|r| r.0);

        let mentions = taken
            .into_iter()
            .map(|(s, e, ws, pattern, merged_article, _, _)| {
                let first_word = word_at(s);
                let last_word = word_at(e.saturating_sub(1)).max(first_word);
                let mut type_class = None;
                let mut type_word = None;
                let mut near = None;
                let mut k = first_word;
                for step in 0..=MAX_NEAR_WORD_DISTANCE {
                    if k == 0 || !adjacent(t, &words[k - 1], &words[k]) {
                        break;
                    }
                    let prev = &t[words[k - 1].clone()];
                    let (tw, nw) = names::type_and_near_word(prev);
                    if step == 0
                        && let Some((c, w)) = tw
                    {
                        type_class = Some(c);
                        type_word = Some(w);
                        k -= 1;
                        continue;
                    }
                    if let Some(nw) = nw {
                        near = Some(nw);
                        break;
                    }
                    // «على أطراف» / «في محيط»: one short word may stand between.
                    if !matches!(prev, "في" | "علي" | "من" | "الي") {
                        break;
                    }
                    k -= 1;
                }
                Scanned {
                    norm: s..e,
                    word_start: ws,
                    pattern,
                    merged_article,
                    first_word,
                    last_word,
                    type_class,
                    type_word,
                    near_word: near,
                }
            })
            .collect();
        Scan {
            norm,
            words,
            mentions,
        }
    }

    fn mention_of(&self, text: &str, scan: &Scan, m: &Scanned) -> PlaceMention {
        let candidates = self.g.candidates(m.pattern).to_vec();
        let (range, surface) = if m.merged_article {
            // «للرقة»: the name starts at the second ل; the article's alef is restored.
            let r = scan.norm.original_range(m.norm.clone());
            let s = format!("ا{}", clean_surface(&text[r.clone()]));
            (r, s)
        } else {
            let r = scan.norm.original_range(m.norm.clone());
            let s = clean_surface(&text[r.clone()]);
            (r, s)
        };
        let prefix_r = scan.norm.original_range(m.word_start..m.norm.start);
        PlaceMention {
            range,
            surface,
            candidates,
            type_word: m.type_word.map(str::to_string),
            near_word: m.near_word.map(str::to_string),
            prefix: text.get(prefix_r).unwrap_or("").to_string(),
        }
    }

    /// Does mention `j` locate mention `i` (the one right before it)? `Some(strong)`: yes, and
    /// `strong` when the link is explicit (a direction word, «التابعة», a preposition on the
    /// qualifier, brackets or a dash) rather than a bare «في», which also follows common words
    /// («اشتباكات عنيفة في ريف حلب»).
    fn is_qualifier_of(&self, scan: &Scan, i: usize, j: usize) -> Option<bool> {
        let t = scan.norm.text.as_str();
        let (a, b) = (&scan.mentions[i], &scan.mentions[j]);
        // A conjunction on the name coordinates it with the previous one («ذيبان والطيانة»).
        let prefix = &t[b.word_start..b.norm.start];
        if prefix.starts_with('و') || prefix.starts_with('ف') {
            return None;
        }
        let gap_words = &scan.words[a.last_word + 1..b.first_word];
        if gap_words.len() > MAX_QUALIFIER_GAP_WORDS {
            return None;
        }
        let between = &t[a.norm.end..b.word_start];
        if between.contains(['.', '،', ',', '؛', ';', ':', '!', '?', '؟', '\n']) {
            return None;
        }
        if !gap_words
            .iter()
            .all(|w| names::is_qualifier_glue(&t[w.clone()]))
        {
            return None;
        }
        let punct = between.contains(['(', '-', '\u{2013}', '/', '[']);
        if gap_words.is_empty() && prefix.is_empty() && !punct {
            return None;
        }
        // The qualifier must be able to name an area; «في ريف X» makes any town X one.
        let rural = gap_words.iter().any(|w| t[w.clone()].ends_with("ريف"));
        let area = rural
            || self.g.candidates(b.pattern).iter().any(|&c| {
                let p = self.g.core(c);
                p.kind.is_admin() || p.kind == PlaceKind::Region || p.rank >= 4
            });
        if !area {
            return None;
        }
        let weak_only = gap_words
            .iter()
            .all(|w| matches!(&t[w.clone()], "في" | "من" | "ضمن"));
        Some(punct || !prefix.is_empty() || !weak_only)
    }

    /// False for a name that is a place only with its type word: a common word («قرية المال»;
    /// governorate capitals excepted) or a name shorter than
    /// [`MIN_LETTERS_WITHOUT_TYPE_WORD`].
    fn needs_no_type_word(&self, scan: &Scan, j: usize) -> bool {
        let pattern = scan.mentions[j].pattern;
        if self.g.pattern_letters(pattern) < MIN_LETTERS_WITHOUT_TYPE_WORD {
            return false;
        }
        // The matched text is the pattern's own key, so the pattern says whether it is common.
        !self.g.pattern_is_common(pattern)
            || self
                .g
                .candidates(pattern)
                .iter()
                .any(|&c| self.g.core(c).rank >= 5)
    }

    /// A bare name is taken for a place when one of its entries is notable
    /// ([`Place::is_notable`]).
    fn notable(&self, cands: &[PlaceId]) -> bool {
        cands.iter().any(|&c| self.g.core(c).notable)
    }

    fn country_evidence(
        &self,
        scan: &Scan,
        keep: &[bool],
        ctx: &ResolveContext,
        dateline: Option<PlaceId>,
    ) -> Countries {
        let mut ev = Countries(Vec::with_capacity(4));
        ev.add(*b"SY", 0.0);
        for (j, m) in scan.mentions.iter().enumerate() {
            if !keep[j] {
                continue;
            }
            let cands = self.g.candidates(m.pattern);
            let c0 = self.g.core(cands[0]).country;
            // Only names that stand for a country: country names and national capitals.
            let weighty = cands
                .iter()
                .all(|&c| self.g.core(c).rank >= FOREIGN_MIN_RANK);
            if weighty && cands.iter().all(|&c| self.g.core(c).country == c0) {
                let w = if cands
                    .iter()
                    .any(|&c| self.g.core(c).kind == PlaceKind::Country)
                {
                    COUNTRY_NAME_WEIGHT
                } else {
                    COUNTRY_PLACE_WEIGHT
                };
                ev.add(c0, w);
            }
        }
        let t = scan.norm.text.as_str();
        for w in &scan.words {
            let mut word = &t[w.clone()];
            for _ in 0..2 {
                if let Some(&(_, cc)) = names::COUNTRY_WORDS.iter().find(|(k, _)| *k == word) {
                    ev.add(country_code(cc), COUNTRY_ADJECTIVE_WEIGHT);
                    break;
                }
                match word.chars().next() {
                    Some(c @ ('و' | 'ف' | 'ب' | 'ل' | 'ك')) => word = &word[c.len_utf8()..],
                    _ => break,
                }
            }
        }
        if let Some(h) = &ctx.country_hint {
            ev.add(country_code(&h.to_ascii_uppercase()), COUNTRY_HINT_WEIGHT);
        }
        if let Some(p) = dateline {
            ev.add(self.g.core(p).country, COUNTRY_DATELINE_WEIGHT);
        }
        if ev.0.iter().all(|v| v.1 <= 0.0) {
            ev.add(*b"SY", DEFAULT_COUNTRY_WEIGHT);
        }
        ev
    }

    /// How well a qualifier (its candidate places) locates place `p`.
    fn qualifier_bonus(&self, c: PlaceId, qualifier: &[PlaceId]) -> f32 {
        let p = self.g.core(c);
        let mut best = 0.0f32;
        for &q in qualifier {
            let a = self.g.core(q);
            if a.country != p.country {
                continue;
            }
            let same1 = a.admin1 != NO_ADMIN1 && a.admin1 == p.admin1;
            let b = match a.kind {
                PlaceKind::Governorate | PlaceKind::Region if same1 => {
                    let finer = a.admin3 != NO_CODE && a.admin3 == p.admin3
                        || a.admin2 != NO_CODE
                            && a.kind == PlaceKind::Region
                            && a.admin2 == p.admin2;
                    QUALIFIER_ADMIN1_BONUS + if finer { QUALIFIER_ADMIN23_BONUS } else { 0.0 }
                }
                PlaceKind::District if same1 => {
                    QUALIFIER_ADMIN1_BONUS
                        + if a.admin2 != NO_CODE && a.admin2 == p.admin2 {
                            QUALIFIER_ADMIN23_BONUS
                        } else {
                            0.0
                        }
                }
                PlaceKind::Subdistrict if same1 => {
                    QUALIFIER_ADMIN1_BONUS
                        + if a.admin3 != NO_CODE && a.admin3 == p.admin3 {
                            QUALIFIER_ADMIN23_BONUS
                        } else {
                            0.0
                        }
                }
                k if k.is_settlement() => {
                    let d = approx_km(a.lat, a.lon, p.lat, p.lon);
                    if d <= QUALIFIER_CITY_KM && q != c {
                        QUALIFIER_CITY_BONUS
                    } else if same1 {
                        QUALIFIER_ADMIN1_BONUS / 2.0
                    } else {
                        0.0
                    }
                }
                _ => 0.0,
            };
            best = best.max(b);
        }
        best
    }
}

/// Evidence weight per country (ISO code bytes), a handful of entries.
struct Countries(Vec<([u8; 2], f32)>);

impl Countries {
    fn add(&mut self, cc: [u8; 2], w: f32) {
        match self.0.iter_mut().find(|e| e.0 == cc) {
            Some(e) => e.1 += w,
            None => self.0.push((cc, w)),
        }
    }

    fn get(&self, cc: [u8; 2]) -> f32 {
        self.0.iter().find(|e| e.0 == cc).map_or(0.0, |e| e.1)
    }
}

/// Distance in km from a point to the nearest of `anchors` (infinity when there is none).
fn nearest_km<'a>(
    lat: f64,
    lon: f64,
    anchors: impl Iterator<Item = &'a (PlaceId, f64, f64)>,
) -> f64 {
    let k = lat.to_radians().cos();
    let mut best = f64::INFINITY;
    for a in anchors {
        let x = (a.2 - lon) * k;
        let y = a.1 - lat;
        best = best.min(x * x + y * y);
    }
    best.sqrt().to_radians() * 6371.0088
}

/// Equirectangular distance in km: close to the great circle at the distances scored here
/// (tens of km) and cheaper.
fn approx_km(lat1: f64, lon1: f64, lat2: f64, lon2: f64) -> f64 {
    let x = (lon2 - lon1).to_radians() * ((lat1 + lat2) / 2.0).to_radians().cos();
    let y = (lat2 - lat1).to_radians();
    6371.0088 * (x * x + y * y).sqrt()
}

fn type_word_bonus(class: Option<TypeClass>, kind: PlaceKind) -> f32 {
    let Some(class) = class else { return 0.0 };
    let admin_or_region = kind.is_admin() || kind == PlaceKind::Region;
    match class {
        TypeClass::Settlement if kind.is_settlement() => TYPE_WORD_MATCH_BONUS,
        // «مدينة مأرب»: where the gazetteer has the city only as the district named
        // after it, that district is the city; a governorate never is.
        TypeClass::Settlement if kind == PlaceKind::District => 0.0,
        TypeClass::Settlement if admin_or_region => -TYPE_WORD_MISMATCH_PENALTY,
        TypeClass::Subdistrict if kind == PlaceKind::Subdistrict => TYPE_WORD_MATCH_BONUS,
        TypeClass::Subdistrict if kind != PlaceKind::District => 0.0,
        TypeClass::Governorate if kind == PlaceKind::Governorate => TYPE_WORD_MATCH_BONUS,
        TypeClass::Governorate => -TYPE_WORD_MISMATCH_PENALTY,
        TypeClass::Area if admin_or_region => TYPE_WORD_MATCH_BONUS / 2.0,
        TypeClass::Countryside if kind == PlaceKind::Governorate || kind.is_settlement() => 0.0,
        _ => 0.0,
    }
}

/// A candidate match of the scan: (start, end, word_start, pattern, merged_article, index of
/// its first word, index of its last word).
type Raw = (usize, usize, usize, usize, bool, usize, usize);

/// Only spaces and quotes between two words (no sentence or list punctuation).
fn adjacent(t: &str, a: &Range<usize>, b: &Range<usize>) -> bool {
    t[a.end..b.start]
        .chars()
        .all(|c| c.is_whitespace() || matches!(c, '«' | '»' | '"' | '\'' | '“' | '”' | '(' | ')'))
}

/// Strip tatweel from a surface form (the text's diacritics are kept as written).
fn clean_surface(s: &str) -> String {
    if s.contains('\u{0640}') {
        s.replace('\u{0640}', "")
    } else {
        s.to_string()
    }
}

/// A surface without diacritics, tatweel or bidi controls, whitespace collapsed.
fn strip_marks(s: &str) -> String {
    let t: String = s
        .chars()
        .filter(|&c| {
            !rasd_arabic::is_arabic_mark(c) && !matches!(c, '\u{0640}' | '\u{200B}'..='\u{200F}')
        })
        .collect();
    t.split_whitespace().collect::<Vec<_>>().join(" ")
}
