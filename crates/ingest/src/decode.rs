//! Bytes to text. Valid UTF-8 is taken as is. Otherwise HTML uses its declared charset
//! (BOM, HTTP header, `<meta charset>`) and then `chardetng`'s guess; plain text with some valid
//! multi-byte UTF-8 is decoded lossily (stray bad bytes), else as the detected legacy charset.
//! Every non-UTF-8 decode is reported as a warning naming the first bad byte offset.

use encoding_rs::Encoding;

/// Decoded text plus a note when the input was not clean UTF-8.
pub struct Decoded {
    pub text: String,
    pub warning: Option<String>,
}

/// True when the bytes look binary (NUL bytes near the start), so they are not text at all.
pub fn looks_binary(bytes: &[u8]) -> bool {
    let head = &bytes[..bytes.len().min(8192)];
    memchr::memchr(0, head).is_some()
}

fn strip_bom(bytes: &[u8]) -> (&[u8], Option<&'static Encoding>) {
    match Encoding::for_bom(bytes) {
        Some((enc, len)) => (&bytes[len..], Some(enc)),
        None => (bytes, None),
    }
}

/// Plain text: UTF-8 when valid (BOM removed), otherwise see the module notes.
pub fn decode_text(bytes: &[u8]) -> Decoded {
    let (body, bom) = strip_bom(bytes);
    if let Some(enc) = bom.filter(|e| *e != encoding_rs::UTF_8) {
        let (text, _, bad) = enc.decode(bytes);
        return Decoded {
            text: text.into_owned(),
            warning: bad.then(|| format!("malformed {} replaced", enc.name())),
        };
    }
    match std::str::from_utf8(body) {
        Ok(s) => Decoded {
            text: s.to_string(),
            warning: None,
        },
        Err(e) => {
            let at = e.valid_up_to() + (bytes.len() - body.len());
            if has_utf8_multibyte(body) {
                Decoded {
                    text: String::from_utf8_lossy(body).into_owned(),
                    warning: Some(format!(
                        "invalid UTF-8 at byte {at}; bad bytes replaced with U+FFFD"
                    )),
                }
            } else {
                let enc = guess(body, None);
                Decoded {
                    text: enc.decode_without_bom_handling(body).0.into_owned(),
                    warning: Some(format!(
                        "invalid UTF-8 at byte {at}; decoded as {}",
                        enc.name()
                    )),
                }
            }
        }
    }
}

/// HTML: valid UTF-8 wins (declarations are often wrong), then BOM, the transport's charset
/// (`http_charset`), `<meta charset>`, and `chardetng` last.
pub fn decode_html(bytes: &[u8], http_charset: Option<&str>) -> Decoded {
    let (body, bom) = strip_bom(bytes);
    if bom.is_none() || bom == Some(encoding_rs::UTF_8) {
        if let Ok(s) = std::str::from_utf8(body) {
            return Decoded {
                text: s.to_string(),
                warning: None,
            };
        }
    }
    if bom.is_none() || bom == Some(encoding_rs::UTF_8) {
        if let Some(text) = repair_utf8(body) {
            let at = std::str::from_utf8(body)
                .err()
                .map_or(0, |e| e.valid_up_to());
            return Decoded {
                text,
                warning: Some(format!(
                    "invalid UTF-8 at byte {at}; stray bytes decoded as windows-1252"
                )),
            };
        }
    }
    let declared = bom
        .or_else(|| http_charset.and_then(|c| Encoding::for_label(c.trim().as_bytes())))
        .or_else(|| meta_charset(body))
        .filter(|e| *e != encoding_rs::UTF_8);
    let enc = declared.unwrap_or_else(|| guess(body, None));
    let (text, bad) = enc.decode_without_bom_handling(body);
    let warning = if enc == encoding_rs::UTF_8 || bad {
        let at = std::str::from_utf8(body)
            .err()
            .map_or(0, |e| e.valid_up_to());
        Some(format!(
            "invalid {} at byte {at}; bad bytes replaced with U+FFFD",
            enc.name()
        ))
    } else {
        None
    };
    Decoded {
        text: text.into_owned(),
        warning,
    }
}

/// Most bytes handed to the charset detector.
const DETECT_BYTES: usize = 16 << 10;

/// The detector's guess from the lines that hold non-ASCII bytes (the evidence; markup and
/// scripts are ASCII and only cost time), at most [`DETECT_BYTES`] of them.
fn guess(bytes: &[u8], tld: Option<&[u8]>) -> &'static Encoding {
    let mut det = chardetng::EncodingDetector::new();
    let mut fed = 0;
    for line in bytes.split(|&c| c == b'\n') {
        if fed >= DETECT_BYTES {
            break;
        }
        if line.is_ascii() {
            continue;
        }
        // A long line (minified HTML) is fed from its first non-ASCII byte on.
        let from = line.iter().position(|c| !c.is_ascii()).unwrap_or(0);
        let from = from.saturating_sub(256).min(line.len());
        let part = &line[from..line.len().min(from + DETECT_BYTES - fed)];
        det.feed(part, false);
        det.feed(b"\n", false);
        fed += part.len() + 1;
    }
    det.feed(b"", true);
    det.guess(tld, false)
}

/// UTF-8 text with a few stray single-byte characters (a template in UTF-8, an old post pasted
/// in Latin-1): the stray bytes decoded as windows-1252, when valid multi-byte characters
/// outnumber them. A page that is really in a legacy charset has almost no valid multi-byte
/// sequences.
fn repair_utf8(bytes: &[u8]) -> Option<String> {
    let (mut valid, mut invalid) = (0usize, 0usize);
    for chunk in bytes.utf8_chunks() {
        valid += chunk.valid().chars().filter(|c| !c.is_ascii()).count();
        invalid += chunk.invalid().len();
    }
    if valid <= invalid {
        return None;
    }
    let mut out = String::with_capacity(bytes.len() + invalid);
    for chunk in bytes.utf8_chunks() {
        out.push_str(chunk.valid());
        out.push_str(
            &encoding_rs::WINDOWS_1252
                .decode_without_bom_handling(chunk.invalid())
                .0,
        );
    }
    Some(out)
}

/// Whether some non-ASCII text decodes as UTF-8, i.e. the file is UTF-8 with stray bad bytes.
fn has_utf8_multibyte(bytes: &[u8]) -> bool {
    bytes.utf8_chunks().any(|chunk| !chunk.valid().is_ascii())
}

/// The charset named by `<meta charset=…>` or `<meta http-equiv … content="…charset=…">`
/// within the first 4 KiB, as the HTML prescan does.
fn meta_charset(bytes: &[u8]) -> Option<&'static Encoding> {
    let head = &bytes[..bytes.len().min(4096)];
    let lower: Vec<u8> = head.to_ascii_lowercase();
    let mut from = 0;
    while let Some(p) = memchr::memmem::find(&lower[from..], b"charset") {
        let mut i = from + p + 7;
        from = i;
        while i < lower.len() && matches!(lower[i], b' ' | b'=' | b'"' | b'\'') {
            i += 1;
        }
        let start = i;
        while i < lower.len()
            && (lower[i].is_ascii_alphanumeric() || matches!(lower[i], b'-' | b'_' | b':' | b'.'))
        {
            i += 1;
        }
        if i > start {
            if let Some(enc) = Encoding::for_label(&lower[start..i]) {
                // A page saying UTF-16 in ASCII-compatible bytes is really UTF-8 (HTML spec).
                return Some(
                    if enc == encoding_rs::UTF_16LE || enc == encoding_rs::UTF_16BE {
                        encoding_rs::UTF_8
                    } else {
                        enc
                    },
                );
            }
        }
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn utf8_passes_and_bom_is_removed() {
        let d = decode_text("\u{feff}Grüße".as_bytes());
        assert_eq!(d.text, "Grüße");
        assert!(d.warning.is_none());
    }

    #[test]
    fn latin1_text_is_detected() {
        let bytes = b"Gr\xfc\xdfe aus M\xfcnchen, sch\xf6ne Stra\xdfe und \xc4pfel.";
        let d = decode_text(bytes);
        assert_eq!(d.text, "Grüße aus München, schöne Straße und Äpfel.");
        assert!(d.warning.unwrap().contains("byte 2"));
    }

    #[test]
    fn stray_bad_byte_in_utf8_is_replaced() {
        let d = decode_text(b"Gr\xc3\xbc\xc3\x9fe \xff Ende");
        assert_eq!(d.text, "Grüße \u{FFFD} Ende");
        assert!(d.warning.unwrap().contains("byte 8"));
    }

    #[test]
    fn html_meta_charset_is_used() {
        let html = b"<html><head><meta charset=\"iso-8859-1\"></head><body>Stra\xdfe</body></html>";
        let d = decode_html(html, None);
        assert!(d.text.contains("Straße"));
        assert!(d.warning.is_none());
        // A wrong declaration does not spoil valid UTF-8.
        let html = "<meta charset=\"iso-8859-1\">Straße".as_bytes();
        assert!(decode_html(html, None).text.contains("Straße"));
    }

    #[test]
    fn mixed_utf8_page_keeps_its_utf8_and_repairs_stray_bytes() {
        let html =
            b"<meta charset=utf-8><p>Gr\xc3\xbc\xc3\x9fe aus M\xc3\xbcnchen, alt: M\xfcnchen</p>";
        let d = decode_html(html, None);
        assert!(
            d.text.contains("Grüße aus München, alt: München"),
            "{}",
            d.text
        );
        assert!(d.warning.unwrap().contains("windows-1252"));
        // A Latin-1 page with one accidental UTF-8-looking pair stays Latin-1.
        let html = b"<meta charset=iso-8859-1><p>Gr\xfc\xdfe aus M\xfcnchen \xc2\xa9</p>";
        assert!(decode_html(html, None).text.contains("Grüße aus München"));
    }

    #[test]
    fn binary_is_recognised() {
        assert!(looks_binary(b"PK\x03\x04\x00\x00"));
        assert!(!looks_binary(b"plain text"));
    }
}
