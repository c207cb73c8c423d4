//! Recognises person, organisation and location mentions and their roles (document stage), and
//! merges mentions into entities within and across documents (corpus stage).
//!
//! The tagger is an averaged structured perceptron trained in-house on GermEval 2014
//! (`crates/entities/models/ner-de.bin`, reproduced by [`train_ner`]); gazetteers, role nouns and
//! spelling rules are data in `lang/<code>/entities-*`.

mod features;
mod germeval;
mod lexicon;
mod model;
mod repair;
mod resolve;
mod roles;
mod tasks;
pub mod tokens;

use lagebild_core::{Annotations, Document, DocumentStage, EntityKind, Mention, Role};
use model::{chunks, Scratch, Tagger, TrainConfig};
use std::collections::HashMap;
use std::ops::Range;
use std::path::Path;
use std::sync::OnceLock;

pub use resolve::EntityResolver;
pub use tasks::tasks;

/// The shipped German model, embedded at build time.
static MODEL: &[u8] = include_bytes!("../models/ner-de.bin");

/// Longest stretch of tokens tagged at once; longer "sentences" (text without punctuation)
/// are cut so that memory stays bounded.
const MAX_SENTENCE_TOKENS: usize = 300;

/// Loaded once; a corrupt embedded model is a build error caught by the tests.
fn shipped() -> &'static Tagger {
    static TAGGER: OnceLock<Tagger> = OnceLock::new();
    TAGGER.get_or_init(|| Tagger::from_bytes(MODEL).expect("embedded NER model is valid"))
}

/// Trains the NER model on a GermEval-format file and writes it to `out`; returns a summary.
/// Deterministic: the same data gives the same bytes.
pub fn train_ner(data: &Path, out: &Path) -> anyhow::Result<String> {
    let sentences = germeval::read(data)?;
    let lex = lexicon::get("de");
    let tagger = model::train(lex, &sentences, TrainConfig::default());
    let bytes = tagger.to_bytes();
    std::fs::write(out, &bytes).map_err(|e| anyhow::anyhow!("writing {}: {e}", out.display()))?;
    Ok(format!(
        "trained on {} sentences ({} tokens) from {}: {} features, {:.1} MB → {}",
        sentences.len(),
        sentences.iter().map(|s| s.words.len()).sum::<usize>(),
        data.display(),
        tagger.features(),
        bytes.len() as f64 / 1e6,
        out.display()
    ))
}

/// Recognises person, organisation and location mentions and their roles.
#[derive(Debug, Default)]
pub struct EntityRecognizer;

impl EntityRecognizer {
    pub fn new() -> Self {
        EntityRecognizer
    }
}

fn entity_kind(ty: usize) -> Option<EntityKind> {
    match ty {
        0 => Some(EntityKind::Person),
        1 => Some(EntityKind::Organization),
        2 => Some(EntityKind::Location),
        3 => Some(EntityKind::Other),
        _ => None,
    }
}

/// Token-level result of tagging one document.
struct Tagged<'a> {
    words: Vec<&'a str>,
    lower: Vec<String>,
    bytes: Vec<Range<usize>>,
    sentences: Vec<Range<usize>>,
    labels: Vec<usize>,
}

fn tag_document<'a>(doc: &'a Document, ann: &Annotations) -> Tagged<'a> {
    let text = doc.text();
    let lex = lexicon::get(doc.language());
    let bytes: Vec<Range<usize>> = if ann.tokens.is_empty() {
        tokens::tokenize(text)
    } else {
        // Tokens of the segment stage; a malformed one becomes empty rather than a bad slice.
        ann.tokens
            .iter()
            .map(|t| {
                let b = doc.index().bytes(*t);
                b.start..b.end.max(b.start)
            })
            .collect()
    };
    let mut sentences: Vec<Range<usize>> = if ann.sentences.is_empty() || ann.tokens.is_empty() {
        tokens::sentences(text, &bytes)
    } else {
        let mut out = Vec::new();
        let mut next = 0;
        for s in &ann.sentences {
            let r = ann.tokens_in(*s);
            let r = r.start.max(next)..r.end.max(next);
            if !r.is_empty() {
                next = r.end;
                out.push(r);
            }
        }
        out
    };
    sentences = sentences
        .into_iter()
        .flat_map(|r| {
            (r.start..r.end)
                .step_by(MAX_SENTENCE_TOKENS)
                .map(move |s| s..(s + MAX_SENTENCE_TOKENS).min(r.end))
        })
        .collect();
    let words: Vec<&str> = bytes.iter().map(|r| &text[r.clone()]).collect();
    let lower: Vec<String> = words.iter().map(|w| w.to_lowercase()).collect();
    let mut labels = vec![0; words.len()];
    let tagger = shipped();
    let mut scratch = Scratch::default();
    for s in &sentences {
        let tagged = tagger.tag(lex, &words[s.clone()], &mut scratch);
        labels[s.clone()].copy_from_slice(&tagged);
    }
    Tagged {
        words,
        lower,
        bytes,
        sentences,
        labels,
    }
}

/// Name-structure repairs per sentence (see [`repair::repair_sentence`]).
fn repair(t: &mut Tagged, lex: &lexicon::Lexicon) {
    for s in t.sentences.clone() {
        repair::repair_sentence(
            lex,
            &t.words[s.clone()],
            &t.lower[s.clone()],
            &mut t.labels[s],
        );
    }
}

/// Document-level consistency: a name tagged once is tagged wherever it recurs untagged in the
/// document, with its majority kind; the family name of a full person name counts as a person name
/// (and overrides another kind given to it alone).
fn propagate(t: &mut Tagged, lex: &lexicon::Lexicon) {
    let mut votes: HashMap<Vec<&str>, [u32; 4]> = HashMap::new();
    for s in &t.sentences {
        for (ty, a, b) in chunks(&t.labels[s.clone()]) {
            if ty >= 4 {
                continue;
            }
            let name: Vec<&str> = t.words[s.start + a..s.start + b].to_vec();
            if ty == 0 && name.len() >= 2 {
                let family = if lex.is_family_first(&name[0].to_lowercase()) {
                    name[0]
                } else {
                    name[name.len() - 1]
                };
                // A word the gazetteer knows as a place or organisation is no family name.
                let elsewhere = lex
                    .gazetteer_match(&[family.to_lowercase()], 0)
                    .is_some_and(|(_, k)| k != EntityKind::Person);
                let v = votes.entry(vec![family]).or_insert([0; 4]);
                if !elsewhere && v.iter().sum::<u32>() == v[0] {
                    v[0] += 1;
                }
            }
            votes.entry(name).or_insert([0; 4])[ty] += 1;
        }
    }
    if votes.is_empty() {
        return;
    }
    // A lone word tagged as something else but known here as a person's family name is that person.
    for s in t.sentences.clone() {
        for (ty, a, b) in chunks(&t.labels[s.clone()]) {
            let w = t.words[s.start + a];
            let stem = w.strip_suffix('s').unwrap_or(w);
            let is_family = |x: &str| votes.get(&vec![x]).is_some_and(|v| v[0] > 0);
            if ty != 0 && b == a + 1 && (is_family(w) || is_family(stem)) {
                t.labels[s.start + a] = 1;
            }
        }
    }
    let mut by_first: HashMap<&str, Vec<(Vec<&str>, usize)>> = HashMap::new();
    for (name, v) in votes {
        let ty = (0..4).max_by_key(|&k| (v[k], 4 - k)).unwrap_or(0);
        by_first.entry(name[0]).or_default().push((name, ty));
    }
    for list in by_first.values_mut() {
        list.sort_by_key(|b| std::cmp::Reverse(b.0.len()));
    }
    for s in t.sentences.clone() {
        let mut i = s.start;
        while i < s.end {
            if t.labels[i] != 0 {
                i += 1;
                continue;
            }
            let w = t.words[i];
            let stem = w.strip_suffix('s').unwrap_or(w);
            let found = by_first
                .get(w)
                .or_else(|| by_first.get(stem))
                .and_then(|list| {
                    list.iter().find(|(name, _)| {
                        let end = i + name.len();
                        end <= s.end
                            && t.labels[i..end].iter().all(|&l| l == 0)
                            && name.iter().enumerate().all(|(k, n)| {
                                let word = t.words[i + k];
                                word == *n
                                    || (k + 1 == name.len() && word.strip_suffix('s') == Some(n))
                            })
                    })
                });
            match found {
                Some((name, ty)) => {
                    t.labels[i] = 1 + 2 * ty;
                    for l in &mut t.labels[i + 1..i + name.len()] {
                        *l = 2 + 2 * ty;
                    }
                    i += name.len();
                }
                None => i += 1,
            }
        }
    }
}

impl DocumentStage for EntityRecognizer {
    fn name(&self) -> &'static str {
        "entities"
    }

    fn annotate(&self, doc: &Document, ann: &mut Annotations) {
        let lex = lexicon::get(doc.language());
        let mut t = tag_document(doc, ann);
        repair(&mut t, lex);
        propagate(&mut t, lex);
        for s in &t.sentences {
            let mut mentions: Vec<(Range<usize>, EntityKind, usize)> = Vec::new();
            for (ty, a, b) in chunks(&t.labels[s.clone()]) {
                let Some(kind) = entity_kind(ty) else {
                    continue;
                };
                let bytes = t.bytes[s.start + a].start..t.bytes[s.start + b - 1].end;
                let span = doc.span_of_bytes(bytes);
                mentions.push((a..b, kind, ann.mentions.len()));
                ann.mentions.push(Mention {
                    span,
                    text: doc.slice(span).to_string(),
                    kind,
                    entity: None,
                });
            }
            if mentions.iter().all(|m| m.1 != EntityKind::Person) {
                continue;
            }
            let input = roles::RoleInput {
                words: &t.words[s.clone()],
                lower: &t.lower[s.clone()],
                mentions: &mentions,
            };
            for (r, mention) in roles::find(lex, &input) {
                let bytes = t.bytes[s.start + r.start].start..t.bytes[s.start + r.end - 1].end;
                let span = doc.span_of_bytes(bytes);
                ann.roles.push(Role {
                    span,
                    text: doc.slice(span).to_string(),
                    mention,
                });
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use lagebild_core::evidence::assert_evidence;

    #[test]
    fn shipped_model_loads() {
        let _ = shipped();
    }

    #[test]
    fn ten_megabytes_on_one_line_stay_linear() {
        let words = "Präsident Anton Gruber sagte in Berlin, dass 3,5 % mehr kämen ";
        let line = words.repeat(10_000_000 / words.len());
        let toks = tokens::tokenize(&line);
        assert!(toks.len() > 1_000_000);
        assert_eq!(tokens::sentences(&line, &toks).len(), 1);
        // Without spaces: long runs are cut, the recogniser sees bounded tokens and sentences.
        let solid = "Ä".repeat(5_000_000);
        let doc = Document::from_text("solid", &solid);
        let mut ann = Annotations::default();
        EntityRecognizer::new().annotate(&doc, &mut ann);
        assert_evidence(&doc, &ann);
        // 300 kB of prose on one line through the whole recogniser (debug builds are slow).
        let doc = Document::from_text("line", &words.repeat(300_000 / words.len()));
        let mut ann = Annotations::default();
        EntityRecognizer::new().annotate(&doc, &mut ann);
        assert!(!ann.mentions.is_empty());
        assert_evidence(&doc, &ann);
    }

    #[test]
    fn finds_people_roles_and_keeps_evidence() {
        let text =
            "Der kanadische Außenminister Paul Gruber traf am Montag in Wien den Sprecher der \
                    Vereinten Nationen. Gruber sagte, Kanada stehe an der Seite der Ukraine.";
        let doc = Document::from_text("t", text);
        let mut ann = Annotations::default();
        EntityRecognizer::new().annotate(&doc, &mut ann);
        assert_evidence(&doc, &ann);
        let people: Vec<&str> = ann
            .mentions
            .iter()
            .filter(|m| m.kind == EntityKind::Person)
            .map(|m| m.text.as_str())
            .collect();
        assert!(people.contains(&"Paul Gruber"), "{:?}", ann.mentions);
        assert!(
            people.contains(&"Gruber"),
            "document consistency: {people:?}"
        );
        assert!(ann
            .mentions
            .iter()
            .any(|m| m.text == "Wien" && m.kind == EntityKind::Location));
        let role = ann
            .roles
            .iter()
            .find(|r| ann.mentions[r.mention].text == "Paul Gruber");
        assert_eq!(
            role.map(|r| r.text.as_str()),
            Some("kanadische Außenminister")
        );
    }

    #[test]
    fn uses_tokens_and_sentences_of_the_segment_stage() {
        let text = "Gestern kam Angela Merkel. Dann ging sie.";
        let doc = Document::from_text("s", text);
        let mut ann = Annotations {
            tokens: tokens::tokenize(text)
                .into_iter()
                .map(|r| doc.span_of_bytes(r))
                .collect(),
            sentences: vec![
                lagebild_core::Span::new(0, 26),
                lagebild_core::Span::new(27, 41),
            ],
            ..Annotations::default()
        };
        EntityRecognizer::new().annotate(&doc, &mut ann);
        assert_evidence(&doc, &ann);
        assert!(ann.mentions.iter().any(|m| m.text == "Angela Merkel"));
    }

    #[test]
    fn malformed_segment_tokens_do_not_panic() {
        let doc = Document::from_text("m", "Angela Merkel kam.");
        let mut ann = Annotations {
            tokens: vec![
                lagebild_core::Span { start: 0, end: 6 },
                lagebild_core::Span { start: 9, end: 3 },
                lagebild_core::Span { start: 7, end: 500 },
            ],
            ..Annotations::default()
        };
        EntityRecognizer::new().annotate(&doc, &mut ann);
        // The malformed tokens are the input's fault; what this stage added must hold.
        ann.tokens.clear();
        assert_evidence(&doc, &ann);
    }

    #[test]
    fn bad_input_does_not_panic() {
        let r = EntityRecognizer::new();
        let inputs = [
            String::new(),
            "\u{0}\u{1}\u{7f}\t\r\n".repeat(100),
            "Путин встретился с Ким Чен Ыном. 김정은 위원장은 Moskau besuchte.".to_string(),
            "ÄÖÜ-".repeat(5000),
            "x".repeat(100_000),
        ];
        for text in inputs {
            let doc = Document::from_text("bad", &text);
            let mut ann = Annotations::default();
            r.annotate(&doc, &mut ann);
            assert_evidence(&doc, &ann);
        }
    }
}
