//! `cargo run -p lagebild-entities --release --example train -- DATA OUT`: retrains the shipped model.
fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let (Some(data), Some(out)) = (args.first(), args.get(1)) else {
        eprintln!("usage: train GERMEVAL.tsv OUT.bin");
        std::process::exit(2);
    };
    match lagebild_entities::train_ner(data.as_ref(), out.as_ref()) {
        Ok(summary) => println!("{summary}"),
        Err(e) => {
            eprintln!("error: {e:#}");
            std::process::exit(1);
        }
    }
}
