//! Name-structure repairs the tagger's token view misses, applied to its output per sentence.

use crate::lexicon::Lexicon;
use lagebild_core::EntityKind;

fn capital(w: &str) -> bool {
    w.chars().next().is_some_and(char::is_uppercase)
}

/// A short capitalised given name as in romanised Korean or Chinese names ("Jong", "Un", "Jong-un").
fn short_given(w: &str) -> bool {
    let n = w.chars().count();
    capital(w)
        && w.chars().all(|c| c.is_alphabetic() || c == '-')
        && (n <= 5 || (n <= 8 && w.contains('-')))
}

/// Rewrites BIO `labels` of one sentence: a multi-word person name from the gazetteer is one
/// person; a family name written first ("Kim", "Cho") followed by short capitalised given names is
/// one person when the tagger saw a name in it.
pub fn repair_sentence(lex: &Lexicon, words: &[&str], lower: &[String], labels: &mut [usize]) {
    let n = words.len();
    let mut i = 0;
    while i < n {
        if !capital(words[i]) {
            i += 1;
            continue;
        }
        let mut span = lex
            .gazetteer_match(&lower[i..], 0)
            .filter(|(len, kind)| *len >= 2 && *kind == EntityKind::Person)
            .map(|(len, _)| len);
        if span.is_none() && lex.is_family_first(&lower[i]) {
            let mut end = i + 1;
            while end < n && end < i + 3 && short_given(words[end]) {
                end += 1;
            }
            if end > i + 1 && labels[i..end].iter().any(|&l| l != 0) {
                span = Some(end - i);
            }
        }
        match span {
            Some(len) => {
                labels[i] = 1;
                for l in &mut labels[i + 1..i + len] {
                    *l = 2;
                }
                // A chunk cut on its left continues as a chunk of its own.
                if let Some(l) = labels.get_mut(i + len) {
                    if *l > 0 && *l % 2 == 0 {
                        *l -= 1;
                    }
                }
                i += len;
            }
            None => i += 1,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn run(text: &str, labels: &[usize]) -> Vec<usize> {
        let lex = crate::lexicon::get("de");
        let words: Vec<&str> = text.split(' ').collect();
        let lower: Vec<String> = words.iter().map(|w| w.to_lowercase()).collect();
        let mut labels = labels.to_vec();
        repair_sentence(lex, &words, &lower, &mut labels);
        labels
    }

    #[test]
    fn joins_split_names() {
        // Family name first, tagger saw only the given names.
        assert_eq!(
            run("dass Kim Jong Un kam", &[0, 0, 1, 2, 0]),
            vec![0, 1, 2, 2, 0]
        );
        assert_eq!(
            run("dass Park Min Ho kam", &[0, 0, 5, 0, 0]),
            vec![0, 1, 2, 2, 0]
        );
        // Nothing tagged: no evidence, nothing changes.
        assert_eq!(run("dass Park Min Ho kam", &[0; 5]), vec![0; 5]);
        // A gazetteer person is one name.
        assert_eq!(
            run("als Wladimir Putin sprach", &[0, 0, 1, 0]),
            vec![0, 1, 2, 0]
        );
    }
}
