//! Normalisation for matching, with a map from every normalised byte back to
//! the original text.
//!
//! What [`normalize`] does (default [`NormalizeOptions`]):
//! - removes Arabic diacritics (U+064B–U+065F, U+0670, Quranic marks U+0610–U+061A)
//!   and tatweel (U+0640);
//! - folds alef variants أ إ آ ٱ (and the rare U+0672/U+0673) → ا, ى → ي,
//!   Persian ی → ي and ک → ك;
//! - folds Arabic-Indic (U+0660–U+0669) and Persian (U+06F0–U+06F9) digits to
//!   ASCII, the Arabic thousands separator ٬ → `,`, decimal separator ٫ → `.`,
//!   and ٪ → `%`;
//! - applies NFKC to the Arabic presentation forms (U+FB50–U+FDFF,
//!   U+FE70–U+FEFF), whose output is folded in turn;
//! - removes bidi and other format controls (U+200B–U+200F, U+202A–U+202E,
//!   U+2060–U+2069, U+FEFF, U+061C, U+00AD);
//! - folds every run of whitespace to one ASCII space and trims both ends.
//!
//! Optionally ([`NormalizeOptions`]) ة → ه and ؤ → و, ئ → ي.
//!
//! The offset map is stored as runs, so that copying plain text costs nothing
//! per byte: a new run starts only where the normalised text stops being a
//! byte-for-byte copy of the original.

use std::ops::Range;

use unicode_normalization::UnicodeNormalization;

/// Which optional folds to apply. `Default` applies none of them.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct NormalizeOptions {
    /// ة → ه (writers use both at the end of words).
    pub fold_ta_marbuta: bool,
    /// ؤ → و and ئ → ي (hamza carriers; مئة/مائة style variation).
    pub fold_hamza_carriers: bool,
}

impl NormalizeOptions {
    /// Every optional fold on: the loosest matching key.
    pub const LOOSE: NormalizeOptions = NormalizeOptions {
        fold_ta_marbuta: true,
        fold_hamza_carriers: true,
    };
}

/// One run of the offset map.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct Run {
    /// First normalised byte of the run.
    norm: usize,
    /// Original byte where the run's source starts.
    orig: usize,
    /// Original byte where the run's source ends.
    orig_end: usize,
    /// Byte-for-byte copy: normalised byte `norm + k` is original byte `orig + k`.
    copy: bool,
}

/// Normalised text with a map back to the original byte offsets.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Normalized {
    /// The normalised text.
    pub text: String,
    runs: Vec<Run>,
    /// Original byte offset that `text.len()` maps to.
    end: usize,
}

impl Normalized {
    /// Byte offset in the original for byte offset `i` of `self.text`
    /// (`i == text.len()` allowed; larger values are clamped to it).
    ///
    /// The map is monotone. A byte inside a replaced character (a folded
    /// digit, an NFKC expansion, a folded whitespace run) maps to the start
    /// of its source.
    pub fn to_original(&self, i: usize) -> usize {
        if i >= self.text.len() {
            return self.end;
        }
        let k = self.runs.partition_point(|r| r.norm <= i) - 1;
        let r = self.runs[k];
        if r.copy {
            (r.orig + (i - r.norm)).min(r.orig_end)
        } else {
            r.orig
        }
    }

    /// Original byte offset for a normalised END offset: like
    /// [`to_original`](Self::to_original), but a position inside a replaced
    /// character maps to the end of its source.
    pub fn to_original_end(&self, i: usize) -> usize {
        if i >= self.text.len() {
            return self.end;
        }
        let k = self.runs.partition_point(|r| r.norm <= i) - 1;
        let r = self.runs[k];
        if r.norm == i {
            return r.orig;
        }
        if r.copy {
            (r.orig + (i - r.norm)).min(r.orig_end)
        } else {
            r.orig_end
        }
    }

    /// Original byte range for a normalised byte range. The result covers
    /// the characters that were removed inside the range (diacritics,
    /// tatweel, controls), and the removed marks right after its last
    /// character when the range ends at a word boundary.
    pub fn original_range(&self, r: Range<usize>) -> Range<usize> {
        let start = self.to_original(r.start);
        let end = self.to_original_end(r.end.max(r.start));
        start..end.max(start)
    }

    /// The normalised byte offset for ORIGINAL byte offset `o`: the first
    /// normalised byte whose source starts at or after `o` (a position
    /// inside a replaced character maps to its normalised start; a removed
    /// character maps to the next kept one). Monotone, and
    /// `from_original(to_original(i)) == i` for every character boundary
    /// `i` of a copied stretch.
    pub fn from_original(&self, o: usize) -> usize {
        let k = self.runs.partition_point(|r| r.orig <= o);
        if k == 0 {
            return 0;
        }
        let r = self.runs[k - 1];
        if o < r.orig_end {
            return if r.copy {
                r.norm + (o - r.orig)
            } else {
                r.norm
            };
        }
        match self.runs.get(k) {
            Some(next) => next.norm,
            None => self.text.len(),
        }
    }

    /// Number of runs in the offset map (a cost measure for benches).
    pub fn map_len(&self) -> usize {
        self.runs.len()
    }
}

/// What happens to one input character.
enum Action {
    Keep,
    Drop,
    Space,
    Replace(char),
    Nfkc,
}

#[inline]
fn is_control_to_drop(c: char) -> bool {
    matches!(c,
        '\u{200B}'..='\u{200F}'
        | '\u{202A}'..='\u{202E}'
        | '\u{2060}'..='\u{2069}'
        | '\u{FEFF}'
        | '\u{061C}'
        | '\u{00AD}')
}

/// Arabic diacritics and marks removed by normalisation.
#[inline]
pub fn is_arabic_mark(c: char) -> bool {
    matches!(c, '\u{064B}'..='\u{065F}' | '\u{0670}' | '\u{0610}'..='\u{061A}' | '\u{06D6}'..='\u{06DC}' | '\u{06DF}'..='\u{06E4}' | '\u{06E7}' | '\u{06E8}' | '\u{06EA}'..='\u{06ED}')
}

#[inline]
fn classify(c: char, opts: &NormalizeOptions) -> Action {
    match c {
        '\u{0640}' => Action::Drop,
        'أ' | 'إ' | 'آ' | 'ٱ' | '\u{0672}' | '\u{0673}' => Action::Replace('ا'),
        'ى' | 'ی' => Action::Replace('ي'),
        'ک' => Action::Replace('ك'),
        'ة' if opts.fold_ta_marbuta => Action::Replace('ه'),
        'ؤ' if opts.fold_hamza_carriers => Action::Replace('و'),
        'ئ' if opts.fold_hamza_carriers => Action::Replace('ي'),
        '\u{0660}'..='\u{0669}' => Action::Replace(char::from(b'0' + (c as u32 - 0x0660) as u8)),
        '\u{06F0}'..='\u{06F9}' => Action::Replace(char::from(b'0' + (c as u32 - 0x06F0) as u8)),
        '\u{066C}' => Action::Replace(','),
        '\u{066B}' => Action::Replace('.'),
        '\u{066A}' => Action::Replace('%'),
        _ if is_arabic_mark(c) => Action::Drop,
        _ if is_control_to_drop(c) => Action::Drop,
        '\u{FB50}'..='\u{FDFF}' | '\u{FE70}'..='\u{FEFF}' => Action::Nfkc,
        _ if c.is_whitespace() => Action::Space,
        _ => Action::Keep,
    }
}

struct Builder {
    text: String,
    runs: Vec<Run>,
    /// Pending whitespace run: original start.
    space_from: Option<usize>,
    /// Original end of the last non-whitespace character seen.
    content_end: usize,
}

impl Builder {
    #[inline]
    fn flush_space(&mut self, orig_now: usize) {
        if let Some(from) = self.space_from.take()
            && !self.text.is_empty()
        {
            let norm = self.text.len();
            self.text.push(' ');
            // A single ASCII space copying a single ASCII space is a copy run.
            let copy = orig_now - from == 1;
            self.push_run(norm, from, orig_now, copy);
        }
    }

    #[inline]
    fn push_run(&mut self, norm: usize, orig: usize, orig_end: usize, copy: bool) {
        if copy
            && let Some(last) = self.runs.last_mut()
            && last.copy
            && last.orig_end == orig
            && last.norm + (last.orig_end - last.orig) == norm
        {
            last.orig_end = orig_end;
            return;
        }
        // Several characters produced from one source character: one run.
        if !copy
            && let Some(last) = self.runs.last()
            && !last.copy
            && last.orig == orig
            && last.orig_end == orig_end
        {
            return;
        }
        self.runs.push(Run {
            norm,
            orig,
            orig_end,
            copy,
        });
    }

    #[inline]
    fn emit(&mut self, c: char, orig: usize, orig_end: usize, copy: bool) {
        self.flush_space(orig);
        let norm = self.text.len();
        self.text.push(c);
        self.push_run(norm, orig, orig_end, copy);
    }
}

/// Is the two-byte sequence `b0 b1` an Arabic letter that normalisation keeps
/// unchanged under `opts`?
#[inline(always)]
fn kept_arabic(b0: u8, b1: u8, opts: &NormalizeOptions) -> bool {
    match b0 {
        // U+0621 ء, U+0624 ؤ, U+0626 ئ, U+0627..U+063A (ة is U+0629)
        0xD8 => {
            matches!(b1, 0xA1 | 0xA4 | 0xA6 | 0xA7..=0xBA)
                && !(b1 == 0xA9 && opts.fold_ta_marbuta)
                && !((b1 == 0xA4 || b1 == 0xA6) && opts.fold_hamza_carriers)
        }
        // U+0641..U+064A except ى (U+0649)
        0xD9 => matches!(b1, 0x81..=0x88 | 0x8A),
        _ => false,
    }
}

/// End of the stretch starting at `i` that normalisation copies unchanged:
/// printable ASCII, kept Arabic letters, and single spaces between them
/// (a space only when `space_ok` holds for the first byte, i.e. output is
/// not empty and no whitespace run is pending).
#[inline]
fn copy_stretch(bytes: &[u8], i: usize, space_ok: bool, opts: &NormalizeOptions) -> usize {
    let mut j = i;
    let mut prev_space = !space_ok;
    while j < bytes.len() {
        let x = bytes[j];
        if (0x21..=0x7E).contains(&x) {
            j += 1;
            prev_space = false;
        } else if x == b' ' {
            // A single space followed by something copyable.
            let next = bytes.get(j + 1).copied();
            let next_ok = match next {
                Some(n) if (0x21..=0x7E).contains(&n) => true,
                Some(n @ (0xD8 | 0xD9)) => {
                    bytes.get(j + 2).is_some_and(|&m| kept_arabic(n, m, opts))
                }
                _ => false,
            };
            if prev_space || !next_ok {
                break;
            }
            j += 1;
            prev_space = true;
        } else if (x == 0xD8 || x == 0xD9)
            && bytes.get(j + 1).is_some_and(|&m| kept_arabic(x, m, opts))
        {
            j += 2;
            prev_space = false;
        } else {
            break;
        }
    }
    j
}

/// Normalise with the default options (no ة or hamza-carrier folding).
pub fn normalize(text: &str) -> Normalized {
    normalize_with(text, &NormalizeOptions::default())
}

/// Normalise with explicit options.
pub fn normalize_with(text: &str, opts: &NormalizeOptions) -> Normalized {
    let mut b = Builder {
        text: String::with_capacity(text.len()),
        runs: Vec::with_capacity(16),
        space_from: None,
        content_end: 0,
    };
    let bytes = text.as_bytes();
    let mut i = 0;
    while i < bytes.len() {
        let byte = bytes[i];
        // Fast path: a stretch copied unchanged — printable ASCII, Arabic
        // letters kept as they are (two-byte sequences D8/D9 xx), and single
        // spaces between them.
        let j = copy_stretch(bytes, i, b.space_from.is_none() && !b.text.is_empty(), opts);
        if j > i {
            b.flush_space(i);
            let norm = b.text.len();
            b.text.push_str(&text[i..j]);
            b.push_run(norm, i, j, true);
            b.content_end = j;
            i = j;
            continue;
        }
        // Fast path: harakat and tatweel (U+064B..U+0652, U+0640) are dropped.
        if byte == 0xD9
            && bytes
                .get(i + 1)
                .is_some_and(|&x| x == 0x80 || (0x8B..=0x92).contains(&x))
        {
            if b.space_from.is_none() {
                b.content_end = i + 2;
            }
            i += 2;
            continue;
        }
        // General path: one character.
        let c = text[i..].chars().next().expect("char boundary");
        let end = i + c.len_utf8();
        match classify(c, opts) {
            Action::Keep => {
                b.emit(c, i, end, true);
                b.content_end = end;
            }
            Action::Drop => {
                if !c.is_whitespace() && b.space_from.is_none() {
                    b.content_end = end;
                }
            }
            Action::Space => {
                if b.space_from.is_none() {
                    b.space_from = Some(i);
                }
            }
            Action::Replace(r) => {
                let copy = r.len_utf8() == c.len_utf8();
                b.emit(r, i, end, copy);
                b.content_end = end;
            }
            Action::Nfkc => {
                let mut produced = false;
                for d in std::iter::once(c).nfkc() {
                    produced |= emit_folded(&mut b, d, i, end, opts);
                }
                if produced {
                    b.content_end = end;
                }
            }
        }
        i = end;
    }
    let end = if b.text.is_empty() { 0 } else { b.content_end };
    Normalized {
        text: b.text,
        runs: b.runs,
        end,
    }
}

/// Emit one character produced by NFKC, folding it like input text, as an
/// opaque run mapped to the whole source character.
fn emit_folded(
    b: &mut Builder,
    d: char,
    orig: usize,
    orig_end: usize,
    opts: &NormalizeOptions,
) -> bool {
    let out = match classify(d, opts) {
        Action::Keep => d,
        Action::Replace(r) => r,
        Action::Drop => return false,
        Action::Space => {
            if b.space_from.is_none() {
                b.space_from = Some(orig);
            }
            return false;
        }
        // Presentation forms do not decompose into presentation forms.
        Action::Nfkc => d,
    };
    // A pending space inside the same source maps to the whole source.
    if let Some(from) = b.space_from.take()
        && !b.text.is_empty()
    {
        let norm = b.text.len();
        b.text.push(' ');
        b.push_run(norm, from, orig.max(from), false);
    }
    let norm = b.text.len();
    b.text.push(out);
    b.push_run(norm, orig, orig_end, false);
    true
}

/// `normalize(text).text`: the key to use for dictionaries and comparisons.
pub fn fold(text: &str) -> String {
    normalize(text).text
}

/// The loosest key: every optional fold on (ة → ه, ؤ → و, ئ → ي).
pub fn fold_loose(text: &str) -> String {
    normalize_with(text, &NormalizeOptions::LOOSE).text
}
