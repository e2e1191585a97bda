//! Sentence and word segmentation over the ORIGINAL text (byte ranges into it).
//!
//! Sentences end at `.` `!` `?` `؟` `…` (a run of them, with any closing
//! quotes or brackets right after), and at every line break: scraped pages put
//! one block per line. The Arabic comma ، and semicolon ؛ join clauses of one
//! sentence and do not end it (the annotated evidence keeps them inside).
//! A full stop does not end a sentence
//! - between digits (`2022.10.25`, `1.200`, `١٫٥`);
//! - after a one-letter abbreviation (`د.` before a name, `م.`, `ص.`, `U.S.`);
//! - when it is followed by a letter or digit without a space (`example.com`);
//! - inside an open quotation («…» or "…"), unless a line break comes first.
//!
//! A line that opens with a bullet or a number and a short label ending in a
//! colon («١- مخيم مرام (قرب كفرجالس):», «▪️ معربليت:») gives the label as a
//! segment of its own, so that the report after it is one sentence; so does
//! a short credit closed by a slash at the start of a line («أنقرة/ …»).

use std::ops::Range;

/// A sentence: the trimmed byte range in the input.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Sentence {
    /// Byte range in the input text, without surrounding whitespace.
    pub range: Range<usize>,
}

impl Sentence {
    /// The sentence's text.
    pub fn text<'a>(&self, source: &'a str) -> &'a str {
        &source[self.range.clone()]
    }
}

/// A word: letters, marks and digits, with number separators inside numbers.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Word<'a> {
    /// The word as it stands in the input.
    pub text: &'a str,
    /// Byte range in the input.
    pub range: Range<usize>,
}

impl<'a> Word<'a> {
    /// True when the word is made of digits (and number separators) only.
    pub fn is_number(&self) -> bool {
        self.text.chars().next().is_some_and(is_digit)
    }
}

#[inline]
pub(crate) fn is_digit(c: char) -> bool {
    c.is_ascii_digit()
        || ('\u{0660}'..='\u{0669}').contains(&c)
        || ('\u{06F0}'..='\u{06F9}').contains(&c)
}

/// Characters that belong inside a word: letters, combining marks, tatweel,
/// digits, and the zero-width (non-)joiners.
#[inline]
pub(crate) fn is_word_char(c: char) -> bool {
    if c.is_ascii() {
        return c.is_ascii_alphanumeric();
    }
    if ('\u{0621}'..='\u{064A}').contains(&c) || ('\u{064B}'..='\u{065F}').contains(&c) {
        return true;
    }
    matches!(c, '\u{0640}' | '\u{0670}' | '\u{200C}' | '\u{200D}')
        || crate::normalize::is_arabic_mark(c)
        || c.is_alphanumeric()
        || is_mark(c)
}

#[inline]
fn is_mark(c: char) -> bool {
    // General combining ranges (Latin diacritics etc.).
    matches!(c, '\u{0300}'..='\u{036F}' | '\u{1AB0}'..='\u{1AFF}' | '\u{1DC0}'..='\u{1DFF}' | '\u{20D0}'..='\u{20FF}' | '\u{FE20}'..='\u{FE2F}')
}

#[inline]
fn is_number_separator(c: char) -> bool {
    matches!(c, '.' | ',' | '\u{066B}' | '\u{066C}')
}

/// Split into words. Digits joined by `.` `,` `٫` `٬` stay one word
/// (`1,200`, `2022.10.25`, `١٬٢٠٠`).
pub fn words(text: &str) -> Vec<Word<'_>> {
    let mut out = Vec::with_capacity(text.len() / 6 + 1);
    for_each_word(text, |r| {
        out.push(Word {
            text: &text[r.clone()],
            range: r,
        })
    });
    out
}

/// Call `f` with the byte range of every word (no allocation).
pub fn for_each_word(text: &str, mut f: impl FnMut(Range<usize>)) {
    let bytes = text.as_bytes();
    let mut i = 0;
    let mut start: Option<usize> = None;
    let mut prev_digit = false;
    while i < bytes.len() {
        let b = bytes[i];
        // Fast path: Arabic letters, marks, tatweel and Arabic-Indic digits
        // (U+0620..U+063F, U+0640..U+0669) are two-byte word characters.
        if (b == 0xD8 && bytes.get(i + 1).is_some_and(|&x| x >= 0xA0))
            || (b == 0xD9 && bytes.get(i + 1).is_some_and(|&x| x <= 0xA9))
        {
            if start.is_none() {
                start = Some(i);
            }
            prev_digit = b == 0xD9 && bytes[i + 1] >= 0xA0;
            i += 2;
            continue;
        }
        let (c, len) = if b < 0x80 {
            (b as char, 1)
        } else {
            let c = text[i..].chars().next().expect("boundary");
            (c, c.len_utf8())
        };
        if is_word_char(c) {
            if start.is_none() {
                start = Some(i);
            }
            prev_digit = is_digit(c);
            i += len;
            continue;
        }
        if let Some(s) = start {
            // A separator between digits keeps the number together.
            if prev_digit && is_number_separator(c) {
                let next = text[i + len..].chars().next();
                if next.is_some_and(is_digit) {
                    i += len;
                    continue;
                }
            }
            f(s..i);
            start = None;
        }
        prev_digit = false;
        i += len;
    }
    if let Some(s) = start {
        f(s..bytes.len());
    }
}

#[inline]
fn is_terminator(c: char) -> bool {
    matches!(c, '.' | '!' | '?' | '؟' | '…' | '\u{06D4}')
}

#[inline]
fn is_closer(c: char) -> bool {
    matches!(c, '»' | '"' | '”' | '’' | ')' | ']' | '}' | '\'' | '›')
}

#[inline]
fn is_line_break(c: char) -> bool {
    matches!(
        c,
        '\n' | '\r' | '\u{2028}' | '\u{2029}' | '\u{0085}' | '\u{000B}' | '\u{000C}'
    )
}

/// Is the full stop at byte `dot` an abbreviation mark: the word before it
/// is one letter long (`د.`, `م.`, `U.`)?
fn is_abbreviation(text: &str, dot: usize) -> bool {
    let before = &text[..dot];
    let mut it = before
        .chars()
        .rev()
        .skip_while(|c| crate::normalize::is_arabic_mark(*c) || *c == '\u{0640}');
    let Some(letter) = it.next() else {
        return false;
    };
    if !letter.is_alphabetic() {
        return false;
    }
    match it.next() {
        None => true,
        Some(p) if is_word_char(p) => false,
        Some(_) => {
            // «2018 م.» / «1440 هـ.»: an era letter after a year ends the
            // sentence like the year would.
            if matches!(letter, 'م' | 'ه') {
                let trimmed = before.trim_end_matches(|c: char| {
                    c.is_alphabetic() || c == '\u{0640}' || crate::normalize::is_arabic_mark(c)
                });
                let trimmed = trimmed.trim_end();
                if trimmed.chars().next_back().is_some_and(is_digit) {
                    return false;
                }
            }
            true
        }
    }
}

/// Longest list-item label («١- مخيم مرام (قرب كفرجالس):») in characters.
const MAX_LABEL_CHARS: usize = 80;

/// A list item at `start` that opens with a bullet or a number and a short
/// label ending in a colon: the byte after the colon. Tallies and wire
/// round-ups put the place first («٢- كفرلاتة: قتل مدني …»); the label is
/// its own segment so that the report after it is a sentence.
fn list_label_end(text: &str, start: usize) -> Option<usize> {
    let rest = &text[start..];
    let body = rest.trim_start_matches([' ', '\t']);
    let mut chars = body.char_indices();
    let (_, first) = chars.next()?;
    let after_marker = if matches!(
        first,
        '•' | '▪' | '◾' | '►' | '●' | '■' | '-' | '*' | '–' | '◆' | '♦'
    ) {
        first.len_utf8()
    } else if is_digit(first) {
        let mut end = first.len_utf8();
        let mut found = false;
        for (i, c) in chars.by_ref() {
            if is_digit(c) {
                continue;
            }
            if matches!(c, '-' | ')' | '.' | '–' | '/') {
                end = i + c.len_utf8();
                found = true;
            }
            break;
        }
        if !found {
            return None;
        }
        end
    } else {
        return None;
    };
    let offset = start + (rest.len() - body.len()) + after_marker;
    for (n, (i, c)) in text[offset..].char_indices().enumerate() {
        if n > MAX_LABEL_CHARS || is_line_break(c) || matches!(c, '.' | '!' | '?' | '؟' | '«' | '"')
        {
            return None;
        }
        if c == ':' {
            let next = text[offset + i + 1..].chars().next();
            return next.is_some_and(|x| x == ' ').then_some(offset + i + 1);
        }
    }
    None
}

/// Longest credit before a slash at the start of a line («أنقرة/ الأناضول»).
const MAX_CREDIT_CHARS: usize = 40;

/// A line that opens with a short credit or dateline closed by a slash and
/// a space («شمس الجنوب/ توافد …», «دمشق/ …»): the byte after the slash.
/// Only letters and spaces may come before the slash, so month pairs
/// («أيلول/سبتمبر») and numbers are never cut.
fn credit_end(text: &str, start: usize) -> Option<usize> {
    // A credit ends at a slash within MAX_CREDIT_CHARS + 1 characters (at most
    // four bytes each): without a slash byte there, no credit (cheap test
    // before the per-character walk, which runs at every line start).
    let window = &text.as_bytes()[start..text.len().min(start + 4 * (MAX_CREDIT_CHARS + 1))];
    if !window.contains(&b'/') {
        return None;
    }
    let mut prev_letter = false;
    for (n, (i, c)) in text[start..].char_indices().enumerate() {
        if n > MAX_CREDIT_CHARS {
            return None;
        }
        if c == '/' {
            let after = text[start + i + 1..].chars().next();
            return (prev_letter && after == Some(' ')).then_some(start + i + 1);
        }
        if c.is_alphabetic() || crate::normalize::is_arabic_mark(c) || c == '\u{0640}' {
            prev_letter = true;
        } else if c == ' ' {
            prev_letter = false;
        } else {
            return None;
        }
    }
    None
}

/// A segment that opens a line on its own: a list label or a credit.
fn line_opener_end(text: &str, start: usize) -> Option<usize> {
    list_label_end(text, start).or_else(|| credit_end(text, start))
}

/// Split into sentences (see the module doc for the rules).
pub fn sentences(text: &str) -> Vec<Sentence> {
    let mut out = Vec::with_capacity(text.len() / 80 + 1);
    let mut start = 0usize;
    let mut guillemets = 0u32; // open « count
    let mut in_ascii_quote = false;
    let mut in_curly = 0u32;
    let bytes = text.as_bytes();
    let mut i = 0usize;

    let push = |out: &mut Vec<Sentence>, s: usize, e: usize| {
        let piece = &text[s..e];
        let trimmed_start = piece.len() - piece.trim_start_matches(is_trim).len();
        let rest = &piece[trimmed_start..];
        let trimmed = rest.trim_end_matches(is_trim);
        if !trimmed.is_empty() {
            let a = s + trimmed_start;
            out.push(Sentence {
                range: a..a + trimmed.len(),
            });
        }
    };

    if let Some(e) = line_opener_end(text, 0) {
        push(&mut out, 0, e);
        start = e;
        i = e;
    }
    while i < bytes.len() {
        let b = bytes[i];
        // Fast skip over bytes that cannot matter: Arabic letters (lead bytes
        // D8/D9 with their continuation) and ASCII letters/digits/space.
        if b == 0xD9 || (b == 0xD8 && bytes.get(i + 1).is_some_and(|&x| x >= 0xA0)) {
            i += 2;
            continue;
        }
        if b.is_ascii_alphanumeric() || b == b' ' || b == b',' || b == b'-' {
            i += 1;
            continue;
        }
        let c = if b < 0x80 {
            b as char
        } else {
            text[i..].chars().next().expect("boundary")
        };
        let len = c.len_utf8();
        if is_line_break(c) {
            push(&mut out, start, i);
            start = i + len;
            guillemets = 0;
            in_ascii_quote = false;
            in_curly = 0;
            i += len;
            if let Some(e) = line_opener_end(text, start) {
                push(&mut out, start, e);
                start = e;
                i = e;
            }
            continue;
        }
        match c {
            '«' => guillemets += 1,
            '»' => guillemets = guillemets.saturating_sub(1),
            '“' => in_curly += 1,
            '”' => in_curly = in_curly.saturating_sub(1),
            '"' => in_ascii_quote = !in_ascii_quote,
            _ => {}
        }
        if is_terminator(c) {
            let mut tight_arabic = false;
            if c == '.' {
                let prev = text[..i].chars().next_back();
                let next = text[i + 1..].chars().next();
                // «من المدينة.وسيطرت»: scraped copy often drops the space after
                // a full stop between two Arabic words; a word of three letters
                // or more before it is no abbreviation («د.»).
                let word_before = text[..i]
                    .chars()
                    .rev()
                    .take_while(|&ch| is_arabic_letter(ch))
                    .count();
                if word_before >= 3 && next.is_some_and(is_arabic_letter) {
                    tight_arabic = true;
                }
                // Inside a number, a domain or a tight abbreviation run.
                if !tight_arabic && next.is_some_and(is_word_char) && prev.is_some_and(is_word_char)
                {
                    i += 1;
                    continue;
                }
                if is_abbreviation(text, i) && next.is_some_and(|n| !is_line_break(n)) {
                    i += 1;
                    continue;
                }
            }
            // Consume the run of terminators and closers.
            let mut j = i + len;
            let mut closed_quote = false;
            while let Some(n) = text[j..].chars().next() {
                if is_terminator(n) {
                    j += n.len_utf8();
                } else if is_closer(n) {
                    match n {
                        '»' => {
                            guillemets = guillemets.saturating_sub(1);
                            closed_quote = true;
                        }
                        '”' => {
                            in_curly = in_curly.saturating_sub(1);
                            closed_quote = true;
                        }
                        '"' => {
                            if !in_ascii_quote {
                                break;
                            }
                            in_ascii_quote = false;
                            closed_quote = true;
                        }
                        _ => {}
                    }
                    j += n.len_utf8();
                } else {
                    break;
                }
            }
            let quoted = guillemets > 0 || in_ascii_quote || in_curly > 0;
            let next = text[j..].chars().next();
            let boundary_follows = match next {
                None => true,
                Some(n) => n.is_whitespace() || tight_arabic || (closed_quote && !is_word_char(n)),
            };
            if !quoted && boundary_follows {
                push(&mut out, start, j);
                start = j;
            }
            i = j;
            continue;
        }
        i += len;
    }
    push(&mut out, start, text.len());
    out
}

#[inline]
fn is_arabic_letter(c: char) -> bool {
    matches!(c, '\u{0621}'..='\u{064A}' | '\u{0671}'..='\u{06D3}')
}

#[inline]
fn is_trim(c: char) -> bool {
    c.is_whitespace()
        || matches!(c, '\u{200B}'..='\u{200F}' | '\u{202A}'..='\u{202E}' | '\u{2066}'..='\u{2069}' | '\u{FEFF}' | '\u{061C}')
}
