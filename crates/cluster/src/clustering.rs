//! Article similarity and streaming event clustering with story chains, on plain features.
//!
//! An article is two sparse TF-IDF vectors, measured on SemEval-2022 Task 8 (see
//! `eval similarity`): name-like words (capitalised words and numbers: who, where, how many)
//! and character 4-grams of content words (robust to inflection, compounds, misspelt and
//! translated names, so they also tie German to English reports). Occurrences near the top
//! of a report weigh more, and the headline's words are added once more on top: the lead says
//! what the report is about, the tail drifts. Two articles' similarity is a weighted mean of
//! the square roots of the channels' cosines; the weights are fitted on the pairs (data file
//! `lang/<code>/cluster-similarity.tsv`).
//!
//! Each arriving article joins the most similar recent cluster or opens one (Miranda et al.
//! 2018: TF-IDF similarity with time decay); a new cluster joins the most similar story,
//! compared over a much longer time. Document frequencies, centroids and postings stay in
//! memory, so adding an article costs the same whatever the corpus size.
//!
//! At a million articles placement is bound by memory, not arithmetic: each article is scored
//! against about a hundred candidate centroids spread over a large heap. So the article is
//! spread into a small cuckoo table that the centroids' terms are looked up in without a
//! branch, the next candidates' centroids are prefetched, candidates that cannot beat the best
//! so far are dropped after their cheap channel, and summing each term's occurrences happens
//! in [`features`], which callers run in parallel.

use crate::analyze::{for_each_word, mix, name_term, term_id, Analyzer};
use jiff::civil::Date;
use lagebild_core::lang;
use rustc_hash::FxHashMap;
use std::ops::Range;

/// A sparse vector sorted by term.
pub type Sparse = Vec<(u32, f32)>;

/// Number of feature channels: name-like words, character 4-grams.
pub const CHANNELS: usize = 2;
/// Channel names, as in `cluster-similarity.tsv`.
pub const CHANNEL_NAMES: [&str; CHANNELS] = ["names", "grams"];

/// Weight of the headline's terms, added to their occurrences in the text, per channel.
const LEAD_BOOST: [f32; CHANNELS] = [4.0, 2.0];
/// Word position at which an occurrence counts half: the top of a report weighs more.
const HALF_WEIGHT_AT: f32 = 250.0;
/// Longest lead taken from the text when there is no headline, in bytes.
const MAX_LEAD: usize = 240;

/// What the clusterer needs of an article: weighted terms per channel. [`features`] lists
/// each term once, sorted, with its occurrences' weights summed (done in parallel before the
/// sequential clustering); other lists of occurrences are compacted when used.
#[derive(Clone, Debug, Default)]
pub struct Features {
    pub channels: [Vec<(u32, f32)>; CHANNELS],
    /// The names channel plus the countries that capitals and adjectives name ("Kiew",
    /// "ukrainische" → Ukraine), compared with stories: countries chain the reports of
    /// a story, but within a stream they blur events (`eval purity`: an unrelated report
    /// joins a cluster when they are names).
    pub story_names: Vec<(u32, f32)>,
    pub date: Option<Date>,
}

/// Hash of a character 4-gram (exact for chars of the Basic Multilingual Plane).
fn gram_id(g: &[char]) -> u32 {
    let h = g
        .iter()
        .fold(0u64, |h, &c| (h << 16) ^ u64::from(u32::from(c)));
    (mix(h ^ 0x9e37_79b9_7f4a_7c15) >> 32) as u32
}

/// Appends the terms of `text` to `f`. With `boost`, every term gets that channel weight (the
/// headline); else the weight fades with the running word position `pos`.
fn add_terms(
    analyzer: &Analyzer,
    text: &str,
    pos: &mut usize,
    boost: Option<[f32; CHANNELS]>,
    f: &mut Features,
) {
    let mut prev_end = 0;
    let mut chars: Vec<char> = Vec::new();
    for_each_word(text, |r, hash| {
        let gap = &text[prev_end..r.start];
        let opens = prev_end == 0 || gap.contains(['.', '!', '?', ':', '\n', '|']);
        prev_end = r.end;
        let w = &text[r];
        let weight = boost.unwrap_or_else(|| [1.0 / (1.0 + *pos as f32 / HALF_WEIGHT_AT); 2]);
        *pos += 1;
        let stop = analyzer.is_stopword(hash);
        let first = w.chars().next().unwrap_or(' ');
        if w.bytes().all(|b| b.is_ascii_digit()) {
            if w.len() >= 2 {
                f.channels[0].push((term_id(w), weight[0]));
            }
        } else if first.is_uppercase() && !(opens && stop) && w.chars().nth(2).is_some() {
            f.channels[0].push((name_term(w), weight[0]));
        }
        if let Some(country) = analyzer.country_of(hash) {
            f.story_names.push((name_term(country), weight[0]));
        }
        if stop || w.chars().nth(1).is_none() {
            return;
        }
        chars.clear();
        chars.push('_');
        chars.extend(w.chars().flat_map(char::to_lowercase));
        chars.push('_');
        if chars.len() <= 4 {
            f.channels[1].push((gram_id(&chars), weight[1]));
        } else {
            f.channels[1].extend(chars.windows(4).map(|g| (gram_id(g), weight[1])));
        }
    });
}

/// The lead of a text without headline: its first passage up to a wide gap (scraped pages
/// run headline and body together), cut to its first sentence when long.
pub fn lead_of<'a>(text: &'a str, passages: &[Range<usize>]) -> &'a str {
    let Some(first) = passages.first() else {
        return "";
    };
    let p = &text[first.clone()];
    let p = p.find("  ").map_or(p, |i| &p[..i]);
    if p.len() <= MAX_LEAD {
        return p;
    }
    let mut cut = MAX_LEAD;
    while !p.is_char_boundary(cut) {
        cut -= 1;
    }
    let head = &p[..cut];
    match head
        .find(". ")
        .or_else(|| head.find("! "))
        .or_else(|| head.find("? "))
    {
        Some(i) => &p[..=i],
        None => head.rfind(' ').map_or(head, |i| &head[..i]),
    }
}

/// Features of a text. `passages` are the byte ranges to read (boilerplate left out); the
/// lead is the headline when known, else the start of the first passage.
pub fn features(
    analyzer: &Analyzer,
    text: &str,
    passages: &[Range<usize>],
    title: Option<&str>,
    date: Option<Date>,
) -> Features {
    let mut f = Features {
        date,
        ..Features::default()
    };
    let mut pos = 0;
    for r in passages {
        add_terms(analyzer, &text[r.clone()], &mut pos, None, &mut f);
    }
    let lead = title
        .filter(|t| !t.trim().is_empty())
        .unwrap_or_else(|| lead_of(text, passages));
    add_terms(analyzer, lead, &mut 0, Some(LEAD_BOOST), &mut f);
    // `add_terms` put only countries in `story_names` so far.
    let mut countries = std::mem::take(&mut f.story_names);
    compact(&mut countries);
    for list in &mut f.channels {
        compact(list);
    }
    f.story_names = f.channels[0].clone();
    f.story_names.extend(countries);
    compact(&mut f.story_names);
    for list in f.channels.iter_mut().chain([&mut f.story_names]) {
        // Batches of features wait in memory for the sequential clusterer.
        list.shrink_to_fit();
    }
    f
}

/// An article's (or a cluster's) vectors, one per channel.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Profile {
    pub channels: [Sparse; CHANNELS],
}

fn dot(a: &[(u32, f32)], b: &[(u32, f32)]) -> f32 {
    let (mut i, mut j, mut s) = (0, 0, 0.0);
    while i < a.len() && j < b.len() {
        match a[i].0.cmp(&b[j].0) {
            std::cmp::Ordering::Less => i += 1,
            std::cmp::Ordering::Greater => j += 1,
            std::cmp::Ordering::Equal => {
                s += a[i].1 * b[j].1;
                i += 1;
                j += 1;
            }
        }
    }
    s
}

fn norm(a: &[(u32, f32)]) -> f32 {
    a.iter().map(|(_, w)| w * w).sum::<f32>().sqrt()
}

/// Weights of the channels in [`similarity`]: fitted by least squares on the SemEval pairs
/// (`eval similarity` refits them and prints the rows), read from
/// `lang/<code>/cluster-similarity.tsv` (`channel<TAB>weight`).
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Weights(pub [f32; CHANNELS]);

impl Weights {
    /// The article similarity's weights of a language (those of the default language when it
    /// has none); equal weights when no data file gives any.
    pub fn for_language(code: &str) -> Self {
        Self::read(code, "")
    }

    /// The weights of the story similarity (rows `story_names`, `story_grams`).
    pub fn for_stories(code: &str) -> Self {
        Self::read(code, "story_")
    }

    fn read(code: &str, prefix: &str) -> Self {
        let mut w = [0.0; CHANNELS];
        for row in lang::get_or_default(code).rows("cluster-similarity.tsv") {
            let (Some(name), Some(value)) = (row.first(), row.get(1)) else {
                continue;
            };
            let Some(name) = name.strip_prefix(prefix) else {
                continue;
            };
            if let (Some(c), Ok(v)) = (
                CHANNEL_NAMES.iter().position(|n| *n == name),
                value.parse::<f32>(),
            ) {
                w[c] = v.max(0.0);
            }
        }
        let sum: f32 = w.iter().sum();
        if sum > 0.0 {
            Weights(w.map(|x| x / sum))
        } else {
            Weights([1.0 / CHANNELS as f32; CHANNELS])
        }
    }
}

fn norms(channels: &[Sparse; CHANNELS]) -> [f32; CHANNELS] {
    channels.each_ref().map(|v| norm(v))
}

/// Cosine of each channel of two profiles.
pub fn channel_cosines(a: &Profile, b: &Profile) -> [f32; CHANNELS] {
    let (na, nb) = (norms(&a.channels), norms(&b.channels));
    std::array::from_fn(|c| {
        let n = na[c] * nb[c];
        if n > 0.0 {
            (dot(&a.channels[c], &b.channels[c]) / n).clamp(0.0, 1.0)
        } else {
            0.0
        }
    })
}

/// Similarity 0–1 from the channels' cosines: the weighted mean of their square roots (the
/// root spreads the low range, where same-story and unrelated pairs are told apart).
pub fn combine(w: &Weights, cosines: &[f32; CHANNELS]) -> f32 {
    w.0.iter().zip(cosines).map(|(w, c)| w * c.sqrt()).sum()
}

/// Similarity of two articles or an article and a centroid, 0–1.
pub fn similarity(w: &Weights, a: &Profile, b: &Profile) -> f32 {
    combine(w, &channel_cosines(a, b))
}

/// Sorts weighted term occurrences by term and sums the weights of each term (in occurrence
/// order, a stable sort), so that every term appears once.
fn compact(list: &mut Vec<(u32, f32)>) {
    if is_compact(list) {
        return;
    }
    list.sort_by_key(|x| x.0);
    let mut w = 0;
    for r in 0..list.len() {
        if w > 0 && list[w - 1].0 == list[r].0 {
            list[w - 1].1 += list[r].1;
        } else {
            list[w] = list[r];
            w += 1;
        }
    }
    list.truncate(w);
}

fn is_compact(list: &[(u32, f32)]) -> bool {
    list.windows(2).all(|p| p[0].0 < p[1].0)
}

/// A feature channel with each term once: borrowed when [`features`] made it, else compacted.
fn compacted(list: &[(u32, f32)]) -> std::borrow::Cow<'_, [(u32, f32)]> {
    if is_compact(list) {
        std::borrow::Cow::Borrowed(list)
    } else {
        let mut v = list.to_vec();
        compact(&mut v);
        std::borrow::Cow::Owned(v)
    }
}

/// Smoothed inverse document frequency of a term in `df` of `docs` documents.
fn idf(docs: u32, df: u32) -> f32 {
    ((docs as f32 + 1.0) / (df as f32 + 1.0)).ln() + 1.0
}

/// Document frequencies of one channel: an open-addressing table of `(term, count)` (load
/// ≤ 1/2) whose slots can be prefetched. With a million articles the vocabulary outgrows the
/// caches, and looking an article's terms up one cache miss after the other took a sixth of
/// the clustering time.
#[derive(Clone, Debug, Default)]
struct Counts {
    /// `(term, count)`; count 0 marks an empty slot.
    slots: Vec<(u32, u32)>,
    bits: u32,
    len: usize,
}

impl Counts {
    /// Home slot of a term: the top bits of a multiplicative hash. Only called when
    /// `slots` is not empty (`bits` ≥ 4).
    fn home(&self, t: u32) -> usize {
        (t.wrapping_mul(0x9e37_79b1) >> (32 - self.bits)) as usize
    }

    fn get(&self, t: u32) -> u32 {
        if self.slots.is_empty() {
            return 0;
        }
        let mask = self.slots.len() - 1;
        let mut i = self.home(t);
        loop {
            let (k, n) = self.slots[i];
            if n == 0 || k == t {
                return n;
            }
            i = (i + 1) & mask;
        }
    }

    fn prefetch(&self, t: u32) {
        if !self.slots.is_empty() {
            prefetch(&self.slots[self.home(t)]);
        }
    }

    /// Adds `n` to the count of `t`; returns the new count.
    fn add(&mut self, t: u32, n: u32) -> u32 {
        if 2 * (self.len + 1) > self.slots.len() {
            self.grow();
        }
        let mask = self.slots.len() - 1;
        let mut i = self.home(t);
        loop {
            let slot = &mut self.slots[i];
            if slot.1 == 0 {
                *slot = (t, n);
                self.len += 1;
                return n;
            }
            if slot.0 == t {
                slot.1 += n;
                return slot.1;
            }
            i = (i + 1) & mask;
        }
    }

    fn grow(&mut self) {
        let old = std::mem::take(&mut self.slots);
        self.bits = (2 * old.len()).max(16).trailing_zeros();
        self.slots = vec![(0, 0); 1 << self.bits];
        self.len = 0;
        for (t, n) in old.into_iter().filter(|x| x.1 > 0) {
            self.add(t, n);
        }
    }
}

/// How many terms ahead a term's document frequency is prefetched.
const DF_AHEAD: usize = 8;

/// Document frequencies seen so far, for IDF weights.
#[derive(Clone, Debug, Default)]
pub struct TermStats {
    df: [Counts; CHANNELS],
    docs: u32,
}

impl TermStats {
    /// Statistics that start from `docs` imagined news articles of a language, with the names
    /// channel's document frequencies its word frequencies predict. Five articles of one story
    /// cannot tell the story's names from words every article uses; the prior can, and the
    /// corpus outweighs it as it grows.
    pub fn with_prior(language: &str, docs: u32) -> Self {
        let mut stats = TermStats {
            docs,
            ..TermStats::default()
        };
        for &(t, rate) in Analyzer::for_language(language).name_rates() {
            let n = (rate * docs as f32).round() as u32;
            if n > 0 {
                stats.df[0].add(t, n);
            }
        }
        stats
    }

    /// Counts an article's terms once each.
    pub fn add(&mut self, f: &Features) {
        self.docs += 1;
        for (c, list) in f.channels.iter().enumerate() {
            for &(t, _) in compacted(list).iter() {
                self.df[c].add(t, 1);
            }
        }
    }

    /// TF-IDF profile with at most `max_terms` terms per channel.
    pub fn profile(&self, f: &Features, max_terms: usize) -> Profile {
        Profile {
            channels: std::array::from_fn(|c| {
                let df = &self.df[c];
                let v = compacted(&f.channels[c])
                    .iter()
                    .map(|&(t, n)| (t, n.ln_1p() * idf(self.docs, df.get(t))))
                    .collect();
                top_normalised(v, max_terms)
            }),
        }
    }

    /// [`Self::add`], then [`Self::profile`], in one pass over the frequency tables.
    fn add_and_profile(&mut self, f: &Features, max_terms: usize) -> Profile {
        self.docs += 1;
        let docs = self.docs;
        Profile {
            channels: std::array::from_fn(|c| {
                count_and_weigh(&mut self.df[c], docs, &f.channels[c], max_terms)
            }),
        }
    }

    /// [`Self::add_and_profile`] of an article's `story_names` as its names channel.
    fn add_and_profile_story(&mut self, f: &Features, max_terms: usize) -> Profile {
        self.docs += 1;
        let names = count_and_weigh(&mut self.df[0], self.docs, &f.story_names, max_terms);
        Profile {
            channels: [names, Vec::new()],
        }
    }
}

/// Counts the terms of one channel of an article in `df` (the article among `docs`) and
/// returns their TF-IDF vector, at most `max_terms` terms.
fn count_and_weigh(df: &mut Counts, docs: u32, list: &[(u32, f32)], max_terms: usize) -> Sparse {
    let list = compacted(list);
    let mut v = Vec::with_capacity(list.len());
    for (i, &(t, n)) in list.iter().enumerate() {
        if let Some(&(ahead, _)) = list.get(i + DF_AHEAD) {
            df.prefetch(ahead);
        }
        v.push((t, n.ln_1p() * idf(docs, df.add(t, 1))));
    }
    top_normalised(v, max_terms)
}

/// Order of terms by weight, heaviest first; the smaller term first among equals.
fn heavier(a: &(u32, f32), b: &(u32, f32)) -> std::cmp::Ordering {
    b.1.total_cmp(&a.1).then(a.0.cmp(&b.0))
}

/// The `max_terms` heaviest terms, scaled to unit length, sorted by term.
fn top_normalised(mut v: Sparse, max_terms: usize) -> Sparse {
    if v.len() > max_terms {
        v.select_nth_unstable_by(max_terms, heavier);
        v.truncate(max_terms);
        v.sort_unstable_by_key(|x| x.0);
    }
    let n = norm(&v).max(f32::MIN_POSITIVE);
    for x in &mut v {
        x.1 /= n;
    }
    v
}

/// Thresholds and sizes of the clusterer.
#[derive(Clone, Debug)]
pub struct ClusterConfig {
    /// Terms kept per article channel.
    pub doc_terms: usize,
    /// Terms kept per centroid channel.
    pub centroid_terms: usize,
    /// Similarity from which an article joins a cluster.
    pub join: f32,
    /// Similarity from which a new cluster joins a story.
    pub story_join: f32,
    /// Days over which a cluster's pull fades (e-folding time beyond one day apart).
    pub cluster_days: f32,
    /// Days over which a story's pull fades.
    pub story_days: f32,
    /// Candidate postings followed per term (most recent first).
    pub walk: usize,
    /// Terms of an article used to look up candidates, per channel.
    pub query_terms: usize,
    /// Channel weights of the similarity.
    pub weights: Weights,
    /// Channel weights of the similarity of a new cluster to a story: stories are told by
    /// their key actors more than by their wording.
    pub story_weights: Weights,
    /// Language whose word frequencies seed the document frequencies.
    pub language: &'static str,
    /// Imagined articles behind that prior ([`TermStats::with_prior`]).
    pub prior_docs: u32,
}

impl Default for ClusterConfig {
    /// Sizes and thresholds with the weights of the default language (`und`: undetermined).
    fn default() -> Self {
        Self::for_language("und")
    }
}

/// A threshold of a language's `cluster-similarity.tsv` (`join`, `story_join`: chosen by
/// `eval similarity` as the F1-best decision on the SemEval pairs), else `default`.
fn threshold(code: &str, name: &str, default: f32) -> f32 {
    lang::get_or_default(code)
        .rows("cluster-similarity.tsv")
        .find(|row| row.first() == Some(&name))
        .and_then(|row| row.get(1)?.parse::<f32>().ok())
        .filter(|v| (0.0..=1.0).contains(v))
        .unwrap_or(default)
}

impl ClusterConfig {
    /// Sizes, and the thresholds and similarity weights of a language.
    pub fn for_language(code: &str) -> Self {
        ClusterConfig {
            doc_terms: 256,
            centroid_terms: 128,
            join: threshold(code, "join", 0.55),
            story_join: threshold(code, "story_join", 0.5),
            cluster_days: 3.0,
            story_days: 60.0,
            walk: 16,
            query_terms: 8,
            weights: Weights::for_language(code),
            story_weights: Weights::for_stories(code),
            language: lang::get_or_default(code).code,
            prior_docs: 300,
        }
    }
}

#[derive(Clone, Debug, Default)]
struct Group {
    sum: [Sparse; CHANNELS],
    norms: [f32; CHANNELS],
    first: Option<Date>,
    last: Option<Date>,
    size: u32,
}

impl Group {
    /// Adds an article's vectors to the sums, keeping the `keep` heaviest terms; channels of
    /// weight 0 in `w` are never compared, so they are not kept.
    fn add(
        &mut self,
        p: &Profile,
        date: Option<Date>,
        (keep, w): (usize, &Weights),
        scratch: &mut Sparse,
    ) {
        for (c, v) in p.channels.iter().enumerate() {
            if w.0[c] <= 0.0 {
                continue;
            }
            merge(&self.sum[c], v, keep, scratch);
            self.sum[c].clear();
            self.sum[c].extend_from_slice(scratch);
            self.norms[c] = norm(&self.sum[c]);
        }
        self.first = min_date(self.first, date);
        self.last = self.last.max(date);
        self.size += 1;
    }

    fn profile(&self) -> Profile {
        Profile {
            channels: self.sum.clone(),
        }
    }

    /// Prefetches the vectors [`Self::similarity_to`] will read.
    fn prefetch(&self, w: &Weights) {
        for (c, v) in self.sum.iter().enumerate() {
            if w.0[c] > 0.0 {
                for line in v.chunks(8) {
                    prefetch(line.as_ptr());
                }
            }
        }
    }

    /// Similarity to an article (as [`similarity`]) times `decay`; channels of weight 0 are
    /// skipped. `None` as soon as the result is sure to stay below `floor`.
    fn similarity_to(&self, w: &Weights, a: &Query, decay: f32, floor: Option<f32>) -> Option<f32> {
        let mut s = 0.0;
        for c in 0..CHANNELS {
            if w.0[c] <= 0.0 {
                continue;
            }
            let n = a.norms[c] * self.norms[c];
            if n > 0.0 {
                s += w.0[c] * (a.tables[c].dot(&self.sum[c]) / n).clamp(0.0, 1.0).sqrt();
            }
            // The channels still to come add at most their weights (cosine ≤ 1).
            let rest: f32 = w.0[c + 1..].iter().sum();
            if floor.is_some_and(|f| (s + rest) * decay < f) {
                return None;
            }
        }
        Some(s * decay)
    }

    /// Time factor: 1 inside the group's span or when a date is missing, fading outside.
    fn decay(&self, date: Option<Date>, days: f32) -> f32 {
        let (Some(d), Some(first), Some(last)) = (date, self.first, self.last) else {
            return 1.0;
        };
        let gap = if d < first {
            (first - d).get_days()
        } else if d > last {
            (d - last).get_days()
        } else {
            0
        };
        (-((gap as f32 - 1.0).max(0.0)) / days).exp()
    }
}

fn min_date(a: Option<Date>, b: Option<Date>) -> Option<Date> {
    match (a, b) {
        (Some(x), Some(y)) => Some(x.min(y)),
        (x, None) => x,
        (None, y) => y,
    }
}

/// Sum of two sparse vectors into `out`, keeping the `keep` heaviest terms.
fn merge(a: &[(u32, f32)], b: &[(u32, f32)], keep: usize, out: &mut Sparse) {
    out.clear();
    let (mut i, mut j) = (0, 0);
    while i < a.len() || j < b.len() {
        if j >= b.len() || (i < a.len() && a[i].0 < b[j].0) {
            out.push(a[i]);
            i += 1;
        } else if i >= a.len() || b[j].0 < a[i].0 {
            out.push(b[j]);
            j += 1;
        } else {
            out.push((a[i].0, a[i].1 + b[j].1));
            i += 1;
            j += 1;
        }
    }
    if out.len() > keep {
        out.select_nth_unstable_by(keep, |x, y| y.1.total_cmp(&x.1));
        out.truncate(keep);
        out.sort_unstable_by_key(|x| x.0);
    }
}

/// Where an article went.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Placement {
    pub cluster: u32,
    pub new_cluster: bool,
    pub story: u32,
    pub new_story: bool,
    /// Similarity of the article to its cluster after joining (for choosing titles).
    pub centrality: f32,
}

/// A sparse vector spread into a cuckoo hash table (two direct-mapped halves, load ≤ 1/4),
/// so that a centroid's terms are looked up one by one without a branch: scoring hundreds of
/// candidate centroids per article is the clusterer's hot loop, and both a merge walk of two
/// sorted lists and a probing lookup mispredict a branch on about every term.
#[derive(Debug, Default)]
struct Table {
    /// `(term, weight)`, the two halves one after the other; empty slots hold weight 0, so
    /// they add nothing whatever term they are taken for.
    slots: Vec<(u32, f32)>,
    bits: u32,
    /// The vector when cuckoo insertion fails (next to never): merge walks instead.
    sorted: Option<Sparse>,
}

/// Most displacements of one cuckoo insertion before giving up.
const MAX_KICKS: usize = 64;

impl Table {
    fn slot(&self, t: u32, half: usize) -> usize {
        let mask = (1usize << self.bits) - 1;
        if half == 0 {
            t as usize & mask
        } else {
            // Top bits of a multiplicative hash: independent of the low bits used above.
            (1 << self.bits) + (t.wrapping_mul(0x9e37_79b1) >> (32 - self.bits)) as usize
        }
    }

    fn fill(&mut self, v: &[(u32, f32)]) {
        self.bits = (2 * v.len()).next_power_of_two().max(8).trailing_zeros();
        self.slots.clear();
        self.slots.resize(2 << self.bits, (0, 0.0));
        self.sorted = None;
        for &x in v.iter().filter(|x| x.1 != 0.0) {
            if !self.insert(x) {
                self.sorted = Some(v.to_vec());
                return;
            }
        }
    }

    fn insert(&mut self, mut x: (u32, f32)) -> bool {
        let mut half = 0;
        for _ in 0..MAX_KICKS {
            let i = self.slot(x.0, half);
            x = std::mem::replace(&mut self.slots[i], x);
            if x.1 == 0.0 {
                return true;
            }
            half ^= 1;
        }
        false
    }

    /// Dot product with a sparse vector; sums in `b`'s order, as [`dot`] does.
    fn dot(&self, b: &[(u32, f32)]) -> f32 {
        if let Some(a) = &self.sorted {
            return dot(a, b);
        }
        let pick = |i: usize, t: u32| {
            let (k, w) = self.slots[i];
            f32::from_bits(w.to_bits() & 0u32.wrapping_sub(u32::from(k == t)))
        };
        let mut s = 0.0;
        for &(t, w) in b {
            s += (pick(self.slot(t, 0), t) + pick(self.slot(t, 1), t)) * w;
        }
        s
    }
}

/// The article being placed, prepared once for all its candidates.
#[derive(Debug, Default)]
struct Query {
    tables: [Table; CHANNELS],
    norms: [f32; CHANNELS],
    /// Posting keys: the heaviest terms of each channel.
    keys: Vec<u32>,
    /// Candidate groups (scratch).
    candidates: Vec<u32>,
    /// Merged centroid, heaviest terms (scratch).
    scratch: Sparse,
}

impl Query {
    fn prepare(&mut self, p: &Profile, query_terms: usize) {
        for c in 0..CHANNELS {
            self.tables[c].fill(&p.channels[c]);
        }
        self.norms = norms(&p.channels);
        query_keys(p, query_terms, &mut self.scratch, &mut self.keys);
    }
}

/// Streaming clusterer: clusters and stories with their inverted indexes.
#[derive(Debug, Default)]
pub struct StreamClusterer {
    cfg: ClusterConfig,
    /// Document frequencies of the stream: what tells one event from the next.
    stats: TermStats,
    /// Names channel document frequencies seeded with the language's prior: what tells a
    /// story's key actors from words of every report, however small the stream.
    story_stats: TermStats,
    clusters: Vec<Group>,
    story_of: Vec<u32>,
    stories: Vec<Group>,
    cluster_postings: FxHashMap<u32, Vec<u32>>,
    story_postings: FxHashMap<u32, Vec<u32>>,
    query: Query,
    story_query: Query,
}

/// Terms of a profile to look candidates up by: the `n` heaviest of each channel, tagged
/// with the channel.
fn query_keys(p: &Profile, n: usize, scratch: &mut Sparse, out: &mut Vec<u32>) {
    out.clear();
    for (c, v) in p.channels.iter().enumerate() {
        scratch.clear();
        scratch.extend_from_slice(v);
        if scratch.len() > n {
            scratch.select_nth_unstable_by(n, heavier);
            scratch.truncate(n);
        }
        out.extend(scratch.iter().map(|x| (x.0 << 1) | c as u32));
    }
}

/// Groups posted under any of `keys`, the `walk` most recent per key, sorted and deduplicated.
fn candidates(postings: &FxHashMap<u32, Vec<u32>>, keys: &[u32], walk: usize, out: &mut Vec<u32>) {
    out.clear();
    out.extend(
        keys.iter()
            .filter_map(|k| postings.get(k))
            .flat_map(|list| list.iter().rev().take(walk).copied()),
    );
    out.sort_unstable();
    out.dedup();
}

/// How many candidates ahead their data is prefetched (the centroids live all over a large
/// heap: waiting for each from memory in turn, not arithmetic, is what scoring costs).
const AHEAD: usize = 4;

/// Asks the CPU to start loading the cache line at `p` (a hint; nothing off x86-64).
#[inline(always)]
fn prefetch<T>(p: *const T) {
    #[cfg(target_arch = "x86_64")]
    // SAFETY: a prefetch is a hint that never faults, whatever the address; SSE is part of
    // the x86-64 baseline (the intrinsic is safe to call from Rust 1.87 on).
    #[allow(unused_unsafe)]
    unsafe {
        std::arch::x86_64::_mm_prefetch::<{ std::arch::x86_64::_MM_HINT_T0 }>(p.cast::<i8>())
    };
    #[cfg(not(target_arch = "x86_64"))]
    let _ = p;
}

/// The most similar group among the candidates, with its time-decayed similarity.
///
/// Candidates are scored most recent first, since the latest clusters are the likeliest to
/// win, and channel by channel: once the channels scored so far cannot lift a candidate above
/// the best one (the others counted at cosine 1), the rest are skipped. The winner is the same
/// as scoring everything: the highest similarity, the most recent group among equals.
fn best(
    groups: &[Group],
    candidates: &[u32],
    q: &Query,
    date: Option<Date>,
    (weights, days): (&Weights, f32),
) -> Option<(u32, f32)> {
    let mut best: Option<(u32, f32)> = None;
    for (k, &g) in candidates.iter().enumerate().rev() {
        if let Some(&ahead) = k.checked_sub(2 * AHEAD).map(|i| &candidates[i]) {
            prefetch(&groups[ahead as usize]);
        }
        if let Some(&ahead) = k.checked_sub(AHEAD).map(|i| &candidates[i]) {
            groups[ahead as usize].prefetch(weights);
        }
        let group = &groups[g as usize];
        let decay = group.decay(date, days);
        let floor = best.map(|(_, s)| s);
        // Similarity is at most 1: a candidate faded below the best cannot win.
        if floor.is_some_and(|s| decay < s) {
            continue;
        }
        let Some(score) = group.similarity_to(weights, q, decay, floor) else {
            continue;
        };
        if best.is_none_or(|(b, s)| score > s || (score == s && g > b)) {
            best = Some((g, score));
        }
    }
    best
}

fn post(postings: &mut FxHashMap<u32, Vec<u32>>, keys: &[u32], id: u32) {
    for k in keys {
        let list = postings.entry(*k).or_default();
        if list.last() != Some(&id) {
            list.push(id);
        }
    }
}

impl StreamClusterer {
    pub fn new(cfg: ClusterConfig) -> Self {
        StreamClusterer {
            story_stats: TermStats::with_prior(cfg.language, cfg.prior_docs),
            cfg,
            ..StreamClusterer::default()
        }
    }

    pub fn cluster_count(&self) -> usize {
        self.clusters.len()
    }

    pub fn story_count(&self) -> usize {
        self.stories.len()
    }

    /// Earliest and latest dates of a cluster's members.
    pub fn cluster_dates(&self, cluster: u32) -> (Option<Date>, Option<Date>) {
        let g = &self.clusters[cluster as usize];
        (g.first, g.last)
    }

    /// The centroid profile of a cluster (for choosing a central sentence as title).
    pub fn cluster_profile(&self, cluster: u32) -> Profile {
        self.clusters[cluster as usize].profile()
    }

    /// Weights of the similarity.
    pub fn weights(&self) -> &Weights {
        &self.cfg.weights
    }

    /// Profile of a text under the current statistics (does not change them).
    pub fn profile(&self, f: &Features) -> Profile {
        self.stats.profile(f, self.cfg.doc_terms)
    }

    /// Places the next article (articles should arrive in time order).
    pub fn add(&mut self, f: &Features) -> Placement {
        let p = self.stats.add_and_profile(f, self.cfg.doc_terms);
        let q = &mut self.query;
        q.prepare(&p, self.cfg.query_terms);
        let ps = self
            .story_stats
            .add_and_profile_story(f, self.cfg.doc_terms);
        let sq = &mut self.story_query;
        sq.prepare(&ps, self.cfg.query_terms);
        let keep = self.cfg.centroid_terms;
        candidates(
            &self.cluster_postings,
            &q.keys,
            self.cfg.walk,
            &mut q.candidates,
        );
        let joined = best(
            &self.clusters,
            &q.candidates,
            q,
            f.date,
            (&self.cfg.weights, self.cfg.cluster_days),
        )
        .filter(|(_, s)| *s >= self.cfg.join);
        let (cluster, new_cluster, story, new_story) = match joined {
            Some((c, _)) => (c, false, self.story_of[c as usize], false),
            None => {
                let c = self.clusters.len() as u32;
                self.clusters.push(Group::default());
                candidates(
                    &self.story_postings,
                    &sq.keys,
                    self.cfg.walk,
                    &mut sq.candidates,
                );
                let found = best(
                    &self.stories,
                    &sq.candidates,
                    sq,
                    f.date,
                    (&self.cfg.story_weights, self.cfg.story_days),
                )
                .filter(|(_, s)| *s >= self.cfg.story_join);
                let (s, new) = match found {
                    Some((s, _)) => (s, false),
                    None => {
                        self.stories.push(Group::default());
                        (self.stories.len() as u32 - 1, true)
                    }
                };
                self.story_of.push(s);
                (c, true, s, new)
            }
        };
        self.clusters[cluster as usize].add(&p, f.date, (keep, &self.cfg.weights), &mut q.scratch);
        self.stories[story as usize].add(
            &ps,
            f.date,
            (keep, &self.cfg.story_weights),
            &mut sq.scratch,
        );
        post(&mut self.cluster_postings, &q.keys, cluster);
        post(&mut self.story_postings, &sq.keys, story);
        let centrality = self.clusters[cluster as usize]
            .similarity_to(&self.cfg.weights, q, 1.0, None)
            .unwrap_or(0.0);
        Placement {
            cluster,
            new_cluster,
            story,
            new_story,
            centrality,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn feats(text: &str, date: Option<Date>) -> Features {
        let a = Analyzer::for_language("de");
        let all = 0..text.len();
        features(a, text, std::slice::from_ref(&all), None, date)
    }

    fn terms(f: &Features, c: usize) -> Vec<u32> {
        let mut v: Vec<u32> = f.channels[c].iter().map(|x| x.0).collect();
        v.sort_unstable();
        v.dedup();
        v
    }

    #[test]
    fn names_are_capitalised_words_and_numbers() {
        let a = Analyzer::for_language("de");
        let text = "Der Minister traf Merkel in Berlin. Sie sprach 2023 über Russlands Rolle.";
        let f = features(
            a,
            text,
            std::slice::from_ref(&(0..text.len())),
            Some("–"),
            None,
        );
        let mut want: Vec<u32> = ["minis", "merke", "berli", "2023", "russl", "rolle"]
            .iter()
            .map(|w| term_id(w))
            .collect();
        want.sort_unstable();
        assert_eq!(
            terms(&f, 0),
            want,
            "sentence-initial stop words are no names"
        );
        // Weights fade with the position; the headline adds boosted terms.
        let weight = |f: &Features, w: &str| {
            let t = term_id(w);
            f.channels[0].iter().find(|x| x.0 == t).map_or(0.0, |x| x.1)
        };
        let fading: Vec<f32> = ["minis", "merke", "berli", "2023", "russl", "rolle"]
            .iter()
            .map(|w| weight(&f, w))
            .collect();
        assert!(fading.windows(2).all(|p| p[0] > p[1]) && fading[0] <= 1.0);
        let g = features(
            a,
            text,
            std::slice::from_ref(&(0..text.len())),
            Some("Merkel in Berlin"),
            None,
        );
        assert_eq!(terms(&g, 0), terms(&f, 0));
        assert_eq!(weight(&g, "merke"), weight(&f, "merke") + LEAD_BOOST[0]);
        assert_eq!(weight(&g, "minis"), weight(&f, "minis"));
    }

    #[test]
    fn features_list_each_term_once_and_stats_accept_raw_occurrences() {
        let f = feats("Berlin, Berlin, wir fahren nach Berlin.", None);
        for c in 0..CHANNELS {
            assert!(f.channels[c].windows(2).all(|p| p[0].0 < p[1].0));
        }
        let berlin = f.channels[0].iter().find(|x| x.0 == term_id("berli"));
        assert!(
            berlin.is_some_and(|x| x.1 > 2.0),
            "three occurrences summed"
        );
        // Raw, repeated occurrences in any order give the same profile as their sum.
        let raw = Features {
            channels: [vec![(7, 1.0), (3, 0.5), (7, 1.0)], vec![(9, 1.0)]],
            ..Features::default()
        };
        let summed = Features {
            channels: [vec![(3, 0.5), (7, 2.0)], vec![(9, 1.0)]],
            ..Features::default()
        };
        let (mut a, mut b) = (TermStats::default(), TermStats::default());
        a.add(&raw);
        b.add(&summed);
        assert_eq!(a.profile(&raw, 8), b.profile(&summed, 8));
        assert_eq!(a.add_and_profile(&raw, 8), b.add_and_profile(&summed, 8));
        // Adding and profiling in one pass is adding, then profiling.
        let mut c = a.clone();
        c.add(&raw);
        assert_eq!(c.profile(&raw, 1), a.add_and_profile(&raw, 1));
        assert_eq!(c.profile(&raw, 1).channels[0], [(7, 1.0)]);
    }

    #[test]
    fn grams_tie_inflected_and_misspelt_names() {
        let s = TermStats::default();
        let p = |t: &str| s.profile(&feats(t, None), 256);
        let a = p("Karoline Preisler liegt im Krankenhaus");
        let b = p("Karoline Praisler lag in einem Krankenhaus");
        let c = p("Der Stadtrat beschloss den Haushalt");
        let [_, ab] = channel_cosines(&a, &b);
        let [_, ac] = channel_cosines(&a, &c);
        assert!(ab > 0.4 && ac < 0.1, "{ab} {ac}");
    }

    #[test]
    fn lead_is_first_line_or_sentence() {
        let t = "Kurz und Kogler einig  Wien. Die Regierung steht.\nZweite Zeile";
        assert_eq!(
            lead_of(t, &crate::neardup::passages(t)),
            "Kurz und Kogler einig"
        );
        let long = format!("Erster Satz hier. {}", "Wort ".repeat(100));
        assert_eq!(
            lead_of(&long, std::slice::from_ref(&(0..long.len()))),
            "Erster Satz hier."
        );
        let one = "Wörter ".repeat(100);
        let lead = lead_of(&one, std::slice::from_ref(&(0..one.len())));
        assert!(lead.len() <= MAX_LEAD && lead.ends_with("Wörter"));
        assert_eq!(lead_of("", &[]), "");
    }

    #[test]
    fn weights_come_from_the_language_data() {
        let w = Weights::for_language("de");
        assert!((w.0.iter().sum::<f32>() - 1.0).abs() < 1e-5);
        assert!(w.0.iter().all(|&x| x > 0.0));
        assert_eq!(Weights::for_language("xx"), w);
        // Stories weigh key actors above topic; their rows do not leak into articles'.
        let s = Weights::for_stories("de");
        assert!((s.0.iter().sum::<f32>() - 1.0).abs() < 1e-5);
        assert!(s.0[0] > s.0[1] && s.0[1] > 0.0);
        assert_ne!(s, w);
    }

    #[test]
    fn similar_articles_cluster_and_time_separates() {
        let mut c = StreamClusterer::new(ClusterConfig::default());
        let d = |s: &str| Some(s.parse::<Date>().unwrap());
        let a = "Der Bundestag hat das Heizungsgesetz beschlossen. Die Koalition stimmte in Berlin für die Reform der Wärmepumpen.";
        let b = "Das Heizungsgesetz ist vom Bundestag beschlossen worden. Die Koalition in Berlin stimmte für die Reform, Wärmepumpen werden gefördert.";
        let x = "Der FC Bayern gewann in München gegen Dortmund mit drei zu eins. Kane traf zweimal im Stadion.";
        let p1 = c.add(&feats(a, d("2024-01-10")));
        let p2 = c.add(&feats(b, d("2024-01-11")));
        let p3 = c.add(&feats(x, d("2024-01-11")));
        assert!(p1.new_cluster && !p2.new_cluster && p3.new_cluster);
        assert_eq!(p1.cluster, p2.cluster);
        assert_ne!(p3.story, p1.story);
        // The same report two weeks later is a new cluster in the same story; a year later,
        // a new story.
        let p4 = c.add(&feats(b, d("2024-01-25")));
        assert!(p4.new_cluster && !p4.new_story);
        assert_eq!(p4.story, p1.story);
        let p5 = c.add(&feats(b, d("2025-01-25")));
        assert!(p5.new_cluster && p5.new_story);
        assert_eq!(
            c.cluster_dates(p1.cluster),
            (d("2024-01-10"), d("2024-01-11"))
        );
        assert_eq!((c.cluster_count(), c.story_count()), (4, 3));
    }

    #[test]
    fn undated_follow_up_with_the_same_actors_chains_into_the_story() {
        let mut c = StreamClusterer::new(ClusterConfig::default());
        let a = "Kanzler Olaf Scholz traf in Paris Präsident Emmanuel Macron. Scholz und Macron berieten über Hilfen für die Ukraine und die Lage an der Front.";
        let b = "Olaf Scholz und Emmanuel Macron eröffneten in Straßburg eine Ausstellung über das Mittelalter. Besucher bewundern Gemälde, Skulpturen und Handschriften.";
        let x = "Der FC Bayern gewann in München gegen Dortmund mit drei zu eins. Kane traf zweimal im Stadion.";
        let p1 = c.add(&feats(a, None));
        let p3 = c.add(&feats(x, None));
        let p2 = c.add(&feats(b, None));
        assert!(p2.new_cluster, "another event");
        assert_eq!(p2.story, p1.story, "the same key actors");
        assert_ne!(p3.story, p1.story);
    }

    #[test]
    fn capitals_and_adjectives_name_their_country_for_stories_only() {
        let f = feats(
            "Kiew schickt ukrainische Soldaten. Die Ukraine schweigt.",
            None,
        );
        let country = name_term("Ukraine");
        // The story list adds exactly one country's weight to the names channel.
        let added: Vec<u32> = f
            .story_names
            .iter()
            .filter(|x| !f.channels[0].contains(x))
            .map(|x| x.0)
            .collect();
        assert_eq!(added, [country], "{:?}", f.story_names);
        let names: Vec<u32> = f.channels[0].iter().map(|x| x.0).collect();
        assert!(
            names.contains(&name_term("Kiew")),
            "the capital stays a name"
        );
        assert_eq!(names.iter().filter(|&&t| t == country).count(), 1);
    }

    #[test]
    fn prior_weighs_common_words_below_rare_names() {
        let f = feats("Die Regierung in Kiew.", None);
        let weight = |s: &TermStats, w: &str| {
            let p = s.profile(&f, 48);
            p.channels[0]
                .iter()
                .find(|x| x.0 == name_term(w))
                .map_or(0.0, |x| x.1)
        };
        let ratio = |s: &TermStats| weight(s, "Regierung") / weight(s, "Kiew");
        let (plain, seeded) = (TermStats::default(), TermStats::with_prior("de", 300));
        assert!(ratio(&seeded) < 0.7 * ratio(&plain), "{}", ratio(&seeded));
    }

    #[test]
    fn similarity_bounds() {
        let s = TermStats::default();
        let f = feats("Ein Text über Wahlen in Berlin und Hamburg.", None);
        let p = s.profile(&f, 48);
        let w = Weights::for_language("de");
        assert!((similarity(&w, &p, &p) - 1.0).abs() < 1e-4);
        assert_eq!(similarity(&w, &p, &Profile::default()), 0.0);
        assert_eq!(
            similarity(&w, &Profile::default(), &Profile::default()),
            0.0
        );
    }

    /// A random sparse vector sorted by term, drawing terms from `0..universe`.
    fn random_sparse(seed: u64, len: usize, universe: u64) -> Sparse {
        let mut v: Sparse = (0..len as u64)
            .map(|i| {
                let h = mix(seed.wrapping_mul(1000).wrapping_add(i));
                (
                    (h % universe) as u32,
                    (h >> 40) as f32 / (1u64 << 24) as f32 + 0.01,
                )
            })
            .collect();
        compact(&mut v);
        v
    }

    #[test]
    fn counts_count_like_a_hash_map() {
        let mut counts = Counts::default();
        let mut want: FxHashMap<u32, u32> = FxHashMap::default();
        assert_eq!(counts.get(7), 0);
        for i in 0..5000u64 {
            let t = (mix(i % 1700) >> 40) as u32;
            *want.entry(t).or_default() += 1;
            assert_eq!(counts.add(t, 1), want[&t]);
        }
        assert!(want.iter().all(|(&t, &n)| counts.get(t) == n));
        assert_eq!(counts.get(u32::MAX), 0);
        assert!(2 * counts.len <= counts.slots.len());
    }

    #[test]
    fn table_dot_is_the_merge_dot() {
        let mut t = Table::default();
        for (seed, len) in [(1, 0), (2, 1), (3, 7), (4, 64), (5, 256), (6, 300)] {
            let a = random_sparse(seed, len, 400);
            t.fill(&a);
            assert!(t.sorted.is_none());
            for other in 0..5 {
                let b = random_sparse(100 + other, 128, 400);
                assert_eq!(t.dot(&b).to_bits(), dot(&a, &b).to_bits());
            }
        }
        // Terms that share both cuckoo slots cannot all be placed: merge walks instead.
        let clash: Sparse = (0..8).map(|i| (i << 20, 1.0)).collect();
        t.fill(&clash);
        assert!(t.sorted.is_some());
        assert_eq!(t.dot(&clash), 8.0);
    }

    #[test]
    fn pruned_search_finds_the_brute_force_best() {
        let w = Weights([0.42, 0.58]);
        let groups: Vec<Group> = (0..60)
            .map(|g| {
                let mut group = Group::default();
                let mut scratch = Vec::new();
                for k in 0..1 + g % 4 {
                    let p = Profile {
                        channels: [
                            random_sparse(g * 10 + k, 30, 200),
                            random_sparse(g * 10 + k + 5000, 120, 600),
                        ],
                    };
                    group.add(&p, None, (128, &w), &mut scratch);
                }
                group
            })
            .collect();
        let all: Vec<u32> = (0..groups.len() as u32).collect();
        let mut q = Query::default();
        for seed in 0..20 {
            let p = Profile {
                channels: [
                    random_sparse(seed * 10, 30, 200),
                    random_sparse(seed * 10 + 5000, 120, 600),
                ],
            };
            q.prepare(&p, 8);
            for weights in [&w, &Weights([1.0, 0.0])] {
                let brute = all
                    .iter()
                    .map(|&g| (g, similarity(weights, &p, &groups[g as usize].profile())))
                    .max_by(|a, b| a.1.total_cmp(&b.1).then(a.0.cmp(&b.0)));
                let found = best(&groups, &all, &q, None, (weights, 1.0));
                assert_eq!(found.map(|b| b.0), brute.map(|b| b.0));
                let (found, brute) = (found.unwrap().1, brute.unwrap().1);
                assert!((found - brute).abs() < 1e-6, "{found} {brute}");
            }
        }
    }
}
