//! A small byte-level tokeniser and sentence splitter, used when the segment stage has not filled
//! `ann.tokens`/`ann.sentences` (unit tests, the benchmark, stand-alone use). Linear in the input.

use std::ops::Range;

/// Longest token in bytes; longer runs are cut so that features stay bounded.
const MAX_TOKEN_BYTES: usize = 256;

fn is_word_char(c: char) -> bool {
    c.is_alphanumeric() || c == '_'
}

/// Byte ranges of tokens: runs of letters and digits (with inner hyphens, apostrophes, and
/// periods or commas between digits), every other non-space char on its own.
pub fn tokenize(text: &str) -> Vec<Range<usize>> {
    let mut out = Vec::with_capacity(text.len() / 6);
    let mut chars = text.char_indices().peekable();
    while let Some((start, c)) = chars.next() {
        if c.is_whitespace() || c.is_control() {
            continue;
        }
        if !is_word_char(c) {
            out.push(start..start + c.len_utf8());
            continue;
        }
        let mut end = start + c.len_utf8();
        let mut prev = c;
        while let Some(&(i, d)) = chars.peek() {
            if i - start >= MAX_TOKEN_BYTES {
                break;
            }
            let joins = if is_word_char(d) {
                true
            } else if matches!(d, '-' | '\'' | '’' | '.' | ',' | '/') {
                // Join only when a word char follows: "NATO-Generalsekretär", "12.000", "3,5".
                let next = text[i + d.len_utf8()..].chars().next();
                match (d, next) {
                    (_, None) => false,
                    ('.' | ',', Some(n)) => prev.is_ascii_digit() && n.is_ascii_digit(),
                    ('/', Some(n)) => prev.is_ascii_digit() && n.is_ascii_digit(),
                    (_, Some(n)) => is_word_char(n),
                }
            } else {
                false
            };
            if !joins {
                break;
            }
            chars.next();
            end = i + d.len_utf8();
            prev = d;
        }
        out.push(start..end);
    }
    out
}

/// Sentence ranges as token-index ranges: a sentence ends after `.`, `!` or `?` when the next token
/// starts with an upper-case letter, a digit or a quote, and at every line break.
pub fn sentences(text: &str, tokens: &[Range<usize>]) -> Vec<Range<usize>> {
    let mut out = Vec::new();
    let mut start = 0;
    for i in 0..tokens.len() {
        let end_here = if i + 1 == tokens.len() {
            true
        } else {
            let next = &tokens[i + 1];
            // Overlapping tokens (from another tokeniser) leave no gap rather than a bad slice.
            let gap = text.get(tokens[i].end..next.start).unwrap_or("");
            let tok = &text[tokens[i].clone()];
            gap.contains('\n')
                || (matches!(tok, "." | "!" | "?")
                    && !gap.is_empty()
                    && text[next.clone()]
                        .chars()
                        .next()
                        .is_some_and(|c| c.is_uppercase() || c.is_numeric() || "„\"»«".contains(c)))
        };
        if end_here {
            out.push(start..i + 1);
            start = i + 1;
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn words(text: &str) -> Vec<&str> {
        tokenize(text).into_iter().map(|r| &text[r]).collect()
    }

    #[test]
    fn keeps_compounds_numbers_and_splits_punctuation() {
        assert_eq!(
            words("„NATO-Generalsekretär“ zahlt 12.000 Euro, 3,5 %."),
            vec![
                "„",
                "NATO-Generalsekretär",
                "“",
                "zahlt",
                "12.000",
                "Euro",
                ",",
                "3,5",
                "%",
                "."
            ]
        );
    }

    #[test]
    fn splits_sentences() {
        let text = "Er kam. Sie ging! dann\nNeu";
        let toks = tokenize(text);
        let s = sentences(text, &toks);
        assert_eq!(s, vec![0..3, 3..7, 7..8]);
    }

    #[test]
    fn long_runs_are_cut() {
        let text = "a".repeat(1000);
        assert!(tokenize(&text).iter().all(|r| r.len() <= MAX_TOKEN_BYTES));
    }
}
