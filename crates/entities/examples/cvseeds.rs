fn main() {
    let p = std::env::args().nth(1).unwrap();
    let data = lagebild_entities::germeval::read(p.as_ref()).unwrap();
    let r = lagebild_entities::germeval::debug_cv_seeds(&data, &[0x5eed_1a6e_b11d, 0x1234_5678_9abc, 0x0bad_cafe_f00d]);
    let mut avg = [0.0; 5];
    for x in &r { for k in 0..5 { avg[k] += x[k] / r.len() as f64; } println!("{:.4} {:.4} {:.4} {:.4} {:.4}", x[0], x[1], x[2], x[3], x[4]); }
    println!("AVG all {:.4} per {:.4} org {:.4} loc {:.4} oth {:.4}", avg[0], avg[1], avg[2], avg[3], avg[4]);
}
