//! The API's query-parameter parsing (`rased_server::fuzz_params`): any query string is
//! accepted or refused with `bad_parameter`, never a panic.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    if let Ok(query) = std::str::from_utf8(data) {
        rased_server::fuzz_params(query);
    }
});
