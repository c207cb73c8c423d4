//! False-positive measure of the boilerplate patterns: the fraction of characters marked as
//! boilerplate on clean news corpora (WikiNews article texts, DER STANDARD articles), where
//! almost nothing is debris. Also the fraction put in non-report sections, which should be
//! small on agency-style news.

use crate::Cleaner;
use anyhow::{bail, Context};
use lagebild_core::eval::{EvalOptions, EvalReport, Task, TaskKind};
use lagebild_core::{Annotations, Document, DocumentStage, SectionKind};
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::time::Instant;

pub(crate) fn tasks() -> Vec<Task> {
    vec![Task {
        name: "boilerplate",
        kind: TaskKind::Eval,
        about: "Share of characters marked boilerplate (false positives) on clean corpora: \
                quotation-wikinews originalText (dev+train) and 10kGNAD articles; also the share \
                in non-report sections.",
        default_data: ".",
        run: run_boilerplate,
    }]
}

/// A named corpus of plain texts.
struct Corpus {
    name: String,
    texts: Vec<String>,
}

#[derive(serde::Deserialize)]
struct WikinewsJson {
    #[serde(rename = "originalText")]
    text: String,
}

/// JSON files of a quotation-wikinews folder (its `dev` and `train` splits when present).
fn load_wikinews(dir: &Path, limit: Option<usize>) -> anyhow::Result<Vec<String>> {
    let mut dirs: Vec<PathBuf> = ["dev", "train"]
        .iter()
        .map(|s| dir.join(s))
        .filter(|p| p.is_dir())
        .collect();
    if dirs.is_empty() {
        dirs.push(dir.to_path_buf());
    }
    let mut files = Vec::new();
    for d in dirs {
        let mut found: Vec<PathBuf> = std::fs::read_dir(&d)
            .with_context(|| format!("reading {}", d.display()))?
            .filter_map(|e| e.ok().map(|e| e.path()))
            .filter(|p| p.extension().is_some_and(|e| e == "json"))
            .collect();
        found.sort();
        files.extend(found);
    }
    files.truncate(limit.unwrap_or(usize::MAX));
    files
        .iter()
        .map(|f| {
            let raw =
                std::fs::read_to_string(f).with_context(|| format!("reading {}", f.display()))?;
            let doc: WikinewsJson =
                serde_json::from_str(&raw).with_context(|| format!("parsing {}", f.display()))?;
            Ok(doc.text)
        })
        .collect()
}

/// The corpora under `data`: the shared data folder (both corpora), a quotation-wikinews
/// folder, or a 10kGNAD-style CSV file.
fn corpora(data: &Path, limit: Option<usize>) -> anyhow::Result<Vec<Corpus>> {
    let wikinews = data.join("quotation-wikinews");
    let gnad = data.join("10kgnad/articles.csv");
    let mut out = Vec::new();
    if wikinews.is_dir() || gnad.is_file() {
        if wikinews.is_dir() {
            out.push(Corpus {
                name: "wikinews".into(),
                texts: load_wikinews(&wikinews, limit)?,
            });
        }
        if gnad.is_file() {
            out.push(Corpus {
                name: "10kgnad".into(),
                texts: lagebild_core::eval::read_10kgnad_texts(&gnad, limit)?,
            });
        }
    } else if data.is_file() {
        out.push(Corpus {
            name: "csv".into(),
            texts: lagebild_core::eval::read_10kgnad_texts(data, limit)?,
        });
    } else if data.join("articles.csv").is_file() {
        out.push(Corpus {
            name: "10kgnad".into(),
            texts: lagebild_core::eval::read_10kgnad_texts(&data.join("articles.csv"), limit)?,
        });
    } else {
        out.push(Corpus {
            name: "wikinews".into(),
            texts: load_wikinews(data, limit)?,
        });
    }
    out.retain(|c| !c.texts.is_empty());
    if out.is_empty() {
        bail!("no texts found under {}", data.display());
    }
    Ok(out)
}

fn run_boilerplate(data: &Path, opts: &EvalOptions) -> anyhow::Result<EvalReport> {
    let mut report = EvalReport::new(
        "boilerplate",
        data.to_path_buf(),
        "goal: < 0.5 % of characters marked boilerplate on clean corpora",
    );
    let mut rows = vec![
        "| corpus | docs | chars | boilerplate % | docs flagged % | non-report sections % | MB/s |"
            .to_string(),
        "|---|---|---|---|---|---|---|".to_string(),
    ];
    let mut kinds: BTreeMap<(String, String), usize> = BTreeMap::new();
    let (mut all_chars, mut all_marked) = (0usize, 0usize);
    for corpus in corpora(data, opts.limit)? {
        let docs: Vec<Document> = corpus
            .texts
            .iter()
            .enumerate()
            .map(|(i, t)| Document::from_text(&i.to_string(), t))
            .collect();
        // Compile the patterns outside the timed loop.
        crate::Patterns::for_language("de");
        let start = Instant::now();
        let anns: Vec<Annotations> = docs
            .iter()
            .map(|d| {
                let mut ann = Annotations::default();
                Cleaner::new().annotate(d, &mut ann);
                ann
            })
            .collect();
        let seconds = start.elapsed().as_secs_f64();
        let (mut chars, mut marked, mut flagged, mut nonreport) = (0, 0, 0, 0);
        for (doc, ann) in docs.iter().zip(&anns) {
            chars += doc.len_chars();
            flagged += usize::from(!ann.boilerplate.is_empty());
            for b in &ann.boilerplate {
                marked += b.span.len();
                *kinds
                    .entry((corpus.name.clone(), b.kind.clone()))
                    .or_default() += b.span.len();
            }
            nonreport += ann
                .sections
                .iter()
                .filter(|s| s.kind != SectionKind::Report)
                .map(|s| s.span.len())
                .sum::<usize>();
        }
        let bytes: usize = corpus.texts.iter().map(String::len).sum();
        let percent = 100.0 * marked as f64 / chars.max(1) as f64;
        let flagged_percent = 100.0 * flagged as f64 / docs.len().max(1) as f64;
        let nonreport_percent = 100.0 * nonreport as f64 / chars.max(1) as f64;
        let mb_per_s = bytes as f64 / 1e6 / seconds.max(1e-9);
        rows.push(format!(
            "| {} | {} | {chars} | {percent:.3} | {flagged_percent:.1} | {nonreport_percent:.3} | {mb_per_s:.0} |",
            corpus.name,
            docs.len()
        ));
        report
            .figure(&format!("{}_percent", corpus.name), percent)
            .figure(
                &format!("{}_docs_flagged_percent", corpus.name),
                flagged_percent,
            )
            .figure(
                &format!("{}_nonreport_percent", corpus.name),
                nonreport_percent,
            );
        all_chars += chars;
        all_marked += marked;
    }
    report.figure(
        "percent",
        100.0 * all_marked as f64 / all_chars.max(1) as f64,
    );
    rows.push(String::new());
    rows.push("| corpus | kind | chars marked |".into());
    rows.push("|---|---|---|".into());
    for ((corpus, kind), n) in &kinds {
        rows.push(format!("| {corpus} | {kind} | {n} |"));
    }
    report.details = rows.join("\n");
    Ok(report)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// CI floor on a small subset of both clean corpora; skipped when the data is missing.
    #[test]
    fn few_false_positives_on_clean_subsets() {
        let Some(dir) = lagebild_core::eval::dataset_for_test("quotation-wikinews") else {
            return;
        };
        let root = dir.parent().expect("data root");
        let opts = EvalOptions {
            limit: Some(100),
            peer: false,
        };
        let r = run_boilerplate(root, &opts).unwrap();
        let percent = r.get("percent").unwrap();
        assert!(percent < 0.5, "{percent} % marked as boilerplate");
    }
}
