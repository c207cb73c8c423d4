//! The dossier as Markdown.

use crate::dossier::{Cite, Dossier, TimelineEntry};
use crate::{date_label, excerpt, stance_label};
use std::fmt::Write;

/// Longest excerpt of a cited span shown inline.
const EXCERPT_CHARS: usize = 160;

pub fn render(d: &Dossier) -> String {
    let mut out = String::new();
    let w = &mut out;
    let _ = writeln!(w, "# {}\n", inline(&d.title));
    let _ = writeln!(
        w,
        "*lagebild dossier · {} articles · {} actors · {} quotations · {} events*\n",
        d.sources.len(),
        d.actors.len(),
        d.quotes.iter().map(|g| g.quotes.len()).sum::<usize>(),
        d.timeline.len()
    );

    let _ = writeln!(w, "## Summary\n");
    for c in &d.summary {
        let _ = writeln!(w, "> {} {}\n", inline(&c.text), cite(c));
    }

    let _ = writeln!(w, "## Timeline\n");
    timeline(w, &d.timeline);
    if !d.commentary.is_empty() {
        let _ = writeln!(w, "### Commentary and background (not reported as fact)\n");
        timeline(w, &d.commentary);
    }

    let _ = writeln!(w, "## Actors\n");
    for (kind, heading) in [
        (lagebild_core::EntityKind::Person, "People"),
        (lagebild_core::EntityKind::Organization, "Organisations"),
        (lagebild_core::EntityKind::Location, "Places"),
    ] {
        let actors: Vec<_> = d.actors.iter().filter(|a| a.kind == kind).collect();
        if actors.is_empty() {
            continue;
        }
        let _ = writeln!(w, "### {heading}\n");
        for a in actors {
            let _ = write!(w, "- **{}**", inline(&a.name));
            if !a.roles.is_empty() {
                let roles: Vec<String> = a
                    .roles
                    .iter()
                    .map(|(r, flagged)| {
                        if *flagged {
                            format!("{} ⚠ contradicts other sources", inline(r))
                        } else {
                            inline(r)
                        }
                    })
                    .collect();
                let _ = write!(w, " — {}", roles.join("; "));
            }
            if !a.aliases.is_empty() {
                let _ = write!(w, " (also: {})", inline(&a.aliases.join(", ")));
            }
            let _ = write!(w, " · {} mentions in {} articles", a.mentions, a.documents);
            if let Some(wp) = &a.wikipedia {
                let _ = write!(w, " · Wikipedia: {}", inline(wp));
            }
            let _ = writeln!(w);
        }
        let _ = writeln!(w);
    }

    let _ = writeln!(w, "## Who said what\n");
    for g in &d.quotes {
        let _ = writeln!(w, "### {}\n", inline(&g.speaker));
        for q in &g.quotes {
            let kind = if q.direct { "direct" } else { "indirect" };
            let cue = q
                .cue
                .as_deref()
                .map(|c| format!(" — *{}*", inline(c)))
                .unwrap_or_default();
            let _ = writeln!(
                w,
                "- {}{cue} ({kind}) {}",
                inline(&excerpt(&q.quote.text, 400)),
                cite(&q.quote)
            );
        }
        let _ = writeln!(w);
    }

    let _ = writeln!(w, "## Claims\n");
    let _ = writeln!(
        w,
        "Claims stated by two or more holders, or denied or doubted; {} further claims have a single holder.\n",
        d.single_claims
    );
    if !d.claims.is_empty() {
        let columns = crate::ClaimColumns::of(&d.claims);
        let headings = columns.headings();
        let _ = writeln!(
            w,
            "| Claim | {} |",
            headings
                .iter()
                .map(|h| inline(h))
                .collect::<Vec<_>>()
                .join(" | ")
        );
        let _ = writeln!(w, "|---|{}", "---|".repeat(headings.len()));
        for c in &d.claims {
            let cells: Vec<String> = (0..headings.len())
                .map(|i| {
                    columns
                        .cell(c, i)
                        .iter()
                        .map(|s| {
                            let holder = s.holder.map(|h| format!("{}: ", inline(h)));
                            format!(
                                "{}{} {}",
                                holder.unwrap_or_default(),
                                stance_label(s.stance),
                                cite(s.cite)
                            )
                        })
                        .collect::<Vec<_>>()
                        .join("<br>")
                })
                .collect();
            let _ = writeln!(w, "| {} | {} |", inline(&c.statement), cells.join(" | "));
        }
        let _ = writeln!(w);
    }

    let _ = writeln!(w, "## Stories and event clusters\n");
    for s in &d.stories {
        let _ = writeln!(w, "### {}\n", inline(&s.title));
        for c in &s.clusters {
            let span = match (&c.first, &c.last) {
                (Some(f), Some(l)) if f != l => format!(" ({f} – {l})"),
                (Some(f), _) => format!(" ({f})"),
                _ => String::new(),
            };
            let _ = writeln!(
                w,
                "- {} *{}*{span}: {}",
                c.id,
                inline(&c.title),
                c.documents.join(", ")
            );
        }
        let _ = writeln!(w);
    }

    let _ = writeln!(w, "## Copies and repeated passages\n");
    for c in &d.copies {
        for (doc, containment) in &c.derived {
            let _ = writeln!(
                w,
                "- {doc} derives from **{}** ({:.0} % of its text found there; original chosen by {})",
                c.original,
                containment * 100.0,
                crate::basis_label(c.basis)
            );
        }
    }
    for p in &d.passages {
        let _ = writeln!(
            w,
            "- {:.2}: {} {} ≈ {} {}",
            p.similarity,
            inline(&excerpt(&p.a.text, 100)),
            cite(&p.a),
            inline(&excerpt(&p.b.text, 100)),
            cite(&p.b)
        );
    }
    let _ = writeln!(w);

    let _ = writeln!(w, "## Sources\n");
    let _ = writeln!(
        w,
        "| Article | Title | Source | Published | Language | Opinion / background |"
    );
    let _ = writeln!(w, "|---|---|---|---|---|---|");
    for s in &d.sources {
        let sections: Vec<String> = s
            .sections
            .iter()
            .map(|(k, c)| format!("{k:?}: {}", inline(&excerpt(&c.text, 40))).to_lowercase())
            .collect();
        let source = match (&s.source, &s.url) {
            (Some(src), _) => inline(src),
            (None, Some(url)) => inline(url),
            _ => String::new(),
        };
        let _ = writeln!(
            w,
            "| {} | {} | {source} | {} | {} | {} |",
            s.id,
            inline(s.title.as_deref().unwrap_or("")),
            s.published.as_deref().unwrap_or("unknown"),
            s.language.as_deref().unwrap_or(""),
            sections.join("; ")
        );
    }
    let _ = writeln!(w);

    let _ = writeln!(w, "## Dropped as boilerplate\n");
    for b in &d.dropped {
        let _ = writeln!(
            w,
            "- {} · {} · `{}`",
            b.cite.doc_id,
            b.kind,
            excerpt(&b.cite.text, 80).replace('`', "'")
        );
    }
    out
}

fn timeline(w: &mut String, entries: &[TimelineEntry]) {
    let _ = writeln!(w, "| Date | Event | Actors | Reported in |");
    let _ = writeln!(w, "|---|---|---|---|");
    for e in entries {
        let sources: Vec<String> = e
            .sources
            .iter()
            .map(|s| format!("{} {}", inline(&excerpt(&s.text, EXCERPT_CHARS)), cite(s)))
            .collect();
        let _ = writeln!(
            w,
            "| {} | {} | {} | {} |",
            date_label(e.date.as_deref(), e.uncertain),
            e.kind.replace('_', " "),
            inline(&e.actors.join(", ")),
            sources.join("<br>")
        );
    }
    let _ = writeln!(w);
}

/// A short reference to the evidence: `[doc:start–end]`.
fn cite(c: &Cite) -> String {
    format!("`[{}:{}–{}]`", c.doc_id, c.span.start, c.span.end)
}

/// Text safe inside a Markdown line and table cell.
fn inline(s: &str) -> String {
    s.split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
        .replace('|', "\\|")
}
