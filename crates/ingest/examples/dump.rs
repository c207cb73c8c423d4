// temporary diagnostics (removed before handing in)
fn main() {
    let dir = std::path::Path::new("/work/shared/data/trafilatura-bench");
    let data: serde_json::Map<String, serde_json::Value> = serde_json::from_str(&std::fs::read_to_string(dir.join("evaldata.json")).unwrap()).unwrap();
    let out = std::path::Path::new("/tmp/ingest-dump");
    std::fs::create_dir_all(out).unwrap();
    for (url, item) in &data {
        let f = item["file"].as_str().unwrap();
        let raw = std::fs::read(dir.join("pages").join(f)).unwrap();
        let html = lagebild_ingest::decode::decode_html(&raw, None);
        let e = lagebild_ingest::extract(&html.text, None);
        let mut fns = vec![]; let mut fps = vec![];
        for w in item["with"].as_array().unwrap() { let w = w.as_str().unwrap(); if !e.text.contains(w) { fns.push(w) } }
        for w in item["without"].as_array().unwrap() { let w = w.as_str().unwrap(); if e.text.contains(w) { fps.push(w) } }
        if !fns.is_empty() || !fps.is_empty() {
            println!("{f}\t{}\tFN {:?}\tFP {:?}", e.text.len(), fns, fps);
            std::fs::write(out.join(format!("{f}.txt")), format!("{url}\n{}", e.text)).unwrap();
        }
    }
}
