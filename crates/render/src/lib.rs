//! Sinks: the corpus as contract JSON (`lagebild/1`), a Markdown dossier, or one
//! self-contained HTML page.

pub mod dossier;
pub mod html;
pub mod markdown;

pub use dossier::{Cite, ClaimRow, Dossier};
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

/// Why a copy group's original was chosen, for the reader.
pub fn basis_label(b: lagebild_core::ProvenanceBasis) -> &'static str {
    match b {
        lagebild_core::ProvenanceBasis::Date => "earliest publication date",
        lagebild_core::ProvenanceBasis::Containment => {
            "content containment (no distinguishing date)"
        }
        lagebild_core::ProvenanceBasis::Specifics => {
            "names, numbers and dates kept by the rewrites (no distinguishing date)"
        }
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

/// Most holder columns in the claim matrix; further holders share one last column.
const CLAIM_COLUMNS: usize = 9;

/// Columns of the claim matrix: the holders with the most stances, then one "other holders"
/// column when there are more, so that no stance is left out of the matrix.
pub struct ClaimColumns {
    pub holders: Vec<String>,
    pub others: bool,
}

/// One stance in a matrix cell; `holder` is named in the mixed "other holders" column.
pub struct CellStance<'a> {
    pub holder: Option<&'a str>,
    pub stance: StanceKind,
    pub cite: &'a Cite,
}

impl ClaimColumns {
    pub fn of(claims: &[ClaimRow]) -> Self {
        let mut counts: std::collections::HashMap<&String, usize> = Default::default();
        for c in claims {
            for (h, stances) in &c.cells {
                *counts.entry(h).or_default() += stances.len();
            }
        }
        let mut holders: Vec<(&String, usize)> = counts.into_iter().collect();
        holders.sort_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(b.0)));
        let others = holders.len() > CLAIM_COLUMNS + 1;
        let shown = if others { CLAIM_COLUMNS } else { holders.len() };
        ClaimColumns {
            holders: holders
                .into_iter()
                .take(shown)
                .map(|(h, _)| h.clone())
                .collect(),
            others,
        }
    }

    /// Column headings, the mixed column last.
    pub fn headings(&self) -> Vec<&str> {
        let mut h: Vec<&str> = self.holders.iter().map(String::as_str).collect();
        if self.others {
            h.push("Other holders");
        }
        h
    }

    /// The stances of `claim` under heading number `column` (as in [`Self::headings`]).
    pub fn cell<'a>(&'a self, claim: &'a ClaimRow, column: usize) -> Vec<CellStance<'a>> {
        let stances = |holder: Option<&'a str>, list: &'a Vec<(StanceKind, Cite)>| {
            list.iter().map(move |(stance, cite)| CellStance {
                holder,
                stance: *stance,
                cite,
            })
        };
        match self.holders.get(column) {
            Some(h) => claim
                .cells
                .get(h)
                .into_iter()
                .flat_map(|l| stances(None, l))
                .collect(),
            None => claim
                .cells
                .iter()
                .filter(|(h, _)| !self.holders.contains(h))
                .flat_map(|(h, l)| stances(Some(h.as_str()), l))
                .collect(),
        }
    }
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

    #[test]
    fn a_capital_holds_claims_as_its_state_wherever_it_speaks() {
        let mut p = lagebild_pipeline::Pipeline::standard();
        let c = p.run(vec![
            Document::from_text(
                "a",
                "Pjöngjang hat die Vorwürfe, Russland mit Waffen zu versorgen, als absurd zurückgewiesen.",
            ),
            Document::from_text(
                "b",
                "Die Gespräche zwischen Moskau und Pjöngjang dauern an. Washington wirft Pjöngjang vor, Russland mit Waffen zu versorgen. Moskau und Pjöngjang haben die Berichte über Waffen für Russland dementiert.",
            ),
        ]);
        let md = render(&c, Format::Markdown);
        let claims = md.split("## Claims").nth(1).unwrap_or_default();
        let header = claims
            .lines()
            .find(|l| l.starts_with("| Claim"))
            .unwrap_or_default();
        assert!(header.contains("Nordkorea"), "{claims}");
        assert!(!header.contains("Pjöngjang"), "{claims}");
    }

    #[test]
    fn claim_matrix_keeps_every_stance_when_holders_overflow() {
        let corpus = corpus();
        let d = &corpus.docs[0].doc;
        let cite = Cite {
            doc: 0,
            doc_id: d.meta.id.clone(),
            span: lagebild_core::Span::new(0, 3),
            text: d.slice(lagebild_core::Span::new(0, 3)).to_string(),
        };
        let cells = (0..12)
            .map(|i| {
                (
                    format!("holder {i:02}"),
                    vec![(StanceKind::Assert, cite.clone())],
                )
            })
            .collect();
        let claims = [ClaimRow {
            statement: "s".into(),
            cells,
        }];
        let columns = ClaimColumns::of(&claims);
        let headings = columns.headings();
        assert_eq!(headings.len(), CLAIM_COLUMNS + 1);
        assert_eq!(headings.last(), Some(&"Other holders"));
        let shown: usize = (0..headings.len())
            .map(|i| columns.cell(&claims[0], i).len())
            .sum();
        assert_eq!(shown, 12, "no stance may fall off the matrix");
        let mixed = columns.cell(&claims[0], CLAIM_COLUMNS);
        assert!(mixed.iter().all(|s| s.holder.is_some()));
    }
}
