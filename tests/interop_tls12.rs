//! TLS 1.2 against real peers on 127.0.0.1: our client against
//! `openssl s_server -tls1_2` and `gnutls-serv`, and `openssl s_client`
//! and `gnutls-cli` against our server. Each peer runs on an ephemeral
//! port and is killed by its PID at the end; a missing peer binary makes
//! the test fail, loudly.

mod common;
mod interop_support;

use std::io::{Read, Write};
use std::net::TcpStream;
use std::sync::Arc;

use common::{certified_key, roots};
#[cfg(feature = "legacy")]
use ferrotls::TLS12_CBC_CIPHER_SUITES;
use ferrotls::{
    ClientConfig, ClientConnection, ProtocolVersion, ServerConfig, ServerName, StreamOwned,
    WebPkiServerVerifier, TLS12_CIPHER_SUITES,
};
use interop_support::*;

const TLS12: &[ProtocolVersion] = &[ProtocolVersion::TLSv1_2];

/// `openssl s_server`'s version option for [`openssl_server`].
const OPENSSL_TLS12: &[&str] = &["-tls1_2"];

#[cfg(feature = "legacy")]
#[test]
fn our_client_against_openssl_every_suite_rsa_and_ecdsa() {
    let all = [TLS12_CIPHER_SUITES, TLS12_CBC_CIPHER_SUITES].concat();
    for key_type in ["rsa2048", "p256"] {
        let (_peer, port) = openssl_server(key_type, OPENSSL_TLS12, &["-www"]);
        for suite in suites_for(key_type, &all) {
            let config = client_config(roots(key_type), TLS12, &[suite], true);
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

#[cfg(feature = "legacy")]
#[test]
fn our_client_against_openssl_cbc_without_etm() {
    let (_peer, port) = openssl_server("p256", OPENSSL_TLS12, &["-www", "-no_etm"]);
    for suite in suites_for("p256", TLS12_CBC_CIPHER_SUITES) {
        let config = client_config(roots("p256"), TLS12, &[suite], true);
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

/// TLS 1.2's ECDSA schemes name a hash, not a curve: a P-256 server may
/// sign its ServerKeyExchange with ECDSA over SHA-384 or SHA-512, which
/// our client offers (ecdsa_secp384r1_sha384, ecdsa_secp521r1_sha512),
/// and RFC 8446 §4.2.3 has a TLS 1.2 client accept it on any curve it
/// advertised. `s_server -sigalgs` makes OpenSSL sign so.
#[cfg(feature = "legacy")]
#[test]
fn our_client_accepts_ecdsa_over_any_offered_hash_from_a_p256_openssl_server() {
    for sigalg in ["ECDSA+SHA512", "ECDSA+SHA384"] {
        let (_peer, port) = openssl_server("p256", OPENSSL_TLS12, &["-www", "-sigalgs", sigalg]);
        let config = client_config(roots("p256"), TLS12, TLS12_CIPHER_SUITES, true);
        let (conn, page) = get(&config, "p256", port);
        assert_eq!(conn.protocol_version(), Some(ProtocolVersion::TLSv1_2));
        assert!(page.contains("200 ok"), "{sigalg}: {page}");
    }
}

/// The `Session ID` gnutls-serv's `--http` page shows, lowercase hex.
fn gnutls_page_session_id(page: &str) -> String {
    let after = page
        .split("Session ID: <i>")
        .nth(1)
        .unwrap_or_else(|| panic!("no Session ID on the page: {page}"));
    let id = after.split("</i>").next().unwrap_or_default();
    id.to_ascii_lowercase()
}

/// How a peer prints `conn.session_id()`: lowercase hex, nothing when
/// empty.
fn printed(conn: &ClientConnection) -> Vec<String> {
    let id = conn.session_id();
    if id.is_empty() {
        Vec::new()
    } else {
        vec![hex::encode(id)]
    }
}

/// Two connections to one openssl server: the second resumes, as both
/// our client and the server's status page say.
fn resumes_against_openssl(extra: &[&str], tickets: bool) {
    let (_peer, port) = openssl_server("p256", OPENSSL_TLS12, extra);
    let config = client_config(roots("p256"), TLS12, TLS12_CIPHER_SUITES, tickets);
    let (first, page) = get(&config, "p256", port);
    assert!(
        !first.is_resumed() && page.contains("New, TLSv1.2"),
        "{page}"
    );
    // Design §3: our client's session_id() is the ID the server sent,
    // which s_server prints on its page (none when it sent an empty one,
    // as OpenSSL does when it issues a ticket, RFC 5077 §3.4).
    assert_eq!(openssl_session_ids(&page), printed(&first), "{page}");
    let (second, page) = get(&config, "p256", port);
    assert!(second.is_resumed());
    assert!(page.contains("Reused, TLSv1.2"), "{page}");
    assert_eq!(openssl_session_ids(&page), printed(&second), "{page}");
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
    resumes_against_openssl(&["-www", "-no_ticket"], false);
}

#[test]
fn our_client_resumes_against_openssl_by_ticket() {
    resumes_against_openssl(&["-www"], true);
}

#[test]
fn our_client_authenticates_to_openssl() {
    let ca = vector("p384-root.pem");
    let (_peer, port) = openssl_server(
        "p256",
        OPENSSL_TLS12,
        &["-www", "-Verify", "1", "-CAfile", &ca],
    );
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

#[test]
fn our_client_resumes_against_gnutls_with_and_without_tickets() {
    for (priority, tickets) in [
        ("NORMAL:-VERS-ALL:+VERS-TLS1.2", true),
        ("NORMAL:-VERS-ALL:+VERS-TLS1.2:%NO_TICKETS", false),
    ] {
        let (_peer, port) = gnutls_server("p256", &["--priority", priority]);
        let config = client_config(roots("p256"), TLS12, TLS12_CIPHER_SUITES, true);
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
        // gnutls-serv's page prints its own gnutls_session_get_id, which
        // persists across the resumption (like our server's S).
        let server_id = gnutls_page_session_id(&page);
        let (second, page) = get(&config, "p256", port);
        assert!(second.is_resumed(), "{priority}");
        assert_eq!(gnutls_page_session_id(&page), server_id, "{page}");
        if !tickets {
            // Design §3, by session ID: our client's session_id() is the
            // ID the server sent, S, on both connections.
            assert_eq!(hex::encode(first.session_id()), server_id);
            assert_eq!(hex::encode(second.session_id()), server_id);
        } else {
            // By ticket: our client sees its own fresh C echoed (RFC 5077
            // §3.4), never the server's persistent ID.
            assert_ne!(hex::encode(second.session_id()), server_id);
            assert_ne!(second.session_id(), first.session_id());
        }
    }
}

#[test]
fn rfc7627_our_client_reports_whether_gnutls_used_the_extended_master_secret() {
    for (priority, ems) in [
        ("NORMAL:-VERS-ALL:+VERS-TLS1.2", true),
        ("NORMAL:-VERS-ALL:+VERS-TLS1.2:%NO_SESSION_HASH", false),
    ] {
        let (_peer, port) = gnutls_server("p256", &["--priority", priority]);
        let config = client_config(roots("p256"), TLS12, TLS12_CIPHER_SUITES, true);
        let (conn, page) = get(&config, "p256", port);
        assert!(page.contains("HTTP/1.0 200"), "{page}");
        assert_eq!(conn.extended_master_secret(), ems, "{priority}");
    }
}

// ---- their clients against our server ----

/// Our TLS 1.2-only server with the P-256 chain.
fn tls12_server() -> Arc<ServerConfig> {
    ServerConfig::builder(certified_key("p256"))
        .versions(TLS12)
        .build()
        .unwrap()
}

#[test]
fn openssl_client_resumes_against_our_server() {
    let (port, seen) = our_server(tls12_server(), 2);
    let scratch = Scratch::new("s_client-tls1_2");
    let sess = scratch.file("sess.pem");
    let ca = vector("p256-root.pem");
    let connect = format!("127.0.0.1:{port}");
    let s_client = |sess_flag: &str| {
        run(
            "openssl",
            &[
                "s_client",
                "-connect",
                &connect,
                "-tls1_2",
                "-servername",
                "leaf.p256.test",
                "-CAfile",
                &ca,
                sess_flag,
                &sess,
            ],
            b"",
        )
        .1
    };
    let out = s_client("-sess_out");
    assert!(out.contains("New, TLSv1.2"), "{out}");
    assert!(out.contains("Verify return code: 0 (ok)"), "{out}");
    let first = seen.recv_timeout(WAIT).unwrap();
    assert!(!first.resumed);
    let out = s_client("-sess_in");
    assert!(out.contains("Reused, TLSv1.2"), "{out}");
    let second = seen.recv_timeout(WAIT).unwrap();
    assert!(second.resumed && second.resumption_requested);
    assert_eq!(
        second.session_id, first.session_id,
        "the server keeps S through the resumption"
    );
}

/// Python's ssl module (OpenSSL 3 underneath) reads tls-unique (RFC 5929
/// §3.1) on its side of a full handshake and of a ticket resumption with
/// our TLS 1.2 server, and sends it as hex: ours must be the same bytes,
/// the client's Finished and then the server's.
#[test]
fn rfc5929_python_ssl_client_reads_the_tls_unique_of_our_server() {
    const CLIENT: &str = r#"
import socket, ssl, sys
ctx = ssl.create_default_context(cafile=sys.argv[2])
ctx.maximum_version = ssl.TLSVersion.TLSv1_2
session = None
for _ in range(2):
    with socket.create_connection(("127.0.0.1", int(sys.argv[1]))) as raw:
        with ctx.wrap_socket(raw, server_hostname="leaf.p256.test", session=session) as tls:
            tls.recv(64)
            binding = tls.get_channel_binding("tls-unique").hex()
            print(tls.session_reused, binding)
            tls.sendall(binding.encode() + b"\n")
            session = tls.session
"#;
    let (port, seen) = our_server(tls12_server(), 2);
    let (status, out) = run(
        "python3",
        &["-c", CLIENT, &port.to_string(), &vector("p256-root.pem")],
        b"",
    );
    assert!(status.success(), "{out}");
    let lines: Vec<&str> = out.lines().collect();
    assert_eq!(lines.len(), 2, "{out}");
    for (line, resumed) in lines.iter().zip([false, true]) {
        let ours = seen.recv_timeout(WAIT).unwrap();
        assert_eq!(ours.resumed, resumed);
        let hex = hex::encode(ours.tls_unique.expect("a TLS 1.2 connection binds"));
        assert_eq!(
            *line,
            format!("{} {hex}", if resumed { "True" } else { "False" })
        );
        assert_eq!(ours.received, format!("{hex}\n").into_bytes());
    }
}

/// The mirror of
/// `our_client_accepts_ecdsa_over_any_offered_hash_from_a_p256_openssl_server`:
/// an `openssl s_client` that offers only ECDSA with SHA-384 or SHA-512
/// (`-sigalgs`) gets our P-256 server's ServerKeyExchange signed so, since
/// TLS 1.2's ECDSA schemes name no curve (RFC 5246 §7.4.1.4.1), and
/// OpenSSL verifies it. Needs feature `legacy`: ring signs P-256 with
/// SHA-256 only.
#[cfg(feature = "legacy")]
#[test]
fn openssl_client_offering_only_another_ecdsa_hash_gets_our_p256_signature() {
    let ca = vector("p256-root.pem");
    for (sigalg, digest) in [("ECDSA+SHA384", "SHA384"), ("ECDSA+SHA512", "SHA512")] {
        let (port, seen) = our_server(tls12_server(), 1);
        let connect = format!("127.0.0.1:{port}");
        let (_, out) = run_until(
            "openssl",
            &[
                "s_client",
                "-connect",
                &connect,
                "-tls1_2",
                "-sigalgs",
                sigalg,
                "-servername",
                "leaf.p256.test",
                "-CAfile",
                &ca,
            ],
            b"signed\n",
            "hello from ferrotls",
        );
        assert!(
            out.contains("Verify return code: 0 (ok)"),
            "{sigalg}: {out}"
        );
        assert!(
            out.contains(&format!("Peer signing digest: {digest}")),
            "{sigalg}: {out}"
        );
        assert!(
            out.contains("Peer signature type: ECDSA"),
            "{sigalg}: {out}"
        );
        let seen = seen.recv_timeout(WAIT).unwrap();
        assert_eq!(seen.version, Some(ProtocolVersion::TLSv1_2));
        assert_eq!(seen.received, b"signed\n", "{sigalg}");
    }
}

#[test]
fn gnutls_client_resumes_against_our_server_and_prints_our_session_id() {
    for priority in [
        "NORMAL:-VERS-ALL:+VERS-TLS1.2",
        "NORMAL:-VERS-ALL:+VERS-TLS1.2:%NO_TICKETS",
    ] {
        let (port, seen) = our_server(tls12_server(), 2);
        let port_text = port.to_string();
        let (_, out) = run(
            "gnutls-cli",
            &[
                "--resume",
                "--insecure",
                "--priority",
                priority,
                "-p",
                &port_text,
                "127.0.0.1",
            ],
            b"",
        );
        assert!(
            out.contains("This is a resumed session"),
            "{priority}: {out}"
        );
        let first = seen.recv_timeout(WAIT).unwrap();
        assert!(!first.resumed);
        let second = seen.recv_timeout(WAIT).unwrap();
        assert!(second.resumed);
        assert_eq!(second.session_id, first.session_id);
        // gnutls-cli prints gnutls_session_get_id of each connection; by
        // session ID (no tickets) that is S, which our server reports.
        if priority.contains("NO_TICKETS") {
            let ours = hex::encode(&second.session_id);
            let printed = gnutls_session_ids(&out);
            assert_eq!(
                printed.iter().filter(|id| **id == ours).count(),
                2,
                "{ours} twice in: {out}"
            );
        }
    }
}

#[test]
fn our_client_refuses_openssl_renegotiation_request_with_a_warning() {
    // Without -www, s_server reads commands from its stdin.
    let (mut peer, port) = openssl_server("p256", OPENSSL_TLS12, &[]);
    let config = client_config(roots("p256"), TLS12, TLS12_CIPHER_SUITES, true);
    let name = ServerName::parse("leaf.p256.test").unwrap();
    let conn = ClientConnection::new(config, name).unwrap();
    let sock = TcpStream::connect(("127.0.0.1", port)).unwrap();
    sock.set_read_timeout(Some(WAIT)).unwrap();
    let mut stream = StreamOwned::new(conn, sock);
    stream.complete_handshake().unwrap();
    stream.write_all(b"before\n").unwrap();
    peer.wait_for("before");
    // `r` asks s_server to renegotiate: it sends a HelloRequest.
    peer.send_stdin(b"r\n");
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
            ferrotls::AlertDescription::HandshakeFailure
        ))
    );
}

#[test]
fn our_default_client_falls_back_to_tls12_with_openssl() {
    let (_peer, port) = openssl_server("rsa2048", OPENSSL_TLS12, &["-www"]);
    let config = ClientConfig::builder(Arc::new(WebPkiServerVerifier::new(roots("rsa2048"))))
        .build()
        .unwrap();
    let (conn, page) = get(&config, "rsa2048", port);
    assert_eq!(conn.protocol_version(), Some(ProtocolVersion::TLSv1_2));
    assert!(page.contains("Protocol  : TLSv1.2"), "{page}");
}

#[test]
fn rfc7918_openssl_and_gnutls_servers_read_the_request_our_client_false_starts() {
    // Our client sends its request right behind its Finished (ECDHE, an
    // AEAD suite, ALPN agreed); the servers read it once they have sent
    // their Finished and answer, as a server must for False Start to work.
    let (_openssl, openssl_port) =
        openssl_server("p256", OPENSSL_TLS12, &["-www", "-alpn", "http/1.1"]);
    let (_gnutls, gnutls_port) = gnutls_server("p256", &["--alpn", "http/1.1"]);
    for (peer, port, page) in [
        ("openssl", openssl_port, "Cipher is ECDHE-ECDSA"),
        ("gnutls", gnutls_port, "HTTP/1.0 200 OK"),
    ] {
        let (status, out) = ferrotls_client(
            port,
            &[
                "--false-start",
                "--max-version",
                "1.2",
                "--alpn",
                "http/1.1",
            ],
        );
        assert!(status.success(), "{peer}: {out}");
        let json = json_lines(&out);
        assert_eq!(json[0].get("version"), "TLSv1.2", "{peer}: {out}");
        assert_eq!(json[0].get("alpn"), "http/1.1", "{peer}: {out}");
        assert!(out.contains(page), "{peer}: {out}");
    }
}

/// Whether `ferrotls client` with `extra` options sends its request before
/// it has our server's Finished: the server here, in-process, writes its
/// first flight, then holds its Finished back until the request arrives
/// or a second has passed (as BoGo's server does to test False Start).
fn tool_request_before_our_finished(extra: &[&str]) -> bool {
    let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let port = listener.local_addr().unwrap().port();
    let args: Vec<String> = ["--max-version", "1.2", "--alpn", "http/1.1"]
        .iter()
        .chain(extra)
        .map(|a| a.to_string())
        .collect();
    let client = std::thread::spawn(move || {
        let args: Vec<&str> = args.iter().map(String::as_str).collect();
        ferrotls_client(port, &args)
    });
    let (mut socket, _) = listener.accept().unwrap();
    socket
        .set_read_timeout(Some(std::time::Duration::from_secs(1)))
        .unwrap();
    let config = ServerConfig::builder(certified_key("p256"))
        .versions(TLS12)
        .alpn_protocols(&[b"http/1.1"])
        .build()
        .unwrap();
    let mut server = ferrotls::ServerConnection::new(config);
    let mut request = [0u8; 64];
    let mut early = false;
    // ClientHello in, first flight out; then the client's flight, and with
    // False Start its request, while our Finished waits in the queue.
    let mut flights_out = 0;
    loop {
        if server.read_tls(&mut socket).unwrap_or(0) == 0 {
            break;
        }
        server.process_new_packets().unwrap();
        if flights_out == 0 {
            while server.wants_write() {
                server.write_tls(&mut socket).unwrap();
            }
            flights_out = 1;
        } else if server.reader().read(&mut request).is_ok() {
            early = true;
            break;
        }
    }
    while server.wants_write() {
        server.write_tls(&mut socket).unwrap();
    }
    drop(socket);
    let _ = client.join();
    early
}

#[test]
fn rfc7918_our_tool_false_starts_only_when_told() {
    assert!(tool_request_before_our_finished(&["--false-start"]));
    assert!(!tool_request_before_our_finished(&[]));
}

/// RFC 6066 §3 with OpenSSL: our TLS 1.2 server holding a P-256 and an
/// RSA-2048 certificate serves `s_client -servername leaf.rsa2048.test`
/// the RSA chain under an ECDHE-RSA suite (it verifies against the RSA
/// root), though it prefers the ECDHE-ECDSA suites, and a client naming
/// the P-256 host the P-256 chain under ECDHE-ECDSA.
#[test]
fn openssl_client_gets_the_certificate_for_the_name_it_asks_for() {
    let config = ServerConfig::builder(certified_key("p256"))
        .certificate(certified_key("rsa2048"))
        .versions(TLS12)
        .build()
        .unwrap();
    let (port, _seen) = our_server(config, 2);
    let connect = format!("127.0.0.1:{port}");
    for (key_type, cipher) in [
        ("rsa2048", "ECDHE-RSA-AES128-GCM-SHA256"),
        ("p256", "ECDHE-ECDSA-AES128-GCM-SHA256"),
    ] {
        let host = format!("leaf.{key_type}.test");
        let ca = vector(&format!("{key_type}-root.pem"));
        let (_, out) = run(
            "openssl",
            &[
                "s_client",
                "-connect",
                &connect,
                "-tls1_2",
                "-servername",
                &host,
                "-CAfile",
                &ca,
            ],
            b"",
        );
        assert!(out.contains("Verify return code: 0 (ok)"), "{host}: {out}");
        assert!(
            out.contains(&format!("Cipher is {cipher}")),
            "{host}: {out}"
        );
    }
}
