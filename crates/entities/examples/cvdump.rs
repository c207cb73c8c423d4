fn main() {
    let p = std::env::args().nth(1).unwrap();
    let data = lagebild_entities::germeval::read(p.as_ref()).unwrap();
    print!("{}", lagebild_entities::germeval::debug_cv_dump(&data, 10));
}
