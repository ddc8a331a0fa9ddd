//! TLS 1.2 against real peers on 127.0.0.1 (issue 5): our client against
//! `openssl s_server -tls1_2` and `gnutls-serv`, and `openssl s_client`
//! and `gnutls-cli` against our server. Each peer runs on an ephemeral
//! port and is killed by its PID at the end; a missing peer binary makes
//! the test fail, loudly.

mod common;

use std::io::{Read, Write};
use std::net::{TcpListener, TcpStream};
use std::process::{Child, Command, Stdio};
use std::sync::Arc;
use std::time::{Duration, Instant};

use common::{certified_key, roots};
use ferrotls::config::{ClientConfig, ServerConfig, TLS12_CBC_CIPHER_SUITES, TLS12_CIPHER_SUITES};
use ferrotls::conn::{ClientConnection, ServerConnection};
use ferrotls::msgs::enums::{CipherSuite, ProtocolVersion};
use ferrotls::pki::{ServerName, WebPkiServerVerifier};
use ferrotls::stream::StreamOwned;

const TLS12: &[ProtocolVersion] = &[ProtocolVersion::TLSv1_2];

/// A peer process, killed by its PID when dropped.
struct Peer(Child);

impl Drop for Peer {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

fn vector_path(name: &str) -> String {
    format!("{}/vectors/pki/{name}", env!("CARGO_MANIFEST_DIR"))
}

fn free_port() -> u16 {
    TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port()
}

/// Starts `program` with `args`; a missing binary fails the test.
fn spawn(program: &str, args: &[String]) -> Peer {
    let child = Command::new(program)
        .args(args)
        .stdin(Stdio::piped())
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .unwrap_or_else(|e| panic!("interop peer `{program}` cannot run: {e}"));
    Peer(child)
}

/// Waits until something listens on `port`.
fn wait_for(port: u16) {
    let start = Instant::now();
    while TcpStream::connect(("127.0.0.1", port)).is_err() {
        assert!(
            start.elapsed() < Duration::from_secs(10),
            "peer never listened"
        );
        std::thread::sleep(Duration::from_millis(50));
    }
}

/// The chain and key files of `key_type`'s leaf.
fn leaf_files(key_type: &str) -> (String, String) {
    (
        vector_path(&format!("{key_type}-chain.pem")),
        vector_path(&format!("{key_type}-leaf.key")),
    )
}

fn openssl_server(key_type: &str, extra: &[&str]) -> (Peer, u16) {
    let port = free_port();
    let (_, key) = leaf_files(key_type);
    let mut args: Vec<String> = [
        "s_server",
        "-accept",
        &format!("127.0.0.1:{port}"),
        "-tls1_2",
        // s_server sends only the first certificate of -cert; the
        // intermediate goes in -cert_chain.
        "-cert",
        &vector_path(&format!("{key_type}-leaf.pem")),
        "-cert_chain",
        &vector_path(&format!("{key_type}-int.pem")),
        "-key",
        &key,
        "-www",
    ]
    .iter()
    .map(|s| s.to_string())
    .collect();
    args.extend(extra.iter().map(|s| s.to_string()));
    let peer = spawn("openssl", &args);
    wait_for(port);
    (peer, port)
}

fn client_config(key_type: &str, suites: &[CipherSuite], tickets: bool) -> Arc<ClientConfig> {
    ClientConfig::builder(Arc::new(WebPkiServerVerifier::new(roots(key_type))))
        .versions(TLS12)
        .cipher_suites(suites)
        .enable_tickets(tickets)
        .build()
        .unwrap()
}

/// Connects our client, sends a GET and returns the connection's
/// facts and the page.
fn get(config: &Arc<ClientConfig>, key_type: &str, port: u16) -> (ClientConnection, String) {
    let name = ServerName::parse(&format!("leaf.{key_type}.test")).unwrap();
    let conn = ClientConnection::new(config.clone(), name).unwrap();
    let sock = TcpStream::connect(("127.0.0.1", port)).unwrap();
    sock.set_read_timeout(Some(Duration::from_secs(10)))
        .unwrap();
    let mut stream = StreamOwned::new(conn, sock);
    stream.complete_handshake().unwrap();
    stream.write_all(b"GET / HTTP/1.0\r\n\r\n").unwrap();
    let mut page = Vec::new();
    let _ = stream.read_to_end(&mut page);
    let (conn, _) = stream.into_parts();
    (conn, String::from_utf8_lossy(&page).into_owned())
}

fn is_rsa_suite(suite: CipherSuite) -> bool {
    format!("{suite:?}").contains("_RSA_")
}

#[test]
fn our_client_against_openssl_every_suite_rsa_and_ecdsa() {
    for key_type in ["rsa2048", "p256"] {
        let (_peer, port) = openssl_server(key_type, &[]);
        for &suite in TLS12_CIPHER_SUITES.iter().chain(TLS12_CBC_CIPHER_SUITES) {
            if is_rsa_suite(suite) != (key_type == "rsa2048") {
                continue;
            }
            let config = client_config(key_type, &[suite], true);
            let (conn, page) = get(&config, key_type, port);
            assert_eq!(conn.protocol_version(), Some(ProtocolVersion::TLSv1_2));
            assert_eq!(conn.cipher_suite(), Some(suite));
            // "New, <the suite's first version>", then the session's
            // protocol.
            assert!(page.contains("New, TLSv1."), "{suite:?}: {page}");
            assert!(page.contains("Protocol  : TLSv1.2"), "{suite:?}: {page}");
        }
    }
}

#[test]
fn our_client_against_openssl_cbc_without_etm() {
    let (_peer, port) = openssl_server("p256", &["-no_etm"]);
    for &suite in TLS12_CBC_CIPHER_SUITES
        .iter()
        .filter(|s| !is_rsa_suite(**s))
    {
        let config = client_config("p256", &[suite], true);
        let (conn, page) = get(&config, "p256", port);
        assert_eq!(conn.cipher_suite(), Some(suite));
        assert!(page.contains("200 ok"), "{page}");
        let kept = config
            .session_store
            .as_ref()
            .unwrap()
            .get_tls12("leaf.p256.test")
            .unwrap();
        assert!(!kept.encrypt_then_mac);
    }
}

/// Two connections to one openssl server: the second resumes, as both
/// our client and the server's status page say.
fn resumes_against_openssl(extra: &[&str], tickets: bool) {
    let (_peer, port) = openssl_server("p256", extra);
    let config = client_config("p256", TLS12_CIPHER_SUITES, tickets);
    let (first, page) = get(&config, "p256", port);
    assert!(
        !first.is_resumed() && page.contains("New, TLSv1.2"),
        "{page}"
    );
    let (second, page) = get(&config, "p256", port);
    assert!(second.is_resumed());
    assert!(page.contains("Reused, TLSv1.2"), "{page}");
    if tickets {
        // Design §3, resumed by ticket: the client sees its own fresh C.
        assert_ne!(second.session_id(), first.session_id());
    } else {
        // Resumed by session ID: S both times.
        assert_eq!(second.session_id(), first.session_id());
    }
}

#[test]
fn our_client_resumes_against_openssl_by_session_id() {
    resumes_against_openssl(&["-no_ticket"], false);
}

#[test]
fn our_client_resumes_against_openssl_by_ticket() {
    resumes_against_openssl(&[], true);
}

#[test]
fn our_client_authenticates_to_openssl() {
    let ca = vector_path("p384-root.pem");
    let (_peer, port) = openssl_server("p256", &["-Verify", "1", "-CAfile", &ca]);
    let config = ClientConfig::builder(Arc::new(WebPkiServerVerifier::new(roots("p256"))))
        .versions(TLS12)
        .client_certificate(certified_key("p384"))
        .build()
        .unwrap();
    let (_, page) = get(&config, "p256", port);
    assert!(page.contains("200 ok"), "{page}");
    assert!(
        page.contains("leaf.p384.test"),
        "the page shows our certificate: {page}"
    );
}

fn gnutls_server(priority: &str) -> (Peer, u16) {
    let port = free_port();
    let (chain, key) = leaf_files("p256");
    let args: Vec<String> = vec![
        "--http".into(),
        "-p".into(),
        port.to_string(),
        "--x509certfile".into(),
        chain,
        "--x509keyfile".into(),
        key,
        "--priority".into(),
        priority.into(),
    ];
    let peer = spawn("gnutls-serv", &args);
    wait_for(port);
    (peer, port)
}

#[test]
fn our_client_resumes_against_gnutls_with_and_without_tickets() {
    for (priority, tickets) in [
        ("NORMAL:-VERS-ALL:+VERS-TLS1.2", true),
        ("NORMAL:-VERS-ALL:+VERS-TLS1.2:%NO_TICKETS", false),
    ] {
        let (_peer, port) = gnutls_server(priority);
        let config = client_config("p256", TLS12_CIPHER_SUITES, true);
        let (first, page) = get(&config, "p256", port);
        assert_eq!(first.protocol_version(), Some(ProtocolVersion::TLSv1_2));
        assert!(page.contains("HTTP/1.0 200"), "{page}");
        let kept = config
            .session_store
            .as_ref()
            .unwrap()
            .get_tls12("leaf.p256.test")
            .unwrap();
        assert_eq!(kept.ticket.is_some(), tickets);
        let (second, _) = get(&config, "p256", port);
        assert!(second.is_resumed(), "{priority}");
    }
}

// ---- their clients against our server ----

/// Serves `connections` TLS connections on an ephemeral port in a thread;
/// each one is read to its end, and its session facts are sent back.
fn our_server(connections: usize) -> (u16, std::sync::mpsc::Receiver<(bool, bool, Vec<u8>)>) {
    let config: Arc<ServerConfig> = ServerConfig::builder(certified_key("p256"))
        .versions(TLS12)
        .build()
        .unwrap();
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    let port = listener.local_addr().unwrap().port();
    let (tx, rx) = std::sync::mpsc::channel();
    std::thread::spawn(move || {
        for _ in 0..connections {
            let (sock, _) = listener.accept().unwrap();
            sock.set_read_timeout(Some(Duration::from_secs(10)))
                .unwrap();
            let mut stream = StreamOwned::new(ServerConnection::new(config.clone()), sock);
            if stream.complete_handshake().is_err() {
                continue;
            }
            let _ = stream.write_all(b"hello from ferrotls\n");
            let mut sink = Vec::new();
            let _ = stream.read_to_end(&mut sink);
            let (conn, _) = stream.into_parts();
            let _ = tx.send((
                conn.is_resumed(),
                conn.resumption_requested(),
                conn.session_id().to_vec(),
            ));
        }
    });
    (port, rx)
}

/// Runs a client command to its end and returns its standard output.
fn run(program: &str, args: &[String]) -> String {
    let output = Command::new(program)
        .args(args)
        .stdin(Stdio::null())
        .output()
        .unwrap_or_else(|e| panic!("interop peer `{program}` cannot run: {e}"));
    String::from_utf8_lossy(&output.stdout).into_owned()
}

#[test]
fn openssl_client_resumes_against_our_server() {
    let (port, facts) = our_server(2);
    let dir = std::env::temp_dir().join(format!("ferrotls-interop-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let sess = dir.join("sess.pem").display().to_string();
    let ca = vector_path("p256-root.pem");
    let base = |flag: &str| -> Vec<String> {
        [
            "s_client",
            "-connect",
            &format!("127.0.0.1:{port}"),
            "-tls1_2",
            "-servername",
            "leaf.p256.test",
            "-CAfile",
            &ca,
            flag,
            &sess,
        ]
        .iter()
        .map(|s| s.to_string())
        .collect()
    };
    let out = run("openssl", &base("-sess_out"));
    assert!(out.contains("New, TLSv1.2"), "{out}");
    assert!(out.contains("Verify return code: 0 (ok)"), "{out}");
    let (resumed, _, first_id) = facts.recv_timeout(Duration::from_secs(10)).unwrap();
    assert!(!resumed);
    let out = run("openssl", &base("-sess_in"));
    assert!(out.contains("Reused, TLSv1.2"), "{out}");
    let (resumed, requested, id) = facts.recv_timeout(Duration::from_secs(10)).unwrap();
    assert!(resumed && requested);
    assert_eq!(id, first_id, "the server keeps S through the resumption");
    let _ = std::fs::remove_dir_all(dir);
}

#[test]
fn gnutls_client_resumes_against_our_server_and_prints_our_session_id() {
    for priority in [
        "NORMAL:-VERS-ALL:+VERS-TLS1.2",
        "NORMAL:-VERS-ALL:+VERS-TLS1.2:%NO_TICKETS",
    ] {
        let (port, facts) = our_server(2);
        let out = run(
            "gnutls-cli",
            &[
                "--resume".into(),
                "--insecure".into(),
                "--priority".into(),
                priority.into(),
                "-p".into(),
                port.to_string(),
                "127.0.0.1".into(),
            ],
        );
        assert!(
            out.contains("This is a resumed session"),
            "{priority}: {out}"
        );
        let (resumed, _, first_id) = facts.recv_timeout(Duration::from_secs(10)).unwrap();
        assert!(!resumed);
        let (resumed, _, id) = facts.recv_timeout(Duration::from_secs(10)).unwrap();
        assert!(resumed);
        assert_eq!(id, first_id);
        // gnutls-cli prints gnutls_session_get_id of each connection; by
        // session ID (no tickets) that is S, which our server reports.
        if priority.contains("NO_TICKETS") {
            let printed: Vec<String> = id.iter().map(|b| format!("{b:02X}")).collect();
            let line = format!("- Session ID: {}", printed.join(":"));
            assert_eq!(out.matches(&line).count(), 2, "{line} twice in: {out}");
        }
    }
}

#[test]
fn our_client_refuses_openssl_renegotiation_request_with_a_warning() {
    let port = free_port();
    let (_, key) = leaf_files("p256");
    let args: Vec<String> = [
        "s_server",
        "-accept",
        &format!("127.0.0.1:{port}"),
        "-tls1_2",
        "-cert",
        &vector_path("p256-leaf.pem"),
        "-cert_chain",
        &vector_path("p256-int.pem"),
        "-key",
        &key,
    ]
    .iter()
    .map(|s| s.to_string())
    .collect();
    let child = Command::new("openssl")
        .args(&args)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .expect("interop peer `openssl` cannot run");
    let mut peer = Peer(child);
    wait_for(port);
    let config = client_config("p256", TLS12_CIPHER_SUITES, true);
    let name = ServerName::parse("leaf.p256.test").unwrap();
    let conn = ClientConnection::new(config, name).unwrap();
    let sock = TcpStream::connect(("127.0.0.1", port)).unwrap();
    sock.set_read_timeout(Some(Duration::from_secs(5))).unwrap();
    let mut stream = StreamOwned::new(conn, sock);
    stream.complete_handshake().unwrap();
    stream.write_all(b"before\n").unwrap();
    // `r` asks s_server to renegotiate: it sends a HelloRequest.
    peer.0.stdin.as_mut().unwrap().write_all(b"r\n").unwrap();
    let mut buf = [0u8; 64];
    let read = stream.read(&mut buf);
    let (conn, _) = stream.into_parts();
    // Our client answers the HelloRequest with a no_renegotiation warning
    // and does not fail on its own; OpenSSL 3.0 then ends the connection
    // itself: a refused server-initiated renegotiation is a fatal
    // handshake_failure there. The error is the peer's alert, not ours.
    assert!(read.is_err());
    assert_eq!(
        conn.error(),
        Some(&ferrotls::Error::AlertReceived(
            ferrotls::msgs::enums::AlertDescription::HandshakeFailure
        ))
    );
}

#[test]
fn our_default_client_falls_back_to_tls12_with_openssl() {
    let (_peer, port) = openssl_server("rsa2048", &[]);
    let config = ClientConfig::builder(Arc::new(WebPkiServerVerifier::new(roots("rsa2048"))))
        .build()
        .unwrap();
    let (conn, page) = get(&config, "rsa2048", port);
    assert_eq!(conn.protocol_version(), Some(ProtocolVersion::TLSv1_2));
    assert!(page.contains("Protocol  : TLSv1.2"), "{page}");
}
