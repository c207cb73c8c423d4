//! The dossier as one self-contained HTML page (inline CSS, no external assets, no script).
//! All article text is HTML-escaped.

use crate::dossier::{Cite, Dossier, TimelineEntry};
use crate::{date_label, excerpt, stance_label};
use lagebild_core::text::escape_html as esc;
use lagebild_core::{Corpus, EntityKind};
use std::fmt::Write;

const STYLE: &str = "body{font:15px/1.5 system-ui,sans-serif;max-width:70rem;margin:2rem auto;padding:0 1rem;color:#222}
h1{font-size:1.7rem}h2{border-bottom:1px solid #ccc;margin-top:2.2rem}table{border-collapse:collapse;width:100%}
td,th{border:1px solid #ddd;padding:.3rem .5rem;vertical-align:top;text-align:left}th{background:#f4f4f4}
blockquote{margin:.6rem 0;padding:.2rem .8rem;border-left:4px solid #8ab}a.ev{font-size:.8em;color:#46a}
.uncertain{color:#a60}.flag{color:#b00}.assert{color:#036}.confirm{color:#070}.deny{color:#b00}.doubt{color:#a60}
.doc{white-space:pre-wrap;border:1px solid #ddd;padding:.8rem;background:#fcfcfc}
.bp{text-decoration:line-through;color:#999}.q{background:#fff3bf}.m{border-bottom:2px solid #8ab}.t{background:#e3f2e6}
.ev-target:target{outline:2px solid #f80}";

pub fn render(d: &Dossier, corpus: &Corpus) -> String {
    let mut out = String::new();
    let w = &mut out;
    let _ = write!(
        w,
        "<!DOCTYPE html>\n<html lang=\"de\"><head><meta charset=\"utf-8\"><title>{}</title><style>{STYLE}</style></head><body>\n",
        esc(&d.title)
    );
    let _ = writeln!(w, "<h1>{}</h1>", esc(&d.title));
    let _ = writeln!(
        w,
        "<p><em>lagebild dossier · {} articles · {} actors · {} events</em></p>",
        d.sources.len(),
        d.actors.len(),
        d.timeline.len()
    );

    let _ = writeln!(w, "<h2>Summary</h2>");
    for c in &d.summary {
        let _ = writeln!(w, "<blockquote>{} {}</blockquote>", esc(&c.text), link(c));
    }

    let _ = writeln!(w, "<h2 id=\"timeline\">Timeline</h2>");
    timeline(w, &d.timeline);
    if !d.commentary.is_empty() {
        let _ = writeln!(
            w,
            "<h3>Commentary and background (not reported as fact)</h3>"
        );
        timeline(w, &d.commentary);
    }

    let _ = writeln!(w, "<h2 id=\"actors\">Actors</h2>");
    for (kind, heading) in [
        (EntityKind::Person, "People"),
        (EntityKind::Organization, "Organisations"),
        (EntityKind::Location, "Places"),
    ] {
        let actors: Vec<_> = d.actors.iter().filter(|a| a.kind == kind).collect();
        if actors.is_empty() {
            continue;
        }
        let _ = writeln!(w, "<h3>{heading}</h3><ul>");
        for a in actors {
            let roles: Vec<String> = a
                .roles
                .iter()
                .map(|(r, flagged)| {
                    if *flagged {
                        format!(
                            "<span class=\"flag\" title=\"contradicts other sources\">{} ⚠</span>",
                            esc(r)
                        )
                    } else {
                        esc(r)
                    }
                })
                .collect();
            let _ = write!(w, "<li id=\"{}\"><strong>{}</strong>", a.id, esc(&a.name));
            if !roles.is_empty() {
                let _ = write!(w, " — {}", roles.join("; "));
            }
            if !a.aliases.is_empty() {
                let _ = write!(w, " <small>(also: {})</small>", esc(&a.aliases.join(", ")));
            }
            let _ = writeln!(
                w,
                " <small>· {} mentions in {} articles</small></li>",
                a.mentions, a.documents
            );
        }
        let _ = writeln!(w, "</ul>");
    }

    let _ = writeln!(w, "<h2 id=\"quotes\">Who said what</h2>");
    for g in &d.quotes {
        let _ = writeln!(w, "<h3>{}</h3>", esc(&g.speaker));
        for q in &g.quotes {
            let kind = if q.direct { "direct" } else { "indirect" };
            let cue = q
                .cue
                .as_deref()
                .map(|c| format!(" — <em>{}</em>", esc(c)))
                .unwrap_or_default();
            let _ = writeln!(
                w,
                "<blockquote>{}{cue} <small>({kind})</small> {}</blockquote>",
                esc(&q.quote.text),
                link(&q.quote)
            );
        }
    }

    let _ = writeln!(w, "<h2 id=\"claims\">Claims</h2>");
    let _ = writeln!(
        w,
        "<p>Claims stated by two or more holders, or denied or doubted; {} further claims have a single holder.</p>",
        d.single_claims
    );
    if !d.claims.is_empty() {
        let columns = crate::ClaimColumns::of(&d.claims);
        let headings = columns.headings();
        let _ = write!(w, "<table><tr><th>Claim</th>");
        for h in &headings {
            let _ = write!(w, "<th>{}</th>", esc(h));
        }
        let _ = writeln!(w, "</tr>");
        for c in &d.claims {
            let _ = write!(w, "<tr><td>{}</td>", esc(&c.statement));
            for i in 0..headings.len() {
                let _ = write!(w, "<td>");
                for s in columns.cell(c, i) {
                    let label = stance_label(s.stance);
                    if let Some(h) = s.holder {
                        let _ = write!(w, "{}: ", esc(h));
                    }
                    let _ = write!(
                        w,
                        "<a class=\"{label}\" href=\"#{}\" title=\"{}\">{label}</a> ",
                        anchor(s.cite),
                        esc(&excerpt(&s.cite.text, 200))
                    );
                }
                let _ = write!(w, "</td>");
            }
            let _ = writeln!(w, "</tr>");
        }
        let _ = writeln!(w, "</table>");
    }

    let _ = writeln!(w, "<h2 id=\"stories\">Stories and event clusters</h2>");
    for s in &d.stories {
        let _ = writeln!(w, "<h3>{}</h3><ul>", esc(&s.title));
        for c in &s.clusters {
            let docs: Vec<String> = c
                .documents
                .iter()
                .map(|id| format!("<a href=\"#doc-{0}\">{0}</a>", esc(id)))
                .collect();
            let _ = writeln!(
                w,
                "<li>{} <em>{}</em> {} – {}: {}</li>",
                c.id,
                esc(&c.title),
                c.first.as_deref().unwrap_or("?"),
                c.last.as_deref().unwrap_or("?"),
                docs.join(", ")
            );
        }
        let _ = writeln!(w, "</ul>");
    }

    let _ = writeln!(w, "<h2 id=\"copies\">Copies and repeated passages</h2><ul>");
    for c in &d.copies {
        for (doc, containment) in &c.derived {
            let _ = writeln!(
                w,
                "<li>{} derives from <strong>{}</strong> ({:.0} % of its text found there; original chosen by {})</li>",
                esc(doc),
                esc(&c.original),
                containment * 100.0,
                crate::basis_label(c.basis)
            );
        }
    }
    for p in &d.passages {
        let _ = writeln!(
            w,
            "<li>{:.2}: {} {} ≈ {} {}</li>",
            p.similarity,
            esc(&excerpt(&p.a.text, 100)),
            link(&p.a),
            esc(&excerpt(&p.b.text, 100)),
            link(&p.b)
        );
    }
    let _ = writeln!(w, "</ul>");

    let _ = writeln!(w, "<h2 id=\"dropped\">Dropped as boilerplate</h2><ul>");
    for b in &d.dropped {
        let _ = writeln!(
            w,
            "<li>{} · {} · <code>{}</code> {}</li>",
            esc(&b.cite.doc_id),
            esc(&b.kind),
            esc(&excerpt(&b.cite.text, 80)),
            link(&b.cite)
        );
    }
    let _ = writeln!(w, "</ul>");

    let _ = writeln!(w, "<h2 id=\"sources\">Sources</h2>");
    for s in &d.sources {
        let a = &corpus.docs[s.doc];
        let _ = writeln!(
            w,
            "<h3 id=\"doc-{}\">{}{}</h3><p><small>{} · published {} · language {}</small></p>",
            esc(&s.id),
            esc(&s.id),
            s.title
                .as_deref()
                .map(|t| format!(" — {}", esc(t)))
                .unwrap_or_default(),
            esc(s
                .source
                .as_deref()
                .or(s.url.as_deref())
                .unwrap_or("source unknown")),
            s.published.as_deref().unwrap_or("unknown"),
            s.language.as_deref().unwrap_or("?")
        );
        let _ = writeln!(
            w,
            "<div class=\"doc\">{}</div>",
            annotated_text(d, a, s.doc)
        );
    }
    let _ = writeln!(w, "</body></html>");
    out
}

fn timeline(w: &mut String, entries: &[TimelineEntry]) {
    let _ = writeln!(
        w,
        "<table><tr><th>Date</th><th>Event</th><th>Actors</th><th>Reported in</th></tr>"
    );
    for e in entries {
        let class = if e.uncertain {
            " class=\"uncertain\""
        } else {
            ""
        };
        let sources: Vec<String> = e
            .sources
            .iter()
            .map(|s| format!("{} {}", esc(&excerpt(&s.text, 160)), link(s)))
            .collect();
        let _ = writeln!(
            w,
            "<tr><td{class}>{}</td><td>{}</td><td>{}</td><td>{}</td></tr>",
            esc(&date_label(e.date.as_deref(), e.uncertain)),
            esc(&e.kind.replace('_', " ")),
            esc(&e.actors.join(", ")),
            sources.join("<br>")
        );
    }
    let _ = writeln!(w, "</table>");
}

fn anchor(c: &Cite) -> String {
    format!("d{}-{}-{}", c.doc, c.span.start, c.span.end)
}

fn link(c: &Cite) -> String {
    format!(
        "<a class=\"ev\" href=\"#{}\">[{}:{}–{}]</a>",
        anchor(c),
        esc(&c.doc_id),
        c.span.start,
        c.span.end
    )
}

/// The article text with boilerplate struck through, quotations, mentions and dates marked,
/// and an anchor at every span the dossier cites.
fn annotated_text(d: &Dossier, a: &lagebild_core::AnalyzedDocument, doc: usize) -> String {
    const BP: u8 = 1;
    const QUOTE: u8 = 2;
    const MENTION: u8 = 4;
    const TIME: u8 = 8;
    let chars: Vec<char> = a.doc.text().chars().collect();
    let mut marks = vec![0u8; chars.len()];
    let mut mark = |span: lagebild_core::Span, bit: u8| {
        for m in &mut marks[span.start.min(chars.len())..span.end.min(chars.len())] {
            *m |= bit;
        }
    };
    a.ann.boilerplate.iter().for_each(|b| mark(b.span, BP));
    a.ann.quotes.iter().for_each(|q| mark(q.span, QUOTE));
    a.ann.mentions.iter().for_each(|m| mark(m.span, MENTION));
    a.ann.timexes.iter().for_each(|t| mark(t.span, TIME));
    let mut anchors: Vec<(usize, String)> = cited(d)
        .filter(|c| c.doc == doc)
        .map(|c| (c.span.start, anchor(c)))
        .collect();
    anchors.sort();
    anchors.dedup();
    let mut out = String::new();
    let mut next_anchor = anchors.iter().peekable();
    let mut i = 0;
    while i < chars.len() {
        let m = marks[i];
        let mut j = i + 1;
        while j < chars.len() && marks[j] == m && next_anchor.peek().is_none_or(|(s, _)| *s != j) {
            j += 1;
        }
        while let Some((_, id)) = next_anchor.next_if(|(s, _)| *s <= i) {
            let _ = write!(out, "<a class=\"ev-target\" id=\"{id}\"></a>");
        }
        let text: String = chars[i..j].iter().collect();
        let classes: Vec<&str> = [(BP, "bp"), (QUOTE, "q"), (MENTION, "m"), (TIME, "t")]
            .iter()
            .filter(|(bit, _)| m & bit != 0)
            .map(|(_, c)| *c)
            .collect();
        if classes.is_empty() {
            out.push_str(&esc(&text));
        } else {
            let _ = write!(
                out,
                "<span class=\"{}\">{}</span>",
                classes.join(" "),
                esc(&text)
            );
        }
        i = j;
    }
    out
}

/// Every cite the dossier shows, so the article view can anchor them.
fn cited(d: &Dossier) -> impl Iterator<Item = &Cite> {
    d.summary
        .iter()
        .chain(
            d.timeline
                .iter()
                .chain(&d.commentary)
                .flat_map(|e| &e.sources),
        )
        .chain(
            d.quotes
                .iter()
                .flat_map(|g| g.quotes.iter().map(|q| &q.quote)),
        )
        .chain(
            d.claims
                .iter()
                .flat_map(|c| c.cells.values().flatten().map(|(_, e)| e)),
        )
        .chain(d.passages.iter().flat_map(|p| [&p.a, &p.b]))
        .chain(d.dropped.iter().map(|b| &b.cite))
}
