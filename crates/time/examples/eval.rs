//! `cargo run -p lagebild-time --release --example eval -- time [--data DIR] [--limit N] [--record FILE]`
fn main() {
    let evals = lagebild_time::tasks()
        .into_iter()
        .filter(|t| t.kind == lagebild_core::eval::TaskKind::Eval)
        .collect();
    lagebild_core::eval::example_main(evals)
}
