//! Phrase matching over tokens: a set of multi-word patterns, each word compared
//! by its folded, clitic-free key. A pattern word ending in `*` matches any key
//! that starts with it. Used by the actor register, the triggers, the cues and
//! the victim nouns, which are all data files (`data/*.tsv`).

use rustc_hash::FxHashMap as HashMap;

use crate::text::{PREFIX_CHARS, Token, hash_key, phrase_keys};

/// One word of a pattern.
#[derive(Debug, Clone, PartialEq, Eq)]
enum PatWord {
    Exact(String),
    Prefix(String),
}

impl PatWord {
    fn matches(&self, t: &Token) -> bool {
        if !t.is_word() {
            return false;
        }
        match self {
            PatWord::Exact(k) => t.has_key(k),
            PatWord::Prefix(p) => t.keys.iter().any(|k| k.starts_with(p.as_str())),
        }
    }
}

/// A match: token range (end exclusive) and the pattern's value.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Hit<'a, T> {
    pub start: usize,
    pub end: usize,
    pub value: &'a T,
}

/// Length of the index key for prefix patterns.
const PREFIX_INDEX_CHARS: usize = PREFIX_CHARS;

/// A set of phrases with values. Patterns are indexed by the hash of their
/// first word (or of its first three letters for a `*` word); a hash hit is
/// only a candidate, checked word by word, so a collision cannot match.
#[derive(Debug, Clone)]
pub(crate) struct PhraseSet<T> {
    patterns: Vec<(Vec<PatWord>, T)>,
    exact: HashMap<u64, Vec<usize>>,
    prefix: HashMap<u64, Vec<usize>>,
}

impl<T> Default for PhraseSet<T> {
    fn default() -> Self {
        Self {
            patterns: Vec::new(),
            exact: HashMap::default(),
            prefix: HashMap::default(),
        }
    }
}

fn index_key(s: &str) -> String {
    s.chars().take(PREFIX_INDEX_CHARS).collect()
}

impl<T> PhraseSet<T> {
    pub fn new() -> Self {
        Self::default()
    }

    /// Add a phrase (Arabic as written; folded here). Empty phrases are ignored.
    pub fn add(&mut self, phrase: &str, value: T) {
        let words: Vec<PatWord> = phrase_keys(phrase)
            .into_iter()
            .map(|k| match k.strip_suffix('*') {
                Some(p) => PatWord::Prefix(p.to_string()),
                None => PatWord::Exact(k),
            })
            .collect();
        if words.is_empty() {
            return;
        }
        self.add_words(words, value);
    }

    fn add_words(&mut self, words: Vec<PatWord>, value: T) {
        let id = self.patterns.len();
        match &words[0] {
            PatWord::Exact(k) => self.exact.entry(hash_key(k)).or_default().push(id),
            PatWord::Prefix(p) if p.chars().count() >= PREFIX_INDEX_CHARS => self
                .prefix
                .entry(hash_key(&index_key(p)))
                .or_default()
                .push(id),
            // Very short stems are indexed by every possible 3-letter start:
            // not supported; keep them exact instead.
            PatWord::Prefix(p) => self.exact.entry(hash_key(p)).or_default().push(id),
        }
        self.patterns.push((words, value));
    }

    /// Add the phrase and its plural-case variants (ون ↔ ين, construct و ↔ ي),
    /// so an alias written «مسلحون مجهولون» also matches «مسلحين مجهولين».
    pub fn add_with_case_variants(&mut self, phrase: &str, value: T)
    where
        T: Clone,
    {
        let keys = phrase_keys(phrase);
        if keys.is_empty() {
            return;
        }
        let mut variants: Vec<Vec<String>> = vec![keys.clone()];
        let swapped: Vec<String> = keys.iter().map(|k| swap_case(k)).collect();
        if swapped != keys {
            variants.push(swapped);
        }
        for v in variants {
            let words = v.into_iter().map(PatWord::Exact).collect();
            self.add_words(words, value.clone());
        }
    }

    fn candidates_at(&self, t: &Token, out: &mut Vec<usize>) {
        out.clear();
        for h in t.hashes.iter() {
            if let Some(ids) = self.exact.get(&h.full) {
                out.extend_from_slice(ids);
            }
            if !self.prefix.is_empty()
                && let Some(p) = h.prefix
                && let Some(ids) = self.prefix.get(&p)
            {
                out.extend_from_slice(ids);
            }
        }
        out.sort_unstable();
        out.dedup();
    }

    /// All longest, non-overlapping matches in `tokens[range]`, left to right.
    pub fn find<'s>(&'s self, tokens: &[Token], range: std::ops::Range<usize>) -> Vec<Hit<'s, T>> {
        let mut hits = Vec::new();
        let mut cands = Vec::new();
        let mut i = range.start;
        while i < range.end {
            let t = &tokens[i];
            if !t.is_word() {
                i += 1;
                continue;
            }
            self.candidates_at(t, &mut cands);
            let mut best: Option<(usize, usize)> = None; // (len, id)
            for &id in &cands {
                let words = &self.patterns[id].0;
                if i + words.len() > range.end {
                    continue;
                }
                if words
                    .iter()
                    .enumerate()
                    .all(|(j, w)| w.matches(&tokens[i + j]))
                    && best.is_none_or(|(l, _)| words.len() > l)
                {
                    best = Some((words.len(), id));
                }
            }
            match best {
                Some((len, id)) => {
                    hits.push(Hit {
                        start: i,
                        end: i + len,
                        value: &self.patterns[id].1,
                    });
                    i += len;
                }
                None => i += 1,
            }
        }
        hits
    }
}

fn swap_case(k: &str) -> String {
    if let Some(s) = k.strip_suffix("ون") {
        format!("{s}ين")
    } else if let Some(s) = k.strip_suffix("ين") {
        if s.chars().count() >= 3 {
            format!("{s}ون")
        } else {
            k.to_string()
        }
    } else if let Some(s) = k.strip_suffix('و') {
        if s.chars().count() >= 4 {
            format!("{s}ي")
        } else {
            k.to_string()
        }
    } else {
        k.to_string()
    }
}

/// Rows of a TSV data file: comment lines (#) and the header row skipped.
pub(crate) fn tsv_rows<'a>(
    s: &'a str,
    header_first: &'a str,
) -> impl Iterator<Item = (usize, Vec<&'a str>)> {
    s.lines()
        .enumerate()
        .filter(|(_, l)| !l.trim().is_empty() && !l.starts_with('#'))
        .map(|(n, l)| (n + 1, l.split('\t').map(str::trim).collect::<Vec<_>>()))
        .filter(move |(_, cols)| cols.first() != Some(&header_first))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::text::analyse;

    fn toks(s: &str) -> Vec<Token> {
        analyse(s, std::slice::from_ref(&(0..s.len()))).tokens
    }

    #[test]
    fn longest_match_through_clitics() {
        let mut set = PhraseSet::new();
        set.add("قوات الحرس", 1);
        set.add("قوات الحرس الأزرق", 2);
        set.add("اشتباك*", 3);
        let t = toks("وقوات الحرس الأزرق في اشتباكات");
        let hits = set.find(&t, 0..t.len());
        assert_eq!(hits.len(), 2);
        assert_eq!(*hits[0].value, 2);
        assert_eq!(*hits[1].value, 3);
    }

    #[test]
    fn case_variants_match() {
        let mut set = PhraseSet::new();
        set.add_with_case_variants("رماة مجهولون", 1);
        let t = toks("برصاص رماة مجهولين");
        assert_eq!(set.find(&t, 0..t.len()).len(), 1);
    }
}
