//! HTML decoding and main-content extraction on arbitrary bytes: must never panic.
#![no_main]
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let decoded = lagebild_ingest::decode::decode_html(data, None);
    let _ = lagebild_ingest::extract(&decoded.text, Some("https://example.invalid/2020/01/02/a"));
});
