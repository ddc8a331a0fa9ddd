//! TLS 1.3 certificate compression (RFC 8879) in memory: each algorithm
//! for the server's and the client's certificate, the choice of
//! algorithm, and the exact alert for each malformed CompressedCertificate
//! (edited into the server's encrypted flight under its logged secret).

mod common;

use std::sync::{Arc, Mutex};

use common::*;
use ferrotls::{
    CertificateCompressionAlgorithm as Algorithm, CertificateError, ClientConfigBuilder, Error,
    HandshakeType, MessageDirection, MessageObserver, ProtocolVersion, ServerConfigBuilder,
    DEFAULT_CERTIFICATE_COMPRESSION,
};

const ALL: [Algorithm; 3] = [Algorithm::Zlib, Algorithm::Brotli, Algorithm::Zstd];

/// The handshake message types of CompressedCertificate (RFC 8879 §4) and
/// Certificate (RFC 8446 §4.4.2).
const COMPRESSED_CERTIFICATE: u8 = 25;
const CERTIFICATE: u8 = 11;

/// Keeps the types of the handshake messages a side sent.
#[derive(Default)]
struct Sent(Mutex<Vec<HandshakeType>>);

impl MessageObserver for Sent {
    fn handshake_message(&self, direction: MessageDirection, typ: HandshakeType) {
        if direction == MessageDirection::Sent {
            self.0.lock().unwrap().push(typ);
        }
    }
}

impl Sent {
    fn types(&self) -> Vec<HandshakeType> {
        self.0.lock().unwrap().clone()
    }
}

fn client(algorithms: &[Algorithm]) -> ClientConfigBuilder {
    client_builder("p256")
        .versions(&[ProtocolVersion::TLSv1_3])
        .certificate_compression(algorithms)
}

fn server(algorithms: &[Algorithm]) -> ServerConfigBuilder {
    server_builder("p256").certificate_compression(algorithms)
}

#[test]
fn the_server_certificate_goes_compressed_with_each_algorithm() {
    for algorithm in ALL {
        let observer = Arc::new(Sent::default());
        let server = server(&[algorithm])
            .message_observer(observer.clone())
            .build()
            .unwrap();
        let client = client(DEFAULT_CERTIFICATE_COMPRESSION).build().unwrap();
        let (mut c, mut s) = handshaken(client, server, server_name("p256"));
        assert_eq!(c.peer_certificate_compression(), Some(algorithm));
        assert_eq!(s.peer_certificate_compression(), None);
        assert_eq!(c.peer_certificates().len(), 2, "the chain arrived whole");
        let sent = observer.types();
        assert!(
            sent.contains(&HandshakeType::CompressedCertificate),
            "{sent:?}"
        );
        assert!(!sent.contains(&HandshakeType::Certificate), "{sent:?}");
        send_and_check(&mut c, &mut s, b"ping");
        send_and_check(&mut s, &mut c, b"pong");
    }
}

#[test]
fn the_client_certificate_goes_compressed_with_each_algorithm() {
    for algorithm in ALL {
        let observer = Arc::new(Sent::default());
        let client = client(&[algorithm])
            .client_certificate(certified_key("p384"))
            .message_observer(observer.clone())
            .build()
            .unwrap();
        // Both list this one algorithm only: each certificate goes
        // compressed with it.
        let server = client_auth_server_builder("p256", "p384", true)
            .certificate_compression(&[algorithm])
            .build()
            .unwrap();
        let (c, s) = handshaken(client, server, server_name("p256"));
        assert_eq!(s.peer_certificate_compression(), Some(algorithm));
        assert_eq!(c.peer_certificate_compression(), Some(algorithm));
        assert_eq!(s.peer_certificates().len(), 2);
        assert!(observer
            .types()
            .contains(&HandshakeType::CompressedCertificate));
    }
}

#[test]
fn the_sender_uses_its_most_preferred_algorithm_the_receiver_listed() {
    // The server prefers zstd, then zlib; the client lists brotli and
    // zlib: zlib it is.
    let server = server(&[Algorithm::Zstd, Algorithm::Zlib]).build().unwrap();
    let client = client(&[Algorithm::Brotli, Algorithm::Zlib])
        .build()
        .unwrap();
    let (c, _) = handshaken(client, server, server_name("p256"));
    assert_eq!(c.peer_certificate_compression(), Some(Algorithm::Zlib));
}

#[test]
fn no_common_algorithm_or_none_listed_sends_the_certificate_uncompressed() {
    for (client_list, server_list) in [
        (&[][..], DEFAULT_CERTIFICATE_COMPRESSION),
        (DEFAULT_CERTIFICATE_COMPRESSION, &[][..]),
        (&[Algorithm::Zlib][..], &[Algorithm::Brotli][..]),
    ] {
        let observer = Arc::new(Sent::default());
        let server = server(server_list)
            .message_observer(observer.clone())
            .build()
            .unwrap();
        let client = client(client_list).build().unwrap();
        let (c, _) = handshaken(client, server, server_name("p256"));
        assert_eq!(c.peer_certificate_compression(), None);
        assert!(observer.types().contains(&HandshakeType::Certificate));
    }
}

#[test]
fn tls12_never_compresses() {
    let client = client_builder("p256")
        .versions(&[ProtocolVersion::TLSv1_2])
        .build()
        .unwrap();
    let server = server(DEFAULT_CERTIFICATE_COMPRESSION).build().unwrap();
    let (c, _) = handshaken(client, server, server_name("p256"));
    assert_eq!(c.protocol_version(), Some(ProtocolVersion::TLSv1_2));
    assert_eq!(c.peer_certificate_compression(), None);
}

/// Runs a handshake in which the server's encrypted flight passes through
/// `edit` (its messages, header included); returns the client's error.
fn client_refuses(
    client_list: &[Algorithm],
    server_list: &[Algorithm],
    edit: impl FnOnce(&mut Vec<Vec<u8>>),
) -> Error {
    let secrets = Arc::new(CapturedSecrets::default());
    let server = server(server_list)
        .key_log(secrets.clone())
        .build()
        .unwrap();
    let client = client(client_list).build().unwrap();
    client_refuses_encrypted_flight(client, server, server_name("p256"), &secrets, edit).0
}

/// The flight's CompressedCertificate.
fn compressed(messages: &mut [Vec<u8>]) -> &mut Vec<u8> {
    messages
        .iter_mut()
        .find(|m| message_type(m) == COMPRESSED_CERTIFICATE)
        .expect("a CompressedCertificate in the flight")
}

/// Sets the CompressedCertificate's `uncompressed_length` (after the
/// 4-byte header and the 2-byte algorithm).
fn set_announced(message: &mut [u8], len: u32) {
    message[6..9].copy_from_slice(&len.to_be_bytes()[1..]);
}

fn announced(message: &[u8]) -> u32 {
    u32::from_be_bytes([0, message[6], message[7], message[8]])
}

fn bad_compressed_certificate(why: &'static str) -> Error {
    Error::InvalidCertificate(CertificateError::BadCompressedCertificate(why))
}

#[test]
fn an_announced_length_over_the_certificate_bound_is_bad_certificate_unread() {
    // 16 MiB − 1 announced: refused from the number alone, before any
    // buffer for it exists, as a message that cannot be decompressed
    // (bad_certificate, RFC 8879 §4; tlsfuzzer's "max uncompressed_size").
    for algorithm in ALL {
        let error = client_refuses(&[algorithm], &[algorithm], |messages| {
            set_announced(compressed(messages), 0x00ff_ffff);
        });
        assert_eq!(
            error,
            bad_compressed_certificate("announced length over the certificate message bound")
        );
        assert_eq!(
            error.alert(),
            Some(ferrotls::AlertDescription::BadCertificate)
        );
    }
}

#[test]
fn data_longer_or_shorter_than_announced_is_bad_certificate() {
    for algorithm in ALL {
        for (delta, why) in [
            (1i64, "shorter than announced"),
            (-1, "longer than announced"),
        ] {
            let error = client_refuses(&[algorithm], &[algorithm], |messages| {
                let message = compressed(messages);
                let len = announced(message) as i64 + delta;
                set_announced(message, len as u32);
            });
            assert_eq!(error, bad_compressed_certificate(why), "{algorithm:?}");
            assert_eq!(
                error.alert(),
                Some(ferrotls::AlertDescription::BadCertificate)
            );
        }
    }
}

#[test]
fn an_algorithm_not_offered_is_illegal_parameter() {
    // The client lists brotli only; the message claims zlib.
    let error = client_refuses(&[Algorithm::Brotli], &[Algorithm::Brotli], |messages| {
        compressed(messages)[4..6].copy_from_slice(&[0, 1]);
    });
    assert!(matches!(error, Error::IllegalParameter(_)), "{error:?}");
}

#[test]
fn a_compressed_certificate_never_asked_for_is_unexpected() {
    // The client lists nothing, the server sends its Certificate plain;
    // it is replaced by a CompressedCertificate (zlib, its body a stand-in:
    // the message is refused before decompression).
    let error = client_refuses(&[], DEFAULT_CERTIFICATE_COMPRESSION, |messages| {
        let certificate = messages
            .iter_mut()
            .find(|m| message_type(m) == CERTIFICATE)
            .expect("a Certificate in the flight");
        let body = [0, 1, 0, 0, 10, 0, 0, 1, 0];
        let mut message = vec![COMPRESSED_CERTIFICATE, 0, 0, body.len() as u8];
        message.extend_from_slice(&body);
        *certificate = message;
    });
    assert!(matches!(error, Error::UnexpectedMessage(_)), "{error:?}");
}
