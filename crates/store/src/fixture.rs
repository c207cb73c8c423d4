//! A small deterministic analyzer for tests of the store and server (feature `fixture`):
//! the real stages are being written by others and their output changes; tests of
//! persistence, search and rendering need annotations of every kind that stay put.

use crate::Analyzer;
use lagebild_core::{
    Anchoring, Cluster, Corpus, CorpusStage, DateSource, Document, DocumentStage, Entity,
    EntityKind, Event, Evidence, Mention, Quote, QuoteKind, Story, Timex, TimexType,
};
use lagebild_pipeline::Pipeline;
use std::ops::Range;

/// Names the fixture recognises as persons.
pub const PERSONS: &[&str] = &["Putin", "Kim", "Schoigu", "Peskow"];

/// Tokens, sentences, person mentions from [`PERSONS`], `22. September` timexes, quotes in
/// „…“ with the first person after them as speaker, and a `meet` event for sentences with "traf".
pub struct FixtureAnnotator;

fn byte_spans(text: &str, pat: &str) -> Vec<(usize, usize)> {
    text.match_indices(pat)
        .map(|(i, m)| (i, i + m.len()))
        .collect()
}

impl DocumentStage for FixtureAnnotator {
    fn name(&self) -> &'static str {
        "fixture"
    }

    fn annotate(&self, doc: &Document, ann: &mut lagebild_core::Annotations) {
        let text = doc.text();
        let mut start = None;
        for (i, c) in text.char_indices() {
            match (c.is_whitespace(), start) {
                (false, None) => start = Some(i),
                (true, Some(s)) => {
                    ann.tokens.push(doc.span_of_bytes(s..i));
                    start = None;
                }
                _ => {}
            }
        }
        if let Some(s) = start {
            ann.tokens.push(doc.span_of_bytes(s..text.len()));
        }
        let mut s = 0;
        let mut prev = ' ';
        for (i, c) in text.char_indices() {
            let end = c == '\n' || (c == '.' && !prev.is_ascii_digit());
            prev = c;
            if end {
                if i + 1 > s + 1 {
                    ann.sentences.push(doc.span_of_bytes(s..i + 1));
                }
                s = i + 1;
            }
        }
        for name in PERSONS {
            for (a, b) in byte_spans(text, name) {
                let span = doc.span_of_bytes(a..b);
                ann.mentions.push(Mention {
                    span,
                    text: doc.slice(span).to_string(),
                    kind: EntityKind::Person,
                    entity: None,
                });
            }
        }
        ann.mentions.sort_by_key(|m| m.span);
        for (a, b) in byte_spans(text, "22. September") {
            let span = doc.span_of_bytes(a..b);
            ann.timexes.push(Timex {
                span,
                text: doc.slice(span).to_string(),
                kind: TimexType::Date,
                value: "XXXX-09-22".into(),
                modifier: None,
                anchoring: Anchoring::Unanchored,
            });
        }
        for (open, _) in text.match_indices('„') {
            let Some(len) = text[open..].find('“') else {
                continue;
            };
            let close = open + len + '“'.len_utf8();
            let span = doc.span_of_bytes(open..close);
            let speaker = ann
                .mentions
                .iter()
                .enumerate()
                .find(|(_, m)| m.span.start >= span.end);
            ann.quotes.push(Quote {
                span,
                text: doc.slice(span).to_string(),
                kind: QuoteKind::Direct,
                speaker: speaker.map(|(_, m)| Evidence {
                    span: m.span,
                    text: m.text.clone(),
                }),
                speaker_mention: speaker.map(|(i, _)| i),
                cue: None,
                addressee: None,
            });
        }
        for sentence in ann.sentences.clone() {
            let bytes = doc.index().bytes(sentence);
            let Some(t) = text[bytes.clone()].find("traf") else {
                continue;
            };
            let trigger = doc.span_of_bytes(bytes.start + t..bytes.start + t + 4);
            let actors = ann
                .mentions
                .iter()
                .enumerate()
                .filter(|(_, m)| sentence.contains(m.span))
                .map(|(i, _)| i)
                .collect();
            let date = ann
                .timexes
                .iter()
                .find(|t| sentence.contains(t.span))
                .map(|t| t.value.clone());
            ann.events.push(Event {
                span: sentence,
                text: doc.slice(sentence).to_string(),
                kind: "meet".into(),
                trigger: Evidence {
                    span: trigger,
                    text: doc.slice(trigger).to_string(),
                },
                actors,
                participants: Vec::new(),
                date_source: if date.is_some() {
                    DateSource::Timex
                } else {
                    DateSource::Unknown
                },
                date,
                factual: true,
            });
        }
    }
}

/// One entity per distinct mention text; all documents in one cluster and one story.
pub struct FixtureCorpus;

impl CorpusStage for FixtureCorpus {
    fn name(&self) -> &'static str {
        "fixture-corpus"
    }

    fn update(&mut self, corpus: &mut Corpus, added: Range<usize>) {
        for d in added {
            for m in 0..corpus.docs[d].ann.mentions.len() {
                let name = corpus.docs[d].ann.mentions[m].text.clone();
                let e = match corpus.entities.iter().position(|e| e.name == name) {
                    Some(e) => e,
                    None => {
                        corpus.entities.push(Entity {
                            kind: EntityKind::Person,
                            name,
                            aliases: Vec::new(),
                            roles: Vec::new(),
                            wikipedia: None,
                            mentions: Vec::new(),
                            refers_to: None,
                        });
                        corpus.entities.len() - 1
                    }
                };
                corpus.entities[e].mentions.push((d, m));
                corpus.docs[d].ann.mentions[m].entity = Some(e);
            }
            if corpus.clusters.is_empty() {
                corpus.clusters.push(Cluster {
                    documents: Vec::new(),
                    title: "Treffen in Moskau".into(),
                    first: None,
                    last: None,
                });
                corpus.stories.push(Story {
                    clusters: vec![0],
                    title: "Treffen in Moskau".into(),
                });
            }
            corpus.clusters[0].documents.push(d);
        }
    }
}

/// The fixture analyzer, as `Store::open_with` wants it.
pub fn analyzer() -> Box<dyn Analyzer> {
    Box::new(Pipeline::new(
        vec![Box::new(FixtureAnnotator)],
        vec![Box::new(FixtureCorpus)],
    ))
}
