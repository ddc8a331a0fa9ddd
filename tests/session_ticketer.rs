//! The rotating ticketer: seal/unseal, key rotation (current and previous
//! key unseal, older ones do not), tickets that do not unseal, and
//! reproducibility with injected randomness and time.

mod session_support;

use core::time::Duration;
use ferrotls::internal::crypto::aead::AeadAlgorithm;
use ferrotls::internal::crypto::rng::{FixedBytes, SeededRng};
use ferrotls::internal::session::ticketer::{
    seal_state, unseal_state, TicketRejection, MAX_TICKET_SIZE, TICKET_KEY_ROTATION_PERIOD,
    TICKET_OVERHEAD,
};
use ferrotls::internal::session::{SessionDataError, Validity};
use ferrotls::{ManualClock, RotatingTicketer, SecureRandom, Ticketer};
use session_support::*;
use std::sync::Arc;

fn ticketer(seed: &[u8]) -> (RotatingTicketer, Arc<ManualClock>) {
    let clock = Arc::new(ManualClock::new(CREATED));
    let rng: Arc<dyn SecureRandom> = Arc::new(SeededRng::new(seed).unwrap());
    (RotatingTicketer::new(rng, clock.clone()).unwrap(), clock)
}

#[test]
fn seal_then_unseal_returns_the_plaintext() {
    let (t, _) = ticketer(b"a");
    let ticket = t.seal(b"session state").unwrap();
    assert_eq!(ticket.len(), b"session state".len() + TICKET_OVERHEAD);
    assert_eq!(t.unseal(&ticket).unwrap().as_bytes(), b"session state");
    assert!(
        !ticket.windows(7).any(|w| w == b"session"),
        "sealed, not clear"
    );
}

#[test]
fn server_state_round_trips_through_a_ticket() {
    let (t, _) = ticketer(b"b");
    for state in [server_tls12(), server_tls13()] {
        let ticket = seal_state(&t, &state).unwrap();
        assert_eq!(unseal_state(&t, &ticket, CREATED), Ok(state));
    }
}

/// A ticketer that implements only `seal` and `unseal`, as one written
/// before `seal_in_place` existed: `seal_state` goes through the default.
struct SealOnly(RotatingTicketer);

impl Ticketer for SealOnly {
    fn seal(&self, plaintext: &[u8]) -> Result<Vec<u8>, ferrotls::Error> {
        self.0.seal(plaintext)
    }

    fn unseal(&self, ticket: &[u8]) -> Option<ferrotls::internal::crypto::Secret> {
        self.0.unseal(ticket)
    }
}

#[test]
fn state_sealed_in_place_or_through_seal_is_the_same_ticket() {
    for state in [server_tls12(), server_tls13()] {
        // Same seed, so both draw the same keys and nonce.
        let in_place = seal_state(&ticketer(b"d").0, &state).unwrap();
        let through_seal = seal_state(&SealOnly(ticketer(b"d").0), &state).unwrap();
        assert_eq!(in_place, through_seal);
        assert_eq!(
            unseal_state(&ticketer(b"d").0, &in_place, CREATED),
            Ok(state)
        );
    }
}

#[test]
fn chacha20_poly1305_ticketer_works_too() {
    let clock = Arc::new(ManualClock::new(CREATED));
    let t = RotatingTicketer::with_settings(
        AeadAlgorithm::ChaCha20Poly1305,
        TICKET_KEY_ROTATION_PERIOD,
        Arc::new(SeededRng::new(b"c").unwrap()),
        clock,
    )
    .unwrap();
    let ticket = t.seal(b"x").unwrap();
    assert_eq!(t.unseal(&ticket).unwrap().as_bytes(), b"x");
}

#[test]
fn previous_key_unseals_after_one_rotation_not_two() {
    let (t, _) = ticketer(b"d");
    let ticket = t.seal(b"old").unwrap();
    t.rotate().unwrap();
    assert_eq!(t.unseal(&ticket).unwrap().as_bytes(), b"old");
    let newer = t.seal(b"new").unwrap();
    assert_ne!(newer[..16], ticket[..16], "a new key name after rotation");
    t.rotate().unwrap();
    assert!(t.unseal(&ticket).is_none());
    assert_eq!(t.unseal(&newer).unwrap().as_bytes(), b"new");
}

#[test]
fn the_clock_drives_rotation() {
    let (t, clock) = ticketer(b"e");
    let first = t.seal(b"1").unwrap();
    clock.advance(TICKET_KEY_ROTATION_PERIOD - Duration::from_secs(1));
    let same_key = t.seal(b"1").unwrap();
    assert_eq!(same_key[..16], first[..16], "no rotation before the period");
    clock.advance(Duration::from_secs(1));
    let second = t.seal(b"2").unwrap();
    assert_ne!(second[..16], first[..16], "rotated at the period");
    assert!(t.unseal(&first).is_some(), "previous key still unseals");
    clock.advance(TICKET_KEY_ROTATION_PERIOD);
    assert!(t.unseal(&first).is_none(), "two rotations: retired");
    assert!(t.unseal(&second).is_some());
}

#[test]
fn a_long_gap_retires_both_keys() {
    let (t, clock) = ticketer(b"f");
    let ticket = t.seal(b"x").unwrap();
    clock.advance(TICKET_KEY_ROTATION_PERIOD * 2);
    assert!(t.unseal(&ticket).is_none());
}

#[test]
fn altered_tickets_are_not_accepted() {
    let (t, _) = ticketer(b"g");
    let ticket = t.seal(b"state bytes").unwrap();
    for position in 0..ticket.len() {
        let mut bad = ticket.clone();
        bad[position] ^= 0x01;
        assert!(t.unseal(&bad).is_none(), "flip at {position}");
    }
}

#[test]
fn unknown_key_name_truncation_and_garbage_are_not_accepted() {
    let (t, _) = ticketer(b"h");
    let (other, _) = ticketer(b"other");
    let ticket = t.seal(b"state").unwrap();
    assert!(other.unseal(&ticket).is_none(), "unknown key name");
    for len in 0..ticket.len() {
        assert!(t.unseal(&ticket[..len]).is_none(), "truncated to {len}");
    }
    assert!(t.unseal(&[]).is_none());
    assert!(t.unseal(&[0u8; 100]).is_none());
    assert!(t.unseal(&vec![0u8; MAX_TICKET_SIZE + 1]).is_none());
}

#[test]
fn unseal_state_says_why() {
    let (t, _) = ticketer(b"i");
    assert_eq!(
        unseal_state(&t, &[1, 2, 3], CREATED),
        Err(TicketRejection::NotUnsealed)
    );
    let not_state = t.seal(b"not a session").unwrap();
    assert_eq!(
        unseal_state(&t, &not_state, CREATED),
        Err(TicketRejection::Malformed(SessionDataError::BadMagic))
    );
    let mut state = server_tls13();
    state.validity = Validity::new(CREATED, 60);
    let ticket = seal_state(&t, &state).unwrap();
    let later = CREATED.saturating_add(Duration::from_secs(60));
    assert_eq!(
        unseal_state(&t, &ticket, later),
        Err(TicketRejection::Expired)
    );
}

#[test]
fn oversized_plaintext_is_not_sealed() {
    let (t, _) = ticketer(b"j");
    assert!(t
        .seal(&vec![0u8; MAX_TICKET_SIZE - TICKET_OVERHEAD])
        .is_ok());
    assert!(t
        .seal(&vec![0u8; MAX_TICKET_SIZE - TICKET_OVERHEAD + 1])
        .is_err());
}

#[test]
fn same_seed_and_clock_give_the_same_tickets() {
    let (a, _) = ticketer(b"same");
    let (b, _) = ticketer(b"same");
    let state = server_tls12();
    assert_eq!(
        seal_state(&a, &state).unwrap(),
        seal_state(&b, &state).unwrap()
    );
    a.rotate().unwrap();
    b.rotate().unwrap();
    assert_eq!(
        seal_state(&a, &state).unwrap(),
        seal_state(&b, &state).unwrap()
    );
}

#[test]
fn different_seeds_give_different_tickets() {
    let (a, _) = ticketer(b"seed one");
    let (b, _) = ticketer(b"seed two");
    let state = server_tls12();
    let (ta, tb) = (
        seal_state(&a, &state).unwrap(),
        seal_state(&b, &state).unwrap(),
    );
    assert_ne!(ta[..16], tb[..16], "key names differ");
    assert_ne!(ta, tb);
}

#[test]
fn two_tickets_of_one_key_use_different_nonces() {
    let (t, _) = ticketer(b"k");
    let (x, y) = (t.seal(b"same").unwrap(), t.seal(b"same").unwrap());
    assert_eq!(x[..16], y[..16]);
    assert_ne!(x[16..28], y[16..28]);
}

#[test]
fn rng_failure_is_an_error_not_a_panic() {
    let clock = Arc::new(ManualClock::new(CREATED));
    // Enough for the first key (16-byte name, 32-byte key) and no more.
    let rng = Arc::new(FixedBytes::new(&[7u8; 48]));
    let t = RotatingTicketer::new(rng, clock).unwrap();
    assert!(t.seal(b"x").is_err(), "no bytes left for a nonce");
    assert!(t.rotate().is_err());
    let empty = Arc::new(FixedBytes::new(&[]));
    assert!(RotatingTicketer::new(empty, Arc::new(ManualClock::new(CREATED))).is_err());
}

#[test]
fn imported_keys_unseal_the_exporters_tickets() {
    let (a, _) = ticketer(b"exporter");
    let (b, _) = ticketer(b"importer");
    let old = a.seal(b"old").unwrap();
    a.rotate().unwrap();
    let new = a.seal(b"new").unwrap();
    assert!(b.unseal(&new).is_none());
    let exported = a.export_keys().unwrap();
    assert_eq!(exported.as_bytes()[5], 4, "kind ticket_keys(4)");
    b.import_keys(exported.as_bytes()).unwrap();
    assert_eq!(
        b.unseal(&old).unwrap().as_bytes(),
        b"old",
        "previous key too"
    );
    assert_eq!(b.unseal(&new).unwrap().as_bytes(), b"new");
    let from_b = b.seal(b"b").unwrap();
    assert_eq!(
        from_b[..16],
        new[..16],
        "b seals under the shared current key"
    );
    assert_eq!(a.unseal(&from_b).unwrap().as_bytes(), b"b");
}

#[test]
fn bad_key_sets_are_refused_and_change_nothing() {
    let (t, _) = ticketer(b"keeper");
    let mine = t.seal(b"mine").unwrap();
    let exported = t.export_keys().unwrap();

    let mut damaged = exported.as_bytes().to_vec();
    damaged[20] ^= 1;
    assert_eq!(
        t.import_keys(&damaged),
        Err(ferrotls::Error::SessionData(SessionDataError::Corrupted))
    );
    let session = ferrotls::ClientSessionData::Tls13(client_tls13(0).into())
        .to_bytes()
        .unwrap();
    assert_eq!(
        t.import_keys(&session),
        Err(ferrotls::Error::SessionData(
            SessionDataError::UnexpectedKind(3)
        ))
    );
    // AES-128-GCM (IANA AEAD 1) with the 32-byte AES-256 key.
    let wrong_aead = reframe(exported.as_bytes(), |fields| {
        fields[0].1 = 1u16.to_be_bytes().to_vec()
    });
    assert_eq!(
        t.import_keys(&wrong_aead),
        Err(ferrotls::Error::SessionData(
            SessionDataError::MalformedField(0x0041)
        ))
    );
    let unknown_aead = reframe(exported.as_bytes(), |fields| {
        fields[0].1 = 7u16.to_be_bytes().to_vec()
    });
    assert_eq!(
        t.import_keys(&unknown_aead),
        Err(ferrotls::Error::SessionData(
            SessionDataError::MalformedField(0x0040)
        ))
    );
    assert_eq!(
        t.unseal(&mine).unwrap().as_bytes(),
        b"mine",
        "keys unchanged"
    );
}
