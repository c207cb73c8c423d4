//! Entity resolution: mentions → entities within and across documents, incrementally.
//!
//! Names are compared by a normalised key (lower case, hyphens as spaces, transliteration rules
//! from `entities-translit.tsv`). People: full names merge by key, by a one-vowel difference in the
//! given names, or when one name's given names are a subset of the other's; a bare family name
//! joins the one person of that family name in the same document, else (for family names that are
//! not written first) the only person of that name in the corpus. Capitals used as actors
//! ("Moskau erklärte") become their own entity that `refers_to` the country.

use crate::lexicon::{self, Lexicon};
use lagebild_core::{Corpus, CorpusStage, DocSpan, Entity, EntityKind, EntityRole};
use std::collections::{HashMap, HashSet};
use std::ops::Range;

/// Merges mentions into entities within and across documents.
#[derive(Debug, Default)]
pub struct EntityResolver {
    /// (kind, normalised key) → entity.
    names: HashMap<(EntityKind, String), usize>,
    /// Normalised family name → people with a full name.
    families: HashMap<String, Vec<usize>>,
    /// Per entity: normalised words of the fullest person name seen.
    person_words: Vec<Option<Vec<String>>>,
    /// Per entity: surface variant → count.
    variants: Vec<HashMap<String, usize>>,
    /// Single-holder office key ("außenminister@Kanada") → holder entity → how often and where.
    offices: HashMap<String, HashMap<usize, Holding>>,
}

/// How often a person is given an office, in which of their roles, and whether it is flagged.
#[derive(Debug, Default)]
struct Holding {
    count: usize,
    roles: Vec<usize>,
    flagged: bool,
}

impl EntityResolver {
    pub fn new() -> Self {
        EntityResolver::default()
    }

    fn create(&mut self, corpus: &mut Corpus, kind: EntityKind, name: &str) -> usize {
        corpus.entities.push(Entity {
            kind,
            name: name.to_string(),
            aliases: Vec::new(),
            roles: Vec::new(),
            wikipedia: None,
            mentions: Vec::new(),
            refers_to: None,
        });
        self.person_words.push(None);
        self.variants.push(HashMap::new());
        corpus.entities.len() - 1
    }

    /// The entity of a known name (country, organisation) with its Wikipedia title.
    fn known_entity(
        &mut self,
        corpus: &mut Corpus,
        lex: &Lexicon,
        kind: EntityKind,
        name: &str,
    ) -> usize {
        let key = lex.norm(name);
        if let Some(&e) = self.names.get(&(kind, key.clone())) {
            return e;
        }
        let e = self.create(corpus, kind, name);
        corpus.entities[e].wikipedia = lex.known(&key).and_then(|k| k.wikipedia.clone());
        self.names.insert((kind, key), e);
        e
    }

    fn person_full(&mut self, corpus: &mut Corpus, lex: &Lexicon, name: &str) -> usize {
        let key = lex.norm(name);
        let words: Vec<String> = key.split(' ').map(str::to_string).collect();
        let family = family_of(lex, &words);
        if let Some(&e) = self.names.get(&(EntityKind::Person, key.clone())) {
            return e;
        }
        // A known person under another spelling.
        if let Some(known) = lex.known(&key).filter(|k| k.kind == EntityKind::Person) {
            let canon = lex.norm(&known.name);
            if let Some(&e) = self.names.get(&(EntityKind::Person, canon)) {
                self.names.insert((EntityKind::Person, key), e);
                return e;
            }
        }
        let candidates = self.families.get(&family).cloned().unwrap_or_default();
        let matched: Vec<usize> = candidates
            .into_iter()
            .filter(|&e| {
                self.person_words[e]
                    .as_ref()
                    .is_some_and(|w| same_person(lex, w, &words))
            })
            .collect();
        let e = if let [e] = matched[..] {
            e
        } else if let Some(&e) = self
            .names
            .get(&(EntityKind::Person, family.clone()))
            .filter(|&&e| self.person_words[e].is_none() && !lex.is_family_first(&family))
        {
            // Adopt an entity known so far only by its family name.
            e
        } else {
            let e = self.create(corpus, EntityKind::Person, name);
            if let Some(known) = lex.known(&key).filter(|k| k.kind == EntityKind::Person) {
                corpus.entities[e].wikipedia = known.wikipedia.clone();
                self.names
                    .insert((EntityKind::Person, lex.norm(&known.name)), e);
            }
            e
        };
        let fuller = self.person_words[e]
            .as_ref()
            .is_none_or(|w| w.len() < words.len());
        if fuller {
            self.person_words[e] = Some(words);
        }
        let list = self.families.entry(family).or_default();
        if !list.contains(&e) {
            list.push(e);
        }
        self.names.insert((EntityKind::Person, key), e);
        e
    }

    /// Recomputes name and aliases of an entity from its variants.
    fn rename(&self, corpus: &mut Corpus, lex: &Lexicon, e: usize) {
        let variants = &self.variants[e];
        let Some(best) = variants
            .iter()
            .max_by(|a, b| {
                let words = |s: &str| s.split_whitespace().count();
                (words(a.0), a.1, a.0.len(), b.0).cmp(&(words(b.0), b.1, b.0.len(), a.0))
            })
            .map(|(v, _)| v.clone())
        else {
            return;
        };
        let entity = &mut corpus.entities[e];
        let known = lex
            .known(&lex.norm(&best))
            .filter(|k| k.kind == entity.kind && entity.refers_to.is_none());
        entity.name = known.map_or(best.clone(), |k| k.name.clone());
        if entity.wikipedia.is_none() && (entity.kind != EntityKind::Person || best.contains(' ')) {
            entity.wikipedia = known.and_then(|k| k.wikipedia.clone());
        }
        let mut aliases: Vec<(&String, &usize)> = variants
            .iter()
            .filter(|(v, _)| **v != entity.name)
            .collect();
        aliases.sort_by(|a, b| b.1.cmp(a.1).then(a.0.cmp(b.0)));
        entity.aliases = aliases.into_iter().map(|(v, _)| v.clone()).collect();
    }

    /// Sets `flagged` on the roles under the given office keys: a single-holder office is flagged on
    /// a person who holds it less often than someone else in the corpus does. Work per key is
    /// bounded by its holders; a person's roles are rewritten only when their flag changes.
    fn flag(
        &mut self,
        corpus: &mut Corpus,
        keys: &HashSet<String>,
        new_roles: &HashSet<(usize, usize)>,
    ) {
        for k in keys {
            let Some(holders) = self.offices.get_mut(k) else {
                continue;
            };
            let mut best = (0, 0);
            for h in holders.values() {
                if h.count > best.0 {
                    best = (h.count, best.0.max(best.1));
                } else {
                    best.1 = best.1.max(h.count);
                }
            }
            for (&e, h) in holders.iter_mut() {
                // The strongest rival of e: the top holder, or the runner-up when e is on top.
                let rival = if h.count == best.0 { best.1 } else { best.0 };
                let flagged = h.count < rival;
                for &ri in &h.roles {
                    if flagged != h.flagged || new_roles.contains(&(e, ri)) {
                        corpus.entities[e].roles[ri].flagged = flagged;
                    }
                }
                h.flagged = flagged;
            }
        }
    }
}

fn family_of(lex: &Lexicon, words: &[String]) -> String {
    match words {
        [first, _, ..] if lex.is_family_first(first) => first.clone(),
        _ => words.last().cloned().unwrap_or_default(),
    }
}

/// True when two normalised full names denote the same person: same family name and given
/// names equal up to one vowel, or one set of given names contained in the other.
fn same_person(lex: &Lexicon, a: &[String], b: &[String]) -> bool {
    if family_of(lex, a) != family_of(lex, b) {
        return false;
    }
    let given = |w: &[String]| -> Vec<String> {
        let f = family_of(lex, w);
        let mut out: Vec<String> = w.to_vec();
        if let Some(i) = out.iter().position(|x| *x == f) {
            out.remove(i);
        }
        out
    };
    let (ga, gb) = (given(a), given(b));
    if ga.is_empty() || gb.is_empty() {
        return false;
    }
    let (short, long) = if ga.len() <= gb.len() {
        (&ga, &gb)
    } else {
        (&gb, &ga)
    };
    if short.iter().all(|s| long.contains(s))
        && (short.len() > 1 || !lex.is_family_first(&family_of(lex, a)))
    {
        return true;
    }
    one_vowel_apart(&ga.concat(), &gb.concat())
}

/// Equal, or one vowel substituted, inserted or deleted ("yeol"/"yol", "suk"/"sok").
fn one_vowel_apart(a: &str, b: &str) -> bool {
    if a == b {
        return true;
    }
    let (a, b): (Vec<char>, Vec<char>) = (a.chars().collect(), b.chars().collect());
    let vowel = |c: char| "aeiouy".contains(c);
    let pre = a.iter().zip(&b).take_while(|(x, y)| x == y).count();
    let suf = a[pre..]
        .iter()
        .rev()
        .zip(b[pre..].iter().rev())
        .take_while(|(x, y)| x == y)
        .count();
    let (ra, rb) = (&a[pre..a.len() - suf], &b[pre..b.len() - suf]);
    match (ra, rb) {
        ([x], [y]) => vowel(*x) && vowel(*y),
        ([x], []) | ([], [x]) => vowel(*x),
        _ => false,
    }
}

/// The word before and after a char span, lower-cased.
fn context(text: &str, bytes: Range<usize>) -> (String, String) {
    let before = text[..bytes.start]
        .split(|c: char| !c.is_alphanumeric() && c != '-')
        .rev()
        .find(|w| !w.is_empty());
    let sep_before = text[..bytes.start]
        .trim_end()
        .chars()
        .last()
        .is_some_and(|c| !c.is_alphanumeric());
    let after = text[bytes.end..]
        .split(|c: char| !c.is_alphanumeric() && c != '-')
        .find(|w| !w.is_empty());
    let sep_after = text[bytes.end..]
        .trim_start()
        .chars()
        .next()
        .is_some_and(|c| !c.is_alphanumeric());
    (
        if sep_before {
            String::new()
        } else {
            before.unwrap_or("").to_string()
        },
        if sep_after {
            String::new()
        } else {
            after.unwrap_or("").to_string()
        },
    )
}

/// Office key of a role: single-holder office plus the country or organisation it belongs to
/// ("außenminister@Kanada", "generalsekretär@NATO"), unless the role is a former one.
fn office_key(lex: &Lexicon, role: &str) -> Option<String> {
    let words: Vec<String> = role.split_whitespace().map(str::to_lowercase).collect();
    if words.iter().any(|w| {
        let w = w.as_str();
        w.starts_with("ehemal")
            || w.starts_with("früher")
            || w.starts_with("einst")
            || w.starts_with("damalig")
    }) {
        return None;
    }
    let base = words
        .iter()
        .filter_map(|w| lex.role_base(w))
        .find(|b| lex.is_single_office(b))?;
    let org = |w: &str| {
        let head = w.split('-').next().unwrap_or(w);
        [w, head, w.strip_suffix('s').unwrap_or(w)]
            .into_iter()
            .find_map(|x| {
                lex.known(&lex.norm(x))
                    .filter(|k| k.kind == EntityKind::Organization)
            })
            .map(|k| k.name.clone())
    };
    let qualifier = words
        .iter()
        .find_map(|w| lex.country_of(w).map(|c| lex.countries[c].name.clone()))
        .or_else(|| words.iter().find_map(|w| org(w)))?;
    let noun = base.rsplit('-').next().unwrap_or(&base).to_string();
    Some(format!("{noun}@{qualifier}"))
}

/// Strips a genitive `s`/`'` when the rest is a name known in the document or the corpus.
fn strip_genitive<'a>(text: &'a str, known: &dyn Fn(&str) -> bool) -> &'a str {
    for suffix in ["'", "’", "s"] {
        if let Some(stem) = text.strip_suffix(suffix) {
            if stem.chars().count() >= 2 && known(stem) {
                return stem;
            }
        }
    }
    text
}

impl CorpusStage for EntityResolver {
    fn name(&self) -> &'static str {
        "resolve"
    }

    fn update(&mut self, corpus: &mut Corpus, added: Range<usize>) {
        for d in added {
            if d >= corpus.docs.len() {
                break;
            }
            let lex = lexicon::get(corpus.docs[d].doc.language());
            let mentions = corpus.docs[d].ann.mentions.clone();
            let texts: HashSet<&str> = mentions.iter().map(|m| m.text.as_str()).collect();
            let names: Vec<String> = mentions
                .iter()
                .map(|m| {
                    let known = |stem: &str| {
                        texts.contains(stem)
                            || self.names.contains_key(&(m.kind, lex.norm(stem)))
                            || lex.known(&lex.norm(stem)).is_some()
                    };
                    strip_genitive(m.text.trim(), &known).to_string()
                })
                .collect();
            let mut assigned: Vec<Option<usize>> = vec![None; mentions.len()];
            // Family name → the one person of that name in this document (None when several).
            let mut local: HashMap<String, Option<usize>> = HashMap::new();
            let mut touched: HashSet<usize> = HashSet::new();
            for (mi, m) in mentions.iter().enumerate() {
                let name = &names[mi];
                let key = lex.norm(name);
                if key.is_empty() {
                    continue;
                }
                let e = match m.kind {
                    EntityKind::Person if key.contains(' ') => {
                        let e = self.person_full(corpus, lex, name);
                        let words: Vec<String> = key.split(' ').map(str::to_string).collect();
                        let fam = family_of(lex, &words);
                        match local.get(&fam) {
                            Some(Some(x)) if *x != e => {
                                local.insert(fam, None);
                            }
                            Some(_) => {}
                            None => {
                                local.insert(fam, Some(e));
                            }
                        }
                        e
                    }
                    EntityKind::Person => continue,
                    kind => {
                        let lower = name.to_lowercase();
                        let bytes = corpus.docs[d].doc.index().bytes(m.span);
                        let (before, after) = context(corpus.docs[d].doc.text(), bytes);
                        let capital = lex
                            .capital_of(&lower)
                            .filter(|_| kind == EntityKind::Location);
                        let metonym = capital.is_some()
                            && !lex.is_locative(&before)
                            && after.chars().next().is_some_and(char::is_lowercase)
                            && !lex.is_locative(&after);
                        if let (true, Some(c)) = (metonym, capital) {
                            let country = self.known_entity(
                                corpus,
                                lex,
                                EntityKind::Location,
                                &lex.countries[c].name.clone(),
                            );
                            let mkey = (EntityKind::Location, format!("→{key}"));
                            match self.names.get(&mkey) {
                                Some(&e) => e,
                                None => {
                                    let e = self.create(corpus, EntityKind::Location, name);
                                    corpus.entities[e].refers_to = Some(country);
                                    self.names.insert(mkey, e);
                                    e
                                }
                            }
                        } else {
                            match lex.known(&key) {
                                Some(k) if k.kind == kind || kind != EntityKind::Person => {
                                    let (kk, kn) = (k.kind, k.name.clone());
                                    let e = self.known_entity(corpus, lex, kk, &kn);
                                    self.names.entry((kind, key)).or_insert(e);
                                    e
                                }
                                // The same unknown name tagged with another non-person kind
                                // elsewhere is the same thing (NATO as ORG here, LOC there).
                                _ => match [
                                    kind,
                                    EntityKind::Organization,
                                    EntityKind::Location,
                                    EntityKind::Other,
                                ]
                                .iter()
                                .find_map(|k| self.names.get(&(*k, key.clone())))
                                {
                                    Some(&e) => e,
                                    None => {
                                        let e = self.create(corpus, kind, name);
                                        self.names.insert((kind, key), e);
                                        e
                                    }
                                },
                            }
                        }
                    }
                };
                assigned[mi] = Some(e);
            }
            // Bare family names: same document first, then a unique person in the corpus.
            for (mi, m) in mentions.iter().enumerate() {
                let key = lex.norm(&names[mi]);
                if m.kind != EntityKind::Person || key.contains(' ') || key.is_empty() {
                    continue;
                }
                let e = match local.get(&key) {
                    Some(Some(e)) => *e,
                    Some(None) => self.create(corpus, EntityKind::Person, &names[mi]),
                    None if lex.is_family_first(&key) => {
                        let dkey = (EntityKind::Person, format!("{key}#{d}"));
                        match self.names.get(&dkey) {
                            Some(&e) => e,
                            None => {
                                let e = self.create(corpus, EntityKind::Person, &names[mi]);
                                self.names.insert(dkey, e);
                                e
                            }
                        }
                    }
                    None => match self.families.get(&key).map(Vec::as_slice) {
                        Some([e]) => *e,
                        _ => match self.names.get(&(EntityKind::Person, key.clone())) {
                            Some(&e) => e,
                            None => {
                                let e = self.create(corpus, EntityKind::Person, &names[mi]);
                                self.names.insert((EntityKind::Person, key), e);
                                e
                            }
                        },
                    },
                };
                assigned[mi] = Some(e);
            }
            for (mi, e) in assigned.iter().enumerate() {
                let Some(e) = *e else { continue };
                corpus.docs[d].ann.mentions[mi].entity = Some(e);
                corpus.entities[e].mentions.push((d, mi));
                *self.variants[e].entry(names[mi].clone()).or_insert(0) += 1;
                touched.insert(e);
            }
            let mut keys = HashSet::new();
            let mut new_roles = HashSet::new();
            for role in corpus.docs[d].ann.roles.clone() {
                let Some(e) = assigned.get(role.mention).copied().flatten() else {
                    continue;
                };
                let ri = corpus.entities[e].roles.len();
                corpus.entities[e].roles.push(EntityRole {
                    at: DocSpan {
                        doc: d,
                        span: role.span,
                    },
                    text: role.text.clone(),
                    flagged: false,
                });
                if let Some(k) = office_key(lex, &role.text) {
                    let h = self
                        .offices
                        .entry(k.clone())
                        .or_default()
                        .entry(e)
                        .or_default();
                    h.count += 1;
                    h.roles.push(ri);
                    new_roles.insert((e, ri));
                    keys.insert(k);
                }
            }
            for &e in &touched {
                self.rename(corpus, lex, e);
            }
            self.flag(corpus, &keys, &new_roles);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::EntityRecognizer;
    use lagebild_core::{
        AnalyzedDocument, Annotations, Document, DocumentStage, Mention, Role, Span,
    };

    /// A document whose mentions (and roles) are given by their texts, found in order.
    fn doc(
        id: &str,
        text: &str,
        mentions: &[(&str, EntityKind)],
        roles: &[(&str, usize)],
    ) -> AnalyzedDocument {
        let doc = Document::from_text(id, text);
        let mut ann = Annotations::default();
        let mut from = 0;
        for (m, kind) in mentions {
            let b = text[from..].find(m).expect("mention in text") + from;
            from = b + m.len();
            let span = doc.span_of_bytes(b..b + m.len());
            ann.mentions.push(Mention {
                span,
                text: m.to_string(),
                kind: *kind,
                entity: None,
            });
        }
        for (r, mention) in roles {
            let b = text.find(r).expect("role in text");
            let span: Span = doc.span_of_bytes(b..b + r.len());
            ann.roles.push(Role {
                span,
                text: r.to_string(),
                mention: *mention,
            });
        }
        lagebild_core::evidence::assert_evidence(&doc, &ann);
        AnalyzedDocument { doc, ann }
    }

    use EntityKind::{Location as L, Person as P};

    fn entity_of(c: &Corpus, d: usize, m: usize) -> usize {
        c.docs[d].ann.mentions[m].entity.expect("resolved")
    }

    #[test]
    fn variants_and_surnames_merge_across_documents() {
        let mut c = Corpus::default();
        c.docs.push(doc(
            "a",
            "Anton Gruber traf Wolodymyr Selenskyj. Gruber sagte.",
            &[
                ("Anton Gruber", P),
                ("Wolodymyr Selenskyj", P),
                ("Gruber", P),
            ],
            &[],
        ));
        c.docs.push(doc(
            "b",
            "Volodymyr Zelensky und Gruber.",
            &[("Volodymyr Zelensky", P), ("Gruber", P)],
            &[],
        ));
        let mut r = EntityResolver::new();
        r.update(&mut c, 0..1);
        r.update(&mut c, 1..2);
        assert_eq!(entity_of(&c, 0, 0), entity_of(&c, 0, 2));
        assert_eq!(entity_of(&c, 0, 1), entity_of(&c, 1, 0));
        assert_eq!(entity_of(&c, 0, 0), entity_of(&c, 1, 1));
        let z = &c.entities[entity_of(&c, 1, 0)];
        assert_eq!(z.wikipedia.as_deref(), Some("Wolodymyr Selenskyj"));
        assert_eq!(c.entities[entity_of(&c, 0, 0)].name, "Anton Gruber");
        assert_eq!(c.entities[entity_of(&c, 0, 0)].wikipedia, None);
    }

    #[test]
    fn shared_family_names_stay_apart_without_evidence() {
        let mut c = Corpus::default();
        c.docs.push(doc(
            "a",
            "Kim Jong Un und Kim Yo Jong. Kim sagte.",
            &[("Kim Jong Un", P), ("Kim Yo Jong", P), ("Kim", P)],
            &[],
        ));
        c.docs.push(doc("b", "Kim kam.", &[("Kim", P)], &[]));
        c.docs.push(doc(
            "c",
            "Yoon Suk Yeol und Yoon Suk Yol.",
            &[("Yoon Suk Yeol", P), ("Yoon Suk Yol", P)],
            &[],
        ));
        let mut r = EntityResolver::new();
        r.update(&mut c, 0..3);
        let (a, b, k) = (
            entity_of(&c, 0, 0),
            entity_of(&c, 0, 1),
            entity_of(&c, 0, 2),
        );
        assert_ne!(a, b);
        assert_ne!(k, a);
        assert_ne!(k, b);
        assert_ne!(entity_of(&c, 1, 0), a);
        assert_eq!(entity_of(&c, 2, 0), entity_of(&c, 2, 1));
    }

    #[test]
    fn capital_as_actor_refers_to_country() {
        let mut c = Corpus::default();
        c.docs.push(doc(
            "a",
            "Moskau erklärte, in Moskau sei es kalt.",
            &[("Moskau", L), ("Moskau", L)],
            &[],
        ));
        let mut r = EntityResolver::new();
        r.update(&mut c, 0..1);
        let (m, lit) = (entity_of(&c, 0, 0), entity_of(&c, 0, 1));
        assert_ne!(m, lit);
        let country = c.entities[m].refers_to.expect("metonym");
        assert_eq!(c.entities[country].name, "Russland");
        assert_eq!(c.entities[lit].refers_to, None);
    }

    #[test]
    fn office_given_to_the_wrong_person_is_flagged() {
        let mut c = Corpus::default();
        for i in 0..2 {
            c.docs.push(doc(
                &format!("d{i}"),
                "Der kanadische Außenminister Paul Roth kam.",
                &[("Paul Roth", P)],
                &[("kanadische Außenminister", 0)],
            ));
        }
        c.docs.push(doc(
            "x",
            "Der kanadische Außenminister Jan Berg kam.",
            &[("Jan Berg", P)],
            &[("kanadische Außenminister", 0)],
        ));
        let mut r = EntityResolver::new();
        r.update(&mut c, 0..2);
        r.update(&mut c, 2..3);
        let roth = &c.entities[entity_of(&c, 0, 0)];
        assert!(roth.roles.iter().all(|r| !r.flagged));
        let berg = &c.entities[entity_of(&c, 2, 0)];
        assert!(berg.roles[0].flagged);
    }

    #[test]
    fn genitive_and_recognizer_end_to_end() {
        let text = "Der kanadische Außenminister Paul Roth traf Angela Merkel in Berlin. Roths Rede war kurz. Merkel sagte nichts.";
        let d = Document::from_text("e", text);
        let mut ann = Annotations::default();
        EntityRecognizer::new().annotate(&d, &mut ann);
        lagebild_core::evidence::assert_evidence(&d, &ann);
        let mut c = Corpus::default();
        c.docs.push(AnalyzedDocument { doc: d, ann });
        let mut r = EntityResolver::new();
        r.update(&mut c, 0..1);
        assert!(c.entities.iter().all(|e| !e.name.is_empty()));
    }

    #[test]
    fn vowel_distance() {
        assert!(one_vowel_apart("sukyeol", "sukyol"));
        assert!(one_vowel_apart("taeyul", "taeyol"));
        assert!(!one_vowel_apart("jongun", "jongil"));
        assert!(!one_vowel_apart("anna", "anja"));
    }
}
