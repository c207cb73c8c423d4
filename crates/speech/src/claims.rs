//! The claim ledger: statements of the same proposition grouped across sentences and articles,
//! with each holder's stance (assert, confirm, deny, doubt) and its evidence.
//!
//! A statement is a quotation (or an accusation, confirmation or denial event) reduced to its
//! content words and named entities. It joins the claim with the most similar content
//! (Jaccard over stemmed content words, helped by shared entities), found through an inverted
//! index kept in the stage, so new documents never re-read old ones. A denial without content
//! of its own ("wies die Vorwürfe zurück") meets the latest claim that names the denier.

use crate::lexicon::{self, class, Lexicon};
use lagebild_core::{
    Annotations, Claim, Corpus, CorpusStage, DocSpan, Document, Span, Stance, StanceKind,
};
use std::collections::{HashMap, HashSet};

/// Groups statements of the same proposition and records each holder's stance.
#[derive(Debug, Default)]
pub struct ClaimLedger {
    /// Per claim (same index as `corpus.claims`): its terms and entity keys.
    index: Vec<ClaimIndex>,
    /// Content term → claims using it.
    postings: HashMap<String, Vec<usize>>,
}

#[derive(Debug, Default)]
struct ClaimIndex {
    terms: HashSet<String>,
    entities: HashSet<String>,
    /// Document of the latest stance, for anaphoric denials in the same article.
    last_doc: usize,
}

/// One statement before it is placed in a claim.
struct Statement {
    terms: HashSet<String>,
    entities: HashSet<String>,
    holder: Option<usize>,
    holder_text: String,
    holder_keys: HashSet<String>,
    stance: StanceKind,
    negated: bool,
    /// Content too thin to stand alone ("wies die Vorwürfe zurück").
    anaphoric: bool,
    at: DocSpan,
    text: String,
    statement: String,
}

/// Similarity a statement needs to join a claim (Jaccard of content words).
const JOIN: f64 = 0.34;
/// Lower bar when the statement and claim share a named entity.
const JOIN_WITH_ENTITY: f64 = 0.2;

impl ClaimLedger {
    pub fn new() -> Self {
        ClaimLedger::default()
    }

    fn best_match(&self, s: &Statement, claims: &[Claim]) -> Option<usize> {
        let mut seen = HashSet::new();
        let mut best: Option<(f64, usize)> = None;
        for t in &s.terms {
            for &c in self.postings.get(t).map(Vec::as_slice).unwrap_or(&[]) {
                if !seen.insert(c) || c >= claims.len() {
                    continue;
                }
                let ix = &self.index[c];
                let shared = s.terms.intersection(&ix.terms).count() as f64;
                let union = (s.terms.len() + ix.terms.len()) as f64 - shared;
                let jaccard = shared / union.max(1.0);
                let entity = !s.entities.is_disjoint(&ix.entities);
                let bar = if entity { JOIN_WITH_ENTITY } else { JOIN };
                if jaccard >= bar && best.is_none_or(|(b, _)| jaccard > b) {
                    best = Some((jaccard, c));
                }
            }
        }
        best.map(|(_, c)| c)
    }

    /// The claim a contentless denial answers: the latest one naming the holder, preferring
    /// the holder's own article.
    fn anaphoric_target(&self, s: &Statement) -> Option<usize> {
        let names = |c: usize| !self.index[c].entities.is_disjoint(&s.holder_keys);
        (0..self.index.len())
            .rev()
            .filter(|&c| names(c))
            .max_by_key(|&c| (self.index[c].last_doc == s.at.doc, c))
    }

    fn add(&mut self, corpus: &mut Corpus, s: Statement) {
        let target = if s.anaphoric {
            self.anaphoric_target(&s)
        } else {
            self.best_match(&s, &corpus.claims)
        };
        let stance = match (target, s.negated, s.stance) {
            (Some(_), true, StanceKind::Assert | StanceKind::Confirm) => StanceKind::Deny,
            (_, _, k) => k,
        };
        if s.anaphoric && target.is_none() {
            // A denial of something this corpus never states: nothing to stand against.
            return;
        }
        let entry = Stance {
            holder: s.holder,
            holder_text: s.holder_text,
            stance,
            at: s.at,
            text: s.text,
        };
        let c = match target {
            Some(c) => {
                if corpus.claims[c].stances.iter().any(|x| x.at == entry.at) {
                    return;
                }
                corpus.claims[c].stances.push(entry);
                c
            }
            None => {
                corpus.claims.push(Claim {
                    statement: s.statement,
                    stances: vec![entry],
                });
                self.index.push(ClaimIndex::default());
                corpus.claims.len() - 1
            }
        };
        let ix = &mut self.index[c];
        ix.last_doc = s.at.doc;
        ix.entities.extend(s.entities);
        if !s.anaphoric {
            for t in s.terms {
                if ix.terms.insert(t.clone()) {
                    self.postings.entry(t).or_default().push(c);
                }
            }
        }
    }
}

impl CorpusStage for ClaimLedger {
    fn name(&self) -> &'static str {
        "claims"
    }

    fn update(&mut self, corpus: &mut Corpus, added: std::ops::Range<usize>) {
        // Claims other stages or an earlier ledger left are indexed once, so they can be joined.
        while self.index.len() < corpus.claims.len() {
            self.index.push(ClaimIndex::default());
        }
        for d in added {
            let Some(a) = corpus.docs.get(d) else { break };
            let statements = statements(d, &a.doc, &a.ann);
            for s in statements {
                self.add(corpus, s);
            }
        }
    }
}

/// Lowercase stem of a content word: common inflection endings cut off.
fn stem(word: &str) -> String {
    let mut w = word.to_lowercase();
    for suffix in [
        "ungen", "ung", "ten", "te", "en", "er", "es", "em", "st", "et", "e", "n", "s", "t",
    ] {
        if w.chars().count() >= suffix.len() + 4 && w.ends_with(suffix) {
            w.truncate(w.len() - suffix.len());
            break;
        }
    }
    w
}

/// Content terms of a text and whether it is negated.
fn terms(lex: &Lexicon, text: &str) -> (HashSet<String>, bool) {
    let mut out = HashSet::new();
    let mut negated = false;
    for w in text.split(|c: char| !c.is_alphanumeric() && c != '-') {
        let lower = w.to_lowercase();
        if lower.is_empty() {
            continue;
        }
        if lex.is(&lower, class::NEG) {
            negated = true;
            continue;
        }
        if lower.chars().count() < 3 || lex.is(&lower, class::STOP | class::SUB) {
            continue;
        }
        if !lex.cue(&lower).is_empty() {
            continue;
        }
        out.insert(stem(&lower));
    }
    (out, negated)
}

/// Entity keys of the mentions inside a span: the corpus entity when resolved, and the name.
fn entities_in(ann: &Annotations, span: Span) -> HashSet<String> {
    let mut keys = HashSet::new();
    for m in ann.mentions.iter().filter(|m| span.contains(m.span)) {
        if let Some(e) = m.entity {
            keys.insert(format!("#{e}"));
        }
        keys.insert(m.text.to_lowercase());
    }
    keys
}

fn stance_of(lex: &Lexicon, cue: Option<&str>) -> StanceKind {
    let kind = cue
        .and_then(|c| c.split_whitespace().next())
        .and_then(|w| lex.cue(&w.to_lowercase()).first())
        .map(|f| f.kind);
    match kind {
        Some("deny") => StanceKind::Deny,
        Some("confirm") => StanceKind::Confirm,
        Some("doubt") => StanceKind::Doubt,
        _ => StanceKind::Assert,
    }
}

/// The statements of one document: its attributed quotations, and accusation, confirmation
/// and denial events no quotation covers.
fn statements(d: usize, doc: &Document, ann: &Annotations) -> Vec<Statement> {
    let lex = lexicon::get(doc.language());
    let mut out = Vec::new();
    let holder_of = |mention: Option<usize>, text: &str| {
        let mut keys = HashSet::new();
        let entity = mention.and_then(|m| ann.mentions.get(m)).and_then(|m| {
            keys.insert(m.text.to_lowercase());
            m.entity
        });
        if let Some(e) = entity {
            keys.insert(format!("#{e}"));
        }
        keys.insert(text.to_lowercase());
        if let Some(last) = text.split_whitespace().last() {
            keys.insert(last.to_lowercase());
        }
        (entity, keys)
    };
    for q in &ann.quotes {
        let Some(speaker) = &q.speaker else { continue };
        let (mut terms, negated) = terms(lex, &q.text);
        // Reported speech holds its speaker ("Moskau wies die Vorwürfe zurück"): the holder is
        // not part of the proposition.
        if q.span.contains(speaker.span) {
            for w in speaker
                .text
                .split(|c: char| !c.is_alphanumeric() && c != '-')
            {
                terms.remove(&stem(w));
            }
        }
        let stance = stance_of(lex, q.cue.as_ref().map(|c| c.text.as_str()));
        let (holder, holder_keys) = holder_of(q.speaker_mention, &speaker.text);
        let anaphoric = stance == StanceKind::Deny && terms.len() <= 3;
        if terms.is_empty() && !anaphoric {
            continue;
        }
        out.push(Statement {
            entities: entities_in(ann, q.span),
            terms,
            holder,
            holder_text: speaker.text.clone(),
            holder_keys,
            stance,
            negated,
            anaphoric,
            at: DocSpan {
                doc: d,
                span: q.span,
            },
            text: q.text.clone(),
            statement: statement_text(&q.text),
        });
    }
    for e in &ann.events {
        let stance = match e.kind.as_str() {
            "deny" => StanceKind::Deny,
            "confirm" => StanceKind::Confirm,
            "accuse" => StanceKind::Assert,
            _ => continue,
        };
        if ann.quotes.iter().any(|q| q.span.overlaps(e.span)) {
            continue;
        }
        let Some(&actor) = e.actors.first() else {
            continue;
        };
        let Some(m) = ann.mentions.get(actor) else {
            continue;
        };
        let (holder, holder_keys) = holder_of(Some(actor), &m.text);
        let (mut terms, negated) = terms(lex, &e.text);
        let mut entities = entities_in(ann, e.span);
        // The holder is not part of what is asserted or denied.
        terms.remove(&stem(&m.text));
        entities.retain(|k| !holder_keys.contains(k));
        let anaphoric = stance == StanceKind::Deny && terms.len() <= 3;
        out.push(Statement {
            terms,
            entities,
            holder,
            holder_text: m.text.clone(),
            holder_keys,
            stance,
            negated,
            anaphoric,
            at: DocSpan {
                doc: d,
                span: e.span,
            },
            text: e.text.clone(),
            statement: statement_text(&e.text),
        });
    }
    out
}

/// A readable statement: the content without a leading "dass" and trailing punctuation.
fn statement_text(text: &str) -> String {
    let t = text
        .trim()
        .trim_start_matches("dass ")
        .trim_end_matches(['.', ',']);
    let t = t.trim_matches(['„', '“', '"', '»', '«']);
    let mut s: String = t.chars().take(240).collect();
    if t.chars().count() > 240 {
        s.push('…');
    }
    s
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::{EventExtractor, QuoteExtractor};
    use lagebild_core::{AnalyzedDocument, DocumentStage, EntityKind, Mention};

    fn analysed(id: &str, text: &str, names: &[(&str, EntityKind, usize)]) -> AnalyzedDocument {
        let doc = Document::from_text(id, text);
        let mut ann = Annotations::default();
        for &(name, kind, entity) in names {
            let mut from = 0;
            while let Some(b) = text[from..].find(name) {
                let b = from + b;
                let start = text[..b].chars().count();
                ann.mentions.push(Mention {
                    span: Span::new(start, start + name.chars().count()),
                    text: name.into(),
                    kind,
                    entity: Some(entity),
                });
                from = b + name.len();
            }
        }
        ann.mentions.sort_by_key(|m| m.span);
        QuoteExtractor::new().annotate(&doc, &mut ann);
        EventExtractor::new().annotate(&doc, &mut ann);
        AnalyzedDocument { doc, ann }
    }

    #[test]
    fn accusation_and_denial_meet_in_one_claim() {
        let names = [
            ("Berlin", EntityKind::Location, 0),
            ("Serbien", EntityKind::Location, 1),
            ("Libyen", EntityKind::Location, 2),
            ("Belgrad", EntityKind::Location, 1),
            ("Paris", EntityKind::Location, 3),
        ];
        let mut corpus = Corpus::default();
        corpus.docs.push(analysed(
            "a",
            "Berlin erklärte, dass Serbien Libyen mit Waffen beliefert. Belgrad wies die Vorwürfe als absurd zurück.",
            &names,
        ));
        let mut ledger = ClaimLedger::new();
        ledger.update(&mut corpus, 0..1);
        corpus.docs.push(analysed(
            "b",
            "Paris sagte, Serbien beliefere Libyen mit Waffen und Munition.",
            &names,
        ));
        ledger.update(&mut corpus, 1..2);
        let claim = corpus
            .claims
            .iter()
            .find(|c| c.statement.contains("Waffen"))
            .expect("weapons claim");
        let stances: Vec<(&str, StanceKind)> = claim
            .stances
            .iter()
            .map(|s| (s.holder_text.as_str(), s.stance))
            .collect();
        assert_eq!(
            stances,
            [
                ("Berlin", StanceKind::Assert),
                ("Belgrad", StanceKind::Deny),
                ("Paris", StanceKind::Assert)
            ]
        );
        for s in &claim.stances {
            assert_eq!(corpus.slice(s.at), s.text);
        }
    }

    /// Two invented articles: an accusation meets its denial, an assertion its confirmation,
    /// though the wording, the holders and the articles differ.
    #[test]
    fn propositions_meet_across_articles() {
        let names = [
            ("Kiew", EntityKind::Location, 0),
            ("Russland", EntityKind::Location, 1),
            ("Moskau", EntityKind::Location, 1),
            ("Saporischschja", EntityKind::Location, 2),
            ("Atomenergiebehörde", EntityKind::Organization, 3),
        ];
        let mut corpus = Corpus::default();
        corpus.docs.push(analysed(
            "a",
            "Die Regierung in Kiew wirft Russland vor, Getreide aus den besetzten Gebieten zu stehlen. \
             Ein Sprecher des Verteidigungsministeriums erklärte, russische Truppen hätten das \
             Kraftwerk Saporischschja erneut beschossen. Das Wetter blieb unterdessen mild.",
            &names,
        ));
        let mut ledger = ClaimLedger::new();
        ledger.update(&mut corpus, 0..1);
        corpus.docs.push(analysed(
            "b",
            "Moskau bestreitet, Getreide aus besetzten Gebieten gestohlen zu haben. \
             Die Atomenergiebehörde bestätigte, dass das Kraftwerk Saporischschja beschossen wurde.",
            &names,
        ));
        ledger.update(&mut corpus, 1..2);
        let stances = |word: &str| -> Vec<(String, StanceKind, usize)> {
            let claim = corpus
                .claims
                .iter()
                .find(|c| c.statement.contains(word))
                .unwrap_or_else(|| panic!("no claim on {word}: {:?}", corpus.claims));
            claim
                .stances
                .iter()
                .map(|s| (s.holder_text.clone(), s.stance, s.at.doc))
                .collect()
        };
        assert_eq!(
            stances("Getreide"),
            [
                ("Die Regierung in Kiew".to_string(), StanceKind::Assert, 0),
                ("Moskau".to_string(), StanceKind::Deny, 1)
            ]
        );
        assert_eq!(
            stances("Kraftwerk"),
            [
                (
                    "Ein Sprecher des Verteidigungsministeriums".to_string(),
                    StanceKind::Assert,
                    0
                ),
                ("Die Atomenergiebehörde".to_string(), StanceKind::Confirm, 1)
            ]
        );
        for c in &corpus.claims {
            for s in &c.stances {
                assert_eq!(corpus.slice(s.at), s.text);
            }
        }
    }

    #[test]
    fn stems_and_terms() {
        let lex = lexicon::get("de");
        let (t, neg) = terms(
            lex,
            "dass es keine nordkoreanischen Truppen in Russland gebe",
        );
        assert!(neg);
        assert!(t.contains("truppen") || t.contains("trupp"));
        assert!(!t.contains("dass"));
    }
}
