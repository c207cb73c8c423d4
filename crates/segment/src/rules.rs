//! Per-language knowledge of the segmenter, loaded once from `lang/<code>/segment-*` files.

use std::collections::{HashMap, HashSet};
use std::sync::OnceLock;

/// How a known abbreviation's full stop relates to sentence ends.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum AbbrevClass {
    /// Always precedes a name, number or noun ("Dr.", "Nr.", "ca."): never ends a sentence.
    Title,
    /// Ends a sentence only before a word that can only start one ("Jh. Der …").
    Any,
    /// Ends a sentence before any capitalised word ("usw. Die …").
    Final,
    /// An abbreviation only before a number ("Art. 5"), otherwise an ordinary word ("Art").
    Number,
}

/// The segmentation data of one language.
#[derive(Debug)]
pub struct Rules {
    /// Abbreviations without their final stop.
    abbreviations: HashMap<&'static str, AbbrevClass>,
    /// Month names: "22. September" is a date, not a sentence end.
    months: HashSet<&'static str>,
    /// Capitalised function words that can only start a sentence.
    starters: HashSet<&'static str>,
    /// Verbs of saying: a colon after them introduces speech, not a new sentence.
    speech_verbs: HashSet<&'static str>,
}

impl Rules {
    fn load(lang: lagebild_core::lang::Language) -> Rules {
        let abbreviations = lang
            .rows("segment-abbreviations.tsv")
            .filter_map(|row| {
                let class = match row.get(1).copied().unwrap_or("any") {
                    "title" => AbbrevClass::Title,
                    "final" => AbbrevClass::Final,
                    "number" => AbbrevClass::Number,
                    _ => AbbrevClass::Any,
                };
                let word = row.first()?.trim_end_matches('.');
                (!word.is_empty()).then_some((word, class))
            })
            .collect();
        Rules {
            abbreviations,
            months: lang.lines("segment-months.txt").collect(),
            starters: lang.lines("segment-starters.txt").collect(),
            speech_verbs: lang.lines("segment-speech-verbs.txt").collect(),
        }
    }

    /// The rules of a language (falling back to German), built once per process.
    pub fn for_language(code: &str) -> &'static Rules {
        static ALL: OnceLock<Vec<(&'static str, Rules)>> = OnceLock::new();
        let all = ALL.get_or_init(|| {
            lagebild_core::lang::available()
                .filter_map(lagebild_core::lang::get)
                .map(|l| (l.code, Rules::load(l)))
                .collect()
        });
        let code = lagebild_core::lang::get_or_default(code).code;
        all.iter()
            .find(|(c, _)| *c == code)
            .map(|(_, r)| r)
            .expect("every available language has rules")
    }

    /// Class of an abbreviation written without its stop. Case matters: "Schweiz." is a
    /// country at the end of a sentence, not "schweiz." (schweizerisch); capitalised forms that
    /// start sentences ("Bzw.", "Ca.") are entries of their own.
    pub(crate) fn abbreviation(&self, word: &str) -> Option<AbbrevClass> {
        self.abbreviations.get(word).copied()
    }

    pub(crate) fn is_month(&self, word: &str) -> bool {
        self.months.contains(word)
    }

    pub(crate) fn is_starter(&self, word: &str) -> bool {
        self.starters.contains(word)
    }

    pub(crate) fn is_speech_verb(&self, word: &str) -> bool {
        self.speech_verbs.contains(word)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn german_rules_load() {
        let r = Rules::for_language("de");
        assert_eq!(r.abbreviation("Dr"), Some(AbbrevClass::Title));
        assert_eq!(r.abbreviation("usw"), Some(AbbrevClass::Final));
        assert_eq!(r.abbreviation("Bzw"), Some(AbbrevClass::Title));
        assert_eq!(r.abbreviation("Schweiz"), None);
        assert_eq!(r.abbreviation("Haus"), None);
        assert!(r.is_month("September"));
        assert!(r.is_starter("Der"));
        assert!(!r.is_starter("Haus"));
        assert!(r.is_speech_verb("sagte"));
        // Unknown languages fall back to German.
        assert!(std::ptr::eq(r, Rules::for_language("xx")));
    }
}
