//! Spec loading and generation from arbitrary text: `codegen::generate` must answer every input
//! with generated files or diagnostics, never a panic and never `Error::Bug` (the generator's own
//! check that it produced code that does not parse).

#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    devrev_fuzz::generate(text);
});
