//! Near-duplicate articles: syndicated copies and re-posts under another headline.
//!
//! Each article body is folded ([`crate::text::fold_key`]), cut into word shingles and
//! summarised by a MinHash signature; locality-sensitive hashing over bands of the
//! signature finds candidates in constant time per article, and a candidate is a
//! copy when its estimated Jaccard similarity reaches [`NEAR_DUP_JACCARD`]. The
//! first article seen of a family is kept; later ones are recorded as its copies.

use crate::params::{
    LSH_ROWS, MIN_SHINGLES, MINHASH_SIZE, NEAR_DUP_CONTAINMENT, NEAR_DUP_JACCARD,
    NEAR_DUP_MIN_SIZE_RATIO, SHINGLE_WORDS,
};
use crate::text::{fold_key, mix64, shingle_hashes};
use std::collections::HashMap;

/// The fingerprint of one article body.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Fingerprint {
    /// MinHash signature (empty for a text with no words).
    pub minhash: Vec<u64>,
    /// Number of distinct shingles.
    pub shingles: usize,
    /// Hash of the whole folded text, to tell exact copies of short texts.
    pub exact: u64,
}

impl Fingerprint {
    /// The fingerprint of an article body.
    pub fn of(text: &str) -> Fingerprint {
        let folded = fold_key(text);
        let shingles = shingle_hashes(&folded, SHINGLE_WORDS);
        let mut minhash = Vec::new();
        if !shingles.is_empty() {
            minhash = vec![u64::MAX; MINHASH_SIZE];
            for &s in &shingles {
                for (i, slot) in minhash.iter_mut().enumerate() {
                    // One independent permutation per slot, derived from the shingle hash.
                    let h = mix64(s ^ (i as u64 + 1).wrapping_mul(0x9e37_79b9_7f4a_7c15));
                    if h < *slot {
                        *slot = h;
                    }
                }
            }
        }
        Fingerprint {
            minhash,
            shingles: shingles.len(),
            exact: crate::text::hash64(folded.as_bytes()),
        }
    }

    /// Estimated Jaccard similarity of the two shingle sets.
    pub fn similarity(&self, other: &Fingerprint) -> f64 {
        if self.minhash.is_empty() || other.minhash.is_empty() {
            return if self.exact == other.exact { 1.0 } else { 0.0 };
        }
        let same = self
            .minhash
            .iter()
            .zip(&other.minhash)
            .filter(|(a, b)| a == b)
            .count();
        same as f64 / self.minhash.len() as f64
    }

    /// Estimated share of the smaller shingle set found in the larger, from the
    /// Jaccard estimate and the set sizes.
    pub fn containment(&self, other: &Fingerprint) -> f64 {
        let (a, b) = (self.shingles as f64, other.shingles as f64);
        let small = a.min(b);
        if small == 0.0 {
            return 0.0;
        }
        let j = self.similarity(other);
        (j * (a + b) / (1.0 + j) / small).min(1.0)
    }

    /// True when `other` is a copy of this text (or this of `other`).
    pub fn is_copy(&self, other: &Fingerprint) -> bool {
        let j = self.similarity(other);
        if j >= NEAR_DUP_JACCARD {
            return true;
        }
        let (a, b) = (self.shingles as f64, other.shingles as f64);
        a.min(b) / a.max(b).max(1.0) >= NEAR_DUP_MIN_SIZE_RATIO
            && self.containment(other) >= NEAR_DUP_CONTAINMENT
    }

    /// The keys [`NearDupIndex`] files a kept article under (its LSH bands and its
    /// exact hash), as a store can keep them: an article whose fingerprint shares none
    /// of them with a new one is never that one's original, so an index restored from
    /// the kept articles sharing a key finds the same originals as one restored from all.
    pub fn stored_keys(&self) -> Vec<i64> {
        let mut out: Vec<i64> = self
            .band_keys()
            .map(|(band, h)| crate::text::combine(band as u64 + 1, h) as i64)
            .collect();
        out.push(crate::text::combine(0, self.exact) as i64);
        out.sort_unstable();
        out.dedup();
        out
    }

    fn band_keys(&self) -> impl Iterator<Item = (usize, u64)> + '_ {
        self.minhash
            .chunks(LSH_ROWS)
            .enumerate()
            .map(|(band, rows)| {
                let mut h = band as u64;
                for &r in rows {
                    h = mix64(h ^ r);
                }
                (band, h)
            })
    }
}

/// What became of an article offered to the [`NearDupIndex`].
#[derive(Debug, Clone, PartialEq)]
pub enum DupOutcome {
    /// The first of its kind: kept.
    Original,
    /// A copy of an article seen before (the kept one, never itself a copy).
    CopyOf { original: String, similarity: f64 },
}

/// The articles kept so far, indexed for near-duplicate look-up.
#[derive(Debug, Default)]
pub struct NearDupIndex {
    docs: Vec<(String, Fingerprint)>,
    bands: HashMap<(usize, u64), Vec<u32>>,
    exact: HashMap<u64, u32>,
}

impl NearDupIndex {
    pub fn new() -> Self {
        Self::default()
    }

    /// Number of kept (original) articles.
    pub fn len(&self) -> usize {
        self.docs.len()
    }

    pub fn is_empty(&self) -> bool {
        self.docs.is_empty()
    }

    /// Offers an article body: returns whether it copies a kept article, and keeps it
    /// when it does not. An empty body is never a copy.
    pub fn insert(&mut self, doc_id: &str, text: &str) -> DupOutcome {
        self.insert_fingerprint(doc_id, Fingerprint::of(text))
    }

    /// As [`insert`](Self::insert), with a fingerprint computed before (e.g. loaded from a store).
    pub fn insert_fingerprint(&mut self, doc_id: &str, fp: Fingerprint) -> DupOutcome {
        if let Some((original, similarity)) = self.find(&fp) {
            return DupOutcome::CopyOf {
                original,
                similarity,
            };
        }
        self.keep(doc_id, fp);
        DupOutcome::Original
    }

    /// Keeps an article without looking for its original (rebuilding the index from a
    /// store that already knows it is an original).
    pub fn restore(&mut self, doc_id: &str, fp: Fingerprint) {
        self.keep(doc_id, fp);
    }

    /// The kept article `fp` copies, if any, with the estimated similarity.
    pub fn find(&self, fp: &Fingerprint) -> Option<(String, f64)> {
        if fp.minhash.is_empty() {
            return None;
        }
        if let Some(&i) = self.exact.get(&fp.exact) {
            return Some((self.docs[i as usize].0.clone(), 1.0));
        }
        if fp.shingles < MIN_SHINGLES {
            return None;
        }
        let mut candidates: Vec<u32> = fp
            .band_keys()
            .filter_map(|k| self.bands.get(&k))
            .flatten()
            .copied()
            .collect();
        candidates.sort_unstable();
        candidates.dedup();
        candidates
            .into_iter()
            .filter(|&i| self.docs[i as usize].1.shingles >= MIN_SHINGLES)
            .filter(|&i| fp.is_copy(&self.docs[i as usize].1))
            .map(|i| (i, fp.similarity(&self.docs[i as usize].1)))
            .max_by(|a, b| a.1.total_cmp(&b.1).then(b.0.cmp(&a.0)))
            .map(|(i, s)| (self.docs[i as usize].0.clone(), s))
    }

    fn keep(&mut self, doc_id: &str, fp: Fingerprint) {
        let i = self.docs.len() as u32;
        for key in fp.band_keys() {
            self.bands.entry(key).or_default().push(i);
        }
        self.exact.entry(fp.exact).or_insert(i);
        self.docs.push((doc_id.to_string(), fp));
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const BODY: &str = "أفادت مصادر محلية بأن اشتباكات عنيفة اندلعت مساء الثلاثاء في بلدة الوادي الأخضر بين مجموعتين مسلحتين، \
        وأسفرت عن سقوط خمسة قتلى على الأقل وعدد من الجرحى، فيما أغلقت الطرق المؤدية إلى البلدة حتى صباح اليوم التالي. \
        وقال أحد السكان إن الأهالي لزموا منازلهم طوال الليل بسبب كثافة إطلاق النار.";

    #[test]
    fn a_repost_with_a_changed_tail_is_a_copy() {
        let mut idx = NearDupIndex::new();
        assert_eq!(idx.insert("a", BODY), DupOutcome::Original);
        let repost = format!("{BODY} تابعونا على قناتنا.");
        match idx.insert("b", &repost) {
            DupOutcome::CopyOf {
                original,
                similarity,
            } => {
                assert_eq!(original, "a");
                assert!(similarity >= NEAR_DUP_JACCARD);
            }
            other => panic!("expected a copy, got {other:?}"),
        }
        // Diacritics and tatweel do not hide a copy.
        let voweled = BODY.replace("اشتباكات", "اشْتِبَاكــات");
        assert!(matches!(
            idx.insert("c", &voweled),
            DupOutcome::CopyOf { .. }
        ));
        assert_eq!(idx.len(), 1);
    }

    #[test]
    fn a_different_report_of_the_same_event_is_kept() {
        let mut idx = NearDupIndex::new();
        idx.insert("a", BODY);
        let other = "قتل خمسة أشخاص في مواجهات مسلحة شهدتها بلدة الوادي الأخضر ليل الثلاثاء، \
            بحسب ما نقله مراسلنا عن شهود عيان، وسط انتشار أمني كثيف في محيط البلدة واستنفار للمشافي الميدانية.";
        assert_eq!(idx.insert("b", other), DupOutcome::Original);
        assert_eq!(idx.len(), 2);
    }

    #[test]
    fn empty_and_short_texts() {
        let mut idx = NearDupIndex::new();
        assert_eq!(idx.insert("a", ""), DupOutcome::Original);
        assert_eq!(idx.insert("b", ""), DupOutcome::Original);
        assert_eq!(idx.insert("c", "خبر عاجل"), DupOutcome::Original);
        assert!(matches!(
            idx.insert("d", "خبر  عاجل!"),
            DupOutcome::CopyOf { .. }
        ));
        assert_eq!(idx.insert("e", "خبر آخر"), DupOutcome::Original);
    }
}
