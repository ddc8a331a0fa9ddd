//! The whole server engine under fuzzing mode: a server of every version,
//! suite and group (0-RTT, client auth, tickets, session cache, cookies
//! as the scenario says) reads the fuzzer's bytes as the client's flights.
//! Input format: see `ferrotls_fuzz` (`[scenario: 3][len: u16][flight]*`).
//! Nothing may panic, loop or grow without bound.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    ferrotls_fuzz::run_server(data);
});
