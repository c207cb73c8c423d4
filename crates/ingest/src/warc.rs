//! WARC and WARC.gz read as a stream, one record at a time: HTML responses become documents;
//! other records are skipped without being held in memory. A record with a wrong length is
//! reported and the reader resynchronises at the next `WARC/` header line; a truncated or
//! corrupt gzip member ends the file with an error.

use crate::{decode, Context, Ingested};
use lagebild_core::{InputError, Metadata, Origin};
use std::io::{BufRead, Read};
use std::sync::Arc;

/// Longest header line and most header bytes accepted per record.
const MAX_HEADER_LINE: usize = 64 << 10;
const MAX_HEADER_BYTES: usize = 1 << 20;

/// One record's header fields (those lagebild uses) and its block, if kept.
#[derive(Debug, Default)]
pub struct Record {
    pub number: u64,
    pub warc_type: String,
    pub target_uri: Option<String>,
    pub content_type: Option<String>,
    /// The block when the record is an HTTP response within the size limit.
    pub block: Option<Vec<u8>>,
}

type Reader = Box<dyn BufRead + Send>;

/// Streaming WARC record reader.
pub struct Records {
    reader: Reader,
    max_block: usize,
    number: u64,
    /// A `WARC/` line already read while resynchronising.
    pending: Option<Vec<u8>>,
    done: bool,
}

impl Records {
    pub fn new(reader: Reader, max_block: usize) -> Self {
        Records {
            reader,
            max_block,
            number: 0,
            pending: None,
            done: false,
        }
    }

    /// Reads one line (with its `\n`), at most `MAX_HEADER_LINE` bytes kept; `None` at the end.
    fn line(&mut self) -> std::io::Result<Option<Vec<u8>>> {
        let mut line = Vec::new();
        let n = (&mut self.reader)
            .take(MAX_HEADER_LINE as u64)
            .read_until(b'\n', &mut line)?;
        Ok((n > 0).then_some(line))
    }

    /// Skips to the next line starting with `WARC/` and keeps it as the next header start.
    fn resync(&mut self) -> std::io::Result<()> {
        while let Some(line) = self.line()? {
            if line.starts_with(b"WARC/") {
                self.pending = Some(line);
                return Ok(());
            }
        }
        Ok(())
    }

    fn read_record(&mut self) -> Result<Option<Record>, String> {
        let first = match self.pending.take() {
            Some(l) => l,
            None => loop {
                match self.line().map_err(|e| format!("read error: {e}"))? {
                    None => return Ok(None),
                    Some(l) if l.iter().all(u8::is_ascii_whitespace) => continue,
                    Some(l) => break l,
                }
            },
        };
        self.number += 1;
        if !first.starts_with(b"WARC/") {
            self.resync().map_err(|e| format!("read error: {e}"))?;
            return Err(format!(
                "expected a WARC/ header line, found {:?}",
                String::from_utf8_lossy(&first[..first.len().min(40)])
            ));
        }
        let mut rec = Record {
            number: self.number,
            ..Record::default()
        };
        let mut length: Option<u64> = None;
        let mut header_bytes = first.len();
        loop {
            let line = self
                .line()
                .map_err(|e| format!("read error in header: {e}"))?
                .ok_or("file ends inside a record header")?;
            header_bytes += line.len();
            if header_bytes > MAX_HEADER_BYTES {
                self.resync().map_err(|e| format!("read error: {e}"))?;
                return Err("record header too large".into());
            }
            let line = String::from_utf8_lossy(&line);
            let line = line.trim_end_matches(['\r', '\n']);
            if line.is_empty() {
                break;
            }
            let Some((name, value)) = line.split_once(':') else {
                continue;
            };
            let value = value.trim();
            match name.trim().to_ascii_lowercase().as_str() {
                "content-length" => {
                    length = Some(
                        value
                            .parse()
                            .map_err(|_| format!("bad Content-Length {value:?}"))?,
                    )
                }
                "warc-type" => rec.warc_type = value.to_ascii_lowercase(),
                "warc-target-uri" => {
                    rec.target_uri = Some(value.trim_matches(['<', '>']).to_string())
                }
                "content-type" => rec.content_type = Some(value.to_ascii_lowercase()),
                _ => {}
            }
        }
        let length = length.ok_or("record without Content-Length")?;
        let wanted = rec.warc_type == "response"
            && rec
                .content_type
                .as_deref()
                .is_some_and(|c| c.starts_with("application/http"));
        if length > self.max_block as u64 {
            // Too large to keep: skip it as a stream.
            let skipped = std::io::copy(&mut (&mut self.reader).take(length), &mut std::io::sink())
                .map_err(|e| format!("read error in block: {e}"))?;
            if skipped < length {
                self.done = true;
                return Err(format!(
                    "file ends inside the record ({skipped} of {length} bytes)"
                ));
            }
            if !self.tail_ok()? {
                self.resync().map_err(|e| format!("read error: {e}"))?;
                return Err(format!(
                    "Content-Length {length} does not match the record; skipped to the next record"
                ));
            }
            return Ok(Some(rec));
        }
        let mut block = Vec::with_capacity(length as usize);
        (&mut self.reader)
            .take(length)
            .read_to_end(&mut block)
            .map_err(|e| format!("read error in block: {e}"))?;
        let complete = block.len() as u64 == length;
        if !complete || !self.tail_ok()? {
            // The length was wrong. If the next record starts inside what was read, put that
            // part back in front of the stream; else skip to the next header line.
            match memchr::memmem::find(&block, b"\r\n\r\nWARC/") {
                Some(at) => {
                    let rest = block.split_off(at + 4);
                    let old = std::mem::replace(&mut self.reader, Box::new(std::io::empty()));
                    self.reader = Box::new(std::io::Cursor::new(rest).chain(old));
                    self.done = false;
                }
                None if !complete => self.done = true,
                None => self.resync().map_err(|e| format!("read error: {e}"))?,
            }
            return Err(format!(
                "Content-Length {length} does not match the record ({} bytes); skipped",
                block.len()
            ));
        }
        if wanted {
            rec.block = Some(block);
        }
        Ok(Some(rec))
    }

    /// Whether the block is followed by the CRLF CRLF that ends every record.
    fn tail_ok(&mut self) -> Result<bool, String> {
        let mut tail = [0u8; 4];
        let mut got = 0;
        while got < 4 {
            match self.reader.read(&mut tail[got..]) {
                Ok(0) => break,
                Ok(n) => got += n,
                Err(e) if e.kind() == std::io::ErrorKind::Interrupted => {}
                Err(e) => return Err(format!("read error: {e}")),
            }
        }
        // A missing tail at the very end of the file is tolerated.
        Ok(got == 0 || tail[..got] == b"\r\n\r\n"[..got] && got == 4)
    }
}

impl Iterator for Records {
    type Item = Result<Record, (u64, String)>;

    fn next(&mut self) -> Option<Self::Item> {
        if self.done {
            return None;
        }
        match self.read_record() {
            Ok(Some(r)) => Some(Ok(r)),
            Ok(None) => {
                self.done = true;
                None
            }
            Err(e) => {
                // An I/O error (e.g. truncated gzip) cannot be recovered from.
                if e.starts_with("read error") {
                    self.done = true;
                }
                Some(Err((self.number, e)))
            }
        }
    }
}

/// An HTML payload and the charset its HTTP header declares.
pub type Payload = (Vec<u8>, Option<String>);

/// The HTML payload of an HTTP response block with its declared charset, or why there is none.
/// `Ok(None)` for responses that are not 2xx HTML.
pub fn http_html(block: &[u8]) -> Result<Option<Payload>, String> {
    let mut headers = [httparse::EMPTY_HEADER; 128];
    let mut resp = httparse::Response::new(&mut headers);
    let body_at = match resp.parse(block) {
        Ok(httparse::Status::Complete(n)) => n,
        Ok(httparse::Status::Partial) => return Err("truncated HTTP header".into()),
        Err(e) => return Err(format!("bad HTTP response: {e}")),
    };
    if !resp.code.is_some_and(|c| (200..300).contains(&c)) {
        return Ok(None);
    }
    let header = |name: &str| {
        resp.headers
            .iter()
            .find(|h| h.name.eq_ignore_ascii_case(name))
            .map(|h| String::from_utf8_lossy(h.value).to_ascii_lowercase())
    };
    let content_type = header("content-type");
    let body = &block[body_at..];
    let is_html = match &content_type {
        Some(ct) => ct.contains("html"),
        None => crate::source::sniff(&body[..body.len().min(512)]) == crate::source::Kind::Html,
    };
    if !is_html {
        return Ok(None);
    }
    let mut body = body.to_vec();
    if header("transfer-encoding").is_some_and(|t| t.contains("chunked")) {
        if let Some(b) = dechunk(&body) {
            body = b;
        }
    }
    if header("content-encoding").is_some_and(|e| e.contains("gzip")) {
        let mut out = Vec::new();
        if flate2::read::MultiGzDecoder::new(&body[..])
            .read_to_end(&mut out)
            .is_ok()
        {
            body = out;
        }
    }
    let charset = content_type
        .as_deref()
        .and_then(|ct| ct.split_once("charset="))
        .map(|(_, c)| c.trim_matches(['"', '\'', ' ', ';']).to_string());
    Ok(Some((body, charset)))
}

/// Undoes chunked transfer encoding; `None` when the body is not validly chunked.
fn dechunk(mut b: &[u8]) -> Option<Vec<u8>> {
    let mut out = Vec::new();
    loop {
        let end = memchr::memmem::find(b, b"\r\n")?;
        let size_str = std::str::from_utf8(&b[..end]).ok()?;
        let size = usize::from_str_radix(size_str.split(';').next()?.trim(), 16).ok()?;
        b = &b[end + 2..];
        if size == 0 {
            return Some(out);
        }
        out.extend_from_slice(b.get(..size)?);
        b = b.get(size + 2..)?;
    }
}

/// Documents of a WARC stream: one per HTML response record.
pub(crate) fn documents(
    reader: Box<dyn BufRead + Send>,
    path: String,
    stem: String,
    ctx: Arc<Context>,
) -> impl Iterator<Item = Ingested> + Send {
    let max = ctx.opts.max_record_bytes;
    Records::new(reader, max).filter_map(move |rec| {
        let origin = |n: u64| Origin {
            path: path.clone(),
            record: Some(n),
        };
        let rec = match rec {
            Ok(r) => r,
            Err((n, e)) => return Some(Ingested::Error(InputError::new(origin(n), e))),
        };
        let block = rec.block?;
        let (body, charset) = match http_html(&block) {
            Ok(Some(x)) => x,
            Ok(None) => return None,
            Err(e) => return Some(Ingested::Error(InputError::new(origin(rec.number), e))),
        };
        let html = decode::decode_html(&body, charset.as_deref());
        let meta = Metadata {
            id: format!("{stem}-{}", rec.number),
            url: rec.target_uri.clone(),
            ..Metadata::default()
        };
        Some(ctx.html_document(
            meta,
            origin(rec.number),
            &html.text,
            rec.target_uri.as_deref(),
        ))
    })
}

/// Writes one WARC response record (for tests and the benchmark's archive).
pub fn write_response(
    out: &mut impl std::io::Write,
    uri: &str,
    html: &[u8],
) -> std::io::Result<()> {
    let http = [
        &b"HTTP/1.1 200 OK\r\nContent-Type: text/html\r\n"[..],
        format!("Content-Length: {}\r\n\r\n", html.len()).as_bytes(),
        html,
    ]
    .concat();
    write!(
        out,
        "WARC/1.0\r\nWARC-Type: response\r\nWARC-Target-URI: {uri}\r\nContent-Type: application/http; msgtype=response\r\nContent-Length: {}\r\n\r\n",
        http.len()
    )?;
    out.write_all(&http)?;
    out.write_all(b"\r\n\r\n")
}
