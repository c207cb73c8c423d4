//! Recognises person, organisation and location mentions and their roles.

use lagebild_core::eval::Task;
use lagebild_core::{Annotations, Document, DocumentStage};

/// Recognises person, organisation and location mentions and their roles.
#[derive(Debug, Default)]
pub struct EntityRecognizer;

impl EntityRecognizer {
    pub fn new() -> Self {
        EntityRecognizer
    }
}

impl DocumentStage for EntityRecognizer {
    fn name(&self) -> &'static str {
        "entities"
    }

    fn annotate(&self, _doc: &Document, _ann: &mut Annotations) {}
}

/// Evaluation and benchmark tasks of this crate.
pub fn tasks() -> Vec<Task> {
    Vec::new()
}

/// Merges mentions into entities within and across documents.
#[derive(Debug, Default)]
pub struct EntityResolver;

impl EntityResolver {
    pub fn new() -> Self {
        EntityResolver
    }
}

impl lagebild_core::CorpusStage for EntityResolver {
    fn name(&self) -> &'static str {
        "resolve"
    }

    fn update(&mut self, _corpus: &mut lagebild_core::Corpus, _added: std::ops::Range<usize>) {}
}
