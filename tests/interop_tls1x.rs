//! TLS 1.0 and 1.1 against real peers on 127.0.0.1 (issue 7, design §6):
//! our client against `openssl s_server -tls1 / -tls1_1 -cipher
//! 'DEFAULT:@SECLEVEL=0'` (RSA and ECDSA certificates, ECDHE and RSA key
//! exchange, resumption by ID and ticket) and `gnutls-serv` with a
//! priority forcing the version; `openssl s_client` and `gnutls-cli`
//! against our server, with resumption. Application data crosses both
//! ways each time. A default (1.3 + 1.2) server refuses `s_client -tls1`
//! with protocol_version. A missing peer binary fails the test.

mod common;
mod interop_support;

use std::io::{Read, Write};
use std::net::{TcpListener, TcpStream};
use std::sync::mpsc::Receiver;
use std::sync::Arc;
use std::time::Duration;

use common::{certified_key, roots};
use ferrotls::config::{ClientConfig, ServerConfig, TLS10_CIPHER_SUITES};
use ferrotls::conn::{ClientConnection, ServerConnection};
use ferrotls::msgs::enums::{CipherSuite, ProtocolVersion};
use ferrotls::pki::{ServerName, WebPkiServerVerifier};
use ferrotls::stream::StreamOwned;
use interop_support::*;

/// Each legacy version with its openssl flag and gnutls priority.
const VERSIONS: [(ProtocolVersion, &str, &str); 2] = [
    (
        ProtocolVersion::TLSv1_0,
        "-tls1",
        "NORMAL:-VERS-ALL:+VERS-TLS1.0",
    ),
    (
        ProtocolVersion::TLSv1_1,
        "-tls1_1",
        "NORMAL:-VERS-ALL:+VERS-TLS1.1",
    ),
];

/// OpenSSL 3.0 refuses TLS 1.0/1.1 above security level 0 (design §6).
const SECLEVEL0: &str = "DEFAULT:@SECLEVEL=0";

/// How openssl's status page names a version.
fn openssl_name(version: ProtocolVersion) -> &'static str {
    match version {
        ProtocolVersion::TLSv1_0 => "TLSv1",
        _ => "TLSv1.1",
    }
}

/// `openssl s_server -www` for `version` with `key_type`'s chain.
fn openssl_server(flag: &str, key_type: &str, extra: &[&str]) -> (Peer, u16) {
    let (cert, chain, key) = (
        vector(&format!("{key_type}-leaf.pem")),
        vector(&format!("{key_type}-int.pem")),
        vector(&format!("{key_type}-leaf.key")),
    );
    let mut args = vec![
        "s_server",
        flag,
        "-cipher",
        SECLEVEL0,
        "-accept",
        "0",
        "-cert",
        &cert,
        "-cert_chain",
        &chain,
        "-key",
        &key,
        "-www",
    ];
    args.extend_from_slice(extra);
    let peer = Peer::spawn("openssl", &args);
    let port = peer.wait_for_port("ACCEPT");
    (peer, port)
}

fn client_config(
    key_type: &str,
    version: ProtocolVersion,
    suites: &[CipherSuite],
    tickets: bool,
) -> Arc<ClientConfig> {
    ClientConfig::builder(Arc::new(WebPkiServerVerifier::new(roots(key_type))))
        .versions(&[version])
        .cipher_suites(suites)
        .enable_tickets(tickets)
        .build()
        .unwrap()
}

/// Connects our client, sends a GET and returns the connection and the
/// page (data both ways).
fn get(config: &Arc<ClientConfig>, key_type: &str, port: u16) -> (ClientConnection, String) {
    let name = ServerName::parse(&format!("leaf.{key_type}.test")).unwrap();
    let conn = ClientConnection::new(config.clone(), name).unwrap();
    let sock = TcpStream::connect(("127.0.0.1", port)).unwrap();
    sock.set_read_timeout(Some(WAIT)).unwrap();
    let mut stream = StreamOwned::new(conn, sock);
    stream.complete_handshake().unwrap();
    stream.write_all(b"GET / HTTP/1.0\r\n\r\n").unwrap();
    let mut page = Vec::new();
    let _ = stream.read_to_end(&mut page);
    let (conn, _) = stream.into_parts();
    (conn, String::from_utf8_lossy(&page).into_owned())
}

/// The suites of [`TLS10_CIPHER_SUITES`] a `key_type` certificate serves.
fn suites_for(key_type: &str) -> Vec<CipherSuite> {
    TLS10_CIPHER_SUITES
        .iter()
        .copied()
        .filter(|s| format!("{s:?}").contains("_RSA_") == (key_type == "rsa2048"))
        .collect()
}

#[test]
fn our_client_against_openssl_every_suite_version_and_certificate() {
    for (version, flag, _) in VERSIONS {
        for key_type in ["rsa2048", "p256"] {
            let (_peer, port) = openssl_server(flag, key_type, &[]);
            for suite in suites_for(key_type) {
                let config = client_config(key_type, version, &[suite], true);
                let (conn, page) = get(&config, key_type, port);
                assert_eq!(conn.protocol_version(), Some(version));
                assert_eq!(conn.cipher_suite(), Some(suite));
                let protocol = format!("Protocol  : {}\n", openssl_name(version));
                assert!(page.contains(&protocol), "{suite:?}: {page}");
                assert!(page.contains("200 ok"), "{suite:?}: {page}");
            }
        }
    }
}

#[test]
fn our_client_against_openssl_without_etm() {
    for (version, flag, _) in VERSIONS {
        let (_peer, port) = openssl_server(flag, "p256", &["-no_etm"]);
        let config = client_config("p256", version, &suites_for("p256"), true);
        let (conn, page) = get(&config, "p256", port);
        assert_eq!(conn.protocol_version(), Some(version));
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

#[test]
fn our_client_resumes_against_openssl_by_session_id_and_ticket() {
    for (version, flag, _) in VERSIONS {
        for key_type in ["rsa2048", "p256"] {
            for tickets in [false, true] {
                let extra: &[&str] = if tickets { &[] } else { &["-no_ticket"] };
                let (_peer, port) = openssl_server(flag, key_type, extra);
                let config = client_config(key_type, version, &suites_for(key_type), tickets);
                let name = openssl_name(version);
                let (first, page) = get(&config, key_type, port);
                assert!(!first.is_resumed());
                // "New, <the suite's first version>", then the protocol.
                let protocol = format!("Protocol  : {name}\n");
                assert!(page.contains("New, ") && page.contains(&protocol), "{page}");
                let (second, page) = get(&config, key_type, port);
                assert!(second.is_resumed(), "{version:?} {key_type} {tickets}");
                assert!(
                    page.contains("Reused, ") && page.contains(&protocol),
                    "{page}"
                );
                // Design §3: by ID the client sees S again; by ticket its C.
                assert_eq!(second.session_id() == first.session_id(), !tickets);
            }
        }
    }
}

/// `gnutls-serv --http` with `priority` and `key_type`'s chain.
fn gnutls_server(priority: &str, key_type: &str) -> (Peer, u16) {
    let port = free_port();
    let port_text = port.to_string();
    let (chain, key) = (
        vector(&format!("{key_type}-chain.pem")),
        vector(&format!("{key_type}-leaf.key")),
    );
    let peer = Peer::spawn(
        "gnutls-serv",
        &[
            "--http",
            "-p",
            &port_text,
            "--x509certfile",
            &chain,
            "--x509keyfile",
            &key,
            "--priority",
            priority,
        ],
    );
    let start = std::time::Instant::now();
    while TcpStream::connect(("127.0.0.1", port)).is_err() {
        assert!(start.elapsed() < WAIT, "gnutls-serv never listened");
        std::thread::sleep(Duration::from_millis(20));
    }
    (peer, port)
}

#[test]
fn our_client_against_gnutls_with_resumption() {
    for (version, _, priority) in VERSIONS {
        for key_type in ["rsa2048", "p256"] {
            for (suffix, tickets) in [("", true), (":%NO_TICKETS", false)] {
                let priority = format!("{priority}{suffix}");
                let (_peer, port) = gnutls_server(&priority, key_type);
                let config = client_config(key_type, version, &suites_for(key_type), true);
                let (first, page) = get(&config, key_type, port);
                assert_eq!(first.protocol_version(), Some(version));
                assert!(page.contains("HTTP/1.0 200"), "{priority}: {page}");
                let kept = config
                    .session_store
                    .as_ref()
                    .unwrap()
                    .get_tls12(&format!("leaf.{key_type}.test"))
                    .unwrap();
                assert_eq!(kept.ticket.is_some(), tickets, "{priority}");
                let (second, _) = get(&config, key_type, port);
                assert!(second.is_resumed(), "{priority} {key_type}");
            }
        }
    }
}

// ---- their clients against our server ----

/// What our server saw of one connection.
struct Seen {
    version: Option<ProtocolVersion>,
    /// The suite was an RSA key-exchange one (`TLS_RSA_WITH_*`).
    rsa_key_exchange: bool,
    resumed: bool,
    session_id: Vec<u8>,
    received: Vec<u8>,
}

/// Serves `connections` connections with `config` on an ephemeral port in
/// a thread; each gets a greeting, is read to its end, and is reported
/// (a failed handshake reports its error text as `received`).
fn our_server(config: Arc<ServerConfig>, connections: usize) -> (u16, Receiver<Seen>) {
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    let port = listener.local_addr().unwrap().port();
    let (tx, rx) = std::sync::mpsc::channel();
    std::thread::spawn(move || {
        for _ in 0..connections {
            let Ok((sock, _)) = listener.accept() else {
                return;
            };
            let _ = sock.set_read_timeout(Some(WAIT));
            let mut stream = StreamOwned::new(ServerConnection::new(config.clone()), sock);
            let mut received = Vec::new();
            match stream.complete_handshake() {
                Ok(_) => {
                    let _ = stream.write_all(b"hello from ferrotls\n");
                    let mut buf = [0u8; 1024];
                    // Until the client's line arrives, or the end.
                    while !received.ends_with(b"\n") {
                        match stream.read(&mut buf) {
                            Ok(0) | Err(_) => break,
                            Ok(n) => received.extend_from_slice(&buf[..n]),
                        }
                    }
                }
                Err(e) => received = e.to_string().into_bytes(),
            }
            let (conn, _) = stream.into_parts();
            let _ = tx.send(Seen {
                version: conn.protocol_version(),
                rsa_key_exchange: format!("{:?}", conn.cipher_suite()).contains("TLS_RSA_"),
                resumed: conn.is_resumed(),
                session_id: conn.session_id().to_vec(),
                received,
            });
        }
    });
    (port, rx)
}

fn legacy_server(key_type: &str) -> Arc<ServerConfig> {
    ServerConfig::builder(certified_key(key_type))
        .versions(&[ProtocolVersion::TLSv1_1, ProtocolVersion::TLSv1_0])
        .cipher_suites(TLS10_CIPHER_SUITES)
        .build()
        .unwrap()
}

#[test]
fn openssl_client_resumes_against_our_server() {
    // ECDHE with both certificates, and RSA key exchange (AES256-SHA).
    let cases = [
        ("rsa2048", SECLEVEL0),
        ("p256", SECLEVEL0),
        ("rsa2048", "AES256-SHA:@SECLEVEL=0"),
    ];
    for (version, flag, _) in VERSIONS {
        for (key_type, cipher) in cases {
            let (port, seen) = our_server(legacy_server(key_type), 2);
            let scratch = Scratch::new(&format!("s_client-{flag}-{key_type}"));
            let sess = scratch.file("sess.pem");
            let ca = vector(&format!("{key_type}-root.pem"));
            let connect = format!("127.0.0.1:{port}");
            let name = format!("leaf.{key_type}.test");
            let s_client = |sess_flag: &str| {
                run_until(
                    "openssl",
                    &[
                        "s_client",
                        flag,
                        "-cipher",
                        cipher,
                        "-connect",
                        &connect,
                        "-servername",
                        &name,
                        "-CAfile",
                        &ca,
                        sess_flag,
                        &sess,
                    ],
                    b"ping from s_client\n",
                    "hello from ferrotls",
                )
                .1
            };
            let out = s_client("-sess_out");
            let protocol = format!("Protocol  : {}\n", openssl_name(version));
            assert!(out.contains("New, ") && out.contains(&protocol), "{out}");
            assert!(out.contains("Verify return code: 0 (ok)"), "{out}");
            let first = seen.recv_timeout(WAIT).unwrap();
            assert_eq!(first.version, Some(version));
            assert_eq!(first.rsa_key_exchange, cipher.starts_with("AES256-SHA"));
            assert!(!first.resumed);
            assert_eq!(first.received, b"ping from s_client\n");
            let out = s_client("-sess_in");
            assert!(out.contains("Reused, ") && out.contains(&protocol), "{out}");
            let second = seen.recv_timeout(WAIT).unwrap();
            assert!(second.resumed);
            assert_eq!(second.session_id, first.session_id, "S kept");
            assert_eq!(second.received, b"ping from s_client\n");
        }
    }
}

#[test]
fn gnutls_client_resumes_against_our_server_and_prints_our_session_id() {
    for (version, _, priority) in VERSIONS {
        for suffix in ["", ":%NO_TICKETS", ":-KX-ALL:+RSA:%NO_TICKETS"] {
            let priority = format!("{priority}{suffix}");
            let key_type = if suffix.contains("RSA") {
                "rsa2048"
            } else {
                "p256"
            };
            let (port, seen) = our_server(legacy_server(key_type), 2);
            let port_text = port.to_string();
            let (_, out) = run_until(
                "gnutls-cli",
                &[
                    "--resume",
                    "--insecure",
                    "--priority",
                    &priority,
                    "-p",
                    &port_text,
                    "127.0.0.1",
                ],
                b"ping from gnutls\n",
                "This is a resumed session",
            );
            let first = seen.recv_timeout(WAIT).unwrap();
            assert_eq!(first.version, Some(version), "{priority}");
            assert_eq!(first.rsa_key_exchange, suffix.contains("RSA"), "{priority}");
            let second = seen.recv_timeout(WAIT).unwrap();
            assert!(second.resumed, "{priority}: {out}");
            assert_eq!(second.session_id, first.session_id);
            assert_eq!(second.received, b"ping from gnutls\n", "{priority}");
            assert!(out.contains("hello from ferrotls"), "{out}");
            // By session ID, gnutls_session_get_id is S on both
            // connections, as our server reports it.
            if suffix.contains("NO_TICKETS") {
                let printed: Vec<String> = first
                    .session_id
                    .iter()
                    .map(|b| format!("{b:02X}"))
                    .collect();
                let line = format!("- Session ID: {}", printed.join(":"));
                assert_eq!(out.matches(&line).count(), 2, "{line} twice in: {out}");
            }
        }
    }
}

#[test]
fn a_default_server_refuses_openssl_tls1_with_protocol_version() {
    let config = ServerConfig::builder(certified_key("p256"))
        .build()
        .unwrap();
    let (port, seen) = our_server(config, 1);
    let connect = format!("127.0.0.1:{port}");
    let (status, out) = run(
        "openssl",
        &[
            "s_client", "-tls1", "-cipher", SECLEVEL0, "-connect", &connect,
        ],
        b"",
    );
    assert!(!status.success());
    assert!(out.contains("alert protocol version"), "{out}");
    let refused = seen.recv_timeout(WAIT).unwrap();
    let text = String::from_utf8_lossy(&refused.received).into_owned();
    assert!(text.contains("off by default"), "{text}");
}

#[test]
fn a_default_client_refuses_openssl_tls1_with_protocol_version() {
    let (_peer, port) = openssl_server("-tls1", "p256", &[]);
    let config = ClientConfig::builder(Arc::new(WebPkiServerVerifier::new(roots("p256"))))
        .build()
        .unwrap();
    let name = ServerName::parse("leaf.p256.test").unwrap();
    let conn = ClientConnection::new(config, name).unwrap();
    let sock = TcpStream::connect(("127.0.0.1", port)).unwrap();
    sock.set_read_timeout(Some(WAIT)).unwrap();
    let mut stream = StreamOwned::new(conn, sock);
    let err = stream.complete_handshake().unwrap_err();
    let (conn, _) = stream.into_parts();
    // OpenSSL answers a ClientHello without 1.0 itself with a
    // protocol_version alert: the error names it either way.
    let error = conn.error().cloned();
    assert!(
        matches!(
            error,
            Some(ferrotls::Error::ProtocolVersion(_))
                | Some(ferrotls::Error::AlertReceived(
                    ferrotls::msgs::enums::AlertDescription::ProtocolVersion
                ))
        ),
        "{err} / {error:?}"
    );
}

#[test]
fn our_client_authenticates_to_openssl_with_the_legacy_certificate_verify() {
    let ca = vector("p384-root.pem");
    for (version, flag, _) in VERSIONS {
        for client_key in ["p384", "rsa2048"] {
            let ca = if client_key == "p384" {
                ca.clone()
            } else {
                vector("rsa2048-root.pem")
            };
            let (_peer, port) = openssl_server(flag, "p256", &["-Verify", "1", "-CAfile", &ca]);
            let config = ClientConfig::builder(Arc::new(WebPkiServerVerifier::new(roots("p256"))))
                .versions(&[version])
                .cipher_suites(TLS10_CIPHER_SUITES)
                .client_certificate(certified_key(client_key))
                .build()
                .unwrap();
            let (conn, page) = get(&config, "p256", port);
            assert_eq!(conn.protocol_version(), Some(version));
            assert!(page.contains("200 ok"), "{page}");
            assert!(
                page.contains(&format!("leaf.{client_key}.test")),
                "the page shows our certificate: {page}"
            );
        }
    }
}
