//! RSS 0.x/1.0/2.0, Atom and JSON Feed (feed-rs): one document per item, text from the item's
//! content or summary. Article pages behind the items are fetched only with
//! [`crate::IngestOptions::fetch_articles`].

use crate::{extract, fetch, Context, Ingested};
use lagebild_core::{InputError, Metadata, Origin};
use std::sync::Arc;

type Items = Box<dyn Iterator<Item = Ingested> + Send>;

/// Documents of a feed already in memory (feeds are small; their size is bounded by the
/// record limit before this is called).
pub fn read(bytes: &[u8], path: String, stem: String, ctx: Arc<Context>) -> Items {
    let feed = match feed_rs::parser::parse(bytes) {
        Ok(f) => f,
        Err(e) => {
            return Box::new(std::iter::once(Ingested::Error(InputError::new(
                Origin { path, record: None },
                format!("not a readable RSS/Atom/JSON feed: {e}"),
            ))))
        }
    };
    let source = feed
        .title
        .as_ref()
        .map(|t| t.content.trim().to_string())
        .filter(|s| !s.is_empty());
    let entries = feed.entries;
    Box::new(entries.into_iter().enumerate().flat_map(move |(i, entry)| {
        let origin = Origin {
            path: path.clone(),
            record: Some(i as u64 + 1),
        };
        let url = entry.links.first().map(|l| l.href.clone());
        let published = entry
            .published
            .and_then(|d| crate::dates::parse_date(&d.format("%Y-%m-%d").to_string()));
        let meta = Metadata {
            id: format!("{stem}-{}", i + 1),
            source: source.clone(),
            url: url.clone(),
            title: entry.title.as_ref().map(|t| fragment_or_text(&t.content)),
            published,
            language: None,
        };
        if ctx.opts.fetch_articles {
            if let Some(u) = &url {
                return fetch::article(u, meta, origin, &ctx);
            }
        }
        let body = entry
            .content
            .as_ref()
            .and_then(|c| c.body.clone())
            .or_else(|| entry.summary.as_ref().map(|s| s.content.clone()))
            .unwrap_or_default();
        vec![ctx.document(meta, origin, fragment_or_text(&body), None)]
    }))
}

/// Item bodies are HTML fragments or plain text; either way, plain text with line breaks.
fn fragment_or_text(s: &str) -> String {
    if s.contains('<') || s.contains('&') {
        extract::fragment_text(s)
    } else {
        s.trim().to_string()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::IngestOptions;

    fn ctx() -> Arc<Context> {
        Arc::new(Context {
            opts: IngestOptions::default(),
            sidecar: Default::default(),
        })
    }

    #[test]
    fn rss_items_become_documents() {
        let rss = br#"<?xml version="1.0"?><rss version="2.0"><channel><title>Nachrichten</title>
            <item><title>Erste Meldung</title><link>https://x.de/a</link>
            <pubDate>Fri, 22 Sep 2023 10:00:00 +0200</pubDate>
            <description>&lt;p&gt;Die Regierung hat heute beschlossen, dass alles besser wird.&lt;/p&gt;&lt;p&gt;Zweiter Absatz.&lt;/p&gt;</description></item>
            <item><title>Leer</title></item>
            </channel></rss>"#;
        let items: Vec<Ingested> = read(rss, "f.rss".into(), "f".into(), ctx()).collect();
        let Ingested::Document(d) = &items[0] else {
            panic!("{items:?}")
        };
        assert_eq!(d.meta.title.as_deref(), Some("Erste Meldung"));
        assert_eq!(d.meta.url.as_deref(), Some("https://x.de/a"));
        assert_eq!(d.meta.source.as_deref(), Some("Nachrichten"));
        assert_eq!(
            d.meta.published.map(|p| p.to_string()).as_deref(),
            Some("2023-09-22")
        );
        assert_eq!(
            d.text(),
            "Die Regierung hat heute beschlossen, dass alles besser wird.\nZweiter Absatz."
        );
        assert!(matches!(&items[1], Ingested::Error(e) if e.origin.record == Some(2)));
    }

    #[test]
    fn garbage_is_one_error() {
        for bytes in [
            &b"<rss><channel><item>"[..],
            b"\x00\x01garbage",
            b"{\"version\":",
        ] {
            let items: Vec<Ingested> = read(bytes, "g.xml".into(), "g".into(), ctx()).collect();
            assert!(
                items.iter().all(|i| matches!(i, Ingested::Error(_))),
                "{items:?}"
            );
        }
    }
}
