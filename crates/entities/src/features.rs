//! Feature extraction for the sequence tagger: hashed string features per token.

use crate::lexicon::{Lexicon, WordStat};
use lagebild_core::EntityKind;

/// Words longer than this (in chars) contribute only shape features: bounded work per token.
const MAX_WORD_CHARS: usize = 64;

/// FNV-1a over a template id and the bytes of its value, folded to 32 bits.
#[derive(Clone, Copy)]
struct Fnv(u64);

impl Fnv {
    fn new(template: u8) -> Fnv {
        let mut h = Fnv(0xcbf2_9ce4_8422_2325);
        h.byte(template);
        h
    }
    fn byte(&mut self, b: u8) {
        self.0 ^= b as u64;
        self.0 = self.0.wrapping_mul(0x0000_0100_0000_01b3);
    }
    fn bytes(mut self, bs: &[u8]) -> Fnv {
        for &b in bs {
            self.byte(b);
        }
        self
    }
    fn sep(mut self) -> Fnv {
        self.byte(0xff);
        self
    }
    fn finish(self) -> u32 {
        (self.0 ^ (self.0 >> 32)) as u32
    }
}

/// What is precomputed once per token before features are combined.
struct TokenInfo {
    lower: String,
    shape: String,
    short: String,
    capital: bool,
    /// Gazetteer code: 0 none, else kind*2 + (1 = begin, 2 = inside).
    gaz: u8,
    first_name: bool,
    role: bool,
    country_adj: bool,
    /// Formed from a place name ("Hamburger", "preußische").
    place_deriv: bool,
    /// A known common noun form.
    noun: bool,
    stat: WordStat,
    /// Large automatic lists: 1 = begins a place, 2 = inside a place, 4 = given name, 8 = surname.
    auto: u8,
}

fn shapes(word: &str) -> (String, String) {
    let mut shape = String::new();
    let mut short = String::new();
    for c in word.chars().take(MAX_WORD_CHARS) {
        let s = if c.is_uppercase() {
            'X'
        } else if c.is_lowercase() {
            'x'
        } else if c.is_numeric() {
            'd'
        } else {
            c
        };
        if shape.chars().count() < 12 {
            shape.push(s);
        }
        if !short.ends_with(s) {
            short.push(s);
        }
    }
    (shape, short)
}

fn kind_code(kind: EntityKind) -> u8 {
    match kind {
        EntityKind::Person => 1,
        EntityKind::Organization => 2,
        EntityKind::Location => 3,
        EntityKind::Other => 4,
    }
}

/// Hashed features of every token of a sentence, written flat into `feats`;
/// `offsets[i]..offsets[i+1]` are the features of token `i`.
pub fn extract(lex: &Lexicon, words: &[&str], feats: &mut Vec<u32>, offsets: &mut Vec<usize>) {
    feats.clear();
    offsets.clear();
    let lower: Vec<String> = words
        .iter()
        .map(|w| {
            if w.len() > MAX_WORD_CHARS * 4 {
                String::new()
            } else {
                w.to_lowercase()
            }
        })
        .collect();
    let mut gaz = vec![0u8; words.len()];
    let mut i = 0;
    while i < words.len() {
        let capital = words[i].chars().next().is_some_and(char::is_uppercase);
        match lex.gazetteer_match(&lower, i).filter(|_| capital) {
            Some((len, kind)) => {
                let k = kind_code(kind) * 2;
                gaz[i] = k + 1;
                for g in &mut gaz[i + 1..i + len] {
                    *g = k + 2;
                }
                i += len;
            }
            None => i += 1,
        }
    }
    let mut auto = vec![0u8; words.len()];
    let mut i = 0;
    while i < words.len() {
        let capital = words[i].chars().next().is_some_and(char::is_uppercase);
        if capital {
            if lex.is_given_name(&lower[i]) {
                auto[i] |= 4;
            }
            if lex.is_surname(&lower[i]) {
                auto[i] |= 8;
            }
        }
        match lex.geo_match(&lower, i).filter(|_| capital) {
            Some(len) => {
                auto[i] |= 1;
                for a in &mut auto[i + 1..i + len] {
                    *a |= 2;
                }
                i += len;
            }
            None => i += 1,
        }
    }
    let info: Vec<TokenInfo> = words
        .iter()
        .zip(lower)
        .zip(gaz)
        .zip(auto)
        .map(|(((w, lower), gaz), auto)| {
            let (shape, short) = shapes(w);
            let capital = w.chars().next().is_some_and(char::is_uppercase);
            TokenInfo {
                first_name: capital && lex.is_first_name(&lower),
                role: capital && lex.role_base(&lower).is_some(),
                country_adj: lex.is_country_adjective(&lower),
                place_deriv: lex.is_place_derivative(&lower),
                noun: lex.is_noun(&lower),
                stat: lex.word_stat(&lower),
                auto,
                lower,
                shape,
                short,
                capital,
                gaz,
            }
        })
        .collect();
    // Inside quotation marks: titles of works and events (GermEval OTH) are often quoted.
    let mut quoted = vec![false; words.len()];
    let mut open: Option<usize> = None;
    for (i, w) in words.iter().enumerate() {
        match *w {
            "„" | "»" | "«" | "\"" | "“" | "”" | "``" | "''" => match open {
                Some(o) if i > o + 1 && i - o <= 12 => {
                    for q in &mut quoted[o + 1..i] {
                        *q = true;
                    }
                    open = None;
                }
                _ => open = Some(i),
            },
            _ => {}
        }
    }
    const BOS: &str = "<s>";
    const EOS: &str = "</s>";
    let n = words.len();
    let low = |j: isize| -> &str {
        if j < 0 {
            BOS
        } else if j as usize >= n {
            EOS
        } else {
            &info[j as usize].lower
        }
    };
    let short = |j: isize| -> &str {
        if j < 0 {
            BOS
        } else if j as usize >= n {
            EOS
        } else {
            &info[j as usize].short
        }
    };
    for (i, t) in info.iter().enumerate() {
        offsets.push(feats.len());
        let ii = i as isize;
        let mut push = |f: u32| feats.push(f);
        push(Fnv::new(0).finish());
        if !t.lower.is_empty() {
            push(Fnv::new(1).bytes(words[i].as_bytes()).finish());
            push(Fnv::new(2).bytes(t.lower.as_bytes()).finish());
            let chars: Vec<(usize, char)> = t.lower.char_indices().collect();
            let len = chars.len();
            for k in 1..=4.min(len) {
                let end = chars.get(k).map_or(t.lower.len(), |c| c.0);
                push(
                    Fnv::new(2 + k as u8)
                        .bytes(&t.lower.as_bytes()[..end])
                        .finish(),
                );
            }
            for k in 1..=5.min(len) {
                let start = chars[len - k].0;
                push(
                    Fnv::new(6 + k as u8)
                        .bytes(&t.lower.as_bytes()[start..])
                        .finish(),
                );
            }
            if let Some((head, tail)) = t.lower.split_once('-') {
                let last = t.lower.rsplit('-').next().unwrap_or(tail);
                push(Fnv::new(32).bytes(head.as_bytes()).finish());
                push(Fnv::new(33).bytes(last.as_bytes()).finish());
                let part: Vec<String> = vec![head.to_string()];
                if let Some((_, kind)) = lex.gazetteer_match(&part, 0) {
                    push(Fnv::new(34).bytes(&[kind_code(kind)]).finish());
                }
                if lex.is_country_adjective(last) {
                    push(Fnv::new(35).finish());
                }
                // What the first part of a compound is: names there make GermEval's `part` classes.
                let mut bits = 0u8;
                if lex.is_place_variant(head) {
                    bits |= 1;
                }
                if lex.is_given_name(head) {
                    bits |= 4;
                }
                if lex.is_surname(head) {
                    bits |= 8;
                }
                let hs = lex.word_stat(head);
                push(
                    Fnv::new(69)
                        .bytes(&[bits, hs.classes, hs.zipf / 10, t.capital as u8])
                        .finish(),
                );
                if let Some((h, _)) = words[i].split_once('-') {
                    push(Fnv::new(70).bytes(shapes(h).1.as_bytes()).finish());
                }
            }
        }
        push(Fnv::new(12).bytes(t.shape.as_bytes()).finish());
        push(Fnv::new(13).bytes(t.short.as_bytes()).finish());
        push(
            Fnv::new(14)
                .bytes(&[(i == 0) as u8, t.capital as u8])
                .finish(),
        );
        push(Fnv::new(15).bytes(low(ii - 1).as_bytes()).finish());
        push(Fnv::new(16).bytes(low(ii + 1).as_bytes()).finish());
        push(Fnv::new(17).bytes(low(ii - 2).as_bytes()).finish());
        push(Fnv::new(18).bytes(low(ii + 2).as_bytes()).finish());
        push(
            Fnv::new(19)
                .bytes(low(ii - 1).as_bytes())
                .sep()
                .bytes(t.lower.as_bytes())
                .finish(),
        );
        push(
            Fnv::new(20)
                .bytes(t.lower.as_bytes())
                .sep()
                .bytes(low(ii + 1).as_bytes())
                .finish(),
        );
        push(
            Fnv::new(21)
                .bytes(short(ii - 1).as_bytes())
                .sep()
                .bytes(t.short.as_bytes())
                .finish(),
        );
        push(
            Fnv::new(22)
                .bytes(t.short.as_bytes())
                .sep()
                .bytes(short(ii + 1).as_bytes())
                .finish(),
        );
        push(
            Fnv::new(36)
                .bytes(low(ii - 1).as_bytes())
                .sep()
                .bytes(t.short.as_bytes())
                .finish(),
        );
        let prev = i.checked_sub(1).map(|p| &info[p]);
        let next = info.get(i + 1);
        if t.gaz != 0 {
            push(Fnv::new(23).bytes(&[t.gaz]).finish());
            push(
                Fnv::new(37)
                    .bytes(&[t.gaz])
                    .bytes(t.short.as_bytes())
                    .finish(),
            );
        }
        push(Fnv::new(24).bytes(&[prev.map_or(255, |p| p.gaz)]).finish());
        push(Fnv::new(25).bytes(&[next.map_or(255, |p| p.gaz)]).finish());
        let is_noun = |x: &TokenInfo| x.noun;
        if t.noun {
            push(Fnv::new(43).bytes(&[(i == 0) as u8]).finish());
            push(Fnv::new(44).bytes(t.short.as_bytes()).finish());
        } else if t.capital && lex.has_noun_head(&t.lower) {
            push(Fnv::new(45).finish());
        }
        if prev.is_some_and(is_noun) {
            push(Fnv::new(46).finish());
        }
        if next.is_some_and(is_noun) {
            push(Fnv::new(47).finish());
        }
        let initial = (i == 0) as u8;
        push(
            Fnv::new(60)
                .bytes(&[t.stat.zipf / 5, t.capital as u8, initial])
                .finish(),
        );
        push(
            Fnv::new(61)
                .bytes(&[t.stat.classes, t.capital as u8, initial])
                .finish(),
        );
        if t.auto != 0 {
            push(Fnv::new(62).bytes(&[t.auto]).finish());
            push(
                Fnv::new(63)
                    .bytes(&[t.auto, (t.stat.classes != 0) as u8, initial])
                    .finish(),
            );
        }
        push(
            Fnv::new(64)
                .bytes(&[prev.map_or(255, |p| p.auto), next.map_or(255, |p| p.auto)])
                .finish(),
        );
        if quoted[i] {
            push(Fnv::new(51).bytes(&[t.capital as u8]).finish());
        }
        if t.first_name {
            push(Fnv::new(26).finish());
        }
        if prev.is_some_and(|p| p.first_name) && t.capital {
            push(Fnv::new(27).finish());
        }
        if next.is_some_and(|p| p.first_name) {
            push(Fnv::new(38).finish());
        }
        if prev.is_some_and(|p| p.role) && t.capital {
            push(Fnv::new(28).finish());
        }
        if t.role {
            push(Fnv::new(29).finish());
        }
        if t.capital && t.gaz == 0 && t.auto & 3 == 0 && lex.is_place_variant(&t.lower) {
            push(Fnv::new(71).finish());
        }
        if t.place_deriv {
            push(Fnv::new(68).bytes(&[t.capital as u8]).finish());
        }
        if t.country_adj {
            push(Fnv::new(30).bytes(&[t.capital as u8]).finish());
        }
        if prev.is_some_and(|p| p.country_adj) {
            push(Fnv::new(31).finish());
        }
    }
    offsets.push(feats.len());
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn features_are_deterministic_and_per_token() {
        let lex = crate::lexicon::get("de");
        let words = [
            "Präsident",
            "Wladimir",
            "Putin",
            "sprach",
            "in",
            "Moskau",
            ".",
        ];
        let (mut f1, mut o1, mut f2, mut o2) = (vec![], vec![], vec![], vec![]);
        extract(lex, &words, &mut f1, &mut o1);
        extract(lex, &words, &mut f2, &mut o2);
        assert_eq!(f1, f2);
        assert_eq!(o1.len(), words.len() + 1);
        assert!(o1.windows(2).all(|w| w[1] > w[0]));
    }

    #[test]
    fn huge_token_is_bounded() {
        let lex = crate::lexicon::get("de");
        let long = "x".repeat(100_000);
        let (mut f, mut o) = (vec![], vec![]);
        extract(lex, &[long.as_str()], &mut f, &mut o);
        assert!(f.len() < 40);
    }
}
