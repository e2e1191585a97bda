//! The coder's view of an article's text: sentences of tokens, each token with
//! its matching keys. Normalisation, segmentation and clitic analysis come from
//! `rasd_arabic`; this module only arranges their output for phrase matching.
//!
//! The whole text is normalised once with every optional fold on (ة → ه,
//! ؤ → و, ئ → ي), words are found in the normalised text, and each word keeps
//! its byte range in the ORIGINAL text through the offset map.

use std::ops::Range;

use rasd_arabic::{NormalizeOptions, Normalized};

/// What a token is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum TokenKind {
    Word,
    /// Digits (ASCII after normalisation), with its value when it fits.
    Number(Option<u64>),
    /// A clause break: ، , ؛ ; : ( ) or a dash.
    Break,
}

/// One token of the text.
#[derive(Debug, Clone)]
pub(crate) struct Token {
    pub kind: TokenKind,
    /// Byte range in the original text.
    pub range: Range<usize>,
    /// The folded word as written (clitics included).
    pub folded: String,
    /// Matching keys: the folded word and its clitic-stripped stems, each with
    /// the article ال removed. The first key is the whole word.
    pub keys: std::rc::Rc<[String]>,
    /// The hashes of `keys`, in the same order (phrase look-ups use them).
    pub hashes: std::rc::Rc<[KeyHash]>,
    /// The key of the analysis that stripped a pronoun suffix, with the suffix.
    pub suffix: Option<String>,
}

impl Token {
    pub fn is_word(&self) -> bool {
        self.kind == TokenKind::Word
    }
    pub fn number(&self) -> Option<u64> {
        match self.kind {
            TokenKind::Number(v) => v,
            _ => None,
        }
    }
    /// Does any key equal `k` (already folded, article removed)?
    pub fn has_key(&self, k: &str) -> bool {
        self.keys.iter().any(|x| x == k)
    }
}

/// A key's hash and the hash of its first [`PREFIX_CHARS`] characters (when
/// it has that many): computed once per distinct word, so that the phrase
/// sets look tokens up by number instead of hashing their strings again.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct KeyHash {
    pub full: u64,
    pub prefix: Option<u64>,
}

/// Length of the prefix a phrase word ending in `*` is indexed by.
pub(crate) const PREFIX_CHARS: usize = 3;

/// The hash of a key (or of a key prefix) as the phrase sets index it.
pub(crate) fn hash_key(k: &str) -> u64 {
    use std::hash::{BuildHasher, BuildHasherDefault};
    BuildHasherDefault::<rustc_hash::FxHasher>::default().hash_one(k)
}

impl KeyHash {
    pub fn of(k: &str) -> KeyHash {
        let prefix = k
            .char_indices()
            .nth(PREFIX_CHARS - 1)
            .map(|(i, c)| hash_key(&k[..i + c.len_utf8()]));
        KeyHash {
            full: hash_key(k),
            prefix,
        }
    }
}

/// A sentence: its original byte range, paragraph index and token range.
#[derive(Debug, Clone)]
pub(crate) struct SentenceSpan {
    pub range: Range<usize>,
    pub paragraph: usize,
    pub tokens: Range<usize>,
    /// A clause split off the sentence before it ([`crate::clauses`]): it
    /// shares that sentence's tense and framing.
    pub continued: bool,
}

/// The analysed text of one article.
#[derive(Debug)]
pub(crate) struct Analysed {
    pub tokens: Vec<Token>,
    pub sentences: Vec<SentenceSpan>,
}

/// The folded, article-less key of a dictionary word (used for lexicon entries).
pub(crate) fn key_of(word: &str) -> String {
    let f = rasd_arabic::normalize_with(word, &NormalizeOptions::LOOSE).text;
    strip_article(&f).to_string()
}

/// Is `t` a word with one of the keys in `list`?
pub(crate) fn key_in_list(t: &Token, list: &[&str]) -> bool {
    t.is_word() && list.iter().any(|w| t.has_key(w))
}

/// Fold a phrase into its words' keys.
pub(crate) fn phrase_keys(phrase: &str) -> Vec<String> {
    let f = rasd_arabic::normalize_with(phrase, &NormalizeOptions::LOOSE).text;
    f.split(|c: char| !is_key_char(c))
        .filter(|w| !w.is_empty())
        .map(|w| strip_article(w).to_string())
        .collect()
}

fn is_key_char(c: char) -> bool {
    c.is_alphanumeric() || c == '*'
}

/// A word with the article («الغارة», «والقصف», «بالغارة», «للمدينة»).
pub(crate) fn definite(t: &Token) -> bool {
    let w = t.folded.trim_start_matches(['و', 'ف']);
    w.starts_with("ال") || w.starts_with("بال") || w.starts_with("لل")
}

/// «ال» + at least three letters → without the article.
pub(crate) fn strip_article(w: &str) -> &str {
    match w.strip_prefix("ال") {
        Some(rest) if rest.chars().count() >= 2 => rest,
        _ => w,
    }
}

const BREAK_CHARS: &[char] = &['،', ',', '؛', ';', ':', '(', ')', '–', '—', '-', '|'];

/// Analyse `text` (an article body): sentences per paragraph, tokens with keys.
pub(crate) fn analyse(text: &str, paragraphs: &[Range<usize>]) -> Analysed {
    // Ta marbuta is kept for the clitic analysis (a final ة is not the pronoun
    // ه) and folded in the keys.
    let opts = NormalizeOptions {
        fold_ta_marbuta: false,
        fold_hamza_carriers: true,
    };
    let norm: Normalized = rasd_arabic::normalize_with(text, &opts);
    let ntext = norm.text.as_str();
    let mut tokens = Vec::with_capacity(ntext.len() / 7 + 8);
    // Words and the breaks between them, in order.
    let mut last_end = 0;
    for w in rasd_arabic::words(ntext) {
        push_breaks(ntext, last_end..w.range.start, &norm, &mut tokens);
        last_end = w.range.end;
        push_word(text, ntext, w.range.clone(), &norm, &mut tokens);
    }
    push_breaks(ntext, last_end..ntext.len(), &norm, &mut tokens);

    let mut sentences = Vec::new();
    for (pi, para) in paragraphs.iter().enumerate() {
        let ptext = &text[para.clone()];
        for s in rasd_arabic::sentences(ptext) {
            let range = para.start + s.range.start..para.start + s.range.end;
            sentences.push(SentenceSpan {
                range,
                paragraph: pi,
                tokens: 0..0,
                continued: false,
            });
        }
    }
    // Token ranges per sentence (both lists are in text order).
    let mut ti = 0;
    for s in &mut sentences {
        while ti < tokens.len() && tokens[ti].range.start < s.range.start {
            ti += 1;
        }
        let start = ti;
        while ti < tokens.len() && tokens[ti].range.start < s.range.end {
            ti += 1;
        }
        s.tokens = start..ti;
    }
    Analysed { tokens, sentences }
}

fn push_breaks(ntext: &str, gap: Range<usize>, norm: &Normalized, out: &mut Vec<Token>) {
    if gap.is_empty() {
        return;
    }
    for (i, c) in ntext[gap.clone()].char_indices() {
        if BREAK_CHARS.contains(&c) {
            let s = gap.start + i;
            out.push(Token {
                kind: TokenKind::Break,
                range: norm.original_range(s..s + c.len_utf8()),
                folded: c.to_string(),
                keys: vec![c.to_string()].into(),
                hashes: Vec::new().into(),
                suffix: None,
            });
            // One break per gap is enough for clause logic.
            return;
        }
    }
}

fn push_word(text: &str, ntext: &str, r: Range<usize>, norm: &Normalized, out: &mut Vec<Token>) {
    let w = &ntext[r.clone()];
    // A clitic written on a number («بـ123», «و159»): split letters from digits.
    if let Some(pos) = w.find(|c: char| c.is_ascii_digit())
        && pos > 0
        && w[pos..]
            .chars()
            .all(|c| c.is_ascii_digit() || c == ',' || c == '.')
    {
        push_word(text, ntext, r.start..r.start + pos, norm, out);
        push_word(text, ntext, r.start + pos..r.end, norm, out);
        return;
    }
    let range = norm.original_range(r.clone());
    if w.starts_with(|c: char| c.is_ascii_digit()) {
        let digits: String = w.chars().filter(|c| c.is_ascii_digit()).collect();
        let value = if w.contains('.') && !w.contains(',') {
            None
        } else {
            digits.parse::<u64>().ok()
        };
        out.push(Token {
            kind: TokenKind::Number(value),
            range,
            folded: w.to_string(),
            keys: vec![w.to_string()].into(),
            hashes: Vec::new().into(),
            suffix: None,
        });
        return;
    }
    let w = w.trim_end_matches('\u{0640}');
    let (mut keys, mut hashes, suffix) = word_keys(w);
    if let Some(bare) = accusative_stem(text, &range, w) {
        // The stem's own keys (clitics stripped too: «ومستودعاً»).
        let (bare_keys, bare_hashes, _) = word_keys(bare);
        let mut k = keys.to_vec();
        let mut h = hashes.to_vec();
        for (bk, bh) in bare_keys.iter().zip(bare_hashes.iter()) {
            if !k.contains(bk) {
                k.push(bk.clone());
                h.push(*bh);
            }
        }
        keys = k.into();
        hashes = h.into();
    }
    out.push(Token {
        kind: TokenKind::Word,
        range,
        folded: w.replace('ة', "ه"),
        keys,
        hashes,
        suffix,
    });
}

/// The word without the alif of an indefinite accusative, when the page
/// writes its tanween («مستودعاً» → «مستودع»): the alif is case, not stem, so
/// a lexicon entry in the nominative matches. Without the mark the alif may
/// be the stem's own («درعا», «سوريا»), so it stays.
fn accusative_stem<'w>(text: &str, range: &Range<usize>, w: &'w str) -> Option<&'w str> {
    const TANWEEN_FATH: char = '\u{064B}';
    let stem = w.strip_suffix('ا')?;
    if stem.chars().count() < 3 {
        return None;
    }
    let written = text.get(range.clone())?;
    let after = text.get(range.end..)?.chars().next();
    (written.contains(TANWEEN_FATH) || after == Some(TANWEEN_FATH)).then_some(stem)
}

/// Words whose keys are kept per thread: news vocabulary repeats, and the
/// clitic analysis is the costliest step of reading a word.
const MAX_CACHED_WORDS: usize = 200_000;

thread_local! {
    // Small buckets (a boxed word and one pointer) keep the table compact:
    // the look-up, made for every word, is bound by memory more than hashing.
    static WORD_KEYS: std::cell::RefCell<rustc_hash::FxHashMap<Box<str>, std::rc::Rc<WordKeys>>> =
        std::cell::RefCell::new(rustc_hash::FxHashMap::default());
}

/// A word's matching keys, their hashes and the pronoun suffix it may carry.
type WordKeys = (
    std::rc::Rc<[String]>,
    std::rc::Rc<[KeyHash]>,
    Option<String>,
);

/// The matching keys of a normalised word and the pronoun suffix it may carry.
fn word_keys(w: &str) -> WordKeys {
    if let Some(hit) = WORD_KEYS.with(|c| c.borrow().get(w).map(|e| (**e).clone())) {
        return hit;
    }
    let computed = compute_word_keys(w);
    WORD_KEYS.with(|c| {
        let mut c = c.borrow_mut();
        if c.len() >= MAX_CACHED_WORDS {
            c.clear();
        }
        c.insert(w.into(), std::rc::Rc::new(computed.clone()));
    });
    computed
}

fn compute_word_keys(w: &str) -> WordKeys {
    let mut keys: Vec<String> = Vec::with_capacity(4);
    keys.push(strip_article(&w.replace('ة', "ه")).to_string());
    let mut suffix = None;
    for a in rasd_arabic::clitic_analyses(w).into_iter().skip(1) {
        let mut k = a.stem.trim_start_matches('\u{0640}').replace('ة', "ه");
        if !a.suffix.is_empty() {
            if k.ends_with('ت') {
                k.pop();
                k.push('ه');
            }
            if suffix.is_none() {
                suffix = Some(a.suffix.to_string());
            }
        }
        let k = strip_article(&k).to_string();
        if !k.is_empty() && !keys.contains(&k) {
            keys.push(k);
        }
    }
    let hashes: Vec<KeyHash> = keys.iter().map(|k| KeyHash::of(k)).collect();
    (keys.into(), hashes.into(), suffix)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keys_strip_clitics_and_article() {
        let text = "وقوات النظام لداعش بـ123";
        let a = analyse(text, std::slice::from_ref(&(0..text.len())));
        assert!(a.tokens[0].has_key("قوات"));
        assert!(a.tokens[1].has_key("نظام"));
        assert!(a.tokens[2].has_key("داعش"));
        assert_eq!(a.tokens.last().unwrap().number(), Some(123));
        assert_eq!(&text[a.tokens[0].range.clone()], "وقوات");
    }

    #[test]
    fn sentences_hold_their_tokens() {
        let text = "جملة أولى هنا. وجملة ثانية\nفقرة ثانية";
        let paras = vec![
            0..text.find('\n').unwrap(),
            text.find('\n').unwrap() + 1..text.len(),
        ];
        let a = analyse(text, &paras);
        assert_eq!(a.sentences.len(), 3);
        assert_eq!(a.sentences[2].paragraph, 1);
        assert_eq!(a.sentences[1].tokens.len(), 2);
    }
}
