//! Text → hashed words and content terms, shared by every stage of this crate and its benches.
//!
//! Everything here works on plain `&str` so the corpus stages and the million-article bench run
//! the same code. Words are hashed without allocating (case-folded char by char); content terms
//! are stems of non-stop-words, hashed to `u32` to keep indexes compact.

use lagebild_core::lang;
use rustc_hash::{FxHashMap, FxHashSet};
use std::ops::Range;
use std::sync::OnceLock;

const K: u64 = 0x517c_c1b7_2722_0a95;

/// Final avalanche (splitmix64), so that low and high bits of a hash are both usable.
pub fn mix(mut z: u64) -> u64 {
    z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
    z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
    z ^ (z >> 31)
}

/// One step of the word hash: folds in one lower-cased char.
#[inline(always)]
fn step(h: u64, lower: u32) -> u64 {
    (h.rotate_left(5) ^ u64::from(lower)).wrapping_mul(K)
}

/// Case-insensitive hash of a word, without allocating.
pub fn word_hash(word: &str) -> u64 {
    let mut h: u64 = 0;
    if word.is_ascii() {
        for b in word.bytes() {
            h = step(h, u32::from(b.to_ascii_lowercase()));
        }
    } else {
        for c in word.chars().flat_map(char::to_lowercase) {
            h = step(h, u32::from(c));
        }
    }
    mix(h)
}

/// The words of `text` (runs of alphanumeric chars; hyphens split compounds) with their byte
/// ranges and [`word_hash`], found and hashed in one pass: ASCII, most of every text, never goes
/// through char decoding.
pub fn for_each_word(text: &str, mut f: impl FnMut(Range<usize>, u64)) {
    let bytes = text.as_bytes();
    let mut start: Option<usize> = None;
    let mut h = 0u64;
    let mut i = 0;
    while i < bytes.len() {
        let b = bytes[i];
        let (word_char, len) = if b < 0x80 {
            let alnum = b.is_ascii_alphanumeric();
            if alnum {
                if start.is_none() {
                    start = Some(i);
                    h = 0;
                }
                h = step(h, u32::from(b.to_ascii_lowercase()));
            }
            (alnum, 1)
        } else {
            // `i` is always a char boundary: it only advances by whole chars.
            let Some(c) = text[i..].chars().next() else {
                break;
            };
            let alnum = c.is_alphanumeric();
            if alnum {
                if start.is_none() {
                    start = Some(i);
                    h = 0;
                }
                for l in c.to_lowercase() {
                    h = step(h, u32::from(l));
                }
            }
            (alnum, c.len_utf8())
        };
        if !word_char {
            if let Some(s) = start.take() {
                f(s..i, mix(h));
            }
        }
        i += len;
    }
    if let Some(s) = start {
        f(s..bytes.len(), mix(h));
    }
}

/// Characters kept of a name-like word: folds inflection ("Russlands", "Russland").
const NAME_PREFIX: usize = 5;

/// Term of a name-like word: its first chars, which fold inflection.
pub fn name_term(w: &str) -> u32 {
    let cut = w
        .char_indices()
        .nth(NAME_PREFIX)
        .map_or(w.len(), |(b, _)| b);
    term_id(&w[..cut])
}

/// Words of a typical news article, to turn a word frequency into the share of articles that
/// use the word.
const WORDS_PER_ARTICLE: f64 = 400.0;

/// Share of news articles expected to contain each name term, from the word frequencies of
/// `entities-words.tsv` (Zipf × 10): the document frequencies a small corpus cannot know.
fn name_rates(language: &lang::Language) -> Vec<(u32, f32)> {
    let mut per_term: FxHashMap<u32, f64> = FxHashMap::default();
    for row in language.rows("entities-words.tsv") {
        let (Some(word), Some(zipf)) = (row.first(), row.get(1)) else {
            continue;
        };
        let Ok(zipf) = zipf.parse::<f64>() else {
            continue;
        };
        // Zipf = log10 of occurrences per billion words.
        *per_term.entry(name_term(word)).or_default() += 10f64.powf(zipf / 10.0 - 9.0);
    }
    let mut out: Vec<(u32, f32)> = per_term
        .into_iter()
        .map(|(t, p)| (t, (1.0 - (-WORDS_PER_ARTICLE * p).exp()) as f32))
        .collect();
    out.sort_unstable_by_key(|x| x.0);
    out
}

/// Hash of an already-normalised string (a stem) as a compact term id.
pub fn term_id(s: &str) -> u32 {
    (word_hash(s) >> 32) as u32
}

/// Stop words and stemmer of one language, loaded once from `lang/<code>/cluster-*`, and the
/// words that stand for a country (`entities-countries.tsv`).
pub struct Analyzer {
    stopwords: FxHashSet<u64>,
    stemmer: Option<rust_stemmers::Stemmer>,
    /// Capitals and inflected country adjectives ("Kiew", "ukrainischen") → the
    /// country's name: reports of one story name its places in all three ways.
    countries: FxHashMap<u64, &'static str>,
    /// Expected share of articles with each name term (sorted by term).
    name_rates: Vec<(u32, f32)>,
}

impl std::fmt::Debug for Analyzer {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Analyzer")
            .field("stopwords", &self.stopwords.len())
            .field("stemmer", &self.stemmer.is_some())
            .field("countries", &self.countries.len())
            .finish()
    }
}

fn algorithm(name: &str) -> Option<rust_stemmers::Algorithm> {
    use rust_stemmers::Algorithm::*;
    Some(match name {
        "arabic" => Arabic,
        "danish" => Danish,
        "dutch" => Dutch,
        "english" => English,
        "finnish" => Finnish,
        "french" => French,
        "german" => German,
        "greek" => Greek,
        "hungarian" => Hungarian,
        "italian" => Italian,
        "norwegian" => Norwegian,
        "portuguese" => Portuguese,
        "romanian" => Romanian,
        "russian" => Russian,
        "spanish" => Spanish,
        "swedish" => Swedish,
        "tamil" => Tamil,
        "turkish" => Turkish,
        _ => return None,
    })
}

/// Endings of an attributive or predicative adjective.
const ADJECTIVE_ENDINGS: [&str; 6] = ["", "e", "em", "en", "er", "es"];

/// Word hashes of one-word capitals and of inflected adjectives → country name.
fn country_words(language: &lang::Language) -> FxHashMap<u64, &'static str> {
    let mut out = FxHashMap::default();
    for row in language.rows("entities-countries.tsv") {
        let country = row[0];
        if let Some(capital) = row.get(2).filter(|c| !c.is_empty() && !c.contains(' ')) {
            out.entry(word_hash(capital)).or_insert(country);
        }
        if let Some(stem) = row.get(3).filter(|a| !a.is_empty() && !a.contains(' ')) {
            for ending in ADJECTIVE_ENDINGS {
                out.entry(word_hash(&format!("{stem}{ending}")))
                    .or_insert(country);
            }
        }
    }
    out
}

impl Analyzer {
    fn load(language: lang::Language) -> Self {
        Analyzer {
            stopwords: language
                .lines("cluster-stopwords.txt")
                .map(word_hash)
                .collect(),
            stemmer: language
                .lines("cluster-stemmer.txt")
                .find_map(algorithm)
                .map(rust_stemmers::Stemmer::create),
            countries: country_words(&language),
            name_rates: name_rates(&language),
        }
    }

    /// The analyzer of a language (German data when the language has none), built once.
    pub fn for_language(code: &str) -> &'static Analyzer {
        static ALL: OnceLock<Vec<(&'static str, Analyzer)>> = OnceLock::new();
        let all = ALL.get_or_init(|| {
            lang::available()
                .map(|c| (c, Analyzer::load(lang::get_or_default(c))))
                .collect()
        });
        let code = lang::get_or_default(code).code;
        all.iter()
            .find(|(c, _)| *c == code)
            .map(|(_, a)| a)
            .expect("every available language has an analyzer")
    }

    /// Expected share of news articles with each name term, sorted by term: the prior of the
    /// names channel's document frequencies.
    pub fn name_rates(&self) -> &[(u32, f32)] {
        &self.name_rates
    }

    /// The country a word stands for: its capital or an inflected adjective of it.
    pub fn country_of(&self, word_hash: u64) -> Option<&'static str> {
        self.countries.get(&word_hash).copied()
    }

    pub fn is_stopword(&self, word_hash: u64) -> bool {
        self.stopwords.contains(&word_hash)
    }

    /// Appends the content terms of `text` (stems of words that are not stop words, numbers
    /// as they are) to `out`; one entry per occurrence, in text order.
    pub fn content_terms(&self, text: &str, out: &mut Vec<u32>) {
        let mut lower = String::new();
        for_each_word(text, |r, hash| {
            let w = &text[r];
            if w.chars().nth(1).is_none() || self.is_stopword(hash) {
                return;
            }
            if w.bytes().any(|b| b.is_ascii_digit()) {
                out.push(term_id(w));
                return;
            }
            lower.clear();
            lower.extend(w.chars().flat_map(char::to_lowercase));
            match &self.stemmer {
                Some(s) => out.push(term_id(&s.stem(&lower))),
                None => out.push(term_id(&lower)),
            }
        });
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Reference for [`for_each_word`]: byte ranges of the alphanumeric runs, char by char.
    fn words(text: &str) -> impl Iterator<Item = Range<usize>> + '_ {
        let mut start: Option<usize> = None;
        let mut chars = text
            .char_indices()
            .chain(std::iter::once((text.len(), ' ')));
        std::iter::from_fn(move || {
            for (i, c) in chars.by_ref() {
                match (c.is_alphanumeric(), start) {
                    (true, None) => start = Some(i),
                    (false, Some(s)) => {
                        start = None;
                        return Some(s..i);
                    }
                    _ => {}
                }
            }
            None
        })
    }

    #[test]
    fn words_split_on_punctuation_and_hyphens() {
        let t = "Der Ukraine-Krieg, 12.000 Soldaten — „absurd“.";
        let w: Vec<&str> = words(t).map(|r| &t[r]).collect();
        assert_eq!(
            w,
            ["Der", "Ukraine", "Krieg", "12", "000", "Soldaten", "absurd"]
        );
        assert_eq!(words("").count(), 0);
    }

    #[test]
    fn one_pass_hashing_matches_words_and_word_hash() {
        let t = "Nordkorea-Gipfel: ÜBER 12.000 Soldaten, «Straße» und İstanbul — ǅemal 3x ok";
        let mut seen = Vec::new();
        for_each_word(t, |r, h| seen.push((r, h)));
        let expected: Vec<_> = words(t).map(|r| (r.clone(), word_hash(&t[r]))).collect();
        assert_eq!(seen, expected);
        for_each_word("", |_, _| panic!("no words in an empty text"));
    }

    #[test]
    fn word_hash_folds_case() {
        assert_eq!(word_hash("Südkorea"), word_hash("SÜDKOREA"));
        assert_ne!(word_hash("Süd"), word_hash("Sud"));
    }

    #[test]
    fn content_terms_drop_stop_words_and_stem() {
        let a = Analyzer::for_language("de");
        let mut x = Vec::new();
        a.content_terms("Die Sanktionen und der Sanktion", &mut x);
        assert_eq!(x.len(), 2);
        assert_eq!(x[0], x[1], "inflected forms share a stem");
        let mut y = Vec::new();
        Analyzer::for_language("xx").content_terms("die und der", &mut y);
        assert!(y.is_empty(), "unknown languages fall back to German data");
    }
}
