//! Who said what: quotations with speakers, typed events, and a claim ledger across sources.

mod claims;
mod eval;
mod events;
mod lexicon;
mod quotes;
mod text;

pub use claims::ClaimLedger;
pub use events::EventExtractor;
pub use quotes::QuoteExtractor;

use lagebild_core::eval::Task;

/// Evaluation and benchmark tasks of this crate.
pub fn tasks() -> Vec<Task> {
    eval::tasks()
}
