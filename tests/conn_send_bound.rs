//! Connection-level tests of the buffer bounds.

mod common;

use std::io::Write;

use common::*;
use ferrotls::internal::conn::MAX_SENDABLE_TLS;
use ferrotls::{ClientConnection, ServerConnection};

fn connected_pair() -> (ClientConnection, ServerConnection) {
    let client = client_builder("p256").build().unwrap();
    let server = server_builder("p256").build().unwrap();
    handshaken(client, server, server_name("p256"))
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
