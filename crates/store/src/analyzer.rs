//! The analysis the store runs: document stages for new articles only, corpus stages over
//! stored and new articles. Split in two because stored articles must never be re-annotated.

use lagebild_core::{AnalyzedDocument, Annotations, Corpus, CorpusStage, Document, DocumentStage};
use rayon::prelude::*;
use std::ops::Range;

/// What the store needs from an analysis pipeline.
pub trait Analyzer: Send {
    /// Runs the document stages over new documents (in parallel); corpus stages are not touched.
    fn annotate(&self, docs: Vec<Document>) -> Vec<AnalyzedDocument>;
    /// Appends already annotated documents to the corpus and updates the corpus stages with
    /// just them. Returns their indexes in the corpus.
    fn extend(&mut self, corpus: &mut Corpus, docs: Vec<AnalyzedDocument>) -> Range<usize>;
}

/// Document stages followed by corpus stages, like `lagebild_pipeline::Pipeline`, but with
/// annotation and corpus update callable separately.
pub struct StageAnalyzer {
    document_stages: Vec<Box<dyn DocumentStage>>,
    corpus_stages: Vec<Box<dyn CorpusStage>>,
}

impl StageAnalyzer {
    pub fn new(
        document_stages: Vec<Box<dyn DocumentStage>>,
        corpus_stages: Vec<Box<dyn CorpusStage>>,
    ) -> Self {
        StageAnalyzer {
            document_stages,
            corpus_stages,
        }
    }

    #[cfg(feature = "standard")]
    /// The standard lagebild analysis, the same stages in the same order as
    /// `Pipeline::standard()`.
    pub fn standard() -> Self {
        StageAnalyzer::new(
            vec![
                Box::new(lagebild_clean::Cleaner::new()),
                Box::new(lagebild_segment::Segmenter::new()),
                Box::new(lagebild_time::TemporalTagger::new()),
                Box::new(lagebild_entities::EntityRecognizer::new()),
                Box::new(lagebild_speech::QuoteExtractor::new()),
                Box::new(lagebild_speech::EventExtractor::new()),
            ],
            vec![
                Box::new(lagebild_entities::EntityResolver::new()),
                Box::new(lagebild_cluster::NearDuplicateDetector::new()),
                Box::new(lagebild_cluster::EventClusterer::new()),
                Box::new(lagebild_speech::ClaimLedger::new()),
            ],
        )
    }
}

impl Analyzer for StageAnalyzer {
    fn annotate(&self, docs: Vec<Document>) -> Vec<AnalyzedDocument> {
        let stages = &self.document_stages;
        docs.into_par_iter()
            .map(|doc| {
                let mut ann = Annotations::default();
                for stage in stages {
                    stage.annotate(&doc, &mut ann);
                }
                AnalyzedDocument { doc, ann }
            })
            .collect()
    }

    fn extend(&mut self, corpus: &mut Corpus, docs: Vec<AnalyzedDocument>) -> Range<usize> {
        let start = corpus.docs.len();
        corpus.docs.extend(docs);
        let added = start..corpus.docs.len();
        if !added.is_empty() {
            for stage in &mut self.corpus_stages {
                stage.update(corpus, added.clone());
            }
        }
        added
    }
}
