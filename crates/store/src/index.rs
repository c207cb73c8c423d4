//! The full-text index (tantivy): German analysis with stop words, compound splitting from
//! our dictionary and Snowball stemming; the same analyzer for documents and queries.
//!
//! Only static per-document fields live here (text, title, source, date). Corpus results
//! that change as the corpus grows (entities, stories) stay in SQLite and reach a query as
//! a set of document sequence numbers, so the index never needs rewriting.

use anyhow::{Context, Result};
use jiff::civil::Date;
use std::ops::Bound;
use std::path::Path;
use tantivy::collector::TopDocs;
use tantivy::query::{
    AllQuery, BooleanQuery, EmptyQuery, Occur, Query, QueryParser, RangeQuery, TermQuery,
    TermSetQuery,
};
use tantivy::schema::{
    Field, IndexRecordOption, NumericOptions, Schema, TextFieldIndexing, TextOptions, Value,
    STORED, STRING,
};
use tantivy::snippet::{Snippet, SnippetGenerator};
use tantivy::tokenizer::{
    Language, LowerCaser, RemoveLongFilter, SimpleTokenizer, SplitCompoundWords, Stemmer,
    StopWordFilter, TextAnalyzer,
};
use tantivy::{Index, IndexReader, IndexWriter, ReloadPolicy, TantivyDocument, Term};

/// Name under which the analyzer is registered; stored in the schema.
const ANALYZER: &str = "lagebild_de";
/// The language whose data files (`store-compound-parts.txt`, `store-compound-linkers.txt`)
/// shape the analyzer. The index has one analyzer so that all articles are comparable.
const INDEX_LANGUAGE: &str = "de";
/// Memory budget of the index writer.
const WRITER_HEAP: usize = 50_000_000;
/// Longest snippet, in bytes of text.
const SNIPPET_CHARS: usize = 220;

/// A document as the index sees it.
pub struct IndexDoc<'a> {
    pub seq: u64,
    pub id: &'a str,
    pub title: &'a str,
    pub text: &'a str,
    pub source: Option<&'a str>,
    pub published: Option<Date>,
}

/// Filters already resolved to index terms.
#[derive(Default)]
pub struct Filter {
    /// Only these document sequence numbers (entity or story filters), when set.
    pub seqs: Option<Vec<u64>>,
    pub from: Option<Date>,
    pub to: Option<Date>,
    pub source: Option<String>,
}

/// Best hits as (score, sequence number), and the snippet generator of the text query.
pub struct Found {
    pub hits: Vec<(f32, u64)>,
    pub snippets: Option<SnippetGenerator>,
}

pub struct SearchIndex {
    index: Index,
    reader: IndexReader,
    seq: Field,
    id: Field,
    title: Field,
    body: Field,
    source: Field,
    day: Field,
}

impl SearchIndex {
    pub fn open(dir: &Path) -> Result<Self> {
        std::fs::create_dir_all(dir)?;
        let mut schema = Schema::builder();
        let text = TextOptions::default().set_indexing_options(
            TextFieldIndexing::default()
                .set_tokenizer(ANALYZER)
                .set_index_option(IndexRecordOption::WithFreqsAndPositions),
        );
        let seq = schema.add_u64_field(
            "seq",
            NumericOptions::default()
                .set_indexed()
                .set_stored()
                .set_fast(),
        );
        let id = schema.add_text_field("id", STRING | STORED);
        let title = schema.add_text_field("title", text.clone());
        let body = schema.add_text_field("body", text);
        let source = schema.add_text_field("source", STRING);
        let day = schema.add_i64_field("day", NumericOptions::default().set_indexed().set_fast());
        let directory = tantivy::directory::MmapDirectory::open(dir)
            .with_context(|| format!("opening index {}", dir.display()))?;
        let index = Index::open_or_create(directory, schema.build())
            .with_context(|| format!("opening index {}", dir.display()))?;
        index.tokenizers().register(ANALYZER, analyzer()?);
        let reader = index
            .reader_builder()
            .reload_policy(ReloadPolicy::OnCommitWithDelay)
            .try_into()?;
        Ok(SearchIndex {
            index,
            reader,
            seq,
            id,
            title,
            body,
            source,
            day,
        })
    }

    /// Takes the index's writer lock; fails when another process is writing.
    pub fn writer(&self) -> Result<IndexWriter> {
        self.index
            .writer_with_num_threads(1, WRITER_HEAP)
            .context("the search index is locked by another writer (is an ingest running?)")
    }

    /// Number of documents (sequence numbers `0..n`) the last commit covers.
    pub fn indexed(&self) -> Result<u64> {
        let metas = self.index.load_metas()?;
        Ok(metas.payload.and_then(|p| p.parse().ok()).unwrap_or(0))
    }

    /// Adds documents without committing. Stale copies of the same sequence numbers (from a
    /// commit that never happened) are deleted first, so re-adding is idempotent.
    pub fn add(&self, writer: &mut IndexWriter, doc: IndexDoc) -> Result<()> {
        writer.delete_term(Term::from_field_u64(self.seq, doc.seq));
        let mut d = TantivyDocument::default();
        d.add_u64(self.seq, doc.seq);
        d.add_text(self.id, doc.id);
        d.add_text(self.title, doc.title);
        d.add_text(self.body, doc.text);
        if let Some(s) = doc.source {
            d.add_text(self.source, s.to_lowercase());
        }
        if let Some(p) = doc.published {
            d.add_i64(self.day, day_number(p));
        }
        writer.add_document(d)?;
        Ok(())
    }

    /// Commits what was added, recording that sequence numbers `0..indexed` are in the index.
    pub fn commit(&self, writer: &mut IndexWriter, indexed: u64) -> Result<()> {
        let mut prepared = writer.prepare_commit()?;
        prepared.set_payload(&indexed.to_string());
        prepared.commit()?;
        self.reader.reload()?;
        Ok(())
    }

    /// BM25 search over title and text, narrowed by the filters.
    pub fn search(
        &self,
        text: &str,
        filter: &Filter,
        limit: usize,
        offset: usize,
    ) -> Result<Found> {
        let searcher = self.reader.searcher();
        let mut clauses: Vec<(Occur, Box<dyn Query>)> = Vec::new();
        let mut text_query = None;
        if !text.trim().is_empty() {
            let mut parser = QueryParser::for_index(&self.index, vec![self.title, self.body]);
            parser.set_conjunction_by_default();
            parser.set_field_boost(self.title, 2.0);
            let (q, _errors) = parser.parse_query_lenient(text);
            text_query = Some(q.box_clone());
            clauses.push((Occur::Must, q));
        }
        if let Some(seqs) = &filter.seqs {
            if seqs.is_empty() {
                clauses.push((Occur::Must, Box::new(EmptyQuery)));
            } else {
                let terms = seqs.iter().map(|&s| Term::from_field_u64(self.seq, s));
                clauses.push((Occur::Must, Box::new(TermSetQuery::new(terms))));
            }
        }
        if filter.from.is_some() || filter.to.is_some() {
            let bound = |d: Option<Date>| match d {
                Some(d) => Bound::Included(Term::from_field_i64(self.day, day_number(d))),
                None => Bound::Unbounded,
            };
            clauses.push((
                Occur::Must,
                Box::new(RangeQuery::new(bound(filter.from), bound(filter.to))),
            ));
        }
        if let Some(source) = &filter.source {
            clauses.push((
                Occur::Must,
                Box::new(TermQuery::new(
                    Term::from_field_text(self.source, &source.to_lowercase()),
                    IndexRecordOption::Basic,
                )),
            ));
        }
        let query: Box<dyn Query> = match clauses.len() {
            0 => Box::new(AllQuery),
            _ => Box::new(BooleanQuery::new(clauses)),
        };
        let top = searcher.search(
            &query,
            &TopDocs::with_limit(limit.max(1))
                .and_offset(offset)
                .order_by_score(),
        )?;
        let mut hits = Vec::with_capacity(top.len());
        for (score, addr) in top {
            let doc: TantivyDocument = searcher.doc(addr)?;
            if let Some(seq) = doc.get_first(self.seq).and_then(|v| v.as_u64()) {
                hits.push((score, seq));
            }
        }
        let snippets = match text_query {
            Some(q) => {
                let mut g = SnippetGenerator::create(&searcher, &*q, self.body)?;
                g.set_max_num_chars(SNIPPET_CHARS);
                Some(g)
            }
            None => None,
        };
        Ok(Found { hits, snippets })
    }

    /// Number of documents visible to searches.
    pub fn num_docs(&self) -> u64 {
        self.reader.searcher().num_docs()
    }

    /// Makes the latest commit (possibly by another process) visible now.
    pub fn reload(&self) -> Result<()> {
        self.reader.reload()?;
        Ok(())
    }

    /// Sequence numbers of all indexed documents, duplicates included; for consistency checks.
    pub fn seqs(&self) -> Result<Vec<u64>> {
        let searcher = self.reader.searcher();
        let n = searcher.num_docs() as usize;
        let top = searcher.search(&AllQuery, &TopDocs::with_limit(n.max(1)).order_by_score())?;
        let mut seqs = Vec::with_capacity(n);
        for (_, addr) in top {
            let doc: TantivyDocument = searcher.doc(addr)?;
            if let Some(seq) = doc.get_first(self.seq).and_then(|v| v.as_u64()) {
                seqs.push(seq);
            }
        }
        Ok(seqs)
    }
}

/// A snippet of `text` around the query terms (empty when none occurs).
pub fn snippet(generator: &SnippetGenerator, text: &str) -> Snippet {
    generator.snippet(text)
}

/// Days since 1970-01-01, the index's date representation.
fn day_number(d: Date) -> i64 {
    d.duration_since(Date::constant(1970, 1, 1)).as_secs() / 86_400
}

/// The German analyzer: words, lower case, stop words removed, compounds split into the
/// parts of our dictionary (so "Minister" finds "Verteidigungsminister"), Snowball stems.
pub fn analyzer() -> Result<TextAnalyzer> {
    let lang = lagebild_core::lang::get_or_default(INDEX_LANGUAGE);
    let linkers: Vec<&str> = std::iter::once("")
        .chain(lang.lines("store-compound-linkers.txt"))
        .collect();
    let mut parts: Vec<String> = Vec::new();
    for part in lang.lines("store-compound-parts.txt") {
        let part = part.to_lowercase();
        for l in &linkers {
            parts.push(format!("{part}{l}"));
        }
    }
    let stop_words =
        StopWordFilter::new(Language::German).context("tantivy built without German stop words")?;
    Ok(TextAnalyzer::builder(SimpleTokenizer::default())
        .filter(RemoveLongFilter::limit(40))
        .filter(LowerCaser)
        .filter(stop_words)
        .filter(SplitCompoundWords::from_dictionary(parts)?)
        .filter(Stemmer::new(Language::German))
        .build())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn tokens(text: &str) -> Vec<String> {
        let mut a = analyzer().unwrap();
        let mut stream = a.token_stream(text);
        let mut out = Vec::new();
        while let Some(t) = tantivy::tokenizer::TokenStream::next(&mut stream) {
            out.push(t.text.clone());
        }
        out
    }

    #[test]
    fn splits_compounds_and_stems() {
        let t = tokens("Der Verteidigungsminister und die Außenministerin");
        assert!(!t.contains(&"der".to_string()), "stop word kept: {t:?}");
        let minister = tokens("Minister")[0].clone();
        assert_eq!(t.iter().filter(|x| **x == minister).count(), 2, "{t:?}");
    }

    #[test]
    fn day_numbers() {
        assert_eq!(day_number(Date::constant(1970, 1, 2)), 1);
        assert!(day_number(Date::constant(2023, 9, 22)) > 19_000);
    }
}
