//! A peer over a real transport that holds its last flight back. The tests
//! of what may go before a handshake's end (a TLS 1.2 False Start, RFC
//! 7918; half-RTT data and answers to 0-RTT requests, RFC 8446 §4.4.4)
//! need the other side to keep its Finished until that data has come.

use std::io::{Read, Write};
use std::time::Duration;

use ferrotls::Connection;

/// How long a peer holds its last flight back when the data it waits for
/// does not come: the negative cases of those tests wait this long. Set
/// it as the transport's read timeout.
pub const HOLD_LIMIT: Duration = Duration::from_secs(2);

/// Drives `conn` over `io` as a peer that sends its flights while its
/// handshake runs, but holds back what it queues once its side is
/// complete (a TLS 1.2 server's Finished, a TLS 1.3 client's Finished),
/// reading application data until `want` bytes have come or `io` gives
/// no more (its end, or its read timeout). Returns that data; the held
/// flight stays queued for the caller to send.
pub fn read_holding_back_last_flight<T: Read + Write>(
    conn: &mut Connection,
    io: &mut T,
    want: usize,
) -> Vec<u8> {
    let mut got = Vec::new();
    while got.len() < want {
        if conn.is_handshaking() {
            while conn.wants_write() {
                conn.write_tls(io).unwrap();
            }
        }
        if conn.read_tls(io).unwrap_or(0) == 0 {
            break;
        }
        conn.process_new_packets().unwrap();
        let mut buf = [0; 64];
        while let Ok(n @ 1..) = conn.reader().read(&mut buf) {
            got.extend_from_slice(&buf[..n]);
        }
    }
    got
}

/// Sends everything `conn` has queued over `io`.
pub fn send_queued<T: Write>(conn: &mut Connection, io: &mut T) {
    while conn.wants_write() {
        conn.write_tls(io).unwrap();
    }
}
