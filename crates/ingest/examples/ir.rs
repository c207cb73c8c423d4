// Temporary diagnostic: extraction over the first N pages (for callgrind). Deleted before hand-off.
fn main() {
    let n: usize = std::env::args().nth(1).map_or(100, |s| s.parse().unwrap());
    let dir = std::path::Path::new("/work/shared/data/trafilatura-bench/pages");
    let mut files: Vec<_> = std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .collect();
    files.sort();
    let raws: Vec<Vec<u8>> = files
        .iter()
        .take(n)
        .map(|f| std::fs::read(f).unwrap())
        .collect();
    let t = std::time::Instant::now();
    let mut total = 0;
    for r in &raws {
        let html = lagebild_ingest::decode::decode_html(r, None);
        total += lagebild_ingest::extract(&html.text, None).text.len();
    }
    eprintln!("{total} {:?}", t.elapsed());
}
