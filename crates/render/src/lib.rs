//! Sinks: the corpus as contract JSON (`lagebild/1`), a Markdown dossier, or one
//! self-contained HTML page.

pub mod dossier;
pub mod html;
pub mod markdown;

pub use dossier::Dossier;
use lagebild_core::output::Report;
use lagebild_core::{Corpus, StanceKind};

/// Output formats of `lagebild analyze`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Format {
    Json,
    Markdown,
    Html,
}

/// Renders a corpus in the given format.
pub fn render(corpus: &Corpus, format: Format) -> String {
    match format {
        Format::Json => json(corpus),
        Format::Markdown => markdown::render(&Dossier::build(corpus)),
        Format::Html => html::render(&Dossier::build(corpus), corpus),
    }
}

/// The output contract as pretty-printed JSON.
pub fn json(corpus: &Corpus) -> String {
    let mut s =
        serde_json::to_string_pretty(&Report::from_corpus(corpus)).expect("the report serialises");
    s.push('\n');
    s
}

/// Human label of a TIMEX3 date value on the timeline: unknown parts stay visible as `?`.
pub fn date_label(value: Option<&str>, uncertain: bool) -> String {
    let Some(v) = value else {
        return "undated".to_string();
    };
    if !v.chars().any(|c| c.is_ascii_digit()) {
        return format!("unresolved ({v})");
    }
    if let Some(rest) = v.strip_prefix("XXXX") {
        return format!("????{} (year unknown)", rest.replace('X', "?"));
    }
    if uncertain {
        format!("{v} (approx.)")
    } else {
        v.to_string()
    }
}

pub fn stance_label(s: StanceKind) -> &'static str {
    match s {
        StanceKind::Assert => "assert",
        StanceKind::Confirm => "confirm",
        StanceKind::Deny => "deny",
        StanceKind::Doubt => "doubt",
    }
}

/// At most `max` chars of a text on one line, with an ellipsis when cut.
pub fn excerpt(text: &str, max: usize) -> String {
    let flat = text.split_whitespace().collect::<Vec<_>>().join(" ");
    if flat.chars().count() <= max {
        flat
    } else {
        let cut: String = flat.chars().take(max.saturating_sub(1)).collect();
        format!("{cut}…")
    }
}

/// Columns of the claim matrix: holders with the most stances first, at most ten.
pub fn claim_holders(d: &Dossier) -> Vec<String> {
    let mut counts: std::collections::HashMap<&String, usize> = Default::default();
    for c in &d.claims {
        for (h, stances) in &c.cells {
            *counts.entry(h).or_default() += stances.len();
        }
    }
    let mut holders: Vec<(&String, usize)> = counts.into_iter().collect();
    holders.sort_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(b.0)));
    holders
        .into_iter()
        .take(10)
        .map(|(h, _)| h.clone())
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use lagebild_core::{Document, Mention, Span};

    fn corpus() -> Corpus {
        let mut p = lagebild_pipeline::Pipeline::standard();
        p.run(vec![
            Document::from_text(
                "a",
                "<script>alert(1)</script> Angela Merkel traf am Montag in Berlin ein.",
            ),
            Document::from_text("b", "Zweiter Text über Berlin und die Regierung."),
        ])
    }

    #[test]
    fn json_is_the_contract_and_keeps_evidence() {
        let mut c = corpus();
        c.docs[0].ann.mentions.push(Mention {
            span: Span::new(27, 40),
            text: "Angela Merkel".into(),
            kind: lagebild_core::EntityKind::Person,
            entity: None,
        });
        let report: Report = serde_json::from_str(&json(&c)).unwrap();
        assert_eq!(report.schema, "lagebild/1");
        assert_eq!(report.documents.len(), 2);
        assert!(report.violations().is_empty(), "{:?}", report.violations());
    }

    #[test]
    fn html_escapes_article_text() {
        let html = render(&corpus(), Format::Html);
        assert!(!html.contains("<script>alert"));
        assert!(html.contains("&lt;script&gt;alert(1)&lt;/script&gt;"));
        assert!(
            !html.contains("http://") && !html.contains("https://"),
            "no external assets"
        );
    }

    #[test]
    fn markdown_has_every_section() {
        let md = render(&corpus(), Format::Markdown);
        for h in [
            "## Summary",
            "## Timeline",
            "## Actors",
            "## Who said what",
            "## Claims",
            "## Sources",
            "## Dropped as boilerplate",
        ] {
            assert!(md.contains(h), "missing {h}");
        }
    }

    #[test]
    fn labels_and_excerpts() {
        assert_eq!(
            date_label(Some("XXXX-09-22"), true),
            "????-09-22 (year unknown)"
        );
        assert_eq!(date_label(Some("2023-09-22"), false), "2023-09-22");
        assert_eq!(date_label(None, false), "undated");
        assert_eq!(
            date_label(Some("XXXX-XX-XX"), true),
            "unresolved (XXXX-XX-XX)"
        );
        assert_eq!(
            date_label(Some("XXXX-09-XX"), true),
            "????-09-?? (year unknown)"
        );
        assert_eq!(excerpt("a  b\nc", 10), "a b c");
        assert_eq!(excerpt("abcdef", 4), "abc…");
    }
}
