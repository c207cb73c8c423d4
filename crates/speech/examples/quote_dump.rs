//! Error analysis aid: runs segment, time, entities and quotes over a quotation-wikinews
//! directory and prints the system quotations of each file as one JSON line (char spans).
//! `cargo run -p lagebild-speech --release --example quote_dump -- DIR [LIMIT] > out.jsonl`
//! With `-` as DIR, every line of standard input is one document (for trying sentences);
//! `.txt` files in DIR are read whole. Both print one readable line per quotation.

use lagebild_core::{Annotations, Document, DocumentStage, Metadata, Origin, Span};
use std::path::PathBuf;

fn span(s: Span) -> [usize; 2] {
    [s.start, s.end]
}

fn main() -> anyhow::Result<()> {
    let mut args = std::env::args().skip(1);
    let dir = args
        .next()
        .ok_or_else(|| anyhow::anyhow!("usage: quote_dump DIR [LIMIT]"))?;
    let limit: usize = args.next().map_or(Ok(usize::MAX), |l| l.parse())?;
    let docs: Vec<(PathBuf, String)> = if dir == "-" {
        std::io::stdin()
            .lines()
            .map(|l| Ok((PathBuf::from("stdin"), l?)))
            .collect::<std::io::Result<_>>()?
    } else {
        let mut files: Vec<_> = std::fs::read_dir(&dir)?
            .filter_map(|e| e.ok().map(|e| e.path()))
            .filter(|p| p.extension().is_some_and(|x| x == "json" || x == "txt"))
            .collect();
        files.sort();
        files.truncate(limit);
        files
            .into_iter()
            .map(|p| {
                let raw = std::fs::read_to_string(&p)?;
                if p.extension().is_some_and(|x| x == "txt") {
                    return Ok((p, raw));
                }
                let raw: serde_json::Value = serde_json::from_str(&raw)?;
                let text = raw["originalText"].as_str().unwrap_or_default().to_string();
                Ok((p, text))
            })
            .collect::<anyhow::Result<_>>()?
    };
    let segment = lagebild_segment::Segmenter::new();
    let time = lagebild_time::TemporalTagger::new();
    let entities = lagebild_entities::EntityRecognizer::new();
    let quotes = lagebild_speech::QuoteExtractor::new();
    // Plain text (standard input or .txt files) is shown as readable lines, not JSON.
    let readable = |p: &std::path::Path| dir == "-" || p.extension().is_some_and(|x| x == "txt");
    for (path, text) in docs {
        let doc = Document::new(
            Metadata {
                language: Some("de".into()),
                ..Metadata::default()
            },
            Origin {
                path: path.display().to_string(),
                record: None,
            },
            text,
        );
        let mut ann = Annotations::default();
        segment.annotate(&doc, &mut ann);
        time.annotate(&doc, &mut ann);
        entities.annotate(&doc, &mut ann);
        quotes.annotate(&doc, &mut ann);
        let qs: Vec<_> = ann
            .quotes
            .iter()
            .map(|q| {
                serde_json::json!({
                    "quote": span(q.span),
                    "kind": q.kind,
                    "speaker": q.speaker.as_ref().map(|e| span(e.span)),
                    "cue": q.cue.as_ref().map(|e| span(e.span)),
                    "mention": q.speaker_mention.map(|m| &ann.mentions[m].text),
                })
            })
            .collect();
        let mentions: Vec<_> = ann
            .mentions
            .iter()
            .map(|m| serde_json::json!([m.span.start, m.span.end, m.kind]))
            .collect();
        if readable(&path) {
            for q in &ann.quotes {
                println!(
                    "{:?} «{}» speaker={:?} cue={:?} mention={:?}",
                    q.kind,
                    q.text,
                    q.speaker.as_ref().map(|e| &e.text),
                    q.cue.as_ref().map(|e| &e.text),
                    q.speaker_mention.map(|m| &ann.mentions[m].text)
                );
            }
            continue;
        }
        println!(
            "{}",
            serde_json::json!({"file": path.file_name().map(|f| f.to_string_lossy().to_string()), "quotes": qs, "mentions": mentions})
        );
    }
    Ok(())
}
