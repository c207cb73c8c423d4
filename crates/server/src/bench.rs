//! Load benchmark `serve`: a store of 100k real German articles (10kGNAD replicated with
//! edits), served on loopback and hammered with `wrk` on the story and search endpoints.

use anyhow::{bail, Context, Result};
use lagebild_core::eval::{EvalOptions, EvalReport, Task, TaskKind};
use lagebild_core::{Document, Metadata, Origin};
use lagebild_store::Store;
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::Instant;

/// Articles in the benchmark store unless `--limit` says otherwise.
const ARTICLES: usize = 100_000;
/// Seconds of load per endpoint.
const SECONDS: u32 = 20;
/// wrk connections: few, so the load is a realistic number of concurrent clients.
const CONNECTIONS: u32 = 8;
/// Search terms, common in the news corpus.
const TERMS: &[&str] = &[
    "Regierung",
    "Wien",
    "Polizei",
    "Bundeskanzler",
    "Wahl",
    "Fußball",
    "Euro",
    "Minister",
    "Flüchtlinge",
    "Unternehmen",
    "Gericht",
    "Präsident",
];

/// Benchmark tasks of this crate.
pub fn tasks() -> Vec<Task> {
    vec![Task {
        name: "serve",
        kind: TaskKind::Bench,
        about: "HTTP latency and throughput of the story and search endpoints over a store of 100k \
                articles (10kGNAD replicated with edits), wrk on loopback; --limit sets the article count",
        default_data: "10kgnad/articles.csv",
        run,
    }]
}

/// Copy `r` of an article: one sentence dropped, an update line added, so copies are near
/// duplicates with distinct content hashes.
fn edited(text: &str, r: usize) -> String {
    if r == 0 {
        return text.to_string();
    }
    let sentences: Vec<&str> = text.split_inclusive(". ").collect();
    let drop = r % sentences.len().max(1);
    let mut out: String = sentences
        .iter()
        .enumerate()
        .filter(|(i, _)| *i != drop || sentences.len() < 3)
        .map(|(_, s)| *s)
        .collect();
    out.push_str(&format!(" (Aktualisierte Fassung {r}.)"));
    out
}

fn articles(csv: &Path, n: usize) -> Result<Vec<Document>> {
    let rows = lagebild_core::eval::read_10kgnad(csv, None)?;
    if rows.is_empty() {
        bail!("no articles in {}", csv.display());
    }
    let epoch = jiff::civil::Date::constant(2015, 1, 1);
    Ok((0..n)
        .map(|k| {
            let (i, r) = (k % rows.len(), k / rows.len());
            let lagebild_core::eval::LabelledText { label, text } = &rows[i];
            let text = edited(text, r);
            let title: String = text.chars().take(80).collect();
            Document::new(
                Metadata {
                    id: format!("gnad{i}-{r}"),
                    source: Some(format!("{label} {}", (i + r) % 7)),
                    url: None,
                    title: Some(title),
                    published: epoch
                        .checked_add(jiff::Span::new().days(((i * 7 + r) % 900) as i64))
                        .ok(),
                    language: Some("de".into()),
                },
                Origin {
                    path: csv.display().to_string(),
                    record: Some(i as u64 + 1),
                },
                text,
            )
        })
        .collect())
}

struct Load {
    rps: f64,
    p50_ms: f64,
    p99_ms: f64,
    errors: u64,
}

fn ms(v: &str) -> Option<f64> {
    let (num, unit) = v.split_at(v.find(|c: char| c.is_ascii_alphabetic())?);
    let num: f64 = num.parse().ok()?;
    Some(match unit {
        "us" => num / 1000.0,
        "ms" => num,
        "s" => num * 1000.0,
        "m" => num * 60_000.0,
        _ => return None,
    })
}

/// Runs wrk over `paths` (round robin) and reads throughput and latency percentiles.
fn wrk(addr: &str, paths: &[String], dir: &Path) -> Result<Load> {
    let script = dir.join("paths.lua");
    let list: Vec<String> = paths.iter().map(|p| format!("{p:?}")).collect();
    std::fs::write(
        &script,
        format!(
            "paths = {{{}}}\ni = 0\nrequest = function()\n  i = i + 1\n  return wrk.format(\"GET\", paths[(i % #paths) + 1])\nend\n",
            list.join(", ")
        ),
    )?;
    let out = std::process::Command::new("wrk")
        .args([
            "-t2",
            &format!("-c{CONNECTIONS}"),
            &format!("-d{SECONDS}s"),
            "--latency",
            "-s",
        ])
        .arg(&script)
        .arg(format!("http://{addr}"))
        .output()
        .context("running wrk (apt-get install wrk, or .ci/browser.sh)")?;
    let text = String::from_utf8_lossy(&out.stdout);
    if !out.status.success() {
        bail!("wrk failed: {text}{}", String::from_utf8_lossy(&out.stderr));
    }
    let field = |prefix: &str| -> Option<&str> {
        text.lines()
            .find_map(|l| l.trim().strip_prefix(prefix))
            .map(str::trim)
    };
    let errors = text
        .lines()
        .find_map(|l| l.trim().strip_prefix("Non-2xx or 3xx responses:"))
        .and_then(|v| v.trim().parse().ok())
        .unwrap_or(0);
    Ok(Load {
        rps: field("Requests/sec:")
            .and_then(|v| v.parse().ok())
            .context("wrk: no Requests/sec")?,
        p50_ms: field("50%").and_then(ms).context("wrk: no 50% latency")?,
        p99_ms: field("99%").and_then(ms).context("wrk: no 99% latency")?,
        errors,
    })
}

fn bench_store(csv: &Path, n: usize) -> Result<(PathBuf, f64)> {
    let dir = std::env::var_os("LAGEBILD_BENCH_STORE")
        .map(PathBuf::from)
        .unwrap_or_else(|| std::env::temp_dir().join(format!("lagebild-bench-serve-{n}")));
    let store = Store::open(&dir)?;
    let have = store.len()?;
    if have == n {
        return Ok((dir, 0.0));
    }
    if have > n {
        bail!(
            "{} holds {have} articles, expected {n}; remove it",
            dir.display()
        );
    }
    let t = Instant::now();
    let docs = articles(csv, n)?;
    let summary = store.ingest(docs)?;
    eprintln!("{summary}");
    Ok((dir, t.elapsed().as_secs_f64()))
}

fn run(csv: &Path, opts: &EvalOptions) -> Result<EvalReport> {
    let n = opts.limit.unwrap_or(ARTICLES);
    let (dir, build_s) = bench_store(csv, n)?;
    let store = Arc::new(Store::open(&dir)?);
    let stories = store.stories()?;
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()?;
    let listener = runtime.block_on(tokio::net::TcpListener::bind("127.0.0.1:0"))?;
    let addr = listener.local_addr()?.to_string();
    let app = crate::router(store.clone(), None);
    runtime.spawn(async move { axum::serve(listener, app).await });

    let work = std::env::temp_dir().join(format!("lagebild-bench-wrk-{}", std::process::id()));
    std::fs::create_dir_all(&work)?;
    // Story pages: the biggest stories first (the slowest to serve), else article pages.
    let mut by_size = stories.clone();
    by_size.sort_by_key(|s| std::cmp::Reverse(s.documents));
    let story_paths: Vec<String> = if by_size.is_empty() {
        store
            .recent(50)?
            .iter()
            .map(|d| format!("/api/documents/{}", d.id))
            .collect()
    } else {
        by_size
            .iter()
            .take(50)
            .map(|s| format!("/api/stories/{}", s.id))
            .collect()
    };
    let search_paths: Vec<String> = TERMS
        .iter()
        .flat_map(|t| {
            [
                format!("/api/search?q={}", urlencode(t)),
                format!(
                    "/api/search?q={}&from=2015-06-01&to=2016-01-01",
                    urlencode(t)
                ),
            ]
        })
        .collect();
    let story = wrk(&addr, &story_paths, &work)?;
    let search = wrk(&addr, &search_paths, &work)?;
    let _ = std::fs::remove_dir_all(&work);

    let mut report = EvalReport::new(
        "serve",
        csv.to_path_buf(),
        "goal: p99 < 50 ms at 500 requests/s (issue 8)",
    );
    report
        .figure("articles", store.len()? as f64)
        .figure("stories", stories.len() as f64)
        .figure("store_build_s", build_s)
        .figure("story_rps", story.rps)
        .figure("story_p50_ms", story.p50_ms)
        .figure("story_p99_ms", story.p99_ms)
        .figure("search_rps", search.rps)
        .figure("search_p50_ms", search.p50_ms)
        .figure("search_p99_ms", search.p99_ms)
        .figure("errors", (story.errors + search.errors) as f64)
        .figure(
            "peak_rss_mb",
            lagebild_core::eval::peak_rss_mb().unwrap_or(0.0),
        );
    report.details = format!(
        "wrk -t2 -c{CONNECTIONS} -d{SECONDS}s (closed loop: each connection sends its next request \
         when the last is answered, so the rates are the most the server sustained with \
         {CONNECTIONS} concurrent clients; latency at a lower offered rate is no higher). \
         Story endpoint: {} ({} paths); search: {} queries with and without a date filter.",
        if stories.is_empty() { "no stories in the store, article endpoint instead" } else { "/api/stories/{id}, largest stories" },
        story_paths.len(),
        search_paths.len()
    );
    Ok(report)
}

fn urlencode(s: &str) -> String {
    s.bytes()
        .map(|b| {
            if b.is_ascii_alphanumeric() {
                (b as char).to_string()
            } else {
                format!("%{b:02X}")
            }
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn edits_make_distinct_near_copies() {
        let t = "Eins. Zwei. Drei. Vier.";
        assert_eq!(edited(t, 0), t);
        assert_ne!(edited(t, 1), edited(t, 2));
        assert!(edited(t, 1).contains("Eins"));
    }

    #[test]
    fn reads_wrk_durations() {
        assert_eq!(ms("1.50ms"), Some(1.5));
        assert_eq!(ms("250.00us"), Some(0.25));
        assert_eq!(ms("1.20s"), Some(1200.0));
    }
}
