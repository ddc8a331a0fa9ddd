//! The Rust TLS ecosystem's shared types (`rustls-pki-types`, feature
//! `pki-types`) plug into the configuration: certificates and keys read
//! by rustls-pki-types' own PEM reader, server names and times.
#![cfg(feature = "pki-types")]

mod common;

use common::*;
use ferrotls::pki_types::pem::PemObject;
use ferrotls::pki_types::{CertificateDer, PrivateKeyDer, ServerName as SharedName, UnixTime};
use ferrotls::{CertifiedKey, RootStore, ServerConfig, ServerName, WebPkiServerVerifier};
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
