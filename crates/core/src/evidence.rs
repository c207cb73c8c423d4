//! The evidence invariant: every reported span's text equals the document text at its offsets.
//! Every stage's tests call [`assert_evidence`] on what they produce.

use crate::annotation::{Annotations, Evidence};
use crate::document::Document;
use crate::text::Span;

/// All violations of the invariant in one document's annotations, one message each.
pub fn violations(doc: &Document, ann: &Annotations) -> Vec<String> {
    let n = doc.len_chars();
    let mut errors = Vec::new();
    let mut span = |what: &str, span: Span, text: Option<&str>| {
        if span.start > span.end || span.end > n {
            errors.push(format!(
                "{}: {what} span {}..{} outside text of {n} chars",
                doc.id(),
                span.start,
                span.end
            ));
        } else if let Some(text) = text {
            let actual = doc.slice(span);
            if actual != text {
                errors.push(format!(
                    "{}: {what} {}..{} is {actual:?}, reported {text:?}",
                    doc.id(),
                    span.start,
                    span.end
                ));
            }
        }
    };
    for b in &ann.boilerplate {
        span("boilerplate", b.span, None);
    }
    for s in &ann.sections {
        span("section", s.span, None);
    }
    for t in &ann.tokens {
        span("token", *t, None);
    }
    for s in &ann.sentences {
        span("sentence", *s, None);
    }
    for m in &ann.mentions {
        span("mention", m.span, Some(&m.text));
    }
    for r in &ann.roles {
        span("role", r.span, Some(&r.text));
    }
    for t in &ann.timexes {
        span("timex", t.span, Some(&t.text));
    }
    let mut evidence = |what: &str, e: &Option<Evidence>| {
        if let Some(e) = e {
            span(what, e.span, Some(&e.text));
        }
    };
    for q in &ann.quotes {
        evidence("quote speaker", &q.speaker);
        evidence("quote cue", &q.cue);
        evidence("quote addressee", &q.addressee);
    }
    for e in &ann.events {
        evidence("event trigger", &Some(e.trigger.clone()));
    }
    for q in &ann.quotes {
        span("quote", q.span, Some(&q.text));
    }
    for e in &ann.events {
        span("event", e.span, Some(&e.text));
    }
    let mentions = ann.mentions.len();
    for r in &ann.roles {
        if r.mention >= mentions {
            errors.push(format!(
                "{}: role points at missing mention {}",
                doc.id(),
                r.mention
            ));
        }
    }
    errors
}

/// Panics with every violation listed; for tests.
pub fn assert_evidence(doc: &Document, ann: &Annotations) {
    let errors = violations(doc, ann);
    assert!(
        errors.is_empty(),
        "evidence invariant violated:\n{}",
        errors.join("\n")
    );
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::annotation::{EntityKind, Mention};

    #[test]
    fn catches_a_shifted_span() {
        let doc = Document::from_text("d", "Präsident Putin sagte");
        let mut ann = Annotations::default();
        ann.mentions.push(Mention {
            span: Span::new(10, 15),
            text: "Putin".into(),
            kind: EntityKind::Person,
            entity: None,
        });
        assert!(violations(&doc, &ann).is_empty());
        ann.mentions[0].span = Span::new(11, 16);
        assert_eq!(violations(&doc, &ann).len(), 1);
    }
}
