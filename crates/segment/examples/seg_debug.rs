// temporary debugging aid (removed before hand-off)
use std::collections::HashSet;
fn main() {
    let dir = std::env::args().nth(1).unwrap();
    let rules = lagebild_segment::Rules::for_language("de");
    let mut files: Vec<_> = std::fs::read_dir(&dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .collect();
    files.sort();
    for f in files {
        let v: serde_json::Value =
            serde_json::from_str(&std::fs::read_to_string(&f).unwrap()).unwrap();
        let text = v["originalText"].as_str().unwrap();
        let chars: Vec<char> = text.chars().collect();
        let mut gold: Vec<usize> = v["sentences"]
            .as_array()
            .unwrap()
            .iter()
            .map(|s| s["charEnd"].as_u64().unwrap() as usize)
            .collect();
        gold.pop();
        let toks = rules.tokenize(text);
        let sents = rules.split_sentences(text, &toks);
        let ix = lagebild_core::CharIndex::new(text);
        let mut ours: Vec<usize> = sents.iter().map(|s| ix.char(s.end)).collect();
        ours.pop();
        let g: HashSet<_> = gold.iter().copied().collect();
        let o: HashSet<_> = ours.iter().copied().collect();
        let ctx = |e: usize| {
            let a: String = chars[e.saturating_sub(50)..e].iter().collect();
            let b: String = chars[e..(e + 30).min(chars.len())].iter().collect();
            format!("{a}‖{b}").replace('\n', "⏎")
        };
        for e in &ours {
            if !g.contains(e) {
                println!(
                    "FP\t{}\t{}",
                    f.file_name()
                        .unwrap()
                        .to_string_lossy()
                        .chars()
                        .take(12)
                        .collect::<String>(),
                    ctx(*e)
                );
            }
        }
        for e in &gold {
            if !o.contains(e) {
                println!(
                    "FN\t{}\t{}",
                    f.file_name()
                        .unwrap()
                        .to_string_lossy()
                        .chars()
                        .take(12)
                        .collect::<String>(),
                    ctx(*e)
                );
            }
        }
    }
}
