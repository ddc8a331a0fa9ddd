//! RSA keys under the id-RSASSA-PSS OID (RFC 4055 §3.1): loading them as
//! `openssl genpkey -algorithm RSA-PSS` writes them, the `rsa_pss_pss_*`
//! schemes they sign and verify with (and the `rsa_pss_rsae_*` and
//! `rsa_pkcs1_*` ones they may not, RFC 8446 §4.2.3), the hash their
//! parameters bind them to, openssl-made signatures, and path validation
//! through a PSS-keyed CA.
//!
//! Keys, certificates and signatures come from `vectors/pss/make.sh`.

mod common;

use std::path::PathBuf;

use common::NOW;
use ferrotls::internal::crypto::hash::HashAlgorithm as H;
use ferrotls::internal::crypto::sign::SigningKey;
use ferrotls::internal::crypto::verify::{
    verify, verify_scheme, PublicKey, SignatureAlgorithm as A,
};
use ferrotls::internal::error::{CryptoReason, IllegalParameterReason};
use ferrotls::internal::pki::Certificate;
use ferrotls::{
    certificates_from_pem, private_key_from_pem, verify_chain, CertifiedKey, Error, Purpose,
    RootStore, ServerName, SignatureScheme as S, Validation,
};

const PSS_PSS: [S; 3] = [
    S::rsa_pss_pss_sha256,
    S::rsa_pss_pss_sha384,
    S::rsa_pss_pss_sha512,
];
const NOT_FOR_PSS_KEYS: [S; 6] = [
    S::rsa_pss_rsae_sha256,
    S::rsa_pss_rsae_sha384,
    S::rsa_pss_rsae_sha512,
    S::rsa_pkcs1_sha256,
    S::rsa_pkcs1_sha384,
    S::rsa_pkcs1_sha512,
];

fn pss_file(name: &str) -> Vec<u8> {
    let path = PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("vectors/pss")
        .join(name);
    std::fs::read(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

fn pss_text(name: &str) -> String {
    String::from_utf8(pss_file(name)).unwrap()
}

fn signing_key(name: &str) -> SigningKey {
    private_key_from_pem(&pss_text(&format!("{name}.key"))).unwrap()
}

/// The public key of `leaf.pem` (or another certificate), as path
/// validation reads it.
fn certificate_key(name: &str) -> PublicKey {
    let der = certificates_from_pem(&pss_text(&format!("{name}.pem"))).unwrap();
    Certificate::parse(&der[0]).unwrap().public_key
}

#[test]
fn pss_keys_load_with_the_hash_their_parameters_name() {
    let unrestricted = signing_key("leaf");
    assert!(
        matches!(
            unrestricted.public_key(),
            PublicKey::RsaPss { hash: None, .. }
        ),
        "{:?}",
        unrestricted.public_key()
    );
    assert_eq!(unrestricted.schemes(), PSS_PSS);
    assert_eq!(format!("{unrestricted:?}"), "SigningKey(RSA-PSS)");
    let sha384 = signing_key("leaf384");
    assert!(matches!(
        sha384.public_key(),
        PublicKey::RsaPss {
            hash: Some(H::Sha384),
            ..
        }
    ));
    assert_eq!(sha384.schemes(), [S::rsa_pss_pss_sha384]);
    // The SPKI of the certificate (and of `openssl pkey -pubout`) is the
    // same key, so the pair loads.
    assert_eq!(certificate_key("leaf"), unrestricted.public_key());
    assert_eq!(certificate_key("leaf384"), sha384.public_key());
    CertifiedKey::from_pem(&pss_text("chain.pem"), &pss_text("leaf.key")).unwrap();
    CertifiedKey::from_pem(&pss_text("chain384.pem"), &pss_text("leaf384.key")).unwrap();
    // An rsaEncryption key keeps its schemes: no rsa_pss_pss_* among them.
    let rsae = signing_key("rsae-leaf");
    assert!(matches!(rsae.public_key(), PublicKey::Rsa(_)));
    assert!(rsae.schemes().iter().all(|s| !PSS_PSS.contains(s)));
    assert!(rsae.schemes().contains(&S::rsa_pss_rsae_sha256));
}

#[test]
fn a_pss_key_signs_and_verifies_rsa_pss_pss_only() {
    let message = b"handshake transcript";
    for (name, fits) in [
        ("leaf", &PSS_PSS[..]),
        ("leaf384", &[S::rsa_pss_pss_sha384][..]),
    ] {
        let key = signing_key(name);
        let public = certificate_key(name);
        for scheme in PSS_PSS.iter().chain(&NOT_FOR_PSS_KEYS) {
            let signed = key.sign_scheme(*scheme, message);
            if fits.contains(scheme) {
                let signature = signed.unwrap();
                verify_scheme(&public, *scheme, message, &signature).unwrap();
                // The same bytes are an RSASSA-PSS signature, but not one
                // the rsae_* code point may carry (RFC 8446 §4.2.3).
                let rsae = match scheme {
                    S::rsa_pss_pss_sha256 => S::rsa_pss_rsae_sha256,
                    S::rsa_pss_pss_sha384 => S::rsa_pss_rsae_sha384,
                    _ => S::rsa_pss_rsae_sha512,
                };
                assert_eq!(
                    verify_scheme(&public, rsae, message, &signature),
                    Err(Error::IllegalParameter(
                        IllegalParameterReason::SchemeUnfitForKey
                    )),
                    "{name} {rsae:?}"
                );
            } else {
                assert_eq!(
                    signed,
                    Err(Error::Crypto(CryptoReason::KeyCannotSignAlgorithm)),
                    "{name} {scheme:?}"
                );
                assert_eq!(
                    verify_scheme(&public, *scheme, message, &[0; 256]),
                    Err(Error::IllegalParameter(
                        IllegalParameterReason::SchemeUnfitForKey
                    )),
                    "{name} {scheme:?}"
                );
            }
        }
    }
    // An rsaEncryption key neither signs nor verifies rsa_pss_pss_*.
    let rsae = signing_key("rsae-leaf");
    for scheme in PSS_PSS {
        assert_eq!(
            rsae.sign_scheme(scheme, message),
            Err(Error::Crypto(CryptoReason::KeyCannotSignAlgorithm))
        );
        assert_eq!(
            verify_scheme(&rsae.public_key(), scheme, message, &[0; 256]),
            Err(Error::IllegalParameter(
                IllegalParameterReason::SchemeUnfitForKey
            ))
        );
    }
}

#[test]
fn openssl_pss_signatures_verify_under_the_pss_schemes() {
    let message = pss_file("message.bin");
    let leaf = certificate_key("leaf");
    for (hash, scheme) in [
        ("sha256", PSS_PSS[0]),
        ("sha384", PSS_PSS[1]),
        ("sha512", PSS_PSS[2]),
    ] {
        let signature = pss_file(&format!("leaf.pss-{hash}.sig"));
        verify_scheme(&leaf, scheme, &message, &signature).unwrap();
        let mut tampered = message.clone();
        tampered[0] ^= 1;
        assert!(matches!(
            verify_scheme(&leaf, scheme, &tampered, &signature),
            Err(Error::DecryptError(_))
        ));
    }
    verify_scheme(
        &certificate_key("leaf384"),
        S::rsa_pss_pss_sha384,
        &message,
        &pss_file("leaf384.pss-sha384.sig"),
    )
    .unwrap();
}

#[test]
fn a_restricted_pss_key_verifies_only_its_own_hash_and_never_pkcs1() {
    let int = certificate_key("int");
    assert!(matches!(
        int,
        PublicKey::RsaPss {
            hash: Some(H::Sha256),
            ..
        }
    ));
    for algorithm in [
        A::RsaPss(H::Sha384),
        A::RsaPss(H::Sha512),
        A::RsaPkcs1(H::Sha256),
    ] {
        assert_eq!(
            verify(&int, algorithm, b"m", &[0; 256]),
            Err(Error::IllegalParameter(
                IllegalParameterReason::SignatureAlgorithmUnfit
            )),
            "{algorithm:?}"
        );
    }
}

fn roots() -> RootStore {
    let mut roots = RootStore::new();
    roots.add_pem(&pss_text("root.pem")).unwrap();
    roots
}

#[test]
fn chains_through_pss_keyed_cas_validate() {
    let roots = roots();
    for (chain, name) in [
        ("chain.pem", "leaf.pss.test"),
        ("chain384.pem", "leaf384.pss.test"),
        ("rsae-chain.pem", "rsae.pss.test"),
    ] {
        let certs = certificates_from_pem(&pss_text(chain)).unwrap();
        let name = ServerName::parse(name).unwrap();
        let validation = Validation::new(&roots, Purpose::ServerAuth, NOW).with_name(&name);
        let intermediates: Vec<&[u8]> = certs[1..].iter().map(Vec::as_slice).collect();
        let path = verify_chain(&certs[0], &intermediates, &validation)
            .unwrap_or_else(|e| panic!("{chain}: {e}"));
        assert_eq!(path.chain.len(), 3, "{chain}");
    }
}

#[test]
fn a_bad_signature_by_a_pss_keyed_ca_is_refused() {
    let roots = roots();
    let mut certs = certificates_from_pem(&pss_text("chain.pem")).unwrap();
    // The leaf's signature is the last bytes of its DER.
    let last = certs[0].len() - 1;
    certs[0][last] ^= 1;
    let name = ServerName::parse("leaf.pss.test").unwrap();
    let validation = Validation::new(&roots, Purpose::ServerAuth, NOW).with_name(&name);
    let intermediates: Vec<&[u8]> = certs[1..].iter().map(Vec::as_slice).collect();
    let got = verify_chain(&certs[0], &intermediates, &validation);
    assert!(
        matches!(got, Err(ferrotls::CertificateError::BadSignature)),
        "{got:?}"
    );
}

/// A key without a certificate (raw public keys, RFC 7250) is known to
/// its peer by its SubjectPublicKeyInfo, so the one `CertifiedKey::from_key`
/// makes must be the key's own: an id-RSASSA-PSS key keeps the
/// parameters it was made with (RFC 4055 §3.1), here a minimum salt of 16 bytes
/// rather than the hash length, byte for byte as `openssl pkey -pubout`
/// writes them.
#[test]
fn a_pss_key_without_a_certificate_keeps_its_own_parameters() {
    let dir = common::Scratch::new("pki_rsa_pss-salt16");
    let key = dir.join("key.pem");
    let spki = dir.join("spki.der");
    let openssl = |args: &[&str]| {
        let out = std::process::Command::new("openssl")
            .args(args)
            .output()
            .expect("openssl runs");
        assert!(
            out.status.success(),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
    };
    openssl(&[
        "genpkey",
        "-algorithm",
        "RSA-PSS",
        "-pkeyopt",
        "rsa_keygen_bits:2048",
        "-pkeyopt",
        "rsa_pss_keygen_md:sha256",
        "-pkeyopt",
        "rsa_pss_keygen_mgf1_md:sha256",
        "-pkeyopt",
        "rsa_pss_keygen_saltlen:16",
        "-out",
        key.to_str().unwrap(),
    ]);
    openssl(&[
        "pkey",
        "-in",
        key.to_str().unwrap(),
        "-pubout",
        "-outform",
        "DER",
        "-out",
        spki.to_str().unwrap(),
    ]);
    let signing = private_key_from_pem(&std::fs::read_to_string(&key).unwrap()).unwrap();
    let certified = CertifiedKey::from_key(signing);
    assert_eq!(
        hex::encode(certified.spki()),
        hex::encode(std::fs::read(&spki).unwrap())
    );
    // The restriction to SHA-256 still holds.
    assert_eq!(certified.key().schemes(), [S::rsa_pss_pss_sha256]);
    std::fs::remove_dir_all(&dir).unwrap();
    // The committed keys too: no parameters, and SHA-384 with salt 48.
    for name in ["leaf", "leaf384"] {
        let certified = CertifiedKey::from_key(signing_key(name));
        assert_eq!(
            hex::encode(certified.spki()),
            hex::encode(pss_file(&format!("{name}.spki.der"))),
            "{name}"
        );
    }
}
