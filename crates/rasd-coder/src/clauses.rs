//! Segmentation of a sentence into the clauses that report actions of their
//! own. Wire copy strings several strikes into one sentence («قصفت قوات النظام
//! بلدة A، كما ألقت المروحيات براميل على B، وشنت الطائرات الروسية غارات على
//! C»): each clause has its own trigger, actor and places, and rule 16 wants
//! an event for each. A clause boundary is a comma followed by a conjoined verb
//! («، وشنت») or a linking word («كما», «فيما», «بينما»), and only where the
//! words on both sides report an action: a clause with no trigger of its own
//! («، ما أدى إلى مقتل …») stays with the action it completes.

use crate::lexicons::{Lexicons, TriggerKind};
use crate::text::{Analysed, SentenceSpan, TokenKind};
use crate::thresholds::{CLAUSE_LINK_TRIGGER_WINDOW, CLAUSE_MIN_TOKENS, CLAUSE_TRIGGER_WINDOW};

/// Words that link a new action to the one before.
const LINKS: &[&str] = &["كما", "فيما", "بينما", "كذلك"];

/// Words opening with a و that belongs to the word itself, or that open a
/// phrase, not a new action («وسط قصف», «وفق مصادر», «وذلك بعد»).
const NOT_CONJOINED_VERBS: &[&str] = &[
    "وسط",
    "وفق",
    "وفقا",
    "وقت",
    "وراء",
    "وذلك",
    "وهو",
    "وهي",
    "وهم",
    "وصولا",
    "ولا",
    "ولم",
    "ولن",
    "وقد",
    "وكان",
    "وكانت",
    "والتي",
    "والذي",
    "والذين",
];

/// Split the sentences of `an` at clause boundaries between actions.
pub(crate) fn split(an: &mut Analysed, lex: &Lexicons) {
    let mut out: Vec<SentenceSpan> = Vec::with_capacity(an.sentences.len());
    for s in std::mem::take(&mut an.sentences) {
        let mut rest = s.clone();
        loop {
            match boundary(an, lex, &rest) {
                Some(b) => {
                    let left_end = an.tokens[b - 1].range.end.max(rest.range.start);
                    let right_start = an.tokens[b].range.start;
                    out.push(SentenceSpan {
                        range: rest.range.start..left_end,
                        paragraph: rest.paragraph,
                        tokens: rest.tokens.start..b,
                        continued: rest.continued,
                    });
                    rest = SentenceSpan {
                        range: right_start..rest.range.end,
                        paragraph: rest.paragraph,
                        tokens: b..rest.tokens.end,
                        continued: true,
                    };
                }
                None => {
                    out.push(rest);
                    break;
                }
            }
        }
    }
    an.sentences = out;
}

/// Does a token range report an action (a trigger that codes an event)?
fn reports_action(an: &Analysed, lex: &Lexicons, r: std::ops::Range<usize>) -> bool {
    lex.triggers
        .find(&an.tokens, r)
        .iter()
        .any(|h| !matches!(h.value.kind, TriggerKind::Block | TriggerKind::RiotCue))
}

/// The first token of the first clause after the opening one, if any.
fn boundary(an: &Analysed, lex: &Lexicons, s: &SentenceSpan) -> Option<usize> {
    let toks = &an.tokens;
    let r = s.tokens.clone();
    for b in r.start + CLAUSE_MIN_TOKENS..r.end.saturating_sub(CLAUSE_MIN_TOKENS) {
        let t = &toks[b];
        if !t.is_word() {
            continue;
        }
        let after_comma = toks[b - 1].kind == TokenKind::Break
            && matches!(toks[b - 1].folded.as_str(), "،" | ",");
        // «، ثم سيطرت», «، ومن ثم سيطرت».
        let then = t.folded == "ثم"
            || t.folded == "وثم"
            || (t.folded == "ومن" && toks.get(b + 1).is_some_and(|n| n.folded == "ثم"));
        let link = LINKS.iter().any(|w| t.folded == *w) || (after_comma && then);
        let conjoined_verb = after_comma
            && t.folded.starts_with('و')
            && t.folded.chars().count() >= 4
            && !NOT_CONJOINED_VERBS.contains(&t.folded.as_str())
            && !t.folded.starts_with("وال");
        if !(link || conjoined_verb) {
            continue;
        }
        // A linking word opens a clause whose action may come after a long
        // subject («فيما وثق المرصد مقتل عنصر … في الاشتباكات»).
        let reach = if link {
            CLAUSE_LINK_TRIGGER_WINDOW
        } else {
            CLAUSE_TRIGGER_WINDOW
        };
        let window = b..(b + reach).min(r.end);
        if reports_action(an, lex, window) && reports_action(an, lex, r.start..b) {
            // The comma stays with the clause before it.
            return Some(b);
        }
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    fn clauses(text: &str) -> Vec<String> {
        let whole = std::iter::once(0..text.len()).collect::<Vec<_>>();
        let mut an = crate::text::analyse(text, &whole);
        split(&mut an, &Lexicons::bundled());
        an.sentences
            .iter()
            .map(|s| text[s.range.clone()].trim().to_string())
            .collect()
    }

    #[test]
    fn a_conjoined_strike_after_a_comma_opens_a_clause() {
        let c = clauses(
            "قصفت قوات النظام بالمدفعية بلدة الكرك الشرقي، وشنت الطائرات الحربية غارات على بلدة المسيفرة.",
        );
        assert_eq!(c.len(), 2, "{c:?}");
        assert!(c[1].starts_with("وشنت"));
    }

    #[test]
    fn a_linking_word_opens_a_clause() {
        let c = clauses(
            "استهدف قصف مدفعي قرية الحويز، كما ألقت مروحيات براميل متفجرة على قرية الشريعة.",
        );
        assert_eq!(c.len(), 2, "{c:?}");
    }

    #[test]
    fn a_consequence_without_its_own_action_stays() {
        let c = clauses("قصفت قوات النظام بلدة الكرك، ما أدى إلى مقتل مدنيين اثنين وإصابة آخرين.");
        assert_eq!(c.len(), 1, "{c:?}");
        let c = clauses("اندلعت اشتباكات عنيفة في بلدة طفس، وسط قصف مدفعي متبادل بين الطرفين.");
        assert_eq!(c.len(), 1, "{c:?}");
    }
}
