//! The analysis the store runs: document stages for new articles only, corpus stages over
//! stored and new articles. Split in two because stored articles must never be re-annotated.

use lagebild_core::{AnalyzedDocument, Corpus, Document};
use lagebild_pipeline::Pipeline;
use std::ops::Range;

/// What the store needs from an analysis pipeline.
pub trait Analyzer: Send {
    /// Runs the document stages over new documents (in parallel); corpus stages are not touched.
    fn annotate(&self, docs: Vec<Document>) -> Vec<AnalyzedDocument>;
    /// Appends already annotated documents to the corpus and updates the corpus stages with
    /// just them. Returns their indexes in the corpus.
    fn extend(&mut self, corpus: &mut Corpus, docs: Vec<AnalyzedDocument>) -> Range<usize>;
}

impl Analyzer for Pipeline {
    fn annotate(&self, docs: Vec<Document>) -> Vec<AnalyzedDocument> {
        self.annotate_all(docs)
    }

    fn extend(&mut self, corpus: &mut Corpus, docs: Vec<AnalyzedDocument>) -> Range<usize> {
        Pipeline::extend(self, corpus, docs)
    }
}
