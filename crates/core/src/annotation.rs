//! Annotations: typed char spans that document stages add over the immutable text.
//!
//! Every annotation that carries a `text` field must satisfy the evidence invariant:
//! `document.slice(span) == text` (see [`crate::evidence`]).

use crate::text::Span;
use serde::{Deserialize, Serialize};

/// A stretch of scraper debris or page furniture (ads, comment counters, credits…).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Boilerplate {
    pub span: Span,
    /// What kind of debris, e.g. `ad`, `comments`, `credit`, `caption`, `source`, `prompt`.
    pub kind: String,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum SectionKind {
    Report,
    Opinion,
    Background,
    Caption,
}

/// A section of the article; later stages treat opinion and background apart from the report.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Section {
    pub span: Span,
    pub kind: SectionKind,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum EntityKind {
    Person,
    Organization,
    Location,
    /// Named things that are none of the above (events, works, nationalities as in GermEval's OTH).
    Other,
}

/// A name in the text that refers to an entity.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Mention {
    pub span: Span,
    pub text: String,
    pub kind: EntityKind,
    /// Index into the corpus entity list, set by the entity-resolution corpus stage.
    pub entity: Option<usize>,
}

/// A role or title attached to a person mention ("der südkoreanische Präsident", "Kreml-Sprecher").
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Role {
    pub span: Span,
    pub text: String,
    /// Index into [`Annotations::mentions`] of the person who holds the role.
    pub mention: usize,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum TimexType {
    Date,
    Time,
    Duration,
    Set,
}

/// What a temporal value was resolved against.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Anchoring {
    /// The expression is absolute ("22. September 2023") or needs no anchor.
    #[default]
    Absolute,
    /// Resolved against the document's publication date.
    Published,
    /// Resolved against an earlier date mentioned in the text.
    Narrative,
    /// Nothing to resolve against; the value is underspecified (`XXXX-09-22`).
    Unanchored,
}

/// A temporal expression with its TIMEX3 value.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Timex {
    pub span: Span,
    pub text: String,
    pub kind: TimexType,
    /// TIMEX3 value, e.g. `2023-09-22`, `XXXX-09-22`, `P3Y`, `PRESENT_REF`.
    pub value: String,
    /// TIMEX3 modifier: START, MID, END, APPROX, BEFORE, AFTER…
    pub modifier: Option<String>,
    pub anchoring: Anchoring,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum QuoteKind {
    Direct,
    Indirect,
}

/// A piece of text with its char span and the text under it.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Evidence {
    pub span: Span,
    pub text: String,
}

/// Speech attributed to someone: direct, indirect or reported.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Quote {
    pub span: Span,
    pub text: String,
    pub kind: QuoteKind,
    /// The words naming the speaker in this document ("er", "der Minister", "Putin").
    pub speaker: Option<Evidence>,
    /// Index into [`Annotations::mentions`] of the resolved speaker.
    pub speaker_mention: Option<usize>,
    /// The speech verb or marker ("sagte", "laut", "zufolge").
    pub cue: Option<Evidence>,
    pub addressee: Option<Evidence>,
}

/// Where an event's date came from.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum DateSource {
    /// A temporal expression governing the event's clause or sentence.
    Timex,
    /// No expression: the document's publication date stands in.
    Published,
    #[default]
    Unknown,
}

/// Something that happened: a typed event with its actors and date.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Event {
    pub span: Span,
    pub text: String,
    /// Event type from the language's event lexicon (`meet`, `phone_call`, `deny`, …).
    pub kind: String,
    /// The word that signals the event.
    pub trigger: Evidence,
    /// Indexes into [`Annotations::mentions`].
    pub actors: Vec<usize>,
    pub participants: Vec<usize>,
    /// TIMEX3 date value, possibly underspecified.
    pub date: Option<String>,
    pub date_source: DateSource,
    /// False when the event sits in an opinion or background section: commentary, not fact.
    pub factual: bool,
}

/// All annotations of one document, filled stage by stage.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct Annotations {
    pub boilerplate: Vec<Boilerplate>,
    pub sections: Vec<Section>,
    pub tokens: Vec<Span>,
    pub sentences: Vec<Span>,
    pub mentions: Vec<Mention>,
    pub roles: Vec<Role>,
    pub timexes: Vec<Timex>,
    pub quotes: Vec<Quote>,
    pub events: Vec<Event>,
}

impl Annotations {
    /// True when the span lies (partly) in text marked as boilerplate.
    pub fn is_boilerplate(&self, span: Span) -> bool {
        self.boilerplate.iter().any(|b| b.span.overlaps(span))
    }

    /// The section kind at a char offset; `Report` where no section says otherwise.
    pub fn section_at(&self, offset: usize) -> SectionKind {
        self.sections
            .iter()
            .find(|s| s.span.start <= offset && offset < s.span.end)
            .map(|s| s.kind)
            .unwrap_or(SectionKind::Report)
    }

    /// Indexes of the tokens inside a span.
    pub fn tokens_in(&self, span: Span) -> std::ops::Range<usize> {
        let first = self.tokens.partition_point(|t| t.end <= span.start);
        let last = self.tokens.partition_point(|t| t.start < span.end);
        first..last.max(first)
    }
}
