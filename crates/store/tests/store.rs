//! The store end to end with the fixture analyzer: idempotent ingest, reopen, search with
//! filters, views, and the search index reconciled after a crash between commits.

use lagebild_core::{Document, Metadata, Origin};
use lagebild_store::{fixture, Query, Store};
use std::path::Path;

fn article(id: &str, source: &str, published: &str, text: &str) -> Document {
    Document::new(
        Metadata {
            id: id.into(),
            source: Some(source.into()),
            title: Some(format!("Titel {id}")),
            published: Some(published.parse().unwrap()),
            ..Metadata::default()
        },
        Origin {
            path: format!("{id}.txt"),
            record: None,
        },
        text.into(),
    )
}

fn corpus() -> Vec<Document> {
    vec![
        article(
            "a1",
            "Agentur",
            "2023-09-13",
            "Kim traf Putin am 22. September in Moskau. „Wir sind Freunde“, sagte Putin.",
        ),
        article(
            "a2",
            "Zeitung",
            "2023-09-14",
            "Der Verteidigungsminister Schoigu reiste nach Pjöngjang. Er traf Kim.",
        ),
        article(
            "a3",
            "Zeitung",
            "2024-10-01",
            "Peskow wies Berichte über Truppen zurück. „Das ist absurd“, erklärte Peskow.",
        ),
    ]
}

fn open(dir: &Path) -> Store {
    Store::open_with(dir, fixture::analyzer).unwrap()
}

#[test]
fn ingest_is_idempotent_and_survives_reopen() {
    let dir = tempdir("idem");
    let store = open(&dir);
    let s = store.ingest(corpus()).unwrap();
    assert_eq!((s.added, s.duplicates, s.documents), (3, 0, 3));
    let s = store.ingest(corpus()).unwrap();
    assert_eq!((s.added, s.duplicates, s.documents), (0, 3, 3));
    drop(store);

    let store = open(&dir);
    let mut again = corpus();
    again[0] = article("other-id", "X", "2023-01-01", again[0].text());
    let conflicting = article("a2", "Zeitung", "2023-09-14", "Ganz anderer Text.");
    again.push(conflicting);
    let s = store.ingest(again).unwrap();
    assert_eq!(
        (s.added, s.duplicates, s.conflicts.len()),
        (0, 3, 1),
        "{s:?}"
    );
    assert_eq!(store.check().unwrap(), (3, 3));
    assert!(!store.is_stale().unwrap());
    // Stored annotations come back exactly as the document stages made them.
    let a = store.analyzed("a1").unwrap().unwrap();
    lagebild_core::evidence::assert_evidence(&a.doc, &a.ann);
    assert!(!a.ann.tokens.is_empty() && !a.ann.quotes.is_empty());
}

#[test]
fn later_ingests_extend_the_corpus_results() {
    let dir = tempdir("grow");
    let mut docs = corpus();
    let last = docs.pop().unwrap();
    open(&dir).ingest(docs).unwrap();
    // A new process: corpus stages are rebuilt from the stored annotations, then extended.
    let store = open(&dir);
    store.ingest([last]).unwrap();
    let story = store.story("s1").unwrap().unwrap();
    assert_eq!(story.documents.len(), 3);
    let peskow = store.entities("Pes", 10).unwrap();
    assert_eq!(peskow.len(), 1);
    let view = store.entity(&peskow[0].id).unwrap().unwrap();
    assert_eq!(view.quotes_total, 1);
    assert_eq!(view.stories[0].id, "s1");
}

#[test]
fn views_carry_timeline_quotes_actors_and_evidence() {
    let dir = tempdir("views");
    let store = open(&dir);
    store.ingest(corpus()).unwrap();
    let stories = store.stories().unwrap();
    assert_eq!(stories.len(), 1);
    assert_eq!(stories[0].documents, 3);
    assert_eq!(stories[0].first.unwrap().to_string(), "2023-09-13");
    let story = store.story(&stories[0].id).unwrap().unwrap();
    assert_eq!(story.timeline.len(), 2);
    assert_eq!(story.timeline[0].date.as_deref(), Some("XXXX-09-22"));
    assert!(story.timeline[0].actors.iter().any(|a| a.name == "Putin"));
    let quote = story
        .quotes
        .iter()
        .find(|q| q.text.contains("Freunde"))
        .unwrap();
    assert_eq!(quote.speaker.as_ref().unwrap().name, "Putin");
    assert_eq!(story.actors[0].name, "Kim");
    assert_eq!(story.sources.len(), 2);

    let doc = store.document("a1").unwrap().unwrap();
    let chars: Vec<char> = doc.text.chars().collect();
    for m in &doc.mentions {
        assert_eq!(chars[m.start..m.end].iter().collect::<String>(), m.text);
        assert!(m.entity.is_some());
    }
    assert_eq!(doc.stories[0].id, "s1");
    assert!(store.document("nope").unwrap().is_none());
}

#[test]
fn search_stems_splits_compounds_and_filters() {
    let dir = tempdir("search");
    let store = open(&dir);
    store.ingest(corpus()).unwrap();
    let ids = |q: Query| -> Vec<String> {
        store
            .search(&q)
            .unwrap()
            .into_iter()
            .map(|h| h.doc.id)
            .collect()
    };
    let text = |t: &str| Query {
        text: t.into(),
        ..Query::default()
    };
    // Compound part and inflection.
    assert_eq!(ids(text("Minister")), ["a2"]);
    assert_eq!(ids(text("Bericht")), ["a3"]);
    let hit = &store.search(&text("Minister")).unwrap()[0];
    assert!(
        hit.snippet_html.contains("<b>Verteidigungsminister</b>"),
        "{}",
        hit.snippet_html
    );
    assert_eq!(hit.stories[0].id, "s1");
    // Filters.
    let mut q = text("traf");
    assert_eq!(ids(q.clone()).len(), 2);
    q.source = Some("zeitung".into());
    assert_eq!(ids(q.clone()), ["a2"]);
    let mut q = text("traf");
    q.entity = Some("putin".into());
    assert_eq!(ids(q), ["a1"]);
    let q = Query {
        from: Some("2024-01-01".parse().unwrap()),
        ..Query::default()
    };
    assert_eq!(ids(q), ["a3"]);
    let q = Query {
        story: Some("s1".into()),
        to: Some("2023-09-13".parse().unwrap()),
        ..Query::default()
    };
    assert_eq!(ids(q), ["a1"]);
    let q = Query {
        story: Some("s404".into()),
        ..Query::default()
    };
    assert!(ids(q).is_empty());
    // Query syntax errors are forgiven, not fatal.
    assert!(store.search(&text("\"Kim AND (")).is_ok());
}

#[test]
fn reconciles_an_index_that_missed_a_commit() {
    let dir = tempdir("reconcile");
    let mut docs = corpus();
    let last = docs.pop().unwrap();
    open(&dir).ingest(docs).unwrap();
    let snapshot = dir.join("index-snapshot");
    copy_dir(&dir.join("index"), &snapshot);
    open(&dir).ingest([last]).unwrap();
    // As if the process died after the SQLite commit, before the index commit.
    std::fs::remove_dir_all(dir.join("index")).unwrap();
    std::fs::rename(&snapshot, dir.join("index")).unwrap();
    let store = open(&dir);
    assert_eq!(store.check().unwrap(), (3, 3));
    let q = Query {
        text: "absurd".into(),
        ..Query::default()
    };
    assert_eq!(store.search(&q).unwrap()[0].doc.id, "a3");
}

/// With `LAGEBILD_CRASH_CHILD` set, this test is the child the crash test kills.
#[test]
fn crash_child() {
    let Ok(dir) = std::env::var("LAGEBILD_CRASH_CHILD") else {
        return;
    };
    let store = open(Path::new(&dir));
    store.ingest(many(2000)).unwrap();
}

fn many(n: usize) -> impl Iterator<Item = Document> {
    (0..n).map(|i| {
        article(
            &format!("m{i}"),
            "Agentur",
            "2023-09-13",
            &format!(
                "Meldung {i}: Kim traf Putin. „Satz {i}“, sagte Peskow. {}",
                "Weitere Worte. ".repeat(40)
            ),
        )
    })
}

#[test]
fn sigkill_during_ingest_leaves_a_consistent_store() {
    let dir = tempdir("crash");
    let mut child = std::process::Command::new(std::env::current_exe().unwrap())
        .args(["--exact", "crash_child", "--nocapture", "--test-threads=1"])
        .env("LAGEBILD_CRASH_CHILD", &dir)
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::null())
        .spawn()
        .unwrap();
    // Kill once a few batches are in, while more are being written.
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(60);
    loop {
        std::thread::sleep(std::time::Duration::from_millis(20));
        let stored: i64 = rusqlite::Connection::open(dir.join("lagebild.sqlite"))
            .and_then(|c| c.query_row("SELECT count(*) FROM documents", [], |r| r.get(0)))
            .unwrap_or(0);
        if stored >= 128 || std::time::Instant::now() > deadline {
            break;
        }
        if child.try_wait().unwrap().is_some() {
            break;
        }
    }
    child.kill().unwrap(); // SIGKILL
    child.wait().unwrap();

    let store = open(&dir);
    let (n, indexed) = store.check().unwrap();
    assert_eq!(n, indexed);
    assert!(
        n < 2000,
        "the child finished before it was killed; nothing was tested"
    );
    // Every stored article is whole: text and annotations decode and match.
    for id in store.document_ids().unwrap() {
        let a = store.analyzed(&id).unwrap().unwrap();
        lagebild_core::evidence::assert_evidence(&a.doc, &a.ann);
    }
    // The re-run completes the batch without duplicates.
    let s = store.ingest(many(2000)).unwrap();
    assert_eq!(s.added + s.duplicates, 2000);
    assert_eq!(s.duplicates, n);
    assert_eq!(store.check().unwrap(), (2000, 2000));
    assert!(!store.is_stale().unwrap());
    assert_eq!(store.story("s1").unwrap().unwrap().documents.len(), 2000);
}

fn tempdir(name: &str) -> std::path::PathBuf {
    let dir =
        std::env::temp_dir().join(format!("lagebild-store-test-{name}-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

fn copy_dir(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).unwrap();
    for e in std::fs::read_dir(from).unwrap() {
        let e = e.unwrap();
        if e.file_type().unwrap().is_file() {
            std::fs::copy(e.path(), to.join(e.file_name())).unwrap();
        }
    }
}
