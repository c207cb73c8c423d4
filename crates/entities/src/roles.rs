//! Roles and titles of people, found around person mentions: pre-nominal chains
//! ("der südkoreanische Präsident Yoon", "Kreml-Sprecher Peskow", "Südkoreas Außenminister Cho")
//! and appositions ("Schoigu, ehemals Verteidigungsminister Russlands,", "Schoigu, dem Sekretär des
//! russischen Nationalen Sicherheitsrats,").

use crate::lexicon::Lexicon;
use lagebild_core::EntityKind;
use std::ops::Range;

/// Longest role in tokens.
const MAX_ROLE_TOKENS: usize = 10;

/// A sentence seen by the role finder: its words (lower-cased too) and its mentions as
/// token ranges with their kinds and indexes into `Annotations::mentions`.
pub struct RoleInput<'a> {
    pub words: &'a [&'a str],
    pub lower: &'a [String],
    pub mentions: &'a [(Range<usize>, EntityKind, usize)],
}

fn capital(w: &str) -> bool {
    w.chars().next().is_some_and(char::is_uppercase)
}

impl RoleInput<'_> {
    fn is_role(&self, lex: &Lexicon, i: usize) -> bool {
        capital(self.words[i]) && !self.in_mention(i) && lex.role_base(&self.lower[i]).is_some()
    }

    fn in_mention(&self, i: usize) -> bool {
        self.mentions.iter().any(|(r, _, _)| r.contains(&i))
    }

    /// A genitive name right after or before a role: "Russlands", "Nordkoreas", "der NATO".
    fn genitive(&self, lex: &Lexicon, i: usize) -> bool {
        let w = self.words[i];
        capital(w)
            && w.ends_with('s')
            && (lex.country_of(&self.lower[i]).is_some()
                || self.mentions.iter().any(|(r, k, _)| {
                    r.end == i + 1 && matches!(k, EntityKind::Location | EntityKind::Organization)
                }))
    }

    /// End (exclusive) of the complement of a role noun ending at `i`: genitive names and
    /// "des/der/von …" phrases of adjectives and capitalised words.
    fn complement(&self, lex: &Lexicon, mut i: usize, limit: usize) -> usize {
        let n = self.words.len().min(limit);
        while i < n && self.genitive(lex, i) {
            i += 1;
        }
        if i < n
            && matches!(
                self.lower[i].as_str(),
                "des" | "der" | "von" | "vom" | "für" | "im"
            )
        {
            let mut j = i + 1;
            let mut saw_noun = false;
            while j < n {
                let w = self.words[j];
                if capital(w) && w.chars().any(char::is_alphabetic) {
                    saw_noun = true;
                } else if !(lex.is_country_adjective(&self.lower[j])
                    || lex.is_role_modifier(&self.lower[j]))
                {
                    break;
                }
                j += 1;
            }
            if saw_noun {
                i = j;
            }
        }
        i
    }
}

/// Roles as (token range, mention index).
pub fn find(lex: &Lexicon, s: &RoleInput) -> Vec<(Range<usize>, usize)> {
    let mut out = Vec::new();
    let n = s.words.len();
    for (range, kind, mention) in s.mentions {
        if *kind != EntityKind::Person {
            continue;
        }
        // Pre-nominal: [genitive] [modifiers] ROLE [genitive] Name
        let mut end = range.start;
        while end > 0 && s.genitive(lex, end - 1) && end + 3 > range.start {
            end -= 1;
        }
        if end > 0 && s.is_role(lex, end - 1) {
            let role_end = if end < range.start { range.start } else { end };
            let mut start = end - 1;
            while start > 0 && role_end - start < MAX_ROLE_TOKENS {
                let p = start - 1;
                let l = &s.lower[p];
                if (!capital(s.words[p])
                    && (lex.is_country_adjective(l) || lex.is_role_modifier(l)))
                    || s.is_role(lex, p)
                {
                    start = p;
                } else if s.genitive(lex, p) {
                    start = p;
                    break;
                } else {
                    break;
                }
            }
            out.push((start..role_end, *mention));
            continue;
        }
        // Apposition: Name , [article] [modifiers] ROLE [complement] (, | . | end)
        if range.end + 1 < n && s.words[range.end] == "," {
            let mut k = range.end + 1;
            if matches!(
                s.lower[k].as_str(),
                "der" | "die" | "dem" | "den" | "des" | "ein" | "eine" | "einem" | "einer"
            ) {
                k += 1;
            }
            let start = k;
            while k < n && k - start < 4 && !capital(s.words[k]) {
                let l = &s.lower[k];
                if lex.is_country_adjective(l) || lex.is_role_modifier(l) {
                    k += 1;
                } else {
                    break;
                }
            }
            if k < n && s.is_role(lex, k) {
                let limit = start + MAX_ROLE_TOKENS;
                let full = s.complement(lex, k + 1, limit);
                let closed =
                    full >= n || matches!(s.words[full], "," | "." | ")" | ";" | "–" | "-");
                let end = if closed {
                    full
                } else {
                    s.complement(lex, k + 1, k + 2).min(k + 2).max(k + 1)
                };
                out.push((start..end, *mention));
            }
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn roles(text: &str, person: Range<usize>) -> Vec<String> {
        roles_with(text, vec![(person, EntityKind::Person, 0)])
    }

    fn roles_with(text: &str, mentions: Vec<(Range<usize>, EntityKind, usize)>) -> Vec<String> {
        let lex = crate::lexicon::get("de");
        let words: Vec<&str> = text.split(' ').collect();
        let lower: Vec<String> = words.iter().map(|w| w.to_lowercase()).collect();
        let input = RoleInput {
            words: &words,
            lower: &lower,
            mentions: &mentions,
        };
        find(lex, &input)
            .into_iter()
            .map(|(r, _)| words[r].join(" "))
            .collect()
    }

    #[test]
    fn prenominal_chains() {
        assert_eq!(
            roles("Das sagte der südkoreanische Präsident Lee Jae", 5..7),
            vec!["südkoreanische Präsident"]
        );
        assert_eq!(
            roles("Kreml-Sprecher Anton Meier sagte", 1..3),
            vec!["Kreml-Sprecher"]
        );
        assert_eq!(
            roles("Auch Frankreichs Außenminister Paul Roth kam", 3..5),
            vec!["Frankreichs Außenminister"]
        );
        assert_eq!(
            roles("mit NATO-Generalsekretär Jan Berg", 2..4),
            vec!["NATO-Generalsekretär"]
        );
        assert!(roles("Das Haus Jan Berg", 2..4).is_empty());
    }

    #[test]
    fn appositions() {
        assert_eq!(
            roles(
                "Jan Berg , ehemals Verteidigungsminister Russlands , kam",
                0..2
            ),
            vec!["ehemals Verteidigungsminister Russlands"]
        );
        assert_eq!(
            roles(
                "mit Jan Berg , dem Sekretär des russischen Nationalen Sicherheitsrats , sprach",
                1..3
            ),
            vec!["Sekretär des russischen Nationalen Sicherheitsrats"]
        );
        assert_eq!(
            roles("Jan Berg , der Präsident von Kanada , sagte", 0..2),
            vec!["Präsident von Kanada"]
        );
        assert!(roles("Jan Berg , der gestern kam , sagte", 0..2).is_empty());
    }
}
