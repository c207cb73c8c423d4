//! Near-duplicate and rewrite detection on plain texts, plus the provenance of copy groups.
//!
//! Two levels: whole documents (MinHash over word 3-gram shingles, banded LSH) catch exact and
//! lightly edited copies; paragraphs (MinHash over content stems, a looser LSH) catch repeated
//! and paraphrased passages, verified by exact shingle overlap (copies) or stem overlap
//! (paraphrases, which share few shingles but most content words).

use crate::analyze::{for_each_word, Analyzer};
use crate::groups::Groups;
use crate::minhash::{jaccard, signature, Lsh, Signature};
use jiff::civil::Date;
use lagebild_core::ProvenanceBasis;
use rustc_hash::FxHashMap;
use std::ops::Range;

/// Thresholds of the detector.
#[derive(Clone, Debug)]
pub struct DupConfig {
    /// Estimated shingle Jaccard from which two documents are near-duplicates.
    pub doc_jaccard: f32,
    /// Exact shingle Jaccard from which two passages are copies.
    pub passage_copy: f32,
    /// IDF-weighted stem Dice from which two passages are paraphrases. `eval rewrites` on
    /// 1028 10kGNAD articles, at 0.18 / 0.22 / 0.26 / 0.30: passages flagged between the
    /// articles 272 / 136 / 100 / 77, loose rewrites flagged with their source 0.79 / 0.73 /
    /// 0.67 / 0.54.
    pub passage_paraphrase: f32,
    /// Fewest shared content stems of a paraphrase.
    pub passage_min_shared: usize,
    /// Fewest distinct content stems of a passage worth comparing.
    pub passage_min_stems: usize,
    /// Share of each of two documents' passages found in the other from which they form a copy
    /// group. Both sides: a follow-up repeating one background passage of a longer report is
    /// no copy of it (`eval rewrites`: 28 instead of 53 of 1028 10kGNAD articles grouped with
    /// each other, loose rewrites 0.52 instead of 0.61 grouped with their source).
    pub group_share: f32,
    /// Whether to compare passages at all (off in the document-level bench).
    pub passages: bool,
}

impl Default for DupConfig {
    fn default() -> Self {
        DupConfig {
            doc_jaccard: 0.5,
            passage_copy: 0.5,
            passage_paraphrase: 0.26,
            passage_min_shared: 7,
            passage_min_stems: 10,
            group_share: 0.25,
            passages: true,
        }
    }
}

/// What the index keeps of one passage.
#[derive(Clone, Debug)]
pub struct PassageSketch {
    pub bytes: Range<usize>,
    shingles: Box<[u32]>,
    stems: Box<[u32]>,
    sig: Signature,
}

/// What the index needs of one text: computed in parallel, added in order.
#[derive(Clone, Debug, Default)]
pub struct TextSketch {
    shingles: Option<Signature>,
    content: Option<Signature>,
    n_content: u32,
    pub passages: Vec<PassageSketch>,
}

/// Longer lines than this are split into passages of whole sentences.
const MAX_PASSAGE: usize = 1200;
const TARGET_PASSAGE: usize = 600;

/// Passages of a text: its lines, long lines cut after sentence ends.
pub fn passages(text: &str) -> Vec<Range<usize>> {
    let mut out = Vec::new();
    let mut line_start = 0;
    for line in text.split_inclusive('\n') {
        let r = trim(text, line_start..line_start + line.len());
        line_start += line.len();
        if r.is_empty() {
            continue;
        }
        if r.len() <= MAX_PASSAGE {
            out.push(r);
            continue;
        }
        let mut start = r.start;
        let bytes = text.as_bytes();
        let mut i = r.start;
        while i + 1 < r.end {
            let is_end = matches!(bytes[i], b'.' | b'!' | b'?') && bytes[i + 1] == b' ';
            if is_end && i + 1 - start >= TARGET_PASSAGE {
                out.push(start..i + 1);
                start = i + 2;
            }
            i += 1;
        }
        if start < r.end {
            out.push(start..r.end);
        }
    }
    out
}

fn trim(text: &str, r: Range<usize>) -> Range<usize> {
    let s = &text[r.clone()];
    let lead = s.len() - s.trim_start().len();
    let t = s.trim();
    r.start + lead..r.start + lead + t.len()
}

fn overlaps_any(r: &Range<usize>, skip: &[Range<usize>]) -> bool {
    skip.iter().any(|s| s.start < r.end && r.start < s.end)
}

fn shingle(a: u64, b: u64, c: u64) -> u64 {
    a.rotate_left(21) ^ b.rotate_left(42) ^ c
}

fn sorted_set(mut v: Vec<u32>) -> Box<[u32]> {
    v.sort_unstable();
    v.dedup();
    v.into_boxed_slice()
}

/// Sketch of a text; `skip` are byte ranges to ignore (boilerplate).
pub fn sketch(
    analyzer: &Analyzer,
    text: &str,
    skip: &[Range<usize>],
    cfg: &DupConfig,
) -> TextSketch {
    let mut hashes: Vec<u64> = Vec::with_capacity(text.len() / 6);
    for_each_word(text, |r, h| {
        if !overlaps_any(&r, skip) {
            hashes.push(h);
        }
    });
    // Content words (not stop words) for containment: cheap, and shared by rewrites too.
    let mut content: Vec<u32> = hashes
        .iter()
        .filter(|h| !analyzer.is_stopword(**h))
        .map(|h| (h >> 32) as u32)
        .collect();
    content.sort_unstable();
    content.dedup();
    let mut out = TextSketch {
        shingles: signature(hashes.windows(3).map(|w| shingle(w[0], w[1], w[2]))),
        content: signature(content.iter().map(|&t| u64::from(t))),
        n_content: content.len() as u32,
        ..TextSketch::default()
    };
    if !cfg.passages {
        return out;
    }
    let mut line_stems = Vec::new();
    for r in passages(text) {
        if overlaps_any(&r, skip) {
            continue;
        }
        line_stems.clear();
        analyzer.content_terms(&text[r.clone()], &mut line_stems);
        let set = sorted_set(line_stems.clone());
        if set.len() < cfg.passage_min_stems {
            continue;
        }
        let mut hs: Vec<u64> = Vec::new();
        for_each_word(&text[r.clone()], |_, h| hs.push(h));
        let sh = hs
            .windows(3)
            .map(|w| (shingle(w[0], w[1], w[2]) >> 32) as u32)
            .collect();
        let sig = signature(set.iter().map(|&t| u64::from(t))).expect("non-empty stem set");
        out.passages.push(PassageSketch {
            bytes: r,
            shingles: sorted_set(sh),
            stems: set,
            sig,
        });
    }
    out
}

#[derive(Debug)]
struct DocEntry {
    shingles: Option<Signature>,
    content: Option<Signature>,
    n_content: u32,
    date: Option<Date>,
}

#[derive(Debug)]
struct PassageEntry {
    doc: u32,
    bytes: Range<usize>,
    shingles: Box<[u32]>,
    stems: Box<[u32]>,
}

/// Two passages that repeat each other (byte ranges into their texts).
#[derive(Clone, Debug, PartialEq)]
pub struct PassageMatch {
    pub doc: u32,
    pub bytes: Range<usize>,
    pub other_doc: u32,
    pub other_bytes: Range<usize>,
    pub similarity: f32,
    /// True when the passages share content words rather than wording.
    pub paraphrase: bool,
}

/// What adding one text found.
#[derive(Clone, Debug, Default)]
pub struct Added {
    pub doc: u32,
    /// Earlier documents that are near-duplicates of this one, with estimated Jaccard.
    pub documents: Vec<(u32, f32)>,
    pub passages: Vec<PassageMatch>,
    /// Whether this document joined (or formed) a copy group.
    pub grouped: bool,
}

/// Provenance of one copy group.
#[derive(Clone, Debug, PartialEq)]
pub struct Provenance {
    pub original: u32,
    /// Derived documents with the estimated share of their content found in the original.
    pub derived: Vec<(u32, f32)>,
    /// Which criterion chose the original.
    pub basis: ProvenanceBasis,
}

/// Incremental near-duplicate index over plain texts.
#[derive(Debug)]
pub struct DupIndex {
    cfg: DupConfig,
    docs: Vec<DocEntry>,
    doc_lsh: Lsh,
    doc_of_lsh: Vec<u32>,
    passages: Vec<PassageEntry>,
    passage_lsh: Lsh,
    /// Passage frequency of each stem, for IDF weights: words of the story everybody uses
    /// count less than the particular words two passages share.
    passage_df: FxHashMap<u32, u32>,
    groups: Groups,
}

/// Most matches reported per new passage.
const MAX_PASSAGE_MATCHES: usize = 5;

impl DupIndex {
    pub fn new(cfg: DupConfig) -> Self {
        DupIndex {
            cfg,
            docs: Vec::new(),
            doc_lsh: Lsh::new(16, 4),
            doc_of_lsh: Vec::new(),
            passages: Vec::new(),
            passage_lsh: Lsh::new(32, 2),
            passage_df: FxHashMap::default(),
            groups: Groups::default(),
        }
    }

    pub fn config(&self) -> &DupConfig {
        &self.cfg
    }

    pub fn len(&self) -> usize {
        self.docs.len()
    }

    pub fn is_empty(&self) -> bool {
        self.docs.is_empty()
    }

    /// Adds the next document (id = number of documents added before) and reports what it repeats.
    pub fn add(&mut self, sketch: TextSketch, date: Option<Date>) -> Added {
        let id = self.docs.len() as u32;
        let mut added = Added {
            doc: id,
            ..Added::default()
        };
        let mut cands = Vec::new();
        if let Some(sig) = &sketch.shingles {
            self.doc_lsh.insert(sig, &mut cands);
            for &c in &cands {
                let other = self.doc_of_lsh[c as usize];
                let o = &self.docs[other as usize];
                let j = o.shingles.as_ref().map_or(0.0, |s| jaccard(sig, s));
                if j >= self.cfg.doc_jaccard {
                    added.documents.push((other, j));
                }
            }
            self.doc_of_lsh.push(id);
        }
        self.docs.push(DocEntry {
            shingles: sketch.shingles,
            content: sketch.content,
            n_content: sketch.n_content,
            date,
        });
        self.groups.push();

        // Passages: query, then insert, one by one, so repeats inside the document are found too.
        let n_passages = sketch.passages.len();
        let mut shared: FxHashMap<u32, (Vec<u32>, Vec<u32>)> = FxHashMap::default();
        for (pi, p) in sketch.passages.into_iter().enumerate() {
            for t in p.stems.iter() {
                *self.passage_df.entry(*t).or_default() += 1;
            }
            let n = (self.passages.len() + 1) as f32;
            let df = &self.passage_df;
            let idf = |t: &u32| (n / (df.get(t).copied().unwrap_or(1) as f32 - 0.5)).ln();
            let weight = |v: &[u32]| v.iter().map(idf).sum::<f32>();
            let p_weight = weight(&p.stems);
            cands.clear();
            self.passage_lsh.insert(&p.sig, &mut cands);
            let mut found: Vec<PassageMatch> = Vec::new();
            for &c in &cands {
                let q = &self.passages[c as usize];
                if added.documents.iter().any(|(d, _)| *d == q.doc) {
                    continue;
                }
                let sh = set_jaccard(&p.shingles, &q.shingles);
                let (inter, common) = weighted_intersection(&p.stems, &q.stems, idf);
                let dice = 2.0 * common / (p_weight + weight(&q.stems)).max(f32::MIN_POSITIVE);
                let copy = sh >= self.cfg.passage_copy;
                let para =
                    dice >= self.cfg.passage_paraphrase && inter >= self.cfg.passage_min_shared;
                if copy || para {
                    found.push(PassageMatch {
                        doc: id,
                        bytes: p.bytes.clone(),
                        other_doc: q.doc,
                        other_bytes: q.bytes.clone(),
                        similarity: sh.max(dice),
                        paraphrase: !copy,
                    });
                    if q.doc != id {
                        let e = shared.entry(q.doc).or_default();
                        e.0.push(pi as u32);
                        e.1.push(c);
                    }
                }
            }
            found.sort_by(|a, b| b.similarity.total_cmp(&a.similarity));
            found.truncate(MAX_PASSAGE_MATCHES);
            added.passages.extend(found);
            self.passages.push(PassageEntry {
                doc: id,
                bytes: p.bytes,
                shingles: p.shingles,
                stems: p.stems,
            });
        }

        // Copy groups: near-duplicates, or documents sharing a good part of both their passages.
        let mut links: Vec<u32> = added.documents.iter().map(|(d, _)| *d).collect();
        for (other, (mine, theirs)) in shared {
            let mine = distinct(mine) as f32 / n_passages.max(1) as f32;
            let n_other = self.passages_of(other);
            let theirs = distinct(theirs) as f32 / n_other.max(1) as f32;
            if mine.min(theirs) >= self.cfg.group_share {
                links.push(other);
            }
        }
        for other in links {
            self.groups.union(id, other);
            added.grouped = true;
        }
        added
    }

    fn passages_of(&self, doc: u32) -> usize {
        let first = self.passages.partition_point(|p| p.doc < doc);
        let last = self.passages.partition_point(|p| p.doc <= doc);
        last - first
    }

    /// Root of the copy group of a document (itself when alone).
    pub fn group_of(&mut self, doc: u32) -> u32 {
        self.groups.find(doc)
    }

    /// Number of copy groups with at least two documents.
    pub fn group_count(&self) -> usize {
        self.groups.count()
    }

    /// Estimated share of `part`'s content words that also occur in `whole`.
    pub fn containment(&self, part: u32, whole: u32) -> f32 {
        let (p, w) = (&self.docs[part as usize], &self.docs[whole as usize]);
        let (Some(sp), Some(sw)) = (&p.content, &w.content) else {
            return 0.0;
        };
        let j = jaccard(sp, sw);
        let inter = j * (p.n_content + w.n_content) as f32 / (1.0 + j);
        (inter / p.n_content.max(1) as f32).clamp(0.0, 1.0)
    }

    /// Provenance of the group with this root: the earliest dated member is the original; among
    /// undated (or equally dated) members, the one that contains the others' content best. The
    /// basis says which of the two decided.
    pub fn provenance(&self, root: u32) -> Option<Provenance> {
        let members = self.groups.members(root)?;
        let earliest = members
            .iter()
            .filter_map(|&m| self.docs[m as usize].date)
            .min();
        let contenders: Vec<u32> = members
            .iter()
            .copied()
            .filter(|&m| earliest.is_none() || self.docs[m as usize].date == earliest)
            .collect();
        let basis = if contenders.len() == 1 {
            ProvenanceBasis::Date
        } else {
            ProvenanceBasis::Containment
        };
        let score = |m: u32| -> f32 {
            members
                .iter()
                .filter(|&&o| o != m)
                .map(|&o| self.containment(o, m))
                .sum()
        };
        let original = contenders
            .into_iter()
            .map(|m| (m, score(m)))
            .max_by(|a, b| a.1.total_cmp(&b.1).then(b.0.cmp(&a.0)))?
            .0;
        let mut derived: Vec<(u32, f32)> = members
            .iter()
            .filter(|&&m| m != original)
            .map(|&m| (m, self.containment(m, original)))
            .collect();
        derived.sort_by_key(|d| d.0);
        Some(Provenance {
            original,
            derived,
            basis,
        })
    }

    /// Bytes held by the index (for benches).
    pub fn heap_bytes(&self) -> usize {
        self.docs.capacity() * std::mem::size_of::<DocEntry>()
            + self.doc_lsh.heap_bytes()
            + self.passage_lsh.heap_bytes()
            + self.groups.heap_bytes()
    }
}

fn distinct(mut v: Vec<u32>) -> usize {
    v.sort_unstable();
    v.dedup();
    v.len()
}

/// Size of the intersection of two sorted sets.
pub(crate) fn intersection(a: &[u32], b: &[u32]) -> usize {
    let (mut i, mut j, mut n) = (0, 0, 0);
    while i < a.len() && j < b.len() {
        match a[i].cmp(&b[j]) {
            std::cmp::Ordering::Less => i += 1,
            std::cmp::Ordering::Greater => j += 1,
            std::cmp::Ordering::Equal => {
                n += 1;
                i += 1;
                j += 1;
            }
        }
    }
    n
}

/// Size of the intersection of two sorted sets and the summed weight of its members.
fn weighted_intersection(a: &[u32], b: &[u32], weight: impl Fn(&u32) -> f32) -> (usize, f32) {
    let (mut i, mut j, mut n, mut w) = (0, 0, 0, 0.0);
    while i < a.len() && j < b.len() {
        match a[i].cmp(&b[j]) {
            std::cmp::Ordering::Less => i += 1,
            std::cmp::Ordering::Greater => j += 1,
            std::cmp::Ordering::Equal => {
                n += 1;
                w += weight(&a[i]);
                i += 1;
                j += 1;
            }
        }
    }
    (n, w)
}

fn set_jaccard(a: &[u32], b: &[u32]) -> f32 {
    let inter = intersection(a, b);
    let union = a.len() + b.len() - inter;
    if union == 0 {
        0.0
    } else {
        inter as f32 / union as f32
    }
}
