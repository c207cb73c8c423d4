//! HTTP API and web UI over a lagebild store: JSON endpoints for stories, entities, articles
//! and search, token-guarded ingest, an OpenAPI description, and server-rendered HTML pages
//! with every asset embedded in the binary.

mod bench;
mod ui;

pub use bench::tasks;

use anyhow::{Context, Result};
use axum::extract::{DefaultBodyLimit, Path as UrlPath, Query as UrlQuery, State};
use axum::http::{header, HeaderMap, StatusCode};
use axum::response::{Html, IntoResponse, Response};
use axum::routing::get;
use axum::{Json, Router};
use lagebild_core::{Document, Metadata, Origin};
use lagebild_store::{content_hash, Query, Store};
use serde::Deserialize;
use std::net::SocketAddr;
use std::path::Path;
use std::sync::Arc;
use std::time::Duration;
use tower_http::timeout::TimeoutLayer;

/// Largest request body (a batch of articles for `POST /api/documents`).
const MAX_BODY: usize = 16 * 1024 * 1024;
/// Requests taking longer are answered with 408; ingest of a large batch is the slow case.
const REQUEST_TIMEOUT: Duration = Duration::from_secs(120);
const OPENAPI: &str = include_str!("../assets/openapi.json");
const STYLE: &str = include_str!("../assets/style.css");

#[derive(Clone)]
struct AppState {
    store: Arc<Store>,
    token: Option<Arc<str>>,
}

/// Opens the store with the standard analysis, brings stale corpus results up to date, and serves the API and UI on
/// `addr` until ctrl-c or SIGTERM. Prints `listening on http://ADDR` (the bound address,
/// useful with port 0) to stderr once ready. Without a token, ingest over HTTP is disabled.
pub fn serve(store_dir: &Path, addr: SocketAddr, token: Option<String>) -> Result<()> {
    serve_with(store_dir, addr, token, lagebild_store::standard_analyzer)
}

/// [`serve`] with another analysis for ingest (tests, custom pipelines).
pub fn serve_with(
    store_dir: &Path,
    addr: SocketAddr,
    token: Option<String>,
    make: fn() -> Box<dyn lagebild_store::Analyzer>,
) -> Result<()> {
    let store = Arc::new(Store::open_with(store_dir, make)?);
    if store.is_stale()? {
        eprintln!("bringing corpus results up to date…");
        store.refresh()?;
    }
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .context("starting the async runtime")?;
    runtime.block_on(async move {
        let listener = tokio::net::TcpListener::bind(addr)
            .await
            .with_context(|| format!("binding {addr}"))?;
        eprintln!("listening on http://{}", listener.local_addr()?);
        axum::serve(listener, router(store, token))
            .with_graceful_shutdown(shutdown_signal())
            .await
            .context("serving")
    })
}

/// Resolves on ctrl-c or SIGTERM, so in-flight requests finish before exit.
async fn shutdown_signal() {
    let ctrl_c = async {
        let _ = tokio::signal::ctrl_c().await;
    };
    #[cfg(unix)]
    let term = async {
        match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
            Ok(mut s) => {
                s.recv().await;
            }
            Err(_) => std::future::pending::<()>().await,
        }
    };
    #[cfg(not(unix))]
    let term = std::future::pending::<()>();
    tokio::select! {
        _ = ctrl_c => {},
        _ = term => {},
    }
}

/// The API and UI routes over a store.
pub fn router(store: Arc<Store>, token: Option<String>) -> Router {
    let state = AppState {
        store,
        token: token.filter(|t| !t.is_empty()).map(Arc::from),
    };
    Router::new()
        .route("/api/stories", get(api_stories))
        .route("/api/stories/{id}", get(api_story))
        .route("/api/entities", get(api_entities))
        .route("/api/entities/{id}", get(api_entity))
        .route("/api/documents", get(api_documents).post(api_ingest))
        .route("/api/documents/{id}", get(api_document))
        .route("/api/search", get(api_search))
        .route(
            "/openapi.json",
            get(|| async { ([(header::CONTENT_TYPE, "application/json")], OPENAPI) }),
        )
        .route(
            "/assets/style.css",
            get(|| async { ([(header::CONTENT_TYPE, "text/css; charset=utf-8")], STYLE) }),
        )
        .route("/", get(page_index))
        .route("/stories/{id}", get(page_story))
        .route("/entities", get(page_entities))
        .route("/entities/{id}", get(page_entity))
        .route("/documents/{id}", get(page_document))
        .route("/search", get(page_search))
        .fallback(|| async { error(StatusCode::NOT_FOUND, "no such page".into()) })
        .layer(DefaultBodyLimit::max(MAX_BODY))
        .layer(TimeoutLayer::with_status_code(
            StatusCode::REQUEST_TIMEOUT,
            REQUEST_TIMEOUT,
        ))
        .with_state(state)
}

fn error(status: StatusCode, message: String) -> Response {
    (status, Json(serde_json::json!({ "error": message }))).into_response()
}

/// Runs blocking store work off the async threads; errors become 500 with the message.
async fn blocking<T: Send + 'static>(
    f: impl FnOnce() -> Result<T> + Send + 'static,
) -> Result<T, Response> {
    match tokio::task::spawn_blocking(f).await {
        Ok(Ok(v)) => Ok(v),
        Ok(Err(e)) => Err(error(StatusCode::INTERNAL_SERVER_ERROR, format!("{e:#}"))),
        Err(e) => Err(error(StatusCode::INTERNAL_SERVER_ERROR, e.to_string())),
    }
}

fn json_or_404<T: serde::Serialize>(what: &str, v: Option<T>) -> Response {
    match v {
        Some(v) => Json(v).into_response(),
        None => error(StatusCode::NOT_FOUND, format!("no such {what}")),
    }
}

async fn api_stories(State(s): State<AppState>) -> Response {
    match blocking(move || s.store.stories()).await {
        Ok(v) => Json(v).into_response(),
        Err(r) => r,
    }
}

async fn api_story(State(s): State<AppState>, UrlPath(id): UrlPath<String>) -> Response {
    match blocking(move || s.store.story_json(&id)).await {
        Ok(Some(json)) => ([(header::CONTENT_TYPE, "application/json")], json).into_response(),
        Ok(None) => error(StatusCode::NOT_FOUND, "no such story".into()),
        Err(r) => r,
    }
}

#[derive(Deserialize, Default)]
struct ListParams {
    q: Option<String>,
    limit: Option<usize>,
}

async fn api_entities(State(s): State<AppState>, UrlQuery(p): UrlQuery<ListParams>) -> Response {
    let limit = p.limit.unwrap_or(100).min(1000);
    match blocking(move || s.store.entities(p.q.as_deref().unwrap_or(""), limit)).await {
        Ok(v) => Json(v).into_response(),
        Err(r) => r,
    }
}

async fn api_entity(State(s): State<AppState>, UrlPath(id): UrlPath<String>) -> Response {
    match blocking(move || s.store.entity(&id)).await {
        Ok(v) => json_or_404("entity", v),
        Err(r) => r,
    }
}

async fn api_documents(State(s): State<AppState>, UrlQuery(p): UrlQuery<ListParams>) -> Response {
    let limit = p.limit.unwrap_or(100).min(1000);
    match blocking(move || s.store.recent(limit)).await {
        Ok(v) => Json(v).into_response(),
        Err(r) => r,
    }
}

async fn api_document(State(s): State<AppState>, UrlPath(id): UrlPath<String>) -> Response {
    match blocking(move || s.store.document(&id)).await {
        Ok(v) => json_or_404("document", v),
        Err(r) => r,
    }
}

/// Query-string form of a search.
#[derive(Deserialize, Default, Clone)]
struct SearchParams {
    q: Option<String>,
    entity: Option<String>,
    from: Option<String>,
    to: Option<String>,
    source: Option<String>,
    story: Option<String>,
    limit: Option<usize>,
    offset: Option<usize>,
}

impl SearchParams {
    fn query(&self) -> Result<Query, String> {
        let date = |v: &Option<String>, what: &str| -> Result<Option<jiff::civil::Date>, String> {
            match v.as_deref().map(str::trim).filter(|v| !v.is_empty()) {
                None => Ok(None),
                Some(d) => d
                    .parse()
                    .map(Some)
                    .map_err(|_| format!("{what}: {d:?} is not a date (YYYY-MM-DD)")),
            }
        };
        Ok(Query {
            text: self.q.clone().unwrap_or_default(),
            entity: self.entity.clone(),
            from: date(&self.from, "from")?,
            to: date(&self.to, "to")?,
            source: self.source.clone(),
            story: self.story.clone(),
            limit: self.limit.unwrap_or(20),
            offset: self.offset.unwrap_or(0),
        })
    }
}

async fn api_search(State(s): State<AppState>, UrlQuery(p): UrlQuery<SearchParams>) -> Response {
    let q = match p.query() {
        Ok(q) => q,
        Err(e) => return error(StatusCode::BAD_REQUEST, e),
    };
    match blocking(move || s.store.search(&q)).await {
        Ok(v) => Json(v).into_response(),
        Err(r) => r,
    }
}

/// An article posted for ingest.
#[derive(Deserialize)]
struct NewDocument {
    id: Option<String>,
    text: String,
    title: Option<String>,
    source: Option<String>,
    url: Option<String>,
    published: Option<jiff::civil::Date>,
    language: Option<String>,
}

#[derive(Deserialize)]
#[serde(untagged)]
enum NewDocuments {
    One(NewDocument),
    Many(Vec<NewDocument>),
}

/// Checks the bearer token; the error is the status and message to answer with.
fn authorised(
    token: &Option<Arc<str>>,
    headers: &HeaderMap,
) -> Result<(), (StatusCode, &'static str)> {
    let Some(token) = token else {
        return Err((
            StatusCode::FORBIDDEN,
            "ingest over HTTP is disabled; start the server with a token",
        ));
    };
    let given = headers
        .get(header::AUTHORIZATION)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.strip_prefix("Bearer "));
    match given {
        Some(g) if constant_time_eq(g.as_bytes(), token.as_bytes()) => Ok(()),
        _ => Err((StatusCode::UNAUTHORIZED, "a valid bearer token is required")),
    }
}

/// Compares without an early exit, so response time does not reveal a token prefix.
fn constant_time_eq(a: &[u8], b: &[u8]) -> bool {
    a.len() == b.len() && a.iter().zip(b).fold(0u8, |acc, (x, y)| acc | (x ^ y)) == 0
}

async fn api_ingest(
    State(s): State<AppState>,
    headers: HeaderMap,
    body: axum::body::Bytes,
) -> Response {
    if let Err((status, message)) = authorised(&s.token, &headers) {
        return error(status, message.into());
    }
    let posted: NewDocuments = match serde_json::from_slice(&body) {
        Ok(d) => d,
        Err(e) => return error(StatusCode::BAD_REQUEST, format!("invalid JSON body: {e}")),
    };
    let posted = match posted {
        NewDocuments::One(d) => vec![d],
        NewDocuments::Many(v) => v,
    };
    let mut docs = Vec::with_capacity(posted.len());
    for (i, d) in posted.into_iter().enumerate() {
        if d.text.trim().is_empty() {
            return error(StatusCode::BAD_REQUEST, format!("document {i}: empty text"));
        }
        let id =
            d.id.filter(|id| !id.trim().is_empty())
                .unwrap_or_else(|| format!("doc-{}", &content_hash(&d.text)[..16]));
        docs.push(Document::new(
            Metadata {
                id: id.clone(),
                source: d.source,
                url: d.url,
                title: d.title,
                published: d.published,
                language: d.language,
            },
            Origin {
                path: "POST /api/documents".into(),
                record: Some(i as u64 + 1),
            },
            d.text,
        ));
    }
    match blocking(move || s.store.ingest(docs)).await {
        Ok(summary) => Json(summary).into_response(),
        Err(r) => r,
    }
}

fn html(r: Result<Option<String>, Response>, what: &str) -> Response {
    match r {
        Ok(Some(body)) => Html(body).into_response(),
        Ok(None) => (StatusCode::NOT_FOUND, Html(ui::not_found(what))).into_response(),
        Err(r) => r,
    }
}

async fn page_index(State(s): State<AppState>) -> Response {
    html(
        blocking(move || Ok(Some(ui::index(&s.store.stories()?, &s.store.recent(30)?)))).await,
        "page",
    )
}

async fn page_story(State(s): State<AppState>, UrlPath(id): UrlPath<String>) -> Response {
    html(
        blocking(move || Ok(s.store.story(&id)?.map(|v| ui::story(&v)))).await,
        "story",
    )
}

async fn page_entities(State(s): State<AppState>, UrlQuery(p): UrlQuery<ListParams>) -> Response {
    let q = p.q.unwrap_or_default();
    html(
        blocking(move || Ok(Some(ui::entities(&q, &s.store.entities(&q, 300)?)))).await,
        "page",
    )
}

async fn page_entity(State(s): State<AppState>, UrlPath(id): UrlPath<String>) -> Response {
    html(
        blocking(move || Ok(s.store.entity(&id)?.map(|v| ui::entity(&v)))).await,
        "entity",
    )
}

async fn page_document(State(s): State<AppState>, UrlPath(id): UrlPath<String>) -> Response {
    html(
        blocking(move || Ok(s.store.document(&id)?.map(|v| ui::document(&v)))).await,
        "article",
    )
}

async fn page_search(State(s): State<AppState>, UrlQuery(p): UrlQuery<SearchParams>) -> Response {
    let form = p.clone();
    html(
        blocking(move || {
            let hits = match p.query() {
                Ok(q)
                    if !q.text.trim().is_empty()
                        || q.entity.is_some()
                        || q.story.is_some()
                        || q.source.is_some() =>
                {
                    Ok(s.store.search(&q)?)
                }
                Ok(_) => Ok(Vec::new()),
                Err(e) => Err(e),
            };
            Ok(Some(ui::search(&form.into(), hits)))
        })
        .await,
        "page",
    )
}

impl From<SearchParams> for ui::SearchForm {
    fn from(p: SearchParams) -> Self {
        ui::SearchForm {
            q: p.q.unwrap_or_default(),
            entity: p.entity.unwrap_or_default(),
            from: p.from.unwrap_or_default(),
            to: p.to.unwrap_or_default(),
            source: p.source.unwrap_or_default(),
            story: p.story.unwrap_or_default(),
        }
    }
}
