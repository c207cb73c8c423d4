//! `cargo run -p lagebild-server --release --example eval -- serve [--limit N] [--record FILE]`
fn main() {
    lagebild_core::eval::example_main(lagebild_server::tasks())
}
