//! `eval quotes` (German WikiNews quotation attribution, scored as the dataset's paper scores
//! it) and `bench speech` (documents/s for quotes + events + claims on 10kGNAD).

use crate::{ClaimLedger, EventExtractor, QuoteExtractor};
use anyhow::Context;
use lagebild_core::eval::{EvalOptions, EvalReport, Task, TaskKind};
use lagebild_core::{
    AnalyzedDocument, Annotations, Corpus, CorpusStage, Document, DocumentStage, Metadata, Origin,
    QuoteKind, Span,
};
use pathfinding::prelude::{kuhn_munkres, Matrix};
use serde::Deserialize;
use std::collections::BTreeMap;
use std::path::Path;
use std::time::Instant;

pub(crate) fn tasks() -> Vec<Task> {
    vec![
        Task {
            name: "quotes",
            kind: TaskKind::Eval,
            about: "Quotations with speaker, cue, addressee and frame on German WikiNews (Petersen-Frey & Biemann 2024): quotations matched one-to-one by token overlap (Hungarian), token P/R/F1 per role, macro-averaged over matched quotation pairs and leftovers (as eval_quotes.py of uhh-lt/seq2seq-quotation-attribution)",
            default_data: "quotation-wikinews/dev",
            run: run_quotes,
        },
        Task {
            name: "speech",
            kind: TaskKind::Bench,
            about: "Documents/s of quotes + events + claims on the 10kGNAD articles (one thread, after segment, time and entities)",
            default_data: "10kgnad/articles.csv",
            run: run_bench,
        },
    ]
}

#[derive(Deserialize)]
struct GoldDoc {
    #[serde(rename = "documentName", default)]
    name: String,
    #[serde(rename = "originalText")]
    text: String,
    #[serde(default)]
    tokens: Vec<GoldToken>,
    #[serde(default)]
    annotations: Vec<GoldQuote>,
}

#[derive(Deserialize)]
struct GoldToken {
    #[serde(rename = "charBegin")]
    begin: usize,
    #[serde(rename = "charEnd")]
    end: usize,
}

#[derive(Deserialize, Default)]
struct GoldRole {
    #[serde(rename = "tokenIds", default)]
    token_ids: Vec<usize>,
}

#[derive(Deserialize)]
struct GoldQuote {
    #[serde(default)]
    quote: GoldRole,
    #[serde(default)]
    speaker: GoldRole,
    #[serde(default)]
    cue: GoldRole,
    #[serde(default)]
    frame: GoldRole,
    #[serde(default)]
    addressee: GoldRole,
    #[serde(rename = "type", default)]
    kind: String,
}

/// The roles scored, in the official order (the message first).
const ROLES: [&str; 5] = ["quote", "speaker", "cue", "addressee", "frame"];
const TYPES: [&str; 5] = [
    "Direct",
    "Indirect",
    "FreeIndirect",
    "IndirectFreeIndirect",
    "Reported",
];

/// One quotation as sorted token ids per role.
struct Group {
    roles: [Vec<usize>; 5],
    form: String,
}

fn sorted(mut v: Vec<usize>) -> Vec<usize> {
    v.sort_unstable();
    v.dedup();
    v
}

impl Group {
    fn gold(q: &GoldQuote) -> Group {
        Group {
            roles: [
                sorted(q.quote.token_ids.clone()),
                sorted(q.speaker.token_ids.clone()),
                sorted(q.cue.token_ids.clone()),
                sorted(q.addressee.token_ids.clone()),
                sorted(q.frame.token_ids.clone()),
            ],
            form: q.kind.clone(),
        }
    }
}

/// Overlap F1 of two sorted token lists (the official matching score).
fn overlap_f1(gold: &[usize], sys: &[usize]) -> f64 {
    let both = gold.iter().filter(|g| sys.binary_search(g).is_ok()).count() as f64;
    if both == 0.0 {
        return 0.0;
    }
    let p = both / sys.len() as f64;
    let r = both / gold.len() as f64;
    2.0 * p * r / (p + r)
}

/// Per-quotation precision/recall per role (None where undefined), like the official scorer.
#[derive(Default)]
struct Scores {
    /// Per role: (sum of defined precisions, count, sum of defined recalls, count).
    roles: [(f64, usize, f64, usize); 5],
    /// Per quotation type: the same for the quote role.
    types: BTreeMap<String, (f64, usize, f64, usize)>,
    gold: usize,
    sys: usize,
}

impl Scores {
    fn add_pair(&mut self, sys: Option<&Group>, gold: Option<&Group>) {
        let empty: [Vec<usize>; 5] = Default::default();
        let s = sys.map_or(&empty, |g| &g.roles);
        let g = gold.map_or(&empty, |g| &g.roles);
        for r in 0..ROLES.len() {
            let tp = g[r]
                .iter()
                .filter(|t| s[r].binary_search(t).is_ok())
                .count();
            let (fp, fn_) = (s[r].len() - tp, g[r].len() - tp);
            let slot = &mut self.roles[r];
            if tp + fp > 0 {
                slot.0 += tp as f64 / (tp + fp) as f64;
                slot.1 += 1;
            }
            if tp + fn_ > 0 {
                slot.2 += tp as f64 / (tp + fn_) as f64;
                slot.3 += 1;
            }
            if r == 0 {
                let form = gold.or(sys).map(|x| x.form.clone()).unwrap_or_default();
                let t = self.types.entry(form).or_default();
                if tp + fp > 0 {
                    t.0 += tp as f64 / (tp + fp) as f64;
                    t.1 += 1;
                }
                if tp + fn_ > 0 {
                    t.2 += tp as f64 / (tp + fn_) as f64;
                    t.3 += 1;
                }
            }
        }
    }

    fn prf(slot: (f64, usize, f64, usize)) -> (f64, f64, f64) {
        let p = if slot.1 == 0 {
            0.0
        } else {
            slot.0 / slot.1 as f64
        };
        let r = if slot.3 == 0 {
            0.0
        } else {
            slot.2 / slot.3 as f64
        };
        (p, r, lagebild_core::eval::f1(p, r))
    }
}

/// Matches system and gold quotations of one document one-to-one (Hungarian, maximising
/// overlap F1 with a small bonus for the same type) and scores every pair and leftover.
fn score_document(sys: &[Group], gold: &[Group], scores: &mut Scores) {
    scores.gold += gold.len();
    scores.sys += sys.len();
    let weight = |gi: usize, si: usize| {
        let o = overlap_f1(&gold[gi].roles[0], &sys[si].roles[0]);
        let bonus = if o > 0.0 && gold[gi].form == sys[si].form {
            0.01
        } else {
            0.0
        };
        ((o + bonus) * 1e6).round() as i64
    };
    let mut matched_sys = vec![false; sys.len()];
    let mut matched_gold = vec![false; gold.len()];
    if !sys.is_empty() && !gold.is_empty() {
        // kuhn_munkres wants no more rows than columns.
        let gold_rows = gold.len() <= sys.len();
        let (rows, cols) = if gold_rows {
            (gold.len(), sys.len())
        } else {
            (sys.len(), gold.len())
        };
        let m = Matrix::from_fn(rows, cols, |(r, c)| {
            if gold_rows {
                weight(r, c)
            } else {
                weight(c, r)
            }
        });
        let (_, assignment) = kuhn_munkres(&m);
        for (r, &c) in assignment.iter().enumerate() {
            let (gi, si) = if gold_rows { (r, c) } else { (c, r) };
            matched_gold[gi] = true;
            matched_sys[si] = true;
            scores.add_pair(Some(&sys[si]), Some(&gold[gi]));
        }
    }
    for (si, s) in sys.iter().enumerate() {
        if !matched_sys[si] {
            scores.add_pair(Some(s), None);
        }
    }
    for (gi, g) in gold.iter().enumerate() {
        if !matched_gold[gi] {
            scores.add_pair(None, Some(g));
        }
    }
}

/// Runs segmenter, time, entities and the quote stage on a text.
fn analyse(doc: &Document) -> Annotations {
    let mut ann = Annotations::default();
    lagebild_segment::Segmenter::new().annotate(doc, &mut ann);
    lagebild_time::TemporalTagger::new().annotate(doc, &mut ann);
    lagebild_entities::EntityRecognizer::new().annotate(doc, &mut ann);
    QuoteExtractor::new().annotate(doc, &mut ann);
    ann
}

/// Publication date from a WikiNews document name "… (2005-08-20)".
fn date_of(name: &str) -> Option<jiff::civil::Date> {
    let open = name.rfind('(')?;
    name[open + 1..].trim_end_matches(')').parse().ok()
}

/// The system's quotations of one document as token-id groups.
fn system_groups(ann: &Annotations, tokens: &[GoldToken]) -> Vec<Group> {
    let lex = crate::lexicon::get("de");
    let ids = |span: Span| -> Vec<usize> {
        tokens
            .iter()
            .enumerate()
            .filter(|(_, t)| t.begin < span.end && span.start < t.end)
            .map(|(i, _)| i)
            .collect()
    };
    ann.quotes
        .iter()
        .map(|q| {
            let speaker = q.speaker.as_ref().map(|e| ids(e.span)).unwrap_or_default();
            let cue_all = q.cue.as_ref().map(|e| ids(e.span)).unwrap_or_default();
            // The dataset's quotation never holds its own frame: a marker ("laut X",
            // "nach Angaben X", ", so X") inside our single span is cut out. A speech verb
            // inside is reported speech ("wies die Vorwürfe zurück"), whose message keeps verb
            // and speaker and which the dataset gives no cue.
            let marker = q
                .cue
                .as_ref()
                .is_some_and(|c| lex.cue(&c.text.to_lowercase()).is_empty());
            let quote: Vec<usize> = ids(q.span)
                .into_iter()
                .filter(|t| !marker || !(speaker.contains(t) || cue_all.contains(t)))
                .collect();
            let cue: Vec<usize> = cue_all.into_iter().filter(|t| !quote.contains(t)).collect();
            let addressee = q
                .addressee
                .as_ref()
                .map(|e| ids(e.span))
                .unwrap_or_default();
            // The frame: from the first to the last token of speaker and cue, outside the quote.
            let parts: Vec<usize> = speaker
                .iter()
                .chain(&cue)
                .chain(&addressee)
                .copied()
                .collect();
            let frame = match (parts.iter().min(), parts.iter().max()) {
                (Some(&a), Some(&b)) => (a..=b).filter(|t| !quote.contains(t)).collect(),
                _ => Vec::new(),
            };
            Group {
                roles: [quote, speaker, cue, addressee, frame],
                form: match q.kind {
                    QuoteKind::Direct => "Direct".into(),
                    QuoteKind::Indirect => "Indirect".into(),
                },
            }
        })
        .collect()
}

fn run_quotes(data: &Path, opts: &EvalOptions) -> anyhow::Result<EvalReport> {
    let mut files: Vec<_> = std::fs::read_dir(data)
        .with_context(|| format!("reading {}", data.display()))?
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.extension().is_some_and(|x| x == "json"))
        .collect();
    files.sort();
    if let Some(limit) = opts.limit {
        files.truncate(limit);
    }
    anyhow::ensure!(
        !files.is_empty(),
        "no .json documents in {}",
        data.display()
    );
    let mut scores = Scores::default();
    for path in &files {
        let raw = std::fs::read_to_string(path)?;
        let gold: GoldDoc =
            serde_json::from_str(&raw).with_context(|| format!("parsing {}", path.display()))?;
        let doc = Document::new(
            Metadata {
                id: gold.name.clone(),
                published: date_of(&gold.name),
                language: Some("de".into()),
                ..Metadata::default()
            },
            Origin {
                path: path.display().to_string(),
                record: None,
            },
            gold.text.clone(),
        );
        let ann = analyse(&doc);
        let sys = system_groups(&ann, &gold.tokens);
        let gold_groups: Vec<Group> = gold.annotations.iter().map(Group::gold).collect();
        score_document(&sys, &gold_groups, &mut scores);
    }
    let mut report = EvalReport::new(
        "quotes",
        data.to_path_buf(),
        "goal (issue 6): quote F1 ≥ 0.80, speaker F1 ≥ 0.75 on dev; official scorer of Petersen-Frey & Biemann (LREC-COLING 2024)",
    );
    let mut details = format!(
        "{} documents, {} gold and {} system quotations. Averaging as the official `eval_quotes.py`: \
         quotations matched one-to-one per document (Hungarian on token-overlap F1), token P and R \
         per role computed per quotation pair (or leftover) and macro-averaged over all of them \
         where defined; F1 from the averaged P and R. Frame tokens (speaker, marker cue) inside \
         one span are cut out of the message, as the dataset marks them.\n\n| role | P | R | F1 |\n|---|---|---|---|\n",
        files.len(),
        scores.gold,
        scores.sys
    );
    for (r, name) in ROLES.iter().enumerate() {
        let (p, rc, f) = Scores::prf(scores.roles[r]);
        report.figure(&format!("{name}_p"), p);
        report.figure(&format!("{name}_r"), rc);
        report.figure(&format!("{name}_f1"), f);
        details.push_str(&format!("| {name} | {p:.3} | {rc:.3} | {f:.3} |\n"));
    }
    details.push_str("\n| quotation type (gold; system where unmatched) | quote P | quote R | quote F1 | quotations |\n|---|---|---|---|---|\n");
    for t in TYPES {
        let slot = scores.types.get(t).copied().unwrap_or_default();
        let (p, r, f) = Scores::prf(slot);
        report.figure(&format!("quote_f1_{}", t.to_lowercase()), f);
        details.push_str(&format!(
            "| {t} | {p:.3} | {r:.3} | {f:.3} | {} |\n",
            slot.3.max(slot.1)
        ));
    }
    report.details = details;
    Ok(report)
}

fn run_bench(data: &Path, opts: &EvalOptions) -> anyhow::Result<EvalReport> {
    // Blank rows carry nothing to analyse.
    let mut texts = lagebild_core::eval::read_10kgnad_texts(data, None)?;
    texts.retain(|t| !t.trim().is_empty());
    if let Some(limit) = opts.limit {
        texts.truncate(limit);
    }
    anyhow::ensure!(!texts.is_empty(), "no articles in {}", data.display());
    let segment = lagebild_segment::Segmenter::new();
    let time = lagebild_time::TemporalTagger::new();
    let entities = lagebild_entities::EntityRecognizer::new();
    let quotes = QuoteExtractor::new();
    let events = EventExtractor::new();
    let mut corpus = Corpus::default();
    let upstream_start = Instant::now();
    for (i, text) in texts.iter().enumerate() {
        let doc = Document::from_text(&format!("gnad{i}"), text);
        let mut ann = Annotations::default();
        segment.annotate(&doc, &mut ann);
        time.annotate(&doc, &mut ann);
        entities.annotate(&doc, &mut ann);
        corpus.docs.push(AnalyzedDocument { doc, ann });
    }
    let upstream = upstream_start.elapsed().as_secs_f64();
    let start = Instant::now();
    for a in corpus.docs.iter_mut() {
        quotes.annotate(&a.doc, &mut a.ann);
        events.annotate(&a.doc, &mut a.ann);
    }
    let document_stages = start.elapsed().as_secs_f64();
    let claims_start = Instant::now();
    let mut ledger = ClaimLedger::new();
    let added = 0..corpus.docs.len();
    ledger.update(&mut corpus, added);
    let claims = claims_start.elapsed().as_secs_f64();
    let total = start.elapsed().as_secs_f64();
    let n = corpus.docs.len() as f64;
    let quotes_n: usize = corpus.docs.iter().map(|a| a.ann.quotes.len()).sum();
    let events_n: usize = corpus.docs.iter().map(|a| a.ann.events.len()).sum();
    let mut report = EvalReport::new(
        "speech",
        data.to_path_buf(),
        "no published figure; upstream stages (segment + time + entities) shown for scale",
    );
    report.figure("docs_per_s", n / total.max(1e-9));
    report.figure("docs_per_s_quotes_events", n / document_stages.max(1e-9));
    report.figure("docs_per_s_claims", n / claims.max(1e-9));
    report.figure("docs_per_s_upstream", n / upstream.max(1e-9));
    report.figure("quotes_per_doc", quotes_n as f64 / n);
    report.figure("events_per_doc", events_n as f64 / n);
    report.figure("claims", corpus.claims.len() as f64);
    if let Some(mb) = lagebild_core::eval::peak_rss_mb() {
        report.figure("peak_rss_mb", mb);
    }
    report.details = format!(
        "{} articles; quotes + events {:.2} s, claims {:.2} s, upstream stages {:.2} s",
        corpus.docs.len(),
        document_stages,
        claims,
        upstream
    );
    Ok(report)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn group(q: &[usize], s: &[usize], form: &str) -> Group {
        Group {
            roles: [q.to_vec(), s.to_vec(), vec![], vec![], vec![]],
            form: form.into(),
        }
    }

    #[test]
    fn scorer_matches_one_to_one_and_macro_averages() {
        let gold = [
            group(&[1, 2, 3, 4], &[0], "Direct"),
            group(&[10, 11], &[9], "Indirect"),
        ];
        let sys = [
            group(&[10, 11, 12], &[9], "Indirect"),
            group(&[2, 3], &[0], "Direct"),
        ];
        let mut s = Scores::default();
        score_document(&sys, &gold, &mut s);
        let (p, r, _) = Scores::prf(s.roles[0]);
        assert!((p - (2.0 / 3.0 + 1.0) / 2.0).abs() < 1e-9);
        assert!((r - (1.0 + 0.5) / 2.0).abs() < 1e-9);
        assert_eq!(Scores::prf(s.roles[1]), (1.0, 1.0, 1.0));
        // An unmatched system quotation costs precision only.
        let mut s = Scores::default();
        score_document(&sys, &gold[..1], &mut s);
        assert_eq!(s.roles[0].1, 2);
        assert_eq!(s.roles[0].3, 1);
    }

    #[test]
    fn quotes_floor_on_dev_subset() {
        let Some(dir) = lagebild_core::eval::dataset_for_test("quotation-wikinews/dev") else {
            return;
        };
        let opts = EvalOptions {
            limit: Some(25),
            peer: false,
        };
        let report = run_quotes(&dir, &opts).unwrap();
        let quote = report.get("quote_f1").unwrap();
        let speaker = report.get("speaker_f1").unwrap();
        eprintln!("quote F1 {quote:.3}, speaker F1 {speaker:.3}");
        // Measured 0.749 and 0.680 on these 25 documents.
        assert!(quote >= 0.71, "quote F1 {quote}");
        assert!(speaker >= 0.64, "speaker F1 {speaker}");
    }
}
