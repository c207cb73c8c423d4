//! Language data of the claim ledger and the event extractor, read once per language:
//! concept classes (`speech-claim-concepts.tsv`), function words (`speech-claim-words.tsv`) and
//! countries with capitals and adjectives (`entities-countries.tsv`, shared with the entity
//! recogniser), so "nordkoreanische Munition", "Pjöngjang" and "Nordkorea" name one argument.

use std::collections::HashMap;
use std::sync::OnceLock;

/// Index into [`ClaimWords::concepts`].
pub(crate) type ConceptId = u16;

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Role {
    /// What happens ("liefern", "entsenden").
    Pred,
    /// What it is about ("Waffen", "Truppen").
    Theme,
    /// Too general to join statements alone ("Zusammenarbeit").
    Weak,
    /// Points back at an earlier statement ("Vorwürfe", "Berichte").
    Ref,
}

#[derive(Debug)]
pub(crate) struct Concept {
    pub name: &'static str,
    pub role: Role,
    pub opposites: Vec<ConceptId>,
}

/// Word classes of `speech-claim-words.tsv` (bit flags).
pub(crate) mod class {
    pub const NEG: u16 = 1;
    pub const NONEG: u16 = 2;
    pub const POLAR: u16 = 4;
    pub const CONJ: u16 = 8;
    pub const CLAUSE: u16 = 16;
    pub const COORD: u16 = 32;
    pub const PREP: u16 = 64;
    pub const STOP: u16 = 128;
}

/// Shortest concept form matched inside a compound, and shortest rest beside it.
const MIN_PART: usize = 5;
const MIN_REST: usize = 4;
/// Endings of country adjectives ("russisch-en").
const ADJ_ENDINGS: &[&str] = &["", "e", "en", "er", "es", "em"];

#[derive(Debug, Default)]
pub(crate) struct ClaimWords {
    pub concepts: Vec<Concept>,
    forms: HashMap<&'static str, Vec<ConceptId>>,
    classes: HashMap<&'static str, u16>,
    /// Lower-case country name, variant or capital → country name.
    countries: HashMap<String, &'static str>,
    /// Adjective stem → country name.
    adjectives: HashMap<&'static str, &'static str>,
    /// Most words in a country name ("Vereinigte Arabische Emirate").
    max_name_words: usize,
}

impl ClaimWords {
    fn load(lang: lagebild_core::lang::Language) -> ClaimWords {
        let mut w = ClaimWords::default();
        let rows: Vec<Vec<&'static str>> = lang.rows("speech-claim-concepts.tsv").collect();
        let id_of = |name: &str| rows.iter().position(|r| r.first() == Some(&name));
        for row in &rows {
            let [name, role, opposites, forms] = row[..] else {
                continue;
            };
            let role = match role {
                "pred" => Role::Pred,
                "theme" => Role::Theme,
                "ref" => Role::Ref,
                _ => Role::Weak,
            };
            let id = w.concepts.len() as ConceptId;
            let opposites = opposites
                .split(',')
                .filter_map(|o| id_of(o.trim()))
                .map(|i| i as ConceptId)
                .collect();
            w.concepts.push(Concept {
                name,
                role,
                opposites,
            });
            for form in forms.split_whitespace() {
                let ids = w.forms.entry(form).or_default();
                if !ids.contains(&id) {
                    ids.push(id);
                }
            }
        }
        for row in lang.rows("speech-claim-words.tsv") {
            if let [name, word] = row[..] {
                let bit = match name {
                    "neg" => class::NEG,
                    "noneg" => class::NONEG,
                    "polar" => class::POLAR,
                    "conj" => class::CONJ,
                    "clause" => class::CLAUSE,
                    "coord" => class::COORD,
                    "prep" => class::PREP,
                    "stop" => class::STOP,
                    _ => 0,
                };
                *w.classes.entry(word).or_default() |= bit;
            }
        }
        for row in lang.rows("entities-countries.tsv") {
            let Some(&name) = row.first() else { continue };
            let mut names = vec![name];
            names.extend(row.get(1).copied());
            names.extend(row.get(2).copied());
            names.extend(row.get(4).map_or(Vec::new(), |v| v.split('|').collect()));
            for n in names.into_iter().filter(|n| !n.is_empty()) {
                w.max_name_words = w.max_name_words.max(n.split_whitespace().count());
                w.countries.entry(n.to_lowercase()).or_insert(name);
            }
            if let Some(adj) = row.get(3).filter(|a| !a.is_empty()) {
                w.adjectives.insert(adj, name);
            }
        }
        w
    }

    /// Whether a lower-case word belongs to a class of `speech-claim-words.tsv`.
    pub fn is(&self, lower: &str, class: u16) -> bool {
        self.classes.get(lower).is_some_and(|c| c & class != 0)
    }

    /// Concepts of a lower-case word: a listed form, a zu-infinitive of one ("auszubauen"),
    /// the parts of a hyphenated word, or the longest listed modifier and head of a compound.
    pub fn concepts_of(&self, lower: &str, out: &mut Vec<ConceptId>) {
        if lower.contains('-') {
            for part in lower.split('-').filter(|p| !p.is_empty()) {
                self.concepts_of(part, out);
            }
            return;
        }
        let mut add = |ids: &[ConceptId]| {
            for &id in ids {
                if !out.contains(&id) {
                    out.push(id);
                }
            }
        };
        if let Some(ids) = self.forms.get(lower) {
            add(ids);
            return;
        }
        if let Some(ids) = self.zu_infinitive(lower) {
            add(ids);
            return;
        }
        let bounds: Vec<usize> = lower.char_indices().map(|(i, _)| i).skip(1).collect();
        let chars = |s: &str| s.chars().count();
        let modifier = bounds
            .iter()
            .rev()
            .map(|&b| (&lower[..b], &lower[b..]))
            .filter(|(head, rest)| chars(head) >= MIN_PART && chars(rest) >= MIN_REST)
            .find_map(|(head, _)| self.forms.get(head));
        let head = bounds
            .iter()
            .map(|&b| (&lower[..b], &lower[b..]))
            .filter(|(rest, tail)| chars(tail) >= MIN_PART && chars(rest) >= MIN_REST)
            .find_map(|(_, tail)| self.forms.get(tail));
        for ids in modifier.into_iter().chain(head) {
            add(ids);
        }
    }

    /// "auszubauen" → the forms of "ausbauen": a "zu" after a separable particle.
    fn zu_infinitive(&self, lower: &str) -> Option<&Vec<ConceptId>> {
        lower.match_indices("zu").find_map(|(i, _)| {
            if i < 2 {
                return None;
            }
            let joined = format!("{}{}", &lower[..i], &lower[i + 2..]);
            self.forms.get(joined.as_str())
        })
    }

    /// The country a lower-case name, capital, genitive or adjective stands for
    /// ("nordkoreanischen", "russlands", "pjöngjang", "us-botschafter").
    pub fn country(&self, lower: &str) -> Option<&'static str> {
        let word = |w: &str| -> Option<&'static str> {
            if let Some(&c) = self.countries.get(w) {
                return Some(c);
            }
            if let Some(&c) = w.strip_suffix('s').and_then(|s| self.countries.get(s)) {
                return Some(c);
            }
            ADJ_ENDINGS.iter().find_map(|e| {
                w.strip_suffix(e)
                    .and_then(|s| self.adjectives.get(s).copied())
            })
        };
        word(lower).or_else(|| {
            let (first, rest) = lower.split_once('-')?;
            (!rest.is_empty()).then_some(())?;
            word(first)
        })
    }

    /// A country named by the longest run of words at the start of `words` (lower case):
    /// the country and how many words it takes.
    pub fn country_at(&self, words: &[&str]) -> Option<(&'static str, usize)> {
        (2..=self.max_name_words.min(words.len()))
            .rev()
            .find_map(|n| {
                let joined = words[..n].join(" ");
                self.countries.get(&joined).map(|&c| (c, n)).or_else(|| {
                    // Inflected first word: "Vereinigten Staaten", "Russischen Föderation".
                    let stripped = words[0].strip_suffix('n')?;
                    let joined = std::iter::once(stripped)
                        .chain(words[1..n].iter().copied())
                        .collect::<Vec<_>>()
                        .join(" ");
                    self.countries.get(&joined).map(|&c| (c, n))
                })
            })
            .or_else(|| words.first().and_then(|w| self.country(w)).map(|c| (c, 1)))
    }
}

/// The claim words of a language (German when the language has no data), built once.
pub(crate) fn get(code: &str) -> &'static ClaimWords {
    static CACHE: OnceLock<Vec<(&'static str, ClaimWords)>> = OnceLock::new();
    let all = CACHE.get_or_init(|| {
        lagebild_core::lang::available()
            .filter_map(lagebild_core::lang::get)
            .map(|l| (l.code, ClaimWords::load(l)))
            .collect()
    });
    let code = lagebild_core::lang::get_or_default(code).code;
    all.iter()
        .find(|(c, _)| *c == code)
        .map(|(_, w)| w)
        .expect("the default language is loaded")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn names(w: &ClaimWords, word: &str) -> Vec<&'static str> {
        let mut ids = Vec::new();
        w.concepts_of(word, &mut ids);
        let mut n: Vec<_> = ids.iter().map(|&i| w.concepts[i as usize].name).collect();
        n.sort();
        n
    }

    #[test]
    fn concepts_of_forms_compounds_and_zu_infinitives() {
        let w = get("de");
        assert_eq!(names(w, "munition"), ["weapons"]);
        assert_eq!(names(w, "waffenlieferungen"), ["supply", "weapons"]);
        assert_eq!(names(w, "munitionslieferung"), ["supply", "weapons"]);
        assert_eq!(names(w, "truppenentsendung"), ["deploy", "troops"]);
        assert_eq!(names(w, "ukraine-krieg"), ["war"]);
        assert_eq!(names(w, "auszubauen"), ["intensify"]);
        assert_eq!(names(w, "waffenstillstand"), ["ceasefire"]);
        assert!(names(w, "vereinigung").is_empty());
        let end = w.concepts.iter().position(|c| c.name == "end").unwrap();
        let more = w
            .concepts
            .iter()
            .position(|c| c.name == "intensify")
            .unwrap();
        assert!(w.concepts[end].opposites.contains(&(more as ConceptId)));
    }

    #[test]
    fn countries_from_names_capitals_and_adjectives() {
        let w = get("de");
        assert_eq!(w.country("nordkoreanischer"), Some("Nordkorea"));
        assert_eq!(w.country("russlands"), Some("Russland"));
        assert_eq!(w.country("pjöngjang"), Some("Nordkorea"));
        assert_eq!(w.country("us-botschafter"), Some("Vereinigte Staaten"));
        assert_eq!(w.country("munition"), None);
        assert_eq!(
            w.country_at(&["vereinigten", "staaten", "und"]),
            Some(("Vereinigte Staaten", 2))
        );
        assert!(w.is("nicht", class::NEG) && w.is("und", class::COORD));
    }
}
