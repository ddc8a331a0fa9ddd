//! Private-key loading from PEM and DER (PKCS#8, PKCS#1, SEC1) for every key type
//! of design §4, and pairing with certificates: a key that does not match
//! its certificate is refused when the pair is built. Keys and
//! certificates come from `vectors/pki/make.sh` (openssl).

mod common;

use common::vectors_dir;

use ferrotls::internal::crypto::hash::HashAlgorithm;
use ferrotls::internal::crypto::verify::{verify, SignatureAlgorithm};
use ferrotls::internal::pki::Certificate;
use ferrotls::{
    certificates_from_pem, private_key_from_pem, CertificateError, CertifiedKey, LoadError,
};

fn read(file: &str) -> String {
    std::fs::read_to_string(vectors_dir().join(file)).expect(file)
}

#[test]
fn every_key_form_loads_and_matches_its_certificate() {
    for (chain, key) in [
        ("rsa2048-chain.pem", "rsa2048-leaf.key"),
        ("rsa2048-chain.pem", "rsa2048-leaf.pkcs1.key"),
        ("p256-chain.pem", "p256-leaf.key"),
        ("p256-chain.pem", "p256-leaf.sec1.key"),
        ("p384-chain.pem", "p384-leaf.key"),
        ("p384-chain.pem", "p384-leaf.sec1.key"),
        ("p521-chain.pem", "p521-leaf.key"),
        ("p521-chain.pem", "p521-leaf.sec1.key"),
        ("ed25519-chain.pem", "ed25519-leaf.key"),
    ] {
        let pair = CertifiedKey::from_pem(&read(chain), &read(key))
            .unwrap_or_else(|e| panic!("{chain} + {key}: {e}"));
        assert_eq!(pair.chain().len(), 2, "{chain}");
    }
}

#[test]
fn larger_rsa_keys_load() {
    private_key_from_pem(&read("rsa4096.key")).expect("rsa4096.key");
    // crypto::sign takes RSA keys above 4096 bits through the `rsa` crate,
    // which only the legacy feature compiles in; without it the key is a
    // clean error.
    let rsa8192 = private_key_from_pem(&read("rsa8192.key"));
    if cfg!(feature = "legacy") {
        rsa8192.expect("rsa8192.key");
    } else {
        assert!(matches!(rsa8192, Err(LoadError::Key(_))));
    }
}

#[test]
fn a_loaded_key_signs_what_its_certificate_verifies() {
    let cases = [
        ("p256", SignatureAlgorithm::Ecdsa(HashAlgorithm::Sha256)),
        ("p384", SignatureAlgorithm::Ecdsa(HashAlgorithm::Sha384)),
        ("p521", SignatureAlgorithm::Ecdsa(HashAlgorithm::Sha512)),
        ("ed25519", SignatureAlgorithm::Ed25519),
        ("rsa2048", SignatureAlgorithm::RsaPss(HashAlgorithm::Sha256)),
    ];
    for (alg, algorithm) in cases {
        let key = private_key_from_pem(&read(&format!("{alg}-leaf.key"))).unwrap();
        let chain = certificates_from_pem(&read(&format!("{alg}-chain.pem"))).unwrap();
        let cert = Certificate::parse(&chain[0]).unwrap();
        let signature = key.sign(algorithm, b"ferrotls").expect(alg);
        verify(&cert.public_key, algorithm, b"ferrotls", &signature).expect(alg);
        assert!(verify(&cert.public_key, algorithm, b"ferrotlS", &signature).is_err());
    }
}

#[test]
fn a_key_of_another_certificate_is_refused() {
    for (chain, key) in [
        ("p256-chain.pem", "p384-leaf.key"),
        ("p521-chain.pem", "p521-int.key"),
        ("p256-chain.pem", "p256-int.key"),
        ("rsa2048-chain.pem", "rsa2048-root.key"),
        ("ed25519-chain.pem", "ed25519-int.key"),
    ] {
        assert!(
            matches!(
                CertifiedKey::from_pem(&read(chain), &read(key)),
                Err(LoadError::Certificate(CertificateError::KeyMismatch))
            ),
            "{chain} + {key}"
        );
    }
}

#[test]
fn files_without_a_usable_key_are_refused() {
    assert!(matches!(
        private_key_from_pem(&read("p256-leaf.pem")),
        Err(LoadError::NoPrivateKey)
    ));
    let encrypted =
        "-----BEGIN ENCRYPTED PRIVATE KEY-----\nAAAA\n-----END ENCRYPTED PRIVATE KEY-----\n";
    assert!(matches!(
        private_key_from_pem(encrypted),
        Err(LoadError::NoPrivateKey)
    ));
    let garbage = "-----BEGIN PRIVATE KEY-----\nAAAA\n-----END PRIVATE KEY-----\n";
    assert!(matches!(
        private_key_from_pem(garbage),
        Err(LoadError::Key(_))
    ));
    assert!(matches!(
        CertifiedKey::from_pem("", &read("p256-leaf.key")),
        Err(LoadError::NoCertificates)
    ));
}

#[test]
fn certificates_written_as_pem_are_what_openssl_wrote() {
    // The chain files are OpenSSL's own PEM (`vectors/pki/make.sh`):
    // blocks only, 64 characters a line.
    for chain in ["p256-chain.pem", "rsa2048-chain.pem", "ed25519-chain.pem"] {
        let text = read(chain);
        let certificates = certificates_from_pem(&text).unwrap();
        assert_eq!(certificates.len(), 2, "{chain}");
        assert_eq!(
            ferrotls::certificates_to_pem(&certificates),
            text,
            "{chain}"
        );
    }
}

fn read_bytes(file: &str) -> Vec<u8> {
    std::fs::read(vectors_dir().join(file)).expect(file)
}

/// DER files (as OpenSSL's `SSL_FILETYPE_ASN1` takes them) load as their
/// PEM forms do: the P-256 leaf and its key as PKCS#8 and SEC1, the RSA
/// leaf's key as PKCS#1, and the leaf's public key to pin; what is
/// neither PEM nor a DER structure of the kind is refused.
#[test]
fn der_files_load_as_their_pem_forms_do() {
    use ferrotls::{
        certificates_from_bytes, private_key_from_bytes, PinnedKeys, ServerCertVerifier, ServerName,
    };
    let pem_key = |file| private_key_from_pem(&read(file)).unwrap().public_key();
    for (der, pem) in [
        ("p256-leaf.key.der", "p256-leaf.key"),
        ("p256-leaf.sec1.der", "p256-leaf.key"),
        ("rsa2048-leaf.pkcs1.der", "rsa2048-leaf.key"),
    ] {
        let key = private_key_from_bytes(&read_bytes(der)).unwrap_or_else(|e| panic!("{der}: {e}"));
        assert_eq!(key.public_key(), pem_key(pem), "{der}");
    }
    let leaf = certificates_from_pem(&read("p256-leaf.pem")).unwrap();
    assert_eq!(
        certificates_from_bytes(&read_bytes("p256-leaf.der")).unwrap(),
        leaf
    );
    assert_eq!(
        certificates_from_bytes(read("p256-chain.pem").as_bytes())
            .unwrap()
            .len(),
        2
    );
    // A pair of DER files, as the tool's --cert/--key and the C
    // library's key files take them.
    let dir = vectors_dir();
    let pair =
        CertifiedKey::from_pem_files(dir.join("p256-leaf.der"), dir.join("p256-leaf.sec1.der"))
            .unwrap();
    assert_eq!(pair.chain(), leaf.as_slice());
    // The leaf's key pinned from its DER SubjectPublicKeyInfo accepts the
    // leaf, as the PEM PUBLIC KEY of the same key does.
    let pins = PinnedKeys::from_bytes(&read_bytes("p256-leaf.spki.der")).unwrap();
    let name = ServerName::parse("leaf.p256.test").unwrap();
    assert!(pins.verify_server_cert(&leaf[0], &[], &name, 0).is_ok());
    let other =
        PinnedKeys::from_bytes(&std::fs::read(dir.join("../keys/p384.spki.der")).unwrap()).unwrap();
    assert!(other.verify_server_cert(&leaf[0], &[], &name, 0).is_err());
    // Neither PEM nor the DER of a key, certificate or public key.
    let junk = [0x30, 0x03, 0x02, 0x01, 0x00];
    assert!(matches!(
        private_key_from_bytes(&junk),
        Err(LoadError::Key(_))
    ));
    assert!(matches!(
        certificates_from_bytes(&junk),
        Err(LoadError::Certificate(_))
    ));
    assert!(PinnedKeys::from_bytes(&junk).is_err());
    assert!(matches!(
        private_key_from_bytes(read("p256-leaf.pem").as_bytes()),
        Err(LoadError::NoPrivateKey)
    ));
}

/// A CA file of one DER certificate loads as its PEM form does, and the
/// store it makes validates the chain the PEM root does; junk is refused.
#[test]
fn a_der_ca_file_loads_as_its_pem_form_does() {
    use ferrotls::{RootStore, ServerCertVerifier, ServerName, WebPkiServerVerifier};
    let dir = common::Scratch::new("der-ca");
    let root = certificates_from_pem(&read("p256-root.pem")).unwrap();
    let [root] = &root[..] else {
        panic!("one root")
    };
    let der = dir.file("root.der");
    std::fs::write(&der, root).unwrap();
    let chain = certificates_from_pem(&read("p256-chain.pem")).unwrap();
    let name = ServerName::parse("leaf.p256.test").unwrap();
    for path in [
        der.clone(),
        vectors_dir().join("p256-root.pem").display().to_string(),
    ] {
        let store = RootStore::from_pem_file(&path).unwrap_or_else(|e| panic!("{path}: {e}"));
        let verifier = WebPkiServerVerifier::new(std::sync::Arc::new(store));
        let intermediates: Vec<&[u8]> = chain[1..].iter().map(Vec::as_slice).collect();
        verifier
            .verify_server_cert(&chain[0], &intermediates, &name, common::NOW)
            .unwrap_or_else(|e| panic!("{path}: {e}"));
    }
    std::fs::write(&der, [0x30, 0x03, 0x02, 0x01, 0x00]).unwrap();
    assert!(RootStore::from_pem_file(&der).is_err());
}
