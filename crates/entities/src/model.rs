//! Structured averaged perceptron with first-order Viterbi decoding over BIO labels
//! (Collins 2002): small, fast, and trainable in seconds on the GermEval dev split.

use crate::features::extract;
use crate::lexicon::Lexicon;
use anyhow::{bail, Context};
use std::collections::HashMap;
use std::hash::{BuildHasherDefault, Hasher};

/// Entity types in GermEval order; `deriv` and `part` forms are tagged apart as in the gold data.
pub const TYPES: [&str; 12] = [
    "PER", "ORG", "LOC", "OTH", "PERderiv", "ORGderiv", "LOCderiv", "OTHderiv", "PERpart",
    "ORGpart", "LOCpart", "OTHpart",
];
/// O, then B- and I- of every type.
pub const LABELS: usize = 1 + 2 * TYPES.len();
const START: usize = LABELS;
/// Format and feature-set version: a model trained with other features must not load.
const MAGIC: &[u8; 8] = b"LBNER02\n";

/// Label index of a BIO tag such as `B-LOCderiv`; unknown tags are `O`.
pub fn label_of(tag: &str) -> usize {
    let (bi, ty) = match tag.split_once('-') {
        Some(("B", t)) => (1, t),
        Some(("I", t)) => (2, t),
        _ => return 0,
    };
    TYPES
        .iter()
        .position(|t| *t == ty)
        .map_or(0, |k| 2 * k + bi)
}

/// Type index of a B/I label.
pub fn type_of(label: usize) -> Option<usize> {
    (label > 0).then(|| (label - 1) / 2)
}

fn is_inside(label: usize) -> bool {
    label > 0 && (label - 1) % 2 == 1
}

/// BIO constraint: `I-X` only continues `B-X` or `I-X`.
fn allowed(prev: usize, cur: usize) -> bool {
    !is_inside(cur) || (prev != START && prev != 0 && type_of(prev) == type_of(cur))
}

/// Chunks `(type, start, end)` of a label sequence, CoNLL style (a stray `I-X` opens a chunk).
pub fn chunks(labels: &[usize]) -> Vec<(usize, usize, usize)> {
    let mut out = Vec::new();
    let mut open: Option<(usize, usize)> = None;
    for (i, &l) in labels.iter().enumerate() {
        let continues = is_inside(l) && open.is_some_and(|(t, _)| Some(t) == type_of(l));
        if !continues {
            if let Some((t, s)) = open.take() {
                out.push((t, s, i));
            }
            if let Some(t) = type_of(l) {
                open = Some((t, i));
            }
        }
    }
    if let Some((t, s)) = open {
        out.push((t, s, labels.len()));
    }
    out
}

/// Multiplicative hasher for keys that are already hashes.
#[derive(Default)]
struct IdHasher(u64);

impl Hasher for IdHasher {
    fn finish(&self) -> u64 {
        self.0
    }
    fn write(&mut self, bytes: &[u8]) {
        for &b in bytes {
            self.0 = (self.0 << 8 | b as u64).wrapping_mul(0x9e37_79b9_7f4a_7c15);
        }
    }
    fn write_u32(&mut self, n: u32) {
        self.0 = (n as u64).wrapping_mul(0x9e37_79b9_7f4a_7c15);
    }
}

type IdMap<V> = HashMap<u32, V, BuildHasherDefault<IdHasher>>;

/// A trained tagger: sparse feature weights and label transitions.
#[derive(Debug, Default)]
pub struct Tagger {
    /// Feature → range into `entries`.
    index: IdMap<(u32, u32)>,
    entries: Vec<(u8, f32)>,
    /// `(prev or START) * LABELS + cur`.
    trans: Vec<f32>,
}

/// Reusable buffers for tagging, so the hot loop does not allocate per sentence.
#[derive(Default)]
pub struct Scratch {
    feats: Vec<u32>,
    offsets: Vec<usize>,
    scores: Vec<f32>,
    back: Vec<u8>,
}

impl Tagger {
    /// Labels of one sentence.
    pub fn tag(&self, lex: &Lexicon, words: &[&str], scratch: &mut Scratch) -> Vec<usize> {
        if words.is_empty() {
            return Vec::new();
        }
        extract(lex, words, &mut scratch.feats, &mut scratch.offsets);
        let n = words.len();
        scratch.scores.clear();
        scratch.scores.resize(n * LABELS, 0.0);
        for i in 0..n {
            let row = &mut scratch.scores[i * LABELS..(i + 1) * LABELS];
            for f in &scratch.feats[scratch.offsets[i]..scratch.offsets[i + 1]] {
                if let Some(&(s, e)) = self.index.get(f) {
                    for &(l, w) in &self.entries[s as usize..e as usize] {
                        row[l as usize] += w;
                    }
                }
            }
        }
        viterbi(&scratch.scores, &self.trans, n, &mut scratch.back)
    }

    pub fn to_bytes(&self) -> Vec<u8> {
        let mut keys: Vec<u32> = self.index.keys().copied().collect();
        keys.sort_unstable();
        let mut out = MAGIC.to_vec();
        out.extend((LABELS as u32).to_le_bytes());
        for t in &self.trans {
            out.extend(t.to_le_bytes());
        }
        out.extend((keys.len() as u32).to_le_bytes());
        for k in keys {
            let (s, e) = self.index[&k];
            out.extend(k.to_le_bytes());
            out.push((e - s) as u8);
            for &(l, w) in &self.entries[s as usize..e as usize] {
                out.push(l);
                out.extend(w.to_le_bytes());
            }
        }
        out
    }

    pub fn from_bytes(bytes: &[u8]) -> anyhow::Result<Tagger> {
        let mut r = Reader { bytes, at: 0 };
        if r.take(MAGIC.len())? != MAGIC {
            bail!("not a lagebild NER model (bad magic)");
        }
        if r.u32()? as usize != LABELS {
            bail!("NER model has a different label set");
        }
        let mut tagger = Tagger::default();
        for _ in 0..(LABELS + 1) * LABELS {
            tagger.trans.push(r.f32()?);
        }
        let n = r.u32()? as usize;
        tagger.index.reserve(n);
        for _ in 0..n {
            let key = r.u32()?;
            let count = r.take(1)?[0] as usize;
            let start = tagger.entries.len() as u32;
            for _ in 0..count {
                let l = r.take(1)?[0];
                if l as usize >= LABELS {
                    bail!("NER model: label {l} out of range");
                }
                tagger.entries.push((l, r.f32()?));
            }
            tagger
                .index
                .insert(key, (start, tagger.entries.len() as u32));
        }
        if r.at != bytes.len() {
            bail!("NER model: {} trailing bytes", bytes.len() - r.at);
        }
        Ok(tagger)
    }

    /// Number of features with weights.
    pub fn features(&self) -> usize {
        self.index.len()
    }
}

struct Reader<'a> {
    bytes: &'a [u8],
    at: usize,
}

impl Reader<'_> {
    fn take(&mut self, n: usize) -> anyhow::Result<&[u8]> {
        let s = self
            .bytes
            .get(self.at..self.at + n)
            .context("NER model truncated")?;
        self.at += n;
        Ok(s)
    }
    fn u32(&mut self) -> anyhow::Result<u32> {
        Ok(u32::from_le_bytes(self.take(4)?.try_into()?))
    }
    fn f32(&mut self) -> anyhow::Result<f32> {
        Ok(f32::from_le_bytes(self.take(4)?.try_into()?))
    }
}

/// Best label sequence under emission `scores` (n × LABELS) and transitions.
fn viterbi(scores: &[f32], trans: &[f32], n: usize, back: &mut Vec<u8>) -> Vec<usize> {
    back.clear();
    back.resize(n * LABELS, 0);
    // Transitions with the BIO constraint folded in, transposed so the inner loop is contiguous.
    let mut t = [[f32::NEG_INFINITY; LABELS + 1]; LABELS];
    for (c, row) in t.iter_mut().enumerate() {
        for (p, v) in row.iter_mut().enumerate() {
            if allowed(p, c) {
                *v = trans[p * LABELS + c];
            }
        }
    }
    let mut prev = [f32::NEG_INFINITY; LABELS];
    for (c, p) in prev.iter_mut().enumerate() {
        *p = scores[c] + t[c][START];
    }
    let mut cur = [f32::NEG_INFINITY; LABELS];
    for i in 1..n {
        for c in 0..LABELS {
            let mut best = f32::NEG_INFINITY;
            let mut arg = 0;
            for p in 0..LABELS {
                let s = prev[p] + t[c][p];
                if s > best {
                    best = s;
                    arg = p;
                }
            }
            cur[c] = best + scores[i * LABELS + c];
            back[i * LABELS + c] = arg as u8;
        }
        std::mem::swap(&mut prev, &mut cur);
    }
    let mut last = 0;
    for c in 0..LABELS {
        if prev[c] > prev[last] {
            last = c;
        }
    }
    let mut out = vec![0; n];
    out[n - 1] = last;
    for i in (1..n).rev() {
        last = back[i * LABELS + last] as usize;
        out[i - 1] = last;
    }
    out
}

/// A training sentence: words and gold label indexes.
#[derive(Clone, Debug)]
pub struct Sentence {
    pub words: Vec<String>,
    pub labels: Vec<usize>,
}

/// Training settings; the seed fixes the sentence order, so training is reproducible.
#[derive(Clone, Copy, Debug)]
pub struct TrainConfig {
    pub epochs: usize,
    pub seed: u64,
    /// Perceptrons trained on different sentence orders whose averaged weights are added up: one
    /// model of the same size and speed, less dependent on the order of the few training sentences.
    pub ensemble: usize,
}

impl Default for TrainConfig {
    fn default() -> Self {
        TrainConfig {
            epochs: 18,
            seed: 0x5eed_1a6e_b11d,
            ensemble: 3,
        }
    }
}

/// Trains a tagger on sentences (averaged structured perceptrons, summed over the ensemble).
pub fn train(lex: &Lexicon, data: &[Sentence], config: TrainConfig) -> Tagger {
    // Features are label independent: extract once.
    let mut feats: Vec<(Vec<u32>, Vec<usize>)> = Vec::with_capacity(data.len());
    for s in data {
        let words: Vec<&str> = s.words.iter().map(String::as_str).collect();
        let (mut f, mut o) = (Vec::new(), Vec::new());
        extract(lex, &words, &mut f, &mut o);
        feats.push((f, o));
    }
    let mut weights: IdMap<[f32; LABELS]> = IdMap::default();
    let mut trans = vec![0.0f32; (LABELS + 1) * LABELS];
    let mut seed = config.seed;
    for _ in 0..config.ensemble.max(1) {
        let (rows, w, t) = perceptron(&feats, data, config.epochs, seed);
        for (key, r) in rows {
            let sum = weights.entry(key).or_insert([0.0; LABELS]);
            for (s, v) in sum.iter_mut().zip(&w[r as usize * LABELS..][..LABELS]) {
                *s += v;
            }
        }
        for (s, v) in trans.iter_mut().zip(&t) {
            *s += v;
        }
        seed = seed.wrapping_mul(0x9e37_79b9_7f4a_7c15).rotate_left(17);
    }
    // Keep the non-zero weights, sparsely, in key order (reproducible bytes).
    let mut tagger = Tagger {
        trans,
        ..Tagger::default()
    };
    let mut keyed: Vec<(u32, [f32; LABELS])> = weights.into_iter().collect();
    keyed.sort_unstable_by_key(|(k, _)| *k);
    for (key, row) in keyed {
        let start = tagger.entries.len() as u32;
        for (l, &v) in row.iter().enumerate() {
            if v.abs() > 1e-4 {
                tagger.entries.push((l as u8, v));
            }
        }
        let end = tagger.entries.len() as u32;
        if end > start {
            tagger.index.insert(key, (start, end));
        }
    }
    tagger
}

/// One averaged structured perceptron: feature rows, averaged weights (`LABELS` per row) and
/// averaged transitions.
#[allow(clippy::type_complexity)]
fn perceptron(
    feats: &[(Vec<u32>, Vec<usize>)],
    data: &[Sentence],
    epochs: usize,
    seed: u64,
) -> (IdMap<u32>, Vec<f32>, Vec<f32>) {
    let mut rows: IdMap<u32> = IdMap::default();
    let mut w: Vec<f32> = Vec::new();
    let mut u: Vec<f32> = Vec::new();
    let mut tw = vec![0.0f32; (LABELS + 1) * LABELS];
    let mut tu = vec![0.0f32; (LABELS + 1) * LABELS];
    let mut c: f32 = 1.0;
    let mut order: Vec<usize> = (0..data.len()).collect();
    let mut rng = seed | 1;
    let mut scores = Vec::new();
    let mut back = Vec::new();
    for _ in 0..epochs {
        for i in (1..order.len()).rev() {
            rng ^= rng << 13;
            rng ^= rng >> 7;
            rng ^= rng << 17;
            order.swap(i, (rng % (i as u64 + 1)) as usize);
        }
        for &si in &order {
            let (f, o) = &feats[si];
            let gold = &data[si].labels;
            let n = gold.len();
            if n == 0 {
                continue;
            }
            scores.clear();
            scores.resize(n * LABELS, 0.0);
            for i in 0..n {
                for feat in &f[o[i]..o[i + 1]] {
                    if let Some(&r) = rows.get(feat) {
                        let r = r as usize * LABELS;
                        for l in 0..LABELS {
                            scores[i * LABELS + l] += w[r + l];
                        }
                    }
                }
            }
            let pred = viterbi(&scores, &tw, n, &mut back);
            if pred != *gold {
                for i in 0..n {
                    let (g, p) = (gold[i], pred[i]);
                    let (gp, pp) = if i == 0 {
                        (START, START)
                    } else {
                        (gold[i - 1], pred[i - 1])
                    };
                    if g != p {
                        for feat in &f[o[i]..o[i + 1]] {
                            let next = rows.len() as u32;
                            let r = *rows.entry(*feat).or_insert_with(|| {
                                w.extend([0.0; LABELS]);
                                u.extend([0.0; LABELS]);
                                next
                            }) as usize
                                * LABELS;
                            w[r + g] += 1.0;
                            u[r + g] += c;
                            w[r + p] -= 1.0;
                            u[r + p] -= c;
                        }
                    }
                    if g != p || gp != pp {
                        tw[gp * LABELS + g] += 1.0;
                        tu[gp * LABELS + g] += c;
                        tw[pp * LABELS + p] -= 1.0;
                        tu[pp * LABELS + p] -= c;
                    }
                }
            }
            c += 1.0;
        }
    }
    // Averaged weights: w - u / c.
    let avg = w.iter().zip(&u).map(|(w, u)| w - u / c).collect();
    let trans = tw.iter().zip(&tu).map(|(w, u)| w - u / c).collect();
    (rows, avg, trans)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn labels_and_chunks() {
        assert_eq!(label_of("O"), 0);
        assert_eq!(label_of("B-PER"), 1);
        assert_eq!(label_of("I-PER"), 2);
        assert_eq!(type_of(label_of("B-LOCderiv")), Some(6));
        let l = [1, 2, 0, 2, 3, 4, 3];
        assert_eq!(chunks(&l), vec![(0, 0, 2), (0, 3, 4), (1, 4, 6), (1, 6, 7)]);
    }

    #[test]
    fn learns_a_toy_pattern_and_round_trips() {
        let lex = crate::lexicon::get("de");
        let s = |w: &str, t: &str| Sentence {
            words: w.split(' ').map(String::from).collect(),
            labels: t.split(' ').map(label_of).collect(),
        };
        let data = vec![
            s("Herr Bauer kam nach Ulm", "O B-PER O O B-LOC"),
            s("Herr Weber fuhr nach Ulm", "O B-PER O O B-LOC"),
            s("Herr Bauer blieb", "O B-PER O"),
        ];
        let t = train(lex, &data, TrainConfig::default());
        let back = Tagger::from_bytes(&t.to_bytes()).unwrap();
        let mut sc = Scratch::default();
        let words = ["Herr", "Weber", "kam", "nach", "Ulm"];
        assert_eq!(t.tag(lex, &words, &mut sc), back.tag(lex, &words, &mut sc));
        assert_eq!(t.tag(lex, &words, &mut sc)[1], label_of("B-PER"));
        assert!(Tagger::from_bytes(b"junk").is_err());
    }
}
