//! TLS 1.3 post-handshake client authentication (RFC 8446 §4.6.2) with
//! real peers on 127.0.0.1: `openssl s_client -enable_pha` against
//! `ferrotls server --www --require-cert-path`, and our client (the library) against `openssl
//! s_server`, whose `c` command on stdin sends a post-handshake
//! CertificateRequest. A missing peer binary fails the test (see
//! `tests/run.sh`).

mod interop_support;

use interop_support::*;
use std::io::{Read, Write};
use std::net::TcpStream;
use std::sync::Arc;

/// `ferrotls server --www` that asks for a certificate under the P-384
/// root on `GET /secret`.
fn protected_server() -> (Peer, u16) {
    let ca = vector("p384-root.pem");
    ferrotls_server(&[
        "--www",
        "--require-cert-path",
        "/secret",
        "--post-handshake-ca",
        &ca,
        "--max-connections",
        "1",
    ])
}

/// Runs `openssl s_client -tls1_3` against `port` with `extra` options,
/// sending `GET path`; returns its output.
fn s_client(port: u16, path: &str, extra: &[&str]) -> String {
    let mut options = vec!["-tls1_3"];
    options.extend_from_slice(extra);
    let request = format!("GET {path} HTTP/1.0\r\n\r\n");
    s_client_to_p256(port, &options, request.as_bytes())
}

/// s_client's options sending `key_type`'s leaf and intermediate
/// (`-cert` sends only the first certificate of its file).
fn client_certificate(key_type: &str) -> Vec<String> {
    vec![
        "-cert".into(),
        vector(&format!("{key_type}-leaf.pem")),
        "-cert_chain".into(),
        vector(&format!("{key_type}-int.pem")),
        "-key".into(),
        vector(&format!("{key_type}-leaf.key")),
    ]
}

#[test]
fn openssl_s_client_with_pha_gets_the_protected_page() {
    let (server, port) = protected_server();
    let mut extra = vec!["-enable_pha".to_string()];
    extra.extend(client_certificate("p384"));
    let extra: Vec<&str> = extra.iter().map(String::as_str).collect();
    let out = s_client(port, "/secret", &extra);
    assert!(out.contains("HTTP/1.0 200 OK"), "{out}");
    assert!(
        out.contains("client certificate subject: CN=leaf.p384.test"),
        "{out}"
    );
    let (status, log) = server.wait_exit();
    assert!(status.success(), "{log}");
}

#[test]
fn openssl_s_client_without_pha_or_certificate_gets_403() {
    let certificate = client_certificate("p384");
    for extra in [
        // A certificate, but post_handshake_auth not offered.
        certificate.iter().map(String::as_str).collect::<Vec<_>>(),
        // Offered, but no certificate: an empty Certificate.
        vec!["-enable_pha"],
    ] {
        let (server, port) = protected_server();
        let out = s_client(port, "/secret", &extra);
        assert!(out.contains("HTTP/1.0 403 Forbidden"), "{extra:?}: {out}");
        assert!(!out.contains("client certificate subject"), "{out}");
        let (status, log) = server.wait_exit();
        assert!(status.success(), "{log}");
    }
    // Other paths need nothing.
    let (_server, port) = protected_server();
    let out = s_client(port, "/", &[]);
    assert!(out.contains("HTTP/1.0 200 OK"), "{out}");
}

#[test]
fn openssl_s_client_with_an_untrusted_certificate_gets_an_alert() {
    let (server, port) = protected_server();
    // The P-256 chain does not lead to the P-384 root the path trusts.
    let mut extra = vec!["-enable_pha".to_string()];
    extra.extend(client_certificate("p256"));
    let extra: Vec<&str> = extra.iter().map(String::as_str).collect();
    let out = s_client(port, "/secret", &extra);
    assert!(!out.contains("HTTP/1.0 200 OK"), "{out}");
    assert!(out.contains("alert unknown ca"), "{out}");
    let (status, log) = server.wait_exit();
    assert!(!status.success(), "{log}");
    assert!(log.contains("unknown_ca"), "{log}");
}

#[test]
fn our_client_answers_openssl_s_server_post_handshake_request() {
    use ferrotls::{CertifiedKey, WebPkiServerVerifier};
    use ferrotls::{ClientConfig, ClientConnection, RootStore, ServerName, StreamOwned};

    let ca = vector("p384-root.pem");
    let (mut server, port) = openssl_server(
        "p256",
        &["-tls1_3"],
        &["-verifyCAfile", &ca, "-verify_return_error"],
    );
    let mut roots = RootStore::new();
    roots
        .add_pem(&std::fs::read_to_string(vector("p256-root.pem")).unwrap())
        .unwrap();
    let key = CertifiedKey::from_pem(
        &std::fs::read_to_string(vector("p384-chain.pem")).unwrap(),
        &std::fs::read_to_string(vector("p384-leaf.key")).unwrap(),
    )
    .unwrap();
    let config = ClientConfig::builder(Arc::new(WebPkiServerVerifier::new(Arc::new(roots))))
        .client_certificate(Arc::new(key))
        .build()
        .unwrap();
    let conn = ClientConnection::new(config, ServerName::parse("leaf.p256.test").unwrap()).unwrap();
    let sock = TcpStream::connect(("127.0.0.1", port)).unwrap();
    sock.set_read_timeout(Some(WAIT)).unwrap();
    let mut tls = StreamOwned::new(conn, sock);
    tls.write_all(b"before the request\n").unwrap();
    server.wait_for("before the request");

    // `c`: s_server sends a CertificateRequest after the handshake.
    server.send_stdin(b"c\n");
    server.wait_for("SSL_do_handshake -> 1");
    server.send_stdin(b"from openssl after the request\n");
    let mut got = Vec::new();
    let mut buf = [0u8; 256];
    while !String::from_utf8_lossy(&got).contains("after the request") {
        let n = tls.read(&mut buf).expect("read after the request");
        assert!(n > 0, "closed before the data");
        got.extend_from_slice(&buf[..n]);
    }
    // Our Certificate, CertificateVerify and Finished went out with the
    // read; OpenSSL verified them and reads on.
    tls.write_all(b"from us after authenticating\n").unwrap();
    let log = server.wait_for("from us after authenticating");
    assert!(!log.contains("verify error"), "{log}");
    assert!(!log.contains("alert"), "{log}");
}
