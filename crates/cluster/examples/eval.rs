fn main() {
    lagebild_core::eval::example_main(lagebild_cluster::tasks())
}
