//! The claim ledger: statements of the same proposition grouped across sentences and articles,
//! with each holder's stance (assert, confirm, deny, doubt) and its evidence.
//!
//! A statement is an attributed quotation, or an accusation, confirmation or denial event no
//! quotation covers. It is reduced to a proposition signature: predicate and theme concepts
//! from `speech-claim-concepts.tsv` ("liefert Waffen" and "mit Munition versorgen" are both
//! supply + weapons), its arguments (entities, with countries, capitals and country adjectives
//! folded into one key: "nordkoreanische", "Pjöngjang", "Nordkorea"), and its content words.
//! A statement joins a claim when it shares a predicate or theme concept *and* an argument with
//! one of the claim's statements (or repeats its wording), never on general words such as
//! "Zusammenarbeit" alone, and never when the predicates are opposites ("ausbauen" vs
//! "beenden") or the themes differ (weapons vs troops).
//!
//! A denial or confirmation without content of its own ("wies diese Vorwürfe zurück",
//! "dementierte die Berichte") answers a claim of the same article: the latest one naming the
//! holder as an argument, else the latest accusation or nearby claim. A negated speech act
//! ("dementierte die Berichte nicht") is no stance at all: not denying is neither a denial nor
//! a confirmation, so the ledger records nothing for it. Negated content ("es gebe keine
//! Truppen") asserted against a positive claim is a denial of it.
//!
//! Candidates come from an index kept in the stage (argument key → claims), looking at the most
//! recent claims per key only, so new documents never re-read old ones and the work per
//! statement stays bounded.

mod words;

pub(crate) use words::{class, get as claim_words, ClaimWords};

use crate::lexicon::{self, class as lex_class, Lexicon};
use crate::text::View;
use lagebild_core::{
    Claim, Corpus, CorpusStage, DocSpan, Entity, EntityKind, Mention, Quote, Span, Stance,
    StanceKind,
};
use std::collections::{HashMap, HashSet};
use std::ops::Range;
use words::{ConceptId, Role};

/// Groups statements of the same proposition and records each holder's stance.
#[derive(Debug, Default)]
pub struct ClaimLedger {
    /// Per claim (same index as `corpus.claims`).
    index: Vec<ClaimIndex>,
    /// Argument key → claims with a statement naming it, oldest first.
    postings: HashMap<String, Vec<usize>>,
}

#[derive(Debug, Default)]
struct ClaimIndex {
    /// Signatures of the statements with content of their own.
    members: Vec<Sig>,
    /// Per member: its readable statement and how well it can state the claim: 2 for the
    /// content of an asserting quotation, 1 for an asserting event sentence, 0 for a denial.
    wordings: Vec<(String, u8)>,
    /// Union of the members' arguments.
    args: HashSet<String>,
    /// Keys of the holders with a stance.
    holders: HashSet<String>,
    /// The founding statement was negated ("es gebe keine Truppen").
    negated: bool,
    /// Someone accused someone of it: what "diese Vorwürfe" point at.
    accused: bool,
    /// Document and char offset of the latest stance.
    last: (usize, usize),
}

/// The proposition of a statement.
#[derive(Clone, Debug, Default)]
struct Sig {
    preds: Vec<ConceptId>,
    themes: Vec<ConceptId>,
    weak: Vec<ConceptId>,
    refs: Vec<ConceptId>,
    /// Entity keys: `c:<country>`, `#<entity>`, `n:<name>`.
    args: HashSet<String>,
    /// Stemmed content words.
    terms: HashSet<String>,
    negated: bool,
}

#[derive(Clone, Debug)]
struct Holder {
    entity: Option<usize>,
    text: String,
    /// Argument keys the holder goes by (never empty).
    keys: Vec<String>,
}

/// One statement before it is placed in a claim.
struct Statement {
    sig: Sig,
    holder: Holder,
    stance: StanceKind,
    accuse: bool,
    /// Content too thin to stand alone ("wies die Vorwürfe zurück").
    anaphoric: bool,
    /// Read from an event sentence (holder and trigger included), not a quotation's content.
    from_event: bool,
    at: DocSpan,
    text: String,
    statement: String,
}

/// How a statement was made.
#[derive(Clone, Copy)]
struct Said {
    stance: StanceKind,
    accuse: bool,
    from_event: bool,
}

/// Score a statement needs to join a claim by concepts (see [`score`]).
const JOIN: f64 = 4.0;
/// Word overlap (Jaccard of stems) at which two statements with a shared argument are the
/// same wording even without a shared concept.
const SAME_WORDING: f64 = 0.5;
/// Most recent claims per argument key compared with a new statement.
const RECENT: usize = 256;
/// How far back (chars) an anaphoric denial reaches for a claim without a named link.
const ANAPHOR_REACH: usize = 600;
/// Most statements of a claim compared with a new one (the latest), and most claims of the
/// current article an anaphoric denial looks back on: bounds the work on very long inputs.
const MEMBERS: usize = 32;
/// Neighbouring quotations compared for nesting and shared attribution.
const NEAR: usize = 8;
/// Longest phrase before a trigger taken as an unnamed holder ("Ein Sprecher der Armee").
const PREFIELD_WORDS: usize = 8;
/// Tokens searched on each side of a verb for its negation, or after it for its particle.
const CLAUSE_REACH: usize = 40;

impl ClaimLedger {
    pub fn new() -> Self {
        ClaimLedger::default()
    }

    /// The claim a statement with content joins: the best-scoring one sharing an argument.
    fn best_match(&self, words: &ClaimWords, s: &Statement) -> Option<usize> {
        let mut seen = HashSet::new();
        let mut best: Option<(f64, usize)> = None;
        // Whoever denies or confirms may be the agent of the claim ("Moskau bestreitet, … zu
        // haben"); whoever accuses is not.
        let holder: &[String] = if s.accuse { &[] } else { &s.holder.keys };
        for key in s.sig.args.iter().chain(holder) {
            let Some(list) = self.postings.get(key) else {
                continue;
            };
            for &c in &list[list.len().saturating_sub(RECENT)..] {
                if !seen.insert(c) {
                    continue;
                }
                let Some(sc) = self.index[c]
                    .members
                    .iter()
                    .rev()
                    .take(MEMBERS)
                    .filter_map(|m| score(words, &s.sig, holder, m))
                    .max_by(f64::total_cmp)
                else {
                    continue;
                };
                // Ties go to the older claim, so the result does not depend on hash order.
                if best.is_none_or(|(b, bc)| sc > b || (sc == b && c < bc)) {
                    best = Some((sc, c));
                }
            }
        }
        best.map(|(_, c)| c)
    }

    /// The claim a contentless denial or confirmation answers, among the claims of the same
    /// article (latest first): one naming the holder, else the latest accusation ("diese
    /// Vorwürfe") or a claim just stated. Never a claim only the holder itself holds.
    fn anaphoric_target(
        &self,
        words: &ClaimWords,
        s: &Statement,
        doc_claims: &[usize],
    ) -> Option<usize> {
        let candidates = || {
            doc_claims.iter().rev().copied().filter(|&c| {
                let h = &self.index[c].holders;
                !h.iter().all(|k| s.holder.keys.contains(k))
            })
        };
        if let Some(c) =
            candidates().find(|&c| s.holder.keys.iter().any(|k| self.index[c].args.contains(k)))
        {
            return Some(c);
        }
        let accusation = s
            .sig
            .refs
            .iter()
            .any(|&r| words.concepts[r as usize].name == "ref_accusation");
        candidates().find(|&c| {
            let ix = &self.index[c];
            (accusation && ix.accused)
                || (ix.last.0 == s.at.doc
                    && s.at.span.start.saturating_sub(ix.last.1) <= ANAPHOR_REACH)
        })
    }

    fn add(
        &mut self,
        words: &ClaimWords,
        corpus: &mut Corpus,
        s: Statement,
        doc_claims: &mut Vec<usize>,
    ) {
        let target = if s.anaphoric {
            match self.anaphoric_target(words, &s, doc_claims) {
                Some(c) => Some(c),
                // A reaction to something this article never states: nothing to stand against.
                None => return,
            }
        } else {
            self.best_match(words, &s)
        };
        // Negated content against a positive claim (or the reverse) denies it.
        let stance = match target {
            Some(c)
                if self.index[c].negated != s.sig.negated
                    && matches!(s.stance, StanceKind::Assert | StanceKind::Confirm) =>
            {
                StanceKind::Deny
            }
            _ => s.stance,
        };
        let entry = Stance {
            holder: s.holder.entity,
            holder_text: s.holder.text.clone(),
            stance,
            at: s.at,
            text: s.text,
        };
        let c = match target {
            Some(c) => {
                let stances = &mut corpus.claims[c].stances;
                // The same holder in overlapping evidence is the same stance said once.
                // Statements come in text order, so only the latest stances can overlap.
                if stances.iter().rev().take(NEAR).any(|x| {
                    x.at.doc == entry.at.doc
                        && x.at.span.overlaps(entry.at.span)
                        && x.holder_text == entry.holder_text
                }) {
                    return;
                }
                stances.push(entry);
                c
            }
            None => {
                corpus.claims.push(Claim {
                    statement: s.statement.clone(),
                    stances: vec![entry],
                });
                self.index.push(ClaimIndex {
                    negated: s.sig.negated,
                    ..ClaimIndex::default()
                });
                corpus.claims.len() - 1
            }
        };
        let ix = &mut self.index[c];
        ix.last = (s.at.doc, s.at.span.start);
        ix.accused |= s.accuse;
        ix.holders.extend(s.holder.keys);
        if !s.anaphoric {
            for a in &s.sig.args {
                if ix.args.insert(a.clone()) {
                    self.postings.entry(a.clone()).or_default().push(c);
                }
            }
            ix.members.push(s.sig);
            let asserts = matches!(stance, StanceKind::Assert | StanceKind::Confirm);
            let rank = match (asserts, s.from_event) {
                (false, _) => 0,
                (true, true) => 1,
                (true, false) => 2,
            };
            ix.wordings.push((s.statement, rank));
            if let Some(best) = ix.representative() {
                corpus.claims[c].statement = ix.wordings[best].0.clone();
            }
        }
        doc_claims.retain(|&x| x != c);
        doc_claims.push(c);
        if doc_claims.len() > MEMBERS {
            doc_claims.remove(0);
        }
    }
}

impl ClaimIndex {
    /// The member whose wording states the claim best: of the best-ranked wordings (see
    /// `wordings`), the one whose concepts the other
    /// members share most, relative to how many it has (a concise, central wording); ties go
    /// to the earliest.
    fn representative(&self) -> Option<usize> {
        let core =
            |m: &Sig| -> Vec<ConceptId> { m.preds.iter().chain(&m.themes).copied().collect() };
        let cores: Vec<Vec<ConceptId>> = self.members.iter().take(MEMBERS).map(core).collect();
        let centrality = |i: usize| -> f64 {
            if cores[i].is_empty() {
                return 0.0;
            }
            let shared: usize = (0..cores.len())
                .filter(|&j| j != i)
                .map(|j| cores[i].iter().filter(|c| cores[j].contains(c)).count())
                .sum();
            shared as f64 / cores[i].len() as f64
        };
        let rank = self.wordings.iter().map(|w| w.1).max()?;
        (0..cores.len())
            .filter(|&i| self.wordings[i].1 == rank)
            .map(|i| (centrality(i), i))
            .max_by(|a, b| a.0.total_cmp(&b.0).then(b.1.cmp(&a.1)))
            .map(|(_, i)| i)
    }
}

impl CorpusStage for ClaimLedger {
    fn name(&self) -> &'static str {
        "claims"
    }

    fn update(&mut self, corpus: &mut Corpus, added: Range<usize>) {
        // Claims other stages or an earlier ledger left are kept; they get no signature.
        while self.index.len() < corpus.claims.len() {
            self.index.push(ClaimIndex::default());
        }
        for d in added {
            let Some(a) = corpus.docs.get(d) else { break };
            let words = words::get(a.doc.language());
            let statements = Reader::new(corpus, d).statements();
            let mut doc_claims = Vec::new();
            for s in statements {
                self.add(words, corpus, s, &mut doc_claims);
            }
        }
    }
}

/// How well a statement fits one statement of a claim, or `None` when they must stay apart.
/// Concepts count 2 each (shared predicate, shared theme) and 0.5 for a shared general word;
/// shared arguments 1 each (up to 3), the holder named in the other statement 0.5, and word
/// overlap up to 3; a theme on one side only costs 1. Joining needs a shared predicate or theme and a score of [`JOIN`], or the
/// same wording; either way a shared argument.
fn score(words: &ClaimWords, s: &Sig, holder: &[String], m: &Sig) -> Option<f64> {
    let shared = |a: &[ConceptId], b: &[ConceptId]| a.iter().any(|x| b.contains(x));
    let pred = shared(&s.preds, &m.preds);
    let theme = shared(&s.themes, &m.themes);
    let opposed = s.preds.iter().any(|&p| {
        words.concepts[p as usize]
            .opposites
            .iter()
            .any(|o| m.preds.contains(o))
    });
    if (opposed && !pred) || (!theme && !s.themes.is_empty() && !m.themes.is_empty()) {
        return None;
    }
    let args = s.args.intersection(&m.args).count();
    let by_holder = holder
        .iter()
        .any(|k| m.args.contains(k) && !s.args.contains(k));
    if args == 0 && !by_holder {
        return None;
    }
    let wording = jaccard(&s.terms, &m.terms);
    let concepts = 2.0 * f64::from(u8::from(pred) + u8::from(theme))
        + if shared(&s.weak, &m.weak) { 0.5 } else { 0.0 };
    // A statement about a thing and one about no thing in particular are weaker matches.
    let lopsided = s.themes.is_empty() != m.themes.is_empty();
    let score = concepts + args.min(3) as f64 + if by_holder { 0.5 } else { 0.0 } + 3.0 * wording
        - if lopsided { 1.0 } else { 0.0 };
    let by_concept = (pred || theme) && score >= JOIN;
    let by_wording = wording >= SAME_WORDING && s.terms.len().min(m.terms.len()) >= 3;
    (by_concept || by_wording).then_some(score)
}

fn jaccard(a: &HashSet<String>, b: &HashSet<String>) -> f64 {
    let shared = a.intersection(b).count() as f64;
    let union = (a.len() + b.len()) as f64 - shared;
    if union == 0.0 {
        0.0
    } else {
        shared / union
    }
}

/// Lowercase stem of a content word: common inflection endings cut off.
fn stem(lower: &str) -> String {
    let mut w = lower.to_string();
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

fn country_key(country: &str) -> String {
    format!("c:{}", country.to_lowercase())
}

/// Reads the statements of one document of the corpus.
struct Reader<'a> {
    d: usize,
    ann: &'a lagebild_core::Annotations,
    doc: &'a lagebild_core::Document,
    entities: &'a [Entity],
    view: View<'a>,
    lex: &'static Lexicon,
    words: &'static ClaimWords,
    mentions_ordered: bool,
}

impl<'a> Reader<'a> {
    fn new(corpus: &'a Corpus, d: usize) -> Self {
        let a = &corpus.docs[d];
        Reader {
            d,
            ann: &a.ann,
            doc: &a.doc,
            entities: &corpus.entities,
            view: View::new(&a.doc, &a.ann),
            lex: lexicon::get(a.doc.language()),
            words: words::get(a.doc.language()),
            mentions_ordered: a.ann.mentions.is_sorted_by_key(|m| m.span.start),
        }
    }

    /// The document's statements in text order.
    fn statements(&self) -> Vec<Statement> {
        let mut out = Vec::new();
        let quotes = &self.ann.quotes;
        for (i, q) in quotes.iter().enumerate() {
            // A quotation inside a longer one of the same speaker is the same statement.
            let near = i.saturating_sub(NEAR)..(i + NEAR + 1).min(quotes.len());
            let nested = near.clone().map(|j| (j, &quotes[j])).any(|(j, o)| {
                j != i
                    && o.span.contains(q.span)
                    && (o.span != q.span || j < i)
                    && o.speaker.as_ref().map(|s| &s.text) == q.speaker.as_ref().map(|s| &s.text)
            });
            if nested {
                continue;
            }
            // "X bestätigte, dass …, und erklärte, dass …": the second content clause has the
            // speaker of the first one in its sentence.
            let attribution = match q.speaker {
                Some(_) => Some(q),
                None => {
                    let sentence = self.sentence_of(q.span.start);
                    quotes[near.start..i]
                        .iter()
                        .rev()
                        .find(|o| o.speaker.is_some() && self.sentence_of(o.span.start) == sentence)
                }
            };
            if let Some(a) = attribution {
                self.quote(q, a, &mut out);
            }
        }
        for e in &self.ann.events {
            self.event(e, &mut out);
        }
        out.sort_by_key(|s| s.at.span.start);
        out
    }

    /// Index of the sentence holding a char offset.
    fn sentence_of(&self, offset: usize) -> usize {
        let t = self.toks(Span::new(offset, offset + 1)).start;
        self.view.sents.partition_point(|r| r.end <= t)
    }

    /// Token indexes under a char span.
    fn toks(&self, span: Span) -> Range<usize> {
        let bytes = self.doc.index().bytes(span);
        let toks = &self.view.toks;
        let a = toks.partition_point(|t| t.end <= bytes.start);
        let b = toks.partition_point(|t| t.start < bytes.end).max(a);
        a..b
    }

    /// Whether token `i` ends a clause for the scope of a negation.
    fn boundary(&self, i: usize) -> bool {
        let t = &self.view.toks[i];
        if !t.word {
            return matches!(
                t.lower.as_str(),
                "," | ";" | ":" | "." | "!" | "?" | "„" | "“" | "\"" | "»" | "«" | "(" | ")"
            );
        }
        self.words.is(&t.lower, class::CLAUSE | class::CONJ)
    }

    /// Whether the verb at token `i` is negated in its clause ("dementierte … nicht"),
    /// a focus particle ("nicht nur") aside.
    fn negated(&self, i: usize) -> bool {
        negated_at(self.words, &self.view, i, |k| self.boundary(k))
    }

    /// The cue kind of a quotation: the reading of its first word whose particle closes the
    /// clause ("wies … zurück" denies, "wies … hin" says), else one without a particle.
    fn cue_kind(&self, cue: Span) -> Option<&'static str> {
        let r = self.toks(cue);
        let first = r.clone().find(|&i| self.view.toks[i].word)?;
        let forms = self.lex.cue(self.view.lower(first));
        let end = (first + CLAUSE_REACH).min(self.view.toks.len());
        let particle_near = |p: &str| (first + 1..end).any(|k| self.view.lower(k) == p);
        forms
            .iter()
            .find(|f| f.needs_particle && f.particle.is_some_and(particle_near))
            .or_else(|| forms.iter().find(|f| !f.needs_particle))
            .map(|f| f.kind)
    }

    /// The statement of quotation `q`, attributed as `a` is (`q` itself or the quotation
    /// before it in its sentence).
    fn quote(&self, q: &Quote, a: &Quote, out: &mut Vec<Statement>) {
        let Some(speaker) = &a.speaker else { return };
        if self.ann.is_boilerplate(q.span) {
            return;
        }
        let cue_toks = q.cue.as_ref().map(|c| self.toks(c.span));
        if let Some(r) = &cue_toks {
            if let Some(i) = r.clone().find(|&i| self.view.toks[i].word) {
                if self.negated(i) {
                    return;
                }
            }
        }
        let kind = q.cue.as_ref().and_then(|c| self.cue_kind(c.span));
        let (stance, accuse) = stance_of(kind);
        let mut skip = vec![self.toks(speaker.span)];
        skip.extend(cue_toks.clone());
        skip.extend(q.addressee.as_ref().map(|a| self.toks(a.span)));
        let holders = self.quote_holders(a);
        let excluded: Vec<usize> = holders.iter().flat_map(|(m, _)| *m).collect();
        let content: Vec<usize> = self
            .toks(q.span)
            .filter(|i| !skip.iter().any(|r| r.contains(i)))
            .collect();
        // The accused or the subject named between the cue and the content ("werfen X vor, …").
        let between: Vec<usize> = match &cue_toks {
            Some(r) if r.end <= self.toks(q.span).start => (r.end..self.toks(q.span).start)
                .filter(|i| !skip.iter().any(|s| s.contains(i)))
                .collect(),
            _ => Vec::new(),
        };
        let sig = self.sig(&content, &between, &excluded);
        for (_, holder) in holders {
            let said = Said {
                stance,
                accuse,
                from_event: false,
            };
            self.push(out, sig.clone(), holder, said, q.span, &q.text);
        }
    }

    fn event(&self, e: &lagebild_core::Event, out: &mut Vec<Statement>) {
        let (stance, accuse) = match e.kind.as_str() {
            "deny" => (StanceKind::Deny, false),
            "confirm" => (StanceKind::Confirm, false),
            "accuse" => (StanceKind::Assert, true),
            _ => return,
        };
        // Quotations are in text order: those starting before the event's end, nearest first.
        let quotes = &self.ann.quotes;
        let before = quotes.partition_point(|q| q.span.start < e.span.end);
        let quoted = quotes[before.saturating_sub(NEAR)..before]
            .iter()
            .any(|q| q.speaker.is_some() && q.span.overlaps(e.span));
        if !e.factual || quoted {
            return;
        }
        let holders = self.event_holders(e);
        let excluded: Vec<usize> = holders.iter().flat_map(|(m, _)| *m).collect();
        let trigger = self.toks(e.trigger.span);
        // A holder without a name is the phrase before the trigger: no content.
        let from = if excluded.is_empty() {
            trigger.start
        } else {
            self.toks(e.span).start
        };
        let content: Vec<usize> = (from..self.toks(e.span).end)
            .filter(|i| !trigger.contains(i))
            .collect();
        let sig = self.sig(&content, &[], &excluded);
        for (_, holder) in holders {
            let said = Said {
                stance,
                accuse,
                from_event: true,
            };
            self.push(out, sig.clone(), holder, said, e.span, &e.text);
        }
    }

    fn push(
        &self,
        out: &mut Vec<Statement>,
        sig: Sig,
        holder: Holder,
        said: Said,
        span: Span,
        text: &str,
    ) {
        let Said {
            stance,
            accuse,
            from_event,
        } = said;
        let core = !sig.preds.is_empty() || !sig.themes.is_empty();
        let anaphoric = !matches!(stance, StanceKind::Assert)
            && !core
            && (!sig.refs.is_empty() || sig.terms.len() <= 3);
        if !core && !anaphoric && sig.terms.is_empty() {
            return;
        }
        out.push(Statement {
            statement: statement_text(text),
            sig,
            holder,
            stance,
            accuse,
            anaphoric,
            from_event,
            at: DocSpan { doc: self.d, span },
            text: text.to_string(),
        });
    }

    /// The argument key of a mention: its country (metonyms and capitals folded in), else its
    /// entity, else its name.
    fn mention_key(&self, m: &Mention) -> String {
        let entity = m.entity.and_then(|e| self.entities.get(e).map(|x| (e, x)));
        let referent = entity.map(|(e, x)| {
            x.refers_to
                .and_then(|r| self.entities.get(r).map(|y| (r, y)))
                .unwrap_or((e, x))
        });
        let names = referent
            .map(|(_, x)| x.name.as_str())
            .into_iter()
            .chain([m.text.as_str()]);
        for name in names {
            let lower = name.to_lowercase();
            let ws: Vec<&str> = lower.split_whitespace().collect();
            if let Some((c, n)) = self.words.country_at(&ws) {
                if n == ws.len() {
                    return country_key(c);
                }
            }
        }
        match referent {
            Some((e, _)) => format!("#{e}"),
            None => format!("n:{}", m.text.to_lowercase()),
        }
    }

    fn holder(&self, m: usize, text: Option<&str>) -> (Option<usize>, Holder) {
        let mention = &self.ann.mentions[m];
        (
            Some(m),
            Holder {
                entity: mention.entity,
                text: text.unwrap_or(&mention.text).to_string(),
                keys: vec![self.mention_key(mention)],
            },
        )
    }

    /// Mentions (people, organisations, places) inside a span, in text order.
    fn mentions_in(&self, span: Span) -> Vec<usize> {
        self.mentions_within(span)
            .filter(|&m| self.ann.mentions[m].kind != EntityKind::Other)
            .collect()
    }

    /// Mentions inside a char span, found by binary search when the mentions are in text
    /// order (as the entity stage leaves them).
    fn mentions_within(&self, span: Span) -> impl Iterator<Item = usize> + '_ {
        let mentions = &self.ann.mentions;
        let (first, ordered) = if self.mentions_ordered {
            (
                mentions.partition_point(|m| m.span.start < span.start),
                true,
            )
        } else {
            (0, false)
        };
        (first..mentions.len())
            .take_while(move |&m| !ordered || mentions[m].span.start < span.end)
            .filter(move |&m| span.contains(mentions[m].span))
    }

    /// The run of coordinated mentions around `head` ("Washington und Seoul").
    fn chain(&self, mentions: &[usize], head: usize) -> Vec<usize> {
        let Some(p) = mentions.iter().position(|&m| m == head) else {
            return vec![head];
        };
        let joined = |a: usize, b: usize| {
            let (a, b) = (self.ann.mentions[a].span, self.ann.mentions[b].span);
            a.end <= b.start && {
                let between = self.doc.slice(Span::new(a.end, b.start)).trim();
                self.words.is(&between.to_lowercase(), class::COORD)
            }
        };
        let mut from = p;
        while from > 0 && joined(mentions[from - 1], mentions[from]) {
            from -= 1;
        }
        let mut to = p;
        while to + 1 < mentions.len() && joined(mentions[to], mentions[to + 1]) {
            to += 1;
        }
        mentions[from..=to].to_vec()
    }

    /// Who holds a quotation: the resolved speaker, each of a coordinated pair of speakers,
    /// or the speaker's words when no name resolves ("das Ministerium").
    fn quote_holders(&self, q: &Quote) -> Vec<(Option<usize>, Holder)> {
        let Some(speaker) = &q.speaker else {
            return Vec::new();
        };
        let inside = self.mentions_in(speaker.span);
        let chain = match q.speaker_mention {
            Some(sm) if inside.contains(&sm) => self.chain(&inside, sm),
            Some(sm) => vec![sm],
            None => Vec::new(),
        };
        match chain[..] {
            [] => {
                let mut keys: Vec<String> = inside
                    .iter()
                    .map(|&m| self.mention_key(&self.ann.mentions[m]))
                    .collect();
                keys.extend(
                    speaker
                        .text
                        .split(|c: char| !c.is_alphanumeric() && c != '-')
                        .filter_map(|w| self.words.country(&w.to_lowercase()))
                        .map(country_key),
                );
                keys.push(format!("n:{}", speaker.text.to_lowercase()));
                vec![(
                    None,
                    Holder {
                        entity: None,
                        text: speaker.text.clone(),
                        keys,
                    },
                )]
            }
            [one] => {
                let text = inside.contains(&one).then_some(speaker.text.as_str());
                vec![self.holder(one, text)]
            }
            _ => chain.iter().map(|&m| self.holder(m, None)).collect(),
        }
    }

    /// Who holds an accusation, confirmation or denial event: the coordinated actors just
    /// before the trigger (the subject), else the first actor after it.
    fn event_holders(&self, e: &lagebild_core::Event) -> Vec<(Option<usize>, Holder)> {
        let mut actors = e.actors.clone();
        actors.retain(|&m| m < self.ann.mentions.len());
        actors.sort_by_key(|&m| self.ann.mentions[m].span);
        let before: Vec<usize> = actors
            .iter()
            .copied()
            .filter(|&m| self.ann.mentions[m].span.end <= e.trigger.span.start)
            .collect();
        let chain = match before.last() {
            Some(&last) => self.chain(&before, last),
            None => actors.first().copied().into_iter().collect(),
        };
        if chain.is_empty() {
            return self.prefield(e).into_iter().map(|h| (None, h)).collect();
        }
        chain.iter().map(|&m| self.holder(m, None)).collect()
    }

    /// A holder without a name: the words before the trigger when they form a short phrase
    /// opening the sentence ("Ein Sprecher der Luftwaffe bestätigte …").
    fn prefield(&self, e: &lagebild_core::Event) -> Option<Holder> {
        let sentence = self.toks(e.span);
        let trigger = self.toks(e.trigger.span).start;
        let words = sentence.start..trigger;
        let toks = &self.view.toks;
        if words.is_empty()
            || words.len() > PREFIELD_WORDS
            || !toks[words.start].cap
            || words.clone().any(|k| !toks[k].word)
            || self.lex.is(
                self.view.lower(words.start),
                lex_class::PRON | lex_class::ADV,
            )
        {
            return None;
        }
        let span = self.view.span(words.start, words.end);
        let text = self.doc.slice(span).to_string();
        let mut keys: Vec<String> = words
            .filter_map(|k| self.words.country(self.view.lower(k)))
            .map(country_key)
            .collect();
        keys.push(format!("n:{}", text.to_lowercase()));
        Some(Holder {
            entity: None,
            text,
            keys,
        })
    }

    /// The proposition signature of the content tokens; `extra` tokens add arguments only;
    /// `excluded` mentions (the holders) are no arguments.
    fn sig(&self, content: &[usize], extra: &[usize], excluded: &[usize]) -> Sig {
        let mut sig = Sig::default();
        let toks = &self.view.toks;
        let in_content: HashSet<usize> = content.iter().chain(extra).copied().collect();
        let mut name_toks: HashSet<usize> = HashSet::new();
        let (Some(&lo), Some(&hi)) = (in_content.iter().min(), in_content.iter().max()) else {
            return sig;
        };
        let region = self.view.span(lo, hi + 1);
        for m in self.mentions_within(region) {
            let mention = &self.ann.mentions[m];
            let r = self.toks(mention.span);
            if r.is_empty() || !in_content.contains(&r.start) {
                continue;
            }
            name_toks.extend(r);
            if !excluded.contains(&m) {
                sig.args.insert(self.mention_key(mention));
            }
        }
        let holder_toks: HashSet<usize> = excluded
            .iter()
            .flat_map(|&m| self.toks(self.ann.mentions[m].span))
            .collect();
        for (pass, list) in [(0, content), (1, extra)] {
            let mut k = 0;
            while k < list.len() {
                let i = list[k];
                k += 1;
                if !toks[i].word || holder_toks.contains(&i) {
                    continue;
                }
                let run: Vec<&str> = (i..(i + 4).min(toks.len()))
                    .take_while(|&j| toks[j].word)
                    .map(|j| self.view.lower(j))
                    .collect();
                if let Some((c, n)) = self.words.country_at(&run) {
                    sig.args.insert(country_key(c));
                    k += n - 1;
                    continue;
                }
                if pass == 1 || name_toks.contains(&i) {
                    continue;
                }
                self.word(&mut sig, i);
            }
        }
        sig
    }

    /// Adds the concepts, content stem and polarity of one content word.
    fn word(&self, sig: &mut Sig, i: usize) {
        let lower = self.view.lower(i);
        if self.words.is(lower, class::POLAR) {
            let focus = self
                .view
                .toks
                .get(i + 1)
                .is_some_and(|t| self.words.is(&t.lower, class::NONEG));
            sig.negated |= !focus;
            return;
        }
        let mut ids = Vec::new();
        self.words.concepts_of(lower, &mut ids);
        let mut reference = false;
        for id in ids {
            let list = match self.words.concepts[id as usize].role {
                Role::Pred => &mut sig.preds,
                Role::Theme => &mut sig.themes,
                Role::Weak => &mut sig.weak,
                Role::Ref => {
                    reference = true;
                    &mut sig.refs
                }
            };
            if !list.contains(&id) {
                list.push(id);
            }
        }
        let function_word = self.lex.is(
            lower,
            lex_class::STOP
                | lex_class::SUB
                | lex_class::DET
                | lex_class::PRON
                | lex_class::AUX
                | lex_class::PREP
                | lex_class::KONJ
                | lex_class::ADV
                | lex_class::TIME,
        ) || self.words.is(
            lower,
            class::STOP | class::PREP | class::CONJ | class::CLAUSE | class::NEG,
        );
        if reference
            || function_word
            || lower.chars().count() < 3
            || lower.chars().all(|c| c.is_ascii_digit() || c == '.')
            || !self.lex.cue(lower).is_empty()
        {
            return;
        }
        sig.terms.insert(stem(lower));
    }
}

/// Whether the word at token `i` is negated within its clause: a negation word (not a focus
/// particle as in "nicht nur") between the clause boundaries around it.
pub(crate) fn negated_at(
    words: &ClaimWords,
    view: &View,
    i: usize,
    boundary: impl Fn(usize) -> bool,
) -> bool {
    let neg = |k: usize| {
        words.is(view.lower(k), class::NEG)
            && !view
                .toks
                .get(k + 1)
                .is_some_and(|t| words.is(&t.lower, class::NONEG))
    };
    let left = (i.saturating_sub(CLAUSE_REACH)..i)
        .rev()
        .take_while(|&k| !boundary(k))
        .any(neg);
    let right = (i + 1..(i + CLAUSE_REACH).min(view.toks.len()))
        .take_while(|&k| !boundary(k))
        .any(neg);
    left || right
}

/// Stance of a cue kind, and whether it accuses.
fn stance_of(kind: Option<&str>) -> (StanceKind, bool) {
    match kind {
        Some("deny") => (StanceKind::Deny, false),
        Some("confirm") => (StanceKind::Confirm, false),
        Some("doubt") => (StanceKind::Doubt, false),
        Some("accuse") => (StanceKind::Assert, true),
        _ => (StanceKind::Assert, false),
    }
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
    use lagebild_core::evidence::assert_evidence;
    use lagebild_core::{AnalyzedDocument, Annotations, Document, DocumentStage};

    /// An invented article with the given names marked as mentions of entity `e`.
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
        assert_evidence(&doc, &ann);
        AnalyzedDocument { doc, ann }
    }

    fn ledger(articles: &[(&str, &str)], names: &[(&str, EntityKind, usize)]) -> Corpus {
        let mut corpus = Corpus::default();
        let mut ledger = ClaimLedger::new();
        for (i, (id, text)) in articles.iter().enumerate() {
            corpus.docs.push(analysed(id, text, names));
            ledger.update(&mut corpus, i..i + 1);
        }
        for c in &corpus.claims {
            for s in &c.stances {
                assert_eq!(corpus.slice(s.at), s.text);
            }
        }
        corpus
    }

    /// (holder, stance, document) of the claim whose statement contains `word`.
    fn stances(corpus: &Corpus, word: &str) -> Vec<(String, StanceKind, usize)> {
        let claim = corpus
            .claims
            .iter()
            .find(|c| c.stances.iter().any(|s| s.text.contains(word)))
            .unwrap_or_else(|| panic!("no claim on {word}: {:#?}", corpus.claims));
        claim
            .stances
            .iter()
            .map(|s| (s.holder_text.clone(), s.stance, s.at.doc))
            .collect()
    }

    fn st(holder: &str, stance: StanceKind, doc: usize) -> (String, StanceKind, usize) {
        (holder.to_string(), stance, doc)
    }

    const NAMES: &[(&str, EntityKind, usize)] = &[
        ("Berlin", EntityKind::Location, 0),
        ("Serbien", EntityKind::Location, 1),
        ("Belgrad", EntityKind::Location, 1),
        ("Libyen", EntityKind::Location, 2),
        ("Paris", EntityKind::Location, 3),
        ("Kiew", EntityKind::Location, 4),
        ("Russland", EntityKind::Location, 5),
        ("Moskau", EntityKind::Location, 5),
        ("Saporischschja", EntityKind::Location, 6),
        ("Atomenergiebehörde", EntityKind::Organization, 7),
        ("Warschau", EntityKind::Location, 8),
    ];

    #[test]
    fn accusation_and_denial_meet_in_one_claim() {
        use StanceKind::*;
        let corpus = ledger(
            &[
                ("a", "Berlin erklärte, dass Serbien Libyen mit Waffen beliefert. Belgrad wies die Vorwürfe als absurd zurück."),
                ("b", "Paris sagte, Serbien liefere Munition an Libyen."),
            ],
            NAMES,
        );
        assert_eq!(
            stances(&corpus, "Belgrad"),
            [
                st("Berlin", Assert, 0),
                st("Belgrad", Deny, 0),
                st("Paris", Assert, 1)
            ]
        );
    }

    /// Two invented articles: an accusation meets its denial, an assertion its confirmation,
    /// though the wording, the holders and the articles differ.
    #[test]
    fn propositions_meet_across_articles() {
        use StanceKind::*;
        let corpus = ledger(
            &[
                (
                    "a",
                    "Die Regierung in Kiew wirft Russland vor, Getreide aus den besetzten Gebieten zu stehlen. \
                     Ein Sprecher des Verteidigungsministeriums erklärte, russische Truppen hätten das \
                     Kraftwerk Saporischschja erneut beschossen. Das Wetter blieb unterdessen mild.",
                ),
                (
                    "b",
                    "Moskau bestreitet, Getreide aus besetzten Gebieten gestohlen zu haben. \
                     Die Atomenergiebehörde bestätigte, dass das Kraftwerk Saporischschja beschossen wurde.",
                ),
            ],
            NAMES,
        );
        assert_eq!(
            stances(&corpus, "Getreide"),
            [
                st("Die Regierung in Kiew", Assert, 0),
                st("Moskau", Deny, 1)
            ]
        );
        assert_eq!(
            stances(&corpus, "Kraftwerk"),
            [
                st("Ein Sprecher des Verteidigungsministeriums", Assert, 0),
                st("Die Atomenergiebehörde", Confirm, 1)
            ]
        );
    }

    #[test]
    fn opposite_predicates_and_general_words_do_not_join() {
        let corpus = ledger(
            &[
                (
                    "a",
                    "Berlin erklärte, Serbien wolle die Zusammenarbeit mit Libyen ausbauen.",
                ),
                (
                    "b",
                    "Paris forderte, Serbien müsse die Zusammenarbeit mit Libyen beenden.",
                ),
                (
                    "c",
                    "Warschau sagte, die Zusammenarbeit zwischen Serbien und Libyen sei eng.",
                ),
            ],
            NAMES,
        );
        assert_eq!(corpus.claims.len(), 3, "{:#?}", corpus.claims);
    }

    #[test]
    fn different_themes_do_not_join() {
        let corpus = ledger(
            &[
                ("a", "Berlin erklärte, Serbien liefere Waffen an Libyen."),
                ("b", "Paris erklärte, Serbien liefere Getreide an Libyen."),
            ],
            NAMES,
        );
        assert_eq!(corpus.claims.len(), 2, "{:#?}", corpus.claims);
    }

    #[test]
    fn negated_denial_is_no_stance_and_negated_content_denies() {
        use StanceKind::*;
        let corpus = ledger(
            &[
                ("a", "Berlin bestätigte, dass Serbien Soldaten nach Libyen entsandt habe."),
                (
                    "b",
                    "Belgrad dementierte die Berichte nicht. Paris sagte, es gebe keine serbischen Truppen in Libyen.",
                ),
            ],
            NAMES,
        );
        assert_eq!(
            stances(&corpus, "Soldaten"),
            [st("Berlin", Confirm, 0), st("Paris", Deny, 1)]
        );
        assert!(corpus
            .claims
            .iter()
            .all(|c| c.stances.iter().all(|s| s.holder_text != "Belgrad")));
    }

    #[test]
    fn coordinated_holders_each_take_a_stance() {
        use StanceKind::*;
        let corpus = ledger(
            &[
                (
                    "a",
                    "Paris und Warschau werfen Serbien vor, Libyen mit Raketen zu versorgen.",
                ),
                (
                    "b",
                    "Belgrad hat Berichte über serbische Waffenlieferungen an Libyen dementiert.",
                ),
            ],
            NAMES,
        );
        assert_eq!(
            stances(&corpus, "Raketen"),
            [
                st("Paris", Assert, 0),
                st("Warschau", Assert, 0),
                st("Belgrad", Deny, 1)
            ]
        );
    }

    #[test]
    fn reaction_without_an_earlier_claim_stands_nowhere() {
        let corpus = ledger(&[("a", "Belgrad wies die Vorwürfe zurück.")], NAMES);
        assert!(corpus.claims.is_empty(), "{:#?}", corpus.claims);
    }

    /// A long single-line input with many statements: every stage stays bounded per
    /// statement (no panics, no blow-up), and repeated statements join one claim.
    #[test]
    fn long_single_line_input() {
        let sentence =
            "Berlin erklärte, Serbien liefere Waffen an Libyen. Belgrad wies die Vorwürfe zurück. \
                        Paris bestätigte, dass Serbien Truppen nach Libyen entsandt habe. ";
        let text = sentence.repeat(1_000);
        let corpus = ledger(&[("long", &text)], NAMES);
        assert_eq!(corpus.claims.len(), 2, "{:?}", corpus.claims.len());
        assert!(corpus.claims.iter().all(|c| c.stances.len() >= 1_000));
    }

    #[test]
    fn stems() {
        assert_eq!(stem("lieferungen"), "liefer");
        assert_eq!(stem("truppen"), "trupp");
        assert_eq!(stem("gas"), "gas");
    }
}
