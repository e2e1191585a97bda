//! Text keys for comparison: a folded form of Arabic (and Latin) text, its words and
//! shingles, and a small stable hash.
//!
//! The fold here is the one that keys need (it is not a display normalisation): it
//! removes diacritics and tatweel, unifies alef, hamza carriers, alef maqsura and
//! ta marbuta, maps Arabic-Indic digits to ASCII, lower-cases Latin and treats every
//! other non-letter as a word break.

/// Fold `text` into a comparison key: words separated by single spaces.
pub fn fold_key(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut pending_space = false;
    for c in text.chars() {
        let mapped = match c {
            // harakat, tanween, shadda, sukun, superscript alef, Quranic marks, tatweel
            '\u{0610}'..='\u{061A}'
            | '\u{064B}'..='\u{065F}'
            | '\u{0670}'
            | '\u{06D6}'..='\u{06ED}'
            | '\u{0640}' => continue,
            // zero-width and bidi controls
            '\u{200B}'..='\u{200F}'
            | '\u{202A}'..='\u{202E}'
            | '\u{2066}'..='\u{2069}'
            | '\u{FEFF}' => continue,
            'أ' | 'إ' | 'آ' | 'ٱ' => 'ا',
            'ى' | 'ئ' | 'ی' => 'ي',
            'ؤ' => 'و',
            'ة' => 'ه',
            'ک' => 'ك',
            '٠'..='٩' => char::from(b'0' + (c as u32 - '٠' as u32) as u8),
            '۰'..='۹' => char::from(b'0' + (c as u32 - '۰' as u32) as u8),
            c if c.is_alphanumeric() => c,
            _ => {
                pending_space = !out.is_empty();
                continue;
            }
        };
        if pending_space {
            out.push(' ');
            pending_space = false;
        }
        // Lower-casing may yield combining marks (İ → i̇): keep only letters and digits.
        out.extend(mapped.to_lowercase().filter(|l| l.is_alphanumeric()));
    }
    out
}

/// 64-bit FNV-1a followed by a splitmix finaliser: stable across runs and platforms.
pub fn hash64(bytes: &[u8]) -> u64 {
    let mut h: u64 = 0xcbf2_9ce4_8422_2325;
    for &b in bytes {
        h ^= u64::from(b);
        h = h.wrapping_mul(0x0000_0100_0000_01b3);
    }
    mix64(h)
}

/// The splitmix64 finaliser.
pub fn mix64(mut z: u64) -> u64 {
    z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
    z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
    z ^ (z >> 31)
}

/// Entries a thread's memo of folded hashes holds before it starts afresh (hostile input
/// with endless distinct names must not fill memory).
const MEMO_CAP: usize = 1 << 16;

/// Kinds of memoised names (one table each).
pub const MEMO_ACTOR: usize = 0;
pub const MEMO_PLACE: usize = 1;
const MEMO_TABLES: usize = 2;

type Memo = [std::collections::HashMap<Box<str>, u64>; MEMO_TABLES];

thread_local! {
    static MEMO: std::cell::RefCell<Memo> = std::cell::RefCell::new(Default::default());
}

/// `hash64` of `fold(text)`, remembered per thread in table `table` ([`MEMO_ACTOR`],
/// [`MEMO_PLACE`]): the clusterer keys the same few actor, place and admin names again
/// and again, and folding them dominated its time.
pub fn memo_hash(table: usize, text: &str, fold: fn(&str) -> String) -> u64 {
    MEMO.with(|m| {
        let mut m = m.borrow_mut();
        let m = &mut m[table];
        if let Some(&h) = m.get(text) {
            return h;
        }
        let h = hash64(fold(text).as_bytes());
        if m.len() >= MEMO_CAP {
            m.clear();
        }
        m.insert(Box::from(text), h);
        h
    })
}

/// Mixes `b` into the running hash `a` (order matters).
pub fn combine(a: u64, b: u64) -> u64 {
    mix64(a.rotate_left(17) ^ b)
}

/// Hashes of the `k`-word shingles of a folded text, sorted and deduplicated.
/// A text shorter than `k` words gives one shingle of all its words (none when empty).
pub fn shingle_hashes(folded: &str, k: usize) -> Vec<u64> {
    let words: Vec<u64> = folded
        .split(' ')
        .filter(|w| !w.is_empty())
        .map(|w| hash64(w.as_bytes()))
        .collect();
    let k = k.max(1);
    // Order matters within a shingle: rotate before mixing in each word.
    let combine = |ws: &[u64]| {
        ws.iter()
            .fold(ws.len() as u64, |h, &w| mix64(h.rotate_left(23) ^ w))
    };
    let mut out: Vec<u64> = if words.is_empty() {
        Vec::new()
    } else if words.len() < k {
        vec![combine(&words)]
    } else {
        words.windows(k).map(combine).collect()
    };
    out.sort_unstable();
    out.dedup();
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn folds_arabic_variants() {
        assert_eq!(fold_key("إدلــب"), fold_key("ادلب"));
        assert_eq!(fold_key("مَدِينَةُ"), "مدينه");
        assert_eq!(fold_key("قُتل ٢١ شخصاً، في «جاسم»!"), "قتل 21 شخصا في جاسم");
        assert_eq!(fold_key("Local Armed  Group"), "local armed group");
        assert_eq!(fold_key("  ...  "), "");
    }

    #[test]
    fn shingles_of_short_texts() {
        assert!(shingle_hashes("", 3).is_empty());
        assert_eq!(shingle_hashes("a b", 3).len(), 1);
        assert_eq!(shingle_hashes("a b c d", 3).len(), 2);
        // Word order counts.
        assert_ne!(shingle_hashes("a b c", 3), shingle_hashes("c b a", 3));
    }

    proptest! {
        #[test]
        fn fold_is_idempotent(s in "\\PC{0,60}") {
            let once = fold_key(&s);
            prop_assert_eq!(fold_key(&once), once.clone());
            prop_assert!(!once.starts_with(' ') && !once.ends_with(' ') && !once.contains("  "));
        }
    }
}
