//! The AEAD usage limits (RFC 8446 §5.5, RFC 9846 §5.5, RFC 9147 §4.5.3)
//! through whole connections, with the limit lowered for this thread
//! ([`crate::record::lower_usage_limit_in_this_thread`]) so that a key runs
//! out after a few records.

use std::io::{Read, Write};
use std::sync::Arc;

use super::{ClientConnection, Connection, ServerConnection};
use crate::common_state::lower_key_update_cap_in_this_thread;
use crate::common_state::WRITE_KEY_RESERVED_RECORDS;
use crate::config::{ClientConfig, ServerConfig};
use crate::error::Error;
use crate::msgs::enums::{CipherSuite, ProtocolVersion};
use crate::pki::{CertifiedKey, RootStore, ServerName, WebPkiServerVerifier};
use crate::record::lower_usage_limit_in_this_thread;
use crate::time::{ManualClock, UnixTime};

/// The lowered limit: records per key.
const LIMIT: u64 = 16;

/// Application-data records sent one by one, several keys' worth.
const RECORDS: usize = 100;

/// 2030-01-01, inside the test certificates' validity.
const NOW: u64 = 1_893_456_000;

fn vector(name: &str) -> String {
    let path = format!("{}/vectors/pki/{name}", env!("CARGO_MANIFEST_DIR"));
    std::fs::read_to_string(path).unwrap()
}

/// TLS 1.2 and TLS 1.3, each with its AES-128-GCM suite, for the tests
/// that hold under both.
pub(super) const AES128_GCM_PER_VERSION: [(ProtocolVersion, CipherSuite); 2] = [
    (
        ProtocolVersion::TLSv1_2,
        CipherSuite::TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256,
    ),
    (
        ProtocolVersion::TLSv1_3,
        CipherSuite::TLS_AES_128_GCM_SHA256,
    ),
];

/// A connected P-256 pair restricted to `version` and `suite`.
pub(super) fn pair(version: ProtocolVersion, suite: CipherSuite) -> (Connection, Connection) {
    let clock = Arc::new(ManualClock::new(UnixTime::from_secs(NOW)));
    let mut roots = RootStore::new();
    roots.add_pem(&vector("p256-root.pem")).unwrap();
    let client = ClientConfig::builder(Arc::new(WebPkiServerVerifier::new(Arc::new(roots))))
        .clock(clock.clone())
        .versions(&[version])
        .cipher_suites(&[suite])
        .build()
        .unwrap();
    let key = CertifiedKey::from_pem(&vector("p256-chain.pem"), &vector("p256-leaf.key")).unwrap();
    let server = ServerConfig::builder(Arc::new(key))
        .clock(clock)
        .versions(&[version])
        .cipher_suites(&[suite])
        .build()
        .unwrap();
    let name = ServerName::parse("leaf.p256.test").unwrap();
    let mut client = ClientConnection::new(client, name).unwrap().inner;
    let mut server = ServerConnection::new(server).inner;
    for _ in 0..6 {
        transfer(&mut client, &mut server);
        transfer(&mut server, &mut client);
    }
    assert!(!client.is_handshaking() && !server.is_handshaking());
    (client, server)
}

/// Moves all queued bytes from `from` to `to`, has `to` process them and
/// returns how many records went over.
pub(super) fn transfer(from: &mut Connection, to: &mut Connection) -> usize {
    let mut bytes = Vec::new();
    while from.wants_write() {
        from.write_tls(&mut bytes).unwrap();
    }
    let mut records = 0;
    let mut rest = &bytes[..];
    while let Some(len) = rest.get(3..5) {
        let len = 5 + usize::from(u16::from_be_bytes([len[0], len[1]]));
        rest = &rest[len..];
        records += 1;
    }
    let mut offset = 0;
    while offset < bytes.len() {
        offset += to.read_tls(&mut &bytes[offset..]).unwrap();
        to.process_new_packets().unwrap();
    }
    records
}

/// Writes [`RECORDS`] one-record messages from `from` to `to`, checking
/// each arrives, and returns the records that went over.
fn exchange(from: &mut Connection, to: &mut Connection) -> usize {
    let mut records = 0;
    for i in 0..RECORDS {
        let message = format!("message {i}");
        from.writer().write_all(message.as_bytes()).unwrap();
        records += transfer(from, to);
        let mut got = vec![0; message.len()];
        to.reader().read_exact(&mut got).unwrap();
        assert_eq!(got, message.as_bytes());
    }
    records
}

#[test]
fn rfc8446_5_5_tls13_key_update_before_the_usage_limit() {
    lower_usage_limit_in_this_thread(LIMIT);
    let (mut client, mut server) = pair(
        ProtocolVersion::TLSv1_3,
        CipherSuite::TLS_AES_128_GCM_SHA256,
    );
    // Each key seals at most LIMIT − RESERVED data records, then a
    // KeyUpdate of its own: the extra records on the wire are those
    // KeyUpdates, and no key went past the limit (the record layer would
    // have refused the record).
    let per_key = (LIMIT - WRITE_KEY_RESERVED_RECORDS) as usize;
    let key_updates = RECORDS / per_key;
    for records in [
        exchange(&mut client, &mut server),
        exchange(&mut server, &mut client),
    ] {
        assert!(records >= RECORDS + key_updates, "{records}");
        assert!(records <= RECORDS + key_updates + 1, "{records}");
    }
    // Both directions still carry data under the renewed keys.
    exchange(&mut client, &mut server);
    exchange(&mut server, &mut client);
}

#[test]
fn rfc8446_5_5_tls12_closes_cleanly_before_the_usage_limit() {
    lower_usage_limit_in_this_thread(LIMIT);
    let (client, server) = pair(
        ProtocolVersion::TLSv1_2,
        CipherSuite::TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256,
    );
    closes_cleanly_at_the_usage_limit(client, server);
}

#[test]
fn rfc9846_4_6_3_tls13_at_the_key_update_cap_closes_cleanly_before_the_usage_limit() {
    lower_usage_limit_in_this_thread(LIMIT);
    lower_key_update_cap_in_this_thread(0);
    let (client, server) = pair(
        ProtocolVersion::TLSv1_3,
        CipherSuite::TLS_AES_128_GCM_SHA256,
    );
    closes_cleanly_at_the_usage_limit(client, server);
}

#[test]
fn rfc9846_4_6_3_no_key_update_past_the_cap() {
    use crate::error::InvalidRequestReason;
    lower_key_update_cap_in_this_thread(2);
    let (mut client, mut server) = pair(
        ProtocolVersion::TLSv1_3,
        CipherSuite::TLS_AES_128_GCM_SHA256,
    );
    client.refresh_traffic_keys(false).unwrap();
    client.refresh_traffic_keys(false).unwrap();
    assert_eq!(
        client.refresh_traffic_keys(false),
        Err(Error::InvalidRequest(
            InvalidRequestReason::KeyUpdateLimitReached
        ))
    );
    assert_eq!(transfer(&mut client, &mut server), 2);
    // At the cap a request from the peer goes unanswered, even after
    // data (which would otherwise call for an answer).
    exchange(&mut client, &mut server);
    server.refresh_traffic_keys(true).unwrap();
    transfer(&mut server, &mut client);
    assert!(!client.wants_write());
    // Data still flows both ways, under the last keys.
    exchange(&mut client, &mut server);
    exchange(&mut server, &mut client);
}

/// Writes from `client` until the usage limit refuses a write: the refusal
/// is [`Error::KeyUsageLimitReached`] from then on, and `server` reads
/// every byte written, then a clean close_notify.
fn closes_cleanly_at_the_usage_limit(mut client: Connection, mut server: Connection) {
    let mut written = Vec::new();
    let refusal = loop {
        match client.writer().write(b"data") {
            Ok(n) => written.extend_from_slice(&b"data"[..n]),
            Err(e) => break e,
        }
        assert!(written.len() < 4 * LIMIT as usize, "the limit never came");
    };
    assert_eq!(
        refusal.into_inner().unwrap().downcast::<Error>().unwrap(),
        Box::new(Error::KeyUsageLimitReached)
    );
    assert_eq!(
        client.writer().write(b"more").unwrap_err().to_string(),
        Error::KeyUsageLimitReached.to_string()
    );
    // The server reads every byte written, then a clean close_notify.
    transfer(&mut client, &mut server);
    let mut got = Vec::new();
    server.reader().read_to_end(&mut got).unwrap();
    assert_eq!(got, written);
    assert!(server.common.peer_closed());
}

/// RFC 5246 §7.2.1: after the peer's close_notify a TLS 1.2 connection
/// sends nothing more, and the refused write says so as `BrokenPipe`,
/// carrying the reason; TLS 1.3 may go on writing (RFC 8446 §6.1).
#[test]
fn a_write_after_the_peers_close_notify_is_a_broken_pipe_in_tls12_only() {
    use crate::error::InvalidRequestReason;
    for (version, suite) in AES128_GCM_PER_VERSION {
        let (mut client, mut server) = pair(version, suite);
        client.send_close_notify();
        transfer(&mut client, &mut server);
        assert!(server.common.peer_closed());
        let written = server.writer().write(b"page");
        if version == ProtocolVersion::TLSv1_3 {
            assert_eq!(written.unwrap(), 4);
            continue;
        }
        let refusal = written.unwrap_err();
        assert_eq!(refusal.kind(), std::io::ErrorKind::BrokenPipe);
        assert_eq!(
            refusal.into_inner().unwrap().downcast::<Error>().unwrap(),
            Box::new(Error::InvalidRequest(
                InvalidRequestReason::WriteAfterPeerClose
            ))
        );
    }
}
