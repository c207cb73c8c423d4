//! Tests of `read` over real files in a temporary directory: kinds, metadata, bad input.

use crate::{read, IngestOptions, Ingested};
use lagebild_core::Document;
use std::io::Write;
use std::path::Path;

fn write(dir: &Path, name: &str, bytes: &[u8]) -> String {
    let p = dir.join(name);
    std::fs::write(&p, bytes).unwrap();
    p.display().to_string()
}

fn run(inputs: &[String], opts: &IngestOptions) -> (Vec<Document>, Vec<String>, Vec<String>) {
    let (mut docs, mut warnings, mut errors) = (Vec::new(), Vec::new(), Vec::new());
    for item in read(inputs, opts) {
        match item {
            Ingested::Document(d) => docs.push(d),
            Ingested::Warning(w) => warnings.push(w.to_string()),
            Ingested::Error(e) => errors.push(e.to_string()),
        }
    }
    (docs, warnings, errors)
}

const GERMAN: &str = "Die Bundesregierung hat am Mittwoch beschlossen, die Förderung für Wärmepumpen deutlich zu erhöhen. Das teilte das Ministerium in Berlin mit.";

#[test]
fn text_files_with_sidecar_metadata() {
    let dir = tempfile::tempdir().unwrap();
    let a = write(dir.path(), "a.txt", GERMAN.as_bytes());
    let meta = write(
        dir.path(),
        "meta.csv",
        b"id,published,source,url,title\na,2023-09-22T10:00:00+02:00,Zeitung,https://z.de/a,Titel A\n",
    );
    let opts = IngestOptions {
        meta: Some(meta.into()),
        ..IngestOptions::default()
    };
    let (docs, warnings, errors) = run(&[a], &opts);
    assert!(
        errors.is_empty() && warnings.is_empty(),
        "{errors:?} {warnings:?}"
    );
    let d = &docs[0];
    assert_eq!(d.id(), "a");
    assert_eq!(d.text(), GERMAN);
    assert_eq!(d.meta.published.unwrap().to_string(), "2023-09-22");
    assert_eq!(d.meta.source.as_deref(), Some("Zeitung"));
    assert_eq!(d.meta.title.as_deref(), Some("Titel A"));
    assert_eq!(d.language(), "de");
    assert_eq!(d.meta.published, docs[0].meta.published);
}

#[test]
fn jsonl_sidecar_and_bad_sidecar() {
    let dir = tempfile::tempdir().unwrap();
    let a = write(dir.path(), "b.txt", GERMAN.as_bytes());
    let meta = write(
        dir.path(),
        "m.jsonl",
        b"{\"id\":\"b\",\"published\":\"Fri, 22 Sep 2023 10:00:00 +0200\"}\n",
    );
    let opts = IngestOptions {
        meta: Some(meta.into()),
        ..IngestOptions::default()
    };
    let (docs, _, errors) = run(std::slice::from_ref(&a), &opts);
    assert!(errors.is_empty());
    assert_eq!(docs[0].meta.published.unwrap().to_string(), "2023-09-22");
    let bad = write(
        dir.path(),
        "bad.jsonl",
        b"{\"id\":\"b\",\"published\":\"gestern\"}\n",
    );
    let opts = IngestOptions {
        meta: Some(bad.into()),
        ..IngestOptions::default()
    };
    let (docs, _, errors) = run(&[a], &opts);
    assert_eq!(docs.len(), 1, "the batch goes on");
    assert!(
        errors[0].contains("bad.jsonl:1") && errors[0].contains("gestern"),
        "{errors:?}"
    );
}

#[test]
fn jsonl_records_and_errors_name_the_line() {
    let dir = tempfile::tempdir().unwrap();
    let body = format!(
        "{{\"id\":\"x1\",\"title\":\"T\",\"published\":\"2023-09-22\",\"text\":\"{GERMAN}\"}}\n\
         not json\n\
         \n\
         {{\"id\":\"x2\",\"html\":\"<html><body><article><p>{GERMAN}</p></article></body></html>\",\"url\":\"https://x.de/2020/01/02/a\"}}\n\
         {{\"id\":\"x3\"}}\n"
    );
    let f = write(dir.path(), "d.jsonl", body.as_bytes());
    let (docs, _, errors) = run(&[f], &IngestOptions::default());
    assert_eq!(
        docs.iter().map(|d| d.id()).collect::<Vec<_>>(),
        ["x1", "x2"]
    );
    assert_eq!(docs[0].meta.published.unwrap().to_string(), "2023-09-22");
    assert_eq!(docs[1].text(), GERMAN);
    assert_eq!(docs[1].meta.published.unwrap().to_string(), "2020-01-02");
    assert_eq!(errors.len(), 2, "{errors:?}");
    assert!(errors[0].contains("d.jsonl:2") && errors[0].contains("invalid JSON"));
    assert!(errors[1].contains("d.jsonl:5") && errors[1].contains("no \"text\""));
}

#[test]
fn huge_single_line_is_bounded() {
    let dir = tempfile::tempdir().unwrap();
    let mut line = vec![b'x'; 50 << 20];
    line.push(b'\n');
    line.extend_from_slice(format!("{{\"id\":\"ok\",\"text\":\"{GERMAN}\"}}\n").as_bytes());
    let f = write(dir.path(), "big.jsonl", &line);
    let opts = IngestOptions {
        max_record_bytes: 1 << 20,
        ..IngestOptions::default()
    };
    let (docs, _, errors) = run(&[f], &opts);
    assert_eq!(docs.len(), 1);
    assert!(
        errors[0].contains("big.jsonl:1") && errors[0].contains("exceeds"),
        "{errors:?}"
    );
}

#[test]
fn bad_files_are_errors_and_the_rest_goes_on() {
    let dir = tempfile::tempdir().unwrap();
    write(dir.path(), "a.txt", GERMAN.as_bytes());
    write(dir.path(), "b.pdf", b"%PDF-1.4");
    write(dir.path(), "c.txt", b"");
    write(dir.path(), "d.txt", b"\x00\x01\x02\x03binary");
    write(
        dir.path(),
        "e.txt",
        b"Stra\xdfe und Gr\xfc\xdfe aus M\xfcnchen",
    );
    std::fs::create_dir(dir.path().join("sub")).unwrap();
    write(&dir.path().join("sub"), "f.txt", GERMAN.as_bytes());
    write(dir.path(), ".hidden.txt", GERMAN.as_bytes());
    let missing = dir.path().join("missing.txt").display().to_string();
    let (docs, warnings, errors) = run(
        &[dir.path().display().to_string(), missing],
        &IngestOptions::default(),
    );
    assert_eq!(
        docs.iter().map(|d| d.id()).collect::<Vec<_>>(),
        ["a", "e", "f"]
    );
    assert_eq!(docs[1].text(), "Straße und Grüße aus München");
    assert!(
        warnings[0].contains("e.txt") && warnings[0].contains("byte 4"),
        "{warnings:?}"
    );
    assert_eq!(errors.len(), 4, "{errors:?}");
    assert!(errors[0].contains("b.pdf") && errors[0].contains("unknown file type"));
    assert!(errors[1].contains("c.txt") && errors[1].contains("empty"));
    assert!(errors[2].contains("d.txt") && errors[2].contains("binary"));
    assert!(errors[3].contains("missing.txt"));
}

#[test]
fn html_file_with_latin1_charset() {
    let dir = tempfile::tempdir().unwrap();
    let mut html = b"<html lang=de><head><meta charset=iso-8859-1><title>Gr\xfc\xdfe</title></head><body><article><p>".to_vec();
    html.extend_from_slice(&encoding_rs::WINDOWS_1252.encode(GERMAN).0);
    html.extend_from_slice(b"</p></article></body></html>");
    let f = write(dir.path(), "seite.html", &html);
    let (docs, _, errors) = run(&[f], &IngestOptions::default());
    assert!(errors.is_empty(), "{errors:?}");
    assert_eq!(docs[0].text(), GERMAN);
    assert_eq!(docs[0].meta.title.as_deref(), Some("Grüße"));
    assert_eq!(docs[0].meta.published, None, "no date is invented");
}

fn warc_bytes(pages: &[(&str, &str)]) -> Vec<u8> {
    let mut out = Vec::new();
    out.extend_from_slice(
        b"WARC/1.0\r\nWARC-Type: warcinfo\r\nContent-Length: 5\r\n\r\nhello\r\n\r\n",
    );
    for (uri, html) in pages {
        crate::warc::write_response(&mut out, uri, html.as_bytes()).unwrap();
    }
    out
}

#[test]
fn warc_and_warc_gz_stream_html_responses() {
    let dir = tempfile::tempdir().unwrap();
    let page = format!("<html><body><article><p>{GERMAN}</p></article></body></html>");
    let bytes = warc_bytes(&[
        ("https://x.de/2021/05/06/a", &page),
        ("https://x.de/b", &page),
    ]);
    let plain = write(dir.path(), "a.warc", &bytes);
    let mut gz = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::fast());
    gz.write_all(&bytes).unwrap();
    let gz = write(dir.path(), "b.warc.gz", &gz.finish().unwrap());
    let (docs, _, errors) = run(&[plain, gz], &IngestOptions::default());
    assert!(errors.is_empty(), "{errors:?}");
    assert_eq!(docs.len(), 4);
    assert_eq!(docs[0].id(), "a-2");
    assert_eq!(
        docs[0].meta.url.as_deref(),
        Some("https://x.de/2021/05/06/a")
    );
    assert_eq!(docs[0].meta.published.unwrap().to_string(), "2021-05-06");
    assert_eq!(docs[1].meta.published, None);
    assert_eq!(docs[2].text(), GERMAN);
}

#[test]
fn warc_wrong_length_and_truncated_gzip() {
    let dir = tempfile::tempdir().unwrap();
    let page = format!("<html><body><article><p>{GERMAN}</p></article></body></html>");
    let good = warc_bytes(&[("https://x.de/a", &page)]);
    let mut bad = Vec::new();
    crate::warc::write_response(&mut bad, "https://x.de/bad", page.as_bytes()).unwrap();
    let text = String::from_utf8(bad).unwrap();
    let wrong = text.replacen("Content-Length: ", "Content-Length: 1", 1);
    let mut bytes = wrong.into_bytes();
    bytes.extend_from_slice(&good);
    let f = write(dir.path(), "w.warc", &bytes);
    let (docs, _, errors) = run(&[f], &IngestOptions::default());
    assert_eq!(docs.len(), 1, "{errors:?}");
    assert!(errors[0].contains("w.warc:1"), "{errors:?}");

    let mut gz = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::fast());
    gz.write_all(&good).unwrap();
    let gz = gz.finish().unwrap();
    let t = write(dir.path(), "t.warc.gz", &gz[..gz.len() * 2 / 3]);
    let (_, _, errors) = run(&[t], &IngestOptions::default());
    assert_eq!(errors.len(), 1);
    assert!(
        errors[0].contains("t.warc.gz") && errors[0].contains("read error"),
        "{errors:?}"
    );
}

#[test]
fn feed_file() {
    let dir = tempfile::tempdir().unwrap();
    let atom = format!(
        r#"<?xml version="1.0" encoding="utf-8"?><feed xmlns="http://www.w3.org/2005/Atom"><title>Blog</title><id>x</id><updated>2023-09-23T00:00:00Z</updated>
        <entry><title>Eintrag</title><id>e1</id><link href="https://b.de/e1"/><published>2023-09-22T08:00:00Z</published><updated>2023-09-23T00:00:00Z</updated><content type="html">&lt;p&gt;{GERMAN}&lt;/p&gt;</content></entry></feed>"#
    );
    let f = write(dir.path(), "blog.atom", atom.as_bytes());
    let (docs, _, errors) = run(&[f], &IngestOptions::default());
    assert!(errors.is_empty(), "{errors:?}");
    assert_eq!(docs[0].id(), "blog-1");
    assert_eq!(docs[0].text(), GERMAN);
    assert_eq!(docs[0].meta.published.unwrap().to_string(), "2023-09-22");
    assert_eq!(docs[0].meta.source.as_deref(), Some("Blog"));
}

#[test]
fn garbage_bytes_never_panic() {
    let mut seed = 0x2545F4914F6CDD1Du64;
    let mut next = move || {
        seed ^= seed << 13;
        seed ^= seed >> 7;
        seed ^= seed << 17;
        seed
    };
    let dir = tempfile::tempdir().unwrap();
    let mut inputs = Vec::new();
    for (i, ext) in ["html", "jsonl", "rss", "warc", "warc.gz", "txt"]
        .iter()
        .enumerate()
    {
        for j in 0..5 {
            let len = (next() % 3000) as usize + 1;
            let mut bytes: Vec<u8> = (0..len).map(|_| next() as u8).collect();
            if j % 2 == 0 {
                let prefix: &[u8] = match *ext {
                    "warc" => b"WARC/1.0\r\nWARC-Type: response\r\nContent-Type: application/http\r\nContent-Length: 40\r\n\r\nHTTP/1.1 200 OK\r\n",
                    "html" | "rss" => b"<html><rss><feed><p>",
                    "jsonl" => b"{\"text\":",
                    _ => b"",
                };
                bytes.splice(0..0, prefix.iter().copied());
            }
            inputs.push(write(dir.path(), &format!("g{i}{j}.{ext}"), &bytes));
        }
    }
    let n = read(&inputs, &IngestOptions::default()).count();
    assert!(n >= inputs.len() / 2);
}
