//! Evaluation against the gold sentences and tokens of German WikiNews
//! (`quotation-wikinews`), side by side with SoMaJo, and the throughput benchmark.
//!
//! Sentence boundaries are scored as sets of **sentence end offsets** per document: the char
//! offset just after the last token of each sentence (trailing whitespace excluded), leaving
//! out the end of the document's last sentence, which every splitter gets for free. A
//! predicted end at the same offset as a gold end is a true positive. Tokens are scored as
//! sets of exact char spans.

use crate::Rules;
use anyhow::{bail, Context};
use lagebild_core::eval::{Counts, EvalOptions, EvalReport, Task, TaskKind};
use lagebild_core::CharIndex;
use std::collections::HashSet;
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

pub(crate) fn tasks() -> Vec<Task> {
    vec![
        Task {
            name: "sentences",
            kind: TaskKind::Eval,
            about: "Sentence-boundary P/R/F1 (sentence end offsets, the document's last end excluded) \
                    against the gold sentences of quotation-wikinews, dev and train; --peer runs SoMaJo 2.5.",
            default_data: "quotation-wikinews",
            run: run_sentences,
        },
        Task {
            name: "tokens",
            kind: TaskKind::Eval,
            about: "Token P/R/F1 (exact char spans) against the gold tokens of quotation-wikinews, \
                    dev and train; --peer runs SoMaJo 2.5.",
            default_data: "quotation-wikinews",
            run: run_tokens,
        },
        Task {
            name: "segment",
            kind: TaskKind::Bench,
            about: "Tokeniser + sentence splitter throughput on one core over 10kGNAD articles \
                    (tokens/s, words/s, MB/s, peak RSS).",
            default_data: "10kgnad/articles.csv",
            run: run_bench,
        },
    ]
}

/// One gold document: text, sentence ends and token spans in char offsets.
struct GoldDoc {
    text: String,
    ends: Vec<usize>,
    tokens: Vec<(usize, usize)>,
}

#[derive(serde::Deserialize)]
struct GoldJson {
    #[serde(rename = "originalText")]
    text: String,
    sentences: Vec<GoldSpan>,
    tokens: Vec<GoldSpan>,
}

#[derive(serde::Deserialize)]
struct GoldSpan {
    #[serde(rename = "charBegin")]
    begin: usize,
    #[serde(rename = "charEnd")]
    end: usize,
}

/// What a segmenter produced for one document, in char offsets.
#[derive(Default, serde::Deserialize)]
struct Segmentation {
    ends: Vec<usize>,
    tokens: Vec<(usize, usize)>,
}

/// The splits under `data`: its `dev` and `train` folders, or `data` itself.
fn splits(data: &Path) -> anyhow::Result<Vec<(String, PathBuf)>> {
    let named: Vec<_> = ["dev", "train"]
        .iter()
        .map(|s| (s.to_string(), data.join(s)))
        .filter(|(_, p)| p.is_dir())
        .collect();
    if !named.is_empty() {
        return Ok(named);
    }
    let name = data
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_else(|| "data".into());
    Ok(vec![(name, data.to_path_buf())])
}

fn load_split(path: &Path, limit: Option<usize>) -> anyhow::Result<Vec<GoldDoc>> {
    let mut files: Vec<PathBuf> = if path.is_dir() {
        std::fs::read_dir(path)
            .with_context(|| format!("reading {}", path.display()))?
            .filter_map(|e| e.ok().map(|e| e.path()))
            .filter(|p| p.extension().is_some_and(|e| e == "json"))
            .collect()
    } else {
        vec![path.to_path_buf()]
    };
    files.sort();
    files.truncate(limit.unwrap_or(usize::MAX));
    if files.is_empty() {
        bail!("no gold JSON files in {}", path.display());
    }
    files
        .iter()
        .map(|f| {
            let raw =
                std::fs::read_to_string(f).with_context(|| format!("reading {}", f.display()))?;
            let gold: GoldJson =
                serde_json::from_str(&raw).with_context(|| format!("parsing {}", f.display()))?;
            Ok(GoldDoc {
                ends: gold.sentences.iter().map(|s| s.end).collect(),
                tokens: gold.tokens.iter().map(|t| (t.begin, t.end)).collect(),
                text: gold.text,
            })
        })
        .collect()
}

/// Our segmentation of a text, in char offsets.
fn ours(rules: &Rules, text: &str) -> Segmentation {
    let tokens = rules.tokenize(text);
    let sentences = rules.split_sentences(text, &tokens);
    let index = CharIndex::new(text);
    Segmentation {
        ends: sentences.iter().map(|s| index.char(s.end)).collect(),
        tokens: tokens
            .iter()
            .map(|t| (index.char(t.start), index.char(t.end)))
            .collect(),
    }
}

fn count<T: Eq + std::hash::Hash + Copy>(predicted: &[T], gold: &[T]) -> Counts {
    let gold: HashSet<T> = gold.iter().copied().collect();
    let predicted: HashSet<T> = predicted.iter().copied().collect();
    let tp = predicted.intersection(&gold).count() as u64;
    Counts {
        tp,
        fp: predicted.len() as u64 - tp,
        fn_: gold.len() as u64 - tp,
    }
}

/// Boundaries of a list of sentence ends: all but the last.
fn boundaries(ends: &[usize]) -> &[usize] {
    &ends[..ends.len().saturating_sub(1)]
}

/// Scores of one system on one split.
#[derive(Default)]
struct Scores {
    sentences: Counts,
    tokens: Counts,
    token_count: usize,
    seconds: f64,
    /// Boundary errors by [`ErrorClass`]: (false positives, false negatives).
    errors: [(u64, u64); ErrorClass::ALL.len()],
}

/// Where a boundary error sits, from the characters around its offset; separates the
/// splitter's conventions and mistakes from offsets in the gold that fall where no splitter
/// could put a boundary.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
enum ErrorClass {
    /// After a colon: lagebild keeps speech and quotations with their cue.
    Colon,
    /// No whitespace at the offset: the gold boundary falls inside a token or between an
    /// opening quote and its word.
    Glued,
    /// A line break follows: headings, lists and tables, where the gold ignores or adds
    /// breaks.
    LineBreak,
    /// The gold ends a sentence after a word with no punctuation, mid-line.
    Unpunctuated,
    /// Everything else: stops, quotes, abbreviations, numbers, semicolons.
    Other,
}

impl ErrorClass {
    const ALL: [ErrorClass; 5] = [
        ErrorClass::Colon,
        ErrorClass::Glued,
        ErrorClass::LineBreak,
        ErrorClass::Unpunctuated,
        ErrorClass::Other,
    ];

    fn label(self) -> &'static str {
        match self {
            ErrorClass::Colon => "after a colon",
            ErrorClass::Glued => "gold offset inside a token or quote",
            ErrorClass::LineBreak => "at a line break (headings, lists, tables)",
            ErrorClass::Unpunctuated => "gold end after a word without punctuation",
            ErrorClass::Other => "other (stops, quotes, abbreviations, numbers)",
        }
    }

    /// Class of a boundary error at char offset `at` of `text`.
    fn of(text: &[char], at: usize) -> ErrorClass {
        let before = at.checked_sub(1).and_then(|i| text.get(i)).copied();
        let after = text.get(at).copied();
        let line_break = text[at.min(text.len())..]
            .iter()
            .take_while(|c| c.is_whitespace())
            .any(|&c| c == '\n');
        match (before, after) {
            (Some(':'), _) => ErrorClass::Colon,
            (_, Some(c)) if !c.is_whitespace() => ErrorClass::Glued,
            _ if line_break => ErrorClass::LineBreak,
            (Some(c), _) if c.is_alphanumeric() => ErrorClass::Unpunctuated,
            _ => ErrorClass::Other,
        }
    }
}

fn score(docs: &[GoldDoc], predicted: &[Segmentation], seconds: f64) -> Scores {
    let mut s = Scores {
        seconds,
        ..Scores::default()
    };
    for (gold, pred) in docs.iter().zip(predicted) {
        let (p, g) = (boundaries(&pred.ends), boundaries(&gold.ends));
        s.sentences.add(count(p, g));
        s.tokens.add(count(&pred.tokens, &gold.tokens));
        s.token_count += pred.tokens.len();
        let chars: Vec<char> = gold.text.chars().collect();
        let (p_set, g_set): (HashSet<usize>, HashSet<usize>) =
            (p.iter().copied().collect(), g.iter().copied().collect());
        for &e in p_set.difference(&g_set) {
            s.errors[ErrorClass::of(&chars, e) as usize].0 += 1;
        }
        for &e in g_set.difference(&p_set) {
            s.errors[ErrorClass::of(&chars, e) as usize].1 += 1;
        }
    }
    s
}

/// Runs our segmenter over the split, timing a repeated pass (at least ~0.3 s in all).
fn run_ours(docs: &[GoldDoc]) -> (Vec<Segmentation>, f64) {
    let rules = Rules::for_language("de");
    let texts: Vec<&str> = docs.iter().map(|d| d.text.as_str()).collect();
    let (seconds, _) = timed(&texts, rules);
    let out = texts.iter().map(|t| ours(rules, t)).collect();
    (out, seconds)
}

/// Seconds per pass of tokenising and splitting `texts`, and tokens per pass.
fn timed(texts: &[&str], rules: &Rules) -> (f64, usize) {
    let start = Instant::now();
    let mut passes = 0u32;
    let mut tokens = 0;
    while passes == 0 || start.elapsed() < Duration::from_millis(300) {
        tokens = 0;
        for t in texts {
            let toks = rules.tokenize(t);
            let sentences = rules.split_sentences(t, &toks);
            tokens += toks.len();
            std::hint::black_box(sentences);
        }
        passes += 1;
    }
    (start.elapsed().as_secs_f64() / f64::from(passes), tokens)
}

/// SoMaJo's segmentation of the texts, one paragraph (blank-line separated block) at a time,
/// and its seconds for tokenising (model loading excluded).
fn run_somajo(docs: &[GoldDoc]) -> anyhow::Result<(Vec<Segmentation>, f64)> {
    #[derive(serde::Deserialize)]
    struct PeerOut {
        docs: Vec<Segmentation>,
        seconds: f64,
    }
    use std::io::Write;
    let texts: Vec<&str> = docs.iter().map(|d| d.text.as_str()).collect();
    let mut child = std::process::Command::new("python3")
        .args(["-c", include_str!("../scripts/somajo_peer.py")])
        .stdin(std::process::Stdio::piped())
        .stdout(std::process::Stdio::piped())
        .spawn()
        .context("starting python3 for the SoMaJo peer")?;
    let mut stdin = child.stdin.take().context("python3 stdin")?;
    let input = serde_json::to_vec(&texts)?;
    let writer = std::thread::spawn(move || stdin.write_all(&input));
    let output = child.wait_with_output()?;
    writer
        .join()
        .map_err(|_| anyhow::anyhow!("writer thread panicked"))??;
    if !output.status.success() {
        bail!("SoMaJo peer failed (pip install somajo)");
    }
    let out: PeerOut = serde_json::from_slice(&output.stdout).context("SoMaJo peer output")?;
    if out.docs.len() != docs.len() {
        bail!(
            "SoMaJo peer returned {} documents for {}",
            out.docs.len(),
            docs.len()
        );
    }
    Ok((out.docs, out.seconds))
}

/// What the sentence and token tasks report.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Measure {
    Sentences,
    Tokens,
}

fn run_sentences(data: &Path, opts: &EvalOptions) -> anyhow::Result<EvalReport> {
    run_gold(data, opts, Measure::Sentences)
}

fn run_tokens(data: &Path, opts: &EvalOptions) -> anyhow::Result<EvalReport> {
    run_gold(data, opts, Measure::Tokens)
}

fn run_gold(data: &Path, opts: &EvalOptions, measure: Measure) -> anyhow::Result<EvalReport> {
    let (task, anchor) = match measure {
        Measure::Sentences => (
            "sentences",
            "goal: sentence-boundary F1 >= 0.98 at >= 50x SoMaJo's speed (SoMaJo 2.5: F1 0.964, ~19,500 tokens/s on dev)",
        ),
        Measure::Tokens => ("tokens", "SoMaJo 2.5 on the same text (--peer)"),
    };
    let mut report = EvalReport::new(task, data.to_path_buf(), anchor);
    let mut rows = vec![
        "| split | docs | system | P | R | F1 | tokens/s |".to_string(),
        "|---|---|---|---|---|---|---|".to_string(),
    ];
    let mut error_rows = vec![
        String::new(),
        "Boundary errors of lagebild by where they sit (false positives / false negatives):"
            .to_string(),
        String::new(),
        "| split | class | FP | FN |".to_string(),
        "|---|---|---|---|".to_string(),
    ];
    for (name, path) in splits(data)? {
        let docs = load_split(&path, opts.limit)?;
        let (pred, seconds) = run_ours(&docs);
        let mut systems = vec![("lagebild", score(&docs, &pred, seconds))];
        if opts.peer {
            let (pred, seconds) = run_somajo(&docs)?;
            systems.push(("somajo", score(&docs, &pred, seconds)));
        }
        for (system, s) in &systems {
            let counts = match measure {
                Measure::Sentences => s.sentences,
                Measure::Tokens => s.tokens,
            };
            let speed = s.token_count as f64 / s.seconds.max(1e-9);
            rows.push(format!(
                "| {name} | {} | {system} | {:.4} | {:.4} | {:.4} | {speed:.0} |",
                docs.len(),
                counts.precision(),
                counts.recall(),
                counts.f1()
            ));
            let prefix = if *system == "lagebild" {
                name.clone()
            } else {
                format!("{system}_{name}")
            };
            report.prf(&prefix, counts);
            report.figure(&format!("{prefix}_tokens_per_s"), speed);
        }
        for class in ErrorClass::ALL {
            let (fp, fn_) = systems[0].1.errors[class as usize];
            error_rows.push(format!("| {name} | {} | {fp} | {fn_} |", class.label()));
        }
        if let [(_, a), (_, b)] = systems.as_slice() {
            report.figure(
                &format!("{name}_speed_ratio"),
                b.seconds / a.seconds.max(1e-9),
            );
        }
    }
    if measure == Measure::Sentences {
        rows.extend(error_rows);
    }
    report.details = rows.join("\n");
    Ok(report)
}

/// Texts of a 10kGNAD-style CSV (file or folder), at most `limit`; none is an error.
fn load_csv(path: &Path, limit: Option<usize>) -> anyhow::Result<Vec<String>> {
    let texts = lagebild_core::eval::read_10kgnad_texts(path, limit)?;
    if texts.is_empty() {
        bail!("no articles in {}", path.display());
    }
    Ok(texts)
}

fn run_bench(data: &Path, opts: &EvalOptions) -> anyhow::Result<EvalReport> {
    let texts = load_csv(data, opts.limit)?;
    let refs: Vec<&str> = texts.iter().map(String::as_str).collect();
    let rules = Rules::for_language("de");
    let (seconds, tokens) = timed(&refs, rules);
    let words: usize = refs.iter().map(|t| t.split_whitespace().count()).sum();
    let bytes: usize = refs.iter().map(|t| t.len()).sum();
    let mut report = EvalReport::new(
        "segment",
        data.to_path_buf(),
        "goal: >= 50x SoMaJo (~19,500 tokens/s), i.e. >= 975,000 tokens/s on one core",
    );
    report
        .figure("documents", texts.len() as f64)
        .figure("tokens_per_s", tokens as f64 / seconds)
        .figure("words_per_s", words as f64 / seconds)
        .figure("mb_per_s", bytes as f64 / 1e6 / seconds)
        .figure(
            "peak_rss_mb",
            lagebild_core::eval::peak_rss_mb().unwrap_or(0.0),
        );
    Ok(report)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn counts_compare_sets() {
        let c = count(&[1, 2, 3], &[2, 3, 4, 5]);
        assert_eq!((c.tp, c.fp, c.fn_), (2, 1, 2));
        assert_eq!(boundaries(&[10, 20, 30]), &[10, 20]);
        assert!(boundaries(&[]).is_empty());
    }

    #[test]
    fn errors_are_classed_by_their_surroundings() {
        let chars: Vec<char> = "Er sagte: „Nein.“ Dann\nTitel Text".chars().collect();
        assert_eq!(ErrorClass::of(&chars, 9), ErrorClass::Colon);
        assert_eq!(ErrorClass::of(&chars, 11), ErrorClass::Glued);
        assert_eq!(ErrorClass::of(&chars, 22), ErrorClass::LineBreak);
        assert_eq!(ErrorClass::of(&chars, 28), ErrorClass::Unpunctuated);
        assert_eq!(ErrorClass::of(&chars, 17), ErrorClass::Other);
    }

    /// CI floor on a small subset of the dev split; skipped when the data is missing.
    #[test]
    fn sentence_and_token_floors_on_dev_subset() {
        let Some(dir) = lagebild_core::eval::dataset_for_test("quotation-wikinews/dev") else {
            return;
        };
        let opts = EvalOptions {
            limit: Some(40),
            peer: false,
        };
        let r = run_sentences(&dir, &opts).unwrap();
        let f1 = r.get("dev_f1").unwrap();
        assert!(f1 > 0.96, "sentence F1 {f1}");
        let r = run_tokens(&dir, &opts).unwrap();
        let f1 = r.get("dev_f1").unwrap();
        assert!(f1 > 0.97, "token F1 {f1}");
    }
}
