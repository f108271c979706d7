//! Response decoding: arbitrary bodies with arbitrary statuses and content types through both
//! operations' `response` functions. Every result must format (Display and Debug) without
//! panicking, and an error's message must stay bounded whatever the body.

#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    devrev_fuzz::response(data);
});
