//! The key-exchange primitives the crypto floor of a handshake is made
//! of, with the OS generator a configuration uses by default: ML-KEM key
//! generation, encapsulation and decapsulation through `crypto::mlkem`
//! (ML-KEM-768 and ML-KEM-1024; encapsulation includes the FIPS 203 §7.2
//! checks of the peer's key, as in a handshake), and finite-field DHE
//! through `crypto::ffdhe` in each RFC 7919 group (key generation, and
//! completing with a peer's value, its range check included).
//!
//! The last table puts the operations of an X25519MLKEM768 handshake
//! side by side in this crate's providers (X25519 in ring through
//! `crypto::kx`, ML-KEM-768 in libcrux through `crypto::mlkem`) and in
//! AWS-LC through `aws-lc-rs`, the provider rustls uses by default (and
//! X25519 in curve25519-dalek, the other maintained Rust X25519): the
//! part of the `*-mlkem-*` rows of `benches/compare.rs` that is the
//! primitives' and not the engines'.
//!
//! Run with `cargo bench --bench key_exchange`; prints the median µs per
//! operation over `ROUNDS` batches of `BATCH`.

use aws_lc_rs::agreement::{self, EphemeralPrivateKey, UnparsedPublicKey, X25519};
use aws_lc_rs::kem::{self, ML_KEM_768};
use ferrotls::internal::crypto::ffdhe::{DhGroup, DhKeyPair};
use ferrotls::internal::crypto::kx::KeyShare;
use ferrotls::internal::crypto::mlkem::{encapsulate, DecapsulationKey, MlKem};
use ferrotls::{NamedGroup, OsRng, SecureRandom};
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
    mlkem_table();
    ffdhe_table();
    providers_table();
}

fn mlkem_table() {
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
}

fn ffdhe_table() {
    let rng = OsRng::new();
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

/// X25519 key generation (with the public value) and agreement, and
/// ML-KEM-768 key generation (with the encapsulation key's bytes),
/// encapsulation (parsing and checking the peer's key) and decapsulation,
/// in this crate's providers and in AWS-LC.
fn providers_table() {
    println!(
        "\n{:<24} {:>10} {:>10} {:>10} {:>10} {:>10}",
        "µs/op", "x25519 kg", "x25519 dh", "mlkem kg", "encaps", "decaps"
    );
    let peer = KeyShare::generate(NamedGroup::X25519).unwrap();
    let x_keygen = median_us(MLKEM_BATCH, || {
        black_box(KeyShare::generate(NamedGroup::X25519).unwrap());
    });
    let x_both = median_us(MLKEM_BATCH, || {
        let share = KeyShare::generate(NamedGroup::X25519).unwrap();
        black_box(share.complete(black_box(peer.public_key())).unwrap());
    });
    let rng = OsRng::new();
    let (key, ek) = DecapsulationKey::generate(MlKem::Mlkem768, &rng).unwrap();
    let (ct, _) = encapsulate(MlKem::Mlkem768, &ek, &rng).unwrap();
    let m_keygen = median_us(MLKEM_BATCH, || {
        black_box(DecapsulationKey::generate(MlKem::Mlkem768, &rng).unwrap());
    });
    let m_encaps = median_us(MLKEM_BATCH, || {
        black_box(encapsulate(MlKem::Mlkem768, black_box(&ek), &rng).unwrap());
    });
    let m_decaps = median_us(MLKEM_BATCH, || {
        black_box(key.decapsulate(black_box(&ct)).unwrap());
    });
    println!(
        "{:<24} {x_keygen:>10.1} {:>10.1} {m_keygen:>10.1} {m_encaps:>10.1} {m_decaps:>10.1}",
        "ring + libcrux (ours)",
        x_both - x_keygen
    );

    // curve25519-dalek, the other maintained X25519 in Rust (a
    // dev-dependency for the RFC 8448 traces), for X25519 alone.
    let seed = || {
        let mut scalar = [0u8; 32];
        rng.fill(&mut scalar).unwrap();
        x25519_dalek::StaticSecret::from(scalar)
    };
    let peer_point: [u8; 32] = peer.public_key().try_into().unwrap();
    let peer_point = x25519_dalek::PublicKey::from(peer_point);
    let x_keygen = median_us(MLKEM_BATCH, || {
        black_box(x25519_dalek::PublicKey::from(&seed()));
    });
    let x_both = median_us(MLKEM_BATCH, || {
        let secret = seed();
        black_box(x25519_dalek::PublicKey::from(&secret));
        black_box(secret.diffie_hellman(black_box(&peer_point)));
    });
    println!(
        "{:<24} {x_keygen:>10.1} {:>10.1}",
        "x25519-dalek",
        x_both - x_keygen
    );

    let aws_rng = aws_lc_rs::rand::SystemRandom::new();
    let x_keygen = median_us(MLKEM_BATCH, || {
        let private = EphemeralPrivateKey::generate(&X25519, &aws_rng).unwrap();
        black_box(private.compute_public_key().unwrap());
    });
    let x_both = median_us(MLKEM_BATCH, || {
        let private = EphemeralPrivateKey::generate(&X25519, &aws_rng).unwrap();
        black_box(private.compute_public_key().unwrap());
        let peer = UnparsedPublicKey::new(&X25519, black_box(peer.public_key()));
        agreement::agree_ephemeral(private, peer, (), |secret| {
            black_box(secret.len());
            Ok(())
        })
        .unwrap();
    });
    let key = kem::DecapsulationKey::generate(&ML_KEM_768).unwrap();
    let ek = key.encapsulation_key().unwrap().key_bytes().unwrap();
    let ek = ek.as_ref().to_vec();
    let (ct, _) = key.encapsulation_key().unwrap().encapsulate().unwrap();
    let ct = ct.as_ref().to_vec();
    let m_keygen = median_us(MLKEM_BATCH, || {
        let key = kem::DecapsulationKey::generate(&ML_KEM_768).unwrap();
        black_box(key.encapsulation_key().unwrap().key_bytes().unwrap());
    });
    let m_encaps = median_us(MLKEM_BATCH, || {
        let peer = kem::EncapsulationKey::new(&ML_KEM_768, black_box(&ek)).unwrap();
        black_box(peer.encapsulate().unwrap());
    });
    let m_decaps = median_us(MLKEM_BATCH, || {
        black_box(key.decapsulate(black_box(ct.as_slice()).into()).unwrap());
    });
    println!(
        "{:<24} {x_keygen:>10.1} {:>10.1} {m_keygen:>10.1} {m_encaps:>10.1} {m_decaps:>10.1}",
        "aws-lc-rs",
        x_both - x_keygen
    );
}
