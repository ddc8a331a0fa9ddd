//! The connection core after and around the handshake: KeyUpdate both
//! ways and its bound, close_notify and user_canceled, the ChangeCipherSpec
//! the RFC tolerates and no more, buffering bounds, sticky errors, and the
//! blocking stream over a socket pair.

mod common;

#[cfg(feature = "legacy")]
use ferrotls::internal::error::CryptoReason;
use ferrotls::internal::error::{
    InvalidRequestReason, LimitExceededReason, UnexpectedMessageReason,
};
use std::io::{Read, Write};
use std::sync::Arc;

use common::*;
use ferrotls::{
    AlertDescription, ClientConnection, Error, Limits, ServerConnection,
    DEFAULT_MAX_KEY_UPDATES_WITHOUT_DATA,
};

fn connected() -> (ClientConnection, ServerConnection) {
    let client = client_builder("p256").build().unwrap();
    let server = server_builder("p256").build().unwrap();
    handshaken(client, server, server_name("p256"))
}

#[test]
fn key_update_not_requested_is_not_answered() {
    let (mut c, mut s) = connected();
    c.refresh_traffic_keys(false).unwrap();
    transfer(&mut c, &mut s).1.unwrap();
    assert!(!s.wants_write());
    send_and_check(&mut c, &mut s, b"under new client keys");
    send_and_check(&mut s, &mut c, b"server keys unchanged");
}

#[test]
fn key_update_requested_is_answered_once() {
    let (mut c, mut s) = connected();
    // Two requests before the server says anything: one answer.
    c.refresh_traffic_keys(true).unwrap();
    c.refresh_traffic_keys(true).unwrap();
    transfer(&mut c, &mut s).1.unwrap();
    let mut answer = Vec::new();
    transfer_altered(&mut s, &mut c, |b| answer = b.clone())
        .1
        .unwrap();
    assert_eq!(records(&answer).len(), 1);
    send_and_check(&mut s, &mut c, b"server rekeyed");
    send_and_check(&mut c, &mut s, b"client rekeyed twice");
    // After data, a new request is answered again.
    s.refresh_traffic_keys(true).unwrap();
    transfer(&mut s, &mut c).1.unwrap();
    assert!(c.wants_write());
    transfer(&mut c, &mut s).1.unwrap();
    send_and_check(&mut c, &mut s, b"both rekeyed");
    send_and_check(&mut s, &mut c, b"both rekeyed");
}

/// A connected pair on TLS_AES_128_GCM_SHA256 whose client logs its
/// secrets into the returned store, the server under `server_limits`.
fn connected_logging_client_secrets(
    server_limits: Limits,
) -> (ClientConnection, ServerConnection, Arc<CapturedSecrets>) {
    let secrets = Arc::new(CapturedSecrets::default());
    let client = logged_aes128_client("p256", &secrets).build().unwrap();
    let server = server_builder("p256")
        .limits(server_limits)
        .build()
        .unwrap();
    let (c, s) = handshaken(client, server, server_name("p256"));
    (c, s, secrets)
}

/// The request_update byte of the KeyUpdate in each TLS_AES_128_GCM_SHA256
/// record of `bytes`, the first record under `secret` and each next one
/// under the secret after (RFC 8446 §7.2); and the secret after the last.
fn key_update_requests(bytes: &[u8], secret: Vec<u8>) -> (Vec<u8>, Vec<u8>) {
    use ferrotls::internal::crypto::hash::HashAlgorithm;
    use ferrotls::internal::crypto::hkdf::expand_label;
    use ferrotls::internal::record::RecordProtection;
    let mut secret = secret;
    let mut requests = Vec::new();
    for mut record in records(bytes) {
        let opened = aes128_protection(&secret).open(0, &mut record).unwrap();
        let message = &record[opened.plaintext];
        assert_eq!(message[..4], [24, 0, 0, 1], "a KeyUpdate");
        requests.push(message[4]);
        secret = expand_label(HashAlgorithm::Sha256, &secret, b"traffic upd", b"", 32)
            .unwrap()
            .as_bytes()
            .to_vec();
    }
    (requests, secret)
}

#[test]
fn rfc9846_4_6_3_no_second_update_requested_before_the_peers_key_update() {
    let (mut c, mut s, secrets) = connected_logging_client_secrets(Limits::default());
    c.refresh_traffic_keys(true).unwrap();
    c.refresh_traffic_keys(true).unwrap();
    let mut sent = Vec::new();
    transfer_altered(&mut c, &mut s, |b| sent = b.clone())
        .1
        .unwrap();
    let (requests, secret) = key_update_requests(&sent, secrets.get("CLIENT_TRAFFIC_SECRET_0"));
    assert_eq!(
        requests,
        [1, 0],
        "update_requested, then update_not_requested"
    );
    // The server's KeyUpdate answers; the next request goes out as one.
    transfer(&mut s, &mut c).1.unwrap();
    c.refresh_traffic_keys(true).unwrap();
    transfer_altered(&mut c, &mut s, |b| sent = b.clone())
        .1
        .unwrap();
    assert_eq!(key_update_requests(&sent, secret).0, [1]);
    send_and_check(&mut c, &mut s, b"client rekeyed three times");
    send_and_check(&mut s, &mut c, b"server rekeyed once");
}

#[test]
fn key_updates_without_data_are_bounded_by_the_configured_limit() {
    for limit in [DEFAULT_MAX_KEY_UPDATES_WITHOUT_DATA, 3] {
        let client = client_builder("p256").build().unwrap();
        let server = server_builder("p256")
            .max_key_updates_without_data(limit)
            .build()
            .unwrap();
        let (mut c, mut s) = handshaken(client, server, server_name("p256"));
        for _ in 0..limit {
            c.refresh_traffic_keys(false).unwrap();
        }
        transfer(&mut c, &mut s).1.unwrap();
        c.refresh_traffic_keys(false).unwrap();
        assert!(matches!(
            transfer(&mut c, &mut s).1,
            Err(Error::LimitExceeded(
                LimitExceededReason::KeyUpdatesWithoutData
            ))
        ));
        assert_eq!(
            transfer(&mut s, &mut c).1,
            Err(Error::AlertReceived(AlertDescription::IllegalParameter))
        );
    }
}

#[test]
fn key_update_before_the_handshake_is_refused_locally() {
    let client = client_builder("p256").build().unwrap();
    let mut c = ClientConnection::new(client, server_name("p256")).unwrap();
    assert!(matches!(
        c.refresh_traffic_keys(false),
        Err(Error::InvalidRequest(
            InvalidRequestReason::KeyUpdateBeforeHandshake
        ))
    ));
}

#[test]
fn close_notify_ends_reading_cleanly_and_stops_writing() {
    let (mut c, mut s) = connected();
    c.writer().write_all(b"last words").unwrap();
    c.send_close_notify();
    assert!(c.writer().write(b"more").is_err());
    let (_, r) = transfer(&mut c, &mut s);
    r.unwrap();
    let mut got = Vec::new();
    s.reader().read_to_end(&mut got).unwrap();
    assert_eq!(got, b"last words");
    assert!(!s.wants_read());
    assert!(s.process_new_packets().unwrap().peer_has_closed);
}

#[test]
fn transport_eof_without_close_notify_is_unexpected_eof() {
    let (_c, mut s) = connected();
    s.read_tls(&mut &[][..]).unwrap();
    s.process_new_packets().unwrap();
    let err = s.reader().read(&mut [0u8; 4]).unwrap_err();
    assert_eq!(err.kind(), std::io::ErrorKind::UnexpectedEof);
}

#[test]
fn nothing_to_read_is_would_block() {
    let (_c, mut s) = connected();
    let err = s.reader().read(&mut [0u8; 4]).unwrap_err();
    assert_eq!(err.kind(), std::io::ErrorKind::WouldBlock);
}

#[test]
fn user_canceled_during_the_handshake_is_followed_by_close_notify() {
    let client = client_builder("p256").build().unwrap();
    let server = server_builder("p256").build().unwrap();
    let (mut c, mut s) = pair(client, server, server_name("p256"));
    transfer(&mut c, &mut s).1.unwrap();
    // The server gives up while waiting for the client's Finished.
    assert!(s.is_handshaking());
    s.send_user_canceled();
    let mut flight = Vec::new();
    let (_, r) = transfer_altered(&mut s, &mut c, |b| flight = b.clone());
    r.unwrap();
    // ServerHello, CCS, the encrypted flight, then the two alerts.
    assert_eq!(records(&flight).len(), 5);
    assert!(c.process_new_packets().unwrap().peer_has_closed);
    assert!(s.writer().write(b"x").is_err());
}

#[test]
fn data_written_during_the_handshake_is_sent_when_it_completes() {
    let client = client_builder("p256").build().unwrap();
    let server = server_builder("p256").build().unwrap();
    let (mut c, mut s) = pair(client, server, server_name("p256"));
    c.writer().write_all(b"early bird").unwrap();
    s.writer().write_all(b"half-RTT").unwrap();
    handshake(&mut c, &mut s);
    let mut got = [0u8; 10];
    s.reader().read_exact(&mut got).unwrap();
    assert_eq!(&got, b"early bird");
    let mut got = [0u8; 8];
    c.reader().read_exact(&mut got).unwrap();
    assert_eq!(&got, b"half-RTT");
}

#[test]
fn pending_plaintext_is_bounded_by_the_configured_limit() {
    for limit in [ferrotls::DEFAULT_MAX_PENDING_PLAINTEXT, 1000] {
        let client = client_builder("p256")
            .max_pending_plaintext(limit)
            .build()
            .unwrap();
        let mut c = ClientConnection::new(client, server_name("p256")).unwrap();
        let big = vec![0u8; limit + 10];
        assert_eq!(c.writer().write(&big).unwrap(), limit);
        assert_eq!(
            c.writer().write(b"x").unwrap_err().kind(),
            std::io::ErrorKind::WouldBlock
        );
    }
}

#[test]
fn received_plaintext_is_bounded_until_read() {
    let client = client_builder("p256").build().unwrap();
    let server = server_builder("p256")
        .max_received_plaintext(20_000)
        .build()
        .unwrap();
    let (mut c, mut s) = handshaken(client, server, server_name("p256"));
    c.writer().write_all(&vec![7u8; 40_000]).unwrap();
    let mut wire = Vec::new();
    while c.wants_write() {
        c.write_tls(&mut wire).unwrap();
    }
    let mut offset = 0;
    let mut got = Vec::new();
    while got.len() < 40_000 {
        if offset < wire.len() {
            if let Ok(n) = s.read_tls(&mut &wire[offset..]) {
                offset += n;
            }
        }
        let state = s.process_new_packets().unwrap();
        assert!(state.plaintext_bytes_to_read <= 20_000 + 16_384);
        let mut buf = [0u8; 4096];
        if let Ok(n) = s.reader().read(&mut buf) {
            got.extend_from_slice(&buf[..n]);
        }
    }
    assert_eq!(got, vec![7u8; 40_000]);
}

#[test]
fn one_dummy_ccs_is_tolerated_a_second_is_not() {
    let client = client_builder("p256").build().unwrap();
    let server = server_builder("p256").build().unwrap();
    let (mut c, mut s) = pair(client, server, server_name("p256"));
    transfer(&mut c, &mut s).1.unwrap();
    // The server's flight already holds one CCS; add another.
    let err = transfer_altered(&mut s, &mut c, |b| {
        let mut recs = records(b);
        recs.insert(1, vec![20, 3, 3, 0, 1, 1]);
        *b = recs.concat();
    })
    .1
    .unwrap_err();
    assert!(matches!(
        err,
        Error::UnexpectedMessage(UnexpectedMessageReason::CcsNotAllowed)
    ));
}

#[test]
fn ccs_with_another_value_is_unexpected() {
    let client = client_builder("p256").build().unwrap();
    let server = server_builder("p256").build().unwrap();
    let (mut c, mut s) = pair(client, server, server_name("p256"));
    transfer(&mut c, &mut s).1.unwrap();
    let err = transfer_altered(&mut s, &mut c, |b| {
        let mut recs = records(b);
        recs[1] = vec![20, 3, 3, 0, 1, 2];
        *b = recs.concat();
    })
    .1
    .unwrap_err();
    assert!(matches!(
        err,
        Error::UnexpectedMessage(UnexpectedMessageReason::CcsBody)
    ));
}

#[test]
fn ccs_after_the_handshake_is_unexpected() {
    let (mut c, mut s) = connected();
    s.read_tls(&mut &[20u8, 3, 3, 0, 1, 1][..]).unwrap();
    assert!(matches!(
        s.process_new_packets(),
        Err(Error::UnexpectedMessage(
            UnexpectedMessageReason::CcsNotAllowed
        ))
    ));
    assert_eq!(
        transfer(&mut s, &mut c).1,
        Err(Error::AlertReceived(AlertDescription::UnexpectedMessage))
    );
}

#[test]
fn handshake_message_after_the_handshake_is_unexpected() {
    let (_c, mut s, secrets) = connected_logging_client_secrets(Limits::default());
    // A Finished sealed under the client's first application key.
    let mut sealer = aes128_protection(&secrets.get("CLIENT_TRAFFIC_SECRET_0"));
    let mut finished = vec![20, 0, 0, 32];
    finished.extend_from_slice(&[0; 32]);
    let mut record = Vec::new();
    seal_handshake_record(&mut sealer, 0, &finished, &mut record);
    s.read_tls(&mut record.as_slice()).unwrap();
    assert!(matches!(
        s.process_new_packets(),
        Err(Error::UnexpectedMessage(
            UnexpectedMessageReason::UnexpectedPostHandshake
        ))
    ));
}

#[test]
fn peer_alert_ends_the_connection_without_an_answer() {
    let (mut c, mut s) = connected();
    // A fatal error on the server sends one alert...
    s.read_tls(&mut &[24u8, 3, 3, 0, 1, 1][..]).unwrap();
    assert!(s.process_new_packets().is_err());
    assert!(s.wants_write());
    // ...which the client reports without answering.
    assert_eq!(
        transfer(&mut s, &mut c).1,
        Err(Error::AlertReceived(AlertDescription::UnexpectedMessage))
    );
    assert!(!c.wants_write());
    assert!(c.writer().write(b"x").is_err());
    assert!(!c.is_handshaking());
}

#[test]
fn stream_over_a_socket_pair() {
    use ferrotls::{Stream, StreamOwned};
    use std::os::unix::net::UnixStream;
    let (client_sock, server_sock) = UnixStream::pair().unwrap();
    let server_config = server_builder("ed25519").build().unwrap();
    let server = std::thread::spawn(move || {
        let conn = ServerConnection::new(server_config);
        let mut stream = StreamOwned::new(conn, server_sock);
        let mut request = [0u8; 5];
        stream.read_exact(&mut request).unwrap();
        stream.write_all(b"reply to ").unwrap();
        stream.write_all(&request).unwrap();
        stream.conn.send_close_notify();
        stream.flush().unwrap();
    });
    let client_config = client_builder("ed25519").build().unwrap();
    let mut conn = ClientConnection::new(client_config, server_name("ed25519")).unwrap();
    let mut sock = client_sock;
    let mut stream = Stream::new(&mut conn, &mut sock);
    stream.write_all(b"hello").unwrap();
    let mut reply = Vec::new();
    stream.read_to_end(&mut reply).unwrap();
    assert_eq!(reply, b"reply to hello");
    server.join().unwrap();
}

/// A connected pair and the client's first application write key as a
/// sealer, for records the client would not send by itself.
fn connected_with_client_sealer(
    server_limits: Limits,
) -> (
    ClientConnection,
    ServerConnection,
    ferrotls::internal::record::Tls13AeadProtection,
) {
    let (c, s, secrets) = connected_logging_client_secrets(server_limits);
    let sealer = aes128_protection(&secrets.get("CLIENT_TRAFFIC_SECRET_0"));
    (c, s, sealer)
}

fn sealed(
    sealer: &mut ferrotls::internal::record::Tls13AeadProtection,
    seq: u64,
    typ: u8,
    body: &[u8],
) -> Vec<u8> {
    use ferrotls::internal::record::RecordProtection;
    let mut record = vec![typ, 3, 3, 0, 0];
    record.extend_from_slice(body);
    sealer.seal(seq, &mut record, 0).unwrap();
    record
}

#[test]
fn consecutive_empty_records_are_bounded_by_the_configured_limit() {
    use ferrotls::DEFAULT_MAX_CONSECUTIVE_EMPTY_RECORDS;
    for limit in [DEFAULT_MAX_CONSECUTIVE_EMPTY_RECORDS, 2] {
        let (_c, mut s, mut sealer) = connected_with_client_sealer(Limits {
            max_consecutive_empty_records: limit,
            ..Limits::default()
        });
        let mut seq = 0;
        let mut wire = Vec::new();
        for _ in 0..limit {
            wire.extend(sealed(&mut sealer, seq, 23, b""));
            seq += 1;
        }
        // Data in between resets the count.
        wire.extend(sealed(&mut sealer, seq, 23, b"x"));
        seq += 1;
        for _ in 0..limit {
            wire.extend(sealed(&mut sealer, seq, 23, b""));
            seq += 1;
        }
        s.read_tls(&mut wire.as_slice()).unwrap();
        assert_eq!(s.process_new_packets().unwrap().plaintext_bytes_to_read, 1);
        s.read_tls(&mut sealed(&mut sealer, seq, 23, b"").as_slice())
            .unwrap();
        assert!(matches!(
            s.process_new_packets(),
            Err(Error::LimitExceeded(LimitExceededReason::EmptyRecords))
        ));
    }
}

#[test]
fn warning_alerts_are_bounded_by_the_configured_limit() {
    use ferrotls::DEFAULT_MAX_WARNING_ALERTS;
    for limit in [DEFAULT_MAX_WARNING_ALERTS, 1] {
        let (_c, mut s, mut sealer) = connected_with_client_sealer(Limits {
            max_warning_alerts: limit,
            ..Limits::default()
        });
        for seq in 0..=limit as u64 {
            // user_canceled, warning level.
            s.read_tls(&mut sealed(&mut sealer, seq, 21, &[1, 90]).as_slice())
                .unwrap();
            let result = s.process_new_packets();
            if seq < limit as u64 {
                result.unwrap();
            } else {
                assert!(matches!(
                    result,
                    Err(Error::LimitExceeded(LimitExceededReason::WarningAlerts))
                ));
            }
        }
    }
}

/// A random generator that works until it is told to fail, as an
/// operating system's can.
#[cfg(feature = "legacy")]
struct BreakableRng {
    broken: std::sync::atomic::AtomicBool,
    inner: ferrotls::OsRng,
}

#[cfg(feature = "legacy")]
impl ferrotls::SecureRandom for BreakableRng {
    fn fill(&self, dest: &mut [u8]) -> Result<(), Error> {
        if self.broken.load(std::sync::atomic::Ordering::Relaxed) {
            return Err(Error::Crypto(CryptoReason::OsRngFailed));
        }
        self.inner.fill(dest)
    }
}

/// A TLS 1.2 CBC write whose explicit IVs cannot be drawn (RFC 5246
/// §6.2.3.2) fails, leaves no record behind, and ends the connection:
/// the records it had laid out spent their sequence numbers, so nothing
/// later could be sent in order. Every later write fails with the same
/// error.
#[cfg(feature = "legacy")]
#[test]
fn a_write_without_randomness_for_its_ivs_ends_the_connection() {
    use ferrotls::{CipherSuite, ProtocolVersion};
    let suite = CipherSuite::TLS_ECDHE_ECDSA_WITH_AES_128_CBC_SHA;
    let rng = Arc::new(BreakableRng {
        broken: false.into(),
        inner: ferrotls::OsRng::new(),
    });
    let client = client_builder("p256")
        .versions(&[ProtocolVersion::TLSv1_2])
        .cipher_suites(&[suite])
        .rng(rng.clone())
        .build()
        .unwrap();
    let server = server_builder("p256")
        .versions(&[ProtocolVersion::TLSv1_2])
        .cipher_suites(&[suite])
        .build()
        .unwrap();
    let (mut c, _s) = handshaken(client, server, server_name("p256"));
    assert!(!c.wants_write());
    rng.broken.store(true, std::sync::atomic::Ordering::Relaxed);
    let failed = Error::Crypto(CryptoReason::OsRngFailed);
    let error = c.writer().write(&[1; 40_000]).unwrap_err();
    assert_eq!(
        error.into_inner().unwrap().downcast::<Error>().unwrap(),
        Box::new(failed.clone())
    );
    // The alert ending it needs an IV too, so nothing at all is queued.
    assert!(!c.wants_write());
    assert_eq!(c.process_new_packets(), Err(failed.clone()));
    rng.broken
        .store(false, std::sync::atomic::Ordering::Relaxed);
    let again = c.writer().write(b"later").unwrap_err();
    assert_eq!(
        again.into_inner().unwrap().downcast::<Error>().unwrap(),
        Box::new(failed)
    );
}
