//! Finds direct and indirect quotations with their speakers.

use lagebild_core::eval::Task;
use lagebild_core::{Annotations, Document, DocumentStage};

/// Finds direct and indirect quotations with their speakers.
#[derive(Debug, Default)]
pub struct QuoteExtractor;

impl QuoteExtractor {
    pub fn new() -> Self {
        QuoteExtractor
    }
}

impl DocumentStage for QuoteExtractor {
    fn name(&self) -> &'static str {
        "quotes"
    }

    fn annotate(&self, _doc: &Document, _ann: &mut Annotations) {}
}

/// Evaluation and benchmark tasks of this crate.
pub fn tasks() -> Vec<Task> {
    Vec::new()
}

/// Finds typed events with actors and dates.
#[derive(Debug, Default)]
pub struct EventExtractor;

impl EventExtractor {
    pub fn new() -> Self {
        EventExtractor
    }
}

impl DocumentStage for EventExtractor {
    fn name(&self) -> &'static str {
        "events"
    }

    fn annotate(&self, _doc: &Document, _ann: &mut Annotations) {}
}

/// Groups statements of the same proposition and records each holder's stance.
#[derive(Debug, Default)]
pub struct ClaimLedger;

impl ClaimLedger {
    pub fn new() -> Self {
        ClaimLedger
    }
}

impl lagebild_core::CorpusStage for ClaimLedger {
    fn name(&self) -> &'static str {
        "claims"
    }

    fn update(&mut self, _corpus: &mut lagebild_core::Corpus, _added: std::ops::Range<usize>) {}
}
