//! The receive path through the public API: received application data is
//! kept in the receive buffer until the reader takes it, so
//! these tests leave plaintext unread while more records, alerts and
//! handshake messages arrive, and check that every byte comes out once,
//! in order, with `IoState::plaintext_bytes_to_read` exact throughout.
//!
//! Record sizes below follow from the 2^14-byte fragment limit (RFC 8446
//! §5.1, RFC 5246 §6.2.1): a write of n bytes goes out as ⌈n / 2^14⌉
//! records, all but the last full.

mod common;

use std::io::{ErrorKind, Read, Write};

use common::*;
use ferrotls::{CipherSuite, ClientConnection, Connection, ProtocolVersion, ServerConnection};

/// The largest plaintext of one record, 2^14 (RFC 8446 §5.1).
const FULL_RECORD: usize = 1 << 14;

/// `len` bytes that differ from `seed`'s and repeat only every 65536
/// bytes, so a byte served twice, lost, or out of order shows.
fn pattern(len: usize, seed: u8) -> Vec<u8> {
    (0..len)
        .map(|i| (i as u8).wrapping_mul(31) ^ ((i >> 8) as u8) ^ seed)
        .collect()
}

/// A TLS 1.3 pair (TLS_AES_128_GCM_SHA256 by default), handshake done,
/// the server taking at most `max_received` unread plaintext bytes.
fn connected(max_received: usize) -> (ClientConnection, ServerConnection) {
    let client = client_builder("p256").build().unwrap();
    let server = server_builder("p256")
        .max_received_plaintext(max_received)
        .build()
        .unwrap();
    handshaken(client, server, server_name("p256"))
}

/// Writes `data` on `from` and returns the records it produced.
fn seal(from: &mut Connection, data: &[u8]) -> Vec<u8> {
    let mut wire = Vec::new();
    let mut rest = data;
    while !rest.is_empty() || from.wants_write() {
        if !rest.is_empty() {
            match from.writer().write(rest) {
                Ok(n) => rest = &rest[n..],
                Err(e) if e.kind() == ErrorKind::WouldBlock => {}
                Err(e) => panic!("write failed: {e}"),
            }
        }
        while from.wants_write() {
            from.write_tls(&mut wire).unwrap();
        }
    }
    wire
}

/// Feeds all of `wire` to `to`, processing after each `read_tls`, and
/// never reading plaintext; returns the last `plaintext_bytes_to_read`.
fn feed(to: &mut Connection, wire: &[u8]) -> usize {
    let mut rest = wire;
    let mut unread = 0;
    while !rest.is_empty() {
        to.read_tls(&mut rest).unwrap();
        unread = to.process_new_packets().unwrap().plaintext_bytes_to_read;
    }
    unread
}

/// Reads exactly `len` plaintext bytes from `from` in chunks of `chunk`.
fn read_chunked(from: &mut Connection, len: usize, chunk: usize) -> Vec<u8> {
    let mut got = Vec::new();
    let mut buf = vec![0u8; chunk];
    while got.len() < len {
        let want = chunk.min(len - got.len());
        let n = from.reader().read(&mut buf[..want]).unwrap();
        assert!(n > 0, "plaintext ended after {} of {len} bytes", got.len());
        got.extend_from_slice(&buf[..n]);
    }
    got
}

/// The plaintext the connection reports unread, as `IoState` says.
fn unread(conn: &mut Connection) -> usize {
    conn.process_new_packets().unwrap().plaintext_bytes_to_read
}

#[test]
fn a_partial_read_keeps_the_rest_while_more_records_arrive() {
    let (mut c, mut s) = connected(64 * 1024);
    let first = pattern(3000, 1);
    let second = pattern(2 * FULL_RECORD + 500, 2);
    let third = pattern(700, 3);

    assert_eq!(feed(&mut s, &seal(&mut c, &first)), first.len());
    let head = read_chunked(&mut s, 1000, 1000);
    assert_eq!(head, first[..1000]);
    assert_eq!(unread(&mut s), first.len() - 1000);

    // Three more records (two full) arrive behind the 2000 unread bytes,
    // then a fourth from a separate write.
    let unread_now = feed(&mut s, &seal(&mut c, &second));
    assert_eq!(unread_now, 2000 + second.len());
    assert_eq!(
        feed(&mut s, &seal(&mut c, &third)),
        unread_now + third.len()
    );

    let rest = read_chunked(&mut s, unread_now + third.len(), 4096);
    let expected = [&first[1000..], &second[..], &third[..]].concat();
    assert_eq!(rest, expected);
    assert_eq!(unread(&mut s), 0);
    assert_eq!(
        s.reader().read(&mut [0u8; 8]).unwrap_err().kind(),
        ErrorKind::WouldBlock
    );
}

#[test]
fn back_pressure_stops_opening_at_the_limit_and_reading_releases_it() {
    const LIMIT: usize = 20_000;
    let (mut c, mut s) = connected(LIMIT);
    let data = pattern(60_000, 4);
    let wire = seal(&mut c, &data);

    // Read TLS until the connection refuses more, reading no plaintext.
    let mut offset = 0;
    while let Ok(n) = s.read_tls(&mut &wire[offset..]) {
        offset += n;
        s.process_new_packets().unwrap();
    }
    assert!(
        offset < wire.len(),
        "every byte was taken despite the limit"
    );
    // The first record (2^14) is under the limit, so a second is opened;
    // two full records reach it and no third is opened.
    assert_eq!(unread(&mut s), 2 * FULL_RECORD);
    assert!(!s.wants_read());

    // Still at or over the limit after reading 10 000: still refused.
    let mut got = read_chunked(&mut s, 10_000, 10_000);
    assert_eq!(unread(&mut s), 2 * FULL_RECORD - 10_000);
    assert!(!s.wants_read());
    assert!(s.read_tls(&mut &wire[offset..]).is_err());

    // Below the limit: TLS is read and records are opened again.
    got.extend(read_chunked(&mut s, 5_000, 5_000));
    assert!(s.wants_read());
    offset += s.read_tls(&mut &wire[offset..]).unwrap();
    assert_eq!(unread(&mut s), 2 * FULL_RECORD - 15_000 + FULL_RECORD);
    while got.len() < data.len() {
        if offset < wire.len() {
            if let Ok(n) = s.read_tls(&mut &wire[offset..]) {
                offset += n;
            }
        }
        let waiting = unread(&mut s);
        assert!(waiting < LIMIT + FULL_RECORD);
        assert!(waiting > 0 || offset < wire.len(), "no progress");
        assert!(got.len() + waiting <= data.len());
        got.extend(read_chunked(&mut s, waiting.min(3000), 3000));
    }
    assert_eq!(got, data);
}

#[test]
fn plaintext_then_close_notify_received_together_is_read_before_the_end() {
    let (mut c, mut s) = connected(64 * 1024);
    let data = pattern(5000, 5);
    let mut wire = seal(&mut c, &data);
    c.send_close_notify();
    while c.wants_write() {
        c.write_tls(&mut wire).unwrap();
    }
    assert!(wire.len() < 16_000, "all of it fits in the receive buffer");
    // Everything is received before anything is processed (the buffer,
    // released while idle, starts small and grows on the second read).
    let mut rest = wire.as_slice();
    while !rest.is_empty() {
        assert!(s.read_tls(&mut rest).unwrap() > 0);
    }
    let state = s.process_new_packets().unwrap();
    assert!(state.peer_has_closed);
    assert_eq!(state.plaintext_bytes_to_read, data.len());
    assert_eq!(read_chunked(&mut s, data.len(), 1234), data);
    // Only now, with every byte read, does the stream end cleanly.
    assert_eq!(s.reader().read(&mut [0u8; 8]).unwrap(), 0);
}

#[test]
fn plaintext_then_transport_eof_is_read_before_the_truncation_error() {
    let (mut c, mut s) = connected(64 * 1024);
    let data = pattern(5000, 6);
    let wire = seal(&mut c, &data);
    assert_eq!(feed(&mut s, &wire), data.len());
    assert_eq!(s.read_tls(&mut &[][..]).unwrap(), 0);
    s.process_new_packets().unwrap();
    assert_eq!(read_chunked(&mut s, data.len(), 4096), data);
    assert_eq!(
        s.reader().read(&mut [0u8; 8]).unwrap_err().kind(),
        ErrorKind::UnexpectedEof
    );
}

#[test]
fn one_read_spans_several_records() {
    let (mut c, mut s) = connected(64 * 1024);
    // Three small records, each its own write, in one read_tls.
    let small: Vec<Vec<u8>> = (0..3)
        .map(|i| pattern(100 + 100 * i, 7 + i as u8))
        .collect();
    let wire: Vec<u8> = small.iter().flat_map(|d| seal(&mut c, d)).collect();
    assert_eq!(records(&wire).len(), 3);
    assert_eq!(feed(&mut s, &wire), 600);
    let mut buf = [0u8; 1000];
    assert_eq!(s.reader().read(&mut buf).unwrap(), 600);
    assert_eq!(buf[..600], small.concat());

    // Three records of 40 000 bytes over several read_tls calls, left
    // unread, then taken by one read.
    let big = pattern(40_000, 10);
    assert_eq!(feed(&mut s, &seal(&mut c, &big)), big.len());
    let mut buf = vec![0u8; 50_000];
    assert_eq!(s.reader().read(&mut buf).unwrap(), big.len());
    assert_eq!(buf[..big.len()], big);
}

#[test]
fn key_update_between_two_unread_records() {
    let (mut c, mut s) = connected(64 * 1024);
    let before = pattern(FULL_RECORD + 10, 11);
    let after = pattern(3000, 12);
    let mut wire = seal(&mut c, &before);
    c.refresh_traffic_keys(false).unwrap();
    wire.extend(seal(&mut c, &after));
    assert_eq!(feed(&mut s, &wire), before.len() + after.len());
    let got = read_chunked(&mut s, before.len() + after.len(), 7000);
    assert_eq!(got, [before, after].concat());
    // The server reads under the new key from now on.
    send_and_check(&mut c, &mut s, b"after the update");
}

#[test]
fn tls12_and_tls10_records_are_kept_until_read() {
    #[allow(unused_mut)]
    let mut cases = vec![(
        ProtocolVersion::TLSv1_2,
        CipherSuite::TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256,
    )];
    // CBC with HMAC, and TLS 1.0's chained IVs with 1/n−1 split writes.
    #[cfg(feature = "legacy")]
    cases.extend([
        (
            ProtocolVersion::TLSv1_2,
            CipherSuite::TLS_ECDHE_ECDSA_WITH_AES_128_CBC_SHA,
        ),
        (
            ProtocolVersion::TLSv1_0,
            CipherSuite::TLS_ECDHE_ECDSA_WITH_AES_128_CBC_SHA,
        ),
    ]);
    for (version, suite) in cases {
        let (client, server) = configs_for(version, suite);
        let (mut c, mut s) = handshaken(client, server, server_name("p256"));
        assert_eq!(s.cipher_suite(), Some(suite));
        assert_eq!(s.protocol_version(), Some(version));
        let first = pattern(FULL_RECORD + 3, 13);
        let second = pattern(999, 14);
        assert_eq!(feed(&mut s, &seal(&mut c, &first)), first.len());
        let head = read_chunked(&mut s, 3, 3);
        let unread_now = feed(&mut s, &seal(&mut c, &second));
        assert_eq!(unread_now, first.len() - 3 + second.len());
        let rest = read_chunked(&mut s, unread_now, 5000);
        assert_eq!([head, rest].concat(), [first, second].concat());
    }
}

#[test]
fn accepted_early_data_stays_unread_through_the_handshake() {
    use ferrotls::EarlyDataStatus;
    use ferrotls::OsRng;
    use ferrotls::{Clock, ManualClock, UnixTime};
    use ferrotls::{InMemoryServerStore, RotatingTicketer};
    use std::sync::Arc;

    let clock: Arc<dyn Clock> = Arc::new(ManualClock::new(UnixTime::from_secs(NOW)));
    let server = server_builder("p256")
        .clock(clock.clone())
        .session_store(Arc::new(InMemoryServerStore::new(clock.clone())))
        .ticketer(Arc::new(
            RotatingTicketer::new(Arc::new(OsRng::new()), clock.clone()).unwrap(),
        ))
        .max_early_data_size(4096)
        .build()
        .unwrap();
    let client = client_builder("p256")
        .clock(clock)
        .enable_early_data(true)
        .build()
        .unwrap();
    // A full handshake leaves the client a ticket allowing 0-RTT.
    let (_c, _s) = handshaken(client.clone(), server.clone(), server_name("p256"));

    let early = pattern(3000, 15);
    let mut c = ClientConnection::new(client, server_name("p256")).unwrap();
    assert_eq!(c.write_early_data(&early).unwrap(), early.len());
    let mut s = ServerConnection::new(server);
    transfer(&mut c, &mut s).1.unwrap();
    assert_eq!(s.early_data_status(), EarlyDataStatus::Accepted);
    assert_eq!(unread(&mut s), early.len());
    let head = read_chunked(&mut s, 1000, 1000);

    // The rest of the handshake (EndOfEarlyData, Finished under other
    // keys) and 1-RTT data arrive behind the unread early data.
    handshake(&mut c, &mut s);
    let late = pattern(FULL_RECORD + 1, 16);
    let unread_now = feed(&mut s, &seal(&mut c, &late));
    assert_eq!(unread_now, early.len() - 1000 + late.len());
    let rest = read_chunked(&mut s, unread_now, 4096);
    assert_eq!([head, rest].concat(), [early, late].concat());
}
