//! WARC record reading (plain and gzip) on arbitrary bytes: errors are items, never panics.
#![no_main]
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let opts = lagebild_ingest::IngestOptions {
        max_record_bytes: 1 << 20,
        ..Default::default()
    };
    for name in ["fuzz.warc", "fuzz.warc.gz"] {
        let reader = Box::new(std::io::Cursor::new(data.to_vec()));
        for _ in lagebild_ingest::read_reader(name, reader, &opts) {}
    }
});
