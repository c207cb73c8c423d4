//! Crash safety of `lagebild ingest --db`: the process is SIGKILLed in the middle of a large
//! ingest; reopening works, nothing is half-written or duplicated, and a re-run completes
//! the batch. Reads the one-line summary `lagebild ingest` prints
//! (`lagebild_store::IngestSummary`'s Display).

use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

const ARTICLES: usize = 400;
/// Syllables of the generated words: thousands of distinct words, so that no two articles
/// are near-duplicates (which would make the corpus stages' work dominate the test).
const SYLLABLES: &[&str] = &[
    "ba", "ko", "ran", "te", "lu", "mi", "sor", "da", "ven", "gi", "pa", "ru", "nek", "so", "fal",
    "ti", "mo", "ber", "ka", "zu", "lin", "do", "she", "wa", "ri", "gol", "ne", "pu", "hal", "ex",
];

fn lagebild() -> Command {
    Command::new(env!("CARGO_BIN_EXE_lagebild"))
}

fn tempdir(name: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("lagebild-cli-{name}-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

/// Distinct German-looking articles, one JSON object per line.
fn write_input(path: &Path) {
    let mut state: u64 = 0x2545_f491_4f6c_dd1d;
    let mut next = || {
        state ^= state << 13;
        state ^= state >> 7;
        state ^= state << 17;
        state
    };
    let mut word = || -> String {
        let r = next();
        let n = SYLLABLES.len() as u64;
        (0..2 + r % 2)
            .map(|k| SYLLABLES[((r >> (8 * k + 4)) % n) as usize])
            .collect()
    };
    let mut out = String::new();
    for i in 0..ARTICLES {
        let mut text = format!("Bericht {i}. ");
        for _ in 0..12 {
            let sentence: Vec<String> = (0..9).map(|_| word()).collect();
            text.push_str(&sentence.join(" "));
            text.push_str(". ");
        }
        let line = serde_json::json!({
            "id": format!("art{i}"),
            "title": format!("Bericht {i}"),
            "source": "Agentur",
            "text": text,
        });
        out.push_str(&line.to_string());
        out.push('\n');
    }
    std::fs::write(path, out).unwrap();
}

/// Parses `ingested: added A, duplicates D, conflicts C; store: N articles, I indexed, …`.
fn summary(output: &std::process::Output) -> (usize, usize, usize, usize) {
    let text = format!(
        "{}{}",
        String::from_utf8_lossy(&output.stdout),
        String::from_utf8_lossy(&output.stderr)
    );
    assert!(output.status.success(), "lagebild ingest failed:\n{text}");
    let line = text
        .lines()
        .find(|l| l.starts_with("ingested: "))
        .unwrap_or_else(|| panic!("no summary line in:\n{text}"));
    let after = |key: &str| -> usize {
        let i = line
            .find(key)
            .unwrap_or_else(|| panic!("{key:?} missing in {line:?}"))
            + key.len();
        let digits: String = line[i..].chars().take_while(char::is_ascii_digit).collect();
        digits.parse().unwrap()
    };
    let before = |key: &str| -> usize {
        let head = &line[..line
            .find(key)
            .unwrap_or_else(|| panic!("{key:?} missing in {line:?}"))];
        let start = head
            .rfind(|c: char| !c.is_ascii_digit())
            .map_or(0, |p| p + 1);
        head[start..].parse().unwrap()
    };
    (
        after("added "),
        after("duplicates "),
        before(" articles"),
        before(" indexed"),
    )
}

fn wal_bytes(db: &Path) -> u64 {
    ["lagebild.sqlite-wal", "lagebild.sqlite"]
        .iter()
        .filter_map(|f| std::fs::metadata(db.join(f)).ok())
        .map(|m| m.len())
        .sum()
}

#[test]
fn sigkill_during_ingest_then_rerun_completes_the_batch() {
    let dir = tempdir("crash");
    let input = dir.join("articles.jsonl");
    write_input(&input);
    let db = dir.join("db");

    let mut child = lagebild()
        .args([
            "ingest",
            input.to_str().unwrap(),
            "--db",
            db.to_str().unwrap(),
        ])
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .expect("lagebild runs");
    // Wait until some batches are committed (the database grows), then kill mid-way.
    let deadline = Instant::now() + Duration::from_secs(300);
    while wal_bytes(&db) < 100_000 && Instant::now() < deadline {
        if child.try_wait().unwrap().is_some() {
            break;
        }
        std::thread::sleep(Duration::from_millis(25));
    }
    let finished_early = child.try_wait().unwrap().is_some();
    child.kill().ok(); // SIGKILL on Unix
    child.wait().unwrap();
    assert!(
        !finished_early,
        "ingest of {ARTICLES} articles finished before it could be killed"
    );

    // Reopen and re-run: completes the batch; what was committed before the kill counts
    // as duplicates, nothing twice, the search index agrees with the database.
    let out = lagebild()
        .args([
            "ingest",
            input.to_str().unwrap(),
            "--db",
            db.to_str().unwrap(),
        ])
        .output()
        .unwrap();
    let (added, duplicates, articles, indexed) = summary(&out);
    assert!(
        duplicates > 0,
        "nothing was committed before the kill; the test proves little"
    );
    assert!(added > 0, "everything was committed before the kill");
    assert_eq!(added + duplicates, ARTICLES);
    assert_eq!(articles, ARTICLES);
    assert_eq!(indexed, ARTICLES);

    // A third run adds nothing.
    let out = lagebild()
        .args([
            "ingest",
            input.to_str().unwrap(),
            "--db",
            db.to_str().unwrap(),
        ])
        .output()
        .unwrap();
    assert_eq!(summary(&out), (0, ARTICLES, ARTICLES, ARTICLES));
    let _ = std::fs::remove_dir_all(&dir);
}
