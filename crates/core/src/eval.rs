//! Shared frame of the `eval` subcommands: counts, P/R/F1 and the report every task returns.

use serde::Serialize;
use std::path::PathBuf;

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
        self.figures.iter().find(|(n, _)| n == name).map(|(_, v)| *v)
    }

    /// The figures as one JSON object.
    pub fn json(&self) -> serde_json::Value {
        let mut figures = serde_json::Map::new();
        for (k, v) in &self.figures {
            figures.insert(k.clone(), serde_json::json!((v * 10000.0).round() / 10000.0));
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
        let c = Counts { tp: 8, fp: 2, fn_: 8 };
        assert!((c.precision() - 0.8).abs() < 1e-9);
        assert!((c.recall() - 0.5).abs() < 1e-9);
        assert!((c.f1() - 0.6153846).abs() < 1e-6);
        assert_eq!(Counts::default().f1(), 0.0);
    }
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
