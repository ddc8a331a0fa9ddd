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

/// A server holding `key_type`'s certificate restricted to `schemes`.
fn restricted_server(
    key_type: &str,
    version: ProtocolVersion,
    schemes: &[SignatureScheme],
) -> Arc<ServerConfig> {
    let certified = ferrotls::CertifiedKey::from_pem(
        &read_vector(&format!("{key_type}-chain.pem")),
        &read_vector(&format!("{key_type}-leaf.key")),
    )
    .unwrap()
    .with_signature_schemes(schemes);
    ServerConfig::builder(Arc::new(certified))
        .versions(&[version])
        .build()
        .unwrap()
}

#[test]
fn a_certificate_restricted_to_some_schemes_signs_with_the_first_the_client_takes() {
    use SignatureScheme as S;
    for version in [ProtocolVersion::TLSv1_3, ProtocolVersion::TLSv1_2] {
        let client = client_builder("rsa2048")
            .versions(&[version])
            .build()
            .unwrap();
        // Unrestricted, the key's own first choice.
        let server = server_builder("rsa2048")
            .versions(&[version])
            .build()
            .unwrap();
        let (c, _) = handshaken(client.clone(), server, server_name("rsa2048"));
        assert_eq!(
            c.peer_signature_scheme(),
            Some(S::rsa_pss_rsae_sha256),
            "{version:?}"
        );
        // Restricted: the restriction's order, past what the key cannot
        // make (an ECDSA scheme) and what the client does not take.
        let schemes = [
            S::ecdsa_secp256r1_sha256,
            S::rsa_pss_rsae_sha512,
            S::rsa_pss_rsae_sha384,
        ];
        let (c, _) = handshaken(
            client.clone(),
            restricted_server("rsa2048", version, &schemes),
            server_name("rsa2048"),
        );
        assert_eq!(
            c.peer_signature_scheme(),
            Some(S::rsa_pss_rsae_sha512),
            "{version:?}"
        );
        let client_without_sha512 = client_builder("rsa2048")
            .versions(&[version])
            .signature_schemes(&[S::rsa_pss_rsae_sha256, S::rsa_pss_rsae_sha384])
            .build()
            .unwrap();
        let (c, _) = handshaken(
            client_without_sha512,
            restricted_server("rsa2048", version, &schemes),
            server_name("rsa2048"),
        );
        assert_eq!(
            c.peer_signature_scheme(),
            Some(S::rsa_pss_rsae_sha384),
            "{version:?}"
        );
        // Nothing the key can make: no signature, so no handshake.
        let server = restricted_server("rsa2048", version, &[S::ecdsa_secp256r1_sha256]);
        let (mut c, mut s) = pair(client, server, server_name("rsa2048"));
        transfer(&mut c, &mut s).1.unwrap_err();
    }
}

#[test]
fn rfc8422_5_3_a_tls12_server_chooses_an_ecdsa_certificate_on_a_curve_the_client_lists() {
    use ferrotls::NamedGroup;
    // "The public key in the server's certificate MUST respect the
    // client's choice of elliptic curves."
    let client = |groups: &[NamedGroup]| {
        ClientConfig::dangerous()
            .builder_accepting_any_server_certificate()
            .versions(&[ProtocolVersion::TLSv1_2])
            .groups(groups)
            .build()
            .unwrap()
    };
    let server = server_builder("p384")
        .certificate(certified_key("p256"))
        .versions(&[ProtocolVersion::TLSv1_2])
        .build()
        .unwrap();
    let p256_only = client(&[NamedGroup::X25519, NamedGroup::secp256r1]);
    let (c, _) = handshaken(p256_only.clone(), server.clone(), server_name("p384"));
    assert_eq!(c.peer_certificates()[0], leaf("p256"));
    let both = client(&[NamedGroup::secp384r1, NamedGroup::secp256r1]);
    let (c, _) = handshaken(both, server, server_name("p384"));
    assert_eq!(c.peer_certificates()[0], leaf("p384"));
    // With the P-384 certificate alone there is nothing to send.
    let server = server_builder("p384")
        .versions(&[ProtocolVersion::TLSv1_2])
        .build()
        .unwrap();
    let (mut c, mut s) = pair(p256_only, server, server_name("p384"));
    assert!(matches!(
        transfer(&mut c, &mut s).1,
        Err(ferrotls::Error::HandshakeFailure(_))
    ));
}

#[test]
fn each_side_reports_the_certificate_of_its_configuration_it_sent() {
    for version in [ProtocolVersion::TLSv1_3, ProtocolVersion::TLSv1_2] {
        let (p256, ed25519) = (certified_key("p256"), certified_key("ed25519"));
        let server = ServerConfig::builder(p256.clone())
            .certificate(ed25519.clone())
            .versions(&[version])
            .build()
            .unwrap();
        for (key_type, expected) in [("p256", &p256), ("ed25519", &ed25519)] {
            let (_, s) = handshaken(
                client_builder(key_type)
                    .versions(&[version])
                    .build()
                    .unwrap(),
                server.clone(),
                server_name(key_type),
            );
            let sent = s.sent_certificate().expect("the server sent one");
            assert!(Arc::ptr_eq(sent, expected), "{version:?}, {key_type}");
        }
        // A client answering a certificate request; a client not asked
        // sends none.
        let p384 = certified_key("p384");
        let client = client_builder("p256")
            .versions(&[version])
            .client_certificate(p384.clone())
            .build()
            .unwrap();
        let server = client_auth_server_builder("p256", "p384", true)
            .versions(&[version])
            .build()
            .unwrap();
        let (c, _) = handshaken(client.clone(), server, server_name("p256"));
        assert!(
            Arc::ptr_eq(c.sent_certificate().unwrap(), &p384),
            "{version:?}"
        );
        let plain = server_builder("p256").versions(&[version]).build().unwrap();
        let (c, s) = handshaken(client, plain.clone(), server_name("p256"));
        assert!(c.sent_certificate().is_none());
        assert!(s.sent_certificate().is_some());
    }
}

/// P-256 first (the default), RSA-2048 for `leaf.rsa2048.test`.
fn ecdsa_and_rsa_server() -> Arc<ServerConfig> {
    server_builder("p256")
        .certificate(certified_key("rsa2048"))
        .build()
        .unwrap()
}

/// RFC 6066 §3: in TLS 1.2 the certificate for the name the client asked
/// for comes before our preferred suite. The server prefers the ECDHE-ECDSA
/// suites, which only the default P-256 certificate serves; a client
/// naming the RSA certificate's host gets that certificate under an
/// ECDHE-RSA suite, not the default under a better suite.
#[test]
fn rfc6066_3_the_certificate_for_the_name_comes_before_a_better_suite() {
    for version in [ProtocolVersion::TLSv1_3, ProtocolVersion::TLSv1_2] {
        let client = client_builder("rsa2048")
            .versions(&[version])
            .build()
            .unwrap();
        let (c, _) = handshaken(client, ecdsa_and_rsa_server(), server_name("rsa2048"));
        assert_eq!(c.peer_certificates()[0], leaf("rsa2048"), "{version:?}");
    }
    let client = client_builder("rsa2048")
        .versions(&[ProtocolVersion::TLSv1_2])
        .build()
        .unwrap();
    let (c, _) = handshaken(client, ecdsa_and_rsa_server(), server_name("rsa2048"));
    assert_eq!(
        c.cipher_suite(),
        Some(ferrotls::CipherSuite::TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256)
    );
}

/// A client naming the RSA certificate's host but offering only ECDHE-ECDSA
/// suites cannot use it: the default P-256 certificate serves it.
#[test]
fn a_certificate_for_the_name_no_offered_suite_fits_gives_way_to_a_default() {
    let client = ClientConfig::dangerous()
        .builder_accepting_any_server_certificate()
        .versions(&[ProtocolVersion::TLSv1_2])
        .cipher_suites(&[ferrotls::CipherSuite::TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256])
        .build()
        .unwrap();
    let (c, _) = handshaken(client, ecdsa_and_rsa_server(), server_name("rsa2048"));
    assert_eq!(c.peer_certificates()[0], leaf("p256"));
}
