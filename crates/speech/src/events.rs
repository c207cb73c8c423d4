//! Typed events (meet, phone_call, deny, attack, …) from the language's trigger lexicon, with
//! actors, participants, the date of the time stage and the sentence as evidence.

use crate::lexicon::{self, Form};
use crate::text::View;
use lagebild_core::{
    Annotations, Document, DocumentStage, EntityKind, Event, Evidence, SectionKind,
};

/// Finds typed events with actors and dates.
#[derive(Debug, Default)]
pub struct EventExtractor;

impl EventExtractor {
    pub fn new() -> Self {
        EventExtractor
    }
}

/// Longest stretch searched for a separated particle ("wies … zurück").
const MAX_CLAUSE: usize = 40;

impl DocumentStage for EventExtractor {
    fn name(&self) -> &'static str {
        "events"
    }

    fn annotate(&self, doc: &Document, ann: &mut Annotations) {
        let lex = lexicon::get(doc.language());
        let view = View::new(doc, ann);
        let mut events = Vec::new();
        for sent in &view.sents {
            if sent.is_empty() {
                continue;
            }
            let span = view.span(sent.start, sent.end);
            if ann.is_boilerplate(span) {
                continue;
            }
            let mut kinds: Vec<&str> = Vec::new();
            let mut verb_seen = false;
            for i in sent.clone() {
                let Some(form) = trigger(&view, lex.event(view.lower(i)), i, sent.end) else {
                    continue;
                };
                // A noun after a verb trigger is its object ("wies die Vorwürfe zurück").
                if kinds.contains(&form.kind) || form.noun && verb_seen {
                    continue;
                }
                verb_seen |= !form.noun;
                kinds.push(form.kind);
                let trigger_span = view.span(i, i + 1);
                let (actors, participants) = roles_of(ann, span, trigger_span.start);
                let (date, date_source) = lagebild_time::event_date(doc, ann, span);
                let section = ann.section_at(trigger_span.start);
                events.push(Event {
                    span,
                    text: doc.slice(span).to_string(),
                    kind: form.kind.to_string(),
                    trigger: Evidence {
                        span: trigger_span,
                        text: doc.slice(trigger_span).to_string(),
                    },
                    actors,
                    participants,
                    date,
                    date_source,
                    factual: !matches!(section, SectionKind::Opinion | SectionKind::Background),
                });
            }
        }
        ann.events = events;
    }
}

/// The event reading of token `i`: a separable verb counts only with its particle closing the clause.
fn trigger<'f>(view: &View, forms: &'f [Form], i: usize, end: usize) -> Option<&'f Form> {
    let clause_end = (i + 1..end.min(i + MAX_CLAUSE))
        .find(|&k| !view.toks[k].word)
        .unwrap_or(end.min(i + MAX_CLAUSE));
    forms.iter().find(|f| match (f.needs_particle, f.particle) {
        (true, Some(p)) => clause_end > i + 1 && view.lower(clause_end - 1) == p,
        _ => true,
    })
}

/// Actors: names before the trigger (the subject side), else the first after it;
/// participants: the other names of the sentence.
fn roles_of(
    ann: &Annotations,
    sentence: lagebild_core::Span,
    trigger: usize,
) -> (Vec<usize>, Vec<usize>) {
    let inside: Vec<usize> = ann
        .mentions
        .iter()
        .enumerate()
        .filter(|(_, m)| sentence.contains(m.span) && m.kind != EntityKind::Other)
        .map(|(i, _)| i)
        .collect();
    let mut actors: Vec<usize> = inside
        .iter()
        .copied()
        .filter(|&m| ann.mentions[m].span.end <= trigger)
        .collect();
    if actors.is_empty() {
        actors.extend(
            inside
                .iter()
                .copied()
                .find(|&m| ann.mentions[m].span.start > trigger),
        );
    }
    let participants = inside.into_iter().filter(|m| !actors.contains(m)).collect();
    (actors, participants)
}

#[cfg(test)]
mod tests {
    use super::*;
    use lagebild_core::evidence::assert_evidence;
    use lagebild_core::{Mention, Section, Span};

    fn mention(text: &str, name: &str, kind: EntityKind) -> Mention {
        let b = text.find(name).unwrap();
        let start = text[..b].chars().count();
        Mention {
            span: Span::new(start, start + name.chars().count()),
            text: name.into(),
            kind,
            entity: None,
        }
    }

    #[test]
    fn typed_events_with_actors_and_separable_triggers() {
        let text = "Kim Jong Un traf am Dienstag Sergej Schoigu in Pjöngjang. Moskau wies die Vorwürfe zurück. Er gab einen Ball zurück.";
        let doc = Document::from_text("t", text);
        let mut ann = Annotations {
            mentions: vec![
                mention(text, "Kim Jong Un", EntityKind::Person),
                mention(text, "Sergej Schoigu", EntityKind::Person),
                mention(text, "Pjöngjang", EntityKind::Location),
                mention(text, "Moskau", EntityKind::Location),
            ],
            ..Annotations::default()
        };
        EventExtractor::new().annotate(&doc, &mut ann);
        assert_evidence(&doc, &ann);
        let kinds: Vec<&str> = ann.events.iter().map(|e| e.kind.as_str()).collect();
        assert_eq!(kinds, ["meet", "deny"]);
        assert_eq!(ann.events[0].actors, [0]);
        assert_eq!(ann.events[0].participants, [1, 2]);
        assert_eq!(ann.events[0].trigger.text, "traf");
        assert_eq!(ann.events[1].actors, [3]);
        assert!(ann.events.iter().all(|e| e.factual));
    }

    #[test]
    fn opinion_sections_are_not_facts() {
        let text = "Kommentar: Die Regierung verhängte Sanktionen.";
        let doc = Document::from_text("t", text);
        let mut ann = Annotations::default();
        ann.sections.push(Section {
            span: Span::new(0, doc.len_chars()),
            kind: SectionKind::Opinion,
        });
        EventExtractor::new().annotate(&doc, &mut ann);
        assert_evidence(&doc, &ann);
        assert_eq!(ann.events.len(), 1);
        assert_eq!(ann.events[0].kind, "sanction");
        assert!(!ann.events[0].factual);
    }
}
