//! `cargo run -p lagebild-time --release --example bench -- time [--data CSV] [--limit N] [--peer] [--record FILE]`
fn main() {
    let benches = lagebild_time::tasks()
        .into_iter()
        .filter(|t| t.kind == lagebild_core::eval::TaskKind::Bench)
        .collect();
    lagebild_core::eval::example_main(benches)
}
