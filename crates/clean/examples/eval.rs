//! `cargo run -p lagebild-clean --release --example eval -- boilerplate [--data P] [--limit N] [--json] [--record FILE]`
fn main() {
    lagebild_core::eval::example_main(lagebild_clean::tasks())
}
