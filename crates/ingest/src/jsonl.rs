//! JSON Lines: one document per line with `id, url, source, title, published` and `text` or
//! `html` (main content extracted). Lines are read one at a time with a size limit, so a huge
//! file or a giant single line never exhausts memory.

use crate::{Context, Ingested};
use lagebild_core::{InputError, Metadata, Origin};
use serde_json::Value;
use std::io::BufRead;
use std::sync::Arc;

/// A line of a byte stream, or why it could not be had.
pub enum Line {
    Ok(Vec<u8>),
    TooLong(usize),
    Io(std::io::Error),
}

/// Splits a reader into `\n`-terminated lines of at most `max` bytes; longer lines are
/// skipped (reported as [`Line::TooLong`]) without being held in memory.
pub struct Lines<R> {
    reader: R,
    max: usize,
    done: bool,
}

impl<R: BufRead> Lines<R> {
    pub fn new(reader: R, max: usize) -> Self {
        Lines {
            reader,
            max,
            done: false,
        }
    }
}

impl<R: BufRead> Iterator for Lines<R> {
    type Item = Line;

    fn next(&mut self) -> Option<Line> {
        if self.done {
            return None;
        }
        let mut line = Vec::new();
        let mut len = 0usize;
        loop {
            let buf = match self.reader.fill_buf() {
                Ok(b) => b,
                Err(e) if e.kind() == std::io::ErrorKind::Interrupted => continue,
                Err(e) => {
                    self.done = true;
                    return Some(Line::Io(e));
                }
            };
            if buf.is_empty() {
                self.done = true;
                return if len == 0 {
                    None
                } else if len > self.max {
                    Some(Line::TooLong(len))
                } else {
                    Some(Line::Ok(line))
                };
            }
            let (chunk, found) = match memchr::memchr(b'\n', buf) {
                Some(i) => (&buf[..i], Some(i + 1)),
                None => (buf, None),
            };
            len += chunk.len();
            if len <= self.max {
                line.extend_from_slice(chunk);
            } else {
                line = Vec::new();
            }
            let consumed = found.unwrap_or(chunk.len());
            self.reader.consume(consumed);
            if found.is_some() {
                return Some(if len > self.max {
                    Line::TooLong(len)
                } else {
                    Line::Ok(line)
                });
            }
        }
    }
}

/// Reads a JSON Lines stream lazily; `stem` names documents whose line has no `id`.
pub fn read(
    reader: Box<dyn BufRead + Send>,
    path: String,
    stem: String,
    ctx: Arc<Context>,
) -> impl Iterator<Item = Ingested> + Send {
    let max = ctx.opts.max_record_bytes;
    Lines::new(reader, max)
        .enumerate()
        .flat_map(move |(i, line)| {
            let origin = Origin {
                path: path.clone(),
                record: Some(i as u64 + 1),
            };
            match line {
                Line::Ok(bytes) => record(&bytes, origin, &stem, &ctx),
                Line::TooLong(n) => vec![Ingested::Error(InputError::new(
                    origin,
                    format!("line of {n} bytes exceeds the limit of {max} bytes"),
                ))],
                Line::Io(e) => vec![Ingested::Error(InputError::new(
                    origin,
                    format!("read error: {e}"),
                ))],
            }
        })
}

fn record(bytes: &[u8], origin: Origin, stem: &str, ctx: &Context) -> Vec<Ingested> {
    let mut out = Vec::new();
    if bytes.iter().all(u8::is_ascii_whitespace) {
        return out;
    }
    let text = match std::str::from_utf8(bytes) {
        Ok(s) => std::borrow::Cow::Borrowed(s),
        Err(e) => {
            out.push(Ingested::Warning(InputError::new(
                origin.clone(),
                format!(
                    "invalid UTF-8 at byte {} of the line; replaced",
                    e.valid_up_to()
                ),
            )));
            String::from_utf8_lossy(bytes)
        }
    };
    let value: Value = match serde_json::from_str(&text) {
        Ok(Value::Object(map)) => Value::Object(map),
        Ok(_) => {
            out.push(Ingested::Error(InputError::new(
                origin,
                "line is not a JSON object",
            )));
            return out;
        }
        Err(e) => {
            out.push(Ingested::Error(InputError::new(
                origin,
                format!("invalid JSON: {e}"),
            )));
            return out;
        }
    };
    let field = |k: &str| match value.get(k) {
        Some(Value::String(s)) if !s.trim().is_empty() => Some(s.clone()),
        Some(Value::Number(n)) => Some(n.to_string()),
        _ => None,
    };
    let published = match field("published") {
        Some(p) => {
            let d = crate::dates::parse_date(&p);
            if d.is_none() {
                out.push(Ingested::Warning(InputError::new(
                    origin.clone(),
                    format!("unreadable published date {p:?} ignored"),
                )));
            }
            d
        }
        None => None,
    };
    let meta = Metadata {
        id: field("id").unwrap_or_else(|| format!("{stem}-{}", origin.record.unwrap_or(0))),
        source: field("source"),
        url: field("url"),
        title: field("title"),
        published,
        language: field("language"),
    };
    let doc = if let Some(text) = field("text") {
        ctx.document(meta, origin, text, None)
    } else if let Some(html) = field("html") {
        let url = meta.url.clone();
        ctx.html_document(meta, origin, &html, url.as_deref())
    } else {
        Ingested::Error(InputError::new(origin, "no \"text\" or \"html\" field"))
    };
    out.push(doc);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn lines(input: &[u8], max: usize) -> Vec<String> {
        Lines::new(input, max)
            .map(|l| match l {
                Line::Ok(b) => String::from_utf8(b).unwrap(),
                Line::TooLong(n) => format!("<{n}>"),
                Line::Io(e) => format!("!{e}"),
            })
            .collect()
    }

    #[test]
    fn splits_and_bounds_lines() {
        assert_eq!(lines(b"a\nbb\n\nccc", 10), ["a", "bb", "", "ccc"]);
        assert_eq!(
            lines(b"short\nwaytoolong\nok\n", 5),
            ["short", "<10>", "ok"]
        );
        assert_eq!(lines(b"", 5), Vec::<String>::new());
    }
}
