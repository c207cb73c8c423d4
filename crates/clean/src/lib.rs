//! Marks boilerplate and sections.

use lagebild_core::eval::Task;
use lagebild_core::{Annotations, Document, DocumentStage};

/// Marks boilerplate and sections.
#[derive(Debug, Default)]
pub struct Cleaner;

impl Cleaner {
    pub fn new() -> Self {
        Cleaner
    }
}

impl DocumentStage for Cleaner {
    fn name(&self) -> &'static str {
        "clean"
    }

    fn annotate(&self, _doc: &Document, _ann: &mut Annotations) {}
}

/// Evaluation and benchmark tasks of this crate.
pub fn tasks() -> Vec<Task> {
    Vec::new()
}
