//! Per-language debris and heading patterns, compiled once from `lang/<code>/clean-*.tsv`,
//! and the line scan that applies them.

use lagebild_core::SectionKind;
use regex::Regex;
use std::ops::Range;
use std::sync::OnceLock;

/// Lines longer than this are paragraphs of text, never a line of debris.
const MAX_DEBRIS_LINE: usize = 2000;
/// Lines longer than this are never headings.
const MAX_HEADING_LINE: usize = 120;

/// The boilerplate kind whose lines also form a caption section.
const CAPTION: &str = "caption";

/// The compiled patterns of one language.
#[derive(Debug)]
pub struct Patterns {
    /// Whole-line debris: the first matching pattern gives the kind. Tried one by one: the
    /// anchored patterns fail within a few bytes, which a combined set cannot.
    lines: Vec<(&'static str, Regex)>,
    /// Debris inside a line.
    spans: Vec<(&'static str, Regex)>,
    /// Cues whose whole sentence is debris.
    sentences: Vec<(&'static str, Regex)>,
    /// Headings that open a section of a kind (`Report` closes the section before).
    headings: Vec<(SectionKind, Regex)>,
}

/// What a scan finds, in byte ranges of the text.
#[derive(Debug, Default, PartialEq)]
pub struct Scan {
    /// Sorted, non-overlapping, trimmed of whitespace.
    pub boilerplate: Vec<(Range<usize>, &'static str)>,
    /// Consecutive sections covering the whole text (empty for a blank text).
    pub sections: Vec<(Range<usize>, SectionKind)>,
}

fn section_kind(name: &str) -> Option<SectionKind> {
    match name {
        "report" => Some(SectionKind::Report),
        "opinion" => Some(SectionKind::Opinion),
        "background" => Some(SectionKind::Background),
        "caption" => Some(SectionKind::Caption),
        _ => None,
    }
}

/// Rows `(first column, compiled last column)` of a pattern file; a row whose pattern does not
/// compile is reported on stderr and skipped (a unit test keeps the shipped files clean).
fn compiled<'a>(
    file: &'a str,
    rows: impl Iterator<Item = Vec<&'static str>> + 'a,
) -> impl Iterator<Item = (Vec<&'static str>, Regex)> + 'a {
    rows.filter_map(move |row| {
        // ASCII word boundaries keep the fast automata usable on non-ASCII text.
        let pattern = row.last()?.replace(r"\b", r"(?-u:\b)");
        match Regex::new(&pattern) {
            Ok(re) if row.len() >= 2 => Some((row, re)),
            Ok(_) => None,
            Err(e) => {
                eprintln!("warning: {file}: skipping pattern {pattern:?}: {e}");
                None
            }
        }
    })
}

impl Patterns {
    fn load(lang: lagebild_core::lang::Language) -> Patterns {
        const DEBRIS: &str = "clean-boilerplate.tsv";
        const HEADINGS: &str = "clean-sections.tsv";
        let mut lines = Vec::new();
        let mut spans = Vec::new();
        let mut sentences = Vec::new();
        for (row, re) in compiled(DEBRIS, lang.rows(DEBRIS)) {
            match (row[0], row.get(2)) {
                ("line", Some(_)) => lines.push((row[1], re)),
                ("span", Some(_)) => spans.push((row[1], re)),
                ("sentence", Some(_)) => sentences.push((row[1], re)),
                _ => eprintln!("warning: {DEBRIS}: row without scope, kind and pattern: {row:?}"),
            }
        }
        let mut headings = Vec::new();
        for (row, re) in compiled(HEADINGS, lang.rows(HEADINGS)) {
            match section_kind(row[0]) {
                Some(kind) => headings.push((kind, re)),
                None => eprintln!("warning: {HEADINGS}: unknown section kind {:?}", row[0]),
            }
        }
        Patterns {
            lines,
            spans,
            sentences,
            headings,
        }
    }

    /// The patterns of a language (falling back to German), compiled once per process.
    pub fn for_language(code: &str) -> &'static Patterns {
        static ALL: OnceLock<Vec<(&'static str, Patterns)>> = OnceLock::new();
        let all = ALL.get_or_init(|| {
            lagebild_core::lang::available()
                .filter_map(lagebild_core::lang::get)
                .map(|l| (l.code, Patterns::load(l)))
                .collect()
        });
        let code = lagebild_core::lang::get_or_default(code).code;
        all.iter()
            .find(|(c, _)| *c == code)
            .map(|(_, p)| p)
            .expect("every available language has patterns")
    }

    /// Number of line, span and heading patterns, for tests.
    #[cfg(test)]
    pub(crate) fn counts(&self) -> (usize, usize, usize, usize) {
        (
            self.lines.len(),
            self.spans.len(),
            self.sentences.len(),
            self.headings.len(),
        )
    }

    /// Debris and sections of a plain text whose lines are paragraphs. One pass over the
    /// lines; each pattern runs once over each line, so the time is linear in the text.
    pub fn scan(&self, text: &str) -> Scan {
        let mut scan = Scan::default();
        // Section runs: (start byte, kind); a run lasts until the next one starts.
        let mut runs: Vec<(usize, SectionKind)> = Vec::new();
        let mut current = SectionKind::Report;
        let mut start = 0;
        for raw in text.split_inclusive('\n') {
            let line_start = start;
            start += raw.len();
            let line = raw.trim();
            if line.is_empty() {
                continue;
            }
            let offset = line_start + (raw.len() - raw.trim_start().len());
            let debris = (line.len() <= MAX_DEBRIS_LINE)
                .then(|| self.lines.iter().find(|(_, re)| re.is_match(line)))
                .flatten()
                .map(|(kind, _)| *kind);
            match debris {
                Some(kind) => scan.boilerplate.push((offset..offset + line.len(), kind)),
                None => self.spans_in(line, offset, &mut scan.boilerplate),
            }
            if let Some(kind) = self.heading(line) {
                current = kind;
            }
            let kind = if debris == Some(CAPTION) {
                SectionKind::Caption
            } else {
                current
            };
            if runs.last().map(|r| r.1) != Some(kind) {
                runs.push((if runs.is_empty() { 0 } else { line_start }, kind));
            }
        }
        scan.boilerplate.sort_by_key(|(r, _)| (r.start, r.end));
        scan.boilerplate = merge(std::mem::take(&mut scan.boilerplate));
        scan.sections = runs
            .iter()
            .enumerate()
            .map(|(i, &(s, kind))| {
                let end = runs.get(i + 1).map_or(text.len(), |r| r.0);
                (s..end, kind)
            })
            .collect();
        scan
    }

    /// Debris matches inside one line (and the sentences around sentence cues), trimmed of
    /// whitespace.
    fn spans_in(&self, line: &str, offset: usize, out: &mut Vec<(Range<usize>, &'static str)>) {
        let mut push = |r: Range<usize>, kind: &'static str| {
            let s = &line[r.clone()];
            let lead = s.len() - s.trim_start().len();
            let trimmed = s.trim();
            if !trimmed.is_empty() {
                let b = offset + r.start + lead;
                out.push((b..b + trimmed.len(), kind));
            }
        };
        for (kind, re) in &self.spans {
            for m in re.find_iter(line) {
                push(m.range(), kind);
            }
        }
        for (kind, re) in &self.sentences {
            for m in re.find_iter(line) {
                push(sentence_around(line, m.range()), kind);
            }
        }
    }

    /// The section a heading line opens, if it is one.
    fn heading(&self, line: &str) -> Option<SectionKind> {
        if line.len() > MAX_HEADING_LINE || line.ends_with(['.', '!']) {
            return None;
        }
        self.headings
            .iter()
            .find(|(_, re)| re.is_match(line))
            .map(|(kind, _)| *kind)
    }
}

/// How far a sentence cue's sentence may reach on either side, in bytes.
const MAX_SENTENCE_REACH: usize = 300;

/// The sentence around a match: from just after the previous `.`, `!` or `?` (or the line
/// start) to the next one, inclusive (or the line end); at most [`MAX_SENTENCE_REACH`] bytes
/// beyond the match on either side.
fn sentence_around(line: &str, m: Range<usize>) -> Range<usize> {
    let is_stop = |c: char| matches!(c, '.' | '!' | '?');
    let mut floor = m.start.saturating_sub(MAX_SENTENCE_REACH);
    while !line.is_char_boundary(floor) {
        floor -= 1;
    }
    let start = line[floor..m.start]
        .rfind(is_stop)
        .map_or(floor, |i| floor + i + 1);
    let mut ceil = (m.end + MAX_SENTENCE_REACH).min(line.len());
    while !line.is_char_boundary(ceil) {
        ceil += 1;
    }
    let end = line[m.end..ceil]
        .find(is_stop)
        .map_or(ceil, |i| m.end + i + 1);
    start..end
}

/// Sorted ranges with overlaps merged (the first kind wins).
fn merge(sorted: Vec<(Range<usize>, &'static str)>) -> Vec<(Range<usize>, &'static str)> {
    let mut out: Vec<(Range<usize>, &'static str)> = Vec::with_capacity(sorted.len());
    for (r, kind) in sorted {
        match out.last_mut() {
            Some((last, _)) if r.start < last.end => last.end = last.end.max(r.end),
            _ => out.push((r, kind)),
        }
    }
    out
}
