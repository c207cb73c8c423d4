//! The HTTP API and UI over a store filled by the fixture analyzer: JSON endpoints, token
//! guarded ingest, limits, and article text always escaped in HTML.

use lagebild_core::{Document, Metadata, Origin};
use lagebild_store::{fixture, Store};
use std::io::{Read, Write};
use std::sync::Arc;
use std::time::Duration;

const TOKEN: &str = "s3cret";

struct Server {
    addr: String,
    _runtime: tokio::runtime::Runtime,
}

fn start(name: &str, token: Option<&str>) -> (Server, Arc<Store>) {
    let dir = std::env::temp_dir().join(format!(
        "lagebild-server-test-{name}-{}",
        std::process::id()
    ));
    let _ = std::fs::remove_dir_all(&dir);
    let store = Arc::new(Store::open_with(&dir, fixture::analyzer).unwrap());
    let doc = |id: &str, published: &str, text: &str| {
        Document::new(
            Metadata {
                id: id.into(),
                title: Some(format!("Titel <{id}>")),
                source: Some("Agentur".into()),
                published: Some(published.parse().unwrap()),
                ..Metadata::default()
            },
            Origin::default(),
            text.into(),
        )
    };
    store
        .ingest([
            doc("a1", "2023-09-13", "Kim traf Putin am 22. September in Moskau. „Wir sind Freunde“, sagte Putin."),
            doc("a 2/x", "2023-09-14", "Der Verteidigungsminister Schoigu traf Kim. <script>alert(1)</script> & „Gut“, sagte Schoigu."),
        ])
        .unwrap();
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .unwrap();
    let listener = runtime
        .block_on(tokio::net::TcpListener::bind("127.0.0.1:0"))
        .unwrap();
    let addr = listener.local_addr().unwrap().to_string();
    let app = lagebild_server::router(store.clone(), token.map(String::from));
    runtime.spawn(async move { axum::serve(listener, app).await });
    (
        Server {
            addr,
            _runtime: runtime,
        },
        store,
    )
}

impl Server {
    fn request(&self, method: &str, path: &str, headers: &str, body: &[u8]) -> (u16, String) {
        let mut s = std::net::TcpStream::connect(&self.addr).unwrap();
        s.set_read_timeout(Some(Duration::from_secs(30))).unwrap();
        let head = format!(
            "{method} {path} HTTP/1.0\r\nHost: t\r\nContent-Length: {}\r\n{headers}\r\n",
            body.len()
        );
        s.write_all(head.as_bytes()).unwrap();
        let _ = s.write_all(body);
        let mut raw = Vec::new();
        let _ = s.read_to_end(&mut raw);
        let raw = String::from_utf8_lossy(&raw).into_owned();
        let (head, body) = raw.split_once("\r\n\r\n").unwrap_or((&raw, ""));
        let status = head
            .split(' ')
            .nth(1)
            .and_then(|c| c.parse().ok())
            .unwrap_or(0);
        (status, body.to_string())
    }

    fn get(&self, path: &str) -> (u16, String) {
        self.request("GET", path, "", b"")
    }

    fn json(&self, path: &str) -> serde_json::Value {
        let (status, body) = self.get(path);
        assert_eq!(status, 200, "{path}: {body}");
        serde_json::from_str(&body).unwrap()
    }
}

#[test]
fn json_api_serves_stories_entities_documents_and_search() {
    let (s, _store) = start("api", None);
    let stories = s.json("/api/stories");
    assert_eq!(stories[0]["id"], "s1");
    let story = s.json("/api/stories/s1");
    assert_eq!(story["timeline"].as_array().unwrap().len(), 2);
    assert_eq!(story["quotes"][0]["speaker"]["name"], "Putin");
    assert!(story["actors"]
        .as_array()
        .unwrap()
        .iter()
        .any(|a| a["name"] == "Kim"));
    assert_eq!(s.get("/api/stories/s9").0, 404);

    let entities = s.json("/api/entities?q=Pu");
    let id = entities[0]["id"].as_str().unwrap().to_string();
    let putin = s.json(&format!("/api/entities/{id}"));
    assert_eq!(putin["quotes"].as_array().unwrap().len(), 1);
    assert!(putin["cooccurring"]
        .as_array()
        .unwrap()
        .iter()
        .any(|c| c["name"] == "Kim"));

    let doc = s.json("/api/documents/a%202%2Fx");
    assert!(doc["text"].as_str().unwrap().contains("<script>"));
    assert_eq!(doc["stories"][0]["id"], "s1");
    assert!(!doc["mentions"].as_array().unwrap().is_empty());

    let hits = s.json("/api/search?q=Minister");
    assert_eq!(hits[0]["doc"]["id"], "a 2/x");
    assert!(hits[0]["snippet_html"].as_str().unwrap().contains("<b>"));
    assert_eq!(
        s.json("/api/search?q=traf&entity=Putin")
            .as_array()
            .unwrap()
            .len(),
        1
    );
    assert_eq!(s.get("/api/search?q=x&from=gestern").0, 400);

    let openapi = s.json("/openapi.json");
    assert!(openapi["paths"]["/api/search"].is_object());
}

#[test]
fn html_pages_escape_article_text() {
    let (s, _store) = start("html", None);
    let (status, page) = s.get("/documents/a%202%2Fx");
    assert_eq!(status, 200);
    assert!(
        page.contains("&lt;script&gt;alert(1)&lt;/script&gt; &amp;"),
        "{page}"
    );
    assert!(
        !page.contains("<script"),
        "markup from the article reached the page"
    );
    assert!(page.contains("Titel &lt;a 2/x&gt;"));
    // Annotations highlighted, linked to entities and back to the story.
    assert!(page.contains("class=\"m m-person\""));
    assert!(page.contains("href=\"/stories/s1\""));
    assert!(page.contains("id=\"a-"));

    let (_, story) = s.get("/stories/s1");
    for section in ["timeline", "actors", "quotes", "claims", "sources"] {
        assert!(
            story.contains(&format!("<section id=\"{section}\">")),
            "{section} missing"
        );
    }
    assert!(story.contains("<q>„Wir sind Freunde“</q>"));
    assert!(!story.contains("<script"));
    let (_, index) = s.get("/");
    assert!(index.contains("/stories/s1") && !index.contains("<script"));
    let (_, search) = s.get("/search?q=%3Cscript%3E");
    assert!(search.contains("value=\"&lt;script&gt;\"") && !search.contains("<script"));
    assert_eq!(s.get("/nowhere").0, 404);
    assert_eq!(s.get("/entities/e999").0, 404);
}

#[test]
fn ingest_needs_the_token_and_respects_limits() {
    let (s, store) = start("ingest", Some(TOKEN));
    let body = br#"[{"id":"n1","text":"Peskow traf Kim. \u201eNein\u201c, sagte Peskow.","published":"2024-10-01"}]"#;
    assert_eq!(s.request("POST", "/api/documents", "", body).0, 401);
    assert_eq!(
        s.request(
            "POST",
            "/api/documents",
            "Authorization: Bearer wrong\r\n",
            body
        )
        .0,
        401
    );
    let auth = format!("Authorization: Bearer {TOKEN}\r\n");
    let (status, out) = s.request("POST", "/api/documents", &auth, body);
    assert_eq!(status, 200, "{out}");
    let summary: serde_json::Value = serde_json::from_str(&out).unwrap();
    assert_eq!(
        (summary["added"].as_u64(), summary["documents"].as_u64()),
        (Some(1), Some(3))
    );
    assert_eq!(store.story("s1").unwrap().unwrap().documents.len(), 3);
    // Same article again: idempotent.
    let (_, out) = s.request("POST", "/api/documents", &auth, body);
    assert!(out.contains("\"duplicates\":1"), "{out}");
    assert_eq!(
        s.request("POST", "/api/documents", &auth, b"{not json").0,
        400
    );
    assert_eq!(
        s.request("POST", "/api/documents", &auth, br#"{"text":"  "}"#)
            .0,
        400
    );
    let huge = vec![b'a'; 17 * 1024 * 1024];
    assert_eq!(s.request("POST", "/api/documents", &auth, &huge).0, 413);

    let (open, _) = start("ingest-off", None);
    assert_eq!(open.request("POST", "/api/documents", &auth, body).0, 403);
}

#[test]
fn a_ten_megabyte_single_line_article_is_stored_searched_and_rendered() {
    let (s, store) = start("huge", None);
    let mut text = String::with_capacity(10 * 1024 * 1024 + 64);
    text.push_str("Kim traf Putin <b>heute</b>. ");
    while text.len() < 10 * 1024 * 1024 {
        text.push_str(&"ä".repeat(500));
        text.push(' ');
    }
    let doc = Document::new(
        Metadata {
            id: "huge".into(),
            ..Metadata::default()
        },
        Origin::default(),
        text,
    );
    assert_eq!(store.ingest([doc]).unwrap().added, 1);
    let hits = s.json("/api/search?q=Putin");
    assert!(hits
        .as_array()
        .unwrap()
        .iter()
        .any(|h| h["doc"]["id"] == "huge"));
    let (status, page) = s.get("/documents/huge");
    assert_eq!(status, 200);
    assert!(page.contains("&lt;b&gt;heute&lt;/b&gt;") && page.len() > 10 * 1024 * 1024);
}
