//! The one place that converts between byte offsets (what Rust string APIs use) and
//! Unicode-scalar offsets (what the output contract uses).

use serde::{Deserialize, Serialize};

/// A half-open range `[start, end)` of **char** offsets into a document's text.
#[derive(
    Clone, Copy, Debug, Default, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize,
)]
pub struct Span {
    pub start: usize,
    pub end: usize,
}

impl Span {
    pub fn new(start: usize, end: usize) -> Self {
        debug_assert!(start <= end, "span start {start} after end {end}");
        Span { start, end }
    }
    pub fn len(&self) -> usize {
        self.end - self.start
    }
    pub fn is_empty(&self) -> bool {
        self.end == self.start
    }
    pub fn contains(&self, other: Span) -> bool {
        self.start <= other.start && other.end <= self.end
    }
    pub fn overlaps(&self, other: Span) -> bool {
        self.start < other.end && other.start < self.end
    }
}

/// Byte ↔ char offset map of one text. ASCII texts take a fast path without a table.
#[derive(Clone, Debug, Default)]
pub struct CharIndex {
    /// Byte offset of every char, plus the text length at the end; empty when the text is ASCII.
    byte_of_char: Vec<u32>,
    len_bytes: usize,
}

impl CharIndex {
    pub fn new(text: &str) -> Self {
        assert!(
            text.len() < u32::MAX as usize,
            "documents over 4 GiB are not supported"
        );
        if text.is_ascii() {
            return CharIndex {
                byte_of_char: Vec::new(),
                len_bytes: text.len(),
            };
        }
        let mut byte_of_char: Vec<u32> = text.char_indices().map(|(b, _)| b as u32).collect();
        byte_of_char.push(text.len() as u32);
        CharIndex {
            byte_of_char,
            len_bytes: text.len(),
        }
    }

    fn is_ascii(&self) -> bool {
        self.byte_of_char.is_empty()
    }

    /// Number of chars in the text.
    pub fn len_chars(&self) -> usize {
        if self.is_ascii() {
            self.len_bytes
        } else {
            self.byte_of_char.len() - 1
        }
    }

    /// Byte offset of char offset `c` (clamped to the text end).
    pub fn byte(&self, c: usize) -> usize {
        if self.is_ascii() {
            c.min(self.len_bytes)
        } else {
            self.byte_of_char[c.min(self.byte_of_char.len() - 1)] as usize
        }
    }

    /// Char offset of byte offset `b`; a byte inside a multi-byte char maps to that char.
    pub fn char(&self, b: usize) -> usize {
        if self.is_ascii() {
            b.min(self.len_bytes)
        } else {
            match self.byte_of_char.binary_search(&(b as u32)) {
                Ok(i) => i,
                Err(i) => i.saturating_sub(1),
            }
        }
    }

    /// Char span of a byte range.
    pub fn span(&self, bytes: std::ops::Range<usize>) -> Span {
        Span::new(self.char(bytes.start), self.char(bytes.end))
    }

    /// Byte range of a char span.
    pub fn bytes(&self, span: Span) -> std::ops::Range<usize> {
        self.byte(span.start)..self.byte(span.end)
    }
}

/// Escapes text for HTML element content and attribute values: the one escaper every
/// HTML sink (dossier, web UI, search snippets) uses, so article text is never markup.
pub fn escape_html(s: &str) -> String {
    let mut out = String::with_capacity(s.len() + 16);
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c => out.push(c),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escapes_markup_and_quotes() {
        assert_eq!(
            escape_html("<a href=\"x\">'&'</a>"),
            "&lt;a href=&quot;x&quot;&gt;&#39;&amp;&#39;&lt;/a&gt;"
        );
    }

    #[test]
    fn ascii_is_identity() {
        let ix = CharIndex::new("hello world");
        assert_eq!(ix.char(5), 5);
        assert_eq!(ix.byte(5), 5);
        assert_eq!(ix.len_chars(), 11);
    }

    #[test]
    fn umlauts_and_quotes_map_both_ways() {
        let text = "„Öl“ für Pjöngjang";
        let ix = CharIndex::new(text);
        assert_eq!(ix.len_chars(), text.chars().count());
        for (c, (b, _)) in text.char_indices().enumerate() {
            assert_eq!(ix.byte(c), b);
            assert_eq!(ix.char(b), c);
        }
        assert_eq!(ix.byte(ix.len_chars()), text.len());
        let bytes = ix.bytes(Span::new(1, 3));
        assert_eq!(&text[bytes], "Öl");
    }

    #[test]
    fn byte_inside_char_maps_to_that_char() {
        let ix = CharIndex::new("aüb");
        assert_eq!(ix.char(2), 1);
        assert_eq!(ix.char(3), 2);
    }
}
