//! Persistent lagebild: an embedded store of articles, their annotations and the corpus
//! results (SQLite), with full-text search (tantivy).
//!
//! Write path ([`Store::ingest`]): new articles (by content hash) run through the document
//! stages once, are committed to SQLite in batches (one transaction each, WAL), then to the
//! search index (committed after SQLite, with the covered count as commit payload; a gap is
//! reconciled on open). Corpus stages keep their index in memory: the first ingest of a
//! process feeds the stored, already annotated articles to fresh corpus stages, later
//! ingests in the same process are incremental. At the end of every run the corpus results
//! and the read views derived from them are replaced in one transaction.

mod analyzer;
mod codec;
#[cfg(feature = "fixture")]
pub mod fixture;
mod index;
mod views;

pub use analyzer::Analyzer;
pub use lagebild_core::text::escape_html as html_escape;
pub use views::*;

use anyhow::{bail, Context, Result};
use index::{Filter, IndexDoc, SearchIndex};
use lagebild_core::{AnalyzedDocument, Annotations, Corpus, Document, Metadata, Origin};
use rusqlite::{params, Connection, OptionalExtension};
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};
use std::collections::HashSet;
use std::path::{Path, PathBuf};
use std::sync::Mutex;

/// Articles per transaction: small enough that a crash loses little work, large enough to
/// amortise commits and keep the document stages busy in parallel.
const BATCH: usize = 64;
/// Read connections kept open for concurrent readers.
const READ_POOL: usize = 8;
const SCHEMA_VERSION: &str = "1";

const SCHEMA: &str = "
CREATE TABLE IF NOT EXISTS meta(key TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS documents(
    seq INTEGER PRIMARY KEY,
    id TEXT NOT NULL UNIQUE,
    hash TEXT NOT NULL UNIQUE,
    source TEXT, url TEXT, title TEXT, published TEXT, language TEXT,
    origin TEXT NOT NULL,
    text TEXT NOT NULL,
    ann TEXT NOT NULL,
    spans BLOB NOT NULL);
CREATE TABLE IF NOT EXISTS stories(
    id TEXT PRIMARY KEY, ord INTEGER NOT NULL, summary TEXT NOT NULL, json TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS entities(
    id TEXT PRIMARY KEY, ord INTEGER NOT NULL, name TEXT NOT NULL COLLATE NOCASE,
    mentions INTEGER NOT NULL, summary TEXT NOT NULL, json TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS entity_names(
    name TEXT NOT NULL COLLATE NOCASE, entity TEXT NOT NULL, PRIMARY KEY(name, entity)) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS doc_entities(
    entity TEXT NOT NULL, seq INTEGER NOT NULL, PRIMARY KEY(entity, seq)) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS doc_stories(
    story TEXT NOT NULL, seq INTEGER NOT NULL, PRIMARY KEY(story, seq)) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS doc_links(seq INTEGER PRIMARY KEY, json TEXT NOT NULL);
";

/// What an ingest run did.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct IngestSummary {
    /// Articles stored and analysed in this run.
    pub added: usize,
    /// Articles skipped because the same text is already stored.
    pub duplicates: usize,
    /// Articles skipped because their id is taken by a different text, one message each.
    pub conflicts: Vec<String>,
    /// Articles in the store after the run.
    pub documents: usize,
    /// Articles the search index holds after the run; equals `documents` in a sound store.
    pub indexed: usize,
    pub stories: usize,
    pub entities: usize,
}

/// One line for the command line; tests of the binary parse it, so keep the wording.
impl std::fmt::Display for IngestSummary {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            f,
            "ingested: added {}, duplicates {}, conflicts {}; store: {} articles, {} indexed, {} stories, {} entities",
            self.added,
            self.duplicates,
            self.conflicts.len(),
            self.documents,
            self.indexed,
            self.stories,
            self.entities
        )
    }
}

/// A full-text query with filters. Empty `text` lists the filtered articles.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct Query {
    pub text: String,
    /// Entity id (`e12`) or a name or alias of an entity, case-insensitive.
    pub entity: Option<String>,
    pub from: Option<jiff::civil::Date>,
    pub to: Option<jiff::civil::Date>,
    /// Source name, case-insensitive exact match.
    pub source: Option<String>,
    /// Story id (`s1`).
    pub story: Option<String>,
    /// Maximum hits (default 20 when 0).
    pub limit: usize,
    pub offset: usize,
}

/// One search result with a highlighted snippet.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Hit {
    pub doc: DocRef,
    pub score: f32,
    /// The snippet as plain text.
    pub snippet: String,
    /// Byte ranges of `snippet` matching the query.
    pub highlights: Vec<(usize, usize)>,
    /// The snippet as HTML: text escaped, matches in `<b>`.
    pub snippet_html: String,
    pub stories: Vec<StoryRef>,
}

/// Per-process analysis state: the analyzer's corpus stages and the corpus they have seen.
struct Live {
    analyzer: Box<dyn Analyzer>,
    corpus: Corpus,
}

struct Writer {
    conn: Connection,
    live: Option<Live>,
    make: fn() -> Box<dyn Analyzer>,
}

/// An open store. Reads run concurrently (a pool of read connections); writes are serialised.
pub struct Store {
    dir: PathBuf,
    index: SearchIndex,
    readers: Mutex<Vec<Connection>>,
    writer: Mutex<Writer>,
}

/// The standard lagebild analysis, as `Store::open_with` wants it.
pub fn standard_analyzer() -> Box<dyn Analyzer> {
    Box::new(lagebild_pipeline::Pipeline::standard())
}

/// Content hash of an article: its text, so the same article under another id or file
/// name is recognised.
pub fn content_hash(text: &str) -> String {
    let digest = Sha256::digest(text.as_bytes());
    digest.iter().map(|b| format!("{b:02x}")).collect()
}

fn connect(path: &Path) -> Result<Connection> {
    let conn = Connection::open(path).with_context(|| format!("opening {}", path.display()))?;
    conn.busy_timeout(std::time::Duration::from_secs(10))?;
    conn.pragma_update(None, "journal_mode", "WAL")?;
    conn.pragma_update(None, "synchronous", "NORMAL")?;
    Ok(conn)
}

fn lock<T>(m: &Mutex<T>) -> std::sync::MutexGuard<'_, T> {
    m.lock().unwrap_or_else(|e| e.into_inner())
}

impl Store {
    /// Opens (or creates) a store in `dir` with the standard analysis.
    pub fn open(dir: &Path) -> Result<Store> {
        Store::open_with(dir, standard_analyzer)
    }

    /// Opens a store whose ingests use the analyzer `make` builds (fresh per process).
    pub fn open_with(dir: &Path, make: fn() -> Box<dyn Analyzer>) -> Result<Store> {
        std::fs::create_dir_all(dir)
            .with_context(|| format!("creating store directory {}", dir.display()))?;
        let db = dir.join("lagebild.sqlite");
        let conn = connect(&db)?;
        conn.execute_batch(SCHEMA)
            .context("creating the store schema")?;
        let version: Option<String> = conn
            .query_row("SELECT value FROM meta WHERE key='schema'", [], |r| {
                r.get(0)
            })
            .optional()?;
        match version.as_deref() {
            None => {
                conn.execute(
                    "INSERT INTO meta(key, value) VALUES('schema', ?1)",
                    [SCHEMA_VERSION],
                )?;
            }
            Some(SCHEMA_VERSION) => {}
            Some(v) => bail!(
                "{} has store schema {v}, this lagebild reads {SCHEMA_VERSION}",
                db.display()
            ),
        }
        let index = SearchIndex::open(&dir.join("index"))?;
        let store = Store {
            dir: dir.to_path_buf(),
            index,
            readers: Mutex::new(Vec::new()),
            writer: Mutex::new(Writer {
                conn,
                live: None,
                make,
            }),
        };
        // Reconcile now when nobody else is writing; otherwise the writer will.
        if store.unindexed()? > 0 {
            if let Ok(mut w) = store.index.writer() {
                let guard = lock(&store.writer);
                store.reconcile(&guard.conn, &mut w)?;
            }
        }
        Ok(store)
    }

    pub fn dir(&self) -> &Path {
        &self.dir
    }

    fn read<T>(&self, f: impl FnOnce(&Connection) -> Result<T>) -> Result<T> {
        let conn = match lock(&self.readers).pop() {
            Some(c) => c,
            None => connect(&self.dir.join("lagebild.sqlite"))?,
        };
        let out = f(&conn);
        let mut pool = lock(&self.readers);
        if pool.len() < READ_POOL {
            pool.push(conn);
        }
        out
    }

    /// Number of stored articles.
    pub fn len(&self) -> Result<usize> {
        self.read(|c| {
            Ok(c.query_row("SELECT count(*) FROM documents", [], |r| r.get::<_, i64>(0))? as usize)
        })
    }

    pub fn is_empty(&self) -> Result<bool> {
        Ok(self.len()? == 0)
    }

    /// Stored articles the search index does not cover yet (after a crash between commits).
    fn unindexed(&self) -> Result<u64> {
        Ok((self.len()? as u64).saturating_sub(self.index.indexed()?))
    }

    /// True when articles were stored after the corpus results were last computed (an ingest
    /// was interrupted); [`Store::refresh`] brings the results up to date.
    pub fn is_stale(&self) -> Result<bool> {
        let covered: usize = self.read(|c| {
            Ok(
                c.query_row("SELECT value FROM meta WHERE key='corpus_docs'", [], |r| {
                    r.get::<_, String>(0)
                })
                .optional()?
                .and_then(|v| v.parse().ok())
                .unwrap_or(0),
            )
        })?;
        Ok(covered != self.len()?)
    }

    /// Adds to the search index what SQLite has and the index lacks.
    fn reconcile(&self, conn: &Connection, writer: &mut tantivy::IndexWriter) -> Result<()> {
        let from = self.index.indexed()?;
        let total: i64 = conn.query_row("SELECT count(*) FROM documents", [], |r| r.get(0))?;
        if from >= total as u64 {
            return Ok(());
        }
        let mut stmt = conn.prepare(
            "SELECT seq, id, title, text, source, published FROM documents WHERE seq >= ?1 ORDER BY seq",
        )?;
        let mut rows = stmt.query([from as i64])?;
        while let Some(r) = rows.next()? {
            let published: Option<String> = r.get(5)?;
            self.index.add(
                writer,
                IndexDoc {
                    seq: r.get::<_, i64>(0)? as u64,
                    id: &r.get::<_, String>(1)?,
                    title: &r.get::<_, Option<String>>(2)?.unwrap_or_default(),
                    text: &r.get::<_, String>(3)?,
                    source: r.get::<_, Option<String>>(4)?.as_deref(),
                    published: published.and_then(|p| p.parse().ok()),
                },
            )?;
        }
        self.index.commit(writer, total as u64)
    }

    /// Adds articles: skips those already stored (same text), analyses the rest once, stores
    /// them batch by batch, and updates the corpus results.
    pub fn ingest(&self, docs: impl IntoIterator<Item = Document>) -> Result<IngestSummary> {
        let mut guard = lock(&self.writer);
        let w = &mut *guard;
        let mut iw = self.index.writer()?;
        self.reconcile(&w.conn, &mut iw)?;
        let stored = w
            .conn
            .query_row("SELECT count(*) FROM documents", [], |r| r.get::<_, i64>(0))?
            as usize;
        if w.live
            .as_ref()
            .is_none_or(|l| l.corpus.docs.len() != stored)
        {
            w.live = None;
            let loaded = load_all(&w.conn)?;
            let mut analyzer = (w.make)();
            let mut corpus = Corpus::default();
            analyzer.extend(&mut corpus, loaded);
            w.live = Some(Live { analyzer, corpus });
        }
        let live = w.live.as_mut().expect("live corpus loaded above");
        let mut summary = IngestSummary::default();
        let mut seen: HashSet<String> = HashSet::new();
        let mut iter = docs.into_iter().peekable();
        while iter.peek().is_some() {
            let mut batch = Vec::with_capacity(BATCH);
            for doc in iter.by_ref() {
                let hash = content_hash(doc.text());
                if !seen.insert(hash.clone()) || hash_stored(&w.conn, &hash)? {
                    summary.duplicates += 1;
                    continue;
                }
                if id_stored(&w.conn, doc.id())?
                    || batch
                        .iter()
                        .any(|(d, _): &(Document, String)| d.id() == doc.id())
                {
                    summary.conflicts.push(format!(
                        "{}: id {:?} is already stored with a different text; skipped",
                        doc.origin,
                        doc.id()
                    ));
                    continue;
                }
                batch.push((doc, hash));
                if batch.len() == BATCH {
                    break;
                }
            }
            if batch.is_empty() {
                continue;
            }
            let (docs, hashes): (Vec<Document>, Vec<String>) = batch.into_iter().unzip();
            let analyzed = live.analyzer.annotate(docs);
            let base = live.corpus.docs.len();
            let tx = w.conn.transaction()?;
            for (i, (a, hash)) in analyzed.iter().zip(&hashes).enumerate() {
                insert_doc(&tx, base + i, a, hash)?;
            }
            tx.commit().context("committing a batch of articles")?;
            for (i, a) in analyzed.iter().enumerate() {
                self.index.add(&mut iw, index_doc(base + i, &a.doc))?;
            }
            self.index.commit(&mut iw, (base + analyzed.len()) as u64)?;
            summary.added += analyzed.len();
            live.analyzer.extend(&mut live.corpus, analyzed);
        }
        let covered: Option<usize> = w
            .conn
            .query_row("SELECT value FROM meta WHERE key='corpus_docs'", [], |r| {
                r.get::<_, String>(0)
            })
            .optional()?
            .and_then(|v| v.parse().ok());
        if summary.added > 0 || covered != Some(live.corpus.docs.len()) {
            write_derived(&mut w.conn, &live.corpus)?;
        }
        summary.documents = live.corpus.docs.len();
        self.index.reload()?;
        summary.indexed = self.index.num_docs() as usize;
        summary.stories = live.corpus.stories.len();
        summary.entities = w
            .conn
            .query_row("SELECT count(*) FROM entities", [], |r| r.get::<_, i64>(0))?
            as usize;
        drop(iw);
        Ok(summary)
    }

    /// Recomputes the corpus results when they lag behind the stored articles.
    pub fn refresh(&self) -> Result<IngestSummary> {
        self.ingest(std::iter::empty())
    }

    /// All stories, in corpus order.
    pub fn stories(&self) -> Result<Vec<StorySummary>> {
        self.read(|c| {
            let mut stmt = c.prepare_cached("SELECT summary FROM stories ORDER BY ord")?;
            let rows = stmt.query_map([], |r| r.get::<_, String>(0))?;
            rows.map(|r| Ok(serde_json::from_str(&r?)?)).collect()
        })
    }

    /// One story with timeline, actors, quotes, claims, sources and copies.
    pub fn story(&self, id: &str) -> Result<Option<StoryView>> {
        self.json_row("SELECT json FROM stories WHERE id=?1", id)
    }

    /// The stored JSON of a story, as served by the API without a decode/encode round trip.
    pub fn story_json(&self, id: &str) -> Result<Option<String>> {
        self.read(|c| {
            Ok(c.prepare_cached("SELECT json FROM stories WHERE id=?1")?
                .query_row([id], |r| r.get(0))
                .optional()?)
        })
    }

    /// Entities whose name starts with `prefix` (all when empty), most mentioned first.
    pub fn entities(&self, prefix: &str, limit: usize) -> Result<Vec<EntitySummary>> {
        let pattern = format!("{}%", prefix.replace(['%', '_'], ""));
        self.read(|c| {
            let mut stmt = c.prepare_cached(
                "SELECT summary FROM entities WHERE name LIKE ?1 ORDER BY mentions DESC, ord LIMIT ?2",
            )?;
            let rows = stmt.query_map(params![pattern, limit as i64], |r| r.get::<_, String>(0))?;
            rows.map(|r| Ok(serde_json::from_str(&r?)?)).collect()
        })
    }

    /// One entity with roles, quotes, co-occurring actors, articles and stories.
    pub fn entity(&self, id: &str) -> Result<Option<EntityView>> {
        self.json_row("SELECT json FROM entities WHERE id=?1", id)
    }

    fn json_row<T: serde::de::DeserializeOwned>(&self, sql: &str, id: &str) -> Result<Option<T>> {
        self.read(|c| {
            let json: Option<String> = c
                .prepare_cached(sql)?
                .query_row([id], |r| r.get(0))
                .optional()?;
            json.map(|j| serde_json::from_str(&j).context("stored view"))
                .transpose()
        })
    }

    /// A stored article with its annotations (as the document stages left them).
    pub fn analyzed(&self, id: &str) -> Result<Option<AnalyzedDocument>> {
        self.read(|c| {
            let seq: Option<i64> = c
                .prepare_cached("SELECT seq FROM documents WHERE id=?1")?
                .query_row([id], |r| r.get(0))
                .optional()?;
            match seq {
                Some(seq) => Ok(load_range(c, seq, seq + 1)?.pop()),
                None => Ok(None),
            }
        })
    }

    /// An article with every annotation and its links into the corpus.
    pub fn document(&self, id: &str) -> Result<Option<DocumentView>> {
        let Some(a) = self.analyzed(id)? else {
            return Ok(None);
        };
        let links: DocLinks = self.read(|c| {
            let json: Option<String> = c
                .prepare_cached("SELECT l.json FROM doc_links l JOIN documents d ON d.seq = l.seq WHERE d.id=?1")?
                .query_row([id], |r| r.get(0))
                .optional()?;
            Ok(json.and_then(|j| serde_json::from_str(&j).ok()).unwrap_or_default())
        })?;
        Ok(Some(document_view(&a, links)))
    }

    /// Ids of all stored articles in arrival order.
    pub fn document_ids(&self) -> Result<Vec<String>> {
        self.read(|c| {
            let mut stmt = c.prepare_cached("SELECT id FROM documents ORDER BY seq")?;
            let rows = stmt.query_map([], |r| r.get::<_, String>(0))?;
            Ok(rows.collect::<rusqlite::Result<_>>()?)
        })
    }

    /// Recent articles, newest arrivals first.
    pub fn recent(&self, limit: usize) -> Result<Vec<DocRef>> {
        self.read(|c| {
            let mut stmt = c.prepare_cached(
                "SELECT id, title, source, url, published FROM documents ORDER BY seq DESC LIMIT ?1",
            )?;
            let rows = stmt.query_map([limit as i64], doc_ref_row)?;
            Ok(rows.collect::<rusqlite::Result<_>>()?)
        })
    }

    /// BM25 search with filters and highlighted snippets.
    pub fn search(&self, q: &Query) -> Result<Vec<Hit>> {
        let mut seqs: Option<HashSet<u64>> = None;
        let mut narrow = |set: HashSet<u64>| {
            seqs = Some(match seqs.take() {
                Some(s) => s.intersection(&set).copied().collect(),
                None => set,
            })
        };
        if let Some(e) = q.entity.as_deref().filter(|e| !e.trim().is_empty()) {
            narrow(self.read(|c| {
                let mut stmt = c.prepare_cached(
                    "SELECT DISTINCT d.seq FROM doc_entities d
                     WHERE d.entity = ?1 OR d.entity IN (SELECT entity FROM entity_names WHERE name = ?1)",
                )?;
                let rows = stmt.query_map([e.trim()], |r| r.get::<_, i64>(0))?;
                Ok(rows.map(|r| r.map(|v| v as u64)).collect::<rusqlite::Result<_>>()?)
            })?);
        }
        if let Some(s) = q.story.as_deref().filter(|s| !s.trim().is_empty()) {
            narrow(self.read(|c| {
                let mut stmt = c.prepare_cached("SELECT seq FROM doc_stories WHERE story = ?1")?;
                let rows = stmt.query_map([s.trim()], |r| r.get::<_, i64>(0))?;
                Ok(rows
                    .map(|r| r.map(|v| v as u64))
                    .collect::<rusqlite::Result<_>>()?)
            })?);
        }
        let filter = Filter {
            seqs: seqs.map(|s| s.into_iter().collect()),
            from: q.from,
            to: q.to,
            source: q.source.clone().filter(|s| !s.trim().is_empty()),
        };
        let limit = if q.limit == 0 { 20 } else { q.limit.min(1000) };
        let index::Found {
            hits: found,
            snippets,
        } = self.index.search(&q.text, &filter, limit, q.offset)?;
        self.read(|c| {
            let mut doc_stmt = c.prepare_cached(
                "SELECT id, title, source, url, published, text FROM documents WHERE seq = ?1",
            )?;
            let mut links_stmt = c.prepare_cached("SELECT json FROM doc_links WHERE seq = ?1")?;
            let mut hits = Vec::with_capacity(found.len());
            for (score, seq) in found {
                let Some((doc, text)) = doc_stmt
                    .query_row([seq as i64], |r| {
                        Ok((doc_ref_row(r)?, r.get::<_, String>(5)?))
                    })
                    .optional()?
                else {
                    continue;
                };
                let (snippet, highlights, snippet_html) = match &snippets {
                    Some(g) => {
                        let s = index::snippet(g, &text);
                        let hl = s.highlighted().iter().map(|r| (r.start, r.end)).collect();
                        (s.fragment().to_string(), hl, s.to_html())
                    }
                    None => (String::new(), Vec::new(), String::new()),
                };
                let (snippet, snippet_html) = if snippet.is_empty() {
                    let lead = lead(&text, 200);
                    (lead.to_string(), html_escape(lead))
                } else {
                    (snippet, snippet_html)
                };
                let links: Option<String> = links_stmt
                    .query_row([seq as i64], |r| r.get(0))
                    .optional()?;
                let stories = links
                    .and_then(|j| serde_json::from_str::<DocLinks>(&j).ok())
                    .map(|l| l.stories)
                    .unwrap_or_default();
                hits.push(Hit {
                    doc,
                    score,
                    snippet,
                    highlights,
                    snippet_html,
                    stories,
                });
            }
            Ok(hits)
        })
    }

    /// Checks that SQLite and the search index agree: every stored article indexed exactly
    /// once. Returns (articles, indexed) on success.
    pub fn check(&self) -> Result<(usize, usize)> {
        self.index.reload()?;
        let n = self.len()?;
        let indexed = self.index.num_docs() as usize;
        let seqs = self.index.seqs()?;
        let unique: HashSet<u64> = seqs.iter().copied().collect();
        if unique.len() != seqs.len() {
            bail!(
                "the search index holds {} duplicate articles",
                seqs.len() - unique.len()
            );
        }
        if indexed != n || unique.iter().any(|&s| s as usize >= n) {
            bail!("{n} articles stored but {indexed} indexed");
        }
        Ok((n, indexed))
    }
}

fn doc_ref_row(r: &rusqlite::Row) -> rusqlite::Result<DocRef> {
    Ok(DocRef {
        id: r.get(0)?,
        title: r.get(1)?,
        source: r.get(2)?,
        url: r.get(3)?,
        published: r.get::<_, Option<String>>(4)?.and_then(|p| p.parse().ok()),
    })
}

/// The first sentence-ish stretch of a text, cut at a char boundary.
fn lead(text: &str, max_bytes: usize) -> &str {
    let mut end = text.len().min(max_bytes);
    while !text.is_char_boundary(end) {
        end -= 1;
    }
    &text[..end]
}

fn hash_stored(conn: &Connection, hash: &str) -> Result<bool> {
    Ok(conn
        .prepare_cached("SELECT 1 FROM documents WHERE hash=?1")?
        .query_row([hash], |_| Ok(()))
        .optional()?
        .is_some())
}

fn id_stored(conn: &Connection, id: &str) -> Result<bool> {
    Ok(conn
        .prepare_cached("SELECT 1 FROM documents WHERE id=?1")?
        .query_row([id], |_| Ok(()))
        .optional()?
        .is_some())
}

fn insert_doc(conn: &Connection, seq: usize, a: &AnalyzedDocument, hash: &str) -> Result<()> {
    let (ann, spans) = codec::encode(&a.ann)?;
    let m = &a.doc.meta;
    conn.prepare_cached(
        "INSERT INTO documents(seq, id, hash, source, url, title, published, language, origin, text, ann, spans)
         VALUES(?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12)",
    )?
    .execute(params![
        seq as i64,
        m.id,
        hash,
        m.source,
        m.url,
        m.title,
        m.published.map(|d| d.to_string()),
        m.language,
        serde_json::to_string(&a.doc.origin)?,
        a.doc.text(),
        ann,
        spans
    ])?;
    Ok(())
}

fn index_doc(seq: usize, doc: &Document) -> IndexDoc<'_> {
    IndexDoc {
        seq: seq as u64,
        id: doc.id(),
        title: doc.meta.title.as_deref().unwrap_or(""),
        text: doc.text(),
        source: doc.meta.source.as_deref(),
        published: doc.meta.published,
    }
}

fn load_all(conn: &Connection) -> Result<Vec<AnalyzedDocument>> {
    load_range(conn, 0, i64::MAX)
}

fn load_range(conn: &Connection, from: i64, to: i64) -> Result<Vec<AnalyzedDocument>> {
    let mut stmt = conn.prepare_cached(
        "SELECT seq, id, source, url, title, published, language, origin, text, ann, spans
         FROM documents WHERE seq >= ?1 AND seq < ?2 ORDER BY seq",
    )?;
    let mut rows = stmt.query([from, to])?;
    let mut out = Vec::new();
    while let Some(r) = rows.next()? {
        let id: String = r.get(1)?;
        let published: Option<String> = r.get(5)?;
        let meta = Metadata {
            id: id.clone(),
            source: r.get(2)?,
            url: r.get(3)?,
            title: r.get(4)?,
            published: published.and_then(|p| p.parse().ok()),
            language: r.get(6)?,
        };
        let origin: Origin = serde_json::from_str(&r.get::<_, String>(7)?).unwrap_or_default();
        let ann: Annotations = codec::decode(&r.get::<_, String>(9)?, &r.get::<_, Vec<u8>>(10)?)
            .with_context(|| format!("annotations of stored article {id:?}"))?;
        out.push(AnalyzedDocument {
            doc: Document::new(meta, origin, r.get(8)?),
            ann,
        });
    }
    Ok(out)
}

/// Replaces the corpus results and views in one transaction.
fn write_derived(conn: &mut Connection, corpus: &Corpus) -> Result<()> {
    let d = views::derive(corpus);
    let tx = conn.transaction()?;
    tx.execute_batch(
        "DELETE FROM stories; DELETE FROM entities; DELETE FROM entity_names;
         DELETE FROM doc_entities; DELETE FROM doc_stories; DELETE FROM doc_links;",
    )?;
    {
        let mut st =
            tx.prepare("INSERT INTO stories(id, ord, summary, json) VALUES(?1, ?2, ?3, ?4)")?;
        let mut ds = tx.prepare("INSERT OR IGNORE INTO doc_stories(story, seq) VALUES(?1, ?2)")?;
        let seq_of: std::collections::HashMap<&str, usize> = corpus
            .docs
            .iter()
            .enumerate()
            .map(|(i, a)| (a.doc.id(), i))
            .collect();
        for (i, (summary, view)) in d.stories.iter().enumerate() {
            st.execute(params![
                summary.id,
                i as i64,
                serde_json::to_string(summary)?,
                serde_json::to_string(view)?
            ])?;
            for doc in &view.documents {
                if let Some(&seq) = seq_of.get(doc.id.as_str()) {
                    ds.execute(params![summary.id, seq as i64])?;
                }
            }
        }
        let mut en = tx.prepare(
            "INSERT INTO entities(id, ord, name, mentions, summary, json) VALUES(?1, ?2, ?3, ?4, ?5, ?6)",
        )?;
        let mut names =
            tx.prepare("INSERT OR IGNORE INTO entity_names(name, entity) VALUES(?1, ?2)")?;
        for (i, (summary, view)) in d.entities.iter().enumerate() {
            en.execute(params![
                summary.id,
                i as i64,
                summary.name,
                summary.mentions as i64,
                serde_json::to_string(summary)?,
                serde_json::to_string(view)?
            ])?;
            for name in std::iter::once(&view.name).chain(&view.aliases) {
                names.execute(params![name, summary.id])?;
            }
        }
        let mut de =
            tx.prepare("INSERT OR IGNORE INTO doc_entities(entity, seq) VALUES(?1, ?2)")?;
        for (seq, ids) in d.doc_entities.iter().enumerate() {
            for id in ids {
                de.execute(params![id, seq as i64])?;
            }
        }
        let mut dl = tx.prepare("INSERT INTO doc_links(seq, json) VALUES(?1, ?2)")?;
        for (seq, links) in d.links.iter().enumerate() {
            if *links != DocLinks::default() {
                dl.execute(params![seq as i64, serde_json::to_string(links)?])?;
            }
        }
    }
    tx.execute(
        "INSERT INTO meta(key, value) VALUES('corpus_docs', ?1)
         ON CONFLICT(key) DO UPDATE SET value = excluded.value",
        [corpus.docs.len().to_string()],
    )?;
    tx.commit().context("committing corpus results")?;
    Ok(())
}

/// Joins an article's annotations with its corpus links.
fn document_view(a: &AnalyzedDocument, links: DocLinks) -> DocumentView {
    let doc = &a.doc;
    let ann = &a.ann;
    let entity_of = |m: usize| links.mentions.get(m).cloned().flatten();
    let refs = |ms: &[usize]| -> Vec<Ref> {
        let mut v: Vec<Ref> = Vec::new();
        for r in ms.iter().filter_map(|&m| entity_of(m)) {
            if !v.contains(&r) {
                v.push(r);
            }
        }
        v
    };
    DocumentView {
        id: doc.id().to_string(),
        title: doc.meta.title.clone(),
        source: doc.meta.source.clone(),
        url: doc.meta.url.clone(),
        published: doc.meta.published,
        language: doc.meta.language.clone(),
        text: doc.text().to_string(),
        boilerplate: ann
            .boilerplate
            .iter()
            .map(|b| Spanned {
                start: b.span.start,
                end: b.span.end,
                kind: b.kind.clone(),
            })
            .collect(),
        sections: ann
            .sections
            .iter()
            .map(|s| Spanned {
                start: s.span.start,
                end: s.span.end,
                kind: s.kind,
            })
            .collect(),
        mentions: ann
            .mentions
            .iter()
            .enumerate()
            .map(|(i, m)| MentionView {
                start: m.span.start,
                end: m.span.end,
                text: m.text.clone(),
                kind: m.kind,
                entity: entity_of(i),
            })
            .collect(),
        roles: ann
            .roles
            .iter()
            .map(|r| RoleView {
                start: r.span.start,
                end: r.span.end,
                text: r.text.clone(),
                holder: entity_of(r.mention),
                holder_text: ann
                    .mentions
                    .get(r.mention)
                    .map(|m| m.text.clone())
                    .unwrap_or_default(),
            })
            .collect(),
        timexes: ann
            .timexes
            .iter()
            .map(|t| TimexView {
                start: t.span.start,
                end: t.span.end,
                text: t.text.clone(),
                kind: t.kind,
                value: t.value.clone(),
                anchoring: t.anchoring,
            })
            .collect(),
        quotes: ann
            .quotes
            .iter()
            .map(|q| QuoteView {
                doc: doc.id().to_string(),
                start: q.span.start,
                end: q.span.end,
                text: q.text.clone(),
                kind: q.kind,
                speaker: q.speaker_mention.and_then(entity_of),
                speaker_text: q.speaker.as_ref().map(|s| s.text.clone()),
                cue: q.cue.as_ref().map(|c| c.text.clone()),
            })
            .collect(),
        events: ann
            .events
            .iter()
            .enumerate()
            .map(|(i, e)| TimelineEntry {
                id: format!("{}:ev{}", doc.id(), i + 1),
                date: e.date.clone(),
                date_source: e.date_source,
                kind: e.kind.clone(),
                doc: doc.id().to_string(),
                start: e.span.start,
                end: e.span.end,
                text: e.text.clone(),
                trigger: e.trigger.text.clone(),
                actors: refs(&e.actors),
                participants: refs(&e.participants),
                factual: e.factual,
            })
            .collect(),
        stories: links.stories,
        clusters: links.clusters,
    }
}
