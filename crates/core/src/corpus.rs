//! The corpus: analysed documents plus the results of corpus stages.

use crate::annotation::{Annotations, EntityKind};
use crate::document::Document;
use crate::text::Span;
use jiff::civil::Date;
use serde::{Deserialize, Serialize};

/// One document with its annotations.
#[derive(Clone, Debug)]
pub struct AnalyzedDocument {
    pub doc: Document,
    pub ann: Annotations,
}

/// A span in one document of the corpus.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
pub struct DocSpan {
    /// Index into [`Corpus::docs`].
    pub doc: usize,
    pub span: Span,
}

/// A role of an entity as found in one document.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct EntityRole {
    pub at: DocSpan,
    pub text: String,
    /// Set when the role contradicts what the rest of the corpus says about this entity
    /// (e.g. a translation error giving a person someone else's office).
    pub flagged: bool,
}

/// A real-world entity: mentions merged within and across documents.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Entity {
    pub kind: EntityKind,
    /// Canonical name, the fullest and most frequent variant.
    pub name: String,
    pub aliases: Vec<String>,
    pub roles: Vec<EntityRole>,
    /// German Wikipedia title, only when resolved with confidence.
    pub wikipedia: Option<String>,
    /// (document index, mention index) pairs.
    pub mentions: Vec<(usize, usize)>,
    /// For metonyms ("Moskau erklärte"): index of the entity the mention stands for.
    pub refers_to: Option<usize>,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum StanceKind {
    Assert,
    Confirm,
    Deny,
    Doubt,
}

/// One holder's position on a claim, with the evidence.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Stance {
    /// Entity index of the holder, when resolved.
    pub holder: Option<usize>,
    pub holder_text: String,
    pub stance: StanceKind,
    pub at: DocSpan,
    pub text: String,
}

/// A proposition stated across sentences and articles, with who stands where.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Claim {
    pub statement: String,
    pub stances: Vec<Stance>,
}

/// Articles about the same event.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Cluster {
    /// Indexes into [`Corpus::docs`], in arrival order.
    pub documents: Vec<usize>,
    pub title: String,
    pub first: Option<Date>,
    pub last: Option<Date>,
}

/// Clusters chained by shared actors and topic over a longer time.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Story {
    /// Indexes into [`Corpus::clusters`].
    pub clusters: Vec<usize>,
    pub title: String,
}

/// Two passages (or whole documents) that repeat each other.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct NearDuplicate {
    pub a: DocSpan,
    pub b: DocSpan,
    pub similarity: f32,
}

/// What decided which member of a copy group is the original.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum ProvenanceBasis {
    /// The original is the only member with the earliest publication date.
    Date,
    /// No date told the members apart: the original is the member the others' content is best
    /// contained in.
    #[default]
    Containment,
    /// No date told the members apart and some are rewrites: the original is the member whose
    /// specifics (names, numbers, dates) best contain the others' — a rewrite keeps or drops
    /// facts and adds generic filler, so plain content containment would pick the wordier text.
    Specifics,
}

/// Provenance of a group of copies: the most likely original and the documents derived from it.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct CopyGroup {
    /// Index into [`Corpus::docs`] of the likely original (earliest date, containment).
    pub original: usize,
    /// Derived documents with the share of their text found in the original (0–1).
    pub derived: Vec<(usize, f32)>,
    /// Which criterion chose the original.
    #[serde(default)]
    pub basis: ProvenanceBasis,
}

/// Everything lagebild knows about a set of documents.
#[derive(Clone, Debug, Default)]
pub struct Corpus {
    pub docs: Vec<AnalyzedDocument>,
    pub entities: Vec<Entity>,
    pub claims: Vec<Claim>,
    pub clusters: Vec<Cluster>,
    pub stories: Vec<Story>,
    pub near_duplicates: Vec<NearDuplicate>,
    pub copies: Vec<CopyGroup>,
}

impl Corpus {
    /// Text under a span of one of the corpus documents.
    pub fn slice(&self, at: DocSpan) -> &str {
        self.docs[at.doc].doc.slice(at.span)
    }
}
