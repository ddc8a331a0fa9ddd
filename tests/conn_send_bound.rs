//! Connection-level tests of the buffer bounds.

use std::io::Write;
use std::sync::Arc;

use ferrotls::config::{ClientConfig, ServerConfig};
use ferrotls::conn::{ClientConnection, Connection, ServerConnection, MAX_SENDABLE_TLS};
use ferrotls::pki::{CertifiedKey, RootStore, ServerName, WebPkiServerVerifier};
use ferrotls::time::{ManualClock, UnixTime};

/// 2030-01-01, inside the validity of the `vectors/pki` certificates.
const NOW: u64 = 1_893_456_000;

fn vector(name: &str) -> String {
    std::fs::read_to_string(format!("{}/vectors/pki/{name}", env!("CARGO_MANIFEST_DIR"))).unwrap()
}

/// Moves every queued TLS byte from `from` to `to` and processes it.
fn transfer(from: &mut Connection, to: &mut Connection) {
    let mut bytes = Vec::new();
    while from.wants_write() {
        from.write_tls(&mut bytes).unwrap();
    }
    let mut rest = bytes.as_slice();
    while !rest.is_empty() {
        to.read_tls(&mut rest).unwrap();
        to.process_new_packets().unwrap();
    }
}

fn connected_pair() -> (ClientConnection, ServerConnection) {
    let clock = Arc::new(ManualClock::new(UnixTime::from_secs(NOW)));
    let mut roots = RootStore::new();
    roots.add_pem(&vector("p256-root.pem")).unwrap();
    let client = ClientConfig::builder(Arc::new(WebPkiServerVerifier::new(Arc::new(roots))))
        .clock(clock.clone())
        .build()
        .unwrap();
    let key = CertifiedKey::from_pem(&vector("p256-chain.pem"), &vector("p256-leaf.key")).unwrap();
    let server = ServerConfig::builder(Arc::new(key))
        .clock(clock)
        .build()
        .unwrap();
    let name = ServerName::parse("leaf.p256.test").unwrap();
    let mut c = ClientConnection::new(client, name).unwrap();
    let mut s = ServerConnection::new(server);
    for _ in 0..10 {
        transfer(&mut c, &mut s);
        transfer(&mut s, &mut c);
    }
    assert!(!c.is_handshaking() && !s.is_handshaking());
    (c, s)
}

#[test]
fn sealed_bytes_waiting_for_write_tls_are_bounded() {
    let (mut c, _s) = connected_pair();
    let big = vec![7u8; 4 * MAX_SENDABLE_TLS];
    let taken = c.writer().write(&big).unwrap();
    assert!(taken > 0 && taken < big.len());
    assert_eq!(
        c.writer().write(&big).unwrap_err().kind(),
        std::io::ErrorKind::WouldBlock
    );
    let mut wire = Vec::new();
    while c.wants_write() {
        c.write_tls(&mut wire).unwrap();
    }
    // At most MAX_SENDABLE_TLS bytes of data, in records of at most 2^14
    // bytes (RFC 8446 §5.1), each with its overhead (RFC 8446 §5.2:
    // 5-byte header, content type byte, 16-byte tag).
    let records = MAX_SENDABLE_TLS.div_ceil(1 << 14);
    assert!(wire.len() <= MAX_SENDABLE_TLS + records * (5 + 1 + 16));
    assert!(c.writer().write(&big).unwrap() > 0);
}
