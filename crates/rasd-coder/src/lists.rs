//! Places named in lists and after type words that the gazetteer does not
//! hold. Rule 16 codes one event per place of «قصف قرى A وB وC», «في كل من
//! (A، B، C)», «قريتي A وB»; villages, farms, hills and silos in such lists
//! are often missing from any gazetteer, yet the article names them as the
//! places hit. A name counts as a place here only where the sentence's own
//! structure says so: after a settlement type word, or as a member of a list
//! opened by a plural or dual type word or «كل من». Each such name is located
//! by the nearest known place of its sentence (the area after the list, else
//! the place before it) and keeps the article's wording.

use std::ops::Range;

use rasd_model::LocationPrecision;

use crate::sources::PlaceRef;
use crate::text::{Token, TokenKind, key_of};

/// Type words naming one settlement («قرية “شير مغار”»).
const SINGLE_HEADS: &[&str] = &[
    "قريه",
    "بلده",
    "مخيم",
    "مزرعه",
    "تله",
    "حي",
    "ثكنه",
    "وادي",
    "مستوطنه",
];

/// Type words of sites that name a place only when the name after them is
/// fenced («حاجز “السباهية”», «سجن “الأحداث”»): unfenced, what follows is
/// as often a description («حاجز أمني», «مطار عسكري»).
const FENCED_SINGLE_HEADS: &[&str] = &["حاجز", "سجن", "مطار", "معبر", "معسكر", "نقطه"];

/// Type words of features whose name includes them, as written with no
/// clitic.
const NAMED_WITH_HEAD: &[&str] = &["وادي", "ثكنه", "تله", "مزرعه"];

/// Type words opening a list of settlements («قرى», «قريتي», «في كل من»).
const LIST_HEADS: &[&str] = &[
    "قري",
    "بلدات",
    "مدن",
    "احياء",
    "مخيمات",
    "مزارع",
    "قريتي",
    "بلدتي",
    "مدينتي",
    "حيي",
    "مخيمي",
    "بلدتا",
    "قريتا",
    "تلال",
];

/// How far before an opening bracket a plural head may stand for the bracket
/// to hold its list.
const BRACKET_HEAD_WINDOW: usize = 8;

/// The dual heads among [`LIST_HEADS`].
const DUAL_HEADS: &[&str] = &["قريتي", "بلدتي", "مدينتي", "حيي", "مخيمي", "بلدتا", "قريتا"];

/// Words that may stand where a name would but are not names: describing
/// words, pronouns, prepositions and the words that locate a name.
const NOT_NAMES: &[&str] = &[
    "المجاوره",
    "القريبه",
    "الحدوديه",
    "الواقعه",
    "التابعه",
    "نفسها",
    "ذاتها",
    "الصغيره",
    "الكبيره",
    "السكنيه",
    "المحاصره",
    "المنكوبه",
    "الجامعيه",
    "الرياضيه",
    "الاستراتيجيه",
    "القديمه",
    "الجديده",
    "الصناعيه",
    "المذكوره",
    "المحيطه",
    "الاخري",
    "عده",
    "عدد",
    "ذات",
    "التي",
    "الذي",
    "كامله",
    "باكملها",
    "من",
    "الي",
    "علي",
    "عن",
    "مع",
    "كل",
    "بين",
    "حيث",
    "بعد",
    "قبل",
    "خلال",
    "منذ",
    "وذلك",
    "ضد",
    "تحت",
    "داخل",
    "خارج",
    "حول",
    "نحو",
    "باتجاه",
    "عبر",
    "قرب",
    "وسط",
    // Describing words after a type word («مزرعة مهجورة», «مخيمات عشوائية»).
    "مهجوره",
    "زراعيه",
    "عسكريه",
    "مدنيه",
    "واسعه",
    "موقته",
    "عشوايه",
    "محاذيه",
    // A section's adjective after a name («مخيمات السلحبية الشرقية والغربية»).
    "الشرقيه",
    "الغربيه",
    "الشماليه",
    "الجنوبيه",
    "الشرقي",
    "الغربي",
    "الشمالي",
    "الجنوبي",
];

/// Words that end a list besides those that locate a name
/// ([`crate::sources::LOCATING_WORDS`]): more type and feature words.
const LIST_ENDS: &[&str] = &[
    "ناحيه",
    "بمحافظه",
    "بريف",
    "بمنطقه",
    "بمدينه",
    "جبل",
    "سهل",
    "وادي",
    "باديه",
    "محيط",
    "اطراف",
];

/// Folded keys of a word list, built as the tokens' keys are (article dropped).
fn keys(list: &[&str]) -> Vec<String> {
    list.iter().map(|w| key_of(w)).collect()
}

struct Words {
    single: Vec<String>,
    describing: Vec<String>,
    fenced_single: Vec<String>,
    heads: Vec<String>,
    not_names: Vec<String>,
    locating: Vec<String>,
}

fn words() -> &'static Words {
    static W: std::sync::OnceLock<Words> = std::sync::OnceLock::new();
    W.get_or_init(|| Words {
        single: keys(SINGLE_HEADS),
        describing: keys(DESCRIBING_ADJECTIVES),
        fenced_single: keys(FENCED_SINGLE_HEADS),
        heads: keys(LIST_HEADS),
        not_names: keys(NOT_NAMES),
        locating: keys(crate::sources::LOCATING_WORDS)
            .into_iter()
            .chain(keys(LIST_ENDS))
            .collect(),
    })
}

/// Is the word one that may stand where a name would but is none (a
/// describing word, a preposition, a section's adjective)? Shared by every
/// reader of unlisted names.
pub(crate) fn not_a_name(t: &Token) -> bool {
    any_key(t, &words().not_names)
}

/// Does the word locate a name or end a list («في», «بريف», «شمالي»)?
pub(crate) fn locating(t: &Token) -> bool {
    any_key(t, &words().locating)
}

fn any_key(t: &Token, list: &[String]) -> bool {
    t.is_word() && list.iter().any(|k| t.has_key(k))
}

/// The word itself is in `list` (no clitic stripped: «مدني» is not «مدن»).
fn whole_key(t: &Token, list: &[String]) -> bool {
    t.is_word() && list.iter().any(|k| t.keys[0] == *k)
}

/// Adjectives in «ية» that describe a settlement («قرية حدودية», «بلدة
/// زراعية»): after a type word for one place they name none, while another
/// word in «ية» there is a name («قرية معيزيلية»).
const DESCRIBING_ADJECTIVES: &[&str] = &[
    "حدوديه",
    "زراعيه",
    "نائيه",
    "جبليه",
    "ريفيه",
    "سكنيه",
    "صناعيه",
    "عسكريه",
    "امنيه",
    "حكوميه",
    "شرقيه",
    "غربيه",
    "شماليه",
    "جنوبيه",
    "ساحليه",
    "صحراويه",
    "مدنيه",
    "اثريه",
    "عشوائيه",
];

/// «مخيمات عشوائية», «قرى زراعية»: an indefinite adjective right after a type
/// word describes it; a name with no article rarely ends so.
fn adjective(t: &Token) -> bool {
    !t.folded.starts_with("ال") && t.folded.ends_with("يه")
}

/// Is there a quotation mark or bracket in the original text between two
/// tokens (the writer fencing a name)?
fn fence_between(text: &str, a: &Token, b: &Token) -> bool {
    text.get(a.range.end..b.range.start)
        .is_some_and(|g| g.contains(['"', '“', '”', '«', '»', '\'', '(', ')']))
}

/// A token that opens another member of the list: a comma, or a word joined
/// by و («والحويز»).
fn joined(t: &Token) -> bool {
    t.is_word() && t.folded.starts_with('و') && t.folded.chars().count() >= 4
}

/// The places the gazetteer lacks that the text names in lists or after
/// type words, in the sentences `sentences` (token ranges).
pub(crate) fn unlisted_members(
    text: &str,
    tokens: &[Token],
    sentences: &[Range<usize>],
    found: &[PlaceRef],
) -> Vec<PlaceRef> {
    let w = words();
    let covered = |k: usize| found.iter().any(|p| p.tokens.contains(&k));
    let mut out: Vec<PlaceRef> = Vec::new();
    for s in sentences {
        let mut i = s.start;
        while i < s.end {
            let t = &tokens[i];
            // «وقريتي A وB»: a head joined by و is a head.
            let joined_head = |list: &[String]| {
                whole_key(t, list) || (t.folded.starts_with('و') && any_key(t, list))
            };
            // «قرى واقعة شرق المنطقة (A وB وC)»: a bracket opened soon after a
            // plural head holds the list.
            let bracket_list = t.kind == TokenKind::Break
                && t.folded == "("
                && (i.saturating_sub(BRACKET_HEAD_WINDOW).max(s.start)..i)
                    .any(|k| whole_key(&tokens[k], &w.heads));
            let list = bracket_list
                || joined_head(&w.heads)
                || (t.is_word()
                    && (t.has_key("كل") || t.has_key("كلا"))
                    && tokens
                        .get(i + 1)
                        .is_some_and(|n| n.is_word() && n.has_key("من")));
            let fenced_next = i + 1 < s.end && fence_between(text, t, &tokens[i + 1]);
            // «ويشهد المخيّم اشتباكات»: «the camp» refers back; a type word
            // that introduces a name has no article.
            let definite_head = crate::text::definite(t);
            let single = !list
                && !definite_head
                && (joined_head(&w.single) || (fenced_next && whole_key(t, &w.fenced_single)))
                && !covered(i);
            if !(list || single) {
                i += 1;
                continue;
            }
            let mut k = if t.has_key("كل") || t.has_key("كلا") {
                i + 2
            } else {
                i + 1
            };
            // «قريتي A وB»: a dual names two places.
            let dual = list && DUAL_HEADS.iter().any(|d| t.has_key(&key_of(d)));
            let bracketed = bracket_list
                || tokens.get(k).is_some_and(|x| x.folded == "(")
                || (k > 0
                    && k < tokens.len()
                    && text
                        .get(tokens[k - 1].range.end..tokens[k].range.start)
                        .is_some_and(|g| g.contains('(')));
            // «قرى وبلدات ريف حماة في كل من (…)»: a head followed by another
            // head or by the area is not yet the list.
            let mut members: Vec<Range<usize>> = Vec::new();
            let mut found_members = 0;
            loop {
                // Skip a comma and an opening bracket before a member, and a
                // second head («قرى وبلدات A وB»).
                // A member may carry its own type word («كلاً من بلدة A وبلدة B»)
                // and a lone و before a fenced name («“A” و”B”»).
                while k < s.end
                    && (tokens[k].kind == TokenKind::Break
                        || tokens[k].folded == "و"
                        || (members.is_empty()
                            && found_members == 0
                            && any_key(&tokens[k], &w.heads))
                        || (!covered(k)
                            && (whole_key(&tokens[k], &w.single)
                                || (tokens[k].folded.starts_with('و')
                                    && any_key(&tokens[k], &w.single)))))
                {
                    k += 1;
                }
                if k >= s.end {
                    break;
                }
                if covered(k) {
                    // A known place is a member by itself.
                    let p = found
                        .iter()
                        .find(|p| p.tokens.contains(&k))
                        .expect("covered");
                    // «“ميدان الغزال”»: a fenced name longer than the place found
                    // inside it is the name (the shorter place is dropped).
                    let opened = k > 0 && fence_between(text, &tokens[k - 1], &tokens[k]);
                    let mut e = p.tokens.end;
                    while opened
                        && e < s.end
                        && e < p.tokens.end + 2
                        && tokens[e].is_word()
                        && !covered(e)
                        && !fence_between(text, &tokens[e - 1], &tokens[e])
                    {
                        e += 1;
                    }
                    let closed = e > p.tokens.end
                        && e < tokens.len()
                        && fence_between(text, &tokens[e - 1], &tokens[e]);
                    if closed {
                        members.push(k..e);
                        k = e;
                    } else if single && !opened && longer_name(t, tokens, p, found, s, &covered) {
                        members.push(k..p.tokens.end + 1);
                        k = p.tokens.end + 1;
                    } else {
                        k = p.tokens.end;
                        found_members += 1;
                    }
                } else {
                    let start = k;
                    let mut end = k;
                    while end < s.end && end - start < 3 {
                        let x = &tokens[end];
                        let first = end == start;
                        if !x.is_word()
                            || covered(end)
                            || whole_key(x, &w.heads)
                            || whole_key(x, &w.single)
                            || (first
                                && k == i + 1
                                && adjective(x)
                                && (list || any_key(x, &w.describing)))
                            || any_key(x, &w.not_names)
                            || (any_key(x, &w.locating) && !(first && x.folded.starts_with('و')))
                            || (!first && joined(x) && !fence_between(text, &tokens[end - 1], x))
                            || (!first && fence_between(text, &tokens[end - 1], x))
                            || x.folded.chars().count() < 2
                            // «مخيم للنازحين», «بالقرب»: a preposition joined to
                            // the article opens a phrase, not a name.
                            || x.folded.starts_with("لل")
                            || x.folded.starts_with("بال")
                        {
                            break;
                        }
                        end += 1;
                    }
                    // Without a fence around it a name has at most two words.
                    let fenced = start > 0
                        && end < tokens.len()
                        && fence_between(text, &tokens[start - 1], &tokens[start])
                        && fence_between(text, &tokens[end - 1], &tokens[end]);
                    if end == start || (!fenced && end - start > 2) {
                        break;
                    }
                    members.push(start..end);
                    k = end;
                }
                if single || (dual && members.len() + found_members >= 2) {
                    break;
                }
                // The list goes on after a joining و, or after a comma when the
                // next name is known, fenced or bracketed, or is itself followed
                // by another separator («A، B، C وD»): «، ما أدى إلى» is not a
                // member.
                match tokens.get(k) {
                    Some(x) if k < s.end && x.folded == "و" => {}
                    Some(x) if k < s.end && joined(x) && !any_key(x, &w.locating) => {}
                    Some(x) if k + 1 < s.end && x.kind == TokenKind::Break && x.folded != ")" => {
                        let next = k + 1;
                        let then = tokens.get(next + 1);
                        let ok = covered(next)
                            || joined(&tokens[next])
                            || bracketed
                            || fence_between(text, x, &tokens[next])
                            || then.is_some_and(|y| {
                                (y.kind == TokenKind::Break && next + 1 < s.end) || joined(y)
                            });
                        if !ok {
                            break;
                        }
                    }
                    _ => break,
                }
            }
            for m in &members {
                // «منازل في حي X»: a quarter may be of the town told before.
                let quarter = t.has_key("حي") || t.has_key("حيي") || t.has_key("احياء");
                if let Some(p) = located(text, tokens, s, m, found, quarter) {
                    out.push(p);
                }
            }
            i = k.max(i + 1);
        }
    }
    // «حاجز “السباهية”» … «عناصر حاجز السباهية»: a name the article has
    // introduced fenced after a site's type word is the same place when the
    // type word names it again, fenced or not.
    let introduced: Vec<PlaceRef> = out
        .iter()
        .filter(|p| p.tokens.len() == 1 && p.tokens.start > 0)
        .filter(|p| whole_key(&tokens[p.tokens.start - 1], &w.fenced_single))
        .cloned()
        .collect();
    for p in introduced {
        let head = &tokens[p.tokens.start - 1];
        for k in p.tokens.end + 1..tokens.len() {
            let again = tokens[k].is_word()
                && tokens[k].folded == tokens[p.tokens.start].folded
                && !covered(k)
                && !out.iter().any(|o| o.tokens.contains(&k))
                && tokens[k - 1].is_word()
                && tokens[k - 1].keys.iter().any(|x| head.keys.contains(x));
            if again {
                let r = &tokens[k].range;
                out.push(PlaceRef {
                    tokens: k..k + 1,
                    bytes: r.clone(),
                    ..p.clone()
                });
            }
        }
    }
    out.sort_by_key(|p| p.tokens.start);
    out
}

/// Type words of a settlement that is grammatically feminine («قرية»,
/// «بلدة», «مزرعة»): a describing word after its name agrees with it.
const FEMININE_HEADS: &[&str] = &["قريه", "بلده", "مزرعه"];

/// «قرية صيدا الحانوت»: after a feminine settlement word, a known one-word
/// name followed by a definite word that cannot be an adjective of the type
/// word (it would end in «ة») nor a relative adjective (in «ي») is a longer
/// name the gazetteer lacks; the shorter one is another village.
fn longer_name(
    head: &Token,
    tokens: &[Token],
    known: &PlaceRef,
    found: &[PlaceRef],
    sentence: &Range<usize>,
    covered: &dyn Fn(usize) -> bool,
) -> bool {
    let w = words();
    let next = known.tokens.end;
    // «صيدا الجولان»: the second word may itself be a region's name.
    let region_after = found
        .iter()
        .any(|p| p.tokens.start == next && p.tokens.len() == 1 && p.area);
    if known.tokens.len() != 1
        || next >= sentence.end
        || (covered(next) && !region_after)
        || !FEMININE_HEADS.iter().any(|h| head.has_key(h))
    {
        return false;
    }
    let x = &tokens[next];
    x.is_word()
        && x.folded.starts_with("ال")
        && x.folded.chars().count() >= 5
        && !x.folded.ends_with('ه')
        && !x.folded.ends_with('ي')
        // «العليا», «الحمراء»: elatives and colours agree without «ة».
        && !x.folded.ends_with("يا")
        && !x.folded.ends_with("اء")
        && !any_key(x, &w.not_names)
        && !any_key(x, &w.locating)
        && !any_key(x, &w.heads)
        && !any_key(x, &w.single)
}

/// An unlisted member as a place: located by the nearest known place of its
/// sentence after it (the area the list is in), else before it.
fn located(
    text: &str,
    tokens: &[Token],
    s: &Range<usize>,
    m: &Range<usize>,
    found: &[PlaceRef],
    quarter: bool,
) -> Option<PlaceRef> {
    let usable = |p: &&PlaceRef| !p.country_only && !p.unlisted;
    let area = found
        .iter()
        .filter(usable)
        .filter(|p| p.tokens.start >= m.end && p.tokens.start < s.end)
        .min_by_key(|p| p.tokens.start)
        .or_else(|| {
            found
                .iter()
                .filter(usable)
                .filter(|p| p.tokens.end <= m.start && p.tokens.start >= s.start)
                .max_by_key(|p| p.tokens.start)
        })
        // «داهمت دورية منازل في حي X»: a quarter with no place beside it is
        // of the town the story told last.
        .or_else(|| {
            found
                .iter()
                .filter(usable)
                .filter(|p| quarter && p.tokens.end <= m.start)
                .max_by_key(|p| p.tokens.start)
        })
        // «قرية صيدا الجولان» alone: the shorter name inside it is the
        // nearest place the text gives.
        .or_else(|| {
            found
                .iter()
                .filter(usable)
                .find(|p| m.start <= p.tokens.start && p.tokens.end <= m.end)
        })
        // «وادي السلوقي جنوب لبنان»: a country right after the name is the
        // last locator; the place keeps only the country's precision.
        .or_else(|| {
            found.iter().find(|p| {
                p.country_only
                    && p.tokens.start >= m.end
                    && p.tokens.start <= m.end + 2
                    && p.tokens.start < s.end
                    && (m.end..p.tokens.start).all(|k| locating(&tokens[k]))
            })
        })?;
    let precision = if area.country_only {
        LocationPrecision::Country
    } else {
        LocationPrecision::Community
    };
    let mut start = tokens[m.start].range.start;
    let end = tokens[m.end - 1].range.end;
    // «وادي السلوقي», «ثكنة راميم»: a feature's type word is part of its
    // name, unlike a settlement's («قرية X» is «X»).
    if m.start > s.start {
        let head = &tokens[m.start - 1];
        if NAMED_WITH_HEAD
            .iter()
            .any(|h| head.folded == *h || head.folded == format!("ال{h}"))
        {
            start = head.range.start;
        }
    }
    // «والحويز»: the joining و is not part of the name.
    if tokens[m.start].folded.starts_with('و') && text[start..].starts_with('و') {
        start += 'و'.len_utf8();
    }
    let name = text[start..end]
        .trim_matches(|c: char| !c.is_alphanumeric())
        .to_string();
    if name.chars().count() < 2 {
        return None;
    }
    Some(PlaceRef {
        tokens: m.clone(),
        bytes: start..end,
        place: area.place,
        precision,
        key: key_of(&name),
        name,
        qualifier: false,
        country_only: false,
        near: false,
        area: false,
        typed: m.start > s.start && {
            let w = words();
            let before = &tokens[m.start - 1];
            // «وقرية X»: a head joined by و is a head.
            let joined = |list: &[String]| {
                whole_key(before, list) || (before.folded.starts_with('و') && any_key(before, list))
            };
            joined(&w.heads) || joined(&w.single) || joined(&w.fenced_single)
        },
        locative_clitic: false,
        unlisted: true,
    })
}
