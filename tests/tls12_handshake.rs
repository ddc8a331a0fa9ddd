//! TLS 1.2 full handshakes in memory: every suite × group × certificate
//! type, with and without encrypt-then-MAC and the extended master
//! secret; client authentication; ALPN, SNI, the exporter; version
//! negotiation between 1.2-only and 1.2+1.3 peers, the downgrade
//! sentinel and TLS_FALLBACK_SCSV.

mod common;

use ferrotls::internal::error::{
    HandshakeFailureReason, IllegalParameterReason, InvalidRequestReason,
};
use std::sync::Arc;

use common::*;
use ferrotls::internal::msgs::handshake::{DecodeContext, HandshakeMessage};
use ferrotls::internal::msgs::hello::DOWNGRADE_SENTINEL_TLS12;
use ferrotls::internal::msgs::key_exchange::KeyExchangeAlgorithm;
use ferrotls::internal::session::ClientSessionTls12;
use ferrotls::{
    AlertDescription, CipherSuite, ClientConfig, ClientConnection, Error, NamedGroup,
    ProtocolVersion, ServerConfig, ServerConnection, TLS12_CBC_CIPHER_SUITES, TLS12_CIPHER_SUITES,
};

const TLS12: &[ProtocolVersion] = &[ProtocolVersion::TLSv1_2];
const GROUPS: [NamedGroup; 5] = [
    NamedGroup::X25519,
    NamedGroup::secp256r1,
    NamedGroup::secp384r1,
    NamedGroup::secp521r1,
    NamedGroup::X448,
];
const CX: DecodeContext = DecodeContext {
    version: ProtocolVersion::TLSv1_2,
    key_exchange: KeyExchangeAlgorithm::Ecdhe,
    finished_len: 12,
};

/// Whether a suite authenticates with an RSA certificate.
fn is_rsa_suite(suite: CipherSuite) -> bool {
    format!("{suite:?}").contains("_RSA_")
}

/// The certificate types that can serve `suite`.
fn key_types_for(suite: CipherSuite) -> Vec<&'static str> {
    KEY_TYPES
        .iter()
        .copied()
        .filter(|k| is_rsa_suite(suite) == (*k == "rsa2048"))
        .collect()
}

/// The TLS 1.2 session the client kept for `key_type`'s server.
fn kept_session(config: &ClientConfig, key_type: &str) -> Arc<ClientSessionTls12> {
    config
        .session_store
        .as_ref()
        .unwrap()
        .get_tls12(&server_name(key_type).to_string())
        .expect("a session was kept")
}

/// Runs a TLS 1.2 handshake with `suite` and `group` against the
/// `key_type` certificate; checks what both sides negotiated, data both
/// ways, that both exporters agree, and that the session kept says
/// whether EMS and EtM were used.
fn full_handshake(key_type: &str, suite: CipherSuite, group: NamedGroup, ems: bool, etm: bool) {
    let client = client_builder(key_type)
        .versions(TLS12)
        .cipher_suites(&[suite])
        .groups(&groups_for(key_type, group))
        .require_extended_master_secret(ems)
        .build()
        .unwrap();
    let server = server_builder(key_type)
        .versions(TLS12)
        .groups(&[group])
        .cipher_suites(&[suite])
        .enable_extended_master_secret(ems)
        .enable_encrypt_then_mac(etm)
        .build()
        .unwrap();
    let (mut c, mut s) = handshaken(client.clone(), server, server_name(key_type));
    for side in [&*c, &*s] {
        assert_eq!(side.protocol_version(), Some(ProtocolVersion::TLSv1_2));
        assert_eq!(side.cipher_suite(), Some(suite));
        assert!(!side.is_resumed());
        assert_eq!(side.extended_master_secret(), ems);
    }
    assert_eq!(s.negotiated_group(), Some(group));
    assert_eq!(c.negotiated_group(), Some(group));
    send_and_check(&mut c, &mut s, b"ping from the client");
    send_and_check(&mut s, &mut c, b"pong from the server");
    let mut a = [0u8; 32];
    let mut b = [0u8; 32];
    c.export_keying_material(&mut a, b"EXPORTER-test", Some(b"ctx"))
        .unwrap();
    s.export_keying_material(&mut b, b"EXPORTER-test", Some(b"ctx"))
        .unwrap();
    assert_eq!(a, b);
    let kept = kept_session(&client, key_type);
    assert_eq!(kept.extended_master_secret, ems);
    assert_eq!(
        kept.encrypt_then_mac,
        etm && TLS12_CBC_CIPHER_SUITES.contains(&suite)
    );
}

#[test]
fn every_default_suite_group_and_certificate_with_and_without_ems() {
    for &suite in TLS12_CIPHER_SUITES {
        for key_type in key_types_for(suite) {
            for group in GROUPS {
                for ems in [true, false] {
                    full_handshake(key_type, suite, group, ems, true);
                }
            }
        }
    }
}

// The CBC suites' HMAC-SHA-1 comes with feature `legacy`.
#[cfg(feature = "legacy")]
#[test]
fn every_cbc_suite_group_and_certificate_with_and_without_etm_and_ems() {
    for &suite in TLS12_CBC_CIPHER_SUITES {
        for key_type in key_types_for(suite) {
            for group in GROUPS {
                for (ems, etm) in [(true, true), (true, false), (false, true), (false, false)] {
                    full_handshake(key_type, suite, group, ems, etm);
                }
            }
        }
    }
}

#[test]
fn rfc9846_e_tls13_reports_the_extended_master_secret_and_no_handshake_none() {
    let (mut c, mut s) = pair(
        client_builder("p256").build().unwrap(),
        server_builder("p256").build().unwrap(),
        server_name("p256"),
    );
    assert!(!c.extended_master_secret() && !s.extended_master_secret());
    handshake(&mut c, &mut s);
    assert_eq!(c.protocol_version(), Some(ProtocolVersion::TLSv1_3));
    assert!(c.extended_master_secret() && s.extended_master_secret());
}

#[test]
fn large_data_crosses_in_many_records() {
    let client = client_builder("p256").versions(TLS12).build().unwrap();
    let server = server_builder("p256").build().unwrap();
    let (mut c, mut s) = handshaken(client, server, server_name("p256"));
    let data: Vec<u8> = (0..50_000u32).map(|i| i as u8).collect();
    send_and_check(&mut c, &mut s, &data);
    send_and_check(&mut s, &mut c, &data);
}

#[test]
fn client_requiring_ems_refuses_a_server_without_it() {
    let client = client_builder("p256")
        .versions(TLS12)
        .require_extended_master_secret(true)
        .build()
        .unwrap();
    let server = server_builder("p256")
        .enable_extended_master_secret(false)
        .build()
        .unwrap();
    let (mut c, mut s) = pair(client, server, server_name("p256"));
    transfer(&mut c, &mut s).1.unwrap();
    let (_, r) = transfer(&mut s, &mut c);
    assert!(
        matches!(
            r,
            Err(Error::HandshakeFailure(
                HandshakeFailureReason::ServerWithoutEms
            ))
        ),
        "{r:?}"
    );
}

#[test]
fn server_requiring_ems_refuses_a_client_hello_without_it() {
    let server = server_builder("p256")
        .require_extended_master_secret(true)
        .build()
        .unwrap();
    let client = client_builder("p256").versions(TLS12).build().unwrap();
    let hello = edited_client_hello(client, |h| {
        h.extensions.as_mut().unwrap().retain(|e| {
            !matches!(
                e,
                ferrotls::internal::msgs::extensions::Extension::ExtendedMasterSecret
            )
        })
    });
    let (err, alert) = deliver(server, &hello);
    assert!(
        matches!(
            err,
            Error::HandshakeFailure(HandshakeFailureReason::ClientWithoutEms)
        ),
        "{err:?}"
    );
    assert_eq!(alert, Some(AlertDescription::HandshakeFailure.into()));
}

/// The first ClientHello of `client`, re-encoded after `edit`, as one
/// plaintext record.
pub fn edited_client_hello(
    client: Arc<ClientConfig>,
    edit: impl FnOnce(&mut ferrotls::internal::msgs::hello::ClientHello),
) -> Vec<u8> {
    let mut c = ClientConnection::new(client, server_name("p256")).unwrap();
    let mut bytes = Vec::new();
    c.write_tls(&mut bytes).unwrap();
    let HandshakeMessage::ClientHello(mut hello) =
        HandshakeMessage::decode_message(&records(&bytes)[0][5..], &CX).unwrap()
    else {
        panic!("not a ClientHello")
    };
    edit(&mut hello);
    let message = HandshakeMessage::ClientHello(hello).to_bytes().unwrap();
    let mut record = vec![22, 3, 1];
    record.extend_from_slice(&(message.len() as u16).to_be_bytes());
    record.extend_from_slice(&message);
    record
}

/// Delivers `bytes` to a fresh server; returns its error and alert.
fn deliver(server: Arc<ServerConfig>, bytes: &[u8]) -> (Error, Option<u8>) {
    let mut s = ServerConnection::new(server);
    s.read_tls(&mut &bytes[..]).unwrap();
    let err = s.process_new_packets().unwrap_err();
    let mut out = Vec::new();
    s.write_tls(&mut out).unwrap();
    (err, plaintext_alert(&out))
}

fn client_auth_server(key_type: &str, required: bool) -> Arc<ServerConfig> {
    client_auth_server_builder(key_type, "p384", required)
        .versions(TLS12)
        .build()
        .unwrap()
}

#[test]
fn client_authentication_with_each_server_certificate() {
    for key_type in KEY_TYPES {
        let client = client_builder(key_type)
            .versions(TLS12)
            .client_certificate(certified_key("p384"))
            .build()
            .unwrap();
        let (mut c, mut s) = handshaken(
            client,
            client_auth_server(key_type, true),
            server_name(key_type),
        );
        assert_eq!(s.protocol_version(), Some(ProtocolVersion::TLSv1_2));
        assert_eq!(
            s.peer_certificates(),
            certified_key("p384").chain(),
            "the server saw the client chain"
        );
        send_and_check(&mut c, &mut s, b"authenticated");
    }
}

#[test]
fn each_side_reports_the_scheme_the_peer_signed_with() {
    use ferrotls::SignatureScheme as S;
    // The server signs its ServerKeyExchange with its P-256 key (RFC 5246
    // §7.4.3), the client its CertificateVerify with its P-384 one
    // (§7.4.8); each side reports the other's scheme.
    let client = client_builder("p256")
        .versions(TLS12)
        .client_certificate(certified_key("p384"))
        .build()
        .unwrap();
    let server = client_auth_server("p256", true);
    let (c, s) = handshaken(client.clone(), server.clone(), server_name("p256"));
    assert_eq!(c.peer_signature_scheme(), Some(S::ecdsa_secp256r1_sha256));
    assert_eq!(s.peer_signature_scheme(), Some(S::ecdsa_secp384r1_sha384));
    // A resumption signs nothing.
    let (c, s) = handshaken(client, server, server_name("p256"));
    assert!(c.is_resumed());
    assert_eq!(
        (c.peer_signature_scheme(), s.peer_signature_scheme()),
        (None, None)
    );
    // Nor does RSA key exchange, on the server's side (feature `legacy`).
    if !cfg!(feature = "legacy") {
        return;
    }
    let client = client_builder("rsa2048")
        .versions(TLS12)
        .cipher_suites(&[CipherSuite::TLS_RSA_WITH_AES_128_GCM_SHA256])
        .build()
        .unwrap();
    let server = server_builder("rsa2048")
        .versions(TLS12)
        .cipher_suites(&[CipherSuite::TLS_RSA_WITH_AES_128_GCM_SHA256])
        .build()
        .unwrap();
    let (c, _) = handshaken(client, server, server_name("rsa2048"));
    assert_eq!(c.peer_signature_scheme(), None);
}

#[test]
fn client_without_a_certificate_sends_an_empty_one() {
    let client = client_builder("p256").versions(TLS12).build().unwrap();
    let (mut c, mut s) = handshaken(
        client.clone(),
        client_auth_server("p256", false),
        server_name("p256"),
    );
    assert!(s.peer_certificates().is_empty());
    send_and_check(&mut c, &mut s, b"anonymous client");

    let (mut c, mut s) = pair(
        client,
        client_auth_server("p256", true),
        server_name("p256"),
    );
    transfer(&mut c, &mut s).1.unwrap();
    transfer(&mut s, &mut c).1.unwrap();
    let (bytes, r) = transfer(&mut c, &mut s);
    assert!(bytes > 0);
    assert!(
        matches!(
            r,
            Err(Error::HandshakeFailure(
                HandshakeFailureReason::ClientCertificateRequired
            ))
        ),
        "{r:?}"
    );
}

#[test]
fn alpn_and_sni_are_negotiated() {
    let client = client_builder("p256")
        .versions(TLS12)
        .alpn_protocols(&[b"h2", b"http/1.1"])
        .build()
        .unwrap();
    let server = server_builder("p256")
        .alpn_protocols(&[b"http/1.1"])
        .build()
        .unwrap();
    let (c, s) = handshaken(client, server, server_name("p256"));
    assert_eq!(c.alpn_protocol(), Some(&b"http/1.1"[..]));
    assert_eq!(s.alpn_protocol(), Some(&b"http/1.1"[..]));
    assert_eq!(s.server_name(), Some("leaf.p256.test"));
}

#[test]
fn exporter_distinguishes_labels_and_contexts() {
    let client = client_builder("p256").versions(TLS12).build().unwrap();
    let (mut c, mut s) = pair(
        client,
        server_builder("p256").build().unwrap(),
        server_name("p256"),
    );
    let mut early = [0u8; 16];
    assert!(c
        .export_keying_material(&mut early, b"EXPORTER-x", None)
        .is_err());
    handshake(&mut c, &mut s);
    let export = |conn: &ferrotls::Connection, label: &[u8], context: Option<&[u8]>| {
        let mut out = [0u8; 16];
        conn.export_keying_material(&mut out, label, context)
            .unwrap();
        out
    };
    assert_eq!(
        export(&c, b"EXPORTER-x", None),
        export(&s, b"EXPORTER-x", None)
    );
    assert_ne!(
        export(&c, b"EXPORTER-x", None),
        export(&c, b"EXPORTER-x", Some(b""))
    );
    assert_ne!(
        export(&c, b"EXPORTER-x", None),
        export(&c, b"EXPORTER-y", None)
    );
}

#[test]
fn close_notify_ends_the_read_side() {
    use std::io::Read;
    let client = client_builder("p256").versions(TLS12).build().unwrap();
    let (mut c, mut s) = handshaken(
        client,
        server_builder("p256").build().unwrap(),
        server_name("p256"),
    );
    c.send_close_notify();
    transfer(&mut c, &mut s).1.unwrap();
    let mut buf = [0u8; 8];
    assert_eq!(s.reader().read(&mut buf).unwrap(), 0);
}

// ---- version negotiation ----

#[test]
fn default_client_and_tls12_only_server_agree_on_tls12() {
    let client = client_builder("p256").build().unwrap();
    let server = server_builder("p256").versions(TLS12).build().unwrap();
    let (mut c, mut s) = handshaken(client, server, server_name("p256"));
    assert_eq!(c.protocol_version(), Some(ProtocolVersion::TLSv1_2));
    assert_eq!(s.protocol_version(), Some(ProtocolVersion::TLSv1_2));
    send_and_check(&mut c, &mut s, b"1.2 after offering 1.3");
}

#[test]
fn tls12_only_client_and_default_server_agree_on_tls12() {
    let client = client_builder("rsa2048").versions(TLS12).build().unwrap();
    let server = server_builder("rsa2048").build().unwrap();
    let (mut c, mut s) = handshaken(client, server, server_name("rsa2048"));
    assert_eq!(c.protocol_version(), Some(ProtocolVersion::TLSv1_2));
    assert_eq!(s.protocol_version(), Some(ProtocolVersion::TLSv1_2));
    send_and_check(&mut s, &mut c, b"1.2 from a 1.3 server");
}

#[test]
fn default_peers_pick_tls13() {
    let (c, _s) = handshaken(
        client_builder("p256").build().unwrap(),
        server_builder("p256").build().unwrap(),
        server_name("p256"),
    );
    assert_eq!(c.protocol_version(), Some(ProtocolVersion::TLSv1_3));
}

#[test]
fn a_tls13_server_negotiating_tls12_sets_the_downgrade_sentinel() {
    for (versions, sentinel) in [
        (
            vec![ProtocolVersion::TLSv1_3, ProtocolVersion::TLSv1_2],
            true,
        ),
        (TLS12.to_vec(), false),
    ] {
        let client = client_builder("p256").versions(TLS12).build().unwrap();
        let mut c = ClientConnection::new(client, server_name("p256")).unwrap();
        let server = server_builder("p256").versions(&versions).build().unwrap();
        let mut s = ServerConnection::new(server);
        transfer(&mut c, &mut s).1.unwrap();
        let mut out = Vec::new();
        s.write_tls(&mut out).unwrap();
        // The ServerHello opens the first record; its random follows the
        // 5-byte record header, the 4-byte handshake header and the
        // 2-byte version (RFC 5246 §7.4.1.3).
        let random = &out[11..43];
        assert_eq!(random[24..] == DOWNGRADE_SENTINEL_TLS12, sentinel);
    }
}

#[test]
fn a_client_offering_tls13_refuses_the_sentinel_from_a_real_server() {
    // The server supports 1.3 but is told by an altered ClientHello that
    // the client only speaks 1.2; the real client offered 1.3 and must
    // notice the sentinel (RFC 8446 §4.1.3).
    let client = client_builder("p256").build().unwrap();
    let mut c = ClientConnection::new(client, server_name("p256")).unwrap();
    let mut bytes = Vec::new();
    c.write_tls(&mut bytes).unwrap();
    let HandshakeMessage::ClientHello(mut hello) =
        HandshakeMessage::decode_message(&records(&bytes)[0][5..], &CX).unwrap()
    else {
        panic!()
    };
    hello.extensions.as_mut().unwrap().retain(|e| {
        !matches!(
            e,
            ferrotls::internal::msgs::extensions::Extension::SupportedVersionsOffer(_)
        )
    });
    let message = HandshakeMessage::ClientHello(hello).to_bytes().unwrap();
    let mut record = vec![22, 3, 1];
    record.extend_from_slice(&(message.len() as u16).to_be_bytes());
    record.extend_from_slice(&message);
    let mut s = ServerConnection::new(server_builder("p256").build().unwrap());
    s.read_tls(&mut &record[..]).unwrap();
    s.process_new_packets().unwrap();
    let (_, r) = transfer(&mut s, &mut c);
    assert_eq!(
        r,
        Err(Error::IllegalParameter(
            IllegalParameterReason::DowngradeSentinel
        ))
    );
    let mut out = Vec::new();
    c.write_tls(&mut out).unwrap();
    assert_eq!(
        plaintext_alert(&out),
        Some(AlertDescription::IllegalParameter.into())
    );
}

#[test]
fn fallback_scsv_below_our_highest_version_is_inappropriate_fallback() {
    let client = client_builder("p256").versions(TLS12).build().unwrap();
    let hello = edited_client_hello(client.clone(), |h| {
        h.cipher_suites.push(CipherSuite::TLS_FALLBACK_SCSV)
    });
    let (err, alert) = deliver(server_builder("p256").build().unwrap(), &hello);
    assert_eq!(err, Error::InappropriateFallback);
    assert_eq!(alert, Some(AlertDescription::InappropriateFallback.into()));
    // A server whose highest version is 1.2 carries on.
    let mut s = ServerConnection::new(server_builder("p256").versions(TLS12).build().unwrap());
    s.read_tls(&mut &hello[..]).unwrap();
    s.process_new_packets().unwrap();
    assert_eq!(s.protocol_version(), Some(ProtocolVersion::TLSv1_2));
}

/// A TLS 1.2 ClientHello from a client of `key_type` whose
/// signature_algorithms is `offered`, or that has none.
fn hello_offering(key_type: &str, offered: Option<&[ferrotls::SignatureScheme]>) -> Vec<u8> {
    use ferrotls::internal::msgs::extensions::Extension;
    let client = client_builder(key_type).versions(TLS12).build().unwrap();
    edited_client_hello(client, |h| {
        let extensions = h.extensions.as_mut().unwrap();
        match offered {
            Some(offered) => {
                for extension in extensions.iter_mut() {
                    if let Extension::SignatureAlgorithms(list) = extension {
                        *list = offered.into();
                    }
                }
            }
            None => extensions.retain(|e| !matches!(e, Extension::SignatureAlgorithms(_))),
        }
    })
}

/// The scheme `server` signs its ServerKeyExchange with for the TLS 1.2
/// ClientHello `hello`; `None` when it refuses the hello.
fn ske_scheme_of(server: Arc<ServerConfig>, hello: &[u8]) -> Option<ferrotls::SignatureScheme> {
    let mut s = ServerConnection::new(server);
    s.read_tls(&mut &hello[..]).unwrap();
    s.process_new_packets().ok()?;
    let mut out = Vec::new();
    s.write_tls(&mut out).unwrap();
    let payload: Vec<u8> = records(&out).iter().flat_map(|r| r[5..].to_vec()).collect();
    let ske = split_messages(&payload)
        .into_iter()
        .find(|m| message_type(m) == 12)?;
    let HandshakeMessage::ServerKeyExchange(ske) =
        HandshakeMessage::decode_message(&ske, &CX).unwrap()
    else {
        panic!()
    };
    ske.signature.scheme
}

/// The scheme a default server serving `key_type` signs its
/// ServerKeyExchange with for a TLS 1.2 ClientHello whose
/// signature_algorithms is `offered`; `None` when it refuses the hello.
fn ske_scheme(
    key_type: &str,
    offered: &[ferrotls::SignatureScheme],
) -> Option<ferrotls::SignatureScheme> {
    ske_scheme_of(
        server_builder(key_type).build().unwrap(),
        &hello_offering(key_type, Some(offered)),
    )
}

/// A server of `key_type` whose configuration accepts SHA-1 signatures
/// (feature `legacy`), and so signs with them for a peer that accepts
/// nothing else.
#[cfg(feature = "legacy")]
fn sha1_accepting_server(key_type: &str) -> Arc<ServerConfig> {
    use ferrotls::SignatureScheme as S;
    server_builder(key_type)
        .signature_schemes(&[
            S::ecdsa_secp256r1_sha256,
            S::ecdsa_secp384r1_sha384,
            S::ecdsa_secp521r1_sha512,
            S::rsa_pss_rsae_sha256,
            S::rsa_pkcs1_sha256,
            S::rsa_pkcs1_sha1,
            S::ecdsa_sha1,
        ])
        .build()
        .unwrap()
}

/// RFC 9155: no SHA-1 in a TLS 1.2 ServerKeyExchange (§4), and a
/// ClientHello without signature_algorithms, which accepts only SHA-1
/// (the RFC 5246 §7.4.1.4.1 default), is refused with `handshake_failure`
/// (§2), as one that offers SHA-1 alone is. A server configured to
/// accept SHA-1 signatures (feature `legacy`) signs with SHA-1 for them.
#[test]
fn rfc9155_a_server_signs_with_sha1_only_when_configured_to_accept_it() {
    use ferrotls::SignatureScheme as S;
    for (key_type, sha1) in [("rsa2048", S::rsa_pkcs1_sha1), ("p256", S::ecdsa_sha1)] {
        for hello in [
            hello_offering(key_type, None),
            hello_offering(key_type, Some(&[sha1])),
        ] {
            let (err, alert) = deliver(server_builder(key_type).build().unwrap(), &hello);
            assert!(
                matches!(err, Error::HandshakeFailure(_)),
                "{key_type}: {err:?}"
            );
            assert_eq!(alert, Some(AlertDescription::HandshakeFailure.into()));
            #[cfg(feature = "legacy")]
            assert_eq!(
                ske_scheme_of(sha1_accepting_server(key_type), &hello),
                Some(sha1),
                "{key_type}"
            );
        }
    }
}

/// The TLS 1.2 ECDSA schemes name a hash, not a curve (RFC 5246
/// §7.4.1.4.1): an ECDSA server signs with whichever of them it can make
/// the client offers, its curve's own hash first, then the stronger,
/// then the weaker, SHA-1 last and only when configured to accept it
/// (RFC 9155 §4). Without feature `legacy` P-256 and P-384 sign with
/// their own hash only (ring pairs them so).
#[test]
fn an_ecdsa_server_signs_tls12_with_any_offered_ecdsa_hash_in_its_order() {
    use ferrotls::SignatureScheme as S;
    let legacy = cfg!(feature = "legacy");
    let all = [
        S::ecdsa_sha1,
        S::ecdsa_secp521r1_sha512,
        S::ecdsa_secp256r1_sha256,
        S::ecdsa_secp384r1_sha384,
    ];
    for (key_type, order) in [
        (
            "p256",
            [
                S::ecdsa_secp256r1_sha256,
                S::ecdsa_secp384r1_sha384,
                S::ecdsa_secp521r1_sha512,
                S::ecdsa_sha1,
            ],
        ),
        (
            "p384",
            [
                S::ecdsa_secp384r1_sha384,
                S::ecdsa_secp521r1_sha512,
                S::ecdsa_secp256r1_sha256,
                S::ecdsa_sha1,
            ],
        ),
    ] {
        let own = order[0];
        for (i, expected) in order.iter().enumerate() {
            // The client offers this scheme and those after it.
            let offered: Vec<S> = all
                .iter()
                .copied()
                .filter(|s| order[i..].contains(s))
                .collect();
            let want = if legacy {
                Some(*expected).filter(|s| *s != S::ecdsa_sha1)
            } else {
                offered.contains(&own).then_some(own)
            };
            assert_eq!(
                ske_scheme(key_type, &offered),
                want,
                "{key_type} {offered:?}"
            );
            #[cfg(feature = "legacy")]
            assert_eq!(
                ske_scheme_of(
                    sha1_accepting_server(key_type),
                    &hello_offering(key_type, Some(&offered))
                ),
                Some(*expected),
                "{key_type} {offered:?}, SHA-1 accepted"
            );
        }
    }
    // P-521, which `p521` signs with any SHA-2 hash in every build.
    assert_eq!(
        ske_scheme(
            "p521",
            &[S::ecdsa_secp256r1_sha256, S::ecdsa_secp384r1_sha384]
        ),
        Some(S::ecdsa_secp384r1_sha384)
    );
}

/// Whole TLS 1.2 handshakes in which our client offers one ECDSA scheme
/// only and the server signs its ServerKeyExchange under it with a key
/// of another curve, then the same for the client's CertificateVerify:
/// the signatures verify (`verify_tls12`). TLS 1.3 keeps the curve
/// binding (RFC 8446 §4.2.3): a P-256 server refuses a TLS 1.3 client
/// that offers only `ecdsa_secp384r1_sha384`.
#[test]
fn ecdsa_signatures_over_another_curves_hash_complete_tls12_handshakes() {
    use ferrotls::SignatureScheme as S;
    // `p521` signs P-521 with any SHA-2 hash; the RustCrypto crates sign
    // P-256 and P-384 with the hashes ring does not pair with them
    // (feature `legacy`).
    let mut cases = vec![
        ("p521", S::ecdsa_secp256r1_sha256),
        ("p521", S::ecdsa_secp384r1_sha384),
    ];
    if cfg!(feature = "legacy") {
        cases.extend([
            ("p256", S::ecdsa_secp384r1_sha384),
            ("p256", S::ecdsa_secp521r1_sha512),
            ("p384", S::ecdsa_secp256r1_sha256),
            ("p384", S::ecdsa_secp521r1_sha512),
        ]);
    }
    for (key_type, scheme) in cases {
        let client = client_builder(key_type)
            .versions(TLS12)
            .signature_schemes(&[scheme])
            .build()
            .unwrap();
        let (mut c, mut s) = handshaken(
            client,
            server_builder(key_type).build().unwrap(),
            server_name(key_type),
        );
        send_and_check(&mut c, &mut s, b"server signed");

        let client = client_builder("p256")
            .versions(TLS12)
            .client_certificate(certified_key(key_type))
            .build()
            .unwrap();
        let server = client_auth_server_builder("p256", key_type, true)
            .versions(TLS12)
            .signature_schemes(&[scheme])
            .build()
            .unwrap();
        let (mut c, mut s) = handshaken(client, server, server_name("p256"));
        assert_eq!(s.peer_certificates(), certified_key(key_type).chain());
        send_and_check(&mut c, &mut s, b"client signed");
    }
    let client = client_builder("p256")
        .versions(&[ProtocolVersion::TLSv1_3])
        .signature_schemes(&[S::ecdsa_secp384r1_sha384])
        .build()
        .unwrap();
    let (mut c, mut s) = pair(
        client,
        server_builder("p256").build().unwrap(),
        server_name("p256"),
    );
    let r = transfer(&mut c, &mut s).1;
    assert!(
        matches!(
            r,
            Err(Error::HandshakeFailure(
                HandshakeFailureReason::NoFittingCertificate
            ))
        ),
        "{r:?}"
    );
}

/// A signature_algorithms list only TLS 1.2 reads (a ClientHello without
/// TLS 1.3, a TLS 1.2 CertificateRequest) carries no ECDSA scheme we
/// cannot check on a P-256 or P-384 key, which TLS 1.2 lets the peer sign
/// it with (RFC 5246 §7.4.1.4.1): `verify_tls12` answers a bad signature
/// under each with decrypt_error, never illegal_parameter (an algorithm
/// it cannot check). Without feature `legacy` that leaves out
/// `ecdsa_secp521r1_sha512`, and a TLS 1.2-only configuration with
/// nothing else is refused, as is a server that asks for client
/// certificates with TLS 1.2 enabled. A ClientHello that also offers TLS
/// 1.3 keeps the configured list whole, P-521's scheme included.
#[test]
fn tls12_only_signature_algorithms_list_only_schemes_we_can_check() {
    use ferrotls::internal::crypto::verify::{
        algorithm_for_scheme, verify_tls12, SignatureAlgorithm,
    };
    use ferrotls::internal::error::InvalidRequestReason;
    use ferrotls::internal::msgs::extensions::Extension;
    use ferrotls::SignatureScheme as S;
    let listed = |client: Arc<ClientConfig>| {
        let mut schemes = Vec::new();
        edited_client_hello(client, |h| {
            for extension in h.extensions.as_ref().unwrap() {
                if let Extension::SignatureAlgorithms(list) = extension {
                    schemes = list.to_vec();
                }
            }
        });
        schemes
    };
    let hello = listed(client_builder("p256").versions(TLS12).build().unwrap());

    let client = client_builder("p256")
        .versions(TLS12)
        .client_certificate(certified_key("p384"))
        .build()
        .unwrap();
    let (mut c, mut s) = pair(
        client,
        client_auth_server("p256", true),
        server_name("p256"),
    );
    transfer(&mut c, &mut s).1.unwrap();
    let mut flight = Vec::new();
    s.write_tls(&mut flight).unwrap();
    let payload: Vec<u8> = records(&flight)
        .iter()
        .flat_map(|r| r[5..].to_vec())
        .collect();
    let request = split_messages(&payload)
        .into_iter()
        .find(|m| message_type(m) == 13)
        .expect("a CertificateRequest");
    let HandshakeMessage::CertificateRequestTls12(request) =
        HandshakeMessage::decode_message(&request, &CX).unwrap()
    else {
        panic!()
    };
    let requested = request.signature_schemes.unwrap();

    let keys = [certified_key("p256"), certified_key("p384")].map(|c| c.key().public_key());
    for (what, schemes) in [("ClientHello", &hello), ("CertificateRequest", &requested)] {
        for &scheme in schemes {
            let Some(alg @ SignatureAlgorithm::Ecdsa(_)) = algorithm_for_scheme(scheme) else {
                continue;
            };
            for key in &keys {
                let got = verify_tls12(key, alg, b"signed", &[0x30, 0x00]);
                assert!(
                    matches!(got, Err(Error::DecryptError(_))),
                    "{what} lists {scheme:?}, which we cannot check on {key:?}: {got:?}"
                );
            }
        }
        let legacy = cfg!(feature = "legacy");
        assert_eq!(
            schemes.contains(&S::ecdsa_secp521r1_sha512),
            legacy,
            "{what}"
        );
    }

    let default = client_builder("p256").build().unwrap();
    assert_eq!(listed(default.clone()), default.common.signature_schemes);
    assert!(default
        .common
        .signature_schemes
        .contains(&S::ecdsa_secp521r1_sha512));
    let only_p521 = client_builder("p521")
        .versions(TLS12)
        .signature_schemes(&[S::ecdsa_secp521r1_sha512])
        .build();
    // A server asking for client certificates sends TLS 1.2's list in
    // its TLS 1.2 CertificateRequest, with TLS 1.3 enabled or not.
    let asking_only_p521 = client_auth_server_builder("p256", "p256", true)
        .signature_schemes(&[S::ecdsa_secp521r1_sha512])
        .build();
    let not_asking_only_p521 = server_builder("p256")
        .signature_schemes(&[S::ecdsa_secp521r1_sha512])
        .build();
    assert!(not_asking_only_p521.is_ok());
    for refused in [only_p521.map(|_| ()), asking_only_p521.map(|_| ())] {
        if cfg!(feature = "legacy") {
            assert!(refused.is_ok());
        } else {
            assert_eq!(
                refused.unwrap_err(),
                Error::InvalidRequest(InvalidRequestReason::NoSignatureScheme)
            );
        }
    }
}

/// A TLS 1.2 client (False Start on when `false_start`) and server (ALPN
/// `h2` when `alpn`, suite `suite`) just after the server read the
/// client's second flight, before the client saw the server's Finished;
/// the client wrote a request before its handshake began.
fn at_client_second_flight(
    false_start: bool,
    alpn: bool,
    suite: CipherSuite,
    key_type: &str,
) -> (ClientConnection, ServerConnection) {
    use std::io::Write;
    let protocols: &[&[u8]] = if alpn { &[b"h2"] } else { &[] };
    let client = client_builder(key_type)
        .versions(TLS12)
        .cipher_suites(&[suite])
        .alpn_protocols(protocols)
        .false_start(false_start)
        .build()
        .unwrap();
    let server = server_builder(key_type)
        .versions(TLS12)
        .cipher_suites(&[suite])
        .alpn_protocols(protocols)
        .build()
        .unwrap();
    let (mut c, mut s) = pair(client, server, server_name(key_type));
    c.writer().write_all(b"GET / early").unwrap();
    transfer(&mut c, &mut s).1.unwrap();
    transfer(&mut s, &mut c).1.unwrap();
    // The client's second flight: ClientKeyExchange, ChangeCipherSpec,
    // Finished, and with False Start the request behind them.
    transfer(&mut c, &mut s).1.unwrap();
    assert!(c.is_handshaking());
    (c, s)
}

/// What the server of [`at_client_second_flight`] has read of the
/// request before the client saw its Finished; then the handshake
/// completes and the request arrives in any case.
fn read_before_server_finished(
    false_start: bool,
    alpn: bool,
    suite: CipherSuite,
    key_type: &str,
) -> Vec<u8> {
    use std::io::Read;
    let (mut c, mut s) = at_client_second_flight(false_start, alpn, suite, key_type);
    let mut early = vec![0u8; 64];
    let n = s.reader().read(&mut early).unwrap_or(0);
    early.truncate(n);
    handshake(&mut c, &mut s);
    if early.is_empty() {
        let mut late = vec![0u8; 64];
        let n = s.reader().read(&mut late).unwrap();
        assert_eq!(&late[..n], b"GET / early");
    }
    early
}

#[test]
fn rfc7918_a_false_starting_client_sends_its_request_before_the_server_finished() {
    use CipherSuite as S;
    let early = |false_start, alpn, suite, key_type| {
        read_before_server_finished(false_start, alpn, suite, key_type)
    };
    let aead = S::TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256;
    assert_eq!(early(true, true, aead, "p256"), b"GET / early");
    let ecdhe_rsa = S::TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256;
    assert_eq!(early(true, true, ecdhe_rsa, "rsa2048"), b"GET / early");
    // Off by default; and only with ALPN agreed, an AEAD suite (§5.1)
    // and a forward-secret key exchange (§5.2).
    assert!(early(false, true, aead, "p256").is_empty());
    assert!(early(true, false, aead, "p256").is_empty());
    // CBC suites and RSA key exchange come with feature `legacy`.
    if !cfg!(feature = "legacy") {
        return;
    }
    let cbc = S::TLS_ECDHE_ECDSA_WITH_AES_128_CBC_SHA;
    assert!(early(true, true, cbc, "p256").is_empty());
    let rsa_kx = S::TLS_RSA_WITH_AES_128_GCM_SHA256;
    assert!(early(true, true, rsa_kx, "rsa2048").is_empty());
}

#[test]
fn rfc5705_keying_material_is_exported_during_a_false_start_as_after_the_handshake() {
    let suite = CipherSuite::TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256;
    let export = |conn: &ferrotls::Connection| {
        let mut out = [0u8; 40];
        conn.export_keying_material(&mut out, b"EXPERIMENTAL fs", Some(b"ctx"))
            .map(|()| out)
    };
    let (mut c, mut s) = at_client_second_flight(true, true, suite, "p256");
    let during = export(&c).unwrap();
    handshake(&mut c, &mut s);
    assert_eq!(during, export(&s).unwrap());
    assert_eq!(during, export(&c).unwrap());
    // Without a False Start, the master secret exists as well, but the
    // handshake is not at a point where data may flow.
    let (c, _s) = at_client_second_flight(false, true, suite, "p256");
    assert_eq!(
        export(&c).unwrap_err(),
        Error::InvalidRequest(InvalidRequestReason::ExporterBeforeHandshake)
    );
}

/// RFC 9155 §5: no SHA-1 in a TLS 1.2 CertificateVerify. A server that
/// asks for client certificates signed under SHA-1 alone gets none from
/// a default client (it has no certificate it may sign for, so it sends
/// an empty Certificate, which this server refuses), and a client
/// configured to accept SHA-1 signatures signs under it.
#[cfg(feature = "legacy")]
#[test]
fn rfc9155_5_a_client_signs_with_sha1_only_when_configured_to_accept_it() {
    use ferrotls::SignatureScheme as S;
    let server = client_auth_server_builder("p256", "rsa2048", true)
        .versions(TLS12)
        .signature_schemes(&[S::rsa_pkcs1_sha1])
        .build()
        .unwrap();
    let client = |schemes: &[S]| {
        client_builder("p256")
            .versions(TLS12)
            .signature_schemes(schemes)
            .client_certificate(certified_key("rsa2048"))
            .build()
            .unwrap()
    };
    // The client's second flight, with its empty Certificate.
    let (error, _) = refuses(
        client(&[S::ecdsa_secp256r1_sha256, S::rsa_pkcs1_sha256]),
        server.clone(),
        server_name("p256"),
        Refuser::Server,
        2,
        |_| {},
    );
    assert_eq!(
        error,
        Error::HandshakeFailure(HandshakeFailureReason::ClientCertificateRequired)
    );

    let (_, s) = handshaken(
        client(&[S::ecdsa_secp256r1_sha256, S::rsa_pkcs1_sha1]),
        server,
        server_name("p256"),
    );
    assert_eq!(s.peer_signature_scheme(), Some(S::rsa_pkcs1_sha1));
}
