//! Compact storage of annotations: tokens and sentences (hundreds of spans per article) as
//! zigzag-varint deltas, the rest as JSON. Keeps a 100k-article store in the low GB range.

use anyhow::{bail, Context, Result};
use lagebild_core::{Annotations, Span};

/// Splits annotations into JSON (without tokens and sentences) and packed span lists.
pub fn encode(ann: &Annotations) -> Result<(String, Vec<u8>)> {
    let mut rest = ann.clone();
    let tokens = std::mem::take(&mut rest.tokens);
    let sentences = std::mem::take(&mut rest.sentences);
    let mut packed = Vec::with_capacity(tokens.len() * 2 + sentences.len() * 3 + 8);
    pack(&tokens, &mut packed);
    pack(&sentences, &mut packed);
    Ok((serde_json::to_string(&rest)?, packed))
}

/// Inverse of [`encode`].
pub fn decode(json: &str, packed: &[u8]) -> Result<Annotations> {
    let mut ann: Annotations = serde_json::from_str(json).context("annotations JSON")?;
    let mut pos = 0;
    ann.tokens = unpack(packed, &mut pos).context("packed tokens")?;
    ann.sentences = unpack(packed, &mut pos).context("packed sentences")?;
    Ok(ann)
}

fn pack(spans: &[Span], out: &mut Vec<u8>) {
    put(out, spans.len() as u64);
    let mut prev = 0i64;
    for s in spans {
        put(out, zigzag(s.start as i64 - prev));
        put(out, (s.end - s.start.min(s.end)) as u64);
        prev = s.end as i64;
    }
}

fn unpack(bytes: &[u8], pos: &mut usize) -> Result<Vec<Span>> {
    let n = get(bytes, pos)? as usize;
    let mut spans = Vec::with_capacity(n.min(bytes.len()));
    let mut prev = 0i64;
    for _ in 0..n {
        let start = prev + unzigzag(get(bytes, pos)?);
        let len = get(bytes, pos)? as i64;
        if start < 0 {
            bail!("negative span start");
        }
        spans.push(Span::new(start as usize, (start + len) as usize));
        prev = start + len;
    }
    Ok(spans)
}

fn zigzag(v: i64) -> u64 {
    ((v << 1) ^ (v >> 63)) as u64
}

fn unzigzag(v: u64) -> i64 {
    ((v >> 1) as i64) ^ -((v & 1) as i64)
}

fn put(out: &mut Vec<u8>, mut v: u64) {
    while v >= 0x80 {
        out.push((v as u8) | 0x80);
        v >>= 7;
    }
    out.push(v as u8);
}

fn get(bytes: &[u8], pos: &mut usize) -> Result<u64> {
    let mut v = 0u64;
    for shift in (0..64).step_by(7) {
        let Some(&b) = bytes.get(*pos) else {
            bail!("truncated varint");
        };
        *pos += 1;
        v |= u64::from(b & 0x7f) << shift;
        if b < 0x80 {
            return Ok(v);
        }
    }
    bail!("varint too long")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn round_trips_spans_and_json() {
        let mut ann = Annotations {
            tokens: vec![
                Span::new(0, 4),
                Span::new(5, 9),
                Span::new(9, 10),
                Span::new(300, 1000),
            ],
            sentences: vec![Span::new(0, 10), Span::new(3, 4)],
            ..Annotations::default()
        };
        ann.boilerplate.push(lagebild_core::Boilerplate {
            span: Span::new(11, 20),
            kind: "ad".into(),
        });
        let (json, packed) = encode(&ann).unwrap();
        assert!(!json.contains("300"), "tokens are not in the JSON");
        assert_eq!(decode(&json, &packed).unwrap(), ann);
    }

    #[test]
    fn rejects_truncated_input() {
        let ann = Annotations {
            tokens: vec![Span::new(0, 200)],
            ..Annotations::default()
        };
        let (json, packed) = encode(&ann).unwrap();
        assert!(decode(&json, &packed[..packed.len() - 2]).is_err());
    }
}
