//! Finds temporal expressions and gives them TIMEX3 values.

mod event;

pub use event::event_date;

use lagebild_core::eval::Task;
use lagebild_core::{Annotations, Document, DocumentStage};

/// Finds temporal expressions and gives them TIMEX3 values.
#[derive(Debug, Default)]
pub struct TemporalTagger;

impl TemporalTagger {
    pub fn new() -> Self {
        TemporalTagger
    }
}

impl DocumentStage for TemporalTagger {
    fn name(&self) -> &'static str {
        "time"
    }

    fn annotate(&self, _doc: &Document, _ann: &mut Annotations) {}
}

/// Evaluation and benchmark tasks of this crate.
pub fn tasks() -> Vec<Task> {
    Vec::new()
}
