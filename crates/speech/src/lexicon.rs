//! The language knowledge of this crate (`lang/<code>/speech-*.tsv`), parsed once per language.

use std::collections::HashMap;
use std::sync::OnceLock;

/// A word that can signal speech or an event, as read from a lexicon row.
#[derive(Clone, Debug)]
pub(crate) struct Form {
    /// Lexicon class: the cue kind (`say`, `deny`, …) or the event kind (`meet`, …).
    pub kind: &'static str,
    /// Separable particle ("mit" in "teilte … mit") that must close the clause.
    pub particle: Option<&'static str>,
    /// Whether this form needs the particle to count (a separated finite form).
    pub needs_particle: bool,
    /// Written capitalised in the lexicon: a noun.
    pub noun: bool,
}

/// How a marker such as "laut" or "zufolge" relates to the source it names.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum MarkerPos {
    /// "laut X", "nach Angaben X".
    Before,
    /// "X zufolge".
    After,
    /// "danach": the source was named earlier, when hearsay follows (else it means "then").
    Anaphoric,
    /// "demnach": the source was named earlier.
    Reference,
    /// "ein Bericht, wonach …": the noun before names the source.
    Relative,
}

#[derive(Clone, Debug)]
pub(crate) struct Marker {
    /// Lowercase words of the marker.
    pub words: Vec<&'static str>,
    pub pos: MarkerPos,
}

/// Closed word classes (bit flags) from `speech-words.tsv`.
pub(crate) mod class {
    pub const DET: u32 = 1;
    pub const PRON: u32 = 2;
    pub const KONJ: u32 = 4;
    pub const REPORT: u32 = 8;
    pub const SUB: u32 = 16;
    pub const CLAUSE: u32 = 32;
    pub const AUX: u32 = 64;
    pub const TITLE: u32 = 128;
    pub const NEG: u32 = 256;
    pub const STOP: u32 = 512;
    pub const PREP: u32 = 1024;
    pub const ADV: u32 = 2048;
    pub const GEN: u32 = 4096;
    pub const ABBR: u32 = 8192;
    pub const TIME: u32 = 16384;
    pub const ANAPH: u32 = 32768;
    pub const PART: u32 = 65536;
    pub const NAMEP: u32 = 131072;
    pub const KONJ1: u32 = 262144;
    pub const CSUB: u32 = 524288;
    pub const OBJ: u32 = 1 << 20;
    pub const PSUBJ: u32 = 1 << 21;
    pub const REL: u32 = 1 << 22;
    pub const NOM: u32 = 1 << 23;
}

/// Everything this crate knows about one language.
#[derive(Debug, Default)]
pub(crate) struct Lexicon {
    cues: HashMap<String, Vec<Form>>,
    events: HashMap<String, Vec<Form>>,
    /// Event kind → CAMEO root code.
    pub cameo: HashMap<&'static str, &'static str>,
    pub markers: Vec<Marker>,
    words: HashMap<&'static str, u32>,
    /// Endings of nouns naming a source after "nach" ("Polizeiangaben").
    pub source_nouns: Vec<&'static str>,
    /// Nouns naming an unnamed source ("die Quelle"), from `speech-quote-refer.tsv`.
    pub generic_sources: Vec<&'static str>,
    /// Nouns that mark the organisation after them as a news source ("Nachrichtenagentur").
    pub media_nouns: Vec<&'static str>,
    /// Generic role noun → role heads it can stand for ("staatschef" → "präsident", …).
    pub role_heads: HashMap<&'static str, Vec<&'static str>>,
    /// Head-noun endings of institutions that speak ("ministerium", "behörde").
    pub institutions: Vec<&'static str>,
    /// Prepositions naming an addressee, with the word endings that must precede them
    /// (empty: any): "gegenüber X", "in einem Interview mit X".
    pub addressee: Vec<(&'static str, Vec<&'static str>)>,
}

impl Lexicon {
    fn load(lang: lagebild_core::lang::Language) -> Lexicon {
        let mut lex = Lexicon::default();
        for row in lang.rows("speech-cues.tsv") {
            if let [_, particle, kind, forms] = row[..] {
                add_forms(&mut lex.cues, kind, particle, forms);
            }
        }
        for row in lang.rows("speech-events.tsv") {
            if let [kind, cameo, particle, forms] = row[..] {
                lex.cameo.insert(kind, cameo);
                add_forms(&mut lex.events, kind, particle, forms);
            }
        }
        for row in lang.rows("speech-markers.tsv") {
            if let [marker, pos] = row[..] {
                let pos = match pos {
                    "before" => MarkerPos::Before,
                    "after" => MarkerPos::After,
                    "reference" => MarkerPos::Reference,
                    "relative" => MarkerPos::Relative,
                    _ => MarkerPos::Anaphoric,
                };
                lex.markers.push(Marker {
                    words: marker.split_whitespace().collect(),
                    pos,
                });
            }
        }
        // Longest markers first, so "nach angaben von" wins over "nach angaben".
        lex.markers
            .sort_by_key(|m| std::cmp::Reverse(m.words.len()));
        lex.source_nouns = lang.lines("speech-nouns.txt").collect();
        for row in lang.rows("speech-quote-refer.tsv") {
            match row[..] {
                ["generic", word] => lex.generic_sources.push(word),
                ["media", word] => lex.media_nouns.push(word),
                ["institution", word] => lex.institutions.push(word),
                ["addressee", prep, before] => {
                    let before = before.split_whitespace().filter(|w| *w != "-").collect();
                    lex.addressee.push((prep, before));
                }
                ["role", word, heads] => {
                    lex.role_heads
                        .insert(word, heads.split_whitespace().collect());
                }
                _ => {}
            }
        }
        for row in lang.rows("speech-words.tsv") {
            if let [name, word] = row[..] {
                let bit = match name {
                    "det" => class::DET,
                    "pron" => class::PRON,
                    "konj" => class::KONJ,
                    "report" => class::REPORT,
                    "sub" => class::SUB,
                    "clause" => class::CLAUSE,
                    "aux" => class::AUX,
                    "title" => class::TITLE,
                    "neg" => class::NEG,
                    "stop" => class::STOP,
                    "prep" => class::PREP,
                    "adv" => class::ADV,
                    "gen" => class::GEN,
                    "abbr" => class::ABBR,
                    "time" => class::TIME,
                    "anaph" => class::ANAPH,
                    "part" => class::PART,
                    "namep" => class::NAMEP,
                    "konj1" => class::KONJ1,
                    "csub" => class::CSUB,
                    "obj" => class::OBJ,
                    "psubj" => class::PSUBJ,
                    "rel" => class::REL,
                    "nom" => class::NOM,
                    _ => 0,
                };
                *lex.words.entry(word).or_default() |= bit;
            }
        }
        lex
    }

    /// Cue-verb readings of a lowercase word.
    pub fn cue(&self, lower: &str) -> &[Form] {
        self.cues.get(lower).map(Vec::as_slice).unwrap_or(&[])
    }

    /// Event readings of a lowercase word.
    pub fn event(&self, lower: &str) -> &[Form] {
        self.events.get(lower).map(Vec::as_slice).unwrap_or(&[])
    }

    /// Whether a lowercase noun names a source ("Polizeiangaben", "Meldungen").
    pub fn source_noun(&self, lower: &str) -> bool {
        self.source_nouns.iter().any(|e| lower.ends_with(e))
    }

    /// Whether a lowercase word belongs to a closed class.
    pub fn is(&self, lower: &str, class: u32) -> bool {
        self.words.get(lower).is_some_and(|c| c & class != 0)
    }
}

/// Adds the forms of one row; separable verbs also get their joined forms ("mitteilte").
fn add_forms(
    map: &mut HashMap<String, Vec<Form>>,
    kind: &'static str,
    particle: &'static str,
    forms: &'static str,
) {
    let particle = (particle != "-" && !particle.is_empty()).then_some(particle);
    for form in forms.split_whitespace() {
        let lower = form.to_lowercase();
        let noun = form.chars().next().is_some_and(char::is_uppercase);
        let joined = particle.is_some_and(|p| lower.starts_with(p));
        let needs_particle = particle.is_some() && !noun && !joined;
        let entry = Form {
            kind,
            particle,
            needs_particle,
            noun,
        };
        if needs_particle {
            if let Some(p) = particle {
                map.entry(format!("{p}{lower}")).or_default().push(Form {
                    needs_particle: false,
                    ..entry.clone()
                });
            }
        }
        map.entry(lower).or_default().push(entry);
    }
}

/// The lexicon of a language (German when the language has no data), built once.
pub(crate) fn get(code: &str) -> &'static Lexicon {
    static CACHE: OnceLock<Vec<(&'static str, Lexicon)>> = OnceLock::new();
    let all = CACHE.get_or_init(|| {
        lagebild_core::lang::available()
            .filter_map(lagebild_core::lang::get)
            .map(|l| (l.code, Lexicon::load(l)))
            .collect()
    });
    let code = lagebild_core::lang::get_or_default(code).code;
    all.iter()
        .find(|(c, _)| *c == code)
        .map(|(_, l)| l)
        .expect("the default language is loaded")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn german_lexicon_reads_separable_verbs() {
        let lex = get("de");
        let teilte = lex.cue("teilte");
        assert!(teilte
            .iter()
            .any(|f| f.needs_particle && f.particle == Some("mit")));
        assert!(lex.cue("mitteilte").iter().any(|f| !f.needs_particle));
        assert!(lex
            .cue("sagte")
            .iter()
            .any(|f| f.kind == "say" && !f.needs_particle));
        assert!(lex.event("treffen").iter().any(|f| f.kind == "meet"));
        assert_eq!(lex.cameo.get("attack"), Some(&"19"));
        assert!(lex.is("dass", class::SUB));
        assert!(lex.markers.iter().any(|m| m.words == ["zufolge"]));
    }
}
