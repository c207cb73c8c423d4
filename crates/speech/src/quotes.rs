//! Direct, indirect and reported speech with speaker, cue and addressee.
//!
//! Rule-based over a light token view: quotation marks are paired, then each quotation is
//! attributed through an adjacent cue ("…“, sagte er", "Er sagte: „…“"), a cue elsewhere in the
//! sentence, or the speaker of the quotation just before. Indirect speech is found from cue verbs
//! with a content clause (", dass …", Konjunktiv, zu-infinitive), from markers ("laut X",
//! "X zufolge", ", so X") and as Konjunktiv sentences continuing an attributed quotation.
//! Quoted text nobody speaks (titles, scare quotes, headlines) is left alone.

use crate::lexicon::{self, class, Form, Lexicon, MarkerPos};
use crate::text::View;
use lagebild_core::{Annotations, Document, DocumentStage, EntityKind, Evidence, Quote, QuoteKind};
use std::collections::HashSet;
use std::ops::Range;

/// Finds direct and indirect quotations with their speakers.
#[derive(Debug, Default)]
pub struct QuoteExtractor;

impl QuoteExtractor {
    pub fn new() -> Self {
        QuoteExtractor
    }
}

impl DocumentStage for QuoteExtractor {
    fn name(&self) -> &'static str {
        "quotes"
    }

    fn annotate(&self, doc: &Document, ann: &mut Annotations) {
        let lex = lexicon::get(doc.language());
        let view = View::new(doc, ann);
        let found = Finder::new(&view, lex, ann).run();
        let mut index = NearIndex::new(ann);
        let mut quotes = Vec::with_capacity(found.len());
        for f in found {
            let span = view.span(f.quote.start, f.quote.end);
            if ann.is_boilerplate(span) {
                continue;
            }
            let evidence = |r: Range<usize>| {
                let s = view.span(r.start, r.end);
                Evidence {
                    span: s,
                    text: doc.slice(s).to_string(),
                }
            };
            let speaker = f.speaker.clone().map(evidence);
            let speaker_mention = speaker.as_ref().and_then(|s| {
                resolve_speaker(doc, &index.near(ann, s.span), lex, s, &quotes)
                    .or_else(|| institution_mention(doc, ann, &mut index, lex, s))
            });
            quotes.push(Quote {
                span,
                text: doc.slice(span).to_string(),
                kind: f.kind,
                speaker,
                speaker_mention,
                cue: f.cue.map(evidence),
                addressee: f.addressee.map(evidence),
            });
        }
        ann.quotes = quotes;
    }
}

/// A quotation in token terms (half-open token ranges).
#[derive(Clone, Debug)]
pub(crate) struct Found {
    pub quote: Range<usize>,
    pub kind: QuoteKind,
    pub speaker: Option<Range<usize>>,
    pub cue: Option<Range<usize>>,
    pub addressee: Option<Range<usize>>,
}

/// Who spoke last, for quotations that continue without a cue.
#[derive(Clone, Debug)]
struct Attribution {
    speaker: Option<Range<usize>>,
    cue: Option<Range<usize>>,
    /// Index of the last sentence the attribution covers.
    sentence: usize,
}

/// Longest a clause, a noun phrase or a quotation may be, in tokens: keeps every search linear.
const MAX_CLAUSE: usize = 60;
const MAX_QUOTE: usize = 400;
/// How many sentences after an attribution a subjunctive sentence still continues it.
const CONTINUE_GAP: usize = 4;

struct Finder<'v, 'a> {
    v: &'v View<'a>,
    lex: &'static Lexicon,
    /// Sentence index of each token.
    sent_of: Vec<usize>,
    /// Quotation-mark pairs (open, close), inclusive token indexes.
    pairs: Vec<(usize, usize)>,
    /// Tokens already used as a cue.
    used_cue: Vec<bool>,
    /// Tokens inside a person, organisation or place name found by the entities stage.
    named: Vec<bool>,
    /// Words the document writes in lowercase somewhere (so not names).
    lowercase: HashSet<&'v str>,
    /// Tokens inside an accepted direct quotation.
    in_direct: Vec<bool>,
    out: Vec<Found>,
    last: Option<Attribution>,
    /// End (exclusive) of the last accepted direct quotation.
    last_direct_end: usize,
    /// Index in `out` of the continuation quotation that the next sentence may extend.
    open_continuation: Option<usize>,
}

fn is_open_mark(s: &str) -> Option<&'static [&'static str]> {
    Some(match s {
        "„" => &["“", "”", "\""],
        "»" => &["«"],
        "«" => &["»"],
        "“" => &["”", "“"],
        "\"" => &["\""],
        "‚" => &["‘", "’"],
        "‹" => &["›"],
        _ => return None,
    })
}

impl<'v, 'a> Finder<'v, 'a> {
    fn new(v: &'v View<'a>, lex: &'static Lexicon, ann: &Annotations) -> Self {
        let mut sent_of = vec![0; v.toks.len()];
        for (si, r) in v.sents.iter().enumerate() {
            for s in &mut sent_of[r.clone()] {
                *s = si;
            }
        }
        let n = v.toks.len();
        let mut named = vec![false; n];
        for m in &ann.mentions {
            if m.kind == EntityKind::Other {
                continue;
            }
            let b = v.doc.index().bytes(m.span);
            let first = v.toks.partition_point(|t| t.start < b.start);
            let inside = v.toks[first..]
                .iter()
                .take_while(|t| t.end <= b.end)
                .count();
            named[first..first + inside].fill(true);
        }
        Finder {
            v,
            lex,
            sent_of,
            pairs: Vec::new(),
            used_cue: vec![false; n],
            named,
            lowercase: v
                .toks
                .iter()
                .filter(|t| t.word && !t.cap)
                .map(|t| t.lower.as_str())
                .collect(),
            in_direct: vec![false; n],
            out: Vec::new(),
            last: None,
            last_direct_end: 0,
            open_continuation: None,
        }
    }

    fn lower(&self, i: usize) -> &str {
        self.v.lower(i)
    }

    fn is(&self, i: usize, class: u32) -> bool {
        self.lex.is(self.lower(i), class)
    }

    fn punct(&self, i: usize, p: &str) -> bool {
        self.v.is_punct(i, p)
    }

    fn word(&self, i: usize) -> bool {
        self.v.toks[i].word
    }

    fn cap(&self, i: usize) -> bool {
        self.v.toks[i].cap
    }

    fn run(mut self) -> Vec<Found> {
        self.pair_marks();
        let mut next_pair = 0;
        for si in 0..self.v.sents.len() {
            let sent = self.v.sents[si].clone();
            let before = self.out.len();
            // Direct quotations opening in this sentence.
            while next_pair < self.pairs.len() && self.pairs[next_pair].0 < sent.end {
                let (open, close) = self.pairs[next_pair];
                next_pair += 1;
                if open >= sent.start {
                    self.direct(open, close);
                }
            }
            self.indirect(si, sent.clone());
            if self.out.len() == before {
                self.continuation(si, sent);
            }
        }
        self.out.sort_by_key(|f| (f.quote.start, f.quote.end));
        self.out
    }

    /// Pairs quotation marks within a line; an unclosed mark is dropped at the line's end.
    fn pair_marks(&mut self) {
        let mut open: Option<(usize, &'static [&'static str])> = None;
        for i in 0..self.v.toks.len() {
            if self.v.toks[i].newline_before {
                open = None;
            }
            if self.word(i) {
                continue;
            }
            let s = self.v.text(i);
            match open {
                Some((o, closers)) if closers.contains(&s) => {
                    if i > o + 1 {
                        self.pairs.push((o, i));
                    }
                    open = None;
                }
                Some((o, _)) if i - o > MAX_QUOTE => open = None,
                Some(_) => {}
                None => open = is_open_mark(s).map(|c| (i, c)),
            }
        }
    }

    /// Attributes a pair of quotation marks, or leaves it as a title or scare quote.
    fn direct(&mut self, open: usize, close: usize) {
        let sent = self.v.sents[self.sent_of[open]].clone();
        let end_sent = self.v.sents[self.sent_of[close]].clone();
        let words = (open + 1..close).filter(|&i| self.word(i)).count();
        let inner_final = (open + 1..close)
            .rev()
            .find(|&i| !self.punct(i, "“"))
            .is_some_and(|i| matches!(self.lower(i), "." | "!" | "?" | "…"));
        let quote = open..close + 1;
        // After the closing mark: „…“, sagte er / „…“, so der Minister / „…“, hieß es.
        if let Some(a) = self.attribution_after(close + 1, end_sent.end) {
            return self.accept_direct(quote, a);
        }
        // Before the opening mark: Er sagte: „…“ / „…“, sagte er, „…“.
        let from = sent.start.max(self.last_direct_end);
        if let Some(a) = self.attribution_before(from, open) {
            return self.accept_direct(quote, a);
        }
        // "Der Bundestrainer zeigt sich zufrieden: „Wir haben …“": a colon before a quoted
        // sentence frames it even without a cue verb; the clause's subject is the speaker.
        if open > from && self.punct(open - 1, ":") && words >= 3 && self.cap(open + 1) {
            let a = self.colon_frame(from.max(sent.start), open - 1);
            return self.accept_direct(quote, a);
        }
        let title = open > sent.start && self.word(open - 1) && self.is(open - 1, class::TITLE);
        let headline = self.v.toks[open].newline_before && {
            let line_end = (close + 1..self.v.toks.len())
                .find(|&i| self.v.toks[i].newline_before)
                .unwrap_or(self.v.toks.len());
            line_end <= close + 2
        } || open == 0;
        if title || headline {
            return;
        }
        if self.name_like(open, close) {
            return;
        }
        // A cue elsewhere in the sentence: "verurteilte den Anschlag als „feige“".
        // The cue stays free for the indirect speech that may frame the quotation
        // ("teilte mit, dass die „…“ anhalten").
        if let Some(a) = self.sentence_cue(sent.clone(), open, close) {
            let cue = a.cue.clone();
            self.accept_direct(quote, a);
            for i in cue.into_iter().flatten() {
                self.used_cue[i] = false;
            }
            return;
        }
        // A whole sentence in quotation marks after an attributed quotation: same speaker.
        let whole = words >= 4 && (inner_final || close + 1 >= end_sent.end - 1);
        if whole {
            if let Some(last) = self.last.clone() {
                if self.sent_of[open] <= last.sentence + 2
                    && !self.paragraph_break(last.sentence, open)
                {
                    let a = Attribution {
                        speaker: last.speaker,
                        cue: None,
                        sentence: self.sent_of[close],
                    };
                    self.accept_direct(quote, a);
                }
            }
        }
    }

    /// A quoted name or title: every word capitalised ("„Al Jazeera“", "„Morning Star“").
    fn name_like(&self, open: usize, close: usize) -> bool {
        let words: Vec<usize> = (open + 1..close).filter(|&i| self.word(i)).collect();
        words.len() <= 5
            && words.iter().all(|&i| {
                self.cap(i)
                    || self.is(i, class::DET)
                    || self.lower(i).chars().all(|c| c.is_ascii_digit())
            })
    }

    fn paragraph_break(&self, sentence: usize, upto: usize) -> bool {
        let from = self.v.sents[sentence].end;
        (from..=upto.min(self.v.toks.len() - 1)).any(|i| self.v.toks[i].newline_before)
    }

    fn accept_direct(&mut self, quote: Range<usize>, a: Attribution) {
        for i in quote.clone() {
            self.in_direct[i] = true;
        }
        if let Some(c) = &a.cue {
            for i in c.clone() {
                self.used_cue[i] = true;
            }
        }
        self.open_continuation = None;
        let sentence = a.sentence.max(self.sent_of[quote.end - 1]);
        self.last_direct_end = self.last_direct_end.max(quote.end);
        // The addressee in the cue's clause ("sagte sie gegenüber der Zeitung").
        let addressee = a.cue.as_ref().and_then(|c| {
            let sent = self.v.sents[self.sent_of[c.start]].clone();
            let cs = self.clause_start(sent.start, c.start);
            let end = (c.start..sent.end.min(c.start + MAX_CLAUSE))
                .find(|&k| self.in_direct[k] || is_open_mark(self.v.text(k)).is_some())
                .unwrap_or(sent.end.min(c.start + MAX_CLAUSE));
            self.addressee(cs, end)
        });
        self.out.push(Found {
            quote,
            kind: QuoteKind::Direct,
            speaker: a.speaker.clone(),
            cue: a.cue.clone(),
            addressee,
        });
        self.last = Some(Attribution { sentence, ..a });
    }

    /// `, sagte X` / `, so X` / `, hieß es` right after a closing mark.
    fn attribution_after(&self, mut i: usize, end: usize) -> Option<Attribution> {
        let separated = i < end && (self.punct(i, ",") || self.punct(i, "–") || self.punct(i, "-"));
        if separated {
            i += 1;
        }
        if i >= end || !self.word(i) {
            return None;
        }
        if self.lower(i) == "so" {
            let sp = self.np_right(i + 1, end)?;
            return Some(Attribution {
                speaker: Some(sp),
                cue: Some(i..i + 1),
                sentence: self.sent_of[i],
            });
        }
        let (_, particle) = self.cue_form(i, end)?;
        let cue_end = particle.map_or(i + 1, |p| p + 1);
        let speaker = self.speaker_after(i + 1, end);
        // "als „absurd“ zurückgewiesen": a verb right after the mark with nobody after it
        // ends a clause that began before the quotation.
        if !separated && speaker.is_none() {
            return None;
        }
        Some(Attribution {
            speaker,
            cue: Some(i..cue_end.min(i + 1)),
            sentence: self.sent_of[i],
        })
    }

    /// `X sagte:` / `, sagte X, ` between `from` and an opening mark.
    fn attribution_before(&self, from: usize, open: usize) -> Option<Attribution> {
        if open <= from {
            return None;
        }
        let last = open - 1;
        let ends_frame = self.punct(last, ":") || self.punct(last, ",");
        if !ends_frame {
            return None;
        }
        let start = from.max(open.saturating_sub(MAX_CLAUSE));
        for i in (start..last).rev() {
            let reused = self.used_cue[i] && i < self.last_direct_end;
            if reused || !self.word(i) || self.in_direct[i] {
                continue;
            }
            if self.cue_form(i, open).is_some() {
                let speaker = self.subject(start, i, last);
                return Some(Attribution {
                    speaker,
                    cue: Some(i..i + 1),
                    sentence: self.sent_of[i],
                });
            }
        }
        None
    }

    /// The frame `cs..colon` of a colon-introduced quotation without a cue verb: its subject,
    /// found around the clause's first finite-looking word (lowercase, not a function word).
    fn colon_frame(&self, from: usize, colon: usize) -> Attribution {
        let cs = self.clause_start(from, colon);
        let verb = (cs..colon).find(|&k| {
            self.word(k)
                && !self.cap(k)
                && !self.is(
                    k,
                    class::DET | class::PREP | class::ADV | class::NEG | class::PRON,
                )
        });
        let speaker = verb.and_then(|f| self.subject(cs, f, colon));
        Attribution {
            speaker,
            cue: None,
            sentence: self.sent_of[colon],
        }
    }

    /// A cue verb anywhere else in the sentence (outside quotation marks).
    fn sentence_cue(&self, sent: Range<usize>, open: usize, close: usize) -> Option<Attribution> {
        let near =
            sent.start.max(open.saturating_sub(MAX_CLAUSE))..sent.end.min(close + MAX_CLAUSE);
        for i in near {
            if (open..=close).contains(&i) || self.used_cue[i] || self.in_direct[i] || !self.word(i)
            {
                continue;
            }
            if self.cue_form(i, sent.end).is_some() {
                let cs = self.clause_start(sent.start, i);
                let speaker = self.subject(cs, i, sent.end);
                speaker.as_ref()?;
                return Some(Attribution {
                    speaker,
                    cue: Some(i..i + 1),
                    sentence: self.sent_of[i],
                });
            }
        }
        None
    }

    /// Indirect and reported speech in one sentence.
    fn indirect(&mut self, si: usize, sent: Range<usize>) {
        let end = content_end(self, sent.clone());
        let mut i = sent.start;
        while i < sent.end {
            if self.in_direct[i] || self.used_cue[i] || !self.word(i) {
                i += 1;
                continue;
            }
            if let Some(next) = self.marker(si, sent.clone(), end, i) {
                i = next;
                continue;
            }
            if let Some((form, particle)) = self.cue_form(i, sent.end) {
                if self.cue_clause(si, sent.clone(), end, i, form, particle) {
                    i = particle.map_or(i + 1, |p| p.max(i) + 1);
                    continue;
                }
            }
            i += 1;
        }
    }

    /// "laut X …", "X zufolge …", "nach Angaben X …", "demnach …", "…, so X".
    fn marker(&mut self, si: usize, sent: Range<usize>, end: usize, i: usize) -> Option<usize> {
        let lex = self.lex;
        let m = lex.markers.iter().find(|m| {
            m.words
                .iter()
                .enumerate()
                .all(|(k, w)| i + k < sent.end && self.lower(i + k) == *w && !self.in_direct[i + k])
        });
        // "nach Polizeiangaben", "nach ersten Meldungen": a source noun after "nach".
        let generic_nach = m.is_none() && self.lower(i) == "nach" && {
            let mut j = i + 1;
            while j < sent.end && (self.adjective_like(j) || self.is(j, class::DET)) {
                j += 1;
            }
            j < sent.end && self.cap(j) && lex.source_noun(self.lower(j))
        };
        // "seiner Meinung nach", "dem Vernehmen nach": the source noun comes first.
        let post_nach = m.is_none()
            && !generic_nach
            && self.lower(i) == "nach"
            && i > sent.start
            && self.cap(i - 1)
            && lex.source_noun(self.lower(i - 1));
        if post_nach {
            let cs = self.clause_start(sent.start, i);
            let sp = self.np_left(cs, i)?;
            let content = if sp.start <= self.lead_in(sent.start) {
                i + 1..end
            } else {
                sent.start..end
            };
            let content =
                self.trim_start(content.start, content.end.min(content.start + MAX_QUOTE));
            if content.len() < 2 || content.clone().any(|k| self.in_direct[k]) {
                return None;
            }
            self.used_cue[i] = true;
            self.emit_indirect(si, content, Some(sp), Some(i..i + 1));
            return Some(i + 1);
        }
        let m = if generic_nach {
            lex.markers.iter().find(|m| m.words == ["laut"])
        } else {
            m
        };
        let (speaker, after): (Option<Range<usize>>, usize) = match m {
            Some(m) => match m.pos {
                MarkerPos::Before => {
                    let sp = self.source_np(i + 1, sent.end)?;
                    let after = sp.end;
                    // "Laut Yonhap sagte der Minister, …": the verb's own frame names the
                    // speaker; the source only relays it.
                    if after < end && self.word(after) && self.cue_form(after, sent.end).is_some() {
                        return None;
                    }
                    (Some(sp), after)
                }
                MarkerPos::After => {
                    let cs = self.clause_start(sent.start, i);
                    let sp = self.np_left(cs, i)?;
                    (Some(sp), i + 1)
                }
                MarkerPos::Anaphoric | MarkerPos::Reference => {
                    let hearsay = (i + 1..end.min(i + MAX_CLAUSE))
                        .any(|k| self.is(k, class::KONJ | class::REPORT));
                    let opens = i <= self.lead_in(sent.start);
                    let sure = m.pos == MarkerPos::Reference && opens;
                    if !hearsay && !sure {
                        return None;
                    }
                    (Some(i..i + 1), i + 1)
                }
                MarkerPos::Relative => {
                    // "ein Bericht, wonach …": the noun before names the source; the clause
                    // after is the content.
                    if i < sent.start + 2 || !self.punct(i - 1, ",") || i + 2 >= end {
                        return None;
                    }
                    let cs = self.clause_start(sent.start, i - 1);
                    let sp = self.np_left(cs, i - 1);
                    let content = self.trim_start(i + 1, end.min(i + 1 + MAX_QUOTE));
                    if content.clone().any(|k| self.in_direct[k]) {
                        return None;
                    }
                    self.used_cue[i] = true;
                    self.emit_indirect(si, content, sp, Some(i..i + 1));
                    return Some(end);
                }
            },
            None => {
                // ", so X" closing a statement.
                if self.lower(i) != "so" || i == sent.start || !self.punct(i - 1, ",") {
                    return None;
                }
                let sp = self.source_np(i + 1, sent.end)?;
                let sp = self.with_trailing_apposition(sp, end);
                let tail_ok =
                    sp.end >= end || self.is(sp.end, class::PREP) || self.punct(sp.end, ",");
                if !tail_ok || i - 1 <= sent.start {
                    return None;
                }
                if self.in_direct[i - 2] {
                    return None;
                }
                let content = self.trim_start(sent.start.max(i.saturating_sub(MAX_QUOTE)), i - 1);
                self.emit_indirect(si, content, Some(sp), Some(i..i + 1));
                return Some(i + 1);
            }
        };
        let frame_start = match (m.map(|m| m.pos), &speaker) {
            (Some(MarkerPos::After), Some(sp)) => sp.start,
            _ => i,
        };
        let content = if frame_start <= self.lead_in(sent.start) {
            after..end
        } else if after >= end {
            sent.start..frame_start.saturating_sub(usize::from(self.punct(frame_start - 1, ",")))
        } else {
            sent.start..end
        };
        let content = self.trim_start(content.start, content.end.min(content.start + MAX_QUOTE));
        if content.len() < 2
            || content.clone().any(|k| self.in_direct[k]) && !self.covers_with_text(&content)
        {
            return None;
        }
        self.used_cue[i] = true;
        self.emit_indirect(si, content, speaker, Some(i..i + 1));
        Some(after)
    }

    /// The source a marker names: a noun phrase, a quoted name ("laut „Welt“") or a web
    /// address ("laut bildblog.de").
    fn source_np(&self, i: usize, end: usize) -> Option<Range<usize>> {
        if i >= end {
            return None;
        }
        if let Some(closers) = is_open_mark(self.v.text(i)) {
            let close = (i + 2..end.min(i + 8)).find(|&k| closers.contains(&self.v.text(k)))?;
            return Some(i..close + 1);
        }
        let address = self.word(i) && !self.cap(i) && self.lower(i).contains('.');
        if address {
            return Some(i..i + 1);
        }
        self.np_right(i, end)
    }

    /// A verb-second clause opening with its subject ("…, die Lage sei ernst"), not a relative
    /// or adverbial clause ("…, der gestern kam", "…, als er ging").
    fn main_clause_start(&self, c: usize, end: usize) -> bool {
        if c + 2 >= end || self.is(c, class::CLAUSE) {
            return false;
        }
        if self.is(c, class::PRON) && !self.is(c, class::DET) {
            return true;
        }
        self.np_right(c, end).is_some_and(|np| {
            np.end < end && self.word(np.end) && !self.cap(np.end) && !self.is(np.end, class::DET)
        })
    }

    /// Whether a content range holds more than one direct quotation (it then stays a frame).
    fn covers_with_text(&self, content: &Range<usize>) -> bool {
        content
            .clone()
            .filter(|&k| !self.in_direct[k] && self.word(k))
            .count()
            >= 3
    }

    /// Skips a leading conjunction ("Und laut …") when locating a sentence-initial frame.
    fn lead_in(&self, start: usize) -> usize {
        if start < self.v.toks.len() && matches!(self.lower(start), "und" | "aber" | "auch") {
            start + 1
        } else {
            start
        }
    }

    fn trim_start(&self, a: usize, b: usize) -> Range<usize> {
        let mut a = a;
        while a < b && !self.word(a) && is_open_mark(self.v.text(a)).is_none() {
            a += 1;
        }
        let mut b = b;
        while b > a && matches!(self.v.text(b - 1), "," | ";" | ":" | "–" | "-") {
            b -= 1;
        }
        a..b
    }

    /// A cue verb with its content clause, or a speech act reported without one.
    fn cue_clause(
        &mut self,
        si: usize,
        sent: Range<usize>,
        end: usize,
        i: usize,
        form: Form,
        particle: Option<usize>,
    ) -> bool {
        let cs = self.clause_start(sent.start, i);
        let after = particle.map_or(i + 1, |p| p.max(i) + 1);
        // Content after the frame: ", dass …", ": …", ", er sei …", ", … zu tun".
        let mut k = after;
        while k < sent.end && k < after + MAX_CLAUSE && !self.punct(k, ",") && !self.punct(k, ":") {
            if is_open_mark(self.v.text(k)).is_some() {
                break;
            }
            // "äußerte sich … und sagte, …": the coordinated speech verb frames the content.
            let next_cue = self.lower(k) == "und"
                && k + 1 < sent.end
                && self.word(k + 1)
                && !self.cap(k + 1)
                && self.cue_form(k + 1, sent.end).is_some();
            if next_cue {
                return false;
            }
            k += 1;
        }
        let speaker = self.subject(cs, i, k.min(sent.end));
        let addressee = self
            .addressee(cs, k.min(sent.end))
            .or_else(|| self.object_addressee(i, k.min(sent.end), &speaker, form.kind));
        // "Wie die Polizei mitteilte, …" / "…, wie die Polizei mitteilte."
        if cs < i && self.lower(cs) == "wie" && speaker.is_some() {
            let content = if cs <= self.lead_in(sent.start) && k < end && self.punct(k, ",") {
                k + 1..end
            } else if cs > sent.start && self.punct(cs - 1, ",") {
                sent.start..cs - 1
            } else {
                return false;
            };
            let content =
                self.trim_start(content.start, content.end.min(content.start + MAX_QUOTE));
            if content.len() >= 2 && !self.in_direct[content.start] {
                self.used_cue[i] = true;
                self.emit_full(si, content, speaker, Some(i..i + 1), addressee);
                return true;
            }
            return false;
        }
        if k + 1 < end && (self.punct(k, ",") || self.punct(k, ":")) {
            let c = k + 1;
            let limit = end.min(c + MAX_CLAUSE);
            let clause_end = (c..limit).find(|&j| self.punct(j, ",")).unwrap_or(limit);
            let ok = self.punct(k, ":")
                || self.is(c, class::SUB)
                || (c..clause_end).any(|j| self.is(j, class::KONJ))
                || (c..clause_end).any(|j| self.lower(j) == "zu" && j + 1 < clause_end)
                || clause_end > c && zu_infinitive(self.lower(clause_end - 1))
                || self.main_clause_start(c, clause_end);
            let starts_direct = self.in_direct[c];
            if ok && !starts_direct && end > c {
                self.used_cue[i] = true;
                let content = self.trim_start(c, end);
                self.emit_full(si, content, speaker, Some(i..i + 1), addressee);
                return true;
            }
        }
        // "Das berichtete die Zeitung." / "Dies teilte die Polizei mit.": the sentence before
        // is the content.
        let lead = self.lead_in(sent.start);
        let finite =
            (lead + 1..i).all(|j| self.is(j, class::AUX) || !self.word(j)) || i == lead + 1;
        if si > 0 && cs == lead && self.is(lead, class::ANAPH) && finite && k >= end {
            if let Some(speaker) = speaker {
                return self.anaphoric(si, speaker, i, addressee);
            }
        }
        // "…, das entschied die NASA.": the clause before the comma is the content.
        if cs > sent.start + 2
            && self.punct(cs - 1, ",")
            && self.is(cs, class::ANAPH)
            && i == cs + 1
            && k >= end
        {
            let content = self.trim_start(sent.start, cs - 1);
            let free = !content
                .clone()
                .any(|j| self.in_direct[j] || self.used_cue[j]);
            if let (true, Some(_)) = (free && content.len() >= 3, &speaker) {
                self.used_cue[i] = true;
                self.emit_full(si, content, speaker, Some(i..i + 1), addressee);
                return true;
            }
        }
        // Content before a verb-first frame: "Die Lage sei ernst, sagte er." (A participle
        // closing the sentence is no such frame.)
        let verb_first = i + 1 < sent.end && self.word(i + 1);
        if cs == i && verb_first && i > sent.start && self.punct(i - 1, ",") {
            let content = self.trim_start(sent.start.max(i.saturating_sub(MAX_QUOTE)), i - 1);
            let words = content.clone().filter(|&j| self.word(j)).count();
            if words >= 3
                && !content
                    .clone()
                    .any(|j| self.in_direct[j] || self.used_cue[j])
            {
                self.used_cue[i] = true;
                self.emit_full(si, content, speaker, Some(i..i + 1), addressee);
                return true;
            }
        }
        // Reported speech: a speech act told without its words ("wies die Vorwürfe zurück").
        // A reflexive verb tells a reaction, not its content ("äußerte sich besorgt über …").
        let reflexive = i + 1 < sent.end && self.lower(i + 1) == "sich";
        let reported = matches!(form.kind, "say" | "demand" | "report" | "deny" | "accuse");
        if reported && !reflexive && speaker.is_some() && cs <= self.lead_in(sent.start) + 1 {
            let whole = self.trim_start(sent.start, sent.end.min(sent.start + MAX_QUOTE));
            if !whole.clone().any(|j| self.in_direct[j]) && whole.len() > 3 {
                self.used_cue[i] = true;
                self.emit_full(si, whole, speaker, Some(i..i + 1), addressee);
                return true;
            }
        }
        false
    }

    /// Attributes the sentence before `si` to the speaker of an anaphoric frame ("Das sagte X."),
    /// re-attributing it when it was only taken as a continuation.
    fn anaphoric(
        &mut self,
        si: usize,
        speaker: Range<usize>,
        cue: usize,
        addressee: Option<Range<usize>>,
    ) -> bool {
        let prev = self.v.sents[si - 1].clone();
        let content = self.trim_start(prev.start, prev.end);
        if content.clone().filter(|&j| self.word(j)).count() < 3 {
            return false;
        }
        let overlapping: Vec<usize> = (0..self.out.len())
            .rev()
            .take(8)
            .filter(|&n| {
                let q = &self.out[n].quote;
                q.start < content.end && content.start < q.end
            })
            .collect();
        self.used_cue[cue] = true;
        match overlapping[..] {
            [] => {
                self.emit_full(
                    si - 1,
                    content,
                    Some(speaker),
                    Some(cue..cue + 1),
                    addressee,
                );
            }
            [n] if self.out[n].cue.is_none() && self.out[n].kind == QuoteKind::Indirect => {
                let f = &mut self.out[n];
                f.speaker = Some(speaker.clone());
                f.cue = Some(cue..cue + 1);
            }
            _ => {
                self.used_cue[cue] = false;
                return false;
            }
        }
        if let Some(last) = &mut self.last {
            last.sentence = si;
        }
        true
    }

    fn emit_indirect(
        &mut self,
        si: usize,
        quote: Range<usize>,
        speaker: Option<Range<usize>>,
        cue: Option<Range<usize>>,
    ) {
        self.emit_full(si, quote, speaker, cue, None);
    }

    fn emit_full(
        &mut self,
        si: usize,
        quote: Range<usize>,
        speaker: Option<Range<usize>>,
        cue: Option<Range<usize>>,
        addressee: Option<Range<usize>>,
    ) {
        let mut quote = quote.start..quote.end.min(quote.start + MAX_QUOTE);
        // Content after its cue ends where the next speech verb opens a clause of its own
        // ("…, meinte er damit" / "… und kündigte an, …").
        if cue.as_ref().is_some_and(|c| c.end <= quote.start) {
            let next_cue = (quote.start + 2..quote.end.saturating_sub(1)).find(|&k| {
                (self.punct(k, ",") || self.lower(k) == "und")
                    && !self.in_direct[k]
                    && self.word(k + 1)
                    && !self.cap(k + 1)
                    && self.cue_form(k + 1, quote.end).is_some()
                    || self.coordinated_verb(k, quote.end)
            });
            if let Some(k) = next_cue {
                quote.end = k;
                while quote.end > quote.start && self.punct(quote.end - 1, ",") {
                    quote.end -= 1;
                }
            }
        }
        let recent = self.out.len().saturating_sub(8);
        if quote.is_empty() || self.out[recent..].iter().any(|f| f.quote == quote) {
            return;
        }
        // Direct quotations embedded in the content share its speaker and cue: its frame is
        // the nearest.
        for f in self.out[recent..].iter_mut() {
            if f.kind == QuoteKind::Direct
                && quote.start <= f.quote.start
                && f.quote.end <= quote.end
                && (f.speaker.is_none() || speaker.is_some())
            {
                f.speaker = speaker.clone();
                f.cue = cue.clone();
            }
        }
        self.open_continuation = None;
        self.nested_directs(&quote, &speaker, &cue, &addressee);
        self.out.push(Found {
            quote,
            kind: QuoteKind::Indirect,
            speaker: speaker.clone(),
            cue: cue.clone(),
            addressee,
        });
        self.last = Some(Attribution {
            speaker,
            cue,
            sentence: si,
        });
    }

    /// ", und erörterte …": a comma and "und" before a lowercase word that opens no phrase of
    /// its own (no article, pronoun, adverb, preposition or conjunction): the frame's subject
    /// goes on with another verb, and the reported content has ended.
    fn coordinated_verb(&self, k: usize, end: usize) -> bool {
        k + 2 < end
            && self.punct(k, ",")
            && self.lower(k + 1) == "und"
            && !self.in_direct[k]
            && self.word(k + 2)
            && !self.cap(k + 2)
            && !self.is(
                k + 2,
                class::DET
                    | class::PRON
                    | class::ADV
                    | class::PREP
                    | class::SUB
                    | class::CLAUSE
                    | class::NEG
                    | class::CSUB,
            )
    }

    /// Quotation marks inside indirect content: direct quotations with the same attribution.
    fn nested_directs(
        &mut self,
        quote: &Range<usize>,
        speaker: &Option<Range<usize>>,
        cue: &Option<Range<usize>>,
        addressee: &Option<Range<usize>>,
    ) {
        let first = self.pairs.partition_point(|&(o, _)| o < quote.start);
        let inner: Vec<(usize, usize)> = self.pairs[first..]
            .iter()
            .copied()
            .take_while(|&(o, _)| o < quote.end)
            .collect();
        for (o, c) in inner {
            if c < quote.end && !self.in_direct[o] && !self.name_like(o, c) {
                let words = (o + 1..c).filter(|&j| self.word(j)).count();
                if words >= 1 {
                    for j in o..=c {
                        self.in_direct[j] = true;
                    }
                    self.out.push(Found {
                        quote: o..c + 1,
                        kind: QuoteKind::Direct,
                        speaker: speaker.clone(),
                        cue: cue.clone(),
                        addressee: addressee.clone(),
                    });
                }
            }
        }
    }

    /// A Konjunktiv (or "soll") sentence shortly after an attributed quotation continues it
    /// with the same speaker: German news keeps reporting speech in the subjunctive without
    /// repeating the frame. Consecutive such sentences form one quotation.
    /// A sentence in unambiguous Konjunktiv I reports speech even without an earlier frame;
    /// its speaker is then taken to be the subject opening the sentence before.
    fn continuation(&mut self, si: usize, sent: Range<usize>) {
        if sent.is_empty() {
            return;
        }
        let attributed = self
            .last
            .clone()
            .filter(|l| si <= l.sentence + CONTINUE_GAP);
        let outside: Vec<usize> = sent
            .clone()
            .filter(|&k| !self.in_direct[k] && self.word(k))
            .collect();
        let marked = |class: u32| outside.iter().any(|&k| self.is(k, class));
        let last = match attributed {
            // Two sentences on, the subjunctive still reports, but whose words they are is
            // no longer sure: the quotation stays, its speaker is left open.
            Some(last) if marked(class::KONJ | class::REPORT) && si > last.sentence + 2 => {
                Attribution {
                    speaker: None,
                    ..last
                }
            }
            Some(last) if marked(class::KONJ | class::REPORT) => last,
            _ if marked(class::KONJ1) => Attribution {
                speaker: self.previous_subject(si),
                cue: None,
                sentence: si.saturating_sub(1),
            },
            _ => return,
        };
        if outside.len() < 3 {
            return;
        }
        let quote = self.trim_start(sent.start, sent.end);
        self.nested_directs(&quote, &last.speaker, &None, &None);
        match self.open_continuation {
            Some(at) if last.sentence + 1 == si && self.out[at].quote.end <= quote.start => {
                self.out[at].quote.end = quote.end;
            }
            _ => {
                self.open_continuation = Some(self.out.len());
                self.out.push(Found {
                    quote,
                    kind: QuoteKind::Indirect,
                    speaker: last.speaker.clone(),
                    cue: None,
                    addressee: None,
                });
            }
        }
        self.last = Some(Attribution {
            sentence: si,
            ..last
        });
    }

    /// The noun phrase opening sentence `si - 1` when a verb follows it ("Der Wetterdienst warnte …").
    fn previous_subject(&self, si: usize) -> Option<Range<usize>> {
        let prev = self.v.sents.get(si.checked_sub(1)?)?.clone();
        self.opening_subject(prev.start, prev.end)
    }

    /// The cue reading of token `i`, with the index of its separated particle when it has one.
    fn cue_form(&self, i: usize, end: usize) -> Option<(Form, Option<usize>)> {
        let forms = self.lex.cue(self.lower(i));
        if forms.is_empty() {
            return None;
        }
        // A capitalised form inside a sentence is a noun ("die Sprachen", "Berichten zufolge"),
        // not the verb it spells.
        let inner_cap =
            self.cap(i) && i > 0 && self.sent_of[i - 1] == self.sent_of[i] && self.word(i - 1);
        if inner_cap && forms.iter().all(|f| !f.noun) {
            return None;
        }
        let clause_end = (i + 1..end.min(i + MAX_CLAUSE))
            .find(|&k| !self.word(k) && !self.punct(k, "-"))
            .unwrap_or(end.min(i + MAX_CLAUSE));
        // A separated particle closes the clause: "teilte … mit,".
        // …or stands before the verb in a subordinate clause: "wie er bekannt gab".
        let particle_at = |p: &str| {
            if clause_end > i + 1 && self.lower(clause_end - 1) == p {
                Some(clause_end - 1)
            } else {
                (i > 0 && self.lower(i - 1) == p && (clause_end == i + 1)).then(|| i - 1)
            }
        };
        let mut plain = None;
        for f in forms {
            match (f.needs_particle, f.particle) {
                (true, Some(p)) => {
                    if let Some(at) = particle_at(p) {
                        return Some((f.clone(), Some(at)));
                    }
                }
                _ => {
                    if plain.is_none() {
                        plain = Some(f.clone());
                    }
                }
            }
        }
        // A bare separable stem ("gab" without "an") is no cue, and neither is a plain verb
        // whose clause closes with a particle of another verb ("sagte … ab").
        let foreign = clause_end > i + 1 && self.is(clause_end - 1, class::PART);
        plain.filter(|_| !foreign).map(|f| (f, None))
    }

    /// First token of the sentence containing `i`: a clause never reaches back past it.
    fn sent_start(&self, i: usize) -> usize {
        self.v.sents[self.sent_of[i]].start
    }

    /// Start of the clause containing `i`: after the last comma, colon, semicolon or dash.
    /// A short parenthesis right after a name ("Jung (CDU)") stays inside the clause.
    fn clause_start(&self, sent_start: usize, i: usize) -> usize {
        let floor = sent_start.max(i.saturating_sub(MAX_CLAUSE));
        let mut k = i;
        while k > floor {
            k -= 1;
            if self.in_direct[k] {
                return k + 1;
            }
            if self.word(k) {
                continue;
            }
            match self.v.text(k) {
                ")" => {
                    let open = (k.saturating_sub(20).max(floor)..k)
                        .rev()
                        .find(|&o| self.punct(o, "("));
                    match open {
                        Some(o) if o > floor && self.noun(o - 1) => k = o,
                        _ => return k + 1,
                    }
                }
                "," | ":" | ";" | "–" | "(" => return k + 1,
                _ => {}
            }
        }
        floor
    }

    /// The speaker of a cue verb at `i` in the clause starting at `cs`.
    fn subject(&self, cs: usize, i: usize, end: usize) -> Option<Range<usize>> {
        self.subject_in(cs, i, end, true)
    }

    /// The subject of the first of two coordinated verbs ("X äußerte sich … und forderte …"):
    /// that of the nearest speech verb before `und`, else the noun phrase opening the clause.
    fn first_conjunct_subject(&self, cs: usize, und: usize) -> Option<Range<usize>> {
        let start = self.sent_start(und).max(und.saturating_sub(MAX_CLAUSE));
        let verb = (start..und)
            .rev()
            .find(|&k| self.word(k) && !self.in_direct[k] && self.cue_form(k, und).is_some());
        verb.and_then(|v| self.subject_in(self.clause_start(start, v), v, und, false))
            .or_else(|| self.opening_subject(cs, und))
    }

    /// [`Self::subject`]; `conjunct` allows looking into a first conjunct.
    fn subject_in(&self, cs: usize, i: usize, end: usize, conjunct: bool) -> Option<Range<usize>> {
        // Finite position: an auxiliary before a participle cue ("hat … angekündigt").
        let aux = (cs..i).find(|&k| self.is(k, class::AUX));
        let f = aux.unwrap_or(i);
        let passive = matches!(self.lower(f), "wurde" | "wurden" | "wird" | "werden");
        if aux.is_some() && passive && !self.is(i, class::PSUBJ) {
            // Passive: the speaker, if any, is the agent after "von".
            return self.agent(cs, end);
        }
        let mut cs = cs;
        // "Als Grund nannte die Behörde …": a main clause whose first constituent opens with
        // "als"; the subject follows the verb.
        let fronted = cs < f
            && self.is(cs, class::CLAUSE)
            && f + 1 < end
            && self.word(f + 1)
            && self.np_right(cs + 1, f).is_some_and(|np| np.end == f);
        if fronted {
            return self.speaker_after(f + 1, end);
        }
        if cs < f && self.is(cs, class::CLAUSE) {
            cs += 1;
            // "wie von der Polizei mitgeteilt"
            return self
                .np_right(cs, f)
                .map(|np| self.with_trailing_apposition(np, f))
                .or_else(|| self.agent(cs, f));
        }
        // "indem er vorwarf", "nachdem die Ministerin erklärt hatte": the subject follows.
        if cs + 1 < f && self.is(cs, class::CSUB) {
            if let Some(np) = self.np_right(cs + 1, f) {
                return Some(self.with_trailing_apposition(np, f));
            }
        }
        while cs + 1 < f
            && (matches!(self.lower(cs), "und" | "aber" | "doch" | "denn" | "sondern")
                || self.is(cs, class::ADV) && !self.is(cs, class::PREP))
        {
            cs += 1;
        }
        // "Die Arbeit der Koalition lobte er": a nominative pronoun right after the verb is
        // the subject whatever stands before.
        if cs < f && f + 1 < end && self.is(f + 1, class::NOM) {
            return Some(f + 1..f + 2);
        }
        if cs < f {
            let np = self
                .np_left(cs, f)
                .filter(|np| np.start == cs)
                .or_else(|| self.np_with_pps(cs, f))
                .filter(|np| self.can_be_subject(np))
                .or_else(|| self.prefield_subject(cs, f));
            if let Some(np) = np {
                return Some(self.with_apposition(np));
            }
        }
        // "Martin Lee, der Gründer der Partei, sagte": the subject closes with a comma.
        // The same when the clause was taken to start before the subject and its apposition.
        let closed = if f >= 2 && f >= cs && self.punct(f - 1, ",") {
            let floor = self.sent_start(f - 1);
            let floor = if cs < f { floor.max(cs) } else { floor };
            let cs2 = self.clause_start(floor, f - 1);
            let np = self.np_left(cs2, f - 1).filter(|np| np.start == cs2);
            // "Todor Kolarow, dessen Behörde zuständig ist, sagte": past a relative clause.
            let relative = np.is_none()
                && self.is(cs2, class::REL)
                && cs2 >= floor + 2
                && self.punct(cs2 - 1, ",");
            let np = if relative {
                let cs3 = self.clause_start(floor, cs2 - 1);
                self.np_left(cs3, cs2 - 1).filter(|np| np.start == cs3)
            } else {
                np
            };
            np.map(|np| self.with_apposition(np))
        } else {
            None
        };
        if let Some(np) = &closed {
            let opens = np.start == 0 || self.sent_of[np.start - 1] != self.sent_of[np.start];
            if opens || cs < f && np.start <= cs {
                return closed;
            }
        }
        // "…, der sagte, …": a relative pronoun is the subject of its clause.
        let verb_final = f + 1 >= end || !self.word(f + 1);
        if cs + 1 == f && verb_final && self.is(cs, class::REL) && cs > 0 && self.punct(cs - 1, ",")
        {
            return Some(cs..cs + 1);
        }
        // "In der Erklärung heißt es, …": an impersonal frame names its source up front.
        if cs < f && f + 1 < end && self.lower(f + 1) == "es" && self.is(cs, class::PREP) {
            if let Some(np) = self.np_right(cs + 1, f) {
                return Some(np);
            }
        }
        if cs != f {
            // "Ein Reporter war vor Ort und berichtet, …": the first conjunct's subject.
            if conjunct && f > cs && matches!(self.lower(f - 1), "und" | "sowie") {
                return self.first_conjunct_subject(cs, f - 1);
            }
            return self.speaker_after(f + 1, end);
        }
        self.speaker_after(f + 1, end).or(closed)
    }

    /// Whether a noun phrase can be a clause's subject: not opened by a dative, accusative or
    /// genitive determiner ("dem Sender", "der englischen Zeitung"), and not a lone capitalised
    /// word opening the sentence that no name list knows ("Insgesamt", "Ähnlich").
    fn can_be_subject(&self, np: &Range<usize>) -> bool {
        let k = np.start;
        if self.is(k, class::OBJ) {
            return false;
        }
        let oblique_der = self.lower(k) == "der"
            && np.len() > 2
            && self.adjective_like(k + 1)
            && self.lower(k + 1).ends_with("en");
        if oblique_der {
            return false;
        }
        let opens = k == 0 || self.sent_of[k - 1] != self.sent_of[k];
        let w = self.lower(k);
        let adverbial = self.lowercase.contains(w)
            || ["lich", "weise", "end", "gemäß", "mäßig"]
                .iter()
                .any(|e| w.ends_with(e));
        !(np.len() == 1 && opens && !self.named[k] && !self.is(k, class::PRON) && adverbial)
    }

    /// The one constituent before the finite verb `f` when it is a noun phrase with attributes
    /// that are not simple nouns ("Eine Reporterin von n24", "Patrick Kamanda von der Behörde
    /// Ugandas (NEMA)"): German puts exactly one constituent there.
    fn prefield_subject(&self, cs: usize, f: usize) -> Option<Range<usize>> {
        let mut np = self.np_right(cs, f).filter(|np| self.can_be_subject(np))?;
        for _ in 0..4 {
            let k = np.end;
            if k >= f {
                break;
            }
            let next = if self.is(k, class::PREP) || matches!(self.lower(k), "von" | "vom") {
                self.np_right(k + 1, f)
                    .or_else(|| (self.word(k + 1) && k + 2 <= f).then(|| k + 1..k + 2))
            } else if self.punct(k, "(") {
                (k + 1..f.min(k + 20))
                    .find(|&c| self.punct(c, ")"))
                    .map(|c| k..c + 1)
            } else {
                None
            };
            match next {
                Some(r) => np = cs..r.end,
                None => break,
            }
        }
        let verb_next =
            np.end == f || self.word(np.end) && !self.cap(np.end) && !self.is(np.end, class::DET);
        verb_next.then_some(np)
    }

    /// The noun phrase at `start` when a lowercase word (the verb) follows it.
    fn opening_subject(&self, start: usize, end: usize) -> Option<Range<usize>> {
        let np = self.np_right(start, end)?;
        let verb_next = np.end < end && self.word(np.end) && !self.cap(np.end);
        verb_next.then(|| self.with_trailing_apposition(np, end))
    }

    /// A subject with prepositional attributes that fills `cs..f`
    /// ("Ein Regierungssprecher in Berlin", "die Delegationsleiterin beim Klimagipfel").
    fn np_with_pps(&self, cs: usize, f: usize) -> Option<Range<usize>> {
        let mut np = self.np_right(cs, f)?;
        for _ in 0..3 {
            if np.end >= f {
                break;
            }
            if !self.is(np.end, class::PREP) {
                return None;
            }
            let k = np.end + 1;
            np = cs..self.np_right(k, f)?.end;
        }
        (np.end == f).then_some(np)
    }

    /// The agent of a passive frame: "von X" / "durch X" in the clause.
    fn agent(&self, cs: usize, end: usize) -> Option<Range<usize>> {
        let k = (cs..end).find(|&k| matches!(self.lower(k), "von" | "vom" | "durch"))?;
        let k = if self.lower(k) == "vom" { k } else { k + 1 };
        self.np_right(k, end).map(|np| np.start.max(k)..np.end)
    }

    /// Extends a subject back over a leading noun phrase in apposition
    /// ("Die Chefjuristin der Regierung, Anabella Morfin").
    fn with_apposition(&self, np: Range<usize>) -> Range<usize> {
        if np.start < 2 || !self.punct(np.start - 1, ",") {
            return np;
        }
        let cs = self.clause_start(self.sent_start(np.start - 1), np.start - 1);
        let starts_clause = cs == 0
            || self.sent_of[cs] != self.sent_of[cs - 1]
            || !self.word(cs - 1) && !self.punct(cs - 1, ",");
        let prev = self
            .np_left(cs, np.start - 1)
            .filter(|prev| prev.start == cs)
            .or_else(|| self.np_with_pps(cs, np.start - 1));
        match prev {
            Some(prev)
                if prev.start == cs
                    && starts_clause
                    && self.sent_of[cs] == self.sent_of[np.start] =>
            {
                prev.start..np.end
            }
            _ => np,
        }
    }

    /// The subject after a verb, past adverbs and short adverbials ("sagte am Mittwoch der Minister").
    fn speaker_after(&self, mut j: usize, end: usize) -> Option<Range<usize>> {
        for _ in 0..6 {
            if j >= end {
                return None;
            }
            if let Some(np) = self.np_right(j, end) {
                // An object before the subject: "warf dem Minister Versagen vor".
                if self.is(np.start, class::OBJ) {
                    j = np.end;
                    continue;
                }
                return Some(self.with_trailing_apposition(np, end));
            }
            // "hieß es in dem Bericht", "verlautete aus dem Ministerium": the source.
            let es = self.lower(j) == "es";
            if es {
                j += 1;
                if j >= end {
                    return None;
                }
            }
            let source = matches!(self.lower(j), "aus" | "seitens")
                || es && matches!(self.lower(j), "in" | "im");
            if source {
                let k = if self.lower(j) == "im" { j } else { j + 1 };
                return self.np_right(k, end).map(|np| np.start.max(k)..np.end);
            }
            if self.is(j, class::PREP) || matches!(self.lower(j), "von" | "vom") {
                j += 1;
                // skip the adverbial's noun phrase
                match self.np_right(j, end) {
                    Some(np) => j = np.end,
                    None => j += 1,
                }
                continue;
            }
            if self.word(j) && !self.cap(j) {
                j += 1;
                continue;
            }
            return None;
        }
        None
    }

    /// Extends a speaker over a following apposition that closes the clause
    /// ("sagte Edmon Chung, Chef von DotAsia." / "so Anna Weber, die Sprecherin der Stadt,").
    fn with_trailing_apposition(&self, np: Range<usize>, end: usize) -> Range<usize> {
        if np.end + 2 >= end || !self.punct(np.end, ",") || self.is(np.end + 1, class::PRON) {
            return np;
        }
        match self.np_right(np.end + 1, end) {
            Some(app)
                if app.end >= end
                    || !self.word(app.end) && matches!(self.v.text(app.end), "," | "." | ";") =>
            {
                np.start..app.end
            }
            _ => np,
        }
    }

    /// The addressee named in the frame: "gegenüber X", "in einem Interview mit X",
    /// "appellierte an X" (prepositions and their lead words from the lexicon).
    fn addressee(&self, cs: usize, end: usize) -> Option<Range<usize>> {
        (cs..end).find_map(|k| {
            let w = self.lower(k);
            let named = self.lex.addressee.iter().any(|(prep, before)| {
                *prep == w
                    && (before.is_empty()
                        || k > cs && before.iter().any(|b| self.lower(k - 1).ends_with(b)))
            });
            if !named {
                return None;
            }
            self.np_right(k + 1, end)
                .filter(|np| !self.is(np.start, class::PRON))
        })
    }

    /// The object a speech act is directed at, right after its verb (past the speaker and
    /// adverbs): a dative ("sagte der Zeitung", "warf dem Minister vor") or, for demands, an
    /// accusative ("forderte die Regierung auf").
    fn object_addressee(
        &self,
        verb: usize,
        end: usize,
        speaker: &Option<Range<usize>>,
        kind: &str,
    ) -> Option<Range<usize>> {
        if !matches!(kind, "say" | "report" | "accuse" | "demand") {
            return None;
        }
        let mut j = verb + 1;
        for _ in 0..4 {
            if j >= end {
                return None;
            }
            if let Some(sp) = speaker.as_ref().filter(|sp| sp.start == j) {
                j = sp.end;
                continue;
            }
            if self.word(j) && !self.cap(j) && self.is(j, class::ADV) {
                j += 1;
                continue;
            }
            break;
        }
        let np = self.np_right(j, end)?;
        let w = self.lower(np.start);
        let dative = matches!(w, "dem" | "einem" | "der" | "einer" | "den")
            || (kind == "demand" && matches!(w, "die" | "das" | "alle"));
        let overlaps = speaker
            .as_ref()
            .is_some_and(|sp| sp.start < np.end && np.start < sp.end);
        (dative && speaker.is_some() && !overlaps).then_some(np)
    }

    fn adjective_like(&self, i: usize) -> bool {
        let w = self.lower(i);
        self.word(i)
            && !self.cap(i)
            && !self.is(
                i,
                class::AUX | class::SUB | class::PREP | class::PRON | class::ADV,
            )
            && self.lex.cue(w).is_empty()
            && (w.ends_with('e')
                || w.ends_with("en")
                || w.ends_with("er")
                || w.ends_with("es")
                || w.ends_with("em")
                || w.chars().next().is_some_and(|c| c.is_ascii_digit()))
    }

    /// A noun phrase starting at `i`: pronoun, or (determiner) adjectives names/nouns with
    /// genitive, "von X" and "(Party)" complements. Returns its token range.
    fn np_right(&self, i: usize, end: usize) -> Option<Range<usize>> {
        let end = end.min(i + MAX_CLAUSE).min(self.v.toks.len());
        if i >= end || !self.word(i) {
            return None;
        }
        let det = self.is(i, class::DET);
        if self.is(i, class::PRON)
            && !(det
                && i + 1 < end
                && (self.cap(i + 1) || self.adjective_like(i + 1))
                && self.word(i + 1))
        {
            return Some(i..i + 1);
        }
        let mut j = i + usize::from(det);
        while j < end && self.adjective_like(j) {
            j += 1;
        }
        let head = j;
        j = self.nouns(j, end);
        if j == head {
            return None;
        }
        for _ in 0..3 {
            let von = j + 1 < end && matches!(self.lower(j), "von" | "vom");
            if von || j + 1 < end && self.is(j, class::GEN) {
                let mut k = j + 1;
                if von && self.is(k, class::DET) {
                    k += 1;
                }
                while k < end && self.adjective_like(k) {
                    k += 1;
                }
                let h = k;
                k = self.nouns(k, end);
                if k > h {
                    j = k;
                    continue;
                }
            }
            if j + 2 < end && self.punct(j, "(") && self.noun(j + 1) && self.punct(j + 2, ")") {
                j += 3;
                continue;
            }
            // Coordinated speakers: "SPD und PDS", "die Kläger sowie ihre Anwälte".
            if j + 1 < end && matches!(self.lower(j), "und" | "sowie") {
                let mut k = j + 1;
                k += usize::from(self.is(k, class::DET));
                while k < end && self.adjective_like(k) {
                    k += 1;
                }
                let h = k;
                k = self.nouns(k, end);
                if k > h {
                    j = k;
                    continue;
                }
            }
            break;
        }
        Some(i..j)
    }

    /// The end of a run of nouns and names from `j`, across title abbreviations ("Prof. Dr.").
    fn nouns(&self, mut j: usize, end: usize) -> usize {
        let start = j;
        while j < end && self.noun(j) {
            j += 1;
            // "Bayer 04 Leverkusen", "Heike van Laak": numbers and particles inside a name.
            let inner = j + 1 < end
                && self.word(j)
                && (self.is(j, class::NAMEP)
                    || self.lower(j).starts_with(|c: char| c.is_ascii_digit()))
                && self.noun(j + 1)
                && j > start;
            if inner {
                j += 1;
                continue;
            }
            let abbr = self.is(j - 1, class::ABBR) || self.initials(j - 1);
            if j + 1 < end && self.punct(j, ".") && abbr && self.noun(j + 1) {
                j += 1;
            }
        }
        j
    }

    /// An initial or initials before a full stop: "C" in "C. Y. Leung", "C.Y" in "C.Y. Leung".
    fn initials(&self, i: usize) -> bool {
        let t = self.v.text(i);
        t.chars().count() <= 3 && t.chars().all(|c| c.is_uppercase() || c == '.')
    }

    /// A capitalised word that can head or continue a noun phrase.
    fn noun(&self, i: usize) -> bool {
        self.word(i)
            && (self.cap(i)
                || self
                    .lower(i)
                    .chars()
                    .next()
                    .is_some_and(|c| c.is_ascii_digit())
                    && self.lower(i).contains('-'))
            && !self.is(
                i,
                class::DET
                    | class::SUB
                    | class::AUX
                    | class::ADV
                    | class::PREP
                    | class::CLAUSE
                    | class::NEG
                    | class::KONJ
                    | class::TIME
                    | class::STOP,
            )
    }

    /// The longest noun phrase ending right before `end`, starting no earlier than `from`.
    fn np_left(&self, from: usize, end: usize) -> Option<Range<usize>> {
        let from = from.max(end.saturating_sub(12));
        (from..end).find_map(|k| self.np_right(k, end).filter(|np| np.end == end))
    }
}

/// A zu-infinitive written as one word: "abzuziehen", "aufzunehmen".
fn zu_infinitive(w: &str) -> bool {
    w.ends_with('n')
        && w.char_indices()
            .skip(2)
            .any(|(i, _)| w[i..].starts_with("zu") && w.len() - i > 4)
}

/// End of a sentence's content: before the final `.`, `!`, `?` (a closing mark stays).
fn content_end(f: &Finder, sent: Range<usize>) -> usize {
    let mut e = sent.end;
    while e > sent.start && !f.word(e - 1) && matches!(f.v.text(e - 1), "." | "!" | "?" | "…") {
        e -= 1;
    }
    e
}

/// How far back (in chars) a description may refer, and how many earlier quotations a
/// pronoun looks at: resolving a speaker costs the same however long the document is.
const NEAR_CHARS: usize = 6000;
const NEAR_QUOTES: usize = 40;

/// Mentions and roles ordered by position, to find those near a speaker quickly.
struct NearIndex {
    mentions: Vec<usize>,
    roles: Vec<usize>,
}

/// The mentions (with their indexes) and roles starting within [`NEAR_CHARS`] before a speaker
/// up to its end, in text order; `all` is the number of mentions in the document.
struct Near<'a> {
    mentions: Vec<(usize, &'a lagebild_core::Mention)>,
    roles: Vec<&'a lagebild_core::Role>,
    all: usize,
}

impl NearIndex {
    fn new(ann: &Annotations) -> Self {
        let mut mentions: Vec<usize> = (0..ann.mentions.len()).collect();
        mentions.sort_by_key(|&i| ann.mentions[i].span.start);
        let mut roles: Vec<usize> = (0..ann.roles.len()).collect();
        roles.sort_by_key(|&i| ann.roles[i].span.start);
        NearIndex { mentions, roles }
    }

    fn add_mention(&mut self, ann: &Annotations, i: usize) {
        let start = ann.mentions[i].span.start;
        let at = self
            .mentions
            .partition_point(|&m| ann.mentions[m].span.start <= start);
        self.mentions.insert(at, i);
    }

    fn near<'a>(&self, ann: &'a Annotations, span: lagebild_core::Span) -> Near<'a> {
        let from = span.start.saturating_sub(NEAR_CHARS);
        let window = |order: &[usize], start: &dyn Fn(usize) -> usize| {
            let a = order.partition_point(|&i| start(i) < from);
            let b = order.partition_point(|&i| start(i) < span.end);
            order[a..b.max(a)].to_vec()
        };
        Near {
            mentions: window(&self.mentions, &|i| ann.mentions[i].span.start)
                .into_iter()
                .map(|i| (i, &ann.mentions[i]))
                .collect(),
            roles: window(&self.roles, &|i| ann.roles[i].span.start)
                .into_iter()
                .map(|i| &ann.roles[i])
                .collect(),
            all: ann.mentions.len(),
        }
    }
}

/// The mention a speaker phrase refers to: a role's holder, a name inside the phrase, or for
/// pronouns, role nouns and institutions the nearest fitting mention before. A generic source
/// ("die Quelle") refers to the last news source named, or stays unresolved.
fn resolve_speaker(
    doc: &Document,
    near: &Near,
    lex: &Lexicon,
    speaker: &Evidence,
    earlier: &[Quote],
) -> Option<usize> {
    let span = speaker.span;
    if let Some(r) = near.roles.iter().copied().find(|r| r.span.overlaps(span)) {
        if r.mention < near.all {
            return Some(r.mention);
        }
    }
    let inside = |kind: EntityKind| {
        near.mentions
            .iter()
            .copied()
            .filter(|(_, m)| m.kind == kind && m.span.overlaps(span))
            .map(|(i, _)| i)
            .next()
    };
    if let Some(m) = inside(EntityKind::Person)
        .or_else(|| inside(EntityKind::Organization))
        .or_else(|| inside(EntityKind::Location))
    {
        return Some(m);
    }
    let words: Vec<&str> = speaker.text.split_whitespace().collect();
    let head = words.last()?.to_lowercase();
    let before = |kind: Option<EntityKind>, pred: &dyn Fn(&str) -> bool| {
        near.mentions
            .iter()
            .copied()
            .filter(|(_, m)| m.span.end <= span.start && kind.is_none_or(|k| m.kind == k))
            .filter(|(_, m)| pred(&m.text))
            .max_by_key(|(_, m)| m.span.end)
            .map(|(i, _)| i)
    };
    if words.len() == 1 && lex.is(&head, class::PRON) {
        // Pronoun: the last resolved speaker, else the last person named.
        let last = earlier
            .iter()
            .rev()
            .take(NEAR_QUOTES)
            .filter(|q| q.span.end <= span.start || q.span.start < span.start)
            .find_map(|q| q.speaker_mention);
        return last.or_else(|| before(Some(EntityKind::Person), &|_| true));
    }
    if words.len() == 1 && lex.is(&head, class::REL) {
        // "Todor Kolarow, der …": the name right before the relative pronoun.
        return near
            .mentions
            .iter()
            .copied()
            .filter(|(_, m)| m.kind != EntityKind::Other && m.span.end <= span.start)
            .filter(|(_, m)| span.start - m.span.end <= 3)
            .max_by_key(|(_, m)| m.span.end)
            .map(|(i, _)| i);
    }
    if lex.generic_sources.contains(&head.as_str()) {
        return last_news_source(doc, near, lex, span);
    }
    // The head is the last word, or the one before when the phrase ran on into an object
    // ("der ukrainische Staatschef Daten").
    let heads = words.len().saturating_sub(2)..words.len();
    for end in heads.rev() {
        if !words[end].chars().next().is_some_and(char::is_uppercase) {
            continue;
        }
        let h = words[end].to_lowercase();
        if let Some(m) = role_holder(near, lex, &words[..=end], &h, span) {
            return Some(m);
        }
    }
    // Institution ("das Ministerium"): the last organisation whose name contains the head.
    before(Some(EntityKind::Organization), &|t: &str| {
        t.to_lowercase().contains(&head)
    })
}

/// A named institution that speaks ("das russische Außenministerium") but that no name list
/// knows: added as an organisation mention (without its article), so that the speaker has an
/// entity and a later "das Ministerium" can refer to it.
fn institution_mention(
    doc: &Document,
    ann: &mut Annotations,
    index: &mut NearIndex,
    lex: &Lexicon,
    speaker: &Evidence,
) -> Option<usize> {
    let words: Vec<(usize, &str)> = speaker
        .text
        .char_indices()
        .filter(|&(i, c)| {
            !c.is_whitespace() && (i == 0 || speaker.text[..i].ends_with(char::is_whitespace))
        })
        .map(|(i, _)| {
            let rest = &speaker.text[i..];
            (i, rest.split_whitespace().next().unwrap_or(rest))
        })
        .collect();
    let &(_, head) = words.last()?;
    let head_lower = head.to_lowercase();
    let institution = head.chars().next().is_some_and(char::is_uppercase)
        && lex.institutions.iter().any(|x| head_lower.ends_with(x));
    let skip = usize::from(lex.is(&words[0].1.to_lowercase(), class::DET));
    let modified = words.len() > skip + 1
        && words[skip..words.len() - 1]
            .iter()
            .all(|(_, w)| w.chars().all(|c| c.is_alphabetic() || c == '-'));
    if !institution || !modified {
        return None;
    }
    let from = speaker.span.start + speaker.text[..words[skip].0].chars().count();
    let span = lagebild_core::Span::new(from, speaker.span.end);
    let taken = index
        .near(ann, speaker.span)
        .mentions
        .iter()
        .any(|(_, m)| m.span.overlaps(span));
    if taken {
        return None;
    }
    ann.mentions.push(lagebild_core::Mention {
        span,
        text: doc.slice(span).to_string(),
        kind: EntityKind::Organization,
        entity: None,
    });
    let i = ann.mentions.len() - 1;
    index.add_mention(ann, i);
    Some(i)
}

/// The holder of the last role a description names ("der Minister", "der ukrainische
/// Staatschef"): same head noun or one the noun stands for, preferring a role that carries the
/// description's modifiers and, failing that, one without modifiers of its own.
fn role_holder(
    near: &Near,
    lex: &Lexicon,
    words: &[&str],
    head: &str,
    span: lagebild_core::Span,
) -> Option<usize> {
    let heads: Vec<&str> = std::iter::once(head)
        .chain(lex.role_heads.get(head).into_iter().flatten().copied())
        .collect();
    let modifiers: Vec<String> = words[..words.len() - 1]
        .iter()
        .filter(|w| w.chars().next().is_some_and(char::is_lowercase))
        .map(|w| w.to_lowercase())
        .filter(|w| !lex.is(w, class::DET | class::GEN))
        .map(|w| adjective_stem(&w).to_string())
        .collect();
    let roles: Vec<&lagebild_core::Role> = near
        .roles
        .iter()
        .copied()
        .filter(|r| r.span.end <= span.start && r.mention < near.all)
        .filter(|r| {
            r.text
                .split_whitespace()
                .last()
                .is_some_and(|h| same_head(&h.to_lowercase(), &heads))
        })
        .collect();
    let carries = |r: &&&lagebild_core::Role, m: &str| r.text.to_lowercase().contains(m);
    let plain = |r: &&&lagebild_core::Role| {
        r.text.split_whitespace().count() == 1
            || r.text
                .split_whitespace()
                .all(|w| !w.chars().next().is_some_and(char::is_lowercase))
    };
    let best = if modifiers.is_empty() {
        roles.last()
    } else {
        roles
            .iter()
            .rfind(|r| modifiers.iter().all(|m| carries(r, m)))
            .or_else(|| roles.iter().rfind(plain))
            .or(roles.last())
    };
    best.map(|r| r.mention)
}

/// Whether a role's head noun (possibly inflected: "Präsidenten") is one of `heads` or ends in one.
fn same_head(h: &str, heads: &[&str]) -> bool {
    let forms = [
        Some(h),
        h.strip_suffix("en"),
        h.strip_suffix('n'),
        h.strip_suffix('s'),
    ];
    forms
        .into_iter()
        .flatten()
        .any(|f| f.chars().count() >= 4 && heads.iter().any(|x| f.ends_with(x) || x.ends_with(f)))
}

/// An adjective without its inflection: "ukrainischen" → "ukrainisch".
fn adjective_stem(w: &str) -> &str {
    for end in ["en", "em", "er", "es", "e"] {
        if let Some(s) = w.strip_suffix(end) {
            if s.chars().count() >= 3 {
                return s;
            }
        }
    }
    w
}

/// The last organisation named as a news source before `span`: after a media noun ("die
/// Nachrichtenagentur Yonhap") or a marker ("laut Yonhap"), or before "zufolge".
fn last_news_source(
    doc: &Document,
    near: &Near,
    lex: &Lexicon,
    span: lagebild_core::Span,
) -> Option<usize> {
    let is_source = |m: &lagebild_core::Mention| {
        let from = m.span.start.saturating_sub(40);
        let lead = doc
            .slice(lagebild_core::Span::new(from, m.span.start))
            .to_lowercase();
        let mut lead: Vec<&str> = lead
            .split(|c: char| !c.is_alphanumeric())
            .filter(|w| !w.is_empty())
            .collect();
        while lead
            .last()
            .is_some_and(|w| lex.is(w, class::DET | class::GEN))
        {
            lead.pop();
        }
        let media = lead.last().is_some_and(|w| lex.media_nouns.contains(w));
        let marker = lex.markers.iter().any(|mk| {
            mk.pos == MarkerPos::Before && lead.len() >= mk.words.len() && {
                lead[lead.len() - mk.words.len()..] == mk.words[..]
            }
        });
        let end = (m.span.end + 10).min(doc.len_chars());
        let after = doc
            .slice(lagebild_core::Span::new(m.span.end, end))
            .to_lowercase();
        let follows = lex.markers.iter().any(|mk| {
            mk.pos == MarkerPos::After
                && after.split_whitespace().next() == mk.words.first().copied()
        });
        media || marker || follows
    };
    near.mentions
        .iter()
        .copied()
        .filter(|(_, m)| m.kind == EntityKind::Organization && m.span.end <= span.start)
        .filter(|(_, m)| is_source(m))
        .max_by_key(|(_, m)| m.span.end)
        .map(|(i, _)| i)
}

#[cfg(test)]
mod tests {
    use super::*;
    use lagebild_core::evidence::assert_evidence;
    use lagebild_core::{Mention, Role, Span};

    fn run(text: &str) -> (Document, Annotations) {
        let doc = Document::from_text("t", text);
        let mut ann = Annotations::default();
        QuoteExtractor::new().annotate(&doc, &mut ann);
        assert_evidence(&doc, &ann);
        (doc, ann)
    }

    fn spoken(ann: &Annotations) -> Vec<(String, Option<String>, QuoteKind)> {
        ann.quotes
            .iter()
            .map(|q| {
                (
                    q.text.clone(),
                    q.speaker.as_ref().map(|s| s.text.clone()),
                    q.kind,
                )
            })
            .collect()
    }

    #[test]
    fn direct_quote_with_cue_after() {
        let (_, ann) = run("„Wir werden nicht nachgeben“, sagte der Minister am Montag.");
        assert_eq!(
            spoken(&ann),
            [(
                "„Wir werden nicht nachgeben“".into(),
                Some("der Minister".into()),
                QuoteKind::Direct
            )]
        );
        assert_eq!(ann.quotes[0].cue.as_ref().unwrap().text, "sagte");
    }

    #[test]
    fn all_quote_styles_and_colon_frames() {
        for (open, close) in [("„", "“"), ("»", "«"), ("\"", "\""), ("‚", "‘")] {
            let text = format!("Kim Jong Un erklärte: {open}Das ist ein großer Erfolg.{close}");
            let (_, ann) = run(&text);
            assert_eq!(ann.quotes.len(), 1, "{text}");
            assert_eq!(ann.quotes[0].speaker.as_ref().unwrap().text, "Kim Jong Un");
        }
    }

    #[test]
    fn interrupted_quote_keeps_the_speaker() {
        let (_, ann) = run("„Das ist gut“, sagte Peter Müller, „aber nicht genug.“");
        let s = spoken(&ann);
        assert_eq!(s.len(), 2, "{s:?}");
        assert!(s
            .iter()
            .all(|(_, sp, _)| sp.as_deref() == Some("Peter Müller")));
    }

    #[test]
    fn titles_headlines_and_scare_quotes_are_not_speech() {
        let (_, ann) = run("„Neue Eiszeit“ in Europa\nDer Film „Die Brücke“ lief im Kino. Das sogenannte „Sondervermögen“ wächst.");
        assert!(ann.quotes.is_empty(), "{:?}", spoken(&ann));
    }

    #[test]
    fn indirect_speech_forms() {
        let cases = [
            (
                "Die Polizei teilte mit, dass zwei Menschen verletzt wurden.",
                "dass zwei Menschen verletzt wurden",
                "Die Polizei",
            ),
            (
                "Laut Innenminister Peter Müller sei die Lage ruhig.",
                "sei die Lage ruhig",
                "Innenminister Peter Müller",
            ),
            (
                "Dem Bericht zufolge gab es keine Toten.",
                "gab es keine Toten",
                "Dem Bericht",
            ),
            (
                "Nach Angaben der Polizei wurden drei Menschen verletzt.",
                "wurden drei Menschen verletzt",
                "Angaben der Polizei",
            ),
            (
                "Die Lage sei unter Kontrolle, sagte ein Sprecher.",
                "Die Lage sei unter Kontrolle",
                "ein Sprecher",
            ),
            (
                "Die Lage ist ernst, so der Bürgermeister.",
                "Die Lage ist ernst",
                "der Bürgermeister",
            ),
            (
                "Er kündigte an, die Truppen abzuziehen.",
                "die Truppen abzuziehen",
                "Er",
            ),
        ];
        for (text, quote, speaker) in cases {
            let (_, ann) = run(text);
            let s = spoken(&ann);
            assert_eq!(s.len(), 1, "{text}: {s:?}");
            assert_eq!(s[0].0, quote, "{text}");
            assert_eq!(s[0].1.as_deref(), Some(speaker), "{text}");
            assert_eq!(s[0].2, QuoteKind::Indirect);
        }
    }

    #[test]
    fn konjunktiv_sentence_continues_the_quotation() {
        let (_, ann) = run("Der Sprecher sagte, die Lage sei ruhig. Es gebe keine Verletzten. Das Wetter ist schön.");
        let s = spoken(&ann);
        assert_eq!(s.len(), 2, "{s:?}");
        assert_eq!(s[1].0, "Es gebe keine Verletzten.");
        assert_eq!(s[1].1.as_deref(), Some("Der Sprecher"));
    }

    #[test]
    fn konjunktiv_one_reports_speech_without_a_frame() {
        let (_, ann) = run(
            "Der Wetterdienst warnte am Morgen vor Sturm. Es werde bis zu zehn Grad kälter. \
             Das Spiel endete torlos.",
        );
        let s = spoken(&ann);
        assert_eq!(s.len(), 1, "{s:?}");
        assert_eq!(s[0].0, "Es werde bis zu zehn Grad kälter.");
        assert_eq!(s[0].1.as_deref(), Some("Der Wetterdienst"));
    }

    #[test]
    fn colon_frame_without_cue_verb() {
        let (_, ann) =
            run("Im Fernsehen zeigte sich der Trainer zufrieden: „Wir haben gut gespielt.“");
        let s = spoken(&ann);
        assert_eq!(s.len(), 1, "{s:?}");
        assert_eq!(s[0].0, "„Wir haben gut gespielt.“");
        assert_eq!(s[0].1.as_deref(), Some("der Trainer"));
        assert_eq!(s[0].2, QuoteKind::Direct);
        let (_, ann) = run("Der Verein hat ein Motto: „gemeinsam gegen die neue Steuer“.");
        assert!(ann.quotes.is_empty(), "{:?}", spoken(&ann));
    }

    #[test]
    fn apposition_before_subject_stays_in_its_sentence() {
        let (_, ann) = run(
            "Die Lage blieb ruhig. Anna Weber, die Sprecherin der Stadt, sagte, es gebe keine Verletzten.",
        );
        let s = spoken(&ann);
        assert_eq!(
            s[0].1.as_deref(),
            Some("Anna Weber, die Sprecherin der Stadt"),
            "{s:?}"
        );
    }

    #[test]
    fn subject_with_apposition_before_a_colon_cue() {
        let (_, ann) = run(
            "Die Lage blieb ruhig. Die Sprecherin der Stadt, Anna Weber, sagte dazu: „Wir sind vorbereitet.“",
        );
        let s = spoken(&ann);
        assert_eq!(
            s[0].1.as_deref(),
            Some("Die Sprecherin der Stadt, Anna Weber"),
            "{s:?}"
        );
    }

    #[test]
    fn subjects_with_party_after_conjunctions_and_in_coordination() {
        for (text, speaker) in [
            (
                "Der Minister Franz Jung (CDU) kündigte indes an, das Thema anzusprechen.",
                "Der Minister Franz Jung (CDU)",
            ),
            (
                "Ein Reporter der Zeitung war vor Ort und berichtet, dass Kinder wegliefen.",
                "Ein Reporter der Zeitung",
            ),
            (
                "Er reagierte, indem er dem Verein vorwarf, ihn loswerden zu wollen.",
                "er",
            ),
        ] {
            let (_, ann) = run(text);
            let s = spoken(&ann);
            assert_eq!(s.len(), 1, "{s:?}");
            assert_eq!(s[0].1.as_deref(), Some(speaker), "{s:?}");
        }
    }

    #[test]
    fn indirect_content_ends_before_the_next_speech_verb() {
        let (_, ann) =
            run("Die Ministerin erklärte, die Lage sei ernst, und kündigte an, Hilfe zu schicken.");
        let s = spoken(&ann);
        assert_eq!(s[0].0, "die Lage sei ernst", "{s:?}");
    }

    #[test]
    fn subjunctive_sentences_merge_into_one_continuation() {
        let (_, ann) = run(
            "Die Polizei teilte mit, zwei Männer seien festgenommen worden. \
             Sie hätten Waffen bei sich gehabt. Einer habe sich gewehrt. Der Regen hielt an.",
        );
        let s = spoken(&ann);
        assert_eq!(s.len(), 2, "{s:?}");
        assert_eq!(
            s[1].0,
            "Sie hätten Waffen bei sich gehabt. Einer habe sich gewehrt."
        );
        assert_eq!(s[1].1.as_deref(), Some("Die Polizei"));
    }

    #[test]
    fn frames_pointing_back_and_postposed_sources() {
        let cases = [
            (
                "Der Flughafen bleibt bis Montag geschlossen. Das teilte die Betreiberfirma am Abend mit.",
                "Der Flughafen bleibt bis Montag geschlossen.",
                "die Betreiberfirma",
            ),
            (
                "Die Mission wird verlängert, das entschied die Raumfahrtbehörde.",
                "Die Mission wird verlängert",
                "die Raumfahrtbehörde",
            ),
            (
                "Seiner Meinung nach hätte die Aufsicht früher eingreifen müssen.",
                "hätte die Aufsicht früher eingreifen müssen",
                "Seiner Meinung",
            ),
        ];
        for (text, quote, speaker) in cases {
            let (_, ann) = run(text);
            let s = spoken(&ann);
            assert_eq!(s.len(), 1, "{text}: {s:?}");
            assert_eq!(s[0].0, quote, "{text}");
            assert_eq!(s[0].1.as_deref(), Some(speaker), "{text}");
        }
    }

    #[test]
    fn speaker_phrases_cover_titles_attributes_and_appositions() {
        let cases = [
            (
                "Prof. Dr. Anna Weber sagte, die Studie sei eindeutig.",
                "Prof. Dr. Anna Weber",
            ),
            (
                "Ein Regierungssprecher in Berlin sagte, dass die Hilfe eintreffe.",
                "Ein Regierungssprecher in Berlin",
            ),
            (
                "„Wir bleiben dabei“, sagte Heike van Laak, Sprecherin der Stiftung.",
                "Heike van Laak, Sprecherin der Stiftung",
            ),
            (
                "So sagte der Vorsitzende, die Partei stehe geschlossen.",
                "der Vorsitzende",
            ),
            (
                "Nach Angaben seines Anwalts sei der Mann unschuldig.",
                "Angaben seines Anwalts",
            ),
            (
                "SPD und Grüne forderten, das Gesetz zu ändern.",
                "SPD und Grüne",
            ),
        ];
        for (text, speaker) in cases {
            // One sentence, as the segmenter gives it (the fallback split stops at "Prof.").
            let doc = Document::from_text("t", text);
            let mut ann = Annotations {
                sentences: vec![Span::new(0, doc.len_chars())],
                ..Annotations::default()
            };
            QuoteExtractor::new().annotate(&doc, &mut ann);
            assert_evidence(&doc, &ann);
            let s = spoken(&ann);
            assert_eq!(s.len(), 1, "{text}: {s:?}");
            assert_eq!(s[0].1.as_deref(), Some(speaker), "{text}");
        }
    }

    #[test]
    fn reported_speech_keeps_its_subject_and_particles_of_other_verbs_are_no_cue() {
        let (_, ann) = run("Die Gewerkschaft forderte höhere Löhne für alle Beschäftigten.");
        let s = spoken(&ann);
        assert_eq!(s.len(), 1, "{s:?}");
        assert_eq!(
            s[0].0,
            "Die Gewerkschaft forderte höhere Löhne für alle Beschäftigten."
        );
        assert_eq!(s[0].1.as_deref(), Some("Die Gewerkschaft"));
        let (_, ann) = run("Die Band sagte ihre Tournee wegen Krankheit ab.");
        assert!(ann.quotes.is_empty(), "{:?}", spoken(&ann));
    }

    #[test]
    fn speakers_resolve_to_mentions() {
        let text = "Außenminister Cho Tae Yul traf Kollegen. Der Minister sagte, die Lage sei ernst. Er betonte, dass Sanktionen nötig seien.";
        let doc = Document::from_text("t", text);
        let mut ann = Annotations::default();
        let name = text.find("Cho").unwrap();
        let start = text[..name].chars().count();
        ann.mentions.push(Mention {
            span: Span::new(start, start + 11),
            text: "Cho Tae Yul".into(),
            kind: EntityKind::Person,
            entity: None,
        });
        ann.roles.push(Role {
            span: Span::new(0, 13),
            text: "Außenminister".into(),
            mention: 0,
        });
        QuoteExtractor::new().annotate(&doc, &mut ann);
        assert_evidence(&doc, &ann);
        assert_eq!(ann.quotes.len(), 2, "{:?}", spoken(&ann));
        assert!(ann.quotes.iter().all(|q| q.speaker_mention == Some(0)));
    }

    /// Runs the quote stage over hand-made mentions and roles: (text, kind) and (role text,
    /// index of the mention holding it), each found at its first occurrence in `text`.
    fn resolve(
        text: &str,
        mentions: &[(&str, EntityKind)],
        roles: &[(&str, usize)],
    ) -> (Document, Annotations) {
        let doc = Document::from_text("t", text);
        let span_of = |s: &str| {
            let b = text.find(s).unwrap();
            let a = text[..b].chars().count();
            Span::new(a, a + s.chars().count())
        };
        let mut ann = Annotations::default();
        for (t, kind) in mentions {
            ann.mentions.push(Mention {
                span: span_of(t),
                text: t.to_string(),
                kind: *kind,
                entity: None,
            });
        }
        for (t, m) in roles {
            ann.roles.push(Role {
                span: span_of(t),
                text: t.to_string(),
                mention: *m,
            });
        }
        QuoteExtractor::new().annotate(&doc, &mut ann);
        assert_evidence(&doc, &ann);
        (doc, ann)
    }

    fn mention_of(ann: &Annotations, q: usize) -> Option<&str> {
        ann.quotes[q]
            .speaker_mention
            .map(|m| ann.mentions[m].text.as_str())
    }

    #[test]
    fn descriptions_resolve_to_the_entity_they_describe() {
        // An institution named by its head noun.
        let (_, ann) = resolve(
            "Das bulgarische Innenministerium meldete neue Zahlen. Das Ministerium erklärte, dass \
             die Grenze offen bleibe.",
            &[("bulgarische Innenministerium", EntityKind::Organization)],
            &[],
        );
        let last = ann.quotes.len() - 1;
        assert_eq!(
            ann.quotes[last].speaker.as_ref().unwrap().text,
            "Das Ministerium"
        );
        assert_eq!(mention_of(&ann, last), Some("bulgarische Innenministerium"));
        // A generic role noun stands for the last head of state; a nationality picks the one.
        let text =
            "Der chilenische Präsident Luis Soto traf den peruanischen Präsidenten Ana Ruiz. \
                    Der Staatschef sagte, die Gespräche seien gut verlaufen. Der chilenische \
                    Staatschef erklärte, dass ein Abkommen folge.";
        let (_, ann) = resolve(
            text,
            &[
                ("Luis Soto", EntityKind::Person),
                ("Ana Ruiz", EntityKind::Person),
            ],
            &[
                ("chilenische Präsident", 0),
                ("peruanischen Präsidenten", 1),
            ],
        );
        let s = spoken(&ann);
        assert_eq!(s.len(), 2, "{s:?}");
        assert_eq!(mention_of(&ann, 0), Some("Ana Ruiz"));
        assert_eq!(mention_of(&ann, 1), Some("Luis Soto"));
    }

    #[test]
    fn a_generic_source_is_the_last_news_source_or_nobody() {
        let text = "Das berichtete die Nachrichtenagentur Kyodo am Morgen. „Die Lage ist ernst“, \
                    sagte die Quelle.";
        let (_, ann) = resolve(
            text,
            &[
                ("Kyodo", EntityKind::Organization),
                ("Morgen", EntityKind::Other),
            ],
            &[],
        );
        let direct = ann
            .quotes
            .iter()
            .position(|q| q.kind == QuoteKind::Direct)
            .unwrap();
        assert_eq!(mention_of(&ann, direct), Some("Kyodo"));
        let (_, ann) = resolve(
            "Die Firma Nordwerk baut ab. „Die Lage ist ernst“, sagte die Quelle.",
            &[("Nordwerk", EntityKind::Organization)],
            &[],
        );
        assert_eq!(ann.quotes.len(), 1, "{:?}", spoken(&ann));
        assert_eq!(mention_of(&ann, 0), None);
    }

    #[test]
    fn a_relayed_frame_is_one_quotation_of_its_speaker() {
        let (_, ann) = run(
            "Laut Kyodo sagte der Außenminister in einem Gespräch, dass die Gespräche andauern.",
        );
        let s = spoken(&ann);
        assert_eq!(s.len(), 1, "{s:?}");
        assert_eq!(s[0].0, "dass die Gespräche andauern");
        assert_eq!(s[0].1.as_deref(), Some("der Außenminister"));
    }

    #[test]
    fn the_subject_of_a_coordinated_clause_speaks_not_a_prepositional_phrase() {
        let (_, ann) = run(
            "Die Ministerin äußerte sich besorgt über die Lage und forderte angesichts der hohen \
             Preise eine rasche Einigung der Länder.",
        );
        let s = spoken(&ann);
        assert_eq!(s.len(), 1, "{s:?}");
        assert_eq!(s[0].1.as_deref(), Some("Die Ministerin"), "{s:?}");
        assert_eq!(ann.quotes[0].cue.as_ref().unwrap().text, "forderte");
        for text in [
            "Eine Reporterin von n24 sprach von zahlreichen Bränden in der Stadt.",
            "Insgesamt spricht die Polizei von einer ruhigen Nacht in der Stadt.",
            "Als Grund nannte die Behörde den starken Regen der letzten Tage.",
        ] {
            let (_, ann) = run(text);
            let s = spoken(&ann);
            assert_eq!(s.len(), 1, "{text}: {s:?}");
            let sp = s[0].1.as_deref().unwrap_or_default();
            assert!(
                ["Eine Reporterin von n24", "die Polizei", "die Behörde"].contains(&sp),
                "{text}: {s:?}"
            );
        }
    }

    #[test]
    fn particles_choose_the_verb_and_nouns_are_no_cues() {
        let (_, ann) =
            run("Der Sprecher wies darauf hin, dass die Preise seit Wochen steigen würden.");
        let s = spoken(&ann);
        assert_eq!(s.len(), 1, "{s:?}");
        assert_eq!(s[0].0, "dass die Preise seit Wochen steigen würden");
        let lex = lexicon::get("de");
        let hin = lex
            .cue("wies")
            .iter()
            .find(|f| f.particle == Some("hin"))
            .unwrap();
        assert_eq!(hin.kind, "assert");
        // "Sprachen" and "Berichten" spell verbs but are nouns here.
        let (_, ann) = run("Inzwischen sind rund 260 Sprachen bei dem Projekt vertreten.");
        assert!(ann.quotes.is_empty(), "{:?}", spoken(&ann));
        // A participle right after a quoted word closes the clause around it.
        let (_, ann) = run("Die Regierung hat diese Vorwürfe jedoch als „absurd“ zurückgewiesen.");
        let s = spoken(&ann);
        assert!(
            s.iter()
                .all(|(_, sp, _)| sp.as_deref() == Some("Die Regierung")),
            "{s:?}"
        );
    }

    #[test]
    fn addressees_of_statements() {
        for (text, addressee) in [
            (
                "Die Ministerin sagte der Zeitung, die Lage sei ernst.",
                "der Zeitung",
            ),
            (
                "Er warf der Regierung vor, die Zahlen zu verschleiern.",
                "der Regierung",
            ),
            (
                "„Wir bleiben“, sagte die Sprecherin gegenüber der BBC.",
                "der BBC",
            ),
            (
                "Der Bürgermeister appellierte an die Anwohner, zu Hause zu bleiben.",
                "die Anwohner",
            ),
        ] {
            let (_, ann) = run(text);
            assert_eq!(ann.quotes.len(), 1, "{text}: {:?}", spoken(&ann));
            let got = ann.quotes[0].addressee.as_ref().map(|a| a.text.as_str());
            assert_eq!(got, Some(addressee), "{text}");
        }
    }

    #[test]
    fn no_panic_on_odd_input() {
        for text in [
            "",
            "„",
            "“„",
            "\"\"\"",
            ", so",
            "laut",
            "zufolge",
            "„a“, sagte",
            "sagte: „",
        ] {
            run(text);
        }
        let long = "„Wort ".repeat(200_000);
        run(&long);
        // Many speakers resolved against many names: each looks only at its neighbourhood.
        let sentence = "Das russische Außenministerium teilte mit, dass Anna Weber komme. \
                        Das Ministerium erklärte, dass sie bleibe. Er sagte, sie gehe. ";
        let text = sentence.repeat(3_000);
        let doc = Document::from_text("t", &text);
        let mut ann = Annotations::default();
        let mut at = 0;
        for part in text.split_inclusive(sentence) {
            let b = at + part.find("Anna Weber").unwrap();
            ann.mentions.push(Mention {
                span: doc.span_of_bytes(b..b + "Anna Weber".len()),
                text: "Anna Weber".into(),
                kind: EntityKind::Person,
                entity: None,
            });
            at += part.len();
        }
        QuoteExtractor::new().annotate(&doc, &mut ann);
        assert_evidence(&doc, &ann);
        assert!(ann.quotes.len() >= 6_000);
        // Short random sequences of the words the rules react to.
        let pieces = [
            "„",
            "“",
            ",",
            "sagte",
            "er",
            "laut",
            "zufolge",
            ".",
            "dass",
            "Die",
            "Polizei",
            ":",
            "wie",
            "mitteilte",
            "so",
            "nach",
            "Angaben",
            "sei",
            "teilte",
            "mit",
            "\n",
            "»",
            "«",
        ];
        let mut seed = 7u64;
        for _ in 0..20_000 {
            let mut text = String::new();
            seed = seed
                .wrapping_mul(6364136223846793005)
                .wrapping_add(1442695040888963407);
            for k in 0..(2 + seed % 6) {
                let r = (seed >> (8 + 5 * k)) as usize % pieces.len();
                text.push_str(pieces[r]);
                text.push(' ');
            }
            run(text.trim_end());
        }
    }
}
