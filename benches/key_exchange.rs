//! The key-exchange primitives the crypto floor of a handshake is made
//! of, with the OS generator a configuration uses by default: ML-KEM key
//! generation, encapsulation and decapsulation through `crypto::mlkem`
//! (ML-KEM-768 and ML-KEM-1024; encapsulation includes the FIPS 203 §7.2
//! checks of the peer's key, as in a handshake), and finite-field DHE
//! through `crypto::ffdhe` in each RFC 7919 group (key generation, and
//! completing with a peer's value, its range check included).
//!
//! Run with `cargo bench --bench key_exchange`; prints the median µs per
//! operation over `ROUNDS` batches of `BATCH`.

use ferrotls::internal::crypto::ffdhe::{DhGroup, DhKeyPair};
use ferrotls::internal::crypto::mlkem::{encapsulate, DecapsulationKey, MlKem};
use ferrotls::{NamedGroup, OsRng};
use std::hint::black_box;
use std::time::Instant;

/// Calls per timed batch: ML-KEM operations take tens of µs.
const MLKEM_BATCH: u32 = 50;
/// Calls per timed batch: FFDHE exponentiations take up to tens of ms.
const FFDHE_BATCH: u32 = 5;
const WARMUP: usize = 3;
const ROUNDS: usize = 21;

/// The median over `ROUNDS` batches of `calls` of the µs one call of
/// `op` takes.
fn median_us(calls: u32, mut op: impl FnMut()) -> f64 {
    let mut batch = || {
        let start = Instant::now();
        for _ in 0..calls {
            op();
        }
        start.elapsed().as_secs_f64() * 1e6 / f64::from(calls)
    };
    for _ in 0..WARMUP {
        batch();
    }
    let mut times: Vec<f64> = (0..ROUNDS).map(|_| batch()).collect();
    times.sort_by(f64::total_cmp);
    times[ROUNDS / 2]
}

fn main() {
    let rng = OsRng::new();
    println!(
        "{:<12} {:>10} {:>10} {:>10}",
        "µs/op", "keygen", "encaps", "decaps"
    );
    for kem in [MlKem::Mlkem768, MlKem::Mlkem1024] {
        let keygen = median_us(MLKEM_BATCH, || {
            black_box(DecapsulationKey::generate(kem, &rng).unwrap());
        });
        let (key, ek) = DecapsulationKey::generate(kem, &rng).unwrap();
        let encaps = median_us(MLKEM_BATCH, || {
            black_box(encapsulate(kem, black_box(&ek), &rng).unwrap());
        });
        let (ct, _) = encapsulate(kem, &ek, &rng).unwrap();
        let decaps = median_us(MLKEM_BATCH, || {
            black_box(key.decapsulate(black_box(&ct)).unwrap());
        });
        println!(
            "{:<12} {keygen:>10.1} {encaps:>10.1} {decaps:>10.1}",
            format!("{kem:?}")
        );
    }
    println!("\n{:<12} {:>10} {:>10}", "µs/op", "keygen", "complete");
    for group in [
        NamedGroup::ffdhe2048,
        NamedGroup::ffdhe3072,
        NamedGroup::ffdhe4096,
        NamedGroup::ffdhe6144,
        NamedGroup::ffdhe8192,
    ] {
        let dh = DhGroup::named(group).unwrap();
        let keygen = median_us(FFDHE_BATCH, || {
            black_box(DhKeyPair::generate(dh.clone(), &rng).unwrap());
        });
        let peer = DhKeyPair::generate(dh.clone(), &rng).unwrap();
        // Each completion consumes a key pair: its generation is timed
        // with it and subtracted.
        let both = median_us(FFDHE_BATCH, || {
            let pair = DhKeyPair::generate(dh.clone(), &rng).unwrap();
            black_box(pair.complete(black_box(peer.public_key())).unwrap());
        });
        println!(
            "{:<12} {keygen:>10.1} {:>10.1}",
            format!("{group:?}"),
            both - keygen
        );
    }
}
