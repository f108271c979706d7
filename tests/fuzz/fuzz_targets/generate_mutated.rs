//! Structure-aware spec fuzzing: the fragment spec (`spec/rev-users-scan.yaml`) parsed once, then
//! mutated by a short list of edits (replace a scalar, rename a key, drop an entry, graft a
//! subtree elsewhere) chosen by the fuzzer, and generated. Random bytes rarely get past the YAML
//! parser; these inputs reach lowering, `$ref` resolution, unions and emission.

#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|edits: Vec<devrev_fuzz::Edit>| {
    let text = devrev_fuzz::mutate_spec(&edits);
    devrev_fuzz::generate(&text);
});
