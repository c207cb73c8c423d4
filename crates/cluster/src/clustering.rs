//! Article similarity and streaming event clustering with story chains, on plain features.
//!
//! An article is three sparse TF-IDF vectors: content stems, names (entity mentions when the
//! entity stage found some, else capitalised words inside sentences and numbers — the words that
//! tie a report to one event), and the lead (headline or first passage). Each arriving article
//! joins the most similar recent cluster or opens one (Miranda et al. 2018: TF-IDF and entity
//! similarity with time decay); a new cluster joins the most similar story, compared over a
//! much longer time. Document frequencies, centroids and postings stay in memory, so adding
//! an article costs the same whatever the corpus size.

use crate::analyze::{term_id, words, Analyzer};
use jiff::civil::Date;
use rustc_hash::{FxHashMap, FxHashSet};

/// A sparse vector sorted by term.
pub type Sparse = Vec<(u32, f32)>;

/// What the clusterer needs of an article.
#[derive(Clone, Debug, Default)]
pub struct Features {
    pub terms: Vec<u32>,
    pub names: Vec<u32>,
    pub lead: Vec<u32>,
    pub date: Option<Date>,
}

/// Name-like words: capitalised words that do not open a sentence, and numbers of two or
/// more digits. In German every noun is capitalised, so this is a rough proxy for entities,
/// used only when no entity mentions are given.
pub fn name_proxy(text: &str, out: &mut Vec<u32>) {
    let mut prev_end = 0;
    for r in words(text) {
        let gap = &text[prev_end..r.start];
        let opens = prev_end == 0 || gap.contains(['.', '!', '?', ':', '\n', '|']);
        prev_end = r.end;
        let w = &text[r];
        let first = w.chars().next().unwrap_or(' ');
        let digits = w.bytes().all(|b| b.is_ascii_digit());
        if digits && w.len() >= 2 {
            out.push(term_id(w));
        } else if first.is_uppercase() && !opens && w.chars().count() > 2 {
            let cut = w.char_indices().nth(5).map_or(w.len(), |(b, _)| b);
            out.push(term_id(&w[..cut]));
        }
    }
}

/// Features of a text. `passages` are the byte ranges to read (boilerplate left out); the
/// lead is the title when known, else the first passage; `entities` replace the name proxy.
pub fn features(
    analyzer: &Analyzer,
    text: &str,
    passages: &[std::ops::Range<usize>],
    title: Option<&str>,
    entities: &[u32],
    date: Option<Date>,
) -> Features {
    let mut f = Features {
        date,
        ..Features::default()
    };
    for r in passages {
        analyzer.content_terms(&text[r.clone()], &mut f.terms);
        if entities.is_empty() {
            name_proxy(&text[r.clone()], &mut f.names);
        }
    }
    f.names.extend_from_slice(entities);
    match (title, passages.first()) {
        (Some(t), _) => analyzer.content_terms(t, &mut f.lead),
        (None, Some(r)) => analyzer.content_terms(&text[r.clone()], &mut f.lead),
        (None, None) => {}
    }
    f
}

/// Channel weights: stems, names, lead.
const WEIGHTS: [f32; 3] = [0.5, 0.3, 0.2];

/// An article's (or a cluster's) normalised vectors.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Profile {
    pub channels: [Sparse; 3],
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

/// Similarity of two articles or an article and a centroid, 0–1: the square root of the
/// weighted cosines of the channels present on either side (the root spreads the low range,
/// where same-story and unrelated pairs are told apart).
pub fn similarity(a: &Profile, b: &Profile) -> f32 {
    let nb = [
        norm(&b.channels[0]),
        norm(&b.channels[1]),
        norm(&b.channels[2]),
    ];
    similarity_with_norms(a, &b.channels, &nb)
}

/// [`similarity`] against unnormalised sums whose norms are known.
fn similarity_with_norms(a: &Profile, b: &[Sparse; 3], b_norms: &[f32; 3]) -> f32 {
    let (mut s, mut w) = (0.0, 0.0);
    for (c, weight) in WEIGHTS.iter().enumerate() {
        let (x, y) = (&a.channels[c], &b[c]);
        if x.is_empty() && y.is_empty() {
            continue;
        }
        w += weight;
        let n = norm(x) * b_norms[c];
        if n > 0.0 {
            s += weight * dot(x, y) / n;
        }
    }
    if w == 0.0 {
        0.0
    } else {
        (s / w).clamp(0.0, 1.0).sqrt()
    }
}

/// Document frequencies seen so far, for IDF weights.
#[derive(Clone, Debug, Default)]
pub struct TermStats {
    df: [FxHashMap<u32, u32>; 2],
    docs: u32,
}

impl TermStats {
    /// Counts an article's terms and names once each.
    pub fn add(&mut self, f: &Features) {
        self.docs += 1;
        for (c, list) in [&f.terms, &f.names].into_iter().enumerate() {
            let set: FxHashSet<u32> = list.iter().copied().collect();
            for t in set {
                *self.df[c].entry(t).or_default() += 1;
            }
        }
    }

    fn idf(&self, c: usize, t: u32) -> f32 {
        let df = self.df[c].get(&t).copied().unwrap_or(0) as f32;
        ((self.docs as f32 + 1.0) / (df + 1.0)).ln() + 1.0
    }

    fn vector(&self, c: usize, list: &[u32], max_terms: usize) -> Sparse {
        let mut tf: FxHashMap<u32, u32> = FxHashMap::default();
        for &t in list {
            *tf.entry(t).or_default() += 1;
        }
        let mut v: Sparse = tf
            .into_iter()
            .map(|(t, n)| (t, (1.0 + (n as f32).ln()) * self.idf(c, t)))
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

    /// TF-IDF profile with at most `max_terms` terms per channel (the lead uses stem IDF).
    pub fn profile(&self, f: &Features, max_terms: usize) -> Profile {
        Profile {
            channels: [
                self.vector(0, &f.terms, max_terms),
                self.vector(1, &f.names, max_terms),
                self.vector(0, &f.lead, max_terms),
            ],
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
    /// Terms of an article used to look up candidates.
    pub query_terms: usize,
}

impl Default for ClusterConfig {
    fn default() -> Self {
        ClusterConfig {
            doc_terms: 48,
            centroid_terms: 96,
            join: 0.5,
            story_join: 0.4,
            cluster_days: 3.0,
            story_days: 60.0,
            walk: 16,
            query_terms: 6,
        }
    }
}

#[derive(Clone, Debug, Default)]
struct Group {
    sum: [Sparse; 3],
    norms: [f32; 3],
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

    fn similarity(&self, p: &Profile) -> f32 {
        similarity_with_norms(p, &self.sum, &self.norms)
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

/// Terms of a profile to look candidates up by: the heaviest stems and names.
fn query_terms(p: &Profile, n: usize) -> Vec<u32> {
    let mut out = Vec::with_capacity(2 * n);
    for c in 0..2 {
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
        days: f32,
    ) -> Option<(u32, f32)> {
        candidates(postings, keys, self.cfg.walk)
            .into_iter()
            .map(|g| {
                let group = &groups[g as usize];
                (g, group.similarity(p) * group.decay(date, days))
            })
            .max_by(|a, b| a.1.total_cmp(&b.1).then(a.0.cmp(&b.0)))
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
                self.cfg.cluster_days,
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
                        self.cfg.story_days,
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
        let centrality = self.clusters[cluster as usize].similarity(&p);
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
        features(a, text, std::slice::from_ref(&all), None, &[], date)
    }

    #[test]
    fn names_proxy_skips_sentence_starts() {
        let mut v = Vec::new();
        name_proxy(
            "Gestern traf Merkel in Berlin ein. Dort sprach sie 2023.",
            &mut v,
        );
        let mut want = vec![term_id("merke"), term_id("berli"), term_id("2023")];
        v.sort_unstable();
        want.sort_unstable();
        assert_eq!(v, want);
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
        // The same report a year later is a new cluster, but the same story.
        let p4 = c.add(&feats(b, d("2025-01-11")));
        assert!(p4.new_cluster);
        assert_eq!(
            c.cluster_dates(p1.cluster),
            (d("2024-01-10"), d("2024-01-11"))
        );
        assert_eq!(c.cluster_count(), 3);
        let _ = p4.story;
    }

    #[test]
    fn similarity_bounds() {
        let s = TermStats::default();
        let f = feats("Ein Text über Wahlen in Berlin und Hamburg.", None);
        let p = s.profile(&f, 48);
        assert!((similarity(&p, &p) - 1.0).abs() < 1e-4);
        assert_eq!(similarity(&p, &Profile::default()), 0.0);
        assert_eq!(similarity(&Profile::default(), &Profile::default()), 0.0);
    }
}
