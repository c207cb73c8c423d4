//! The dossier: what an analyst reads, built once from the corpus and rendered as Markdown or HTML.

use lagebild_core::output::Report;
use lagebild_core::{
    Corpus, DateSource, EntityKind, ProvenanceBasis, SectionKind, Span, StanceKind,
};
use std::collections::{BTreeMap, HashMap, HashSet};

/// A piece of evidence the reader can follow back to the article.
#[derive(Clone, Debug, PartialEq)]
pub struct Cite {
    /// Index of the document in the corpus.
    pub doc: usize,
    pub doc_id: String,
    pub span: Span,
    pub text: String,
}

#[derive(Clone, Debug, PartialEq)]
pub struct TimelineEntry {
    /// TIMEX3 value, possibly underspecified (`XXXX-09-22`).
    pub date: Option<String>,
    /// True when the date is the publication date standing in, or the year is unknown.
    pub uncertain: bool,
    pub kind: String,
    pub actors: Vec<String>,
    /// One cite per article reporting this event.
    pub sources: Vec<Cite>,
}

#[derive(Clone, Debug, PartialEq)]
pub struct Actor {
    pub id: String,
    pub kind: EntityKind,
    pub name: String,
    pub aliases: Vec<String>,
    /// Distinct roles, with a flag for roles that contradict the rest of the corpus.
    pub roles: Vec<(String, bool)>,
    pub mentions: usize,
    pub documents: usize,
    pub wikipedia: Option<String>,
}

#[derive(Clone, Debug, PartialEq)]
pub struct QuoteView {
    pub direct: bool,
    pub cue: Option<String>,
    pub quote: Cite,
}

#[derive(Clone, Debug, PartialEq)]
pub struct SpeakerQuotes {
    pub speaker: String,
    pub quotes: Vec<QuoteView>,
}

#[derive(Clone, Debug, PartialEq)]
pub struct ClaimRow {
    pub statement: String,
    /// Holder label → (stance, evidence).
    pub cells: BTreeMap<String, Vec<(StanceKind, Cite)>>,
}

#[derive(Clone, Debug, PartialEq)]
pub struct ClusterView {
    pub id: String,
    pub title: String,
    pub documents: Vec<String>,
    pub first: Option<String>,
    pub last: Option<String>,
}

#[derive(Clone, Debug, PartialEq)]
pub struct StoryView {
    pub title: String,
    pub clusters: Vec<ClusterView>,
}

#[derive(Clone, Debug, PartialEq)]
pub struct CopyView {
    pub original: String,
    pub derived: Vec<(String, f32)>,
    pub basis: ProvenanceBasis,
}

#[derive(Clone, Debug, PartialEq)]
pub struct Passage {
    pub a: Cite,
    pub b: Cite,
    pub similarity: f32,
}

#[derive(Clone, Debug, PartialEq)]
pub struct SourceView {
    pub doc: usize,
    pub id: String,
    pub title: Option<String>,
    pub source: Option<String>,
    pub url: Option<String>,
    pub published: Option<String>,
    pub language: Option<String>,
    /// Opinion, background and caption sections with their first words.
    pub sections: Vec<(SectionKind, Cite)>,
}

#[derive(Clone, Debug, PartialEq)]
pub struct Dropped {
    pub kind: String,
    pub cite: Cite,
}

/// Everything the dossier shows, in reading order.
#[derive(Clone, Debug, PartialEq)]
pub struct Dossier {
    pub title: String,
    pub summary: Vec<Cite>,
    pub timeline: Vec<TimelineEntry>,
    /// Events from opinion and background sections: shown as commentary, not fact.
    pub commentary: Vec<TimelineEntry>,
    pub actors: Vec<Actor>,
    pub quotes: Vec<SpeakerQuotes>,
    /// Claims held by two or more sources, or denied or doubted by someone.
    pub claims: Vec<ClaimRow>,
    /// Claims stated once by a single holder, counted but not shown in the matrix.
    pub single_claims: usize,
    pub stories: Vec<StoryView>,
    pub copies: Vec<CopyView>,
    pub passages: Vec<Passage>,
    pub sources: Vec<SourceView>,
    pub dropped: Vec<Dropped>,
}

/// Sentences in the extractive summary.
const SUMMARY_SENTENCES: usize = 3;
/// Repeated passages shown, most similar first.
const PASSAGES_SHOWN: usize = 20;

impl Dossier {
    pub fn build(corpus: &Corpus) -> Dossier {
        let report = Report::from_corpus(corpus);
        let doc_index: HashMap<&str, usize> = report
            .documents
            .iter()
            .enumerate()
            .map(|(i, d)| (d.id.as_str(), i))
            .collect();
        let cite = |doc_id: &str, start: usize, end: usize| -> Cite {
            let doc = doc_index[doc_id];
            let span = Span::new(start, end);
            Cite {
                doc,
                doc_id: doc_id.to_string(),
                span,
                text: corpus.docs[doc].doc.slice(span).to_string(),
            }
        };
        let names: HashMap<&str, &str> = report
            .entities
            .iter()
            .map(|e| (e.id.as_str(), e.name.as_str()))
            .collect();
        let name_of = |id: &str| names.get(id).copied().unwrap_or(id).to_string();
        // A capital speaking for its state ("Pjöngjang" for Nordkorea) holds its claims as the
        // state. A place that holds a claim always speaks for someone, so a mention the entity
        // stage left literal ("Moskau und Pjöngjang haben … dementiert") takes the referent
        // that stage found for the same name elsewhere.
        let by_name: HashMap<&str, &str> = report
            .entities
            .iter()
            .filter_map(|e| Some((e.name.as_str(), e.refers_to.as_deref()?)))
            .collect();
        let referents: HashMap<&str, &str> = report
            .entities
            .iter()
            .filter_map(|e| {
                let to = e.refers_to.as_deref().or_else(|| {
                    (e.kind == EntityKind::Location)
                        .then(|| by_name.get(e.name.as_str()).copied())
                        .flatten()
                })?;
                Some((e.id.as_str(), to))
            })
            .collect();
        let holder_name = |id: &str| name_of(referents.get(id).copied().unwrap_or(id));

        let title = report
            .stories
            .first()
            .map(|s| s.title.clone())
            .or_else(|| report.clusters.first().map(|c| c.title.clone()))
            .or_else(|| report.documents.iter().find_map(|d| d.title.clone()))
            .filter(|t| !t.trim().is_empty())
            .unwrap_or_else(|| "Lagebild".to_string());

        let (timeline, commentary) = {
            let mut factual = Vec::new();
            let mut opinion = Vec::new();
            for e in &report.events {
                let entry = TimelineEntry {
                    date: e.date.clone(),
                    uncertain: e.date_source != DateSource::Timex
                        || e.date.as_deref().is_some_and(|d| d.contains('X')),
                    kind: e.kind.clone(),
                    actors: e.actors.iter().map(|a| name_of(a)).collect(),
                    sources: vec![cite(&e.doc, e.start, e.end)],
                };
                if e.factual {
                    factual.push((entry, e.actors.clone()));
                } else {
                    opinion.push((entry, e.actors.clone()));
                }
            }
            (merge_events(factual), merge_events(opinion))
        };

        let actors = {
            let mut actors: Vec<Actor> = report
                .entities
                .iter()
                .map(|e| {
                    let mut roles: Vec<(String, bool)> = Vec::new();
                    for r in &e.roles {
                        if !roles.iter().any(|(t, _)| t.eq_ignore_ascii_case(&r.text)) {
                            roles.push((r.text.clone(), r.flagged));
                        }
                    }
                    let documents = e.mentions.iter().map(|m| &m.doc).collect::<HashSet<_>>();
                    Actor {
                        id: e.id.clone(),
                        kind: e.kind,
                        name: e.name.clone(),
                        aliases: e.aliases.clone(),
                        roles,
                        mentions: e.mentions.len(),
                        documents: documents.len(),
                        wikipedia: e.wikipedia.clone(),
                    }
                })
                .collect();
            actors.sort_by(|a, b| {
                a.kind
                    .cmp(&b.kind)
                    .then(b.mentions.cmp(&a.mentions))
                    .then(a.name.cmp(&b.name))
            });
            actors
        };

        let quotes = {
            let mut groups: Vec<SpeakerQuotes> = Vec::new();
            for q in &report.quotes {
                let speaker = match (&q.speaker, &q.speaker_text) {
                    (Some(id), _) => name_of(id),
                    (None, Some(text)) => text.clone(),
                    (None, None) => "(unattributed)".to_string(),
                };
                let view = QuoteView {
                    direct: q.kind == lagebild_core::QuoteKind::Direct,
                    cue: q.cue.clone(),
                    quote: cite(&q.doc, q.start, q.end),
                };
                match groups.iter_mut().find(|g| g.speaker == speaker) {
                    Some(g) => g.quotes.push(view),
                    None => groups.push(SpeakerQuotes {
                        speaker,
                        quotes: vec![view],
                    }),
                }
            }
            groups.sort_by_key(|g| std::cmp::Reverse(g.quotes.len()));
            groups
        };

        let (contested, single): (Vec<_>, Vec<_>) = report.claims.iter().partition(|c| {
            c.stances.len() >= 2
                || c.stances
                    .iter()
                    .any(|s| matches!(s.stance, StanceKind::Deny | StanceKind::Doubt))
        });
        let claims = contested
            .into_iter()
            .map(|c| {
                let mut cells: BTreeMap<String, Vec<(StanceKind, Cite)>> = BTreeMap::new();
                for s in &c.stances {
                    let holder = match &s.holder {
                        Some(id) => holder_name(id),
                        None => s.holder_text.clone(),
                    };
                    cells
                        .entry(holder)
                        .or_default()
                        .push((s.stance, cite(&s.doc, s.start, s.end)));
                }
                ClaimRow {
                    statement: c.statement.clone(),
                    cells,
                }
            })
            .collect();

        let cluster_views: HashMap<&str, ClusterView> = report
            .clusters
            .iter()
            .map(|c| {
                (
                    c.id.as_str(),
                    ClusterView {
                        id: c.id.clone(),
                        title: c.title.clone(),
                        documents: c.documents.clone(),
                        first: c.first.map(|d| d.to_string()),
                        last: c.last.map(|d| d.to_string()),
                    },
                )
            })
            .collect();
        let mut in_story = HashSet::new();
        let mut stories: Vec<StoryView> = report
            .stories
            .iter()
            .map(|s| StoryView {
                title: s.title.clone(),
                clusters: s
                    .clusters
                    .iter()
                    .filter_map(|c| {
                        in_story.insert(c.clone());
                        cluster_views.get(c.as_str()).cloned()
                    })
                    .collect(),
            })
            .collect();
        for c in &report.clusters {
            if !in_story.contains(&c.id) {
                stories.push(StoryView {
                    title: c.title.clone(),
                    clusters: vec![cluster_views[c.id.as_str()].clone()],
                });
            }
        }

        let copies = report
            .copies
            .iter()
            .map(|g| CopyView {
                original: g.original.clone(),
                basis: g.basis,
                derived: g
                    .derived
                    .iter()
                    .map(|d| (d.doc.clone(), d.containment))
                    .collect(),
            })
            .collect();
        let mut passages: Vec<Passage> = report
            .near_duplicates
            .iter()
            .map(|n| Passage {
                a: cite(&n.a.doc, n.a.start, n.a.end),
                b: cite(&n.b.doc, n.b.start, n.b.end),
                similarity: n.similarity,
            })
            .collect();
        passages.sort_by(|a, b| b.similarity.total_cmp(&a.similarity));
        passages.truncate(PASSAGES_SHOWN);

        let sources = report
            .documents
            .iter()
            .enumerate()
            .map(|(i, d)| SourceView {
                doc: i,
                id: d.id.clone(),
                title: d.title.clone(),
                source: d.source.clone(),
                url: d.url.clone(),
                published: d.published.map(|p| p.to_string()),
                language: d.language.clone(),
                sections: d
                    .sections
                    .iter()
                    .filter(|s| s.kind != SectionKind::Report)
                    .map(|s| (s.kind, cite(&d.id, s.start, s.end)))
                    .collect(),
            })
            .collect();

        let dropped = report
            .documents
            .iter()
            .flat_map(|d| {
                d.boilerplate
                    .iter()
                    .map(|b| Dropped {
                        kind: b.kind.clone(),
                        cite: cite(&d.id, b.start, b.end),
                    })
                    .collect::<Vec<_>>()
            })
            .collect();

        Dossier {
            title,
            summary: summary(corpus),
            timeline,
            commentary,
            actors,
            quotes,
            claims,
            single_claims: single.len(),
            stories,
            copies,
            passages,
            sources,
            dropped,
        }
    }
}

/// Sort key of a TIMEX3 date value: known years first in calendar order (weeks, quarters,
/// seasons, decades placed at their start), then dates whose year is unknown by month and
/// day, then undated entries.
pub fn date_key(value: Option<&str>) -> (u8, i32, u32, u32) {
    let Some(v) = value else {
        return (3, 0, 0, 0);
    };
    let mut parts = v.splitn(3, '-');
    let head = parts.next().unwrap_or("");
    let second = parts.next().unwrap_or("");
    let day = parts
        .next()
        .and_then(|d| d.get(..2))
        .and_then(|d| d.parse::<u32>().ok())
        .unwrap_or(0);
    let year = match head.len() {
        4 => head.parse::<i32>().ok(),
        3 => head.parse::<i32>().ok().map(|decade| decade * 10),
        2 => head.parse::<i32>().ok().map(|century| century * 100),
        _ => None,
    };
    let (month, day) = match second.as_bytes() {
        b"WI" => (12, 21),
        [b'W', ..] => match (year, second[1..].parse::<i8>()) {
            (Some(y), Ok(week)) => {
                jiff::civil::ISOWeekDate::new(y as i16, week, jiff::civil::Weekday::Monday)
                    .map(|d| {
                        let date = d.date();
                        (date.month() as u32, date.day() as u32)
                    })
                    .unwrap_or((0, 0))
            }
            _ => (0, 0),
        },
        [b'Q', q] if q.is_ascii_digit() => ((u32::from(q - b'0') - 1) * 3 + 1, 0),
        [b'H', h] if h.is_ascii_digit() => ((u32::from(h - b'0') - 1) * 6 + 1, 0),
        b"SP" => (3, 20),
        b"SU" => (6, 21),
        b"FA" => (9, 22),
        _ => (second.parse::<u32>().unwrap_or(0), day),
    };
    match year {
        Some(y) => (0, y, month, day),
        None if month > 0 => (1, 0, month, day),
        None => (2, 0, 0, 0),
    }
}

/// Merges events of the same kind, date and actors reported by several articles into one
/// entry with all its sources, then orders them on the timeline.
fn merge_events(events: Vec<(TimelineEntry, Vec<String>)>) -> Vec<TimelineEntry> {
    let mut merged: Vec<(TimelineEntry, Vec<String>)> = Vec::new();
    for (entry, mut actor_ids) in events {
        actor_ids.sort();
        let same = merged.iter_mut().find(|(m, ids)| {
            m.kind == entry.kind && m.date == entry.date && !ids.is_empty() && *ids == actor_ids
        });
        match same {
            Some((m, _)) => {
                if !m.sources.iter().any(|s| s.doc == entry.sources[0].doc) {
                    m.sources.extend(entry.sources);
                }
            }
            None => merged.push((entry, actor_ids)),
        }
    }
    let mut out: Vec<TimelineEntry> = merged.into_iter().map(|(e, _)| e).collect();
    out.sort_by_key(|e| {
        (
            date_key(e.date.as_deref()),
            e.sources[0].doc,
            e.sources[0].span,
        )
    });
    out
}

/// Extractive summary: the report sentences whose words recur across the most documents,
/// without near-repeats of each other.
fn summary(corpus: &Corpus) -> Vec<Cite> {
    let words = |s: &str| -> HashSet<String> {
        s.split(|c: char| !c.is_alphanumeric())
            .filter(|w| w.chars().count() >= 4)
            .map(|w| w.to_lowercase())
            .collect()
    };
    let mut candidates: Vec<(usize, Span, HashSet<String>)> = Vec::new();
    let mut doc_freq: HashMap<String, usize> = HashMap::new();
    for (d, a) in corpus.docs.iter().enumerate() {
        let spans: Vec<Span> = if a.ann.sentences.is_empty() {
            line_spans(a.doc.text())
                .map(|r| a.doc.span_of_bytes(r))
                .collect()
        } else {
            a.ann.sentences.clone()
        };
        let mut seen = HashSet::new();
        for span in spans {
            if a.ann.is_boilerplate(span) || a.ann.section_at(span.start) != SectionKind::Report {
                continue;
            }
            let ws = words(a.doc.slice(span));
            if ws.len() < 5 {
                continue;
            }
            seen.extend(ws.iter().cloned());
            candidates.push((d, span, ws));
        }
        for w in seen {
            *doc_freq.entry(w).or_default() += 1;
        }
    }
    let score = |ws: &HashSet<String>| -> f64 {
        ws.iter().map(|w| doc_freq[w] as f64).sum::<f64>() / (ws.len() as f64).sqrt()
    };
    let mut ranked: Vec<(f64, usize)> = candidates
        .iter()
        .enumerate()
        .map(|(i, c)| (score(&c.2), i))
        .collect();
    ranked.sort_by(|a, b| b.0.total_cmp(&a.0).then(a.1.cmp(&b.1)));
    let mut chosen: Vec<usize> = Vec::new();
    for (_, i) in ranked {
        let ws = &candidates[i].2;
        let repeats = chosen.iter().any(|&j| {
            let other = &candidates[j].2;
            let shared = ws.intersection(other).count();
            shared as f64 / ws.len().min(other.len()) as f64 > 0.5
        });
        if !repeats {
            chosen.push(i);
        }
        if chosen.len() == SUMMARY_SENTENCES {
            break;
        }
    }
    chosen.sort();
    chosen
        .into_iter()
        .map(|i| {
            let (d, span, _) = &candidates[i];
            Cite {
                doc: *d,
                doc_id: corpus.docs[*d].doc.id().to_string(),
                span: *span,
                text: corpus.docs[*d].doc.slice(*span).to_string(),
            }
        })
        .collect()
}

/// Byte ranges of the non-blank lines of a text, trimmed.
fn line_spans(text: &str) -> impl Iterator<Item = std::ops::Range<usize>> + '_ {
    let mut offset = 0;
    text.split_inclusive('\n').filter_map(move |line| {
        let start = offset;
        offset += line.len();
        let trimmed = line.trim();
        if trimmed.is_empty() {
            return None;
        }
        let lead = line.len() - line.trim_start().len();
        Some(start + lead..start + lead + trimmed.len())
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn partial_dates_sort_after_known_years() {
        let mut values = vec![
            None,
            Some("XXXX-09-22"),
            Some("2023-09-20"),
            Some("XXXX-09-20"),
            Some("2022"),
            Some("2023-W38"),
            Some("199"),
            Some("2023-WI"),
        ];
        values.sort_by_key(|v| date_key(*v));
        assert_eq!(
            values,
            vec![
                Some("199"),
                Some("2022"),
                Some("2023-W38"),
                Some("2023-09-20"),
                Some("2023-WI"),
                Some("XXXX-09-20"),
                Some("XXXX-09-22"),
                None
            ]
        );
    }

    #[test]
    fn line_spans_trim_and_skip_blank_lines() {
        let text = "  Erste Zeile \n\nZweite";
        let spans: Vec<&str> = line_spans(text).map(|r| &text[r]).collect();
        assert_eq!(spans, ["Erste Zeile", "Zweite"]);
    }
}
