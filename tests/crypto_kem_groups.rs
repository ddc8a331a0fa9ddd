//! The key-exchange groups built on ML-KEM through the crypto wrapper
//! (`crypto::kem_groups`): the hybrids (draft-ietf-tls-ecdhe-mlkem) and
//! ML-KEM alone (draft-ietf-tls-mlkem). Known answers computed by
//! independent implementations (kyber-py for ML-KEM, pyca/cryptography for
//! X25519, P-256 and P-384; `vectors/hybrid/make.py`) for every hybrid
//! group, and for the pure groups the ML-KEM halves of the same vectors;
//! round trips in each, and each malformed share refused with its reason.

use std::collections::BTreeMap;

use ferrotls::internal::crypto::kem_groups::{
    client_share_len, is_kem_group, respond, server_share_len, KemShare,
};
use ferrotls::internal::crypto::rng::FixedBytes;
use ferrotls::internal::error::IllegalParameterReason;
use ferrotls::{Error, NamedGroup, OsRng};

const HYBRIDS: [NamedGroup; 3] = [
    NamedGroup::X25519MLKEM768,
    NamedGroup::SecP256r1MLKEM768,
    NamedGroup::SecP384r1MLKEM1024,
];

/// Every group built on ML-KEM: the hybrids, then ML-KEM alone.
const KEM_GROUPS: [NamedGroup; 6] = [
    NamedGroup::X25519MLKEM768,
    NamedGroup::SecP256r1MLKEM768,
    NamedGroup::SecP384r1MLKEM1024,
    NamedGroup::MLKEM512,
    NamedGroup::MLKEM768,
    NamedGroup::MLKEM1024,
];

/// `vectors/hybrid/vectors.txt`: section → key → bytes.
fn vectors() -> BTreeMap<String, BTreeMap<String, Vec<u8>>> {
    let path = concat!(env!("CARGO_MANIFEST_DIR"), "/vectors/hybrid/vectors.txt");
    let mut sections = BTreeMap::new();
    let mut current = String::new();
    for line in std::fs::read_to_string(path).unwrap().lines() {
        if let Some(name) = line.strip_prefix('[').and_then(|l| l.strip_suffix(']')) {
            current = name.to_string();
        } else if let Some((key, value)) = line.split_once(" = ") {
            sections
                .entry(current.clone())
                .or_insert_with(BTreeMap::new)
                .insert(key.to_string(), hex::decode(value).unwrap());
        }
    }
    sections
}

#[test]
fn known_answers_from_independent_implementations() {
    let vectors = vectors();
    for group in HYBRIDS {
        let name = format!("{group:?}");
        let v = &vectors[&name];
        let client_pool = FixedBytes::new(&v["client_random"]);
        let client = KemShare::generate(group, &client_pool).unwrap();
        assert_eq!(client_pool.remaining(), 0, "{name}: client draws");
        assert_eq!(client.public_key(), v["client_share"].as_slice(), "{name}");
        let server_pool = FixedBytes::new(&v["server_random"]);
        let (server_share, server_secret) =
            respond(group, client.public_key(), &server_pool).unwrap();
        assert_eq!(server_pool.remaining(), 0, "{name}: server draws");
        assert_eq!(server_share, v["server_share"], "{name}");
        assert_eq!(
            server_secret.as_bytes(),
            v["shared_secret"].as_slice(),
            "{name}"
        );
        let client_secret = client.complete(&server_share).unwrap();
        assert_eq!(
            client_secret.as_bytes(),
            v["shared_secret"].as_slice(),
            "{name}"
        );
    }
}

#[test]
fn ml_kem_alone_gives_the_ml_kem_half_of_the_hybrid_known_answers() {
    // A pure group draws ML-KEM's seeds first, as a hybrid does, so from
    // the same random bytes its shares and secret are the ML-KEM halves of
    // the hybrid's: the first 1184 and 1088 bytes and 32 bytes of
    // X25519MLKEM768 (ML-KEM first), the last 1568, 1568 and 32 bytes of
    // SecP384r1MLKEM1024 (P-384 first).
    let vectors = vectors();
    for (group, hybrid, kem_first, ek_len, ct_len) in [
        (NamedGroup::MLKEM768, "X25519MLKEM768", true, 1184, 1088),
        (
            NamedGroup::MLKEM1024,
            "SecP384r1MLKEM1024",
            false,
            1568,
            1568,
        ),
    ] {
        let v = &vectors[hybrid];
        let half = |bytes: &[u8], len: usize| -> Vec<u8> {
            if kem_first {
                bytes[..len].to_vec()
            } else {
                bytes[bytes.len() - len..].to_vec()
            }
        };
        let client = KemShare::generate(group, &FixedBytes::new(&v["client_random"])).unwrap();
        assert_eq!(client.public_key(), half(&v["client_share"], ek_len));
        let (server_share, server_secret) = respond(
            group,
            client.public_key(),
            &FixedBytes::new(&v["server_random"]),
        )
        .unwrap();
        assert_eq!(server_share, half(&v["server_share"], ct_len), "{group:?}");
        let secret = half(&v["shared_secret"], 32);
        assert_eq!(server_secret.as_bytes(), secret.as_slice(), "{group:?}");
        let client_secret = client.complete(&server_share).unwrap();
        assert_eq!(client_secret.as_bytes(), secret.as_slice(), "{group:?}");
    }
}

#[test]
fn ml_kem_alone_agrees_with_aws_lc_both_ways() {
    // AWS-LC's ML-KEM (through aws-lc-rs, a dev-dependency) is an
    // implementation independent of libcrux: it encapsulates to our
    // client's share and decapsulates our server's answer.
    use aws_lc_rs::kem::{Ciphertext, DecapsulationKey, EncapsulationKey};
    use aws_lc_rs::kem::{ML_KEM_1024, ML_KEM_512, ML_KEM_768};
    for (group, alg) in [
        (NamedGroup::MLKEM512, &ML_KEM_512),
        (NamedGroup::MLKEM768, &ML_KEM_768),
        (NamedGroup::MLKEM1024, &ML_KEM_1024),
    ] {
        let ours = KemShare::generate(group, &OsRng::new()).unwrap();
        let theirs = EncapsulationKey::new(alg, ours.public_key()).unwrap();
        let (ciphertext, secret) = theirs.encapsulate().unwrap();
        let ours = ours.complete(ciphertext.as_ref()).unwrap();
        assert_eq!(ours.as_bytes(), secret.as_ref(), "{group:?}: our client");

        let theirs = DecapsulationKey::generate(alg).unwrap();
        let share = theirs.encapsulation_key().unwrap().key_bytes().unwrap();
        let (answer, ours) = respond(group, share.as_ref(), &OsRng::new()).unwrap();
        let secret = theirs.decapsulate(Ciphertext::from(&answer[..])).unwrap();
        assert_eq!(ours.as_bytes(), secret.as_ref(), "{group:?}: our server");
    }
}

#[test]
fn every_kem_group_agrees_and_has_the_drafts_lengths() {
    // draft-ietf-tls-ecdhe-mlkem §4: client and server share lengths.
    for (group, client_len, server_len, secret_len) in [
        (NamedGroup::X25519MLKEM768, 1184 + 32, 1088 + 32, 32 + 32),
        (NamedGroup::SecP256r1MLKEM768, 65 + 1184, 65 + 1088, 32 + 32),
        (
            NamedGroup::SecP384r1MLKEM1024,
            97 + 1568,
            97 + 1568,
            48 + 32,
        ),
        // draft-ietf-tls-mlkem §3: the encapsulation key, the ciphertext,
        // and ML-KEM's 32-byte secret.
        (NamedGroup::MLKEM512, 800, 768, 32),
        (NamedGroup::MLKEM768, 1184, 1088, 32),
        (NamedGroup::MLKEM1024, 1568, 1568, 32),
    ] {
        assert!(is_kem_group(group));
        assert_eq!(client_share_len(group), Some(client_len));
        assert_eq!(server_share_len(group), Some(server_len));
        let client = KemShare::generate(group, &OsRng::new()).unwrap();
        assert_eq!(client.public_key().len(), client_len);
        let (share, server_secret) = respond(group, client.public_key(), &OsRng::new()).unwrap();
        assert_eq!(share.len(), server_len);
        let client_secret = client.complete(&share).unwrap();
        assert_eq!(client_secret.as_bytes(), server_secret.as_bytes());
        assert_eq!(client_secret.len(), secret_len);
    }
    assert!(!is_kem_group(NamedGroup::X25519));
    assert_eq!(client_share_len(NamedGroup::secp256r1), None);
}

fn illegal(reason: IllegalParameterReason) -> Error {
    Error::IllegalParameter(reason)
}

#[test]
fn shares_of_the_wrong_length_are_illegal_parameter() {
    for group in KEM_GROUPS {
        let client = KemShare::generate(group, &OsRng::new()).unwrap();
        let mut long = client.public_key().to_vec();
        long.push(0);
        let short = &client.public_key()[1..];
        for share in [&long[..], short, &[][..]] {
            assert_eq!(
                respond(group, share, &OsRng::new()).unwrap_err(),
                illegal(IllegalParameterReason::KeyShareLength),
                "{group:?}"
            );
        }
        let (server_share, _) = respond(group, client.public_key(), &OsRng::new()).unwrap();
        assert_eq!(
            client.complete(&server_share[1..]).unwrap_err(),
            illegal(IllegalParameterReason::KeyShareLength)
        );
    }
}

#[test]
fn an_encapsulation_key_failing_the_modulus_check_is_illegal_parameter() {
    // FIPS 203 §7.2: every 12-bit coefficient of the key must be below
    // q = 3329; 0xfff is not. X25519MLKEM768 puts the key first.
    let client = KemShare::generate(NamedGroup::X25519MLKEM768, &OsRng::new()).unwrap();
    let mut share = client.public_key().to_vec();
    share[0] = 0xff;
    share[1] |= 0x0f;
    assert_eq!(
        respond(NamedGroup::X25519MLKEM768, &share, &OsRng::new()).unwrap_err(),
        illegal(IllegalParameterReason::MlKemEncapsulationKeyModulus)
    );
    for group in [
        NamedGroup::MLKEM512,
        NamedGroup::MLKEM768,
        NamedGroup::MLKEM1024,
    ] {
        let client = KemShare::generate(group, &OsRng::new()).unwrap();
        let mut share = client.public_key().to_vec();
        share[0] = 0xff;
        share[1] |= 0x0f;
        assert_eq!(
            respond(group, &share, &OsRng::new()).unwrap_err(),
            illegal(IllegalParameterReason::MlKemEncapsulationKeyModulus),
            "{group:?}"
        );
    }
}

#[test]
fn a_bad_curve_half_is_refused_as_the_curve_refuses_it() {
    // The X25519 half all zeros gives the all-zero secret (RFC 7748 §6.1);
    // the P-256 half not an uncompressed point on the curve.
    let client = KemShare::generate(NamedGroup::X25519MLKEM768, &OsRng::new()).unwrap();
    let mut share = client.public_key().to_vec();
    let len = share.len();
    share[len - 32..].fill(0);
    assert_eq!(
        respond(NamedGroup::X25519MLKEM768, &share, &OsRng::new()).unwrap_err(),
        illegal(IllegalParameterReason::KeyShareInvalid)
    );
    let client = KemShare::generate(NamedGroup::SecP256r1MLKEM768, &OsRng::new()).unwrap();
    let mut share = client.public_key().to_vec();
    share[0] = 0x02;
    assert_eq!(
        respond(NamedGroup::SecP256r1MLKEM768, &share, &OsRng::new()).unwrap_err(),
        illegal(IllegalParameterReason::KeyShareInvalid)
    );
}

#[test]
fn a_corrupted_ciphertext_gives_another_secret_not_an_error() {
    // FIPS 203 §6.3 implicit rejection: the handshake then fails at
    // Finished, never at the key exchange.
    let client = KemShare::generate(NamedGroup::X25519MLKEM768, &OsRng::new()).unwrap();
    let (mut share, server_secret) = respond(
        NamedGroup::X25519MLKEM768,
        client.public_key(),
        &OsRng::new(),
    )
    .unwrap();
    share[0] ^= 1;
    let client_secret = client.complete(&share).unwrap();
    assert_ne!(client_secret.as_bytes(), server_secret.as_bytes());
}

#[test]
fn groups_not_built_on_ml_kem_are_refused() {
    assert_eq!(
        KemShare::generate(NamedGroup::X25519, &OsRng::new()).unwrap_err(),
        illegal(IllegalParameterReason::UnsupportedKxGroup)
    );
    assert_eq!(
        respond(NamedGroup::secp256r1, &[4; 65], &OsRng::new()).unwrap_err(),
        illegal(IllegalParameterReason::UnsupportedKxGroup)
    );
}
