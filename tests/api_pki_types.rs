//! The Rust TLS ecosystem's shared types (`rustls-pki-types`, feature
//! `pki-types`) plug into the configuration: certificates and keys read
//! by rustls-pki-types' own PEM reader, trust anchors as `webpki-roots`
//! has them, server names and times.
#![cfg(feature = "pki-types")]

mod common;

use common::*;
use ferrotls::pki_types::pem::PemObject;
use ferrotls::pki_types::{
    CertificateDer, PrivateKeyDer, ServerName as SharedName, TrustAnchor as SharedAnchor, UnixTime,
};
use ferrotls::{
    CertificateError, CertifiedKey, Error, RootStore, ServerConfig, ServerName, TrustAnchor,
    WebPkiServerVerifier,
};
use std::sync::Arc;

fn chain(key_type: &str) -> Vec<CertificateDer<'static>> {
    CertificateDer::pem_file_iter(vectors_dir().join(format!("{key_type}-chain.pem")))
        .unwrap()
        .collect::<Result<_, _>>()
        .unwrap()
}

fn key(key_type: &str) -> PrivateKeyDer<'static> {
    PrivateKeyDer::from_pem_file(vectors_dir().join(format!("{key_type}-leaf.key"))).unwrap()
}

#[test]
fn shared_certificates_keys_and_names_configure_a_handshake() {
    for key_type in ["p256", "rsa2048", "ed25519"] {
        let certified = CertifiedKey::from_der(chain(key_type), &key(key_type)).unwrap();
        let root =
            CertificateDer::from_pem_file(vectors_dir().join(format!("{key_type}-root.pem")))
                .unwrap();
        let mut roots = RootStore::new();
        assert_eq!(
            roots.add_parsable_certificates([root, CertificateDer::from(vec![1, 2, 3])]),
            (1, 1)
        );
        let shared = SharedName::try_from(format!("leaf.{key_type}.test")).unwrap();
        let name = ServerName::try_from(&shared).unwrap();
        let client =
            ferrotls::ClientConfig::builder(Arc::new(WebPkiServerVerifier::new(Arc::new(roots))))
                .clock(Arc::new(ferrotls::ManualClock::new(
                    UnixTime::since_unix_epoch(std::time::Duration::from_secs(NOW)).into(),
                )))
                .build()
                .unwrap();
        let server = ServerConfig::builder(Arc::new(certified)).build().unwrap();
        let (c, _) = handshaken(client, server, name);
        assert_eq!(c.peer_certificates()[0], chain(key_type)[0].as_ref());
    }
}

#[test]
fn a_key_that_is_not_the_chains_is_refused() {
    let err = CertifiedKey::from_der(chain("p256"), &key("p384")).unwrap_err();
    assert_eq!(
        err,
        ferrotls::LoadError::Certificate(ferrotls::CertificateError::KeyMismatch)
    );
}

#[test]
fn shared_ip_names_convert_and_times_keep_their_seconds() {
    let ip = SharedName::try_from("127.0.0.1").unwrap();
    assert_eq!(
        ServerName::try_from(&ip).unwrap(),
        "127.0.0.1".parse::<ServerName>().unwrap()
    );
    let t: ferrotls::UnixTime =
        UnixTime::since_unix_epoch(std::time::Duration::from_secs(42)).into();
    assert_eq!(t, ferrotls::UnixTime::from_secs(42));
}

#[test]
fn webpki_roots_load_as_bare_anchors() {
    let all = webpki_roots::TLS_SERVER_ROOTS;
    for anchor in all {
        assert!(
            TrustAnchor::try_from(anchor).is_ok_and(|a| a.certificate().is_none()),
            "{anchor:?}"
        );
    }
    let store = RootStore::from_iter(all.iter().cloned());
    assert_eq!(store.len(), all.len());
    let mut extended = RootStore::new();
    extended.extend(all.iter().cloned());
    assert_eq!(extended, store);
}

/// The contents of the one DER element `der` (what rustls-pki-types'
/// `TrustAnchor` holds: no tag, no length).
fn contents(der: &[u8]) -> &[u8] {
    let header = match der[1] {
        n if n < 0x80 => 2,
        n => 2 + usize::from(n & 0x7f),
    };
    &der[header..]
}

/// The shared-type anchor of the p256 root, as rustls-webpki's
/// `anchor_from_trusted_cert` would make it, with `name_constraints` (the
/// contents of a NameConstraints SEQUENCE).
fn shared_p256_anchor(name_constraints: Option<&[u8]>) -> SharedAnchor<'static> {
    let root = TrustAnchor::from_der(
        CertificateDer::from_pem_file(vectors_dir().join("p256-root.pem"))
            .unwrap()
            .to_vec(),
    )
    .unwrap();
    SharedAnchor {
        subject: contents(root.subject()).to_vec().into(),
        subject_public_key_info: contents(root.spki()).to_vec().into(),
        name_constraints: name_constraints.map(|nc| nc.to_vec().into()),
    }
}

/// A handshake between a client trusting only `anchor` and a server
/// serving the chain of `chain_file` (p256 leaf key), with the client's
/// verdict.
fn handshake_trusting(anchor: SharedAnchor<'_>, chain_file: &str, name: &str) -> Result<(), Error> {
    let roots = RootStore::from_iter([anchor]);
    assert_eq!(roots.len(), 1);
    let client =
        ferrotls::ClientConfig::builder(Arc::new(WebPkiServerVerifier::new(Arc::new(roots))))
            .clock(Arc::new(ferrotls::ManualClock::new(
                ferrotls::UnixTime::from_secs(NOW),
            )))
            .build()
            .unwrap();
    let chain = CertificateDer::pem_file_iter(vectors_dir().join(chain_file))
        .unwrap()
        .collect::<Result<_, _>>()
        .unwrap();
    let certified = CertifiedKey::from_der(chain, &key("p256")).unwrap();
    let server = ServerConfig::builder(Arc::new(certified)).build().unwrap();
    let (mut c, mut s) = pair(client, server, ServerName::parse(name).unwrap());
    for _ in 0..10 {
        if !c.is_handshaking() {
            return Ok(());
        }
        transfer(&mut c, &mut s).1.unwrap();
        transfer(&mut s, &mut c).1?;
    }
    panic!("handshake did not complete");
}

#[test]
fn a_shared_trust_anchor_verifies_a_handshake() {
    assert_eq!(
        handshake_trusting(shared_p256_anchor(None), "p256-chain.pem", "leaf.p256.test"),
        Ok(())
    );
    // The shared type holds the contents of each SEQUENCE; given whole
    // elements instead, the subject is no Name and nothing is trusted.
    let mut whole = shared_p256_anchor(None);
    let root = TrustAnchor::try_from(&whole).unwrap();
    whole.subject = root.subject().to_vec().into();
    assert_eq!(
        TrustAnchor::try_from(&whole),
        Err(CertificateError::BadEncoding("unexpected tag"))
    );
}

#[test]
fn a_shared_trust_anchors_name_constraints_apply() {
    // The contents of NameConstraints { permittedSubtrees [0] { { dNSName
    // "example.com" } } }, as rustls-pki-types holds them.
    let mut permit = vec![0xa0, 0x0f, 0x30, 0x0d, 0x82, 0x0b];
    permit.extend(b"example.com");
    assert_eq!(
        handshake_trusting(
            shared_p256_anchor(Some(&permit)),
            "bare-nc-inside-chain.pem",
            "a.example.com"
        ),
        Ok(())
    );
    assert_eq!(
        handshake_trusting(
            shared_p256_anchor(Some(&permit)),
            "bare-nc-outside-chain.pem",
            "a.example.org"
        ),
        Err(Error::InvalidCertificate(
            CertificateError::NameConstraintsViolated
        ))
    );
}
