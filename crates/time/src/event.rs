//! Dates for events: the temporal expression governing an event's clause or sentence.

use lagebild_core::{Annotations, DateSource, Document, Span, TimexType};

/// Characters that end a clause inside a sentence. A rough cut, but it keeps a date in a
/// subordinate clause ("…, nachdem am Montag …") from governing the main clause first.
const CLAUSE_BREAKS: &[char] = &[',', ';', ':', '–', '—', '(', ')'];

/// The date of an event at `span`: the value of the date expression in the same clause,
/// else in the same sentence (the nearest preceding one first, then the nearest following),
/// else the publication date, else nothing.
///
/// Vague references (`PAST_REF`, …) do not govern: they would place an event nowhere.
///
/// Sentences and timexes are sorted by position (as the segment and time stages give them), so
/// the lookup is logarithmic: callers may ask for every event of a long document.
pub fn event_date(doc: &Document, ann: &Annotations, span: Span) -> (Option<String>, DateSource) {
    let at = ann.sentences.partition_point(|s| s.end <= span.start);
    let sentence = ann
        .sentences
        .get(at)
        .copied()
        .filter(|s| s.start <= span.start)
        .unwrap_or_else(|| Span::new(0, doc.len_chars()));
    let first = ann
        .timexes
        .partition_point(|t| t.span.start < sentence.start);
    let dates: Vec<_> = ann.timexes[first..]
        .iter()
        .take_while(|t| t.span.start < sentence.end)
        .filter(|t| t.kind == TimexType::Date || t.kind == TimexType::Time)
        .filter(|t| sentence.contains(t.span) && !t.value.ends_with("_REF"))
        .filter(|t| {
            t.value
                .bytes()
                .next()
                .is_some_and(|b| b.is_ascii_digit() || b == b'X' || b == b'B')
        })
        .collect();
    let clause = clause_around(doc, sentence, span);
    let nearest = |within: Span| {
        let inside = || dates.iter().filter(move |t| within.contains(t.span));
        inside()
            .filter(|t| t.span.end <= span.start)
            .max_by_key(|t| t.span.end)
            .or_else(|| {
                inside()
                    .filter(|t| t.span.end > span.start)
                    .min_by_key(|t| t.span.start)
            })
            .map(|t| date_part(&t.value))
    };
    if let Some(v) = nearest(clause).or_else(|| nearest(sentence)) {
        return (Some(v), DateSource::Timex);
    }
    match doc.meta.published {
        Some(d) => (Some(d.to_string()), DateSource::Published),
        None => (None, DateSource::Unknown),
    }
}

/// A time value (`2023-09-22T14:00`) places an event on its day.
fn date_part(value: &str) -> String {
    value.split('T').next().unwrap_or(value).to_string()
}

/// The clause of `sentence` that holds `span`, cut at [`CLAUSE_BREAKS`].
fn clause_around(doc: &Document, sentence: Span, span: Span) -> Span {
    let text = doc.slice(sentence);
    let offset = span.start.saturating_sub(sentence.start);
    let mut start = 0;
    let mut end = sentence.len();
    for (i, c) in text.chars().enumerate() {
        if CLAUSE_BREAKS.contains(&c) {
            if i < offset {
                start = i + 1;
            } else if i >= offset.max(span.end.saturating_sub(sentence.start)) {
                end = i;
                break;
            }
        }
    }
    Span::new(sentence.start + start, sentence.start + end.max(start))
}

#[cfg(test)]
mod tests {
    use super::*;
    use lagebild_core::{Anchoring, Timex};

    fn timex(doc: &Document, start: usize, end: usize, value: &str) -> Timex {
        let span = Span::new(start, end);
        Timex {
            span,
            text: doc.slice(span).to_string(),
            kind: TimexType::Date,
            value: value.into(),
            modifier: None,
            anchoring: Anchoring::Absolute,
        }
    }

    #[test]
    fn same_clause_wins_over_sentence() {
        let text = "Am 3. Mai trafen sie sich, nachdem er am 1. Mai angerufen hatte.";
        let doc = Document::from_text("d", text);
        let mut ann = Annotations::default();
        ann.sentences.push(Span::new(0, doc.len_chars()));
        ann.timexes.push(timex(&doc, 3, 9, "2023-05-03"));
        ann.timexes.push(timex(&doc, 41, 47, "2023-05-01"));
        let call = text.find("angerufen").unwrap();
        assert_eq!(
            event_date(&doc, &ann, Span::new(call, call + 9)),
            (Some("2023-05-01".into()), DateSource::Timex)
        );
        let meet = text.find("trafen").unwrap();
        assert_eq!(
            event_date(&doc, &ann, Span::new(meet, meet + 6))
                .0
                .as_deref(),
            Some("2023-05-03")
        );
    }

    #[test]
    fn falls_back_to_publication_then_unknown() {
        let mut doc = Document::from_text("d", "Sie trafen sich. Am 3. Mai regnete es.");
        let mut ann = Annotations {
            sentences: vec![Span::new(0, 16), Span::new(17, 38)],
            ..Annotations::default()
        };
        ann.timexes.push(timex(&doc, 20, 26, "XXXX-05-03"));
        assert_eq!(
            event_date(&doc, &ann, Span::new(4, 10)),
            (None, DateSource::Unknown)
        );
        doc.meta.published = Some(jiff::civil::date(2023, 5, 4));
        assert_eq!(
            event_date(&doc, &ann, Span::new(4, 10)),
            (Some("2023-05-04".into()), DateSource::Published)
        );
        assert_eq!(
            event_date(&doc, &ann, Span::new(27, 34)).0.as_deref(),
            Some("XXXX-05-03")
        );
    }
}
