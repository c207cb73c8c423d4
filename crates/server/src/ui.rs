//! Server-rendered HTML pages. Every piece of article text and metadata goes through
//! [`esc`]; there is no script on any page, so stored text can never run as code.

use lagebild_core::{CharIndex, QuoteKind};
use lagebild_store::{
    html_escape as esc, DocRef, DocumentView, EntitySummary, EntityView, Hit, QuoteView, Ref,
    StanceView, StorySummary, StoryView, TimelineEntry,
};
use std::fmt::Write;

/// Longest excerpt of an event or stance shown inline.
const EXCERPT_CHARS: usize = 280;

/// Percent-encodes one URL path segment or query value.
fn pct(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for b in s.bytes() {
        if b.is_ascii_alphanumeric() || b"-._~".contains(&b) {
            out.push(b as char);
        } else {
            let _ = write!(out, "%{b:02X}");
        }
    }
    out
}

fn excerpt(s: &str) -> String {
    let mut chars = s.chars();
    let head: String = chars.by_ref().take(EXCERPT_CHARS).collect();
    if chars.next().is_some() {
        format!("{}…", esc(&head))
    } else {
        esc(&head)
    }
}

fn page(title: &str, body: &str) -> String {
    format!(
        "<!doctype html>\n<html lang=\"de\"><head><meta charset=\"utf-8\">\
<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\
<title>{} · lagebild</title><link rel=\"stylesheet\" href=\"/assets/style.css\"></head>\
<body><header><a class=\"brand\" href=\"/\">lagebild</a> <nav><a href=\"/\">Stories</a> \
<a href=\"/entities\">Entities</a> <a href=\"/search\">Search</a> <a href=\"/openapi.json\">API</a></nav>\
<form class=\"quick\" action=\"/search\"><input name=\"q\" placeholder=\"Search articles\" aria-label=\"Search articles\"></form>\
</header><main>{body}</main></body></html>\n",
        esc(title)
    )
}

pub fn not_found(what: &str) -> String {
    page("not found", &format!("<h1>No such {}</h1>", esc(what)))
}

fn doc_href(doc: &str, start: usize) -> String {
    format!("/documents/{}#a-{start}", pct(doc))
}

fn entity_link(r: &Ref) -> String {
    format!(
        "<a class=\"entity\" href=\"/entities/{}\">{}</a>",
        pct(&r.id),
        esc(&r.name)
    )
}

fn date_range(first: Option<jiff::civil::Date>, last: Option<jiff::civil::Date>) -> String {
    match (first, last) {
        (Some(f), Some(l)) if f == l => f.to_string(),
        (Some(f), Some(l)) => format!("{f} – {l}"),
        (Some(d), None) | (None, Some(d)) => d.to_string(),
        (None, None) => String::new(),
    }
}

fn doc_item(d: &DocRef) -> String {
    let title = d
        .title
        .as_deref()
        .filter(|t| !t.is_empty())
        .unwrap_or(&d.id);
    let mut meta = Vec::new();
    if let Some(s) = &d.source {
        meta.push(esc(s));
    }
    if let Some(p) = d.published {
        meta.push(p.to_string());
    }
    format!(
        "<li><a href=\"/documents/{}\">{}</a> <span class=\"meta\">{}</span></li>",
        pct(&d.id),
        esc(title),
        meta.join(" · ")
    )
}

pub fn index(stories: &[StorySummary], recent: &[DocRef]) -> String {
    let mut b = String::from("<h1>Stories</h1>");
    if stories.is_empty() {
        b.push_str("<p class=\"empty\">No stories yet: ingest articles with <code>lagebild ingest</code>.</p>");
    } else {
        b.push_str("<table class=\"stories\"><thead><tr><th>Story</th><th>Articles</th><th>Clusters</th><th>Dates</th></tr></thead><tbody>");
        for s in stories {
            let _ = write!(
                b,
                "<tr><td><a href=\"/stories/{}\">{}</a></td><td>{}</td><td>{}</td><td>{}</td></tr>",
                pct(&s.id),
                esc(if s.title.is_empty() { &s.id } else { &s.title }),
                s.documents,
                s.clusters,
                date_range(s.first, s.last)
            );
        }
        b.push_str("</tbody></table>");
    }
    b.push_str("<h2>Latest articles</h2><ul class=\"docs\">");
    for d in recent {
        b.push_str(&doc_item(d));
    }
    b.push_str("</ul>");
    page("Stories", &b)
}

fn quote_item(q: &QuoteView, with_doc: bool) -> String {
    let speaker = match (&q.speaker, &q.speaker_text) {
        (Some(r), _) => entity_link(r),
        (None, Some(t)) => format!("<span class=\"speaker-text\">{}</span>", esc(t)),
        (None, None) => "<span class=\"unknown\">unattributed</span>".into(),
    };
    let cue = q
        .cue
        .as_deref()
        .map(|c| format!(" <span class=\"cue\">({})</span>", esc(c)))
        .unwrap_or_default();
    let source = if with_doc {
        format!(
            " <a class=\"evidence\" href=\"{}\">{}</a>",
            doc_href(&q.doc, q.start),
            esc(&q.doc)
        )
    } else {
        format!(" <a class=\"evidence\" href=\"#a-{}\">↧</a>", q.start)
    };
    let kind = match q.kind {
        QuoteKind::Direct => "direct",
        QuoteKind::Indirect => "indirect",
    };
    format!(
        "<li class=\"quote {kind}\"><span class=\"speaker\">{speaker}</span>{cue}: <q>{}</q>{source}</li>",
        esc(&q.text)
    )
}

fn timeline_item(e: &TimelineEntry) -> String {
    let actors: Vec<String> = e
        .actors
        .iter()
        .chain(&e.participants)
        .map(entity_link)
        .collect();
    format!(
        "<li class=\"event{}\"><span class=\"date\">{}</span> <span class=\"kind\">{}</span> \
<span class=\"actors\">{}</span> <a class=\"evidence\" href=\"{}\">{}</a></li>",
        if e.factual { "" } else { " commentary" },
        esc(e.date.as_deref().unwrap_or("undated")),
        esc(&e.kind),
        actors.join(", "),
        doc_href(&e.doc, e.start),
        excerpt(&e.text)
    )
}

fn holder_label(s: &StanceView) -> String {
    s.holder
        .as_ref()
        .map(|r| r.name.clone())
        .unwrap_or_else(|| s.holder_text.clone())
}

pub fn story(v: &StoryView) -> String {
    let mut b = String::new();
    let title = if v.title.is_empty() { &v.id } else { &v.title };
    let _ = write!(
        b,
        "<h1>{}</h1><p class=\"meta\">{} articles in {} clusters</p>",
        esc(title),
        v.documents.len(),
        v.clusters.len()
    );
    b.push_str("<nav class=\"toc\"><a href=\"#timeline\">Timeline</a> <a href=\"#actors\">Actors</a> <a href=\"#quotes\">Who said what</a> <a href=\"#claims\">Claims</a> <a href=\"#sources\">Sources</a></nav>");

    let _ = write!(b, "<section id=\"timeline\"><h2>Timeline</h2>");
    if v.timeline.is_empty() {
        b.push_str("<p class=\"empty\">No events found.</p>");
    } else {
        b.push_str("<ol class=\"timeline\">");
        for e in &v.timeline {
            b.push_str(&timeline_item(e));
        }
        b.push_str("</ol>");
    }
    b.push_str("</section>");

    b.push_str("<section id=\"actors\"><h2>Actors</h2>");
    if v.actors.is_empty() {
        b.push_str("<p class=\"empty\">No entities found.</p>");
    } else {
        b.push_str("<table><thead><tr><th>Actor</th><th>Kind</th><th>Mentions</th><th>Roles</th></tr></thead><tbody>");
        for a in &v.actors {
            let mut roles: Vec<String> = Vec::new();
            for r in &a.roles {
                let item = format!(
                    "<a class=\"role{}\" href=\"{}\">{}</a>",
                    if r.flagged { " flagged" } else { "" },
                    doc_href(&r.doc, r.start),
                    esc(&r.text)
                );
                if !roles.contains(&item) {
                    roles.push(item);
                }
            }
            let _ = write!(
                b,
                "<tr><td>{}</td><td>{:?}</td><td>{}</td><td>{}</td></tr>",
                entity_link(&Ref {
                    id: a.id.clone(),
                    name: a.name.clone()
                }),
                a.kind,
                a.mentions,
                roles.join("; ")
            );
        }
        b.push_str("</tbody></table>");
    }
    b.push_str("</section>");

    b.push_str("<section id=\"quotes\"><h2>Who said what</h2>");
    if v.quotes.is_empty() {
        b.push_str("<p class=\"empty\">No quotations found.</p>");
    } else {
        b.push_str("<ul class=\"quotes\">");
        for q in &v.quotes {
            b.push_str(&quote_item(q, true));
        }
        b.push_str("</ul>");
    }
    b.push_str("</section>");

    b.push_str("<section id=\"claims\"><h2>Claims</h2>");
    if v.claims.is_empty() {
        b.push_str("<p class=\"empty\">No claims found.</p>");
    } else {
        let mut holders: Vec<String> = Vec::new();
        for c in &v.claims {
            for s in &c.stances {
                let h = holder_label(s);
                if !holders.contains(&h) {
                    holders.push(h);
                }
            }
        }
        b.push_str("<div class=\"scroll\"><table class=\"claims\"><thead><tr><th>Claim</th>");
        for h in &holders {
            let _ = write!(b, "<th>{}</th>", esc(h));
        }
        b.push_str("</tr></thead><tbody>");
        for c in &v.claims {
            let _ = write!(b, "<tr><th scope=\"row\">{}</th>", esc(&c.statement));
            for h in &holders {
                let cells: Vec<String> = c
                    .stances
                    .iter()
                    .filter(|s| holder_label(s) == *h)
                    .map(|s| {
                        let stance = format!("{:?}", s.stance).to_lowercase();
                        format!(
                            "<a class=\"stance {stance}\" href=\"{}\" title=\"{}\">{stance}</a>",
                            doc_href(&s.doc, s.start),
                            esc(&s.text)
                        )
                    })
                    .collect();
                let _ = write!(b, "<td>{}</td>", cells.join(" "));
            }
            b.push_str("</tr>");
        }
        b.push_str("</tbody></table></div>");
    }
    b.push_str("</section>");

    b.push_str("<section id=\"sources\"><h2>Sources</h2>");
    for g in &v.sources {
        let _ = write!(
            b,
            "<h3>{}</h3><ul class=\"docs\">",
            esc(g.source.as_deref().unwrap_or("unknown source"))
        );
        for d in &g.documents {
            b.push_str(&doc_item(d));
        }
        b.push_str("</ul>");
    }
    if !v.copies.is_empty() {
        b.push_str("<h3>Copies</h3><ul class=\"copies\">");
        for c in &v.copies {
            let derived: Vec<String> = c
                .derived
                .iter()
                .map(|d| {
                    format!(
                        "<a href=\"/documents/{}\">{}</a> ({:.0}% of its text)",
                        pct(&d.doc),
                        esc(&d.doc),
                        d.containment * 100.0
                    )
                })
                .collect();
            let _ = write!(
                b,
                "<li>original <a href=\"/documents/{}\">{}</a> → {}</li>",
                pct(&c.original),
                esc(&c.original),
                derived.join(", ")
            );
        }
        b.push_str("</ul>");
    }
    if !v.near_duplicates.is_empty() {
        let _ = write!(b, "<h3>Repeated passages</h3><ul class=\"dups\">");
        for p in &v.near_duplicates {
            let _ = write!(
                b,
                "<li><a href=\"{}\">{}</a> ≈ <a href=\"{}\">{}</a> ({:.2})</li>",
                doc_href(&p.a.doc, p.a.start),
                esc(&p.a.doc),
                doc_href(&p.b.doc, p.b.start),
                esc(&p.b.doc),
                p.similarity
            );
        }
        b.push_str("</ul>");
    }
    b.push_str("</section>");

    b.push_str("<section id=\"clusters\"><h2>Event clusters</h2>");
    for c in &v.clusters {
        let _ = write!(
            b,
            "<h3>{} <span class=\"meta\">{}</span></h3><ul class=\"docs\">",
            esc(if c.title.is_empty() { &c.id } else { &c.title }),
            date_range(c.first, c.last)
        );
        for id in &c.documents {
            if let Some(d) = v.documents.iter().find(|d| d.id == *id) {
                b.push_str(&doc_item(d));
            }
        }
        b.push_str("</ul>");
    }
    b.push_str("</section>");
    page(title, &b)
}

pub fn entities(q: &str, list: &[EntitySummary]) -> String {
    let mut b = format!(
        "<h1>Entities</h1><form action=\"/entities\"><input name=\"q\" value=\"{}\" placeholder=\"Name starts with\"> <button>Filter</button></form><table><thead><tr><th>Name</th><th>Kind</th><th>Mentions</th></tr></thead><tbody>",
        esc(q)
    );
    for e in list {
        let _ = write!(
            b,
            "<tr><td><a href=\"/entities/{}\">{}</a></td><td>{:?}</td><td>{}</td></tr>",
            pct(&e.id),
            esc(&e.name),
            e.kind,
            e.mentions
        );
    }
    b.push_str("</tbody></table>");
    page("Entities", &b)
}

pub fn entity(v: &EntityView) -> String {
    let mut b = format!(
        "<h1>{}</h1><p class=\"meta\">{:?} · {} mentions in {} articles</p>",
        esc(&v.name),
        v.kind,
        v.mentions,
        v.documents_total
    );
    if !v.aliases.is_empty() {
        let _ = write!(b, "<p>Also: {}</p>", esc(&v.aliases.join(", ")));
    }
    if let Some(w) = &v.wikipedia {
        let _ = write!(
            b,
            "<p>Wikipedia: <a href=\"https://de.wikipedia.org/wiki/{}\">{}</a></p>",
            pct(&w.replace(' ', "_")),
            esc(w)
        );
    }
    if let Some(r) = &v.refers_to {
        let _ = write!(b, "<p>Stands for {}</p>", entity_link(r));
    }
    if !v.stories.is_empty() {
        b.push_str("<h2>Stories</h2><ul>");
        for s in &v.stories {
            let _ = write!(
                b,
                "<li><a href=\"/stories/{}\">{}</a></li>",
                pct(&s.id),
                esc(&s.title)
            );
        }
        b.push_str("</ul>");
    }
    b.push_str("<section id=\"roles\"><h2>Roles</h2><ul>");
    for r in &v.roles {
        let _ = write!(
            b,
            "<li><a class=\"role{}\" href=\"{}\">{}</a> <span class=\"meta\">{}</span></li>",
            if r.flagged { " flagged" } else { "" },
            doc_href(&r.doc, r.start),
            esc(&r.text),
            esc(&r.doc)
        );
    }
    b.push_str("</ul></section>");
    let _ = write!(
        b,
        "<section id=\"quotes\"><h2>Quotations ({})</h2><ul class=\"quotes\">",
        v.quotes_total
    );
    for q in &v.quotes {
        b.push_str(&quote_item(q, true));
    }
    b.push_str("</ul></section><section id=\"cooccurring\"><h2>Appears with</h2><ul>");
    for c in &v.cooccurring {
        let _ = write!(
            b,
            "<li>{} <span class=\"meta\">{} articles</span></li>",
            entity_link(&Ref {
                id: c.id.clone(),
                name: c.name.clone()
            }),
            c.documents
        );
    }
    let _ = write!(
        b,
        "</ul></section><section id=\"articles\"><h2>Articles ({})</h2><ul class=\"docs\">",
        v.documents_total
    );
    for d in &v.documents {
        b.push_str(&doc_item(d));
    }
    b.push_str("</ul></section>");
    page(&v.name, &b)
}

/// One highlighted stretch of the article.
struct Mark {
    start: usize,
    end: usize,
    class: String,
    title: String,
    href: Option<String>,
}

/// The article text with every annotation highlighted. Overlapping annotations are
/// rendered as flat segments carrying the classes of all annotations covering them, so any
/// overlap renders correctly; `id="a-N"` anchors mark where annotations start.
fn annotated_text(v: &DocumentView) -> String {
    let ix = CharIndex::new(&v.text);
    let n = ix.len_chars();
    let mut marks: Vec<Mark> = Vec::new();
    let mut push =
        |start: usize, end: usize, class: String, title: String, href: Option<String>| {
            let (start, end) = (start.min(n), end.min(n));
            if start < end {
                marks.push(Mark {
                    start,
                    end,
                    class,
                    title,
                    href,
                });
            }
        };
    for b in &v.boilerplate {
        push(
            b.start,
            b.end,
            "bp".into(),
            format!("boilerplate: {}", b.kind),
            None,
        );
    }
    for s in &v.sections {
        let kind = format!("{:?}", s.kind).to_lowercase();
        push(
            s.start,
            s.end,
            format!("sec sec-{kind}"),
            format!("section: {kind}"),
            None,
        );
    }
    for q in &v.quotes {
        let who = q
            .speaker
            .as_ref()
            .map(|r| r.name.clone())
            .or(q.speaker_text.clone())
            .unwrap_or_else(|| "unattributed".into());
        push(q.start, q.end, "q".into(), format!("quote by {who}"), None);
    }
    for e in &v.events {
        push(
            e.start,
            e.end,
            "ev".into(),
            format!("event {} {}", e.kind, e.date.as_deref().unwrap_or("")),
            None,
        );
    }
    for r in &v.roles {
        push(
            r.start,
            r.end,
            "role".into(),
            format!(
                "role of {}",
                r.holder
                    .as_ref()
                    .map(|h| h.name.as_str())
                    .unwrap_or(&r.holder_text)
            ),
            None,
        );
    }
    for t in &v.timexes {
        push(
            t.start,
            t.end,
            "tx".into(),
            format!("{:?} {}", t.kind, t.value).to_lowercase(),
            None,
        );
    }
    for m in &v.mentions {
        let kind = format!("{:?}", m.kind).to_lowercase();
        let (title, href) = match &m.entity {
            Some(r) => (
                format!("{kind}: {}", r.name),
                Some(format!("/entities/{}", pct(&r.id))),
            ),
            None => (kind.clone(), None),
        };
        push(m.start, m.end, format!("m m-{kind}"), title, href);
    }
    let mut bounds: Vec<usize> = marks
        .iter()
        .flat_map(|m| [m.start, m.end])
        .chain([0, n])
        .collect();
    bounds.sort_unstable();
    bounds.dedup();
    let mut starts: Vec<usize> = (0..marks.len()).collect();
    starts.sort_by_key(|&i| marks[i].start);
    let mut next = 0;
    let mut active: Vec<usize> = Vec::new();
    let mut out = String::with_capacity(v.text.len() * 2);
    for w in bounds.windows(2) {
        let (a, b) = (w[0], w[1]);
        active.retain(|&i| marks[i].end > a);
        let mut anchored = false;
        while next < starts.len() && marks[starts[next]].start <= a {
            active.push(starts[next]);
            next += 1;
            if !anchored {
                let _ = write!(out, "<span id=\"a-{a}\"></span>");
                anchored = true;
            }
        }
        let text = esc(&v.text[ix.bytes(lagebild_core::Span::new(a, b))]);
        if active.is_empty() {
            out.push_str(&text);
            continue;
        }
        let class: Vec<&str> = active.iter().map(|&i| marks[i].class.as_str()).collect();
        let title: Vec<&str> = active.iter().map(|&i| marks[i].title.as_str()).collect();
        let (class, title) = (esc(&class.join(" ")), esc(&title.join("; ")));
        match active.iter().rev().find_map(|&i| marks[i].href.as_deref()) {
            Some(href) => {
                let _ = write!(
                    out,
                    "<a class=\"{class}\" title=\"{title}\" href=\"{href}\">{text}</a>"
                );
            }
            None => {
                let _ = write!(
                    out,
                    "<span class=\"{class}\" title=\"{title}\">{text}</span>"
                );
            }
        }
    }
    out
}

pub fn document(v: &DocumentView) -> String {
    let title = v
        .title
        .as_deref()
        .filter(|t| !t.is_empty())
        .unwrap_or(&v.id);
    let mut b = format!("<h1>{}</h1><p class=\"meta\">", esc(title));
    let mut meta = vec![esc(&v.id)];
    if let Some(s) = &v.source {
        meta.push(esc(s));
    }
    if let Some(p) = v.published {
        meta.push(p.to_string());
    }
    if let Some(u) = &v.url {
        meta.push(format!(
            "<a href=\"{}\" rel=\"noreferrer\">original</a>",
            esc(u)
        ));
    }
    b.push_str(&meta.join(" · "));
    b.push_str("</p>");
    if !v.stories.is_empty() {
        b.push_str("<p class=\"stories\">Part of ");
        let links: Vec<String> = v
            .stories
            .iter()
            .map(|s| format!("<a href=\"/stories/{}\">{}</a>", pct(&s.id), esc(&s.title)))
            .collect();
        b.push_str(&links.join(", "));
        b.push_str("</p>");
    }
    b.push_str("<p class=\"legend\"><span class=\"m m-person\">person</span> <span class=\"m m-organization\">organisation</span> <span class=\"m m-location\">place</span> <span class=\"role\">role</span> <span class=\"tx\">date</span> <span class=\"q\">quotation</span> <span class=\"ev\">event</span> <span class=\"bp\">boilerplate</span> <span class=\"sec sec-opinion\">opinion</span></p>");
    let _ = write!(b, "<article class=\"text\">{}</article>", annotated_text(v));
    let story_link = v
        .stories
        .first()
        .map(|s| format!("/stories/{}", pct(&s.id)));
    if !v.quotes.is_empty() {
        b.push_str("<section id=\"quotes\"><h2>Quotations</h2><ul class=\"quotes\">");
        for q in &v.quotes {
            b.push_str(&quote_item(q, false));
        }
        b.push_str("</ul>");
        if let Some(s) = &story_link {
            let _ = write!(
                b,
                "<p><a href=\"{s}#quotes\">All quotations of the story</a></p>"
            );
        }
        b.push_str("</section>");
    }
    if !v.events.is_empty() {
        b.push_str("<section id=\"events\"><h2>Events</h2><ol class=\"timeline\">");
        for e in &v.events {
            b.push_str(&timeline_item(e));
        }
        b.push_str("</ol>");
        if let Some(s) = &story_link {
            let _ = write!(
                b,
                "<p><a href=\"{s}#timeline\">On the story's timeline</a></p>"
            );
        }
        b.push_str("</section>");
    }
    if !v.timexes.is_empty() {
        b.push_str("<section id=\"timexes\"><h2>Dates</h2><ul>");
        for t in &v.timexes {
            let _ = write!(
                b,
                "<li><a href=\"#a-{}\">{}</a> = <code>{}</code></li>",
                t.start,
                esc(&t.text),
                esc(&t.value)
            );
        }
        b.push_str("</ul></section>");
    }
    page(title, &b)
}

/// The search form's fields, echoed back into the page.
pub struct SearchForm {
    pub q: String,
    pub entity: String,
    pub from: String,
    pub to: String,
    pub source: String,
    pub story: String,
}

pub fn search(f: &SearchForm, hits: Result<Vec<Hit>, String>) -> String {
    let mut b = format!(
        "<h1>Search</h1><form class=\"search\" action=\"/search\">\
<input name=\"q\" value=\"{}\" placeholder=\"Words\"> <input name=\"entity\" value=\"{}\" placeholder=\"Entity\"> \
<input name=\"source\" value=\"{}\" placeholder=\"Source\"> <input name=\"story\" value=\"{}\" placeholder=\"Story id\"> \
<input name=\"from\" type=\"date\" value=\"{}\"> <input name=\"to\" type=\"date\" value=\"{}\"> <button>Search</button></form>",
        esc(&f.q), esc(&f.entity), esc(&f.source), esc(&f.story), esc(&f.from), esc(&f.to)
    );
    match hits {
        Err(e) => {
            let _ = write!(b, "<p class=\"error\">{}</p>", esc(&e));
        }
        Ok(hits) => {
            b.push_str("<ol class=\"hits\">");
            for h in &hits {
                let title = h
                    .doc
                    .title
                    .as_deref()
                    .filter(|t| !t.is_empty())
                    .unwrap_or(&h.doc.id);
                let stories: Vec<String> = h
                    .stories
                    .iter()
                    .map(|s| format!("<a href=\"/stories/{}\">{}</a>", pct(&s.id), esc(&s.title)))
                    .collect();
                let _ = write!(
                    b,
                    "<li><a href=\"/documents/{}\">{}</a> <span class=\"meta\">{} {} {}</span><p class=\"snippet\">{}</p></li>",
                    pct(&h.doc.id),
                    esc(title),
                    esc(h.doc.source.as_deref().unwrap_or("")),
                    h.doc.published.map(|d| d.to_string()).unwrap_or_default(),
                    stories.join(", "),
                    h.snippet_html
                );
            }
            b.push_str("</ol>");
            if hits.is_empty() && !f.q.is_empty() {
                b.push_str("<p class=\"empty\">No articles found.</p>");
            }
        }
    }
    page("Search", &b)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn percent_encodes_path_segments() {
        assert_eq!(pct("a b/c#d"), "a%20b%2Fc%23d");
        assert_eq!(pct("ok-1_2.3~"), "ok-1_2.3~");
    }

    #[test]
    fn excerpt_cuts_long_text_and_escapes() {
        assert_eq!(excerpt("<b>"), "&lt;b&gt;");
        assert!(excerpt(&"x".repeat(1000)).ends_with('…'));
    }
}
