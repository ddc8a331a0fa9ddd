//! The BoGo shim (`tests/bogo/shim.rs`, the example `bogo_shim`) against
//! this test playing the runner's part, so that the shim keeps speaking
//! the runner's protocol though CI cannot run BoringSSL's suite
//! (`docs/interop.md`): it connects back, sends its ID as 8 little-endian
//! bytes, handshakes as asked, echoes data with every byte inverted, and
//! exits 0 on success, 1 on a failed expectation and 89 for a flag it
//! does not implement.
//!
//! The example must be built first (`cargo test` builds it).

mod common;
mod examples_support;

use std::io::{Read, Write};
use std::net::TcpListener;
use std::process::{Command, ExitStatus};
use std::thread;

use common::*;
use examples_support::example;
use ferrotls::{AlertDescription, ClientConfig, ClientConnection, ProtocolVersion, StreamOwned};

/// The ID the runner gives this shim.
const SHIM_ID: u64 = 0x0102_0304_0506_0708;

/// What the runner's client part saw of the shim.
struct Seen {
    /// The echo of its 32 bytes, when the handshake completed.
    echo: Option<Vec<u8>>,
    /// The ALPN protocol negotiated.
    alpn: Option<Vec<u8>>,
    /// The alert that ended the connection, if one did.
    alert: Option<AlertDescription>,
}

/// Runs the shim with `flags` as a server, and the runner's client part
/// (TLS 1.3 only when `tls13`): the shim's exit status, and what the
/// client saw.
fn run_server_shim(flags: &[&str], tls13: bool) -> (ExitStatus, Option<Vec<u8>>) {
    let (status, seen) = run_server_shim_offering(flags, tls13, &[]);
    (status, seen.echo)
}

/// [`run_server_shim`] with a client that offers the ALPN protocols
/// `alpn`.
fn run_server_shim_offering(flags: &[&str], tls13: bool, alpn: &[&[u8]]) -> (ExitStatus, Seen) {
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    let port = listener.local_addr().unwrap().port().to_string();
    let dir = vectors_dir();
    let (chain, key) = (dir.join("p256-chain.pem"), dir.join("p256-leaf.key"));
    let mut shim = Command::new(example("bogo_shim"))
        .args(["-port", &port, "-shim-id", &SHIM_ID.to_string(), "-server"])
        .args(["-cert-file", chain.to_str().unwrap()])
        .args(["-key-file", key.to_str().unwrap()])
        .args(flags)
        .spawn()
        .unwrap();
    let alpn: Vec<Vec<u8>> = alpn.iter().map(|p| p.to_vec()).collect();
    let runner = thread::spawn(move || {
        let (mut tcp, _) = listener.accept().unwrap();
        let mut id = [0u8; 8];
        tcp.read_exact(&mut id).unwrap();
        assert_eq!(u64::from_le_bytes(id), SHIM_ID);
        let versions: &[ProtocolVersion] = if tls13 {
            &[ProtocolVersion::TLSv1_3]
        } else {
            &[ProtocolVersion::TLSv1_2]
        };
        let config = ClientConfig::dangerous()
            .builder_accepting_any_server_certificate()
            .versions(versions)
            .alpn_protocols(&alpn.iter().map(Vec::as_slice).collect::<Vec<_>>())
            .build()
            .unwrap();
        let conn = ClientConnection::new(config, server_name("p256")).unwrap();
        let mut tls = StreamOwned::new(conn, tcp);
        let message: Vec<u8> = (0..32).collect();
        let mut echo = vec![0u8; message.len()];
        let echoed = tls
            .write_all(&message)
            .and_then(|()| tls.read_exact(&mut echo));
        let alert = match tls.conn.error() {
            Some(ferrotls::Error::AlertReceived(alert)) => Some(*alert),
            _ => None,
        };
        let alpn = tls.conn.alpn_protocol().map(<[u8]>::to_vec);
        if echoed.is_ok() {
            tls.conn.send_close_notify();
            let _ = tls.flush();
        }
        let _ = tls.read_to_end(&mut Vec::new());
        Seen {
            echo: echoed.ok().map(|()| echo),
            alpn,
            alert,
        }
    });
    let status = shim.wait().unwrap();
    let seen = runner.join().unwrap();
    (status, seen)
}

#[test]
fn the_shim_connects_back_handshakes_and_echoes_inverted() {
    let (status, echo) = run_server_shim(&["-expect-version", "772"], true);
    assert!(status.success(), "{status:?}");
    let expected: Vec<u8> = (0..32u8).map(|b| b ^ 0xff).collect();
    assert_eq!(echo, Some(expected));
}

#[test]
fn a_failed_expectation_exits_1_and_a_flag_it_lacks_89() {
    // TLS 1.2 negotiated where TLS 1.3 was expected.
    let (status, _) = run_server_shim(&["-expect-version", "772"], false);
    assert_eq!(status.code(), Some(1));
    // Refused before it connects: the runner's listener is dropped.
    let status = Command::new(example("bogo_shim"))
        .args(["-port", "1", "-shim-id", "0", "-no-such-flag"])
        .status()
        .unwrap();
    assert_eq!(status.code(), Some(89));
}

/// `-reject-alpn`: the server refuses every protocol the client offers,
/// with no_application_protocol (RFC 7301 §3.2); `-decline-alpn`: it
/// answers none, and the handshake goes on.
#[test]
fn the_shim_rejects_or_declines_the_offered_alpn_protocols() {
    let (status, seen) = run_server_shim_offering(&["-reject-alpn"], true, &[b"foo", b"bar"]);
    assert_eq!(status.code(), Some(1));
    assert_eq!(seen.echo, None);
    assert_eq!(seen.alert, Some(AlertDescription::NoApplicationProtocol));
    let (status, seen) =
        run_server_shim_offering(&["-decline-alpn", "-select-alpn", "foo"], false, &[b"foo"]);
    assert!(status.success(), "{status:?}");
    assert!(seen.echo.is_some());
    assert_eq!(seen.alpn, None);
}

#[test]
fn the_shim_says_it_has_no_handshaker() {
    let output = Command::new(example("bogo_shim"))
        .arg("-is-handshaker-supported")
        .output()
        .unwrap();
    assert!(output.status.success());
    assert_eq!(String::from_utf8_lossy(&output.stdout).trim(), "No");
}

/// The runner's listener closes without accepting: the shim fails, it
/// does not hang.
#[test]
fn a_runner_that_is_gone_fails_the_shim() {
    let port = {
        let listener = TcpListener::bind("127.0.0.1:0").unwrap();
        listener.local_addr().unwrap().port()
    };
    let status = Command::new(example("bogo_shim"))
        .args(["-port", &port.to_string(), "-shim-id", "0", "-server"])
        .status()
        .unwrap();
    assert_eq!(status.code(), Some(1));
}
