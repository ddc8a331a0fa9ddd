//! Full TLS 1.3 handshakes between our client and our server, in memory.

mod common;

use common::*;
use ferrotls::msgs::enums::{CipherSuite, NamedGroup, ProtocolVersion};

#[test]
fn basic_handshake_and_data_both_ways() {
    let client = client_builder("p256").build().unwrap();
    let server = server_builder("p256").build().unwrap();
    let (mut c, mut s) = pair(client, server, server_name("p256"));
    handshake(&mut c, &mut s);
    assert_eq!(c.protocol_version(), Some(ProtocolVersion::TLSv1_3));
    assert_eq!(s.cipher_suite(), Some(CipherSuite::TLS_AES_128_GCM_SHA256));
    assert_eq!(c.negotiated_group(), Some(NamedGroup::X25519));
    send_and_check(&mut c, &mut s, b"hello server");
    send_and_check(&mut s, &mut c, b"hello client");
}
