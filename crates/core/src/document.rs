//! The immutable document: text plus metadata.

use crate::text::{CharIndex, Span};
use jiff::civil::Date;
use serde::{Deserialize, Serialize};

/// Where a document came from, for error messages and provenance.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Origin {
    /// File path, URL or `-` for stdin.
    pub path: String,
    /// 1-based line (JSON Lines) or record number (feeds, WARC), when the file holds many documents.
    pub record: Option<u64>,
}

impl std::fmt::Display for Origin {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self.record {
            Some(r) => write!(f, "{}:{}", self.path, r),
            None => write!(f, "{}", self.path),
        }
    }
}

/// Metadata of a document, all optional but the id.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Metadata {
    pub id: String,
    pub source: Option<String>,
    pub url: Option<String>,
    pub title: Option<String>,
    /// Publication date when known; never invented.
    pub published: Option<Date>,
    /// ISO 639-1 code, set by the language stage of ingest.
    pub language: Option<String>,
}

/// A document: immutable text plus metadata. Stages never alter the text; they annotate it.
#[derive(Clone, Debug)]
pub struct Document {
    pub meta: Metadata,
    pub origin: Origin,
    text: String,
    index: CharIndex,
}

impl Document {
    pub fn new(meta: Metadata, origin: Origin, text: String) -> Self {
        let index = CharIndex::new(&text);
        Document {
            meta,
            origin,
            text,
            index,
        }
    }

    /// Shorthand for tests and tools: a document with only an id and text.
    pub fn from_text(id: &str, text: &str) -> Self {
        Document::new(
            Metadata {
                id: id.to_string(),
                ..Metadata::default()
            },
            Origin {
                path: id.to_string(),
                record: None,
            },
            text.to_string(),
        )
    }

    pub fn id(&self) -> &str {
        &self.meta.id
    }

    pub fn text(&self) -> &str {
        &self.text
    }

    pub fn index(&self) -> &CharIndex {
        &self.index
    }

    /// Language code of the document, `de` when unknown.
    pub fn language(&self) -> &str {
        self.meta.language.as_deref().unwrap_or("de")
    }

    /// The text under a char span.
    pub fn slice(&self, span: Span) -> &str {
        &self.text[self.index.bytes(span)]
    }

    /// Char span of a byte range of the text.
    pub fn span_of_bytes(&self, bytes: std::ops::Range<usize>) -> Span {
        self.index.span(bytes)
    }

    pub fn len_chars(&self) -> usize {
        self.index.len_chars()
    }
}
