//! TEMPORARY stand-in for the CLI (ingest/serve) to run crates/cli/tests against; deleted before hand-over.
use lagebild_core::{Document, Metadata, Origin};
fn main() -> anyhow::Result<()> {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let flag = |f: &str| args.iter().position(|a| a == f).and_then(|i| args.get(i + 1)).cloned();
    let db = std::path::PathBuf::from(flag("--db").expect("--db"));
    match args[0].as_str() {
        "ingest" => {
            let mut files = Vec::new();
            let mut i = 1;
            while i < args.len() {
                if args[i].starts_with("--") { i += 2; continue; }
                let p = std::path::PathBuf::from(&args[i]);
                if p.is_dir() {
                    let mut v: Vec<_> = std::fs::read_dir(&p)?.map(|e| e.unwrap().path()).collect();
                    v.sort();
                    files.extend(v);
                } else { files.push(p); }
                i += 1;
            }
            let mut docs = Vec::new();
            for f in files {
                let text = std::fs::read_to_string(&f)?;
                if f.extension().is_some_and(|e| e == "jsonl") {
                    for l in text.lines() {
                        let v: serde_json::Value = serde_json::from_str(l)?;
                        docs.push(Document::new(Metadata { id: v["id"].as_str().unwrap().into(), title: v["title"].as_str().map(String::from), source: v["source"].as_str().map(String::from), ..Metadata::default() }, Origin::default(), v["text"].as_str().unwrap().into()));
                    }
                } else {
                    let stem = f.file_stem().unwrap().to_string_lossy().to_string();
                    docs.push(Document::new(Metadata { id: stem, ..Metadata::default() }, Origin::default(), text));
                }
            }
            let store = lagebild_store::Store::open(&db)?;
            println!("{}", store.ingest(docs)?);
        }
        "serve" => {
            let addr = flag("--addr").unwrap_or("127.0.0.1:8080".into()).parse()?;
            lagebild_server::serve(&db, addr, flag("--token"))?;
        }
        _ => anyhow::bail!("unknown command"),
    }
    Ok(())
}
