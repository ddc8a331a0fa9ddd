//! The `ferrotls` binary itself: per-command `--help`,
//! `listening on` with the real port, `--json` reports of both roles,
//! `--echo`, failures that name the alert with a non-zero exit status,
//! version bounds, client authentication, and the demo's table; and
//! `--www` and `--echo` behaving like `openssl
//! s_server`, seen record by record by a library client; and s_client
//! habits: OpenSSL's spellings, `--showcerts`, `--trace`, `--json` with
//! the received data kept off stdout, `--timeout` for a silent server,
//! and a closed stdout.

mod common;
mod interop_support;

use interop_support::*;

use ferrotls::{ClientConnection, EarlyDataStatus, ProtocolVersion, StreamOwned};
use std::io::{BufRead, BufReader, ErrorKind, Read, Write};
use std::net::{TcpListener, TcpStream};
use std::process::{Command, Stdio};
use std::time::Duration;

fn code(status: std::process::ExitStatus) -> i32 {
    status.code().expect("exited normally")
}

#[test]
fn every_subcommand_has_a_help_listing_its_options() {
    for (command, options) in [
        (
            "server",
            &[
                "--cert",
                "--key",
                "--listen",
                "--www",
                "--echo",
                "--min-version",
                "--max-version",
                "--groups",
                "--tickets",
                "--no-session-cache",
                "--early-data",
                "--alpn",
                "--request-client-cert",
                "--require-client-cert",
                "--keylog",
                "--max-connections",
                "--json",
                "--session-redis",
                "--fleet-key-file",
                "--session-prefix",
                "--redis-timeout-ms",
                "--ticket-rotation",
                "--ticket-refresh",
            ][..],
        ),
        (
            "client",
            &[
                "--servername",
                "--cafile",
                "--insecure",
                "--min-version",
                "--max-version",
                "--ciphers",
                "--groups",
                "--connections",
                "--sess-out",
                "--sess-in",
                "--no-tickets",
                "--reverify-on-resume",
                "--early-data",
                "--alpn",
                "--cert",
                "--key",
                "--keylog",
                "--request",
                "--json",
                "--connect",
                "--timeout",
                "--out",
                "--showcerts",
                "--trace",
            ][..],
        ),
        ("demo", &[][..]),
        ("verify", &["--roots", "--chain"][..]),
    ] {
        let (status, out) = run(ferrotls_bin(), &[command, "--help"], b"");
        assert_eq!(code(status), 0, "{out}");
        assert!(
            out.starts_with(&format!("usage: ferrotls {command}")),
            "{out}"
        );
        let described = out.split("options:").nth(1).expect("an options section");
        let described = described
            .split("OpenSSL spellings")
            .next()
            .unwrap_or_default();
        for option in options {
            assert!(
                described.contains(&format!("  {option} ")),
                "{command} --help does not describe {option}:\n{out}"
            );
        }
    }
}

#[test]
fn bad_usage_exits_2() {
    let (status, out) = run(ferrotls_bin(), &["server", "--no-such-option"], b"");
    assert_eq!(code(status), 2, "{out}");
    assert!(out.contains("unknown option"), "{out}");
    let (status, _) = run(ferrotls_bin(), &["client"], b"");
    assert_eq!(code(status), 2);
    let (status, _) = run(ferrotls_bin(), &["no-such-command"], b"");
    assert_eq!(code(status), 2);
    // Each --cert needs its --key.
    let (chain, key) = (vector("p256-chain.pem"), vector("p256-leaf.key"));
    let args = [
        "server",
        "--cert",
        &chain,
        "--key",
        &key,
        "--cert",
        &chain,
        "--listen",
        "127.0.0.1:0",
    ];
    let (status, out) = run(ferrotls_bin(), &args, b"");
    assert_eq!(code(status), 2, "{out}");
    assert!(out.contains("2 --cert and 1 --key"), "{out}");
}

#[test]
fn fleet_options_that_do_not_fit_are_bad_usage_and_never_print_the_key() {
    let scratch = Scratch::new("cli-fleet-key");
    let short = scratch.file("short.key");
    std::fs::write(&short, "0123456789abcdef\n").unwrap();
    let good = scratch.file("good.key");
    std::fs::write(&good, format!("{}\n", "ab".repeat(32))).unwrap();
    let not_hex = scratch.file("not-hex.key");
    std::fs::write(&not_hex, "secret words that are not hex\n").unwrap();
    let cert = vector("p256-chain.pem");
    let key = vector("p256-leaf.key");
    // Port 1: the URL is never contacted, the options fail first.
    let url = "redis://127.0.0.1:1/0";
    for (options, expected) in [
        (
            &["--session-prefix", "p:"][..],
            "--session-prefix goes with --session-redis",
        ),
        (
            &["--session-redis", url][..],
            "--session-redis needs --fleet-key-file",
        ),
        (
            &["--session-redis", "http://x/", "--fleet-key-file", &good][..],
            "not a Redis URL",
        ),
        (
            &["--session-redis", url, "--fleet-key-file", &short][..],
            "8 bytes, a fleet key is 32",
        ),
        (
            &["--session-redis", url, "--fleet-key-file", &not_hex][..],
            "not hex digits",
        ),
        (
            &[
                "--session-redis",
                url,
                "--fleet-key-file",
                &scratch.file("none"),
            ][..],
            "cannot read",
        ),
        (
            &[
                "--session-redis",
                url,
                "--fleet-key-file",
                &good,
                "--session-dir",
                "d",
            ][..],
            "--session-redis excludes --session-dir",
        ),
    ] {
        let mut args = vec!["server", "--cert", &cert, "--key", &key];
        args.extend_from_slice(options);
        let (status, out) = run(ferrotls_bin(), &args, b"");
        assert_eq!(code(status), 2, "{options:?}: {out}");
        assert!(out.contains(expected), "{options:?}: {out}");
        for secret in ["0123456789abcdef", "secret words", "abababab"] {
            assert!(!out.contains(secret), "{options:?}: {out}");
        }
    }
}

#[test]
fn echo_server_and_client_report_one_json_line_each() {
    let (server, port) = ferrotls_server(&["--echo", "--max-connections", "1"]);
    assert_ne!(port, 0, "the real port is printed for :0");
    let (status, out) = ferrotls_client(port, &["--request", "ping over TLS\\n"]);
    assert_eq!(code(status), 0, "{out}");
    assert!(out.contains("ping over TLS\n"), "echo missing:\n{out}");
    let (status, log) = server.wait_exit();
    assert_eq!(code(status), 0, "{log}");
    let client = &json_lines(&out)[0];
    let server = &json_lines(&log)[0];
    assert_eq!(client.get("role"), "client");
    assert_eq!(server.get("role"), "server");
    for key in ["version", "cipher_suite", "group", "resumed"] {
        assert_eq!(client.get(key), server.get(key), "{key}");
    }
    assert_eq!(server.get("server_name"), "leaf.p256.test");
    assert_eq!(server.get("peer_certificates"), "0");
    // Design §3: the server's T never goes on the wire, so it is not
    // the ID the client saw.
    assert_ne!(client.get("session_id"), server.get("session_id"));
}

/// `--cert` and `--key` repeat: the server holds an RSA and a P-256
/// chain, and each client, naming one chain's host and trusting only
/// that chain's root, gets that chain (RFC 6066 §3).
#[test]
fn a_server_with_two_chains_gives_each_client_the_one_for_its_name() {
    let (server, port) = ferrotls_server_with(
        "rsa2048",
        &[
            "--cert",
            &vector("p256-chain.pem"),
            "--key",
            &vector("p256-leaf.key"),
            "--max-connections",
            "2",
        ],
    );
    for key_type in ["p256", "rsa2048"] {
        let (status, out) = ferrotls_client_trusting(
            port,
            &vector(&format!("{key_type}-root.pem")),
            &format!("leaf.{key_type}.test"),
            &[],
        );
        assert_eq!(code(status), 0, "{key_type}: {out}");
    }
    let (status, log) = server.wait_exit();
    assert_eq!(code(status), 0, "{log}");
}

#[test]
fn both_sides_report_a_hybrid_group_by_its_name() {
    let (server, port) = ferrotls_server(&[
        "--echo",
        "--max-connections",
        "1",
        "--groups",
        "X25519MLKEM768,x25519",
    ]);
    let (status, out) = ferrotls_client(
        port,
        &["--groups", "X25519MLKEM768,x25519", "--request", "pq\\n"],
    );
    assert_eq!(code(status), 0, "{out}");
    let (status, log) = server.wait_exit();
    assert_eq!(code(status), 0, "{log}");
    assert_eq!(json_lines(&out)[0].get("group"), "X25519MLKEM768");
    assert_eq!(json_lines(&log)[0].get("group"), "X25519MLKEM768");
}

#[test]
fn a_refused_certificate_names_the_alert_on_both_sides() {
    let (server, port) = ferrotls_server(&["--max-connections", "1"]);
    let addr = format!("127.0.0.1:{port}");
    let (status, out) = run(
        ferrotls_bin(),
        &[
            "client",
            &addr,
            "--servername",
            "other.test",
            "--cafile",
            &vector("p256-root.pem"),
        ],
        b"",
    );
    assert_eq!(code(status), 1, "{out}");
    assert!(out.contains("sent alert bad_certificate"), "{out}");
    let (status, log) = server.wait_exit();
    assert_eq!(code(status), 1, "{log}");
    assert!(log.contains("received alert bad_certificate"), "{log}");
}

/// Host names with underscores exist: `--servername` takes one, sends it
/// as SNI, and the server reports it; with the test root the certificate
/// (for leaf.p256.test) is then refused for the name, not the option.
#[test]
fn an_underscored_servername_is_sent_and_checked() {
    let (server, port) = ferrotls_server(&["--max-connections", "1"]);
    let addr = format!("127.0.0.1:{port}");
    let (status, out) = run_client(&[
        "client",
        &addr,
        "--servername",
        "foo_bar.p256.test",
        "--insecure",
        "--json",
    ]);
    assert_eq!(code(status), 0, "{out}");
    let (status, log) = server.wait_exit();
    assert_eq!(code(status), 0, "{log}");
    assert_eq!(json_lines(&log)[0].get("server_name"), "foo_bar.p256.test");

    let (server, port) = ferrotls_server(&["--max-connections", "1"]);
    let addr = format!("127.0.0.1:{port}");
    let (status, out) = run_client(&[
        "client",
        &addr,
        "--servername",
        "foo_bar.p256.test",
        "--cafile",
        &vector("p256-root.pem"),
    ]);
    assert_eq!(code(status), 1, "{out}");
    assert!(out.contains("name mismatch"), "{out}");
    server.wait_exit();
}

#[test]
fn alpn_without_overlap_is_no_application_protocol() {
    let (server, port) = ferrotls_server(&["--alpn", "h2", "--max-connections", "1"]);
    let (status, out) = ferrotls_client(port, &["--alpn", "http/1.1"]);
    assert_eq!(code(status), 1, "{out}");
    assert!(
        out.contains("received alert no_application_protocol"),
        "{out}"
    );
    let (_, log) = server.wait_exit();
    assert!(log.contains("sent alert no_application_protocol"), "{log}");
}

#[test]
fn alpn_overlap_is_reported_by_both_roles() {
    let (server, port) = ferrotls_server(&["--alpn", "h2,http/1.1", "--max-connections", "1"]);
    let (status, out) = ferrotls_client(port, &["--alpn", "http/1.1"]);
    assert_eq!(code(status), 0, "{out}");
    assert_eq!(json_lines(&out)[0].get("alpn"), "http/1.1");
    let (_, log) = server.wait_exit();
    assert_eq!(json_lines(&log)[0].get("alpn"), "http/1.1");
}

#[test]
fn versions_outside_the_server_range_are_protocol_version() {
    let (_server, port) = ferrotls_server(&["--min-version", "1.3", "--max-version", "1.3"]);
    let (status, out) = ferrotls_client(port, &["--max-version", "1.2"]);
    assert_eq!(code(status), 1, "{out}");
    assert!(out.contains("alert protocol_version"), "{out}");
}

#[test]
fn required_client_certificate() {
    let root = vector("p256-root.pem");
    let (server, port) =
        ferrotls_server(&["--require-client-cert", &root, "--max-connections", "2"]);
    let (status, out) = ferrotls_client(port, &[]);
    assert_eq!(code(status), 1, "{out}");
    assert!(out.contains("received alert certificate_required"), "{out}");
    let (cert, key) = (vector("p256-chain.pem"), vector("p256-leaf.key"));
    let (status, out) = ferrotls_client(port, &["--cert", &cert, "--key", &key]);
    assert_eq!(code(status), 0, "{out}");
    let (_, log) = server.wait_exit();
    let json = json_lines(&log);
    assert_eq!(json.len(), 1, "{log}");
    assert_eq!(json[0].get("peer_certificates"), "2");
}

#[test]
fn no_tickets_means_no_resumption() {
    let (_server, port) = ferrotls_server(&[]);
    let out = ferrotls_client(port, &["--connections", "2", "--no-tickets"]).1;
    let resumed: Vec<String> = json_lines(&out)
        .iter()
        .map(|j| j.get("resumed").to_owned())
        .collect();
    assert_eq!(resumed, ["false", "false"]);
    let (_server, port) = ferrotls_server(&["--tickets", "0"]);
    let out = ferrotls_client(port, &["--connections", "2"]).1;
    let resumed: Vec<String> = json_lines(&out)
        .iter()
        .map(|j| j.get("resumed").to_owned())
        .collect();
    assert_eq!(resumed, ["false", "false"]);
}

/// CBC suites come with feature `legacy`.
#[cfg(feature = "legacy")]
#[test]
fn tls12_cbc_without_tickets_resumes_by_session_id() {
    // `--tickets 0` turns RFC 5077 tickets off, leaving
    // resumption by session ID (design §3: S on both sides, both times).
    let cbc = "TLS_ECDHE_ECDSA_WITH_AES_128_CBC_SHA";
    let (server, port) = ferrotls_server(&[
        "--tickets",
        "0",
        "--max-version",
        "1.2",
        "--ciphers",
        cbc,
        "--max-connections",
        "2",
    ]);
    let out = ferrotls_client(
        port,
        &[
            "--connections",
            "2",
            "--max-version",
            "1.2",
            "--ciphers",
            cbc,
        ],
    )
    .1;
    let client = json_lines(&out);
    let (_, server_out) = server.wait_exit();
    let server = json_lines(&server_out);
    assert_eq!(client.len(), 2, "{out}");
    assert_eq!(server.len(), 2, "{server_out}");
    for (i, resumed) in ["false", "true"].iter().enumerate() {
        for side in [&client[i], &server[i]] {
            assert_eq!(side.get("version"), "TLSv1.2");
            assert_eq!(side.get("cipher_suite"), cbc);
            assert_eq!(side.get("resumed"), *resumed);
            assert_eq!(side.get("session_id").len(), 64);
            assert_eq!(side.get("session_id"), client[0].get("session_id"));
        }
    }
}

#[test]
fn no_session_cache_means_no_tls12_resumption_by_session_id() {
    // `--no-session-cache` keeps no server-side session state: with
    // tickets off too, a TLS 1.2 client offering its session ID gets a
    // full handshake (and a fresh ID) every time.
    let (server, port) = ferrotls_server(&[
        "--no-session-cache",
        "--tickets",
        "0",
        "--max-version",
        "1.2",
        "--max-connections",
        "2",
    ]);
    let out = ferrotls_client(port, &["--connections", "2", "--max-version", "1.2"]).1;
    let (_, server_out) = server.wait_exit();
    let server = json_lines(&server_out);
    assert_eq!(server.len(), 2, "{server_out}");
    let client = json_lines(&out);
    assert_eq!(client.len(), 2, "{out}");
    for side in [&client, &server] {
        assert_eq!(side[0].get("resumed"), "false");
        assert_eq!(side[1].get("resumed"), "false");
        assert_ne!(side[0].get("session_id"), side[1].get("session_id"));
    }
}

#[test]
fn demo_shows_a_full_and_a_resumed_row_per_working_version() {
    let (status, out) = run(ferrotls_bin(), &["demo"], b"");
    assert_eq!(code(status), 0, "{out}");
    // TLS 1.0 and 1.1 rows only with --all-versions (tests/tls10_cli.rs).
    for version in ["TLSv1.2 ", "TLSv1.3 "] {
        assert!(
            out.lines().any(|l| l.starts_with(version)),
            "no row for {version}:\n{out}"
        );
    }
    let rows: Vec<Vec<&str>> = out
        .lines()
        .filter(|l| l.starts_with("TLSv1.3 "))
        .map(|l| l.split_whitespace().collect())
        .collect();
    assert_eq!(rows.len(), 2, "{out}");
    assert_eq!(rows[0][3], "no");
    assert_eq!(rows[1][3], "yes");
    // Design §3: the server's ID persists, the client's is fresh.
    assert_eq!(rows[0][5], rows[1][5]);
    assert_ne!(rows[0][4], rows[1][4]);
    assert_eq!(rows[0][5].len(), 64);
}

/// Connects a library client (P-256 root, only `version`) to
/// `ferrotls server` on `port` and completes the handshake.
fn connect(port: u16, version: ProtocolVersion) -> StreamOwned<ClientConnection, TcpStream> {
    let config = common::client_builder("p256")
        .versions(&[version])
        .build()
        .expect("client configuration");
    let conn = ClientConnection::new(config, common::server_name("p256")).expect("connection");
    let sock = TcpStream::connect(("127.0.0.1", port)).expect("connect");
    sock.set_read_timeout(Some(WAIT)).expect("read timeout");
    let mut tls = StreamOwned::new(conn, sock);
    tls.complete_handshake().expect("handshake");
    tls
}

/// What the server sent after the handshake, record by record: the
/// plaintext of each record that carried application data, and whether
/// it ended with close_notify.
struct Answer {
    pieces: Vec<Vec<u8>>,
    close_notify: bool,
}

/// After a handshake in `version`, sends `request` (then close_notify when
/// `close`), reads everything the server sends until it closes the
/// transport, and opens it one record at a time.
fn answer_to(port: u16, version: ProtocolVersion, request: &[u8], close: bool) -> Answer {
    let (mut conn, mut sock) = connect(port, version).into_parts();
    conn.writer().write_all(request).expect("request");
    if close {
        conn.send_close_notify();
    }
    while conn.wants_write() {
        conn.write_tls(&mut sock).expect("send");
    }
    let mut bytes = Vec::new();
    sock.read_to_end(&mut bytes)
        .expect("read to the server's close");
    let mut pieces = Vec::new();
    for record in common::records(&bytes) {
        // A record larger than the receive buffer goes in several reads.
        let mut rest = record.as_slice();
        while !rest.is_empty() {
            conn.read_tls(&mut rest).expect("read_tls");
            conn.process_new_packets().expect("server records open");
        }
        let mut plaintext = Vec::new();
        match conn.reader().read_to_end(&mut plaintext) {
            Err(e) if e.kind() == ErrorKind::WouldBlock => {}
            other => {
                other.expect("plaintext");
            }
        }
        if !plaintext.is_empty() {
            pieces.push(plaintext);
        }
    }
    let close_notify = matches!(conn.reader().read(&mut [0u8; 1]), Ok(0));
    Answer {
        pieces,
        close_notify,
    }
}

/// Asserts that `answer` is the whole `--www` page in one record, then
/// close_notify.
fn assert_one_page(answer: &Answer, version: &str) {
    assert_eq!(
        answer.pieces.len(),
        1,
        "one record of page: {:?}",
        answer.pieces
    );
    let page = String::from_utf8_lossy(&answer.pieces[0]);
    assert!(page.starts_with("HTTP/1.0 200 OK\r\n"), "{page}");
    assert!(page.contains(&format!("version: {version}\n")), "{page}");
    assert!(page.contains("\npeer_certificates: 0\n"), "{page}");
    // The page ends with the report's last line: all of it came.
    let last = page.strip_suffix('\n').and_then(|p| p.rsplit('\n').next());
    assert!(
        matches!(
            last,
            Some("extended_master_secret: true" | "extended_master_secret: false")
        ),
        "{page}"
    );
    assert!(answer.close_notify, "the page ends with close_notify");
}

#[test]
fn www_answers_a_request_line_ending_in_lf_at_once_in_one_record() {
    let (server, port) = ferrotls_server(&["--www", "--max-connections", "2"]);
    for (version, name) in [
        (ProtocolVersion::TLSv1_3, "TLSv1.3"),
        (ProtocolVersion::TLSv1_2, "TLSv1.2"),
    ] {
        // No blank line follows: the request line alone is answered.
        let answer = answer_to(port, version, b"GET / HTTP/1.0\n", false);
        assert_one_page(&answer, name);
    }
    let (status, log) = server.wait_exit();
    assert_eq!(code(status), 0, "{log}");
}

#[test]
fn www_reads_the_socket_dry_so_a_client_still_sending_gets_the_whole_answer() {
    // The request line comes with 60 KB more that the server never reads
    // as a request. Closing the socket with those bytes unread would
    // reset the connection and could destroy the page and close_notify
    // before the client reads them; like s_server, the server half-closes
    // and reads the socket dry first.
    let (server, port) = ferrotls_server(&["--www", "--max-connections", "2"]);
    let mut request = b"GET / HTTP/1.0\n".to_vec();
    request.extend(std::iter::repeat_n(b'x', 60_000));
    for (version, name) in [
        (ProtocolVersion::TLSv1_3, "TLSv1.3"),
        (ProtocolVersion::TLSv1_2, "TLSv1.2"),
    ] {
        let answer = answer_to(port, version, &request, false);
        assert_one_page(&answer, name);
    }
    let (status, log) = server.wait_exit();
    assert_eq!(code(status), 0, "{log}");
}

#[test]
fn a_client_still_sending_a_refused_message_reads_the_alert_not_a_reset() {
    // A ClientHello announcing 2 MiB is refused from its header
    // (decode_error); the client goes on sending 8 MiB, more than socket
    // buffers hold, before it reads. The server reads the socket dry
    // behind its alert, so the writes complete and the alert arrives;
    // closing with bytes unread would reset the connection instead.
    let (server, port) = ferrotls_server(&["--max-connections", "1"]);
    let mut sock = TcpStream::connect(("127.0.0.1", port)).expect("connect");
    sock.set_read_timeout(Some(WAIT)).expect("read timeout");
    sock.set_write_timeout(Some(WAIT)).expect("write timeout");
    sock.write_all(&[22, 3, 1, 0, 4, 1, 0x20, 0, 0])
        .expect("ClientHello header");
    let rest = vec![0u8; 8 << 20];
    sock.write_all(&rest)
        .expect("the server reads what follows the refused header");
    sock.shutdown(std::net::Shutdown::Write)
        .expect("half-close");
    let mut answer = Vec::new();
    sock.read_to_end(&mut answer)
        .expect("the alert, then the close");
    // One plaintext fatal decode_error alert (RFC 8446 §6).
    assert_eq!(answer, [21, 3, 3, 0, 2, 2, 50]);
    let (status, log) = server.wait_exit();
    assert_eq!(code(status), 1, "{log}");
}

#[test]
fn www_answers_a_request_line_ending_in_crlf_at_once_in_one_record() {
    let (server, port) = ferrotls_server(&["--www", "--max-connections", "2"]);
    for (version, name) in [
        (ProtocolVersion::TLSv1_3, "TLSv1.3"),
        (ProtocolVersion::TLSv1_2, "TLSv1.2"),
    ] {
        let answer = answer_to(port, version, b"GET / HTTP/1.0\r\n", false);
        assert_one_page(&answer, name);
    }
    let (status, log) = server.wait_exit();
    assert_eq!(code(status), 0, "{log}");
}

#[test]
fn www_answers_a_close_without_request_with_close_notify_alone() {
    let (server, port) = ferrotls_server(&["--www", "--max-connections", "2"]);
    for version in [ProtocolVersion::TLSv1_3, ProtocolVersion::TLSv1_2] {
        let answer = answer_to(port, version, b"", true);
        assert!(answer.pieces.is_empty(), "{:?}", answer.pieces);
        assert!(answer.close_notify, "close_notify answers close_notify");
    }
    let (status, log) = server.wait_exit();
    assert_eq!(code(status), 0, "{log}");
    assert!(!log.contains("ferrotls server:"), "{log}");
}

/// A TLS 1.2 client that sends its request and its close_notify at once
/// has left: nothing but our close_notify may follow its (RFC 5246
/// §7.2.1), so no page goes out, and that is no failure of the server's
/// (a Botan client does this at the end of its input).
#[test]
fn www_a_tls12_request_followed_by_close_notify_gets_close_notify_and_is_no_failure() {
    let (server, port) = ferrotls_server(&["--www", "--max-connections", "1"]);
    let answer = answer_to(port, ProtocolVersion::TLSv1_2, b"GET / HTTP/1.0\r\n", true);
    assert!(answer.pieces.is_empty(), "{:?}", answer.pieces);
    assert!(answer.close_notify, "close_notify answers close_notify");
    let (status, log) = server.wait_exit();
    assert_eq!(code(status), 0, "{log}");
    assert!(!log.contains("ferrotls server:"), "{log}");
}

#[test]
fn echo_sends_back_each_read_before_the_next_arrives() {
    let (server, port) = ferrotls_server(&["--echo", "--max-connections", "1"]);
    let mut tls = connect(port, ProtocolVersion::TLSv1_3);
    for piece in [&b"one"[..], b"two, without newline", b"three\n"] {
        tls.write_all(piece).expect("send");
        let mut back = vec![0; piece.len()];
        tls.read_exact(&mut back).expect("echo");
        assert_eq!(back, piece);
    }
    tls.conn.send_close_notify();
    tls.flush().expect("close_notify");
    let mut rest = Vec::new();
    assert_eq!(tls.read_to_end(&mut rest).expect("clean close"), 0);
    let (status, log) = server.wait_exit();
    assert_eq!(code(status), 0, "{log}");
}

/// A record that arrives whole is echoed as one record, up to a full
/// record's 2^14 bytes of plaintext (RFC 8446 §5.1), as `openssl s_server`
/// echoes: the echo is as long as what was sent, not cut into smaller
/// reads.
#[test]
fn echo_sends_a_whole_record_back_as_one_record() {
    let (server, port) = ferrotls_server(&["--echo", "--max-connections", "1"]);
    // TLS 1.3, whose half-close lets the echo follow our close_notify
    // (RFC 8446 §6.1).
    let record: Vec<u8> = (0..1 << 14).map(|i| (i % 251) as u8).collect();
    let answer = answer_to(port, ProtocolVersion::TLSv1_3, &record, true);
    let lengths: Vec<usize> = answer.pieces.iter().map(Vec::len).collect();
    assert_eq!(lengths, [record.len()]);
    assert!(answer.pieces[0] == record, "the echo differs");
    assert!(answer.close_notify);
    let (status, log) = server.wait_exit();
    assert_eq!(code(status), 0, "{log}");
}

#[test]
fn a_client_leaving_after_its_handshake_is_not_a_failure() {
    for mode in ["--www", "--echo"] {
        let (server, port) = ferrotls_server(&[mode, "--max-connections", "4"]);
        for version in [ProtocolVersion::TLSv1_3, ProtocolVersion::TLSv1_2] {
            // Without close_notify: the transport just ends.
            drop(connect(port, version));
            // With close_notify, not waiting for the answer.
            let mut tls = connect(port, version);
            tls.conn.send_close_notify();
            tls.flush().expect("close_notify");
        }
        let (status, log) = server.wait_exit();
        assert_eq!(code(status), 0, "{mode}: {log}");
        assert!(!log.contains("ferrotls server:"), "{mode}: {log}");
        assert_eq!(json_lines(&log).len(), 4, "{mode}: {log}");
    }
}

/// Runs `ferrotls client` against 127.0.0.1:`port` trusting the P-256
/// test root, with `extra` options; returns the exit status, stdout and
/// stderr, apart.
fn client_apart(port: u16, extra: &[&str]) -> (i32, String, String) {
    let output = Command::new(ferrotls_bin())
        .args([
            "client",
            &format!("127.0.0.1:{port}"),
            "--servername",
            "leaf.p256.test",
            "--cafile",
            &vector("p256-root.pem"),
        ])
        .args(extra)
        .stdin(Stdio::null())
        .output()
        .expect("run ferrotls client");
    (
        code(output.status),
        String::from_utf8_lossy(&output.stdout).into_owned(),
        String::from_utf8_lossy(&output.stderr).into_owned(),
    )
}

#[test]
fn help_lists_the_openssl_spellings_each_command_takes() {
    let (_, client) = run(ferrotls_bin(), &["client", "--help"], b"");
    let spellings = client.split("OpenSSL spellings").nth(1).expect("a section");
    for alias in [
        "-connect",
        "-servername",
        "-CAfile",
        "-cert",
        "-key",
        "-alpn",
        "-tls1_2",
        "-tls1_3",
        "-reconnect",
        "-sess_out",
        "-sess_in",
        "-showcerts",
        "-msg",
        "-quiet",
    ] {
        assert!(
            spellings.contains(&format!("\n  {alias} ")),
            "client --help lacks {alias}:\n{client}"
        );
    }
    let (_, server) = run(ferrotls_bin(), &["server", "--help"], b"");
    let spellings = server.split("OpenSSL spellings").nth(1).expect("a section");
    assert!(spellings.contains("\n  -cert "), "{server}");
    assert!(!spellings.contains("-connect"), "{server}");
}

#[test]
fn openssl_spellings_connect_pin_the_version_and_resume() {
    let dir = Scratch::new("cli-aliases");
    let sess = dir.file("s.bin");
    let root = vector("p256-root.pem");
    let (cert, key) = (vector("p256-chain.pem"), vector("p256-leaf.key"));
    let (server, port) = ferrotls_server(&[
        "--alpn",
        "h2,http/1.1",
        "--request-client-cert",
        &root,
        "--max-connections",
        "9",
    ]);
    let addr = format!("127.0.0.1:{port}");
    let client = |extra: &[&str]| {
        let mut args = vec![
            "client",
            "-connect",
            &addr,
            "-servername",
            "leaf.p256.test",
            "-CAfile",
            &root,
            "-quiet",
            "--json",
        ];
        args.extend_from_slice(extra);
        let (status, out) = run(ferrotls_bin(), &args, b"");
        assert_eq!(code(status), 0, "{out}");
        json_lines(&out)
    };
    let first = client(&[
        "-tls1_2",
        "-alpn",
        "http/1.1",
        "-cert",
        &cert,
        "-key",
        &key,
        "-sess_out",
        &sess,
    ]);
    assert_eq!(first[0].get("version"), "TLSv1.2");
    assert_eq!(first[0].get("alpn"), "http/1.1");
    let second = client(&["-tls1_2", "-sess_in", &sess]);
    assert_eq!(second[0].get("resumed"), "true");
    // -reconnect: one full handshake, then five resumed ones (s_client's).
    let resumed: Vec<String> = client(&["-tls1_3"])
        .iter()
        .chain(&client(&["-tls1_3", "-reconnect"]))
        .map(|j| format!("{} {}", j.get("version"), j.get("resumed")))
        .collect();
    assert_eq!(
        resumed,
        [
            "TLSv1.3 false",
            "TLSv1.3 false",
            "TLSv1.3 true",
            "TLSv1.3 true",
            "TLSv1.3 true",
            "TLSv1.3 true",
            "TLSv1.3 true"
        ]
    );
    let (_, log) = server.wait_exit();
    // The client certificate went with -cert/-key.
    assert_eq!(json_lines(&log)[0].get("peer_certificates"), "2", "{log}");
    // An alias counts as the options it stands for.
    let (status, out) = run(
        ferrotls_bin(),
        &["client", &addr, "-tls1_3", "--max-version", "1.2"],
        b"",
    );
    assert_eq!(code(status), 2, "{out}");
}

#[test]
fn json_keeps_the_received_data_off_stdout() {
    let dir = Scratch::new("cli-out");
    let received = dir.file("received");
    let (_server, port) = ferrotls_server(&["--echo"]);
    let (status, stdout, stderr) = client_apart(port, &["--json", "--request", "ping\\n"]);
    assert_eq!(status, 0, "{stderr}");
    assert_eq!(stdout.lines().count(), 1, "{stdout}");
    assert!(stdout.starts_with("{\"role\":\"client\""), "{stdout}");
    let (status, stdout, stderr) = client_apart(
        port,
        &["--json", "--request", "pong\\n", "--out", &received],
    );
    assert_eq!(status, 0, "{stderr}");
    assert_eq!(stdout.lines().count(), 1, "{stdout}");
    assert_eq!(std::fs::read_to_string(&received).unwrap(), "pong\n");
    // Without --json the data goes to stdout as before.
    let (status, stdout, _) = client_apart(port, &["--request", "plain\\n"]);
    assert_eq!(status, 0);
    assert_eq!(stdout, "plain\n");
}

#[test]
fn showcerts_prints_the_servers_chain_as_pem() {
    let chain = std::fs::read_to_string(vector("p256-chain.pem")).unwrap();
    let (_server, port) = ferrotls_server(&["--echo"]);
    let (status, stdout, stderr) = client_apart(port, &["-showcerts", "--request", "x\\n"]);
    assert_eq!(status, 0, "{stderr}");
    assert_eq!(stdout, format!("{chain}x\n"));
    // With --json, on stderr.
    let (status, stdout, stderr) = client_apart(port, &["--showcerts", "--json"]);
    assert_eq!(status, 0, "{stderr}");
    assert_eq!(stdout.lines().count(), 1, "{stdout}");
    assert_eq!(stderr, chain);
}

#[test]
fn showcerts_prints_a_raw_public_key_as_a_public_key_block() {
    // What `openssl pkey -pubout` writes for the server's key.
    let (status, public_key) = run(
        "openssl",
        &["pkey", "-in", &vector("p256-leaf.key"), "-pubout"],
        b"",
    );
    assert!(status.success(), "{public_key}");
    let scratch = Scratch::new("showcerts-rawpk");
    let pin = scratch.file("server.pub.pem");
    std::fs::write(&pin, &public_key).unwrap();
    let (_server, port) = ferrotls_server(&["--echo", "--rawpk"]);
    // RFC 7250: the key alone, so a PUBLIC KEY block (RFC 7468 §13).
    assert_eq!(pinning_showcerts(port, &pin), format!("{public_key}x\n"));
}

/// What `ferrotls client --pin-spki PIN --showcerts` prints of the
/// server on `port`, which echoes its request, once the client succeeded.
fn pinning_showcerts(port: u16, pin: &str) -> String {
    let addr = format!("127.0.0.1:{port}");
    let output = Command::new(ferrotls_bin())
        .args(["client", &addr, "--pin-spki", pin, "--showcerts"])
        .args(["--request", "x\\n"])
        .stdin(Stdio::null())
        .output()
        .expect("run ferrotls client");
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(output.status.success(), "{stderr}");
    String::from_utf8_lossy(&output.stdout).into_owned()
}

/// DER files where PEM ones go (OpenSSL's `SSL_FILETYPE_ASN1`): the
/// server serves its leaf and SEC1 key from DER files (one certificate,
/// so no intermediate goes out), and the client pins the leaf's key from
/// its DER SubjectPublicKeyInfo, which accepts it.
#[test]
fn der_certificate_key_and_pin_files_serve_and_pin() {
    let (_server, port) = ferrotls_server_serving(
        &vector("p256-leaf.der"),
        &vector("p256-leaf.sec1.der"),
        &["--echo"],
    );
    let leaf = std::fs::read_to_string(vector("p256-leaf.pem")).unwrap();
    let shown = pinning_showcerts(port, &vector("p256-leaf.spki.der"));
    assert_eq!(shown, format!("{leaf}x\n"));
}

#[test]
fn trace_prints_each_handshake_message_with_its_direction() {
    let (_server, port) = ferrotls_server(&["--echo"]);
    let (status, stdout, stderr) = client_apart(port, &["-msg", "--request", "x\\n"]);
    assert_eq!(status, 0, "{stderr}");
    // Both sides offer certificate compression (RFC 8879) by default:
    // the server's chain comes as a CompressedCertificate.
    assert_eq!(
        stdout,
        ">>> ClientHello\n<<< ServerHello\n<<< EncryptedExtensions\n<<< CompressedCertificate\n\
         <<< CertificateVerify\n<<< Finished\n>>> Finished\n<<< NewSessionTicket\n\
         <<< NewSessionTicket\nx\n"
    );
    let (status, stdout, stderr) = client_apart(port, &["--trace", "--json", "-tls1_2"]);
    assert_eq!(status, 0, "{stderr}");
    assert_eq!(stdout.lines().count(), 1, "{stdout}");
    let trace: Vec<&str> = stderr.lines().collect();
    assert_eq!(
        trace.first().zip(trace.last()),
        Some((&">>> ClientHello", &"<<< Finished")),
        "{stderr}"
    );
    assert!(trace.contains(&"<<< ServerKeyExchange"), "{stderr}");
}

#[test]
fn a_server_that_never_answers_is_a_failure_within_the_timeout() {
    // Accepts the connection, reads nothing, sends nothing.
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    let port = listener.local_addr().unwrap().port();
    let (status, _, stderr) = client_apart(port, &["--timeout", "1"]);
    assert_eq!(status, 1, "{stderr}");
    assert!(
        stderr.contains("did not finish the handshake within 1 s"),
        "{stderr}"
    );
    drop(listener);
    // s_server without -www completes the handshake, then answers
    // nothing until told on its stdin (held open here).
    let (_server, port) = openssl_server("p256", &["-tls1_3"], &[]);
    let (status, stdout, stderr) = client_apart(port, &["--timeout", "1", "--json"]);
    assert_eq!(status, 1, "{stderr}");
    assert!(stderr.contains("sent no answer within 1 s"), "{stderr}");
    assert_eq!(
        json_lines(&stdout).len(),
        1,
        "the handshake completed: {stdout}"
    );
}

/// `ferrotls ARGS` with its stdout closed on our side (no reader is left)
/// and its stderr piped.
fn spawn_with_stdout_closed(args: &[&str]) -> std::process::Child {
    let mut child = Command::new(ferrotls_bin())
        .args(args)
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    drop(child.stdout.take());
    child
}

#[test]
fn a_closed_stdout_ends_client_and_server_quietly() {
    let (server, port) = ferrotls_server(&["--echo"]);
    // The reader of the client's stdout is gone before it prints.
    let mut child = spawn_with_stdout_closed(&[
        "client",
        &format!("127.0.0.1:{port}"),
        "--servername",
        "leaf.p256.test",
        "--cafile",
        &vector("p256-root.pem"),
        "--json",
        "--connections",
        "3",
    ]);
    let mut stderr = String::new();
    child
        .stderr
        .take()
        .unwrap()
        .read_to_string(&mut stderr)
        .unwrap();
    assert_eq!(code(child.wait().unwrap()), 0, "{stderr}");
    assert_eq!(stderr, "");
    // It stopped at the first line it could not print: one handshake.
    let log = server
        .wait_until(|o| !json_lines(o).is_empty())
        .expect("the server reports the handshake");
    assert_eq!(json_lines(&log).len(), 1, "{log}");

    // The server, its stdout closed, ends at its first --json line.
    let mut server = spawn_with_stdout_closed(&[
        "server",
        "--cert",
        &vector("p256-chain.pem"),
        "--key",
        &vector("p256-leaf.key"),
        "--listen",
        "127.0.0.1:0",
        "--json",
    ]);
    let mut lines = BufReader::new(server.stderr.take().unwrap()).lines();
    let listening = lines.next().unwrap().unwrap();
    let port: u16 = listening.rsplit(':').next().unwrap().parse().unwrap();
    let _ = client_apart(port, &[]);
    let start = std::time::Instant::now();
    let status = loop {
        if let Some(status) = server.try_wait().unwrap() {
            break status;
        }
        if start.elapsed() > WAIT {
            let _ = server.kill();
            let _ = server.wait();
            panic!("the server kept running with its stdout closed");
        }
        std::thread::sleep(std::time::Duration::from_millis(10));
    };
    let rest: Vec<String> = lines.map_while(Result::ok).collect();
    assert_eq!(code(status), 0, "{rest:?}");
    assert!(rest.is_empty(), "{rest:?}");
}

/// How long the client of [`page_before_client_finished`] waits for the
/// page before it sends its Finished anyway.
const PAGE_WAIT: Duration = Duration::from_secs(2);

/// `ferrotls server --www --early-data` with `extra` options: a first
/// connection leaves a ticket allowing 0-RTT, then a resumption sends
/// `GET path` as 0-RTT data and holds its Finished back until the page
/// is in, or for [`PAGE_WAIT`]. Returns what it read before its Finished
/// went, then whether the whole page came in the end.
fn page_before_client_finished(path: &str, extra: &[&str]) -> (Vec<u8>, bool) {
    let request = format!("GET {path} HTTP/1.0\r\n\r\n");
    let request = request.as_bytes();
    let mut args = vec!["--www", "--early-data", "16384", "--max-connections", "2"];
    args.extend_from_slice(extra);
    let (server, port) = ferrotls_server(&args);
    let config = common::client_builder("p256")
        .enable_early_data(true)
        .build()
        .expect("client configuration");
    let name = common::server_name("p256");
    let first = ClientConnection::new(config.clone(), name.clone()).expect("connection");
    let sock = TcpStream::connect(("127.0.0.1", port)).expect("connect");
    sock.set_read_timeout(Some(WAIT)).expect("read timeout");
    let mut tls = StreamOwned::new(first, sock);
    tls.write_all(request).expect("request");
    let mut page = Vec::new();
    tls.read_to_end(&mut page).expect("first page");
    let mut conn = ClientConnection::new(config, name).expect("connection");
    assert_eq!(
        conn.write_early_data(request).expect("0-RTT"),
        request.len()
    );
    let mut sock = TcpStream::connect(("127.0.0.1", port)).expect("connect");
    sock.set_read_timeout(Some(PAGE_WAIT))
        .expect("read timeout");
    while conn.wants_write() {
        conn.write_tls(&mut sock)
            .expect("ClientHello and 0-RTT data");
    }
    let mut early = Vec::new();
    let mut buf = [0u8; 4096];
    while !early.ends_with(b"extended_master_secret: true\n")
        && conn.read_tls(&mut sock).unwrap_or(0) > 0
    {
        conn.process_new_packets().expect("server flight");
        while let Ok(n @ 1..) = conn.reader().read(&mut buf) {
            early.extend_from_slice(&buf[..n]);
        }
    }
    sock.set_read_timeout(Some(WAIT)).expect("read timeout");
    let mut tls = StreamOwned::new(conn, sock);
    let mut rest = Vec::new();
    tls.read_to_end(&mut rest).expect("the rest");
    assert_eq!(tls.conn.early_data_status(), EarlyDataStatus::Accepted);
    let all = [early.as_slice(), &rest].concat();
    let whole =
        all.starts_with(b"HTTP/1.0 200 OK") && all.ends_with(b"extended_master_secret: true\n");
    let (status, log) = server.wait_exit();
    assert_eq!(code(status), 0, "{log}");
    (early, whole)
}

/// RFC 8446 §4.4.4: `--half-rtt` answers a request sent as 0-RTT data in
/// the server's first flight, before the client's Finished; without it
/// the page waits for that Finished. Either way the whole page comes.
#[test]
fn half_rtt_answers_a_0rtt_request_before_the_client_finished() {
    let (early, whole) = page_before_client_finished("/", &["--half-rtt"]);
    assert!(early.starts_with(b"HTTP/1.0 200 OK"), "{early:?}");
    assert!(whole);
    let (early, whole) = page_before_client_finished("/", &[]);
    assert!(early.is_empty(), "{early:?}");
    assert!(whole);
}

/// A 0-RTT request for `--key-update-path` under `--half-rtt` waits for
/// the client's Finished: a KeyUpdate is a post-handshake message (RFC
/// 8446 §4.6.3). The page then comes, behind it, and the server counts
/// no failure.
#[test]
fn half_rtt_answers_a_key_update_request_only_after_the_client_finished() {
    let (early, whole) =
        page_before_client_finished("/ku", &["--half-rtt", "--key-update-path", "/ku"]);
    assert!(early.is_empty(), "{early:?}");
    assert!(whole);
}

/// `ferrotls server --ocsp FILE` staples what FILE holds when a
/// connection starts, looking at it at most once a second: nothing while
/// it is missing, the response once one is written there, and nothing
/// again once it holds no OCSP response, all without a restart; the
/// server goes on serving its certificate throughout.
#[test]
fn the_server_staples_its_ocsp_file_as_it_changes() {
    let scratch = Scratch::new("cli-ocsp-file");
    let file = scratch.file("staple.der");
    let (_server, port) = ferrotls_server_serving(
        &vector("stapling/good-chain.pem"),
        &vector("stapling/good.key"),
        &["--ocsp", &file],
    );
    let root = vector("stapling/root.pem");
    let stapled = || {
        let (exit, out) = ferrotls_client_trusting(port, &root, "stapling.test", &["--ocsp"]);
        assert!(exit.success(), "{out}");
        json_lines(&out)[0].get("ocsp_stapled") == "true"
    };
    // Past the server's recheck interval of one second.
    let recheck = || std::thread::sleep(Duration::from_millis(1_200));
    assert!(!stapled(), "no file yet");
    std::fs::copy(vector("stapling/good.ocsp.der"), &file).unwrap();
    recheck();
    assert!(stapled(), "the response written");
    scratch.write("staple.der", b"not an OCSP response");
    recheck();
    assert!(!stapled(), "no response in the file");
}

/// `--sigalgs LIST` sets the signature schemes each side offers and
/// accepts, by IANA name or OpenSSL's `KEY+HASH`: a TLS 1.2 client
/// offering ECDSA with SHA-1 alone is refused by a default server (RFC
/// 9155 §4 forbids the signature) and served by one whose list lets
/// SHA-1 back in; an unknown name is refused before connecting.
#[cfg(feature = "legacy")]
#[test]
fn sigalgs_sets_the_signature_schemes_and_can_let_sha1_back_in() {
    let sha1_only = ["--max-version", "1.2", "--sigalgs", "ECDSA+SHA1"];
    let (_server, port) = ferrotls_server(&[]);
    let (exit, out) = ferrotls_client(port, &sha1_only);
    assert!(!exit.success(), "{out}");
    assert!(out.contains("handshake_failure"), "{out}");

    let (_server, port) = ferrotls_server(&["--sigalgs", "ecdsa_secp256r1_sha256,ecdsa_sha1"]);
    let (exit, out) = ferrotls_client(port, &sha1_only);
    assert!(exit.success(), "{out}");

    let (exit, out) = ferrotls_client(port, &["--sigalgs", "ECDSA+SHA224"]);
    assert!(!exit.success(), "{out}");
    assert!(
        out.contains("unknown signature scheme \"ECDSA+SHA224\""),
        "{out}"
    );
}
