//! Trust anchors given as a bare subject, SubjectPublicKeyInfo and
//! optional name constraints (RFC 5280 §6.1.1 (d)) instead of a
//! certificate: a chain verifies against one, through the verify API and
//! in a handshake; a wrong key does not; the anchor's name constraints
//! bind the path below it; the signature cache tells anchors apart by
//! key. Certificates from `vectors/pki/make.sh`.

mod common;

use common::{handshaken, pair, read_vector, transfer, NOW};
use ferrotls::{
    certificates_from_pem, verify_chain, verify_chain_cached, CertificateError, CertifiedKey,
    ClientConfig, Error, ManualClock, Purpose, RootStore, ServerConfig, ServerName, SignatureCache,
    TrustAnchor, UnixTime, Validation, VerifiedPath, WebPkiServerVerifier,
};
use std::sync::Arc;

/// The certificates of a PEM file in `vectors/pki`, in order.
fn certificates(file: &str) -> Vec<Vec<u8>> {
    certificates_from_pem(&read_vector(file)).unwrap()
}

/// The CA certificate `file` as a certificate anchor, to read its subject
/// and key from.
fn certificate_anchor(file: &str) -> TrustAnchor {
    TrustAnchor::from_der(certificates(file).remove(0)).unwrap()
}

/// DER NameConstraints (RFC 5280 §4.2.1.10) whose only permitted subtree
/// is the dNSName `example.com`: SEQUENCE { [0] { SEQUENCE { [2] … } } }.
fn permit_example_com() -> Vec<u8> {
    let name = b"example.com";
    let mut der = vec![0x30, 0x11, 0xa0, 0x0f, 0x30, 0x0d, 0x82, 0x0b];
    der.extend(name);
    assert_eq!(der.len(), 2 + 0x11);
    der
}

/// A store holding only a bare anchor with the p256 root's subject, the
/// key of `key_from` and `name_constraints`.
fn bare_store(key_from: &str, name_constraints: Option<&[u8]>) -> RootStore {
    let subject = certificate_anchor("p256-root.pem");
    let key = certificate_anchor(key_from);
    let mut store = RootStore::new();
    store
        .add_anchor(subject.subject(), key.spki(), name_constraints)
        .unwrap();
    assert_eq!(store.len(), 1);
    assert_eq!(store.anchors()[0].certificate(), None);
    store
}

/// Validates the chain of `chain_file` for `name` against `roots`,
/// through `cache` when given.
fn verify(
    roots: &RootStore,
    chain_file: &str,
    name: &str,
    cache: Option<&SignatureCache>,
) -> Result<VerifiedPath, CertificateError> {
    let chain = certificates(chain_file);
    let intermediates: Vec<&[u8]> = chain[1..].iter().map(Vec::as_slice).collect();
    let name = ServerName::parse(name).unwrap();
    let validation = Validation::new(roots, Purpose::ServerAuth, NOW).with_name(&name);
    match cache {
        Some(cache) => verify_chain_cached(&chain[0], &intermediates, &validation, cache),
        None => verify_chain(&chain[0], &intermediates, &validation),
    }
}

/// A client trusting `roots` and a server serving the chain of
/// `chain_file` with the p256 leaf key, both at [`NOW`].
fn configs(roots: RootStore, chain_file: &str) -> (Arc<ClientConfig>, Arc<ServerConfig>) {
    let clock = Arc::new(ManualClock::new(UnixTime::from_secs(NOW)));
    let verifier = Arc::new(WebPkiServerVerifier::new(Arc::new(roots)));
    let client = ClientConfig::builder(verifier)
        .clock(clock.clone())
        .build()
        .unwrap();
    let key =
        CertifiedKey::from_pem(&read_vector(chain_file), &read_vector("p256-leaf.key")).unwrap();
    let server = ServerConfig::builder(Arc::new(key))
        .clock(clock)
        .build()
        .unwrap();
    (client, server)
}

/// Runs a handshake that the client must refuse, and returns its error.
fn client_refusal(roots: RootStore, chain_file: &str, name: &str) -> Error {
    let (client, server) = configs(roots, chain_file);
    let (mut c, mut s) = pair(client, server, ServerName::parse(name).unwrap());
    for _ in 0..10 {
        let (_, r) = transfer(&mut c, &mut s);
        r.unwrap();
        if let (_, Err(e)) = transfer(&mut s, &mut c) {
            return e;
        }
    }
    panic!("the client accepted the handshake");
}

#[test]
fn a_chain_verifies_against_a_bare_anchor() {
    let store = bare_store("p256-root.pem", None);
    let path = verify(&store, "p256-chain.pem", "leaf.p256.test", None).unwrap();
    assert_eq!(path.chain, certificates("p256-chain.pem"));
    assert_eq!(path.anchor, store.anchors()[0]);

    let (client, server) = configs(store, "p256-chain.pem");
    let (c, _) = handshaken(client, server, ServerName::parse("leaf.p256.test").unwrap());
    assert_eq!(c.peer_certificates(), certificates("p256-chain.pem"));
}

#[test]
fn a_bare_anchor_with_another_key_does_not_verify() {
    // The p384 root's key under the p256 root's name: the name finds the
    // anchor, the key does not verify the intermediate's signature.
    assert_eq!(
        verify(
            &bare_store("p384-root.pem", None),
            "p256-chain.pem",
            "leaf.p256.test",
            None
        ),
        Err(CertificateError::BadSignature)
    );
    assert_eq!(
        client_refusal(
            bare_store("p384-root.pem", None),
            "p256-chain.pem",
            "leaf.p256.test"
        ),
        Error::InvalidCertificate(CertificateError::BadSignature)
    );
}

#[test]
fn a_bare_anchors_name_constraints_bind_the_path_below_it() {
    let nc = permit_example_com();
    let store = || bare_store("p256-root.pem", Some(&nc));
    assert!(verify(&store(), "bare-nc-inside-chain.pem", "a.example.com", None).is_ok());
    for (chain, name) in [
        ("bare-nc-outside-chain.pem", "a.example.org"),
        ("p256-chain.pem", "leaf.p256.test"),
    ] {
        assert_eq!(
            verify(&store(), chain, name, None).map(|_| ()),
            Err(CertificateError::NameConstraintsViolated),
            "{chain}"
        );
    }
    // Without the constraints the same chain verifies: the refusal above
    // is the constraints' doing.
    let free = bare_store("p256-root.pem", None);
    assert!(verify(&free, "bare-nc-outside-chain.pem", "a.example.org", None).is_ok());

    let (client, server) = configs(store(), "bare-nc-inside-chain.pem");
    handshaken(client, server, ServerName::parse("a.example.com").unwrap());
    assert_eq!(
        client_refusal(store(), "bare-nc-outside-chain.pem", "a.example.org"),
        Error::InvalidCertificate(CertificateError::NameConstraintsViolated)
    );
}

#[test]
fn the_signature_cache_keys_a_bare_anchor_by_its_key() {
    let cache = SignatureCache::new();
    let right = bare_store("p256-root.pem", None);
    verify(&right, "p256-chain.pem", "leaf.p256.test", Some(&cache)).unwrap();
    assert_eq!(
        cache.len(),
        2,
        "the leaf's and the intermediate's signature"
    );
    verify(&right, "p256-chain.pem", "leaf.p256.test", Some(&cache)).unwrap();
    assert_eq!(cache.hits(), 2);
    // The same name with another key must not be answered from the
    // cache: its check runs, and fails.
    let wrong = bare_store("p384-root.pem", None);
    assert_eq!(
        verify(&wrong, "p256-chain.pem", "leaf.p256.test", Some(&cache)).map(|_| ()),
        Err(CertificateError::BadSignature)
    );
}

/// A subject, a key and name constraints, and the error adding them gives.
type Refusal<'a> = (&'a [u8], &'a [u8], Option<&'a [u8]>, CertificateError);

#[test]
fn bare_anchors_are_checked_when_added() {
    let root = certificate_anchor("p256-root.pem");
    let (subject, spki) = (root.subject(), root.spki());
    let mut store = RootStore::new();
    let mut trailing = spki.to_vec();
    trailing.push(0);
    // An EC key on a curve this crate does not verify with (secp256k1).
    let mut k1 = spki.to_vec();
    let p256 = [0x2a, 0x86, 0x48, 0xce, 0x3d, 0x03, 0x01, 0x07];
    let at = k1.windows(8).position(|w| w == p256).unwrap();
    k1.splice(at..at + 8, [0x2b, 0x81, 0x04, 0x00, 0x0a]);
    k1[at - 1] = 5;
    k1[1] -= 3;
    k1[3] -= 3;
    let cases: [Refusal; 5] = [
        (
            &[0x04, 0x00],
            spki,
            None,
            CertificateError::BadEncoding("unexpected tag"),
        ),
        (
            subject,
            &trailing,
            None,
            CertificateError::BadEncoding("trailing data"),
        ),
        (
            subject,
            &k1,
            None,
            CertificateError::UnsupportedKey("EC curve not P-256, P-384 or P-521"),
        ),
        (
            subject,
            spki,
            Some(&[0x30, 0x00]),
            CertificateError::MisIssued("empty nameConstraints"),
        ),
        (
            spki,
            subject,
            None,
            CertificateError::BadEncoding("unexpected tag"),
        ),
    ];
    for (subject, spki, nc, expected) in cases {
        assert_eq!(store.add_anchor(subject, spki, nc), Err(expected));
    }
    assert!(store.is_empty());
    store.add_anchor(subject, spki, None).unwrap();
    store.add_anchor(subject, spki, None).unwrap();
    assert_eq!(
        store.len(),
        1,
        "an anchor already present is not added again"
    );
}
