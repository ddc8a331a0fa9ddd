//! TLS 1.0 and 1.1 full handshakes in memory: every suite ×
//! version × certificate type, with and without encrypt-then-MAC and the
//! extended master secret; the TLS 1.2 RSA key-exchange suites; client
//! authentication with the legacy CertificateVerify; the record forms
//! (TLS 1.0 chained IV with 1/n−1 splitting of application data, TLS 1.1
//! explicit IVs) as seen in the records written.

// TLS 1.0/1.1, RSA key exchange and CBC come with feature `legacy`.
#![cfg(feature = "legacy")]

mod common;

use ferrotls::internal::error::HandshakeFailureReason;
use std::io::Write;
use std::sync::Arc;

use common::*;
use ferrotls::{
    AlertDescription, CipherSuite, ClientConnection, Connection, Error, ProtocolVersion,
    ServerConfig, ServerConnection, TLS10_CIPHER_SUITES, TLS12_RSA_KX_CIPHER_SUITES,
};

const LEGACY: [ProtocolVersion; 2] = [ProtocolVersion::TLSv1_0, ProtocolVersion::TLSv1_1];

/// The certificate types that can serve `suite` under TLS 1.0/1.1:
/// RSA for the `_RSA_` suites, the ECDSA curves otherwise (Ed25519 signs
/// only from TLS 1.2 on, RFC 8422 §5.1.3).
fn key_types_for(suite: CipherSuite) -> &'static [&'static str] {
    if format!("{suite:?}").contains("_RSA_") {
        &["rsa2048"]
    } else {
        &["p256", "p384"]
    }
}

/// Runs one handshake under `version` with `suite`; checks what both
/// sides negotiated, data both ways and the exporter.
fn full_handshake(
    version: ProtocolVersion,
    key_type: &str,
    suite: CipherSuite,
    ems: bool,
    etm: bool,
) -> (ClientConnection, ServerConnection) {
    let client = client_builder(key_type)
        .versions(&[version])
        .cipher_suites(&[suite])
        .require_extended_master_secret(ems)
        .build()
        .unwrap();
    let server = server_builder(key_type)
        .versions(&[version])
        .cipher_suites(&[suite])
        .enable_extended_master_secret(ems)
        .enable_encrypt_then_mac(etm)
        .build()
        .unwrap();
    let (mut c, mut s) = handshaken(client, server, server_name(key_type));
    for side in [&*c, &*s] {
        assert_eq!(side.protocol_version(), Some(version), "{suite:?}");
        assert_eq!(side.cipher_suite(), Some(suite));
    }
    send_and_check(&mut c, &mut s, b"ping from the client");
    send_and_check(&mut s, &mut c, b"pong from the server");
    let data: Vec<u8> = (0..40_000u32).map(|i| i as u8).collect();
    send_and_check(&mut c, &mut s, &data);
    send_and_check(&mut s, &mut c, &data);
    let (mut a, mut b) = ([0u8; 32], [0u8; 32]);
    c.export_keying_material(&mut a, b"EXPORTER-test", None)
        .unwrap();
    s.export_keying_material(&mut b, b"EXPORTER-test", None)
        .unwrap();
    assert_eq!(a, b);
    (c, s)
}

#[test]
fn every_suite_version_and_certificate_with_and_without_etm_and_ems() {
    for version in LEGACY {
        for &suite in TLS10_CIPHER_SUITES {
            for key_type in key_types_for(suite) {
                for (ems, etm) in [(true, true), (true, false), (false, true), (false, false)] {
                    full_handshake(version, key_type, suite, ems, etm);
                }
            }
        }
    }
}

#[test]
fn rsa_key_exchange_suites_run_under_tls12_when_enabled() {
    for &suite in TLS12_RSA_KX_CIPHER_SUITES {
        for etm in [true, false] {
            full_handshake(ProtocolVersion::TLSv1_2, "rsa2048", suite, true, etm);
        }
    }
}

#[test]
fn ecdhe_groups_all_work_under_tls10() {
    use ferrotls::NamedGroup;
    for group in [
        NamedGroup::X25519,
        NamedGroup::secp256r1,
        NamedGroup::secp384r1,
        NamedGroup::secp521r1,
        NamedGroup::X448,
    ] {
        // The client lists P-256 too, the curve of the server's
        // certificate (RFC 8422 §5.3); the server exchanges in `group`
        // alone.
        let client = client_builder("p256")
            .versions(&LEGACY)
            .cipher_suites(TLS10_CIPHER_SUITES)
            .groups(&groups_for("p256", group))
            .build()
            .unwrap();
        let server = server_builder("p256")
            .versions(&LEGACY)
            .cipher_suites(TLS10_CIPHER_SUITES)
            .groups(&[group])
            .build()
            .unwrap();
        let (c, s) = handshaken(client, server, server_name("p256"));
        assert_eq!(s.protocol_version(), Some(ProtocolVersion::TLSv1_1));
        assert_eq!(s.negotiated_group(), Some(group));
        assert_eq!(c.negotiated_group(), Some(group));
    }
}

#[test]
fn an_ed25519_only_server_cannot_serve_tls10() {
    let client = client_builder("ed25519")
        .versions(&[ProtocolVersion::TLSv1_0])
        .cipher_suites(TLS10_CIPHER_SUITES)
        .build()
        .unwrap();
    let server = server_builder("ed25519")
        .versions(&[ProtocolVersion::TLSv1_0])
        .cipher_suites(TLS10_CIPHER_SUITES)
        .build()
        .unwrap();
    let (mut c, mut s) = pair(client, server, server_name("ed25519"));
    let (_, r) = transfer(&mut c, &mut s);
    assert!(
        matches!(
            r,
            Err(Error::HandshakeFailure(
                HandshakeFailureReason::NoSuiteAndCertificate
            ))
        ),
        "{r:?}"
    );
    let mut out = Vec::new();
    s.write_tls(&mut out).unwrap();
    assert_eq!(
        plaintext_alert(&out),
        Some(AlertDescription::HandshakeFailure.into())
    );
}

/// A server asking for a client certificate from the p384 hierarchy.
fn client_auth_server(key_type: &str, version: ProtocolVersion) -> Arc<ServerConfig> {
    client_auth_server_builder(key_type, key_type, true)
        .versions(&[version])
        .cipher_suites(TLS10_CIPHER_SUITES)
        .build()
        .unwrap()
}

#[test]
fn client_authentication_signs_the_legacy_certificate_verify() {
    // RSA client keys sign MD5‖SHA-1, ECDSA ones SHA-1 (RFC 4346 §7.4.8);
    // the 1.0/1.1 CertificateRequest has no scheme list, so the client
    // picks its certificate by type.
    for version in LEGACY {
        for key_type in ["rsa2048", "p256", "p384"] {
            let client = client_builder(key_type)
                .versions(&[version])
                .cipher_suites(TLS10_CIPHER_SUITES)
                .client_certificate(certified_key(key_type))
                .build()
                .unwrap();
            let (mut c, mut s) = handshaken(
                client,
                client_auth_server(key_type, version),
                server_name(key_type),
            );
            assert_eq!(s.protocol_version(), Some(version));
            assert_eq!(s.peer_certificates(), certified_key(key_type).chain());
            send_and_check(&mut c, &mut s, b"authenticated");
        }
    }
}

#[test]
fn a_required_client_certificate_the_client_lacks_is_refused() {
    let client = client_builder("p256")
        .versions(&[ProtocolVersion::TLSv1_0])
        .cipher_suites(TLS10_CIPHER_SUITES)
        .build()
        .unwrap();
    let (mut c, mut s) = pair(
        client,
        client_auth_server("p256", ProtocolVersion::TLSv1_0),
        server_name("p256"),
    );
    transfer(&mut c, &mut s).1.unwrap();
    transfer(&mut s, &mut c).1.unwrap();
    let (_, r) = transfer(&mut c, &mut s);
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

/// The application-data records `from` writes for `data`.
fn app_records(from: &mut Connection, data: &[u8]) -> Vec<Vec<u8>> {
    from.writer().write_all(data).unwrap();
    let mut out = Vec::new();
    while from.wants_write() {
        from.write_tls(&mut out).unwrap();
    }
    records(&out).into_iter().filter(|r| r[0] == 23).collect()
}

/// A connected pair under `version` with AES-128-CBC-SHA, EtM as given.
fn cbc_pair(version: ProtocolVersion, etm: bool) -> (ClientConnection, ServerConnection) {
    let suite = [CipherSuite::TLS_ECDHE_ECDSA_WITH_AES_128_CBC_SHA];
    let client = client_builder("p256")
        .versions(&[version])
        .cipher_suites(&suite)
        .build()
        .unwrap();
    let server = server_builder("p256")
        .versions(&[version])
        .cipher_suites(&suite)
        .enable_encrypt_then_mac(etm)
        .build()
        .unwrap();
    let (c, s) = handshaken(client, server, server_name("p256"));
    (c, s)
}

#[test]
fn tls10_data_is_split_one_byte_then_the_rest_in_both_roles() {
    // 100 bytes, MAC-then-encrypt with HMAC-SHA1 (20) and AES blocks (16):
    // the 1-byte record is 1 + 20 + padding = 32 bytes of ciphertext, the
    // 99-byte one 99 + 20 + 1 → 128; no IV is sent (RFC 2246 §6.2.3.2).
    let (mut c, mut s) = cbc_pair(ProtocolVersion::TLSv1_0, false);
    let written = app_records(&mut c, &[7u8; 100]);
    let lengths: Vec<usize> = written.iter().map(|r| r.len() - 5).collect();
    assert_eq!(lengths, [32, 128]);
    assert!(written.iter().all(|r| r[1..3] == [3, 1]));
    // The server receives the 100 bytes whole.
    let bytes = written.concat();
    s.read_tls(&mut &bytes[..]).unwrap();
    s.process_new_packets().unwrap();
    let mut got = vec![0; 100];
    std::io::Read::read_exact(&mut s.reader(), &mut got).unwrap();
    assert_eq!(got, [7u8; 100]);
    // A single byte is not split further.
    assert_eq!(app_records(&mut c, &[1]).len(), 1);
    // The server splits its data the same way (as OpenSSL and NSS do),
    // and the client receives it whole.
    let written = app_records(&mut s, &[9u8; 100]);
    let lengths: Vec<usize> = written.iter().map(|r| r.len() - 5).collect();
    assert_eq!(lengths, [32, 128]);
    c.read_tls(&mut &written.concat()[..]).unwrap();
    c.process_new_packets().unwrap();
    std::io::Read::read_exact(&mut c.reader(), &mut got).unwrap();
    assert_eq!(got, [9u8; 100]);
}

#[test]
fn tls10_chained_iv_makes_equal_records_differ() {
    // Same plaintext twice: with the IV chained from the last ciphertext
    // block the second record's bytes differ from the first's.
    let (mut c, _s) = cbc_pair(ProtocolVersion::TLSv1_0, false);
    let first = app_records(&mut c, &[5u8; 1]);
    let second = app_records(&mut c, &[5u8; 1]);
    assert_eq!(first[0].len(), second[0].len());
    assert_ne!(first[0], second[0]);
}

#[test]
fn tls11_records_carry_an_explicit_iv_and_are_not_split() {
    // MtE: 16 IV + (100 + 20 + padding → 128) = 144. EtM (RFC 7366):
    // 16 IV + (100 + padding → 112) + 20 MAC = 148.
    for (etm, expected) in [(false, 144), (true, 148)] {
        let (mut c, mut s) = cbc_pair(ProtocolVersion::TLSv1_1, etm);
        let written = app_records(&mut c, &[3u8; 100]);
        let lengths: Vec<usize> = written.iter().map(|r| r.len() - 5).collect();
        assert_eq!(lengths, [expected], "etm {etm}");
        assert!(written.iter().all(|r| r[1..3] == [3, 2]));
        s.read_tls(&mut &written.concat()[..]).unwrap();
        s.process_new_packets().unwrap();
    }
}

#[test]
fn tls10_with_encrypt_then_mac_still_splits() {
    // EtM: 1 + padding → 16, then the 20-byte MAC; 99 → 112 + 20.
    let (mut c, _s) = cbc_pair(ProtocolVersion::TLSv1_0, true);
    let lengths: Vec<usize> = app_records(&mut c, &[7u8; 100])
        .iter()
        .map(|r| r.len() - 5)
        .collect();
    assert_eq!(lengths, [36, 132]);
}

#[test]
fn a_flipped_bit_in_a_tls10_record_is_bad_record_mac() {
    let (mut c, mut s) = cbc_pair(ProtocolVersion::TLSv1_0, false);
    let mut bytes = app_records(&mut c, b"tamper with me").concat();
    let last = bytes.len() - 1;
    bytes[last] ^= 1;
    s.read_tls(&mut &bytes[..]).unwrap();
    assert_eq!(s.process_new_packets(), Err(Error::BadRecordMac));
}
