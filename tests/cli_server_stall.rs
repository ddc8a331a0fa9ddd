//! `ferrotls server` cannot be stalled: a thousand clients that trickle
//! their ClientHello a byte every few seconds hold no place a new client
//! needs (it completes its handshake within 1 s, the one timing bound the
//! issue asks for), and the handshake deadline and the idle timeout close
//! connections that take too long, reporting why.

mod common;
mod interop_support;

use interop_support::*;

use ferrotls::{ClientConnection, ProtocolVersion, StreamOwned};
use std::io::{Read, Write};
use std::net::TcpStream;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;
use std::time::{Duration, Instant};

/// The slow clients held open during the measurement.
const TRICKLERS: usize = 1000;

/// How often each slow client sends its next byte.
const TRICKLE_EVERY: Duration = Duration::from_secs(2);

/// The bound on a new client's handshake while the slow clients are held
/// (issue: "within 1 s"). A handshake here takes a few milliseconds, so
/// the margin is wide; the old server, one thread each and at most 64 at
/// once, never accepted the new client at all.
const HANDSHAKE_BOUND: Duration = Duration::from_secs(1);

/// A bound on waiting for the server to close a connection, so a server
/// that never does fails the test instead of hanging it.
const CLOSE_WAIT: Duration = Duration::from_secs(30);

/// A library client's handshake with the server on `port`.
fn handshake(port: u16) -> StreamOwned<ClientConnection, TcpStream> {
    let config = common::client_builder("p256")
        .versions(&[ProtocolVersion::TLSv1_3])
        .build()
        .unwrap();
    let conn = ClientConnection::new(config, common::server_name("p256")).unwrap();
    let sock = TcpStream::connect(("127.0.0.1", port)).unwrap();
    sock.set_read_timeout(Some(CLOSE_WAIT)).unwrap();
    let mut tls = StreamOwned::new(conn, sock);
    tls.complete_handshake().unwrap();
    tls
}

/// Reads `sock` until the server closes it (end of stream or reset).
fn wait_for_close(sock: &mut TcpStream) {
    sock.set_read_timeout(Some(CLOSE_WAIT)).unwrap();
    let mut buf = [0; 1024];
    loop {
        match sock.read(&mut buf) {
            Ok(0) => return,
            Ok(_) => {}
            Err(e)
                if e.kind() == std::io::ErrorKind::WouldBlock
                    || e.kind() == std::io::ErrorKind::TimedOut =>
            {
                panic!("the server did not close the connection within {CLOSE_WAIT:?}")
            }
            Err(_) => return,
        }
    }
}

#[test]
fn a_new_client_completes_its_handshake_within_1s_while_1000_clients_trickle() {
    // The handshake deadline (10 s by default) is set far beyond the
    // test's length, which a loaded machine can stretch past 10 s: the
    // slow clients must still be held at the end.
    let (server, port) = ferrotls_server(&["--echo", "--handshake-timeout", "300"]);
    // A real ClientHello, sent one byte every TRICKLE_EVERY.
    let hello = {
        let config = common::client_builder("p256").build().unwrap();
        let mut conn = ClientConnection::new(config, common::server_name("p256")).unwrap();
        let mut bytes = Vec::new();
        conn.write_tls(&mut bytes).unwrap();
        bytes
    };
    let mut slow: Vec<TcpStream> = (0..TRICKLERS)
        .map(|i| {
            TcpStream::connect(("127.0.0.1", port))
                .unwrap_or_else(|e| panic!("slow client {i}: {e} (raise `ulimit -n`)"))
        })
        .collect();
    let stop = Arc::new(AtomicBool::new(false));
    let trickler = {
        let stop = Arc::clone(&stop);
        let mut sockets: Vec<TcpStream> = slow.iter().map(|s| s.try_clone().unwrap()).collect();
        std::thread::spawn(move || {
            for byte in hello.iter().cycle() {
                for sock in &mut sockets {
                    // The server may close a socket: the others go on.
                    let _ = sock.write_all(&[*byte]);
                }
                let start = Instant::now();
                while start.elapsed() < TRICKLE_EVERY {
                    if stop.load(Ordering::Relaxed) {
                        return;
                    }
                    std::thread::sleep(Duration::from_millis(50));
                }
            }
        })
    };
    // Every slow client has sent a byte or two, and the server holds
    // them all: their handshakes are far from done.
    std::thread::sleep(TRICKLE_EVERY + TRICKLE_EVERY / 2);

    for _ in 0..3 {
        let start = Instant::now();
        let mut tls = handshake(port);
        let took = start.elapsed();
        assert!(
            took < HANDSHAKE_BOUND,
            "handshake took {took:?} with {TRICKLERS} slow clients"
        );
        tls.write_all(b"still served").unwrap();
        let mut echo = [0; 12];
        tls.read_exact(&mut echo).unwrap();
        assert_eq!(&echo, b"still served");
    }
    stop.store(true, Ordering::Relaxed);
    trickler.join().unwrap();
    // The slow clients were still open, not refused: the server had them.
    let mut buf = [0; 1];
    slow[0].set_nonblocking(true).unwrap();
    assert_eq!(
        slow[0].read(&mut buf).unwrap_err().kind(),
        std::io::ErrorKind::WouldBlock,
        "{}",
        server.output()
    );
    drop(slow);
}

#[test]
fn a_handshake_over_its_deadline_is_closed_and_reported() {
    let (server, port) = ferrotls_server(&["--handshake-timeout", "1"]);
    // Half a record header, then nothing.
    let mut sock = TcpStream::connect(("127.0.0.1", port)).unwrap();
    sock.write_all(&[22, 3]).unwrap();
    wait_for_close(&mut sock);
    server.wait_for("the handshake took longer than 1 s");
}

#[test]
fn a_connection_idle_over_its_timeout_is_closed_and_reported() {
    let (server, port) = ferrotls_server(&["--echo", "--idle-timeout", "1"]);
    let mut tls = handshake(port);
    tls.write_all(b"one").unwrap();
    let mut echo = [0; 3];
    tls.read_exact(&mut echo).unwrap();
    // Then nothing: the server gives up, without close_notify.
    let mut rest = Vec::new();
    let error = tls.read_to_end(&mut rest).unwrap_err();
    assert_eq!(error.kind(), std::io::ErrorKind::UnexpectedEof, "{error}");
    server.wait_for("waiting for data took longer than 1 s");
}

#[test]
fn timeouts_of_zero_are_refused() {
    for option in ["--handshake-timeout", "--idle-timeout"] {
        let (status, out) = run(
            ferrotls_bin(),
            &[
                "server",
                "--cert",
                &vector("p256-chain.pem"),
                "--key",
                &vector("p256-leaf.key"),
                option,
                "0",
            ],
            b"",
        );
        assert!(!status.success(), "{out}");
        assert!(out.contains("must be at least 1 second"), "{out}");
    }
}
