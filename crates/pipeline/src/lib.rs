//! The pipeline runner: document stages in parallel over documents (rayon), then corpus
//! stages over the whole corpus. Output order is the input order, whatever the thread count.

pub mod eval;

use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};
use lagebild_core::{AnalyzedDocument, Annotations, Corpus, CorpusStage, Document, DocumentStage};
use rayon::prelude::*;
use std::io::IsTerminal;
use std::ops::Range;

/// Below this many documents no progress bar is drawn.
const PROGRESS_MIN_DOCS: usize = 8;

/// An ordered list of document stages followed by corpus stages.
pub struct Pipeline {
    document_stages: Vec<Box<dyn DocumentStage>>,
    corpus_stages: Vec<Box<dyn CorpusStage>>,
}

impl Default for Pipeline {
    fn default() -> Self {
        Self::standard()
    }
}

impl Pipeline {
    /// The full analysis: clean → segment → time → entities → quotes → events, then
    /// entity resolution → near-duplicates → clusters and stories → rewrites → claims.
    pub fn standard() -> Self {
        Pipeline {
            document_stages: vec![
                Box::new(lagebild_clean::Cleaner::new()),
                Box::new(lagebild_segment::Segmenter::new()),
                Box::new(lagebild_time::TemporalTagger::new()),
                Box::new(lagebild_entities::EntityRecognizer::new()),
                Box::new(lagebild_speech::QuoteExtractor::new()),
                Box::new(lagebild_speech::EventExtractor::new()),
            ],
            corpus_stages: vec![
                Box::new(lagebild_entities::EntityResolver::new()),
                Box::new(lagebild_cluster::NearDuplicateDetector::new()),
                Box::new(lagebild_cluster::EventClusterer::new()),
                Box::new(lagebild_cluster::rewrite::RewriteDetector::new()),
                Box::new(lagebild_speech::ClaimLedger::new()),
            ],
        }
    }

    /// A pipeline of exactly the given stages.
    pub fn new(
        document_stages: Vec<Box<dyn DocumentStage>>,
        corpus_stages: Vec<Box<dyn CorpusStage>>,
    ) -> Self {
        Pipeline {
            document_stages,
            corpus_stages,
        }
    }

    /// Names of the stages in running order.
    pub fn stage_names(&self) -> Vec<&'static str> {
        self.document_stages
            .iter()
            .map(|s| s.name())
            .chain(self.corpus_stages.iter().map(|s| s.name()))
            .collect()
    }

    /// Runs the document stages over one document.
    pub fn annotate(&self, doc: Document) -> AnalyzedDocument {
        annotate(&self.document_stages, doc)
    }

    /// Runs the document stages over `docs` in parallel, in input order, with a progress bar
    /// on a terminal. Corpus stages are not touched.
    pub fn annotate_all(&self, docs: Vec<Document>) -> Vec<AnalyzedDocument> {
        let progress = progress_bar(docs.len());
        let stages = &self.document_stages;
        let analyzed = docs
            .into_par_iter()
            .map(|doc| {
                let a = annotate(stages, doc);
                progress.inc(1);
                a
            })
            .collect();
        progress.finish_and_clear();
        analyzed
    }

    /// Appends already annotated documents to the corpus and updates the corpus stages with
    /// just them (stored articles are never annotated twice). Returns their indexes.
    pub fn extend(&mut self, corpus: &mut Corpus, analyzed: Vec<AnalyzedDocument>) -> Range<usize> {
        let start = corpus.docs.len();
        corpus.docs.extend(analyzed);
        let added = start..corpus.docs.len();
        if !added.is_empty() {
            for stage in &mut self.corpus_stages {
                stage.update(corpus, added.clone());
            }
        }
        added
    }

    /// Annotates `docs` in parallel, appends them to the corpus and updates the corpus
    /// stages with just the new documents. Returns the indexes of the added documents.
    pub fn add(&mut self, corpus: &mut Corpus, docs: Vec<Document>) -> Range<usize> {
        let analyzed = self.annotate_all(docs);
        self.extend(corpus, analyzed)
    }

    /// One-shot analysis of a batch of documents.
    pub fn run(&mut self, docs: Vec<Document>) -> Corpus {
        let mut corpus = Corpus::default();
        self.add(&mut corpus, docs);
        corpus
    }
}

fn annotate(stages: &[Box<dyn DocumentStage>], doc: Document) -> AnalyzedDocument {
    let mut ann = Annotations::default();
    for stage in stages {
        stage.annotate(&doc, &mut ann);
    }
    AnalyzedDocument { doc, ann }
}

fn progress_bar(len: usize) -> ProgressBar {
    if len <= PROGRESS_MIN_DOCS || !std::io::stderr().is_terminal() {
        return ProgressBar::hidden();
    }
    let bar = ProgressBar::with_draw_target(Some(len as u64), ProgressDrawTarget::stderr());
    bar.set_style(
        ProgressStyle::with_template("{spinner} analysing {pos}/{len} documents {bar:40} {eta}")
            .expect("valid template"),
    );
    bar
}

#[cfg(test)]
mod tests {
    use super::*;

    struct Marker(&'static str);
    impl DocumentStage for Marker {
        fn name(&self) -> &'static str {
            self.0
        }
        fn annotate(&self, doc: &Document, ann: &mut Annotations) {
            // Records that earlier stages ran first: one boilerplate entry per stage, in order.
            ann.boilerplate.push(lagebild_core::Boilerplate {
                span: lagebild_core::Span::new(0, doc.len_chars()),
                kind: self.0.to_string(),
            });
        }
    }

    #[test]
    fn keeps_input_order_and_stage_order() {
        let mut p = Pipeline::new(vec![Box::new(Marker("a")), Box::new(Marker("b"))], vec![]);
        let docs: Vec<Document> = (0..100)
            .map(|i| Document::from_text(&format!("d{i}"), "x"))
            .collect();
        let corpus = p.run(docs);
        for (i, a) in corpus.docs.iter().enumerate() {
            assert_eq!(a.doc.id(), format!("d{i}"));
            let kinds: Vec<_> = a.ann.boilerplate.iter().map(|b| b.kind.as_str()).collect();
            assert_eq!(kinds, ["a", "b"]);
        }
    }
}
