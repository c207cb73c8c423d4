//! A light word view of a document: tokens with byte offsets, sentences and line breaks.
//! Uses the segmenter's sentences when present and falls back on its own split otherwise,
//! so this crate works from whatever earlier stages annotated.

use lagebild_core::{Annotations, Document, Span};

/// A token with byte offsets into the document text.
#[derive(Clone, Debug)]
pub(crate) struct Tok {
    pub start: usize,
    pub end: usize,
    pub lower: String,
    /// Letters or digits (not punctuation).
    pub word: bool,
    /// Starts with an uppercase letter.
    pub cap: bool,
    /// A line break lies between the previous token and this one.
    pub newline_before: bool,
}

/// Tokens and sentences of one document.
pub(crate) struct View<'a> {
    pub doc: &'a Document,
    pub toks: Vec<Tok>,
    /// Sentences as half-open token index ranges, in order, covering all tokens.
    pub sents: Vec<std::ops::Range<usize>>,
}

impl<'a> View<'a> {
    pub fn new(doc: &'a Document, ann: &Annotations) -> View<'a> {
        let toks = tokenize(doc.text());
        let sents = if ann.sentences.is_empty() {
            split_sentences(&toks)
        } else {
            sentences_from(doc, ann, &toks)
        };
        View { doc, toks, sents }
    }

    pub fn text(&self, i: usize) -> &'a str {
        &self.doc.text()[self.toks[i].start..self.toks[i].end]
    }

    pub fn lower(&self, i: usize) -> &str {
        &self.toks[i].lower
    }

    /// Char span of the tokens `a..b` (b exclusive, b > a).
    pub fn span(&self, a: usize, b: usize) -> Span {
        self.doc
            .span_of_bytes(self.toks[a].start..self.toks[b - 1].end)
    }

    pub fn is_punct(&self, i: usize, p: &str) -> bool {
        !self.toks[i].word && self.text(i) == p
    }
}

fn is_word_char(c: char) -> bool {
    c.is_alphanumeric()
}

/// Splits text into words (letters/digits, joined by inner `-`, `.`, `'`, `/`) and single
/// punctuation chars. Linear in the text length.
pub(crate) fn tokenize(text: &str) -> Vec<Tok> {
    let mut toks = Vec::new();
    let mut chars = text.char_indices().peekable();
    let mut newline = false;
    while let Some((i, c)) = chars.next() {
        if c.is_whitespace() {
            newline |= c == '\n';
            continue;
        }
        let mut end = i + c.len_utf8();
        let word = is_word_char(c);
        if word {
            while let Some(&(j, d)) = chars.peek() {
                if is_word_char(d) {
                    end = j + d.len_utf8();
                    chars.next();
                } else if matches!(d, '-' | '.' | '\'' | '’' | '/') {
                    let next = text[j + d.len_utf8()..].chars().next();
                    if next.is_some_and(is_word_char) {
                        end = j + d.len_utf8();
                        chars.next();
                    } else {
                        break;
                    }
                } else {
                    break;
                }
            }
        }
        let s = &text[i..end];
        toks.push(Tok {
            start: i,
            end,
            lower: s.to_lowercase(),
            word,
            cap: c.is_uppercase(),
            newline_before: newline,
        });
        newline = false;
    }
    toks
}

fn is_opening_quote(s: &str) -> bool {
    matches!(s, "„" | "»" | "“" | "\"" | "‚" | "«")
}

/// Fallback sentence split: after `.`, `!`, `?` (and closing quotes) before an uppercase word or
/// an opening quote, unless the word before is a number or a single letter; at line breaks.
fn split_sentences(toks: &[Tok]) -> Vec<std::ops::Range<usize>> {
    let mut sents = Vec::new();
    let mut start = 0;
    for i in 0..toks.len() {
        if i > start && toks[i].newline_before {
            sents.push(start..i);
            start = i;
        }
        let t = &toks[i];
        if t.word || !matches!(t.lower.as_str(), "." | "!" | "?") {
            continue;
        }
        let mut end = i + 1;
        while end < toks.len()
            && !toks[end].word
            && !toks[end].newline_before
            && matches!(
                toks[end].lower.as_str(),
                "“" | "\"" | "«" | "»" | "‘" | "”" | ")"
            )
        {
            end += 1;
        }
        let Some(next) = toks.get(end) else { continue };
        let boundary = next.cap || is_opening_quote(&next.lower) || next.newline_before;
        let ordinal = t.lower == "."
            && i > 0
            && toks[i - 1].word
            && (toks[i - 1].lower.chars().all(|c| c.is_ascii_digit())
                || toks[i - 1].lower.chars().count() == 1);
        if boundary && !ordinal {
            sents.push(start..end);
            start = end;
        }
    }
    if start < toks.len() {
        sents.push(start..toks.len());
    }
    sents
}

/// Sentences of the segmenter mapped onto our tokens; tokens outside them start new sentences.
fn sentences_from(doc: &Document, ann: &Annotations, toks: &[Tok]) -> Vec<std::ops::Range<usize>> {
    let mut sents = Vec::new();
    let mut next = 0;
    for s in &ann.sentences {
        let bytes = doc.index().bytes(*s);
        let a = toks.partition_point(|t| t.end <= bytes.start).max(next);
        let b = toks.partition_point(|t| t.start < bytes.end).max(a);
        if a > next {
            sents.push(next..a);
        }
        if b > a {
            sents.push(a..b);
        }
        next = b;
    }
    if next < toks.len() {
        sents.push(next..toks.len());
    }
    sents
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tokens_keep_hyphens_and_split_quotes() {
        let toks = tokenize("„Kreml-Sprecher“ sagte: 1.000 Soldaten.");
        let words: Vec<&str> = toks.iter().map(|t| t.lower.as_str()).collect();
        assert_eq!(
            words,
            [
                "„",
                "kreml-sprecher",
                "“",
                "sagte",
                ":",
                "1.000",
                "soldaten",
                "."
            ]
        );
    }

    #[test]
    fn fallback_sentences_skip_ordinals() {
        let doc = Document::from_text("d", "Am 9. März kam er. Dann ging er.\nNeue Zeile");
        let view = View::new(&doc, &Annotations::default());
        let texts: Vec<String> = view
            .sents
            .iter()
            .map(|r| doc.slice(view.span(r.start, r.end)).to_string())
            .collect();
        assert_eq!(texts, ["Am 9. März kam er.", "Dann ging er.", "Neue Zeile"]);
    }
}
