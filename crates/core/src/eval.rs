//! Shared frame of the `eval` subcommands: counts, P/R/F1 and the report every task returns.

use serde::Serialize;
use std::path::{Path, PathBuf};

/// True/false positive and false negative counts.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize)]
pub struct Counts {
    pub tp: u64,
    pub fp: u64,
    pub fn_: u64,
}

impl Counts {
    pub fn precision(&self) -> f64 {
        ratio(self.tp, self.tp + self.fp)
    }
    pub fn recall(&self) -> f64 {
        ratio(self.tp, self.tp + self.fn_)
    }
    pub fn f1(&self) -> f64 {
        f1(self.precision(), self.recall())
    }
    pub fn add(&mut self, other: Counts) {
        self.tp += other.tp;
        self.fp += other.fp;
        self.fn_ += other.fn_;
    }
}

pub fn ratio(a: u64, b: u64) -> f64 {
    if b == 0 {
        0.0
    } else {
        a as f64 / b as f64
    }
}

pub fn f1(p: f64, r: f64) -> f64 {
    if p + r == 0.0 {
        0.0
    } else {
        2.0 * p * r / (p + r)
    }
}

/// What an evaluation task returns: named figures plus a human-readable table.
#[derive(Clone, Debug, Serialize)]
pub struct EvalReport {
    pub task: String,
    pub data: PathBuf,
    /// Figures in display order, e.g. `("f1", 0.97)`.
    pub figures: Vec<(String, f64)>,
    /// The published result or goal the figures are compared with.
    pub anchor: String,
    /// Human-readable details (Markdown table), printed above the JSON line.
    pub details: String,
}

impl EvalReport {
    pub fn new(task: &str, data: PathBuf, anchor: &str) -> Self {
        EvalReport {
            task: task.to_string(),
            data,
            figures: Vec::new(),
            anchor: anchor.to_string(),
            details: String::new(),
        }
    }

    pub fn figure(&mut self, name: &str, value: f64) -> &mut Self {
        self.figures.push((name.to_string(), value));
        self
    }

    /// Adds precision, recall and F1 of `counts` under `prefix` (`prefix_p`, …).
    pub fn prf(&mut self, prefix: &str, counts: Counts) -> &mut Self {
        let name = |s: &str| {
            if prefix.is_empty() {
                s.to_string()
            } else {
                format!("{prefix}_{s}")
            }
        };
        self.figure(&name("p"), counts.precision());
        self.figure(&name("r"), counts.recall());
        self.figure(&name("f1"), counts.f1())
    }

    pub fn get(&self, name: &str) -> Option<f64> {
        self.figures
            .iter()
            .find(|(n, _)| n == name)
            .map(|(_, v)| *v)
    }

    /// The figures as one JSON object.
    pub fn json(&self) -> serde_json::Value {
        let mut figures = serde_json::Map::new();
        for (k, v) in &self.figures {
            figures.insert(
                k.clone(),
                serde_json::json!((v * 10000.0).round() / 10000.0),
            );
        }
        serde_json::json!({
            "task": self.task,
            "data": self.data,
            "figures": figures,
            "anchor": self.anchor,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn prf_of_counts() {
        let c = Counts {
            tp: 8,
            fp: 2,
            fn_: 8,
        };
        assert!((c.precision() - 0.8).abs() < 1e-9);
        assert!((c.recall() - 0.5).abs() < 1e-9);
        assert!((c.f1() - 0.6153846).abs() < 1e-6);
        assert_eq!(Counts::default().f1(), 0.0);
    }

    #[test]
    fn reads_10kgnad_rows_with_doubled_quotes_and_line_breaks() {
        let dir = std::env::temp_dir().join(format!("core-gnad-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        std::fs::write(
            dir.join("articles.csv"),
            "Inland;'Er sagte: ''Ja''; gut.\nZweite Zeile'\nSport;kurz\nKultur\n",
        )
        .unwrap();
        let rows = read_10kgnad(&dir, None).unwrap();
        let pairs: Vec<(&str, &str)> = rows
            .iter()
            .map(|r| (r.label.as_str(), r.text.as_str()))
            .collect();
        assert_eq!(
            pairs,
            [
                ("Inland", "Er sagte: 'Ja'; gut.\nZweite Zeile"),
                ("Sport", "kurz")
            ]
        );
        assert_eq!(read_10kgnad_texts(&dir, Some(1)).unwrap().len(), 1);
        let other = dir.join("other.csv");
        std::fs::write(
            &other,
            "Sport;'Er sagte ''ja''; dann\nging er.'\nKultur;'Zwei'\n",
        )
        .unwrap();
        let texts = read_10kgnad_texts(&other, None).unwrap();
        assert_eq!(texts, ["Er sagte 'ja'; dann\nging er.", "Zwei"]);
        let err = read_10kgnad(&dir.join("missing.csv"), None).unwrap_err();
        assert!(format!("{err:#}").contains("missing.csv"));
        std::fs::remove_dir_all(&dir).ok();
    }
}

/// Peak resident memory of this process in MB (`VmHWM` of /proc/self/status), when the OS
/// reports it; benchmarks print it beside their throughput.
pub fn peak_rss_mb() -> Option<f64> {
    let status = std::fs::read_to_string("/proc/self/status").ok()?;
    let line = status.lines().find(|l| l.starts_with("VmHWM:"))?;
    let kb: f64 = line.split_whitespace().nth(1)?.parse().ok()?;
    Some(kb / 1024.0)
}

/// Options every evaluation and benchmark task accepts.
#[derive(Clone, Debug, Default)]
pub struct EvalOptions {
    /// Score only the first N documents/pages/pairs (a fast subset for CI).
    pub limit: Option<usize>,
    /// Also run the peer tool (trafilatura, SoMaJo, dateparser, datasketch…) in the same run.
    pub peer: bool,
}

/// Whether a task measures quality or speed.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum TaskKind {
    Eval,
    Bench,
}

/// An evaluation or benchmark a stage crate offers to the CLI.
#[derive(Clone, Copy)]
pub struct Task {
    pub name: &'static str,
    pub kind: TaskKind,
    pub about: &'static str,
    /// Dataset path relative to the shared data folder (`../shared/data`).
    pub default_data: &'static str,
    pub run: fn(&std::path::Path, &EvalOptions) -> anyhow::Result<EvalReport>,
}

/// One row of a 10kGNAD-style corpus: the newspaper section and the article text.
#[derive(Clone, Debug, PartialEq)]
pub struct LabelledText {
    pub label: String,
    pub text: String,
}

/// Rows of a 10kGNAD-style CSV (`label;text`, no header, `'` quotes with `''` inside),
/// at most `limit`. `path` is the file or a folder holding `articles.csv`. The one reader of
/// this format for every evaluation and benchmark.
pub fn read_10kgnad(path: &Path, limit: Option<usize>) -> anyhow::Result<Vec<LabelledText>> {
    use anyhow::Context;
    let path = if path.is_dir() {
        path.join("articles.csv")
    } else {
        path.to_path_buf()
    };
    let mut reader = csv::ReaderBuilder::new()
        .delimiter(b';')
        .quote(b'\'')
        .has_headers(false)
        .flexible(true)
        .from_path(&path)
        .with_context(|| format!("opening {}", path.display()))?;
    let mut rows = Vec::new();
    for record in reader.records() {
        if Some(rows.len()) == limit {
            break;
        }
        let record = record.with_context(|| format!("reading {}", path.display()))?;
        if let (Some(label), Some(text)) = (record.get(0), record.get(1)) {
            rows.push(LabelledText {
                label: label.to_string(),
                text: text.to_string(),
            });
        }
    }
    Ok(rows)
}

/// The texts of [`read_10kgnad`].
pub fn read_10kgnad_texts(path: &Path, limit: Option<usize>) -> anyhow::Result<Vec<String>> {
    Ok(read_10kgnad(path, limit)?
        .into_iter()
        .map(|row| row.text)
        .collect())
}

/// Finds the shared evaluation data: `$LAGEBILD_DATA`, else the first `shared/data` folder
/// beside the current directory or one of its ancestors (the repo sits next to `shared/`).
pub fn data_root() -> Option<std::path::PathBuf> {
    if let Some(p) = std::env::var_os("LAGEBILD_DATA") {
        return Some(p.into());
    }
    let cwd = std::env::current_dir().ok()?;
    cwd.ancestors()
        .map(|a| a.join("shared/data"))
        .find(|p| p.is_dir())
}

/// A dataset below the shared data root, or `None` after printing why a test is skipped.
/// Tests that need data call this and return early on `None`: a skip, never a silent pass.
pub fn dataset_for_test(relative: &str) -> Option<std::path::PathBuf> {
    match data_root().map(|r| r.join(relative)) {
        Some(p) if p.exists() => Some(p),
        Some(p) => {
            eprintln!("SKIPPED: evaluation data {} not found", p.display());
            None
        }
        None => {
            eprintln!("SKIPPED: no shared/data folder beside the repository (set LAGEBILD_DATA)");
            None
        }
    }
}

/// Runs a task, prints its details, and the figures as one JSON object when `json` is set
/// (always the last line of stdout). With `record`, replaces the task's block in that
/// Markdown file (e.g. docs/EVALUATION.md) with the date, command and figures.
pub fn execute(
    task: &Task,
    data: Option<&std::path::Path>,
    opts: &EvalOptions,
    json: bool,
    record: Option<&std::path::Path>,
) -> anyhow::Result<EvalReport> {
    let data = match data {
        Some(d) => d.to_path_buf(),
        None => data_root()
            .ok_or_else(|| {
                anyhow::anyhow!("no shared/data folder found; pass --data or set LAGEBILD_DATA")
            })?
            .join(task.default_data),
    };
    if !data.exists() {
        anyhow::bail!("data {} not found", data.display());
    }
    let report = (task.run)(&data, opts)?;
    if !report.details.is_empty() {
        println!("{}", report.details.trim_end());
    }
    for (name, value) in &report.figures {
        println!("{name:>24}  {value:.4}");
    }
    println!("{:>24}  {}", "anchor", report.anchor);
    if let Some(path) = record {
        record_report(path, task, &report, opts)?;
    }
    if json {
        println!("{}", report.json());
    }
    Ok(report)
}

fn record_report(
    path: &std::path::Path,
    task: &Task,
    report: &EvalReport,
    opts: &EvalOptions,
) -> anyhow::Result<()> {
    let verb = match task.kind {
        TaskKind::Eval => "eval",
        TaskKind::Bench => "bench",
    };
    let mut command = format!(
        "lagebild {verb} {} --data {}",
        task.name,
        report.data.display()
    );
    if let Some(l) = opts.limit {
        command.push_str(&format!(" --limit {l}"));
    }
    if opts.peer {
        command.push_str(" --peer");
    }
    let date = jiff::Timestamp::now().to_string()[..10].to_string();
    let begin = format!("<!-- {verb}:{}:begin -->", task.name);
    let end = format!("<!-- {verb}:{}:end -->", task.name);
    let mut block = format!(
        "{begin}\n### `{verb} {}` — {date}\n\n{}\n\n`{command}`\n\n| figure | value |\n|---|---|\n",
        task.name, task.about
    );
    for (name, value) in &report.figures {
        block.push_str(&format!("| {name} | {value:.4} |\n"));
    }
    block.push_str(&format!("\nAnchor: {}\n", report.anchor));
    if !report.details.is_empty() {
        block.push_str(&format!("\n{}\n", report.details.trim_end()));
    }
    block.push_str(&end);
    let old = std::fs::read_to_string(path).unwrap_or_else(|_| "# Evaluation\n".to_string());
    let new = match (old.find(&begin), old.find(&end)) {
        (Some(b), Some(e)) if b < e => format!("{}{block}{}", &old[..b], &old[e + end.len()..]),
        _ => format!("{}\n\n{block}\n", old.trim_end()),
    };
    std::fs::write(path, new)?;
    Ok(())
}

/// Minimal command line for a crate's `examples/eval.rs`, so a stage can be evaluated
/// without building the whole CLI: `eval TASK [--data PATH] [--limit N] [--peer] [--json] [--record FILE]`.
pub fn example_main(tasks: Vec<Task>) {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let names: Vec<&str> = tasks.iter().map(|t| t.name).collect();
    let Some(name) = args.first() else {
        eprintln!("usage: eval TASK [--data PATH] [--limit N] [--peer] [--json] [--record FILE]; tasks: {names:?}");
        std::process::exit(2);
    };
    let Some(task) = tasks.iter().find(|t| t.name == name) else {
        eprintln!("unknown task {name:?}; tasks: {names:?}");
        std::process::exit(2);
    };
    let value = |flag: &str| {
        args.iter()
            .position(|a| a == flag)
            .and_then(|i| args.get(i + 1))
            .cloned()
    };
    let opts = EvalOptions {
        limit: value("--limit").and_then(|v| v.parse().ok()),
        peer: args.iter().any(|a| a == "--peer"),
    };
    let data = value("--data").map(std::path::PathBuf::from);
    let record = value("--record").map(std::path::PathBuf::from);
    let json = args.iter().any(|a| a == "--json");
    if let Err(e) = execute(task, data.as_deref(), &opts, json, record.as_deref()) {
        eprintln!("error: {e:#}");
        std::process::exit(1);
    }
}
