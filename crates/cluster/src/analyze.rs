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

/// One step of the word hash over non-ASCII words: folds in one lower-cased char.
#[inline(always)]
fn step(h: u64, lower: u32) -> u64 {
    (h.rotate_left(5) ^ u64::from(lower)).wrapping_mul(K)
}

const ONES: u64 = 0x0101_0101_0101_0101;
const HIGH: u64 = 0x8080_8080_8080_8080;
/// 0x20 in every byte: the ASCII case bit.
const CASE: u64 = 0x2020_2020_2020_2020;

/// Eight bytes of `bytes` from `at`, zero-padded past the end (a zero byte is no word byte).
#[inline(always)]
fn load(bytes: &[u8], at: usize) -> u64 {
    match bytes.get(at..at + 8) {
        Some(b) => u64::from_le_bytes(b.try_into().expect("eight bytes")),
        None => {
            let mut buf = [0u8; 8];
            let rest = bytes.get(at..).unwrap_or_default();
            buf[..rest.len()].copy_from_slice(rest);
            u64::from_le_bytes(buf)
        }
    }
}

/// The high bit set in each byte of `x` that can belong to a word: ASCII letters and digits,
/// and every byte of a non-ASCII char (whose chars are then checked one by one).
#[inline(always)]
fn word_bytes(x: u64) -> u64 {
    let low = x & !HIGH;
    // For bytes below 0x80, adding 0x80 - lo sets the high bit iff the byte is ≥ lo, and
    // adding 0x7f - hi iff it is > hi; no carry crosses a byte.
    let in_range = |v: u64, lo: u8, hi: u8| {
        let ge = v + ONES * u64::from(0x80 - lo);
        let gt = v + ONES * u64::from(0x7f - hi);
        ge & !gt & HIGH
    };
    (x & HIGH) | in_range(low, b'0', b'9') | in_range(low | CASE, b'a', b'z')
}

/// Hash of the ASCII word `bytes[word]`, eight bytes per multiply (loaded from the whole
/// buffer, so short words need no copy). `| 0x20` lower-cases letters and keeps digits, the
/// only bytes of a word.
#[inline(always)]
fn hash_ascii(bytes: &[u8], word: Range<usize>) -> u64 {
    let mut h: u64 = 0;
    for at in word.clone().step_by(8) {
        let n = (word.end - at).min(8);
        let keep = if n == 8 {
            u64::MAX
        } else {
            (1u64 << (8 * n)) - 1
        };
        let chunk = (load(bytes, at) | CASE) & keep;
        h = (h.rotate_left(5) ^ chunk).wrapping_mul(K);
    }
    mix(h)
}

/// Whether `c` belongs to a word; Latin-1 letters (German umlauts, ß) without a table lookup.
#[inline(always)]
fn is_word_char(c: char) -> bool {
    match c {
        '\u{c0}'..='\u{ff}' => c != '\u{d7}' && c != '\u{f7}',
        _ => c.is_alphanumeric(),
    }
}

/// Folds the lower case of `c` into `h`; Latin-1 letters without a table lookup.
#[inline(always)]
fn fold(h: u64, c: char) -> u64 {
    match c {
        '\u{c0}'..='\u{de}' if c != '\u{d7}' => step(h, u32::from(c) + 0x20),
        '\u{df}'..='\u{ff}' => step(h, u32::from(c)),
        _ => c.to_lowercase().fold(h, |h, l| step(h, u32::from(l))),
    }
}

/// Hash of a word with non-ASCII chars, folded char by char.
fn hash_chars(word: &str) -> u64 {
    mix(word.chars().fold(0, fold))
}

/// Case-insensitive hash of a word, without allocating.
pub fn word_hash(word: &str) -> u64 {
    if word.is_ascii() {
        hash_ascii(word.as_bytes(), 0..word.len())
    } else {
        hash_chars(word)
    }
}

/// The words of `text` (runs of alphanumeric chars; hyphens split compounds) with their byte
/// ranges and [`word_hash`]. Word boundaries are found eight bytes at a time; only runs with
/// non-ASCII bytes are decoded char by char.
pub fn for_each_word(text: &str, mut f: impl FnMut(Range<usize>, u64)) {
    let bytes = text.as_bytes();
    let mut i = 0;
    while i < bytes.len() {
        let m = word_bytes(load(bytes, i));
        if m == 0 {
            i += 8;
            continue;
        }
        i += (m.trailing_zeros() / 8) as usize;
        let start = i;
        let mut high = 0;
        loop {
            let x = load(bytes, i);
            let k = ((!word_bytes(x) & HIGH).trailing_zeros() / 8) as usize;
            if k > 0 {
                high |= x & HIGH & (u64::MAX >> (64 - 8 * k));
            }
            i += k;
            if k < 8 {
                break;
            }
        }
        if high == 0 {
            f(start..i, hash_ascii(bytes, start..i));
            continue;
        }
        // The run starts and ends beside ASCII bytes, so both ends are char boundaries.
        // Words in it are split at non-alphanumeric chars („, –, …); each is hashed while it is
        // decoded, and again as ASCII when it has no other chars.
        let run = &text[start..i];
        let mut word: Option<(usize, u64, bool)> = None;
        for (at, c) in run.char_indices().chain(std::iter::once((run.len(), ' '))) {
            match (is_word_char(c), word) {
                (true, None) => word = Some((at, fold(0, c), c.is_ascii())),
                (true, Some((w, h, ascii))) => word = Some((w, fold(h, c), ascii && c.is_ascii())),
                (false, Some((w, h, ascii))) => {
                    word = None;
                    let r = start + w..start + at;
                    let hash = if ascii {
                        hash_ascii(bytes, r.clone())
                    } else {
                        mix(h)
                    };
                    f(r, hash);
                }
                (false, None) => {}
            }
        }
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

/// A set of word hashes, looked up once per word of every text: open addressing on the
/// hash's low bits (it is already mixed), a table at most 1/8 full so a miss, the common case,
/// reads one slot.
struct HashSlots {
    slots: Box<[u64]>,
    len: usize,
}

impl HashSlots {
    /// 0 marks an empty slot: it is the hash of the empty word only, which is no word.
    fn new(hashes: impl Iterator<Item = u64>) -> Self {
        let hashes: FxHashSet<u64> = hashes.filter(|&h| h != 0).collect();
        let size = (hashes.len() * 8).next_power_of_two().max(64);
        let mut slots = vec![0u64; size].into_boxed_slice();
        for &h in &hashes {
            let mut at = h as usize & (size - 1);
            while slots[at] != 0 {
                at = (at + 1) & (size - 1);
            }
            slots[at] = h;
        }
        HashSlots {
            slots,
            len: hashes.len(),
        }
    }

    #[inline]
    fn contains(&self, hash: u64) -> bool {
        let mask = self.slots.len() - 1;
        let mut at = hash as usize & mask;
        loop {
            match self.slots[at] {
                0 => return false,
                h if h == hash => return true,
                _ => at = (at + 1) & mask,
            }
        }
    }
}

/// Stop words and stemmer of one language, loaded once from `lang/<code>/cluster-*`, and the
/// words that stand for a country (`entities-countries.tsv`).
pub struct Analyzer {
    stopwords: HashSlots,
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
            .field("stopwords", &self.stopwords.len)
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
            stopwords: HashSlots::new(language.lines("cluster-stopwords.txt").map(word_hash)),
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
        self.stopwords.contains(word_hash)
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
    fn word_boundaries_hold_across_eight_byte_blocks() {
        // Every split of a few words and separators, so that words start and end at every
        // offset of an eight-byte block, beside ASCII and non-ASCII separators and letters.
        let parts = [
            "Abcdefgh",
            "ü",
            "x",
            "12345678901",
            "„",
            " ",
            "-",
            "Straße",
            "é",
            "×",
        ];
        let mut seed = 7u64;
        for _ in 0..2000 {
            let mut t = String::new();
            for _ in 0..(seed % 9) {
                seed = mix(seed);
                t.push_str(parts[(seed % parts.len() as u64) as usize]);
            }
            seed = mix(seed);
            let mut seen = Vec::new();
            for_each_word(&t, |r, h| seen.push((r, h)));
            let expected: Vec<_> = words(&t).map(|r| (r.clone(), word_hash(&t[r]))).collect();
            assert_eq!(seen, expected, "{t:?}");
        }
    }

    #[test]
    fn latin1_shortcuts_agree_with_unicode() {
        for c in '\u{80}'..='\u{17f}' {
            assert_eq!(is_word_char(c), c.is_alphanumeric(), "{c:?}");
            let slow = c.to_lowercase().fold(0, |h, l| step(h, u32::from(l)));
            assert_eq!(fold(0, c), slow, "{c:?}");
        }
        assert_eq!(word_hash("ÄÖÜ Straße"), word_hash("äöü straße"));
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
