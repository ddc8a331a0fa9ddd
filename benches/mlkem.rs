//! ML-KEM key generation, encapsulation and decapsulation through
//! `crypto::mlkem`, for ML-KEM-768 and ML-KEM-1024, with the OS generator
//! a configuration uses by default. Encapsulation includes the FIPS 203
//! §7.2 checks of the peer's key, as in a handshake.
//!
//! Run with `cargo bench --bench mlkem`; prints the median µs per operation
//! over `ROUNDS` batches of `BATCH`.

use ferrotls::crypto::mlkem::{encapsulate, DecapsulationKey, MlKem};
use ferrotls::crypto::rng::OsRng;
use std::hint::black_box;
use std::time::Instant;

const BATCH: u32 = 50;
const WARMUP: usize = 3;
const ROUNDS: usize = 21;

/// The median over `ROUNDS` batches of the µs one call of `op` takes.
fn median_us(mut op: impl FnMut()) -> f64 {
    let mut batch = || {
        let start = Instant::now();
        for _ in 0..BATCH {
            op();
        }
        start.elapsed().as_secs_f64() * 1e6 / f64::from(BATCH)
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
        let keygen = median_us(|| {
            black_box(DecapsulationKey::generate(kem, &rng).unwrap());
        });
        let (key, ek) = DecapsulationKey::generate(kem, &rng).unwrap();
        let encaps = median_us(|| {
            black_box(encapsulate(kem, black_box(&ek), &rng).unwrap());
        });
        let (ct, _) = encapsulate(kem, &ek, &rng).unwrap();
        let decaps = median_us(|| {
            black_box(key.decapsulate(black_box(&ct)).unwrap());
        });
        println!(
            "{:<12} {keygen:>10.1} {encaps:>10.1} {decaps:>10.1}",
            format!("{kem:?}")
        );
    }
}
