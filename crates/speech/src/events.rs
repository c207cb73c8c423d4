//! Typed events (meet, phone_call, deny, attack, …) from the language's trigger lexicon, with
//! actors, participants, the date of the time stage and the sentence as evidence.

use crate::claims::{claim_words, class, negated_at, ClaimWords};
use crate::lexicon::{self, Form};
use crate::text::View;
use lagebild_core::{
    Annotations, DateSource, Document, DocumentStage, EntityKind, Event, Evidence, SectionKind,
    Span,
};
use std::ops::Range;

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
const QUOTE_MARKS: &[&str] = &["„", "“", "”", "\"", "»", "«", "‚", "‘"];

impl DocumentStage for EventExtractor {
    fn name(&self) -> &'static str {
        "events"
    }

    fn annotate(&self, doc: &Document, ann: &mut Annotations) {
        let lex = lexicon::get(doc.language());
        let words = claim_words(doc.language());
        let view = View::new(doc, ann);
        let boundary = |k: usize| clause_boundary(&view, words, k);
        // Mentions by first token and timexes by start, so each sentence finds its own by
        // binary search and long documents stay linear.
        let mut names: Vec<(usize, usize)> = ann
            .mentions
            .iter()
            .enumerate()
            .filter(|(_, m)| m.kind != EntityKind::Other)
            .map(|(m, x)| {
                let bytes = doc.index().bytes(x.span);
                (view.toks.partition_point(|t| t.end <= bytes.start), m)
            })
            .collect();
        names.sort_unstable();
        let mut timexes: Vec<usize> = (0..ann.timexes.len()).collect();
        timexes.sort_by_key(|&t| ann.timexes[t].span.start);
        let mut events = Vec::new();
        for sent in &view.sents {
            if sent.is_empty() {
                continue;
            }
            let span = view.span(sent.start, sent.end);
            if ann.is_boilerplate(span) {
                continue;
            }
            // Triggers that happened: a negated verb ("dementierte … nicht") or a noun after
            // "kein" ("kein Treffen") reports that the event did not take place.
            let found: Vec<(usize, &Form)> = sent
                .clone()
                .filter_map(|i| Some((i, trigger(&view, lex.event(view.lower(i)), i, sent.end)?)))
                .filter(|&(i, form)| {
                    if form.noun {
                        !(i.saturating_sub(2)..i).any(|k| words.is(view.lower(k), class::POLAR))
                    } else {
                        !negated_at(words, &view, i, boundary)
                    }
                })
                .collect();
            // A noun after a verb trigger is its object ("wies die Vorwürfe zurück"), and so is
            // any noun in a sentence whose verb reacts to it (denies or confirms "die Vorwürfe").
            let reaction = found
                .iter()
                .any(|(_, f)| !f.noun && matches!(f.kind, "deny" | "confirm"));
            let mut kinds: Vec<&str> = Vec::new();
            let mut verb_seen = false;
            let mut date = None;
            for (i, form) in found {
                if kinds.contains(&form.kind) || form.noun && (verb_seen || reaction) {
                    continue;
                }
                verb_seen |= !form.noun;
                kinds.push(form.kind);
                let trigger_span = view.span(i, i + 1);
                let (actors, participants) = roles_of(&view, words, &names, sent.clone(), i);
                let (date, date_source) = date
                    .get_or_insert_with(|| sentence_date(doc, ann, &timexes, span))
                    .clone();
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
    // Quotation marks stay inside the clause ("wies … als „absurd“ zurück").
    let clause_end = (i + 1..end.min(i + MAX_CLAUSE))
        .find(|&k| !view.toks[k].word && !QUOTE_MARKS.contains(&view.lower(k)))
        .unwrap_or(end.min(i + MAX_CLAUSE));
    let last_word = (i + 1..clause_end).rev().find(|&k| view.toks[k].word);
    let fits = |f: &&Form| match (f.needs_particle, f.particle) {
        (true, Some(p)) => last_word.is_some_and(|k| view.lower(k) == p),
        _ => true,
    };
    // "Treffen" is the noun, "treffen" the verb.
    let cap = view.toks[i].cap;
    forms
        .iter()
        .filter(fits)
        .find(|f| f.noun == cap)
        .or_else(|| forms.iter().find(fits))
}

/// The date of a sentence's events from the time stage, given only that sentence and its
/// temporal expressions, so the cost does not grow with the length of the document.
fn sentence_date(
    doc: &Document,
    ann: &Annotations,
    timexes: &[usize],
    span: Span,
) -> (Option<String>, DateSource) {
    // The segmenter's sentence, or our own when there is none.
    let k = ann.sentences.partition_point(|s| s.end <= span.start);
    let sentence = ann
        .sentences
        .get(k)
        .filter(|s| s.start <= span.start)
        .copied()
        .unwrap_or(span);
    let first = timexes.partition_point(|&t| ann.timexes[t].span.start < sentence.start);
    let local = Annotations {
        sentences: vec![sentence],
        timexes: timexes[first..]
            .iter()
            .take_while(|&&t| ann.timexes[t].span.start < sentence.end)
            .map(|&t| ann.timexes[t].clone())
            .collect(),
        ..Annotations::default()
    };
    lagebild_time::event_date(doc, &local, span)
}

/// Whether token `k` ends a clause: punctuation, a subordinator or a coordinating conjunction.
fn clause_boundary(view: &View, words: &ClaimWords, k: usize) -> bool {
    let t = &view.toks[k];
    if t.word {
        words.is(&t.lower, class::CLAUSE | class::CONJ)
    } else {
        matches!(
            t.lower.as_str(),
            "," | ";" | ":" | "." | "!" | "?" | "(" | ")"
        )
    }
}

/// Actors: the names of the trigger's clause before it (the subject side), else the first
/// name after it; a name after a preposition ("in Tokio", "mit Selenskyj") is a place or a
/// partner, an actor only when no other name is. Participants: the other names of the sentence.
fn roles_of(
    view: &View,
    words: &ClaimWords,
    names: &[(usize, usize)],
    sent: Range<usize>,
    trigger: usize,
) -> (Vec<usize>, Vec<usize>) {
    let clause_start = (sent.start..trigger)
        .rev()
        .find(|&k| {
            !view.toks[k].word && !matches!(view.lower(k), "-" | "„" | "“" | "\"" | "»" | "«")
        })
        .map_or(sent.start, |k| k + 1);
    let first = names.partition_point(|&(t, _)| t < sent.start);
    let inside: Vec<(usize, usize)> = names[first..]
        .iter()
        .take_while(|&&(t, _)| t < sent.end)
        .map(|&(t, m)| (m, t))
        .collect();
    let tok_of = |m: usize| inside.iter().find(|&&(x, _)| x == m).map_or(0, |&(_, t)| t);
    let after_prep = |m: usize| {
        let t = tok_of(m);
        t > sent.start && words.is(view.lower(t - 1), class::PREP)
    };
    let before = |free: bool| -> Vec<usize> {
        inside
            .iter()
            .filter(|&&(m, t)| t >= clause_start && t < trigger && (!free || !after_prep(m)))
            .map(|&(m, _)| m)
            .collect()
    };
    let after = |free: bool| {
        inside
            .iter()
            .find(|&&(m, t)| t > trigger && (!free || !after_prep(m)))
            .map(|&(m, _)| m)
    };
    // Failing a free name, the place in the subject stands for it ("ein Sprecher der
    // Regierung in Minsk wies … zurück").
    let mut actors = before(true);
    if actors.is_empty() {
        actors.extend(after(true));
    }
    if actors.is_empty() {
        actors = before(false);
    }
    let participants = inside
        .into_iter()
        .map(|(m, _)| m)
        .filter(|m| !actors.contains(m))
        .collect();
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

    fn kinds_and_actors(text: &str, names: &[(&str, EntityKind)]) -> Vec<(String, Vec<String>)> {
        let doc = Document::from_text("t", text);
        let mut ann = Annotations {
            mentions: names.iter().map(|&(n, k)| mention(text, n, k)).collect(),
            ..Annotations::default()
        };
        ann.mentions.sort_by_key(|m| m.span);
        EventExtractor::new().annotate(&doc, &mut ann);
        assert_evidence(&doc, &ann);
        ann.events
            .iter()
            .map(|e| {
                let actors = e.actors.iter().map(|&a| ann.mentions[a].text.clone());
                (e.kind.clone(), actors.collect())
            })
            .collect()
    }

    #[test]
    fn reactions_are_not_what_they_react_to() {
        let loc = EntityKind::Location;
        assert_eq!(
            kinds_and_actors(
                "Belgrad hat diese Vorwürfe jedoch als „haltlos“ zurückgewiesen.",
                &[("Belgrad", loc)]
            ),
            [("deny".to_string(), vec!["Belgrad".to_string()])]
        );
        assert_eq!(
            kinds_and_actors(
                "Wien bestätigte die Berichte über ein Abkommen.",
                &[("Wien", loc)]
            ),
            [("confirm".to_string(), vec!["Wien".to_string()])]
        );
    }

    #[test]
    fn negated_triggers_are_no_events() {
        let loc = EntityKind::Location;
        let none: [(String, Vec<String>); 0] = [];
        assert_eq!(
            kinds_and_actors(
                "Der Präsident dementierte die Informationen unterdessen nicht und schwieg.",
                &[]
            ),
            none
        );
        assert_eq!(
            kinds_and_actors(
                "Es gab kein Treffen zwischen Rom und Bern.",
                &[("Rom", loc), ("Bern", loc)]
            ),
            none
        );
        assert_eq!(
            kinds_and_actors(
                "Rom hat nicht nur die Vorwürfe zurückgewiesen, sondern auch geklagt.",
                &[("Rom", loc)]
            ),
            [("deny".to_string(), vec!["Rom".to_string()])]
        );
    }

    #[test]
    fn places_and_partners_are_not_actors() {
        let per = EntityKind::Person;
        let loc = EntityKind::Location;
        assert_eq!(
            kinds_and_actors(
                "In Genf traf Anna Berg am Montag Jan Holm.",
                &[("Genf", loc), ("Anna Berg", per), ("Jan Holm", per)]
            ),
            [("meet".to_string(), vec!["Anna Berg".to_string()])]
        );
        assert_eq!(
            kinds_and_actors(
                "Lissabon und Madrid werfen Rabat vor, Grenzen zu verletzen.",
                &[("Lissabon", loc), ("Madrid", loc), ("Rabat", loc)]
            ),
            [(
                "accuse".to_string(),
                vec!["Lissabon".to_string(), "Madrid".to_string()]
            )]
        );
    }
}
