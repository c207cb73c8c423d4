//! Error analysis aid: runs segment, time, entities and quotes over a quotation-wikinews
//! directory and prints the system quotations of each file as one JSON line (char spans).
//! `cargo run -p lagebild-speech --release --example quote_dump -- DIR [LIMIT] > out.jsonl`

use lagebild_core::{Annotations, Document, DocumentStage, Metadata, Origin, Span};

fn span(s: Span) -> [usize; 2] {
    [s.start, s.end]
}

fn main() -> anyhow::Result<()> {
    let mut args = std::env::args().skip(1);
    let dir = args
        .next()
        .ok_or_else(|| anyhow::anyhow!("usage: quote_dump DIR [LIMIT]"))?;
    let limit: usize = args.next().map_or(Ok(usize::MAX), |l| l.parse())?;
    let mut files: Vec<_> = std::fs::read_dir(&dir)?
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.extension().is_some_and(|x| x == "json"))
        .collect();
    files.sort();
    files.truncate(limit);
    let segment = lagebild_segment::Segmenter::new();
    let time = lagebild_time::TemporalTagger::new();
    let entities = lagebild_entities::EntityRecognizer::new();
    let quotes = lagebild_speech::QuoteExtractor::new();
    for path in files {
        let raw: serde_json::Value = serde_json::from_str(&std::fs::read_to_string(&path)?)?;
        let text = raw["originalText"].as_str().unwrap_or_default().to_string();
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
        println!(
            "{}",
            serde_json::json!({"file": path.file_name().map(|f| f.to_string_lossy().to_string()), "quotes": qs, "mentions": mentions})
        );
    }
    Ok(())
}
