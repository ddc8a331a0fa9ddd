//! A server with several certificates chooses by the client's
//! server_name (RFC 6066 §3), then by what the client can verify: the
//! certificate covering the name first, the others as defaults, in TLS
//! 1.3 and TLS 1.2.

mod common;

use std::sync::Arc;

use common::*;
use ferrotls::{ClientConfig, ProtocolVersion, ServerConfig, ServerName, SignatureScheme};

/// P-256 first (the default), Ed25519 for `leaf.ed25519.test`.
fn two_name_server() -> Arc<ServerConfig> {
    server_builder("p256")
        .certificate(certified_key("ed25519"))
        .build()
        .unwrap()
}

fn leaf(key_type: &str) -> Vec<u8> {
    certified_key(key_type).chain()[0].clone()
}

#[test]
fn the_certificate_covering_the_server_name_is_chosen_in_every_version() {
    for version in [ProtocolVersion::TLSv1_3, ProtocolVersion::TLSv1_2] {
        for key_type in ["p256", "ed25519"] {
            let client = client_builder(key_type)
                .versions(&[version])
                .build()
                .unwrap();
            let (c, _) = handshaken(client, two_name_server(), server_name(key_type));
            assert_eq!(c.peer_certificates()[0], leaf(key_type), "{version:?}");
        }
    }
}

#[test]
fn a_name_no_certificate_covers_gets_the_first_certificate() {
    let client = ClientConfig::dangerous()
        .builder_accepting_any_server_certificate()
        .build()
        .unwrap();
    let name: ServerName = "elsewhere.test".parse().unwrap();
    let (c, _) = handshaken(client, two_name_server(), name);
    assert_eq!(c.peer_certificates()[0], leaf("p256"));
}

#[test]
fn a_covering_certificate_the_client_cannot_verify_gives_way_to_a_default() {
    // The client names the Ed25519 certificate's host but accepts no
    // Ed25519 signature: the P-256 default is the one it can use.
    let client = ClientConfig::dangerous()
        .builder_accepting_any_server_certificate()
        .signature_schemes(&[SignatureScheme::ecdsa_secp256r1_sha256])
        .build()
        .unwrap();
    let (c, _) = handshaken(client, two_name_server(), server_name("ed25519"));
    assert_eq!(c.peer_certificates()[0], leaf("p256"));
}
