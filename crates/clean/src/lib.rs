//! Marks boilerplate and sections in plain text (one paragraph per line), with general
//! patterns from `lang/<code>/clean-boilerplate.tsv` and `lang/<code>/clean-sections.tsv`.
//!
//! - **Boilerplate**: a whole line of debris (ad placeholder, comment counter, credit, source
//!   line, caption, reference link, navigation) or a stretch inside a line (a "recommend us"
//!   prompt, a disclaimer), each with its kind.
//! - **Sections** cover the whole text, one after the other, `report` wherever nothing else
//!   applies, so the JSON shows the article's structure and [`Annotations::section_at`]
//!   answers the same either way. A heading line ("Kommentar", "XYZ-Prognose:", "Hintergrund",
//!   "Wer ist …?") opens a section of its kind that runs to the next heading or the end of the
//!   text; a closing heading ("Hinweise:", "Quellen") returns to `report`. A caption line is a
//!   `caption` section of its own (and `caption` boilerplate), after which the section it
//!   interrupted goes on. Sections start at line starts.

mod eval;
mod patterns;

pub use patterns::{Patterns, Scan};

use lagebild_core::eval::Task;
use lagebild_core::{Annotations, Boilerplate, Document, DocumentStage, Section};

/// Marks boilerplate and sections.
#[derive(Debug, Default)]
pub struct Cleaner;

impl Cleaner {
    pub fn new() -> Self {
        Cleaner
    }
}

impl DocumentStage for Cleaner {
    fn name(&self) -> &'static str {
        "clean"
    }

    fn annotate(&self, doc: &Document, ann: &mut Annotations) {
        let scan = Patterns::for_language(doc.language()).scan(doc.text());
        ann.boilerplate = scan
            .boilerplate
            .into_iter()
            .map(|(bytes, kind)| Boilerplate {
                span: doc.span_of_bytes(bytes),
                kind: kind.to_string(),
            })
            .collect();
        ann.sections = scan
            .sections
            .into_iter()
            .map(|(bytes, kind)| Section {
                span: doc.span_of_bytes(bytes),
                kind,
            })
            .collect();
    }
}

/// Evaluation tasks of this crate.
pub fn tasks() -> Vec<Task> {
    eval::tasks()
}

#[cfg(test)]
mod tests {
    use super::*;
    use lagebild_core::evidence::assert_evidence;
    use lagebild_core::SectionKind;

    fn clean(text: &str) -> (Document, Annotations) {
        let doc = Document::from_text("t", text);
        let mut ann = Annotations::default();
        Cleaner::new().annotate(&doc, &mut ann);
        assert_evidence(&doc, &ann);
        // Sections tile the text; boilerplate is sorted and disjoint.
        if let (Some(first), Some(last)) = (ann.sections.first(), ann.sections.last()) {
            assert_eq!(first.span.start, 0);
            assert_eq!(last.span.end, doc.len_chars());
            for w in ann.sections.windows(2) {
                assert_eq!(w[0].span.end, w[1].span.start);
                assert_ne!(w[0].kind, w[1].kind);
            }
        }
        for w in ann.boilerplate.windows(2) {
            assert!(w[0].span.end <= w[1].span.start);
        }
        (doc, ann)
    }

    fn debris(text: &str) -> Vec<(String, String)> {
        let (doc, ann) = clean(text);
        ann.boilerplate
            .iter()
            .map(|b| (b.kind.clone(), doc.slice(b.span).to_string()))
            .collect()
    }

    fn pair(kind: &str, text: &str) -> (String, String) {
        (kind.to_string(), text.to_string())
    }

    #[test]
    fn shipped_patterns_all_compile() {
        let (lines, spans, sentences, headings) = Patterns::for_language("de").counts();
        let rows = |name: &str| lagebild_core::lang::get("de").unwrap().rows(name).count();
        assert_eq!(lines + spans + sentences, rows("clean-boilerplate.tsv"));
        assert_eq!(headings, rows("clean-sections.tsv"));
    }

    #[test]
    fn debris_lines_get_their_kind() {
        let text = "Der Bundestag hat am Donnerstag das Gesetz beschlossen.\n\
                    [Werbung 3]\n\
                    Bild: Hans Muster / dpa\n\
                    Reuters / ©Getty Images\n\
                    Quelle: Tagesspiegel\n\
                    Kommentare (17)\n\
                    Auf WhatsApp teilen\n\
                    Mehr zum Thema: Haushalt 2025\n\
                    Lesezeit: 4 Min.\n\
                    https://example.org/artikel/123\n\
                    Die Opposition kündigte Widerstand an.";
        assert_eq!(
            debris(text),
            [
                pair("ad", "[Werbung 3]"),
                pair("credit", "Bild: Hans Muster / dpa"),
                pair("credit", "Reuters / ©Getty Images"),
                pair("source", "Quelle: Tagesspiegel"),
                pair("comments", "Kommentare (17)"),
                pair("share", "Auf WhatsApp teilen"),
                pair("navigation", "Mehr zum Thema: Haushalt 2025"),
                pair("navigation", "Lesezeit: 4 Min."),
                pair("link", "https://example.org/artikel/123"),
            ]
        );
    }

    #[test]
    fn bylines_consent_and_updates() {
        let text = "Von Anna Berg und Jan Ole Kruse, Brüssel\n\
                    Die EU-Kommission legte den Entwurf vor.\n\
                    Empfohlener redaktioneller Inhalt\n\
                    Ich bin damit einverstanden, dass mir externe Inhalte angezeigt werden. Der Entwurf sieht Zölle vor.\n\
                    Dieser Artikel wurde am 3. Mai aktualisiert.\n\
                    Mit Material von dpa";
        assert_eq!(
            debris(text),
            [
                pair("credit", "Von Anna Berg und Jan Ole Kruse, Brüssel"),
                pair("consent", "Empfohlener redaktioneller Inhalt"),
                pair(
                    "consent",
                    "Ich bin damit einverstanden, dass mir externe Inhalte angezeigt werden."
                ),
                pair("disclaimer", "Dieser Artikel wurde am 3. Mai aktualisiert."),
                pair("credit", "Mit Material von dpa"),
            ]
        );
        let (doc, ann) = clean("Ein Kommentar von Anna Berg\nDie Zölle sind ein Fehler.");
        assert_eq!(ann.section_at(doc.len_chars() - 3), SectionKind::Opinion);
        assert_eq!(ann.boilerplate[0].kind, "credit");
    }

    #[test]
    fn debris_inside_lines_is_marked_alone() {
        let text = "Die Preise stiegen um 3 Prozent. Alle Angaben ohne Gewähr. \
                    Bitte teilen Sie diesen Artikel mit Ihren Freunden! \
                    Heute-Info – Nachrichten ohne Paywall! [Anzeige]";
        assert_eq!(
            debris(text),
            [
                pair("disclaimer", "Alle Angaben ohne Gewähr."),
                pair(
                    "prompt",
                    "Bitte teilen Sie diesen Artikel mit Ihren Freunden!"
                ),
                pair("prompt", "Heute-Info – Nachrichten ohne Paywall!"),
                pair("ad", "[Anzeige]"),
            ]
        );
    }

    #[test]
    fn article_text_is_not_debris() {
        let text = "Quellen zufolge will der Minister zurücktreten.\n\
                    Der Kommentar des Kanzlers (siehe oben) blieb unbeantwortet.\n\
                    Die Bürger können sich jetzt anmelden, sagte die Sprecherin.\n\
                    Foto-Ausstellung zeigt Bilder aus Kiew.\n\
                    „Teilen ist wichtig“, sagte er.";
        assert!(debris(text).is_empty(), "{:?}", debris(text));
        let (_, ann) = clean(text);
        assert_eq!(ann.sections.len(), 1);
        assert_eq!(ann.sections[0].kind, SectionKind::Report);
    }

    #[test]
    fn headings_open_sections_until_the_next() {
        let text = "Die Zentralbank senkte den Leitzins.\n\
                    Analyse:\n\
                    Die Senkung kommt spät.\n\
                    TZ-Ausblick:\n\
                    Weitere Schritte sind wahrscheinlich.\n\
                    | Die Zentrale der Bank in Frankfurt (Foto: Archiv) |\n\
                    Es bleibt spannend.\n\
                    Wer ist Christine Lagarde?\n\
                    Lagarde leitet seit 2019 die EZB.\n\
                    Hinweis:\n\
                    Dieser Text wurde automatisch übersetzt und redaktionell geprüft.";
        let (doc, ann) = clean(text);
        let sections: Vec<(SectionKind, &str)> = ann
            .sections
            .iter()
            .map(|s| (s.kind, doc.slice(s.span).lines().next().unwrap()))
            .collect();
        assert_eq!(
            sections,
            [
                (SectionKind::Report, "Die Zentralbank senkte den Leitzins."),
                (SectionKind::Opinion, "Analyse:"),
                (
                    SectionKind::Caption,
                    "| Die Zentrale der Bank in Frankfurt (Foto: Archiv) |"
                ),
                (SectionKind::Opinion, "Es bleibt spannend."),
                (SectionKind::Background, "Wer ist Christine Lagarde?"),
                (SectionKind::Report, "Hinweis:"),
            ]
        );
        assert_eq!(
            ann.section_at(doc.text().find("Lagarde leitet").unwrap()),
            SectionKind::Background
        );
        let kinds: Vec<&str> = ann.boilerplate.iter().map(|b| b.kind.as_str()).collect();
        assert_eq!(kinds, ["caption", "disclaimer", "disclaimer"]);
    }

    #[test]
    fn bad_input_is_scanned_without_panic() {
        for text in ["", "\n\n\n", "\u{0}\u{1b}|", "ä|\n|ö", "Kommentar", "|"] {
            clean(text);
        }
        // A 10 MB single line and many short lines: linear time.
        let long =
            "Bitte empfehlen Sie uns. ohne Paywall! Alle Angaben ohne Gewähr ".repeat(160_000);
        let (_, ann) = clean(&long);
        assert!(!ann.boilerplate.is_empty());
        clean(&"Quelle\nKommentar (1)\nText hier.\n".repeat(300_000));
    }
}
