//! Evaluation on WikiWarsDE (TIMEX2 gold, scored like the ACE TERN scorer) and the
//! throughput benchmark beside dateparser.

use crate::tag;
use anyhow::{bail, Context as _};
use lagebild_core::eval::{Counts, EvalOptions, EvalReport, Task, TaskKind};
use lagebild_core::{Document, Metadata, Origin, Span, Timex};
use std::fmt::Write as _;
use std::path::Path;
use std::time::Instant;

pub(crate) fn tasks() -> Vec<Task> {
    vec![
        Task {
            name: "time",
            kind: TaskKind::Eval,
            about:
                "Temporal tagging on WikiWarsDE (11 of 22 narratives, TIMEX2 gold): \
                    lenient/strict extraction and value accuracy as the ACE TERN scorer counts them",
            default_data: "wikiwarsde",
            run: run_eval,
        },
        Task {
            name: "time",
            kind: TaskKind::Bench,
            about: "Temporal tagger throughput (words/s on one core, peak RSS) on 10kGNAD news; \
                    --peer runs dateparser's search_dates on a sample",
            default_data: "10kgnad/articles.csv",
            run: run_bench,
        },
    ]
}

/// A gold expression: char span in the TEXT part and its normalised value.
#[derive(Debug)]
struct Gold {
    span: Span,
    value: String,
}

/// One WikiWarsDE document: the raw TEXT and the gold expressions in it.
struct GoldDoc {
    id: String,
    text: String,
    gold: Vec<Gold>,
}

/// The body between `<TEXT>` and `</TEXT>`.
fn text_body(sgml: &str) -> Option<&str> {
    let start = sgml.find("<TEXT>")? + "<TEXT>".len();
    let end = sgml[start..].find("</TEXT>")? + start;
    Some(&sgml[start..end])
}

/// Reads the inline gold (`keyinline/*.key.xml`) and checks it against the raw text.
fn read_gold(dir: &Path, limit: Option<usize>) -> anyhow::Result<Vec<GoldDoc>> {
    let keys = dir.join("keyinline");
    let mut files: Vec<_> = std::fs::read_dir(&keys)
        .with_context(|| {
            format!(
                "{} is not a WikiWars directory (no keyinline/)",
                dir.display()
            )
        })?
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.to_string_lossy().ends_with(".key.xml"))
        .collect();
    files.sort();
    files.truncate(limit.unwrap_or(usize::MAX));
    if files.is_empty() {
        bail!("no *.key.xml files in {}", keys.display());
    }
    let mut docs = Vec::new();
    for path in files {
        let inline = std::fs::read_to_string(&path)?;
        let body =
            text_body(&inline).with_context(|| format!("{}: no <TEXT> element", path.display()))?;
        let (text, gold) = strip_timex2(body)
            .with_context(|| format!("{}: malformed TIMEX2 markup", path.display()))?;
        let id = path
            .file_name()
            .and_then(|n| n.to_str())
            .and_then(|n| n.strip_suffix(".key.xml"))
            .unwrap_or_default()
            .to_string();
        let raw_path = dir.join("in").join(format!("{id}.sgm"));
        if let Ok(raw) = std::fs::read_to_string(&raw_path) {
            if text_body(&raw) != Some(text.as_str()) {
                bail!("{}: text differs from the inline key", raw_path.display());
            }
        }
        docs.push(GoldDoc { id, text, gold });
    }
    Ok(docs)
}

/// Removes `<TIMEX2 …>` tags (possibly nested), returning the text and the gold spans.
fn strip_timex2(body: &str) -> Option<(String, Vec<Gold>)> {
    let mut text = String::with_capacity(body.len());
    let mut chars = 0;
    let mut open: Vec<(usize, String)> = Vec::new();
    let mut gold = Vec::new();
    let mut rest = body;
    while let Some(i) = rest.find('<') {
        let piece = &rest[..i];
        text.push_str(piece);
        chars += piece.chars().count();
        let end = rest[i..].find('>')? + i;
        let tag = &rest[i + 1..end];
        if let Some(attrs) = tag.strip_prefix("TIMEX2") {
            open.push((chars, attribute(attrs, "val").unwrap_or_default()));
        } else if tag == "/TIMEX2" {
            let (start, value) = open.pop()?;
            gold.push(Gold {
                span: Span::new(start, chars),
                value: normalise(&value),
            });
        } else {
            // Not our markup: keep it as text.
            text.push_str(&rest[i..=end]);
            chars += rest[i..=end].chars().count();
        }
        rest = &rest[end + 1..];
    }
    text.push_str(rest);
    gold.sort_by_key(|g| (g.span.start, g.span.end));
    Some((text, gold))
}

fn attribute(attrs: &str, name: &str) -> Option<String> {
    let key = format!("{name}=\"");
    let start = attrs.find(&key)? + key.len();
    let end = attrs[start..].find('"')? + start;
    Some(attrs[start..end].to_string())
}

/// TIMEX2 and TIMEX3 values made comparable: upper case, no time-zone offset (TIMEX2 puts
/// it into VAL, TIMEX3 keeps it apart). Everything else is compared as written; the
/// modifier is not part of the value.
fn normalise(value: &str) -> String {
    let v = value.trim().to_uppercase();
    match v.find('T').filter(|_| v.contains(':')) {
        Some(t) => {
            let cut = v[t..].find(['+', 'Z']).map_or(v.len(), |i| t + i);
            v[..cut].to_string()
        }
        None => v,
    }
}

/// Trims whitespace off a span, as both extents are compared without it.
fn trimmed(text: &str, span: Span) -> Span {
    let s: Vec<char> = text.chars().skip(span.start).take(span.len()).collect();
    let lead = s.iter().take_while(|c| c.is_whitespace()).count();
    let trail = s.iter().rev().take_while(|c| c.is_whitespace()).count();
    Span::new(span.start + lead, (span.end - trail).max(span.start + lead))
}

#[derive(Default)]
struct Score {
    lenient: Counts,
    strict: Counts,
    /// Lenient matches whose value is right.
    values: u64,
}

/// Matches system expressions to gold one-to-one (first overlapping, in text order).
fn score(text: &str, gold: &[Gold], system: &[Timex], errors: &mut Vec<String>) -> Score {
    let mut s = Score::default();
    let mut used = vec![false; gold.len()];
    for t in system {
        let span = trimmed(text, t.span);
        let hit = gold
            .iter()
            .enumerate()
            .find(|(i, g)| !used[*i] && trimmed(text, g.span).overlaps(span));
        let Some((i, g)) = hit else {
            s.lenient.fp += 1;
            s.strict.fp += 1;
            errors.push(format!("FP   {:?} {}", t.text, t.value));
            continue;
        };
        used[i] = true;
        s.lenient.tp += 1;
        let gold_text: String = text.chars().skip(g.span.start).take(g.span.len()).collect();
        if trimmed(text, g.span) == span {
            s.strict.tp += 1;
        } else {
            s.strict.fp += 1;
            s.strict.fn_ += 1;
            errors.push(format!("EXT  {:?} vs gold {:?}", t.text, gold_text));
        }
        if normalise(&t.value) == g.value {
            s.values += 1;
        } else {
            errors.push(format!("VAL  {:?} {} vs gold {}", t.text, t.value, g.value));
        }
    }
    for (g, _) in gold.iter().zip(&used).filter(|(_, u)| !**u) {
        s.lenient.fn_ += 1;
        s.strict.fn_ += 1;
        let gold_text: String = text.chars().skip(g.span.start).take(g.span.len()).collect();
        errors.push(format!("FN   {gold_text:?} {}", g.value));
    }
    s
}

/// WikiWars narratives are tagged without a publication date: their DATETIME is the
/// download date, and HeidelTime anchored them as narratives too (readme, section 4).
fn run_eval(dir: &Path, opts: &EvalOptions) -> anyhow::Result<EvalReport> {
    let docs = read_gold(dir, opts.limit)?;
    let show_errors = std::env::var_os("LAGEBILD_EVAL_ERRORS").is_some();
    let mut total = Score::default();
    let mut details = String::from(
        "| document | gold | system | lenient F1 | strict F1 | value acc. |\n|---|---|---|---|---|---|\n",
    );
    for d in &docs {
        let doc = Document::new(
            Metadata {
                id: d.id.clone(),
                ..Metadata::default()
            },
            Origin::default(),
            d.text.clone(),
        );
        let system = tag(&doc, &[]);
        let mut errors = Vec::new();
        let s = score(&d.text, &d.gold, &system, &mut errors);
        if show_errors {
            for e in &errors {
                eprintln!("{} {e}", d.id);
            }
        }
        let _ = writeln!(
            details,
            "| {} | {} | {} | {:.3} | {:.3} | {:.3} |",
            d.id,
            d.gold.len(),
            system.len(),
            s.lenient.f1(),
            s.strict.f1(),
            lagebild_core::eval::ratio(s.values, s.lenient.tp)
        );
        total.lenient.add(s.lenient);
        total.strict.add(s.strict);
        total.values += s.values;
    }
    let mut report = EvalReport::new(
        "time",
        dir.to_path_buf(),
        "HeidelTime on all 22 WikiWarsDE documents: lenient F1 0.933, strict F1 0.877, \
         value 0.885; goal strict F1 >= 0.88, value >= 0.89",
    );
    report
        .prf("lenient", total.lenient)
        .prf("strict", total.strict)
        .figure(
            "value_accuracy",
            lagebild_core::eval::ratio(total.values, total.lenient.tp),
        )
        .figure("documents", docs.len() as f64);
    details.push_str(
        "\nValues compared as ISO 8601 after upper-casing and dropping TIMEX2's time-zone \
         offset; modifiers are not compared. Extents are compared without surrounding \
         whitespace. Documents are tagged as narratives (no publication date).\n",
    );
    report.details = details;
    Ok(report)
}

/// Reads the texts of a `label;'text'` CSV with `'` as the quote character.
fn read_articles(path: &Path) -> anyhow::Result<Vec<String>> {
    let data =
        std::fs::read_to_string(path).with_context(|| format!("reading {}", path.display()))?;
    let mut texts = Vec::new();
    let mut chars = data.chars().peekable();
    loop {
        // label
        let mut label = String::new();
        for c in chars.by_ref() {
            if c == ';' {
                break;
            }
            label.push(c);
        }
        if chars.peek().is_none() {
            break;
        }
        let mut text = String::new();
        if chars.peek() == Some(&'\'') {
            chars.next();
            while let Some(c) = chars.next() {
                if c == '\'' {
                    if chars.peek() == Some(&'\'') {
                        text.push('\'');
                        chars.next();
                    } else {
                        break;
                    }
                } else {
                    text.push(c);
                }
            }
        }
        for c in chars.by_ref() {
            if c == '\n' {
                break;
            }
            if c != '\r' {
                text.push(c);
            }
        }
        if !text.trim().is_empty() {
            texts.push(text);
        }
    }
    if texts.is_empty() {
        bail!("{}: no articles", path.display());
    }
    Ok(texts)
}

fn words(text: &str) -> usize {
    text.split_whitespace().count()
}

/// Texts tagged by the dateparser peer (a sample: it is slow).
const PEER_SAMPLE: usize = 100;
/// Texts shown side by side.
const SHOWN: usize = 3;

fn run_bench(path: &Path, opts: &EvalOptions) -> anyhow::Result<EvalReport> {
    let mut texts = read_articles(path)?;
    texts.truncate(opts.limit.unwrap_or(usize::MAX));
    let docs: Vec<Document> = texts
        .iter()
        .enumerate()
        .map(|(i, t)| Document::from_text(&format!("a{i}"), t))
        .collect();
    // Compile the grammar before timing.
    tag(&Document::from_text("warm-up", "am 3. Mai 2020"), &[]);
    let start = Instant::now();
    let mut found = Vec::with_capacity(docs.len());
    for d in &docs {
        found.push(tag(d, &[]));
    }
    let seconds = start.elapsed().as_secs_f64();
    let total_words: usize = texts.iter().map(|t| words(t)).sum();
    let expressions: usize = found.iter().map(Vec::len).sum();
    let mut report = EvalReport::new(
        "time",
        path.to_path_buf(),
        "no published figure; dateparser search_dates (languages=['de']) as the peer",
    );
    report
        .figure("documents", docs.len() as f64)
        .figure("words", total_words as f64)
        .figure("words_per_s", total_words as f64 / seconds.max(1e-9))
        .figure("expressions", expressions as f64);
    if let Some(mib) = lagebild_core::eval::peak_rss_mb() {
        report.figure("peak_rss_mib", mib);
    }
    if opts.peer {
        let n = PEER_SAMPLE.min(texts.len());
        let sample = &texts[..n];
        let ours_start = Instant::now();
        let ours: Vec<Vec<Timex>> = docs[..n].iter().map(|d| tag(d, &[])).collect();
        let ours_s = ours_start.elapsed().as_secs_f64();
        let peer = run_peer(sample)?;
        let sample_words: usize = sample.iter().map(|t| words(t)).sum();
        let peer_wps = sample_words as f64 / peer.seconds.max(1e-9);
        let ours_wps = sample_words as f64 / ours_s.max(1e-9);
        let peer_found: usize = peer.found.iter().map(Vec::len).sum();
        report
            .figure("peer_sample_documents", n as f64)
            .figure("peer_words_per_s", peer_wps)
            .figure("speed_ratio", ours_wps / peer_wps.max(1e-9))
            .figure(
                "sample_expressions",
                ours.iter().map(Vec::len).sum::<usize>() as f64,
            )
            .figure("peer_sample_expressions", peer_found as f64);
        let mut details = String::from(
            "| doc | lagebild (text → value) | dateparser (text → value) |\n|---|---|---|\n",
        );
        for (i, (a, b)) in ours.iter().zip(&peer.found).take(SHOWN).enumerate() {
            let a: Vec<String> = a
                .iter()
                .map(|t| format!("{} → {}", t.text, t.value))
                .collect();
            let b: Vec<String> = b.iter().map(|(s, v)| format!("{s} → {v}")).collect();
            let _ = writeln!(details, "| {i} | {} | {} |", a.join("; "), b.join("; "));
        }
        report.details = details;
    }
    Ok(report)
}

struct PeerRun {
    seconds: f64,
    found: Vec<Vec<(String, String)>>,
}

fn run_peer(texts: &[String]) -> anyhow::Result<PeerRun> {
    use std::io::Write as _;
    let script = concat!(env!("CARGO_MANIFEST_DIR"), "/scripts/dateparser_peer.py");
    let mut child = std::process::Command::new("python3")
        .arg(script)
        .stdin(std::process::Stdio::piped())
        .stdout(std::process::Stdio::piped())
        .spawn()
        .context("starting python3 for the dateparser peer")?;
    let input = serde_json::to_vec(texts)?;
    child
        .stdin
        .take()
        .context("peer stdin")?
        .write_all(&input)?;
    let out = child.wait_with_output()?;
    if !out.status.success() {
        bail!("dateparser peer failed (pip install dateparser)");
    }
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).context("peer output")?;
    let seconds = v["seconds"].as_f64().context("peer seconds")?;
    let found = v["found"]
        .as_array()
        .context("peer found")?
        .iter()
        .map(|doc| {
            doc.as_array()
                .map(|hits| {
                    hits.iter()
                        .map(|h| {
                            (
                                h[0].as_str().unwrap_or_default().to_string(),
                                h[1].as_str().unwrap_or_default().to_string(),
                            )
                        })
                        .collect()
                })
                .unwrap_or_default()
        })
        .collect();
    Ok(PeerRun { seconds, found })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn strips_inline_timex2() {
        let (text, gold) =
            strip_timex2("Am <TIMEX2 val=\"2003-03-17\">17. März</TIMEX2> und <TIMEX2 val=\"1945-05-08T23:00+01\">23 Uhr</TIMEX2>.")
                .unwrap();
        assert_eq!(text, "Am 17. März und 23 Uhr.");
        assert_eq!(gold[0].span, Span::new(3, 11));
        assert_eq!(gold[1].value, "1945-05-08T23:00");
    }

    #[test]
    fn normalises_values() {
        assert_eq!(normalise("bc0478"), "BC0478");
        assert_eq!(normalise("1940-06-22TEV"), "1940-06-22TEV");
    }

    #[test]
    fn wikiwars_floor() {
        let Some(dir) = lagebild_core::eval::dataset_for_test("wikiwarsde") else {
            return;
        };
        let opts = EvalOptions {
            limit: Some(3),
            peer: false,
        };
        let r = run_eval(&dir, &opts).unwrap();
        let strict = r.get("strict_f1").unwrap();
        let value = r.get("value_accuracy").unwrap();
        eprintln!("strict F1 {strict:.3}, value accuracy {value:.3}");
        assert!(strict > 0.70, "strict F1 {strict}");
        assert!(value > 0.70, "value accuracy {value}");
    }
}
