//! Evaluation tasks: article similarity against SemEval-2022 Task 8, and cluster purity of
//! articles mixed into an unrelated news corpus.

use crate::analyze::Analyzer;
use crate::clustering::{
    features, similarity, ClusterConfig, Features, StreamClusterer, TermStats,
};
use crate::neardup::passages;
use anyhow::Context;
use lagebild_core::eval::{EvalOptions, EvalReport};
use std::path::Path;

fn text_features(language: &str, text: &str) -> Features {
    let analyzer = Analyzer::for_language(language);
    features(analyzer, text, &passages(text), None, &[], None)
}

/// Pearson correlation; 0 when either side is constant.
pub fn pearson(x: &[f64], y: &[f64]) -> f64 {
    let n = x.len().min(y.len()) as f64;
    if n < 2.0 {
        return 0.0;
    }
    let (mx, my) = (x.iter().sum::<f64>() / n, y.iter().sum::<f64>() / n);
    let (mut sxy, mut sx, mut sy) = (0.0, 0.0, 0.0);
    for (a, b) in x.iter().zip(y) {
        sxy += (a - mx) * (b - my);
        sx += (a - mx) * (a - mx);
        sy += (b - my) * (b - my);
    }
    if sx == 0.0 || sy == 0.0 {
        0.0
    } else {
        sxy / (sx * sy).sqrt()
    }
}

struct Pair {
    lang2: String,
    text1: String,
    text2: String,
    overall: f64,
}

fn read_pairs(path: &Path, limit: Option<usize>) -> anyhow::Result<Vec<Pair>> {
    let mut reader = csv::Reader::from_path(path).with_context(|| format!("{}", path.display()))?;
    let headers = reader.headers()?.clone();
    let col = |name: &str| {
        headers
            .iter()
            .position(|h| h == name)
            .with_context(|| format!("{}: no column {name}", path.display()))
    };
    let (id, l1, l2, t1, t2, ov) = (
        col("pair_id")?,
        col("lang1")?,
        col("lang2")?,
        col("text1")?,
        col("text2")?,
        col("Overall")?,
    );
    let mut out = Vec::new();
    for rec in reader.records() {
        let rec = rec?;
        let numeric = rec[id].bytes().all(|b| b.is_ascii_digit() || b == b'_');
        if !numeric || &rec[l1] != "de" || !matches!(&rec[l2], "de" | "en") {
            continue;
        }
        out.push(Pair {
            lang2: rec[l2].to_string(),
            text1: rec[t1].to_string(),
            text2: rec[t2].to_string(),
            overall: rec[ov]
                .parse()
                .with_context(|| format!("Overall {:?}", &rec[ov]))?,
        });
        if limit.is_some_and(|l| out.len() >= l) {
            break;
        }
    }
    Ok(out)
}

/// Similarities of the pairs, with document frequencies from all texts of the file.
fn pair_similarities(pairs: &[Pair]) -> Vec<f64> {
    let feats: Vec<(Features, Features)> = pairs
        .iter()
        .map(|p| {
            (
                text_features("de", &p.text1),
                text_features(&p.lang2, &p.text2),
            )
        })
        .collect();
    let mut stats = TermStats::default();
    for (a, b) in &feats {
        stats.add(a);
        stats.add(b);
    }
    let max_terms = ClusterConfig::default().doc_terms;
    feats
        .iter()
        .map(|(a, b)| {
            f64::from(similarity(
                &stats.profile(a, max_terms),
                &stats.profile(b, max_terms),
            ))
        })
        .collect()
}

pub fn run_similarity(data: &Path, opts: &EvalOptions) -> anyhow::Result<EvalReport> {
    let pairs = read_pairs(data, opts.limit)?;
    anyhow::ensure!(
        !pairs.is_empty(),
        "{}: no de-de or de-en pairs",
        data.display()
    );
    let sims = pair_similarities(&pairs);
    let mut report = EvalReport::new(
        "similarity",
        data.to_path_buf(),
        "goal Pearson r ≥ 0.80 de-de; best SemEval-2022 system (fine-tuned transformer, official set): 0.850 de-de, 0.860 de-en",
    );
    let mut details = String::from(
        "| pairs | n | Pearson r | mean sim, same story (Overall ≤ 1.5) | mean sim, unrelated (Overall ≥ 3.5) |\n|---|---|---|---|---|\n",
    );
    let join = f64::from(ClusterConfig::default().join);
    let mut confusion = [0usize; 4];
    for lang in ["de", "en"] {
        let idx: Vec<usize> = (0..pairs.len())
            .filter(|&i| pairs[i].lang2 == lang)
            .collect();
        let x: Vec<f64> = idx.iter().map(|&i| sims[i]).collect();
        let y: Vec<f64> = idx.iter().map(|&i| -pairs[i].overall).collect();
        let r = pearson(&x, &y);
        let mean = |f: &dyn Fn(f64) -> bool| {
            let v: Vec<f64> = idx
                .iter()
                .filter(|&&i| f(pairs[i].overall))
                .map(|&i| sims[i])
                .collect();
            v.iter().sum::<f64>() / v.len().max(1) as f64
        };
        details.push_str(&format!(
            "| de-{lang} | {} | {r:.3} | {:.3} | {:.3} |\n",
            idx.len(),
            mean(&|o| o <= 1.5),
            mean(&|o| o >= 3.5)
        ));
        report.figure(&format!("pearson_de_{lang}"), r);
        report.figure(&format!("pairs_de_{lang}"), idx.len() as f64);
        if lang == "de" {
            for &i in &idx {
                let same = pairs[i].overall <= 1.5;
                let joined = sims[i] >= join;
                confusion[usize::from(same) * 2 + usize::from(joined)] += 1;
            }
        }
    }
    let [tn, fp, fn_, tp] = confusion;
    details.push_str(&format!(
        "\nAt the clustering threshold {join:.2} (de-de): same-story pairs joined {tp}, not joined {fn_}; other pairs joined {fp}, kept apart {tn}.\n"
    ));
    report.details = details;
    Ok(report)
}

/// One article of the purity corpus: `probe` marks the example articles whose clusters are
/// checked, the rest is background.
struct Article {
    text: String,
    probe: bool,
}

fn read_background(path: &Path, limit: Option<usize>) -> anyhow::Result<Vec<Article>> {
    let mut reader = csv::ReaderBuilder::new()
        .delimiter(b';')
        .quote(b'\'')
        .has_headers(false)
        .flexible(true)
        .from_path(path)
        .with_context(|| format!("{}", path.display()))?;
    let mut out = Vec::new();
    for rec in reader.records() {
        let rec = rec?;
        if let Some(text) = rec.get(1) {
            out.push(Article {
                text: text.to_string(),
                probe: false,
            });
        }
        if limit.is_some_and(|l| out.len() >= l) {
            break;
        }
    }
    Ok(out)
}

/// Text files of a folder, sorted by name.
fn read_folder(dir: &Path) -> anyhow::Result<Vec<String>> {
    let mut files: Vec<_> = std::fs::read_dir(dir)
        .with_context(|| format!("{}", dir.display()))?
        .flatten()
        .map(|e| e.path())
        .filter(|p| p.extension().is_some_and(|e| e == "txt"))
        .collect();
    files.sort();
    files
        .iter()
        .map(|p| std::fs::read_to_string(p).with_context(|| format!("{}", p.display())))
        .collect()
}

/// The example articles: `examples/seeds` of the repository.
pub fn examples_dir() -> std::path::PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../../examples/seeds")
}

pub fn run_purity(data: &Path, opts: &EvalOptions) -> anyhow::Result<EvalReport> {
    let mut articles = read_background(data, opts.limit)?;
    let probes = read_folder(&examples_dir())?;
    anyhow::ensure!(
        !probes.is_empty(),
        "no example articles in {}",
        examples_dir().display()
    );
    // Spread the examples through the stream, so that they arrive among unrelated articles.
    let step = (articles.len() / (probes.len() + 1)).max(1);
    for (i, text) in probes.into_iter().enumerate() {
        let at = ((i + 1) * step).min(articles.len());
        articles.insert(at, Article { text, probe: true });
    }
    let mut c = StreamClusterer::new(ClusterConfig::default());
    let placements: Vec<_> = articles
        .iter()
        .map(|a| c.add(&text_features("de", &a.text)))
        .collect();
    let probe_clusters: std::collections::BTreeSet<u32> = articles
        .iter()
        .zip(&placements)
        .filter(|(a, _)| a.probe)
        .map(|(_, p)| p.cluster)
        .collect();
    let probe_stories: std::collections::BTreeSet<u32> = articles
        .iter()
        .zip(&placements)
        .filter(|(a, _)| a.probe)
        .map(|(_, p)| p.story)
        .collect();
    let intruders = articles
        .iter()
        .zip(&placements)
        .filter(|(a, p)| !a.probe && probe_clusters.contains(&p.cluster))
        .count();
    let story_intruders = articles
        .iter()
        .zip(&placements)
        .filter(|(a, p)| !a.probe && probe_stories.contains(&p.story))
        .count();
    let probe_members = articles.iter().filter(|a| a.probe).count();
    let purity = probe_members as f64 / (probe_members + intruders) as f64;
    let mut report = EvalReport::new(
        "purity",
        data.to_path_buf(),
        "goal: clusters of the example articles hold no background article (purity 1.0)",
    );
    report
        .figure("purity", purity)
        .figure("intruders", intruders as f64)
        .figure("example_clusters", probe_clusters.len() as f64)
        .figure("example_stories", probe_stories.len() as f64)
        .figure("story_intruders", story_intruders as f64)
        .figure("articles", articles.len() as f64)
        .figure("clusters", c.cluster_count() as f64);
    report.details = format!(
        "{probe_members} example articles from `examples/seeds` streamed among {} 10kGNAD articles: \
         they form {} cluster(s) in {} story(ies); {intruders} background article(s) joined their clusters, \
         {story_intruders} their stories.",
        articles.len() - probe_members,
        probe_clusters.len(),
        probe_stories.len()
    );
    Ok(report)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pearson_of_lines() {
        assert!((pearson(&[1.0, 2.0, 3.0], &[2.0, 4.0, 6.0]) - 1.0).abs() < 1e-12);
        assert!((pearson(&[1.0, 2.0, 3.0], &[3.0, 2.0, 1.0]) + 1.0).abs() < 1e-12);
        assert_eq!(pearson(&[1.0, 1.0], &[1.0, 2.0]), 0.0);
        assert_eq!(pearson(&[], &[]), 0.0);
    }
}
