//! The JSON output contract `lagebild/1` (see DESIGN.md). Field names are a contract:
//! keep them, add fields freely. Offsets are char offsets into the document's `text`.

use crate::annotation::{Anchoring, DateSource, EntityKind, QuoteKind, SectionKind, TimexType};
use crate::corpus::{Corpus, DocSpan, ProvenanceBasis, StanceKind};
use crate::text::Span;
use jiff::civil::Date;
use serde::{Deserialize, Serialize};
use std::collections::HashMap;

pub const SCHEMA: &str = "lagebild/1";

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Report {
    pub schema: String,
    pub documents: Vec<DocumentOut>,
    pub entities: Vec<EntityOut>,
    pub timexes: Vec<TimexOut>,
    pub quotes: Vec<QuoteOut>,
    pub events: Vec<EventOut>,
    pub claims: Vec<ClaimOut>,
    pub clusters: Vec<ClusterOut>,
    pub stories: Vec<StoryOut>,
    pub near_duplicates: Vec<NearDuplicateOut>,
    /// Provenance of copies: which article is likely the original of which rewrites.
    #[serde(default)]
    pub copies: Vec<CopyGroupOut>,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct KindSpan<K> {
    pub start: usize,
    pub end: usize,
    pub kind: K,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct DocumentOut {
    pub id: String,
    pub source: Option<String>,
    pub url: Option<String>,
    pub title: Option<String>,
    pub published: Option<Date>,
    pub language: Option<String>,
    pub text: String,
    pub boilerplate: Vec<KindSpan<String>>,
    pub sections: Vec<KindSpan<SectionKind>>,
}

/// A piece of evidence: document id, char span and the text under it.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct SpanOut {
    pub doc: String,
    pub start: usize,
    pub end: usize,
    pub text: String,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct RoleOut {
    pub text: String,
    pub doc: String,
    pub start: usize,
    pub end: usize,
    #[serde(default)]
    pub flagged: bool,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct EntityOut {
    pub id: String,
    pub kind: EntityKind,
    pub name: String,
    pub aliases: Vec<String>,
    pub roles: Vec<RoleOut>,
    pub wikipedia: Option<String>,
    pub mentions: Vec<SpanOut>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub refers_to: Option<String>,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct TimexOut {
    pub doc: String,
    pub start: usize,
    pub end: usize,
    pub text: String,
    #[serde(rename = "type")]
    pub kind: TimexType,
    pub value: String,
    #[serde(rename = "mod", default, skip_serializing_if = "Option::is_none")]
    pub modifier: Option<String>,
    pub anchoring: Anchoring,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct QuoteOut {
    pub doc: String,
    pub start: usize,
    pub end: usize,
    pub text: String,
    pub kind: QuoteKind,
    /// Entity id of the speaker, when resolved.
    pub speaker: Option<String>,
    pub speaker_text: Option<String>,
    pub cue: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub speaker_span: Option<Span>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub cue_span: Option<Span>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub addressee: Option<String>,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct EventOut {
    pub id: String,
    pub kind: String,
    pub doc: String,
    pub start: usize,
    pub end: usize,
    pub text: String,
    pub trigger: String,
    /// Entity ids of the actors.
    pub actors: Vec<String>,
    pub participants: Vec<String>,
    pub date: Option<String>,
    pub date_source: DateSource,
    pub factual: bool,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct StanceOut {
    pub holder: Option<String>,
    pub holder_text: String,
    pub stance: StanceKind,
    pub doc: String,
    pub start: usize,
    pub end: usize,
    pub text: String,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct ClaimOut {
    pub id: String,
    pub statement: String,
    pub stances: Vec<StanceOut>,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct ClusterOut {
    pub id: String,
    pub documents: Vec<String>,
    pub title: String,
    pub first: Option<Date>,
    pub last: Option<Date>,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct StoryOut {
    pub id: String,
    pub clusters: Vec<String>,
    pub title: String,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct DocRangeOut {
    pub doc: String,
    pub start: usize,
    pub end: usize,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct NearDuplicateOut {
    pub a: DocRangeOut,
    pub b: DocRangeOut,
    pub similarity: f32,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct DerivedOut {
    pub doc: String,
    /// Share of the derived document's text found in the original.
    pub containment: f32,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct CopyGroupOut {
    pub original: String,
    pub derived: Vec<DerivedOut>,
    /// What chose the original: the earliest publication date, or content containment.
    #[serde(default)]
    pub basis: ProvenanceBasis,
}

pub fn entity_id(i: usize) -> String {
    format!("e{}", i + 1)
}
pub fn cluster_id(i: usize) -> String {
    format!("k{}", i + 1)
}

impl Report {
    /// Renders a corpus into the contract. Entities of kind `other` stay in the annotations
    /// but are not part of the contract's entity list.
    pub fn from_corpus(corpus: &Corpus) -> Report {
        let doc_id = |i: usize| corpus.docs[i].doc.id().to_string();
        let span_out = |at: DocSpan| SpanOut {
            doc: doc_id(at.doc),
            start: at.span.start,
            end: at.span.end,
            text: corpus.slice(at).to_string(),
        };
        let listed: HashMap<usize, String> = corpus
            .entities
            .iter()
            .enumerate()
            .filter(|(_, e)| e.kind != EntityKind::Other)
            .map(|(i, _)| (i, entity_id(i)))
            .collect();
        let mention_entity = |d: usize, m: usize| -> Option<String> {
            let e = corpus.docs[d].ann.mentions.get(m)?.entity?;
            listed.get(&e).cloned()
        };

        let documents = corpus
            .docs
            .iter()
            .map(|a| DocumentOut {
                id: a.doc.id().to_string(),
                source: a.doc.meta.source.clone(),
                url: a.doc.meta.url.clone(),
                title: a.doc.meta.title.clone(),
                published: a.doc.meta.published,
                language: a.doc.meta.language.clone(),
                text: a.doc.text().to_string(),
                boilerplate: a
                    .ann
                    .boilerplate
                    .iter()
                    .map(|b| KindSpan {
                        start: b.span.start,
                        end: b.span.end,
                        kind: b.kind.clone(),
                    })
                    .collect(),
                sections: a
                    .ann
                    .sections
                    .iter()
                    .map(|s| KindSpan {
                        start: s.span.start,
                        end: s.span.end,
                        kind: s.kind,
                    })
                    .collect(),
            })
            .collect();

        let entities = corpus
            .entities
            .iter()
            .enumerate()
            .filter(|(i, _)| listed.contains_key(i))
            .map(|(i, e)| EntityOut {
                id: entity_id(i),
                kind: e.kind,
                name: e.name.clone(),
                aliases: e.aliases.clone(),
                roles: e
                    .roles
                    .iter()
                    .map(|r| RoleOut {
                        text: r.text.clone(),
                        doc: doc_id(r.at.doc),
                        start: r.at.span.start,
                        end: r.at.span.end,
                        flagged: r.flagged,
                    })
                    .collect(),
                wikipedia: e.wikipedia.clone(),
                mentions: e
                    .mentions
                    .iter()
                    .map(|&(d, m)| {
                        span_out(DocSpan {
                            doc: d,
                            span: corpus.docs[d].ann.mentions[m].span,
                        })
                    })
                    .collect(),
                refers_to: e.refers_to.and_then(|r| listed.get(&r).cloned()),
            })
            .collect();

        let mut timexes = Vec::new();
        let mut quotes = Vec::new();
        let mut events = Vec::new();
        for (d, a) in corpus.docs.iter().enumerate() {
            for t in &a.ann.timexes {
                timexes.push(TimexOut {
                    doc: doc_id(d),
                    start: t.span.start,
                    end: t.span.end,
                    text: t.text.clone(),
                    kind: t.kind,
                    value: t.value.clone(),
                    modifier: t.modifier.clone(),
                    anchoring: t.anchoring,
                });
            }
            for q in &a.ann.quotes {
                quotes.push(QuoteOut {
                    doc: doc_id(d),
                    start: q.span.start,
                    end: q.span.end,
                    text: q.text.clone(),
                    kind: q.kind,
                    speaker: q.speaker_mention.and_then(|m| mention_entity(d, m)),
                    speaker_text: q.speaker.as_ref().map(|s| s.text.clone()),
                    cue: q.cue.as_ref().map(|c| c.text.clone()),
                    speaker_span: q.speaker.as_ref().map(|s| s.span),
                    cue_span: q.cue.as_ref().map(|c| c.span),
                    addressee: q.addressee.as_ref().map(|a| a.text.clone()),
                });
            }
            for e in &a.ann.events {
                let ids = |ms: &[usize]| -> Vec<String> {
                    let mut v: Vec<String> =
                        ms.iter().filter_map(|&m| mention_entity(d, m)).collect();
                    v.dedup();
                    v
                };
                events.push(EventOut {
                    id: format!("ev{}", events.len() + 1),
                    kind: e.kind.clone(),
                    doc: doc_id(d),
                    start: e.span.start,
                    end: e.span.end,
                    text: e.text.clone(),
                    trigger: e.trigger.text.clone(),
                    actors: ids(&e.actors),
                    participants: ids(&e.participants),
                    date: e.date.clone(),
                    date_source: e.date_source,
                    factual: e.factual,
                });
            }
        }

        let claims = corpus
            .claims
            .iter()
            .enumerate()
            .map(|(i, c)| ClaimOut {
                id: format!("c{}", i + 1),
                statement: c.statement.clone(),
                stances: c
                    .stances
                    .iter()
                    .map(|s| StanceOut {
                        holder: s.holder.and_then(|h| listed.get(&h).cloned()),
                        holder_text: s.holder_text.clone(),
                        stance: s.stance,
                        doc: doc_id(s.at.doc),
                        start: s.at.span.start,
                        end: s.at.span.end,
                        text: s.text.clone(),
                    })
                    .collect(),
            })
            .collect();

        let clusters = corpus
            .clusters
            .iter()
            .enumerate()
            .map(|(i, c)| ClusterOut {
                id: cluster_id(i),
                documents: c.documents.iter().map(|&d| doc_id(d)).collect(),
                title: c.title.clone(),
                first: c.first,
                last: c.last,
            })
            .collect();
        let stories = corpus
            .stories
            .iter()
            .enumerate()
            .map(|(i, s)| StoryOut {
                id: format!("s{}", i + 1),
                clusters: s.clusters.iter().map(|&c| cluster_id(c)).collect(),
                title: s.title.clone(),
            })
            .collect();
        let range = |at: DocSpan| DocRangeOut {
            doc: doc_id(at.doc),
            start: at.span.start,
            end: at.span.end,
        };
        let near_duplicates = corpus
            .near_duplicates
            .iter()
            .map(|n| NearDuplicateOut {
                a: range(n.a),
                b: range(n.b),
                similarity: n.similarity,
            })
            .collect();

        let copies = corpus
            .copies
            .iter()
            .map(|g| CopyGroupOut {
                original: doc_id(g.original),
                basis: g.basis,
                derived: g
                    .derived
                    .iter()
                    .map(|&(d, containment)| DerivedOut {
                        doc: doc_id(d),
                        containment,
                    })
                    .collect(),
            })
            .collect();
        Report {
            schema: SCHEMA.to_string(),
            documents,
            entities,
            timexes,
            quotes,
            events,
            claims,
            clusters,
            stories,
            near_duplicates,
            copies,
        }
    }

    /// Checks the contract's invariants: schema tag, spans inside their documents, the text
    /// of every span equal to the document text at its offsets, and references that resolve.
    /// Returns one message per violation.
    pub fn violations(&self) -> Vec<String> {
        let mut errors = Vec::new();
        if self.schema != SCHEMA {
            errors.push(format!("schema is {:?}, expected {SCHEMA:?}", self.schema));
        }
        let texts: HashMap<&str, Vec<char>> = self
            .documents
            .iter()
            .map(|d| (d.id.as_str(), d.text.chars().collect()))
            .collect();
        let mut check = |what: &str, doc: &str, start: usize, end: usize, text: Option<&str>| {
            let Some(chars) = texts.get(doc) else {
                errors.push(format!("{what}: unknown document {doc:?}"));
                return;
            };
            if start > end || end > chars.len() {
                errors.push(format!(
                    "{what}: span {start}..{end} outside document {doc:?} ({} chars)",
                    chars.len()
                ));
                return;
            }
            if let Some(text) = text {
                let actual: String = chars[start..end].iter().collect();
                if actual != text {
                    errors.push(format!(
                        "{what}: {doc}[{start}..{end}] is {actual:?}, reported {text:?}"
                    ));
                }
            }
        };
        for d in &self.documents {
            for b in &d.boilerplate {
                check("boilerplate", &d.id, b.start, b.end, None);
            }
            for s in &d.sections {
                check("section", &d.id, s.start, s.end, None);
            }
        }
        for e in &self.entities {
            for m in &e.mentions {
                check("mention", &m.doc, m.start, m.end, Some(&m.text));
            }
            for r in &e.roles {
                check("role", &r.doc, r.start, r.end, Some(&r.text));
            }
        }
        for t in &self.timexes {
            check("timex", &t.doc, t.start, t.end, Some(&t.text));
        }
        for q in &self.quotes {
            check("quote", &q.doc, q.start, q.end, Some(&q.text));
            if let (Some(s), Some(text)) = (q.speaker_span, &q.speaker_text) {
                check("quote speaker", &q.doc, s.start, s.end, Some(text));
            }
            if let (Some(s), Some(text)) = (q.cue_span, &q.cue) {
                check("quote cue", &q.doc, s.start, s.end, Some(text));
            }
        }
        for e in &self.events {
            check("event", &e.doc, e.start, e.end, Some(&e.text));
        }
        for c in &self.claims {
            for s in &c.stances {
                check("stance", &s.doc, s.start, s.end, Some(&s.text));
            }
        }
        for n in &self.near_duplicates {
            check("near_duplicate.a", &n.a.doc, n.a.start, n.a.end, None);
            check("near_duplicate.b", &n.b.doc, n.b.start, n.b.end, None);
        }
        let entity_ids: std::collections::HashSet<&str> =
            self.entities.iter().map(|e| e.id.as_str()).collect();
        let mut refs = Vec::new();
        refs.extend(self.quotes.iter().filter_map(|q| q.speaker.as_deref()));
        for e in &self.events {
            refs.extend(e.actors.iter().chain(&e.participants).map(String::as_str));
        }
        for c in &self.claims {
            refs.extend(c.stances.iter().filter_map(|s| s.holder.as_deref()));
        }
        for r in refs {
            if !entity_ids.contains(r) {
                errors.push(format!("reference to unknown entity {r:?}"));
            }
        }
        let cluster_ids: std::collections::HashSet<&str> =
            self.clusters.iter().map(|c| c.id.as_str()).collect();
        for s in &self.stories {
            for c in &s.clusters {
                if !cluster_ids.contains(c.as_str()) {
                    errors.push(format!("story {}: unknown cluster {c:?}", s.id));
                }
            }
        }
        for c in &self.clusters {
            for d in &c.documents {
                if !texts.contains_key(d.as_str()) {
                    errors.push(format!("cluster {}: unknown document {d:?}", c.id));
                }
            }
        }
        for g in &self.copies {
            if !texts.contains_key(g.original.as_str()) {
                errors.push(format!("copy group: unknown original {:?}", g.original));
            }
            if g.derived.is_empty() {
                errors.push(format!("copy group of {:?}: nothing derived", g.original));
            }
            for d in &g.derived {
                if !texts.contains_key(d.doc.as_str()) || d.doc == g.original {
                    errors.push(format!(
                        "copy group of {:?}: derived {:?}",
                        g.original, d.doc
                    ));
                }
                if !(0.0..=1.0).contains(&d.containment) {
                    errors.push(format!(
                        "copy group of {:?}: containment {}",
                        g.original, d.containment
                    ));
                }
            }
        }
        errors
    }
}
