//! `Connection::complete_io` over a blocking transport: it runs a whole
//! handshake, then sends what is queued without reading, reads once when
//! nothing is queued, reports a transport that ends mid-handshake, and
//! sends a failure's alert before returning the error;
//! `Connection::complete_io_until_writable` stops where data may go.

mod common;

use std::io::{ErrorKind, Read, Write};
use std::os::unix::net::UnixStream;
use std::thread;

use common::*;
use ferrotls::{AlertDescription, Error, ProtocolVersion, Stream};

#[test]
fn complete_io_runs_the_handshake_then_moves_only_what_is_needed() {
    let client = client_builder("p256").build().unwrap();
    let server = server_builder("p256").build().unwrap();
    let (mut c, mut s) = pair(client, server, server_name("p256"));
    let (mut client_io, mut server_io) = UnixStream::pair().unwrap();
    let server_side = thread::spawn(move || {
        let (read, written) = s.complete_io(&mut server_io).unwrap();
        assert!(!s.is_handshaking());
        assert!(read > 0 && written > 0);
        // Nothing queued: each call reads once, until the client's data
        // is in (it may have come with the client's Finished).
        let mut got = [0; 5];
        while s.reader().read_exact(&mut got).is_err() {
            let (read, written) = s.complete_io(&mut server_io).unwrap();
            assert!(read > 0);
            assert_eq!(written, 0);
        }
        assert_eq!(&got, b"hello");
        // Something queued: sent, nothing read.
        s.writer().write_all(b"world").unwrap();
        let (read, written) = s.complete_io(&mut server_io).unwrap();
        assert_eq!(read, 0);
        assert!(written > 0);
    });
    let (read, written) = c.complete_io(&mut client_io).unwrap();
    assert!(!c.is_handshaking());
    assert!(read > 0 && written > 0);
    c.writer().write_all(b"hello").unwrap();
    let (read, written) = c.complete_io(&mut client_io).unwrap();
    assert_eq!(read, 0, "a queued record is sent without reading");
    assert!(written > 0);
    server_side.join().unwrap();
    // The server's tickets came with the handshake's last flight or
    // after it; the reply is read once at most per call.
    let mut got = [0; 5];
    while c.reader().read_exact(&mut got).is_err() {
        assert!(c.complete_io(&mut client_io).unwrap().0 > 0);
    }
    assert_eq!(&got, b"world");
}

/// RFC 5246 §7.2.1 ("close down the connection immediately"): a server
/// that sends close_notify instead of its first flight and keeps the
/// transport open ends the client's `complete_io` at once, with our
/// close_notify sent and the server's as the error. Before, the client
/// kept reading until the transport ended. The socket's read timeout
/// turns such a wait into a different error instead of a hang.
#[test]
fn a_close_notify_during_the_handshake_ends_complete_io_at_once() {
    for version in [ProtocolVersion::TLSv1_2, ProtocolVersion::TLSv1_3] {
        let client = client_builder("p256").versions(&[version]).build().unwrap();
        let mut c = ferrotls::ClientConnection::new(client, server_name("p256")).unwrap();
        let (mut client_io, mut server_io) = UnixStream::pair().unwrap();
        client_io
            .set_read_timeout(Some(std::time::Duration::from_secs(5)))
            .unwrap();
        let server_side = thread::spawn(move || {
            let mut header = [0; 5];
            server_io.read_exact(&mut header).unwrap();
            let mut hello = vec![0; usize::from(u16::from_be_bytes([header[3], header[4]]))];
            server_io.read_exact(&mut hello).unwrap();
            server_io.write_all(&[21, 3, 3, 0, 2, 1, 0]).unwrap();
            // Held open: the client's close_notify comes back, then its
            // end of the transport.
            let mut rest = Vec::new();
            server_io.read_to_end(&mut rest).unwrap();
            rest
        });
        let err = c.complete_io(&mut client_io).unwrap_err();
        let inner = err.get_ref().and_then(|e| e.downcast_ref::<Error>());
        assert_eq!(
            inner,
            Some(&Error::AlertReceived(AlertDescription::CloseNotify)),
            "{version:?}: {err}"
        );
        drop(client_io);
        let sent = server_side.join().unwrap();
        let close = records(&sent).pop().unwrap();
        assert_eq!(
            plaintext_alert(&close),
            Some(u8::from(AlertDescription::CloseNotify))
        );
    }
}

#[test]
fn a_transport_that_ends_during_the_handshake_is_unexpected_eof() {
    let client = client_builder("p256").build().unwrap();
    let server = server_builder("p256").build().unwrap();
    let (mut c, _) = pair(client, server, server_name("p256"));
    let (mut client_io, server_io) = UnixStream::pair().unwrap();
    drop(server_io);
    let err = c.complete_io(&mut client_io).unwrap_err();
    // The ClientHello may or may not have been written before the peer's
    // end was seen as closed; either way the handshake cannot finish.
    assert!(
        matches!(err.kind(), ErrorKind::UnexpectedEof | ErrorKind::BrokenPipe),
        "{err:?}"
    );
}

#[test]
fn a_failure_sends_its_alert_before_the_error_returns() {
    // The client trusts another root: it refuses the server's chain.
    let client = client_builder("rsa2048").build().unwrap();
    let server = server_builder("p256").build().unwrap();
    let (mut c, mut s) = pair(client, server, server_name("p256"));
    let (mut client_io, mut server_io) = UnixStream::pair().unwrap();
    let server_side = thread::spawn(move || s.complete_io(&mut server_io).unwrap_err());
    let err = c.complete_io(&mut client_io).unwrap_err();
    let inner = err
        .get_ref()
        .and_then(|e| e.downcast_ref::<Error>())
        .cloned();
    assert!(
        matches!(inner, Some(Error::InvalidCertificate(_))),
        "{err:?}"
    );
    let server_err = server_side.join().unwrap();
    let inner = server_err
        .get_ref()
        .and_then(|e| e.downcast_ref::<Error>())
        .cloned();
    assert!(
        matches!(inner, Some(Error::AlertReceived(a)) if a != AlertDescription::CloseNotify),
        "{server_err:?}"
    );
}

/// RFC 7918: a False Starting client's `complete_io_until_writable`
/// returns once data may go, before the server's Finished; called there
/// again it sends what is queued and does not wait for the peer, so a
/// blocking `Stream` writes twice before that Finished. The server holds
/// its Finished until both writes are in, or for [`HOLD_LIMIT`].
#[test]
fn complete_io_until_writable_stops_at_a_false_start_and_never_waits_there() {
    let tls12 = &[ProtocolVersion::TLSv1_2];
    let client = client_builder("p256")
        .versions(tls12)
        .alpn_protocols(&[b"h2"])
        .false_start(true)
        .build()
        .unwrap();
    let server = server_builder("p256")
        .versions(tls12)
        .alpn_protocols(&[b"h2"])
        .build()
        .unwrap();
    let (mut c, mut s) = pair(client, server, server_name("p256"));
    let (mut client_io, mut server_io) = UnixStream::pair().unwrap();
    server_io.set_read_timeout(Some(HOLD_LIMIT)).unwrap();
    let server_side = thread::spawn(move || {
        let got = read_holding_back_last_flight(&mut s, &mut server_io, b"onetwo".len());
        send_queued(&mut s, &mut server_io);
        got
    });
    let (read, written) = c.complete_io_until_writable(&mut client_io).unwrap();
    assert!(read > 0 && written > 0);
    assert!(c.is_handshaking(), "the server's Finished is held back");
    assert_eq!(
        c.complete_io_until_writable(&mut client_io).unwrap(),
        (0, 0)
    );
    let mut stream = Stream::new(&mut c, &mut client_io);
    stream.write_all(b"one").unwrap();
    stream.write_all(b"two").unwrap();
    assert_eq!(server_side.join().unwrap(), b"onetwo");
    stream.complete_handshake().unwrap();
    assert!(!c.is_handshaking());
}
