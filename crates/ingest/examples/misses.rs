// Temporary diagnostic: per-page misses. Deleted before hand-off.
fn main() {
    let dir = std::path::Path::new("/work/shared/data/trafilatura-bench");
    let data: serde_json::Map<String, serde_json::Value> =
        serde_json::from_str(&std::fs::read_to_string(dir.join("evaldata.json")).unwrap()).unwrap();
    let out_dir = std::path::Path::new("/tmp/e2/out");
    std::fs::create_dir_all(out_dir).unwrap();
    let mut rows = Vec::new();
    for (_url, item) in data.iter() {
        let file = item["file"].as_str().unwrap();
        let raw = std::fs::read(dir.join("pages").join(file)).unwrap();
        let html = lagebild_ingest::decode::decode_html(&raw, None);
        let e = lagebild_ingest::extract(&html.text, None);
        std::fs::write(out_dir.join(format!("{file}.txt")), &e.text).unwrap();
        let miss: Vec<&str> = item["with"]
            .as_array()
            .unwrap()
            .iter()
            .filter_map(|s| s.as_str())
            .filter(|s| !e.text.contains(s))
            .collect();
        let fp: Vec<&str> = item["without"]
            .as_array()
            .unwrap()
            .iter()
            .filter_map(|s| s.as_str())
            .filter(|s| e.text.contains(s))
            .collect();
        if !miss.is_empty() || !fp.is_empty() {
            rows.push(serde_json::json!({"file": file, "miss": miss, "fp": fp, "nwith": item["with"].as_array().unwrap().len(), "len": e.text.chars().count()}));
        }
    }
    println!("{}", serde_json::to_string(&rows).unwrap());
}
