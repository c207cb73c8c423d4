//! Sources and extractors: turn files, directories, stdin and URLs into documents.
//!
//! [`read`] streams [`Ingested`] items: documents, warnings (a document was produced but the
//! input was imperfect, e.g. not UTF-8) and per-record errors (file, line or record, reason).
//! A bad record never stops the batch. Supported: `.txt`, `.jsonl`/`.ndjson`, `.html`/`.htm`,
//! RSS/Atom/JSON feeds (`.rss`, `.atom`, `.xml`, `.json`), `.warc`/`.warc.gz`, `-` (stdin,
//! sniffed), and `http(s)://` URLs the user named (a feed or a page).

pub mod dates;
pub mod decode;
pub mod eval;
pub mod extract;
mod feed;
mod fetch;
mod jsonl;
pub mod language;
mod sidecar;
mod source;
pub mod warc;

pub use dates::parse_date;
pub use eval::tasks;
pub use extract::{extract, Extracted};

use lagebild_core::{Document, InputError, Metadata, Origin};
use std::path::PathBuf;
use std::sync::Arc;

/// Options of [`read`].
#[derive(Clone, Debug)]
pub struct IngestOptions {
    /// Sidecar (JSONL or CSV) mapping `id` to `published`, `source`, `url`, `title` for
    /// documents that carry no metadata of their own (plain text files).
    pub meta: Option<PathBuf>,
    /// Largest accepted record (a file, a JSON line, a WARC record, a download), in bytes.
    pub max_record_bytes: usize,
    /// Fetch the article page behind each item of a feed URL (off: only what the user named).
    pub fetch_articles: bool,
    /// Timeout of one HTTP request.
    pub timeout: std::time::Duration,
}

impl Default for IngestOptions {
    fn default() -> Self {
        IngestOptions {
            meta: None,
            max_record_bytes: 64 << 20,
            fetch_articles: false,
            timeout: std::time::Duration::from_secs(20),
        }
    }
}

/// One item of the input stream.
#[derive(Debug)]
pub enum Ingested {
    Document(Document),
    /// The input had a problem that did not prevent a document (e.g. replaced bad bytes).
    Warning(InputError),
    /// The record could not be read; the stream goes on with the next one.
    Error(InputError),
}

/// Streams documents from paths (files, directories recursively in sorted order), `-`
/// (stdin), and URLs (only what the user named explicitly). Never loads a whole archive into
/// memory: WARC and JSON Lines are read record by record.
pub fn read(inputs: &[String], opts: &IngestOptions) -> impl Iterator<Item = Ingested> + Send {
    let (sidecar, sidecar_error) = match &opts.meta {
        Some(path) => match sidecar::Sidecar::load(path) {
            Ok(s) => (s, None),
            Err(e) => (sidecar::Sidecar::default(), Some(e)),
        },
        None => (sidecar::Sidecar::default(), None),
    };
    let ctx = Arc::new(Context {
        opts: opts.clone(),
        sidecar,
    });
    let inputs = inputs.to_vec();
    sidecar_error.map(Ingested::Error).into_iter().chain(
        inputs
            .into_iter()
            .flat_map(move |input| source::open(input, ctx.clone())),
    )
}

/// Streams documents from an already open reader (a socket, an archive member, fuzz input).
/// `name` decides the kind by its extension like a file name does; without a known extension
/// the kind is sniffed from the first bytes.
pub fn read_reader(
    name: &str,
    reader: Box<dyn std::io::BufRead + Send>,
    opts: &IngestOptions,
) -> impl Iterator<Item = Ingested> + Send {
    let ctx = Arc::new(Context {
        opts: opts.clone(),
        sidecar: sidecar::Sidecar::default(),
    });
    source::reader(name, reader, ctx)
}

/// What every reader needs: the options and the sidecar metadata.
pub(crate) struct Context {
    pub opts: IngestOptions,
    pub sidecar: sidecar::Sidecar,
}

impl Context {
    /// Builds a document: fills metadata gaps from the sidecar, detects the language, and
    /// rejects empty text.
    pub fn document(
        &self,
        mut meta: Metadata,
        origin: Origin,
        text: String,
        lang_hint: Option<&str>,
    ) -> Ingested {
        if text.trim().is_empty() {
            return Ingested::Error(InputError::new(origin, "no text"));
        }
        self.sidecar.fill(&mut meta);
        if meta.language.is_none() {
            meta.language = language::detect(&text, lang_hint);
        }
        Ingested::Document(Document::new(meta, origin, text))
    }

    /// A document from an HTML page: main content plus the page's own metadata, under `meta`
    /// (which wins where set).
    pub fn html_document(
        &self,
        mut meta: Metadata,
        origin: Origin,
        html: &str,
        page_url: Option<&str>,
    ) -> Ingested {
        let e = extract::extract(html, page_url.or(meta.url.as_deref()));
        if e.text.trim().is_empty() {
            return Ingested::Error(InputError::new(origin, "no main content found in HTML"));
        }
        meta.title = meta.title.or(e.title);
        meta.url = meta.url.or(e.url).or_else(|| page_url.map(str::to_string));
        meta.published = meta.published.or(e.published);
        meta.source = meta.source.or(e.site_name);
        self.document(meta, origin, e.text, e.lang.as_deref())
    }
}

#[cfg(test)]
mod tests;
