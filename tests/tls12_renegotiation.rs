//! TLS 1.0–1.2 secure renegotiation (RFC 5746) between a ferrotls client
//! and server in memory, through the record layer: the server asks with
//! `ServerConnection::renegotiate`, the client answers under the current
//! keys, application data keeps flowing, the new handshake's client chain
//! becomes the peer certificates and its session ID the connection's
//! (design §3). Off by default on both sides, and bounded.
//!
//! The RFC 5746 checks of the hellos (tampered verify_data, the SCSV, a
//! dropped extended master secret) are driven over fakes in
//! `src/handshake/tests.rs`, where the messages are plain to edit.

mod common;

use std::io::{Read, Write};
use std::sync::Arc;

use common::*;
use ferrotls::internal::error::InvalidRequestReason;
use ferrotls::{
    ClientAuth, ClientConfig, ClientConfigBuilder, ClientConnection, Connection, Error,
    ProtocolVersion, ServerConfig, ServerConfigBuilder, ServerConnection, WebPkiClientVerifier,
    DEFAULT_MAX_RENEGOTIATIONS,
};

/// The most flights each way a renegotiation here takes.
const MAX_FLIGHTS: usize = 6;

/// A TLS 1.2 (or `versions`) client with the P-384 client certificate,
/// renegotiation `on` or off.
fn client(versions: &[ProtocolVersion], on: bool, max: usize) -> Arc<ClientConfig> {
    client_settings(versions, on, max).build().unwrap()
}

/// What [`client`] builds, for a test to add to.
fn client_settings(versions: &[ProtocolVersion], on: bool, max: usize) -> ClientConfigBuilder {
    let builder = client_builder("p256")
        .versions(versions)
        .client_certificate(certified_key("p384"))
        .renegotiation(on)
        .max_renegotiations(max);
    #[cfg(feature = "legacy")]
    let builder = builder.cipher_suites(SUITES);
    builder
}

/// A server that asks for no certificate in the first handshake and
/// requires one under the P-384 root in a renegotiation, renegotiation
/// `on` or off.
fn server(versions: &[ProtocolVersion], on: bool, max: usize) -> Arc<ServerConfig> {
    server_settings(versions, on, max).build().unwrap()
}

/// What [`server`] builds, for a test to add to.
fn server_settings(versions: &[ProtocolVersion], on: bool, max: usize) -> ServerConfigBuilder {
    let verifier = Arc::new(WebPkiClientVerifier::new(roots("p384")));
    let builder = server_builder("p256")
        .versions(versions)
        .post_handshake_client_auth(ClientAuth::Required(verifier))
        .renegotiation(on)
        .max_renegotiations(max);
    #[cfg(feature = "legacy")]
    let builder = builder.cipher_suites(SUITES);
    builder
}

const TLS12: &[ProtocolVersion] = &[ProtocolVersion::TLSv1_2];

/// One suite per version family: TLS 1.3, TLS 1.2 AEAD, and the CBC
/// suite TLS 1.0 needs.
#[cfg(feature = "legacy")]
const SUITES: &[ferrotls::CipherSuite] = &[
    ferrotls::CipherSuite::TLS_AES_128_GCM_SHA256,
    ferrotls::CipherSuite::TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256,
    ferrotls::CipherSuite::TLS_ECDHE_ECDSA_WITH_AES_128_CBC_SHA,
];

/// Moves flights both ways until neither side has anything to send.
fn settle(c: &mut ClientConnection, s: &mut ServerConnection) {
    for _ in 0..MAX_FLIGHTS {
        if !c.wants_write() && !s.wants_write() {
            return;
        }
        transfer(s, c).1.unwrap();
        transfer(c, s).1.unwrap();
    }
    panic!("the connection did not settle");
}

/// Reads what `conn` received so far.
fn received(conn: &mut Connection) -> Vec<u8> {
    let mut out = Vec::new();
    let mut buf = [0; 256];
    while let Ok(n) = conn.reader().read(&mut buf) {
        if n == 0 {
            break;
        }
        out.extend_from_slice(&buf[..n]);
    }
    out
}

/// A server-initiated renegotiation that asks for a client certificate,
/// under `versions`, with application data sent each way while it runs.
fn renegotiates_for_a_client_certificate(versions: &[ProtocolVersion]) {
    let (mut c, mut s) = handshaken(
        client(versions, true, DEFAULT_MAX_RENEGOTIATIONS),
        server(versions, true, DEFAULT_MAX_RENEGOTIATIONS),
        server_name("p256"),
    );
    assert!(s.peer_certificates().is_empty(), "none asked for yet");
    assert_eq!((c.renegotiations(), s.renegotiations()), (0, 0));
    let first_id = s.session_id().to_vec();
    assert_eq!(c.session_id(), &first_id[..]);

    s.renegotiate().unwrap();
    // RFC 5246 §7.4.1.1: data may go both ways between the HelloRequest
    // and the end of the new handshake.
    s.writer().write_all(b"before the hello").unwrap();
    transfer(&mut s, &mut c).1.unwrap();
    c.writer().write_all(b"during the handshake").unwrap();
    transfer(&mut c, &mut s).1.unwrap();
    s.writer().write_all(b"still going").unwrap();
    settle(&mut c, &mut s);
    assert_eq!(received(&mut c), b"before the hellostill going");
    assert_eq!(received(&mut s), b"during the handshake");

    assert_eq!(s.peer_certificates(), certified_key("p384").chain());
    assert_eq!(c.peer_certificates(), certified_key("p256").chain());
    assert_eq!((c.renegotiations(), s.renegotiations()), (1, 1));
    // Design §3: both sides report the new handshake's S′.
    assert_eq!(s.session_id().len(), 32);
    assert_ne!(s.session_id(), &first_id[..]);
    assert_eq!(c.session_id(), s.session_id());
    assert!(!c.is_resumed() && !s.is_resumed());
    assert_eq!(c.protocol_version(), Some(versions[0]));
    send_and_check(&mut c, &mut s, b"under the new keys");
    send_and_check(&mut s, &mut c, b"and back");
}

#[test]
fn a_server_initiated_renegotiation_asks_for_a_client_certificate() {
    renegotiates_for_a_client_certificate(TLS12);
}

#[cfg(feature = "legacy")]
#[test]
fn a_tls10_renegotiation_keeps_the_negotiated_record_version() {
    renegotiates_for_a_client_certificate(&[ProtocolVersion::TLSv1_0]);
}

#[test]
fn with_both_switches_off_the_server_cannot_ask() {
    let (_, mut s) = handshaken(
        client(TLS12, false, DEFAULT_MAX_RENEGOTIATIONS),
        server(TLS12, false, DEFAULT_MAX_RENEGOTIATIONS),
        server_name("p256"),
    );
    assert_eq!(
        s.renegotiate().unwrap_err(),
        Error::InvalidRequest(InvalidRequestReason::RenegotiationNotNow)
    );
}

#[test]
fn a_client_with_its_switch_off_refuses_and_the_connection_goes_on() {
    let (mut c, mut s) = handshaken(
        client(TLS12, false, DEFAULT_MAX_RENEGOTIATIONS),
        server(TLS12, true, DEFAULT_MAX_RENEGOTIATIONS),
        server_name("p256"),
    );
    let first_id = s.session_id().to_vec();
    s.renegotiate().unwrap();
    // A request is under way: no second one.
    assert_eq!(
        s.renegotiate().unwrap_err(),
        Error::InvalidRequest(InvalidRequestReason::RenegotiationNotNow)
    );
    settle(&mut c, &mut s);
    assert!(s.peer_certificates().is_empty());
    assert_eq!(s.session_id(), &first_id[..]);
    send_and_check(&mut c, &mut s, b"as before");
    // The refusal (no_renegotiation) ends the request: the server may ask
    // again.
    s.renegotiate().unwrap();
}

#[test]
fn a_tls13_connection_has_no_renegotiation() {
    let versions = &[ProtocolVersion::TLSv1_3];
    let (_, mut s) = handshaken(
        client(versions, true, DEFAULT_MAX_RENEGOTIATIONS),
        server(versions, true, DEFAULT_MAX_RENEGOTIATIONS),
        server_name("p256"),
    );
    assert_eq!(
        s.renegotiate().unwrap_err(),
        Error::InvalidRequest(InvalidRequestReason::RenegotiationNotNow)
    );
}

#[test]
fn the_server_asks_at_most_its_limit_of_times() {
    let (mut c, mut s) = handshaken(
        client(TLS12, true, DEFAULT_MAX_RENEGOTIATIONS),
        server(TLS12, true, 1),
        server_name("p256"),
    );
    s.renegotiate().unwrap();
    settle(&mut c, &mut s);
    assert_eq!(s.peer_certificates(), certified_key("p384").chain());
    assert_eq!(
        s.renegotiate().unwrap_err(),
        Error::InvalidRequest(InvalidRequestReason::RenegotiationNotNow)
    );
}

#[test]
fn the_client_answers_at_most_its_limit_and_then_refuses() {
    let (mut c, mut s) = handshaken(
        client(TLS12, true, 1),
        server(TLS12, true, 2),
        server_name("p256"),
    );
    s.renegotiate().unwrap();
    settle(&mut c, &mut s);
    let renegotiated_id = s.session_id().to_vec();
    s.renegotiate().unwrap();
    settle(&mut c, &mut s);
    // Refused with a warning: same session, the connection goes on, and
    // only the accepted renegotiation counts.
    assert_eq!(s.session_id(), &renegotiated_id[..]);
    assert_eq!((c.renegotiations(), s.renegotiations()), (1, 1));
    send_and_check(&mut c, &mut s, b"still here");
    send_and_check(&mut s, &mut c, b"and here");
}

/// The plaintext lengths of the records in `tls`, under AES-GCM (8-byte
/// explicit nonce, 16-byte tag, RFC 5288 §3).
fn aead_plaintext_lengths(mut tls: &[u8]) -> Vec<usize> {
    let mut lengths = Vec::new();
    while let [_, _, _, hi, lo, rest @ ..] = tls {
        let len = usize::from(u16::from_be_bytes([*hi, *lo]));
        lengths.push(len - 8 - 16);
        tls = &rest[len..];
    }
    lengths
}

#[test]
fn a_renegotiation_agrees_on_record_size_limits_again_and_both_sides_keep_to_them() {
    const SERVER_LIMIT: u16 = 300;
    const CLIENT_LIMIT: u16 = 200;
    let client = client_settings(TLS12, true, DEFAULT_MAX_RENEGOTIATIONS)
        .record_size_limit(Some(CLIENT_LIMIT))
        .cipher_suites(&[ferrotls::CipherSuite::TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256])
        .build()
        .unwrap();
    let server = server_settings(TLS12, true, DEFAULT_MAX_RENEGOTIATIONS)
        .record_size_limit(Some(SERVER_LIMIT))
        .build()
        .unwrap();
    let (mut c, mut s) = handshaken(client, server, server_name("p256"));
    s.renegotiate().unwrap();
    settle(&mut c, &mut s);
    assert_eq!(s.peer_certificates(), certified_key("p384").chain());
    // RFC 8449 §4: each side reports the limit the new handshake agreed.
    assert_eq!(c.peer_record_size_limit(), Some(SERVER_LIMIT));
    assert_eq!(s.peer_record_size_limit(), Some(CLIENT_LIMIT));

    sends_records_within(&mut c, &mut s, SERVER_LIMIT);
    sends_records_within(&mut s, &mut c, CLIENT_LIMIT);
}

/// `from` sends 1000 bytes to `to` in several records of at most `limit`
/// bytes of plaintext (TLS 1.2, RFC 8449 §4), and `to` reads them all.
fn sends_records_within(from: &mut Connection, to: &mut Connection, limit: u16) {
    let data = vec![0x5a; 1000];
    from.writer().write_all(&data).unwrap();
    let mut tls = Vec::new();
    while from.wants_write() {
        from.write_tls(&mut tls).unwrap();
    }
    let lengths = aead_plaintext_lengths(&tls);
    assert!(lengths.len() > 1, "{lengths:?}");
    assert!(
        lengths.iter().all(|&l| l <= usize::from(limit)),
        "records over {limit}: {lengths:?}"
    );
    to.read_tls(&mut &tls[..]).unwrap();
    to.process_new_packets().unwrap();
    assert_eq!(received(to), data);
}

/// RFC 5246 §7.4.1.1: until a renegotiation completes, the data still
/// goes under the replaced handshake's keys, so each side goes on
/// reporting that handshake (its peer's chain, protocol and session);
/// the new handshake's facts replace them when it completes.
#[test]
fn a_renegotiation_under_way_reports_the_handshake_it_replaces() {
    let client = client_settings(TLS12, true, DEFAULT_MAX_RENEGOTIATIONS)
        .alpn_protocols(&[b"h2"])
        .build()
        .unwrap();
    let server = server_settings(TLS12, true, DEFAULT_MAX_RENEGOTIATIONS)
        .alpn_protocols(&[b"h2"])
        .build()
        .unwrap();
    let (mut c, mut s) = handshaken(client, server, server_name("p256"));
    let first_id = s.session_id().to_vec();
    let server_key = certified_key("p256");
    let server_chain = server_key.chain();
    assert_eq!(c.alpn_protocol(), Some(&b"h2"[..]));

    s.renegotiate().unwrap();
    // The HelloRequest: the client answers with its ClientHello, and
    // its renegotiation is under way.
    transfer(&mut s, &mut c).1.unwrap();
    assert!(c.wants_write());
    assert_eq!(c.peer_certificates(), server_chain);
    assert_eq!(c.alpn_protocol(), Some(&b"h2"[..]));
    assert_eq!(c.session_id(), &first_id[..]);
    // The server reads it and answers with its hellos: its renegotiation
    // is under way too, with a new session ID settled.
    transfer(&mut c, &mut s).1.unwrap();
    assert!(s.wants_write());
    assert_eq!(s.session_id(), &first_id[..]);
    assert_eq!(s.alpn_protocol(), Some(&b"h2"[..]));
    assert!(s.peer_certificates().is_empty());
    send_and_check(&mut s, &mut c, b"under the old keys");

    settle(&mut c, &mut s);
    assert_eq!(s.peer_certificates(), certified_key("p384").chain());
    assert_ne!(s.session_id(), &first_id[..]);
    assert_eq!(c.session_id(), s.session_id());
    assert_eq!(c.peer_certificates(), server_chain);
    // The renegotiation's hellos offered ALPN again and agreed on it.
    assert_eq!(c.alpn_protocol(), Some(&b"h2"[..]));
}
