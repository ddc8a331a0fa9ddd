//! Fuzzes the session layer's readers of untrusted bytes: client session
//! import, the server-state decoder and ticket unsealing. The first byte
//! chooses the mode:
//! - bit 0 clear: the rest is decoded as client data and as server state;
//!   with bit 1 set the fuzzer's bytes get a correct checksum appended
//!   first, so the field parser is reached. Whatever decodes must
//!   re-encode to exactly the same bytes. The checksummed bytes are also
//!   imported as a ticket key set, after which sealing must still work.
//! - bit 0 set: the rest is a ticket for a fixed ticketer; with bit 1 set
//!   its first 16 bytes are replaced by the ticketer's key name so the AEAD
//!   is reached. Nothing may panic; a ticket under an unknown key name
//!   never unseals.
#![no_main]

use ferrotls::internal::crypto::hash::HashAlgorithm;
use ferrotls::internal::crypto::rng::SeededRng;
use ferrotls::internal::session::format::CHECKSUM_LEN;
use ferrotls::internal::session::ticketer::{unseal_state, TICKET_KEY_NAME_LEN};
use ferrotls::internal::session::ServerSessionState;
use ferrotls::{ClientSessionData, ManualClock, RotatingTicketer, Ticketer, UnixTime};
use libfuzzer_sys::fuzz_target;
use std::sync::{Arc, OnceLock};

const NOW: UnixTime = UnixTime::from_secs(1_700_000_000);

fn ticketer() -> &'static (RotatingTicketer, Vec<u8>) {
    static TICKETER: OnceLock<(RotatingTicketer, Vec<u8>)> = OnceLock::new();
    TICKETER.get_or_init(|| {
        let rng = Arc::new(SeededRng::new(b"fuzz session_data").expect("seeded rng"));
        let clock = Arc::new(ManualClock::new(NOW));
        let t = RotatingTicketer::new(rng, clock).expect("ticketer");
        let sample = t.seal(b"sample").expect("seal");
        let name = sample[..TICKET_KEY_NAME_LEN].to_vec();
        (t, name)
    })
}

fn check_decoders(bytes: &[u8]) {
    if let Ok(data) = ClientSessionData::from_bytes(bytes, NOW) {
        assert_eq!(data.to_bytes().ok().as_deref(), Some(bytes));
    }
    if let Ok(state) = ServerSessionState::from_bytes(bytes) {
        assert_eq!(
            state.to_bytes().ok().as_deref().map(Vec::as_slice),
            Some(bytes)
        );
    }
}

fn check_unseal(ticket: &[u8]) {
    let (t, name) = ticketer();
    // Fuzzing mode makes the AEAD a pass-through (docs/fuzzing.md), so a
    // ticket under the ticketer's key name may unseal and its state
    // decoder is reached; a ticket under any other name never unseals.
    if ticket.starts_with(name) {
        let _ = unseal_state(t, ticket, NOW);
    } else {
        assert!(t.unseal(ticket).is_none());
        assert!(unseal_state(t, ticket, NOW).is_err());
    }
}

fn check_key_import(bytes: &[u8]) {
    let rng = Arc::new(SeededRng::new(b"fuzz key import").expect("seeded rng"));
    let clock = Arc::new(ManualClock::new(NOW));
    let t = RotatingTicketer::new(rng, clock).expect("ticketer");
    if t.import_keys(bytes).is_ok() {
        // Whatever key set was accepted, the ticketer still works with it
        // (or with the key the clock rotated to).
        let ticket = t.seal(b"probe").expect("seal");
        assert_eq!(t.unseal(&ticket).expect("unseal").as_bytes(), b"probe");
    }
}

fuzz_target!(|input: &[u8]| {
    let Some((&mode, rest)) = input.split_first() else {
        return;
    };
    match (mode & 1 == 1, mode & 2 == 2) {
        (false, false) => check_decoders(rest),
        (false, true) => {
            let mut framed = rest.to_vec();
            let digest = HashAlgorithm::Sha256.hash(rest);
            framed.extend_from_slice(&digest.as_bytes()[..CHECKSUM_LEN]);
            check_decoders(&framed);
            check_key_import(&framed);
        }
        (true, false) => check_unseal(rest),
        (true, true) => {
            let (_, name) = ticketer();
            let mut ticket = name.clone();
            ticket.extend_from_slice(rest.get(TICKET_KEY_NAME_LEN..).unwrap_or(rest));
            check_unseal(&ticket);
        }
    }
});
