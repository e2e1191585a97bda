//! Bytes → text: byte-order mark, then the declared charset (HTTP header, XML
//! declaration), then a `<meta charset>` / `http-equiv` sniffed in the first
//! [`SNIFF_BYTES`](crate::limits::SNIFF_BYTES) bytes, then detection.
//!
//! Detection first accepts valid UTF-8; otherwise it weighs the two Arabic
//! single-byte charsets (windows-1256 and ISO-8859-6) by how much of the non-ASCII
//! text decodes to Arabic letters rather than accented Latin letters, C1 controls or
//! unmapped bytes, and falls back to `chardetng` for anything that is not Arabic.
//! Decoding itself is `encoding_rs`.

use crate::limits::{ARABIC_MIN_SHARE, SNIFF_BYTES};
use encoding_rs::{Encoding, ISO_8859_6, UTF_8, WINDOWS_1256};

/// Decoded text and how it was read.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Decoded {
    pub text: String,
    /// The WHATWG name of the encoding used ("UTF-8", "windows-1256", "ISO-8859-6", ...).
    pub encoding: &'static str,
    /// True when some bytes were not valid in that encoding (they became U+FFFD).
    pub had_errors: bool,
}

/// How the encoding was chosen (for diagnostics and tests).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Source {
    Bom,
    Declared,
    Meta,
    Detected,
}

/// Decodes `bytes`. `declared` is a charset label from outside the bytes (an HTTP
/// `Content-Type`, a feed's XML declaration, a manifest), or `None`.
pub fn decode(bytes: &[u8], declared: Option<&str>) -> Decoded {
    decode_explained(bytes, declared).0
}

/// [`decode`], also saying where the encoding came from.
pub fn decode_explained(bytes: &[u8], declared: Option<&str>) -> (Decoded, Source) {
    if let Some((enc, bom_len)) = Encoding::for_bom(bytes) {
        return (run(enc, &bytes[bom_len..]), Source::Bom);
    }
    if let Some(enc) = declared.and_then(label_to_encoding) {
        let out = run(enc, bytes);
        // A page labelled UTF-8 that is not UTF-8 is common (copied headers); when
        // detection finds a charset that reads it without errors, prefer that.
        if out.had_errors && enc == UTF_8 {
            let guess = detect(bytes);
            if guess != UTF_8 {
                let alt = run(guess, bytes);
                if !alt.had_errors {
                    return (alt, Source::Detected);
                }
            }
        }
        return (out, Source::Declared);
    }
    if let Some(enc) = sniff_declaration(&bytes[..bytes.len().min(SNIFF_BYTES)]) {
        let out = run(enc, bytes);
        if !(out.had_errors && enc == UTF_8) {
            return (out, Source::Meta);
        }
    }
    (run(detect(bytes), bytes), Source::Detected)
}

fn run(enc: &'static Encoding, bytes: &[u8]) -> Decoded {
    let (text, had_errors) = enc.decode_without_bom_handling(bytes);
    Decoded {
        text: text.into_owned(),
        encoding: enc.name(),
        had_errors,
    }
}

/// The encoding for a charset label (`"utf8"`, `"cp1256"`, `"arabic"` ...). UTF-16
/// labels are read as UTF-8, as browsers do for labels found inside the bytes.
pub fn label_to_encoding(label: &str) -> Option<&'static Encoding> {
    let label = label.trim().trim_matches(|c| c == '"' || c == '\'');
    let enc = Encoding::for_label(label.as_bytes()).or_else(|| {
        // A few labels seen in the wild that the WHATWG list lacks.
        match label.to_ascii_lowercase().as_str() {
            "cp-1256" | "win-1256" | "windows1256" | "ms-arab" => Some(WINDOWS_1256),
            "iso8859_6" | "iso_8859_6" | "iso-8859-6-i" | "asmo-708" => Some(ISO_8859_6),
            "utf_8" | "utf-8n" => Some(UTF_8),
            _ => None,
        }
    })?;
    if enc == encoding_rs::UTF_16LE || enc == encoding_rs::UTF_16BE {
        return Some(UTF_8);
    }
    if enc == encoding_rs::REPLACEMENT {
        return None;
    }
    Some(enc)
}

/// A charset declared inside the first bytes: `<meta charset=...>`,
/// `<meta http-equiv="Content-Type" content="...; charset=...">` or
/// `<?xml ... encoding="..."?>`.
pub fn sniff_declaration(head: &[u8]) -> Option<&'static Encoding> {
    let lower: Vec<u8> = head.iter().map(u8::to_ascii_lowercase).collect();
    if lower.starts_with(b"<?xml") {
        let end = memchr::memmem::find(&lower, b"?>").unwrap_or(lower.len());
        if let Some(v) = attr_value(&head[..end], &lower[..end], b"encoding") {
            if let Some(enc) = label_to_encoding(&String::from_utf8_lossy(v)) {
                return Some(enc);
            }
        }
    }
    let mut from = 0;
    while let Some(i) = memchr::memmem::find(&lower[from..], b"<meta") {
        let start = from + i;
        let end = lower[start..]
            .iter()
            .position(|&b| b == b'>')
            .map_or(lower.len(), |p| start + p);
        let (tag, tag_lower) = (&head[start..end], &lower[start..end]);
        if let Some(v) = attr_value(tag, tag_lower, b"charset") {
            if let Some(enc) = label_to_encoding(&String::from_utf8_lossy(v)) {
                return Some(enc);
            }
        }
        if let Some(content) = attr_value(tag, tag_lower, b"content") {
            if let Some(enc) = charset_param(content) {
                return Some(enc);
            }
        }
        from = end;
    }
    None
}

/// The `charset=` parameter of a Content-Type value.
pub fn charset_param(content_type: &[u8]) -> Option<&'static Encoding> {
    let lower: Vec<u8> = content_type.iter().map(u8::to_ascii_lowercase).collect();
    let i = memchr::memmem::find(&lower, b"charset")?;
    let rest = &content_type[i + 7..];
    let rest = rest.trim_ascii_start();
    let rest = rest.strip_prefix(b"=")?.trim_ascii_start();
    let rest = rest
        .strip_prefix(b"\"")
        .or_else(|| rest.strip_prefix(b"'"))
        .unwrap_or(rest);
    let end = rest
        .iter()
        .position(|&b| matches!(b, b'"' | b'\'' | b';' | b' ' | b',' | b'>' | b'/'))
        .unwrap_or(rest.len());
    label_to_encoding(&String::from_utf8_lossy(&rest[..end]))
}

/// The value of attribute `name` in a tag (case-insensitive name, quoted or not).
fn attr_value<'a>(tag: &'a [u8], lower: &[u8], name: &[u8]) -> Option<&'a [u8]> {
    let mut from = 0;
    while let Some(i) = memchr::memmem::find(&lower[from..], name) {
        let at = from + i;
        from = at + name.len();
        // The name must start an attribute: preceded by whitespace or a quote.
        if at > 0
            && !matches!(
                lower[at - 1],
                b' ' | b'\t' | b'\n' | b'\r' | b'"' | b'\'' | b'/'
            )
        {
            continue;
        }
        let mut j = at + name.len();
        while j < tag.len() && tag[j].is_ascii_whitespace() {
            j += 1;
        }
        if j >= tag.len() || tag[j] != b'=' {
            continue;
        }
        j += 1;
        while j < tag.len() && tag[j].is_ascii_whitespace() {
            j += 1;
        }
        if j >= tag.len() {
            return None;
        }
        let (start, stop): (usize, &[u8]) = match tag[j] {
            b'"' => (j + 1, b"\""),
            b'\'' => (j + 1, b"'"),
            _ => (j, b" \t\r\n>/"),
        };
        let end = tag[start..]
            .iter()
            .position(|b| stop.contains(b))
            .map_or(tag.len(), |p| start + p);
        return Some(&tag[start..end]);
    }
    None
}

/// Guesses the encoding of unlabelled bytes.
pub fn detect(bytes: &[u8]) -> &'static Encoding {
    if std::str::from_utf8(bytes).is_ok() {
        return UTF_8;
    }
    // Invalid UTF-8 only in the last 3 bytes: a sequence cut by truncation.
    if let Err(e) = std::str::from_utf8(bytes) {
        if e.error_len().is_none() && e.valid_up_to() > 0 {
            return UTF_8;
        }
    }
    let a = arabic_score(WINDOWS_1256, bytes);
    let b = arabic_score(ISO_8859_6, bytes);
    let best = if b.score() > a.score() { b } else { a };
    if best.non_ascii > 0 && best.arabic as f64 >= ARABIC_MIN_SHARE * best.non_ascii as f64 {
        return if b.score() > a.score() {
            ISO_8859_6
        } else {
            WINDOWS_1256
        };
    }
    let mut det = chardetng::EncodingDetector::new(chardetng::Iso2022JpDetection::Deny);
    det.feed(bytes, true);
    det.guess(None, chardetng::Utf8Detection::Allow)
}

#[derive(Debug, Clone, Copy, Default)]
struct ArabicScore {
    non_ascii: usize,
    arabic: usize,
    bad: usize,
}

impl ArabicScore {
    fn score(&self) -> i64 {
        self.arabic as i64 - 3 * self.bad as i64
    }
}

/// Counts, over the non-ASCII characters of `bytes` decoded with `enc`, the Arabic
/// letters (and Arabic punctuation/diacritics) against signs of the wrong charset:
/// Latin-1 letters, C1 controls, U+FFFD, and "Arabic" letters glued to Latin
/// letters inside one word (what accented Latin text becomes in an Arabic charset).
fn arabic_score(enc: &'static Encoding, bytes: &[u8]) -> ArabicScore {
    let (text, _) = enc.decode_without_bom_handling(bytes);
    let mut s = ArabicScore::default();
    let mut prev = ' ';
    let mut chars = text.chars().peekable();
    while let Some(c) = chars.next() {
        if c.is_ascii() {
            prev = c;
            continue;
        }
        s.non_ascii += 1;
        match c {
            '\u{0600}'..='\u{06FF}' => {
                let next = chars.peek().copied().unwrap_or(' ');
                if prev.is_ascii_alphabetic() || next.is_ascii_alphabetic() {
                    s.bad += 1;
                } else {
                    s.arabic += 1;
                }
            }
            '\u{0080}'..='\u{009F}' | '\u{FFFD}' | '\u{00C0}'..='\u{00FF}' => s.bad += 1,
            _ => {}
        }
        prev = c;
    }
    s
}

#[cfg(test)]
mod tests {
    use super::*;

    const SENTENCE: &str = "اجتمع أهالي القرية في الساحة الكبيرة صباح اليوم للاحتفال بافتتاح المدرسة الجديدة، وقال المدير إن الصفوف ستبدأ الأسبوع المقبل.";

    fn encode(enc: &'static Encoding, s: &str) -> Vec<u8> {
        let (bytes, _, had_errors) = enc.encode(s);
        assert!(!had_errors, "{} cannot encode the sample", enc.name());
        bytes.into_owned()
    }

    #[test]
    fn utf8_plain_and_with_bom() {
        let d = decode(SENTENCE.as_bytes(), None);
        assert_eq!(
            (d.text.as_str(), d.encoding, d.had_errors),
            (SENTENCE, "UTF-8", false)
        );
        let mut bom = vec![0xEF, 0xBB, 0xBF];
        bom.extend_from_slice(SENTENCE.as_bytes());
        let (d, src) = decode_explained(&bom, Some("windows-1256"));
        assert_eq!(src, Source::Bom);
        assert_eq!(d.text, SENTENCE);
    }

    #[test]
    fn detects_windows_1256() {
        let bytes = encode(WINDOWS_1256, SENTENCE);
        let (d, src) = decode_explained(&bytes, None);
        assert_eq!(src, Source::Detected);
        assert_eq!(d.encoding, "windows-1256");
        assert_eq!(d.text, SENTENCE);
    }

    #[test]
    fn detects_iso_8859_6() {
        // ISO-8859-6 has no hamza-on-alef forms beyond the basic ones and no Persian
        // letters; the sample uses only letters it has.
        let s = "ذهب الولد الى السوق مع والده واشتريا خبزا وجبنا ثم عادا الى البيت قبل المغرب";
        let bytes = encode(ISO_8859_6, s);
        let d = decode(&bytes, None);
        assert_eq!(d.encoding, "ISO-8859-6");
        assert_eq!(d.text, s);
        assert!(!d.had_errors);
    }

    #[test]
    fn declared_label_wins_over_detection() {
        let bytes = encode(WINDOWS_1256, SENTENCE);
        let (d, src) = decode_explained(&bytes, Some(" CP1256 "));
        assert_eq!(src, Source::Declared);
        assert_eq!(d.text, SENTENCE);
    }

    #[test]
    fn wrong_utf8_label_falls_back_to_detection() {
        let bytes = encode(WINDOWS_1256, SENTENCE);
        let d = decode(&bytes, Some("utf-8"));
        assert_eq!(d.encoding, "windows-1256");
        assert_eq!(d.text, SENTENCE);
    }

    #[test]
    fn meta_charset_is_sniffed() {
        let page = format!(
            "<html><head><meta http-equiv=\"Content-Type\" content=\"text/html; charset=windows-1256\"></head><body>{SENTENCE}</body></html>"
        );
        let bytes = encode(WINDOWS_1256, &page);
        let (d, src) = decode_explained(&bytes, None);
        assert_eq!(src, Source::Meta);
        assert!(d.text.contains(SENTENCE));
        let page2 = "<meta charset='iso-8859-6'><p>ذهب الولد الى السوق</p>";
        let d = decode(&encode(ISO_8859_6, page2), None);
        assert_eq!(d.encoding, "ISO-8859-6");
        let xml = "<?xml version=\"1.0\" encoding=\"windows-1256\"?><rss>مرحبا بكم</rss>";
        let (d, src) = decode_explained(&encode(WINDOWS_1256, xml), None);
        assert_eq!((src, d.encoding), (Source::Meta, "windows-1256"));
    }

    #[test]
    fn latin_text_goes_to_chardetng() {
        let (bytes, _, _) =
            encoding_rs::WINDOWS_1252.encode("Café crème, déjà vu à la française été");
        let d = decode(&bytes, None);
        assert_eq!(d.encoding, "windows-1252");
    }

    #[test]
    fn invalid_utf8_under_utf8_label_reports_errors() {
        let d = decode(b"abc \xff\xfe def", Some("utf-8"));
        assert!(d.text.starts_with("abc"));
        // windows-1252 reads these bytes without errors, so detection takes over.
        assert!(!d.had_errors || d.encoding == "UTF-8");
    }

    #[test]
    fn labels() {
        assert_eq!(label_to_encoding("utf-16"), Some(UTF_8));
        assert_eq!(label_to_encoding("nonsense"), None);
        assert_eq!(
            charset_param(b"text/html; Charset=\"ISO-8859-6\""),
            Some(ISO_8859_6)
        );
        assert_eq!(charset_param(b"text/html"), None);
    }
}
