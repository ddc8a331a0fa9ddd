//! certificate_authorities (RFC 8446 §4.2.4; RFC 5246 §7.4.4 in TLS
//! 1.2): the server names its client-authentication roots, and a client
//! holding certificates from several CAs offers the one issued under a
//! named CA, not merely the first that can sign.

mod common;

use common::*;
use ferrotls::ProtocolVersion;

const VERSIONS: [ProtocolVersion; 2] = [ProtocolVersion::TLSv1_3, ProtocolVersion::TLSv1_2];

/// A client holding the P-384 certificate first, then the P-256 one.
fn two_certificate_client(version: ProtocolVersion) -> std::sync::Arc<ferrotls::ClientConfig> {
    client_builder("p256")
        .versions(&[version])
        .client_certificate(certified_key("p384"))
        .client_certificate(certified_key("p256"))
        .build()
        .unwrap()
}

#[test]
fn the_client_offers_the_certificate_under_a_named_ca() {
    for version in VERSIONS {
        for (trusted, expected) in [("p256", "p256"), ("p384", "p384")] {
            let server = client_auth_server_builder("p256", trusted, true)
                .versions(&[version])
                .build()
                .unwrap();
            let (_, s) = handshaken(two_certificate_client(version), server, server_name("p256"));
            assert_eq!(
                s.peer_certificates(),
                certified_key(expected).chain(),
                "{version:?}, server trusting {trusted}"
            );
        }
    }
}

#[test]
fn a_client_whose_certificates_no_named_ca_issued_offers_the_first_that_fits() {
    for version in VERSIONS {
        let server = client_auth_server_builder("p256", "ed25519", true)
            .versions(&[version])
            .build()
            .unwrap();
        let (mut c, mut s) = pair(two_certificate_client(version), server, server_name("p256"));
        let mut refused = None;
        for _ in 0..5 {
            let (_, r) = transfer(&mut c, &mut s);
            if let Err(e) = r {
                refused = Some(e);
                break;
            }
            let _ = transfer(&mut s, &mut c);
        }
        // The P-384 certificate was sent, and the server does not know its CA.
        assert_eq!(
            refused.map(|e| e.alert()),
            Some(Some(ferrotls::AlertDescription::UnknownCa)),
            "{version:?}"
        );
    }
}
