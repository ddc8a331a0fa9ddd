//! The message observer: each handshake message a connection sends or
//! receives, in order, with its direction, in TLS 1.3 (the encrypted
//! messages included), TLS 1.2, and after the handshake.

mod common;

use common::*;
use ferrotls::{HandshakeType, MessageDirection, MessageObserver, ProtocolVersion};
use std::sync::{Arc, Mutex};

use HandshakeType::*;
use MessageDirection::{Received, Sent};

/// Keeps every call, in order.
#[derive(Default)]
struct Recorder(Mutex<Vec<(MessageDirection, HandshakeType)>>);

impl MessageObserver for Recorder {
    fn handshake_message(&self, direction: MessageDirection, typ: HandshakeType) {
        self.0.lock().unwrap().push((direction, typ));
    }
}

impl Recorder {
    fn take(&self) -> Vec<(MessageDirection, HandshakeType)> {
        std::mem::take(&mut self.0.lock().unwrap())
    }
}

/// A handshaken pair in `version`, each side observed by its recorder.
fn observed_pair(
    version: ProtocolVersion,
) -> (
    Arc<Recorder>,
    Arc<Recorder>,
    ferrotls::ClientConnection,
    ferrotls::ServerConnection,
) {
    let (client_seen, server_seen) = (Arc::new(Recorder::default()), Arc::new(Recorder::default()));
    let client = client_builder("p256")
        .versions(&[version])
        .message_observer(client_seen.clone())
        .build()
        .unwrap();
    let server = server_builder("p256")
        .versions(&[version])
        .message_observer(server_seen.clone())
        .build()
        .unwrap();
    let (c, s) = handshaken(client, server, server_name("p256"));
    (client_seen, server_seen, c, s)
}

#[test]
fn tls13_handshake_messages_are_seen_encrypted_ones_and_tickets_included() {
    // Both sides offer certificate compression (RFC 8879) by default: the
    // server's chain goes as a CompressedCertificate.
    let (client_seen, server_seen, _c, _s) = observed_pair(ProtocolVersion::TLSv1_3);
    assert_eq!(
        client_seen.take(),
        [
            (Sent, ClientHello),
            (Received, ServerHello),
            (Received, EncryptedExtensions),
            (Received, CompressedCertificate),
            (Received, CertificateVerify),
            (Received, Finished),
            (Sent, Finished),
            (Received, NewSessionTicket),
            (Received, NewSessionTicket),
        ]
    );
    assert_eq!(
        server_seen.take(),
        [
            (Received, ClientHello),
            (Sent, ServerHello),
            (Sent, EncryptedExtensions),
            (Sent, CompressedCertificate),
            (Sent, CertificateVerify),
            (Sent, Finished),
            (Received, Finished),
            (Sent, NewSessionTicket),
            (Sent, NewSessionTicket),
        ]
    );
}

#[test]
fn tls12_handshake_messages_are_seen_in_order() {
    let (client_seen, server_seen, _c, _s) = observed_pair(ProtocolVersion::TLSv1_2);
    let client = client_seen.take();
    assert_eq!(
        client,
        [
            (Sent, ClientHello),
            (Received, ServerHello),
            (Received, Certificate),
            (Received, ServerKeyExchange),
            (Received, ServerHelloDone),
            (Sent, ClientKeyExchange),
            (Sent, Finished),
            (Received, NewSessionTicket),
            (Received, Finished),
        ]
    );
    // The server sees the same messages the other way round.
    let flipped: Vec<_> = client
        .iter()
        .map(|&(d, t)| (if d == Sent { Received } else { Sent }, t))
        .collect();
    assert_eq!(server_seen.take(), flipped);
}

#[test]
fn a_key_update_after_the_handshake_is_seen_both_ways() {
    let (client_seen, server_seen, mut c, mut s) = observed_pair(ProtocolVersion::TLSv1_3);
    client_seen.take();
    server_seen.take();
    c.refresh_traffic_keys(true).unwrap();
    transfer(&mut c, &mut s).1.unwrap();
    transfer(&mut s, &mut c).1.unwrap();
    assert_eq!(
        client_seen.take(),
        [(Sent, KeyUpdate), (Received, KeyUpdate)]
    );
    assert_eq!(
        server_seen.take(),
        [(Received, KeyUpdate), (Sent, KeyUpdate)]
    );
}

#[test]
fn a_refused_message_is_seen_before_the_connection_fails() {
    let seen = Arc::new(Recorder::default());
    let client = client_builder("p256")
        .message_observer(seen.clone())
        .build()
        .unwrap();
    let server = server_builder("p256").build().unwrap();
    let wrong_name = ferrotls::ServerName::parse("other.test").unwrap();
    let (mut c, mut s) = pair(client, server, wrong_name);
    transfer(&mut c, &mut s).1.unwrap();
    assert!(
        transfer(&mut s, &mut c).1.is_err(),
        "the name does not match"
    );
    assert_eq!(seen.take().last(), Some(&(Received, CompressedCertificate)));
}
