// temporary debugging aid (removed before hand-off)
use std::collections::HashSet;
fn main() {
    let rules = lagebild_segment::Rules::for_language("de");
    let mut fp = std::collections::HashMap::<String, usize>::new();
    let mut fnn = std::collections::HashMap::<String, usize>::new();
    for dir in std::env::args().skip(1) {
        for f in std::fs::read_dir(&dir).unwrap() {
            let v: serde_json::Value = serde_json::from_str(&std::fs::read_to_string(f.unwrap().path()).unwrap()).unwrap();
            let text = v["originalText"].as_str().unwrap();
            let chars: Vec<char> = text.chars().collect();
            let gold: HashSet<(usize, usize)> = v["tokens"].as_array().unwrap().iter().map(|t| (t["charBegin"].as_u64().unwrap() as usize, t["charEnd"].as_u64().unwrap() as usize)).collect();
            let ix = lagebild_core::CharIndex::new(text);
            let ours: HashSet<(usize, usize)> = rules.tokenize(text).iter().map(|r| (ix.char(r.start), ix.char(r.end))).collect();
            let s = |(a, b): (usize, usize)| chars[a..b].iter().collect::<String>();
            for t in ours.difference(&gold) { *fp.entry(s(*t)).or_default() += 1; }
            for t in gold.difference(&ours) { *fnn.entry(s(*t)).or_default() += 1; }
        }
    }
    let mut v: Vec<_> = fp.into_iter().collect(); v.sort_by(|a, b| b.1.cmp(&a.1));
    println!("FP {:?}", &v[..v.len().min(80)]);
    let mut v: Vec<_> = fnn.into_iter().collect(); v.sort_by(|a, b| b.1.cmp(&a.1));
    println!("FN {:?}", &v[..v.len().min(80)]);
}
