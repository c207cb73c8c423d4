//! Core types of lagebild: the immutable [`Document`], its [`Annotations`], the [`Corpus`],
//! the stage traits that form the pipeline's seams, and the JSON output contract.

pub mod annotation;
pub mod corpus;
pub mod document;
pub mod eval;
pub mod evidence;
pub mod lang;
pub mod output;
pub mod stage;
pub mod text;

pub use annotation::*;
pub use corpus::*;
pub use document::{Document, Metadata, Origin};
pub use stage::{CorpusStage, DocumentStage};
pub use text::{CharIndex, Span};

/// A per-record input problem: where, and why. The batch goes on without this record.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{origin}: {reason}")]
pub struct InputError {
    pub origin: Origin,
    pub reason: String,
}

impl InputError {
    pub fn new(origin: Origin, reason: impl Into<String>) -> Self {
        InputError {
            origin,
            reason: reason.into(),
        }
    }
}
