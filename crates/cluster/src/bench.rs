//! `bench scale`: a synthetic stream of real German news sentences with realistic copies,
//! pushed through the same near-duplicate and clustering code as the corpus stages.
//!
//! Articles are generated on the fly from their number (deterministic), so the bench needs
//! memory only for the indexes, never for a million texts at once.

use crate::analyze::{mix, Analyzer};
use crate::clustering::{features, ClusterConfig, Features, StreamClusterer};
use crate::neardup::{passages, sketch, DupConfig, DupIndex};
use anyhow::Context;
use lagebild_core::eval::{EvalOptions, EvalReport};
use rayon::prelude::*;
use std::ops::Range;
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

/// Sentences of the real texts the synthetic articles are made of.
struct Pool {
    sentences: Vec<String>,
}

fn split_sentences(text: &str, out: &mut Vec<String>) {
    let mut start = 0;
    let b = text.as_bytes();
    for i in 0..b.len() {
        let end = matches!(b[i], b'.' | b'!' | b'?')
            && b.get(i + 1).is_none_or(|c| c.is_ascii_whitespace());
        if end || b[i] == b'\n' {
            let s = text[start..=i].trim();
            if s.len() >= 40 {
                out.push(s.to_string());
            }
            start = i + 1;
        }
    }
}

/// Texts of 10kGNAD, quotation-wikinews and SemEval (German) under the shared data root.
fn load_pool(root: &Path) -> anyhow::Result<Pool> {
    let mut sentences = Vec::new();
    for row in lagebild_core::eval::read_10kgnad(&root.join("10kgnad/articles.csv"), None)? {
        split_sentences(&row.text, &mut sentences);
    }
    for split in ["train", "dev"] {
        let dir = root.join("quotation-wikinews").join(split);
        for entry in std::fs::read_dir(&dir).into_iter().flatten().flatten() {
            let Ok(raw) = std::fs::read_to_string(entry.path()) else {
                continue;
            };
            let doc: serde_json::Value = serde_json::from_str(&raw)
                .with_context(|| format!("{}", entry.path().display()))?;
            if let Some(t) = doc.get("originalText").and_then(|v| v.as_str()) {
                split_sentences(t, &mut sentences);
            }
        }
    }
    let pairs = root.join("semeval2022-t8/pairs.csv");
    if let Ok(mut reader) = csv::Reader::from_path(&pairs) {
        for rec in reader.records().flatten() {
            for (lang, text) in [(2, 4), (3, 5)] {
                if rec.get(lang) == Some("de") {
                    split_sentences(rec.get(text).unwrap_or(""), &mut sentences);
                }
            }
        }
    }
    anyhow::ensure!(
        sentences.len() > 1000,
        "too few sentences under {}",
        root.display()
    );
    Ok(Pool { sentences })
}

/// Deterministic random numbers for article `i`.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9e37_79b9_7f4a_7c15);
        mix(self.0)
    }
    fn below(&mut self, n: usize) -> usize {
        (self.next() % n.max(1) as u64) as usize
    }
}

/// Share of articles that are edited copies of an earlier one, in percent.
const COPY_PERCENT: u64 = 30;

/// Whether article `i` is a copy, and of which earlier (original) article.
fn source_of(i: usize) -> Option<usize> {
    let mut r = Rng(i as u64 ^ 0xc0de);
    if i == 0 || r.next() % 100 >= COPY_PERCENT {
        return None;
    }
    let mut j = i - 1 - r.below(i.min(2000));
    while source_of_is_copy(j) && j > 0 {
        j -= 1;
    }
    Some(j)
}

fn source_of_is_copy(i: usize) -> bool {
    i > 0 && Rng(i as u64 ^ 0xc0de).next() % 100 < COPY_PERCENT
}

fn original(pool: &Pool, i: usize) -> Vec<&str> {
    let mut r = Rng(i as u64);
    let n = 8 + r.below(16);
    (0..n)
        .map(|_| pool.sentences[r.below(pool.sentences.len())].as_str())
        .collect()
}

/// Article `i`: an original of random real sentences, or an edited copy of an earlier one
/// (sentences shuffled, dropped or inserted, words swapped), one paragraph per 3 sentences.
fn article(pool: &Pool, i: usize) -> String {
    let mut sentences: Vec<String> = match source_of(i) {
        None => original(pool, i).into_iter().map(str::to_string).collect(),
        Some(j) => {
            let mut s: Vec<String> = original(pool, j).into_iter().map(str::to_string).collect();
            let mut r = Rng(i as u64 ^ 0xed17);
            for _ in 0..1 + r.below(3) {
                match r.below(4) {
                    0 if s.len() > 2 => {
                        let a = r.below(s.len());
                        let b = r.below(s.len());
                        s.swap(a, b);
                    }
                    1 if s.len() > 4 => {
                        s.remove(r.below(s.len()));
                    }
                    2 => {
                        let extra = pool.sentences[r.below(pool.sentences.len())].clone();
                        s.insert(r.below(s.len() + 1), extra);
                    }
                    _ => {
                        let k = r.below(s.len());
                        let mut w: Vec<&str> = s[k].split(' ').collect();
                        if w.len() > 3 {
                            let a = r.below(w.len());
                            let b = r.below(w.len());
                            w.swap(a, b);
                        }
                        s[k] = w.join(" ");
                    }
                }
            }
            s
        }
    };
    sentences.iter_mut().enumerate().for_each(|(k, s)| {
        if k % 3 == 2 {
            s.push('\n');
        } else {
            s.push(' ');
        }
    });
    sentences.concat()
}

/// CPU time (user + system) in seconds so far of this process (`/proc/self/stat`) or of the
/// calling thread (`/proc/thread-self/stat`): the wall times of a shared machine depend on
/// the other jobs, CPU time much less.
fn cpu_seconds_of(stat: &str) -> f64 {
    std::fs::read_to_string(stat)
        .ok()
        .and_then(|s| {
            let rest = s.rsplit_once(')')?.1;
            let f: Vec<&str> = rest.split_whitespace().collect();
            let utime: f64 = f.get(11)?.parse().ok()?;
            let stime: f64 = f.get(12)?.parse().ok()?;
            Some((utime + stime) / 100.0)
        })
        .unwrap_or(0.0)
}

fn cpu_seconds() -> f64 {
    cpu_seconds_of("/proc/self/stat")
}

fn thread_cpu_seconds() -> f64 {
    cpu_seconds_of("/proc/thread-self/stat")
}

const BATCH: usize = 20_000;
/// Articles featurised ahead of the clusterer: two batches of features are held at a time.
const CLUSTER_BATCH: usize = 5_000;

struct DupRun {
    index: DupIndex,
    detect: Duration,
    copies: usize,
    copies_found: usize,
    pairs: usize,
}

fn run_dups(pool: &Pool, n: usize) -> DupRun {
    let analyzer = Analyzer::for_language("de");
    let cfg = DupConfig {
        passages: false,
        ..DupConfig::default()
    };
    let mut run = DupRun {
        index: DupIndex::new(cfg.clone()),
        detect: Duration::ZERO,
        copies: 0,
        copies_found: 0,
        pairs: 0,
    };
    for start in (0..n).step_by(BATCH) {
        let ids = start..(start + BATCH).min(n);
        let texts: Vec<String> = ids
            .clone()
            .into_par_iter()
            .map(|i| article(pool, i))
            .collect();
        let t = Instant::now();
        let sketches: Vec<_> = texts
            .par_iter()
            .map(|x| sketch(analyzer, x, &[], &cfg))
            .collect();
        for (i, s) in ids.clone().zip(sketches) {
            let found = run.index.add(s, None);
            run.pairs += found.documents.len();
            if let Some(j) = source_of(i) {
                run.copies += 1;
                let root_i = run.index.group_of(i as u32);
                if run.index.group_of(j as u32) == root_i {
                    run.copies_found += 1;
                }
            }
        }
        run.detect += t.elapsed();
    }
    run
}

/// Both sides of the datasketch comparison, on the same texts.
struct PeerRun {
    peer: PeerTimes,
    /// Ours on one thread, like the peer.
    ours_one_core: f64,
    /// Ours on both cores: CPU time summed over them, and wall time.
    ours_cpu: f64,
    ours_wall: f64,
    ours_pairs: usize,
}

/// What the peer script prints.
struct PeerTimes {
    cpu: f64,
    wall: f64,
    pairs: f64,
}

/// Our document-level near-duplicate detection on `texts`, in a fresh index: sketches in
/// parallel, then queries and inserts one by one, as the corpus stage does.
fn ours_on(texts: &[String]) -> (f64, f64, usize) {
    let analyzer = Analyzer::for_language("de");
    let cfg = DupConfig {
        passages: false,
        ..DupConfig::default()
    };
    let mut index = DupIndex::new(cfg.clone());
    let mut pairs = 0;
    let (cpu, t) = (cpu_seconds(), Instant::now());
    for chunk in texts.chunks(BATCH) {
        let sketches: Vec<_> = chunk
            .par_iter()
            .map(|x| sketch(analyzer, x, &[], &cfg))
            .collect();
        for s in sketches {
            pairs += index.add(s, None).documents.len();
        }
    }
    (cpu_seconds() - cpu, t.elapsed().as_secs_f64(), pairs)
}

/// Runs `scripts/datasketch_peer.py` on `texts` (one per line).
fn peer_on(texts: &[String]) -> anyhow::Result<PeerTimes> {
    let file = std::env::temp_dir().join(format!("lagebild-peer-{}.txt", std::process::id()));
    std::fs::write(&file, texts.join("\n") + "\n")?;
    let script = Path::new(env!("CARGO_MANIFEST_DIR")).join("scripts/datasketch_peer.py");
    let result = std::process::Command::new("python3")
        .arg(&script)
        .arg(&file)
        .output();
    let _ = std::fs::remove_file(&file);
    let result = result.context("running python3 (pip install datasketch)")?;
    anyhow::ensure!(
        result.status.success(),
        "datasketch peer failed: {}",
        String::from_utf8_lossy(&result.stderr)
    );
    let line = String::from_utf8_lossy(&result.stdout);
    let v: serde_json::Value = serde_json::from_str(line.trim().lines().last().unwrap_or(""))?;
    let get = |k: &str| {
        v[k].as_f64()
            .with_context(|| format!("peer printed no {k}"))
    };
    Ok(PeerTimes {
        cpu: get("cpu_seconds")?,
        wall: get("seconds")?,
        pairs: get("pairs")?,
    })
}

/// The peer and our detector on the first `n` articles (line breaks as spaces, which splits
/// words the same way): CPU time of the detection loop on both sides (ours summed over both
/// cores), wall time beside it.
fn run_peer(pool: &Pool, n: usize) -> anyhow::Result<PeerRun> {
    let texts: Vec<String> = (0..n)
        .into_par_iter()
        .map(|i| article(pool, i).replace('\n', " "))
        .collect();
    let peer = peer_on(&texts)?;
    // Ours takes seconds: the median of three runs (by CPU time) evens out the machine's load.
    let median = |run: &dyn Fn() -> (f64, f64, usize)| {
        let mut runs: Vec<_> = (0..3).map(|_| run()).collect();
        runs.sort_by(|a, b| a.0.total_cmp(&b.0));
        runs[1]
    };
    let one_thread = rayon::ThreadPoolBuilder::new().num_threads(1).build()?;
    let (ours_one_core, _, _) = median(&|| one_thread.install(|| ours_on(&texts)));
    let (ours_cpu, ours_wall, ours_pairs) = median(&|| ours_on(&texts));
    Ok(PeerRun {
        peer,
        ours_one_core,
        ours_cpu,
        ours_wall,
        ours_pairs,
    })
}

/// The clustering pass: articles generated and featurised in parallel one batch ahead while
/// the previous batch is placed one by one (placement is sequential by nature).
struct ClusterRun {
    clusterer: StreamClusterer,
    /// Wall time of the whole pass, generation included.
    wall: Duration,
    /// Wall and thread CPU time of the sequential placement alone.
    assign_wall: Duration,
    assign_cpu: f64,
}

fn run_clusters(pool: &Pool, n: usize) -> ClusterRun {
    let analyzer = Analyzer::for_language("de");
    let make = |ids: Range<usize>| -> Vec<Features> {
        ids.into_par_iter()
            .map(|i| {
                let x = article(pool, i);
                features(analyzer, &x, &passages(&x), None, None)
            })
            .collect()
    };
    let mut run = ClusterRun {
        clusterer: StreamClusterer::new(ClusterConfig::default()),
        wall: Duration::ZERO,
        assign_wall: Duration::ZERO,
        assign_cpu: 0.0,
    };
    let t = Instant::now();
    let mut next = make(0..CLUSTER_BATCH.min(n));
    for start in (CLUSTER_BATCH..n + CLUSTER_BATCH).step_by(CLUSTER_BATCH) {
        let batch = std::mem::take(&mut next);
        let clusterer = &mut run.clusterer;
        let ((wall, cpu), ahead) = rayon::join(
            || {
                let (t, cpu) = (Instant::now(), thread_cpu_seconds());
                for f in &batch {
                    clusterer.add(f);
                }
                (t.elapsed(), thread_cpu_seconds() - cpu)
            },
            || make(start.min(n)..(start + CLUSTER_BATCH).min(n)),
        );
        run.assign_wall += wall;
        run.assign_cpu += cpu;
        next = ahead;
    }
    run.wall = t.elapsed();
    run
}

pub fn run_scale(data: &Path, opts: &EvalOptions) -> anyhow::Result<EvalReport> {
    let root: PathBuf = data
        .parent()
        .and_then(Path::parent)
        .context("data should be <shared/data>/10kgnad/articles.csv")?
        .to_path_buf();
    let n = opts.limit.unwrap_or(1_000_000).max(10);
    let peer_n = n.min(100_000);
    let pool = load_pool(&root)?;
    let mut report = EvalReport::new(
        "scale",
        data.to_path_buf(),
        "goals on 2 cores: near-duplicates of 1M < 120 s and ≤ 4096 MB; clustering of 1M < 600 s; adding one article to 1M < 50 ms; ≥ 30× datasketch MinHashLSH",
    );

    let cpu0 = cpu_seconds();
    let dups = run_dups(&pool, n);
    let cpu1 = cpu_seconds();
    let dup_rss = lagebild_core::eval::peak_rss_mb().unwrap_or(0.0);
    let analyzer = Analyzer::for_language("de");
    let one_dup = {
        let mut index = dups.index;
        let cfg = index.config().clone();
        let t = Instant::now();
        for i in n..n + 100 {
            let text = article(&pool, i);
            index.add(sketch(analyzer, &text, &[], &cfg), None);
        }
        t.elapsed().as_secs_f64() * 1000.0 / 100.0
    };

    let cpu2 = cpu_seconds();
    let ClusterRun {
        mut clusterer,
        wall: cluster_wall,
        assign_wall,
        assign_cpu,
    } = run_clusters(&pool, n);
    let cpu3 = cpu_seconds();
    let one_cluster = {
        let t = Instant::now();
        for i in n..n + 100 {
            let text = article(&pool, i);
            clusterer.add(&features(analyzer, &text, &passages(&text), None, None));
        }
        t.elapsed().as_secs_f64() * 1000.0 / 100.0
    };
    let total_rss = lagebild_core::eval::peak_rss_mb().unwrap_or(0.0);

    report
        .figure("articles", n as f64)
        .figure("near_dup_seconds", dups.detect.as_secs_f64())
        .figure("near_dup_cpu_seconds_incl_generation", cpu1 - cpu0)
        .figure("near_dup_peak_rss_mb", dup_rss)
        .figure("near_dup_pairs", dups.pairs as f64)
        .figure(
            "copies_recall",
            dups.copies_found as f64 / dups.copies.max(1) as f64,
        )
        .figure("add_one_near_dup_ms", one_dup)
        .figure("cluster_seconds", cluster_wall.as_secs_f64())
        .figure("cluster_cpu_seconds_incl_generation", cpu3 - cpu2)
        .figure("cluster_assign_seconds", assign_wall.as_secs_f64())
        .figure("cluster_assign_cpu_seconds", assign_cpu)
        .figure("clusters", clusterer.cluster_count() as f64)
        .figure("stories", clusterer.story_count() as f64)
        .figure("add_one_cluster_ms", one_cluster)
        .figure("peak_rss_mb", total_rss);
    let mut details = format!(
        "{n} synthetic articles ({} real German sentences from 10kGNAD, quotation-wikinews and SemEval; \
         {COPY_PERCENT}% edited copies of a recent article: sentence swaps, deletions, insertions, word swaps), \
         generated on the fly. Near-duplicates: wall time excludes generation, CPU time (both cores \
         summed) includes it. Clustering: the whole pass, generation and features computed in \
         parallel one batch ahead of the sequential placement; cluster_assign = the placement \
         alone (wall; CPU time of its thread). Near-duplicates at document level \
         (64-bin one-permutation MinHash over word 3-grams, 16×4 LSH); copies_recall = share of \
         copies put in one copy group with their source.",
        pool.sentences.len()
    );
    if opts.peer {
        let run = run_peer(&pool, peer_n)?;
        report
            .figure("peer_docs", peer_n as f64)
            .figure("peer_datasketch_cpu_seconds", run.peer.cpu)
            .figure("peer_datasketch_seconds", run.peer.wall)
            .figure("peer_pairs", run.peer.pairs)
            .figure("ours_same_docs_one_core_seconds", run.ours_one_core)
            .figure("ours_same_docs_cpu_seconds", run.ours_cpu)
            .figure("ours_same_docs_seconds", run.ours_wall)
            .figure("ours_same_docs_pairs", run.ours_pairs as f64)
            .figure(
                "speed_ratio_one_core",
                run.peer.cpu / run.ours_one_core.max(0.01),
            )
            .figure("speed_ratio_cpu", run.peer.cpu / run.ours_cpu.max(0.01))
            .figure("speed_ratio_wall", run.peer.wall / run.ours_wall.max(1e-9));
        details.push_str(&format!(
            " Peer: the first {peer_n} articles (line breaks as spaces) through datasketch \
             MinHash(num_perm=64) + MinHashLSH(threshold 0.5, which picks 14 bands × 4 rows), \
             query then insert per article, word 3-gram shingles of lower-cased \\w+ words; ours \
             on the same texts in a fresh index, median of 3 runs (64-bin one-permutation \
             MinHash, 16×4 bands, candidates verified by estimated Jaccard ≥ 0.5, hence fewer \
             pairs; it also sketches content words for provenance). Compared: the \
             detection loop only (sketching, query, insert), not reading texts or starting \
             Python; CPU time = user + system of all threads, peer via time.process_time(). \
             speed_ratio_one_core: ours on one thread against the single-threaded peer, the \
             like-for-like ratio; speed_ratio_cpu: ours on both cores, CPU time summed (the two \
             cores share one machine, so each does less per second than alone); \
             speed_ratio_wall also credits our second core."
        ));
    }
    report.details = details;
    Ok(report)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn copies_point_back_and_articles_are_stable() {
        let pool = Pool {
            sentences: (0..2000)
                .map(|i| format!("Satz Nummer {i} über Dinge und Orte."))
                .collect(),
        };
        assert_eq!(article(&pool, 7), article(&pool, 7));
        let copies: Vec<usize> = (1..500)
            .filter_map(|i| source_of(i).map(|j| (i, j)))
            .map(|(i, j)| {
                assert!(j < i && source_of(j).is_none());
                i
            })
            .collect();
        let share = copies.len() as f64 / 500.0;
        assert!((0.2..0.4).contains(&share), "{share}");
    }
}
