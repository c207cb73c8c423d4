//! End-to-end: the `lagebild` binary on the example articles and on bad input.

use lagebild_core::output::Report;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};

fn repo() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../..")
}

fn lagebild(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_lagebild"))
        .args(args)
        .current_dir(repo())
        .output()
        .expect("the binary runs")
}

fn stdout(o: &Output) -> String {
    String::from_utf8(o.stdout.clone()).expect("UTF-8 output")
}

fn examples_report() -> Report {
    let o = lagebild(&["analyze", "examples/seeds", "--format", "json"]);
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    serde_json::from_str(&stdout(&o)).expect("output follows the contract")
}

#[test]
fn json_on_examples_follows_contract_and_evidence_invariant() {
    let report = examples_report();
    assert_eq!(report.schema, "lagebild/1");
    assert_eq!(report.documents.len(), 5);
    let violations = report.violations();
    assert!(violations.is_empty(), "{}", violations.join("\n"));
    let ids: Vec<&str> = report.documents.iter().map(|d| d.id.as_str()).collect();
    let mut sorted = ids.clone();
    sorted.sort();
    assert_eq!(ids, sorted, "documents in deterministic (path) order");
    for d in &report.documents {
        assert!(
            d.published.is_none(),
            "no publication date is ever invented"
        );
    }
    // The examples hold rewrites of one report: passages repeated across articles and a group
    // whose likely original is named.
    assert!(report.near_duplicates.iter().any(|n| n.a.doc != n.b.doc));
    assert!(!report.copies.is_empty());
}

#[test]
fn output_is_deterministic() {
    let a = lagebild(&["analyze", "examples/seeds", "--format", "json"]);
    let b = lagebild(&["analyze", "examples/seeds", "--format", "json"]);
    assert_eq!(a.stdout, b.stdout);
}

#[test]
fn markdown_dossier_has_all_parts_and_no_debris_outside_the_dropped_list() {
    let report = examples_report();
    let o = lagebild(&["analyze", "examples/seeds"]);
    assert!(o.status.success());
    let md = stdout(&o);
    for h in [
        "## Summary",
        "## Timeline",
        "## Actors",
        "## Who said what",
        "## Claims",
        "## Stories and event clusters",
        "## Sources",
        "## Dropped as boilerplate",
    ] {
        assert!(md.contains(h), "dossier lacks {h}");
    }
    let body = &md[..md.find("## Dropped as boilerplate").unwrap()];
    for d in &report.documents {
        let chars: Vec<char> = d.text.chars().collect();
        for b in &d.boilerplate {
            let debris: String = chars[b.start..b.end].iter().collect();
            let debris = debris.trim();
            if debris.chars().count() >= 8 {
                assert!(
                    !body.contains(debris),
                    "debris {debris:?} shown in the dossier"
                );
            }
        }
    }
}

#[test]
fn html_dossier_is_self_contained() {
    let o = lagebild(&["analyze", "examples/seeds", "--format", "html"]);
    assert!(o.status.success());
    let html = stdout(&o);
    assert!(html.starts_with("<!DOCTYPE html>"));
    assert!(!html.contains("<script"), "no scripts");
    assert!(!html.contains("src=\"http"), "no external assets");
    assert!(!html.contains("href=\"http") || html.contains("Sources"));
}

#[test]
fn meta_sidecar_supplies_publication_dates() {
    let dir = tempdir("meta");
    std::fs::write(
        dir.join("a.txt"),
        "Am Montag traf der Minister in Berlin ein.",
    )
    .unwrap();
    let meta = dir.join("meta.jsonl");
    std::fs::write(
        &meta,
        "{\"id\":\"a\",\"published\":\"2023-09-22\",\"source\":\"Agentur\"}\n",
    )
    .unwrap();
    let o = lagebild(&[
        "analyze",
        dir.join("a.txt").to_str().unwrap(),
        "--meta",
        meta.to_str().unwrap(),
        "--format",
        "json",
    ]);
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    let report: Report = serde_json::from_str(&stdout(&o)).unwrap();
    assert_eq!(
        report.documents[0].published.unwrap().to_string(),
        "2023-09-22"
    );
    assert_eq!(report.documents[0].source.as_deref(), Some("Agentur"));
}

#[test]
fn bad_inputs_are_reported_and_the_rest_is_analysed() {
    let dir = tempdir("bad");
    std::fs::write(
        dir.join("good.txt"),
        "Der Kanzler sprach am Montag in Berlin.",
    )
    .unwrap();
    std::fs::write(dir.join("empty.txt"), "").unwrap();
    std::fs::write(
        dir.join("binary.txt"),
        [0u8, 159, 146, 150, 0, 1, 2, 3, 0, 0],
    )
    .unwrap();
    std::fs::write(
        dir.join("latin1.txt"),
        b"Gr\xfc\xdfe aus K\xf6ln, sagte er.",
    )
    .unwrap();
    std::fs::write(dir.join("notes.xyz"), "what is this").unwrap();
    std::fs::write(
        dir.join("broken.jsonl"),
        "{\"id\":\"x\",\"text\":\"Hallo Welt.\"}\n{not json\n",
    )
    .unwrap();
    let o = lagebild(&["analyze", dir.to_str().unwrap(), "--format", "json"]);
    let stderr = String::from_utf8_lossy(&o.stderr);
    assert!(o.status.success(), "some inputs were fine: {stderr}");
    for name in ["empty.txt", "binary.txt", "notes.xyz", "broken.jsonl:2"] {
        assert!(stderr.contains(name), "no error naming {name}: {stderr}");
    }
    assert!(!stderr.contains("panicked"));
    let report: Report = serde_json::from_str(&stdout(&o)).unwrap();
    let ids: Vec<&str> = report.documents.iter().map(|d| d.id.as_str()).collect();
    assert!(ids.contains(&"good") && ids.contains(&"x"), "{ids:?}");
    assert!(report.violations().is_empty());
}

#[test]
fn nothing_analysable_is_a_failure() {
    let dir = tempdir("allbad");
    std::fs::write(dir.join("empty.txt"), "").unwrap();
    let o = lagebild(&["analyze", dir.join("empty.txt").to_str().unwrap()]);
    assert!(!o.status.success());
    let missing = lagebild(&["analyze", "/nonexistent/file.txt"]);
    assert!(!missing.status.success());
    assert!(String::from_utf8_lossy(&missing.stderr).contains("/nonexistent/file.txt"));
}

#[test]
fn check_rejects_a_shifted_span() {
    let mut report = examples_report();
    let Some(e) = report.entities.iter_mut().find(|e| !e.mentions.is_empty()) else {
        return;
    };
    e.mentions[0].start += 1;
    let dir = tempdir("check");
    let path = dir.join("r.json");
    std::fs::write(&path, serde_json::to_string(&report).unwrap()).unwrap();
    let o = lagebild(&["check", path.to_str().unwrap()]);
    assert!(!o.status.success());
}

#[test]
fn check_rejects_a_copy_group_derived_from_itself() {
    let mut report = examples_report();
    let Some(g) = report.copies.first_mut() else {
        return;
    };
    g.derived[0].doc = g.original.clone();
    assert!(!report.violations().is_empty());
}

fn tempdir(name: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("lagebild-e2e-{name}-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

#[test]
fn publication_dates_turn_the_timeline_into_calendar_dates_in_order() {
    let dir = tempdir("dated");
    let meta = dir.join("meta.jsonl");
    let mut lines = String::new();
    for entry in std::fs::read_dir(repo().join("examples/seeds")).unwrap() {
        let path = entry.unwrap().path();
        let id = path.file_stem().unwrap().to_string_lossy().into_owned();
        lines.push_str(&format!(
            "{{\"id\":\"{id}\",\"published\":\"2024-11-04\"}}\n"
        ));
    }
    std::fs::write(&meta, lines).unwrap();
    let o = lagebild(&[
        "analyze",
        "examples/seeds",
        "--meta",
        meta.to_str().unwrap(),
        "--format",
        "json",
    ]);
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    let report: Report = serde_json::from_str(&stdout(&o)).unwrap();
    assert!(report.violations().is_empty());
    let dated: Vec<&str> = report
        .events
        .iter()
        .filter_map(|e| e.date.as_deref())
        .collect();
    assert!(!dated.is_empty(), "events carry dates");
    assert!(
        dated.iter().all(|d| !d.starts_with("XXXX")),
        "with a publication date no year stays unknown: {dated:?}"
    );
    let md = stdout(&lagebild(&[
        "analyze",
        "examples/seeds",
        "--meta",
        meta.to_str().unwrap(),
    ]));
    let start = md.find("## Timeline").unwrap();
    let end = md[start..]
        .find("### Commentary")
        .map(|i| start + i)
        .unwrap_or(md.find("## Actors").unwrap());
    let timeline = &md[start..end];
    let dates: Vec<&str> = timeline
        .lines()
        .filter_map(|l| l.strip_prefix("| "))
        .map(|l| &l[..l.find(' ').unwrap_or(0)])
        .filter(|d| d.len() >= 4 && d[..4].chars().all(|c| c.is_ascii_digit()))
        .collect();
    let keys: Vec<_> = dates
        .iter()
        .map(|d| lagebild_render::dossier::date_key(Some(d)))
        .collect();
    assert!(
        keys.windows(2).all(|w| w[0] <= w[1]),
        "timeline in calendar order: {dates:?}"
    );
}
