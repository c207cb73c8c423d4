//! The rule grammar of one language, compiled once from `lang/<code>/time-words.tsv` and
//! `time-rules.tsv`, and the matching of its rules against a text.

use lagebild_core::lang::Language;
use lagebild_core::TimexType;
use regex::{Regex, RegexBuilder};
use std::collections::{BTreeMap, HashMap};
use std::ops::Range;
use std::sync::OnceLock;

/// Bytes of lazy-DFA cache per rule.
const DFA_CACHE: usize = 16 << 20;

/// One entry of a word class: the words it matches and what they mean.
#[derive(Debug)]
pub(crate) struct Entry {
    /// Anchored, case-insensitive matcher of the entry's pattern.
    matcher: Regex,
    /// `#` for "the number in the text", else the meaning (`5`, `SU`, `PAST_REF`…).
    pub value: &'static str,
    /// Second meaning column (a modifier, or `deictic`/`anaphoric`).
    pub extra: &'static str,
}

/// How a rule builds its value from the fields it captured.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Op {
    Date,
    Time,
    Rel,
    Shift,
    Duration,
    Ref,
    Set,
    Range,
}

#[derive(Debug)]
pub(crate) struct Rule {
    pub kind: TimexType,
    pub op: Op,
    not_before_noun: bool,
    regex: Regex,
    /// Per capture group index: which part and field it fills, and its word class.
    groups: Vec<Option<Group>>,
}

#[derive(Clone, Debug)]
struct Group {
    part: Part,
    field: String,
    class: Option<String>,
}

/// Which expression of a rule a group belongs to: the only one, or one side of a range.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Part {
    Whole,
    A,
    B,
    /// The group marks an extent (`x`, `a`, `b`) rather than a field.
    Extent,
}

/// A field a rule captured, with the class entry its text matched.
#[derive(Clone, Debug)]
pub(crate) struct Field<'t> {
    pub name: String,
    pub text: &'t str,
    pub entry: Option<&'t Entry>,
}

impl Field<'_> {
    /// The field as a number: the digits in the text for `#` entries and classless groups,
    /// else the entry's value.
    pub fn num(&self) -> Option<f64> {
        match self.entry {
            Some(e) if e.value != "#" => e.value.parse().ok(),
            _ => self
                .text
                .trim_end_matches(|c: char| !c.is_ascii_digit())
                .parse()
                .ok(),
        }
    }
    pub fn value(&self) -> &str {
        self.entry.map(|e| e.value).unwrap_or(self.text)
    }
    pub fn extra(&self) -> &str {
        self.entry.map(|e| e.extra).unwrap_or("")
    }
}

/// One expression found by a rule: its byte extent and its fields.
#[derive(Clone, Debug)]
pub(crate) struct Expression<'t> {
    pub bytes: Range<usize>,
    pub fields: Vec<Field<'t>>,
}

impl<'t> Expression<'t> {
    pub fn get(&self, name: &str) -> Option<&Field<'t>> {
        self.fields.iter().find(|f| f.name == name)
    }
    pub fn has(&self, name: &str) -> bool {
        self.get(name).is_some()
    }
}

/// A rule's match: the whole matched bytes, and one expression (two for ranges).
#[derive(Clone, Debug)]
pub(crate) struct Candidate<'t> {
    pub rule: usize,
    pub bytes: Range<usize>,
    pub parts: Vec<Expression<'t>>,
}

impl Candidate<'_> {
    /// Bytes from the first expression's start to the last one's end.
    fn extent_len(&self) -> usize {
        let start = self.parts.iter().map(|p| p.bytes.start).min().unwrap_or(0);
        let end = self.parts.iter().map(|p| p.bytes.end).max().unwrap_or(0);
        end.saturating_sub(start)
    }
}

/// The compiled grammar of one language.
#[derive(Debug)]
pub(crate) struct Grammar {
    classes: HashMap<String, Vec<Entry>>,
    pub rules: Vec<Rule>,
    /// Words that make a sentence speak of the future.
    future: Option<Regex>,
    /// Words just before a date that make it the start of a lasting state ("seit 2011"),
    /// not a step of the narrative: later dates do not take their year from it.
    since: Option<Regex>,
}

/// Grammars of all languages that have time rules, compiled at first use.
pub(crate) fn grammar(code: &str) -> Option<&'static Grammar> {
    static ALL: OnceLock<Vec<(&'static str, Grammar)>> = OnceLock::new();
    let all = ALL.get_or_init(|| {
        lagebild_core::lang::available()
            .filter_map(lagebild_core::lang::get)
            .filter(|l| l.file("time-rules.tsv").is_some())
            .map(|l| {
                let g = Grammar::compile(l)
                    .unwrap_or_else(|e| panic!("lang/{}/time-*.tsv is broken: {e}", l.code));
                (l.code, g)
            })
            .collect()
    });
    let de = || all.iter().find(|(c, _)| *c == "de");
    all.iter()
        .find(|(c, _)| *c == code)
        .or_else(de)
        .map(|(_, g)| g)
}

impl Grammar {
    /// Compiles the grammar; errors name the broken line.
    pub(crate) fn compile(lang: Language) -> Result<Grammar, String> {
        let mut classes: HashMap<String, Vec<Entry>> = HashMap::new();
        let mut sources: HashMap<String, Vec<&'static str>> = HashMap::new();
        for row in lang.rows("time-words.tsv") {
            let [class, pattern, rest @ ..] = row.as_slice() else {
                return Err(format!("time-words.tsv: short row {row:?}"));
            };
            let matcher = Regex::new(&format!("^(?i:{pattern})$"))
                .map_err(|e| format!("time-words.tsv {class} {pattern:?}: {e}"))?;
            let entry = Entry {
                matcher,
                value: rest.first().copied().unwrap_or(""),
                extra: rest.get(1).copied().unwrap_or(""),
            };
            classes.entry(class.to_string()).or_default().push(entry);
            sources
                .entry(class.to_string())
                .or_default()
                .extend(top_level_alternatives(pattern));
        }
        let placeholder = Regex::new(r"\{([a-z0-9_]+)(?::([a-z0-9_]+))?\}").unwrap();
        let mut rules = Vec::new();
        for row in lang.rows("time-rules.tsv") {
            let [id, kind, op, guards, pattern] = row.as_slice() else {
                return Err(format!("time-rules.tsv: expected 5 columns in {row:?}"));
            };
            let mut class_of: HashMap<String, String> = HashMap::new();
            let mut error = None;
            let expanded = placeholder.replace_all(pattern, |c: &regex::Captures| {
                let class = &c[1];
                let name = c.get(2).map_or(class, |m| m.as_str());
                class_of.insert(name.to_string(), class.to_string());
                let Some(alternatives) = sources.get(class) else {
                    error = Some(format!("rule {id}: unknown class {class}"));
                    return String::new();
                };
                let mut alternatives = alternatives.clone();
                // Longer alternatives first, so that "Januar" is not cut to "Jan".
                alternatives.sort_by_key(|a| std::cmp::Reverse(a.len()));
                format!("(?P<{name}>{})", alternatives.join("|"))
            });
            if let Some(e) = error {
                return Err(e);
            }
            // The body must end where a word or number ends, so that an alternative
            // that stops inside a word ("Jahre" in "Jahres") gives way to a longer one.
            let regex =
                RegexBuilder::new(&format!(r"(?i)(?P<body>{expanded})(?:$|[^\p{{L}}\p{{N}}])"))
                    // Room for the lazy DFA of big case-insensitive alternations, so it does not
                    // thrash and fall back to the slow engine on long texts.
                    .dfa_size_limit(DFA_CACHE)
                    .build()
                    .map_err(|e| format!("rule {id}: {e}"))?;
            let groups = regex
                .capture_names()
                .map(|n| n.map(|n| group(n, class_of.get(n).cloned())))
                .collect();
            rules.push(Rule {
                kind: match *kind {
                    "DATE" => TimexType::Date,
                    "TIME" => TimexType::Time,
                    "DURATION" => TimexType::Duration,
                    "SET" => TimexType::Set,
                    other => return Err(format!("rule {id}: unknown type {other}")),
                },
                op: match *op {
                    "date" => Op::Date,
                    "time" => Op::Time,
                    "rel" => Op::Rel,
                    "shift" => Op::Shift,
                    "duration" => Op::Duration,
                    "ref" => Op::Ref,
                    "set" => Op::Set,
                    "range" => Op::Range,
                    other => return Err(format!("rule {id}: unknown op {other}")),
                },
                not_before_noun: guards.split(',').any(|g| g == "notnoun"),
                regex,
                groups,
            });
        }
        let words = |class: &str, pattern: &dyn Fn(String) -> String| {
            sources
                .get(class)
                .map(|words| {
                    Regex::new(&pattern(words.join("|"))).map_err(|e| format!("class {class}: {e}"))
                })
                .transpose()
        };
        Ok(Grammar {
            classes,
            rules,
            future: words("future", &|w| format!(r"(?i)\b(?:{w})\b"))?,
            since: words("since", &|w| format!(r"(?i)\b(?:{w})\s+$"))?,
        })
    }

    /// The first entry of `class` that matches `text` whole.
    fn lookup(&self, class: &str, text: &str) -> Option<&Entry> {
        self.classes
            .get(class)?
            .iter()
            .find(|e| e.matcher.is_match(text))
    }

    /// True when `before`, the text up to a date, ends in a word that makes the date the
    /// start of a lasting state.
    pub(crate) fn is_since(&self, before: &str) -> bool {
        self.since.as_ref().is_some_and(|r| r.is_match(before))
    }

    /// True when the text speaks of the future (its tense decides which way a weekday goes).
    pub(crate) fn is_future(&self, text: &str) -> bool {
        self.future.as_ref().is_some_and(|r| r.is_match(text))
    }

    /// True when `word` belongs to any class (a time word, not a counted noun).
    fn is_time_word(&self, word: &str) -> bool {
        [
            "month", "unit", "units", "season", "weekday", "bc", "ad", "tz",
        ]
        .iter()
        .any(|c| self.lookup(c, word).is_some())
    }

    /// All rule matches in `text` that stand at word boundaries, overlaps resolved: the
    /// longest match wins, then the earlier rule. Sorted by position.
    pub(crate) fn candidates<'t>(&'t self, text: &'t str) -> Vec<Candidate<'t>> {
        let mut found = Vec::new();
        for (r, rule) in self.rules.iter().enumerate() {
            let mut at = 0;
            while at <= text.len() {
                let Some(caps) = rule.regex.captures_at(text, at) else {
                    break;
                };
                let m = caps.name("body").expect("every rule has a body");
                if m.is_empty() {
                    at = next_char(text, m.end());
                    continue;
                }
                if !at_boundary(text, m.start(), m.end())
                    || (rule.not_before_noun && self.before_noun(text, m.end()))
                {
                    at = next_char(text, m.start());
                    continue;
                }
                if let Some(c) = self.candidate(r, rule, &caps) {
                    found.push(c);
                }
                at = m.end();
            }
        }
        // Longest extent first (context matched around it does not count), then rule
        // order; keep what does not overlap what was kept.
        found.sort_by_key(|c| (std::cmp::Reverse(c.extent_len()), c.rule, c.bytes.start));
        let mut taken: BTreeMap<usize, usize> = BTreeMap::new();
        let mut kept = Vec::new();
        for c in found {
            let before = taken.range(..c.bytes.end).next_back();
            if before.is_some_and(|(_, &end)| end > c.bytes.start) {
                continue;
            }
            taken.insert(c.bytes.start, c.bytes.end);
            kept.push(c);
        }
        kept.sort_by_key(|c| c.bytes.start);
        kept
    }

    fn candidate<'t>(
        &'t self,
        r: usize,
        rule: &Rule,
        caps: &regex::Captures<'t>,
    ) -> Option<Candidate<'t>> {
        let whole = caps.name("body")?;
        let mut parts = vec![
            Expression {
                bytes: whole.range(),
                fields: Vec::new(),
            };
            if rule.op == Op::Range { 2 } else { 1 }
        ];
        let mut shared = Vec::new();
        for (i, g) in rule.groups.iter().enumerate() {
            let (Some(g), Some(m)) = (g, caps.get(i)) else {
                continue;
            };
            let field = || Field {
                name: g.field.clone(),
                text: m.as_str(),
                entry: g.class.as_deref().and_then(|c| self.lookup(c, m.as_str())),
            };
            match (g.part, g.field.as_str()) {
                (Part::Extent, "body") => {}
                (Part::Extent, "b") => parts.last_mut()?.bytes = m.range(),
                (Part::Extent, _) => parts[0].bytes = m.range(),
                (Part::A, _) => parts[0].fields.push(field()),
                (Part::B, _) => parts.last_mut()?.fields.push(field()),
                (Part::Whole, _) => shared.push(field()),
            }
        }
        for p in &mut parts {
            p.fields.extend(shared.iter().cloned());
        }
        Some(Candidate {
            rule: r,
            bytes: whole.range(),
            parts,
        })
    }

    /// True when the word after `end` is capitalised and no time word ("1500 Soldaten").
    fn before_noun(&self, text: &str, end: usize) -> bool {
        let rest = &text[end..];
        let Some(word) = rest.strip_prefix(' ') else {
            return false;
        };
        let word: &str = word
            .split(|c: char| !c.is_alphanumeric())
            .next()
            .unwrap_or("");
        word.chars().next().is_some_and(char::is_uppercase) && !self.is_time_word(word)
    }
}

/// The top-level alternatives of a regex fragment (`a|b(?:c|d)` → `a`, `b(?:c|d)`), so that
/// all alternatives of a class can be ordered longest first.
fn top_level_alternatives(pattern: &str) -> Vec<&str> {
    let mut out = Vec::new();
    let (mut depth, mut start, mut escaped) = (0i32, 0, false);
    for (i, c) in pattern.char_indices() {
        match c {
            _ if escaped => escaped = false,
            '\\' => escaped = true,
            '(' | '[' => depth += 1,
            ')' | ']' => depth -= 1,
            '|' if depth == 0 => {
                out.push(&pattern[start..i]);
                start = i + 1;
            }
            _ => {}
        }
    }
    out.push(&pattern[start..]);
    out
}

fn group(name: &str, class: Option<String>) -> Group {
    let (part, field) = match name {
        "x" | "a" | "b" | "body" => (Part::Extent, name),
        _ => match (name.strip_prefix("a_"), name.strip_prefix("b_")) {
            (Some(f), _) => (Part::A, f),
            (_, Some(f)) => (Part::B, f),
            _ => (Part::Whole, name),
        },
    };
    let field = if part == Part::Extent {
        field
    } else {
        field.trim_end_matches(|c: char| c.is_ascii_digit())
    };
    Group {
        part,
        field: field.to_string(),
        class,
    }
}

/// True when the match neither starts nor ends inside a word or number.
fn at_boundary(text: &str, start: usize, end: usize) -> bool {
    let before = text[..start].chars().next_back();
    let after = text[end..].chars().next();
    let joins = |c: Option<char>| c.is_some_and(char::is_alphanumeric);
    // A number glued to a digit group ("12.000") or a decimal ("3,5") is no date.
    let glued_number = |c: Option<char>, next: Option<char>| {
        matches!(c, Some('.' | ',')) && next.is_some_and(|n| n.is_ascii_digit())
    };
    let mut rest = text[end..].chars();
    rest.next();
    let mut back = text[..start].chars().rev();
    back.next();
    !joins(before)
        && !joins(after)
        && !glued_number(after, rest.next())
        && !glued_number(before, back.next())
}

fn next_char(text: &str, at: usize) -> usize {
    text[at..]
        .chars()
        .next()
        .map_or(text.len() + 1, |c| at + c.len_utf8())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn de() -> &'static Grammar {
        grammar("de").expect("German time rules")
    }

    #[test]
    fn german_grammar_compiles() {
        assert!(de().rules.len() > 30);
        assert_eq!(de().lookup("month", "März").map(|e| e.value), Some("3"));
        assert_eq!(de().lookup("month", "Sept.").map(|e| e.value), Some("9"));
        assert!(de().lookup("relday", "Morgen").is_none());
    }

    #[test]
    fn splits_top_level_alternatives() {
        assert_eq!(
            top_level_alternatives("a|b(?:c|d)|e\\|"),
            vec!["a", "b(?:c|d)", "e\\|"]
        );
    }

    #[test]
    fn boundaries_reject_glued_numbers() {
        assert!(!at_boundary("12.000 Soldaten", 0, 2));
        assert!(!at_boundary("3,5 Prozent", 2, 3));
        assert!(at_boundary("am 3. Mai", 3, 9));
        assert!(!at_boundary("Maisfeld", 0, 3));
    }

    #[test]
    fn longest_candidate_wins() {
        let c = de().candidates("Am 3. Mai 2023 und 1500 Soldaten");
        assert_eq!(c.len(), 1);
        assert_eq!(c[0].bytes, 3..14);
    }
}
