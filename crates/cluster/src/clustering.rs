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

use crate::analyze::{mix, term_id, word_hash, words, Analyzer};
use jiff::civil::Date;
use lagebild_core::lang;
use rustc_hash::{FxHashMap, FxHashSet};
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
/// Characters kept of a name-like word: folds inflection ("Russlands", "Russland").
const NAME_PREFIX: usize = 5;

/// What the clusterer needs of an article: weighted term occurrences per channel.
#[derive(Clone, Debug, Default)]
pub struct Features {
    pub channels: [Vec<(u32, f32)>; CHANNELS],
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
    for r in words(text) {
        let gap = &text[prev_end..r.start];
        let opens = prev_end == 0 || gap.contains(['.', '!', '?', ':', '\n', '|']);
        prev_end = r.end;
        let w = &text[r];
        let weight = boost.unwrap_or_else(|| [1.0 / (1.0 + *pos as f32 / HALF_WEIGHT_AT); 2]);
        *pos += 1;
        let stop = analyzer.is_stopword(word_hash(w));
        let first = w.chars().next().unwrap_or(' ');
        if w.bytes().all(|b| b.is_ascii_digit()) {
            if w.len() >= 2 {
                f.channels[0].push((term_id(w), weight[0]));
            }
        } else if first.is_uppercase() && !(opens && stop) && w.chars().nth(2).is_some() {
            let cut = w
                .char_indices()
                .nth(NAME_PREFIX)
                .map_or(w.len(), |(b, _)| b);
            f.channels[0].push((term_id(&w[..cut]), weight[0]));
        }
        if stop || w.chars().nth(1).is_none() {
            continue;
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
    }
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
    /// The weights of a language (those of the default language when it has none); equal
    /// weights when no data file gives any.
    pub fn for_language(code: &str) -> Self {
        let mut w = [0.0; CHANNELS];
        for row in lang::get_or_default(code).rows("cluster-similarity.tsv") {
            let (Some(name), Some(value)) = (row.first(), row.get(1)) else {
                continue;
            };
            if let (Some(c), Ok(v)) = (
                CHANNEL_NAMES.iter().position(|n| n == name),
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

/// Cosine of each channel, given both sides' norms (a cluster's vectors are unnormalised sums;
/// an article's norms are computed once for all its candidates).
fn cosines_with_norms(
    (a, a_norms): (&Profile, &[f32; CHANNELS]),
    b: &[Sparse; CHANNELS],
    b_norms: &[f32; CHANNELS],
) -> [f32; CHANNELS] {
    std::array::from_fn(|c| {
        let n = a_norms[c] * b_norms[c];
        if n > 0.0 {
            (dot(&a.channels[c], &b[c]) / n).clamp(0.0, 1.0)
        } else {
            0.0
        }
    })
}

/// Cosine of each channel of two profiles.
pub fn channel_cosines(a: &Profile, b: &Profile) -> [f32; CHANNELS] {
    cosines_with_norms((a, &norms(&a.channels)), &b.channels, &norms(&b.channels))
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

/// Document frequencies seen so far, for IDF weights.
#[derive(Clone, Debug, Default)]
pub struct TermStats {
    df: [FxHashMap<u32, u32>; CHANNELS],
    docs: u32,
}

impl TermStats {
    /// Counts an article's terms once each.
    pub fn add(&mut self, f: &Features) {
        self.docs += 1;
        for (c, list) in f.channels.iter().enumerate() {
            let set: FxHashSet<u32> = list.iter().map(|x| x.0).collect();
            for t in set {
                *self.df[c].entry(t).or_default() += 1;
            }
        }
    }

    fn idf(&self, c: usize, t: u32) -> f32 {
        let df = self.df[c].get(&t).copied().unwrap_or(0) as f32;
        ((self.docs as f32 + 1.0) / (df + 1.0)).ln() + 1.0
    }

    fn vector(&self, c: usize, list: &[(u32, f32)], max_terms: usize) -> Sparse {
        let mut tf: FxHashMap<u32, f32> = FxHashMap::default();
        for &(t, w) in list {
            *tf.entry(t).or_default() += w;
        }
        let mut v: Sparse = tf
            .into_iter()
            .map(|(t, n)| (t, n.ln_1p() * self.idf(c, t)))
            .collect();
        if v.len() > max_terms {
            v.select_nth_unstable_by(max_terms, |a, b| b.1.total_cmp(&a.1));
            v.truncate(max_terms);
        }
        let n = norm(&v).max(f32::MIN_POSITIVE);
        for x in &mut v {
            x.1 /= n;
        }
        v.sort_unstable_by_key(|x| x.0);
        v
    }

    /// TF-IDF profile with at most `max_terms` terms per channel.
    pub fn profile(&self, f: &Features, max_terms: usize) -> Profile {
        Profile {
            channels: std::array::from_fn(|c| self.vector(c, &f.channels[c], max_terms)),
        }
    }
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
}

impl Default for ClusterConfig {
    /// Sizes and thresholds with the weights of the default language (`und`: undetermined).
    fn default() -> Self {
        Self::for_language("und")
    }
}

impl ClusterConfig {
    /// Sizes and thresholds with the similarity weights of a language.
    pub fn for_language(code: &str) -> Self {
        ClusterConfig {
            doc_terms: 256,
            centroid_terms: 128,
            join: 0.55,
            story_join: 0.5,
            cluster_days: 3.0,
            story_days: 60.0,
            walk: 16,
            query_terms: 8,
            weights: Weights::for_language(code),
            story_weights: Weights([1.0, 0.0]),
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
    fn add(&mut self, p: &Profile, date: Option<Date>, keep: usize) {
        for (c, v) in p.channels.iter().enumerate() {
            self.sum[c] = merge(&self.sum[c], v, keep);
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

    fn similarity(&self, w: &Weights, p: (&Profile, &[f32; CHANNELS])) -> f32 {
        combine(w, &cosines_with_norms(p, &self.sum, &self.norms))
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

/// Sum of two sparse vectors, keeping the `keep` heaviest terms.
fn merge(a: &[(u32, f32)], b: &[(u32, f32)], keep: usize) -> Sparse {
    let mut out = Vec::with_capacity(a.len() + b.len());
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
    out
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

/// Streaming clusterer: clusters and stories with their inverted indexes.
#[derive(Debug, Default)]
pub struct StreamClusterer {
    cfg: ClusterConfig,
    stats: TermStats,
    clusters: Vec<Group>,
    story_of: Vec<u32>,
    stories: Vec<Group>,
    cluster_postings: FxHashMap<u32, Vec<u32>>,
    story_postings: FxHashMap<u32, Vec<u32>>,
}

/// Terms of a profile to look candidates up by: the heaviest of each channel.
fn query_terms(p: &Profile, n: usize) -> Vec<u32> {
    let mut out = Vec::with_capacity(CHANNELS * n);
    for c in 0..CHANNELS {
        let mut v = p.channels[c].clone();
        v.sort_unstable_by(|a, b| b.1.total_cmp(&a.1));
        out.extend(v.iter().take(n).map(|x| (x.0 << 1) | c as u32));
    }
    out
}

fn candidates(postings: &FxHashMap<u32, Vec<u32>>, keys: &[u32], walk: usize) -> Vec<u32> {
    let mut out: Vec<u32> = keys
        .iter()
        .filter_map(|k| postings.get(k))
        .flat_map(|list| list.iter().rev().take(walk).copied())
        .collect();
    out.sort_unstable();
    out.dedup();
    out
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

    fn best(
        &self,
        groups: &[Group],
        postings: &FxHashMap<u32, Vec<u32>>,
        keys: &[u32],
        p: &Profile,
        date: Option<Date>,
        (weights, days): (&Weights, f32),
    ) -> Option<(u32, f32)> {
        let p_norms = norms(&p.channels);
        let mut best: Option<(u32, f32)> = None;
        for g in candidates(postings, keys, self.cfg.walk) {
            let group = &groups[g as usize];
            let decay = group.decay(date, days);
            // Similarity is at most 1: a candidate faded below the best cannot win.
            if best.is_some_and(|(_, s)| decay < s) {
                continue;
            }
            let score = group.similarity(weights, (p, &p_norms)) * decay;
            if best.is_none_or(|(b, s)| score > s || (score == s && g > b)) {
                best = Some((g, score));
            }
        }
        best
    }

    /// Places the next article (articles should arrive in time order).
    pub fn add(&mut self, f: &Features) -> Placement {
        self.stats.add(f);
        let p = self.stats.profile(f, self.cfg.doc_terms);
        let keys = query_terms(&p, self.cfg.query_terms);
        let keep = self.cfg.centroid_terms;
        let joined = self
            .best(
                &self.clusters,
                &self.cluster_postings,
                &keys,
                &p,
                f.date,
                (&self.cfg.weights, self.cfg.cluster_days),
            )
            .filter(|(_, s)| *s >= self.cfg.join);
        let (cluster, new_cluster, story, new_story) = match joined {
            Some((c, _)) => (c, false, self.story_of[c as usize], false),
            None => {
                let c = self.clusters.len() as u32;
                self.clusters.push(Group::default());
                let found = self
                    .best(
                        &self.stories,
                        &self.story_postings,
                        &keys,
                        &p,
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
        self.clusters[cluster as usize].add(&p, f.date, keep);
        self.stories[story as usize].add(&p, f.date, keep);
        post(&mut self.cluster_postings, &keys, cluster);
        post(&mut self.story_postings, &keys, story);
        let centrality = self.clusters[cluster as usize]
            .similarity(&self.cfg.weights, (&p, &norms(&p.channels)));
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
        let w: Vec<f32> = f.channels[0].iter().map(|x| x.1).collect();
        assert!(w.windows(2).all(|p| p[0] > p[1]) && w[0] <= 1.0);
        let g = features(
            a,
            text,
            std::slice::from_ref(&(0..text.len())),
            Some("Merkel in Berlin"),
            None,
        );
        assert_eq!(g.channels[0].len(), f.channels[0].len() + 2);
        assert_eq!(g.channels[0].last().map(|x| x.1), Some(LEAD_BOOST[0]));
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
}
