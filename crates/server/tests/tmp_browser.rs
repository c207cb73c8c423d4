//! The web UI end to end: `lagebild ingest` the examples, `lagebild serve` on a free port,
//! then (1) over plain HTTP, an article containing markup is shown escaped, never as markup;
//! (2) in headless Chromium, the story page shows the timeline and a quotation with its
//! speaker, and a screenshot goes to `docs/screenshot-story.png`. The browser part skips
//! with a message when Chromium is absent (`.ci/browser.sh` installs it).

use std::io::{BufRead, BufReader, Read, Write};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

const XSS_TEXT: &str = "Angriff auf die Redaktion\n\nUnbekannte schickten am Montag diesen Text: \
<script>document.body.setAttribute('data-pwned','script')</script> und \
<img src=x onerror=\"document.body.setAttribute('data-pwned','img')\"> sowie \"Zitate\" & Zeichen.\n";

fn repo() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../..")
}

fn tempdir(name: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("lagebild-cli-{name}-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

fn ingest(db: &Path, inputs: &[&Path]) {
    let out = Command::new(env!("CARGO_BIN_EXE_lagebild"))
        .arg("ingest")
        .args(inputs)
        .arg("--db")
        .arg(db)
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "lagebild ingest failed: {}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
}

/// A running `lagebild serve`; stopped with SIGTERM (graceful shutdown) on drop.
struct Server {
    child: Child,
    addr: String,
}

impl Server {
    fn start(db: &Path) -> Server {
        let mut child = Command::new(env!("CARGO_BIN_EXE_lagebild"))
            .args(["serve", "--addr", "127.0.0.1:0", "--db"])
            .arg(db)
            .stdout(Stdio::null())
            .stderr(Stdio::piped())
            .spawn()
            .unwrap();
        let mut lines = BufReader::new(child.stderr.take().unwrap()).lines();
        let addr = loop {
            match lines.next() {
                Some(Ok(line)) => {
                    if let Some(a) = line.split("listening on http://").nth(1) {
                        break a.trim().to_string();
                    }
                }
                _ => panic!("lagebild serve exited before listening"),
            }
        };
        // Keep draining stderr so the server never blocks on a full pipe.
        std::thread::spawn(move || for _ in lines {});
        Server { child, addr }
    }

    fn get(&self, path: &str) -> (u16, String) {
        let mut s = std::net::TcpStream::connect(&self.addr).unwrap();
        s.set_read_timeout(Some(Duration::from_secs(30))).unwrap();
        write!(s, "GET {path} HTTP/1.0\r\nHost: {}\r\n\r\n", self.addr).unwrap();
        let mut raw = Vec::new();
        s.read_to_end(&mut raw).unwrap();
        let raw = String::from_utf8_lossy(&raw).into_owned();
        let (head, body) = raw.split_once("\r\n\r\n").unwrap_or((&raw, ""));
        let status = head
            .split(' ')
            .nth(1)
            .and_then(|c| c.parse().ok())
            .unwrap_or(0);
        (status, body.to_string())
    }

    fn url(&self, path: &str) -> String {
        format!("http://{}{path}", self.addr)
    }

    /// SIGTERM, then the server must finish in-flight work and exit cleanly.
    fn stop(mut self) {
        let pid = self.child.id().to_string();
        Command::new("kill").args(["-TERM", &pid]).status().unwrap();
        let deadline = Instant::now() + Duration::from_secs(20);
        loop {
            if let Some(status) = self.child.try_wait().unwrap() {
                assert!(status.success(), "serve exited with {status} after SIGTERM");
                return;
            }
            assert!(Instant::now() < deadline, "serve ignored SIGTERM");
            std::thread::sleep(Duration::from_millis(50));
        }
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

fn xss_input(dir: &Path) -> PathBuf {
    let path = dir.join("xss-probe.txt");
    std::fs::write(&path, XSS_TEXT).unwrap();
    path
}

#[test]
fn article_markup_is_escaped_not_rendered() {
    let dir = tempdir("xss");
    let db = dir.join("db");
    ingest(&db, &[&xss_input(&dir)]);
    let server = Server::start(&db);
    let (status, page) = server.get("/documents/xss-probe");
    assert_eq!(status, 200, "{page}");
    assert!(
        page.contains("&lt;script&gt;document.body.setAttribute("),
        "script text not shown:\n{page}"
    );
    assert!(
        page.contains("&lt;img src=x onerror="),
        "img markup not shown as text"
    );
    assert!(
        !page.contains("<script"),
        "a <script> element reached the page"
    );
    assert!(!page.contains("<img"), "an <img> element reached the page");
    let (_, index) = server.get("/");
    assert!(!index.contains("<script") && !index.contains("<img"));
    let (status, json) = server.get("/api/documents/xss-probe");
    assert_eq!(status, 200);
    let v: serde_json::Value = serde_json::from_str(&json).unwrap();
    assert_eq!(
        v["text"].as_str().unwrap(),
        XSS_TEXT,
        "the API returns the text unaltered"
    );
    server.stop();
    let _ = std::fs::remove_dir_all(&dir);
}

fn chromium() -> Option<PathBuf> {
    if let Some(p) = std::env::var_os("CHROMIUM") {
        return Some(p.into());
    }
    let path = std::env::var_os("PATH")?;
    ["chromium", "chromium-browser", "google-chrome"]
        .iter()
        .flat_map(|name| std::env::split_paths(&path).map(move |d| d.join(name)))
        .find(|p| p.is_file())
}

/// Runs headless Chromium with the flags this machine needs and a fresh profile.
fn headless(chrome: &Path, profile: &Path, args: &[String]) -> String {
    let mut child = Command::new(chrome)
        .args([
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--disable-quic",
            "--no-first-run",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
            "--hide-scrollbars",
        ])
        .arg(format!("--user-data-dir={}", profile.display()))
        .args(args)
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .expect("chromium starts");
    let mut out = child.stdout.take().unwrap();
    let reader = std::thread::spawn(move || {
        let mut s = String::new();
        let _ = out.read_to_string(&mut s);
        s
    });
    let deadline = Instant::now() + Duration::from_secs(90);
    while child.try_wait().unwrap().is_none() {
        if Instant::now() > deadline {
            let _ = child.kill();
            panic!("chromium did not finish within 90 s");
        }
        std::thread::sleep(Duration::from_millis(100));
    }
    reader.join().unwrap()
}

/// Text as Chromium serialises a text node.
fn dom_text(s: &str) -> String {
    s.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('\u{a0}', "&nbsp;")
}

#[test]
fn story_page_in_a_real_browser() {
    let Some(chrome) = chromium() else {
        eprintln!("SKIPPED: chromium not found (run .ci/browser.sh or set CHROMIUM)");
        return;
    };
    let dir = tempdir("browser");
    let db = dir.join("db");
    ingest(&db, &[&repo().join("examples/seeds"), &xss_input(&dir)]);
    let server = Server::start(&db);

    let (_, stories) = server.get("/api/stories");
    let stories: Vec<serde_json::Value> = serde_json::from_str(&stories).unwrap();
    let story = stories
        .iter()
        .max_by_key(|s| s["documents"].as_u64())
        .expect("the examples form at least one story");
    let id = story["id"].as_str().unwrap();
    let (_, view) = server.get(&format!("/api/stories/{id}"));
    let view: serde_json::Value = serde_json::from_str(&view).unwrap();
    assert!(
        !view["timeline"].as_array().unwrap().is_empty(),
        "story {id} has no events on its timeline"
    );
    let (quote, speaker) = view["quotes"]
        .as_array()
        .unwrap()
        .iter()
        .find_map(|q| {
            let speaker = q["speaker"]["name"]
                .as_str()
                .or(q["speaker_text"].as_str())?;
            Some((q["text"].as_str()?.to_string(), speaker.to_string()))
        })
        .expect("story has a quotation with a speaker");

    let profile = dir.join("chromium-profile");
    let dom = headless(
        &chrome,
        &profile,
        &["--dump-dom".into(), server.url(&format!("/stories/{id}"))],
    );
    let timeline = dom
        .split("<section id=\"timeline\">")
        .nth(1)
        .expect("timeline section rendered");
    let timeline = &timeline[..timeline.find("</section>").unwrap()];
    assert!(
        timeline.contains("<li class=\"event"),
        "no event on the rendered timeline"
    );
    let quotes = dom
        .split("<section id=\"quotes\">")
        .nth(1)
        .expect("quotes section rendered");
    let item = quotes
        .split("<li class=\"quote")
        .find(|li| li.contains(&dom_text(&quote)))
        .unwrap_or_else(|| panic!("quotation {quote:?} not on the page"));
    assert!(
        item.contains(&dom_text(&speaker)),
        "speaker {speaker:?} not shown with the quotation"
    );

    // The probe article: shown as text, its script never ran.
    let dom = headless(
        &chrome,
        &profile,
        &["--dump-dom".into(), server.url("/documents/xss-probe")],
    );
    assert!(dom.contains("&lt;script&gt;"), "probe text not shown");
    assert!(
        !dom.contains("data-pwned=\""), // the text itself mentions data-pwned
        "script from article text ran in the browser"
    );

    let shot = repo().join("docs/screenshot-story.png");
    headless(
        &chrome,
        &profile,
        &[
            format!("--screenshot={}", shot.display()),
            "--window-size=1280,2200".into(),
            server.url(&format!("/stories/{id}")),
        ],
    );
    assert!(
        std::fs::metadata(&shot)
            .map(|m| m.len() > 10_000)
            .unwrap_or(false),
        "no screenshot"
    );
    server.stop();
    let _ = std::fs::remove_dir_all(&dir);
}
