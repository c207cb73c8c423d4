// Temporary diagnostic. Deleted before hand-off.
fn main() {
    let f = std::env::args().nth(1).unwrap();
    let raw = std::fs::read(format!("/work/shared/data/trafilatura-bench/pages/{f}")).unwrap();
    let html = lagebild_ingest::decode::decode_html(&raw, None);
    let e = lagebild_ingest::extract(&html.text, None);
    println!("{}", e.text);
}
