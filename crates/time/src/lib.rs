//! Finds German temporal expressions and gives them TIMEX3 values, anchored to the
//! publication date (news) or to the last date the text mentioned (narratives).
//!
//! The rules are data (`lang/<code>/time-words.tsv`, `time-rules.tsv`); this crate only
//! knows how to match them and how to compute calendar values from what they capture.
//! Weekdays without a date resolve to the most recent such day on or before the anchor,
//! or to the next one on or after it when the sentence speaks of the future.

mod eval;
mod event;
mod grammar;
mod resolve;

pub use event::event_date;

use grammar::Op;
use lagebild_core::eval::Task;
use lagebild_core::{Annotations, Document, DocumentStage, Span, Timex, TimexType};
use resolve::Context;

/// Finds temporal expressions and gives them TIMEX3 values.
#[derive(Debug, Default)]
pub struct TemporalTagger;

impl TemporalTagger {
    pub fn new() -> Self {
        TemporalTagger
    }
}

impl DocumentStage for TemporalTagger {
    fn name(&self) -> &'static str {
        "time"
    }

    fn annotate(&self, doc: &Document, ann: &mut Annotations) {
        ann.timexes = tag(doc, &ann.sentences);
    }
}

/// Bytes either side of an expression searched for future-tense words when the sentence is
/// unknown or very long.
const TENSE_WINDOW: usize = 200;

/// All temporal expressions of a document, sorted by position.
fn tag(doc: &Document, sentences: &[Span]) -> Vec<Timex> {
    let Some(grammar) = grammar::grammar(doc.language()) else {
        return Vec::new();
    };
    let text = doc.text();
    let mut ctx = Context::new(doc.meta.published);
    let mut out = Vec::new();
    for c in grammar.candidates(text) {
        let rule = &grammar.rules[c.rule];
        ctx.future = grammar.is_future(tense_window(doc, sentences, c.bytes.clone()));
        // A date after "seit" starts a lasting state: no step of the narrative.
        let from = (c.bytes.start.saturating_sub(16)..c.bytes.start)
            .find(|&i| text.is_char_boundary(i))
            .unwrap_or(c.bytes.start);
        let anchors = matches!(rule.kind, TimexType::Date | TimexType::Time)
            && !grammar.is_since(&text[from..c.bytes.start]);
        let mut hint = None;
        // In a range the side that names more lends what the other lacks ("3. bis 5. Mai").
        let parts = if rule.op == Op::Range {
            lend_fields(c.parts)
        } else {
            c.parts
        };
        for part in &parts {
            let Some(r) = ctx.resolve(rule.op, part, hint) else {
                continue;
            };
            hint = resolve::Mentioned::parse(&r.value).map(|m| m.year);
            if anchors {
                ctx.mention(&r.value, r.anchoring);
            }
            let span = doc.span_of_bytes(part.bytes.clone());
            out.push(Timex {
                span,
                text: doc.slice(span).to_string(),
                kind: rule.kind,
                value: r.value,
                modifier: r.modifier,
                anchoring: r.anchoring,
            });
        }
    }
    out.sort_by_key(|t| (t.span.start, t.span.end));
    out
}

/// Copies month, year and era from the side of a range that has them to the side that
/// does not.
fn lend_fields(mut parts: Vec<grammar::Expression<'_>>) -> Vec<grammar::Expression<'_>> {
    if parts.len() != 2 {
        return parts;
    }
    let lacks_year = |e: &grammar::Expression| !e.has("year") && !e.has("yy");
    let lend_year = lacks_year(&parts[0]) && !lacks_year(&parts[1]);
    for name in ["month", "year", "bc"] {
        if name == "year" && !lend_year {
            continue;
        }
        if let Some(f) = parts[1].get(name).cloned() {
            if !parts[0].has(name) {
                parts[0].fields.push(f);
            }
        }
    }
    parts
}

/// The text to look for tense in: the expression's sentence, cut to a window around it.
fn tense_window<'t>(
    doc: &'t Document,
    sentences: &[Span],
    bytes: std::ops::Range<usize>,
) -> &'t str {
    let text = doc.text();
    let at = doc.index().char(bytes.start);
    let (mut start, mut end) = (
        bytes.start.saturating_sub(TENSE_WINDOW),
        (bytes.end + TENSE_WINDOW).min(text.len()),
    );
    let i = sentences.partition_point(|s| s.end <= at);
    let known = sentences.get(i).filter(|s| s.start <= at);
    if let Some(s) = known {
        start = start.max(doc.index().byte(s.start));
        end = end.min(doc.index().byte(s.end));
    }
    while !text.is_char_boundary(start) {
        start += 1;
    }
    while !text.is_char_boundary(end) {
        end -= 1;
    }
    let (start, end) = (start.min(bytes.start), end.max(bytes.end.min(text.len())));
    if known.is_some() {
        return &text[start..end];
    }
    // No sentences: stop at the nearest sentence ends on either side.
    let before = &text[start..bytes.start];
    let after = &text[bytes.end.min(end)..end];
    let from = SENTENCE_END
        .iter()
        .filter_map(|p| before.rfind(p))
        .max()
        .map_or(start, |i| start + i + 2);
    let to = SENTENCE_END
        .iter()
        .filter_map(|p| after.find(p))
        .min()
        .map_or(end, |i| bytes.end + i);
    &text[from..to.max(from)]
}

/// ". " and its kin, as a rough sentence end when the segmenter has not run.
const SENTENCE_END: [&str; 3] = [". ", "! ", "? "];

/// Evaluation and benchmark tasks of this crate.
pub fn tasks() -> Vec<Task> {
    eval::tasks()
}

#[cfg(test)]
mod tests {
    use super::*;
    use lagebild_core::evidence::assert_evidence;
    use lagebild_core::Anchoring;

    /// Tags `text` (published on `published` when given) and checks the evidence invariant.
    fn run(text: &str, published: Option<&str>) -> Vec<Timex> {
        let mut doc = Document::from_text("t", text);
        doc.meta.published = published.map(|p| p.parse().unwrap());
        let mut ann = Annotations::default();
        TemporalTagger::new().annotate(&doc, &mut ann);
        assert_evidence(&doc, &ann);
        assert!(ann
            .timexes
            .windows(2)
            .all(|w| w[0].span.start <= w[1].span.start));
        ann.timexes
    }

    fn values(timexes: &[Timex]) -> Vec<(&str, &str)> {
        timexes
            .iter()
            .map(|t| (t.text.as_str(), t.value.as_str()))
            .collect()
    }

    #[test]
    fn explicit_dates_in_common_forms() {
        let t = run(
            "Am Freitag, 22. September 2023 und am 1.9.2023, am 2023-09-30, im Mai 2022, 1939.",
            None,
        );
        assert_eq!(
            values(&t),
            vec![
                ("Freitag, 22. September 2023", "2023-09-22"),
                ("1.9.2023", "2023-09-01"),
                ("2023-09-30", "2023-09-30"),
                ("Mai 2022", "2022-05"),
                ("1939", "1939"),
            ]
        );
        assert!(t.iter().all(|t| t.anchoring == Anchoring::Absolute));
    }

    #[test]
    fn news_resolves_against_publication_date() {
        let t = run(
            "Gestern traf er sie. Am Samstag sprach er, letzte Woche schwieg er. \
             Vor drei Jahren war das anders. Anfang August kam sie.",
            Some("2023-09-22"),
        );
        assert_eq!(
            values(&t),
            vec![
                ("Gestern", "2023-09-21"),
                ("Samstag", "2023-09-16"),
                ("letzte Woche", "2023-W37"),
                ("Vor drei Jahren", "2020"),
                ("Anfang August", "2023-08"),
            ]
        );
        assert!(t.iter().all(|t| t.anchoring == Anchoring::Published));
        assert_eq!(t[4].modifier.as_deref(), Some("START"));
    }

    #[test]
    fn future_sentences_resolve_forwards() {
        let t = run("Am Samstag wird er reisen.", Some("2023-09-20"));
        assert_eq!(values(&t), vec![("Samstag", "2023-09-23")]);
    }

    #[test]
    fn narratives_resolve_against_the_last_date() {
        let t = run(
            "Am 21. Februar 2003 gab er bekannt, dass es reiche. Am 17. März folgte ein \
             Ultimatum. Zwei Tage später begann der Krieg, im Herbst endete er.",
            None,
        );
        assert_eq!(
            values(&t),
            vec![
                ("21. Februar 2003", "2003-02-21"),
                ("17. März", "2003-03-17"),
                ("Zwei Tage später", "2003-03-19"),
                ("Herbst", "2003-FA"),
            ]
        );
        assert_eq!(t[1].anchoring, Anchoring::Narrative);
    }

    #[test]
    fn the_start_of_a_lasting_state_is_no_narrative_anchor() {
        let t = run(
            "Er ist seit 2011 im Amt. Sein Minister wurde im Mai entlassen.",
            None,
        );
        assert_eq!(values(&t), vec![("2011", "2011"), ("Mai", "XXXX-05")]);
        let t = run(
            "Er regiert seit dem 3. Juni 2011. Sein Minister wurde im Mai entlassen.",
            None,
        );
        assert_eq!(
            values(&t),
            vec![("3. Juni 2011", "2011-06-03"), ("Mai", "XXXX-05")]
        );
        let t = run(
            "Er kam 2011 ins Amt. Sein Minister wurde im Mai entlassen.",
            None,
        );
        assert_eq!(values(&t), vec![("2011", "2011"), ("Mai", "2011-05")]);
    }

    #[test]
    fn without_anchor_values_stay_underspecified() {
        let t = run("Am 22. September trafen sie sich, am Samstag auch.", None);
        assert_eq!(
            values(&t),
            vec![("22. September", "XXXX-09-22"), ("Samstag", "XXXX-WXX-6")]
        );
        assert!(t.iter().all(|t| t.anchoring == Anchoring::Unanchored));
    }

    #[test]
    fn periods_decades_centuries_durations_sets() {
        let t = run(
            "Mitte der 1990er Jahre, im 19. Jahrhundert, seit drei Jahren, für 48 Stunden, \
             jeden Montag, Ende 2002, um 14:30 Uhr, 478 v. Chr.",
            None,
        );
        assert_eq!(
            values(&t),
            vec![
                ("Mitte der 1990er Jahre", "199"),
                ("19. Jahrhundert", "18"),
                ("drei Jahren", "P3Y"),
                ("48 Stunden", "PT48H"),
                ("jeden Montag", "XXXX-WXX-1"),
                ("Ende 2002", "2002"),
                ("14:30 Uhr", "XXXX-XX-XXT14:30"),
                ("478 v. Chr.", "BC0478"),
            ]
        );
        assert_eq!(t[0].modifier.as_deref(), Some("MID"));
        assert_eq!(t[3].kind, TimexType::Duration);
        assert_eq!(t[4].kind, TimexType::Set);
    }

    #[test]
    fn ranges_and_holidays() {
        let t = run(
            "vom 3. bis 5. Mai 2024 und an Ostern 2024, Winter 1918/19",
            None,
        );
        assert_eq!(
            values(&t),
            vec![
                ("3.", "2024-05-03"),
                ("5. Mai 2024", "2024-05-05"),
                ("Ostern 2024", "2024-03-31"),
                ("Winter 1918", "1918-WI"),
                ("19", "1919"),
            ]
        );
    }

    #[test]
    fn bad_input_gives_no_wrong_dates() {
        let t = run(
            "Am 31. Februar 2023 kamen 12.000 Soldaten, 3,5 Prozent mehr, 1500 Mann, \
             am 45.13.2020 und im Jahr 99999.",
            None,
        );
        assert!(t.is_empty(), "{:?}", values(&t));
        assert!(run("", None).is_empty());
        assert!(run("\u{0}\u{FFFF}ä. 3. 31.", Some("2023-01-01")).is_empty());
    }

    #[test]
    fn long_single_line_input_stays_linear() {
        let text = "Am 3. Mai 2020 kamen 12.000 Soldaten an, gestern war Ruhe. ".repeat(8_000);
        let t = run(&text, Some("2020-05-04"));
        assert_eq!(t.len(), 16_000);
    }
}
