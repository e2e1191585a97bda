//! Casualty and arrest figures of one sentence: «مقتل نحو 17 عنصراً من
//! التنظيم», «قُتل شاب», «فقُتلا», «وإصابة آخرين», «عشرات القتلى والجرحى»,
//! «4 من مقاتلي الفصائل قتلوا». Numbers come from `rasd_arabic::numbers`
//! (mapped to tokens by [`Quantity`]); this module only ties them to the
//! casualty words, the counted nouns and the sides.

use std::ops::Range;

use rasd_model::Vague;

use crate::lexicon::Hit;
use crate::lexicons::{VictimClass, VictimNoun, words};
use crate::text::Token;
use crate::thresholds::{
    COUNT_BACKWARD_TOKENS, COUNT_FORWARD_TOKENS, PLURAL_FATE_EXTRA_TOKENS, SIDE_WINDOW_TOKENS,
    TOLL_BACK_TOKENS, TOLL_FORWARD_TOKENS,
};

/// A number found in the text, as token indices.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Quantity {
    pub tokens: Range<usize>,
    pub value: Option<u64>,
    pub vague: Option<Vague>,
    /// Tokens of the counted noun, when the number layer found one.
    pub noun: Option<Range<usize>>,
}

/// What a figure counts.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub(crate) enum Measure {
    Killed,
    Injured,
    Arrested,
}

/// One figure read in a sentence.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Figure {
    pub measure: Measure,
    pub value: Option<u32>,
    pub vague: Option<Vague>,
    /// The side the counted people belong to (actor id), when the text says.
    pub side: Option<usize>,
    /// The counted people are civilians (by their noun).
    pub civilian: bool,
    /// The counted people are armed men (by their noun).
    pub armed: bool,
    /// A part of a total («بينهم»، «من بين القتلى»).
    pub breakdown: bool,
    /// The counted men are named as the enemy («الإرهابيين»، «المهاجمين»): the
    /// other side's loss, not a rival figure for the same dead.
    pub hostile: bool,
    /// Token where the casualty word stands.
    pub at: usize,
    /// A running toll's latest figure («ارتفعت الحصيلة إلى N»): it replaces
    /// earlier figures of the same event rather than conflicting with them.
    pub cumulative: bool,
}

/// Actor hits of the sentence, as (token range, actor id).
pub(crate) type ActorAt = (Range<usize>, usize);

/// Nouns a side uses for its enemy's men («قتل اثنين من الإرهابيين»).
const HOSTILE_NOUNS: &[&str] = &[
    "الارهابيين",
    "ارهابيين",
    "ارهابيا",
    "المهاجمين",
    "مهاجمين",
    "الدواعش",
    "دواعش",
    "الخوارج",
    "خوارج",
];

/// Words that may stand between a counted noun and its side.
const SIDE_LINKS: &[&str] = &["من", "في", "صفوف", "علي", "اقل", "بين"];

/// Casualty words by key hash (see [`crate::text::KeyHash`]), with the word
/// itself to confirm a hit, built once.
type Measures = rustc_hash::FxHashMap<u64, (&'static str, Measure)>;

fn measures() -> &'static Measures {
    static M: std::sync::OnceLock<Measures> = std::sync::OnceLock::new();
    M.get_or_init(|| {
        let mut m: rustc_hash::FxHashMap<&'static str, Measure> = rustc_hash::FxHashMap::default();
        // Later lists do not override earlier ones (killed > injured > arrested).
        for (list, measure) in [
            (words::ARRESTED, Measure::Arrested),
            (words::INJURED, Measure::Injured),
            (words::KILLED, Measure::Killed),
        ] {
            for w in list {
                m.insert(*w, measure);
            }
        }
        m.into_iter()
            .map(|(w, x)| (crate::text::hash_key(w), (w, x)))
            .collect()
    })
}

fn measure_of(t: &Token) -> Option<Measure> {
    if !t.is_word() {
        return None;
    }
    let m = measures();
    let mut best: Option<Measure> = None;
    for (k, h) in t.keys.iter().zip(t.hashes.iter()) {
        if let Some(&(w, x)) = m.get(&h.full)
            && w == k
        {
            best = Some(match (best, x) {
                (Some(Measure::Killed), _) | (_, Measure::Killed) => Measure::Killed,
                (Some(Measure::Injured), _) | (_, Measure::Injured) => Measure::Injured,
                _ => Measure::Arrested,
            });
        }
    }
    best
}

fn key_in(t: &Token, list: &[&str]) -> bool {
    t.is_word() && list.iter().any(|w| t.has_key(w))
}

/// Does the sentence hold a casualty or arrest word?
pub(crate) fn has_measure(tokens: &[Token], range: Range<usize>) -> bool {
    range.into_iter().any(|i| measure_of(&tokens[i]).is_some())
}

/// The figures of the sentence `range`.
pub(crate) fn figures(
    tokens: &[Token],
    range: Range<usize>,
    quantities: &[Quantity],
    victims: &[Hit<'_, VictimNoun>],
    actors: &[ActorAt],
) -> Vec<Figure> {
    let mut out: Vec<Figure> = Vec::new();
    let qty_at = |i: usize| quantities.iter().find(|q| q.tokens.start == i);
    let victim_at = |i: usize| victims.iter().find(|v| v.start == i);
    let mut used_qty: Vec<usize> = Vec::new();
    let mut i = range.start;
    while i < range.end {
        let Some(measure) = measure_of(&tokens[i]) else {
            i += 1;
            continue;
        };
        let t = &tokens[i];
        let mut fig = Figure {
            measure,
            value: None,
            vague: None,
            side: None,
            civilian: false,
            armed: false,
            breakdown: false,
            hostile: false,
            at: i,
            cumulative: false,
        };
        // A pronoun suffix is the count: «مقتله» 1, «مقتلهما» 2.
        let mut found = false;
        if let Some(s) = &t.suffix {
            match s.as_str() {
                "ه" | "ها" => {
                    fig.value = Some(1);
                    found = true;
                }
                "هما" => {
                    fig.value = Some(2);
                    found = true;
                }
                _ => {}
            }
        }
        if key_in(t, &["اردوه"]) {
            fig.value = Some(1);
            found = true;
        }
        // «قتيلاً» after a number: the number before is the count.
        let noun_like = key_in(
            t,
            &[
                "قتيل",
                "قتيلا",
                "قتلي",
                "جريح",
                "جريحا",
                "جرحي",
                "مصاب",
                "مصابين",
                "معتقلين",
                "اصابات",
                "ضحايا",
            ],
        );
        if !found && i > range.start {
            if let Some(q) = quantities.iter().find(|q| q.tokens.end == i) {
                if noun_like {
                    fig.value = q.value.and_then(|v| u32::try_from(v).ok());
                    fig.vague = q.vague;
                    found = true;
                    used_qty.push(q.tokens.start);
                    // «قبل أن ترتفع الحصيلة عصر اليوم إلى اثنين وثلاثين قتيلاً»:
                    // the latest figure of a running toll.
                    let s0 = q.tokens.start;
                    fig.cumulative = s0 > range.start
                        && tokens[s0 - 1].has_key("الي")
                        && (s0.saturating_sub(TOLL_BACK_TOKENS).max(range.start)..s0)
                            .any(|k| key_in(&tokens[k], words::TOLL_WORDS));
                }
            } else if noun_like && key_in(&tokens[i - 1], words::DOZENS) {
                fig.vague = Some(Vague::Dozens);
                found = true;
            }
        }
        if !found && key_in(t, &["قتيلان", "قتيلين", "جريحان", "جريحين"]) {
            fig.value = Some(2);
            found = true;
        }
        // «ارتفعت حصيلة القتلى في البلدة إلى خمسة»: the toll word stands
        // before the casualty word and the latest figure follows «إلى».
        if !found && noun_like {
            let toll_before = (i.saturating_sub(2).max(range.start)..i)
                .any(|k| key_in(&tokens[k], words::TOLL_WORDS));
            if toll_before {
                let stop = (i + 1 + TOLL_FORWARD_TOKENS).min(range.end);
                let mut k = i + 1;
                while k + 1 < stop {
                    let tk = &tokens[k];
                    if !tk.is_word() || measure_of(tk).is_some() {
                        break;
                    }
                    if tk.has_key("الي")
                        && let Some(q) = qty_at(k + 1)
                    {
                        fig.value = q.value.and_then(|v| u32::try_from(v).ok());
                        fig.vague = q.vague;
                        fig.cumulative = true;
                        used_qty.push(q.tokens.start);
                        found = true;
                        break;
                    }
                    k += 1;
                }
            }
        }
        // Forward: «مقتل نحو 17 عنصراً من التنظيم», «قُتل شاب», «وإصابة آخرين».
        let mut j = i + 1;
        let stop = (i + 1 + COUNT_FORWARD_TOKENS).min(range.end);
        let mut noun_end = None;
        // A second part joined to the first count («١١ عنصراً من قوات النظام و٨ من
        // مقاتلي الفصائل»): its value and where its noun ends.
        let mut second_part: Option<(u32, usize)> = None;
        // End of the subject of an active arrest verb, when one is skipped.
        let mut subject_end = i + 1;
        while !found && j < stop {
            let tj = &tokens[j];
            if let Some(q) = qty_at(j) {
                fig.value = q.value.and_then(|v| u32::try_from(v).ok());
                fig.vague = q.vague;
                used_qty.push(q.tokens.start);
                found = true;
                let after = q.tokens.end;
                // «طفلان»: a dual noun is its own count and its own victim.
                // «اثنين من الإرهابيين»: the counted noun after «من».
                let partitive = (after < range.end && tokens[after].has_key("من"))
                    .then(|| victim_at(after + 1))
                    .flatten();
                if let Some(v) = victim_at(after)
                    .or_else(|| victim_at(q.tokens.start))
                    .or(partitive)
                {
                    fig.civilian = v.value.class != VictimClass::Armed;
                    fig.armed = v.value.class == VictimClass::Armed;
                    fig.hostile = key_in(&tokens[v.start], HOSTILE_NOUNS);
                    noun_end = Some(v.end);
                } else {
                    noun_end = Some(after);
                }
                // «أربعة جنود … وثمانية من المسلحين»: parts of one toll told
                // side by side under one casualty word add up.
                let mut k = after;
                let stop_k = (after + SIDE_WINDOW_TOKENS + 3).min(range.end);
                while k < stop_k {
                    let tk = &tokens[k];
                    // «و٢»: the conjunction may stand as a token of its own
                    // before digits.
                    let joined =
                        tk.folded.starts_with('و') || (k > after && tokens[k - 1].folded == "و");
                    if let Some(q2) = qty_at(k)
                        && joined
                        && q2.value.is_some()
                        && !used_qty.contains(&k)
                    {
                        if let (Some(a), Some(b)) =
                            (fig.value, q2.value.and_then(|v| u32::try_from(v).ok()))
                        {
                            let end2 = victim_at(q2.tokens.end).map_or(q2.tokens.end, |v| v.end);
                            second_part = Some((b, end2));
                            fig.value = Some(a + b);
                        }
                        used_qty.push(k);
                        break;
                    }
                    // «خمسة مدنيين بينهم ثلاثة أطفال وامرأة»: a breakdown or
                    // another count ends the parts of this one.
                    if key_in(tk, words::BREAKDOWN) || qty_at(k).is_some() {
                        break;
                    }
                    // «ثلاث نساء وطفلان»: a dual victim noun joined to the count.
                    let counted_end = match victim_at(after) {
                        Some(v) if !tokens[after].folded.starts_with('و') => v.end,
                        _ => after,
                    };
                    if k == counted_end
                        && tk.folded.starts_with('و')
                        && let Some(v2) = victim_at(k)
                        && v2.value.count > 0
                        && let Some(a) = fig.value
                    {
                        fig.value = Some(a + v2.value.count);
                        break;
                    }
                    if (!tk.is_word() && tk.number().is_none()) || measure_of(tk).is_some() {
                        break;
                    }
                    k += 1;
                }
                break;
            }
            // «اعتقل عناصر من فرع الأمن ١٢ شاباً»: after an active arrest verb
            // the armed men and their force are the subject, not the count.
            if measure == Measure::Arrested && !t.has_key("اعتقال") {
                let at_subject =
                    j == subject_end || (j == subject_end + 1 && tokens[subject_end].has_key("من"));
                if j == subject_end
                    && let Some(v) = victim_at(j)
                    && v.value.class == VictimClass::Armed
                {
                    j = v.end;
                    subject_end = j;
                    continue;
                }
                if at_subject && let Some((r, _)) = actors.iter().find(|(r, _)| r.start == j) {
                    j = r.end;
                    subject_end = j;
                    continue;
                }
            }
            if let Some(v) = victim_at(j) {
                fig.civilian = v.value.class != VictimClass::Armed;
                fig.armed = v.value.class == VictimClass::Armed;
                fig.hostile = key_in(&tokens[v.start], HOSTILE_NOUNS);
                let number_after = qty_at(v.end).filter(|q| {
                    q.value.is_some()
                        && victim_at(q.tokens.start).is_none()
                        && !tokens[q.tokens.start].folded.starts_with('و')
                });
                if let Some(q) = number_after {
                    // «مدنيين اثنين», «مقاتلَين اثنين»: the number after the noun.
                    fig.value = q.value.and_then(|x| u32::try_from(x).ok());
                    used_qty.push(q.tokens.start);
                } else if v.value.count > 0 {
                    fig.value = Some(v.value.count);
                } else {
                    fig.vague = Some(Vague::Several);
                }
                // «ضابط … وعنصر»: coordinated singular victims add up.
                let mut k = v.end;
                let mut last_noun_end = v.end;
                let mut total = fig.value;
                while k < range.end && k < v.end + SIDE_WINDOW_TOKENS + 2 {
                    let tk = &tokens[k];
                    if !tk.is_word() {
                        break;
                    }
                    if tk.folded.starts_with('و')
                        && let Some(v2) = victim_at(k)
                        && v2.value.count > 0
                    {
                        total = total.map(|x| x + v2.value.count);
                        k = v2.end;
                        last_noun_end = k;
                        continue;
                    }
                    if measure_of(tk).is_some() {
                        break;
                    }
                    k += 1;
                }
                fig.value = total;
                // The side follows the last of them («ضابط وجنديان من الجيش»).
                noun_end = Some(last_noun_end);
                found = true;
                break;
            }
            if key_in(tj, words::ANOTHER_ONE) {
                fig.value = Some(1);
                found = true;
                break;
            }
            if key_in(tj, words::OTHERS) {
                fig.vague = Some(Vague::Several);
                found = true;
                break;
            }
            if key_in(tj, words::DOZENS) {
                fig.vague = Some(Vague::Dozens);
                found = true;
                break;
            }
            if key_in(tj, words::HUNDREDS) {
                fig.vague = Some(Vague::Hundreds);
                found = true;
                break;
            }
            if key_in(tj, words::SEVERAL) {
                fig.vague = Some(Vague::Several);
                found = true;
                break;
            }
            if !tj.is_word() || measure_of(tj).is_some() {
                break;
            }
            // A name or an unknown noun right after the verb: one person
            // («مقتل الشاب أحمد»، «إصابة صديقه»).
            if !key_in(tj, words::COUNT_SKIP) {
                // Only a definite noun («مقتل الشاب أحمد») or a possessed one
                // («إصابة صديقه») after a specific casualty word; «القتل» and
                // «اعتقالهم في» are not counts.
                let generic = t.folded.starts_with("ال") || t.folded.starts_with("وال");
                let person_like = (tj.folded.starts_with("ال") || tj.suffix.is_some())
                    && !tj.folded.starts_with('و');
                if j == i + 1
                    && !noun_like
                    && !generic
                    && person_like
                    && t.suffix.is_none()
                    && !words::PLURAL_VERBS.iter().any(|w| t.has_key(w))
                    // «انتشلت جثث الضحايا»: a plural noun counts nobody by itself.
                    && !key_in(t, &["جثث", "جثامين", "شهداء"])
                {
                    fig.value = Some(1);
                    found = true;
                }
                break;
            }
            j += 1;
        }
        // Backward: «4 من مقاتلي الفصائل المحلية قتلوا», «شخصاً واحداً قُتل».
        if !found {
            // «واحد وخمسون شخصاً، غالبيتهم من المدنيين، لقوا حتفهم»: a plural fate
            // looks back past an aside between commas.
            let plural_fate =
                key_in(t, &["حتفهم", "حتفهما"]) || words::PLURAL_VERBS.iter().any(|w| t.has_key(w));
            let reach = if plural_fate {
                COUNT_BACKWARD_TOKENS + PLURAL_FATE_EXTRA_TOKENS
            } else {
                COUNT_BACKWARD_TOKENS
            };
            let from = i.saturating_sub(reach).max(range.start);
            for k in (from..i).rev() {
                let comma = matches!(tokens[k].folded.as_str(), "،" | ",");
                if !tokens[k].is_word() && tokens[k].number().is_none() && !(plural_fate && comma) {
                    break;
                }
                if measure_of(&tokens[k]).is_some() {
                    break;
                }
                if let Some(q) = qty_at(k)
                    && !used_qty.contains(&k)
                {
                    fig.value = q.value.and_then(|v| u32::try_from(v).ok());
                    fig.vague = q.vague;
                    used_qty.push(k);
                    found = true;
                    // «ستة من مسلحي الحوثي واثنين من الجنود قُتلوا»: a part
                    // joined by «و» adds the part told before it.
                    if tokens[k].folded.starts_with('و')
                        && let Some(v) = fig.value
                        && let Some(q0) = quantities.iter().find(|q0| {
                            q0.tokens.end <= k
                                && q0.tokens.start + SIDE_WINDOW_TOKENS + 3 >= k
                                && q0.tokens.start >= range.start
                                && !used_qty.contains(&q0.tokens.start)
                                && q0.value.is_some()
                        })
                    {
                        let before = q0.value.and_then(|x| u32::try_from(x).ok()).unwrap_or(0);
                        fig.value = Some(v + before);
                        used_qty.push(q0.tokens.start);
                    }
                    if let Some(v) = victim_at(q.tokens.end) {
                        fig.civilian = v.value.class != VictimClass::Armed;
                        fig.armed = v.value.class == VictimClass::Armed;
                    }
                    noun_end = Some(q.tokens.end);
                    break;
                }
            }
            if !found && words::PLURAL_VERBS.iter().any(|w| t.has_key(w)) {
                // «فقُتلا»: the dual verb alone.
                if t.has_key("قتلا") || t.has_key("اصيبا") {
                    fig.value = Some(2);
                    found = true;
                }
            }
        }
        // «قتلى وجرحى» with no number: several of each, not a figure. «تشييع
        // الضحايا» names the dead already counted: no figure at all.
        if !found && noun_like && !key_in(t, &["ضحايا"]) {
            fig.vague = Some(Vague::Several);
            found = true;
        }
        if found {
            // The side: «من التنظيم», «في قوات النظام», «لـقسد» after the noun.
            let side_after = |ne: usize| -> Option<usize> {
                let side_stop = (ne + SIDE_WINDOW_TOKENS).min(range.end);
                let (r, id) = actors
                    .iter()
                    .find(|(r, _)| r.start >= ne && r.start < side_stop)?;
                // Only «من X», «في X», «من صفوف X», «على الأقل من X» between.
                let between_ok = (ne..r.start)
                    .all(|k| key_in(&tokens[k], SIDE_LINKS) || victim_at(k).is_some())
                    && (r.start - ne) <= 3;
                between_ok.then_some(*id)
            };
            if let Some(ne) = noun_end
                && let Some(id) = side_after(ne)
            {
                fig.side = Some(id);
                fig.civilian = false;
            }
            // Two parts of a toll: one figure per side when each names its own,
            // else their sum as a total of no one side.
            let mut second = None;
            if let Some((b, end2)) = second_part {
                match (fig.side, side_after(end2)) {
                    (Some(s1), Some(s2)) if s1 != s2 => {
                        fig.value = fig.value.map(|v| v - b);
                        second = Some(Figure {
                            value: Some(b),
                            side: Some(s2),
                            ..fig.clone()
                        });
                    }
                    _ => fig.side = None,
                }
            }
            // A breakdown of a total: «بينهم», «من بين القتلى», «هم».
            let before = fig_breakdown(tokens, range.start, i, noun_end.unwrap_or(i));
            fig.breakdown = before;
            if let Some(mut f2) = second {
                f2.breakdown = before;
                out.push(fig);
                out.push(f2);
            } else {
                out.push(fig);
            }
        }
        i += 1;
    }
    out
}

/// Is the figure at `at` part of a breakdown («بينهم 3 أطفال», «هم اثنا عشر من
/// الهيئة»)? Looks at the two words before the count.
fn fig_breakdown(tokens: &[Token], start: usize, at: usize, _noun_end: usize) -> bool {
    // «بينهم امرأة، وأصيب اثنان»: a clause break ends the breakdown.
    let from = at.saturating_sub(3).max(start);
    for k in (from..at).rev() {
        if !tokens[k].is_word() && tokens[k].number().is_none() {
            return false;
        }
        if key_in(&tokens[k], words::BREAKDOWN) {
            return true;
        }
    }
    false
}

/// Read the figures of several sentences into per-measure totals, taking the
/// lower of conflicting totals and summing distinct sides (rule: lower figure).
#[derive(Debug, Clone, Default, PartialEq)]
pub(crate) struct Tally {
    pub killed: Option<u32>,
    pub killed_vague: Option<Vague>,
    pub injured: Option<u32>,
    pub injured_vague: Option<Vague>,
    pub arrested: Option<u32>,
    pub arrested_vague: Option<Vague>,
    /// Killed per side (actor id), where the article splits them.
    pub killed_by_side: Vec<(usize, u32)>,
}

pub(crate) fn tally(figs: &[Figure]) -> Tally {
    let mut t = Tally::default();
    for m in [Measure::Killed, Measure::Injured, Measure::Arrested] {
        let of: Vec<&Figure> = figs.iter().filter(|f| f.measure == m).collect();
        // Totals: figures with no side that are not parts of a breakdown.
        let totals: Vec<u32> = of
            .iter()
            .filter(|f| f.side.is_none() && !f.breakdown && !f.hostile)
            .filter_map(|f| f.value)
            .collect();
        // The enemy's dead told by one side, beside its own named losses.
        let hostile: Option<u32> = of
            .iter()
            .filter(|f| f.side.is_none() && f.hostile && !f.breakdown)
            .filter_map(|f| f.value)
            .min();
        // Sides: the lowest figure per side.
        let mut sides: Vec<(usize, u32)> = Vec::new();
        for f in of.iter().filter(|f| f.side.is_some()) {
            let (Some(s), Some(v)) = (f.side, f.value) else {
                continue;
            };
            match sides.iter_mut().find(|(x, _)| *x == s) {
                Some(e) => e.1 = e.1.min(v),
                None => sides.push((s, v)),
            }
        }
        let side_sum: Option<u32> = match (sides.is_empty(), hostile) {
            (true, h) => h,
            (false, h) => Some(sides.iter().map(|(_, v)| v).sum::<u32>() + h.unwrap_or(0)),
        };
        let unsided_parts: Vec<u32> = of
            .iter()
            .filter(|f| f.side.is_none() && f.breakdown)
            .filter_map(|f| f.value)
            .collect();
        // The latest running toll wins over the figures it updates.
        let cumulative = of
            .iter()
            .filter(|f| f.cumulative && f.side.is_none())
            .filter_map(|f| f.value)
            .max();
        // Both sides' losses told in full («٩ من X و٤ من Y») against a larger
        // claimed total: the lower figure stands (rule: lower figure).
        let full_sides =
            sides.len() >= 2 && of.iter().filter(|f| f.side.is_some()).all(|f| !f.breakdown);
        // «قُتل أربعة من عناصر الحاجز، فيما قُتل اثنان من المهاجمين»: the
        // enemy's dead beside an unsided toll of one's own add up.
        let totals_min = match (totals.iter().min().copied(), hostile) {
            (Some(t), Some(h)) if sides.is_empty() => Some(t + h),
            (t, _) => t,
        };
        let value = match (cumulative.or(totals_min), side_sum) {
            (Some(tot), Some(s)) if full_sides && cumulative.is_none() => Some(tot.min(s)),
            (Some(tot), _) => Some(tot),
            (None, Some(s)) if unsided_parts.is_empty() => Some(s),
            (None, Some(s)) => Some(s),
            (None, None) => None,
        };
        let vague = if value.is_none() {
            of.iter()
                .filter_map(|f| f.vague)
                .max_by_key(|v| vague_rank(*v))
        } else {
            None
        };
        match m {
            Measure::Killed => {
                t.killed = value;
                t.killed_vague = vague;
                let total = value.unwrap_or(0);
                let split = sides.len() >= 2 || of.iter().any(|f| f.breakdown && f.side.is_some());
                if split && side_sum.is_some_and(|s| s <= total) {
                    t.killed_by_side = sides;
                }
            }
            Measure::Injured => {
                t.injured = value;
                t.injured_vague = vague;
            }
            Measure::Arrested => {
                t.arrested = value;
                t.arrested_vague = vague;
            }
        }
    }
    t
}

fn vague_rank(v: Vague) -> u8 {
    match v {
        Vague::Few => 0,
        Vague::Several => 1,
        Vague::Dozens => 2,
        Vague::Hundreds => 3,
    }
}
