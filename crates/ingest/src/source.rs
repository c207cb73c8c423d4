//! Input dispatch: paths, directories (recursive, sorted), stdin and URLs, by kind.

use crate::{decode, feed, fetch, jsonl, warc, Context, Ingested};
use lagebild_core::{InputError, Metadata, Origin};
use std::io::{BufRead, BufReader, Read};
use std::path::{Path, PathBuf};
use std::sync::Arc;

/// What a file holds, from its name or (stdin, downloads) its first bytes.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Kind {
    Text,
    JsonLines,
    Html,
    Feed,
    Warc,
    WarcGz,
}

type Items = Box<dyn Iterator<Item = Ingested> + Send>;

fn one(item: Ingested) -> Items {
    Box::new(std::iter::once(item))
}

fn error(path: &str, reason: impl Into<String>) -> Items {
    one(Ingested::Error(InputError::new(
        Origin {
            path: path.to_string(),
            record: None,
        },
        reason,
    )))
}

/// The kind of a file by its name; `None` for unknown extensions.
pub fn kind_of_name(name: &str) -> Option<Kind> {
    let lower = name.to_ascii_lowercase();
    let kind = if lower.ends_with(".warc.gz") {
        Kind::WarcGz
    } else if lower.ends_with(".warc") {
        Kind::Warc
    } else {
        match lower.rsplit_once('.')?.1 {
            "txt" | "text" => Kind::Text,
            "jsonl" | "ndjson" => Kind::JsonLines,
            "html" | "htm" | "xhtml" => Kind::Html,
            "rss" | "atom" | "xml" | "json" | "feed" => Kind::Feed,
            _ => return None,
        }
    };
    Some(kind)
}

/// The kind of content from its first bytes (stdin, downloads).
pub fn sniff(head: &[u8]) -> Kind {
    if head.starts_with(&[0x1f, 0x8b]) {
        return Kind::WarcGz;
    }
    if head.starts_with(b"WARC/") {
        return Kind::Warc;
    }
    let start = head
        .iter()
        .position(|b| !b.is_ascii_whitespace() && !matches!(b, 0xEF | 0xBB | 0xBF))
        .unwrap_or(head.len());
    let t =
        String::from_utf8_lossy(&head[start..head.len().min(start + 1024)]).to_ascii_lowercase();
    if t.starts_with('{') {
        // A JSON Feed is one object over many lines; JSON Lines has one object per line.
        if t.contains("jsonfeed.org") {
            Kind::Feed
        } else {
            Kind::JsonLines
        }
    } else if t.starts_with('<') {
        if t.contains("<rss") || t.contains("<feed") || t.contains("<rdf:rdf") {
            Kind::Feed
        } else {
            Kind::Html
        }
    } else {
        Kind::Text
    }
}

/// Items of one input argument.
pub fn open(input: String, ctx: Arc<Context>) -> Items {
    if input == "-" {
        return stdin(ctx);
    }
    if input.starts_with("http://") || input.starts_with("https://") {
        return fetch::url(&input, ctx);
    }
    let path = PathBuf::from(&input);
    match std::fs::metadata(&path) {
        Err(e) => error(&input, format!("cannot open: {e}")),
        Ok(m) if m.is_dir() => directory(path, ctx),
        Ok(_) => file(&path, ctx),
    }
}

/// Files of a directory tree in sorted order (hidden entries skipped), read lazily.
fn directory(root: PathBuf, ctx: Arc<Context>) -> Items {
    let mut files = Vec::new();
    let mut errors = Vec::new();
    let mut pending = vec![root];
    while let Some(dir) = pending.pop() {
        let entries = match std::fs::read_dir(&dir) {
            Ok(e) => e,
            Err(e) => {
                errors.push((
                    dir.display().to_string(),
                    format!("cannot read directory: {e}"),
                ));
                continue;
            }
        };
        let mut children: Vec<PathBuf> = entries
            .filter_map(|e| e.ok())
            .map(|e| e.path())
            .filter(|p| {
                !p.file_name()
                    .is_some_and(|n| n.to_string_lossy().starts_with('.'))
            })
            .collect();
        children.sort();
        // Depth-first in sorted order: subdirectories are visited where they sort.
        for child in children.into_iter().rev() {
            if child.is_dir() {
                pending.push(child);
            } else {
                files.push(child);
            }
        }
    }
    files.sort();
    let errors = errors.into_iter().flat_map(|(p, r)| error(&p, r));
    Box::new(errors.chain(files.into_iter().flat_map(move |f| file(&f, ctx.clone()))))
}

fn stem_of(path: &Path) -> String {
    let name = path
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    let lower = name.to_ascii_lowercase();
    for ext in [".warc.gz", ".warc"] {
        if lower.ends_with(ext) {
            return name[..name.len() - ext.len()].to_string();
        }
    }
    path.file_stem()
        .map(|s| s.to_string_lossy().into_owned())
        .unwrap_or(name)
}

fn file(path: &Path, ctx: Arc<Context>) -> Items {
    let name = path.display().to_string();
    let Some(kind) = kind_of_name(&name) else {
        return error(
            &name,
            "unknown file type (expected .txt, .jsonl, .html, .rss/.atom/.xml, .warc or .warc.gz)",
        );
    };
    let f = match std::fs::File::open(path) {
        Ok(f) => f,
        Err(e) => return error(&name, format!("cannot open: {e}")),
    };
    match f.metadata() {
        Ok(m) if m.len() == 0 => return error(&name, "empty file"),
        _ => {}
    }
    let reader: Box<dyn BufRead + Send> = Box::new(BufReader::with_capacity(1 << 16, f));
    stream(kind, reader, name, stem_of(path), ctx)
}

fn stdin(ctx: Arc<Context>) -> Items {
    let mut reader: Box<dyn BufRead + Send> =
        Box::new(BufReader::with_capacity(1 << 16, std::io::stdin()));
    let kind = match reader.fill_buf() {
        Ok([]) => return error("-", "empty input"),
        Ok(head) => sniff(head),
        Err(e) => return error("-", format!("cannot read stdin: {e}")),
    };
    stream(kind, reader, "-".to_string(), "stdin".to_string(), ctx)
}

/// Items of an open reader: kind from `name`, else sniffed.
pub fn reader(name: &str, mut reader: Box<dyn BufRead + Send>, ctx: Arc<Context>) -> Items {
    let kind = match kind_of_name(name) {
        Some(k) => k,
        None => match reader.fill_buf() {
            Ok([]) => return error(name, "empty input"),
            Ok(head) => sniff(head),
            Err(e) => return error(name, format!("read error: {e}")),
        },
    };
    let stem = stem_of(Path::new(name));
    stream(kind, reader, name.to_string(), stem, ctx)
}

/// Reads a whole single-document input, bounded by the record limit.
pub fn read_bounded(reader: &mut dyn Read, max: usize) -> Result<Vec<u8>, String> {
    let mut bytes = Vec::new();
    reader
        .take(max as u64 + 1)
        .read_to_end(&mut bytes)
        .map_err(|e| format!("read error: {e}"))?;
    if bytes.len() > max {
        return Err(format!("larger than the limit of {max} bytes"));
    }
    Ok(bytes)
}

/// Items of one stream of a known kind.
pub fn stream(
    kind: Kind,
    mut reader: Box<dyn BufRead + Send>,
    path: String,
    stem: String,
    ctx: Arc<Context>,
) -> Items {
    let origin = Origin {
        path: path.clone(),
        record: None,
    };
    match kind {
        Kind::JsonLines => Box::new(jsonl::read(reader, path, stem, ctx)),
        Kind::Warc => Box::new(warc::documents(reader, path, stem, ctx)),
        Kind::WarcGz => {
            let gz = flate2::bufread::MultiGzDecoder::new(reader);
            Box::new(warc::documents(
                Box::new(BufReader::new(gz)),
                path,
                stem,
                ctx,
            ))
        }
        Kind::Text | Kind::Html | Kind::Feed => {
            let bytes = match read_bounded(&mut reader, ctx.opts.max_record_bytes) {
                Ok(b) => b,
                Err(e) => return error(&path, e),
            };
            if bytes.is_empty() {
                return error(&path, "empty file");
            }
            if decode::looks_binary(&bytes)
                && !bytes.starts_with(&[0xFF, 0xFE])
                && !bytes.starts_with(&[0xFE, 0xFF])
            {
                return error(&path, "binary file, not text");
            }
            match kind {
                Kind::Feed => feed::read(&bytes, path, stem, ctx),
                Kind::Html => {
                    let d = decode::decode_html(&bytes, None);
                    let warning = d
                        .warning
                        .map(|w| Ingested::Warning(InputError::new(origin.clone(), w)));
                    let meta = Metadata {
                        id: stem,
                        ..Metadata::default()
                    };
                    let doc = ctx.html_document(meta, origin, &d.text, None);
                    Box::new(warning.into_iter().chain(std::iter::once(doc)))
                }
                _ => {
                    let d = decode::decode_text(&bytes);
                    let warning = d
                        .warning
                        .map(|w| Ingested::Warning(InputError::new(origin.clone(), w)));
                    let meta = Metadata {
                        id: stem,
                        ..Metadata::default()
                    };
                    let doc = ctx.document(meta, origin, d.text, None);
                    Box::new(warning.into_iter().chain(std::iter::once(doc)))
                }
            }
        }
    }
}
