//! Decoding into every type of `devrev_client::types`: the first byte picks the type, the rest is
//! the JSON. Nothing may panic, the crate's `from_str` must give what `serde_json::from_str`
//! gives, and whatever decodes must re-encode to JSON that decodes to an equal value.

#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    devrev_fuzz::types(data);
});
