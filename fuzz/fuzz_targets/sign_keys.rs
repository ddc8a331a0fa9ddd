//! Loads arbitrary bytes as private keys in every form, verifies arbitrary
//! signatures under arbitrary public keys of every type with every
//! algorithm, and completes key shares with arbitrary peer keys. Nothing may
//! panic.
#![no_main]

use ferrotls::internal::crypto::hash::HashAlgorithm as H;
use ferrotls::internal::crypto::kx::{supported_groups, KeyShare};
use ferrotls::internal::crypto::sign::SigningKey;
use ferrotls::internal::crypto::verify::{verify, PublicKey, SignatureAlgorithm as A};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let _ = SigningKey::from_pkcs8_der(data);
    let _ = SigningKey::from_pkcs1_der(data);
    let _ = SigningKey::from_sec1_der(data);

    let (key, signature) = data.split_at(data.len() / 2);
    let keys = [
        PublicKey::Rsa(key.to_vec()),
        PublicKey::EcdsaP256(key.to_vec()),
        PublicKey::EcdsaP384(key.to_vec()),
        PublicKey::EcdsaP521(key.to_vec()),
        PublicKey::Ed25519(key.to_vec()),
        PublicKey::RsaPss {
            key: key.to_vec(),
            hash: None,
        },
        PublicKey::RsaPss {
            key: key.to_vec(),
            hash: Some(H::Sha384),
        },
    ];
    let mut algorithms = vec![A::Ed25519];
    for hash in [H::Sha1, H::Sha256, H::Sha384, H::Sha512] {
        algorithms.extend([A::RsaPkcs1(hash), A::RsaPss(hash), A::Ecdsa(hash)]);
    }
    // ferrotls's default features include `legacy`.
    algorithms.push(A::RsaPkcs1Md5Sha1);
    for public in &keys {
        for &algorithm in &algorithms {
            let _ = verify(public, algorithm, b"message", signature);
        }
    }

    for &group in supported_groups() {
        if let Ok(share) = KeyShare::generate(group) {
            let _ = share.complete(data);
        }
    }
});
