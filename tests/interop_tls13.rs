//! TLS 1.3 interop with real peers on 127.0.0.1 (design §6): our client
//! (the `ferrotls` binary, or the library for KeyUpdate) against
//! `openssl s_server -tls1_3` and `gnutls-serv`; `openssl s_client
//! -tls1_3` and `gnutls-cli --resume` against `ferrotls server`. Each test
//! checks the application data that crossed, the resumption status both
//! sides report, and the session IDs both sides print against design §3.
//! A missing peer binary fails the test (see `tests/run.sh`).

mod interop_support;

use interop_support::*;
use std::io::{Read, Write};
use std::net::TcpStream;
use std::sync::Arc;

/// `openssl s_server`'s version option for [`openssl_server`].
const OPENSSL_TLS13: &[&str] = &["-tls1_3"];

/// What `gnutls-cli` waits for before it closes: a line of our server's
/// page, which comes last.
const PAGE: &str = "peer_certificates";

/// Runs our client and checks it succeeded; returns its output.
fn client_ok(port: u16, extra: &[&str]) -> String {
    let (status, out) = ferrotls_client(port, extra);
    assert!(status.success(), "ferrotls client failed:\n{out}");
    out
}

#[test]
fn our_client_against_openssl_with_every_suite_and_group() {
    let (_server, port) = openssl_server("p256", OPENSSL_TLS13, &["-www"]);
    for suite in [
        "TLS_AES_128_GCM_SHA256",
        "TLS_AES_256_GCM_SHA384",
        "TLS_CHACHA20_POLY1305_SHA256",
    ] {
        for (group, iana) in [
            ("X25519", "x25519"),
            ("P-256", "secp256r1"),
            ("P-384", "secp384r1"),
        ] {
            let out = client_ok(port, &["--ciphers", suite, "--groups", group]);
            let json = json_lines(&out);
            assert_eq!(json.len(), 1, "{out}");
            assert_eq!(json[0].get("version"), "TLSv1.3");
            assert_eq!(json[0].get("cipher_suite"), suite);
            assert_eq!(json[0].get("group"), iana);
            assert_eq!(json[0].get("peer_certificates"), "2");
            // The page OpenSSL sent back names the same suite.
            assert!(
                out.contains(&format!("New, TLSv1.3, Cipher is {suite}")),
                "{out}"
            );
        }
    }
}

#[test]
fn json_report_has_exactly_the_issue_keys() {
    let (_server, port) = openssl_server("p256", OPENSSL_TLS13, &["-www"]);
    let out = client_ok(port, &[]);
    let json = json_lines(&out);
    assert_eq!(
        json[0].keys(),
        [
            "role",
            "version",
            "cipher_suite",
            "group",
            "resumed",
            "session_id",
            "alpn",
            "server_name",
            "early_data",
            "early_data_reason",
            "certificate_type",
            "peer_certificates",
            "record_size_limit",
            "certificate_compression",
            "sent_certificate_compression",
            "ocsp_stapled",
            "sct_stapled",
            "psk",
            "secure_renegotiation",
            "extended_master_secret"
        ]
    );
    assert_eq!(json[0].get("role"), "client");
    assert_eq!(json[0].get("server_name"), "leaf.p256.test");
    // TLS 1.3 has no renegotiation, and always binds its secrets to the
    // handshake (RFC 9846 Appendix E).
    assert_eq!(json[0].get("secure_renegotiation"), "false");
    assert_eq!(json[0].get("extended_master_secret"), "true");
}

#[test]
fn openssl_groups_force_a_hello_retry_request() {
    // Our client sends a key share for its first group only (x25519);
    // a server that accepts only P-384 must ask again (RFC 8446 §4.1.4).
    let (_server, port) = openssl_server("p256", OPENSSL_TLS13, &["-www", "-groups", "P-384"]);
    let out = client_ok(port, &["--groups", "x25519,P-384"]);
    let json = json_lines(&out);
    assert_eq!(json[0].get("group"), "secp384r1");
    assert!(out.contains("New, TLSv1.3"), "{out}");
}

#[test]
fn our_server_retries_openssl_and_gnutls_clients_that_accept_the_same_hello_again() {
    // A server that takes only P-384 asks s_client (key share X25519) and
    // gnutls-cli (X25519, P-256) for another share (RFC 8446 §4.1.4); each
    // sends its first ClientHello again with only the key share changed,
    // which our check of the second ClientHello (§4.1.2) accepts.
    let (server, port) = ferrotls_server(&["--groups", "secp384r1", "--max-connections", "2"]);
    let request = b"GET / HTTP/1.0\r\n\r\n";
    let out = s_client_to_p256(
        port,
        &["-tls1_3", "-groups", "X25519:P-384", "-msg"],
        request,
    );
    assert!(out.contains("New, TLSv1.3"), "{out}");
    assert_eq!(out.matches("], ClientHello").count(), 2, "{out}");
    assert!(out.contains("Server Temp Key: ECDH, secp384r1"), "{out}");
    let out = gnutls_cli_to_p256(
        port,
        &[
            "--priority",
            "NORMAL:-VERS-ALL:+VERS-TLS1.3:-GROUP-ALL:+GROUP-X25519:+GROUP-SECP256R1:+GROUP-SECP384R1",
        ],
        request,
        PAGE,
    );
    // Its first ClientHello had shares for X25519 and P-256 only.
    assert!(out.contains("(ECDHE-SECP384R1)"), "{out}");
    let (status, log) = server.wait_exit();
    assert!(status.success(), "{log}");
    let json = json_lines(&log);
    assert_eq!(json.len(), 2, "{log}");
    assert!(json.iter().all(|j| j.get("group") == "secp384r1"), "{log}");
}

#[test]
fn our_client_resumes_openssl_tickets_and_keeps_fresh_session_ids() {
    let dir = Scratch::new("openssl-resume");
    let sess = &dir.file("session.bin");
    let (_server, port) = openssl_server("p256", OPENSSL_TLS13, &["-www"]);
    let out = client_ok(port, &["--connections", "3", "--sess-out", sess]);
    let json = json_lines(&out);
    let resumed: Vec<&str> = json.iter().map(|j| j.get("resumed")).collect();
    assert_eq!(resumed, ["false", "true", "true"]);
    // OpenSSL's own view of each connection, in its page.
    assert_eq!(out.matches("New, TLSv1.3").count(), 1, "{out}");
    assert_eq!(out.matches("Reused, TLSv1.3").count(), 2, "{out}");
    // Design §3, client side: the echoed legacy_session_id, 32 fresh
    // bytes every connection.
    let ids: Vec<&str> = json.iter().map(|j| j.get("session_id")).collect();
    assert!(ids.iter().all(|id| id.len() == 64), "{ids:?}");
    assert!(ids[0] != ids[1] && ids[1] != ids[2] && ids[0] != ids[2]);

    // --sess-in: a new process resumes the exported session.
    let out = client_ok(port, &["--sess-in", sess]);
    assert_eq!(json_lines(&out)[0].get("resumed"), "true");
    assert!(out.contains("Reused, TLSv1.3"), "{out}");
}

#[test]
fn openssl_accepts_our_early_data() {
    openssl_takes_our_early_data(&[]);
}

/// RFC 8446 §4.2.10: 0-RTT goes under the session's ALPN protocol. A
/// client offering protocols to an `s_server` that negotiates none
/// resumes that session (which has none) with 0-RTT, and OpenSSL, again
/// selecting none, takes it.
#[test]
fn rfc8446_4_2_10_openssl_without_alpn_accepts_our_early_data_offered_with_alpn() {
    openssl_takes_our_early_data(&["--alpn", "h2,http/1.1"]);
}

/// `ferrotls client` with `extra` options gets a ticket from `s_server
/// -early_data`, then resumes with a request as 0-RTT data, which
/// OpenSSL accepts and prints.
fn openssl_takes_our_early_data(extra: &[&str]) {
    let dir = Scratch::new("openssl-early");
    let early = &dir.file("early.txt");
    std::fs::write(early, b"GET /early HTTP/1.0\r\n\r\n").unwrap();
    let sess = &dir.file("s.bin");
    // Without -www, s_server prints what it receives (early data under
    // "Early data received:") and keeps the connection open until `q` is
    // typed on its stdin.
    let (mut server, port) = openssl_server("p256", OPENSSL_TLS13, &["-early_data"]);
    let addr = format!("127.0.0.1:{port}");
    let root = vector("p256-root.pem");
    let client = |more: &[&str]| {
        let mut args = vec![
            "client",
            addr.as_str(),
            "--servername",
            "leaf.p256.test",
            "--cafile",
            &root,
            "--json",
            "--early-data",
            early,
        ];
        args.extend_from_slice(extra);
        args.extend_from_slice(more);
        Peer::spawn(ferrotls_bin(), &args)
    };
    // The first connection gets a ticket allowing 0-RTT; its request goes
    // after the handshake.
    let first = client(&["--sess-out", sess]);
    server.wait_for("GET /early");
    server.send_stdin(b"q\n");
    let (status, out) = first.wait_exit();
    assert!(status.success(), "{out}");
    let json = json_lines(&out);
    assert_eq!(json[0].get("early_data"), "not_offered", "{out}");
    assert_eq!(json[0].get("early_data_reason"), "no_session_offered");
    // The second sends the file as early data, and OpenSSL takes it.
    let second = client(&["--sess-in", sess]);
    let seen = server.wait_for("End of early data");
    server.send_stdin(b"q\n");
    let (status, out) = second.wait_exit();
    assert!(status.success(), "{out}");
    let json = json_lines(&out);
    assert_eq!(json[0].get("resumed"), "true", "{out}");
    assert_eq!(json[0].get("early_data"), "accepted", "{out}");
    assert_eq!(json[0].get("early_data_reason"), "accepted");
    let early_part = seen
        .split("Early data received:")
        .nth(1)
        .and_then(|rest| rest.split("End of early data").next())
        .unwrap_or_default();
    assert!(early_part.contains("GET /early"), "{seen}");
}

#[test]
fn openssl_verify_1_gets_our_client_certificate() {
    let root = vector("p256-root.pem");
    let (_server, port) = openssl_server(
        "p256",
        OPENSSL_TLS13,
        &["-www", "-Verify", "1", "-CAfile", &root],
    );
    let cert = vector("p256-chain.pem");
    let key = vector("p256-leaf.key");
    let out = client_ok(port, &["--cert", &cert, "--key", &key]);
    assert!(out.contains("New, TLSv1.3"), "{out}");
    assert!(out.contains("Client certificate"), "{out}");

    // Without a certificate OpenSSL refuses, and our client names the
    // alert it received.
    let (status, out) = ferrotls_client(port, &[]);
    assert!(!status.success());
    assert!(out.contains("received alert certificate_required"), "{out}");
}

#[test]
fn our_client_and_openssl_agree_on_alpn() {
    let (server, port) = openssl_server("p256", OPENSSL_TLS13, &["-www", "-alpn", "h2,http/1.1"]);
    let out = client_ok(port, &["--alpn", "spdy/1,http/1.1"]);
    assert_eq!(json_lines(&out)[0].get("alpn"), "http/1.1");
    server.wait_for("ALPN protocols selected: http/1.1");
}

#[test]
fn key_update_typed_into_openssl_both_ways() {
    use ferrotls::ClientConfig;
    use ferrotls::ClientConnection;
    use ferrotls::StreamOwned;
    use ferrotls::{RootStore, ServerName, WebPkiServerVerifier};

    let (mut server, port) = openssl_server("p256", OPENSSL_TLS13, &[]);
    let mut roots = RootStore::new();
    roots
        .add_pem(&std::fs::read_to_string(vector("p256-root.pem")).unwrap())
        .unwrap();
    let config = ClientConfig::builder(Arc::new(WebPkiServerVerifier::new(Arc::new(roots))))
        .build()
        .unwrap();
    let conn = ClientConnection::new(config, ServerName::parse("leaf.p256.test").unwrap()).unwrap();
    let sock = TcpStream::connect(("127.0.0.1", port)).unwrap();
    sock.set_read_timeout(Some(WAIT)).unwrap();
    let mut tls = StreamOwned::new(conn, sock);
    tls.write_all(b"before any update\n").unwrap();
    server.wait_for("before any update");

    // `K`: OpenSSL updates its keys and asks us to update ours.
    server.send_stdin(b"K\n");
    // s_server reports the KeyUpdate it just sent this way.
    server.wait_for("SSL_do_handshake -> 1");
    server.send_stdin(b"from openssl after the update\n");
    let mut got = Vec::new();
    let mut buf = [0u8; 256];
    while !String::from_utf8_lossy(&got).contains("after the update") {
        let n = tls.read(&mut buf).expect("read after KeyUpdate");
        assert!(n > 0, "closed before the data");
        got.extend_from_slice(&buf[..n]);
    }
    // Our answering KeyUpdate went out: OpenSSL reads our new keys.
    tls.write_all(b"from us after its update\n").unwrap();
    server.wait_for("from us after its update");

    // Our own KeyUpdate, asking OpenSSL to update too.
    tls.conn.refresh_traffic_keys(true).unwrap();
    tls.write_all(b"from us after our update\n").unwrap();
    server.wait_for("from us after our update");
    server.send_stdin(b"openssl answered our update\n");
    got.clear();
    while !String::from_utf8_lossy(&got).contains("answered our update") {
        let n = tls.read(&mut buf).expect("read after our KeyUpdate");
        assert!(n > 0, "closed before the data");
        got.extend_from_slice(&buf[..n]);
    }
}

/// `ferrotls server --key-update-path`: a request for the path is
/// answered behind a KeyUpdate that asks the client to update too (RFC
/// 8446 §4.6.3), and s_client reads the page under the new key; other
/// paths, and TLS 1.2, get the page alone.
#[test]
fn openssl_s_client_reads_the_page_behind_our_key_update() {
    let (server, port) =
        ferrotls_server(&["--key-update-path", "/update", "--max-connections", "3"]);
    // `-msg` prints each handshake message s_client reads: the KeyUpdate
    // with request_update = update_requested (1).
    let key_update = "<<< TLS 1.3, Handshake [length 0005], KeyUpdate\n    18 00 00 01 01";
    let updated = s_client_to_p256(port, &["-tls1_3", "-msg"], b"GET /update HTTP/1.0\r\n\r\n");
    assert!(updated.contains(key_update), "{updated}");
    let page = updated.split(key_update).nth(1).unwrap_or_default();
    assert!(page.contains("HTTP/1.0 200 OK"), "{updated}");
    let other = s_client_to_p256(port, &["-tls1_3", "-msg"], b"GET / HTTP/1.0\r\n\r\n");
    assert!(other.contains("HTTP/1.0 200 OK"), "{other}");
    assert!(!other.contains("KeyUpdate"), "{other}");
    let tls12 = s_client_to_p256(port, &["-tls1_2"], b"GET /update HTTP/1.0\r\n\r\n");
    assert!(tls12.contains("HTTP/1.0 200 OK"), "{tls12}");
    let (status, log) = server.wait_exit();
    assert!(status.success(), "{log}");
}

#[test]
fn our_client_against_gnutls_serv_resumes() {
    let (server, port) = gnutls_server("p256", &[]);
    let out = client_ok(port, &["--connections", "2"]);
    let json = json_lines(&out);
    assert_eq!(json[0].get("resumed"), "false");
    assert_eq!(json[1].get("resumed"), "true");
    assert!(out.contains("HTTP/1.0 200 OK"), "{out}");
    let log = server
        .wait_until(|o| o.contains("resumed session"))
        .unwrap_or_else(|| server.output());
    assert_eq!(
        log.matches("*** This is a resumed session").count(),
        1,
        "{log}"
    );
    // gnutls-serv's session ID persists across the resumption, as ours
    // does on a server; our client's ID is the echoed legacy_session_id,
    // fresh each time and unrelated to the server's.
    let server_ids = gnutls_session_ids(&log);
    assert_eq!(server_ids.len(), 2, "{log}");
    assert_eq!(server_ids[0], server_ids[1]);
    let client_ids: Vec<&str> = json.iter().map(|j| j.get("session_id")).collect();
    assert_ne!(client_ids[0], client_ids[1]);
    assert!(client_ids
        .iter()
        .all(|id| id.len() == 64 && *id != server_ids[0]));
}

#[test]
fn rfc8446_4_2_10_our_server_without_early_data_skips_openssl_0rtt() {
    // A ticket that allows 0-RTT (issued with early data on), then a
    // restarted server with the same session directory and early data
    // off: the client's 0-RTT records are skipped and the 1-RTT handshake
    // completes (resumed, early data rejected) instead of failing with
    // bad_record_mac.
    let dir = Scratch::new("s-client-0rtt-off");
    let sess = &dir.file("sess.pem");
    let sessions = &dir.file("sessions");
    let early = &dir.file("early.txt");
    std::fs::write(early, vec![b'x'; 16384]).unwrap();
    let stateful = ["--session-dir", sessions, "--max-connections", "1"];
    let request = b"GET / HTTP/1.0\r\n\r\n";

    let mut with_early = stateful.to_vec();
    with_early.extend(["--early-data", "16384"]);
    let (server, port) = ferrotls_server(&with_early);
    let first = s_client_to_p256(port, &["-tls1_3", "-sess_out", sess], request);
    assert!(first.contains("New, TLSv1.3"), "{first}");
    assert!(server.wait_exit().0.success());

    let (server, port) = ferrotls_server(&stateful);
    let second = s_client_to_p256(
        port,
        &["-tls1_3", "-sess_in", sess, "-early_data", early],
        request,
    );
    assert!(second.contains("Early data was rejected"), "{second}");
    assert!(second.contains("Reused, TLSv1.3"), "{second}");
    assert!(second.contains("ferrotls server"), "{second}");
    let (status, log) = server.wait_exit();
    assert!(status.success(), "{log}");
    let json = json_lines(&log);
    assert_eq!(json.len(), 1, "{log}");
    assert_eq!(json[0].get("resumed"), "true");
    assert_eq!(json[0].get("early_data"), "rejected");
    assert_eq!(json[0].get("early_data_reason"), "disabled");
}

/// RFC 8446 §4.4.4: `ferrotls server --half-rtt` answers `s_client`'s
/// 0-RTT request in its first flight, as half-RTT data, and OpenSSL's
/// client reads the page with the handshake.
#[test]
fn openssl_s_client_reads_our_half_rtt_answer_to_its_early_data() {
    let json = s_client_0rtt_to_our_server(&["--early-data", "16384", "--half-rtt"]);
    assert_eq!(json[1].get("early_data"), "accepted");
}

#[test]
fn openssl_s_client_resumes_with_our_server_and_sends_early_data() {
    let dir = Scratch::new("s-client");
    let sess = &dir.file("sess.pem");
    let early = &dir.file("early.txt");
    std::fs::write(early, b"GET /early HTTP/1.0\r\n\r\n").unwrap();
    let (server, port) = ferrotls_server(&["--early-data", "16384", "--max-connections", "3"]);
    let request = b"GET / HTTP/1.0\r\n\r\n";
    let first = s_client_to_p256(port, &["-tls1_3", "-sess_out", sess], request);
    assert!(first.contains("New, TLSv1.3"), "{first}");
    assert!(first.contains("ferrotls server"), "{first}");

    // Our tickets are single use (the session cache makes them so), so
    // each resumption saves the ticket the next one uses.
    let sess2 = &dir.file("sess2.pem");
    let second = s_client_to_p256(
        port,
        &["-tls1_3", "-sess_in", sess, "-sess_out", sess2],
        request,
    );
    assert!(second.contains("Reused, TLSv1.3"), "{second}");
    assert!(second.contains("resumed: true"), "{second}");

    let third = s_client_to_p256(
        port,
        &["-tls1_3", "-sess_in", sess2, "-early_data", early],
        b"",
    );
    assert!(third.contains("Early data was accepted"), "{third}");
    assert!(third.contains("early_data: accepted"), "{third}");

    let (status, log) = server.wait_exit();
    assert!(status.success(), "{log}");
    let json = json_lines(&log);
    let resumed: Vec<&str> = json.iter().map(|j| j.get("resumed")).collect();
    assert_eq!(resumed, ["false", "true", "true"]);
    assert_eq!(json[2].get("early_data"), "accepted");
    let reasons: Vec<&str> = json.iter().map(|j| j.get("early_data_reason")).collect();
    assert_eq!(reasons, ["no_session_offered", "peer_declined", "accepted"]);
    // Design §3, server side: T persists through the resumptions and is
    // never on the wire, so OpenSSL never prints it.
    let t = json[0].get("session_id");
    assert_eq!(t.len(), 64);
    assert!(json.iter().all(|j| j.get("session_id") == t));
    let printed = [first, second, third]
        .iter()
        .flat_map(|o| openssl_session_ids(o))
        .collect::<Vec<_>>();
    assert!(!printed.is_empty());
    assert!(printed.iter().all(|id| id != t), "{printed:?}");
}

#[test]
fn gnutls_cli_resumes_with_our_server() {
    let (server, port) = ferrotls_server(&["--max-connections", "2"]);
    let out = gnutls_cli_to_p256(port, &["--resume"], b"GET / HTTP/1.0\r\n\r\n", PAGE);
    assert!(out.contains("*** This is a resumed session"), "{out}");
    let (_, log) = server.wait_exit();
    let json = json_lines(&log);
    assert_eq!(json.len(), 2, "{log}");
    assert_eq!(json[0].get("resumed"), "false");
    assert_eq!(json[1].get("resumed"), "true");
    // Design §3: our server's T is the same for both connections;
    // gnutls-cli's Session ID (gnutls_session_get_id on a client) is the
    // legacy_session_id our server echoed, never T.
    let t = json[0].get("session_id");
    assert_eq!(json[1].get("session_id"), t);
    // (gnutls-cli resends its first legacy_session_id when it resumes,
    // so both printed IDs may be equal; what matters is that T never
    // reaches the wire.)
    let client_ids = gnutls_session_ids(&out);
    assert_eq!(client_ids.len(), 2, "{out}");
    assert!(
        client_ids.iter().all(|id| id.len() == 64 && id != t),
        "{client_ids:?}"
    );
}

/// Whether two bytes are one of RFC 8701 §2's reserved values (`0x?A?A`).
fn is_grease(high: u8, low: u8) -> bool {
    high == low && high & 0x0F == 0x0A
}

/// The ClientHello `ferrotls client` sends with `extra` options, read
/// off a plain TCP listener that answers nothing.
fn sent_client_hello(extra: &[&str]) -> ferrotls::internal::msgs::hello::ClientHello {
    use ferrotls::internal::msgs::handshake::{DecodeContext, HandshakeMessage};
    use ferrotls::internal::msgs::key_exchange::KeyExchangeAlgorithm;
    let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let addr = listener.local_addr().unwrap().to_string();
    let mut args = vec![
        "client",
        &addr,
        "--servername",
        "leaf.p256.test",
        "--insecure",
    ];
    args.extend_from_slice(extra);
    let _client = Peer::spawn(ferrotls_bin(), &args);
    let (mut socket, _) = listener.accept().unwrap();
    let mut header = [0u8; 5];
    socket.read_exact(&mut header).unwrap();
    let mut message = vec![0u8; usize::from(u16::from_be_bytes([header[3], header[4]]))];
    socket.read_exact(&mut message).unwrap();
    let cx = DecodeContext {
        version: ferrotls::ProtocolVersion::TLSv1_3,
        key_exchange: KeyExchangeAlgorithm::Ecdhe,
        finished_len: 32,
    };
    match HandshakeMessage::decode_message(&message, &cx).unwrap() {
        HandshakeMessage::ClientHello(hello) => hello,
        other => panic!("not a ClientHello: {other:?}"),
    }
}

/// The first cipher suite of the ClientHello `ferrotls client` sends with
/// `extra` options.
fn first_offered_suite(extra: &[&str]) -> [u8; 2] {
    u16::from(sent_client_hello(extra).cipher_suites.as_slice()[0]).to_be_bytes()
}

/// The extension types, in order, of the ClientHello `ferrotls client`
/// sends with `extra` options.
fn sent_extension_types(extra: &[&str]) -> Vec<u16> {
    sent_client_hello(extra)
        .extensions()
        .iter()
        .map(|e| u16::from(e.ext_type()))
        .collect()
}

/// The last four bytes of each NewSessionTicket `openssl s_client -msg`
/// printed in `out`: an extension's type and empty body, when the last
/// extension is empty.
fn ticket_tails(out: &str) -> Vec<Vec<u8>> {
    let mut tails = Vec::new();
    let mut lines = out.lines().peekable();
    while let Some(line) = lines.next() {
        if !line.starts_with("<<<") || !line.ends_with("NewSessionTicket") {
            continue;
        }
        let mut bytes = Vec::new();
        while let Some(hex) = lines.next_if(|l| l.starts_with("    ")) {
            bytes.extend(
                hex.split_whitespace()
                    .map(|b| u8::from_str_radix(b, 16).unwrap()),
            );
        }
        tails.push(bytes[bytes.len().saturating_sub(4)..].to_vec());
    }
    tails
}

#[test]
fn openssl_and_gnutls_take_the_permuted_extensions_of_our_client() {
    // Chromium's ClientHello: GREASE and an order of its own in each
    // hello (--permute-extensions); TLS 1.3 and 1.2, full and resumed.
    // The tool's option does permute: two runs' orders differ, and
    // without it they are the same.
    assert_ne!(
        sent_extension_types(&["--permute-extensions"]),
        sent_extension_types(&["--permute-extensions"])
    );
    assert_eq!(sent_extension_types(&[]), sent_extension_types(&[]));
    let (_openssl, openssl_port) = openssl_server("p256", &[], &["-www"]);
    let (_gnutls, gnutls_port) = gnutls_server("p256", &[]);
    let chromium = ["--grease", "--permute-extensions"];
    for (peer, port) in [("openssl", openssl_port), ("gnutls", gnutls_port)] {
        for (version, name) in [("1.3", "TLSv1.3"), ("1.2", "TLSv1.2")] {
            let out = client_ok(
                port,
                &[
                    &chromium[..],
                    &["--max-version", version, "--connections", "3"],
                ]
                .concat(),
            );
            let json = json_lines(&out);
            assert_eq!(json.len(), 3, "{peer} {version}: {out}");
            assert!(
                json.iter().all(|j| j.get("version") == name),
                "{peer}: {out}"
            );
            let resumed: Vec<&str> = json.iter().map(|j| j.get("resumed")).collect();
            assert_eq!(
                resumed,
                ["false", "true", "true"],
                "{peer} {version}: {out}"
            );
        }
    }
    // Through a HelloRetryRequest on every connection (the X25519 share
    // alone), whose second ClientHello keeps the first one's order.
    let (_server, port) = openssl_server("p256", OPENSSL_TLS13, &["-www", "-groups", "P-384"]);
    let out = client_ok(
        port,
        &[
            &chromium[..],
            &["--groups", "x25519,P-384", "--key-shares", "x25519"],
            &["--connections", "2"],
        ]
        .concat(),
    );
    let json = json_lines(&out);
    assert_eq!(json.len(), 2, "{out}");
    assert!(json.iter().all(|j| j.get("group") == "secp384r1"), "{out}");
    assert_eq!(json[1].get("resumed"), "true", "{out}");
}

#[test]
fn rfc8701_openssl_and_gnutls_ignore_the_grease_of_our_client_and_server() {
    // Our client lists a GREASE suite, group, key share, version,
    // signature scheme and two extensions (its suites open with one, with
    // --grease only); both servers must ignore them, in TLS 1.3 and 1.2,
    // on a full handshake and on a resumption.
    let [high, low] = first_offered_suite(&["--grease"]);
    assert!(is_grease(high, low), "{high:02x}{low:02x}");
    let [high, low] = first_offered_suite(&[]);
    assert!(!is_grease(high, low), "{high:02x}{low:02x}");
    let (_openssl, openssl_port) = openssl_server("p256", &[], &["-www"]);
    let (_gnutls, gnutls_port) = gnutls_server("p256", &[]);
    for (peer, port) in [("openssl", openssl_port), ("gnutls", gnutls_port)] {
        for (version, name) in [("1.3", "TLSv1.3"), ("1.2", "TLSv1.2")] {
            let out = client_ok(
                port,
                &["--grease", "--max-version", version, "--connections", "2"],
            );
            let json = json_lines(&out);
            assert_eq!(json.len(), 2, "{peer} {version}: {out}");
            assert_eq!(json[0].get("version"), name, "{peer}: {out}");
            assert_eq!(json[1].get("resumed"), "true", "{peer} {version}: {out}");
        }
    }

    // Our server puts GREASE extensions in its tickets and its
    // CertificateRequest, and a GREASE scheme first in the request's
    // signature_algorithms; both clients must ignore them, answer the
    // request with their certificate and resume on the ticket.
    let dir = Scratch::new("grease");
    let (sess, cas) = (dir.file("sess.pem"), dir.file("cas.pem"));
    let (root, int) = (vector("p256-root.pem"), vector("p256-int.pem"));
    let bundle = [&root, &int].map(|f| std::fs::read_to_string(f).unwrap());
    std::fs::write(&cas, bundle.concat()).unwrap();
    let (leaf, key) = (vector("p256-leaf.pem"), vector("p256-leaf.key"));
    let (server, port) = ferrotls_server(&[
        "--grease",
        "--require-client-cert",
        &cas,
        "--max-connections",
        "4",
    ]);
    let request = b"GET / HTTP/1.0\r\n\r\n";
    let certificate = ["-cert", &leaf, "-key", &key, "-tls1_3"];
    let first = s_client_to_p256(
        port,
        &[&certificate[..], &["-sess_out", &sess, "-msg"]].concat(),
        request,
    );
    assert!(first.contains("New, TLSv1.3"), "{first}");
    // Its tickets end with an empty GREASE extension.
    let tails = ticket_tails(&first);
    assert!(!tails.is_empty(), "{first}");
    for tail in tails {
        assert!(
            is_grease(tail[0], tail[1]) && tail[2..] == [0, 0],
            "{tail:02x?}"
        );
    }
    let second = s_client_to_p256(
        port,
        &[&certificate[..], &["-sess_in", &sess]].concat(),
        request,
    );
    assert!(second.contains("Reused, TLSv1.3"), "{second}");
    let out = gnutls_cli_to_p256(
        port,
        &["--resume", "--x509certfile", &leaf, "--x509keyfile", &key],
        request,
        PAGE,
    );
    assert!(out.contains("*** This is a resumed session"), "{out}");
    let (status, log) = server.wait_exit();
    assert!(status.success(), "{log}");
    let json = json_lines(&log);
    assert_eq!(json.len(), 4, "{log}");
    // Each full handshake took the client's certificate; a resumption
    // keeps the session's.
    assert!(
        json.iter().all(|j| j.get("peer_certificates") != "0"),
        "{log}"
    );
    let resumed: Vec<&str> = json.iter().map(|j| j.get("resumed")).collect();
    assert_eq!(resumed, ["false", "true", "false", "true"], "{log}");
}

#[test]
fn our_server_prioritizing_chacha_gives_it_to_openssl_and_gnutls_clients_that_prefer_it() {
    // OpenSSL's SSL_OP_PRIORITIZE_CHACHA: a client whose first suite is
    // ChaCha20-Poly1305 gets it, though the server prefers AES-GCM.
    let request = b"GET / HTTP/1.0\r\n\r\n";
    for (prioritize, expected) in [(true, "CHACHA20"), (false, "AES_128_GCM")] {
        let mut options = vec!["--max-connections", "4"];
        if prioritize {
            options.push("--prioritize-chacha");
        }
        let (server, port) = ferrotls_server(&options);
        let tls13 = s_client_to_p256(
            port,
            &[
                "-tls1_3",
                "-ciphersuites",
                "TLS_CHACHA20_POLY1305_SHA256:TLS_AES_128_GCM_SHA256",
            ],
            request,
        );
        let tls12 = s_client_to_p256(
            port,
            &[
                "-tls1_2",
                "-cipher",
                "ECDHE-ECDSA-CHACHA20-POLY1305:ECDHE-ECDSA-AES128-GCM-SHA256",
            ],
            request,
        );
        assert!(tls13.contains("New, TLSv1.3"), "{tls13}");
        assert!(tls12.contains("New, TLSv1.2"), "{tls12}");
        let priority = "NORMAL:-CIPHER-ALL:+CHACHA20-POLY1305:+AES-128-GCM";
        for version in ["+VERS-TLS1.3", "+VERS-TLS1.2"] {
            let priority = format!("{priority}:-VERS-ALL:{version}");
            gnutls_cli_to_p256(port, &["--priority", &priority], request, PAGE);
        }
        let (status, log) = server.wait_exit();
        assert!(status.success(), "{log}");
        let json = json_lines(&log);
        let suites: Vec<&str> = json.iter().map(|j| j.get("cipher_suite")).collect();
        assert_eq!(suites.len(), 4, "{log}");
        assert!(
            suites.iter().all(|s| s.contains(expected)),
            "{prioritize}: {suites:?}"
        );
    }
}

#[test]
fn our_server_with_tiers_of_suites_takes_the_clients_order_within_the_better_tier() {
    // `--ciphers A,B/C`: AES-128-GCM and ChaCha20-Poly1305 equally good,
    // AES-256-GCM worse. Clients putting AES-256-GCM first, then
    // ChaCha20-Poly1305, get ChaCha20-Poly1305: their order within the
    // better tier, not AES-256-GCM of the worse one, nor our AES-128-GCM.
    let request = b"GET / HTTP/1.0\r\n\r\n";
    let tiers = "TLS_AES_128_GCM_SHA256,TLS_CHACHA20_POLY1305_SHA256/TLS_AES_256_GCM_SHA384";
    let (server, port) = ferrotls_server(&["--max-connections", "2", "--ciphers", tiers]);
    let openssl = s_client_to_p256(
        port,
        &[
            "-tls1_3",
            "-ciphersuites",
            "TLS_AES_256_GCM_SHA384:TLS_CHACHA20_POLY1305_SHA256:TLS_AES_128_GCM_SHA256",
        ],
        request,
    );
    assert!(
        openssl.contains("TLS_CHACHA20_POLY1305_SHA256"),
        "{openssl}"
    );
    let priority =
        "NORMAL:-CIPHER-ALL:+AES-256-GCM:+CHACHA20-POLY1305:+AES-128-GCM:-VERS-ALL:+VERS-TLS1.3";
    let gnutls = gnutls_cli_to_p256(port, &["--priority", priority], request, PAGE);
    assert!(gnutls.contains("(CHACHA20-POLY1305)"), "{gnutls}");
    let (status, log) = server.wait_exit();
    assert!(status.success(), "{log}");
    let json = json_lines(&log);
    let suites: Vec<&str> = json.iter().map(|j| j.get("cipher_suite")).collect();
    assert_eq!(suites, ["TLS_CHACHA20_POLY1305_SHA256"; 2], "{log}");
}

#[test]
fn rfc8446_4_2_8_our_client_predicts_the_group_of_openssl_and_gnutls_with_its_key_shares() {
    // Servers of P-256 alone: a share for it as well as X25519's saves the
    // HelloRetryRequest, named with --key-shares or with OpenSSL 3.5's
    // `*`; with no share at all, or X25519's alone (the default for these
    // groups), the server asks for one.
    let (_openssl, openssl_port) =
        openssl_server("p256", OPENSSL_TLS13, &["-www", "-groups", "P-256"]);
    let (_gnutls, gnutls_port) = gnutls_server(
        "p256",
        &["--priority", "NORMAL:-GROUP-ALL:+GROUP-SECP256R1"],
    );
    for (peer, port) in [("openssl", openssl_port), ("gnutls", gnutls_port)] {
        for (choice, hellos) in [
            (
                &["--groups", "x25519,P-256", "--key-shares", "x25519,P-256"][..],
                1,
            ),
            (&["--groups", "x25519,P-256", "--key-shares", ""], 2),
            (&["--groups", "*x25519:*P-256"], 1),
            (&["--groups", "x25519,P-256"], 2),
        ] {
            let mut args = vec!["--max-version", "1.3", "--trace"];
            args.extend_from_slice(choice);
            let out = client_ok(port, &args);
            assert_eq!(
                out.matches(">>> ClientHello").count(),
                hellos,
                "{peer} {choice:?}: {out}"
            );
            assert_eq!(
                json_lines(&out)[0].get("group"),
                "secp256r1",
                "{peer}: {out}"
            );
        }
    }
}
