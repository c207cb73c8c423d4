//! The tokeniser: one left-to-right pass over the text, a bounded look-ahead at each
//! punctuation mark, so its time is linear in the text length whatever the input.
//!
//! Conventions (those of the German news gold in `quotation-wikinews`, where sensible):
//! - Words keep internal hyphens, apostrophes and dots ("NATO-Generalsekretär", "People's",
//!   "ver.di"), a slash between capitals ("CDU/CSU"), digit groups ("12.000", "3,5", "1:0",
//!   "12:00") and the symbols glued to them ("US$", "AT&T"); a percent sign is a token
//!   ("5", "%"), as are other slashes ("km", "/", "h").
//! - A final full stop belongs to the word for abbreviations ("Dr.", "usw."), letter-dot chains
//!   ("z.B.", "e.V."), single letters ("K.", "z."), Roman numerals and numbers followed by a word
//!   ("22. September", "2011. Dabei"): the sentence splitter then decides whether that stop also
//!   ends the sentence.
//! - A hyphen left open before a conjunction stays with its word ("Luft- und Raumfahrt").
//! - URLs and e-mail addresses are one token; runs of `.`, `!`/`?`, `-` and `'` are one token
//!   ("...", "?!", "--", "''"); every other punctuation mark is a token of its own.
//! - Han, kana and Thai characters (scripts written without spaces) are one token each.
//! - Whitespace and control characters separate tokens and are never part of one.

use crate::rules::{AbbrevClass, Rules};
use std::ops::Range;

/// Characters that separate tokens and never belong to one.
pub(crate) fn is_space(c: char) -> bool {
    c.is_whitespace() || c.is_control() || matches!(c, '\u{200B}' | '\u{FEFF}' | '\u{2060}')
}

/// Punctuation that forms tokens of its own (unless a word-internal rule keeps it).
pub(crate) fn is_punct(c: char) -> bool {
    matches!(
        c,
        '.' | ','
            | ';'
            | ':'
            | '!'
            | '?'
            | '('
            | ')'
            | '['
            | ']'
            | '{'
            | '}'
            | '<'
            | '>'
            | '"'
            | '\''
            | '`'
            | '´'
            | '/'
            | '%'
            | '\\'
            | '|'
            | '-'
            | '‐'
            | '‑'
            | '‒'
            | '–'
            | '—'
            | '―'
            | '…'
            | '„'
            | '“'
            | '”'
            | '‚'
            | '‘'
            | '’'
            | '′'
            | '«'
            | '»'
            | '‹'
            | '›'
            | '¡'
            | '¿'
            | '·'
            | '•'
    )
}

/// Scripts written without spaces between words: each character is a token.
fn is_unspaced_script(c: char) -> bool {
    matches!(c as u32,
        0x0E00..=0x0E7F      // Thai
        | 0x3040..=0x30FF    // Hiragana, Katakana
        | 0x3400..=0x4DBF    // CJK extension A
        | 0x4E00..=0x9FFF    // CJK unified ideographs
        | 0xF900..=0xFAFF    // CJK compatibility ideographs
        | 0x20000..=0x2FA1F) // CJK extensions B–F
}

fn is_word_char(c: char) -> bool {
    !is_space(c) && !is_punct(c) && !is_unspaced_script(c)
}

fn is_dash(c: char) -> bool {
    matches!(c, '-' | '‐' | '‑' | '–')
}

fn is_apostrophe(c: char) -> bool {
    matches!(c, '\'' | '’' | '′' | 'ʼ')
}

/// The char starting at byte `i` (which must be a char boundary), if any.
#[inline]
fn char_at(text: &str, i: usize) -> Option<char> {
    text.get(i..).and_then(|s| s.chars().next())
}

/// The last char before byte `i`.
#[inline]
fn char_before(text: &str, i: usize) -> Option<char> {
    text.get(..i).and_then(|s| s.chars().next_back())
}

/// First char after byte `i` that is not a blank, staying on the same line.
fn next_on_line(text: &str, i: usize) -> Option<char> {
    text.get(i..)?
        .chars()
        .find(|&c| c == '\n' || !is_space(c))
        .filter(|&c| c != '\n')
}

impl Rules {
    /// Byte ranges of the tokens of `text`, in order, never empty, never overlapping.
    pub fn tokenize(&self, text: &str) -> Vec<Range<usize>> {
        let mut out = Vec::with_capacity(text.len() / 6 + 1);
        let mut i = 0;
        while let Some(c) = char_at(text, i) {
            let end = if is_space(c) {
                i += c.len_utf8();
                continue;
            } else if let Some(end) = url_end(text, i) {
                end
            } else if is_word_char(c) {
                self.word_end(text, i)
            } else {
                punct_end(text, i, c)
            };
            out.push(i..end);
            i = end;
        }
        out
    }

    /// End of the word starting at `start`, with its internal punctuation and, where it
    /// belongs to the word, its final full stop.
    fn word_end(&self, text: &str, start: usize) -> usize {
        let mut j = start;
        // Start of the current dot-separated segment, to spot "Ende.Der" (missing space).
        let mut segment = start;
        let mut has_at = false;
        loop {
            while let Some(c) = char_at(text, j).filter(|&c| is_word_char(c)) {
                has_at |= c == '@';
                j += c.len_utf8();
            }
            let (Some(c), Some(prev)) = (char_at(text, j), char_before(text, j)) else {
                break;
            };
            let after = j + c.len_utf8();
            let next = char_at(text, after);
            let glue = match (c, next) {
                (_, None) => false,
                ('.', Some(n)) => {
                    // "Ende.Der", "US-Dollar.Die": a word of two or more letters before a
                    // capital is a missing space, not an abbreviation ("z.B", "e.V").
                    let word_like = text[segment..j]
                        .chars()
                        .rev()
                        .take_while(|c| c.is_alphabetic())
                        .take(2)
                        .count()
                        == 2;
                    prev.is_alphanumeric()
                        && n.is_alphanumeric()
                        && (has_at || !(word_like && n.is_uppercase()))
                }
                (',', Some(n)) => prev.is_ascii_digit() && n.is_ascii_digit(),
                (':', Some(n)) => {
                    (prev.is_ascii_digit() && n.is_ascii_digit())
                        || (prev.is_lowercase() && n.is_lowercase())
                }
                // "CDU/CSU" is one name; "km/h", "SPD/Grüne", "2006/2007" are three tokens.
                ('/', Some(n)) => prev.is_uppercase() && n.is_uppercase(),
                (d, Some(n)) if is_dash(d) => is_word_char(n),
                (a, Some(n)) if is_apostrophe(a) => prev.is_alphabetic() && n.is_alphabetic(),
                _ => false,
            };
            if !glue {
                break;
            }
            j = after;
            if c == '.' {
                segment = j;
            }
        }
        let keep = match char_at(text, j) {
            // A stop before another stop starts an ellipsis ("usw...."), not an abbreviation.
            Some('.') => {
                char_at(text, j + 1) != Some('.') && self.keeps_stop(&text[start..j], text, j + 1)
            }
            Some('-') => self.open_hyphen(text, start, j),
            _ => false,
        };
        j + usize::from(keep)
    }

    /// Whether the full stop after `word` (ending at byte `after - 1`) belongs to it.
    fn keeps_stop(&self, word: &str, text: &str, after: usize) -> bool {
        let next = next_on_line(text, after);
        match self.abbreviation(word) {
            Some(AbbrevClass::Number) => return next.is_some_and(|c| c.is_ascii_digit()),
            Some(_) => return true,
            None => {}
        }
        let mut chars = word.chars();
        let first = chars.next();
        if first.is_some_and(char::is_alphabetic) && chars.next().is_none() {
            return true; // initial or one-letter abbreviation
        }
        if is_letter_dot_chain(word) {
            return true;
        }
        // Ordinals and dates ("22.", "29.10.", "XVI.") keep their stop when a word or an
        // opening quote follows ("die 22. „Konferenz“").
        let followed_by_word =
            next.is_some_and(|c| c.is_alphanumeric() || matches!(c, '„' | '‚' | '»'));
        followed_by_word && (is_number(word) || is_roman(word))
    }

    /// "Luft- und Raumfahrt", "Wirtschafts-, Sozial- und …": a hyphen that leaves a compound
    /// open before a conjunction or comma belongs to the word.
    fn open_hyphen(&self, text: &str, start: usize, hyphen: usize) -> bool {
        if !text[start..hyphen].chars().all(char::is_alphabetic) || hyphen - start < 2 {
            return false;
        }
        let rest = &text[hyphen + 1..];
        match rest.chars().next() {
            Some(',') => true,
            Some(' ') => rest
                .trim_start_matches(' ')
                .chars()
                .next()
                .is_some_and(char::is_lowercase),
            _ => false,
        }
    }
}

/// "z.B", "e.V", "U.S.A", "i.d.R": letter segments of at most two letters, one of them single.
fn is_letter_dot_chain(word: &str) -> bool {
    let mut single = false;
    let mut segments = 0;
    for seg in word.split('.') {
        let n = seg.chars().count();
        if n == 0 || n > 2 || !seg.chars().all(char::is_alphabetic) {
            return false;
        }
        single |= n == 1;
        segments += 1;
    }
    segments >= 2 && single
}

/// Digits, possibly grouped by dots ("22", "29.10", "12.000").
pub(crate) fn is_number(word: &str) -> bool {
    !word.is_empty()
        && word
            .split('.')
            .all(|s| !s.is_empty() && s.bytes().all(|b| b.is_ascii_digit()))
}

/// Roman numerals of ordinals in names ("II", "XVI"); only I, V and X, so that
/// acronyms such as "CDU" or "MDR" are not taken for numbers.
pub(crate) fn is_roman(word: &str) -> bool {
    word.len() >= 2 && word.bytes().all(|b| matches!(b, b'I' | b'V' | b'X'))
}

/// End of a token of punctuation starting at `i`.
fn punct_end(text: &str, i: usize, c: char) -> usize {
    let run = |pred: &dyn Fn(char) -> bool| {
        let len: usize = text[i..]
            .chars()
            .take_while(|&c| pred(c))
            .map(char::len_utf8)
            .sum();
        i + len
    };
    match c {
        '.' => run(&|c| c == '.'),
        '!' | '?' => run(&|c| c == '!' || c == '?'),
        '-' => run(&|c| c == '-'),
        '\'' => run(&|c| c == '\''),
        _ => i + c.len_utf8(),
    }
}

/// End of a URL or e-mail-less web address starting at `i` ("https://…", "www.…").
fn url_end(text: &str, i: usize) -> Option<usize> {
    let rest = &text[i..];
    let starts = |p: &str| {
        rest.as_bytes()
            .get(..p.len())
            .is_some_and(|h| h.eq_ignore_ascii_case(p.as_bytes()))
    };
    if !matches!(
        rest.as_bytes().first(),
        Some(b'h' | b'H' | b'f' | b'F' | b'w' | b'W')
    ) || !["http://", "https://", "ftp://", "www."]
        .iter()
        .any(|p| starts(p))
    {
        return None;
    }
    let mut end = i + rest
        .find(|c: char| is_space(c) || matches!(c, '"' | '<' | '>' | '„' | '“' | '”' | '«' | '»'))
        .unwrap_or(rest.len());
    // Trailing punctuation belongs to the sentence, not the address; a closing bracket
    // stays when the address opened one ("…/Kim_(Politiker)").
    let url = &text[i..end];
    let (mut round, mut square) = (
        bracket_balance(url, '(', ')'),
        bracket_balance(url, '[', ']'),
    );
    while let Some(last) = char_before(text, end) {
        let trim = match last {
            ')' => round < 0,
            ']' => square < 0,
            '.' | ',' | ';' | ':' | '!' | '?' | '\'' | '’' => true,
            _ => false,
        };
        if !trim {
            break;
        }
        match last {
            ')' => round += 1,
            ']' => square += 1,
            _ => {}
        }
        end -= last.len_utf8();
    }
    (end > i + 4).then_some(end)
}

/// Opening minus closing brackets in `s`.
fn bracket_balance(s: &str, open: char, close: char) -> i64 {
    s.chars()
        .fold(0, |n, c| n + i64::from(c == open) - i64::from(c == close))
}
