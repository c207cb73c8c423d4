//! The sentence splitter: decides after which tokens a sentence ends. One pass over the
//! tokens with a look-ahead of one token (plus the closing quotes and brackets that follow a
//! stop), so linear in the number of tokens.
//!
//! Where a sentence ends:
//! - after `.`, `!`, `?`, `?!` and the closing quotes or brackets glued to them, unless the
//!   next token starts in lower case ("„…beendet.“ sagte er", "… usw. und"; but "eBay" starts a
//!   sentence) or is a comma, colon, semicolon, dash or closing bracket; "Yahoo!News" is a name;
//! - never after an ellipsis (`...`, `…`) on the same line: it marks an omission or a voice
//!   trailing off, mid-sentence as often as at the end;
//! - after a stop that belongs to a word (see [`crate::tokenize`]): never for titles ("Dr.",
//!   "Nr."), before any capitalised word for "usw."/"etc.", before a capitalised word or quote
//!   after a year or a cardinal ("im Jahr 2011. Dabei") or a number after a noun ("auf Platz
//!   19. Trainer …", "Benedikt XVI. „Die …"), and otherwise (ordinals, dates, initials, other
//!   abbreviations) only before a word that can only start a sentence ("Bayern wurde 2. Der
//!   Verein …" but "am 22. September", "Heidi K. erhob");
//! - after a semicolon outside brackets, before a word: it joins main clauses ("…gedauert;
//!   die Berichterstatter …") and, in news, separates the items of lists of results ("CDU 31
//!   Prozent; SPD 28 Prozent"), which the German news gold splits as well;
//! - at a blank line always, and at a single line break (a headline without a full stop ends
//!   at its line) unless the next line starts in lower case or the line ends with a comma or an
//!   open hyphen: then the line was only wrapped.
//!
//! A colon ends a sentence only when a full clause follows it and a full clause precedes it:
//! the next word is one that can only start a sentence ("…senkte die US-Notenbank die Zinsen:
//! Der Diskontsatz wurde …") and at least four words stand before the colon (so a label such as
//! "Energiepolitik: Die SPD …" stays with its sentence). A colon before speech never ends a
//! sentence: neither before a quotation ("Er sagte: „Das war …“") nor after a verb of saying
//! ("Der Minister sagte am Montag: Die Lage sei ernst."), so the quotation keeps its speaker and
//! cue in the sentence that the quote stage looks at. The gold of
//! quotation-wikinews splits before about a third of the quotations after a colon and half of
//! the capitalised words, with no rule we could find telling which; keeping quotations whole
//! costs that gold about 1 point of recall. A colon followed by a line break ends a sentence
//! like any line break.

use crate::rules::{AbbrevClass, Rules};
use crate::tokenize::{is_number, is_punct, is_roman};
use std::ops::Range;

/// Quotes and brackets that close a sentence when glued to its final stop.
fn is_closer(tok: &str) -> bool {
    matches!(
        tok,
        ")" | "]" | "“" | "”" | "\"" | "»" | "«" | "‘" | "’" | "'" | "''" | "›" | "‹"
    )
}

/// Quotation marks that can open a quotation.
fn is_quote_opener(c: char) -> bool {
    matches!(c, '„' | '"' | '»' | '«' | '‚' | '“')
}

/// Quotes and brackets that can open a sentence.
fn is_opener(c: char) -> bool {
    matches!(
        c,
        '„' | '"' | '»' | '«' | '‚' | '“' | '(' | '[' | '\'' | '‹' | '›'
    )
}

fn is_strong_stop(tok: &str) -> bool {
    tok == "…" || (!tok.is_empty() && tok.bytes().all(|b| matches!(b, b'.' | b'!' | b'?')))
}

fn is_ellipsis(tok: &str) -> bool {
    tok == "…" || (tok.len() >= 2 && tok.bytes().all(|b| b == b'.'))
}

impl Rules {
    /// Byte ranges of the sentences of `text`, given its tokens (as from
    /// [`Rules::tokenize`]): each sentence runs from its first token's start to its last
    /// token's end, so sentences never start or end with whitespace and cover every token.
    pub fn split_sentences(&self, text: &str, tokens: &[Range<usize>]) -> Vec<Range<usize>> {
        let mut out = Vec::new();
        let n = tokens.len();
        let tok = |k: usize| &text[tokens[k].clone()];
        let mut first = 0;
        let mut depth = 0u32;
        let mut k = 0;
        while k < n {
            match tok(k) {
                "(" | "[" => depth += 1,
                ")" | "]" => depth = depth.saturating_sub(1),
                _ => {}
            }
            let last = self
                .sentence_end(text, tokens, first, k, depth)
                .or_else(|| (k + 1 == n || self.line_ends_sentence(text, tokens, k)).then_some(k));
            match last {
                Some(last) => {
                    out.push(tokens[first].start..tokens[last].end);
                    first = last + 1;
                    depth = 0;
                    k = last + 1;
                }
                None => k += 1,
            }
        }
        out
    }

    /// If a punctuation rule ends a sentence at token `k`, the index of the sentence's last
    /// token (`k` or a closing quote/bracket glued to it).
    fn sentence_end(
        &self,
        text: &str,
        tokens: &[Range<usize>],
        first: usize,
        k: usize,
        depth: u32,
    ) -> Option<usize> {
        let tok = |k: usize| &text[tokens[k].clone()];
        let t = tok(k);
        let strong = is_strong_stop(t);
        let word_stop = !strong && t.len() > 1 && t.ends_with('.');
        if t == ";" {
            let next = tokens.get(k + 1).map(|r| &text[r.clone()])?;
            let c = next.chars().next()?;
            return (depth == 0 && (c.is_alphabetic() || is_opener(c))).then_some(k);
        }
        if t == ":" {
            let next = tokens.get(k + 1).map(|r| &text[r.clone()])?;
            // Bounded look-back, so a long run of colons stays linear.
            let words: Vec<&str> = (first..k)
                .rev()
                .take(32)
                .map(tok)
                .filter(|w| w.starts_with(char::is_alphanumeric))
                .collect();
            let speech = words.iter().take(6).any(|w| self.is_speech_verb(w));
            let ok = words.len() >= 4 && !speech && self.is_starter(next);
            return (depth == 0 && ok).then_some(k);
        }
        if !strong && !word_stop {
            return None;
        }
        // An ellipsis marks an omission or a voice trailing off, in mid-sentence as often as
        // at its end: only a line break after it ends the sentence.
        if strong && is_ellipsis(t) {
            return None;
        }
        // Closing quotes and brackets glued to the stop belong to the ending sentence.
        let mut last = k;
        while last + 1 < tokens.len()
            && tokens[last + 1].start == tokens[last].end
            && is_closer(tok(last + 1))
        {
            last += 1;
        }
        let Some(next_range) = tokens.get(last + 1) else {
            return Some(last);
        };
        if line_breaks(&text[tokens[last].end..next_range.start]) > 0 {
            return Some(last);
        }
        let next = tok(last + 1);
        let c = next.chars().next()?;
        // "eBay", "iPhone": a lower-case start with a capital inside is a name.
        let camel = next.chars().skip(1).any(char::is_uppercase);
        if c.is_lowercase() && !(strong && camel) {
            return None;
        }
        let opens = c.is_uppercase() || c.is_numeric() || is_opener(c) || !is_punct(c);
        if strong {
            // "Yahoo!News", "E!Online": a mark glued to the next word is part of a name.
            let glued =
                tokens[last].end == next_range.start && c.is_alphanumeric() && !t.starts_with('.');
            return (opens && !glued).then_some(last);
        }
        let word = &t[..t.len() - 1];
        let starter = self.is_starter(next);
        // "auf Platz 19.", "Benedikt XVI.": a number after a noun is a count or a regnal
        // number, not an ordinal before its noun, so its stop can end the sentence.
        let after_noun = k > 0 && {
            let prev = tok(k - 1);
            prev.starts_with(char::is_uppercase)
                && prev.chars().all(char::is_alphabetic)
                && !self.is_starter(prev)
        };
        // A capitalised word, or a quotation that opens with one, follows.
        let capital_follows = if is_quote_opener(c) {
            tokens
                .get(last + 2)
                .is_some_and(|r| text[r.clone()].starts_with(char::is_uppercase))
        } else {
            c.is_uppercase() && !self.is_month(next)
        };
        let ends = match self.abbreviation(word) {
            Some(AbbrevClass::Title | AbbrevClass::Number) => false,
            Some(AbbrevClass::Final) => capital_follows,
            Some(AbbrevClass::Any) => starter,
            None if is_number(word) => {
                starter
                    || (is_cardinal(word) && (capital_follows || c.is_ascii_digit()))
                    || (after_noun && capital_follows)
            }
            None if is_roman(word) => starter || (after_noun && capital_follows),
            None => starter,
        };
        ends.then_some(last)
    }

    /// Whether the line break after token `k` (if any) ends the sentence.
    fn line_ends_sentence(&self, text: &str, tokens: &[Range<usize>], k: usize) -> bool {
        let Some(next) = tokens.get(k + 1) else {
            return true;
        };
        let gap = &text[tokens[k].end..next.start];
        let breaks = line_breaks(gap);
        if breaks == 0 {
            return false;
        }
        if breaks >= 2 {
            return true;
        }
        let t = &text[tokens[k].clone()];
        let wrapped = text[next.clone()].starts_with(char::is_lowercase)
            || t == ","
            || (t.len() > 1 && t.ends_with('-'));
        !wrapped
    }
}

/// Line breaks in the whitespace between two tokens (`\r\n` counts once).
fn line_breaks(gap: &str) -> usize {
    gap.chars()
        .filter(|&c| matches!(c, '\n' | '\u{2028}' | '\u{2029}'))
        .count()
}

/// A year or a count ("2011", "12.000", "1.1.2011") rather than an ordinal or a day and month.
fn is_cardinal(word: &str) -> bool {
    let last = word.rsplit('.').next().unwrap_or("");
    last.len() >= 3 && word.bytes().filter(u8::is_ascii_digit).count() >= 4
}
