//! Prints the entities (with roles and variants) of text files: `actors [--mentions] FILE...`.
use lagebild_core::{AnalyzedDocument, Annotations, Corpus, CorpusStage, Document, DocumentStage};
use lagebild_entities::{EntityRecognizer, EntityResolver};

fn main() {
    let mut corpus = Corpus::default();
    let stage = EntityRecognizer::new();
    let args: Vec<String> = std::env::args().skip(1).collect();
    let show_mentions = args.iter().any(|a| a == "--mentions");
    for path in args.into_iter().filter(|a| a != "--mentions") {
        let text = match std::fs::read_to_string(&path) {
            Ok(t) => t,
            Err(e) => {
                eprintln!("{path}: {e}");
                continue;
            }
        };
        let doc = Document::from_text(&path, &text);
        let mut ann = Annotations::default();
        stage.annotate(&doc, &mut ann);
        if show_mentions {
            for m in &ann.mentions {
                println!("{path}\t{:?}\t{}", m.kind, m.text);
            }
            for r in &ann.roles {
                println!(
                    "{path}\trole\t{} → {}",
                    r.text, ann.mentions[r.mention].text
                );
            }
        }
        corpus.docs.push(AnalyzedDocument { doc, ann });
    }
    let n = corpus.docs.len();
    EntityResolver::new().update(&mut corpus, 0..n);
    let mut entities: Vec<_> = corpus.entities.iter().enumerate().collect();
    entities.sort_by_key(|(_, e)| std::cmp::Reverse(e.mentions.len()));
    for (i, e) in entities {
        let roles: Vec<String> = e
            .roles
            .iter()
            .map(|r| format!("{}{}", r.text, if r.flagged { " (!)" } else { "" }))
            .collect();
        println!(
            "#{i} {:?} {} ×{} aliases={:?} wiki={:?} refers_to={:?} roles={:?}",
            e.kind,
            e.name,
            e.mentions.len(),
            e.aliases,
            e.wikipedia,
            e.refers_to,
            roles
        );
    }
}
