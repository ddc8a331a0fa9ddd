//! What an established connection keeps allocated while idle: the
//! sealed-output queue goes once `write_tls` empties it, unless the
//! application is streaming more than the queue holds.

use std::io::{Read, Write};

use super::tests::{pair, transfer, AES128_GCM_PER_VERSION};
use super::Connection;
use crate::common_state::MAX_SENDABLE_TLS;
use crate::msgs::enums::{CipherSuite, ProtocolVersion};

#[test]
fn a_drained_output_queue_is_released_after_the_handshake() -> std::io::Result<()> {
    for (version, suite) in AES128_GCM_PER_VERSION {
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
    let mut got = Vec::with_capacity(data.len());
    transfer_reading(&mut client, &mut server, &mut got)?;
    assert!(client.common.sendable_tls_capacity() >= MAX_SENDABLE_TLS);
    assert_eq!(got.len(), taken);
    client.writer().write_all(&data[taken..])?;
    transfer_reading(&mut client, &mut server, &mut got)?;
    assert_eq!(client.common.sendable_tls_capacity(), 0);
    assert!(got == data, "the server read other bytes");
    Ok(())
}

/// Moves everything `from` has queued to `to`, reading `to`'s plaintext
/// into `got` whenever its receive limit is reached, as an application
/// that reads what arrives does (the queue may hold more than the
/// receiver buffers).
fn transfer_reading(
    from: &mut Connection,
    to: &mut Connection,
    got: &mut Vec<u8>,
) -> std::io::Result<()> {
    let mut bytes = Vec::new();
    while from.wants_write() {
        from.write_tls(&mut bytes)?;
    }
    let mut rest = &bytes[..];
    while !rest.is_empty() {
        to.read_tls(&mut rest)?;
        to.process_new_packets().map_err(std::io::Error::other)?;
        match to.reader().read_to_end(got) {
            Err(e) if e.kind() == std::io::ErrorKind::WouldBlock => {}
            other => {
                other?;
            }
        }
    }
    Ok(())
}
