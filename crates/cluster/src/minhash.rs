//! MinHash signatures (one-permutation hashing with densification) and a banded LSH index.
//!
//! One-permutation hashing hashes each shingle once instead of once per permutation, which is
//! what makes a million articles fit in the time budget; densification fills empty bins so that
//! short texts still yield comparable signatures.

use crate::analyze::mix;
use rustc_hash::FxHashMap;

/// Number of bins (= hash values) of a signature.
pub const BINS: usize = 64;
const EMPTY: u32 = u32::MAX;
const NIL: u32 = u32::MAX;

pub type Signature = [u32; BINS];

/// Signature of a set given by the hashes of its members; `None` for the empty set.
pub fn signature(hashes: impl IntoIterator<Item = u64>) -> Option<Signature> {
    let mut sig = [EMPTY; BINS];
    let mut any = false;
    for h in hashes {
        let h = mix(h);
        let bin = (h >> 58) as usize;
        let v = (h as u32).min(EMPTY - 1);
        if v < sig[bin] {
            sig[bin] = v;
        }
        any = true;
    }
    if !any {
        return None;
    }
    // Rotation densification: an empty bin borrows from the next filled bin to its right,
    // shifted by the distance so borrowed values stay distinguishable.
    let filled = sig;
    for (i, slot) in sig.iter_mut().enumerate() {
        if *slot != EMPTY {
            continue;
        }
        for d in 1..BINS {
            let v = filled[(i + d) % BINS];
            if v != EMPTY {
                *slot = v.wrapping_add((d as u32).wrapping_mul(0x9e37_79b9)) % (EMPTY - 1);
                break;
            }
        }
    }
    Some(sig)
}

/// Estimated Jaccard similarity: the share of equal bins.
pub fn jaccard(a: &Signature, b: &Signature) -> f32 {
    let same = a.iter().zip(b).filter(|(x, y)| x == y).count();
    same as f32 / BINS as f32
}

/// Banded LSH: items whose signatures agree on all rows of at least one band become candidates.
/// Buckets are intrusive linked lists (`heads` + `next`), a few bytes per item and band.
#[derive(Debug)]
pub struct Lsh {
    bands: usize,
    rows: usize,
    heads: FxHashMap<u64, u32>,
    next: Vec<u32>,
    /// Most items followed per bucket: very common buckets (thousands of exact copies) are
    /// only followed through their most recent members, so a query stays cheap.
    max_walk: usize,
}

impl Lsh {
    /// `bands * rows` must not exceed [`BINS`].
    pub fn new(bands: usize, rows: usize) -> Self {
        assert!(bands * rows <= BINS && bands > 0 && rows > 0);
        Lsh {
            bands,
            rows,
            heads: FxHashMap::default(),
            next: Vec::new(),
            max_walk: 64,
        }
    }

    pub fn len(&self) -> usize {
        self.next.len() / self.bands
    }

    pub fn is_empty(&self) -> bool {
        self.next.is_empty()
    }

    fn key(&self, sig: &Signature, band: usize) -> u64 {
        let mut h = band as u64;
        for v in &sig[band * self.rows..(band + 1) * self.rows] {
            h = mix(h ^ u64::from(*v)).wrapping_add(band as u64);
        }
        h
    }

    /// Adds the next item (its id is the number of items added before, returned) and appends
    /// the earlier items sharing a bucket with it to `out`, deduplicated: one bucket lookup
    /// per band serves both the query and the insert.
    pub fn insert(&mut self, sig: &Signature, out: &mut Vec<u32>) -> u32 {
        let id = self.len() as u32;
        let start = out.len();
        for band in 0..self.bands {
            let key = self.key(sig, band);
            let head = self.heads.entry(key).or_insert(NIL);
            let mut at = std::mem::replace(head, id);
            self.next.push(at);
            let mut walked = 0;
            while at != NIL && walked < self.max_walk {
                out.push(at);
                at = self.next[at as usize * self.bands + band];
                walked += 1;
            }
        }
        out[start..].sort_unstable();
        let mut w = start;
        for r in start..out.len() {
            if w == start || out[r] != out[w - 1] {
                out[w] = out[r];
                w += 1;
            }
        }
        out.truncate(w);
        id
    }

    /// Bytes held by the index (for benches).
    pub fn heap_bytes(&self) -> usize {
        self.heads.capacity() * 13 + self.next.capacity() * 4
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn set(range: std::ops::Range<u64>) -> Signature {
        signature(range).unwrap()
    }

    #[test]
    fn estimates_jaccard() {
        let a = set(0..1000);
        assert_eq!(jaccard(&a, &set(0..1000)), 1.0);
        let half = jaccard(&a, &set(333..1333)); // true Jaccard 0.5
        assert!((half - 0.5).abs() < 0.2, "{half}");
        assert!(jaccard(&a, &set(5000..6000)) < 0.15);
        assert!(signature(std::iter::empty()).is_none());
        // Tiny sets still compare sensibly thanks to densification.
        assert_eq!(jaccard(&set(0..3), &set(0..3)), 1.0);
    }

    #[test]
    fn lsh_finds_similar_not_unrelated() {
        let mut lsh = Lsh::new(16, 4);
        let mut c = Vec::new();
        assert_eq!(lsh.insert(&set(0..500), &mut c), 0);
        assert_eq!(lsh.insert(&set(10_000..10_500), &mut c), 1);
        assert!(c.is_empty());
        assert_eq!(lsh.insert(&set(20..520), &mut c), 2);
        assert_eq!(c, [0]);
        c.clear();
        lsh.insert(&set(90_000..90_300), &mut c);
        assert!(c.is_empty());
        lsh.insert(&set(0..500), &mut c);
        assert_eq!(c, [0, 2], "each earlier match once, in id order");
        assert_eq!(lsh.len(), 5);
    }
}
