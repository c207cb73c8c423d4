//! Tags German text from stdin and prints one expression per line:
//! `cargo run -p lagebild-time --example tag [-- PUBLISHED-DATE]`.

use lagebild_core::{Annotations, Document, DocumentStage};
use std::io::Read;

fn main() {
    let mut text = String::new();
    if let Err(e) = std::io::stdin().read_to_string(&mut text) {
        eprintln!("error: reading stdin: {e}");
        std::process::exit(1);
    }
    let mut doc = Document::from_text("stdin", &text);
    if let Some(date) = std::env::args().nth(1) {
        match date.parse() {
            Ok(d) => doc.meta.published = Some(d),
            Err(e) => {
                eprintln!("error: {date:?} is no date (YYYY-MM-DD): {e}");
                std::process::exit(2);
            }
        }
    }
    let mut ann = Annotations::default();
    lagebild_time::TemporalTagger::new().annotate(&doc, &mut ann);
    for t in &ann.timexes {
        let modifier = t.modifier.as_deref().unwrap_or("-");
        println!(
            "{}..{}\t{:?}\t{:?}\t{}\t{modifier}\t{:?}",
            t.span.start, t.span.end, t.text, t.kind, t.value, t.anchoring
        );
    }
}
