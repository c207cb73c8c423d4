//! `cargo run -p lagebild-segment --release --example eval -- TASK [--data P] [--limit N] [--peer] [--json] [--record FILE]`
fn main() {
    lagebild_core::eval::example_main(lagebild_segment::tasks())
}
