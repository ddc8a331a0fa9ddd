//! Full TLS 1.3 handshakes between our client and our server, in memory:
//! every suite × group × certificate type, HelloRetryRequest, middlebox
//! compatibility, SNI, ALPN, client authentication, session IDs.

mod common;

use ferrotls::internal::error::InvalidRequestReason;
use std::sync::Arc;

use common::*;
use ferrotls::internal::msgs::extensions::Extension;
use ferrotls::internal::msgs::handshake::HandshakeMessage;
use ferrotls::internal::msgs::hello::HELLO_RETRY_REQUEST_RANDOM;
use ferrotls::{
    AlertDescription, CipherSuite, Error, NamedGroup, ProtocolVersion, TLS13_CIPHER_SUITES,
};

const GROUPS: &[NamedGroup] = &[
    NamedGroup::X25519,
    NamedGroup::secp256r1,
    NamedGroup::secp384r1,
    NamedGroup::secp521r1,
    NamedGroup::X448,
];

#[test]
fn every_suite_group_and_certificate_type() {
    for key_type in KEY_TYPES {
        for &suite in TLS13_CIPHER_SUITES {
            for &group in GROUPS {
                let client = client_builder(key_type)
                    .cipher_suites(&[suite])
                    .groups(&[group])
                    .build()
                    .unwrap();
                let server = server_builder(key_type).build().unwrap();
                let (mut c, mut s) = handshaken(client, server, server_name(key_type));
                for conn in [&*c, &*s] {
                    assert_eq!(conn.protocol_version(), Some(ProtocolVersion::TLSv1_3));
                    assert_eq!(conn.cipher_suite(), Some(suite), "{key_type} {suite:?}");
                    assert_eq!(conn.negotiated_group(), Some(group));
                }
                assert_eq!(c.peer_certificates().len(), 2);
                assert!(s.peer_certificates().is_empty());
                send_and_check(&mut c, &mut s, b"ping");
                send_and_check(&mut s, &mut c, b"pong");
            }
        }
    }
}

#[test]
fn server_chooses_its_own_suite_preference() {
    let client = client_builder("p256").build().unwrap();
    let server = server_builder("p256")
        .cipher_suites(&[
            CipherSuite::TLS_CHACHA20_POLY1305_SHA256,
            CipherSuite::TLS_AES_128_GCM_SHA256,
        ])
        .build()
        .unwrap();
    let (c, _s) = handshaken(client, server, server_name("p256"));
    assert_eq!(
        c.cipher_suite(),
        Some(CipherSuite::TLS_CHACHA20_POLY1305_SHA256)
    );
}

#[test]
fn exporters_agree_and_need_a_finished_handshake() {
    let client = client_builder("p256").build().unwrap();
    let server = server_builder("p256").build().unwrap();
    let (mut c, mut s) = pair(client, server, server_name("p256"));
    let mut out = [0u8; 32];
    assert!(matches!(
        c.export_keying_material(&mut out, b"label", None),
        Err(Error::InvalidRequest(
            InvalidRequestReason::ExporterBeforeHandshake
        ))
    ));
    handshake(&mut c, &mut s);
    let (mut a, mut b, mut d) = ([0u8; 32], [0u8; 32], [0u8; 32]);
    c.export_keying_material(&mut a, b"EXPORTER-test", Some(b"ctx"))
        .unwrap();
    s.export_keying_material(&mut b, b"EXPORTER-test", Some(b"ctx"))
        .unwrap();
    s.export_keying_material(&mut d, b"EXPORTER-test", None)
        .unwrap();
    assert_eq!(a, b);
    assert_ne!(a, d);
}

/// The ClientHello in the first record of a client's output.
fn first_client_hello(bytes: &[u8]) -> ferrotls::internal::msgs::hello::ClientHello {
    let record = &records(bytes)[0];
    match HandshakeMessage::decode_message(&record[5..], &decode_cx()).unwrap() {
        HandshakeMessage::ClientHello(hello) => hello,
        other => panic!("not a ClientHello: {other:?}"),
    }
}

fn decode_cx() -> ferrotls::internal::msgs::handshake::DecodeContext {
    ferrotls::internal::msgs::handshake::DecodeContext {
        version: ProtocolVersion::TLSv1_3,
        key_exchange: ferrotls::internal::msgs::key_exchange::KeyExchangeAlgorithm::Ecdhe,
        finished_len: 32,
    }
}

#[test]
fn hello_retry_request_with_cookie_keeps_the_session_id() {
    let (client, server) = retrying_configs();
    let (mut c, mut s) = pair(client, server, server_name("p256"));
    let mut first = Vec::new();
    let (_, r) = transfer_altered(&mut c, &mut s, |b| first = b.clone());
    r.unwrap();
    let ch1 = first_client_hello(&first);
    // Server answers with HelloRetryRequest (+ cookie) and a dummy CCS.
    let mut hrr_bytes = Vec::new();
    let (_, r) = transfer_altered(&mut s, &mut c, |b| hrr_bytes = b.clone());
    r.unwrap();
    let hrr_records = records(&hrr_bytes);
    assert_eq!(hrr_records.len(), 2);
    assert_eq!(hrr_records[1], [20, 3, 3, 0, 1, 1]);
    let HandshakeMessage::ServerHello(hrr) =
        HandshakeMessage::decode_message(&hrr_records[0][5..], &decode_cx()).unwrap()
    else {
        panic!()
    };
    assert_eq!(hrr.random, HELLO_RETRY_REQUEST_RANDOM);
    let cookie = hrr
        .extensions()
        .iter()
        .find_map(|e| match e {
            Extension::Cookie(c) => Some(c.clone()),
            _ => None,
        })
        .expect("HelloRetryRequest carries a cookie");
    // The client's answer: CCS, then ClientHello2 with the same random,
    // the same session ID L, the cookie and an X25519 share.
    let mut second = Vec::new();
    let (_, r) = transfer_altered(&mut c, &mut s, |b| second = b.clone());
    r.unwrap();
    let second_records = records(&second);
    assert_eq!(second_records[0], [20, 3, 3, 0, 1, 1]);
    let HandshakeMessage::ClientHello(ch2) =
        HandshakeMessage::decode_message(&second_records[1][5..], &decode_cx()).unwrap()
    else {
        panic!()
    };
    assert_eq!(ch2.random, ch1.random);
    assert_eq!(ch2.session_id, ch1.session_id);
    assert_eq!(ch1.session_id.len(), 32);
    assert!(ch2
        .extensions()
        .iter()
        .any(|e| *e == Extension::Cookie(cookie.clone())));
    handshake(&mut c, &mut s);
    assert_eq!(c.negotiated_group(), Some(NamedGroup::X25519));
    assert_eq!(c.session_id(), ch1.session_id.as_slice());
    assert_eq!(s.session_id().len(), 32);
    assert_ne!(s.session_id(), c.session_id());
    send_and_check(&mut c, &mut s, b"after retry");
}

#[test]
fn hello_retry_request_without_cookie() {
    let client = client_builder("p384")
        .groups(&[NamedGroup::secp256r1, NamedGroup::secp384r1])
        .build()
        .unwrap();
    let server = server_builder("p384")
        .groups(&[NamedGroup::secp384r1])
        .send_cookie(false)
        .build()
        .unwrap();
    let (_c, s) = handshaken(client, server, server_name("p384"));
    assert_eq!(s.negotiated_group(), Some(NamedGroup::secp384r1));
}

#[test]
fn middlebox_compatibility_off_sends_no_session_id_and_no_ccs() {
    let client = client_builder("p256")
        .middlebox_compat(false)
        .build()
        .unwrap();
    let server = server_builder("p256").build().unwrap();
    let (mut c, mut s) = pair(client, server, server_name("p256"));
    let mut ch = Vec::new();
    transfer_altered(&mut c, &mut s, |b| ch = b.clone())
        .1
        .unwrap();
    assert!(first_client_hello(&ch).session_id.is_empty());
    let mut flight = Vec::new();
    transfer_altered(&mut s, &mut c, |b| flight = b.clone())
        .1
        .unwrap();
    assert!(records(&flight).iter().all(|r| r[0] != 20));
    let mut client_flight = Vec::new();
    transfer_altered(&mut c, &mut s, |b| client_flight = b.clone())
        .1
        .unwrap();
    assert!(records(&client_flight).iter().all(|r| r[0] != 20));
    assert!(!c.is_handshaking() && !s.is_handshaking());
    // Design §3: the client's ID is the (empty) echo; the server's is T.
    assert!(c.session_id().is_empty());
    assert_eq!(s.session_id().len(), 32);
}

#[test]
fn middlebox_compatibility_on_sends_one_ccs_each_way() {
    let client = client_builder("p256").build().unwrap();
    let server = server_builder("p256").build().unwrap();
    let (mut c, mut s) = pair(client, server, server_name("p256"));
    transfer(&mut c, &mut s).1.unwrap();
    let mut flight = Vec::new();
    transfer_altered(&mut s, &mut c, |b| flight = b.clone())
        .1
        .unwrap();
    let server_records = records(&flight);
    assert_eq!(server_records[0][0], 22);
    assert_eq!(server_records[1], [20, 3, 3, 0, 1, 1]);
    let mut client_flight = Vec::new();
    transfer_altered(&mut c, &mut s, |b| client_flight = b.clone())
        .1
        .unwrap();
    assert_eq!(records(&client_flight)[0], [20, 3, 3, 0, 1, 1]);
    assert!(!s.is_handshaking());
    let mut id = [0u8; 32];
    assert_eq!(c.copy_session_id(&mut id).unwrap(), 32);
    assert_eq!(&id, c.session_id());
    assert_eq!(
        c.copy_session_id(&mut [0u8; 31]),
        Err(Error::BufferTooSmall { needed: 32 })
    );
}

/// What a client with middlebox compatibility `on` writes after refusing
/// the server's flight, whose last record (the encrypted Finished) had a
/// bit flipped.
fn records_after_refusing_the_flight(on: bool) -> Vec<Vec<u8>> {
    let client = client_builder("p256").middlebox_compat(on).build().unwrap();
    let server = server_builder("p256").build().unwrap();
    let (mut c, mut s) = pair(client, server, server_name("p256"));
    transfer(&mut c, &mut s).1.unwrap();
    let err = transfer_altered(&mut s, &mut c, |flight| {
        let last = flight.len() - 1;
        flight[last] ^= 1;
    })
    .1
    .unwrap_err();
    assert_eq!(err, Error::BadRecordMac);
    let mut out = Vec::new();
    while c.wants_write() {
        c.write_tls(&mut out).unwrap();
    }
    records(&out)
}

#[test]
fn rfc8446_d4_a_client_refusing_the_servers_flight_sends_its_ccs_before_the_alert() {
    // The dummy ChangeCipherSpec precedes the client's first protected
    // record, which here is its alert: a peer in compatibility mode
    // (BoringSSL's test runner, a middlebox) reads the CCS, then the
    // alert under the client's handshake key.
    let sent = records_after_refusing_the_flight(true);
    assert_eq!(sent.len(), 2, "{sent:02x?}");
    assert_eq!(sent[0], [20, 3, 3, 0, 1, 1]);
    assert_eq!(sent[1][0], 23, "the alert, protected");
    // Without the mode, the protected alert alone.
    let sent = records_after_refusing_the_flight(false);
    assert_eq!(sent.len(), 1, "{sent:02x?}");
    assert_eq!(sent[0][0], 23);
}

#[test]
fn session_ids_are_fresh_for_every_full_handshake() {
    let client = client_builder("p256").session_store(None).build().unwrap();
    let server = server_builder("p256").build().unwrap();
    let mut seen = Vec::new();
    for _ in 0..3 {
        let (mut c, mut s) = pair(client.clone(), server.clone(), server_name("p256"));
        assert!(c.session_id().is_empty() && s.session_id().is_empty());
        handshake(&mut c, &mut s);
        assert!(!c.is_resumed() && !s.is_resumed() && !s.resumption_requested());
        seen.push(c.session_id().to_vec());
        seen.push(s.session_id().to_vec());
    }
    for (i, a) in seen.iter().enumerate() {
        assert_eq!(a.len(), 32);
        assert!(seen[i + 1..].iter().all(|b| b != a));
    }
}

#[test]
fn server_sees_the_sni_the_client_sent() {
    let server = server_builder("p256").build().unwrap();
    let client = client_builder("p256").build().unwrap();
    let (c, s) = handshaken(client, server.clone(), server_name("p256"));
    assert_eq!(s.server_name(), Some("leaf.p256.test"));
    assert_eq!(c.server_name(), Some("leaf.p256.test"));
    let client = client_builder("p256").enable_sni(false).build().unwrap();
    let (_c, s) = handshaken(client, server, server_name("p256"));
    assert_eq!(s.server_name(), None);
}

#[test]
fn alpn_picks_the_servers_preference_or_fails() {
    let server = server_builder("p256")
        .alpn_protocols(&[b"h2", b"http/1.1"])
        .build()
        .unwrap();
    let client = client_builder("p256")
        .alpn_protocols(&[b"http/1.1", b"h2"])
        .build()
        .unwrap();
    let (c, s) = handshaken(client, server.clone(), server_name("p256"));
    assert_eq!(c.alpn_protocol(), Some(&b"h2"[..]));
    assert_eq!(s.alpn_protocol(), Some(&b"h2"[..]));

    let client = client_builder("p256").build().unwrap();
    let (c, _s) = handshaken(client, server.clone(), server_name("p256"));
    assert_eq!(c.alpn_protocol(), None);

    let client = client_builder("p256")
        .alpn_protocols(&[b"spdy/1"])
        .build()
        .unwrap();
    let (mut c, mut s) = pair(client, server, server_name("p256"));
    assert_eq!(
        transfer(&mut c, &mut s).1,
        Err(Error::NoApplicationProtocol)
    );
    assert_eq!(
        transfer(&mut s, &mut c).1,
        Err(Error::AlertReceived(
            AlertDescription::NoApplicationProtocol
        ))
    );
}

fn client_auth_server(required: bool) -> Arc<ferrotls::ServerConfig> {
    client_auth_server_builder("p256", "p384", required)
        .build()
        .unwrap()
}

#[test]
fn client_authentication_required_with_a_certificate() {
    let client = client_builder("p256")
        .client_certificate(certified_key("p384"))
        .build()
        .unwrap();
    let (mut c, mut s) = handshaken(client, client_auth_server(true), server_name("p256"));
    assert_eq!(s.peer_certificates().len(), 2);
    send_and_check(&mut c, &mut s, b"authenticated");
}

#[test]
fn client_certificate_is_chosen_by_the_servers_signature_algorithms() {
    // The server only verifies P-384 signatures; the client holds an
    // Ed25519 and a P-384 certificate and must pick the second.
    let server = client_auth_server_builder("p256", "p384", true)
        .signature_schemes(&[
            ferrotls::SignatureScheme::ecdsa_secp384r1_sha384,
            ferrotls::SignatureScheme::ecdsa_secp256r1_sha256,
        ])
        .build()
        .unwrap();
    let client = client_builder("p256")
        .client_certificate(certified_key("ed25519"))
        .client_certificate(certified_key("p384"))
        .build()
        .unwrap();
    let (_c, s) = handshaken(client, server, server_name("p256"));
    assert_eq!(s.peer_certificates()[0], certified_key("p384").chain()[0]);
}

#[test]
fn rfc8446_4_2_3_a_server_of_pkcs1_schemes_alone_still_requests_a_certificate() {
    // Its CertificateRequest lists the configured schemes whole, as they
    // also name the certificate signatures it takes (§4.2.3); filtered to
    // what a TLS 1.3 CertificateVerify may use, the list was empty and the
    // request failed to encode (internal_error). None of them can sign a
    // CertificateVerify (§4.4.3), so the client answers without a
    // certificate (§4.4.2) and the optional authentication goes on.
    let server = client_auth_server_builder("p256", "p384", false)
        .signature_schemes(&[ferrotls::SignatureScheme::rsa_pkcs1_sha256])
        .build()
        .unwrap();
    let client = client_builder("p256")
        .client_certificate(certified_key("p384"))
        .build()
        .unwrap();
    let (mut c, mut s) = handshaken(client, server, server_name("p256"));
    assert!(s.peer_certificates().is_empty());
    send_and_check(&mut c, &mut s, b"anonymous");
}

#[test]
fn each_side_reports_the_scheme_the_peers_certificate_verify_used() {
    use ferrotls::SignatureScheme as S;
    let client = client_builder("p256")
        .client_certificate(certified_key("p384"))
        .build()
        .unwrap();
    let server = client_auth_server(true);
    let (c, s) = handshaken(client.clone(), server.clone(), server_name("p256"));
    assert_eq!(c.peer_signature_scheme(), Some(S::ecdsa_secp256r1_sha256));
    assert_eq!(s.peer_signature_scheme(), Some(S::ecdsa_secp384r1_sha384));
    // A resumption by ticket signs nothing (RFC 8446 §2.2).
    let (mut c, mut s) = handshaken(client.clone(), server.clone(), server_name("p256"));
    transfer(&mut s, &mut c).1.unwrap();
    let (c, s) = handshaken(client, server, server_name("p256"));
    assert!(c.is_resumed());
    assert_eq!(
        (c.peer_signature_scheme(), s.peer_signature_scheme()),
        (None, None)
    );
}

#[test]
fn client_authentication_required_without_a_certificate() {
    let client = client_builder("p256").build().unwrap();
    let (mut c, mut s) = pair(client, client_auth_server(true), server_name("p256"));
    transfer(&mut c, &mut s).1.unwrap();
    transfer(&mut s, &mut c).1.unwrap();
    // The client finished its side with an empty Certificate.
    assert!(!c.is_handshaking());
    assert_eq!(transfer(&mut c, &mut s).1, Err(Error::CertificateRequired));
    assert_eq!(
        transfer(&mut s, &mut c).1,
        Err(Error::AlertReceived(AlertDescription::CertificateRequired))
    );
}

#[test]
fn client_authentication_optional_without_a_certificate() {
    let client = client_builder("p256").build().unwrap();
    let (mut c, mut s) = handshaken(client, client_auth_server(false), server_name("p256"));
    assert!(s.peer_certificates().is_empty());
    send_and_check(&mut c, &mut s, b"anonymous");
}

#[test]
fn client_certificate_from_an_unknown_ca_is_refused() {
    let client = client_builder("p256")
        .client_certificate(certified_key("ed25519"))
        .build()
        .unwrap();
    let (mut c, mut s) = pair(client, client_auth_server(false), server_name("p256"));
    transfer(&mut c, &mut s).1.unwrap();
    transfer(&mut s, &mut c).1.unwrap();
    let err = transfer(&mut c, &mut s).1.unwrap_err();
    assert!(matches!(err, Error::InvalidCertificate(_)), "{err:?}");
    assert_eq!(
        transfer(&mut s, &mut c).1,
        Err(Error::AlertReceived(err.alert().unwrap()))
    );
}

#[test]
fn server_certificate_from_an_unknown_ca_is_refused() {
    let client = client_builder("p384").build().unwrap();
    let server = server_builder("p256").build().unwrap();
    let (mut c, mut s) = pair(client, server, server_name("p256"));
    transfer(&mut c, &mut s).1.unwrap();
    let err = transfer(&mut s, &mut c).1.unwrap_err();
    assert_eq!(err.alert(), Some(AlertDescription::UnknownCa));
    assert_eq!(
        transfer(&mut c, &mut s).1,
        Err(Error::AlertReceived(AlertDescription::UnknownCa))
    );
}

#[test]
fn server_certificate_for_another_name_is_refused() {
    let client = client_builder("p256").build().unwrap();
    let server = server_builder("p256").build().unwrap();
    let other = ferrotls::ServerName::parse("other.test").unwrap();
    let (mut c, mut s) = pair(client, server, other);
    transfer(&mut c, &mut s).1.unwrap();
    assert!(matches!(
        transfer(&mut s, &mut c).1,
        Err(Error::InvalidCertificate(_))
    ));
}

/// The suite a server preferring AES-128-GCM chooses for a client that
/// offers `client` in that order (after a GREASE suite with `grease`),
/// with `prioritize_chacha` as given; both sides at `version`.
fn chosen_suite(
    version: ProtocolVersion,
    client: &[CipherSuite],
    prioritize_chacha: bool,
    grease: bool,
) -> Option<CipherSuite> {
    chosen_suite_by(version, client, grease, |server| {
        server.prioritize_chacha(prioritize_chacha)
    })
}

/// [`chosen_suite`] with the server's builder (preferring AES-128-GCM)
/// given to `configure` last.
fn chosen_suite_by(
    version: ProtocolVersion,
    client: &[CipherSuite],
    grease: bool,
    configure: impl FnOnce(ferrotls::ServerConfigBuilder) -> ferrotls::ServerConfigBuilder,
) -> Option<CipherSuite> {
    use CipherSuite as S;
    let server_order = [
        S::TLS_AES_128_GCM_SHA256,
        S::TLS_AES_256_GCM_SHA384,
        S::TLS_CHACHA20_POLY1305_SHA256,
        S::TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256,
        S::TLS_ECDHE_ECDSA_WITH_CHACHA20_POLY1305_SHA256,
    ];
    let client = client_builder("p256")
        .versions(&[version])
        .cipher_suites(client)
        .grease(grease)
        .build()
        .unwrap();
    let server = server_builder("p256")
        .versions(&[version])
        .cipher_suites(&server_order);
    let (c, _) = handshaken(
        client,
        configure(server).build().unwrap(),
        server_name("p256"),
    );
    c.cipher_suite()
}

#[test]
fn within_a_tier_of_cipher_suites_the_client_chooses_and_across_tiers_the_server() {
    use CipherSuite as S;
    let tiers13: [&[S]; 2] = [
        &[S::TLS_AES_128_GCM_SHA256, S::TLS_CHACHA20_POLY1305_SHA256],
        &[S::TLS_AES_256_GCM_SHA384],
    ];
    let tiers12: [&[S]; 2] = [
        &[S::TLS_ECDHE_ECDSA_WITH_AES_256_GCM_SHA384],
        &[
            S::TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256,
            S::TLS_ECDHE_ECDSA_WITH_CHACHA20_POLY1305_SHA256,
        ],
    ];
    let v13 = ProtocolVersion::TLSv1_3;
    let v12 = ProtocolVersion::TLSv1_2;
    let tiered = |version, tiers: &[&[S]], client: &[S]| {
        let tiers = tiers.to_vec();
        chosen_suite_by(version, client, false, move |server| {
            server.cipher_suite_tiers(&tiers)
        })
    };
    // Within the first tier, the client's order: ChaCha20-Poly1305 first.
    let chacha_first = [
        S::TLS_AES_256_GCM_SHA384,
        S::TLS_CHACHA20_POLY1305_SHA256,
        S::TLS_AES_128_GCM_SHA256,
    ];
    assert_eq!(
        tiered(v13, &tiers13, &chacha_first),
        Some(S::TLS_CHACHA20_POLY1305_SHA256)
    );
    // ... though the client put AES-256-GCM, of the worse tier, first;
    // a client offering that tier alone gets it.
    assert_eq!(
        tiered(v13, &tiers13, &[S::TLS_AES_256_GCM_SHA384]),
        Some(S::TLS_AES_256_GCM_SHA384)
    );
    // Without tiers the same suites go by the server's order.
    assert_eq!(
        chosen_suite(v13, &chacha_first, false, false),
        Some(S::TLS_AES_128_GCM_SHA256)
    );
    // TLS 1.2 alike: the better tier's one suite before the client's
    // first, then the client's order within the second tier.
    let client12 = [
        S::TLS_ECDHE_ECDSA_WITH_CHACHA20_POLY1305_SHA256,
        S::TLS_ECDHE_ECDSA_WITH_AES_256_GCM_SHA384,
    ];
    assert_eq!(
        tiered(v12, &tiers12, &client12),
        Some(S::TLS_ECDHE_ECDSA_WITH_AES_256_GCM_SHA384)
    );
    let second_tier_only = [
        S::TLS_ECDHE_ECDSA_WITH_CHACHA20_POLY1305_SHA256,
        S::TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256,
    ];
    assert_eq!(
        tiered(v12, &tiers12, &second_tier_only),
        Some(S::TLS_ECDHE_ECDSA_WITH_CHACHA20_POLY1305_SHA256)
    );
}

#[test]
fn cipher_suite_tiers_must_hold_the_configured_suites_each_at_least_one() {
    use ferrotls::internal::error::InvalidRequestReason;
    use CipherSuite as S;
    let refused = Err(Error::InvalidRequest(
        InvalidRequestReason::CipherSuiteTiers,
    ));
    let empty = server_builder("p256").cipher_suite_tiers(&[&[S::TLS_AES_128_GCM_SHA256][..], &[]]);
    assert_eq!(empty.build().map(|_| ()), refused);
    let overwritten = server_builder("p256")
        .cipher_suite_tiers(&[
            &[S::TLS_AES_128_GCM_SHA256][..],
            &[S::TLS_AES_256_GCM_SHA384],
        ])
        .cipher_suites(&[S::TLS_AES_128_GCM_SHA256]);
    assert_eq!(overwritten.build().map(|_| ()), refused);
}

#[test]
fn a_server_prioritizing_chacha_follows_a_client_that_prefers_it_and_its_own_order_otherwise() {
    use CipherSuite as S;
    let cases = [
        (
            ProtocolVersion::TLSv1_3,
            [S::TLS_CHACHA20_POLY1305_SHA256, S::TLS_AES_128_GCM_SHA256],
            [S::TLS_AES_256_GCM_SHA384, S::TLS_CHACHA20_POLY1305_SHA256],
        ),
        (
            ProtocolVersion::TLSv1_2,
            [
                S::TLS_ECDHE_ECDSA_WITH_CHACHA20_POLY1305_SHA256,
                S::TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256,
            ],
            [
                S::TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256,
                S::TLS_ECDHE_ECDSA_WITH_CHACHA20_POLY1305_SHA256,
            ],
        ),
    ];
    for (version, prefers_chacha, prefers_aes) in cases {
        // A client that puts ChaCha20-Poly1305 first gets it ...
        assert_eq!(
            chosen_suite(version, &prefers_chacha, true, false),
            Some(prefers_chacha[0]),
            "{version:?}"
        );
        // ... only with the switch: otherwise our order, AES first.
        assert_eq!(
            chosen_suite(version, &prefers_chacha, false, false),
            Some(prefers_chacha[1]),
            "{version:?}"
        );
        // A client preferring AES gets our order whatever its second
        // choice.
        assert_eq!(
            chosen_suite(version, &prefers_aes, true, false),
            Some(prefers_aes[0]),
            "{version:?}"
        );
    }
    // The client's first suite counts only among those it could get: a
    // GREASE suite before ChaCha20-Poly1305, as Chromium sends, does not
    // hide its preference.
    for (version, prefers_chacha, _) in cases {
        assert_eq!(
            chosen_suite(version, &prefers_chacha, true, true),
            Some(prefers_chacha[0]),
            "{version:?}"
        );
    }
}
