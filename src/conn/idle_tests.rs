//! What an established connection keeps allocated while idle: the
//! sealed-output queue goes once `write_tls` empties it, unless the
//! application is streaming more than the queue holds.

use std::io::{Read, Write};

use super::tests::{pair, transfer};
use crate::common_state::MAX_SENDABLE_TLS;
use crate::msgs::enums::{CipherSuite, ProtocolVersion};

#[test]
fn a_drained_output_queue_is_released_after_the_handshake() -> std::io::Result<()> {
    for (version, suite) in [
        (
            ProtocolVersion::TLSv1_3,
            CipherSuite::TLS_AES_128_GCM_SHA256,
        ),
        (
            ProtocolVersion::TLSv1_2,
            CipherSuite::TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256,
        ),
    ] {
        let (mut client, mut server) = pair(version, suite);
        assert_eq!(client.common.sendable_tls_capacity(), 0);
        assert_eq!(server.common.sendable_tls_capacity(), 0);
        client.writer().write_all(&[0x42; 1024])?;
        assert!(client.common.sendable_tls_capacity() > 1024);
        transfer(&mut client, &mut server);
        assert_eq!(client.common.sendable_tls_capacity(), 0);
    }
    Ok(())
}

#[test]
fn a_streaming_writer_keeps_the_queue_until_a_write_is_taken_whole() -> std::io::Result<()> {
    let (mut client, mut server) = pair(
        ProtocolVersion::TLSv1_3,
        CipherSuite::TLS_AES_128_GCM_SHA256,
    );
    let data: Vec<u8> = (0..=MAX_SENDABLE_TLS).map(|i| i as u8).collect();
    let taken = client.writer().write(&data)?;
    assert!(taken < data.len(), "the queue took {taken} bytes");
    transfer(&mut client, &mut server);
    assert!(client.common.sendable_tls_capacity() >= MAX_SENDABLE_TLS);
    let mut got = vec![0; data.len()];
    server.reader().read_exact(&mut got[..taken])?;
    client.writer().write_all(&data[taken..])?;
    transfer(&mut client, &mut server);
    assert_eq!(client.common.sendable_tls_capacity(), 0);
    server.reader().read_exact(&mut got[taken..])?;
    assert!(got == data, "the server read other bytes");
    Ok(())
}
