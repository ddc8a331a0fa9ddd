//! The whole client engine under fuzzing mode: a client of every version,
//! suite and group (0-RTT, client auth, tickets and resumption as the
//! scenario says) reads the fuzzer's bytes as the server's flights.
//! Input format: see `ferrotls_fuzz` (`[scenario: 3][len: u16][flight]*`).
//! Nothing may panic, loop or grow without bound.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    ferrotls_fuzz::run_client(data);
});
