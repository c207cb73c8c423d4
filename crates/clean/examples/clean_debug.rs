// temporary debugging aid (removed before hand-off)
use lagebild_core::{Annotations, Document, DocumentStage};
fn main() {
    for path in std::env::args().skip(1) {
        let p = std::path::Path::new(&path);
        let files: Vec<_> = if p.is_dir() {
            let mut v: Vec<_> = std::fs::read_dir(p)
                .unwrap()
                .map(|e| e.unwrap().path())
                .collect();
            v.sort();
            v
        } else {
            vec![p.to_path_buf()]
        };
        for f in files {
            let raw = std::fs::read_to_string(&f).unwrap();
            let text = if f.extension().is_some_and(|e| e == "json") {
                serde_json::from_str::<serde_json::Value>(&raw).unwrap()["originalText"]
                    .as_str()
                    .unwrap()
                    .to_string()
            } else {
                raw
            };
            let doc = Document::from_text("d", &text);
            let mut ann = Annotations::default();
            lagebild_clean::Cleaner::new().annotate(&doc, &mut ann);
            for b in &ann.boilerplate {
                println!("BP {} {:?}", b.kind, doc.slice(b.span));
            }
            for s in &ann.sections {
                if s.kind != lagebild_core::SectionKind::Report || ann.sections.len() > 1 {
                    let t = doc.slice(s.span);
                    println!(
                        "SEC {:?} {:?}",
                        s.kind,
                        &t.chars().take(80).collect::<String>()
                    );
                }
            }
        }
    }
}
