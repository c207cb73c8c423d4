//! The seams of the pipeline: small traits so a stage can be replaced without touching its neighbours.

use crate::annotation::Annotations;
use crate::corpus::Corpus;
use crate::document::Document;
use std::ops::Range;

/// Looks at one document and the annotations of earlier stages, and adds its own.
/// Pure per document, so the runner calls it on many documents in parallel.
pub trait DocumentStage: Send + Sync {
    fn name(&self) -> &'static str;
    fn annotate(&self, doc: &Document, ann: &mut Annotations);
}

/// Looks across documents. Keeps whatever index it needs in `self`, so adding documents
/// updates the results without recomputing the corpus.
pub trait CorpusStage: Send {
    fn name(&self) -> &'static str;
    /// `added` are the indexes of documents new since the last call.
    fn update(&mut self, corpus: &mut Corpus, added: Range<usize>);
}
