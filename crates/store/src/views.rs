//! Read-side views derived from the corpus results: what a story, an entity or an article
//! page shows. Computed once per ingest run and stored, so reading is a single row lookup.

use lagebild_core::output::{
    entity_id, ClusterOut, CopyGroupOut, NearDuplicateOut, Report, RoleOut,
};
use lagebild_core::{
    Anchoring, Corpus, DateSource, EntityKind, QuoteKind, SectionKind, StanceKind, TimexType,
};
use serde::{Deserialize, Serialize};
use std::collections::{BTreeMap, HashMap, HashSet};

/// Longest lists on an entity page; totals are given beside them.
const ENTITY_LIST_CAP: usize = 200;
/// Co-occurring actors shown per entity.
const COOCCURRING_CAP: usize = 25;
/// Near-duplicate pairs shown per story.
const NEAR_DUPLICATE_CAP: usize = 200;

/// An entity reference with its display name.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Ref {
    pub id: String,
    pub name: String,
}

/// A document reference for lists.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct DocRef {
    pub id: String,
    pub title: Option<String>,
    pub source: Option<String>,
    pub url: Option<String>,
    pub published: Option<jiff::civil::Date>,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct StoryRef {
    pub id: String,
    pub title: String,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct StorySummary {
    pub id: String,
    pub title: String,
    pub documents: usize,
    pub clusters: usize,
    pub first: Option<jiff::civil::Date>,
    pub last: Option<jiff::civil::Date>,
}

/// An event on a timeline.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct TimelineEntry {
    pub id: String,
    pub date: Option<String>,
    pub date_source: DateSource,
    pub kind: String,
    pub doc: String,
    pub start: usize,
    pub end: usize,
    pub text: String,
    pub trigger: String,
    pub actors: Vec<Ref>,
    pub participants: Vec<Ref>,
    pub factual: bool,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct QuoteView {
    pub doc: String,
    pub start: usize,
    pub end: usize,
    pub text: String,
    pub kind: QuoteKind,
    pub speaker: Option<Ref>,
    pub speaker_text: Option<String>,
    pub cue: Option<String>,
}

/// An entity acting in a story, with the roles it has there.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Actor {
    pub id: String,
    pub name: String,
    pub kind: EntityKind,
    pub mentions: usize,
    pub documents: usize,
    pub roles: Vec<RoleOut>,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct StanceView {
    pub holder: Option<Ref>,
    pub holder_text: String,
    pub stance: StanceKind,
    pub doc: String,
    pub start: usize,
    pub end: usize,
    pub text: String,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct ClaimView {
    pub id: String,
    pub statement: String,
    pub stances: Vec<StanceView>,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct SourceGroup {
    /// Source name; `None` for articles without one.
    pub source: Option<String>,
    pub documents: Vec<DocRef>,
}

/// Everything a story page shows.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct StoryView {
    pub id: String,
    pub title: String,
    pub clusters: Vec<ClusterOut>,
    pub documents: Vec<DocRef>,
    /// Events of the story's articles, by date; undated events last.
    pub timeline: Vec<TimelineEntry>,
    /// Entities mentioned in the story, most mentioned first.
    pub actors: Vec<Actor>,
    pub quotes: Vec<QuoteView>,
    /// Claims with at least one stance in the story's articles (only those stances).
    pub claims: Vec<ClaimView>,
    pub sources: Vec<SourceGroup>,
    pub copies: Vec<CopyGroupOut>,
    pub near_duplicates: Vec<NearDuplicateOut>,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct EntitySummary {
    pub id: String,
    pub kind: EntityKind,
    pub name: String,
    pub mentions: usize,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct CoActor {
    pub id: String,
    pub name: String,
    pub kind: EntityKind,
    /// Articles both entities are mentioned in.
    pub documents: usize,
}

/// Everything an entity page shows.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct EntityView {
    pub id: String,
    pub kind: EntityKind,
    pub name: String,
    pub aliases: Vec<String>,
    pub wikipedia: Option<String>,
    pub refers_to: Option<Ref>,
    pub roles: Vec<RoleOut>,
    pub mentions: usize,
    pub documents_total: usize,
    pub documents: Vec<DocRef>,
    pub quotes_total: usize,
    pub quotes: Vec<QuoteView>,
    pub cooccurring: Vec<CoActor>,
    pub stories: Vec<StoryRef>,
}

/// Corpus links of one article: entity of each mention, speaker of each quote, its stories.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct DocLinks {
    /// Per mention (same order as the annotations), the entity it refers to.
    pub mentions: Vec<Option<Ref>>,
    pub stories: Vec<StoryRef>,
    pub clusters: Vec<String>,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Spanned<K> {
    pub start: usize,
    pub end: usize,
    pub kind: K,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct MentionView {
    pub start: usize,
    pub end: usize,
    pub text: String,
    pub kind: EntityKind,
    pub entity: Option<Ref>,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct RoleView {
    pub start: usize,
    pub end: usize,
    pub text: String,
    /// The person holding the role, when resolved.
    pub holder: Option<Ref>,
    pub holder_text: String,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct TimexView {
    pub start: usize,
    pub end: usize,
    pub text: String,
    pub kind: TimexType,
    pub value: String,
    pub anchoring: Anchoring,
}

/// An article with every annotation, for the article page.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct DocumentView {
    pub id: String,
    pub title: Option<String>,
    pub source: Option<String>,
    pub url: Option<String>,
    pub published: Option<jiff::civil::Date>,
    pub language: Option<String>,
    pub text: String,
    pub boilerplate: Vec<Spanned<String>>,
    pub sections: Vec<Spanned<SectionKind>>,
    pub mentions: Vec<MentionView>,
    pub roles: Vec<RoleView>,
    pub timexes: Vec<TimexView>,
    pub quotes: Vec<QuoteView>,
    pub events: Vec<TimelineEntry>,
    pub stories: Vec<StoryRef>,
    pub clusters: Vec<String>,
}

/// All views of a corpus, ready to be stored.
pub struct Derived {
    pub stories: Vec<(StorySummary, StoryView)>,
    pub entities: Vec<(EntitySummary, EntityView)>,
    /// Per document (corpus index): links, entity ids mentioned, story ids.
    pub links: Vec<DocLinks>,
    pub doc_entities: Vec<Vec<String>>,
}

fn doc_ref(corpus: &Corpus, d: usize) -> DocRef {
    let m = &corpus.docs[d].doc.meta;
    DocRef {
        id: m.id.clone(),
        title: m.title.clone(),
        source: m.source.clone(),
        url: m.url.clone(),
        published: m.published,
    }
}

/// Timeline order: full dates first (TIMEX values sort as text), underspecified ones
/// (`XXXX-09-22`) after, undated last; ties keep article order.
fn timeline_key(date: &Option<String>) -> (u8, String) {
    match date {
        Some(d) if d.starts_with(|c: char| c.is_ascii_digit()) => (0, d.clone()),
        Some(d) => (1, d.clone()),
        None => (2, String::new()),
    }
}

/// Derives every view from the corpus and its contract rendering.
pub fn derive(corpus: &Corpus) -> Derived {
    let report = Report::from_corpus(corpus);
    let n = corpus.docs.len();
    let seq_of: HashMap<&str, usize> = report
        .documents
        .iter()
        .enumerate()
        .map(|(i, d)| (d.id.as_str(), i))
        .collect();
    let names: HashMap<&str, (&str, EntityKind)> = report
        .entities
        .iter()
        .map(|e| (e.id.as_str(), (e.name.as_str(), e.kind)))
        .collect();
    let entity_ref = |id: &str| -> Option<Ref> {
        names.get(id).map(|(name, _)| Ref {
            id: id.to_string(),
            name: name.to_string(),
        })
    };
    let refs = |ids: &[String]| -> Vec<Ref> { ids.iter().filter_map(|i| entity_ref(i)).collect() };

    // Per document: mention counts per entity, quotes, events.
    let mut mention_counts: Vec<BTreeMap<&str, usize>> = vec![BTreeMap::new(); n];
    for e in &report.entities {
        for m in &e.mentions {
            if let Some(&d) = seq_of.get(m.doc.as_str()) {
                *mention_counts[d].entry(e.id.as_str()).or_default() += 1;
            }
        }
    }
    let mut quotes: Vec<Vec<QuoteView>> = vec![Vec::new(); n];
    for q in &report.quotes {
        if let Some(&d) = seq_of.get(q.doc.as_str()) {
            quotes[d].push(QuoteView {
                doc: q.doc.clone(),
                start: q.start,
                end: q.end,
                text: q.text.clone(),
                kind: q.kind,
                speaker: q.speaker.as_deref().and_then(entity_ref),
                speaker_text: q.speaker_text.clone(),
                cue: q.cue.clone(),
            });
        }
    }
    let mut events: Vec<Vec<TimelineEntry>> = vec![Vec::new(); n];
    for e in &report.events {
        if let Some(&d) = seq_of.get(e.doc.as_str()) {
            events[d].push(TimelineEntry {
                id: e.id.clone(),
                date: e.date.clone(),
                date_source: e.date_source,
                kind: e.kind.clone(),
                doc: e.doc.clone(),
                start: e.start,
                end: e.end,
                text: e.text.clone(),
                trigger: e.trigger.clone(),
                actors: refs(&e.actors),
                participants: refs(&e.participants),
                factual: e.factual,
            });
        }
    }

    // Stories and clusters per document.
    let mut links: Vec<DocLinks> = vec![DocLinks::default(); n];
    for c in &report.clusters {
        for d in &c.documents {
            if let Some(&d) = seq_of.get(d.as_str()) {
                links[d].clusters.push(c.id.clone());
            }
        }
    }
    let cluster_docs: HashMap<&str, &ClusterOut> =
        report.clusters.iter().map(|c| (c.id.as_str(), c)).collect();
    let by_doc = ByDoc::new(&report, &seq_of, &mention_counts, &quotes, &events);
    let mut stories = Vec::with_capacity(report.stories.len());
    for s in &report.stories {
        let clusters: Vec<ClusterOut> = s
            .clusters
            .iter()
            .filter_map(|c| cluster_docs.get(c.as_str()).map(|c| (*c).clone()))
            .collect();
        let mut docs: Vec<usize> = clusters
            .iter()
            .flat_map(|c| c.documents.iter())
            .filter_map(|d| seq_of.get(d.as_str()).copied())
            .collect();
        docs.sort_unstable();
        docs.dedup();
        let sref = StoryRef {
            id: s.id.clone(),
            title: s.title.clone(),
        };
        for &d in &docs {
            links[d].stories.push(sref.clone());
        }
        let view = story_view(
            corpus,
            &report,
            &by_doc,
            (s.id.clone(), s.title.clone(), clusters),
            &docs,
            &entity_ref,
        );
        let dates: Vec<_> = docs
            .iter()
            .filter_map(|&d| corpus.docs[d].doc.meta.published)
            .collect();
        let first = view
            .clusters
            .iter()
            .filter_map(|c| c.first)
            .chain(dates.iter().copied())
            .min();
        let last = view
            .clusters
            .iter()
            .filter_map(|c| c.last)
            .chain(dates.iter().copied())
            .max();
        stories.push((
            StorySummary {
                id: s.id.clone(),
                title: s.title.clone(),
                documents: docs.len(),
                clusters: view.clusters.len(),
                first,
                last,
            },
            view,
        ));
    }

    // Mention links straight from the corpus (the contract lists entities, not mentions).
    for (d, a) in corpus.docs.iter().enumerate() {
        links[d].mentions = a
            .ann
            .mentions
            .iter()
            .map(|m| m.entity.and_then(|e| entity_ref(&entity_id(e))))
            .collect();
    }

    let doc_entities: Vec<Vec<String>> = mention_counts
        .iter()
        .map(|m| m.keys().map(|k| k.to_string()).collect())
        .collect();
    let mut docs_of: HashMap<&str, Vec<usize>> = HashMap::new();
    for (d, m) in mention_counts.iter().enumerate() {
        for e in m.keys() {
            docs_of.entry(e).or_default().push(d);
        }
    }
    let mut entities = Vec::with_capacity(report.entities.len());
    for e in &report.entities {
        let docs = docs_of.get(e.id.as_str()).cloned().unwrap_or_default();
        let mut co: HashMap<&str, usize> = HashMap::new();
        let mut story_ids: Vec<StoryRef> = Vec::new();
        let mut story_seen: HashSet<&str> = HashSet::new();
        for &d in &docs {
            for other in mention_counts[d].keys() {
                if *other != e.id {
                    *co.entry(other).or_default() += 1;
                }
            }
            for s in &links[d].stories {
                if story_seen.insert(s.id.as_str()) {
                    story_ids.push(s.clone());
                }
            }
        }
        let mut co: Vec<(&str, usize)> = co.into_iter().collect();
        co.sort_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(b.0)));
        let spoken: Vec<QuoteView> = docs
            .iter()
            .flat_map(|&d| quotes[d].iter())
            .filter(|q| q.speaker.as_ref().is_some_and(|s| s.id == e.id))
            .cloned()
            .collect();
        let view = EntityView {
            id: e.id.clone(),
            kind: e.kind,
            name: e.name.clone(),
            aliases: e.aliases.clone(),
            wikipedia: e.wikipedia.clone(),
            refers_to: e.refers_to.as_deref().and_then(entity_ref),
            roles: e.roles.iter().take(ENTITY_LIST_CAP).cloned().collect(),
            mentions: e.mentions.len(),
            documents_total: docs.len(),
            documents: docs
                .iter()
                .take(ENTITY_LIST_CAP)
                .map(|&d| doc_ref(corpus, d))
                .collect(),
            quotes_total: spoken.len(),
            quotes: spoken.into_iter().take(ENTITY_LIST_CAP).collect(),
            cooccurring: co
                .into_iter()
                .take(COOCCURRING_CAP)
                .filter_map(|(id, count)| {
                    names.get(id).map(|(name, kind)| CoActor {
                        id: id.to_string(),
                        name: name.to_string(),
                        kind: *kind,
                        documents: count,
                    })
                })
                .collect(),
            stories: story_ids,
        };
        entities.push((
            EntitySummary {
                id: e.id.clone(),
                kind: e.kind,
                name: e.name.clone(),
                mentions: e.mentions.len(),
            },
            view,
        ));
    }
    Derived {
        stories,
        entities,
        links,
        doc_entities,
    }
}

/// Per-document indexes of the contract lists, so each story view costs only its own
/// articles, not the whole corpus.
struct ByDoc<'a> {
    mention_counts: &'a [BTreeMap<&'a str, usize>],
    quotes: &'a [Vec<QuoteView>],
    events: &'a [Vec<TimelineEntry>],
    /// Roles found in each document, with the entity holding them.
    roles: Vec<Vec<(&'a str, &'a RoleOut)>>,
    /// Claims with a stance in each document.
    claims: Vec<Vec<usize>>,
    copies: Vec<Vec<usize>>,
    near_duplicates: Vec<Vec<usize>>,
    entities: HashMap<&'a str, &'a lagebild_core::output::EntityOut>,
}

impl<'a> ByDoc<'a> {
    fn new(
        report: &'a Report,
        seq_of: &HashMap<&str, usize>,
        mention_counts: &'a [BTreeMap<&'a str, usize>],
        quotes: &'a [Vec<QuoteView>],
        events: &'a [Vec<TimelineEntry>],
    ) -> Self {
        let n = mention_counts.len();
        let mut by = ByDoc {
            mention_counts,
            quotes,
            events,
            roles: vec![Vec::new(); n],
            claims: vec![Vec::new(); n],
            copies: vec![Vec::new(); n],
            near_duplicates: vec![Vec::new(); n],
            entities: report.entities.iter().map(|e| (e.id.as_str(), e)).collect(),
        };
        let seq = |id: &str| seq_of.get(id).copied();
        for e in &report.entities {
            for r in &e.roles {
                if let Some(d) = seq(&r.doc) {
                    by.roles[d].push((e.id.as_str(), r));
                }
            }
        }
        for (i, c) in report.claims.iter().enumerate() {
            for s in &c.stances {
                if let Some(d) = seq(&s.doc) {
                    if by.claims[d].last() != Some(&i) {
                        by.claims[d].push(i);
                    }
                }
            }
        }
        for (i, g) in report.copies.iter().enumerate() {
            let docs = std::iter::once(g.original.as_str())
                .chain(g.derived.iter().map(|d| d.doc.as_str()));
            for d in docs.filter_map(seq) {
                if by.copies[d].last() != Some(&i) {
                    by.copies[d].push(i);
                }
            }
        }
        for (i, p) in report.near_duplicates.iter().enumerate() {
            if let Some(d) = seq(&p.a.doc) {
                by.near_duplicates[d].push(i);
            }
        }
        by
    }
}

/// Ids of the items the story's documents point at, each once, in corpus order.
fn gather(docs: &[usize], lists: &[Vec<usize>]) -> Vec<usize> {
    let mut v: Vec<usize> = docs
        .iter()
        .flat_map(|&d| lists[d].iter().copied())
        .collect();
    v.sort_unstable();
    v.dedup();
    v
}

fn story_view(
    corpus: &Corpus,
    report: &Report,
    by: &ByDoc,
    (id, title, clusters): (String, String, Vec<ClusterOut>),
    docs: &[usize],
    entity_ref: &dyn Fn(&str) -> Option<Ref>,
) -> StoryView {
    let in_story: HashSet<&str> = docs.iter().map(|&d| corpus.docs[d].doc.id()).collect();
    let mut timeline: Vec<TimelineEntry> = docs
        .iter()
        .flat_map(|&d| by.events[d].iter().cloned())
        .collect();
    timeline.sort_by_cached_key(|e| timeline_key(&e.date));

    let mut counts: BTreeMap<&str, (usize, usize)> = BTreeMap::new();
    for &d in docs {
        for (e, c) in &by.mention_counts[d] {
            let entry = counts.entry(e).or_default();
            entry.0 += c;
            entry.1 += 1;
        }
    }
    let mut roles: HashMap<&str, Vec<RoleOut>> = HashMap::new();
    for &d in docs {
        for (e, r) in &by.roles[d] {
            roles.entry(e).or_default().push((*r).clone());
        }
    }
    let mut actors: Vec<Actor> = counts
        .iter()
        .filter_map(|(id, &(mentions, documents))| {
            let e = by.entities.get(id)?;
            Some(Actor {
                id: e.id.clone(),
                name: e.name.clone(),
                kind: e.kind,
                mentions,
                documents,
                roles: roles.remove(id).unwrap_or_default(),
            })
        })
        .collect();
    actors.sort_by(|a, b| b.mentions.cmp(&a.mentions).then(a.name.cmp(&b.name)));

    let claims = gather(docs, &by.claims)
        .into_iter()
        .map(|i| &report.claims[i])
        .filter_map(|c| {
            let stances: Vec<StanceView> = c
                .stances
                .iter()
                .filter(|s| in_story.contains(s.doc.as_str()))
                .map(|s| StanceView {
                    holder: s.holder.as_deref().and_then(entity_ref),
                    holder_text: s.holder_text.clone(),
                    stance: s.stance,
                    doc: s.doc.clone(),
                    start: s.start,
                    end: s.end,
                    text: s.text.clone(),
                })
                .collect();
            (!stances.is_empty()).then(|| ClaimView {
                id: c.id.clone(),
                statement: c.statement.clone(),
                stances,
            })
        })
        .collect();

    let mut sources: Vec<SourceGroup> = Vec::new();
    for &d in docs {
        let r = doc_ref(corpus, d);
        match sources.iter_mut().find(|g| g.source == r.source) {
            Some(g) => g.documents.push(r),
            None => sources.push(SourceGroup {
                source: r.source.clone(),
                documents: vec![r],
            }),
        }
    }
    let copies = gather(docs, &by.copies)
        .into_iter()
        .map(|i| report.copies[i].clone())
        .collect();
    let near_duplicates = gather(docs, &by.near_duplicates)
        .into_iter()
        .map(|i| &report.near_duplicates[i])
        .filter(|p| in_story.contains(p.b.doc.as_str()))
        .take(NEAR_DUPLICATE_CAP)
        .cloned()
        .collect();
    StoryView {
        id,
        title,
        clusters,
        documents: docs.iter().map(|&d| doc_ref(corpus, d)).collect(),
        timeline,
        actors,
        quotes: docs
            .iter()
            .flat_map(|&d| by.quotes[d].iter().cloned())
            .collect(),
        claims,
        sources,
        copies,
        near_duplicates,
    }
}
