//! Splits text into tokens and sentences: a rule-based, linear-time tokeniser and sentence
//! splitter for German news, with its language knowledge (abbreviations, month names, words
//! that start sentences) in `lang/<code>/segment-*`.

mod eval;
mod rules;
mod sentences;
mod tokenize;

pub use rules::Rules;

use lagebild_core::eval::Task;
use lagebild_core::{Annotations, Document, DocumentStage};
use std::ops::Range;

/// Fills `tokens` and `sentences` of a document (char spans, sorted, non-overlapping,
/// never whitespace-only), with the rules of the document's language.
#[derive(Debug, Default)]
pub struct Segmenter;

impl Segmenter {
    pub fn new() -> Self {
        Segmenter
    }
}

impl DocumentStage for Segmenter {
    fn name(&self) -> &'static str {
        "segment"
    }

    fn annotate(&self, doc: &Document, ann: &mut Annotations) {
        let rules = Rules::for_language(doc.language());
        let tokens = rules.tokenize(doc.text());
        let sentences = rules.split_sentences(doc.text(), &tokens);
        let index = doc.index();
        ann.tokens = tokens.into_iter().map(|r| index.span(r)).collect();
        ann.sentences = sentences.into_iter().map(|r| index.span(r)).collect();
    }
}

/// Byte ranges of the tokens of `text` (German rules; see [`Rules::tokenize`]).
pub fn tokenize(text: &str) -> Vec<Range<usize>> {
    Rules::for_language(DEFAULT_LANGUAGE).tokenize(text)
}

/// Byte ranges of the sentences of `text` given its tokens from [`tokenize`]
/// (German rules; see [`Rules::split_sentences`]).
pub fn split_sentences(text: &str, tokens: &[Range<usize>]) -> Vec<Range<usize>> {
    Rules::for_language(DEFAULT_LANGUAGE).split_sentences(text, tokens)
}

/// The language of documents that do not say theirs, as in [`Document::language`].
const DEFAULT_LANGUAGE: &str = "de";

/// Evaluation and benchmark tasks of this crate.
pub fn tasks() -> Vec<Task> {
    eval::tasks()
}

#[cfg(test)]
mod tests {
    use super::*;
    use lagebild_core::evidence::assert_evidence;

    fn segment(text: &str) -> (Document, Annotations) {
        let doc = Document::from_text("t", text);
        let mut ann = Annotations::default();
        Segmenter::new().annotate(&doc, &mut ann);
        assert_evidence(&doc, &ann);
        check_invariants(&doc, &ann);
        (doc, ann)
    }

    /// Tokens and sentences sorted, non-overlapping, non-empty, without outer whitespace,
    /// and every token inside exactly one sentence.
    fn check_invariants(doc: &Document, ann: &Annotations) {
        for spans in [&ann.tokens, &ann.sentences] {
            for w in spans.windows(2) {
                assert!(w[0].end <= w[1].start, "overlap {:?}", w);
            }
            for s in spans.iter() {
                let text = doc.slice(*s);
                assert!(!text.is_empty());
                assert_eq!(text.trim(), text, "outer whitespace in {text:?}");
            }
        }
        let covered: usize = ann.sentences.iter().map(|s| ann.tokens_in(*s).len()).sum();
        assert_eq!(covered, ann.tokens.len());
    }

    fn tokens(text: &str) -> Vec<String> {
        let (doc, ann) = segment(text);
        ann.tokens
            .iter()
            .map(|t| doc.slice(*t).to_string())
            .collect()
    }

    fn sentences(text: &str) -> Vec<String> {
        let (doc, ann) = segment(text);
        ann.sentences
            .iter()
            .map(|t| doc.slice(*t).to_string())
            .collect()
    }

    #[test]
    fn words_keep_their_inner_punctuation() {
        assert_eq!(
            tokens("Der NATO-Generalsekretär zählte 12.000 Soldaten, 3,5 Prozent mehr (CDU/CSU)."),
            [
                "Der",
                "NATO-Generalsekretär",
                "zählte",
                "12.000",
                "Soldaten",
                ",",
                "3,5",
                "Prozent",
                "mehr",
                "(",
                "CDU/CSU",
                ")",
                "."
            ]
        );
        assert_eq!(
            tokens("Luft- und Raumfahrt, People's Party, 1:0 um 12:00 Uhr"),
            [
                "Luft-",
                "und",
                "Raumfahrt",
                ",",
                "People's",
                "Party",
                ",",
                "1:0",
                "um",
                "12:00",
                "Uhr"
            ]
        );
    }

    #[test]
    fn abbreviations_ordinals_and_dates_keep_their_stop() {
        assert_eq!(
            tokens("Dr. Kim kam z.B. am 22. September bzw. am 29.10. an."),
            [
                "Dr.",
                "Kim",
                "kam",
                "z.B.",
                "am",
                "22.",
                "September",
                "bzw.",
                "am",
                "29.10.",
                "an",
                "."
            ]
        );
        assert_eq!(tokens("Es waren 300."), ["Es", "waren", "300", "."]);
    }

    #[test]
    fn quotes_dashes_and_ellipses_are_tokens() {
        assert_eq!(
            tokens("„Nein“ – »ja« \"so\" ‚nie‘ ... gut…"),
            [
                "„", "Nein", "“", "–", "»", "ja", "«", "\"", "so", "\"", "‚", "nie", "‘", "...",
                "gut", "…"
            ]
        );
    }

    #[test]
    fn urls_and_mail_addresses_are_one_token() {
        assert_eq!(
            tokens(
                "Quelle: https://de.wikipedia.org/wiki/Kim_(Politiker). Mail: info@example.org."
            ),
            [
                "Quelle",
                ":",
                "https://de.wikipedia.org/wiki/Kim_(Politiker)",
                ".",
                "Mail",
                ":",
                "info@example.org",
                "."
            ]
        );
    }

    #[test]
    fn sentence_ends_around_quotes() {
        assert_eq!(
            sentences("„Der Krieg ist beendet.“ Dann ging er."),
            ["„Der Krieg ist beendet.“", "Dann ging er."]
        );
        assert_eq!(
            sentences("„Der Krieg ist beendet.“ sagte er. „Wirklich?“, fragte sie."),
            [
                "„Der Krieg ist beendet.“ sagte er.",
                "„Wirklich?“, fragte sie."
            ]
        );
    }

    #[test]
    fn ordinals_abbreviations_and_years() {
        assert_eq!(
            sentences("Am 22. September kam Dr. Kim an. Er blieb bis zum 3. Okt. und reiste ab."),
            [
                "Am 22. September kam Dr. Kim an.",
                "Er blieb bis zum 3. Okt. und reiste ab."
            ]
        );
        assert_eq!(
            sentences("Das war im Jahr 2011. Dabei blieb es. Bayern wurde 2. Der Verein jubelte."),
            [
                "Das war im Jahr 2011.",
                "Dabei blieb es.",
                "Bayern wurde 2.",
                "Der Verein jubelte."
            ]
        );
        assert_eq!(
            sentences("Sie kaufte Brot, Milch usw. Danach ging sie. Heidi K. erhob Klage."),
            [
                "Sie kaufte Brot, Milch usw.",
                "Danach ging sie.",
                "Heidi K. erhob Klage."
            ]
        );
    }

    #[test]
    fn numbers_after_nouns_and_ellipses() {
        assert_eq!(
            sentences(
                "Sie kam auf Platz 19. Trainer Meier war zufrieden. Er zögerte … Dann ging er."
            ),
            [
                "Sie kam auf Platz 19.",
                "Trainer Meier war zufrieden.",
                "Er zögerte … Dann ging er."
            ]
        );
        assert_eq!(
            sentences("Umfrage: CDU 31 Prozent; SPD 28 Prozent (2021: 26 %; 2017: 20 %)."),
            [
                "Umfrage: CDU 31 Prozent;",
                "SPD 28 Prozent (2021: 26 %; 2017: 20 %)."
            ]
        );
    }

    #[test]
    fn lines_end_sentences_unless_wrapped() {
        assert_eq!(
            sentences(
                "Kim sichert Russland Hilfe zu\nDer Machthaber traf Schoigu.\n\nNeuer Absatz"
            ),
            [
                "Kim sichert Russland Hilfe zu",
                "Der Machthaber traf Schoigu.",
                "Neuer Absatz"
            ]
        );
        assert_eq!(
            sentences("Titel\u{2029}Text folgt."),
            ["Titel", "Text folgt."]
        );
        assert_eq!(
            sentences("Die Regierung will die\nbestehenden Regeln ändern."),
            ["Die Regierung will die\nbestehenden Regeln ändern."]
        );
    }

    #[test]
    fn colons_and_semicolons() {
        assert_eq!(
            sentences("Putin sagte: „Wenn es Bilder gibt, spiegeln sie etwas wider.“"),
            ["Putin sagte: „Wenn es Bilder gibt, spiegeln sie etwas wider.“"]
        );
        assert_eq!(
            sentences(
                "Überraschend senkte die Notenbank die Zinsen: Der Satz fiel um 0,25 Punkte."
            ),
            [
                "Überraschend senkte die Notenbank die Zinsen:",
                "Der Satz fiel um 0,25 Punkte."
            ]
        );
        assert_eq!(
            sentences("Der Minister sagte am Montag: Die Lage sei ernst."),
            ["Der Minister sagte am Montag: Die Lage sei ernst."]
        );
        assert_eq!(
            sentences("Der Prozess hat lange gedauert; die Urteile fielen hart aus."),
            [
                "Der Prozess hat lange gedauert;",
                "die Urteile fielen hart aus."
            ]
        );
    }

    #[test]
    fn bad_input_is_segmented_without_panic() {
        let cases = [
            "",
            "   \n\n  ",
            "Привет, мир. 안녕하세요 세계. 東京都に住む。",
            "a\u{0}b\u{7}c\u{1b}[0m d\u{200B}e",
            "....!!!???---''''„„““",
            "http://",
            "www.)))).",
        ];
        for text in cases {
            segment(text);
        }
        let (doc, ann) = segment("東京都");
        assert_eq!(ann.tokens.len(), 3, "{:?}", ann.tokens);
        assert_eq!(doc.slice(ann.sentences[0]), "東京都");
    }

    /// A 10 MB single line must segment in linear time: one endless word, and a line that
    /// mixes every shape the look-aheads care about (colons, stops, ordinals, quotes,
    /// brackets, hyphens, addresses, Cyrillic, Hangul) without a single line break.
    #[test]
    fn ten_megabytes_on_one_line() {
        let (_, ann) = segment(&"x".repeat(10_000_000));
        assert_eq!(ann.tokens.len(), 1);
        let unit = "a : Ab.3.„x“ (; Привет-www.a.b/( 안녕.Er sagte: Der z.B. 22. Mai usw. Die ";
        let text = unit.repeat(10_000_000 / unit.len());
        let tokens = tokenize(&text);
        let sentences = split_sentences(&text, &tokens);
        assert!(tokens.len() > 1_000_000 && sentences.len() > 100_000);
    }
}
