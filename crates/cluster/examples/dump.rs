use lagebild_core::{Annotations, Document, DocumentStage};
fn main() {
    let stages: Vec<Box<dyn DocumentStage>> = vec![
        Box::new(lagebild_clean::Cleaner::new()),
        Box::new(lagebild_segment::Segmenter::new()),
        Box::new(lagebild_time::TemporalTagger::new()),
        Box::new(lagebild_entities::EntityRecognizer::new()),
    ];
    let mut out = Vec::new();
    let mut rd = csv::ReaderBuilder::new().from_reader(std::io::stdin());
    for rec in rd.records() {
        let rec = rec.unwrap();
        let text = &rec[0];
        let mut doc = Document::from_text("x", text);
        if &rec[1] == "en" { doc.meta.language = Some("en".into()); }
        let mut ann = Annotations::default();
        for s in &stages { s.annotate(&doc, &mut ann); }
        out.push(serde_json::json!({"bp": ann.boilerplate, "sent": ann.sentences, "ment": ann.mentions, "tx": ann.timexes}));
    }
    println!("{}", serde_json::to_string(&out).unwrap());
}
