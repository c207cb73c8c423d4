//! RSS/Atom/JSON feed reading on arbitrary bytes: errors are items, never panics.
#![no_main]
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let reader = Box::new(std::io::Cursor::new(data.to_vec()));
    let opts = lagebild_ingest::IngestOptions::default();
    for _ in lagebild_ingest::read_reader("fuzz.rss", reader, &opts) {}
});
