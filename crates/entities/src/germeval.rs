//! GermEval 2014 format: reading, strict CoNLL span scoring (outer level), training and
//! cross-validation.

use crate::lexicon::{self, Lexicon};
use crate::model::{chunks, label_of, train, Scratch, Sentence, Tagger, TrainConfig, TYPES};
use anyhow::{bail, Context};
use lagebild_core::eval::Counts;
use std::path::Path;

/// Sentences of a GermEval TSV file (`index token outer nested`, `#` lines, blank separators).
pub fn read(path: &Path) -> anyhow::Result<Vec<Sentence>> {
    let text =
        std::fs::read_to_string(path).with_context(|| format!("reading {}", path.display()))?;
    parse(&text).with_context(|| format!("parsing {}", path.display()))
}

pub fn parse(text: &str) -> anyhow::Result<Vec<Sentence>> {
    let mut out = Vec::new();
    let mut cur = Sentence {
        words: Vec::new(),
        labels: Vec::new(),
    };
    for (n, line) in text.lines().enumerate() {
        if line.starts_with('#') {
            continue;
        }
        if line.trim().is_empty() {
            if !cur.words.is_empty() {
                out.push(std::mem::replace(
                    &mut cur,
                    Sentence {
                        words: Vec::new(),
                        labels: Vec::new(),
                    },
                ));
            }
            continue;
        }
        let cols: Vec<&str> = line.split('\t').collect();
        if cols.len() < 3 {
            bail!(
                "line {}: expected `index token tag [nested]`, got {line:?}",
                n + 1
            );
        }
        cur.words.push(cols[1].to_string());
        cur.labels.push(label_of(cols[2]));
    }
    if !cur.words.is_empty() {
        out.push(cur);
    }
    if out.is_empty() {
        bail!("no sentences found");
    }
    Ok(out)
}

/// Span counts per type (index into [`TYPES`]).
#[derive(Clone, Debug, Default)]
pub struct Score {
    pub per_type: [Counts; TYPES.len()],
}

impl Score {
    pub fn add(&mut self, gold: &[usize], pred: &[usize]) {
        let g = chunks(gold);
        let p = chunks(pred);
        for &(t, s, e) in &p {
            if g.contains(&(t, s, e)) {
                self.per_type[t].tp += 1;
            } else {
                self.per_type[t].fp += 1;
            }
        }
        for &(t, s, e) in &g {
            if !p.contains(&(t, s, e)) {
                self.per_type[t].fn_ += 1;
            }
        }
    }

    pub fn merge(&mut self, other: &Score) {
        for (a, b) in self.per_type.iter_mut().zip(&other.per_type) {
            a.add(*b);
        }
    }

    /// All twelve GermEval classes: the official outer-level metric.
    pub fn overall(&self) -> Counts {
        let mut c = Counts::default();
        for t in &self.per_type {
            c.add(*t);
        }
        c
    }

    /// One base type with its deriv and part forms folded in (PER, ORG, LOC, OTH).
    pub fn base(&self, base: usize) -> Counts {
        let mut c = self.per_type[base];
        c.add(self.per_type[base + 4]);
        c.add(self.per_type[base + 8]);
        c
    }

    /// Markdown table of P/R/F1 per class.
    pub fn table(&self) -> String {
        let mut s = String::from("| class | gold | P | R | F1 |\n|---|---|---|---|---|\n");
        let mut row = |name: &str, c: Counts| {
            s.push_str(&format!(
                "| {name} | {} | {:.3} | {:.3} | {:.3} |\n",
                c.tp + c.fn_,
                c.precision(),
                c.recall(),
                c.f1()
            ));
        };
        for (t, c) in TYPES.iter().zip(&self.per_type) {
            row(t, *c);
        }
        row("**all**", self.overall());
        s
    }
}

/// Tags every sentence with `tagger`, applies the name repairs the recogniser applies, and scores.
pub fn evaluate(tagger: &Tagger, lex: &Lexicon, data: &[Sentence]) -> Score {
    let mut score = Score::default();
    let mut scratch = Scratch::default();
    for s in data {
        let words: Vec<&str> = s.words.iter().map(String::as_str).collect();
        let mut pred = tagger.tag(lex, &words, &mut scratch);
        let lower: Vec<String> = words.iter().map(|w| w.to_lowercase()).collect();
        crate::repair::repair_sentence(lex, &words, &lower, &mut pred);
        score.add(&s.labels, &pred);
    }
    score
}

/// k-fold cross-validation (sentence `i` is in fold `i % k`), counts pooled over folds.
pub fn cross_validate(data: &[Sentence], k: usize, config: TrainConfig) -> Score {
    let lex = lexicon::get("de");
    let mut total = Score::default();
    for fold in 0..k {
        let (test, train_set): (Vec<_>, Vec<_>) =
            data.iter().enumerate().partition(|(i, _)| i % k == fold);
        let train_set: Vec<Sentence> = train_set.into_iter().map(|(_, s)| s.clone()).collect();
        let test: Vec<Sentence> = test.into_iter().map(|(_, s)| s.clone()).collect();
        let tagger = train(lex, &train_set, config);
        total.merge(&evaluate(&tagger, lex, &test));
    }
    total
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_and_scores_strictly() {
        let text = "# http://x [2010-01-01]\n1\tAngela\tB-PER\tO\n2\tMerkel\tI-PER\tO\n3\tin\tO\tO\n4\tBerlin\tB-LOC\tO\n\n#\tx\n1\tdeutsche\tB-LOCderiv\tO\n";
        let data = parse(text).unwrap();
        assert_eq!(data.len(), 2);
        assert_eq!(data[0].words, vec!["Angela", "Merkel", "in", "Berlin"]);
        let mut s = Score::default();
        // Predicting only "Merkel" as PER is a false positive and a miss (strict spans).
        s.add(&data[0].labels, &[0, 1, 0, label_of("B-LOC")]);
        let all = s.overall();
        assert_eq!((all.tp, all.fp, all.fn_), (1, 1, 1));
        assert!(parse("1\tonly-two\n").is_err());
        assert!(parse("").is_err());
    }
}
