//! HTTP for URLs the user named: a bounded GET (timeout, size limit, at most 5 redirects).
//! A feed URL yields its items; a page yields one document. Nothing else is fetched unless
//! [`crate::IngestOptions::fetch_articles`] asks for the pages behind feed items.

use crate::source::{sniff, Kind};
use crate::{decode, feed, Context, Ingested};
use lagebild_core::{InputError, Metadata, Origin};
use std::sync::Arc;

type Items = Box<dyn Iterator<Item = Ingested> + Send>;

const MAX_REDIRECTS: u32 = 5;

/// Body and content type of a successful GET, or a reason naming the HTTP status or failure.
fn get(url: &str, ctx: &Context) -> Result<(Vec<u8>, Option<String>), String> {
    let agent: ureq::Agent = ureq::Agent::config_builder()
        .timeout_global(Some(ctx.opts.timeout))
        .max_redirects(MAX_REDIRECTS)
        .http_status_as_error(false)
        .user_agent("lagebild (news analysis; explicit user request)")
        .build()
        .into();
    let mut resp = agent
        .get(url)
        .call()
        .map_err(|e| format!("request failed: {e}"))?;
    let status = resp.status();
    if !status.is_success() {
        return Err(format!("HTTP error {status}"));
    }
    let content_type = resp
        .headers()
        .get("content-type")
        .and_then(|v| v.to_str().ok())
        .map(str::to_ascii_lowercase);
    let body = resp
        .body_mut()
        .with_config()
        .limit(ctx.opts.max_record_bytes as u64)
        .read_to_vec()
        .map_err(|e| format!("cannot read response: {e}"))?;
    Ok((body, content_type))
}

fn charset(content_type: Option<&str>) -> Option<String> {
    content_type
        .and_then(|ct| ct.split_once("charset="))
        .map(|(_, c)| c.trim_matches(['"', '\'', ' ', ';']).to_string())
}

/// Items of a URL given on the command line.
pub fn url(url: &str, ctx: Arc<Context>) -> Items {
    let origin = Origin {
        path: url.to_string(),
        record: None,
    };
    let (body, content_type) = match get(url, &ctx) {
        Ok(x) => x,
        Err(e) => return Box::new(std::iter::once(Ingested::Error(InputError::new(origin, e)))),
    };
    let kind = match content_type.as_deref() {
        Some(ct) if ct.contains("rss") || ct.contains("atom") || ct.contains("feed+json") => {
            Kind::Feed
        }
        _ => sniff(&body[..body.len().min(4096)]),
    };
    let stem = url
        .trim_end_matches('/')
        .rsplit('/')
        .next()
        .unwrap_or("url")
        .to_string();
    match kind {
        Kind::Feed => feed::read(&body, url.to_string(), stem, ctx),
        _ => {
            let meta = Metadata {
                id: stem,
                url: Some(url.to_string()),
                ..Metadata::default()
            };
            Box::new(page(&body, content_type.as_deref(), meta, origin, &ctx).into_iter())
        }
    }
}

/// The article page behind a feed item (only with `fetch_articles`).
pub fn article(url: &str, meta: Metadata, origin: Origin, ctx: &Context) -> Vec<Ingested> {
    match get(url, ctx) {
        Ok((body, ct)) => page(&body, ct.as_deref(), meta, origin, ctx),
        Err(e) => vec![Ingested::Error(InputError::new(
            origin,
            format!("{url}: {e}"),
        ))],
    }
}

fn page(
    body: &[u8],
    content_type: Option<&str>,
    meta: Metadata,
    origin: Origin,
    ctx: &Context,
) -> Vec<Ingested> {
    let d = decode::decode_html(body, charset(content_type).as_deref());
    let url = meta.url.clone();
    let mut out: Vec<Ingested> = d
        .warning
        .map(|w| Ingested::Warning(InputError::new(origin.clone(), w)))
        .into_iter()
        .collect();
    out.push(ctx.html_document(meta, origin, &d.text, url.as_deref()));
    out
}
