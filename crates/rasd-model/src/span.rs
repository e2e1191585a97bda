//! Character spans into a text.
//!
//! Spans that leave the process (JSON, the store, the dashboard) count Unicode scalar
//! values ("characters"), because that is what a reader and most tools mean by an
//! offset. Inside Rust, slicing needs byte offsets, so both conversions live here.

use serde::{Deserialize, Serialize};

/// A half-open range `[start, end)` of character (Unicode scalar) offsets.
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize, Default,
)]
pub struct TextSpan {
    pub start: usize,
    pub end: usize,
}

impl TextSpan {
    pub fn new(start: usize, end: usize) -> Self {
        debug_assert!(start <= end, "span start {start} after end {end}");
        Self { start, end }
    }

    pub fn len(&self) -> usize {
        self.end - self.start
    }

    pub fn is_empty(&self) -> bool {
        self.start == self.end
    }

    /// The span covering byte range `bytes` of `text`. Byte offsets inside a
    /// character are rounded down to that character's start.
    pub fn from_byte_range(text: &str, bytes: std::ops::Range<usize>) -> Self {
        let start = char_offset(text, bytes.start);
        let end = char_offset(text, bytes.end.max(bytes.start));
        Self { start, end }
    }

    /// The byte range of this span in `text`, clamped to the text's end.
    pub fn to_byte_range(&self, text: &str) -> std::ops::Range<usize> {
        let mut indices = text
            .char_indices()
            .map(|(i, _)| i)
            .chain(std::iter::once(text.len()));
        let start = indices.nth(self.start).unwrap_or(text.len());
        let end = if self.end > self.start {
            indices.nth(self.end - self.start - 1).unwrap_or(text.len())
        } else {
            start
        };
        start..end
    }

    /// The text this span covers (empty when out of bounds).
    pub fn slice<'t>(&self, text: &'t str) -> &'t str {
        &text[self.to_byte_range(text)]
    }
}

fn floor_boundary(text: &str, byte: usize) -> usize {
    let mut b = byte.min(text.len());
    while !text.is_char_boundary(b) {
        b -= 1;
    }
    b
}

/// Number of characters before byte offset `byte` (rounded down to a boundary).
pub fn char_offset(text: &str, byte: usize) -> usize {
    text[..floor_boundary(text, byte)].chars().count()
}

/// Converts many byte offsets of one text to character offsets in one pass.
/// `bytes` need not be sorted; the result is in the same order.
pub fn char_offsets(text: &str, bytes: &[usize]) -> Vec<usize> {
    let mut order: Vec<usize> = (0..bytes.len()).collect();
    order.sort_by_key(|&i| bytes[i]);
    let mut out = vec![0; bytes.len()];
    let mut chars = 0;
    let mut pos = 0;
    for i in order {
        let target = floor_boundary(text, bytes[i]);
        if target > pos {
            chars += text[pos..target].chars().count();
            pos = target;
        }
        out[i] = chars;
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn round_trips_arabic_text() {
        let text = "قتل 3 في جاسم";
        let bytes = text.find("جاسم").unwrap();
        let span = TextSpan::from_byte_range(text, bytes..text.len());
        assert_eq!(span, TextSpan::new(9, 13));
        assert_eq!(span.slice(text), "جاسم");
        assert_eq!(span.to_byte_range(text), bytes..text.len());
    }

    #[test]
    fn out_of_bounds_is_clamped() {
        let text = "abc";
        assert_eq!(TextSpan::new(2, 10).slice(text), "c");
        assert_eq!(TextSpan::new(5, 10).slice(text), "");
    }

    #[test]
    fn many_offsets_in_one_pass() {
        let text = "أب جد";
        let b = text.find("جد").unwrap();
        assert_eq!(char_offsets(text, &[b, 0, text.len()]), vec![3, 0, 5]);
    }
}
