//! Random damage to real handshake flights, in both directions: every
//! outcome must be a clean `Error` (or, rarely, a harmless change), never
//! a panic. A deterministic xorshift generator keeps runs reproducible.

mod common;

use common::*;
use ferrotls::Error;

/// xorshift64 (Marsaglia 2003): a small deterministic generator.
struct XorShift(u64);

impl XorShift {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0
    }

    fn below(&mut self, n: usize) -> usize {
        (self.next() % n as u64) as usize
    }
}

/// Damages one to four bytes, or truncates, or duplicates a chunk.
fn damage(rng: &mut XorShift, bytes: &mut Vec<u8>) {
    match rng.below(4) {
        0 => bytes.truncate(rng.below(bytes.len().max(1))),
        1 => {
            let at = rng.below(bytes.len().max(1));
            let chunk: Vec<u8> = bytes[at..].iter().take(40).copied().collect();
            bytes.splice(at..at, chunk);
        }
        _ => {
            for _ in 0..=rng.below(4) {
                let at = rng.below(bytes.len().max(1));
                if let Some(b) = bytes.get_mut(at) {
                    *b ^= 1 << rng.below(8);
                }
            }
        }
    }
}

#[test]
fn damaged_flights_fail_cleanly() {
    let mut rng = XorShift(0x9e37_79b9_7f4a_7c15);
    let client = client_builder("ed25519").build().unwrap();
    let server = server_builder("ed25519").build().unwrap();
    let mut failures = 0;
    for round in 0..300 {
        let (mut c, mut s) = pair(client.clone(), server.clone(), server_name("ed25519"));
        // Damage one of the three flights.
        let target = round % 3;
        let mut result: Result<(), Error> = Ok(());
        for step in 0..3 {
            let r = if step % 2 == 0 {
                transfer_altered(&mut c, &mut s, |b| {
                    if step == target {
                        damage(&mut rng, b)
                    }
                })
                .1
            } else {
                transfer_altered(&mut s, &mut c, |b| {
                    if step == target {
                        damage(&mut rng, b)
                    }
                })
                .1
            };
            if r.is_err() {
                result = r;
                break;
            }
        }
        if let Err(e) = result {
            failures += 1;
            // The failing side's alert reaches the other side intact, or
            // the failure was reported by the peer's alert.
            assert!(
                e.alert().is_some() || matches!(e, Error::AlertReceived(_)),
                "{e:?}"
            );
        }
    }
    assert!(failures > 200, "only {failures} of 300 damaged runs failed");
}

#[test]
fn damaged_resumptions_with_early_data_fail_cleanly() {
    use ferrotls::InMemoryServerStore;
    use ferrotls::{ClientConnection, ServerConnection};
    use ferrotls::{Clock, ManualClock, UnixTime};
    use std::sync::Arc;

    let mut rng = XorShift(0x2545_f491_4f6c_dd1d);
    let clock: Arc<dyn Clock> = Arc::new(ManualClock::new(UnixTime::from_secs(NOW)));
    let client = client_builder("ed25519")
        .enable_early_data(true)
        .build()
        .unwrap();
    let server = server_builder("ed25519")
        .session_store(Arc::new(InMemoryServerStore::new(clock)))
        .max_early_data_size(512)
        .build()
        .unwrap();
    let mut failures = 0;
    for round in 0..150 {
        // A fresh ticket for every round.
        let (_c, _s) = handshaken(client.clone(), server.clone(), server_name("ed25519"));
        let mut c = ClientConnection::new(client.clone(), server_name("ed25519")).unwrap();
        c.write_early_data(b"early words").unwrap();
        let mut s = ServerConnection::new(server.clone());
        let target = round % 3;
        for step in 0..3 {
            let r = if step % 2 == 0 {
                transfer_altered(&mut c, &mut s, |b| {
                    if step == target {
                        damage(&mut rng, b)
                    }
                })
                .1
            } else {
                transfer_altered(&mut s, &mut c, |b| {
                    if step == target {
                        damage(&mut rng, b)
                    }
                })
                .1
            };
            if let Err(e) = r {
                failures += 1;
                assert!(
                    e.alert().is_some() || matches!(e, Error::AlertReceived(_)),
                    "{e:?}"
                );
                break;
            }
        }
    }
    assert!(failures > 100, "only {failures} of 150 damaged runs failed");
}
