//! Corpus stages over whole articles: near-duplicates, event clusters and story chains.

use lagebild_core::eval::Task;
use lagebild_core::{Corpus, CorpusStage};
use std::ops::Range;

/// Finds repeated and paraphrased passages within and across documents.
#[derive(Debug, Default)]
pub struct NearDuplicateDetector;

impl NearDuplicateDetector {
    pub fn new() -> Self {
        NearDuplicateDetector
    }
}

impl CorpusStage for NearDuplicateDetector {
    fn name(&self) -> &'static str {
        "near_duplicates"
    }

    fn update(&mut self, _corpus: &mut Corpus, _added: Range<usize>) {}
}

/// Groups articles into event clusters and chains clusters into stories, incrementally.
#[derive(Debug, Default)]
pub struct EventClusterer;

impl EventClusterer {
    pub fn new() -> Self {
        EventClusterer
    }
}

impl CorpusStage for EventClusterer {
    fn name(&self) -> &'static str {
        "clusters"
    }

    fn update(&mut self, _corpus: &mut Corpus, _added: Range<usize>) {}
}

/// Evaluation and benchmark tasks of this crate.
pub fn tasks() -> Vec<Task> {
    Vec::new()
}
