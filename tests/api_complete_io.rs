//! `Connection::complete_io` over a blocking transport: it runs a whole
//! handshake, then sends what is queued without reading, reads once when
//! nothing is queued, reports a transport that ends mid-handshake, and
//! sends a failure's alert before returning the error.

mod common;

use std::io::{ErrorKind, Read, Write};
use std::os::unix::net::UnixStream;
use std::thread;

use common::*;
use ferrotls::{AlertDescription, Error};

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
