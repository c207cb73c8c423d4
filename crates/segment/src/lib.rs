//! Splits text into tokens and sentences.

use lagebild_core::eval::Task;
use lagebild_core::{Annotations, Document, DocumentStage};

/// Splits text into tokens and sentences.
#[derive(Debug, Default)]
pub struct Segmenter;

impl Segmenter {
    pub fn new() -> Self {
        Segmenter
    }
}

impl DocumentStage for Segmenter {
    fn name(&self) -> &'static str {
        "segment"
    }

    fn annotate(&self, _doc: &Document, _ann: &mut Annotations) {}
}

/// Evaluation and benchmark tasks of this crate.
pub fn tasks() -> Vec<Task> {
    Vec::new()
}
