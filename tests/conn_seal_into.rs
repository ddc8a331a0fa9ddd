//! `Connection::seal_into`: application data sealed straight into a
//! buffer the application lends, behind whatever the connection had
//! queued, with the same result on the wire as `writer` + `write_tls`.

mod common;

use std::io::Read;

use common::*;
use ferrotls::internal::conn::MAX_SENDABLE_TLS;
use ferrotls::internal::error::InvalidRequestReason;
use ferrotls::{
    CipherSuite, ClientConnection, Connection, Error, ProtocolVersion, ServerConnection,
};

/// What the application had in its buffer before lending it.
const PREFIX: &[u8] = b"bytes of the application";

/// A pair after its handshake, offering only `version` and `suite`.
fn connected(version: ProtocolVersion, suite: CipherSuite) -> (ClientConnection, ServerConnection) {
    let (client, server) = configs_for(version, suite);
    let (c, s) = handshaken(client, server, server_name("p256"));
    assert_eq!(s.cipher_suite(), Some(suite));
    (c, s)
}

/// The suites to lend a buffer under: AEAD in both versions, and with
/// `legacy` CBC, whose records of one write are encrypted together.
fn cases() -> Vec<(ProtocolVersion, CipherSuite)> {
    #[allow(unused_mut)]
    let mut cases = vec![
        (
            ProtocolVersion::TLSv1_3,
            CipherSuite::TLS_AES_128_GCM_SHA256,
        ),
        (
            ProtocolVersion::TLSv1_2,
            CipherSuite::TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256,
        ),
    ];
    #[cfg(feature = "legacy")]
    cases.push((
        ProtocolVersion::TLSv1_2,
        CipherSuite::TLS_ECDHE_ECDSA_WITH_AES_128_CBC_SHA,
    ));
    cases
}

/// Feeds `wire` to `to` and reads every byte of plaintext it yields.
fn deliver(to: &mut Connection, wire: &[u8]) -> Vec<u8> {
    let mut got = Vec::new();
    let mut rest = wire;
    while !rest.is_empty() {
        to.read_tls(&mut rest).unwrap();
        to.process_new_packets().unwrap();
        match to.reader().read_to_end(&mut got) {
            Err(e) if e.kind() == std::io::ErrorKind::WouldBlock => {}
            other => {
                other.unwrap();
            }
        }
    }
    got
}

fn pattern(len: usize) -> Vec<u8> {
    (0..len).map(|i| (i % 251) as u8).collect()
}

#[test]
fn all_of_a_write_is_sealed_behind_the_applications_own_bytes() {
    for (version, suite) in cases() {
        let (mut c, mut s) = connected(version, suite);
        // More than the connection's own queue would take at once.
        let data = pattern(3 * MAX_SENDABLE_TLS + 5);
        let mut out = PREFIX.to_vec();
        assert_eq!(c.seal_into(&data, &mut out).unwrap(), data.len());
        assert!(!c.wants_write(), "{version:?}: records left in the queue");
        assert_eq!(&out[..PREFIX.len()], PREFIX);
        assert!(
            deliver(&mut s, &out[PREFIX.len()..]) == data,
            "{version:?} {suite:?}: the server read other bytes"
        );
        // The same connection goes on through the usual path.
        send_and_check(&mut c, &mut s, b"and then through write_tls");
    }
}

#[test]
fn records_already_queued_go_out_first() {
    let (mut c, mut s) = connected(
        ProtocolVersion::TLSv1_3,
        CipherSuite::TLS_AES_128_GCM_SHA256,
    );
    // A KeyUpdate under the current key; the data that follows is sealed
    // under the next one, so the server can read it only in this order.
    c.refresh_traffic_keys(false).unwrap();
    assert!(c.wants_write());
    let data = pattern(40_000);
    let mut out = Vec::new();
    assert_eq!(c.seal_into(&data, &mut out).unwrap(), data.len());
    assert!(!c.wants_write());
    assert!(deliver(&mut s, &out) == data);
    send_and_check(&mut s, &mut c, b"the server answers");
}

#[test]
fn during_the_handshake_the_flight_moves_out_and_the_data_waits() {
    let client = client_builder("p256").build().unwrap();
    let server = server_builder("p256").build().unwrap();
    let (mut c, mut s) = pair(client, server, server_name("p256"));
    let mut out = Vec::new();
    assert_eq!(c.seal_into(b"early words", &mut out).unwrap(), 11);
    assert!(!c.wants_write(), "the ClientHello stayed queued");
    // A handshake record (RFC 8446 §5.1): the ClientHello, not the data.
    assert_eq!(out.first(), Some(&22));
    assert_eq!(deliver(&mut s, &out), b"");
    handshake(&mut c, &mut s);
    let (_, r) = transfer(&mut c, &mut s);
    r.unwrap();
    let mut got = Vec::new();
    let _ = s.reader().read_to_end(&mut got);
    assert_eq!(got, b"early words");
}

#[test]
fn a_closed_connection_refuses_the_write_and_keeps_its_queue() {
    let (mut c, _s) = connected(
        ProtocolVersion::TLSv1_3,
        CipherSuite::TLS_AES_128_GCM_SHA256,
    );
    c.send_close_notify();
    let mut out = Vec::new();
    let refused = c.seal_into(b"too late", &mut out);
    assert!(matches!(
        refused,
        Err(Error::InvalidRequest(InvalidRequestReason::WriteAfterClose))
    ));
    assert!(out.is_empty());
    assert!(c.wants_write(), "the close_notify is still to be sent");
}
