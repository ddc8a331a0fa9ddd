//! TLS 1.2 secure renegotiation (RFC 5746) with OpenSSL and GnuTLS on
//! 127.0.0.1:
//! `openssl s_client`, whose `R` on stdin renegotiates, against
//! `ferrotls server --echo --renegotiation` (and refused without the
//! switch); `ferrotls server --www --renegotiation --require-cert-path`
//! renegotiating to ask `s_client` for its certificate; and our client
//! (the library, renegotiation on) against `openssl s_server`, whose `r`
//! on stdin sends a HelloRequest; `gnutls-cli --rehandshake` against our
//! server, with and without safe renegotiation. `-msg` makes OpenSSL print every
//! handshake message and alert, which is how each test sees the second
//! handshake. A missing peer binary fails the test (see `tests/run.sh`).

mod common;
mod interop_support;

use common::roots;
use interop_support::*;
use std::io::{ErrorKind, Read, Write};
use std::net::TcpStream;
use std::sync::Arc;
use std::time::{Duration, Instant};

use ferrotls::{ClientConfig, ClientConnection, ProtocolVersion, ServerName, StreamOwned};

/// How long one read waits before the test looks at the peer's output
/// again.
const POLL_READ: Duration = Duration::from_millis(100);

/// `openssl s_client -tls1_2 -msg` to `port`, interactive: stdin stays
/// open, so `R` lines renegotiate while the test runs.
fn interactive_s_client(port: u16, extra: &[&str]) -> Peer {
    let address = format!("127.0.0.1:{port}");
    let root = vector("p256-root.pem");
    let mut args = vec![
        "-oL",
        "openssl",
        "s_client",
        "-tls1_2",
        "-msg",
        "-connect",
        &address,
        "-servername",
        "leaf.p256.test",
        "-CAfile",
        &root,
    ];
    args.extend_from_slice(extra);
    Peer::spawn("stdbuf", &args)
}

/// How many times `message` (`ServerHello`, ...) appears in `-msg`
/// output.
fn count(output: &str, message: &str) -> usize {
    output
        .lines()
        .filter(|l| l.contains("Handshake") && l.ends_with(message))
        .count()
}

#[test]
fn openssl_client_renegotiates_with_our_server_and_data_flows_across() {
    let (_server, port) = ferrotls_server(&["--echo", "--renegotiation", "--max-connections", "1"]);
    let mut client = interactive_s_client(port, &[]);
    client.wait_for("Secure Renegotiation IS supported");
    client.send_stdin(b"ping-before\n");
    client.wait_for("ping-before");
    client.send_stdin(b"R\n");
    client.wait_for("RENEGOTIATING");
    client.send_stdin(b"ping-after\n");
    let output = client.wait_for("ping-after");
    // The second handshake ran in full: a second ServerHello and
    // ServerHelloDone from us, under the first one's keys.
    assert_eq!(count(&output, "ServerHello"), 2, "{output}");
    assert_eq!(count(&output, "ServerHelloDone"), 2, "{output}");
    assert!(!output.contains("no_renegotiation"), "{output}");
}

#[test]
fn without_the_switch_our_server_refuses_openssls_renegotiation_with_a_warning() {
    let (_server, port) = ferrotls_server(&["--echo", "--max-connections", "1"]);
    let mut client = interactive_s_client(port, &[]);
    client.wait_for("Secure Renegotiation IS supported");
    client.send_stdin(b"R\n");
    let output = client.wait_for("warning no_renegotiation");
    assert_eq!(count(&output, "ServerHello"), 1, "{output}");
}

#[test]
fn our_server_renegotiates_to_ask_openssl_for_a_certificate_on_a_path() {
    let ca = vector("p384-root.pem");
    let (_server, port) = ferrotls_server(&[
        "--www",
        "--renegotiation",
        "--require-cert-path",
        "/secret",
        "--post-handshake-ca",
        &ca,
        "--max-connections",
        "1",
    ]);
    let address = format!("127.0.0.1:{port}");
    let root = vector("p256-root.pem");
    let (cert, chain, key) = (
        vector("p384-leaf.pem"),
        vector("p384-int.pem"),
        vector("p384-leaf.key"),
    );
    let (_, output) = run(
        "openssl",
        &[
            "s_client",
            "-tls1_2",
            "-msg",
            "-connect",
            &address,
            "-servername",
            "leaf.p256.test",
            "-CAfile",
            &root,
            "-cert",
            &cert,
            "-cert_chain",
            &chain,
            "-key",
            &key,
            "-ign_eof",
        ],
        b"GET /secret HTTP/1.0\r\n\r\n",
    );
    // The HelloRequest, then a second handshake that asks for and gets
    // the certificate.
    assert_eq!(count(&output, "HelloRequest"), 1, "{output}");
    assert_eq!(count(&output, "CertificateRequest"), 1, "{output}");
    assert!(output.contains("HTTP/1.0 200 OK"), "{output}");
    assert!(
        output.contains("client certificate subject: CN=leaf.p384.test"),
        "{output}"
    );
}

#[test]
fn our_client_renegotiates_when_openssl_server_asks() {
    let (mut peer, port) = openssl_server("p256", &["-tls1_2"], &["-msg"]);
    let config =
        ClientConfig::builder(Arc::new(ferrotls::WebPkiServerVerifier::new(roots("p256"))))
            .versions(&[ProtocolVersion::TLSv1_2])
            .renegotiation(true)
            .build()
            .unwrap();
    let name = ServerName::parse("leaf.p256.test").unwrap();
    let conn = ClientConnection::new(config, name).unwrap();
    let sock = TcpStream::connect(("127.0.0.1", port)).unwrap();
    sock.set_read_timeout(Some(WAIT)).unwrap();
    let mut stream = StreamOwned::new(conn, sock);
    stream.complete_handshake().unwrap();
    let first_id = stream.conn.session_id().to_vec();
    stream.write_all(b"before\n").unwrap();
    peer.wait_for("before");
    // `r` asks s_server to renegotiate: it sends a HelloRequest, which we
    // answer as we read. Once s_server has sent its side of the new
    // handshake, it sends a line, which we read after that side.
    stream.sock.set_read_timeout(Some(POLL_READ)).unwrap();
    peer.send_stdin(b"r\n");
    let (mut sent, mut got, start) = (false, Vec::new(), Instant::now());
    let mut buf = [0u8; 64];
    while !got.ends_with(b"after the renegotiation\n") {
        assert!(start.elapsed() < WAIT, "{}", peer.output());
        match stream.read(&mut buf) {
            Ok(0) => panic!("closed early: {}", peer.output()),
            Ok(n) => got.extend_from_slice(&buf[..n]),
            Err(e) if matches!(e.kind(), ErrorKind::WouldBlock | ErrorKind::TimedOut) => {}
            Err(e) => panic!("{e}: {}", peer.output()),
        }
        let output = peer.output();
        if !sent && count(&output, "ClientHello") == 2 && count(&output, "Finished") >= 3 {
            peer.send_stdin(b"after the renegotiation\n");
            sent = true;
        }
    }
    // OpenSSL 3.0 takes no application data between its ChangeCipherSpec
    // and ours (`unexpected record`), so we write only now.
    stream.write_all(b"after\n").unwrap();
    let output = peer.wait_for("after\n");
    assert_eq!(count(&output, "Finished"), 4, "{output}");
    // Design §3: the client reports what the new ServerHello sent.
    assert_ne!(stream.conn.session_id(), &first_id[..]);
    assert!(stream.conn.error().is_none());
}

/// `ferrotls client --max-version 1.2 --cert p384 [--renegotiation]`
/// asking `ferrotls server --renegotiation --require-cert-path /secret`
/// for the path: the tool's switches on both sides.
fn tool_asks_for_the_path(client_switch: bool) -> String {
    let ca = vector("p384-root.pem");
    let (_server, port) = ferrotls_server(&[
        "--www",
        "--renegotiation",
        "--require-cert-path",
        "/secret",
        "--post-handshake-ca",
        &ca,
        "--max-connections",
        "1",
    ]);
    let (cert, key) = (vector("p384-chain.pem"), vector("p384-leaf.key"));
    let mut args = vec![
        "--max-version",
        "1.2",
        "--cert",
        &cert,
        "--key",
        &key,
        "--request",
        "GET /secret HTTP/1.0\\r\\n\\r\\n",
    ];
    if client_switch {
        args.push("--renegotiation");
    }
    let (status, output) = ferrotls_client(port, &args);
    assert!(status.success(), "{output}");
    // The report names what the first handshake settled.
    assert_eq!(
        json_lines(&output)[0].get("secure_renegotiation"),
        "true",
        "{output}"
    );
    output
}

#[test]
fn the_tools_renegotiate_for_a_client_certificate_with_both_switches_on() {
    let output = tool_asks_for_the_path(true);
    assert!(output.contains("HTTP/1.0 200 OK"), "{output}");
    assert!(
        output.contains("client certificate subject: CN=leaf.p384.test"),
        "{output}"
    );
}

#[test]
fn the_tool_client_without_its_switch_refuses_and_gets_403() {
    let output = tool_asks_for_the_path(false);
    assert!(output.contains("HTTP/1.0 403 Forbidden"), "{output}");
}

/// `gnutls-cli --rehandshake` (TLS 1.2, `priority` added) against
/// `ferrotls server --echo --renegotiation`; returns gnutls-cli's output
/// and our server's.
fn gnutls_rehandshakes(priority: &str) -> (String, String) {
    let (server, port) = ferrotls_server(&["--echo", "--renegotiation", "--max-connections", "1"]);
    let port = port.to_string();
    let priority = format!("NORMAL:-VERS-ALL:+VERS-TLS1.2{priority}");
    let (_, output) = run(
        "gnutls-cli",
        &[
            "--rehandshake",
            "--insecure",
            "--priority",
            &priority,
            "-p",
            &port,
            "127.0.0.1",
        ],
        b"hello\n",
    );
    let (_, server_output) = server.wait_exit();
    (output, server_output)
}

#[test]
fn gnutls_client_renegotiates_with_our_server_and_gets_a_new_session_id() {
    let (output, server) = gnutls_rehandshakes("");
    assert!(output.contains("safe renegotiation"), "{output}");
    assert!(output.contains("- ReHandshake was completed"), "{output}");
    // Design §3: gnutls_session_get_id is S on the first handshake and
    // the new S′ after the renegotiation.
    let ids = gnutls_session_ids(&output);
    assert_eq!(ids.len(), 2, "{output}");
    assert_ne!(ids[0], ids[1], "{output}");
    assert_eq!(
        json_lines(&server)[0].get("secure_renegotiation"),
        "true",
        "{server}"
    );
}

#[test]
fn a_gnutls_client_without_safe_renegotiation_is_refused() {
    let (output, server) = gnutls_rehandshakes(":%DISABLE_SAFE_RENEGOTIATION");
    // RFC 5746 §4.4: never with a client that did not signal it. GnuTLS
    // retries after each no_renegotiation warning until our bound on
    // refusals ends the connection.
    assert!(output.contains("No renegotiation is allowed"), "{output}");
    assert!(output.contains("*** ReHandshake has failed"), "{output}");
    assert_eq!(
        json_lines(&server)[0].get("secure_renegotiation"),
        "false",
        "{server}"
    );
    assert!(server.contains("renegotiation attempts"), "{server}");
}
